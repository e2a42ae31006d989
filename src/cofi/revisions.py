"""Ledgers as they were at a git revision, and the checks of a pull request (SPEC §5)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from operator import itemgetter
from pathlib import Path

from cofi import gitrules
from cofi.checks import checked
from cofi.history import History, Tree
from cofi.kinds import KINDS, SETTINGS
from cofi.ledger import Ledger
from cofi.listing import LINK, NO_STAT, REPOSITORY, TOPS, Listing, walk
from cofi.loader import (
    FileRef,
    Loaded,
    RecordCache,
    classify,
    load,
    load_files,
    not_plain,
    select,
)
from cofi.problems import Problem


def load_at(root: Path, rev: str) -> Loaded:
    """The ledger at `root` as committed at `rev` (unchecked)."""
    history = History(root)
    return _load_tree(root, history.tree(history.resolve(rev)))


def _load_tree(root: Path, tree: Tree) -> Loaded:
    files, problems = _select(tree)
    return load_files(str(root), files, problems)


def _select(tree: Tree) -> tuple[list[FileRef], list[Problem]]:
    """The record files of a revision, and a problem for each file cofi would not read,
    links and submodules included (F006)."""
    files, problems = select(tree.files.values())
    return files, problems + [not_plain(path, what) for path, what in tree.others.items()]


def _shas(tree: Tree, files: list[FileRef]) -> dict[str, str]:
    """The blob ids of the record files, and of the links: a file made a link has changed."""
    links = {path: tree.shas[path] for path, what in tree.others.items() if what == "link"}
    return {**{f.path: tree.shas[f.path] for f in files}, **links}


def validate_at(root: Path, rev: str, today: date) -> Loaded:
    """The ledger at revision `rev`, checked."""
    return checked(load_at(root, rev), today)


def validate_change(
    root: Path, today: date, base: str, head: str | None = None, actor: str | None = None
) -> Loaded:
    """The ledger of `head` (default: the working tree) checked, plus the git rules
    against `base`: append-only history and who may add what.

    The change is what head did since it forked from base (their merge base), so a
    branch behind base is not blamed for what base gained since; who may do what
    is read from base itself, the branch the change is to land on.
    """
    if head is None:
        return check_working_change(root, today, base, walk(root), None, actor)
    return check_revision_change(root, today, base, head, actor)


def check_revision_change(
    root: Path,
    today: date,
    base: str,
    head: str,
    actor: str | None,
    commits: tuple[str, str] | None = None,
) -> Loaded:
    """`validate_change` of revision `head`; `commits` as in `plan_change`. Its tree is
    listed once, for the load and for the plan (its links, submodules and blob ids)."""
    history = History(root)
    base_rev = commits[0] if commits else history.resolve(base)
    head_rev = commits[1] if commits else history.resolve(head)
    tree = history.subtree(head_rev, list(TOPS))
    plan = plan_change(root, base, head, None, (base_rev, head_rev), tree)
    files, problems = _select(tree)
    del tree  # the copies `_select` made are what the load reads
    return check_planned(plan, load_files(str(root), files, problems), today, actor)


def check_working_change(
    root: Path,
    today: date,
    base: str,
    listing: Listing,
    cache: RecordCache | None,
    actor: str | None,
    commits: tuple[str, str] | None = None,
) -> Loaded:
    """`validate_change` of the working tree as `listing` found it, read through `cache`.

    Git's share (its processes go through the index and the diff), then the load: one
    after the other. Run in a thread beside the load, git's share cost more than it
    saved, each of the load's 100,000 reads giving the interpreter's lock to the other
    thread and waiting to get it back (at 100,000: 3.42 s one after the other, 3.65 to
    4.36 s in a thread, against 3.08 s for `cofi check`)."""
    plan = plan_change(root, base, None, listing, commits)
    head = load_working_tree(root, listing, cache)
    return check_planned(plan, head, today, actor)


@dataclass(frozen=True)
class Plan:
    """What git says of a pull request, found without reading the files it left alone:
    the changes from the fork point to head (default: the working tree), who authored
    them, and head's links and submodules. `key()` names it all, for a memo."""

    history: History
    base: str
    base_rev: str
    head_rev: str | None
    fork: str
    changes: list[gitrules.Change]
    authors: dict[str, set[str]]
    not_plain: list[str]
    problems: list[Problem]
    """F006 for the submodules that are staged but not checked out (the walk sees an
    empty folder); the head's other problems come with its load."""
    listing: Listing | None

    def key(self) -> tuple[str, ...]:
        return (
            self.base,
            self.base_rev,
            self.head_rev or "working tree",
            self.fork,
            repr([(c.path, c.status, c.old_path) for c in self.changes]),
            repr(sorted((p, sorted(e)) for p, e in self.authors.items())),
            repr(sorted(self.not_plain)),
        )


