"""`cofi report --html DIR`: the static HTML report, written into a folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from cofi.cli.compute import At, _results
from cofi.cli.options import AsOf, NoCache, Root, fail, reason
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
    from cofi.html import report_files
    from cofi.obligations import match_obligations, pledge_obligations, receipt_obligations

    ledger, when, results = _results(root, as_of, None, at, no_cache)
    debts = [
        *match_obligations(ledger, results),
        *pledge_obligations(ledger, when),
        *receipt_obligations(ledger, results),
    ]
    n = _write(html, report_files(ledger, results, debts, when, revision=at))
    text = ngettext("cofi: wrote {n} file; open {index}", "cofi: wrote {n} files; open {index}", n)
    typer.echo(text.format(n=n, index=html / "index.html"), err=True)


STAGING = ".cofi-new-"
"""The hidden folder inside the report's folder that a run writes the new report into."""


def _write(folder: Path, files: Iterable[tuple[str, str]]) -> int:
    """Write `files` ((path, text) pairs) as the report in `folder`, refusing a non-empty
    folder that does not hold a cofi report; the number of files of the report.

    They are written whole into a hidden folder inside it first, as they are made (the
    slow part, where a full disk or a Ctrl-C strikes; a large report is never held whole
    in memory), then those that changed (a page already holding exactly its new text is
    left alone) are renamed into place in one burst, and the stale pages of the previous
    report removed: an interrupted run leaves the previous report as it was. The folder
    itself stays, with its permissions and whatever else it holds (a CNAME, a README,
    .git), on any disk, mount points included."""
    try:
        _refuse_other(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for left in folder.glob(f"{STAGING}*"):  # by a run that was killed
            shutil.rmtree(left, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
        try:
            written = []
            for rel, text in files:
                path = staging / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                written.append(rel)
            changed = [rel for rel in written if not _same(folder / rel, staging / rel)]
            for rel in changed:
                _folder_for(folder / rel)
                os.replace(staging / rel, folder / rel)
            kept = set(written)
            pages = ("commons/*.html", "contributions/*.html", "explain/*.html")
            for old in [p for pattern in pages for p in folder.glob(pattern)]:
                if old.relative_to(folder).as_posix() not in kept:
                    old.unlink()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as e:
        text = _("cannot write the report into {folder}: {reason}")
        raise fail(text.format(folder=folder, reason=reason(e))) from None
    return len(written)


def _same(path: Path, new: Path) -> bool:
    """Whether `path` is a plain file holding exactly what `new` holds: then it is left
    alone (not rewritten), so that a report with nothing changed rewrites nothing, and one
    after a new contribution rewrites only the pages it changes (a mirror or rsync copies
    those)."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != new.stat().st_size:
            return False
        return path.read_bytes() == new.read_bytes()
    except OSError:
        return False


def _refuse_other(folder: Path) -> None:
    """Fail (exit 2) unless `folder` is missing, empty or holds a cofi report."""
    if folder.exists() and not folder.is_dir():
        raise fail(_("{folder} exists and is not a folder: choose a folder").format(folder=folder))
    mine = (
        [p for p in folder.iterdir() if not p.name.startswith(STAGING)] if folder.is_dir() else []
    )
    if mine and not _is_report(folder):
        text = _("{folder} is not empty and holds no cofi report: choose a new folder")
        raise fail(text.format(folder=folder))


def _is_report(folder: Path) -> bool:
    index = folder / "index.html"
    return index.is_file() and GENERATOR in index.read_text(encoding="utf-8", errors="replace")


def _folder_for(page: Path) -> None:
    """The folder `page` goes in, made; a file in its place (the report's `commons/`, say,
    turned into a file) is the report's own and goes."""
    if page.parent.exists() and not page.parent.is_dir():
        page.parent.unlink()
    page.parent.mkdir(parents=True, exist_ok=True)
