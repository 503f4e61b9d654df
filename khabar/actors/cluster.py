"""Clusters of entity mentions in one document that name the same thing.

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

Not actors: the outlet's own credit (the dateline's agency, ``واشنطن (CNN)--``, and a known outlet alone in
brackets, ``(رويترز)``; the mentions of the credited outlet get ``attrs["outlet"] = True`` instead: the outlet that
wrote the article, not an actor it is about), and currencies and units (``دولار``، ``يورو``، ``كيلومتر``).  The
dateline is found again from the text here (:func:`khabar.dates.find_dateline`, a regex on the first 200
characters), so the stage reads no layer it does not require.

Each actor: ``{id, name, type, key, mentions: [{start, end, text}], iso3?}``.  ``key`` is the same across
documents for the same name (``PER:باراك اوباما``, folded), so a store can group ``أوباما``/``اوباما``.
Entities get ``attrs["actor"]`` = the actor id.
"""
from __future__ import annotations

import functools
import re
from importlib import resources

from ..document import Document, Span
from .names import TYPE_KEY, name_key, place_index

_ARTICLE = re.compile(r"^(ال)")
ROLE_HEADS = ("الرئيس", "رئيس", "وزير", "وزيرة", "المتحدث", "المتحدثة", "الناطق", "مندوب", "سفير", "السفير",
              "الأمين", "أمين", "زعيم", "قائد", "مدير", "المدير", "الملك", "الأمير", "ولي", "نائب", "مستشار",
              "المستشار", "رئيسة", "الرئيسة", "دبلوماسي", "المبعوث", "مبعوث", "الجنرال", "العقيد", "اللواء",
              "الشيخ", "الدكتور", "النائب", "القاضي", "المرشد", "المرشح", "عضو", "محافظ", "حاكم", "مسؤول",
              "المسؤول", "رئيس الوزراء", "الوزير", "المندوب", "القائد", "الزعيم", "مساعد", "كبير")
_LATIN_ACRONYM_WORD = re.compile(r"\b[A-Z][A-Z0-9&]{1,11}\b")
_LATIN_ACRONYM = re.compile(r"\s*[(\"«“]?\s*([A-Z][A-Z0-9.&-]{1,11})\b\s*[)\"»”]?")


class _Cluster:
    __slots__ = ("type", "mentions", "name", "iso3", "role_keys")

    def __init__(self, typ: str, name: str, iso3: str | None = None):
        self.type = typ
        self.name = name
        self.iso3 = iso3
        self.mentions: list[tuple[int, int]] = []
        self.role_keys: set[str] = set()


class _Clusters:
    """The clusters of one document as the sieves build them: by key (``GPE:IRN``, ``PER:<name key>``, acronyms)
    and by entity span."""

    def __init__(self, text: str):
        self.text = text
        self.clusters: list[_Cluster] = []
        self.by_key: dict[str, _Cluster] = {}
        self.assign: dict[tuple[int, int], _Cluster] = {}

    def new(self, typ, name, key, iso3=None) -> _Cluster:
        c = _Cluster(typ, name, iso3)
        self.clusters.append(c)
        self.by_key[key] = c
        return c

    def add(self, c: _Cluster, e: Span) -> None:
        c.mentions.append((e.start, e.end))
        self.assign[(e.start, e.end)] = c


def cluster_actors(doc: Document) -> tuple[tuple, tuple]:
    """(actors, entities with ``attrs["actor"]``) of one document: the five sieves, then the output records."""
    ents = _dateline_places(doc.text, list(doc.layers.get("entities", ())))
    credits = _outlet_credits(doc.text, ents, doc.meta.get("outlet"))
    if credits:
        ents = [Span(e.start, e.end, e.label, {**(e.attrs or {}), "outlet": True}) if (e.start, e.end) in credits
                else e for e in ents]
    cl = _Clusters(doc.text)
    pending_per = _sieve_names(cl, [e for e in ents if (e.start, e.end) not in credits and not _is_unit(doc.text, e)])
    _sieve_persons(cl, pending_per)
    _sieve_roles(cl, ents, doc.layers.get("normalized"))
    actors, ids = _actor_records(cl)
    return tuple(actors), tuple(_linked_entities(ents, cl.assign, ids))


