"""REST API and web pages, in process (Starlette TestClient) over a small fixture database built here."""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
pytest.importorskip("httpx", reason="the API tests need httpx (pip install -e '.[test]')")

import warnings  # noqa: E402

with warnings.catch_warnings():  # Starlette's note that it prefers httpx2 to httpx for TestClient
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient  # noqa: E402

from khabar.server import create_app  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402

BASSIL = "PER:جبران باسيل"


@pytest.fixture(scope="module")
def db() -> str:
    return sample_db()


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def _sha(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# OpenAPI

def test_openapi_lists_every_api_route(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/analyze", "/api/search", "/api/documents/{ident}", "/api/quotes", "/api/speakers",
              "/api/speakers/{key}", "/api/actors", "/api/actors/{key}", "/api/sources", "/api/dates",
              "/api/stats"):
        assert p in paths, p
    assert not any(p.startswith("/doc") or p == "/" for p in paths), "web pages are not API routes"
    # the error schema is documented
    assert "ErrorBody" in spec["components"]["schemas"]


# ---------------------------------------------------------------------------------------------------------------
# search

def test_search_finds_variants_and_pages(client):
    r = client.get("/api/search", params={"q": "باسيل"})
    assert r.status_code == 200
    d = r.json()
    assert d["total"] == 3 and len(d["hits"]) == 3
    assert {h["external_id"] for h in d["hits"]} == {"s1", "s3", "s5"}
    h = d["hits"][0]
    assert h["highlights"] and "[باسيل]" in h["snippet"]
    # spelling variants: ايران (no hamza) finds إيران and الإيرانية
    assert client.get("/api/search", params={"q": "ايران"}).json()["total"] >= 2
    p1 = client.get("/api/search", params={"q": "باسيل", "limit": 2}).json()
    p2 = client.get("/api/search", params={"q": "باسيل", "limit": 2, "offset": 2}).json()
    assert len(p1["hits"]) == 2 and len(p2["hits"]) == 1
    assert {h["id"] for h in p1["hits"]}.isdisjoint({h["id"] for h in p2["hits"]})


def test_search_filters_and_facets(client):
    d = client.get("/api/search", params={"q": "قال", "outlet": "BBC", "facets": "true"}).json()
    assert d["hits"] and all(h["outlet"] == "BBC" for h in d["hits"])
    assert d["facets"]["outlet"] == [{"value": "BBC", "count": len(d["hits"])}]
    d = client.get("/api/search", params={"q": "باسيل", "since": "2018-06", "until": "2018-12"}).json()
    assert {h["external_id"] for h in d["hits"]} == {"s3", "s5"}
    d = client.get("/api/search", params={"q": "قال", "facets": "true"}).json()
    assert any(f["key"] == BASSIL for f in d["facets"]["speaker"])
    # a speaker facet filters by the actor's key, or by the name as written
    d = client.get("/api/search", params={"q": "قال", "speaker": BASSIL}).json()
    assert {h["external_id"] for h in d["hits"]} == {"s1", "s3", "s5"}
    d = client.get("/api/search", params={"q": "قال", "speaker": "ظريف"}).json()
    assert {h["external_id"] for h in d["hits"]} == {"s4"}
    html = client.get("/search", params={"q": "قال", "speaker": BASSIL}).text
    assert html.count('class="hit"') == 3


def test_search_counts_up_to_the_servers_bound(db, tmp_path):
    # the sample store: قال in 7 articles; a bound of 2 says "more than 2"
    with TestClient(create_app(db, count_bound=2, search_cache=0)) as c:
        d = c.get("/api/search", params={"q": "قال", "limit": 1}).json()
        assert d["total"] == 2 and d["total_exact"] is False and len(d["items"]) == 1
        d = c.get("/api/search", params={"q": "قال", "count": "exact", "limit": 1}).json()
        assert d["total"] == 7 and d["total_exact"] is True
        # the bound reaches at least the end of the page asked for
        d = c.get("/api/search", params={"q": "قال", "limit": 3, "offset": 1}).json()
        assert d["total"] == 4 and d["total_exact"] is False
        d = c.get("/api/search", params={"q": "ظريف"}).json()  # fewer than the bound: exact
        assert d["total"] == 1 and d["total_exact"] is True
        assert c.get("/api/search", params={"q": "قال", "count": "all"}).status_code == 400
    # the web page: a store of 30 matches, a bound of 5 (raised to one past the page shown: 21 on page 1)
    from khabar.document import Document
    from khabar.store import Store
    path = str(tmp_path / "thirty.db")
    st = Store(path)
    assert st.ingest_documents([Document.from_text(f"قال الوزير في المؤتمر رقم {i} إن الحكومة ستدرس الاتفاق.",
                                                   external_id=f"t{i}") for i in range(30)],
                               stages=["normalize", "tokens", "sentences"]).ok
    st.close()
    with TestClient(create_app(path, count_bound=5, search_cache=0)) as c:
        html = c.get("/search", params={"q": "الحكومة"}).text
        assert '<p class="total">أكثر من 21 نتيجة · صفحة 1 من أكثر من 2</p>' in html
        html = c.get("/search", params={"q": "الحكومة", "page": 2}).text  # the last page: counted to 41, exact
        assert '<p class="total">30 نتيجة · صفحة 2 من 2</p>' in html
    # the default bound (1000) is above the sample's counts: exact, as before
    with TestClient(create_app(db, search_cache=0)) as c:
        d = c.get("/api/search", params={"q": "قال"}).json()
        assert d["total"] == 7 and d["total_exact"] is True
        assert "أكثر من" not in c.get("/search", params={"q": "قال"}).text.split('class="total"')[1][:80]
    spec = TestClient(create_app(db)).get("/openapi.json").json()
    assert "total_exact" in spec["components"]["schemas"]["SearchPage"]["required"]
    count = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "count")
    assert count["schema"]["enum"] == ["bounded", "exact"] and count["schema"]["default"] == "bounded"


