"""A large ledger's report (issue 14): past ONE_PAGE_EACH contributions, the contributions
of one month share a page, and so do their explanations, both packed (deflated, base64)
in the page. Every row the same as on the single page of a small ledger, every
explanation still reachable from its row and the same sentences as its own page, every
link landing on a file and an anchor once the pages are unpacked."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

import cofi.html
from cofi import explain, i18n
from cofi.html import render_report
from cofi.html.explanation import article, read
from cofi.html.packed import unpack
from test_html import AS_OF, MAIN, Page, compute
from test_html import test_links_between_pages_land_on_a_file_and_an_anchor as links_land

BLOCK = re.compile(
    r'<script type="application/x-cofi-deflate" data-kind="(\w+)" data-into="([^"]+)"'
    r"[^>]*>\s*([A-Za-z0-9+/=]+)\s*</script>"
)


def unpacked(text: str) -> str:
    """The page as the script leaves it: each packed block unpacked into its place (every
    explanation of a page of explanations, one after the other)."""

    def expand(m: re.Match[str]) -> str:
        data = unpack(m.group(3))
        if m.group(1) == "explanations":  # as report.js shows them: see test_html_browser_paged
            headings, each = read(json.loads(data))
            return "".join(article(x, headings) for x in each)
        return data

    return BLOCK.sub(expand, text)


@pytest.fixture(scope="module")
def both():
    ledger, results, debts = compute(MAIN)
    own = render_report(ledger, results, debts, AS_OF)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cofi.html, "ONE_PAGE_EACH", 0)
        paged = render_report(ledger, results, debts, AS_OF)
    return ledger, own, paged


def dated(ledger):
    return [c for c in ledger.contributions if c.date <= AS_OF]


def test_a_page_a_month_for_contributions_and_for_explanations(both) -> None:
    ledger, own, paged = both
    months = {c.date.isoformat()[:7] for c in dated(ledger)}
    assert len(dated(ledger)) == 30 and "2025-09" in months
    assert {p for p in paged if p.startswith("explain/")} == {f"explain/{m}.html" for m in months}
    contributions = {p for p in paged if p.startswith("contributions/")}
    assert contributions == {f"contributions/{m}.html" for m in months}
    assert set(own) - {p for p in own if p.startswith("explain/")} <= set(paged)


def test_the_contributions_page_lists_the_months_with_their_counts(both) -> None:
    ledger, _, paged = both
    rows = Page(paged["contributions.html"]).body("months-table")
    counts = Counter(c.date.isoformat()[:7] for c in dated(ledger))
    assert rows[:-1] == [[m, str(n)] for m, n in sorted(counts.items())]
    assert rows[-1] == ["Total", "30"]  # the 30 contributions of the bundled ledger
    for m in counts:
        assert f'href="contributions/{m}.html"' in paged["contributions.html"]


def test_the_months_hold_the_rows_of_the_single_page(both) -> None:
    """Each table's rows, month after month, are those of the single contributions page
    (the figures of `cofi match --by contribution`), in the same order."""
    _, own, paged = both
    whole = Page(own["contributions.html"])
    months = sorted(p for p in paged if p.startswith("contributions/"))
    parts = [Page(unpacked(paged[p])) for p in months]
    for key, rows in whole.tables.items():
        body = rows[1:-1] if key != "contributions-refused" else rows[1:]
        together = [r for part in parts if key in part.tables for r in part.body(key)]
        together = [r for r in together if r[0] not in ("Total", "Total (eligible)")]
        assert sorted(together) == sorted(r for r in body if r[0] not in ("Total",)), key


NOTES = re.compile(
    r'<table class="data" id="(contributions-[^"]+)".*?</table>\n</div>\n'
    r'(<ul class="notes">.*?</ul>)?',
    re.S,
)


def test_a_months_notes_speak_of_each_programme_in_all(both) -> None:
    """Under each month's tables, each programme's note says what it allocated in all (as
    the single page, and `cofi match --by contribution`, say it), not in that month: a
    month of the bundled ledger allocated nothing under most programmes."""
    _, own, paged = both
    whole = dict(NOTES.findall(own["contributions.html"]))
    assert all(whole.values()), whole  # every programme's table has its notes
    for path in sorted(p for p in paged if p.startswith("contributions/")):
        for key, notes in NOTES.findall(unpacked(paged[path])):
            assert notes == whole[key], (path, key)


def test_every_explanation_is_reachable_and_says_the_same(both) -> None:
    ledger, own, paged = both
    for c in dated(ledger):
        month = c.date.isoformat()[:7]
        table = unpacked(paged[f"contributions/{month}.html"])
        explained = unpacked(paged[f"explain/{month}.html"])
        page = Page(explained)
        assert f"c-{c.id}" in page.ids
        alone = Page(own[f"explain/{c.id}.html"])
        for anchor in alone.ids:
            if anchor.startswith("programme-"):
                assert f"c-{c.id}--{anchor}" in page.ids
            if f'href="explain/{c.id}.html#{anchor}"' in own["contributions.html"]:
                assert f'href="../explain/{month}.html#c-{c.id}--{anchor}"' in table
        # the same sentences, in the same order
        text = " ".join(" ".join(alone.text).split())
        lead = text.rsplit(f"Contribution {c.id}", 1)[-1].split(" Made by cofi")[0].strip()
        assert lead in " ".join(" ".join(page.text).split())


def test_a_common_page_lists_its_months(both) -> None:
    ledger, _, paged = both
    rows = Page(paged["commons/dokos.html"]).body("months-table")
    counts = Counter(c.date.isoformat()[:7] for c in dated(ledger) if c.common == "dokos")
    assert rows == [
        *([m, str(n)] for m, n in sorted(counts.items())),
        ["Total", str(sum(counts.values()))],
    ]
    assert "contributions-refused" not in paged["commons/dokos.html"]


def test_links_of_the_paged_report_land(both) -> None:
    links_land({p: unpacked(t) for p, t in both[2].items()})


def test_packed_pages_say_what_they_need_without_javascript(both) -> None:
    for path in ("explain/2025-09.html", "contributions/2025-09.html"):
        noscript = both[2][path].split("<noscript>", 1)[1].split("</noscript>", 1)[0]
        assert "needs JavaScript" in noscript and "<code>cofi explain ID</code>" in noscript


def test_the_obligations_table_is_packed_and_the_same(both) -> None:
    _, own, paged = both
    assert "obligations-table" not in Page(paged["obligations.html"]).tables
    table = Page(unpacked(paged["obligations.html"])).tables["obligations-table"]
    assert table == Page(own["obligations.html"]).tables["obligations-table"]


def test_in_french_the_months_are_named(french) -> None:
    ledger, results, debts = compute(MAIN)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cofi.html, "ONE_PAGE_EACH", 0)
        paged = render_report(ledger, results, debts, AS_OF)
    assert (
        "<h1>Explications des contributions de septembre 2025</h1>" in paged["explain/2025-09.html"]
    )
    assert "<h1>Contributions de septembre 2025</h1>" in paged["contributions/2025-09.html"]
    rows = Page(paged["contributions.html"]).body("months-table")
    september = sum(1 for c in dated(ledger) if c.date.isoformat()[:7] == "2025-09")
    assert ["septembre 2025", str(september)] in rows


def test_packed_text_from_contributors_files_is_escaped(ledger_dir) -> None:
    """What the script puts in the page with innerHTML was escaped when it was written."""
    from test_html import HOSTILE

    ledger, results, debts = compute(ledger_dir(HOSTILE))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cofi.html, "ONE_PAGE_EACH", 0)
        files = render_report(ledger, results, debts, AS_OF)
    packed = [unpacked(t) for p, t in files.items() if p.startswith(("explain/", "contributions/"))]
    assert packed and all("<script>alert" not in t for t in packed)
    assert any("&lt;script&gt;alert(&#x27;ruche&#x27;)&lt;/script&gt;" in t for t in packed)


LEDGERS = [MAIN, *sorted(p for p in (MAIN / "examples").iterdir() if p.is_dir())]


def test_refusals_kept_once_say_to_each_contribution_what_it_is_told_alone() -> None:
    """The report says each way of refusing once (explain.sentences' `kept`): every
    contribution of the bundled and example ledgers is still told exactly what `cofi
    explain` tells it alone, in each language, one memo shared by both."""
    varied: set[str | None] = set()  # reasons said in words that differ by contribution
    for root in LEDGERS:
        ledger, results, _debts = compute(root)
        kept: dict[tuple[object, ...], explain.Sentences] = {}
        said: dict[tuple[str, str | None], set[str]] = {}
        try:
            for lang in ("en", "fr", "en"):
                i18n.use(lang)
                for r in results:
                    matches = {m.contribution.id: m for m in r.matches}
                    for c in ledger.contributions:
                        m = matches.get(c.id)
                        alone = explain.sentences(ledger, r, c, m)
                        assert explain.sentences(ledger, r, c, m, kept) == alone, (root, c.id)
                        if m is None or not m.computed:
                            key = (r.programme.id, m.reason if m else None)
                            said.setdefault(key, set()).add(alone[1][0])
        finally:
            i18n.use("en")
        varied |= {reason for (_p, reason), texts in said.items() if len(texts) > 2}
    # Teeth: a memo keyed too coarsely (without the date) would have told
    # these the same (more than two texts: not only the two languages).
    assert {"before-start", "after-end"} <= varied, varied
