"""What is owed, paid, unmet and overdue (SPEC §3, §3a).

Match obligations: a programme's funder owes each common the sum of its
matches. Pledge obligations: a contributor owes what it promised. `unmet` is
negative when more was paid than owed, and is shown as such, never hidden.
Receipts awaited: a steward owes a confirmation of each contribution that a
programme requiring receipts would match but that no receipt confirms yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from cofi.ledger import Ledger
from cofi.matching import ProgrammeResult
from cofi.model import Contribution

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Obligation:
    """One debt: `kind` match (id = programme), pledge (id = pledge) or receipt (id = the
    contribution awaiting it; `owed` its amount, `due` the earliest end of the programmes
    waiting for it, `since` the day it was made)."""

    kind: str
    id: str
    debtor: str
    common: str
    owed: Decimal
    paid: Decimal
    due: date
    as_of: date
    contributed: Decimal = ZERO  # match: the written amounts of the eligible contributions
    provisional: bool = False
    since: date | None = None  # receipt: the contribution's date

    @property
    def age(self) -> int | None:
        """Receipts: days since the contribution was made."""
        return None if self.since is None else (self.as_of - self.since).days

    @property
    def unmet(self) -> Decimal:
        return self.owed - self.paid

    @property
    def overdue(self) -> bool:
        """The due date has passed (strictly) and something is still unmet."""
        return self.as_of > self.due and self.unmet > 0

    @property
    def days_overdue(self) -> int:
        return (self.as_of - self.due).days if self.overdue else 0


def match_obligations(ledger: Ledger, results: Iterable[ProgrammeResult]) -> list[Obligation]:
    """One row per (programme, common) with an eligible contribution or a disbursement."""
    out = []
    for r in results:
        p, as_of = r.programme, r.as_of
        owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
        contributed: dict[str, Decimal] = defaultdict(lambda: ZERO)
        provisional: set[str] = set()
        for m in r.eligible:
            owed[m.contribution.common] += m.matched
            contributed[m.contribution.common] += m.contribution.amount
            if r.provisional and r.conditional(m):
                provisional.add(m.contribution.common)
        paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for d in ledger.disbursements:
            if d.programme == p.id and d.date <= as_of and not ledger.is_reversed(d.id, as_of):
                paid[d.common] += d.amount
        due = p.end + timedelta(days=p.payment_days)
        for common in sorted(owed.keys() | paid.keys()):
            out.append(
                Obligation(
                    "match",
                    p.id,
                    p.funder,
                    common,
                    owed[common],
                    paid[common],
                    due,
                    as_of,
                    contributed[common],
                    common in provisional,
                )
            )
    return out


def pledge_obligations(ledger: Ledger, as_of: date) -> list[Obligation]:
    """One row per pledge dated on or before `as_of` and not reversed."""
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for c in ledger.contributions:
        if c.pledge and c.date <= as_of and not ledger.is_reversed(c.id, as_of):
            paid[c.pledge] += c.amount
    return [
        Obligation("pledge", p.id, p.contributor, p.common, p.amount, paid[p.id], p.due, as_of)
        for p in sorted(ledger.pledges, key=lambda p: p.id)
        if p.date <= as_of and not ledger.is_reversed(p.id, as_of)
    ]


def receipt_obligations(ledger: Ledger, results: Iterable[ProgrammeResult]) -> list[Obligation]:
    """One row per contribution that a programme would match once confirmed, and that no
    receipt dated on or before the day of the results confirms (a receipt dated after a
    programme's end confirms it for the others, and leaves nothing to ask of the steward)."""
    waiting: dict[str, list[ProgrammeResult]] = defaultdict(list)
    as_of: date | None = None
    for r in results:
        as_of = r.as_of
        for m in r.matches:
            if m.reason == "awaiting-receipt":
                waiting[m.contribution.id].append(r)
    if as_of is None:
        return []
    confirmed = ledger.confirmed(as_of, as_of)
    out = []
    for contribution_id in sorted(waiting.keys() - confirmed.keys()):
        c = ledger.entry[contribution_id]
        assert isinstance(c, Contribution)
        stewards = ledger.common[c.common].stewards
        due = min(r.programme.end for r in waiting[contribution_id])
        debtor = stewards[0] if stewards else ""
        out.append(
            Obligation("receipt", c.id, debtor, c.common, c.amount, ZERO, due, as_of, since=c.date)
        )
    return out


def by_urgency(obligations: Iterable[Obligation]) -> list[Obligation]:
    """Overdue first (longest overdue first), then by due date, kind and id."""
    return sorted(obligations, key=lambda o: (not o.overdue, o.due, o.kind, o.id, o.common))


@dataclass(frozen=True, slots=True)
class HonourRate:
    """How much of what has fallen due a debtor has paid; overpaying one debt
    does not make up for another, so each debt counts at most what it owed."""

    debtor: str
    owed: Decimal
    paid: Decimal

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.paid) / Fraction(self.owed) if self.owed else None


def honour_rates(obligations: Iterable[Obligation]) -> list[HonourRate]:
    """Per debtor, over the debts of money whose due date has passed."""
    owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for o in obligations:
        if o.kind != "receipt" and o.as_of > o.due and o.owed > 0:
            owed[o.debtor] += o.owed
            paid[o.debtor] += min(o.paid, o.owed)
    return [HonourRate(d, owed[d], paid[d]) for d in sorted(owed)]
