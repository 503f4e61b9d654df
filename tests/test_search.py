"""Search: recall on Arabic spelling variants, exact-first ranking, phrases, filters, snippets, malformed queries."""
from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from khabar.document import Document, Span
from khabar.errors import KhabarError
from khabar.store import FilterError, QuerySyntaxError, Store, compile_query, light_stem, parse_query

STAGES = ["normalize", "tokens", "sentences"]

VARIANT_DOCS = {
    "plain": "أعلنت ايران اليوم عن خطة جديدة للطاقة.",
    "hamza": "قالت إيران إن المحادثات ستستمر.",
    "li": "وصل الوفد لإيران صباح الأحد.",
    "wa": "زار الوزير تركيا وإيران الأسبوع الماضي.",
    "harakat": "إنَّ إيرانَ دولةٌ كبيرة في المنطقة.",
    "nisba": "أكدت الحكومة الإيرانية التزامها بالاتفاق.",
    "other": "فاز الفريق المصري بالمباراة النهائية في القاهرة.",
    "phrase": "قال الأمين العام لمنظمة الأمم المتحدة إن الوضع خطير.",
    "bel_air": "يعيش الممثل في حي بيل اير الراقي.",
}


def _doc(key: str, text: str, **meta) -> Document:
    return Document.from_text(text, external_id=key, title=f"خبر {key}", **meta)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "s.db"
    st_ = Store(path)
    outlets = {"plain": "CNN", "hamza": "BBC", "li": "CNN", "wa": "BBC", "harakat": "CNN", "nisba": "BBC",
               "other": "CNN", "phrase": "BBC", "bel_air": "CNN"}
    dates = {"plain": "Mon, 26 Feb 2018 02:20:10 GMT", "hamza": "2018-03-05", "li": "2018-04-01T10:00:00+02:00"}
    docs = [_doc(k, t, outlet=outlets[k], published=dates.get(k, "2018-06-15"),
                 topic="sport" if k == "other" else "middleEast") for k, t in VARIANT_DOCS.items()]
    rep = st_.ingest_documents(docs, stages=STAGES)
    assert rep.added == len(docs) and rep.ok
    # one analysed document with quotes, sources, entities and actors, to test the filters on them
    text = "قال وزير الخارجية الإيراني محمد جواد ظريف لوكالة رويترز إن \"طهران لن تتراجع\"."
    s_name = text.index("محمد")
    s_q = text.index("\"") + 1
    e_q = text.rindex("\"")
    s_src = text.index("رويترز")
    doc = Document.from_text(text, external_id="quoted", outlet="BBC", published="2018-07-01").with_layers(
        entities=[Span(s_name, s_name + len("محمد جواد ظريف"), "PER", {"actor": "a1"}),
                  Span(s_src, s_src + 6, "ORG", None)],
        actors=[{"id": "a1", "name": "محمد جواد ظريف", "type": "PER", "key": "PER:ظريف", "mentions": [[s_name,
                 s_name + 14]]}],
        quotes=[Span(s_q, e_q, "quote", {"kind": "direct", "speaker": "a1", "cue_text": "قال"})],
        sources=[Span(s_src, s_src + 6, "source", {"cue_text": "لوكالة"})],
        dates=[],
    )
    st_.add(doc)
    yield st_
    st_.close()


def _ext(res) -> set:
    return {h["external_id"] for h in res}


def test_stem_mode_finds_every_variant(store):
    res = store.search("إيران", limit=50)
    assert {"plain", "hamza", "li", "wa", "harakat", "nisba"} <= _ext(res)
    assert "other" not in _ext(res) and "bel_air" not in _ext(res)


@pytest.mark.parametrize("variant", ["ايران", "لإيران", "وإيران", "إيرانَ", "الإيرانية", "أيران"])
def test_each_variant_finds_the_base_form(store, variant):
    assert "hamza" in _ext(store.search(variant, limit=50))


