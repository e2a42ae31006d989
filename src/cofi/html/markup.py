"""HTML building blocks: escaping, the frame around every page, a report Table as a <table>.

Every cell is written by render.human_cell, the function the terminal tables use, so a
figure in the HTML report is the same text as in `cofi match`. Every piece of text that
came from the ledger goes through `esc`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from html import escape
from urllib.parse import quote

from cofi import __version__, fmt, i18n
from cofi.i18n import N_, _
from cofi.render import human_cell, machine_cell
from cofi.table import Cell, Column, Table

# Every user-visible string of this module: marked here, translated where used (the
# language is chosen after the modules are imported).
TEXT = {
    "skip": N_("Skip to the content"),
    "nav": N_("Report"),
    "overview": N_("Overview"),
    "commons": N_("Commons"),
    "contributions": N_("Contributions"),
    "obligations": N_("Obligations"),
    # TRANSLATORS: the navigation's link to the form that declares a contribution.
    "declare": N_("Declare"),
    "subtitle": N_("As of {date} · amounts in {currency}"),
    # TRANSLATORS: {rev} is a git revision: a tag, a branch or a commit id.
    "subtitle_at": N_("As of {date} · ledger as committed at {rev} · amounts in {currency}"),
    "footer": N_(
        "Made by cofi {version} from the ledger's files, as of {date}. "
        "The figures are those `cofi match`, `cofi obligations` and `cofi status` print."
    ),
    # TRANSLATORS: {rev} is a git revision: a tag, a branch or a commit id.
    "footer_at": N_(
        "Made by cofi {version} from the ledger's files as committed at {rev}, as of {date}. "
        "The figures are those `cofi match`, `cofi obligations` and `cofi status` print."
    ),
    "empty": N_("{title}: nothing to show."),
    "yes": N_("yes"),
    "default_name": N_("cofi report"),
}
# The words of report.js, handed to it in the page (data-text on <html>).
SCRIPT_TEXT = {
    # TRANSLATORS: the tooltip of a table's column header, which sorts the table.
    "sortBy": N_("Sort by {column}"),
    "search": N_("Filter rows"),
    # TRANSLATORS: the first choice of a drop-down list filtering a table's rows: no filter.
    "any": N_("All"),
    "yes": N_("yes"),
    "no": N_("no"),
    "shown": N_("{shown} of {total} rows shown; totals are for all rows"),
}

NUMERIC = ("money", "int", "ratio")
LONG = ("title", "name", "note", "reference")  # text columns that may wrap; others do not
Row = dict[str, Cell]
Link = Callable[[Row], str | None]


def esc(value: object) -> str:
    """Text and attribute values, escaped (quotes too)."""
    text = str(value)
    # Most texts (ids, figures, dates) have nothing to escape; a search is cheaper than
    # escape's five replacements, and a large report escapes millions of them.
    return escape(text, quote=True) if _SPECIAL.search(text) else text


_SPECIAL = re.compile("[&<>\"']")


def ticks(escaped: str) -> str:
    """Escaped text with its `code` spans (a command, a code) as <code>."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped)


def named(name: str | None, ident: str) -> str:
    """A name, then its id in a muted monospace span: never \"Name (note) (id)\"."""
    if not name or name == ident:
        return f'<span class="id">{esc(ident)}</span>'
    return f'{esc(name)} <span class="id">{esc(ident)}</span>'


def url(*parts: str) -> str:
    """A relative link from path parts (ids are plain, but quoting costs nothing)."""
    return "/".join([p if _PLAIN(p) else quote(p, safe=".#-_") for p in parts])


_PLAIN = re.compile(r"[A-Za-z0-9.#_-]*").fullmatch
"""What `quote(part, safe=".#-_")` leaves as it is: such parts (most ids) skip it."""


def web_link(address: str | None) -> str:
    """A common's website as a plain link when it is http(s), else as text (never javascript:)."""
    if not address:
        return ""
    if address.lower().startswith(("https://", "http://")):
        return f'<a href="{esc(address)}" rel="external noopener noreferrer">{esc(address)}</a>'
    return esc(address)


@dataclass(frozen=True)
class Site:
    """What every page shows around its content."""

    name: str
    as_of: date
    currency: str
    revision: str | None = None

    def subtitle(self) -> str:
        when = fmt.day(self.as_of)
        if self.revision:
            text = _(TEXT["subtitle_at"])
            return text.format(date=when, rev=self.revision, currency=self.currency)
        return _(TEXT["subtitle"]).format(date=when, currency=self.currency)

    def footer(self) -> str:
        when = fmt.day(self.as_of)
        if self.revision:
            text = _(TEXT["footer_at"])
            return text.format(version=__version__, date=when, rev=self.revision)
        return _(TEXT["footer"]).format(version=__version__, date=when)


