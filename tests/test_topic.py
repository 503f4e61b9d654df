"""The topic stage: subject (seven labels, a calibrated score), geography (ISO 3166 alpha-3, main first) and the
input's section; their rows in the store and Parquet, the store's ``subject``/``country`` filters and the report.
(The subject accuracy floors on ANT and on the hand-labelled SaudiNewsNet sample are in tests/gold_floors.json.)"""
from __future__ import annotations

import json

import numpy as np
import pytest

from khabar.document import Document
from khabar.layers import LAYERS, get_layer
from khabar.schema import export_layers, import_layers
from khabar.stages.topic import TopicStage
from khabar.topic import SUBJECTS, classify_subject, geography
from khabar.topic.geography import mentions, tables


def test_subject_smoke():
    r = classify_subject("فاز فريق ريال مدريد على برشلونة بهدفين مقابل هدف في مباراة الدوري الإسباني لكرة القدم، "
                         "وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة أمام جماهير الملعب.")
    assert r["label"] == "sport" and 0.5 < r["score"] <= 1.0
    assert tuple(r["scores"]) == SUBJECTS and abs(sum(r["scores"].values()) - 1) < 1e-2
    r = classify_subject("ارتفعت أسعار النفط في الأسواق العالمية وتراجع سعر صرف الدولار بعد قرار البنك المركزي "
                         "رفع أسعار الفائدة، وسجلت البورصة خسائر في تعاملات اليوم.")
    assert r["label"] == "economy"
    r = classify_subject("قصفت الطائرات الحربية مواقع المعارضة المسلحة، وقال وزير الخارجية إن المفاوضات مع الحكومة "
                         "متوقفة، فيما دعا مجلس الأمن إلى وقف إطلاق النار.")
    assert r["label"] == "politics"
    assert classify_subject("")["label"] in SUBJECTS


def test_subject_model_reads_only_the_words_it_was_trained_on(tmp_path):
    """A model trained with ``train_subject.py --max-words N`` stores N and reads only the first N words of title +
    text; a model without it reads the whole article (1,500 words)."""
    from khabar.npz import load_npz
    from khabar.topic.subject import SubjectModel

    z = load_npz("topic", "subject.npz")
    np.savez(tmp_path / "lead.npz", **z, max_words=np.int32(12))
    lead, whole = SubjectModel(tmp_path / "lead.npz"), SubjectModel()
    opening = "ارتفعت أسعار النفط في الأسواق العالمية وتراجع سعر صرف الدولار بعد قرار البنك المركزي رفع الفائدة. "
    sport = "فاز فريق ريال مدريد على برشلونة بهدفين مقابل هدف في مباراة الدوري الإسباني لكرة القدم. " * 20
    assert whole.max_words == 1500 and lead.max_words == 12
    assert lead.predict(opening + sport) == lead.predict(opening)
    assert whole.predict(opening + sport) != whole.predict(opening)


def test_stage_writes_subject_geography_section():
    text = "طهران - أعلنت وزارة الخارجية الإيرانية أن إيران لن تتراجع عن الاتفاق النووي مع الولايات المتحدة."
    doc = TopicStage()(Document.from_text(text, title="إيران ترفض", topic="middleEast").with_layers(dateline=None))
    assert doc.layers["subject"]["label"] in SUBJECTS
    geo = doc.layers["geography"]
    assert geo[0]["country"] == "IRN" and geo[0]["region"] == "Middle East"
    assert {g["country"] for g in geo} <= {"IRN", "USA"} and abs(sum(g["weight"] for g in geo) - 1) < 0.01
    assert doc.layers["section"] == "middleEast"
    out = export_layers(doc)
    assert out["subject"]["label"] == doc.layers["subject"]["label"] and out["geography"][0]["country"] == "IRN"
    # no section when the input carries none
    assert TopicStage()(Document.from_text(text).with_layers(dateline=None)).layers["section"] is None


def test_legacy_topic_layer_still_reads_back():
    assert "topic" not in LAYERS and get_layer("topic") is not None
    layers = import_layers({"topic": {"label": "middleEast", "score": 0.9}})
    assert layers["topic"]["label"] == "middleEast"


