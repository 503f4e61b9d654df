"""Pass 5 of the sieve (:mod:`khabar.attribution.sieve`), sources: prepositional attributions (بحسب الجيش، وفقا
لصحيفة X), media (``وذكرت وكالة رويترز``, GUIDELINES decision 1) and media that publish (``ما نشرته قناة X``,
``وكانت قناة X قد نشرت أن``, decision 11).

A source is the whole phrase that names it (GUIDELINES "sources"): a media noun with its name, quoted or not, and
its adjectives (``وكالة أنباء "الأناضول"``, ``صحيفة "حرييت" الواسعة الانتشار``); a post or page with the account and
platform it is on (``تغريدة على حساب الوزارة على تويتر``); a report or study with the clause that says whose it is
(``الدراسة التي أعدها باحثون من جامعة ...``).  Coordinated media are one source each (``وكالة فرانس برس ورويترز``);
a dual or plural noun is one (``وكالتا الأنباء السعودية واللبنانية``).  An outlet that only receives the words
(``قال لـCNN``) is no source (decision 13).  The word classes are in ``resources/lexicon/sources.tsv`` and
``media.tsv``."""
from __future__ import annotations

from functools import lru_cache

import regex

from ...lexicon import media, source_words
from ...text.scan import finditer_from_anchor
from ..marks import ALL_MARKS
from .base import Reading
from .words import (_AFFILIATION, _circ, _is_comp, _is_media_np, REL, _SRC_CUE, STOP_PREP, TIME, _WORD, _word_kind)

_PUNCT = ("،", ",", ".", "؛", ":", ")", "(", "!", "؟", "?", "-", "–", "—")
# words that open a clause of their own: a source's phrase ends before them (بحسب مصادر ليبية لم يشأ ...)
_CLAUSE_OPENERS = frozenset({"لم", "لن", "قد", "لا", "سوف", "كان", "كانت", "فان", "فانه", "فانها", "فقد", "فمن",
                             "هم", "هو", "هي", "هما", "هن", "ما", "مما"})
_NEGATION = frozenset({"لم", "ولم", "لن", "ولن", "لا", "ولا"})
# words of the platform class that describe a page rather than name a platform (الموقع الرسمي للجيش)
_PAGE_WORDS = frozenset({"الرسمي", "الرسمية", "الالكتروني", "التواصل", "الانترنت"})
_KANA = frozenset({"كان", "كانت", "وكان", "وكانت", "كانوا", "وكانوا", "فكان", "فكانت"})
# participles of issuing and publishing after a document noun (البحث المنشور في مجلة ...، التقرير الصادر عن ...)
_ISSUED = frozenset({"المنشور", "المنشورة", "الصادر", "الصادرة", "المعد", "المعدة", "الذي", "التي", "الذين",
                     "صادر", "صادرة", "منشور", "منشورة"})
# words of the news trade after وكالة (وكالة الأنباء، وكالة الصحافة الفرنسية): a news agency, not another agency
_NEWS_WORDS = frozenset({"انباء", "الانباء", "للانباء", "الصحافة", "للصحافة", "الاعلام", "الاخبار", "للاخبار"})
_AFFILIATION_INDEF = frozenset({"تابعة", "تابع", "تابعه", "تابعان", "تابعتان", "تابعين", "موالية", "مقربة",
                                "مقرب", "محسوبة"})
_AGENCY = frozenset({"وكالة", "الوكالة", "وكالات", "وكالتا", "وكالتي", "الوكالتان", "الوكالتين"})
# between a publishing verb's subject and its أن: time and place of publishing only (في وقت سابق، الأحد، على موقعها)
_BEFORE_LINK = frozenset({"،", ",", "في", "وقت", "سابق", "مبكر", "لاحق", "علي", "عبر", "له", "لها", "لهم",
                          "الرسمي", "الرسمية", "تقرير", "تقريرها", "تقريره", "عددها", "عدده", "خبر", "الالكتروني"})
# what a medium publishes, then a verb of indicating before the clause (نشرت جريدة X معلومات تفيد بأن، أوردت
# القناة خبرا مفاده أن): the clause is still the medium's report (folded spellings)
_PUBLISHED_INFO = frozenset({"معلومات", "معلومه", "خبرا", "خبر", "اخبارا", "انباء", "تقريرا", "تقارير", "وثيقه",
                             "وثائق", "تفاصيل"})
