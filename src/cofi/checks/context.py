from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Context:
    """What the checks need from outside the ledger: the CLI passes today's date in."""

    today: date
