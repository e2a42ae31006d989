"""The files under a ledger's root, as one walk saw them.

The loader reads what the walk found, and the memo asks it whether anything
changed since a result was computed. Light on purpose (no pydantic, no YAML):
a run that finds nothing changed needs nothing else.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import time
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

TOPS = ("commons", "ledger")
"""The folders records live in; nothing else under the root is read."""

RACY_NS = 2_000_000_000
"""Two seconds: coarser than any file system's timestamps (FAT's are 2 s).

A file modified less than this before a run started could be modified again,
unseen, within the same clock tick and with the same size: its stamp alone
cannot vouch for its content (git calls such files "racy"). Both its times
count: an edit that puts the modification time back still sets the status
change time to now."""

clock = time.time_ns
"""The wall clock, in ns since the epoch (a name of its own so that tests can move it)."""


def racy(mtime_ns: int, ctime_ns: int, started_ns: int) -> bool:
    """Whether a file with these times may still change unseen, for a run that started
    (before reading it) at `started_ns`."""
    return max(mtime_ns, ctime_ns) >= started_ns - RACY_NS


Found = tuple[str, int, int, int, int]
"""(path from the root, size, modification time in ns, inode, status change time in ns);
the size is NOT_A_FILE for what is neither a plain file nor a folder (a pipe, a socket, a
device), LINK for a symbolic link (to a file, a folder or nothing: never followed),
REPOSITORY for a folder holding another git repository (a submodule: not walked), NO_STAT
for a file whose status could not be read (a folder that may be listed but not entered),
and UNREADABLE_FOLDER for a folder that could not be listed (its path then ends in "/").
With any of them the walk vouches for nothing: see `settled`.

Like git's index, the status change time is there for a file edited in place whose
modification time was then put back (`touch -d`, `cp -p`): that sets it to now."""
NOT_A_FILE = -1
UNREADABLE_FOLDER = -2
NO_STAT = -3
LINK = -4
REPOSITORY = -5


@dataclass(frozen=True, slots=True)
class Listing:
    root: Path
    found: list[Found]
    started_ns: int
    """The clock just before the walk: what was read after it is at least this recent."""
    attributes: list[Found] = field(default_factory=list)
    """The `.gitattributes` files met on the way (not records: the loader never sees them),
    for `cofi check --base`: they say how git hashes the files beside them."""

    def digest(self) -> bytes:
        """Changes when any file is added, removed, renamed or modified (its size, times or
        inode), or when the walk met the files in another order."""
        return hashlib.blake2b(marshal.dumps(self.found), digest_size=16).digest()

    def settled(self) -> bool:
        """True when every file has a stamp and none was modified within RACY_NS of the
        walk, so that the stamp of every file vouches for its content."""
        if min(map(itemgetter(1), self.found), default=0) < 0:
            return False  # something the walk could not stat: read anew each time
        mtime = max(map(itemgetter(2), self.found), default=0)
        ctime = max(map(itemgetter(4), self.found), default=0)
        return not racy(mtime, ctime, self.started_ns)


def walk(root: Path) -> Listing:
    """Every file below the record folders of `root`."""
    started = clock()
    found: list[Found] = []
    attributes: list[Found] = []
    for top in TOPS:
        _top(os.path.join(root, top), top, found, attributes)
    return Listing(root, found, started, attributes)


def _top(full: str, top: str, found: list[Found], attributes: list[Found]) -> None:
    """What `_entry` does, for one of TOPS: the root is not listed (it may hold much else,
    and may be entered without being listable), so one stat says what the top is. A top
    that is a link is reported like any other link, never followed: git would store the
    link, not the files it points to, so `cofi check --base` could not see them."""
    try:
        st = os.lstat(full)
        mode = st.st_mode
    except FileNotFoundError:
        return
    except OSError:  # the root cannot be entered: _walk reports the folder unreadable
        _walk(full, top, found, attributes)
        return
    if stat.S_ISDIR(mode):
        _walk(full, top, found, attributes)
    elif stat.S_ISLNK(mode):
        found.append((top, LINK, 0, 0, 0))
    elif stat.S_ISREG(mode):  # a file where a folder should be: the loader reports it (F002)
        found.append((top, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
    else:
        found.append((top, NOT_A_FILE, 0, 0, 0))


def _walk(folder: str, rel: str, found: list[Found], attributes: list[Found]) -> None:
    folders: list[tuple[str, str]] = []  # walked after this one: one directory open at a time
    try:
        entries = os.scandir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError:  # there but not listable: what it holds would go unchecked, unseen
        found.append((f"{rel}/", UNREADABLE_FOLDER, 0, 0, 0))
        return
    listed: list[os.DirEntry[str]] = []
    gitattributes: os.DirEntry[str] | None = None
    broken = False
    with entries:
        try:
            for e in entries:
                if e.name == ".git":  # another repository (a submodule): not the ledger's
                    found.append((rel, REPOSITORY, 0, 0, 0))
                    return
                if not e.name.startswith("."):
                    listed.append(e)
                elif e.name == ".gitattributes":
                    gitattributes = e
        except OSError:  # the listing broke off (a network disk): the rest is unseen
            broken = True
    for e in listed:
        _entry(e, f"{rel}/{e.name}", found, folders)
    if gitattributes is not None:
        _entry(gitattributes, f"{rel}/.gitattributes", attributes, [])
    if broken:
        found.append((f"{rel}/", UNREADABLE_FOLDER, 0, 0, 0))
    for full, path in folders:
        _walk(full, path, found, attributes)


def _entry(
    e: os.DirEntry[str], path: str, found: list[Found], folders: list[tuple[str, str]]
) -> None:
    try:
        # Never through a link, to a folder or to a file: two links to ".." make the walk
        # endless, and git stores a link's text, not what it points to (SPEC §5, "Plain
        # files only"). The listing's file type says what it is; a stat only for a file.
        if e.is_symlink():
            found.append((path, LINK, 0, 0, 0))
            return
        if e.is_dir():
            folders.append((e.path, path))
            return
        if e.is_file():
            st = e.stat()
            found.append((path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
            return
    except FileNotFoundError:
        return  # removed while the walk ran: not there any more
    except OSError:  # there, but its status cannot be read: the loader tries to read it
        found.append((path, NO_STAT, 0, 0, 0))
        return
    found.append((path, NOT_A_FILE, 0, 0, 0))
