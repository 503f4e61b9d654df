"""Access to the server: an access token, and a per-client rate limit on analysis and search.

**Token.**  A server started with a token (``khabar serve --token T`` or ``KHABAR_TOKEN``; required on an
address other than loopback unless ``--public``) answers only requests that carry it:

* the API (``/api/...``): ``Authorization: Bearer T``; a feed or a download (``/api/feeds/...``,
  ``/api/*.csv``, ``/api/*.json``) also takes ``?token=T`` in its URL, since feed readers and links cannot send a
  header;
* the web pages: open one once with ``?token=T``; the server then sets an ``HttpOnly``, ``SameSite=Strict``
  cookie and redirects to the same address without the token (so it stays out of the history and of links), and
  every later page, and the API calls of that browser, are let in by the cookie.

Without it: ``401`` with ``WWW-Authenticate: Bearer`` (code ``E401``).  ``/static/``, ``/favicon.ico``,
``/docs`` and ``/openapi.json`` (no corpus data) stay open.  Tokens are compared in constant time.

**Rate limit.**  ``POST /api/analyze`` and ``POST /analyze`` (analysis), and ``/api/search``, ``/search`` and the
search feed and downloads (search) are limited per client address by a token bucket: ``per_minute`` requests a
minute, with bursts of up to that many; over it the answer is ``429`` with ``Retry-After`` (seconds; code
``E430``).  Behind a reverse proxy every client has the proxy's address: set the limit there instead.
"""
from __future__ import annotations

import hmac
import json
import math
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from ..errors import RateLimitError, UnauthorizedError
from .errors import error_body, status_of

COOKIE = "khabar_token"
OPEN_PREFIXES = ("/static/", "/docs/")
OPEN_PATHS = {"/favicon.ico", "/openapi.json", "/docs"}


def _is_download(path: str) -> bool:
    return path.startswith("/api/feeds/") or (path.startswith("/api/") and path.endswith((".csv", ".json")))


def _wants_json(path: str) -> bool:
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def _header(scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


def _cookie(scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    for part in raw.split(";"):
        k, _, v = part.strip().partition("=")
        if k == name:
            return v
    return None


async def _send_error(scope, send, err, extra_headers=(), html: tuple[str, str] | None = None) -> None:
    """The error as JSON (API paths) or as a small Arabic page (``html``: its heading and advice)."""
    path = scope.get("path", "")
    if _wants_json(path):
        body = json.dumps(error_body(err), ensure_ascii=False).encode()
        ctype = b"application/json"
    else:
        from html import escape
        body = ("<!doctype html><html dir=\"rtl\" lang=\"ar\"><head><meta charset=\"utf-8\">"
                "<title>خبر</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main>"
                f"<h1>{escape(html[0] if html else err.message)}</h1>"
                f"<p>{escape(html[1] if html else err.hint or '')}</p><p>{escape(err.code)}</p></main></body></html>"
                ).encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status_of(err),
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            *extra_headers]})
    await send({"type": "http.response.body", "body": body})


