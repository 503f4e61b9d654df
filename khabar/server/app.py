"""The ASGI application: configuration, read-only store per worker thread, limits, security headers, errors."""
from __future__ import annotations

import contextlib
import inspect
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import KhabarError
from ..limits import Limits
from .analysis import Analyzer
from .errors import (BadRequestError, InternalError, MethodNotAllowedError, NoDatabaseError, NotFoundError,
                     PayloadTooLargeError, ServerError, error_body, status_of)

log = logging.getLogger("khabar.server")

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"

MAX_BODY = 1 << 20        # bytes of one request body
MAX_CHARS = 100_000       # characters of one article to analyse
ANALYZE_TIMEOUT = 20.0    # seconds for the analysis of one posted article

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
       "form-action 'self'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin")]


@dataclass
class Config:
    db: str | None
    max_body: int = MAX_BODY
    time_limit: float = 10.0      # seconds for one database query
    count_bound: int = 1000       # /api/search and /search count matches up to this many (count=bounded)
    limits: Limits = field(default_factory=lambda: Limits(MAX_CHARS, ANALYZE_TIMEOUT))  # of /api/analyze


class _Gated:
    """A Store whose calls wait for one of a few slots (one per CPU): under load, requests queue instead of all
    running at once, so each query runs at full speed within its time limit and none is cut off by a deadline
    spent waiting for the CPU."""

    def __init__(self, store, gate: threading.BoundedSemaphore):
        self._store = store
        self._gate = gate

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if not inspect.ismethod(attr):  # attributes (the connection, flags) pass through
            return attr
        gate = self._gate

        def call(*a, **kw):
            with gate:
                return attr(*a, **kw)
        return call


