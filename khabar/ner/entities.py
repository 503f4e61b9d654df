"""Entity spans of one document from the CRF tagger's tags, and the rule passes after the tagger.

The tagger runs over windows (the sentences, a run-on one cut every ``MAX_SENT_TOKENS`` tokens); names tagged
somewhere are tagged where they recur (:mod:`khabar.ner.docprop`).  An entity span starts after a proclitic that
the segmenter split off its first token (``لإيران`` → ``إيران``, ``والولايات المتحدة`` → ``الولايات المتحدة``), so
an entity's text is the name as a reader would quote it.  Then rules add what the tagger missed: a Latin acronym
after a name is split off it, country and capital names from ``resources/actors/countries.tsv`` become LOC,
organisation phrases (a head noun with definite nouns and nisba adjectives) and quoted names after a source
preposition become ORG.
"""
from __future__ import annotations

import bisect
from functools import lru_cache
from itertools import compress, repeat
from operator import and_, is_

import regex

from ..actors import place_index
from ..document import Document, Span
from ..text.normalize import fold
from ..text.scan import finditer_from_anchor
from ..text.tokenize import _kind
from .docprop import propagate
from .features import normalize
from .tagger import get_tagger

PROCLITICS = {"و", "ف", "ب", "ل", "ك"}  # not the future prefix س: it never stands before a name (سكاي)
MAX_SENT_TOKENS = 400  # a run-on "sentence" is tagged in windows of this many tokens


def bio_to_spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """(type, first token, last token + 1) of each entity in a BIO sequence; a stray I- starts an entity."""
    out = []
    cur = None
    start = 0
    for i, tag in enumerate(tags):
        if tag == "O" or not tag:
            if cur:
                out.append((cur, start, i))
            cur = None
            continue
        pre, _, typ = tag.partition("-")
        if pre == "B" or typ != cur:
            if cur:
                out.append((cur, start, i))
            cur, start = typ, i
    if cur:
        out.append((cur, start, len(tags)))
    return out


def strip_proclitics(tokens, i: int) -> int:
    """Offset where the name in token ``i`` starts, past proclitics (و ف ب ل ك س) the segmenter split off."""
    seg = tokens.segments.get(i)
    start = tokens.starts[i]
    if not seg:
        return start
    k = 1 if len(seg) > 2 and seg[0][2] in "وف" and seg[1][2] in "بكل" else 0  # وباليرمو: و + the word
    if seg[k][2] in "بكل" and len(seg) > k + 1 and seg[k + 1][2] not in PROCLITICS \
            and seg[k + 1][1] - seg[k + 1][0] != 1 and _whole_word(tokens.strings[i][seg[k][0] - start:]):
        return seg[k][0]  # بوسطن is not ب + وسطن: the corpus knows the whole word better than the remainder
    for k, (s, e, form) in enumerate(seg[:-1]):
        if form in PROCLITICS:
            if form == "ل" and seg[k + 1][2] == "ال" and seg[k + 1][1] - seg[k + 1][0] == 1:
                return s  # fused ل + ال (للأمم المتحدة): the name is read as its ال form, keep لل
            start = e
        else:
            break
    return start


_WHOLE: dict[str, bool] = {}


def _whole_word(w: str) -> bool:
    """A word the segmenter split into a preposition (ب ك ل; و and ف stand before any name) + a remainder that the news corpus's frequency list (the tagger's
    word ranks) holds as a whole more often than the remainder alone: a name that begins with the letter (بوسطن,
    لورا; but بلندن → لندن, لإيران → إيران)."""
    r = _WHOLE.get(w)
    if r is None:
        rank = get_tagger().resources.rank
        n = normalize(w)
        r = len(n) >= 4 and n in rank and rank[n] < rank.get(n[1:], 1 << 30)
        if len(_WHOLE) > 300_000:
            _WHOLE.clear()
        _WHOLE[w] = r
    return r


def windows(doc: Document) -> tuple[list[int], list[list[str]]]:
    """(first token of each window, its token strings): the sentences, a run-on one cut every
    MAX_SENT_TOKENS tokens."""
    starts = doc.tokens.starts
    strings = doc.tokens.strings
    firsts: list[int] = []
    chunks: list[list[str]] = []
    hashtags = "#" in doc.text  # (the tokens are pieces of the text: without a # in it, none starts with one)
    for sent in doc.sentences:
        i = bisect.bisect_left(starts, sent.start)
        j = bisect.bisect_left(starts, sent.end)
        for a in range(i, j, MAX_SENT_TOKENS):
            b = min(j, a + MAX_SENT_TOKENS)
            firsts.append(a)
            chunk = strings[a:b]
            if hashtags and any(w[:1] == "#" for w in chunk):
                # a hashtag is read as its word (دونالد #ترمب): the tagger knows ترمب, not #ترمب
                chunk = [w[1:] if w[:1] == "#" and len(w) > 1 else w for w in chunk]
            chunks.append(chunk)
    return firsts, chunks


def entity_spans(doc: Document, firsts, chunks, tags) -> list[Span]:
    """The entities of one document given its windows' tags: the tagger's spans with document-level consistency,
    then the rule passes (acronyms, known places, organisation phrases, quoted sources)."""
    ents = _tagged_spans(doc.tokens, firsts, chunks, tags)
    ents = _split_at_brackets(doc, ents)
    ents = _join_adjacent_persons(doc, ents)
    ents = _join_adjacent_places(doc, ents)
    ents = _cut_person_at_kinship(doc, ents)
    ents = _add_hashtag_names(doc, ents)
    ents = _cut_person_before_place(doc, ents)
    ents = _split_places_at_proclitic(doc, ents)
    ents = _split_acronyms(doc, ents)
    places, orgs, known = _candidates(doc.tokens)
    if known:
        ents = _add_known_orgs(doc, ents, known)
    if places:
        ents = _add_known_places(doc, ents, places)
    if orgs:
        ents = _retype_by_head(doc, ents)
        ents = _add_org_phrases(doc, ents, orgs)
        ents = _drop_indefinite_descriptions(doc, ents)
    ents = _drop_trailing_nationality(doc, ents)
    ents = _drop_armed_descriptions(doc, ents)
    ents = _add_eponym_movements(doc, ents)
    ents = _drop_weak_head_descriptions(doc, ents)
    ents = _drop_months(doc, ents)
    ents = _add_place_heads(doc, ents)
    ents = _extend_cut_places(doc, ents)
    ents = _add_trailing_facility_heads(doc, ents)
    ents = _cut_facility_before_place(doc, ents)
    ents = _add_sports_clubs(doc, ents)
    return _add_quoted_sources(doc, ents)