@pytest.mark.parametrize("q", ['(باسيل', '"باسيل', 'OR باسيل', '-باسيل', 'باسيل OR', '*', ''])
def test_malformed_search_is_a_400_json_error(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    e = r.json()
    assert e["code"] in ("E310", "E400") and e["message"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"limit": "x"}, {"offset": -1},
                                    {"since": "yesterday"}, {"mode": "fuzzy"}])
def test_bad_parameters_are_400(client, params):
    r = client.get("/api/search", params={"q": "باسيل", **params})
    assert r.status_code == 400, r.text
    assert set(r.json()) >= {"code", "message"}


# ---------------------------------------------------------------------------------------------------------------
# documents and annotations

def test_document_with_annotations(client):
    r = client.get("/api/documents/s1")
    assert r.status_code == 200
    d = r.json()
    assert d["schema"].startswith("khabar.document/1.")
    text = d["text"]
    for layer in ("quotes", "entities", "sources", "dates", "sentences"):
        for sp in d.get(layer) or []:
            if "text" in sp:
                assert text[sp["start"]:sp["end"]] == sp["text"], (layer, sp)
    assert len(d["quotes"]) >= 2
    assert d["speakers"][0]["key"] == BASSIL
    same = client.get(f"/api/documents/{d['id']}").json()
    assert same["id"] == d["id"]


def test_unknown_document_is_404_json(client):
    r = client.get("/api/documents/nope-nothing")
    assert r.status_code == 404
    assert r.json()["code"] == "E305"


# ---------------------------------------------------------------------------------------------------------------
# quotes, speakers, actors, sources, dates

def test_quotes_by_speaker_newest_first(client):
    d = client.get("/api/quotes", params={"speaker": BASSIL}).json()
    items = d["items"]
    assert {q["external_id"] for q in items} == {"s1", "s3", "s5"}
    assert len(items) >= 5
    pub = [q["published"] for q in items]
    assert pub == sorted(pub, reverse=True)
    for q in items:
        assert q["content"] and q["speaker_key"] == BASSIL
    # a date range and a term
    d = client.get("/api/quotes", params={"speaker": BASSIL, "since": "2018-06", "until": "2018-06"}).json()
    assert {q["external_id"] for q in d["items"]} == {"s3"}
    d = client.get("/api/quotes", params={"about": "الحكومة"}).json()
    assert d["items"] and all("الحكوم" in q["content"] for q in d["items"])
    # by name, as written
    d = client.get("/api/quotes", params={"speaker": "ظريف"}).json()
    assert d["items"] and all(q["external_id"] == "s4" for q in d["items"])
    # paging
    a = client.get("/api/quotes", params={"limit": 3}).json()["items"]
    b = client.get("/api/quotes", params={"limit": 3, "offset": 3}).json()["items"]
    assert len(a) == 3 and [(q["doc_id"], q["idx"]) for q in a] != [(q["doc_id"], q["idx"]) for q in b]


