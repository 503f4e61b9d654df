"""Statements across articles (khabar.statements, khabar.store.statements) and the `khabar story` / `khabar claims`
commands."""
import json
import sqlite3
from pathlib import Path

import pytest

from khabar.statements.group import QuoteRef, StatementIndex, days, same_speaker, speaker_bucket
from khabar.statements.story import build_story
from khabar.statements.terms import containment, negated, stem, terms
from khabar.store import statements as S

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
STORIES = SHARED / "gold" / "stories"


# ---------------------------------------------------------------------------------------------------------------
# terms and speakers

def test_light_stem_and_terms():
    assert stem("والتصريحات") == "تصريح"
    assert stem("روسيا") == "روس"
    t = terms("قالت إن روسيا أنتجت غاز الأعصاب في السابق")
    assert {"روس", "انتج", "غاز", "اعصاب", "سابق"} <= t
    assert "في" not in t and "ان" not in t and "قال" not in t      # function words and verbs of saying dropped
    # auxiliaries of the passive (تم، جرى) and function words behind a clitic (وهي، وهو) are no content
    assert terms("جرى استدعاء السفير، وهي خطوة تم اتخاذها") == {"استدعاء", "سفير", "خطو", "اتخاذ"}


def test_containment_of_a_trimmed_report():
    full = terms("روسيا أنتجت في السابق غاز الأعصاب المستخدم في الاعتداء على سكريبال")
    trimmed = terms("روسيا أنتجت غاز الأعصاب")
    assert containment(trimmed, full) == 1.0
    assert containment(terms("المنتخب فاز بالمباراة"), full) == 0.0


def test_negation_from_particle_or_denial_cue():
    assert negated("لم أستمع إلى تسجيل")
    assert negated("نفى أن تكون بلاده قد سلمت التسجيل")
    assert not negated("بومبيو استمع إلى تسجيل صوتي")


def test_same_speaker_across_articles():
    assert same_speaker("PER:تيريزا ماي", "PER:ماي")
    assert same_speaker("PER:مولود جاويش اوغلو", "PER:جاويش اوغلو")
    assert not same_speaker("PER:تيريزا ماي", "PER:تيريزا")          # a first name alone is not the person
    assert not same_speaker("PER:ماي", "ORG:ماي")
    assert speaker_bucket("ORG:الشرطه@abc") == "ORG:الشرطه"


def test_days_reads_corpus_dates():
    assert days("Mon, 12 Mar 2018 21:30:33 +0400") == pytest.approx(days("2018-03-12T17:30:33Z"))
    assert days("not a date") is None


# ---------------------------------------------------------------------------------------------------------------
# grouping

def _ref(article, k, key, text, t=17600.0):
    return QuoteRef(article, k, key, key.split(":")[1], text, t)


def test_paraphrase_in_another_article_joins():
    ix = StatementIndex()
    a = ix.add(_ref("A", 0, "PER:تيريزا ماي", "الجاسوس تعرض لتسميم بنوع من غاز الأعصاب تنتجه روسيا"))
    b = ix.add(_ref("B", 3, "PER:ماي", "روسيا أنتجت في السابق غاز الأعصاب المستخدم في تسميم الجاسوس"))
    assert a is b and a.articles == ["A", "B"]
    assert ix.shared() == [a]


def test_not_joined_same_article_other_speaker_other_time_or_polarity():
    ix = StatementIndex()
    a = ix.add(_ref("A", 0, "PER:مايك بومبيو", "بومبيو استمع إلى تسجيل صوتي عن مقتل الصحفي"))
    # the same article never joins itself
    assert ix.add(_ref("A", 1, "PER:مايك بومبيو", "بومبيو استمع إلى تسجيل صوتي عن مقتل الصحفي")) is not a
    # another speaker with a short quote: no
    assert ix.add(_ref("B", 0, "PER:دونالد ترامب", "استمع إلى تسجيل صوتي")) is not a
    # a month later: another occasion
    assert ix.add(_ref("C", 0, "PER:مايك بومبيو", "استمع إلى تسجيل صوتي عن مقتل الصحفي", t=17630.0)) is not a
    # its denial shares the words, not the polarity
    assert ix.add(_ref("D", 0, "PER:مايك بومبيو", "لم أستمع إلى تسجيل صوتي عن مقتل الصحفي")) is not a
    assert ix.add(_ref("E", 0, "PER:مايك بومبيو", "استمع إلى تسجيل صوتي عن مقتل الصحفي")) is a


def test_a_copy_joins_whatever_speaker_it_names():
    ix = StatementIndex()
    text = "الجاسوس السابق عمل لصالح الاستخبارات البريطانية وتم تسميمه على أرض بريطانية وليس للواقعة علاقة بروسيا"
    a = ix.add(_ref("A", 0, "PER:ديميتري بيسكوف", text))
    assert ix.add(_ref("B", 5, "PER:الرييس الروسي", text)) is a


