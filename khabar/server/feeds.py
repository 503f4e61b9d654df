"""Atom feeds (RFC 4287): newest first, for a feed reader or a newsroom's alerting.

* ``/api/feeds/search.atom?q=...`` (and the search filters): the newest articles matching a search;
* ``/api/feeds/speaker.atom?key=...``: the newest quotations by a speaker (an actor key or a name);
* ``/api/feeds/actor.atom?key=...``: the newest quotations in the articles that mention an actor (by it or
  around it).

Entry ids are stable URNs built from the article's id (a hash of its text) and the quotation's number, so a
reader never shows an entry twice; entry links are the article's permalink (``/doc/{id}``, ``#q{n}`` for a
quotation).  A date without a time zone is read as UTC (Atom needs one).
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape, quoteattr

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from .. import __version__
from . import queries

ATOM = "application/atom+xml"
# characters XML 1.0 cannot hold (controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class AtomResponse(Response):
    media_type = ATOM


def _x(s) -> str:
    return escape(_NOT_XML.sub("", str(s or "")))


def _a(s) -> str:
    return quoteattr(_NOT_XML.sub("", str(s or "")))


def rfc3339(published: Optional[str]) -> str:
    """An Atom date from a stored ISO date (a date alone is midnight; no zone: UTC)."""
    p = (published or "").strip()
    if not p:
        return "1970-01-01T00:00:00Z"
    if len(p) == 4:
        p += "-01-01"
    if len(p) == 7:
        p += "-01"
    if len(p) == 10:
        return p + "T00:00:00Z"
    if not (p.endswith("Z") or re.search(r"[+-]\d\d:?\d\d$", p)):
        p += "Z"
    return p


def render(*, feed_id: str, title: str, self_url: str, html_url: str, entries: list[dict]) -> str:
    updated = max((rfc3339(e["published"]) for e in entries), default="1970-01-01T00:00:00Z")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">',
           f"<id>{_x(feed_id)}</id>", f"<title>{_x(title)}</title>", f"<updated>{updated}</updated>",
           f'<link rel="self" type="{ATOM}" href={_a(self_url)}/>',
           f'<link rel="alternate" type="text/html" href={_a(html_url)}/>',
           "<author><name>khabar</name></author>",
           f'<generator version={_a(__version__)}>khabar</generator>']
    for e in entries:
        when = rfc3339(e["published"])
        out += ["<entry>", f"<id>{_x(e['id'])}</id>", f"<title>{_x(e['title'])}</title>",
                f'<link rel="alternate" type="text/html" href={_a(e["link"])}/>',
                f"<published>{when}</published>", f"<updated>{when}</updated>"]
        if e.get("author"):
            out.append(f"<author><name>{_x(e['author'])}</name></author>")
        if e.get("summary"):
            out.append(f"<summary>{_x(e['summary'])}</summary>")
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _short(s: str, n: int = 90) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[:n - 1] + "…"


def quote_entry(base: str, r: dict) -> dict:
    n = int(r["idx"]) + 1
    who = r.get("speaker_name") or r.get("speaker") or "؟"
    return {"id": f"urn:khabar:quote:{r['doc_id']}:{n}", "title": f"{who}: «{_short(r.get('content') or '')}»",
            "link": f"{base}/doc/{r['doc_id']}#q{n}", "published": r.get("published"),
            "author": r.get("speaker_name") or r.get("speaker"),
            "summary": f"«{r.get('content') or ''}» — {who}" + (f" ({r['title']})" if r.get("title") else "")}


def _self(request: Request) -> str:
    """The feed's own URL, without a token parameter."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
    url = str(request.base_url).rstrip("/") + request.url.path
    return url + ("?" + urlencode(params) if params else "")


def _feed(body: str) -> AtomResponse:
    return AtomResponse(body, media_type=f"{ATOM}; charset=utf-8")


FEED_LIMIT = Query(20, ge=1, le=100, description="how many entries (1–100)")
FEED_RESPONSE = {"description": "an Atom feed (RFC 4287), newest first",
                 "content": {ATOM: {"schema": {"type": "string"}}}}


def add_routes(router, errors: dict, get_store, *, search_filters, name_pattern: str) -> None:
    key_q = Query(..., max_length=300, pattern=name_pattern,
                  description="an actor key (PER:جبران باسيل) or, for a speaker, a name")

    def search_feed(request: Request, f: dict = Depends(search_filters), limit: int = FEED_LIMIT):
        st = get_store(request)
        filters = queries.speaker_filter(st, {k: v for k, v in f.items() if k not in ("q", "mode")})
        hits = queries.search_by_date(st, f["q"], mode=f["mode"], limit=limit, **filters)
        base = str(request.base_url).rstrip("/")
        entries = [{"id": f"urn:khabar:doc:{h['id']}", "title": h.get("title") or h["id"],
                    "link": f"{base}/doc/{h['id']}", "published": h.get("published"),
                    "author": h.get("outlet"), "summary": h.get("title")} for h in hits]
        params = urlencode(sorted((k, v) for k, v in f.items() if v is not None))
        return _feed(render(feed_id=f"urn:khabar:feed:search:{params}", title=f"خبر — بحث: {f['q']}",
                            self_url=_self(request), html_url=f"{base}/search?{urlencode({'q': f['q']})}",
                            entries=entries))

    def speaker_feed(request: Request, key: str = key_q, limit: int = FEED_LIMIT):
        st = get_store(request)
        rows = queries.speaker_quotes(st, key, limit=limit)
        base = str(request.base_url).rstrip("/")
        name = (queries.actor_name(st, key) or {}).get("name") or key
        return _feed(render(feed_id=f"urn:khabar:feed:speaker:{quote(key, safe='')}", title=f"خبر — اقتباسات {name}",
                            self_url=_self(request), html_url=f"{base}/speaker/{quote(key, safe='')}",
                            entries=[quote_entry(base, r) for r in rows]))

    def actor_feed(request: Request, key: str = key_q, limit: int = FEED_LIMIT):
        st = get_store(request)
        rows = queries.actor_quotes(st, key, limit=limit)
        base = str(request.base_url).rstrip("/")
        name = (queries.actor_name(st, key) or {}).get("name") or key
        return _feed(render(feed_id=f"urn:khabar:feed:actor:{quote(key, safe='')}",
                            title=f"خبر — ما يقال حول {name}", self_url=_self(request),
                            html_url=f"{base}/actor/{quote(key, safe='')}",
                            entries=[quote_entry(base, r) for r in rows]))

    for path, fn, summary, desc in (
            ("/feeds/search.atom", search_feed, "Atom feed of a search",
             "The newest articles matching a search (the filters of /api/search), newest first."),
            ("/feeds/speaker.atom", speaker_feed, "Atom feed of a speaker's quotations",
             "The newest quotations by a speaker (an actor key or a name); empty until the speaker is quoted."),
            ("/feeds/actor.atom", actor_feed, "Atom feed of the quotations around an actor",
             "The newest quotations in the articles that mention an actor (said by it or by others).")):
        router.add_api_route(path, fn, methods=["GET"], response_class=AtomResponse, summary=summary,
                             description=desc + " Entry ids are stable (urn:khabar:...); links are permalinks.",
                             responses={**errors, 200: FEED_RESPONSE})
