"""`cofi match`, `cofi obligations`, `cofi explain`, `cofi status` on the bundled
demonstration ledger (figures of ledger/README.md, re-worked by hand below) and on tiny
ledgers: SPEC §4 columns, CSV/JSON/text agreement, excel-fr, CSV injection, --output,
--programme, and refusing a ledger with errors."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi.cli import app
from cofi.table import word

MAIN = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-28"


def cofi(*args: str, root: Path = MAIN, as_of: str = AS_OF):
    return CliRunner().invoke(app, [*args, "--root", str(root), "--as-of", as_of])


def ok(*args: str, **kw):
    result = cofi(*args, **kw)
    assert result.exit_code == 0, result.stderr
    return result


def csv_rows(text: str, delimiter: str = ",") -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def pick(rows: list[dict[str, str]], *keys: str) -> list[tuple[str, ...]]:
    return [tuple(r[k] for k in keys) for r in rows]


def table(text: str) -> list[tuple[str, ...]]:
    """Rows written as aligned columns, like the README's tables."""
    return [tuple(line.split()) for line in text.strip().splitlines()]


MONEY = re.compile(r"-?[0-9]+\.[0-9]{2}")

# ---- the bundled ledger, as of 2026-11-28 ---------------------------------------------------
# pilote-2025 (first-come; caps 5000/8000/15000; envelope 30000; due 2025-12-31 + 60 =
# 2026-03-01): communecter 3000 (fabrique, 8000 − 5000 left) + 5000 = 8000 of 4000 + 5000
# = 9000 given, paid 5000; dokos 5000 + 3000 + 2000 (4000 in kind × 0.5) + 4500 + 500 (15000
# − 14500) = 15000 of 6000 + 3000 + 4000 + 4500 + 2000 = 19500, paid 10000 + 5000; loot 3500
# + 1100 (envelope: 30000 − 28900) = 4600 of 5500; movilab 2400 of 2400, paid 2400.
# pilote-2026 (pro-rata, provisional, due 2027-03-01): fabrique 10000 > 8000 → × 4/5; dokos
# 4000 + 5000 + 5000 + 4000 = 18000 > 15000 → × 5/6; total 15000 + 12000 + 13000 + 10000 =
# 50000 > 40000 → × 4/5: dokos 2666.66 + 3333.33 + 3333.33 + 2666.66 = 11999.98, movilab
# 12000 × 4/5 = 9600, communecter 13000 × 4/5 = 10400, loot 10000 × 4/5 = 8000.
# region-2026 (first-come × 0.5, dokos and movilab, due 2026-12-31 + 90 = 2027-03-31): dokos
# 2000 × 3 then per_common 6000 full; movilab 2000 + 750 + 1000 + 250 = 4000.
MATCH_KEYS = ("programme", "common", "contributed", "matched", "paid", "unmet", "due", "overdue")
MATCH = table("""
pilote-2025  communecter   9000.00   8000.00   5000.00   3000.00  2026-03-01  true
pilote-2025  dokos        19500.00  15000.00  15000.00      0.00  2026-03-01  false
pilote-2025  loot          5500.00   4600.00      0.00   4600.00  2026-03-01  true
pilote-2025  movilab       2400.00   2400.00   2400.00      0.00  2026-03-01  false
pilote-2026  communecter  16000.00  10400.00      0.00  10400.00  2027-03-01  false
pilote-2026  dokos        20000.00  11999.98      0.00  11999.98  2027-03-01  false
pilote-2026  loot         11000.00   8000.00      0.00   8000.00  2027-03-01  false
pilote-2026  movilab      12000.00   9600.00      0.00   9600.00  2027-03-01  false
region-2026  dokos        20000.00   6000.00      0.00   6000.00  2027-03-31  false
region-2026  movilab      12000.00   4000.00      0.00   4000.00  2027-03-31  false
""")


def test_match_csv_has_the_spec_columns_and_the_hand_worked_figures():
    result = ok("match", "--format", "csv")
    header, rows = csv_rows(result.stdout)
    assert set(MATCH_KEYS) <= set(header)
    assert pick(rows, *MATCH_KEYS) == MATCH
    assert len(result.stdout.splitlines()) == 1 + len(MATCH)  # the data and nothing else
    # pro-rata pilote-2026 runs until 2026-12-31: provisional, and said so on stderr
    assert {r["programme"] for r in rows if r["provisional"] == "true"} == {"pilote-2026"}
    assert "provisional" in result.stderr


