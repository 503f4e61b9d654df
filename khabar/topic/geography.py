"""Where an article is: the countries it is about, main country first, as ISO 3166 alpha-3 codes with a region.

Layer ``geography`` = ``[{"country": "SAU", "region": "Middle East", "weight": 0.62, "mentions": 7}, ...]``
(weights sum to 1 over the countries listed; main country first; ``[]`` when no place is named).

Evidence, each a mention of a state found in the folded text (one scan, no NER needed):

* the state's names, aliases and capitals (``resources/actors/countries.tsv``, shared with the actors stage);
* its other cities, provinces, institutions and a few unambiguous leaders' names (``resources/topic/
  geography.tsv``, written for khabar; also the cities of ``resources/lexicon/places.tsv``): ``جدة`` -> SAU,
  ``الكرملين`` -> RUS, ``نتنياهو`` -> ISR;
* nisba adjectives (``البريطاني``, ``الإيرانية``, ``السعوديين``) at a lower weight (0.6): an adjective often
  names a participant rather than the place.  After the head of a state institution or office (``الرئيس
  الأوكراني``, ``السلطات الإيرانية``, ``وزير الخارجية البريطاني``) it names the state that acts: 1.2; after a
  person's role (``اللاعب البرازيلي``, ``المدرب التونسي``, ``الحكم الإيطالي``) only a nationality: 0.2.  A bare
  masculine nisba (no article, no suffix) is an adjective only after an indefinite word (``مواطن سعودي``); after a
  definite one, or after ``بن``/``آل``/``أبو``, it is part of a personal name (``الأمير تركي``, ``المسعف الفني
  تركي``, ``فيصل بن تركي``) and is skipped.  A nisba shared by two states (``كوري``) counts for neither;
* words that are also common nouns or phrases are left out (:data:`NOT_PLACES`: ``صور`` pictures/Tyre,
  ``الخبر`` the news/Khobar, ``مسقط الرأس`` birthplace);
* the dateline's city or country (the ``dateline`` layer), worth 3 mentions; a dateline names a place, so a
  place that is also a common word (``الخبر``, ``العين``) counts there;
* in a sport article (``subject="sport"``) the clubs of ``resources/topic/clubs.tsv`` (``الهلال`` -> SAU,
  ``تشيلسي`` -> GBR): a club's country is what a sports story is about, more than its foreign training camp or its
  players' nationalities.  Club names that several countries' clubs share (``الأهلي``) count only for the outlet's
  country, when the outlet has one;
* the outlet's own country (``resources/topic/outlets.tsv``: national papers, not pan-Arab or international
  outlets), only when the article names no place at all: a local paper's local news names none.

A mention in the title counts 3 times (a plain nisba there as much as a name: a headline's adjective names
the state of its actor, ``السلطات الإيرانية``), one in the lead (first 400 characters of the text) 1.5 times.
Weights are shares of the total; states under 10% of it are dropped (at most 8 kept).  A word is read with its
clitics off (``و ف`` then ``ب ل ك``, ``لل`` -> ``ال``).  Only the standard library.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from ..text.normalize import fold
from .features import search_view

TITLE_WEIGHT = 3.0
LEAD_WEIGHT = 1.5
LEAD_CHARS = 400
NISBA_WEIGHT = 0.6
DATELINE_WEIGHT = 3.0
CLUB_WEIGHT = 1.0
MIN_SHARE = 0.1
MAX_COUNTRIES = 8
_WORD = re.compile(r"[\u0621-\u064a]+")
_NISBA_SUFFIXES = ("", "ه", "ين", "ون", "ان", "تان", "تين")
STATE_NISBA_WEIGHT = 1.2
ROLE_NISBA_WEIGHT = 0.2
# folded, without the article: heads after which a nisba names the acting state / only a person's nationality
STATE_HEADS = frozenset("رييس وزراء وزير وزاره خارجيه داخليه دفاع سلطات حكومه جيش قوات برلمان شرطه سفير سفاره نظام "
                        "ملك عاهل ولي عهد امن مخابرات بحريه طيران اتحاد منتخب دوله مجلس نيابه قضاء".split())
ROLE_HEADS = frozenset("لاعب مدرب مدافع مهاجم حارس ظهير نجم فنان فنانه كاتب كاتبه شاعر مطرب مطربه مخرج ممثل ممثله "
                       "روايي باحث حكم محترف جناح وسط مغني مغنيه رسام عالم مصمم طاهي مذيع مذيعه".split())
# place names that are also common words or phrases (folded): never a mention
NOT_PLACES = ("صور", "الخبر", "مسقط الراس", "مسقط راسه", "مسقط راسها", "مسقط راسي", "مسقط راسهم", "قم", "سرت",
              "العقبه", "العين", "منى", "عرفات", "البيضاء", "لحج", "وجده")
# words before a nisba that make it part of a personal name (فيصل بن تركي، آل سعودي)
NAME_LINKS = frozenset(("بن", "ابن", "بنت", "ال", "ابو", "ام"))


def _read(*parts: str) -> list[list[str]]:
    text = resources.files("khabar").joinpath("resources", *parts).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _key(s: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(s, search=True)))


@lru_cache(maxsize=1)
def outlet_table() -> tuple[dict, dict]:
    """(outlet names -> iso3, web hosts -> iso3) of ``resources/topic/outlets.tsv``."""
    names: dict[str, str] = {}
    hosts: dict[str, str] = {}
    for cols in _read("topic", "outlets.tsv"):
        for n in (cols + [""])[1].split("|"):
            n = n.strip().lower()
            if n:
                (hosts if "." in n else names)[n] = cols[0].strip()
    return names, hosts


def outlet_country(outlet: str | None = None, url: str | None = None) -> str | None:
    """The country of a national outlet, by its name (the whole of ``outlet``) or its URL's host, else None."""
    names, hosts = outlet_table()
    if outlet and str(outlet).strip().lower() in names:
        return names[str(outlet).strip().lower()]
    host = re.sub(r"^[a-z]+://", "", str(url or "").strip().lower()).split("/")[0].split(":")[0]
    while host:
        if host in hosts:
            return hosts[host]
        host = host.partition(".")[2]
    return None


