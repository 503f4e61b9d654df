"""``responses``: denials, confirmations and replies to a claim within one article (shared/gold/GUIDELINES.md,
"responses"); the rules are in :mod:`khabar.responses`.

Spans over the evidence, label = the stance (deny|confirm|respond), with ``attrs``: ``stance``, ``cue`` ([start,
end]) and ``cue_text``, ``speaker``, ``speaker_actor``, ``speaker_key`` (as quotes have), ``quote`` (index in the
``quotes`` layer of the quote that carries it, or None), ``claim_quotes`` (indices of the quotes that state the
claim), ``claim_speaker`` and ``claim_actor``, ``claim_mention`` with ``claim_start``/``claim_end`` (or None).
"""
from __future__ import annotations

from ..document import Document
from ..pipeline import Stage, register
from ..responses import find_responses


@register
class ResponsesStage(Stage):
    name = "responses"
    version = "1"
    requires = ("normalized", "sentences", "actors", "quotes")
    produces = ("responses",)

    def __call__(self, doc: Document) -> Document:
        layers = doc.layers
        return doc.with_layers(responses=find_responses(doc.text, layers["normalized"], layers["quotes"],
                                                        layers["actors"], layers["sentences"]))
