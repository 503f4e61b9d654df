"""Browser tests: the web UI in headless Chromium (Debian's ``chromium``, driven by Playwright for Python).

Scenario: search → open an article → click a speaker → that speaker's quotations, newest first; a screenshot of
each step is saved (``KHABAR_SCREENSHOTS`` or a temporary folder) and its path printed.  An article carrying
``<script>`` and HTML must run none of it (``window.__pwned`` stays undefined), in the stored article and in
"analyse a pasted article".

Layout at phone (390 px) and desktop (1280 px) widths: no page scrolls sideways; on /search the first result comes
before the facets.  Accessibility: axe-core (npm ``axe-core``, ``tests/axe``; ``.ci/run`` installs it, or set
``KHABAR_AXE`` to an ``axe.min.js``) is injected into each page: no serious or critical violation on /, /search,
/doc, /speaker, /actor, /analyze (and an /analyze result); the Tab key reaches every control of the page.

Skipped, with the reason, where Chromium, Playwright or axe-core is absent, except in CI (``CI`` set), where they
must be present (``.ci/run`` installs them).
"""
from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from _store_helpers import claims_db

CHROMIUM = os.environ.get("KHABAR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(os.environ.get("KHABAR_AXE") or Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" /
           "axe.min.js")
IN_CI = bool(os.environ.get("CI"))


def _need(cond: bool, reason: str) -> None:
    if not cond:
        if IN_CI:
            pytest.fail(f"{reason} (CI is set: the browser tests must run; .ci/run installs what they need)")
        pytest.skip(reason)


try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None
try:
    import uvicorn
except ImportError:  # pragma: no cover
    uvicorn = None

BASSIL = "PER:جبران باسيل"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    from khabar.server.sample import sample_db

    yield from _serve(sample_db())


@pytest.fixture(scope="module")
def claims_server(tmp_path_factory):
    yield from _serve(claims_db(tmp_path_factory.mktemp("claims")))


