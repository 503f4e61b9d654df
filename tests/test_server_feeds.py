"""The API's lists, downloads, feeds and documentation (issue 20): totals, one name for lists, ISO dates, the
parameters the schema and the server agree on, 405 with Allow, CSV/JSON downloads, Atom feeds, /docs offline."""
from __future__ import annotations

import csv
import io
import json
import warnings
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
pytest.importorskip("httpx", reason="the API tests need httpx (pip install -e '.[test]')")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient  # noqa: E402

from khabar.server import create_app  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402

BASSIL = "PER:جبران باسيل"
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(sample_db())) as c:
        yield c


def _all(client, path, **params):
    out, offset = [], 0
    while True:
        d = client.get(path, params={**params, "limit": 100, "offset": offset}).json()
        out += d["items"]
        offset += 100
        if offset >= d["total"]:
            return d["total"], out


# ---------------------------------------------------------------------------------------------------------------
# totals and list names

@pytest.mark.parametrize("params", [{}, {"speaker": BASSIL}, {"speaker": "ظريف"}, {"about": "الحكومة"},
                                    {"kind": "direct"}, {"outlet": "BBC"}, {"since": "2018-06", "until": "2018-11"},
                                    {"doc": "s1"}, {"speaker": "باسيل", "kind": "indirect"}])
def test_quotes_total_is_the_number_of_items(client, params):
    d = client.get("/api/quotes", params={**params, "limit": 2}).json()
    assert isinstance(d["total"], int)
    total, items = _all(client, "/api/quotes", **params)
    assert total == len(items) == d["total"]


@pytest.mark.parametrize("params", [{}, {"type": "PER"}, {"name": "باسيل"}, {"type": "GPE", "name": "لبنان"}])
def test_actors_total_is_the_number_of_items(client, params):
    total, items = _all(client, "/api/actors", **params)
    assert isinstance(total, int) and total == len(items) and len({a["key"] for a in items}) == total


def test_every_list_says_items_and_search_keeps_hits_as_alias(client):
    for path, params in (("/api/search", {"q": "باسيل"}), ("/api/quotes", {}), ("/api/actors", {}),
                         ("/api/speakers", {}), ("/api/sources", {}), ("/api/dates", {})):
        d = client.get(path, params=params).json()
        assert isinstance(d["total"], int) and isinstance(d["items"], list), path
    d = client.get("/api/search", params={"q": "باسيل"}).json()
    assert d["hits"] == d["items"] and d["items"]
    spec = client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["SearchPage"]["properties"]["hits"].get("deprecated") is True


def test_permalinks(client):
    q = client.get("/api/quotes", params={"speaker": BASSIL}).json()["items"]
    for r in q:
        assert r["permalink"] == f"/doc/{r['doc_id']}#q{r['idx'] + 1}"
    doc = client.get(q[0]["permalink"].split("#")[0])
    assert doc.status_code == 200 and f'id="q{q[0]["idx"] + 1}"' in doc.text
    h = client.get("/api/search", params={"q": "باسيل"}).json()["items"][0]
    assert h["permalink"] == f"/doc/{h['id']}"
    d = client.get("/api/documents/s1").json()
    assert d["permalink"] == f"/doc/{d['id']}"


# ---------------------------------------------------------------------------------------------------------------
# dates of publication

def test_published_is_iso_8601_for_rfc_822_input(tmp_path):
    from khabar.document import Document
    from khabar.store import Store

    db = str(tmp_path / "rfc.db")
    with Store(db) as st:
        st.ingest_documents([Document.from_text("قال الوزير إن \"الاجتماع سيعقد غدا\".", title="خبر",
                                                published="Mon, 26 Feb 2018 02:20:10 GMT", external_id="bbc1"),
                             Document.from_text("قال الرئيس إن \"الحل قريب\".", title="خبر آخر",
                                                published="2018-03-01 10:00:00", external_id="cnn1")],
                            stages=["sentences"])
    with TestClient(create_app(db)) as c:
        m = c.get("/api/documents/bbc1").json()["meta"]
        assert m["published"] == "2018-02-26T02:20:10Z" and m["published_raw"] == "Mon, 26 Feb 2018 02:20:10 GMT"
        assert c.get("/api/documents/cnn1").json()["meta"]["published"] == "2018-03-01T10:00:00"
        r = c.post("/api/analyze", json={"text": "قال الوزير إن \"الحل قريب\".",
                                         "published": "Tue, 27 Feb 2018 08:00:00 +0200"})
        assert r.json()["meta"]["published"] == "2018-02-27T06:00:00Z"


