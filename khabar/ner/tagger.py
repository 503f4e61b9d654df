"""CRF named-entity tagger (PER, ORG, LOC, MISC; BIO tags). CPU only, no torch.

Run time decodes with khabar.ner.fastcrf (numpy, exact Viterbi of the CRFsuite model), optionally with the label
log-probabilities of the neural scorer (khabar.ner.neural, numpy) added to the CRF's state scores;
python-crfsuite is the fallback (fast=False: the CRF alone) and serves o_threshold > 0 (marginals)."""
from __future__ import annotations

import json
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

    def __init__(self, resource_dir: str | Path = RESOURCE_DIR, model_file: str = "model.crfsuite",
                 fast: bool = True, use_wordtable: bool = True, neural: bool | float | None = None):
        """`fast`: decode with khabar.ner.fastcrf (exact numpy Viterbi over the model's
        weights, exported once to weights.npz next to the model); `fast=False`, or a
        tagger.json o_threshold > 0 (needs marginals), decodes with python-crfsuite. `use_wordtable`: take the
        scores of the frequent news words from the shipped table (khabar.ner.wordtable) when it is fresh.
        `neural`: None, as tagger.json says (``neural_weight``); False, the CRF alone; True or a weight, the CRF
        plus the neural scorer of neural.npz with that weight (1.0 for True when tagger.json gives none)."""
        self.resource_dir = Path(resource_dir)
        model_path = self.resource_dir / model_file
        if not model_path.exists():
            raise FileNotFoundError(f"NER model not found: {model_path} (run training/train_ner.py)")
        self.model_path = model_path
        self.resources = Resources.load(self.resource_dir)
        self.features = FeatureExtractor(self.resources)
        self._lock = threading.Lock()  # a crfsuite Tagger / the fast decoder's cache is not thread-safe
        cfg_path = self.resource_dir / "tagger.json"
        cfg = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.exists() else {}
        # recall knob, tuned on a dev split: a token Viterbi left as O is relabelled
        # with its best entity tag when its marginal P(O) falls below this
        self.o_threshold = float(cfg.get("o_threshold", 0.0))
        # the neural scorer (khabar.ner.neural): its label log-probabilities, times this weight, are added to the
        # CRF's state scores before Viterbi (fast decoder only); `neural=False` (or a weight of 0) is the CRF alone
        w = float(cfg.get("neural_weight", 0.0))
        if neural is False:
            w = 0.0
        elif neural is True:
            w = w if w > 0.0 else 1.0
        elif neural is not None:
            w = float(neural)
        self.neural_weight = w
        self._neural_path = self.resource_dir / cfg.get("neural", "neural.npz")
        if self.neural_weight > 0.0 and not self._neural_path.exists():
            raise FileNotFoundError(f"NER neural model not found: {self._neural_path} "
                                    "(run training/train_ner_neural.py)")
        self._neural = None  # loaded on first use
        # the stacked second stage (khabar.ner.stack): a CRF over stage 1's scores and labels and what stage 1
        # said elsewhere in the same document; used by tag_documents() (fast decoder only)
        self._stage2_file = cfg.get("stage2") or None
        self._stage2 = None
        self._tagger = None
        self._fast = None
        if fast and self.o_threshold <= 0.0:
            from .fastcrf import FastCRF, load_for_model

            wname = "weights.npz" if model_file == "model.crfsuite" else Path(model_file).stem + ".weights.npz"
            labels, index, A, T, model_sha1 = load_for_model(model_path, self.resource_dir / wname)
            self._fast = FastCRF(self.features, labels, index, A, T)
            self._model_sha1 = model_sha1
            if model_file == "model.crfsuite" and use_wordtable:
                # the shipped per-word scores of the frequent news words (training/build_ner_wordtable.py), used
                # only when built from this very model, resources and code (the tags are the same); read once
                # the decoder has met enough new words to repay its loading (not for one short article)
                self._fast.table_loader = self._read_wordtable
            self._labels = [y for y in labels if y != "O"]
        else:
            self._open_crfsuite()

    def _open_crfsuite(self):
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model_path))
        self._labels = [y for y in self._tagger.labels() if y != "O"]

    @property
    def wordtable_digest(self) -> str:
        """The digest a word table must carry to be used with this model (khabar.ner.wordtable.digest)."""
        from . import wordtable

        return wordtable.digest(self._model_sha1, self.resource_dir)

    def _read_wordtable(self):
        from . import wordtable

        return wordtable.load(self.resource_dir / wordtable.FILENAME, self.wordtable_digest)

    def load_wordtable(self):
        """Read the shipped word table now (it is otherwise read after the first LAZY_WORDS new words); the table,
        or None when there is none or it is stale."""
        if self._fast is not None and self._fast.table_loader is not None:
            with self._lock:
                self._fast.table = self._fast.table_loader()
                self._fast.table_loader = None
        return self._fast.table if self._fast is not None else None

    def _neural_scorer(self):
        if self._neural is None:
            from .neural import NeuralScorer

            sc = NeuralScorer(self._neural_path, self.features)
            self._neural_cols = [sc.labels.index(y) for y in self._fast.labels]
            self._neural = sc
        return self._neural

    def _tag_fast(self, seqs: list[list[str]]) -> list[list[str]]:
        fast = self._fast
        if self.neural_weight <= 0.0 or self._fast is None:
            return fast.tag_many(seqs)
        nonempty = [s for s in seqs if s]
        if not nonempty:
            return [[] for _ in seqs]
        S, _idx, starts, lens = fast.scores_many(nonempty)
        sc = self._neural_scorer()
        S += self.neural_weight * sc.logprobs_many(nonempty)[:, self._neural_cols]
        tags = iter(fast.viterbi_many(S, starts, lens))
        return [next(tags) if s else [] for s in seqs]

    @property
    def fast(self) -> bool:
        return self._fast is not None

    def clear_cache(self):
        """Drop the per-word caches (feature strings and, on the fast path, score vectors)."""
        with self._lock:
            self.features._cache.clear()
            if self._fast is not None:
                self._fast.clear_cache()
            if self._neural is not None:
                self._neural.clear_cache()

    def tag(self, tokens: list[str]) -> list[str]:
        """BIO tags (B-PER/I-PER/B-ORG/I-ORG/B-LOC/I-LOC/B-MISC/I-MISC/O), one per token."""
        tokens = list(tokens)
        if not tokens:
            return []
        # crfsuite cannot take empty feature strings; tokens are used as given
        toks = [t if t else "_" for t in tokens]
        if self._fast is not None:
            with self._lock:
                return self._tag_fast([toks])[0]
        xseq = self.features.sent_features(toks)
        with self._lock:
            return decode(self._tagger, xseq, self._labels, self.o_threshold)

    def tag_many(self, sents: Iterable[list[str]]) -> list[list[str]]:
        """tag() of each token list; on the fast path all of them are scored and decoded
        together (one numpy step per role / per position instead of per sentence / token),
        with exactly the tags tag() gives each of them."""
        # (a list without an empty token is passed as it is: one C-level test instead of a copy)
        seqs = [[t if t else "_" for t in s] if "" in s else s for s in map(list, sents)]
        if self._fast is not None:
            with self._lock:
                return self._tag_fast(seqs)
        return [self.tag(s) for s in seqs]

    def tag_sents(self, sents: Iterable[list[str]]) -> list[list[str]]:
        return self.tag_many(sents)

    @property
    def stacked(self) -> bool:
        """Whether tag_documents() runs the stacked second stage (tagger.json names one; fast decoder only)."""
        return self._stage2_file is not None and self._fast is not None and self.neural_weight <= 0.0

    def _stage2_model(self):
        if self._stage2 is None:
            from .stack import Stage2

            mp = self.resource_dir / self._stage2_file
            self._stage2 = Stage2(mp, mp.with_suffix(".weights.npz"), self._fast.labels, self.resources.rank)
        return self._stage2

    def tag_documents(self, docs: Iterable[list[list[str]]]) -> list[list[list[str]]]:
        """The tags of every sentence of every document (a document: its token lists).  With a stacked second
        stage, each document's tags are revised by what stage 1 said elsewhere in that document; without one,
        tag_many() of the sentences."""
        docs = [[[t if t else "_" for t in s] if "" in s else list(s) for s in d] for d in docs]
        flat = [s for d in docs for s in d]
        if not self.stacked:
            tags = iter(self.tag_many(flat))
            return [[next(tags) for _ in d] for d in docs]
        ne_docs = [[s for s in d if s] for d in docs]
        nonempty = [s for d in ne_docs for s in d]
        with self._lock:
            if nonempty:
                fast = self._fast
                S, _idx, starts, lens = fast.scores_many(nonempty)
                tags1 = fast.viterbi_many(S, starts, lens)
                tags2 = iter(self._stage2_model().tag_docs(ne_docs, S, starts, lens, tags1))
            else:
                tags2 = iter(())
        return [[next(tags2) if s else [] for s in d] for d in docs]

    def tag_windows(self, sents: Iterable[list[str]], window: int = 40) -> list[list[str]]:
        """Tags of sentences without document boundaries (a CoNLL file): blocks of `window` sentences stand in for
        documents for the stacked second stage (window <= 0: each sentence alone)."""
        sents = list(sents)
        if not self.stacked:
            return self.tag_many(sents)
        w = window if window > 0 else 1
        docs = [sents[a:a + w] for a in range(0, len(sents), w)]
        return [t for d in self.tag_documents(docs) for t in d]

    def entities(self, tokens: list[str]) -> list[tuple[str, int, int, str]]:
        """(type, start, end_exclusive, text) spans found in `tokens`."""
        from .conll import get_entities

        tags = self.tag(tokens)
        return [(t, s, e, " ".join(tokens[s:e])) for t, s, e in get_entities(tags)]


def decode(crf, xseq, labels, o_threshold: float = 0.0) -> list[str]:
    """Viterbi tags, then tokens tagged O whose marginal P(O) < o_threshold get
    their most probable entity tag (I- is turned into B- where no entity of the
    same type precedes, so the output stays valid BIO)."""
    tags = list(crf.tag(xseq))
    if o_threshold <= 0.0:
        return tags
    marginal = crf.marginal
    changed = False
    for t, y in enumerate(tags):
        if y == "O" and marginal("O", t) < o_threshold:
            tags[t] = max(labels, key=lambda lab: marginal(lab, t))
            changed = True
    if changed:
        prev = "O"
        for t, y in enumerate(tags):
            if y.startswith("I-") and (prev == "O" or prev[2:] != y[2:]):
                tags[t] = "B-" + y[2:]
            prev = tags[t]
    return tags


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
