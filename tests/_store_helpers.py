"""Shared by the store tests: what a database holds, to compare a rerun with a clean run."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def db_counts(db: Path, tables=("documents", "sentences"), ids: bool = False, rowids: bool = False) -> dict:
    """Row counts of ``tables``, the FTS row count, the documents' rows, duplicated external ids; checks the FTS
    index and SQLite's integrity on the way."""
    c = sqlite3.connect(db)
    try:
        out = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        out["fts"] = c.execute("SELECT count(*) FROM doc_fts").fetchone()[0]
        if ids:
            out["ids"] = sorted(r[0] for r in c.execute("SELECT id FROM documents"))
        cols = ("rowid, " if rowids else "") + "id, external_id, title, n_words, published"
        out["rows"] = sorted(c.execute(f"SELECT {cols} FROM documents"))
        out["dup_ext"] = c.execute("SELECT count(*) FROM (SELECT external_id FROM documents GROUP BY external_id "
                                   "HAVING count(*) > 1)").fetchone()[0]
        c.execute("INSERT INTO doc_fts(doc_fts) VALUES ('integrity-check')")
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return out
    finally:
        c.close()
