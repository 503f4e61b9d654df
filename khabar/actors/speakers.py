"""The one rule "a quote's speaker → its actor", used by the quotes stage, the store's and batch's rows and the
server's rendering.

A quotation names its speaker (``speaker``: the fullest name the article gives) and often the words that name it
at the cue (``speaker_mention``: ``[start, end]``).  Its actor is, in this order:

1. the actor the quote is linked to (``speaker_actor``, or ``actor``; a ``speaker`` that is an actor id counts as a
   link): the quotes stage writes this link, so after the full pipeline every speaker is resolved here; a link to
   an id that no actor has resolves to nothing;
2. the actor whose name, or the text of one of its mentions, is the speaker's name (compared folded:
   :func:`khabar.actors.names.name_key`);
3. the same for the words of the speaker mention (``دبلوماسي بريطاني بارز``);
4. the actor with the longest name of two words or more that begins the speaker's name (``معهد العلوم والأمن
   الدولي ISIS`` → ``معهد العلوم والأمن الدولي``).

The quotes stage applies 2–4 (:meth:`SpeakerIndex.find`) and, when nothing matches, makes the speaker an actor of
its own (:meth:`SpeakerIndex.add`); readers of analysed documents apply 1–4 (:meth:`SpeakerIndex.resolve`) and
never add actors.  Actors and quotes are read leniently: an actor is a dict (``id``, ``name``, ``key``, ``type``,
``mentions``: dicts with ``start``/``end``/``text``, or ``[start, end]`` pairs); a quote is a :class:`Span` or the
dict of its JSON export.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Mapping

from ..lexicon import organisations, roles
from ..ner.features import normalize
from ..text.normalize import fold
from ..text.segment import get_segmenter, strip_word
from .names import name_key, place_index


def span_pair(v: Any) -> tuple[int, int] | None:
    """``(start, end)`` of a ``[start, end]`` pair or a ``{"start", "end"}`` dict, else None."""
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(x, int) for x in v):
        return int(v[0]), int(v[1])
    if isinstance(v, Mapping) and isinstance(v.get("start"), int) and isinstance(v.get("end"), int):
        return v["start"], v["end"]
    return None


def mention_text(m: Any, text: str) -> str | None:
    """The words of an actor mention: its ``text``, else the slice of the document its offsets point at."""
    if isinstance(m, Mapping) and isinstance(m.get("text"), str):
        return m["text"]
    p = span_pair(m)
    return text[p[0]:p[1]] if p else None


# the folded form names are compared in (khabar.actors.names.name_key), its results cached
_name_key = functools.lru_cache(maxsize=20_000)(name_key)


def _attrs(quote: Any) -> Mapping:
    if isinstance(quote, Mapping):
        return quote
    return getattr(quote, "attrs", None) or {}


class SpeakerIndex:
    """The actors of one document, indexed by id and by every folded name and mention text they go by.

    Actors are designated by their position in :attr:`actors` (ids may be missing or, in hostile input,
    repeated): :meth:`resolve` and :meth:`find` return a position, :meth:`id_of` its id."""

    def __init__(self, actors: Iterable[Mapping], text: str):
        self.key = _name_key
        self.text = text
        self.actors: list[Mapping] = []
        self.ids: list[str] = []
        self.by_id: dict[str, int] = {}    # actor id → position (the last actor with that id)
        self.by_name: dict[str, int] = {}  # folded name or mention text → position (the first actor with it)
        for a in actors:
            self._append(a)
            if isinstance(a.get("name"), str):
                self.by_name.setdefault(self.key(a["name"]), len(self.actors) - 1)
            for m in a.get("mentions") if isinstance(a.get("mentions"), (list, tuple)) else ():
                t = mention_text(m, text)
                if t is not None:
                    self.by_name.setdefault(self.key(t), len(self.actors) - 1)

    def _append(self, a: Mapping) -> int:
        i = len(self.actors)
        self.actors.append(a)
        self.ids.append(str(a.get("id", i)))
        self.by_id[self.ids[i]] = i
        return i

    def actor(self, pos: int | None) -> Mapping | None:
        return self.actors[pos] if pos is not None else None

    def id_of(self, pos: int | None) -> str | None:
        return self.ids[pos] if pos is not None else None

    # rules 2-4: by name ------------------------------------------------------------------------------------
    def find(self, speaker: str | None, mention: tuple[int, int] | None) -> int | None:
        """The actor a speaker's name (or, failing that, its mention) designates (rules 2–4)."""
        pos = self.by_name.get(self.key(speaker)) if speaker else None
        if pos is None and mention:
            pos = self.by_name.get(self.key(self.text[mention[0]:mention[1]]))
        if pos is None and speaker:
            pos = self._by_prefix(self.key(speaker).split())
        return pos

    def _by_prefix(self, words: list[str]) -> int | None:
        """Rule 4: the longest indexed name of two words or more that the speaker's name starts with."""
        found, best = None, 0
        for k, pos in self.by_name.items():
            kw = k.split()
            if len(kw) >= 2 and len(kw) > best and words[:len(kw)] == kw:
                found, best = pos, len(kw)
        return found

    # rule 1 and the whole order ----------------------------------------------------------------------------
    @staticmethod
    def linked(quote: Any) -> Any:
        """The actor id a quote is explicitly linked to (``speaker_actor``, else ``actor``), or None."""
        a = _attrs(quote)
        return a.get("speaker_actor", a.get("actor"))

    def resolve(self, quote: Any) -> int | None:
        """The quote's speaker actor (rules 1–4), or None; never adds an actor."""
        a = _attrs(quote)
        link = self.linked(quote)
        sp = a.get("speaker")
        if link is None and isinstance(sp, (str, int)) and str(sp) in self.by_id:
            return self.by_id[str(sp)]  # a speaker given as an actor id
        if link is not None:
            return self.by_id.get(str(link))
        return self.find(sp if isinstance(sp, str) else None, span_pair(a.get("speaker_mention")))

    # the quotes stage: a speaker no actor holds becomes one -------------------------------------------------
    def add(self, actor: Mapping) -> int:
        """Index a new actor (made for a speaker no actor holds) under its id and its name."""
        pos = self._append(actor)
        self.by_name[self.key(actor["name"])] = pos
        return pos


