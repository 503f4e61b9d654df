"""Actors: the things a document's entity mentions name, as clusters of mentions (:mod:`.cluster`), and the name
keys and country index they are matched on (:mod:`.names`)."""
from .cluster import cluster_actors
from .names import TYPE_KEY, PlaceIndex, name_key, place_index

__all__ = ["TYPE_KEY", "PlaceIndex", "cluster_actors", "name_key", "place_index"]
