"""khabar.ner: CRF named-entity recognition for Arabic news (PER, ORG, LOC, MISC).

    from khabar.ner import get_tagger
    get_tagger().tag(["قال", "الرئيس", "محمود", "عباس"])
"""
from .conll import evaluate, get_entities, read_conll
from .tagger import LABELS, NerTagger, get_tagger

__all__ = ["NerTagger", "get_tagger", "read_conll", "evaluate", "get_entities", "LABELS"]
