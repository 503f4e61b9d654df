"""Event resources (CAMEO codes, trigger lexicon, agents, actors, countries) and the word keys they are matched on.

Words are matched by *keys*, never by surface forms: a word is folded (``fold(search=True)``: hamza/alef, ى, ة→ه,
no diacritics), then its clitics are stripped in every licit way (conjunction و/ف, preposition or future ب/ل/ك/س,
article ال/لل, pronoun and inflection suffixes), giving a small set of candidate stems.  Dictionary entries are
folded the same way, so ``واتهمته`` finds ``اتهم`` and ``الحكومة`` finds ``حكومه``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..text.normalize import fold

_PRE1 = ("و", "ف")
_PRE2 = ("ب", "ل", "ك", "س")
_SUFFIXES = ("تموها", "تموه", "هما", "كما", "تما", "تم", "هم", "هن", "كم", "نا", "ها", "وا", "ون", "ين", "ان", "ات",
             "تا", "ه", "ت", "ن", "ا", "ي", "ك")
_KEY_CACHE: dict[str, tuple[str, ...]] = {}
# two-letter verbs (geminate roots written without the shadda) that may follow the conjunction و/ف
_SHORT_HEADS = frozenset({"حث", "حض", "شن"})  # not رد (فرد, ورد: other words)
_NOUN_CACHE: dict[str, str] = {}


def _strip_prefixes(w: str) -> list[str]:
    out = [w]
    cands = [w]
    if len(w) > 3 and w[0] in _PRE1:
        cands.append(w[1:])
    elif len(w) == 3 and w[0] in _PRE1 and w[1:] in _SHORT_HEADS:
        cands.append(w[1:])  # a two-letter verb after و/ف (وحث, فشن)
    for c in list(cands):
        if len(c) > 4 and c[0] in _PRE2 and len(c) - 1 >= 3:
            cands.append(c[1:])
        if c.startswith("لل") and len(c) > 4:
            cands.append(c[2:])
    for c in list(cands):
        if c.startswith("ال") and len(c) > 4:
            cands.append(c[2:])
    for c in cands:
        if c not in out:
            out.append(c)
    return out


_BY_LAST: dict[str, tuple[str, ...]] = {}
for _s in _SUFFIXES:
    _BY_LAST[_s[-1]] = _BY_LAST.get(_s[-1], ()) + (_s,)


def word_keys(word: str) -> tuple[str, ...]:
    """Candidate stems of one surface word (folded, clitics stripped), the word itself first."""
    k = _KEY_CACHE.get(word)
    if k is not None:
        return k
    w = fold(word, search=True)
    out: list[str] = []
    seen = set()
    for c in _strip_prefixes(w):
        if c not in seen:
            seen.add(c)
            out.append(c)
        # one or two suffixes (اتهمته → اتهمت → اتهم)
        for s1 in _BY_LAST.get(c[-1:], ()):
            if c.endswith(s1) and len(c) - len(s1) >= 2:
                c1 = c[:-len(s1)]
                if c1 not in seen:
                    seen.add(c1)
                    out.append(c1)
                for s2 in _BY_LAST.get(c1[-1:], ()):
                    if s2 in ("ت", "وا", "ا", "ن") and c1.endswith(s2) and len(c1) - len(s2) >= 2:
                        c2 = c1[:-len(s2)]
                        if c2 not in seen:
                            seen.add(c2)
                            out.append(c2)
    k = tuple(out)
    if len(_KEY_CACHE) < 200_000:
        _KEY_CACHE[word] = k
    return k


_ART = re.compile(r"^(?:[وف]?(?:[بلك]?ال|لل))(?=..)")


def noun_key(word: str) -> str:
    """The key of a noun or adjective inside a name: folded, article (and a clitic before it) removed, final ه
    (ة) and plural ين/ون/ات removed: ``الحكومة`` → ``حكوم``, ``البريطانية`` → ``بريطاني``."""
    r = _NOUN_CACHE.get(word)
    if r is not None:
        return r
    w = _ART.sub("", fold(word, search=True))
    if w.endswith("ه") and len(w) > 3:
        w = w[:-1]
    elif len(w) > 5 and w.endswith(("يين", "يون")):
        w = w[:-2]
    if len(_NOUN_CACHE) < 200_000:
        _NOUN_CACHE[word] = w
    return w


def phrase_key(s: str) -> str:
    return " ".join(noun_key(w) for w in re.findall(r"[\u0621-\u064a\u0671-\u06d3\u064b-\u065f\u0640]+", s))


# ---------------------------------------------------------------------------------------------------------------
@dataclass
class Trigger:
    code: str
    heads: tuple[str, ...]
    companions: tuple[str, ...]
    flags: frozenset
    source: str = "khabar"


@dataclass
class CodeInfo:
    code: str
    label: str
    quad: int
    goldstein: float


@dataclass
class Resources:
    heads: dict = field(default_factory=dict)          # head key → [Trigger]
    codes: dict = field(default_factory=dict)          # CAMEO code → CodeInfo
    names: dict = field(default_factory=dict)          # phrase key → (kind, value...) for actors/agents/countries
    max_len: int = 1
    up_verbs: dict = field(default_factory=dict)       # verb key → [(code, (object keys...))]
    firsts: set = field(default_factory=set)
    head_lens: dict = field(default_factory=dict)     # first two letters of a head → its lengths           # first words of the keys of ``names``
    prefixes: set = field(default_factory=set)        # the keys of ``names`` (up to max_len words) and their prefixes


def _read(*parts: str) -> str:
    try:
        return resources.files("khabar").joinpath("resources", *parts).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""


def _rows(text: str):
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        yield line.rstrip("\n").split("\t")


def code_info(res: "Resources", code: str) -> CodeInfo:
    for c in (code, code[:3], code[:2]):
        if c in res.codes:
            return res.codes[c]
    return CodeInfo(code, "", 0, 0.0)


@lru_cache(maxsize=1)
def load() -> Resources:
    """All event resources, read once: CAMEO codes, triggers, UniversalPetrarch verbs, and the names (actors,
    agents, organisations, countries) with the indexes the mention scan walks."""
    res = Resources()
    _load_codes(res)
    _load_triggers(res)
    _load_up_verbs(res)
    _load_names(res)
    _index_names(res)
    return res


def _load_codes(res: Resources) -> None:
    """CAMEO codes (``codes.tsv``): label, quad class, Goldstein score."""
    for cols in _rows(_read("events", "codes.tsv")):
        if len(cols) >= 4:
            res.codes[cols[0]] = CodeInfo(cols[0], cols[1], int(cols[2]), float(cols[3]))


def _trigger_heads(heads: str) -> list[str]:
    """A trigger's head forms, folded; an imperfect verb in ي also in ت and ن (يدين → تدين, ندين)."""
    hs = []
    for h in heads.split("|"):
        h = fold(h.strip(), search=True)
        if not h:
            continue
        hs.append(h)
        if h[0] == "ي" and len(h) >= 3:
            hs.extend(p + h[1:] for p in ("ت", "ن"))
    return hs


