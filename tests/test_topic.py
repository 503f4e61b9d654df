"""Topic classifier: smoke test on hand-written texts, and the time-split accuracy floor on ANT (skipped when
../shared is absent)."""
from __future__ import annotations

from pathlib import Path

import pytest

from khabar.document import Document
from khabar.stages.topic import TopicStage
from khabar.topic import classify

SHARED = Path(__file__).resolve().parents[2] / "shared"
LABELS = {"culture", "economy", "internationalNews", "middleEast", "sport", "technology"}
TEXT_FLOOR = 0.96   # shipped model, text only, on the (seen) latest 20% of ANT: 0.989 when trained
META_FLOOR = 0.98   # the same with the outlet (the URL is never read): 0.998


def test_topic_smoke():
    r = classify("فاز فريق ريال مدريد على برشلونة بهدفين مقابل هدف في مباراة الدوري الإسباني لكرة القدم، "
                 "وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة أمام جماهير الملعب.")
    assert r["label"] == "sport" and 0.5 < r["score"] <= 1.0
    assert set(r["scores"]) == LABELS and abs(sum(r["scores"].values()) - 1) < 1e-2
    r = classify("ارتفعت أسعار النفط في الأسواق العالمية وتراجع سعر صرف الدولار بعد قرار البنك المركزي رفع "
                 "أسعار الفائدة، وسجلت البورصة خسائر في تعاملات اليوم.")
    assert r["label"] == "economy"


def test_topic_stage_layer():
    doc = TopicStage()(Document.from_text("أطلقت شركة آبل هاتفا ذكيا جديدا بمعالج أسرع وكاميرا محسنة وتطبيقات جديدة."))
    assert doc.layers["topic"]["label"] == "technology"
    assert isinstance(doc.to_json()["topic"]["score"], float)


def test_topic_empty_text_is_safe():
    r = classify("")
    assert r["label"] in LABELS


@pytest.mark.skipif(not (SHARED / "data" / "news" / "ant_v2.1.jsonl.gz").exists(),
                    reason="../shared/data/news/ant_v2.1.jsonl.gz is absent")
def test_topic_time_split_floor():
    """The latest 20% of ANT by time, scored with the shipped model (which saw them: a regression check, not the
    held-out figure; training/train_topic.py reports the held-out one)."""
    import gzip, json
    from email.utils import parsedate_to_datetime
    rows = [json.loads(l) for l in gzip.open(SHARED / "data" / "news" / "ant_v2.1.jsonl.gz", "rt", encoding="utf-8")]
    rows.sort(key=lambda r: parsedate_to_datetime(r["time"]).timestamp())
    test = rows[int(len(rows) * 0.8):][::10]
    acc = sum(classify(r["text"], r.get("title"))["label"] == r["label"] for r in test) / len(test)
    assert acc >= TEXT_FLOOR, acc
    acc = sum(classify(r["text"], r.get("title"), r["src"])["label"] == r["label"] for r in test) / len(test)
    assert acc >= META_FLOOR, acc


def test_topic_never_reads_the_url_path():
    # ANT's URL paths spell the section (= the label): the model must not read them; the host names the outlet
    text = "قال مسؤولون إن الاجتماع بحث التطورات الأخيرة في المنطقة وسبل التعاون بين البلدين."
    r_sport = classify(text, url="https://arabic.cnn.com/sport/article/2018/05/01/x")
    r_world = classify(text, url="https://arabic.cnn.com/world/article/2018/05/01/x")
    assert r_sport["scores"] == r_world["scores"]
    assert r_sport["scores"] == classify(text, outlet="CNN")["scores"]  # the host gives the outlet


def test_topic_uses_the_outlet_when_given():
    text = "قال مسؤولون إن الاجتماع بحث التطورات الأخيرة في المنطقة وسبل التعاون بين البلدين."
    r0 = classify(text)
    r1 = classify(text, outlet="Sky News Arabia")
    assert set(r1["scores"]) == LABELS and r1["scores"] != r0["scores"]


def test_topic_stage_reads_meta():
    doc = TopicStage()(Document.from_text("فاز الفريق بالمباراة النهائية وتوج بطلا للدوري.", outlet="Sky News Arabia",
                                          url="https://www.skynewsarabia.com/world/123-x"))
    assert doc.layers["topic"]["label"] == "sport"
