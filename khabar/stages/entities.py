"""``entities`` stage: PER, ORG, LOC, MISC spans from the CRF tagger (``khabar.ner``), over sentence tokens, with
document-level label consistency (``khabar.ner.docprop``) and the rule passes of :mod:`khabar.ner.entities`
(proclitics stripped, acronyms split, known places, organisation phrases, quoted sources).
"""
from __future__ import annotations

from ..document import Document
from ..ner.entities import entity_spans, windows
from ..pipeline import Stage, register


@register
class EntitiesStage(Stage):
    name = "entities"
    version = "4"
    requires = ("tokens", "sentences", "segments")
    produces = ("entities",)

    batched = True

    def __call__(self, doc: Document) -> Document:
        return self.finish(doc, self.prepare_many([doc])[0])

    def prepare_many(self, docs) -> list:
        """(windows, their tokens, their tags) of each document: the windows of all the documents are tagged in
        one batch -- the tags each gets alone, with a fraction of the decoder's per-call work."""
        from ..ner.tagger import get_tagger

        parts = [windows(d) for d in docs]
        tagger = get_tagger()
        if tagger.stacked:
            return [(w, c, t) for (w, c), t in zip(parts, tagger.tag_documents([c for _, c in parts]))]
        every = [c for _, chunks in parts for c in chunks]
        tags = iter(tagger.tag_many(every) if every else [])
        return [(w, c, [next(tags) for _ in c]) for w, c in parts]

    def finish(self, doc: Document, prepared) -> Document:
        firsts, chunks, tags = prepared
        return doc.with_layers(entities=tuple(entity_spans(doc, firsts, chunks, tags)))