def speaker_actors(quotes: Iterable[Any], actors: Iterable[Mapping], text: str) -> list[Mapping | None]:
    """For each quote, its speaker's actor (the dict), or None."""
    idx = SpeakerIndex(actors, text)
    return [idx.actor(idx.resolve(q)) for q in quotes]


# words of an unnamed speaker besides the role lexicon's (khabar.lexicon.roles): generic heads and the adjectives
# that qualify them (مصدر مطلع، مسؤول أمني رفيع، الشركة)
_GENERIC = ("مصدر", "مصادر", "شركة", "الشركات", "شركات", "المسؤول", "مسؤول", "مسؤولة", "مسؤولين", "الجهة", "جهة",
            "جهات", "الإدارة", "إدارة", "الجمعية", "الاتحاد", "النادي", "الفريق", "المنظمة", "الحكومة", "الجيش",
            "الشرطة", "السلطات", "البنك", "الصندوق", "المركز", "اللجنة", "الهيئة", "المجلس", "الوزارة", "المديرية",
            "الجانب", "الطرف", "الموقع", "الصحيفة", "المحلل", "الخبير", "الباحث", "المدير", "الأمين", "العام",
            "باسم", "رسمي", "رسمية", "مطلع", "مطلعة", "مطلعون", "مقرب", "مقربة", "مقربون", "أمني", "أمنية",
            "حكومي", "حكومية", "دبلوماسي", "دبلوماسية", "عسكري", "عسكرية", "رفيع", "رفيعة", "كبير", "بارز", "آخر",
            "آخرون", "أحد", "إحدى", "بعض", "البعض", "الكثيرون", "كثيرون", "الرسمي", "الرسمية", "فيه", "فيها",
            "الناطق", "ناطق", "المتحدثون", "متحدثون", "ناشطون", "ناشطين", "الناشطون", "مواطنون", "شهود", "سكان",
            "باحثون", "باحثين", "علماء", "أطباء", "مسؤولين", "محللين", "خبراء", "مراقبين", "منتقدين", "مواطنين",
            "مختصون", "مختصين", "متخصصون", "متخصصين", "عضو", "أعضاء", "موظف", "موظفون", "عمال", "أهالي")
