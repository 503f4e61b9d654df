"""Read-only queries the server needs beyond :class:`khabar.store.Store`'s public methods.

They run through the store's public read API (``Store.execute``: the store's time limit and coded errors apply;
``resolve``, ``parse_date``, ``compile_query``) on the server's read-only connection; the server calls nothing
private of the store.  A quotation's speaker actor is the stored ``quotes.speaker_key``: the store's rows resolve
it when an article is stored, by the one rule of :mod:`khabar.actors.speakers` (the link the quotes stage wrote,
else the speaker's name or mention among the article's actors), so no query resolves speakers again.
"""
from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from ..store import Store
from ..store.rows import norm_name

# the cross-document actor key of quotation ``q`` (NULL when no actor of its document is the speaker)
SPEAKER_KEY_SQL = "q.speaker_key"

QUOTE_COLS = ("d.id AS doc_id, d.external_id AS external_id, d.title AS title, d.outlet AS outlet, "
              "d.published AS published, q.idx AS idx, q.start_char AS start, q.end_char AS end, q.kind AS kind, "
              "q.speaker AS speaker, q.cue_text AS cue_text, "
              "substr(d.text, q.start_char + 1, q.end_char - q.start_char) AS content")


def is_actor_key(st: Store, key: str) -> bool:
    return bool(st.execute("SELECT 1 AS x FROM actors WHERE key = ? LIMIT 1", [key]))


def actor_name(st: Store, key: str) -> dict | None:
    rows = st.execute("SELECT name, type, count(*) AS n FROM actors WHERE key = ? GROUP BY name, type "
                      "ORDER BY n DESC, name LIMIT 1", [key])
    return rows[0] if rows else None


def named(st: Store, rows: list[dict]) -> list[dict]:
    """Quotation rows with ``speaker_name``: the name the pages show for the speaker — its actor's name across the
    corpus (:func:`actor_name`, as the speaker pages are titled), the speaker as written when it is no actor; within
    one article the same rule gives the name the text report shows (:func:`khabar.report.shown_name`)."""
    names: dict = {}
    for r in rows:
        k = r.get("speaker_key")
        if k and k not in names:
            names[k] = (actor_name(st, k) or {}).get("name")
        r["speaker_name"] = (names.get(k) if k else None) or r.get("speaker")
    return rows


def _date_where(since: str | None, until: str | None, params: list) -> list[str]:
    where = []
    s = Store.parse_date(since, "since")
    if s:
        where.append("d.published >= ?")
        params.append(s)
    u = Store.parse_date(until, "until")
    if u:
        where.append(f"substr(d.published, 1, {len(u)}) <= ?")
        params.append(u)
    return where


def speaker_quotes(st: Store, key: str, *, limit: int = 20, offset: int = 0, since: str | None = None,
                   until: str | None = None, about: str | None = None, outlet: str | None = None,
                   kind: str | None = None, doc: str | None = None) -> list[dict]:
    """Every quotation whose resolved speaker is the actor ``key`` (or, if ``key`` is no actor key, whose speaker
    is named ``key``), newest first."""
    if not is_actor_key(st, key):
        rows = st.quotes(speaker=key, about=about, limit=limit, offset=offset, since=since, until=until,
                         outlet=outlet, kind=kind, doc=doc)
        for r in rows:
            r["speaker_key"] = r.get("speaker_key")
            r.pop("attrs", None)
        return named(st, rows)
    where, params = _quote_where(st, speaker=key, about=about, doc=doc, kind=kind, outlet=outlet, since=since,
                                 until=until, speaker_is_actor=True)
    rows = st.execute(f"SELECT {QUOTE_COLS} FROM quotes q JOIN documents d ON d.rowid = q.doc "
                      f"WHERE {' AND '.join(where)} ORDER BY d.published DESC, d.rowid DESC, q.idx LIMIT ? OFFSET ?",
                      params + [limit, offset])
    for r in rows:
        r["speaker_key"] = key
    return named(st, rows)