NAV = (
    ("index.html", "overview"),
    ("contributions.html", "contributions"),
    ("obligations.html", "obligations"),
    ("declare.html", "declare"),
)


def _nav(prefix: str, current: str) -> str:
    items = []
    for href, key in NAV:
        here = ' aria-current="page"' if key == current else ""
        items.append(f'<li><a href="{prefix}{href}"{here}>{esc(_(TEXT[key]))}</a></li>')
    here = ' aria-current="page"' if current == "commons" else ""
    items.insert(
        1, f'<li><a href="{prefix}index.html#commons"{here}>{esc(_(TEXT["commons"]))}</a></li>'
    )
    return f'<nav aria-label="{esc(_(TEXT["nav"]))}"><ul>{"".join(items)}</ul></nav>'


def page(site: Site, *, title: str, body: str, current: str, depth: int = 0) -> str:
    """A whole document: head, header with the navigation, <main>, footer."""
    prefix = "../" * depth
    words = json.dumps({k: _(v) for k, v in SCRIPT_TEXT.items()}, ensure_ascii=False)
    return f"""<!doctype html>
<html lang="{esc(i18n.language())}" data-text="{esc(words)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cofi {esc(__version__)}">
<title>{esc(title)} — {esc(site.name)}</title>
<link rel="stylesheet" href="{prefix}report.css">
<script src="{prefix}report.js" defer></script>
</head>
<body>
<a class="skip" href="#main">{esc(_(TEXT["skip"]))}</a>
<header class="site">
<div class="wrap">
<p class="site-name"><a href="{prefix}index.html">{esc(site.name)}</a></p>
<p class="site-meta">{esc(site.subtitle())}</p>
{_nav(prefix, current)}
</div>
</header>
<main id="main" class="wrap">
{body}
</main>
<footer class="site"><div class="wrap"><p>{ticks(esc(site.footer()))}</p></div></footer>
</body>
</html>
"""


def figures(items: Sequence[tuple[str, str, str]]) -> str:
    """Key figures as a description list: (label, value, css class)."""
    cells = "".join(
        f'<div class="figure {css}"><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>'
        for label, value, css in items
    )
    return f'<dl class="figures">{cells}</dl>'


def cell_text(value: Cell, kind: str) -> str:
    """The text of a cell, as the terminal table writes it (a ratio: its percentage only,
    without the bar of blocks the terminal draws before it)."""
    return human_cell(value, kind)


@dataclass(frozen=True)
class Look:
    """How one table is shown: links per column, facets (a select per column), a filter box."""

    links: Mapping[str, Link] = field(default_factory=dict)
    facets: tuple[str, ...] = ()
    filterable: bool = False
    notes: bool = True
    hide: tuple[str, ...] = ()  # columns left out (a common's page needs no `common` column)


Cells = dict[tuple[str, str, bool], dict[tuple[object, ...], str]]
"""The cells a table made, by column (key, kind, whether it heads its row), then by value
and link: see `table`."""


def table(t: Table, key: str, look: Look = Look(), cells: Cells | None = None) -> str:
    """`t` as a semantic table (caption, th scope, tfoot totals) in a scrolling wrapper.

    `cells` keeps the cells made, for the next tables of the same page (by column, value
    and link): a month of a national ledger shows each contribution in several tables."""
    if not t.rows:
        return f'<p class="empty" id="{esc(key)}">{esc(_(TEXT["empty"]).format(title=t.title))}</p>'
    columns = tuple(c for c in t.columns if c.key not in look.hide)
    head = "".join(_th(c, c.key in look.facets) for c in columns)
    body = _body(columns, t.rows, look.links, {} if cells is None else cells)
    foot = ""
    if t.totals is not None:
        foot = f"<tfoot>{_totals_row(columns, _labelled(t.totals, columns[0].key))}</tfoot>"
    flags = " data-sortable" + (" data-filterable" if look.filterable else "")
    notes = ""
    if look.notes and t.notes:
        notes = '<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in t.notes) + "</ul>"
    label = esc(t.title)
    wrap = "table-wrap narrow" if len(columns) <= 4 else "table-wrap"
    return (
        f'<div class="{wrap}" role="region" tabindex="0" aria-label="{label}">\n'
        f'<table class="data" id="{esc(key)}"{flags}>\n<caption>{esc(t.title)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n{foot}</table>\n</div>\n"
        f"{notes}"
    )


def _labelled(totals: Row, first: str) -> Row:
    """The totals with their label ("Total") in the first column shown."""
    label = next((v for v in totals.values() if isinstance(v, str)), None)
    return totals if totals.get(first) is not None else {**totals, first: label}


def _th(c: Column, facet: bool) -> str:
    css = ' class="num"' if c.kind in NUMERIC else ""
    more = " data-facet" if facet else ""
    return f'<th scope="col"{css} data-kind="{c.kind}"{more}>{esc(_(c.title))}</th>'


