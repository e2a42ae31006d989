"""Attacks on the git rules (SPEC §5, "Whose word counts" and "Plain files only"), each
reproduced on a real git repository and run through the real `cofi check`.

The base ledger and its people are those of tests/test_git_rules.py: the coordination
commits it on `main`, and each test works on a branch `pr`.
"""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from cofi.gitrules import vouchers
from cofi.history import History
from gitrepo import GitRepo
from test_git_rules import (
    BASE,
    COORD,
    HANGAR,
    MALLORY,
    NEW,
    OLD,
    RUCHE,
    C,
    assert_ok,
    check,
    contribution,
    not_vouched,
    person,
    problems,
)


def codes(result) -> list[tuple[str, str]]:
    """(path, code) of each problem the text output reports."""
    return [(where.split(":")[0], message[:4]) for where, message in problems(result)]


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


NOT_AUTHENTICATED = "authorship was not authenticated"


# --- 1. whose word counts: with --actor, the login alone ---------------------------------------


@pytest.mark.parametrize("forged", [RUCHE, COORD, "coord-login", "laruche"])
def test_a_forged_commit_email_does_not_speak_for_anyone_when_ci_names_the_actor(repo, forged):
    """Mallory commits as la-ruche's treasurer (or a coordinator, or with a coordinator's
    *login* in the email field); CI says the pull request is mallory's."""
    repo.commit(forged, files={NEW: contribution()})
    result = check(repo, "--base", "main", "--actor", "mallory")
    assert result.exit_code == 1
    assert problems(result) == [(f"{NEW}:2:14", not_vouched("la-ruche", "mallory"))]
    assert NOT_AUTHENTICATED not in result.stderr  # CI authenticated the actor


@pytest.mark.parametrize("forged", [COORD, "coord-login"])
def test_a_forged_commit_email_does_not_add_a_contributor_when_ci_names_the_actor(repo, forged):
    path = "ledger/contributors/la-serre.yaml"
    repo.commit(forged, files={path: person("La Serre", "tiers-lieu", MALLORY)})
    result = check(repo, "--base", "main", "--actor", "mallory")
    assert problems(result) == [
        (
            f"{path}:1:1",
            "G004 this contributor was added by mallory; only a coordinator may do that",
        )
    ]


def test_the_actor_alone_vouches_even_for_commits_of_someone_else(repo):
    """A coordinator who pushes a tiers-lieu's commits is the one CI names: the commits'
    emails are neither needed nor counted."""
    repo.commit(MALLORY, files={NEW: contribution()})
    assert_ok(check(repo, "--base", "main", "--actor", "laruche"))
    assert_ok(check(repo, "--base", "main", "--actor", "coord-login"))


def test_an_email_set_to_a_login_does_not_match_that_login_in_a_local_run(repo):
    repo.commit("coord-login", files={NEW: contribution()})
    result = check(repo, "--base", "main")
    assert problems(result) == [(f"{NEW}:2:14", not_vouched("la-ruche", "coord-login"))]


def test_a_local_run_trusts_every_commit_email_and_says_it_did_not_authenticate(repo):
    repo.commit(RUCHE, files={NEW: contribution()})
    result = check(repo, "--base", "main")
    assert (result.exit_code, result.stdout) == (0, "")  # a clean local run does not fail
    assert NOT_AUTHENTICATED in result.stderr
    assert "--actor" in result.stderr
    repo.commit(HANGAR, files={NEW: contribution(amount="600")})  # a second author
    result = check(repo, "--base", "main")
    assert problems(result) == [(f"{NEW}:2:14", not_vouched("la-ruche", f"{HANGAR}, {RUCHE}"))]


def test_plain_check_says_nothing_about_authorship(repo):
    result = check(repo)
    assert result.exit_code == 0
    assert NOT_AUTHENTICATED not in result.stderr


def test_vouchers_keep_emails_and_logins_apart():
    emails = [RUCHE, "coord-login", "  Tresorerie@LaRuche.example "]
    local = vouchers(emails, None)
    assert not local.include([RUCHE, "coord-login"])  # an email field is never a login
    assert local.include([RUCHE, "Coord-Login@x", "x"]) is False
    assert vouchers([RUCHE], None).include([f" {RUCHE.upper()} "])
    assert not vouchers([], None).include([RUCHE])  # no commit: nobody
    ci = vouchers([RUCHE, COORD], "Mallory")
    assert not ci.include([RUCHE, COORD])  # with an actor, emails count for nothing
    assert ci.include([" MALLORY "])
    assert ci.describe() == "mallory"
    # a login matches logins only, even one spelt like an email
    assert not vouchers([], RUCHE).include([RUCHE])


