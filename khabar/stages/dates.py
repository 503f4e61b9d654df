"""``dates`` stage: explicit dates and weekdays with a normalised value (:mod:`khabar.dates.find`; see
shared/gold/GUIDELINES.md, "dates")."""
from __future__ import annotations

from ..dates import find_dates
from ..document import Document
from ..pipeline import Stage, register
from ..text.normalize import normalize

__all__ = ["DatesStage", "find_dates"]


@register
class DatesStage(Stage):
    name = "dates"
    version = "1"
    requires = ("tokens",)
    produces = ("dates",)

    def __call__(self, doc: Document) -> Document:
        view = doc.layers.get("normalized")
        if view is None or getattr(view, "original_length", -1) != len(doc.text):
            view = normalize(doc.text)
        return doc.with_layers(dates=tuple(find_dates(doc.text, view)))
