"""Results -> neutral tables (columns + rows), the one source of every output format.

A table's column keys are the CSV header and the JSON keys: a stable contract.
Cells hold typed values (Decimal, date, bool, str, int, None); formatting
belongs to render.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cofi import fmt
from cofi.i18n import N_, _, ngettext
from cofi.ledger import Ledger
from cofi.matching import ProgrammeResult, floor_cent, floor_units
from cofi.obligations import ZERO, HonourRate, Obligation
from cofi.table import Cell, Column, Table


def total(rows: Iterable[Mapping[str, Cell]], key: str) -> Decimal:
    """The sum of the amounts in column `key` (other cells are skipped)."""
    out = ZERO
    for r in rows:
        value = r.get(key)
        if isinstance(value, Decimal):
            out += value
    return out


def _totals(
    rows: Sequence[dict[str, Cell]], keys: Iterable[str], label: tuple[str, str]
) -> dict[str, Cell]:
    totals: dict[str, Cell] = {label[0]: label[1]}
    for k in keys:
        totals[k] = total(rows, k)
    return totals


MATCH_COLUMNS = (
    Column("programme", N_("Programme")),
    Column("common", N_("Common")),
    Column("debtor", N_("Funder"), drop=3),
    Column("contributed", N_("Contributed (eligible)"), "money", drop=4),
    Column("matched", N_("Matched"), "money"),
    Column("paid", N_("Paid"), "money", drop=1),
    Column("unmet", N_("Unmet"), "money"),
    Column("due", N_("Due"), "date", drop=2),
    Column("overdue", N_("Overdue"), "bool", drop=5),
    Column("provisional", N_("Provisional"), "bool", drop=6),
)


def match_table(results: Sequence[ProgrammeResult], rows: Sequence[Obligation]) -> Table:
    """`cofi match`: one row per (programme, common)."""
    data: list[dict[str, Cell]] = [
        {
            "programme": o.id,
            "common": o.common,
            "debtor": o.debtor,
            "contributed": o.contributed,
            "matched": o.owed,
            "paid": o.paid,
            "unmet": o.unmet,
            "due": o.due,
            "overdue": o.overdue,
            "provisional": o.provisional,
        }
        for o in rows
    ]
    # One contribution counts once per programme that matches it: a grand total
    # of `contributed` across programmes would count the same euros twice.
    summed = (
        ("matched", "paid", "unmet")
        if len(results) > 1
        else ("contributed", "matched", "paid", "unmet")
    )
    totals = _totals(data, summed, ("programme", _("Total")))
    return Table(
        _("Matched public share by programme and common"),
        MATCH_COLUMNS,
        data,
        totals,
        programme_notes(results),
    )


def programme_notes(results: Sequence[ProgrammeResult]) -> list[str]:
    notes = []
    for r in results:
        p = r.programme
        notes.append(
            _("{programme}: envelope {envelope}, allocated {allocated}, unallocated {left}").format(
                programme=p.id,
                envelope=fmt.money(p.envelope),
                allocated=fmt.money(r.allocated),
                left=fmt.money(r.unallocated),
            )
        )
        if r.provisional:
            notes.append(_provisional_note(r).format(programme=p.id, end=fmt.day(p.end)))
        if missed := missed_note(r):
            notes.append(missed)
    return notes


def missed_note(r: ProgrammeResult) -> str | None:
    """What the needs not reached leave unallocated (all_or_nothing), or None."""
    missed = r.missed
    if not missed:
        return None
    lost = sum((floor_cent(m.steps[-1].before) for m in missed), ZERO)
    text = ngettext(
        "{programme}: {n} contribution names a need not reached by the programme's end "
        "(target-missed): the {amount} it would have had stays unallocated",
        "{programme}: {n} contributions name needs not reached by the programme's end "
        "(target-missed): the {amount} they would have had stays unallocated",
        len(missed),
    )
    return text.format(programme=r.programme.id, n=len(missed), amount=fmt.money(lost))


def _provisional_note(r: ProgrammeResult) -> str:
    if r.programme.allocation == "pro-rata":
        return _(
            "{programme}: provisional — pro-rata until the programme ends on {end}; "
            "later contributions can lower these figures"
        )
    if r.programme.allocation == "quadratic":
        return _(
            "{programme}: provisional — quadratic until the programme ends on {end}; "
            "later contributions can change these figures"
        )
    return _(
        "{programme}: conditional — the matches on needs are paid only if each need is "
        "reached by the programme's end on {end} (all or nothing)"
    )


PROGRAMME_COLUMNS = (
    Column("programme", N_("Programme")),
    Column("funder", N_("Funder"), drop=4),
    Column("allocation", N_("Allocation"), "code", drop=5),
    Column("envelope", N_("Envelope"), "money", drop=1),
    Column("allocated", N_("Allocated"), "money"),
    Column("unallocated", N_("Unallocated"), "money", drop=3),
    Column("paid", N_("Paid"), "money", drop=2),
    Column("unmet", N_("Unmet"), "money"),
    Column("provisional", N_("Provisional"), "bool", drop=6),
)


def programmes_table(results: Sequence[ProgrammeResult], match: Table) -> Table:
    """One row per programme: its envelope, allocated and unallocated (as in `cofi match`'s
    notes), paid and unmet (the sums of its rows in the match table)."""
    rows: list[dict[str, Cell]] = []
    for r in results:
        p = r.programme
        mine = [row for row in match.rows if row["programme"] == p.id]
        rows.append(
            {
                "programme": p.id,
                "funder": p.funder,
                "allocation": p.allocation,
                "envelope": p.envelope,
                "allocated": r.allocated,
                "unallocated": r.unallocated,
                "paid": total(mine, "paid"),
                "unmet": total(mine, "unmet"),
                "provisional": r.provisional,
            }
        )
    summed = ("envelope", "allocated", "unallocated", "paid", "unmet")
    return Table(
        _("Envelope of each programme"),
        PROGRAMME_COLUMNS,
        rows,
        _totals(rows, summed, ("programme", _("Total"))),
    )


CONTRIBUTION_COLUMNS = (
    Column("programme", N_("Programme")),
    Column("contribution", N_("Contribution")),
    Column("date", N_("Date"), "date", drop=5),
    Column("contributor", N_("Contributor"), drop=3),
    Column("common", N_("Common"), drop=4),
    Column("kind", N_("Kind"), "code", drop=6),
    Column("amount", N_("Amount"), "money"),
    Column("base", N_("Base"), "money", drop=8),
    Column("matched", N_("Matched"), "money"),
    Column("binding", N_("Binding"), "code", drop=7),
    Column("eligible", N_("Eligible"), "bool", drop=2),
    Column("reason", N_("Reason"), "code", drop=1),
    Column("provisional", N_("Provisional"), "bool", drop=9),
)


def contributions_table(results: Sequence[ProgrammeResult], *, all: bool = False) -> Table:
    """`cofi match --by contribution`: eligible contributions (all of them with `all`)."""
    return _contributions(results, [_contribution_rows(r, all) for r in results], all)


def contributions_tables(
    results: Sequence[ProgrammeResult], notes: Sequence[list[str]] | None = None
) -> tuple[list[Table], Table]:
    """`contributions_table` of each programme alone, and of them all with `all`: the
    report's tables of a month, whose rows are built once.

    `notes`, for results narrowed to some contributions (a month's), are each programme's
    notes as its whole result gives them (`programme_notes`): a note says what the
    programme allocated in all, not what these contributions had."""
    rows = [_contribution_rows(r, True) for r in results]
    own_notes = [programme_notes([r]) for r in results] if notes is None else notes
    each = [
        _contributions([r], [own], False, own_notes[i])
        for i, (r, own) in enumerate(zip(results, rows, strict=True))
    ]
    return each, _contributions(results, rows, True, [n for ns in own_notes for n in ns])


def _contribution_rows(r: ProgrammeResult, all: bool) -> list[dict[str, Cell]]:
    programme = r.programme.id
    return [
        _ContributionRow(
            programme,
            (c := m.contribution).id,
            c.date,
            c.contributor,
            c.common,
            c.kind,
            c.amount,
            floor_units(m.capped, m.unit),
            m.matched,
            m.binding or "",
            m.eligible,
            m.reason or "",
            r.conditional(m),
        ).__dict__
        for m in r.matches
        if all or m.eligible
    ]


@dataclass
class _ContributionRow:
    """A row of `contributions_table`, made as an object's attributes for its `__dict__`:
    the rows of a table then share their keys (CPython's key-sharing dictionaries, PEP 412),
    200 bytes a row instead of 470. At national scale `--all` is 400,000 rows: 110 MB less.
    The row is a plain dict all the same, read and compared as any other. Its fields are
    in the order of CONTRIBUTION_COLUMNS, which is the dict's."""

    programme: str
    contribution: str
    date: date
    contributor: str
    common: str
    kind: str
    amount: Decimal
    base: Decimal
    matched: Decimal
    binding: str
    eligible: bool
    reason: str
    provisional: bool


def _contributions(
    results: Sequence[ProgrammeResult],
    rows: Sequence[list[dict[str, Cell]]],
    all: bool,
    notes: list[str] | None = None,
) -> Table:
    data = [d for own in rows for d in own if all or d["eligible"]]
    summed = ("base", "matched") if len(results) > 1 else ("amount", "base", "matched")
    # With `all`, the rows not matched (reversed, ineligible) are shown but not summed: the
    # totals count the eligible contributions, as their label says.
    label = _("Total (eligible)") if all else _("Total")
    totals = _totals([d for d in data if d["eligible"]], summed, ("programme", label))
    return Table(
        _("Matched public share by contribution"),
        CONTRIBUTION_COLUMNS,
        data,
        totals,
        programme_notes(results) if notes is None else notes,
    )


OBLIGATION_COLUMNS = (
    Column("type", N_("Type"), "code"),
    Column("id", N_("Programme, pledge or contribution")),
    Column("debtor", N_("Debtor"), drop=1),
    Column("common", N_("Common"), drop=3),
    Column("owed", N_("Owed"), "money", drop=2),
    Column("paid", N_("Paid"), "money", drop=5),
    Column("unmet", N_("Unmet"), "money"),
    Column("due", N_("Due"), "date"),
    Column("overdue", N_("Overdue"), "bool", drop=6),
    Column("days_overdue", N_("Days overdue"), "int", drop=4),
    Column("provisional", N_("Provisional"), "bool", drop=7),
    Column("age", N_("Age (days)"), "int", drop=8),
)


def obligations_table(rows: Sequence[Obligation], *, all: bool = False) -> Table:
    """`cofi obligations`: unmet (and overpaid) debts, overdue first; settled ones with `all`."""
    data: list[dict[str, Cell]] = [
        {
            "type": o.kind,
            "id": o.id,
            "debtor": o.debtor,
            "common": o.common,
            "owed": o.owed,
            "paid": o.paid,
            "unmet": o.unmet,
            "due": o.due,
            "overdue": o.overdue,
            "days_overdue": o.days_overdue,
            "provisional": o.provisional,
            "age": o.age,
        }
        for o in rows
        if all or o.unmet != 0
    ]
    # A receipt awaited is a confirmation owed, not money: the totals leave it out.
    money = [r for r in data if r["type"] != "receipt"]
    totals = _totals(money, ("owed", "paid", "unmet"), ("type", _("Total")))
    overdue = sum(bool(r["overdue"]) for r in data)
    notes = [ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue)] if data else []
    if waiting := len(data) - len(money):
        text = ngettext(
            "{n} contribution awaits its receipt (type receipt): its amount is what the "
            "steward is to confirm, not money owed, and is left out of the totals",
            "{n} contributions await their receipt (type receipt): their amounts are what the "
            "stewards are to confirm, not money owed, and are left out of the totals",
            waiting,
        )
        notes.append(text.format(n=waiting))
    for r in data:
        if r["type"] != "receipt" and isinstance(r["unmet"], Decimal) and r["unmet"] < 0:
            text = _("overpaid: {id} has paid {common} {over} more than it owes")
            notes.append(text.format(id=r["id"], common=r["common"], over=fmt.money(-r["unmet"])))
    return Table(_("Obligations: who owes what"), OBLIGATION_COLUMNS, data, totals, notes)


HONOUR_COLUMNS = (
    Column("debtor", N_("Debtor")),
    Column("owed", N_("Fallen due"), "money"),
    Column("paid", N_("Paid of it"), "money"),
    Column("honour_rate", N_("Honour rate"), "ratio"),
)


def honour_table(rates: Sequence[HonourRate]) -> Table:
    """`cofi obligations --by debtor`: how much of what has fallen due each debtor paid."""
    data: list[dict[str, Cell]] = [
        {
            "debtor": r.debtor,
            "owed": r.owed,
            "paid": r.paid,
            "honour_rate": None
            if r.rate is None
            else Decimal(r.rate.numerator) / r.rate.denominator,
        }
        for r in rates
    ]
    notes = [
        _(
            "a debt counts once its due date has passed; paying one debt twice over does not "
            "make up for another"
        )
    ]
    return Table(_("Honour rate of each debtor"), HONOUR_COLUMNS, data, None, notes)


STATUS_COLUMNS = (
    Column("common", N_("Common")),
    Column("need", N_("Need")),
    Column("title", N_("Title"), drop=2),
    Column("needed", N_("Needed"), "money", drop=1),
    Column("contributed", N_("Contributed (all)"), "money", drop=3),
    Column("matched", N_("Matched"), "money", drop=4),
    Column("still_needed", N_("Still needed"), "money"),
    Column("covered", N_("Covered"), "ratio"),
    Column("public_share", N_("Public share"), "ratio", drop=5),
    Column("reached", N_("Reached"), "bool", drop=6),
)


def status_table(ledger: Ledger, results: Sequence[ProgrammeResult], as_of: date) -> Table:
    """`cofi status`: each common, then each of its needs: needed, given, matched, still needed.

    A common's row counts every contribution to it, with or without a `need:`;
    a need's row counts those naming it. Matches add up across programmes.
    `public_share` is matched ÷ needed (what caps.per_need_share bounds, per programme);
    `reached` (need rows only) whether contributed + matched covers the need. A common's
    `still_needed` and `covered` count each need's money up to that need's amount, and the
    money naming no need as able to go to any: a surplus on one need never covers another.
    """
    contributed: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for c in ledger.contributions:
        if c.date <= as_of and not ledger.is_reversed(c.id, as_of):
            contributed[(c.common, "")] += c.amount
            if c.need:
                contributed[(c.common, c.need)] += c.amount
    matched: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for r in results:
        for m in r.eligible:
            c = m.contribution
            matched[(c.common, "")] += m.matched
            if c.need:
                matched[(c.common, c.need)] += m.matched
    data: list[dict[str, Cell]] = []
    notes: list[str] = []
    for common in sorted(ledger.commons, key=lambda c: c.id):
        got = {
            n.id: contributed[(common.id, n.id)] + matched[(common.id, n.id)] for n in common.needs
        }
        # A common is covered as far as its needs are: each need by the money naming it, up
        # to its amount. A surplus on one need funds no other, nor does money naming no need
        # (told in a note).
        short = sum((max(n.amount - got[n.id], ZERO) for n in common.needs), ZERO)
        named = sum((contributed[(common.id, n.id)] for n in common.needs), ZERO)
        if common.needs and (loose := contributed[(common.id, "")] - named):
            text = _("{common}: {amount} contributed names no need, and covers none of them")
            notes.append(text.format(common=common.id, amount=fmt.money(loose)))
        lines: list[tuple[str, str, Decimal, Decimal | None]] = [
            ("", common.name, sum((n.amount for n in common.needs), ZERO), None)
        ]
        lines += [(n.id, n.title, n.amount, got[n.id]) for n in common.needs]
        for need, title, needed, own in lines:
            key = (common.id, need)
            still = short if own is None else max(needed - own, ZERO)
            data.append(
                {
                    "common": common.id,
                    "need": need,
                    "title": title,
                    "needed": needed,
                    "contributed": contributed[key],
                    "matched": matched[key],
                    "still_needed": still,
                    "covered": (needed - still) / needed if needed else None,
                    "public_share": matched[key] / needed if needed else None,
                    "reached": still == 0 if need else None,
                }
            )
    common_rows = [r for r in data if r["need"] == ""]
    totals = _totals(
        common_rows, ("needed", "contributed", "matched", "still_needed"), ("common", _("Total"))
    )
    return Table(_("Funding of each common and need"), STATUS_COLUMNS, data, totals, notes)


SIMULATION_COLUMNS = (
    Column("programme", N_("Programme")),
    Column("common", N_("Common")),
    Column("contributed", N_("Contributed (eligible)"), "money", drop=3),
    Column("matched_today", N_("Matched today"), "money", drop=2),
    Column("matched", N_("Matched under the scenario"), "money"),
    Column("difference", N_("Difference"), "money"),
    Column("provisional", N_("Provisional"), "bool", drop=4),
)


def simulation_table(today: ProgrammeResult | None, scenario: ProgrammeResult) -> Table:
    """`cofi simulate`: per common, what the scenario matches beside what the ledger's
    programme of the same id matches today (None when there is none).

    `contributed` sums the contributions eligible under the scenario.
    """
    contributed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    matched: dict[str, Decimal] = defaultdict(lambda: ZERO)
    provisional: set[str] = set()
    for m in scenario.eligible:
        common = m.contribution.common
        contributed[common] += m.contribution.amount
        matched[common] += m.matched
        if scenario.conditional(m):
            provisional.add(common)
    now: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for m in today.eligible if today is not None else ():
        now[m.contribution.common] += m.matched
    rows: list[dict[str, Cell]] = [
        {
            "programme": scenario.programme.id,
            "common": common,
            "contributed": contributed[common],
            "matched_today": None if today is None else now[common],
            "matched": matched[common],
            "difference": None if today is None else matched[common] - now[common],
            "provisional": common in provisional,
        }
        for common in sorted(matched.keys() | now.keys())
    ]
    summed = ("contributed", "matched") if today is None else (
        "contributed", "matched_today", "matched", "difference",
    )  # fmt: skip

    def envelope(text: str, r: ProgrammeResult) -> str:
        return text.format(
            envelope=fmt.money(r.programme.envelope),
            allocated=fmt.money(r.allocated),
            left=fmt.money(r.unallocated),
        )

    notes = []
    if today is not None:
        notes.append(
            envelope(_("today: envelope {envelope}, allocated {allocated}, left {left}"), today)
        )
    text = _("under the scenario: envelope {envelope}, allocated {allocated}, left {left}")
    notes.append(envelope(text, scenario))
    notes += programme_notes([scenario])[1:]  # its provisional and missed-target notes
    notes.append(_("a simulation: nothing was written to the ledger"))
    return Table(
        _("Simulation of programme {programme}").format(programme=scenario.programme.id),
        SIMULATION_COLUMNS,
        rows,
        _totals(rows, summed, ("programme", _("Total"))),
        notes,
    )


__all__ = [
    "Column",
    "Table",
    "contributions_table",
    "contributions_tables",
    "honour_table",
    "match_table",
    "obligations_table",
    "programmes_table",
    "simulation_table",
    "status_table",
    "total",
]
