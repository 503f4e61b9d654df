"""The Parquet tables a batch run writes, and the rows of one analysed Document.

Tables (one file per partition each, ``<table>/part-<NNNNN>.parquet``):

=========  ===================================================================================================
documents  one row per analysed article: ``doc_id`` (= ``Document.id``, the hash of the canonical text), where
           it came from (``input``, ``line``, ``seq`` = position in the run's input), metadata, layer counts,
           ``text`` and ``annotations`` (every exported layer except tokens, as JSON: enough to rebuild the
           analysed Document without running the pipeline again, which ``khabar ingest --from-parquet`` does)
entities   one row per entity mention (``label`` PER/ORG/LOC/MISC, ``actor`` id)
actors     one row per actor (cluster of mentions): ``actor_id``, ``name``, ``type``, ``key``, ``n_mentions``
quotes     one row per quotation: ``content`` span, ``kind``, ``speaker``, ``speaker_actor``, ``cue_text``
sources    one row per cited source
dates      one row per date expression, with its normalised ``value``
events     one row per CAMEO event: ``code``, ``root``, ``source``, ``target``
=========  ===================================================================================================

Every annotation row has ``row_id`` = ``<doc_id>:<letter><index>`` (e.g. ``3f2a…:q4``, the fifth quote),
``doc_id`` and ``idx``; span rows have ``start``/``end`` (code points into ``documents.text``, end exclusive) and
``text``.  Whatever a layer carries beyond the named columns is kept in ``attrs`` (JSON), so a stage that grows
new attributes needs no schema change.  A layer that the pipeline did not produce gives no rows (the table file
is still written, empty, with its schema).
"""
from __future__ import annotations

import json
from typing import Any, Mapping

TABLES = ("documents", "entities", "actors", "quotes", "sources", "dates", "events")
ROW_PREFIX = {"entities": "e", "actors": "a", "quotes": "q", "sources": "s", "dates": "d", "events": "v"}
TABLE_SCHEMA_VERSION = "1"

# column name -> arrow type name ("string", "int32", "int64", "float64")
_SPAN = [("row_id", "string"), ("doc_id", "string"), ("idx", "int32"), ("start", "int32"), ("end", "int32")]
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "string"), ("seq", "int64"), ("partition", "int32"), ("input", "string"), ("line", "int64"),
        ("external_id", "string"), ("title", "string"), ("url", "string"), ("outlet", "string"),
        ("published", "string"), ("language", "string"), ("label", "string"), ("topic", "string"),
        ("topic_score", "float64"), ("dateline", "string"), ("n_chars", "int32"), ("n_words", "int32"),
        ("n_sentences", "int32"), ("n_entities", "int32"), ("n_actors", "int32"), ("n_quotes", "int32"),
        ("n_sources", "int32"), ("n_dates", "int32"), ("n_events", "int32"), ("pipeline", "string"),
        ("meta", "string"), ("text", "string"), ("annotations", "string"),
    ],
    "entities": _SPAN + [("label", "string"), ("text", "string"), ("actor", "string"), ("attrs", "string")],
    "actors": [("row_id", "string"), ("doc_id", "string"), ("idx", "int32"), ("actor_id", "string"),
               ("name", "string"), ("type", "string"), ("key", "string"), ("n_mentions", "int32"),
               ("mentions", "string"), ("attrs", "string")],
    "quotes": _SPAN + [("content", "string"), ("kind", "string"), ("speaker", "string"),
                       ("speaker_actor", "string"), ("cue_text", "string"), ("attrs", "string")],
    "sources": _SPAN + [("text", "string"), ("label", "string"), ("cue_text", "string"), ("attrs", "string")],
    "dates": _SPAN + [("text", "string"), ("value", "string"), ("label", "string"), ("attrs", "string")],
    "events": _SPAN + [("text", "string"), ("code", "string"), ("root", "string"), ("source", "string"),
                       ("target", "string"), ("attrs", "string")],
}

_NOT_ANNOTATIONS = {"tokens", "normalized", "segments"}


def _dumps(v: Any) -> str | None:
    if v is None or v == {} or v == []:
        return None
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _name(v: Any, text: str) -> str | None:
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
        return _dumps(v)
    if isinstance(v, (list, tuple)):
        if len(v) == 2 and all(isinstance(i, int) for i in v):
            return text[v[0]:v[1]]
        return _dumps(list(v))
    return str(v)


def _rest(d: Mapping, used: set) -> str | None:
    return _dumps({k: v for k, v in d.items() if k not in used})


def _items(layer: Any) -> list:
    if isinstance(layer, Mapping):  # {id: item}
        return [dict(v, id=k) if isinstance(v, Mapping) else {"id": k, "value": v} for k, v in layer.items()]
    if isinstance(layer, (list, tuple)):
        return [x if isinstance(x, Mapping) else {"value": x} for x in layer]
    return []


def export(doc) -> dict:
    """The document's exported layers (schema ``khabar.document/1.x``) without tokens and derived views."""
    from ..document import Document
    from ..schema import export_layers

    layers = {k: v for k, v in doc.layers.items() if k not in _NOT_ANNOTATIONS}
    return export_layers(Document(doc.text, {}, layers, doc.id))


