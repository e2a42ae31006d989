"""`cofi match`, `cofi obligations`, `cofi explain`, `cofi status`: compute, then render."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cofi.cli.options import (
    AsOf,
    NoCache,
    Output,
    Query,
    Root,
    WorkingTree,
    fail,
    remember_revision,
    resolve_date,
    resolve_root,
    write_stdout,
)
from cofi.cli.output import (
    CsvDialect,
    Dialect,
    Format,
    TableFormat,
    emit,
    open_checked,
    pick_programmes,
    tree_at,
    without_errors,
)
from cofi.i18n import N_, _

if TYPE_CHECKING:
    from cofi.ledger import Ledger
    from cofi.matching import ProgrammeResult
    from cofi.table import Table

Programme = Annotated[
    str | None,
    typer.Option(
        "--programme",
        "-p",
        help=_("Only this programme (its id)."),
        show_default=False,
        metavar=_("ID"),
    ),
]
All = Annotated[
    bool, typer.Option("--all", help=_("Also list the rows that are usually left out."))
]
At = Annotated[
    str | None,
    typer.Option(
        "--at",
        help=_(
            "Compute from the ledger as committed at this git revision (a commit, tag or "
            "branch): a statement an auditor can reproduce."
        ),
        show_default=False,
        metavar="REV",
    ),
]


class By(StrEnum):
    common = "common"
    contribution = "contribution"


def _results(
    root: Path | None,
    as_of: str | None,
    programme: str | None,
    at: str | None,
    no_cache: bool,
) -> tuple[Ledger, date, list[ProgrammeResult]]:
    ledger = open_checked(root, at, no_cache)
    when = resolve_date(as_of)
    return ledger, when, _matched(ledger, when, programme)


def _matched(ledger: Ledger, when: date, programme: str | None) -> list[ProgrammeResult]:
    """Every programme's matches as of `when`, or only those of `programme`."""
    from cofi.api import match

    return match(ledger, when, pick_programmes(ledger, programme))


Build = Callable[["Ledger", date, "list[ProgrammeResult]"], "Table"]
"""A command's table, from the checked ledger, the day and the programmes' matches."""


def _table(
    root: Path | None,
    as_of: str | None,
    at: str | None,
    no_cache: bool,
    command: str,
    programme: str | None,
    options: tuple[tuple[str, str], ...],
    build: Build,
) -> Table:
    """`build`'s table as of --as-of, for every programme or --programme, stamped with
    its source.

    From the working tree, a table computed by the same `command` from exactly these
    files, on the same day, for the same programme and with the same `options`, is
    reused rather than computed again.
    """
    when = resolve_date(as_of)

    def computed(ledger: Ledger) -> Table:
        from cofi import fmt

        currency = ledger.settings.currency
        with fmt.amounts_in(currency):  # the notes say amounts too
            return replace(
                build(ledger, when, _matched(ledger, when, programme)), currency=currency
            )

    commit = None
    if at is not None:
        from cofi.history import state

        where, today = resolve_root(root), date.today()
        query = Query(command, when, today, programme, options)
        git = None if no_cache else state(where, [at], os.environ, contents=True)
        if git is None or not git.settled:  # the long way, which also says what is wrong
            table = remember_revision(
                where,
                no_cache,
                tree_at(where, at),
                query,
                lambda: computed(open_checked(root, at, no_cache)),
            )
        else:
            # Kept under what the revision holds, not under the commit: another commit of
            # the same ledger (a later one that changed other files, a tag) is served too.
            commit = git.commits[0]
            query = replace(query, options=(*options, *(("git", f) for f in git.facts[1:])))
            table = remember_revision(
                where,
                no_cache,
                git.contents,
                query,
                lambda: computed(open_checked(root, at, no_cache, commit)),
            )
    else:
        tree = WorkingTree(resolve_root(root), no_cache)
        today = date.today()  # the checks refuse entries dated after it
        table = tree.remember(
            Query(command, when, today, programme, options),
            lambda: computed(without_errors(tree.validate(today))),
        )
    return _stamped(table, when, root, at, commit)


def _stamped(
    table: Table, when: date, root: Path | None, at: str | None, commit: str | None = None
) -> Table:
    """The table with a first note saying what it was computed from (the commit `at`
    names, if already known), for the record."""
    from cofi import fmt

    if at is None:
        note = _("as of {date}, from the working tree").format(date=fmt.day(when))
    else:
        from cofi.history import History

        sha = commit or History(resolve_root(root)).resolve(at)
        note = _("as of {date}, from revision {sha}").format(date=fmt.day(when), sha=sha)
    table.notes.insert(0, note)
    return table