def test_an_empty_actor_cannot_run(repo):
    """`--actor "$UNSET"` must not quietly fall back to trusting commit emails."""
    result = check(repo, "--base", "main", "--actor", " ")
    assert result.exit_code == 2
    assert "--actor is empty" in result.stderr


def test_a_deletion_is_attributed_to_its_author(repo):
    repo.remove("ledger/programmes/pilote-2027.yaml")  # not started: a coordinator may
    repo.commit(COORD)
    assert_ok(check(repo, "--base", "main"))
    repo.git("reset", "-q", "--hard", "main")
    repo.remove("ledger/programmes/pilote-2027.yaml")
    repo.commit(MALLORY)
    assert codes(check(repo, "--base", "main")) == [("ledger/programmes/pilote-2027.yaml", "G004")]


# --- 2. plain files only --------------------------------------------------------------------

COPY = "archive/copie.yaml"  # outside commons/ and ledger/: never read by cofi


def both_modes(repo: GitRepo, *args: str):
    """`cofi check --base main` on the working tree, then on `--head HEAD`."""
    return check(repo, "--base", "main", *args), check(
        repo, "--base", "main", "--head", "HEAD", *args
    )


def test_an_entry_replaced_by_a_link_to_an_identical_copy_is_an_edit_in_every_mode(repo):
    repo.write({COPY: BASE[OLD]})
    repo.link(OLD, "../../../" + COPY)
    assert (repo.path / OLD).read_text() == BASE[OLD]  # git hash-object would follow it
    repo.commit(MALLORY)
    for result in both_modes(repo, "--actor", "coord-login"):
        no_traceback(result)
        assert codes(result) == [(OLD, "F006"), (OLD, "G001")], result.stdout
        assert "symbolic link" in result.stdout


def test_a_link_merged_on_main_is_an_error_at_that_revision_and_blames_no_later_pr(repo):
    repo.checkout("main")
    repo.write({COPY: BASE[OLD]})
    repo.link(OLD, "../../../" + COPY)
    repo.commit(COORD, "a link slipped in")
    repo.checkout("pr")
    repo.git("reset", "-q", "--hard", "main")
    repo.commit(RUCHE, files={NEW: contribution()})
    for result in both_modes(repo, "--actor", "laruche"):
        assert codes(result) == [(OLD, "F006")], result.stdout  # not G001: nothing changed it
    at = CliRunner().invoke(app, ["match", "--root", str(repo.path), "--at", "main"])
    no_traceback(at)
    assert at.exit_code == 1
    assert f"{OLD}:1:1: F006" in at.stderr  # the link's text is never read as a record
    plain = check(repo)
    assert codes(plain) == [(OLD, "F006")]


def test_the_ledger_folder_replaced_by_a_link_to_a_moved_copy_is_an_error(repo):
    repo.rename("ledger", "archive/ledger")
    repo.link("ledger", "archive/ledger")
    repo.commit(COORD)
    for result in [check(repo), *both_modes(repo, "--actor", "coord-login")]:
        no_traceback(result)
        assert result.exit_code == 1
        assert ("ledger", "F006") in codes(result), result.stdout
        # the F006 is what to fix, not a G001 or G004 for each file that lay below the link
        assert not [c for c in codes(result) if c[1].startswith("G")], result.stdout


@pytest.mark.parametrize("top", ["commons", "ledger/contributions/2026"])
def test_a_folder_replaced_by_a_link_is_an_error_in_every_mode(repo, top):
    repo.rename(top, "archive/moved")
    repo.link(top, os.path.relpath(repo.path / "archive/moved", (repo.path / top).parent))
    repo.commit(COORD)
    plain, tree, head = check(repo), *both_modes(repo, "--actor", "coord-login")
    assert (top, "F006") in codes(plain)
    assert codes(tree) == codes(head)
    assert (top, "F006") in codes(tree)


def test_an_added_entry_that_is_a_link_is_an_error_whoever_adds_it(repo):
    repo.write({COPY: contribution()})
    repo.link(NEW, "../../../" + COPY)
    repo.commit(RUCHE)
    for result in both_modes(repo, "--actor", "laruche"):
        assert codes(result) == [(NEW, "F006")]
    # later, a stranger edits the file the link points to: the link itself stays refused
    repo.commit(MALLORY, files={COPY: contribution(amount="50000")})
    for result in both_modes(repo, "--actor", "laruche"):
        assert codes(result) == [(NEW, "F006")]


def test_a_link_in_a_plain_check_is_an_error(repo):
    repo.write({COPY: contribution()})
    repo.link(NEW, "../../../" + COPY)
    result = check(repo)
    assert result.exit_code == 1
    assert problems(result) == [
        (f"{NEW}:1:1", "F006 this is a symbolic link, and cofi reads only plain files and folders")
    ]


