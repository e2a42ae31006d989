"""Ids are unique: per kind for contributors, commons and programmes; across all entries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cofi.checks.context import Context
from cofi.i18n import N_
from cofi.ledger import Ledger
from cofi.model import Record
from cofi.problems import Problem, msg


def _repeated(records: Iterable[Record], message: str) -> Iterator[Problem]:
    """L001 for each record whose id an earlier one has; `message` is an N_ template."""
    first: dict[str, Record] = {}
    for r in sorted(records, key=lambda r: r.source.path):
        seen = first.setdefault(r.id, r)
        if seen is not r:
            yield Problem(
                "L001",
                msg(message, id=r.id, path=seen.source.path),
                r.source,
                msg(N_("ids are file names and must be unique: rename this file")),
            )


def unique_ids(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    yield from _repeated(ledger.contributors, N_("contributor id '{id}' is already used by {path}"))
    yield from _repeated(ledger.commons, N_("common id '{id}' is already used by {path}"))
    yield from _repeated(ledger.programmes, N_("programme id '{id}' is already used by {path}"))
    yield from _repeated(ledger.entries(), N_("entry id '{id}' is already used by {path}"))


def unique_needs(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for common in ledger.commons:
        seen: set[str] = set()
        for i, need in enumerate(common.needs):
            if need.id in seen:
                yield Problem(
                    "L009",
                    msg(N_("need id '{id}' appears twice in this common"), id=need.id),
                    ledger.locate(common, "needs", i, "id"),
                    msg(N_("give each need of a common its own id")),
                )
            seen.add(need.id)
