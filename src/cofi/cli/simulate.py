"""`cofi simulate`: a programme under other rules, on the ledger's contributions; nothing
is written."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Annotated

import typer

from cofi.cli.compute import Programme
from cofi.cli.options import AsOf, NoCache, Output, Root, fail, reason, resolve_date
from cofi.cli.output import CsvDialect, Dialect, Format, TableFormat, emit, open_checked
from cofi.i18n import N_, _

SIMULATE_HELP = N_(
    """A programme's figures under other rules, on the ledger's contributions as of
--as-of: per common, contributed, matched today, matched under the scenario and the
difference; the envelope used and left. Nothing is written to the ledger.

The scenario is a programme file anywhere on disk (checked like one of the ledger's),
or a programme of the ledger (--programme) with --set KEY=VALUE overrides, values
written as in the programme's file.

Example: cofi simulate --programme pilote-2026 --set ratio=2 --set caps.per_common=20000"""
)

File = Annotated[
    Path | None,
    typer.Argument(
        help=_("A programme file (YAML) to simulate; its name is its id."),
        show_default=False,
        dir_okay=False,
    ),
]
Set = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help=_(
            "Change one key of the programme, as its file would write it: ratio=2, "
            "envelope=50000, allocation=pro-rata, caps.per_common=20000 (repeatable)."
        ),
        show_default=False,
        metavar="KEY=VALUE",
    ),
]


def simulate(
    file: File = None,
    programme: Programme = None,
    set: Set = None,
    root: Root = None,
    as_of: AsOf = None,
    no_cache: NoCache = False,
    format: Format = TableFormat.table,
    output: Output = None,
    csv_dialect: Dialect = CsvDialect.standard,
) -> None:
    from dataclasses import replace
    from datetime import date
    from typing import cast

    from cofi import fmt, render, report
    from cofi import simulate as sim
    from cofi.matching import match_programme

    if (file is None) == (programme is None):
        raise fail(_("give a programme file, or --programme ID (with --set KEY=VALUE), not both"))
    ledger = open_checked(root, None, no_cache)
    when = resolve_date(as_of)
    if file is not None:
        base, problems = sim.from_file(str(file), _read(file))
    else:
        existing = ledger.programme.get(cast(str, programme))
        if existing is None:
            text = _("unknown programme '{programme}'; the programmes are: {ids}")
            ids = ", ".join(sorted(ledger.programme)) or _("none")
            raise fail(text.format(programme=programme, ids=ids))
        raw = _read(Path(ledger.root, existing.source.path))
        base, problems = sim.from_ledger(existing, raw), []
    found = None if base is None else sim.scenario(ledger, base, set or [], date.today())
    if found is not None:
        problems += found.problems
    if found is None or found.programme is None:
        typer.echo(render.problems_text(problems), err=True, nl=False)
        raise typer.Exit(1)
    for warning in problems:  # warnings only: the scenario is computed
        typer.echo(render.problems_text([warning]), err=True, nl=False)
    today = ledger.programme.get(found.programme.id)
    currency = ledger.settings.currency
    with fmt.amounts_in(currency):
        now = None if today is None else match_programme(ledger, today, when)
        table = report.simulation_table(now, match_programme(found.ledger, found.programme, when))
    emit(replace(table, currency=currency), format, output, csv_dialect)


def _read(path: Path) -> bytes:
    """A regular file's bytes (never a pipe or a device), or exit 2 saying why not."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise fail(_("{path}: not a regular file").format(path=path))
        return path.read_bytes()
    except OSError as e:
        raise fail(_("cannot read {path}: {reason}").format(path=path, reason=reason(e))) from None
