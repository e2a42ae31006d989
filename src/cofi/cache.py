"""A cache of what each file held, so that a second run reads only what changed.

Never wrong, or not used: an entry is reused only when the file's size,
modification and status change times (ns) and inode are those it had, and
the cache was written by this very code (a fingerprint of the modules that
read files, cofi's version, Python's, pydantic's and PyYAML's). Like git's
index, an entry whose file was modified less than `RACY_NS` before the run
that cached it started (so before it read the file) cannot be told apart from
a later edit in the same clock tick: its content digest is compared instead.
A cache that cannot be read (truncated, foreign, older) is ignored and
rebuilt; it is replaced atomically, so two processes at once only ever see
whole caches.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import pickle
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cofi import __version__, i18n, listing
from cofi.bulk import bulk
from cofi.listing import racy
from cofi.problems import Problem

if TYPE_CHECKING:
    from cofi.loader import FileRef

FORMAT = 3
CHUNK = 8192
_MAGIC = b"cofi-cache\n"
_CODE = (
    *("model.py", "chars.py", "kinds.py", "yamlsrc.py", "yamlwords.py", "loader.py"),
    *("ledger.py", "problems.py"),
    "cache.py",
)

Result = tuple[Any, tuple[Problem, ...]]
Entry = tuple[int, int, int, int, bytes | None, Any, tuple[Problem, ...]]
"""(*stamp, content digest, value, problems), flat: a hundred thousand of them are read
back at once. The digest is kept only for a file that was racy when read; a settled
file's stamp vouches for it on its own."""
Entries = dict[str, Entry]


def fingerprint(code: Iterable[Path] | None = None, *, language: bool = False) -> str:
    """Changes whenever the code that turns a file into a record may have changed (cofi's
    modules in `code`, by default those that read files; cofi's version; the versions of
    Python, pydantic and PyYAML); with `language`, also with the language and its
    catalogue. Problems are kept as written in the code (cofi.problems.Msg), so the record
    cache does not depend on the language; the memo's tables do."""
    here = Path(__file__).parent
    spoken = i18n.language() if language else ""
    h = hashlib.sha256(f"{__version__}|{FORMAT}|{spoken}|{sys.version}".encode())
    h.update(_dependencies().encode())
    files = list(code or (here / name for name in _CODE))
    if language:
        files.append(i18n.LOCALE_DIR / spoken / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo")
    for path in files:
        if path.exists():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _dependencies() -> str:
    """The installed pydantic and PyYAML, by the names of their dist-info folders (which
    carry their versions): a directory listing, not the 40 ms of importlib.metadata."""
    names: list[str] = []
    for entry in sys.path:
        with contextlib.suppress(OSError):
            names += (
                n
                for n in os.listdir(entry or ".")
                if n.endswith(".dist-info") and n.lower().startswith(("pydantic", "pyyaml"))
            )
    return "|".join(sorted(names))


def root_key(root: Path) -> str:
    """What names a ledger root's cache files: a digest of its absolute path."""
    return hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]


def cache_file(cache_dir: Path, root: Path) -> Path:
    """One cache file per ledger root."""
    return cache_dir / f"ledger-{root_key(root)}.pickle"


STALE_NS = 30 * 24 * 3600 * 1_000_000_000
"""Thirty days: the files of a ledger root that no run used for that long are deleted."""


def forget_stale(folder: Path, now_ns: int, keep: str = "") -> None:
    """Delete what is kept for ledger roots no run used in STALE_NS (a clone since deleted,
    a temporary folder), but never the files of root `keep` (the one in use, whatever
    the clock of the disk says), and temporary files a stopped run left. A root's files
    go together, once the most recently used of them is that old: a ledger whose results
    come from the memo for months keeps its record cache for the day a file changes.
    Only files named as cofi names them are touched: the folder may be shared."""
    files: list[tuple[str, str, int]] = []  # (root key, or "" for a temporary file; path; mtime)
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for e in entries:
            key = _root_of(e.name)
            if (key or _TEMPORARY.match(e.name)) and key != keep:
                with contextlib.suppress(OSError):
                    if e.is_file(follow_symlinks=False):
                        files.append((key, e.path, e.stat(follow_symlinks=False).st_mtime_ns))
    used: dict[str, int] = {}
    for key, _path, mtime in files:
        used[key] = max(used.get(key, 0), mtime)
    for key, path, mtime in files:
        if (used[key] if key else mtime) < now_ns - STALE_NS:
            with contextlib.suppress(OSError):
                os.unlink(path)


_KEPT = re.compile(
    r"(?:ledger-([0-9a-f]{24})(?:\.delta)?|memo-([0-9a-f]{24})-[0-9a-f]{24})\.pickle\Z"
)
_TEMPORARY = re.compile(r"\.tmp-[a-z0-9_]{8}\.pickle\Z")  # as tempfile.mkstemp names them


