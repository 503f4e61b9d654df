"""The REST API under ``/api/`` (JSON in, JSON out; OpenAPI at ``/openapi.json``, documentation at ``/docs``).

Every list answers ``{total, limit, offset, items}``; ``/api/search`` also repeats its items as ``hits``
(deprecated: older clients read it).  Every list can also be downloaded whole (up to
:data:`khabar.server.exports.MAX_EXPORT` items) as CSV or JSON with the same filters (``/api/quotes.csv``,
``/api/search.json`` ...), and a search, a speaker and an actor have Atom feeds (``/api/feeds/...``).
"""
from __future__ import annotations

import json
from typing import Literal, Optional

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import TypeAdapter

from ..errors import MalformedJSONError
from . import exports, feeds, queries
from .errors import NotFoundError, UnsupportedMediaTypeError
from .schemas import (ARTICLE_FORMAT, COUNTRY_PATTERN, DATE_PATTERN, NAME_PATTERN, QUERY_FORMAT, ActorDetail, ActorPage,
                      AnalyzeRequest, DatePage, Document, ErrorBody, QuotePage, SearchPage, SourcePage,
                      SpeakerDetail, SpeakerPage, Stats, StoredDocument, Subject)

router = APIRouter(prefix="/api")

ERRORS = {400: {"model": ErrorBody, "description": "bad request (malformed query, bad parameter)"},
          404: {"model": ErrorBody, "description": "not found"},
          503: {"model": ErrorBody, "description": "busy or over the query time limit"}}

LIMIT = Query(20, ge=1, le=100, description="page size (1–100)")
OFFSET = Query(0, ge=0, le=100_000, description="how many results to skip (0–100000)")


def _date(which: str):
    return Query(None, max_length=10, pattern=DATE_PATTERN,
                 description=f"published {which} (YYYY, YYYY-MM or YYYY-MM-DD; month 01–12, day 01–31)")


def _name(what: str):
    return Query(None, max_length=200, pattern=NAME_PATTERN,
                 description=f"{what} (with at least one Arabic or Latin letter or digit)")


def _country():
    return Query(None, min_length=3, max_length=3, pattern=COUNTRY_PATTERN,
                 description="articles about this country, anywhere in their geography (ISO 3166 alpha-3: SAU, IRN)")


def _query(what: str, required: bool = False):
    return Query(... if required else None, min_length=1, max_length=1000, description=what,
                 json_schema_extra={"format": QUERY_FORMAT})


def _st(request: Request):
    return request.app.state.stores.get()


def _page(total, limit, offset, items, **extra) -> dict:
    return {"total": total, "limit": limit, "offset": offset, **extra, "items": items}


def quote_link(r: dict) -> dict:
    r["permalink"] = f"/doc/{r['doc_id']}#q{int(r['idx']) + 1}"
    return r


def hit_link(h: dict) -> dict:
    h["permalink"] = f"/doc/{h['id']}"
    return h


# ---------------------------------------------------------------------------------------------------------------
# filters (one definition per list, shared by the list, its downloads and its feed)

def search_filters(q: str = _query("the query: words, \"exact phrases\", -excluded, prefix*, OR, (groups)", True),
                   mode: Literal["stem", "exact"] = Query("stem", description="stem: spelling variants and "
                                                                              "clitic forms too; exact: the form"),
                   outlet: Optional[str] = Query(None, max_length=200, description="the outlet, as stored"),
                   since: Optional[str] = _date("on or after"), until: Optional[str] = _date("on or before"),
                   speaker: Optional[str] = _name("articles quoting this speaker: an actor key or a name"),
                   entity: Optional[str] = _name("articles naming this entity or actor"),
                   source: Optional[str] = _name("articles citing this source"),
                   topic: Optional[str] = Query(None, max_length=100, description="the section the input "
                                                "filed the article under (its label, e.g. middleEast)"),
                   subject: Optional[Subject] = Query(None, description="articles about this subject"),
                   country: Optional[str] = _country()) -> dict:
    return dict(q=q, mode=mode, outlet=outlet, since=since, until=until, speaker=speaker, entity=entity,
                source=source, topic=topic, subject=subject, country=country.upper() if country else None)


