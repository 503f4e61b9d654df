#!/usr/bin/env python3
"""Fuzz target: the search query parser and compiler (:mod:`khabar.store.query`) and search itself.

Each input becomes a query string (first byte: 0 = UTF-8 with invalid bytes replaced, else each byte picks a
token from a table of query syntax and Arabic words: quotes of every kind, parentheses, ``-``, ``*``, ``OR``,
``|``, ``AND``/``NOT``/``NEAR`` (FTS5 words that must stay plain words), FTS5 column syntax ``surface:``, ``^``,
``+``, harakat, tatweel, clitics, digits).  The properties:

* :func:`parse_query` either parses or raises :class:`QuerySyntaxError` (E310) — nothing else;
* the FTS5 string compiled from a parsed query, in both modes, is accepted by SQLite's FTS5 (run against an
  in-memory table with the store's columns): no query a user can type makes an SQL error;
* every 8th input also runs a whole :meth:`Store.search` (snippets, highlights) on a small database (the
  server's sample articles): only E310,
  E311 or the query time limit (E306) may come back, and every highlight lies in its article's text.

    python fuzz/fuzz_query.py -runs=100000
    python fuzz/fuzz_query.py --fallback -runs=5000
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz._runner import main  # noqa: E402

TOKENS = ['"', "«", "»", "“", "”", "(", ")", "-", "*", " OR ", "|", " AND ", " NOT ", " NEAR ", "NEAR(", ",",
          "surface:", "stem :", ":", "^", "+", "'", "{", "}", "\\", ";", "--", "/*", "\x00", " ", " ", "  ", "\t",
          "\n", "إيران", "لإيران", "والحكومة", "قال", "الرئيس", "ترامب", "ماكرون", "باسيل", "رويترز", "بـ",
          "ال", "و", "ل", "ب", "ك", "ف", "ة", "ه", "ى", "ي", "أ", "إ", "آ", "ء", "\u064e", "\u0651", "\u0640",
          "ﻻ", "\u200c", "\u200f", "١٢", "2018", "a", "Iran", "x*", "**", "((", "))", '""', "-(", "OR", "or",
          "\ufeff", "😀", "中", "é"]
TABLE = (TOKENS * (256 // len(TOKENS) + 1))[:256]

FTS = """CREATE VIRTUAL TABLE t USING fts5(surface, clitic, stem, content='',
         tokenize='unicode61 remove_diacritics 0');
         INSERT INTO t(surface, clitic, stem) VALUES ('ايران قال الرييس', 'ايران قال ال رييس', 'ايران قال رييس');"""


def to_query(data: bytes) -> str:
    if not data:
        return ""
    if data[0] == 0:
        return data[1:].decode("utf-8", "replace")
    return "".join(TABLE[b] for b in data[1:])


def setup():
    from fuzz._runner import scratch_dir
    from khabar.document import Document
    from khabar.server.sample import ARTICLES
    from khabar.store import Store
    from khabar.store.query import Compiler

    conn = sqlite3.connect(":memory:")
    conn.executescript(FTS)
    db = Path(scratch_dir()) / "query.db"
    with Store(db) as w:  # the sample articles, text core only (enough for search and snippets; quick to build)
        w.ingest_documents([Document.from_text(a["text"], **{k: v for k, v in a.items() if k != "text"})
                            for a in ARTICLES], stages=["normalize", "tokens", "sentences"])
    store = Store(db, readonly=True, time_limit=5.0)
    return {"conn": conn, "store": store, "compiler": Compiler(store.splitter_name), "n": 0}


def test_one_input(data: bytes, ctx) -> None:
    from khabar.store.errors import FilterError, QuerySyntaxError, QueryTimeoutError
    from khabar.store.query import parse_query

    q = to_query(data)
    try:
        pq = parse_query(q)
    except QuerySyntaxError as e:
        assert e.code == "E310" and e.message, e
        return
    for mode in ("stem", "exact"):
        match = ctx["compiler"].compile(pq.root, mode)
        try:
            ctx["conn"].execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()
        except sqlite3.OperationalError as e:
            raise AssertionError(f"query {q!r} compiles to {match!r}, which FTS5 refuses: {e}") from None
    ctx["n"] += 1
    if ctx["n"] % 8 == 0:
        st = ctx["store"]
        try:
            res = st.search(q, mode="stem" if data[-1:] < b"\x80" else "exact", limit=5)
        except (QuerySyntaxError, FilterError, QueryTimeoutError):
            return
        for h in res.hits:
            text = st.get(h["id"])["text"]
            for s, e in h.get("highlights") or []:
                assert 0 <= s <= e <= len(text), (q, h["id"], s, e)


if __name__ == "__main__":
    sys.exit(main("query", test_one_input, instrument=["khabar.store"], setup=setup))
