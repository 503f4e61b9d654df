"""The web pages: Arabic-first, right to left, rendered on the server (Jinja2, autoescaped)."""
from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..errors import KhabarError
from ..store import Store
from ..store.errors import FilterError, QuerySyntaxError
from . import arabic, queries, suggest
from .app import STATIC_DIR, TEMPLATE_DIR
from .errors import NotFoundError, UnsupportedMediaTypeError
from .render import (actor_url, doc_url, render_article, safe_url, snippet_html, speaker_url, svg_timeline,
                     url_key)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.globals.update(speaker_url=speaker_url, actor_url=actor_url, doc_url=doc_url, url_key=url_key,
                             version=__version__, safe_url=safe_url, count=arabic.count_phrase,
                             ar_date=arabic.ar_date, date_value=arabic.date_value_text,
                             topic_name=arabic.topic_name, cameo_name=arabic.cameo_name,
                             month_text=arabic.month_text, error_text=arabic.error_text,
                             stance_names=arabic.STANCES)

PAGE = 20
TYPE_NAMES = {"PER": "شخص", "ORG": "منظمة", "LOC": "مكان", "GPE": "دولة/مدينة", "MISC": "أخرى", "DOC": "وثيقة",
              "NORP": "جماعة", "FAC": "منشأة", "EVENT": "حدث", "PRODUCT": "منتج"}
templates.env.globals["type_names"] = TYPE_NAMES
templates.env.globals.update(subject_name=arabic.subject_name, country_name=arabic.country_name,
                             region_name=arabic.region_name, subjects=arabic.SUBJECTS,
                             countries=arabic.countries_by_name)


def _int(v, default: int, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(v)))
    except (TypeError, ValueError):
        return default


def _docs_url(request: Request) -> str:
    """The API documentation page (``/docs``) where the application serves one, else the OpenAPI document."""
    from starlette.routing import NoMatchFound

    try:                              # included routers may nest their routes: ask the router, not its list
        return str(request.app.url_path_for("docs_page"))
    except NoMatchFound:
        return "/openapi.json"


def page(request: Request, _template: str, _status: int = 200, **ctx) -> HTMLResponse:
    ctx.setdefault("api_docs_url", _docs_url(request))
    return templates.TemplateResponse(request, _template, ctx, status_code=_status)


