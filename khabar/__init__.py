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


def analyze(text: str | Document, *, only: Sequence[str] | None = None, **meta: Any) -> Document:
    """Analyse one article with the default pipeline (or the stages in ``only`` and what they need)."""
    from .pipeline import default_pipeline

    doc = text if isinstance(text, Document) else Document.from_text(text, **meta)
    return default_pipeline(only)(doc)
