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
