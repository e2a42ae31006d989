"""Rules on dated entries and programmes: reversals, dates, currency."""

from __future__ import annotations

from collections.abc import Iterator

from cofi.checks.context import Context
from cofi.i18n import N_
from cofi.kinds import BY_NAME, KIND_OF
from cofi.ledger import Ledger, Partial
from cofi.model import Entry, Reversal
from cofi.problems import Problem, msg

# (the reversal's kind, the reversed entry's kind) -> L003's message, one whole sentence each.
_WRONG_KIND = {
    ("contribution", "pledge"): N_(
        "this contribution reversal targets '{target}', which is a pledge"
    ),
    ("contribution", "disbursement"): N_(
        "this contribution reversal targets '{target}', which is a disbursement"
    ),
    ("pledge", "contribution"): N_(
        "this pledge reversal targets '{target}', which is a contribution"
    ),
    ("pledge", "disbursement"): N_(
        "this pledge reversal targets '{target}', which is a disbursement"
    ),
    ("disbursement", "contribution"): N_(
        "this disbursement reversal targets '{target}', which is a contribution"
    ),
    ("disbursement", "pledge"): N_(
        "this disbursement reversal targets '{target}', which is a pledge"
    ),
    ("contribution", "receipt"): N_(
        "this contribution reversal targets '{target}', which is a receipt"
    ),
    ("pledge", "receipt"): N_("this pledge reversal targets '{target}', which is a receipt"),
    ("disbursement", "receipt"): N_(
        "this disbursement reversal targets '{target}', which is a receipt"
    ),
    ("receipt", "contribution"): N_(
        "this receipt reversal targets '{target}', which is a contribution"
    ),
    ("receipt", "pledge"): N_("this receipt reversal targets '{target}', which is a pledge"),
    ("receipt", "disbursement"): N_(
        "this receipt reversal targets '{target}', which is a disbursement"
    ),
}


def _reversals(ledger: Ledger) -> list[Reversal]:
    """The reversals in the order they take effect: by date, then id."""
    return sorted(ledger.reversals, key=lambda r: (r.date, r.id))


def _cancelled(ledger: Ledger) -> Iterator[tuple[Reversal, Entry]]:
    """Each reversal whose target exists and is not itself a reversal, with that target."""
    for r in _reversals(ledger):
        target = ledger.entry.get(r.reverses)
        if target is not None and not isinstance(target, Reversal):
            yield r, target


