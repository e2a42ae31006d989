"""Options shared by every command, defined once."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from cofi.i18n import _

if TYPE_CHECKING:
    from cofi.cache import RecordCache
    from cofi.listing import Listing
    from cofi.loader import Loaded

T = TypeVar("T")

Root = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help=_("The ledger's root folder (default: the nearest folder above that has `ledger/`)."),
        show_default=False,
        file_okay=False,
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help=_("Compute as of this date, YYYY-MM-DD (default: today); later entries are ignored."),
        show_default=False,
        metavar="YYYY-MM-DD",
    ),
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help=_("Write to this file instead of the terminal."),
        dir_okay=False,
        show_default=False,
    ),
]


NoCache = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=_(
            "Read and compute everything again instead of reusing what an earlier run "
            "read or computed (the cache lives in $COFI_CACHE_DIR, else "
            "$XDG_CACHE_HOME/cofi or ~/.cache/cofi)."
        ),
    ),
]


def open_cache(root: Path, no_cache: bool) -> RecordCache | None:
    """The record cache of this ledger, unless --no-cache (the CLI reads the environment)."""
    if no_cache:
        return None
    from cofi.cache import RecordCache, cache_file

    return RecordCache(cache_file(_cache_dir(), root))


def _cache_dir() -> Path:
    if own := os.environ.get("COFI_CACHE_DIR"):
        return Path(own)
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg) / "cofi"
    return Path.home() / ".cache" / "cofi"


@dataclass(frozen=True)
class Query:
    """Everything a command's result depends on besides the ledger's files: two runs that
    ask the same Query of the same files get the same result, so it is what the memo keys
    on. A new option of a command is a new field here, or an entry of `options`."""

    command: str
    as_of: date
    today: date  # the checks refuse entries dated after it
    programme: str | None = None
    options: tuple[tuple[str, str], ...] = ()

    def key(self) -> tuple[str, ...]:
        return tuple(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))


class WorkingTree:
    """The ledger's files on disk, walked once; read through the record cache, and whole
    results reused through the memo while no file changed (neither with --no-cache)."""

    def __init__(self, root: Path, no_cache: bool) -> None:
        from cofi.bulk import bulk
        from cofi.listing import walk

        self.root = root
        self.no_cache = no_cache
        with bulk():
            self.listing: Listing | None = walk(root)

    def validate(self, today: date) -> Loaded:
        """The ledger checked, with a progress bar on long loads."""
        from cofi.api import check
        from cofi.cli.progress import LoadProgress

        # The load is the walk's last use: let it go with the load, not at the end of the run.
        # Once only: a second load would walk again, and no longer match what a memo saw.
        listing, self.listing = self.listing, None
        assert listing is not None, "a working tree is loaded once"
        cache = open_cache(self.root, self.no_cache)
        with LoadProgress() as progress:
            return check(self.root, today, cache=cache, progress=progress, listing=listing)

    def remember(
        self,
        query: Query,
        compute: Callable[[], T],
        keep: Callable[[T], bool] = lambda _: True,
    ) -> T:
        """What `compute()` gave for `query` when the files were exactly as they are now,
        else `compute()` (kept for next time, if `keep` says so)."""
        if self.no_cache or self.listing is None:
            return compute()
        from cofi.memo import Memo

        return Memo(_cache_dir(), self.listing).remember(query.key(), compute, keep)


def remember_revision(
    root: Path,
    no_cache: bool,
    state: str,
    query: Query,
    compute: Callable[[], T],
    keep: Callable[[T], bool] = lambda _: True,
) -> T:
    """What `compute()` gave for `query` on the ledger at `root` as committed in git object
    `state` (a tree or commit id, which names its content for good), else `compute()`
    (kept for next time, if `keep` says so); neither with --no-cache."""
    if no_cache:
        return compute()
    from cofi.memo import Memo

    return Memo.of_revision(_cache_dir(), root, state).remember(query.key(), compute, keep)


def fail(message: str) -> typer.Exit:
    """Print `message` on stderr and return the exit for 'could not run' (status 2)."""
    typer.echo(f"cofi: {message}", err=True)
    return typer.Exit(2)


def reason(error: OSError) -> str:
    """The system's words for `error` ("No space left on device"), without its errno."""
    return error.strerror or str(error)


def write_file(path: Path, text: str | Iterable[str], *, append: bool = False) -> None:
    """Write `text`, or its parts one after the other, into the file at `path` (at its
    end, with `append`), or fail naming the path and the system's reason (a missing
    folder, a full disk)."""
    try:
        # newline="" keeps CSV's CRLF line ends as written.
        with open(path, "a" if append else "w", encoding="utf-8", newline="") as f:
            f.writelines([text] if isinstance(text, str) else text)
    except OSError as e:
        raise fail(_("cannot write {path}: {reason}").format(path=path, reason=reason(e))) from None


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Turn a failed write on stdout (a full disk behind `>`) into a clear failure."""
    try:
        yield
        sys.stdout.flush()
    except OSError as e:
        # What is still buffered would fail again, with a traceback, as Python exits.
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise fail(
            _("cannot write to standard output: {reason}").format(reason=reason(e))
        ) from None


def write_stdout(text: str | Iterable[str]) -> None:
    with writing_stdout():
        sys.stdout.writelines([text] if isinstance(text, str) else text)


def resolve_root(root: Path | None) -> Path:
    from cofi.loader import NoLedger, find_root

    try:
        return find_root(root if root is not None else Path.cwd())
    except NoLedger as e:
        raise fail(str(e)) from None


def resolve_date(text: str | None) -> date:
    """The --as-of date, or today (the only place cofi reads the clock)."""
    from cofi.model import parse_date

    if text is None:
        return date.today()
    # An argument that is not UTF-8 reaches us with surrogates, which neither pydantic
    # nor the terminal can write: show its odd bytes as `\xff`.
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    try:
        return parse_date(text)
    except ValueError as e:  # PydanticCustomError is a ValueError
        raise fail(_("--as-of: {problem}").format(problem=e)) from None
