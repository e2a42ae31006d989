"""Bulk allocation without the cyclic garbage collector.

Loading a ledger or matching it allocates hundreds of thousands of objects
that live on and form no reference cycles. Each collection walks every
object still tracked, so collections during such work grow with its size
squared. Inside `bulk()` none runs, and the collector is left as it was found.

A program that keeps what it loaded until it exits (the `cofi` command) may
also ask for what was made to be frozen out of the collector's sight, so that
no later collection walks it again: `freeze_after_bulk()`, at its boundary.
A library caller that does not ask sees nothing of this in its own process.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freezing = False


def freeze_after_bulk() -> None:
    """From now on, freeze what each `bulk()` made (for a process that exits soon)."""
    global _freezing
    _freezing = True


@contextmanager
def bulk() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freezing:
            gc.freeze()
        if enabled:
            gc.enable()
