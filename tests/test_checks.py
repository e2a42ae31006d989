"""One tiny ledger per error code: the code, what the message says, and exactly where.

Columns are counted by hand: in `contributor: la-ruche` the value starts in column 14
because `contributor: ` is 13 characters.
"""

from __future__ import annotations

import os

import pytest

import cofi.loader
from cofi.problems import CODES, RETIRED
from conftest import PILOTE_2026, STEWARD, TODAY, base_ledger, programme, validate

# The base ledger with a steward for dokos, without movilab (an unknown common here) and
# without its programme: a test adds PROG when it needs one.
BASE = base_ledger({**STEWARD, "commons/movilab.yaml": None, PILOTE_2026: None})

# Programme: line 2 funder (value column 9), 4 start, 5 end (value column 6).
P = programme(name="Pilote")
ENDED = programme(name="Pilote", end="2026-06-30")  # before TODAY
PROG = "ledger/programmes/pilote.yaml"


def C(
    extra: str = "",
    *,
    who: str = "la-ruche",
    common: str = "dokos",
    date: str = "2026-03-14",
    amount: str = "1200",
) -> str:
    """A contribution: line 1 date (value column 7), 2 contributor (14), 3 common (9),
    4 amount (9); `extra` lines start on line 5."""
    return f"date: {date}\ncontributor: {who}\ncommon: {common}\namount: {amount}\n{extra}"


def PL(*, who: str = "la-ruche", common: str = "dokos") -> str:
    return (
        f"date: 2026-01-10\ncontributor: {who}\ncommon: {common}\namount: 3000\ndue: 2026-09-30\n"
    )


def REV(target: str, date: str = "2026-03-15") -> str:
    """A reversal: line 1 date (value column 7), line 2 reverses (value column 11)."""
    return f"date: {date}\nreverses: {target}\n"


C1 = "ledger/contributions/c1.yaml"
R1 = "ledger/contributions/r1.yaml"
D1 = "ledger/disbursements/d1.yaml"
D2 = "ledger/disbursements/d2.yaml"


def problems_of(ledger_dir, files: dict[str, str]):
    loaded = validate(ledger_dir({**BASE, **files}), TODAY)
    return loaded.problems


def where(problems) -> list[tuple[str, int, int, str]]:
    return [(p.source.path, p.source.line, p.source.col, p.code) for p in problems]


