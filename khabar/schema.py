"""JSON export/import of annotation layers (schema ``khabar.document/1.x``).

Every span-valued layer is exported as a list of objects with ``start``, ``end`` (code points, end exclusive),
``text`` (the slice, for the reader's convenience), ``label`` and the span's attributes.  A few layers add
aliases that the gold scorer (``shared/gold/score.py``) reads:

* ``quotes``: ``content`` / ``content_start`` / ``content_end`` (= text / start / end of the content span);
* ``sources``: ``source`` (= text of the source span).

Layers whose value is not a sequence of spans (``dateline``, ``topic``, ``actors``) are exported by their
``to_json`` or as they are.  Derived, re-computable layers (the normalisation view) are not exported.
"""
from __future__ import annotations

from typing import Any, Mapping

from .document import Span, _jsonable

NOT_EXPORTED = {"normalized", "segments"}  # derived views and stage markers
ALIASES = {
    "quotes": (("content", "text"), ("content_start", "start"), ("content_end", "end")),
    "sources": (("source", "text"),),
}
# top-level keys of a document JSON that are not layers
RESERVED = {"schema", "id", "meta", "text"}


def export_layers(doc) -> dict[str, Any]:
    out: dict[str, Any] = {}
    text = doc.text
    for name, value in doc.layers.items():
        if name in NOT_EXPORTED or name.startswith("_"):
            continue
        if hasattr(value, "to_json") and not isinstance(value, Span) and name == "tokens":
            out[name] = value.to_json(text)
        elif isinstance(value, tuple) and (not value or isinstance(value[0], Span)):
            items = []
            aliases = ALIASES.get(name, ())
            for sp in value:
                d = sp.to_json(text)
                for alias, key in aliases:
                    d[alias] = d[key]
                items.append(d)
            out[name] = items
        else:
            out[name] = _jsonable(value)
    return out


def import_layers(d: Mapping[str, Any]) -> dict[str, Any]:
    layers: dict[str, Any] = {}
    for name, value in d.items():
        if name in RESERVED:
            continue
        if isinstance(value, list) and value and all(isinstance(x, Mapping) and "start" in x and "end" in x
                                                      for x in value):
            drop = {alias for alias, _ in ALIASES.get(name, ())}
            layers[name] = tuple(Span.from_json({k: v for k, v in x.items() if k not in drop}) for x in value)
            if name == "tokens" and isinstance(d.get("text"), str):
                from .text.tokenize import TokenLayer
                layers[name] = TokenLayer.from_spans(d["text"], layers[name])
        elif isinstance(value, list) and not value:
            layers[name] = ()
        else:
            layers[name] = value
    return layers
