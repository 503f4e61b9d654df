"""khabar (خبر): reads Arabic news and turns it into facts a person can check.

>>> import khabar
>>> doc = khabar.analyze("قال الوزير إن الاجتماع سيعقد غدا.")
>>> [doc.span_text(s) for s in doc.sentences]
['قال الوزير إن الاجتماع سيعقد غدا.']
"""
from __future__ import annotations

from typing import Any, Sequence

from .document import SCHEMA_VERSION, Document, Span
from .errors import KhabarError

__version__ = "0.1.0"
__all__ = ["analyze", "Document", "Span", "KhabarError", "SCHEMA_VERSION", "__version__"]


def analyze(text: str | Document, *, only: Sequence[str] | None = None, max_chars: int | None = None,
            timeout: float | None = None, **meta: Any) -> Document:
    """Analyse one article with the default pipeline (or the stages in ``only`` and what they need).

    ``max_chars`` / ``timeout``: per-article limits (:mod:`khabar.limits`; default: none) — a longer article
    raises ``InputTooLargeError`` (E105), a slower analysis ``ArticleTimeoutError`` (E503)."""
    from .pipeline import default_pipeline

    if max_chars and not isinstance(text, Document) and len(text) > max_chars:
        from .limits import too_long
        raise too_long(len(text), max_chars, meta.get("external_id") or meta.get("url") or meta.get("title"))
    doc = text if isinstance(text, Document) else Document.from_text(text, **meta)
    return default_pipeline(only)(doc, max_chars=max_chars, timeout=timeout)
