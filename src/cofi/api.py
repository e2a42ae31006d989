"""cofi as a library: load a ledger, check it, match it, and say what is owed.

The `cofi` command is a shell over these functions; other programs (a notebook, a web
service, a funder's own tool) can call them the same way::

    from datetime import date
    import cofi

    day = date(2026, 11, 28)
    checked = cofi.check("path/to/ledger", day)
    problems = [(p.source, p.code, p.message) for p in checked.problems]
    if not checked.errors:
        results = cofi.match(checked.ledger, day)
        unmet = {(d.id, d.common): d.unmet for d in cofi.debts(checked.ledger, results, day)}

Nothing here prints, exits, reads the clock or the environment, or changes the process
(its garbage collector, its language): the caller passes the day and the folder, and
gets values back. Problems carry their message as written in the code; `str()` puts it
into the language chosen with `cofi.i18n.use`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cofi.ledger import Ledger
    from cofi.listing import Listing
    from cofi.loader import Progress, RecordCache
    from cofi.matching import ProgrammeResult
    from cofi.obligations import Obligation

from cofi.loader import Loaded


def check(
    root: str | Path,
    today: date,
    *,
    cache: RecordCache | None = None,
    progress: Progress | None = None,
    listing: Listing | None = None,
) -> Loaded:
    """Read every file of the ledger at `root` and check it as of `today` (entries dated
    after it are errors, L007): the ledger and every problem, as `cofi check` reports.

    `cache` reads again only the files that changed since it was filled; `progress` is
    told (files done, files in all) during a long load; `listing` is the walk of the
    folder when the caller has already made one.
    """
    from cofi.checks import validate

    return validate(Path(root), today, cache, progress, listing)


def check_change(
    root: str | Path,
    today: date,
    base: str,
    *,
    head: str | None = None,
    actor: str | None = None,
) -> Loaded:
    """`check`, plus the git rules of a pull request (SPEC §5) on what the working tree
    (or revision `head`) changed since revision `base`: history is append-only, and each
    addition is vouched for by `actor` (the forge's login), or else by the commits'
    author emails. Raises `cofi.history.GitError` when git cannot be used."""
    from cofi.revisions import validate_change

    return validate_change(Path(root), today, base, head, actor)


def check_at(root: str | Path, rev: str, today: date) -> Loaded:
    """`check` on the ledger as committed at git revision `rev`."""
    from cofi.revisions import validate_at

    return validate_at(Path(root), rev, today)


def match(
    ledger: Ledger, as_of: date, programmes: Collection[str] | None = None
) -> list[ProgrammeResult]:
    """What each programme (or each of `programmes`, by id) matches as of `as_of`, by
    programme id: one `Match` per contribution dated on or before `as_of`, each with its
    figure, the rule that bound it and every step (SPEC §2)."""
    from cofi.matching import match_all

    return match_all(ledger, as_of, programmes)


def debts(
    ledger: Ledger, results: list[ProgrammeResult], as_of: date, *, pledges: bool = True
) -> list[Obligation]:
    """Who owes what as of `as_of` (the day of `results`), overdue first (SPEC §3): each
    programme's matches to each common, the receipts stewards have yet to give for the
    programmes that require them, and (with `pledges`) each pledge."""
    from cofi.obligations import (
        by_urgency,
        match_obligations,
        pledge_obligations,
        receipt_obligations,
    )

    rows = match_obligations(ledger, results) + receipt_obligations(ledger, results)
    if pledges:
        rows += pledge_obligations(ledger, as_of)
    return by_urgency(rows)


__all__ = ["Loaded", "check", "check_at", "check_change", "debts", "match"]
