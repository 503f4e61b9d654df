import numpy as np
import pytest

import khabar
from khabar.text.normalize import fold, normalize
from khabar.text.sentences import split_sentences
from khabar.text.tokenize import tokenize


def toks(s):
    return [(s[t.start:t.end], t.label) for t in tokenize(s)]


def test_normalize_folds_and_map():
    src = "أَحْمَدُ ـــ إلى مستشفى ﻻ ٢٠١٨ آية\u200f"
    v = normalize(src)
    assert v.text == "احمد  الي مستشفي لا 2018 اية"
    assert "ـ" not in v.text and "\u064e" not in v.text and "\u200f" not in v.text
    assert "2018" in v.text and "لا" in v.text
    assert len(v.offsets) == len(v.text)
    # each folded char points back to a char of the original that produced it
    for i, ch in enumerate(v.text):
        o = int(v.offsets[i])
        assert 0 <= o < len(src)
    i = v.text.index("2018")
    s, e = v.to_original(i, i + 4)
    assert src[s:e] == "٢٠١٨"
    i = v.text.index("لا")
    assert v.to_original(i, i + 2) == (src.index("ﻻ"), src.index("ﻻ") + 1)


def test_fold_search_ta_marbuta_kept_apart():
    assert fold("مدرسة") == "مدرسة"
    assert fold("مدرسة", search=True) == "مدرسه"
    assert fold("إيرانَ") == fold("ايران") == "ايران"
    assert fold("مصطفى") == "مصطفي"
    assert fold("مسؤول سئل") == "مسوول سيل"


def test_fold_persian_letters_and_ligatures():
    """Persian keyboard letters and Arabic word ligatures fold to the Arabic spelling; the original is untouched."""
    assert fold("علی کریمی") == fold("علي كريمي") == "علي كريمي"
    assert fold("مدرسۀ", search=True) == fold("مدرسة", search=True)
    assert fold("ﮐﺮﯾﻢ") == "كريم"  # presentation forms of Persian letters: NFKC, then the Persian fold
    assert fold("ﷺ") == "صلي الله عليه وسلم" and fold("ﷻ") == "جل جلاله"
    assert fold("﷽") == "بسم الله الرحمن الرحيم"
    assert fold("١٠٠ ﷼") == "100 ريال"
    assert fold("ﹰ") == ""  # an isolated haraka vanishes with the diacritics
    src = "قال محمد ﷺ وعلی"
    v = normalize(src)
    assert v.text == "قال محمد صلي الله عليه وسلم وعلي"
    assert len(v.offsets) == len(v.text)
    i = v.text.index("صلي")
    assert v.to_original(i, v.text.index("وسلم") + 4) == (src.index("ﷺ"), src.index("ﷺ") + 1)
    i = v.text.index("وعلي")
    s, e = v.to_original(i, i + 4)
    assert src[s:e] == "وعلی"


def test_persian_spelling_merges_actor_keys():
    from khabar.actors import name_key
    assert name_key("علی خامنه‌ای") == name_key("علي خامنهاي")
    assert name_key("کابل") == name_key("كابل")


def test_tokenizer_kinds():
    s = 'قال «نعم» و"لا" … www.bbc.com/arabic أو a.b@x.org #سوريا @user 1,000.5 ٣٫٥ 19-20 (CNN)-- 2018/5/3'
    t = toks(s)
    assert ("«", "quote") in t and ("»", "quote") in t and ('"', "quote") in t
    assert ("www.bbc.com/arabic", "url") in t
    assert ("a.b@x.org", "email") in t
    assert ("#سوريا", "hashtag") in t and ("@user", "mention") in t
    assert ("1,000.5", "num") in t and ("٣٫٥", "num") in t and ("19-20", "num") in t
    assert ("--", "punct") in t and ("CNN", "word") in t
    assert ("2018/5/3", "num") in t


def test_tokenizer_arabic_punct_and_diacritics():
    t = toks("كَتَبَ، ثم قال؛ هل؟ نعم.. ـــ")
    assert t[0] == ("كَتَبَ", "word")   # harakat stay inside the word
    assert ("،", "punct") in t and ("؛", "punct") in t and ("؟", "punct") in t and ("..", "punct") in t


def test_sentences_basic():
    s = "قال الوزير، في بيان، إن الوضع مستقر. وأضاف: «الأمر صعب. لكننا سننجح». ثم غادر!\nسطر جديد بلا نقطة"
    sents = [s[x.start:x.end] for x in split_sentences(s)]
    assert sents[0] == "قال الوزير، في بيان، إن الوضع مستقر."
    assert sents[1] == "وأضاف: «الأمر صعب. لكننا سننجح»."
    assert sents[2] == "ثم غادر!"
    assert sents[3] == "سطر جديد بلا نقطة"


def test_sentences_abbrev_numbers_dots():
    s = "التقى د. محمد بنسبة 3.5 بالمئة.. ثم عاد. انتهى"
    sents = [s[x.start:x.end] for x in split_sentences(s)]
    assert sents == ["التقى د. محمد بنسبة 3.5 بالمئة.. ثم عاد.", "انتهى"]


def test_empty_and_whitespace():
    assert split_sentences("") == ()
    assert split_sentences("  \n \n") == ()
    assert tokenize("   ") == ()


def test_seed_article_spans(seed_text):
    doc = khabar.analyze(seed_text, only=["tokens", "sentences", "segments"])
    text = doc.text
    assert len(doc.sentences) >= 15
    for sp in list(doc.tokens) + list(doc.sentences):
        assert 0 <= sp.start < sp.end <= len(text)
        assert text[sp.start:sp.end].strip() == text[sp.start:sp.end]
    words = [(text[t.start:t.end], t.label) for t in doc.tokens]
    assert words[:7] == [("لندن", "word"), ("،", "punct"), ("إنجلترا", "word"), ("(", "punct"), ("CNN", "word"),
                         (")", "punct"), ("--", "punct")]
    i = text.index("19 فبراير")
    seg = [w for (w, _), t in zip(words, doc.tokens) if i <= t.start < i + len("19 فبراير/ شباط")]
    assert seg == ["19", "فبراير", "/", "شباط"]
    # quotation marks are tokens of their own
    assert sum(1 for w, k in words if k == "quote") >= 10
    # sentences do not end at the Arabic comma
    assert not any(text[s.end - 1] == "،" for s in doc.sentences)
