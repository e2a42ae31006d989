"""Tests read like ledgers: write inline YAML files into a temporary ledger, run the real code."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cofi import i18n
from cofi.checks import validate
from cofi.loader import Loaded, load

TODAY = date(2026, 11, 28)


def write_ledger(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: YAML text} under root (text is dedented); return root."""
    (root / "ledger").mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def ledger_dir(tmp_path: Path):
    """Call with {path: yaml} to get a ledger root in a fresh temporary folder."""

    def make(files: dict[str, str]) -> Path:
        return write_ledger(tmp_path / "ledger-root", files)

    return make


def load_ok(root: Path) -> Loaded:
    """Load and check a ledger that must have no problem at all."""
    loaded = validate(root, TODAY)
    assert loaded.problems == [], "\n".join(
        f"{p.source}: {p.code} {p.message}" for p in loaded.problems
    )
    return loaded


__all__ = ["TODAY", "load", "load_ok", "validate", "write_ledger"]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the record cache of every test out of the user's ~/.cache."""
    monkeypatch.setenv("COFI_CACHE_DIR", str(tmp_path_factory.mktemp("cofi-cache")))


@pytest.fixture
def french() -> Iterator[None]:
    """Messages, help and figures in French for the test, English again after it."""
    i18n.use("fr")
    try:
        yield
    finally:
        i18n.use("en")
