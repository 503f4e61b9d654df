"""Who said what, and according to whom: a sieve over reporting cues (shared by the ``sources`` and ``quotes`` stages).

Passes, each filling only what the earlier ones left open:

1. tokens of the folded text, quotation marks paired (:mod:`.marks`);
2. reporting cues (verbs in every form with و/ف, participles مضيفا/مؤكدة, masdars بالقول, ``جاء في``) found
   with one compiled pattern; a cue inside quotation marks is part of a quote, not a cue;
3. for each cue, the words after it are read left to right: the subject (VSO), appositions between commas
   (``وزير الخارجية، محمد جواد ظريف،``), circumstantial phrases (في بيان، الجمعة، على تويتر) skipped, up to
   the linker: أن/إن/بأن/ألا (with a fused pronoun), a colon, an opening quotation mark, the governed
   preposition (أشار إلى، أعلن عن); a subject before the verb (``وكان X قد أكد``, ``بأن X قال``) is used when
   none follows it;
4. the content runs from the linker to the end of the clause (sentence end outside quotation marks, a following
   participle cue ``، مضيفا``, an attribution ``، وفقا لـ``, ``، وأن`` which starts a new quote under the same
   verb); it is ``direct`` when one pair of marks encloses all of it;
5. media subjects (``وذكرت وكالة رويترز``, ``وذكرت "عكاظ"``, ``تقارير إعلامية ذكرت``), media that publish
   (``ما نشرته صحيفة X``) and prepositional attributions (``بحسب الجيش``) are sources, not speakers (GUIDELINES
   decision 1), each named by its whole phrase; ``كما تقول المصادر`` / ``وفق ما أفاد المرصد`` attribute the
   clause before;
6. implicit speakers (وأضاف، مضيفا، ووصفتها) take the subject of an earlier cue of the same sentence, else an
   agreeing actor of the sentence, else the last speaker that agrees in gender/number with the verb;
7. speakers are resolved to the fullest name the article gives: a surname to the full name, a definite role
   (``الرئيس``) to the actor last mentioned with it, an indefinite role (``دبلوماسي بريطاني بارز``) to the
   named actor introduced later with a role of the same class and nationality.

Each pass has its module in :mod:`khabar.attribution.passes`, a mixin of :class:`Analyzer`: cues, subjects and linkers
(2, 3) in ``cues``, content (4, and the clause a cue after it attributes) in ``content``, sources (5) in
``sources``, speakers (6, 7) in ``speakers``.  :meth:`Analyzer.run` calls them in order; passes 4 to 6 run cue by
cue, since a cue's speaker may be an earlier cue's.

All matching runs on the folded view of the text (:func:`khabar.text.normalize.normalize`); spans are mapped back
to the original text at the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Span
from ..lexicon import cues
from .passes.content import ContentReading
from .passes.cues import CueReading
from .passes.sources import SourceReading
from .passes.speakers import SpeakerReading
from .passes.words import NOT_LINK_BEFORE, PARTICIPLE, REL, Cue, _is_comp, _past_marks, _SRC_CUE, _word_kind


_NESTED_SUBJ = 8   # the most words of a subject before a nested reporting verb
# adverbs of repetition or habit around a nested reporting verb, folded (صرحوا مراراً بأن، طالما أكدوا أن): a
# position stated again and again, not one act of speech, so it stays inside the outer quote
_HABITUAL = frozenset({"مرارا", "تكرارا", "دايما", "كثيرا", "احيانا", "طالما", "عاده", "باستمرار"})


@dataclass
class Result:
    quotes: list
    sources: list


@dataclass
class _Sieve:
    """What the sieve has found so far, cue by cue; later cues read it (a speaker taken from an earlier cue)."""
    cue_starts: set                                        # tokens of cues that start a clause of their own
    sources: list                                          # source dicts (folded offsets)
    quotes: list = field(default_factory=list)             # quote dicts (folded offsets)
    covered: list = field(default_factory=list)            # token ranges of accepted indirect content
    actors: list = field(default_factory=list)
    last_speaker: list = field(default_factory=list)       # stack of (Actor, gender)
    sent_subject: dict = field(default_factory=dict)       # sentence id -> subject actor of its last cue


class Analyzer(CueReading, ContentReading, SourceReading, SpeakerReading):
    """The sieve over one text: :meth:`run` calls the passes in order."""

    def run(self) -> Result:
        """The passes of the module docstring, in order.  Pass 1 (tokens, paired marks) is made with the analyzer;
        passes 4 to 6 run cue by cue, in text order, because a cue's speaker may be an earlier cue's
        (:meth:`_attribute`)."""
        cues_ = self.find_cues()                                        # 2. reporting cues
        parsed = self._parse_cues(cues_)                                # 3. subject and linker of each cue
        st = _Sieve(cue_starts=self._clause_starts(cues_, parsed),      # 4. where a new clause starts
                    sources=self.prepositional_sources() + self.publish_sources())  # 5. بحسب X، ما نشرته X
        for c, p in parsed:
            self._attribute(c, p, st)                                   # 4-6. content, sources, speakers
        self._resolve(st.quotes, st.actors)                             # 7. the fullest name of each speaker
        return Result(self._emit_quotes(st.quotes), self._emit_sources(st.sources))

    def _parse_cues(self, cues_: list[Cue]) -> list:
        """Pass 3: each cue with its parse (:meth:`parse_cue`); a later cue bounds an earlier cue's region."""
        cue_toks = self._cue_toks = frozenset(c.tok for c in cues_)
        return [(c, self.parse_cue(c, cue_toks)) for c in cues_]

    def _clause_starts(self, cues_: list[Cue], parsed) -> set:
        """Pass 4's clause boundaries: the tokens of cues that start a clause of their own (a cue with its own
        linker, a participle, a continuation verb).  Also sets the participles followed by their complementiser
        (مشيرا إلى أن، مؤكدا أن), a clause boundary even without a comma -- only the accusative -an forms: a bare
        feminine مؤكدة may be an adjective (مؤشرات مؤكدة بأن)."""
        self._part_toks = {c.tok for c in cues_ if c.kind == PARTICIPLE}
        t = self.tk.t
        # verbs with the conjunction و (وقال، وأشارت، ووصف; not وصفته, whose و is the root's)
        self._conj_cues = {c.tok for c in cues_ if t[c.tok].startswith("و") and c.kind in ("past", "present")
                           and (not c.lemma.startswith("و") or t[c.tok].startswith("وو"))}
        self._part_starts = {c.tok for c in cues_ if c.kind == PARTICIPLE and self.tk.t[c.tok].endswith("ا")
                             and self._comp_follows(c.tok)}
        return {c.tok for c, p in parsed if p["linker"] is not None or c.kind == PARTICIPLE or c.cls == "continue"}

    def _attribute(self, c: Cue, p: dict, st: _Sieve) -> None:
        """Passes 4 to 6 for one cue: the first reading that applies, in this order -- a media or document
        subject (a source), a cue without a clause (a noun object, quoted words, an attribution of the clause
        before), an impersonal passive (nothing), a clause with its speaker."""
        lk = p["linker"]
        if c.lemma == "عرف" and (lk is None or lk[0] != "comp" or not self.tk.t[lk[1]].lstrip("و").startswith("ب")):
            return  # عرّفه without its own بأن: "knew him" (عرفه بأدواره، عرفته … يبدو أنه), no description
        nested = False
        if self._not_reported(c, st.covered):
            nested = self._nested_report(c, p, st.covered)
        if self._not_reported(c, st.covered) and not nested:
            t = self.tk.t
            if any(a <= c.tok < b for a, b in st.covered) and c.kind != PARTICIPLE and not (
                    c.tok and t[c.tok - 1] in NOT_LINK_BEFORE | {"ان", "لا", "لم", "لن"}):
                st.sources.extend(self.media_subject_sources(c, p))   # a medium named inside reported content
            return
        if self._media_subject(c, p, st) or self._document_relay(c, p, st):
            return
        if p["linker"] is None:
            self._without_clause(c, p, st)
        elif not self._impersonal(c, p):
            self._clause_quote(c, p, st, nested)

    def _nested_report(self, c: Cue, p: dict, covered) -> bool:
        """Reported speech inside an indirect quote's content (GUIDELINES decision 8: ``قال X إن مسحا أظهر أن
        ...``, ``قال X إن أنصار نافالني الذين يراقبون الانتخابات أشاروا إلى ...``): a finite reporting verb in the
        content with a subject of its own, named before or after it, and its own complementiser or governed
        preposition (أشار إلى، لفت إلى) is a quote of its own (the outer quote keeps its full content;
        :func:`_without_overlaps` keeps it only when its speaker is another, so the speaker's own words stay
        inside).  Any reporting class but thinking, relaying and continuing when the subject opens the content
        before the verb, whoever it is: a survey, a document, a person or a group (until session 9 only a verb
        of informing or a document subject there too)."""
        if c.kind not in ("past", "present") or c.cls in ("continue", "relay", "think"):
            return False   # (كانتا تعتقدان أنهما: a belief inside a quote is the quoted speaker's own)
        lk = p["linker"]
        if lk is None or lk[0] not in ("comp", "prepnoun"):
            return False
        t = self.tk.t
        if c.tok and t[c.tok - 1] in NOT_LINK_BEFORE | {"ان", "لا", "لم", "لن", "ولم", "ما", "لما"}:
            return False
        inside = [(a, b) for a, b in covered if a <= c.tok < b]
        if not inside or any(a >= c.tok for a, b in inside):
            return False
        if any(t[k] in _HABITUAL for k in range(max(c.tok - 1, 0), lk[1])):
            return False   # a habitual statement (صرحوا مراراً بأن): the quoted speaker's summary, not an act
        if c.lemma == "اشار" and c.kind == "present":
            return False   # a generic appeal (الدراسات تشير إلى أن، الأدلة تشير إلى): evidence, not an act of speech
        if p["subj"]:
            # a subject read after the verb: only what is another's speech by construction, a verb of informing
            # (أحد أبنائه أبلغه أن: told the speaker) or a document, survey or letter that speaks; after other
            # verbs that reading inside content is too often an object or an adverb (حذرت فيها المواطنين، أعلن
            # بعدها مباشرة، كشف لـCNN)
            wk = _word_kind(t[p["subj"][0][0]])
            return c.cls == "inform" or bool(wk and wk[0] == "doc")
        # a subject before the verb that opens the content (إن مسحا أظهر أن، إن أنصار نافالني الذين يراقبون
        # الانتخابات أشاروا إلى، أن الانتربول أبلغ الجانب الكويتي أن): a short noun phrase, no punctuation in it
        first = max(a for a, b in inside)
        return 1 <= c.tok - first <= _NESTED_SUBJ and not any(t[k] in (".", "،", ",", ":", "؛")
                                                                for k in range(first, c.tok))

    def _not_reported(self, c: Cue, covered) -> bool:
        """A cue that reports nothing of its own: inside content already taken, negated or hypothetical after a
        particle (لم يقل، قبل أن يعلن، دون أن يذكر)."""
        t = self.tk.t
        if any(a <= c.tok < b for a, b in covered):
            return True
        if c.tok >= 2 and t[c.tok - 1] in ("ان", "لم", "لن") and t[c.tok - 2] in NOT_LINK_BEFORE | {"ولم", "لم"}:
            return True
        if c.kind == "present" and c.tok >= 1 and t[c.tok - 1] in ("ان", "وان"):
            return True   # a subjunctive after أن (يتعين على الموقع على الأقل أن يحذر العملاء من أنه): to say, not said
        return c.tok >= 1 and t[c.tok - 1] in ("دون", "بدون")

    def _media_subject(self, c: Cue, p: dict, st: _Sieve) -> bool:
        """Pass 5, media subjects (``وذكرت وكالة رويترز``): a source, not a speaker (GUIDELINES decision 1);
        False when the cue has no media subject."""
        t = self.tk.t
        if c.kind == PARTICIPLE or c.cls == "inform":
            return False
        qo = self.quoted_outlet_subject(c, p)   # وذكرت "عكاظ" أن: the outlet in marks is the subject
        if qo and self.negated(c):
            return True                          # ولم تكشف «شينخوا» عن ...: nothing reported, no one speaks
        if qo:
            (a, b), p = qo
            st.sources.append(self._span_src(a, b, None, (c.s, c.e)))
            if "عن" in t[p["region"][0]:p["region"][1]]:
                self._relayed_quote(c, p, st)
            return True
        srcs = self.media_subject_sources(c, p)
        if not srcs:
            return False
        relayed = "عن" in t[p["region"][0]:p["region"][1]]
        lk = p["linker"]
        name_only = lk is not None and lk[0] == "mark" and 0 <= self.tk.pair_of.get(lk[1], -1) - lk[1] <= 4
        if c.cls == "relay" and not relayed and (lk is None or name_only) and not self.relays_words(p) \
                and not (c.tok and t[c.tok - 1] in REL):   # (اللوائح التي نقلتها وكالة رويترز relays)
            return True   # تنقل القناة الفعاليات: a medium that carries, not one that reports
        if not (c.tok >= 2 and t[c.tok - 1] in ("ما", "لما") and _SRC_CUE.fullmatch(t[c.tok - 2])):
            st.sources.extend(srcs)   # (بحسب ما ذكرته صحيفة X is read with its cue: prepositional_sources)
        if c.cls == "relay" or relayed:
            self._relayed_quote(c, p, st)
        return True

    def _relayed_quote(self, c: Cue, p: dict, st: _Sieve) -> None:
        """``نقلت الوكالة عن X قوله إن ...``: the quote a medium relays is X's (or, after عنه/عنها/عنهم, the last
        speaker's that agrees with the pronoun)."""
        t = self.tk.t
        linker = p["linker"]
        r0, r1 = p["region"]
        ks = [k for k in range(r0, r1) if t[k] in ("عن", "عنه", "عنها", "عنهم")]
        if not ks or linker is None:
            return
        k = ks[0]
        parts = None
        if t[k] == "عن":
            parts = self._without_qawl(self._np_after(k + 1, r1))
            actor = self._actor_for(parts, c, st.actors) if parts else None
        else:
            actor = self._agreeing(st.last_speaker, "f" if t[k] == "عنها" else ("pl" if t[k] == "عنهم" else "m"))
        q = self._make_quote(c, linker, p, st.cue_starts, actor, parts)
        if q:
            st.quotes.append(q)
            st.covered.append(q["tokrange"])
            if actor:
                st.last_speaker.append((actor, actor.gender))

    def _without_qawl(self, parts: list) -> list:
        """A relayed speaker's parts without the masdar that ends them (عن الوزير قوله → الوزير)."""
        t = self.tk.t
        parts = [(x, y) for x, y in parts]
        words = [t[q] for x, y in parts for q in range(x, y)]
        while words and words[-1].startswith("قول"):
            words.pop()
            x, y = parts[-1]
            parts[-1] = (x, y - 1)
        return parts

    def _document_relay(self, c: Cue, p: dict, st: _Sieve) -> bool:
        """Pass 5, a document that relays (``ونقل عنه كتاب ...``): the document is a source, the speaker the
        pronoun's referent; False when the cue is not such a relay."""
        t = self.tk.t
        subj = p["subj"]
        subj_words = [t[k] for a, b in subj for k in range(a, b)]
        if not (c.cls == "relay" and subj and subj_words and _word_kind(subj_words[0])
                and _word_kind(subj_words[0])[0] == "doc"):
            return False
        a, b = subj[0]
        st.sources.append(self._span_src(a, b, c))
        r0, r1 = p["region"]
        ks = [k for k in range(c.tok, r1) if t[k] in ("عنه", "عنها", "عنهم")] + ([c.tok] if c.has_obj else [])
        if p["linker"] is not None:
            actor = self._agreeing(st.last_speaker, "f" if ks and t[ks[0]] == "عنها" else "m")
            q = self._make_quote(c, p["linker"], p, st.cue_starts, actor, None)
            if q:
                st.quotes.append(q)
                st.covered.append(q["tokrange"])
        return True

    def _without_clause(self, c: Cue, p: dict, st: _Sieve) -> None:
        """A cue without a linker: a noun object of an announce/deny verb or quoted words the verb attributes
        (pass 4), else an attribution of the clause before (``كما تقول المصادر``, pass 5).  A plausible subject
        is remembered for participles later in the sentence (pass 6)."""
        subj = p["subj"]
        sid = self.sent_id[c.tok]
        coord = self._coordinated_places(subj) if subj and c.kind != PARTICIPLE else None
        if coord:
            subj = [(coord[0], coord[0] + 1)]
        if subj and c.kind in ("past", "present") and self._plausible_subject(subj):
            actor = self._actor_for(subj, c, st.actors)
            if actor:
                st.sent_subject[sid] = actor
                st.last_speaker.append((actor, self._verb_gender(c, actor)))
        q = self._noun_object_quote(c, p, st.cue_starts, subj, st.actors, st.last_speaker, st.sent_subject)
        if q:
            st.quotes.append(q)
            if coord and q.get("actor") is not None:
                st.quotes.append(self._second_speaker(q, coord[1], st.actors))
            if q["kind"] == "indirect":
                st.covered.append(q["tokrange"])
            return
        q = self._backward_quote(c, p, subj, st.actors, st.last_speaker, st.sent_subject)
        if q:
            if q.get("_source"):
                st.sources.append(q["_source"])
            else:
                st.quotes.append(q)

    def _impersonal(self, c: Cue, p: dict) -> bool:
        """An impersonal passive (يذكر أن، يشار إلى أن) at the start of a sentence: no speaker, no quote."""
        return not p["subj"] and c.kind == "present" and self.tk.t[c.tok].lstrip("و") in cues()["impersonal_forms"]

    def _clause_quote(self, c: Cue, p: dict, st: _Sieve, nested: bool = False) -> None:
        """Pass 4, a clause after its linker: the quote, its speaker (pass 6; a second one for two coordinated
        states) and the ``، وأن ...`` clauses under the same verb.  A ``nested`` report (inside another quote's
        content) does not become the sentence's subject or the last speaker a later وأضاف continues."""
        sid = self.sent_id[c.tok]
        actor, mention, coord = self._clause_speaker(c, p["subj"], sid, st)
        q = self._make_quote(c, p["linker"], p, st.cue_starts, actor, mention)
        if q is None:
            return
        st.quotes.append(q)
        if coord:
            st.quotes.append(self._second_speaker(q, coord[1], st.actors))
        if q["kind"] == "indirect":
            st.covered.append(q["tokrange"])
        if actor is not None and not nested:
            st.sent_subject[sid] = actor
            st.last_speaker.append((actor, self._verb_gender(c, actor)))
        self._and_that_quotes(c, p, actor, q["tokrange"][1], st)

    def _clause_speaker(self, c: Cue, subj, sid: int, st: _Sieve):
        """Pass 6, the speaker of a clause: (actor, mention, coordinated states or None).  In order: the subject
        before an inform/urge verb, the first of two coordinated states (موسكو ودمشق تقولان), the subject after
        the verb, a subject before it (``وكان X قد أكد``), else the implicit speaker (:meth:`_implicit`)."""
        props, late = [], []
        if subj and (self._addressee_after(c, subj) or self._described_object(c, subj)):
            subj = None   # وناشد المسؤولين بأن، ووصف الحفلات بأنها: the verb's object, its subject is implicit
        # the noun phrase before the verb: after a clause opener (لكن X رد), after فإن / لأن / حتى (فإن العراقيين
        # يرون أن), or the noun a relative clause opened by the verb describes (الدراسات التي تؤكد أن)
        pre = self._subject_before(c.tok) or self._subject_after_particle(c.tok) \
            or (None if subj else next(iter(self._relative_heads(c.tok, c)[-1:]), None))
        if pre and c.cls in ("inform", "urge") and c.kind == "past":
            props.append(("pre", [pre]))
        coord = self._coordinated_places(subj) if not props and subj and c.kind != PARTICIPLE else None
        if coord:
            props.append(("coord", [(coord[0], coord[0] + 1)]))
        if subj and c.kind != PARTICIPLE:
            props.append(("subj", subj))
        elif subj:
            late.append(("subj_x", subj))
        if pre:
            if (c.kind in ("past", "present") and not c.has_obj) or (c.cls == "inform" and subj):
                props.append(("pre", [pre]))
            else:
                late.append(("pre_x", [pre]))
        actor, mention, origin = self._choose_speaker(c, sid, st.actors, st.last_speaker, st.sent_subject, props,
                                                      late)
        return actor, mention, (coord if origin == "coord" else None)

    def _and_that_quotes(self, c: Cue, p: dict, actor, end_tok: int, st: _Sieve) -> None:
        """``...، وأن ...`` right after a quote: a separate quote with the same cue and speaker, each in turn."""
        tk = self.tk
        t = tk.t
        while end_tok < len(tk) and t[end_tok] in ("،", ",") and end_tok + 1 < len(tk) \
                and _is_comp(t[end_tok + 1])[0] and t[end_tok + 1].startswith("و") \
                and not self._conditional_in(end_tok + 1):
            lk = ("comp", end_tok + 1, tk.e[end_tok + 1])
            q2 = self._make_quote(c, lk, p, st.cue_starts, actor, None)
            if q2 is None:
                break
            st.quotes.append(q2)
            st.covered.append(q2["tokrange"])
            end_tok = q2["tokrange"][1]

    def _emit_quotes(self, quotes):
        out = []
        seen = set()
        text = self.text
        for q in sorted(quotes, key=lambda q: (q["s"], q["e"])):
            s, e = self.orig(q["s"], q["e"])
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            e = _past_marks(text, e)
            if e <= s or ((s, e) in seen and not q.get("coord")):
                continue
            seen.add((s, e))
            c = q["cue"]
            cs, ce = self.orig(c.s, c.e)
            ce = _past_marks(text, ce)
            mention = q["mention"]
            if mention:
                ms, _ = self.orig(self.tk.s[mention[0][0]] + q.get("mention_skip", 0), self.tk.e[mention[0][0]])
                _, me = self.orig(self.tk.s[mention[-1][1] - 1], self.tk.e[mention[-1][1] - 1])
                me = _past_marks(text, me)
                mtext = text[ms:me]
                mspan = [ms, me]
            else:
                mspan, mtext = None, None
            a = q["actor"]
            out.append(Span(s, e, "QUOTE", {
                "kind": q["kind"], "speaker": q.get("speaker"),
                "speaker_mention": mspan, "speaker_mention_text": mtext,
                "cue": [cs, ce], "cue_text": text[cs:ce],
                "speaker_type": a.kind if a else None,
            }))
        return _without_overlaps(_after_dateline(out, text))

    def _emit_sources(self, sources):
        out = []
        seen = set()
        text = self.text
        for sdict in sorted(self.outermost(sources), key=lambda x: x["s"]):
            s, e = self.orig(sdict["s"], sdict["e"])
            e = _past_marks(text, e)
            if e <= s or (s, e) in seen:
                continue
            seen.add((s, e))
            cs, ce = self.orig(*sdict["cue"])
            ce = _past_marks(text, ce)
            out.append(Span(s, e, "SOURCE", {"cue_text": text[cs:ce].strip(), "cue": [cs, ce]}))
        return out