def speaker_timeline(st: Store, key: str) -> list[dict]:
    """Quotations per month of publication for a speaker (actor key or name)."""
    if is_actor_key(st, key):
        rows = st.execute("SELECT substr(d.published, 1, 7) AS month, count(*) AS n FROM quotes q "
                          f"JOIN documents d ON d.rowid = q.doc WHERE {SPEAKER_KEY_SQL} = ? "
                          "GROUP BY month ORDER BY month", [key])
    else:
        n = norm_name(key)
        if not n:
            return []
        rows = st.execute("SELECT substr(d.published, 1, 7) AS month, count(*) AS n FROM quotes q "
                          "JOIN documents d ON d.rowid = q.doc WHERE (' ' || q.speaker_norm || ' ') LIKE ? ESCAPE '\\' "
                          "GROUP BY month ORDER BY month", ["% " + _esc(n) + " %"])
    return [r for r in rows]


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Cache:
    """Results of corpus-wide aggregates, kept until the database changes (a writer may add articles)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._data: dict[Any, Any] = {}
        self._fp: Any = None

    def get(self, st: Store, key, fn):
        fp = tuple(st.execute("SELECT count(*) AS n, max(rowid) AS m FROM documents")[0].values())
        with self._lock:
            if fp != self._fp:
                self._data.clear()
                self._fp = fp
            if key in self._data:
                return self._data[key]
        val = fn()
        with self._lock:
            if self._fp == fp:
                self._data[key] = val
        return val


CACHE = _Cache()


def _all_speakers(st: Store) -> list[dict]:
    rows = st.execute(f"SELECT {SPEAKER_KEY_SQL} AS k, q.speaker AS speaker, q.speaker_norm AS norm, q.doc AS doc, "
                      "d.published AS published FROM quotes q JOIN documents d ON d.rowid = q.doc "
                      "WHERE q.speaker_norm IS NOT NULL OR q.speaker_key IS NOT NULL")
    groups: dict[str, dict] = {}
    for r in rows:
        gk = r["k"] or ("name:" + (r["norm"] or ""))
        g = groups.get(gk)
        if g is None:
            g = groups[gk] = {"key": r["k"] or r["speaker"], "actor": bool(r["k"]), "quotes": 0, "docs": set(),
                              "first": None, "last": None, "names": Counter()}
        g["quotes"] += 1
        g["docs"].add(r["doc"])
        g["names"][r["speaker"]] += 1
        p = r["published"]
        if p:
            g["first"] = p if g["first"] is None or p < g["first"] else g["first"]
            g["last"] = p if g["last"] is None or p > g["last"] else g["last"]
    out = []
    keys = [g["key"] for g in groups.values() if g["actor"]]
    names: dict[str, dict] = {}
    for k0 in range(0, len(keys), 500):
        chunk = keys[k0:k0 + 500]
        for r in st.execute("SELECT key, name, type, count(*) AS n FROM actors WHERE key IN (%s) GROUP BY key, name, "
                            "type ORDER BY n DESC, name" % ",".join("?" * len(chunk)), chunk):
            names.setdefault(r["key"], r)
    for g in groups.values():
        a = names.get(g["key"]) if g["actor"] else None
        out.append({"key": g["key"], "name": a["name"] if a else g["names"].most_common(1)[0][0],
                    "type": a["type"] if a else None, "is_actor": g["actor"], "quotes": g["quotes"],
                    "documents": len(g["docs"]), "first": g["first"], "last": g["last"],
                    "variants": [n for n, _ in g["names"].most_common(5)]})
    out.sort(key=lambda x: (-x["quotes"], -x["documents"], x["name"] or ""))
    return out


def speakers(st: Store, *, name: str | None = None, limit: int = 20, offset: int = 0) -> tuple[int, list[dict]]:
    """Speakers with their numbers of quotations and articles, most quoted first."""
    allsp = CACHE.get(st, "speakers", lambda: _all_speakers(st))
    if name:
        n = norm_name(name)
        if not n:
            from ..store import FilterError
            raise FilterError(f"name {name!r} has no letters", source="name")
        allsp = [s for s in allsp if any(n in (norm_name(v) or "") for v in [s["name"], *s["variants"]])]
    return len(allsp), allsp[offset:offset + limit]


def speaker_info(st: Store, key: str) -> dict | None:
    for s in CACHE.get(st, "speakers", lambda: _all_speakers(st)):
        if s["key"] == key:
            return s
    return None


def actor_detail(st: Store, key: str, *, co_limit: int = 20, doc_limit: int = 20) -> dict | None:
    """An actor: name, type, numbers, mentions per month, co-occurring actors, latest articles."""
    head = st.execute("SELECT count(DISTINCT doc) AS documents, sum(mentions) AS mentions FROM actors WHERE key = ?",
                      [key])[0]
    if not head["documents"]:
        return None
    nm = actor_name(st, key) or {}
    variants = [r["name"] for r in st.execute("SELECT name, count(*) AS n FROM actors WHERE key = ? GROUP BY name "
                                            "ORDER BY n DESC, name LIMIT 10", [key])]
    timeline = st.execute("SELECT substr(d.published, 1, 7) AS month, count(DISTINCT a.doc) AS documents, "
                          "sum(a.mentions) AS mentions FROM actors a JOIN documents d ON d.rowid = a.doc "
                          "WHERE a.key = ? GROUP BY month ORDER BY month", [key])
    co = st.execute("SELECT b.key AS key, count(DISTINCT b.doc) AS documents, "
                    "(SELECT a3.name FROM actors a3 WHERE a3.key = b.key GROUP BY a3.name ORDER BY count(*) DESC, "
                    " a3.name LIMIT 1) AS name, "
                    "(SELECT a4.type FROM actors a4 WHERE a4.key = b.key LIMIT 1) AS type "
                    "FROM actors a JOIN actors b ON b.doc = a.doc AND b.key != a.key "
                    "WHERE a.key = ? AND b.key IS NOT NULL GROUP BY b.key ORDER BY documents DESC, b.key LIMIT ?",
                    [key, co_limit])
    docs = st.execute("SELECT d.id AS id, d.external_id AS external_id, d.title AS title, d.outlet AS outlet, "
                      "d.published AS published, a.mentions AS mentions FROM actors a JOIN documents d "
                      "ON d.rowid = a.doc WHERE a.key = ? ORDER BY d.published DESC, d.rowid DESC LIMIT ?",
                      [key, doc_limit])
    quoted = st.execute(f"SELECT count(*) AS n FROM quotes q WHERE {SPEAKER_KEY_SQL} = ?", [key])[0]["n"]
    return {"key": key, "name": nm.get("name"), "type": nm.get("type"), "documents": head["documents"],
            "mentions": head["mentions"] or 0, "quotes": quoted, "variants": variants, "timeline": timeline,
            "cooccurring": co, "latest": docs}


def sources(st: Store, *, name: str | None = None, doc: str | None = None, limit: int = 20,
            offset: int = 0) -> tuple[int, list[dict]]:
    """Cited sources (agencies, outlets, reports), grouped by folded name, most cited first."""
    where, params = [], []
    if name:
        n = norm_name(name)
        if not n:
            from ..store import FilterError
            raise FilterError(f"name {name!r} has no letters", source="name")
        where.append("(' ' || s.norm || ' ') LIKE ? ESCAPE '\\'")
        params.append("% " + _esc(n) + " %")
    if doc:
        where.append("s.doc = ?")
        params.append(st.resolve(doc)["rowid"])
    w = ("WHERE " + " AND ".join(where)) if where else ""
    total = st.execute(f"SELECT count(DISTINCT s.norm) AS n FROM sources s {w}", params)[0]["n"]
    rows = st.execute("SELECT s.norm AS norm, count(*) AS citations, count(DISTINCT s.doc) AS documents, "
                      "(SELECT s2.text FROM sources s2 WHERE s2.norm = s.norm GROUP BY s2.text ORDER BY count(*) DESC "
                      " LIMIT 1) AS name FROM sources s "
                      f"{w} GROUP BY s.norm ORDER BY citations DESC, s.norm LIMIT ? OFFSET ?", params + [limit, offset])
    return total, rows


def dates(st: Store, *, value: str | None = None, doc: str | None = None, limit: int = 20,
          offset: int = 0) -> tuple[int, list[dict]]:
    """Dates mentioned in the articles (normalised values), most frequent first; ``value``: a prefix
    (``2018-05``)."""
    where, params = ["t.value IS NOT NULL"], []
    if value:
        where.append("t.value LIKE ? ESCAPE '\\'")
        params.append(_esc(value) + "%")
    if doc:
        where.append("t.doc = ?")
        params.append(st.resolve(doc)["rowid"])
    w = "WHERE " + " AND ".join(where)
    total = st.execute(f"SELECT count(DISTINCT t.value) AS n FROM dates t {w}", params)[0]["n"]
    rows = st.execute("SELECT t.value AS value, count(*) AS mentions, count(DISTINCT t.doc) AS documents, "
                      "min(t.text) AS example FROM dates t "
                      f"{w} GROUP BY t.value ORDER BY mentions DESC, t.value LIMIT ? OFFSET ?",
                      params + [limit, offset])
    return total, rows


def facets(st: Store, hits: list[dict], doc_ids: list[str]) -> dict:
    """Facets of a result set (outlets, months of publication, subjects, countries, speakers quoted in it).

    ``subject``: the articles' subject (the topic stage's label, with its Arabic name); ``country``: every country
    of the articles' geography, not only the main one, as the ``country`` filter matches (ISO 3166 alpha-3, with
    its Arabic name).  Articles stored before the topic stage had a subject count in neither."""
    from .arabic import country_name, subject_name

    outlets = Counter(h.get("outlet") or "" for h in hits)
    months = Counter((h.get("published") or "")[:7] for h in hits if h.get("published"))
    subjects = Counter(h.get("subject") for h in hits if h.get("subject"))
    countries: Counter = Counter()
    if doc_ids:
        ids = doc_ids[:1000]
        for r in st.execute("SELECT countries FROM documents WHERE id IN (%s) AND countries IS NOT NULL AND "
                            "countries != ''" % ",".join("?" * len(ids)), ids):
            countries.update(dict.fromkeys(r["countries"].split(), 1))
    speakers_: list[dict] = []
    if doc_ids:
        ids = doc_ids[:1000]
        rows = st.execute(f"SELECT {SPEAKER_KEY_SQL} AS k, q.speaker AS speaker, count(*) AS n FROM quotes q "
                          "JOIN documents d ON d.rowid = q.doc WHERE d.id IN (%s) AND q.speaker IS NOT NULL "
                          "GROUP BY k, q.speaker" % ",".join("?" * len(ids)), ids)
        agg: dict[str, dict] = {}
        for r in rows:
            key = r["k"] or r["speaker"]
            g = agg.setdefault(key, {"key": key, "name": r["speaker"], "quotes": 0, "_best": 0})
            g["quotes"] += r["n"]
            if r["k"] is None or r["n"] > g["_best"]:
                g["_best"] = r["n"]
        keys = [k for k in agg if is_actor_key(st, k)] if len(agg) < 200 else []
        for k in keys:
            nm = actor_name(st, k)
            if nm:
                agg[k]["name"] = nm["name"]
        speakers_ = sorted(({k: v for k, v in g.items() if k != "_best"} for g in agg.values()),
                           key=lambda g: (-g["quotes"], g["name"] or ""))[:15]
    return {"outlet": [{"value": k, "count": v} for k, v in outlets.most_common(15) if k],
            "month": [{"value": k, "count": v} for k, v in sorted(months.items(), reverse=True)][:24],
            "subject": [{"value": k, "count": v, "label": subject_name(k)} for k, v in subjects.most_common()],
            "country": [{"value": k, "count": v, "label": country_name(k)}
                        for k, v in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[:15]],
            "speaker": speakers_}


MAX_SPEAKER_DOCS = 5000


def speaker_filter(st: Store, filters: dict) -> dict:
    """Search filters with ``speaker`` given as an actor key turned into the ids of the articles that quote that
    actor (the store's own speaker filter matches names and stored keys only)."""
    key = filters.get("speaker")
    if not key or not is_actor_key(st, key):
        return filters
    rows = st.execute("SELECT DISTINCT d.id AS id FROM quotes q JOIN documents d ON d.rowid = q.doc "
                      f"WHERE {SPEAKER_KEY_SQL} = ? LIMIT {MAX_SPEAKER_DOCS}", [key])
    out = dict(filters)
    out["speaker"] = None
    out["doc_ids"] = [r["id"] for r in rows]
    return out


# ---------------------------------------------------------------------------------------------------------------
# totals of the lists the store pages (the API's `total`), and the quotations of an actor's articles (its feed)

def actors_total(st: Store, *, type: str | None = None, name: str | None = None) -> int:
    """How many actors :meth:`Store.actors` lists with these filters (all pages)."""
    where, params = ["a.key IS NOT NULL"], []
    if type:
        where.append("a.type = ? COLLATE NOCASE")
        params.append(type)
    if name:
        n = norm_name(name)
        if not n:
            from ..store import FilterError
            raise FilterError(f"name {name!r} has no letters", source="name")
        where.append("(' ' || a.norm || ' ') LIKE ? ESCAPE '\\'")
        params.append("% " + _esc(n) + " %")
    return st.execute(f"SELECT count(DISTINCT a.key) AS n FROM actors a WHERE {' AND '.join(where)}",
                      params)[0]["n"]


def _quote_where(st: Store, *, speaker: str | None = None, about: str | None = None, doc: str | None = None,
                 kind: str | None = None, outlet: str | None = None, since: str | None = None,
                 until: str | None = None, subject: str | None = None, country: str | None = None,
                 speaker_is_actor: bool | None = None) -> tuple[list[str], list]:
    """The WHERE clauses of the API's quotation list (``q``: quotes, ``d``: documents): by an actor key the
    quotations resolved to that actor (as :func:`speaker_quotes`), by a name those :meth:`Store.quotes` matches;
    ``subject`` and ``country`` (any country of the article's geography) as :meth:`Store.search` filters them.
    ``speaker_is_actor``: whether ``speaker`` is an actor key, where the caller knows it (else looked up)."""
    params: list = []
    where = _date_where(since, until, params)
    if speaker and (is_actor_key(st, speaker) if speaker_is_actor is None else speaker_is_actor):
        where.append(f"{SPEAKER_KEY_SQL} = ?")
        params.append(speaker)
    elif speaker:
        n = norm_name(speaker)
        if not n:
            from ..store import FilterError
            raise FilterError(f"speaker {speaker!r} has no letters", source="speaker")
        like = "% " + _esc(n) + " %"
        where.append("(q.speaker_key = ? OR (' ' || q.speaker_norm || ' ') LIKE ? ESCAPE '\\' OR q.speaker_key IN "
                     "(SELECT key FROM actors WHERE (' ' || norm || ' ') LIKE ? ESCAPE '\\'))")
        params += [speaker, like, like]
    if outlet:
        where.append("d.outlet = ? COLLATE NOCASE")
        params.append(outlet)
    if kind:
        where.append("q.kind = ?")
        params.append(kind)
    if doc:
        where.append("q.doc = ?")
        params.append(st.resolve(doc)["rowid"])
    if about:
        where.append("q.rowid IN (SELECT rowid FROM quote_fts WHERE quote_fts MATCH ?)")
        params.append(st.compile_query(about, "stem"))
    if subject:
        where.append("d.subject = ? COLLATE NOCASE")
        params.append(subject)
    if country:
        clause, param = st.country_clause(country, shown="country")
        where.append(clause)
        params.append(param)
    return where, params


def quotes_total(st: Store, **filters) -> int:
    """How many quotations the API's ``/api/quotes`` lists with these filters (all pages)."""
    where, params = _quote_where(st, **filters)
    w = ("WHERE " + " AND ".join(where)) if where else ""
    return st.execute(f"SELECT count(*) AS n FROM quotes q JOIN documents d ON d.rowid = q.doc {w}", params)[0]["n"]


def quote_list(st: Store, *, limit: int = 20, offset: int = 0, **filters) -> list[dict]:
    """One page of the API's ``/api/quotes`` (the filters of :func:`quotes_total`), newest article first."""
    where, params = _quote_where(st, **filters)
    w = ("WHERE " + " AND ".join(where)) if where else ""
    return named(st, st.execute(f"SELECT {QUOTE_COLS}, q.speaker_key AS speaker_key FROM quotes q JOIN documents d "
                                f"ON d.rowid = q.doc {w} ORDER BY d.published DESC, d.rowid DESC, q.idx LIMIT ? "
                                "OFFSET ?", params + [limit, offset]))


def actor_quotes(st: Store, key: str, *, limit: int = 20, offset: int = 0) -> list[dict]:
    """The quotations of the articles that mention the actor ``key`` (said by it or by anyone else around it),
    newest article first."""
    rows = st.execute(f"SELECT {QUOTE_COLS}, q.speaker_key AS speaker_key FROM quotes q "
                      "JOIN documents d ON d.rowid = q.doc WHERE q.doc IN (SELECT doc FROM actors WHERE key = ?) "
                      "ORDER BY d.published DESC, d.rowid DESC, q.idx LIMIT ? OFFSET ?", [key, limit, offset])
    return named(st, rows)


def search_by_date(st: Store, q: str, *, mode: str = "stem", limit: int = 20, **filters) -> list[dict]:
    """Articles matching a search, newest first (the search feed): the store's matches (its first 10,000 by
    rank, all of them but for the broadest queries on the largest corpora), ordered by publication date."""
    hits = st.search(q, mode=mode, limit=10_000, offset=0, snippets=False, count=False, **filters).hits
    hits.sort(key=lambda h: (h.get("published") or "", h["id"]), reverse=True)
    return hits[:limit]


# ---------------------------------------------------------------------------------------------------------------
# responses (khabar.store.statements' tables: stmt_responses, stmt_links, stmt_statements)

_RESP_FIELDS = ("doc", "response", "stance", "speaker", "speaker_key", "evidence", "claim_speaker", "claim_key",
                "claim_mention", "title", "outlet", "published")


def has_statements(st: Store) -> bool:
    return bool(st.execute("SELECT 1 AS x FROM sqlite_master WHERE name = 'stmt_links'"))


def speaker_responses(st: Store, key: str, *, limit: int = 20) -> dict:
    """The denials, confirmations and replies a speaker made (``stmt_responses.speaker_key``; a speaker that is no
    actor: by the name) and those answering the speaker (linked to one of the speaker's statements, or whose claim
    the article attributes to the speaker), newest first, ``limit`` of each, with their totals."""
    out: dict = {"made": [], "made_total": 0, "received": [], "received_total": 0}
    if not has_statements(st):
        return out
    cols = ", ".join(f"r.{c} AS {c}" for c in _RESP_FIELDS[:9]) + ", d.title AS title, d.outlet AS outlet, " \
        "d.published AS published"
    made = "(r.speaker_key = ? OR (r.speaker_key IS NULL AND r.speaker = ?))"
    received = ("(r.claim_key = ? OR EXISTS (SELECT 1 FROM stmt_links l JOIN stmt_statements s ON s.id = l.statement "
                "WHERE l.doc = r.doc AND l.response = r.response AND s.speaker_key = ?))")
    for name, where in (("made", made), ("received", received)):
        out[f"{name}_total"] = st.execute(f"SELECT count(*) AS n FROM stmt_responses r WHERE {where}",
                                          [key, key])[0]["n"]
        rows = st.execute(f"SELECT {cols} FROM stmt_responses r LEFT JOIN documents d ON d.id = r.doc "
                          f"WHERE {where} ORDER BY d.published DESC, r.doc, r.response LIMIT ?", [key, key, limit])
        for r in rows:
            r["claims"] = [x["statement"] for x in st.execute(
                "SELECT statement FROM stmt_links WHERE doc = ? AND response = ? ORDER BY statement",
                [r["doc"], r["response"]])]
            r["permalink"] = f"/doc/{r['doc']}"
            for k, w in (("speaker_key", "speaker_name"), ("claim_key", "claim_speaker_name")):
                a = actor_name(st, r[k]) if r[k] else None
                r[w] = (a or {}).get("name") or r[w.replace("_name", "")]
            out[name].append(r)
    return out
