"""`cofi check --base` at scale (issue 14): git says which paths changed, and only those are
hashed and compared. Held here to the plain way (every file hashed, both trees compared
whole) on every case of test_git_modes_agree, with uncommitted edits on top; and the
memos of --base, --head and --at served only while nothing they depend on changed."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cofi import gitrules, revisions
from cofi.cli import app
from cofi.history import GitError, History
from cofi.listing import LINK, walk
from cofi.loader import discover, select
from gitrepo import GitRepo
from test_git_modes_agree import CASES
from test_git_rules import BASE, COORD, MALLORY, NEW, OLD, RUCHE, C, contribution


def every_file_compared(repo: GitRepo, base: str) -> list[gitrules.Change]:
    """The changes the plain way: every file on disk hashed, the fork's whole tree listed."""
    history = History(repo.path)
    listing = walk(repo.path)
    files, _ = discover(repo.path, listing)
    links = [path for path, size, *_ in listing.found if size == LINK]
    head = {**history.working_tree(files), **history.working_links(links)}
    fork = history.merge_base(history.resolve(base), history.resolve("HEAD"))
    tree = history.tree(fork)
    fork_files, _ = select(tree.files.values())
    return gitrules.diff(revisions._shas(tree, fork_files), head)


def uncommitted(repo: GitRepo) -> None:
    """Edits left in the working tree: untracked, ignored, modified, deleted, staged (not
    through a folder made a link: they would land wherever it points)."""
    if any((repo.path / f).is_symlink() for f in ("ledger", "commons", C.rstrip("/"))):
        repo.write({".gitignore": "x\n"})
        return
    repo.write({".gitignore": "ledger/contributions/ignored-*\n"})
    repo.write({C + "2026-05-01-untracked.yaml": contribution()})
    repo.write({C + "ignored-2026-05-02.yaml": contribution()})
    repo.write({"commons/dokos.yaml": BASE["commons/dokos.yaml"] + "url: y.org\n"})
    repo.write({"ledger/contributions/README.md": "notes\n"})
    if (repo.path / OLD).is_file() and not (repo.path / OLD).is_symlink():
        repo.remove(OLD)
    repo.write({C + "2026-05-03-staged.yaml": contribution()})
    repo.git("add", C + "2026-05-03-staged.yaml")


@pytest.mark.parametrize("dirty", [False, True], ids=["committed", "uncommitted"])
@pytest.mark.parametrize("case", list(CASES))
def test_only_what_git_says_changed_is_compared(tmp_path, case, dirty):
    repo = GitRepo(tmp_path / "books")
    repo.commit(COORD, "base ledger", BASE)
    repo.branch("pr")
    CASES[case](repo)
    if dirty:
        uncommitted(repo)
    plan = revisions.plan_change(repo.path, "main")
    assert plan.changes == every_file_compared(repo, "main")
    head = revisions.plan_change(repo.path, "main", "pr")
    if not dirty:
        assert head.changes == plan.changes


def run(repo: GitRepo, *args: str):
    return CliRunner().invoke(
        app, ["check", "--root", str(repo.path), "--as-of", "2026-11-28", *args]
    )


@pytest.fixture
def settled(monkeypatch):
    """Every file old enough to be memoised (see cofi.listing.RACY_NS)."""
    import cofi.listing

    clock = cofi.listing.clock
    monkeypatch.setattr(cofi.listing, "clock", lambda: clock() + 10 * cofi.listing.RACY_NS)


def test_a_second_check_base_is_served_until_something_changes(tmp_path, monkeypatch, settled):
    repo = GitRepo(tmp_path / "books")
    repo.commit(COORD, "base ledger", BASE)
    repo.branch("pr")
    repo.commit(MALLORY, files={NEW: contribution()})
    first = run(repo, "--base", "main")
    assert first.exit_code == 1 and "G003" in first.stdout
    loads = []
    real = revisions.check_planned
    monkeypatch.setattr(revisions, "check_planned", lambda *a: loads.append(1) or real(*a))
    assert run(repo, "--base", "main").stdout == first.stdout
    assert loads == []  # served
    assert run(repo, "--base", "main", "--actor", "laruche").exit_code == 0
    assert loads == [1]  # another actor: computed
    repo.commit(RUCHE, files={NEW: contribution(amount="501")})
    assert "G003" in run(repo, "--base", "main").stdout  # a new HEAD: the same file's authors
    assert loads == [1, 1]
    repo.commit(COORD, files={NEW: contribution()})  # back to the first content, new commit
    assert "G003" in run(repo, "--base", "main").stdout
    assert loads == [1, 1, 1]


