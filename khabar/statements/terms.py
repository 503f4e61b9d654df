"""Content terms of a quote for comparing statements across articles: a lemma-ish view of its words.

The text is folded for search (harakat and tatweel removed, alef forms → ا, ى → ي, ة → ه), split into words, and
each word is reduced by light stemming: the conjunction and preposition clitics (و ف ب ل ك) and the article (ال)
off the front, the common pronoun and plural/feminine endings (ه ها هم هما كم نا ي ات ون ين ان يه) off the back,
keeping at least three letters.  Function words (prepositions, particles, pronouns, demonstratives, auxiliaries
and the verbs of saying that frame a paraphrase) are dropped.  Two reports of one statement — quoted in one outlet
and paraphrased in another, trimmed, or split over several quotes — share most of their content terms; the score
used is containment (:func:`containment`), the shared weight over the smaller side's weight, so a trimmed or
split report still scores high against the full one.
"""
from __future__ import annotations

import functools
import re

from ..text.normalize import fold

_WORD = re.compile(r"[\u0621-\u064a0-9a-z]+")
STOP = frozenset("""
في من علي الي الا عن مع ان انه انها انهم ان لان لكن لكنه بل او ام ثم اذا اذ إذ لو لولا لم لن لا ما ماذا متي اين كيف
هل قد لقد سوف كان كانت يكون تكون كانوا ليس ليست هو هي هم هما هن انا نحن انت انتم هذا هذه ذلك تلك هولاء اولئك
الذي التي الذين اللذين اللتين اللواتي ما حتي عند عندما بعد قبل خلال منذ حول دون غير بين امام وراء فوق تحت كل بعض
اي ايضا جدا فقط كما مثل حيث التي لدي لدى عليه عليها اليه اليها فيه فيها منه منها عنه عنها له لها لهم به بها بهم
قال قالت يقول تقول اضاف اضافت يضيف وقال وقالت واضاف واضافت مضيفا مضيفه اكد اكدت يوكد توكد موكدا اشار اشارت
يشير تشير مشيرا اعلن اعلنت صرح صرحت تصريح تصريحات وفق وفقا حسب بحسب نحو يوم اليوم امس الاثنين الثلاثاء
الاربعاء الخميس الجمعه السبت الاحد
تم يتم جري يجري جرت وهو وهي هناك لدي ان
""".split())
_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_SUFFIXES = ("هما", "كما", "هم", "ها", "كم", "نا", "ات", "ون", "ين", "ان", "يه", "ه", "ي", "ا", "ت")


@functools.lru_cache(maxsize=200_000)
def stem(w: str) -> str:
    """A light stem of one folded word: clitics and the article off the front, pronoun/number endings off the back
    (at least three letters kept)."""
    for p in _PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 3:
            w = w[len(p):]
            break
    for _ in range(2):                      # روسيا → روسي → روس, تصريحاتها → تصريحات → تصريح
        for s in _SUFFIXES:
            if w.endswith(s) and len(w) - len(s) >= 3:
                w = w[: -len(s)]
                break
        else:
            break
    return w


def terms(text: str) -> frozenset[str]:
    """The content terms of a text (see the module docstring)."""
    out = set()
    for w in _WORD.findall(fold(text or "", search=True)):
        if w in STOP or len(w) < 2 or w[0] in "وفبلك" and w[1:] in STOP:
            continue
        s = stem(w)
        if s in STOP or len(s) < 2:
            continue
        out.add(s)
    return frozenset(out)


_NEG = re.compile(r"(?<![\u0621-\u064a])[وف]?(?:لم|لن|ليس|ليست|لست|لسنا|غير|عدم|بدون|دون|لا|"
                  r"نفي|نفت|ينفي|تنفي|نافيا|نفوا|انكر|انكرت|ينكر|تنكر|منكرا)(?![\u0621-\u064a])")


def negated(text: str) -> bool:
    """Whether the text (a quote's cue and content) holds a negation particle (لم، لن، لا، ليس، غير، عدم، دون) or a
    verb of denial (نفى، أنكر: نفى أن تكون بلاده قد سلمت ...): a statement and its denial share their content words
    but not their polarity (لم أستمع إلى تسجيل / استمع إلى تسجيل صوتي)."""
    return bool(_NEG.search(fold(text or "", search=True)))


def containment(a: frozenset[str], b: frozenset[str], weight=None) -> float:
    """Shared weight over the smaller side's weight (0 when either side is empty); ``weight(term)`` defaults to 1."""
    if not a or not b:
        return 0.0
    if weight is None:
        return len(a & b) / min(len(a), len(b))
    wa = sum(weight(t) for t in a)
    wb = sum(weight(t) for t in b)
    return sum(weight(t) for t in a & b) / min(wa, wb) if wa and wb else 0.0