# ---------------------------------------------------------------------------------------------------------------
# what the schema accepts, the server accepts (and names the parameter when it does not)

@pytest.mark.parametrize("path,params,param", [
    ("/api/search", {"q": "باسيل", "since": "0000000000"}, "since"),
    ("/api/search", {"q": "باسيل", "until": "2018-13"}, "until"),
    ("/api/quotes", {"since": "2018-02-30x"}, "since"),
    ("/api/search", {"q": "باسيل", "speaker": "!!!"}, "speaker"),
    ("/api/search", {"q": "باسيل", "entity": "--"}, "entity"),
    ("/api/quotes", {"speaker": "؟؟"}, "speaker"),
    ("/api/actors", {"name": "..."}, "name"),
    ("/api/actors", {"type": "PERSON"}, "type"),
    ("/api/speakers/%21%21", {}, "key"),
    ("/api/feeds/speaker.atom", {"key": "***"}, "key"),
])
def test_rejected_values_are_rejected_by_the_schema_too(client, path, params, param):
    import re
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text
    e = r.json()
    assert e["source"] == param and e["hint"].startswith(param + ":"), e
    assert "--" + param not in e["message"] and "dates are" not in e["hint"] or param in ("since", "until")
    spec = client.get("/openapi.json").json()
    op = spec["paths"][re.sub(r"/api/speakers/.*", "/api/speakers/{key}", path)]["get"]
    schema = next(p["schema"] for p in op["parameters"] if p["name"] == param)
    schema = next((s for s in schema.get("anyOf", [schema]) if s.get("type") == "string"), schema)
    value = params.get(param) or "!!"
    assert ("pattern" in schema and not re.search(schema["pattern"], value)) or \
        ("enum" in schema and value not in schema["enum"]), schema


@pytest.mark.parametrize("value", ["2018", "2018-06", "2018-06-30", "1999-12-31"])
def test_good_dates_pass(client, value):
    assert client.get("/api/quotes", params={"since": value}).status_code == 200


def test_405_has_allow(client):
    for method, path in (("DELETE", "/api/search"), ("PUT", "/api/quotes"), ("GET", "/api/analyze"),
                         ("PATCH", "/api/documents/s1"), ("POST", "/api/feeds/search.atom")):
        r = client.request(method, path)
        assert r.status_code == 405 and r.json()["code"] == "E405", (method, path)
        assert r.headers["allow"], (method, path)
        assert method not in r.headers["allow"]


def test_openapi_has_a_schema_for_every_2xx_and_no_phantom_422(client):
    spec = client.get("/openapi.json").json()
    assert len(spec["paths"]) >= 26
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = {k: v for k, v in op["responses"].items() if k.startswith("2")}
            assert ok, (method, path)
            for code, r in ok.items():
                for mt, body in r["content"].items():
                    assert body.get("schema") and (body["schema"].get("$ref") or body["schema"].get("type")), \
                        (method, path, code, mt)
            assert "422" not in op["responses"] or path == "/api/analyze", (method, path)
    assert "HTTPValidationError" not in spec["components"]["schemas"]


# ---------------------------------------------------------------------------------------------------------------
# downloads

