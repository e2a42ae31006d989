"""`--csv-dialect excel-fr` opened by a real spreadsheet: LibreOffice Calc, headless, with
the French locale (CSV import filter `59,34,76,1,,1036`: `;`, `"`, UTF-8, from line 1,
French). The file is converted to flat ODS XML and read back: amounts must arrive as
numbers (office:value-type="float") with the exact value, and no text cell as a formula.

Skipped when LibreOffice is not installed (Debian: `apt-get install
libreoffice-calc-nogui`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from test_cli_compute import MAIN, csv_rows, ok
from test_cli_examples import TINY

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: no spreadsheet to open CSV"
)

FRENCH_CSV = "CSV:59,34,76,1,,1036"
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
TABLE, OFFICE = (f"{{{NS[k]}}}" for k in ("table", "office"))


def convert(
    csv_file: Path, out: Path, profile: Path, infilter: str, to: str, env: dict | None = None
) -> Path:
    """`csv_file` opened by LibreOffice with `infilter` (its import options) and saved as
    `to` into `out`, with its own profile: the file written."""
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--infilter={infilter}",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(csv_file),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    return out / f"{csv_file.stem}.{to}"


def calc_cells(csv_file: Path, workdir: Path) -> list[list[dict[str, str | None]]]:
    """Open `csv_file` in Calc as a French user would, and return its cells row by row."""
    fods = convert(csv_file, workdir / "calc", workdir / "profile", FRENCH_CSV, "fods")
    root = ET.parse(fods).getroot()
    rows = []
    for row in root.iter(f"{TABLE}table-row"):
        cells = []
        for cell in row.findall("table:table-cell", NS):
            seen = {
                "type": cell.get(f"{OFFICE}value-type"),
                "value": cell.get(f"{OFFICE}value") or cell.get(f"{OFFICE}date-value"),
                "formula": cell.get(f"{TABLE}formula"),
                "text": "".join(cell.itertext()).strip(),
            }
            cells += [seen] * int(cell.get(f"{TABLE}number-columns-repeated", "1"))
        while cells and cells[-1]["type"] is None:
            cells.pop()
        if cells:
            rows.append(cells)
    return rows


def export(tmp_path: Path, name: str, *command: str, **kw) -> tuple[Path, list[dict[str, str]]]:
    target = tmp_path / name
    ok(*command, "--format", "csv", "--csv-dialect", "excel-fr", "--output", str(target), **kw)
    _, rows = csv_rows(target.read_text(encoding="utf-8-sig"), delimiter=";")
    return target, rows


def decimal_fr(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


@pytest.mark.parametrize(
    ("root", "command", "money"),
    [
        # pilote-2026 dokos matched 11999,98 → 11999.98
        (MAIN, ("match",), ("contributed", "matched", "paid", "unmet")),
        # caps-biting has 1200,50: a decimal comma must not be read as a thousands separator
        (MAIN / "examples/caps-biting", ("match", "--by", "contribution"), ("amount", "matched")),
    ],
)
def test_amounts_open_as_numbers_in_french_calc(tmp_path, root, command, money):
    csv_file, rows = export(tmp_path, "cofi.csv", *command, root=root)
    header, *cells = calc_cells(csv_file, tmp_path)
    assert [c["text"] for c in header] == list(rows[0])
    assert len(cells) == len(rows) > 0
    keys = list(rows[0])
    for row, calc in zip(rows, cells, strict=True):
        seen = dict(zip(keys, calc, strict=False))
        for key in money:
            assert seen[key]["type"] == "float", (key, seen[key])
            assert Decimal(seen[key]["value"]) == decimal_fr(row[key])  # e.g. 11999,98
        assert seen["programme"]["type"] == "string"
    if "date" in keys:
        assert {c[keys.index("date")]["type"] for c in cells} == {"date"}  # ISO dates too


def test_a_negative_unmet_opens_as_a_negative_number(tmp_path):
    root = MAIN / "examples/corrections-by-reversal"
    csv_file, rows = export(tmp_path, "owed.csv", "obligations", root=root, as_of="2026-02-11")
    header, line = calc_cells(csv_file, tmp_path)
    unmet = line[[c["text"] for c in header].index("unmet")]
    # 3500 owed − 5300 paid = −1800: a number, not a neutralised text
    assert (rows[0]["unmet"], unmet["type"], Decimal(unmet["value"])) == (
        "-1800,00",
        "float",
        Decimal("-1800"),
    )


def test_formula_like_text_is_not_run_by_calc(ledger_dir, tmp_path):
    csv_file, _ = export(tmp_path, "status.csv", "status", root=ledger_dir(TINY))
    header, *cells = calc_cells(csv_file, tmp_path)
    col = [c["text"] for c in header].index("title")
    titles = [row[col] for row in cells]
    wanted = ['=HYPERLINK("http://x")', "=SUM(A1)", "+33 1 23 45 67 89", "-moins cher", "@pseudo"]
    for cell, text in zip(titles, wanted, strict=True):
        assert cell["formula"] is None and cell["type"] == "string"
        assert text in cell["text"]
    assert not any(c["formula"] for row in cells for c in row)


# What a double-click gives: LibreOffice's CSV dialog with its default options, which tick
# comma, semicolon and tab together (44/59/9), `"` quotes, UTF-8, from line 1, the
# language of the user's LibreOffice (0): French here, as for the users of excel-fr.
DEFAULT_CSV = "CSV:44/59/9,34,76,1,,0,false,false"


def calc_default(csv_file: Path, workdir: Path) -> list[tuple[object, ...]]:
    """Open `csv_file` as a French user's LibreOffice does on a double-click, save it as
    xlsx, and return its rows as openpyxl reads them."""
    openpyxl = pytest.importorskip("openpyxl")
    french = {**os.environ, "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}
    xlsx = convert(
        csv_file, workdir / "default", workdir / "profile-fr", DEFAULT_CSV, "xlsx", french
    )
    sheet = openpyxl.load_workbook(xlsx).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("root", "command", "money"),
    [
        (MAIN, ("match",), ("contributed", "matched", "paid", "unmet")),
        (MAIN / "examples/caps-biting", ("match", "--by", "contribution"), ("amount", "matched")),
        (MAIN / "examples/corrections-by-reversal", ("obligations", "--all"), ("owed", "unmet")),
    ],
)
def test_the_default_import_dialog_keeps_every_figure_whole(tmp_path, root, command, money):
    """Comma, semicolon and tab all separators: `9000,00` must stay one cell, a number."""
    csv_file, rows = export(tmp_path, "cofi.csv", *command, root=root)
    header, *cells = calc_default(csv_file, tmp_path)
    assert list(header) == list(rows[0])  # as many columns: nothing split
    assert len(cells) == len(rows) > 0
    for key in money:
        col = header.index(key)
        figures = [row[col] for row in cells]
        assert all(isinstance(f, (int, float)) for f in figures), (key, figures)
        written = [decimal_fr(row[key]) for row in rows]
        assert [round(Decimal(str(f)), 2) for f in figures] == written
        # and a spreadsheet's sum is the sum of the figures, to the cent
        assert round(Decimal(str(sum(figures))), 2) == sum(written)
