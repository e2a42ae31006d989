"""Every command's output on the bundled ledger and each example, held byte for byte.

A refactoring must not move a single character of what users see. The recorded outputs
live in tests/golden/; after a change of behaviour that is meant, rewrite them with
`COFI_GOLDEN=write python -m pytest tests/test_golden.py` and read the diff before
committing it: the diff is the change users will see.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cofi import i18n
from cofi.cli import app

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
AS_OF = "2026-11-28"
LEDGERS = {
    "bundled": REPO,
    **{p.name: p for p in sorted((REPO / "examples").iterdir()) if p.is_dir()},
}

COMMANDS: list[tuple[str, ...]] = [
    ("check",),
    ("check", "--format", "json"),
    ("match",),
    ("match", "--format", "csv"),
    ("match", "--format", "json"),
    ("match", "--format", "csv", "--csv-dialect", "excel-fr"),
    ("match", "--by", "contribution", "--all"),
    ("match", "--by", "contribution", "--all", "--format", "csv"),
    ("obligations", "--all"),
    ("obligations", "--format", "csv", "--all"),
    ("obligations", "--by", "debtor"),
    ("status",),
    ("status", "--format", "json"),
]


MISTAKES = Path(__file__).parent / "fixtures" / "twenty-mistakes"
CHECKS = [("check",), *(("check", "--format", f) for f in ("json", "github", "gitlab"))]


def _contributions(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "ledger" / "contributions").rglob("*.yaml"))


def _cases() -> list[tuple[str, str, tuple[str, ...]]]:
    cases = []
    for name, root in LEDGERS.items():
        for lang in ("en", "fr"):
            cases += [(name, lang, c) for c in COMMANDS]
            cases += [(name, lang, ("explain", c)) for c in _contributions(root)]
    for lang in ("en", "fr"):
        cases += [("mistakes", lang, c) for c in CHECKS]
    return cases


def _slug(name: str, lang: str, command: tuple[str, ...]) -> str:
    return re.sub(r"[^a-z0-9.-]+", "_", f"{name}.{lang}.{'.'.join(command)}".lower())


@pytest.mark.parametrize(("name", "lang", "command"), _cases(), ids=lambda v: str(v))
def test_output_is_as_recorded(name: str, lang: str, command: tuple[str, ...]) -> None:
    i18n.use(lang)
    try:
        result = CliRunner().invoke(
            app,
            [*command, "--root", str(LEDGERS.get(name, MISTAKES)), "--as-of", AS_OF, "--no-cache"],
        )
    finally:
        i18n.use("en")
    got = f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    path = GOLDEN / f"{_slug(name, lang, command)}.txt"
    if os.environ.get("COFI_GOLDEN") == "write":
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no recorded output: run with COFI_GOLDEN=write ({path.name})"
    assert got == path.read_text(encoding="utf-8")