def test_a_submodule_is_an_error_in_every_mode(repo):
    base = repo.git("rev-parse", "main").strip()
    sub = C + "sous-module"
    repo.gitlink(sub, base)
    repo.git("commit", "-q", "-m", "submodule", email=COORD)
    head = check(repo, "--base", "main", "--head", "HEAD")
    assert codes(head) == [(sub, "F006")]
    assert "submodule" in head.stdout
    at = CliRunner().invoke(app, ["match", "--root", str(repo.path), "--at", "HEAD"])
    assert at.exit_code == 1 and f"{sub}:1:1: F006" in at.stderr
    # in the working tree, a submodule is a folder holding another repository
    GitRepo(repo.path / sub).commit(COORD, files={"x.yaml": contribution()})
    for result in (check(repo), check(repo, "--base", "main")):
        assert codes(result) == [(sub, "F006")], result.stdout


def test_a_pipe_is_not_a_plain_file(repo):
    os.mkfifo(repo.path / "commons/pipe.yaml")
    result = check(repo)
    assert codes(result) == [("commons/pipe.yaml", "F006")]


def test_a_change_of_type_is_attributed_to_its_author(repo):
    repo.link(OLD, "../../../" + COPY)
    repo.commit(MALLORY)
    assert History(repo.path).authors("main", "pr") == {OLD: {MALLORY}}


# --- 3. a reversal of itself, or of each other -----------------------------------------------

SELF = C + "2026-04-01-boucle.yaml"
A, B = C + "2026-04-01-a.yaml", C + "2026-04-02-b.yaml"


@pytest.mark.parametrize(
    "files",
    [
        {SELF: "date: 2026-04-01\nreverses: 2026-04-01-boucle\n"},
        {
            A: "date: 2026-04-01\nreverses: 2026-04-02-b\n",
            B: "date: 2026-04-02\nreverses: 2026-04-01-a\n",
        },
    ],
    ids=["itself", "each-other"],
)
def test_a_reversal_that_loops_is_l005_in_every_mode(repo, files):
    repo.commit(RUCHE, files=files)
    for args in ([], ["--base", "main"], ["--base", "main", "--head", "HEAD"]):
        result = check(repo, *args)
        no_traceback(result)
        assert result.exit_code == 1
        assert {code for _, code in codes(result)} == {"L005"}, result.stdout
        assert [path for path, _ in codes(result)] == sorted(files)


# --- 4. a late reversal -----------------------------------------------------------------------

ANNULE = C + "2026-12-20-annule.yaml"
LATE = "date: 2026-12-20\nreverses: 2026-03-14-la-ruche-dokos\n"


def test_a_reversal_added_after_the_programme_ended_is_a_warning(repo):
    """It changes the closed programme's figures: under first-come, others' matches go up."""
    repo.commit(RUCHE, files={ANNULE: LATE})
    result = check(repo, "--base", "main", as_of="2027-02-10")
    assert result.exit_code == 0
    assert problems(result) == [
        (
            f"{ANNULE}:2:11",
            "G006 warning: this reversal cancels contribution '2026-03-14-la-ruche-dokos' of "
            "programme 'pilote-2026', which ended on 2026-12-31: adding it now changes "
            "figures already stated",
        )
    ]
    assert codes(check(repo, "--base", "main", "--head", "HEAD", as_of="2027-02-10")) == [
        (ANNULE, "G006")
    ]
    # before the programme's end, the same reversal is ordinary
    assert_ok(check(repo, "--base", "main", as_of="2026-12-28"))
    # and a reversal already on main is not reported again
    repo.checkout("main")
    repo.merge("pr", email=COORD)
    repo.checkout("pr")
    repo.git("reset", "-q", "--hard", "main")
    assert_ok(check(repo, "--base", "main", as_of="2027-02-10"))


def test_the_author_of_a_file_in_a_folder_with_an_accented_name_is_known(repo):
    # Sub-folders below ledger/contributions/ may be named freely (SPEC §1, `**`); git
    # writes a non-ASCII path quoted ("\303\251t\303\251") unless asked for raw paths, and
    # the file's author was then unknown: la-ruche's own contribution was refused (G003).
    path = "ledger/contributions/été-2026/2026-06-01-la-ruche-movilab.yaml"
    repo.commit(RUCHE, files={path: contribution()})
    result = check(repo, "--base", "main")
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout
    repo.commit(MALLORY, files={path: contribution(amount="600")})  # an edit by nobody
    assert (
        not_vouched("la-ruche", f"{MALLORY}, {RUCHE}")
        in dict(problems(check(repo, "--base", "main"))).values()
    )


def test_without_git_the_git_modes_say_so(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    result = check(repo, "--base", "main")
    assert result.exit_code == 2
    assert "git is not installed (or not on PATH)" in result.stderr
    no_traceback(result)
