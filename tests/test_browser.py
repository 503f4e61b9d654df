"""Browser tests: the web UI in headless Chromium (Debian's ``chromium``, driven by Playwright for Python).

Scenario: search → open an article → click a speaker → that speaker's quotations, newest first; a screenshot of
each step is saved (``KHABAR_SCREENSHOTS`` or a temporary folder) and its path printed.  An article carrying
``<script>`` and HTML must run none of it (``window.__pwned`` stays undefined), in the stored article and in
"analyse a pasted article".

Skipped, with the reason, where Chromium or Playwright is absent, except in CI (``CI`` set), where they must be
present (``.ci/run`` installs them).
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

CHROMIUM = os.environ.get("KHABAR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
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
    _need(uvicorn is not None, "uvicorn is not installed (pip install -e '.[server]')")
    from khabar.server import create_app
    from khabar.server.sample import sample_db

    app = create_app(sample_db())
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
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
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
