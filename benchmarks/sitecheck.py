"""What a large ledger's report shows, held to what the CLI prints (issue 14: "every figure
in the report still equal to the CLI's, and every explanation still reachable from its
contribution, offline").

The report's month pages (`contributions/<YYYY-MM>.html`) hold their tables packed; each
is unpacked here as report.js unpacks it, and every row of every table compared, cell by
cell, with `cofi match --by contribution --all --format csv`: amounts and dates by their
machine values (`data-sort`), the rest by their text. Every contribution must have its
explanation on its month's page (`explain/<YYYY-MM>.html`), and every link of a row land
on one there. The tests check the same on small ledgers; this is the national one.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from cofi import report
from cofi.table import word

BLOCK = re.compile(
    r'<script type="application/x-cofi-deflate" data-kind="(\w+)" data-into="[^"]+"'
    r"[^>]*>\s*([A-Za-z0-9+/=]+)\s*</script>"
)
EXPLAINED_AT = re.compile(r'href="\.\./explain/(\d{4}-\d{2})\.html#c-([^"]+)"')
MACHINE = ("date", "amount", "base", "matched")  # compared by data-sort
WORDS = ("kind", "reason", "binding")  # shown as words (in-kind: "in kind")
FLAGS = ("eligible", "provisional")  # a mark, or nothing


@dataclass
class Checked:
    rows: int = 0  # table rows compared with the CLI's
    cells: int = 0
    explained: int = 0  # contributions whose explanation is on their month's page
    links: int = 0  # row links followed to an explanation
    problems: list[str] = field(default_factory=list)  # the first few

    @property
    def equal(self) -> bool:
        return not self.problems and self.rows > 0

    def problem(self, text: str) -> None:
        if len(self.problems) < 10:
            self.problems.append(text)
        else:
            self.problems[-1] = "… and more"


Cells = list[tuple[str, str | None]]  # a row's cells: (text, data-sort)


class Tables(HTMLParser):
    """Each table's header texts, body rows and totals row (none: empty)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, tuple[list[str], list[Cells], Cells]] = {}
        self._table: str | None = None
        self._part = ""
        self._cell: list[str] | None = None
        self._sort: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = str(a.get("id"))
            self.tables[self._table] = ([], [], [])
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr" and self._table and self._part == "tbody":
            self.tables[self._table][1].append([])
        elif tag in ("td", "th") and self._table:
            self._cell, self._sort = [], a.get("data-sort")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._table and self._cell is not None:
            text = "".join(self._cell).strip()
            head, body, totals = self.tables[self._table]
            if self._part == "thead":
                head.append(text)
            elif self._part == "tbody":
                body[-1].append((text, self._sort))
            else:
                totals.append((text, self._sort))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def blocks(page: Path) -> list[tuple[str, str]]:
    """A page's packed blocks, unpacked: (kind, text)."""
    text = page.read_text(encoding="utf-8")
    return [
        (m.group(1), zlib.decompress(base64.b64decode(m.group(2))).decode("utf-8"))
        for m in BLOCK.finditer(text)
    ]


def check_site(site: Path, cli_csv: str) -> Checked:
    """The month pages of the report in `site` (English) against `cli_csv`, what
    `cofi match --by contribution --all --format csv` printed for the same ledger."""
    out = Checked()
    cli = {(r["programme"], r["contribution"]): r for r in csv.DictReader(io.StringIO(cli_csv))}
    explained = _explained(site)
    for c, month in {c: r["date"][:7] for (_, c), r in cli.items()}.items():
        if explained.get(c) == month:
            out.explained += 1
        else:
            out.problem(f"{c}: no explanation on explain/{month}.html")
    shown: set[tuple[str, str]] = set()
    for page in sorted((site / "contributions").glob("*.html")):
        for _, text in blocks(page):
            for month, anchor in EXPLAINED_AT.findall(text):
                out.links += 1
                if explained.get(anchor.partition("--programme-")[0]) != month:
                    out.problem(f"{page.name}: a link to {month}.html#c-{anchor} lands nowhere")
            for table, (head, rows, totals) in Tables(text).tables.items():
                own = table.removeprefix("contributions-")  # a programme's own table
                where = f"{page.name} {table}"
                now = _compare(out, where, own, head, rows, cli)
                if twice := shown & now:
                    out.problem(f"{where}: {min(twice)} listed again")
                shown |= now
                if totals:
                    _compare_totals(out, where, head, totals, [cli[k] for k in now])
    # A row no table shows: a contribution outside a programme's window, listed elsewhere.
    listed = {c for _, c in shown}
    for (programme, c), r in cli.items():
        if (programme, c) not in shown and not (r["reason"] in OUTSIDE and c in listed):
            out.problem(f"{programme} {c}: in the CLI's rows, in no table")
    return out


def _explained(site: Path) -> dict[str, str]:
    """Contribution -> the month of the page of explanations that holds its explanation."""
    found: dict[str, str] = {}
    for page in sorted((site / "explain").glob("*.html")):
        for kind, text in blocks(page):
            if kind == "explanations":
                found.update(dict.fromkeys(json.loads(text)["articles"], page.stem))
    return found


KEY_OF = {str(c.title): c.key for c in report.CONTRIBUTION_COLUMNS}  # header -> CSV column


def _compare(
    out: Checked,
    where: str,
    own: str,
    head: list[str],
    rows: list[list[tuple[str, str | None]]],
    cli: dict[tuple[str, str], dict[str, str]],
) -> set[tuple[str, str]]:
    """One table's rows against the CLI's; the (programme, contribution) rows it shows."""
    shown: set[tuple[str, str]] = set()
    keys = [KEY_OF[h] for h in head]
    for row in rows:
        cells = dict(zip(keys, row, strict=True))
        programme = cells["programme"][0] if "programme" in cells else own  # left out there
        c = cells["contribution"][0]
        want = cli.get((programme, c))
        if want is None:
            out.problem(f"{where}: {programme} {c} is not among the CLI's rows")
            continue
        out.rows += 1
        if (programme, c) in shown:
            out.problem(f"{where}: {programme} {c} listed twice")
        shown.add((programme, c))
        for key, (text, sort) in cells.items():
            out.cells += 1
            if _shown(key, want[key]) != (sort if key in MACHINE else text):
                out.problem(f"{where}: {c} {key}: {text!r} ({sort}), the CLI's {want[key]!r}")
    return shown


def _compare_totals(
    out: Checked, where: str, head: list[str], totals: Cells, rows: list[dict[str, str]]
) -> None:
    """A table's totals row against the sums of the CLI's figures of its eligible rows."""
    eligible = [r for r in rows if r["eligible"] == "true"]
    for key, (_, sort) in zip([KEY_OF[h] for h in head], totals, strict=True):
        if key in SUMMED and sort is not None:
            out.cells += 1
            want = sum((Decimal(r[key]) for r in eligible), Decimal(0))
            if Decimal(sort) != want:
                out.problem(f"{where}: total {key} {sort}, the CLI's rows add up to {want}")


SUMMED = ("amount", "base", "matched")
OUTSIDE = ("before-start", "after-end")


def _shown(key: str, value: str) -> str:
    """The CLI's CSV value as the page shows it."""
    if key in WORDS and value:
        return word(value)
    if key in FLAGS:
        return "yes" if value == "true" else ""
    return value
