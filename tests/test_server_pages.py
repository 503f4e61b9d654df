"""The web pages as a reader meets them (in process, Starlette TestClient): no dead internal link (a crawl of every
page of the sample corpus, of the bundled demo corpus, and of an /analyze result), Arabic everywhere a reader looks
(no English word in the visible text but names, URLs and the product name), Arabic number agreement, dates in one
Arabic format, empty states, a near-miss suggestion, invalid filters, unsafe URLs in stored metadata."""
from __future__ import annotations

import re
import sqlite3
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
pytest.importorskip("httpx", reason="the page tests need httpx (pip install -e '.[test]')")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient  # noqa: E402

from khabar.server import arabic, create_app  # noqa: E402
from khabar.server.render import safe_url  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402

BASSIL = "PER:جبران باسيل"
PASTED = ("بيروت - قال وزير الخارجية اللبناني جبران باسيل إن \"لبنان لن يقبل بأي تدخل\". وقال الرئيس السوري "
          "بشار الأسد يوم الثلاثاء إن \"الحرب انتهت\"، وفقا لوكالة سانا. وأعلن وزير الدفاع الأوكراني "
          "أولكسندر كوزمينكو أن قواته \"ستصمد\".")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(sample_db())) as c:
        yield c


class _Page(HTMLParser):
    """The internal links of a page, and its visible text outside article content (``data-content``), names
    (``data-name``, speaker and actor links, ``.who``) and ``<code>``."""

    SKIP_CLASSES = {"speaker-link", "actor-link", "who", "cue-t", "outlet", "code", "src-url"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self.stack: list[bool] = []  # per open element: whether its text is skipped

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src", "action"):
            if a.get(k):
                self.links.append(a[k])
        skip = (bool(self.stack and self.stack[-1]) or "data-content" in a or "data-name" in a or tag in ("code", "script", "style", "title")
                or bool(self.SKIP_CLASSES & set((a.get("class") or "").split())))
        if a.get("placeholder") and not skip:
            self.text.append(a["placeholder"])
        if tag not in VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def _parse(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    return p


ALLOWED_LATIN = re.compile(r"^(khabar|CNN|BBC|Apache-2\.0|JSON|OR|E\d{3})$")


def english_words(html: str) -> list[str]:
    """Latin-letter words of a page's visible text that are not names, URLs or the product name."""
    text = " ".join(_parse(html).text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"«[^»]*»", " ", text)  # what the reader typed, quoted back
    return [w for w in re.findall(r"[A-Za-z][\w.\-]*", text) if not ALLOWED_LATIN.match(w)]


def crawl(client, seeds: list[str], *, max_pages: int = 5000) -> tuple[dict, dict]:
    """Every internal URL reachable from ``seeds`` → its status; the HTML of each page fetched.  Search result
    pages (whose facet links combine without end) are fetched and checked, and their links checked but not
    followed further."""
    status: dict[str, int] = {}
    pages: dict[str, str] = {}
    seen: set[str] = set()  # fetched to follow its links
    todo = [(u, True) for u in seeds]
    while todo and len(status) < max_pages:
        url, follow = todo.pop()
        if url in status and not (follow and url not in pages and status[url] == 200 and url not in seen):
            continue
        seen.add(url) if follow else None
        r = client.get(url, follow_redirects=False)
        status[url] = r.status_code
        if r.status_code != 200 or "text/html" not in r.headers.get("content-type", "") or not follow:
            continue
        pages[url] = r.text
        from_search = urlsplit(url).path == "/search"
        for link in _parse(r.text).links:
            full = urljoin("http://testserver" + url, link)
            parts = urlsplit(full)
            if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
                continue
            local = parts.path + ("?" + parts.query if parts.query else "")
            if local not in status or (not from_search and local not in seen):
                todo.append((local, not from_search))
    return status, pages


def _dead(status: dict) -> dict:
    return {u: s for u, s in status.items() if s != 200 and not (300 <= s < 400)}


SEEDS = ["/", "/search", "/search?q=" + quote("باسيل"), "/search?q=" + quote("قال"), "/analyze"]


# ---------------------------------------------------------------------------------------------------------------
# dead links

def test_crawl_sample_corpus_has_no_dead_internal_link(client):
    status, pages = crawl(client, SEEDS)
    assert len(pages) >= 15, sorted(status)
    assert any(u.startswith("/speaker/") for u in pages) and any(u.startswith("/actor/") for u in pages)
    assert _dead(status) == {}


def test_analyze_result_links_only_to_pages_that_exist(client):
    r = client.post("/analyze", data={"text": PASTED, "title": "عنوان"})
    assert r.status_code == 200
    links = [u for u in _parse(r.text).links if u.startswith("/")]
    people = [u for u in links if u.startswith(("/speaker/", "/actor/"))]
    assert people, "the speaker known to the database is linked"
    dead = {u: client.get(u).status_code for u in set(links)}
    assert {u: s for u, s in dead.items() if s != 200} == {}
    # the speakers the database does not know are shown, without a link
    assert "بشار الأسد" in r.text
    assert "/speaker/" + quote("PER:بشار الأسد", safe="") not in r.text


def test_analyze_without_a_database_links_no_person():
    with TestClient(create_app(None)) as c:
        r = c.post("/analyze", data={"text": PASTED})
        assert r.status_code == 200
        assert not re.search(r'href="/(speaker|actor)/', r.text)


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory):
    from khabar.store.demo import DEMO_FILE, run_demo

    if not DEMO_FILE.exists():
        pytest.skip(f"the demo corpus is not in this installation ({DEMO_FILE})")
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):
        run_demo(str(db))
    with TestClient(create_app(str(db))) as c:
        yield c