def test_exact_mode_is_stricter(store):
    res = _ext(store.search("إيران", mode="exact", limit=50))
    assert {"plain", "hamza", "harakat"} <= res  # hamza and harakat are folded even in exact mode
    assert not {"li", "wa", "nisba"} & res


def test_exact_forms_rank_above_stem_matches(store):
    hits = store.search("إيران", limit=50).hits
    flags = [h["exact"] for h in hits]
    assert flags == sorted(flags, reverse=True), "an exact-form hit ranks below a stem-only hit"
    exact_ids = {h["external_id"] for h in hits if h["exact"]}
    assert {"plain", "hamza", "harakat"} <= exact_ids and "nisba" not in exact_ids


def test_phrase_and_operators(store):
    assert _ext(store.search('"الأمم المتحدة"')) == {"phrase"}
    assert _ext(store.search('"المتحدة الأمم"')) == set()
    assert _ext(store.search('«الأمم المتحدة»')) == {"phrase"}  # Arabic quotation marks quote a phrase too
    without = _ext(store.search("إيران -الإيرانية", limit=50))
    assert "plain" in without and "nisba" not in without
    assert "nisba" not in _ext(store.search("إيران -الحكومة", limit=50))
    assert _ext(store.search("القاهرة OR طهران", limit=50)) == {"other", "quoted"}
    assert "other" in _ext(store.search("القاهر*"))
    assert store.count("إيران") == len(store.search("إيران", limit=100).hits)


def test_snippets_slice_to_original_words(store):
    for h in store.search("إيران", limit=50):
        doc = store.get(h["id"])
        text = doc["text"]
        assert h["highlights"], h
        for s, e in h["highlights"]:
            w = text[s:e]
            assert "ير" in w and (s == 0 or not text[s - 1].isalpha()) and (e == len(text) or not text[e].isalpha())
        assert text[h["snippet_start"]:h["snippet_end"]] in text
    h = next(h for h in store.search("ايران", limit=50) if h["external_id"] == "harakat")
    text = store.get(h["id"])["text"]
    assert [text[s:e] for s, e in h["highlights"]] == ["إيرانَ"]
    assert "[إيرانَ]" in h["snippet"]


def test_filters(store):
    assert _ext(store.search("إيران", outlet="cnn", limit=50)) == {"plain", "li", "harakat"}
    assert _ext(store.search("إيران", since="2018-03", until="2018-04", limit=50)) == {"hamza", "li"}
    assert _ext(store.search("إيران", until="2018-02-26", limit=50)) == {"plain"}
    assert _ext(store.search("بالمباراة", topic="sport")) == {"other"}
    assert _ext(store.search("طهران", speaker="ظريف")) == {"quoted"}
    assert _ext(store.search("طهران", speaker="محمد جواد ظريف")) == {"quoted"}
    assert _ext(store.search("طهران", speaker="PER:ظريف")) == {"quoted"}
    assert _ext(store.search("طهران", speaker="عباس")) == set()
    assert _ext(store.search("طهران", entity="ظريف")) == {"quoted"}
    assert _ext(store.search("طهران", source="رويترز")) == {"quoted"}
    with pytest.raises(FilterError) as ei:
        store.search("إيران", since="last week")
    assert ei.value.code == "E311"


def test_quotes_and_actors(store):
    qs = store.quotes(speaker="ظريف")
    assert len(qs) == 1 and qs[0]["content"] == "طهران لن تتراجع" and qs[0]["kind"] == "direct"
    assert store.quotes(about="طهران")[0]["speaker"] == "محمد جواد ظريف"
    assert store.quotes(about="القاهرة") == []
    acts = store.actors(top=5)
    assert acts[0]["key"] == "PER:ظريف" and acts[0]["documents"] == 1 and acts[0]["quotes"] == 1
    d = store.get("quoted")
    assert d["annotations"]["quotes"][0]["text"] == "طهران لن تتراجع"


@pytest.mark.parametrize("q", ['', '   ', '"', 'إيران "الأمم', '(إيران', 'إيران)', 'OR', 'إيران OR', 'OR إيران',
                               '-إيران', '*', 'ا*', 'إي*ران', '""', '!!! ???', '(-إيران)', 'a OR OR b',
                               'x' * 2000, 'إيران\x00'])