# heads that make a role phrase unnamed even with a body's proper name (عضو الكونغرس، أحد مسؤولي الأمم المتحدة)
_MEMBER = ("عضو", "أعضاء", "أحد", "إحدى", "مسؤول", "مسؤولون", "مسؤولين", "موظف", "موظفو", "مصدر", "مصادر")


# organisation heads of the role lexicon that are proper names of one body: never unnamed
_PROPER = ("الكرملين", "الكونغرس", "البنتاغون", "البيت الأبيض", "الأمم المتحدة", "الأبيض", "المتحدة")


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset:

    return frozenset((set(roles()) | {fold(w) for w in _GENERIC}) - {fold(w) for w in _PROPER})


@functools.lru_cache(maxsize=1)
def _members() -> frozenset:

    return frozenset(fold(w) for w in _MEMBER)


def _strip_prefix(w: str) -> str:
    return w[1:] if len(w) > 3 and w[0] in "وف" else w


def is_unnamed(name: str) -> bool:
    """A speaker named by common nouns only (الشركة، المتحدث، مصدر مطلع، التقرير): no proper name, so the same
    words name different speakers in different articles."""

    words = [_strip_prefix(fold(w)) for w in name.split()]
    common = _common_words()
    if words and words[0] in _members() and len(words) <= 4:
        return True
    if bool(words) and all(w in common or (w.startswith("ال") and w[2:] in common)
                           or ("ال" + w) in common for w in words):
        return True
    return bool(words) and not _known_name(name) and all(map(_common_by_corpus, name.split()))


def _known_name(name: str) -> bool:
    """A country, capital or organisation of the project's inventories (السعودية، الأمم المتحدة): a proper name
    however common its words."""

    k = _name_key(name)
    return k in place_index().names or k in organisations()["names"] or k in organisations()["ambiguous"]


def _common_by_corpus(word: str) -> bool:
    """A word of no proper name by the news corpus (the segmenter's word frequencies): a number, or a word seen
    both with and without the article, neither form much rarer than the other (مقطع / المقطع, بيانات / البيانات,
    المؤسسة / مؤسسة) — the words of مقطع فيديو، بيانات رسمية، المؤسسة الوطنية; ترامب or نصار never take the
    article, عادل rarely does, and a surname in ال (العنزي، المشوح) is rarely seen bare.  A nisba of a place
    (التركية، الإنجليزي) is a proper name's word."""

    w = strip_word(word.strip("،,.:\"'«»()"))[0]
    if not w or w.isdigit():
        return True
    for p in ("ال", "وال", "فال"):
        if w.startswith(p) and len(w) > len(p) + 2:
            w = w[len(p):]
            break
    if _place_nisba(w) or _name_word(w):
        return False
    B = get_segmenter().B
    a, b = B.get("ال" + w, 0), B.get(w, 0)
    return min(a, b) >= 4 and abs(a - b) <= 3


@functools.lru_cache(maxsize=1)
def _name_words() -> frozenset:
    """Words the NER's label propagation over the news corpus reads as part of names (resources/ner/labelprop:
    سليمان، العسيري، البدري), in the NER's normalisation."""
    import gzip

    from ..ner.features import RESOURCE_DIR

    out = set()
    path = RESOURCE_DIR / "labelprop.tsv.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                w, _, v = line.rstrip("\n").partition("\t")
                if v[:3] in ("PER", "ORG", "LOC"):
                    out.add(w)
    return frozenset(out)


def _name_word(w: str) -> bool:

    n = normalize(w)
    names = _name_words()
    return n in names or ("ال" + n) in names


@functools.lru_cache(maxsize=1)
def _place_stems() -> frozenset:
    """Four-letter beginnings of the (search-folded) country and capital names, past their article (اليمن → يمن)."""

    keys = [k[2:] if k.startswith("ال") else k for k in place_index().first]
    return frozenset(k[:4] for k in keys if len(k) >= 3)


