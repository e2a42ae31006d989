"""The HTML report in a real browser: headless Chromium, no network.

Renders the report of the bundled ledger as of 2026-11-28, loads it with `--dump-dom`
(the DOM after the page's script ran), checks key figures and that the script sorted and
filtered a table, and takes screenshots at desktop and phone widths. Skipped, saying why,
when Chromium is not installed (.ci/run installs Debian's `chromium`).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi.cli import app

MAIN = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install -y chromium), so the HTML "
    "report is not checked in a real browser",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # Any host name resolves to nothing: a page that needed the network would show it.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    args = ["report", "--html", str(out), "--root", str(MAIN), "--as-of", "2026-11-28"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dom(tmp: Path, page: Path) -> str:
    return chromium(tmp, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()).stdout


def test_key_figures_are_in_the_dom_after_the_script_ran(site: Path, tmp_path: Path) -> None:
    html = dom(tmp_path, site / "index.html")
    assert re.search(r'<html[^>]* data-js="ready"', html), "report.js did not run"
    assert 'data-sort-ready="true"' in html
    assert re.search(r'id="match-table"[^>]* data-rows-shown="10"', html)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert "Public share matched 79,999.98" in text
    assert "Overdue from funders 7,600.00" in text
    assert "Matched, not yet paid 39,999.98 Unallocated 0.02" in text  # pilote-2026
    assert "pilote-2025 dokos etat-demo 19,500.00 15,000.00 15,000.00 0.00" in text
    assert "10 of 10 rows shown" in text


# Runs in the page after report.js: sort the obligations by unmet, then filter them.
HARNESS = """<script>
var errors = [];
window.addEventListener("error", function (e) { errors.push(String(e.message)); });
document.addEventListener("DOMContentLoaded", function () {
  var table = document.getElementById("obligations-table");
  var unmet = Array.prototype.filter.call(table.tHead.rows[0].cells, function (th) {
    return th.textContent.trim() === "Unmet";
  })[0];
  function first() { return table.tBodies[0].rows[0].cells[6].textContent; }
  unmet.querySelector("button").click();
  var ascending = [first(), unmet.getAttribute("aria-sort")];
  unmet.querySelector("button").click();
  var descending = [first(), unmet.getAttribute("aria-sort")];
  var search = document.querySelector(".filters input[type=search]");
  search.value = "loot";
  search.dispatchEvent(new Event("input", { bubbles: true }));
  document.body.setAttribute("data-test", JSON.stringify({
    ascending: ascending, descending: descending,
    shown: table.getAttribute("data-rows-shown"), errors: errors
  }));
});
</script>
</body>"""


def test_the_script_sorts_and_filters_in_a_real_browser(site: Path, tmp_path: Path) -> None:
    page = site / "obligations-test.html"
    text = (site / "obligations.html").read_text(encoding="utf-8")
    page.write_text(text.replace("</body>", HARNESS), encoding="utf-8")
    try:
        html = dom(tmp_path, page)
    finally:
        page.unlink()
    found = re.search(r'data-test="([^"]*)"', html)
    assert found, "the test script did not run"
    result = json.loads(unescape(found.group(1)))
    assert result["errors"] == []
    assert result["ascending"] == ["1,000.00", "ascending"]  # gare-loot-2026
    assert result["descending"] == ["11,999.98", "descending"]  # pilote-2026, dokos
    assert result["shown"] == "3"  # pilote-2025, pilote-2026 and the pledge gare-loot-2026


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_at_desktop_and_phone_width(site: Path, tmp_path: Path, width: int) -> None:
    shot = tmp_path / f"overview-{width}.png"
    chromium(
        tmp_path,
        f"--screenshot={shot}",
        f"--window-size={width},1600",
        (site / "index.html").as_uri(),
    )
    assert png_size(shot) == (width, 1600)
    assert shot.stat().st_size > 30_000, "a blank page compresses to almost nothing"


# Laid out in an iframe of the given width (Chromium does not lay a headless window out
# narrower than 500 px for --dump-dom), measured by a script of the page around it.
MEASURE = """<!doctype html><html><body>
<iframe id="f" src="{page}" width="{width}" height="900"></iframe>
<script>
window.addEventListener("load", function () {{
  var d = document.getElementById("f").contentDocument, w = d.defaultView, out = [];
  out.push(["page", d.documentElement.scrollWidth, w.innerWidth].join(" "));
  d.querySelectorAll("table").forEach(function (t) {{
    var box = t.parentElement;
    out.push([t.id || "table", t.scrollWidth, box.clientWidth,
              w.getComputedStyle(box).overflowX].join(" "));
  }});
  document.body.setAttribute("data-m", out.join("|"));
}});
</script></body></html>"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", ["index.html", "obligations.html", "contributions.html"])
def test_no_page_is_wider_than_the_screen_and_wide_tables_scroll(
    site: Path, tmp_path: Path, page: str, width: int
) -> None:
    """At a desktop's 1280 px and a phone's 390 px, the page itself never runs past the
    screen (amounts off-screen, the Total row cut), and a table wider than its place
    scrolls within its own box, so that every column can be reached."""
    probe = site / f"measure-{width}-{page}"
    probe.write_text(MEASURE.format(page=page, width=width), encoding="utf-8")
    html = chromium(
        tmp_path,
        "--allow-file-access-from-files",
        "--virtual-time-budget=5000",
        "--dump-dom",
        probe.as_uri(),
    ).stdout
    found = re.search(r'data-m="([^"]*)"', html)
    assert found, "the measuring script did not run"
    rows = [line.split(" ") for line in unescape(found[1]).split("|")]
    _, page_width, screen = rows[0]
    assert int(page_width) <= int(screen), f"{page} is {page_width} px on a {screen} px screen"
    assert len(rows) > 1, f"{page} holds no table"
    for table, table_width, box_width, overflow in rows[1:]:
        if int(table_width) > int(box_width):
            assert overflow in ("auto", "scroll"), f"{table} ({table_width} px) is cut at {width}"


def test_footers_show_code_and_names_come_once(site: Path) -> None:
    for page in [site / "index.html", *sorted((site / "commons").glob("*.html"))]:
        text = page.read_text(encoding="utf-8")
        footer = re.search(r"<footer.*?</footer>", text, re.S)
        assert footer and "`" not in footer[0], page.name
        assert "((" not in unescape(re.sub(r"<[^>]+>", "", text)), page.name
