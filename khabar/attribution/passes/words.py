"""The attribution sieve's vocabulary: word classes of the folded text, the cue look-up table and patterns, the
cue and actor records, and small word tests shared by the passes (:mod:`khabar.attribution.sieve`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ...lexicon import cues, media, roles, verbs

# ------------------------------------------------------------------------------------------------ word classes
COMP = {"ان", "بان", "الا", "بالا", "وان", "وبان"}
PRON_SUF = ("ه", "ها", "هم", "هما", "هن", "ني", "نا", "كم")
NOT_LINK_BEFORE = {"دون", "بدون", "قبل", "بعد", "منذ", "رغم", "برغم", "بدل", "بدلا", "حتي", "لو", "يمكن", "يجب",
                   "من", "ما", "يمكنه", "سبق", "الا", "لدرجة", "بعيد", "عقب", "حين", "وقبل", "وبعد",
                   # verbs of ability, intent and obligation govern their own أن (استطاع أن يحقق): no report
                   "استطاع", "استطاعت", "يستطيع", "تستطيع", "اراد", "ارادت", "يريد", "تريد", "حاول", "حاولت",
                   "يحاول", "تحاول", "قرر", "قررت", "يجب", "ينبغي", "يتعين", "بامكان", "بامكانه", "عليه", "عليها",
                   "لابد", "بد", "يود", "تود", "ود", "يرغب", "ترغب", "اعتاد", "اعتادت", "يفضل", "تفضل"}
STOP_PREP = {"في", "خلال", "علي", "عبر", "امام", "اثناء", "عقب", "بعد", "قبل", "منذ", "حيث", "مع", "عن", "الي",
             "إلى", "لـ", "ل", "ايضا", "كذلك", "بدوره", "بدورها", "بالقول", "اذ", "حينها", "انذاك", "وهو", "وهي",
             "الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "بينما", "فيما", "لكن", "ولكن", "ثم",
             "عندما", "كما", "وذلك", "بشان", "حول", "ازاء", "تجاه", "ضمن", "بين", "عند", "لدي", "وسط", "قرب",
             "اليوم", "امس", "غدا", "مساء", "صباح", "ليل", "ليلة", "فجر", "ظهر", "يوم", "الان", "مؤخرا", "سابقا",
             "لاحقا", "مجددا", "أمس", "ب", "فيه", "فيها", "عنه", "عنها", "له", "لها", "لهم", "بذلك", "بهذا", "بهذه",
             "انه", "انها", "قد", "لقد", "ان", "بان", "منه", "منها", "اليه", "اليها", "عليه", "عليها"}
KEEP_PREP = {"باسم", "لدي", "في", "من"}
# words that may stand between a reporting verb and its subject (وقال أيضا الوزير، نفى مرارا وتكرارا ...), folded
_BEFORE_SUBJECT = frozenset({"بدوره", "بدورها", "ايضا", "كذلك", "،", ",", "مجددا", "مرارا", "وتكرارا", "تكرارا",
                             "رسميا", "علنا", "صراحة", "سابقا", "لاحقا", "مؤخرا", "اخيرا", "حاليا", "بالفعل",
                             "امس", "اليوم"})
# without a clause (a noun object), only these: an adverb there may as well precede the object (نفى مرارا تأييده)
_BEFORE_SUBJECT_NO_LINKER = frozenset({"بدوره", "بدورها", "ايضا", "كذلك", "،", ","})
_REL_PRON = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "اللاتي"})
REL = {"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "ممن", "وهو", "وهي", "وهم"}
TIME = {"الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعة", "السبت", "امس", "اليوم", "غدا", "مساء",
        "صباح", "ليل", "ليلة", "فجر", "ظهر", "يوم", "الاسبوع", "الشهر", "العام", "حينها", "انذاك", "مؤخرا",
        "عشية", "غداة"}  # (عشية / غداة: "on the eve of / the day after", time adverbs in construct)
FRONT_BOUND = {"وكان", "وكانت", "كان", "كانت", "لكن", "ولكن", "كما", "ثم", "بينما", "فيما", "ان", "بان", "وان",
               "انه", "انها", "اذ", "حيث", "وقد", "قد", "فقد", "لقد", "و", "حين", "حينما", "عندما", "بعدما",
               "وكانوا", "كانوا", "وما", "زال", "مازال", "تزال", "يزال", "مازالت", "ومازالت", "ولا", "لا"}
TITLE_LABEL = {"بعنوان", "عنوان", "باسم", "اسم", "المسمي", "المسماة", "يسمي", "تسمي", "شبكة", "قناة", "صحيفة",
               "برنامج", "كتاب", "فيلم", "عملية", "حملة", "حركة", "حزب", "مجلة", "موقع", "وكالة", "بحاملة",
               "حاملة", "شعار", "تحالف", "مبادرة", "خطة", "مشروع", "جماعة", "تنظيم", "منظمة", "جبهة", "قوات",
               "مسمي", "بمسمي", "ووكالة", "وموقع", "وقناة", "بحركة", "لقب", "بلقب", "هاشتاغ", "وسم"}
# nouns that a name in quotation marks follows (شركة "X"، قناتي "X"، مناورات "X"، مهرجان "X"): the marks enclose
# that name, not a speaker's words (error class 4); with the role lexicon's organisation heads (:func:`name_head`)
_NAME_HEADS = ("قناتي", "قناتا", "قنوات", "مناورات", "مناورة", "تمرين", "تمرينات", "تطبيق", "منصة", "مسلسل",
               "أغنية", "ألبوم", "مهرجان", "مؤتمر", "جائزة", "فندق", "مطعم", "نادي", "فريق", "صفحة", "حساب",
               "خدمة", "مؤسسة", "مسابقة", "بطولة", "دوري", "كأس", "سلسلة", "رواية", "ديوان", "معرض", "منتدى",
               "ملتقى", "خاصية", "ميزة", "لعبة", "تقنية", "جهاز", "هاتف", "منظومة", "مدرسة", "مستشفى", "شارع",
               "مجمع", "برج", "متحف", "ساحة", "ميدان", "صحف", "صحيفتي", "مجلتي", "موقعي", "شبكات", "مواقع",
               "مركز", "مجموعة", "شركة", "شركات", "وكالة", "عملية", "حملة", "برنامج", "كتاب", "فيلم", "مشروع",
               "تنظيم", "حركة", "حزب", "جماعة", "تيار", "ائتلاف", "حساب", "وسم", "هاشتاج", "هاشتاغ", "ماركة",
               "علامة", "طراز", "نوع", "فئة", "موديل", "طائرة", "طائرات", "صاروخ", "صواريخ", "سفينة", "غواصة",
               # works and venues (session 11, h15o): مسرحية "شعللنا الدوري"، ملعب "واندا ميتروبوليتانو"
               "مسرحية", "ملعب", "استاد", "قصيدة", "مسلسلات", "أفلام")


@lru_cache(maxsize=None)
def _name_heads() -> frozenset:
    from ...text.normalize import fold

    out = {fold(w) for w in _NAME_HEADS} | set(TITLE_LABEL)
    out |= {_strip_al(w) for w, (kind, _g, _c) in roles().items() if kind == "org"}
    return frozenset(out)


def name_head(w: str) -> bool:
    """A folded word after which words in quotation marks are a name (``شركة "X"``, ``لـ"عكاظ"``, ``#``): with
    its و/ب/ل/ال prefixes."""
    if w in ("ل", "لـ", "#", "مع", "ومع"):
        return True  # an addressee or a partner (قال لـ"عكاظ"، في مقابلة مع "العربية"), a hashtag
    heads = _name_heads()
    for v in (w, w[1:] if len(w) > 3 and w[0] in "وبلف" else w):
        if v in heads or _strip_al(v) in heads:
            return True
    return False


PARTICIPLE = "participle"
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}_]+")


@lru_cache(maxsize=None)
def _circ() -> set:
    return set(cues()["circumstantial_nouns"])


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


# negation particles before a verb (folded), with a glued و / ف: a negated announcement or disclosure with a noun
# object states nothing (ولم تعلن أي جهة مسؤوليتها، لم يكشف النادي عن مدة غيابه)
_NEGATORS = frozenset({"لم", "ولم", "فلم", "لا", "ولا", "فلا", "لن", "ولن", "فلن"})
_DOC_CUE = regex.compile(r"(?<![\p{L}])(?P<pre>و|ف)?(?P<form>جاء|ورد)\s+(?P<fi>فيه|فيها|في)(?![\p{L}])")
_SRC_CUE = regex.compile(
    r"(?<![\p{L}])(?P<cue>(?:و|ف)?(?:وفقا|وفقً?ا|طبقا|تبعا)\s*(?:ل(?:ـ)?|لما|ما)?|(?:و|ف)?(?:بحسب|حسب|وفق)(?:\s*ما)?|حسبما|(?:و|ف)?نقلا\s+عن|(?:و|ف)?استنادا\s+(?:الي|إلى))(?![\p{L}])")


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


# ------------------------------------------------------------------------------------------------ helpers
# prepositional addressees and outlets after a speaker's name: "قال X للصحفيين / لوكالة ..." (folded forms)
_ADDRESSEE = {"للصحفيين", "للصحافيين", "للصحافة", "للاعلاميين", "للاعلام", "لقناة", "لوكالة", "لصحيفة", "لموقع",
              "لتلفزيون", "للتلفزيون", "لاذاعة", "للاذاعة", "لراديو", "لمجلة", "لشبكة", "لجريدة", "للقناة", "للوكالة",
              "للصحيفة", "للموقع", "للمجلة", "للشبكة", "للجريدة", "للمراسلين", "للحاضرين", "للجمهور", "لوسايل"}


def _strip_al(w: str) -> str:
    for p in ("وال", "بال", "لل", "ال", "فال"):
        if w.startswith(p) and len(w) > len(p) + 1:
            return w[len(p) - (1 if p == "لل" else 0):] if p == "لل" else w[len(p):]
    return w


@lru_cache(maxsize=200_000)
def _is_comp(tok: str) -> tuple[bool, int]:
    """(is a complementiser, how many leading characters to drop for ألا → لا)."""
    if tok in COMP:
        return True, (1 if tok in ("الا", "بالا") else 0)
    for base in ("ان", "بان", "وان", "وبان", "فان"):
        if tok.startswith(base) and tok[len(base):] in PRON_SUF:
            return True, 0
    return False, 0


_WORD_KIND_CACHE: dict = {}
_WORD_KIND_ROLES: list = [None]


def _word_kind(w: str):
    """roles-lexicon entry of a word (with و/ب/ل clitics tried off); remembered per word while the lexicon is
    the same."""
    r = roles()
    if _WORD_KIND_ROLES[0] is not r:
        _WORD_KIND_CACHE.clear()
        _WORD_KIND_ROLES[0] = r
    try:
        return _WORD_KIND_CACHE[w]
    except KeyError:
        pass
    if len(_WORD_KIND_CACHE) > 200_000:
        _WORD_KIND_CACHE.clear()
    out = _WORD_KIND_CACHE[w] = _word_kind_uncached(w, r)
    return out


def _kind_of(w: str) -> str:
    """The roles-lexicon kind of a word (``title``, ``org``, ``doc`` ...; with و/ب/ل clitics tried off), "" for none."""
    k = _word_kind(w)
    return k[0] if k else ""


def _word_kind_uncached(w: str, r: dict):
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


# affiliation participles after a medium's name ("قناة المسيرة التابعة للحوثيين"), in the folded spelling
_AFFILIATION = frozenset({"التابع", "التابعه", "التابعة", "التابعان", "التابعتان", "التابعين", "التابعتين",
                          "التابعون"})


def _tagger_resource(name: str) -> dict:
    """One of the NER tagger's word resources ({} when the model is not installed: the rules using it are skipped)."""
    try:
        from ...ner.tagger import get_tagger
        return getattr(get_tagger().resources, name)
    except Exception:  # noqa: BLE001 - no NER model: the rule is skipped
        return {}


@lru_cache(maxsize=1)
def _corpus_rank() -> dict:
    """Frequency rank of news words (the NER tagger's word table; {} when the model is not installed)."""
    return _tagger_resource("rank")


@lru_cache(maxsize=1)
def _gazetteer() -> dict:
    """The NER tagger's gazetteer (normalised word tuple -> labels, e.g. ('خليفه',) -> 'PER'; {} without the model)."""
    return _tagger_resource("gaz")


def _common_both(bare: str, rank: dict) -> bool:
    """A common noun by its use in the news: the folded word ``bare`` ranks among the 20,000 most frequent tokens
    both as it is and with the article (حيوان، زيادة; a name rarely takes ال)."""
    r_al, r_bare = rank.get("ال" + bare), rank.get(bare)
    return r_al is not None and r_bare is not None and r_al < 20_000 and r_bare < 20_000


def _past_marks(text: str, e: int) -> int:
    """An end offset moved past the harakat that end its word (the folded view drops them: مشيراً, not مشيرا)."""
    n = len(text)
    while e < n and ("\u064b" <= text[e] <= "\u065f" or text[e] == "\u0670"):
        e += 1
    return e


def _contains_words(a: str, b: str) -> bool:
    aw, bw = a.split(), b.split()
    return any(aw[i:i + len(bw)] == bw for i in range(len(aw) - len(bw) + 1))
