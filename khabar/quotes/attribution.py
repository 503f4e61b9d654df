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
5. media subjects (``وذكرت وكالة رويترز``) and prepositional attributions (``بحسب الجيش``) are sources, not
   speakers (GUIDELINES decision 1); ``كما تقول المصادر`` / ``وفق ما أفاد المرصد`` attribute the clause before;
6. implicit speakers (وأضاف، مضيفا، ووصفتها) take the subject of an earlier cue of the same sentence, else an
   agreeing actor of the sentence, else the last speaker that agrees in gender/number with the verb;
7. speakers are resolved to the fullest name the article gives: a surname to the full name, a definite role
   (``الرئيس``) to the actor last mentioned with it, an indefinite role (``دبلوماسي بريطاني بارز``) to the
   named actor introduced later with a role of the same class and nationality.

All matching runs on the folded view of the text (:func:`khabar.text.normalize.normalize`); spans are mapped back
to the original text at the end.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..document import Span
from ..text.normalize import fold, normalize
from .lexicon import alternation, cues, media, places, roles, verbs
from .marks import ALL_MARKS, Toks, tokenize_folded

# ------------------------------------------------------------------------------------------------ word classes
COMP = {"ان", "بان", "الا", "بالا", "وان", "وبان"}
PRON_SUF = ("ه", "ها", "هم", "هما", "هن", "ني", "نا", "كم")
NOT_LINK_BEFORE = {"دون", "بدون", "قبل", "بعد", "منذ", "رغم", "برغم", "بدل", "بدلا", "حتي", "لو", "يمكن", "يجب",
                   "من", "ما", "يمكنه", "سبق", "الا", "لدرجة", "بعيد", "عقب", "حين", "وقبل", "وبعد"}
STOP_PREP = {"في", "خلال", "علي", "عبر", "امام", "اثناء", "عقب", "بعد", "قبل", "منذ", "حيث", "مع", "عن", "الي",
             "إلى", "لـ", "ل", "ايضا", "كذلك", "بدوره", "بدورها", "بالقول", "اذ", "حينها", "انذاك", "وهو", "وهي",
             "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "بينما", "فيما", "لكن", "ولكن", "ثم",
             "عندما", "كما", "وذلك", "بشان", "حول", "ازاء", "تجاه", "ضمن", "بين", "عند", "لدي", "وسط", "قرب",
             "اليوم", "امس", "غدا", "مساء", "صباح", "ليل", "ليلة", "فجر", "ظهر", "يوم", "الان", "مؤخرا", "سابقا",
             "لاحقا", "مجددا", "أمس", "ب", "فيه", "فيها", "عنه", "عنها", "له", "لها", "لهم", "بذلك", "بهذا", "بهذه",
             "انه", "انها", "قد", "لقد", "ان", "بان", "منه", "منها", "اليه", "اليها", "عليه", "عليها"}
KEEP_PREP = {"باسم", "لدي", "في", "من"}
CIRC_NOUNS = None  # filled lazily from cues.json
# words that may stand between a reporting verb and its subject (وقال أيضا الوزير، نفى مرارا وتكرارا ...), folded
_BEFORE_SUBJECT = frozenset({"بدوره", "بدورها", "ايضا", "كذلك", "،", ",", "مجددا", "مرارا", "وتكرارا", "تكرارا",
                             "رسميا", "علنا", "صراحة", "سابقا", "لاحقا", "مؤخرا", "اخيرا", "حاليا", "بالفعل",
                             "امس", "اليوم"})
# without a clause (a noun object), only these: an adverb there may as well precede the object (نفى مرارا تأييده)
_BEFORE_SUBJECT_NO_LINKER = frozenset({"بدوره", "بدورها", "ايضا", "كذلك", "،", ","})
_REL_PRON = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "اللاتي"})
REL = {"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "ممن", "وهو", "وهي", "وهم"}
TIME = {"الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعة", "السبت", "امس", "اليوم", "غدا", "مساء",
        "صباح", "ليل", "ليلة", "فجر", "ظهر", "يوم", "الاسبوع", "الشهر", "العام", "حينها", "انذاك", "مؤخرا"}
FRONT_BOUND = {"وكان", "وكانت", "كان", "كانت", "لكن", "ولكن", "كما", "ثم", "بينما", "فيما", "ان", "بان", "وان",
               "انه", "انها", "اذ", "حيث", "وقد", "قد", "فقد", "لقد", "و", "حين", "حينما", "عندما", "بعدما",
               "وكانوا", "كانوا", "وما", "زال", "مازال", "تزال", "يزال", "مازالت", "ومازالت", "ولا", "لا"}
TITLE_LABEL = {"بعنوان", "عنوان", "باسم", "اسم", "المسمي", "المسماة", "يسمي", "تسمي", "شبكة", "قناة", "صحيفة",
               "برنامج", "كتاب", "فيلم", "عملية", "حملة", "حركة", "حزب", "مجلة", "موقع", "وكالة", "بحاملة",
               "حاملة", "شعار", "تحالف", "مبادرة", "خطة", "مشروع", "جماعة", "تنظيم", "منظمة", "جبهة", "قوات",
               "مسمي", "بمسمي", "ووكالة", "وموقع", "وقناة", "بحركة", "لقب", "بلقب", "هاشتاغ", "وسم"}
CONT_CLASSES = {"continue"}
PARTICIPLE = "participle"
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]+")


