"""The OpenAPI document (``/openapi.json``) as this server answers, and its offline documentation page
(``/docs``: a small page and script of this package that render ``/openapi.json``; nothing from a CDN).

The document is FastAPI's, adjusted to what the server does: a bad parameter is a ``400`` with the error body
(FastAPI would announce a ``422`` validation error that the server never sends), the analysed article's size
limit is the server's ``--max-chars``, and a server with a token or a rate limit says so (a ``bearer`` security
scheme and ``401`` answers; ``429`` answers with ``Retry-After`` on the limited routes).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse

ASSETS = Path(__file__).resolve().parent / "docs_assets"
router = APIRouter(include_in_schema=False)

_ERR = {"$ref": "#/components/schemas/ErrorBody"}


def _error(desc: str, headers: dict | None = None) -> dict:
    out = {"description": desc, "content": {"application/json": {"schema": _ERR}}}
    if headers:
        out["headers"] = headers
    return out


def openapi(app) -> dict:
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    from .api import analyze_body_schema
    from .auth import rate_class
    schemas = spec.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    token = getattr(app.state, "token", None)
    limits = getattr(app.state, "rate_limits", None)
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            resp = op.setdefault("responses", {})
            r422 = resp.get("422")
            if r422 and "HTTPValidationError" in str(r422):
                del resp["422"]
            for code, r in resp.items():  # errors are JSON on every route, whatever its 2xx media type
                if code[:1] in "45" and isinstance(r, dict) and "content" in r:
                    r["content"] = {"application/json": {"schema": _ERR}}
            if path == "/api/analyze" and method == "post":
                op["requestBody"] = analyze_body_schema(app.state.cfg.limits.max_chars)
            if token:
                resp["401"] = _error("no access token, or a wrong one (E401)",
                                     {"WWW-Authenticate": {"schema": {"type": "string"}}})
            cls = rate_class(method.upper(), path, b"q=")
            if limits is not None and cls and getattr(limits, cls):
                resp["429"] = _error(f"over the per-client rate limit of {cls} (E430)",
                                     {"Retry-After": {"required": True, "description": "seconds to wait",
                                                      "schema": {"type": "integer", "minimum": 1}}})
    if token:
        spec.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "the server's access token (--token or KHABAR_TOKEN)"}}
        spec["security"] = [{"bearer": []}]
    app.openapi_schema = spec
    return spec


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request):
    return FileResponse(ASSETS / "index.html", media_type="text/html; charset=utf-8")


@router.get("/docs/{name}")
def docs_asset(name: str):
    files = {"docs.js": "text/javascript; charset=utf-8", "docs.css": "text/css; charset=utf-8"}
    if name not in files:
        from .errors import NotFoundError
        raise NotFoundError(f"no such file: /docs/{name}", source="path")
    return FileResponse(ASSETS / name, media_type=files[name])
