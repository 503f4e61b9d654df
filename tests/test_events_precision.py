"""Events, precision first (issue 19): a denied act is never coded as the act; both sides of every row are actors of
the article; every row carries its status.  Checked on sentences of each class and over the seed and the gold dev
and dev2 articles (skipped when ../shared is absent)."""
from __future__ import annotations

import json
import re

import pytest

import khabar
from khabar.events.rows import COLUMNS, event_rows

from conftest import SHARED


def rows_of(text):
    doc = khabar.analyze(text, only=["events"])
    return doc, [(e.attrs["root"], e.attrs["source"], e.attrs["target"], e.attrs["status"])
                 for e in doc.layers["events"]]


@pytest.mark.parametrize("text", [
    # a negated noun of involvement: ليس لها أي دخل في / لا علاقة لها بـ
    "وقالت الخارجية الإيرانية إن إيران ليس لها أي دخل في الهجمات على القوات الأمريكية في العراق.",
    "وأكدت الحكومة السورية أنه لا علاقة لها بالهجوم على القوات التركية.",
    # a verb of denial governing the act
    "ونفت روسيا أي تورط في الهجوم على القوات الأوكرانية.",
    "ونفى الجيش الإسرائيلي أنه قصف مستشفى في غزة.",
])
def test_a_denied_act_is_not_coded_as_the_act(text):
    _, rows = rows_of(text)
    assert not [r for r in rows if r[0] in ("18", "19", "20")], rows


def test_the_same_act_asserted_or_reported_is_coded():
    _, rows = rows_of("وقالت الخارجية الإيرانية إن إيران هاجمت القوات الأمريكية في العراق.")
    assert ("19", "إيران", "الولايات المتحدة", "reported") in rows
    _, rows = rows_of("وهاجمت القوات الروسية مواقع للقوات الأوكرانية.")
    assert ("19", "روسيا", "أوكرانيا", "asserted") in rows


def test_status_column_in_the_rows():
    doc, rows = rows_of("لم تفرض ألمانيا أي عقوبات على تركيا حتى الآن.")
    assert rows == [("16", "ألمانيا", "تركيا", "negated")]
    assert "status" in COLUMNS and COLUMNS.index("status") == COLUMNS.index("modality") + 1
    assert [r["status"] for r in event_rows(doc)] == ["negated"]


def test_a_threat_needs_whom_it_threatens():
    _, rows = rows_of("وفرنسا تتوعد بالرد.")
    assert not [r for r in rows if r[0] == "13"]


_DENIAL = re.compile(r"(?:^|\s)[وف]?(?:نفت|نفى|ينفي|تنفي|نفوا|أنكر|أنكرت|ينكر|تنكر|نافيا|نافية)(?:\s|$)|"
                     r"(?:ليس|ليست|لا)\s+(?:\S+\s+){0,3}(?:دخل|علاقة|صلة|تورط|ضلوع)")


def _gold_docs():
    for split in ("seed", "dev", "dev2"):
        root = SHARED / "gold" / split / "articles"
        if not root.is_dir():
            continue
        for f in sorted(root.glob("*.json")):
            yield f"{split}/{f.stem}", json.loads(f.read_text(encoding="utf-8"))["text"]


def test_gold_articles_rows_are_between_actors_and_never_denied():
    docs = list(_gold_docs())
    if not docs:
        pytest.skip("../shared/gold is absent")
    n = 0
    for name, text in docs:
        doc = khabar.analyze(text, only=["events"])
        ids = {a.get("id") for a in doc.layers.get("actors") or () if isinstance(a, dict)}
        for e in doc.layers["events"]:
            a = e.attrs
            n += 1
            for side, actor in (("source", a["source_actor"]), ("target", a["target_actor"])):
                if side == "target" and a["target"] is None:
                    continue
                assert actor and (actor in ids or re.fullmatch(r"GPE:[A-Z]{3}|OPP|REB|INS", actor) or
                                  any(actor == (q.attrs or {}).get("speaker_actor") or
                                      actor == (q.attrs or {}).get("speaker") for q in doc.layers.get("quotes") or ())), \
                    (name, side, a[side], actor)
            assert a["status"] in ("asserted", "reported", "negated")
            # the clause before the trigger holds no denial (an independent reading of the denial cues)
            t = doc.text.find(a["trigger"], e.start)
            sent = next((s for s in doc.layers["sentences"] if s.start <= t < s.end), None)
            before = re.split(r"[.؟!؛;]", doc.text[sent.start if sent else 0:t])[-1]
            assert not _DENIAL.search(before), (name, a["code"], a["source"], a["target"], before[-80:])
    assert n > 50   # the check ran over the rows of the gold articles