def plan_change(
    root: Path,
    base: str,
    head: str | None = None,
    listing: Listing | None = None,
    commits: tuple[str, str] | None = None,
    head_tree: Tree | None = None,
) -> Plan:
    """The git facts of the change from `base` to `head` (default: the working tree, as
    `listing` found it, else as a new walk finds it); `commits`, when given, are the
    commit ids of `base` and of `head` (or HEAD) as git already named them (a memo keys
    on them: the plan must be of those very commits, even if a branch moved since).
    `head_tree`, when given, is the whole tree of `head`, already listed.

    Only the paths git reports as changed since the fork point are compared, by blob id
    (a file's, or a link's `link_id`: a change of type is a change); the unchanged ones
    are neither hashed on disk nor read at the base.
    """
    history = History(root)
    base_rev = commits[0] if commits else history.resolve(base)
    problems: list[Problem] = []
    if head is None:
        listing = listing or walk(root)
        head_rev = commits[1] if commits else history.resolve("HEAD")
        fork = history.merge_base(base_rev, head_rev)
        # Path -> size of everything the walk found: made at C's pace (100,000 entries).
        sizes = dict(map(itemgetter(0, 1), listing.found))
        changed = history.changed(fork, None, sizes.keys())
        on_disk = {path: sizes[path] for path in sorted(changed) if path in sizes}
        files = [
            FileRef(path, max(size, 0), partial(_read, root, path))
            for path, size in on_disk.items()
            if (size >= 0 or size == NO_STAT) and isinstance(classify(path), str)
        ]
        links = [path for path, size in on_disk.items() if size == LINK]
        head_shas = {**history.working_tree(files), **history.working_links(links)}
        not_plain_paths = [path for path, size in sizes.items() if size in (LINK, REPOSITORY)]
        for path in history.staged_submodules():
            if path not in not_plain_paths:  # not checked out: an empty folder on disk
                problems.append(not_plain(path, "repository"))
                not_plain_paths.append(path)
    else:
        head_rev = commits[1] if commits else history.resolve(head)
        fork = history.merge_base(base_rev, head_rev)
        changed = history.changed(fork, head_rev)
        tree = head_tree or history.subtree(head_rev, sorted(changed))
        head_shas = _changed_shas(tree, changed)
        not_plain_paths = list(head_tree.others) if head_tree else history.not_plain(head_rev)
    fork_shas = _changed_shas(history.subtree(fork, sorted(changed)), changed)
    return Plan(
        history,
        base,
        base_rev,
        None if head is None else head_rev,
        fork,
        gitrules.diff(fork_shas, head_shas),
        history.authors(fork, head_rev),
        not_plain_paths,
        problems,
        listing if head is None else None,
    )


def _changed_shas(tree: Tree, changed: set[str]) -> dict[str, str]:
    """The blob ids of the record files and links of `tree` among `changed`."""
    files, _ = select(f for path, f in tree.files.items() if path in changed)
    return {p: sha for p, sha in _shas(tree, files).items() if p in changed}


def load_working_tree(root: Path, listing: Listing | None, cache: RecordCache | None) -> Loaded:
    """The ledger on disk as `listing` found it (unchecked), read through `cache`."""
    loaded = load(root, cache, None, listing)
    if cache is not None:
        cache.save()
    return loaded


def check_planned(plan: Plan, head: Loaded, today: date, actor: str | None) -> Loaded:
    """`head` (loaded, unchecked) checked as of `today`, plus the git rules of the plan,
    with `actor`'s login alone vouching when given."""
    review = gitrules.Review(
        base=_rules_base(plan),
        head=head.ledger,
        changes=plan.changes,
        authors=plan.authors,
        actor=actor,
        today=today,
        base_rev=plan.base,
        not_plain=frozenset(plan.not_plain),
    )
    return checked(
        replace(head, problems=head.problems + plan.problems), today, gitrules.run(review)
    )


def _rules_base(plan: Plan) -> Ledger:
    """The records of the base revision that the rules consult: the settings, the
    contributors, commons and programmes, and what the change touched. The entries it
    left alone are not read: no rule looks at them."""
    touched = {c.old_path or c.path for c in plan.changes}
    wanted = [SETTINGS, *(k.folder for k in KINDS if not k.entry)]
    tree = plan.history.subtree(plan.base_rev, wanted + sorted(touched - set(wanted)))
    files, _ = select(tree.files.values())
    return load_files(str(plan.history.root), files, []).ledger


def _read(root: Path, path: str) -> bytes:
    return (root / path).read_bytes()