def _place_nisba(w: str) -> bool:
    """تركية، إنجليزي، مصري، اليمنية، الإماراتية: a nisba adjective whose stem begins a country or capital name."""

    f = fold(w, search=True)
    for end in ("يه", "يين", "يون", "ي"):
        if f.endswith(end) and len(f) - len(end) >= 3:
            stem = f[:-len(end)]
            return stem[:4] in _place_stems() or (len(stem) == 3 and any(k.startswith(stem) for k in _place_stems()))
    return False


def _fuller_name(speaker: str, actor: Mapping) -> str | None:
    """The actor's name when it is a fuller form of the speaker's (``ماي`` → ``تيريزا ماي``): it has more words
    and holds every word of the speaker's name (compared folded); else None."""
    name = actor.get("name")
    if not isinstance(name, str) or name == speaker:
        return None
    sw, nw = _name_key(speaker).split(), _name_key(name).split()
    if len(nw) > len(sw) and sw and all(w in nw for w in sw) and len(nw) <= 6:
        return name
    # an acronym the actors layer merged with its expansion (ISIS → معهد العلوم والأمن الدولي): the name it stands for
    if _ACRONYM.fullmatch(speaker) and actor.get("type") == "ORG" and len(nw) >= 2 and \
            any(m.get("text") == speaker for m in actor.get("mentions", ())):
        return name
    return None


_ACRONYM = re.compile(r"[A-Z]{2,6}")


def link_speakers(text: str, quotes: Iterable[Any], actors: Iterable[Mapping], doc_id: str | None = None
                  ) -> tuple[tuple, tuple]:
    """The quotes stage's linking: each quote's speaker tied to an actor (``speaker_actor``, ``speaker_key``).

    The speaker's name, or its mention at the cue, is looked up among the actors' names and mentions (rules 2–4);
    a speaker no actor holds (``مسؤولون سابقون``, ``التقرير``) becomes an actor of its own, so every speaker has a
    key that stays the same across documents.  The mention at the cue (``دبلوماسي بريطاني بارز``) joins the
    actor's mentions, so the actor records every way the article names that speaker.  Returns the new quotes
    and actors (the input is not changed).

    An unnamed speaker (:func:`is_unnamed`: الشركة، المتحدث، مصدر مطلع) keeps its role phrase as its name, but its
    key is scoped to the document (``ORG:الشركه@<doc>``, ``doc_id`` or the text's hash), so that different
    articles' unnamed speakers never merge.  The speaker shown is the actor's fullest name when the actor's name
    holds the speaker's words (``ماي`` → ``تيريزا ماي``).
    """
    scope = None
    idx = SpeakerIndex([dict(a, mentions=list(a["mentions"])) for a in actors], text)
    next_id = len(idx.actors) + 1
    out = []
    for q in quotes:
        attrs = dict(q.attrs or {})
        speaker = attrs.get("speaker")
        if not speaker:
            out.append(q)
            continue
        mention = attrs.get("speaker_mention")
        pos = idx.find(speaker, mention)
        if pos is None:
            typ = attrs.get("speaker_type") or "PER"
            key = f"{typ}:{idx.key(speaker)}"
            if is_unnamed(speaker):
                if scope is None:
                    scope = doc_id or _text_scope(text)
                key = f"{key}@{scope}"
            pos = idx.add({"id": f"A{next_id}", "name": speaker, "type": typ, "key": key, "mentions": []})
            next_id += 1
        a = idx.actors[pos]
        fuller = _fuller_name(speaker, a)
        if fuller:
            attrs["speaker"] = fuller
        if mention and not any(m["start"] < mention[1] and mention[0] < m["end"] for m in a["mentions"]):
            a["mentions"].append({"start": mention[0], "end": mention[1], "text": text[mention[0]:mention[1]]})
            a["mentions"].sort(key=lambda m: (m["start"], m["end"]))
        attrs["speaker_actor"] = a["id"]
        attrs["speaker_key"] = a["key"]
        out.append(q._replace(attrs=attrs))
    return tuple(out), tuple(idx.actors)


def _text_scope(text: str) -> str:
    """The scope of a document's unnamed speakers when no id is given: the id its Document would have."""
    from ..document import text_id

    return text_id(text)
