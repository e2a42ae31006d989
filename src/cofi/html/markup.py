"""HTML building blocks: escaping, the frame around every page, a report Table as a <table>.

Every cell is written by render.human_cell, the function the terminal tables use, so a
figure in the HTML report is the same text as in `cofi match`. Every piece of text that
came from the ledger goes through `esc`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from urllib.parse import quote

from cofi import __version__
from cofi.render import human_cell, machine_cell
from cofi.report import Cell, Column, Table

# Every user-visible string of this module, for the gettext wrapping to come.
TEXT = {
    "skip": "Skip to the content",
    "nav": "Report",
    "overview": "Overview",
    "commons": "Commons",
    "contributions": "Contributions",
    "obligations": "Obligations",
    "as_of": "As of {date}",
    "at": "ledger as committed at {rev}",
    "currency": "amounts in {currency}",
    "footer": "Made by cofi {version} from the ledger's files, as of {date}{at}. "
    "The figures are those `cofi match`, `cofi obligations` and `cofi status` print.",
    "empty": "{title}: nothing to show.",
    "yes": "yes",
    "default_name": "cofi report",
}

NUMERIC = ("money", "int", "ratio")
LONG = ("title", "name", "note", "reference")  # text columns that may wrap; others do not
Row = dict[str, Cell]
Link = Callable[[Row], str | None]


def esc(value: object) -> str:
    """Text and attribute values, escaped (quotes too)."""
    return escape(str(value), quote=True)


def url(*parts: str) -> str:
    """A relative link from path parts (ids are plain, but quoting costs nothing)."""
    return "/".join(quote(p, safe=".#-_") for p in parts)


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
        parts = [TEXT["as_of"].format(date=self.as_of.isoformat())]
        if self.revision:
            parts.append(TEXT["at"].format(rev=self.revision))
        parts.append(TEXT["currency"].format(currency=self.currency))
        return " · ".join(parts)


NAV = (
    ("index.html", "overview"),
    ("contributions.html", "contributions"),
    ("obligations.html", "obligations"),
)


def _nav(prefix: str, current: str) -> str:
    items = []
    for href, key in NAV:
        here = ' aria-current="page"' if key == current else ""
        items.append(f'<li><a href="{prefix}{href}"{here}>{esc(TEXT[key])}</a></li>')
    here = ' aria-current="page"' if current == "commons" else ""
    items.insert(
        1, f'<li><a href="{prefix}index.html#commons"{here}>{esc(TEXT["commons"])}</a></li>'
    )
    return f'<nav aria-label="{esc(TEXT["nav"])}"><ul>{"".join(items)}</ul></nav>'


def page(site: Site, *, title: str, body: str, current: str, depth: int = 0) -> str:
    """A whole document: head, header with the navigation, <main>, footer."""
    prefix = "../" * depth
    at = f" ({TEXT['at'].format(rev=site.revision)})" if site.revision else ""
    footer = TEXT["footer"].format(version=__version__, date=site.as_of.isoformat(), at=at)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cofi {esc(__version__)}">
<title>{esc(title)} — {esc(site.name)}</title>
<link rel="stylesheet" href="{prefix}report.css">
<script src="{prefix}report.js" defer></script>
</head>
<body>
<a class="skip" href="#main">{esc(TEXT["skip"])}</a>
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
<footer class="site"><div class="wrap"><p>{esc(footer)}</p></div></footer>
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
    """The text of a cell, as the terminal table writes it (a ratio: its percentage only)."""
    text = human_cell(value, kind)
    if kind == "ratio" and text:
        return text.split()[-1]  # the terminal draws a bar of blocks before the percentage
    return text


@dataclass(frozen=True)
class Look:
    """How one table is shown: links per column, facets (a select per column), a filter box."""

    links: Mapping[str, Link] = field(default_factory=dict)
    facets: tuple[str, ...] = ()
    filterable: bool = False
    notes: bool = True
    hide: tuple[str, ...] = ()  # columns left out (a common's page needs no `common` column)


def table(t: Table, key: str, look: Look = Look()) -> str:
    """`t` as a semantic table (caption, th scope, tfoot totals) in a scrolling wrapper."""
    if not t.rows:
        return f'<p class="empty" id="{esc(key)}">{esc(TEXT["empty"].format(title=t.title))}</p>'
    columns = tuple(c for c in t.columns if c.key not in look.hide)
    head = "".join(_th(c, c.key in look.facets) for c in columns)
    body = "\n".join(_row(columns, r, look.links) for r in t.rows)
    foot = ""
    if t.totals is not None:
        foot = (
            f"<tfoot>{_row(columns, _labelled(t.totals, columns[0].key), {}, totals=True)}</tfoot>"
        )
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
    return f'<th scope="col"{css} data-kind="{c.kind}"{more}>{esc(c.title)}</th>'


def _row(
    columns: Sequence[Column], row: Row, links: Mapping[str, Link], totals: bool = False
) -> str:
    cells = []
    for i, c in enumerate(columns):
        link = links.get(c.key)
        href = link(row) if link is not None else None
        cells.append(_cell(c, row.get(c.key), href, header=i == 0))
    css = (
        ' class="totals"' if totals else (' class="overdue"' if row.get("overdue") is True else "")
    )
    return f"<tr{css}>{''.join(cells)}</tr>"


def _cell(c: Column, value: Cell, href: str | None, header: bool) -> str:
    text = cell_text(value, c.kind)
    classes = []
    if c.kind in NUMERIC:
        classes.append("num")
    elif c.key in LONG:
        classes.append("long")
    if c.kind == "money" and isinstance(value, Decimal) and value < 0:
        classes.append("neg")
    if isinstance(value, bool):
        content = f'<span class="flag flag-{c.key}">{esc(TEXT["yes"])}</span>' if value else ""
    elif isinstance(value, date):
        content = f'<time datetime="{value.isoformat()}">{esc(text)}</time>'
    elif c.kind == "ratio" and isinstance(value, Decimal):
        bar = (
            f'<span class="meter" aria-hidden="true"><span style="width:{esc(text)}"></span></span>'
        )
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
    """A date as HTML: a <time> that never breaks at its hyphens."""
    return f'<time datetime="{value.isoformat()}">{value.isoformat()}</time>'


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
    return TEXT["default_name"]