def _check_date(value: str | None, name: str) -> None:
    """A date filter that is a real calendar date (``2018-13`` is not): else FilterError (E311)."""
    if not value:
        return
    Store.parse_date(value, name)
    parts = [int(x) for x in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise FilterError(f"--{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", source=name) from None


def render_error(request: Request, err: KhabarError, status: int) -> HTMLResponse:
    return page(request, "error.html", status, err=err, status=status)


def _st(request: Request):
    return request.app.state.stores.get()


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    st = _st(request)
    stats = st.stats()
    _, top_speakers = queries.speakers(st, limit=12)
    top_actors = st.actors(top=12)
    recent = st.execute("SELECT id, external_id, title, outlet, published FROM documents "
                        "ORDER BY published DESC, rowid DESC LIMIT 10")
    from ..store import statements

    def contested_claims():  # corpus-wide: kept until the database changes
        rows = statements.claims(st.conn, contested=True, min_articles=1, limit=5)
        for c in rows:
            k = c.get("speaker_key")
            c["speaker_name"] = (queries.actor_name(st, k) or {}).get("name") if k else None
        return rows

    contested = queries.CACHE.get(st, "contested", contested_claims)
    return page(request, "home.html", stats=stats, speakers=top_speakers, actors=top_actors, recent=recent,
                contested=contested, db_path=request.app.state.cfg.db)


@router.get("/favicon.ico")
def favicon():
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon",
                        headers={"cache-control": "public, max-age=86400"})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request):
    qp = request.query_params
    q = (qp.get("q") or "").strip()
    mode = qp.get("mode") if qp.get("mode") in ("stem", "exact") else "stem"
    filters = {k: (qp.get(k) or "").strip() or None
               for k in ("outlet", "since", "until", "speaker", "topic", "subject", "country")}
    pg = _int(qp.get("page"), 1, 1, 500)
    ctx = dict(q=q, mode=mode, filters=filters, pg=pg, hits=[], total=0, total_exact=True, facets=None, error=None,
               suggestion=None, empty_db=False)
    if not q:
        return page(request, "search.html", **ctx)
    st = _st(request)
    try:
        _check_date(filters["since"], "since")
        _check_date(filters["until"], "until")
        if filters["subject"] and filters["subject"].lower() not in arabic.SUBJECTS:
            raise FilterError(f"subject {filters['subject']!r} is not one of {', '.join(arabic.SUBJECTS)}",
                              source="subject")
        sf = queries.speaker_filter(st, filters)
        # the matches counted up to the server's bound ("more than 1000"), and always one past the page shown,
        # so that a next page is offered while there is one
        bound = max(request.app.state.cfg.count_bound, pg * PAGE + 1)
        res = st.search(q, mode=mode, limit=PAGE, offset=(pg - 1) * PAGE, count=bound, **sf)
        allh = st.search(q, mode=mode, limit=1000, snippets=False, count=False, **sf).hits
    except (QuerySyntaxError, FilterError) as e:
        ctx["error"] = e
        return page(request, "search.html", 400, **ctx)
    for h in res.hits:
        h["snippet_html"] = snippet_html(h)
    ctx.update(hits=res.hits, total=res.total or 0, total_exact=res.total_exact,
               facets=queries.facets(st, allh, [h["id"] for h in allh]))

    def link(**change):
        params = {"q": q, "mode": mode if mode != "stem" else None, **filters, "page": None}
        params.update(change)
        return "/search?" + urlencode({k: v for k, v in params.items() if v})

    ctx["link"] = link
    ctx["pages"] = pages = max(1, ((res.total or 0) + PAGE - 1) // PAGE)
    if pg > pages:  # beyond the last page: to the last one
        return RedirectResponse(link(page=pages if pages > 1 else None), status_code=303)
    if not res.total:
        ctx["empty_db"] = not st.execute("SELECT 1 AS x FROM documents LIMIT 1")
        if not ctx["empty_db"]:
            ctx["suggestion"] = suggest.suggest(st, request.app.state.cfg.db, q, mode=mode)
    return page(request, "search.html", **ctx)


@router.get("/doc/{ident:path}", response_class=HTMLResponse)
def doc_page(request: Request, ident: str):
    st = _st(request)
    d = st.document(ident).to_json()
    html, speakers = render_article(d)
    return page(request, "doc.html", **_article_ctx(d, html, speakers), stored=True)


def _article_ctx(d: dict, html, speakers, linkable=None) -> dict:
    actors = [dict(a) for a in (d.get("actors") or []) if isinstance(a, dict)]
    actors.sort(key=lambda a: (-len(a.get("mentions") or []), a.get("name") or ""))
    for a in actors:
        k = a.get("key")
        a["url"] = actor_url(k) if k and (linkable is None or linkable("actor", k)) else None
    quotes = []
    for i, (q, sp) in enumerate(zip(d.get("quotes") or [], speakers), 1):
        quotes.append({"n": i, "text": q.get("text") or d["text"][q["start"]:q["end"]], "kind": q.get("kind"),
                       "cue": q.get("cue_text"), "speaker": sp})
    by_speaker: dict = {}
    for q in quotes:
        sp = q["speaker"]
        k = sp["key"] or sp["name"] or "?"
        g = by_speaker.setdefault(k, {"name": sp["name"] or "؟", "url": sp["url"], "key": sp["key"], "n": 0})
        g["n"] += 1
    return {"doc": d, "meta": d.get("meta") or {}, "article_html": html, "quotes": quotes,
            "speakers": sorted(by_speaker.values(), key=lambda g: -g["n"]), "actors": actors,
            "sources": d.get("sources") or [], "dates": d.get("dates") or [], "dateline": d.get("dateline"),
            "events": d.get("events") or [], "topic": d.get("topic"),
            "subject": d.get("subject") if isinstance(d.get("subject"), dict) else None,
            "section": d.get("section") if isinstance(d.get("section"), str) else None,
            "geography": [g for g in (d.get("geography") or []) if isinstance(g, dict) and g.get("country")]}


@router.get("/speaker/{key:path}", response_class=HTMLResponse)
def speaker_page(request: Request, key: str):
    st = _st(request)
    pg = _int(request.query_params.get("page"), 1, 1, 1000)
    info = queries.speaker_info(st, key)
    rows = queries.speaker_quotes(st, key, limit=PAGE, offset=(pg - 1) * PAGE)
    responses = queries.speaker_responses(st, key, limit=PAGE)
    if info is None and not rows:
        if pg > 1 and (queries.speaker_quotes(st, key, limit=1) or responses["made_total"]
                       or responses["received_total"]):
            return RedirectResponse(speaker_url(key), status_code=303)
        if not (responses["made_total"] or responses["received_total"]):
            raise NotFoundError(f"لا اقتباسات لـ«{key}» في قاعدة البيانات", source="speaker")
    timeline = queries.speaker_timeline(st, key)
    is_actor = queries.is_actor_key(st, key)
    name = (info or {}).get("name") or (queries.actor_name(st, key) or {}).get("name") or key
    total = (info or {}).get("quotes") or len(rows)
    pages = max(1, (total + PAGE - 1) // PAGE)
    if pg > pages:
        return RedirectResponse(speaker_url(key) + (f"?page={pages}" if pages > 1 else ""), status_code=303)
    return page(request, "speaker.html", key=key, name=name, info=info, quotes=rows, pg=pg, total=total,
                responses=_linked_responses(responses),
                pages=max(1, (total + PAGE - 1) // PAGE), is_actor=is_actor,
                timeline=svg_timeline(timeline, "n", label=f"اقتباسات {name} شهريا"))


def _linked_responses(resp: dict) -> dict:
    """Each response with a link to the responder's and the claim speaker's pages (a speaker page exists for
    whoever made a response or was answered by one: :func:`speaker_page`)."""
    for r in resp["made"] + resp["received"]:
        for k, u in (("speaker_key", "speaker_url"), ("claim_key", "claim_url")):
            r[u] = speaker_url(r[k]) if r.get(k) else None
    return resp


@router.get("/actor/{key:path}", response_class=HTMLResponse)
def actor_page(request: Request, key: str):
    st = _st(request)
    d = queries.actor_detail(st, key)
    if d is None:
        raise NotFoundError(f"لا فاعل «{key}» في قاعدة البيانات", source="actor")
    return page(request, "actor.html", a=d, timeline=svg_timeline(d["timeline"], "documents",
                                                                   label=f"مقالات تذكر {d['name']} شهريا"))


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request):
    return page(request, "analyze.html", text="", title="", result=None)


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_post(request: Request):
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise UnsupportedMediaTypeError("the form must be posted as application/x-www-form-urlencoded, not "
                                        f"{ctype or 'nothing'}", source="content-type")
    raw = await request.body()
    try:
        form = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20)
    except ValueError as e:  # more than 20 fields
        from .errors import BadRequestError
        raise BadRequestError(f"the form cannot be read: {e}", source="body") from None
    text = (form.get("text") or [""])[0]
    title = (form.get("title") or [""])[0].strip()
    from starlette.concurrency import run_in_threadpool

    try:
        doc = await run_in_threadpool(request.app.state.analyzer.analyze, text, title=title or None)
    except KhabarError as e:
        from .errors import status_of
        status = status_of(e)
        if status >= 500:
            raise
        return page(request, "analyze.html", status, text=text, title=title, result=None, error=e)
    d = doc.to_json()
    linkable = _linkable(request)
    html, speakers = render_article(d, linkable)
    return page(request, "analyze.html", text=text, title=title, result=True, **_article_ctx(d, html, speakers,
                                                                                          linkable))


def _linkable(request: Request):
    """For a pasted article: whether the database has a page for a speaker or an actor key it names (no database:
    none has)."""
    if not request.app.state.cfg.db:
        return lambda kind, key: False
    st = _st(request)
    seen: dict = {}

    def linkable(kind: str, key: str) -> bool:
        if (kind, key) not in seen:
            if kind == "actor":
                seen[kind, key] = queries.is_actor_key(st, key)
            else:
                seen[kind, key] = (queries.speaker_info(st, key) is not None
                                   or bool(queries.speaker_quotes(st, key, limit=1)))
        return seen[kind, key]
    return linkable
