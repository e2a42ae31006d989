"""The `cofi` command: a thin typer shell over the core. Each command opens, calls, renders."""

from __future__ import annotations

from typing import Annotated

import typer

from cofi import __version__
from cofi.cli import check, compute, new

app = typer.Typer(
    name="cofi",
    help=(
        "cofi keeps the open ledger of co-investment in the digital commons of tiers-lieux: "
        "who gave what to which common, what public funders owe, what they paid, what is unmet.\n\n"
        "Example: cofi check"
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cofi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show cofi's version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """cofi: the open ledger of co-investment in digital commons."""


app.command("check")(check.check)
app.command("match")(compute.match)
app.command("obligations")(compute.obligations)
app.command("explain")(compute.explain)
app.command("status")(compute.status)
app.add_typer(new.app, name="new")
app.command("schema")(check.schema)


def main() -> None:
    app()
