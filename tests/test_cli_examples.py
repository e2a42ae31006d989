"""The examples/ ledgers end to end (their READMEs' figures, re-worked by hand below), CSV
injection, negative amounts, and every computing command refusing a ledger with errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from test_cli_compute import MAIN, cofi, csv_rows, ok, pick, table

EXAMPLES = MAIN / "examples"
MATCH_KEYS = ("programme", "common", "contributed", "matched", "paid", "unmet", "due", "overdue")

# caps-biting — first-come, per_contribution 3000, per_contributor 5000, per_common 8000,
# due 2025-12-31 + 60 = 2026-03-01. In (date, id) order:
#   le-bocal dokos 4000 → 3000 (per_contribution)      le-bocal 2000 left, dokos 5000 left
#   la-forge dokos 2500 → 2500                          dokos 2500 left
#   le-bocal movilab 2500 → 2000 (le-bocal's 2000 left) le-bocal 0
#   04-22 la-canopee dokos 3000 → 2500 (dokos's 2500)   "la-canopee" < "le-quai"
#   04-22 le-quai dokos 1500 → 0.00 (dokos full)
#   le-bocal movilab 800 → 0.00 (le-bocal full)
#   la-forge movilab 1200.50 → 1200.50
# dokos: given 4000 + 2500 + 3000 + 1500 = 11000, matched 3000 + 2500 + 2500 = 8000;
# movilab: given 2500 + 800 + 1200.50 = 4500.50, matched 2000 + 1200.50 = 3200.50.
CAPS_BITING = table("""
pilote-2025  dokos    11000.00  8000.00  0.00  8000.00  2026-03-01  true
pilote-2025  movilab   4500.50  3200.50  0.00  3200.50  2026-03-01  true
""")

# oversubscribed-envelope — pro-rata, envelope 10000, bases 4000 + 3500 + 5000 + 2500 =
# 15000 > 10000 → × 2/3: dokos 2666.66 + 3333.33 = 5999.99, movilab 2333.33 + 1666.66 =
# 3999.99; dokos paid 5999.99 on 2026-02-15.
OVERSUBSCRIBED = table("""
pilote-2025  dokos    9000.00  5999.99  5999.99     0.00  2026-03-01  false
pilote-2025  movilab  6000.00  3999.99     0.00  3999.99  2026-03-01  true
""")

# two-programmes-stacking — etat-2025 × 1 pro-rata: 11000 ≤ 20000, not scaled; paid in
# full. region-2025 × 0.5 first-come, movilab only, per_contribution 1000, envelope 3000:
# 1000, 1500 → 1000, 1200 → 1000, then 300 → 0 (envelope empty); paid 1500; due 2025-12-31
# + 90 = 2026-03-31. movilab given 2000 + 3000 + 2400 + 600 = 8000.
STACKING = table("""
etat-2025    dokos    3000.00  3000.00  3000.00     0.00  2026-03-01  false
etat-2025    movilab  8000.00  8000.00  8000.00     0.00  2026-03-01  false
region-2025  movilab  8000.00  3000.00  1500.00  1500.00  2026-03-31  true
""")


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("caps-biting", CAPS_BITING),
        ("oversubscribed-envelope", OVERSUBSCRIBED),
        ("two-programmes-stacking", STACKING),
    ],
)
def test_example_match_figures(example, expected):
    _, rows = csv_rows(ok("match", "--format", "csv", root=EXAMPLES / example).stdout)
    assert pick(rows, *MATCH_KEYS) == expected
    assert {r["provisional"] for r in rows} == {"false"}  # every programme ended in 2025


def test_caps_biting_per_contribution():
    root = EXAMPLES / "caps-biting"
    _, rows = csv_rows(ok("match", "--by", "contribution", "-f", "csv", root=root).stdout)
    assert pick(rows, "contribution", "base", "matched", "binding") == [
        ("2025-01-20-le-bocal-dokos", "3000.00", "3000.00", "per_contribution"),
        ("2025-02-14-la-forge-dokos", "2500.00", "2500.00", "ratio"),
        ("2025-03-10-le-bocal-movilab", "2500.00", "2000.00", "per_contributor"),
        ("2025-04-22-la-canopee-dokos", "3000.00", "2500.00", "per_common"),
        ("2025-04-22-le-quai-dokos", "1500.00", "0.00", "per_common"),
        ("2025-06-30-le-bocal-movilab", "800.00", "0.00", "per_contributor"),
        ("2025-07-15-la-forge-movilab", "1200.50", "1200.50", "ratio"),
    ]
    # 20000 − 11200.50 = 8799.50 stays in the envelope
    assert "allocated 11,200.50, unallocated 8,799.50" in cofi("match", root=root).stdout


def test_oversubscribed_envelope_leaves_two_cents():
    result = ok("match", "--format", "csv", root=EXAMPLES / "oversubscribed-envelope")
    # 10000 − (5999.99 + 3999.99) = 0.02, on stderr with csv
    assert "unallocated 0.02" in result.stderr


def test_stacking_obligations_list_only_the_region():
    root = EXAMPLES / "two-programmes-stacking"
    _, rows = csv_rows(ok("obligations", "--format", "csv", root=root).stdout)
    assert pick(rows, "type", "id", "debtor", "common", "unmet", "overdue") == [
        ("match", "region-2025", "region-demo", "movilab", "1500.00", "true"),
    ]


# corrections-by-reversal — first-come, envelope 10000, due 2026-03-01:
@pytest.mark.parametrize(
    ("as_of", "matched", "paid", "unmet"),
    [
        # only the wrong 15000 exists: min(15000, 10000) = 10000
        ("2025-03-15", "10000.00", "0.00", "10000.00"),
        # reversed on 2025-03-18: 1500 + 2000 = 3500
        ("2025-12-31", "3500.00", "0.00", "3500.00"),
        # the wrong 5300 is paid, its reversal (02-12) not yet: 3500 − 5300 = −1800
        ("2026-02-11", "3500.00", "5300.00", "-1800.00"),
        # reversed and re-entered as 3500: settled
        ("2026-11-28", "3500.00", "3500.00", "0.00"),
    ],
)
def test_corrections_by_reversal(as_of, matched, paid, unmet):
    root = EXAMPLES / "corrections-by-reversal"
    _, rows = csv_rows(ok("match", "--format", "csv", root=root, as_of=as_of).stdout)
    assert pick(rows, "common", "matched", "paid", "unmet", "overdue") == [
        ("dokos", matched, paid, unmet, "false"),
    ]
    _, debts = csv_rows(ok("obligations", "--format", "csv", root=root, as_of=as_of).stdout)
    # listed while unmet ≠ 0, overpaid included; settled only with --all (§3a.13)
    assert [r["unmet"] for r in debts] == ([] if unmet == "0.00" else [unmet])


def test_reversed_contribution_is_listed_as_such_with_all():
    root = EXAMPLES / "corrections-by-reversal"
    out = ok("match", "--by", "contribution", "--all", "-f", "csv", root=root).stdout
    _, rows = csv_rows(out)
    assert pick(rows, "contribution", "eligible", "reason") == [
        ("2025-03-10-la-forge-dokos", "false", "reversed"),
        ("2025-03-18-la-forge-dokos", "true", ""),
        ("2025-05-02-le-bocal-dokos", "true", ""),
    ]


def test_folders_and_file_order_do_not_change_the_figures(tmp_path):
    # the same records, contributions moved from 2025/ into other sub-folders
    source = EXAMPLES / "caps-biting"
    copy = tmp_path / "caps-biting"
    shutil.copytree(source, copy)
    for i, f in enumerate(sorted((copy / "ledger/contributions").rglob("*.yaml"))):
        target = copy / "ledger/contributions" / ("zz" if i % 2 else "a/b") / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        f.rename(target)
    for command in (("match", "-f", "csv"), ("match", "--by", "contribution", "-f", "csv")):
        assert ok(*command, root=copy).stdout == ok(*command, root=source).stdout


def test_every_example_is_covered():
    folders = {p.name for p in EXAMPLES.iterdir() if (p / "ledger").is_dir()}
    assert folders == {
        "caps-biting",
        "oversubscribed-envelope",
        "two-programmes-stacking",
        "corrections-by-reversal",
        "need-share-ceiling",
        "all-or-nothing",
        "quadratic-funding",
    }


# ---- the policies of SPEC §2b (docs/policies.md) ------------------------------------------

# need-share-ceiling — ademe-2025 first-come, ceiling 0.7 × 10000 = 7000 on booking-v2:
# 4000, 3000, then 0 (full); movilab 3000 (of 3500) + 1500 (no need). region-2025 pro-rata
# × 0.5, ceiling 0.2 × 10000 = 2000: booking 4500 > 2000 → × 4/9; animation 1500 > 1000
# → × 2/3; all 3750 > 3000 → × 4/5: dokos 711.11 + 533.33 + 355.55 = 1599.99, movilab
# 800 + 600 = 1400.
NEED_SHARE = table("""
ademe-2025   dokos    9000.00  7000.00  0.00  7000.00  2026-03-01  true
ademe-2025   movilab  4500.00  4500.00  0.00  4500.00  2026-03-01  true
region-2025  dokos    9000.00  1599.99  0.00  1599.99  2026-03-01  true
region-2025  movilab  4500.00  1400.00  0.00  1400.00  2026-03-01  true
""")

# all-or-nothing — booking-v2 (11000): given 3000 + 2000 + 1000 (steward, not matched) +
# matched 5000 = 11000, reached; animation-2025 (8000): given 3000 + matched 3000 < 8000,
# missed; movilab keeps only the 500 that names no need.
ALL_OR_NOTHING = table("""
tout-ou-rien-2025  dokos    5000.00  5000.00  0.00  5000.00  2026-03-01  true
tout-ou-rien-2025  movilab   500.00   500.00  0.00   500.00  2026-03-01  true
""")

# quadratic-funding — SPEC §2b's example × 100: raw 30000 / 5000 / 15000, scaled to
# 6000 / 1000 / 3000, capped at 4000 with two rounds: 4000 / 2000 / 4000.
QUADRATIC = table("""
communs-quadratique-2025  communecter  25000.00  4000.00  0.00  4000.00  2026-03-01  true
communs-quadratique-2025  dokos        10000.00  4000.00  0.00  4000.00  2026-03-01  true
communs-quadratique-2025  movilab       5000.00  2000.00  0.00  2000.00  2026-03-01  true
""")


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("need-share-ceiling", NEED_SHARE),
        ("all-or-nothing", ALL_OR_NOTHING),
        ("quadratic-funding", QUADRATIC),
    ],
)
def test_policy_example_figures(example, expected):
    _, rows = csv_rows(ok("match", "--format", "csv", root=EXAMPLES / example).stdout)
    assert pick(rows, *MATCH_KEYS) == expected
    assert {r["provisional"] for r in rows} == {"false"}  # every programme ended in 2025


def test_all_or_nothing_lists_the_missed_target_and_is_conditional_before_the_end():
    root = EXAMPLES / "all-or-nothing"
    out = ok("match", "--by", "contribution", "--all", "-f", "csv", root=root).stdout
    _, rows = csv_rows(out)
    assert pick(rows, "contribution", "matched", "reason") == [
        ("2025-02-01-la-forge-dokos", "3000.00", ""),
        ("2025-03-01-le-bocal-dokos", "2000.00", ""),
        ("2025-04-01-dokos-sas-dokos", "0.00", "contributor-kind"),
        ("2025-05-01-la-forge-movilab", "0.00", "target-missed"),
        ("2025-06-01-le-bocal-movilab", "0.00", "target-missed"),
        ("2025-07-01-la-canopee-movilab", "500.00", ""),
        ("2026-01-15-la-canopee-movilab", "0.00", "after-end"),
    ]
    # before the end: conditional, 2000 + 1000 + 500 = 3500 for movilab
    out = ok("match", "-f", "csv", root=root, as_of="2025-11-30").stdout
    _, rows = csv_rows(out)
    assert pick(rows, "common", "matched", "provisional") == [
        ("dokos", "5000.00", "true"),
        ("movilab", "3500.00", "true"),
    ]


def test_need_share_status_shows_public_share_and_reached():
    out = ok("status", "-f", "csv", root=EXAMPLES / "need-share-ceiling").stdout
    _, rows = csv_rows(out)
    # booking-v2: 7000 + 1599.99 = 8599.99 of 10000; animation-2025: 3000 + 800 of 5000
    assert pick(rows, "need", "matched", "public_share", "reached") == [
        ("", "8599.99", "0.8600", ""),
        ("booking-v2", "8599.99", "0.8600", "true"),
        ("", "5900.00", "1.1800", ""),
        ("animation-2025", "3800.00", "0.7600", "true"),
    ]


def test_quadratic_example_simulated_under_pro_rata():
    root = EXAMPLES / "quadratic-funding"
    args = ("--programme", "communs-quadratique-2025", "--set", "allocation=pro-rata")
    _, rows = csv_rows(ok("simulate", *args, "-f", "csv", root=root).stdout)
    # each common capped at 4000, then 12000 > 10000 → × 5/6 (see its README)
    assert pick(rows, "common", "matched_today", "matched", "difference") == [
        ("communecter", "4000.00", "3333.33", "-666.67"),
        ("dokos", "4000.00", "3333.32", "-666.68"),
        ("movilab", "2000.00", "3333.32", "1333.32"),
    ]


# ---- negative amounts stay numbers; text cells cannot become formulas ----------------------


@pytest.mark.parametrize(("dialect", "cell"), [("standard", "-1800.00"), ("excel-fr", "-1800,00")])
def test_negative_amounts_stay_numbers(dialect, cell):
    root = EXAMPLES / "corrections-by-reversal"
    out = ok("obligations", "-f", "csv", "--csv-dialect", dialect, root=root, as_of="2026-02-11")
    _, rows = csv_rows(out.stdout.lstrip("\ufeff"), ";" if dialect == "excel-fr" else ",")
    assert rows[0]["unmet"] == cell  # not '-1800.00: a spreadsheet must read a number


DANGEROUS = ["=SUM(A1)", "+33 1 23 45 67 89", "-moins cher", "@pseudo"]
NEEDS = "".join(
    f'  - {{id: n{i}, title: "{title}", amount: 100}}\n' for i, title in enumerate(DANGEROUS)
)
TINY = {
    "ledger/contributors/ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "commons/dokos.yaml": f'name: "=HYPERLINK(\\"http://x\\")"\nneeds:\n{NEEDS}',
}


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
def test_text_cells_are_neutralised_in_csv(ledger_dir, dialect):
    root = ledger_dir(TINY)
    out = ok("status", "--format", "csv", "--csv-dialect", dialect, root=root).stdout
    _, rows = csv_rows(out.lstrip("\ufeff"), ";" if dialect == "excel-fr" else ",")
    titles = [r["title"] for r in rows]
    assert len(titles) == 5
    for title, written in zip(['=HYPERLINK("http://x")', *DANGEROUS], titles, strict=True):
        assert written.endswith(title)  # the text is kept ...
        assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))  # ... but inert
    assert rows[1]["needed"] == ("100.00" if dialect == "standard" else "100,00")


# ---- a ledger with errors is refused ------------------------------------------------------

BROKEN = {
    "ledger/contributors/ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "commons/dokos.yaml": "name: Dokos\n",
    # unknown contributor
    "ledger/contributions/c1.yaml": "{date: 2026-03-01, contributor: nobody, common: dokos, "
    "amount: 10}",
}


@pytest.mark.parametrize(
    "command",
    [("match",), ("match", "-f", "csv"), ("obligations",), ("explain", "c1"), ("status",)],
    ids=" ".join,
)
def test_every_command_refuses_a_ledger_with_errors(ledger_dir, command):
    result = cofi(*command, root=ledger_dir(BROKEN))
    assert result.exit_code == 1
    assert "cofi check" in result.stderr
    assert result.stdout == ""


def test_no_ledger_exits_2(tmp_path: Path):
    result = cofi("match", root=tmp_path)
    assert result.exit_code == 2 and result.stdout == ""


@pytest.mark.parametrize(
    ("example", "contribution", "said"),
    [
        # docs/policies.md and examples/need-share-ceiling/README.md quote these
        (
            "need-share-ceiling",
            "2025-04-12-la-canopee-dokos",
            "only 0.00 was left of the ceiling on need booking-v2, 0.7 × 10,000.00 = "
            "7,000.00: 0.00",
        ),
        (
            "need-share-ceiling",
            "2025-02-10-la-forge-dokos",
            "the matches on need booking-v2 total 4,500.00, over its ceiling of 0.2 × "
            "10,000.00 = 2,000.00: scaled by",
        ),
        (
            "all-or-nothing",
            "2025-02-01-la-forge-dokos",
            "need booking-v2: target 11,000.00; given 6,000.00 (dokos-sas 1,000.00, la-forge "
            "3,000.00, le-bocal 2,000.00) + matched by this programme 5,000.00 = 11,000.00: "
            "reached",
        ),
        (
            "quadratic-funding",
            "2025-04-01-la-forge-movilab",
            "round 2 of the cap per common of 4,000.00: of the 500.00 given up, movilab "
            "receives floor(500.00 × 1,500.00 / 1,500.00) = 500.00: 1,500.00 → 2,000.00",
        ),
    ],
)
def test_the_explanations_the_docs_quote(example, contribution, said):
    assert said in ok("explain", contribution, root=EXAMPLES / example).stdout


def test_totals_of_every_contribution_count_the_eligible_only():
    """`match --by contribution --all` shows the reversed 15,000.00 but does not sum it."""
    root = EXAMPLES / "corrections-by-reversal"
    shown = ok("match", "--by", "contribution", "--all", root=root, as_of="2027-06-01").stdout
    assert "15,000.00" in shown and "reversed" in shown
    (total,) = [line for line in shown.splitlines() if line.startswith("Total")]
    assert total.split() == ["Total", "(eligible)", "3,500.00", "3,500.00", "3,500.00"]


def test_obligations_name_an_overpaid_row():
    """corrections-by-reversal on 2026-02-11: 5,300.00 paid of 3,500.00 owed."""
    root = EXAMPLES / "corrections-by-reversal"
    shown = ok("obligations", root=root, as_of="2026-02-11").stdout
    assert "* overpaid: pilote-2025 has paid dokos 1,800.00 more than it owes" in shown
