"""Capped quadratic funding (SPEC §2b), in exact integers: `allocation: quadratic`.

For each common, each contributor's bases are summed and floored to the cent (a_j),
r_j = isqrt(a_j × 10^8), and the common's raw figure is floor((S² − Σ r_j²) / 10^8)
cents; the raw figures are scaled to the envelope when they exceed it, then capped per
common with redistribution until nothing moves, then shared among the contributors by
r_j (S − r_j) and over their contributions by base. Every figure is kept (`Quadratic`,
`QuadraticRun`, `Round`) so that `cofi explain` can show each step.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cofi.matching import (
    ZERO,
    Cut,
    Match,
    Units,
    _bound_need,
    _exact_sum,
    _stage,
    _Todo,
    to_cents,
)
from cofi.model import Programme


@dataclass(frozen=True, slots=True)
class Round:
    """One round of quadratic allocation's cap per common, in cents (SPEC §2b).

    The commons above the cap were brought down to it (`capped`: their matches
    before), and their `excess` shared among the commons strictly below it
    (`below`: their matches before) in proportion to those matches (`given`).
    """

    capped: Mapping[str, int]
    excess: int
    below: Mapping[str, int]
    given: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class QuadraticRun:
    """A quadratic programme's figures shared by all its commons, in cents."""

    raw_total: int  # the sum of every common's raw figure
    envelope: int
    cap: int | None  # per common
    rounds: tuple[Round, ...]

    @property
    def scaled(self) -> bool:
        """Whether the raw figures exceeded the envelope and were scaled to it."""
        return self.raw_total > self.envelope