def test_geography_offsets_are_code_points_of_the_text():
    text = "قالَ الرئيسُ الأوكرانيُّ إنَّ القوات الروسية دخلت كييف، وبحثَ ذلك مع واشنطن."
    ms = mentions(text)
    got = [(text[s:e], iso3) for s, e, iso3, _ in ms]
    assert ("الأوكرانيُّ", "UKR") in got and ("كييف", "UKR") in got and ("واشنطن", "USA") in got
    assert ("الروسية", "RUS") in got


def test_geography_nisba_rules():
    # a bare nisba after a definite word is a personal name (الأمير تركي), not Turkey
    assert not any(iso3 == "TUR" for *_, iso3, _ in mentions("استقبل الأمير تركي بن محمد الوفد في مكتبه."))
    assert [iso3 for *_, iso3, _ in mentions("وقال مواطن سعودي إنه شاهد الحادث.")] == ["SAU"]
    # a player's nationality counts little; the state acting counts more
    kinds = {iso3: k for *_, iso3, k in mentions("انضم اللاعب البرازيلي إلى الفريق، وقالت السلطات الإيرانية إن")}
    assert kinds == {"BRA": "role_nisba", "IRN": "state_nisba"}


def test_geography_common_words_are_not_places():
    # صور "pictures" (Tyre), الخبر "the news" (Khobar), مسقط الرأس "birthplace" (Muscat)
    text = "نشر الموقع صورا وبصور جديدة، وجاء في الخبر أنه عاد إلى مسقط رأسه، مسقط الرأس."
    assert geography(text) == []


def test_geography_main_country_first_and_dateline():
    text = ("أعلن الجيش العراقي استعادة مدينة الرمادي في الأنبار من تنظيم داعش، وقال مسؤولون في بغداد إن "
            "القوات العراقية تتقدم، فيما رحبت الولايات المتحدة بالخطوة، وقال البيت الأبيض إن واشنطن تدعم بغداد.")
    geo = geography(text, title="القوات العراقية تستعيد الرمادي")
    assert geo[0]["country"] == "IRQ" and geo[0]["weight"] > 0.5
    assert [g["country"] for g in geo] == ["IRQ", "USA"]
    # the dateline's city adds its state
    g2 = geography("قال الوزير إن الاجتماع مثمر.", dateline={"city": "الرياض", "country": None})
    assert g2 and g2[0]["country"] == "SAU"
    assert geography("") == [] and geography("نص بلا أماكن") == []


def test_geography_dateline_place_that_is_a_common_word():
    # in the text الخبر is "the news"; as a dateline it names Khobar (Saudi Arabia)
    assert geography("وجاء في الخبر أن الاجتماع مثمر.") == []
    g = geography("وجاء في الخبر أن الاجتماع مثمر.", dateline={"city": "الخبر", "country": None})
    assert [c["country"] for c in g] == ["SAU"]


def test_geography_clubs_in_sport_only():
    text = ("واصل فريق الهلال تدريباته في معسكره النمساوي، وقال مدرب الهلال إن الفريق جاهز، "
            "ويلعب الهلال وديا أمام فريق نمساوي في سالزبورغ.")
    # without the subject a club name is a common word (crescent); the camp abroad is all that is named
    assert geography(text)[0]["country"] == "AUT"
    # a sports story is about its club's country first
    assert geography(text, subject="sport")[0]["country"] == "SAU"
    assert geography("الهلال الأحمر يسعف المصابين", subject="health") == []
    # a club name several countries share counts only for the outlet's country
    shared = "فاز الأهلي على منافسه بهدفين في المباراة."
    assert geography(shared, subject="sport") == []
    assert geography(shared, subject="sport", url="http://www.okaz.com.sa/x")[0]["country"] == "SAU"


def test_geography_outlet_country_only_when_no_place_is_named():
    local = "أعلنت إدارة التعليم أسماء المقبولين في الكلية، ودعتهم إلى الحضور الأسبوع المقبل."
    assert geography(local) == []
    assert geography(local, outlet="sabq")[0] == {"country": "SAU", "region": "Middle East", "weight": 1.0,
                                                  "mentions": 0}
    assert geography(local, url="https://www.alriyadh.com/1066966")[0]["country"] == "SAU"
    # a pan-Arab or unknown outlet has no country; an article that names a place keeps it
    assert geography(local, outlet="aawsat") == [] and geography(local, outlet="was it") == []
    assert [c["country"] for c in geography("وصل الوفد إلى القاهرة أمس.", outlet="sabq")] == ["EGY"]
    from khabar.topic.geography import outlet_country
    assert outlet_country(url="http://sabq.org/2eDgde") == "SAU" and outlet_country("CNN", "https://cnn.com") is None


