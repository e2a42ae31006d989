"""The git adapter: the one module that asks git anything.

It runs git's own commands, a few short processes a run (importing GitPython took
longer than they do): reads a revision's ledger files from git's object database
through one `git cat-file --batch` process (never a process per file), the blob
hashes of the working tree, and who authored the commits of a range. `state`
names, in two short processes, everything of git's that a result computed from
revisions may depend on: what a memo keys on.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from cofi import listing
from cofi.i18n import _
from cofi.listing import TOPS, Listing
from cofi.loader import FileRef

_TOPS = tuple(f"{top}/" for top in TOPS)
_LINK = 0o120000  # the git mode of a symbolic link's blob (its text is the link's target)


class GitError(Exception):
    """A repository or revision cofi cannot use: the CLI exits 2 with this message."""


@dataclass(frozen=True)
class Tree:
    """A ledger's files at one revision, by path from the ledger root.

    `others` are what lies under commons/ or ledger/ but is no plain file: "link" for a
    symbolic link, "repository" for a submodule. `shas` has a blob id for each file and,
    marked with `link_id`, for each link: a file made a link (or back) has changed."""

    files: dict[str, FileRef]
    shas: dict[str, str]
    others: dict[str, Literal["link", "repository"]] = field(default_factory=dict)


# In the output of `git ls-files --stage -v -z`: every path; those git was told not to look
# at on disk (assume-unchanged: a lower-case tag; skip-worktree: S); the submodules.
_PATH = re.compile("\t([^\0]*)")
# (Searched in the output after a NUL: an expression that starts with a plain character is
# ten times faster than one that starts with a choice.)
_UNWATCHED = re.compile("\0[a-zS] [^\t\0]*\t([^\0]*)")
_SUBMODULE = re.compile("\0. 160000 [^\t\0]*\t([^\0]*)")


@dataclass(frozen=True)
class _Index:
    """Paths (from the ledger root) in git's index under commons/ and ledger/: all of them,
    those git was told not to look at on disk, and the submodules."""

    paths: set[str]
    unwatched: list[str]
    submodules: list[str]


class History:
    """The git repository holding the ledger at `root` (which may be a sub-folder of it)."""

    def __init__(self, root: Path) -> None:
        # git itself finds the repository, in one short process.
        try:
            found = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=root,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            if shutil.which("git") is None:
                raise GitError(
                    _("git is not installed (or not on PATH): --base, --head and --at need it")
                ) from None
            found = None  # no such folder
        except OSError:
            found = None
        if found is None or found.returncode != 0 or not found.stdout.strip():
            raise GitError(_("{folder} is not inside a git repository").format(folder=root))
        self.top = os.fsdecode(found.stdout.rstrip(b"\n"))
        top = Path(self.top).resolve()
        prefix = PurePosixPath(Path(root).resolve().relative_to(top)).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"
        self.root = Path(root)
        self._listed: _Index | None = None

    def resolve(self, rev: str) -> str:
        """The full commit hash of `rev`, or GitError saying what to do."""
        return self._object(rev, "commit")

    def _object(self, rev: str, kind: str) -> str:
        """The id of the `kind` (commit, tree) `rev` names, asked on git's standard input:
        a name is never read as an option, whatever it starts with."""
        found = None
        if "\n" not in rev and rev.strip():
            out = subprocess.run(
                ["git", "cat-file", "--batch-check=%(objectname) %(objecttype)"],
                input=os.fsencode(f"{rev}^{{{kind}}}\n"),
                cwd=self.top,
                capture_output=True,
                check=False,
            )
            answer = out.stdout.decode("ascii", "replace").split()
            if out.returncode == 0 and answer[1:] == [kind]:
                found = answer[0]
        if found is None:
            raise GitError(
                _(
                    "unknown revision '{rev}'; in CI, fetch enough history "
                    "(e.g. actions/checkout with fetch-depth: 0)"
                ).format(rev=rev)
            )
        return found

    def tree(self, rev: str) -> Tree:
        """The ledger files of commit `rev`, listed by one `git ls-tree` and read, on the
        first read of any, by one `git cat-file --batch` (never a process per file)."""
        return self.subtree(self.resolve(rev), [t.rstrip("/") for t in _TOPS])

    def tree_id(self, rev: str) -> str:
        """The id of the tree of commit `rev`: two commits with the same tree hold the same
        ledger, so what was computed from one serves the other."""
        return self._object(self.resolve(rev), "tree")

    def changed(
        self, base: str, head: str | None = None, on_disk: AbstractSet[str] | None = None
    ) -> set[str]:
        """Paths (from the ledger root) under commons/ and ledger/ that may differ between
        commit `base` and commit `head` (default: the working tree, untracked and ignored
        files included; `on_disk`, when given, are the paths a walk of it found): every
        path that differs, in content or in type, and maybe a few that do not (the caller
        compares blob ids). Asked of git, which knows from its index which files on disk
        are unchanged, so no unchanged file is read or hashed."""
        tops = [self.prefix + t.rstrip("/") for t in _TOPS]
        if head is None:
            # The plumbing, not `git diff`: that one writes what it learnt back into the
            # index, which would change what a memo keyed on the index's stamp sees (see
            # `state`); this one reports a file whose stamp git is unsure of as changed,
            # and the caller compares its blob id.
            out = self._git("diff-index", "--raw", "-z", "--no-renames", base, "--", *tops)
            index = self._index()
            # Files git was told not to look at are left out of its diff: compare them all
            # the same. What the walk found that the index lacks is untracked (or ignored).
            others = set(index.unwatched)
            if on_disk is None:
                untracked = self._git("ls-files", "--others", "-z", "--", *tops)
                others.update(self._paths(untracked.split(b"\0")))
            else:
                others.update(on_disk - index.paths)
        else:
            out = self._git("diff-tree", "-r", "-z", "--no-renames", base, head, "--", *tops)
            others = set()
        items = out.split(b"\0")
        paths = [items[i + 1] for i, item in enumerate(items[:-1]) if item.startswith(b":")]
        return set(self._paths(paths)) | others

    def _mine(self, paths: list[str]) -> Iterable[str]:
        """`paths` (from the top of the repository) that lie in the ledger's root, from it."""
        if not self.prefix:
            return paths
        skip = len(self.prefix)
        return (p[skip:] for p in paths if p.startswith(self.prefix))

    def _paths(self, raw: Iterable[bytes]) -> Iterator[str]:
        """The paths git wrote (from the top of the repository) that lie in the ledger's
        root, from it."""
        for name in raw:
            path = os.fsdecode(name)
            if name and path.startswith(self.prefix):
                yield path[len(self.prefix) :]

    def _index(self) -> _Index:
        """What the index holds under commons/ and ledger/, listed once by one process."""
        if self._listed is None:
            tops = [self.prefix + t.rstrip("/") for t in _TOPS]
            out = os.fsdecode(self._git("ls-files", "--stage", "-v", "-z", "--", *tops))
            # A hundred thousand entries, nearly all "H <mode> <id> 0<TAB>path": found by
            # regular expressions, not a line at a time in Python.
            index = _Index(
                set(self._mine(_PATH.findall(out))),
                list(self._mine(_UNWATCHED.findall("\0" + out))),
                [p for p in self._mine(_SUBMODULE.findall("\0" + out)) if "/." not in p],
            )
            self._listed = index
        return self._listed

    def subtree(self, rev: str, paths: list[str]) -> Tree:
        """What `tree(rev)` holds at `paths` and below them (paths from the ledger root),
        listed by `git ls-tree` without walking the rest of the revision."""
        tree = Tree({}, {}, {})
        blobs = _Blobs(self.top)
        for mode, kind, sha, size, path in self._ls_tree(rev, paths, sizes=True):
            if kind == "commit":
                tree.others[path] = "repository"
            elif kind != "blob":
                continue
            elif mode & 0o170000 == _LINK:
                tree.others[path] = "link"
                tree.shas[path] = link_id(sha)
            else:
                tree.files[path] = FileRef(path, size, blobs.reader(sha))
                tree.shas[path] = sha
        return tree

    def not_plain(self, rev: str) -> list[str]:
        """The paths of `tree(rev).others`: its links and submodules, by their modes alone."""
        found = []
        for mode, kind, _sha, _size, path in self._ls_tree(rev, [t.rstrip("/") for t in _TOPS]):
            if kind == "commit" or (kind == "blob" and mode & 0o170000 == _LINK):
                found.append(path)
        return found

    def _ls_tree(
        self, rev: str, paths: list[str], sizes: bool = False
    ) -> Iterator[tuple[int, str, str, int, str]]:
        """(mode, type, object id, size or 0, path from the ledger root) of every entry of
        commit `rev` at or below `paths`, as `tree` filters them."""
        for start in range(0, len(paths), 256):  # bounded command lines
            specs = [self.prefix + p for p in paths[start : start + 256]]
            args = ["ls-tree", "-r", "-z", "--full-tree", *(["-l"] if sizes else []), rev]
            for entry in self._git(*args, "--", *specs).split(b"\0"):
                meta, tab, raw = entry.partition(b"\t")
                if not tab:
                    continue
                mode, kind, sha, *size = meta.decode("ascii").split()
                path = os.fsdecode(raw)
                if not path.startswith(self.prefix):
                    continue
                path = path[len(self.prefix) :]
                if (not path.startswith(_TOPS) and f"{path}/" not in _TOPS) or "/." in path:
                    continue
                length = int(size[0]) if size and size[0].isdigit() else 0
                yield int(mode, 8), kind, sha, length, path

    def _git(self, *args: str) -> bytes:
        """The output of a git command run at the top of the repository; paths taken as
        written (no wildcards)."""
        out = subprocess.run(
            ["git", "--literal-pathspecs", *args],
            cwd=self.top,
            capture_output=True,
            check=False,
        )
        if out.returncode != 0:
            error = out.stderr.decode("utf-8", "replace").strip()
            raise GitError(_("git {command} failed: {error}").format(command=args[0], error=error))
        return out.stdout

    def working_tree(self, files: list[FileRef]) -> dict[str, str]:
        """Path -> the blob id each of these files on disk would have if committed now.

        Through git itself (one process for all files), so that its filters apply:
        a checkout with CRLF line ends (Git for Windows) has changed nothing.
        """
        # One path a line, as the file system spells it (a name that is not UTF-8 is sent
        # byte for byte); a name with a line break cannot go that way: see _blob_id.
        batch = [f for f in files if "\n" not in f.path]
        found = {f.path: _blob_id(f) for f in files if "\n" in f.path}
        if not batch:
            return found
        out = subprocess.run(
            ["git", "hash-object", "--stdin-paths"],
            input=b"".join(os.fsencode(self.prefix + f.path) + b"\n" for f in batch),
            cwd=self.top,
            capture_output=True,
            check=False,
        )
        shas = out.stdout.decode("ascii", "replace").split()
        if out.returncode != 0 or len(shas) != len(batch):
            error = out.stderr.decode("utf-8", "replace").strip()
            raise GitError(_("git hash-object failed: {error}").format(error=error))
        return {**found, **{f.path: sha for f, sha in zip(batch, shas, strict=True)}}

    def working_links(self, paths: list[str]) -> dict[str, str]:
        """Path -> the `link_id` each of these symbolic links on disk would have if
        committed now (git stores a link as a blob of its target's text)."""
        found: dict[str, str] = {}
        for path in paths:
            try:
                target = os.readlink(os.path.join(self.root, path))
            except OSError:  # gone since the walk: as if never there
                continue
            found[path] = link_id(_sha1_blob(os.fsencode(target)))
        return found

    def staged_submodules(self) -> list[str]:
        """The submodules under commons/ and ledger/ that the index holds, checked out or
        not (a submodule not checked out is an empty folder the walk cannot tell apart)."""
        return list(self._index().submodules)

    def merge_base(self, base: str, head: str) -> str:
        """Where the change forked from `base` (commit ids): entries that `base` gained
        since are not the change's doing."""
        found = subprocess.run(
            ["git", "merge-base", base, head],
            cwd=self.top,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
        if found.returncode == 1 and not found.stderr:  # no common ancestor
            return base
        if found.returncode != 0:
            error = found.stderr.decode("utf-8", "replace").strip()
            raise GitError(
                _("git {command} failed: {error}").format(command="merge-base", error=error)
            )
        return found.stdout.decode("ascii").strip()

    def authors(self, base: str, head: str) -> dict[str, set[str]]:
        """Path -> author emails of the commits in base..head that touched it: added,
        modified, deleted it or changed its type (a file made a link, or back)."""
        # -z: paths as they are (a folder named `été` is not quoted as "\303\251t\303\251"),
        # each field ended by a NUL; a commit's email is marked by \x01.
        raw = self._git(
            "log",
            "-z",
            "--no-color",
            "--format=%x01%ae",
            "--name-status",
            "--no-renames",
            f"{base}..{head}",
            "--",
            *(self.prefix + t.rstrip("/") for t in _TOPS),
        )
        touched: dict[str, set[str]] = defaultdict(set)
        email = ""
        fields = raw.split(b"\0")
        n = 0
        while n < len(fields):
            field = fields[n].lstrip(b"\n")
            if field.startswith(b"\x01"):
                email = os.fsdecode(field[1:]).strip().lower()
            elif field in (b"A", b"M", b"D", b"T") and n + 1 < len(fields):
                path = os.fsdecode(fields[n + 1])
                if path.startswith(self.prefix):
                    touched[path[len(self.prefix) :]].add(email)
                n += 1
            n += 1
        return dict(touched)


def link_id(blob: str) -> str:
    """What stands for a symbolic link among blob ids: never equal to a file's, even one
    holding the same bytes as the link's target, so that a change of type is a change."""
    return f"link:{blob}"


def _blob_id(f: FileRef) -> str:
    """The blob id git gives these bytes, without its filters (for the odd name that
    cannot be sent to `git hash-object` a line at a time); "" when unreadable."""
    try:
        data = f.read()
    except OSError:
        return ""
    return _sha1_blob(data)


def _sha1_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


class _Blobs:
    """The blobs of one listing, all read by one `git cat-file --batch` on the first
    read of any (the loader reads them all; one process and one pass are what is fast).

    Each is let go once read as often as it was asked for: the loader turns the bytes into
    records, and a hundred thousand files are not held twice for the rest of the run. One
    read again after that (to find the line of a problem) has them all read again, and
    kept: once, not a process per problem."""

    def __init__(self, top: str | None) -> None:
        self.top = top
        self.left: dict[str, int] = {}  # reads still expected of each blob
        self.data: dict[str, bytes] | None = None
        self.keep = False

    def reader(self, sha: str) -> Callable[[], bytes]:
        self.left[sha] = self.left.get(sha, 0) + 1
        return _Blob(self, sha)

    def read(self, sha: str) -> bytes:
        if self.data is None:
            self.data = self._read_all()
        found = self.data.get(sha)
        if found is None and not self.keep and self.left.get(sha) == 0:  # let go: again
            self.keep = True
            self.data = self._read_all()
            found = self.data.get(sha)
        if found is None:
            raise OSError(_("git has no object {sha}").format(sha=sha))
        if not self.keep:
            self.left[sha] -= 1
            if not self.left[sha]:
                del self.data[sha]
        return found

    def _read_all(self) -> dict[str, bytes]:
        wanted = list(self.left)
        out = subprocess.run(
            ["git", "cat-file", "--batch"],
            input="".join(f"{sha}\n" for sha in wanted).encode("ascii"),
            cwd=self.top,
            capture_output=True,
            check=False,
        )
        if out.returncode != 0:
            error = out.stderr.decode("utf-8", "replace").strip()
            raise GitError(
                _("git {command} failed: {error}").format(command="cat-file", error=error)
            )
        # One answer a line asked, in order: the keys are the strings already held.
        data: dict[str, bytes] = {}
        raw, at = out.stdout, 0
        for sha in wanted:
            end = raw.index(b"\n", at)
            found = raw[at:end].split()
            at = end + 1
            if len(found) != 3:  # "missing": a shallow or damaged repository
                continue
            data[sha] = raw[at : at + int(found[2])]
            at += int(found[2]) + 1  # the content, and the line break after it
        return data


class _Blob:
    """Reads one blob of `blobs` (a callable of its own: a hundred thousand of them)."""

    __slots__ = ("blobs", "sha")

    def __init__(self, blobs: _Blobs, sha: str) -> None:
        self.blobs = blobs
        self.sha = sha

    def __call__(self) -> bytes:
        return self.blobs.read(self.sha)


@dataclass(frozen=True)
class State:
    """What git says of some revisions, asked cheaply (no walk of its index):
    their commit ids, and `facts` naming all else of git's that a check or a table computed
    from them may depend on. `settled` is False while a file among the facts is too young
    for its stamp to vouch for it (see cofi.listing.racy): nothing may be memoised then."""

    commits: tuple[str, ...]
    facts: tuple[str, ...]
    settled: bool
    contents: str = ""
    """With `contents`: a digest of what the (first) revision holds under commons/ and
    ledger/, by object id: two commits holding the same ledger have the same."""


# What the git folder holds that can change an answer about revisions that did not change:
# the index (staged submodules, files git was told not to look at, whose stamps git trusts),
# a shallow clone's boundary (deepened, a merge base appears), grafts and replacements
# (other parents, other objects), the repository's own attributes.
_GIT_FILES = ("index", "shallow", "info/grafts", "info/attributes", "packed-refs", "refs/replace")


def state(
    root: Path,
    revs: Sequence[str],
    environment: Mapping[str, str],
    tree: Listing | None = None,
    contents: bool = False,
) -> State | None:
    """The `State` of `revs` in the repository holding the ledger at `root`, for git run
    in `environment` (the process's: git reads it); with `tree` (a walk of the working
    tree), also what says how git hashes the files on disk (its configuration and every
    attributes file that may apply). With `contents`, what the first revision holds. None
    when git cannot say (an unknown revision, no repository): the caller asks again the
    long way, which says why."""
    if any(not rev or rev.startswith("-") for rev in revs):
        return None  # never an option to git; the long way reads it as a name
    started = listing.clock()
    paths = [a for name in _GIT_FILES for a in ("--git-path", name)]
    asked = [
        _start(
            root, "rev-parse", "--show-toplevel", *paths, *(f"{r}^{{commit}}" for r in revs), "--"
        )
    ]
    asked.append(_start(root, "config", "--list", "-z"))
    outs = [_finish(p) for p in asked]
    if outs[0] is None or outs[1] is None:
        return None
    lines = os.fsdecode(outs[0]).split("\n")
    if len(lines) != 2 + len(_GIT_FILES) + len(revs) + 1 or lines[-2:] != ["--", ""]:
        return None
    top, files, commits = lines[0], lines[1 : 1 + len(_GIT_FILES)], lines[1 + len(_GIT_FILES) : -2]
    if not all(len(c) in (40, 64) and c.isalnum() for c in commits):
        return None
    config = outs[1]
    stamps = [(name, _stamp(root / path)) for name, path in zip(_GIT_FILES, files, strict=True)]
    if tree is not None:
        attributes = _attribute_files(root, top, config, environment)
        stamps += [(str(path), _stamp(path)) for path in attributes]
        stamps += [
            (path, (size, mtime, ctime, ino)) for path, size, mtime, ino, ctime in tree.attributes
        ]
    else:
        stamps = [(n, s) for n, s in stamps if n != "index" and n != "info/attributes"]
    # A link's target is not stamped (see cofi.listing): its attributes vouch for nothing.
    settled = all(
        s is None or (s[0] >= 0 and not listing.racy(s[1], s[2], started)) for _, s in stamps
    )
    variables = sorted((k, v) for k, v in environment.items() if k.startswith("GIT_"))
    facts = (
        f"commits={' '.join(commits)}",
        f"config={hashlib.blake2b(config, digest_size=16).hexdigest()}",
        f"environment={variables!r}",
        *(f"{name}={stamp!r}" for name, stamp in stamps),
    )
    held = ""
    if contents:
        out = _finish(_start(root, "ls-tree", "-z", commits[0], "--", *TOPS))
        if out is None:
            return None
        held = hashlib.blake2b(out, digest_size=16).hexdigest()
    return State(tuple(commits), facts, settled, held)


def _start(root: Path, *args: str) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            ["git", "--literal-pathspecs", *args],
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # no git, or no such folder
        return None


def _finish(process: subprocess.Popen[bytes] | None) -> bytes | None:
    if process is None:
        return None
    out, _ = process.communicate()
    return out if process.returncode == 0 else None


Stamp = tuple[int, int, int, int] | None


def _stamp(path: Path | str) -> Stamp:
    """(size, modification and status change times in ns, inode) of the file at `path`,
    through a link (what git reads), or None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _attribute_files(
    root: Path, top: str, config: bytes, environment: Mapping[str, str]
) -> list[Path]:
    """The attributes files outside the ledger's folders that may apply to its files: the
    `.gitattributes` of every folder from the repository's top down to `root`, the user's
    (core.attributesFile, else git's default place) and the system's."""
    here, top_path = Path(root).resolve(), Path(top)
    found = [here / ".gitattributes"]
    while here != top_path and here != here.parent:
        here = here.parent
        found.append(here / ".gitattributes")
    home = environment.get("HOME", "")
    settings = dict(entry.partition(b"\n")[::2] for entry in config.split(b"\0") if entry)
    user = os.fsdecode(settings.get(b"core.attributesfile", b""))
    if user:
        found.append(Path(home + user[1:] if user.startswith("~/") else user))
    else:
        xdg = environment.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        found.append(Path(xdg) / "git" / "attributes")
    if not environment.get("GIT_ATTR_NOSYSTEM"):
        found.append(Path("/etc/gitattributes"))
        if git := shutil.which("git", path=environment.get("PATH")):
            found.append(Path(git).resolve().parent.parent / "etc" / "gitattributes")
    return found
