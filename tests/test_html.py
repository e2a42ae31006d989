"""`cofi report --html`: the static report of the bundled ledger as of 2026-11-28.

Its figures are those of the CLI's Tables (computed here by the same functions and
rendered by render.human_cell), and a few worked out by hand in ledger/README.md. Names
from contributors' files are escaped; nothing is loaded from the network; every link
between pages lands on a file (and an anchor) of the report.
"""

from __future__ import annotations

import posixpath
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi import report
from cofi.checks import validate
from cofi.cli import app
from cofi.html import render_report
from cofi.matching import match_all
from cofi.obligations import (
    Obligation,
    match_obligations,
    pledge_obligations,
    receipt_obligations,
)
from cofi.render import human_cell

MAIN = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 28)


def compute(root: Path, as_of: date = AS_OF):
    loaded = validate(root, as_of)
    assert not [p for p in loaded.problems if p.severity == "error"]
    ledger = loaded.ledger
    results = match_all(ledger, as_of)
    debts = match_obligations(ledger, results) + pledge_obligations(ledger, as_of)
    return ledger, results, debts


@pytest.fixture(scope="module")
def bundled():
    return compute(MAIN)


@pytest.fixture(scope="module")
def files(bundled) -> dict[str, str]:
    ledger, results, debts = bundled
    return render_report(ledger, results, debts, AS_OF)


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with their attributes, ids, tables."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "table":
            self._table = str(a.get("id"))
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def body(self, table: str) -> list[list[str]]:
        """A table's rows below the header row (the totals row last, when there is one)."""
        return self.tables[table][1:]


def pages(files: dict[str, str]) -> dict[str, Page]:
    return {path: Page(text) for path, text in files.items() if path.endswith(".html")}


def shown(table: report.Table, hide: tuple[str, ...] = ()) -> list[list[str]]:
    """The table as the terminal shows it: each cell by render.human_cell, then the totals."""
    columns = [c for c in table.columns if c.key not in hide]
    rows = [[human_cell(r.get(c.key), c.kind) for c in columns] for r in table.rows]
    if table.totals is not None:
        totals = [human_cell(table.totals.get(c.key), c.kind) for c in columns]
        rows.append(totals if totals[0] else ["Total", *totals[1:]])  # the label, if hidden
    return rows


# ---- every page, and what every page has ------------------------------------------------------


def test_every_page_exists(bundled, files) -> None:
    ledger, _, _ = bundled
    expected = {"index.html", "contributions.html", "obligations.html", "report.css", "report.js"}
    expected |= {"declare.html", "receipt.html", "declare.js"}
    expected |= {f"commons/{c.id}.html" for c in ledger.commons}
    expected |= {f"explain/{c.id}.html" for c in ledger.contributions if c.date <= AS_OF}
    assert set(files) == expected
    assert {"commons/dokos.html", "commons/movilab.html", "commons/loot.html"} <= set(files)
    # 29 contributions as of 2026-11-28, plus the one awaiting its receipt (2026-11-24)
    assert len([p for p in files if p.startswith("explain/")]) == 30


def test_every_page_is_a_whole_accessible_document(files) -> None:
    for path, page in pages(files).items():
        text = files[path]
        assert text.startswith("<!doctype html>"), path
        tags = [t for t, _ in page.tags]
        html = dict(page.tags)["html"]
        assert html.get("lang") == "en", path
        assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
            page.tags
        ), path
        assert tags.count("nav") == 1 and tags.count("main") == 1 and tags.count("h1") == 1, path
        assert tags.count("table") == tags.count("caption"), f"{path}: a table has no caption"
        assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th"), path
        assert all(
            a.get("role") == "img" and a.get("aria-label") for t, a in page.tags if t == "svg"
        )
        controls = [a for t, a in page.tags if t in ("input", "select", "textarea")]
        if path in ("declare.html", "receipt.html"):
            # The forms' controls, each with its label (and keyboard-reachable: no tabindex).
            labelled = {a.get("for") for t, a in page.tags if t == "label"}
            assert controls or path == "receipt.html", path  # none may await a receipt
            assert all(a.get("id") in labelled or a.get("aria-label") for a in controls), path
            assert all("tabindex" not in a for a in controls), path
        else:
            assert controls == [], "filter controls are added by the script, with their labels"


def test_money_is_right_aligned_in_number_cells(files) -> None:
    text = files["index.html"]
    assert '<td class="num" data-sort="15000.00">15,000.00</td>' in text
    assert re.search(r"<td>[0-9,]+\.[0-9]{2}</td>", text) is None


