"""`cofi explain`: one contribution's match under each programme, in plain sentences.

Built from the steps the engine kept (matching.Step), so the explanation is
the computation itself, not a second account of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from cofi import fmt
from cofi.i18n import N_, _
from cofi.ledger import Ledger
from cofi.matching import Match, ProgrammeResult, Step
from cofi.model import Contribution, Disbursement, Entry, Pledge, Programme, Receipt

BINDING = {
    "ratio": N_("the ratio alone: no cap and no envelope limit reached it"),
    "per_contribution": N_("the cap per contribution"),
    "per_contributor": N_("the cap per contributor"),
    "per_common": N_("the cap per common"),
    "envelope": N_("the programme's envelope"),
    "rounding": N_("rounding down to the cent"),
}
# First-come: what was left of a cap or of the envelope when the contribution came.
_LEFT = {
    "per_contributor": N_("only {left} was left of {contributor}'s cap of {cap}: {to}"),
    "per_common": N_("only {left} was left of {common}'s cap of {cap}: {to}"),
    "envelope": N_("only {left} was left of the envelope of {cap}: {to}"),
}
# Pro-rata: the group's total exceeded its bound, and everyone in it was scaled.
_SCALED = {
    "per_contributor": N_(
        "{contributor}'s eligible matches total {total}, over {contributor}'s cap of {cap}: "
        "scaled by {cap}/{total} = {to}"
    ),
    "per_common": N_(
        "the eligible matches of {common} total {total}, over {common}'s cap of {cap}: "
        "scaled by {cap}/{total} = {to}"
    ),
    "envelope": N_(
        "all eligible matches total {total}, over the envelope of {cap}: "
        "scaled by {cap}/{total} = {to}"
    ),
}


def _ratio(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(value)


def explain(ledger: Ledger, results: Sequence[ProgrammeResult], c: Contribution) -> list[str]:
    """Sentences, one per line, for contribution `c` under every programme in `results`,
    amounts in the ledger's currency."""
    with fmt.amounts_in(ledger.settings.currency):
        return _explain(ledger, results, c)


def not_a_contribution(entry: Entry) -> str:
    """Why `entry`, a pledge, disbursement or reversal, has no explanation."""
    if isinstance(entry, Pledge):
        text = _(
            "'{id}' is a pledge, not a contribution: cofi explain takes a contribution's id "
            "(cofi obligations shows what a pledge still owes)"
        )
    elif isinstance(entry, Disbursement):
        text = _(
            "'{id}' is a disbursement, not a contribution: cofi explain takes a contribution's id"
        )
    elif isinstance(entry, Receipt):
        text = _(
            "'{id}' is a receipt, not a contribution: cofi explain takes a contribution's id "
            "(here, {contribution})"
        )
        return text.format(id=entry.id, contribution=entry.contribution)
    else:
        text = _("'{id}' is a reversal, not a contribution: cofi explain takes a contribution's id")
    return text.format(id=entry.id)


def _explain(ledger: Ledger, results: Sequence[ProgrammeResult], c: Contribution) -> list[str]:
    given = (
        _("{id}: {amount} in kind given by {who} ({contributor}) to {what} ({common}) on {date}.")
        if c.kind == "in-kind"
        else _(
            "{id}: {amount} in money given by {who} ({contributor}) to {what} ({common}) on {date}."
        )
    )
    lines = [
        given.format(
            id=c.id,
            amount=fmt.exact(c.amount),
            who=ledger.contributor[c.contributor].name,
            contributor=c.contributor,
            what=ledger.common[c.common].name,
            common=c.common,
            date=fmt.day(c.date),
        )
    ]
    for r in results:
        lines += ["", *_under(ledger, r, c)]
    return lines


def _under(ledger: Ledger, r: ProgrammeResult, c: Contribution) -> list[str]:
    p = r.programme
    lines = [
        _("Under {id} — {name} ({allocation}, {start} to {end}):").format(
            id=p.id, name=p.name, allocation=p.allocation, start=fmt.day(p.start),
            end=fmt.day(p.end),
        )
    ]  # fmt: skip
    m = next((m for m in r.matches if m.contribution.id == c.id), None)
    if m is None:
        text = _("not counted: dated after {as_of}, the date of this computation.")
        return [*lines, "  " + text.format(as_of=fmt.day(r.as_of))]
    if not m.eligible:
        why = _refusal(ledger, r, m)
        return [*lines, "  " + _("not matched: {why}.").format(why=why)]
    if p.requires_receipt:
        lines.append("  " + _confirmation(ledger, r, c))
    lines += [f"  {_step(p, c, s)}" for s in m.steps]
    binding = _(BINDING[m.binding or "ratio"])
    lines.append(
        "  "
        + _("Matched: {matched}, limited by {binding}.").format(
            matched=fmt.exact(m.matched), binding=binding
        )
    )
    if r.provisional:
        text = _(
            "Provisional: pro-rata shares can still go down until the programme ends on {end}."
        )
        lines.append("  " + text.format(end=fmt.day(p.end)))
    return lines


