"""`cofi explain`: one contribution's match under each programme, in plain sentences.

Built from the steps the engine kept (matching.Step), so the explanation is
the computation itself, not a second account of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from cofi.ledger import Ledger
from cofi.matching import Match, ProgrammeResult, Step
from cofi.model import Contribution, Programme

BINDING = {
    "ratio": "the ratio alone: no cap and no envelope limit reached it",
    "per_contribution": "the cap per contribution",
    "per_contributor": "the cap per contributor",
    "per_common": "the cap per common",
    "envelope": "the programme's envelope",
    "rounding": "rounding down to the cent",
}


def amount(value: Fraction | Decimal) -> str:
    """An exact value: to the cent when it is whole cents, else 4 decimals and an ellipsis."""
    f = Fraction(value)
    if (f * 100).denominator == 1:
        return f"{Decimal(int(f * 100)).scaleb(-2):,f}"
    return f"{Decimal(math.floor(f * 10000)).scaleb(-4):,f}…"


def _ratio(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(value)


def explain(ledger: Ledger, results: Sequence[ProgrammeResult], c: Contribution) -> list[str]:
    """Sentences, one per line, for contribution `c` under every programme in `results`."""
    who = ledger.contributor[c.contributor].name
    what = ledger.common[c.common].name
    lines = [
        f"{c.id}: {amount(c.amount)} {'in kind' if c.kind == 'in-kind' else 'in money'} "
        f"given by {who} ({c.contributor}) to {what} ({c.common}) on {c.date}."
    ]
    for r in results:
        p = r.programme
        lines.append("")
        lines.append(f"Under {p.id} — {p.name} ({p.allocation}, {p.start} to {p.end}):")
        m = next((m for m in r.matches if m.contribution.id == c.id), None)
        if m is None:
            lines.append(f"  not counted: dated after {r.as_of}, the date of this computation.")
        elif not m.eligible:
            lines.append(f"  not matched: {_refusal(ledger, p, m)}.")
        else:
            lines += [f"  {_step(p, c, s)}" for s in m.steps]
            lines.append(
                f"  Matched: {amount(m.matched)}, limited by {BINDING[m.binding or 'ratio']}."
            )
            if r.provisional:
                lines.append(
                    f"  Provisional: pro-rata shares can still go down until the programme "
                    f"ends on {p.end}."
                )
    return lines


def _refusal(ledger: Ledger, p: Programme, m: Match) -> str:
    c = m.contribution
    reason = m.reason
    if reason == "before-start":
        return f"dated {c.date}, before the programme starts on {p.start}"
    if reason == "after-end":
        return f"dated {c.date}, after the programme ended on {p.end}"
    if reason == "reversed":
        rev = ledger.reversal_of[c.id]
        return f"reversed by {rev.id} on {rev.date}"
    if reason == "contributor-kind":
        kind = ledger.contributor[c.contributor].kind
        kinds = ", ".join(p.eligible.kinds)
        return f"{c.contributor} is of kind {kind}; the programme matches {kinds}"
    if reason == "common":
        return f"the programme matches only {', '.join(p.eligible.commons)}"
    if reason == "funder":
        return f"given by {p.funder}, the programme's own funder"
    if reason == "steward":
        return f"{c.contributor} is a steward of {c.common}, and the programme excludes stewards"
    if reason == "min-amount":
        minimum = amount(p.eligible.min_amount)
        return f"{amount(c.amount)} is below the programme's minimum of {minimum}"
    return "in-kind contributions are not matched by this programme (in_kind_ratio is 0)"


def _step(p: Programme, c: Contribution, s: Step) -> str:
    to = amount(s.after)
    if s.rule == "base":
        which = "ratio" if c.kind == "money" else "in-kind ratio"
        return f"{amount(s.before)} × {which} {_ratio(s.limit or Fraction(0))} = {to}"
    if s.rule == "per_contribution":
        return f"capped at {to} per contribution"
    if s.rule == "rounding":
        return f"rounded down to the cent: {to}"
    limit = s.limit or Fraction(0)
    whose = {
        "per_contributor": f"{c.contributor}'s cap",
        "per_common": f"{c.common}'s cap",
        "envelope": "the envelope",
    }[s.rule]
    if s.total is None:  # first-come: what was left
        bound = {
            "per_contributor": p.caps.per_contributor,
            "per_common": p.caps.per_common,
            "envelope": p.envelope,
        }[s.rule]
        full = amount(bound if bound is not None else Decimal(0))
        return f"only {amount(limit)} was left of {whose} of {full}: {to}"
    group = {
        "per_contributor": f"{c.contributor}'s eligible matches",
        "per_common": f"the eligible matches of {c.common}",
        "envelope": "all eligible matches",
    }[s.rule]
    return (
        f"{group} total {amount(s.total)}, over {whose} of {amount(limit)}: "
        f"scaled by {amount(limit)}/{amount(s.total)} = {to}"
    )
