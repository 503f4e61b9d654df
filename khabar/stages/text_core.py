"""The text core as pipeline stages: normalisation view, tokens, sentences, clitic segments."""
from __future__ import annotations

from itertools import compress, repeat
from operator import is_not

from ..document import Document
from ..pipeline import Stage, register
from ..text.normalize import normalize
from ..text.segment import get_segmenter
from ..text.sentences import split_sentences
from ..text.tokenize import SegmentMap, tokenize


@register
class NormalizeStage(Stage):
    """``normalized``: the folded view of the text with its offset map (not exported to JSON)."""
    name = "normalize"
    produces = ("normalized",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(normalized=normalize(doc.text))


@register
class TokensStage(Stage):
    name = "tokens"
    produces = ("tokens",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(tokens=tokenize(doc.text))


@register
class SentencesStage(Stage):
    name = "sentences"
    produces = ("sentences",)

    def __call__(self, doc: Document) -> Document:
        return doc.with_layers(sentences=split_sentences(doc.text))


_MISSING = object()


@register
class SegmentsStage(Stage):
    """Adds clitic segments to word tokens: ``attrs["segments"] = [[start, end, form], ...]``.

    Only tokens that split into two or more segments carry the attribute; a token without it is one segment.
    ``form`` is the segment in the Farasa convention (``لل`` → ``ل`` + ``ال``), ``start``/``end`` are offsets into
    the document text.
    """
    name = "segments"
    version = "1"
    requires = ("tokens",)
    produces = ("tokens", "segments")

    def __init__(self):
        self._cache: dict[str, tuple | None] = {}

    def _analysis(self, word: str):
        seg = get_segmenter()
        forms = seg.segment(word)
        if len(forms) < 2:
            return None
        spans = seg.segment_spans(word)
        return tuple((s, e, f) for (s, e), f in zip(spans, forms))

    def __call__(self, doc: Document) -> Document:
        tokens = doc.tokens
        cache = self._cache
        # one C-level pass of cache look-ups; Python only touches the tokens that split (or are new)
        found = list(map(cache.get, tokens.strings, repeat(_MISSING, len(tokens.strings))))
        split = list(compress(range(len(found)), map(is_not, found, repeat(None))))
        segments = dict(zip(split, map(found.__getitem__, split)))
        for i, an in list(segments.items()):
            if an is _MISSING:
                w = tokens.strings[i]
                an = cache.get(w, _MISSING)
                if an is _MISSING:
                    an = cache[w] = self._analysis(w)
                    if len(cache) > 500_000:
                        cache.clear()
                if an is None:
                    del segments[i]
                else:
                    segments[i] = an
        return doc.with_layers(tokens=tokens.with_segments(SegmentMap(segments, tokens.starts)),
                               segments=len(segments))
