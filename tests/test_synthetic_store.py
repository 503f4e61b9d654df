"""The synthetic store of ``bench/bench_store.py --synthetic`` (issue 18's 1,000,000-article search bench) is a
valid khabar store: written in bulk, without analysis, it holds the rows and the full-text index that a normal
ingest of the same articles writes, ``khabar reindex`` leaves its index as it is, and its searches answer as a
normally built store's do, with snippets and highlights that slice the stored text.
"""
from __future__ import annotations

import importlib.util
import shutil
import sqlite3
from pathlib import Path

import pytest

from _store_helpers import demo_records
from khabar.document import Document
from khabar.io.readers import document_from_record
from khabar.store import Store
from khabar.store.views import light_stem
from khabar.text.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
STAGES = ["normalize", "tokens", "sentences"]
QUERIES = ["الطيران", "شركات الخليج", '"الإمارات العربية"', "الحكو*", "النفط", "وزير الخارجية"]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_store_under_test", ROOT / "bench" / "bench_store.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("synthetic")
    src = tmp / "src.db"
    st = Store(src)
    docs = [document_from_record(r, "demo") for r in demo_records(30)]
    assert st.ingest_documents(docs, stages=STAGES).ok
    st.close()
    syn = tmp / "syn.db"
    # small transactions, so that several batches and the FTS merges between them are exercised; in two steps
    # (the second adds to the store the first made)
    bench = _bench()
    assert bench.build_synthetic(str(src), str(syn), 120, seed=5, batch=37) == 120
    assert bench.build_synthetic(str(src), str(syn), 80, seed=5, batch=37) == 80
    # the same 200 articles ingested normally (analysed, views computed from the text), in the same order
    ro = Store(syn, readonly=True)
    rows = ro.execute("SELECT title, outlet, published, text FROM documents ORDER BY rowid")
    ro.close()
    norm = tmp / "norm.db"
    st = Store(norm)
    rep = st.ingest_documents([Document.from_text(r["text"], title=r["title"], outlet=r["outlet"],
                                                  published=r["published"]) for r in rows], stages=STAGES)
    assert rep.ok
    st.close()
    return src, syn, norm


def _index(db: Path) -> dict:
    """Each article's full-text index entries (term, column, offset), keyed by its text."""
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        c.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'doc_fts', 'instance')")
        text = dict(c.execute("SELECT rowid, text FROM documents"))
        out: dict = {}
        for term, doc, col, off in c.execute("SELECT term, doc, col, offset FROM temp.v"):
            out.setdefault(text[doc], set()).add((term, col, off))
        return out
    finally:
        c.close()


def test_synthetic_store_is_a_valid_store_with_the_schema_of_a_normal_one(stores):
    _src, syn, norm = stores
    w = sqlite3.connect(syn)
    try:
        w.execute("INSERT INTO doc_fts(doc_fts) VALUES ('integrity-check')")  # raises on a corrupt index
    finally:
        w.close()
    a = sqlite3.connect(f"file:{syn}?mode=ro", uri=True)
    b = sqlite3.connect(f"file:{norm}?mode=ro", uri=True)
    try:
        assert a.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name NOT LIKE 'stmt%' ORDER BY name"
        assert a.execute(schema).fetchall() == b.execute(schema).fetchall()  # indexes made again after the load
        assert a.execute("PRAGMA user_version").fetchone() == b.execute("PRAGMA user_version").fetchone()
        assert a.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert dict(a.execute("SELECT k, v FROM doc_fts_config"))["automerge"] == 4
        meta = "SELECT key, value FROM meta WHERE key IN ('clitic_splitter', 'views_version')"
        assert a.execute(meta).fetchall() == b.execute(meta).fetchall()
        assert a.execute("SELECT count(*) FROM documents").fetchone()[0] == 200
        assert a.execute("SELECT count(*) FROM doc_fts").fetchone()[0] == 200
        assert a.execute("SELECT count(DISTINCT text) FROM documents").fetchone()[0] > 190
    finally:
        a.close()
        b.close()


def test_synthetic_index_is_the_index_a_normal_ingest_writes(stores):
    _src, syn, norm = stores
    got, want = _index(syn), _index(norm)
    assert len(got) == len(want) > 190
    assert got == want


def test_reindex_leaves_the_synthetic_index_as_it_is(stores, tmp_path):
    _src, syn, _norm = stores
    copy = tmp_path / "copy.db"
    shutil.copy(syn, copy)
    before = _index(copy)
    st = Store(copy)
    assert st.reindex() == 200
    st.close()
    assert _index(copy) == before


def test_synthetic_store_answers_as_a_normally_built_one(stores):
    _src, syn, norm = stores
    a, b = Store(syn, readonly=True), Store(norm, readonly=True)
    try:
        texts = {}
        for st in (a, b):
            texts[st.path] = {r["id"]: r["text"] for r in st.execute("SELECT id, text FROM documents")}
        answered = 0
        for q in QUERIES:
            ra, rb = a.search(q), b.search(q)
            assert ra.total == rb.total, q
            assert len(ra.hits) == len(rb.hits), q
            answered += bool(ra.hits)
            for ha, hb in zip(ra.hits, rb.hits):
                assert set(ha) == set(hb), q  # the same fields
                ta, tb = texts[a.path][ha["id"]], texts[b.path][hb["id"]]
                assert ta == tb, q  # the same article at each rank
                for k in ("snippet", "snippet_start", "snippet_end", "highlights", "score", "exact", "title",
                          "outlet", "published"):
                    assert ha[k] == hb[k], (q, k)
                assert 0 <= ha["snippet_start"] < ha["snippet_end"] <= len(ta)
                for s, e in ha["highlights"]:
                    assert ha["snippet_start"] <= s < e <= ha["snippet_end"]
                    # a highlight is a whole word of the stored text that matches a word of the query
                    assert not ta[s - 1:s].isalpha() and not ta[e:e + 1].isalpha()
                    word = fold(ta[s:e], search=True)
                    stems = [light_stem(fold(w.strip('"*'), search=True))[:2] for w in q.split()]
                    assert any(x in word for x in stems), (q, ta[s:e])
        assert answered >= 4
    finally:
        a.close()
        b.close()
