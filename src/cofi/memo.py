"""Whole results of a command, reused while not one file of the ledger changed.

What `cofi check` finds and what `cofi match` computes are pure functions of
the ledger's files, the command's options and day, and cofi's own code. The
memo keeps each result under all of these: the digest of the walk (every
file's path, size, modification and status change times in ns, and inode), a
key naming the command and its options, and a fingerprint of every module of
cofi, its version, the message catalogue in use, and the versions of Python,
pydantic and PyYAML. A second run that finds the same walk reads one small
file instead of the ledger.

Never wrong, or not used: as in the record cache, a file modified less than
RACY_NS before the run started could change again unseen within the same
clock tick, so while any file is that young nothing is memoised. A memo file
that cannot be read is ignored; at most KEEP of them are kept per ledger.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from cofi import cache
from cofi.listing import Listing
from cofi.table import Table

T = TypeVar("T")
KEEP = 16


def fingerprint() -> str:
    """Changes with any module of cofi, its version, the language of its messages and the
    versions of Python, pydantic and PyYAML."""
    return cache.fingerprint(sorted(Path(__file__).parent.rglob("*.py")), language=True)


class Memo:
    """The results kept for one ledger root, as its files are now."""

    def __init__(self, folder: Path, listing: Listing) -> None:
        self.folder = folder
        self.prefix = "memo-" + cache.root_key(listing.root)
        self.fingerprint = fingerprint()
        self.state = listing.digest()
        self.usable = listing.settled()

    @classmethod
    def of_revision(cls, folder: Path, root: Path, state: str) -> Memo:
        """The results kept for the ledger at `root` as committed in git tree `state` (a
        tree id names its content once and for all: nothing on disk can change it)."""
        memo = cls.__new__(cls)
        memo.folder = folder
        memo.prefix = "memo-" + cache.root_key(root)
        memo.fingerprint = fingerprint()
        memo.state = b"tree:" + state.encode()
        memo.usable = True
        return memo

    def get(self, key: tuple[str, ...]) -> Any | None:
        """The result stored under `key` for exactly these files, else None."""
        if not self.usable:
            return None
        path = self._path(key)
        found = cache.load(path, self.fingerprint)
        if found is None:
            return None
        state, stored_key, *parts = found
        if (state, stored_key) != (self.state, key):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # pruning keeps the most recently used
        return _whole(parts)

    def put(self, key: tuple[str, ...], value: object) -> None:
        if not self.usable:
            return
        if cache.store(self._path(key), self.fingerprint, self.state, key, *_parts(value)):
            self._prune()

    def remember(
        self, key: tuple[str, ...], compute: Callable[[], T], keep: Callable[[T], bool]
    ) -> T:
        """The stored result under `key`, or `compute()`'s, stored for next time if `keep`
        says it may be."""
        found = self.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = compute()
        if keep(value):
            self.put(key, value)
        return value

    def _path(self, key: tuple[str, ...]) -> Path:
        # With the fingerprint, a French run and an English one (or two versions of cofi)
        # each keep their own memo rather than overwriting each other's.
        name = hashlib.sha256("\0".join((self.fingerprint, *key)).encode()).hexdigest()[:24]
        return self.folder / f"{self.prefix}-{name}.pickle"

    def _prune(self) -> None:
        """Keep this ledger's KEEP most recently used memos (each day's date is a new key)."""
        with contextlib.suppress(OSError):
            mine = [e for e in os.scandir(self.folder) if e.name.startswith(self.prefix)]
            mine.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
            for old in mine[KEEP:]:
                os.unlink(old.path)


def _parts(value: object) -> list[object]:
    """What to store of `value`, each part pickled on its own: a table's rows go in chunks,
    since the pickler remembers every object of one pickle until its end (a million
    cells for a table with a row per contribution)."""
    if not isinstance(value, Table):
        return [value]
    rows = value.rows
    return [
        replace(value, rows=[]),
        *(rows[i : i + cache.CHUNK] for i in range(0, len(rows), cache.CHUNK)),
    ]


def _whole(parts: list[Any]) -> Any:
    """The value `_parts` took apart."""
    head, *chunks = parts
    return replace(head, rows=[row for chunk in chunks for row in chunk]) if chunks else head
