"""`cofi check --base` says the same of a change whether it reads the working tree or
`--head REV` (SPEC §5): run both on every case of tests/test_git_rules.py and of
tests/test_git_trust.py, each committed on branch `pr` with a clean working tree.

Before "Plain files only", an entry replaced by a link to an identical copy passed on the
working tree (git hash-object follows links) and failed with `--head`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from gitrepo import GitRepo
from test_git_rules import (
    ADDITIONS,
    BASE,
    COORD,
    DISBURSEMENT,
    DOKOS,
    ETAT,
    GUARDED,
    HANGAR,
    MALLORY,
    NEW,
    NOREPLY,
    OLD,
    PAID,
    PROGRAMME,
    RUCHE,
    C,
    check,
    contribution,
)

ANNULE = C + "2026-04-01-annule.yaml"
COPY = "archive/copie.yaml"
PILOTE_2026 = "ledger/programmes/pilote-2026.yaml"
PILOTE_2027 = "ledger/programmes/pilote-2027.yaml"
RUCHE_FILE = "ledger/contributors/la-ruche.yaml"


def reversal(target: str, day: str = "2026-04-01") -> str:
    return f"date: {day}\nreverses: {target}\n"


def removed(path: str, email: str) -> Callable[[GitRepo], None]:
    def change(repo: GitRepo) -> None:
        repo.remove(path)
        repo.commit(email)

    return change


def moved(old: str, new: str, email: str) -> Callable[[GitRepo], None]:
    def change(repo: GitRepo) -> None:
        repo.rename(old, new)
        repo.commit(email)

    return change


def linked(path: str, target_text: str, email: str) -> Callable[[GitRepo], None]:
    """`path` becomes a link to a copy of `target_text` kept outside the ledger."""

    def change(repo: GitRepo) -> None:
        repo.write({COPY: target_text})
        repo.link(path, os.path.relpath(repo.path / COPY, (repo.path / path).parent))
        repo.commit(email)

    return change


def folder_linked(folder: str) -> Callable[[GitRepo], None]:
    def change(repo: GitRepo) -> None:
        repo.rename(folder, "archive/moved")
        repo.link(folder, os.path.relpath(repo.path / "archive/moved", (repo.path / folder).parent))
        repo.commit(COORD)

    return change


def submodule(repo: GitRepo) -> None:
    """Committed, not checked out: on disk an empty folder, as a clone leaves it."""
    repo.gitlink(C + "sous-module", repo.git("rev-parse", "main").strip())
    repo.git("commit", "-q", "-m", "submodule", email=COORD)
    (repo.path / C / "sous-module").mkdir()


def later_edit(repo: GitRepo) -> None:
    repo.commit(RUCHE, files={NEW: contribution(amount="500")})
    repo.commit(MALLORY, files={NEW: contribution(amount="50000")})


def merged_side(email: str) -> Callable[[GitRepo], None]:
    def change(repo: GitRepo) -> None:
        repo.branch("side", "main")
        repo.commit(email, files={NEW: contribution()})
        repo.checkout("pr")
        repo.merge("side", email=RUCHE if email == MALLORY else MALLORY)

    return change


def committed(email: str, files: dict[str, str]) -> Callable[[GitRepo], None]:
    return lambda repo: repo.commit(email, files=files) and None


CASES: dict[str, Callable[[GitRepo], None]] = {
    # who may add an entry (G003)
    "contribution by its contributor": committed(RUCHE, {NEW: contribution()}),
    "contribution by a coordinator": committed(COORD, {NEW: contribution()}),
    "contribution by another tiers-lieu": committed(HANGAR, {NEW: contribution()}),
    "contribution by a no-reply address": committed(NOREPLY, {NEW: contribution()}),
    "contribution with a login as email": committed("coord-login", {NEW: contribution()}),
    "reversal by its contributor": committed(RUCHE, {ANNULE: reversal(OLD.split("/")[-1][:-5])}),
    "reversal by another": committed(HANGAR, {ANNULE: reversal(OLD.split("/")[-1][:-5])}),
    "reversal of an unknown entry": committed(MALLORY, {ANNULE: reversal("2026-01-01-x")}),
    "reversal of itself": committed(RUCHE, {ANNULE: reversal("2026-04-01-annule")}),
    "reversals of each other": committed(
        RUCHE,
        {
            C + "2026-04-01-a.yaml": reversal("2026-04-02-b"),
            C + "2026-04-02-b.yaml": reversal("2026-04-01-a", "2026-04-02"),
        },
    ),
    "disbursement by the funder": committed(ETAT, {DISBURSEMENT: PAID}),
    "disbursement by another": committed(RUCHE, {DISBURSEMENT: PAID}),
    "a stranger's later edit": later_edit,
    "merged from a side branch": merged_side(RUCHE),
    "a stranger's merged side branch": merged_side(MALLORY),
    # entries are never changed (G001)
    "old entry edited": committed(COORD, {OLD: BASE[OLD].replace("1200", "1300")}),
    "old entry deleted": removed(OLD, RUCHE),
    "old entry renamed": moved(OLD, "ledger/contributions/2026-03-14-x.yaml", RUCHE),
    # records that need a coordinator (G004), programmes that started (G002)
    "additions by a stranger": committed(MALLORY, ADDITIONS),
    "additions by a coordinator": committed(COORD, ADDITIONS),
    "a common changed by its steward": committed(
        DOKOS, {"commons/dokos.yaml": BASE["commons/dokos.yaml"] + "url: x.org\n"}
    ),
    "a common changed by another": committed(
        RUCHE, {"commons/dokos.yaml": BASE["commons/dokos.yaml"] + "url: x.org\n"}
    ),
    "a contributor's own edit": committed(RUCHE, {RUCHE_FILE: BASE[RUCHE_FILE] + "region: X\n"}),
    "a contributor edited by another": committed(
        HANGAR, {RUCHE_FILE: BASE[RUCHE_FILE] + "region: X\n"}
    ),
    **{
        f"guarded {path}": committed(GUARDED[path][0], {path: GUARDED[path][3]}) for path in GUARDED
    },
    "settings and identities rewritten by a stranger": committed(
        MALLORY,
        {
            "ledger/settings.yaml": f"coordinators: [{COORD}, {MALLORY}]\n",
            RUCHE_FILE: BASE[RUCHE_FILE].replace("laruche]", f"laruche, {MALLORY}]"),
            NEW: contribution(),
        },
    ),
    "started programme modified": committed(
        COORD, {PILOTE_2026: PROGRAMME.format(year=2026).replace("100000", "5")}
    ),
    "started programme deleted": removed(PILOTE_2026, COORD),
    "programme not started, by the funder": committed(
        ETAT, {PILOTE_2027: PROGRAMME.format(year=2027).replace("100000", "5")}
    ),
    "programme not started, deleted by a coordinator": removed(PILOTE_2027, COORD),
    # late entries (G005, G006): checked as of 2027-02-10 below
    "late contribution": committed(RUCHE, {NEW: contribution()}),
    "late reversal": committed(
        RUCHE, {C + "2026-12-20-annule.yaml": reversal(OLD.split("/")[-1][:-5], "2026-12-20")}
    ),
    # plain files only (F006): see PLAIN_FILES_ONLY
    "an entry made a link to an identical copy": linked(OLD, BASE[OLD], MALLORY),
    "an entry added as a link": linked(NEW, contribution(), RUCHE),
    "a contributor made a link": linked(RUCHE_FILE, BASE[RUCHE_FILE], RUCHE),
    "the ledger folder made a link": folder_linked("ledger"),
    "commons made a link": folder_linked("commons"),
    "a year folder made a link": folder_linked("ledger/contributions/2026"),
    "a submodule": submodule,
}
PLAIN_FILES_ONLY = list(CASES)[list(CASES).index("an entry made a link to an identical copy") :]


@pytest.mark.parametrize("actor", [None, "laruche"], ids=["local", "actor"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_working_tree_and_head_say_the_same(tmp_path, case, actor):
    repo = GitRepo(tmp_path / "books")
    repo.commit(COORD, "base ledger", BASE)
    repo.branch("pr")
    CASES[case](repo)
    assert repo.git("status", "--porcelain", "--untracked-files=all") == ""
    as_of = "2027-02-10" if case.startswith("late") else "2026-11-28"
    args = ["--base", "main", *(["--actor", actor] if actor else [])]
    tree = check(repo, *args, as_of=as_of)
    head = check(repo, *args, "--head", "pr", as_of=as_of)
    assert (tree.exit_code, tree.stdout) == (head.exit_code, head.stdout)
    assert tree.exit_code in (0, 1), tree.output
    if case in PLAIN_FILES_ONLY:
        assert "F006" in tree.stdout
