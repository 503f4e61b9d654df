"""``events`` stage: who did what to whom, coded in CAMEO (see :mod:`khabar.events.extract`).

Layer ``events``: Spans over the evidence with attrs ``code``, ``root``, ``quad_class``, ``goldstein``, ``source``,
``source_code``, ``target``, ``target_code``, ``negated``, ``modality``, ``source_actor``, ``target_actor``,
``trigger``, ``dictionary``, ``status`` (asserted, reported, negated; a denied act is no row).  Both sides of a row
are actors of the article (``source_actor``/``target_actor``: an actors-layer id, ``GPE:`` + ISO3 for a state named
by its name, capital or nisba, or OPP/REB/INS for a collective party named as such).  Reads the tokens (with their clitic segments), the
sentences, the entities and actors (with the speakers the quotes stage added) and the quotes.
"""
from __future__ import annotations

from ..document import Document
from ..events.extract import USE_UP, extract_events
from ..pipeline import Stage, register


@register
class EventsStage(Stage):
    name = "events"
    # KHABAR_EVENTS_UP=1 (read when khabar.events.extract is imported) changes the output: the version says so, so a
    # store or a batch table records which events it holds
    version = "5-up" if USE_UP else "5"
    requires = ("tokens", "sentences", "entities", "actors", "quotes")
    produces = ("events",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(events=tuple(extract_events(doc)))
