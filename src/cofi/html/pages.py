"""The report's top pages: overview, contributions, obligations."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal

from cofi import fmt, report
from cofi.html import svg
from cofi.html.context import Book, common_links, to_debt, to_explanation, to_programme
from cofi.html.markup import (
    Cells,
    Look,
    Row,
    Site,
    cell_text,
    day,
    esc,
    figures,
    heading,
    named,
    page,
    section,
    table,
    url,
)
from cofi.html.packed import packed_html
from cofi.i18n import N_, _
from cofi.matching import REASONS, ProgrammeResult
from cofi.obligations import ZERO
from cofi.report import total
from cofi.table import Column, Table, word

# Every user-visible string of this module: marked here, translated where used (the
# language is chosen after the modules are imported).
TEXT = {
    "overview": N_("Overview"),
    "matched": N_("Public share matched"),
    "paid": N_("Paid by funders"),
    "unmet": N_("Unmet"),
    "overdue": N_("Overdue from funders"),
    "programmes": N_("Programmes"),
    "programmes_lead": N_(
        "Each programme's envelope: what is matched and paid, matched and not yet paid, "
        "and left unallocated."
    ),
    "unpaid": N_("Matched, not yet paid"),
    "unallocated": N_("Unallocated"),
    "envelope": N_("Envelope"),
    "provisional": N_("Provisional"),
    # TRANSLATORS: the title of a bar chart; {programme} is a programme's id, {envelope}
    # an amount.
    "chart": N_("{programme}: envelope of {envelope}"),
    # TRANSLATORS: {funder} is a name and its id; {allocation} is how the envelope is
    # shared, in words ("first come", "pro rata", "quadratic", as the tables say);
    # {ratio} a number like 1 or 0.5; {start} and {end} dates.
    "programme_meta": N_(
        "Funded by {funder} · {allocation}, ratio {ratio} · from {start} to {end}"
    ),
    # TRANSLATORS: as the message above, with the date the matches are due to be paid.
    "programme_meta_due": N_(
        "Funded by {funder} · {allocation}, ratio {ratio} · from {start} to {end} · "
        "matches due on {due}"
    ),
    "provisional_note": N_(
        "Pro-rata and still running: these figures can go down until the programme ends on {end}."
    ),
    "quadratic_note": N_(
        "Quadratic and still running: these figures can change until the programme ends on {end}."
    ),
    "conditional_note": N_(
        "All or nothing: the matches on a need are conditional, paid only if the need is "
        "reached by the programme's end on {end}."
    ),
    "commons": N_("Commons"),
    "commons_lead": N_(
        "What each common needs and what it received; follow a common for its needs, "
        "contributions and debts."
    ),
    "commons_table": N_("Funding of each common"),
    "match": N_("Matched public share by programme and common"),
    "contributions": N_("Contributions"),
    "contributions_lead": N_(
        "The contributions each programme matched, then those it did not and why. Follow a "
        "contribution's id for its computation, step by step."
    ),
    "months_lead": N_(
        "The contributions are listed a month a page: each programme's matches, then those "
        "it did not match and why. Follow a contribution's id for its computation, step by step."
    ),
    # TRANSLATORS: {month} is a month ("2026-03" in English, "mars 2026" in French).
    "of_month": N_("Contributions of {month}"),
    "all_months": N_("All months"),
    "by_month": N_("Contributions by month"),
    "not_matched": N_("Contributions not matched, and why"),
    "matched_by": N_("Contributions matched by {programme}"),
    "matched_provisional": N_("Contributions matched by {programme} (provisional)"),
    # TRANSLATORS: the title of the list explaining the codes of the column "Reason"
    # (`steward`, `min-amount`...).
    "reasons": N_("Reasons"),
    "outside": N_(
        "A contribution dated outside a programme's period is listed only when no programme "
        "lists it; its own page says how each programme treats it."
    ),
    "obligations": N_("Obligations"),
    "obligations_lead": N_(
        "Who owes what: funders' unmet matches and contributors' unmet pledges, overdue "
        "first. Settled debts are listed on each common's page."
    ),
    "overdue_debts": N_("Overdue debts"),
    "overdue_unmet": N_("Overdue, unmet"),
    "ageing": N_("Unmet by age"),
    "ageing_lead": N_("How long unmet debts have been overdue."),
    "not_due": N_("Not yet due"),
    "days": N_("{low}–{high} days overdue"),
    "over_year": N_("Over a year overdue"),
    "honour": N_("Honour rate"),
}


def overview(site: Site, book: Book) -> str:
    m = book.match.totals or {}
    overdue = [r for r in book.match.rows if r.get("overdue") is True]
    key = figures(
        [
            (_(TEXT["matched"]), cell_text(m.get("matched"), "money"), "matched"),
            (_(TEXT["paid"]), cell_text(m.get("paid"), "money"), "paid"),
            (_(TEXT["unmet"]), cell_text(m.get("unmet"), "money"), "unmet"),
            (_(TEXT["overdue"]), cell_text(total(overdue, "unmet"), "money"), "overdue"),
        ]
    )
    programmes = report.programmes_table(book.results, book.match)
    charts = "".join(
        _programme_chart(book, r, row) for r, row in zip(book.results, programmes.rows, strict=True)
    )
    body = (
        heading(_(TEXT["overview"]))
        + key
        + section(
            "programmes",
            _(TEXT["programmes"]),
            charts,
            table(programmes, "programmes-table", Look({"programme": to_programme("")})),
            lead=_(TEXT["programmes_lead"]),
        )
        + section(
            "commons",
            _(TEXT["commons"]),
            table(_commons(book), "commons-table", Look(common_links(""))),
            lead=_(TEXT["commons_lead"]),
        )
        + section(
            "match",
            _(TEXT["match"]),
            table(
                book.match,
                "match-table",
                Look(common_links(""), facets=("programme", "common"), filterable=True),
            ),
        )
    )
    return page(site, title=_(TEXT["overview"]), body=body, current="overview")


def _programme_chart(book: Book, r: ProgrammeResult, row: Row) -> str:
    p = r.programme
    paid = row["paid"] if isinstance(row["paid"], Decimal) else ZERO
    # Overpaid, the bar runs past the envelope, with a mark where the envelope ends.
    parts = [
        svg.Segment("paid", paid, _(TEXT["paid"])),
        svg.Segment("unpaid", max(r.allocated - paid, ZERO), _(TEXT["unpaid"])),
        svg.Segment("unallocated", r.unallocated, _(TEXT["unallocated"])),
    ]
    envelope = cell_text(p.envelope, "money")
    funder = book.ledger.contributor.get(p.funder)
    due = _due(book, p.id)
    template = _(TEXT["programme_meta_due"] if due else TEXT["programme_meta"])
    meta = esc(template).format(
        funder=named(funder.name if funder else None, p.funder),
        allocation=esc(word(p.allocation)),
        ratio=esc(fmt.number(p.ratio)),
        start=day(p.start),
        end=day(p.end),
        due=day(due) if due else "",
    )
    badge = f' <span class="badge">{esc(_(TEXT["provisional"]))}</span>' if r.provisional else ""
    note = ""
    if r.provisional:
        which = {"pro-rata": "provisional_note", "quadratic": "quadratic_note"}
        text = _(TEXT[which.get(p.allocation, "conditional_note")])
        note = f'<p class="note">{esc(text).format(end=day(p.end))}</p>'
        if r.targets and p.allocation != "first-come":
            note += f'<p class="note">{esc(_(TEXT["conditional_note"])).format(end=day(p.end))}</p>'
    if missed := report.missed_note(r):  # needs not reached: their money stays unallocated
        note += f'<p class="note missed">{esc(missed)}</p>'

    chart = _(TEXT["chart"]).format(programme=p.id, envelope=envelope)
    return (
        f'<article class="programme" id="{esc(url(f"programme-{p.id}"))}">\n'
        f'<h3>{esc(p.name)} <span class="id">{esc(p.id)}</span>{badge}</h3>\n'
        f'<p class="meta">{meta}</p>\n'
        + svg.stacked_bar(parts, p.envelope, chart)
        + svg.legend(parts, (_(TEXT["envelope"]), p.envelope))
        + f"{note}</article>\n"
    )


def _due(book: Book, programme: str) -> date | None:
    """The due date of the programme's match rows (one date for all of them), or None."""
    dues = {
        d
        for r in book.match.rows
        if r["programme"] == programme and isinstance(d := r["due"], date)
    }
    return dues.pop() if len(dues) == 1 else None


