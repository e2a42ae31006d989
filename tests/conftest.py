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
from gitrepo import GitRepo

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


# The small ledger most tests start from: a tiers-lieu and a public funder, two commons, one
# programme. A test adds the entries it is about, and replaces (or, with None, removes) what
# it needs otherwise; a file whose lines and columns a test asserts stays in that test.
PILOTE_2026 = "ledger/programmes/pilote-2026.yaml"
DOKOS_NEEDS = "needs:\n  - id: booking-v2\n    title: Module de réservation v2\n    amount: 40000\n"
BASE_LEDGER: dict[str, str] = {
    "ledger/contributors/la-ruche.yaml": "name: La Ruche\nkind: tiers-lieu\n",
    "ledger/contributors/etat.yaml": "name: État\nkind: public\n",
    "commons/dokos.yaml": "name: Dokos\n" + DOKOS_NEEDS,
    "commons/movilab.yaml": "name: Movilab\n",
}
# Add it to give dokos a steward, the company dokos-sas.
STEWARD = {
    "ledger/contributors/dokos-sas.yaml": "name: Dokos SAS\nkind: private\n",
    "commons/dokos.yaml": "name: Dokos\nstewards: [dokos-sas]\n" + DOKOS_NEEDS,
}


def programme(
    *,
    name: str = "Pilote 2026",
    funder: str = "etat",
    ratio: str = "1",
    start: str = "2026-01-01",
    end: str = "2026-12-31",
    envelope: str = "100000",
    allocation: str = "pro-rata",
    more: str = "",
) -> str:
    """A programme's file: name on line 1, funder 2, ratio 3, start 4, end 5, envelope 6,
    allocation 7; `more` lines start on line 8."""
    return (
        f"name: {name}\nfunder: {funder}\nratio: {ratio}\nstart: {start}\nend: {end}\n"
        f"envelope: {envelope}\nallocation: {allocation}\n{more}"
    )


def base_ledger(files: dict[str, str | None] | None = None, **fields: str) -> dict[str, str]:
    """{path: YAML} of the base ledger and its programme `pilote-2026` (with `fields`, as
    `programme()` takes them), then `files`: a text adds or replaces, None removes."""
    out = {**BASE_LEDGER, PILOTE_2026: programme(**fields)}
    for path, text in (files or {}).items():
        if text is None:
            out.pop(path, None)
        else:
            out[path] = text
    return out


def load_ok(root: Path, *, allow: tuple[str, ...] = ()) -> Loaded:
    """Load and check a ledger that must have no problem at all (but warnings of the codes
    in `allow`, which the test means)."""
    loaded = validate(root, TODAY)
    problems = [p for p in loaded.problems if not (p.severity == "warning" and p.code in allow)]
    assert problems == [], "\n".join(f"{p.source}: {p.code} {p.message}" for p in problems)
    return loaded


__all__ = [
    "BASE_LEDGER",
    "PILOTE_2026",
    "STEWARD",
    "TODAY",
    "base_ledger",
    "load",
    "load_ok",
    "programme",
    "validate",
    "write_ledger",
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the record cache of every test out of the user's ~/.cache."""
    monkeypatch.setenv("COFI_CACHE_DIR", str(tmp_path_factory.mktemp("cofi-cache")))


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """A scratch git repository for the pull-request rules: the coordination commits the
    base ledger of tests/test_git_rules.py on `main`, and a branch `pr` is checked out."""
    from test_git_rules import BASE, COORD

    r = GitRepo(tmp_path / "books")
    r.commit(COORD, "base ledger", BASE)
    r.branch("pr")
    return r


@pytest.fixture
def french() -> Iterator[None]:
    """Messages, help and figures in French for the test, English again after it."""
    i18n.use("fr")
    try:
        yield
    finally:
        i18n.use("en")
