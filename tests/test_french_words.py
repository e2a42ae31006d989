"""No English word of cofi's own vocabulary in a French table: obligation types, allocations,
contribution kinds, binding rules and reasons are codes in CSV and JSON, words when shown."""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest

from cofi import explain, i18n, matching, model
from cofi.render import WORDS
from test_cli_compute import MAIN, ok

EXAMPLES = [MAIN, *sorted(p for p in (MAIN / "examples").iterdir() if (p / "ledger").is_dir())]

# The vocabulary, listed from the code that decides it.
VOCABULARY = {
    *matching.REASONS,
    *explain.BINDING,  # every binding rule explain can name
    *typing.get_args(model.ContributionKind),
    *typing.get_args(model.Allocation),
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
    found = set()
    for code in VOCABULARY:
        if code in ("ratio",):  # the same word in French
            continue
        for word in {code, i18n.N_(WORDS[code])}:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.add(word)
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_french_tables_have_no_english_words(example: Path, tmp_path: Path):
    root = tmp_path / "ledger"
    shutil.copytree(example / "ledger", root / "ledger")
    shutil.copytree(example / "commons", root / "commons")
    i18n.use("fr")
    try:
        shown = "".join(ok(*c, root=root, as_of="2027-06-01").stdout for c in COMMANDS)
    finally:
        i18n.use("en")
    assert english(shown) == set()