def test_match_by_contribution_columns_and_figures():
    result = ok("match", "--by", "contribution", "--programme", "pilote-2026", "--format", "csv")
    header, rows = csv_rows(result.stdout)
    spec = ["programme", "contribution", "date", "contributor", "common", "amount", "base"]
    assert set([*spec, "matched"]) <= set(header)
    got = {r["contribution"]: (r["amount"], r["base"], r["matched"]) for r in rows}
    # base: min(amount × 1, 5000); in kind 4000 × 0.5 = 2000; matched as worked out above
    assert got["2026-01-15-fabrique-du-coin-dokos"] == ("5000.00", "5000.00", "2666.66")
    assert got["2026-02-20-grange-numerique-dokos"] == ("6000.00", "5000.00", "3333.33")
    assert got["2026-03-02-atelier-des-communs-communecter"] == ("4000.00", "2000.00", "1600.00")
    assert got["2026-03-14-fabrique-du-coin-loot"] == (
        "5000.00",
        "5000.00",
        "3200.00",
    )  # × 4/5 × 4/5
    assert got["2026-06-10-moulin-cooperatif-dokos"] == ("4000.00", "4000.00", "2666.66")
    assert len(rows) == 15  # 16 contributions in 2026, the reversed 15000 is not eligible
    assert "2026-05-06-tilleuls-movilab" not in got


def test_match_by_contribution_all_lists_the_ineligible_with_their_reason():
    result = ok("match", "--by", "contribution", "--all", "-p", "pilote-2025", "-f", "csv")
    _, rows = csv_rows(result.stdout)
    refused = {r["contribution"]: r["reason"] for r in rows if r["eligible"] == "false"}
    assert refused["2025-04-02-reseau-demo-movilab"] == "contributor-kind"  # a network
    assert refused["2025-06-03-serre-hybride-loot"] == "steward"  # it stewards Loot
    assert refused["2025-06-18-tilleuls-movilab"] == "min-amount"  # 30 < 50
    assert refused["2026-05-06-tilleuls-movilab"] == "after-end"  # 2026 is after 2025-12-31
    eligible = [r for r in rows if r["eligible"] == "true"]
    assert len(eligible) == 10 and all(r["reason"] == "" for r in eligible)


# cofi obligations: unmet ≠ 0, overdue first (longest first), then by due date.
OBLIGATION_KEYS = ("type", "id", "debtor", "common", "owed", "paid", "unmet", "due", "overdue")
# cantine-movilab-2026: 2500 paid (2026-06-15) of 4000; gare-loot-2026: 2000 (09-15) of 3000
OBLIGATIONS = table("""
match  pilote-2025          etat-demo            communecter  8000.00 5000.00  3000.00 2026-03-01 true
match  pilote-2025          etat-demo            loot         4600.00    0.00  4600.00 2026-03-01 true
pledge cantine-movilab-2026 la-cantine-solidaire movilab      4000.00 2500.00  1500.00 2026-09-30 true
receipt 2026-11-24-tilleuls-dokos dokos-sas        dokos        1200.00    0.00  1200.00 2026-12-31 false
match  pilote-2026          etat-demo            communecter 10400.00    0.00 10400.00 2027-03-01 false
match  pilote-2026          etat-demo            dokos       11999.98    0.00 11999.98 2027-03-01 false
match  pilote-2026          etat-demo            loot         8000.00    0.00  8000.00 2027-03-01 false
match  pilote-2026          etat-demo            movilab      9600.00    0.00  9600.00 2027-03-01 false
match  region-2026          region-demo          dokos        6000.00    0.00  6000.00 2027-03-31 false
match  region-2026          region-demo          movilab      4000.00    0.00  4000.00 2027-03-31 false
pledge gare-loot-2026       la-gare-commune      loot         3000.00 2000.00  1000.00 2027-03-31 false
""")  # noqa: E501 — one debt a line, like the README


