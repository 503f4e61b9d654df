"""``quotes``: reported speech with its speaker (see shared/gold/GUIDELINES.md, "quotes").

Spans over the quote *content* with ``attrs``: ``kind`` (direct|indirect), ``speaker`` (the fullest name the
article gives, or None), ``speaker_mention`` ([start, end] or None) and ``speaker_mention_text``, ``cue``
([start, end]) and ``cue_text``, ``speaker_type`` (PER/ORG/GPE/DOC).  The sieve is in
:mod:`khabar.attribution`; its analysis, made once by the internal ``attribution`` stage, is shared with
the ``sources`` stage.  Each speaker is then tied to an actor of the ``actors`` layer (a speaker no actor holds
becomes one), so this stage also writes ``actors``.
"""
from __future__ import annotations

from ..actors.speakers import link_speakers
from ..document import Document
from ..pipeline import Stage, register


@register
class QuotesStage(Stage):
    name = "quotes"
    version = "2"
    requires = ("attribution", "actors")
    produces = ("quotes", "actors")

    def __call__(self, doc: Document) -> Document:
        quotes, actors = link_speakers(doc.text, tuple(doc.layers["attribution"].quotes), doc.layers["actors"],
                                       doc_id=doc.id)
        return doc.with_layers(quotes=quotes, actors=actors)
