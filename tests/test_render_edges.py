"""What the renderers make of odd ledger text and of a ledger kept in another currency.

Rich reads `[bold]`, `[/x]` and `[link=...]` in a str as markup: a name from the ledger
must reach the terminal as it was written. Amounts are written in the ledger's currency
(`settings.yaml`): `€` for EUR in French, the ISO code for any other; English writes none.

The small ledger (as of 2026-11-28), kept in USD: dokos needs 175,000 (one need,
`hosting`); la-ruche gave 1,000 on 2026-03-01; pilote-2026 (ratio 1, first-come, envelope
50,000) matched it 1,000. Status: contributed 1,000, matched 1,000; the gift names no
need, so 175,000 is still needed and a note says so.
"""

from __future__ import annotations

import io
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from cofi import fmt, render
from cofi.explain import explain, not_a_contribution
from cofi.html import render_report
from cofi.matching import match_all
from cofi.obligations import match_obligations, pledge_obligations
from cofi.report import status_table
from cofi.table import Column, Table
from conftest import TODAY, base_ledger, load_ok, write_ledger

NNBSP, NBSP = "\u202f", "\u00a0"
ODD = ("Dokos [/bold] x", "Dokos [beta]", "[link=http://evil]x[/link]", ":smile: [bold]b[/]")


def terminal(renderable: object) -> tuple[str, Console]:
    """What a colour terminal shows of `renderable`, as plain text, and its console."""
    console = Console(force_terminal=True, record=True, width=200, file=io.StringIO())
    console.print(renderable)
    return console.export_text(), console


# ---- ledger text on a terminal ------------------------------------------------------------


def odd_table() -> Table:
    columns = (
        Column("common", "Common"),
        Column("name", "Name"),
        Column("covered", "Cov", "ratio"),
    )
    rows: list[dict[str, object]] = [
        {"common": f"c{i}", "name": text, "covered": Decimal("0.5")} for i, text in enumerate(ODD)
    ]
    return Table(
        "Funding of [bold]x[/bold]",
        columns,
        rows,  # type: ignore[arg-type]
        totals={"common": "Total [/i]", "covered": Decimal("0.25")},
        notes=["note about [red]y[/red]"],
    )


def test_ledger_text_in_a_rich_table_is_shown_as_written() -> None:
    shown, _console = terminal(render.table_rich(odd_table()))
    for text in [*ODD, "Funding of [bold]x[/bold]", "Total [/i]", "* note about [red]y[/red]"]:
        assert text in shown
    assert "😄" not in shown  # `:smile:` is not an emoji code either
    # the status bar of a ratio stays as it was: 0.5 → five of ten blocks
    assert "█████░░░░░   50.0%" in shown


def test_a_link_in_ledger_text_is_not_made_live() -> None:
    console = Console(force_terminal=True, width=200, file=io.StringIO())
    segments = list(console.render(render.table_rich(odd_table())))
    assert not [s for s in segments if s.style is not None and s.style.link]
    console.print(render.table_rich(odd_table()))
    assert "\x1b]8;" not in console.file.getvalue()  # type: ignore[attr-defined]  # OSC 8 link


def test_the_text_table_and_rich_agree_on_the_odd_text() -> None:
    """The plain table (pipes) always showed the text: the terminal now says the same."""
    plain = render.table_text(odd_table())
    shown, _console = terminal(render.table_rich(odd_table()))
    for text in ODD:
        assert text in plain and text in shown


# ---- amounts in the ledger's currency -----------------------------------------------------


@pytest.mark.parametrize(("currency", "sign"), [("EUR", "€"), ("USD", "USD"), ("JPY", "JPY")])
def test_french_amounts_carry_the_ledgers_currency(french: None, currency: str, sign: str) -> None:
    with fmt.amounts_in(currency):
        assert fmt.money(Decimal("175000")) == f"175{NNBSP}000,00{NBSP}{sign}"
        # 8,000 / 3 = 2,666.666…: four decimals, cut, not rounded
        assert fmt.exact(Fraction(8000, 3)) == f"2{NNBSP}666,6666…{NBSP}{sign}"
    assert fmt.money(Decimal("1")) == f"1,00{NBSP}€", "EUR again once out of the block"


def test_english_amounts_name_no_currency() -> None:
    """English never wrote a sign (the HTML says `amounts in USD`): nor for another currency."""
    with fmt.amounts_in("USD"):
        assert fmt.money(Decimal("175000")) == "175,000.00"
        assert fmt.exact(Fraction(8000, 3)) == "2,666.6666…"


HOSTING = "name: Dokos\nneeds:\n  - id: hosting\n    title: Hosting\n    amount: 175000\n"
USD_LEDGER = base_ledger(
    {
        "ledger/settings.yaml": "currency: USD\n",
        "commons/dokos.yaml": HOSTING,
        "commons/movilab.yaml": None,
        "ledger/contributions/2026/2026-03-01-a.yaml": (
            "date: 2026-03-01\ncontributor: la-ruche\ncommon: dokos\namount: 1000\n"
        ),
    },
    envelope="50000",
    allocation="first-come",
)


@pytest.fixture
def usd(tmp_path: Path):  # type: ignore[no-untyped-def]
    ledger = load_ok(write_ledger(tmp_path / "usd", USD_LEDGER)).ledger
    return ledger, match_all(ledger, TODAY)