def test_csv_and_json_downloads_have_the_list_with_its_filters(client):
    for name, params in (("quotes", {"speaker": BASSIL}), ("search", {"q": "قال", "outlet": "CNN"}),
                         ("actors", {"type": "PER"}), ("speakers", {}), ("sources", {}), ("dates", {"value": "2018"})):
        total, items = _all(client, f"/api/{name}", **params)
        j = client.get(f"/api/{name}.json", params=params)
        assert j.status_code == 200 and "attachment" in j.headers["content-disposition"]
        d = j.json()
        assert d["total"] == total == d["exported"] == len(d["items"]) and not d["truncated"], name
        c = client.get(f"/api/{name}.csv", params=params)
        assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
        assert c.text.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(c.text.lstrip("\ufeff"))))
        assert len(rows) == total, name
        key = {"quotes": "content", "search": "id", "actors": "key", "speakers": "key", "sources": "norm",
               "dates": "value"}[name]
        assert [r[key] for r in rows] == [str(x[key]) for x in items], name
    rows = list(csv.DictReader(io.StringIO(client.get("/api/quotes.csv", params={"speaker": BASSIL}).text[1:])))
    assert all(r["speaker_key"] == BASSIL and r["permalink"].startswith("http://testserver/doc/") for r in rows)


def test_csv_cells_cannot_run_as_formulas():
    from khabar.server.exports import to_csv
    out = to_csv("dates", [{"value": "=HYPERLINK(\"x\")", "mentions": 1, "documents": 1, "example": "@x"}])
    row = list(csv.reader(io.StringIO(out[1:])))[1]
    assert row[0].startswith("'=") and row[3] == "'@x"


def test_download_errors_are_json(client):
    r = client.get("/api/quotes.csv", params={"doc": "no-such-doc"})
    assert r.status_code == 404 and r.json()["code"] == "E305"


# ---------------------------------------------------------------------------------------------------------------
# feeds

def _feed(r):
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == A + "feed"
    for tag in ("id", "title", "updated"):
        assert root.find(A + tag) is not None and root.find(A + tag).text
    return root, root.findall(A + "entry")


def test_speaker_feed_newest_quotes_first(client):
    root, entries = _feed(client.get("/api/feeds/speaker.atom", params={"key": BASSIL}))
    total = client.get("/api/quotes", params={"speaker": BASSIL}).json()["total"]
    assert len(entries) == total
    dates = [e.find(A + "published").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    ids = [e.find(A + "id").text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:khabar:quote:") for i in ids)
    link = entries[0].find(A + "link").get("href")
    assert "/doc/" in link and "#q" in link
    again = _feed(client.get("/api/feeds/speaker.atom", params={"key": BASSIL}))[1]
    assert [e.find(A + "id").text for e in again] == ids  # stable
    assert "جبران باسيل" in root.find(A + "title").text


def test_search_and_actor_feeds(client):
    _, entries = _feed(client.get("/api/feeds/search.atom", params={"q": "باسيل"}))
    assert len(entries) == 3
    dates = [e.find(A + "published").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    _, entries = _feed(client.get("/api/feeds/search.atom", params={"q": "باسيل", "since": "2018-06"}))
    assert len(entries) == 2
    _, entries = _feed(client.get("/api/feeds/actor.atom", params={"key": "GPE:LBN"}))
    assert entries
    dates = [e.find(A + "published").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    _, entries = _feed(client.get("/api/feeds/speaker.atom", params={"key": "PER:nobody"}))
    assert entries == []


def test_feed_text_is_escaped_and_xml_safe():
    from khabar.server.feeds import render
    body = render(feed_id="urn:x", title="a <b> & \x01", self_url="http://x/?a=1&b=2", html_url="http://x/",
                  entries=[{"id": "urn:e", "title": "</title><script>", "link": "http://x/\"", "published": None,
                            "summary": "\x0b\x00ok"}])
    root = ET.fromstring(body.encode())
    assert root.find(A + "title").text == "a <b> & "
    assert root.find(A + "entry/" + A + "summary").text == "ok"


# ---------------------------------------------------------------------------------------------------------------
# /docs

def test_docs_page_is_offline(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    import re
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(u.startswith("/") for u in refs), refs
    for u in refs:
        if u.startswith("/docs/"):
            a = client.get(u)
            assert a.status_code == 200 and len(a.content) > 100, u
            assert "http://" not in a.text and "https://" not in a.text, u
    js = client.get("/docs/docs.js").text
    assert "/openapi.json" in js and "innerHTML" not in js
    assert client.get("/docs/../app.py").status_code == 404
    assert client.get("/docs/nothing.js").status_code == 404