# ---- the figures: the CLI's Tables, and the README's hand-worked ones ------------------------


def test_overview_shows_the_match_table_cell_for_cell(bundled, files) -> None:
    _, results, debts = bundled
    table = report.match_table(results, [o for o in debts if o.kind == "match"])
    assert Page(files["index.html"]).body("match-table") == shown(table)


def test_overview_programmes_and_key_figures_are_worked_out_by_hand(files) -> None:
    page = Page(files["index.html"])
    rows = {r[0]: r for r in page.body("programmes-table")}
    # Programme, Funder, Allocation, Envelope, Allocated, Unallocated, Paid, Unmet, Provisional
    assert rows["pilote-2025"][3:9] == [
        "30,000.00", "30,000.00", "0.00", "22,400.00", "7,600.00", ""
    ]  # fmt: skip
    assert rows["pilote-2026"][3:9] == [
        "40,000.00", "39,999.98", "0.02", "0.00", "39,999.98", "yes"
    ]  # fmt: skip
    assert rows["region-2026"][3:6] == ["10,000.00", "10,000.00", "0.00"]
    assert rows["Total"][3:8] == ["80,000.00", "79,999.98", "0.02", "22,400.00", "57,599.98"]
    text = " ".join(" ".join(page.text).split())
    assert "Public share matched 79,999.98" in text
    assert "Paid by funders 22,400.00" in text
    assert "Overdue from funders 7,600.00" in text  # communecter 3000 + loot 4600 (pilote-2025)


def test_overview_match_rows_worked_out_by_hand(files) -> None:
    rows = {(r[0], r[1]): r for r in Page(files["index.html"]).body("match-table")}
    # Programme, Common, Funder, Contributed, Matched, Paid, Unmet, Due, Overdue, Provisional
    assert rows[("pilote-2025", "dokos")][3:9] == [
        "19,500.00", "15,000.00", "15,000.00", "0.00", "2026-03-01", ""
    ]  # fmt: skip
    assert rows[("pilote-2025", "communecter")][4:9] == [
        "8,000.00", "5,000.00", "3,000.00", "2026-03-01", "yes"
    ]  # fmt: skip
    assert rows[("pilote-2026", "dokos")][4] == "11,999.98"  # 12000 exact, four floors
    assert rows[("region-2026", "movilab")][4] == "4,000.00"


def test_obligations_page_is_the_obligations_table_overdue_first(bundled, files) -> None:
    from cofi.obligations import by_urgency

    _, _, debts = bundled
    page = Page(files["obligations.html"])
    table = report.obligations_table(by_urgency(debts))
    assert page.body("obligations-table") == shown(table)
    first = page.body("obligations-table")[:3]
    assert [(r[1], r[3], r[6], r[8]) for r in first] == [
        ("pilote-2025", "communecter", "3,000.00", "yes"),
        ("pilote-2025", "loot", "4,600.00", "yes"),
        ("cantine-movilab-2026", "movilab", "1,500.00", "yes"),  # 4000 pledged, 2500 given
    ]
    assert first[2][9] == "59"  # due 2026-09-30: 59 days before 2026-11-28
    ages = {r[0]: r[1:] for r in page.body("ageing-table")}
    assert ages == {
        "Not yet due": ["7", "50,999.98"],
        "31–90 days overdue": ["1", "1,500.00"],
        "181–365 days overdue": ["2", "7,600.00"],  # 272 days since 2026-03-01
        "Total": ["10", "60,099.98"],
    }
    assert page.body("honour-table") == shown(report.honour_table(_honour(debts)))


def _honour(debts: list[Obligation]):
    from cofi.obligations import honour_rates

    return honour_rates(debts)


def test_status_figures_on_the_overview_and_a_common_page(bundled, files) -> None:
    ledger, results, _ = bundled
    status = report.status_table(ledger, results, AS_OF)
    by_common = {r[0]: r for r in Page(files["index.html"]).body("commons-table")}
    mine = [r for r in shown(status) if r[1] == ""]
    assert [by_common[r[0]] for r in mine] == [[r[0], *r[2:]] for r in mine]
    dokos = Page(files["commons/dokos.html"]).body("needs-table")
    expected = [r[1:] for r in shown(status) if r[0] == "dokos"]
    assert dokos[:-1] == expected[1:]  # the needs, then the whole common as the footer
    assert dokos[-1] == ["Whole common", *expected[0][1:]]
    assert dokos[1][:6] == [
        "booking-v2", "Module de réservation v2 (besoin fictif)", "40,000.00", "18,000.00",
        "15,833.32", "6,166.68",
    ]  # fmt: skip


