"""A contribution's explanation in the report: said once, as data (`Said`), then shown.

Python shows it as HTML on a small ledger's pages (a page per contribution, readable
without JavaScript); report.js shows the same data on a large ledger's pages, where the
explanations of a month are packed in one page (cofi.html.packed). The data hold every
sentence already written, by cofi.explain as `cofi explain` writes them, and every fact
already formatted: the script only puts them in their elements, with textContent (a
contributor's note is never read as HTML). A browser test holds the two renderings to
the same elements and text.

A month of a national ledger is a few thousand explanations of four programmes each: as
data, without a section's ids and heading written again in each, it is a third of the
bytes of its HTML before deflating (125 MB against 345 MB at 100,000 contributions), and
takes a third less time to make.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from cofi import explain, fmt
from cofi.html.declare import TEXT as DECLARE_TEXT
from cofi.html.declare import receipt_link
from cofi.html.markup import Site, cell_text, esc, page, url
from cofi.html.packed import block, deflated
from cofi.i18n import N_, _
from cofi.ledger import Ledger
from cofi.matching import Match, ProgrammeResult
from cofi.model import Contribution
from cofi.table import word

TEXT = {
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


class Said(NamedTuple):
    """One contribution's explanation, every text in it written (a JSON array in a packed
    page: report.js reads its fields by position, in this order)."""

    id: str
    lead: str  # the sentence `cofi explain` starts with
    date: str  # ISO
    day: str  # as the reader's language writes it
    who: str | None  # the contributor's name
    contributor: str
    common: str
    common_name: str
    need: str
    amount: str
    kind: str
    pledge: str
    reference: str
    note: str
    file: str
    confirm: bool  # a programme matches it once a receipt confirms it, and none does yet
    # Per programme, in the order of the page's programmes: steps, result, notes.
    sections: list[explain.Sentences]


def said(
    ledger: Ledger,
    c: Contribution,
    results: Sequence[ProgrammeResult],
    matches: Sequence[Match | None],
    kept: dict[tuple[object, ...], explain.Sentences] | None = None,
) -> Said:
    """`c`'s explanation under each of `results`, where its matches are `matches` (None
    where a programme has none), in the current language and fmt.amounts_in's currency
    (`kept`: see explain.sentences)."""
    who = ledger.contributor.get(c.contributor)
    common = ledger.common.get(c.common)
    return Said(
        id=c.id,
        lead=explain.lead(ledger, c),
        date=c.date.isoformat(),
        day=fmt.day(c.date),
        who=who.name if who else None,
        contributor=c.contributor,
        common=c.common,
        common_name=common.name if common else c.common,
        need=c.need or "",
        amount=cell_text(c.amount, "money"),
        kind=word(c.kind),
        pledge=c.pledge or "",
        reference=c.reference or "",
        note=c.note or "",
        file=c.source.path,
        confirm=_to_confirm(ledger, results, c, matches),
        sections=[
            explain.sentences(ledger, r, c, m, kept) for r, m in zip(results, matches, strict=True)
        ],
    )


def _to_confirm(
    ledger: Ledger,
    results: Sequence[ProgrammeResult],
    c: Contribution,
    matches: Sequence[Match | None],
) -> bool:
    """Whether a programme matches `c` only once a receipt confirms it, and none confirms
    it yet (as `cofi obligations` lists it)."""
    waiting = [
        r for r, m in zip(results, matches, strict=True) if m and m.reason == "awaiting-receipt"
    ]
    return bool(waiting) and not ledger.confirming(c.id, waiting[0].as_of, waiting[0].as_of)


class Headings(NamedTuple):
    """The programmes a page explains under, in order: ids and headings."""

    ids: list[str]
    titles: list[str]

    @classmethod
    def of(cls, results: Iterable[ProgrammeResult]) -> Headings:
        ps = [r.programme for r in results]
        # The heading line ends with a colon (French puts a no-break space before it).
        return cls([p.id for p in ps], [explain.heading(p).rstrip(":").rstrip() for p in ps])


def body(x: Said, programmes: Headings, anchor: str, level: str) -> str:
    """The explanation as HTML: the lead sentence, the record, the link to the receipt form
    when it awaits one, then a section per programme (anchor `<anchor>programme-<id>`)
    headed at `level`. report.js's `explanation` makes the same elements."""
    sections = "".join(
        _section(x, programmes.ids[i], programmes.titles[i], said_, anchor, level)
        for i, said_ in enumerate(x.sections)
    )
    confirm = ""
    if x.confirm:
        confirm = f'<p class="act">{receipt_link(x.id, 1)}</p>\n'
    return (
        f'<p class="lead">{esc(x.lead)}</p>\n{_record(x)}{confirm}'
        + (f'<{level} class="sub">{esc(_(TEXT["under"]))}</{level}>\n' if sections else "")
        + sections
    )


def _section(
    x: Said,
    programme: str,
    title: str,
    said_: explain.Sentences,
    anchor: str,
    level: str,
) -> str:
    steps, result, notes = said_
    key = esc(url(f"{anchor}programme-{programme}"))
    items = "".join(f"<li>{esc(s)}</li>" for s in steps)
    return (
        f'<section id="{key}" aria-labelledby="{key}-title">'
        f'<{level} id="{key}-title">{esc(title)}</{level}>'
        + (f'<ol class="steps">{items}</ol>' if items else "")
        + "".join(f'<p class="result">{esc(s)}</p>' for s in result)
        + "".join(f'<p class="note">{esc(s)}</p>' for s in notes)
        + "</section>\n"
    )


