"""Problems -> text | GitHub annotations | JSON. Pure: returns strings, never prints."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from cofi import chars, fmt
from cofi.i18n import _, ngettext
from cofi.problems import Problem
from cofi.table import Cell, Table

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
    """RFC 4180 CSV; `excel-fr` is `;`-separated with decimal commas and a UTF-8 BOM."""
    french = dialect == "excel-fr"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if french else ",", lineterminator="\r\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [machine_cell(row.get(c.key), c.kind, decimal_comma=french) for c in table.columns]
        )
    return ("\ufeff" if french else "") + buf.getvalue()


def table_json(table: Table) -> str:
    """A list of objects with the CSV's keys; amounts are strings like "1234.50"."""

    def cell(value: Cell, kind: str) -> object:
        if value is None or (isinstance(value, (bool, int)) and not isinstance(value, Decimal)):
            return value
        if isinstance(value, (Decimal, date)):
            return machine_cell(value, kind)
        return value

    rows = [{c.key: cell(row.get(c.key), c.kind) for c in table.columns} for row in table.rows]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def human_cell(value: Cell, kind: str, *, bars: bool = False) -> str:
    """A cell as a person reads it: `12,000.00`, `yes`, `62.5%` (after a bar, with `bars`),
    in the current language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return fmt.yes(value)
    if kind == "int" and value == 0:
        return ""
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
    rows, totals = _cells(table)
    body = [[_(c.title) for c in table.columns], *rows, *([totals] if totals else [])]
    widths = [max(len(r[i]) for r in body) for i in range(len(table.columns))]
    right = [c.kind in ("money", "int", "ratio") for c in table.columns]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(w) if r else cell.ljust(w)
            for cell, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    out = [line(body[0]), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    if totals:
        out += [line(["-" * w for w in widths]), line(totals)]
    out += [f"* {note}" for note in table.notes]
    return "\n".join(out) + "\n"


def table_rich(table: Table) -> RenderableType:
    """A rich table for the terminal: money right-aligned, a totals row, notes below."""
    from rich.console import Group
    from rich.table import Table as RichTable
    from rich.text import Text

    rows, totals = _cells(table, bars=True)
    # Every text goes in as a Text, never as a str: rich would read `[bold]` or
    # `[link=...]` in a name from the ledger as markup, and drop or obey it.
    rt = RichTable(
        title=Text(table.title, style="table.title"), title_justify="left", header_style="bold"
    )
    for i, c in enumerate(table.columns):
        # Figures and ids are never cut: a narrow terminal wraps the line instead.
        widest = max([len(_(c.title)), *(len(r[i]) for r in rows)])
        rt.add_column(
            Text(_(c.title)),
            justify="right" if c.kind in ("money", "int", "ratio") else "left",
            no_wrap=True,
            min_width=min(widest, 40) if c.kind != "text" or i < 3 else None,
        )
    for i, r in enumerate(rows):
        overdue = table.rows[i].get("overdue") is True
        rt.add_row(
            *map(Text, r),
            style="red" if overdue else None,
            end_section=totals is not None and i == len(rows) - 1,
        )
    if totals:
        rt.add_row(*map(Text, totals), style="bold")
    notes = [Text(f"* {n}", style="dim") for n in table.notes]
    return Group(rt, *notes)