def test_explain_writes_the_ledgers_currency(french: None, usd) -> None:  # type: ignore[no-untyped-def]
    ledger, results = usd
    text = "\n".join(explain(ledger, results, ledger.entry["2026-03-01-a"]))  # type: ignore[arg-type]
    assert f"1{NNBSP}000,00{NBSP}USD" in text
    assert "€" not in text


def test_the_html_report_writes_the_ledgers_currency(french: None, usd) -> None:  # type: ignore[no-untyped-def]
    ledger, results = usd
    debts = match_obligations(ledger, results) + pledge_obligations(ledger, TODAY)
    files = render_report(ledger, results, debts, TODAY)
    index, dokos = files["index.html"], files["commons/dokos.html"]
    assert f"1{NNBSP}000,00{NBSP}USD" in index  # matched, pilote-2026
    assert f"175{NNBSP}000,00{NBSP}USD" in dokos  # needed
    assert not [name for name, text in files.items() if "€" in text]


def test_a_table_of_a_usd_ledger_is_written_in_usd_and_csv_stays_a_figure(
    french: None,
    usd,  # type: ignore[no-untyped-def]
) -> None:
    ledger, results = usd
    with fmt.amounts_in("USD"):
        table = status_table(ledger, results, TODAY)
        text = render.table_text(table)
        shown, _console = terminal(render.table_rich(table))
    for out in (text, shown):
        assert f"1{NNBSP}000,00{NBSP}USD apportés" in out and "€" not in out  # the note
    assert "dokos,,Dokos,175000.00,1000.00,1000.00,175000.00" in render.table_csv(table)
    assert '"still_needed": "175000.00"' in render.table_json(table)


# ---- explain, given an id that is not a contribution's -------------------------------------


def test_not_a_contribution_names_what_the_id_is(tmp_path: Path) -> None:
    files = {
        **USD_LEDGER,
        "ledger/pledges/p.yaml": (
            "date: 2026-02-01\ncontributor: la-ruche\ncommon: dokos\namount: 500\ndue: 2026-12-31\n"
        ),
        "ledger/disbursements/2026/d.yaml": (
            "date: 2026-04-01\nprogramme: pilote-2026\ncommon: dokos\namount: 1000\n"
        ),
        "ledger/pledges/r.yaml": "date: 2026-05-01\nreverses: p\n",
    }
    ledger = load_ok(write_ledger(tmp_path / "l", files)).ledger
    said = {k: not_a_contribution(ledger.entry[k]) for k in ("p", "d", "r")}
    assert said == {
        "p": "'p' is a pledge, not a contribution: cofi explain takes a contribution's id "
        "(cofi obligations shows what a pledge still owes)",
        "d": "'d' is a disbursement, not a contribution: cofi explain takes a contribution's id",
        "r": "'r' is a reversal, not a contribution: cofi explain takes a contribution's id",
    }


def test_french_amounts_of_a_ledger_in_eur_are_unchanged(french: None) -> None:
    """The default (EUR) stays what the French tables always showed."""
    assert fmt.money(Decimal("12000")) == f"12{NNBSP}000,00{NBSP}€"
    assert fmt.day(date(2026, 3, 1)) == "1er mars 2026"


def test_a_file_name_that_is_not_utf8_or_has_a_line_break_prints_escaped() -> None:
    """`\\udcff` is how Python holds the byte 0xFF of a name that is not UTF-8 (PEP 383);
    printed raw it is an encoding error, and a line break would split `PATH:LINE:COL`."""
    from cofi.problems import Problem, Source
    from cofi.render import problems_json, problems_text

    p = Problem("F001", "'a\nb\udcff' is not a valid file name", Source("c/a\nb\udcff.yaml"))
    assert (
        problems_text([p]) == "c/a\\nb\\xff.yaml:1:1: F001 'a\\nb\\xff' is not a valid file name\n"
    )
    assert '"path": "c/a\\\\nb\\\\xff.yaml"' in problems_json([p])
    problems_json([p]).encode("utf-8")  # no lone surrogate left


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        ("0.7467", "74.7%"),  # half up, not truncated to 74.6
        ("0.74649", "74.6%"),
        ("0.74650", "74.7%"),
        ("0.9996", "99.9%"),  # short of the whole: never 100 %
        ("1", "100.0%"),
        ("0.0004", "0.1%"),  # something given: never 0 %
        ("0", "0.0%"),
    ],
)
def test_percentages_round_half_up_to_a_tenth(ratio: str, shown: str) -> None:
    from cofi import fmt

    assert fmt.percent(Decimal(ratio)) == shown


# Amounts up to a thousand billion (money() quantizes to the cent within Decimal's 28
# digits, as it did before: a larger figure fails there either way).
@given(st.fractions(min_value=-(10**12), max_value=10**12, max_denominator=10**9))
def test_exact_is_the_exact_value_floored(value: Fraction) -> None:
    """fmt.exact, in integers (it formats every figure of an explanation), says what its
    definition says: whole cents as money, else floored to 4 decimals and an ellipsis."""
    if (value * 100).denominator == 1:
        expected = f"{Decimal(int(value * 100)).scaleb(-2):,.2f}"
    else:
        expected = f"{Decimal(math.floor(value * 10000)).scaleb(-4):,f}…"
    assert fmt.exact(value) == expected
    assert fmt.exact(Decimal(value.numerator)) == f"{value.numerator:,}.00"