def quote_filters(speaker: Optional[str] = _name("by this speaker: an actor key (PER:جبران باسيل) or a name"),
                  about: Optional[str] = _query("a search query over the quotation text"),
                  doc: Optional[str] = Query(None, max_length=300, description="in this article (id, external "
                                                                               "id or URL)"),
                  kind: Optional[Literal["direct", "indirect"]] = Query(None),
                  outlet: Optional[str] = Query(None, max_length=200),
                  since: Optional[str] = _date("on or after"), until: Optional[str] = _date("on or before"),
                  subject: Optional[Subject] = Query(None, description="in articles about this subject"),
                  country: Optional[str] = _country()) -> dict:
    return dict(speaker=speaker.strip() if speaker else None, about=about, doc=doc, kind=kind, outlet=outlet,
                since=since, until=until, subject=subject, country=country.upper() if country else None)


def actor_filters(type: Optional[Literal["PER", "ORG", "LOC", "GPE", "MISC"]] = Query(None),
                  name: Optional[str] = _name("actors whose name has these words")) -> dict:
    return dict(type=type, name=name)


def speaker_filters(name: Optional[str] = _name("speakers whose name (or a variant) contains this")) -> dict:
    return dict(name=name)


def source_filters(name: Optional[str] = _name("sources whose name has these words"),
                   doc: Optional[str] = Query(None, max_length=300)) -> dict:
    return dict(name=name, doc=doc)


def date_filters(value: Optional[str] = Query(None, max_length=20, description="a prefix: 2018-05"),
                 doc: Optional[str] = Query(None, max_length=300)) -> dict:
    return dict(value=value, doc=doc)


# ---------------------------------------------------------------------------------------------------------------
# the lists: (total, rows) of one page, given the filters (used by the routes and by the downloads)

def search_rows(st, f: dict, limit: int, offset: int, snippets: bool = True, count=True):
    filters = {k: v for k, v in f.items() if k not in ("q", "mode")}
    filters = queries.speaker_filter(st, filters)
    res = st.search(f["q"], mode=f["mode"], limit=limit, offset=offset, snippets=snippets, count=count, **filters)
    return res.total or 0, [hit_link(h) for h in res.hits], res


def quote_rows(st, f: dict, limit: int, offset: int):
    rows = queries.quote_list(st, limit=limit, offset=offset, **f)
    return queries.quotes_total(st, **f), [quote_link(r) for r in rows]


def actor_rows(st, f: dict, limit: int, offset: int):
    rows = st.actors(top=limit, offset=offset, type=f["type"], name=f["name"])
    return queries.actors_total(st, **f), rows


def speaker_rows(st, f: dict, limit: int, offset: int):
    return queries.speakers(st, name=f["name"], limit=limit, offset=offset)


def source_rows(st, f: dict, limit: int, offset: int):
    return queries.sources(st, name=f["name"], doc=f["doc"], limit=limit, offset=offset)


def date_rows(st, f: dict, limit: int, offset: int):
    return queries.dates(st, value=f["value"], doc=f["doc"], limit=limit, offset=offset)


# ---------------------------------------------------------------------------------------------------------------
# routes

def _published_iso(meta: dict) -> None:
    """``meta.published`` in ISO 8601 (RFC 822 and other inputs parsed, as the store's ``published`` column);
    the value as written kept in ``published_raw`` when it differs."""
    from ..store.rows import parse_published
    raw = meta.get("published")
    if not isinstance(raw, str) or not raw.strip():
        return
    iso = parse_published(raw)
    if iso and iso != raw:
        meta["published"] = iso
        meta["published_raw"] = raw


@router.get("/stats", responses=ERRORS, response_model=Stats, summary="What the database holds")
def stats(request: Request):
    st = _st(request)
    s = st.stats()
    s.pop("path", None)
    from .analysis import _STATE
    s["analysis_skipped_stages"] = _STATE.get("skipped")
    return s


ANALYZE_ERRORS = {**ERRORS, 413: {"model": ErrorBody, "description": "article too large (E105, E413)"},
                  422: {"model": ErrorBody, "description": "analysis over the time limit (E503)"},
                  415: {"model": ErrorBody, "description": "unsupported content type"}}


@router.post("/analyze", responses=ANALYZE_ERRORS, response_model=Document, response_model_exclude_unset=True,
             summary="Analyse a posted article",
             description="Post `application/json` (`{\"text\": ..., \"title\": ...}`) or `text/plain`. Returns "
                         "the analysed article in the khabar Document schema (`khabar.document/1.x`): text, meta "
                         "and layers (sentences, entities, actors, quotes, sources, dateline, dates, events, "
                         "topic) with code-point offsets into the text. `meta.published` is ISO 8601 "
                         "(an RFC 822 date is parsed; the value as sent is kept in `published_raw`). The text "
                         "(format `khabar-article`) must hold at least one letter and no binary control "
                         "characters.")
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
    d = doc.to_json()
    _published_iso(d["meta"])
    return d