_INDICATING = frozenset({"تفيد", "يفيد", "تشير", "يشير", "مفاده", "مفادها", "تؤكد", "يؤكد"})


@lru_cache(maxsize=1)
def _publish_forms() -> dict:
    """Written forms of the verbs of publishing (نشرت، ونشرته، تنشر، أوردتها ...) → has an object pronoun."""
    out = {}
    for past, pres in source_words()["publish"]:
        stems = [past, past + "ت", past + "وا"]
        if pres:
            stems += [pres, "ت" + pres[1:]]
        for st in stems:
            for obj in ("", "ه", "ها", "هم"):
                for pre in ("", "و", "ف"):
                    out.setdefault(pre + st + obj, bool(obj))
    return out


def _strip_prefix(w: str) -> str:
    """A word without a proclitic و/ب/ل (لل → ال)."""
    if w.startswith("لل") and len(w) > 3:
        return "ال" + w[2:]
    if w[:1] in ("و", "ب", "ل") and len(w) > 3:
        return w[1:]
    return w


# every match of _SRC_CUE holds one of these, at most two characters after its start (و/ف, then ب before حسب)
_SRC_CUE_WORDS = ("وفق", "طبقا", "تبعا", "حسب", "نقلا", "استنادا")


class SourceReading(Reading):
    """Sources: prepositional attributions, media subjects and media that publish."""

    # ------------------------------------------------------------------------------------ word classes
    def _cls(self, w: str) -> str | None:
        """The sources class of a word (with a proclitic tried off): media, info, post, norm, quant or None."""
        sw = source_words()
        m = media()
        for x in (w, _strip_prefix(w)):
            if x in sw["norm"]:
                return "norm"
            if x in sw["quant"]:
                return "quant"
            if x in sw["post"]:
                return "post"
            if x in m["nouns"] or x in m["outlets"]:
                return "media"
            if x in sw["info"]:
                return "info"
            if x in sw["org"]:
                return "org"
        return None

    def _is_medium(self, a: int, b: int) -> bool:
        """Tokens [a, b) name a news medium: :func:`_is_media_np`, except an agency that is not a news agency
        (الوكالة الدولية للطاقة الذرية، وكالة الفضاء الأوروبية) and a bare ``الوكالة`` whose last named agency
        in the text was such one."""
        t = self.tk.t
        words = [t[k] for k in range(a, b) if _WORD.fullmatch(t[k])]
        if not _is_media_np(words):
            return False
        w0 = words[0][1:] if words[0].startswith("و") and words[0][1:] in _AGENCY else words[0]
        if w0 in ("موقع", "الموقع", "منصة") and len(words) > 1 and words[1] in source_words()["platform"] \
                and words[1] not in _PAGE_WORDS:
            return False   # ويقول موقع تويتر إنه ...: the company speaks
        if w0 not in _AGENCY:
            return True
        if len(words) > 1:   # (the words after the phrase too: وكالة "فيتش" للتصنيف الائتماني)
            after = [t[k] for k in range(b, min(len(t), b + 3)) if _WORD.fullmatch(t[k])]
            return self._news_agency((words[1:] + after)[:4])
        for k in range(a - 1, -1, -1):     # bare الوكالة: the agency named last before it
            w = t[k][1:] if t[k][:1] in ("و", "ل", "ب") and t[k][1:] in _AGENCY else t[k]
            if w in _AGENCY and k + 1 < len(t) and _WORD.fullmatch(t[k + 1]) and t[k + 1] not in STOP_PREP:
                return self._news_agency([t[q] for q in range(k + 1, min(len(t), k + 4))])
        return True

    @staticmethod
    def _news_agency(rest: list) -> bool:
        """The words after وكالة name a news agency: the trade's words or a name; not a definite common noun
        (وكالة الفضاء) nor a genitive other than للأنباء (الوكالة الدولية للطاقة)."""
        m = media()
        if not rest or rest[0] in _NEWS_WORDS or rest[0] in m["outlets"]:
            return True
        for w in rest[:4]:
            if w in _NEWS_WORDS:
                return True
            if w.startswith("لل") and w not in _NEWS_WORDS:
                return False    # (وكالة "فيتش" للتصنيف الائتماني)
        if rest[0] in ALL_MARKS:
            return True
        w1 = rest[0]
        if w1.startswith("ال") and not w1.endswith(("ية", "يه", "ي", "يين", "يون")):   # (وكالة الحوثيين: theirs)
            return False
        return True

    # ------------------------------------------------------------------------------------ prepositional
    def prepositional_sources(self):
        """Pass 5, prepositional attributions (بحسب الجيش، وفقا لصحيفة X، نقلا عن Y): sources, as dicts of folded
        offsets with the cue's span."""
        tk = self.tk
        t = tk.t
        out = []
        for m in finditer_from_anchor(_SRC_CUE, self.ft, _SRC_CUE_WORDS, 2):
            i = self.tok_at(m.end() - 1)
            j = i + 1
            if j >= len(tk):
                continue
            if t[j] in ("ما", "لما") or m.group("cue").endswith("ما"):
                out.extend(self._what_sources(m, j))
                continue
            if tk.in_pair[i] >= 0 and tk.pair_of.get(tk.in_pair[i], -1) - tk.in_pair[i] > 6:
                continue
            out.extend(self._prepositional_source(m, j))
        out.extend(self._report_frames())
        return out

    def _report_frames(self) -> list:
        """``وفي تقرير سابق لصحيفة واشنطن بوست، فقد ...``: a report, post or interview of a medium that frames the
        clause after it, at the start of a sentence or after a comma, is a source (the whole phrase)."""
        tk = self.tk
        t = tk.t
        out = []
        for k in range(len(tk) - 2):
            if t[k] not in ("في", "وفي") or not (k == 0 or tk.sent_end[k - 1] or t[k - 1] in ("،", ",")
                                                 or self.sent_id[k - 1] != self.sent_id[k]):
                continue
            if self._cls(t[k + 1]) not in ("info", "post"):
                continue
            q = k + 2
            while q < len(tk) and q - k <= 4 and not t[q].startswith("ل") and _WORD.fullmatch(t[q]):
                q += 1     # adjectives of the report (سابق، جديد، الأخير)
            if q >= len(tk) or not t[q].startswith("ل") or self._cls(t[q]) != "media":
                continue
            a, b = self._source_np(k + 1)
            if b > q and b < len(tk) and t[b] in ("،", ","):
                out.append(self._span_src(a, b, None, (tk.s[k], tk.e[k])))
        return out

    def _what_sources(self, m, j: int) -> list:
        """``بحسب ما نقلته وكالة X``: the medium after the verb is a source (``وفق ما أفاد المرصد`` is a quote,
        handled with its verb: :meth:`_backward_quote`); after a verb of publishing any named publisher is
        (``ووفق ما نشرته مؤسسة "X"``), and so is the page it published on (``بحسب ما نشره على صفحته الرسمية``)."""
        tk = self.tk
        t = tk.t
        v = j + 1 if t[j] in ("ما", "لما") else j
        if v < len(tk) and _WORD.fullmatch(t[v]):
            return self._after_publisher(v, (m.start(), tk.e[v]), publish=t[v] in _publish_forms())
        return []

    def _after_publisher(self, v: int, cue_span, publish: bool) -> list:
        """The sources named after the verb at token v: its media subject (each of coordinated media); for a
        verb of publishing, also a publisher that is an organisation, with the page it published on."""
        tk = self.tk
        t = tk.t
        parts = self._np_after(v + 1, min(len(tk), v + 12))
        if parts:
            x, y = parts[0]
            if self._is_medium(x, y):
                return self._media_sources(x, y, cue_span)
            if y < len(tk) and t[y] in ALL_MARKS and 0 < tk.pair_of.get(y, -1) - y <= 4:
                y = tk.pair_of[y] + 1    # مؤسسة "الكنانة": the quoted name is the publisher's
            quoted = any(t[q] in ALL_MARKS for q in range(x, y)) or (x > 0 and t[x - 1] in ALL_MARKS)
            if publish and self._plausible_source(x, y, quoted):
                y2 = self._page_end(y)
                return [self._span_src(x, y2, None, cue_span)]
        elif publish:
            k = v + 1
            if k < len(tk) and t[k] in ("علي", "عبر", "في") and k + 1 < len(tk) and self._cls(t[k + 1]) == "post":
                return [self._span_src(k + 1, self._page_end(k + 2), None, cue_span)]
        return []

    def _page_end(self, y: int) -> int:
        """The end of a page phrase from token y: ``على صفحتها الرسمية على فيسبوك``, ``عبر حسابه على تويتر``
        (y itself when no such phrase follows)."""
        tk = self.tk
        t = tk.t
        sw = source_words()
        k = y
        while k + 1 < len(tk) and t[k] in ("علي", "عبر", "في", "ب") and self.sent_id[k] == self.sent_id[y - 1] and (
                self._cls(t[k + 1]) in ("post", "media") or _strip_prefix(t[k + 1]) in sw["platform"]
                or t[k + 1] in sw["platform"]):
            k += 2
            while k < len(tk) and (t[k] in sw["platform"] or _strip_prefix(t[k]) in sw["platform"]
                                   or (t[k] in ALL_MARKS and k in tk.pair_of and tk.pair_of[k] - k <= 3)
                                   or (t[k] in ALL_MARKS and k in tk.close_of)
                                   or t[k] in ("الاجتماعي", "الالكتروني", "الرسمي", "الرسمية")):
                k = tk.pair_of[k] + 1 if k in tk.pair_of and tk.pair_of[k] > k else k + 1
        if y < k < len(tk) or k == len(tk):
            while k > y and (t[k - 1] in ALL_MARKS and (k - 1) not in tk.close_of):
                k -= 1
        return k

    def _prepositional_source(self, m, j: int) -> list:
        """The source after the prepositional cue ``m`` (its noun phrase from token j: :meth:`_source_np`); each
        of two coordinated media apart; [] when it is not plausibly one."""
        tk = self.tk
        t = tk.t
        a, b = self._source_np(j)
        if b <= a:
            return []
        quoted = a > j or (a > 0 and t[a - 1] in ALL_MARKS)
        if not self._plausible_source(a, b, quoted):
            return []
        nb = next((q + 1 for q in range(b, min(len(tk) - 1, b + 8)) if t[q] in ("،", ",") or tk.sent_end[q]), b)
        if "نقلا" in m.group("cue") and nb < len(tk) and _is_comp(t[nb])[0] and not self._is_medium(a, b):
            return []   # وأكد الموقع، نقلا عن مصادره، أن ...: the relayed speaker of the clause (decision 13)
        cue = (m.start(), m.end())
        # وفقا لصحيفة ...: the attached ل is the cue's, not the source's; للتقرير → تقرير (a common noun), but
        # للأناضول keeps its لل (a name); after بحسب/حسب/وفق a ل is the name's own (حسب لين ...)
        takes_l = m.group("cue").rstrip().endswith(("وفقا", "طبقا", "تبعا")) or m.group("cue").endswith("ل")
        out = []
        for x, y in self._coordinated(a, b):
            src = self._span_src(x, y, None, cue)
            w0 = t[x]
            if x == a and takes_l and w0.startswith("ل") and len(w0) > 2 and not w0.startswith("لل"):
                src["s"] = tk.s[x] + 1
            elif x == a and takes_l and w0.startswith("لل") and len(w0) > 3 and self._cls(w0) in ("info", "post"):
                src["s"] = tk.s[x] + 2
            out.append(src)
        return out

    def _coordinated(self, a: int, b: int) -> list:
        """Token ranges of the media coordinated in [a, b) (وكالة فرانس برس ورويترز → two); [(a, b)] when none."""
        t = self.tk.t
        m = media()
        for q in range(a + 1, b):
            w = t[q]
            if w.startswith("و") and len(w) > 2 and t[q - 1] not in ALL_MARKS:
                rest = w[1:]
                two = rest + (" " + t[q + 1] if q + 1 < b else "")
                if rest in m["nouns"] or rest in m["outlets"] or two in m["outlets"] or two in m["nouns"]:
                    if self._cls(t[a]) == "media" or t[a] in m["outlets"] or _strip_prefix(t[a]) in m["outlets"]:
                        return [(a, q)] + self._coordinated(q, b)
        return [(a, b)]

    def _source_np(self, j: int) -> tuple[int, int]:
        """Token range of a source noun phrase from token j: up to punctuation, a relative, a preposition (but
        من) or the sentence end, at most 7 tokens; quoted names read whole.  A post or page runs on through the
        account and platform it is on (:meth:`_page_end`); a document or post through the clause that says
        whose it is (``الذي صدر عن ...``, ``المنشور في مجلة ...``), at most 14 tokens.  Marks and punctuation
        around it are left out."""
        tk = self.tk
        t = tk.t
        k = j
        if k < len(tk) and t[k] in ALL_MARKS:
            k += 1
        a = k
        head = self._head_class(a)
        doc = head in ("info", "post")
        limit = 7
        in_clause = False
        while k < len(tk) and self.sent_id[k] == self.sent_id[j] and k - a < limit:
            w = t[k]
            if doc and k > a and not in_clause and (w in _publish_forms() or w in ("صدر", "صدرت")):
                # a clause of issue without a relative: its verb and subject (تصريحات نقلتها وسائل الإعلام
                # البرتغالية), or the verb and its time (مؤشر حكومي نشر أمس)
                parts = self._np_after(k + 1, min(len(tk), k + 9))
                if parts and parts[0][0] == k + 1 and self._is_medium(*parts[0]):
                    k = parts[0][1]
                    break
                in_clause, limit = True, min(14, k - a + 8)
                k += 1
                continue
            if w in _PUNCT or tk.sent_end[k] or _is_comp(w)[0] or (k > a and w in _CLAUSE_OPENERS) or (
                    k > a and k in self._cue_toks and not in_clause):
                break
            if w in ALL_MARKS:
                if tk.close_of.get(k) is not None:
                    k += 1
                    continue
                if k in tk.pair_of and 0 < tk.pair_of[k] - k <= 6:
                    k = tk.pair_of[k] + 1     # a quoted name; longer marked words are a quote, not a name
                    continue
                break
            if w in REL:
                if doc and k > a and not in_clause:
                    in_clause, limit = True, min(14, k - a + 8)
                    k += 1
                    continue
                break
            if k > a and w in STOP_PREP and w not in ("من",) and not in_clause:
                if head == "post" and k + 1 < len(tk):
                    e = self._page_end(k)
                    if e > k:
                        k = e
                        limit = max(limit, k - a + 1)
                        continue
                if doc and t[k - 1] in _ISSUED:
                    in_clause, limit = True, min(14, k - a + 8)
                    k += 1
                    continue
                break
            k += 1
        b = k
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum())):
            if tk.close_of.get(b - 1, -1) >= a:
                break  # the closing mark of a quoted name inside the phrase (وكالة أنباء "الأناضول")
            b -= 1
        while a < b and t[a] in ALL_MARKS:
            a += 1
        return a, b

    def _head_class(self, a: int) -> str | None:
        """The sources class of the phrase's head at token a, past a quantifier (إحدى روايات → info)."""
        t = self.tk.t
        c = self._cls(t[a]) if a < len(t) else None
        if c == "quant":
            k = a + 1
            for q in range(a + 1, min(len(t), a + 4)):   # مجموعة (مختلفة) من القواعد
                if t[q] == "من":
                    k = q + 1
                    break
            return self._cls(t[k]) if k < len(t) else None
        return c

    def _plausible_source(self, a: int, b: int, quoted: bool) -> bool:
        """The phrase [a, b) after a prepositional cue is a source: quoted; or its head (past a quantifier) is a
        medium, an outlet, a noun of information, a post or page, an organisation, a title, a group or a
        document; or the NER found an organisation or person there; or a Latin name.  A norm (وفق القانون) never
        is."""
        t = self.tk.t
        words = [t[q] for q in range(a, b) if _WORD.fullmatch(t[q])]
        if not words:
            return False
        if quoted:
            return True
        head = self._head_class(a)
        if head == "norm":
            return False
        if head in ("media", "info", "post", "org"):
            return True
        w0 = words[0]
        if self._cls(w0) == "quant":
            k = a + 1 + (1 if a + 1 < b and t[a + 1] == "من" else 0)
            w0 = t[k] if k < b else w0
        stems = [w0, _strip_prefix(w0)] + [w0[:-len(x)] for x in ("ها", "هم", "ه") if w0.endswith(x) and len(w0) > 4]
        stems.append(words[0])   # a quantifier that is itself a group (بعض قادتها), its noun not a norm
        for w in stems:           # (بعض قادتها: a title with its possessive)
            if w in media()["outlets"]:
                return True
            k = _word_kind(w)
            if k and k[0] in ("org", "doc", "title", "group") and w not in ("النظام", "القرار", "قرار"):
                return True
        if any(regex.fullmatch(r"[a-z][a-z0-9.&-]*", w) for w in words):
            return True
        return self._entity_starting(a, ("ORG", "PER")) is not None

    # ------------------------------------------------------------------------------------ media subjects
    def _media_before(self, tok: int):
        """The media noun phrase right before the verb at token tok, as its subject (``تقارير إعلامية ذكرت أن``,
        ``الأنباء التي تحدثت عن``, ``وكانت قناة X ... قد نشرت``): its token range, or None."""
        tk = self.tk
        t = tk.t
        k = tok - 1
        kana = rel = False
        if k >= 0 and t[k] in ("قد", "لقد"):
            k, kana = k - 1, True
        if k >= 0 and t[k] in REL:
            k, rel = k - 1, True
        end = k + 1
        sid = self.sent_id[tok]
        best = None
        q = k
        while q >= 0 and end - q <= 7 and self.sent_id[q] == sid:
            w = t[q]
            if w in _PUNCT or (w in STOP_PREP and w not in ("من",)) or _is_comp(w)[0] or w in ("كانت", "وكانت",
                                                                                            "كان", "وكان"):
                break
            if w in ALL_MARKS and q in tk.pair_of:
                break
            if self._cls(w) == "media" and not w.startswith(("ل", "ب")) and self._is_medium(q, end):
                m = media()
                named_only = _strip_prefix(w) not in m["nouns"] and w not in m["nouns"]
                prev = t[q - 1] if q else ""
                if not (named_only and q and self.sent_id[q - 1] == sid and _WORD.fullmatch(prev)
                        and prev not in ("من", "و")):
                    best = q   # (an outlet's name after a noun is an adjective: الدراسات الاقتصادية)
            q -= 1
        if best is None:
            return None
        if best and t[best - 1] + " " + t[best] in media()["nouns"]:
            best -= 1          # وسائل الإعلام
        before = t[best - 1] if best and self.sent_id[best - 1] == sid else ""
        if self._cls(before) == "quant" or (rel and before in STOP_PREP):
            return None        # بأحد المواقع يعتقد، في قناة ... التي يزعم
        if not rel and (before in STOP_PREP or before in ("من", "علي")):
            return None        # the object of a preposition (على شبكات التواصل ... قالوا), unless a relative
            #                    clause follows it (بعد أيام من الأنباء التي تحدثت عن ...)
        if kana:
            return (best, end) if before in _KANA else None
        if not rel and end - best > 3:
            return None        # an adjectival clause right after its noun only (تقارير إعلامية ذكرت)
        return best, end

    def negated(self, c) -> bool:
        """The cue is negated (ولم تكشف «شينخوا»، لا تذكر الصحيفة)."""
        t = self.tk.t
        return bool(c.tok) and t[c.tok - 1] in _NEGATION

    def quoted_outlet_subject(self, c, p):
        """``وذكرت "عكاظ" أن``، ``ونقلت "الشرق الأوسط" عن مصادر أن``: a known outlet in marks right after the verb is
        its subject (the parse took the mark for a quotation): (the name's token range, the parse with the real
        linker, a complementiser or a colon after the name), or None."""
        tk = self.tk
        t = tk.t
        k0 = c.tok + 1
        lk = p["linker"]
        if not (k0 < len(tk) and t[k0] in ALL_MARKS and k0 in tk.pair_of and 1 < tk.pair_of[k0] - k0 <= 5):
            return None
        k1 = tk.pair_of[k0]
        if k1 + 1 < len(tk) and t[k1 + 1] in STOP_PREP and t[k1 + 1] != "عن" and not _is_comp(t[k1 + 1])[0]:
            return None    # تحدثت «الشرق الأوسط» مع كيري: it talked with someone, it reports nothing
        m = media()
        name = " ".join(t[q] for q in range(k0 + 1, k1))
        if not (name in m["outlets"] or name in m["ambiguous"] or _is_media_np([t[q] for q in range(k0 + 1, k1)])):
            return None
        if lk and lk[0] != "mark" and (not p["subj"] or p["subj"] == [(k0 + 1, k1)]) and lk[1] > k1:
            # the parse found the linker, and the subject in marks or none: a medium in marks is a source
            return (k0 + 1, k1), dict(p, subj=[(k0 + 1, k1)])
        if not (lk and lk[0] == "mark" and lk[1] == k0):
            return None
        for j in range(k1 + 1, min(len(tk), k1 + 16)):
            if tk.sent_end[j] or (t[j] in ALL_MARKS and j in tk.pair_of):
                return None
            if _is_comp(t[j])[0] or t[j] == ":":
                kind = "colon" if t[j] == ":" else "comp"
                p2 = dict(p, linker=(kind, j, tk.e[j]), subj=[(k0 + 1, k1)], region=(k1 + 1, j))
                return (k0 + 1, k1), p2
        return None

    def media_subject_sources(self, c, p) -> list:
        """Sources of a reporting cue whose subject is a medium: after the verb (``وذكرت وكالة رويترز``) or, when
        none follows, before it (:meth:`_media_before`); [] when neither."""
        t = self.tk.t
        subj = p["subj"]
        if self.negated(c):
            return []          # ولم ترد أنباء عن ...: nothing reported
        if subj and c.tok >= 2 and t[c.tok - 1] in ("قد", "لقد") and t[c.tok - 2] not in _KANA:
            return []          # وكان صديق له قد أفاد هيئة الإذاعة: the subject came first, the medium hears
        if subj:
            a, b = subj[0]
            if self._is_medium(a, b):
                return self._media_sources(a, b, (c.s, c.e))
            return []
        pre = self._media_before(c.tok) if c.kind in ("past", "present") and c.cls != "think" else None
        if pre and t[c.tok][:1] not in ("و", "ف"):
            return self._media_sources(pre[0], pre[1], (c.s, c.e))
        return []

    def relays_words(self, p) -> bool:
        """The relay verb's object after its subject is someone's words (ونقلت وكالة X تصريحات للوزير)."""
        t = self.tk.t
        if not p["subj"]:
            return False
        a, b = p["subj"][0][0] + 1, min(len(t), p["subj"][-1][1] + 1)
        for k in range(a, b):    # (the subject's phrase may have run on over the object)
            w = t[k][2:] if t[k].startswith("ال") else t[k]
            if t[k] in _circ() or w in _circ() or w in ("تصريحات", "قول", "كلام", "تاكيد", "تاكيدات"):
                return True
        return False

    # ------------------------------------------------------------------------------------ publishing
    def publish_sources(self) -> list:
        """Media that publish (GUIDELINES decisions 1 and 11): ``ما نشرته/تداولته وسائل إعلام``, ``ونشرت صحيفة
        X أن``, ``وكانت قناة X قد نشرت ... أن``, ``تغريدة نشرها المكتب الإعلامي``; a medium that publishes a
        picture or a video without a clause is none (``ونشر الموقع فيديو``)."""
        tk = self.tk
        t = tk.t
        forms = _publish_forms()
        out = []
        for v in range(len(tk)):
            w = t[v]
            if w not in forms or (tk.in_pair[v] >= 0 and tk.pair_of.get(tk.in_pair[v], -1) - tk.in_pair[v] > 6):
                continue
            if v and (t[v - 1] in ("ما", "لما") or t[v - 1].endswith("ما") and _SRC_CUE.fullmatch(t[v - 1])):
                if v >= 2 and (_SRC_CUE.fullmatch(t[v - 2]) or _SRC_CUE.fullmatch(t[v - 2] + " " + t[v - 1])):
                    continue   # بحسب ما نشرته: read with its cue (:meth:`_what_sources`)
                out.extend(self._after_publisher(v, (tk.s[v - 1], tk.e[v]), publish=False))
                continue
            has_obj = forms[w]
            if has_obj and v and (self._cls(t[v - 1]) in ("post", "info") or t[v - 1] in REL):
                parts = self._np_after(v + 1, min(len(tk), v + 10))   # تغريدة نشرها المكتب الإعلامي
                if parts and self._is_medium(*parts[0]):
                    out.extend(self._media_sources(parts[0][0], parts[0][1], (tk.s[v], tk.e[v])))
                continue
            parts = self._np_after(v + 1, min(len(tk), v + 10))
            if parts and self._is_medium(*parts[0]):
                if self._link_follows(parts[0][1]):
                    out.extend(self._media_sources(parts[0][0], parts[0][1], (tk.s[v], tk.e[v])))
                continue
            pre = self._media_before(v) if not parts else None
            if pre and self._link_follows(v + 1):
                out.extend(self._media_sources(pre[0], pre[1], (tk.s[v], tk.e[v])))
        return out

    def _link_follows(self, k: int) -> bool:
        """A complementiser (أن/إن/بأن) or a colon follows token k after at most a time or place of publishing."""
        tk = self.tk
        t = tk.t
        for q in range(k, min(len(tk), k + 9)):
            w = t[q]
            if _is_comp(w)[0] or w == ":":
                return True
            if w in _INDICATING and q > k and t[q - 1] in _PUBLISHED_INFO:
                continue
            if tk.sent_end[q] or not (w in _BEFORE_LINK or w in _PUBLISHED_INFO or w in TIME or self._cls(w) == "post"
                                      or _strip_prefix(w) in source_words()["platform"]
                                      or w in source_words()["platform"]):
                return False
        return False

    # ------------------------------------------------------------------------------------ spans
    @staticmethod
    def outermost(sources: list) -> list:
        """The sources not inside another one: ``وفقا لتقرير نشرته صحيفة X`` is one source, the report's phrase
        (which names the newspaper), not two."""
        return [x for x in sources if not any(y is not x and y["s"] <= x["s"] and x["e"] <= y["e"]
                                              and (y["s"], y["e"]) != (x["s"], x["e"]) for y in sources)]

    def _media_sources(self, a, b, cue_span):
        """The media noun phrase at tokens [a, b) and its coordinated media (قناة "X" وموقع "Y")."""
        tk = self.tk
        t = tk.t
        nouns = media()["nouns"]
        # a phrase read as one (قناة "X" وموقع "Y" التابعان لـ...): each medium apart, without the trailing
        # affiliation (التابع/التابعة/التابعان ... ل...)
        named = False
        for q in range(a + 1, b):
            named = (named or (q - 1 in tk.close_of and tk.close_of[q - 1] >= a)) and not (
                t[q].startswith("و") and t[q][1:] in nouns)          # (a coordinated medium: its own name)
            if named and not t[q].startswith(("ال", "لل")) and not (t[q].startswith("و") and t[q][1:] in nouns) \
                    and t[q] not in ALL_MARKS:
                b = q   # صحيفة "X" الروسية معلومات ...: the name ends with its adjectives
                break
            if t[q] in _AFFILIATION or t[q] in ("في", "علي", "عبر", "خلال"):
                b = q   # ... التابعة لـ، ... في تقرير لها: not the medium's name
                break
            if t[q] in _AFFILIATION_INDEF and q + 1 < len(tk) and t[q + 1].startswith("ل"):
                # unnamed media are named by whom they belong to (وسائل إعلام تابعة لجماعة الحوثي)
                b = q + 2
                while b < len(tk) and b - q < 4 and t[b].startswith("ال") and t[b] not in STOP_PREP:
                    b += 1
                break
        for q in range(a + 1, b):
            if t[q].startswith("و") and t[q][1:] in nouns and (q + 1 >= b or t[q + 1] not in nouns):
                return [self._span_src(a, q, None, cue_span)] + self._media_sources(q, b, cue_span)
        out = [self._span_src(a, b, None, cue_span)]
        k = b
        while k < len(tk) and t[k].startswith("و") and t[k][1:] in nouns:
            parts = self._np_after(k, min(len(tk), k + 8))
            if not parts:
                break
            x, y = parts[0]
            out.extend(self._media_sources(x, y, cue_span))
            k = y
        return out

    def _span_src(self, a, b, c, cue_span=None):
        tk = self.tk
        t = tk.t
        while b > a + 1 and (t[b - 1].startswith("قول") or t[b - 1] == "و"):
            b -= 1
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum())):
            if tk.close_of.get(b - 1, -1) >= a or (t[b - 1] == ")" and "(" in t[a:b - 1]):
                break  # the closing mark of a quoted name inside the span (قناة "المسيرة")
            b -= 1
        if "(" in t[a:b] and ")" not in t[a:b] and b < len(tk) and t[b] == ")":
            b += 1     # وكالة الأنباء السعودية (واس)
        s = tk.s[a]
        w0 = t[a]
        m = media()
        if w0.startswith("و") and (w0[1:] in m["nouns"] or w0[1:] in m["outlets"] or any(
                o.startswith(w0[1:] + " ") for o in m["outlets"])):
            s += 1
        return {"s": s, "e": tk.e[b - 1], "cue": cue_span or (c.s, c.e)}
