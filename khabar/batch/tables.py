"""The Parquet tables a batch run writes, and the rows of one analysed Document (read by
:func:`khabar.io.rows.table_rows`, as the store's are: this module only chooses the Parquet columns).

Tables (one file per partition each, ``<table>/part-<NNNNN>.parquet``):

=========  ===================================================================================================
documents  one row per analysed article: ``doc_id`` (= ``Document.id``, the hash of the canonical text), where
           it came from (``input``, ``line``, ``seq`` = position in the run's input), metadata, layer counts,
           ``text`` and ``annotations`` (every exported layer except tokens, as JSON: enough to rebuild the
           analysed Document without running the pipeline again, which ``khabar ingest --from-parquet`` does);
           ``subject``/``subject_score``, ``country`` (main) and ``countries`` (comma-separated ISO 3166 alpha-3,
           main first) from the topic stage; ``label`` is the section the input carried
entities   one row per entity mention (``label`` PER/ORG/LOC/MISC, ``actor`` id)
actors     one row per actor (cluster of mentions): ``actor_id``, ``name``, ``type``, ``key``, ``n_mentions``
quotes     one row per quotation: ``content`` span, ``kind``, ``speaker``, ``speaker_actor`` (the speaker's
           actor, by :mod:`khabar.actors.speakers`), ``cue_text``
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
from typing import Mapping

from ..io.rows import SPAN_TABLES, TableRows, compact_json, export, rest, table_rows, value_text

__all__ = ["TABLES", "ROW_PREFIX", "TABLE_SCHEMA_VERSION", "COLUMNS", "export", "document_rows", "document_from_row"]

TABLES = ("documents", "entities", "actors", "quotes", "sources", "dates", "events")
ROW_PREFIX = {"entities": "e", "actors": "a", "quotes": "q", "sources": "s", "dates": "d", "events": "v"}
TABLE_SCHEMA_VERSION = "2"  # 2: documents gain subject, subject_score, country, countries

# column name -> arrow type name ("string", "int32", "int64", "float64")
_SPAN = [("row_id", "string"), ("doc_id", "string"), ("idx", "int32"), ("start", "int32"), ("end", "int32")]
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "string"), ("seq", "int64"), ("partition", "int32"), ("input", "string"), ("line", "int64"),
        ("external_id", "string"), ("title", "string"), ("url", "string"), ("outlet", "string"),
        ("published", "string"), ("language", "string"), ("label", "string"), ("topic", "string"),
        ("topic_score", "float64"), ("subject", "string"), ("subject_score", "float64"), ("country", "string"),
        ("countries", "string"), ("dateline", "string"), ("n_chars", "int32"), ("n_words", "int32"),
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

# the item keys each table names (the rest of an item goes to ``attrs``)
_USED = {
    "entities": {"start", "end", "label", "text", "actor"},
    "actors": {"id", "name", "type", "label", "key", "mentions"},
    "quotes": {"start", "end", "text", "content", "content_start", "content_end", "kind", "cue_text"},
    "sources": {"start", "end", "text", "source", "label", "cue_text"},
    "dates": {"start", "end", "text", "value", "label"},
    "events": {"start", "end", "text", "code", "label", "root", "source", "target"},
}
# the columns each table takes from khabar.io.rows' rows, beside row_id, doc_id, idx (and start, end) and attrs
_COLUMNS = {
    "entities": ("label", "text", "actor"),
    "quotes": ("content", "kind", "speaker", "speaker_actor", "cue_text"),
    "sources": ("text", "label", "cue_text"),
    "dates": ("text", "value", "label"),
    "events": ("text", "code", "root", "source", "target"),
}


def _span_rows(table: str, did: str, rows: list) -> list[dict]:
    out = []
    for r in rows:
        row = {"row_id": f"{did}:{ROW_PREFIX[table]}{r['idx']}", "doc_id": did, "idx": r["idx"], "start": r["start"],
               "end": r["end"]}
        row.update((c, r[c]) for c in _COLUMNS[table])
        row["attrs"] = compact_json(rest(r["item"], _USED[table]))
        out.append(row)
    return out


def _actor_rows(did: str, rows: list) -> list[dict]:
    return [{"row_id": f"{did}:a{r['idx']}", "doc_id": did, "idx": r["idx"], "actor_id": r["actor_id"],
             "name": r["name"], "type": r["type"], "key": r["key"], "n_mentions": r["n_mentions"],
             "mentions": compact_json(list(r["mentions"])) if r["mentions"] is not None else None,
             "attrs": compact_json(rest(r["item"], _USED["actors"]))} for r in rows]


def _document_row(doc, rows: TableRows, out: dict, *, seq, partition, source, line, pipeline) -> dict:
    text = doc.text
    meta = dict(doc.meta)
    ann = rows.annotations
    dl = ann.get("dateline")
    return {
        "doc_id": doc.id, "seq": seq, "partition": partition, "input": source, "line": line,
        "external_id": value_text(meta.get("external_id"), text), "title": value_text(meta.get("title"), text),
        "url": value_text(meta.get("url"), text), "outlet": value_text(meta.get("outlet"), text),
        "published": value_text(meta.get("published"), text), "language": value_text(meta.get("language"), text),
        "label": value_text(meta.get("topic"), text), "topic": rows.topic, "topic_score": rows.topic_score,
        "subject": rows.subject, "subject_score": rows.subject_score, "country": rows.country,
        "countries": ",".join(rows.countries) or None,
        "dateline": compact_json(dl) if dl else None, "n_chars": len(text), "n_words": len(text.split()),
        "n_sentences": len(rows.sentences), "n_entities": len(out["entities"]),
        "n_actors": len(out["actors"]), "n_quotes": len(out["quotes"]), "n_sources": len(out["sources"]),
        "n_dates": len(out["dates"]), "n_events": len(out["events"]), "pipeline": pipeline,
        "meta": compact_json(meta), "text": text, "annotations": compact_json(ann) or "{}",
    }


def document_rows(doc, *, seq: int, partition: int, source: str | None, line: int | None,
                  pipeline: str) -> dict[str, list[dict]]:
    """All rows of one analysed Document, table name → list of row dicts (in layer order): the rows of
    :func:`khabar.io.rows.table_rows`, with this format's columns."""
    rows = table_rows(doc)
    did = doc.id
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for t in SPAN_TABLES:
        out[t] = _span_rows(t, did, getattr(rows, t))
    out["actors"] = _actor_rows(did, rows.actors)
    out["documents"] = [_document_row(doc, rows, out, seq=seq, partition=partition, source=source, line=line,
                                      pipeline=pipeline)]
    return out


def document_from_row(row: Mapping):
    """Rebuild the analysed :class:`~khabar.document.Document` of a ``documents`` row (no pipeline run)."""
    from ..document import Document

    d = json.loads(row.get("annotations") or "{}")
    d["text"] = row["text"]
    d["id"] = row["doc_id"]
    d["meta"] = json.loads(row["meta"]) if row.get("meta") else {}
    return Document.from_json(d)
