"""Problems -> text | GitHub annotations | JSON. Pure: returns strings, never prints."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from cofi import chars, fmt
from cofi.i18n import _, ngettext
from cofi.problems import Problem
from cofi.table import ROWS_AT_ONCE, Cell, Table, chunks, word

if TYPE_CHECKING:
    from rich.console import RenderableType

_CENT = Decimal("0.01")
_RATIO_STEP = Decimal("0.0001")


# Controls, line and paragraph separators, bytes that were not UTF-8, and the invisible
# format characters (direction marks and overrides, zero-width spaces: cofi.chars).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + chars.FORMAT + "]")


def _printable(text: str) -> str:
    """`text` (a file name, a value quoted from a file) as it can be printed: a byte that
    is not UTF-8 as `\\xff`, a control character as `\\n` or `\\x1b`, an invisible one as
    `\\u200b`; never acted upon by a terminal, never an encoding error, never a line break
    inside `PATH:LINE:COL`, never a text reordered or made to look like another."""
    if not _UNPRINTABLE.search(text):
        return text

    def escaped(m: re.Match[str]) -> str:
        char = m.group()
        if "\udc80" <= char <= "\udcff":  # a byte Python could not decode (PEP 383)
            return f"\\x{ord(char) - 0xDC00:02x}"
        return char.encode("unicode_escape").decode("ascii")

    return _UNPRINTABLE.sub(escaped, text)


def _shown(problems: list[Problem]) -> list[Problem]:
    """`problems` with their paths, messages and hints printable."""
    return [
        replace(
            p,
            source=replace(p.source, path=_printable(p.source.path)),
            what=_printable(p.message),
            fix=_printable(p.hint),
        )
        if _UNPRINTABLE.search(p.source.path + p.message + p.hint)
        else p
        for p in problems
    ]


def problems_text(problems: list[Problem]) -> str:
    """`PATH:LINE:COL: CODE message`, each followed by an indented hint."""
    lines = []
    warning, hint = _("warning: "), _("hint: ")
    for p in _shown(problems):
        level = "" if p.severity == "error" else warning
        lines.append(f"{p.source}: {p.code} {level}{p.message}")
        if p.hint:
            lines.append(f"    {hint}{p.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def problems_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands, one annotation per problem."""
    out = []
    for p in _shown(problems):
        s = p.source
        props = (
            f"file={_gh_escape(s.path, prop=True)},line={s.line},col={s.col},"
            f"title={_gh_escape(f'{p.code} {p.title}', prop=True)}"
        )
        body = p.message + (f"\n{p.hint}" if p.hint else "")
        out.append(f"::{p.severity} {props}::{_gh_escape(body)}")
    return "\n".join(out) + ("\n" if out else "")


def problem_dict(p: Problem) -> dict[str, object]:
    s = p.source
    return {
        "path": s.path,
        "line": s.line,
        "col": s.col,
        "code": p.code,
        "name": p.title,
        "severity": p.severity,
        "message": p.message,
        "hint": p.hint,
    }


def problems_json(problems: list[Problem]) -> str:
    return (
        json.dumps([problem_dict(p) for p in _shown(problems)], ensure_ascii=False, indent=2) + "\n"
    )


def problems_gitlab(problems: list[Problem]) -> str:
    """A GitLab Code Quality report. A fingerprint is the code, the file and the field's
    key path: not the line, nor the words, so a problem keeps its identity when lines
    around it move and in every language."""
    seen: dict[str, int] = {}
    out = []
    for p, original in zip(_shown(problems), problems, strict=True):
        key = f"{p.code}|{original.source.path}|{p.source.key}"
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()
        out.append(
            {
                "description": f"{p.code} {p.message}" + (f" — {p.hint}" if p.hint else ""),
                "check_name": f"{p.code} {p.title}",
                "fingerprint": digest,
                "severity": "major" if p.severity == "error" else "minor",
                "location": {"path": p.source.path, "lines": {"begin": p.source.line}},
            }
        )
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


# What Markdown (CommonMark, and GitHub's flavour: tables, strikethrough, math, links
# written as bare addresses, @mentions, #references, emoji :codes:) reads as more than
# text. Each is written behind a backslash, which any Markdown shows as the character.
_MARKDOWN = re.compile(r"[\\`*_~\[\]<>&|#!$:@]|(?<![0-9A-Za-z])(?i:www)(?=\.)")


