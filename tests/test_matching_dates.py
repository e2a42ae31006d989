"""SPEC §2 and §3a over time and across outputs: as_of, reversals, windows, provisional
figures, stacking programmes, rounding. Same small ledgers as test_matching_rules."""

from __future__ import annotations

import csv
import io
import pickle
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from cofi import render, report
from cofi.matching import match_all, match_programme
from test_matching_rules import AS_OF, c, ledger, outcome, programme

# ---- as_of, reversals and windows (§3a.1–3) --------------------------------------------------

REVERSED = {
    "c1": c("03-01", "ruche", "dokos", "500"),
    "c2": c("04-01", "forge", "dokos", "300"),
    "c1-annulation": "{date: 2026-06-01, reverses: c1}",
}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # reversal dated after as_of: c1 still counts and eats the envelope of 500:
        # c1 500, c2 min(300, 500 − 500) = 0
        (date(2026, 5, 31), {"c1": ("500.00", "ratio"), "c2": ("0.00", "envelope")}),
        # reversal dated on as_of cancels c1 (≤ A): its 500 goes back to c2: 300
        (date(2026, 6, 1), {"c1": ("refused", "reversed"), "c2": ("300.00", "ratio")}),
        (date(2026, 11, 28), {"c1": ("refused", "reversed"), "c2": ("300.00", "ratio")}),
    ],
)
def test_reversal_counts_from_its_own_date(ledger_dir, as_of, expected):
    led = ledger(ledger_dir, programme(envelope="500"), REVERSED)
    assert outcome(match_programme(led, led.programme["p"], as_of)) == expected


def test_entries_after_as_of_do_not_exist(ledger_dir):
    led = ledger(
        ledger_dir,
        programme(envelope="500"),
        {
            "early": c("06-30", "ruche", "dokos", "400"),
            "late": c("07-01", "forge", "dokos", "400"),
        },
    )
    result = match_programme(led, led.programme["p"], date(2026, 6, 30))
    # "late" is not refused, it is not there at all; "early" 400 of the envelope 500
    assert outcome(result) == {"early": ("400.00", "ratio")}
    assert result.allocated == Decimal("400.00")
    assert result.unallocated == Decimal("100.00")  # 500 − 400


def test_window_ends_at_as_of_when_the_programme_runs_on(ledger_dir):
    # window [2026-01-01, min(2026-12-31, 2026-06-30)] = [01-01, 06-30]
    led = ledger(
        ledger_dir,
        programme(),
        {
            "june": c("06-30", "ruche", "dokos", "100"),
            "july": c("07-01", "ruche", "dokos", "200"),
        },
    )
    assert outcome(match_programme(led, led.programme["p"], date(2026, 6, 30))) == {
        "june": ("100.00", "ratio"),
    }
    # as of 2026-11-28 both are inside: 100 and 200
    assert outcome(match_programme(led, led.programme["p"], AS_OF)) == {
        "june": ("100.00", "ratio"),
        "july": ("200.00", "ratio"),
    }


def test_programme_starting_after_as_of_has_nothing_eligible(ledger_dir):
    led = ledger(
        ledger_dir,
        programme(start="2026-10-01"),
        {
            "c1": c("03-01", "ruche", "dokos", "100"),
        },
    )
    result = match_programme(led, led.programme["p"], date(2026, 9, 30))
    assert result.eligible == ()
    assert outcome(result) == {"c1": ("refused", "before-start")}
    assert result.allocated == Decimal("0.00")
    assert result.unallocated == Decimal("100000.00")


def test_two_programmes_stack_each_on_its_own(ledger_dir):
    region = programme(
        "eligible: {commons: [dokos]}\n",
        funder="region",
        ratio="0.5",
        allocation="pro-rata",
        name="Région",
    )
    led = ledger(
        ledger_dir,
        programme(envelope="1000"),
        {
            "a": c("03-01", "ruche", "dokos", "800"),
            "b": c("03-02", "forge", "dokos", "600"),
            "m": c("03-03", "bocal", "movilab", "100"),
        },
        region=region,
    )
    p, r = match_all(led, AS_OF)  # by programme id: "p" < "region"
    # State, first-come, envelope 1000: a 800, b min(600, 200) = 200, m min(100, 0) = 0
    assert outcome(p) == {
        "a": ("800.00", "ratio"),
        "b": ("200.00", "envelope"),
        "m": ("0.00", "envelope"),
    }
    # Region, 0.5, dokos only, not limited by the State's envelope: a 400, b 300
    assert outcome(r) == {
        "a": ("400.00", "ratio"),
        "b": ("300.00", "ratio"),
        "m": ("refused", "common"),
    }


