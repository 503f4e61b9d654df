"""Passes 6 and 7 of the sieve (:mod:`khabar.attribution.sieve`): the actor a subject names, implicit speakers
(an earlier subject, an agreeing actor of the sentence, the last agreeing speaker), and each speaker resolved to
the fullest name the article gives."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...text.normalize import fold
from ...lexicon import places, roles, source_words, verbs
from .. import speaker_model
from ..marks import ALL_MARKS
from .base import Reading
from .words import (Actor, _contains_words, _corpus_rank, Cue, FRONT_BOUND, _is_comp, _kind_of, PARTICIPLE, REL, _REL_PRON, _strip_al, TIME, _WORD,
                    _word_kind)

# words that open a phrase which cannot speak (a prepositional, adverbial or time phrase), folded
_PREPS = frozenset({"في", "من", "علي", "عن", "الي", "مع", "خلال", "عبر", "بعد", "قبل", "منذ", "حول", "بين", "عند",
                    "لدي", "بسبب", "ضد", "نحو", "حتي", "امام", "وسط", "ازاء", "تجاه", "بشان", "ضمن", "اثناء", "عقب",
                    "فوق", "تحت", "دون", "بدون", "رغم", "برغم", "حيال", "لدي", "كما", "ثم", "حيث", "اذ", "بل",
                    "بشكل", "بصورة", "بنحو", "بحضور", "بمناسبة", "بخصوص", "بحسب", "حسب", "وفق", "وفقا", "لدى",
                    # (session 9) a preposition with its pronoun, بما / لأن: a phrase they open cannot speak
                    # (كانت لهم بالمرصاد، أوضحت بما لا يدع مجالا، أفادت به الشرطة); لي and بي are left out (لي
                    # كه تشيانغ، بي بي سي)
                    "له", "لها", "لهم", "لهما", "لنا", "به", "بها", "بهم", "بهما", "بنا", "عنه", "عنها", "عنهم",
                    "فيه", "فيها", "فيهم", "عليه", "عليها", "عليهم", "اليه", "اليها", "اليهم", "منه", "منها",
                    "منهم", "معه", "معها", "معهم", "بما", "لان", "لانه", "لانها", "لانهم"})
# negation particles and clause openers (لم يتلق …، ولكنه أكد): a phrase they open is a clause, no speaker (folded)
_NEG = frozenset({"لم", "لن", "لا", "ليس", "ليست", "ولم", "ولن", "ولا", "وليس", "لكنه", "لكنها", "ولكنه", "ولكنها",
                  "لكنهم", "ولكنهم", "انه", "انها", "بانه", "بانها"})
# adverbs a subject may be followed by (ولا يعلن المتمردون عادة مسؤوليتهم، وقال وقتها إن): never part of a name (folded)
_ADV = frozenset({"وقتها", "وقتيذ", "حينيذ", "عندها", "يومها", "ساعتها", "عادة", "غالبا", "دايما", "ايضا", "كذلك",
                  "بدوره", "بدورها", "بدورهم", "مجددا", "مرارا", "سابقا", "لاحقا", "حاليا", "اخيرا", "مؤخرا", "موخرا",
                  "صراحة", "علنا", "بدوره", "شخصيا", "بنفسه", "بنفسها", "سلفا", "مسبقا", "كثيرا",
                  "متاخرا", "مبكرا", "فورا",  # (session 9: time adverbs after a cue, قال متأخرا)
                  "هناك", "هنالك", "ثمه", "ثمة"})  # (session 10: existential adverbs, كان هناك تفاوت في ما يتوقعون)
_CANNOT_SPEAK = frozenset({"neg", "adv", "prep", "time", "rel", "comp", "v_past", "v_present", "v_participle", "mark", "punct",
                           "comma", "b_al", "l_al", "b_pre", "l_pre", "none"})
_NOT_IN_NAME = frozenset({"neg", "adv", "prep", "time", "rel", "comp", "v_past", "v_present", "v_participle", "v_masdar", "mark",
                          "b_al", "b_pre", "l_al", "part_like", "pron_sfx"})
_KIN = frozenset({"بن", "بنت", "ابن", "ابو", "ام", "ال"})
# the speaker model's features of a bounded value, built once
_LEN_FEATS = tuple("len=%d" % n for n in range(7))
_DIST_FEATS = tuple("dist=%d" % n for n in range(6))
_SDIST_FEATS = tuple("sdist=%d" % n for n in range(-1, 4))
_SPOKE_FEATS = tuple("spoke=%d" % n for n in range(4))
# honorifics before a title or a name (Gulf usage), folded: معالي الوزير، سعادة السفير، صاحب السمو الملكي الأمير
_HONORIFICS = frozenset({"معالي", "سعادة", "سماحة", "فضيلة", "صاحب", "السمو", "سمو", "الملكي", "فخامة", "حضرة"})
_NEAR_FEATS = tuple("near=%d" % n for n in range(4))
# words that may open a sentence before its topic (folded)
_OPENERS = frozenset({"و", "ثم", "كما", "اما", "لكن", "ولكن", "بينما", "فيما", "وحتي", "حتي", "ف"})
_NO_SPOKE: dict = {}


@lru_cache(maxsize=None)
def _platforms() -> frozenset:
    """The names of social platforms (the sources lexicon's ``platform`` class without its common words: تويتر،
    فيسبوك، يوتيوب), folded, as token tuples."""
    return frozenset(tuple(p.split()) for p in source_words()["platform"] if not p.startswith("ال"))


@lru_cache(maxsize=4096)
def _origin_features(o: str, kind: str, cls: str) -> tuple:
    """(origin group, c/n for a continuation cue or not, the features of a candidate's origin and its cue)."""
    og = o.split("_")[0] if o not in ("sent_subject", "agree_last", "sent_subject_x") else o
    cont = "c" if cls == "continue" else "n"
    return og, cont, ("o=" + o, f"o={o}|k={kind}", f"o={o}|{cont}", f"cls={cls}|o={og}")


@lru_cache(maxsize=16384)
def _word_features(w0c: str, wlc: str, cont: str, og: str, n: int) -> tuple:
    """The features of a candidate's first and last word classes (``n``: its length in words)."""
    out = ["w0=" + w0c, "wl=" + wlc, f"w0={w0c}|{cont}", f"w0={w0c}|o={og}"]
    if n <= 2:
        out.append(f"len={n}|w0={w0c}")
    return tuple(out)


@lru_cache(maxsize=1024)
def _kind_features(kind: str, cls: str) -> tuple:
    return "kind=" + kind, f"kind={kind}|cls={cls}"


# adjectives a document noun takes (تقرير حديث، دراسة جديدة), folded
_DOC_ADJ = frozenset({"حديث", "حديثة", "جديد", "جديدة", "سابق", "سابقة", "اخير", "اخيرة", "صادر", "صادرة", "مشترك",
                      "مشتركة", "رسمي", "رسمية", "سري", "سرية", "مطول", "مطولة", "مقتضب", "مقتضبة", "موجز", "موجزة",
                      "منفصل", "منفصلة", "مماثل", "مماثلة", "مفصل", "مفصلة", "شامل", "شاملة"})


def _adjective_like(w: str) -> bool:
    """An indefinite word that reads as an adjective after a noun: a nisba (طبي، أميركية، اقتصادي) or a common
    document adjective (حديثة، جديد)."""
    return not w.startswith("ال") and (w in _DOC_ADJ or (len(w) >= 3 and w.endswith(("ي", "ية", "يه"))))


def _detached(w: str) -> bool:
    """A word that reads as a preposition ب/ل glued to a known news word (بنغمة، لوكالة), not a name that starts
    with the letter (بوتين، بايدن، لافروف): the word without it is in the news vocabulary and much commoner than with it."""
    rank = _corpus_rank()
    if not rank:
        return False
    rest = rank.get(w[1:].replace("ة", "ه"))
    if rest is None or rest > 50_000:
        return False
    own = rank.get(w.replace("ة", "ه"))
    return own is None or 2 * rest < own


@lru_cache(maxsize=200_000)
def _word_class(w: str) -> str:
    """A coarse class of a folded word, for the speaker model: can a phrase that starts or ends with it speak?"""
    if not w:
        return "none"
    if w in ("،", ","):
        return "comma"
    if not _WORD.fullmatch(w):
        return "mark" if w in ALL_MARKS else "punct"
    if _is_comp(w)[0]:
        return "comp"
    if w == "علي":
        return "ali"  # the preposition على or the name علي (they fold alike): the model decides
    if w in _PREPS:
        return "prep"
    if w in TIME:
        return "time"
    if w in _NEG:
        return "neg"
    if w in _ADV:
        return "adv"
    if w in REL or w in ("ما", "مما", "فيما", "لما"):
        return "rel"
    if w.startswith("بال"):
        return "b_al"
    if w.startswith("لل"):
        return "l_al"
    vf = verbs().forms.get(w) or (verbs().forms.get(w[1:]) if w[:1] in ("و", "ف") else None)
    if vf is not None:
        return "v_" + vf.kind
    wk = _word_kind(w)
    if wk:
        return "role_" + wk[0]
    pl = places()
    if w in pl["countries"] or w in pl["capitals"] or (w[:1] == "و" and (w[1:] in pl["countries"] or w[1:] in pl["capitals"])):
        return "place"
    if w in pl["nisbas"] or _strip_al(w) in pl["nisbas"]:
        return "nisba"
    if w in _KIN:
        return "kin"
    if w.isdigit():
        return "num"
    if w.startswith("بال"):
        return "b_al"
    if w.startswith("لل"):
        return "l_al"
    if w.startswith("ال"):
        return "def"
    if w.startswith(("ب", "ل")) and len(w) > 3 and _detached(w):
        return "b_pre" if w[0] == "ب" else "l_pre"
    if w.startswith("ب") and len(w) > 3:
        return "b_name"
    if w.startswith("ل") and len(w) > 3:
        return "l_name"
    if w.startswith("و") and len(w) > 3:
        return "w_pre"
    if w.startswith("م") and w.endswith("ا") and len(w) >= 5:
        return "part_like"
    if w.endswith(("ها", "هم", "ه")) and len(w) > 4:
        return "pron_sfx"
    return "word"


# the complement of a military rank before the name (عقيد ركن، العميد الركن، مقدم طيار) (folded)
_RANK_COMPLEMENTS = frozenset({"ركن", "الركن", "طيار", "الطيار", "بحري", "البحري", "مهندس", "المهندس"})


# words that link the parts of an Arabic name (خالد بن أحمد، دواس آل منصور، أبو بكر) (folded)
_NAME_LINKS = frozenset({"بن", "بنت", "ابن", "ال", "آل", "ابو", "ابي"})


class SpeakerReading(Reading):
    """Speakers: subjects to actors, implicit speakers, fullest names."""

    def _verb_gender(self, c: Cue, actor) -> str:
        if c.gender in ("f", "m", "pl", "dual"):
            return c.gender
        return actor.gender if actor else "?"

    def _subject_before(self, i: int):
        """``وكان X قد قال`` / ``بأن X قال`` / ``لكن X رد``: the noun phrase right before the verb."""
        tk = self.tk
        t = tk.t
        sid = self.sent_id[i]
        k = i - 1
        if k >= 0 and t[k] in ("قد", "لقد"):
            k -= 1
        if k >= 0 and t[k] in ("،", ",", "؛", ";"):
            return None  # "...، وأكد": a comma before the verb, no subject before it
        end = k + 1
        while k >= 0 and self.sent_id[k] == sid and t[k] not in FRONT_BOUND and not _is_comp(t[k])[0] \
                and end - k <= 10 and t[k] not in ALL_MARKS and t[k] not in (":", ".", "؛"):
            k -= 1
        if k < 0 or self.sent_id[k] != sid:
            return None
        if t[k] not in FRONT_BOUND and not _is_comp(t[k])[0]:
            return None
        if t[k] in ("و", "حيث", "اذ", "قد", "فقد", "لقد", "وقد") :
            return None
        start = k + 1
        if end - start < 1:
            return None
        words = t[start:end]
        if any(w in verbs().forms for w in words):
            return None
        if words and words[0] in ("،", ","):
            return None
        if len(words) >= 2 and words[0] in ("هذا", "هذه", "ذلك", "تلك") and not words[1].startswith("ال"):
            return None  # ولا شك أن هذا خطر يهدد: a demonstrative and an indefinite noun are a sentence, no subject
        if words[-1] in _PREPS or words[-1] in ("ب", "ل", "الي", "علي"):
            return None  # ولا يتردد بعضهم في القول إن: the masdar is the preposition's object, the phrase a clause
        if words[-1].removeprefix("و") in _REL_PRON:
            return None  # لكن الوزير الذي أكد: the noun the relative clause describes (:meth:`_relative_heads`)
        return (start, end)

    def _implicit(self, c: Cue, sid: int, last_speaker, sent_subject, actors):
        g = c.gender
        if sid in sent_subject:
            a = sent_subject[sid]
            if self._agrees(a, g):
                return a
        # an actor named earlier in the same sentence (رفضت طهران التصريحات ووصفتها)
        cand = self._sentence_candidates(c.tok, sid, actors, g)
        for a in cand:
            if self._agrees(a, g):
                return a
        a = self._agreeing(last_speaker, g)
        if a is not None:
            return a
        return last_speaker[-1][0] if last_speaker else None

    def _agrees(self, a: Actor, g: str) -> bool:
        if g in ("?", "") or a.gender in ("?", ""):
            return True
        if g == a.gender:
            return True
        if g == "f" and a.kind in ("ORG", "GPE") and a.gender != "m":
            return True
        if g == "pl" and a.gender in ("pl",):
            return True
        if g == "dual" and a.gender in ("pl", "dual"):
            return True
        return False

    def _agreeing(self, last_speaker, g: str):
        seen = set()
        for a, ag in reversed(last_speaker[-6:]):
            if id(a) in seen:
                continue
            seen.add(id(a))
            if self._agrees(a, g):
                return a
        return None

    def _sentence_candidates(self, i: int, sid: int, actors, gender: str = "?"):
        tk = self.tk
        t = tk.t
        out = []
        pl = places()
        k = i - 1
        while k >= 0 and self.sent_id[k] == sid:
            w = t[k]
            if gender == "dual" and len(w) >= 6 and w.startswith(("ال", "وال")) and w.endswith("ان") \
                    and not _word_kind(w) and w.removeprefix("و") not in pl["countries"] \
                    and w.removeprefix("و") not in pl["capitals"] \
                    and (k == 0 or t[k - 1] not in ("من", "في", "الي", "علي", "عن", "بين")):
                # وقالتا after ودفعت المرأتان: a definite dual noun is the dual verb's subject
                out.append(self._register(actors, (k, k + 1), "PER", "dual"))
                k -= 1
                continue
            base = w[1:] if w.startswith(("و", "ب", "ل")) and len(w) > 3 else w
            if w in pl["capitals"] or w in pl["countries"] or base in pl["countries"]:
                out.append(self._register(actors, (k, k + 1), "GPE", "f"))
            else:
                kind = _word_kind(w)
                if kind and kind[0] in ("org", "group", "title") and k + 1 < i and t[k - 1] not in ("من", "في", "الي", "علي", "عن", "ب", "ل") \
                        and _word_class(w) not in ("b_al", "l_al", "b_pre", "l_pre"):  # للرئيس: a PP, no subject
                    named = None
                    if kind[0] == "title" and k > 0:
                        # a title in apposition after a person's name (ديمتري بيسكوف المتحدث باسم الكرملين): the
                        # name is the candidate, not its title
                        self._ent_toks_now()
                        named = next(((x, y) for x, y, lab in self._ent_toks_now() if y == k and lab == "PER"
                                      and self.sent_id[x] == sid), None)
                    if named is not None:
                        out.append(self._register(actors, named, "PER", kind[1]))
                    else:
                        parts = self._np_after(k, i)
                        if parts:
                            a = self._register(actors, parts[0], "ORG" if kind[0] == "org" else "PER", kind[1])
                            out.append(a)
            if t[k] in ALL_MARKS and k in tk.close_of:
                o = tk.close_of[k]
                if o + 1 < k and _kind_of(t[o + 1]) == "org":
                    out.append(self._register(actors, (o + 1, k), "ORG", _word_kind(t[o + 1])[1]))
                k = o
            k -= 1
        # last: the person named right after the sentence's first word, the subject of a verb-first sentence
        # (واستغاث كيم طالبا المساعدة، قائلا إن ...)
        s0 = k + 1
        if s0 + 1 < i:
            span = self._entity_at(s0 + 1, i, ("PER",))
            if span:
                out.append(self._register(actors, span, "PER", "?"))
        return out

    def _entity_at(self, k: int, limit: int, labels):
        """Token range [k, x) of an NER entity of one of ``labels`` that starts at token k and ends before token
        ``limit``, else None."""
        ent = self._entity_starting(k, labels)
        if ent is None:
            return None
        x = self._entity_end(ent, k, limit)
        return (k, x) if x > k else None

    def _quote_actor(self, c, subj, actors, last_speaker, sent_subject, sid):
        if subj and self._addressee_after(c, subj):
            subj = None
        props = [("subj", subj)] if subj and c.kind != PARTICIPLE else []
        if subj and c.kind == PARTICIPLE:
            props_late = [("subj_x", subj)]
        else:
            props_late = []
        return self._choose_speaker(c, sid, actors, last_speaker, sent_subject, props, props_late)[0]

    def _described_object(self, c: Cue, subj) -> bool:
        """After a describing verb with no object pronoun (وصف، يصف) the verb needs its object before بأن / بـ: a
        single noun phrase there that opens with a common noun -- no role word, no place, no name the tagger found
        -- is that object, and the speaker is the verb's implicit subject (ووصف الحفلات في السعودية بأنها; the
        pronoun of بأنها agrees with the object).  With a speaker after the verb the object follows it (ووصف
        ترامب الاتفاق بأنه، ووصف المتحدث القرار بأنه): the phrase then opens with a name or a role word."""
        if c.cls != "describe" or c.has_obj or c.kind not in ("past", "present") or not subj or len(subj) != 1:
            return False
        k = subj[0][0]
        if k != c.tok + 1:
            return False
        w = self.tk.t[k]
        pl = places()
        if not w.startswith("ال") or _word_kind(w) or w in pl["countries"] or w in pl["capitals"] \
                or _strip_al(w) in pl["nisbas"] or w in pl["nisbas"]:
            return False
        self._ent_toks_now()
        return self._ner_tok[k] in ("O", "", None) and k not in self._ent_starts

    def _addressee_after(self, c: Cue, subj) -> bool:
        """The phrase after a verb that takes its addressee as a direct object (the urge and inform classes:
        ناشد، طالب، دعا، حث، أبلغ، أخبر) is that object, not the subject, when it opens with a definite sound
        plural or dual in the oblique case (وناشد المسؤولين وأصحاب القرار بأن، دعا الطرفين إلى، أبلغ الصحفيين
        أن): a nominative subject would read المسؤولون، الطرفان.  The speaker is then the verb's own (implicit)
        subject."""
        if c.cls not in ("urge", "inform") or not subj or subj[0][0] <= c.tok:
            return False
        k = subj[0][0]
        w = self.tk.t[k]
        if not (len(w) >= 7 and w.startswith(("ال", "وال")) and w.endswith("ين")):
            return False
        self._ent_toks_now()
        return self._ner_tok[k] != "PER"

    def _actor_for(self, parts, c: Cue, actors):
        """The actor named by a subject noun phrase (parts: token ranges of the head and its appositions)."""
        spec = self._actor_spec(parts, c)
        if spec is None:
            return None
        span, kind, gender = spec
        a = self._register(actors, span, kind, gender)
        self._note_roles(a, parts)
        return a

    def _actor_spec(self, parts, c: Cue):
        """(name span, kind, gender) of the actor a subject noun phrase names, or None; remembered per article
        (it depends on the parts and the verb's gender only)."""
        if not parts:
            return None
        cache = self.__dict__.setdefault("_spec_cache", {})
        ck = (tuple(parts), c.gender)
        if ck in cache:
            return cache[ck]
        spec = cache[ck] = self._actor_spec_uncached(parts, c)
        return spec

    def _actor_spec_uncached(self, parts, c: Cue):
        t = self.tk.t
        head = parts[0]
        hw = [t[k] for k in range(*head)]
        if not hw:
            return None
        hk = _word_kind(hw[0])
        kind, gender = self._actor_kind(hw, hk, c)
        name_part = self._name_part(parts, hw, hk)
        if name_part and not self._can_speak_at(name_part[0]):
            name_part = None  # a name read from a phrase that cannot speak (بمنطقة نجران): the head instead
        span = name_part or (parts[0][0], parts[-1][1] if (hk and hk[1] == "pl") else parts[0][1])
        return self._name_end(span), kind, gender

    def _name_end(self, span):
        """A span that starts with a person's name and runs on into a phrase that cannot be part of it (an
        adverb, a PP, a participle: ``راخوي بالهزيمة``، ``الحريري حينئذ``) ends with the name."""
        a, b = span
        if b - a < 2:
            return span
        self._ent_toks_now()
        if a not in self._ent_exact:
            return span
        first = self._ent_first.get(a)
        if first is not None:
            y, label = first
            if label == "PER" and y < b and _word_class(self.tk.t[y]) in _NOT_IN_NAME:
                return (a, y)
        return span

    def _actor_kind(self, hw: list, hk, c: Cue) -> tuple[str, str]:
        """(PER/ORG/DOC/GPE, gender) of a subject from its head words ``hw`` (``hk``: the first's roles entry)
        and the verb's gender."""
        kind = "PER"
        gender = c.gender if c.gender in ("m", "f", "pl", "dual") else "?"
        pl = places()
        if hk:
            if hk[0] == "org":
                kind = "ORG"
            elif hk[0] == "doc":
                kind = "DOC"
            if gender == "?":
                gender = hk[1]
        if len(hw) <= 3 and (" ".join(hw) in pl["countries"] or hw[0] in pl["capitals"] or hw[0] in pl["countries"]):
            kind = "GPE"
        return kind, gender

    def _name_part(self, parts, hw: list, hk):
        """The part of a subject that is the speaker's name, or None: an apposition after a singular title
        (وزير الخارجية، محمد جواد ظريف), the head when it is no role word, a name inside a definite title
        (الدكتور عبدالله البرقان، المتحدث باسم الجيش المقدم جوناثن كونركوس)."""
        t = self.tk.t
        head = parts[0]
        title = bool(hk) and hk[0] == "title" and hk[1] != "pl"
        if len(parts) > 1 and title:
            own = self._own_name(head)
            if own is not None:
                # the title's own name ends the first part; what follows the comma is another person's role
                # phrase (a verb's object or a complement swallowed: وزير الخارجية الأميركي مايك بومبيو، الزعيم
                # الكوري الشمالي، كيم جونغ أون; الدكتور مالك منصور، حفيد الإمام محمد عبده)
                return own
            for a, b in parts[1:]:
                w0 = t[a]
                if not _word_kind(w0) and b - a <= 4 and not w0.startswith("و"):
                    return (a, b)
                # an apposition that opens with a rank or an honorific (رئيس غرفة العمليات …، الفريق سيرغي
                # رودسكوي، ; مدير القسم، المهندس عبدالعزيز الغامدي،): the name after it
                named = self._leading_name((a, b)) if b - a <= 5 else None
                if named is None and b - a <= 5:
                    # العقيد ركن تركي المالكي: the person's name the tagger found after the rank (and its ركن)
                    self._ent_toks_now()
                    x = a
                    while x < b - 1 and x not in self._ent_exact and (
                            t[x] in _RANK_COMPLEMENTS or (roles().get(t[x]) or ("", "", ""))[2] in ("honorific", "military")):
                        x += 1
                    first = self._ent_first.get(x)
                    if x > a and first is not None and first[1] == "PER" and first[0] <= b and x in self._ent_exact:
                        y = first[0]
                        while x < y - 1 and t[x] in _RANK_COMPLEMENTS:
                            x += 1
                        named = (x, y)
                if named is not None:
                    return named
        if len(parts) > 1 and not hk:
            # a role noun the lexicon lacks heading the phrase (منسق الأمم المتحدة …، بانوس مومتزيس،): an
            # apposition that is exactly a person's name the tagger found is the name; the head is no name
            self._ent_toks_now()
            if head[0] not in self._ent_starts and (head[1] - head[0] >= 3 or not self._name_like(t[head[0]])):
                for a, b in parts[1:]:
                    first = self._ent_first.get(a)
                    if first is not None and first == (b, "PER") and a in self._ent_exact and b - a <= 4:
                        return (a, b)
            return head
        if title and hw[0].startswith("ال"):
            return self._leading_name(head) or self._trailing_name(head)
        return None

    def _own_name(self, head):
        """The person's name the tagger found ending a role phrase opened by a title (tokens ``head``), when no
        other title stands between them and a name may follow the word before it (the name is the title's own, not
        its complement's: not مستشار الرئيس الأمريكي دونالد ترامب، محامي واينستين، المتحدث باسم بوتن), or None."""
        t = self.tk.t
        a, b = head
        for x, y, lab in self._ent_toks_now():
            if lab == "PER" and a < x and y == b:
                if self._name_may_follow(t[x - 1]) and all(_kind_of(t[j]) != "title" for j in range(a + 1, x)):
                    return (x, y)
                return None
        return None

    def _note_roles(self, a: Actor, parts) -> None:
        """An actor's role words (titles, nisbas, states) and mentions from a subject's parts."""
        t = self.tk.t
        pl = places()
        a.role_tokens |= {_strip_al(t[k]) for p_ in parts for k in range(*p_)
                          if _word_kind(t[k]) or t[k] in pl["nisbas"] or _strip_al(t[k]) in pl["nisbas"]}
        a.role_tokens |= {t[k] for p_ in parts for k in range(*p_) if t[k] in pl["countries"]}
        for p_ in parts:
            a.mentions.append(self._key(p_))

    def _name_like(self, w: str) -> bool:
        pl = places()
        return bool(_WORD.fullmatch(w)) and not _word_kind(w) and w not in pl["countries"] \
            and w not in pl["capitals"] and w not in pl["nisbas"] and _strip_al(w) not in pl["nisbas"] \
            and not w.isdigit() and not w.startswith(("ال", "لل", "بال", "ل", "ب", "و"))

    def _leading_name(self, span):
        """``الدكتور عبدالله البرقان رئيس لجنة ...`` → the name right after an honorific or rank."""
        t = self.tk.t
        a, b = span
        k0 = roles().get(t[a])
        while k0 and k0[2] == "military" and a + 2 < b and t[a + 1] in _RANK_COMPLEMENTS:
            a += 1   # العقيد ركن تركي المالكي، اللواء الركن طيار …: the rank's complements, then the name
        if not k0 or k0[2] not in ("honorific", "military") or a + 1 >= b or not self._name_like(t[a + 1]):
            return None
        k = a + 1
        while k < b and k - a <= 4 and (self._name_like(t[k]) or (k > a + 1 and t[k].startswith("ال")
                                                                   and not _word_kind(t[k]))
                                         or (k > a + 1 and k + 1 < b and t[k] in _NAME_LINKS)):
            k += 1
            if t[k - 1].startswith("ال") and t[k - 1] != "ال":
                break
        while k > a + 2 and t[k - 1] in _NAME_LINKS:
            k -= 1
        return (a + 1, k)

    def _trailing_name(self, span):
        """``المتحدث باسم الجيش المقدم جوناثن كونركوس`` → the name at the end of a role phrase (or None)."""
        t = self.tk.t
        a, b = span
        pl = places()
        k = b
        while k > a:
            w = t[k - 1]
            if not _WORD.fullmatch(w) or _word_kind(w) or w in pl["countries"] or w in pl["capitals"] \
                    or w in pl["nisbas"] or _strip_al(w) in pl["nisbas"] or w.isdigit():
                break
            if w.startswith(("ال", "لل", "بال")) and not (k == b and k - 2 >= a and self._name_like(t[k - 2])):
                break
            if w.startswith("ل") and len(w) > 3 and k < b:
                break
            if _word_class(w) in ("b_pre", "l_pre"):
                return None  # بمنطقة نجران: the role's place complement, not a name
            k -= 1
        if k == a or b - k > 4 or k == b:
            return None
        return (k, b)

    def _second_speaker(self, q: dict, k: int, actors) -> dict:
        """The same quote spoken by the second of two coordinated states (token k, after its و)."""
        other = self._register(actors, (k, k + 1), "GPE", "?", skip=1)
        return dict(q, actor=other, mention=[(k, k + 1)], mention_skip=1, coord=True)

    def _coordinated_places(self, subj):
        """(i, j) when the subject starts with two coordinated state names, ``موسكو وطهران`` (token j carries
        the و), else None."""
        a, b = subj[0]
        if b - a < 2:
            return None
        t = self.tk.t
        pl = places()
        w0, w1 = t[a], t[a + 1]
        if (w0 in pl["capitals"] or w0 in pl["countries"]) and w1.startswith("و") \
                and (w1[1:] in pl["capitals"] or w1[1:] in pl["countries"]):
            return a, a + 1
        return None

    def _register(self, actors, span, kind, gender, skip: int = 0):
        """The actor named by tokens span (``skip``: characters of a glued conjunction before the name, for a
        one-token span).  While candidates are only proposed (``self._peek``), a new actor is not added."""
        key = self._key(span)[skip:]
        peek = getattr(self, "_peek", False)
        for a in actors:
            if a.key == key:
                if not peek and a.gender in ("?", "") and gender not in ("?", ""):
                    a.gender = gender
                return a
        s, e = self.orig(self.tk.s[span[0]] + skip, self.tk.e[span[1] - 1])
        name = self.text[s:e].strip(" ،,.:\"«»")
        a = Actor(name=name, key=key, gender=gender, kind=kind, first=span[0])
        a.mentions.append(key)
        a._span, a._skip = span, skip
        if not peek:
            actors.append(a)
        return a

    # ------------------------------------------------------------------ pass 6: rules propose, a model chooses
    def _choose_speaker(self, c: Cue, sid: int, actors, last_speaker, sent_subject, props, props_late=()):
        """The speaker of cue ``c``: (actor or None, mention parts or None, origin).  ``props`` are the explicit
        noun phrases the rules read, in the rules' order of preference ((origin, parts)); the implicit speakers of
        :meth:`_implicit` follow in its order, so the first candidate is the rules' own choice; then the
        proposals the rules would not take (``props_late``, the subject's head and first words, disagreeing
        actors, named entities of this sentence and the one before).  :mod:`..speaker_model` chooses."""
        cands, seen = [], {}
        g = c.gender

        def add(origin, parts=None, actor=None, mention=True):
            if parts is not None:
                reading = self._part_reading(parts, c)
                if reading is None:
                    return
                span, kind, gender, key = reading
                actor = next((a for a in actors if a.key == key), None)
            else:
                if actor is None or not actor.key or not self._actor_can_speak(actor):
                    return
                key, span, kind, gender = actor.key, None, actor.kind, actor.gender
            if key in seen:
                cands[seen[key]]["also"].add(origin)
                return
            seen[key] = len(cands)
            cands.append({"origin": origin, "parts": parts, "actor": actor, "span": span, "key": key, "kind": kind,
                          "gender": gender, "mention": mention, "also": set()})

        for origin, parts in props:
            nm = self._so_called(parts[0][0]) if parts else None
            # أعلن ما يسمى "تنظيم X": the subject is the name, the phrase before it cannot speak
            add(origin, [nm] if nm else parts)
        self._peek = True
        try:
            sent_cands = self._sentence_candidates(c.tok, sid, actors, g)
        finally:
            self._peek = False
        ss = sent_subject.get(sid)
        if ss is not None and self._agrees(ss, g):
            add("sent_subject", actor=ss)
        for a in sent_cands:
            if self._agrees(a, g):
                add("sent_cand", actor=a)
        ag = self._agreeing(last_speaker, g)
        add("agree_last", actor=ag)
        if last_speaker:
            add("last", actor=last_speaker[-1][0])
        n_rule = len(cands)
        if not n_rule:
            # no rule reads a speaker: the rules' choice is none
            cands.append({"origin": "none", "parts": None, "actor": None, "span": None, "key": "", "kind": "",
                          "gender": "?", "mention": False, "also": set()})
            seen[""] = 0
        for origin, parts in props_late:
            add(origin, parts)
        for origin, parts in self._more_subjects(c, list(props) + list(props_late)):
            add(origin, parts)
        for origin, parts in list(props) + list(props_late):
            if not parts or origin == "coord":
                continue
            # no shorter reading when a later part is a person's name in apposition (مندوب بريطانيا لدى الأمم
            # المتحدة، جون سورز): the name is who speaks
            if len(parts) > 1 and any(label == "PER" and parts[1][0] <= x < parts[-1][1]
                                      for x, _, label in self._ent_toks_now()):
                continue
            if len(parts) > 1:
                add(origin + "_head", [parts[0]])
            for cut in self._trimmed(parts[0], origin.startswith("pre")):
                add(origin + "_cut", [cut])
        for origin, parts in list(props) + list(props_late):
            issuer = self._doc_issuer(parts[0]) if parts else None
            if issuer:
                add("issuer", [issuer])
        if ss is not None:
            add("sent_subject_x", actor=ss)
        for a in sent_cands:
            add("sent_cand_x", actor=a)
        seen_ids = set()
        for a, _ in reversed(last_speaker[-6:]):
            if id(a) not in seen_ids:
                seen_ids.add(id(a))
                add("recent", actor=a)
        plat = _platforms()
        for a, b, label in self._entities_near(c.tok, sid):
            if tuple(t.removeprefix("و") if j == a else t for j, t in zip(range(a, b), self.tk.t[a:b])) in plat:
                # a platform the sentence names (بموقع "تويتر"، نشر على فيسبوك) is where words were posted, not
                # who posted them (error class 4 of issue 15); its subject reading after the verb stays
                continue
            add("ent", [(a, b)], mention=False)
        if len(cands) == 1 and cands[0]["origin"] == "none" and speaker_model.RECORD is None:
            return None, None, None
        if speaker_model.RECORD is not None or (len(cands) > 1 and speaker_model.get_model() is not None):
            feats = [self._cand_features(c, cd, k, k < n_rule, sid, last_speaker) for k, cd in enumerate(cands)]
            k = speaker_model.choose(feats)
        else:
            feats, k = [], 0
        if speaker_model.RECORD is not None:
            self._record(c, cands, feats, k, actors)
        cd = cands[k]
        if cd["origin"] == "none":
            return None, None, None
        if cd["parts"] is not None:
            actor = self._actor_for(cd["parts"], c, actors)
            mention = cd["parts"] if cd["mention"] else None
        else:
            actor, mention = cd["actor"], None
            if not any(x is actor for x in actors):
                actor = self._register(actors, actor._span, actor.kind, actor.gender, getattr(actor, "_skip", 0))
        spoke = self.__dict__.setdefault("_spoke", {})
        if actor is not None:
            spoke[id(actor)] = (c.tok, spoke.get(id(actor), (0, 0))[1] + 1)
        return actor, mention, cd["origin"]

    def _more_subjects(self, c: Cue, props) -> list:
        """Speaker candidates the subject readings of pass 3 never give (issue 15, classes of held-out wrong
        speakers), proposed for the model to weigh: (origin, parts).

        - ``pre_part``: the noun phrase between a particle that opens a nominal clause and the verb: فإن / لأن
          (sisters of إنّ) and حتى (وحتى حنين ترى أن، لذلك فإن العراقيين يرون أن).
        - ``rel_head``: the noun a relative clause describes when the verb opens that clause (الدراسات التي تؤكد
          أن، المسؤول الذي قال): the named entity before the relative pronoun and the definite noun phrase ending
          right before it (with the indefinite noun it is the genitive of: عشرات الدراسات الاقتصادية).
        - ``named``: the name after ما يسمى / من يسمى / ما يعرف بـ … at the head of a subject (أعلن ما يسمى
          "تنظيم أجناد مصر"): the subject proper is the name, the phrase before it cannot speak."""
        out = []
        pre = self._subject_after_particle(c.tok)
        if pre:
            out.append(("pre_part", [pre]))
        if not any(o == "subj" and parts for o, parts in props):
            # (a verb with its own subject after it: حماية الشعب الكردية التي تقول تركيا إنها ...)
            for span in self._relative_heads(c.tok, c):
                out.append(("rel_head", [span]))
        for _, parts in props:
            if parts:
                nm = self._so_called(parts[0][0])
                if nm:
                    out.append(("named", [nm]))
        return out

    # particles after which a nominal clause opens with its subject (folded): فإن، لأن (sisters of إنّ), حتى
    _NOMINAL_OPENERS = frozenset({"فان", "لان", "ولان", "حتي", "وحتي", "فحتي"})
    # ما يسمى / من يسمى / ما يعرف بـ / ما يطلق عليه (folded)
    _SO_CALLED_REL = frozenset({"ما", "من", "مما", "ممن"})
    _SO_CALLED_VERB = frozenset({"يسمي", "تسمي", "سمي", "سميت", "يعرف", "تعرف", "عرف", "عرفت", "يدعي", "تدعي",
                                 "يطلق", "تطلق", "اطلق", "اطلقت"})

    # a preposition with a pronoun after the relative clause's verb: the pronoun resumes the noun (folded)
    _RESUMPTIVE = frozenset({"فيه", "فيها", "عنه", "عنها", "له", "لها", "به", "بها", "منه", "منها", "عليه", "عليها",
                             "اليه", "اليها", "معه", "معها"})
    # definite time nouns a relative clause describes (في الوقت الذي، في اللحظة التي): never a speaker (folded)
    _TIME_NOUNS = frozenset({"الوقت", "الحين", "اللحظة", "الفترة", "المرة", "الساعة", "الايام", "الليلة", "المرحلة",
                             "الاسبوع", "الشهر", "العام", "اليوم", "السنة", "الاثناء"})

    def _subject_after_particle(self, i: int):
        """Token range of the noun phrase between a nominal-clause particle (فإن، لأن، حتى) and the verb at token
        i (``فإن العراقيين يرون أن``), at most six words, no verb, comma or mark inside; else None."""
        t = self.tk.t
        sid = self.sent_id[i]
        k = i - 1
        if k >= 0 and t[k] in ("قد", "لقد"):
            k -= 1
        end = k + 1
        while k >= 0 and self.sent_id[k] == sid and end - k <= 6 and t[k] not in self._NOMINAL_OPENERS:
            w = t[k]
            if not _WORD.fullmatch(w) or w in FRONT_BOUND or _is_comp(w)[0]:
                return None
            k -= 1
        if k < 0 or self.sent_id[k] != sid or t[k] not in self._NOMINAL_OPENERS or end - (k + 1) < 1:
            return None
        start = k + 1
        if any(t[j] in verbs().forms for j in range(start, end)) or not self._can_speak_at(start):
            return None
        return (start, end)

    def _relative_heads(self, i: int, c: Cue | None = None) -> list:
        """Token ranges of the noun a relative clause opened by the verb at token i describes: the named entity
        just before the relative pronoun (:meth:`_relative_antecedent`) and the definite noun phrase ending right
        before it, with the indefinite noun heading it (عشرات الدراسات الاقتصادية التي تؤكد).  None when the verb
        carries an object pronoun (``مياه الشرب التي يصفها السكان``: the pronoun resumes the noun, its object)."""
        t = self.tk.t
        if c is not None and c.has_obj:
            return []
        if i + 1 < len(t) and t[i + 1] in self._RESUMPTIVE:
            return []   # في الوقت الذي يلفت فيه محللون: the noun is the verb's complement (فيه), not its subject
        k = i - 1
        if k >= 0 and t[k] in ("قد", "لقد"):
            k -= 1
        if k < 1 or t[k].removeprefix("و") not in _REL_PRON or self.sent_id[k] != self.sent_id[i]:
            return []
        rel = k
        out = []
        g = c.gender if c is not None else "?"
        rg = self._REL_GENDER.get(t[rel].removeprefix("و"), "?")
        if g in ("m", "f", "pl") and rg in ("m", "f", "pl") and g != rg and not (rg == "f" and g == "pl"):
            return []   # أسماء الدول التي قال إنها: the verb does not agree with the pronoun, it has its own subject
        ante = self._relative_antecedent(rel)
        self._ent_toks_now()
        jj = rel - 1 if t[rel - 1] not in ("،", ",") else rel - 2
        if ante and ante[1] != jj + 1 and not _word_kind(t[ante[1]]) and not (
                t[ante[1]] in ("،", ",") and ante[1] + 1 < rel and _word_kind(t[ante[1] + 1])):
            ante = None   # a name further back that no title in apposition joins to the pronoun (أصاب إيران، ويعزز …)
        if ante and self._ner_tok[ante[0]] == "LOC" and not (
                t[ante[0]] in places()["countries"] or t[ante[0]] in places()["capitals"]):
            ante = None   # a place that is no state (ولاية فرجينيا، والذي قال): the person before it speaks
        if ante and ante[0] in self._ent_exact and self._can_speak_at(ante[0]):
            # (a name the tagger read after a glued preposition, لبي بي سي، is an addressee, not the head)
            out.append(ante)
        j = rel - 1
        if j >= 0 and t[j] in ("،", ","):
            j -= 1
        end = j + 1
        sid = self.sent_id[rel]
        if j < 0 or not t[j].startswith("ال") or not _WORD.fullmatch(t[j]) or t[j] in TIME or t[j] in self._TIME_NOUNS:
            return out
        # the definite noun and the definite adjectives after it (الدراسات الاقتصادية، الجيش السوري); a definite
        # noun before a definite noun is another phrase (حضر المؤتمر الرئيس الذي ...)
        while j - 1 >= 0 and self.sent_id[j - 1] == sid and end - j < 4 and t[j - 1].startswith("ال") \
                and _WORD.fullmatch(t[j - 1]) and t[j - 1] not in TIME and _adjective_like(t[j][2:]):
            j -= 1
        start = j
        h = j - 1
        if h >= 0 and self.sent_id[h] == sid and _WORD.fullmatch(t[h]) and not t[h].startswith("ال") \
                and t[h] not in FRONT_BOUND and t[h] not in _OPENERS and t[h] not in self._NOMINAL_OPENERS \
                and t[h] not in verbs().forms and t[h].removeprefix("و").removeprefix("ف") not in _PREPS \
                and t[h] not in self._PRONOUNS \
                and (_word_class(t[h]).startswith("role_") or t[h] in self._QUANTIFIERS):
            start = h   # the indefinite noun whose genitive the definite phrase is (عشرات الدراسات، وزير الخارجية)
        elif h >= 1 and t[h] in ("باسم", "بإسم") and self.sent_id[h - 1] == sid \
                and _word_class(t[h - 1]) == "role_title":
            start = h - 1   # متحدث باسم الشرطة الذي قال: the role, not the body it speaks for
        inside = any(x < start < y for x, y, _ in self._ent_toks_now())   # (المرصد السوري لحقوق الإنسان الذي)
        if start < end and not inside and self._can_speak_at(start) and (start, end) not in out \
                and self._may_speak_noun(start, end):
            out.append((start, end))
        return out

    # quantifiers whose genitive is the noun a relative clause describes (عشرات الدراسات التي …), folded
    _QUANTIFIERS = frozenset({"عشرات", "مئات", "الاف", "بعض", "كل", "احد", "احدي", "معظم", "غالبية", "اغلب", "عدد",
                              "جميع", "كثير", "اكثر", "مختلف"})
    _REL_GENDER = {"الذي": "m", "التي": "f", "الذين": "pl", "اللذين": "pl", "اللتين": "f", "اللذان": "pl",
                   "اللتان": "f", "اللواتي": "f", "اللاتي": "f"}
    _PRONOUNS = frozenset({"هو", "هي", "هم", "هما", "هن", "انا", "نحن", "انت", "انتم", "وهو", "وهي", "وهم"})

    def _may_speak_noun(self, a: int, b: int) -> bool:
        """Whether the noun phrase a relative clause describes names something that speaks: a word of the role
        lexicon in it (a title, a body, a document; a document plural by its singular: الدراسات -> دراسة), a
        definite sound masculine plural (المشاركين، العراقيين: people), or a person or organisation the tagger
        found in it -- not a thing the clause is about (النقاط الأخرى التي ترى أن ...، الأساليب التي قالت ...)."""
        t = self.tk.t
        self._ent_toks_now()
        for k in range(a, b):
            w = t[k]
            if _word_kind(w) or (self._ner_tok[k] in ("PER", "ORG") and k in self._ent_starts):
                return True
            base = _strip_al(w)
            if base.endswith("ات") and _word_kind(base[:-2] + "ة"):
                return True
            if w.startswith("ال") and len(w) >= 7 and w.endswith(("ين", "ون")):
                return True
        return False

    def _so_called(self, k: int):
        """Token range of the name after ``ما يسمى`` (… بـ، … عليه) at token k, the whole of a quoted name, else
        None."""
        tk = self.tk
        t = tk.t
        n = len(t)
        if k + 2 >= n or t[k] not in self._SO_CALLED_REL or t[k + 1] not in self._SO_CALLED_VERB:
            return None
        j = k + 2
        while j < n and t[j] in ("ب", "بـ", "عليه", "عليها", "عليهم", "باسم", "ـ"):
            j += 1
        if j >= n:
            return None
        if t[j] in ALL_MARKS and tk.pair_of.get(j, -1) > j + 1 and tk.pair_of[j] - j <= 8:
            return (j + 1, tk.pair_of[j])
        parts = self._np_after(j, min(n, j + 8))
        return parts[0] if parts else None

    def _part_reading(self, parts, c: Cue):
        """(name span, kind, gender, key) of the speaker a subject phrase proposes, or None when it names none
        or cannot speak; remembered per article (it depends on the parts and the verb's gender only)."""
        cache = self.__dict__.setdefault("_reading_cache", {})
        ck = (tuple(parts), c.gender)
        if ck in cache:
            return cache[ck]
        out = None
        spec = self._actor_spec(parts, c)
        if spec is not None:
            span, kind, gender = spec
            key = self._key(span)
            if key and self._can_speak_at(parts[0][0]) and self._can_speak_at(span[0]):
                out = (span, kind, gender, key)
        cache[ck] = out
        return out

    def _doc_issuer(self, span):
        """The issuer a document phrase names (GUIDELINES decision 18): ``بيان التحالف`` → التحالف, ``بيان صادر عن
        وزارة الخزانة`` → وزارة الخزانة; None when the phrase is no document or names no issuer."""
        t = self.tk.t
        a, b = span
        wk = _word_kind(t[a])
        if not wk or wk[0] != "doc" or b - a < 2:
            return None
        k = a + 1
        while k < b and t[k] in ("صادر", "الصادر", "صادرة", "الصادرة", "عن", "مشترك", "المشترك", "رسمي", "الرسمي",
                                 "صحفي", "الصحفي", "صحافي", "الصحافي", "صدر", "صدرت") or (
                k + 2 < b and t[k + 1] in ("صدر", "صدرت", "صادر", "صادرة") and t[k + 2] == "عن"
                and _adjective_like(t[k])):
            k += 1  # (تقرير طبي صدر عن وزارة الصحة: the issuer after its adjective)
        if k >= b or not self._can_speak_at(k) or _kind_of(t[k]) == "doc":
            return None
        if not t[a].startswith(("ال", "وال")) and _adjective_like(t[k]) and not _word_kind(t[k]):
            return None  # an adjective of the document, no issuer (دراسة أميركية حديثة، تقرير طبي صدر عن …)
        if t[a].startswith(("ال", "وال")) and k == a + 1:
            return None  # a definite document noun takes no issuer after it, only adjectives (التقرير الحادي والخمسون)
        return (k, b)

    def _trimmed(self, span, before: bool) -> list:
        """Shorter readings of a subject that may have swallowed what follows its name (error class 1 of issue
        15): cut before the first word that cannot be inside a name (a ب/ل-prefixed noun, a preposition, a time
        word, a verb or participle, a word with a pronoun suffix: ``راخوي بالهزيمة``، ``الحكومة بشكل سلبي``), and
        at the end of the named entity the phrase starts with (``وصف X Y بأنه``: X).  A subject before the verb
        (``before``) is cut from the left: the entity that ends it."""
        t = self.tk.t
        a, b = span
        out = []
        if not before:
            # a role phrase keeps its complements (وزير الدولة للشؤون الخارجية، المتحدث باسم الجيش في ...)
            for k in range(a + 1, b if not _word_kind(t[a]) else a + 1):
                wc = _word_class(t[k])
                if wc in _NOT_IN_NAME:
                    # a role noun keeps its complement (مصدر من القوات، المسؤول في القرية، بيان صادر عن ...)
                    if not (wc == "prep" and (_word_class(t[k - 1]).startswith("role_")
                                              or t[k - 1] in ("صادر", "الصادر", "صادرة", "الصادرة"))):
                        out.append((a, k))
                    break
            for x, y, _ in self._ent_toks_now():
                if x == a or (x == a + 1 and _word_kind(t[a])):
                    if y < b:
                        out.append((a, y))
                    break
        else:
            for x, y, _ in self._ent_toks_now():
                if a < x and y == b:
                    out.append((x, b))
                    break
        return out

    def _record(self, c: Cue, cands: list, feats: list, k: int, actors) -> None:
        """Training hook: one record of this decision (candidates' features and names; the names each would show
        after pass 7 are added by :meth:`_resolve`)."""
        names, probes = [], []
        for cd in cands:
            if cd["span"] is not None:
                s0, e0 = self.orig(self.tk.s[cd["span"][0]], self.tk.e[cd["span"][1] - 1])
                names.append(self.text[s0:e0])
                self._peek = True
                try:
                    a = self._register(actors, cd["span"], cd["kind"], cd["gender"])
                finally:
                    self._peek = False
                if not any(x is a for x in actors):
                    a = Actor(name=a.name, key=a.key, gender=a.gender, kind=a.kind, first=a.first)
                    self._note_roles(a, cd["parts"])
                probes.append(a)
            elif cd["actor"] is not None:
                names.append(cd["actor"].name)
                probes.append(cd["actor"])
            else:
                names.append("")
                probes.append(None)
        rec = {"cue": list(self.orig(c.s, c.e)), "feats": feats, "names": names, "chosen": k, "_probes": probes}
        speaker_model.RECORD.append(rec)
        self.__dict__.setdefault("_recs", []).append(rec)

    def _entities_near(self, i: int, sid: int):
        """(start, end, label) token ranges of the NER's people, organisations and places in the sentence of
        token i before it, and in the sentence before that."""
        spans = self.__dict__.get("_ent_toks")
        if spans is None:
            spans = self._ent_toks = self._entity_token_spans()
        lo_sid = sid - 1
        out = []
        for a, b, label in spans:
            if a >= i:
                break
            if self.sent_id[a] >= lo_sid and b <= i:
                out.append((a, b, label))
        return out[-8:]

    def _entity_token_spans(self):
        tk = self.tk
        n = len(tk)
        self._ent_exact = set()
        self._ner_tok = [None] * n
        self._ent_starts = set()
        self._ent_first = {}
        if not n or not self.entities:
            return []
        offs = self.view.offsets
        if not len(offs):
            return []
        ents = [e for e in self.entities if e.label in ("PER", "ORG", "LOC")]
        if not ents:
            return []
        starts = offs[np.minimum(np.asarray(tk.s), len(offs) - 1)]
        a = np.searchsorted(starts, [e.start for e in ents], side="right") - 1
        b = np.searchsorted(starts, [e.end for e in ents], side="left")
        out = [(max(int(x), 0), int(y), e.label) for x, y, e in zip(a, b, ents) if y > max(x, 0)]
        # tokens whose entity starts with the token itself, not after a glued preposition (بالحريري)
        self._ent_exact = {int(x) for x, e in zip(a, ents) if x >= 0 and int(starts[x]) == e.start}
        out.sort()
        self._ent_starts = {x for x, _, _ in out}
        for x, y, label in out:
            self._ent_first.setdefault(x, (y, label))  # the first (sorted) entity that starts at each token
        for x, y, label in out:
            for k in range(x, y):
                self._ner_tok[k] = label
        return out

    def _can_speak_at(self, k: int) -> bool:
        """:meth:`_can_speak` for the phrase that starts at token k; a word that starts a named entity, or the
        name علي, always may."""
        w = self.tk.t[k]
        if self._can_speak(w) or k in self._cue_nouns:
            return True  # (a noun read as a verb's homograph in a verb's subject slot: pass 2, find_cues)
        self._ent_toks_now()
        return k in self._ent_exact

    def _actor_can_speak(self, a: Actor) -> bool:
        w = a.key.split()[0]
        wc = _word_class(w)
        if wc in ("b_pre", "l_pre"):
            return True  # an actor registered from a name (بوتين، ليلى): the glued-preposition reading is weaker
        return wc not in _CANNOT_SPEAK

    def _can_speak(self, w: str) -> bool:
        """Whether a phrase whose first (folded) word is ``w`` may name a speaker: not a prepositional, adverbial,
        time or relative phrase, a complementiser, a verb or participle, a lone mark (error class 1 of issue 15:
        وقال في مقدمة التقرير، مستنكرا، في مطلع مارس، لوكالة ...)."""
        return _word_class(w) not in _CANNOT_SPEAK

    def _word_class(self, w: str) -> str:  # noqa: PLR6301 (kept for subclasses and callers)
        return _word_class(w)

    def _cand_features(self, c: Cue, cd: dict, rank: int, rule_tier: bool, sid: int, last_speaker) -> dict:
        """The features of one speaker candidate (:mod:`..speaker_model`)."""
        tk = self.tk
        t = tk.t
        wcl = _word_class
        o = cd["origin"]
        if o == "none":
            return {"o=none": 1.0, f"o=none|k={c.kind}": 1.0}
        og, cont, head = _origin_features(o, c.kind, c.cls)
        f = dict.fromkeys(head, 1.0)
        for x in cd["also"]:
            f["also=" + x] = 1.0
        if rank == 0:
            f["rule"] = 1.0
            f[f"rule|k={c.kind}|{cont}"] = 1.0
        if rule_tier:
            f["tier"] = 1.0
        actor = cd["actor"]
        sp = self.__dict__.get("_spoke", _NO_SPOKE).get(id(actor)) if actor is not None else None
        span = cd["span"]
        nt = len(t)
        if span is not None:
            a, b = span
            words = t[a:b]
            pos = a
            nx = "nx=" + wcl(t[b] if b < nt else "")
            f[nx] = 1.0
            f["pv=" + wcl(t[a - 1] if a > 0 else "")] = 1.0
            f[nx + "|o=" + og] = 1.0
        else:
            words = cd["key"].split()
            pos = sp[0] if sp else (actor.first if actor is not None else c.tok)
        n = len(words)
        f[_LEN_FEATS[min(n, 6)]] = 1.0
        if words:
            w0c = wcl(words[0])
            if span is not None:
                self._ent_toks_now()
            if span is not None and w0c in ("b_pre", "l_pre"):
                if span[0] in self._ent_exact:
                    w0c = w0c[0] + "_name"  # a name the tagger marks from its first letter (ليدي غاغا، بوتين)
            for x in _word_features(w0c, wcl(words[-1]), cont, og, n):
                f[x] = 1.0
            w0 = words[0]
            if len(w0) >= 7 and w0.startswith(("ال", "وال")) and w0.endswith("ين") \
                    and not (span is not None and self._ner_tok[span[0]] == "PER"):
                # a definite sound plural or dual in the oblique case (المسؤولين، الطرفين): the verb's object or
                # a genitive, not its nominative subject (المسؤولون)
                f["obl"] = 1.0
                f["obl|o=" + og] = 1.0
            inner = {wcl(w) for w in words[1:]}
            # (a set literal, as the model was trained with: the order of these features is the set's)
            for x in inner & {"b_al", "b_pre", "prep", "time", "v_past", "v_present", "v_participle", "v_masdar",
                              "comp", "rel", "part_like", "mark", "punct"}:
                f["in=" + x] = 1.0
        f["before" if pos < c.tok else "after"] = 1.0
        d = abs(c.tok - pos)
        f[_DIST_FEATS[0 if d <= 1 else 1 if d <= 3 else 2 if d <= 7 else 3 if d <= 15 else 4 if d <= 40 else 5]] = 1.0
        p_ = min(pos, nt - 1)
        f[_SDIST_FEATS[max(-1, min(sid - self.sent_id[p_], 3)) + 1]] = 1.0
        if tk.para[p_] != tk.para[c.tok]:
            f["para"] = 1.0
            f["para|" + cont] = 1.0
        for x in _kind_features(cd["kind"], c.cls):
            f[x] = 1.0
        agr = self._agreement(c.gender, cd["gender"], cd["kind"])
        f["agr=" + agr] = 1.0
        f[f"agr={agr}|o={og}"] = 1.0   # agreement weighs differently for an explicit subject and a remembered speaker
        if actor is not None:
            f["actor"] = 1.0
            if last_speaker and last_speaker[-1][0] is actor:
                f["is_last"] = 1.0
                f["is_last|" + cont] = 1.0
            if sp:
                f[_SPOKE_FEATS[min(sp[1], 3)]] = 1.0
                # where it last spoke: in this paragraph, this sentence (a continuation's speaker is near)
                if tk.para[min(sp[0], nt - 1)] == tk.para[c.tok]:
                    f["sp_para|" + cont] = 1.0
            if span is None:
                # an implicit speaker's nearest mention before the cue, not where it was first named
                near = self._nearest_mention(actor, c.tok)
                if near is None:
                    f["near=none"] = 1.0
                else:
                    dn = c.tok - near
                    f[_NEAR_FEATS[0 if dn <= 2 else 1 if dn <= 8 else 2 if dn <= 25 else 3]] = 1.0
                    if self.sent_id[near] == sid:
                        f["near_sent|" + cont] = 1.0
                    if self._sentence_initial(near):
                        f["near_init"] = 1.0
        if span is not None:
            self._ner_features(f, span)
            if self._sentence_initial(span[0]):
                f["s_init|" + ("b" if span[0] < c.tok else "a")] = 1.0
        return f

    def _sentence_initial(self, k: int) -> bool:
        """Token k opens its sentence (after a conjunction or a discourse word: و، ثم، كما، أما، لكن): the
        sentence's topic, the subject of its later participles (أحمد خالد، وهو شاب …، يتفق …، قائلا)."""
        sid = self.sent_id[k]
        j = k - 1
        t = self.tk.t
        while j >= 0 and self.sent_id[j] == sid and k - j <= 3 and t[j] in _OPENERS:
            j -= 1
        return j < 0 or self.sent_id[j] != sid

    def _nearest_mention(self, actor, i: int):
        """The nearest token before token i (within 80 tokens) that is the last word of an actor's name (or it
        with a glued و/ف/ب/ل), or None."""
        words = actor.key.split()
        if not words:
            return None
        w = words[-1]
        forms = (w, "و" + w, "ف" + w, "ب" + w, "ل" + w)
        t = self.tk.t
        for k in range(i - 1, max(-1, i - 80), -1):
            if t[k] in forms:
                return k
        return None

    @staticmethod
    def _agreement(g: str, cg: str, kind: str) -> str:
        """Whether the verb's gender ``g`` and a candidate's ``cg`` agree: yes, no or unk."""
        if g in ("?", "") or cg in ("?", ""):
            return "unk"
        if g == cg or (g == "f" and kind in ("ORG", "GPE") and cg != "m") or (g == "dual" and cg == "pl"):
            return "yes"
        return "no"

    def _ner_features(self, f: dict, span) -> None:
        """The NER label a candidate span starts with (its first labelled token's) and how many entities it holds."""
        self._ent_toks_now()
        labs = [lab for lab in self._ner_tok[span[0]:span[1]] if lab]
        if labs:
            f["ner=" + labs[0]] = 1.0
            starts = self._ent_starts
            n_ent = sum(1 for k in range(span[0] + 1, span[1]) if k in starts) + 1
            f["ner_n=%d" % min(n_ent, 2)] = 1.0
            first = self._ent_first.get(span[0])
            if first is not None:
                # the phrase is the entity it starts with, a part of it, or runs on past it (المخابرات التركية
                # القبض، التحالف بيان: a swallowed object)
                y = first[0]
                f["ent=" + ("exact" if y == span[1] else "part" if y > span[1] else "tail")] = 1.0
        else:
            f["ner=none"] = 1.0

    def _ent_toks_now(self):
        spans = self.__dict__.get("_ent_toks")
        if spans is None:
            spans = self._ent_toks = self._entity_token_spans()
        return spans

    def _resolve(self, quotes, actors):
        """Pass 7: each quote's speaker, the fullest name of its actor (:meth:`_fullest`)."""
        named = [a for a in actors if a.key and not _word_kind(a.key.split()[0])]
        for q in quotes:
            a = q["actor"]
            if a is not None and " " not in a.key and a.key.startswith("ال") and _word_kind(a.key) \
                    and _word_kind(a.key)[0] == "doc":
                q["actor"] = a = self._doc_antecedent(q, quotes, actors) or a
            if a is not None:
                q["actor"] = a = self._shown(a, named, actors)
            q["speaker"] = None if a is None else a.name
        self._peek = True
        try:
            for rec in self.__dict__.get("_recs", ()):
                rec["resolved"] = ["" if a is None else self._shown(a, named, actors).name if a.key else a.name
                                   for a in rec.pop("_probes")]
        finally:
            self._peek = False

    def _shown(self, a: Actor, named: list, actors) -> Actor:
        """The actor a reader is shown for speaker ``a``: its fullest name (:meth:`_fullest`); a role phrase with
        a person's name inside it (``وزير الخارجية الروسي سيرغي لافروف``، ``أمين منطقة نجران المهندس فارس بن مياح
        الشفق``، ``سيد ظفر هاشمي المتحدث باسم الرئيس``) → that name's actor (:meth:`_name_in_role`)."""
        a = self._fullest(a, named, actors)
        span = getattr(a, "_span", None)
        if span is None or a.kind != "PER":
            return a
        name = self._name_in_role(span)
        if name is None:
            return a
        c = self._register(actors, name, "PER", a.gender)
        if not c.key or c.key == a.key:
            return a
        full = self._fullest(c, named, actors)
        if len(full.key.split()) < 2:
            return a   # a lone surname no fuller name explains: the role phrase says more
        return full

    @staticmethod
    def _name_may_follow(w: str) -> bool:
        """Whether a person's name may follow the word ``w`` of a role phrase: a definite word (the role's end:
        الروسي، اللجنة، المهندس), a state, an honorific, a mark.  After an indefinite noun the next words are its
        adjectives or its genitive (مسؤول أمني أميركي، مصادر دبلوماسية تركية، مدير شرطة خميس مشيط), no name."""
        if not _WORD.fullmatch(w) or w in _HONORIFICS or w.startswith(("ال", "وال")):
            return True
        pl = places()
        return w in pl["countries"] or w in pl["capitals"]

    def _name_in_role(self, span):
        """The token range of the person's name in a role phrase: the name that ends a phrase opened by a title
        (after honorifics such as معالي، سعادة), or the name that opens a phrase followed by its title in
        apposition; a rank or honorific before the name (المهندس، الشيخ، العقيد) is left out.  None when the
        phrase holds no such name."""
        t = self.tk.t
        x0, x1 = span
        if x1 - x0 < 2:
            return None
        k = x0
        while k < x1 - 1 and t[k] in _HONORIFICS:
            k += 1
        wk = _word_kind(t[k])
        ents = [(x, y) for x, y, lab in self._ent_toks_now() if lab == "PER" and x0 <= x < y <= x1
                and (x == x0 or self._name_may_follow(t[x - 1]))]
        name = None
        if wk and wk[0] == "title":
            ends = [(x, y) for x, y in ents if y == x1 and x > k]
            inner = {(x, y) for x, y in ents if x > k}
            if ends:
                name = min(ends)
            elif inner and wk[1] != "pl":
                # a person named inside a singular role phrase that runs on past the name (a verb's object
                # swallowed: رئيس كتلة الحل النائب محمد الكربولي دعم كتلته ...، نائب الرئيس الأمريكي مايك بنس
                # الزعيم الكوري ...): the first name, the one the role describes
                name = min(inner)
        elif any(y == x1 and x > k and (roles().get(t[x]) or roles().get(t[x - 1]) or ("", "", ""))[2]
                 in ("honorific", "military", "royal") for x, y in ents):
            # أمير قطر الشيخ تميم بن حمد آل ثاني: an honorific or rank opens the name that ends the phrase
            name = min((x, y) for x, y in ents if y == x1 and x > k)
        elif ents and ents[0][0] == x0 and ents[0][1] < x1:
            # a name followed by its title in apposition (سيد ظفر هاشمي المتحدث باسم الرئيس), or by anything when
            # the tagger's name has two words or more (يوري بويتشنكو مفوض الأمم المتحدة): the name
            y = ents[0][1]
            nk = _word_kind(t[y]) or (_word_kind(t[y + 1]) if t[y] in ("،", ",") and y + 1 < x1 else None)
            if (nk and nk[0] == "title") or y - x0 >= 2:
                name = (x0, y)
        if name is None and wk and wk[0] == "title" and wk[1] != "pl":
            name = self._given_name_at_end(k, x1)
        if name is None:
            return None
        a, b = name
        while a < b - 1 and (t[a] in _HONORIFICS or _kind_of(t[a]) == "title"):
            a += 1
        if not all(_WORD.fullmatch(t[j]) and not _word_kind(t[j]) for j in range(a, b)):
            return None
        return (a, b)

    def _given_name_at_end(self, k: int, x1: int):
        """A name the tagger missed at the end of a singular role phrase (tokens k..x1): a given name of the NER
        gazetteer after the role's definite end (كبير المحللين في إحدى شركات البورصة رائد الخضر، مدير فرع
        الزراعة محمد بن منصور القرني), then one to three words -- name links, or words without the article that
        no list holds as a role, place or nisba -- ending the phrase."""
        from .words import _gazetteer
        from ...ner.features import normalize as _ner_norm
        t = self.tk.t
        gaz = _gazetteer()
        for j in range(max(k + 2, x1 - 4), x1 - 1):
            w = t[j]
            if len(w) < 3 or not self._name_like(w) or "PER" not in (gaz.get((_ner_norm(self._orig_word(j)),)) or "") \
                    or t[j - 1] in _NAME_LINKS or not (self._name_may_follow(t[j - 1])
                                                       or t[j - 1] in places()["cities"]):
                continue   # (after an indefinite noun its adjectives follow: مسؤول أمني أميركي رفيع)
            rest = t[j + 1:x1]
            if 1 <= len(rest) <= 3 and all(x in _NAME_LINKS or self._name_like(x) or (
                    x.startswith("ال") and i == len(rest) - 1 and not _word_kind(x) and _strip_al(x) not in places()["nisbas"]
                    and x not in places()["nisbas"] and not x.endswith(("ة", "يه")))
                    for i, x in enumerate(rest)) and rest[-1] not in _NAME_LINKS:
                # (a family name in ال- is no feminine adjective: مدينة الملك فهد الطبية is a hospital)
                return (j, x1)
        return None

    def _doc_antecedent(self, q: dict, quotes, actors):
        """The issuer of the document a bare definite document noun refers back to (``وقال البيان`` after ``في
        بيان صادر عن X`` or ``وقال X في بيان``; GUIDELINES decision 18), or None: the nearest earlier mention of
        the same noun (within ~300 words) that names its issuer after it, or that stands between an earlier
        quote's cue and its content (that quote's speaker)."""
        t = self.tk.t
        stem = q["actor"].key[2:]
        c = q["cue"]
        mention = q.get("mention") or ()
        skip = {k for x, y in mention for k in range(x, y)}
        for k in range(c.tok - 1, max(-1, c.tok - 300), -1):
            w = t[k]
            if k in skip or stem not in w:
                continue
            base = w[1:] if w[:1] in "وبف" and not w.startswith(stem) else w
            base = base[2:] if base.startswith("ال") else base
            if not (base.startswith(stem) and len(base) - len(stem) <= 1):
                continue
            for q2 in quotes:
                if q2 is not q and q2["cue"].tok < k < q2["tokrange"][0]:
                    return q2["actor"]
            if k + 1 >= len(t) or t[k + 1] not in ("صادر", "الصادر", "صادرة", "الصادرة", "عن"):
                return None   # (بيان تسلمت وكالة ... نسخة منه: no issuer named)
            e = k + 1
            while e < len(t) and e - k < 14 and self.sent_id[e] == self.sent_id[k] and t[e] not in (
                    "،", ",", ".", ":", "؛", "(") and not self.tk.in_pair[e] != -1:
                e += 1
            iss = self._doc_issuer((k, e)) if base != w or _word_kind(w) else None
            if iss:
                iss = self._name_end(iss)
                ent = next(((x, y) for x, y, _ in self._ent_toks_now() if iss[0] <= x < iss[1]), None)
                return self._actor_for([ent or iss], c, actors)
            return None
        return None

    def _fullest(self, a: Actor, named: list, actors) -> Actor:
        """The actor with the fullest name for ``a``: a surname or short name → the one longer name containing
        it; a role → the named actor that holds it (:meth:`_role_holder`); else ``a``."""
        words = a.key.split()
        if words and not _word_kind(words[0]) and len(words) <= 2:
            longer = [b for b in named if b is not a and len(b.key.split()) > len(words)
                      and _contains_words(b.key, a.key) and len(b.key.split()) <= 4]
            keys = {b.key for b in longer}
            return longer[0] if len(keys) == 1 else a
        if words and _kind_of(words[0]) == "title":
            return self._role_holder(a, words, actors)
        if len(words) == 1 and words[0].startswith("ال") and _word_kind(words[0])[0] == "org":
            # a bare definite organisation noun (التحالف، الجماعة) → the organisation the article named with it,
            # when its longer names nest (قوات التحالف ⊂ قيادة قوات التحالف العربي): the shortest
            bare = words[0][2:]
            longer = {b.key: b for b in actors if b is not a and b.key and 2 <= len(b.key.split()) <= 4
                      and b.first < a.first and self._org_named_by(b.key.split(), words[0], bare)}
            if longer:
                short = min(longer, key=lambda k: len(k.split()))
                if all(_contains_words(k, short) for k in longer):
                    return longer[short]
        return a

    @staticmethod
    def _org_named_by(bw: list, noun: str, bare: str) -> bool:
        """Whether the name ``bw`` (words) names the organisation a bare definite noun (``noun``, ``bare`` without
        its article) refers back to: it holds the noun (الشرطة البريطانية، قيادة قوات التحالف العربي) or opens with its
        indefinite form (حركة حماس); not a person who speaks for it (متحدثة باسم الشرطة، مصدر في الاتحاد), nor a
        phrase that swallowed a document noun (التحالف بيان)."""
        if (_word_kind(bw[-1]) or ("",))[0] == "doc" or (_word_kind(bw[0]) or ("",))[0] == "title":
            return False
        return bw[0] == bare or _contains_words(" ".join(bw), noun)

    def _role_holder(self, a: Actor, words: list, actors) -> Actor:
        """A definite role (``الرئيس``) → the actor last mentioned with it; an indefinite role (``دبلوماسي بريطاني
        بارز``) → the actor introduced later with a role of the same class and nationality (else an earlier
        one); ``a`` when none."""
        cands = self._role_candidates(a, words, actors)
        if not cands:
            return a
        prior = [b for b in cands if b.first <= a.first]
        if words[0].startswith("ال"):
            return prior[-1] if prior else a
        later = [b for b in cands if b.first > a.first]
        return later[0] if later else (prior[-1] if prior else a)

    def _role_candidates(self, a: Actor, words: list, actors) -> list:
        """The actors that may hold the role ``words`` of ``a``: with all its role words, or (indefinite role)
        a compatible one (:meth:`_role_compatible`)."""
        rt = {_strip_al(w) for w in words}
        cands = []
        for b in actors:
            if b is a or not b.role_tokens:
                continue
            bname = b.key.split()
            if bname and _word_kind(bname[0]):
                # b's own name is a role too: accept when it contains all the role words; two indefinite phrases
                # (each introduces its referent) only when a's words run unbroken in b's (مصادر أمنية محلية is not
                # مصادر أمنية وصحية محلية)
                if rt <= {_strip_al(w) for w in bname} and len(bname) > len(words) and (
                        words[0].startswith("ال") or bname[0].startswith("ال")
                        or _contains_words(b.key, a.key)):
                    cands.append(b)
                continue
            if rt <= b.role_tokens:
                cands.append(b)
            elif not words[0].startswith("ال") and self._role_compatible(words, b):
                cands.append(b)
        return cands

    def _role_compatible(self, words, b: Actor) -> bool:
        r = roles()
        cls_a = {r[w][2] for w in words if w in r}
        cls_b = {r[w][2] for w in b.role_tokens if w in r} | {r["ال" + w][2] for w in b.role_tokens if "ال" + w in r}
        if not (cls_a & cls_b) or cls_a <= {"honorific"}:
            return False
        pl = places()
        nat_a = {pl["nisbas"].get(_strip_al(w)) for w in words} - {None}
        nat_b = {pl["nisbas"].get(w) for w in b.role_tokens} | {w for w in b.role_tokens if w in pl["countries"]}
        nat_b = {fold(x) if x else x for x in nat_b} - {None}
        nat_a = {fold(x) for x in nat_a}
        return bool(nat_a & nat_b)
