"""khabar's web UI and REST API (``khabar serve``).

``create_app(db)`` returns an ASGI application (FastAPI/Starlette) that reads one khabar database **read-only**:

* ``/api/...``: JSON: analyse a posted article, search, one document with its annotations, quotations, speakers,
  actors, sources and dates; an OpenAPI document at ``/openapi.json``; errors are ``{code, message, ...}`` with
  the right 4xx status;
* ``/``, ``/search``, ``/doc/{id}``, ``/speaker/{key}``, ``/actor/{key}``, ``/analyze``: Arabic-first,
  right-to-left pages rendered on the server, with only local static CSS/JS.

Needs the ``server`` extra: ``pip install "khabar[server]"``.
"""
from __future__ import annotations

__all__ = ["create_app"]


def create_app(db: str | None = None, **kwargs):
    from .app import create_app as _create

    return _create(db, **kwargs)
