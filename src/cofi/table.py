"""A neutral table: columns and rows of typed cells, what every output format is made from.

It lives apart from `cofi.report`, which fills it, so that a table kept by the
memo can be read back and rendered without importing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Kind = Literal["text", "code", "money", "date", "bool", "int", "ratio"]
"""`code`: one of cofi's own words (an obligation type, an allocation, a contribution kind, a
binding rule, a reason), kept as the code in CSV and JSON, put into words when shown."""
Cell = Decimal | date | bool | str | int | None


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    kind: Kind = "text"
    drop: int = 0
    """On a terminal too narrow for every column, the columns with the highest `drop` are
    left out first; 0: always shown (CSV and JSON always have every column)."""


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Cell]]
    totals: dict[str, Cell] | None = None
    notes: list[str] = field(default_factory=list)
    currency: str = "EUR"
    """Of its money cells, as the ledger's settings say: a table served from the memo
    has no ledger beside it, and must print the same."""

    def column(self, key: str) -> list[Cell]:
        return [row.get(key) for row in self.rows]


__all__ = ["Cell", "Column", "Kind", "Table"]
