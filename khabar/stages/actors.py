"""``actors`` stage: clusters of entity mentions in one document that name the same thing
(:mod:`khabar.actors.cluster`: countries, same name, acronyms, person names, roles).

Each actor: ``{id, name, type, key, mentions: [{start, end, text}], iso3?}``; entities get ``attrs["actor"]``.
The outlet's own credit (the dateline's agency, a known outlet alone in brackets) is no actor: its mentions get
``attrs["outlet"] = True``; currencies and units are no actors (version 2).
"""
from __future__ import annotations

from ..actors import cluster_actors
from ..document import Document
from ..pipeline import Stage, register


@register
class ActorsStage(Stage):
    name = "actors"
    version = "2"
    requires = ("entities", "normalized")
    produces = ("actors", "entities")

    def __call__(self, doc: Document) -> Document:
        actors, entities = cluster_actors(doc)
        return doc.with_layers(actors=actors, entities=entities)