def test_speakers_actors_sources_dates(client):
    sp = client.get("/api/speakers").json()
    top = sp["items"][0]
    assert top["key"] == BASSIL and top["quotes"] >= 5 and top["documents"] == 3
    one = client.get(f"/api/speakers/{quote(BASSIL, safe='')}").json()
    assert one["speaker"]["key"] == BASSIL and len(one["items"]) == top["quotes"]
    assert {r["month"] for r in one["timeline"]} == {"2018-03", "2018-06", "2018-11"}
    assert client.get("/api/speakers/nobody-at-all").status_code == 404
    acts = client.get("/api/actors", params={"type": "PER"}).json()["items"]
    assert BASSIL in {a["key"] for a in acts}
    a = client.get(f"/api/actors/{quote(BASSIL, safe='')}").json()
    assert a["documents"] == 3 and a["quotes"] >= 5
    assert "PER:ايمانويل ماكرون" in {c["key"] for c in a["cooccurring"]}
    assert client.get("/api/actors/PER:nobody").status_code == 404
    src = client.get("/api/sources").json()
    assert src["items"][0]["name"] == "وكالة رويترز" and src["items"][0]["documents"] == 2
    dates = client.get("/api/dates", params={"value": "2018-0"}).json()
    assert "2018-03-04" in {d["value"] for d in dates["items"]}
    assert client.get("/api/stats").json()["counts"]["documents"] == 7


# ---------------------------------------------------------------------------------------------------------------
# analyse a posted article

ARTICLE = "القاهرة - قال وزير الخارجية المصري سامح شكري يوم الاثنين إن \"مصر تدعم الحل السياسي\"، بحسب وكالة رويترز."


