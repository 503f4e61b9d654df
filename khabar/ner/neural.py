"""A small neural NER scorer (numpy only at run time), combined with the CRF (khabar.ner.tagger).

Model (trained with PyTorch by ``training/train_ner_neural.py``, exported to ``neural.npz``):

* a word encoder: embeddings of the word's normalised form, its clitic-stripped form, its four word clusters
  (k = 64 .. 4096, from the unlabelled news), the cluster of its form with the article, its label-propagation
  value, shape, proclitics, trigger class, frequency-rank bucket and lexicon class (the same word-level facts the
  CRF's features read, from the same ``Resources``), plus a character CNN over the normalised form (width 3,
  max-pooled); concatenated and projected (ReLU) to D dimensions.  It depends on the word alone, so each word's
  vector is computed once and cached (like the CRF decoder's per-word score vectors);
* over the sentence, a few residual 1-D convolutions (kernel 3, dilations such as 1, 2, 4; ReLU), each with the
  positions outside the sentence held at zero;
* a linear layer to the nine BIO labels; log-softmax.

All the sentences of a call are laid end to end with gaps of zeros between them, so that each layer is three
matrix products over the whole batch.  The label log-probabilities are added, times a weight chosen on a dev
split, to the CRF's state scores before its Viterbi (a product of the two models; tagger.json ``neural_weight``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .features import FeatureExtractor, TRIGGERS, shape

FIELDS = ("w", "b", "ca", "cb", "cc", "cd", "cacl", "lp", "sh", "pre", "trig", "rb", "lex", "flag")
TRIG_TYPES = ("",) + tuple(TRIGGERS)  # id 0: none
MAX_CHARS = 16  # the first 8 and last 8 characters of a longer word (its prefixes and suffixes) are read
CHAR_BOW, CHAR_EOW = "\x02", "\x03"
VOCAB_FIELDS = ("w", "b", "lp", "sh", "pre", "lex")  # the fields whose ids come from a vocabulary


def _char_seq(n: str) -> str:
    if len(n) > MAX_CHARS - 2:
        n = n[:(MAX_CHARS - 2) // 2] + n[-((MAX_CHARS - 2) // 2):]
    return CHAR_BOW + n + CHAR_EOW


class WordInputs:
    """The integer inputs of a word (one id per FIELDS entry, and its character ids), from the CRF's feature
    extractor's word forms and resources.  `vocabs`: field name (and "char") -> {string: id}; id 0 is unknown."""

    def __init__(self, fx: FeatureExtractor, vocabs: dict[str, dict[str, int]]):
        self.fx = fx
        self.res = fx.res
        self.vocabs = vocabs

    def ids(self, w: str) -> tuple[list[int], list[int]]:
        res = self.res
        V = self.vocabs
        n, punct_edge, pre, art, bare = self.fx._forms(w)
        sh = shape(w)
        cl = res.clusters.get(n) or res.clusters.get(art) or res.clusters.get(bare)
        cl_art = res.clusters.get(art) if art != n else None
        trig = res.trig.get(art) or res.trig.get(bare) or ""
        rank = res.rank
        r = rank.get(n)
        if r is None:
            r = rank.get(art)
        rb = 0 if r is None else 1 + min(r.bit_length(), 20)
        L = len(bare)
        lex = ""
        if L >= 3 and sh == "ar":
            if art.startswith("\u0627\u0644"):
                lex = "Ay" if bare in rank else "An"
            else:
                lex = "Ny" if ("\u0627\u0644" + bare) in rank else "Nn"
            lex += "p" if (bare + "\u0647" in rank or bare + "\u0647\u0627" in rank
                           or bare + "\u0647\u0645" in rank) else "-"
        lp = res.labelprop
        lpv = lp.get(n) or lp.get(art) or lp.get(bare) or ""
        out = [V["w"].get(n, 0), V["b"].get(bare, 0)]
        if cl is not None:
            out += [1 + int(c) for c in cl[:4]]
        else:
            out += [0, 0, 0, 0]
        out.append(1 + int(cl_art[1]) if cl_art is not None else 0)
        out += [V["lp"].get(lpv, 0), V["sh"].get(sh, 0), V["pre"].get(pre, 0), TRIG_TYPES.index(trig), rb,
                V["lex"].get(lex, 0), 2 * art.startswith("\u0627\u0644") + int(punct_edge)]
        cv = V["char"]
        chars = [cv.get(c, 1) for c in _char_seq(n)]  # 0: padding, 1: unknown character
        return out, chars


def field_sizes(vocabs, n_clusters=(64, 256, 1024, 4096)) -> list[int]:
    """Number of ids of each FIELDS entry (unknown / none included)."""
    return [len(vocabs["w"]) + 1, len(vocabs["b"]) + 1, *(k + 1 for k in n_clusters), n_clusters[1] + 1,
            len(vocabs["lp"]) + 1, len(vocabs["sh"]) + 1, len(vocabs["pre"]) + 1, len(TRIG_TYPES), 22,
            len(vocabs["lex"]) + 1, 4]


