"""A neutral table: columns and rows of typed cells, what every output format is made from.

It lives apart from `cofi.report`, which fills it, so that a table kept by the
memo can be read back and rendered without importing the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Literal

from cofi.i18n import N_, _

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


ROWS_AT_ONCE = 4096
"""Rows (or lines) a large table or journal is written by, as it is made: a national
ledger's are hundreds of thousands."""


def chunks(lines: Iterable[str], size: int = ROWS_AT_ONCE) -> Iterator[str]:
    """`lines`, each ended by a newline, joined `size` at a time."""
    it = iter(lines)
    while batch := list(islice(it, size)):
        yield "\n".join(batch) + "\n"


# What a `code` cell shows, and what a sentence says for a code: cofi's codes (stable in CSV
# and JSON) as words, short enough for a table, translated when shown. Obligation types,
# allocations, contribution kinds, binding rules (cofi.matching's Step rules), reasons
# (cofi.matching.REASONS) and contributors' kinds.
WORDS: dict[str, str] = {
    "match": N_("match"),
    "pledge": N_("pledge"),
    "receipt": N_("receipt"),
    "pro-rata": N_("pro rata"),
    "first-come": N_("first come"),
    "quadratic": N_("quadratic"),
    "money": N_("money"),
    "in-kind": N_("in kind"),
    "ratio": N_("ratio"),
    "per_contribution": N_("cap per contribution"),
    "per_contributor": N_("cap per contributor"),
    "per_common": N_("cap per common"),
    "per_need_share": N_("need ceiling"),
    "envelope": N_("envelope"),
    "rounding": N_("rounding"),
    "before-start": N_("before the start"),
    "after-end": N_("after the end"),
    "reversed": N_("reversed"),
    "contributor-kind": N_("contributor's kind"),
    "common": N_("common not eligible"),
    "funder": N_("the funder's own"),
    "steward": N_("from a steward"),
    "min-amount": N_("below the minimum"),
    "awaiting-receipt": N_("awaiting a receipt"),
    "target-missed": N_("need not reached"),
    # contributors' kinds (cofi.model.ContributorKind), in sentences: `dokos-sas is of kind
    # private`
    "tiers-lieu": N_("tiers-lieu"),
    "network": N_("network"),
    "public": N_("public"),
    "private": N_("private"),
    "individual": N_("individual"),
}


def word(code: str) -> str:
    """The word for one of cofi's codes in the language of the moment (the code itself when
    it is not one)."""
    return _(WORDS[code]) if code in WORDS else code


__all__ = ["WORDS", "Cell", "Column", "Kind", "Table", "word"]