def _commons(book: Book) -> Table:
    status = book.status
    columns = tuple(c for c in status.columns if c.key != "need")
    rows = [r for r in status.rows if r.get("need") == ""]
    return Table(_(TEXT["commons_table"]), columns, rows, status.totals)


def contribution_tables(
    book: Book, prefix: str, key: str, notes: bool = True, hide: tuple[str, ...] = ()
) -> str:
    """Per programme, the contributions it matched (`cofi match --by contribution`), then
    the others with their reason (what `--all` adds); each row links to its explanation."""
    return "".join(contribution_table_parts(book, prefix, key, notes, hide))


def contribution_table_parts(
    book: Book, prefix: str, key: str, notes: bool = True, hide: tuple[str, ...] = ()
) -> Iterator[str]:
    """`contribution_tables` a table at a time: a month of a national ledger is megabytes
    of them, packed as they come rather than held whole, in several copies."""
    links = {**common_links(prefix), "contribution": to_explanation(prefix, book.explained)}
    # One table per programme: its column `programme` is then constant (left out), and
    # its amounts add up (a contribution counts once per table).
    each, every = report.contributions_tables(_shown(book.results), book.notes)
    cells: Cells = {}  # a contribution's, in each of these tables
    for r, matched in zip(book.results, each, strict=True):
        yield table(
            dataclasses.replace(matched, title=_matched_title(r)),
            f"{key}-{r.programme.id}",
            Look(links, ("common", "kind"), True, notes, (*_constant(matched), *hide)),
            cells,
        )
    refused = Table(
        _(TEXT["not_matched"]),
        tuple(c for c in every.columns if c.key in REFUSED),
        _refused(every.rows),
        notes=[_(TEXT["outside"])],
    )
    seen = sorted({str(r["reason"]) for r in refused.rows})
    reasons = "".join(
        f"<dt>{esc(word(k))}</dt><dd>{esc(_(REASONS[k]) if k in REASONS else k)}</dd>" for k in seen
    )
    legend = f'<h3>{esc(_(TEXT["reasons"]))}</h3><dl class="reasons">{reasons}</dl>' if seen else ""
    yield table(
        refused, f"{key}-refused", Look(links, ("programme", "reason"), True, notes, hide), cells
    )
    yield legend


