"""Tests of the Arabic clitic segmenter (khabar.text.segment)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from khabar.text.segment import Segmenter, get_segmenter  # noqa: E402



@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return get_segmenter()


@pytest.mark.parametrize("word, expected", [
    ("للمحتوى", ["ل", "ال", "محتوى"]),
    ("ثقافة", ["ثقاف", "ة"]),
    ("والتلفزيون", ["و", "ال", "تلفزيون"]),
    ("ترشيحاتها", ["ترشيح", "ات", "ها"]),
    ("الأكاديمية", ["ال", "أكاديمي", "ة"]),
    ("وبالتالي", ["و", "ب", "ال", "تالي"]),
    ("سيقام", ["س", "يقام"]),
    ("أعلنت", ["أعلن", "ت"]),
    ("فيلم", ["فيلم"]),
    ("في", ["في"]),
    ("مما", ["من", "ما"]),
])
def test_examples(seg, word, expected):
    assert seg.segment(word) == expected


@pytest.mark.parametrize("word, expected", [
    # a word that takes the article has no proclitic, and its analysis is its article form's
    ("بطولة", ["بطول", "ة"]), ("البطولة", ["ال", "بطول", "ة"]), ("وبطولة", ["و", "بطول", "ة"]),
    ("بعيد", ["بعيد"]), ("وفاق", ["وفاق"]),
    # a name that follows a preposition has no proclitic and no nominative/accusative suffix
    ("فالنسيا", ["فالنسيا"]), ("تركيا", ["تركيا"]), ("ليبيا", ["ليبيا"]), ("سليمان", ["سليمان"]),
    ("ماكرون", ["ماكرون"]), ("بوتين", ["بوتين"]),
    # a particle takes no suffix; a one-letter stem is a proclitic with a pronoun
    ("مات", ["مات"]), ("لها", ["ل", "ها"]),
    # the future prefix only before an imperfect verb
    ("وسطيف", ["و", "سطيف"]), ("سكاي", ["سكاي"]), ("ستعقد", ["س", "تعقد"]),
])
def test_error_classes(seg, word, expected):
    assert seg.segment(word) == expected


@pytest.mark.parametrize("word, expected", [
    # (none of these words is in the WikiNews gold) a word of a name cluster of the news, or one the NER
    # label propagation types as a name, is rarely split: a country in -يا, a city in -ت / -ة, a name in -ون
    ("نيجيريا", ["نيجيريا"]), ("أوكرانيا", ["أوكرانيا"]), ("بيروت", ["بيروت"]), ("سنغافورة", ["سنغافورة"]),
    ("مايكروسوفت", ["مايكروسوفت"]), ("بولتون", ["بولتون"]),
    # ... while an imperfect verb keeps its plural suffix
    ("يسعون", ["يسع", "ون"]),
    # the nun of من / عن assimilated to ما / من, with or without a conjunction
    ("مما", ["من", "ما"]), ("عمن", ["عن", "من"]), ("ومما", ["و", "من", "ما"]),
])
def test_word_class_and_assimilation(seg, word, expected):
    assert seg.segment(word) == expected


def test_scorer_equals_the_feature_definition(seg):
    """The fast scorer (``_Scorer.best``) picks the candidate whose summed feature weights
    (``features``, the definition training uses) are highest, word-class and preposition features included."""
    import random

    from khabar.text import segment as S

    W = seg.weights
    words = random.Random(3).sample(sorted(w for w in seg.B if len(w) >= 3), 400)
    words += ["نيجيريا", "تركيا", "والمتظاهرون", "بيروت", "لينكس", "قرقززيا"]
    for w in words:
        best = None
        bsc = -1e300
        pres, sufs = S.affixes(w, True)
        for psegs, pk, _ in pres:
            for ssegs, sk, _ in sufs:
                if pk + sk >= len(w):
                    continue
                stem = w[pk:len(w) - sk]
                if sk and not S.allowed(stem, ssegs):
                    continue
                c = (psegs, pk, stem, ssegs)
                sc = sum(W.get(f, 0.0) for f in S.features(w, c, seg.B, seg.memory, seg.stem_memory, seg.wclass))
                if sc > bsc + 1e-9:
                    bsc, best = sc, c
        assert seg._scorer.best(w) == best, w


def test_one_analysis_whatever_the_prefixes(seg):
    """A frequent word and its article form share their stem analysis (the article form is the reference)."""
    B = seg.B
    n = same = 0
    for w, b in B.items():
        if b < 9 or len(w) < 4 or ("ال" + w) not in B:
            continue
        a = seg.segment("ال" + w)
        if a[0] != "ال":
            continue
        n += 1
        same += seg.segment(w) == a[1:]
    assert n > 1000 and same / n > 0.98


@pytest.mark.parametrize("word", ["2014", "hello", "COVID-19", ".", "،", "", "و", "١٢٣", "e-mail"])
def test_passthrough(seg, word):
    assert seg.segment(word) == [word]
    assert seg.segment_spans(word) == [(0, len(word))]


def _check_spans(word, segs, spans):
    assert len(segs) == len(spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(word)
    for (a, b), (c, d) in zip(spans, spans[1:]):
        assert b == c  # in order, touching: no gap, no overlap
    for a, b in spans:
        assert a < b  # non-empty (all words here are long enough)


@pytest.mark.parametrize("word", ["للمحتوى", "ثقافة", "والتلفزيون", "ترشيحاتها", "للغة", "مما", "وللمرة",
                                  "بالمدرسة", "كتابهم", "ويكيبيديا", "فسيكتبونها"])
def test_spans_cover_word(seg, word):
    segs = seg.segment(word)
    spans = seg.segment_spans(word)
    _check_spans(word, segs, spans)
    if "".join(segs) == word:  # a plain split: each span is its segment
        assert [word[a:b] for a, b in spans] == segs


def test_restored_article_spans(seg):
    assert seg.segment_spans("للمحتوى") == [(0, 1), (1, 2), (2, 7)]
    assert seg.segment_spans("وللمرة")[:3] == [(0, 1), (1, 2), (2, 3)]


def test_diacritics_and_tatweel(seg):
    word = "الْمُؤْتَمَرُ"
    assert seg.segment(word) == ["ال", "مؤتمر"]
    spans = seg.segment_spans(word)
    _check_spans(word, ["ال", "مؤتمر"], spans)
    assert word[spans[0][0]:spans[0][1]].startswith("ال")
    assert seg.segment("وَالتِّلِفِزْيُونِ") == ["و", "ال", "تلفزيون"]
    assert seg.segment("ثقـــافة") == ["ثقاف", "ة"]
    word = "لِلْمُحْتَوَى"
    assert seg.segment(word) == ["ل", "ال", "محتوى"]
    spans = seg.segment_spans(word)
    _check_spans(word, ["ل", "ال", "محتوى"], spans)
    assert word[spans[2][0]] == "م"


def test_cache_and_singleton(seg):
    assert get_segmenter() is seg
    a = seg.segment("والتلفزيون")
    a.append("x")  # callers may mutate what they get
    assert seg.segment("والتلفزيون") == ["و", "ال", "تلفزيون"]


def test_cached_lookups_do_not_analyse_again(seg, monkeypatch):
    """A word seen once is answered from the per-word cache (its speed is measured in bench/bench_textcore.py,
    never by a timed test): the analysis runs once per distinct form, not once per occurrence."""
    words = ["والتلفزيونيين", "ثقافتهم", "للمحتويات"]
    for w in words:
        seg._cache.pop(w, None)
        seg._span_cache.pop(w, None)
    calls = []
    real = seg._compute
    monkeypatch.setattr(seg, "_compute", lambda w: calls.append(w) or real(w))
    first = [seg.segment(w) for w in words]
    for _ in range(50):
        assert [seg.segment(w) for w in words] == first
        assert [len(seg.segment_spans(w)) for w in words] == [len(f) for f in first]
    assert sorted(calls) == sorted(words)


# the gold floor (5-fold CV by article on the WikiNews gold half): tests/test_gold_floors.py, set
# segmenter-wikinews-cv in tests/gold_floors.json


def test_precomputed_table_equals_the_ranker(seg):
    """The shipped table (training/train_segmenter.py) was computed with the shipped model: every corpus word it
    answers for gets exactly the ranker's analysis (a sample; the table covers all of freq_bins)."""
    import random

    assert seg.table is not None, "table.tsv.gz missing or stale: python training/train_segmenter.py --table-only"
    words = random.Random(7).sample(sorted(seg.B), 5000) + ["للمحتوى", "مما", "والتلفزيون"]
    for w in words:
        assert seg._analyse(w) == seg._rank(w), w
    assert "للمحتوى" in seg.table  # a word that splits is stored; one that does not is implied by freq_bins
    assert seg._analyse("للمحتوى") == (("ل", "ال", "محتوى"), ((0, 1), (1, 2), (2, 7)))


def test_table_of_another_model_is_ignored(tmp_path):
    """A table is read only for the model file it was written with (so a retrained model never gets stale
    look-ups); a round trip gives the ranker's analyses back."""
    import shutil

    from khabar.text import segment as S

    for f in ("model.json.gz", "freq_bins.txt.gz"):
        shutil.copy(S.RESOURCE_DIR / f, tmp_path / f)
    small = Segmenter(tmp_path)
    small.B = {w: small.B[w] for w in ["للمحتوى", "والتلفزيون", "في", "مما", "ثقافة"]}
    S.write_table(small, tmp_path / S.TABLE_FILE, S.model_digest(tmp_path / "model.json.gz"))
    again = Segmenter(tmp_path)
    assert again.table is not None and set(again.table) == {"للمحتوى", "والتلفزيون", "مما", "ثقافة"}
    for w in small.B:
        assert again._analyse(w) == again._rank(w)
    import gzip

    text = gzip.decompress((tmp_path / S.TABLE_FILE).read_bytes()).decode("utf8").replace(S.model_digest(tmp_path / "model.json.gz"), "0" * 40)
    (tmp_path / S.TABLE_FILE).write_bytes(gzip.compress(text.encode("utf8")))
    assert Segmenter(tmp_path).table is None
