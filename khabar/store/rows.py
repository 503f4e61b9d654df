"""Turn an analysed Document into the rows the store writes (pure, picklable: runs in worker processes).

Whatever layers exist are stored; a missing layer gives no rows.  The layers are read once, for the store and
for batch's Parquet tables alike, by :func:`khabar.io.rows.table_rows` (a quote's speaker is resolved to its actor
there, by :mod:`khabar.actors.speakers`); :func:`prepare` chooses the store's columns from those rows and adds
what only the store has: folded names (``norm``) and the search views of the document and of each quote.
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

from ..document import Document
from ..io.rows import TableRows, export, rest, table_rows
from ..text.normalize import fold
from .views import text_views, token_views


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
# layers → rows (read once by khabar.io.rows.table_rows; here the store's columns are chosen from them)

def _attr_json(attrs: Mapping) -> str | None:
    """The store's ``attrs`` column: what an item carries beyond the table's columns, as JSON (None if nothing)."""
    if not attrs:
        return None
    from ..document import _jsonable
    try:
        return json.dumps(_jsonable(attrs), ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return None


def _spans_of(rows: list) -> list:
    """The rows of items with offsets (the store keeps only spans), numbered again in that order."""
    return [(i, r) for i, r in enumerate(r for r in rows if r["start"] is not None and r["end"] is not None)]


def _actor_key(r: Mapping, norm: str | None) -> str | None:
    """An actor's cross-document key: its own, else ``TYPE:folded name``."""
    if r["key"] not in (None, ""):
        return r["key"]
    return f"{r['type'] or ''}:{norm}" if norm else None


def _actor_rows(rows: list) -> tuple[list, list]:
    """``actors`` rows (local id, name, type, key, norm, mentions) and each actor's key by position."""
    out, keys = [], []
    for r in rows:
        norm = norm_name(r["name"])
        key = _actor_key(r, norm)
        keys.append(key)
        out.append((r["actor_id"] if r["actor_id"] is not None else str(r["idx"]), r["name"], r["type"], key, norm,
                    r["n_mentions"] or 0))
    return out, keys


_QUOTE_COLS = {"start", "end", "text", "label", "content", "content_start", "content_end", "kind", "cue_text"}


def _quote_rows(rows: list, actor_keys: list) -> list:
    """``quotes`` rows: the speaker's name, its folded form and its actor (key, local id) as resolved."""
    out = []
    for i, r in _spans_of(rows):
        pos = r["speaker_pos"]
        out.append((i, r["start"], r["end"], r["kind"], r["speaker_name"], norm_name(r["speaker_name"]),
                    actor_keys[pos] if pos is not None else None, r["speaker_actor"], r["cue_text"],
                    _attr_json(rest(r["item"], _QUOTE_COLS))))
    return out


def _quote_views(quotes: list, text: str, tokens, per_token, splitter) -> list:
    """The search views (surface, clitic, stem) of each quote: its own tokens from the document's list, or the
    views of its text when it has none or the span cuts a word (content after ألا starts at لا)."""
    out = []
    for _i, s, e, *_rest in quotes:
        if per_token is None:
            out.append(text_views(text[s:e], splitter))
            continue
        tstarts, tends = tokens.starts, tokens.ends
        inside = []
        cut = False
        for i, r in per_token[bisect.bisect_left(per_token, (tokens.index_at(s) - 1,)):]:
            if tstarts[i] >= e:
                break
            if tends[i] > s:
                cut = cut or tstarts[i] < s or tends[i] > e
                inside.append(r)
        if cut:
            out.append(text_views(text[s:e], splitter))
        else:
            out.append(tuple(" ".join(r[k] for r in inside) for k in range(3)))
    return out


def _event_rows(rows: list) -> list:
    return [(r["idx"], r["start"], r["end"], r["code"], r["source"], r["target"],
             _attr_json(rest(r["item"], {"start", "end", "text", "label", "code", "source", "target"})))
            for r in rows]


def _doc_views(doc: Document, tokens, per_token, splitter) -> tuple:
    """The document's search views (surface, clitic, stem), its title's first."""
    if per_token is not None:
        views = tuple(" ".join(r[k] for _i, r in per_token) for k in range(3))
    else:
        views = text_views(doc.text, splitter, tokens)
    if doc.meta.get("title"):
        tv = text_views(str(doc.meta["title"]), splitter)
        views = tuple((a + " " + b).strip() for a, b in zip(tv, views))
    return views


def _doc_row(doc: Document, rows: TableRows, views: tuple, source, pipeline, now) -> dict:
    meta = doc.meta
    topic = rows.topic
    if not isinstance(topic, str) or not topic:
        topic = meta.get("topic")
    pub_raw = meta.get("published")
    return {
        "id": doc.id, "external_id": meta.get("external_id"), "title": meta.get("title"), "url": meta.get("url"),
        "outlet": meta.get("outlet"), "published": parse_published(pub_raw),
        "published_raw": str(pub_raw) if pub_raw is not None else None, "topic": topic,
        "subject": rows.subject, "subject_score": rows.subject_score, "country": rows.country,
        "countries": " ".join(rows.countries) or None,
        "language": meta.get("language"), "source": source, "text": doc.text, "n_chars": len(doc.text),
        "n_words": views[0].count(" ") + 1 if views[0] else 0, "annotations": annotations_blob(doc, rows.annotations),
        "pipeline": pipeline, "ingested_at": now or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def annotations_blob(doc: Document, annotations: dict | None = None) -> bytes:
    """zlib-compressed JSON of the exported layers (tokens and derived views left out)."""
    data = json.dumps(export(doc) if annotations is None else annotations, ensure_ascii=False, default=str,
                      separators=(",", ":"))
    return zlib.compress(data.encode("utf-8"), 6)


def load_annotations(blob: bytes | None) -> dict:
    if not blob:
        return {}
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def prepare(doc: Document, *, source: str | None = None, pipeline: str | None = None,
            splitter: str | None = None, now: str | None = None) -> PreparedDoc:
    """All rows of one analysed document, as the store writes them."""
    text = doc.text
    rows = table_rows(doc)
    tokens = doc.layers.get("tokens")
    per_token = token_views(tokens, splitter) if hasattr(tokens, "strings") else None
    views = _doc_views(doc, tokens, per_token, splitter)
    p = PreparedDoc(doc.id, _doc_row(doc, rows, views, source, pipeline, now), views=views)
    p.sentences = [(i, r["start"], r["end"]) for i, r in _spans_of(rows.sentences)]
    p.actors, actor_keys = _actor_rows(rows.actors)
    p.entities = [(i, r["start"], r["end"], r["label"] or None, text[r["start"]:r["end"]],
                   norm_name(text[r["start"]:r["end"]]), r["actor"]) for i, r in _spans_of(rows.entities)]
    p.quotes = _quote_rows(rows.quotes, actor_keys)
    p.quote_views = _quote_views(p.quotes, text, tokens, per_token, splitter)
    p.sources = [(i, r["start"], r["end"], text[r["start"]:r["end"]], norm_name(text[r["start"]:r["end"]]),
                  r["cue_text"], _attr_json(rest(r["item"], {"start", "end", "text", "label", "source", "cue_text"})))
                 for i, r in _spans_of(rows.sources)]
    p.dates = [(i, r["start"], r["end"], text[r["start"]:r["end"]], r["value"]) for i, r in _spans_of(rows.dates)]
    p.events = _event_rows(rows.events)
    return p