def test_one_quote_reporting_two_statements_merges_them():
    ix = StatementIndex()
    # one article reports one denial in two quotes (the lead and the body): two statements so far
    a = ix.add(_ref("A", 0, "PER:جاويش اوغلو", "تركيا لم تسلم أي تسجيل صوتي إلى بومبيو"))
    b = ix.add(_ref("A", 1, "PER:جاويش اوغلو", "لم يتم إعطاء أي تسجيل صوتي للوزير الأمريكي أو أي طرف آخر"))
    assert a is not b
    c = ix.add(_ref("C", 0, "PER:مولود جاويش اوغلو", "لم تسلم أي تسجيل صوتي إلى بومبيو أو الوزير الأمريكي أو أي طرف آخر"))
    assert ix.statements == [c] and sorted((q.article, q.quote) for q in c.quotes) == [("A", 0), ("A", 1), ("C", 0)]


def test_a_long_quote_carrying_two_things_said_does_not_merge_them():
    ix = StatementIndex()
    a = ix.add(_ref("A", 0, "PER:دونالد ترامب", "تقدم كبير يتحقق مع كوريا الشمالية"))
    b = ix.add(_ref("A", 1, "PER:دونالد ترامب", "اختلف مع تيلرسون بشأن الاتفاق النووي مع إيران"))
    ix.add(_ref("B", 0, "PER:ترامب", "تقدم كبير يتحقق مع كوريا الشمالية وقد اختلف مع تيلرسون بشأن الاتفاق النووي مع إيران"))
    assert a in ix.statements and b in ix.statements


# ---------------------------------------------------------------------------------------------------------------
# story.json

def _doc(ext, published, quotes, responses=(), actors=()):
    return {"meta": {"external_id": ext, "published": published, "outlet": ext[:2]},
            "quotes": [{"content": c, "speaker": k.split(":")[1], "speaker_key": k, "cue_text": "قال"}
                       for k, c in quotes],
            "responses": list(responses), "actors": list(actors)}


def test_build_story_statements_and_cross_article_responses():
    claim = "روسيا مسؤولة على الأرجح عن تسميم الجاسوس السابق بغاز الأعصاب"
    a = _doc("AL-1", "2018-03-12T18:00:00Z", [("PER:تيريزا ماي", claim)],
             [{"stance": "deny", "speaker": "موسكو", "claim_quotes": [0], "claim_actor": "A1"}])
    b = _doc("BB-1", "2018-03-12T20:00:00Z", [("PER:ماي", "من المرجح للغاية أن تكون روسيا مسؤولة عن تسميم الجاسوس")])
    c = _doc("CN-1", "2018-03-13T09:00:00Z", [("GPE:RUS", "لن نرد قبل الحصول على العينات")],
             [{"stance": "deny", "speaker": "الخارجية الروسية", "claim_quotes": [], "claim_actor": "A2",
               "text": "رفضت الخارجية الروسية اتهامات ماي لروسيا بتسميم الجاسوس"},
              {"stance": "deny", "speaker": "الخارجية الروسية", "claim_quotes": [], "claim_actor": "A3",
               "text": "رفضت الخارجية الروسية اتهامات زيد لها بتسميم معارض"},
              # the claim speaker's, but about something else: a speaker says many things in a few days
              {"stance": "deny", "speaker": "الخارجية الروسية", "claim_quotes": [], "claim_actor": "A2",
               "text": "رفضت الخارجية الروسية دعوة ماي إلى مقاطعة كأس العالم"}],
             [{"id": "A2", "key": "PER:ماي"}, {"id": "A3", "key": "PER:زيد"}])
    story = build_story([("AL-1", a), ("BB-1", b), ("CN-1", c)])
    assert [[(q["article"], q["quote"]) for q in s["quotes"]] for s in story["statements"]] == \
        [[("AL-1", 0), ("BB-1", 0)]]
    assert story["statements"][0]["outlets"] == ["AL", "BB"]
    # the in-article claim's statement, and the claim speaker's statement from the other articles
    assert [(r["article"], r["response"], r["statements"]) for r in story["responses"]] == \
        [("AL-1", 0, [0]), ("CN-1", 0, [0])]


def test_a_name_in_apposition_after_the_mention_names_the_speaker():
    """The mention cut before the name (a title alone as the key, or the name left at the start of the quote): the
    full name of another person key right after the mention, up to a comma, is the speaker; a clause that is no
    name, or a name that holds the key's own words, changes nothing."""
    from khabar.statements.story import written_key
    keys = ["PER:عبد الحميد غل", "PER:جاويش اوغلو", "PER:وزير الخارجيه التركيه"]
    text = "نفى وزير الخارجية التركية مولود جاويش أوغلو، الجمعة، أن تكون بلاده قد سلمت التسجيل"
    m = [4, 25]
    assert text[m[0]:m[1]] == "وزير الخارجية التركية"
    q = {"speaker_key": "PER:وزير الخارجيه التركيه", "speaker_mention_text": text[m[0]:m[1]], "speaker_mention": m,
         "content": "تكون بلاده قد سلمت التسجيل"}
    assert written_key(q, keys, text) == "PER:جاويش اوغلو"
    # without the text: the quote's own first clause (the quotes stage put the name in the quote)
    q2 = {"speaker_key": "PER:عبد الحميد غل", "speaker_mention_text": "وزير الخارجية التركي",
          "content": "مولود جاويش أوغلو، تقديم أنقرة أي تسجيل صوتي لأي طرف"}
    assert written_key(q2, keys) == "PER:جاويش اوغلو"
    # a first clause that is no name of the article, or too long to be one: the key stays
    q3 = dict(q2, content="الوزارة لم تتسلم أي شيء، وإن التحقيق مستمر")
    assert written_key(q3, keys) == "PER:عبد الحميد غل"
    q4 = dict(q2, content="تقديم أنقرة أي تسجيل صوتي لأي طرف بمن فيهم مولود جاويش أوغلو، بشأن الصحفي")
    assert written_key(q4, keys) == "PER:عبد الحميد غل"