def test_a_common_page_has_its_match_rows_and_its_settled_debts(files) -> None:
    page = Page(files["commons/dokos.html"])
    rows = page.body("match-table")  # the column `common` is left out on a common's page
    assert rows[0][:6] == [
        "pilote-2025",
        "etat-demo",
        "19,500.00",
        "15,000.00",
        "15,000.00",
        "0.00",
    ]
    debts = {(r[0], r[1]) for r in page.body("obligations-table")}
    assert ("pledge", "fabrique-dokos-2026") in debts  # settled: 5000 of 5000
    assert ("match", "pilote-2025") in debts


def test_contributions_page_is_cofi_match_by_contribution(bundled, files) -> None:
    _, results, _ = bundled
    page = Page(files["contributions.html"])
    hide = ("programme", "eligible", "reason", "provisional")
    for r in results:
        assert page.body(f"contributions-{r.programme.id}") == shown(
            report.contributions_table([r]), hide
        )
    pilote = {row[0]: row for row in page.body("contributions-pilote-2025")}
    assert pilote["2025-09-09-fablab-des-marais-dokos"][7:9] == [
        "500.00",
        "cap per common",
    ]  # a code in words
    assert pilote["2025-12-10-hangar-partage-loot"][7:9] == ["1,100.00", "envelope"]
    refused = {(row[0], row[1]): row[-1] for row in page.body("contributions-refused")}
    # reasons are codes in words: steward, min-amount, reversed
    assert refused[("pilote-2025", "2025-06-03-serre-hybride-loot")] == "from a steward"
    assert refused[("pilote-2025", "2025-06-18-tilleuls-movilab")] == "below the minimum"
    assert refused[("pilote-2026", "2026-05-06-tilleuls-movilab")] == "reversed"
    assert ("pilote-2025", "2026-01-15-fabrique-du-coin-dokos") not in refused  # after-end


def test_each_contribution_links_to_its_explanation(files) -> None:
    text = files["contributions.html"]
    assert 'href="explain/2025-09-09-fablab-des-marais-dokos.html#programme-pilote-2025"' in text
    page = Page(files["explain/2025-09-09-fablab-des-marais-dokos.html"])
    words = " ".join(" ".join(page.text).split())
    assert "only 500.00 was left of dokos's cap of 15,000.00: 500.00" in words
    assert "Matched: 500.00, limited by the cap per common." in words
    assert {"programme-pilote-2025", "programme-pilote-2026", "programme-region-2026"} <= page.ids


def test_explanations_are_cofi_explain_sentences(bundled, files) -> None:
    from cofi.explain import explain

    ledger, results, _ = bundled
    c = ledger.entry["2026-01-15-fabrique-du-coin-dokos"]
    words = " ".join(" ".join(Page(files[f"explain/{c.id}.html"]).text).split())
    for line in explain(ledger, results, c):  # type: ignore[arg-type]
        assert line.strip().rstrip(":") in words


# ---- safety: escaping, nothing from the network, links that land -----------------------------

HOSTILE = {
    "ledger/settings.yaml": 'name: "<b>Réseau</b> & co"\n',
    "ledger/contributors/la-ruche.yaml": """
        name: "<script>alert('ruche')</script>"
        kind: tiers-lieu
        """,
    "ledger/contributors/etat.yaml": 'name: "État \\"démo\\""\nkind: public\n',
    "commons/dokos.yaml": """
        name: "<img src=x onerror=alert(1)>"
        description: "</p><script>alert(2)</script>"
        url: "javascript:alert(3)"
        stewards: []
        needs:
          - id: v2
            title: "</table><iframe src=//evil.example>"
            amount: 1000
        """,
    "commons/movilab.yaml": 'name: Movilab\nurl: "https://movilab.org/?a=1&b=\\"x"\n',
    "ledger/programmes/p.yaml": """
        name: "<svg onload=alert(4)>"
        funder: etat
        ratio: 1
        start: 2026-01-01
        end: 2026-12-31
        envelope: 1000
        allocation: first-come
        """,
    "ledger/contributions/2026-03-01-ruche-dokos.yaml": """
        date: 2026-03-01
        contributor: la-ruche
        common: dokos
        need: v2
        amount: 300
        note: "<script>alert(5)</script>"
        reference: "=HYPERLINK(\\"x\\")"
        """,
}


@pytest.fixture
def hostile(ledger_dir) -> dict[str, str]:
    root = ledger_dir(HOSTILE)
    ledger, results, debts = compute(root)
    return render_report(ledger, results, debts, AS_OF)