def analyze_body_schema(max_chars: int) -> dict:
    """The request body of ``POST /api/analyze`` (its size limit is the server's ``max_chars``)."""
    text = {"type": "string", "minLength": 1, "format": ARTICLE_FORMAT,
            "description": "the article text: at least one letter, no binary control characters"}
    if max_chars:
        text["maxLength"] = max_chars
    obj = AnalyzeRequest.model_json_schema()
    obj["properties"]["text"] = {**obj["properties"]["text"], **text}
    return {"required": True, "content": {"application/json": {"schema": obj}, "text/plain": {"schema": text}}}


@router.get("/search", responses=ERRORS, response_model=SearchPage, response_model_exclude_unset=True,
            summary="Search the articles",
            description="Arabic-aware full-text search: a word also finds its spelling variants and clitic forms "
                        "(`mode=stem`); `\"...\"` is an exact phrase, `-word` excludes, `word*` is a prefix, `OR` "
                        "between alternatives. Malformed syntax is a 400 error with code E310. The results are "
                        "`items`; `hits` repeats them (deprecated, for older clients). `total` counts the matches "
                        "up to the server's bound (1,000 unless `khabar serve --count-bound` says otherwise, and "
                        "at least the page asked for): when more match, `total_exact` is false and `total` is a "
                        "lower bound (\"more than 1,000\"); `count=exact` counts them all (slower for a common "
                        "word on a large store).")
def search(request: Request, f: dict = Depends(search_filters), limit: int = LIMIT, offset: int = OFFSET,
           facets: bool = Query(False, description="add facets (outlet, month, subject, country, speaker) of the "
                                                   "first 1000 hits"),
           snippets: bool = Query(True, description="highlighted snippets (most of the time of a search)"),
           count: Literal["bounded", "exact"] = Query("bounded", description="bounded: count the matches up to "
                                                      "the server's bound (`total_exact` false: more match); "
                                                      "exact: count them all")):
    st = _st(request)
    # the answer's JSON, from the cache of recent answers while the database is unchanged (khabar/server/cache.py)
    cache = request.app.state.search_cache
    key = (tuple(f.items()), limit, offset, facets, snippets, count)
    gen = cache.generation()
    body = cache.get(key, gen)
    if body is None:
        # a bounded count reaches at least the end of the page asked for, so a page's total is never below it
        bound = True if count == "exact" else max(request.app.state.cfg.count_bound, offset + limit)
        total, hits, res = search_rows(st, f, limit, offset, snippets, count=bound)
        out = {"query": res.query, "mode": res.mode, **_page(total, limit, offset, hits),
               "total_exact": res.total_exact, "hits": hits}
        if facets:
            filters = queries.speaker_filter(st, {k: v for k, v in f.items() if k not in ("q", "mode")})
            allh = st.search(f["q"], mode=f["mode"], limit=1000, offset=0, snippets=False, count=False,
                             **filters).hits
            out["facets"] = queries.facets(st, allh, [h["id"] for h in allh])
        # validated and written as FastAPI writes a response_model (exclude_unset), in this worker thread
        body = _SEARCH_PAGE.dump_json(_SEARCH_PAGE.validate_python(out, from_attributes=True),
                                      exclude_unset=True, by_alias=True)
        cache.put(key, gen, body)
    return Response(content=body, media_type="application/json")


_SEARCH_PAGE = TypeAdapter(SearchPage)


@router.get("/documents/{ident:path}", responses=ERRORS, response_model=StoredDocument,
            response_model_exclude_unset=True, summary="One article with its annotations",
            description="`ident`: the document id (16 hex digits), its external id or its URL. The result "
                        "follows the khabar Document schema, with the resolved speaker actor of each quotation "
                        "in `speakers`, `meta.published` in ISO 8601 (the date as the source wrote it, e.g. RFC "
                        "822, in `meta.published_raw`) and the article's stable `permalink` (/doc/{id}).")
def document(request: Request, ident: str):
    st = _st(request)
    doc = st.document(ident)
    d = doc.to_json()
    _published_iso(d["meta"])
    from .render import resolve_speakers
    d["speakers"] = [{k: v for k, v in s.items() if k != "url"} for s in resolve_speakers(d)]
    d["permalink"] = f"/doc/{d['id']}"
    return d