def test_a_first_name_before_a_tagged_surname_stays_in_the_speaker_phrase():
    """A word right before a person's name the tagger found is that name's first word, not the verb's object (مولود
    "born" before جاويش أوغلو after وزير الخارجية التركية)."""
    from khabar.document import Document
    from khabar.pipeline import Pipeline

    text = "قال وزير الخارجية التركي مولود جاويش أوغلو، إن بلاده ستنشر نتائج التحقيقات للعالم."
    d = Pipeline(only=["quotes"])(Document.from_text(text)).to_json()
    assert [q["speaker_mention_text"] for q in d["quotes"]] == ["وزير الخارجية التركي مولود جاويش أوغلو"]
    assert d["quotes"][0]["speaker_key"] == "PER:جاويش اوغلو"
    # the name does not close the subject (a preposition of the object after it): the object's noun, cut as before
    text = "دعم وزير المالية الأمريكي موقف ترامب بشأن التجارة مع الصين، وقال إنه يتعين عليها فتح أسواقها."
    d = Pipeline(only=["quotes"])(Document.from_text(text)).to_json()
    assert [q["speaker_key"] for q in d["quotes"]] == ["PER:وزير الماليه الامريكي"]


def test_the_speaker_mention_as_written_decides_a_misclustered_key():
    """The actors stage put "وزير الخارجية التركي مولود جاويش أوغلو" in the justice minister's cluster: the mention
    names another person key of the article and none of its own key's words, so the named person is the speaker
    (in the story and in the store alike); a role mention of its own person (الرئيس الأمريكي) keeps its key."""
    from khabar.statements.story import written_key
    keys = ["PER:عبد الحميد غل", "PER:جاويش اوغلو", "PER:دونالد ترامب"]
    q = {"speaker_key": "PER:عبد الحميد غل", "speaker_mention_text": "وزير الخارجية التركي مولود جاويش أوغلو"}
    assert written_key(q, keys) == "PER:جاويش اوغلو"
    assert written_key({"speaker_key": "PER:عبد الحميد غل", "speaker_mention_text": "وزير العدل التركي"}, keys) == \
        "PER:عبد الحميد غل"
    assert written_key({"speaker_key": "PER:دونالد ترامب", "speaker_mention_text": "الرئيس الأمريكي"}, keys) == \
        "PER:دونالد ترامب"
    # a surname after a noun of relation is someone else's adviser, not that person
    assert written_key({"speaker_key": "PER:جاريد كوشنر", "speaker_mention_text": "مستشار ترامب"},
                       keys + ["PER:ترامب"]) == "PER:جاريد كوشنر"
    text = "لم تسلم أنقرة أي تسجيل صوتي إلى الوزير الأمريكي مايك بومبيو أو أي طرف آخر بشأن الصحفي"
    a = _doc("CN-1", "2018-10-19T07:00:00Z", [("PER:جاويش اوغلو", text)], actors=[{"id": "A1", "key": keys[1]}])
    b = _doc("SK-1", "2018-10-19T09:00:00Z", [("PER:عبد الحميد غل", text + " المفقود")],
             actors=[{"id": "A1", "key": keys[0]}, {"id": "A2", "key": keys[1]}])
    b["quotes"][0]["speaker_mention_text"] = q["speaker_mention_text"]
    b["quotes"][0]["cue_text"] = "نفى"
    a["quotes"][0]["cue_text"] = "نفى"
    story = build_story([("CN-1", a), ("SK-1", b)])
    assert [[(x["article"], x["quote"]) for x in s["quotes"]] for s in story["statements"]] == [[("CN-1", 0), ("SK-1", 0)]]
    assert story["statements"][0]["speaker_key"] == "PER:جاويش اوغلو"
    c = _conn()
    for d, doc in (("CN-1", a), ("SK-1", b)):
        S.add_document(c, d, doc, outlet=d[:2], published=doc["meta"]["published"], text=d)
    assert c.execute("SELECT speaker_key FROM stmt_quotes WHERE doc = 'SK-1'").fetchone()[0] == "PER:جاويش اوغلو"


def test_a_republished_copy_answers_nothing_across_articles():
    """A response whose claim is reported only by the article itself and its near-duplicate (republished with a new
    lead) links to nothing across articles; a third article reporting the claim makes the link."""
    body = " ".join(f"جملة رقم {i} من نص الخبر الطويل عن التحقيقات الجارية في القضية" for i in range(12))
    claim = "التحقيقات التي تجريها النيابة العامة تسير بسرية تامة"
    resp = [{"stance": "deny", "speaker": "وزير الداخلية", "claim_quotes": [0], "claim_actor": "A1",
             "text": "نفى وزير الداخلية ما يتم تداوله"}]
    actors = [{"id": "A1", "key": "PER:عبد الحميد غل"}]
    a = _doc("SK-1", "2018-10-19T07:00:00Z", [("PER:عبد الحميد غل", claim)], resp, actors)
    b = _doc("SK-2", "2018-10-19T09:00:00Z", [("PER:عبد الحميد غل", claim)], resp, actors)
    a["text"], b["text"] = body, "أكد الرئيس في تصريح جديد. " + body
    story = build_story([("SK-1", a), ("SK-2", b)])
    assert len(story["statements"]) == 1 and story["responses"] == []
    c = _doc("AA-1", "2018-10-19T08:00:00Z", [("PER:غل", claim + " بحسب الوزير")])
    c["text"] = "نص آخر مختلف تماما"
    story = build_story([("SK-1", a), ("SK-2", b), ("AA-1", c)])
    assert [(r["article"], r["statements"]) for r in story["responses"]] == [("SK-1", [0]), ("SK-2", [0])]


