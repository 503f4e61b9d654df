"""Property tests over the whole pipeline and the search query language (hypothesis).

``tests/test_properties.py`` holds the text core (tokens, sentences, normalisation); these run the *default*
pipeline (entities, actors, dateline, dates, sources, quotes, events, topic) on arbitrary Unicode and on
Arabic-news-like text assembled from the words and marks the rules look for, and check every invariant of
:mod:`fuzz._checks` (no exception; every span in the text and slicing to what it claims; schema; JSON round
trip).  The query language: any string either parses or is error E310, and what it compiles to is always valid
FTS5.  The coverage-guided fuzzers (``fuzz/``) run the same properties for far more inputs.
"""
from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings, strategies as st

from fuzz._checks import check_document
from fuzz.fuzz_analyze import TABLE as ANALYZE_TABLE
from fuzz.fuzz_query import FTS, TABLE as QUERY_TABLE
from khabar.document import Document
from khabar.pipeline import default_pipeline

NEWSISH = st.lists(st.sampled_from(sorted(set(ANALYZE_TABLE))), max_size=120).map(
    lambda xs: "".join(x + (" " if len(x) > 1 else "") for x in xs))
ANY = st.text(max_size=300)
TEXT = st.one_of(NEWSISH, ANY)
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(TEXT)
def test_whole_pipeline_holds_its_invariants_on_any_text(s):
    doc = default_pipeline()(Document.from_text(s))
    check_document(doc, s)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(NEWSISH, min_size=1, max_size=4), st.sampled_from(["\n", "\n\n", " ", "\r\n", "\u2029"]))
def test_multi_paragraph_articles(parts, sep):
    s = sep.join(parts)
    check_document(default_pipeline()(Document.from_text(s)), s)


_QUERY = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(QUERY_TABLE), max_size=25).map("".join))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_QUERY)
def test_any_query_parses_or_is_e310_and_compiles_to_valid_fts5(q):
    from khabar.store.errors import QuerySyntaxError
    from khabar.store.query import Compiler, parse_query

    try:
        pq = parse_query(q)
    except QuerySyntaxError as e:
        assert e.code == "E310" and e.message
        return
    conn = _conn()
    comp = Compiler()
    for mode in ("stem", "exact"):
        match = comp.compile(pq.root, mode)
        conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()


_CONN: list = []


def _conn():
    if not _CONN:
        c = sqlite3.connect(":memory:")
        c.executescript(FTS)
        _CONN.append(c)
    return _CONN[0]
