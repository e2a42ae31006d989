"""One page per common, one page per contribution (its explanation)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from cofi import fmt, report
from cofi.explain import explain, parts
from cofi.html import svg
from cofi.html.context import Book, to_debt, to_programme
from cofi.html.declare import receipt_link
from cofi.html.markup import (
    Look,
    Row,
    Site,
    cell_text,
    day,
    esc,
    figures,
    named,
    page,
    section,
    table,
    url,
    web_link,
)
from cofi.html.packed import packed_articles
from cofi.html.pages import contribution_tables, months_table
from cofi.i18n import N_, _
from cofi.ledger import Ledger
from cofi.matching import ProgrammeResult
from cofi.model import Common, Contribution
from cofi.obligations import by_urgency
from cofi.table import Table, word

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
    "contribution": N_("Contribution {id}"),
    "date": N_("Date"),
    "contributor": N_("Contributor"),
    "common": N_("Common"),
    "need": N_("Need"),
    "amount": N_("Amount"),
    "kind": N_("Kind"),
    "pledge": N_("Pledge"),
    "reference": N_("Reference"),
    "note": N_("Note"),
    "file": N_("File"),
    "under": N_("Under each programme"),
    # TRANSLATORS: the title of a page of the explanations of the contributions of one
    # month; {month} is a month ("2026-03" in English, "mars 2026" in French).
    "month": N_("Explanations of the contributions of {month}"),
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


def explain_page(
    site: Site, ledger: Ledger, results: list[ProgrammeResult], c: Contribution
) -> str:
    """`cofi explain`'s sentences for one contribution, a section per programme (anchor
    `programme-<id>`), with the record's own fields."""
    title = _(TEXT["contribution"]).format(id=c.id)
    body = f"<h1>{esc(title)}</h1>\n" + _explanation(ledger, results, c, "", "h2")
    return page(site, title=title, body=body, current="contributions", depth=1)


def article(ledger: Ledger, c: Contribution, results: list[ProgrammeResult]) -> str:
    """One contribution's explanation among others: an article (anchor `c-<id>`) with a
    section per programme (`c-<id>--programme-<id>`)."""
    return (
        f'<article id="{esc(url(f"c-{c.id}"))}">'
        f"<h2>{esc(_(TEXT['contribution']).format(id=c.id))}</h2>\n"
        + _explanation(ledger, results, c, f"c-{c.id}--", "h3")
        + "</article>\n"
    )


def explanations_page(
    site: Site,
    ledger: Ledger,
    each: Iterable[tuple[Contribution, list[ProgrammeResult]]],
    month: str,
) -> str:
    """The explanations of the contributions of one month (`YYYY-MM`), packed: the
    script shows the one the address names. What a large ledger publishes instead of a
    page per contribution, a few kilobytes of sentences each."""
    title = _(TEXT["month"]).format(month=fmt.month(month))
    articles = ((c.id, article(ledger, c, own)) for c, own in each)
    body = f"<h1>{esc(title)}</h1>\n" + packed_articles("explanations", articles)
    return page(site, title=title, body=body, current="contributions", depth=1)


def _explanation(
    ledger: Ledger, results: list[ProgrammeResult], c: Contribution, anchor: str, level: str
) -> str:
    """A contribution's lead sentence, its record and its sections, headed at `level`."""
    header = explain(ledger, [], c)[0]
    sections = "".join(_under(ledger, r, c, anchor, level) for r in results)
    return (
        f'<p class="lead">{esc(header)}</p>\n{_record(ledger, c)}'
        + _to_confirm(ledger, results, c)
        + (f'<{level} class="sub">{esc(_(TEXT["under"]))}</{level}>\n' if sections else "")
        + sections
    )


def _to_confirm(ledger: Ledger, results: list[ProgrammeResult], c: Contribution) -> str:
    """A link to the receipt form for a contribution that a programme matches only once a
    receipt confirms it, and that none confirms yet (as `cofi obligations` lists it)."""
    waiting = [r for r in results if any(m.reason == "awaiting-receipt" for m in r.matches)]
    if not waiting or ledger.confirming(c.id, waiting[0].as_of, waiting[0].as_of):
        return ""
    return f'<p class="act">{receipt_link(c.id, 1)}</p>\n'


def _under(
    ledger: Ledger, r: ProgrammeResult, c: Contribution, anchor: str = "", level: str = "h2"
) -> str:
    """One programme's sentences: its steps as a numbered list, then the result (or the one
    sentence saying why nothing is matched) and the provisional warning as paragraphs.

    `r` holds only the match of `c`: explain() then says a line per step, the result, and
    a warning when provisional."""
    with fmt.amounts_in(ledger.settings.currency):
        said = parts(ledger, r, c)
    # The heading line ends with a colon (French puts a no-break space before it).
    heading = said.heading.rstrip(":").rstrip()
    steps = "".join(f"<li>{esc(s)}</li>" for s in said.steps)
    result, rest = said.result, said.notes
    key = url(f"{anchor}programme-{r.programme.id}")
    return (
        f'<section id="{esc(key)}" aria-labelledby="{esc(key)}-title">'
        f'<{level} id="{esc(key)}-title">{esc(heading)}</{level}>'
        + (f'<ol class="steps">{steps}</ol>' if steps else "")
        + "".join(f'<p class="result">{esc(s)}</p>' for s in result)
        + "".join(f'<p class="note">{esc(s)}</p>' for s in rest)
        + "</section>\n"
    )


def _record(ledger: Ledger, c: Contribution) -> str:
    who = ledger.contributor.get(c.contributor)
    common = ledger.common.get(c.common)
    href = f"../{url('commons', f'{c.common}.html')}"
    facts = [
        (_(TEXT["date"]), day(c.date)),
        (_(TEXT["contributor"]), named(who.name if who else None, c.contributor)),
        (
            _(TEXT["common"]),
            f'<a href="{esc(href)}">{esc(common.name if common else c.common)}</a>',
        ),
        (_(TEXT["need"]), esc(c.need or "")),
        (_(TEXT["amount"]), f'<span class="num">{esc(cell_text(c.amount, "money"))}</span>'),
        (_(TEXT["kind"]), esc(word(c.kind))),
        (_(TEXT["pledge"]), esc(c.pledge or "")),
        (_(TEXT["reference"]), esc(c.reference or "")),
        (_(TEXT["note"]), esc(c.note or "")),
        (_(TEXT["file"]), f"<code>{esc(c.source.path)}</code>"),
    ]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in facts if v)
    return f'<dl class="facts">{items}</dl>\n'