def test_a_claim_quote_in_another_persons_statement_is_not_the_claimants():
    """The responses stage takes every quote of the claimant's actor as the claim; a quote that joined another
    person's statement (a copy naming that person) is not the claimant's."""
    text = "لم تسلم أنقرة أي تسجيل صوتي إلى الوزير الأمريكي مايك بومبيو أو أي طرف آخر بشأن الصحفي"
    a = _doc("CN-1", "2018-10-19T07:00:00Z", [("PER:جاويش اوغلو", text)])
    b = _doc("SK-1", "2018-10-19T09:00:00Z", [("PER:عبد الحميد غل", text)],
             [{"stance": "deny", "speaker": "وزير الداخلية", "claim_quotes": [0], "claim_actor": "A1",
               "text": "ما يتم تداوله أكاذيب"}], [{"id": "A1", "key": "PER:عبد الحميد غل"}])
    story = build_story([("CN-1", a), ("SK-1", b)])
    assert len(story["statements"]) == 1 and story["responses"] == []


def test_a_denial_answers_the_statement_whose_words_it_repeats():
    """Whoever the claim is attributed to (here a misattribution: the report's claim given to the one who denies
    it), a denial that repeats another article's affirmative statement under a negation answers it."""
    claim = "بومبيو استمع إلى تسجيل صوتي عن مقتل الصحفي في القنصلية"
    a = _doc("CN-1", "2018-10-19T07:00:00Z", [("PER:مايك بومبيو", claim)])
    b = _doc("CN-2", "2018-10-19T09:00:00Z", [("PER:مايك بومبيو", claim + " بعد زيارته")])
    c = _doc("SK-1", "2018-10-19T12:00:00Z",
             [("PER:جاويش اوغلو", "تكون بلاده قد سلمت التسجيل الصوتي لمقتل الصحفي إلى بومبيو")],
             [{"stance": "deny", "speaker": "جاويش أوغلو", "quote": 0, "claim_quotes": [], "claim_actor": None,
               "text": "نفى أن تكون بلاده قد سلمت التسجيل الصوتي"},
              {"stance": "respond", "speaker": "جاويش أوغلو", "quote": 0, "claim_quotes": [], "claim_actor": None,
               "text": "رد على التقارير"}],
             [{"id": "A1", "key": "PER:جاويش اوغلو"}, {"id": "A2", "key": "PER:مايك بومبيو"}])
    c["quotes"][0]["cue_text"] = "نفى"
    story = build_story([("CN-1", a), ("CN-2", b), ("SK-1", c)])
    assert [(r["article"], r["response"], r["statements"]) for r in story["responses"]] == [("SK-1", 0, [0])]
    # the statement's speaker must be named in the denial's article: four shared words alone join unrelated
    # statements of the same days in a corpus
    c["actors"] = c["actors"][:1]
    assert build_story([("CN-1", a), ("CN-2", b), ("SK-1", c)])["responses"] == []


def test_a_reply_cannot_precede_the_claim():
    a = _doc("AL-1", "2018-03-12T18:00:00Z", [("PER:ماي", "روسيا مسؤولة عن تسميم الجاسوس بغاز الأعصاب")])
    b = _doc("BB-1", "2018-03-12T20:00:00Z", [("PER:ماي", "روسيا مسؤولة عن تسميم الجاسوس بغاز الأعصاب")])
    early = _doc("CN-1", "2018-03-09T09:00:00Z", [],
                 [{"stance": "deny", "speaker": "لافروف", "claim_quotes": [], "claim_actor": "A1",
                   "text": "نفى لافروف مسؤولية روسيا عن تسميم الجاسوس"}],
                 [{"id": "A1", "key": "PER:ماي"}])
    assert build_story([("AL-1", a), ("BB-1", b), ("CN-1", early)])["responses"] == []


# ---------------------------------------------------------------------------------------------------------------
# the store's tables

def _conn():
    c = sqlite3.connect(":memory:")
    c.execute("CREATE TABLE documents (id TEXT, external_id TEXT, title TEXT, published TEXT)")
    return c


