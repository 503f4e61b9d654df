"""How search runs at scale (no timings: the query plans and the work done are checked, the times are in bench/).

* A filter on an indexed column (outlet, date) never makes SQLite loop over the filtered articles and run the full
  text query once per article (seconds on a large store): the full-text match is always the outer loop.
* A bounded count (``count=N``) stops at N and says so (``total_exact``).
* Snippets tokenise one stretch of a long text: the one with the most needles among the first three around the
  query's words, and others only when it holds no match.
"""
from __future__ import annotations

import sqlite3

import pytest

from khabar.document import Document
from khabar.store import Store
from khabar.store.query import parse_query
from khabar.store.snippets import Highlighter

STAGES = ["normalize", "tokens", "sentences"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("speed") / "s.db"
    st = Store(path)
    docs = []
    for i in range(60):
        outlet = "CNN" if i % 2 else "BBC"
        text = f"قال الوزير في المؤتمر رقم {i} إن الحكومة ستدرس الاتفاق. " + ("وأضاف أن الاقتصاد ينمو. " * (i % 3))
        docs.append(Document.from_text(text, external_id=f"d{i}", title=f"خبر {i}", outlet=outlet,
                                       published=f"2018-0{1 + i % 9}-10"))
    assert st.ingest_documents(docs, stages=STAGES).ok
    st.close()
    ro = Store(path, readonly=True)
    yield ro
    ro.close()


def _plans(st: Store, fn) -> list[list[str]]:
    """The query plans of the full-text statements ``fn`` runs on ``st``'s connection."""
    seen: list[str] = []
    st.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        st.conn.set_trace_callback(None)
    plans = []
    c = sqlite3.connect(f"file:{st.path}?mode=ro", uri=True)
    try:
        for sql in seen:
            if "MATCH" in sql and "documents d" in sql:
                plans.append([r[3] for r in c.execute("EXPLAIN QUERY PLAN " + sql)])
    finally:
        c.close()
    return plans


@pytest.mark.parametrize("query", ["الحكومة", "الحكومة الاتفاق", '"الحكومة ستدرس"', "الحكو*"])
@pytest.mark.parametrize("filters", [{"outlet": "CNN"}, {"since": "2018-03"}, {"outlet": "cnn", "until": "2018-05"}])
def test_the_full_text_match_is_the_outer_loop(store, query, filters):
    res = None

    def run():
        nonlocal res
        res = store.search(query, **filters)
    plans = _plans(store, run)
    assert res.total and res.hits
    assert plans, "no full-text statement seen"
    for plan in plans:
        first_loop = next(p for p in plan if p.startswith(("SCAN", "SEARCH")))
        assert "doc_fts" in first_loop, plan
        assert not any("documents_outlet" in p or "documents_published" in p for p in plan), plan


def test_filtered_results_are_the_same_as_unfiltered_ones_filtered(store):
    every = store.search("الحكومة", limit=100).hits
    cnn = store.search("الحكومة", outlet="CNN", limit=100)
    assert [h["id"] for h in cnn.hits] == [h["id"] for h in every if h["outlet"] == "CNN"]
    assert cnn.total == 30


def test_snippet_finds_a_match_after_needles_inside_other_words():
    # سيل (a flood) is a needle inside وسيلة (a means) many times before the one real match
    text = ("وقال إن الوسيلة الوحيدة هي الحوار. " * 40) + "وجرف السيل المنازل في القرية. " + ("كلام آخر. " * 30)
    hl = Highlighter(parse_query("السيل"), "stem")
    sn = hl.snippet(text)
    assert sn.highlights, "the real match after the false needles was not found"
    s, e = sn.highlights[0]
    assert text[s:e] == "السيل"


def test_snippet_of_a_word_that_occurs_hundreds_of_times():
    text = "بداية النص بلا كلمة البحث. " * 5 + " ".join(f"النفط {i}" for i in range(400))
    sn = Highlighter(parse_query("النفط"), "stem").snippet(text)
    assert sn.highlights and all(text[s:e] == "النفط" for s, e in sn.highlights)
    assert sn.start < 3 * 320  # one of the first three stretches that hold the word (the one with most)
    assert len(sn.highlights) >= 20


def test_a_bounded_count_stops_at_its_bound(store):
    full = store.search("الحكومة")
    assert full.total == 60 and full.total_exact
    for bound, filters in ((10, {}), (10, {"outlet": "CNN"}), (59, {})):
        res = store.search("الحكومة", count=bound, **filters)
        assert res.total == bound and res.total_exact is False
        assert [h["id"] for h in res.hits] == [h["id"] for h in store.search("الحكومة", **filters).hits]
    res = store.search("الحكومة", count=60)
    assert res.total == 60 and res.total_exact is True
    res = store.search("الحكومة", count=1000, outlet="CNN")
    assert res.total == 30 and res.total_exact is True
    res = store.search("الحكومة", count=False)
    assert res.total is None and res.total_exact is False
