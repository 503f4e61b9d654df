"""Property tests over arbitrary Unicode: the text core never raises and every span is valid."""
import unicodedata

from hypothesis import given, settings, strategies as st

import khabar
from khabar.document import Document
from khabar.text.normalize import normalize
from khabar.text.sentences import split_sentences
from khabar.text.tokenize import tokenize

ARABICISH = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآىةؤئ"
                                                  "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"
                                                  "ﻻﻷ٠١٢٣.،؛؟!?\"«»“”‘’'()-:/ \n\t\u200b\u200c\u200f\u202b"
                                                  "abcXYZ0123456789@#")), max_size=300)
ANY = st.text(max_size=200)
TEXT = st.one_of(ARABICISH, ANY)


def _is_space(c):
    return c.isspace() or unicodedata.category(c) == "Cf"


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_tokens_cover_every_visible_char_once(s):
    spans = tokenize(s)
    covered = [0] * len(s)
    prev_end = 0
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(s)
        assert sp.start >= prev_end
        prev_end = sp.end
        for i in range(sp.start, sp.end):
            covered[i] += 1
    for i, c in enumerate(s):
        if not _is_space(c):
            assert covered[i] == 1, (i, c)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_sentences_in_bounds_ordered(s):
    prev = 0
    for sp in split_sentences(s):
        assert prev <= sp.start < sp.end <= len(s)
        prev = sp.end
        assert s[sp.start:sp.end].strip() == s[sp.start:sp.end]


@settings(max_examples=300, deadline=None)
@given(TEXT, st.booleans())
def test_normalization_map_points_into_original(s, search):
    v = normalize(s, search=search)
    assert len(v.offsets) == len(v.text)
    prev = 0
    for i in range(len(v.text)):
        o = int(v.offsets[i])
        assert 0 <= o < len(s)
        assert o >= prev  # monotone
        prev = o
    for i in range(len(v.text) + 1):
        for j in (i, min(len(v.text), i + 3)):
            a, b = v.to_original(i, j)
            assert 0 <= a <= b <= len(s)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_analyze_text_core_never_raises(s):
    doc = khabar.analyze(s, only=["normalize", "tokens", "sentences", "segments"])
    for name in ("tokens", "sentences"):
        for sp in doc.layers[name]:
            assert 0 <= sp.start < sp.end <= len(doc.text)
            for seg in (sp.attrs or {}).get("segments", []):
                assert sp.start <= seg[0] <= seg[1] <= sp.end
    Document.loads(doc.dumps())