def _root_of(name: str) -> str:
    """The root key in the name of a record cache or memo file ('' for any other file)."""
    found = _KEPT.match(name)
    return (found.group(1) or found.group(2)) if found else ""


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class RecordCache:
    """Reads the cache once, answers `get`, collects `put`, and `save`s when anything changed.

    The cache is a base file and a small delta beside it: a run that changed a few
    files writes only the delta (what differs from the base), so one changed file
    costs about one file, not a rewrite of every record. When the delta grows past
    a tenth of the base, the base is written afresh.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.delta_path = path.with_suffix(".delta.pickle")
        self.fingerprint = fingerprint()
        self.started = listing.clock()  # before this run reads any file
        self.base: Entries = {}
        self.old: Entries = {}
        self.new: Entries = {}
        self.token = ""
        self.base_ns = 0  # when the run that wrote the base started
        self.delta_ns: dict[str, int] = {}  # entries from the delta, with its run's start
        self.removed: set[str] = set()
        self._read()

    def _read(self) -> None:
        with bulk():  # a million small objects: see cofi.bulk
            self._read_files()

    def _read_files(self) -> None:
        found = load(self.path, self.fingerprint)
        if found is None:
            return
        self.token, self.base_ns, *chunks = found
        with contextlib.suppress(OSError):
            os.utime(self.path)  # used: see forget_stale
        self.base = {p: e for chunk in chunks for p, e in chunk}
        self.old = self.base
        delta = load(self.delta_path, self.fingerprint)
        if delta is None:
            return
        token, ns, changed, removed = delta
        if token != self.token:  # a delta of another base: ignore it
            return
        self.old = {**self.base, **changed}
        self.delta_ns = dict.fromkeys(changed, ns)
        for path in removed:
            self.old.pop(path, None)

    def get(self, f: FileRef) -> Result | None:
        """What `f` held last time, if it provably has not changed since: when this run
        read it already (`cofi new` loads the ledger three times), what it held then."""
        entry = self.new.get(f.path)
        if entry is not None:
            written = self.started
        else:
            entry = self.old.get(f.path)
            written = self.delta_ns.get(f.path, self.base_ns)
        if entry is None or f.stamp is None or entry[:4] != f.stamp:
            return None
        if racy(f.stamp[1], f.stamp[3], written):
            try:
                same = entry[4] is not None and digest(f.read()) == entry[4]
            except OSError:
                return None
            if not same:
                return None
        self.new[f.path] = entry
        return entry[5], entry[6]

    def put(self, f: FileRef, content: bytes, result: Result) -> None:
        """Remember what `f` held when its bytes were `content` (files from git,
        without a stamp, are not cached)."""
        if f.stamp is None:
            return
        young = racy(f.stamp[1], f.stamp[3], self.started)
        self.new[f.path] = (*f.stamp, digest(content) if young else None, *result)

    def save(self) -> None:
        """Write what changed, then let go of every entry: the ledger keeps the records it
        needs, and the checks that follow run in less memory. A cache that cannot be
        written is no error."""
        try:
            self._write()
        finally:
            self.base, self.old, self.new = {}, {}, {}

    def _write(self) -> None:
        if self.new.keys() == self.old.keys() and all(
            self.old[p] is e for p, e in self.new.items()
        ):
            return
        base = self.base
        changed = {p: e for p, e in self.new.items() if base.get(p) is not e}
        removed = [p for p in base if p not in self.new]
        if self.token and len(changed) + len(removed) <= max(64, len(base) // 10):
            store(self.delta_path, self.fingerprint, self.token, self.started, changed, removed)
            return
        token = os.urandom(8).hex()
        entries = list(self.new.items())
        # In chunks, each its own pickle: the pickler remembers every object it wrote
        # until the end of a pickle, which for the whole base would be a million.
        chunks = [entries[i : i + CHUNK] for i in range(0, len(entries), CHUNK)]
        if store(self.path, self.fingerprint, token, self.started, *chunks):
            with contextlib.suppress(OSError):
                os.unlink(self.delta_path)
            # Seldom (with a new base), and never this root's files.
            forget_stale(self.path.parent, listing.clock(), _root_of(self.path.name))


def load(path: Path, fingerprint: str) -> list[Any] | None:
    """The parts `store` put in a cache file with this fingerprint, else None."""
    header = _MAGIC + fingerprint.encode() + b"\n"
    try:
        with _open_regular(path) as f:
            if f.read(len(header)) != header:  # another cofi's: not worth unpickling
                return None
            count = pickle.load(f)
            return [pickle.load(f) for _ in range(count)]
    except Exception:  # missing, truncated, foreign, not a file: start afresh
        return None


_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _open_regular(path: Path) -> BinaryIO:
    """`path` open for reading if it is a regular file, else OSError: never a FIFO (opening
    one waits for a writer for ever), a device, a folder, or a symbolic link (cofi writes
    none, so one was put there by someone else). Opened without blocking, then looked at,
    so that nothing can be swapped in between."""
    fd = os.open(path, _READ_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def store(path: Path, fingerprint: str, *parts: object) -> bool:
    """Replace `path` atomically, so that a reader at the same time sees a whole file;
    a cache that cannot be written is no error (False)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + fingerprint.encode() + b"\n")
            pickle.dump(len(parts), out)
            for part in parts:
                pickle.dump(part, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