# currencies and units of measure: never actors (a tagger trained on newswire tags دولار as MISC)
_UNITS = {name_key(w) for w in (
    "دولار دولارات يورو ريال ريالات درهم دراهم دينار دنانير جنيه جنيهات ليرة ليرات روبل روبية يوان ين فرنك "
    "شيكل شيكل بيتكوين استرليني إسترليني كيلومتر كيلومترات كلم كم متر أمتار ميل أميال طن أطنان برميل براميل "
    "كيلوغرام كيلوجرام كغ غرام ميغاواط ميجاوات هكتار فدان دونم").split()}
_MEDIA_OUTLETS = None


def _is_unit(text: str, e: Span) -> bool:
    """A currency or unit (``دولار``، ``الدولار الأمريكي``، ``يورو``): its first word, past ال, is one."""
    if e.label == "PER":
        return False
    w = name_key(text[e.start:e.end]).split()
    if not w:
        return False
    first = w[0][2:] if w[0].startswith("ال") and len(w[0]) > 3 else w[0]
    return first in _UNITS or w[0] in _UNITS or (first.endswith("ا") and first[:-1] in _UNITS)  # دولارا


# a line that speaks to the outlet's readers: download the app, follow us, subscribe, click (the outlet's promotion)
_READER_CALL = re.compile(r"\s*[-•*]?\s*(?:تحميل|حمل|حمّل|نزّل|نزل|تابعوا|تابعونا|تابع|اشترك|اشتركوا|اضغط|اضغطوا|انقر|"
                          r"شاهدوا|يمكنكم|بإمكانكم|للاشتراك|لتحميل|لمتابعة)(?:\s|$)")


def _dateline_places(text: str, ents: list) -> list:
    """The dateline's city and country are places, whatever the tagger said (``أتلانتا، الولايات المتحدة (CNN)``:
    أتلانتا tagged ORG beside CNN's credit)."""
    if not ents or ents[0].start > 200:
        return ents
    from ..dates import find_dateline
    dl = find_dateline(text)
    if not dl:
        return ents
    places = {name_key(dl[k]) for k in ("city", "country") if dl.get(k)}
    end = dl.get("end", 0)
    return [Span(e.start, e.end, "LOC", e.attrs) if e.start < end and e.label != "LOC"
            and name_key(text[e.start:e.end]) in places else e for e in ents]


def _line_before(text: str, pos: int) -> str:
    """The text from the start of ``pos``'s line (or sentence) up to ``pos``."""
    a = max(text.rfind("\n", 0, pos), text.rfind(". ", 0, pos) + 1, text.rfind("؟", 0, pos))
    return text[a + 1:pos]


