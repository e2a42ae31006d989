"""What each contribution triggers under each programme (SPEC §2, §3a).

Pure functions over a loaded ledger and an `as_of` date. Arithmetic is exact
from the written amounts to the one rounding, which floors each match to the
cent; so no cap and no envelope is ever exceeded. Values are whole numbers of
a small unit (see `Units`) so that the hot loops add and compare integers;
the pro-rata scalings, shared by every contribution of a group, are exact
fractions computed once per group. Each match keeps what bound it (`Cut`), from
which `Match.steps` rebuilds every step for `cofi explain` and the tests.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from cofi.bulk import bulk
from cofi.i18n import N_
from cofi.ledger import Ledger
from cofi.model import Contribution, Programme

if TYPE_CHECKING:
    from cofi.quadratic import Quadratic, QuadraticRun

ZERO = Fraction(0)
ONE = Fraction(1)

# Why a contribution is not matched, in the order the rules are tried (marked for
# translation; its users translate with `_(REASONS[code])`).
REASONS: dict[str, str] = {
    "before-start": N_("dated before the programme starts"),
    "after-end": N_("dated after the programme ends"),
    "reversed": N_("reversed"),
    "contributor-kind": N_("its contributor's kind is not eligible"),
    "common": N_("its common is not eligible"),
    "funder": N_("given by the programme's own funder"),
    "steward": N_("given by a steward of the common it funds"),
    "min-amount": N_("below the programme's minimum amount"),
    "in-kind": N_("in kind, and the programme matches no in-kind contribution"),
    "awaiting-receipt": N_("not yet confirmed by a receipt, which the programme requires"),
    "target-missed": N_("its need was not reached by the programme's end, which it requires"),
}


def to_cents(numerator: int, denominator: int) -> tuple[int, bool]:
    """The one rounding of cofi: the exact value numerator / denominator (≥ 0, counted in
    cents) floored to a whole number of cents, and whether flooring took something. Down,
    never to the nearest: so a sum of matches never exceeds the cap or envelope it shares,
    and a larger bound never gives anyone less. Every match (first-come, pro-rata,
    quadratic) and every figure shown in cents (`floor_cent`) is floored by it once."""
    cents, rest = divmod(numerator, denominator)
    return cents, rest != 0


def floor_cent(value: Fraction) -> Decimal:
    """`value` (in currency units, ≥ 0) floored to the cent by `to_cents`, as an amount."""
    return floor_units(value.numerator, value.denominator)


def floor_units(value: int, unit: int) -> Decimal:
    """`value` units of 1/`unit` (≥ 0) floored to the cent by `to_cents`, as an amount:
    `floor_cent` without making a Fraction first."""
    cents, _ = to_cents(value * 100, unit)
    return Decimal(cents).scaleb(-2)


class Step(NamedTuple):
    """One rule applied to a contribution: its value went from `before` to `after`.

    `limit` is the cap, the remainder (first-come) or the bound (pro-rata) that
    applied; `total` the pro-rata total that exceeded it.
    """

    # base | per_contribution | per_contributor | per_common | per_need_share | envelope |
    # quadratic | rounding | target-missed
    rule: str
    before: Fraction
    after: Fraction
    limit: Fraction | None = None
    total: Fraction | None = None


@dataclass(frozen=True, slots=True)
class Cut:
    """A bound that lowered a contribution's value, in units (see Units).

    First-come (`total` None): the value became `limit`, what was left of a cap
    or of the envelope. Pro-rata: the value was scaled by `limit / total`, its
    group's total having exceeded the cap or envelope `limit`.
    """

    rule: str  # per_contributor | per_common | per_need_share | envelope
    limit: int
    total: Fraction | int | None = None
    # Pro-rata (made by _scaling, _stage), once for the whole group: limit / total, and the
    # total in currency units.
    ratio: Fraction | None = None
    amount: Fraction | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """One contribution under one programme; `reason` is None when it is eligible.

    Values are kept in units of 1/`unit` of a currency unit: `raw` is amount ×
    ratio, `capped` the same after the cap per contribution (the base), then
    `cuts` lowered it. Under quadratic allocation, `quadratic` is the common's
    figures, from which the contribution's share of the common's match replaces
    the base before the cuts. A contribution whose need missed its target
    (reason `target-missed`) keeps what it would have been matched, for explain.
    """

    programme: str
    contribution: Contribution
    reason: str | None
    matched: Decimal = Decimal("0.00")
    binding: str | None = None
    ratio: Fraction = ZERO
    unit: int = 100
    raw: int = 0
    capped: int = 0
    cuts: tuple[Cut, ...] = ()
    quadratic: Quadratic | None = None

    @property
    def eligible(self) -> bool:
        return self.reason is None

    @property
    def computed(self) -> bool:
        """Whether the allocation reached it: eligible, or eligible but its need missed."""
        return self.reason is None or self.reason == "target-missed"

    def _start(self) -> Fraction:
        """The value the cuts start from, in units: the base, or the quadratic share."""
        if self.quadratic is None:
            return Fraction(self.capped)
        return self.quadratic.share(self.contribution.contributor, self.capped, self.unit)

    @property
    def base(self) -> Fraction:
        """amount × ratio, capped per contribution (exact)."""
        return Fraction(self.capped, self.unit)

    @property
    def exact(self) -> Fraction:
        """The matched value before it is floored to the cent."""
        if self.reason == "target-missed":
            return ZERO
        value = self._start()
        for cut in self.cuts:
            value = Fraction(cut.limit) if cut.total is None else value * cut.limit / cut.total
        return value / self.unit

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every rule applied, in order, with the value before and after it."""
        if not self.computed:
            return ()
        # `cofi report` rebuilds the steps of every match of a national ledger, and Fraction
        # arithmetic was most of that cost: what a group shares is made once (Cut.ratio,
        # Cut.amount), and the quadratic share in one Fraction (Quadratic.share).
        unit = self.unit
        raw = Fraction(self.raw, unit)
        steps = [Step("base", Fraction(self.contribution.amount), raw, limit=self.ratio)]
        value = raw
        if self.capped < self.raw:
            value = Fraction(self.capped, unit)
            steps.append(Step("per_contribution", raw, value, limit=value))
        if self.quadratic is not None:
            share = self._start() / unit
            steps.append(Step("quadratic", value, share))
            value = share
        for cut in self.cuts:
            limit = Fraction(cut.limit, unit)
            if cut.total is None:
                steps.append(Step(cut.rule, value, limit, limit=limit))
                value = limit
            else:
                # By the group's ratio, normalized once: a pro-rata total's terms run to
                # hundreds of digits, and reducing value × limit / total anew for each of
                # the group's contributions was most of the cost of its explanations.
                assert cut.ratio is not None and cut.amount is not None, "made by _scaling"
                after = value * cut.ratio
                steps.append(Step(cut.rule, value, after, limit, cut.amount))
                value = after
        if self.reason == "target-missed":
            steps.append(Step("target-missed", value, ZERO))
        elif value != (matched := Fraction(self.matched)):
            steps.append(Step("rounding", value, matched))
        return tuple(steps)