def document_rows(doc, *, seq: int, partition: int, source: str | None, line: int | None,
                  pipeline: str) -> dict[str, list[dict]]:
    """All rows of one analysed Document, table name → list of row dicts (in layer order)."""
    text = doc.text
    ann = export(doc)
    did = doc.id
    out: dict[str, list[dict]] = {t: [] for t in TABLES}

    def base(table: str, i: int, d: Mapping | None = None) -> dict:
        r = {"row_id": f"{did}:{ROW_PREFIX[table]}{i}", "doc_id": did, "idx": i}
        if d is not None:
            r["start"] = _int(d.get("start"))
            r["end"] = _int(d.get("end"))
        return r

    for i, d in enumerate(_items(ann.get("entities"))):
        r = base("entities", i, d)
        r.update(label=_name(d.get("label"), text), text=_name(d.get("text"), text),
                 actor=_name(d.get("actor"), text), attrs=_rest(d, {"start", "end", "label", "text", "actor"}))
        out["entities"].append(r)
    for i, d in enumerate(_items(ann.get("actors"))):
        m = d.get("mentions")
        n = len(m) if isinstance(m, (list, tuple)) else _int(m)
        r = {"row_id": f"{did}:a{i}", "doc_id": did, "idx": i, "actor_id": _name(d.get("id"), text),
             "name": _name(d.get("name"), text), "type": _name(d.get("type") or d.get("label"), text),
             "key": _name(d.get("key"), text), "n_mentions": n,
             "mentions": _dumps(m) if isinstance(m, (list, tuple)) else None,
             "attrs": _rest(d, {"id", "name", "type", "label", "key", "mentions"})}
        out["actors"].append(r)
    for i, d in enumerate(_items(ann.get("quotes"))):
        r = base("quotes", i, d)
        actor = d.get("speaker_actor", d.get("actor"))
        r.update(content=_name(d.get("content", d.get("text")), text), kind=_name(d.get("kind"), text),
                 speaker=_name(d.get("speaker"), text), speaker_actor=_name(actor, text),
                 cue_text=_name(d.get("cue_text", d.get("cue")), text),
                 attrs=_rest(d, {"start", "end", "text", "content", "content_start", "content_end", "kind",
                                 "cue_text"}))
        out["quotes"].append(r)
    for i, d in enumerate(_items(ann.get("sources"))):
        r = base("sources", i, d)
        r.update(text=_name(d.get("source", d.get("text")), text), label=_name(d.get("label"), text),
                 cue_text=_name(d.get("cue_text"), text),
                 attrs=_rest(d, {"start", "end", "text", "source", "label", "cue_text"}))
        out["sources"].append(r)
    for i, d in enumerate(_items(ann.get("dates"))):
        r = base("dates", i, d)
        r.update(text=_name(d.get("text"), text), value=_name(d.get("value"), text),
                 label=_name(d.get("label"), text), attrs=_rest(d, {"start", "end", "text", "value", "label"}))
        out["dates"].append(r)
    for i, d in enumerate(_items(ann.get("events"))):
        r = base("events", i, d)
        r.update(text=_name(d.get("text"), text), code=_name(d.get("code", d.get("label")), text),
                 root=_name(d.get("root"), text), source=_name(d.get("source"), text),
                 target=_name(d.get("target"), text),
                 attrs=_rest(d, {"start", "end", "text", "code", "label", "root", "source", "target"}))
        out["events"].append(r)

    meta = dict(doc.meta)
    topic = ann.get("topic")
    t_label, t_score = None, None
    if isinstance(topic, Mapping):
        t_label = _name(topic.get("label") or topic.get("topic"), text)
        s = topic.get("score")
        t_score = float(s) if isinstance(s, (int, float)) and not isinstance(s, bool) else None
    elif isinstance(topic, str):
        t_label = topic
    dl = ann.get("dateline")
    out["documents"].append({
        "doc_id": did, "seq": seq, "partition": partition, "input": source, "line": line,
        "external_id": _name(meta.get("external_id"), text), "title": _name(meta.get("title"), text),
        "url": _name(meta.get("url"), text), "outlet": _name(meta.get("outlet"), text),
        "published": _name(meta.get("published"), text), "language": _name(meta.get("language"), text),
        "label": _name(meta.get("topic"), text), "topic": t_label, "topic_score": t_score,
        "dateline": _dumps(dl) if dl else None, "n_chars": len(text), "n_words": len(text.split()),
        "n_sentences": len(ann.get("sentences") or ()), "n_entities": len(out["entities"]),
        "n_actors": len(out["actors"]), "n_quotes": len(out["quotes"]), "n_sources": len(out["sources"]),
        "n_dates": len(out["dates"]), "n_events": len(out["events"]), "pipeline": pipeline,
        "meta": _dumps(meta), "text": text, "annotations": _dumps(ann) or "{}",
    })
    return out


def document_from_row(row: Mapping):
    """Rebuild the analysed :class:`~khabar.document.Document` of a ``documents`` row (no pipeline run)."""
    from ..document import Document

    d = json.loads(row.get("annotations") or "{}")
    d["text"] = row["text"]
    d["id"] = row["doc_id"]
    d["meta"] = json.loads(row["meta"]) if row.get("meta") else {}
    return Document.from_json(d)
