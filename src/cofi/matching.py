"""What each contribution triggers under each programme (SPEC §2, §3a).

Pure functions over a loaded ledger and an `as_of` date. Arithmetic is exact
(`Fraction`) from the written amounts to the one rounding, `floor_cent`, which
floors each match to the cent; so no cap and no envelope is ever exceeded, and
every step is kept for `cofi explain` and the tests.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from cofi.ledger import Ledger
from cofi.model import Contribution, Programme

ZERO = Fraction(0)

# Why a contribution is not matched, in the order the rules are tried.
REASONS: dict[str, str] = {
    "before-start": "dated before the programme starts",
    "after-end": "dated after the programme ends",
    "reversed": "reversed",
    "contributor-kind": "its contributor's kind is not eligible",
    "common": "its common is not eligible",
    "funder": "given by the programme's own funder",
    "steward": "given by a steward of the common it funds",
    "min-amount": "below the programme's minimum amount",
    "in-kind": "in kind, and the programme matches no in-kind contribution",
}


def floor_cent(value: Fraction) -> Decimal:
    """The one rounding of cofi: down to the cent, so a sum of matches never exceeds its bound."""
    return Decimal(math.floor(value * 100)).scaleb(-2)


@dataclass(frozen=True, slots=True)
class Step:
    """One rule applied to a contribution: its value went from `before` to `after`.

    `limit` is the cap, the remainder (first-come) or the bound (pro-rata) that
    applied; `total` the pro-rata total that exceeded it.
    """

    rule: str  # base | per_contribution | per_contributor | per_common | envelope | rounding
    before: Fraction
    after: Fraction
    limit: Fraction | None = None
    total: Fraction | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """One contribution under one programme; `reason` is None when it is eligible."""

    programme: str
    contribution: Contribution
    reason: str | None
    base: Fraction = ZERO
    exact: Fraction = ZERO
    matched: Decimal = Decimal("0.00")
    binding: str | None = None
    steps: tuple[Step, ...] = ()

    @property
    def eligible(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class ProgrammeResult:
    programme: Programme
    as_of: date
    matches: tuple[Match, ...]  # every contribution dated on or before as_of, canonical order
    provisional: bool

    @property
    def eligible(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if m.eligible)

    @property
    def allocated(self) -> Decimal:
        return sum((m.matched for m in self.matches), Decimal("0.00"))

    @property
    def unallocated(self) -> Decimal:
        return self.programme.envelope - self.allocated


def canonical(contributions: Iterable[Contribution]) -> list[Contribution]:
    """Contributions by (date, id): the order first-come serves them in."""
    return sorted(contributions, key=lambda c: (c.date, c.id))


def refusal(ledger: Ledger, p: Programme, c: Contribution, as_of: date) -> str | None:
    """The first eligibility rule `c` fails under `p`, or None when it is eligible."""
    if c.date < p.start:
        return "before-start"
    if c.date > p.end:
        return "after-end"
    if ledger.is_reversed(c.id, as_of):
        return "reversed"
    if ledger.contributor[c.contributor].kind not in p.eligible.kinds:
        return "contributor-kind"
    if p.eligible.commons != "all" and c.common not in p.eligible.commons:
        return "common"
    if c.contributor == p.funder:
        return "funder"
    if p.exclude_stewards and c.contributor in ledger.common[c.common].stewards:
        return "steward"
    if c.amount < p.eligible.min_amount:
        return "min-amount"
    if c.kind == "in-kind" and p.in_kind_ratio == 0:
        return "in-kind"
    return None


def _base(p: Programme, c: Contribution) -> list[Step]:
    ratio = p.ratio if c.kind == "money" else p.in_kind_ratio
    amount = Fraction(c.amount)
    b = amount * Fraction(ratio)
    steps = [Step("base", amount, b, limit=Fraction(ratio))]
    cap = p.caps.per_contribution
    if cap is not None and b > cap:
        steps.append(Step("per_contribution", b, Fraction(cap), limit=Fraction(cap)))
    return steps


def match_programme(ledger: Ledger, p: Programme, as_of: date) -> ProgrammeResult:
    """Every contribution dated on or before `as_of`, matched (or refused) under `p`."""
    todo = canonical(c for c in ledger.contributions if c.date <= as_of)
    refused: dict[str, str] = {}
    steps: dict[str, list[Step]] = {}
    for c in todo:
        reason = refusal(ledger, p, c, as_of)
        if reason is None:
            steps[c.id] = _base(p, c)
        else:
            refused[c.id] = reason
    eligible = [c for c in todo if c.id not in refused]
    if p.allocation == "first-come":
        _first_come(p, eligible, steps)
    else:
        _pro_rata(p, eligible, steps)
    matches = []
    for c in todo:
        if c.id in refused:
            matches.append(Match(p.id, c, refused[c.id]))
        else:
            matches.append(_finish(p.id, c, steps[c.id]))
    provisional = p.allocation == "pro-rata" and as_of <= p.end
    return ProgrammeResult(p, as_of, tuple(matches), provisional)


def match_all(ledger: Ledger, as_of: date) -> list[ProgrammeResult]:
    """Each programme on its own, by id."""
    return [
        match_programme(ledger, p, as_of) for p in sorted(ledger.programmes, key=lambda p: p.id)
    ]


def _first_come(p: Programme, eligible: list[Contribution], steps: dict[str, list[Step]]) -> None:
    caps = p.caps
    left_contributor: dict[str, Fraction] = {}
    left_common: dict[str, Fraction] = {}
    left_envelope = Fraction(p.envelope)
    for c in eligible:
        value = steps[c.id][-1].after
        bounds = [("envelope", left_envelope)]
        if caps.per_contributor is not None:
            bounds.insert(
                0,
                (
                    "per_contributor",
                    left_contributor.setdefault(c.contributor, Fraction(caps.per_contributor)),
                ),
            )
        if caps.per_common is not None:
            bounds.insert(
                -1, ("per_common", left_common.setdefault(c.common, Fraction(caps.per_common)))
            )
        for rule, left in bounds:
            if left < value:
                steps[c.id].append(Step(rule, value, left, limit=left))
                value = left
        if caps.per_contributor is not None:
            left_contributor[c.contributor] -= value
        if caps.per_common is not None:
            left_common[c.common] -= value
        left_envelope -= value


def _pro_rata(p: Programme, eligible: list[Contribution], steps: dict[str, list[Step]]) -> None:
    caps = p.caps
    value = {c.id: steps[c.id][-1].after for c in eligible}

    def scale(rule: str, cap: Decimal | None, group_of: dict[str, str]) -> None:
        if cap is None:
            return
        totals: dict[str, Fraction] = defaultdict(Fraction)
        for cid, group in group_of.items():
            totals[group] += value[cid]
        for cid, group in group_of.items():
            total = totals[group]
            if total > cap:
                scaled = value[cid] * Fraction(cap) / total
                steps[cid].append(Step(rule, value[cid], scaled, limit=Fraction(cap), total=total))
                value[cid] = scaled

    scale("per_contributor", caps.per_contributor, {c.id: c.contributor for c in eligible})
    scale("per_common", caps.per_common, {c.id: c.common for c in eligible})
    scale("envelope", p.envelope, {c.id: "" for c in eligible})


def _finish(programme: str, c: Contribution, steps: list[Step]) -> Match:
    exact = steps[-1].after
    matched = floor_cent(exact)
    base = next(s.after for s in reversed(steps) if s.rule in ("base", "per_contribution"))
    binding = steps[-1].rule if len(steps) > 1 else "ratio"
    if matched != exact:
        steps = [*steps, Step("rounding", exact, Fraction(matched))]
        if binding == "ratio":
            binding = "rounding"
    return Match(programme, c, None, base, exact, matched, binding, tuple(steps))
