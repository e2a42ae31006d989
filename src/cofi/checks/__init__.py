"""The ledger's rules beyond one file: one small function per rule, in one ordered list.

Each check takes the loaded ledger and the context the CLI passes in, and
yields problems; none raises, prints or reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cofi.checks import entries, ids, payments, receipts, references
from cofi.checks.context import Context
from cofi.ledger import Ledger
from cofi.loader import Loaded, Progress, load
from cofi.problems import Problem, sorted_problems

if TYPE_CHECKING:
    from cofi.listing import Listing
    from cofi.loader import RecordCache

Check = Callable[[Ledger, Context], Iterable[Problem]]

CHECKS: tuple[Check, ...] = (
    ids.unique_ids,
    ids.unique_needs,
    references.contributors_exist,
    references.commons_exist,
    references.needs_exist,
    references.programmes_exist,
    references.pledges_exist,
    references.funders_are_public,
    references.pledge_payments_match,
    entries.reversals_name_an_entry,
    entries.reversals_are_not_reversed,
    entries.reversals_lie_beside_their_entry,
    entries.entries_are_reversed_once,
    entries.reversals_follow_their_entry,
    receipts.receipts_are_sound,
    entries.not_in_future,
    entries.programme_dates,
    entries.quadratic_caps,
    entries.pledge_dates,
    entries.one_currency,
    payments.disbursements_within_owed,
)


def run(ledger: Ledger, today: date) -> list[Problem]:
    """Every problem the checks find (unsorted)."""
    ctx = Context(today=today)
    return [p for check in CHECKS for p in check(ledger, ctx)]


def validate(
    root: Path,
    today: date,
    cache: RecordCache | None = None,
    progress: Progress | None = None,
    listing: Listing | None = None,
) -> Loaded:
    """Load the ledger at `root` (the files `listing` found, if given) and check it:
    every problem, sorted by place."""
    loaded = load(root, cache, progress, listing)
    if cache is not None:
        cache.save()
    return checked(loaded, today)


def checked(loaded: Loaded, today: date, extra: Iterable[Problem] = ()) -> Loaded:
    """`loaded` with the checks' problems (and `extra` ones) added, sorted by place."""
    problems = [*loaded.problems, *run(loaded.ledger, today), *extra]
    return replace(loaded, problems=sorted_problems(problems))


__all__ = ["CHECKS", "Check", "Context", "checked", "run", "validate"]