# (code, files, expected (path, line, col), part of the message)
CASES = [
    ("Y003", {C1: ""}, (C1, 1, 1), "empty"),
    ("Y004", {C1: "date: 2026-03-14\n  amount: 5\n"}, (C1, 2, 9), "YAML syntax error"),
    ("Y005", {C1: "- 2026-03-14\n- 1200\n"}, (C1, 1, 1), "one mapping"),
    ("Y006", {C1: C("date: 2026-03-15\n")}, (C1, 5, 1), "'date' is written twice"),
    ("Y007", {C1: C().replace("1200", "&x 1200")}, (C1, 4, 9), "anchor '&x'"),
    ("Y008", {C1: C().replace("1200", "!!float 1200")}, (C1, 4, 9), "explicit tag"),
    ("Y010", {C1: C("[a, b]: 1\n")}, (C1, 5, 1), "a key must be a single word"),
    (
        "F001",
        {"ledger/contributors/La_Ruche.yaml": "name: X\nkind: network\n"},
        ("ledger/contributors/La_Ruche.yaml", 1, 1),
        "'La_Ruche' is not a valid file name",
    ),
    (
        "F002",
        {"ledger/contributions/c1.yml": C()},
        ("ledger/contributions/c1.yml", 1, 1),
        "extension .yml",
    ),
    ("S001", {C1: C("amout: 5\n")}, (C1, 5, 1), "unknown key 'amout': did you mean 'amount'?"),
    (
        "S002",
        {C1: "date: 2026-03-14\ncontributor: la-ruche\ncommon: dokos\n"},
        (C1, 1, 1),
        "missing key 'amount'",
    ),
    ("S003", {C1: C(amount="1200.505")}, (C1, 4, 9), "at most 2 decimals"),
    ("S004", {C1: C(date="2026-02-30")}, (C1, 1, 7), "not a day of the calendar"),
    (
        "S005",
        {"commons/movilab.yaml": "name: Movilab\nstewards: dokos-sas\n"},
        ("commons/movilab.yaml", 2, 11),
        "expected a list, found dokos-sas",
    ),
    ("S006", {C1: C("kind: cash\n")}, (C1, 5, 7), "'cash' is not one of: money or in-kind"),
    (
        "S007",
        {"ledger/contributors/x.yaml": 'name: X\nkind: private\nsiret: "73282932000075"\n'},
        ("ledger/contributors/x.yaml", 3, 8),
        "not a valid SIRET",
    ),
    ("S008", {C1: C(common="Dokos")}, (C1, 3, 9), "'Dokos' is not an id"),
    ("S009", {PROG: P.replace("ratio: 1", "ratio: -1")}, (PROG, 3, 8), "'-1' is not a ratio"),
    ("S010", {C1: C("currency: euro\n")}, (C1, 5, 11), "not a currency code like EUR"),
    ("S011", {PROG: P + "exclude_stewards: oui\n"}, (PROG, 8, 19), "'oui' is not true or false"),
    ("S012", {C1: C("note: ''\n")}, (C1, 5, 7), "this text is empty"),
    (
        "S013",
        {"ledger/contributors/x.yaml": "name: [X]\nkind: private\n"},
        ("ledger/contributors/x.yaml", 1, 7),
        "expected text, found a list",
    ),
    (
        "S014",
        {"ledger/contributors/x.yaml": 'name: X\nkind: network\nrna: "W12345678"\n'},
        ("ledger/contributors/x.yaml", 3, 6),
        "is not an RNA number",
    ),
    (
        "S015",
        {"ledger/settings.yaml": "forge:\n  repository: https://github.com/o/r.git\n"},
        ("ledger/settings.yaml", 2, 15),
        "is not a repository's web address",
    ),
    (
        "R001",
        {C1: C(who="la-ruch")},
        (C1, 2, 14),
        "unknown contributor 'la-ruch': did you mean 'la-ruche'?",
    ),
    ("R002", {C1: C(common="movilab")}, (C1, 3, 9), "unknown common 'movilab'"),
    ("R003", {C1: C("need: booking\n")}, (C1, 5, 7), "did you mean 'booking-v2'?"),
    (
        "R004",
        {
            "ledger/disbursements/d1.yaml": "date: 2026-03-14\nprogramme: pilot\n"
            "common: dokos\namount: 5\n"
        },
        ("ledger/disbursements/d1.yaml", 2, 12),
        "unknown programme 'pilot'",
    ),
    ("R005", {C1: C("pledge: la-ruche-2026\n")}, (C1, 5, 9), "unknown pledge 'la-ruche-2026'"),
    ("R006", {R1: REV("c9")}, (R1, 2, 11), "unknown entry 'c9'"),
    (
        "L001",
        {C1: C(), "ledger/pledges/c1.yaml": PL()},
        ("ledger/pledges/c1.yaml", 1, 1),
        "entry id 'c1' is already used by ledger/contributions/c1.yaml",
    ),
    (
        "L002",
        {PROG: P.replace("etat", "la-ruche")},
        (PROG, 2, 9),
        "the funder 'la-ruche' is of kind 'tiers-lieu', not 'public'",
    ),
    (
        "L003",
        {C1: C(), "ledger/pledges/r1.yaml": REV("c1")},
        ("ledger/pledges/r1.yaml", 2, 11),
        "this pledge reversal targets 'c1', which is a contribution",
    ),
    (
        "L004",
        {C1: C(), R1: REV("c1"), "ledger/contributions/r2.yaml": REV("c1", "2026-03-16")},
        ("ledger/contributions/r2.yaml", 2, 11),
        "'c1' is already reversed by " + R1,
    ),
    (
        "L005",
        {C1: C(), R1: REV("c1"), "ledger/contributions/r2.yaml": REV("r1")},
        ("ledger/contributions/r2.yaml", 2, 11),
        "a reversal cannot be reversed",
    ),
    (
        "L006",
        {C1: C("pledge: pl\n", common="dokos"), "ledger/pledges/pl.yaml": PL(who="etat")},
        (C1, 2, 14),
        "contributor is 'la-ruche' but pledge 'pl' is by/for 'etat'",
    ),
    ("L007", {C1: C(date="2026-11-29")}, (C1, 1, 7), "dated 2026-11-29, after today (2026-11-28)"),
    (
        "L008",
        {PROG: P.replace("end: 2026-12-31", "end: 2025-12-31")},
        (PROG, 5, 6),
        "starts on 2026-01-01, after it ends (2025-12-31)",
    ),
    (
        "L009",
        {
            "commons/movilab.yaml": "name: Movilab\nneeds:\n  - {id: wiki, title: A, amount: 5}\n"
            "  - {id: wiki, title: B, amount: 6}\n"
        },
        ("commons/movilab.yaml", 4, 10),
        "need id 'wiki' appears twice",
    ),
    (
        "L010",
        {C1: C(), R1: REV("c1", "2026-03-13")},
        (R1, 1, 7),
        "dated 2026-03-13, before the entry it cancels (2026-03-14)",
    ),
    ("L011", {C1: C("currency: USD\n")}, (C1, 5, 11), "in USD but the ledger is in EUR"),
    (
        "L012",  # PL: made 2026-01-10; `due:` is line 5, its value at column 6
        {"ledger/pledges/pl.yaml": PL().replace("due: 2026-09-30", "due: 2026-01-09")},
        ("ledger/pledges/pl.yaml", 5, 6),
        "due on 2026-01-09, before it was made (2026-01-10)",
    ),
    (
        "L016",  # `caps:` is line 8; `per_contributor` its second key, line 10, column 3
        {
            PROG: P.replace("pro-rata", "quadratic")
            + "caps:\n  per_common: 30000\n  per_contributor: 5000\n"
        },
        (PROG, 10, 3),
        "a quadratic programme cannot have a cap per contributor",
    ),
    (
        "L017",  # owed 1200 (ratio 1); 1000 then 700: the second, `amount:` line 4, goes past
        {
            PROG: ENDED,
            C1: C(),
            D1: "date: 2026-05-02\nprogramme: pilote\ncommon: dokos\namount: 1000\n",
            D2: "date: 2026-06-02\nprogramme: pilote\ncommon: dokos\namount: 700\n",
        },
        (D2, 4, 9),
        "programme 'pilote' has paid 1,700.00 to common 'dokos', more than the 1,200.00 it "
        "owes it: 500.00 overpaid",
    ),
]


