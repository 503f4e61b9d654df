"""The fast numpy decoder (khabar.ner.fastcrf) must tag exactly like python-crfsuite."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    import khabar.ner  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT))

SHARED = Path(__file__).resolve().parents[2] / "shared"
ANER_TEST = SHARED / "data" / "ner" / "anercorp" / "ANERcorp_camel_like_test.txt"
MODEL = ROOT / "khabar" / "resources" / "ner" / "model.crfsuite"

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no shipped NER model")


@pytest.fixture(scope="module")
def taggers():
    pytest.importorskip("pycrfsuite")
    from khabar.ner.tagger import NerTagger

    fast, slow = NerTagger(), NerTagger(fast=False)
    assert fast.fast and not slow.fast
    return fast, slow


HAND = [
    ["قال", "الرئيس", "محمود", "عباس", "في", "رام", "الله"],
    ["وصل", "وزير", "الخارجية", "الأمريكي", "جون", "كيري", "إلى", "القاهرة", "أمس", "."],
    ["أعلنت", "شركة", "أرامكو", "السعودية", "عن", "أرباحها", "،", "وقال", "رئيسها", "أمين", "الناصر"],
    ["محمد"], ["في"], [".", "."], ["", "باريس", ""], ["Google", "و", "Microsoft", "2014", "١٢٣"],
    ["ذهب", "أحمد", "إلى", "بغداد", "ثم", "دمشق", "ثم", "بيروت", "ثم", "عمان", "ثم", "القدس"],
    ["الأمم", "المتحدة", "و", "جامعة", "الدول", "العربية", "ومنظمة", "الصحة", "العالمية"],
    ["xyzzy", "قققق", "ٱلْمَدِينَةِ", "(بغداد)", "«الأهرام»"],
]


def test_hand_made_sentences_equal_crfsuite(taggers):
    fast, slow = taggers
    for s in HAND:
        assert fast.tag(s) == slow.tag(s), s
    assert fast.tag([]) == []
    # cached (second pass) and after clearing the caches
    for s in HAND:
        assert fast.tag(s) == slow.tag(s)
    fast.clear_cache()
    assert fast.tag_sents(HAND) == slow.tag_sents(HAND)


def test_small_cache_rollover_stays_exact(taggers):
    from khabar.ner.fastcrf import FastCRF

    fast, slow = taggers
    f = fast._fast
    small = FastCRF(fast.features, f.labels, f.index, f.A[:-1], f.T, cache_size=8)
    for s in HAND:
        s = [t if t else "_" for t in s]
        assert small.tag(s) == slow.tag(s)


def test_weights_export_roundtrip(tmp_path):
    import numpy as np

    from khabar.ner.fastcrf import export_weights, load_weights, read_crfsuite_model

    labels, attrs, rows, cols, vals, T = read_crfsuite_model(MODEL)
    assert sorted(labels) == sorted(["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC",
                                     "B-MISC", "I-MISC"])
    p = export_weights(MODEL, tmp_path / "w.npz")
    lab, index, A, T2, _ = load_weights(p)
    assert lab == labels and len(index) == len(attrs)
    assert np.array_equal(T, T2)
    assert A[rows, cols.astype(int)].tolist() == vals.tolist()


@pytest.mark.skipif(not SHARED.exists(), reason=f"shared data not present at {SHARED}")
def test_anercorp_test_equals_crfsuite(taggers):
    from khabar.ner.conll import read_conll

    fast, slow = taggers
    sents = [[t for t, _ in s] for s in read_conll(ANER_TEST)][:400]
    diff = [i for i, s in enumerate(sents) if fast.tag(s) != slow.tag(s)]
    assert diff == []


def test_tag_many_equals_tag(taggers):
    fast, slow = taggers
    batch = HAND + [[]] + HAND[::-1]
    want = [slow.tag(s) if s else [] for s in batch]
    assert fast.tag_many(batch) == want
    assert fast.tag_many([]) == []
    assert fast.tag_many([[], []]) == [[], []]
    fast.clear_cache()
    assert fast.tag_many(batch) == want  # all words new
    assert fast.tag_many(batch) == want  # all words cached


def test_tag_many_scores_are_bitwise_per_sentence(taggers):
    import numpy as np

    fast, _ = taggers
    f = fast._fast
    seqs = [[t if t else "_" for t in s] for s in HAND]
    S, _idx, starts, lens = f.scores_many(seqs)
    for s, a, n in zip(seqs, starts.tolist(), lens.tolist()):
        assert S[a:a + n].tobytes() == f.scores(s).tobytes()
    paths = f.viterbi_many(S, starts, lens)
    for s, p in zip(seqs, paths):
        assert p == [f.labels[y] for y in f.viterbi(f.scores(s))]


def test_tag_many_small_cache_rollover(taggers):
    from khabar.ner.fastcrf import FastCRF

    fast, slow = taggers
    f = fast._fast
    small = FastCRF(fast.features, f.labels, f.index, f.A[:-1], f.T, cache_size=8)
    seqs = [[t if t else "_" for t in s] for s in HAND]
    want = [slow.tag(s) for s in seqs]
    for k in range(0, len(seqs), 3):
        assert small.tag_many(seqs[k:k + 3]) == want[k:k + 3]
    assert small.tag_many(seqs) == want


@pytest.mark.skipif(not SHARED.exists(), reason=f"shared data not present at {SHARED}")
def test_anercorp_tag_many_equals_crfsuite(taggers):
    from khabar.ner.conll import read_conll

    fast, slow = taggers
    sents = [[t for t, _ in s] for s in read_conll(ANER_TEST)][400:800]
    got = []
    for k in range(0, len(sents), 13):  # document-sized batches of mixed lengths
        got.extend(fast.tag_many(sents[k:k + 13]))
    diff = [i for i, (s, g) in enumerate(zip(sents, got)) if g != slow.tag(s)]
    assert diff == []
