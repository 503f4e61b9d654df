"""Sources: prepositional attributions and media subjects of reporting verbs (GUIDELINES decision 1)."""
from __future__ import annotations

import khabar
from _gold_helpers import figures


def sources(text):
    doc = khabar.analyze(text, only=["sources"])
    out = []
    for s in doc.layers["sources"]:
        assert doc.text[s.start:s.end] and doc.text[s.start:s.end] == doc.text[s.start:s.end].strip()
        cs, ce = s.get("cue")
        assert doc.text[cs:ce].strip() == s.get("cue_text")
        out.append((doc.text[s.start:s.end], s.get("cue_text")))
    return out


def test_prepositional_sources():
    got = sources("ارتفع عدد القتلى إلى عشرة، وفقا لوكالة الأنباء الرسمية.")
    assert got and got[0][0] == "وكالة الأنباء الرسمية"
    assert any(src == "الجيش اللبناني" for src, _ in sources("قتل ثلاثة مسلحين، بحسب الجيش اللبناني."))


def test_media_subject_is_a_source_not_a_speaker():
    text = "وذكرت صحيفة الغارديان البريطانية أن الحكومة ستستقيل."
    got = sources(text)
    assert any("صحيفة الغارديان" in s for s, _ in got)
    doc = khabar.analyze(text, only=["quotes"])
    assert not doc.layers["quotes"]


def test_reporting_verb_after_preposition_is_a_quote():
    doc = khabar.analyze("ستعقد القمة في موعدها، حسب ما قال الوزير.", only=["sources", "quotes"])
    assert not doc.layers["sources"]
    assert doc.layers["quotes"]


def test_generic_according_to_is_not_a_source():
    assert sources("توزع المساعدات حسب الحاجة وفقا لأهوائها.") == []


def test_seed_sources():
    f = figures("seed")  # the default pipeline
    assert f["sources"]["tp"] == f["sources"]["pred"] == f["sources"]["gold"] == 2


# dev/dev2 floors of every scorer figure: tests/test_gold_floors.py (tests/gold_floors.json)


def test_agency_full_name_and_coordinated_media():
    # "للأنباء" belongs to an agency's name (not an addressee, as in "قال للصحفيين")
    got = [s for s, _ in sources("ونقلت وكالة فرانس برس للأنباء عن مسؤول أن الهجوم فشل.")]
    assert "وكالة فرانس برس للأنباء" in got
    # two media joined by و are two sources; the affiliation after them is not part of either name
    got = [s for s, _ in sources('قتل خمسة، وفقا لما نقلته قناة "العالم" وموقع "الوفاق" التابعان للحكومة.')]
    assert got == ['قناة "العالم"', 'موقع "الوفاق"']


def test_as_reported_in_after_a_quote_is_a_source_and_ends_the_quote():
    doc = khabar.analyze("ونفت الوزارة وجود أي ارتباط بين القرارين، كما جاء في صحيفة الحياة اللندنية.")
    srcs = [doc.text[s.start:s.end] for s in doc.layers["sources"]]
    assert srcs == ["صحيفة الحياة اللندنية"]
    assert [doc.text[q.start:q.end] for q in doc.layers["quotes"]] == ["وجود أي ارتباط بين القرارين"]
