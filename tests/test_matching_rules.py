"""SPEC §2 and §3a, rule by rule: small ledgers, figures worked out by hand.

Each case is a programme (the template below plus a few YAML lines), some
contributions (one file each, written as a one-line YAML mapping) and the
expected (matched, binding) of every contribution, or ("refused", reason).
The arithmetic behind every figure is in the comment above it.
"""

from __future__ import annotations

from datetime import date

import pytest

from cofi.matching import match_programme
from conftest import load_ok

PEOPLE = {
    "ledger/contributors/ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "ledger/contributors/forge.yaml": "name: La Forge\nkind: tiers-lieu\n",
    "ledger/contributors/bocal.yaml": "name: Le Bocal\nkind: tiers-lieu\n",
    "ledger/contributors/quai.yaml": "name: Le Quai (steward of Dokos)\nkind: tiers-lieu\n",
    "ledger/contributors/reseau.yaml": "name: Réseau\nkind: network\n",
    "ledger/contributors/etat.yaml": "name: État\nkind: public\n",
    "ledger/contributors/region.yaml": "name: Région\nkind: public\n",
    "commons/dokos.yaml": "name: Dokos\nstewards: [quai]\n",
    "commons/movilab.yaml": "name: Movilab\n",
}

AS_OF = date(2026, 11, 28)


def programme(
    extra: str = "",
    *,
    allocation: str = "first-come",
    envelope: str = "100000",
    ratio: str = "1",
    start: str = "2026-01-01",
    end: str = "2026-12-31",
    funder: str = "etat",
    name: str = "Pilote",
) -> str:
    return (
        f"name: {name}\nfunder: {funder}\nratio: {ratio}\nstart: {start}\nend: {end}\n"
        f"envelope: {envelope}\nallocation: {allocation}\n{extra}"
    )


def ledger(ledger_dir, prog: str, entries: dict[str, str], **programmes: str):
    files = {**PEOPLE, "ledger/programmes/p.yaml": prog}
    files |= {f"ledger/programmes/{pid}.yaml": text for pid, text in programmes.items()}
    files |= {f"ledger/contributions/{cid}.yaml": text for cid, text in entries.items()}
    return load_ok(ledger_dir(files)).ledger


def outcome(result) -> dict[str, tuple[str, str | None]]:
    return {
        m.contribution.id: (str(m.matched), m.binding) if m.eligible else ("refused", m.reason)
        for m in result.matches
    }


def c(day: str, who: str, common: str, amount: str, extra: str = "") -> str:
    """One contribution file, e.g. `{date: 2026-03-01, contributor: ruche, ...}`."""
    more = f", {extra}" if extra else ""
    return f"{{date: 2026-{day}, contributor: {who}, common: {common}, amount: {amount}{more}}}"