@dataclass(frozen=True, slots=True)
class Target:
    """A need under an all-or-nothing programme (SPEC §2b).

    `given`: the written amounts of every contribution naming it, not reversed,
    dated on or before min(end, as_of); `matched`: this programme's matches on
    them; `givers`: `given` by contributor id.
    """

    common: str
    need: str
    amount: Decimal
    given: Decimal
    matched: Decimal
    givers: tuple[tuple[str, Decimal], ...]

    @property
    def reached(self) -> bool:
        return self.given + self.matched >= self.amount


@dataclass(frozen=True, slots=True)
class ProgrammeResult:
    programme: Programme
    as_of: date
    matches: tuple[Match, ...]  # every contribution dated on or before as_of, canonical order
    provisional: bool
    targets: Mapping[tuple[str, str], Target] = field(default_factory=dict)
    quadratic: QuadraticRun | None = None

    def conditional(self, m: Match) -> bool:
        """Whether `m`'s figure can still change before the programme's end: under
        pro-rata or quadratic allocation, or when it hangs on its need's target."""
        if not m.eligible or self.as_of > self.programme.end:
            return False
        if self.programme.allocation != "first-come":
            return True
        c = m.contribution
        return c.need is not None and (c.common, c.need) in self.targets

    @property
    def missed(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if m.reason == "target-missed")

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


