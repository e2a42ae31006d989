"""A large ledger's packed pages in a real browser (headless Chromium), opened from disk:
the script unpacks the month's tables and the explanation the address names, and the
tables still sort and filter. Skipped when Chromium is not installed."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cofi.html
from cdp import Page
from cofi.cli import app
from cofi.html.explanation import article, read
from cofi.html.packed import unpack
from test_html_browser import CHROMIUM, MAIN, chromium
from test_html_paged import BLOCK

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
FABLAB = "2025-09-09-fablab-des-marais-dokos"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paged")
    args = ["report", "--html", str(out), "--root", str(MAIN), "--as-of", "2026-11-28"]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cofi.html, "ONE_PAGE_EACH", 0)  # the bundled ledger, paged as a large one
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def dom(tmp: Path, page: Path, anchor: str = "") -> str:
    uri = page.as_uri() + (f"#{anchor}" if anchor else "")
    return chromium(tmp, "--virtual-time-budget=5000", "--dump-dom", uri).stdout


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_month_of_contributions_is_unpacked_and_sortable(site: Path, tmp_path: Path) -> None:
    html = dom(tmp_path, site / "contributions" / "2025-09.html")
    assert re.search(r'<html[^>]* data-js="ready"', html), "report.js did not run"
    assert re.search(r'id="contributions-pilote-2025"[^>]* data-sort-ready="true"', html)
    assert f'href="../explain/2025-09.html#c-{FABLAB}--programme-pilote-2025"' in html
    assert "cap per common" in text(html)


def test_an_explanation_is_reached_from_its_row(site: Path, tmp_path: Path) -> None:
    page = site / "explain" / "2025-09.html"
    html = dom(tmp_path, page, f"c-{FABLAB}--programme-pilote-2025")
    words = text(html)
    assert f'<article id="c-{FABLAB}">' in html
    assert "only 500.00 was left of dokos's cap of 15,000.00: 500.00" in words
    assert "Matched: 500.00, limited by the cap per common." in words
    assert f'id="c-{FABLAB}--programme-pilote-2025"' in html


def test_without_an_id_the_page_lists_its_explanations(site: Path, tmp_path: Path) -> None:
    html = dom(tmp_path, site / "explain" / "2025-09.html")
    assert f'href="#c-{FABLAB}"' in html and "<article" not in html
    html = dom(tmp_path, site / "explain" / "2025-09.html", "c-nobody")
    assert "No contribution nobody is explained on this page." in text(html)


def test_the_packed_debts_are_filterable(site: Path, tmp_path: Path) -> None:
    html = dom(tmp_path, site / "obligations.html")
    assert re.search(r'id="obligations-table"[^>]* data-filter-ready="true"', html)


SAME = """(function (python) {
  function bare(node) {  // without the line breaks between elements that Python writes
    for (var child = node.firstChild; child; ) {
      var next = child.nextSibling;
      if (child.nodeType === 3 && !child.data.trim()) node.removeChild(child);
      else bare(child);
      child = next;
    }
    return node;
  }
  var expected = document.createElement("template");
  expected.innerHTML = python;
  var want = bare(expected.content.querySelector("article").cloneNode(true));
  var got = bare(document.querySelector("#explanations article").cloneNode(true));
  return want.isEqualNode(got) ? "" : got.outerHTML;
})"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_script_shows_each_explanation_as_python_writes_it(lang: str, tmp_path: Path) -> None:
    """Every explanation of every month, as report.js makes it from the packed data, is
    the same elements, attributes and text as cofi.html.explanation.article makes from the
    same data for a small ledger's page (the Python tests read the pages with the latter)."""
    out = tmp_path / "site"
    args = ["--lang", lang, "report", "--html", str(out), "--root", str(MAIN)]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(cofi.html, "ONE_PAGE_EACH", 0)
        result = CliRunner().invoke(app, [*args, "--as-of", "2026-11-28"])
    assert result.exit_code == 0, result.output
    assert CHROMIUM is not None
    flags = ("--headless", "--no-sandbox", "--disable-gpu")
    pages = sorted((out / "explain").glob("*.html"))
    browser = Page(CHROMIUM, tmp_path / "profile", pages[0].as_uri(), flags)
    seen = 0
    try:
        for path in pages:
            if path != pages[0]:  # the old page marked, to know the new one when it is ready
                browser.js("document.documentElement.setAttribute('data-left', '')")
                browser.go(path.as_uri())
            browser.wait_for(
                "!document.documentElement.hasAttribute('data-left') && "
                "document.documentElement.getAttribute('data-js') === 'ready'"
            )
            data = json.loads(unpack(BLOCK.search(path.read_text()).group(3)))  # type: ignore[union-attr]
            headings, each = read(data)
            for x in each:
                ident = x.id
                browser.js(f"location.hash = {json.dumps('c-' + ident)}")
                browser.wait_for(
                    "(document.querySelector('#explanations article') || {}).id === "
                    + json.dumps(f"c-{ident}")
                )
                python = article(x, headings)
                assert browser.js(f"{SAME}({json.dumps(python)})") == "", python
                seen += 1
    finally:
        browser.close()
    assert seen == 30  # the bundled ledger's 30 contributions up to 2026-11-28