def test_obligations_csv_columns_and_overdue_first():
    header, rows = csv_rows(ok("obligations", "--format", "csv").stdout)
    assert set(OBLIGATION_KEYS) <= set(header)
    assert pick(rows, *OBLIGATION_KEYS) == OBLIGATIONS
    flags = [r["overdue"] for r in rows]
    assert flags == sorted(flags, key=lambda f: f != "true")  # every overdue row comes first
    # 2026-03-01 → 2026-11-28: 30 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 27 = 272 days
    assert rows[0]["days_overdue"] == "272"
    # The one contribution no steward has confirmed, made 2026-11-24: 4 days before 11-28;
    # due by the end of the programmes that wait for it (both end 2026-12-31).
    awaited = [r for r in rows if r["type"] == "receipt"]
    assert [(r["id"], r["age"], r["due"]) for r in awaited] == [
        ("2026-11-24-tilleuls-dokos", "4", "2026-12-31")
    ]
    assert {r["age"] for r in rows if r["type"] != "receipt"} == {""}


def test_obligations_all_adds_the_settled_debts():
    _, rows = csv_rows(ok("obligations", "--all", "--format", "csv").stdout)
    settled = {(r["type"], r["id"], r["common"]) for r in rows if r["unmet"] == "0.00"}
    assert settled == {
        ("match", "pilote-2025", "dokos"),  # 15000 of 15000
        ("match", "pilote-2025", "movilab"),  # 2400 of 2400
        ("pledge", "fabrique-dokos-2026", "dokos"),  # 5000 of 5000
        ("pledge", "atelier-communecter-2026", "communecter"),  # 4000 of 4000, in kind
    }


# ---- one set of figures in every format ------------------------------------------------------

COMMANDS = [
    ("match",),
    ("match", "--by", "contribution", "--all"),
    ("obligations", "--all"),
    ("status",),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_json_carries_the_csv_keys_and_values(command):
    header, rows = csv_rows(ok(*command, "--format", "csv").stdout)
    data = json.loads(ok(*command, "--format", "json").stdout)
    assert len(data) == len(rows) > 0
    for obj, row in zip(data, rows, strict=True):
        assert list(obj) == header
        for key, cell in row.items():
            value = obj[key]
            if isinstance(value, bool):
                assert cell == ("true" if value else "false")
            elif value is None:
                assert cell == ""
            elif isinstance(value, int):
                assert cell == str(value)
            else:
                assert isinstance(value, str) and value == cell.lstrip("'")
    amounts = [obj[k] for obj in data for k in ("matched", "owed", "amount") if k in obj]
    assert amounts and all(isinstance(a, str) and MONEY.fullmatch(a) for a in amounts)


@pytest.mark.parametrize("command", COMMANDS[:3], ids=" ".join)
def test_plain_text_table_shows_the_same_figures(command):
    # not a terminal: plain aligned text, no box drawing, amounts like 11,999.98
    text = ok(*command).stdout
    assert not set(text) & set("│┃┏━┡")
    _, rows = csv_rows(ok(*command, "--format", "csv").stdout)
    lines = text.splitlines()[2 : 2 + len(rows)]
    for line, row in zip(lines, rows, strict=True):
        expected = []
        for key, cell in row.items():
            if MONEY.fullmatch(cell) and key not in ("date", "due"):
                expected.append(f"{Decimal(cell):,.2f}")
            elif cell == "true":
                expected.append("yes")
            elif key in ("type", "kind", "binding", "reason") and cell:
                expected += word(cell).split()  # a code, shown as its word
            elif cell not in ("false", "", "0"):
                expected.append(cell)
        assert line.split() == expected, line


def test_excel_fr_has_a_bom_semicolons_and_decimal_commas():
    standard = ok("match", "--format", "csv").stdout
    raw = ok("match", "--format", "csv", "--csv-dialect", "excel-fr").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    text = raw.decode("utf-8")[1:]
    header, rows = csv_rows(text, delimiter=";")
    # every field quoted, figures too (LibreOffice's default dialog also splits at commas)
    assert text.splitlines()[0] == ";".join(f'"{h}"' for h in header)
    assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())
    _, plain = csv_rows(standard)
    assert pick(rows, "programme", "common")[1] == ("pilote-2025", "dokos")
    assert rows[5]["matched"] == "11999,98"  # pilote-2026 dokos
    for fr, std in zip(rows, plain, strict=True):
        for key in ("contributed", "matched", "paid", "unmet"):
            assert "." not in fr[key]
            assert Decimal(fr[key].replace(",", ".")) == Decimal(std[key])


def test_output_file_gets_exactly_what_stdout_would(tmp_path):
    target = tmp_path / "match.csv"
    piped = ok("obligations", "--format", "csv")
    written = ok("obligations", "--format", "csv", "--output", str(target))
    assert written.stdout == ""
    body = target.read_bytes()
    assert body.decode().replace("\r\n", "\n") == piped.stdout
    assert body.startswith(b"type,id,debtor,common,owed,paid,unmet,due,overdue")


