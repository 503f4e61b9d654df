"""Access to the server (issue 20): a token on a reachable address, the cookie of the pages, Bearer on the API,
a per-client rate limit with 429 + Retry-After, and coded start-up errors (no token, busy port)."""
from __future__ import annotations

import socket
import warnings

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
pytest.importorskip("httpx", reason="the API tests need httpx (pip install -e '.[test]')")
pytest.importorskip("uvicorn", reason="the web server needs the `server` extra (pip install -e '.[server]')")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient  # noqa: E402

from khabar.errors import PortInUseError, TokenRequiredError  # noqa: E402
from khabar.server import create_app  # noqa: E402
from khabar.server.auth import Buckets, RateLimits  # noqa: E402
from khabar.server.cli import serve  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402

TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module")
def db():
    return sample_db()


@pytest.fixture()
def locked(db):
    with TestClient(create_app(db, token=TOKEN), follow_redirects=False) as c:
        yield c


# ---------------------------------------------------------------------------------------------------------------
# the token

def test_api_needs_bearer(locked):
    r = locked.get("/api/stats")
    assert r.status_code == 401 and r.json()["code"] == "E401"
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = locked.get("/api/stats", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and "wrong" in r.json()["message"]
    r = locked.get("/api/stats", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.json()["counts"]["documents"] == 7
    r = locked.post("/api/analyze", json={"text": "قال الوزير إن \"الحل قريب\"."})
    assert r.status_code == 401
    # the API takes no ?token= (it would end up in logs and histories); feeds and downloads do
    assert locked.get("/api/stats", params={"token": TOKEN}).status_code == 401
    assert locked.get("/api/feeds/speaker.atom", params={"key": "PER:جبران باسيل", "token": TOKEN}).status_code == 200
    assert locked.get("/api/quotes.csv", params={"token": TOKEN}).status_code == 200
    assert locked.get("/api/quotes.csv", params={"token": "nope"}).status_code == 401


def test_pages_take_the_token_once_and_keep_a_cookie(locked):
    r = locked.get("/search", params={"q": "باسيل"})
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")
    r = locked.get("/search", params={"q": "باسيل", "token": TOKEN})
    assert r.status_code == 303
    assert "token" not in r.headers["location"] and r.headers["location"].startswith("/search?q=")
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    r = locked.get(r.headers["location"])  # the client keeps the cookie
    assert r.status_code == 200 and "باسيل" in r.text
    assert locked.get("/doc/s1").status_code == 200
    assert locked.get("/api/stats").status_code == 200  # the browser's API calls carry the cookie too
    locked.cookies.clear()
    assert locked.get("/doc/s1").status_code == 401


def test_open_paths_and_the_schema_say_bearer(locked):
    for path in ("/static/style.css", "/docs", "/docs/docs.js", "/openapi.json"):
        assert locked.get(path).status_code == 200, path
    spec = locked.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert spec["security"] == [{"bearer": []}]
    assert "401" in spec["paths"]["/api/search"]["get"]["responses"]


def test_no_token_no_lock(db):
    with TestClient(create_app(db)) as c:
        assert c.get("/api/stats").status_code == 200
        assert "security" not in c.get("/openapi.json").json()


# ---------------------------------------------------------------------------------------------------------------
# the rate limit

def test_buckets_refill():
    now = [0.0]
    b = Buckets(clock=lambda: now[0])
    assert all(b.take("search", "1.2.3.4", 3) == 0 for _ in range(3))
    wait = b.take("search", "1.2.3.4", 3)
    assert 0 < wait <= 20
    assert b.take("search", "5.6.7.8", 3) == 0  # per client
    assert b.take("analyze", "1.2.3.4", 3) == 0  # per class
    now[0] += wait
    assert b.take("search", "1.2.3.4", 3) == 0


def test_rate_limit_answers_429_with_retry_after(db):
    with TestClient(create_app(db, rate_limits=RateLimits(analyze=2, search=3))) as c:
        codes = [c.get("/api/search", params={"q": "باسيل"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.get("/api/search", params={"q": "باسيل"})
        assert r.status_code == 429 and r.json()["code"] == "E430"
        assert 1 <= int(r.headers["retry-after"]) <= 20
        assert c.get("/search", params={"q": "باسيل"}).status_code == 429  # the page counts as search too
        assert c.get("/api/quotes").status_code == 200  # other routes are not limited
        body = {"text": "قال الوزير إن \"الحل قريب\"."}
        codes = [c.post("/api/analyze", json=body).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        spec = c.get("/openapi.json").json()
        r429 = spec["paths"]["/api/search"]["get"]["responses"]["429"]
        assert r429["headers"]["Retry-After"]["required"] is True
        assert "429" not in spec["paths"]["/api/quotes"]["get"]["responses"]


# ---------------------------------------------------------------------------------------------------------------
# starting the server

def test_reachable_address_needs_a_token(db, monkeypatch):
    monkeypatch.delenv("KHABAR_TOKEN", raising=False)
    with pytest.raises(TokenRequiredError) as e:
        serve(db, "0.0.0.0", 0, run=False)
    assert e.value.code == "E450" and "--token" in e.value.hint and "--public" in e.value.hint
    assert serve(db, "0.0.0.0", 0, token=TOKEN, run=False) == 0
    assert serve(db, "0.0.0.0", 0, public=True, run=False) == 0
    monkeypatch.setenv("KHABAR_TOKEN", TOKEN)
    assert serve(db, "0.0.0.0", 0, run=False) == 0
    monkeypatch.delenv("KHABAR_TOKEN")
    assert serve(db, "127.0.0.1", 0, run=False) == 0  # loopback: no token needed


def _busy_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s, s.getsockname()[1]


def test_busy_port_is_a_coded_error_before_any_serving_line(db, capsys):
    s, port = _busy_port()
    try:
        with pytest.raises(PortInUseError) as e:
            serve(db, "127.0.0.1", port)
        assert e.value.code == "E451" and "--port" in e.value.hint and str(port) in e.value.message
        assert "serving" not in capsys.readouterr().err and "http://" not in capsys.readouterr().err
    finally:
        s.close()


def test_cli_serve_and_demo_serve_on_a_busy_port(db, capsys):
    from khabar.cli import main
    from khabar.server import cli as server_cli
    s, port = _busy_port()
    try:
        assert main(["serve", "--db", db, "--port", str(port)]) == 2
        err = capsys.readouterr().err
        assert "[E451]" in err and "--port" in err and "at http://" not in err
        # `khabar demo --serve` takes the server's options; its hook passes them to serve_demo
        from khabar.cli import _register_extras, build_parser
        _register_extras()
        args = build_parser().parse_args(["demo", "--db", db, "--serve", "--port", str(port)])
        server_cli._demo_hook(db, args)
        with pytest.raises(PortInUseError):
            server_cli.serve_demo(db)
        assert "at http://" not in capsys.readouterr().err
    finally:
        s.close()
        server_cli._DEMO_ARGS.clear()
