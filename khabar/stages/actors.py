"""``actors`` stage: clusters of entity mentions in one document that name the same thing
(:mod:`khabar.actors.cluster`: countries, same name, acronyms, person names, roles).

Each actor: ``{id, name, type, key, mentions: [{start, end, text}], iso3?}``; entities get ``attrs["actor"]``.
"""
from __future__ import annotations

from ..actors import cluster_actors
from ..document import Document
from ..pipeline import Stage, register


@register
class ActorsStage(Stage):
    name = "actors"
    version = "1"
    requires = ("entities", "normalized")
    produces = ("actors", "entities")

    def __call__(self, doc: Document) -> Document:
        actors, entities = cluster_actors(doc)
        return doc.with_layers(actors=actors, entities=entities)