@dataclass(frozen=True, slots=True)
class _Rules:
    """A programme's eligibility rules as of a date, for contributions dated in its window.

    What the rules read from the ledger (reversals, contributors' kinds, commons'
    stewards) is gathered once per programme into sets of ids, so that checking
    a contribution reads that contribution and these sets only. Looking up the
    contributor's and the common's records for every contribution cost more per
    contribution as the ledger grew (about a third more at 1,000,000 contributions
    than at 100,000): there are more contributors, and their records, spread
    over memory, fall out of the CPU caches.
    """

    reversed: frozenset[str]  # ids of the entries reversed on or before as_of
    kinds: frozenset[str]  # contributors of an eligible kind
    commons: frozenset[str] | None  # the eligible commons; None: all
    funder: str
    stewards: Mapping[str, frozenset[str]]  # common -> its stewards; empty when not excluded
    min_amount: Decimal
    in_kind: bool  # whether in-kind contributions are matched
    confirmed: Mapping[str, date] | None  # contribution -> its receipt's day; None: not required

    @classmethod
    def of(cls, ledger: Ledger, p: Programme, as_of: date) -> _Rules:
        e = p.eligible
        stewards = (
            {m: frozenset(common.stewards) for m, common in ledger.common.items()}
            if p.exclude_stewards
            else {}
        )
        return cls(
            reversed=ledger.reversed_ids(as_of),
            kinds=frozenset(k for k, who in ledger.contributor.items() if who.kind in e.kinds),
            commons=None if e.commons == "all" else frozenset(e.commons),
            funder=p.funder,
            stewards=stewards,
            min_amount=e.min_amount,
            in_kind=p.in_kind_ratio != 0,
            confirmed=ledger.confirmed(as_of, p.end) if p.requires_receipt else None,
        )

    def refusal(self, c: Contribution) -> str | None:
        """The first rule after the dates (see REASONS) that `c` fails, or None when eligible."""
        if c.id in self.reversed:
            return "reversed"
        if c.contributor not in self.kinds:
            return "contributor-kind"
        if self.commons is not None and c.common not in self.commons:
            return "common"
        if c.contributor == self.funder:
            return "funder"
        if c.contributor in self.stewards.get(c.common, ()):
            return "steward"
        if c.amount < self.min_amount:
            return "min-amount"
        if c.kind == "in-kind" and not self.in_kind:
            return "in-kind"
        if self.confirmed is not None and c.id not in self.confirmed:
            return "awaiting-receipt"
        return None

    def served(self, c: Contribution) -> tuple[date, str]:
        """Where an eligible `c` stands in first-come's queue: by the day it was made, or
        under a programme that requires receipts, the day it was confirmed (SPEC §2)."""
        if self.confirmed is None:
            return c.date, c.id
        return max(c.date, self.confirmed[c.id]), c.id


