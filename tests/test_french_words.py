"""No English word of cofi's own vocabulary in a French table: obligation types, allocations,
contribution kinds, binding rules and reasons are codes in CSV and JSON, words when shown."""

from __future__ import annotations

import re
import shutil
import typing
from html import unescape
from pathlib import Path

import pytest

from cofi import explain, i18n, matching, model
from cofi.table import WORDS
from test_cli_compute import MAIN, cofi, ok

EXAMPLES = [MAIN, *sorted(p for p in (MAIN / "examples").iterdir() if (p / "ledger").is_dir())]

# The vocabulary, listed from the code that decides it.
VOCABULARY = {
    *matching.REASONS,
    *explain.BINDING,  # every binding rule explain can name
    *typing.get_args(model.ContributionKind),
    *typing.get_args(model.Allocation),
    *typing.get_args(model.ContributorKind),
    "match",
    "pledge",
    "receipt",  # cofi.obligations.Obligation.kind
}

COMMANDS = [
    ("match",),
    ("match", "--by", "contribution", "--all"),
    ("obligations", "--all"),
    ("status",),
]


def test_every_code_has_its_word():
    assert VOCABULARY - set(WORDS) == set()


def english(text: str) -> set[str]:
    """The codes whose English shows in `text` as a word of its own (a cell)."""
    text = re.sub(r"cofi new \w+", "", text)  # a command to type is not a word
    found = set()
    for code in VOCABULARY:
        if code in ("ratio", "public", "tiers-lieu"):  # the same words in French
            continue
        for word in {code, i18n.N_(WORDS[code])}:
            # (a YAML key the ledger's files write, `caps.per_need_share`, is not a word)
            if re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-])", text):
                found.add(word)
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_french_tables_have_no_english_words(example: Path, tmp_path: Path):
    root = tmp_path / "ledger"
    shutil.copytree(example / "ledger", root / "ledger")
    shutil.copytree(example / "commons", root / "commons")
    explained = [
        ("explain", p.stem)
        for p in (root / "ledger/contributions").rglob("*.yaml")
        if "reverses:" not in p.read_text(encoding="utf-8")
    ]
    i18n.use("fr")
    try:
        shown = "".join(
            ok(*c, root=root, as_of="2027-06-01").stdout for c in [*COMMANDS, *explained]
        )
    finally:
        i18n.use("en")
    assert english(shown) == set()


ISO = re.compile(r"(?<![\w-])\d{4}-\d\d-\d\d(?![\w-])")


def test_french_problems_write_dates_in_french():
    """`cofi check` in French: a date in a sentence reads `14 mars 2026`. Only a value quoted
    as written (a date that does not exist) or an example of the format stays ISO."""
    i18n.use("fr")
    try:
        shown = cofi("check", root=MAIN / "tests/fixtures/twenty-mistakes").stdout
    finally:
        i18n.use("en")
    assert "14 mars 2026" in shown  # L010: the reversal's target
    leftover = [
        line
        for line in shown.splitlines()
        if ISO.search(line.split(": ", 1)[-1]) and "n'existe pas" not in line
        and "AAAA-MM-JJ" not in line
    ]  # fmt: skip
    assert leftover == []


def test_the_french_report_has_no_english_words(tmp_path: Path):
    """Every page of the HTML report in French, as read (scripts, code and file samples
    left out: a command, a file's text and the data of a script are not prose)."""
    i18n.use("fr")
    try:
        done = cofi("report", "--html", str(tmp_path / "site"), root=MAIN, as_of="2026-11-28")
    finally:
        i18n.use("en")
    assert done.exit_code == 0, done.output
    found = {}
    for page in (tmp_path / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<(script|code|pre|textarea)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r'<span class="id">.*?</span>', " ", text)
        text = unescape(re.sub(r"<[^>]+>", " ", text))
        if words := english(text):
            found[page.name] = words
    assert found == {}