class TokenMiddleware:
    """Lets in only requests that carry the server's token (header, cookie, or ``?token=`` as above)."""

    def __init__(self, app, token: str):
        self.app = app
        self.token = token.encode()

    def _ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.token)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            return await self.app(scope, receive, send)
        auth = _header(scope, b"authorization") or ""
        if auth[:7].lower() == "bearer " and self._ok(auth[7:].strip()):
            return await self.app(scope, receive, send)
        if self._ok(_cookie(scope, COOKIE)):
            return await self.app(scope, receive, send)
        params = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((v for k, v in params if k == "token"), None)
        if self._ok(given):
            if path.startswith("/api/") and _is_download(path):
                return await self.app(scope, receive, send)
            if not path.startswith("/api/") and scope.get("method") in ("GET", "HEAD"):
                rest = urlencode([(k, v) for k, v in params if k != "token"])
                location = (scope.get("root_path", "") + path + ("?" + rest if rest else "")).encode()
                secure = "; Secure" if scope.get("scheme") == "https" else ""
                cookie = f"{COOKIE}={given}; Path=/; HttpOnly; SameSite=Strict{secure}".encode()
                await send({"type": "http.response.start", "status": 303,
                            "headers": [(b"location", location), (b"set-cookie", cookie),
                                        (b"cache-control", b"no-store"), (b"content-length", b"0")]})
                await send({"type": "http.response.body", "body": b""})
                return
        err = UnauthorizedError("this server needs its access token" if not (auth or given) else
                                "the access token is wrong", source="token")
        html = ("هذا الخادم لا يفتح إلا برمز الدخول" if not (auth or given) else "رمز الدخول غير صحيح",
                "افتح الصفحة مرة واحدة وفي آخر عنوانها ‎?token=‎ متبوعا بالرمز، فيحفظه المتصفح.")
        await _send_error(scope, send, err, [(b"www-authenticate", b'Bearer realm="khabar"')], html)


@dataclass
class RateLimits:
    """Requests a minute per client (0: no limit)."""
    analyze: float = 0
    search: float = 0

    @property
    def enabled(self) -> bool:
        return bool(self.analyze or self.search)


def rate_class(method: str, path: str, query_string: bytes) -> str | None:
    """Which limit a request counts against: ``analyze``, ``search`` or none."""
    if method == "POST" and path in ("/api/analyze", "/analyze"):
        return "analyze"
    if path in ("/api/search", "/api/search.csv", "/api/search.json", "/api/feeds/search.atom"):
        return "search"
    if path == "/search" and b"q=" in query_string:
        return "search"
    return None


class Buckets:
    """Token buckets per (class, client): ``rate`` a minute, bursts of up to ``rate``; thread-safe, bounded."""

    MAX_CLIENTS = 10_000

    def __init__(self, clock=time.monotonic):
        self._lock = threading.Lock()
        self._b: dict[tuple[str, str], tuple[float, float]] = {}
        self.clock = clock

    def take(self, cls: str, client: str, per_minute: float) -> float:
        """0 if the request may go on, else the seconds to wait before the next one will."""
        now = self.clock()
        rate = per_minute / 60.0
        with self._lock:
            tokens, last = self._b.get((cls, client), (per_minute, now))
            tokens = min(per_minute, tokens + (now - last) * rate)
            if tokens >= 1:
                self._b[(cls, client)] = (tokens - 1, now)
                return 0.0
            self._b[(cls, client)] = (tokens, now)
            if len(self._b) > self.MAX_CLIENTS:  # forget the clients whose buckets have refilled
                full = [k for k, (t, at) in self._b.items() if t + (now - at) * rate >= per_minute]
                for k in full:
                    self._b.pop(k, None)
            return (1 - tokens) / rate


class RateLimitMiddleware:
    def __init__(self, app, limits: RateLimits, buckets: Buckets | None = None):
        self.app = app
        self.limits = limits
        self.buckets = buckets or Buckets()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cls = rate_class(scope.get("method", ""), scope.get("path", ""), scope.get("query_string", b""))
        per_minute = getattr(self.limits, cls) if cls else 0
        if per_minute:
            client = (scope.get("client") or ("?", 0))[0]
            wait = self.buckets.take(cls, client, per_minute)
            if wait > 0:
                secs = max(1, math.ceil(wait))
                what = "analyses" if cls == "analyze" else "searches"
                err = RateLimitError(f"too many {what} from this address: at most {per_minute:g} a minute; "
                                     f"retry in {secs} s", source=cls)
                html = ("طلبات كثيرة من هذا العنوان", f"أعد المحاولة بعد {secs} ثانية.")
                return await _send_error(scope, send, err, [(b"retry-after", str(secs).encode())], html)
        return await self.app(scope, receive, send)