@lru_cache(maxsize=None)
def _circ() -> set:
    return set(cues()["circumstantial_nouns"])


@lru_cache(maxsize=None)
def _cue_re():
    forms = verbs().forms
    alt = alternation(forms)
    return regex.compile(
        rf"(?<![\p{{L}}\p{{M}}])(?P<pre>وب|ول|و|ف|ب|ل)?(?P<form>{alt})(?P<obj>ه|ها|هم|هما|هن|ني|نا|كم)?(?![\p{{L}}\p{{M}}])")


@lru_cache(maxsize=None)
def _cue_table() -> dict:
    """Every written variant of a cue word (clitic prefix + form + object pronoun) → (prefix, form, suffix, VerbForm):
    one dictionary look-up per token instead of a large regex alternation tried at every position."""
    table = {}
    for form, f in verbs().forms.items():
        if f.kind == "masdar":
            pres = ("", "و", "ب", "وب", "ل", "ول", "ف")
            if form == "قول":
                pres = ("ب", "وب", "ل", "ول")
        else:
            pres = ("", "و", "ف")
        objs = ("",) + (("ه", "ها", "هم", "هما", "هن", "ني", "نا", "كم") if f.kind in ("past", "present") else ())
        for pre in pres:
            for obj in objs:
                table.setdefault(pre + form + obj, (pre, form, obj, f))
    # a bare form wins over a prefixed reading of another word (وصف is وصف, not و + صف)
    for form, f in verbs().forms.items():
        table[form] = ("", form, "", f)
    return table


_DOC_CUE = regex.compile(r"(?<![\p{L}])(?P<pre>و|ف)?(?P<form>جاء|ورد)\s+(?P<fi>فيه|فيها|في)(?![\p{L}])")
_SRC_CUE = regex.compile(
    r"(?<![\p{L}])(?P<cue>(?:و|ف)?(?:وفقا|وفقً?ا|طبقا)\s*(?:ل(?:ـ)?|لما|ما)?|(?:و|ف)?(?:بحسب|حسب|وفق)(?:\s*ما)?|حسبما|(?:و|ف)?نقلا\s+عن|(?:و|ف)?استنادا\s+(?:الي|إلى))(?![\p{L}])")


# ------------------------------------------------------------------------------------------------ data classes
@dataclass
class Cue:
    tok: int                 # token index of the cue word
    s: int                   # folded offsets of the cue text (with its prefix)
    e: int
    lemma: str
    cls: str
    kind: str                # past | present | participle | masdar | doc
    gender: str
    prep: str
    noun_object: bool
    has_obj: bool = False


@dataclass
class Actor:
    name: str                # folded-independent display text (original substring)
    key: str                 # folded name
    mentions: list = field(default_factory=list)
    gender: str = "?"
    kind: str = "PER"
    role_tokens: set = field(default_factory=set)
    first: int = 0


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


# ------------------------------------------------------------------------------------------------ helpers
# prepositional addressees and outlets after a speaker's name: "قال X للصحفيين / لوكالة ..." (folded forms)
_ADDRESSEE = {"للصحفيين", "للصحافيين", "للصحافة", "للاعلاميين", "للاعلام", "لقناة", "لوكالة", "لصحيفة", "لموقع",
              "لتلفزيون", "للتلفزيون", "لاذاعة", "للاذاعة", "لراديو", "لمجلة", "لشبكة", "لجريدة", "للقناة", "للوكالة",
              "للصحيفة", "للموقع", "للمجلة", "للشبكة", "للجريدة", "للمراسلين", "للحاضرين", "للجمهور"}


def _strip_al(w: str) -> str:
    for p in ("وال", "بال", "لل", "ال", "فال"):
        if w.startswith(p) and len(w) > len(p) + 1:
            return w[len(p) - (1 if p == "لل" else 0):] if p == "لل" else w[len(p):]
    return w


def _is_comp(tok: str) -> tuple[bool, int]:
    """(is a complementiser, how many leading characters to drop for ألا → لا)."""
    if tok in COMP:
        return True, (1 if tok in ("الا", "بالا") else 0)
    for base in ("ان", "بان", "وان", "وبان", "فان"):
        if tok.startswith(base) and tok[len(base):] in PRON_SUF:
            return True, 0
    return False, 0


def _word_kind(w: str):
    """roles-lexicon entry of a word (with و/ب/ل clitics tried off)."""
    r = roles()
    if w in r:
        return r[w]
    for p in ("و", "ب", "ل", "وب", "ول"):
        if w.startswith(p) and w[len(p):] in r:
            return r[w[len(p):]]
    if w.startswith("لل") and "ال" + w[2:] in r:
        return r["ال" + w[2:]]
    return None


