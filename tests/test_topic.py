"""Topic classifier: smoke test on hand-written texts (the time-split accuracy floor on ANT is in
tests/test_gold_floors.py)."""
from __future__ import annotations

from khabar.document import Document
from khabar.stages.topic import TopicStage
from khabar.topic import classify

LABELS = {"culture", "economy", "internationalNews", "middleEast", "sport", "technology"}


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


# the time-split accuracy floor on ANT (text only, and with the outlet): tests/test_gold_floors.py, set
# topic-ant-time-split in tests/gold_floors.json


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
