"""The REST API under ``/api/`` (JSON in, JSON out; OpenAPI at ``/openapi.json``)."""
from __future__ import annotations

import json
from typing import Optional

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from ..errors import MalformedJSONError
from . import queries
from .errors import NotFoundError, UnsupportedMediaTypeError

router = APIRouter(prefix="/api")


class ErrorBody(BaseModel):
    code: str = Field(description="khabar error code, e.g. E310 (malformed search syntax)")
    message: str
    source: Optional[str] = None
    hint: Optional[str] = None


class AnalyzeRequest(BaseModel):
    text: str = Field(description="the article text", min_length=1)
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = Field(None, description="publication date (ISO 8601 or RFC 2822)")


ERRORS = {400: {"model": ErrorBody, "description": "bad request (malformed query, bad parameter)"},
          404: {"model": ErrorBody, "description": "not found"},
          503: {"model": ErrorBody, "description": "busy or over the query time limit"}}

LIMIT = Query(20, ge=1, le=100, description="page size (1–100)")
OFFSET = Query(0, ge=0, le=100_000, description="how many results to skip")
SINCE = Query(None, max_length=10, description="published on or after (YYYY, YYYY-MM or YYYY-MM-DD)")
UNTIL = Query(None, max_length=10, description="published on or before (YYYY, YYYY-MM or YYYY-MM-DD)")


def _st(request: Request):
    return request.app.state.stores.get()


def _page(total, limit, offset, items, **extra) -> dict:
    return {"total": total, "limit": limit, "offset": offset, **extra, "items": items}


@router.get("/stats", responses=ERRORS, summary="What the database holds")
def stats(request: Request):
    st = _st(request)
    s = st.stats()
    s.pop("path", None)
    from .analysis import _STATE
    s["analysis_skipped_stages"] = _STATE.get("skipped")
    return s


@router.post("/analyze", responses={**ERRORS, 413: {"model": ErrorBody, "description": "article too large"},
                                    422: {"model": ErrorBody, "description": "analysis over the time limit (E503)"},
                                    415: {"model": ErrorBody, "description": "unsupported content type"}},
             summary="Analyse a posted article",
             description="Post `application/json` (`{\"text\": ..., \"title\": ...}`) or `text/plain`. Returns "
                         "the analysed article in the khabar Document schema (`khabar.document/1.x`): text, meta "
                         "and layers (sentences, entities, actors, quotes, sources, dateline, dates, events, "
                         "topic) with code-point offsets into the text.",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": AnalyzeRequest.model_json_schema()},
                 "text/plain": {"schema": {"type": "string", "minLength": 1}}}}})
async def analyze(request: Request):
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    raw = await request.body()
    from ..io.readers import check_unicode, decode_bytes

    if ctype in ("application/json", "") or ctype.endswith("+json"):
        try:
            obj = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as e:
            raise MalformedJSONError(f"the body is not JSON: {e}", source="body") from None
        except RecursionError:
            raise MalformedJSONError("the body is JSON nested too deeply", source="body") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise MalformedJSONError("the body must be a JSON object with a string \"text\"", source="body")
        meta = {k: obj.get(k) for k in ("title", "url", "outlet", "published")}
        for k, v in meta.items():
            if v is not None and not isinstance(v, str):
                raise MalformedJSONError(f"\"{k}\" must be a string", source="body")
            if v is not None:
                check_unicode(v, "body", k)
        text = check_unicode(obj["text"], "body")
    elif ctype == "text/plain":
        # the encodings `khabar analyze` reads (UTF-8, UTF-16/32, Windows-1256 ...), binary refused (E101)
        text = decode_bytes(raw, "body")[0] if raw.strip() else ""
        meta = {}
    else:
        raise UnsupportedMediaTypeError(f"cannot analyse a body of type {ctype!r}", source="content-type")
    from starlette.concurrency import run_in_threadpool

    doc = await run_in_threadpool(request.app.state.analyzer.analyze, text, **meta)
    return doc.to_json()


@router.get("/search", responses=ERRORS, summary="Search the articles",
            description="Arabic-aware full-text search: a word also finds its spelling variants and clitic forms "
                        "(`mode=stem`); `\"...\"` is an exact phrase, `-word` excludes, `word*` is a prefix, `OR` "
                        "between alternatives. Malformed syntax is a 400 error with code E310.")