@dataclass(frozen=True, slots=True)
class Units:
    """Exact values as integers: a value v is written v × unit.

    `unit` is 100 × the least common multiple of the ratios' denominators, so
    that every base (cents × ratio) is a whole number of units.
    """

    unit: int
    money: Fraction
    in_kind: Fraction

    @classmethod
    def of(cls, p: Programme) -> Units:
        money, in_kind = Fraction(p.ratio), Fraction(p.in_kind_ratio)
        return cls(100 * math.lcm(money.denominator, in_kind.denominator), money, in_kind)

    def amount(self, value: Decimal) -> int:
        return int(value * self.unit)  # exact: at most 2 decimals, and 100 divides unit

    def base(self, c: Contribution) -> tuple[Fraction, int]:
        """The ratio applied to `c`, and amount × ratio in units."""
        ratio = self.money if c.kind == "money" else self.in_kind
        cents = int(c.amount * 100)
        return ratio, cents * ratio.numerator * (self.unit // 100 // ratio.denominator)


# An eligible contribution on its way: (contribution, ratio, raw, capped) in units.
_Todo = tuple[Contribution, Fraction, int, int]
# (contributor, common, need key): the values pro-rata scales together
_Pair = tuple[str, str, str]


def match_programme(
    ledger: Ledger, p: Programme, as_of: date, todo: list[Contribution] | None = None
) -> ProgrammeResult:
    """Every contribution dated on or before `as_of`, matched (or refused) under `p`.

    `todo`, when given, is those contributions already in canonical order.
    """
    if todo is None:
        todo = canonical(c for c in ledger.contributions if c.date <= as_of)
    units = Units.of(p)
    cap = None if p.caps.per_contribution is None else units.amount(p.caps.per_contribution)
    # In canonical order, the programme's window is one slice of the contributions.
    first = bisect.bisect_left(todo, p.start, key=_date)
    last = bisect.bisect_right(todo, p.end, key=_date)
    matches: list[Match | None] = [Match(p.id, c, "before-start") for c in todo[:first]]
    places: list[int] = []  # where each eligible contribution's match goes
    eligible: list[_Todo] = []
    rules = _Rules.of(ledger, p, as_of)
    for c in todo[first:last]:
        reason = rules.refusal(c)
        if reason is not None:
            matches.append(Match(p.id, c, reason))
            continue
        ratio, raw = units.base(c)
        eligible.append((c, ratio, raw, raw if cap is None or raw <= cap else cap))
        places.append(len(matches))
        matches.append(None)
    if rules.confirmed is not None:  # a late confirmation queues behind those before it
        queue = sorted(range(len(eligible)), key=lambda i: rules.served(eligible[i][0]))
        eligible = [eligible[i] for i in queue]
        places = [places[i] for i in queue]
    ceilings = _ceilings(ledger, p, units)
    run: QuadraticRun | None = None
    if p.allocation == "quadratic":
        from cofi.quadratic import allocate  # it builds on this module's values

        allocated, run = allocate(p, units, eligible, ceilings)
    elif p.allocation == "first-come":
        allocated = _first_come(p, units, eligible, ceilings)
    else:
        allocated = _pro_rata(p, units, eligible, ceilings)
    for place, m in zip(places, allocated, strict=True):
        matches[place] = m
    matches += [Match(p.id, c, "after-end") for c in todo[last:]]
    done = [m for m in matches if m is not None]
    targets: dict[tuple[str, str], Target] = {}
    if p.all_or_nothing:
        targets = _targets(ledger, p, as_of, rules.reversed, todo, done)
    provisional = as_of <= p.end and (p.allocation != "first-come" or bool(targets))
    return ProgrammeResult(p, as_of, tuple(done), provisional, targets, run)


def need_ceiling(share: Decimal, amount: Decimal) -> Decimal:
    """caps.per_need_share's ceiling on a need of `amount`: share × amount, floored to the
    cent (matches are whole cents, so their total is within the exact ceiling exactly
    when it is within this one)."""
    return floor_cent(Fraction(share) * Fraction(amount))


def _ceilings(ledger: Ledger, p: Programme, units: Units) -> dict[str, int]:
    """Each need's ceiling in units under caps.per_need_share, keyed by `_need(c)`."""
    share = p.caps.per_need_share
    if share is None:
        return {}
    return {
        f"{common.id}/{n.id}": units.amount(need_ceiling(share, n.amount))
        for common in ledger.commons
        for n in common.needs
    }


def _need(c: Contribution) -> str:
    """The need `c` names as one key (ids hold no `/`), or "" when it names none."""
    return f"{c.common}/{c.need}" if c.need else ""


def _bound_need(c: Contribution, ceilings: Mapping[str, int]) -> str:
    """The need whose ceiling binds `c` (see `_need`), or "" when none does."""
    if not ceilings or not c.need:
        return ""
    need = _need(c)
    return need if need in ceilings else ""


def _targets(
    ledger: Ledger,
    p: Programme,
    as_of: date,
    reversed: frozenset[str],
    todo: list[Contribution],
    matches: list[Match],
) -> dict[tuple[str, str], Target]:
    """all_or_nothing: each need named by an eligible contribution, and whether it is
    reached. Once the programme has ended, the matches on a need not reached become
    0.00 (`target-missed`), in place in `matches`; their money stays unallocated."""
    named: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(matches):
        if m.eligible and m.contribution.need:
            named[(m.contribution.common, m.contribution.need)].append(i)
    if not named:
        return {}
    until = min(p.end, as_of)
    givers: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for c in todo:
        if c.need and c.date <= until and c.id not in reversed:
            key = (c.common, c.need)
            if key in named:
                givers[key][c.contributor] += c.amount
    amounts = {(m.id, n.id): n.amount for m in ledger.commons for n in m.needs}
    targets = {}
    for key, places in sorted(named.items()):
        by = givers[key]
        target = Target(
            key[0],
            key[1],
            amounts[key],
            sum(by.values(), Decimal("0.00")),
            sum((matches[i].matched for i in places), Decimal("0.00")),
            tuple(sorted(by.items())),
        )
        targets[key] = target
        if as_of > p.end and not target.reached:
            for i in places:
                matches[i] = replace(
                    matches[i], reason="target-missed", matched=Decimal("0.00"), binding=None
                )
    return targets


def _date(c: Contribution) -> date:
    return c.date


def match_all(
    ledger: Ledger, as_of: date, only: Collection[str] | None = None
) -> list[ProgrammeResult]:
    """Each programme (or each of `only`) on its own, by id."""
    with bulk():
        todo = canonical(c for c in ledger.contributions if c.date <= as_of)
        programmes = sorted(ledger.programmes, key=lambda p: p.id)
        return [
            match_programme(ledger, p, as_of, todo)
            for p in programmes
            if only is None or p.id in only
        ]


def _first_come(
    p: Programme, units: Units, eligible: list[_Todo], ceilings: Mapping[str, int]
) -> list[Match]:
    """In canonical order, each takes what is left of its caps, of its need's ceiling
    and of the envelope."""
    per_contributor = p.caps.per_contributor
    per_common = p.caps.per_common
    cap_k = None if per_contributor is None else units.amount(per_contributor)
    cap_m = None if per_common is None else units.amount(per_common)
    left_k: dict[str, int] = {}
    left_m: dict[str, int] = {}
    left_n: dict[str, int] = {}
    left_envelope = units.amount(p.envelope)
    out = []
    for c, ratio, raw, capped in eligible:
        value = capped
        cuts = []
        if cap_k is not None:
            left = left_k.get(c.contributor, cap_k)
            if left < value:
                cuts.append(Cut("per_contributor", left))
                value = left
        if cap_m is not None:
            left = left_m.get(c.common, cap_m)
            if left < value:
                cuts.append(Cut("per_common", left))
                value = left
        need = _bound_need(c, ceilings)
        if need:
            left = left_n.get(need, ceilings[need])
            if left < value:
                cuts.append(Cut("per_need_share", left))
                value = left
        if left_envelope < value:
            cuts.append(Cut("envelope", left_envelope))
            value = left_envelope
        if cap_k is not None:
            left_k[c.contributor] = left_k.get(c.contributor, cap_k) - value
        if cap_m is not None:
            left_m[c.common] = left_m.get(c.common, cap_m) - value
        if need:
            left_n[need] = left_n.get(need, ceilings[need]) - value
        left_envelope -= value
        cents, rounded = to_cents(value, units.unit // 100)
        out.append(_match(p, units, c, ratio, raw, capped, tuple(cuts), cents, rounded))
    return out


def _pro_rata(
    p: Programme, units: Units, eligible: list[_Todo], ceilings: Mapping[str, int]
) -> list[Match]:
    """Scale by contributor, then by common, then by need, then by envelope, when a total
    exceeds its bound.

    Every contribution of one (contributor, common, need) group gets the same
    factors, so the exact fractions are computed per group, never per contribution.
    """
    pairs: dict[_Pair, int] = defaultdict(int)
    for c, _, _, capped in eligible:
        pairs[(c.contributor, c.common, _bound_need(c, ceilings))] += capped

    by_contributor: dict[str, Fraction] = defaultdict(Fraction)
    for (contributor, _, _), amount in pairs.items():
        by_contributor[contributor] += amount
    contributors = _scaling("per_contributor", p.caps.per_contributor, units, by_contributor)

    # Each contributor scaled down has its own ratio limit / total, so a common's
    # total adds fractions with distinct denominators: see _exact_sum.
    terms: dict[str, list[Fraction]] = defaultdict(list)
    for (contributor, common, _), amount in pairs.items():
        terms[common].append(amount * contributors.ratio(contributor))
    by_common = {common: _exact_sum(values) for common, values in terms.items()}
    commons = _scaling("per_common", p.caps.per_common, units, by_common)

    # caps.per_need_share: one more stage over the contributions naming a need, each
    # need with its own ceiling. What it takes off comes out of the envelope's total.
    needs = _Scaling({}, {}, ZERO)
    left = commons.left
    if ceilings:
        need_terms: dict[str, list[Fraction]] = defaultdict(list)
        for (contributor, common, need), amount in pairs.items():
            if need:
                scaled = amount * contributors.ratio(contributor) * commons.ratio(common)
                need_terms[need].append(scaled)
        by_need = {need: _exact_sum(values) for need, values in need_terms.items()}
        needs = _stage("per_need_share", ceilings, units, by_need)
        left -= _exact_sum([by_need[n] - cut.limit for n, cut in needs.cuts.items()])

    # The envelope's one total is the sum of every pair's value after the previous stages:
    # the sum of what they left each common, a few terms, not one per pair.
    envelope = _scaling("envelope", p.envelope, units, {"": left})

    # The later ratios have the largest terms but few distinct values: multiply them
    # together (and from units to cents) once per (common, need), then by each pair's
    # contributor ratio, for the contributors scaled down.
    to_cents = Fraction(100, units.unit)
    groups = {(common, need) for _, common, need in pairs}
    later = {
        g: commons.ratio(g[0]) * needs.ratio(g[1]) * envelope.ratio("") * to_cents for g in groups
    }
    shared = {
        g: _Scale.of(f, (commons.cut(g[0]), needs.cut(g[1]), envelope.cut("")))
        for g, f in later.items()
    }
    scales: dict[_Pair, _Scale] = {}
    for contributor, common, need in pairs:
        cut = contributors.cut(contributor)
        if cut is None:
            scales[(contributor, common, need)] = shared[(common, need)]
        else:
            factor = contributors.ratio(contributor) * later[(common, need)]
            cuts = (cut, commons.cut(common), needs.cut(need), envelope.cut(""))
            scales[(contributor, common, need)] = _Scale.of(factor, cuts)
    out = []
    for c, ratio, raw, capped in eligible:
        scale = scales[(c.contributor, c.common, _bound_need(c, ceilings))]
        cents, rounded = scale.cents(capped)
        out.append(_match(p, units, c, ratio, raw, capped, scale.cuts, cents, rounded))
    return out


@dataclass(frozen=True, slots=True)
class _Scaling:
    """One pro-rata stage: the groups whose total exceeded the bound, and their ratio.

    `left` is the sum over all groups of what each keeps, its total or the bound
    it exceeded: the sum of every value after this stage.
    """

    cuts: dict[str, Cut]
    ratios: dict[str, Fraction]  # limit / total
    left: Fraction

    def cut(self, group: str) -> Cut | None:
        return self.cuts.get(group)

    def ratio(self, group: str) -> Fraction:
        return self.ratios.get(group, ONE)


def _scaling(
    rule: str, bound: Decimal | None, units: Units, totals: dict[str, Fraction]
) -> _Scaling:
    """The stage `rule` over these group totals (in units), each bound by `bound`."""
    if bound is None:
        return _Scaling({}, {}, _exact_sum(list(totals.values())))
    return _stage(rule, dict.fromkeys(totals, units.amount(bound)), units, totals)


def _stage(
    rule: str, limits: Mapping[str, int], units: Units, totals: dict[str, Fraction]
) -> _Scaling:
    """A stage whose groups each have their own bound (in units), e.g. each need's ceiling."""
    over = {group: total for group, total in totals.items() if total > limits[group]}
    ratios = {group: limits[group] / total for group, total in over.items()}
    cuts = {
        group: Cut(rule, limits[group], total, ratios[group], total / units.unit)
        for group, total in over.items()
    }
    kept = [Fraction(limits[g]) if g in over else total for g, total in totals.items()]
    return _Scaling(cuts, ratios, _exact_sum(kept))


def _exact_sum(values: list[Fraction]) -> Fraction:
    """Their exact sum, adding neighbours pairwise, level by level.

    Added one at a time, n fractions with distinct denominators cost time in n²:
    each addition carries a denominator as large as all the previous ones put
    together. Pairwise, operands of about the same size meet, and each of the
    log n levels costs about one addition of the full size.
    """
    while len(values) > 1:
        paired = [a + b for a, b in zip(values[0::2], values[1::2], strict=False)]
        if len(values) % 2:
            paired.append(values[-1])
        values = paired
    return values[0] if values else ZERO


# Bits after the point of `_Scale.fixed`: far more than a value in units usually
# has, so that the fixed-point product settles the floor on its own unless the exact
# product is a whole number of cents or within value / 2**64 of one; then the exact
# division decides.
_FIXED_BITS = 64


@dataclass(frozen=True, slots=True)
class _Scale:
    """The exact factor of one pair, from a value in units to cents, and its cuts.

    The factor's terms can run to thousands of digits, as many as there are
    contributors scaled down, so dividing by it for each contribution would cost
    time in the number of contributions times the number of contributors.
    `fixed` is the factor in fixed point, floor(factor × 2**_FIXED_BITS), for
    flooring each value's product with small integers only.
    """

    numerator: int  # the factor, in lowest terms
    denominator: int
    fixed: int
    cuts: tuple[Cut, ...]

    @classmethod
    def of(cls, factor: Fraction, cuts: Iterable[Cut | None]) -> _Scale:
        n, d = factor.numerator, factor.denominator
        fixed = (n << _FIXED_BITS) // d
        return cls(n, d, fixed, tuple(cut for cut in cuts if cut is not None))

    def cents(self, value: int) -> tuple[int, bool]:
        """`to_cents` of value × factor for a value ≥ 0, most often without its division.

        With B = _FIXED_BITS, factor × 2**B lies in [fixed, fixed + 1), so
        value × factor × 2**B lies in [low, low + value) with low = value × fixed,
        and its floor divided by 2**B (the cents) lies between low >> B and
        (low + value - 1) >> B. When these agree, that is exactly the floor `to_cents`
        would give; they differ only when value × factor is within value / 2**B of an
        integer, and then `to_cents` itself decides.
        """
        low = value * self.fixed
        cents = low >> _FIXED_BITS
        if (low + value - 1) >> _FIXED_BITS != cents:
            return to_cents(value * self.numerator, self.denominator)
        # In lowest terms, value × factor is whole exactly when the denominator divides value.
        return cents, value % self.denominator != 0


def _match(
    p: Programme,
    units: Units,
    c: Contribution,
    ratio: Fraction,
    raw: int,
    capped: int,
    cuts: tuple[Cut, ...],
    cents: int,
    rounded: bool,
) -> Match:
    """An eligible contribution's match; `rounded` when flooring to the cent took something."""
    if cuts:
        binding = cuts[-1].rule
    elif capped < raw:
        binding = "per_contribution"
    else:
        binding = "rounding" if rounded else "ratio"
    matched = Decimal(cents).scaleb(-2)
    return Match(p.id, c, None, matched, binding, ratio, units.unit, raw, capped, cuts)
