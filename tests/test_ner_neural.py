"""The neural NER scorer (khabar.ner.neural) and its combination with the CRF in NerTagger."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    import khabar.ner  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT))

from khabar.ner.features import RESOURCE_DIR, FeatureExtractor, Resources  # noqa: E402
from khabar.ner.neural import FIELDS, VOCAB_FIELDS, NeuralScorer, field_sizes  # noqa: E402

LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
SENTS = [
    "قال الرئيس الفلسطيني محمود عباس في رام الله إن المفاوضات متوقفة .".split(),
    "وأعلنت وزارة الخارجية المصرية أمس أن الوزير سيزور واشنطن .".split(),
    "Google".split(),
    "ذهب أوباما إلى لندن ثم باريس".split(),
]

pytestmark = pytest.mark.skipif(not (RESOURCE_DIR / "clusters.tsv.gz").exists(), reason="no shipped NER resources")


@pytest.fixture(scope="module")
def fx():
    return FeatureExtractor(Resources.load(RESOURCE_DIR))


def _random_model(path: Path, fx, dim=16, dil=(1, 2, 4), seed=0):
    """A neural.npz of the shipped format with random weights and a vocabulary of the test sentences' words."""
    rng = np.random.default_rng(seed)
    words = sorted({fx._forms(w)[0] for s in SENTS for w in s})
    bares = sorted({fx._forms(w)[4] for s in SENTS for w in s})
    voc = {"w": words[::2], "b": bares[1::2], "lp": sorted(set(fx.res.labelprop.values()))[:50],
           "sh": ["ar", "Lat", "p."], "pre": ["", "و"], "lex": ["", "Ay-", "Nn-"]}
    chars = sorted({c for s in SENTS for w in s for c in w})[:-3]
    maps = {k: {s: i + 1 for i, s in enumerate(v)} for k, v in voc.items()}
    sizes = field_sizes(maps)
    d = {"format": np.array(1), "labels": np.array("\0".join(LABELS)), "vocab_char": np.array("\0".join(chars))}
    for k in VOCAB_FIELDS:
        d["vocab_" + k] = np.array("\0".join(voc[k]))
    din = 0
    for f, n in zip(FIELDS, sizes):
        d["emb_" + f] = rng.normal(size=(n, 3)).astype(np.float16)
        din += 3
    ce, F = 4, 5
    d["char_emb"] = rng.normal(size=(len(chars) + 2, ce)).astype(np.float16)
    d["char_emb"][0] = 0
    d["char_W"] = rng.normal(size=(3 * ce, F)).astype(np.float16)
    d["char_b"] = rng.normal(size=F).astype(np.float16)
    d["proj_W"] = (rng.normal(size=(din + F, dim)) * 0.3).astype(np.float16)
    d["proj_b"] = rng.normal(size=dim).astype(np.float16)
    d["dilations"] = np.array(dil)
    for i in range(len(dil)):
        d[f"conv{i}_W"] = (rng.normal(size=(3, dim, dim)) * 0.2).astype(np.float16)
        d[f"conv{i}_b"] = rng.normal(size=dim).astype(np.float16) * 0.1
    d["out_W"] = rng.normal(size=(dim, len(LABELS))).astype(np.float16)
    d["out_b"] = rng.normal(size=len(LABELS)).astype(np.float16)
    np.savez_compressed(path, **d)
    return path


def _reference(sc: NeuralScorer, toks: list[str]) -> np.ndarray:
    """One sentence, position by position, zero padding at each layer (the definition the batch code must meet)."""
    X = sc.word_vectors(toks).astype(np.float64)
    n = len(toks)
    for W, b, d in zip(sc.conv_W, sc.conv_b, sc.dil):
        Y = np.zeros_like(X)
        for t in range(n):
            y = X[t] @ W[1] + b
            if t - d >= 0:
                y += X[t - d] @ W[0]
            if t + d < n:
                y += X[t + d] @ W[2]
            Y[t] = X[t] + np.maximum(y, 0)
        X = Y
    Z = X @ sc.out_W + sc.out_b
    Z -= Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def test_batch_equals_sentence_by_sentence_reference(tmp_path, fx):
    sc = NeuralScorer(_random_model(tmp_path / "neural.npz", fx), fx)
    LP = sc.logprobs_many(SENTS)
    assert LP.shape == (sum(map(len, SENTS)), len(LABELS))
    assert np.allclose(np.exp(LP).sum(axis=1), 1.0, atol=1e-5)
    k = 0
    for s in SENTS:
        ref = _reference(sc, s)
        assert np.allclose(LP[k:k + len(s)], ref, atol=1e-4), s
        assert np.allclose(sc.logprobs_many([s]), ref, atol=1e-4)  # alone, and with a warm cache
        k += len(s)
    sc.clear_cache()
    assert np.allclose(sc.logprobs_many(SENTS[::-1])[:len(SENTS[-1])], _reference(sc, SENTS[-1]), atol=1e-4)


def test_unknown_words_and_characters_are_inputs_too(tmp_path, fx):
    sc = NeuralScorer(_random_model(tmp_path / "neural.npz", fx), fx)
    ids, chars = sc.inputs.ids("ژژژژژژژژژژژژژژژژژژژژ")  # unknown word, unknown letters, longer than MAX_CHARS
    assert ids[0] == 0 and ids[1] == 0
    assert len(chars) == 16 and set(chars[1:-1]) == {1}
    assert np.isfinite(sc.logprobs_many([["ژژژ", "", "x"]])).all()


def test_tagger_with_a_neural_model_dir(tmp_path, fx):
    from khabar.ner.tagger import NerTagger

    d = tmp_path / "ner"
    shutil.copytree(RESOURCE_DIR, d, ignore=shutil.ignore_patterns("wordtable.npz", "neural.npz"))
    _random_model(d / "neural.npz", fx)
    (d / "tagger.json").write_text(json.dumps({"o_threshold": 0.0, "neural_weight": 0.0}))
    crf = NerTagger(d)
    assert crf.neural_weight == 0.0
    base = crf.tag_many(SENTS)
    zero = NerTagger(d, neural=1e-9)  # a vanishing weight: the CRF's own tags
    assert zero.tag_many(SENTS) == base
    heavy = NerTagger(d, neural=50.0)  # the random scorer dominates: the tags follow its argmax (valid BIO)
    tags = heavy.tag_many(SENTS)
    assert tags != base
    assert [heavy.tag(s) for s in SENTS] == tags
    assert NerTagger(d, neural=50.0).tag_many(SENTS[::-1]) == tags[::-1]
    (d / "tagger.json").write_text(json.dumps({"neural_weight": 50.0}))
    assert NerTagger(d).tag_many(SENTS) == tags
    assert NerTagger(d, neural=False).tag_many(SENTS) == base
    (d / "neural.npz").unlink()
    with pytest.raises(FileNotFoundError):
        NerTagger(d)

