"""Passes 2 and 3 of the sieve (:mod:`khabar.attribution.sieve`): reporting cues, and for each cue the words after
it read left to right -- the subject with its appositions, circumstantial phrases skipped -- up to its linker."""
from __future__ import annotations

from itertools import compress, repeat
from operator import is_not

import numpy as np
import regex

from ...lexicon import media, places
from ...ner.features import normalize as _ner_norm
from ...text.scan import finditer_from_anchor
from ..marks import ALL_MARKS
from .base import Reading
from .words import (
    _common_both, _corpus_rank, _gazetteer, _ADDRESSEE, _BEFORE_SUBJECT, PARTICIPLE, _BEFORE_SUBJECT_NO_LINKER, _circ, Cue, _cue_table, _DOC_CUE, _is_comp, KEEP_PREP, _NEGATORS,
    name_head, NOT_LINK_BEFORE, REL, STOP_PREP, _strip_al, TIME, TITLE_LABEL, _WORD, _word_kind,
)


# a preposition with a pronoun between the verb and its subject (يقول عنه خبراء، قال له الرئيس، أعربت عنها الجاليات):
# never the subject (folded)
_PRON_PP = frozenset({"عنه", "عنها", "عنهم", "له", "لها", "لهم", "فيه", "فيها", "عليه", "عليها", "اليه", "اليها",
                      "منه", "منها", "معه", "معها", "لنا", "لي", "به", "بها", "بهم"})


# words after a reporting verb that cannot open its subject: an accusative of purpose (ردا على، تعليقا على), a
# preposition with a pronoun (معي، معه), a reflexive or a name noun with a pronoun (يصف نفسه، اسمه) (folded)
# verbs of disclosing and announcing (folded lemmas) that report nothing when negated (see :data:`_NEGATORS`)
_UNSAID_NEGATED = frozenset({"كشف", "اعلن", "افصح", "تحدث"})
_NO_SUBJECT = frozenset({"ردا", "تعليقا", "تعقيبا", "تعقيبه", "رده", "ردها", "معي", "معنا", "معه", "معها", "معهم",
                         "نفسه", "نفسها", "نفسهم", "انفسهم", "اسمه", "اسمها", "قايلا", "قائلا", "قايله", "قائلة",
                         # a time preposition with its pronoun after the verb (وأكدت بعدها أنها، كشف خلالها عن،
                         # قال حينها): an adverb of time, never a subject (session 11, h15n)
                         "بعدها", "بعده", "بعدهم", "قبلها", "قبله", "قبلهم", "خلالها", "خلاله", "خلالهم", "حينها",
                         "حينه", "اثناءها", "اثناءه", "عقبها", "عقبه",
                         # the fixed object of لفت "draw (attention)" (ولفت الانتباه إلى أن، لفت النظر إلى): never its
                         # subject, nor an actor a later وأضاف continues (session 11, h15n)
                         "الانتباه", "انتباه", "النظر", "الانظار", "انظار"})
# words of an amount after يبلغ "amounts to" (folded): approximations, number words, measured nouns
_AMOUNT = frozenset({"نحو", "حوالي", "قرابة", "زهاء", "اكثر", "اقل", "مليون", "مليار", "الف", "الاف", "ملايين",
                     "مليارات", "عشرات", "مئات", "ستين", "خمسين", "اربعين", "ثلاثين", "عشرين", "سبعين", "ثمانين",
                     "تسعين", "عشرة", "مايه", "مائة", "مئة", "ذروته", "ذروتها", "اشده", "مداه"})
_MEASURE = ("عمر", "وزن", "طول", "حجم", "قيمة", "قيمه", "عدد", "نسبة", "نسبه", "سعر", "تكلفة", "تكلفه", "مساحة",
            "مساحه", "ارتفاع", "عرض", "مجموع", "اجمالي", "حصة", "حصه", "رصيد", "معدل", "متوسط", "سن")
# definite words that may stand before a name (a family's article-prefixed names are never cut after them)
_NAME_AL = frozenset({"ال", "الشيخ", "الامير", "الملك", "السيد", "السيدة", "الدكتور", "الدكتورة"})
_DEMONSTRATIVES = frozenset({"ذلك", "هذا", "هذه", "ذاك", "تلك"})
# emphatics and circumstances with a pronoun after a subject (الرئيس نفسه، المسؤولون جميعهم) (folded)
_EMPHATIC = frozenset({"نفسه", "نفسها", "نفسهم", "انفسهم", "انفسهن", "ذاته", "ذاتها", "عينه", "عينها", "كله",
                       "كلها", "كلهم", "كلاهما", "كليهما", "جميعهم", "جميعها", "بعضهم", "بعضها", "وحده", "وحدها",
                       "بدوره", "بدورها", "بدورهم", "جانبه", "جانبها", "جهته", "جهتها"})
# a relative pronoun with و after a subject: a relative clause, never part of the name (folded)
# time nouns that head a construct of time after a subject (أواخر شهر يونيو، قبيل انطلاق، منتصف الأسبوع) (folded)
_TIME_HEADS = frozenset({"قبيل", "بعيد", "اواخر", "اوايل", "اوائل", "منتصف", "مستهل", "خلال"})   # (not مطلع: "informed", مصدر مطلع)
_REL_W = frozenset({"والذي", "والتي", "والذين", "واللذين", "واللتين", "واللواتي"})
# manner and circumstance phrases of ب + noun after a speaker's name (أعلن سبايسر بلهجة حادة، قال بحضور الوزير،
# بحسب ...): the name ends before them (folded)
_MANNER_PP = frozenset({"بلهجه", "بلهجة", "بنبره", "بنبرة", "بنغمه", "بنغمة", "بصوت", "بحضور", "بحسب", "حسب",
                        "بشكل", "بصوره", "بصورة", "بنحو", "بطريقه", "بطريقة", "بمناسبه", "بمناسبة", "بخصوص", "بشده",
                        "بشدة", "بوضوح", "بصراحه", "بصراحة", "بدوره", "بدورها", "بدورهم", "بنفسه", "بنفسها",
                        "بعباره", "بعبارة", "بكلمات", "بكلمه", "بكلمة", "بلغه", "بلغة", "بحماس", "بثقه", "بثقة",
                        "بتهكم", "بسخريه", "بسخرية", "بغضب", "بحزم", "بقوه", "بقوة", "بحزن", "بفخر", "بعد"})
# words that open the verb's object, never a subject's: a negated verbal noun, a pronoun-suffixed verbal noun of
# doing (أعلن أردوغان فتح تحقيق، نفت الحكومة بشدة استخدام …، أكدت الشركة قيامها بـ …) (folded)
_OBJECT_OPENERS = frozenset({"عدم", "قيام", "قيامه", "قيامها", "قيامهم", "استخدام", "فتح", "تنفيذ", "اجراء",
                             "رفض", "رفضه", "رفضها", "وقف", "استمرار", "اعتزام", "اعتزامه", "اعتزامها", "انطلاق",
                             "بدء", "ارسال", "اطلاق", "تشكيل", "تعيين", "توقيع", "مقتل", "اعتقال", "ضبط", "القبض"})


# cue words that are also common nouns (folded past forms): طالب "student", ذكر "male"
_NOUN_HOMOGRAPHS = frozenset({"طالب", "ذكر"})   # (lemmas)
# words before a name part (kunya, nasab): أبو طالب، علي بن أبي طالب (folded)
_PRONOUNS = frozenset({"هو", "وهو", "هي", "وهي", "انا", "وانا"})
_NAME_LINK = frozenset({"ابو", "ابي", "ابا", "بن", "ابن", "بنت"})
# kin nouns that follow a name as its apposition (نيكه فاغنر ابنة …، فلان زوجة …) (folded)
_KIN_NOUNS = frozenset({"ابنه", "ابنة", "زوجه", "زوجة", "زوج", "شقيق", "شقيقه", "شقيقة", "والد", "والده", "والدة",
                        "نجل", "نجله", "نجلة", "حفيد", "حفيده", "حفيدة", "ارمله", "ارملة", "عم", "خال"})
# words that govern a noun and never a finite verb: prepositions, negating and verbal nouns of omission, and
# quantifiers before a noun, and the verbs that take a verbal noun (دون ذكر اسمه، عن طالب من، كل طالب، لا يمكن
# ذكر اسمه، تم وصف) (folded; not من "who", not على: علي is also "Ali")
_NOUN_GOVERNORS = frozenset({"عن", "في", "الي", "دون", "بدون", "عدم", "مع", "لدي", "حول", "لكل", "كل", "اي",
                             "مجرد", "ضد", "تجاه", "يمكن", "يجب", "ينبغي", "يجوز", "تم", "يتم"})
