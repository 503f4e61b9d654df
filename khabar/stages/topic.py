"""``topic`` stage: the article's topic among ANT's six labels, with a calibrated probability.

Layer ``topic`` = ``{"label": str, "score": float, "scores": {label: float}}``; the model is in
:mod:`khabar.topic.model`.  Reads the text and the title, outlet and URL host of ``meta``.
"""
from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register
from ..topic import classify


@register
class TopicStage(Stage):
    name = "topic"
    version = "3"
    requires = ()
    produces = ("topic",)

    def __call__(self, doc: Document) -> Document:
        m = doc.meta
        return doc.with_layers(topic=classify(doc.text, m.get("title"), m.get("outlet"), m.get("url")))
