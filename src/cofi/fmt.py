"""Figures and dates as a person reads them, in the current language.

Tables and the HTML report use these; CSV and JSON never do (they keep
`1234.50` and ISO dates whatever the language).

Amounts are written in the ledger's currency (its settings say which, EUR unless
told): whoever holds the ledger sets it around the formatting with `amounts_in`,
as the CLI chooses the language, so the tables' builders need not pass it down.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from cofi import i18n

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_NNBSP = "\u202f"  # French thousands separator: a narrow no-break space
_NBSP = "\u00a0"
_MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


_currency: ContextVar[str] = ContextVar("currency", default="EUR")


@contextmanager
def amounts_in(currency: str) -> Iterator[None]:
    """Write the amounts formatted within as `currency` (an ISO code like EUR or USD)."""
    token = _currency.set(currency)
    try:
        yield
    finally:
        _currency.reset(token)


def context() -> tuple[str, str]:
    """What formatting depends on: the language and the currency (a key for what caches
    formatted text)."""
    return i18n.language(), _currency.get()


def money(value: Decimal) -> str:
    """`12,000.00` in English, `12 000,00 €` in French (`12 000,00 USD` for a ledger
    in dollars)."""
    return _localized(f"{value.quantize(_CENT):,f}")


def exact(value: Fraction | Decimal) -> str:
    """An exact value: as money when it is whole cents, else to 4 decimals and an ellipsis
    (`2,666.6666…`), never rounded up."""
    # In integers, from the value's ratio in lowest terms: a report formats hundreds of
    # thousands of figures, and Fraction arithmetic was most of the cost.
    n, d = value.as_integer_ratio()
    if 100 % d == 0:  # whole cents
        return money(Decimal(n * (100 // d)).scaleb(-2))
    return _localized(f"{Decimal(n * 10000 // d).scaleb(-4):,f}…")  # floored, as `//` does


def _localized(text: str) -> str:
    if i18n.language() != "fr":
        return text
    return text.replace(",", _NNBSP).replace(".", ",") + _NBSP + _symbol(_currency.get())


def _symbol(currency: str) -> str:
    # `€` is the only sign French writes unambiguously after a figure: `$` is also the
    # Canadian or Australian dollar, so any other currency shows its ISO code.
    return "€" if currency == "EUR" else currency


def day(value: date) -> str:
    """`2026-03-14` in English (unambiguous everywhere), `14 mars 2026` in French."""
    if i18n.language() != "fr":
        return value.isoformat()
    first = "1er" if value.day == 1 else str(value.day)
    return f"{first} {_MOIS[value.month - 1]} {value.year}"


def month(key: str) -> str:
    """A month written `YYYY-MM`: so in English (like `day`), `mars 2026` in French."""
    if i18n.language() != "fr":
        return key
    year, number = key.split("-")
    return f"{_MOIS[int(number) - 1]} {year}"


def percent(ratio: Decimal) -> str:
    """`62.5%` / `62,5 %`, to the nearest tenth, half up (74.67 % is `74.7%`), except that
    a ratio short of 1 is never shown as 100 % (99.96 % is `99.9%`), nor one above 0 as 0 %."""
    shown = (ratio * 100).quantize(_TENTH, rounding=ROUND_HALF_UP)
    if shown == 100 and ratio < 1:
        shown = Decimal("99.9")
    elif shown == 0 and ratio > 0:
        shown = Decimal("0.1")
    text = f"{shown}"
    if i18n.language() != "fr":
        return text + "%"
    return text.replace(".", ",") + _NBSP + "%"


def number(value: Decimal) -> str:
    """A plain number as written in the ledger (a ratio: `0.5`), with a decimal comma in
    French (`0,5`)."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",") if i18n.language() == "fr" else text


def labelled(name: str | None, ident: str) -> str:
    """A name with its id, as sentences show them: "Dokos (dokos)"; a name that already ends
    in parentheses gets its id in brackets, never "Name (note) (id)"."""
    if not name or name == ident:
        return ident
    return f"{name} [{ident}]" if name.endswith(")") else f"{name} ({ident})"


def yes(value: bool) -> str:
    return i18n._("yes") if value else ""