def markdown_text(text: str) -> str:
    """`text` from the ledger (a message quoting a value, a key, a file name) as Markdown that
    shows it as written, on one line: no link, image, HTML, emphasis or table cell of its
    own. Escaped, not stripped, so the reader still sees what the file holds."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    # A backslash before each special character; after `www` (before its dot) for a
    # bare address, which GitHub would make a link.
    return _MARKDOWN.sub(
        lambda m: m.group() + "\\" if m.group()[0] in "wW" else "\\" + m.group(), text
    )


def markdown_code(text: str) -> str:
    """`text` (a file's path and position) as a Markdown code span, inside which nothing is
    read as Markdown: fenced by more backticks than it holds in a row, its `|` escaped for
    the table it stands in."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return fence + pad + text.replace("|", "\\|") + pad + fence


def problems_markdown(problems: list[Problem], files: int) -> str:
    """The full report as Markdown, for a CI job's summary page. Every text that may come
    from the ledger (paths, messages and hints quote it) goes through `markdown_text`."""
    lines = ["### cofi check", "", summary(problems, files), ""]
    if problems:
        lines += [_("| Where | Code | Problem | What to do |"), "| --- | --- | --- | --- |"]
        lines += [
            f"| {markdown_code(str(p.source))} | {p.code} | {markdown_text(p.message)} "
            f"| {markdown_text(p.hint)} |"
            for p in _shown(problems)
        ]
    return "\n".join(lines) + "\n"


def summary(problems: list[Problem], files: int) -> str:
    """`ok: 63 files checked, no problems`, or `2 errors, 1 warning (63 files checked)`."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    checked = ngettext("{n} file checked", "{n} files checked", files).format(n=files)
    if not problems:
        return _("ok: {checked}, no problems").format(checked=checked)
    return _("{errors}, {warnings} ({checked})").format(
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        checked=checked,
    )


# ---- tables ---------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def machine_cell(value: Cell, kind: str, *, decimal_comma: bool = False) -> str:
    """A cell as CSV writes it: amounts `1234.50`, ISO dates, `true`/`false`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # Amounts to the cent; ratios (coverage, honour rate) to a hundredth of a percent.
        text = f"{value.quantize(_CENT if kind == 'money' else _RATIO_STEP):f}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if value.startswith(_FORMULA_START) or _looks_like_formula(value):
        # A spreadsheet would run `=...` as a formula (CSV injection): make it text.
        return "'" + value
    return value


def _looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet may read `text` as a formula once it has trimmed the spaces
    before it (` =1+1`) or folded a wide sign to its plain form (`＝1+1`, `﹢1`): the
    decision is made on that form, the cell keeps what was written."""
    if text.isascii():
        return text.lstrip().startswith(_FORMULA_START)
    return unicodedata.normalize("NFKC", text).lstrip().startswith(_FORMULA_START)


def table_csv(table: Table, dialect: str = "standard") -> str:
    """RFC 4180 CSV; `excel-fr` is `;`-separated with decimal commas and a UTF-8 BOM, every
    field quoted: LibreOffice's import dialog ticks comma, semicolon and tab by default, and
    would split an unquoted `9000,00` in two (a quoted figure still opens as a number)."""
    return "".join(table_csv_parts(table, dialect))


def table_csv_parts(table: Table, dialect: str = "standard") -> Iterator[str]:
    """`table_csv` a few thousand rows at a time: a national ledger's contributions are
    hundreds of thousands of rows, written as they are made."""
    french = dialect == "excel-fr"
    buf = io.StringIO()
    writer = csv.writer(
        buf,
        delimiter=";" if french else ",",
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if french else csv.QUOTE_MINIMAL,
    )
    if french:
        buf.write("\ufeff")
    writer.writerow([c.key for c in table.columns])
    for i, row in enumerate(table.rows, 1):
        writer.writerow(
            [machine_cell(row.get(c.key), c.kind, decimal_comma=french) for c in table.columns]
        )
        if i % ROWS_AT_ONCE == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def table_json(table: Table) -> str:
    """A list of objects with the CSV's keys; amounts are strings like "1234.50"."""
    return "".join(table_json_parts(table))


def table_json_parts(table: Table) -> Iterator[str]:
    """`table_json` a few thousand rows at a time: the text `json.dumps(rows, indent=2)`
    writes, an object at a time (the whole list, at national scale, took 1.6 GB)."""

    def cell(value: Cell, kind: str) -> object:
        if value is None or (isinstance(value, (bool, int)) and not isinstance(value, Decimal)):
            return value
        if isinstance(value, (Decimal, date)):
            return machine_cell(value, kind)
        return value

    if not table.rows:
        yield "[]\n"
        return
    encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode
    opening, batch = "[\n", []
    for row in table.rows:
        item = encode({c.key: cell(row.get(c.key), c.kind) for c in table.columns})
        # One level in, as in the list (a string's line breaks are written `\n`).
        batch.append("  " + item.replace("\n", "\n  "))
        if len(batch) == ROWS_AT_ONCE:
            yield opening + ",\n".join(batch)
            opening, batch = ",\n", []
    if batch:
        yield opening + ",\n".join(batch)
    yield "\n]\n"


def human_cell(value: Cell, kind: str, *, bars: bool = False) -> str:
    """A cell as a person reads it: `12,000.00`, `yes`, `62.5%` (after a bar, with `bars`),
    in the current language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return fmt.yes(value)
    if kind == "int" and value == 0:
        return ""
    if kind == "code" and isinstance(value, str):
        return word(value)
    if kind == "ratio" and isinstance(value, Decimal):
        percent = fmt.percent(value)
        if not bars:
            return percent
        filled = int(value * 10)
        return "█" * filled + "░" * (10 - filled) + f" {percent:>7}"
    if isinstance(value, Decimal):
        return fmt.money(value)
    if isinstance(value, date):
        return fmt.day(value)
    return str(value)


def _cells(table: Table, bars: bool = False) -> tuple[list[list[str]], list[str] | None]:
    rows = [
        [human_cell(r.get(c.key), c.kind, bars=bars) for c in table.columns] for r in table.rows
    ]
    totals = None
    if table.totals is not None and table.rows:
        totals = [human_cell(table.totals.get(c.key), c.kind, bars=bars) for c in table.columns]
    return rows, totals


def table_text(table: Table) -> str:
    """Plain aligned columns for pipes and files: no boxes, no colour."""
    return "".join(table_text_parts(table))


def table_text_parts(table: Table) -> Iterator[str]:
    """`table_text` a few thousand lines at a time."""
    rows, totals = _cells(table)
    body = [[_(c.title) for c in table.columns], *rows, *([totals] if totals else [])]
    widths = [max(len(r[i]) for r in body) for i in range(len(table.columns))]
    right = [c.kind in ("money", "int", "ratio") for c in table.columns]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(w) if r else cell.ljust(w)
            for cell, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    rule = line(["-" * w for w in widths])
    yield f"{line([_(c.title) for c in table.columns])}\n{rule}\n"
    yield from chunks((line(r) for r in rows), ROWS_AT_ONCE)
    if totals:
        yield f"{rule}\n{line(totals)}\n"
    yield "".join(f"* {note}\n" for note in table.notes)


_NUMERIC = ("money", "int", "ratio", "date", "bool")


def _wrapped(text: str, width: int) -> str:
    """`text` broken into lines of at most `width` at ASCII spaces only: the no-break spaces
    inside a French figure (`3 000,00 €`) never end a line; a word longer than the line (an
    id) is cut."""
    import textwrap

    if len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width)) or text


def _layout(
    table: Table, rows: list[list[str]], totals: list[str] | None, width: int
) -> tuple[list[int], list[int]] | None:
    """The columns shown (indices) and their widths for a boxed table no wider than
    `width`, or None when even the columns that are always shown do not fit. Figures,
    dates and yes/no keep their full width; titles and texts wrap at spaces."""
    body = [*rows, *([totals] if totals else [])]
    natural, least = [], []
    for i, c in enumerate(table.columns):
        title = _(c.title)
        cells = max((len(r[i]) for r in body), default=0)
        natural.append(max(len(title), cells))
        word = max((len(w) for w in title.split()), default=0)
        least.append(max(cells, word) if c.kind in _NUMERIC else min(natural[i], max(word, 10)))
    shown = list(range(len(table.columns)))
    by_drop = sorted(shown, key=lambda i: (table.columns[i].drop, i))
    # A boxed table takes three characters a column (a rule and two spaces) and one more.
    while sum(least[i] for i in shown) + 3 * len(shown) + 1 > width:
        droppable = [i for i in by_drop if i in shown and table.columns[i].drop > 0]
        if not droppable:
            return None
        shown.remove(droppable[-1])
    widths = {i: least[i] for i in shown}
    spare = width - (sum(widths.values()) + 3 * len(shown) + 1)
    while spare > 0:
        short = [i for i in shown if widths[i] < natural[i]]
        if not short:
            break
        i = max(short, key=lambda k: natural[k] - widths[k])
        widths[i] += 1
        spare -= 1
    return shown, [widths[i] for i in shown]


def table_rich(table: Table, width: int = 100_000) -> RenderableType:
    """A rich table for a terminal `width` columns wide: money right-aligned, a totals row,
    notes below. No line is wider than the terminal and no figure is split: on a narrow
    one the bars go first, then the least needed columns (a note names them: the CSV has
    them all), and when even the main columns do not fit, each row becomes a block."""
    from rich.console import Group
    from rich.text import Text

    rows, totals = _cells(table, bars=True)
    layout = _layout(table, rows, totals, width)
    if layout is None or len(layout[0]) < len(table.columns):
        rows, totals = _cells(table)
        layout = _layout(table, rows, totals, width)
    notes = list(table.notes)
    if layout is None:
        body: RenderableType = _blocks(table, rows, totals, width)
    else:
        body = _boxed(table, rows, totals, *layout)
        left_out = [_(c.title) for i, c in enumerate(table.columns) if i not in layout[0]]
        if left_out:
            notes.append(
                _(
                    "left out to fit the terminal: {columns}; `--format csv` has every column"
                ).format(columns=", ".join(left_out))
            )
    # Text, never str: rich would read `[bold]` in a name from the ledger as markup.
    return Group(
        body,
        *(Text(_wrapped(f"* {n}", max(width, 20)), style="dim", no_wrap=True) for n in notes),
    )


def _boxed(
    table: Table,
    rows: list[list[str]],
    totals: list[str] | None,
    shown: list[int],
    widths: list[int],
) -> RenderableType:
    from rich.table import Table as RichTable
    from rich.text import Text

    rt = RichTable(
        title=Text(_wrapped(table.title, sum(widths) + 3 * len(widths) + 1), style="table.title"),
        title_justify="left",
        header_style="bold",
    )
    for i, w in zip(shown, widths, strict=True):
        c = table.columns[i]
        rt.add_column(
            Text(_wrapped(_(c.title), w)),
            justify="right" if c.kind in ("money", "int", "ratio") else "left",
            width=w,
            no_wrap=True,
        )

    def cells(r: list[str]) -> list[Text]:
        return [Text(_wrapped(r[i], w)) for i, w in zip(shown, widths, strict=True)]

    for n, r in enumerate(rows):
        overdue = table.rows[n].get("overdue") is True
        rt.add_row(
            *cells(r),
            style="red" if overdue else None,
            end_section=totals is not None and n == len(rows) - 1,
        )
    if totals:
        rt.add_row(*cells(totals), style="bold")
    return rt


def _blocks(
    table: Table, rows: list[list[str]], totals: list[str] | None, width: int
) -> RenderableType:
    """Each row as a block of `Title: value` lines, for a terminal narrower than the
    table's main columns."""
    from rich.console import Group
    from rich.text import Text

    titles = [_(c.title) for c in table.columns]
    label = min(max(len(t) for t in titles), width // 2)
    lines: list[RenderableType] = [Text(_wrapped(table.title, width), style="table.title")]
    for n, r in enumerate([*rows, *([totals] if totals else [])]):
        style = "bold" if n == len(rows) else "red" if table.rows[n].get("overdue") is True else ""
        lines.append(Text(""))
        for title, value in zip(titles, r, strict=True):
            if not value:
                continue
            value = _wrapped(value, max(width - label - 2, 10))
            pad = "\n" + " " * (label + 2)
            head = _wrapped(title, label).split("\n")
            first = head[-1].ljust(label) + "  " + value.replace("\n", pad)
            lines.append(Text("\n".join([*head[:-1], first]), style=style, no_wrap=True))
    return Group(*lines)
