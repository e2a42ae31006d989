"""Ids are unique: per kind for contributors, commons and programmes; across all entries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cofi.checks.context import Context
from cofi.ledger import Ledger
from cofi.model import Record
from cofi.problems import Problem


def _repeated(records: Iterable[Record], what: str) -> Iterator[Problem]:
    first: dict[str, Record] = {}
    for r in sorted(records, key=lambda r: r.source.path):
        seen = first.setdefault(r.id, r)
        if seen is not r:
            yield Problem(
                "L001",
                f"{what} id '{r.id}' is already used by {seen.source.path}",
                r.source,
                "ids are file names and must be unique: rename this file",
            )


def unique_ids(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    yield from _repeated(ledger.contributors, "contributor")
    yield from _repeated(ledger.commons, "common")
    yield from _repeated(ledger.programmes, "programme")
    yield from _repeated(ledger.entries(), "entry")


def unique_needs(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for common in ledger.commons:
        seen: set[str] = set()
        for i, need in enumerate(common.needs):
            if need.id in seen:
                yield Problem(
                    "L009",
                    f"need id '{need.id}' appears twice in this common",
                    ledger.locate(common, "needs", i, "id"),
                    "give each need of a common its own id",
                )
            seen.add(need.id)
