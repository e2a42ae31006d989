"""Matching properties over random small ledgers (NOTES.md, "Matching properties worth
testing"): bounds, conservation, order independence, first-come stability, envelope
monotonicity, a differential test against a slow reference written from SPEC §2, and
CSV round-trips to the cent. Ledgers are built in memory from the model's records."""

from __future__ import annotations

import csv
import io
import math
import random
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from cofi import render, report
from cofi.ledger import Ledger
from cofi.matching import match_programme
from cofi.model import Common, Contribution, Contributor, Programme, Reversal
from cofi.problems import Source

SRC = Source("x.yaml")
DAY0 = date(2026, 1, 1)
CENT = Decimal("0.01")
FAST = settings(max_examples=150, deadline=None)

CONTRIBUTORS = {
    "t1": "tiers-lieu", "t2": "tiers-lieu", "t3": "tiers-lieu",
    "n1": "network", "etat": "public", "region": "public",
}  # fmt: skip
COMMONS = {"c1": [], "c2": ["t3"], "c3": []}  # t3 stewards c2
NEEDS = {"c1": {"n1": "300", "n2": "1000.50"}, "c2": {"n1": "500"}, "c3": {}}


def record(model, **fields):
    return model.model_validate({"source": SRC, **fields})


def day(offset: int) -> date:
    return DAY0 + timedelta(days=offset)


def days(low: int, high: int):
    """Days in steps of 5, so that ties and dates right on a boundary come often."""
    return st.integers(low // 5, high // 5).map(lambda n: 5 * n)


def cents(n: int) -> Decimal:
    return Decimal(n).scaleb(-2)


# mostly tiers-lieux, so that most contributions are eligible and the caps get to bite
WHO = st.sampled_from(["t1", "t1", "t2", "t2", "t3", "t3", "n1", "etat", "region"])
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,6}", fullmatch=True)
money = st.integers(1, 60_000).map(cents)  # 0.01 .. 600.00


@st.composite
def contributions(draw, max_size: int = 12, last_day: int = 60):
    names = draw(st.lists(ids, unique=True, max_size=max_size))
    out = []
    for cid in names:
        common = draw(st.sampled_from(sorted(COMMONS)))
        out.append(record(
            Contribution, id=cid, date=day(draw(days(0, last_day))),
            contributor=draw(WHO), common=common, amount=draw(money),
            kind=draw(st.sampled_from(["money", "money", "in-kind"])),
            need=draw(st.sampled_from([None, None, *sorted(NEEDS[common])])),
        ))  # fmt: skip
    return out


@st.composite
def reversals(draw, targets: list[Contribution]):
    out = []
    for i, c in enumerate(targets):
        if draw(st.integers(0, 4)) == 0:  # about one in five is reversed, on or after its date
            when = c.date + timedelta(days=draw(st.integers(0, 60)))
            out.append(record(Reversal, id=f"zz-rev-{i}", date=when, reverses=c.id,
                              entry_kind="contribution"))  # fmt: skip
    return out


def optional_cap():
    return st.one_of(
        st.none(), st.integers(1, 80_000).map(cents), st.integers(10, 400).map(Decimal)
    )


