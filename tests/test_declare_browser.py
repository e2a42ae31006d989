"""The report's forms in a real browser (issue 17): headless Chromium fills them, the test
reads the forge link they would open, decodes it, writes the file it carries into a copy
of the ledger and runs `cofi check` on it. A wrong value is refused in the form with the
words `cofi check` prints for it. Skipped, saying why, without Chromium (.ci/run installs
Debian's `chromium`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from click.testing import Result
from typer.testing import CliRunner

from cdp import Page
from cofi import i18n
from cofi.cli import app
from test_html_browser import CHROMIUM
from test_html_browser import FLAGS as BROWSER

MAIN = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install -y chromium), so the report's "
    "forms are not tried in a real browser",
)
# test_html_browser's, and: the phone test's frame reads its page from disk; the forms'
# scripts run before the DOM is dumped.
FLAGS = (*BROWSER, "--allow-file-access-from-files", "--virtual-time-budget=5000")
TODAY = date.today().isoformat()
REPOSITORIES = {
    "github": "https://github.com/ftl/communs",
    "gitlab": "https://framagit.org/ftl/communs",
    "gitea": "https://git.example.org/ftl/communs",
}
# What each forge's new-file page reads (docs/declare.md gives the sources).
SHAPES = {
    "github": ("/ftl/communs/new/main/", "filename", "value"),
    "gitlab": ("/ftl/communs/-/new/main/", "file_name", "content"),
    "gitea": ("/ftl/communs/_new/main/", "filename", "value"),
}
AWAITING = "2026-11-24-tilleuls-dokos"  # pilote-2026 requires receipts; none confirms it


def ledger_copy(where: Path, software: str | None) -> Path:
    root = where / "ledger-copy"
    for part in ("commons", "ledger", "schemas"):
        shutil.copytree(MAIN / part, root / part)
    if software:
        settings = root / "ledger" / "settings.yaml"
        kind = "  kind: gitea\n" if software == "gitea" else ""
        text = f"forge:\n  repository: {REPOSITORIES[software]}\n{kind}"
        settings.write_text(settings.read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


def cofi(lang: str, *args: str) -> Result:
    """A cofi command in `lang` (the program takes --lang out before its app runs)."""
    i18n.use(lang)
    try:
        return CliRunner().invoke(app, [*args, "--as-of", TODAY])
    finally:
        i18n.use("en")


def report(root: Path, lang: str) -> Path:
    out = root.parent / f"site-{lang}"
    result = cofi(lang, "report", "--html", str(out), "--root", str(root))
    assert result.exit_code == 0, result.output
    return out


def check(root: Path, lang: str = "en") -> tuple[int, list[dict[str, object]]]:
    result = cofi(lang, "check", "--root", str(root), "--format", "json")
    return result.exit_code, json.loads(result.stdout)


# Runs in the page after declare.js: `steps` fill and submit the form, then the state of
# the page is written where --dump-dom shows it.
HARNESS = """<script>
var errors = [];
window.addEventListener("error", function (e) { errors.push(String(e.message)); });
document.addEventListener("DOMContentLoaded", function () { setTimeout(function () {
  var f = document.getElementById("entry-form");
  function set(n, v) {
    var c = f.elements.namedItem(n);
    c.value = v;
    c.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function error(n) { return document.getElementById("f-" + n + "-error").textContent; }
  var said = {};
  %s
  var out = document.getElementById("out"), open = document.getElementById("out-open");
  document.body.setAttribute("data-test", JSON.stringify({
    said: said, errors: errors, ready: document.documentElement.getAttribute("data-form"),
    shown: out ? !out.hidden : false, url: out ? out.getAttribute("data-url") : null,
    path: out ? document.getElementById("out-path").textContent : "",
    text: out ? document.getElementById("out-text").value : "",
    open: open ? !open.parentNode.hidden : null,
    long: out ? !document.getElementById("out-long").hidden : null,
    download: out ? document.getElementById("out-download").getAttribute("download") : null,
    problems: (function (box) { return box.hidden ? "" : box.textContent; })(
      document.getElementById("form-problems"))
  }));
}, 0); });
</script>
</body>"""


def run(site: Path, page: str, steps: str, query: str = "") -> dict[str, object]:
    probe = site / f"test-{page}"
    text = (site / page).read_text(encoding="utf-8")
    probe.write_text(text.replace("</body>", HARNESS % steps), encoding="utf-8")
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={site / 'profile'}", "--dump-dom"]
    done = subprocess.run(
        [*command, probe.as_uri() + query], capture_output=True, text=True, timeout=120
    )
    probe.unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'data-test="([^"]*)"', done.stdout)
    assert found, "the test script did not run"
    state = json.loads(unescape(found[1]))
    assert state["errors"] == [] and state["ready"] == "ready", state
    return state


def opened(state: dict[str, object], software: str) -> tuple[str, str, str]:
    """The forge link's folder, file name and file content."""
    url = str(state["url"])
    parts = urlsplit(url)
    start, name_key, content_key = SHAPES[software]
    assert f"{parts.scheme}://{parts.netloc}" == REPOSITORIES[software].rsplit("/ftl", 1)[0]
    assert parts.path.startswith(start), url
    query = parse_qs(parts.query, strict_parsing=True)
    assert sorted(query) == sorted([name_key, content_key])
    return unquote(parts.path[len(start) :]), query[name_key][0], query[content_key][0]


def write(root: Path, folder: str, name: str, content: str) -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


DECLARE = """
  set("date", "2026-11-20"); set("contributor", "la-fabrique-du-coin"); set("common", "dokos");
  set("need", "facturation-tiers-lieux"); set("amount", "%s"); set("kind", "in-kind");
  set("reference", "FAC-2026-117"); set("note", "atelier « Dokos »\\nsur deux jours");
  f.requestSubmit();
"""


@pytest.mark.parametrize("software", ["github", "gitlab", "gitea"])
def test_a_declared_contribution_opens_the_forge_with_a_file_that_passes_check(
    tmp_path: Path, software: str
) -> None:
    root = ledger_copy(tmp_path, software)
    state = run(report(root, "fr"), "declare.html", DECLARE % "1200,50")  # a French comma
    assert state["shown"] is True and state["problems"] == "", state
    assert state["open"] is True and state["long"] is False
    folder, name, content = opened(state, software)
    assert (folder, name) == (
        "ledger/contributions/2026",
        "2026-11-20-la-fabrique-du-coin-dokos.yaml",
    )
    assert state["path"] == f"{folder}/{name}" and state["text"] == content
    assert state["download"] == name
    # The file cofi new would write: the schema line, then the fields in their order.
    assert content == (
        "# yaml-language-server: $schema=../../../schemas/contribution.json\n"
        "date: 2026-11-20\ncontributor: la-fabrique-du-coin\ncommon: dokos\n"
        "need: facturation-tiers-lieux\namount: 1200.50\nkind: in-kind\n"
        'reference: "FAC-2026-117"\nnote: "atelier « Dokos »\\nsur deux jours"\n'
    )
    assert check(root) == (0, [])
    write(root, folder, name, content)
    assert check(root) == (0, [])
    owed = cofi("en", "obligations", "--root", str(root), "--format", "csv")
    assert owed.exit_code == 0 and "pledge" in owed.stdout


def test_the_link_names_the_ledgers_folder_in_the_repository(tmp_path: Path) -> None:
    root = ledger_copy(tmp_path, None)
    settings = root / "ledger" / "settings.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "forge:\n  repository: https://github.com/ftl/communs\n  branch: publication/2026\n"
        "  folder: registres/national\n",
        encoding="utf-8",
    )
    state = run(report(root, "en"), "declare.html", DECLARE % "10")
    url = urlsplit(str(state["url"]))
    assert url.path == (
        "/ftl/communs/new/publication/2026/registres/national/ledger/contributions/2026"
    )
    assert state["path"] == (
        "registres/national/ledger/contributions/2026/2026-11-20-la-fabrique-du-coin-dokos.yaml"
    )


