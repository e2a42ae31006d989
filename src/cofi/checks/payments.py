"""Payments against what is owed: a funder's disbursements to a common above the match it
owes that common (a warning: the money was paid, and the ledger says so as it happened).

Only for a programme that has ended: until then what it owes grows with each contribution,
and a funder may pay an advance (French subsidies often do, at signature)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from cofi.checks.context import Context
from cofi.i18n import N_
from cofi.ledger import Ledger
from cofi.matching import match_all
from cofi.model import Disbursement
from cofi.obligations import match_obligations
from cofi.problems import Problem, msg


def _may_be_overpaid(ledger: Ledger, paid: dict[tuple[str, str], Decimal]) -> set[tuple[str, str]]:
    """The (programme, common) whose payment is above what the programme could owe the
    common at most, found without running the engine (which would double the cost of
    `cofi check` on a large ledger): a match to a common is at most the envelope, the cap
    per common and, but under quadratic allocation (whose figure can exceed what was
    given: then every payment is for the engine to judge), the bases of the contributions
    to that common in the programme's window."""
    out: set[tuple[str, str]] = set()
    given: dict[str, dict[str, Decimal]] = {}
    for (programme_id, common), amount in sorted(paid.items()):
        p = ledger.programme.get(programme_id)
        if p is None:
            continue
        cap = p.caps.per_common
        bound = p.envelope if cap is None else min(p.envelope, cap)
        if p.allocation != "quadratic":
            if programme_id not in given:
                given[programme_id] = _given_in_window(ledger, p.start, p.end)
            rate = max(p.ratio, p.in_kind_ratio)
            bound = min(bound, given[programme_id].get(common, Decimal(0)) * rate)
        if amount > bound or p.allocation == "quadratic":
            out.add((programme_id, common))
    return out


def _given_in_window(ledger: Ledger, start: date, end: date) -> dict[str, Decimal]:
    """Common -> the written amounts of its contributions dated from `start` to `end`."""
    given: dict[str, Decimal] = defaultdict(Decimal)
    for c in ledger.contributions:
        if start <= c.date <= end:
            given[c.common] += c.amount
    return given


def disbursements_within_owed(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """L017: the disbursement that brings what an ended programme paid a common above what
    it could owe it at most (see `_may_be_overpaid`), stated against what it owes as of
    today (the engine's figures, as `cofi obligations` shows them). A smaller overpayment
    is for `cofi obligations` to show: finding it here would run the engine on every
    check."""
    paying: dict[tuple[str, str], list[Disbursement]] = defaultdict(list)
    for d in ledger.disbursements:
        if d.date <= ctx.today and not ledger.is_reversed(d.id, ctx.today):
            paying[(d.programme, d.common)].append(d)
    ended = {p.id for p in ledger.programmes if p.end < ctx.today}
    paid = {
        pair: sum((d.amount for d in found), Decimal(0))
        for pair, found in paying.items()
        if pair[0] in ended
    }
    suspects = _may_be_overpaid(ledger, paid)
    if not suspects:
        return
    results = match_all(ledger, ctx.today, sorted({p for p, _ in suspects}))
    for o in match_obligations(ledger, results):
        if o.paid <= o.owed or (o.id, o.common) not in suspects:
            continue
        running = Decimal(0)
        for d in sorted(paying[(o.id, o.common)], key=lambda d: (d.date, d.id)):
            running += d.amount
            if running > o.owed:
                break
        yield Problem(
            "L017",
            msg(
                N_(
                    "programme '{programme}' has paid {paid} to common '{common}', "
                    "more than the {owed} it owes it: {over} overpaid"
                ),
                programme=o.id,
                common=o.common,
                paid=o.paid,
                owed=o.owed,
                over=o.paid - o.owed,
            ),
            ledger.locate(d, "amount"),
            msg(
                N_(
                    "check the amount of this disbursement; if it is right, the funder "
                    "reclaims the difference or a contribution is missing from the ledger"
                )
            ),
            severity="warning",
        )