CASES = [
    # ---- each cap alone, first-come ------------------------------------------------------
    pytest.param(
        programme("caps: {per_contribution: 300}"),
        {"a": c("03-01", "ruche", "dokos", "500"), "b": c("03-02", "forge", "dokos", "200")},
        # a: min(500 × 1, 300) = 300; b: 200 × 1 = 200, below the cap
        {"a": ("300.00", "per_contribution"), "b": ("200.00", "ratio")},
        id="per_contribution-alone",
    ),
    pytest.param(
        programme("caps: {per_contributor: 500}"),
        {
            "a": c("03-01", "ruche", "dokos", "300"),
            "b": c("03-02", "ruche", "movilab", "400"),
            "c": c("03-03", "forge", "dokos", "400"),
        },
        # ruche's cap spans both commons: a 300, b min(400, 500 − 300 = 200) = 200;
        # forge has its own 500: c 400
        {"a": ("300.00", "ratio"), "b": ("200.00", "per_contributor"), "c": ("400.00", "ratio")},
        id="per_contributor-alone-spans-commons",
    ),
    pytest.param(
        programme("caps: {per_common: 500}"),
        {
            "a": c("03-01", "ruche", "dokos", "300"),
            "b": c("03-02", "forge", "dokos", "400"),
            "c": c("03-03", "bocal", "movilab", "400"),
        },
        # dokos's cap spans contributors: a 300, b min(400, 500 − 300 = 200) = 200; movilab c 400
        {"a": ("300.00", "ratio"), "b": ("200.00", "per_common"), "c": ("400.00", "ratio")},
        id="per_common-alone-spans-contributors",
    ),
    pytest.param(
        programme(envelope="500"),
        {
            "a": c("03-01", "ruche", "dokos", "300"),
            "b": c("03-02", "forge", "movilab", "400"),
            "c": c("03-03", "bocal", "dokos", "100"),
        },
        # a 300 (200 left), b min(400, 200) = 200 (0 left), c min(100, 0) = 0 — still eligible
        {"a": ("300.00", "ratio"), "b": ("200.00", "envelope"), "c": ("0.00", "envelope")},
        id="envelope-first-come",
    ),
    pytest.param(
        programme("caps: {per_contributor: 100}", ratio="0.5"),
        {"a": c("03-01", "ruche", "dokos", "150"), "b": c("03-02", "ruche", "dokos", "100")},
        # caps bound public euros, not contributed ones (§3a.5): a 150 × 0.5 = 75 ≤ 100;
        # b 100 × 0.5 = 50, min(50, 100 − 75 = 25) = 25
        {"a": ("75.00", "ratio"), "b": ("25.00", "per_contributor")},
        id="caps-are-public-euros",
    ),
    pytest.param(
        programme(
            "caps: {per_contribution: 400, per_contributor: 600, per_common: 900}", envelope="1200"
        ),
        {
            "a": c("03-01", "ruche", "dokos", "500"),
            "b": c("03-02", "ruche", "movilab", "300"),
            "c": c("03-03", "forge", "dokos", "350"),
            "d": c("03-04", "bocal", "dokos", "300"),
            "e": c("03-05", "bocal", "movilab", "300"),
        },
        # a: min(500, 400) = 400       ruche 200 left, dokos 500, envelope 800
        # b: min(300, ruche 200) = 200 ruche 0, movilab 700, envelope 600
        # c: 350                       forge 250, dokos 150, envelope 250
        # d: min(300, dokos 150) = 150 bocal 450, dokos 0, envelope 100
        # e: min(300, envelope 100) = 100; total 400 + 200 + 350 + 150 + 100 = 1200
        {
            "a": ("400.00", "per_contribution"),
            "b": ("200.00", "per_contributor"),
            "c": ("350.00", "ratio"),
            "d": ("150.00", "per_common"),
            "e": ("100.00", "envelope"),
        },
        id="caps-together-first-come",
    ),
    # ---- pro-rata -----------------------------------------------------------------------
    pytest.param(
        programme("caps: {per_contributor: 500}", allocation="pro-rata"),
        {
            "a": c("03-01", "ruche", "dokos", "300"),
            "b": c("03-02", "ruche", "movilab", "450"),
            "c": c("03-03", "forge", "dokos", "100"),
        },
        # ruche 300 + 450 = 750 > 500 → × 500/750 = 2/3: a 200, b 300; forge 100 untouched
        {
            "a": ("200.00", "per_contributor"),
            "b": ("300.00", "per_contributor"),
            "c": ("100.00", "ratio"),
        },
        id="per_contributor-pro-rata",
    ),
    pytest.param(
        programme("caps: {per_common: 600}", allocation="pro-rata"),
        {
            "a": c("03-01", "ruche", "dokos", "400"),
            "b": c("03-02", "forge", "dokos", "500"),
            "c": c("03-03", "bocal", "movilab", "100"),
        },
        # dokos 400 + 500 = 900 > 600 → × 2/3: a 266.666… → 266.66, b 333.333… → 333.33
        {"a": ("266.66", "per_common"), "b": ("333.33", "per_common"), "c": ("100.00", "ratio")},
        id="per_common-pro-rata",
    ),
    pytest.param(
        programme(allocation="pro-rata", envelope="1000"),
        {
            "a": c("03-01", "ruche", "dokos", "600"),
            "b": c("03-02", "forge", "dokos", "400"),
            "c": c("03-03", "bocal", "movilab", "1000"),
        },
        # 600 + 400 + 1000 = 2000 > 1000 → × 1/2
        {"a": ("300.00", "envelope"), "b": ("200.00", "envelope"), "c": ("500.00", "envelope")},
        id="envelope-pro-rata",
    ),
    pytest.param(
        programme(
            "caps: {per_contributor: 500, per_common: 500}", allocation="pro-rata", envelope="1000"
        ),
        {
            "a": c("03-01", "ruche", "dokos", "200"),
            "b": c("03-02", "ruche", "dokos", "300"),
            "c": c("03-03", "forge", "movilab", "500"),
        },
        # ruche 200 + 300 = 500, dokos 500, movilab 500, total 1000: each total EQUALS its
        # cap, none strictly exceeds it, so nothing is scaled (§3a.6)
        {"a": ("200.00", "ratio"), "b": ("300.00", "ratio"), "c": ("500.00", "ratio")},
        id="pro-rata-equal-is-not-scaled",
    ),
    pytest.param(
        programme(
            "caps: {per_contributor: 600, per_common: 800}", allocation="pro-rata", envelope="900"
        ),
        {
            "a": c("03-01", "ruche", "dokos", "600"),
            "b": c("03-02", "ruche", "movilab", "600"),
            "c": c("03-03", "forge", "dokos", "600"),
            "d": c("03-04", "bocal", "movilab", "300"),
        },
        # 1. contributors: ruche 1200 > 600 → × 1/2: a 300, b 300 (forge 600 = cap: kept)
        # 2. commons over those: dokos 300 + 600 = 900 > 800 → × 8/9: a 266.66…, c 533.33…;
        #    movilab 300 + 300 = 600 ≤ 800
        # 3. envelope: 800 + 600 = 1400 > 900 → × 9/14:
        #    a 300 × 8/14 = 171.428… → 171.42; c 600 × 8/14 = 342.857… → 342.85;
        #    b = d = 300 × 9/14 = 192.857… → 192.85
        # (commons first would give a different result: dokos 1200 → × 2/3 ...)
        {
            "a": ("171.42", "envelope"),
            "b": ("192.85", "envelope"),
            "c": ("342.85", "envelope"),
            "d": ("192.85", "envelope"),
        },
        id="pro-rata-order-contributor-common-envelope",
    ),
    pytest.param(
        programme(allocation="pro-rata", envelope="100"),
        {
            "a": c("03-01", "ruche", "dokos", "100"),
            "b": c("03-02", "forge", "dokos", "100"),
            "c": c("03-03", "bocal", "dokos", "100"),
        },
        # 300 > 100 → × 1/3: 33.333… → 33.33 each (rounded down; 0.01 stays unallocated)
        {"a": ("33.33", "envelope"), "b": ("33.33", "envelope"), "c": ("33.33", "envelope")},
        id="rounding-down-to-the-cent",
    ),
    # ---- ties and canonical order (§3a.7) -----------------------------------------------
    pytest.param(
        programme(envelope="150"),
        {
            "c9": c("03-01", "ruche", "dokos", "100"),
            "c10": c("03-01", "forge", "dokos", "100"),
            "a": c("03-02", "bocal", "dokos", "100"),
        },
        # same date: "c10" < "c9" as plain strings ("1" < "9"), so c10 first: 100; c9
        # min(100, 50) = 50; a is dated later: 0 — despite "a" sorting first as an id
        {"c10": ("100.00", "ratio"), "c9": ("50.00", "envelope"), "a": ("0.00", "envelope")},
        id="tie-same-date-id-as-plain-string",
    ),
    pytest.param(
        programme(envelope="150"),
        {
            "la-canopee": c("04-22", "ruche", "dokos", "100"),
            "la0": c("04-22", "forge", "dokos", "100"),
        },
        # "-" (0x2D) sorts before "0" (0x30): "la-canopee" < "la0" → 100, then la0 50
        {"la-canopee": ("100.00", "ratio"), "la0": ("50.00", "envelope")},
        id="tie-hyphen-before-digit",
    ),
    # ---- eligibility ---------------------------------------------------------------------
    pytest.param(
        programme(),
        {
            "money": c("03-01", "ruche", "dokos", "300"),
            "gift": c("03-02", "ruche", "dokos", "300", "kind: in-kind"),
        },
        # in_kind_ratio defaults to 0: the in-kind gift is refused; money 300 × 1
        {"money": ("300.00", "ratio"), "gift": ("refused", "in-kind")},
        id="in-kind-ratio-0-refused",
    ),
    pytest.param(
        programme("in_kind_ratio: 0.5\n"),
        {
            "money": c("03-01", "ruche", "dokos", "300"),
            "gift": c("03-02", "ruche", "dokos", "300", "kind: in-kind"),
        },
        # in-kind 300 × 0.5 = 150; money 300 × 1 = 300
        {"money": ("300.00", "ratio"), "gift": ("150.00", "ratio")},
        id="in-kind-ratio-half",
    ),
    pytest.param(
        programme("eligible: {min_amount: 100}\n", ratio="0.5"),
        {
            "equal": c("03-01", "ruche", "dokos", "100"),
            "below": c("03-02", "ruche", "dokos", "99.99"),
        },
        # the WRITTEN amount is compared (§3a.4): 100 ≥ 100 eligible though its base
        # 100 × 0.5 = 50 is below 100; 99.99 < 100 refused
        {"equal": ("50.00", "ratio"), "below": ("refused", "min-amount")},
        id="min-amount-before-ratio-equal-is-eligible",
    ),
    pytest.param(
        programme(),
        {"own": c("03-01", "quai", "dokos", "300"), "other": c("03-02", "quai", "movilab", "300")},
        # exclude_stewards defaults to true: quai stewards dokos, not movilab
        {"own": ("refused", "steward"), "other": ("300.00", "ratio")},
        id="stewards-excluded",
    ),
    pytest.param(
        programme("exclude_stewards: false\n"),
        {"own": c("03-01", "quai", "dokos", "300")},
        # 300 × 1, the steward rule is off
        {"own": ("300.00", "ratio")},
        id="stewards-allowed",
    ),
    pytest.param(
        programme("eligible: {kinds: [tiers-lieu, public]}\n"),
        {
            "etat-gift": c("03-01", "etat", "dokos", "300"),
            "region-gift": c("03-02", "region", "dokos", "200"),
        },
        # the funder never matches itself; another public body may: 200 × 1
        {"etat-gift": ("refused", "funder"), "region-gift": ("200.00", "ratio")},
        id="funder-own-contribution",
    ),
    pytest.param(
        programme(),
        {"net": c("03-01", "reseau", "dokos", "300"), "tl": c("03-02", "ruche", "dokos", "300")},
        # kinds default to [tiers-lieu]: the network is refused
        {"net": ("refused", "contributor-kind"), "tl": ("300.00", "ratio")},
        id="contributor-kind-default",
    ),
    pytest.param(
        programme("eligible: {kinds: [network]}\n"),
        {"net": c("03-01", "reseau", "dokos", "300"), "tl": c("03-02", "ruche", "dokos", "300")},
        # only networks: 300 × 1 for reseau, la ruche refused
        {"net": ("300.00", "ratio"), "tl": ("refused", "contributor-kind")},
        id="contributor-kind-network-only",
    ),
    pytest.param(
        programme("eligible: {commons: [movilab]}\n"),
        {"d": c("03-01", "ruche", "dokos", "300"), "m": c("03-02", "ruche", "movilab", "300")},
        {"d": ("refused", "common"), "m": ("300.00", "ratio")},
        id="eligible-commons-list",
    ),
    pytest.param(
        programme(start="2026-03-01", end="2026-09-30"),
        {
            "before": c("02-28", "ruche", "dokos", "10"),
            "first": c("03-01", "ruche", "dokos", "20"),
            "last": c("09-30", "ruche", "dokos", "30"),
            "after": c("10-01", "ruche", "dokos", "40"),
        },
        # start ≤ date ≤ end, both ends inclusive (§3a.3)
        {
            "before": ("refused", "before-start"),
            "first": ("20.00", "ratio"),
            "last": ("30.00", "ratio"),
            "after": ("refused", "after-end"),
        },
        id="window-inclusive",
    ),
    # ---- binding "rounding" ---------------------------------------------------------------
    pytest.param(
        programme(ratio="0.5"),
        {"tiny": c("03-01", "ruche", "dokos", "0.01"), "odd": c("03-02", "ruche", "dokos", "0.03")},
        # 0.01 × 0.5 = 0.005 → 0.00; 0.03 × 0.5 = 0.015 → 0.01: only the rounding bit
        {"tiny": ("0.00", "rounding"), "odd": ("0.01", "rounding")},
        id="binding-rounding",
    ),
]


@pytest.mark.parametrize(("prog", "entries", "expected"), CASES)
def test_matching_rule(ledger_dir, prog, entries, expected):
    led = ledger(ledger_dir, prog, entries)
    assert outcome(match_programme(led, led.programme["p"], AS_OF)) == expected


def test_the_one_rounding_floors_to_the_cent_and_says_when_it_took_something():
    from decimal import Decimal
    from fractions import Fraction

    from cofi.matching import floor_cent, to_cents

    # 12,345 units of 1/100 cent = 123.45 cents → 123 cents, 0.45 taken
    assert to_cents(12_345, 100) == (123, True)
    assert to_cents(500, 100) == (5, False)  # exactly 5 cents: nothing taken
    assert to_cents(0, 7) == (0, False)
    # 10.005 (2001/200) is 1000.5 cents → 10.00, never 10.01; 0.005 → 0.00
    assert floor_cent(Fraction(2001, 200)) == Decimal("10.00")
    assert floor_cent(Fraction(1, 200)) == Decimal("0.00")
    assert str(floor_cent(Fraction(7, 1))) == "7.00"
