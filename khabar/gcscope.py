"""Fewer passes of Python's cyclic garbage collector while a pipeline runs (a speed measure, the same output).

An analysis allocates millions of short-lived objects (tokens, spans, tuples, match objects) while the loaded
models hold millions of long-lived ones.  With the interpreter's default thresholds (700, 10, 10) the collector
starts a young-generation pass every 700 net allocations and, now and then, a full pass over every object of the
process, models included: about 2 µs per word of the full pipeline's first pass (3-4%), 0.3-0.4 with the first
threshold at 10,000 for the duration of the analysis.

:func:`fewer_collections` raises the first threshold (``THRESHOLD0``) while the block runs and restores the
thresholds it found when the outermost such block ends, exception or not.  Cycles are still collected inside
the block (at most ``THRESHOLD0`` net allocations apart); nothing is frozen, nothing is disabled.  Nested blocks
and blocks in several threads at once share one raise (the last to leave restores).  A threshold the caller set
inside the block is left as the caller set it; a collector that is off (``gc.disable()`` or a first threshold of
0) or that already runs at least ``THRESHOLD0`` apart is not touched.  ``khabar.gcscope.THRESHOLD0 = 0`` turns
the measure off.
"""
from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager
from typing import Iterator

THRESHOLD0 = 10_000  # the first-generation threshold inside a block; 0 or None: leave the collector as it is

_lock = threading.Lock()
_depth = 0
_saved: tuple | None = None  # (the thresholds found by the outermost block, the thresholds it set)


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = None
            before = gc.get_threshold()
            want = THRESHOLD0
            if want and gc.isenabled() and 0 < before[0] < want:
                gc.set_threshold(want, *before[1:])
                _saved = (before, gc.get_threshold())
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                _restore()


def _restore() -> None:
    global _saved
    if _saved is not None:
        before, ours = _saved
        _saved = None
        if gc.get_threshold() == ours:  # unless the caller set its own meanwhile
            gc.set_threshold(*before)


def _after_fork_in_child() -> None:
    """A process forked while another thread was inside a block starts outside any block."""
    global _lock, _depth
    _lock = threading.Lock()
    _depth = 0
    _restore()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
