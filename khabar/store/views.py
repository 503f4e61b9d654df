"""The search views of a text: normalised surface, clitic-split and light-stemmed forms of each word.

SQLite's FTS5 tokenizer splits Arabic words at harakat and folds no hamza, so the store never indexes raw text.
It indexes, for every word token of the original text, three forms, each in its own FTS5 column:

``surface``
    :func:`khabar.text.normalize.fold` with ``search=True``: harakat and tatweel removed, أ/إ/آ → ا, ى → ي,
    ؤ → و, ئ → ي, ة → ه, Arabic-Indic digits → 0-9, Latin lower-cased.  ``إيرانَ`` and ``ايران`` are one form.
``clitic``
    (views version 2) the word's **core**: the word without its proclitics and pronoun endings, as
    :func:`analyse` decides from the clitic segments (``للمحتوى`` → ``محتوي``).  Uses :mod:`khabar.text.segment`
    (Farasa convention) when it is importable, else a small rule-based splitter (:func:`rule_split`).  The
    database records which one built its index (``meta.clitic_splitter``) and queries use the same one.
``stem``
    the core less one number/gender suffix and a nisba ي (:func:`suffix_stem`), never a function word.

Each word yields one token in each column (a hashtag one per part), so a phrase query on any column matches
consecutive words.

Everything here is pure Python with per-word caches (news text is Zipfian: a few thousand distinct words cover
most tokens) and is safe to use in worker processes.
"""
from __future__ import annotations

import os

import regex

from ..text.normalize import fold
from ..text.tokenize import _kind, tokenize

__all__ = ["light_stem", "rule_split", "analyse", "readings", "article_with_pronoun", "ta_final", "surface_variants", "ranked_surface_variants", "suffix_stem", "lexicon", "FUNCTION_WORDS", "surface_form", "word_views", "text_views", "word_tokens",
           "get_clitic_splitter", "VIEW_COLUMNS", "VIEWS_VERSION"]

VIEW_COLUMNS = ("surface", "clitic", "stem")
VIEWS_VERSION = "2"

# Anything FTS5's unicode61 tokenizer would split on is turned into a space here, so that one word of ours
# is exactly the FTS tokens we expect, and the query side (which goes through the same functions) agrees.
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")

# --------------------------------------------------------------------------------------------------------------
# light stemmer (our own implementation of the Light-10 idea, on folded text: ة is already ه, أ/إ/آ are ا)

# proclitic strings stripped in order (longest first); the remainder must keep at least two letters
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# suffixes (folded: ة → ه, so ية is يه and ة is ه); tried longest first, repeatedly, keeping three letters
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_SUFFIXES = tuple(sorted(_SUFFIXES, key=len, reverse=True))
# ``ان`` ends many names (ايران، لبنان، اليابان، طهران): strip it only when four letters remain
_SUFFIX_MIN = {"ان": 4}
_ARABIC_LETTER = regex.compile(r"[\u0621-\u064a]")


def light_stem(word: str) -> str:
    """Light stem of a *folded* word (see :func:`surface_form`).

    Steps, after Larkey, Ballesteros & Connell (2002) "Light-10":

    1. strip a leading ``و`` if at least three letters remain (not from a few frequent stems such as ``وزير``);
    2. strip one definite-article string ``وال بال كال فال لل ال`` if at least two letters remain;
    3. strip the suffixes ``ها ان ات ون ين يه ه ي`` (``ة``/``ية`` are folded to ``ه``/``يه``), longest first,
       repeatedly, as long as at least three letters remain (four for ``ان``, which ends many names: ايران،
       لبنان، طهران).  The repetition makes ``الإيرانيون`` → ``ايرانيون`` → ``ايراني`` → ``ايران``, the
       stem of ``إيران`` and ``الإيرانية``.

    Non-Arabic words are returned unchanged.
    """
    if len(word) < 3 or not _ARABIC_LETTER.match(word):
        return word
    w = word
    if w[0] == "و" and len(w) >= 4 and not _keep(w):
        w = w[1:]
    for p in _PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 2:
            w = w[len(p):]
            break
    return _strip_suffixes(w)