# (session 10) modal and passive verbs before a cue word with an object pronoun (لا يمكن وصفه، تم ذكره): a verbal
# noun whose pronoun is its object; prepositions before a participle without the accusative -ا (إلى محذر): a noun
# (a finite verb or a circumstantial participle never follows them) (folded)
# adverbs in the indefinite accusative that may follow a name (وطالبت مانيلا مؤخرا، هددت كوريا الشمالية أيضا) (folded)
_ACC_ADVERBS = frozenset({"موخرا", "مؤخرا", "ايضا", "مجددا", "مرارا", "رسميا", "علنا", "سابقا", "لاحقا", "اخيرا",
                          "حاليا", "فورا", "تماما", "جدا", "دايما", "دائما", "ابدا", "قطعا", "حقا", "فعلا", "شخصيا",
                          "مبدييا", "مبدئيا", "مطلقا", "كثيرا", "قليلا", "غالبا", "احيانا", "عادة", "مسبقا", "سلفا"})
_MODAL_GOVERNORS = frozenset({"يمكن", "يجب", "ينبغي", "يجوز", "تم", "يتم", "عدم"})
_PARTICIPLE_GOVERNORS = frozenset({"عن", "في", "الي", "دون", "بدون", "مع", "لدي", "حول", "ضد", "تجاه", "بعد", "قبل"})
# amounts before a counted noun (ثلاثين طالبا، آلاف طالب، مئات طالب) (folded)
_QUANTITY = frozenset({"الف", "الاف", "مليون", "ملايين", "مليار", "ميات", "مئات", "عشرات", "مية", "مائة", "مئة",
                       "ماية", "عشرين", "ثلاثين", "اربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين", "الفي"})
# particles before a verb that opens a clause (folded)
_CLAUSE_PARTICLES = frozenset({"ما", "كما", "حسبما", "فيما", "بينما", "قد", "لقد", "وقد", "فقد", "الذي", "التي",
                               "الذين", "حيث", "ثم", "اذ", "اذا", "لما", "عندما", "حين", "بعدما", "مثلما", "وكما"})
# an indefinite nisba adjective (سعودي، جامعي، صيني; no article) after a noun (folded)
_NISBA = regex.compile(r"(?!ال)\p{L}{3,}ي")
# an elative (أفعل: أكبر، أقوى، أهم، أكثر) and an indefinite accusative in -ا (كبيرا، أمرا، انتهاكا) (folded)
_ELATIVE = regex.compile(r"ا\p{L}{2,3}")
_INDEF_ACC = regex.compile(r"(?!ال)\p{L}{3,}ا")
# connectives that open the writer's own clause after a comma (، كما أن "moreover"، إذ إن "since") (folded)
_CLAUSE_CONNECTIVES = frozenset({"كما", "وكما", "اذ"})
# connectives of two words and the raising verb "seems" before أن: never a reporting verb's linker (folded)
_CONNECTIVE_PAIRS = frozenset({("فضلا", "عن"), ("علاوة", "علي"), ("علاوه", "علي"), ("بالاضافة", "الي"),
                               ("اضافة", "الي"), ("اضافه", "الي")})
_SEEM = frozenset({"يبدو", "ويبدو", "فيبدو", "بدا", "وبدا", "لاسيما", "سيما"})
# adverbs in -ا after a verb, never its predicate (ويعتبر أيضا أن) (folded)
_ADVERBS_A = frozenset({"ايضا", "حاليا", "دايما", "شخصيا", "اساسا", "عموما", "اصلا", "تماما", "فعلا", "مثلا"})


def _accusative_of_news_word(w: str) -> bool:
    """The folded word ``w`` ending in the accusative -ا is a common noun's or adjective's accusative: its stem
    without the -ا is among the 50,000 most frequent news words (إطارا، تدخلا; not a foreign name in -a, فيورينا)."""
    rank = _corpus_rank()
    r = rank.get(_ner_norm(w)[:-1]) if rank else None
    return r is not None and r <= 50_000


# every match of _DOC_CUE holds one of these, at most a character (و or ف) after its start
_DOC_CUE_WORDS = ("جاء", "ورد")


def _sweep(ends, a):
    """For each token start ``a[k]`` (non-decreasing), the index the one-pointer sweep over spans sorted by start
    stops at: ``while j < len(spans) and spans[j].end <= a[k]: j += 1`` (len(spans) when it runs out).  As the
    starts never decrease, every span it passed ends at or before ``a[k]``, so that index is the first span that
    ends after ``a[k]``: the first place where the running maximum of the ends exceeds it (all tokens at once)."""
    return np.searchsorted(np.maximum.accumulate(ends), a, side="right")


# verbs of naming before عليه: the marks after them enclose the name given (folded)
_NAMING_VERBS = frozenset({"يطلق", "تطلق", "اطلق", "اطلقت", "اطلقوا", "يطلقون", "نطلق", "اطلقه", "يطلقه"})
# works and venues whose name follows them in marks, also after a nisba adjective (folded, without ال)
_WORKS = frozenset({"مسلسل", "فيلم", "اغنية", "البوم", "مسرحية", "رواية", "كتاب", "برنامج", "ملعب", "استاد",
                    "قصيدة", "ديوان", "معرض", "مهرجان", "فندق", "مطعم", "هاتف", "جهاز", "طراز"})


