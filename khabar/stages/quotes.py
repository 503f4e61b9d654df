"""``quotes``: reported speech with its speaker (see shared/gold/GUIDELINES.md, "quotes").

Spans over the quote *content* with ``attrs``: ``kind`` (direct|indirect), ``speaker`` (the fullest name the
article gives, or None), ``speaker_mention`` ([start, end] or None) and ``speaker_mention_text``, ``cue``
([start, end]) and ``cue_text``, ``speaker_type`` (PER/ORG/GPE/DOC).  The sieve is in
:mod:`khabar.attribution`; its analysis, made once by the internal ``attribution`` stage, is shared with
the ``sources`` stage.  Each speaker is then tied to an actor of the ``actors`` layer (a speaker no actor holds
becomes one), so this stage also writes ``actors``.
"""
from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register


@register
class QuotesStage(Stage):
    name = "quotes"
    version = "2"
    requires = ("attribution", "actors")
    produces = ("quotes", "actors")

    def __call__(self, doc: Document) -> Document:
        quotes, actors = link_speakers(doc, tuple(doc.layers["attribution"].quotes), doc.layers["actors"])
        return doc.with_layers(quotes=quotes, actors=actors)


def link_speakers(doc: Document, quotes, actors):
    """Tie each quote's speaker to an actor of the document (``speaker_actor``, ``speaker_key``): the one rule of
    :mod:`khabar.actors.speakers`, which also makes a speaker no actor holds an actor of its own."""
    from ..actors.speakers import link_speakers as link

    return link(doc.text, quotes, actors, doc_id=doc.id)