def _strip_suffixes(w: str) -> str:
    if len(w) < 4 or not _ARABIC_LETTER.match(w):
        return w
    changed = True
    while changed:
        changed = False
        for s in _SUFFIXES:
            if w.endswith(s) and len(w) - len(s) >= _SUFFIX_MIN.get(s, 3):
                w = w[:-len(s)]
                changed = True
                break
    return w


# --------------------------------------------------------------------------------------------------------------
# clitic splitting

_RULE_PROCLITICS = ("و", "ف")
_RULE_PREPS = ("ب", "ل", "ك")
_RULE_ENCLITICS = ("هما", "كما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "ه", "ك")
# frequent news words whose first letter is و/ف/ب/ل/ك of the stem, not a clitic (folded forms)
_RULE_KEEP = ("وزير", "وزار", "وطن", "وقت", "وضع", "ولد", "وصل", "وقف", "وفد", "وجه", "وجود", "وقع", "ولاي",
              "وكال", "وحد", "وثيق", "وسط", "وسيل", "وعد", "وفق", "ورد", "وراء", "واشنطن", "واقع", "والد", "وفا",
              "فريق", "فلسطين", "فرنس", "فتر", "فيلم", "فوز", "فكر", "فرص", "فضل", "فعل", "فيروس",
              "بلد", "بيان", "بين", "بعد", "بريطان", "برنامج", "بنك", "بحث", "بيت", "بطول", "بيونغ", "بغداد",
              "بيروت", "لبنان", "لندن", "ليبي", "لقاء", "لجن", "لاعب", "لعب", "كان", "كبير", "كلم", "كوري", "كأس",
              "كاس", "كرة", "كره", "كتاب", "كندا", "كيم")


def _keep(w: str) -> bool:
    return w.startswith(_RULE_KEEP)


def rule_split(word: str) -> list[str]:
    """A small rule-based clitic splitter on a folded word (used when :mod:`khabar.text.segment` is absent).

    Splits a conjunction (و ف) and a preposition (ب ل ك) when at least four letters remain, the article (ال;
    ``لل`` → ``ل ال``) when at least two remain, and one pronoun suffix when at least three remain; a short
    list of frequent stems that begin with one of those letters (وزير, بيان, لبنان ...) is left whole.  Without
    a lexicon it still mis-splits some words; the exact-first ranking keeps that from hurting precision.
    """
    if len(word) < 3 or not _ARABIC_LETTER.match(word):
        return [word]
    pre: list[str] = []
    w = word
    if w[0] in _RULE_PROCLITICS and len(w) >= 5 and not _keep(w):
        pre.append(w[0])
        w = w[1:]
    if w.startswith("لل") and len(w) >= 4:
        pre += ["ل", "ال"]
        w = w[2:]
    else:
        if w[0] in _RULE_PREPS and len(w) >= 5 and not w.startswith("ال") and not _keep(w):
            pre.append(w[0])
            w = w[1:]
        if w.startswith("ال") and len(w) >= 4:
            pre.append("ال")
            w = w[2:]
    suf: list[str] = []
    if not (pre and pre[-1] == "ال"):  # a pronoun does not follow the article
        for s in _RULE_ENCLITICS:
            if w.endswith(s) and len(w) - len(s) >= 3:
                suf.append(s)
                w = w[:-len(s)]
                break
    return pre + [w] + suf


def _rule_split_any(word: str) -> list[str]:
    """The rule splitter on a word as written (folded first: the rules are written for folded text)."""
    out: list[str] = []
    for part in surface_form(word).split():
        out.extend(rule_split(part))
    return out


class _Splitter:
    """Clitic splitter: ``name`` (recorded in the database) and ``split(word) -> folded segment tokens``.

    ``word`` is best given as written (with its hamza and ة: the segmenter is more accurate on them); each
    segment is folded afterwards.  ``from_forms(forms)`` folds segments some other step already found (the
    ``segments`` stage, with the same segmenter), so a word is not segmented twice.
    """

    def __init__(self, name: str, fn):
        self.name = name
        self._fn = fn
        self.trusted = not name.startswith("rules/")
        self._cache: dict[str, tuple[str, ...]] = {}

    def raw(self, word: str) -> tuple[str, ...]:
        """The splitter's segments of ``word`` as it gives them (the segmenter's are not folded)."""
        try:
            return self._cache[word]
        except KeyError:
            pass
        try:
            parts = tuple(p for p in self._fn(word) if p)
        except Exception:  # a segmenter bug must not stop indexing: keep the word whole
            parts = (word,)
        if len(self._cache) > 400_000:
            self._cache.clear()
        self._cache[word] = parts or (word,)
        return self._cache[word]

    def split(self, word: str) -> tuple[str, ...]:
        """The folded segments of ``word``."""
        return self.from_forms(self.raw(word)) or (surface_form(word) or word,)

    @staticmethod
    def from_forms(forms) -> tuple[str, ...]:
        out: list[str] = []
        for p in forms:
            p = _NON_WORD.sub(" ", fold(p, search=True)).strip()
            if p:
                out.extend(p.split())
        return tuple(out)


_SPLITTERS: dict[str, _Splitter] = {}
RULE_SPLITTER = "rules/1"
_SEGMENTER_NAME: list = []


def _current_segmenter_name() -> str | None:
    """The fingerprinted name of the installed segmenter (see :func:`splitter_fingerprint`), once per process."""
    if not _SEGMENTER_NAME:
        _SEGMENTER_NAME.append(splitter_fingerprint(force_segmenter=True))
    return _SEGMENTER_NAME[0]


def splitter_fingerprint(force_segmenter: bool = False) -> str:
    """Name of the best clitic splitter, with a fingerprint of its behaviour (so a retrained model is noticed)."""
    sp = _segmenter_splitter() if force_segmenter else get_clitic_splitter(None)
    if sp is None or sp.name == RULE_SPLITTER:
        return RULE_SPLITTER
    probe = ("والكتاب", "لإيران", "وسيكتبونها", "بالمدرسة", "فقال", "للمحتوى", "وزيرة", "بيوتهم", "كالبحر",
             "الإيرانية", "وبالتالي", "سيعقد", "لهم", "فلسطينيين", "وأضاف")
    import hashlib
    h = hashlib.sha1("|".join(" ".join(sp.split(w)) for w in probe).encode()).hexdigest()
    return f"segmenter/{h[:10]}"


def _segmenter_splitter() -> _Splitter | None:
    try:
        from ..text.segment import get_segmenter  # type: ignore
        seg = get_segmenter()
    except Exception:  # absent, or its model files are missing: fall back
        return None
    return _Splitter("segmenter/?", seg.segment)


def get_clitic_splitter(name: str | None = None) -> _Splitter:
    """The clitic splitter called ``name`` (as recorded in a database), or the best available one.

    A database built with the segmenter is queried with the segmenter; if that is not importable any more the
    rule splitter stands in (recall on clitics drops until ``khabar reindex``).  The environment variable
    ``KHABAR_CLITIC_SPLITTER=rules`` makes new databases use the (faster, less accurate) rule splitter.
    """
    if name is None and os.environ.get("KHABAR_CLITIC_SPLITTER", "").strip().lower() in ("rules", RULE_SPLITTER):
        name = RULE_SPLITTER
    key = name or "best"
    if key in _SPLITTERS:
        return _SPLITTERS[key]
    sp = None
    if name is None or name.startswith("segmenter/"):
        sp = _segmenter_splitter()
        if sp is not None:
            sp.name = _current_segmenter_name()
    if sp is None:
        sp = _SPLITTERS.get(RULE_SPLITTER) or _Splitter(RULE_SPLITTER, _rule_split_any)
        _SPLITTERS[RULE_SPLITTER] = sp
    _SPLITTERS[key] = sp
    return sp


# --------------------------------------------------------------------------------------------------------------
# words and their views

_PROCLITIC_SEGS = {"و", "ف", "ب", "ل", "ك", "س", "ال"}
_ENCLITIC_SEGS = {"ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "ني", "نا", "ي"}


def stem_of_segments(word: str, segs: tuple[str, ...] | list[str], trusted: bool = False) -> str:
    """The stem view of a folded word from its (folded) clitic segments (see :func:`analyse`)."""
    return analyse(word, segs)[1]


# --------------------------------------------------------------------------------------------------------------
# one analysis per word form (views version 2)
#
# A word form is analysed the same way wherever it occurs and whatever clitics it carries:
#   core  = the word without its proclitics (و ف ب ل ك س ال) and its pronoun enclitics, ta marbuta restored before
#           a pronoun (مدينتها → مدينة) only for a word the lexicon knows with ة;
#   stem  = the core less one number/gender suffix (ات ون ين ان ة ية ي ها ه) and then a nisba ي, never shorter
#           than three letters and never a function word (then the stem is the core itself).
# A single-letter proclitic the segmenter split off is a stem letter when the lexicon knows the word with the
# article in front of that letter (البعيد, البطولة, الوسيلة, السماء: بعيد is not ب+عيد).
# The lexicon is the segmenter's word-frequency table of unlabelled news (absent: the rules alone).

_RAW_PROCLITICS = {"و", "ف", "ب", "ل", "ك", "س", "ال", "لل"}
_ONE_LETTER = {"و", "ف", "ب", "ل", "ك", "س"}
_RAW_PRONOUNS = {"ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "ني", "نا"}
# suffix stages on folded text: one number/gender suffix, then a nisba ي
_STAGE1 = ("ات", "ون", "ين", "ان", "يه", "ها", "ه", "ي")
_NISBA_AFTER = {"ات", "ون", "ين", "ان", "ه"}
# function words (folded): a stem that is one of them is no stem (والفي → في, وسمعه → مع, الآليات → الي)
FUNCTION_WORDS = frozenset("""
في من الي علي عن مع ما لا لم لن ان او ام ثم هو هي هم هن هما نحن انا انت انتم كل بعض بعد قبل عند لدي لدى ذلك
تلك هذا هذه هذان هاتان هؤلاء الذي التي الذين اللذين اللتين اللواتي حتي منذ بين غير كان كانت يكون تكون قد لقد
اذا اذ لو لولا لكن بل كما مثل حيث كيف متي اين اي ايضا فقط دون ضد نحو حول خلال عبر وفق الا ليس ليست سوف لما
عليه عليها فيه فيها منه منها عنه عنها له لها لهم به بها بهم الان هنا هناك ثمه مما عما كي لكي لان اما اذن
""".split())


def lexicon() -> dict:
    """Word form (as written, harakat removed) -> frequency bin, from the segmenter's table; {} without it."""
    if _LEXICON:
        return _LEXICON[0]
    lex: dict = {}
    try:
        from ..text.segment import get_segmenter  # type: ignore
        lex = getattr(get_segmenter(), "B", None) or {}
    except Exception:  # no segmenter: the rules alone
        lex = {}
    _LEXICON.append(lex)
    return lex


_LEXICON: list = []
_HARAKAT = regex.compile("[\u064b-\u0652\u0640\u0670]")


def _plain(w: str) -> str:
    return _HARAKAT.sub("", w)


def _fold1(s: str) -> str:
    return _NON_WORD.sub("", fold(s, search=True))


def suffix_stem(core: str) -> str:
    """The stem of a folded core: one number/gender suffix, then a nisba ي; guarded (see module notes)."""
    if len(core) < 4 or not _ARABIC_LETTER.match(core):
        return core
    w = core
    for s in _STAGE1:
        if w.endswith(s) and len(w) - len(s) >= _SUFFIX_MIN.get(s, 3):
            w = w[:-len(s)]
            if s in _NISBA_AFTER and w.endswith("ي") and len(w) >= 5:
                w = w[:-1]
            break
    if len(w) < 3 or w in FUNCTION_WORDS:
        return core
    return w


def analyse(word: str, segs, lex: dict | None = None, *, split_proclitics: bool = True,
            restore_ta: bool = True) -> tuple[str, str]:
    """``(core, stem)`` (folded) of one word from its clitic segments as the splitter gave them (unfolded from
    the segmenter; folded from the rule splitter).  ``split_proclitics=False``: the reading that keeps every
    proclitic letter (ال excepted) as part of the word."""
    if lex is None:
        lex = lexicon()
    segs = [x for x in map(_plain, segs) if x]
    if not segs:
        return "", ""
    i, j = 0, len(segs)
    while i < j - 1 and segs[i] in _RAW_PROCLITICS:
        if not split_proclitics:
            break
        if segs[i] == "س" and (segs[i + 1][:1] not in ("ي", "ت", "ن", "ا", "أ")
                               or lex and max(lex.get("".join(segs[i + 1:]), 0), lex.get(segs[i + 1], 0)) < 6):
            break  # the future prefix comes before a known imperfect verb only (ستريكر, سماء are whole words)
        if segs[i] in _ONE_LETTER:
            if segs[i + 1] not in ("ال", "لل") and lex:
                rest = "".join(x for x in segs[i + 1:] if x not in _RAW_PRONOUNS) or segs[i + 1]
                if lex.get("ال" + segs[i] + rest) or lex.get("ال" + segs[i] + segs[i + 1]):
                    break  # البعيد, البطولة: the letter belongs to the word
        i += 1
    while j - 1 > i and segs[j - 1] in _RAW_PRONOUNS:
        j -= 1
    raw = "".join(segs[i:j])
    if "\u064b" in word and raw.endswith("ا") and len(raw) >= 4:
        raw = raw[:-1]  # the alif of tanween: ترحابًا is ترحاب, إيجابيًا is إيجابي
    if restore_ta and j < len(segs) and raw.endswith("ت") and len(raw) >= 3 and (not lex or lex.get(raw[:-1] + "ة")):
        raw = raw[:-1] + "ة"  # مدينتها → مدينة; مشكلاتهم, أوفدتهم keep their ت
    core = _fold1(raw)
    if not core:
        core = _fold1("".join(segs))
    if len(core) < 2 or core in FUNCTION_WORDS and i > 0:
        core = _fold1("".join(segs))  # والفي is not في
        return core, core
    return core, suffix_stem(core)


def readings(word: str, segs, lex: dict | None = None, split=None, article_ta: bool = True) -> list[tuple[str, str]]:
    """The ``(core, stem)`` readings of a *query* word, the index's own analysis first, then the readings a
    segmenter cannot choose between: the word with its first letter kept (سماء, بورمي), the ت before a pronoun
    kept (غادرتهم: غادرت+هم, not غادرة), and, for a form the lexicon does not know (a foreign name, a rare word),
    the word with a leading و ف ب ل ك taken off (وفارجاس, بأوبنهايمر, فالسيرك) or a trailing pronoun taken off
    (فارجاسه), each remainder analysed as the index analyses it.  ``split``: the splitter (word -> segments).

    The article and a pronoun ending never come together on one word: a split that gives it both before ه is
    no reading when the lexicon knows the word with ة (:func:`ta_final`: الحكومه is الحكومة, not ال+حكوم+ه);
    before another pronoun the ال may be the word's own (الوانها: ألوان+ها), a reading added to the split one.
    ``article_ta=False`` keeps the pronoun reading before ه too (the search falls back to it when no article
    holds the ة reading)."""
    if lex is None:
        lex = lexicon()
    segs = [x for x in map(_plain, segs) if x]
    plain = _plain(word)
    out: list[tuple[str, str]] = []

    def add(r):
        if r[0] and r not in out:
            out.append(r)

    def consistent(w: str, sg) -> tuple[list, bool]:
        """The segments of ``w`` to analyse, and whether its final ه is a ta marbuta (then: none)."""
        sg = [x for x in map(_plain, sg) if x]
        if article_with_pronoun(sg) and sg[-1] == "ه" and article_ta and ta_final(sg, lex):
            return [], True
        return sg, False

    segs, ta_end = consistent(word, segs)
    if segs:
        add(analyse(word, segs, lex))
        add(analyse(word, segs, lex, restore_ta=False))
        if article_with_pronoun(segs) and segs[-1] != "ه":
            add(analyse(word, _join_article(segs), lex))  # الوانها: ألوان + ها (or ال + X + ها typed)
    if split is not None and plain.endswith("ه") and len(plain) >= 4:
        ta = plain[:-1] + "ة"  # ة typed as ه: المتلقيه is المتلقية, not المتلقي + ه
        add(analyse(ta, split(ta), lex))
    if not out:  # (no splitter to read the ة with)
        add(analyse(word, [x for x in map(_plain, segs or [word]) if x], lex))
    if segs and segs[0] in _RAW_PROCLITICS and len(segs) > 1:
        core = analyse(word, segs, lex, split_proclitics=False)[0]
        if core and all(core != c for c, _s in out):
            out.append((core, core))  # the unsplit reading: its exact core only (لإيران is not لاير)
    if len(plain) >= 5 and not lex.get(plain) and _ARABIC_LETTER.match(plain):
        cands = []
        w = plain
        if w[0] in "وف" and len(w) >= 5:
            w = w[1:]
            cands.append(w)
        if w.startswith("لل") and len(w) >= 5:
            cands.append("ال" + w[2:])  # للباستا: ل + الباستا
        elif w[:1] in ("ب", "ل", "ك") and len(w) >= 5:
            cands.append(w[1:])
        own_al = set()  # a pronoun taken off a word that begins with ال: that ال is the word's own
        for c in list(cands) or [plain]:
            for p in ("هما", "هم", "ها", "ه", "كم", "نا"):
                if p == "ه" and ta_end:
                    break  # after the article, ه is a ta marbuta
                if c.endswith(p) and len(c) - len(p) >= 3:
                    base = c[:-len(p)]
                    cands.append(base[:-1] + "ة" if base.endswith("ت") and lex.get(base[:-1] + "ة") else base)
                    if base.startswith("ال"):
                        own_al.add(cands[-1])
                    break
        for c in cands:
            f = _fold1(c)
            if len(f) < 3 or f in FUNCTION_WORDS:
                continue
            if split is not None and c not in own_al:
                sg, _ta = consistent(c, split(c))
                r = analyse(c, sg, lex) if sg else ("", "")
                if r[0] and r[0] not in FUNCTION_WORDS and len(r[0]) >= 3:
                    add(r)
            add((f, suffix_stem(f)))
    return out


def article_with_pronoun(segs) -> bool:
    """Whether clitic segments (as written, harakat removed) give one word the article (ال, لل) before its stem
    and a pronoun ending after it, which Arabic never does (the split is then wrong)."""
    segs = [x for x in map(_plain, segs) if x]
    if len(segs) < 3 or segs[-1] not in _RAW_PRONOUNS:
        return False
    return any(x in ("ال", "لل") for x in segs[:-2])


def ta_final(segs, lex: dict | None = None) -> bool:
    """Whether a word split into ``segs`` ends in a ta marbuta typed as ه rather than the pronoun ه: the split
    gives it the article, which never comes with a pronoun ending, and the lexicon knows the word with ة
    (الحكومه, فالمكانه: حكومة, مكانة).  A form the lexicon does not know with ة keeps both readings."""
    segs = [x for x in map(_plain, segs) if x]
    if not (article_with_pronoun(segs) and segs[-1] == "ه"):
        return False
    if lex is None:
        lex = lexicon()
    stem = segs[-2]
    return not lex or bool(lex.get(stem + "ة") or lex.get("ال" + stem + "ة"))


def _join_article(segs) -> list[str]:
    """The segments with the article joined to the stem after it: ال + وان → الوان (لل + X → ل + الX)."""
    out: list[str] = []
    k = 0
    while k < len(segs):
        x = segs[k]
        if x in ("ال", "لل") and k + 1 < len(segs) - 1:
            if x == "لل":
                out.append("ل")
            out.append("ال" + segs[k + 1])
            k += 2
            continue
        out.append(x)
        k += 1
    return out


_WORD_KINDS = {"word", "num", "hashtag"}


_PRONOUN_ENDINGS = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه")


def surface_variants(surf: str, cores, ta_end: bool = False) -> list[str]:
    """Folded surface forms an article may hold for a query word typed as ``surf`` (folded) with the cores
    ``cores`` (see :func:`ranked_surface_variants`), the typed form first."""
    return [x for x, _k in ranked_surface_variants(surf, cores, ta_end)]


def ranked_surface_variants(surf: str, cores, ta_end: bool = False) -> list[tuple[str, int]]:
    """``(form, distance)``: the typed form (0); the typed form less a pronoun ending (لحديثه → لحديث; ت → ة:
    مدينتها → مدينه) or less a leading و/ف and ب/ل/ك (والتبرير → التبرير; للاخرى → الاخرى) (1); each core
    bare, and the first core with the article (سقوط → السقوط) (2; 0 when the typed form is that core: a word
    typed without its article is as close to the definite form as to the bare one).  ``ta_end``: the final ه
    is a ta marbuta, not a pronoun (the word has the article: فالمكانه is not فالمكان + ه; :func:`ta_final`),
    and the typed form less the ه is the farthest form (3)."""
    out: dict[str, int] = {surf: 0}

    def add(x, k):
        if len(x) >= 3 and x not in out and x not in FUNCTION_WORDS:
            out[x] = k

    if not _ARABIC_LETTER.match(surf):
        return list(out.items())
    bases = [surf]
    lex = lexicon()
    for p in _PRONOUN_ENDINGS:
        if p == "ه" and (ta_end or lex.get(surf[:-1] + "ة")):
            break  # ة typed as ه (لاقامه is لاقامة), not a pronoun
        if surf.endswith(p) and len(surf) - len(p) >= 3:
            b = surf[:-len(p)]
            bases.append(b)
            if b.endswith("ت"):
                bases.append(b[:-1] + "ه")
            break
    for b in bases:
        add(b, 1)
        w = b
        if w[:1] in ("و", "ف") and len(w) >= 5:
            w = w[1:]
            add(w, 1)
        if w.startswith("لل") and len(w) >= 5:
            add("ال" + w[2:], 1)
        elif w[:1] in ("ب", "ل", "ك") and len(w) >= 5:
            add(w[1:], 1)
    if ta_end and len(surf) >= 6:
        # the typed form less its ه, as typed (للقراره: للقرار): a reader who put a pronoun after the article
        # against the grammar; the form alone, not its core (القرار, قرار in every form), and the least likely
        # reading, so as far as the core column (3)
        add(surf[:-1], 3)
    for k, c in enumerate(cores):
        if c and _ARABIC_LETTER.match(c):
            add(c, 2)
            if k == 0 and not c.startswith("ال"):
                # the index's own analysis only: سقوط → السقوط.  When the word was typed bare (the core is the
                # typed form) its definite form is as close as the typed form itself: the article is no part of
                # what the reader chose, so the two forms are ranked by rarity alone (the rarer first)
                add("ال" + c, 0 if c == surf else 2)
    return list(out.items())


def surface_form(word: str) -> str:
    """The folded search form of one word: FTS-safe (letters and digits, spaces between sub-words)."""
    return _NON_WORD.sub(" ", fold(word, search=True)).strip()


_FIRST_CHAR_KIND: dict[str, str] = {}


def word_tokens(text: str):
    """``(start, end, word)`` for every indexable token of ``text`` (words, numbers, hashtag parts): the tokens
    of :func:`khabar.text.tokenize.iter_tokens` of those kinds.  A token's kind is a function of its first
    character (:func:`khabar.text.tokenize._kind`) unless the tokenizer marked it (hashtags): it is memoised
    by that character here, which makes a snippet's tokenising several times cheaper."""
    layer = tokenize(text)
    special = layer._special
    kinds = _FIRST_CHAR_KIND
    for i, (s, e, w) in enumerate(zip(layer.starts, layer.ends, layer.strings)):
        k = special.get(i) if special else None
        if k is None:
            c = w[0]
            k = kinds.get(c)
            if k is None:
                k = kinds[c] = _kind(c)
        if k in _WORD_KINDS:
            yield s, e, text[s:e]


class ViewCache:
    """Per-process cache of ``word -> (surface, core, stem)`` view strings (the core goes to the ``clitic``
    column)."""

    def __init__(self, splitter: _Splitter):
        self.splitter = splitter
        self._cache: dict[str, tuple[str, str, str]] = {}

    def views(self, word: str, forms=None) -> tuple[str, str, str]:
        """Views of one word as written; ``forms``: its clitic segments if already known (same splitter)."""
        try:
            return self._cache[word]
        except KeyError:
            pass
        surf = surface_form(word)
        if not surf:
            res = ("", "", "")
        else:
            parts = surf.split()
            if len(parts) == 1:
                segs = tuple(forms) if forms else self.splitter.raw(word)
                core, stem = analyse(word, segs)
                res = (surf, core or surf, stem or surf)
            else:  # hashtags, abbreviations: several FTS tokens, analysed one by one
                cl, st = [], []
                for p in parts:
                    core, stem = analyse(p, self.splitter.raw(p))
                    cl.append(core or p)
                    st.append(stem or p)
                res = (surf, " ".join(cl), " ".join(st))
        if len(self._cache) > 400_000:
            self._cache.clear()
        self._cache[word] = res
        return res

    def analysis(self, word: str) -> tuple[str, str]:
        """``(core, stem)`` of one single-token word as written (as the index analyses it)."""
        r = self.views(word)
        return r[1], r[2]


_VIEW_CACHES: dict[str, ViewCache] = {}


def view_cache(splitter_name: str | None = None) -> ViewCache:
    sp = get_clitic_splitter(splitter_name)
    vc = _VIEW_CACHES.get(sp.name)
    if vc is None:
        vc = _VIEW_CACHES[sp.name] = ViewCache(sp)
    return vc


def word_views(word: str, splitter_name: str | None = None) -> tuple[str, str, str]:
    return view_cache(splitter_name).views(word)


def token_views(tokens, splitter_name: str | None = None) -> list[tuple[int, tuple[str, str, str]]]:
    """``(token index, (surface, clitic, stem))`` for every indexable token of a TokenLayer (empty views left out);
    the document's index and its quotes' indexes are joined from this one list."""
    vc = view_cache(splitter_name)
    reuse = vc.splitter.name.startswith("segmenter/") and vc.splitter.name == _current_segmenter_name()
    segs = tokens.segments if reuse else None
    cached = vc._cache
    out = []
    for i, (w, k) in enumerate(zip(tokens.strings, tokens.kinds)):
        if k not in _WORD_KINDS:
            continue
        r = cached.get(w)
        if r is None:  # the segments are looked at only for a word not seen before
            r = vc.views(w, ([f[2] for f in segs[i]] if i in segs else (w,)) if segs else None)
        if r[0]:
            out.append((i, r))
    return out


def text_views(text: str, splitter_name: str | None = None, tokens=None) -> tuple[str, str, str]:
    """The three FTS column strings of a whole text.

    ``tokens``: the document's ``tokens`` layer, if it has one (Spans labelled with the token kind), which saves
    tokenising the text again; it must be the tokenisation of ``text``.
    """
    vc = view_cache(splitter_name)
    surf, cl, st = [], [], []
    # the segments stage's clitic forms are reused when this index uses the same segmenter
    reuse = vc.splitter.name.startswith("segmenter/") and vc.splitter.name == _current_segmenter_name()
    if tokens is not None and hasattr(tokens, "strings") and hasattr(tokens, "kinds"):  # a TokenLayer
        # (a token without segments is one segment, but only if the segments stage ran: some token has them)
        per_token = token_views(tokens, splitter_name)
        return (" ".join(r[0] for _i, r in per_token), " ".join(r[1] for _i, r in per_token),
                " ".join(r[2] for _i, r in per_token))
    elif tokens:
        words = ((text[t[0]:t[1]], [f[2] for f in t[3]["segments"]] if reuse and t[3] and t[3].get("segments")
                  else None) for t in tokens if t[2] in _WORD_KINDS)
    else:
        words = ((w, None) for _s, _e, w in word_tokens(text))
    for w, forms in words:
        a, b, c = vc.views(w, forms)
        if a:
            surf.append(a)
            cl.append(b)
            st.append(c)
    return " ".join(surf), " ".join(cl), " ".join(st)
