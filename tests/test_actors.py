"""Entities and actors: spans, clusters of variant names, the seed article's gold entities and actors."""
import json

import khabar
from khabar.actors import cluster_actors, name_key, place_index
from khabar.ner.entities import bio_to_spans
from conftest import shared_path


def test_bio_to_spans():
    assert bio_to_spans(["B-PER", "I-PER", "O", "B-LOC", "I-ORG", "I-ORG", "O"]) == [
        ("PER", 0, 2), ("LOC", 3, 4), ("ORG", 4, 6)]
    assert bio_to_spans(["I-PER", "I-PER"]) == [("PER", 0, 2)]
    assert bio_to_spans([]) == []


def test_name_key_folds_variants():
    assert name_key("أوباما") == name_key("اوباما") == name_key("أوبـاما")
    assert name_key("إيران") == name_key("أيران")
    idx = place_index()
    assert idx.names[name_key("الجمهورية الإسلامية")][0] == "IRN"
    assert idx.names[name_key("طهران")] == ("IRN", "إيران", True)


def _actor_of(doc, text):
    for a in doc.layers["actors"]:
        if any(m["text"] == text for m in a["mentions"]):
            return a
    return None


def test_clusters_on_handwritten_text():
    text = ("قال وزير الخارجية الفرنسي جان إيف لودريان إن باريس تدعم الحوار. وأضاف لودريان أن فرنسا لن تتراجع. "
            "من جهتها، رفضت أيران العرض، واعتبرت الجمهورية الإسلامية أن الموقف الأوروبي غير مقبول.")
    doc = khabar.analyze(text, only=["actors"])
    for e in doc.layers["entities"]:
        assert doc.text[e.start:e.end].strip() == doc.text[e.start:e.end]
        assert e.label in {"PER", "ORG", "LOC", "MISC"}
    iran = _actor_of(doc, "أيران")
    assert iran is not None and iran["name"] == "إيران" and iran["key"] == "GPE:IRN"
    assert any(m["text"] == "الجمهورية الإسلامية" for m in iran["mentions"])
    france = _actor_of(doc, "فرنسا")
    assert france is not None and france["key"] == "GPE:FRA"
    per = _actor_of(doc, "لودريان")
    assert per is not None and per["type"] == "PER"
    assert "لودريان" in per["name"] and len(per["name"].split()) >= 2
    for a in doc.layers["actors"]:
        for m in a["mentions"]:
            assert doc.text[m["start"]:m["end"]] == m["text"]


def test_stage_is_the_library():
    """The actors stage is an adapter: its layers are cluster_actors' output."""
    text = "قال الرئيس الأمريكي باراك أوباما إن واشنطن تدعم الاتفاق. وأضاف أوباما أن طهران رفضت العرض."
    ents = khabar.analyze(text, only=["entities"])
    actors, entities = cluster_actors(ents)
    doc = khabar.analyze(text, only=["actors"])
    assert actors == doc.layers["actors"] and entities == doc.layers["entities"]
    obama = _actor_of(doc, "أوباما")
    assert obama is not None and obama["name"] == "باراك أوباما"
    assert any(m["text"] == "الرئيس الأمريكي" for m in obama["mentions"])  # the role phrase before the name
    assert _actor_of(doc, "طهران")["key"] == "GPE:IRN"                      # a capital as a metonym


def test_entity_after_proclitic_starts_at_name():
    doc = khabar.analyze("وصل الوفد لإيران أمس ثم توجه والوفد إلى بريطانيا.", only=["entities"])
    texts = [doc.text[e.start:e.end] for e in doc.layers["entities"]]
    assert "إيران" in texts and "بريطانيا" in texts


def test_keys_stable_across_documents():
    a = khabar.analyze("قال الرئيس الأمريكي باراك أوباما إن الاتفاق جيد.", only=["actors"])
    b = khabar.analyze("وقال باراك اوباما إن الاتفاق جيد.", only=["actors"])
    ka = {x["key"] for x in a.layers["actors"] if x["type"] == "PER"}
    kb = {x["key"] for x in b.layers["actors"] if x["type"] == "PER"}
    assert ka & kb


def test_seed_entities_and_actors():
    ann = shared_path("gold", "seed", "annotations")
    gold = json.loads(next(ann.glob("*.json")).read_text(encoding="utf-8"))
    text = next(shared_path("seed").glob("*.txt")).read_text(encoding="utf-8")
    doc = khabar.analyze(text)
    found = {doc.text[e.start:e.end] for e in doc.layers["entities"]}
    names = [n for ns in gold["entities"].values() for n in ns]
    recall = sum(n in found for n in names) / len(names)
    assert recall >= 0.90, f"seed entity recall {recall:.2f}"
    # every gold actor cluster is held by one actor of ours
    for canon, mentions in gold["actors"].items():
        owners = {(_actor_of(doc, m) or {}).get("id") for m in mentions}
        assert len(owners) == 1 and None not in owners, (canon, owners)


def test_outlet_own_credit_and_dateline_place():
    """The outlet's own mentions (its metadata's outlet, its call to readers) are the outlet, not actors; the
    dateline's city is a place whatever the tagger said."""
    text = ("أتلانتا، الولايات المتحدة (CNN) -- قال الرئيس الأمريكي دونالد ترامب إن الاقتصاد ينمو. "
            "وقال مراسل بي بي سي إن الوضع هادئ.")
    doc = khabar.analyze(text, only=["actors"])
    keys = {a["key"] for a in doc.layers["actors"]}
    assert "ORG:cnn" not in keys and "PER:دونالد ترامب" in keys
    atl = [e for e in doc.layers["entities"] if text[e.start:e.end] == "أتلانتا"]
    assert atl and all(e.label == "LOC" for e in atl)
    assert any(k.endswith("بي بي سي") for k in keys)  # another outlet cited: an actor
    own = khabar.analyze(text, only=["actors"], outlet="BBC")
    assert not any(k.endswith("بي بي سي") for k in {a["key"] for a in own.layers["actors"]})
    promo = khabar.analyze("قال الرئيس إن الاقتصاد ينمو. وقال مراسل بي بي سي إن الوضع هادئ.\n"
                           "تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفك", only=["actors"])
    assert not any("بي بي سي" in a["name"] for a in promo.layers["actors"])
    assert all((e.attrs or {}).get("outlet") for e in promo.layers["entities"] if "بي بي سي" in promo.text[e.start:e.end])


def test_place_typed_in_persian_letters_merges():
    doc = khabar.analyze("وصل وزير الخارجية إلى کابل أمس. وقالت مصادر في كابل إن الزيارة مهمة.", only=["actors"])
    kabul = [a for a in doc.layers["actors"] if a["key"] == "GPE:AFG"]
    assert kabul and {m["text"] for m in kabul[0]["mentions"]} == {"کابل", "كابل"}
    assert not any(a["key"] == "ORG:ابل" for a in doc.layers["actors"])  # كابل is not ك + Apple


def test_unnamed_speakers_by_corpus():
    from khabar.actors.speakers import is_unnamed
    for common in ("مقطع فيديو", "بيانات رسمية", "المؤسسة الوطنية", "14", "الشركة", "الشرطة"):
        assert is_unnamed(common), common
    for name in ("عمرو نصار", "عادل الجبير", "دونالد ترامب", "الأمم المتحدة", "السعودية", "وزارة الخزانة التركية",
                 "الدوري الإنجليزي", "البنك الدولي"):
        assert not is_unnamed(name), name
