"""Options shared by every command, defined once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cofi.loader import NoLedger, find_root
from cofi.model import parse_date

Root = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="The ledger's root folder (default: the nearest folder above that has `ledger/`).",
        show_default=False,
        file_okay=False,
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Compute as of this date, YYYY-MM-DD (default: today); later entries are ignored.",
        show_default=False,
        metavar="YYYY-MM-DD",
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of the terminal.",
        dir_okay=False,
        show_default=False,
    ),
]


def fail(message: str) -> typer.Exit:
    """Print `message` on stderr and return the exit for 'could not run' (status 2)."""
    typer.echo(f"cofi: {message}", err=True)
    return typer.Exit(2)


def resolve_root(root: Path | None) -> Path:
    try:
        return find_root(root if root is not None else Path.cwd())
    except NoLedger as e:
        raise fail(str(e)) from None


def resolve_date(text: str | None) -> date:
    """The --as-of date, or today (the only place cofi reads the clock)."""
    if text is None:
        return date.today()
    try:
        return parse_date(text)
    except ValueError as e:  # PydanticCustomError is a ValueError
        raise fail(f"--as-of: {e}") from None
