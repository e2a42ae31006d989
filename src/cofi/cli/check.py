"""`cofi check`: validate the whole ledger and report every problem."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cofi.cli.options import AsOf, Output, Root, resolve_date, resolve_root


class CheckFormat(StrEnum):
    text = "text"
    github = "github"
    json = "json"


def check(
    root: Root = None,
    as_of: AsOf = None,
    format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help="text for people, github for Actions annotations, json for programs.",
        ),
    ] = CheckFormat.text,
    output: Output = None,
) -> None:
    """Check every file of the ledger and report every problem, with file, line and column.

    Quiet when all is well (one summary line). Exit status: 0 no errors, 1 errors found,
    2 could not run.

    Example: cofi check --format github
    """
    from cofi import render
    from cofi.checks import validate

    where = resolve_root(root)
    loaded = validate(where, resolve_date(as_of))
    problems = loaded.problems
    body = {
        CheckFormat.text: render.problems_text,
        CheckFormat.github: render.problems_github,
        CheckFormat.json: render.problems_json,
    }[format](problems)
    if output is not None:
        output.write_text(body, encoding="utf-8")
    elif body:
        typer.echo(body, nl=False)
    typer.echo(render.summary(problems, loaded.files), err=True)
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)
