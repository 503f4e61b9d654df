"""A small cache of search answers, emptied whenever the database changes.

``/api/search`` keeps the JSON of its last few hundred distinct answers, keyed by everything that decides an
answer (the query, mode, filters, page, snippets, facets).  ``khabar ingest`` may write to the database while the
server reads it: before each lookup the cache asks its own read-only connection ``PRAGMA data_version``, which
changes whenever another connection (of any process) has committed since it last asked; then a new generation
starts and every answer of the older one is dropped.  An answer is stored under the generation read *before* it
was computed, so one computed while a write committed is never served after that write is seen.
"""
from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import quote


class AnswerCache:
    """LRU of ``key -> bytes`` over at most ``size`` answers (0: no caching) of the database at ``db``."""

    def __init__(self, db: str | None, size: int = 256):
        self.db = db
        self.size = max(0, int(size)) if db else 0
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._gen = 0
        self._version = None
        self._conn: sqlite3.Connection | None = None
        self.hits = self.misses = 0

    def generation(self) -> int:
        """The current generation (a new one when the database changed since the last call)."""
        if not self.size:
            return 0
        with self._lock:
            if self._conn is None:
                uri = "file:" + quote(str(Path(self.db).resolve())) + "?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            v = self._conn.execute("PRAGMA data_version").fetchone()[0]
            if v != self._version:
                self._version = v
                self._gen += 1
                self._data.clear()
            return self._gen

    def get(self, key, gen: int):
        if not self.size:
            return None
        with self._lock:
            hit = self._data.get(key)
            if hit is None or hit[0] != gen:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return hit[1]

    def put(self, key, gen: int, value) -> None:
        if not self.size:
            return
        with self._lock:
            if gen != self._gen:  # the database changed while this answer was computed
                return
            self._data[key] = (gen, value)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            self._data.clear()