# ---- provisional (§2) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allocation", "as_of", "provisional"),
    [
        ("pro-rata", date(2026, 6, 29), True),
        ("pro-rata", date(2026, 6, 30), True),  # as_of = end: the end has not passed
        ("pro-rata", date(2026, 7, 1), False),  # the day after: final
        ("first-come", date(2026, 6, 29), False),  # first-come figures never go down
        ("first-come", date(2026, 7, 1), False),
    ],
)
def test_provisional_until_the_end_has_passed(ledger_dir, allocation, as_of, provisional):
    led = ledger(
        ledger_dir,
        programme(allocation=allocation, end="2026-06-30"),
        {
            "a": c("03-01", "ruche", "dokos", "100"),
        },
    )
    assert match_programme(led, led.programme["p"], as_of).provisional is provisional


# ---- rounding and outputs (§2 rounding, §3a.9) ------------------------------------------------


def test_rounding_leaves_cents_unallocated(ledger_dir):
    led = ledger(
        ledger_dir,
        programme(allocation="pro-rata", envelope="100"),
        {
            "a": c("03-01", "ruche", "dokos", "100"),
            "b": c("03-02", "forge", "dokos", "100"),
            "d": c("03-03", "bocal", "dokos", "100"),
        },
    )
    result = match_programme(led, led.programme["p"], AS_OF)
    # 3 × 33.33 = 99.99 allocated, 100 − 99.99 = 0.01 unallocated; exact 100/3 each
    assert result.allocated == Decimal("99.99")
    assert result.unallocated == Decimal("0.01")
    assert {m.exact for m in result.matches} == {Fraction(100, 3)}


def test_base_is_floored_to_the_cent_in_outputs(ledger_dir):
    led = ledger(
        ledger_dir,
        programme("in_kind_ratio: 0.5\ncaps: {per_contribution: 300}\n"),
        {
            "tiny": c("03-01", "ruche", "dokos", "0.01", "kind: in-kind"),
            "big": c("03-02", "forge", "dokos", "500"),
        },
    )
    result = match_programme(led, led.programme["p"], AS_OF)
    tiny = result.matches[0]
    assert tiny.base == Fraction(1, 200)  # 0.01 × 0.5 = 0.005 exactly
    rows = list(csv_rows(render.table_csv(report.contributions_table([result]))))
    # tiny: base 0.005 floored → 0.00, matched 0.00; big: base min(500, 300) = 300
    assert [
        (r["contribution"], r["amount"], r["base"], r["matched"], r["binding"]) for r in rows
    ] == [
        ("tiny", "0.01", "0.00", "0.00", "rounding"),
        ("big", "500.00", "300.00", "300.00", "per_contribution"),
    ]


def test_a_contributions_row_is_a_plain_dict_sharing_its_keys(ledger_dir):
    """Each row of `match --by contribution` is a dict, its keys those of the columns, in
    their order, stored once for all the rows: 400,000 rows at national scale."""
    led = ledger(
        ledger_dir,
        programme(""),
        {"a": c("03-01", "ruche", "dokos", "100"), "b": c("03-02", "forge", "dokos", "50")},
    )
    rows = report.contributions_table([match_programme(led, led.programme["p"], AS_OF)]).rows
    first = rows[0]
    assert type(first) is dict
    assert list(first) == [col.key for col in report.CONTRIBUTION_COLUMNS]
    assert first["contribution"] == "a" and first["matched"] == Decimal("100.00")  # ratio 1
    assert pickle.loads(pickle.dumps(rows)) == rows  # as the memo keeps them
    # The same row written out as a dict holds its own keys: a row shares them.
    assert sys.getsizeof(first) < sys.getsizeof(dict(first.items()))


def csv_rows(text: str):
    return csv.DictReader(io.StringIO(text))


def test_explain_steps_are_the_computation(ledger_dir):
    # first-come, per_contributor 500: a 300, b 400 → min(400, 500 − 300) = 200
    led = ledger(
        ledger_dir,
        programme("caps: {per_contributor: 500}"),
        {
            "a": c("03-01", "ruche", "dokos", "300"),
            "b": c("03-02", "ruche", "movilab", "400"),
        },
    )
    b = match_programme(led, led.programme["p"], AS_OF).matches[1]
    assert [(s.rule, s.before, s.after) for s in b.steps] == [
        ("base", 400, 400),  # 400 × ratio 1
        ("per_contributor", 400, 200),  # 200 left of 500
    ]