def test_store_grouping_copies_and_claims():
    c = _conn()
    body = " ".join(f"خبر{i} عن تسميم الجاسوس" for i in range(30))   # an article of 120 words
    claim = "روسيا مسؤولة على الأرجح عن تسميم الجاسوس السابق بغاز الأعصاب"
    docs = [("d1", "AL", "2018-03-12T18:00:00Z", body + " أ", [("PER:تيريزا ماي", claim)], []),
            ("d2", "BB", "2018-03-12T20:00:00Z", "نص آخر مختلف تماما عن الاعتداء وردود الفعل عليه في لندن وموسكو",
             [("PER:ماي", "من المرجح للغاية أن تكون روسيا مسؤولة عن تسميم الجاسوس")], []),
            ("d3", "SK", "2018-03-12T21:00:00Z", body + " ب", [("PER:تيريزا ماي", claim)], []),   # a copy of d1
            ("d4", "CN", "2018-03-13T09:00:00Z", "رفضت موسكو الاتهامات البريطانية", [],
             [{"stance": "deny", "speaker": "موسكو", "text": "رفضت موسكو اتهامها بالمسؤولية عن تسميم الجاسوس", "claim_quotes": [],
               "claim_actor": "A1"},
              {"stance": "deny", "speaker": "موسكو", "text": "رفضت موسكو الدعوة إلى مقاطعة كأس العالم",
               "claim_quotes": [], "claim_actor": "A1"}])]
    for did, outlet, pub, text, quotes, resp in docs:
        c.execute("INSERT INTO documents VALUES (?, ?, ?, ?)", (did, did.upper(), "t", pub))
        data = _doc(did, pub, quotes, resp, [{"id": "A1", "key": "PER:ماي"}])
        S.add_document(c, did, data, outlet=outlet, published=pub, text=text)
    assert c.execute("SELECT copy_of FROM stmt_docs WHERE doc = 'd3'").fetchone()[0] == "d1"
    assert c.execute("SELECT copy_of FROM stmt_docs WHERE doc = 'd2'").fetchone()[0] is None
    # a one-line stub (a disclaimer repeated under many pages) is no article to copy
    assert S.signature("** جميع المقالات المنشورة تمثل رأي كتابها فقط.") is None
    # adding a document twice changes nothing
    assert S.add_document(c, "d1", _doc("d1", None, [("PER:ماي", claim)]), outlet="AL")["quotes"] == 0
    rows = S.claims(c, contested=True)
    assert len(rows) == 1
    st = rows[0]
    assert st["n_articles"] == 2 and st["outlets"] == ["AL", "BB"]        # the copy adds no article, no outlet
    assert [d["doc"] for d in st["copies"]] == ["d3"]
    assert st["first"]["doc"] == "d1"
    assert [(r["doc"], r["stance"], r["cross_article"]) for r in st["responses"]] == [("d4", "deny", True)]
    assert S.claims(c, speaker="ماي", about="غاز الأعصاب")[0]["id"] == st["id"]
    assert S.claims(c, about="كرة القدم") == []


# ---------------------------------------------------------------------------------------------------------------
# end to end: the commands on real articles

def _write(tmp_path, name, text, **meta):
    p = tmp_path / name
    p.write_text(json.dumps(dict(meta, text=text), ensure_ascii=False), encoding="utf-8")
    return str(p)


def test_story_and_claims_commands(tmp_path, capsys):
    from khabar.cli import main

    a = _write(tmp_path, "a.json", "قالت رئيسة الوزراء البريطانية تيريزا ماي، الاثنين، إن روسيا مسؤولة على الأرجح "
               "عن تسميم الجاسوس الروسي السابق سيرغي سكريبال بغاز أعصاب. ورفضت موسكو تصريحات ماي.",
               id="AL-1", published="2018-03-12T18:00:00Z", source="alarabiya")
    b = _write(tmp_path, "b.json", "وقالت ماي أمام البرلمان إن روسيا مسؤولة على الأرجح عن تسميم الجاسوس السابق "
               "سكريبال. ولم يصدر تعليق فوري من الكرملين.", id="BB-1", published="2018-03-12T20:00:00Z", source="bbc")
    out = tmp_path / "out"
    assert main(["story", a, b, "--out", str(out), "--format", "json"]) == 0
    story = json.loads((out / "story.json").read_text(encoding="utf-8"))
    assert json.loads(capsys.readouterr().out) == story
    assert sorted(p.name for p in out.iterdir()) == ["AL-1.json", "BB-1.json", "story.json"]
    doc = json.loads((out / "AL-1.json").read_text(encoding="utf-8"))
    assert doc["responses"] and {"stance", "start", "end", "quote", "claim_quotes", "claim_speaker",
                                 "claim_mention"} <= set(doc["responses"][0])
    assert len(story["statements"]) == 1
    assert {q["article"] for q in story["statements"][0]["quotes"]} == {"AL-1", "BB-1"}
    assert [r["article"] for r in story["responses"]] == ["AL-1"]

    db = str(tmp_path / "k.db")
    assert main(["ingest", a, b, "--db", db]) == 0
    capsys.readouterr()
    assert main(["claims", "--db", db, "--contested", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1 and rows[0]["n_articles"] == 2 and rows[0]["responses"][0]["stance"] == "deny"
    assert main(["claims", "--db", db, "--rebuild"]) == 0
    assert main(["claims", "--db", db, "--speaker", "ماي"]) == 0
    assert "ماي" in capsys.readouterr().out


def test_story_refuses_a_file_as_out(tmp_path, capsys):
    from khabar.cli import main

    a = _write(tmp_path, "a.json", "قال الوزير إن الاجتماع كان مثمرا.")
    assert main(["story", a, "--out", a]) == 2
    assert "E100" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------------------------
# the gold stories (../shared/gold/stories): floors of the figures in README.md

FLOORS = {"skripal": (0.73, 0.59), "khashoggi": (0.74, 0.60)}


@pytest.mark.skipif(not STORIES.is_dir(), reason="../shared/gold/stories is absent")
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_gold_story_figures(name, tmp_path):
    import contextlib
    import importlib.util
    import io

    from khabar.cli import main

    story = STORIES / name
    arts = sorted(str(p) for p in (story / "articles").glob("*.json"))
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["story", *arts, "--out", str(tmp_path)]) == 0
    spec = importlib.util.spec_from_file_location("score_story", STORIES.parent / "score_story.py")
    ss = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ss)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        ss.main([str(story), str(tmp_path), "--json"])
    res = json.loads(buf.getvalue())
    pairs, cross = FLOORS[name]
    assert res["statement_pairs"]["f1"] >= pairs
    assert res["cross_responses"]["f1"] >= cross


