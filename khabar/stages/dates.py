"""``dates`` stage: explicit dates and weekdays with a normalised value (:mod:`khabar.dates.find`; see
shared/gold/GUIDELINES.md, "dates")."""
from __future__ import annotations

from ..dates import find_dates
from ..document import Document
from ..pipeline import Stage, register


@register
class DatesStage(Stage):
    name = "dates"
    version = "1"
    requires = ("normalized",)
    produces = ("dates",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(dates=tuple(find_dates(doc.text, doc.layers["normalized"])))