@functools.lru_cache(maxsize=1)
def _outlet_names() -> dict:
    """Folded name of an outlet → the folded names of that outlet (``resources/actors/outlets.tsv``: BBC, بي بي
    سي, هيئة الإذاعة البريطانية ...)."""
    groups: dict[str, frozenset] = {}
    text = resources.files("khabar").joinpath("resources", "actors", "outlets.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = frozenset(name_key(x) for x in line.split("\t") if x.strip())
        for k in names:
            groups[k] = groups.get(k, frozenset()) | names
    return groups


def _outlet_credits(text: str, ents, own: str | None = None) -> set:
    """Spans of the mentions that are the outlet's own credit: every mention of the dateline's agency
    (``واشنطن (CNN)--`` credits CNN), of the outlet its metadata names (``outlet``: BBC), or of an outlet its call to
    readers names (``تحميل أحدث نسخة من تطبيق بي بي
    سي عربي``: the BBC's own mentions, its correspondent's and its interviews, are the outlet at work, not an actor
    the article is about), and a known outlet alone in brackets (``(رويترز)``, ``(أ ف ب)``)."""
    global _MEDIA_OUTLETS
    if not ents:
        return set()
    from ..dates import find_dateline
    if _MEDIA_OUTLETS is None:
        from ..lexicon import media
        m = media()
        _MEDIA_OUTLETS = {name_key(x) for x in m["outlets"] | m["ambiguous"]}
    out = set()
    credited = set()
    dl = find_dateline(text)
    if dl and dl.get("agency"):
        credited.add(name_key(dl["agency"]))
    if isinstance(own, str) and own.strip():  # the article's own outlet, when its metadata names it
        credited.add(name_key(own))
    for k in list(credited):
        credited |= _outlet_names().get(k, frozenset())
    for e in ents:  # the outlet's call to its readers (تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفك)
        if e.label in ("ORG", "MISC", "LOC", "PER"):
            k = name_key(text[e.start:e.end])
            if k in _MEDIA_OUTLETS and k not in credited and _READER_CALL.match(_line_before(text, e.start)):
                credited.add(k)
    for k in list(credited):
        credited |= _outlet_names().get(k, frozenset())
    for e in ents:
        if e.label not in ("ORG", "MISC", "LOC", "PER"):
            continue
        k = name_key(text[e.start:e.end])
        if k in credited:
            out.add((e.start, e.end))
        elif k in _MEDIA_OUTLETS and text[e.start - 1:e.start] == "(" and text[e.end:e.end + 1] == ")":
            out.add((e.start, e.end))
    return out


def _sieve_names(cl: _Clusters, ents) -> list[Span]:
    """Sieves 1-3: countries (aliases and capitals of LOC/ORG/MISC mentions), same name, acronyms.  Returns the
    PER mentions whose name has no cluster yet, for :func:`_sieve_persons`."""
    text, by_key = cl.text, cl.by_key
    places = place_index()
    pending_per: list[Span] = []
    for e in ents:
        mt = text[e.start:e.end]
        if mt.startswith("لل") and len(mt) > 3 and e.label != "PER":
            mt = "ا" + mt[1:]  # an entity written with fused ل + ال (للأمم المتحدة) is the name with its ال
        k = name_key(mt)
        place = places.names.get(k) or places.names.get(_ARTICLE.sub("", k))
        if place and e.label in ("LOC", "ORG", "MISC"):
            iso3, canon, _cap = place
            c = by_key.get("GPE:" + iso3) or cl.new("GPE", canon, "GPE:" + iso3, iso3)
        elif e.label == "PER" and (e.label + ":" + k) not in by_key:
            pending_per.append(e)
            continue
        else:
            c = _same_name(cl, e, mt, k)
        cl.add(c, e)
        if e.label in ("ORG", "MISC"):
            _acronym_after(cl, e, c)
    return pending_per


def _same_name(cl: _Clusters, e: Span, mt: str, k: str) -> _Cluster:
    """The cluster of a mention's name (same label and name key), else of a known acronym held in an ORG/MISC name
    ("معهد ISIS" joins the acronym's actor), else a new cluster."""
    c = cl.by_key.get(e.label + ":" + k)
    if c is None and e.label in ("ORG", "MISC"):
        for acr in _LATIN_ACRONYM_WORD.findall(mt):
            c = cl.by_key.get("ORG:" + name_key(acr))
            if c is not None:
                break
    if c is None:
        c = cl.new(e.label, mt, e.label + ":" + k)
    return c


def _acronym_after(cl: _Clusters, e: Span, c: _Cluster) -> None:
    """A Latin acronym right after an ORG/MISC mention (``(ISIS)``, ``"BBC"``): a key of the same cluster, and its
    span a mention of it."""
    m = _LATIN_ACRONYM.match(cl.text, e.end)
    if m:
        acr = (m.start(1), m.end(1))
        by_key = cl.by_key
        by_key.setdefault(e.label + ":" + name_key(m.group(1)), c)
        by_key.setdefault("ORG:" + name_key(m.group(1)), c)
        by_key.setdefault("MISC:" + name_key(m.group(1)), c)
        cl.assign.setdefault(acr, c)


def _sieve_persons(cl: _Clusters, pending_per: list[Span]) -> None:
    """Sieve 4: persons, longest names first; a shorter name joins the nearest preceding longer name it ends (or
    whose non-first word it is)."""
    text = cl.text
    pending_per.sort(key=lambda s: -len(text[s.start:s.end].split()))
    for e in pending_per:
        mt = text[e.start:e.end]
        k = name_key(mt)
        c = cl.by_key.get("PER:" + k)
        if c is None:
            c = _longer_name(cl, k, e.start) or cl.new("PER", mt, "PER:" + k)
            cl.by_key["PER:" + k] = c
        cl.add(c, e)


def _longer_name(cl: _Clusters, k: str, start: int) -> _Cluster | None:
    """The PER cluster whose name ends with the words of name key ``k`` (``سورز`` → ``جون سورز``), or holds a
    one-word ``k`` after its first word, nearest before ``start``; None if none."""
    words = k.split()
    best = None
    for other in cl.clusters:
        if other.type != "PER":
            continue
        ow = name_key(other.name).split()
        if len(ow) > len(words) and ow[-len(words):] == words or (
                len(words) == 1 and len(ow) > 1 and words[0] in ow[1:]):
            before = [s for s, _ in other.mentions if s < start]
            dist = start - max(before) if before else 10 ** 9
            if best is None or dist < best[0]:
                best = (dist, other)
    return best[1] if best else None


def _sieve_roles(cl: _Clusters, ents, view) -> None:
    """Sieve 5: a role phrase right before a named person becomes a mention of that person; later uses of the same
    role phrase in the normalised view join too."""
    text = cl.text
    role_of: dict[str, _Cluster] = {}
    for e in ents:
        c = cl.assign.get((e.start, e.end))
        if c is None or c.type != "PER":
            continue
        role = _role_before(text, e.start)
        if role:
            rk = name_key(text[role[0]:role[1]])
            role_of.setdefault(rk, c)
            c.mentions.append(role)
            c.role_keys.add(rk)
    if role_of and view is not None:
        # the normalised view keeps ة; fold it the same way as the keys for matching (once per document)
        folded = view.text.replace("ة", "ه")
        for rk, c in role_of.items():
            for m in re.finditer(r"(?<![\w])" + re.escape(rk) + r"(?![\w])", folded):
                s, en = view.to_original(m.start(), m.end())
                if (s, en) not in c.mentions and not any(a <= s < b for a, b in c.mentions):
                    c.mentions.append((s, en))


def _actor_records(cl: _Clusters) -> tuple[list[dict], dict[int, str]]:
    """The actor records, numbered in order of first mention, and the id of each cluster (by ``id()``)."""
    text = cl.text
    actors = []
    ids = {}
    for i, c in enumerate(sorted(cl.clusters, key=lambda c: min(c.mentions) if c.mentions else (0, 0))):
        if not c.mentions:
            continue
        aid = f"A{i + 1}"
        ids[id(c)] = aid
        if c.type == "PER":
            _fullest_name(c, text)
        key = f"GPE:{c.iso3}" if c.iso3 else f"{TYPE_KEY.get(c.type, c.type)}:{name_key(c.name)}"
        actor = {"id": aid, "name": c.name, "type": c.type, "key": key,
                 "mentions": [{"start": s, "end": e, "text": text[s:e]} for s, e in sorted(set(c.mentions))]}
        if c.iso3:
            actor["iso3"] = c.iso3
        actors.append(actor)
    return actors, ids


def _fullest_name(c: _Cluster, text: str) -> None:
    """A person's name: the mention with the most words among named (non-role) mentions."""
    named = [text[s:e] for s, e in c.mentions if name_key(text[s:e]) not in c.role_keys]
    if named:
        c.name = max(named, key=lambda t: (len(t.split()), len(t)))


def _linked_entities(ents, assign, ids) -> list[Span]:
    """The entities again, each with ``attrs["actor"]`` = the id of its actor when it has one."""
    new_ents = []
    for e in ents:
        c = assign.get((e.start, e.end))
        attrs = dict(e.attrs or {})
        if c is not None and id(c) in ids:
            attrs["actor"] = ids[id(c)]
        new_ents.append(Span(e.start, e.end, e.label, attrs or None))
    return new_ents


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