def problem_of(root: Path, lang: str, code: str) -> str:
    exit_code, problems = check(root, lang)
    assert exit_code == 1
    (only,) = [p for p in problems if p["code"] == code]
    return f"{code} {only['message']}{only['hint']}"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("field", "typed", "line", "code"),
    [
        ("amount", "1200.555", "amount: 1200.555\n", "S003"),  # 3 decimals
        ("amount", "0", "amount: 0\n", "S003"),
        ("amount", "1 200", "amount: 1 200\n", "S003"),
        ("date", "2026-02-30", "date: 2026-02-30\n", "S004"),
        ("date", "2999-12-31", "date: 2999-12-31\n", "L007"),  # after today
        ("reference", "FAC\u200b117", 'reference: "FAC\u200b117"\n', "S013"),  # zero-width space
    ],
)
def test_a_wrong_value_is_refused_in_the_form_with_cofi_checks_words(
    tmp_path: Path, lang: str, field: str, typed: str, line: str, code: str
) -> None:
    root = ledger_copy(tmp_path, "github")
    site = report(root, lang)
    steps = DECLARE % "1200.50" + f"said.refused = error({json.dumps(field)});"
    if field == "date":  # as typed where a browser has no date picker: any text
        steps += 'f.elements.namedItem("date").type = "text";'
    steps += f"set({json.dumps(field)}, {json.dumps(typed)}); f.requestSubmit();"
    steps += f"said.error = error({json.dumps(field)});"
    state = run(site, "declare.html", steps)
    said = state["said"]
    assert isinstance(said, dict) and said["refused"] == ""
    assert state["shown"] is False and state["problems"]
    # The same file with the wrong value, as it would be written: what cofi check says.
    good = run(site, "declare.html", DECLARE % "1200.50")
    text = re.sub(rf"^{field}: .*\n", line, str(good["text"]), flags=re.M)
    write(root, "ledger/contributions/2026", "2026-11-20-la-fabrique-du-coin-dokos.yaml", text)
    assert said["error"] == problem_of(root, lang, code)