def _after_dateline(quotes: list, text: str) -> list:
    """A dateline (``لندن (CNN)--``, ``الرياض - واس:``) is never part of a quote: a content that starts inside
    it starts after its end (past spaces and punctuation), and is dropped when nothing is left."""
    from ..dates import find_dateline

    if not quotes or quotes[0].start > 220:
        return quotes
    dl = find_dateline(text)
    if not dl or not isinstance(dl.get("end"), int):
        return quotes
    end = dl["end"]
    out = []
    for q in quotes:
        if q.start < end:
            s = end
            while s < q.end and (text[s].isspace() or not text[s].isalnum()) and text[s] not in "\"«“":
                s += 1
            if q.end - s < 2 or len(text[s:q.end].split()) < 2:
                continue
            q = q._replace(start=s)
        out.append(q)
    return out


def _without_overlaps(quotes: list) -> list:
    """One statement, one quote: of quotes whose contents overlap, the longest (outermost) is kept.  Two readings
    that are not one statement stay: the same content said by coordinated speakers (GUIDELINES decision 10), and
    a quote nested whole inside another's content with another speaker (decision 8, reported speech inside a
    quote)."""
    if len(quotes) < 2:
        return quotes
    cue_starts = {q.attrs["cue"][0] for q in quotes}

    def rank(q):
        # a content that begins with another quote's cue (``وصفه X بأنه "..."``) swallowed that quote's
        # attribution: it yields to the quotes inside it
        return (q.start in cue_starts, -(q.end - q.start), q.start)

    kept: list = []
    for q in sorted(quotes, key=rank):
        sp = q.attrs.get("speaker")
        ok = True
        for k in kept:
            if not (k.start < q.end and q.start < k.end):
                continue
            ksp = k.attrs.get("speaker")
            if (k.start, k.end) == (q.start, q.end) and sp and ksp and sp != ksp:
                continue  # co-speakers of one statement
            cue_inside = k.start <= q.attrs["cue"][0] and q.attrs["cue"][1] <= k.end
            if k.start <= q.start and q.end <= k.end and sp and ksp and sp != ksp and cue_inside:
                continue  # reported speech inside a quote, with its own cue in it
            ok = False
            break
        if ok:
            kept.append(q)
    return sorted(kept, key=lambda q: (q.start, q.end))


def analyze_attribution(text: str, view=None, entities=None) -> Result:
    return Analyzer(text, view, entities).run()