def _record(x: Said) -> str:
    who = esc(x.who) + " " if x.who and x.who != x.contributor else ""
    href = f"../{url('commons', f'{x.common}.html')}"
    facts = [
        ("date", f'<time datetime="{x.date}">{esc(x.day)}</time>'),
        ("contributor", f'{who}<span class="id">{esc(x.contributor)}</span>'),
        ("common", f'<a href="{esc(href)}">{esc(x.common_name)}</a>'),
        ("need", esc(x.need)),
        ("amount", f'<span class="num">{esc(x.amount)}</span>'),
        ("kind", esc(x.kind)),
        ("pledge", esc(x.pledge)),
        ("reference", esc(x.reference)),
        ("note", esc(x.note)),
        ("file", f"<code>{esc(x.file)}</code>"),
    ]
    return (
        '<dl class="facts">'
        + "".join(f"<dt>{esc(_(TEXT[k]))}</dt><dd>{v}</dd>" for k, v in facts if _shown(x, k))
        + "</dl>\n"
    )


def _shown(x: Said, key: str) -> bool:
    """Whether the record shows the fact `key`: optional ones only when given."""
    return key not in ("need", "pledge", "reference", "note") or bool(getattr(x, key))


def article(x: Said, programmes: Headings) -> str:
    """One explanation among others (anchor `c-<id>`, sections `c-<id>--programme-<id>`)."""
    return (
        f'<article id="{esc(url(f"c-{x.id}"))}">'
        f"<h2>{esc(_(TEXT['contribution']).format(id=x.id))}</h2>\n"
        + body(x, programmes, f"c-{x.id}--", "h3")
        + "</article>\n"
    )


def packed(key: str, programmes: Headings, each: Iterable[Said]) -> str:
    """A month's explanations, packed: `{"text", "programmes", "articles": {id: Said},
    "sentences"}`, deflated as it is written (a month's data are megabytes, never held
    whole). Each sentence is written once, in `sentences`, and a section gives the place
    of each of its own there (`read` undoes it). report.js shows the explanation the address
    names (`#c-<id>`, or `#c-<id>--programme-<p>`)."""
    words = {k: _(v) for k, v in TEXT.items()} | {"receipt": _(DECLARE_TEXT["receipt_link"])}
    head = {"text": words, "programmes": programmes._asdict()}
    dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    # A month of a national ledger says half its sentences more than once (a refusal for a
    # date, what a contributor's quadratic base is): once each, its data are 41 % smaller
    # to encode and deflate (the benchmark's 2026-06: 4.2 MB instead of 7.2).
    places: dict[str, int] = {}
    place = places.setdefault
    # A refusal, three sections in four at national scale, is one sentence said again and
    # again: its section's places are written once.
    refusals: dict[str, str] = {}

    def section(y: explain.Sentences) -> str:
        steps, result, notes = y
        if steps or notes or len(result) != 1:
            return dumps([[place(s, len(places)) for s in part] for part in y])
        out = refusals.get(result[0])
        if out is None:
            out = refusals[result[0]] = f"[[], [{place(result[0], len(places))}], []]"
        return out

    def parts() -> Iterator[str]:
        yield json.dumps(head, ensure_ascii=False)[:-1] + ',"articles":{'
        for i, x in enumerate(each):
            record = dumps(x[:-1])[:-1]  # the array of Said's fields, its sections to come
            sections = ", ".join([section(y) for y in x.sections])
            yield f"{',' if i else ''}{dumps(x.id)}:{record},[{sections}]]"
        yield f'}},"sentences":{dumps(list(places))}}}'  # every place given by now

    return block(key, "explanations", deflated(parts()))


def read(data: Mapping[str, Any]) -> tuple[Headings, list[Said]]:
    """The programmes and explanations of a page's packed data (its JSON, parsed), as
    report.js reads them."""
    sentences = data["sentences"]
    each = []
    for x in data["articles"].values():
        sections = [tuple([sentences[at] for at in part] for part in s) for s in x[-1]]
        each.append(Said._make([*x[:-1], sections]))
    return Headings(**data["programmes"]), each


def explain_page(site: Site, x: Said, programmes: Headings) -> str:
    """A small ledger's page of one contribution's explanation (sections at anchors
    `programme-<id>`)."""
    title = _(TEXT["contribution"]).format(id=x.id)
    text = f"<h1>{esc(title)}</h1>\n" + body(x, programmes, "", "h2")
    return page(site, title=title, body=text, current="contributions", depth=1)


def explanations_page(site: Site, month: str, programmes: Headings, each: Iterable[Said]) -> str:
    """A large ledger's page of the explanations of the contributions of one month
    (`YYYY-MM`), packed: the script shows the one the address names."""
    title = _(TEXT["month"]).format(month=fmt.month(month))
    text = f"<h1>{esc(title)}</h1>\n" + packed("explanations", programmes, each)
    return page(site, title=title, body=text, current="contributions", depth=1)
