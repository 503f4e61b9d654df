"""Pass 4 of the sieve (:mod:`khabar.attribution.sieve`): the content after a linker (direct or indirect, up to the
clause end), the noun object of a cue without a clause, and the clause that an attribution after it (``كما تقول
المصادر``) or before it (``بحسب ما جاء في ...``) attributes."""
from __future__ import annotations

from functools import lru_cache

from ...lexicon import media, places
from ..marks import ALL_MARKS
from .base import Reading
from .words import (
    _corpus_rank, Cue, _is_comp, _is_media_np, name_head, _NEGATORS, PARTICIPLE, STOP_PREP, _REL_PRON, _SRC_CUE, _strip_al,
    TIME, TITLE_LABEL, _WORD, _word_kind,
)


# nouns that name an attitude, a commitment or a piece of information without stating it (GUIDELINES decision 15:
# أكد جدية الحكومة، شدد على حرص المملكة، أعلنت عن النتائج المالية، لافتا إلى أهمية، كشفت عن حيثيات): as the
# head of a noun object they make no quote; a verbal noun of an event (مقتل، اعتقال، ضم، إطلاق) does
_UNSTATED = ("أهمية", "ضرورة", "حرص", "جدية", "رغبة", "تضامن", "استعداد", "قلق", "ارتياح", "ترحيب", "تقدير",
             "اعتزاز", "فخر", "التزام", "حاجة", "أولوية", "نتائج", "تفاصيل", "حيثيات", "معلومات", "بيانات", "أرقام",
             "أسماء", "قائمة", "موعد", "مواعيد", "قرار", "خطة", "خطط", "برنامج", "برامج", "صفقات", "صفقة", "مشروع",
             "مشاريع", "مبادرة", "مبادرات", "مهارات", "أسباب", "ملامح", "شروط", "تدابير", "مواصفات", "أسعار",
             "منتج", "منتجات", "جوائز", "هوية", "مضمون", "محتوى", "فحوى", "طبيعة", "موقف", "رؤية", "استراتيجية",
             "خطوات", "إجراءات", "عروض", "عرض", "مزايا", "خدمات", "خدمة", "تطبيق", "أجندة", "جدول", "ميزانية",
             "تشكيلة", "هيكل", "آلية", "آليات", "ضوابط", "معايير", "أولويات", "أهداف", "هدف", "فوائد", "مخاطر")


# prepositions that open a topic phrase fronted before a new reporting verb (وعن الوضع في ليبيا قال ...)
_FRONTED_TOPIC = frozenset({"بخصوص", "عن", "حول", "بشان", "في", "علي", "فيما"})


@lru_cache(maxsize=None)
def _unstated() -> frozenset:
    from ...text.normalize import fold

    return frozenset(fold(w) for w in _UNSTATED)


def unstated_noun(w: str) -> bool:
    """A folded word (with و/ب/ل/ال and a pronoun suffix) of :data:`_UNSTATED`."""
    u = _unstated()
    w = _strip_al(w[1:] if len(w) > 3 and w[0] in "وبلف" and _strip_al(w[1:]) in u else w)
    if w in u:
        return True
    for suf in ("ها", "هم", "هما", "ه", "نا"):
        if w.endswith(suf) and w[:-len(suf)] in u:
            return True
        if w.endswith("ت" + suf) and w[:-len(suf) - 1] + "ة" in u:
            return True
    return False


# words that, alone or with one more, are what is left of a clause after its attribution, not content
_REMNANT = frozenset({"اسبوع", "شهر", "عام", "سنة", "ماضي", "مقبل", "حالي", "جاري", "ايضا", "كذلك", "بيانه",
                      "بيانها", "بيانهم", "تصريحه", "تصريحها", "تصريحات", "تغريدة", "حينه", "حينها"})


# adverbs of frequency before ما (غالبا ما، كثيرا ما): the ما is no relative "what"
_FREQ_ADVERBS = frozenset({"غالبا", "وغالبا", "كثيرا", "وكثيرا", "قليلا", "نادرا", "عادة", "طالما", "دائما"})

# words before a cue that make it an attribution of the clause before it (بحسب ما أعلنت، كما قال، حسبما ذكر)
_BACKWARD = frozenset({"ما", "حسبما", "كما", "لما", "بحسبما", "وفقما"})

