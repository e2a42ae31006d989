"""The static HTML report (`cofi report --html DIR`): results -> {relative path: file text}.

A renderer like render.py: pure, it never writes a file nor reads the clock. Its figures
are the cells of the report module's Tables (those `cofi match`, `cofi obligations` and
`cofi status` print) formatted by render.human_cell, so the pages and the terminal agree
to the cent. Nothing is loaded from the network: one stylesheet, one small script for
sorting and filtering tables (every page reads fine without it), charts as inline SVG.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from importlib import resources
from itertools import groupby

from cofi import fmt
from cofi.html.context import Book
from cofi.html.declare import declare_page, receipt_page
from cofi.html.detail import common_page, explain_page, explanations_page
from cofi.html.markup import Site, default_name
from cofi.html.pages import contributions, obligations, overview
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
    with fmt.amounts_in(ledger.settings.currency):
        return _files(ledger, results, obligations_, as_of, revision)


def _files(
    ledger: Ledger,
    results: Sequence[ProgrammeResult],
    obligations_: Sequence[Obligation],
    as_of: date,
    revision: str | None,
) -> dict[str, str]:
    explained = _by_contribution(ledger, results, as_of)
    grouped = len(explained) > ONE_PAGE_EACH
    book = Book(
        ledger,
        results,
        obligations_,
        as_of,
        {c.id: c.date.isoformat() for c, _ in explained} if grouped else {},
    )
    site = Site(ledger.settings.name or default_name(), as_of, ledger.settings.currency, revision)
    files = {name: asset(name) for name in ASSETS}
    files["index.html"] = overview(site, book)
    files["contributions.html"] = contributions(site, book)
    files["obligations.html"] = obligations(site, book)
    files["declare.html"] = declare_page(site, ledger, obligations_)
    files["receipt.html"] = receipt_page(site, ledger, obligations_)
    for common in sorted(ledger.commons, key=lambda c: c.id):
        files[f"commons/{common.id}.html"] = common_page(site, book, common)
    if not grouped:
        for c, own in explained:
            files[f"explain/{c.id}.html"] = explain_page(site, ledger, own, c)
        return files
    for day, each in groupby(explained, key=lambda item: item[0].date):
        files[f"explain/{day.isoformat()}.html"] = explanations_page(site, ledger, list(each), day)
    return files


ONE_PAGE_EACH = 2000
"""Up to this many contributions, each explanation has a page of its own
(explain/<id>.html); beyond it, those of one day share a page (explain/<day>.html, each
at anchor c-<id>): a national ledger would otherwise publish a hundred thousand pages,
each repeating the site's head and navigation."""


def _by_contribution(
    ledger: Ledger, results: Sequence[ProgrammeResult], as_of: date
) -> list[tuple[Contribution, list[ProgrammeResult]]]:
    """Each contribution dated on or before `as_of`, with each result narrowed to its match
    (explain() then finds it at once, instead of searching every match of the programme)."""
    index: list[dict[str, Match]] = [{m.contribution.id: m for m in r.matches} for r in results]
    out, seen = [], set()
    for c in sorted(ledger.contributions, key=lambda c: (c.date, c.id)):
        if c.date > as_of or c.id in seen:  # an id twice is an error `cofi check` reports
            continue
        seen.add(c.id)
        own = [
            dataclasses.replace(r, matches=(m,) if (m := idx.get(c.id)) else ())
            for r, idx in zip(results, index, strict=True)
        ]
        out.append((c, own))
    return out


__all__ = ["ASSETS", "asset", "render_report"]
