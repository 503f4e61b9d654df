"""``topic`` stage: what the article is about (``subject``), where (``geography``), and the input's ``section``.

* ``subject`` = ``{"label", "score", "scores"}``, one of politics, economy, sport, culture, technology, health,
  society (:mod:`khabar.topic.subject`; reads the text and ``meta.title``);
* ``geography`` = ``[{"country": ISO 3166 alpha-3, "region", "weight", "mentions"}, ...]``, main country first
  (:mod:`khabar.topic.geography`; reads the text, ``meta.title``, the ``dateline`` layer, the subject (club names
  in sport), and ``meta.outlet``/``meta.url`` (a national outlet's country when the article names no place));
* ``section`` = the section label the input carried (``meta.section``, else ``meta.topic``, which ingest fills from
  a record's ``label``/``topic``/``category``), or None: an outlet's filing, kept beside the subject, never
  predicted.
"""
from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register
from ..topic import classify_subject, geography


@register
class TopicStage(Stage):
    name = "topic"
    version = "5"
    requires = ("dateline",)
    produces = ("subject", "geography", "section")

    def __call__(self, doc: Document) -> Document:
        m = doc.meta
        title = m.get("title") if isinstance(m.get("title"), str) else None
        section = m.get("section") or m.get("topic")
        subject = classify_subject(doc.text, title)
        outlet, url = m.get("outlet"), m.get("url")
        return doc.with_layers(subject=subject,
                               geography=geography(doc.text, title, doc.layers.get("dateline"),
                                                   outlet=outlet if isinstance(outlet, str) else None,
                                                   url=url if isinstance(url, str) else None,
                                                   subject=subject["label"]),
                               section=str(section) if section not in (None, "") else None)