@lru_cache(maxsize=1)
def club_table() -> tuple[dict, dict]:
    """(club name word tuple -> the countries whose clubs bear it, first word -> the names' lengths, longest
    first) of ``resources/topic/clubs.tsv``."""
    clubs: dict[tuple[str, ...], list[str]] = {}
    for cols in _read("topic", "clubs.tsv"):
        for n in (cols + [""])[1].split("|"):
            k = _key(n)
            if k and cols[0] not in clubs.setdefault(k, []):
                clubs[k].append(cols[0].strip())
    first: dict[str, set] = {}
    for k in clubs:
        first.setdefault(k[0], set()).add(len(k))
    return clubs, {k: tuple(sorted(v, reverse=True)) for k, v in first.items()}


def club_mentions(text: str, home: str | None = None) -> list[tuple[int, str]]:
    """The clubs named in ``text``: (folded character offset, iso3); a name several countries' clubs share counts
    only for ``home`` (the outlet's country) when it is one of them."""
    clubs, first = club_table()
    view = fold(text, search=True)
    spans = [(m.start(), m.group()) for m in _WORD.finditer(view)]
    words = [w for _, w in spans]
    out = []
    i = 0
    while i < len(words):
        hit = None
        for form in _forms(words[i]):
            for n in first.get(form, ()):
                isos = clubs.get((form, *words[i + 1:i + n])) if i + n <= len(words) else None
                if isos:
                    hit = (n, isos)
                    break
            if hit:
                break
        if hit:
            isos = hit[1]
            iso3 = isos[0] if len(isos) == 1 else home if home in isos else None
            if iso3:
                out.append((spans[i][0], iso3))
            i += hit[0]
        else:
            i += 1
    return out


