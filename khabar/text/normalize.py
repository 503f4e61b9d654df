"""Arabic normalisation as a *view* of the text with an offset map back to the original.

The original text is never rewritten.  :func:`normalize` returns a :class:`NormalizedView` whose ``text`` is the
folded string and whose ``offsets[i]`` is the index in the original text of the character that produced
``text[i]``; ``to_original(start, end)`` maps a span of the view back to the original text.

Folds (each one documented in ``FOLDS`` below):

* harakat, Quranic marks, superscript alef and tatweel are removed;
* alef forms (أ إ آ ٱ ٲ ٳ) → ا; ى → ي; ؤ → و; ئ → ي (``hamza=True``, the default);
* ة → ه only with ``search=True`` (a fold for search, kept apart from display);
* Arabic-Indic (٠-٩) and Persian (۰-۹) digits → ASCII digits;
* Persian and Urdu letter forms → the Arabic letter they write (always, whatever the options): Farsi yeh ی and its
  kin ې ۍ ے → ي; keheh ک and swash kaf ڪ → ك; heh forms ە ھ ہ and heh with yeh above ۀ ۂ → ه; teh marbuta goal ۃ → ة;
  high-hamza forms ٵ → ا, ٶ ٷ → و, ٸ → ي (with the hamza folds) — a name typed on a Persian keyboard
  (علی، کریم) folds to the Arabic spelling (علي، كريم);
* presentation forms (ﻻ, ﺍ ... U+FB50–U+FDFF, U+FE70–U+FEFF) → their NFKC letters, folded again (ﻻ → لا: two
  characters that both map back to the one original character; ﮐ → ک → ك); the word ligatures keep their inner
  spaces (ﷺ → صلي الله عليه وسلم, ﷻ → جل جلاله, ﷽ → بسم الله الرحمن الرحيم, ﷼ → ريال), while the isolated
  harakat forms (ﹰ = space + fathatan) vanish with the other diacritics;
* zero-width and bidi control characters (ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM, embeddings, isolates, BOM) are removed;
* Latin letters are lower-cased with ``lower=True`` (the default).

Implementation: a per-code-point lookup table gives each character's replacement; ``str.translate`` builds the
folded string and numpy builds the offset map (``repeat`` of each position by its output length), so both run in C.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

DIACRITICS = "".join(chr(c) for c in list(range(0x0610, 0x061B)) + list(range(0x064B, 0x0660))
                     + [0x0670] + list(range(0x06D6, 0x06DD)) + list(range(0x06DF, 0x06E5))
                     + [0x06E7, 0x06E8] + list(range(0x06EA, 0x06EE)) + list(range(0x08D3, 0x0900)))
TATWEEL = "\u0640"
CONTROLS = ("\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
            "\u2066\u2067\u2068\u2069\ufeff\u2060\u00ad")
ALEFS = "أإآٱٲٳ"
# Persian / Urdu letter forms → the Arabic letter (applied whatever the options: they are spellings, not hamza)
PERSIAN = {"ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ک": "ك", "ڪ": "ك",
           "ە": "ه", "ھ": "ه", "ہ": "ه", "ۀ": "ه", "ۂ": "ه", "ۃ": "ة"}
# high-hamza letters: folded with the other hamza carriers (hamza=True)
HIGH_HAMZA = {"ٵ": "ا", "ٶ": "و", "ٷ": "و", "ٸ": "ي"}
# word ligatures with no NFKC decomposition, written out
LIGATURES = {"\ufdfd": "بسم الله الرحمن الرحيم", "\ufdfe": "سبحانه وتعالى", "\ufdff": "عز وجل"}
DIGITS = {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}

FOLDS = {
    "diacritics": "remove harakat, Quranic marks and superscript alef",
    "tatweel": "remove tatweel (ـ)",
    "controls": "remove zero-width and bidi control characters",
    "alef": "أ إ آ ٱ → ا",
    "ya": "ى → ي",
    "hamza_carriers": "ؤ → و, ئ → ي",
    "ta_marbuta": "ة → ه (search view only)",
    "digits": "Arabic-Indic and Persian digits → 0-9",
    "persian": "Persian/Urdu letter forms → Arabic (ی → ي, ک → ك, ۀ ە ھ → ه, ۃ → ة; ٵ ٶ ٸ with the hamza folds)",
    "presentation_forms": "Arabic presentation forms and ligatures (ﻻ ﷺ ﷻ ﷽ ﷼) → NFKC letters, folded again",
    "lower": "Latin lower-case",
}


@lru_cache(maxsize=None)
def _tables(search: bool, hamza: bool, lower: bool):
    """(translate table, numpy uint8 array of output lengths per code point) for one fold setting."""
    table: dict[int, str] = {}
    for ch in DIACRITICS + TATWEEL + CONTROLS:
        table[ord(ch)] = ""
    for ch, d in DIGITS.items():
        table[ord(ch)] = d
    for ch, a in PERSIAN.items():
        table[ord(ch)] = a
    if hamza:
        for ch in ALEFS:
            table[ord(ch)] = "ا"
        table[ord("ى")] = "ي"
        table[ord("ؤ")] = "و"
        table[ord("ئ")] = "ي"
        table.update((ord(ch), a) for ch, a in HIGH_HAMZA.items())
    if search:
        table[ord("ة")] = "ه"
        table[ord("ۃ")] = "ه"
    # presentation forms: NFKC, then fold the result again (ﻷ → لأ → لا; ﮐ → ک → ك; ﷼ → ریال → ريال)
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        ch = chr(cp)
        nf = unicodedata.normalize("NFKC", ch)
        if nf != ch:
            rep = "".join(table.get(ord(c), c) for c in nf)
            # an isolated haraka (ﹰ = space + fathatan) folds to nothing; a word ligature keeps its spaces
            table[cp] = rep if rep.strip() else ""
    # ligatures Unicode gives no decomposition: the basmala and the later honorifics
    for ch, words in LIGATURES.items():
        table[ord(ch)] = "".join(table.get(ord(c), c) for c in words)
    if lower:
        for cp in range(ord("A"), ord("Z") + 1):
            table[cp] = chr(cp + 32)
    lengths = np.ones(0x110000, dtype=np.int8)
    single = np.arange(0x110000, dtype=np.uint32)
    for cp, rep in table.items():
        lengths[cp] = len(rep)
        if len(rep) == 1:
            single[cp] = ord(rep)
    return table, lengths, single


@dataclass(frozen=True)
class NormalizedView:
    """The folded text and, for every character of it, the index of the original character it came from."""

    text: str
    offsets: np.ndarray  # int32, len(text) entries
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the view to the smallest span of the original text that produced it."""
        if start >= end:
            pos = int(self.offsets[start]) if start < len(self.offsets) else self.original_length
            return pos, pos
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1

    def to_json(self) -> dict:
        return {"text": self.text, "offsets": self.offsets.tolist()}


