"""JSON export/import of annotation layers (schema ``khabar.document/1.x``), by their declaration in
:mod:`khabar.layers`.

A ``spans`` or ``tokens`` layer is exported as a list of objects with ``start``, ``end`` (code points, end
exclusive), ``text`` (the slice, for the reader's convenience), ``label`` and the span's attributes, plus the
layer's aliases (``quotes``: ``content`` / ``content_start`` / ``content_end``; ``sources``: ``source``), which the
gold scorer (``shared/gold/score.py``) reads.  A ``record`` layer is exported as its JSON value.  ``view`` and
``internal`` layers (the normalisation view, stage markers, shared intermediate analyses) are not exported.
"""
from __future__ import annotations

from typing import Any, Mapping

from .document import Span, _jsonable
from .errors import SchemaError
from .layers import get_layer

# top-level keys of a document JSON that are not layers
RESERVED = {"schema", "id", "meta", "text"}


def export_layers(doc) -> dict[str, Any]:
    out: dict[str, Any] = {}
    text = doc.text
    for name, value in doc.layers.items():
        layer = get_layer(name)
        if layer is None:
            raise SchemaError(f"layer {name!r} is not declared in khabar.layers; declare it to export it")
        if not layer.exported:
            continue
        if layer.kind == "record":
            out[name] = _jsonable(value)
            continue
        if layer.kind == "tokens":
            out[name] = value.to_json(text)
            continue
        items = []
        for sp in value:
            d = sp.to_json(text)
            for alias, key in layer.aliases:
                d[alias] = d[key]
            items.append(d)
        out[name] = items
    return out


def import_layers(d: Mapping[str, Any]) -> dict[str, Any]:
    layers: dict[str, Any] = {}
    for name, value in d.items():
        if name in RESERVED:
            continue
        layer = get_layer(name)
        if layer is None or not layer.exported:
            raise SchemaError(f"unknown layer {name!r} in a khabar document")
        if layer.kind == "record":
            layers[name] = () if isinstance(value, list) and not value else value
            continue
        if not isinstance(value, list) or not all(isinstance(x, Mapping) and "start" in x and "end" in x
                                                  for x in value):
            raise SchemaError(f"layer {name!r} must be a list of objects with \"start\" and \"end\"")
        drop = {alias for alias, _ in layer.aliases}
        spans = tuple(Span.from_json({k: v for k, v in x.items() if k not in drop}) for x in value)
        if layer.kind == "tokens" and isinstance(d.get("text"), str):
            from .text.tokenize import TokenLayer
            spans = TokenLayer.from_spans(d["text"], spans)
        layers[name] = spans
    return layers
