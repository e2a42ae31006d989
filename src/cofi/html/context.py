"""What the pages are built from: the results of one computation and the Tables made of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from cofi import report
from cofi.html.markup import Link, Row, url
from cofi.i18n import _
from cofi.ledger import Ledger
from cofi.matching import Match, ProgrammeResult
from cofi.obligations import Obligation, by_urgency, honour_rates


@dataclass(frozen=True)
class Book:
    """The ledger, each programme's result and every obligation (match and pledge), as of a date.

    The tables are those the CLI prints (`cofi match`, `cofi obligations`, `cofi status`),
    computed once by the report module's functions.
    """

    ledger: Ledger
    results: Sequence[ProgrammeResult]
    obligations: Sequence[Obligation]
    as_of: date
    explained: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Contribution id -> the page of explanations it is on, when they are grouped
    (a month `YYYY-MM`, see cofi.html.ONE_PAGE_EACH); none: each on a page of its own."""
    notes: Sequence[list[str]] | None = None
    """When `results` are narrowed to a month's matches: each programme's notes as its whole
    result gives them (report.programme_notes), for the month's tables to say what the
    programme allocated in all, not in that month."""

    @cached_property
    def match_rows(self) -> list[Obligation]:
        return [o for o in self.obligations if o.kind == "match"]

    @cached_property
    def match(self) -> report.Table:
        return report.match_table(self.results, self.match_rows)

    @cached_property
    def status(self) -> report.Table:
        return report.status_table(self.ledger, self.results, self.as_of)

    @cached_property
    def debts(self) -> report.Table:
        return report.obligations_table(by_urgency(self.obligations))

    @cached_property
    def honour(self) -> report.Table:
        return report.honour_table(honour_rates(self.obligations))

    @cached_property
    def _by_common(self) -> dict[str, list[list[Match]]]:
        """Each programme's matches, by common: one pass over them, not one per common."""
        out: dict[str, list[list[Match]]] = {}
        for i, r in enumerate(self.results):
            for m in r.matches:
                out.setdefault(m.contribution.common, [[] for _ in self.results])[i].append(m)
        return out

    def of_common(self, common: str) -> Book:
        """The same book, narrowed to one common (each programme's matches of it only)."""
        each = self._by_common.get(common) or [[] for _ in self.results]
        results = [
            dataclasses.replace(r, matches=tuple(ms))
            for r, ms in zip(self.results, each, strict=True)
        ]
        debts = [o for o in self.obligations if o.common == common]
        return Book(self.ledger, results, debts, self.as_of, self.explained)


def to_common(prefix: str) -> Link:
    made: dict[str, str] = {}  # a national ledger's tables link a few commons many times

    def link(row: Row) -> str | None:
        common = row.get("common")
        if not isinstance(common, str):
            return None
        href = made.get(common)
        if href is None:
            href = made[common] = f"{prefix}{url('commons', f'{common}.html')}"
        return href

    return link


def to_programme(prefix: str) -> Link:
    def link(row: Row) -> str | None:
        p = row.get("programme")
        if not isinstance(p, str) or p == _("Total"):  # the totals row
            return None
        return f"{prefix}index.html#{url(f'programme-{p}')}"

    return link


def explanation(prefix: str, contribution: str, explained: Mapping[str, str]) -> str:
    """The link to a contribution's explanation: its own page, or its part of a grouped
    page (anchor `c-<id>`)."""
    grouped = explained.get(contribution)
    if grouped is None:
        return f"{prefix}{url('explain', f'{contribution}.html')}"
    return f"{prefix}{url('explain', f'{grouped}.html')}#{url(f'c-{contribution}')}"


def to_debt(prefix: str, explained: Mapping[str, str] | None = None) -> Link:
    """An obligation's `id`: a match debt's programme links to it, a receipt awaited to its
    contribution's explanation; a pledge has no page."""
    programme = to_programme(prefix)

    def link(row: Row) -> str | None:
        if row.get("type") == "receipt" and isinstance(c := row.get("id"), str):
            return explanation(prefix, c, explained or {})
        return programme({"programme": row.get("id")}) if row.get("type") == "match" else None

    return link


def to_explanation(prefix: str, explained: Mapping[str, str] | None = None) -> Link:
    pages: dict[str, str] = {}  # the few pages of grouped explanations, each made once

    def link(row: Row) -> str | None:
        c, p = row.get("contribution"), row.get("programme")
        if not isinstance(c, str) or not isinstance(p, str):
            return None
        grouped = explained.get(c) if explained else None
        if grouped is not None:
            page = pages.get(grouped)
            if page is None:
                page = pages[grouped] = f"{prefix}{url('explain', f'{grouped}.html')}"
            return f"{page}#{url(f'c-{c}--programme-{p}')}"
        return f"{prefix}{url('explain', f'{c}.html')}#{url(f'programme-{p}')}"

    return link


def common_links(prefix: str, *, programme: bool = True) -> dict[str, Link]:
    links = {"common": to_common(prefix)}
    if programme:
        links["programme"] = to_programme(prefix)
    return links