def test_a_file_too_long_for_a_link_is_offered_to_copy_and_download(tmp_path: Path) -> None:
    root = ledger_copy(tmp_path, "github")
    long_note = "une longue note " * 150  # 2,400 characters, over 2,000 in a link
    steps = DECLARE.replace("atelier « Dokos »\\nsur deux jours", long_note) % "300"
    state = run(report(root, "fr"), "declare.html", steps)
    assert state["shown"] is True and state["open"] is False and state["long"] is True
    assert state["url"] == "" and state["download"] == "2026-11-20-la-fabrique-du-coin-dokos.yaml"
    write(root, "ledger/contributions/2026", str(state["download"]), str(state["text"]))
    assert check(root) == (0, [])


def test_without_a_forge_the_form_offers_copy_and_download(tmp_path: Path) -> None:
    root = ledger_copy(tmp_path, None)
    state = run(report(root, "en"), "declare.html", DECLARE % "300")
    assert state["shown"] is True and state["open"] is None and state["url"] is None
    write(root, "ledger/contributions/2026", str(state["download"]), str(state["text"]))
    assert check(root) == (0, [])


RECEIPT = """
  said.chosen = f.elements.namedItem("contribution").value;
  said.who = document.getElementById("f-contribution-help").textContent;
  set("date", "2026-11-01"); f.requestSubmit(); said.early = error("date");
  set("date", "2026-11-30"); set("note", "virement reçu"); f.requestSubmit();
"""


def test_a_steward_confirms_from_the_contributions_page(tmp_path: Path) -> None:
    root = ledger_copy(tmp_path, "gitlab")
    site = report(root, "en")
    page = (site / "explain" / f"{AWAITING}.html").read_text(encoding="utf-8")
    link = re.search(r'href="(\.\./receipt\.html\?contribution=[^"]+)"', page)
    assert link and unescape(link[1]) == f"../receipt.html?contribution={AWAITING}"
    state = run(site, "receipt.html", RECEIPT, query=f"?contribution={AWAITING}")
    said = state["said"]
    assert isinstance(said, dict) and said["chosen"] == AWAITING
    assert "steward of Dokos (dokos)" in str(said["who"]) and "[dokos-sas]" in str(said["who"])
    folder, name, content = opened(state, "gitlab")
    assert (folder, name) == ("ledger/receipts/2026", f"2026-11-30-receipt-{AWAITING}.yaml")
    # A receipt dated before its contribution: refused with L014's words.
    early = content.replace("date: 2026-11-30", "date: 2026-11-01")
    write(root, folder, name, early)
    assert said["early"] == problem_of(root, "en", "L014")
    write(root, folder, name, content)
    assert check(root) == (0, [])
    owed = cofi("en", "obligations", "--root", str(root), "--format", "csv")
    assert owed.exit_code == 0 and AWAITING not in owed.stdout


def test_without_javascript_the_page_shows_a_file_that_passes_check(tmp_path: Path) -> None:
    root = ledger_copy(tmp_path, "github")
    site = report(root, "fr")
    # No script runs in this copy of the page (a policy the browser enforces), as in a
    # browser with JavaScript off: what remains is what such a contributor sees.
    probe = site / "no-script.html"
    text = (site / "declare.html").read_text(encoding="utf-8")
    policy = '<meta http-equiv="Content-Security-Policy" content="script-src \'none\'">'
    probe.write_text(text.replace("<head>", "<head>" + policy, 1), encoding="utf-8")
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'p'}", "--dump-dom"]
    html = subprocess.run([*command, probe.as_uri()], capture_output=True, text=True).stdout
    assert 'data-js="ready"' not in html and 'data-form="ready"' not in html, "a script ran"
    assert re.search(r'<form id="entry-form"[^>]* hidden', html), "a form that cannot work"
    by_hand = re.search(
        r'<section id="by-hand">.*?<code>([^<]+)</code></p><pre class="file">([^<]+)</pre>',
        html,
        re.S,
    )
    assert by_hand, "no file to copy"
    path, content = unescape(by_hand[1]), unescape(by_hand[2])
    link = re.search(r'<a href="([^"]+)" rel="noopener">La page « nouveau fichier »', html)
    assert link and unescape(link[1]) == (
        "https://github.com/ftl/communs/new/main/" + path.rsplit("/", 1)[0]
    )
    folder, name = path.rsplit("/", 1)
    write(root, folder, name, content)
    assert check(root) == (0, [])