def search(request: Request, q: str = Query(..., max_length=1000, description="the query"),
           mode: str = Query("stem", pattern="^(stem|exact)$"), limit: int = LIMIT, offset: int = OFFSET,
           outlet: Optional[str] = Query(None, max_length=200), since: Optional[str] = SINCE,
           until: Optional[str] = UNTIL, speaker: Optional[str] = Query(None, max_length=200),
           entity: Optional[str] = Query(None, max_length=200), source: Optional[str] = Query(None, max_length=200),
           topic: Optional[str] = Query(None, max_length=100),
           facets: bool = Query(False, description="add facets (outlet, month, speaker) of the first 1000 hits"),
           snippets: bool = Query(True, description="highlighted snippets (most of the time of a search)")):
    st = _st(request)
    filters = dict(outlet=outlet, since=since, until=until, speaker=speaker, entity=entity, source=source,
                   topic=topic)
    filters = queries.speaker_filter(st, filters)
    res = st.search(q, mode=mode, limit=limit, offset=offset, snippets=snippets, **filters)
    out = {"query": res.query, "mode": res.mode, "total": res.total, "limit": limit, "offset": offset,
           "hits": res.hits}
    if facets:
        allh = st.search(q, mode=mode, limit=1000, offset=0, snippets=False, count=False, **filters).hits
        out["facets"] = queries.facets(st, allh, [h["id"] for h in allh])
    return out


@router.get("/documents/{ident:path}", responses=ERRORS, summary="One article with its annotations",
            description="`ident`: the document id (16 hex digits), its external id or its URL. The result "
                        "follows the khabar Document schema, with the resolved speaker actor of each quotation "
                        "in `speakers`.")
def document(request: Request, ident: str):
    st = _st(request)
    doc = st.document(ident)
    d = doc.to_json()
    from .render import resolve_speakers
    d["speakers"] = [{k: v for k, v in s.items() if k != "url"} for s in resolve_speakers(d)]
    return d


@router.get("/quotes", responses=ERRORS, summary="Quotations",
            description="By speaker (an actor key such as `PER:جبران باسيل`, or a name), about a term (a search "
                        "query over the quotation text), in a document, in a date range; newest first.")
def quotes(request: Request, speaker: Optional[str] = Query(None, max_length=200),
           about: Optional[str] = Query(None, max_length=1000), doc: Optional[str] = Query(None, max_length=300),
           kind: Optional[str] = Query(None, pattern="^(direct|indirect)$"),
           outlet: Optional[str] = Query(None, max_length=200), since: Optional[str] = SINCE,
           until: Optional[str] = UNTIL, limit: int = LIMIT, offset: int = OFFSET):
    st = _st(request)
    if speaker and speaker.strip():
        rows = queries.speaker_quotes(st, speaker.strip(), limit=limit, offset=offset, since=since, until=until,
                                      about=about, outlet=outlet, kind=kind, doc=doc)
    else:
        rows = st.quotes(about=about, doc=doc, kind=kind, outlet=outlet, since=since, until=until, limit=limit,
                         offset=offset)
        for r in rows:
            r.pop("attrs", None)
    return _page(None, limit, offset, rows)


@router.get("/speakers", responses=ERRORS, summary="Speakers with their numbers of quotations")
def speakers(request: Request, name: Optional[str] = Query(None, max_length=200), limit: int = LIMIT,
             offset: int = OFFSET):
    total, rows = queries.speakers(_st(request), name=name, limit=limit, offset=offset)
    return _page(total, limit, offset, rows)


@router.get("/speakers/{key:path}", responses=ERRORS, summary="One speaker: quotations per month and the latest")
def speaker(request: Request, key: str, limit: int = LIMIT, offset: int = OFFSET):
    st = _st(request)
    info = queries.speaker_info(st, key)
    rows = queries.speaker_quotes(st, key, limit=limit, offset=offset)
    if info is None and not rows:
        raise NotFoundError(f"no quotations by {key!r}", source="speaker")
    return {"speaker": info, "timeline": queries.speaker_timeline(st, key),
            **_page(info["quotes"] if info else None, limit, offset, rows)}


@router.get("/actors", responses=ERRORS, summary="Actors (people, organisations, places) with counts")
def actors(request: Request, type: Optional[str] = Query(None, max_length=20),
           name: Optional[str] = Query(None, max_length=200), limit: int = LIMIT, offset: int = OFFSET):
    rows = _st(request).actors(top=limit, offset=offset, type=type, name=name)
    return _page(None, limit, offset, rows)


@router.get("/actors/{key:path}", responses=ERRORS, summary="One actor: mentions over time, co-occurring actors")
def actor(request: Request, key: str):
    d = queries.actor_detail(_st(request), key)
    if d is None:
        raise NotFoundError(f"no actor {key!r}", source="actor")
    return d


@router.get("/sources", responses=ERRORS, summary="Cited sources (agencies, outlets) with counts")
def sources(request: Request, name: Optional[str] = Query(None, max_length=200),
            doc: Optional[str] = Query(None, max_length=300), limit: int = LIMIT, offset: int = OFFSET):
    total, rows = queries.sources(_st(request), name=name, doc=doc, limit=limit, offset=offset)
    return _page(total, limit, offset, rows)


@router.get("/dates", responses=ERRORS, summary="Dates mentioned in the articles, with counts")
def dates(request: Request, value: Optional[str] = Query(None, max_length=20, description="a prefix: 2018-05"),
          doc: Optional[str] = Query(None, max_length=300), limit: int = LIMIT, offset: int = OFFSET):
    total, rows = queries.dates(_st(request), value=value, doc=doc, limit=limit, offset=offset)
    return _page(total, limit, offset, rows)
