"""Load the output of ``khabar batch`` into a store without analysing anything again.

The ``documents`` table holds each article's canonical text, metadata and every exported layer (``annotations``);
:func:`load_parquet` rebuilds each analysed :class:`~khabar.document.Document` from it
(:func:`khabar.batch.tables.document_from_row`) and hands it to the store.

What the store must offer (duck-typed, so any Store-like object works):

* fast path (``khabar.store.Store``): ``existing_ids(ids) -> set``, ``write(prepared_docs) -> int added`` and
  ``splitter_name``; rows are made with :func:`khabar.store.rows.prepare` and written ``batch_size`` articles per
  transaction, skipping articles already stored;
* otherwise: ``add(doc, source=..., pipeline=...) -> bool`` (True when the article was new).
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KhabarError, NotBatchOutputError

_COLUMNS = ("doc_id", "input", "line", "pipeline", "meta", "text", "annotations")


@dataclass
class LoadReport:
    read: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: list = field(default_factory=list)   # [(where, reason)]
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        return (f"{self.read:,} analysed articles read from Parquet: {self.added:,} added, {self.duplicates:,} "
                f"already stored or repeated, {len(self.skipped)} skipped ({self.seconds:.1f} s, "
                f"{rate:,.1f} articles/s)")

    def to_json(self) -> dict:
        return {"read": self.read, "added": self.added, "duplicates": self.duplicates,
                "skipped": [{"where": w, "reason": r} for w, r in self.skipped], "seconds": round(self.seconds, 3)}


def _where(row: dict) -> str:
    src = row.get("input") or row.get("doc_id")
    return f"{src}:{row['line']}" if row.get("line") is not None else str(src)


def load_parquet(store, out_dir: str, *, batch_size: int = 256, progress: bool = False,
                 on_skip=None) -> LoadReport:
    """Write every article of a batch output folder into ``store``; return a :class:`LoadReport`."""
    from ..io.parquet import iter_rows, table_files
    from .tables import document_from_row

    if not table_files(out_dir, "documents"):
        raise NotBatchOutputError("no documents/part-*.parquet here", source=str(out_dir))
    if hasattr(store, "check_index"):
        store.check_index()
    fast = all(hasattr(store, a) for a in ("write", "existing_ids"))
    if fast:
        from ..store.rows import prepare
    rep = LoadReport()
    t0 = time.monotonic()
    seen: set = set()
    last = 0.0

    def flush(batch: list) -> None:
        if not batch:
            return
        existing = store.existing_ids([r["doc_id"] for r in batch]) if fast else set()
        prepared = []
        for row in batch:
            if row["doc_id"] in existing or row["doc_id"] in seen:
                rep.duplicates += 1
                continue
            seen.add(row["doc_id"])
            try:
                doc = document_from_row(row)
                src = _where(row)
                if fast:
                    prepared.append(prepare(doc, source=src, pipeline=row.get("pipeline"),
                                            splitter=getattr(store, "splitter_name", None)))
                elif store.add(doc, source=src, pipeline=row.get("pipeline")):
                    rep.added += 1
                else:
                    rep.duplicates += 1
            except (KhabarError, ValueError, KeyError, TypeError) as e:
                reason = f"[{e.code}] {e.message}" if isinstance(e, KhabarError) else f"{type(e).__name__}: {e}"
                rep.skipped.append((_where(row), reason))
                if on_skip:
                    on_skip(_where(row), reason)
        if prepared:
            rep.added += store.write(prepared)

    batch: list = []
    for row in iter_rows(out_dir, "documents", columns=_COLUMNS, batch_size=batch_size):
        rep.read += 1
        batch.append(row)
        if len(batch) >= batch_size:
            flush(batch)
            batch = []
            if progress and time.monotonic() - last > 1.0:
                last = time.monotonic()
                el = last - t0
                sys.stderr.write(f"\rload {rep.read:,} articles ({rep.added:,} new)  {rep.read / el:,.1f}/s\x1b[K")
                sys.stderr.flush()
    flush(batch)
    if progress and last:
        sys.stderr.write("\n")
    rep.seconds = time.monotonic() - t0
    return rep


def load_parquet_into(db: str, out_dir: str, **kw) -> LoadReport:
    """Open (or create) the store at ``db`` and load a batch output folder into it."""
    from ..store import Store

    if not Path(out_dir).is_dir():
        raise NotBatchOutputError("no such folder", source=str(out_dir))
    with Store(db) as store:
        return load_parquet(store, out_dir, **kw)
