"""The speaker chooser (khabar/attribution/speaker_model.py): the shipped weights load with the standard library,
score candidates, and on hand-written sentences choose a phrase that can speak (issue 15, error class 1).
Cross-validation (training/train_speaker.py) is not run here."""
from __future__ import annotations

import json

import khabar
from khabar.attribution import speaker_model


def speakers(text):
    doc = khabar.analyze(text, only=["quotes"])
    return [(q.get("cue_text"), q.get("speaker")) for q in doc.layers["quotes"]]


def test_shipped_model_loads_without_sklearn():
    speaker_model.reset_model()
    m = speaker_model.get_model()
    assert m is not None and isinstance(m["weights"], dict) and len(m["weights"]) > 20
    assert all(isinstance(v, float) for v in m["weights"].values())
    # read once per process: the same object on the second call
    assert speaker_model.get_model() is m
    assert json.loads(speaker_model.RESOURCE.read_text(encoding="utf-8"))["report"]["articles"] == 63


def test_choose_takes_the_best_scored_candidate():
    speaker_model.set_model({"bias": 0.0, "weights": {"a": 1.0, "b": -1.0}})
    try:
        assert speaker_model.choose([{"b": 1.0}, {"a": 1.0}]) == 1
        assert speaker_model.choose([{"a": 1.0}]) == 0
    finally:
        speaker_model.reset_model()


def test_without_a_model_the_rules_choose():
    speaker_model.set_model(None)
    try:
        assert speakers("وقال وزير الخارجية المصري، سامح شكري، إن المفاوضات ستستأنف.") == [("وقال", "سامح شكري")]
    finally:
        speaker_model.reset_model()


def test_named_subject_after_the_verb():
    assert speakers("وقال وزير الخارجية المصري، سامح شكري، إن المفاوضات ستستأنف الأسبوع المقبل.") == \
        [("وقال", "سامح شكري")]


def test_continuation_followed_by_a_phrase_that_cannot_speak_keeps_the_speaker():
    got = speakers("وقالت الوزيرة منى الخطيب إن الخطة جاهزة. وأضافت بنغمة لا تخلو من التهكم أن المعارضة لم تقرأها.")
    assert [s for _, s in got] == ["منى الخطيب", "منى الخطيب"]


def test_prepositional_phrase_after_the_verb_is_not_the_speaker():
    got = speakers("وأكد رئيس البلدية خالد العتيبي أن المشروع سينتهي قريبا. "
                   "وقال في مقدمة التقرير إن التكلفة بلغت مليون دولار.")
    assert len(got) == 2 and all("خالد العتيبي" in s for _, s in got)


def test_participle_keeps_the_sentence_subject():
    got = speakers("وأكد المتحدث باسم الشرطة، علي حسن، أن التحقيق مستمر، مشيرا إلى أن المشتبه به اعتقل.")
    assert [s for _, s in got] == ["علي حسن", "علي حسن"]