@st.composite
def programmes(draw, allocation=None, all_or_nothing=None):
    start = draw(days(0, 20))
    kinds = draw(
        st.one_of(
            st.just(["tiers-lieu"]),
            st.lists(
                st.sampled_from(["tiers-lieu", "network", "public"]),
                min_size=1,
                max_size=3,
                unique=True,
            ),
        )
    )
    commons = draw(
        st.one_of(
            st.just("all"),
            st.just("all"),
            st.lists(st.sampled_from(sorted(COMMONS)), min_size=1, unique=True),
        )
    )
    allocation = allocation or draw(st.sampled_from(["first-come", "pro-rata", "quadratic"]))
    share = draw(st.sampled_from([None, None, "0.5", "0.7", "1", "0.333"]))
    return record(
        Programme, id="p", name="P", funder="etat",
        ratio=Decimal(draw(st.sampled_from(["1", "0.5", "0.333", "2", "0.25", "0.07"]))),
        in_kind_ratio=Decimal(draw(st.sampled_from(["0", "0.5", "1", "0.333"]))),
        start=day(start), end=day(start + draw(days(10, 100))),
        envelope=draw(st.integers(1, 200_000).map(cents)),
        allocation=allocation,
        eligible={"kinds": kinds, "commons": commons,
                  "min_amount": Decimal(draw(st.sampled_from(["0", "0.01", "10", "100.50"])))},
        exclude_stewards=draw(st.booleans()),
        caps={"per_contribution": draw(optional_cap()),
              "per_contributor": None if allocation == "quadratic" else draw(optional_cap()),
              "per_common": draw(optional_cap()),
              "per_need_share": None if share is None else Decimal(share)},
        all_or_nothing=draw(st.booleans()) if all_or_nothing is None else all_or_nothing,
    )  # fmt: skip


def build(programme: Programme, contribs, revs=()) -> Ledger:
    return Ledger(
        contributors=tuple(record(Contributor, id=k, name=k, kind=v)
                           for k, v in CONTRIBUTORS.items()),
        commons=tuple(
            record(Common, id=k, name=k, stewards=v,
                   needs=[{"id": n, "title": n, "amount": Decimal(a)}
                          for n, a in NEEDS[k].items()])
            for k, v in COMMONS.items()
        ),
        programmes=(programme,), contributions=tuple(contribs), reversals=tuple(revs),
    )  # fmt: skip


@st.composite
def ledgers(draw, allocation=None, all_or_nothing=None):
    contribs = draw(contributions())
    programme = draw(programmes(allocation, all_or_nothing))
    return build(programme, contribs, draw(reversals(contribs)))


as_ofs = days(20, 150).map(day)


def run(led: Ledger, as_of: date):
    return match_programme(led, led.programmes[0], as_of)


def matched(result) -> dict[str, Decimal]:
    return {m.contribution.id: m.matched for m in result.eligible}


# ---- bounds and conservation --------------------------------------------------------------


@FAST
@given(ledgers(), as_ofs)
def test_no_cap_and_no_envelope_is_ever_exceeded(led, as_of):
    p = led.programmes[0]
    result = run(led, as_of)
    by_contributor: dict[str, Decimal] = defaultdict(Decimal)
    by_common: dict[str, Decimal] = defaultdict(Decimal)
    by_need: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for m in result.eligible:
        c = m.contribution
        assert m.matched >= 0 and m.matched == m.matched.quantize(CENT)  # whole cents
        if p.allocation != "quadratic":  # a quadratic match is not bound by its own base
            assert m.matched <= c.amount * (p.ratio if c.kind == "money" else p.in_kind_ratio)
            if p.caps.per_contribution is not None:
                assert m.matched <= p.caps.per_contribution
        by_contributor[c.contributor] += m.matched
        by_common[c.common] += m.matched
        if c.need:
            by_need[(c.common, c.need)] += m.matched
    share = p.caps.per_need_share
    if share is not None:
        amounts = {(m, n): Decimal(a) for m, needs in NEEDS.items() for n, a in needs.items()}
        assert all(v <= share * amounts[k] for k, v in by_need.items())
    assert all(m.matched == 0 for m in result.missed)
    if p.caps.per_contributor is not None:
        assert all(v <= p.caps.per_contributor for v in by_contributor.values())
    if p.caps.per_common is not None:
        assert all(v <= p.caps.per_common for v in by_common.values())
    assert result.allocated <= p.envelope
    assert result.unallocated == p.envelope - result.allocated >= 0


@FAST
@given(ledgers(), as_ofs)
def test_total_is_within_a_cent_per_contribution_of_the_exact_total(led, as_of):
    result = run(led, as_of)
    exact = sum((m.exact for m in result.eligible), Fraction(0))
    total = Fraction(result.allocated)
    # each match is floored: it loses less than one cent, never gains
    assert exact - Fraction(len(result.eligible), 100) < total <= exact or not result.eligible
    assert all(0 <= m.exact - Fraction(m.matched) < Fraction(1, 100) for m in result.eligible)