def reversals_name_an_entry(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """R006: a reversal names an entry that does not exist (in a file that loaded or not)."""
    named: list[tuple[Reversal | Partial, str]] = [(r, r.reverses) for r in _reversals(ledger)]
    # a reversal file with other mistakes: its target still counts
    named += [(p, p.refs.get("reverses", "")) for p in ledger.partials if p.kind == "reversal"]
    for r, target in named:
        if target and target not in ledger.entry and ("entry", target) not in ledger.broken:
            yield Problem(
                "R006",
                msg(N_("unknown entry '{target}'"), target=target),
                ledger.locate(r, "reverses"),
                msg(N_("`reverses:` names the file (without .yaml) of the entry to cancel")),
            )


def reversals_are_not_reversed(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """L005: a reversal cancels another reversal (or itself)."""
    for r in _reversals(ledger):
        if isinstance(ledger.entry.get(r.reverses), Reversal):
            yield Problem(
                "L005",
                msg(
                    N_("'{target}' is itself a reversal, and a reversal cannot be reversed"),
                    target=r.reverses,
                ),
                ledger.locate(r, "reverses"),
                msg(N_("to restore the entry, add it again as a new entry")),
            )


def reversals_lie_beside_their_entry(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """L003: a reversal lies in the folder of another kind than the entry it cancels."""
    for r, target in _cancelled(ledger):
        kind = KIND_OF[type(target)]
        if kind != r.entry_kind:
            yield Problem(
                "L003",
                msg(_WRONG_KIND[r.entry_kind, kind], target=r.reverses),
                ledger.locate(r, "reverses"),
                msg(
                    N_("put the reversal in {folder}, beside the entry it cancels"),
                    folder=f"{BY_NAME[kind].folder}/",
                ),
            )


def entries_are_reversed_once(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """L004: an entry is cancelled by a second reversal (reported on the later one)."""
    first: dict[str, Reversal] = {}
    for r, _target in _cancelled(ledger):
        earlier = first.setdefault(r.reverses, r)
        if earlier is not r:
            yield Problem(
                "L004",
                msg(
                    N_("'{target}' is already reversed by {path}"),
                    target=r.reverses,
                    path=earlier.source.path,
                ),
                ledger.locate(r, "reverses"),
                msg(N_("an entry is reversed once: remove this reversal")),
            )


def reversals_follow_their_entry(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """L010: a reversal is dated before the entry it cancels."""
    for r, target in _cancelled(ledger):
        if r.date < target.date:
            yield Problem(
                "L010",
                msg(
                    N_(
                        "this reversal is dated {date}, before the entry it cancels ({target_date})"
                    ),
                    date=r.date,
                    target_date=target.date,
                ),
                ledger.locate(r, "date"),
                msg(N_("date the reversal on or after the entry")),
            )


FUTURE = N_("dated {date}, after today ({today})")
FUTURE_HINT = N_("record an entry once it has happened; a promise is a pledge")
"""L007's words, which `cofi new` and the report's forms say too."""


def not_in_future(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for e in ledger.entries():
        if e.date > ctx.today:
            yield Problem(
                "L007",
                msg(FUTURE, date=e.date, today=ctx.today),
                ledger.locate(e, "date"),
                msg(FUTURE_HINT),
            )


def programme_dates(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for p in ledger.programmes:
        if p.start > p.end:
            yield Problem(
                "L008",
                msg(
                    N_("the programme starts on {start}, after it ends ({end})"),
                    start=p.start,
                    end=p.end,
                ),
                ledger.locate(p, "end"),
                msg(N_("check the `start:` and `end:` dates")),
            )


def quadratic_caps(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    """Quadratic allocation has no cap per contributor (SPEC §2b): its formula already
    weighs many small contributors above one large one."""
    for p in ledger.programmes:
        if p.allocation == "quadratic" and p.caps.per_contributor is not None:
            yield Problem(
                "L016",
                msg(N_("a quadratic programme cannot have a cap per contributor")),
                ledger.locate(p, "caps", "per_contributor", key=True),
                msg(
                    N_(
                        "remove `per_contributor:` from `caps:`, or choose "
                        "`allocation: pro-rata` or `first-come`"
                    )
                ),
            )


def pledge_dates(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for p in ledger.pledges:
        # A reversed pledge is done with: an entry is never edited, so reporting it would
        # leave a ledger that committed one before this rule existed stuck for good.
        if p.due < p.date and p.id not in ledger.reversal_of:
            yield Problem(
                "L012",
                msg(
                    N_("this pledge is due on {due}, before it was made ({date})"),
                    due=p.due,
                    date=p.date,
                ),
                ledger.locate(p, "due"),
                msg(
                    N_(
                        "fix `date:` (when it was promised) or `due:` (when it is to be paid); "
                        "once committed, reverse the pledge and add a corrected one"
                    )
                ),
            )


def one_currency(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    currency = ledger.settings.currency
    for e in ledger.amounts():
        if e.currency is not None and e.currency != currency:
            yield Problem(
                "L011",
                msg(
                    N_("this entry is in {currency} but the ledger is in {ledger_currency}"),
                    currency=e.currency,
                    ledger_currency=currency,
                ),
                ledger.locate(e, "currency"),
                msg(
                    N_(
                        "a ledger has one currency: convert the amount, "
                        "or remove the `currency:` line"
                    )
                ),
            )