def test_analyze_json_and_text(client):
    r = client.post("/api/analyze", json={"text": ARTICLE, "title": "شكري"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["schema"].startswith("khabar.document/1.") and d["text"] == ARTICLE
    assert d["meta"]["title"] == "شكري"
    assert d["quotes"] and "مصر تدعم" in d["quotes"][0]["text"]
    r = client.post("/api/analyze", content=ARTICLE.encode(), headers={"content-type": "text/plain; charset=utf-8"})
    assert r.status_code == 200 and r.json()["id"] == d["id"]


@pytest.mark.parametrize("body,ctype,status", [
    (b"{not json", "application/json", 400),
    (b'{"title": "x"}', "application/json", 400),
    (b'{"text": 5}', "application/json", 400),
    (b'{"text": "   "}', "application/json", 400),
    (b"\xff\xfe", "text/plain", 400),
    (b"<xml/>", "application/xml", 415),
])
def test_analyze_bad_bodies(client, body, ctype, status):
    r = client.post("/api/analyze", content=body, headers={"content-type": ctype})
    assert r.status_code == status, r.text
    assert r.json()["code"]


def test_request_size_limits(db):
    with TestClient(create_app(db, max_body=2000, max_chars=300)) as c:
        r = c.post("/api/analyze", json={"text": "ا" * 301})
        assert r.status_code == 413 and r.json()["code"] == "E105"
        r = c.post("/api/analyze", json={"text": "ا" * 5000})
        assert r.status_code == 413 and r.json()["code"] == "E413"

        def chunks():  # no Content-Length: the limit applies while reading
            for _ in range(10):
                yield b"a" * 1000
        r = c.post("/api/analyze", content=chunks(), headers={"content-type": "text/plain"})
        assert r.status_code == 413
    r = TestClient(create_app(db)).get("/api/search", params={"q": "ب" * 1001})
    assert r.status_code == 400


def test_unknown_routes_and_methods(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json()["code"] == "E404"
    r = client.delete("/api/search")
    assert r.status_code == 405 and r.json()["code"] == "E405"


# ---------------------------------------------------------------------------------------------------------------
# web pages

def _pages(client):
    return {"/": client.get("/"), "/search": client.get("/search", params={"q": "باسيل"}),
            "/doc": client.get("/doc/s1"), "/speaker": client.get(f"/speaker/{quote(BASSIL, safe='')}"),
            "/actor": client.get(f"/actor/{quote(BASSIL, safe='')}"), "/analyze": client.get("/analyze")}


def test_pages_render_rtl_arabic_without_external_resources(client):
    for name, r in _pages(client).items():
        assert r.status_code == 200, name
        html = r.text
        assert '<html dir="rtl" lang="ar">' in html, name
        for m in re.finditer(r'<(?:link|script|img|iframe)[^>]+(?:src|href)="([^"]+)"', html):
            assert m.group(1).startswith("/"), (name, m.group(0))
        assert "fonts.googleapis" not in html and "cdn" not in html.lower(), name
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"


def test_search_page_highlights_and_facets(client):
    html = client.get("/search", params={"q": "باسيل"}).text
    assert "<mark>باسيل</mark>" in html
    assert 'class="facets"' in html and "CNN" in html
    assert "/doc/" in html
    r = client.get("/search", params={"q": "(باسيل"})
    assert r.status_code == 400 and "E310" in r.text


def test_article_page_highlights_and_links(client):
    html = client.get("/doc/s1").text
    assert 'class="quote quote-direct" id="q1"' in html
    assert f'class="speaker" href="/speaker/{quote(BASSIL, safe="")}"' in html
    assert 'class="source"' in html and 'class="date"' in html and "ent ent-per" in html
    assert html.count('id="q1"') == 1  # a quotation split around nested marks keeps one id


def test_speaker_page_lists_quotes_newest_first_with_timeline(client):
    html = client.get(f"/speaker/{quote(BASSIL, safe='')}").text
    assert "<svg" in html and 'class="bar"' in html
    contents = re.findall(r"<blockquote[^>]*>«(.*?)»</blockquote>", html)
    assert len(contents) >= 5
    assert "ستولد قريبا" in contents[0]  # s5, November, first
    assert "حماية الحدود" in contents[-1] or "موعدها" in contents[-1]  # s1, March, last
    assert client.get("/speaker/nobody").status_code == 404


def test_actor_page(client):
    html = client.get(f"/actor/{quote(BASSIL, safe='')}").text
    assert "يُذكر معه" in html and "ماكرون" in html and "<svg" in html


def test_analyze_form(client):
    r = client.post("/analyze", data={"text": ARTICLE, "title": "<b>عنوان</b>"})
    assert r.status_code == 200
    assert "من قال ماذا" in r.text and "مصر تدعم الحل السياسي" in r.text
    assert "<b>عنوان</b>" not in r.text and "&lt;b&gt;عنوان&lt;/b&gt;" in r.text
    r = client.post("/analyze", data={"text": ""})
    assert r.status_code == 400


# ---------------------------------------------------------------------------------------------------------------
# security

class _Tags(HTMLParser):
    """Collects what a browser would parse as markup: tags, their attributes and script bodies."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "iframe", "object", "embed", "b", "a") and tag != "a" or (tag == "a" and dict(attrs).get("href", "").startswith("javascript")):
            self.bad.append(f"<{tag}>")
        if tag == "script" and dict(attrs).get("src") != "/static/app.js":
            self.bad.append("<script> not ours")
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append(f"{tag} {k}=")
            if k in ("href", "src", "action") and v and v.strip().lower().startswith("javascript:"):
                self.bad.append(f"{tag} {k}=javascript:")

    handle_startendtag = handle_starttag


def _markup_outside_text(html: str) -> list[str]:
    """Tags, handlers or script URLs in the page that do not come from our templates."""
    p = _Tags()
    p.feed(html)
    p.close()
    return p.bad


def test_article_text_is_escaped_everywhere(client):
    doc = client.get("/doc/s7-xss")
    assert doc.status_code == 200
    assert _markup_outside_text(doc.text) == [], "the article's HTML reached the page unescaped"
    assert "&lt;script&gt;window.__pwned" in doc.text
    for r in (client.get("/search", params={"q": "شيفرة"}), client.get("/search", params={"q": "pwned"}),
              client.get("/"), client.get("/speaker/" + quote("النص", safe=""))):
        assert r.status_code == 200
        assert _markup_outside_text(r.text) == []
    r = client.post("/analyze", data={"text": "قال الوزير إن \"<script>window.__pwned=1</script>\" <img src=x onerror=alert(1)>"})
    assert r.status_code == 200 and _markup_outside_text(r.text) == []
    # and the JSON API returns the text as data, with a JSON content type
    r = client.get("/api/documents/s7-xss")
    assert r.headers["content-type"].startswith("application/json") and "<script>" in r.json()["text"]


@pytest.mark.parametrize("path", ["/static/../pyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                                  "/static/..%2f..%2fcli.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
                                  "/static/../app.py", "/static/..%5capp.py"])
def test_no_path_traversal_in_static_files(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "import" not in r.text and "root:" not in r.text


def test_server_never_writes(db, client):
    before = _sha(db)
    st = client.app.state.stores.get()
    assert st.readonly
    with pytest.raises(sqlite3.OperationalError):
        st.conn.execute("DELETE FROM documents")
    for path in ("/", "/search?q=باسيل", "/doc/s1", "/api/speakers", "/api/quotes"):
        client.get(path)
    client.post("/api/analyze", json={"text": ARTICLE})
    assert _sha(db) == before
    assert client.get("/api/stats").json()["counts"]["documents"] == 7


def test_missing_database_fails_at_start(tmp_path):
    from khabar.store import DatabaseNotFoundError
    with pytest.raises(DatabaseNotFoundError):
        create_app(tmp_path / "none.db")


def test_cli_serve_is_registered_and_binds_loopback():
    from khabar.cli import _register_extras, build_parser
    _register_extras()
    args = build_parser().parse_args(["serve", "--db", "x.db"])
    assert args.host == "127.0.0.1" and args.port == 8000 and args.db == "x.db"
