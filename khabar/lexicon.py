"""Loading the word lists in ``khabar/resources/lexicon`` (see its PROVENANCE.md), folded for matching.

Every list is read once per process (``functools.lru_cache``) and stored in the folded form of
:func:`khabar.text.normalize.fold` (hamza forms of alef → ا, ى → ي, ؤ → و, ئ → ي, no diacritics, Latin lower-case),
because the stages match them against the folded view of the text and map the hits back to the original.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .text.normalize import fold

LEXICON_DIR = Path(__file__).resolve().parent / "resources" / "lexicon"


def _rows(name: str):
    with open(LEXICON_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield [c.strip() for c in line.split("\t")]


def alternation(words, *, escape=True) -> str:
    """A regex alternation of the words, longest first (so that the longest form wins)."""
    import regex

    ws = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w) if escape else w for w in ws)


# ------------------------------------------------------------------------------------------------ verbs
@dataclass(frozen=True)
class VerbForm:
    lemma: str
    cls: str
    kind: str          # past | present | participle | masdar
    gender: str        # m | f | pl | dual | ? (unknown)
    prep: str          # folded governed preposition or ""
    noun_object: bool


@dataclass
class Verbs:
    forms: dict = field(default_factory=dict)   # folded form -> VerbForm


def _past_forms(p: str):
    if p.endswith("ي"):          # نفى (folded ى → ي): نفت نفوا نفيا نفتا
        st = p[:-1]
        return [(p, "m"), (st + "ت", "f"), (st + "وا", "pl"), (st + "يا", "dual"), (st + "تا", "dual")]
    if p.endswith("ا") and len(p) > 2:   # دعا: دعت دعوا
        st = p[:-1]
        return [(p, "m"), (st + "ت", "f"), (st + "وا", "pl"), (st + "وا", "pl")]
    return [(p, "m"), (p + "ت", "f"), (p + "وا", "pl"), (p + "ا", "dual"), (p + "تا", "dual"),
            (p + "ن", "pl")]


def _present_forms(y: str):
    rest = y[1:]
    out = [(y, "m"), ("ت" + rest, "f")]
    if y.endswith("ي") or y.endswith("و"):
        out += [(y[:-1] + "ون", "pl"), ("ت" + rest[:-1] + "ون", "pl")]
    else:
        out += [(y + "ون", "pl"), (y + "ان", "dual"), ("ت" + rest + "ان", "dual")]
    return out


def _participle_forms(a: str):
    st = a[:-1] if a.endswith("ا") else a
    return [(st + "ا", "m"), (st, "m"), (st + "ة", "f"), (st + "ين", "pl"), (st + "تين", "dual"),
            (st + "ان", "dual"), (st + "ات", "pl")]


@lru_cache(maxsize=None)
def verbs() -> Verbs:
    v = Verbs()
    for row in _rows("reporting_verbs.tsv"):
        row += ["-"] * (8 - len(row))
        lemma, cls, past, pres, part, masdar, prep, nobj = row[:8]
        prep = "" if prep == "-" else fold(prep)
        nobj = nobj == "y"
        lemma = fold(lemma)

        def add(form, kind, gender):
            form = fold(form)
            if form and form not in v.forms:
                v.forms[form] = VerbForm(lemma, cls, kind, gender, prep, nobj)

        if past != "-":
            for f, g in _past_forms(fold(past)):
                add(f, "past", g)
        if pres != "-":
            for f, g in _present_forms(fold(pres)):
                add(f, "present", g)
        if part != "-":
            for f, g in _participle_forms(fold(part)):
                add(f, "participle", g)
        if masdar != "-":
            m = fold(masdar)
            base = m[2:] if m.startswith("ال") else m
            add("ال" + base, "masdar", "?")
            add(base, "masdar", "?")
            for suf, g in (("ه", "m"), ("ها", "f"), ("هم", "pl"), ("هما", "dual")):
                add(base + suf, "masdar", g)
    # forms that are far more often something else (a preposition, a noun, an adjective) than a reporting word
    for bad in ("بين", "امل", "نقلا", "ردا", "مصر", "مقر", "عبر", "مدعي", "مدعيا", "متهم", "متهما", "متهمة",
                "متهمين", "متهمان", "متابعة", "ملاحظة", "مطالب", "مطالبة", "معبر", "مشدد", "مشددة", "متوقع",
                "متوقعا", "متوقعة", "مرجح", "مرجحا", "مرجحة", "مبين", "لافت", "مؤكد", "قائل", "مفيد", "مفيدا",
                "مفيدة", "معلن", "منكر", "نافي", "ناقل", "حكما", "ملاحظ", "متابع", "مقرة", "مصرة", "مهدد",
                "مهددة", "مستبعد", "معتقد", "متحدث", "تابعة", "تابعين", "مردف", "ذاكر", "اعلان", "تاكيد",
                "مجيب", "زاعم", "كاشف", "معرب", "معترف", "مصرح", "منوه", "مفصح", "متسائل", "مستطرد", "متعهد",
                "متوعد", "تقدر", "مطالبين", "مطالبات", "ملمح", "واصف", "شاكر", "مشير", "موضح", "معتبر", "داعي"):
        v.forms.pop(bad, None)
    return v


# ------------------------------------------------------------------------------------------------ cues etc.
@lru_cache(maxsize=None)
def cues() -> dict:
    with open(LEXICON_DIR / "cues.json", encoding="utf-8") as fh:
        d = json.load(fh)
    out = {}
    for k, val in d.items():
        if isinstance(val, list):
            out[k] = [fold(x) for x in val]
    return out


@lru_cache(maxsize=None)
def media() -> dict:
    nouns, outlets, amb = set(), set(), set()
    for kind, name in _rows("media.tsv"):
        f = fold(name)
        if kind == "noun":
            nouns.add(f)
        elif kind == "outlet":
            outlets.add(f)
        else:
            amb.add(f)
    return {"nouns": nouns, "outlets": outlets, "ambiguous": amb}


@lru_cache(maxsize=None)
def source_words() -> dict:
    """The sources pass's word classes (``sources.tsv``), folded: ``info``, ``post``, ``platform``, ``norm``,
    ``quant`` and ``org`` word sets (an ``org`` entry of two words is stored whole and by its first word), and ``publish``: the past and present stems of verbs of publishing."""
    out: dict = {"info": set(), "post": set(), "platform": set(), "norm": set(), "quant": set(), "org": set(),
                 "publish": []}
    for row in _rows("sources.tsv"):
        kind = row[0]
        if kind == "publish":
            out["publish"].append(tuple(fold(w) for w in row[1:3]))
        elif kind in out:
            out[kind].add(fold(row[1]))
            if kind == "org":
                out[kind].add(fold(row[1]).split()[0])
    return out


@lru_cache(maxsize=None)
def roles() -> dict:
    """folded word → (kind, gender, class) for titles, organisation heads, document nouns, groups."""
    out: dict[str, tuple[str, str, str]] = {}
    for row in _rows("roles.tsv"):
        kind, word, gender, cls = (row + ["", "", ""])[:4]
        out.setdefault(fold(word), (kind, gender, cls))
    return out


@lru_cache(maxsize=None)
def places() -> dict:
    """countries, capitals, cities, nisbas (all folded); ``capital_of`` and ``city_country`` maps."""
    countries, capitals, cities, nisbas = {}, {}, {}, {}
    for row in _rows("places.tsv"):
        row += ["-"] * (4 - len(row))
        country, capital, others, nisba = row[:4]
        fc = fold(country)
        countries[fc] = country
        if capital != "-":
            capitals.setdefault(fold(capital), country)
            cities.setdefault(fold(capital), country)
        if others != "-":
            for c in others.split(","):
                cities.setdefault(fold(c.strip()), country)
        if nisba != "-":
            nisbas.setdefault(fold(nisba), country)
    return {"countries": countries, "capitals": capitals, "cities": cities, "nisbas": nisbas}


@lru_cache(maxsize=None)
def months() -> list[tuple[str, int, str, bool]]:
    """(folded name, month number, calendar g|h, ambiguous)."""
    out = []
    for row in _rows("months.tsv"):
        name, num, cal, _family, amb = (row + ["", "", "", "", "n"])[:5]
        out.append((fold(name), int(num), cal, amb == "y"))
    return out


@lru_cache(maxsize=None)
def weekdays() -> dict:
    return {fold(name): value for name, value in _rows("weekdays.tsv")}


@lru_cache(maxsize=None)
def organisations() -> dict:
    """The shared inventory of organisations for the entity pass: ``heads`` (folded head nouns: roles.tsv's org
    heads and orgs.tsv's), ``generic`` (heads that describe rather than name: الحكومة البريطانية), ``names``
    (folded with ``search=True`` → kind: ``org`` or ``seat`` (a seat of government named by its building: a place)
    from orgs.tsv, ``outlet`` from media.tsv, ``mined`` from orgs_mined.tsv) and ``ambiguous``
    (outlets whose name is also a common word: only after a media noun or in brackets/quotes), ``media_nouns``."""
    heads = {w for w, (kind, _g, _c) in roles().items() if kind == "org" and " " not in w}
    generic, names, amb = set(), {}, set()
    for kind, name in _rows("orgs.tsv"):
        if kind == "head":
            heads.add(fold(name))
        elif kind == "generic":
            generic.add(fold(name))
        elif kind in ("org", "seat"):
            names.setdefault(fold(name, search=True), kind)
    # head + name phrases mined from the news (training/mine_org_gazetteer.py), head + modifiers that the tagger
    # reads as one name across the news (training/mine_org_names.py)
    for row in [*_rows("orgs_mined.tsv"), *_rows("orgs_mined_names.tsv")]:
        names.setdefault(fold(row[1], search=True), "mined")
    for kind, name in _rows("media.tsv"):
        f = fold(name, search=True)
        if kind == "outlet" and " " not in f and f.startswith("ال") and f.endswith(("يه", "ي")):
            amb.add(f)  # الاقتصادية: also an adjective (الأزمة الاقتصادية); only in an outlet's context
        elif kind == "outlet":
            names.setdefault(f, "outlet")
        elif kind == "outlet_amb":
            amb.add(fold(name, search=True))
    nouns = {fold(n, search=True) for n in media()["nouns"]}
    return {"heads": frozenset(heads), "generic": frozenset(generic), "names": names,
            "ambiguous": frozenset(amb), "media_nouns": frozenset(nouns)}
