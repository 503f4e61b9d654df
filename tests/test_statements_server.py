"""Claims in the web UI and the REST API (khabar/server/claims.py), over a database built here from two articles."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
pytest.importorskip("httpx", reason="the API tests need httpx (pip install -e '.[test]')")

import warnings  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient  # noqa: E402

from khabar.server import create_app  # noqa: E402

from _store_helpers import claims_db  # noqa: E402


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = claims_db(tmp_path_factory.mktemp("claims"))
    with TestClient(create_app(db)) as c:
        yield c


def test_api_claims_and_one_claim(client):
    assert "/api/claims" in client.get("/openapi.json").json()["paths"]
    r = client.get("/api/claims", params={"contested": "true", "min_articles": 2})
    assert r.status_code == 200
    items = r.json()["items"]
    assert len(items) == 1 and items[0]["n_articles"] == 2 and items[0]["outlets"] == ["alarabiya", "bbc"]
    assert items[0]["responses"][0]["stance"] == "deny"
    one = client.get(f"/api/claims/{items[0]['id']}").json()
    assert one["id"] == items[0]["id"] and len(one["quotes"]) == 2
    assert client.get("/api/claims", params={"speaker": "لافروف"}).json()["items"] == []
    r = client.get("/api/claims/999999")
    assert r.status_code == 404 and r.json()["code"]
    assert client.get("/api/claims/99999999999999999999999").status_code in (400, 404, 422)


def test_claim_pages_link_each_passage(client):
    cid = client.get("/api/claims", params={"min_articles": 2}).json()["items"][0]["id"]
    html = client.get("/claims").text
    assert f'href="/claim/{cid}"' in html
    page = client.get(f"/claim/{cid}").text
    assert "نفي" in page and "#q1" in page and "/doc/" in page
    assert client.get("/claim/999999").status_code == 404