def _body(
    columns: Sequence[Column],
    rows: Sequence[Row],
    links: Mapping[str, Link],
    cells: Cells,
) -> str:
    """The rows, made a column at a time: a month of a national ledger has tens of thousands
    of rows, whose dates, contributors, commons and kinds are few, each cell made once."""
    made = [_column(c, i == 0, rows, links.get(c.key), cells) for i, c in enumerate(columns)]
    starts = ['<tr class="overdue">' if r.get("overdue") is True else "<tr>" for r in rows]
    return "\n".join(
        [
            start + "".join(row) + "</tr>"
            for start, row in zip(starts, zip(*made, strict=True), strict=True)
        ]
    )


def _column(
    c: Column,
    header: bool,
    rows: Sequence[Row],
    link: Link | None,
    cells: Cells,
) -> list[str]:
    """Column `c`'s cell in each row, made once per value and link."""
    key = c.key
    made = cells.setdefault((key, c.kind, header), {})
    out = []
    for row in rows:
        value = row.get(key)
        href = link(row) if link is not None else None
        # The type in the key: True, 1 and Decimal(1) are equal, and written differently (equal
        # Decimals are written alike: a cell rounds each to a fixed step).
        seen = (value.__class__, value, href)
        cell = made.get(seen)
        if cell is None:
            cell = made[seen] = _cell(c, value, href, header)
        out.append(cell)
    return out


def _totals_row(columns: Sequence[Column], row: Row) -> str:
    """The row of totals, under the body."""
    cells = "".join(_cell(c, row.get(c.key), None, header=i == 0) for i, c in enumerate(columns))
    return f'<tr class="totals">{cells}</tr>'


def _cell(c: Column, value: Cell, href: str | None, header: bool) -> str:
    if value.__class__ is Decimal and c.kind == "money" and href is None and not header:
        # An amount, the commonest cell of a large report, as _any_cell writes it, without
        # its dispatch on the kind and type (a test holds the two to the same text).
        css = "num neg" if value < 0 else "num"
        money = machine_cell(value, "money")
        return f'<td class="{css}" data-sort="{money}">{esc(cell_text(value, "money"))}</td>'
    return _any_cell(c, value, href, header)


def _any_cell(c: Column, value: Cell, href: str | None, header: bool) -> str:
    text = cell_text(value, c.kind)
    classes = []
    if c.kind in NUMERIC:
        classes.append("num")
    elif c.key in LONG:
        classes.append("long")
    if c.kind == "money" and isinstance(value, Decimal) and value < 0:
        classes.append("neg")
    if isinstance(value, bool):
        content = f'<span class="flag flag-{c.key}">{esc(_(TEXT["yes"]))}</span>' if value else ""
    elif isinstance(value, date):
        content = f'<time datetime="{value.isoformat()}">{esc(text)}</time>'
    elif c.kind == "ratio" and isinstance(value, Decimal):
        # CSS, the same in every language, rounded down like the percentage it shows.
        share = min(max(value, Decimal(0)), Decimal(1)) * 100
        width = f"{share.quantize(Decimal('0.1'), rounding=ROUND_FLOOR)}%"
        bar = f'<span class="meter" aria-hidden="true"><span style="width:{width}"></span></span>'
        content = bar + esc(text)
    else:
        content = esc(text)
    if href and text:
        content = f'<a href="{esc(href)}">{content}</a>'
    sort = ""
    if value is not None and not isinstance(value, str):
        sort = f' data-sort="{esc(machine_cell(value, c.kind))}"'
    css = f' class="{" ".join(classes)}"' if classes else ""
    tag, scope = ("th", ' scope="row"') if header else ("td", "")
    return f"<{tag}{scope}{css}{sort}>{content}</{tag}>"


def day(value: date) -> str:
    """A date as HTML, in the current language: a <time> (the style sheet keeps it on one
    line)."""
    return f'<time datetime="{value.isoformat()}">{esc(fmt.day(value))}</time>'


def heading(title: str, lead: str = "") -> str:
    """A page's <h1>, and a paragraph under it."""
    intro = f'<p class="lead">{esc(lead)}</p>\n' if lead else ""
    return f"<h1>{esc(title)}</h1>\n{intro}"


def section(key: str, title: str, *parts: str, lead: str = "") -> str:
    """A titled section of a page; `lead` is a paragraph of plain text under the title."""
    intro = f'<p class="lead">{esc(lead)}</p>' if lead else ""
    return (
        f'<section id="{esc(key)}" aria-labelledby="{esc(key)}-title">\n'
        f'<h2 id="{esc(key)}-title">{esc(title)}</h2>\n{intro}{"".join(parts)}</section>\n'
    )


def default_name() -> str:
    return _(TEXT["default_name"])