def test_seed_iran_denial_is_not_an_attack(seed_text):
    doc = khabar.analyze(seed_text, only=["events"])
    assert "ليس لها أي دخل في الهجمات" in seed_text
    for e in doc.layers["events"]:
        assert not (e.attrs["source"] == "إيران" and e.attrs["root"] in ("18", "19", "20")), e


def test_a_meeting_needs_the_party_met():
    # مع/بين or بـ name the party met; a topic (بشأن سوريا) or a genitive is no party
    _, rows = rows_of("وعقد الرئيس الروسي لقاء مع الرئيس التركي في أنقرة.")
    assert ("04", "روسيا", "تركيا", "asserted") in rows
    _, rows = rows_of("والتقى الرئيس المصري بالرئيس السوداني في الخرطوم.")
    assert ("04", "مصر", "السودان", "asserted") in rows
    _, rows = rows_of("وعقد مجلس الأمن الدولي اجتماعا طارئا بشأن سوريا.")
    assert not [r for r in rows if r[0] == "04"], rows


def test_bearing_responsibility_is_no_accusation():
    # تتحمل/يتحمل (form V, to bear) is not حمّل (to blame): the subject is not an accuser
    _, rows = rows_of("وقال الوزير إن إيران تتحمل جزءا من المسؤولية عن الأزمة في العراق.")
    assert not [r for r in rows if r[0] == "11" and r[1] == "إيران"], rows


def test_a_nisba_names_the_state_only_where_the_state_acts():
    # after an event word or a state's act: the state
    _, rows = rows_of("وتصاعدت الأزمة بعد انتقادات كندية للسعودية بشأن حقوق الإنسان.")
    assert ("11", "كندا", "السعودية", "asserted") in rows
    # after a place, an institution or a thing: no state is a party
    _, rows = rows_of("وكان الاتحاد الأوروبي فرض العقوبات في يوليو 2014 في خضم الأزمة الأوكرانية.")
    assert not [r for r in rows if r[2] == "أوكرانيا"], rows


def test_a_bare_sector_word_is_no_party_even_as_an_actor():
    from khabar.events.extract import _article_actor
    # a stage may keep "قوات" or "الدول" as an actor of its own: it names no one
    assert _article_actor("قوات", "MIL", "A5", {}, {}) is None
    assert _article_actor("الدول", "GOV", "A2", {}, {}) is None
    # a collective party named as such, and a named actor, stay
    assert _article_actor("المعارضة", "OPP", "A3", {}, {}) == "A3"
    assert _article_actor("حزب الله", "LBNREB", "A4", {}, {}) == "A4"


def test_protesters_acts_of_force_are_a_violent_protest_by_the_protesters():
    # burning or storming by protesters named with their nisba: CAMEO 145, the protesters (not their state) the
    # source, the state whose mission they attacked the target (القنصلية الإيرانية → إيران)
    _, rows = rows_of("أحرق المتظاهرون العراقيون مبنى القنصلية الإيرانية في البصرة.")
    assert rows == [("14", "المتظاهرون العراقيون", "إيران", "asserted")]
    doc = khabar.analyze("أحرق المتظاهرون العراقيون مبنى القنصلية الإيرانية في البصرة.", only=["events"])
    assert doc.layers["events"][0].attrs["code"] == "145"
    assert doc.layers["events"][0].attrs["source_code"] == "IRQCVL"
    # bare protesters stand for those the article names with their nisba, even later
    _, rows = rows_of("وأحرق المتظاهرون مبنى القنصلية الإيرانية. وكان المتظاهرون العراقيون قد خرجوا إلى الشوارع.")
    assert ("14", "المتظاهرون العراقيون", "إيران", "asserted") in rows
    # protesters the article never names are no actor of it; burning by anyone else is no protest
    assert rows_of("أحرق المتظاهرون مبنى القنصلية الإيرانية في البصرة.")[1] == []
    assert rows_of("أحرق الجيش الإسرائيلي منازل في غزة.")[1] == []


