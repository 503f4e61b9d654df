"""CRF named-entity tagger (PER, ORG, LOC, MISC; BIO tags). CPU only, no torch."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable

from .features import RESOURCE_DIR, FeatureExtractor, Resources

LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")


class NerTagger:
    """Named-entity tagger over pre-tokenised text.

    >>> tagger = NerTagger()
    >>> tagger.tag(["قال", "الرئيس", "محمود", "عباس", "في", "رام", "الله"])
    ['O', 'O', 'B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC']
    """

    def __init__(self, resource_dir: str | Path = RESOURCE_DIR, model_file: str = "model.crfsuite"):
        import pycrfsuite

        self.resource_dir = Path(resource_dir)
        model_path = self.resource_dir / model_file
        if not model_path.exists():
            raise FileNotFoundError(f"NER model not found: {model_path} (run training/train_ner.py)")
        self.resources = Resources.load(self.resource_dir)
        self.features = FeatureExtractor(self.resources)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        self._lock = threading.Lock()  # a crfsuite Tagger is not thread-safe

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (B-PER/I-PER/B-ORG/I-ORG/B-LOC/I-LOC/B-MISC/I-MISC/O), one per token."""
        tokens = list(tokens)
        if not tokens:
            return []
        # crfsuite cannot take empty feature strings; tokens are used as given
        toks = [t if t else "_" for t in tokens]
        xseq = self.features.sent_features(toks)
        with self._lock:
            return list(self._tagger.tag(xseq))

    def tag_sents(self, sents: Iterable[list[str]]) -> list[list[str]]:
        return [self.tag(s) for s in sents]

    def entities(self, tokens: list[str]) -> list[tuple[str, int, int, str]]:
        """(type, start, end_exclusive, text) spans found in `tokens`."""
        from .conll import get_entities

        tags = self.tag(tokens)
        return [(t, s, e, " ".join(tokens[s:e])) for t, s, e in get_entities(tags)]


_SINGLETON: NerTagger | None = None
_SINGLETON_LOCK = threading.Lock()


def get_tagger() -> NerTagger:
    """Process-wide NerTagger, loaded on first use."""
    global _SINGLETON
    if _SINGLETON is None:
        with _SINGLETON_LOCK:
            if _SINGLETON is None:
                _SINGLETON = NerTagger()
    return _SINGLETON
