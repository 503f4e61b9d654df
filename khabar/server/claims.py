"""Claims across articles in the web UI and the REST API: ``/claims`` (list), ``/claim/{id}`` (one statement: who
said it, who repeated it where and when, who denied or confirmed it, with links to each passage), and
``/api/claims``, ``/api/claims/{id}`` (:mod:`khabar.store.statements`)."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from ..store import statements as S
from .api import ERRORS, LIMIT, OFFSET
from .errors import NotFoundError
from .schemas import Claim, ClaimList

api = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)


def _conn(request: Request):
    st = request.app.state.stores.get()
    return st.conn


def _list(request, speaker, about, contested, min_articles, limit, offset=0):
    conn = _conn(request)
    return S.claims(conn, speaker=speaker or None, about=about or None, contested=contested,
                    min_articles=min_articles, limit=limit, offset=offset, with_total=True)


def _one(request, claim_id: int) -> dict:
    conn = _conn(request)
    st = S.statement(conn, claim_id) if S.has_tables(conn) else {}
    if not st:
        raise NotFoundError(f"no claim {claim_id}", source="id")
    return st


@api.get("/claims", responses=ERRORS, response_model=ClaimList, summary="Claims (statements) across articles, with their responses",
         description="Statements reported by the stored articles, most widely reported first: speaker, first "
                     "appearance, articles and outlets that carried them (near-duplicate copies listed apart and "
                     "not counted), variants, and the denials, confirmations and replies answering them.")
def api_claims(request: Request,
               speaker: Optional[str] = Query(None, max_length=200, description="part of the speaker's name"),
               about: Optional[str] = Query(None, max_length=200, description="words the statement must hold"),
               contested: bool = Query(False, description="only statements some response denies"),
               min_articles: int = Query(1, ge=1, le=1000, description="carried by at least this many articles"),
               limit: int = LIMIT, offset: int = OFFSET):
    total, rows = _list(request, speaker, about, contested, min_articles, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": rows}


@api.get("/claims/{claim_id}", responses=ERRORS, response_model=Claim, summary="One claim with who repeated and who answered it")
def api_claim(request: Request, claim_id: int = Path(ge=0, le=2**62, description="the claim's id")):
    return _one(request, claim_id)


@pages.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request):
    from .pages import page

    qp = request.query_params
    contested = qp.get("contested") in ("1", "on", "true")
    speaker, about = (qp.get("speaker") or "")[:200], (qp.get("about") or "")[:200]
    shared = qp.get("shared", "1") != "0"
    _total, rows = _list(request, speaker, about, contested, 2 if shared else 1, 50)
    _names(request, rows)
    return page(request, "claims.html", rows=rows, speaker=speaker, about=about, contested=contested,
                shared=shared)


def _names(request, rows: list[dict]) -> None:
    """Each claim's speaker, and each of its responders, as the pages show a speaker: its actor's name
    (``speaker_name``; a responder also gets its ``speaker_key``, whose speaker page lists its responses)."""
    from . import queries

    st = request.app.state.stores.get()
    for c in rows:
        k = c.get("speaker_key")
        c["speaker_name"] = (queries.actor_name(st, k) or {}).get("name") if k else None
        for r in c.get("responses") or []:
            got = st.execute("SELECT speaker_key FROM stmt_responses WHERE doc = ? AND response = ?",
                             [r["doc"], r["response"]])
            r["speaker_key"] = got[0]["speaker_key"] if got else None
            r["speaker_name"] = ((queries.actor_name(st, r["speaker_key"]) or {}).get("name")
                                 if r["speaker_key"] else None) or r.get("speaker")


@pages.get("/claim/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: int = Path(ge=0, le=2**62)):
    from .pages import page

    c = _one(request, claim_id)
    _names(request, [c])
    return page(request, "claim.html", c=c)
