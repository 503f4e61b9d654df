"""Invariants every analysed Document must hold, whatever its text (used by the fuzz targets and the tests).

* the JSON has the schema's top-level keys, the schema version, a 16-hex-digit id, the text unchanged;
* every span, however deeply nested (layer items, actor mentions, ``cue``/``speaker_mention`` pairs,
  ``*_start``/``*_end`` pairs, token ``segments``), lies within the text, with ``start <= end``, and every
  ``text`` given beside a span is exactly the slice of the text it claims;
* the JSON serialises (UTF-8) and reads back (:meth:`Document.loads`) to the same id and text.
"""
from __future__ import annotations

import json
import re

from khabar.document import SCHEMA_VERSION, Document

_ID = re.compile(r"^[0-9a-f]{16}$")
_PAIR_KEYS = ("cue", "speaker_mention", "evidence", "trigger_span", "span")


class InvariantError(AssertionError):
    pass


def _fail(msg: str, path: str):
    raise InvariantError(f"{path}: {msg}")


def _span_ok(s, e, n: int, path: str) -> None:
    if not (isinstance(s, int) and isinstance(e, int)) or isinstance(s, bool) or isinstance(e, bool):
        _fail(f"offsets are not integers: {s!r}, {e!r}", path)
    if not (0 <= s <= e <= n):
        _fail(f"span [{s}, {e}) outside the text (length {n})", path)


def _walk(x, text: str, path: str) -> None:
    n = len(text)
    if isinstance(x, dict):
        if "start" in x and "end" in x and isinstance(x["start"], int) and isinstance(x["end"], int):
            _span_ok(x["start"], x["end"], n, path)
            if isinstance(x.get("text"), str) and x["text"] != text[x["start"]:x["end"]]:
                _fail(f"text {x['text'][:40]!r} is not the slice [{x['start']}, {x['end']})", path)
        for k, v in x.items():
            p = f"{path}.{k}"
            if k in _PAIR_KEYS and isinstance(v, list) and len(v) == 2 and all(isinstance(i, int) for i in v):
                _span_ok(v[0], v[1], n, p)
            elif k.endswith("_start") and isinstance(v, int):
                e = x.get(k[:-6] + "_end")
                if isinstance(e, int):
                    _span_ok(v, e, n, p)
            elif k == "segments" and isinstance(v, list):
                for j, seg in enumerate(v):
                    if not (isinstance(seg, list) and len(seg) >= 2):
                        _fail(f"segment {seg!r} is not [start, end, form]", f"{p}[{j}]")
                    _span_ok(seg[0], seg[1], n, f"{p}[{j}]")
                    if "start" in x and not (x["start"] <= seg[0] <= seg[1] <= x["end"]):
                        _fail(f"segment {seg[:2]} outside its token [{x['start']}, {x['end']})", f"{p}[{j}]")
            else:
                _walk(v, text, p)
    elif isinstance(x, list):
        for j, v in enumerate(x):
            _walk(v, text, f"{path}[{j}]")


def check_document(doc: Document, original: str | None = None) -> dict:
    """Check the invariants; return the document's JSON.  Raises :class:`InvariantError`."""
    text = doc.text
    if original is not None and text != Document.from_text(original).text:
        _fail("the text changed during the analysis", "text")
    d = doc.to_json()
    if d.get("schema") != f"khabar.document/{SCHEMA_VERSION}":
        _fail(f"schema is {d.get('schema')!r}", "schema")
    if not isinstance(d.get("id"), str) or not _ID.match(d["id"]):
        _fail(f"id {d.get('id')!r} is not 16 hex digits", "id")
    if d.get("text") != text or not isinstance(d.get("meta"), dict):
        _fail("text or meta missing", "document")
    for k, v in d.items():
        if k not in ("schema", "id", "meta", "text"):
            _walk(v, text, k)
    s = json.dumps(d, ensure_ascii=False)
    s.encode("utf-8")
    back = Document.loads(s)
    if back.id != doc.id or back.text != text:
        _fail("the JSON does not read back to the same document", "json")
    return d
