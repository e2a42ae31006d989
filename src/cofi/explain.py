"""`cofi explain`: one contribution's match under each programme, in plain sentences.

Built from the steps the engine kept (matching.Step), so the explanation is
the computation itself, not a second account of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cofi import fmt
from cofi.i18n import N_, _
from cofi.ledger import Ledger
from cofi.matching import Match, ProgrammeResult, Step, Target, need_ceiling
from cofi.model import Contribution, Disbursement, Entry, Pledge, Programme, Receipt
from cofi.quadratic import Quadratic
from cofi.table import word

BINDING = {
    "ratio": N_("the ratio alone: no cap and no envelope limit reached it"),
    "per_contribution": N_("the cap per contribution"),
    "per_contributor": N_("the cap per contributor"),
    "per_common": N_("the cap per common"),
    "per_need_share": N_("the ceiling on its need (caps.per_need_share)"),
    "envelope": N_("the programme's envelope"),
    "quadratic": N_("the quadratic formula alone: no cap and no envelope limit reached it"),
    "rounding": N_("rounding down to the cent"),
}
# First-come: what was left of a cap or of the envelope when the contribution came.
_LEFT = {
    "per_contributor": N_("only {left} was left of {contributor}'s cap of {cap}: {to}"),
    "per_common": N_("only {left} was left of {common}'s cap of {cap}: {to}"),
    "per_need_share": N_(
        "only {left} was left of the ceiling on need {need}, {share} × {amount} = {cap}: {to}"
    ),
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
    "per_need_share": N_(
        "the matches on need {need} total {total}, over its ceiling of {share} × {amount} = "
        "{cap}: scaled by {cap}/{total} = {to}"
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
    lines = [lead(ledger, c)]
    for r in results:
        lines += ["", *_under(ledger, r, c)]
    return lines


def lead(ledger: Ledger, c: Contribution) -> str:
    """The sentence an explanation starts with: what was given, by whom, to what, when
    (amounts formatted as the caller's fmt.amounts_in says)."""
    given = (
        _("{id}: {amount} in kind given by {who} to {what} on {date}.")
        if c.kind == "in-kind"
        else _("{id}: {amount} in money given by {who} to {what} on {date}.")
    )
    return given.format(
        id=c.id,
        amount=fmt.exact(c.amount),
        who=fmt.labelled(ledger.contributor[c.contributor].name, c.contributor),
        what=fmt.labelled(ledger.common[c.common].name, c.common),
        date=fmt.day(c.date),
    )


@dataclass(frozen=True)
class Parts:
    """One programme's explanation: its heading, the steps of the computation, the result
    (what is matched, or why nothing is) and notes (provisional, conditional)."""

    heading: str
    steps: list[str]
    result: list[str]
    notes: list[str]


def _under(ledger: Ledger, r: ProgrammeResult, c: Contribution) -> list[str]:
    x = parts(ledger, r, c)
    return [x.heading, *(f"  {line}" for line in (*x.steps, *x.result, *x.notes))]


def parts(ledger: Ledger, r: ProgrammeResult, c: Contribution) -> Parts:
    """How `c` fared under `r`'s programme, in sentences (amounts formatted as the caller's
    fmt.amounts_in says)."""
    m = next((m for m in r.matches if m.contribution.id == c.id), None)
    return Parts(heading(r.programme), *sentences(ledger, r, c, m))


Sentences = tuple[list[str], list[str], list[str]]
"""A programme's explanation without its heading: steps, result, notes."""


def sentences(
    ledger: Ledger,
    r: ProgrammeResult,
    c: Contribution,
    m: Match | None,
    kept: dict[tuple[object, ...], Sentences] | None = None,
) -> Sentences:
    """`parts` without the heading (the same for every contribution of a programme), `m`
    being `c`'s match in `r`, if any.

    `kept`, given, holds the refusals already said under `r`'s results, by what they
    depend on, and the same lists are returned again (not to be changed): a national
    ledger refuses hundreds of thousands of contributions in a few hundred ways."""
    p = r.programme
    if m is None or not m.computed:
        key = _refused_for(r, c, m)
        said = kept.get(key) if kept is not None and key is not None else None
        if said is None:
            said = [], [_refused(ledger, r, m)], []
            if kept is not None and key is not None:
                kept[key] = said
        return said
    steps = [_confirmation(ledger, r, c)] if p.requires_receipt else []
    for s in m.steps:
        if s.rule == "target-missed":  # said below, with the target
            continue
        if s.rule == "quadratic" and m.quadratic is not None:
            steps += _quadratic(m.quadratic, m)
        steps.append(_step(ledger, p, c, s))
    target = r.targets.get((c.common, c.need)) if c.need else None
    if target is not None:
        steps.append(_target(ledger, target))
    if not m.eligible:
        text = _(
            "Matched: {zero}: the need {need} was not reached by the programme's end on {end}; "
            "the {would} this contribution would have had stays in the envelope."
        )
        would = fmt.exact(m.steps[-1].before)
        zero = fmt.money(Decimal(0))
        result = text.format(zero=zero, need=c.need, end=fmt.day(p.end), would=would)
        return steps, [result], []
    binding = _(BINDING[m.binding or "ratio"])
    text = _("Matched: {matched}, limited by {binding}.")
    result = text.format(matched=fmt.exact(m.matched), binding=binding)
    notes = []
    if r.conditional(m):
        notes.append(_provisional(r, target is not None).format(end=fmt.day(p.end)))
    return steps, [result], notes


def heading(p: Programme) -> str:
    """The line that heads a programme's explanation."""
    # TRANSLATORS: {name} is the programme's name, which may end in parentheses of its own.
    return _("Under {id} — {name} · {allocation}, {start} to {end}:").format(
        id=p.id, name=p.name, allocation=word(p.allocation), start=fmt.day(p.start),
        end=fmt.day(p.end),
    )  # fmt: skip


def _provisional(r: ProgrammeResult, targeted: bool) -> str:
    if targeted:
        return _(
            "Conditional: paid only if the need is reached by the programme's end on {end} "
            "(all or nothing); until then the figure can still change."
        )
    if r.programme.allocation == "quadratic":
        return _(
            "Provisional: quadratic shares can still change until the programme ends on {end}."
        )
    return _("Provisional: pro-rata shares can still go down until the programme ends on {end}.")


def _target(ledger: Ledger, t: Target) -> str:
    """An all-or-nothing need: its target, what was reached, and by whom."""
    givers = ", ".join(f"{who} {fmt.exact(amount)}" for who, amount in t.givers) or "—"
    text = (
        _(
            "need {need}: target {amount}; given {given} ({givers}) + matched by this "
            "programme {matched} = {reached}: reached"
        )
        if t.reached
        else _(
            "need {need}: target {amount}; given {given} ({givers}) + matched by this "
            "programme {matched} = {reached}: not reached"
        )
    )
    return text.format(
        need=t.need,
        amount=fmt.exact(t.amount),
        given=fmt.exact(t.given),
        givers=givers,
        matched=fmt.exact(t.matched),
        reached=fmt.exact(t.given + t.matched),
    )


def _cents(value: int) -> str:
    return fmt.exact(Decimal(value).scaleb(-2))


def _share(value: Fraction) -> str:
    """A share like 1/2 exactly, or, when its terms are long, 0.333333… (floored)."""
    if value.denominator < 10**6:
        return str(value.numerator) if value.denominator == 1 else str(value)
    return fmt.number(Decimal(math.floor(value * 10**6)).scaleb(-6)) + "…"


def _quadratic(q: Quadratic, m: Match) -> list[str]:
    """The quadratic formula on the contribution's common, its rounds of the cap, and the
    contribution's share."""
    c = m.contribution
    key = (id(q), c.contributor, m.unit, *fmt.context())
    held = _OF_CONTRIBUTOR.get(key)
    if held is None:
        if len(_OF_CONTRIBUTOR) >= 50_000:  # not kept from one ledger to the next
            _OF_CONTRIBUTOR.clear()
        held = _OF_CONTRIBUTOR[key] = (q, *_quadratic_of(q, c.common, c.contributor, m.unit))
    lines, last, values = held[1:]
    return [*lines, last.format(**values, base=fmt.exact(Fraction(m.capped, m.unit)))]


_OF_CONTRIBUTOR: dict[tuple[object, ...], tuple[Quadratic, list[str], str, dict[str, str]]] = {}
"""What `_quadratic` says of a contributor on a common (the same for each of its
contributions): held with its Quadratic, so that the id in the key stays its own."""


def _quadratic_of(
    q: Quadratic, common: str, j: str, unit: int
) -> tuple[list[str], str, dict[str, str]]:
    """`_quadratic`'s lines for contributor `j` on `common`, and its last line's text with
    what fills it but the contribution's own base."""
    run = q.run
    lines = [
        _(
            "quadratic funding on {common}: {contributor}'s bases on it total {a} "
            "(a = {cents} cents, r = isqrt(a × 10^8) = {root}); over its {n} contributors "
            "S = Σ r = {total} and Σ r² = {squares}, so its raw figure is "
            "floor((S² − Σ r²) / 10^8) = {raw}"
        ).format(
            common=common,
            contributor=j,
            a=_cents(q.cents[j]),
            cents=q.cents[j],
            root=q.roots[j],
            n=len(q.roots),
            total=q.total,
            squares=q.squares,
            raw=_cents(q.raw),
        )
    ]
    if run.scaled:
        text = _(
            "the raw figures of all commons total {total}, over the envelope of {envelope}: "
            "{common} gets floor({envelope} × {raw} / {total}) = {scaled}"
        )
    else:
        text = _(
            "the raw figures of all commons total {total}, within the envelope of {envelope}: "
            "{common} keeps {scaled}"
        )
    lines.append(
        text.format(
            total=_cents(run.raw_total),
            envelope=_cents(run.envelope),
            common=common,
            raw=_cents(q.raw),
            scaled=_cents(q.scaled),
        )
    )
    for i, rnd in enumerate(run.rounds, start=1):
        cap = _cents(run.cap or 0)
        if common in rnd.capped:
            text = _(
                "round {n} of the cap per common of {cap}: {common} goes from {before} down "
                "to {cap}; the commons above the cap give up {excess} in all"
            )
            before = rnd.capped[common]
            lines.append(
                text.format(
                    n=i, cap=cap, common=common, before=_cents(before),
                    excess=_cents(rnd.excess),
                )
            )  # fmt: skip
        elif common in rnd.below:
            before, got = rnd.below[common], rnd.given.get(common, 0)
            text = _(
                "round {n} of the cap per common of {cap}: of the {excess} given up, {common} "
                "receives floor({excess} × {before} / {pool}) = {got}: {before} → {after}"
            )
            lines.append(
                text.format(
                    n=i, cap=cap, excess=_cents(rnd.excess), common=common,
                    before=_cents(before), pool=_cents(sum(rnd.below.values())),
                    got=_cents(got), after=_cents(before + got),
                )
            )  # fmt: skip
    text = _(
        "{common}'s match is {final}; {contributor}'s part of it is r (S − r) / (S² − Σ r²) "
        "= {part}, and this contribution's base is {base} of {contributor}'s {bases} on it"
    )
    values = {
        "common": common,
        "final": _cents(q.final),
        "contributor": j,
        "part": _share(q.part(j)),
        "bases": fmt.exact(Fraction(q.bases[j], unit)),
    }
    return lines, text, values


def _refused(ledger: Ledger, r: ProgrammeResult, m: Match | None) -> str:
    """Why a contribution is not counted (`m` None: dated after as_of) or not matched."""
    if m is None:
        text = _("not counted: dated after {as_of}, the date of this computation.")
        return text.format(as_of=fmt.day(r.as_of))
    return _("not matched: {why}.").format(why=_refusal(ledger, r, m))


def _refused_for(r: ProgrammeResult, c: Contribution, m: Match | None) -> tuple[object, ...] | None:
    """What `_refused` says of `c` depends on, with the language and currency; None when
    it is the contribution's own (a reversal, a receipt)."""
    reason = m.reason if m is not None else None
    if reason in ("reversed", "awaiting-receipt"):
        return None
    depends: object = None
    if reason in ("before-start", "after-end"):
        depends = c.date
    elif reason == "contributor-kind":
        depends = c.contributor
    elif reason == "steward":
        depends = (c.contributor, c.common)
    elif reason == "min-amount":
        depends = c.amount
    return (r.programme.id, r.as_of, reason, depends, *fmt.context())


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
        kinds = ", ".join(map(word, p.eligible.kinds))
        return text.format(contributor=c.contributor, kind=word(kind), kinds=kinds)
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


def _confirmation(ledger: Ledger, r: ProgrammeResult, c: Contribution) -> str:
    """How an eligible contribution was confirmed, and where that put it in the queue."""
    receipt = ledger.confirming(c.id, r.as_of, r.programme.end)
    assert receipt is not None, "matched under requires_receipt, so confirmed"
    day = receipt.date
    text = _("confirmed by receipt {id} on {date}; the programme counts it from {served}")
    return text.format(id=receipt.id, date=fmt.day(day), served=fmt.day(max(day, c.date)))


def _awaiting(ledger: Ledger, r: ProgrammeResult, c: Contribution) -> str:
    """Why a contribution awaits its receipt, and who may give it."""
    p, as_of = r.programme, r.as_of
    stewards = ledger.common[c.common].stewards
    late = [
        x
        for x in ledger.receipts_of.get(c.id, ())
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


def _step(ledger: Ledger, p: Programme, c: Contribution, s: Step) -> str:
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
    if s.rule == "quadratic":
        return _("this contribution's share of its common's quadratic match: {to}").format(to=to)
    limit = s.limit or Fraction(0)
    names = {"contributor": c.contributor, "common": c.common, "to": to}
    ceiling = None
    if s.rule == "per_need_share":
        share = p.caps.per_need_share or Decimal(0)
        amount = next(n.amount for n in ledger.common[c.common].needs if n.id == c.need)
        ceiling = need_ceiling(share, amount)
        names |= {"need": c.need or "", "share": fmt.number(share), "amount": fmt.exact(amount)}
    if s.total is None:  # first-come: what was left
        bound = {
            "per_contributor": p.caps.per_contributor,
            "per_common": p.caps.per_common,
            "per_need_share": ceiling,
            "envelope": p.envelope,
        }[s.rule]
        cap = fmt.exact(bound if bound is not None else Decimal(0))
        return _(_LEFT[s.rule]).format(left=fmt.exact(limit), cap=cap, **names)
    return _(_SCALED[s.rule]).format(total=fmt.exact(s.total), cap=fmt.exact(limit), **names)