def test_a_second_head_or_at_run_of_the_same_tree_is_served(tmp_path, monkeypatch):
    repo = GitRepo(tmp_path / "books")
    repo.commit(COORD, "base ledger", BASE)
    repo.branch("pr")
    repo.commit(MALLORY, files={NEW: contribution()})
    first = run(repo, "--base", "main", "--head", "pr")
    assert "G003" in first.stdout
    monkeypatch.setattr(revisions, "check_planned", lambda *a: pytest.fail("not served"))
    assert run(repo, "--base", "main", "--head", "pr").stdout == first.stdout
    args = ["match", "--root", str(repo.path), "--as-of", "2026-11-28", "--format", "csv"]
    at = CliRunner().invoke(app, [*args, "--at", "main"])
    assert at.exit_code == 0, at.output
    import cofi.api

    monkeypatch.setattr(cofi.api, "check_at", lambda *a: pytest.fail("not served"))
    assert CliRunner().invoke(app, [*args, "--at", "main"]).stdout == at.stdout
    repo.git("checkout", "-q", "main")
    repo.git("tag", "same-tree")
    assert CliRunner().invoke(app, [*args, "--at", "same-tree"]).stdout == at.stdout


def test_files_git_was_told_to_ignore_are_compared_all_the_same(tmp_path):
    """`git update-index --assume-unchanged` or `--skip-worktree` hide a file's edits from
    `git diff`: an edited or deleted entry must still be seen (G001)."""
    repo = GitRepo(tmp_path / "books")
    repo.commit(COORD, "base ledger", BASE)
    repo.branch("pr")
    repo.git("update-index", "--assume-unchanged", OLD)
    repo.write({OLD: BASE[OLD].replace("1200", "1300")})
    hidden = "ledger/contributors/le-hangar.yaml"
    repo.git("update-index", "--skip-worktree", hidden)
    repo.remove(hidden)
    plan = revisions.plan_change(repo.path, "main")
    assert plan.changes == every_file_compared(repo, "main")
    assert {(c.path, c.status) for c in plan.changes} == {(OLD, "modified"), (hidden, "deleted")}


def test_a_branch_with_no_common_history_forks_from_the_base_itself(tmp_path):
    """Without a common ancestor (an orphan branch), the change is all head has that the
    base has not: the fork point is the base."""
    repo = GitRepo(tmp_path / "books")
    base = repo.commit(COORD, "base ledger", BASE)
    repo.git("checkout", "-q", "--orphan", "elsewhere")
    head = repo.commit(COORD, "another ledger", {NEW: contribution()})
    history = History(repo.path)
    assert history.merge_base(base, head) == base
    assert history.merge_base(base, base) == base
    with pytest.raises(GitError, match="merge-base"):
        history.merge_base(base, "0" * 40)


@pytest.mark.parametrize("rev", ["--output=x", "-h", "main extra", "main\nHEAD", " "])
def test_a_revision_that_looks_like_an_option_is_only_an_unknown_name(tmp_path, rev):
    """Names go to git on its standard input, never among its arguments."""
    repo = GitRepo(tmp_path / "books")
    main = repo.commit(COORD, "base ledger", BASE)
    history = History(repo.path)
    assert history.resolve("main") == main
    assert history.tree_id("main") == repo.git("rev-parse", "main^{tree}").strip()
    with pytest.raises(GitError, match="unknown revision"):
        history.resolve(rev)
    result = run(repo, f"--base={rev}")
    assert result.exit_code == 2 and "unknown revision" in result.stderr
    assert not (repo.path / "x").exists()
