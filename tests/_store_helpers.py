"""Shared by the store tests: what a database holds, to compare a rerun with a clean run."""
from __future__ import annotations

import gzip
import json
import os
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def demo_records(n: int) -> list[dict]:
    """The first ``n`` articles of the bundled demo corpus."""
    from khabar.store.demo import DEMO_FILE

    with gzip.open(DEMO_FILE, "rt", encoding="utf-8") as f:
        return [json.loads(line) for _, line in zip(range(n), f)]


def write_corpus(path: Path, recs: list[dict]) -> Path:
    """``recs`` as a JSONL file."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path


def subprocess_env() -> dict:
    """The environment of an ingest run in a child process: this checkout importable, the rule clitic splitter
    (it keeps each run short; what the crash tests check does not depend on the splitter)."""
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                KHABAR_CLITIC_SPLITTER="rules")


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


CLAIM_ARTICLES = [
    ("a.json", "قالت رئيسة الوزراء البريطانية تيريزا ماي، الاثنين، إن روسيا مسؤولة على الأرجح عن تسميم "
     "الجاسوس الروسي السابق سيرغي سكريبال بغاز أعصاب. ورفضت موسكو تصريحات ماي.",
     {"id": "AL-1", "published": "2018-03-12T18:00:00Z", "source": "alarabiya"}),
    ("b.json", "وقالت ماي أمام البرلمان إن روسيا مسؤولة على الأرجح عن تسميم الجاسوس السابق سكريبال. ولم يصدر "
     "تعليق فوري من الكرملين.", {"id": "BB-1", "published": "2018-03-12T20:00:00Z", "source": "bbc"})]


def claims_db(folder: Path) -> str:
    """A database of two articles reporting one claim (تيريزا ماي on Russia) and its denial (by موسكو), ingested
    with ``khabar ingest`` into ``folder``; its path."""
    import contextlib
    import io

    from khabar.cli import main

    arts = []
    for name, text, meta in CLAIM_ARTICLES:
        p = folder / name
        p.write_text(json.dumps(dict(meta, text=text), ensure_ascii=False), encoding="utf-8")
        arts.append(str(p))
    db = str(folder / "claims.db")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["ingest", *arts, "--db", db]) == 0
    return db