CONSTANT = (
    "programme",
    "eligible",
    "reason",
    "provisional",
)  # in a table of one programme's matches


def _constant(matched: Table) -> tuple[str, ...]:
    """The columns left out of one programme's table: CONSTANT, but `provisional` kept
    when it varies (all or nothing under first-come: only the matches on needs are
    conditional)."""
    if len({r.get("provisional") for r in matched.rows}) > 1:
        return tuple(c for c in CONSTANT if c != "provisional")
    return CONSTANT


REFUSED = ("programme", "contribution", "date", "contributor", "common", "kind", "amount", "reason")


def _shown(results: Sequence[ProgrammeResult]) -> list[ProgrammeResult]:
    """Each result with the matches the tables show: not those of a contribution outside a
    programme's window when another programme lists that contribution (every later
    contribution would be listed again under each programme that has ended, every earlier
    one under each that had not begun). Left out before their rows are made: at national
    scale they are a third of the rows."""
    listed = {m.contribution.id for r in results for m in r.matches if m.reason not in OUTSIDE}
    return [
        dataclasses.replace(
            r,
            matches=tuple(
                m for m in r.matches if m.reason not in OUTSIDE or m.contribution.id not in listed
            ),
        )
        for r in results
    ]


def _refused(rows: list[Row]) -> list[Row]:
    """The rows of the contributions not matched."""
    return [r for r in rows if r.get("eligible") is False]


OUTSIDE = ("before-start", "after-end")


def _matched_title(r: ProgrammeResult) -> str:
    which = "matched_provisional" if r.provisional else "matched_by"
    return _(TEXT[which]).format(programme=r.programme.id)


def contributions(site: Site, book: Book, months: Mapping[str, int] | None = None) -> str:
    """Every contribution's rows, or, for a large ledger (`months`: how many contributions
    each month `YYYY-MM` has), the list of the pages that hold them, a page a month."""
    if months is None:
        body = heading(_(TEXT["contributions"]), _(TEXT["contributions_lead"]))
        body += contribution_tables(book, "", "contributions")
    else:
        body = heading(_(TEXT["contributions"]), _(TEXT["months_lead"]))
        body += months_table(months, "", "months-table")
    return page(site, title=_(TEXT["contributions"]), body=body, current="contributions")


def contributions_of_month(site: Site, book: Book, month: str) -> str:
    """A large ledger's contributions of one month (`YYYY-MM`): the tables of
    `contributions`, narrowed to them, packed (see cofi.html.packed)."""
    title = _(TEXT["of_month"]).format(month=fmt.month(month))
    back = f'<p><a href="../contributions.html">{esc(_(TEXT["all_months"]))}</a></p>\n'
    body = heading(title, _(TEXT["contributions_lead"])) + back
    body += packed_html("tables", contribution_table_parts(book, "../", "contributions"))
    return page(site, title=title, body=body, current="contributions", depth=1)