MATCH_HELP = N_(
    """The public share each programme owes each common: contributed, matched, paid, unmet.

With --by contribution, one row per eligible contribution (--all adds the ineligible
ones with their reason).

Example: cofi match --as-of 2026-12-31 --format csv --csv-dialect excel-fr -o match.csv"""
)


def match(
    root: Root = None,
    as_of: AsOf = None,
    at: At = None,
    no_cache: NoCache = False,
    programme: Programme = None,
    by: Annotated[
        By, typer.Option("--by", help=_("One row per (programme, common), or per contribution."))
    ] = By.common,
    all: All = False,
    format: Format = TableFormat.table,
    output: Output = None,
    csv_dialect: Dialect = CsvDialect.standard,
) -> None:
    def build(ledger: Ledger, when: date, results: list[ProgrammeResult]) -> Table:
        from cofi import report
        from cofi.obligations import match_obligations

        if by is By.contribution:
            return report.contributions_table(results, all=all)
        return report.match_table(results, match_obligations(ledger, results))

    options = (("by", by.value), ("all", str(all)))
    table = _table(root, as_of, at, no_cache, "match", programme, options, build)
    emit(table, format, output, csv_dialect)


class ByDebt(StrEnum):
    debt = "debt"
    debtor = "debtor"


OBLIGATIONS_HELP = N_(
    """Who owes what: unmet match obligations of funders, unmet pledges and the receipts
stewards have yet to give, overdue first.

Overpaid debts are listed with a negative unmet; --all also lists settled ones.
With --by debtor, each funder's and contributor's honour rate: paid ÷ owed of
what has fallen due.

Example: cofi obligations --format csv"""
)


def obligations(
    root: Root = None,
    as_of: AsOf = None,
    at: At = None,
    no_cache: NoCache = False,
    programme: Programme = None,
    by: Annotated[
        ByDebt,
        typer.Option("--by", help=_("One row per debt, or per debtor with its honour rate.")),
    ] = ByDebt.debt,
    all: All = False,
    format: Format = TableFormat.table,
    output: Output = None,
    csv_dialect: Dialect = CsvDialect.standard,
) -> None:
    def build(ledger: Ledger, when: date, results: list[ProgrammeResult]) -> Table:
        from cofi import api, report
        from cofi.obligations import honour_rates

        # A programme's figures alone: no pledge, which no programme owes.
        rows = api.debts(ledger, results, when, pledges=programme is None)
        if by is ByDebt.debtor:
            return report.honour_table(honour_rates(rows))
        return report.obligations_table(rows, all=all)

    options = (("by", by.value), ("all", str(all)))
    table = _table(root, as_of, at, no_cache, "obligations", programme, options, build)
    emit(table, format, output, csv_dialect)


EXPLAIN_HELP = N_(
    """Why a contribution triggered this much public money and not more, step by step.

Example: cofi explain 2026-03-14-la-ruche-dokos"""
)


def explain(
    contribution: Annotated[
        str, typer.Argument(help=_("The contribution's id: its file name without .yaml."))
    ],
    root: Root = None,
    as_of: AsOf = None,
    at: At = None,
    no_cache: NoCache = False,
    programme: Programme = None,
) -> None:
    from cofi.explain import explain as sentences
    from cofi.explain import not_a_contribution
    from cofi.model import Contribution

    ledger, _when, results = _results(root, as_of, programme, at, no_cache)
    entry = ledger.entry.get(contribution)
    if entry is None:
        text = _("no contribution '{id}' in this ledger (the id is the file name without .yaml)")
        raise fail(text.format(id=contribution))
    if not isinstance(entry, Contribution):
        raise fail(not_a_contribution(entry))
    write_stdout("\n".join(sentences(ledger, results, entry)) + "\n")


STATUS_HELP = N_(
    """Each common and each of its needs: needed, contributed, matched, still needed.

Matched counts every programme, or only the one given with --programme.

Example: cofi status"""
)


def status(
    root: Root = None,
    as_of: AsOf = None,
    at: At = None,
    no_cache: NoCache = False,
    programme: Programme = None,
    format: Format = TableFormat.table,
    output: Output = None,
    csv_dialect: Dialect = CsvDialect.standard,
) -> None:
    def build(ledger: Ledger, when: date, results: list[ProgrammeResult]) -> Table:
        from cofi import report

        return report.status_table(ledger, results, when)

    table = _table(root, as_of, at, no_cache, "status", programme, (), build)
    emit(table, format, output, csv_dialect)
