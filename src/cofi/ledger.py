"""The loaded ledger: every record, in a stable order, with indexes by id."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TypeVar

from cofi.model import (
    Common,
    Contribution,
    Contributor,
    Disbursement,
    Entry,
    Pledge,
    Programme,
    Receipt,
    Record,
    Reversal,
    Settings,
)
from cofi.problems import Source

R = TypeVar("R", bound=Record)
KeyPath = tuple[str | int, ...]
Locator = Callable[[Source, KeyPath, bool], Source]


def _first_by_id(records: tuple[R, ...]) -> dict[str, R]:
    index: dict[str, R] = {}
    for r in records:
        index.setdefault(r.id, r)
    return index


def _no_positions(source: Source, path: KeyPath, key: bool) -> Source:
    return source


@dataclass(frozen=True, slots=True)
class Partial:
    """A record file that could not be read whole, and the well-formed ids it refers to
    (field -> id): they are checked too, so that one run reports every problem."""

    kind: str  # contribution, pledge, disbursement, reversal, programme, common, contributor
    source: Source
    refs: Mapping[str, str]


@dataclass(frozen=True)
class Ledger:
    """Records of each kind sorted by file path; where an id repeats, the first file wins."""

    root: str = "."
    settings: Settings = field(default_factory=Settings)
    contributors: tuple[Contributor, ...] = ()
    commons: tuple[Common, ...] = ()
    programmes: tuple[Programme, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    disbursements: tuple[Disbursement, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    reversals: tuple[Reversal, ...] = ()
    broken: frozenset[tuple[str, str]] = frozenset()
    """(kind, id) of files that exist but could not be read: references to them are not
    reported again as unknown, the file's own problems say what is wrong."""
    partials: tuple[Partial, ...] = ()
    locator: Locator = field(default=_no_positions, repr=False, compare=False)

    @cached_property
    def contributor(self) -> Mapping[str, Contributor]:
        return _first_by_id(self.contributors)

    @cached_property
    def common(self) -> Mapping[str, Common]:
        return _first_by_id(self.commons)

    @cached_property
    def programme(self) -> Mapping[str, Programme]:
        return _first_by_id(self.programmes)

    @cached_property
    def pledge(self) -> Mapping[str, Pledge]:
        return _first_by_id(self.pledges)

    @cached_property
    def entry(self) -> Mapping[str, Entry]:
        """Contributions, pledges, disbursements, receipts and reversals share one id space."""
        index: dict[str, Entry] = {}
        for e in self.entries():
            index.setdefault(e.id, e)
        return index

    @cached_property
    def reversal_of(self) -> Mapping[str, Reversal]:
        """Entry id -> the reversal that cancels it (the earliest, should there be two)."""
        index: dict[str, Reversal] = {}
        for r in sorted(self.reversals, key=lambda r: (r.date, r.id)):
            index.setdefault(r.reverses, r)
        return index

    @cached_property
    def by_path(self) -> Mapping[str, Record]:
        """Every record by the path of its file."""
        records: list[Record] = [*self.contributors, *self.commons, *self.programmes]
        return {r.source.path: r for r in (*records, *self.entries())}

    def entries(self) -> Iterator[Entry]:
        yield from self.contributions
        yield from self.pledges
        yield from self.disbursements
        yield from self.receipts
        yield from self.reversals

    def amounts(self) -> Iterator[Contribution | Pledge | Disbursement]:
        """The entries that carry an amount: all but receipts and reversals."""
        yield from self.contributions
        yield from self.pledges
        yield from self.disbursements

    def is_reversed(self, entry_id: str, as_of: date) -> bool:
        """True when a reversal dated on or before `as_of` cancels the entry."""
        r = self.reversal_of.get(entry_id)
        return r is not None and r.date <= as_of

    def reversed_ids(self, as_of: date) -> frozenset[str]:
        """The ids of every entry `is_reversed` as of `as_of`, for checking many at once."""
        return frozenset(entry_id for entry_id, r in self.reversal_of.items() if r.date <= as_of)

    @cached_property
    def receipts_of(self) -> Mapping[str, tuple[Receipt, ...]]:
        """Contribution id -> its receipts, by date then id."""
        index: dict[str, list[Receipt]] = {}
        for r in sorted(self.receipts, key=lambda r: (r.date, r.id)):
            index.setdefault(r.contribution, []).append(r)
        return {c: tuple(found) for c, found in index.items()}

    def confirming(self, contribution_id: str, as_of: date, until: date) -> Receipt | None:
        """The receipt that confirms a contribution: the earliest dated on or before `as_of`
        and `until` and not reversed as of `as_of` (a reversed one may have been followed
        by another)."""
        last = min(as_of, until)
        for r in self.receipts_of.get(contribution_id, ()):
            if r.date > last:
                return None
            if not self.is_reversed(r.id, as_of):
                return r
        return None

    def confirmed(self, as_of: date, until: date) -> dict[str, date]:
        """Contribution id -> the day its receipt was dated, for each contribution that a
        receipt confirms (see `confirming`)."""
        out: dict[str, date] = {}
        for contribution_id in self.receipts_of:
            r = self.confirming(contribution_id, as_of, until)
            if r is not None:
                out[contribution_id] = r.date
        return out

    def locate(self, record: Record | Partial, *path: str | int, key: bool = False) -> Source:
        """Where a field of a record was written (the record's file when unknown), named
        by its key path."""
        found = self.locator(record.source, path, key)
        named = ".".join(map(str, path))
        return found if found.key == named else replace(found, key=named)
