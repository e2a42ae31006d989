"""cofi — the open ledger of co-investment in the digital commons of tiers-lieux.

As a library: `cofi.check(root, today)`, `cofi.match(ledger, as_of)`,
`cofi.debts(ledger, results, as_of)` and the rest of `cofi.api`, imported on
first use so that `cofi --version` stays instant.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = frozenset({"Loaded", "check", "check_at", "check_change", "debts", "match"})


# No name here is also a module's of the package: `import cofi.matching` would then
# shadow it (hence `debts`, not `obligations`).


def __getattr__(name: str) -> Any:
    if name in _API:
        from cofi import api

        return getattr(api, name)
    raise AttributeError(f"module 'cofi' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