def test_an_envoy_repeating_his_states_act_is_the_same_event():
    # the spokesman's accusation repeats his state's: one row (the state's), not two
    _, rows = rows_of("اتهمت الولايات المتحدة إيران بتزويد الحوثيين بالصواريخ. وقال المتحدث باسم الخارجية الأمريكية "
                      "جون كيربي للصحفيين إن الوضع خطير، واتهم كيربي إيران بتزويد الحوثيين بالصواريخ.")
    assert [r for r in rows if r[0] == "11"] == [("11", "الولايات المتحدة", "إيران", "asserted")], rows
    # a head of state's own act is kept beside his state's
    _, rows = rows_of("شكرت تركيا قطر على دعمها. وشكر الرئيس التركي رجب طيب أردوغان أمير قطر تميم بن حمد.")
    assert len([r for r in rows if r[0] == "05"]) == 2, rows


def test_a_ministry_is_no_visit():
    from khabar.events.extract import _may_trigger
    from khabar.events.lexicon import load
    # وزارة (ministry) is not و + زار + ة (visit); وزارت (and she visited) is
    assert not [w for w in ("وزارة", "الوزارة", "لوزارة", "وزارات") if _may_trigger(w, load())]
    assert _may_trigger("وزارت", load())
    _, rows = rows_of("وأرسلت اللجنة الوطنية طلبا إلى وزارة العمل السعودية.")
    assert not [r for r in rows if r[0] == "04"], rows


def test_a_surname_after_the_opening_verb_is_the_articles_person():
    # the actors layer leaves this bare surname untagged: the events stage resolves it
    _, rows = rows_of("قال قائد اللواء الثالث العميد سالم الحبهي إن قواته مستعدة.\n"
                      "ووجه الحبهي الشكر إلى حكومة الإمارات على دعمها.")
    assert ("05", "سالم الحبهي", "الإمارات", "asserted") in rows, rows
    # a surname two persons of the article share names neither
    from khabar.events.extract import _surnames
    people = [{"type": "PER", "name": n, "id": f"A{k}"} for k, n in enumerate(("أحمد المنصوري", "خالد المنصوري",
                                                                               "العميد خالد المنصوري", "عبد الله"))]
    index = ([0] * len(people), [(0, 0, a, k) for k, a in enumerate(people)])
    assert "المنصوري" not in _surnames(index) and "الله" not in _surnames(index)
    assert _surnames(index[:1] + ([index[1][1], index[1][2]],))["المنصوري"] == ("العميد خالد المنصوري", "A2")


def test_a_verb_without_subject_keeps_the_subject_carried_before():
    text = ("وكان أليكسي نافالني قد غادر البلاد العام الماضي.\n"
            "وقضى معظم وقته في ألمانيا وفرنسا.\n"
            "وانتقد في الماضي سياسات الحكومة الروسية.")
    _, rows = rows_of(text)
    assert [r for r in rows if r[0] == "11" and r[1] == "أليكسي نافالني"], rows


def test_a_counted_group_after_an_accusation_verb_is_its_patient():
    _, rows = rows_of("وقال المحامون إن موكليهم أبرياء.\nكما اتهم أربعة رجال آخرين من كوريا الشمالية بالقتل.")
    assert not [r for r in rows if r[0] in ("11", "17")], rows


def test_a_possessive_meeting_noun_is_the_subjects_meeting():
    _, rows = rows_of("وكان الرئيس الأمريكي دونالد ترامب قد أعلن بعد قمته مع كيم جونغ أون وقف المناورات.")
    assert [r for r in rows if r[0] == "04" and r[1] == "دونالد ترامب" and r[2] == "كيم جونغ أون"], rows
    _, rows = rows_of("وقال البيت الأبيض إن الرئيس دونالد ترامب يلغي قمته مع كيم جونغ أون.")
    assert not [r for r in rows if r[0] == "04"], rows   # a meeting called off


def test_sanctions_after_subject_to_target_the_person_described():
    _, rows = rows_of("وحضر الاجتماع الجنرال قاسم سليماني، قائد فيلق القدس والخاضع لعقوبات الولايات المتحدة.")
    assert ("16", "الولايات المتحدة", "قاسم سليماني", "asserted") in [r[:3] + (r[3],) for r in rows], rows