@lru_cache(maxsize=1)
def tables() -> tuple[dict, dict, dict, dict]:
    """(names: word tuple -> iso3 ("" for a common word, never a mention), nisba: every folded form of a nisba
    (with and without the article and the suffixes) -> (iso3 or None when two states share it, bare: no article and
    no suffix), region: iso3 -> region, first: a name's first word -> the names' lengths in words, longest first)."""
    names: dict[tuple[str, ...], str] = {}
    nisba: dict[str, str | None] = {}
    region: dict[str, str] = {}
    for cols in _read("actors", "countries.tsv"):
        cols = (cols + [""] * 5)[:5]
        iso3 = cols[0].strip()
        for n in [cols[1], *cols[2].split("|"), *cols[3].split("|")]:
            if n.strip():
                names.setdefault(_key(n), iso3)
        for n in cols[4].split("|"):
            k = "".join(_key(n))
            if k:
                nisba[k] = iso3 if nisba.get(k, iso3) == iso3 else None
    for cols in _read("topic", "geography.tsv"):
        cols = (cols + ["", ""])[:3]
        region[cols[0]] = cols[1]
        for n in cols[2].split("|"):
            if n.strip():
                names.setdefault(_key(n), cols[0])
    for cols in _read("lexicon", "places.tsv"):  # country, capital, other cities (comma-separated), nisba
        iso3 = names.get(_key(cols[0]))
        if iso3 and len(cols) > 2:
            for n in cols[2].split(","):
                if n.strip() and n.strip() != "-":
                    names.setdefault(_key(n), iso3)
    names.pop((), None)
    for n in NOT_PLACES:
        names[_key(n)] = ""  # matched (so no shorter name inside it is), then dropped
    first: dict[str, set] = {}
    for k in names:
        first.setdefault(k[0], set()).add(len(k))
    forms: dict[str, tuple[str | None, bool]] = {}
    for stem, iso3 in nisba.items():
        for suf in _NISBA_SUFFIXES:
            forms.setdefault(stem + suf, (iso3, not suf))
            forms.setdefault("ال" + stem + suf, (iso3, False))
    return names, forms, region, {k: tuple(sorted(v, reverse=True)) for k, v in first.items()}


def _forms(w: str) -> list[str]:
    """A word and the words it may be with its clitics off (و ف, then ب ل ك, لل -> ال)."""
    out = [w]
    if len(w) > 3 and w[0] in "وف":
        out.append(w[1:])
    for x in list(out):
        if len(x) > 3 and x.startswith("لل"):
            out.append("ال" + x[2:])
        elif len(x) > 3 and x[0] in "بلك":
            out.append(x[1:])
    return out


@lru_cache(maxsize=100_000)
def _word(w: str) -> tuple[tuple, tuple[str | None, bool], str, bool]:
    """What a folded word can be: (its forms that begin a name, each with the names' lengths; its nisba (iso3 or
    None, bare); the word without clitics and article; whether it had the article)."""
    names, nisba, _, first = tables()
    forms = _forms(w)
    starts = tuple((x, first[x]) for x in forms if x in first)
    nis = next((nisba[x] for x in forms if x in nisba), (None, False))
    return (starts, nis, *_bare(w, forms))


def _bare(w: str, forms: list[str] | None = None) -> tuple[str, bool]:
    """A word without its clitics and article, and whether it had the article (``forms``: ``_forms(w)``)."""
    if forms is None:
        forms = _forms(w)
    for x in reversed(forms):
        if x.startswith("ال") and len(x) > 3:
            return x[2:], True
    return forms[-1], False


def _span(text: str, start: int, end: int) -> tuple[int, int]:
    """A word's span, over its trailing diacritics and tatweel too (the folded view drops them)."""
    while end < len(text) and (unicodedata.combining(text[end]) or text[end] == "\u0640"):
        end += 1
    return start, end


def mentions(text: str) -> list[tuple[int, int, str, str]]:
    """Every mention of a state in ``text``: (start, end, iso3, kind) with kind ``name``, ``nisba``, ``state_nisba``
    (after a state institution's head) or ``role_nisba`` (after a person's role); offsets are
    code points of ``text`` (mapped back from the folded view)."""
    names = tables()[0]
    view = search_view(text)  # made by the subject's features for the same text
    words = _WORD.findall(view.text)
    # only a word that may begin a name or is a nisba can start a mention: the others are passed over (a word's
    # kind comes from a bounded cache; _word() for the words not seen yet)
    cache = _KIND_CACHE
    kinds = list(map(cache.get, words))
    for k, x in (enumerate(kinds) if None in kinds else ()):
        if x is None:
            x = _word(words[k])
            x = kinds[k] = bool(x[0] or x[1][0])
            if len(cache) < 200_000:
                cache[words[k]] = x
    todo = [i for i, x in enumerate(kinds) if x]
    if not todo:
        return []
    found: list[tuple[int, int]] = []  # the view spans of words 0, 1, ..., found as far as a mention needs
    find = view.text.find

    def at(i: int) -> tuple[int, int]:
        # words are the maximal runs of letters, so the next word is the first occurrence of its string after the
        # end of the word before it (only non-letters lie between)
        p = found[-1][1] if found else 0
        for k in range(len(found), i + 1):
            a = find(words[k], p)
            p = a + len(words[k])
            found.append((a, p))
        return found[i]

    def span(i: int, j: int) -> tuple[int, int]:  # words i..j (inclusive) in code points of the text
        return _span(text, view.to_original(*at(i))[0], view.to_original(*at(j))[1])

    out = []

    nxt = 0  # the first word not inside a name found before
    for i in todo:
        if i < nxt:
            continue
        info = _word(words[i])
        hit = None
        for form, lengths in info[0]:
            for n in lengths:
                if i + n <= len(words):
                    iso3 = names.get((form, *words[i + 1:i + n]))
                    if iso3 is not None:  # "" = a common word or phrase (NOT_PLACES): matched, then dropped
                        hit = (n, iso3)
                        break
            if hit:
                break
        if hit:
            if hit[1]:
                out.append((*span(i, i + hit[0] - 1), hit[1], "name"))
            nxt = i + hit[0]
            continue
        iso3, bare = info[1]
        if iso3:
            head, head_definite = _word(words[i - 1])[2:] if i else ("", False)
            in_name = i > 0 and words[i - 1] in NAME_LINKS
            if not (bare and head_definite) and not in_name:
                kind = "state_nisba" if head in STATE_HEADS else "role_nisba" if head in ROLE_HEADS else "nisba"
                out.append((*span(i, i), iso3, kind))
    return out


