"""Rules on receipts (SPEC §1): each confirms one contribution, on or after its date, once."""

from __future__ import annotations

from collections.abc import Iterator

from cofi.checks.context import Context
from cofi.checks.references import Holder, _refs, _unknown
from cofi.i18n import N_
from cofi.kinds import KIND_OF
from cofi.ledger import Ledger
from cofi.model import Contribution, Receipt
from cofi.problems import Problem, msg

# L013: what a receipt names instead of a contribution, one whole sentence each.
NOT_A_CONTRIBUTION = {
    "pledge": N_("'{target}' is a pledge, and a receipt confirms a contribution"),
    "disbursement": N_("'{target}' is a disbursement, and a receipt confirms a contribution"),
    "receipt": N_("'{target}' is a receipt, and a receipt confirms a contribution"),
    "reversal": N_("'{target}' is a reversal, and a receipt confirms a contribution"),
}

EARLY = N_("this receipt is dated {date}, before the contribution it confirms ({target_date})")
EARLY_HINT = N_("date the receipt on the day you confirm it, on or after the contribution")
"""L014's words, which the report's receipt form says too."""


def receipts_are_sound(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for r, target_id in _refs(ledger, ledger.receipts, "contribution", "receipt"):
        target = ledger.entry.get(target_id)
        if target is None:
            if ("entry", target_id) not in ledger.broken:
                yield _unknown_contribution(ledger, r, target_id)
        elif not isinstance(target, Contribution):
            yield Problem(
                "L013",
                msg(NOT_A_CONTRIBUTION[KIND_OF[type(target)]], target=target_id),
                ledger.locate(r, "contribution"),
                msg(N_("name the contribution's file (without .yaml) in `contribution:`")),
            )
        elif isinstance(r, Receipt) and r.date < target.date:
            yield Problem(
                "L014",
                msg(EARLY, date=r.date, target_date=target.date),
                ledger.locate(r, "date"),
                msg(EARLY_HINT),
            )
    yield from _once(ledger)


def _unknown_contribution(ledger: Ledger, r: Holder, target_id: str) -> Problem:
    known = [c.id for c in ledger.contributions]
    return _unknown(
        "R007",
        "contribution",
        target_id,
        known,
        ledger,
        r,
        "contribution",
        hint=msg(N_("contributions are the files of ledger/contributions/: fix the id")),
    )


def _once(ledger: Ledger) -> Iterator[Problem]:
    """L015 for a receipt of a contribution that another receipt confirmed on its date: a
    second receipt is allowed only once the first is reversed, so that a contribution is
    never confirmed twice over, nor later from an earlier day than it was."""
    standing: dict[str, Receipt] = {}  # contribution -> the receipt that confirms it last
    for r in sorted(ledger.receipts, key=lambda r: (r.date, r.id)):
        earlier = standing.get(r.contribution)
        undone = ledger.reversal_of.get(earlier.id) if earlier is not None else None
        if earlier is None or (undone is not None and undone.date <= r.date):
            standing[r.contribution] = r
            continue
        yield Problem(
            "L015",
            msg(
                N_("contribution '{target}' is already confirmed by {path}"),
                target=r.contribution,
                path=earlier.source.path,
            ),
            ledger.locate(r, "contribution"),
            msg(
                N_(
                    "a contribution is confirmed once: remove the receipt added last, or date "
                    "it on or after a reversal of the other one"
                )
            ),
        )
