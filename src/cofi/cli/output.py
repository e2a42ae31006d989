"""Opening a checked ledger and writing a table in the format asked for."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cofi.cli.options import (
    WorkingTree,
    fail,
    resolve_root,
    write_file,
    write_stdout,
    writing_stdout,
)
from cofi.i18n import _, ngettext

if TYPE_CHECKING:
    from collections.abc import Iterator

    from cofi.ledger import Ledger
    from cofi.loader import Loaded
    from cofi.table import Table


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class CsvDialect(StrEnum):
    standard = "standard"
    excel_fr = "excel-fr"


Format = Annotated[
    TableFormat,
    typer.Option(
        "--format",
        "-f",
        help=_(
            "table for people (plain text when piped), csv or json for programs and spreadsheets."
        ),
    ),
]
Dialect = Annotated[
    CsvDialect,
    typer.Option(
        "--csv-dialect",
        help=_(
            "excel-fr: `;` separators, decimal commas and a BOM, "
            "for LibreOffice and Excel in French."
        ),
    ),
]


def open_checked(
    root: Path | None, at: str | None = None, no_cache: bool = False, commit: str | None = None
) -> Ledger:
    """The ledger at root (as committed at revision `at`, if given: at `commit`, when git
    already said which commit `at` is), refused (exit 1) when `cofi check` would report
    an error."""
    where = resolve_root(root)
    if at is None:
        loaded = WorkingTree(where, no_cache).validate(date.today())
    else:
        from cofi.api import check_at
        from cofi.history import GitError

        try:
            loaded = check_at(where, commit or at, date.today())
        except GitError as e:
            raise fail(str(e)) from None
        if loaded.files == 0:  # an empty table would read as "nothing owed"
            text = _(
                "revision '{rev}' holds no ledger under {folder} (no commons/ or ledger/ "
                "files there); name a revision that has one"
            )
            raise fail(text.format(rev=at, folder=where))
    return without_errors(loaded)


def tree_at(root: Path, at: str) -> str:
    """The id of the git tree of revision `at`: what a result computed at it is kept under."""
    from cofi.history import GitError, History

    try:
        return History(root).tree_id(at)
    except GitError as e:
        raise fail(str(e)) from None


def without_errors(loaded: Loaded) -> Ledger:
    """The loaded ledger, refused (exit 1) when `cofi check` would report an error."""
    errors = loaded.errors
    if errors:
        first = errors[0]
        text = ngettext(
            "cofi: the ledger has {n} error (first: {first}); nothing is computed on a "
            "ledger with errors. Run `cofi check` to see them all.",
            "cofi: the ledger has {n} errors (first: {first}); nothing is computed on a "
            "ledger with errors. Run `cofi check` to see them all.",
            len(errors),
        )
        shown = f"{first.source}: {first.code} {first.message}"
        typer.echo(text.format(n=len(errors), first=shown), err=True)
        raise typer.Exit(1)
    return loaded.ledger


def emit(table: Table, fmt: TableFormat, output: Path | None, dialect: CsvDialect) -> None:
    """Write `table`: data on stdout (or the file), notes on stderr for csv and json."""
    from cofi import fmt as figures
    from cofi import render

    with figures.amounts_in(table.currency):
        body: Iterator[str]
        if fmt is TableFormat.csv:
            body = render.table_csv_parts(table, dialect.value)
        elif fmt is TableFormat.json:
            body = render.table_json_parts(table)
        elif output is None and sys.stdout.isatty():
            with writing_stdout():
                _print_rich(table)
            return
        else:
            body = render.table_text_parts(table)
        if fmt is not TableFormat.table:
            for note in table.notes:
                typer.echo(_("note: {note}").format(note=note), err=True)
        # Written as made (in the table's currency): at national scale, hundreds of
        # thousands of rows.
        if output is not None:
            write_file(output, body)
        else:
            write_stdout(body)


def _print_rich(table: Table) -> None:
    from rich.console import Console

    from cofi import render

    console = Console()
    console.print(render.table_rich(table, console.width))


def pick_programmes(ledger: Ledger, programme: str | None) -> list[str]:
    """Programme ids to compute: all of them, or the one asked for."""
    ids = sorted(p.id for p in ledger.programmes)
    if programme is None:
        return ids
    if programme not in ids:
        text = _("unknown programme '{programme}'; the programmes are: {ids}")
        raise fail(text.format(programme=programme, ids=", ".join(ids) or _("none")))
    return [programme]
