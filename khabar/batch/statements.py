"""The merge step of ``khabar batch``: statements across all the run's articles, as Parquet.

The partitions' ``documents`` tables (each row holds the analysed layers as JSON) are read one partition at a
time, each partition's articles in order of publication, and every article is added to one incremental statement
index — the store's own (:func:`khabar.store.statements.add_document`, on an in-memory SQLite database), so a
batch run and a database group the same articles the same way.  Each quote is compared only with the quotes of
its speaker in the time window (no all-pairs pass).  Written under ``DIR/statements/``:

=================  ==============================================================================================
statements         one row per statement: ``statement_id``, ``speaker``, ``speaker_key``, first appearance
                   (``first_doc_id``, ``first_quote``, ``first_published``, ``text``), ``n_articles`` and
                   ``n_outlets`` (near-duplicate copies not counted), ``outlets`` (JSON list), ``n_copies``,
                   ``n_responses``, ``n_denials``
statement_quotes   one row per quote in a statement: ``statement_id``, ``doc_id``, ``idx`` (the quote's index in
                   the ``quotes`` table of its partition), ``outlet``, ``published``, ``text``, ``copy_of``
responses          one row per response: ``doc_id``, ``idx``, ``stance``, ``speaker``, ``speaker_key``,
                   ``evidence``, ``claim_speaker``, ``claim_key``, ``claim_mention``
response_links     one row per (response, statement it answers): ``doc_id``, ``idx``, ``statement_id``
=================  ==============================================================================================
"""
from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from pathlib import Path

from ..statements.group import days
from ..store import statements as S

TABLES = ("statements", "statement_quotes", "responses", "response_links")


def _iso(t):
    if t is None:
        return None
    return _dt.datetime.fromtimestamp(t * 86400.0, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def group_statements(out_dir: str | Path) -> sqlite3.Connection:
    """The statement tables of a batch output folder, built on an in-memory database (returned)."""
    import pyarrow.parquet as pq

    out = Path(out_dir)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, external_id TEXT, title TEXT, published TEXT)")
    S.ensure(conn)
    for part in sorted((out / "documents").glob("part-*.parquet")):
        rows = pq.read_table(part, columns=["doc_id", "external_id", "title", "outlet", "published", "text",
                                            "annotations"]).to_pylist()
        rows.sort(key=lambda r: (days(r["published"]) is None, days(r["published"]) or 0.0, r["doc_id"]))
        for r in rows:
            conn.execute("INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?)",
                         (r["doc_id"], r["external_id"], r["title"], r["published"]))
            S.add_document(conn, r["doc_id"], json.loads(r["annotations"] or "{}"), outlet=r["outlet"],
                           published=r["published"], text=r["text"])
    return conn


def write_statement_tables(out_dir: str | Path) -> dict:
    """Run the merge step on a finished batch output folder; returns the row count of each table written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out_dir)
    conn = group_statements(out)
    c = conn.execute
    stmts = []
    for sid, spk, key, fdoc, fq, ft, text in c("SELECT id, speaker, speaker_key, first_doc, first_quote, first_time, "
                                               "text FROM stmt_statements ORDER BY id"):
        q = c("SELECT DISTINCT q.doc, q.outlet, d.copy_of FROM stmt_quotes q JOIN stmt_docs d ON d.doc = q.doc "
              "WHERE q.statement = ?", (sid,)).fetchall()
        resp = c("SELECT r.stance FROM stmt_links l JOIN stmt_responses r ON r.doc = l.doc AND r.response = "
                 "l.response WHERE l.statement = ?", (sid,)).fetchall()
        outlets = sorted({o for _, o, cp in q if o and not cp})
        stmts.append({"statement_id": sid, "speaker": spk, "speaker_key": key, "first_doc_id": fdoc,
                      "first_quote": fq, "first_published": _iso(ft), "text": text,
                      "n_articles": len({d for d, _, cp in q if not cp}), "n_outlets": len(outlets),
                      "outlets": json.dumps(outlets, ensure_ascii=False), "n_copies": len({d for d, _, cp in q if cp}),
                      "n_responses": len(resp), "n_denials": sum(1 for (s,) in resp if s == "deny")})
    quotes = [{"statement_id": s, "doc_id": d, "idx": k, "outlet": o, "published": _iso(t), "text": x, "copy_of": cp}
              for s, d, k, o, t, x, cp in c("SELECT q.statement, q.doc, q.quote, q.outlet, q.time, q.text, d.copy_of "
                                            "FROM stmt_quotes q JOIN stmt_docs d ON d.doc = q.doc "
                                            "ORDER BY q.statement, q.time, q.doc, q.quote")]
    responses = [dict(zip(("doc_id", "idx", "stance", "speaker", "speaker_key", "evidence", "claim_speaker",
                           "claim_key", "claim_mention"), r))
                 for r in c("SELECT doc, response, stance, speaker, speaker_key, evidence, claim_speaker, claim_key, "
                            "claim_mention FROM stmt_responses ORDER BY doc, response")]
    links = [{"doc_id": d, "idx": k, "statement_id": s}
             for d, k, s in c("SELECT doc, response, statement FROM stmt_links ORDER BY doc, response, statement")]
    conn.close()
    schemas = {
        "statements": [("statement_id", pa.int64()), ("speaker", pa.string()), ("speaker_key", pa.string()),
                       ("first_doc_id", pa.string()), ("first_quote", pa.int32()), ("first_published", pa.string()),
                       ("text", pa.string()), ("n_articles", pa.int32()), ("n_outlets", pa.int32()),
                       ("outlets", pa.string()), ("n_copies", pa.int32()), ("n_responses", pa.int32()),
                       ("n_denials", pa.int32())],
        "statement_quotes": [("statement_id", pa.int64()), ("doc_id", pa.string()), ("idx", pa.int32()),
                             ("outlet", pa.string()), ("published", pa.string()), ("text", pa.string()),
                             ("copy_of", pa.string())],
        "responses": [("doc_id", pa.string()), ("idx", pa.int32()), ("stance", pa.string()), ("speaker", pa.string()),
                      ("speaker_key", pa.string()), ("evidence", pa.string()), ("claim_speaker", pa.string()),
                      ("claim_key", pa.string()), ("claim_mention", pa.string())],
        "response_links": [("doc_id", pa.string()), ("idx", pa.int32()), ("statement_id", pa.int64())],
    }
    folder = out / "statements"
    folder.mkdir(exist_ok=True)
    counts = {}
    for name, rows in zip(TABLES, (stmts, quotes, responses, links)):
        schema = pa.schema(schemas[name])
        table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
        tmp = folder / f".{name}.parquet.tmp"
        pq.write_table(table, tmp)
        tmp.replace(folder / f"{name}.parquet")
        counts[name] = len(rows)
    return counts