# from this length on, fold() builds the string with numpy (as normalize() does) rather than str.translate, whose
# per-character dictionary look-ups cost more than numpy's fixed overhead on a long text (the same string either way)
_VECTOR_FOLD = 256


# the folds of short strings (words, names) with the default hamza and lower-case settings, plain and search: the
# same few thousand words are folded again and again by the stages (bounded: emptied when full)
_WORD_FOLD = 48
_FOLD_CACHE_SIZE = 200_000
_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_SEARCH: dict[str, str] = {}


def fold(text: str, *, search: bool = False, hamza: bool = True, lower: bool = True) -> str:
    """The folded string alone (no offset map): for keys, dictionary look-ups and query terms."""
    if len(text) <= _WORD_FOLD and hamza and lower:
        cache = _FOLD_CACHE_SEARCH if search else _FOLD_CACHE
        r = cache.get(text)
        if r is None:
            r = text.translate(_tables(bool(search), True, True)[0])
            if len(cache) >= _FOLD_CACHE_SIZE:
                cache.clear()
            cache[text] = r
        return r
    table, lengths, single = _tables(search, hamza, lower)
    if len(text) < _VECTOR_FOLD:
        return text.translate(table)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    per_char = lengths[codes]
    if per_char.max(initial=1) > 1:  # an expanding presentation form: the general path
        return text.translate(table)
    return single[codes][per_char.astype(bool)].tobytes().decode("utf-32-le", "surrogatepass")


def normalize(text: str, *, search: bool = False, hamza: bool = True, lower: bool = True) -> NormalizedView:
    table, lengths, single = _tables(search, hamza, lower)
    n = len(text)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    per_char = lengths[codes]
    if per_char.max(initial=1) > 1:  # an expanding presentation form (ﻻ → لا): the general path
        folded = text.translate(table)
        offsets = np.repeat(np.arange(n, dtype=np.int32), per_char)
    else:  # every character maps to one or none: vectorised
        keep = per_char.astype(bool)
        folded = single[codes][keep].tobytes().decode("utf-32-le", "surrogatepass")
        offsets = np.flatnonzero(keep).astype(np.int32)
    return NormalizedView(folded, offsets, n)