def test_every_state_has_a_region():
    names, _, region, _ = tables()
    assert {v for v in names.values() if v} <= set(region)
    assert all(region.values())
    from khabar.topic.geography import club_table, outlet_table
    assert {c for isos in club_table()[0].values() for c in isos} <= set(region)
    assert {c for t in outlet_table() for c in t.values()} <= set(region)


@pytest.fixture
def analysed():
    text = "طهران - أعلنت وزارة الخارجية الإيرانية أن إيران لن تتراجع، وقال مسؤول في الرياض إن السعودية ترفض ذلك."
    d = Document.from_text(text, title="إيران ترفض", outlet="X", published="2018-03-05", topic="middleEast")
    return TopicStage()(d.with_layers(dateline=None))


def test_rows_store_filters_and_report(analysed, tmp_path):
    from khabar.io.rows import table_rows
    from khabar.report import text_report
    from khabar.store import Store

    rows = table_rows(analysed)
    assert rows.subject == analysed.layers["subject"]["label"] and rows.country == "IRN"
    assert rows.countries[:2] == ["IRN", "SAU"] and rows.section == "middleEast"
    with Store(tmp_path / "t.db") as st:
        assert st.add(analysed)
        hits = st.search("إيران", country="SAU").hits  # any country of the article, not only the main one
        assert len(hits) == 1 and hits[0]["country"] == "IRN" and hits[0]["topic"] == "middleEast"
        assert hits[0]["subject"] == rows.subject
        assert st.count("إيران", country="usa") == 0 and st.count("إيران", country="IRN") == 1
        assert st.count("إيران", subject=rows.subject) == 1
        assert st.count("إيران", subject=next(x for x in SUBJECTS if x != rows.subject)) == 0
        from khabar.errors import KhabarError
        with pytest.raises(KhabarError):
            st.search("إيران", country="Iran")
    rep = text_report(analysed)
    assert f"Subject: {rows.subject}" in rep and "IRN (Middle East" in rep and "Section (as the input filed it): " \
        "middleEast" in rep


def test_parquet_documents_carry_subject_and_countries(analysed, tmp_path):
    pytest.importorskip("pyarrow")
    from khabar.batch.tables import document_rows

    row = document_rows(analysed, seq=0, partition=0, source=None, line=None, pipeline="t")["documents"][0]
    assert row["subject"] in SUBJECTS and row["country"] == "IRN" and row["countries"].startswith("IRN,SAU")
    assert row["label"] == "middleEast" and isinstance(row["subject_score"], float)
    assert json.loads(row["annotations"])["geography"][0]["country"] == "IRN"


def test_subject_seed_titles_follow_the_labelling_guide():
    """The weak labels of training/train_subject.py: where a title names politics (terrorism, its victims,
    elections) and society words, the guide files it under politics; official condemnation is politics; a title of
    society and health words is health; two other classes give no seed."""
    import importlib.util
    from pathlib import Path

    pytest.importorskip("scipy")
    path = Path(__file__).resolve().parents[1] / "training" / "train_subject.py"
    spec = importlib.util.spec_from_file_location("_train_subject", path)
    ts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ts)
    assert ts.seed_label("نائب الملك يتفقد مسجد الطوارئ ويقدم العزاء لأسر الشهداء") == "politics"
    assert ts.seed_label("الحكومة اليمنية تدين الهجوم") == "politics"
    assert ts.seed_label("منظمة التعاون الإسلامي تستنكر حرق طفل") == "politics"
    assert ts.seed_label("مستشفى المدينة يستقبل مرضى الحريق") == "health"
    assert ts.seed_label("غرق طالب في مسبح المدرسة") == "society"
    assert ts.seed_label("ارتفاع أسعار النفط") is None
    assert ts.seed_label("قصف مستشفى في تعز") == "?"
