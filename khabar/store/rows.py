"""Turn an analysed Document into the rows the store writes (pure, picklable: runs in worker processes).

Whatever layers exist are stored; a missing layer gives no rows.  Layers are read leniently because other
stages are still growing: a quote's ``speaker`` may be a name, an actor id or a dict; an actor's ``mentions``
may be a list or a count.
"""
from __future__ import annotations

import bisect
import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Mapping

import regex

from ..document import Document, Span
from ..schema import export_layers
from ..text.normalize import fold
from .views import text_views, token_views

NOT_STORED_LAYERS = {"tokens", "normalized"}


@dataclass
class PreparedDoc:
    id: str
    doc_row: dict
    sentences: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    quotes: list = field(default_factory=list)       # (idx, s, e, kind, speaker, norm, key, actor, cue, attrs)
    quote_views: list = field(default_factory=list)  # (surface, clitic, stem) per quote
    sources: list = field(default_factory=list)
    dates: list = field(default_factory=list)
    events: list = field(default_factory=list)
    views: tuple = ("", "", "")


_NON_NAME = regex.compile(r"[^\p{L}\p{N}]+")
_NAME_CACHE: dict[str, str | None] = {}


def norm_name(s: Any) -> str | None:
    """Folded, single-spaced, punctuation-free form of a name (for look-ups and filters)."""
    if not s or not isinstance(s, str):
        return None
    r = _NAME_CACHE.get(s)
    if r is None:
        r = " ".join(_NON_NAME.sub(" ", fold(s, search=True)).split()) or None
        if len(_NAME_CACHE) > 200_000:
            _NAME_CACHE.clear()
        _NAME_CACHE[s] = r
    return r


# --------------------------------------------------------------------------------------------------------------
# dates of publication

_ISO = regex.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_published(value: Any) -> str | None:
    """ISO 8601 form of a publication date (``2018-02-26T02:20:10Z``, or ``2018-02-26`` for a bare date).

    Accepts RFC 2822 (``Mon, 26 Feb 2018 02:20:10 GMT``, as in ANT), ISO 8601 (``2015-07-21 02:51:32``) and bare
    ``YYYY-MM-DD``/``YYYY-MM``/``YYYY``.  Times with a zone are converted to UTC; times without one are kept as
    they are.  Anything else gives ``None`` (the raw value is kept beside it).
    """
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    dt = None
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            dt = None
    if dt is not None:
        if dt.tzinfo is not None:
            dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
            return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        if len(s) <= 10 and dt.hour == dt.minute == dt.second == 0:
            return dt.strftime("%Y-%m-%d")
        return dt.strftime("%Y-%m-%dT%H:%M:%S")
    m = _ISO.match(s)
    if m and 1900 <= int(m.group(1)) <= 2200:
        parts = [m.group(1)] + [f"{int(x):02d}" for x in m.groups()[1:] if x]
        return "-".join(parts)
    return None


# --------------------------------------------------------------------------------------------------------------
# layers → rows

def _spans(value) -> list[Span]:
    out = []
    if not value:
        return out
    for x in value:
        if isinstance(x, Span):
            out.append(x)
        elif isinstance(x, Mapping) and "start" in x and "end" in x:
            out.append(Span.from_json(x))
        elif isinstance(x, (tuple, list)) and len(x) >= 2 and isinstance(x[0], int):
            out.append(Span(*x[:4]))
    return out


