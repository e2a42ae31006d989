"""Rules on dated entries and programmes: reversals, dates, currency."""

from __future__ import annotations

from collections.abc import Iterator

from cofi.checks.context import Context
from cofi.ledger import Ledger
from cofi.model import Contribution, Disbursement, Pledge, Reversal
from cofi.problems import Problem

_KIND_OF = {Contribution: "contribution", Pledge: "pledge", Disbursement: "disbursement"}


def reversals_are_sound(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    first: dict[str, Reversal] = {}
    for r in sorted(ledger.reversals, key=lambda r: (r.date, r.id)):
        target = ledger.entry.get(r.reverses)
        where = ledger.locate(r, "reverses")
        if target is None and ("entry", r.reverses) in ledger.broken:
            continue
        if target is None:
            yield Problem(
                "R006",
                f"unknown entry '{r.reverses}'",
                where,
                "`reverses:` names the file (without .yaml) of the entry to cancel",
            )
            continue
        if isinstance(target, Reversal):
            yield Problem(
                "L005",
                f"'{r.reverses}' is itself a reversal, and a reversal cannot be reversed",
                where,
                "to restore the entry, add it again as a new entry",
            )
            continue
        kind = _KIND_OF[type(target)]
        if kind != r.entry_kind:
            yield Problem(
                "L003",
                f"this {r.entry_kind} reversal targets '{r.reverses}', which is a {kind}",
                where,
                f"put the reversal in ledger/{kind}s/, beside the entry it cancels",
            )
        earlier = first.setdefault(r.reverses, r)
        if earlier is not r:
            yield Problem(
                "L004",
                f"'{r.reverses}' is already reversed by {earlier.source.path}",
                where,
                "an entry is reversed once: remove this reversal",
            )
        if r.date < target.date:
            yield Problem(
                "L010",
                f"this reversal is dated {r.date}, before the entry it cancels ({target.date})",
                ledger.locate(r, "date"),
                "date the reversal on or after the entry",
            )


def not_in_future(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for e in ledger.entries():
        if e.date > ctx.today:
            yield Problem(
                "L007",
                f"dated {e.date}, after today ({ctx.today})",
                ledger.locate(e, "date"),
                "record an entry once it has happened; a promise is a pledge",
            )


def programme_dates(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    for p in ledger.programmes:
        if p.start > p.end:
            yield Problem(
                "L008",
                f"the programme starts on {p.start}, after it ends ({p.end})",
                ledger.locate(p, "end"),
                "check the `start:` and `end:` dates",
            )


def one_currency(ledger: Ledger, ctx: Context) -> Iterator[Problem]:
    currency = ledger.settings.currency
    for e in ledger.amounts():
        if e.currency is not None and e.currency != currency:
            yield Problem(
                "L011",
                f"this entry is in {e.currency} but the ledger is in {currency}",
                ledger.locate(e, "currency"),
                "a ledger has one currency: convert the amount, or remove the `currency:` line",
            )