def test_crawl_demo_corpus_has_no_dead_internal_link(demo_client):
    seeds = SEEDS + ["/search?q=" + quote(w) for w in ("إيران", "ترامب", "اقتصاد")]
    status, pages = crawl(demo_client, seeds)
    n_docs = sum(1 for u in pages if u.startswith("/doc/"))
    assert n_docs >= 30, n_docs
    assert _dead(status) == {}, list(_dead(status).items())[:10]
    # no English in the chrome of the demo pages either (topic labels, weekdays, CAMEO categories, dates)
    bad = {u: english_words(h) for u, h in pages.items()}
    assert {u: w for u, w in bad.items() if w} == {}


# ---------------------------------------------------------------------------------------------------------------
# Arabic everywhere

def _all_pages(client) -> dict[str, str]:
    out = {}
    for u in ["/", "/search", "/search?q=" + quote("باسيل"), "/search?q=" + quote("ايرن"),
              "/search?q=" + quote('"باسيل'), "/search?q=" + quote("(باسيل"), "/search?q=" + quote("باسيل OR"),
              "/search?q=" + quote("باسيل") + "&since=2018-13", "/search?q=" + quote("باسيل") + "&until=x",
              "/doc/s1", "/doc/s7-xss", "/doc/nothing-here", "/speaker/" + quote(BASSIL, safe=""),
              "/speaker/nobody", "/actor/" + quote(BASSIL, safe=""), "/actor/PER:nobody", "/analyze", "/no/such/page"]:
        out[u] = client.get(u).text
    out["POST /analyze"] = client.post("/analyze", data={"text": PASTED}).text
    out["POST /analyze empty"] = client.post("/analyze", data={"text": "   "}).text
    out["POST /analyze json"] = client.post("/analyze", json={"text": "x"}).text
    return out


def test_no_english_word_in_visible_text(client):
    pages = _all_pages(client)
    bad = {u: english_words(h) for u, h in pages.items()}
    assert {u: w for u, w in bad.items() if w} == {}


def test_english_words_detector_catches_english():
    assert english_words("<p>unbalanced double quote at position 0</p>") == ["unbalanced", "double", "quote", "at",
                                                                           "position"]
    assert english_words('<p>الموضوع: internationalNews</p><p data-content>Reuters said</p>') == [
        "internationalNews"]
    assert english_words("<p>khabar · CNN · <code>--since</code> https://example.org/x</p>") == []


def test_query_and_filter_errors_are_arabic(client):
    r = client.get("/search", params={"q": '"باسيل'})
    assert r.status_code == 400
    assert "علامة تنصيص" in r.text and "unbalanced" not in r.text
    r = client.get("/search", params={"q": "باسيل", "since": "2018-13"})
    assert r.status_code == 400
    assert "«من» ليست تاريخا صحيحا" in r.text
    assert "--since" not in r.text  # no hint naming a command-line flag
    for bad in ("2018-02-30", "2018-00", "18"):
        assert client.get("/search", params={"q": "باسيل", "until": bad}).status_code == 400, bad
    assert client.get("/search", params={"q": "باسيل", "since": "2018-02-28"}).status_code == 200
    r = client.get("/doc/nothing-here")
    assert r.status_code == 404 and "no such" not in r.text.lower()
    r = client.post("/analyze", data={"text": "  "})
    assert r.status_code == 400 and "لا نص للتحليل" in r.text


def test_analyze_too_long_is_an_arabic_error():
    with TestClient(create_app(sample_db(), max_chars=50)) as c:
        r = c.post("/analyze", data={"text": "قال الوزير إن الوضع مستقر. " * 10})
        assert r.status_code == 413
        assert "أطول مما يُقبل" in r.text and english_words(r.text) == []


