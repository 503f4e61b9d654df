"""``attribution`` (internal): the attribution analysis that the ``sources`` and ``quotes`` stages share.

One pass of the sieve in :mod:`khabar.attribution` finds both the cited sources and the quotations with
their speakers, so it runs once, as a stage of its own, and hands its :class:`~khabar.attribution.Result`
to both in the internal ``attribution`` layer (never exported).  It reads the normalisation view and the entities
(as the actors stage leaves them).
"""
from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register
from ..attribution import analyze_attribution


@register
class AttributionStage(Stage):
    name = "attribution"
    version = "2"
    requires = ("normalized", "entities")
    produces = ("attribution",)

    def __call__(self, doc: Document) -> Document:
        layers = doc.layers
        return doc.with_layers(attribution=analyze_attribution(doc.text, layers["normalized"], layers["entities"]))