def test_text_from_contributors_files_is_escaped(hostile) -> None:
    every = "\n".join(hostile.values())
    for raw in (
        "<script>alert",
        "<img src=x",
        "<iframe",
        "<svg onload",
        "<b>Réseau",
        "</p><script",
    ):
        assert raw not in every, raw
    assert (
        "&lt;script&gt;alert(&#x27;ruche&#x27;)&lt;/script&gt;"
        in hostile["explain/2026-03-01-ruche-dokos.html"]
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile["commons/dokos.html"]
    assert 'href="javascript:' not in every.lower()
    assert "javascript:alert(3)" in hostile["commons/dokos.html"]  # shown as text, not a link
    assert 'href="https://movilab.org/?a=1&amp;b=&quot;x"' in hostile["commons/movilab.html"]
    for page in pages(hostile).values():  # still well-formed: the parser sees every table whole
        assert all(rows for rows in page.tables.values())


def _links(files: dict[str, str]):
    for path, page in pages(files).items():
        for tag, attrs in page.tags:
            for name in ("href", "src"):
                if attrs.get(name) is not None:
                    yield path, tag, str(attrs[name])


@pytest.mark.parametrize("which", ["bundled", "hostile"])
def test_nothing_is_loaded_from_the_network(which, request) -> None:
    files = request.getfixturevalue("files" if which == "bundled" else which)
    websites = {"https://dokos.io", "https://www.communecter.org", "https://movilab.org",
                'https://movilab.org/?a=1&b="x'}  # fmt: skip
    for path, tag, target in _links(files):
        if re.match(r"[a-z]+:|//", target, re.I):
            assert tag == "a" and target in websites, f"{path}: <{tag}> {target}"
    for name in ("report.css", "report.js"):
        assert not re.search(r"https?:|//[a-z]|@import|url\(", files[name], re.I), name
    for text in files.values():
        assert "<iframe" not in text and "<img" not in text


def test_links_between_pages_land_on_a_file_and_an_anchor(files) -> None:
    parsed = pages(files)
    checked = 0
    for path, _, target in _links(files):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        file = file.partition("?")[0]  # receipt.html?contribution=ID: the form reads it
        dest = posixpath.normpath(posixpath.join(posixpath.dirname(path), file)) if file else path
        assert dest in files, f"{path}: {target}"
        if anchor:
            assert anchor in parsed[dest].ids, f"{path}: {target}"
        checked += 1
    assert checked > 500


def test_rendering_is_pure_and_repeatable(bundled, files) -> None:
    ledger, results, debts = bundled
    assert render_report(ledger, results, debts, AS_OF) == files
    with_rev = render_report(ledger, results, debts, AS_OF, revision="v1.0")
    assert "ledger as committed at v1.0" in with_rev["index.html"]


def test_a_ledger_without_programmes_still_has_every_page(ledger_dir) -> None:
    root = ledger_dir(
        {
            "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
            "commons/dokos.yaml": "name: Dokos\n",
            "ledger/contributions/2026-03-01-a.yaml": (
                "date: 2026-03-01\ncontributor: la-ruche\ncommon: dokos\namount: 10\n"
            ),
        }
    )
    ledger, results, debts = compute(root)
    files = render_report(ledger, results, debts, AS_OF)
    assert {"index.html", "commons/dokos.html", "explain/2026-03-01-a.html"} <= set(files)
    assert "nothing to show" in files["index.html"]


# ---- the command --------------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(app, ["report", *args, "--root", str(MAIN), "--as-of", "2026-11-28"])


def test_cofi_report_writes_the_folder_and_replaces_its_own_report(tmp_path: Path, files) -> None:
    out = tmp_path / "public"
    result = run("--html", str(out))
    assert result.exit_code == 0, result.output
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == set(files)
    assert (out / "index.html").read_text(encoding="utf-8") == files["index.html"]
    stale = out / "explain" / "2020-01-01-gone.html"
    stale.write_text("old", encoding="utf-8")
    assert run("--html", str(out)).exit_code == 0
    assert not stale.exists()


def test_cofi_report_refuses_a_folder_that_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("--html", str(tmp_path))
    assert result.exit_code == 2
    assert "holds no cofi report" in result.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_cofi_report_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["report", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example: cofi report --html" in result.output


# ---- SPEC §2b: conditional matches and missed targets ---------------------------------------


def test_missed_targets_are_shown_with_what_they_leave_unallocated() -> None:
    ledger, results, debts = compute(MAIN / "examples" / "all-or-nothing")
    files = render_report(ledger, results, debts, AS_OF)
    # animation-2025 missed: 2000 + 1000 stay in the envelope (examples/all-or-nothing)
    overview = " ".join(Page(files["index.html"]).text)
    assert "2 contributions name needs not reached by the programme's end (target-missed)" in (
        overview
    )
    assert "the 3,000.00 they would have had stays unallocated" in overview
    refused = " ".join(Page(files["contributions.html"]).text)
    assert "target-missed" in refused
    page = Page(files["explain/2025-05-01-la-forge-movilab.html"])
    words = " ".join(" ".join(page.text).split())
    assert "need animation-2025: target 8,000.00; given 3,000.00" in words
    assert "Matched: 0.00: the need animation-2025 was not reached" in words


def test_conditional_matches_are_marked_before_the_end() -> None:
    ledger, _, _ = compute(MAIN / "examples" / "all-or-nothing")
    before = date(2025, 11, 30)
    results = match_all(ledger, before)
    debts = match_obligations(ledger, results)
    files = render_report(ledger, results, debts, before)
    overview = " ".join(Page(files["index.html"]).text)
    assert "All or nothing: the matches on a need are conditional" in overview
    page = Page(files["contributions.html"])
    # first-come: only the matches on needs are conditional, so the column is shown
    table = next(rows for key, rows in page.tables.items() if "tout-ou-rien-2025" in key)
    assert any("Provisional" in cell for cell in table[0])


# (the bundled ledger's last entry is of 2026-11-25; pilote-2026 ends on 2026-12-31)
@pytest.mark.parametrize("as_of", [date(2026, 11, 26), AS_OF, date(2027, 1, 15)])
def test_a_contribution_links_to_the_receipt_form_when_and_only_when_the_form_lists_it(
    as_of: date,
) -> None:
    """The contributions whose page offers "Confirm that it was received" are those the
    receipt form offers, and those `cofi obligations` lists as awaiting a receipt."""
    ledger, results, debts = compute(MAIN, as_of)
    awaiting = receipt_obligations(ledger, results)
    files = render_report(ledger, results, [*debts, *awaiting], as_of)
    linked = {
        m[1]
        for path, text in files.items()
        if path.startswith("explain/")
        for m in re.finditer(r'href="\.\./receipt\.html\?contribution=([^"]+)"', text)
    }
    offered = set(re.findall(r'<option value="([^"]+)" data-date=', files["receipt.html"]))
    assert linked == offered == {o.id for o in awaiting}


def test_a_table_writes_equal_values_of_different_forms_each_as_it_is() -> None:
    """A table makes a cell once per value (a month of a national ledger repeats its dates
    and commons thousands of times), but values equal in Python and written differently
    keep their own cells: True and 1. Equal Decimals are written alike (to the cent)."""
    from decimal import Decimal

    from cofi.html.markup import table
    from cofi.table import Column, Table

    rows = [{"x": Decimal("1.0")}, {"x": Decimal("1.00")}, {"x": True}, {"x": 1}]
    html = table(Table("T", (Column("id", "Id"), Column("x", "X")), rows), "t")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert cells[:2] == ["1.00", "1.00"]
    assert "flag" in cells[2] and cells[3] == "1"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_amount_cell_is_written_as_any_cell_is(lang: str) -> None:
    """markup._cell writes an amount without the general dispatch (a large report's
    commonest cell): the same text as the general case, for any sign, size or exponent."""
    from decimal import Decimal

    from cofi import fmt, i18n
    from cofi.html import markup
    from cofi.table import Column

    amount = Column("amount", "Amount", "money")
    values = ["0", "0.00", "-0.01", "1234.5", "-98765.4321", "1E+6", "12.345", "0.005", "7"]
    i18n.use(lang)
    try:
        with fmt.amounts_in("USD"):
            for text in values:
                value = Decimal(text)
                fast = markup._cell(amount, value, None, header=False)
                assert fast == markup._any_cell(amount, value, None, header=False), text
    finally:
        i18n.use("en")


def test_a_contribution_outside_every_programme_is_listed_with_its_reason() -> None:
    """A contribution dated outside a programme's period is left out of the table of those
    not matched when another programme lists it (test above), but not when none does:
    examples/all-or-nothing's 2026-01-15 contribution came after its one programme ended."""
    ledger, results, debts = compute(MAIN / "examples" / "all-or-nothing")
    page = Page(render_report(ledger, results, debts, AS_OF)["contributions.html"])
    refused = {(row[0], row[1]): row[-1] for row in page.body("contributions-refused")}
    assert refused[("tout-ou-rien-2025", "2026-01-15-la-canopee-movilab")] == "after the end"