def test_malformed_queries_raise_coded_errors(store, q):
    with pytest.raises(QuerySyntaxError) as ei:
        store.search(q)
    assert ei.value.code == "E310"
    assert "E310" in str(ei.value)


@pytest.mark.parametrize("q", ['surface : "x"', 'NEAR(a b)', "stem:إيران", "{surface}: ايران", "إيران AND",
                               "إيران NOT", "إيران^", "'; DROP TABLE documents; --", 'إيران"*', "^إيران"])
def test_fts_syntax_is_not_passed_through(store, q):
    try:
        store.search(q)
    except QuerySyntaxError:
        pass
    assert store.stats()["counts"]["documents"] == 10


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list('إيران "()-*|:^{}.,؟ ابت\'') + [" OR ", " NOT ", " AND ", "NEAR", "«", "»"]),
                max_size=20).map("".join))
def test_any_query_gives_results_or_a_coded_error(store, q):
    try:
        store.search(q, limit=3)
    except QuerySyntaxError as e:
        assert e.code == "E310"
    except sqlite3.Error as e:  # pragma: no cover - the failure this test looks for
        pytest.fail(f"SQLite error leaked for {q!r}: {e}")


def test_compiled_query_quotes_every_word():
    fts = compile_query('إيران -"الأمم المتحدة" OR ترامب*', "stem")
    assert '"ايران"' in fts and 'surface : "الامم المتحده"' in fts and "NOT" in fts and '"ترامب" *' in fts
    assert parse_query("إيران").terms[0].words == ("ايران",)


def test_light_stem():
    for w in ("ايران", "الايرانيه", "الايرانيون", "وايران"):
        assert light_stem(w) == "ايران", w
    assert light_stem("لبنان") == "لبنان"  # ان ends names: kept
    assert light_stem("الكتاب") == "كتاب"


def test_cli_search_json(store, capsys):
    from khabar.cli import main

    rc = main(["search", "إيران", "--db", store.path, "--format", "json", "--limit", "3"])
    assert rc == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3
    assert {"id", "external_id", "title", "url", "score", "snippet"} <= set(hits[0])
    rc = main(["search", '"إيران', "--db", store.path])
    assert rc == 2
    assert "E310" in capsys.readouterr().err
    for cmd in (["quotes", "--speaker", "ظريف"], ["actors", "--top", "3"], ["show", "quoted"], ["stats"]):
        for fmt in ("text", "json"):
            assert main(cmd + ["--db", store.path, "--format", fmt]) == 0
            out = capsys.readouterr().out
            if fmt == "json":
                json.loads(out)
            else:
                assert out.strip()


def test_readonly_store(store, tmp_path):
    with Store(store.path, readonly=True) as ro:
        assert ro.search("إيران").total >= 6
        with pytest.raises(KhabarError) as ei:
            ro.add(Document.from_text("نص جديد"))
        assert ei.value.code == "E303"


# ------------------------------------------------------------------------------------------------------------
# issue 18: one analysis per word form, both readings of a query word, no over-stemming

ISSUE18_DOCS = {
    "far": "يقع المطار بعيد عن وسط المدينة.",
    "feast": "احتفل الناس بالعيد في الساحات. وكان عيد الفطر هادئا.",
    "mediation": "رحبت الحكومة بالوساطة القطرية بين الطرفين.",
    "mediation2": "قبل الطرفان وساطة جديدة أمس.",
    "tourney": "فاز الفريق ببطولة كأس العالم للشباب.",
    "tourney2": "انطلقت البطولة العربية في الرياض.",
    "problems": "ناقش الوزراء مشكلات المنطقة طويلا.",
    "city": "وصل الوفد إلى مدينة حلب صباحا.",
    "thousand": "شارك وألفي متطوع في الحملة.",
    "means": "استخدم الجيش وسيلة جديدة للاتصال.",
    "name": "وصل المهاجم فارجاس إلى مدريد.",
}