def test_dates_topics_and_event_names_in_arabic(client):
    html = client.get("/doc/s1").text
    assert '<time class="date-t" datetime="2018-03-04">الأحد 4 مارس 2018</time>' in html
    assert "الموضوع: سياسة" in html
    assert ">2018-03-04<" not in html
    # RFC 822 (BBC) and ISO (CNN) publication dates read the same
    assert arabic.ar_date("Sun, 04 Mar 2018 10:49:25 +0000") == arabic.ar_date("2018-03-04T10:49:25Z") == \
        arabic.ar_date("2018-03-04")
    assert "الأحد 4 مارس 2018" in arabic.ar_date("Sun, 04 Mar 2018 10:49:25 +0000")
    assert arabic.ar_date("Mon, 05 Mar 2018 01:00:00 +0300").endswith(">الأحد 4 مارس 2018</time>")  # in UTC
    assert arabic.topic_name("internationalNews") == "أخبار دولية"
    assert arabic.topic_name("middleEast") == "الشرق الأوسط"
    assert arabic.cameo_name("180") == "عنف غير تقليدي"
    assert arabic.cameo_name("189") == "اعتداء"  # a code without its own name: its root category
    # a weekday is given its calendar date from the publication date (the last such day on or before it)
    assert arabic.date_value_text("tuesday", "Thu, 08 Feb 2018 10:49:25 +0000") == "الثلاثاء 6 فبراير 2018"
    assert arabic.date_value_text("thursday", "2018-02-08") == "الخميس 8 فبراير 2018"
    assert arabic.date_value_text("tuesday", None) == "الثلاثاء"
    assert arabic.date_value_text("H1439-09-01") == "1 رمضان 1439 هـ"
    assert arabic.date_value_text("--02-08") == "8 فبراير"
    assert arabic.month_text("2018-06") == "يونيو 2018"