@lru_cache(maxsize=1)
def _nation_nisbas() -> frozenset:
    """Search-folded nationality adjectives with the article, both genders (الأمريكي، الأمريكية): the nisba stems of
    ``resources/actors/countries.tsv``."""
    from importlib import resources as _res

    out = set()
    text = _res.files("khabar").joinpath("resources", "actors", "countries.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = (line.split("\t") + [""] * 5)[:5]
        for stem in filter(None, cols[4].split("|")):
            f = fold(stem, search=True)
            out.update({"ال" + f, "ال" + f + "ه"})
    return frozenset(out)


def _drop_trailing_nationality(doc: Document, ents: list[Span]) -> list[Span]:
    """A nationality adjective after a proper organisation name describes it, it is not part of it: ``نيويورك بوست
    الأمريكية`` → ``نيويورك بوست``, ``سبورتنج فرانسي البرتغالي`` → ``سبورتنج فرانسي`` (a name that opens with an
    organisation head keeps its nisba: ``وزارة الخارجية الأمريكية``; a known name is left as it is)."""
    heads, generic = _org_heads(), _generic_heads()
    nisbas = _nation_nisbas()
    names = _org_index()[1]
    text = doc.text
    out = []
    for e in ents:
        if e.label == "ORG":
            mt = text[e.start:e.end]
            words = mt.split()
            if len(words) >= 3 and _fold_name(words[-1]) in nisbas and not _fold_name(words[-2]).startswith("ال"):
                first = fold(words[0])
                if first not in heads and first not in generic and not first.startswith("ال") \
                        and _fold_name(mt) not in names:
                    cut = mt.rstrip().rfind(" ")
                    out.append(Span(e.start, e.start + len(mt[:cut].rstrip()), "ORG", e.attrs))
                    continue
        out.append(e)
    return out


_ARMED = {"قوات", "القوات", "ميليشيات", "الميليشيات", "مليشيات", "المليشيات", "ميليشيا", "الميليشيا", "مليشيا",
          "المليشيا", "جيش", "الجيش"}  # search-folded below


@lru_cache(maxsize=1)
def _armed_heads() -> frozenset:
    return frozenset(fold(x, search=True) for x in _ARMED)


def _drop_armed_descriptions(doc: Document, ents: list[Span]) -> list[Span]:
    """An armed body named by its kind and one word that describes it is not a name: an adjective that agrees with
    it other than a nationality (القوات الموالية، الجيش النظامي، الميليشيات الحوثية; not القوات الأمريكية), the
    state it serves (ميليشيات إيران) or its leader, a person the article names (قوات الأسد).  A genitive name
    stays (ميليشيات الحوثي، قوات التحالف، قوات العمالقة), and so do longer names (القوات البحرية الأمريكية)."""
    armed = _armed_heads()
    nisbas = _nation_nisbas()
    text = doc.text
    surnames = None
    out = []
    for e in ents:
        if e.label == "ORG":
            words = text[e.start:e.end].split()
            if len(words) == 2 and _fold_name(words[0]) in armed:
                head, w = _fold_name(words[0]), _fold_name(words[1])
                feminine = not head.endswith("جيش")
                adjective = w.startswith("ال") and len(w) > 4 and (w.endswith("يه") if feminine else
                                                                   (w.endswith("ي") and not w.endswith("يي")))
                if adjective and w not in nisbas:
                    continue
                if _is_place_word(w) and " ".join(words[1:]) and _fold_name(words[1]) in _place_names():
                    continue
                if surnames is None:
                    surnames = {_fold_name(text[x.start:x.end].split()[-1]) for x in ents
                                if x.label == "PER" and " " in text[x.start:x.end].strip()}
                if w in surnames:
                    continue
        out.append(e)
    return out


@lru_cache(maxsize=1)
def _place_names() -> frozenset:
    return frozenset(k for k in place_index().names if " " not in k)


@lru_cache(maxsize=1)
def _month_names() -> frozenset:
    from ..lexicon import months
    return frozenset(name for name, _n, _cal, _amb in months())


_DIGIT_BEFORE = regex.compile(r"\d\s*$")


def _drop_months(doc: Document, ents: list[Span]) -> list[Span]:
    """A month name in a date is not an entity (نيسان/أبريل، 5 أيار، آب/أغسطس 2018): a one-word entity that is a
    month name (resources/lexicon/months.tsv) paired with another by a slash, or after a day number."""
    months = _month_names()
    text = doc.text
    out = []
    for e in ents:
        mt = text[e.start:e.end]
        if " " not in mt and fold(mt) in months:
            after = text[e.end:e.end + 1]
            before = text[max(0, e.start - 12):e.start]
            if after == "/" or before.rstrip().endswith("/") or _DIGIT_BEFORE.search(before):
                continue
        out.append(e)
    return out


# nouns that head the name of a facility or a geographic feature named after a place or a person (مطار دبي، مخيم
# اليرموك، قاعدة حميميم، ريف دمشق، نهر النيل، مستشفى الملك فيصل): the guidelines' LOC, head included (plainly folded)
_PLACE_HEADS = {"مطار", "ميناء", "مرفا", "مستشفي", "قاعدة", "مخيم", "معسكر", "استاد", "ملعب", "ريف", "حي",
                "جزيرة", "نهر", "سد", "مرتفعات", "بحر", "جبل", "وادي", "بحيرة", "خليج", "مضيق", "صحراء", "ميدان",
                "ساحة", "شارع"}  # not مدينة، محافظة، منطقة: they describe the place named (مدينة حلب → حلب)
_PLACE_HEAD_BEFORE = {"شبه"}
_HONORIFICS = {"الملك", "الامير", "الأمير", "الشيخ", "السلطان", "الامام", "الإمام", "الشهيد"}
_DIRECTIONS = {"الجنوبي", "الشمالي", "الشرقي", "الغربي", "الجنوبية", "الشمالية", "الشرقية", "الغربية", "الدولي"}  # شبه جزيرة القرم


def _add_place_heads(doc: Document, ents: list[Span]) -> list[Span]:
    """A place or person name right after a facility or geographic head noun is named with it, as one LOC
    (قاعدة حميميم، مخيم اليرموك، مطار دبي، شبه جزيرة القرم), the head's proclitics left out."""
    tokens = doc.tokens
    starts, ends = tokens.starts, tokens.ends
    text = doc.text
    out = []
    for e in ents:
        if e.label in ("LOC", "PER"):
            e0 = e
            if e.start and text[e.start - 1] == "#":
                e = Span(e.start - 1, e.end, e.label, e.attrs)  # مطار #صنعاء الدولي
            i = bisect.bisect_right(starts, e.start) - 1
            if e.label == "PER" and i > 1 and starts[i] == e.start and _word_info(tokens, i - 1)[3] in _HONORIFICS \
                    and ends[i - 2] + 1 == starts[i - 1] and (_word_info(tokens, i - 2)[3] in _PLACE_HEADS
                                                              or fold(_word_info(tokens, i - 2)[3]) in _PLACE_HEADS):
                # مستشفى الملك خالد، مطار الأمير نايف: a facility named after a titled person
                out.append(Span(starts[i - 2] + _word_info(tokens, i - 2)[0], e.end, "LOC", e.attrs))
                continue
            if i > 0 and starts[i] == e.start and ends[i - 1] + 1 == e.start and text[ends[i - 1]] == " ":
                rel, _w, _n, head, _ = _word_info(tokens, i - 1)
                if head in _PLACE_HEADS or fold(head) in _PLACE_HEADS:
                    st = starts[i - 1] + rel
                    if i > 1 and ends[i - 2] + 1 == starts[i - 1] and _word_info(tokens, i - 2)[3] in _PLACE_HEAD_BEFORE \
                            and not rel:
                        st = starts[i - 2] + _word_info(tokens, i - 2)[0]
                    en = e.end
                    j = bisect.bisect_left(ends, e.end) + 1
                    if j < len(starts) and starts[j] == en + 1 and _word_info(tokens, j)[4] in _DIRECTIONS:
                        en = ends[j]  # بحر الصين الجنوبي، مطار دبي الدولي
                    out.append(Span(st, en, "LOC", e.attrs))
                    continue
            e = e0
        out.append(e)
    return out


def _drop_indefinite_descriptions(doc: Document, ents: list[Span]) -> list[Span]:
    """An organisation head without the article followed by an indefinite adjective or a ل phrase describes a
    body, it does not name one (``منظمة خيرية بريطانية``، ``منظمة أمريكية``، ``مركز للطوارئ``، ``منظمة للدفاع``)."""

    heads = _org_heads()
    text = doc.text
    out = []
    for e in ents:
        if e.label == "ORG":
            words = text[e.start:e.end].split()
            if len(words) >= 2:
                h, w = fold(words[0]), fold(words[1])
                if h in heads and not h.startswith("ال") and not w.startswith("ال") and (
                        w.startswith("لل") or (w.endswith(("ية", "يه")) and len(w) > 4)
                        or (len(words) == 2 and w.endswith("ي") and len(w) > 4)) \
                        and not _is_place_word(fold(words[1], search=True)):
                    continue
        out.append(e)
    return out


def _tagged_spans(tokens, firsts, chunks, tags) -> list[Span]:
    """Every window's tags, names found anywhere in the document tagged where the tagger missed them
    (khabar.ner.docprop), as spans past split proclitics."""
    ents: list[Span] = []
    if chunks:
        for a, tags in zip(firsts, propagate(chunks, tags)):
            for typ, s, e in bio_to_spans(tags):
                s += a
                e += a
                st = strip_proclitics(tokens, s)
                if tokens.strings[s][:1] == "#" and st == tokens.starts[s]:
                    st += 1  # #ترمب: the name without the hash sign
                en = tokens.ends[e - 1]
                if st < en:
                    ents.append(Span(st, en, typ))
    return ents


_WORD_CACHE: dict[str, tuple[int, str, str, str, str]] = {}


def _word_info(tokens, i: int) -> tuple[int, str, str, str, str]:
    """Per distinct token string: (offset of the name past split proclitics, search-folded token, search-folded
    name, plainly folded name, plainly folded token) — computed once per string, since a string always segments
    the same way."""
    w = tokens.strings[i]
    info = _WORD_CACHE.get(w)
    if info is None:
        rel = strip_proclitics(tokens, i) - tokens.starts[i]
        name = w[rel:]
        if name.startswith("لل") and len(name) > 3:
            name = "ا" + name[1:]  # fused ل + ال: looked up as its ال form
        if len(_WORD_CACHE) > 300_000:
            _WORD_CACHE.clear()
        info = _WORD_CACHE[w] = (rel, fold(w, search=True), fold(name, search=True), fold(name), fold(w))
    return info


_FLAGS: dict[str, int] = {}


_LAST_FLAGS: tuple = (None, None)  # (a token layer, its flags): entity_spans reads them twice


def _token_flags(tokens) -> list[int]:
    """Per token: 1 if it may start a known place name, 2 if it may start an organisation phrase, 4 if it may
    start a known organisation or outlet, 8 if its name is a group noun (:func:`_add_eponym_movements`).  One
    C-level pass of per-string look-ups (a string always reads the same); only strings not seen before are
    analysed.  The last token layer's list is kept (checked by identity; the slot holds the layer)."""
    last = _LAST_FLAGS
    if last[0] is tokens:
        return last[1]
    flags = list(map(_FLAGS.get, tokens.strings))
    if None in flags:
        first_of = place_index().first
        org_first = _org_index()[0]
        org_heads = _org_heads()
        for i in compress(range(len(flags)), map(is_, flags, repeat(None))):
            rel, whole, name, head, _ = _word_info(tokens, i)
            f = (1 if (whole in first_of or (rel and name in first_of)) else 0) | (2 if head in org_heads else 0) \
                | (4 if _org_first_key(whole, name, rel, org_first) else 0) | (8 if name in _GROUP_HEADS else 0)
            if len(_FLAGS) > 300_000:
                _FLAGS.clear()
            _FLAGS[tokens.strings[i]] = flags[i] = f
    globals()["_LAST_FLAGS"] = (tokens, flags)
    return flags


def _candidates(tokens) -> tuple[list[int], list[int], list[int]]:
    """Indexes of tokens that may start a known place name (flag 1), an organisation phrase (flag 2) or a known
    organisation or outlet (flag 4) (:func:`_token_flags`)."""
    flags = _token_flags(tokens)
    n = len(flags)
    return tuple(list(compress(range(n), map(and_, flags, repeat(b, n)))) for b in (1, 2, 4))

def _add_known_places(doc: Document, ents: list[Span], candidates: list[int]) -> list[Span]:
    """Add country/capital names the tagger missed (a tagger trained on 2000s newswire misses some)."""

    tokens = doc.tokens
    idx = place_index()
    first_of = idx.first
    taken = sorted((e.start, e.end) for e in ents)
    starts_taken = [s for s, _ in taken]
    out = list(ents)
    strings = tokens.strings
    n = len(strings)
    for i in candidates:
        rel, whole, name = _word_info(tokens, i)[:3]
        first = first_of.get(whole)
        if first is not None:
            st = tokens.starts[i]
        elif rel and name in first_of:
            first = first_of[name]
            st = tokens.starts[i] + rel
        else:
            continue
        # longest alias starting here
        best = best_key = None
        for length in first:
            if i + length > n:
                continue
            phrase = " ".join([doc.text[st:tokens.ends[i]]] + strings[i + 1:i + length])
            key = _fold_name(phrase)
            if key in idx.names:
                best, best_key = (st, tokens.ends[i + length - 1]), key
                break
        if best is None:
            continue
        k = bisect.bisect_right(starts_taken, best[1]) - 1
        overlap = k >= 0 and taken[k][1] > best[0]
        if not overlap:
            out.append(Span(best[0], best[1], "LOC"))
            bisect.insort(taken, best)
            starts_taken = [s for s, _ in taken]
        else:
            # a place the tagger cut short (دير of دير الزور، مكة of مكة المكرمة): the known longer name wins
            inside = [e for e in out if e.start < best[1] and best[0] < e.end]
            # (the key of the tokens joined by one space: the text between them may be any space, e.g. U+00A0)
            iso = idx.names[best_key][0]
            if inside and all(e.label == "LOC" and best[0] <= e.start and e.end <= best[1]
                              and (e.start, e.end) != best
                              and idx.names.get(_fold_name(doc.text[e.start:e.end]), ("",))[0] != iso
                              for e in inside):
                # (not the same state's longer alias: الإمارات stays, not دولة الإمارات)
                drop = {(e.start, e.end) for e in inside}
                out = [e for e in out if (e.start, e.end) not in drop]
                out.append(Span(best[0], best[1], "LOC"))
                taken = sorted([t for t in taken if t not in drop] + [best])
                starts_taken = [s for s, _ in taken]
    out.sort(key=lambda s: (s.start, s.end))
    return out


_FOLD_CACHE: dict[str, str] = {}


def _fold_name(s: str) -> str:
    r = _FOLD_CACHE.get(s)
    if r is None:
        if len(_FOLD_CACHE) > 200_000:
            _FOLD_CACHE.clear()
        r = _FOLD_CACHE[s] = fold(s, search=True)
    return r


_LATIN_ACR = regex.compile(r"[A-Z][A-Z0-9&.-]{1,11}")
_ARABIC = regex.compile(r"[\u0600-\u06ff]")


def _split_acronyms(doc: Document, ents: list[Span]) -> list[Span]:
    """``معهد العلوم والأمن الدولي ISIS`` as one span → the Arabic name and the acronym, both of its type."""
    out = []
    text = doc.text
    for e in ents:
        mt = text[e.start:e.end]
        parts = mt.rsplit(" ", 1)
        if len(parts) == 2 and " " in parts[0] and _ARABIC.search(parts[0]) and _LATIN_ACR.fullmatch(parts[1]):
            out.append(Span(e.start, e.start + len(parts[0]), e.label, e.attrs))
            out.append(Span(e.end - len(parts[1]), e.end, e.label, e.attrs))
        else:
            out.append(e)
    return out


_STOP_DEFINITE = {"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "اللاتي", "الان",
                  "اليوم", "الامس", "الي", "الا", "الي", "الخميس", "الجمعه", "السبت", "الاحد", "الاثنين",
                  "الثلاثاء", "الاربعاء"}


# adjectives that describe an organisation rather than name it (وكالة الأنباء الفلسطينية الرسمية) and directions
_DESCRIPTIVE = {"الرسمية", "الرسمي", "الحكومية", "الحكومي", "المحلية", "المحلي", "الرئيسي", "الرئيسية", "المعني",
                "المعنية", "الارهابية", "الارهابي", "الجديدة", "الجديد", "المذكورة", "المذكور", "التابعة", "التابع",
                "غربي", "شرقي", "شمالي", "جنوبي", "الاخري", "الاخرى", "السابق", "السابقة", "الحالي", "الحالية"}


# elatives and ordinals that belong to an organisation's name like a nisba (المجلس السياسي الأعلى، اللجنة العليا
# للانتخابات، الفرقة الرابعة، المحكمة الدائمة)
_NAME_ADJECTIVES = {"الاعلي", "العليا", "الكبري", "الاول", "الاولي", "الثاني", "الثانية", "الثالث", "الثالثة",
                    "الرابع", "الرابعة", "الخامس", "الخامسة", "السادس", "السادسة", "السابع", "السابعة", "الدائم",
                    "الدائمة", "المتحدة", "المشتركة", "المشترك", "الموحدة", "الموحد", "المستقلة", "المستقل"}


# a noun that tells what kind of body a name is without being part of it: تنظيم داعش → داعش, تنظيم أجناد مصر →
# أجناد مصر (a definite name keeps it: تنظيم الدولة الإسلامية)
_DESCRIPTOR_HEADS = {"تنظيم"}

_MINISTER = {"وزير", "وزيرة", "الوزير", "الوزيرة", "مستشار", "مستشارة", "المستشار", "المستشارة"}  # plainly folded: the titles whose complement is a portfolio

_CLUB_HEADS = {"نادي"}  # a club is named by the word after it: نادي الهلال السعودي → الهلال


def _add_org_phrases(doc: Document, ents: list[Span], candidates: list[int]) -> list[Span]:
    """Organisation phrases the tagger missed: an organisation head noun (``وزارة``, ``الحكومة``, ``هيئة``,
    ``قوات`` …, from ``resources/lexicon/roles.tsv``) followed by definite nouns and nisba adjectives
    (``وزارة الخارجية الأمريكية``, ``الحكومة البريطانية``, ``قوات التحالف``)."""
    heads, generic, titles = _org_heads(), _generic_heads(), _titles()
    _first, names, amb, media_nouns = _org_index()
    tokens = doc.tokens
    taken = [(e.start, e.end) for e in ents]
    known_end = {}  # first token of a known organisation/outlet span → its token end
    for e in ents:
        key = _fold_name(doc.text[e.start:e.end]) if e.label == "ORG" else ""
        if key and (key in amb or (key in names and names[key] != "mined")):
            # (a mined name, البنك المركزي, does not end a longer phrase: البنك المركزي المصري)
            a = bisect.bisect_right(tokens.starts, e.start) - 1
            known_end[a] = bisect.bisect_left(tokens.ends, e.end) + 1
    out = list(ents)
    done = 0
    n = len(tokens.strings)
    for i in candidates:
        if i < done:
            continue
        rel, _whole, name, head, _ = _word_info(tokens, i)
        if head not in heads or head in generic:
            continue
        if head.startswith("ال") and i and _word_info(tokens, i - 1)[3] in _MINISTER:
            continue  # وزير الخارجية: a minister's portfolio, not an organisation (رئيس المفوضية الأوروبية،
            # زعيم التيار الصدري: the title heads the organisation, which is named)
        if i + 1 < n and (_word_info(tokens, i + 1)[3] in generic or _word_info(tokens, i + 1)[3] in titles):
            continue  # قوات الحكومة، مكتب الرئيس: a description, not a name
        if i + 1 in known_end and name in media_nouns:
            continue  # صحيفة التايمز البريطانية: the outlet is the name
        j = _org_phrase_end(tokens, i, head)
        for a, b in known_end.items():
            if i <= a < j:
                j = max(b, a + 1) if a > i or b > i + 1 else j
                break  # حزب الله اللبناني: the phrase ends with the known name inside it
        club = head in _CLUB_HEADS and j >= i + 2 and all(
            _word_info(tokens, k)[4].endswith(("ية", "ي")) for k in range(i + 2, j))
        if (j == i + 2 and name in media_nouns and not name.startswith(("ال", "وكال"))) or club:
            w = _word_info(tokens, i + 1)[4]
            if not (w.endswith("ية") or (w.endswith("ي") and len(w) > 4)):
                # صحيفة التلغراف، موقع الوئام، نادي الهلال (السعودي): the name is the word after the noun
                # صحيفة التلغراف، موقع الوئام: the outlet's name is the word after the media noun
                # (a tagger span that holds the noun too, نادي الفتح, gives way to the name)
                st0 = tokens.starts[i] + rel
                noun_too = [e for e in out if e.start == st0 and tokens.ends[i + 1] <= e.end <= tokens.ends[j - 1]]
                if noun_too:
                    drop = {(e.start, e.end) for e in noun_too}
                    out = [e for e in out if (e.start, e.end) not in drop]
                    taken = [t for t in taken if t not in drop]
                out, taken = _swallow(out, taken, (tokens.starts[i + 1], tokens.ends[i + 1]))
                done = j
                continue
        if j - i >= 2:
            out, taken = _swallow(out, taken, (tokens.starts[i] + rel, tokens.ends[j - 1]))
            done = j
    out.sort(key=lambda s: (s.start, s.end))
    return out


def _org_phrase_end(tokens, i: int, head: str) -> int:
    """The token after an organisation phrase whose head noun is token i: up to five definite nouns and nisba
    adjectives (after a definite head, or after a nisba, only adjectives), or a Latin acronym right after the head
    ("معهد ISIS"); a relative pronoun, a weekday or a non-word ends it."""
    strings = tokens.strings
    n = len(strings)
    titles = _titles()
    definite_head = head.startswith("ال")
    feminine_head = head.endswith("ة") or head.endswith("ات")
    seen_nisba = False
    genitive = False
    j = i + 1
    while j < n and j - i <= 5:
        w = _word_info(tokens, j)[4]
        if w in _STOP_DEFINITE or w in _DESCRIPTIVE or _kind(strings[j]) != "word":
            break
        if j > i + 1 and _word_info(tokens, j)[3] in titles:
            break  # قوات العمالقة العميد فلان: a title opens a person's description, the name ended before it
        if j == i + 1 and _LATIN_ACR.fullmatch(strings[j]):
            j += 1  # "معهد ISIS"
            break
        core = w[1:] if w.startswith("و") and w[1:3] == "ال" else w
        if (not genitive and j > i + 1 and core.startswith("ل") and not core.startswith("لل") and j + 1 < n
                and _word_info(tokens, j + 1)[4].startswith("ال") and _kind(strings[j + 1]) == "word"):
            j += 2  # المرصد السوري لحقوق الإنسان: a ل genitive complement
            genitive = seen_nisba = True
            continue
        if not genitive and seen_nisba and core.startswith("لل") and len(core) > 4 \
                and not _is_place_word(_fold_name("ا" + strings[j][1:])) \
                and not (j + 1 < n and _word_info(tokens, j + 1)[4].startswith("ل")):
            # (not a place, للأردن; not a purpose chain, للتخطيط للتفجير)
            j += 1  # اللجنة العليا للانتخابات، المفوضية المصرية للحقوق والحريات: a لل genitive after the nisba
            genitive, seen_nisba = True, False
            continue
        if not (core.startswith("ال") or core.startswith("لل")):
            break
        nisba = core.endswith("ية") or (core.endswith("ي") and len(core) > 4) or core in _NAME_ADJECTIVES
        if nisba and feminine_head and j == i + 1 and core.endswith("ي") and not core.endswith("ية"):
            break  # وزير الخارجية الفرنسي: the masculine nisba agrees with the title, not with the head
        if (definite_head and j == i + 1 or seen_nisba) and not nisba:
            break  # after a nisba adjective only more adjectives belong to the name
        seen_nisba = seen_nisba or nisba
        j += 1
    return j


def _swallow(out: list[Span], taken: list, span: tuple[int, int]) -> tuple[list[Span], list]:
    """An organisation span added unless it overlaps an entity it does not contain; a longer organisation name
    swallows the pieces the tagger found inside it."""
    inside = [k for k, (a, b) in enumerate(taken) if a < span[1] and span[0] < b]
    if all(span[0] <= taken[k][0] and taken[k][1] <= span[1] for k in inside):
        drop = {taken[k] for k in inside}
        out = [e for e in out if (e.start, e.end) not in drop]
        taken = [t for t in taken if t not in drop]
        out.append(Span(span[0], span[1], "ORG"))
        taken.append(span)
    return out, taken


@lru_cache(maxsize=1)
def _org_heads() -> frozenset:
    """Head nouns of organisation names (the shared inventory, khabar.lexicon.organisations), plainly folded."""
    from ..lexicon import organisations
    return organisations()["heads"]


@lru_cache(maxsize=1)
def _generic_heads() -> frozenset:
    from ..lexicon import organisations
    return organisations()["generic"]


@lru_cache(maxsize=1)
def _titles() -> frozenset:
    from ..lexicon import roles
    return frozenset(w for w, (kind, _g, _c) in roles().items() if kind == "title" and " " not in w)


@lru_cache(maxsize=1)
def _org_index():
    """(first word → lengths longest first, names → kind, ambiguous names, media nouns), all search-folded: the
    known organisations and outlets of the shared inventory (khabar.lexicon.organisations)."""
    from ..lexicon import organisations
    inv = organisations()
    first: dict[str, set] = {}
    for k in list(inv["names"]) + list(inv["ambiguous"]):
        w = k.split()
        first.setdefault(w[0], set()).add(len(w))
    return ({k: sorted(v, reverse=True) for k, v in first.items()}, inv["names"], inv["ambiguous"],
            inv["media_nouns"])


_OPEN = "(«\"“'["
_CLOSE = ")»\"”']"


def _org_first_key(whole: str, name: str, rel: int, first_of) -> tuple[str, int] | None:
    """(first word of a known organisation, its offset in the token): the name past the proclitics the segmenter
    split, the whole token, or the token past one or two proclitic letters it left unsplit (``لبي بي سي``)."""
    if name in first_of:
        return name, rel
    if whole in first_of:
        return whole, 0
    if whole[:1] in "وفبلك" and _is_place_word(whole):  # كابل is not ك + ابل (Apple)
        return None
    if whole[:1] in "وف" and whole[1:2] in "بلك" and whole[2:] in first_of:
        return whole[2:], 2
    if whole[:1] in "وفبلك" and whole[1:] in first_of:
        return whole[1:], 1
    return None


def _is_place_word(folded: str) -> bool:
    """The search-folded token begins a country or capital name (كابل، لندن، باريس)."""
    return folded in place_index().first


def _add_known_orgs(doc: Document, ents: list[Span], candidates: list[int]) -> list[Span]:
    """Organisations and outlets of the shared inventory (media.tsv's outlets, orgs.tsv's named organisations and
    platforms) become ORG, relabelling a tagger span they cover (``CNN`` tagged MISC, ``الأناضول`` tagged LOC).  An
    outlet whose name is also a common word or a place (``العربية``، ``المسيرة``) only right after a media noun
    (``قناة``، ``صحيفة``) or between brackets or quotation marks."""
    first_of, names, amb, media_nouns = _org_index()
    tokens = doc.tokens
    strings = tokens.strings
    text = doc.text
    n = len(strings)
    out = list(ents)
    done = 0
    for i in candidates:
        if i < done:
            continue
        rel, whole, name = _word_info(tokens, i)[:3]
        found = _org_first_key(whole, name, rel, first_of)
        if found is None:
            continue
        key0, st = found[0], tokens.starts[i] + found[1]
        for length in first_of[key0]:
            if i + length > n:
                continue
            key = " ".join([key0] + [_fold_name(w) for w in strings[i + 1:i + length]])
            if key in names:
                break
            if key in amb:
                en = tokens.ends[i + length - 1]
                before = text[max(0, st - 1):st]
                after = text[en:en + 1]
                prev = _word_info(tokens, i - 1)[2] if i and st == tokens.starts[i] else ""
                if (before and before in _OPEN and after and after in _CLOSE) or prev in media_nouns:
                    break
        else:
            continue
        lo = tokens.starts[i]
        if length > 1 and key0 in _DESCRIPTOR_HEADS and " ".join(key.split()[1:]) in names:
            st = tokens.starts[i + 1]  # تنظيم داعش: the descriptor names the kind, the known name is the name
        span = (st, tokens.ends[i + length - 1])
        if i and _word_info(tokens, i - 1)[2] in media_nouns:
            lo = tokens.starts[i - 1]  # "قناة العربية" tagged as one: the outlet's name is the name
        inside = [e for e in out if e.start < span[1] and span[0] < e.end]
        if all(lo <= e.start and e.end <= span[1] for e in inside):
            drop = {(e.start, e.end) for e in inside}
            out = [e for e in out if (e.start, e.end) not in drop]
            out.append(Span(span[0], span[1], "LOC" if names.get(key) == "seat" else "ORG"))
        done = i + length
    out.sort(key=lambda s: (s.start, s.end))
    return out


def _retype_by_head(doc: Document, ents: list[Span]) -> list[Span]:
    """The head noun settles the type: a tagger span that starts with an organisation head (``جامعة ساسيكس``
    tagged LOC, ``شرطة نوتنغهامشير`` tagged PER) is ORG; a name right after an indefinite head (``شرطة``
    + ``لندن``, ``جامعة`` + ``ساسيكس``) is taken into an ORG span with its head."""
    tokens = doc.tokens
    starts, ends = tokens.starts, tokens.ends
    heads, generic = _org_heads(), _generic_heads()
    out = []
    titles = _titles()
    for e in ents:
        i = bisect.bisect_right(starts, e.start) - 1
        j = bisect.bisect_left(ends, e.end)
        if e.label == "ORG":
            if 0 <= i < j < len(starts) and starts[i] == e.start and _word_info(tokens, i)[3] in _DESCRIPTOR_HEADS \
                    and _kind(tokens.strings[i + 1]) == "word" and not _word_info(tokens, i + 1)[4].startswith("ال"):
                out.append(Span(starts[i + 1], e.end, "ORG", e.attrs))  # تنظيم أجناد مصر → أجناد مصر
                continue
            if 0 <= i < j < len(starts) and _word_info(tokens, i)[3] in heads and \
                    _fold_name(doc.text[e.start:e.end]) not in _org_index()[1] and (
                    _word_info(tokens, i + 1)[3] in generic or _word_info(tokens, i + 1)[3] in titles):
                continue  # قوات الحكومة السورية، مكتب الرئيس: a description, not a name
            out.append(e)
            continue
        if i < 0 or j >= len(starts):
            out.append(e)
            continue
        head = _word_info(tokens, i)[3]
        if j > i and head in heads and head not in generic:
            out.append(Span(e.start, e.end, "ORG", e.attrs))
            continue
        if i > 0 and starts[i] == e.start and e.label in ("LOC", "PER", "MISC"):
            rel, _w, _n, prev, _ = _word_info(tokens, i - 1)
            if prev in heads and prev not in generic and not prev.startswith("ال") and ends[i - 1] + 1 == e.start:
                out.append(Span(starts[i - 1] + rel, e.end, "ORG", e.attrs))
                continue
        out.append(e)
    out.sort(key=lambda s: (s.start, s.end))
    return out



_QUOTED_SOURCE = regex.compile(r"(?:بحسب|حسب|وفق|وفقا ل|وفقاً ل|نقلا عن|نقلاً عن)ـ?\s*[\"«“]"
                               r"(?P<name>[^\"«»“”\n.،,:]{2,40}?)[.،]?[\"»”]")


# every match of _QUOTED_SOURCE holds one of these, at most a character (the ب of بحسب) after its start
_QUOTED_SOURCE_WORDS = ("حسب", "وفق", "نقل")


def _add_quoted_sources(doc: Document, ents: list[Span]) -> list[Span]:
    """A quoted name after a source preposition (``بحسب "مهر"``) names an outlet or organisation: ORG."""
    out = list(ents)
    changed = False
    for m in finditer_from_anchor(_QUOTED_SOURCE, doc.text, _QUOTED_SOURCE_WORDS, 1):
        s, e = m.span("name")
        if len(m.group("name").split()) > 4 or any(x.start < e and s < x.end for x in ents):
            continue
        out.append(Span(s, e, "ORG"))
        changed = True
    if changed:
        out.sort(key=lambda x: (x.start, x.end))
    return out


# heads that are also everyday nouns: إدارة (management), مديرية (directorate), حركة (movement, traffic), وكالة
# (agency): followed only by definite common nouns they describe a department or an activity (إدارة الترقيات،
# مديرية الشرطة، حركة المرور، وكالة الأنباء), not a named body; a nisba, an ordinal or a ل complement makes a name
# (إدارة الحماية المدنية، حركة المقاومة الإسلامية، وكالة الأنباء الفلسطينية), and the shared inventory's names stay
# (حركة الشباب، حركة الجهاد الإسلامي)
_WEAK_HEADS = {"ادارة", "مديرية", "حركة", "وكالة"}
_DIRECTION_ADVERBS = {"غربي", "شرقي", "شمالي", "جنوبي", "غرب", "شرق", "شمال", "جنوب"}


def _drop_weak_head_descriptions(doc: Document, ents: list[Span]) -> list[Span]:

    out = []
    names = None
    for e in ents:
        if e.label == "ORG":
            words = doc.text[e.start:e.end].split()
            if len(words) >= 2 and fold(words[0]) == "مديرية" and words[1][:1] != "ا" and (
                    len(words) == 2 or fold(words[2]) in _DIRECTION_ADVERBS) or (
                    len(words) >= 3 and fold(words[0]) == "مديرية" and fold(words[2]) in _DIRECTION_ADVERBS):
                # مديرية موزع، مديرية الوازعية غربي تعز: a district (Yemen, Egypt) named by its place
                st = e.start + doc.text[e.start:e.end].index(words[1])
                out.append(Span(st, st + len(words[1]), "LOC", e.attrs))
                continue
            if 2 <= len(words) <= 3 and fold(words[0]) in _WEAK_HEADS:
                rest = [fold(w) for w in words[1:]]
                if all((w.startswith("ال") or w.startswith("وال")) and not w.endswith(("ية", "يه"))
                       and not (w.endswith("ي") and len(w) > 4) and w not in _NAME_ADJECTIVES for w in rest):
                    if names is None:
                        names = _org_index()[1]
                    if _fold_name(doc.text[e.start:e.end]) not in names:
                        continue
        out.append(e)
    return out


_SPORT_CUES = {"مباراة", "المباراة", "مباريات", "المباريات", "الدوري", "دوري", "كرة", "القدم", "المدرب", "مدرب",
               "لاعب", "اللاعب", "اللاعبين", "لاعبي", "لاعبين", "الفريق", "فريق", "هدف", "أهداف", "الأهداف", "هدفا",
               "الملعب", "ملعب", "بطولة", "البطولة", "كأس", "أندية", "الأندية", "النادي", "نادي", "ناديه", "الموسم",
               "المنتخب", "منتخب", "التعاقد", "الفيفا", "فيفا", "الشوط", "المهاجم", "الحارس"}
_SPORT_RAW = frozenset(p + w for w in _SPORT_CUES for p in ("", "و", "ف", "ب", "ل"))
# the word before a club that names it as one: نادي، فريق، أندية (a list follows), ضد، أمام، لاعب، مدرب، جماهير
_CLUB_BEFORE = {"نادي", "ناديي", "فريق", "فريقي", "اندية", "ضد", "امام", "لاعب", "لاعبي", "مدرب", "مهاجم", "حارس",
                "جماهير", "مباراة", "مواجهة"}

# a player's move names the clubs it goes from and to: انضمامه إلى برشلونة، المنتقل من برشلونة
_TRANSFER = {"انتقال", "انتقاله", "المنتقل", "انتقل", "ينتقل", "انضمام", "انضمامه", "انضم", "ينضم", "رحيله", "رحيل",
             "قادما", "عودته", "العودة", "اعارته", "اعارة"}


@lru_cache(maxsize=1)
def _clubs() -> tuple[dict, frozenset]:
    """(search-folded first word → folded names of resources/lexicon/clubs.tsv, raw first words with a proclitic
    or ل + ال)."""
    import importlib.resources as _r

    first: dict[str, set] = {}
    raw = set()
    rows = _r.files("khabar").joinpath("resources", "lexicon", "clubs.tsv").read_text(encoding="utf-8")
    for line in rows.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name = line.split("\t")[0]
        words = name.split()
        first.setdefault(fold(words[0], search=True), set()).add(fold(name, search=True))
        w0 = words[0]
        forms = {w0, w0.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")}
        for f in list(forms):
            for p in ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل"):
                raw.add(p + f)
            if f.startswith("ال"):
                raw.update(("لل" + f[2:], "ولل" + f[2:], "فلل" + f[2:]))
    return first, frozenset(raw)


def _add_sports_clubs(doc: Document, ents: list[Span]) -> list[Span]:
    """Sports clubs named by a word that is also a place or a common noun (الهلال، الشباب، التعاون، نجران،
    برشلونة, resources/lexicon/clubs.tsv): in a sports article (three sport words or more: مباراة، الدوري، لاعب …)
    a club name is ORG after a club word (نادي، فريق، أندية:، ضد، أمام، لاعب …) or in a list with another club
    (التعاون، الشباب، الخليج), also where the tagger read it as a place; elsewhere it is left as the tagger read it
    (في تاريخ الخليج: the Gulf)."""
    tokens = doc.tokens
    strings = tokens.strings
    first, raw = _clubs()
    hits = [i for i, s in enumerate(strings) if s in raw]
    if not hits or sum(1 for s in strings if s in _SPORT_RAW) < 3:
        return ents
    n = len(strings)
    found = []  # (i, j) token ranges of club names
    for i in hits:
        key0 = _word_info(tokens, i)[2]
        names = first.get(key0)
        if not names:
            continue
        for j in range(min(n, i + 3), i, -1):
            key = " ".join([key0] + [_fold_name(w) for w in strings[i + 1:j]])
            if key in names:
                found.append((i, j))
                break
    if not found:
        return ents
    club_at = {i: j for i, j in found}
    ends_at = {j - 1: i for i, j in found}
    out = list(ents)
    changed = False
    for i, j in found:
        st, en = tokens.starts[i] + _word_info(tokens, i)[0], tokens.ends[j - 1]
        if st >= en:
            continue
        prev = _word_info(tokens, i - 1)[3] if i else ""
        rel = _word_info(tokens, i)[0]
        k = i - 1
        while k >= 0 and strings[k] in ("،", ",", ":", "و"):
            k -= 1
        # a list: the club before it (past a comma or و) or after it (past a comma or و, or a proclitic و)
        m = j
        while m < n and strings[m] in ("،", ",", "و"):
            m += 1
        listed = (k >= 0 and k < i - 1 and k in ends_at) \
            or (m < n and m in club_at and (m > j or strings[m][:1] == "و")) \
            or (rel and strings[i][:1] == "و" and k >= 0 and k in ends_at)
        context = prev in _CLUB_BEFORE or (prev in ("من", "الي", "الى") and i > 1 and _word_info(
            tokens, i - 2)[3] in _TRANSFER) or (k >= 0 and _word_info(tokens, k)[3] in ("اندية", "الاندية", "ناديي"))
        same = [e for e in out if e.start == st and e.end == en]
        overl = [e for e in out if e.start < en and st < e.end and not (e.start == st and e.end == en)]
        if overl:
            continue  # inside a longer name (ريال مدريد، نادي الهلال السعودي's span) or overlapping one
        if same:
            e = same[0]
            if e.label == "ORG":
                continue
            if listed or context:
                out[out.index(e)] = Span(st, en, "ORG", e.attrs)
                changed = True
            continue
        if listed or context:
            out.append(Span(st, en, "ORG"))
            changed = True
    if changed:
        out.sort(key=lambda s: (s.start, s.end))
    return out


@lru_cache(maxsize=1)
def _multiword_cities() -> dict:
    """First word → {word count: folded names} of the several-word cities of resources/lexicon/places.tsv
    (مكة المكرمة، المدينة المنورة، دير الزور), plainly folded."""
    from ..lexicon import places
    out: dict[str, dict[int, set]] = {}
    for name in places()["cities"]:
        w = name.split()
        if len(w) > 1:
            out.setdefault(w[0], {}).setdefault(len(w), set()).add(name)
    return out


def _extend_cut_places(doc: Document, ents: list[Span]) -> list[Span]:
    """A place the tagger cut before the rest of a known several-word city name (مكة of مكة المكرمة، دير of دير
    الزور) is extended to the whole name, where no other entity stands in the way."""
    multi = _multiword_cities()
    tokens = doc.tokens
    starts, ends = tokens.starts, tokens.ends
    out = list(ents)
    changed = False
    for k, e in enumerate(ents):
        if e.label != "LOC":
            continue
        i = bisect.bisect_right(starts, e.start) - 1
        if i < 0 or ends[i] != e.end:
            continue
        by_len = multi.get(_word_info(tokens, i)[3])
        if not by_len:
            continue
        for n in sorted(by_len, reverse=True):
            j = i + n
            if j > len(starts):
                continue
            key = " ".join([_word_info(tokens, i)[3]] + [_word_info(tokens, m)[4] for m in range(i + 1, j)])
            if key in by_len[n] and not any(x.start < ends[j - 1] and e.end <= x.start for x in ents):
                out[k] = Span(e.start, ends[j - 1], "LOC", e.attrs)
                changed = True
                break
    if changed:
        out.sort(key=lambda s: (s.start, s.end))
    return out


def _cut_person_before_place(doc: Document, ents: list[Span]) -> list[Span]:
    """A person's name does not run on into a place after the preposition ب (فيصل بالطائف، محمد بالرياض): the
    last word, split by the segmenter into ب + a known place, is cut off the name."""
    tokens = doc.tokens
    starts, ends = tokens.starts, tokens.ends
    out = None
    for k, e in enumerate(ents):
        if e.label != "PER":
            continue
        j = bisect.bisect_left(ends, e.end)
        if j >= len(starts) or ends[j] != e.end or starts[j] <= e.start:
            continue
        rel, whole, name, plain, _ = _word_info(tokens, j)
        if not rel or not whole.startswith(("ب", "وب")):
            continue
        if _is_place_word(name) or plain in _city_names():
            if out is None:
                out = list(ents)
            out[k] = Span(e.start, ends[j - 1], "PER", e.attrs)
    return ents if out is None else out


@lru_cache(maxsize=1)
def _city_names() -> frozenset:
    from ..lexicon import places
    return frozenset(places()["cities"])


def _add_hashtag_names(doc: Document, ents: list[Span]) -> list[Span]:
    """A hashtag that joins a name's words with underscores (#الولايات_المتحدة، #تيار_المستقبل) names what its words
    name: a state or capital (LOC), an organisation of the shared inventory (ORG), or a name the document's other
    entities give (the same label); the span leaves out the hash sign."""
    strings = doc.tokens.strings
    if not any("_" in w for w in strings):
        return ents
    starts = doc.tokens.starts
    names = _org_index()[1]
    places = place_index().names
    out = []
    for e in ents:
        # a hashtag is one unit: a span that runs past it (كوريا_الجنوبية اتفقتا، الاشتراكي بيدرو_سانتشيث) is cut to it
        i = bisect.bisect_right(starts, e.start) - 1
        j = bisect.bisect_left(doc.tokens.ends, e.end)
        if j > i >= 0:
            tags = [k for k in range(i, j + 1) if "_" in strings[k]]
            if tags:  # several hashtags in one span (محمد_السادس #ملك_المغرب): the first is the name
                k = tags[0]
                e = Span(max(e.start, starts[k] + (len(strings[k]) - len(strings[k].lstrip("#")))),
                         doc.tokens.ends[k], e.label, e.attrs)
        out.append(e)
    ents = out
    known = {_fold_name(doc.text[e.start:e.end]): e.label for e in ents}
    out = list(ents)
    for i, w in enumerate(strings):
        if "_" not in w:
            continue
        core = w.lstrip("#")
        parts = [x for x in core.split("_") if x]
        if len(parts) < 2 or not all(_ARABIC.search(x) or x.isalpha() for x in parts):
            continue
        key = _fold_name(" ".join(parts))
        listed = "LOC" if key in places else ("ORG" if key in names else None)
        label = listed or known.get(key)
        if label is None:
            continue
        st = starts[i] + (len(w) - len(core))
        en = starts[i] + len(w)
        same = [k for k, e in enumerate(out) if e.start == st and e.end == en]
        if same and listed:
            out[same[0]] = Span(st, en, listed, out[same[0]].attrs)  # the inventory knows it better
            continue
        if any(e.start < en and st < e.end for e in out):
            continue
        out.append(Span(st, en, label))
    out.sort(key=lambda s: (s.start, s.end))
    return out


_BRACKETS = regex.compile(r"[()\[\]«»{}]")


def _split_at_brackets(doc: Document, ents: list[Span]) -> list[Span]:
    """A person's name does not run across a bracket: ``(الدفاع الأميركي جيم) ماتيس`` tagged as one person is two
    pieces, the end of the bracketed words and the name after it; each piece with a word of two letters or more is
    kept.  (An organisation may: a head and its quoted name, مجموعة «العربية للطيران».)"""
    text = doc.text
    if not any(e.label == "PER" and _BRACKETS.search(text, e.start, e.end) for e in ents):
        return ents
    out = []
    for e in ents:
        if e.label != "PER" or not _BRACKETS.search(text, e.start, e.end):
            out.append(e)
            continue
        a = e.start
        for m in list(_BRACKETS.finditer(text, e.start, e.end)) + [None]:
            b = m.start() if m else e.end
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            st, en = a + lead, a + len(piece.rstrip())
            if en - st >= 2 and regex.search(r"\w\w", text[st:en]):
                out.append(Span(st, en, e.label, e.attrs))
            if m:
                a = m.end()
    return out


def _join_adjacent_persons(doc: Document, ents: list[Span]) -> list[Span]:
    """Two person spans with only a space between them are one name the tagger broke (خايمي | بوتين، يعقوب | ناصر
    الدين): joined, unless the first is a name the document also gives as a person elsewhere (قمة ترامب بوتين:
    ترامب stands alone elsewhere or ends a longer name), which marks two people named side by side; or the first is
    a title (آية الله | علي خامنئي) or a lone definite word (a nationality or a surname: الأوروغوياني | ديسلفا،
    الشاعرين | محمد); or the second opens with و (a conjunction the segmenter left on: أسامة الصافي | وعيد سعود)."""
    text = doc.text
    pairs = [k for k in range(len(ents) - 1) if ents[k].label == "PER" == ents[k + 1].label
             and ents[k + 1].start > ents[k].end and text[ents[k].end:ents[k + 1].start] == " "]
    if not pairs:
        return ents
    seen: dict[str, int] = {}
    for e in ents:
        if e.label == "PER":
            words = text[e.start:e.end].split()
            for key in {_fold_name(" ".join(words)), _fold_name(words[-1])} if words else ():
                seen[key] = seen.get(key, 0) + 1
    out = list(ents)
    drop = set()
    for k in pairs:
        if k in drop or k + 1 in drop:
            continue
        left = out[k]
        lt = _fold_name(text[left.start:left.end])
        if seen.get(lt, 0) > 1 or text[out[k + 1].start] == "و" or lt.startswith("ايه "):
            continue
        if " " not in lt and (lt.startswith("ال") or lt in _titles_folded()):
            continue
        both = lt.split() + _fold_name(text[out[k + 1].start:out[k + 1].end]).split()
        if any(w in _FUNCTION_WORDS or w.startswith("وال") for w in both):
            continue  # a span that already runs over a function word or a conjunction (ميسي والبرتغالي) is not a name
        out[k] = Span(left.start, out[k + 1].end, "PER", left.attrs)
        drop.add(k + 1)
    return [e for k, e in enumerate(out) if k not in drop]


_FUNCTION_WORDS = {"من", "في", "عن", "الي", "مع", "الذي", "التي", "هو", "هي"}  # search-folded (not على: علي)


@lru_cache(maxsize=1)
def _titles_folded() -> frozenset:
    return frozenset(_fold_name(t) for t in _titles())


# kinship nouns with a possessive pronoun (ابن عمي، شقيقه، زوجته): a relation, never part of a name; search-folded
_KIN_STEMS = ("عم", "خال", "ابن", "بنت", "شقيق", "زوج", "والد", "جد", "حفيد", "عمت", "خالت", "شقيقت", "زوجت", "والدت",
              "جدت", "حفيدت", "ابنت", "اخت", "ام", "اخو", "ابو", "اخي", "ابي")
_KIN_SUFFIX = ("ي", "ه", "ها", "هم", "هما", "نا", "ك", "كم")
_KIN = frozenset(s + x for s in _KIN_STEMS for x in _KIN_SUFFIX if not (s in ("اخو", "ابو") and x == "ي")) - {
    "ابنه", "ابني", "ابوه", "اخوه", "ابيه", "امي", "امه", "ابوك", "ابنا", "اخوك", "ابوها", "جده", "جدي"}
_NAME_LINKS = {"بن", "ابن", "بنت", "ابو", "ام", "عبد", "ال"}
# an office without the article opens the description after a name (آل مكتوم نائب حاكم دبي، محمد وزير الخارجية); the
# titles that are also given names or surnames (أمين، قايد، قاضي، ولي، شاهد) are left out; search-folded
_OFFICE_TITLES = {"نايب", "نايبه", "وزير", "وزيره", "رييس", "رييسه", "مدير", "مديره", "سفير", "سفيره", "محافظ",
                  "مستشار", "متحدث", "ناطق", "مبعوث", "مندوب", "مسوول", "مسووله", "عمده", "ممثل"}
# an indefinite ordinal after a name is a rank (سانتشيث سابع رئيس وزراء), not part of it: a regnal number takes
# the article (محمد السادس) and آل ثاني keeps its link
_ORDINALS = {"اول", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع", "عاشر"}


# the blessings said after a name (رحمه الله، حفظه الله، رضي الله عنه): not part of it; search-folded
_BLESSINGS = {"رحمه", "رحمها", "يرحمه", "يرحمها", "حفظه", "حفظها", "يحفظه", "رضي", "عليه", "عليها"}


def _is_kin_word(folded: str) -> bool:
    return folded in _KIN or folded in _BLESSINGS


_NON_SPACE = regex.compile(r"\S+")
_WORD_CHAR = regex.compile(r"\w")


def _cut_person_at_kinship(doc: Document, ents: list[Span]) -> list[Span]:
    """A person's name stops before a kinship noun with a possessive pronoun (جاسم ابن عمي → جاسم، محمد شقيقه), a
    blessing (آل سعود رحمه الله، حفظه الله), an office or an ordinal without the article (آل مكتوم نائب حاكم دبي،
    سانتشيث سابع): these describe the person, they are not part of the name; a name link or punctuation left
    dangling (ابن، بن، أبو، -) goes with it."""
    text = doc.text
    out = None
    for k, e in enumerate(ents):
        if e.label != "PER" or " " not in text[e.start:e.end].strip():
            continue
        words = [(m.start(), m.end()) for m in _NON_SPACE.finditer(text[e.start:e.end])]
        for n in range(1, len(words)):
            w = _fold_name(text[e.start + words[n][0]:e.start + words[n][1]])
            if _is_kin_word(w) or (w in _OFFICE_TITLES or w in _ORDINALS) \
                    and _fold_name(text[e.start + words[n - 1][0]:e.start + words[n - 1][1]]) not in _NAME_LINKS:
                keep = n
                while keep > 0 and (_fold_name(raw := text[e.start + words[keep - 1][0]:e.start + words[keep - 1][1]])
                                    in _NAME_LINKS or not _WORD_CHAR.search(raw)):
                    keep -= 1
                if out is None:
                    out = list(ents)
                out[k] = Span(e.start, e.start + words[keep - 1][1], "PER", e.attrs) if keep else None
                break
    return ents if out is None else [e for e in out if e is not None]


# nouns for a group that is named by its leader's name in a genitive (ميليشيات الحوثي، جماعة الحوثي، عصابة الحوثي)
_GROUP_HEADS = {"ميليشيات", "مليشيات", "ميليشيا", "مليشيا", "جماعه", "عصابه", "عصابات"}  # not انصار (أنصار النادي)



def _add_eponym_movements(doc: Document, ents: list[Span]) -> list[Span]:
    """A movement named by its leader's family name: after a group noun (ميليشيات، جماعة، عصابة), a
    definite masculine nisba that does not agree with the feminine or plural noun is a genitive name, not an
    adjective (مليشيات الحوثي, but الميليشيات الحوثية); where no entity covers it, it is an organisation."""
    tokens = doc.tokens
    strings, starts, ends = tokens.strings, tokens.starts, tokens.ends
    nisbas = _nation_nisbas()
    added = []
    covered = None
    # the tokens (not the last) whose name is a group noun: flag 8 of _token_flags
    flags = _token_flags(tokens)
    n = len(flags) - 1
    for i in compress(range(n), map(and_, flags, repeat(8, n))):
        w = _fold_name(strings[i + 1])
        if not (w.startswith("ال") and w.endswith("ي") and not w.endswith("يي") and len(w) > 5) or w in nisbas \
                or w in _DIRECTIONS or _is_place_word(w):
            continue
        if covered is None:
            covered = [(e.start, e.end) for e in ents]
        st, en = starts[i + 1], ends[i + 1]
        if any(a < en and st < b for a, b in covered):
            continue
        added.append(Span(st, en, "ORG"))
        covered.append((st, en))
    if not added:
        return ents
    return sorted(ents + added, key=lambda s: (s.start, s.end))


def _split_places_at_proclitic(doc: Document, ents: list[Span]) -> list[Span]:
    """A place name does not run on into the next place after a conjunction or preposition (بور سعيد وإيطاليا، البحر
    للعين، حي الفواز برجلاء): a later word of a LOC span that the segmenter splits into و/ف/ب/ل + a known state, capital
    or city ends the span there, and that place is a LOC of its own."""
    tokens = doc.tokens
    starts, ends = tokens.starts, tokens.ends
    out = None
    for k, e in enumerate(ents):
        if e.label != "LOC":
            continue
        i = bisect.bisect_right(starts, e.start) - 1
        j_end = bisect.bisect_left(ends, e.end)
        for j in range(i + 1, min(j_end, len(starts) - 1) + 1):
            if starts[j] >= e.end or starts[j] <= e.start:
                continue
            rel, whole, name, plain, _ = _word_info(tokens, j)
            if not rel or whole[:1] not in "وفبل":
                continue
            if name in place_index().names or plain in _city_names():
                if out is None:
                    out = list(ents)
                out[k] = Span(e.start, ends[j - 1], "LOC", e.attrs)
                out.append(Span(starts[j] + rel, e.end if e.end <= ends[j] else ends[j], "LOC"))
                break
    if out is None:
        return ents
    out.sort(key=lambda s: (s.start, s.end))
    return out


_PLACE_DESCRIPTORS = {"محافظة", "منطقة", "مدينة", "ولاية", "مديرية", "قضاء", "ناحية", "بلدة", "قرية", "كلية",
                      "جامعة", "اقليم", "اطراف", "ضواحي"}  # plainly folded


def _join_adjacent_places(doc: Document, ents: list[Span]) -> list[Span]:
    """Two place spans with only a space between them, neither a known state, capital or city, are one foreign name
    the tagger broke (نورث | يوركشاير، دا | نانغ); two known places side by side (طريق الرياض جدة) stay two, and so
    does a second one that opens with a proclitic letter (شارلوتسفيل | بفيرجينيا: in a place, at another)."""
    text = doc.text
    pairs = [k for k in range(len(ents) - 1) if ents[k].label == "LOC" == ents[k + 1].label
             and ents[k + 1].start > ents[k].end and text[ents[k].end:ents[k + 1].start] == " "]
    if not pairs:
        return ents
    known = place_index().names
    cities = _city_names()

    def listed(e):
        t = text[e.start:e.end]
        return _fold_name(t) in known or fold(t) in cities or _is_place_word(_fold_name(t.split()[0]))

    out = list(ents)
    drop = set()
    for k in pairs:
        if k in drop or listed(out[k]) or listed(out[k + 1]) or text[out[k + 1].start] in PROCLITICS:
            continue
        first = fold(text[out[k + 1].start:out[k + 1].end].split()[0])
        if first in _PLACE_HEADS or first in _DIRECTION_ADVERBS or first in _PLACE_DESCRIPTORS:
            continue  # a second place after a head or a direction (لحج | شمال عدن، القطيف | ميناء رأس تنورة)
        out[k] = Span(out[k].start, out[k + 1].end, "LOC", out[k].attrs)
        drop.add(k + 1)
    return [e for k, e in enumerate(out) if k not in drop]


# loanwords that follow the name of a mall, tower or park (ياس مول، ترامب تاور، مارتن بليس بلازا): the facility is
# a place named by both words
_TRAILING_FACILITY = regex.compile(r"[ \u00a0](?:مول|بلازا|تاور|تاورز|سنتر)(?![\w])")


def _add_trailing_facility_heads(doc: Document, ents: list[Span]) -> list[Span]:
    """A place or person name followed by a loanword facility head that comes after the name in English word order
    (ياس مول، ترامب تاور) names a facility: one LOC, head included.  Organisations are left as they are
    (مانشستر سيتي is a club)."""
    text = doc.text
    out = None
    for k, e in enumerate(ents):
        if e.label not in ("LOC", "PER"):
            continue
        m = _TRAILING_FACILITY.match(text, e.end)
        if not m or (k + 1 < len(ents) and ents[k + 1].start < m.end()):
            continue
        if out is None:
            out = list(ents)
        out[k] = Span(e.start, m.end(), "LOC", e.attrs)
    return ents if out is None else out


def _cut_facility_before_place(doc: Document, ents: list[Span]) -> list[Span]:
    """A facility or feature named with its head (حي الفواز، مستشفى الملك فيصل) ends before ب + the place it is in
    (حي الفواز برجلاء، مستشفى الأمير متعب بالجوف): the last word, split by the segmenter into ب + a word of three
    letters or more, is cut off and is a place of its own."""
    tokens = doc.tokens
    starts, ends = tokens.starts, tokens.ends
    text = doc.text
    out = None
    for k, e in enumerate(ents):
        if e.label != "LOC":
            continue
        words = text[e.start:e.end].split()
        if len(words) < 3 or fold(words[0]) not in _PLACE_HEADS:
            continue
        j = bisect.bisect_left(ends, e.end)
        if j >= len(starts) or ends[j] != e.end or starts[j] <= e.start:
            continue
        rel, whole, name = _word_info(tokens, j)[:3]
        if not rel or not whole.startswith(("ب", "وب")) or len(name) < 3:
            continue
        if out is None:
            out = list(ents)
        out[k] = Span(e.start, ends[j - 1], "LOC", e.attrs)
        out.append(Span(starts[j] + rel, ends[j], "LOC"))
    if out is None:
        return ents
    out.sort(key=lambda s: (s.start, s.end))
    return out
