"""`cofi report --html DIR`: the static HTML report, written into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cofi.cli.compute import At, _results
from cofi.cli.options import AsOf, NoCache, Root, fail
from cofi.i18n import N_, _, ngettext

Html = Annotated[
    Path,
    typer.Option(
        "--html",
        help=_(
            "Write the report into this folder (created if needed; a previous cofi report "
            "in it is replaced, any other non-empty folder is refused)."
        ),
        file_okay=False,
        metavar="DIR",
        show_default=False,
    ),
]
GENERATOR = '<meta name="generator" content="cofi '


REPORT_HELP = N_(
    """A static HTML report to publish or print: overview, one page per common,
obligations, contributions with their explanations. Offline: nothing is loaded
from the network. Its figures are those of cofi match, obligations and status.

Example: cofi report --html public --as-of 2026-11-28"""
)


def report(
    html: Html,
    root: Root = None,
    as_of: AsOf = None,
    at: At = None,
    no_cache: NoCache = False,
) -> None:
    from cofi.html import render_report
    from cofi.obligations import match_obligations, pledge_obligations

    ledger, when, results = _results(root, as_of, None, at, no_cache)
    debts = match_obligations(ledger, results) + pledge_obligations(ledger, when)
    files = render_report(ledger, results, debts, when, revision=at)
    _write(html, files)
    text = ngettext(
        "cofi: wrote {n} file; open {index}", "cofi: wrote {n} files; open {index}", len(files)
    )
    typer.echo(text.format(n=len(files), index=html / "index.html"), err=True)


def _write(folder: Path, files: dict[str, str]) -> None:
    """Write `files` under `folder`, removing the pages of a previous report that this one
    no longer has; refuse a non-empty folder that does not hold a cofi report."""
    index = folder / "index.html"
    if folder.is_dir() and any(folder.iterdir()):
        if not (
            index.is_file() and GENERATOR in index.read_text(encoding="utf-8", errors="replace")
        ):
            text = _("{folder} is not empty and holds no cofi report: choose a new folder")
            raise fail(text.format(folder=folder))
        for old in [*folder.glob("commons/*.html"), *folder.glob("explain/*.html")]:
            if old.relative_to(folder).as_posix() not in files:
                old.unlink()
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