def test_cameo_names_cover_every_code_khabar_emits():
    path = Path(arabic.__file__).resolve().parent.parent / "resources" / "events" / "codes.tsv"
    codes = [ln.split("\t")[0] for ln in path.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    assert codes and all(c in arabic.CAMEO for c in codes), [c for c in codes if c not in arabic.CAMEO]


# ---------------------------------------------------------------------------------------------------------------
# number agreement

FORMS = arabic.NOUNS["quote"]


def _expected(n: int) -> str:
    if n == 0:
        return "لا اقتباسات"
    if n == 1:
        return "اقتباس واحد"
    if n == 2:
        return "اقتباسان"
    last = n % 100
    if n >= 100 and last <= 2:
        return f"{n} اقتباس"
    if 3 <= last <= 10:
        return f"{n} اقتباسات"
    return f"{n} اقتباسا"


def test_count_phrase_over_0_to_1000():
    for n in range(0, 1001):
        assert arabic.count_phrase(n, "quote") == _expected(n), n
    # spot checks written out by hand
    assert [arabic.count_phrase(n, "article") for n in (0, 1, 2, 3, 10, 11, 24, 99, 100, 101, 102, 103, 111,
                                                        300, 1000)] == [
        "لا مقالات", "مقال واحد", "مقالان", "3 مقالات", "10 مقالات", "11 مقالا", "24 مقالا", "99 مقالا",
        "100 مقال", "101 مقال", "102 مقال", "103 مقالات", "111 مقالا", "300 مقال", "1000 مقال"]
    assert arabic.count_phrase(2, "article", case="genitive") == "مقالين"
    assert arabic.count_phrase(1, "mention") == "إشارة واحدة"
    assert arabic.count_phrase(2, "mention") == "إشارتان"
    assert arabic.count_phrase(5, "result") == "5 نتائج"
    assert arabic.count_phrase(15, "result") == "15 نتيجة"
    with pytest.raises(ValueError):
        arabic.count_phrase(-1, "quote")


def test_pages_count_in_agreement(client):
    html = client.get("/").text
    assert "7 مقالات" in html
    assert re.search(r"\d+ اقتباس[اتا]*\b", html)
    assert not re.search(r"\b([3-9]|10) (اقتباس|مقال)\b", html), "3–10 take the plural"
    html = client.get("/search", params={"q": "باسيل"}).text
    assert "3 نتائج" in html


# ---------------------------------------------------------------------------------------------------------------
# empty states

def test_no_results_is_not_a_numbered_result_and_suggests_a_near_miss(client):
    r = client.get("/search", params={"q": "ايرن"})
    assert r.status_code == 200
    main = r.text.split("<main", 1)[1].split("</main>")[0]
    assert "لا نتائج" in main and "1." not in main and 'class="hits"' not in main
    m = re.search(r'class="suggestion">[^<]*<a href="([^"]+)">([^<]+)</a>', r.text)
    assert m, "a suggestion"
    assert m.group(2) == "إيران"
    follow = client.get(m.group(1).replace("&amp;", "&"))
    assert "li class=\"hit\"" in follow.text
    # nothing near: no suggestion
    r = client.get("/search", params={"q": "قطقطقطقط"})
    assert "لا نتائج" in r.text and "suggestion" not in r.text


def test_suggestion_edit_distance():
    from khabar.server.suggest import distance, nearest

    assert distance("ايرن", "ايران", 2) == 1
    assert distance("abc", "xyz", 1) == 2  # over the limit: limit + 1
    vocab = {5: [("ايران", 40), ("ايراد", 8)], 4: [("ايرن", 0)], 3: [("اير", 4)]}
    vocab = {k: [t for t in v if t[0] != "ايرن"] for k, v in vocab.items()}
    assert nearest(vocab, "ايرن") == "ايران"  # more articles than اير at the same distance
    assert nearest(vocab, "قطقط") is None


def test_page_beyond_the_last_redirects(client):
    r = client.get("/search", params={"q": "باسيل", "page": "99"}, follow_redirects=False)
    assert r.status_code == 303
    assert "page=" not in r.headers["location"]  # one page of results: to the first
    r = client.get("/speaker/" + quote(BASSIL, safe="") + "?page=50", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/speaker/" + quote(BASSIL, safe="")


def test_empty_database_says_how_to_ingest(tmp_path):
    from khabar.store import Store

    db = tmp_path / "empty.db"
    Store(str(db)).close()
    with TestClient(create_app(str(db))) as c:
        home = c.get("/")
        assert home.status_code == 200
        assert "قاعدة البيانات فارغة" in home.text and "khabar ingest" in home.text
        r = c.get("/search", params={"q": "إيران"})
        assert "قاعدة البيانات فارغة" in r.text and "khabar ingest" in r.text


# ---------------------------------------------------------------------------------------------------------------
# the rest of the chrome

def test_one_search_box_on_search_page_favicon_and_docs_link(client):
    html = client.get("/search", params={"q": "باسيل"}).text
    assert len(re.findall(r'<input type="search"', html)) == 1
    assert len(re.findall(r'<input type="search"', client.get("/").text)) == 1
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon" and r.content[:4] == b"\0\0\1\0"
    docs = "/docs" if client.get("/docs").status_code == 200 else "/openapi.json"
    assert f'<a href="{docs}">واجهة البرمجة</a>' in client.get("/").text


def test_results_come_before_facets(client):
    html = client.get("/search", params={"q": "قال"}).text
    assert html.index('class="hits"') < html.index('class="facets"')


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a", True), ("http://example.org/a", True), ("HTTPS://EXAMPLE.ORG", True),
    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False), ("java\tscript:alert(1)", False),
    ("\x01javascript:alert(1)", False), ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False), ("//evil.example/x", False), ("/relative", False), (None, False), (3, False)])
def test_safe_url(url, ok):
    assert (safe_url(url) is not None) == ok


def test_unsafe_url_in_stored_metadata_is_not_a_link(tmp_path):
    from khabar.document import Document
    from khabar.store import Store

    db = tmp_path / "u.db"
    docs = [Document.from_text(f"قال الوزير إن \"الوضع مستقر\" في المقال {i}.", external_id=f"u{i}", url=url,
                               title=f"مقال {i}", published="2018-01-0" + str(i + 1))
            for i, url in enumerate(["javascript:window.__pwned=1", "data:text/html,<b>x</b>",
                                     "vbscript:msgbox(1)", "https://example.org/fine"])]
    with Store(str(db)) as st:
        st.ingest_documents(docs, stages=["normalize", "dates"])
    with TestClient(create_app(str(db))) as c:
        for i in range(3):
            html = c.get(f"/doc/u{i}").text
            assert "href=\"javascript" not in html.lower() and "href=\"data:" not in html.lower()
            assert "href=\"vbscript" not in html.lower()
        assert 'href="https://example.org/fine"' in c.get("/doc/u3").text


def test_sqlite_vocabulary_is_read_read_only(client):
    # the suggestion reads the index vocabulary through a read-only connection: the database file is unchanged
    db = sample_db()
    before = Path(db).stat().st_mtime_ns
    client.get("/search", params={"q": "ايرن"})
    assert Path(db).stat().st_mtime_ns == before
    with sqlite3.connect(db) as conn:
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '%vocab%'").fetchall()