class CueReading(Reading):
    """Reporting cues and what follows them: subject parts and linker."""

    def find_cues(self) -> list[Cue]:
        """Pass 2: the reporting cues of the text in token order (one table look-up per token, and ``جاء في``),
        without those inside quotation marks (they belong to a quote)."""
        table = _cue_table()
        tk = self.tk
        out = []
        hits = list(map(table.get, tk.t))
        for i in compress(range(len(hits)), map(is_not, hits, repeat(None))):  # the tokens with a hit
            pre, form, obj, f = hits[i]
            if f.gender == "dual" and form.endswith("ا") and not obj and self._orig_word(i).endswith("أ"):
                continue  # a final hamza folded away (اقرأ "read", not أقرّا "the two admitted"): no dual verb
            if f.lemma == "ادعي" and f.kind == "present" and not obj and self._orig_word(i).endswith("ى") \
                    and not (i + 1 < len(tk.t) and _is_comp(tk.t[i + 1])[0]):
                continue  # تُدعى "is called" (امرأة تدعى إلينا), not تدّعي "claims" (spelled with ي)
            if f.lemma == "عرف" and obj not in ("ه", "ها", "هم", "هما", "هن"):
                continue  # عرّف "defined as" only with a third-person object pronoun (عرّفتها الشرطة بأنها): bare,
                # عُرف بأنه is "was known as", عرفت المدينة "knew, witnessed", عرفنا "we knew" (its own بأن clause
                # is required: Analyzer._attribute)
            if obj == "كم" and f.lemma.startswith("ال"):
                continue  # a verb spelled like the article (ألمح folds to المح) with the suffix -كم "you" is the
                # definite noun (المحاكم "the courts", not ألمحا + كم; المحكم): no report (session 10)
            if f.lemma == "ابلغ" and f.kind == "present" and not obj and self._amount_follows(i):
                continue  # يبلغ "amounts to" (يبلغ عمره ستين عاما، تبلغ نحو 5 آلاف): no report
            if not obj and self._homograph_noun(i, pre, form, f):
                continue  # a noun spelled like the cue (طالب جامعي "student", ذكر وأنثى "male", أبو طالب)
            if not obj and f.cls == "describe" and f.kind == "past" and self._agentless_passive(i):
                continue  # وُصف بـ"…" "was described as": no subject and no object before its بـ, nobody's words
            if not pre and i > 0 and ((obj and f.kind == "past" and tk.t[i - 1] in _MODAL_GOVERNORS) or (
                    f.kind == PARTICIPLE and not form.endswith("ا") and tk.t[i - 1] in _PARTICIPLE_GOVERNORS)):
                continue  # a verbal noun whose pronoun is its object after a modal or passive verb (لا يمكن وصفه،
                # تم ذكره، عدم ذكرها) or a participle as a noun after a preposition (إلى محذر من سياساته): no report
                # (after a preposition the pronoun is the agent, بعد وصفهم شكريلي بـ: a report, decision 19)
            if not obj and f.lemma == "اعتبر" and f.kind == "present" and self._considered_predicate(i):
                continue  # يُعتبر "is considered" with its predicate right after it (يعتبر من أهم، تعتبر أحد …)
            if f.kind == "present" and not obj and out and out[-1].tok == i - 1 and out[-1].kind == "past" \
                    and not out[-1].has_obj and {out[-1].gender, f.gender} == {"m", "f"}:
                self._cue_nouns.add(i)
                continue  # a noun spelled like a present verb in the subject slot of the past verb before it
                # (قال تجمع لأهالي …: تجمع "a gathering", not تُجمع "agrees"): a verb there would have to agree
                # with it in gender (وأضاف يقول، وأضافت تقول are one speaker's two verbs)
            if f.kind == "present" and not pre and i > 0 and tk.t[i - 1] in _PARTICIPLE_GOVERNORS:
                self._cue_nouns.add(i)   # (a word a speaker phrase may hold: عضو في تجمع المهنيين)
                continue  # a present verb is never governed by a preposition: a noun of the same spelling (في تجمع
                # شعبي "at a rally", not تُجمع "agrees") (session 10, h15f)
            if f.lemma == "تضمن" and not self._ijma_link(i, include=True):
                continue  # تضمّن "includes" reports a clause after its own أن or a colon (تضمن البيان أن …); with a
                # noun object, words in marks further on or على أن "provided that" it lists, nobody speaks
                # (وتتضمن الخطة 17 هدفا …، أولها "…"، تتضمن إنشاء وحدة …، على أن تتولى …) (session 10, h15f)
            if f.lemma == "اجمع" and (obj or not self._ijma_link(i)):
                continue  # جمع "bring together, combine" (تجمعها به وحدة المصير، تجمع بين العقول والبطون) or
                # تجمّع "gathered" (وتجمع أكثر من ألفي متظاهر … يهتفون "…"), not أجمع "agreed", which takes no
                # object pronoun and reports after على or أن (أجمعت الأطراف كافة على أن) (session 10, h15f)
            if f.lemma in _UNSAID_NEGATED and i > 0 and tk.t[i - 1] in _NEGATORS:
                continue  # a negated disclosure reports nothing (ولم يكشف النادي عن مدة غيابه، لم يفصح عن أي شيء،
                # لم تعلن أي جهة مسؤوليتها، لم يتحدث عن …) (session 11, h15n)
            out.append(Cue(i, tk.s[i], tk.e[i], f.lemma, f.cls, f.kind, f.gender, f.prep, f.noun_object, bool(obj)))
        for m in finditer_from_anchor(_DOC_CUE, self.ft, _DOC_CUE_WORDS, 1):
            i = self.start_index.get(m.start())
            if i is None:
                continue
            out.append(Cue(i, m.start(), m.end(), "جاء في", "doc", "doc", "m", "", False, m.group("fi") != "في"))
        # ورد في "it came in (the report)" is the document cue, not و + ردّ "and replied" with a speaker "في ..."
        # (كما ورد في نشرة الإصدار، حسبما ورد في التقرير نفسه): one reading per token, the document's
        doc_toks = {c.tok for c in out if c.kind == "doc"}
        if doc_toks:
            out = [c for c in out if c.kind == "doc" or c.tok not in doc_toks]
        out.sort(key=lambda c: c.tok)
        # drop cues inside quotation marks (they belong to the quote) -- unless the pair is a short label
        tk = self.tk
        keep = []
        for c in out:
            o = tk.in_pair[c.tok]
            if o >= 0:
                continue
            keep.append(c)
        return keep

    def _ijma_link(self, i: int, include: bool = False) -> bool:
        """أجمع at token i has its own على or أن before a clause edge or words in marks, within thirty words of
        its sentence (أجمعت الصحف الإسبانية على أنه، أجمع الاقتصاديون الفرنسيون أن، وأجمع مسؤولون سابقون في
        إدارة …، جورج بوش، وآخرون بريطانيون، على أن): it is "agreed", not جمع "combine" (تجمع بين) or تجمّع
        "gathered".  With ``include`` (تضمّن "includes"): its own أن -- not على أن "provided that" -- or a colon."""
        tk = self.tk
        for k in range(i + 1, min(len(tk.t), i + 31)):
            w = tk.t[k]
            if include and (w == ":" or _is_comp(w)[0]):
                return w == ":" or tk.t[k - 1] not in ("علي", "كما", "اذ")
            if not include and w == "بين" and k == i + 1:
                return False
            if not include and (w == "علي" or _is_comp(w)[0]):
                return True
            if w in ALL_MARKS or w == ":" or tk.sent_end[k]:
                return False
        return False

    def _agentless_passive(self, i: int) -> bool:
        """The describing verb at token i (without an object pronoun) is followed at once by its بـ or بأن: an
        active وصف names its object, and usually its subject, before them, so this is the passive "was described
        as" (خطة وصفت بـ"الطموحة"، في مشهد وصف بـ"المثير"، والتي وصفت بأنها "غير عادية"), whose words are
        nobody's (GUIDELINES decision 2: marks that a verb attributes to a speaker)."""
        t = self.tk.t
        if i + 1 >= len(t):
            return False
        nxt = t[i + 1]
        return nxt in ("ب", "بـ") or (nxt.startswith("ب") and (_is_comp(nxt)[0] or nxt.startswith("بال")))

    def _homograph_noun(self, i: int, pre: str, form: str, f) -> bool:
        """The past cue word at token i is a noun of the same spelling, by its context: a kunya or nasab name
        part after أبو / أبي / بن (علي بن أبي طالب، حسن أبو طالب); the object of a preposition, a quantity word
        or a verb that takes a verbal noun, which no finite verb can be (عن طالب من أصول تركية، دون ذكر اسمه،
        120 ألف طالب، لا يمكن ذكر اسمه، تم وصف السرقة); or -- for the cue words that are also common nouns of
        people or sex (طالب "student", ذكر "male") -- the masculine paired with its feminine (طالب وطالبة، ذكرا
        أو أنثى), the predicate after a pronoun (وهو طالب في) or a noun followed by an indefinite nisba
        adjective (مصرع طالب سعودي، طالب جامعي)."""
        if f.kind != "past":
            return False
        tk = self.tk
        homograph = f.lemma in _NOUN_HOMOGRAPHS and i + 1 < len(tk.t)
        if homograph:
            nxt = tk.t[i + 1]
            if nxt in ("و", "او") and i + 2 < len(tk.t):
                nxt = nxt + tk.t[i + 2]
            for conj in ("و", "او"):   # the feminine pair (طالب وطالبة، ذكرا أو أنثى)
                if nxt.startswith(conj) and nxt[len(conj):] in (f.lemma + "ة", f.lemma + "ات", "انثي"):
                    return True
        if f.gender == "dual":
            return False
        prev = tk.t[i - 1] if i > 0 and not pre else ""
        if prev in _NAME_LINK:
            return True
        if prev in _NOUN_GOVERNORS or prev in _QUANTITY or (prev.isdigit() and int(prev) < 1000 and i > 1
                                                                and not tk.t[i - 2].startswith("ال")):
            # (a count before its noun, 140 طالبا; not a number after a definite noun, وفي الدقيقة 90 أضاف)
            return True   # (not على: علي is also "Ali"; على + a verbal noun, على ذكر العدد, tried: it moved the
            # speaker model's fit down, 5-fold CV 0.848 / 0.8502 / 0.8502, so it is left)
        if not homograph:
            return False
        nxt = tk.t[i + 1]
        if prev in _PRONOUNS and not _is_comp(nxt)[0]:
            return True    # the predicate of a nominal sentence (وهو طالب في المرحلة الثانوية; not هو ذكر أن)
        # the nisba reading only inside a phrase (مصرع طالب سعودي، وهو طالب جامعي): never after و / ف, a
        # particle or punctuation, where the verb opens a clause whose subject may be a name or a nisba noun in
        # -ي (وذكر خوري أن، ذكر صحافي من …، بحسب ما ذكر صالحي)
        if pre or i == 0 or not _WORD.fullmatch(tk.t[i - 1]) or tk.t[i - 1] in _CLAUSE_PARTICLES:
            return False
        after = tk.t[i + 2] if i + 2 < len(tk.t) else ""
        return bool(_NISBA.fullmatch(nxt)) and not name_head(nxt) and nxt not in places()["countries"] \
            and not after.startswith("ال") and not _is_comp(after)[0]   # طالب محامي المتهم، ذكر صالحي أن

    def _considered_predicate(self, i: int) -> bool:
        """يعتبر / تعتبر at token i is the passive "is considered" (يُعتبر): the word right after it is its
        predicate, not a subject that speaks -- the preposition من (يعتبر من أعظم العدائين), أحد / إحدى (يعتبر
        أحد أبرز المشاكل), an elative (تعتبر أقوى المواجهات، يعتبر أكثر لاعب) or an indefinite accusative in
        -ا(ً) (يعتبر حلقة وصل is left: no case mark; يعتبر كبيرا جدا، يعتبر أمرا جديدا, not a place or a
        name: تعتبر تركيا أن)."""
        tk = self.tk
        if i + 1 >= len(tk.t):
            return False
        nxt = tk.t[i + 1]
        if nxt in ("من", "احد", "احدي", "ضمن"):
            return True
        if nxt.startswith(("ال", "ان")) or nxt.endswith("ها") or _is_comp(nxt)[0] or name_head(nxt) or nxt in _ADVERBS_A \
                or nxt in _NAME_LINK or nxt in ("اخو", "اخي", "اخت", "امه", "ابوه", "اهل"):
            return False
        if _ELATIVE.fullmatch(nxt) and nxt[-1] not in "ةه":
            return True
        return bool(_INDEF_ACC.fullmatch(nxt)) and nxt not in places()["countries"] \
            and nxt not in places()["cities"] and not self._orig_word(i + 1).startswith(("ال", "أل"))

    def parse_cue(self, c: Cue, cue_toks: frozenset = frozenset()):
        """Pass 3 for one cue: a dict with its linker (kind, token, content start offset; None when the cue
        governs no clause), its subject parts (token ranges, :meth:`_np_after`), the region between the cue and
        the linker, and the token limit of the search (the sentence, at most 45 tokens)."""
        region_start, limit = self._cue_region(c)
        linker, end_subj = self._find_linker(c, region_start, limit, cue_toks)
        rs = self._subject_start(c, region_start, end_subj, linker)
        subj_parts = []
        if c.kind in ("past", "present", "doc"):
            self._np_prep = c.prep
            try:
                subj_parts = self._np_after(rs, end_subj) if end_subj > rs else []
            finally:
                self._np_prep = None
            if subj_parts and self.tk.t[subj_parts[0][0]] in _NO_SUBJECT:
                subj_parts = []  # a circumstance or the verb's own complement, no subject (وأضاف ردا على …)
            if not subj_parts and rs == c.tok + 1 and rs < end_subj and self.tk.t[rs] in ALL_MARKS \
                    and 0 < self.tk.pair_of.get(rs, -1) - rs <= 3 and self._is_label(rs):
                subj_parts = [(rs + 1, self.tk.pair_of[rs])]  # the subject in marks (وقال "المسند" إن …)
        return {"linker": linker, "subj": subj_parts, "region": (region_start, end_subj), "limit": limit}

    def _cue_region(self, c: Cue) -> tuple[int, int]:
        """(first token after the cue -- after ``جاء في``'s own words --, the search limit): the cue's sentence, at
        most 45 tokens."""
        tk = self.tk
        t = tk.t
        n = len(tk)
        sid = self.sent_id[c.tok]
        j = c.tok + 1
        if c.kind == "doc":
            while j < n and t[j] in ("جاء", "ورد", "في", "فيه", "فيها"):
                j += 1
        limit = j
        while limit < n and self.sent_id[limit] == sid and limit - j < 45:
            limit += 1
        return j, limit

    def _find_linker(self, c: Cue, j: int, limit: int, cue_toks: frozenset):
        """The words after the cue read left to right up to the linker: (linker or None, the token where the
        reading stopped -- the linker's, the next cue's, a sentence end's or the limit)."""
        tk = self.tk
        t = tk.t
        k = j
        while k < limit:
            if k in cue_toks and k > c.tok:
                break
            if k > j + 1 and _is_comp(t[k])[0] and (
                    (t[k - 1] in _CLAUSE_CONNECTIVES and t[k - 2] in ("،", ",", "؛"))
                    or t[k - 1] in _SEEM or (t[k - 2], t[k - 1]) in _CONNECTIVE_PAIRS
                    # خاصة "especially" before وأن or after a comma (not the adjective: أفادت مصادر خاصة أن)
                    or (t[k - 1] in ("خاصة", "خاصه") and (t[k].startswith("و") or t[k - 2] in ("،", ",")))):
                break   # ، كما أن / ، إذ إن "moreover, since", فضلا عن أن / علاوة على أن "besides", خاصة وأن
                # "especially as", يبدو أن "it seems": the writer's new clause, not the verb's content
                # (يتضمن العديد من الفعاليات …، كما أن من أهداف الملتقى …) (session 10, h15f)
            linker, nxt = self._linker_at(c, k, limit)
            if linker is not None:
                if linker[0] == "comp" and k - 1 > c.tok and tk.t[k - 1] == "من" and c.prep == "من":
                    return linker, k - 1    # the verb's own من before أن is not the subject's (حذر X من أن)
                return linker, k
            if nxt is not None:
                k = nxt
                continue
            if tk.sent_end[k]:
                break
            k += 1
        return None, k

    def _linker_at(self, c: Cue, k: int, limit: int):
        """Whether token k links the cue to its content: (linker, None) when it does; (None, next token) when
        the reading skips on (a quoted label, a complementiser that is not a linker, بالقول); (None, None) when
        k is a word of the subject or of a circumstantial phrase."""
        tk = self.tk
        w = tk.t[k]
        if w in ALL_MARKS and k in tk.pair_of:
            close = tk.pair_of[k]
            if close >= 0 and (self._is_label(k) or self._marked_alias(c, k)):
                return None, close + 1
            return ("mark", k, tk.s[k]), None
        if w == ":":
            if 0 < k < len(tk) - 1 and tk.t[k - 1].isdigit() and tk.t[k + 1].isdigit():
                return None, k + 1   # a colon inside a time, a duration or a score (مدته 2:14 دقيقة، الساعة 11:59)
            return ("colon", k, tk.e[k]), None
        is_c, drop = _is_comp(w)
        if is_c and w == "الا" and self._orig_word(k).startswith("إ"):
            # إلّا written with hamza below is the exception particle "except, only" (لا يُسمح إلا للمسافرين،
            # لم يكن إلا أمرا شكليا), never ألّا = أن + لا (hamza above), which folds alike: no linker
            return None, k + 1
        if is_c:
            prev = tk.t[k - 1] if k > 0 else ""
            # the verb's own preposition before its أن (حذرت المنظمة من أن …: "warned that") links; another من
            # before أن does not (أكثر من أن، بدلا من أن)
            own_prep = prev == "من" and c.prep == "من" and "من" not in tk.t[c.tok + 1:k - 1]
            # (with و / ف as well: ولو أنه، ودون أن، ويمكن أن) (session 10, h15f)
            if ((prev in NOT_LINK_BEFORE or (len(prev) > 2 and prev[0] in "وف" and prev[1:] in NOT_LINK_BEFORE))
                    and not own_prep) or (w == "الا" and k + 1 < len(tk) and tk.t[k + 1] in ("ان", "انه", "انها")) \
                    or self._conditional_in(k):
                return None, k + 1
            return ("comp", k, tk.s[k] + drop if drop else tk.e[k]), None
        found = self._prep_linker(c, k, limit)
        if found != (None, None):
            return found
        if w in ("بالقول", "قائلا", "قائلة"):
            return None, k + 1
        return None, None

    def _is_label(self, o: int) -> bool:
        """The quotation marks opening at token o enclose a label, not content: after a title word (بعنوان
        "..."), Latin words, or up to three words that the clause goes on after."""
        tk = self.tk
        t = tk.t
        n = len(tk)
        close = tk.pair_of[o]
        prev = t[o - 1] if o > 0 else ""
        inner = self._pair_words(o)
        if prev != ":" and self._marked_name(o, name_head(prev)):
            return True
        if self._naming_context(o):
            return True
        if 0 < len(inner) <= 2 and close >= 0 and close + 1 < n and o > 0 and _cue_table().get(prev) is not None \
                and (_is_comp(t[close + 1])[0] or t[close + 1] in (":", "،", ",")):
            return True  # the subject in marks between the verb and its linker (وقال "المسند" إن …): a name
        return bool(prev in TITLE_LABEL or _strip_al(prev) in TITLE_LABEL
                    or (inner and all(regex.fullmatch(r"[a-z0-9 .&-]+", x) for x in inner))
                    or (prev != ":" and len(inner) <= 3
                        and close >= 0 and close + 1 < n and not tk.sent_end[close + 1]
                        and _WORD.fullmatch(t[close + 1]) is not None and not _is_comp(t[close + 1])[0]))

    def _naming_context(self, o: int) -> bool:
        """The marks opening at token o follow a naming verb's عليه (يطلق عليه "النبطي"، الذي أطلق عليه "مشروع
        الخلاص") or a work or venue with its nisba (المسلسل السعودي "خزنة"): they enclose a name (error class 4)."""
        t = self.tk.t
        prev = t[o - 1] if o > 0 else ""
        before = t[o - 2] if o > 1 else ""
        if prev in ("عليه", "عليها", "عليهم", "عليهما") and before.lstrip("و") in _NAMING_VERBS:
            return True
        return prev.startswith("ال") and prev.endswith(("ي", "ية", "يه")) and _strip_al(before) in _WORKS

    def _prep_linker(self, c: Cue, k: int, limit: int):
        """The preposition a cue governs (أشار إلى، أعلن عن، نفى بـ) as its linker, as :meth:`_linker_at`
        answers; (None, None) when token k is not that preposition or does not link here."""
        tk = self.tk
        t = tk.t
        w = t[k]
        if not (c.prep and (w == c.prep or (c.prep == "ب" and w.startswith("ب") and len(w) > 1)) and k + 1 < limit):
            return None, None
        nxt = t[k + 1]
        if _is_comp(nxt)[0]:
            return None, k + 1
        if c.prep == "ب" and w.startswith("ب") and len(w) > 1:
            if c.cls in ("describe",):
                return None, k + 1
            if c.noun_object and c.cls in ("deny",):
                return ("prepnoun", k, tk.s[k] + 1), None
        elif c.prep in ("الي",) and c.lemma in ("اشار", "لفت", "نوه", "المح", "خلص", "توصل", "نبه"):
            if nxt in ALL_MARKS and k + 1 in tk.pair_of:
                return None, k + 1
            return ("prepnoun", k, tk.e[k]), None
        elif c.prep == "عن" and c.lemma in ("كشف", "اعلن", "تحدث", "افصح"):
            if t[k - 1] in ("صادر", "الصادر", "صادرة", "الصادرة", "صدر", "صدرت") or any(
                    self._own_noun(t[x]) for x in range(c.tok + 1, k)):
                # عن of another word: a noun with a pronoun suffix between (أعلن عفوه عن ابنه، لم يعلن التنظيم
                # مسؤوليته عن الهجوم), a document issued by (الصادر عن)
                return None, k + 1
            return ("prepnoun", k, tk.e[k]), None
        return None, None

    def _object_after_definite(self, k: int) -> bool:
        """Token k is a common noun without the article right after a definite noun that is no title: it cannot
        be that noun's adjective or annex, so a new noun phrase (the verb's object) starts there (رأى الصيادون
        حيوان الفقمة، نفت الوزارة وجود …).  A common noun: frequent in the news both with and without ال; a word
        inside a named entity is never cut, nor a first name the tagger left out of the person's name it found:
        a word between a title's nisba adjective and that name when the name closes the subject — a comma, the
        linker or a time word after it (نفى وزير الخارجية التركية مولود جاويش أوغلو، الجمعة، أن …: مولود "born";
        but دعم وزير المالية الأمريكي موقف ترامب بشأن …، وصف الأطباء حالة بولسونارو: the object)."""
        t = self.tk.t
        prev, w = t[k - 1], t[k]
        if prev.endswith(("ي", "يه", "ية")) and k + 1 < len(t) and self._first_name_before(k):
            return False
        if not prev.startswith(("ال", "وال")) or w.startswith(("ال", "لل", "وال")) or len(w) < 3 \
                or not _WORD.fullmatch(w) or _word_kind(w) or _word_kind(prev) or prev in _NAME_AL:
            return False
        n = _ner_norm(w)
        if not _common_both(n, _corpus_rank()):
            return False
        return self._outside_entities(k)

    # adjective and nisba endings (الأمريكي، الشرقية، الأمريكيين): a definite word so ending after a name may be
    # its adjective or a surname the tagger left out (الشمري), never cut off as an object
    _ADJ_ENDINGS = ("ي", "يه", "ية", "يين", "يون", "يان", "يتين", "يتان")
    # adjectives of a construct that ends in a name (لاعب منتخب ساحل العاج السابق، سفير السعودية الجديد), folded
    _POST_ADJ = frozenset({"السابق", "السابقة", "الاسبق", "الاسبقة", "الجديد", "الجديدة", "الراحل", "الراحلة",
                           "الاول", "الاولي", "الاخير", "الاخيرة", "المقبل", "المقبلة", "القادم", "القادمة",
                           "الكبير", "الكبيرة", "الشهير", "الشهيرة", "المعروف", "المعروفة", "الشاب", "الشابة",
                           "المخضرم", "المخضرمة", "المنتخب", "المنتخبة", "المستقيل", "المستقيلة", "المخلوع",
                           "المقال", "المعزول", "المكلف", "المكلفة", "المنتهية", "الموقت", "المؤقت", "الموقتة",
                           "المؤقتة", "الاصغر", "الاكبر", "الثاني", "الثالث", "الحالي"})

    def _object_after_name(self, k: int) -> bool:
        """Token k is a definite common noun right after the last word of a person's name or a state's or capital's
        name the tagger found: after a name a definite common noun is no annex, so it opens the verb's object (ووصف ترامب
        الاتفاقية بأنها، اعتبر الرهيدي الرياضة أحد …، تنفي بكين الاتهامات، حث أوباما المشرعين).  A common noun:
        frequent in the news both with and without ال (as in :meth:`_object_after_definite`); never a title, a
        role, a time word, a nisba or an adjective's ending, nor a word the tagger put inside a name; with و it is a
        coordinated name (ترامب والرئيس), not an object."""
        t = self.tk.t
        w = t[k]
        if not w.startswith("ال") or len(w) < 5 or not _WORD.fullmatch(w) or _word_kind(w) or w in _NAME_AL \
                or w in self._POST_ADJ:
            return False
        ends = self.__dict__.get("_name_end_toks")
        if ends is None:
            ends = self.__dict__["_name_end_toks"] = self._name_end_tokens()
        label = ends.get(k - 1)
        # after a place every adjective ending counts (القدس الشرقية); after a person only the masculine ones
        # (a surname or nisba: الشمري، الأمريكيين), a feminine -ية there is a noun (ترامب الاتفاقية)
        if label is None or w.endswith(self._ADJ_ENDINGS if label != "PER" else ("ي", "يين", "يون", "يان")):
            return False
        rank = _corpus_rank()
        if not rank:
            return False
        n = _ner_norm(w)
        r_al, r_bare = rank.get(n), rank.get(n[2:])
        if r_al is None or r_bare is None or r_al >= 20_000 or r_bare >= 20_000:
            return False
        pl = places()
        if n[2:] in pl["nisbas"] or w[2:] in pl["nisbas"]:
            return False
        if label != "PER" and not (t[k - 1] in pl["countries"] or t[k - 1] in pl["capitals"]):
            return False   # a place that speaks is a state or its capital (بكين); a city name may be a common
            # noun's homograph heading a construct (جدة الطفل "the child's grandmother", not Jeddah)
        return self._outside_entities(k)

    def _accusative_after_name(self, k: int) -> bool:
        """Token k is an indefinite accusative (tanwin alif: إطارا، مؤخرا، رسميا) right after the last word of a
        person's, state's or place's name the tagger found: no name goes on with it, it opens the verb's object or
        an adverb (ولم يذكر العبادي إطارا زمنيا محددا، وطالبت مانيلا مؤخرا بتعزيز ...).  Only an adverb of the
        lexicon or a word whose stem without the -ا is a frequent news word."""
        t = self.tk.t
        w = t[k]
        if len(w) < 4 or not w.endswith("ا") or w.endswith(("اا", "يا", "وا")) or not _WORD.fullmatch(w) \
                or w.startswith(("ال", "و")) or _word_kind(w):
            return False
        ends = self.__dict__.get("_name_end_toks")
        if ends is None:
            ends = self.__dict__["_name_end_toks"] = self._name_end_tokens()
        if ends.get(k - 1) is None:
            return False
        if w not in _BEFORE_SUBJECT and w not in _ACC_ADVERBS:
            # a common noun's or adjective's accusative (إطار -> إطارا، تدخل -> تدخلا): its stem is a news word; a
            # foreign surname in -a the tagger left out of the name (كارلي فيورينا، ميكو ميرسكيلا) has none
            if not _accusative_of_news_word(w):
                return False
        return self._outside_entities(k)

    def _accusative_after_definite(self, k: int) -> bool:
        """Token k is an indefinite accusative (tanwin alif) right after a word written with the article, or an
        adverb of the lexicon after a word the tagger did not find: a definite noun takes no indefinite annex and an
        adjective agrees in definiteness, so the noun phrase ended and the accusative opens the verb's object or is
        an adverb (لاحظ المسؤولون ارتفاعا في …، وأعلنت زينة مؤخرا أن).  As in :meth:`_accusative_after_name`: an
        adverb of the lexicon, or a word whose stem without the -ا is a frequent news word; never after a
        participle (المعين حديثا، المنتخب مؤخرا: the adverb is its own), nor a word inside an entity."""
        t = self.tk.t
        w, prev = t[k], t[k - 1]
        if len(w) < 4 or not w.endswith("ا") or w.endswith(("اا", "يا", "وا", "ها", "نا")) or not _WORD.fullmatch(w) \
                or w.startswith(("ال", "و")) or _word_kind(w) or not _WORD.fullmatch(prev):
            return False
        p = prev[1:] if prev.startswith("و") else prev
        if (p.startswith("الم") and not (p.endswith(("ون", "ين")) and len(p) >= 8)) or (p.startswith("م") and len(p) >= 4) or (p.startswith("ال") and len(p) == 6
                                                                         and p[3] == "ا") \
                or (p.startswith("الا") and len(p) == 6):
            return False   # a participle's adverb (المعين حديثا، الصاعد حديثا), an elative's specifier (الأوسع نطاقا)
        if w in _ACC_ADVERBS or w in _BEFORE_SUBJECT:
            if not (prev.startswith(("ال", "وال")) or len(prev) >= 3):
                return False
        else:
            if not prev.startswith(("ال", "وال")) or prev in _NAME_AL:
                return False
            if not _accusative_of_news_word(w):
                return False
        return self._outside_entities(k)

    def _object_after_paren(self, k: int) -> bool:
        """Token k is an indefinite common noun right after a closing bracket that follows a name's aside (an age,
        an abbreviation: عصام الحضري (45 عاما) اعتزال اللعب، مكتب التحقيقات الفيدرالي (أف بي آي) مؤتمرا): the aside
        closes the noun phrase, an indefinite noun after it is no annex nor an adjective, so it opens the verb's
        object (a definite title after it is an apposition: بولت (31 عاما) الفائز بـ …).  A common noun: frequent in
        the news both with and without ال, or an indefinite accusative whose stem is."""
        t = self.tk.t
        w = t[k]
        if t[k - 1] != ")" or w.startswith(("ال", "و", "ب", "ل", "ف")) or len(w) < 3 or not _WORD.fullmatch(w) \
                or _word_kind(w):
            return False
        rank = _corpus_rank()
        n = _ner_norm(w)
        if n.endswith("ا") and not n.endswith(("ها", "نا", "يا", "وا")) and _common_both(n[:-1], rank):
            return True   # an indefinite accusative: the object (مكتب التحقيقات الفيدرالي (أف بي آي) مؤتمرا)
        o = next((j for j in range(k - 2, max(-1, k - 8), -1) if t[j] == "("), -1)
        aside = t[o + 1:k - 1] if o >= 0 else []
        if not (any(ch.isdigit() for x in aside for ch in x) and any(x.isalpha() for x in aside)):
            return False   # else only after an aside of a number and a word (an age: (45 عاما); not (360) ساعة); after an
            # abbreviation (الاتحاد الدولي لكرة القدم (فيفا) تحديد) the subject's end is read elsewhere
        return _common_both(n, rank)

    # verbal-noun patterns of derived verbs, folded (hamza on alif folded to ا): تفعيل (توفير، تقديم)، إفعال
    # (إعلان، إجراء)، افتعال / استفعال (انسحاب، استخدام)
    @staticmethod
    def _masdar_form(x: str) -> bool:
        n = len(x)
        if n == 5 and x[0] == "ت" and x[3] == "ي":
            return True
        if n == 5 and x[0] == "ا" and x[3] == "ا":
            return True
        return (n == 6 and x[0] == "ا" and x[4] == "ا") or (n == 7 and x.startswith("است") and x[5] == "ا")

    def _ba_masdar(self, k: int) -> bool:
        """Token k is بـ + the verbal noun of a derived verb (تفعيل، إفعال، افتعال، استفعال) without the article,
        right after a noun phrase's word that governs no بـ: the verb's complement (اتهمت بريطانيا الحكومة الروسية
        بتدبير …، طالب الوزير البرلمان بإعادة …، وصف تشاميسا بإعلان …، كشف … واردل بوجود خطأ), not part of the
        speaker.  Not after a participle or adjective that takes بـ (لجنة مكلفة بتخصيص، الفائز بثماني), nor a
        word inside an entity (بإدارة الصحة is a body when the tagger found it), nor a word the news writes more
        often with بـ than without it (a name)."""
        t = self.tk.t
        w, prev = t[k], t[k - 1]
        if not w.startswith("ب") or w.startswith("بال") or not _WORD.fullmatch(w) or not self._masdar_form(w[1:]) \
                or _word_kind(w[1:]):
            return False
        if prev.startswith(("الم", "م", "والم")) or prev.endswith(("ه", "ها", "ي", "يه", "ية")) \
                or not _WORD.fullmatch(prev):
            return False   # (a nisba before بـ names an affiliation: الناطق الإعلامي بتعليم المدينة المنورة)
        if self._entity_starting(k + 1, ("PER", "LOC", "GPE", "ORG")) is not None:
            return False   # a body named after the noun (بتعليم المدينة المنورة)
        rank = _corpus_rank()
        if not rank:
            return False
        r, own = rank.get(_ner_norm(w[1:])), rank.get(_ner_norm(w))
        if r is None or r > 20_000 or (own is not None and own < 2 * r):
            return False
        return self._outside_entities(k)

    def _name_end_tokens(self) -> dict:
        """The last token of each person's or place's name the tagger found in the article -> its label."""
        spans = sorted((e.start, e.end, e.label) for e in self.entities if e.label in ("PER", "LOC", "GPE"))
        if not spans:
            return {}
        a, b = self._orig_token_bounds()
        st = np.array([x[0] for x in spans], dtype=np.int64)
        en = np.array([x[1] for x in spans], dtype=np.int64)
        j = _sweep(en, a)
        jc = np.minimum(j, len(spans) - 1)
        # the entity ends inside token k
        ks = np.flatnonzero((j < len(spans)) & (st[jc] < b) & (en[jc] <= b))
        return dict(zip(ks.tolist(), [spans[x][2] for x in jc[ks].tolist()]))

    def _orig_token_bounds(self):
        """Every token's span in the original text (view.to_original of its non-empty span), as two arrays, made
        once per document."""
        r = self.__dict__.get("_orig_bounds")
        if r is None:
            tk = self.tk
            offsets = self.view.offsets
            a = offsets[np.array(tk.s, dtype=np.intp)].astype(np.int64)
            b = offsets[np.array(tk.e, dtype=np.intp) - 1].astype(np.int64) + 1
            r = self.__dict__["_orig_bounds"] = (a, b)
        return r

    def _first_name_before(self, k: int) -> bool:
        """A person's name the tagger found starts at token k + 1 and closes the subject: the token after it is a
        comma, a complementiser or a time word (see :meth:`_object_after_definite`)."""
        ent = self._entity_starting(k + 1, ("PER",))
        if ent is None:
            return False
        t = self.tk.t
        j = self._entity_end(ent, k + 1, len(t))
        return j >= len(t) or t[j] in ("،", ",", ":") or _is_comp(t[j])[0] or t[j] in TIME

    def _outside_entities(self, k: int) -> bool:
        """Token k lies outside every entity the tagger found (the set made once per document)."""
        ents = self.__dict__.get("_ent_tok_set")
        if ents is None:
            ents = self.__dict__["_ent_tok_set"] = self._entity_token_set()
        return k not in ents

    def _entity_token_set(self) -> frozenset:
        """The tokens inside a named entity (any label) of the article."""
        spans = sorted((e.start, e.end) for e in self.entities)
        if not spans or not len(self.tk):
            return frozenset()
        a, b = self._orig_token_bounds()
        st = np.array([x[0] for x in spans], dtype=np.int64)
        en = np.array([x[1] for x in spans], dtype=np.int64)
        j = _sweep(en, a)
        jc = np.minimum(j, len(spans) - 1)
        return frozenset(np.flatnonzero((j < len(spans)) & (st[jc] < b)).tolist())

    def _construct_head(self, k: int) -> bool:
        """Token k is an indefinite common noun that may head a construct (أنصار، منتقدو، مسؤولو): a plural in
        construct (ending و), or a word frequent in the news both with and without the article -- not a name."""
        w = self.tk.t[k]
        if w.startswith(("ال", "وال")) or not _WORD.fullmatch(w) or len(w) < 3:
            return False
        rank = _corpus_rank()
        n = _ner_norm(w)
        if n.endswith("و") and len(n) > 4 and (rank.get(n + "ن") or rank.get("ال" + n + "ن") or 10 ** 9) < 50_000:
            return True   # a sound plural in construct (منتقدو: منتقدون)
        return _common_both(n, rank)

    def _amount_follows(self, i: int) -> bool:
        """A number or a measure noun in the three words after token i (يبلغ عمره ستين، تبلغ 10 في المائة)."""
        t = self.tk.t
        for k in range(i + 1, min(len(t), i + 4)):
            w = t[k]
            if any(ch.isdigit() for ch in w) or w in _AMOUNT or any(w.startswith(p) for p in _MEASURE):
                return True
        return False

    @staticmethod
    def _own_noun(w: str) -> bool:
        """A word with an object pronoun suffix that is no adverb, preposition or role word (عفوه، مسؤوليته):
        the verb's object, which a following preposition belongs to."""
        return (len(w) >= 4 and w.endswith(("ه", "ها", "هم", "هما")) and w not in _BEFORE_SUBJECT
                and w not in _PRON_PP and not _word_kind(w) and not _is_comp(w)[0]
                and w not in ("بدوره", "بدورها", "بدورهم", "نفسه", "نفسها", "جانبه", "جانبها", "جهته", "جهتها"))

    def _subject_start(self, c: Cue, rs: int, end_subj: int, linker) -> int:
        """The first token of the subject in the region [rs, end_subj): past a quoted name after لـ, a relay's
        عنه, and adverbs between the verb and its subject (وقال أيضا الوزير، من جهته)."""
        tk = self.tk
        t = tk.t
        if rs < end_subj and t[rs] in ("ل",) and rs + 1 < end_subj:
            rs = (tk.pair_of[rs + 1] + 1) if (rs + 1) in tk.pair_of and tk.pair_of[rs + 1] > 0 else rs + 2
        if rs < end_subj and c.cls == "relay" and t[rs] in ("عنه", "عنها", "عنهم"):
            rs += 1
        if rs + 1 < end_subj and t[rs] in _DEMONSTRATIVES and not t[rs + 1].startswith("ال"):
            rs += 1  # a bare demonstrative is the verb's object (أعلن ذلك وزير الزراعة، نفت ذلك الوزارة)
        before = _BEFORE_SUBJECT if linker else _BEFORE_SUBJECT_NO_LINKER
        while rs < end_subj and (t[rs] in before or (t[rs] in _PRON_PP and rs + 1 < end_subj)
                                 or (t[rs] == "من" and rs + 1 < end_subj and t[rs + 1] in ("جهته", "جهتها", "جانبه", "جانبها"))):
            rs += 2 if t[rs] == "من" else 1
        if linker and rs < end_subj and self._hal_at(rs):
            rs += 1   # وأضاف مستدركا أن، قال متهكما إن: a circumstantial participle, then the subject or none
        return rs

    def _hal_at(self, k: int) -> bool:
        """Token k is an indefinite accusative participle (a حال: مستدركا، متهكما، مستغربا) right after a verb: it
        describes the subject's manner and never is the subject (a subject after the verb is nominative).  By
        form: م…ا of five letters or more, no role word, not inside a name the tagger found (ميلانيا)."""
        w = self.tk.t[k]
        if not (len(w) >= 5 and w.startswith("م") and w.endswith("ا") and not w.endswith(("اا", "يا", "ها", "نا", "وا"))
                and _WORD.fullmatch(w)) or _word_kind(w) or w in places()["countries"] or w in places()["capitals"]:
            return False
        return self._outside_entities(k)

    def _pair_words(self, o: int) -> list[str]:
        tk = self.tk
        c = tk.pair_of.get(o, -1)
        end = c if c >= 0 else min(len(tk), o + 40)
        return [tk.t[k] for k in range(o + 1, end) if _WORD.fullmatch(tk.t[k])]

    def _np_after(self, i: int, limit: int):
        """Read a subject noun phrase starting at token i: a list of (start, end) token ranges, the head and its
        appositions between commas (``وزير الخارجية، محمد جواد ظريف،``); it ends at a stop word (:meth:`_np_stop`),
        a linker, a sentence end, or a comma not followed by an apposition."""
        tk = self.tk
        t = tk.t
        n = min(limit, len(tk))
        j = i
        parts = []
        cur_s = i
        while j < n and tk.sent_end[j] is False:
            w = t[j]
            if self._second_place(i, j):
                break
            q_end = self._quoted_org_name_end(i, j)
            if q_end is not None:
                j = q_end
                continue
            if w in ("،", ","):
                k = self._apposition_end(i, j, n)
                if k is None:
                    break
                parts.append((cur_s, j))
                if k - (j + 1) > 8:
                    break
                cur_s, j = j + 1, k
                continue
            if self._np_stop(i, j, n):
                break
            if len(w) == 1 and not w.isalnum() and w not in ("-", "(", ")") and not (
                    w in ("%", "٪") and j > i and t[j - 1].isdigit()):
                break   # (a share of a group goes on: قال 48٪ من المجيبين أن)
            j += 1
        # a noun phrase never ends in a bare preposition (وقال فالفيردي في هذا الصدد: the demonstrative ended it)
        while j > cur_s + 1 and t[j - 1] in ("في", "من", "عن", "الي", "مع", "ب", "ل"):
            j -= 1
        parts.append((cur_s, j))
        parts = [(a, b) for a, b in parts if b > a]
        return parts

    def _np_stop(self, i: int, k: int, n: int) -> bool:
        """Token k ends a subject noun phrase that starts at token i (n: the reading's limit): a linker or a
        mark, a time word, a relative, a circumstantial phrase (في بيان، من جهته), a preposition that is not part
        of a name, an addressee or an outlet (للصحفيين، لوكالة ...)."""
        t = self.tk.t
        w = t[k]
        if w == "علي" and self._orig_word(k).endswith("ي"):
            return False  # the name علي, not the preposition على (they fold alike)
        if _is_comp(w)[0] or w in (":",) or w in ALL_MARKS:
            return True
        if w == "العام" and k > i and t[k - 1] in ("الامين", "امين", "المدعي", "النائب", "المدير", "مدير", "المفتش", "المراقب"):
            return False
        if w in TIME or w in REL:
            return True
        if k > i and (self._object_after_definite(k) or self._object_after_name(k) or self._accusative_after_name(k)
                      or self._object_with_pronoun(i, k) or self._object_after_state(i, k)
                      or self._object_after_place(k) or self._accusative_after_definite(k)
                      or self._object_after_paren(k) or self._ba_masdar(k) or self._object_after_person(k)
                      or self._name_after_person(k)):
            return True
        if k > i and (w in _TIME_HEADS or w in ("وهما", "وهن")) and k + 1 < n and _WORD.fullmatch(t[k + 1]):
            return True   # a time noun in construct (فصائل المعارضة أواخر شهر يونيو، قبيل انطلاق الموسم) or a
            # circumstantial clause of و + a dual or feminine plural pronoun (المنقذتان بيكا وآش وهما تتناولان)
        if k > i and (w in _REL_W or (w == "ما" and k + 1 < n and t[k + 1] == "اذا")):
            return True   # a relative clause or an indirect question after the subject (والتي شق، ما إذا كان)
        if k > i and (w in _MANNER_PP or ((w in _OBJECT_OPENERS or w in _DEMONSTRATIVES)
                                          and not self._construct_head(k - 1))):
            # (a demonstrative after a name opens the object: نفى مورينيو هذه التكهنات; after a construct noun
            # it is its annex: منتقدو تلك الطريقة، أنصار استخدام الصبغة)
            return True
        if k > i and w in ("يدعي", "ويدعي", "تدعي", "وتدعي") and self._orig_word(k).endswith("ى"):
            return True  # أحد المتظاهرين ويدعى صلاح: "named", the phrase ends before it
        if k > i:
            hit = _cue_table().get(w)
            if hit is not None and hit[3].kind == PARTICIPLE and w.endswith("ا"):
                return True  # a reporting participle (نتانياهو متحدثا، مرجحا، مضيفا): the circumstance, no name
        if w == "من" and k > i and k + 1 < n and getattr(self, "_np_prep", None) == "من" \
                and self._masdar_form(_strip_al(t[k + 1])) and not _word_kind(t[k + 1]):
            return True   # the verb's own من before a verbal noun (حذر الخبير من احتمال حدوث …، أعلنت الوزارة
            # من إحباط …): its complement, not the subject's
        if k > i and self._relative_verb(k):
            return True   # a past verb of a relative clause after an indefinite subject (صحفيون أجانب حضروا …)
        if w in ("في", "من") and k + 1 < n:
            # the verb's preposition before its clause (حذرت ماي من أنه …): the phrase ends before it
            return _is_comp(t[k + 1])[0] or self._circumstantial_at(k)
        if w in KEEP_PREP:
            return False
        if w == "عن" and k > i and t[k - 1] in ("صادر", "الصادر", "صادرة", "الصادرة", "صدر", "صدرت"):
            return False
        if w in STOP_PREP:
            return True
        if w == "للانباء" and k > i and t[i] in ("وكالة", "الوكالة", "وكاله", "الوكاله"):
            return False  # وكالة رويترز للأنباء: the agency's full name
        return k > i and self._addressee_at(k)

    def _relative_verb(self, k: int) -> bool:
        """Token k is a past verb of the third person plural (-وا: حضروا، رصدوا، أكدوا) right after an indefinite
        noun: an asyndetic relative clause describing the subject (صحفيون أجانب حضروا في منطقة …، علماء فضاء
        رصدوا …), where the subject ends.  Not a word with the article or a proclitic, a role word, a word
        inside an entity (a foreign name in -وا: أوتاوا)."""
        t = self.tk.t
        w, prev = t[k], t[k - 1]
        if len(w) < 5 or not w.endswith("وا") or w.startswith(("ال", "و", "ف", "ب", "ل")) or not _WORD.fullmatch(w) \
                or _word_kind(w) or prev.startswith(("ال", "وال")) or not _WORD.fullmatch(prev):
            return False
        return self._outside_entities(k)

    def _object_after_place(self, k: int) -> bool:
        """Token k is an indefinite common noun right after the last word of a place's name the tagger found: a
        name takes no annex, so the noun opens the verb's object (أعلنت أمانة محافظة جدة زيادة عدد الدوائر، قالت
        المديرية العامة للشؤون الصحية بمنطقة حائل وقوع …، أعلنت موسكو إغلاق المركز).  A common noun: frequent
        in the news both with and without ال (as in :meth:`_object_after_definite`); never a title or role word,
        a nisba, a name link, or a word the tagger put inside a name."""
        t = self.tk.t
        w = t[k]
        if w.startswith(("ال", "و", "ب", "ل", "ف")) or len(w) < 3 or not _WORD.fullmatch(w) or _word_kind(w) \
                or w in _NAME_LINK:
            return False
        ends = self.__dict__.get("_name_end_toks")
        if ends is None:
            ends = self.__dict__["_name_end_toks"] = self._name_end_tokens()
        if ends.get(k - 1) not in ("LOC", "GPE"):
            return False
        n = _ner_norm(w)
        if not _common_both(n, _corpus_rank()):
            return False
        if n in places()["nisbas"] or w in places()["nisbas"]:
            return False
        return self._outside_entities(k)

    def _object_after_person(self, k: int) -> bool:
        """Token k is an indefinite common noun, or a noun with a possessive pronoun, right after the last word of a
        person's name the tagger found: a name takes no annex and no adjective without the article, so the noun
        opens the verb's object (ووصف مدرب المنتخب البلجيكي روبرتو مارتينيز مساعده الفرنسي، أبلغ جيمس كومي لجنة
        الاستخبارات، قال المتحدث مختار علي وقوع الهجوم).  As in :meth:`_object_after_place`: a common noun frequent in
        the news both with and without ال, never a title or role word (a following title is an apposition: أحمد نظيف
        رئيس الوزراء), a kin or name link (ابنة), a nisba, an emphatic (نفسه), or a word inside a name."""
        t = self.tk.t
        w = t[k]
        if w.startswith(("ال", "و", "ب", "ل", "ف")) or len(w) < 3 or not _WORD.fullmatch(w) or _word_kind(w) \
                or w in _NAME_LINK or w in _EMPHATIC or w in _KIN_NOUNS:
            return False
        ends = self.__dict__.get("_name_end_toks")
        if ends is None:
            ends = self.__dict__["_name_end_toks"] = self._name_end_tokens()
        if ends.get(k - 1) != "PER" or t[k - 1] in _NAME_LINK or t[k - 1] in ("ال", "آل"):
            return False   # (راشد آل خليفة: the tagger's name cut at آل)
        rank = _corpus_rank()
        n = _ner_norm(w)
        if min(rank.get(n + "ون", 10 ** 9), rank.get(n + "ين", 10 ** 9)) < 50_000:
            return False   # an agent noun with a sound plural is a person: an apposition (ريبروف مدرب الأهلي)
        gaz = _gazetteer()
        if "PER" in (gaz.get((n,)) or ""):
            return False   # a word that is a person's name too (صالح مسلم، خليفة): the name may go on
        if self._own_noun(w):
            base = n[:-2] if n.endswith(("ها", "هم")) else n[:-1]
            if not (_common_both(base, rank) or _common_both(base[:-1] + "ه", rank)):
                return False
        elif not _common_both(n, rank):
            return False
        if n in places()["nisbas"] or w in places()["nisbas"]:
            return False
        return self._outside_entities(k)

    def _name_after_person(self, k: int) -> bool:
        """Token k starts a name the tagger found (a person, a state, a body) right after the last word of another
        person's name it found: two names side by side with no link are the verb's subject and its object (ووصف
        ترامب إريكسون "بالفاشل"، وحث أوباما إيران على …), so the subject ends at the first.  Not after a name link
        (بن، آل), nor when the two are one name split by the tagger (the second starts with a name link), nor a place
        after بـ (an address: بحمراء الأسد)."""
        t = self.tk.t
        ends = self.__dict__.get("_name_end_toks")
        if ends is None:
            ends = self.__dict__["_name_end_toks"] = self._name_end_tokens()
        if ends.get(k - 1) != "PER" or t[k - 1] in _NAME_LINK or t[k - 1] in ("ال", "آل") or t[k] in _NAME_LINK \
                or t[k] in ("ال", "آل") or not _WORD.fullmatch(t[k]) or t[k].startswith(("و", "ب")):
            return False
        ent = self._entity_starting(k, ("PER", "GPE", "LOC", "ORG"))
        if ent is None:
            return False
        if ent.label in ("GPE", "LOC"):
            # a place object is a state (قطر، الولايات المتحدة); a city after a first name may be its surname's
            # homograph the tagger took for a place (تاتيانا باليرمو)
            pl = places()
            w = t[k][1:] if t[k].startswith("ل") and not t[k].startswith("ال") else t[k]
            return w.startswith("ال") or w in pl["countries"] or w in pl["capitals"]
        return True

    def _object_with_pronoun(self, i: int, k: int) -> bool:
        """Token k is a noun with a possessive pronoun right after a definite word: a definite noun takes no
        annex and an adjective takes no pronoun, so a new noun phrase starts there, the verb's object (أعلن العديد
        من صناع الهواتف التزامهم بـ …، نقل نائب خادم الحرمين الشريفين شكره وتقديره، أكد الرئيس الأمريكي دعمه).
        Not a word with a proclitic (باسمه، لديه، ونظيره: a preposition's phrase, a coordinated noun), an
        emphatic or a circumstance (نفسه، ذاته، كلهم، بدوره), a name in الله (عبدالله), or a word inside an entity;
        a word that opens with ال here is a verbal noun (التزامهم): a definite noun takes no pronoun.  The word
        before must be written with the article (not إلغاء folded to الغاء), and the phrase from token i must hold
        no في (أعلنت طالبان هدنة في البلاد مدتها ثلاثة أيام: a clause about the object, no subject's end)."""
        t = self.tk.t
        w, prev = t[k], t[k - 1]
        if not self._orig_word(k - 1).startswith("ال") or prev in _NAME_AL or w.startswith(("و", "ف", "ب", "ل")) \
                or w in _EMPHATIC or w.endswith("لله") or not _WORD.fullmatch(w) or not self._own_noun(w) \
                or (w.startswith("ال") and not w.endswith(("ها", "هم", "هما"))) or "في" in t[i:k]:
            return False
        return self._outside_entities(k)

    def _object_after_state(self, i: int, k: int) -> bool:
        """Token k opens the verb's object after a subject that is a state: a definite title right after the
        state's name that opens the phrase (حذرت الولايات المتحدة الأمريكية الرئيس السوري …: a state's name is
        no construct head), or a state's name right after a definite nisba that ends a role phrase (توعد رئيس
        الوزراء الإسرائيلي إيران: the role is complete at its adjective)."""
        t = self.tk.t
        w, prev = t[k], t[k - 1]
        pl = places()
        if w in pl["countries"] and prev.startswith("ال") and (prev[2:] in pl["nisbas"] or prev in pl["nisbas"]) \
                and k - i >= 2:
            return True
        wk = _word_kind(w)
        if not (wk and wk[0] == "title" and w.startswith("ال")):
            return False
        ent = self._entity_starting(i, ("LOC", "GPE"))
        return ent is not None and self._entity_end(ent, i, k + 1) == k and t[i] not in _NAME_AL

    def _circumstantial_at(self, k: int) -> bool:
        """في/من at token k opens a circumstantial phrase (في بيان، في وقت، في حين، من جهته)."""
        t = self.tk.t
        nxt = t[k + 1]
        if _strip_al(nxt) in _circ() or nxt in _circ() or nxt in TIME or nxt in ("وقت", "جهته", "جهتها", "جانبه", "جانبها", "ناحيته", "حديث", "حين") \
                or (t[k] == "في" and nxt in ("تقرير", "تقريره", "تقريرها")):   # (قالت البعثة في تقرير نشر …)
            return True
        return t[k] == "من" and nxt in ("جهته", "جهتها", "جانبه", "جانبها")

    def _addressee_at(self, k: int) -> bool:
        """Token k (not the phrase's first) names whom the words were said to or the outlet they were said on:
        "وقال باسيل للصحفيين / لوكالة ..." -- not part of the speaker."""
        t = self.tk.t
        w = t[k]
        if w in _ADDRESSEE or (w.startswith("لل") and not t[k - 1].startswith("ال") and not _word_kind(t[k - 1])):
            return True
        if w.startswith("ل"):
            two = t[k][1:] + (" " + t[k + 1] if k + 1 < len(t) else "")
            mm = media()
            if any(x in mm["outlets"] or x in mm["ambiguous"] for x in (t[k][1:], two)):
                return True
        return False

    def _second_place(self, i: int, j: int) -> bool:
        """Token j (after the phrase's first) is a state or capital right after another: a list of places, not
        one name."""
        t = self.tk.t
        pl = places()
        if j <= i or not (t[j] in pl["countries"] or t[j] in pl["capitals"]):
            return False
        p = t[j - 1]
        return p in pl["countries"] or p in pl["capitals"] or p[1:] in pl["capitals"] or p[1:] in pl["countries"]

    def _quoted_org_name_end(self, i: int, j: int):
        """The token after the closing mark when token j opens a short quoted name after an organisation or
        media noun (قناة "الجزيرة"), else None."""
        tk = self.tk
        t = tk.t
        if not (t[j] in ALL_MARKS and j in tk.pair_of and tk.pair_of[j] > j and j > i):
            return None
        prev = t[j - 1]
        wk = _word_kind(prev)
        nouns = media()["nouns"]
        if ((wk and wk[0] == "org") or prev in nouns or prev[1:] in nouns) and tk.pair_of[j] - j <= 6:
            return tk.pair_of[j] + 1
        return None

    def _apposition_end(self, i: int, j: int, n: int):
        """The end (exclusive) of the apposition after the comma at token j -- a noun phrase up to the next
        comma, sentence end or stop word --, or None when the comma ends the phrase."""
        tk = self.tk
        t = tk.t
        k = j + 1
        if not (k < n and not self._np_stop(i, k, n) and t[k] not in ("،", ",", ".") and not _is_comp(t[k])[0]):
            return None
        while k < n and not tk.sent_end[k] and t[k] not in ("،", ",") and not self._np_stop(i, k, n):
            k += 1
        return k
