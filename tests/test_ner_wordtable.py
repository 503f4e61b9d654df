"""The shipped per-word table of the NER decoder (khabar.ner.wordtable) must give exactly the scores, and so the
tags, that the decoder computes from the features; a stale table must not be used."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    import khabar.ner  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT))

from khabar.ner import wordtable  # noqa: E402

RES = ROOT / "khabar" / "resources" / "ner"
TABLE = RES / wordtable.FILENAME
SHARED = Path(__file__).resolve().parents[2] / "shared"
ANER_TEST = SHARED / "data" / "ner" / "anercorp" / "ANERcorp_camel_like_test.txt"

pytestmark = pytest.mark.skipif(not (RES / "model.crfsuite").exists(), reason="no shipped NER model")


@pytest.fixture(scope="module")
def taggers():
    from khabar.ner.tagger import NerTagger

    with_table = NerTagger()
    with_table.load_wordtable()
    return with_table, NerTagger(use_wordtable=False)


def test_shipped_table_is_fresh_and_used(taggers):
    with_table, without = taggers
    assert TABLE.exists(), "no NER word table: run python training/build_ner_wordtable.py"
    assert with_table._fast.table is not None, (
        "the shipped NER word table is stale (the model, its resources or the feature code changed): "
        "run python training/build_ner_wordtable.py")
    assert len(with_table._fast.table) >= 10_000
    assert without._fast.table is None and without.load_wordtable() is None


def test_table_read_after_enough_new_words():
    from khabar.ner.fastcrf import LAZY_WORDS
    from khabar.ner.tagger import NerTagger

    t = NerTagger()
    assert t._fast.table is None and t._fast.table_loader is not None  # not read at start
    t.tag(["قال", "الرئيس", "محمود", "عباس"])
    assert t._fast.table is None  # one short text: still not read
    t.tag_many([[f"كلمة{k}" for k in range(j, j + 50)] for j in range(0, LAZY_WORDS, 50)])
    assert t._fast.table is not None and t._fast.table_loader is None


def test_table_vectors_are_the_decoders_bit_for_bit(taggers):
    with_table, without = taggers
    table = with_table._fast.table
    words = list(table.row)
    sample = words[::25] + words[-500:]  # frequent to rare
    a, b = with_table._fast, without._fast
    a.clear_cache()
    b.clear_cache()
    a._add_words(sample)
    b._add_words(sample[::-1])  # computed in another order and batch: each word's sums are its own
    ka = np.array([a._wid[w] for w in sample])
    kb = np.array([b._wid[w] for w in sample])
    assert all(type(a._infos[k]) is str for k in ka.tolist())  # taken from the table, features not made
    assert np.array_equal(a._E[:, ka].view(np.uint64), b._E[:, kb].view(np.uint64))
    assert np.array_equal(a._bid[ka], b._bid[kb])
    assert np.array_equal(a._gfl[ka], b._gfl[kb])


def test_gaz_forms_are_word_info_forms(taggers):
    _, without = taggers
    fe = without.features
    for w in ["وبالمدينة", "لبنان", "ببغداد", "(بغداد)", "«الأهرام»", "للأمم", "xyzzy", "٢٠١٤", "."]:
        fe._cache.clear()
        light = fe.gaz_forms(w)
        assert light[5:8] == fe._word_info(w)[5:8]
        assert fe.gaz_forms(w) == fe._word_info(w)  # a word whose features exist: those


HAND = [
    ["قال", "الرئيس", "محمود", "عباس", "في", "رام", "الله"],
    ["وصل", "وزير", "الخارجية", "الأمريكي", "جون", "كيري", "إلى", "القاهرة", "أمس", "."],
    ["الأمم", "المتحدة", "و", "جامعة", "الدول", "العربية", "ومنظمة", "الصحة", "العالمية"],
    ["ذهب", "أحمد", "إلى", "بغداد", "ثم", "دمشق", "ثم", "بيروت", "ثم", "عمان", "ثم", "القدس"],
    ["xyzzy", "قققق", "ٱلْمَدِينَةِ", "(بغداد)", "«الأهرام»", "_"],
]


def test_tags_with_and_without_table_equal(taggers):
    with_table, without = taggers
    sents = list(HAND)
    if ANER_TEST.exists():
        from khabar.ner.conll import read_conll

        sents += [[t for t, _ in s] for s in read_conll(ANER_TEST)][:600]
    # sentences of table words around gazetteer names: the gazetteer reads table words' forms
    words = list(with_table._fast.table.row)
    names = ["الأمم", "المتحدة", "بغداد", "دمشق", "القاهرة", "واشنطن"]
    sents += [words[k:k + 12] + names[k % 6:k % 6 + 2] + words[k + 12:k + 20] for k in range(0, 24000, 97)]
    for tagger in taggers:
        tagger.clear_cache()
    got, want = [], []
    for k in range(0, len(sents), 16):  # first sight, in batches
        got.extend(with_table.tag_many(sents[k:k + 16]))
        want.extend(without.tag_many(sents[k:k + 16]))
    assert got == want
    assert with_table.tag_many(sents) == want  # cached
    assert [with_table.tag(s) for s in HAND] == want[:len(HAND)]  # one at a time


def test_table_rollover_stays_exact(taggers):
    from khabar.ner.fastcrf import FastCRF

    with_table, without = taggers
    f = with_table._fast
    small = FastCRF(with_table.features, f.labels, f.index, f.A[:-1], f.T, cache_size=8)
    small.table = f.table
    words = list(f.table.row)
    seqs = HAND + [words[k:k + 9] for k in range(0, 3000, 111)]
    want = [without.tag(s) for s in seqs]
    for k in range(0, len(seqs), 3):
        assert small.tag_many(seqs[k:k + 3]) == want[k:k + 3]


def test_build_load_roundtrip_and_stale_table_ignored(taggers, tmp_path):
    _, without = taggers
    words = ["قال", "الرئيس", "بغداد", "xyzzy", "٢٠١٤", "."]
    out = tmp_path / wordtable.FILENAME
    wordtable.build(without, words, out)
    t = wordtable.load(out, without.wordtable_digest)
    assert t is not None and list(t.row) == words
    assert wordtable.load(out, "0" * 40) is None  # another model / resources / code
    assert wordtable.load(tmp_path / "missing.npz", without.wordtable_digest) is None
    # the digest follows the resources: a changed cluster file makes the table stale
    d = tmp_path / "res"
    d.mkdir()
    for name in ("clusters.tsv.gz", "gazetteer.tsv.gz", "labelprop.tsv.gz"):
        (d / name).write_bytes((RES / name).read_bytes())
    sha = "1" * 40
    assert wordtable.digest(sha, d) == wordtable.digest(sha, RES)
    (d / "clusters.tsv.gz").write_bytes(b"changed")
    assert wordtable.digest(sha, d) != wordtable.digest(sha, RES)