# Laid out in an iframe of a phone's width (a headless window is never narrower than
# 500 px), after the script showed the form and a prepared file.
MEASURE = """<!doctype html><html><body>
<iframe id="f" src="{page}" width="390" height="900"></iframe>
<script>
window.addEventListener("load", function () {{
  var d = document.getElementById("f").contentDocument, w = d.defaultView;
  var f = d.getElementById("entry-form");
  function set(n, v) {{ f.elements.namedItem(n).value = v; }}
  {fill}
  f.requestSubmit();
  var wide = [];
  d.querySelectorAll("main *").forEach(function (e) {{
    if (e.getBoundingClientRect().right > w.innerWidth + 1) wide.push(e.tagName + "#" + e.id);
  }});
  document.body.setAttribute("data-m", JSON.stringify({{
    page: d.documentElement.scrollWidth, screen: w.innerWidth, wide: wide,
    shown: !d.getElementById("out").hidden
  }}));
}});
</script></body></html>"""
FILLS = {
    "declare.html": 'set("date", "2026-11-20"); set("contributor", "la-fabrique-du-coin"); '
    'set("common", "dokos"); set("amount", "12");',
    "receipt.html": f'set("contribution", "{AWAITING}"); set("date", "2026-11-30");',
}


@pytest.mark.parametrize("page", sorted(FILLS))
def test_the_forms_fit_a_phone(tmp_path: Path, page: str) -> None:
    site = report(ledger_copy(tmp_path, "github"), "fr")
    probe = site / "measure.html"
    probe.write_text(MEASURE.format(page=page, fill=FILLS[page]), encoding="utf-8")
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'p'}", "--dump-dom"]
    html = subprocess.run([*command, probe.as_uri()], capture_output=True, text=True).stdout
    found = re.search(r'data-m="([^"]*)"', html)
    assert found, "the measuring script did not run"
    m = json.loads(unescape(found[1]))
    assert m["shown"] is True
    assert m["page"] <= m["screen"] == 390 and m["wide"] == [], m


def tab_to(page: Page, target: str, most: int = 40) -> list[str]:
    """Press Tab until `target` has the focus: the ids (or tags) it passed through."""
    passed = []
    while page.focused() != target:
        assert len(passed) < most, f"{target} is never reached by Tab: {passed}"
        page.press("Tab")
        passed.append(page.focused())
    return passed


def test_the_form_is_filled_and_sent_with_the_keyboard_alone(tmp_path: Path) -> None:
    """Keys pressed one at a time, as someone without a mouse would: Tab through the page,
    type in each field (digits into the date picker, the first letters of a choice), Enter
    to prepare the file; no click, no script of the test's own on the page."""
    root = ledger_copy(tmp_path, "github")
    site = report(root, "en")
    assert CHROMIUM is not None
    # The date picker's order of fields follows the browser's language: month, day, year.
    flags = ("--headless", "--no-sandbox", "--disable-gpu", "--lang=en-US")
    page = Page(CHROMIUM, tmp_path / "profile", (site / "declare.html").as_uri(), flags)
    try:
        page.wait_for("document.documentElement.getAttribute('data-form') === 'ready'")
        # Every field in the order it is read; the need and the pledge wait for a common.
        fields = [f for f in tab_to(page, "BUTTON") if f.startswith("f-")]
        assert list(dict.fromkeys(fields)) == [
            "f-date", "f-contributor", "f-common", "f-amount", "f-kind", "f-reference", "f-note",
        ]  # fmt: skip
        page.press("Enter")  # nothing filled in: the list of problems takes the focus
        assert page.focused() == "form-problems"
        assert "Date: fill in this field" in str(page.js("document.activeElement.textContent"))
        page.press("Tab")  # from the list, its first link, then back into the form
        tab_to(page, "f-date")
        page.type("11202026")  # 11/20/2026
        tab_to(page, "f-contributor")
        page.type("la fab")  # a closed list selects the choice its first letters name
        tab_to(page, "f-common")
        page.type("dokos")
        page.press("Tab")
        assert page.focused() == "f-need"  # open now that a common is chosen
        tab_to(page, "f-amount")
        page.type("1200.50")
        page.press("Enter")
        assert page.focused() == "out-title"  # the file, read out where it is shown
        tab_to(page, "out-open")
        url = str(page.js("document.activeElement.href"))
    finally:
        page.close()
    folder, name, content = opened({"url": url}, "github")
    assert (folder, name) == (
        "ledger/contributions/2026",
        "2026-11-20-la-fabrique-du-coin-dokos.yaml",
    )
    assert "amount: 1200.50\n" in content and "date: 2026-11-20\n" in content
    write(root, folder, name, content)
    assert check(root) == (0, [])