class NeuralScorer:
    """Label log-probabilities of token sequences from neural.npz (see the module doc)."""

    def __init__(self, path: str | Path, fx: FeatureExtractor, cache_size: int = 300_000):
        with np.load(path, allow_pickle=False) as z:
            d = {k: z[k] for k in z.files}
        self.labels = str(d["labels"]).split("\0")
        vocabs = {name: {s: i + 1 for i, s in enumerate(str(d["vocab_" + name]).split("\0"))}
                  for name in VOCAB_FIELDS}  # id 0: unknown (the empty string may be a real entry)
        vocabs["char"] = {s: i + 2 for i, s in enumerate(str(d["vocab_char"]).split("\0"))}  # 0 pad, 1 unknown
        self.inputs = WordInputs(fx, vocabs)
        self.emb = [d[f"emb_{f}"].astype(np.float32) for f in FIELDS]
        self.char_emb = d["char_emb"].astype(np.float32)  # (n_chars, ce), row 0 zero
        self.char_W = d["char_W"].astype(np.float32)  # (3 * ce, F)
        self.char_b = d["char_b"].astype(np.float32)
        self.proj_W = d["proj_W"].astype(np.float32)  # (in, D)
        self.proj_b = d["proj_b"].astype(np.float32)
        self.dil = [int(x) for x in d["dilations"]]
        self.conv_W = [d[f"conv{i}_W"].astype(np.float32) for i in range(len(self.dil))]  # (3, D, D)
        self.conv_b = [d[f"conv{i}_b"].astype(np.float32) for i in range(len(self.dil))]
        self.out_W = d["out_W"].astype(np.float32)  # (D, L)
        self.out_b = d["out_b"].astype(np.float32)
        self.D = self.proj_W.shape[1]
        self.gap = max(self.dil)
        self.cache_size = cache_size
        self._reset()

    def _reset(self):
        self._wid: dict[str, int] = {}
        self._X = np.zeros((1024, self.D), dtype=np.float32)
        self._n = 0

    def clear_cache(self):
        self._reset()

    def word_vectors(self, words: list[str]) -> np.ndarray:
        """The word encoder's output for each of `words` (not cached)."""
        ids, chars = zip(*map(self.inputs.ids, words))
        ids = np.array(ids, dtype=np.intp)
        parts = [e[ids[:, k]] for k, e in enumerate(self.emb)]
        Lc = max(map(len, chars))
        C = np.zeros((len(words), Lc + 2), dtype=np.intp)  # one zero column each side: the conv's padding
        for i, c in enumerate(chars):
            C[i, 1:1 + len(c)] = c
        E = self.char_emb[C]  # (W, Lc + 2, ce)
        win = np.concatenate([E[:, :-2], E[:, 1:-1], E[:, 2:]], axis=2)  # (W, Lc, 3ce)
        H = np.maximum(win @ self.char_W + self.char_b, 0.0)
        lens = np.fromiter(map(len, chars), dtype=np.intp, count=len(chars))
        H[np.arange(Lc)[None, :] >= lens[:, None]] = 0.0  # ReLU outputs are >= 0: zero is neutral for max
        parts.append(H.max(axis=1))
        x = np.concatenate(parts, axis=1)
        return np.maximum(x @ self.proj_W + self.proj_b, 0.0)

    def _rows(self, toks: list[str]) -> np.ndarray:
        wid = self._wid
        new = [w for w in dict.fromkeys(toks) if w not in wid]
        if new:
            if self._n + len(new) > self.cache_size:
                self._reset()
                wid = self._wid
                new = list(dict.fromkeys(toks))
            need = self._n + len(new)
            if need > len(self._X):
                X = np.zeros((max(need, 2 * len(self._X)), self.D), dtype=np.float32)
                X[:self._n] = self._X[:self._n]
                self._X = X
            self._X[self._n:need] = self.word_vectors(new)
            for k, w in enumerate(new, self._n):
                wid[w] = k
            self._n = need
        return np.fromiter(map(wid.__getitem__, toks), dtype=np.intp, count=len(toks))

    def logprobs_many(self, seqs: list[list[str]]) -> np.ndarray:
        """Log-probabilities (N, L) of every token of the non-empty `seqs`, stacked in order (columns: self.labels)."""
        toks = [w for s in seqs for w in s]
        idx = self._rows(toks)
        lens = np.fromiter(map(len, seqs), dtype=np.intp, count=len(seqs))
        g = self.gap
        # position of each token in the padded sequence: g zeros before every sentence, g after the last
        offs = np.cumsum(np.concatenate(([0], lens[:-1] + g))) + g
        pos = (np.repeat(offs - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
               + np.arange(len(toks)))
        total = int(offs[-1] + lens[-1] + g) if len(lens) else g
        H = np.zeros((total, self.D), dtype=np.float32)
        H[pos] = self._X[idx]
        mask = np.zeros((total, 1), dtype=np.float32)
        mask[pos] = 1.0
        for W, b, d in zip(self.conv_W, self.conv_b, self.dil):
            Y = H @ W[1]
            Y[d:] += H[:-d] @ W[0]
            Y[:-d] += H[d:] @ W[2]
            Y += b
            H = (H + np.maximum(Y, 0.0)) * mask
        Z = H[pos] @ self.out_W + self.out_b
        Z -= Z.max(axis=1, keepdims=True)
        return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