_KIND_CACHE: dict[str, bool] = {}  # folded word -> whether it may begin a name or is a nisba (see mentions)


_KIND_WEIGHT = {"name": 1.0, "nisba": NISBA_WEIGHT, "state_nisba": STATE_NISBA_WEIGHT, "role_nisba": ROLE_NISBA_WEIGHT}


@lru_cache(maxsize=1)
def _dateline_places() -> dict:
    """Place names -> iso3, the common-word places (NOT_PLACES) included: a dateline names a place."""
    places: dict[tuple[str, ...], str] = {}
    for cols in _read("actors", "countries.tsv"):
        cols = (cols + [""] * 5)[:5]
        for n in [cols[1], *cols[2].split("|"), *cols[3].split("|")]:
            if n.strip():
                places.setdefault(_key(n), cols[0].strip())
    for cols in _read("topic", "geography.tsv"):
        for n in (cols + ["", ""])[2].split("|"):
            if n.strip():
                places.setdefault(_key(n), cols[0])
    places.update({k: v for k, v in tables()[0].items() if v})
    return places


def _place_of(value: str | None) -> str | None:
    if not value:
        return None
    return _dateline_places().get(_key(value)) or None


def geography(text: str, title: str | None = None, dateline: dict | None = None, *, outlet: str | None = None,
              url: str | None = None, subject: str | None = None) -> list[dict]:
    """The countries ``text`` (with its ``title`` and ``dateline`` layer, when given) is about, main first.
    ``outlet``/``url``: the outlet's name and the article's URL (its country, for a national outlet, when the
    article names no place); ``subject``: the article's subject label (``sport`` reads club names)."""
    region = tables()[2]
    score: dict[str, float] = {}
    count: dict[str, int] = {}

    def add(iso3: str, w: float):
        score[iso3] = score.get(iso3, 0.0) + w
        count[iso3] = count.get(iso3, 0) + 1

    for start, _, iso3, kind in mentions(text):
        add(iso3, _KIND_WEIGHT[kind] * (LEAD_WEIGHT if start < LEAD_CHARS else 1.0))
    if title:
        for _, _, iso3, kind in mentions(title):  # a headline's adjective names its actor's state
            add(iso3, (_KIND_WEIGHT["name"] if kind == "nisba" else _KIND_WEIGHT[kind]) * TITLE_WEIGHT)
    if dateline:
        iso3 = _place_of(dateline.get("country")) or _place_of(dateline.get("city"))
        if iso3:
            add(iso3, DATELINE_WEIGHT)
    home = outlet_country(outlet, url) if (outlet or url) else None
    if subject == "sport":
        for start, iso3 in club_mentions(text, home):
            add(iso3, CLUB_WEIGHT * (LEAD_WEIGHT if start < LEAD_CHARS else 1.0))
        for _, iso3 in club_mentions(title, home) if title else ():
            add(iso3, CLUB_WEIGHT * TITLE_WEIGHT)
    total = sum(score.values())
    if not total:
        if home:  # the article names no place: a national outlet's own country
            return [{"country": home, "region": region.get(home, ""), "weight": 1.0, "mentions": 0}]
        return []
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    kept = [(k, v) for k, v in ranked if v / total >= MIN_SHARE][:MAX_COUNTRIES] or ranked[:1]
    norm = sum(v for _, v in kept)
    return [{"country": k, "region": region.get(k, ""), "weight": round(v / norm, 3), "mentions": count[k]}
            for k, v in kept]
