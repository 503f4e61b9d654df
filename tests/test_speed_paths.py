"""The shortcuts of the speed work give what the plain paths give (no timing here)."""
from __future__ import annotations

import importlib
import re

from khabar.document import Document
from khabar.pipeline import Pipeline
from khabar.responses import find as responses_find
from khabar.text.normalize import fold, normalize
from khabar.topic import features

geography = importlib.import_module("khabar.topic.geography")  # the module (the package exports a function)

TEXT = ("قال وزير الخارجية البريطاني إن الحكومة الأردنية والسفارة المصرية في لندن ترفض هذه المزاعم الباطلة، "
        "وأضاف أن ميليشيات الحوثي هاجمت صنعاء يوم الاثنين.\nوقالت الشرطة إن الخبر غير صحيح.")


def test_search_view_is_the_search_normalisation_and_is_reused():
    v = features.search_view(TEXT)
    plain = normalize(TEXT, search=True)
    assert v.text == plain.text and v.offsets.tolist() == plain.offsets.tolist()
    assert features.search_view(TEXT) is v          # the same text object: made once
    other = "".join(TEXT)                            # an equal string, another object: made again, equal
    assert features.search_view(other) is not v and features.search_view(other).text == v.text


def test_word_crcs_fold_title_and_text_apart_the_same_as_together():
    import zlib

    for title in (None, "", "عنوان: البريطانية", "CNN عاجل"):
        full, spaced = features._word_crcs(TEXT, title, 1500)
        ws = features.words(((title + "\n") if title else "") + TEXT)
        assert full == [zlib.crc32(w.encode()) for w in ws]
        assert list(spaced) == [b" " + w.encode() for w in ws]
        assert features._word_crcs(TEXT, title, 3)[0] == full[:3]


def test_geography_reads_the_same_mentions_through_the_shared_view():
    features.search_view(TEXT)  # as the subject's features leave it
    got = geography.mentions(TEXT)
    features._LAST_VIEW = (None, None)
    assert geography.mentions(TEXT) == got and got


def test_lie_guard_lets_through_every_text_where_the_lie_pattern_matches():
    samples = ["بريطانيا", "بريء من التهمة", "الخبر غير\nصحيح", "غير  دقيقة", "بريطانيا ترفض المزاعم الواهية",
               "يزعمون", "تغالط", "براءته", "بريطانيا: غير\tصحيحة", "بريطانيا: غير\nدقيق", "لا شيء هنا", "البريد غير واضح"]
    for s in samples:
        f = normalize(s).text
        old = any(w in f for w in responses_find._LIE_WORDS)
        new = responses_find._may_lie(f)
        assert not new or old                           # never more than the old guard
        if old and responses_find._LIE.search(f):
            assert new                                  # a text the old guard let through to a match: too
    assert not responses_find._may_lie(normalize("بريطانيا والبريد").text)


def test_entity_flags_carry_the_group_noun_test():
    from khabar.ner import entities

    doc = Pipeline(["normalize", "tokens", "sentences", "segments"])(Document.from_text(TEXT))
    flags = entities._token_flags(doc.tokens)
    assert entities._token_flags(doc.tokens) is flags  # the last layer's flags kept
    for i, w in enumerate(doc.tokens.strings):
        assert bool(flags[i] & 8) == (entities._word_info(doc.tokens, i)[2] in entities._GROUP_HEADS)
    assert any(f & 8 for f in flags)                   # ميليشيات
    places, orgs, known = entities._candidates(doc.tokens)
    assert places == [i for i, f in enumerate(flags) if f & 1]
    assert orgs == [i for i, f in enumerate(flags) if f & 2]
    assert known == [i for i, f in enumerate(flags) if f & 4]


def test_fold_is_character_by_character_across_a_newline():
    # _word_crcs folds a title and the text apart: the same as folding them joined by a newline
    a, b = "أمريكا وإيران", TEXT
    assert fold(a + "\n" + b, search=True) == fold(a, search=True) + "\n" + fold(b, search=True)
    assert re.fullmatch(r"\n", fold("\n", search=True))
