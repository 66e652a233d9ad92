"""Pause Python's cyclic garbage collector while a read builds many small acyclic objects.

Reading a month's million rows allocates millions of row tuples that reference counting
frees; the collector still walks every live object of the process each time enough of
them pile up, which cost about 30 % of the response-time read's CPU (bench/report_month.py).
Nested and concurrent pauses (coroutines on one loop, or threads) share one pause; the
collector's own state is restored when the last one ends (never enabled if it was off before).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0
_was_enabled = True
# Threads (a report built in an executor) pause too: the count and the saved state change
# together under the lock, which is never held across the block itself.
_lock = threading.Lock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block (reference counting still frees memory)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
