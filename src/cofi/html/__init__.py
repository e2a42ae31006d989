"""The static HTML report (`cofi report --html DIR`): results -> {relative path: file text}.

A renderer like render.py: pure, it never writes a file nor reads the clock. Its figures
are the cells of the report module's Tables (those `cofi match`, `cofi obligations` and
`cofi status` print) formatted by render.human_cell, so the pages and the terminal agree
to the cent. Nothing is loaded from the network: one stylesheet, one small script for
sorting and filtering tables (every page reads fine without it), charts as inline SVG.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from importlib import resources
from itertools import groupby

from cofi import fmt, report
from cofi.explain import Sentences
from cofi.html.context import Book
from cofi.html.declare import declare_page, receipt_page
from cofi.html.detail import common_page
from cofi.html.explanation import Headings, explain_page, explanations_page, said
from cofi.html.markup import Site, default_name
from cofi.html.pages import contributions, contributions_of_month, obligations, overview
from cofi.ledger import Ledger
from cofi.matching import Match, ProgrammeResult
from cofi.model import Contribution
from cofi.obligations import Obligation

ASSETS = ("report.css", "report.js", "declare.js")


def asset(name: str) -> str:
    """A static file shipped with the package (package data: cofi/html/static)."""
    return (resources.files("cofi.html") / "static" / name).read_text(encoding="utf-8")


def render_report(
    ledger: Ledger,
    results: Sequence[ProgrammeResult],
    obligations_: Sequence[Obligation],
    as_of: date,
    *,
    revision: str | None = None,
) -> dict[str, str]:
    """Every file of the report, by path relative to its folder (`/`-separated).

    `obligations_` are the match and pledge obligations, as `cofi obligations` computes
    them; `revision` is the git revision the ledger was read at, if any.
    """
    return dict(report_files(ledger, results, obligations_, as_of, revision=revision))


def report_files(
    ledger: Ledger,
    results: Sequence[ProgrammeResult],
    obligations_: Sequence[Obligation],
    as_of: date,
    *,
    revision: str | None = None,
) -> Iterator[tuple[str, str]]:
    """The files of `render_report`, one at a time: (path, text). A large report is
    tens of megabytes; its writer need not hold it whole."""
    with fmt.amounts_in(ledger.settings.currency):
        yield from _files(ledger, results, obligations_, as_of, revision)


def _files(
    ledger: Ledger,
    results: Sequence[ProgrammeResult],
    obligations_: Sequence[Obligation],
    as_of: date,
    revision: str | None,
) -> Iterator[tuple[str, str]]:
    dated = _dated(ledger, as_of)
    paged = len(dated) > ONE_PAGE_EACH
    month = {c.id: c.date.isoformat()[:7] for c in dated} if paged else {}
    book = Book(ledger, results, obligations_, as_of, month)
    site = Site(ledger.settings.name or default_name(), as_of, ledger.settings.currency, revision)
    for name in ASSETS:
        yield name, asset(name)
    yield "index.html", overview(site, book)
    yield "obligations.html", obligations(site, book, packed=paged)
    yield "declare.html", declare_page(site, ledger, obligations_)
    yield "receipt.html", receipt_page(site, ledger, obligations_)
    if not paged:
        yield "contributions.html", contributions(site, book)
        for common in sorted(ledger.commons, key=lambda c: c.id):
            yield f"commons/{common.id}.html", common_page(site, book, common)
        headings = Headings.of(results)
        kept: dict[tuple[object, ...], Sentences] = {}  # the refusals said: explain.sentences
        for c, ms in _explained(dated, _index(results)):
            x = said(ledger, c, results, ms, kept)
            yield f"explain/{c.id}.html", explain_page(site, x, headings)
        return
    yield "contributions.html", contributions(site, book, Counter(month.values()))
    counts: dict[str, Counter[str]] = {}
    for c in dated:
        counts.setdefault(c.common, Counter())[month[c.id]] += 1
    for common in sorted(ledger.commons, key=lambda c: c.id):
        yield (
            f"commons/{common.id}.html",
            common_page(site, book, common, counts.get(common.id, Counter())),
        )
    # A month at a time, so that only one month's rows and sentences are held at once.
    by_month = _by_month(results, month)
    headings = Headings.of(results)
    notes = [report.programme_notes([r]) for r in results]  # of each programme, in all
    for key, each in groupby(dated, key=lambda c: month[c.id]):
        own = by_month.get(key, [dataclasses.replace(r, matches=()) for r in results])
        narrowed = Book(ledger, own, (), as_of, month, notes)
        yield f"contributions/{key}.html", contributions_of_month(site, narrowed, key)
        # Found among the month's matches: an index of every match would hold 400,000 entries
        # at national scale, all through the report. The refusals are kept for the month only:
        # kept for the whole report, they raised its peak memory by 2 MiB, for no less time.
        kept_in_month: dict[tuple[object, ...], Sentences] = {}
        explained = (
            said(ledger, c, results, ms, kept_in_month)
            for c, ms in _explained(list(each), _index(own))
        )
        yield f"explain/{key}.html", explanations_page(site, key, headings, explained)


ONE_PAGE_EACH = 2000
"""Up to this many contributions, each explanation has a page of its own
(explain/<id>.html) and contributions.html lists them all; beyond it the contributions
of one month share a page (contributions/<YYYY-MM>.html), and so do their explanations
(explain/<YYYY-MM>.html, each at anchor c-<id>), both packed (cofi.html.packed): a
national ledger would otherwise publish a hundred thousand pages and hundreds of
megabytes. By month, so that a new contribution changes the pages of its month (and
those whose figures it changes), not every page after it."""


def _dated(ledger: Ledger, as_of: date) -> list[Contribution]:
    """The contributions dated on or before `as_of`, by date and id (an id twice, an error
    `cofi check` reports, counts once)."""
    out, seen = [], set()
    for c in sorted(ledger.contributions, key=lambda c: (c.date, c.id)):
        if c.date > as_of or c.id in seen:
            continue
        seen.add(c.id)
        out.append(c)
    return out


def _by_month(
    results: Sequence[ProgrammeResult], month: Mapping[str, str]
) -> dict[str, list[ProgrammeResult]]:
    """Each programme's result narrowed to the matches of each month's contributions."""
    buckets: dict[str, list[list[Match]]] = {}
    for i, r in enumerate(results):
        for m in r.matches:
            key = month.get(m.contribution.id)
            if key is None:
                continue
            each = buckets.get(key)
            if each is None:  # not setdefault: its default would be made for every match
                each = buckets[key] = [[] for _ in results]
            each[i].append(m)
    return {
        key: [
            dataclasses.replace(r, matches=tuple(ms)) for r, ms in zip(results, each, strict=True)
        ]
        for key, each in buckets.items()
    }


def _explained(
    contributions: Sequence[Contribution], index: Sequence[Mapping[str, Match]]
) -> Iterator[tuple[Contribution, list[Match | None]]]:
    """Each contribution with its match under each programme (None where it has none),
    from each programme's matches by contribution id (`_index`)."""
    for c in contributions:
        yield c, [idx.get(c.id) for idx in index]


def _index(results: Sequence[ProgrammeResult]) -> list[dict[str, Match]]:
    return [{m.contribution.id: m for m in r.matches} for r in results]


__all__ = ["ASSETS", "asset", "render_report", "report_files"]
