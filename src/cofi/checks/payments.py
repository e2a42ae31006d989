"""Payments against what is owed: a funder's disbursements to a common above the match it
owes that common (a warning: the money was paid, and the ledger says so as it happened).

Only for a programme that has ended: until then what it owes grows with each contribution,
and a funder may pay an advance (French subsidies often do, at signature)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from cofi.checks.context import Context
from cofi.i18n import N_
from cofi.ledger import Ledger
from cofi.matching import match_all
from cofi.model import Disbursement
from cofi.obligations import match_obligations
from cofi.problems import Problem, msg


def disbursements_within_owed(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """L017: the disbursement that brings what an ended programme paid a common above what
    it owes it, as of today (the engine's figures, as `cofi obligations` shows them)."""
    paying: dict[tuple[str, str], list[Disbursement]] = defaultdict(list)
    for d in ledger.disbursements:
        if d.date <= ctx.today and not ledger.is_reversed(d.id, ctx.today):
            paying[(d.programme, d.common)].append(d)
    ended = {p.id for p in ledger.programmes if p.end < ctx.today}
    programmes = {p for p, _ in paying} & ended
    if not programmes:
        return
    results = match_all(ledger, ctx.today, sorted(programmes))
    for o in match_obligations(ledger, results):
        if o.paid <= o.owed:
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
