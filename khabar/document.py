"""The data model: an immutable Document, annotation Spans, and the versioned JSON schema.

A Document's ``text`` is the canonical text (Unicode NFC, line endings unified to ``\\n``) and is never changed
after construction.  Every annotation is a :class:`Span` whose ``start``/``end`` are code-point offsets into that
text (half-open).  Stages never mutate a Document: :meth:`Document.with_layers` returns a new one.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple

from .errors import SchemaError

SCHEMA_VERSION = "1.0"


class Span(NamedTuple):
    """A half-open ``[start, end)`` span of the document text, a label and optional attributes."""

    start: int
    end: int
    label: str = ""
    attrs: Mapping[str, Any] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.attrs.get(key, default) if self.attrs else default

    def to_json(self, text: str | None = None) -> dict:
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if text is not None:
            out["text"] = text[self.start:self.end]
        if self.label:
            out["label"] = self.label
        if self.attrs:
            for k, v in self.attrs.items():
                out[k] = _jsonable(v)
        return out

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Span":
        attrs = {k: v for k, v in d.items() if k not in ("start", "end", "label", "text")}
        return cls(int(d["start"]), int(d["end"]), d.get("label", ""), attrs or None)


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, Span):
        return v.to_json()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (dict, Mapping)):
        return {k: _jsonable(x) for k, x in v.items()}
    if hasattr(v, "to_json"):
        return v.to_json()
    return v


def canonical_text(text: str) -> str:
    """NFC, ``\\r\\n``/``\\r`` → ``\\n``, NUL and other C0 controls (except tab/newline) → space.

    The result is the text every offset points into.  Control characters are replaced one for one, so the text
    keeps its length and a reader can still see where they were.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if _HAS_CTRL.search(text):
        text = _HAS_CTRL.sub(" ", text)
    return text


import re as _re  # noqa: E402  (kept local to the helpers above)

_HAS_CTRL = _re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_id(text: str) -> str:
    """Stable id of a canonical text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    """An article: canonical text, metadata and annotation layers (name → tuple of Spans, or a value)."""

    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    layers: Mapping[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self):
        if not self.id:
            object.__setattr__(self, "id", text_id(self.text))
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))
        object.__setattr__(self, "layers", MappingProxyType(dict(self.layers)))

    @classmethod
    def from_text(cls, text: str, **meta: Any) -> "Document":
        if not isinstance(text, str):
            raise TypeError(f"Document text must be str, not {type(text).__name__}")
        meta = {k: v for k, v in meta.items() if v is not None}
        return cls(canonical_text(text), meta)

    # layers -------------------------------------------------------------------------------------------------
    def with_layers(self, **layers: Any) -> "Document":
        new = dict(self.layers)
        for k, v in layers.items():
            new[k] = tuple(v) if isinstance(v, list) else v
        return Document(self.text, self.meta, new, self.id)

    def layer(self, name: str, default: Any = ()) -> Any:
        return self.layers.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.layers

    def __getitem__(self, name: str) -> Any:
        return self.layers[name]

    def span_text(self, span: Span) -> str:
        return self.text[span.start:span.end]

    @property
    def sentences(self):
        return self.layers.get("sentences", ())

    @property
    def tokens(self):
        return self.layers.get("tokens", ())

    # JSON ---------------------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        """The whole analysed document as one JSON object (schema ``SCHEMA_VERSION``)."""
        from .schema import export_layers

        out: dict[str, Any] = {"schema": f"khabar.document/{SCHEMA_VERSION}", "id": self.id,
                               "meta": dict(self.meta), "text": self.text}
        out.update(export_layers(self))
        return out

    def dumps(self, indent: int | None = None) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "Document":
        from .schema import import_layers

        if not isinstance(d, Mapping) or "text" not in d or not isinstance(d["text"], str):
            raise SchemaError("a khabar document needs a string \"text\"")
        schema = d.get("schema", "")
        if schema and not str(schema).startswith("khabar.document/1."):
            raise SchemaError(f"unsupported schema {schema!r}; this khabar reads khabar.document/1.x")
        layers = import_layers(d)
        return cls(d["text"], d.get("meta") or {}, layers, d.get("id") or "")

    @classmethod
    def loads(cls, s: str) -> "Document":
        return cls.from_json(json.loads(s))