def _serve(db: str):
    _need(uvicorn is not None, "uvicorn is not installed (pip install -e '.[server]')")
    from khabar.server import create_app

    app = create_app(db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    t0 = time.time()
    while not srv.started:
        if time.time() - t0 > 30 or not th.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(10)


@pytest.fixture(scope="module")
def browser():
    _need(sync_playwright is not None, "Playwright for Python is not installed (pip install playwright; no "
                                       "`playwright install` needed: Debian's chromium is used)")
    _need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    d = Path(os.environ.get("KHABAR_SCREENSHOTS") or tempfile.mkdtemp(prefix="khabar-screens-"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar", bypass_csp=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    ctx.close()


def test_search_article_speaker(server, page, shots):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.fill("header input[name=q]", "باسيل")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?**")
    hits = page.locator("li.hit")
    assert hits.count() == 3
    assert page.locator("li.hit mark").first.inner_text() == "باسيل"
    page.screenshot(path=str(shots / "1-search.png"), full_page=True)

    hits.locator("a.hit-title").first.click()
    page.wait_for_url("**/doc/**")
    assert page.locator("#text .quote").count() >= 1
    speaker = page.locator("#text a.speaker").first
    assert speaker.is_visible()
    # the article reads right to left: its first word sits at the right edge of the text box
    box = page.locator("#text").bounding_box()
    first = page.evaluate("""() => { const r = document.createRange(); const t = document.querySelector('#text');
        const w = document.createTreeWalker(t, NodeFilter.SHOW_TEXT); const n = w.nextNode();
        r.setStart(n, 0); r.setEnd(n, 1); const b = r.getBoundingClientRect(); return [b.left, b.right]; }""")
    assert first[1] > box["x"] + box["width"] * 0.8, (first, box)
    page.screenshot(path=str(shots / "2-article.png"), full_page=True)

    speaker.click()
    page.wait_for_url("**/speaker/**")
    assert page.locator("h1.speaker-name").inner_text() == "جبران باسيل"
    quotes = page.locator("li.quote-item blockquote")
    assert quotes.count() >= 5
    assert "ستولد قريبا" in quotes.first.inner_text()  # the newest (November 2018) first
    assert page.locator("svg.timeline rect.bar").count() >= 3
    page.screenshot(path=str(shots / "3-speaker.png"), full_page=True)
    print(f"\nkhabar screenshots: {shots}")

    assert page.errors == []
    assert all(u.startswith(server) for u in requests), [u for u in requests if not u.startswith(server)]


def test_article_html_and_script_do_not_run(server, page, shots):
    page.goto(f"{server}/doc/s7-xss")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    text = page.locator("#text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text  # shown as text
    assert page.locator("#text img, #text iframe, #text script, #text b").count() == 0
    assert "<script>" in page.locator("h1.doc-title").inner_text()
    page.hover("h1.doc-title")
    page.screenshot(path=str(shots / "4-xss-article.png"), full_page=True)
    # the search snippets too
    page.goto(f"{server}/search?q=" + quote("شيفرة"))
    assert page.locator("li.hit").count() == 1
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.errors == []


def test_analyze_pasted_article(server, page, shots):
    page.goto(f"{server}/analyze")
    page.fill("#text-input", "بيروت - قال وزير الخارجية اللبناني جبران باسيل إن \"لبنان لن يقبل بأي تدخل\". "
                             "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">")
    page.click("form.analyze button[type=submit]")
    page.wait_for_selector("#text .quote", timeout=120_000)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "لبنان لن يقبل بأي تدخل" in page.locator("#text .quote").first.inner_text()
    assert page.locator("ol.quotes-side a.speaker-link").first.inner_text().strip()
    page.screenshot(path=str(shots / "5-analyze.png"), full_page=True)
    assert page.errors == []


# ---------------------------------------------------------------------------------------------------------------
# layout at phone and desktop widths, accessibility, keyboard

PASTED = ("بيروت - قال وزير الخارجية اللبناني جبران باسيل إن \"لبنان لن يقبل بأي تدخل\". وقال الرئيس السوري "
          "بشار الأسد إن \"الحرب انتهت\".")
PAGES = {"home": "/", "search": "/search?q=" + quote("باسيل"), "search-wide": "/search?q=" + quote("قال"),
         "search-facet": "/search?q=" + quote("قال") + "&country=LBN&subject=politics", "claims": "/claims",
         "doc": "/doc/s1", "speaker": "/speaker/" + quote(BASSIL, safe=""), "actor": "/actor/" + quote(BASSIL, safe=""),
         "analyze": "/analyze", "empty": "/search?q=" + quote("ايرن"), "error": "/doc/nothing-here"}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def _ctx_page(browser, width: str):
    w, h = WIDTHS[width]
    ctx = browser.new_context(viewport={"width": w, "height": h}, locale="ar", bypass_csp=True,
                              is_mobile=width == "phone", has_touch=width == "phone")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    return ctx, pg


def _post_analyze(pg, server):
    pg.goto(f"{server}/analyze")
    pg.fill("#text-input", PASTED)
    pg.fill("#title-input", "عنوان طويل جدا لمقال ملصوق " * 6)
    pg.click("form.analyze button[type=submit]")
    pg.wait_for_selector("#text .quote", timeout=120_000)


def _sideways(pg) -> dict:
    return pg.evaluate("""() => ({scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();
            return r.width > 0 && (r.right > document.documentElement.clientWidth + 1 || r.left < -1); })
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().left)
            + '..' + Math.round(e.getBoundingClientRect().right))})""")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_scrolls_sideways(server, browser, shots, width):
    ctx, pg = _ctx_page(browser, width)
    try:
        for name, url in PAGES.items():
            pg.goto(server + url)
            s = _sideways(pg)
            assert s["scroll"] <= s["client"] + 1, (name, width, s)
            # a date is never broken across lines (its boxes, one per bidi run, all on one line)
            broken = pg.evaluate("""() => [...document.querySelectorAll('time, .date-t')]
                .filter(e => { const tops = [...e.getClientRects()].map(r => r.top);
                               return tops.length && Math.max(...tops) - Math.min(...tops) > 2; })
                .map(e => e.textContent)""")
            assert broken == [], (name, width, broken)
            pg.screenshot(path=str(shots / f"{width}-{name}.png"), full_page=True)
        _post_analyze(pg, server)
        s = _sideways(pg)
        assert s["scroll"] <= s["client"] + 1, ("analyze result", width, s)
        pg.screenshot(path=str(shots / f"{width}-analyze-result.png"), full_page=True)
        assert pg.errors == []
    finally:
        ctx.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_results_come_before_facets(server, browser, width):
    ctx, pg = _ctx_page(browser, width)
    try:
        pg.goto(server + PAGES["search-wide"])
        first = pg.locator("li.hit").first.bounding_box()
        facets = pg.locator("aside.facets").bounding_box()
        assert first and facets
        # the first result is on the first screen; on a phone the facets follow the results
        assert first["y"] < WIDTHS[width][1], first
        if width == "phone":
            assert facets["y"] > first["y"], (first, facets)
        assert pg.locator("input[type=search]").count() == 1  # one search box
    finally:
        ctx.close()


def _axe(pg) -> list[dict]:
    pg.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    res = pg.evaluate("""async () => { const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }""")
    return [v for v in res if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_no_serious_or_critical_violation(server, browser, width):
    _need(AXE.exists(), f"axe-core is not installed (npm ci --prefix tests/axe, or KHABAR_AXE=.../axe.min.js): {AXE}")
    ctx, pg = _ctx_page(browser, width)
    try:
        found = {}
        for name, url in PAGES.items():
            pg.goto(server + url)
            found[name] = _axe(pg)
        _post_analyze(pg, server)
        found["analyze-result"] = _axe(pg)
        assert {k: v for k, v in found.items() if v} == {}
    finally:
        ctx.close()


def test_axe_catches_a_violation(server, browser):
    """The check can fail: an image without alt text and an unlabelled input are reported."""
    _need(AXE.exists(), f"axe-core is not installed: {AXE}")
    ctx, pg = _ctx_page(browser, "desktop")
    try:
        pg.goto(server + "/")
        pg.evaluate("""() => { const m = document.querySelector('main');
            m.insertAdjacentHTML('beforeend', '<img src="/favicon.ico"><input type="text">'); }""")
        ids = {v["id"] for v in _axe(pg)}
        assert {"image-alt", "label"} & ids, ids
    finally:
        ctx.close()


FOCUSABLE = ("a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])")


@pytest.mark.parametrize("name", ["home", "search-wide", "doc", "analyze", "speaker", "actor"])
def test_keyboard_reaches_every_control(server, browser, name):
    ctx, pg = _ctx_page(browser, "desktop")
    try:
        pg.goto(server + PAGES[name])
        controls = pg.evaluate(f"""() => [...document.querySelectorAll("{FOCUSABLE}")]
            .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden' && !e.disabled)
            .map((e, i) => {{ e.dataset.kbd = String(i); return i; }})""")
        assert controls
        reached = set()
        for _ in range(len(controls) + 5):
            pg.keyboard.press("Tab")
            k = pg.evaluate("() => document.activeElement && document.activeElement.dataset.kbd")
            if k is not None:
                reached.add(int(k))
        missing = pg.evaluate("""(reached) => [...document.querySelectorAll('[data-kbd]')]
            .filter(e => !reached.includes(Number(e.dataset.kbd))).slice(0, 5).map(e => e.outerHTML.slice(0, 120))""",
                              sorted(reached))
        assert missing == [], (name, len(controls), len(reached))
        # the first Tab reaches the skip link, which moves the focus to the content
        pg.goto(server + PAGES[name])
        pg.keyboard.press("Tab")
        assert pg.evaluate("document.activeElement.className") == "skip"
    finally:
        ctx.close()


# the claims pages, the home page's contested claims and the responses on speaker pages (a database with a claim and
# its denial)
CLAIM_PAGES = {"home-contested": "/", "claims": "/claims?contested=1&shared=0", "claim": "/claim/1",
               "speaker-answered": "/speaker/" + quote("PER:تيريزا ماي", safe=""),
               "speaker-responder": "/speaker/" + quote("GPE:RUS", safe="")}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_claim_pages_layout_and_axe(claims_server, browser, shots, width):
    ctx, pg = _ctx_page(browser, width)
    try:
        found = {}
        for name, url in CLAIM_PAGES.items():
            resp = pg.goto(claims_server + url)
            assert resp.status == 200, (name, resp.status)
            s = _sideways(pg)
            assert s["scroll"] <= s["client"] + 1, (name, width, s)
            pg.screenshot(path=str(shots / f"{width}-{name}.png"), full_page=True)
            if AXE.exists():
                found[name] = _axe(pg)
        assert {k: v for k, v in found.items() if v} == {}
        pg.goto(claims_server + "/")
        assert pg.locator("section.contested li").count() == 1
        pg.locator("section.contested li a").first.click()
        pg.wait_for_url("**/claim/**")
        assert "نفي" in pg.locator("main").inner_text()
        assert pg.errors == []
    finally:
        ctx.close()