# ---- order independence, stability, monotonicity -----------------------------------------------


def fingerprint(result):
    return [(m.contribution.id, m.reason, m.matched, m.exact, m.binding) for m in result.matches]


@FAST
@given(ledgers(), as_ofs, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_record_order(led, as_of, rnd: random.Random):
    def shuffled(records):
        records = list(records)
        rnd.shuffle(records)
        return tuple(records)

    other = replace(
        led, contributors=shuffled(led.contributors), commons=shuffled(led.commons),
        contributions=shuffled(led.contributions), reversals=shuffled(led.reversals),
    )  # fmt: skip
    assert fingerprint(run(other, as_of)) == fingerprint(run(led, as_of))
    assert fingerprint(run(led, as_of)) == fingerprint(run(led, as_of))  # idempotent


@FAST
@given(ledgers("first-come", all_or_nothing=False), st.data())
def test_first_come_a_later_contribution_never_changes_earlier_matches(led, data):
    # (with per_need_share too; not under all_or_nothing, where a later contribution can
    # reach a need and so pay the matches that hung on it)
    # existing contributions are dated day 0..60; the newcomer comes on day 61
    common = data.draw(st.sampled_from(sorted(COMMONS)))
    newcomer = record(
        Contribution, id="zz-late", date=day(61), amount=data.draw(money),
        contributor=data.draw(WHO), common=common,
        need=data.draw(st.sampled_from([None, *sorted(NEEDS[common])])),
    )  # fmt: skip
    as_of = day(150)
    before = matched(run(led, as_of))
    after = matched(run(replace(led, contributions=(*led.contributions, newcomer)), as_of))
    after.pop("zz-late", None)
    assert after == before


@FAST
@given(ledgers(), as_ofs, st.integers(1, 200_000).map(cents))
def test_a_bigger_envelope_never_lowers_a_match(led, as_of, more):
    p = led.programmes[0]
    bigger = p.model_copy(update={"envelope": p.envelope + more})
    small = matched(run(led, as_of))
    large = matched(run(replace(led, programmes=(bigger,)), as_of))
    assert small.keys() == large.keys()
    assert all(large[k] >= small[k] for k in small), (small, large)


# ---- differential: a slow, obviously-correct reference from SPEC §2 -------------------------


def reference(led: Ledger, p: Programme, as_of: date) -> dict[str, Decimal]:
    """SPEC §2, read literally, with Fractions; returns eligible id -> matched."""
    cancelled = {r.reverses for r in led.reversals if r.date <= as_of}
    kind_of = {x.id: x.kind for x in led.contributors}
    stewards = {x.id: x.stewards for x in led.commons}
    eligible = []
    for c in led.contributions:
        if not p.start <= c.date <= min(p.end, as_of):
            continue
        if c.id in cancelled or kind_of[c.contributor] not in p.eligible.kinds:
            continue
        if p.eligible.commons != "all" and c.common not in p.eligible.commons:
            continue
        if c.contributor == p.funder or (
            p.exclude_stewards and c.contributor in stewards[c.common]
        ):
            continue
        if c.amount < p.eligible.min_amount or (c.kind == "in-kind" and p.in_kind_ratio == 0):
            continue
        eligible.append(c)

    value: dict[str, Fraction] = {}
    for c in eligible:
        b = Fraction(c.amount) * Fraction(p.ratio if c.kind == "money" else p.in_kind_ratio)
        if p.caps.per_contribution is not None:
            b = min(b, Fraction(p.caps.per_contribution))
        value[c.id] = b

    # SPEC §2b: the need's ceiling, share × amount (floored to the cent: matches are cents),
    # binds the contributions naming a need, after per_common and before the envelope
    need_amount = {(m.id, n.id): n.amount for m in led.commons for n in m.needs}
    share = p.caps.per_need_share

    def ceiling(c):
        if share is None or not c.need:
            return None
        return Fraction(
            math.floor(Fraction(share) * Fraction(need_amount[(c.common, c.need)]) * 100), 100
        )

    caps = [(lambda c: p.caps.per_contributor, lambda c: c.contributor),
            (lambda c: p.caps.per_common, lambda c: c.common),
            (ceiling, lambda c: (c.common, c.need)),
            (lambda c: p.envelope, lambda c: "everything")]  # fmt: skip
    if p.allocation == "first-come":
        used: list[dict] = [defaultdict(Fraction) for _ in caps]
        for c in sorted(eligible, key=lambda c: (c.date, c.id)):
            for (cap, group), spent in zip(caps, used, strict=True):
                if cap(c) is not None:
                    value[c.id] = min(value[c.id], Fraction(cap(c)) - spent[group(c)])
            for (_, group), spent in zip(caps, used, strict=True):
                spent[group(c)] += value[c.id]
    elif p.allocation == "pro-rata":
        for cap, group in caps:
            totals: dict = defaultdict(Fraction)
            for c in eligible:
                if cap(c) is not None:
                    totals[group(c)] += value[c.id]
            for c in eligible:
                if cap(c) is not None and totals[group(c)] > cap(c):
                    value[c.id] = value[c.id] * Fraction(cap(c)) / totals[group(c)]
    else:
        value = quadratic_reference(p, eligible, value)
        totals = defaultdict(Fraction)
        for c in eligible:
            if ceiling(c) is not None:
                totals[(c.common, c.need)] += value[c.id]
        for c in eligible:
            if ceiling(c) is not None and totals[(c.common, c.need)] > ceiling(c):
                value[c.id] = value[c.id] * ceiling(c) / totals[(c.common, c.need)]
    floored = {cid: Decimal(math.floor(v * 100)) / 100 for cid, v in value.items()}
    if p.all_or_nothing and as_of > p.end:
        # a need not reached by the end: its eligible contributions get nothing
        for key, amount in need_amount.items():
            mine = [c for c in eligible if (c.common, c.need) == key]
            given = sum(
                c.amount
                for c in led.contributions
                if (c.common, c.need) == key and c.date <= min(p.end, as_of)
                and c.id not in cancelled
            )  # fmt: skip
            if given + sum(floored[c.id] for c in mine) < amount:
                for c in mine:
                    del floored[c.id]
    return floored


def quadratic_reference(p: Programme, eligible, base: dict[str, Fraction]) -> dict[str, Fraction]:
    """SPEC §2b's quadratic allocation, read literally: id -> exact match in euros."""
    by: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for c in eligible:
        by[c.common][c.contributor] += base[c.id]
    roots, raw = {}, {}
    for m, gifts in by.items():
        a = {j: math.floor(v * 100) for j, v in gifts.items()}  # cents, floored
        r = {j: math.isqrt(x * 10**8) for j, x in a.items()}
        roots[m] = r
        raw[m] = (sum(r.values()) ** 2 - sum(x * x for x in r.values())) // 10**8
    envelope = int(p.envelope * 100)
    total = sum(raw.values())
    match = {m: envelope * x // total if total > envelope else x for m, x in raw.items()}
    if p.caps.per_common is not None:
        cap = int(p.caps.per_common * 100)
        while any(x > cap for x in match.values()):
            excess = sum(x - cap for x in match.values() if x > cap)
            below = {m: x for m, x in match.items() if x < cap}
            match = {m: min(x, cap) for m, x in match.items()}
            pool = sum(below.values())  # 0: no common below the cap to share with
            for m, x in below.items():
                match[m] += excess * x // pool if pool else 0
    out = {}
    for c in eligible:
        r = roots[c.common]
        s = sum(r.values())
        spread = s * s - sum(x * x for x in r.values())
        j = c.contributor
        if spread == 0 or by[c.common][j] == 0:
            out[c.id] = Fraction(0)
            continue
        share = Fraction(match[c.common] * r[j] * (s - r[j]), spread)
        out[c.id] = share * base[c.id] / by[c.common][j] / 100
    return out


@settings(max_examples=200, deadline=None)
@given(ledgers(), as_ofs)
def test_engine_agrees_with_the_reference(led, as_of):
    result = run(led, as_of)
    assert matched(result) == reference(led, led.programmes[0], as_of)
    # every contribution dated on or before as_of is listed, none later
    assert sorted(m.contribution.id for m in result.matches) == sorted(
        c.id for c in led.contributions if c.date <= as_of
    )


@st.composite
def crowded(draw):
    """Two tiers-lieux giving to two commons under one wide programme, tight caps: every cap
    and the envelope interact, so that the order of the pro-rata scalings shows."""
    contribs = [
        record(
            Contribution, id=f"k{i}", date=day(draw(days(0, 60))), amount=draw(money),
            contributor=draw(st.sampled_from(["t1", "t2"])),
            common=draw(st.sampled_from(["c1", "c3"])),
        )
        for i in range(draw(st.integers(2, 8)))
    ]  # fmt: skip
    tight = st.one_of(st.none(), st.integers(50, 900).map(Decimal))
    programme = record(
        Programme, id="p", name="P", funder="etat", ratio=Decimal("1"), start=day(0),
        end=day(100), envelope=draw(st.integers(50, 2000).map(Decimal)),
        allocation=draw(st.sampled_from(["first-come", "pro-rata"])),
        caps={"per_contribution": draw(tight), "per_contributor": draw(tight),
              "per_common": draw(tight)},
    )  # fmt: skip
    return build(programme, contribs)


@settings(max_examples=200, deadline=None)
@given(crowded())
def test_engine_agrees_with_the_reference_when_caps_crowd(led):
    as_of = day(150)
    assert matched(run(led, as_of)) == reference(led, led.programmes[0], as_of)


# ---- CSV -> Decimal -> CSV -------------------------------------------------------------------


def parse_csv(text: str, dialect: str) -> tuple[list[str], list[dict[str, object]]]:
    french = dialect == "excel-fr"
    if french:
        assert text.startswith("\ufeff")
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if french else ",")
    header, *lines = list(reader)
    kinds = {c.key: c.kind for c in report.CONTRIBUTION_COLUMNS}
    rows = []
    for line in lines:
        row: dict[str, object] = {}
        for key, cell in zip(header, line, strict=True):
            if kinds[key] == "money":
                row[key] = Decimal(cell.replace(",", ".") if french else cell)
            elif kinds[key] == "date":
                row[key] = date.fromisoformat(cell)
            elif kinds[key] == "bool":
                assert cell in ("true", "false")
                row[key] = cell == "true"
            else:
                row[key] = cell
        rows.append(row)
    return header, rows


@FAST
@given(ledgers(), as_ofs, st.sampled_from(["standard", "excel-fr"]))
def test_csv_round_trips_to_the_cent(led, as_of, dialect):
    table = report.contributions_table([run(led, as_of)], all=True)
    text = render.table_csv(table, dialect)
    header, rows = parse_csv(text, dialect)
    assert header == [c.key for c in table.columns]
    for parsed, original in zip(rows, table.rows, strict=True):
        for c in table.columns:
            if c.kind == "money":
                assert parsed[c.key] == original[c.key]  # exactly, to the cent
    again = render.table_csv(report.Table(table.title, table.columns, rows), dialect)
    assert again == text


@FAST
@given(ledgers("quadratic"), as_ofs)
def test_quadratic_never_exceeds_the_envelope_nor_the_cap_per_common(led, as_of):
    p = led.programmes[0]
    result = run(led, as_of)
    assert result.allocated <= p.envelope
    by_common: dict[str, Decimal] = defaultdict(Decimal)
    for m in result.eligible:
        by_common[m.contribution.common] += m.matched
    # each common's contributions share its final figure, floored: never above it
    for m in result.eligible:
        q = m.quadratic
        assert q is not None and by_common[q.common] <= cents(q.final)
        assert p.caps.per_common is None or q.final <= p.caps.per_common * 100
    assert sum(q.final for q in {m.quadratic.common: m.quadratic for m in result.eligible
                                 if m.quadratic}.values()) <= p.envelope * 100  # fmt: skip