@pytest.mark.parametrize(("code", "files", "at", "said"), CASES, ids=[c[0] for c in CASES])
def test_code(ledger_dir, code, files, at, said):
    problems = problems_of(ledger_dir, files)
    assert where(problems) == [(*at, code)]
    assert said in problems[0].message
    assert problems[0].hint  # every problem says what to do


def test_l017_is_a_warning_and_paying_what_is_owed_is_not(ledger_dir):
    paid = "date: 2026-05-02\nprogramme: pilote\ncommon: dokos\namount: {}\n"
    exact = problems_of(ledger_dir, {PROG: ENDED, C1: C(), D1: paid.format(1200)})
    assert exact == []
    (over,) = problems_of(ledger_dir, {PROG: ENDED, C1: C(), D1: paid.format("1200.01")})
    assert (over.code, over.severity) == ("L017", "warning")
    # before the programme's end, paying ahead of the match is an advance, not a mistake
    assert problems_of(ledger_dir, {PROG: P, C1: C(), D1: paid.format(5000)}) == []


def test_y001_not_utf8(ledger_dir):
    root = ledger_dir(BASE)
    (root / "ledger/contributions").mkdir()
    (root / C1).write_bytes(b"date: 2026-03-14\ncontributor: la-ruche\nnote: \xe9t\xe9\n")
    problems = validate(root, TODAY).problems
    assert where(problems) == [(C1, 3, 7, "Y001")]
    assert "not valid UTF-8" in problems[0].message


def test_y002_file_too_large(ledger_dir):
    root = ledger_dir(BASE)
    (root / "ledger/contributions").mkdir()
    (root / C1).write_text("note: " + "x" * 300_000 + "\n")  # 300,007 bytes
    problems = validate(root, TODAY).problems
    assert where(problems) == [(C1, 1, 1, "Y002")]
    assert "300007 bytes" in problems[0].message  # no separator: the same in every language


def test_y009_too_deep(ledger_dir):
    # `identities: ` is 12 characters; the 1st `[` (level 2) is column 13, the 12th (level
    # 13) column 24. The model then also refuses the list where a text is expected.
    deep = "[" * 12 + "x" + "]" * 12
    problems = problems_of(
        ledger_dir, {"ledger/contributors/x.yaml": f"name: X\nkind: private\nidentities: {deep}\n"}
    )
    path = "ledger/contributors/x.yaml"
    assert where(problems) == [(path, 3, 14, "S013"), (path, 3, 24, "Y009")]
    assert "nested more than 12 levels deep" in problems[1].message


def test_f003_file_that_vanished_before_it_was_read(ledger_dir, monkeypatch):
    root = ledger_dir({**BASE, C1: C()})
    real_discover = cofi.loader.discover

    def discover_then_delete(where, listing=None):
        found = real_discover(where, listing)
        (root / C1).unlink()
        return found

    monkeypatch.setattr(cofi.loader, "discover", discover_then_delete)
    problems = validate(root, TODAY).problems
    assert where(problems) == [(C1, 1, 1, "F003")]
    assert "cannot read this file" in problems[0].message


