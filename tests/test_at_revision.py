"""`--at REV`: a statement computed from the ledger as committed, which an auditor can
reproduce later whatever was committed or edited since.

The ledger: programme pilote-2026 (État, 1:1, pro-rata, envelope 1,000). In June,
La Ruche's 300 is the only contribution: matched 300. By November, Le Hangar gave
900 (bases 1,200 > 1,000: everything scaled by 1000/1200, so 250 + 750) and the
State paid 200.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from conftest import base_ledger, write_ledger
from gitrepo import GitRepo

C = "ledger/contributions/2026/"
JUNE = base_ledger(
    {
        "ledger/contributors/le-hangar.yaml": "name: Le Hangar\nkind: tiers-lieu\n",
        C + "2026-03-14-la-ruche-dokos.yaml": """
            date: 2026-03-14
            contributor: la-ruche
            common: dokos
            amount: 300
            """,
    },
    envelope="1000",
)
NOVEMBER = {
    C + "2026-05-02-le-hangar-dokos.yaml": """
        date: 2026-05-02
        contributor: le-hangar
        common: dokos
        amount: 900
        """,
    "ledger/disbursements/2026/etat-dokos-1.yaml": """
        date: 2026-10-01
        programme: pilote-2026
        common: dokos
        amount: 200
        """,
}
HEADER = "programme,common,debtor,contributed,matched,paid,unmet,due,overdue,provisional\n"
JUNE_CSV = HEADER + "pilote-2026,dokos,etat,300.00,300.00,0.00,300.00,2027-03-01,false,true\n"
NOVEMBER_CSV = (
    HEADER + "pilote-2026,dokos,etat,1200.00,1000.00,200.00,800.00,2027-03-01,false,true\n"
)


def cofi(repo: GitRepo, *args: str):
    return CliRunner().invoke(
        app, [*args, "--root", str(repo.path), "--as-of", "2026-11-28", "--format", "csv"]
    )


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo(tmp_path / "books")


def test_a_statement_at_a_revision_is_reproduced_after_later_commits_and_edits(repo):
    june = repo.commit("coordination@reseau.example", "juin", JUNE)
    repo.git("tag", "statement-june")
    then = cofi(repo, "match")
    then_by_contribution = cofi(repo, "match", "--by", "contribution")
    assert then.stdout == JUNE_CSV

    repo.commit("coordination@reseau.example", "novembre", NOVEMBER)
    repo.write(
        {
            C + "2026-06-01-la-ruche-dokos.yaml": "date: 2026-06-01\ncontributor: la-ruche\n"
            "common: dokos\namount: 500\n"
        }
    )  # not committed
    for rev in (june, "statement-june", "main~1"):
        now = cofi(repo, "match", "--at", rev)
        assert (now.exit_code, now.stdout) == (0, then.stdout)
    assert cofi(repo, "match", "--by", "contribution", "--at", june).stdout == (
        then_by_contribution.stdout
    )
    assert "2026-03-14-la-ruche-dokos" in then_by_contribution.stdout


def test_each_revision_gives_its_own_figures(repo):
    repo.commit("coordination@reseau.example", "juin", JUNE)
    repo.commit("coordination@reseau.example", "novembre", NOVEMBER)
    repo.write(
        {
            C + "2026-06-01-la-ruche-dokos.yaml": "date: 2026-06-01\ncontributor: la-ruche\n"
            "common: dokos\namount: 500\n"
        }
    )
    assert cofi(repo, "match", "--at", "main").stdout == NOVEMBER_CSV
    # The working tree adds 500: bases 1,700 scaled by 1000/1700, each floored to the cent:
    # 300 -> 176.47, 900 -> 529.41, 500 -> 294.11; 999.99 in all.
    assert cofi(repo, "match").stdout == (
        HEADER + "pilote-2026,dokos,etat,1700.00,999.99,200.00,799.99,2027-03-01,false,true\n"
    )


def test_a_broken_uncommitted_file_does_not_stop_a_statement_at_a_revision(repo):
    repo.commit("coordination@reseau.example", "juin", JUNE)
    repo.write({C + "2026-07-01-brouillon.yaml": "date: 2026-07-01\namount: 1 200\n"})
    assert cofi(repo, "match").exit_code == 1
    assert cofi(repo, "match", "--at", "HEAD").stdout == JUNE_CSV


def test_an_unknown_revision_cannot_run(repo):
    repo.commit("coordination@reseau.example", "juin", JUNE)
    result = cofi(repo, "match", "--at", "v9.9")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown revision 'v9.9'" in result.stderr


def test_at_outside_a_git_repository_cannot_run(tmp_path):
    root = write_ledger(tmp_path / "plain", JUNE)
    result = CliRunner().invoke(app, ["match", "--root", str(root), "--at", "HEAD"])
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr


def test_a_revision_without_a_ledger_is_refused_not_an_empty_table(tmp_path):
    """`--at` on a commit from before the ledger existed: exit 2 and say so, rather than an
    empty table that reads as "nothing is owed"."""
    repo = GitRepo(tmp_path / "books")
    repo.commit("coord@example.org", "readme only", {"README.md": "# books\n"})
    first = repo.git("rev-parse", "HEAD").strip()
    repo.commit(
        "coord@example.org",
        "the ledger",
        {"ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n"},
    )
    result = CliRunner().invoke(app, ["match", "--root", str(repo.path), "--at", first])
    assert result.exit_code == 2
    assert f"revision '{first}' holds no ledger" in result.stderr
    assert result.stdout == ""


def test_each_file_of_a_revision_reads_its_bytes_again_and_again(repo):
    """The blobs are let go once read (issue 14: memory at 100,000 files): a file read
    again, or another holding the same bytes, still reads them; a missing one is an
    OSError (read as F003), not a wrong file."""
    from cofi.history import History

    same = "name: Same\nkind: tiers-lieu\n"
    repo.write({"ledger/contributors/a.yaml": same, "ledger/contributors/b.yaml": same})
    repo.write({"ledger/contributors/c.yaml": "name: C\nkind: public\n"})
    repo.commit("a@example.org")
    history = History(repo.path)
    tree = history.tree(history.resolve("HEAD"))
    a, b, c = (tree.files[f"ledger/contributors/{n}.yaml"] for n in "abc")
    assert (a.read(), b.read(), a.read()) == (same.encode(),) * 3
    assert (c.read(), c.read()) == (b"name: C\nkind: public\n",) * 2
    missing = history.subtree(history.resolve("HEAD"), ["ledger"])
    gone = next(iter(missing.files.values()))
    blobs = gone.read.blobs  # type: ignore[attr-defined]
    blobs.left["0" * 40] = 1
    with pytest.raises(OSError, match="0000000000"):
        blobs.read("0" * 40)