def _is_media_np(words: list[str]) -> bool:
    if not words:
        return False
    m = media()
    w0 = words[0]
    if w0.startswith("و") and w0[1:] in m["nouns"]:
        w0 = w0[1:]
    two = " ".join([w0] + words[1:2])
    if w0 in m["nouns"] or two in m["nouns"]:
        return True
    joined = " ".join([w0] + words[1:])
    for k in range(min(4, len(words)), 0, -1):
        if " ".join([w0] + words[1:k]) in m["outlets"]:
            return True
    return joined in m["outlets"]


# ------------------------------------------------------------------------------------------------ main
class Analyzer:
    def __init__(self, text: str, view=None, entities=None):
        self.text = text
        self.view = view if view is not None else normalize(text)
        self.ft = self.view.text
        self.tk: Toks = tokenize_folded(self.ft)
        self.entities = entities or ()
        self.start_index = {s: i for i, s in enumerate(self.tk.s)}
        self._part_starts: set = set()
        self._cue_toks: frozenset = frozenset()
        self.sent_id = self._sentence_ids()

    # -- structure ---------------------------------------------------------------------------------------
    def _sentence_ids(self):
        tk = self.tk
        out = [0] * len(tk)
        sid = 0
        for i in range(len(tk)):
            if i and (tk.para[i] != tk.para[i - 1] or tk.sent_end[i - 1]):
                sid += 1
            out[i] = sid
        return out

    def tok_at(self, pos: int) -> int:
        import bisect
        return max(0, bisect.bisect_right(self.tk.s, pos) - 1)

    def orig(self, a: int, b: int) -> tuple[int, int]:
        return self.view.to_original(a, b)

    # -- cues ----------------------------------------------------------------------------------------------
    def find_cues(self) -> list[Cue]:
        table = _cue_table()
        tk = self.tk
        out = []
        for i, w in enumerate(tk.t):
            hit = table.get(w)
            if hit is None:
                continue
            pre, form, obj, f = hit
            out.append(Cue(i, tk.s[i], tk.e[i], f.lemma, f.cls, f.kind, f.gender, f.prep, f.noun_object, bool(obj)))
        for m in _DOC_CUE.finditer(self.ft):
            i = self.start_index.get(m.start())
            if i is None:
                continue
            out.append(Cue(i, m.start(), m.end(), "جاء في", "doc", "doc", "m", "", False, m.group("fi") != "في"))
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

    # -- subject parsing -------------------------------------------------------------------------------------
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
            if len(w) == 1 and not w.isalnum() and w not in ("-", "(", ")"):
                break
            j += 1
        parts.append((cur_s, j))
        parts = [(a, b) for a, b in parts if b > a]
        return parts

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
        if w in ("في", "من") and k + 1 < n:
            return self._circumstantial_at(k)
        if w in KEEP_PREP:
            return False
        if w == "عن" and k > i and t[k - 1] in ("صادر", "الصادر", "صادرة", "الصادرة"):
            return False
        if w in STOP_PREP:
            return True
        if w == "للانباء" and k > i and t[i] in ("وكالة", "الوكالة", "وكاله", "الوكاله"):
            return False  # وكالة رويترز للأنباء: the agency's full name
        return k > i and self._addressee_at(k)

    def _circumstantial_at(self, k: int) -> bool:
        """في/من at token k opens a circumstantial phrase (في بيان، في وقت، في حين، من جهته)."""
        t = self.tk.t
        nxt = t[k + 1]
        if _strip_al(nxt) in _circ() or nxt in _circ() or nxt in TIME or nxt in ("وقت", "جهته", "جهتها", "جانبه", "جانبها", "ناحيته", "حديث", "حين"):
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

    def parse_cue(self, c: Cue, cue_toks: frozenset = frozenset()):
        """Pass 3 for one cue: a dict with its linker (kind, token, content start offset; None when the cue
        governs no clause), its subject parts (token ranges, :meth:`_np_after`), the region between the cue and
        the linker, and the token limit of the search (the sentence, at most 45 tokens)."""
        region_start, limit = self._cue_region(c)
        linker, end_subj = self._find_linker(c, region_start, limit, cue_toks)
        rs = self._subject_start(c, region_start, end_subj, linker)
        subj_parts = []
        if c.kind in ("past", "present", "doc"):
            subj_parts = self._np_after(rs, end_subj) if end_subj > rs else []
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
        k = j
        while k < limit:
            if k in cue_toks and k > c.tok:
                break
            linker, nxt = self._linker_at(c, k, limit)
            if linker is not None:
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
            if close >= 0 and self._is_label(k):
                return None, close + 1
            return ("mark", k, tk.s[k]), None
        if w == ":":
            return ("colon", k, tk.e[k]), None
        is_c, drop = _is_comp(w)
        if is_c:
            prev = tk.t[k - 1] if k > 0 else ""
            if prev in NOT_LINK_BEFORE or (w == "الا" and k + 1 < len(tk) and tk.t[k + 1] in ("ان", "انه", "انها")):
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
        return bool(prev in TITLE_LABEL or _strip_al(prev) in TITLE_LABEL
                    or (inner and all(regex.fullmatch(r"[a-z0-9 .&-]+", x) for x in inner))
                    or (prev != ":" and len(inner) <= 3
                        and close >= 0 and close + 1 < n and not tk.sent_end[close + 1]
                        and _WORD.fullmatch(t[close + 1]) is not None and not _is_comp(t[close + 1])[0]))

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
            return ("prepnoun", k, tk.e[k]), None
        return None, None

    def _subject_start(self, c: Cue, rs: int, end_subj: int, linker) -> int:
        """The first token of the subject in the region [rs, end_subj): past a quoted name after لـ, a relay's
        عنه, and adverbs between the verb and its subject (وقال أيضا الوزير، من جهته)."""
        tk = self.tk
        t = tk.t
        if rs < end_subj and t[rs] in ("ل",) and rs + 1 < end_subj:
            rs = (tk.pair_of[rs + 1] + 1) if (rs + 1) in tk.pair_of and tk.pair_of[rs + 1] > 0 else rs + 2
        if rs < end_subj and c.cls == "relay" and t[rs] in ("عنه", "عنها", "عنهم"):
            rs += 1
        before = _BEFORE_SUBJECT if linker else _BEFORE_SUBJECT_NO_LINKER
        while rs < end_subj and (t[rs] in before
                                 or (t[rs] == "من" and rs + 1 < end_subj and t[rs + 1] in ("جهته", "جهتها", "جانبه", "جانبها"))):
            rs += 2 if t[rs] == "من" else 1
        return rs

    def _pair_words(self, o: int) -> list[str]:
        tk = self.tk
        c = tk.pair_of.get(o, -1)
        end = c if c >= 0 else min(len(tk), o + 40)
        return [tk.t[k] for k in range(o + 1, end) if _WORD.fullmatch(tk.t[k])]

    # -- content ---------------------------------------------------------------------------------------------
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
                if k > start_tok and t[k] in ("دون", "بدون") and k + 1 < n and t[k + 1] == "ان":
                    # "...، دون أن يقدم سببا": how the words were said, not what was said
                    return k - 1 if t[k - 1] in ("من", "،", ",") and k - 1 > start_tok else k
                if t[k] in ("،", ",", "؛", ";", "-", "–") and k + 1 < n and self._new_clause_after(k, cue_starts):
                    return k
            k += 1
        return n

    def _new_clause_after(self, k: int, cue_starts: set) -> bool:
        """The punctuation at token k is followed by a new clause: a cue that starts one (also after كما، ثم،
        فيما، في حين ...), an attribution of the clause (``، كما جاء في``, ``، وفقا لـ``), a new reporting verb
        with و (``، ودعا``), or ``، وأن`` (a new quote under the same verb)."""
        tk = self.tk
        t = tk.t
        n = len(tk)
        nxt = t[k + 1]
        nxt2 = t[k + 2] if k + 2 < n else ""
        if (k + 1) in cue_starts or (nxt in ("كما", "ثم", "فيما", "بينما", "لكن", "وكما") and (k + 2) in cue_starts):
            return True
        if nxt in ("كما", "وكما") and (k + 2) in self._cue_toks:
            return True  # "...، كما جاء في مجلة ...": an attribution of the clause, not part of it
        if (k + 1) in self._cue_toks and nxt.startswith("و"):
            return True  # "...، ودعا الحبر الأعظم ...": a new reporting verb after a comma, a new clause
        if nxt == "في" and nxt2 == "حين" and (k + 3) in cue_starts:
            return True
        if _is_comp(nxt)[0] and nxt.startswith("و"):
            return True
        return bool(_SRC_CUE.match(self.ft, tk.s[k + 1]))

    # -- the sieve -------------------------------------------------------------------------------------------
    def run(self) -> Result:
        """The passes of the module docstring, in order.  Pass 1 (tokens, paired marks) is made with the analyzer;
        passes 4 to 6 run cue by cue, in text order, because a cue's speaker may be an earlier cue's
        (:meth:`_attribute`)."""
        cues_ = self.find_cues()                                        # 2. reporting cues
        parsed = self._parse_cues(cues_)                                # 3. subject and linker of each cue
        st = _Sieve(cue_starts=self._clause_starts(cues_, parsed),      # 4. where a new clause starts
                    sources=list(self.prepositional_sources()))         # 5. بحسب X / وفقا لـ X
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
        self._part_starts = {c.tok for c in cues_ if c.kind == PARTICIPLE and self.tk.t[c.tok].endswith("ا")
                             and self._comp_follows(c.tok)}
        return {c.tok for c, p in parsed if p["linker"] is not None or c.kind == PARTICIPLE or c.cls == "continue"}

    def _attribute(self, c: Cue, p: dict, st: "_Sieve") -> None:
        """Passes 4 to 6 for one cue: the first reading that applies, in this order -- a media or document
        subject (a source), a cue without a clause (a noun object, quoted words, an attribution of the clause
        before), an impersonal passive (nothing), a clause with its speaker."""
        if self._not_reported(c, st.covered):
            return
        if self._media_subject(c, p, st) or self._document_relay(c, p, st):
            return
        if p["linker"] is None:
            self._without_clause(c, p, st)
        elif not self._impersonal(c, p):
            self._clause_quote(c, p, st)

    def _not_reported(self, c: Cue, covered) -> bool:
        """A cue that reports nothing of its own: inside content already taken, negated or hypothetical after a
        particle (لم يقل، قبل أن يعلن، دون أن يذكر)."""
        t = self.tk.t
        if any(a <= c.tok < b for a, b in covered):
            return True
        if c.tok >= 2 and t[c.tok - 1] in ("ان", "لم", "لن") and t[c.tok - 2] in NOT_LINK_BEFORE | {"ولم", "لم"}:
            return True
        return c.tok >= 1 and t[c.tok - 1] in ("دون", "بدون")

    def _media_subject(self, c: Cue, p: dict, st: "_Sieve") -> bool:
        """Pass 5, media subjects (``وذكرت وكالة رويترز``): a source, not a speaker (GUIDELINES decision 1);
        False when the cue has no media subject."""
        t = self.tk.t
        subj = p["subj"]
        if not (subj and _is_media_np([t[k] for k in range(subj[0][0], subj[0][1])]) and c.kind != PARTICIPLE
                and c.cls != "inform"):
            return False
        a, b = subj[0]
        if not (c.tok and t[c.tok - 1] in ("ما", "لما")):
            st.sources.extend(self._media_sources(a, b, (c.s, c.e)))
        if c.cls == "relay" or "عن" in t[p["region"][0]:p["region"][1]]:
            self._relayed_quote(c, p, st)
        return True

    def _relayed_quote(self, c: Cue, p: dict, st: "_Sieve") -> None:
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

    def _document_relay(self, c: Cue, p: dict, st: "_Sieve") -> bool:
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

    def _without_clause(self, c: Cue, p: dict, st: "_Sieve") -> None:
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

    def _clause_quote(self, c: Cue, p: dict, st: "_Sieve") -> None:
        """Pass 4, a clause after its linker: the quote, its speaker (pass 6; a second one for two coordinated
        states) and the ``، وأن ...`` clauses under the same verb."""
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
        if actor is not None:
            st.sent_subject[sid] = actor
            st.last_speaker.append((actor, self._verb_gender(c, actor)))
        self._and_that_quotes(c, p, actor, q["tokrange"][1], st)

    def _clause_speaker(self, c: Cue, subj, sid: int, st: "_Sieve"):
        """Pass 6, the speaker of a clause: (actor, mention, coordinated states or None).  In order: the subject
        before an inform/urge verb, the first of two coordinated states (موسكو ودمشق تقولان), the subject after
        the verb, a subject before it (``وكان X قد أكد``), else the implicit speaker (:meth:`_implicit`)."""
        actors = st.actors
        actor, mention = None, None
        if c.cls in ("inform", "urge") and c.kind == "past":
            pre = self._subject_before(c.tok)
            if pre:
                actor, mention = self._actor_for([pre], c, actors), [pre]
        coord = self._coordinated_places(subj) if actor is None and subj and c.kind != PARTICIPLE else None
        if coord:
            a0 = coord[0]
            actor, mention = self._actor_for([(a0, a0 + 1)], c, actors), [(a0, a0 + 1)]
        if actor is None and subj and c.kind != PARTICIPLE:
            actor, mention = self._actor_for(subj, c, actors), subj
        if actor is None and ((c.kind in ("past", "present") and not c.has_obj) or (c.cls == "inform" and subj)):
            pre = self._subject_before(c.tok)
            if pre:
                actor, mention = self._actor_for([pre], c, actors), [pre]
        if actor is None:
            actor, mention = self._implicit(c, sid, st.last_speaker, st.sent_subject, actors), None
        return actor, mention, coord

    def _and_that_quotes(self, c: Cue, p: dict, actor, end_tok: int, st: "_Sieve") -> None:
        """``...، وأن ...`` right after a quote: a separate quote with the same cue and speaker, each in turn."""
        tk = self.tk
        t = tk.t
        while end_tok < len(tk) and t[end_tok] in ("،", ",") and end_tok + 1 < len(tk) \
                and _is_comp(t[end_tok + 1])[0] and t[end_tok + 1].startswith("و"):
            lk = ("comp", end_tok + 1, tk.e[end_tok + 1])
            q2 = self._make_quote(c, lk, p, st.cue_starts, actor, None)
            if q2 is None:
                break
            st.quotes.append(q2)
            st.covered.append(q2["tokrange"])
            end_tok = q2["tokrange"][1]

    # -- quotes from a linker ------------------------------------------------------------------------------
    def _make_quote(self, c: Cue, linker, p, cue_starts, actor, mention):
        """Pass 4, the quote a linker introduces: ``direct`` when one pair of marks encloses all of the clause,
        else ``indirect`` up to the clause end; None when there is no content."""
        start = self._content_start(linker)
        if start is None:
            return None
        k, cstart = start
        tk = self.tk
        if tk.t[k] in ALL_MARKS and k in tk.pair_of:
            done, q = self._direct_quote(c, k, cue_starts, actor, mention)
            if done:
                return q
        return self._indirect_quote(c, k, cstart, cue_starts, actor, mention)

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
        if sum(1 for q in range(a, b) if _WORD.fullmatch(t[q])) < 1:
            return None
        return self._q(c, s0, tk.e[b - 1], "indirect", actor, mention, (k, end))

    def _object_after_verb(self, c, speaker, cue_starts: set, sid: int, actors):
        """An indirect quote of a noun-object verb said by ``speaker`` (a mention before the verb): everything from
        after the verb to the clause end, trailing punctuation left out; None when nothing is left."""
        t, tk = self.tk.t, self.tk
        end = self.clause_end(c.tok + 1, cue_starts, sid)
        b = end
        while b > c.tok + 1 and len(t[b - 1]) == 1 and not t[b - 1].isalnum():
            b -= 1
        if b <= c.tok + 1:
            return None
        actor = self._actor_for([speaker], c, actors)
        return self._q(c, tk.s[c.tok + 1], tk.e[b - 1], "indirect", actor, [speaker], (c.tok + 1, end))

    def _q(self, c, s, e, kind, actor, mention, tokrange):
        if e <= s:
            return None
        return {"s": s, "e": e, "kind": kind, "cue": c, "actor": actor, "mention": mention, "tokrange": tokrange}

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

    def _noun_object_quote(self, c, p, cue_starts, subj, actors, last_speaker, sent_subject):
        """Pass 4 for a cue without a linker: quoted words the verb attributes (:meth:`_quoted_words`), else the
        noun object of an announce/deny verb -- said by a relative pronoun's antecedent or a subject before the
        verb (:meth:`_object_of_speaker_before`), or following the subject (:meth:`_object_after_subject`)."""
        sid = self.sent_id[c.tok]
        q = self._quoted_words(c, p, subj, actors, last_speaker, sent_subject, sid)
        if q is not None:
            return q
        if not c.noun_object or c.kind not in ("past", "present"):
            return None
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
                if prev in TITLE_LABEL or _strip_al(prev) in TITLE_LABEL:
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
        if b - k < 1:
            return None
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

    # -- NER entities on the folded tokens ---------------------------------------------------------------------
    def _entity_starting(self, k: int, labels=("PER", "ORG", "LOC", "MISC")):
        """The NER entity of one of ``labels`` that starts in token k (after at most a one-letter proclitic)."""
        s0, e0 = self.orig(self.tk.s[k], self.tk.e[k])
        for ent in self.entities:
            if ent.label in labels and s0 <= ent.start < e0 and ent.start - s0 <= 1:
                return ent
        return None

    def _entity_end(self, ent, k: int, limit: int) -> int:
        """The first token at or after k (and before ``limit``) that starts at or after the entity's end."""
        tk = self.tk
        while k < limit and self.orig(tk.s[k], tk.e[k])[0] < ent.end:
            k += 1
        return k

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
            from ..ner.features import normalize as ner_norm
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

    # -- speakers ------------------------------------------------------------------------------------------
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
                if kind and kind[0] in ("org", "group", "title") and k + 1 < i and t[k - 1] not in ("من", "في", "الي", "علي", "عن", "ب", "ل"):
                    parts = self._np_after(k, i)
                    if parts:
                        a = self._register(actors, parts[0], "ORG" if kind[0] == "org" else "PER", kind[1])
                        out.append(a)
            if t[k] in ALL_MARKS and k in tk.close_of:
                o = tk.close_of[k]
                if o + 1 < k and _word_kind(t[o + 1]) and _word_kind(t[o + 1])[0] == "org":
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
        if subj and c.kind != PARTICIPLE:
            a = self._actor_for(subj, c, actors)
            if a:
                return a
        return self._implicit(c, sid, last_speaker, sent_subject, actors)

    def _actor_for(self, parts, c: Cue, actors):
        """The actor named by a subject noun phrase (parts: token ranges of the head and its appositions)."""
        if not parts:
            return None
        t = self.tk.t
        head = parts[0]
        hw = [t[k] for k in range(*head)]
        if not hw:
            return None
        hk = _word_kind(hw[0])
        kind, gender = self._actor_kind(hw, hk, c)
        name_part = self._name_part(parts, hw, hk)
        span = name_part or (parts[0][0], parts[-1][1] if (hk and hk[1] == "pl") else parts[0][1])
        a = self._register(actors, span, kind, gender)
        self._note_roles(a, parts)
        return a

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
            for a, b in parts[1:]:
                w0 = t[a]
                if not _word_kind(w0) and b - a <= 4 and not w0.startswith("و"):
                    return (a, b)
        if len(parts) > 1 and not hk:
            return head
        if title and hw[0].startswith("ال"):
            return self._leading_name(head) or self._trailing_name(head)
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

    def _orig_word(self, k: int) -> str:
        a, b = self.orig(self.tk.s[k], self.tk.e[k])
        return self.text[a:b]

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
        if not k0 or k0[2] not in ("honorific", "military") or a + 1 >= b or not self._name_like(t[a + 1]):
            return None
        k = a + 1
        while k < b and k - a <= 4 and (self._name_like(t[k]) or (k > a + 1 and t[k].startswith("ال")
                                                                   and not _word_kind(t[k]))):
            k += 1
            if t[k - 1].startswith("ال"):
                break
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

    def _key(self, span):
        tk = self.tk
        return " ".join(tk.t[k] for k in range(*span) if _WORD.fullmatch(tk.t[k]))

    def _register(self, actors, span, kind, gender, skip: int = 0):
        """The actor named by tokens span (``skip``: characters of a glued conjunction before the name, for a
        one-token span)."""
        key = self._key(span)[skip:]
        for a in actors:
            if a.key == key:
                if a.gender in ("?", "") and gender not in ("?", ""):
                    a.gender = gender
                return a
        s, e = self.orig(self.tk.s[span[0]] + skip, self.tk.e[span[1] - 1])
        name = self.text[s:e].strip(" ،,.:\"«»")
        a = Actor(name=name, key=key, gender=gender, kind=kind, first=span[0])
        a.mentions.append(key)
        actors.append(a)
        return a

    def _resolve(self, quotes, actors):
        """Pass 7: each quote's speaker, the fullest name of its actor (:meth:`_fullest`)."""
        named = [a for a in actors if a.key and not _word_kind(a.key.split()[0])]
        for q in quotes:
            a = q["actor"]
            q["speaker"] = None if a is None else self._fullest(a, named, actors).name

    def _fullest(self, a: Actor, named: list, actors) -> Actor:
        """The actor with the fullest name for ``a``: a surname or short name → the one longer name containing
        it; a role → the named actor that holds it (:meth:`_role_holder`); else ``a``."""
        words = a.key.split()
        if words and not _word_kind(words[0]) and len(words) <= 2:
            longer = [b for b in named if b is not a and len(b.key.split()) > len(words)
                      and _contains_words(b.key, a.key) and len(b.key.split()) <= 4]
            keys = {b.key for b in longer}
            return longer[0] if len(keys) == 1 else a
        if words and _word_kind(words[0]) and _word_kind(words[0])[0] == "title":
            return self._role_holder(a, words, actors)
        return a

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
                # b's own name is a role too: accept when it contains all the role words
                if rt <= {_strip_al(w) for w in bname} and len(bname) > len(words):
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

    # -- sources -------------------------------------------------------------------------------------------
    def prepositional_sources(self):
        """Pass 5, prepositional attributions (بحسب الجيش، وفقا لصحيفة X، نقلا عن Y): sources, as dicts of folded
        offsets with the cue's span."""
        tk = self.tk
        t = tk.t
        out = []
        for m in _SRC_CUE.finditer(self.ft):
            i = self.tok_at(m.end() - 1)
            j = i + 1
            if j >= len(tk):
                continue
            if t[j] in ("ما", "لما") or m.group("cue").endswith("ما"):
                out.extend(self._what_sources(m, j))
                continue
            if tk.in_pair[i] >= 0 and tk.pair_of.get(tk.in_pair[i], -1) - tk.in_pair[i] > 6:
                continue
            src = self._prepositional_source(m, j)
            if src is not None:
                out.append(src)
        return out

    def _what_sources(self, m, j: int) -> list:
        """``بحسب ما نقلته وكالة X``: the medium after the verb is a source (``وفق ما أفاد المرصد`` is a quote,
        handled with its verb: :meth:`_backward_quote`)."""
        tk = self.tk
        t = tk.t
        v = j + 1 if t[j] in ("ما", "لما") else j
        if v < len(tk) and _WORD.fullmatch(t[v]):
            parts = self._np_after(v + 1, min(len(tk), v + 12))
            if parts:
                x, y = parts[0]
                if _is_media_np([t[q] for q in range(x, y)]):
                    return self._media_sources(x, y, (m.start(), tk.e[v]))
        return []

    def _prepositional_source(self, m, j: int):
        """The source after the prepositional cue ``m`` (its noun phrase from token j: :meth:`_source_np`), or
        None when it is not plausibly one."""
        tk = self.tk
        t = tk.t
        a, b = self._source_np(j)
        if b <= a:
            return None
        words = [t[q] for q in range(a, b) if _WORD.fullmatch(t[q])]
        if not words:
            return None
        quoted = a > j or (a > 0 and t[a - 1] in ALL_MARKS)
        if not self._plausible_source(words, quoted):
            return None
        s_off = tk.s[a]
        w0 = t[a]
        # وفقا لصحيفة ...: the attached ل is the cue's, not the source's (but للأناضول keeps its لل)
        if m.group("cue").rstrip().endswith(("وفقا", "طبقا")) or m.group("cue").endswith("ل"):
            if w0.startswith("ل") and not w0.startswith("لل") and len(w0) > 2:
                s_off += 1
        return {"s": s_off, "e": tk.e[b - 1], "cue": (m.start(), m.end())}

    def _source_np(self, j: int) -> tuple[int, int]:
        """Token range of a source noun phrase from token j: at most 7 tokens, up to punctuation, a relative, a
        preposition (but من) or the sentence end; quoted names read whole; marks and punctuation around it
        left out."""
        tk = self.tk
        t = tk.t
        k = j
        if k < len(tk) and t[k] in ALL_MARKS:
            k += 1
        a = k
        while k < len(tk) and self.sent_id[k] == self.sent_id[j] and k - a < 7:
            w = t[k]
            if w in ("،", ",", ".", "؛", ":", ")", "(") or w in REL or tk.sent_end[k]:
                break
            if w in ALL_MARKS:
                if tk.close_of.get(k) is not None:
                    k += 1
                    continue
                if k in tk.pair_of:
                    k = (tk.pair_of[k] + 1) if tk.pair_of[k] > 0 else k + 1
                    continue
                break
            if k > a and (w in STOP_PREP and w not in ("من",)):
                break
            k += 1
        b = k
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum())):
            b -= 1
        while a < b and t[a] in ALL_MARKS:
            a += 1
        return a, b

    def _plausible_source(self, words, quoted) -> bool:
        m = media()
        w0 = words[0]
        w0b = w0[1:] if w0.startswith("ل") and not w0.startswith("لل") else w0
        w0c = "ال" + w0[2:] if w0.startswith("لل") else w0b
        if quoted:
            return True
        for w in (w0, w0b, w0c):
            if w in m["nouns"] or w in m["outlets"]:
                return True
            k = _word_kind(w)
            if k and k[0] in ("org", "doc", "title", "group") and w not in ("النظام", "القرار", "قرار"):
                return True
        if any(regex.fullmatch(r"[a-z][a-z0-9.&-]*", w) for w in words):
            return True
        for ent in self.entities:
            pass
        return False

    def _media_sources(self, a, b, cue_span):
        """The media noun phrase at tokens [a, b) and its coordinated media (قناة "X" وموقع "Y")."""
        tk = self.tk
        t = tk.t
        nouns = media()["nouns"]
        # a phrase read as one (قناة "X" وموقع "Y" التابعان لـ...): each medium apart, without the trailing
        # affiliation (التابع/التابعة/التابعان ... ل...)
        for q in range(a + 1, b):
            if t[q] in _AFFILIATION:
                b = q
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
            out.append(self._span_src(x, y, None, cue_span))
            k = y
        return out

    def _span_src(self, a, b, c, cue_span=None):
        tk = self.tk
        t = tk.t
        while b > a + 1 and t[b - 1].startswith("قول"):
            b -= 1
        while b > a and (t[b - 1] in ALL_MARKS or (len(t[b - 1]) == 1 and not t[b - 1].isalnum())):
            if tk.close_of.get(b - 1, -1) >= a:
                break  # the closing mark of a quoted name inside the span (قناة "المسيرة")
            b -= 1
        s = tk.s[a]
        w0 = t[a]
        if w0.startswith("و") and w0[1:] in media()["nouns"]:
            s += 1
        return {"s": s, "e": tk.e[b - 1], "cue": cue_span or (c.s, c.e)}

    # -- output ----------------------------------------------------------------------------------------------
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
        return out

    def _emit_sources(self, sources):
        out = []
        seen = set()
        text = self.text
        for sdict in sorted(sources, key=lambda x: x["s"]):
            s, e = self.orig(sdict["s"], sdict["e"])
            e = _past_marks(text, e)
            if e <= s or (s, e) in seen:
                continue
            seen.add((s, e))
            cs, ce = self.orig(*sdict["cue"])
            ce = _past_marks(text, ce)
            out.append(Span(s, e, "SOURCE", {"cue_text": text[cs:ce].strip(), "cue": [cs, ce]}))
        return out