def test_f006_broken_link_and_pipe_are_reported_not_skipped(ledger_dir):
    root = ledger_dir(BASE)
    (root / "ledger/contributions").mkdir(parents=True, exist_ok=True)
    (root / "ledger/contributions/gone.yaml").symlink_to(root / "nowhere.yaml")
    os.mkfifo(root / "commons/pipe.yaml")
    problems = validate(root, TODAY).problems
    assert where(problems) == [
        ("commons/pipe.yaml", 1, 1, "F006"),
        ("ledger/contributions/gone.yaml", 1, 1, "F006"),
    ]
    assert problems[0].message == (
        "this is not a plain file (a pipe, a socket or a device), "
        "and cofi reads only plain files and folders"
    )
    assert problems[1].message == (
        "this is a symbolic link, and cofi reads only plain files and folders"
    )


def test_every_y_f_s_r_l_code_has_a_test():
    tested = {c[0] for c in CASES} | {"Y001", "Y002", "Y009", "F003"}
    tested |= {"F004", "F006"}  # tests/test_walk_edges.py
    tested |= {"R007", "L013", "L014", "L015"}  # tests/test_receipts.py
    assert tested == {c for c in CODES if c[0] in "YFSRL" and c not in RETIRED}


# --- the allowed side of each rule -----------------------------------------------------------


def test_allowed_sides_raise_nothing(ledger_dir):
    problems = problems_of(
        ledger_dir,
        {
            PROG: P.replace("end: 2026-12-31", "end: 2026-01-01"),  # start == end is fine
            C1: C("need: booking-v2\npledge: pl\ncurrency: EUR\n"),  # same contributor and common
            "ledger/pledges/pl.yaml": PL(),
            # a pledge due the very day it is made
            "ledger/pledges/now.yaml": PL().replace("due: 2026-09-30", "due: 2026-01-10"),
            # one due before it was made, but reversed: done with, it can no longer be fixed
            "ledger/pledges/early.yaml": PL().replace("due: 2026-09-30", "due: 2026-01-09"),
            "ledger/pledges/early-reversed.yaml": REV("early", "2026-01-10"),
            R1: REV("c1", "2026-03-14"),  # the same day as its target
            "ledger/contributions/today.yaml": C(date="2026-11-28"),  # dated exactly today
            "ledger/disbursements/d1.yaml": "date: 2026-11-28\nprogramme: pilote\ncommon: dokos\n"
            "amount: 5\n",
            "ledger/disbursements/d2.yaml": REV("d1", "2026-11-28"),  # in its target's folder
            "commons/movilab.yaml": "name: Movilab\nneeds:\n  - {id: a, title: A, amount: 5}\n"
            "  - {id: b, title: B, amount: 6}\n",
        },
    )
    assert problems == []


def test_a_ledger_in_another_currency(ledger_dir):
    problems = problems_of(
        ledger_dir,
        {
            "ledger/settings.yaml": "currency: CHF\n",
            C1: C("currency: CHF\n"),
            "ledger/contributions/c2.yaml": C("currency: EUR\n"),
        },
    )
    assert where(problems) == [("ledger/contributions/c2.yaml", 5, 11, "L011")]
    assert "in EUR but the ledger is in CHF" in problems[0].message


# --- broken files are reported once ---------------------------------------------------------


def test_references_to_broken_files_are_not_reported_as_unknown(ledger_dir):
    problems = problems_of(
        ledger_dir,
        {
            "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieux\n",
            "commons/dokos.yaml": "name: Dokos\nneeds: booking-v2\n",
            "ledger/contributors/etat.yaml": "name: État\nkind: public\nfoo: 1\n",
            PROG: P,  # its funder's file is broken
            "ledger/programmes/broken.yaml": P.replace("ratio: 1", "ratio: x"),
            "ledger/pledges/pl.yaml": PL().replace("3000", "0"),
            "ledger/contributions/c0.yaml": C(date="2026-02-30"),
            C1: C("need: booking-v2\npledge: pl\n"),
            R1: REV("c0"),
            "ledger/disbursements/d1.yaml": "date: 2026-03-14\nprogramme: broken\ncommon: dokos\n"
            "amount: 5\n",
        },
    )
    # only each broken file's own problem: no R001, R002, R003, R004, R005 or R006
    assert where(problems) == [
        ("commons/dokos.yaml", 2, 8, "S005"),
        ("ledger/contributions/c0.yaml", 1, 7, "S004"),
        ("ledger/contributors/etat.yaml", 3, 1, "S001"),
        ("ledger/contributors/la-ruche.yaml", 2, 7, "S006"),
        ("ledger/pledges/pl.yaml", 4, 9, "S003"),
        ("ledger/programmes/broken.yaml", 3, 8, "S009"),
    ]


