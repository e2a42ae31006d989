"""Ledger text that tries to pass for something else in cofi's outputs for people: the
GitHub job summary (Markdown), the GitHub annotations, the GitLab report, the HTML report.

Whatever a file holds (values, keys, file names), each output shows it as written, as
text: no link, image, heading or HTML of the ledger's making, no line of its own, and
no character of it dropped.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from cofi.cli import app
from conftest import write_ledger

AS_OF = "2026-11-28"
PEOPLE = {
    "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "commons/dokos.yaml": "name: Dokos\n",
}
# Markdown and HTML a pull request could slip into the messages of `cofi check`: as values
# (quoted in "... is not an id"), as an unknown key (quoted in S001), in a file name (F001).
HOSTILE_CHECK = {
    **PEOPLE,
    "ledger/contributions/c1.yaml": """
        date: 2026-03-14
        contributor: "<h1>ALL CHECKS PASSED</h1>"
        common: "<img src=https://evil.example/pixel.png>"
        amount: 100
        "[Approve now](https://evil.example)": 1
        "![ok](https://evil.example/ok.png)": 2
        need: "`code` **b** _i_ ~~s~~ $x$ @octocat #12 :tada: www.evil.example \\
          https://evil.example | cell \\\\ &lt;"
        reference: [a]
        """,
    "ledger/contributions/c2.yaml": """
        date: 2026-03-14
        contributor: la-ruche
        common: dokos
        amount: "<details open><summary>fine</summary>"
        """,
    "ledger/contributors/a`b|c *d*.yaml": "name: X\nkind: network\n",
    "ledger/contributors/b``x.yaml": "name: X\nkind: network\n",
}


def check(root: Path, *args: str):
    return CliRunner().invoke(app, ["check", "--root", str(root), "--as-of", AS_OF, *args])


class Tags(HTMLParser):
    """Every start tag of an HTML text, and the text of each table cell."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "l", HOSTILE_CHECK)