def test_a_province_is_no_target():
    _, rows = rows_of("وقالت دمشق إن الضربات الجوية الروسية على محافظة إدلب دقيقة.")
    assert not [r for r in rows if r[2] and r[2].startswith("محافظة")], rows


def test_a_joint_press_conference_is_a_meeting_with_the_other_party():
    _, rows = rows_of("وقال الرئيس الفرنسي إيمانويل ماكرون في مؤتمر صحفي مشترك مع المستشارة الألمانية أنغيلا ميركل "
                      "إن البلدين متفقان.")
    assert [r for r in rows if r[0] == "04" and r[1] == "إيمانويل ماكرون" and "ميركل" in (r[2] or "")], rows
    _, rows = rows_of("وقال الرئيس الفرنسي إيمانويل ماكرون في مؤتمر مع المستشارة الألمانية أنغيلا ميركل إن البلدين "
                      "متفقان.")
    assert not [r for r in rows if r[0] == "04"], rows   # a conference, not a press conference


def test_an_act_urged_is_not_done():
    _, rows = rows_of("وحثت الولايات المتحدة أعضاء مجلس الأمن الدولي على فرض عقوبات على إيران.")
    assert not [r for r in rows if r[0] == "16"], rows
    assert [r for r in rows if r[0] == "02" and r[1] == "الولايات المتحدة"], rows
    _, rows = rows_of("وطالبت الولايات المتحدة كوريا الشمالية بالإفراج عن المواطنين الأمريكيين الثلاثة.")
    assert not [r for r in rows if r[0] == "08"], rows
    _, rows = rows_of("وفرضت الولايات المتحدة عقوبات على إيران.")
    assert ("16", "الولايات المتحدة", "إيران", "asserted") in rows, rows


def test_a_country_after_fi_is_where_not_whom():
    _, rows = rows_of("وأعلنت قوات سوريا الديمقراطية أنها شنت عملية برية كبيرة بهدف السيطرة على منطقة في شرق سوريا.")
    assert not [r for r in rows if r[2] == "سوريا"], rows
    _, rows = rows_of("وكانت ضربة أمريكية استهدفت قاعدة الشعيرات العسكرية في وسط سوريا.")
    assert [r for r in rows if r[0] == "19" and r[2] == "سوريا"], rows   # a state's base struck there is the state's


def test_a_force_verb_after_a_force_noun_has_the_noun_as_subject():
    _, rows = rows_of("ونقلت وكالة رويترز عن قائد مؤيد للرئيس السوري بشار الأسد قوله إن الغارة استهدفت موقعا للجيش "
                      "السوري.")
    assert not [r for r in rows if r[1] == "بشار الأسد" and r[0] == "19"], rows


def test_the_killer_of_x_apposed_to_a_person_is_his_act():
    _, rows = rows_of("كشف جندي البحرية الأميركية روبرت أونيل، قاتل زعيم تنظيم القاعدة أسامة بن لادن، تفاصيل جديدة.")
    assert [r for r in rows if r[0] == "18" and r[1] == "روبرت أونيل" and r[2] == "أسامة بن لادن"], rows
    _, rows = rows_of("وسجل اللاعب الهدف القاتل لمنتخب ألمانيا في مرمى السويد.")
    assert not [r for r in rows if r[0] == "18"], rows   # an adjective: a late (killer) goal


def test_a_crime_verb_in_a_quote_is_the_speakers_accusation_of_its_subject(monkeypatch):
    _, rows = rows_of("وقال الرئيس الأمريكي إن قادة إيران ينهبون ثروات بلدهم.")
    assert ("11", "الولايات المتحدة", "إيران", "reported") in rows
    _, rows = rows_of("وقال مسؤول في البيت الأبيض إن الصين سرقت الملكية الفكرية للشركات الأميركية.")
    assert [r for r in rows if r[0] == "11" and r[2] == "الصين"], rows
    # the one robbed, named after the verb, is not the accused
    _, rows = rows_of("وقال وزير الدفاع الأمريكي إن الصواريخ جرى نهبها من مخازن القذافي.")
    assert not [r for r in rows if r[0] == "11"], rows
    import khabar.events.extract as ex
    monkeypatch.setattr(ex, "QUOTE_ACCUSATIONS", False)
    _, rows = rows_of("وقال الرئيس الأمريكي إن قادة إيران ينهبون ثروات بلدهم.")
    assert not [r for r in rows if r[0] == "11"], rows
