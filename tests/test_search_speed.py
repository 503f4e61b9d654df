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
                rows = c.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
                node = {r[0]: r[3] for r in rows}
                # each step, with the step it is part of ("LIST SUBQUERY n": a set built once, then looked up)
                plans.append([(r[3], node.get(r[1], "")) for r in rows])
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
        first_loop = next(p for p, _parent in plan if p.startswith(("SCAN", "SEARCH")))
        assert "doc_fts" in first_loop, plan
        # a filter's index may select the filtered articles once (a list the matches are looked up in), never
        # drive a loop that runs the MATCH once per article
        assert all(parent.startswith("LIST SUBQUERY") for p, parent in plan
                   if "documents_outlet" in p or "documents_published" in p), plan


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


def test_needle_finder_matches_as_the_full_pattern_does():
    # the needles are found in the text with its harakat and tatweel taken out (the pattern then has no harakat
    # class between its letters): every match, its offsets in the original text, the leftmost and longest first,
    # as the one regex that allows harakat between letters finds them
    import random

    from khabar.store.snippets import _needle_regex, _needle_regex_full

    base = ("قال مُحَمَّدٌ أيضاً إنّ الـرئيـــس الإيرانيَّ وصل إلى طهران في ٢٠١٨ و2018، وأكد الرئيس أن "
            "الرئاسة ستعلن ذلك. CNN cnn Cnn café CAFÉ ")
    rnd = random.Random(7)
    texts = [base * 3]
    for _i in range(40):  # harakat, tatweel and superscript alef sprinkled anywhere, runs of them included
        texts.append("".join(c + "".join(rnd.choice("\u064e\u0650\u0651\u0652\u064b\u0640\u0670")
                                         for _k in range(rnd.choice((0, 0, 0, 1, 2)))) for c in base * 3))
    queries = ["الرئيس", "رئيس*", "محمد", "ايضا", "2018", "CNN", "Café", "\"وصل إلى\"", "ايراني OR طهران"]
    found = 0
    for q in queries:
        for mode in ("stem", "exact"):
            hl = Highlighter(parse_query(q), mode)
            needles = tuple(sorted(set(hl.needles), key=lambda n: (-len(n), n)))
            finder, full = _needle_regex(hl.needles), _needle_regex_full(needles)
            for t in texts:
                spans = list(finder.spans(t))
                assert spans == [m.span() for m in full.finditer(t)], (q, mode)
                found += len(spans)
    assert found > 1000


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
    # the words: "exact" counts all (as True, the default), "bounded" up to COUNT_BOUND; another word is an error
    from khabar.store.store import COUNT_BOUND, FilterError
    res = store.search("الحكومة", count="exact")
    assert res.total == 60 and res.total_exact is True
    res = store.search("الحكومة", count="bounded")
    assert res.total == 60 and res.total_exact is True and COUNT_BOUND == 1000
    with pytest.raises(FilterError):
        store.search("الحكومة", count="all")


# --------------------------------------------------------------------------------------------------------------
# prefix indexes, the rank window, the memoised word tokens

def test_new_store_has_prefix_indexes_and_reindex_adds_them_keeping_every_article(tmp_path):
    from khabar.store.schema import has_prefix_index

    path = tmp_path / "old.db"
    st = Store(path)
    docs = [Document.from_text(f"قال المتحدث إن المفاوضات رقم {i} مستمرة مع المسؤولين.", external_id=f"o{i}")
            for i in range(5)]
    assert st.ingest_documents(docs, stages=STAGES).ok
    assert has_prefix_index(st.conn)
    # a store made before the prefix indexes: doc_fts as it was defined then, filled from the same views
    rows = st.conn.execute("SELECT rowid, text, title FROM documents").fetchall()
    st.conn.execute("DROP TABLE doc_fts")
    st.conn.execute("CREATE VIRTUAL TABLE doc_fts USING fts5(surface, clitic, stem, content='', "
                    "tokenize='unicode61 remove_diacritics 0')")
    from khabar.store.views import text_views
    for rid, text, _title in rows:
        st.conn.execute("INSERT INTO doc_fts(rowid, surface, clitic, stem) VALUES (?, ?, ?, ?)",
                        (rid, *text_views(text, st.splitter_name)))
    assert not has_prefix_index(st.conn) and st.stats()["prefix_index"] is False
    before = {q: sorted(h["external_id"] for h in st.search(q, limit=50).hits) for q in ("الم*", "مف*", "مسؤ*")}
    assert before["الم*"] == sorted(f"o{i}" for i in range(5))
    assert st.reindex(jobs=2) == 5
    assert has_prefix_index(st.conn) and st.stats()["prefix_index"] is True
    after = {q: sorted(h["external_id"] for h in st.search(q, limit=50).hits) for q in before}
    assert after == before
    assert st.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    st.close()