# classes of reporting verbs whose لـ or preposition-with-pronoun after the verb is the addressee or resumes the
# ما (كما قال للصحفيين، بحسب ما أفادت به الشرطة, حسبما صرح له): still an attribution of the clause before
_ADDRESSEE_CLS = frozenset({"say", "inform", "announce", "relay", "doc"})


class ContentReading(Reading):
    """The content of a quote: after a linker, a noun object, an attributed clause."""

    def _conditional_in(self, k: int) -> bool:
        """Token k is إن/أن that does not report (error class 3): concessive ``وإن كانت``، ``وإن لم``, or
        conditional ``إن لم ... فإن/فسوف/فلن`` (the answer with ف follows in the sentence)."""
        t = self.tk.t
        n = len(t)
        if k + 1 >= n:
            return False
        w, nxt = t[k], t[k + 1]
        if w == "وان" and nxt in ("كان", "كانت", "كانوا", "كن", "لم", "بدا", "بدت", "بدوا"):
            return True
        if w == "ان" and nxt == "لم":
            sid = self.sent_id[k]
            for j in range(k + 2, min(n, k + 25)):
                if self.sent_id[j] != sid:
                    break
                x = t[j]
                if x in ("فان", "فانه", "فانها", "فانهم", "فلن", "فلا", "فقد", "فسوف", "فانني", "فانا") \
                        or (len(x) > 3 and x[:2] in ("فس", "فل") and x[2] in "يتنا"):
                    return True
        return False

    def _comp_follows(self, k: int) -> bool:
        t = self.tk.t
        n = len(t)
        if k + 1 < n and _is_comp(t[k + 1])[0]:
            return True
        return k + 2 < n and t[k + 1] in ("الي", "علي", "الى", "على") and _is_comp(t[k + 2])[0]

    def clause_end(self, start_tok: int, cue_starts: set, limit_sid: int) -> int:
        """Token index (exclusive) where the clause starting at start_tok ends: the paragraph's or sentence's end
        outside quotation marks, a participle with its own أن, ``دون أن``, or punctuation before a new clause
        (:meth:`_new_clause_after`)."""
        tk = self.tk
        t = tk.t
        n = len(tk)
        k = start_tok
        part_starts = self._part_starts
        while k < n:
            if tk.para[k] != tk.para[start_tok]:
                return k
            if tk.in_pair[k] == -1:
                if tk.sent_end[k]:
                    return k
                if k > start_tok and k in part_starts:
                    return k  # "... ليست مشكلة لافتا إلى أن ...": a participle with its own أن starts a new quote
                if k > start_tok + 1 and self._new_clause_here(k, cue_starts):
                    return k
                if k > start_tok and k + 1 < n and t[k + 1] == "ان" and (
                        t[k] in ("دون", "بدون") or (t[k] == "غير" and t[k - 1] == "من")):
                    # "...، دون أن يقدم سببا"، "من غير أن يوضح": how the words were said, not what was said
                    return k - 1 if t[k - 1] in ("من", "،", ",") and k - 1 > start_tok else k
                if t[k] in ("،", ",", "؛", ";", "-", "–") and k + 1 < n and self._new_clause_after(k, cue_starts):
                    return k
            k += 1
        return n

    def _new_clause_here(self, k: int, cue_starts: set) -> bool:
        """Token k starts a new clause without punctuation before it: a reporting verb with و that starts a
        clause of its own (``... بشكل فوري وأشارت الصحيفة``), ``وأن`` under the same verb (decision 3: a separate
        quote), or a circumstantial participle in -an (``... بين تونس والجزائر مستغرباً ما ...``)."""
        t = self.tk.t
        w = t[k]
        if k in cue_starts and k in self._conj_cues:
            return True
        if w == "وان" and not self._conditional_in(k):
            return True
        return k in self._part_toks and w.endswith("ا") and not w.startswith("و")

    def _new_clause_after(self, k: int, cue_starts: set) -> bool:
        """The punctuation at token k is followed by a new clause: a cue that starts one (also after كما، ثم،
        فيما، في حين ...), an attribution of the clause (``، كما جاء في``, ``، وفقا لـ``), a new reporting verb
        with و (``، ودعا``), or ``، وأن`` (a new quote under the same verb)."""
        tk = self.tk
        t = tk.t
        n = len(tk)
        nxt = t[k + 1]
        nxt2 = t[k + 2] if k + 2 < n else ""
        if (k + 1) in cue_starts or (nxt in ("كما", "ثم", "فيما", "بينما", "لكن", "وكما", "حيث", "اذ")
                                     and (k + 2) in cue_starts):
            return True
        if nxt in ("كما", "وكما") and (k + 2) in self._cue_toks:
            return True  # "...، كما جاء في مجلة ...": an attribution of the clause, not part of it
        if (k + 1) in self._cue_toks and nxt.startswith("و"):
            return True  # "...، ودعا الحبر الأعظم ...": a new reporting verb after a comma, a new clause
        if nxt == "في" and nxt2 == "حين" and (k + 3) in cue_starts:
            return True
        if _is_comp(nxt)[0] and nxt.startswith("و") and not self._conditional_in(k + 1):
            return True
        if nxt == "وذلك":
            return True  # "...، وذلك في قتال امتد ...": the writer's own words after the reported clause
        if nxt.startswith("و") and nxt[1:] in _FRONTED_TOPIC:
            # "...، وبخصوص الوضع العام أشار الرئيس أن ...": a fronted topic phrase and a cue of its own
            for j in range(k + 2, min(n, k + 8)):
                if j in cue_starts:
                    return True
                if t[j] in ("،", ",", ".", "؛", ":") or tk.sent_end[j]:
                    break

        if nxt[:4] in ("لكنه", "لكنه", "ولكن") and len(nxt) > 4 and (k + 2) in cue_starts:
            return True  # "...، لكنها قالت إن": a new clause with its own cue
        return bool(_SRC_CUE.match(self.ft, tk.s[k + 1]))

    def _make_quote(self, c: Cue, linker, p, cue_starts, actor, mention):
        """Pass 4, the quote a linker introduces: ``direct`` when one pair of marks encloses all of the clause,
        else ``indirect`` up to the clause end; None when there is no content."""
        start = self._content_start(linker)
        if start is None:
            return None
        k, cstart = start
        tk = self.tk
        if linker[0] == "prepnoun" and (unstated_noun(tk.t[k]) or self._agentless_masdar(c)):
            return None  # a noun object that names without stating (decision 15), a masdar with no agent (19)
        if tk.t[k] in ALL_MARKS and k in tk.pair_of:
            done, q = self._direct_quote(c, k, cue_starts, actor, mention)
            if done:
                return q
            if linker[0] == "mark" and tk.pair_of[k] - k > 1 and not any(
                    _is_comp(w)[0] for w in tk.t[tk.pair_of[k] + 1:tk.pair_of[k] + 4]):
                # marks right after the verb's words that the clause goes on past (أعربت عن قلقها إزاء "..."
                # بشأن ...): no clause of the verb's own, only the marked words are quoted (decision 16); not
                # when أن follows the marks (مؤكدا "بلا اعتذار" أن ...: the clause after أن is the content)
                close = tk.pair_of[k]
                return self._q(c, tk.e[k], tk.s[close], "direct", actor, mention, (k, close + 1))
        return self._indirect_quote(c, k, cstart, cue_starts, actor, mention)

    def _agentless_masdar(self, c: Cue) -> bool:
        """A definite verbal noun of saying followed by its preposition (``بعد الإعلان عن``، ``تقرر الإعلان عن``)
        has no agent: it reports nobody's words (GUIDELINES decision 19).  After بـ (``قيام X بالإعلان عن``)
        the agent is the one who does it, so that one stays."""
        w = self.tk.t[c.tok]
        return c.kind == "masdar" and (w.startswith("ال") or w.startswith("وال")) and c.tok + 1 < len(self.tk) \
            and self.tk.t[c.tok + 1] == c.prep

    def _content_start(self, linker):
        """(first content token, its folded start offset) after a linker -- inside the token for ألا → لا and a
        fused preposition (بـ), past a complementiser after a colon (قال: إن) and a colon after a complementiser
        (إن: "...") --; None when the content would start in another paragraph."""
        tk = self.tk
        t = tk.t
        n = len(tk)
        kind_l, ltok, cstart = linker
        k = ltok + 1 if kind_l in ("comp", "colon", "prepnoun") else ltok
        if kind_l in ("comp", "prepnoun") and cstart < tk.e[ltok]:
            k = ltok  # ألا → content starts inside the token (لا); بـ of a fused preposition
        if kind_l == "colon" and k < n and _is_comp(t[k])[0] and t[k] not in ("الا",):
            k += 1
            cstart = tk.e[k - 1]
        if kind_l == "comp" and k < n and t[k] == ":":
            k += 1
            cstart = tk.e[k - 1]
        if k >= n or tk.para[k] != tk.para[ltok]:
            return None
        if kind_l in ("colon", "comp", "prepnoun") and k > ltok:
            cstart = tk.s[k] if not (kind_l == "comp" and cstart < tk.e[ltok]) else cstart
        return k, cstart

    def _direct_quote(self, c: Cue, k: int, cue_starts, actor, mention):
        """(True, quote or None) when the marks opening at token k enclose the whole clause (or run, unclosed,
        to the end of the paragraph); (False, None) when the clause goes on after them (an indirect quote)."""
        tk = self.tk
        n = len(tk)
        close = tk.pair_of[k]
        if close == -1:
            last = k
            while last + 1 < n and tk.para[last + 1] == tk.para[k]:
                last += 1
            if last - k < 2:
                return True, None
            return True, self._q(c, tk.e[k], tk.e[last], "direct", actor, mention, (k, last + 1))
        if self._closes_clause(k, close, cue_starts) and close - k > 1:
            return True, self._q(c, tk.e[k], tk.s[close], "direct", actor, mention, (k, close + 1))
        return False, None

    def _closes_clause(self, k: int, close: int, cue_starts) -> bool:
        """The closing mark ``close`` (of the pair opening at k) ends the clause: the paragraph, the sentence, a
        punctuation mark, a new cue or another quotation follows, or words that say how it was said (دون أن
        يذكر، في مقابلة، بحسب ...)."""
        tk = self.tk
        t = tk.t
        n = len(tk)
        after = close + 1
        return (after >= n or tk.para[after] != tk.para[k] or tk.sent_end[after]
                or t[after] in ("،", ",", "؛", ".", ")", ":") or after in cue_starts
                or (after + 1 < n and t[after] in ALL_MARKS)
                or t[after] in ("دون", "بدون", "قبل", "بعد", "في", "خلال", "على", "علي", "حسب", "بحسب", "وفق",
                                "وفقا"))

    def _indirect_quote(self, c: Cue, k: int, cstart: int, cue_starts, actor, mention):
        """The indirect quote from token k (folded offset cstart) to the clause end, without the punctuation and
        marks around it; None when no word is left."""
        tk = self.tk
        t = tk.t
        end = self.clause_end(k, cue_starts, self.sent_id[k])
        if end <= k:
            return None
        a, b = k, end
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum() and t[b - 1] not in ")]")):
            if tk.close_of.get(b - 1, -1) >= a:
                break  # a quoted name that ends the clause keeps its closing mark («العربية للطيران»)
            b -= 1
        s0 = cstart
        while a < b and t[a] in ALL_MARKS:
            a += 1
            s0 = tk.s[a] if a < b else s0
        if b <= a:
            return None
        words = [t[q] for q in range(a, b) if _WORD.fullmatch(t[q])]
        if not words:
            return None
        if len(words) <= 2 and (words[0] in STOP_PREP or words[0] in TIME or _strip_al(words[0]) in _REMNANT
                                or (c.tok and t[c.tok - 1] in _BACKWARD and not self._description_after(c, k))):
            # "حسبما أعلنت الرئاسة في بيانها"، "كما أعلنت الاستخبارات الأسبوع الماضي"، "بحسب ما أعلنت السلطة
            # الكروية الأوروبية": an attribution of the clause before it, with no content of its own left
            return None
        return self._q(c, s0, tk.e[b - 1], "indirect", actor, mention, (k, end))

    def _description_after(self, c: Cue, k: int) -> bool:
        """Whether the content from token k is what a verb of describing calls its object, after its own بأن (تعرض
        لما وصفته الشرطة بأنه هجوم إرهابي، لما عرّفتها الشرطة بأنها غاز الأعصاب): a relative ما before such a verb
        is its object ("what the police described as"), not an attribution of the clause before, so a short
        content is still the description."""
        t = self.tk.t
        return c.cls == "describe" and k >= 1 and _is_comp(t[k - 1])[0] and t[k - 1].lstrip("و").startswith("ب")

    def _q(self, c, s, e, kind, actor, mention, tokrange):
        if e <= s:
            return None
        return {"s": s, "e": e, "kind": kind, "cue": c, "actor": actor, "mention": mention, "tokrange": tokrange}

    def _noun_object_quote(self, c, p, cue_starts, subj, actors, last_speaker, sent_subject):
        """Pass 4 for a cue without a linker: quoted words the verb attributes (:meth:`_quoted_words`), else the
        noun object of an announce/deny verb -- said by a relative pronoun's antecedent or a subject before the
        verb (:meth:`_object_of_speaker_before`), or following the subject (:meth:`_object_after_subject`)."""
        sid = self.sent_id[c.tok]
        q = self._quoted_words(c, p, subj, actors, last_speaker, sent_subject, sid)
        if q is not None:
            return q
        if not c.noun_object or c.kind not in ("past", "present") or c.lemma == "تحدث":
            return None  # (تحدث takes its topic with عن, never a bare object: تحدث بعصبية، لا تحدث الأعاصير)
        if c.tok > 0 and self.tk.t[c.tok - 1] in ("ما", "حسبما", "بحسبما", "مثلما", "وفقما"):
            return None  # its object is ما (بحسب ما أعلنت المنظمة: what it announced is the clause before)
        if c.tok > 0 and self.tk.t[c.tok - 1] in _NEGATORS:
            return None  # a negated announcement or disclosure states nothing (ولم يكشف النادي عن المدة، لم تعلن
            # أي جهة مسؤوليتها، لم يفصح عن أي شيء: GUIDELINES decisions 2 and 15, a noun object needs a fact stated)
        nxt = c.tok + 1
        if nxt + 1 < len(self.tk) and self.tk.t[nxt] in ("ذلك", "هذا", "هذه", "ذاك", "تلك") \
                and not self.tk.t[nxt + 1].startswith("ال"):
            return None  # its object is a bare demonstrative (أعلن ذلك وزير الزراعة): what it points to is before
        q = self._object_of_speaker_before(c, cue_starts, subj, sid, actors)
        if q is not None:
            return q
        if not subj:
            return None
        return self._object_after_subject(c, p, cue_starts, subj, sid, actors)

    def _quoted_words(self, c, p, subj, actors, last_speaker, sent_subject, sid):
        """Quoted words that a verb of saying/describing attributes to its subject (ووصفتها بـ"..."): the first
        pair of marks in the 14 tokens after the cue, quoted labels (بعنوان "...") skipped; None when there is
        none or the verb does not attribute words."""
        tk = self.tk
        t = tk.t
        r0 = p["region"][0]
        k = r0
        lim = min(p["limit"], r0 + 14)
        while k < lim and self.sent_id[k] == sid:
            if t[k] in ALL_MARKS and k in tk.pair_of and tk.pair_of[k] > k + 1:
                prev = t[k - 1] if k else ""
                if prev in TITLE_LABEL or _strip_al(prev) in TITLE_LABEL or (k - 1 != c.tok and name_head(prev)) \
                        or self._marked_name(k) or self._naming_context(k) \
                        or (k - 1 == c.tok and c.lemma == "ادعي" and c.kind == "present") \
                        or any(a - 1 <= k < b for a, b in subj or ()) or self._marked_alias(c, k):
                    # (خاصية تُدعى "سلايسز": the passive "is called" names, it does not claim)
                    k = tk.pair_of[k] + 1
                    continue
                if c.cls in ("say", "describe", "pledge", "accuse", "thank", "urge", "continue", "deny") \
                        or c.kind == PARTICIPLE:
                    close = tk.pair_of[k]
                    actor = self._quote_actor(c, subj, actors, last_speaker, sent_subject, sid)
                    return self._q(c, tk.e[k], tk.s[close], "direct", actor, subj or None, (k, close + 1))
                return None
            k += 1
        return None

    def _object_of_speaker_before(self, c, cue_starts, subj, sid, actors):
        """A noun object said by a speaker named before the verb: the antecedent of a relative pronoun subject
        ("...محكمة التحكيم في لاهاي، والتي أنكرت أي إثبات ...") or, when the words after the verb are no
        plausible subject, the noun phrase before it; None when neither gives a quote."""
        t = self.tk.t
        if c.tok > 1 and t[c.tok - 1].removeprefix("و") in _REL_PRON:
            ante = self._relative_antecedent(c.tok - 1)
            if ante:
                q = self._object_after_verb(c, ante, cue_starts, sid, actors)
                if q is not None:
                    return q
        if subj and not self._plausible_subject(subj):
            pre = self._subject_before(c.tok)
            if pre:
                return self._object_after_verb(c, pre, cue_starts, sid, actors)
        return None

    def _object_after_verb(self, c, speaker, cue_starts: set, sid: int, actors):
        """An indirect quote of a noun-object verb said by ``speaker`` (a mention before the verb): everything from
        after the verb to the clause end, trailing punctuation left out; None when nothing is left."""
        t, tk = self.tk.t, self.tk
        end = self.clause_end(c.tok + 1, cue_starts, sid)
        b = end
        while b > c.tok + 1 and len(t[b - 1]) == 1 and not t[b - 1].isalnum():
            b -= 1
        if b <= c.tok + 1 or unstated_noun(t[c.tok + 1]):
            return None
        actor = self._actor_for([speaker], c, actors)
        return self._q(c, tk.s[c.tok + 1], tk.e[b - 1], "indirect", actor, [speaker], (c.tok + 1, end))

    def _object_after_subject(self, c, p, cue_starts, subj, sid, actors):
        """Announce/deny with a noun-phrase object after the subject (نفت جامعة حائل صحة الخبر): the object
        from after the subject (and a time word) to the clause end; None when nothing is left."""
        tk = self.tk
        t = tk.t
        r1 = p["region"][1]
        subj = self._subject_before_object(c, subj)
        k = subj[-1][1]
        while k < r1 and (t[k] in ("،", ",") or t[k] in TIME or t[k] in ("يوم", "امس", "مساء", "صباح")):
            k += 1
        if k >= r1 or tk.sent_end[k]:
            # the subject swallowed the object: split after the first two words of a one-part subject
            a, b = subj[0]
            if len(subj) == 1 and b - a >= 3 and c.lemma in ("نفي", "انكر", "ادعي", "اعلن"):
                k = a + 2
                subj = [(a, a + 2)]
            else:
                return None
        end = self.clause_end(k, cue_starts, sid)
        b = end
        while b > k and len(t[b - 1]) == 1 and not t[b - 1].isalnum():
            b -= 1
        if b - k < 1 or unstated_noun(t[k]) or (b - k <= 2 and c.tok and t[c.tok - 1] in _BACKWARD):
            return None  # (بحسب ما أعلنت السلطة الكروية الأوروبية: an attribution of the clause before)
        actor = self._actor_for(subj, c, actors)
        return self._q(c, tk.s[k], tk.e[b - 1], "indirect", actor, subj, (k, end))

    def _subject_before_object(self, c, subj):
        """The subject of نفى/أنكر/ادعى/أعلن without its object: a named subject ends where its name ends (نفت
        جامعة حائل صحة الخبر، وتدعي الصين امتلاكها); a common noun without the article cannot follow a definite
        subject (ونفت الوزارة وجود ...)."""
        if len(subj) == 1 and c.lemma in ("نفي", "انكر", "ادعي", "اعلن"):
            x = self._entity_end_tok(*subj[0])
            if x is None:
                x = self._definite_subject_end(*subj[0])
            if x is not None:
                return [(subj[0][0], x)]
        return subj

    def _plausible_subject(self, parts) -> bool:
        t = self.tk.t
        w = t[parts[0][0]]
        w = w[1:] if w.startswith("و") and len(w) > 3 else w
        pl = places()
        if _word_kind(w) or w in pl["countries"] or w in pl["capitals"] or w in media()["outlets"]:
            return True
        s0 = self.tk.s[parts[0][0]]
        for ent in self.entities:
            if ent.label in ("PER", "ORG", "LOC") and self.view.to_original(s0, s0 + 1)[0] == ent.start:
                return True
        return False

    def _relative_antecedent(self, rel: int):
        """Token range of the named antecedent of the relative pronoun at token ``rel``: the nearest organisation
        or person the NER found in the six tokens before it (a place only when neither is there)."""
        tk = self.tk
        j = rel - 1
        if j >= 0 and tk.t[j] in ("،", ","):
            j -= 1
        if j < 0:
            return None
        lo = max(0, j - 6)
        if self.sent_id[lo] != self.sent_id[j]:
            lo = next(k for k in range(lo, j + 1) if self.sent_id[k] == self.sent_id[j])
        s_lim, _ = self.orig(tk.s[lo], tk.e[lo])
        _, e_lim = self.orig(tk.s[j], tk.e[j])
        cands = [e for e in self.entities if s_lim <= e.start and e.end <= e_lim and e.label in ("ORG", "PER", "LOC")]
        if not cands:
            return None
        rank = {"ORG": 0, "PER": 0, "LOC": 1}
        ent = min(cands, key=lambda e: (rank[e.label], -e.end))
        x = next((k for k in range(lo, j + 1) if self.orig(tk.s[k], tk.e[k])[1] > ent.start), None)
        if x is None:
            return None
        return (x, max(x + 1, self._entity_end(ent, x, j + 1)))

    def _definite_subject_end(self, a: int, b: int):
        """Token index inside (a, b) where a definite noun phrase is followed by a common noun without the article
        (its object: ونفت الوزارة وجود ...): a word frequent in the news both with and without ال, and not inside a
        named entity; else None."""
        t = self.tk.t
        rank = _corpus_rank()
        if not rank:
            return None
        for j in range(a + 1, b):
            prev, w = t[j - 1], t[j]
            if not prev.startswith(("ال", "وال")) or w.startswith(("ال", "لل")) or not _WORD.fullmatch(w) \
                    or _word_kind(w) or len(w) < 3:
                continue
            from ...ner.features import normalize as ner_norm
            n = ner_norm(w)
            r_al, r_bare = rank.get("ال" + n), rank.get(n)
            if r_al is not None and r_bare is not None and r_al < 20_000 and r_bare < 20_000:
                ws, we = self.orig(self.tk.s[j], self.tk.e[j])
                if any(e.start < we and ws < e.end for e in self.entities):
                    return None  # part of a name (الرئيس محمود عباس)
                return j
        return None

    def _entity_end_tok(self, a: int, b: int):
        """Token index where a named entity that starts at token a (after a proclitic; or at a + 1 after an
        organisation noun or a title: شركة أرامكو، الرئيس محمود عباس) ends, when that is inside (a, b); else None."""
        starts = [a]
        wk = _word_kind(self.tk.t[a])
        if wk and wk[0] in ("org", "title") and a + 1 < b:
            starts.append(a + 1)  # شركة أرامكو، الرئيس محمود عباس
        for first in starts:
            ent = self._entity_starting(first)
            if ent is not None:
                x = self._entity_end(ent, first, b)
                return x if a < x < b else None
        return None

    def _backward_quote(self, c, p, subj, actors, last_speaker, sent_subject):
        """Pass 5, attributions of the clause before: ``X ...، كما تقول المصادر`` / ``وفق ما أفاد المرصد``: the
        clause before the cue is the content (when the attribution opens the sentence, the clause after it:
        :meth:`_quote_after_attribution`)."""
        tk = self.tk
        t = tk.t
        i = c.tok
        if i < 2:
            return None
        prev = t[i - 1]
        trigger = prev in ("كما", "ما", "لما", "حسبما") or (prev.startswith("حسب") and len(prev) > 3)
        if not trigger:
            return None
        if prev == "ما" and (t[i - 2] in _FREQ_ADVERBS or c.cls in ("deny", "urge")):
            # غالبا ما ردت: an adverb of frequency, not "what"; وهو ما تنفيه روسيا: a denial of the clause, not a
            # statement of it (a response); ما دعا أصدقاءه: "which led ...", the causal دعا
            return None
        if self._own_complement(c, p):
            return None
        # the clause before: back to the comma before the trigger, then to the sentence start
        k = i - 1
        while k > 0 and t[k - 1] in ("وفقا", "وفق", "بحسب", "حسب", "ل", "كما", "طبقا"):
            k -= 1
        end = k - 1 if k > 0 and t[k - 1] in ("،", ",") else k
        sid = self.sent_id[i]
        if self.sent_id[end - 1] != sid if end else True:
            return self._quote_after_attribution(c, p, subj, sid, actors, last_speaker, sent_subject)
        if subj and _is_media_np([t[q] for q in range(subj[0][0], subj[0][1])]):
            return None
        a = end
        while a > 0 and self.sent_id[a - 1] == sid:
            a -= 1
        while a < end and (t[a] in ALL_MARKS or t[a] in ("و",)):
            a += 1
        b = end
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum())):
            b -= 1
        if b - a < 3:
            return None
        actor = self._backward_actor(c, subj, sid, actors, last_speaker, sent_subject)
        return self._q(c, tk.s[a], tk.e[b - 1], "indirect", actor, subj or None, (a, end))

    def _own_complement(self, c, p) -> bool:
        """The cue after كما / ما / حسبما governs a complement of its own, so it opens a clause of its own and
        attributes nothing before it (session 11, "not speaking" speakers read after such a verb): a continuation
        verb (ما زاد المخاوف "which increased fears", كما زادت كمية البيانات), the preposition the verb governs
        or one that opens its object (كما هددت بفرض، ما وصفه بخروقات، كما توصل لاتفاق، ما يقدر عليه، كما أقرت
        للمرة الأولى بوجود، كما تحدث بعصبية).  An attribution's verb is followed by its subject or by nothing
        (كما قالت محاميتها، كما أعلن ناديه، كما جاء في البيان); after a verb of saying a لـ is the addressee
        (كما قال للصحفيين) and a preposition with a pronoun resumes the ما (بحسب ما أفادت به الشرطة)."""
        from .speakers import _word_class

        if c.cls == "continue":
            return True
        j = p["region"][0]
        t = self.tk.t
        if j >= len(t) or self.sent_id[j] != self.sent_id[c.tok]:
            return False
        nxt = t[j]
        if j + 1 < len(t) and t[j + 1] in ("ذلك", "هذا", "هذه"):
            return False   # a demonstrative resumes the clause before (كما عبرت عن ذلك الوكالة)
        if (nxt == "الي" or (nxt == "عن" and c.cls != "relay") or (c.prep and nxt == c.prep)
                or _word_class(nxt) in ("b_al", "b_pre")):
            return True   # (بحسب ما نقلت عن وسائل الإعلام: a relay names its source after عن)
        if c.cls in _ADDRESSEE_CLS:
            return False
        return _word_class(nxt) in ("l_al", "l_pre", "prep") and nxt not in ("في", "من", "منذ", "خلال")

    def _quote_after_attribution(self, c, p, subj, sid, actors, last_speaker, sent_subject):
        """An attribution that opens the sentence (بحسب ما جاء في بيان X، فقد ...): the content is the clause
        after it, without a resumptive فـ."""
        tk = self.tk
        t = tk.t
        j = p["region"][1]
        while j < len(tk) and t[j] in ("،", ","):
            j += 1
        if j >= len(tk) or self.sent_id[j] != sid:
            return None
        first = j
        if t[first] in ("فقد", "فان", "فانه", "فانها"):
            start_off = tk.s[first] + 1
        else:
            start_off = tk.s[first]
        e = self.clause_end(first, set(), sid)
        b = e
        while b > first and len(t[b - 1]) == 1 and not t[b - 1].isalnum():
            b -= 1
        if b <= first:
            return None
        actor = self._backward_actor(c, subj, sid, actors, last_speaker, sent_subject)
        return self._q(c, start_off, tk.e[b - 1], "indirect", actor, subj or None, (first, e))

    def _backward_actor(self, c, subj, sid, actors, last_speaker, sent_subject):
        """The speaker of an attributed clause: the cue's subject, else the implicit speaker."""
        if subj:
            return self._actor_for(subj, c, actors)
        return self._implicit(c, sid, last_speaker, sent_subject, actors)