def test_the_job_summary_shows_ledger_text_as_written_and_nothing_else(
    hostile: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    result = check(hostile, "--format", "json", "--summary", str(summary))
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert len(problems) >= 6
    markdown = summary.read_text(encoding="utf-8")
    # CommonMark with GitHub's tables and strikethrough, raw HTML allowed as GitHub does.
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    page = Tags(md.render(markdown))
    # Only the table cofi draws: no link, image, heading, emphasis or HTML from the ledger.
    assert set(page.tags) <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
    assert page.tags.count("code") == len(problems)  # the "Where" cells, and only they
    # Every cell reads exactly what `cofi check` says, character for character.
    rows = [page.cells[i : i + 4] for i in range(4, len(page.cells), 4)]
    assert rows == [
        [f"{p['path']}:{p['line']}:{p['col']}", p["code"], p["message"], p["hint"]]
        for p in problems
    ]
    # What a plain CommonMark renderer does not do, GitHub does: bare addresses, mentions
    # and issue references would be links there; each is broken by a backslash.
    assert "https://" not in markdown and "https\\://evil.example" in markdown
    assert "www\\.evil.example" in markdown
    assert "\\@octocat" in markdown and "\\#12" in markdown and "\\:tada\\:" in markdown


def test_the_github_annotations_keep_each_problem_on_its_own_line(tmp_path: Path) -> None:
    # A value that spells the escapes of a workflow command (%0A is a line break to GitHub),
    # and a file name with the separators of its properties.
    files = {
        **PEOPLE,
        "ledger/contributions/c1.yaml": """
            date: 2026-03-14
            contributor: "x%0A::error file=README.md::all clear%0D%25"
            common: dokos
            amount: 100
            """,
        "ledger/contributors/a,b:c%0A::x.yaml": "name: X\nkind: network\n",
    }
    result = check(write_ledger(tmp_path / "l", files), "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("::error file=") for line in lines)
    # GitHub decodes %25 back to %, so the annotation reads what the file holds.
    assert "'x%250A::error file=README.md::all clear%250D%2525' is not an id" in result.stdout
    assert "::error file=ledger/contributors/a%2Cb%3Ac%250A%3A%3Ax.yaml,line=1," in result.stdout
    for line in lines:
        props = line[len("::error ") :].split("::", 1)[0]
        assert "::" not in props  # the properties end at the first `::`, cofi's own


def test_the_gitlab_report_holds_ledger_text_as_written(hostile: Path) -> None:
    plain = json.loads(check(hostile, "--format", "json").stdout)
    report = json.loads(check(hostile, "--format", "gitlab").stdout)
    assert [r["description"].split(" ", 1)[1].split(" — ")[0] for r in report] == [
        p["message"] for p in plain
    ]
    assert [r["location"]["path"] for r in report] == [p["path"] for p in plain]


# ---- the HTML report ---------------------------------------------------------------------------


# Each text field of every record kind holds markup that would add an element, close an
# attribute or run script, tagged with the field's name to find it again.
def payload(field: str) -> str:
    return f'\\"\'><i data-x=\\"{field}\\" onmouseover=alert(1)>{field}</i><!--&amp;{{x}}'


def shown(field: str) -> str:
    """What the page must show for `payload(field)`: the text itself."""
    return f'"\'><i data-x="{field}" onmouseover=alert(1)>{field}</i><!--&amp;{{x}}'


HOSTILE_REPORT = {
    "ledger/settings.yaml": f'name: "{payload("settings-name")}"\n',
    "ledger/contributors/la-ruche.yaml": (
        f'name: "{payload("contributor-name")}"\nkind: tiers-lieu\n'
        f'region: "{payload("region")}"\nidentities: ["{payload("identity")}"]\n'
    ),
    "ledger/contributors/etat.yaml": f'name: "{payload("funder-name")}"\nkind: public\n',
    "ledger/contributors/steward.yaml": f'name: "{payload("steward-name")}"\nkind: private\n',
    "commons/dokos.yaml": (
        f'name: "{payload("common-name")}"\ndescription: "{payload("description")}"\n'
        f'url: "https://x.example/{payload("url")}"\nlicense: "{payload("license")}"\n'
        "stewards: [steward]\n"
        f'needs:\n  - id: v2\n    title: "{payload("need-title")}"\n    amount: 1000\n'
    ),
    "ledger/programmes/p.yaml": (
        f'name: "{payload("programme-name")}"\nfunder: etat\nratio: 1\n'
        "start: 2026-01-01\nend: 2026-12-31\nenvelope: 1000\nallocation: pro-rata\n"
    ),
    "ledger/contributions/c1.yaml": (
        "date: 2026-03-01\ncontributor: la-ruche\ncommon: dokos\nneed: v2\namount: 300\n"
        f'pledge: pl\nreference: "{payload("reference")}"\nnote: "{payload("note")}"\n'
    ),
    "ledger/contributions/c2.yaml": (
        "date: 2026-03-02\ncontributor: steward\ncommon: dokos\namount: 5\n"
    ),
    "ledger/contributions/r2.yaml": f'date: 2026-03-03\nreverses: c2\nnote: "{payload("rev")}"\n',
    "ledger/pledges/pl.yaml": (
        "date: 2026-01-01\ncontributor: la-ruche\ncommon: dokos\namount: 500\ndue: 2026-06-30\n"
        f'reference: "{payload("pledge-ref")}"\nnote: "{payload("pledge-note")}"\n'
    ),
    "ledger/disbursements/d1.yaml": (
        "date: 2026-04-01\nprogramme: p\ncommon: dokos\namount: 100\n"
        f'reference: "{payload("d-ref")}"\nnote: "{payload("d-note")}"\n'
    ),
}


class Elements(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str | None]] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(tag, name, value) for name, value in attrs]
        if not attrs:
            self.attrs.append((tag, "", None))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_report_escapes_every_text_it_inserts(tmp_path: Path) -> None:
    root = write_ledger(tmp_path / "l", HOSTILE_REPORT)
    checked = check(root)
    assert checked.exit_code == 0, checked.output
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["report", "--html", str(out), "--root", str(root), "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    pages = {p.relative_to(out).as_posix(): p.read_text("utf-8") for p in out.rglob("*.html")}
    assert len(pages) >= 6
    text = ""
    for path, html in pages.items():
        page = Elements(html)
        # No element, attribute or comment the ledger wrote: only cofi's own.
        assert not [a for a in page.attrs if a[0] == "i" or a[1] in ("data-x", "onmouseover")], path
        assert page.comments == [], path
        text += "".join(page.text) + "".join(str(a[2]) for a in page.attrs)
    # And each text is there as written, quotes, brackets and braces included.
    for field in (
        "settings-name",
        "contributor-name",
        "funder-name",
        "steward-name",
        "common-name",
        "description",
        "license",
        "need-title",
        "programme-name",
        "reference",
        "note",
    ):
        assert shown(field) in text, field


# ---- CSV for spreadsheets ----------------------------------------------------------------------

# Text a spreadsheet runs as a formula once it has trimmed the spaces before it, or folded a
# wide sign (fullwidth, small form) to the plain one.
DISGUISED = [
    " =1+1",
    "   +33 1 23",
    "\u00a0=HYPERLINK(x)",  # no-break space
    "\u3000@pseudo",  # ideographic space
    "\uff1d1+1",  # fullwidth =
    "\uff0b1",  # fullwidth +
    "\uff0dx",  # fullwidth -
    "\uff20x",  # fullwidth @
    "\ufe66SUM(A1)",  # small =
    " \uff1d1",
]
HARMLESS = ["Dokos", "a = b", "1+1", "\u2212 5"]  # U+2212 is a minus sign, not a hyphen


@pytest.mark.parametrize("dialect", ["standard", "excel-fr"])
def test_a_formula_behind_spaces_or_in_wide_signs_is_neutralised_in_csv(
    tmp_path: Path, dialect: str
) -> None:
    titles = [*DISGUISED, *HARMLESS]
    needs = "".join(
        f"  - id: n{i}\n    title: {json.dumps(t, ensure_ascii=False)}\n    amount: 100\n"
        for i, t in enumerate(titles)
    )
    root = write_ledger(
        tmp_path / "l", {**PEOPLE, "commons/dokos.yaml": f"name: D\nneeds:\n{needs}"}
    )
    result = CliRunner().invoke(
        app,
        ["status", "-f", "csv", "--csv-dialect", dialect, "--root", str(root), "--as-of", AS_OF],
    )
    assert result.exit_code == 0, result.output
    rows = list(
        csv.DictReader(
            io.StringIO(result.stdout.lstrip("\ufeff")),
            delimiter=";" if dialect == "excel-fr" else ",",
        )
    )
    written = {r["need"]: r["title"] for r in rows if r["need"]}
    for i, title in enumerate(titles):
        expected = "'" + title if title in DISGUISED else title
        assert written[f"n{i}"] == expected, title  # the text as written, behind a quote
    # Amounts stay numbers.
    assert {r["needed"] for r in rows if r["need"]} == {
        "100.00" if dialect == "standard" else "100,00"
    }
