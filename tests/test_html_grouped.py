"""A large ledger's report groups the explanations of one day on one page (issue 14):
every contribution's explanation still reachable from its row, every link landing on a
file and an anchor, the same sentences as a page of its own would hold."""

from __future__ import annotations

import re

import pytest

import cofi.html
from cofi.html import render_report
from test_html import AS_OF, MAIN, Page, compute
from test_html import test_links_between_pages_land_on_a_file_and_an_anchor as links_land


@pytest.fixture(scope="module")
def both():
    ledger, results, debts = compute(MAIN)
    own = render_report(ledger, results, debts, AS_OF)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cofi.html, "ONE_PAGE_EACH", 0)
        grouped = render_report(ledger, results, debts, AS_OF)
    return ledger, own, grouped


def test_explanations_of_one_day_share_a_page(both) -> None:
    ledger, own, grouped = both
    days = {c.date.isoformat() for c in ledger.contributions if c.date <= AS_OF}
    assert {p for p in grouped if p.startswith("explain/")} == {f"explain/{d}.html" for d in days}
    assert set(own) - {p for p in own if p.startswith("explain/")} <= set(grouped)


def test_every_explanation_is_reachable_and_says_the_same(both) -> None:
    ledger, own, grouped = both
    text = grouped["contributions.html"]
    for c in ledger.contributions:
        if c.date > AS_OF:
            continue
        day = c.date.isoformat()
        page = Page(grouped[f"explain/{day}.html"])
        assert f"c-{c.id}" in page.ids
        for anchor in Page(own[f"explain/{c.id}.html"]).ids:
            if anchor.startswith("programme-"):
                assert f"c-{c.id}--{anchor}" in page.ids
            if f'href="explain/{c.id}.html#{anchor}"' in own["contributions.html"]:
                assert f'href="explain/{day}.html#c-{c.id}--{anchor}"' in text
        # the same sentences, in the same order
        alone = " ".join(" ".join(Page(own[f"explain/{c.id}.html"]).text).split())
        lead = alone.split(f"Contribution {c.id}", 1)[-1].strip()
        together = " ".join(" ".join(page.text).split())
        assert re.sub(r"\s+", " ", lead.split(" Generated ")[0])[:200] in together


def test_links_of_the_grouped_report_land(both) -> None:
    links_land(both[2])