MONTH_COLUMNS = (
    Column("month", N_("Month")),
    Column("contributions", N_("Contributions"), "int"),
)


def months_table(months: Mapping[str, int], prefix: str, key: str) -> str:
    """How many contributions each month has, each month linking to its page."""
    rows: list[Row] = [
        {"month": fmt.month(m), "contributions": n, "key": m} for m, n in sorted(months.items())
    ]
    totals: Row = {"month": _("Total"), "contributions": sum(months.values())}
    t = Table(_(TEXT["by_month"]), MONTH_COLUMNS, rows, totals)

    def link(row: Row) -> str | None:
        m = row.get("key")
        return f"{prefix}{url('contributions', f'{m}.html')}" if isinstance(m, str) else None

    return table(t, key, Look({"month": link}))


AGES = ((1, 30), (31, 90), (91, 180), (181, 365))
AGE_COLUMNS = (
    # TRANSLATORS: the column of the ages of unmet debts: "Not yet due", "1–30 days overdue"...
    Column("age", N_("Age")),
    Column("debts", N_("Debts"), "int"),
    Column("unmet", N_("Unmet"), "money"),
)


def ageing_table(debts: Table) -> Table:
    """Unmet debts of money (overpaid ones left out) by how long they have been overdue."""
    buckets: dict[str, list[Row]] = {}
    for r in debts.rows:
        if r.get("type") == "receipt":  # a confirmation owed, not money
            continue
        unmet, days = r.get("unmet"), r.get("days_overdue")
        if not isinstance(unmet, Decimal) or unmet <= 0 or not isinstance(days, int):
            continue
        buckets.setdefault(_age(days), []).append(r)
    order = [_(TEXT["not_due"]), *(_age(low) for low, _high in AGES), _(TEXT["over_year"])]
    # `bucket` (not a column) keeps each age's colour whichever ages are present.
    rows: list[Row] = [
        {"age": age, "debts": len(buckets[age]), "unmet": total(buckets[age], "unmet"), "bucket": i}
        for i, age in enumerate(order)
        if age in buckets
    ]
    count = sum(len(b) for b in buckets.values())
    totals: Row = {"age": _("Total"), "debts": count, "unmet": total(rows, "unmet")}
    return Table(_(TEXT["ageing"]), AGE_COLUMNS, rows, totals)


def _age(days: int) -> str:
    if days == 0:
        return _(TEXT["not_due"])
    for low, high in AGES:
        if days <= high:
            return _(TEXT["days"]).format(low=low, high=high)
    return _(TEXT["over_year"])


def obligations(site: Site, book: Book, packed: bool = False) -> str:
    """Every unmet debt; `packed` for a large ledger, whose table of debts (a row per
    pledge) would be megabytes of HTML (see cofi.html.packed)."""
    debts = book.debts
    overdue = [r for r in debts.rows if r.get("overdue") is True and r.get("type") != "receipt"]
    ages = ageing_table(debts)
    key = figures(
        [
            (_(TEXT["overdue_debts"]), str(len(overdue)), "overdue"),
            (_(TEXT["overdue_unmet"]), cell_text(total(overdue, "unmet"), "money"), "overdue"),
            (_(TEXT["unmet"]), cell_text((debts.totals or {}).get("unmet"), "money"), "unmet"),
        ]
    )
    parts = [
        svg.Segment(f"age-{r['bucket']}", v, str(r["age"]))
        for r in ages.rows
        if isinstance(v := r["unmet"], Decimal)
    ]
    chart = svg.stacked_bar(parts, total(ages.rows, "unmet"), ages.title) + svg.legend(parts)
    links = {**common_links("", programme=False), "id": to_debt("", book.explained)}
    look = Look(links, facets=("type", "debtor", "common", "overdue"), filterable=True)
    rows = table(debts, "obligations-table", look)
    body = (
        heading(_(TEXT["obligations"]), _(TEXT["obligations_lead"]))
        + key
        + section(
            "ageing",
            _(TEXT["ageing"]),
            chart,
            table(ages, "ageing-table"),
            lead=_(TEXT["ageing_lead"]),
        )
        + section(
            "debts",
            debts.title,
            (packed_html("debts-packed", rows) if packed else rows),
        )
        + section("honour", _(TEXT["honour"]), table(book.honour, "honour-table"))
    )
    return page(site, title=_(TEXT["obligations"]), body=body, current="obligations")