def _attr_json(attrs: Mapping | None, drop: tuple = ()) -> str | None:
    if not attrs:
        return None
    d = {k: v for k, v in attrs.items() if k not in drop}
    if not d:
        return None
    from ..document import _jsonable
    try:
        return json.dumps(_jsonable(d), ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return None


def _as_text(v: Any, text: str) -> str | None:
    """A name from a str, a Span, a dict with name/text, or [start, end]."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, Span):
        return text[v.start:v.end]
    if isinstance(v, Mapping):
        for k in ("name", "text", "canonical"):
            if isinstance(v.get(k), str):
                return v[k]
        if "start" in v and "end" in v:
            return text[int(v["start"]):int(v["end"])]
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(i, int) for i in v):
        return text[v[0]:v[1]]
    return None


def _actors(doc: Document) -> tuple[list, dict, dict]:
    rows = []
    by_id: dict[str, dict] = {}
    by_name: dict[str, str] = {}
    acts = doc.layers.get("actors") or ()
    if isinstance(acts, Mapping):  # {id: actor}
        acts = [dict(v, id=k) if isinstance(v, Mapping) else {"id": k, "name": str(v)} for k, v in acts.items()]
    for i, a in enumerate(acts):
        if isinstance(a, Span):
            a = {"id": str(i), "name": doc.text[a.start:a.end], "type": a.label, **(a.attrs or {})}
        if not isinstance(a, Mapping):
            continue
        aid = str(a.get("id", i))
        name = _as_text(a.get("name"), doc.text)
        norm = norm_name(name)
        key = a.get("key")
        key = str(key) if key not in (None, "") else (f"{a.get('type') or ''}:{norm}" if norm else None)
        m = a.get("mentions")
        n = len(m) if isinstance(m, (list, tuple)) else (int(m) if isinstance(m, int) else 0)
        rows.append((aid, name, a.get("type"), key, norm, n))
        by_id[aid] = {"name": name, "key": key, "type": a.get("type"), "id": aid}
        # every spelling the article uses for the actor, so a quote's speaker name can be resolved to it
        if norm:
            by_name.setdefault(norm, aid)
        for mention in (m if isinstance(m, (list, tuple)) else ()):
            mn = norm_name(_as_text(mention, doc.text))
            if mn:
                by_name.setdefault(mn, aid)
    return rows, by_id, by_name


def annotations_blob(doc: Document) -> bytes:
    layers = {k: v for k, v in doc.layers.items() if k not in NOT_STORED_LAYERS}
    tmp = Document(doc.text, {}, layers, doc.id)
    data = json.dumps(export_layers(tmp), ensure_ascii=False, default=str, separators=(",", ":"))
    return zlib.compress(data.encode("utf-8"), 6)


def load_annotations(blob: bytes | None) -> dict:
    if not blob:
        return {}
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def prepare(doc: Document, *, source: str | None = None, pipeline: str | None = None,
            splitter: str | None = None, now: str | None = None) -> PreparedDoc:
    """All rows of one analysed document."""
    text = doc.text
    meta = doc.meta
    tokens = doc.layers.get("tokens")
    per_token = token_views(tokens, splitter) if hasattr(tokens, "strings") else None
    if per_token is not None:
        views = tuple(" ".join(r[k] for _i, r in per_token) for k in range(3))
    else:
        views = text_views(text, splitter, tokens)
    if meta.get("title"):
        tv = text_views(str(meta["title"]), splitter)
        views = tuple((a + " " + b).strip() for a, b in zip(tv, views))
    topic = doc.layers.get("topic")
    if isinstance(topic, Mapping):
        topic = topic.get("label") or topic.get("topic")
    if not isinstance(topic, str) or not topic:
        topic = meta.get("topic")
    pub_raw = meta.get("published")
    n_words = views[0].count(" ") + 1 if views[0] else 0
    doc_row = {
        "id": doc.id, "external_id": meta.get("external_id"), "title": meta.get("title"), "url": meta.get("url"),
        "outlet": meta.get("outlet"), "published": parse_published(pub_raw),
        "published_raw": str(pub_raw) if pub_raw is not None else None, "topic": topic,
        "language": meta.get("language"), "source": source, "text": text, "n_chars": len(text),
        "n_words": n_words, "annotations": annotations_blob(doc), "pipeline": pipeline,
        "ingested_at": now or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    p = PreparedDoc(doc.id, doc_row, views=views)
    for i, s in enumerate(_spans(doc.layers.get("sentences"))):
        p.sentences.append((i, s.start, s.end))
    actor_rows, by_id, by_name = _actors(doc)
    p.actors = actor_rows
    for i, s in enumerate(_spans(doc.layers.get("entities"))):
        t = text[s.start:s.end]
        actor = s.get("actor")
        p.entities.append((i, s.start, s.end, s.label or None, t, norm_name(t),
                           str(actor) if actor is not None else None))
    for i, s in enumerate(_spans(doc.layers.get("quotes"))):
        sp = s.get("speaker")
        actor_id = s.get("speaker_actor", s.get("actor"))
        name = None
        key = None
        if isinstance(sp, (str, int)) and str(sp) in by_id and actor_id is None:
            actor_id = sp
            sp = None
        if actor_id is not None and str(actor_id) in by_id:
            a = by_id[str(actor_id)]
            name, key = a["name"], a["key"]
        if name is None:
            name = _as_text(sp, text) or s.get("speaker_mention_text") or _as_text(s.get("speaker_mention"), text)
        if actor_id is None:  # resolve the speaker's name (or the mention) to an actor of the article
            for cand in (name, s.get("speaker_mention_text"), _as_text(s.get("speaker_mention"), text)):
                aid = by_name.get(norm_name(cand) or "") if isinstance(cand, str) else None
                if aid is not None:
                    actor_id, key = aid, by_id[aid]["key"]
                    break
        cue = _as_text(s.get("cue_text"), text) or _as_text(s.get("cue"), text)
        p.quotes.append((i, s.start, s.end, s.get("kind"), name, norm_name(name), key,
                         str(actor_id) if actor_id is not None else None, cue,
                         _attr_json(s.attrs, ("kind", "cue_text"))))
        if per_token is not None:  # the quote's own tokens, from the document's list
            tstarts, tends = tokens.starts, tokens.ends
            inside = []
            cut = False
            for i, r in per_token[bisect.bisect_left(per_token, (tokens.index_at(s.start) - 1,)):]:
                if tstarts[i] >= s.end:
                    break
                if tends[i] > s.start:
                    cut = cut or tstarts[i] < s.start or tends[i] > s.end
                    inside.append(r)
            if cut:  # the span cuts a word (content after ألا starts at لا): index the span's own words
                p.quote_views.append(text_views(text[s.start:s.end], splitter))
            else:
                p.quote_views.append(tuple(" ".join(r[k] for r in inside) for k in range(3)))
        else:
            p.quote_views.append(text_views(text[s.start:s.end], splitter))
    for i, s in enumerate(_spans(doc.layers.get("sources"))):
        t = text[s.start:s.end]
        p.sources.append((i, s.start, s.end, t, norm_name(t), _as_text(s.get("cue_text"), text),
                          _attr_json(s.attrs, ("cue_text",))))
    for i, s in enumerate(_spans(doc.layers.get("dates"))):
        v = s.get("value")
        p.dates.append((i, s.start, s.end, text[s.start:s.end], str(v) if v is not None else None))
    for i, ev in enumerate(doc.layers.get("events") or ()):
        if isinstance(ev, Span):
            a = ev.attrs or {}
            p.events.append((i, ev.start, ev.end, a.get("code") or ev.label or None,
                             _as_text(a.get("source"), text), _as_text(a.get("target"), text),
                             _attr_json(a, ("code", "source", "target"))))
        elif isinstance(ev, Mapping):
            st, en = ev.get("start"), ev.get("end")
            p.events.append((i, st if isinstance(st, int) else None, en if isinstance(en, int) else None,
                             ev.get("code"), _as_text(ev.get("source"), text), _as_text(ev.get("target"), text),
                             _attr_json(ev, ("code", "source", "target", "start", "end"))))
    return p