def _load_triggers(res: Resources) -> None:
    """The hand-written trigger lexicon (``triggers.tsv``: code, heads, companion words, flags), by head form."""
    for cols in _rows(_read("events", "triggers.tsv")):
        cols = (cols + ["", "", ""])[:4]
        code, heads, comps, flags = cols
        hs = _trigger_heads(heads)
        t = Trigger(code, tuple(hs), tuple(fold(c.strip(), search=True) for c in comps.split("|") if c.strip()),
                    frozenset(f.strip() for f in flags.split(",") if f.strip()))
        for h in hs:
            res.heads.setdefault(h, []).append(t)


def _load_up_verbs(res: Resources) -> None:
    """The converted UniversalPetrarch verb patterns (``up_verbs.tsv``): verb key → [(code, object keys)]."""
    for cols in _rows(_read("events", "up_verbs.tsv")):
        if len(cols) >= 3:
            for v in cols[1].split("|"):
                res.up_verbs.setdefault(v, []).append((cols[0], tuple(cols[2].split())))


def _load_names(res: Resources) -> None:
    """Names by phrase key, later tables overriding earlier ones: UniversalPetrarch actors and agents (several
    words only: single words are too often common nouns, مالي, مدينة), our agents, organisations, and countries
    (names, capitals, nisba adjectives)."""
    names = res.names

    def put(key, val, override=False):
        if key and (override or key not in names):
            names[key] = val
    for cols in _rows(_read("events", "actors.tsv")):
        if len(cols) >= 3 and cols[1][:3].isalpha() and " " in cols[0]:
            put(cols[0], {"kind": "actor", "code": cols[1], "name": cols[2]})
    for cols in _rows(_read("events", "agents.tsv")):
        if len(cols) >= 2 and " " in cols[0]:
            put(cols[0], {"kind": "agent", "code": cols[1], "up": True})
    for cols in _rows(_read("events", "agents_core.tsv")):
        if len(cols) >= 2:
            for form in cols[0].split("|"):
                put(phrase_key(form), {"kind": "agent", "code": cols[1]}, override=True)
    for cols in _rows(_read("events", "orgs.tsv")):
        if len(cols) >= 3:
            for form in cols[2].split("|") + [cols[0]]:
                put(phrase_key(form), {"kind": "org", "code": cols[1], "name": cols[0]}, override=True)
    _load_countries(put)


def _load_countries(put) -> None:
    """Countries (``actors/countries.tsv``): canonical name and aliases, capitals (metonyms), nisba adjectives."""
    for cols in _rows(_read("actors", "countries.tsv")):
        cols = (cols + ["", "", "", ""])[:5]
        iso3, canon, aliases, capitals, nisba = cols
        for a in [canon] + [x for x in aliases.split("|") if x]:
            put(phrase_key(a), {"kind": "country", "iso3": iso3, "name": canon}, override=True)
        for c in (x for x in capitals.split("|") if x):
            put(phrase_key(c), {"kind": "capital", "iso3": iso3, "name": canon}, override=True)
        for n in (x for x in nisba.split("|") if x):
            put(phrase_key(n), {"kind": "nisba", "iso3": iso3, "name": canon}, override=True)


def _index_names(res: Resources) -> None:
    """The first words of the names, their longest length (at most 5 words) and every prefix of a name."""
    names = res.names
    res.firsts = {k.split()[0] for k in names if k}
    res.max_len = max((len(k.split()) for k in names), default=1)
    res.max_len = min(res.max_len, 5)
    res.prefixes = {" ".join(k.split(" ")[:i]) for k in names if k for i in range(1, res.max_len + 1)}
