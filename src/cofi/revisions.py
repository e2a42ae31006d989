"""Ledgers as they were at a git revision, and the checks of a pull request (SPEC §5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cofi import gitrules
from cofi.checks import checked
from cofi.history import History, Tree
from cofi.listing import LINK, REPOSITORY, walk
from cofi.loader import FileRef, Loaded, discover, load_files, not_plain, select
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


def _records(history: History, rev: str) -> tuple[list[FileRef], dict[str, str]]:
    """The record files of commit `rev`, and their blob ids (and the links')."""
    tree = history.tree(rev)
    files, _ = select(tree.files.values())
    return files, _shas(tree, files)


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
    history = History(root)
    base_rev = history.resolve(base)
    if head is None:
        listing = walk(root)
        head_files, problems = discover(root, listing)
        links = [path for path, size, *_ in listing.found if size == LINK]
        head_shas = {**history.working_tree(head_files), **history.working_links(links)}
        not_plain_paths = [path for path, size, *_ in listing.found if size in (LINK, REPOSITORY)]
        for path in history.staged_submodules():
            if path not in not_plain_paths:  # not checked out: an empty folder on disk
                problems.append(not_plain(path, "repository"))
                not_plain_paths.append(path)
        head_rev = history.resolve("HEAD")
    else:
        head_rev = history.resolve(head)
        head_tree = history.tree(head_rev)
        head_files, problems = _select(head_tree)
        head_shas = _shas(head_tree, head_files)
        not_plain_paths = list(head_tree.others)
    loaded = load_files(str(root), head_files, problems)
    fork = history.merge_base(base_rev, head_rev)
    fork_files, fork_shas = _records(history, fork)
    # Usually the branch forked from base's tip: then base is the fork, read once.
    base_files = fork_files if fork == base_rev else _records(history, base_rev)[0]
    review = gitrules.Review(
        base=load_files(str(root), base_files, []).ledger,
        head=loaded.ledger,
        changes=gitrules.diff(fork_shas, head_shas),
        authors=history.authors(fork, head_rev),
        actor=actor,
        today=today,
        base_rev=base,
        not_plain=frozenset(not_plain_paths),
    )
    return checked(loaded, today, gitrules.run(review))