def test_store_groups_as_the_story_does():
    """The same documents, in the same order: the store's statements are the story's (merges included)."""
    docs = [("A", "2018-10-19T07:00:00Z", [("PER:جاويش اوغلو", "تركيا لم تسلم أي تسجيل صوتي إلى بومبيو"),
                                            ("PER:جاويش اوغلو", "لم يتم إعطاء أي تسجيلات للوزير الأمريكي أو أي طرف آخر"),
                                            ("PER:دونالد ترامب", "العواقب ستكون شديدة جدا على المتورطين")]),
            ("B", "2018-10-19T09:00:00Z", [("PER:دونالد ترامب", "العواقب ستكون شديدة جدا على المتورطين في الأمر")]),
            ("C", "2018-10-19T11:00:00Z", [("PER:مولود جاويش اوغلو",
                                            "لم تسلم أي تسجيل صوتي إلى بومبيو أو الوزير الأمريكي أو أي طرف آخر")])]
    story = build_story([(d, _doc(d, t, q)) for d, t, q in docs])
    want = sorted(sorted((q["article"], q["quote"]) for q in s["quotes"]) for s in story["statements"])
    c = _conn()
    for d, t, q in docs:
        S.add_document(c, d, _doc(d, t, q), outlet=d, published=t, text=" ".join(x[1] for x in q) + d)
    got = {}
    for doc, k, sid in c.execute("SELECT doc, quote, statement FROM stmt_quotes"):
        got.setdefault(sid, []).append((doc, k))
    assert sorted(sorted(v) for v in got.values() if len({d for d, _ in v}) > 1) == want
    assert len(want) == 2