@pytest.fixture(scope="module")
def store18(tmp_path_factory):
    st_ = Store(tmp_path_factory.mktemp("search18") / "s.db")
    st_.ingest_documents([Document.from_text(t, external_id=k) for k, t in ISSUE18_DOCS.items()],
                         stages=STAGES + ["segments"])
    yield st_
    st_.close()


def test_a_stem_letter_is_not_a_proclitic(store18):
    assert "far" not in _ext(store18.search("عيد", limit=50))       # بعيد is not ب + عيد
    assert "feast" in _ext(store18.search("عيد", limit=50))
    assert "means" not in _ext(store18.search("سيل", limit=50))     # وسيلة is not و + سيلة


@pytest.mark.parametrize("query,key", [("الوساطة", "mediation2"), ("وساطة", "mediation"), ("بطولة", "tourney2"),
                                       ("البطولة", "tourney"), ("مشكلاتهم", "problems"), ("مدينتها", "city"),
                                       ("وفارجاس", "name"), ("فارجاسه", "name"), ("بأوبنهايمر", None)])
def test_one_analysis_whatever_the_clitics(store18, query, key):
    got = _ext(store18.search(query, limit=50))
    assert (key in got) if key else not got, (query, got)


def test_no_stem_is_a_function_word():
    from khabar.store.views import FUNCTION_WORDS, word_views
    for w in ("والفي", "وألفي", "وسمعه", "الآليات", "مديونية", "والبنزرتي", "أوفدتهم"):
        _surf, core, stem = word_views(w)
        assert stem not in FUNCTION_WORDS and len(stem) >= 3 and stem != "مدي", (w, core, stem)
    assert word_views("مشكلاتهم")[1] == "مشكلات"  # a plural's ت is not a ta marbuta
    assert word_views("مدينتها")[1] == "مدينه"    # a ta marbuta before a pronoun is


def test_function_words_do_not_match_through_stems(store18):
    got = _ext(store18.search("والفي", limit=50))
    assert got <= {"thousand"} and "thousand" in got


def test_exact_form_ranks_first(store18):
    hits = store18.search("البطولة", limit=50).hits
    assert hits[0]["external_id"] == "tourney2"


def test_a_word_typed_without_its_article_is_as_close_to_the_definite_form():
    from khabar.store.views import ranked_surface_variants
    assert dict(ranked_surface_variants("سقوط", ["سقوط"]))["السقوط"] == 0     # typed bare: ال is no choice
    assert dict(ranked_surface_variants("لسقوط", ["سقوط"]))["السقوط"] == 2    # another clitic was typed
    assert dict(ranked_surface_variants("السقوط", ["سقوط"]))["سقوط"] == 2     # the article was typed


def test_the_rarer_of_the_bare_and_definite_forms_ranks_first(tmp_path):
    # the issue's case: سقوط typed, 46 articles with the bare form ranked above the one with السقوط
    # (3 bare, 2 definite among 20: the definite form is the rarer, by less than the old 0.8 closeness made up)
    docs = {f"bare{i}": f"تحدث التقرير رقم {i} عن سقوط الأمطار في المدينة." for i in range(3)}
    docs.update({f"def{i}": f"حذر الخبراء {i} من السقوط الحر للعملة المحلية." for i in range(2)})
    docs.update({f"other{i}": f"افتتح الوزير {i} معرضا للكتاب في العاصمة." for i in range(15)})
    st_ = Store(tmp_path / "s.db")
    st_.ingest_documents([Document.from_text(t, external_id=k) for k, t in docs.items()],
                         stages=STAGES + ["segments"])
    try:
        hits = st_.search("سقوط", limit=10).hits
        assert hits[0]["external_id"].startswith("def") and len(hits) == 5
        assert st_.search("السقوط", limit=10).hits[0]["external_id"].startswith("def")
        # the typed form still comes first when it is the rarer one
        st_.ingest_documents([Document.from_text(f"خبر {i} عن السقوط المدوي للفريق.", external_id=f"d{i}")
                              for i in range(6)], stages=STAGES + ["segments"])
        assert st_.search("سقوط", limit=10).hits[0]["external_id"].startswith("bare")
    finally:
        st_.close()


