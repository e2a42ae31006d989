"""A table's CSV, JSON and text are written a few thousand rows at a time (a national
ledger's contributions are 400,000 rows): the parts, put together, are exactly what
the csv and json modules write of the whole table at once, whatever the batch's size."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from cofi import render
from cofi.table import Column, Table

COLUMNS = (
    Column("id", "Id"),
    Column("note", "Note"),
    Column("day", "Day", "date"),
    Column("amount", "Amount", "money"),
    Column("eligible", "Eligible", "bool"),
)


def rows(n: int) -> list[dict[str, object]]:
    # Commas, quotes, a line break and a formula's start, which CSV quotes or guards.
    notes = ["plain", "a, comma", 'say "hi"', "two\nlines", "=1+1", None]
    return [
        {
            "id": f"c{i}",
            "note": notes[i % len(notes)],
            "day": date(2026, 1, 1 + i % 28),
            "amount": Decimal(i) / 4,  # 0.00, 0.25, 0.50 …: to the cent
            "eligible": i % 3 == 0,
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7])
@pytest.mark.parametrize("batch", [1, 2, 3])
def test_csv_and_json_in_parts_are_the_whole_table(
    n: int, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "ROWS_AT_ONCE", batch)
    table = Table("t", COLUMNS, rows(n))  # type: ignore[arg-type]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.key for c in COLUMNS])
    for r in rows(n):
        note = r["note"]
        writer.writerow(
            [
                r["id"],
                "" if note is None else ("'" + note if note.startswith("=") else note),
                r["day"].isoformat(),  # type: ignore[attr-defined]
                f"{r['amount']:.2f}",
                "true" if r["eligible"] else "false",
            ]
        )
    assert "".join(render.table_csv_parts(table)) == buf.getvalue()
    objects = [
        {
            "id": r["id"],
            "note": r["note"],
            "day": r["day"].isoformat(),  # type: ignore[attr-defined]
            "amount": f"{r['amount']:.2f}",
            "eligible": r["eligible"],
        }
        for r in rows(n)
    ]
    text = "".join(render.table_json_parts(table))
    assert text == json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    assert len(list(render.table_json_parts(table))) == -(-n // batch) + 1  # and the close


@pytest.mark.parametrize("batch", [1, 2, 5])
def test_text_in_parts_is_one_line_a_row_between_its_header_and_totals(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "ROWS_AT_ONCE", batch)
    few = [{"id": f"c{i}", "amount": Decimal(10**i)} for i in range(4)]
    table = Table(
        "t",
        (Column("id", "Id"), Column("amount", "Amount", "money")),
        few,  # type: ignore[arg-type]
        {"id": "Total", "amount": Decimal(1111)},
        ["a note"],
    )
    # Widths: "Amount" is 6, the widest figure "1,111.00" is 8; ids are 2, "Total" 5.
    assert render.table_text(table) == (
        "Id       Amount\n"
        "-----  --------\n"
        "c0         1.00\n"
        "c1        10.00\n"
        "c2       100.00\n"
        "c3     1,000.00\n"
        "-----  --------\n"
        "Total  1,111.00\n"
        "* a note\n"
    )
