"""Bulk allocation without the cyclic garbage collector.

Loading a ledger or matching it allocates hundreds of thousands of objects
that live on and form no reference cycles. Each collection walks every
object still tracked, so collections during such work grow with its size
squared. Inside `bulk()` none runs; afterwards what was made is frozen out of
the collector's sight (it lives as long as the ledger anyway).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
