"""`cofi report --html DIR`: the static HTML report, written into a folder."""

from __future__ import annotations

import os
import secrets
import shutil
from contextlib import suppress
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
    """Write `files` as the report in `folder`, whole or not at all: they go into a new
    sibling folder that then takes the place of the old one, so an interrupted run leaves
    the previous report as it was (and no half report that the next run would accept).

    A non-empty folder that does not hold a cofi report is refused; what else the old
    report's folder held (a README, a CNAME, .git) is kept, its stale pages are not."""
    try:
        previous = _previous(folder)
        real = folder.resolve()  # a symlinked folder is replaced where it really is
        real.parent.mkdir(parents=True, exist_ok=True)
        new = _sibling(real, "new")
        try:
            for rel, text in files.items():
                path = new / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            if real.is_dir():
                shutil.copymode(real, new)  # as the user or their web server had it
            if previous:
                _keep_others(real, new, files)
            _swap(new, real)
        finally:
            shutil.rmtree(new, ignore_errors=True)  # gone already, unless something failed
    except OSError as e:
        text = _("cannot write the report into {folder}: {reason}")
        raise fail(text.format(folder=folder, reason=reason(e))) from None


def _previous(folder: Path) -> bool:
    """Whether `folder` holds a previous report; refused (exit 2) when it holds anything
    else, or is not a folder."""
    if folder.exists() and not folder.is_dir():
        raise fail(_("{folder} exists and is not a folder: choose a folder").format(folder=folder))
    if not (folder.is_dir() and any(folder.iterdir())):
        return False
    if not _is_report(folder):
        text = _("{folder} is not empty and holds no cofi report: choose a new folder")
        raise fail(text.format(folder=folder))
    return True


def _is_report(folder: Path) -> bool:
    index = folder / "index.html"
    return index.is_file() and GENERATOR in index.read_text(encoding="utf-8", errors="replace")


def _is_page(rel: str, files: dict[str, str]) -> bool:
    """A file of a report: one this report writes, or a page a previous one wrote of a
    common or a contribution that is no longer in the ledger."""
    top, _sep, name = rel.partition("/")
    return rel in files or (
        top in ("commons", "explain") and "/" not in name and name.endswith(".html")
    )


def _keep_others(old: Path, new: Path, files: dict[str, str]) -> None:
    """Carry into `new` every file of `old` that is not the report's, hard-linked (a copy
    where links are refused): `old` stays whole until the swap."""
    for here, dirs, names in os.walk(old):
        at = Path(here)
        links = [d for d in dirs if (at / d).is_symlink()]  # os.walk lists, not enters, them
        for name in [*names, *links]:
            rel = (at / name).relative_to(old).as_posix()
            target = new / rel
            if _is_page(rel, files) or target.exists() or target.is_symlink():
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                continue  # under a name that is now one of the report's pages
            _link(at / name, target)


def _link(source: Path, target: Path) -> None:
    if source.is_symlink():
        target.symlink_to(os.readlink(source))
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _sibling(folder: Path, what: str) -> Path:
    """A new empty folder beside `folder`, hidden. Made by mkdir, not mkdtemp: the report
    must get the permissions of any folder (mkdtemp's are for its owner only)."""
    while True:
        path = folder.parent / f".{folder.name}.cofi-{what}-{secrets.token_hex(4)}"
        with suppress(FileExistsError):
            path.mkdir()
            return path


def _swap(new: Path, folder: Path) -> None:
    """Put `new` in the place of `folder`. Two renames: between them, for an instant, the
    old report waits beside it under a hidden name and `folder` does not exist."""
    if not folder.exists():
        new.rename(folder)
        return
    aside = _sibling(folder, "old")
    if _holds_cwd(folder):
        # Renamed away, it would leave the shell that ran cofi in a deleted folder:
        # move what it holds instead (the same renames, one per entry).
        for entry in list(folder.iterdir()):
            entry.rename(aside / entry.name)
        for entry in list(new.iterdir()):
            entry.rename(folder / entry.name)
        shutil.rmtree(aside, ignore_errors=True)
        return
    old = aside / folder.name
    folder.rename(old)
    try:
        new.rename(folder)
    except BaseException:
        old.rename(folder)  # the previous report back in its place
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _holds_cwd(folder: Path) -> bool:
    try:
        return Path.cwd().resolve().is_relative_to(folder)
    except OSError:  # the current folder was deleted
        return False
