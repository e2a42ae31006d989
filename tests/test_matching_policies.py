"""SPEC §2b, rule by rule: the need's ceiling (caps.per_need_share), all-or-nothing
needs and capped quadratic funding, under each allocation they meet.

Small ledgers written as YAML, figures worked out by hand in the comment above
each case (never copied from cofi's output). Each case gives the expected
(matched, binding) of every contribution, or ("refused", reason).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cofi.matching import match_programme
from conftest import load_ok

PEOPLE = {
    **{f"ledger/contributors/t{i}.yaml": f"name: T{i}\nkind: tiers-lieu\n" for i in range(1, 9)},
    "ledger/contributors/quai.yaml": "name: Le Quai\nkind: tiers-lieu\n",
    "ledger/contributors/etat.yaml": "name: État\nkind: public\n",
    "commons/dokos.yaml": (
        "name: Dokos\nstewards: [quai]\nneeds:\n"
        "  - {id: booking, title: Réservation, amount: 1000}\n"
        "  - {id: odd, title: Besoin impair, amount: 1000.01}\n"
    ),
    "commons/movilab.yaml": "name: Movilab\n",
    "commons/ca.yaml": "name: A\n",
    "commons/cb.yaml": "name: B\n",
    "commons/cc.yaml": "name: C\nneeds:\n  - {id: v1, title: Version 1, amount: 50}\n",
}

DURING = date(2026, 6, 30)  # before the programme's end (09-30): conditional, provisional
AFTER = date(2026, 11, 28)  # after it: final


def programme(extra: str = "", *, allocation: str = "first-come", envelope: str = "100000") -> str:
    return (
        "name: P\nfunder: etat\nratio: 1\nstart: 2026-01-01\nend: 2026-09-30\n"
        f"envelope: {envelope}\nallocation: {allocation}\n{extra}"
    )


def c(day: str, who: str, common: str, amount: str, extra: str = "") -> str:
    more = f", {extra}" if extra else ""
    return f"{{date: 2026-{day}, contributor: {who}, common: {common}, amount: {amount}{more}}}"


def run(ledger_dir, prog: str, entries: dict[str, str], as_of: date = AFTER, extra=None):
    files = {**PEOPLE, "ledger/programmes/p.yaml": prog, **(extra or {})}
    files |= {f"ledger/contributions/{cid}.yaml": text for cid, text in entries.items()}
    led = load_ok(ledger_dir(files)).ledger
    return match_programme(led, led.programme["p"], as_of)


def outcome(result) -> dict[str, tuple[str, str | None]]:
    return {
        m.contribution.id: (str(m.matched), m.binding) if m.eligible else ("refused", m.reason)
        for m in result.matches
    }


BOOKING = "need: booking"

CASES = [
    # ---- caps.per_need_share ---------------------------------------------------------------
    pytest.param(
        programme("caps: {per_need_share: 0.5}"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "400", BOOKING),
            "c": c("03-03", "t3", "dokos", "400"),
        },
        # booking's ceiling: 0.5 × 1000 = 500. a 300 (200 left); b min(400, 200) = 200;
        # c names no need: not bound, 400
        {"a": ("300.00", "ratio"), "b": ("200.00", "per_need_share"), "c": ("400.00", "ratio")},
        id="need-share-first-come",
    ),
    pytest.param(
        programme("caps: {per_need_share: 0.5}", allocation="pro-rata"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "400", BOOKING),
            "c": c("03-03", "t3", "dokos", "400"),
        },
        # booking: 300 + 400 = 700 > 500 → × 5/7: a 1500/7 = 214.285… → 214.28,
        # b 2000/7 = 285.714… → 285.71; c 400 untouched
        {
            "a": ("214.28", "per_need_share"),
            "b": ("285.71", "per_need_share"),
            "c": ("400.00", "ratio"),
        },
        id="need-share-pro-rata",
    ),
    pytest.param(
        programme("caps: {per_need_share: 0.333}"),
        {"a": c("03-01", "t1", "dokos", "500", "need: odd")},
        # odd's ceiling: 0.333 × 1000.01 = 333.00333 → floored to the cent, 333.00
        {"a": ("333.00", "per_need_share")},
        id="need-share-ceiling-floored-to-the-cent",
    ),
    pytest.param(
        programme("caps: {per_common: 600, per_need_share: 0.4}", allocation="pro-rata"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "400", BOOKING),
            "c": c("03-03", "t3", "dokos", "200"),
        },
        # per_common first: dokos 900 > 600 → × 2/3: a 200, b 800/3, c 400/3 = 133.333…
        # then booking (ceiling 0.4 × 1000 = 400): 200 + 800/3 = 1400/3 > 400 → × 6/7:
        # a 1200/7 = 171.428… → 171.42, b 4800/21 = 228.571… → 228.57; c stays 133.33
        {
            "a": ("171.42", "per_need_share"),
            "b": ("228.57", "per_need_share"),
            "c": ("133.33", "per_common"),
        },
        id="need-share-after-per-common-pro-rata",
    ),
    pytest.param(
        programme("caps: {per_need_share: 0.4}", allocation="pro-rata", envelope="500"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "500", BOOKING),
            "c": c("03-03", "t3", "movilab", "300"),
        },
        # booking 800 > 400 → × 1/2: a 150, b 250; then all 150 + 250 + 300 = 700 > 500
        # → × 5/7: a 750/7 = 107.142… → 107.14, b 1250/7 = 178.571… → 178.57,
        # c 1500/7 = 214.285… → 214.28
        {
            "a": ("107.14", "envelope"),
            "b": ("178.57", "envelope"),
            "c": ("214.28", "envelope"),
        },
        id="need-share-before-envelope-pro-rata",
    ),
    pytest.param(
        programme("caps: {per_common: 350, per_need_share: 0.5}"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "400", BOOKING),
        },
        # first-come: a 300 (dokos 50 left, booking 200 left); b min(400, 50, 200) = 50:
        # the cap per common binds first, and booking keeps 150 of its ceiling
        {"a": ("300.00", "ratio"), "b": ("50.00", "per_common")},
        id="need-share-with-per-common-first-come",
    ),
    # ---- all_or_nothing -------------------------------------------------------------------
    pytest.param(
        programme("all_or_nothing: true"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "150", BOOKING),
            "c": c("03-03", "t3", "dokos", "100"),
        },
        # booking: given 300 + 150 = 450, matched 300 + 150 = 450: 900 < 1000, missed after
        # the end: a and b 0.00 (target-missed); c names no need: 100
        {
            "a": ("refused", "target-missed"),
            "b": ("refused", "target-missed"),
            "c": ("100.00", "ratio"),
        },
        id="all-or-nothing-missed-first-come",
    ),
    pytest.param(
        programme("all_or_nothing: true"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "150", BOOKING),
            "d": c("03-04", "quai", "dokos", "100", BOOKING),
        },
        # quai is dokos's steward: not matched, but its 100 counts toward the target:
        # given 300 + 150 + 100 = 550, matched 450: 1000 ≥ 1000, reached exactly
        {"a": ("300.00", "ratio"), "b": ("150.00", "ratio"), "d": ("refused", "steward")},
        id="all-or-nothing-reached-by-anyone",
    ),
    pytest.param(
        programme("all_or_nothing: true"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "150", BOOKING),
            "d": c("03-04", "quai", "dokos", "100", f"{BOOKING}, kind: in-kind"),
        },
        # in kind counts at its written amount too: 300 + 150 + 100 + matched 450 = 1000
        {"a": ("300.00", "ratio"), "b": ("150.00", "ratio"), "d": ("refused", "steward")},
        id="all-or-nothing-in-kind-counts",
    ),
    pytest.param(
        programme("all_or_nothing: true", allocation="pro-rata", envelope="300"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "150", BOOKING),
            "c": c("03-03", "t3", "movilab", "150"),
        },
        # 600 > 300 → × 1/2: a 150, b 75, c 75. booking: given 450 + matched 225 = 675
        # < 1000: a and b 0.00; c 75; the 225 stays unallocated (not given to c)
        {
            "a": ("refused", "target-missed"),
            "b": ("refused", "target-missed"),
            "c": ("75.00", "envelope"),
        },
        id="all-or-nothing-missed-pro-rata",
    ),
    pytest.param(
        programme("all_or_nothing: true\ncaps: {per_need_share: 0.5}"),
        {
            "a": c("03-01", "t1", "dokos", "400", BOOKING),
            "b": c("03-02", "t2", "dokos", "200", BOOKING),
        },
        # ceiling 500: a 400, b min(200, 100) = 100; booking: given 600 + matched 500
        # = 1100 ≥ 1000, reached
        {"a": ("400.00", "ratio"), "b": ("100.00", "per_need_share")},
        id="all-or-nothing-with-need-share",
    ),
    # ---- quadratic ----------------------------------------------------------------------------
    pytest.param(
        programme("caps: {per_common: 40}", allocation="quadratic", envelope="100"),
        {
            **{f"a{i}": c("03-01", f"t{i}", "ca", "25") for i in range(1, 5)},
            "b1": c("03-01", "t1", "cb", "25"),
            "b2": c("03-01", "t2", "cb", "25"),
            "c1": c("03-01", "t1", "cc", "225"),
            "c2": c("03-01", "t2", "cc", "25"),
        },
        # SPEC §2b's example. raw: A (4 × 5)² − 4 × 25 = 300, B (5 + 5)² − 50 = 50,
        # C (15 + 5)² − 250 = 150; 500 > 100 → A 60, B 10, C 30; A capped at 40, its 20
        # shared 10:30 → B 15, C 45; C capped at 40, its 5 → B 20. Final 40 / 20 / 40.
        # Split: A's four equal roots → 10 each; B's two → 10 each; C: 15 × 5 = 5 × 15
        # → 20 each.
        {
            **{f"a{i}": ("10.00", "per_common") for i in range(1, 5)},
            "b1": ("10.00", "envelope"),
            "b2": ("10.00", "envelope"),
            "c1": ("20.00", "per_common"),
            "c2": ("20.00", "per_common"),
        },
        id="quadratic-spec-example",
    ),
    pytest.param(
        programme("caps: {per_common: 30}", allocation="quadratic", envelope="100"),
        {
            **{f"a{i}": c("03-01", f"t{i}", "ca", "25") for i in range(1, 5)},
            "b1": c("03-01", "t1", "cb", "25"),
            "b2": c("03-01", "t2", "cb", "25"),
            "c1": c("03-01", "t1", "cc", "225"),
            "c2": c("03-01", "t2", "cc", "25"),
        },
        # scaled 60 / 10 / 30 as above; cap 30: A's excess 30 all goes to B (C sits at the
        # cap, not strictly below) → B 40; B's excess 10 has no common below the cap: it
        # stays unallocated. Final 30 / 30 / 30: A 7.50 each, B 15 each, C 15 each
        {
            **{f"a{i}": ("7.50", "per_common") for i in range(1, 5)},
            "b1": ("15.00", "per_common"),
            "b2": ("15.00", "per_common"),
            "c1": ("15.00", "envelope"),
            "c2": ("15.00", "envelope"),
        },
        id="quadratic-cap-leaves-money-unallocated",
    ),
    pytest.param(
        programme(allocation="quadratic", envelope="1000"),
        {
            "x1": c("03-01", "t1", "ca", "1"),
            "x2": c("03-01", "t2", "ca", "2"),
            "y1": c("03-01", "t3", "cb", "50"),
        },
        # a = 100 and 200 cents: r = isqrt(10^10) = 100000, isqrt(2 × 10^10) = 141421;
        # S = 241421, S² = 58284099241, Σ r² = 10^10 + 19999899241 = 29999899241;
        # raw = floor(28284200000 / 10^8) = 282 cents. Both r_j (S − r_j) = 14142100000:
        # 1.41 each. cb has one contributor: raw 0
        {"x1": ("1.41", "quadratic"), "x2": ("1.41", "quadratic"), "y1": ("0.00", "quadratic")},
        id="quadratic-integer-roots",
    ),
    pytest.param(
        programme(allocation="quadratic", envelope="1000"),
        {
            "x1": c("03-01", "t1", "ca", "10"),
            "x2": c("03-02", "t1", "ca", "30"),
            "x3": c("03-01", "t2", "ca", "40"),
        },
        # t1 gives 10 + 30 = 40, t2 40: a = 4000 cents each, r = isqrt(4 × 10^11) = 632455,
        # S² − Σ r² = 2 r² = 2 × 399999327025 = 799998654050 → raw floor(/10^8) = 7999 cents
        # (not 80.00: the root is floored). Equal roots: 7999 / 2 each; t1's split 10:30:
        # x1 7999 × 10/80 = 999.875 → 9.99, x2 7999 × 30/80 = 2999.625 → 29.99;
        # x3 7999 / 2 = 3999.5 → 39.99
        {"x1": ("9.99", "quadratic"), "x2": ("29.99", "quadratic"), "x3": ("39.99", "quadratic")},
        id="quadratic-split-by-base",
    ),
    pytest.param(
        programme(
            "caps: {per_common: 40, per_need_share: 0.5}", allocation="quadratic", envelope="100"
        ),
        {
            **{f"a{i}": c("03-01", f"t{i}", "ca", "25") for i in range(1, 5)},
            "b1": c("03-01", "t1", "cb", "25"),
            "b2": c("03-01", "t2", "cb", "25"),
            "c1": c("03-01", "t1", "cc", "225", "need: v1"),
            "c2": c("03-01", "t2", "cc", "25", "need: v1"),
        },
        # as SPEC's example, C 40 → c1 20, c2 20; v1's ceiling 0.5 × 50 = 25 < 40 → × 25/40:
        # 12.50 each; the 15 stays unallocated
        {
            **{f"a{i}": ("10.00", "per_common") for i in range(1, 5)},
            "b1": ("10.00", "envelope"),
            "b2": ("10.00", "envelope"),
            "c1": ("12.50", "per_need_share"),
            "c2": ("12.50", "per_need_share"),
        },
        id="quadratic-need-share",
    ),
    pytest.param(
        programme(
            "caps: {per_common: 40}\nall_or_nothing: true", allocation="quadratic", envelope="100"
        ),
        {
            **{f"a{i}": c("03-01", f"t{i}", "ca", "25") for i in range(1, 5)},
            "b1": c("03-01", "t1", "cb", "25"),
            "b2": c("03-01", "t2", "cb", "25"),
            "c1": c("03-01", "t1", "cc", "20", "need: v1"),
            "c2": c("03-01", "t2", "cc", "5", "need: v1"),
        },
        # C: a = 2000, 500 cents, r1 = isqrt(2 × 10^11) = 447213, r2 = isqrt(5 × 10^10)
        # = 223606; S² − Σ r² = 2 r1 r2 = 199999020156 → raw 1999 cents (about 2√100 = 20).
        # Raws 30000 + 5000 + 1999 = 36999 cents > 10000 → A floor(10^8 × 3/36999) = 8108,
        # B floor(5 × 10^7/36999) = 1351, C floor(19990000/36999) = 540; A capped at 4000:
        # excess 4108 shared 1351:540 (pool 1891) → B + floor(5549908/1891) = 2934 → 4285,
        # C + floor(2218320/1891) = 1173 → 1713; B capped: 285 → C 1998. B 40 → 20 each;
        # C 19.98 → 9.99 each. v1: given 25 + matched 19.98 < 50: missed after the end,
        # and C's 19.98 stays unallocated
        {
            **{f"a{i}": ("10.00", "per_common") for i in range(1, 5)},
            "b1": ("20.00", "per_common"),
            "b2": ("20.00", "per_common"),
            "c1": ("refused", "target-missed"),
            "c2": ("refused", "target-missed"),
        },
        id="quadratic-all-or-nothing",
    ),
]


@pytest.mark.parametrize(("prog", "entries", "expected"), CASES)
def test_policy(ledger_dir, prog, entries, expected):
    assert outcome(run(ledger_dir, prog, entries)) == expected


def spec_example(cap: str) -> tuple[str, dict[str, str]]:
    prog = programme(f"caps: {{per_common: {cap}}}", allocation="quadratic", envelope="100")
    entries = {
        **{f"a{i}": c("03-01", f"t{i}", "ca", "25") for i in range(1, 5)},
        "b1": c("03-01", "t1", "cb", "25"),
        "b2": c("03-01", "t2", "cb", "25"),
        "c1": c("03-01", "t1", "cc", "225"),
        "c2": c("03-01", "t2", "cc", "25"),
    }
    return prog, entries


def test_quadratic_spec_example_figures_per_common_and_rounds(ledger_dir):
    result = run(ledger_dir, *spec_example("40"))
    quads = {m.contribution.common: m.quadratic for m in result.matches}
    # raw 300 / 50 / 150 (cents: 30000 / 5000 / 15000), scaled to 60 / 10 / 30, final 40/20/40
    assert {k: (q.raw, q.scaled, q.final) for k, q in quads.items()} == {
        "ca": (30000, 6000, 4000),
        "cb": (5000, 1000, 2000),
        "cc": (15000, 3000, 4000),
    }
    run_ = result.quadratic
    assert run_ is not None and run_.raw_total == 50000 and run_.scaled
    # round 1: A's 20 to B (5) and C (15); round 2: C's 5 to B
    assert [(dict(r.capped), r.excess, dict(r.given)) for r in run_.rounds] == [
        ({"ca": 6000}, 2000, {"cb": 500, "cc": 1500}),
        ({"cc": 4500}, 500, {"cb": 500}),
    ]
    assert result.allocated == Decimal("100.00") and result.unallocated == 0
    assert result.provisional is False  # after the end


def test_quadratic_cap_leaves_ten_unallocated(ledger_dir):
    # final 30 / 30 / 30 of an envelope of 100 (see the case above)
    result = run(ledger_dir, *spec_example("30"))
    assert result.allocated == Decimal("90.00") and result.unallocated == Decimal("10.00")


def test_quadratic_is_provisional_until_the_end(ledger_dir):
    result = run(ledger_dir, *spec_example("40"), as_of=DURING)
    assert result.provisional
    assert all(result.conditional(m) for m in result.eligible)


def test_all_or_nothing_is_conditional_before_the_end(ledger_dir):
    prog = programme("all_or_nothing: true")
    entries = {
        "a": c("03-01", "t1", "dokos", "300", BOOKING),
        "c": c("03-03", "t3", "dokos", "100"),
    }
    result = run(ledger_dir, prog, entries, as_of=DURING)
    # not reached (300 + 300 < 1000) but the programme runs until 2026-09-30: a keeps its
    # 300, conditional; c names no need and is final
    assert outcome(result) == {"a": ("300.00", "ratio"), "c": ("100.00", "ratio")}
    by_id = {m.contribution.id: m for m in result.matches}
    assert result.conditional(by_id["a"]) and not result.conditional(by_id["c"])
    assert result.provisional
    target = result.targets[("dokos", "booking")]
    assert (target.given, target.matched, target.reached) == (300, 300, False)


def test_all_or_nothing_missed_money_stays_unallocated(ledger_dir):
    prog = programme("all_or_nothing: true", envelope="1000")
    entries = {
        "a": c("03-01", "t1", "dokos", "300", BOOKING),
        "c": c("03-03", "t3", "dokos", "100"),
    }
    result = run(ledger_dir, prog, entries)
    # a missed (0.00), c 100: allocated 100 of 1000, 900 unallocated
    assert result.allocated == 100 and result.unallocated == 900
    assert [m.contribution.id for m in result.missed] == ["a"]


def test_all_or_nothing_counts_neither_reversed_nor_late_contributions(ledger_dir):
    prog = programme("all_or_nothing: true")
    entries = {
        "a": c("03-01", "t1", "dokos", "300", BOOKING),
        "b": c("03-02", "t2", "dokos", "200", BOOKING),
        # dated after the end: not counted toward the target (dated ≤ min(end, A))
        "late": "{date: 2026-10-05, contributor: t3, common: dokos, amount: 500, need: booking}",
    }
    reversal = {"ledger/contributions/zz-rev.yaml": "{date: 2026-06-01, reverses: b}"}
    result = run(ledger_dir, prog, entries, extra=reversal)
    # given: a 300 (b reversed, late after the end), matched 300: 600 < 1000 → missed
    target = result.targets[("dokos", "booking")]
    assert (target.given, target.matched) == (300, 300)
    assert outcome(result) == {
        "a": ("refused", "target-missed"),
        "b": ("refused", "reversed"),
        "late": ("refused", "after-end"),
    }


RECEIPT = "ledger/receipts/r-{0}.yaml"


def receipts(*ids: str, day: str = "2026-04-01") -> dict[str, str]:
    return {RECEIPT.format(i): f"{{date: {day}, contribution: {i}}}" for i in ids}


def test_need_share_under_receipts_queues_by_confirmation(ledger_dir):
    prog = programme("requires_receipt: true\ncaps: {per_need_share: 0.5}")
    entries = {
        "a": c("03-01", "t1", "dokos", "400", BOOKING),
        "b": c("03-02", "t2", "dokos", "400", BOOKING),
    }
    extra = {**receipts("b", day="2026-03-05"), **receipts("a", day="2026-03-10")}
    # b confirmed first (03-05) takes 400 of the ceiling of 500; a then gets 100
    result = run(ledger_dir, prog, entries, extra=extra)
    assert outcome(result) == {"a": ("100.00", "per_need_share"), "b": ("400.00", "ratio")}


def test_quadratic_counts_only_confirmed_contributions(ledger_dir):
    prog = programme("requires_receipt: true", allocation="quadratic", envelope="1000")
    entries = {
        "x1": c("03-01", "t1", "ca", "25"),
        "x2": c("03-01", "t2", "ca", "25"),
        "x3": c("03-01", "t3", "ca", "25"),
    }
    # x3 unconfirmed: two contributors of 25 → (5 + 5)² − 50 = 50, 25 each
    result = run(ledger_dir, prog, entries, extra=receipts("x1", "x2"))
    assert outcome(result) == {
        "x1": ("25.00", "quadratic"),
        "x2": ("25.00", "quadratic"),
        "x3": ("refused", "awaiting-receipt"),
    }


def test_all_or_nothing_counts_unconfirmed_contributions_toward_the_target(ledger_dir):
    prog = programme("requires_receipt: true\nall_or_nothing: true")
    entries = {
        "a": c("03-01", "t1", "dokos", "600", BOOKING),
        "b": c("03-02", "t2", "dokos", "100", BOOKING),
    }
    # b awaits its receipt (not matched) but its written 100 counts: 700 + matched 600
    result = run(ledger_dir, prog, entries, extra=receipts("a"))
    assert outcome(result) == {"a": ("600.00", "ratio"), "b": ("refused", "awaiting-receipt")}


# ---- cofi explain shows each step in words ----------------------------------------------------


def explained(ledger_dir, prog, entries, cid, as_of=AFTER, extra=None) -> str:
    from cofi.explain import explain

    files = {**PEOPLE, "ledger/programmes/p.yaml": prog, **(extra or {})}
    files |= {f"ledger/contributions/{k}.yaml": text for k, text in entries.items()}
    led = load_ok(ledger_dir(files)).ledger
    result = match_programme(led, led.programme["p"], as_of)
    return "\n".join(explain(led, [result], led.entry[cid]))


def test_explain_need_share_gives_the_ceiling_and_its_figure(ledger_dir):
    entries = {
        "a": c("03-01", "t1", "dokos", "300", BOOKING),
        "b": c("03-02", "t2", "dokos", "400", BOOKING),
    }
    text = explained(ledger_dir, programme("caps: {per_need_share: 0.5}"), entries, "b")
    assert "only 200.00 was left of the ceiling on need booking, 0.5 × 1,000.00 = 500.00" in text
    prog = programme("caps: {per_need_share: 0.5}", allocation="pro-rata")
    text = explained(ledger_dir, prog, entries, "b")
    assert (
        "the matches on need booking total 700.00, over its ceiling of 0.5 × 1,000.00 = 500.00: "
        "scaled by 500.00/700.00 = 285.7142…"
    ) in text


def test_explain_all_or_nothing_gives_the_target_and_who_reached_it(ledger_dir):
    entries = {
        "a": c("03-01", "t1", "dokos", "300", BOOKING),
        "b": c("03-02", "t2", "dokos", "150", BOOKING),
    }
    text = explained(ledger_dir, programme("all_or_nothing: true"), entries, "a")
    assert (
        "need booking: target 1,000.00; given 450.00 (t1 300.00, t2 150.00) + matched by this "
        "programme 450.00 = 900.00: not reached"
    ) in text
    assert "Matched: 0.00: the need booking was not reached" in text
    assert "the 300.00 this contribution would have had stays in the envelope" in text
    text = explained(ledger_dir, programme("all_or_nothing: true"), entries, "a", as_of=DURING)
    assert "Conditional: paid only if the need is reached" in text


def test_explain_quadratic_gives_the_raw_figure_the_scaling_and_each_round(ledger_dir):
    text = explained(ledger_dir, *spec_example("40"), "b1")
    assert "r = isqrt(a × 10^8) = 500000" in text
    assert "floor((S² − Σ r²) / 10^8) = 50.00" in text
    assert "total 500.00, over the envelope of 100.00: cb gets" in text
    assert "round 1 of the cap per common of 40.00: of the 20.00 given up, cb receives" in text
    assert "round 2 of the cap per common of 40.00: of the 5.00 given up, cb receives" in text
    assert "part of it is r (S − r) / (S² − Σ r²) = 1/2" in text
    assert "Matched: 10.00" in text
    text = explained(ledger_dir, *spec_example("40"), "a1")
    assert "round 1 of the cap per common of 40.00: ca goes from 60.00 down to 40.00" in text


def test_explain_quadratic_says_each_contribution_its_own_base_in_its_language(ledger_dir):
    """What is said of a contributor on a common is made once for all its contributions
    (explain._quadratic keeps it): each contribution still gets its own base, and a change
    of language its own words."""
    from cofi import i18n
    from cofi.explain import explain

    entries = {
        "x1": c("03-01", "t1", "ca", "10"),
        "x2": c("03-02", "t1", "ca", "30"),
        "x3": c("03-01", "t2", "ca", "40"),
    }
    files = {**PEOPLE, "ledger/programmes/p.yaml": programme(allocation="quadratic")}
    files |= {f"ledger/contributions/{k}.yaml": text for k, text in entries.items()}
    led = load_ok(ledger_dir(files)).ledger
    result = match_programme(led, led.programme["p"], AFTER)

    def said(cid: str) -> str:
        return "\n".join(explain(led, [result], led.entry[cid]))

    # t1's bases on ca: 10 + 30 = 40 (ratio 1, no cap), each contribution its own share
    assert "this contribution's base is 10.00 of t1's 40.00 on it" in said("x1")
    assert "this contribution's base is 30.00 of t1's 40.00 on it" in said("x2")
    assert "this contribution's base is 40.00 of t2's 40.00 on it" in said("x3")
    i18n.use("fr")
    try:
        french = said("x2")
    finally:
        i18n.use("en")
    french = french.replace("\u00a0", " ").replace("\u202f", " ")  # French spaces
    assert "les bases de t1 sur ce commun totalisent 40,00 €" in french
    assert "la base de cette contribution est de 30,00 € sur les 40,00 € de t1" in french
    assert "t1's bases on it total 40.00" in said("x1")


# ---- cofi status and the notes of cofi match ------------------------------------------------


def test_status_shows_each_needs_public_share_and_whether_it_is_reached(ledger_dir):
    from cofi import report

    prog = programme("caps: {per_need_share: 0.4}")
    entries = {
        "a": c("03-01", "t1", "dokos", "300", BOOKING),
        "b": c("03-02", "t2", "dokos", "500", BOOKING),
    }
    files = {**PEOPLE, "ledger/programmes/p.yaml": prog}
    files |= {f"ledger/contributions/{k}.yaml": text for k, text in entries.items()}
    led = load_ok(ledger_dir(files)).ledger
    result = match_programme(led, led.programme["p"], AFTER)
    rows = {(r["common"], r["need"]): r for r in report.status_table(led, [result], AFTER).rows}
    # ceiling 400: a 300, b 100; public share 400 / 1,000 = 0.4; 800 + 400 ≥ 1,000: reached
    booking = rows[("dokos", "booking")]
    assert (booking["matched"], booking["public_share"], booking["reached"]) == (
        400,
        Decimal("0.4"),
        True,
    )
    # odd: nothing given, 0 of 1,000.01, not reached
    odd = rows[("dokos", "odd")]
    assert (odd["public_share"], odd["reached"]) == (0, False)
    assert rows[("dokos", "")]["reached"] is None  # a common's row: see its needs


def test_match_notes_say_what_missed_targets_leave_unallocated(ledger_dir):
    from cofi import report

    result = run(
        ledger_dir,
        programme("all_or_nothing: true"),
        {
            "a": c("03-01", "t1", "dokos", "300", BOOKING),
            "b": c("03-02", "t2", "dokos", "150", BOOKING),
        },
    )
    notes = report.programme_notes([result])
    # 300 + 150 of matches that the missed target leaves in the envelope
    assert (
        "p: 2 contributions name needs not reached by the programme's end (target-missed): "
        "the 450.00 they would have had stays unallocated"
    ) in notes
    table = report.contributions_table([result], all=True)
    assert [(r["contribution"], r["matched"], r["reason"]) for r in table.rows] == [
        ("a", 0, "target-missed"),
        ("b", 0, "target-missed"),
    ]


def test_only_the_matches_hanging_on_a_need_are_provisional_under_first_come(ledger_dir):
    from cofi import report

    result = run(
        ledger_dir,
        programme("all_or_nothing: true"),
        {"a": c("03-01", "t1", "dokos", "300", BOOKING), "c": c("03-03", "t3", "movilab", "100")},
        as_of=DURING,
    )
    table = report.contributions_table([result])
    assert {r["contribution"]: r["provisional"] for r in table.rows} == {"a": True, "c": False}
