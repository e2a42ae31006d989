"""SPEC §3 and §3a.10–14: owed, paid, unmet, due and overdue, for match obligations
and pledges; urgency order; honour rates. Figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from cofi import report
from cofi.matching import match_all
from cofi.obligations import (
    Obligation,
    by_urgency,
    honour_rates,
    match_obligations,
    pledge_obligations,
)
from conftest import load_ok
from test_matching_rules import PEOPLE, c, programme

D = Decimal


def ledger(ledger_dir, files: dict[str, str], **programmes: str):
    everything = dict(PEOPLE)
    everything |= {f"ledger/programmes/{pid}.yaml": text for pid, text in programmes.items()}
    everything |= files
    # overpaid rows (L017, a warning) are what some of these tests are about
    return load_ok(ledger_dir(everything), allow=("L017",)).ledger


def contribution(cid: str, text: str) -> dict[str, str]:
    return {f"ledger/contributions/{cid}.yaml": text}


def disbursement(did: str, day: str, prog: str, common: str, amount: str) -> dict[str, str]:
    return {
        f"ledger/disbursements/{did}.yaml": (
            f"{{date: {day}, programme: {prog}, common: {common}, amount: {amount}}}"
        )
    }


def pledge(pid: str, day: str, who: str, amount: str, due: str) -> dict[str, str]:
    return {
        f"ledger/pledges/{pid}.yaml": (
            f"{{date: {day}, contributor: {who}, common: dokos, amount: {amount}, due: {due}}}"
        )
    }


def reversal(folder: str, rid: str, day: str, target: str) -> dict[str, str]:
    return {f"ledger/{folder}/{rid}.yaml": f"{{date: {day}, reverses: {target}}}"}


def cents(value: Decimal) -> str:
    return f"{value.quantize(D('0.01'))}"


def rows(obligations) -> list[tuple]:
    """Amounts to the cent as text, so that 250 and 250.00 read the same."""
    return [
        (
            o.kind,
            o.id,
            o.debtor,
            o.common,
            cents(o.owed),
            cents(o.paid),
            cents(o.unmet),
            o.due,
            o.overdue,
        )
        for o in obligations
    ]


def matches(led, as_of: date):
    return match_obligations(led, match_all(led, as_of))


# Programme "p": first-come, ratio 1, in-kind 0.5, 2026-01-01 → 2026-06-30, paid 30 days
# after its end: due 2026-06-30 + 30 days = 2026-07-30.
P = programme("in_kind_ratio: 0.5\npayment_days: 30\n", end="2026-06-30")
DUE = date(2026, 7, 30)


def test_owed_paid_unmet_per_programme_and_common(ledger_dir):
    led = ledger(
        ledger_dir,
        {
            **contribution("a", c("03-01", "ruche", "dokos", "300")),
            **contribution("b", c("03-02", "forge", "dokos", "200", "kind: in-kind")),
            **contribution("m", c("03-03", "bocal", "movilab", "400")),
            **disbursement("d1", "2026-08-01", "p", "dokos", "250"),
        },
        p=P,
    )
    got = matches(led, date(2026, 11, 28))
    # dokos: owed 300 + 200 × 0.5 = 400, paid 250, unmet 150; overdue (11-28 > 07-30)
    # movilab: owed 400, paid 0, unmet 400, overdue
    assert rows(got) == [
        ("match", "p", "etat", "dokos", "400.00", "250.00", "150.00", DUE, True),
        ("match", "p", "etat", "movilab", "400.00", "0.00", "400.00", DUE, True),
    ]
    # contributed (§3a.9): written amounts, money and in-kind alike: 300 + 200 = 500
    assert [o.contributed for o in got] == [D("500"), D("400")]


def test_rows_for_a_disbursement_alone_and_not_for_ineligible_only(ledger_dir):
    led = ledger(
        ledger_dir,
        {
            # movilab only gets a network's gift (not eligible): no eligible contribution
            **contribution("net", c("03-01", "reseau", "movilab", "300")),
            # ... but p paid movilab 100 anyway: the row exists, overpaid (§3a.10, §3a.11)
            **disbursement("d1", "2026-08-01", "p", "movilab", "100"),
            # dokos: eligible only through reseau too, and no disbursement: no row
            **contribution("net2", c("03-02", "reseau", "dokos", "300")),
        },
        p=P,
    )
    # movilab: owed 0, paid 100, unmet 0 − 100 = −100; not overdue (nothing unmet)
    assert rows(matches(led, date(2026, 11, 28))) == [
        ("match", "p", "etat", "movilab", "0.00", "100.00", "-100.00", DUE, False),
    ]


def test_eligible_contribution_matched_zero_still_has_its_row(ledger_dir):
    # envelope 100: a takes it all; b on movilab is eligible with 0.00 → a row owed 0.00
    led = ledger(
        ledger_dir,
        {
            **contribution("a", c("03-01", "ruche", "dokos", "100")),
            **contribution("b", c("03-02", "forge", "movilab", "50")),
        },
        p=programme(envelope="100", end="2026-06-30"),
    )
    got = matches(led, date(2026, 11, 28))
    # due 2026-06-30 + 60 (default) = 2026-08-29 (07-31 is +31, 08-29 is +60)
    due = date(2026, 8, 29)
    assert rows(got) == [
        ("match", "p", "etat", "dokos", "100.00", "0.00", "100.00", due, True),
        ("match", "p", "etat", "movilab", "0.00", "0.00", "0.00", due, False),
    ]
    # `cofi obligations` leaves the settled row out; --all lists it (§3a.13)
    assert [r["common"] for r in report.obligations_table(got).rows] == ["dokos"]
    assert [r["common"] for r in report.obligations_table(got, all=True).rows] == [
        "dokos",
        "movilab",
    ]


def test_paid_counts_disbursements_by_as_of_and_reversal_whatever_the_period(ledger_dir):
    led = ledger(
        ledger_dir,
        {
            **contribution("a", c("03-01", "ruche", "dokos", "1000")),
            # an advance before the programme even starts: counts
            **disbursement("early", "2025-12-15", "p", "dokos", "100"),
            # during the programme: counts
            **disbursement("during", "2026-04-01", "p", "dokos", "200"),
            # reversed on 2026-09-01: counts before that date only
            **disbursement("wrong", "2026-08-01", "p", "dokos", "5000"),
            **reversal("disbursements", "wrong-annulation", "2026-09-01", "wrong"),
            # long after the due date: counts once dated ≤ as_of
            **disbursement("late", "2026-11-01", "p", "dokos", "300"),
        },
        p=P,
    )

    def paid(as_of: date) -> list[Decimal]:
        return [o.paid for o in matches(led, as_of)]

    assert paid(date(2026, 3, 31)) == [D("100")]  # early only
    assert paid(date(2026, 8, 31)) == [D("5300")]  # 100 + 200 + 5000 (reversal not yet)
    assert paid(date(2026, 9, 1)) == [D("300")]  # 100 + 200: the reversal cancels 5000
    assert paid(date(2026, 11, 28)) == [D("600")]  # 100 + 200 + 300
    # as of 2026-08-31: owed 1000, paid 5300 → unmet −4300, overpaid and shown
    (o,) = matches(led, date(2026, 8, 31))
    assert (o.unmet, o.overdue) == (D("-4300.00"), False)
    assert report.obligations_table([o]).rows[0]["unmet"] == D("-4300.00")


@pytest.mark.parametrize(
    ("as_of", "paid", "overdue"),
    [
        (date(2026, 7, 30), "0", False),  # as_of = due: not past due
        (date(2026, 7, 31), "0", True),  # strictly after due, 300 unmet
        (date(2026, 11, 28), "300", False),  # paid in full on 2026-09-01: unmet 0
    ],
)
def test_overdue_only_strictly_after_due_and_unmet(ledger_dir, as_of, paid, overdue):
    led = ledger(
        ledger_dir,
        {
            **contribution("a", c("03-01", "ruche", "dokos", "300")),
            **disbursement("d1", "2026-09-01", "p", "dokos", "300"),
        },
        p=P,
    )
    (o,) = matches(led, as_of)
    assert (o.due, o.paid, o.overdue) == (DUE, D(paid), overdue)
    assert o.days_overdue == (1 if overdue else 0)  # 07-31 − 07-30


# ---- pledges (§3a.12) ------------------------------------------------------------------------

PLEDGE = {
    **pledge("ruche-dokos", "2026-01-10", "ruche", "1000", "2026-09-30"),
    # before p starts (2026-02-01): not matched, but it honours the pledge
    **contribution("p1", c("01-20", "ruche", "dokos", "50", "pledge: ruche-dokos")),
    # matched money
    **contribution("p2", c("03-01", "ruche", "dokos", "300", "pledge: ruche-dokos")),
    # in kind, not matched by p (in_kind_ratio 0): still honours the pledge
    **contribution("p3", c("04-01", "ruche", "dokos", "200", "kind: in-kind, pledge: ruche-dokos")),
    # reversed the next day: does not count
    **contribution("p4", c("05-01", "ruche", "dokos", "100", "pledge: ruche-dokos")),
    **reversal("contributions", "p4-annulation", "2026-05-02", "p4"),
    # after as_of 2026-10-01
    **contribution("p5", c("10-15", "ruche", "dokos", "150", "pledge: ruche-dokos")),
    # not naming the pledge: does not count
    **contribution("other", c("03-05", "ruche", "dokos", "999")),
}


@pytest.mark.parametrize(
    ("as_of", "paid", "unmet", "overdue"),
    [
        # p4's reversal is dated 05-02, after as_of: 50 + 300 + 200 + 100 = 650; 1000 − 650
        (date(2026, 5, 1), "650.00", "350.00", False),
        # 50 + 300 + 200 = 550 (p4 reversed, p5 not yet); 1000 − 550 = 450; 09-30 = due
        (date(2026, 9, 30), "550.00", "450.00", False),
        (date(2026, 10, 1), "550.00", "450.00", True),
        # + p5 150 = 700; 1000 − 700 = 300
        (date(2026, 11, 28), "700.00", "300.00", True),
    ],
)
def test_pledge_paid_counts_every_contribution_naming_it(ledger_dir, as_of, paid, unmet, overdue):
    led = ledger(ledger_dir, PLEDGE, p=programme(start="2026-02-01"))
    (result,) = match_all(led, as_of)
    refused = {m.contribution.id: m.reason for m in result.matches if not m.eligible}
    assert (refused["p1"], refused["p3"]) == ("before-start", "in-kind")  # yet they count
    assert rows(pledge_obligations(led, as_of)) == [
        (
            "pledge",
            "ruche-dokos",
            "ruche",
            "dokos",
            "1000.00",
            paid,
            unmet,
            date(2026, 9, 30),
            overdue,
        )
    ]


def test_reversed_pledges_and_later_pledges_are_not_listed(ledger_dir):
    led = ledger(
        ledger_dir,
        {
            **pledge("kept", "2026-01-10", "ruche", "100", "2026-12-31"),
            **pledge("dropped", "2026-01-10", "forge", "100", "2026-12-31"),
            **reversal("pledges", "dropped-annulation", "2026-02-01", "dropped"),
            **pledge("later", "2026-06-01", "bocal", "100", "2026-12-31"),
        },
    )

    def ids(as_of: date) -> list[str]:
        return [o.id for o in pledge_obligations(led, as_of)]

    assert ids(date(2026, 1, 31)) == ["dropped", "kept"]  # reversal dated later
    assert ids(date(2026, 2, 1)) == ["kept"]  # reversal ≤ as_of: gone
    assert ids(date(2026, 6, 1)) == ["kept", "later"]


# ---- urgency and honour rates -------------------------------------------------------------


def test_by_urgency_overdue_first_longest_first(ledger_dir):
    led = ledger(
        ledger_dir,
        {
            **contribution("a", c("03-01", "ruche", "dokos", "100")),
            **contribution("b", c("03-02", "forge", "dokos", "100")),
            **pledge("soon", "2026-01-10", "forge", "500", "2026-12-31"),
            **pledge("late", "2026-01-10", "ruche", "500", "2026-09-30"),
        },
        # early: ends 2026-03-31, due + 30 = 2026-04-30 (overdue); running: ends
        # 2026-12-31, due + 60 = 2027-03-01 (not yet)
        early=programme("payment_days: 30\n", end="2026-03-31"),
        running=programme(),
    )
    as_of = date(2026, 11, 28)
    rows_ = match_obligations(led, match_all(led, as_of)) + pledge_obligations(led, as_of)
    assert [(o.kind, o.id, o.due, o.overdue) for o in by_urgency(rows_)] == [
        ("match", "early", date(2026, 4, 30), True),  # 212 days overdue
        ("pledge", "late", date(2026, 9, 30), True),  # 59 days overdue
        ("pledge", "soon", date(2026, 12, 31), False),
        ("match", "running", date(2027, 3, 1), False),
    ]


def debt(debtor: str, owed: str, paid: str, due: date, kind: str = "match") -> Obligation:
    return Obligation(
        kind, f"{debtor}-{due}", debtor, "dokos", D(owed), D(paid), due, date(2026, 11, 28)
    )


def test_honour_rates_count_each_debt_at_most_what_it_owed():
    past, today, future = date(2026, 3, 1), date(2026, 11, 28), date(2027, 3, 1)
    rates = honour_rates(
        [
            debt("etat", "1000", "1200", past),  # overpaid: counts 1000 of 1000
            debt("etat", "1000", "0", past.replace(day=2)),  # counts 0 of 1000
            debt("etat", "500", "0", future),  # not due yet: left out
            debt("ruche", "400", "100", past, "pledge"),  # 100 of 400
            debt("region", "800", "0", today),  # due today: not passed yet (strictly)
            debt("region", "0", "50", past),  # nothing owed: left out
        ]
    )
    # etat: (1000 + 0) / (1000 + 1000) = 1/2; ruche: 100 / 400 = 1/4; region: no row
    assert [(h.debtor, h.owed, h.paid, h.rate) for h in rates] == [
        ("etat", D("2000"), D("1000"), Fraction(1, 2)),
        ("ruche", D("400"), D("100"), Fraction(1, 4)),
    ]
