"""One analysed Document → the rows of every table, read once for both writers: the store (SQLite,
:func:`khabar.store.rows.prepare`) and batch (Parquet, :func:`khabar.batch.tables.document_rows`).

:func:`table_rows` reads the document's exported annotations (:func:`export`: every exported layer except tokens,
the JSON both writers also keep whole) and gives, per table, one row dict per layer item with the columns the
tables share; each writer only chooses its columns and serialises them.

=========  =================================================================================================
sentences  ``idx``, ``start``, ``end``
entities   ``label``, ``text``, ``actor`` (local actor id)
actors     ``actor_id``, ``name``, ``type``, ``key``, ``mentions`` (list or None), ``n_mentions``
quotes     ``content``, ``kind``, ``speaker`` (as the layer gives it), ``speaker_actor`` (the linked actor id, else
           the actor :mod:`khabar.actors.speakers` resolves the speaker to), ``speaker_pos`` (that actor's
           position in the actors rows, None for a link to no actor), ``speaker_name`` (the linked actor's name,
           else the speaker as written, else the words of the speaker mention), ``cue_text``
sources    ``text``, ``label``, ``cue_text``
dates      ``text``, ``value``, ``label``
events     ``text``, ``code``, ``root``, ``source``, ``target``
=========  =================================================================================================

and, per document, ``subject``/``subject_score`` (the ``subject`` layer), ``countries`` (the ``geography`` layer's
ISO codes, main first) and ``country`` (the main one), ``section`` (the ``section`` layer), and the legacy
``topic``/``topic_score`` of documents analysed before the subject existed.

Every row has ``idx`` (position in its layer) and ``item`` (the exported item: what it carries beyond the named
columns goes to each table's ``attrs``, with the columns that table names left out: :func:`rest`); span rows have
``start``/``end`` (code points, end exclusive; None when the item has none).  Layers are read leniently (other
stages keep growing): a layer may be a list or an ``{id: item}`` mapping, a value may be a string, a number, a span
dict or an actor dict (:func:`value_text`).  A layer the pipeline did not produce gives no rows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..actors.speakers import SpeakerIndex

NOT_ANNOTATIONS = {"tokens", "normalized", "segments"}
SPAN_TABLES = ("entities", "quotes", "sources", "dates", "events")


def export(doc) -> dict:
    """The document's exported layers (schema ``khabar.document/1.x``) without tokens and derived views."""
    from ..document import Document
    from ..schema import export_layers

    layers = {k: v for k, v in doc.layers.items() if k not in NOT_ANNOTATIONS}
    return export_layers(Document(doc.text, {}, layers, doc.id))


def as_int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def compact_json(v: Any) -> str | None:
    """Sorted, compact JSON of a value; None for None and empty containers."""
    if v is None or v == {} or v == []:
        return None
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))


def value_text(v: Any, text: str) -> str | None:
    """A readable string for a value that may be a string, a number, a span dict or an actor dict."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, Mapping):
        for k in ("name", "text", "content", "label", "id"):
            if isinstance(v.get(k), str) and v.get(k):
                return v[k]
        s, e = v.get("start"), v.get("end")
        if isinstance(s, int) and isinstance(e, int):
            return text[s:e]
        return compact_json(v)
    if isinstance(v, (list, tuple)):
        if len(v) == 2 and all(isinstance(i, int) for i in v):
            return text[v[0]:v[1]]
        return compact_json(list(v))
    return str(v)


def rest(item: Mapping, used) -> dict:
    """What an item carries beyond the columns ``used`` (its ``attrs``), in the item's order."""
    return {k: v for k, v in item.items() if k not in used}


def items(layer: Any) -> list[dict]:
    """The items of an exported layer as dicts (an ``{id: item}`` mapping gives its items with their ``id``)."""
    if isinstance(layer, Mapping):
        return [dict(v, id=k) if isinstance(v, Mapping) else {"id": k, "value": v} for k, v in layer.items()]
    if isinstance(layer, (list, tuple)):
        return [x if isinstance(x, Mapping) else {"value": x} for x in layer]
    return []


@dataclass
class TableRows:
    """The rows of one analysed document (see the module's table)."""

    doc: Any
    annotations: dict
    sentences: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    dates: list = field(default_factory=list)
    events: list = field(default_factory=list)
    topic: str | None = None
    topic_score: float | None = None
    subject: str | None = None
    subject_score: float | None = None
    countries: list = field(default_factory=list)
    section: str | None = None

    @property
    def country(self) -> str | None:
        """The main country (the first of the geography), or None."""
        return self.countries[0] if self.countries else None


def _span_row(i: int, d: Mapping) -> dict:
    return {"idx": i, "start": as_int(d.get("start")), "end": as_int(d.get("end")), "item": d}


