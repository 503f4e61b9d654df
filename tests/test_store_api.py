"""The store's public read API (what the web server uses; it calls nothing private of the store)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from khabar.errors import DocumentNotFoundError, FilterError, QuerySyntaxError, QueryTimeoutError, StoreError
from khabar.store import Store

ROOT = Path(__file__).resolve().parents[1]


def test_execute_reads_under_a_time_limit(tmp_path):
    with Store(tmp_path / "a.db") as st:
        assert st.execute("SELECT count(*) AS n FROM documents") == [{"n": 0}]
        assert st.execute("  with x AS (SELECT 1 AS one) SELECT one FROM x") == [{"one": 1}]
        with pytest.raises(StoreError, match="only a read query"):
            st.execute("DELETE FROM documents")
        slow = ("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100000000) "
                "SELECT count(*) AS n FROM c")
        with pytest.raises(QueryTimeoutError) as e:
            st.execute(slow, time_limit=0.05)
        assert e.value.code == "E306" and "0.05 s" in e.value.message
        with pytest.raises(StoreError) as e:
            st.execute("SELECT nope FROM documents")
        assert e.value.code == "E300"


def test_resolve_dates_and_queries(tmp_path):
    with Store(tmp_path / "a.db") as st:
        with pytest.raises(DocumentNotFoundError):
            st.resolve("0123456789abcdef")
        assert Store.parse_date("2018-03", "since") == "2018-03" and Store.parse_date("", "since") is None
        with pytest.raises(FilterError):
            Store.parse_date("March", "since")
        assert st.compile_query("الرئيس") and isinstance(st.compile_query("الرئيس", "exact"), str)
        with pytest.raises(QuerySyntaxError):
            st.compile_query('"unbalanced')
        with pytest.raises(FilterError):
            st.compile_query("x", "fuzzy")


def test_the_server_uses_nothing_private_of_the_store():
    private = re.compile(r"\b(?:st|store|Store|raw)\._[a-z]|\._(?:run|date|resolve|compiler)\b")
    hits = [f"{p.name}:{n}: {line.strip()}" for p in sorted((ROOT / "khabar" / "server").glob("*.py"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if private.search(line)]
    assert not hits, "\n".join(hits)