def test_an_index_of_another_views_version_is_detected(tmp_path):
    from khabar.store import IndexMismatchError
    p = tmp_path / "old.db"
    st_ = Store(p)
    st_.add(Document.from_text("خبر عن إيران", external_id="x"))
    st_._set_meta(views_version="1")
    st_.close()
    with pytest.raises(IndexMismatchError) as e:
        Store(p, readonly=True).search("إيران")
    assert "reindex" in (e.value.hint or "")
    st_ = Store(p)
    st_.reindex()
    assert _ext(st_.search("إيران")) == {"x"}


# ------------------------------------------------------------------------------------------------------------
# issue 18 (mean hits): no article with a pronoun ending; other inflections as query relaxation

def test_the_article_never_comes_with_a_pronoun_ending():
    from khabar.store.query import Compiler, parse_query
    c = Compiler()
    # the word's own forms (level 0; the stem of حكومة is حكوم whatever was typed)
    toks = lambda q: {tok for lvl, _c, _col, tok in c.alternatives(parse_query(q).root) if lvl == 0}  # noqa: E731
    # ة typed as ه after the article: الحكومة, العامة, البدلة, not ال + حكوم/عام/بدل + ه
    for q, wrong in (("الحكومه", "حكوم"), ("للعامه", "عام"), ("بالبدله", "بدل"), ("فالمكانه", "المكان")):
        got = toks(q)
        assert wrong not in got and ("ال" + wrong not in got or "ال" + wrong == q[:-1]), (q, got)
    assert "حكومه" in toks("الحكومه")
    # the typed form less its ه stays one form (للقراره typed for للقرار + ه), not its core: no العام for للعامه
    assert "للعام" in toks("للعامه") and "العام" not in toks("للعامه")
    # another pronoun after ال: the ال may be the word's own (ألوانها typed without hamza)
    assert "الوان" in toks("الوانها")
    # no article: the pronoun stays a reading (كتابه is كتاب + ه too)
    assert "كتاب" in toks("كتابه")


def test_a_pronoun_after_the_article_is_read_when_no_article_holds_the_ta_reading(tmp_path):
    docs = {"hero": "وفاز اللاعب بالبطل في المباراة النهائية.", "other": "افتتح الوزير معرضا للكتاب في العاصمة."}
    st_ = Store(tmp_path / "s.db")
    st_.ingest_documents([Document.from_text(t, external_id=k) for k, t in docs.items()],
                         stages=STAGES + ["segments"])
    try:
        assert "hero" in _ext(st_.search("بالبطله", limit=10))
    finally:
        st_.close()


def test_other_inflections_only_while_the_own_forms_find_few_articles(tmp_path):
    # الجامعة: its stem جامع is also the mosque's word; it is searched only while the word's own forms find at
    # most Store.STEM_RELAX articles
    own = {f"uni{i}": f"افتتحت الجامعة رقم {i} قسما جديدا للطلاب." for i in range(3)}
    stem = {"mosque": "صلى المصلون في الجامع الكبير يوم الجمعة."}
    st_ = Store(tmp_path / "s.db")
    st_.ingest_documents([Document.from_text(t, external_id=k) for k, t in {**own, **stem}.items()],
                         stages=STAGES + ["segments"])
    try:
        assert Store.STEM_RELAX is not None and Store.STEM_RELAX >= 3
        got = _ext(st_.search("الجامعة", limit=50))
        assert set(own) <= got and "mosque" in got            # few own forms: relaxed to the stem
        st_.STEM_RELAX = 2
        st_._alt_cache.clear()
        got = _ext(st_.search("الجامعة", limit=50))
        assert got == set(own)                                # enough own forms: no other inflection
        assert st_.search("الجامعة", limit=50).total == len(own)
    finally:
        st_.close()