def _entity_rows(ann: dict, text: str) -> list:
    return [dict(_span_row(i, d), label=value_text(d.get("label"), text), text=value_text(d.get("text"), text),
                 actor=value_text(d.get("actor"), text)) for i, d in enumerate(items(ann.get("entities")))]


def _actor_rows(ann: dict, text: str) -> list:
    out = []
    for i, d in enumerate(items(ann.get("actors"))):
        m = d.get("mentions")
        out.append({"idx": i, "item": d, "actor_id": value_text(d.get("id"), text),
                    "name": value_text(d.get("name"), text),
                    "type": value_text(d.get("type") or d.get("label"), text), "key": value_text(d.get("key"), text),
                    "mentions": m if isinstance(m, (list, tuple)) else None,
                    "n_mentions": len(m) if isinstance(m, (list, tuple)) else as_int(m)})
    return out


def _quote_rows(ann: dict, text: str, speakers: SpeakerIndex) -> list:
    """Quotes with their speaker's actor (:meth:`SpeakerIndex.resolve`) and the name to show for the speaker."""
    out = []
    for i, d in enumerate(items(ann.get("quotes"))):
        link = speakers.linked(d)
        pos = speakers.resolve(d)
        sp = d.get("speaker")
        sp_is_id = link is None and isinstance(sp, (str, int)) and str(sp) in speakers.by_id
        # the name: a linked actor's, else the speaker as written, else the words of the mention
        name = value_text(speakers.actor(pos).get("name"), text) if pos is not None and (
            link is not None or sp_is_id) else None
        if name is None:
            name = (None if sp_is_id else value_text(sp, text)) or d.get("speaker_mention_text") or \
                value_text(d.get("speaker_mention"), text)
        out.append(dict(_span_row(i, d), content=value_text(d.get("content", d.get("text")), text),
                        kind=value_text(d.get("kind"), text), speaker=value_text(sp, text),
                        speaker_actor=str(link) if link is not None else speakers.id_of(pos), speaker_pos=pos,
                        speaker_name=name,
                        cue_text=value_text(d.get("cue_text"), text) or value_text(d.get("cue"), text)))
    return out


def _source_rows(ann: dict, text: str) -> list:
    return [dict(_span_row(i, d), text=value_text(d.get("source", d.get("text")), text),
                 label=value_text(d.get("label"), text), cue_text=value_text(d.get("cue_text"), text))
            for i, d in enumerate(items(ann.get("sources")))]


def _date_rows(ann: dict, text: str) -> list:
    return [dict(_span_row(i, d), text=value_text(d.get("text"), text), value=value_text(d.get("value"), text),
                 label=value_text(d.get("label"), text)) for i, d in enumerate(items(ann.get("dates")))]


def _event_rows(ann: dict, text: str) -> list:
    return [dict(_span_row(i, d), text=value_text(d.get("text"), text),
                 code=value_text(d.get("code"), text) or value_text(d.get("label"), text),
                 root=value_text(d.get("root"), text), source=value_text(d.get("source"), text),
                 target=value_text(d.get("target"), text)) for i, d in enumerate(items(ann.get("events")))]


def _topic(ann: dict, text: str) -> tuple[str | None, float | None]:
    topic = ann.get("topic")
    if isinstance(topic, Mapping):
        s = topic.get("score")
        return (value_text(topic.get("label") or topic.get("topic"), text),
                float(s) if isinstance(s, (int, float)) and not isinstance(s, bool) else None)
    return (topic, None) if isinstance(topic, str) else (None, None)


def _countries(ann: dict) -> list[str]:
    """The ISO codes of the ``geography`` layer, main first (items without a string ``country`` skipped)."""
    return [g["country"] for g in items(ann.get("geography")) if isinstance(g.get("country"), str) and g["country"]]


def table_rows(doc, annotations: dict | None = None) -> TableRows:
    """All rows of one analysed Document, for every table (``annotations``: its :func:`export`, if at hand)."""
    text = doc.text
    ann = export(doc) if annotations is None else annotations
    out = TableRows(doc, ann)
    out.sentences = [_span_row(i, d) for i, d in enumerate(items(ann.get("sentences")))]
    out.entities = _entity_rows(ann, text)
    out.actors = _actor_rows(ann, text)
    if ann.get("quotes"):
        out.quotes = _quote_rows(ann, text, SpeakerIndex([r["item"] for r in out.actors], text))
    out.sources = _source_rows(ann, text)
    out.dates = _date_rows(ann, text)
    out.events = _event_rows(ann, text)
    out.topic, out.topic_score = _topic(ann, text)
    out.subject, out.subject_score = _topic({"topic": ann.get("subject")}, text)
    out.countries = _countries(ann)
    sec = ann.get("section")
    out.section = sec if isinstance(sec, str) and sec else None
    return out
