"""The `cofi` command: a thin typer shell over the core. Each command opens, calls, renders."""

from __future__ import annotations

from typing import Annotated

import typer

from cofi import __version__
from cofi.cli import check, compute, export, new, report, simulate
from cofi.cli.options import fail
from cofi.cli.typerwords import Command, Group
from cofi.i18n import LANGUAGES, _, code

app = typer.Typer(
    name="cofi",
    help=_(
        "cofi keeps the open ledger of co-investment in the digital commons of tiers-lieux: "
        "who gave what to which common, what public funders owe, what they paid, what is "
        "unmet.\n\nExample: cofi check"
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    cls=Group,
)


def _language(value: str | None) -> str | None:
    """Refuse a --lang cofi has no messages for, rather than carry on in English in silence.
    (The program itself takes --lang out before the app runs, see cofi.entry.)"""
    if value is None or code(value) in LANGUAGES:  # `fr_FR.UTF-8` and `FR` are French
        return value
    text = _("--lang: unknown language '{lang}'; choose one of: {languages}")
    raise fail(text.format(lang=value, languages=", ".join(LANGUAGES)))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cofi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help=_("Show cofi's version and exit."), callback=_version, is_eager=True
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=_(
                "Language of messages and tables: en or fr (default: from LC_ALL, "
                "LC_MESSAGES or LANG). May stand anywhere on the command line."
            ),
            show_default=False,
            metavar="en|fr",
            callback=_language,
        ),
    ] = None,
) -> None:
    """Options that apply to every command (the help shown is the app's, above)."""


app.command("check", help=_(check.CHECK_HELP), cls=Command)(check.check)
app.command("match", help=_(compute.MATCH_HELP), cls=Command)(compute.match)
app.command("obligations", help=_(compute.OBLIGATIONS_HELP), cls=Command)(compute.obligations)
app.command("explain", help=_(compute.EXPLAIN_HELP), cls=Command)(compute.explain)
app.command("status", help=_(compute.STATUS_HELP), cls=Command)(compute.status)
app.command("report", help=_(report.REPORT_HELP), cls=Command)(report.report)
app.command("export", help=_(export.EXPORT_HELP), cls=Command)(export.export)
app.command("simulate", help=_(simulate.SIMULATE_HELP), cls=Command)(simulate.simulate)
app.add_typer(new.app, name="new")
app.command("schema", help=_(check.SCHEMA_HELP), cls=Command)(check.schema)