class Stores:
    """One read-only :class:`~khabar.store.Store` per worker thread (SQLite connections are not shared); calls
    into the stores pass through one gate of ``os.cpu_count()`` slots."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self._local = threading.local()
        self._all: list = []
        self._lock = threading.Lock()
        self._gate = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))

    def get(self):
        st = getattr(self._local, "store", None)
        if st is None:
            if not self.cfg.db:
                raise NoDatabaseError("this server was started without a database", source="db")
            from ..store import Store
            raw = Store(self.cfg.db, readonly=True, time_limit=self.cfg.time_limit)
            st = _Gated(raw, self._gate)
            self._local.store = st
            with self._lock:
                self._all.append(raw)
        return st

    def close(self) -> None:
        with self._lock:
            for st in self._all:
                st.close()
            self._all.clear()


class LimitsMiddleware:
    """Rejects request bodies over ``max_body`` bytes (by Content-Length, and while reading a chunked body) and
    adds security headers (CSP, nosniff, no referrer, no framing) to every response."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_h(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        length = None
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    length = int(v)
                except ValueError:
                    length = -1
        if length is not None and (length < 0 or length > self.max_body):
            err = PayloadTooLargeError(f"the request body has {length} bytes; at most {self.max_body} are accepted"
                                       if length >= 0 else "the Content-Length header is not a number",
                                       source="body")
            if length < 0:
                err = BadRequestError("the Content-Length header is not a number", source="body")
            body = json.dumps(error_body(err), ensure_ascii=False).encode()
            await send_h({"type": "http.response.start", "status": status_of(err),
                          "headers": [(b"content-type", b"application/json"),
                                      (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
            await send_h({"type": "http.response.body", "body": body})
            return
        seen = 0
        limit = self.max_body

        async def receive_limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise PayloadTooLargeError(f"the request body is over {limit} bytes", source="body")
            return message

        await self.app(scope, receive_limited, send_h)


def _wants_json(request: Request) -> bool:
    p = request.url.path
    return p.startswith("/api/") or p == "/api" or p.endswith(".json") or p.startswith("/static/")


def _error_response(request: Request, err: KhabarError, status: int):
    if _wants_json(request):
        return JSONResponse(error_body(err), status_code=status)
    from .pages import render_error
    return render_error(request, err, status)


def create_app(db: str | os.PathLike | None = None, *, max_body: int = MAX_BODY, max_chars: int = MAX_CHARS,
               analyze_workers: int = 2, time_limit: float = 10.0, analyze_timeout: float = ANALYZE_TIMEOUT,
               check: bool = True, token: str | None = None, rate_limits=None, search_cache: int = 256,
               count_bound: int = 1000) -> FastAPI:
    """The khabar web application over the database ``db`` (opened read-only; ``None``: analysis only).

    ``max_chars`` / ``analyze_timeout``: per-article limits of ``/api/analyze`` (E105 → 413, E503 → 422);
    ``time_limit``: seconds for one database query.
    ``check``: open the database once now, so a missing or unreadable file is reported at start-up.
    ``token``: answer only requests that carry it (see :mod:`khabar.server.auth`); ``rate_limits``: a
    :class:`khabar.server.auth.RateLimits` (requests a minute per client for analysis and search; None: none).
    ``search_cache``: how many recent ``/api/search`` answers to keep while the database is unchanged (0: none;
    see :mod:`khabar.server.cache`).
    ``count_bound``: a search counts its matches up to this many (the web page and ``/api/search``, unless
    ``count=exact``): past it the total reads "more than N", which costs far less for a common word.
    """
    if int(count_bound) < 1:
        raise ValueError(f"count_bound must be at least 1 (got {count_bound!r})")
    cfg = Config(str(db) if db is not None else None, max_body=max_body, time_limit=time_limit,
                 limits=Limits(max_chars, analyze_timeout), count_bound=int(count_bound))
    if check and cfg.db:
        from ..store import Store
        Store(cfg.db, readonly=True).close()
    stores = Stores(cfg)
    from .cache import AnswerCache
    answers = AnswerCache(cfg.db, search_cache)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        stores.close()
        answers.close()

    app = FastAPI(lifespan=lifespan, title="khabar", version=__version__, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Arabic news, read: who said what (quotations with their speakers), according to "
                              "whom (sources), where and when, about whom (actors merged across spellings). "
                              "Every annotation is a span of code-point offsets into the article text. Errors are "
                              "JSON objects `{code, message, source, hint}` with a 4xx status.")
    app.state.cfg = cfg
    app.state.stores = stores
    app.state.search_cache = answers
    app.state.analyzer = Analyzer(workers=analyze_workers, limits=cfg.limits)

    @app.exception_handler(KhabarError)
    async def _khabar_error(request: Request, exc: KhabarError):
        from ..store import FilterError
        from .schemas import HINTS
        if isinstance(exc, FilterError) and exc.source in HINTS and _wants_json(request):
            # the store's messages and hints are written for the command line (--since, dates ...): name the
            # API's parameter and give its own hint
            exc = FilterError(exc.message.replace(f"--{exc.source} ", f"{exc.source} "), source=exc.source,
                              hint=HINTS[exc.source])
        return _error_response(request, exc, status_of(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        from .schemas import HINTS
        parts, names = [], []
        for e in exc.errors()[:5]:
            loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            msg = str(e.get("msg"))
            if e.get("type") == "string_pattern_mismatch":
                msg = f"{e.get('input')!r} is not valid"
            parts.append(f"{loc}: {msg}" if loc else msg)
            if loc:
                names.append(loc)
        hints = [HINTS[n] for n in dict.fromkeys(names) if n in HINTS]
        err = BadRequestError("; ".join(parts) or "invalid request", source=names[0] if names else "request",
                              hint="; ".join(hints) if hints else None)
        return _error_response(request, err, 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        headers = {}
        if exc.status_code == 404:
            err: ServerError = NotFoundError(f"no such page or route: {request.url.path}", source="path")
        elif exc.status_code == 405:
            allow = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow") or ""
            err = MethodNotAllowedError(f"{request.method} is not allowed on {request.url.path}"
                                        + (f"; allowed: {allow}" if allow else ""), source="method")
            headers["Allow"] = allow or "GET, HEAD"  # RFC 9110: a 405 lists the methods the resource takes
        else:
            err = BadRequestError(str(exc.detail), source="request")
            err.status = exc.status_code if 400 <= exc.status_code < 500 else 400
        resp = _error_response(request, err, err.status)
        resp.headers.update(headers)
        return resp

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception):  # pragma: no cover - a bug
        log.exception("khabar serve: unhandled error on %s", request.url.path)
        return _error_response(request, InternalError("internal error", source=request.url.path), 500)

    from . import api, apidocs, claims, pages
    app.include_router(api.router)
    app.include_router(claims.api)      # claims across articles (khabar/server/claims.py)
    app.include_router(apidocs.router)
    app.include_router(pages.router)
    app.include_router(claims.pages)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR), follow_symlink=False), name="static")
    app.state.token = token or None
    app.state.rate_limits = rate_limits
    app.openapi = lambda: apidocs.openapi(app)

    from .auth import RateLimitMiddleware, TokenMiddleware
    if rate_limits is not None and rate_limits.enabled:
        app.add_middleware(RateLimitMiddleware, limits=rate_limits)
    if token:
        app.add_middleware(TokenMiddleware, token=token)
    app.add_middleware(LimitsMiddleware, max_body=max_body)
    return app
