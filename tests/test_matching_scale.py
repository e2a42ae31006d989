"""Pro-rata with many distinct ratios: the exact sums the engine takes short cuts for.

The engine adds a common's scaled values pairwise, takes the envelope's total from
what the per-common stage left each common, and floors each value through a
fixed-point copy of its factor (matching.py, `_pro_rata`). These cases check that
it still gets, to the cent, what SPEC §2 read literally gives: one figure worked
out by hand, and a larger ledger against a slow left-to-right reference.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from cofi.ledger import Ledger
from cofi.matching import match_programme
from cofi.model import Common, Contribution, Contributor, Programme
from cofi.problems import Source

SRC = Source("x.yaml")
DAY0 = date(2026, 1, 1)
AS_OF = date(2026, 12, 31)


def record(model, **fields):
    return model.model_validate({"source": SRC, **fields})


def pro_rata(envelope: str, caps: dict[str, str], *, ratio: str = "1", in_kind: str = "0"):
    return record(
        Programme, id="p", name="P", funder="etat", ratio=Decimal(ratio),
        in_kind_ratio=Decimal(in_kind), start=DAY0, end=date(2026, 12, 31),
        envelope=Decimal(envelope), allocation="pro-rata",
        caps={k: Decimal(v) for k, v in caps.items()},
    )  # fmt: skip


def build(programme, people: list[str], commons: list[str], contribs) -> Ledger:
    return Ledger(
        contributors=(
            *(record(Contributor, id=k, name=k, kind="tiers-lieu") for k in people),
            record(Contributor, id="etat", name="État", kind="public"),
        ),
        commons=tuple(record(Common, id=m, name=m) for m in commons),
        programmes=(programme,),
        contributions=tuple(contribs),
    )


def give(cid: str, who: str, common: str, amount: str, kind: str = "money", day: int = 0):
    return record(
        Contribution, id=cid, date=DAY0 + timedelta(days=day), contributor=who,
        common=common, amount=Decimal(amount), kind=kind,
    )  # fmt: skip


def test_a_common_total_adds_fractions_with_distinct_denominators():
    led = build(
        pro_rata("250", {"per_contributor": "100", "per_common": "200"}),
        ["ruche", "forge", "bocal"],
        ["dokos", "movilab"],
        [
            give("ra", "ruche", "dokos", "100"),
            give("rb", "ruche", "movilab", "200"),
            give("fa", "forge", "dokos", "100"),
            give("fb", "forge", "movilab", "600"),
            give("ba", "bocal", "dokos", "100"),
            give("bb", "bocal", "movilab", "1000"),
        ],
    )
    result = match_programme(led, led.programmes[0], AS_OF)
    by_id = {m.contribution.id: m for m in result.matches}
    # 1. contributors, each over its cap of 100: ruche 100 + 200 = 300 → × 1/3,
    #    forge 100 + 600 = 700 → × 1/7, bocal 100 + 1000 = 1100 → × 1/11
    # 2. commons: dokos 100/3 + 100/7 + 100/11 = 100 × (77 + 33 + 21)/231 = 13100/231
    #    (≈ 56.71 ≤ 200: kept); movilab 200/3 + 600/7 + 1000/11
    #    = (200 × 77 + 600 × 33 + 1000 × 21)/231 = (15400 + 19800 + 21000)/231 = 56200/231
    #    (≈ 243.29 > 200) → × 200 × 231/56200 = 231/281:
    #    rb 200/3 × 231/281 = 15400/281, fb 600/7 × 231/281 = 19800/281,
    #    bb 1000/11 × 231/281 = 21000/281 (these add up to 200)
    # 3. envelope: 13100/231 + 200 = (13100 + 46200)/231 = 59300/231 (≈ 256.71 > 250)
    #    → × 250 × 231/59300 = 57750/59300 = 1155/1186:
    #    ra 100/3 × 1155/1186 = 38500/1186 = 19250/593: 593 × 32 = 18976, 274/593 ≈ 0.462 → 32.46
    #    fa 100/7 × 1155/1186 = 16500/1186 = 8250/593: 593 × 13 = 7709, 541/593 ≈ 0.912 → 13.91
    #    ba 100/11 × 1155/1186 = 10500/1186 = 5250/593: 593 × 8 = 4744, 506/593 ≈ 0.853 → 8.85
    #    rb 15400/281 × 1155/1186 = 17787000/333266: × 53 = 17663098, 123902/333266 ≈ 0.372
    #       → 53.37
    #    fb 19800 × 1155/333266 = 22869000/333266: × 68 = 22662088, 206912/333266 ≈ 0.621
    #       → 68.62
    #    bb 21000 × 1155/333266 = 24255000/333266: × 72 = 23995152, 259848/333266 ≈ 0.780
    #       → 72.77
    #    in all 249.98 ≤ 250
    expected = {
        "ra": "32.46", "fa": "13.91", "ba": "8.85",
        "rb": "53.37", "fb": "68.62", "bb": "72.77",
    }  # fmt: skip
    assert {cid: str(m.matched) for cid, m in by_id.items()} == expected
    assert all(m.binding == "envelope" for m in result.matches)
    assert result.allocated == Decimal("249.98")
    # the totals each stage compared with its bound, in currency units
    steps = {s.rule: s.total for s in by_id["bb"].steps if s.total is not None}
    assert steps == {
        "per_contributor": 1100,
        "per_common": Fraction(56200, 231),
        "envelope": Fraction(59300, 231),
    }
    assert by_id["bb"].exact == Fraction(24255000, 333266)


def reference(led: Ledger, p: Programme) -> dict[str, Decimal]:
    """SPEC §2 pro-rata read literally: Fractions, added left to right, value by value."""
    ratio = {"money": Fraction(p.ratio), "in-kind": Fraction(p.in_kind_ratio)}
    value = {c.id: Fraction(c.amount) * ratio[c.kind] for c in led.contributions}
    if p.caps.per_contribution is not None:
        value = {cid: min(v, Fraction(p.caps.per_contribution)) for cid, v in value.items()}
    stages = [(p.caps.per_contributor, lambda c: c.contributor),
              (p.caps.per_common, lambda c: c.common),
              (p.envelope, lambda c: "everything")]  # fmt: skip
    for bound, group in stages:
        if bound is None:
            continue
        totals: dict[str, Fraction] = defaultdict(Fraction)
        for c in led.contributions:
            totals[group(c)] += value[c.id]
        for c in led.contributions:
            if totals[group(c)] > bound:
                value[c.id] = value[c.id] * Fraction(bound) / totals[group(c)]
    return {cid: Decimal(math.floor(v * 100)) / 100 for cid, v in value.items()}


def test_many_contributors_scaled_down_agree_with_the_reference():
    # 80 contributors over 6 commons: some 200 values are capped per contribution,
    # over half the contributors exceed their cap, each with its own ratio, so every
    # common's total adds dozens of distinct denominators; most commons exceed theirs,
    # and the envelope binds after both stages.
    rnd = random.Random(20260301)
    people = [f"t{i}" for i in range(80)]
    commons = [f"c{i}" for i in range(6)]
    contribs = [
        give(
            f"k{i:04}", rnd.choice(people), rnd.choice(commons),
            str(Decimal(rnd.randint(1, 90_000)).scaleb(-2)),
            kind=rnd.choice(["money", "money", "in-kind"]), day=rnd.randint(0, 300),
        )
        for i in range(700)
    ]  # fmt: skip
    caps = {"per_contribution": "250", "per_contributor": "1300", "per_common": "15000"}
    programme = pro_rata("70000", caps, ratio="0.333", in_kind="0.5")
    led = build(programme, people, commons, contribs)
    result = match_programme(led, programme, AS_OF)
    assert {m.contribution.id: m.matched for m in result.matches} == reference(led, programme)
    # the case does exercise what it is meant to
    cuts = [cut for m in result.matches for cut in m.cuts]
    assert sum(m.capped < m.raw for m in result.matches) > 100
    assert len({cut.total for cut in cuts if cut.rule == "per_contributor"}) > 40
    assert len({cut.total for cut in cuts if cut.rule == "per_common"}) > 3
    assert any(cut.rule == "envelope" for cut in cuts)
    assert result.allocated <= programme.envelope