def test_batch_merge_step_writes_statement_tables(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from khabar.batch.statements import write_statement_tables

    claim = "روسيا مسؤولة على الأرجح عن تسميم الجاسوس السابق بغاز الأعصاب"
    body = " ".join(f"خبر{i} عن تسميم الجاسوس" for i in range(30))   # an article of 120 words
    parts = [[("d1", "AL", "2018-03-12T18:00:00Z", body, [("PER:تيريزا ماي", claim)], [])],
             [("d2", "BB", "2018-03-12T20:00:00Z", "نص آخر عن الاعتداء وردود الفعل عليه في لندن وموسكو",
               [("PER:ماي", "من المرجح للغاية أن تكون روسيا مسؤولة عن تسميم الجاسوس")], []),
              ("d3", "SK", "2018-03-12T21:00:00Z", body + " ب", [("PER:تيريزا ماي", claim)], []),
              ("d4", "CN", "2018-03-13T09:00:00Z", "رفضت موسكو الاتهامات", [],
               [{"stance": "deny", "speaker": "موسكو", "text": "رفضت موسكو اتهامها بالمسؤولية عن تسميم الجاسوس", "claim_quotes": [],
                 "claim_actor": "A1"}])]]
    (tmp_path / "documents").mkdir()
    for k, part in enumerate(parts):
        rows = [{"doc_id": d, "external_id": d.upper(), "title": "t", "outlet": o, "published": t, "text": x,
                 "annotations": json.dumps(_doc(d, t, q, r, [{"id": "A1", "key": "PER:ماي"}]), ensure_ascii=False)}
                for d, o, t, x, q, r in part]
        pq.write_table(pa.Table.from_pylist(rows), tmp_path / "documents" / f"part-{k:05d}.parquet")
    counts = write_statement_tables(tmp_path)
    assert counts == {"statements": 1, "statement_quotes": 3, "responses": 1, "response_links": 1}
    st = pq.read_table(tmp_path / "statements" / "statements.parquet").to_pylist()[0]
    assert (st["n_articles"], st["n_outlets"], st["n_copies"], st["n_denials"]) == (2, 2, 1, 1)
    assert st["first_doc_id"] == "d1" and st["first_published"] == "2018-03-12T18:00:00Z"
    assert json.loads(st["outlets"]) == ["AL", "BB"]


def test_store_links_a_denial_to_the_statement_it_echoes():
    claim = "بومبيو استمع إلى تسجيل صوتي عن مقتل الصحفي في القنصلية"
    c = _conn()
    deny = _doc("SK-1", "2018-10-19T12:00:00Z",
                [("PER:جاويش اوغلو", "تكون بلاده قد سلمت التسجيل الصوتي لمقتل الصحفي إلى بومبيو")],
                [{"stance": "deny", "speaker": "جاويش أوغلو", "quote": 0, "claim_quotes": [], "claim_actor": None,
                  "text": "نفى أن تكون بلاده قد سلمت التسجيل الصوتي"}],
                [{"id": "A1", "key": "PER:جاويش اوغلو"}, {"id": "A2", "key": "PER:مايك بومبيو"}])
    deny["quotes"][0]["cue_text"] = "نفى"
    for did, t, data in [("CN-1", "2018-10-19T07:00:00Z", _doc("CN-1", "2018-10-19T07:00:00Z",
                                                                [("PER:مايك بومبيو", claim)])),
                         ("CN-2", "2018-10-19T09:00:00Z", _doc("CN-2", "2018-10-19T09:00:00Z",
                                                                [("PER:مايك بومبيو", claim + " بعد زيارته")])),
                         ("SK-1", "2018-10-19T12:00:00Z", deny)]:
        S.add_document(c, did, data, outlet=did[:2], published=t, text=did)
    sid = c.execute("SELECT statement FROM stmt_quotes WHERE doc = 'CN-1'").fetchone()[0]
    assert c.execute("SELECT doc, response, statement FROM stmt_links").fetchall() == [("SK-1", 0, sid)]


def _cdoc(ext, published, quotes):
    """Quotes as (speaker key, cue, content)."""
    return {"meta": {"external_id": ext, "published": published, "outlet": ext[:2]},
            "quotes": [{"content": c, "speaker": k.split(":")[1], "speaker_key": k, "cue_text": cue}
                       for k, cue, c in quotes], "responses": [], "actors": []}


CONT = [("A", "2018-03-12T10:00:00Z", [("PER:تيريزا ماي", "وقالت", "روسيا تنتج غاز الأعصاب الذي استخدم في تسميم الجاسوس")]),
        ("B", "2018-03-13T10:00:00Z", [("PER:ماي", "وقالت", "الخبراء تعرفوا على المادة الكيمياوية في مختبرات بورتون داون"),
                                       ("PER:ماي", "وأضافت", "روسيا أنتجت في السابق غاز الأعصاب المستخدم في تسميم الجاسوس"),
                                       ("PER:ماي", "وأضافت", "ما زالت قادرة على إنتاجه"),
                                       ("PER:ماي", "وأشارت", "هناك استخدام غير قانوني للقوة من قبل موسكو")])]


def test_a_continuation_is_one_statement_with_the_quote_it_continues():
    """وأضافت: a quote that goes on with the same speaker's previous quote joins its statement when another article
    reports them as one; a quote after another verb (وأشارت) stays apart; the store groups the same way."""
    story = build_story([(d, _cdoc(d, t, q)) for d, t, q in CONT])
    got = sorted(sorted((q["article"], q["quote"]) for q in s["quotes"]) for s in story["statements"])
    assert got == [[("A", 0), ("B", 0), ("B", 1), ("B", 2)]]
    c = _conn()
    for d, t, q in CONT:
        S.add_document(c, d, _cdoc(d, t, q), outlet=d, published=t, text=" ".join(x[2] for x in q))
    by = {}
    for doc, k, sid in c.execute("SELECT doc, quote, statement FROM stmt_quotes"):
        by.setdefault(sid, []).append((doc, k))
    assert sorted(sorted(v) for v in by.values() if len({d for d, _ in v}) > 1) == got


ADJ = [("A", "2018-03-12T10:00:00Z", [("PER:تيريزا ماي", "وقالت", "روسيا تنتج غاز الأعصاب الذي استخدم في تسميم الجاسوس")]),
       ("B", "2018-03-13T10:00:00Z", [("PER:ماي", "وأشارت", "غاز الأعصاب المستخدم في الاعتداء جزء من مجموعة نوفيشوك"),
                                      ("PER:ماي", "وقالت", "روسيا أنتجت في السابق غاز الأعصاب المستخدم في الاعتداء على الجاسوس"),
                                      ("PER:ماي", "وأشارت", "توجيه الاتهام إلى موسكو يأتي بناء على سجل من الاغتيالات"),
                                      ("PER:بوريس جونسون", "وقال", "غاز الأعصاب المستخدم في الاعتداء يثبت مسؤولية موسكو")])]


def test_adjacent_quotes_of_one_statement_join_it():
    """A statement split over adjacent quotes of one article (وأشارت ... وقالت, no verb of continuing): the quote
    next to one that another article reports joins its statement when it shares its terms; the next quote, on
    another matter, and another speaker's quote stay apart; the store groups the same way."""
    story = build_story([(d, _cdoc(d, t, q)) for d, t, q in ADJ])
    got = sorted(sorted((q["article"], q["quote"]) for q in s["quotes"]) for s in story["statements"])
    assert got == [[("A", 0), ("B", 0), ("B", 1)]]
    c = _conn()
    for d, t, q in ADJ:
        S.add_document(c, d, _cdoc(d, t, q), outlet=d, published=t, text=" ".join(x[2] for x in q))
    by = {}
    for doc, k, sid in c.execute("SELECT doc, quote, statement FROM stmt_quotes"):
        by.setdefault(sid, []).append((doc, k))
    assert sorted(sorted(v) for v in by.values() if len({d for d, _ in v}) > 1) == got
    # without a second article reporting part of it, the quotes of one article stay apart
    one = build_story([("B", _cdoc("B", ADJ[1][1], ADJ[1][2]))])
    assert one["statements"] == []


def test_a_continuation_said_once_stays_apart():
    """The first article to report a speaker's two quotes does not make them one statement: two other articles
    reporting each of them apart keep them apart."""
    docs = [(d, t, [("PER:مايك بومبيو", "وقال", "لم أستمع إلى تسجيل ولم أشاهد أي نص مكتوب"),
                    ("PER:مايك بومبيو", "مضيفا", "يجب سحب هذا التقرير الإخباري عن استماعه إلى تسجيل")])
            for d, t in (("A", "2018-10-19T07:00:00Z"), ("B", "2018-10-19T09:00:00Z"))]
    story = build_story([(d, _cdoc(d, t, q)) for d, t, q in docs])
    got = sorted(sorted((q["article"], q["quote"]) for q in s["quotes"]) for s in story["statements"])
    assert got == [[("A", 0), ("B", 0)], [("A", 1), ("B", 1)]]


def test_a_countrys_claim_is_its_officials_statement():
    """ادعاءات بريطانيا: the claimant is a country; its officials' statements of other articles, by the words (story
    and store alike); the responder's own statements are not its claim."""
    claim = "روسيا مسؤولة على الأرجح عن تسميم الجاسوس السابق بغاز الأعصاب"
    a = _doc("AL-1", "2018-03-12T18:00:00Z", [("PER:تيريزا ماي", claim)])
    b = _doc("BB-1", "2018-03-12T20:00:00Z", [("PER:ماي", "من المرجح للغاية أن تكون روسيا مسؤولة عن تسميم الجاسوس")])
    c = _doc("CN-1", "2018-03-13T09:00:00Z", [("PER:سيرغي لافروف", "هراء")],
             [{"stance": "deny", "speaker": "سيرغي لافروف", "speaker_key": "PER:سيرغي لافروف", "quote": 0,
               "claim_quotes": [], "claim_actor": "A2",
               "text": "وصف لافروف ادعاءات بريطانيا بتورط روسيا في تسميم الجاسوس السابق بأنها هراء"},
              {"stance": "deny", "speaker": "سيرغي لافروف", "speaker_key": "PER:سيرغي لافروف", "quote": 0,
               "claim_quotes": [], "claim_actor": "A2", "text": "رفض لافروف دعوة بريطانيا إلى مقاطعة كأس العالم"}],
             [{"id": "A2", "key": "GPE:GBR"}])
    docs = [("AL-1", a), ("BB-1", b), ("CN-1", c)]
    story = build_story(docs)
    assert [(r["article"], r["response"], r["statements"]) for r in story["responses"]] == [("CN-1", 0, [0])]
    conn = _conn()
    for d, x in docs:
        S.add_document(conn, d, x, outlet=d[:2], published=x["meta"]["published"], text=d)
    links = conn.execute("SELECT doc, response, statement FROM stmt_links").fetchall()
    sid = conn.execute("SELECT statement FROM stmt_quotes WHERE doc = 'AL-1'").fetchone()[0]
    assert links == [("CN-1", 0, sid)]


def test_candidates_per_quote_are_bounded_for_undated_articles(monkeypatch):
    """Undated quotes match every time window: a new quote is compared with at most MAX_CANDIDATES quotes per
    candidate query (the latest first), so grouping an undated corpus stays linear; the latest still join."""
    import khabar.store.statements as SS

    seen = []
    real_rank = SS.rank

    def spy(ref, cands, **kw):
        seen.append(len(cands))
        return real_rank(ref, cands, **kw)

    monkeypatch.setattr(SS, "MAX_CANDIDATES", 3)
    monkeypatch.setattr(SS, "rank", spy)
    c = _conn()
    topics = ["الاقتصاد", "الصحة", "التعليم", "النقل", "الزراعة", "السياحة", "الطاقة", "المياه", "الإسكان", "الرياضة"]
    for i, w in enumerate(topics):
        d = f"u{i}"
        c.execute("INSERT INTO documents VALUES (?, ?, ?, ?)", (d, d, "t", None))
        q = f"الحكومة ستدعم قطاع {w} بخطة جديدة واسعة خلال العام المقبل"
        S.add_document(c, d, _doc(d, None, [("PER:أحمد الخطيب", q)]), outlet=f"O{i}", published=None,
                       text=f"نص {w} " * 3)
    assert seen and max(seen) <= 2 * 3, seen
    # the same statement again, undated: it joins the latest report of it
    c.execute("INSERT INTO documents VALUES (?, ?, ?, ?)", ("u10", "u10", "t", None))
    q = "الحكومة ستدعم قطاع الرياضة بخطة جديدة واسعة خلال العام المقبل"
    S.add_document(c, "u10", _doc("u10", None, [("PER:أحمد الخطيب", q)]), outlet="O10", published=None, text="نص")
    sid = c.execute("SELECT statement FROM stmt_quotes WHERE doc = 'u10'").fetchone()[0]
    assert c.execute("SELECT statement FROM stmt_quotes WHERE doc = 'u9'").fetchone()[0] == sid
