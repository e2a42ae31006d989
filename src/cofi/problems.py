"""Problems found in a ledger, and the catalogue of their stable codes.

A problem is a value, never an exception: every stage returns the problems it
found so that the user sees all of them in one run. Codes are stable and are
never renumbered; docs/errors.md documents each one with an example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from cofi.i18n import _


@dataclass(frozen=True, slots=True, order=True)
class Source:
    """Where something was written: a path relative to the ledger root, 1-based line and
    column, and the key path of the field in its record (dotted; "" for the whole file),
    which names the place whatever lines move around it."""

    path: str
    line: int = 1
    col: int = 1
    key: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def __reduce__(self) -> tuple[type[Source], tuple[str, int, int] | tuple[str, int, int, str]]:
        # Pickled as a call rather than as dataclass state: twice as fast both ways, and
        # the record cache holds one per record.
        if self.key:
            return (Source, (self.path, self.line, self.col, self.key))
        return (Source, (self.path, self.line, self.col))


Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Msg:
    """A message as written in the code (an English msgid, marked with N_) and the values
    that fill it: put into words, in the language of the moment, only when printed. So
    what cofi keeps or compares (caches, fingerprints) never depends on the language."""

    template: str
    args: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self._said(_(self.template), str)

    def english(self) -> str:
        """As written in the code, whatever the language of the moment."""
        return self._said(self.template, Msg.english)

    def _said(self, text: str, say: Callable[[Msg], str]) -> str:
        if not self.args:
            return text
        return text.format(**{k: _value(v, say) for k, v in self.args})

    def __reduce__(self) -> tuple[type[Msg], tuple[str, tuple[tuple[str, object], ...]]]:
        return (Msg, (self.template, self.args))


def _value(value: object, say: Callable[[Msg], str]) -> object:
    """An argument as a message says it: a Msg in words, a date as the language writes it
    (`14 mars 2026` inside a French sentence; ISO in English and in `english()`), an
    amount (a Decimal) as money (`12 000,00 €`; `12,000.00` in `english()`)."""
    if isinstance(value, Msg):
        return say(value)
    if isinstance(value, (date, Decimal)) and say is str:
        from cofi import fmt

        return fmt.day(value) if isinstance(value, date) else fmt.money(value)
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01')):,f}"
    return value


def msg(template: str, **args: object) -> Msg:
    """`template` (marked with N_) with its `args`, to be put into words when printed."""
    return Msg(template, tuple(args.items()))


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    what: Msg | str
    """What is wrong; a plain str only for text that is not cofi's (a tool's own words)."""
    source: Source
    fix: Msg | str = ""
    """What to do about it."""
    severity: Severity = "error"

    @property
    def message(self) -> str:
        return str(self.what)

    @property
    def hint(self) -> str:
        return str(self.fix)

    @property
    def title(self) -> str:
        return CODES[self.code]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """By place, then code, then the message in English: never by its translation, so
        that every language lists problems in the same order."""
        s = self.source
        what = self.what
        return (s.path, s.line, s.col, self.code, what.english() if isinstance(what, Msg) else what)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in the order they are reported: by path, line, column, then code."""
    return sorted(problems, key=Problem.sort_key)


# code -> short name. Y: the file itself, F: where it lies, S: its fields,
# R: references between records, L: ledger rules, G: git history.
CODES: dict[str, str] = {
    "Y001": "not-utf8",
    "Y002": "file-too-large",
    "Y003": "empty-file",
    "Y004": "yaml-syntax",
    "Y005": "not-a-mapping",
    "Y006": "duplicate-key",
    "Y007": "anchor-or-alias",
    "Y008": "explicit-tag",
    "Y009": "too-deep",
    "Y010": "bad-key",
    "F001": "bad-file-name",
    "F002": "unexpected-file",
    "F003": "unreadable-file",
    "F004": "not-read",
    "F005": "folder-link",  # retired: see RETIRED
    "F006": "not-a-plain-file",
    "S001": "unknown-key",
    "S002": "missing-key",
    "S003": "bad-amount",
    "S004": "bad-date",
    "S005": "wrong-type",
    "S006": "bad-choice",
    "S007": "bad-siret",
    "S008": "bad-id",
    "S009": "bad-number",
    "S010": "bad-currency",
    "S011": "bad-boolean",
    "S012": "empty-value",
    "S013": "bad-text",
    "S014": "bad-rna",
    "S015": "bad-forge",
    "R001": "unknown-contributor",
    "R002": "unknown-common",
    "R003": "unknown-need",
    "R004": "unknown-programme",
    "R005": "unknown-pledge",
    "R006": "unknown-reversed-entry",
    "R007": "unknown-contribution",
    "L001": "duplicate-id",
    "L002": "funder-not-public",
    "L003": "reversal-wrong-kind",
    "L004": "reversed-twice",
    "L005": "reversal-reversed",
    "L006": "pledge-mismatch",
    "L007": "dated-in-future",
    "L008": "programme-dates",
    "L009": "duplicate-need",
    "L010": "reversal-before-target",
    "L011": "currency-mismatch",
    "L012": "pledge-due-before-date",
    "L013": "receipt-not-a-contribution",
    "L014": "receipt-before-contribution",
    "L015": "confirmed-twice",
    "L016": "quadratic-per-contributor",
    "L017": "overpaid",
    "G001": "entry-changed",
    "G002": "programme-changed",
    "G003": "not-vouched",
    "G004": "needs-coordinator",
    "G005": "late-for-programme",
    "G006": "late-reversal",
    "G007": "late-receipt",
}

RETIRED = frozenset({"F005"})
"""Codes cofi no longer reports, kept in the catalogue so that they are never reused.
F005 (a link to a folder) became F006 when links of every kind, and submodules, were
refused under commons/ and ledger/ (SPEC §5, "Plain files only")."""
