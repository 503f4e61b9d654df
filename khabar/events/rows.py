"""GDELT-style event rows: one flat record per coded event of an analysed Document.

Columns (in order): ``doc_id``, ``date`` (the article's ``published`` meta, as given), ``source``,
``source_code``, ``target``, ``target_code``, ``event_code``, ``root_code``, ``quad_class``, ``goldstein``,
``negated``, ``modality``, ``status`` (``asserted``: the article states it; ``reported``: inside a speaker's words;
``negated``: لم/لا/لن before the trigger; a denied act — نفى, ليس لها أي دخل في — is never a row), ``evidence_start``, ``evidence_end``, ``evidence``, ``url``, ``outlet``.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Sequence

from ..document import Document

COLUMNS = ("doc_id", "date", "source", "source_code", "target", "target_code", "event_code", "root_code",
           "quad_class", "goldstein", "negated", "modality", "status", "evidence_start", "evidence_end", "evidence", "url",
           "outlet")
ARROW_TYPES = {"quad_class": "int32", "goldstein": "float64", "negated": "bool", "evidence_start": "int64",
               "evidence_end": "int64"}


def event_rows(doc: Document) -> list[dict]:
    rows = []
    for sp in doc.layers.get("events") or ():
        a = sp.attrs or {}
        rows.append({
            "doc_id": doc.id, "date": doc.meta.get("published"),
            "source": a.get("source"), "source_code": a.get("source_code"),
            "target": a.get("target"), "target_code": a.get("target_code"),
            "event_code": a.get("code"), "root_code": a.get("root"), "quad_class": a.get("quad_class"),
            "goldstein": a.get("goldstein"), "negated": bool(a.get("negated")), "modality": a.get("modality"),
            "status": a.get("status") or ("negated" if a.get("negated") else "asserted"),
            "evidence_start": sp.start, "evidence_end": sp.end, "evidence": doc.text[sp.start:sp.end],
            "url": doc.meta.get("url"), "outlet": doc.meta.get("outlet"),
        })
    return rows


def to_tsv(rows: Iterable[dict], header: bool = True) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if header:
        w.writerow(COLUMNS)
    for r in rows:
        w.writerow(["" if r.get(c) is None else (str(r[c]).replace("\n", " ").replace("\t", " ")) for c in COLUMNS])
    return buf.getvalue()


def to_json(rows: Sequence[dict]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=1) + "\n"


def write_parquet(rows: Sequence[dict], path: str) -> int:
    from ..io.parquet import require_pyarrow
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    fields = [pa.field(c, getattr(pa, ARROW_TYPES.get(c, "string"))()) for c in COLUMNS]
    cols = {c: [r.get(c) for r in rows] for c in COLUMNS}
    table = pa.table(cols, schema=pa.schema(fields))
    pq.write_table(table, path)
    return len(rows)