@router.get("/quotes", responses=ERRORS, response_model=QuotePage, summary="Quotations",
            description="By speaker (an actor key such as `PER:جبران باسيل`, or a name), about a term (a search "
                        "query over the quotation text), in a document, in a date range; newest first. Each has "
                        "its `permalink` (/doc/{doc_id}#q{n}).")
def quotes(request: Request, f: dict = Depends(quote_filters), limit: int = LIMIT, offset: int = OFFSET):
    total, rows = quote_rows(_st(request), f, limit, offset)
    return _page(total, limit, offset, rows)


@router.get("/speakers", responses=ERRORS, response_model=SpeakerPage,
            summary="Speakers with their numbers of quotations")
def speakers(request: Request, f: dict = Depends(speaker_filters), limit: int = LIMIT, offset: int = OFFSET):
    total, rows = speaker_rows(_st(request), f, limit, offset)
    return _page(total, limit, offset, rows)


KEY_DOC = "an actor key such as PER:جبران باسيل, or a speaker's name (at least one Arabic or Latin letter or digit)"


@router.get("/speakers/{key:path}", responses=ERRORS, response_model=SpeakerDetail,
            summary="One speaker: quotations per month and the latest, the responses the speaker made and "
                    "those answering the speaker")
def speaker(request: Request, key: str = Path(..., max_length=300, pattern=NAME_PATTERN, description=KEY_DOC),
            limit: int = LIMIT, offset: int = OFFSET):
    st = _st(request)
    info = queries.speaker_info(st, key)
    rows = queries.speaker_quotes(st, key, limit=limit, offset=offset)
    responses = queries.speaker_responses(st, key, limit=limit)
    if info is None and not rows and not (responses["made_total"] or responses["received_total"]):
        raise NotFoundError(f"no quotations or responses by or to {key!r}", source="speaker")
    total = info["quotes"] if info else queries.quotes_total(st, speaker=key)
    return {"speaker": info, "timeline": queries.speaker_timeline(st, key), "responses": responses,
            **_page(total, limit, offset, [quote_link(r) for r in rows])}


@router.get("/actors", responses=ERRORS, response_model=ActorPage,
            summary="Actors (people, organisations, places) with counts")
def actors(request: Request, f: dict = Depends(actor_filters), limit: int = LIMIT, offset: int = OFFSET):
    total, rows = actor_rows(_st(request), f, limit, offset)
    return _page(total, limit, offset, rows)


@router.get("/actors/{key:path}", responses=ERRORS, response_model=ActorDetail,
            summary="One actor: mentions over time, co-occurring actors")
def actor(request: Request, key: str = Path(..., max_length=300, pattern=NAME_PATTERN,
                                            description="an actor key: PER:جبران باسيل")):
    d = queries.actor_detail(_st(request), key)
    if d is None:
        raise NotFoundError(f"no actor {key!r}", source="actor")
    return d


@router.get("/sources", responses=ERRORS, response_model=SourcePage,
            summary="Cited sources (agencies, outlets) with counts")
def sources(request: Request, f: dict = Depends(source_filters), limit: int = LIMIT, offset: int = OFFSET):
    total, rows = source_rows(_st(request), f, limit, offset)
    return _page(total, limit, offset, rows)


@router.get("/dates", responses=ERRORS, response_model=DatePage,
            summary="Dates mentioned in the articles, with counts")
def dates(request: Request, f: dict = Depends(date_filters), limit: int = LIMIT, offset: int = OFFSET):
    total, rows = date_rows(_st(request), f, limit, offset)
    return _page(total, limit, offset, rows)


# ---------------------------------------------------------------------------------------------------------------
# downloads and feeds

def _search_export_rows(st, f, limit, offset):
    total, hits, _ = search_rows(st, f, limit, offset, snippets=False)
    return total, hits


exports.add_routes(router, ERRORS, {
    "quotes": (quote_filters, quote_rows), "search": (search_filters, _search_export_rows),
    "actors": (actor_filters, actor_rows), "speakers": (speaker_filters, speaker_rows),
    "sources": (source_filters, source_rows), "dates": (date_filters, date_rows)}, _st)
feeds.add_routes(router, ERRORS, _st, search_filters=search_filters, name_pattern=NAME_PATTERN)