def test_programme_filter_and_unknown_programme():
    _, rows = csv_rows(ok("match", "--programme", "region-2026", "--format", "csv").stdout)
    assert pick(rows, *MATCH_KEYS) == MATCH[-2:]
    _, rows = csv_rows(ok("obligations", "-p", "region-2026", "--all", "-f", "csv").stdout)
    assert {(r["type"], r["id"]) for r in rows} == {
        ("match", "region-2026"),
        ("receipt", "2026-11-24-tilleuls-dokos"),  # region-2026 waits for it too
    }
    for command in (("match",), ("obligations",), ("explain", "2025-06-03-serre-hybride-loot")):
        result = cofi(*command, "--programme", "pilote-2099")
        assert result.exit_code == 2
        assert "pilote-2099" in result.stderr and "region-2026" in result.stderr  # the known ones
        assert result.stdout == ""


# ---- explain -----------------------------------------------------------------------------


def test_explain_prints_the_steps_and_the_binding_cap():
    text = ok("explain", "2025-09-09-fablab-des-marais-dokos").stdout
    # pilote-2025: 2000 × 1, then only 15000 − 14500 = 500 left of dokos's cap
    assert "2,000.00 × ratio 1 = 2,000.00" in text
    assert "only 500.00 was left of dokos's cap of 15,000.00: 500.00" in text
    assert "Matched: 500.00, limited by the cap per common." in text
    # pilote-2026 starts on 2026-01-01
    assert "not matched: dated 2025-09-09, before the programme starts on 2026-01-01" in text


def test_explain_pro_rata_steps_and_provisional():
    text = ok("explain", "2026-01-15-fabrique-du-coin-dokos", "-p", "pilote-2026").stdout
    # la-fabrique-du-coin 10000 > 8000; dokos 18000 > 15000; all 50000 > 40000
    assert "10,000.00, over la-fabrique-du-coin's cap of 8,000.00" in text
    assert "18,000.00, over dokos's cap of 15,000.00" in text
    assert "50,000.00, over the envelope of 40,000.00" in text
    assert "Matched: 2,666.66" in text and "Provisional" in text


def test_explain_gives_the_reason_of_a_refusal():
    text = ok("explain", "2025-06-03-serre-hybride-loot", "-p", "pilote-2025").stdout
    assert "not matched" in text and "steward" in text
    text = ok("explain", "2026-05-06-tilleuls-movilab", "-p", "pilote-2026").stdout
    assert "reversed by 2026-05-12-tilleuls-movilab-annulation on 2026-05-12" in text


@pytest.mark.parametrize("entry", ["no-such-contribution", "gare-loot-2026"])  # a pledge
def test_explain_unknown_contribution_exits_2(entry):
    result = cofi("explain", entry)
    assert result.exit_code == 2
    assert entry in result.stderr and result.stdout == ""


# ---- status ----------------------------------------------------------------------------


def test_status_shows_each_common_and_its_needs():
    text = ok("status").stdout
    assert "Module de rétribution contributive (besoin fictif)" in text
    _, rows = csv_rows(ok("status", "--format", "csv").stdout)
    assert [r["need"] for r in rows if r["common"] == "loot"] == [
        "",
        "module-retributions",
        "export-comptable",
    ]
    need = next(r for r in rows if r["need"] == "module-retributions")
    # given: 1500 (in kind) + 3500 + 2000 + 5000 = 12000; matched: 0 (steward) + 3500 +
    # 1100 (pilote-2025) + 3200 (pilote-2026) = 7800; still 20000 − 12000 − 7800 = 200
    assert (need["needed"], need["contributed"], need["matched"], need["still_needed"]) == (
        "20000.00",
        "12000.00",
        "7800.00",
        "200.00",
    )
    assert Decimal(need["covered"]) == Decimal("0.99")  # 19800 / 20000


def test_explain_names_once_in_parentheses():
    # The demo contributor's name is "Fablab des Marais (fictif)": its id goes in brackets
    # rather than a second pair of parentheses; the programme's allocation follows a "·".
    text = ok("explain", "2025-09-09-fablab-des-marais-dokos").stdout
    assert "given by Fablab des Marais (fictif) [fablab-des-marais] to Dokos (dokos)" in text
    assert ") (" not in text
