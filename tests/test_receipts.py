"""Receipts (SPEC §1, §2, §3): a steward confirms a contribution, and a programme that
requires it matches only what is confirmed, first-come by the day of confirmation.

Every figure below is worked out by hand in the comment above it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cofi.cli import app
from cofi.ledger import Ledger
from cofi.matching import match_programme
from cofi.model import Contribution, Programme, Receipt, Reversal
from cofi.obligations import receipt_obligations
from cofi.problems import Source
from conftest import TODAY, load_ok, validate

PEOPLE = {
    "ledger/contributors/ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "ledger/contributors/hangar.yaml": "name: Le Hangar\nkind: tiers-lieu\n",
    "ledger/contributors/etat.yaml": "name: État\nkind: public\n",
    "ledger/contributors/dokos-sas.yaml": "name: Dokos SAS\nkind: private\n",
    "commons/dokos.yaml": "name: Dokos\nstewards: [dokos-sas]\n",
    "commons/movilab.yaml": "name: Movilab\n",
}


def prog(allocation: str = "first-come", receipt: str = "true", envelope: str = "1000") -> str:
    return (
        "name: Pilote\nfunder: etat\nratio: 1\nstart: 2026-01-01\nend: 2026-06-30\n"
        f"envelope: {envelope}\nallocation: {allocation}\nrequires_receipt: {receipt}\n"
    )


def gift(day: str, who: str, amount: str, common: str = "dokos") -> str:
    return f"date: {day}\ncontributor: {who}\ncommon: {common}\namount: {amount}\n"


def receipt(day: str, contribution: str) -> str:
    return f"date: {day}\ncontribution: {contribution}\n"


C = "ledger/contributions"
R = "ledger/receipts"
# c-a is given first but confirmed last; c-b is given later and confirmed the next day.
TWO = {
    f"{C}/c-a.yaml": gift("2026-02-01", "ruche", "800"),
    f"{C}/c-b.yaml": gift("2026-03-01", "hangar", "600"),
    f"{R}/2026/r-b.yaml": receipt("2026-03-02", "c-b"),
    f"{R}/2026/r-a.yaml": receipt("2026-04-01", "c-a"),
}


def matches(ledger_dir, files: dict[str, str], as_of: date = TODAY, **kw: str):
    led = load_ok(ledger_dir({**PEOPLE, "ledger/programmes/p.yaml": prog(**kw), **files})).ledger
    result = match_programme(led, led.programme["p"], as_of)
    return {m.contribution.id: str(m.matched) if m.eligible else m.reason for m in result.matches}


def test_first_come_serves_by_the_day_of_confirmation(ledger_dir):
    # Queue by max(date, receipt): c-b on 03-02, then c-a on 04-01. c-b takes 600 of the
    # envelope of 1000; c-a gets what is left: min(800, 1000 − 600) = 400.
    assert matches(ledger_dir, TWO) == {"c-a": "400.00", "c-b": "600.00"}


def test_without_the_requirement_first_come_serves_by_date(ledger_dir):
    # By date: c-a (02-01) takes 800, c-b gets 1000 − 800 = 200. Receipts change nothing.
    assert matches(ledger_dir, TWO, receipt="false") == {"c-a": "800.00", "c-b": "200.00"}


def test_a_receipt_dated_after_the_day_of_computation_does_not_exist_yet(ledger_dir):
    # As of 03-15, r-a (04-01) is in the future: c-a awaits; c-b alone takes 600.
    got = matches(ledger_dir, TWO, as_of=date(2026, 3, 15))
    assert got == {"c-a": "awaiting-receipt", "c-b": "600.00"}


def test_a_receipt_dated_after_the_programme_ends_does_not_confirm_for_it(ledger_dir):
    files = {**TWO, f"{R}/2026/r-a.yaml": receipt("2026-07-01", "c-a")}  # end is 06-30
    assert matches(ledger_dir, files) == {"c-a": "awaiting-receipt", "c-b": "600.00"}


def test_a_reversed_receipt_confirms_nothing_from_the_reversal_on(ledger_dir):
    files = {**TWO, f"{R}/2026/r-b-annule.yaml": "date: 2026-05-01\nreverses: r-b\n"}
    # As of 04-15 r-b still stands: as in the first test, 600 then 400.
    assert matches(ledger_dir, files, as_of=date(2026, 4, 15)) == {
        "c-a": "400.00",
        "c-b": "600.00",
    }
    # From 05-01 c-b awaits again, and c-a, alone, takes its whole 800.
    assert matches(ledger_dir, files) == {"c-a": "800.00", "c-b": "awaiting-receipt"}


def test_pro_rata_shares_the_envelope_among_the_confirmed_only(ledger_dir):
    files = {**TWO, f"{C}/c-c.yaml": gift("2026-03-10", "ruche", "700", "movilab")}
    # Confirmed: 800 + 600 = 1400 > 1000 → × 5/7: c-a 800 × 5/7 = 571.428… → 571.42,
    # c-b 600 × 5/7 = 428.571… → 428.57. c-c, unconfirmed, is not in the total.
    got = matches(ledger_dir, files, allocation="pro-rata")
    assert got == {"c-a": "571.42", "c-b": "428.57", "c-c": "awaiting-receipt"}


def test_other_reasons_are_given_before_awaiting_a_receipt(ledger_dir):
    files = {f"{C}/c-s.yaml": gift("2026-02-01", "dokos-sas", "500")}  # a steward, unconfirmed
    assert matches(ledger_dir, files) == {"c-s": "contributor-kind"}


# ---- cofi check ---------------------------------------------------------------------------

CASES = [
    # (code, the receipt's text, (line, column) of the problem, what the message says)
    ("R007", receipt("2026-03-02", "c-z"), (2, 15), "unknown contribution 'c-z'"),
    ("L013", receipt("2026-03-02", "p-1"), (2, 15), "'p-1' is a pledge"),
    ("L014", receipt("2026-02-28", "c-b"), (1, 7), "dated 2026-02-28, before the contribution"),
]


@pytest.mark.parametrize(("code", "text", "at", "said"), CASES, ids=[c[0] for c in CASES])
def test_a_receipt_must_confirm_an_earlier_contribution(ledger_dir, code, text, at, said):
    files = {
        **PEOPLE,
        "ledger/programmes/p.yaml": prog(),
        f"{C}/c-b.yaml": gift("2026-03-01", "hangar", "600"),
        "ledger/pledges/p-1.yaml": (
            "date: 2026-01-10\ncontributor: ruche\ncommon: dokos\namount: 300\ndue: 2026-09-30\n"
        ),
        f"{R}/x.yaml": text,
    }
    problems = validate(ledger_dir(files), TODAY).problems
    assert [(p.code, p.source.path, p.source.line, p.source.col) for p in problems] == [
        (code, f"{R}/x.yaml", *at)
    ]
    assert said in problems[0].message and problems[0].hint


def test_a_contribution_is_confirmed_once_unless_the_first_receipt_is_reversed(ledger_dir):
    files = {**PEOPLE, **TWO, f"{R}/2026/r-b2.yaml": receipt("2026-03-05", "c-b")}
    problems = validate(ledger_dir(files), TODAY).problems
    assert [(p.code, p.source.path, p.source.line) for p in problems] == [
        ("L015", f"{R}/2026/r-b2.yaml", 2)
    ]
    assert f"{R}/2026/r-b.yaml" in problems[0].message
    # r-b reversed on 03-04, before r-b2 (03-05): r-b2 confirms c-b from 03-05 on.
    files[f"{R}/2026/r-b-annule.yaml"] = "date: 2026-03-04\nreverses: r-b\n"
    assert validate(ledger_dir(files), TODAY).problems == []
    # Reversed only on 03-06, r-b still confirmed c-b when r-b2 (03-05) was dated: a
    # contribution confirmed twice over, and from 03-05 after the reversal. Refused.
    files[f"{R}/2026/r-b-annule.yaml"] = "date: 2026-03-06\nreverses: r-b\n"
    problems = validate(ledger_dir(files), TODAY).problems
    assert [(p.code, p.source.path) for p in problems] == [("L015", f"{R}/2026/r-b2.yaml")]


def test_a_receipt_is_an_entry_its_id_shared_with_contributions(ledger_dir):
    files = {**PEOPLE, **TWO, f"{R}/c-a.yaml": receipt("2026-03-02", "c-b")}
    codes = [p.code for p in validate(ledger_dir(files), TODAY).problems]
    assert "L001" in codes


# ---- obligations and explain ----------------------------------------------------------------


def cli(root, *args: str):
    return CliRunner().invoke(app, [*args, "--root", str(root), "--as-of", "2026-03-15"])


def test_obligations_list_the_receipts_awaited_by_the_steward(ledger_dir):
    root = ledger_dir({**PEOPLE, "ledger/programmes/p.yaml": prog(), **TWO})
    result = cli(root, "obligations", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.stdout.splitlines()]
    header = rows[0]
    awaited = [dict(zip(header, r, strict=True)) for r in rows[1:] if r[0] == "receipt"]
    # As of 03-15 c-a (800, given 02-01) has no receipt yet: 28 days in February + 14 = 42
    # days old, due by the programme's end, 2026-06-30, from dokos's steward.
    assert awaited == [
        {
            "type": "receipt",
            "id": "c-a",
            "debtor": "dokos-sas",
            "common": "dokos",
            "owed": "800.00",
            "paid": "0.00",
            "unmet": "800.00",
            "due": "2026-06-30",
            "overdue": "false",
            "days_overdue": "0",
            "provisional": "false",
            "age": "42",
        }
    ]


def test_obligations_totals_count_money_only(ledger_dir):
    root = ledger_dir({**PEOPLE, "ledger/programmes/p.yaml": prog(), **TWO})
    result = cli(root, "obligations", "--format", "json")
    # c-b's match (600, first-come) is the only debt of money: the 800 awaiting is no debt.
    assert result.exit_code == 0
    table = CliRunner().invoke(
        app, ["obligations", "--root", str(root), "--as-of", "2026-03-15", "--format", "table"]
    )
    total = next(line for line in table.stdout.splitlines() if line.startswith("Total"))
    assert "600.00" in total and "1,400.00" not in total and "800.00" not in total
    assert "1 contribution awaits its receipt" in table.stdout


def test_explain_says_who_must_confirm(ledger_dir):
    root = ledger_dir({**PEOPLE, "ledger/programmes/p.yaml": prog(), **TWO})
    text = cli(root, "explain", "c-a").stdout
    assert "awaiting a receipt" in text and "dokos (dokos-sas)" in text
    assert "cofi new receipt c-a" in text
    text = cli(root, "explain", "c-b").stdout
    assert "confirmed by receipt r-b on 2026-03-02" in text


def test_new_receipt_writes_a_checked_file(ledger_dir):
    root = ledger_dir({**PEOPLE, "ledger/programmes/p.yaml": prog(), **TWO})
    (root / R / "2026" / "r-a.yaml").unlink()
    result = CliRunner().invoke(
        app, ["new", "receipt", "c-a", "--root", str(root), "--date", "2026-03-20"]
    )
    assert result.exit_code == 0, result.output
    written = root / R / "2026" / "2026-03-20-receipt-c-a.yaml"
    assert "contribution: c-a\n" in written.read_text(encoding="utf-8")
    assert validate(root, TODAY).problems == []
    again = CliRunner().invoke(
        app, ["new", "receipt", "c-a", "--root", str(root), "--date", "2026-03-21"]
    )
    assert again.exit_code == 1 and "L015" in again.stderr
    assert not (root / R / "2026" / "2026-03-21-receipt-c-a.yaml").exists()
    wrong = CliRunner().invoke(app, ["new", "receipt", "r-b", "--root", str(root)])
    assert wrong.exit_code == 2 and "'r-b' is a receipt" in wrong.stderr
    none = CliRunner().invoke(app, ["new", "receipt", "c-z", "--root", str(root)])
    assert none.exit_code == 2 and "no contribution 'c-z'" in none.stderr


# ---- a late confirmation never lowers one made before it ------------------------------------

EPOCH = date(2026, 1, 1)


def _contribution(i: int, day: int, cents: int) -> Contribution:
    return Contribution(
        id=f"c{i:02d}",
        source=Source(f"c{i:02d}.yaml"),
        date=date.fromordinal(EPOCH.toordinal() + day),
        contributor=f"k{i % 3}",
        common=f"m{i % 2}",
        amount=Decimal(cents) / 100,
    )


@st.composite
def confirmed_ledgers(draw):
    n = draw(st.integers(2, 10))
    gifts = [
        _contribution(i, draw(st.integers(0, 60)), draw(st.integers(1, 400_000))) for i in range(n)
    ]
    receipts = [
        Receipt(
            id=f"r{c.id}",
            source=Source(f"r{c.id}.yaml"),
            date=date.fromordinal(c.date.toordinal() + draw(st.integers(0, 30))),
            contribution=c.id,
        )
        for c in gifts
        if draw(st.booleans())
    ]
    cap = draw(st.sampled_from([None, "1500", "4000"]))
    programme = Programme.model_validate(
        {
            "id": "p",
            "source": Source("p.yaml"),
            "name": "P",
            "funder": "etat",
            "ratio": Decimal(draw(st.sampled_from(["1", "0.5", "2"]))),
            "start": EPOCH,
            "end": date(2026, 12, 31),
            "envelope": Decimal(draw(st.integers(100, 20_000))),
            "allocation": "first-come",
            "requires_receipt": True,
            "caps": {"per_contributor": None if cap is None else Decimal(cap)},
        }
    )
    return gifts, receipts, programme


def _ledger(gifts, receipts, programme, reversals=()) -> Ledger:
    from cofi.model import Common, Contributor

    people = [
        Contributor(id=f"k{i}", source=Source(f"k{i}.yaml"), name="K", kind="tiers-lieu")
        for i in range(3)
    ]
    people.append(Contributor(id="etat", source=Source("etat.yaml"), name="É", kind="public"))
    commons = [Common(id=f"m{i}", source=Source(f"m{i}.yaml"), name="M") for i in range(2)]
    return Ledger(
        contributors=tuple(people),
        commons=tuple(commons),
        programmes=(programme,),
        contributions=tuple(gifts),
        receipts=tuple(receipts),
        reversals=tuple(reversals),
    )


@settings(max_examples=150, deadline=None)
@given(confirmed_ledgers(), st.data())
def test_a_late_receipt_never_lowers_a_match_already_confirmed(case, data):
    """A receipt that arrives after every other date (as a new one does) puts its
    contribution last in the queue: every match confirmed before stays as it was."""
    gifts, receipts, programme = case
    waiting = [c for c in gifts if c.id not in {r.contribution for r in receipts}]
    if not waiting:
        return
    late = data.draw(st.sampled_from(waiting))
    last = max([c.date for c in gifts] + [r.date for r in receipts])
    day = date.fromordinal(last.toordinal() + 1)
    before = match_programme(_ledger(gifts, receipts, programme), programme, day)
    new = Receipt(id="rlate", source=Source("rlate.yaml"), date=day, contribution=late.id)
    after = match_programme(_ledger(gifts, [*receipts, new], programme), programme, day)
    was = {m.contribution.id: m.matched for m in before.matches if m.eligible}
    now = {m.contribution.id: m.matched for m in after.matches if m.eligible}
    assert {k: now[k] for k in was} == was
    assert late.id in now and late.id not in was


def test_receipt_obligations_skip_a_contribution_confirmed_after_an_end(ledger_dir):
    # r-a dated 07-01 confirms c-a too late for p (end 06-30), but nothing more can be asked
    # of the steward: no receipt is awaited, though p still refuses c-a.
    files = {**TWO, f"{R}/2026/r-a.yaml": receipt("2026-07-01", "c-a")}
    led = load_ok(ledger_dir({**PEOPLE, "ledger/programmes/p.yaml": prog(), **files})).ledger
    result = match_programme(led, led.programme["p"], TODAY)
    assert receipt_obligations(led, [result]) == []
    assert isinstance(led.entry["r-a"], Receipt) and not isinstance(led.entry["r-a"], Reversal)