def _refusal(ledger: Ledger, r: ProgrammeResult, m: Match) -> str:
    p, c = r.programme, m.contribution
    reason = m.reason
    if reason == "before-start":
        text = _("dated {date}, before the programme starts on {start}")
        return text.format(date=fmt.day(c.date), start=fmt.day(p.start))
    if reason == "after-end":
        text = _("dated {date}, after the programme ended on {end}")
        return text.format(date=fmt.day(c.date), end=fmt.day(p.end))
    if reason == "reversed":
        rev = ledger.reversal_of[c.id]
        return _("reversed by {id} on {date}").format(id=rev.id, date=fmt.day(rev.date))
    if reason == "contributor-kind":
        kind = ledger.contributor[c.contributor].kind
        text = _("{contributor} is of kind {kind}; the programme matches {kinds}")
        return text.format(contributor=c.contributor, kind=kind, kinds=", ".join(p.eligible.kinds))
    if reason == "common":
        text = _("the programme matches only {commons}")
        return text.format(commons=", ".join(p.eligible.commons))
    if reason == "funder":
        return _("given by {funder}, the programme's own funder").format(funder=p.funder)
    if reason == "steward":
        text = _("{contributor} is a steward of {common}, and the programme excludes stewards")
        return text.format(contributor=c.contributor, common=c.common)
    if reason == "min-amount":
        text = _("{amount} is below the programme's minimum of {minimum}")
        return text.format(amount=fmt.exact(c.amount), minimum=fmt.exact(p.eligible.min_amount))
    if reason == "awaiting-receipt":
        return _awaiting(ledger, r, c)
    return _("in-kind contributions are not matched by this programme (in_kind_ratio is 0)")


def _receipts(ledger: Ledger, c: Contribution) -> list[Receipt]:
    return sorted((r for r in ledger.receipts if r.contribution == c.id), key=lambda r: r.date)


def _confirmation(ledger: Ledger, r: ProgrammeResult, c: Contribution) -> str:
    """How an eligible contribution was confirmed, and where that put it in the queue."""
    day = ledger.confirmed(r.as_of, r.programme.end)[c.id]
    receipt = next(x for x in _receipts(ledger, c) if x.date == day)
    text = _("confirmed by receipt {id} on {date}; the programme counts it from {served}")
    return text.format(id=receipt.id, date=fmt.day(day), served=fmt.day(max(day, c.date)))


def _awaiting(ledger: Ledger, r: ProgrammeResult, c: Contribution) -> str:
    """Why a contribution awaits its receipt, and who may give it."""
    p, as_of = r.programme, r.as_of
    stewards = ledger.common[c.common].stewards
    late = [
        x
        for x in _receipts(ledger, c)
        if p.end < x.date <= as_of and not ledger.is_reversed(x.id, as_of)
    ]
    if late:
        text = _(
            "confirmed by receipt {id} on {date}, after the programme ended on {end}; "
            "the programme requires a receipt dated by its end"
        )
        return text.format(id=late[0].id, date=fmt.day(late[0].date), end=fmt.day(p.end))
    if stewards:
        text = _(
            "awaiting a receipt: the programme matches it once a steward of {common} ({stewards}) "
            "or a coordinator confirms it, by {end} (cofi new receipt {id})"
        )
    else:
        text = _(
            "awaiting a receipt: the programme matches it once a coordinator confirms it "
            "({common} has no steward), by {end} (cofi new receipt {id})"
        )
    return text.format(common=c.common, stewards=", ".join(stewards), end=fmt.day(p.end), id=c.id)


def _step(p: Programme, c: Contribution, s: Step) -> str:
    to = fmt.exact(s.after)
    if s.rule == "base":
        text = (
            _("{amount} × ratio {ratio} = {to}")
            if c.kind == "money"
            else _("{amount} × in-kind ratio {ratio} = {to}")
        )
        return text.format(amount=fmt.exact(s.before), ratio=_ratio(s.limit or Fraction(0)), to=to)
    if s.rule == "per_contribution":
        return _("capped at {to} per contribution").format(to=to)
    if s.rule == "rounding":
        return _("rounded down to the cent: {to}").format(to=to)
    limit = s.limit or Fraction(0)
    names = {"contributor": c.contributor, "common": c.common, "to": to}
    if s.total is None:  # first-come: what was left
        bound = {
            "per_contributor": p.caps.per_contributor,
            "per_common": p.caps.per_common,
            "envelope": p.envelope,
        }[s.rule]
        cap = fmt.exact(bound if bound is not None else Decimal(0))
        return _(_LEFT[s.rule]).format(left=fmt.exact(limit), cap=cap, **names)
    return _(_SCALED[s.rule]).format(total=fmt.exact(s.total), cap=fmt.exact(limit), **names)
