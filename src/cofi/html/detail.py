"""One page per common, one page per contribution (its explanation)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from cofi import report
from cofi.html import svg
from cofi.html.context import Book, to_debt, to_programme
from cofi.html.markup import (
    Look,
    Row,
    Site,
    cell_text,
    esc,
    figures,
    named,
    page,
    section,
    table,
    url,
    web_link,
)
from cofi.html.pages import contribution_tables, months_table
from cofi.i18n import N_, _
from cofi.ledger import Ledger
from cofi.model import Common
from cofi.obligations import by_urgency
from cofi.table import Table

# Every user-visible string of this module: marked here, translated where used (the
# language is chosen after the modules are imported).
TEXT = {
    "website": N_("Website"),
    "licence": N_("Licence"),
    "stewards": N_("Stewards"),
    "id": N_("Id"),
    "needed": N_("Needed"),
    "contributed": N_("Contributed"),
    "matched": N_("Matched"),
    "still_needed": N_("Still needed"),
    "covered": N_("Covered"),
    "needs": N_("Needs"),
    "needs_lead": N_(
        "Each need's budget: what contributors gave to it, what programmes matched, what is "
        "still needed. The common's own line also counts contributions that name no need."
    ),
    "no_needs": N_("No needs are listed for this common."),
    "needs_table": N_("Funding of each need of {common}"),
    # TRANSLATORS: the last line of the table of a common's needs: the common as a whole.
    "whole": N_("Whole common"),
    # TRANSLATORS: the title of a bar chart; {title} is the need's title, {covered} a
    # percentage, {needed} an amount.
    "need_chart": N_("{title}: {covered} covered of {needed}"),
    "match": N_("Matched public share"),
    "obligations": N_("Obligations"),
    "obligations_lead": N_("Every debt to this common, settled ones included, overdue first."),
    "contributions": N_("Contributions"),
    "months_lead": N_(
        "This common's contributions are on the pages of each month, with every other "
        "common's: filter them by common there."
    ),
}


def common_page(
    site: Site, whole: Book, common: Common, months: Mapping[str, int] | None = None
) -> str:
    """A common: what it is, its needs and their coverage, its matches, debts and contributions
    (for a large ledger, `months`: how many of them each month's page holds)."""
    book = whole.of_common(common.id)
    lines = [r for r in whole.status.rows if r.get("common") == common.id]
    own = next(r for r in lines if r.get("need") == "")
    needs = [r for r in lines if r.get("need") != ""]
    body = (
        f'<h1>{esc(common.name)} <span class="id">{esc(common.id)}</span></h1>\n'
        + (f'<p class="lead">{esc(common.description)}</p>\n' if common.description else "")
        + _facts(whole.ledger, common)
        + figures(
            [
                (_(TEXT[k]), cell_text(own.get(k), kind), k)
                for k, kind in (
                    ("needed", "money"),
                    ("contributed", "money"),
                    ("matched", "money"),
                    ("still_needed", "money"),
                    ("covered", "ratio"),
                )
            ]
        )
        + section("needs", _(TEXT["needs"]), _needs(common, needs, own), lead=_(TEXT["needs_lead"]))
        + section(
            "match",
            _(TEXT["match"]),
            report_table(book.match, "match-table", book.explained, notes=False),
        )
        + section(
            "obligations",
            _(TEXT["obligations"]),
            report_table(
                report.obligations_table(by_urgency(book.obligations), all=True),
                "obligations-table",
                book.explained,
            ),
            lead=_(TEXT["obligations_lead"]),
        )
        + section(
            "contributions",
            _(TEXT["contributions"]),
            contribution_tables(book, "../", "contributions", notes=False, hide=("common",))
            if months is None
            else months_table(months, "../", "months-table"),
            lead="" if months is None else _(TEXT["months_lead"]),
        )
    )
    return page(site, title=common.name, body=body, current="commons", depth=1)


def report_table(t: Table, key: str, explained: Mapping[str, str], notes: bool = True) -> str:
    """A table of a common's own rows: its `common` column says nothing here."""
    links = {"programme": to_programme("../"), "id": to_debt("../", explained)}
    return table(t, key, Look(links, notes=notes, hide=("common",)))


def _facts(ledger: Ledger, common: Common) -> str:
    stewards = ", ".join(
        named(ledger.contributor[s].name if s in ledger.contributor else None, s)
        for s in common.stewards
    )
    facts = [
        (_(TEXT["website"]), web_link(common.url)),
        (_(TEXT["licence"]), esc(common.license or "")),
        (_(TEXT["stewards"]), stewards),
        (_(TEXT["id"]), esc(common.id)),
    ]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts if v)
    return f'<dl class="facts">{items}</dl>\n'


def _needs(common: Common, needs: list[Row], own: Row) -> str:
    if not needs:
        return f"<p>{esc(_(TEXT['no_needs']))}</p>"
    bars = "".join(_need_bar(r) for r in needs)
    # The rows are those of `cofi status`; the common's own row is the footer.
    columns = tuple(c for c in report.STATUS_COLUMNS if c.key != "common")
    totals = {**own, "need": _(TEXT["whole"])}
    t = Table(_(TEXT["needs_table"]).format(common=common.name), columns, needs, totals)
    return f'<ul class="needs">{bars}</ul>\n' + table(t, "needs-table")


def _need_bar(row: Row) -> str:
    parts = [
        svg.Segment("contributed", _money(row, "contributed"), _(TEXT["contributed"])),
        svg.Segment("matched", _money(row, "matched"), _(TEXT["matched"])),
        svg.Segment("still", _money(row, "still_needed"), _(TEXT["still_needed"])),
    ]
    needed = _money(row, "needed")
    title = _(TEXT["need_chart"]).format(
        title=row.get("title"),
        covered=cell_text(row.get("covered"), "ratio"),
        needed=cell_text(needed, "money"),
    )
    need, covered = str(row.get("need")), cell_text(row.get("covered"), "ratio")
    return (
        f'<li class="need" id="{esc(url(f"need-{need}"))}">'
        f'<h3>{esc(row.get("title"))} <span class="id">{esc(need)}</span> '
        f'<span class="need-covered">{esc(covered)}</span></h3>'
        + svg.stacked_bar(parts, needed, title)
        + svg.legend(parts, (_(TEXT["needed"]), needed))
        + "</li>"
    )


def _money(row: Row, key: str) -> Decimal:
    value = row.get(key)
    return value if isinstance(value, Decimal) else Decimal(0)
