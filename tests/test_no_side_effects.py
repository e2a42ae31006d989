"""The core leaves the process it runs in as it found it (STYLE habit 14): a library caller
may load and match twice and see nothing change in its own garbage collector or language."""

from __future__ import annotations

import gc
from pathlib import Path

from cofi import i18n
from cofi.checks import validate
from cofi.matching import match_all
from conftest import TODAY

REPO = Path(__file__).resolve().parents[1]


def test_loading_and_matching_twice_change_nothing_in_the_process() -> None:
    frozen, enabled, language = gc.get_freeze_count(), gc.isenabled(), i18n.language()
    for _ in range(2):
        loaded = validate(REPO, TODAY)
        assert loaded.problems == []
        assert match_all(loaded.ledger, TODAY)
    assert gc.get_freeze_count() == frozen  # the caller's garbage stays collectable
    assert gc.isenabled() == enabled
    assert i18n.language() == language


def test_the_library_api_is_the_one_the_command_uses() -> None:
    """`cofi.check`, `cofi.match` and `cofi.debts` give what `cofi obligations`
    prints: the bundled ledger's first debt is pilote-2025's 3,000.00 to communecter,
    overdue (8,000 owed, 5,000 paid, due 2026-03-01; see ledger/README.md)."""
    import cofi

    checked = cofi.check(REPO, TODAY)
    assert checked.errors == [] and checked.files > 60
    results = cofi.match(checked.ledger, TODAY)
    assert [r.programme.id for r in results] == ["pilote-2025", "pilote-2026", "region-2026"]
    first = cofi.debts(checked.ledger, results, TODAY)[0]
    assert (first.kind, first.id, first.common, str(first.unmet), first.overdue) == (
        "match",
        "pilote-2025",
        "communecter",
        "3000.00",
        True,
    )
    assert "check" in dir(cofi)


def test_no_name_of_the_api_is_a_module_of_the_package() -> None:
    """Importing a module `cofi.X` sets the attribute `cofi.X`: an API function of that
    name would then turn into the module."""
    import cofi

    modules = {p.stem for p in Path(cofi.__file__).parent.iterdir()}
    assert not modules & set(cofi.api.__all__)
