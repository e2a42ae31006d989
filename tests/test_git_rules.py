"""`cofi check --base`: the git rules of a pull request (SPEC §5), on real git repositories.

The base ledger is committed on `main` by the coordination; each test then works on a
branch `pr`, committing as the tiers-lieu, funder or stranger the case is about.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from cofi.gitrules import Change, diff, vouchers
from gitrepo import GitRepo

COORD = "coordination@reseau.example"
RUCHE = "tresorerie@laruche.example"  # la-ruche, also login `laruche`
HANGAR = "compta@lehangar.example"  # le-hangar
ETAT = "financement@etat.example"  # etat, the funder of both programmes
DOKOS = "dev@dokos.example"  # dokos-sas, steward of dokos
MALLORY = "mallory@example.org"  # nobody in the ledger

C = "ledger/contributions/2026/"
OLD = C + "2026-03-14-la-ruche-dokos.yaml"
NEW = C + "2026-06-01-la-ruche-movilab.yaml"


def person(name: str, kind: str, *identities: str) -> str:
    return f"name: {name}\nkind: {kind}\nidentities: [{', '.join(identities)}]\n"


PROGRAMME = """
    name: Pilote {year}
    funder: etat
    ratio: 1
    start: {year}-01-01
    end: {year}-12-31
    envelope: 100000
    allocation: pro-rata
    """
BASE = {
    "ledger/settings.yaml": f"name: Communs (test)\ncoordinators: [{COORD}, coord-login]\n",
    "ledger/contributors/la-ruche.yaml": person("La Ruche", "tiers-lieu", RUCHE, "laruche"),
    "ledger/contributors/le-hangar.yaml": person("Le Hangar", "tiers-lieu", HANGAR),
    "ledger/contributors/etat.yaml": person("État", "public", ETAT, "etat-login"),
    "ledger/contributors/dokos-sas.yaml": person("Dokos SAS", "private", DOKOS),
    "commons/dokos.yaml": "name: Dokos\nstewards: [dokos-sas]\n",
    "commons/movilab.yaml": "name: Movilab\n",
    "ledger/programmes/pilote-2026.yaml": PROGRAMME.format(year=2026),
    "ledger/programmes/pilote-2027.yaml": PROGRAMME.format(year=2027),
    OLD: "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\namount: 1200\n",
}


def contribution(contributor: str = "la-ruche", amount: str = "500") -> str:
    return f"date: 2026-06-01\ncontributor: {contributor}\ncommon: movilab\namount: {amount}\n"


def check(repo: GitRepo, *args: str, root: str = "", as_of: str = "2026-11-28"):
    where = str(repo.path / root)
    return CliRunner().invoke(app, ["check", "--root", where, "--as-of", as_of, *args])


def problems(result) -> list[tuple[str, str]]:
    """(`path:line:col`, `CODE message`) of each problem line of the text output."""
    return re.findall(r"^(\S+:\d+:\d+): (\w\d{3} .*)$", result.stdout, re.M)


def assert_ok(result) -> None:
    assert (result.exit_code, result.stdout) == (0, ""), result.stdout + result.stderr


# --- who may add an entry (G003) -------------------------------------------------------------


def not_vouched(speaker: str, by: str) -> str:
    return (
        f"G003 this entry speaks for '{speaker}' but was added by {by}, "
        f"who is neither an identity of {speaker} nor a coordinator"
    )


@pytest.mark.parametrize(
    ("author", "actor"),
    [
        (RUCHE, None),  # la-ruche's treasurer
        (RUCHE.upper(), None),  # emails are compared whatever their case
        (HANGAR, "laruche"),  # la-ruche's forge login runs CI
        (HANGAR, "LaRuche"),
        (COORD, None),  # a coordinator's email
        ("Coordination@Reseau.EXAMPLE", None),
        (MALLORY, "coord-login"),  # a coordinator's login
    ],
)
def test_a_contribution_vouched_for(repo, author, actor):
    repo.commit(author, files={NEW: contribution()})
    assert_ok(check(repo, "--base", "main", *(["--actor", actor] if actor else [])))


NOREPLY = "4242+laruche@users.noreply.github.com"  # anyone may commit as this


@pytest.mark.parametrize(
    ("author", "actor", "by"),
    [
        (HANGAR, None, HANGAR),
        (HANGAR, "hangar", "hangar"),  # le-hangar's login does not speak for la-ruche
        (NOREPLY, None, NOREPLY),  # a login is taken from --actor only, never from an email
    ],
)
def test_a_contribution_for_another_tiers_lieu_is_not_vouched(repo, author, actor, by):
    repo.commit(author, files={NEW: contribution()})
    result = check(repo, "--base", "main", *(["--actor", actor] if actor else []))
    assert result.exit_code == 1
    assert problems(result) == [(f"{NEW}:2:14", not_vouched("la-ruche", by))]
    assert "ledger/contributors/la-ruche.yaml" in result.stdout  # the hint says where to look


def test_identities_and_coordinators_are_those_of_the_base(repo):
    # A stranger names herself coordinator and la-ruche's treasurer in the same pull request.
    repo.write({"ledger/settings.yaml": f"coordinators: [{COORD}, {MALLORY}]\n"})
    ruche = repo.read("ledger/contributors/la-ruche.yaml").replace(
        "laruche]", f"laruche, {MALLORY}]"
    )
    repo.commit(MALLORY, files={"ledger/contributors/la-ruche.yaml": ruche, NEW: contribution()})
    result = check(repo, "--base", "main")
    assert result.exit_code == 1
    assert [(w.split(":")[0], m[:4]) for w, m in problems(result)] == [
        (NEW, "G003"),
        ("ledger/contributors/la-ruche.yaml", "G004"),
        ("ledger/settings.yaml", "G004"),
    ]


ANNULE = C + "2026-04-01-annule.yaml"


@pytest.mark.parametrize("author", [RUCHE, HANGAR])
def test_a_reversal_speaks_for_the_contributor_of_the_entry_it_cancels(repo, author):
    repo.commit(author, files={ANNULE: "date: 2026-04-01\nreverses: 2026-03-14-la-ruche-dokos\n"})
    result = check(repo, "--base", "main")  # G003 at the `reverses:` line
    refused = [(f"{ANNULE}:2:11", not_vouched("la-ruche", HANGAR))]
    assert problems(result) == ([] if author == RUCHE else refused)


def test_a_reversal_of_an_unknown_entry_is_not_said_to_speak_for_nobody(repo):
    repo.commit(MALLORY, files={ANNULE: "date: 2026-04-01\nreverses: 2026-01-01-nulle-part\n"})
    result = check(repo, "--base", "main")
    assert "R006 unknown entry '2026-01-01-nulle-part'" in result.stdout
    assert "''" not in result.stdout and "contributors/.yaml" not in result.stdout


DISBURSEMENT = "ledger/disbursements/2026/etat-dokos-1.yaml"
PAID = "date: 2026-11-20\nprogramme: pilote-2026\ncommon: dokos\namount: 1200\n"


@pytest.mark.parametrize("author", [ETAT, RUCHE])
def test_a_disbursement_speaks_for_the_funder_of_its_programme(repo, author):
    repo.commit(author, files={DISBURSEMENT: PAID})
    result = check(repo, "--base", "main")  # G003 at the `programme:` line
    refused = [(f"{DISBURSEMENT}:2:12", not_vouched("etat", RUCHE))]
    assert problems(result) == ([] if author == ETAT else refused)


# --- entries are never changed (G001) --------------------------------------------------------


def changed(done: str) -> str:
    entry = "2026-03-14-la-ruche-dokos"
    return f"G001 entry '{entry}' existed at main and {done}; entries are never changed"


def test_editing_an_old_entry_is_refused_even_for_a_coordinator(repo):
    repo.commit(COORD, files={OLD: BASE[OLD].replace("1200", "1300")})
    result = check(repo, "--base", "main")
    assert result.exit_code == 1
    assert problems(result) == [(f"{OLD}:1:1", changed("was edited"))]
    assert "add a new entry with `reverses: 2026-03-14-la-ruche-dokos`" in result.stdout


def test_deleting_an_old_entry_is_refused(repo):
    repo.remove(OLD)
    repo.commit(RUCHE)
    result = check(repo, "--base", "main")
    assert problems(result) == [(f"{OLD}:1:1", changed("was deleted"))]


def test_renaming_an_old_entry_is_refused(repo):
    moved = "ledger/contributions/2026-03-14-ruche-dokos.yaml"
    repo.rename(OLD, moved)
    repo.commit(RUCHE)
    result = check(repo, "--base", "main")
    assert problems(result) == [(f"{moved}:1:1", changed(f"was renamed from {OLD}"))]


# --- records that need a coordinator (G004) and programmes that started (G002) ----------------


def needs(kind: str, status: str, by: str, who: str = "a coordinator") -> str:
    return f"G004 this {kind} was {status} by {by}; only {who} may do that"


ADDITIONS = {
    "ledger/contributors/la-serre.yaml": person("La Serre", "tiers-lieu", MALLORY),
    "commons/loot.yaml": "name: Loot\n",
    "ledger/programmes/region-2027.yaml": PROGRAMME.format(year=2027).replace("Pilote", "Région"),
}


@pytest.mark.parametrize(
    ("path", "kind"), list(zip(ADDITIONS, ["contributor", "common", "programme"], strict=True))
)
def test_adding_a_contributor_common_or_programme_needs_a_coordinator(repo, path, kind):
    repo.commit(MALLORY, files={path: ADDITIONS[path]})
    result = check(repo, "--base", "main")
    assert result.exit_code == 1
    assert problems(result) == [(f"{path}:1:1", needs(kind, "added", MALLORY))]


def test_a_coordinator_adds_them(repo):
    repo.commit(COORD, files=ADDITIONS)
    assert_ok(check(repo, "--base", "main"))


@pytest.mark.parametrize("author", [DOKOS, RUCHE])
def test_a_common_is_changed_by_its_steward(repo, author):
    repo.commit(author, files={"commons/dokos.yaml": BASE["commons/dokos.yaml"] + "url: x.org\n"})
    who = "a coordinator or a steward of this common"
    refused = [("commons/dokos.yaml:1:1", needs("common", "modified", RUCHE, who))]
    assert problems(check(repo, "--base", "main")) == ([] if author == DOKOS else refused)


@pytest.mark.parametrize("author", [RUCHE, HANGAR])
def test_a_contributor_changes_its_own_file(repo, author):
    path = "ledger/contributors/la-ruche.yaml"
    repo.commit(author, files={path: BASE[path] + "region: Occitanie\n"})
    who = "a coordinator or the contributor itself"
    refused = [(f"{path}:1:1", needs("contributor", "modified", HANGAR, who))]
    assert problems(check(repo, "--base", "main")) == ([] if author == RUCHE else refused)


GUARDED = {
    "commons/dokos.yaml": (DOKOS, "common", "stewards", "name: Dokos\nstewards: [la-ruche]\n"),
    "ledger/contributors/dokos-sas.yaml": (DOKOS, "contributor", "kind", person("D", "tiers-lieu")),
}


@pytest.mark.parametrize("path", GUARDED)
def test_fields_that_matches_depend_on_need_a_coordinator(repo, path):
    author, kind, field, text = GUARDED[path]
    repo.commit(author, files={path: text})
    who = f"a coordinator (it changes {field}, which matches depend on)"
    assert problems(check(repo, "--base", "main")) == [
        (f"{path}:1:1", needs(kind, "modified", author, who))
    ]
    repo.git("reset", "-q", "--hard", "main")
    repo.commit(COORD, files={path: text})
    assert_ok(check(repo, "--base", "main"))


@pytest.mark.parametrize("delete", [False, True], ids=["modified", "deleted"])
def test_a_programme_that_started_may_not_change_even_for_a_coordinator(repo, delete):
    path = "ledger/programmes/pilote-2026.yaml"
    if delete:
        repo.remove(path)
    else:
        repo.write({path: PROGRAMME.format(year=2026).replace("100000", "50000")})
    repo.commit(COORD)
    result = check(repo, "--base", "main")
    assert result.exit_code == 1
    started = "G002 programme 'pilote-2026' started on 2026-01-01 and may no longer change"
    status = "deleted" if delete else "modified"
    assert problems(result) == [(f"{path}:1:1", f"{started} ({status} since main)")]
    assert "create a new programme" in result.stdout


def test_a_programme_not_yet_started_is_changed_by_a_coordinator_only(repo):
    path = "ledger/programmes/pilote-2027.yaml"
    repo.commit(COORD, files={path: PROGRAMME.format(year=2027).replace("100000", "50000")})
    assert_ok(check(repo, "--base", "main"))
    repo.git("reset", "-q", "--hard", "main")
    repo.commit(ETAT, files={path: PROGRAMME.format(year=2027).replace("100000", "90000")})
    assert problems(check(repo, "--base", "main")) == [
        (f"{path}:1:1", needs("programme", "modified", ETAT))
    ]


@pytest.mark.parametrize(("as_of", "codes"), [("2026-12-31", []), ("2027-01-01", ["G002"])])
def test_a_programme_is_frozen_from_its_start_day_on(repo, as_of, codes):
    path = "ledger/programmes/pilote-2027.yaml"
    repo.commit(COORD, files={path: PROGRAMME.format(year=2027).replace("ratio: 1", "ratio: 2")})
    assert [m[:4] for _, m in problems(check(repo, "--base", "main", as_of=as_of))] == codes


# --- which revision, which authors -----------------------------------------------------------


def test_head_checks_that_revision_not_the_working_tree(repo):
    first = repo.commit(RUCHE, files={NEW: contribution()})
    repo.commit(HANGAR, files={C + "2026-06-02-x.yaml": contribution()})
    repo.write({OLD: BASE[OLD].replace("1200", "12000")})  # uncommitted edit
    assert_ok(check(repo, "--base", "main", "--head", first))
    assert [m[:4] for _, m in problems(check(repo, "--base", "main", "--head", "pr"))] == ["G003"]
    assert [w for w, _ in problems(check(repo, "--base", "main"))] == [
        f"{OLD}:1:1",  # G001, from the working tree
        f"{C}2026-06-02-x.yaml:2:14",  # G003
    ]


def test_an_uncommitted_file_is_vouched_only_by_the_actor(repo):
    repo.commit(RUCHE, files={NEW: contribution()})  # la-ruche authored the branch...
    later = C + "2026-06-02-la-ruche-movilab.yaml"
    repo.write({later: contribution(amount="80")})  # ...but not this file, not yet committed
    result = check(repo, "--base", "main")
    nobody = "nobody known (uncommitted, and no --actor)"
    assert problems(result) == [(f"{later}:2:14", not_vouched("la-ruche", nobody))]
    assert_ok(check(repo, "--base", "main", "--actor", "laruche"))


def test_in_a_merge_the_file_belongs_to_the_author_of_the_commit_that_added_it(repo):
    repo.branch("side", "main")
    repo.commit(RUCHE, files={NEW: contribution()})
    repo.checkout("pr")
    repo.merge("side", email=MALLORY)
    assert_ok(check(repo, "--base", "main"))
    repo.branch("side2", "main")
    stranger = C + "2026-06-03-la-ruche-dokos.yaml"
    repo.commit(MALLORY, files={stranger: contribution()})
    repo.checkout("pr")
    repo.merge("side2", email=RUCHE)  # merging is not vouching
    assert [w for w, _ in problems(check(repo, "--base", "main"))] == [f"{stranger}:2:14"]


def test_a_ledger_in_a_sub_folder_of_the_repository(tmp_path):
    repo = GitRepo(tmp_path / "association")
    repo.commit(COORD, files={f"compta/{p}": text for p, text in BASE.items()})
    repo.branch("pr")
    repo.commit(RUCHE, files={f"compta/{NEW}": contribution()})
    repo.commit(HANGAR, files={f"compta/{C}2026-06-02-x.yaml": contribution()})
    result = check(repo, "--base", "main", root="compta")
    assert [w for w, _ in problems(result)] == [f"{C}2026-06-02-x.yaml:2:14"]


def test_a_clean_checkout_with_crlf_line_ends_has_changed_nothing(tmp_path):
    repo = GitRepo(tmp_path / "windows")
    repo.commit(COORD, files={**BASE, ".gitattributes": "*.yaml text eol=crlf\n"})
    for rel in BASE:
        repo.remove(rel)
    repo.git("checkout", "--", ".")  # checked out again, now with CRLF
    assert (repo.path / OLD).read_bytes().endswith(b"amount: 1200\r\n")
    assert repo.git("status", "--porcelain") == ""
    assert_ok(check(repo, "--base", "main"))


# --- arguments and outputs -------------------------------------------------------------------


def test_an_unknown_base_cannot_run(repo):
    result = check(repo, "--base", "origin/nope")
    assert result.exit_code == 2
    assert "unknown revision 'origin/nope'" in result.stderr
    assert "fetch-depth" in result.stderr


@pytest.mark.parametrize("flag", [["--head", "pr"], ["--actor", "laruche"]])
def test_head_and_actor_need_a_base(repo, flag):
    result = check(repo, *flag)
    assert result.exit_code == 2
    assert "--head and --actor go with --base REV" in result.stderr


def test_gitlab_fingerprints_survive_a_line_inserted_above(repo):
    repo.commit(HANGAR, files={NEW: contribution()})
    before = json.loads(check(repo, "--base", "main", "--format", "gitlab").stdout)
    repo.commit(HANGAR, files={NEW: "# versement de juin\n" + contribution()})
    after = json.loads(check(repo, "--base", "main", "--format", "gitlab").stdout)
    assert [p["location"] for p in before] == [{"path": NEW, "lines": {"begin": 2}}]
    assert [p["location"] for p in after] == [{"path": NEW, "lines": {"begin": 3}}]
    assert before[0]["check_name"] == "G003 not-vouched"
    assert before[0]["fingerprint"] == after[0]["fingerprint"]


def test_summary_appends_a_markdown_table(repo, tmp_path):
    repo.commit(HANGAR, files={NEW: contribution()})
    summary = tmp_path / "summary.md"
    summary.write_text("## Earlier step\n", encoding="utf-8")
    check(repo, "--base", "main", "--summary", str(summary))
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Earlier step\n### cofi check\n")
    assert "| Where | Code | Problem | What to do |\n| --- | --- | --- | --- |\n" in text
    assert f"| `{NEW}:2:14` | G003 | this entry speaks for 'la-ruche'" in text
    check(repo, "--base", "main", "--summary", str(summary))
    assert summary.read_text(encoding="utf-8").count("### cofi check") == 2


# --- the pure rules --------------------------------------------------------------------------


def test_diff_tells_added_modified_deleted_and_renamed():
    base = {"a.yaml": "1", "b.yaml": "2", "c.yaml": "3", "gone.yaml": "4"}
    head = {"a.yaml": "1", "b.yaml": "9", "moved/c.yaml": "3", "new.yaml": "5"}
    assert set(diff(base, head)) == {
        Change("b.yaml", "modified"),
        Change("moved/c.yaml", "renamed", "c.yaml"),
        Change("gone.yaml", "deleted"),
        Change("new.yaml", "added"),
    }
    assert diff(head, head) == []


def test_diff_pairs_one_copy_of_identical_content_as_the_rename():
    changes = diff({"x.yaml": "same", "y.yaml": "same"}, {"z.yaml": "same"})
    assert sorted(c.status for c in changes) == ["deleted", "renamed"]
    assert {c.path for c in changes if c.status == "renamed"} == {"z.yaml"}


def test_a_modified_file_is_not_a_rename_even_when_its_old_content_is_added_elsewhere():
    changes = diff({"a.yaml": "1"}, {"a.yaml": "2", "b.yaml": "1"})
    assert set(changes) == {Change("a.yaml", "modified"), Change("b.yaml", "added")}


def test_vouchers_match_emails_and_logins_apart():
    noreply = "77+Hangar@users.noreply.github.com"
    local = vouchers([" Tresorerie@LaRuche.example", noreply, ""], None)
    assert local.emails == {"tresorerie@laruche.example", "77+hangar@users.noreply.github.com"}
    assert local.actor is None
    assert not local.include(["hangar"])  # a login is never read out of an email
    # every commit's author must be allowed, not just one of them
    assert not local.include(["77+hangar@users.noreply.github.com"])
    assert not local.include(["TRESORERIE@laruche.example"])
    both = ["TRESORERIE@laruche.example", "77+hangar@users.noreply.github.com"]
    assert local.include(both)  # listed as an email, a no-reply address is one
    assert not local.include(["tresorerie"])  # a login is not an email's local part
    ci = vouchers([" Tresorerie@LaRuche.example"], "Coord")
    assert (ci.emails, ci.actor) == (frozenset(), "coord")  # the actor alone speaks
    assert ci.include(["nobody@example.org", "COORD"])
    assert not ci.include(["tresorerie@laruche.example"])
    assert not vouchers([], "tresorerie").include(["tresorerie@laruche.example"])
    assert str(vouchers([], None).describe()) == "nobody known (uncommitted, and no --actor)"


# --- review follow-ups -------------------------------------------------------------------------


def test_a_strangers_later_edit_of_an_added_entry_is_not_covered_by_the_first_commit(repo):
    repo.commit(RUCHE, files={NEW: contribution(amount="500")})
    assert_ok(check(repo, "--base", "main"))
    repo.commit(MALLORY, files={NEW: contribution(amount="50000")})
    result = check(repo, "--base", "main")
    # both commits touched the file: La Ruche's and Mallory's (sorted in the message)
    assert problems(result) == [(f"{NEW}:2:14", not_vouched("la-ruche", f"{MALLORY}, {RUCHE}"))]
    # the forge login of La Ruche, as actor, vouches for the pull request as a whole
    assert_ok(check(repo, "--base", "main", "--actor", "laruche"))


def test_a_branch_behind_base_is_not_blamed_for_what_base_gained_since(repo):
    repo.checkout("main")
    later = C + "2026-07-01-le-hangar-dokos.yaml"
    repo.commit(HANGAR, files={later: contribution("le-hangar").replace("movilab", "dokos")})
    repo.checkout("pr")
    repo.commit(RUCHE, files={NEW: contribution()})
    # the pull request's tree lacks `later`, which main gained after the fork: not a deletion
    assert_ok(check(repo, "--base", "main"))


def test_odd_file_names_in_the_working_tree_are_checked_not_a_traceback(repo: GitRepo) -> None:
    """A name that is not UTF-8 goes to `git hash-object` byte for byte; one with a line
    break is hashed by cofi, as git would (no filter applies to these bytes)."""
    import os
    import subprocess

    from cofi.history import History
    from cofi.loader import FileRef

    folder = os.fsencode(repo.path / C) + b"/"
    with open(folder + b"\xff.yaml", "wb") as f:
        f.write(b"date: 2026-06-01\n")
    with open(folder + b"a\nb.yaml", "wb") as f:
        f.write(b"x: 1\n")
    result = check(repo, "--base", "main")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1 and "Traceback" not in result.output
    content = b"x: 1\n"
    by_git = (
        subprocess.run(
            ["git", "hash-object", "--stdin"], input=content, capture_output=True, check=True
        )
        .stdout.decode()
        .strip()
    )
    odd = FileRef(C + "a\nb.yaml", len(content), lambda: content)
    assert History(repo.path).working_tree([odd]) == {C + "a\nb.yaml": by_git}
