"""The cache of recent /api/search answers (khabar/server/cache.py): the same bytes as a fresh search, and emptied
as soon as another connection writes to the database."""
from __future__ import annotations

import shutil
import warnings

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
pytest.importorskip("httpx", reason="the API tests need httpx (pip install -e '.[test]')")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient  # noqa: E402

from khabar.document import Document  # noqa: E402
from khabar.server import create_app  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402
from khabar.store import Store  # noqa: E402

STAGES = ["normalize", "tokens", "sentences"]


@pytest.fixture()
def db(tmp_path) -> str:
    path = tmp_path / "copy.db"
    shutil.copy(sample_db(), path)
    return str(path)


def _ask(c, **params):
    r = c.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return r


def test_cached_answer_is_the_computed_one(db):
    with TestClient(create_app(db)) as cached, TestClient(create_app(db, search_cache=0)) as fresh:
        cache = cached.app.state.search_cache
        for params in ({"q": "إيران"}, {"q": "إيران", "limit": "2", "offset": "1"}, {"q": "باسيل", "facets": "true"},
                       {"q": "لبنان OR سوريا", "snippets": "false"}):
            first, again, other = _ask(cached, **params), _ask(cached, **params), _ask(fresh, **params)
            assert first.content == again.content == other.content
            assert first.headers["content-type"] == other.headers["content-type"] == "application/json"
        assert cache.hits == 4 and cache.misses == 4
        assert fresh.app.state.search_cache.hits == 0
        # pages and filters are answers of their own
        assert _ask(cached, q="إيران", limit="1").json()["limit"] == 1


def test_a_write_empties_the_cache(db):
    word = "زنجبيلستان"  # a word no sample article has
    with TestClient(create_app(db)) as c:
        assert _ask(c, q=word).json()["total"] == 0
        assert _ask(c, q="إيران").json()["total"] > 0
        before = _ask(c, q="إيران").json()["total"]
        with Store(db) as st:  # another connection writes while the server runs
            st.ingest_documents([Document.from_text(f"زار وفد من {word} إيران أمس.", external_id="new-1")],
                                stages=STAGES)
        assert _ask(c, q=word).json()["total"] == 1
        assert _ask(c, q="إيران").json()["total"] == before + 1


def test_errors_are_not_cached(db):
    with TestClient(create_app(db)) as c:
        for _ in range(2):
            r = c.get("/api/search", params={"q": "((("})
            assert r.status_code == 400 and r.json()["code"] == "E310"
        assert c.app.state.search_cache.hits == 0
