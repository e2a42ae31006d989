"""Who may confirm a contribution (SPEC §5): a receipt is added by a steward of the
contribution's common, or a coordinator; never by the contributor itself or a stranger.
Run on a real git repository through the real `cofi check --base`.
"""

from __future__ import annotations

from gitrepo import GitRepo
from test_git_rules import BASE, COORD, DOKOS, OLD, PROGRAMME, RUCHE, assert_ok, check, problems

RECEIPT = "ledger/receipts/2026/r-old.yaml"
GIVE = "ledger/contributions/2026/2026-06-01-la-ruche-movilab.yaml"  # movilab: no steward


def receipt(contribution: str = "2026-03-14-la-ruche-dokos", day: str = "2026-03-20") -> str:
    return f"date: {day}\ncontribution: {contribution}\n"


def not_a_steward(who: str) -> str:
    return (
        "G003 this receipt speaks for the stewards of the common (dokos-sas) but was added by "
        f"{who}, who is neither an identity of theirs nor a coordinator"
    )


def test_the_contributor_cannot_confirm_its_own_gift(repo):
    repo.commit(RUCHE, files={RECEIPT: receipt()})
    result = check(repo, "--base", "main", "--actor", "laruche")
    assert result.exit_code == 1
    # `contribution:` is line 2, its value at column 15
    assert problems(result) == [(f"{RECEIPT}:2:15", not_a_steward("laruche"))]


def test_a_steward_or_a_coordinator_may_confirm(repo):
    repo.commit(DOKOS, files={RECEIPT: receipt()})
    assert_ok(check(repo, "--base", "main"))  # dokos-sas's email, a local run
    assert_ok(check(repo, "--base", "main", "--actor", "coord-login"))


def test_a_stranger_cannot_cancel_a_confirmation(repo):
    repo.git("checkout", "-q", "main")
    repo.commit(DOKOS, files={RECEIPT: receipt()})
    repo.git("checkout", "-q", "-B", "pr")
    undo = "ledger/receipts/2026/r-old-annule.yaml"
    repo.commit(RUCHE, files={undo: "date: 2026-04-01\nreverses: r-old\n"})
    result = check(repo, "--base", "main", "--actor", "laruche")
    assert problems(result) == [(f"{undo}:2:11", not_a_steward("laruche"))]


def test_a_common_without_steward_is_confirmed_by_a_coordinator_only(repo):
    repo.commit(
        RUCHE,
        files={
            GIVE: "date: 2026-06-01\ncontributor: la-ruche\ncommon: movilab\namount: 500\n",
            RECEIPT: receipt("2026-06-01-la-ruche-movilab", "2026-06-02"),
        },
    )
    result = check(repo, "--base", "main", "--actor", "laruche")
    assert problems(result) == [
        (
            f"{RECEIPT}:2:15",
            "G003 this receipt confirms a contribution to a common that has no steward, so only "
            "a coordinator may add it; it was added by laruche",
        )
    ]
    assert_ok(check(repo, "--base", "main", "--actor", "coord-login"))


def test_a_receipt_that_changes_a_closed_programme_is_a_warning(tmp_path):
    repo = GitRepo(tmp_path / "books")
    closed = PROGRAMME.format(year=2026).rstrip(" ") + "    requires_receipt: true\n"
    repo.commit(COORD, "base ledger", {**BASE, "ledger/programmes/pilote-2026.yaml": closed})
    repo.branch("pr")
    # pilote-2026 ended 2026-12-31; the receipt, added on 2027-02-01, is dated within it.
    repo.commit(DOKOS, files={RECEIPT: receipt(day="2026-12-20")})
    result = check(repo, "--base", "main", as_of="2027-02-01")
    assert result.exit_code == 0
    assert problems(result) == [
        (
            f"{RECEIPT}:1:7",
            "G007 warning: this receipt confirms a contribution for programme 'pilote-2026', "
            "which ended on 2026-12-31: adding it now changes figures already stated",
        )
    ]
    # Dated after the end, it does not count for pilote-2026: nothing to warn of.
    repo.commit(DOKOS, files={RECEIPT: receipt(day="2027-01-05")})
    assert_ok(check(repo, "--base", "main", as_of="2027-02-01"))


def test_g003_uses_the_stewards_the_base_knew(repo):
    # The pull request makes la-ruche a steward of dokos and confirms in the same change.
    repo.commit(
        RUCHE,
        files={"commons/dokos.yaml": "name: Dokos\nstewards: [dokos-sas, la-ruche]\n"},
    )
    repo.commit(RUCHE, files={RECEIPT: receipt()})
    result = check(repo, "--base", "main", "--actor", "laruche")
    assert (f"{RECEIPT}:2:15", not_a_steward("laruche")) in problems(result)
    assert OLD  # the confirmed contribution is the base's own