@dataclass(frozen=True, slots=True)
class Quadratic:
    """One common's figures under quadratic allocation (SPEC §2b), in cents.

    For each contributor j: `cents[j]` = a_j, the sum of j's bases on the common
    floored to the cent; `roots[j]` = r_j = isqrt(a_j × 10^8); `bases[j]` the same
    sum exactly, in units. `total` = S = Σ r_j, `squares` = Σ r_j², `raw` =
    floor((S² − Σ r_j²) / 10^8); `scaled` after the envelope, `final` after the cap
    per common and its rounds.
    """

    common: str
    run: QuadraticRun
    roots: Mapping[str, int]
    cents: Mapping[str, int]
    bases: Mapping[str, int]
    total: int
    squares: int
    raw: int
    scaled: int
    final: int

    @property
    def spread(self) -> int:
        """S² − Σ r_j²: the sum over the contributors of r_j (S − r_j)."""
        return self.total * self.total - self.squares

    def part(self, contributor: str) -> Fraction:
        """Contributor j's share of the common's match: r_j (S − r_j) / (S² − Σ r_j²)."""
        if self.spread == 0:
            return ZERO
        r = self.roots[contributor]
        return Fraction(r * (self.total - r), self.spread)

    def share(self, contributor: str, capped: int, unit: int) -> Fraction:
        """A contribution's exact share of the final match, in units: its contributor's
        part, split over the contributor's contributions in proportion to their bases.

        final × (unit / 100) × r (S − r) / (S² − Σ r²) × capped / base, in integers and
        one Fraction: a report explains every quadratic match of a national ledger."""
        base, spread = self.bases[contributor], self.spread
        if base == 0 or spread == 0:
            return ZERO
        r = self.roots[contributor]
        return Fraction(self.final * (unit // 100) * r * (self.total - r) * capped, spread * base)

    def share_cents(self, contributor: str, capped: int) -> tuple[int, bool]:
        """floor(share) in cents with integers only, and whether flooring took something."""
        base, d = self.bases[contributor], self.spread
        if base == 0 or d == 0:
            return 0, False
        r = self.roots[contributor]
        return to_cents(self.final * r * (self.total - r) * capped, d * base)


# r_j = isqrt(a_j × 10^8): the square root of a_j cents with four more digits (SPEC §2b).
_ROOT_SCALE = 10**8


def allocate(
    p: Programme, units: Units, eligible: list[_Todo], ceilings: Mapping[str, int]
) -> tuple[list[Match], QuadraticRun]:
    """Capped quadratic funding in integers (SPEC §2b): each common's raw figure, scaled to
    the envelope when oversubscribed, capped per common with redistribution, then shared
    among its contributors by r_j (S − r_j) and over their contributions by base. The
    ceilings of caps.per_need_share apply last, as a scaling of the contributions naming
    each need; what they take off stays unallocated."""
    per_unit = units.unit // 100
    bases: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for c, _, _, capped in eligible:
        bases[c.common][c.contributor] += capped
    figures: dict[str, tuple[dict[str, int], dict[str, int], int, int, int]] = {}
    for common, by in bases.items():
        cents = {j: b // per_unit for j, b in by.items()}
        roots = {j: math.isqrt(a * _ROOT_SCALE) for j, a in cents.items()}
        total = sum(roots.values())
        squares = sum(r * r for r in roots.values())
        figures[common] = (cents, roots, total, squares, (total * total - squares) // _ROOT_SCALE)
    envelope = int(p.envelope * 100)
    cap = None if p.caps.per_common is None else int(p.caps.per_common * 100)
    raw_total = sum(f[4] for f in figures.values())
    scaled = {
        m: envelope * f[4] // raw_total if raw_total > envelope else f[4]
        for m, f in figures.items()
    }
    final, rounds = redistribute(scaled, cap)
    run = QuadraticRun(raw_total, envelope, cap, rounds)
    quads = {
        m: Quadratic(m, run, roots, cents, dict(bases[m]), total, squares, raw, scaled[m], final[m])
        for m, (cents, roots, total, squares, raw) in figures.items()
    }
    need_cuts = _quadratic_needs(units, eligible, quads, ceilings)
    bindings = {m: _quadratic_binding(q) for m, q in quads.items()}
    out = []
    for c, ratio, raw, capped in eligible:
        q = quads[c.common]
        cut = need_cuts.get(_bound_need(c, ceilings)) if need_cuts else None
        if cut is None or cut.total is None:
            cents_c, _ = q.share_cents(c.contributor, capped)
            cuts: tuple[Cut, ...] = ()
            binding = bindings[c.common]
        else:
            # floor(share × limit / total) in cents, with integers: share in units is
            # final × per_unit × r (S − r) × capped / (spread × base)
            over = Fraction(cut.total)
            r, base = q.roots[c.contributor], q.bases[c.contributor]
            top = q.final * r * (q.total - r) * capped * cut.limit * over.denominator
            bottom = q.spread * base * over.numerator
            cents_c = top // bottom if bottom else 0
            cuts, binding = (cut,), cut.rule
        matched = Decimal(cents_c).scaleb(-2)
        out.append(Match(p.id, c, None, matched, binding, ratio, units.unit, raw, capped, cuts, q))
    return out, run


def _quadratic_binding(q: Quadratic) -> str:
    """What last bound a common's quadratic figure: the cap (in some round), the envelope's
    scaling, or the formula alone."""
    if any(q.common in r.capped for r in q.run.rounds):
        return "per_common"
    if q.run.scaled:
        return "envelope"
    return "quadratic"


def _quadratic_needs(
    units: Units, eligible: list[_Todo], quads: Mapping[str, Quadratic], ceilings: Mapping[str, int]
) -> dict[str, Cut]:
    """The needs whose contributions' quadratic shares exceed their ceilings, with the cut
    that scales them down to it."""
    if not ceilings:
        return {}
    # A contributor's shares on one need add up as their bases do: one fraction per
    # (common, contributor, need), not one per contribution.
    bases: dict[tuple[str, str, str], int] = defaultdict(int)
    for c, _, _, capped in eligible:
        need = _bound_need(c, ceilings)
        if need:
            bases[(c.common, c.contributor, need)] += capped
    totals: dict[str, list[Fraction]] = defaultdict(list)
    for (common, contributor, need), capped in bases.items():
        totals[need].append(quads[common].share(contributor, capped, units.unit))
    sums = {n: _exact_sum(v) for n, v in totals.items()}
    return _stage("per_need_share", ceilings, units, sums).cuts


def redistribute(
    matches: dict[str, int], cap: int | None
) -> tuple[dict[str, int], tuple[Round, ...]]:
    """The cap per common, repeated until nothing moves: the excess of the commons above
    the cap is shared among those strictly below it in proportion to their matches, each
    share floored to the cent. Commons at the cap never receive, so each round either
    ends the loop or brings one more common to the cap."""
    current = dict(matches)
    rounds = []
    while cap is not None:
        above = {m: v for m, v in sorted(current.items()) if v > cap}
        if not above:
            break
        below = {m: v for m, v in sorted(current.items()) if v < cap}
        excess = sum(v - cap for v in above.values())
        pool = sum(below.values())
        given = {m: excess * v // pool for m, v in below.items()} if pool else {}
        for m in above:
            current[m] = cap
        for m, g in given.items():
            current[m] += g
        rounds.append(Round(above, excess, below, given))
    return current, tuple(rounds)
