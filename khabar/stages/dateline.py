"""``dateline`` stage: the opening ``city، country (AGENCY)--`` of a news article (:mod:`khabar.dates.dateline`).

Layer value: ``{"city", "country", "agency", "start", "end"}`` or ``None``.  Reads the text only.
"""
from __future__ import annotations

from ..dates import find_dateline
from ..document import Document
from ..pipeline import Stage, register


@register
class DatelineStage(Stage):
    name = "dateline"
    version = "1"
    requires = ()
    produces = ("dateline",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(dateline=find_dateline(doc.text))