# affiliation participles after a medium's name ("قناة المسيرة التابعة للحوثيين"), in the folded spelling
_AFFILIATION = frozenset({"التابع", "التابعه", "التابعة", "التابعان", "التابعتان", "التابعين", "التابعتين",
                          "التابعون"})


@lru_cache(maxsize=1)
def _corpus_rank() -> dict:
    """Frequency rank of news words (the NER tagger's word table; {} when the model is not installed)."""
    try:
        from ..ner.tagger import get_tagger
        return get_tagger().resources.rank
    except Exception:  # noqa: BLE001 - no NER model: the rule is skipped
        return {}


def _past_marks(text: str, e: int) -> int:
    """An end offset moved past the harakat that end its word (the folded view drops them: مشيراً, not مشيرا)."""
    n = len(text)
    while e < n and ("\u064b" <= text[e] <= "\u065f" or text[e] == "\u0670"):
        e += 1
    return e


def _contains_words(a: str, b: str) -> bool:
    aw, bw = a.split(), b.split()
    return any(aw[i:i + len(bw)] == bw for i in range(len(aw) - len(bw) + 1))


def analyze_attribution(text: str, view=None, entities=None) -> Result:
    return Analyzer(text, view, entities).run()


def for_document(doc) -> Result:
    """The attribution analysis of a Document, computed once and cached in its private ``_attribution`` layer."""
    cached = doc.layers.get("_attribution")
    if isinstance(cached, Result):
        return cached
    view = doc.layers.get("normalized")
    if view is None or getattr(view, "original_length", -1) != len(doc.text):
        view = normalize(doc.text)
    return analyze_attribution(doc.text, view, doc.layers.get("entities"))
