"""A served `cofi check --base`, `--head` or `match --at` says what a cold run says (issue 14).

Their memos are looked up from what two short git processes say (cofi.history.state), not
from the change worked out anew: every test has a run served (a spy shows that nothing
was loaded), then changes only git's side of things (a commit, a moved tag, the index,
git's configuration, an attributes file, a replaced commit), and wants the next run to
find the problem a `--no-cache` run finds.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cofi import revisions
from cofi.cli import app
from gitrepo import GitRepo
from test_git_rules import BASE, COORD, MALLORY, NEW, OLD, RUCHE, contribution

AS_OF = "2026-11-28"


@pytest.fixture(autouse=True)
def settled(monkeypatch):
    """Every file old enough to be memoised, git's own included (see cofi.listing.RACY_NS)."""
    import cofi.listing

    clock = cofi.listing.clock
    monkeypatch.setattr(cofi.listing, "clock", lambda: clock() + 10 * cofi.listing.RACY_NS)


@pytest.fixture
def loads(monkeypatch) -> list[int]:
    """One item per report `check --base` worked out: none when the memo served."""
    seen: list[int] = []
    real = revisions.check_planned
    monkeypatch.setattr(revisions, "check_planned", lambda *a: seen.append(1) or real(*a))
    return seen


def check(repo: GitRepo, *args: str):
    return CliRunner().invoke(app, ["check", "--root", str(repo.path), "--as-of", AS_OF, *args])


def served_then_failing(repo: GitRepo, loads: list[int], change, code: str, *args: str) -> None:
    """`check *args` passes, is served the second time, and after `change()` fails with
    `code` exactly as a run without the cache does."""
    first = check(repo, *args)
    assert first.exit_code == 0, first.output
    before = len(loads)
    assert check(repo, *args).stdout == first.stdout
    assert len(loads) == before, "the second run was not served: the test would prove nothing"
    change()
    warm = check(repo, *args)
    cold = check(repo, *args, "--no-cache")
    assert code in cold.stdout, cold.output
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)


def test_a_commit_amended_by_someone_else_is_not_served(repo, loads):
    repo.commit(COORD, files={NEW: contribution()})

    def amend() -> None:
        repo.git("commit", "-q", "--amend", "--no-edit", "--reset-author", email=MALLORY)

    served_then_failing(repo, loads, amend, "G003", "--base", "main")


def test_a_base_moved_to_where_the_author_is_nobody_is_not_served(repo, loads):
    """Only a tag moves: the files, the index and HEAD are as they were."""
    repo.branch("strict", "main")
    strict = BASE["ledger/contributors/la-ruche.yaml"].replace(f"{RUCHE}, ", "")
    repo.commit(COORD, files={"ledger/contributors/la-ruche.yaml": strict})
    repo.checkout("pr")
    repo.commit(RUCHE, files={NEW: contribution()})
    repo.git("tag", "base", "main")

    def move() -> None:
        repo.git("tag", "-f", "base", "strict")

    served_then_failing(repo, loads, move, "G003", "--base", "base")


def crlf(repo: GitRepo) -> None:
    """The old entry with CRLF line ends on disk: changed for git unless told to convert."""
    (repo.path / OLD).write_bytes(BASE[OLD].replace("\n", "\r\n").encode())


def test_git_configured_not_to_convert_line_ends_any_more_is_not_served(repo, loads):
    repo.git("config", "core.autocrlf", "true")
    crlf(repo)

    def convert_no_more() -> None:
        repo.git("config", "core.autocrlf", "false")

    served_then_failing(repo, loads, convert_no_more, "G001", "--base", "main")


def test_git_told_by_the_environment_not_to_convert_any_more_is_not_served(
    repo, loads, monkeypatch
):
    """Configuration passed in GIT_CONFIG_* variables, as CI runners do."""
    for name, value in {"COUNT": "1", "KEY_0": "core.autocrlf", "VALUE_0": "true"}.items():
        monkeypatch.setenv(f"GIT_CONFIG_{name}", value)
    crlf(repo)

    def convert_no_more() -> None:
        monkeypatch.setenv("GIT_CONFIG_VALUE_0", "false")

    served_then_failing(repo, loads, convert_no_more, "G001", "--base", "main")


@pytest.mark.parametrize(
    "where",
    [
        "ledger/contributions/2026/.gitattributes",  # beside the file, in the walk's folders
        ".gitattributes",  # at the ledger's root
        ".git/info/attributes",  # the repository's own
    ],
)
def test_an_attributes_file_gone_is_not_served(repo, loads, where):
    (repo.path / where).write_text("*.yaml text\n")
    crlf(repo)

    def remove() -> None:
        (repo.path / where).unlink()

    served_then_failing(repo, loads, remove, "G001", "--base", "main")


def test_a_submodule_staged_only_in_the_index_is_not_served(repo, loads):
    def stage() -> None:
        repo.gitlink("commons/vendored", repo.git("rev-parse", "HEAD").strip())

    served_then_failing(repo, loads, stage, "F006", "--base", "main")


def test_a_head_commit_replaced_by_one_of_someone_else_is_not_served(repo, loads):
    """`git replace` changes what a commit id stands for: its author here."""
    repo.commit(COORD, files={NEW: contribution()})
    tree = repo.git("rev-parse", "pr^{tree}").strip()
    parent = repo.git("rev-parse", "pr~1").strip()
    forged = repo.git("commit-tree", tree, "-p", parent, "-m", "same files", email=MALLORY)

    def replace() -> None:
        repo.git("replace", repo.git("rev-parse", "pr").strip(), forged.strip())

    served_then_failing(repo, loads, replace, "G003", "--base", "main", "--head", "pr")


def test_at_serves_another_commit_of_the_same_ledger_and_names_it(repo, monkeypatch):
    repo.checkout("main")
    args = ["match", "--root", str(repo.path), "--as-of", AS_OF, "--format", "csv"]
    first = CliRunner().invoke(app, [*args, "--at", "main"])
    assert first.exit_code == 0, first.output
    readme = repo.commit(COORD, files={"README.md": "outside the ledger\n"})
    import cofi.api

    real = cofi.api.check_at
    monkeypatch.setattr(cofi.api, "check_at", lambda *a: pytest.fail("not served"))
    again = CliRunner().invoke(app, [*args, "--at", "main"])
    assert again.exit_code == 0, again.output
    assert f"from revision {readme}" in again.stderr
    assert again.stdout == first.stdout
    monkeypatch.setattr(cofi.api, "check_at", real)
    repo.commit(COORD, files={NEW: contribution()})
    changed = CliRunner().invoke(app, [*args, "--at", "main"])
    cold = CliRunner().invoke(app, [*args, "--at", "main", "--no-cache"])
    assert changed.stdout == cold.stdout != first.stdout