def test_a_query_matching_more_than_the_window_is_ranked_among_its_newest_matches(store, monkeypatch):
    """Ranking (BM25) is computed for the newest RANK_WINDOW matches only; a page past the window ranks all."""
    monkeypatch.setattr(Store, "RANK_WINDOW", 10)
    newest = {r["rowid"] for r in store.execute("SELECT rowid FROM documents ORDER BY rowid DESC LIMIT 10")}
    ext = {r["rowid"]: r["external_id"] for r in store.execute("SELECT rowid, external_id FROM documents")}
    inv = {v: k for k, v in ext.items()}
    for q in ("الحكومة", "الحكو*", "الوزير الحكومة"):
        res = store.search(q, limit=5)
        assert res.total == 60
        assert len(res.hits) == 5
        assert {inv[h["external_id"]] for h in res.hits} <= newest, q
        deep = store.search(q, limit=5, offset=20)  # past the window: every match ranked
        assert len(deep.hits) == 5
    monkeypatch.setattr(Store, "RANK_WINDOW", 1000)
    assert len(store.search("الحكو*", limit=100).hits) == 60


def test_word_tokens_are_the_tokenizers_word_tokens():
    from khabar.store.views import _WORD_KINDS, word_tokens
    from khabar.text.tokenize import iter_tokens

    for text in ("#السعودية_اليوم @user قال 12.5% «الوزير» http://x.com/a ﷺ ... 2018م",
                 "وأضاف أنَّ الاقتصادَ ينمو، (بنسبة ٣٪) في 2018؛ ABC-12 x_y"):
        want = [(s, e, text[s:e]) for s, e, k in iter_tokens(text) if k in _WORD_KINDS]
        assert list(word_tokens(text)) == want


@pytest.mark.parametrize("query", ["الوزير", "الحكو*", "الحكومة الاتفاق", '"الوزير في"', "الاقتصاد OR المؤتمر",
                                   "الحكومة -الاتفاق", "وأضاف*", "خبر"])
def test_merged_match_string_matches_the_same_rows_with_fewer_phrases(store, query):
    """Counts and row sets use a MATCH string with each token once under a column set: the same rows."""
    pq = parse_query(query)

    def rows(m):
        return [r["rowid"] for r in store.execute("SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? ORDER BY rowid",
                                                  [m])]
    for mode in ("stem", "core", "exact"):
        full, merged = (store._compiler.compile(pq.root, mode, merged=m) for m in (False, True))
        assert rows(full) == rows(merged), (mode, full, merged)
        assert merged.count(" : ") <= full.count(" : ")
    assert store._compiler.compile(parse_query("الحكو*").root, "stem", merged=True) == '("الحكو" * OR stem : "حكو" *)'
    res = store.search(query)
    assert res.total == len(rows(store.compile_query(query)))


def test_merge_alternatives_puts_a_token_of_several_columns_under_one_column_set():
    from khabar.store.query import merge_alternatives
    assert merge_alternatives([("surface", '"a"'), ("clitic", '"a"'), ("stem", '"a"')]) == '("a")'
    assert merge_alternatives([("surface", '"a"'), ("clitic", '"b"'), ("clitic", '"a"')]) == \
        '({surface clitic} : "a" OR clitic : "b")'