def test_problems_come_sorted_by_path_line_and_column(ledger_dir):
    problems = problems_of(
        ledger_dir,
        {
            "ledger/contributions/b.yaml": C("kind: cash\n", who="nobody", amount="-1"),
            "ledger/contributions/a.yaml": C(common="nothing", date="2027-01-01"),
            "commons/zz.yaml": "name: Z\nstewards: [nobody]\n",
            "commons/aa.yaml": "name: A\nnedds: []\n",
        },
    )
    # b.yaml fails to load (amount, kind), and its unknown contributor is reported
    # all the same, in the same run
    assert where(problems) == [
        ("commons/aa.yaml", 2, 1, "S001"),
        ("commons/zz.yaml", 2, 12, "R001"),
        ("ledger/contributions/a.yaml", 1, 7, "L007"),
        ("ledger/contributions/a.yaml", 3, 9, "R002"),
        ("ledger/contributions/b.yaml", 2, 14, "R001"),
        ("ledger/contributions/b.yaml", 4, 9, "S003"),
        ("ledger/contributions/b.yaml", 5, 7, "S006"),
    ]


def test_references_of_a_file_that_fails_to_load_are_still_checked(ledger_dir):
    # One run tells a contributor everything: the bad amount, the misspelt contributor,
    # common, need and pledge, and the reversal's unknown target.
    problems = problems_of(
        ledger_dir,
        {
            C1: C("need: booking-v3\npledge: nope\n", who="la-ruch", amount="12,50"),
            "ledger/disbursements/d1.yaml": "date: 2026-03-14\nprogramme: pilot\n"
            "common: dokoss\namount: 1e3\n",
            R1: "date: 2026-04-01\nreverses: nowhere\nnote: [not, text]\n",
        },
    )
    assert [(p, line, code) for p, line, _, code in where(problems)] == [
        (C1, 2, "R001"),  # contributor: la-ruch
        (C1, 4, "S003"),  # amount: 12,50
        (C1, 5, "R003"),  # need: booking-v3
        (C1, 6, "R005"),  # pledge: nope
        (R1, 2, "R006"),  # reverses: nowhere
        (R1, 3, "S013"),  # note is a list
        ("ledger/disbursements/d1.yaml", 2, "R004"),  # programme: pilot
        ("ledger/disbursements/d1.yaml", 3, "R002"),  # common: dokoss
        ("ledger/disbursements/d1.yaml", 4, "S003"),  # amount: 1e3
    ]


def test_clean_reversals_are_not_read_again_to_find_positions(ledger_dir):
    """Positions are found again (by parsing the file anew) only for a problem to report:
    a ledger whose reversals are all sound asks the locator for none."""
    from dataclasses import replace

    from cofi import checks
    from conftest import load

    files = {**BASE, PROG: P, C1: C()}
    for n in range(5):
        files[f"ledger/contributions/c{n + 10}.yaml"] = C(date="2026-03-01")
        files[f"ledger/contributions/r{n + 10}.yaml"] = REV(f"c{n + 10}")
    ledger = load(ledger_dir(files)).ledger
    asked: list[str] = []

    def counting(source, path, key):
        asked.append(source.path)
        return source

    assert len(ledger.reversals) == 5
    assert checks.run(replace(ledger, locator=counting), TODAY) == []
    assert asked == []


def test_l017_runs_the_engine_only_for_a_payment_above_what_can_be_owed(monkeypatch):
    """The bundled ledger's ended pilote-2025 paid dokos 15,000 and communecter 5,000, under
    an envelope of 30,000 and a cap per common of 15,000, for 19,500 and 9,000 given at
    ratio 1: within the bounds, so `cofi check` does not run the engine to tell."""
    from pathlib import Path

    import cofi.checks.payments
    from conftest import load

    def no_engine(*args, **kwargs):
        raise AssertionError("the engine ran inside cofi check")

    monkeypatch.setattr(cofi.checks.payments, "match_all", no_engine)
    ledger = load(Path(__file__).resolve().parents[1]).ledger
    assert [p for p in checks_run(ledger) if p.code == "L017"] == []


def checks_run(ledger):
    from cofi import checks

    return checks.run(ledger, TODAY)
