"""``sources``: attributions of information to an outlet, agency or document that are not quotes.

Spans over the source's name, with ``attrs = {"cue_text", "cue": [start, end]}``.  GUIDELINES decision 1: a
prepositional attribution (وفقا لـ، وفق، بحسب، حسب، نقلا عن) is a source whoever the source is, unless a reporting
verb follows it (``حسب ما قال الوزير`` is a quote); news media as the subject of a reporting verb (``وذكرت وكالة
رويترز أن``) are sources, the verb being the cue.  The analysis is shared with the ``quotes`` stage
(:mod:`khabar.attribution`), made once by the internal ``attribution`` stage.
"""
from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register


@register
class SourcesStage(Stage):
    name = "sources"
    version = "2"
    requires = ("attribution",)
    produces = ("sources",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(sources=tuple(doc.layers["attribution"].sources))
