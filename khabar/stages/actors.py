"""``actors`` stage: clusters of entity mentions in one document that name the same thing.

Sieves, most precise first (each merges only what earlier ones left apart):

1. **Countries** (``resources/actors/countries.tsv``): every alias and spelling of a state (``أيران``,
   ``الجمهورية الإسلامية``) and its capital used as a metonym (``طهران``) join the country's actor, whose name is
   the table's canonical name and whose key is ``GPE:<ISO3>``.
2. **Same name**: mentions equal after folding (hamza forms, ى/ي, ة/ه, diacritics, tatweel) join.
3. **Acronyms**: an ORG followed by a Latin acronym in brackets or quotes (``معهد العلوم والأمن الدولي (ISIS)``,
   ``هيئة الإذاعة البريطانية "BBC"``) joins it.
4. **Person names**: a shorter PER mention whose words end a longer PER name (``سورز`` → ``جون سورز``) joins the
   nearest preceding such name (or the only one).
5. **Roles**: a role phrase right before a named person (``الرئيس الأمريكي باراك أوباما``,
   ``مندوب بريطانيا لدى الأمم المتحدة، جون سورز،``) becomes a mention of that person, and later uses of the same
   role phrase (``الرئيس الأمريكي``) join too.

Each actor: ``{id, name, type, key, mentions: [{start, end, text}], iso3?}``.  ``key`` is the same across
documents for the same name (``PER:باراك اوباما``, folded), so a store can group ``أوباما``/``اوباما``.
Entities get ``attrs["actor"]`` = the actor id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import Document, Span
from ..pipeline import Stage, register
from ..text.normalize import fold

TYPE_KEY = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC", "GPE": "GPE"}
_ARTICLE = re.compile(r"^(ال)")
ROLE_HEADS = ("الرئيس", "رئيس", "وزير", "وزيرة", "المتحدث", "المتحدثة", "الناطق", "مندوب", "سفير", "السفير",
              "الأمين", "أمين", "زعيم", "قائد", "مدير", "المدير", "الملك", "الأمير", "ولي", "نائب", "مستشار",
              "المستشار", "رئيسة", "الرئيسة", "دبلوماسي", "المبعوث", "مبعوث", "الجنرال", "العقيد", "اللواء",
              "الشيخ", "الدكتور", "النائب", "القاضي", "المرشد", "المرشح", "عضو", "محافظ", "حاكم", "مسؤول",
              "المسؤول", "رئيس الوزراء", "الوزير", "المندوب", "القائد", "الزعيم", "مساعد", "كبير")


@dataclass
class PlaceIndex:
    names: dict            # folded alias → (iso3, canonical, is_capital)
    first: dict            # folded first word → sorted lengths (in words), longest first


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    names: dict[str, tuple[str, str, bool]] = {}
    text = resources.files("khabar").joinpath("resources", "actors", "countries.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + ["", "", "", ""])[:5]
        iso3, canon, aliases, capitals = cols[0], cols[1], cols[2], cols[3]
        for a in [canon] + [x for x in aliases.split("|") if x]:
            names.setdefault(fold(a, search=True), (iso3, canon, False))
        for c in (x for x in capitals.split("|") if x):
            names.setdefault(fold(c, search=True), (iso3, canon, True))
    first: dict[str, list[int]] = {}
    for k in names:
        w = k.split()
        first.setdefault(w[0], set()).add(len(w))
    return PlaceIndex(names, {k: sorted(v, reverse=True) for k, v in first.items()})


def name_key(text: str) -> str:
    return " ".join(fold(text, search=True).split())


class _Cluster:
    __slots__ = ("type", "mentions", "name", "iso3", "role_keys")

    def __init__(self, typ: str, name: str, iso3: str | None = None):
        self.type = typ
        self.name = name
        self.iso3 = iso3
        self.mentions: list[tuple[int, int]] = []
        self.role_keys: set[str] = set()


_LATIN_ACRONYM_WORD = re.compile(r"\b[A-Z][A-Z0-9&]{1,11}\b")
_LATIN_ACRONYM = re.compile(r"\s*[(\"«“]?\s*([A-Z][A-Z0-9.&-]{1,11})\b\s*[)\"»”]?")


@register
class ActorsStage(Stage):
    name = "actors"
    version = "1"
    requires = ("entities", "normalized")
    produces = ("actors", "entities")

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        places = place_index()
        clusters: list[_Cluster] = []
        by_key: dict[str, _Cluster] = {}
        assign: dict[tuple[int, int], _Cluster] = {}
        ents = list(doc.layers.get("entities", ()))

        def new(typ, name, key, iso3=None):
            c = _Cluster(typ, name, iso3)
            clusters.append(c)
            by_key[key] = c
            return c

        # 1-3: countries, same name, acronyms
        pending_per: list[Span] = []
        for e in ents:
            mt = text[e.start:e.end]
            k = name_key(mt)
            place = places.names.get(k) or places.names.get(_ARTICLE.sub("", k))
            if place and e.label in ("LOC", "ORG", "MISC"):
                iso3, canon, _cap = place
                c = by_key.get("GPE:" + iso3) or new("GPE", canon, "GPE:" + iso3, iso3)
            elif e.label == "PER" and (e.label + ":" + k) not in by_key:
                pending_per.append(e)
                continue
            else:
                c = by_key.get(e.label + ":" + k)
                if c is None and e.label in ("ORG", "MISC"):
                    # "معهد ISIS": a name holding a known acronym joins the acronym's actor
                    for acr in _LATIN_ACRONYM_WORD.findall(mt):
                        c = by_key.get("ORG:" + name_key(acr))
                        if c is not None:
                            break
                if c is None:
                    c = new(e.label, mt, e.label + ":" + k)
            c.mentions.append((e.start, e.end))
            assign[(e.start, e.end)] = c
            if e.label in ("ORG", "MISC"):
                m = _LATIN_ACRONYM.match(text, e.end)
                if m:
                    acr = (m.start(1), m.end(1))
                    by_key.setdefault(e.label + ":" + name_key(m.group(1)), c)
                    by_key.setdefault("ORG:" + name_key(m.group(1)), c)
                    by_key.setdefault("MISC:" + name_key(m.group(1)), c)
                    assign.setdefault(acr, c)
        # 4: persons, longest names first, then shorter ones attach to the nearest preceding longer name
        pending_per.sort(key=lambda s: -len(text[s.start:s.end].split()))
        for e in pending_per:
            mt = text[e.start:e.end]
            k = name_key(mt)
            c = by_key.get("PER:" + k)
            if c is None:
                words = k.split()
                best = None
                for other in clusters:
                    if other.type != "PER":
                        continue
                    ow = name_key(other.name).split()
                    if len(ow) > len(words) and ow[-len(words):] == words or (
                            len(words) == 1 and len(ow) > 1 and words[0] in ow[1:]):
                        before = [s for s, _ in other.mentions if s < e.start]
                        dist = e.start - max(before) if before else 10 ** 9
                        if best is None or dist < best[0]:
                            best = (dist, other)
                c = best[1] if best else new("PER", mt, "PER:" + k)
                by_key["PER:" + k] = c
            c.mentions.append((e.start, e.end))
            assign[(e.start, e.end)] = c
        # 5: role phrases before named persons, and their later uses
        role_of: dict[str, _Cluster] = {}
        for e in ents:
            c = assign.get((e.start, e.end))
            if c is None or c.type != "PER":
                continue
            role = _role_before(text, e.start)
            if role:
                rk = name_key(text[role[0]:role[1]])
                role_of.setdefault(rk, c)
                c.mentions.append(role)
                c.role_keys.add(rk)
        view = doc.layers.get("normalized")
        if role_of and view is not None:
            # the normalised view keeps ة; fold it the same way as the keys for matching (once per document)
            folded = view.text.replace("ة", "ه")
            for rk, c in role_of.items():
                for m in re.finditer(r"(?<![\w])" + re.escape(rk) + r"(?![\w])", folded):
                    s, en = view.to_original(m.start(), m.end())
                    if (s, en) not in c.mentions and not any(a <= s < b for a, b in c.mentions):
                        c.mentions.append((s, en))
        # output
        actors = []
        ids = {}
        for i, c in enumerate(sorted(clusters, key=lambda c: min(c.mentions) if c.mentions else (0, 0))):
            if not c.mentions:
                continue
            aid = f"A{i + 1}"
            ids[id(c)] = aid
            if c.type == "PER":
                # the fullest name: the mention with the most words among named (non-role) mentions
                named = [text[s:e] for s, e in c.mentions if name_key(text[s:e]) not in c.role_keys]
                if named:
                    c.name = max(named, key=lambda t: (len(t.split()), len(t)))
            key = f"GPE:{c.iso3}" if c.iso3 else f"{TYPE_KEY.get(c.type, c.type)}:{name_key(c.name)}"
            actor = {"id": aid, "name": c.name, "type": c.type, "key": key,
                     "mentions": [{"start": s, "end": e, "text": text[s:e]} for s, e in sorted(set(c.mentions))]}
            if c.iso3:
                actor["iso3"] = c.iso3
            actors.append(actor)
        new_ents = []
        for e in ents:
            c = assign.get((e.start, e.end))
            attrs = dict(e.attrs or {})
            if c is not None and id(c) in ids:
                attrs["actor"] = ids[id(c)]
            new_ents.append(Span(e.start, e.end, e.label, attrs or None))
        return doc.with_layers(actors=tuple(actors), entities=tuple(new_ents))


_ROLE_RE = None


def _role_before(text: str, pos: int) -> tuple[int, int] | None:
    """A role phrase ending right before ``pos`` (optionally with a comma): ``الرئيس الأمريكي باراك``."""
    global _ROLE_RE
    if _ROLE_RE is None:
        heads = "|".join(sorted((re.escape(h) for h in ROLE_HEADS), key=len, reverse=True))
        _ROLE_RE = re.compile(r"(?:^|(?<=[\s،,(]))(?:[وف])?(?:" + heads + r")(?:\s+[^\s،,.:؛\"«»()]+){0,4}?\s*،?\s*$")
    window = text[max(0, pos - 80):pos]
    m = _ROLE_RE.search(window)
    if not m:
        return None
    s = pos - len(window) + m.start()
    phrase = m.group()
    if phrase[0] in "وف" and phrase[1:2] in ("ا", "ر", "و", "م", "س", "ن", "ق", "ز", "ك", "د", "ع", "ح", "ش", "أ") and \
            phrase[1:].split()[0] in ROLE_HEADS:
        s += 1
        phrase = phrase[1:]
    stripped = phrase.rstrip(" ،\t\n")
    e = s + len(stripped)
    return (s, e) if e > s else None
