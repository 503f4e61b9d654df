"""Who did what to whom: CAMEO event extraction over one Document.

1. **Actor mentions** per sentence: the ``actors`` layer (names resolved by the actor stage) when present, then
   our own look-up of n-grams of word keys against countries (names, capitals as metonyms, nisba adjectives),
   organisations, agents (الحكومة, الجيش, الشرطة ...) and the UniversalPetrarch actor dictionary.  An agent
   followed by a country (``الحكومة البريطانية``, ``القوات الأمريكية``) becomes that country's actor with the
   agent's sector (``GBRGOV``, ``USAMIL``); ``قوات النظام`` / ``الجيش`` alone: the article's main country.
   Clean-ups: a name span over several countries (``بريطانيا، وفرنسا``) is split; a nisba in apposition to a
   person (``القس الأمريكي، أندرو برونسون``) gives way to the person; ``مسلحين من حماس`` is Hamas; an
   organisation named in full once is found again by its head word (``المقاومة اليمنية`` … ``المقاومة``);
   UniversalPetrarch entries without a country (``حاملة طائرات``, ``عملية عسكرية``) are things, not actors.
   A one-word person name followed by a definite nisba that names a group is the person's family name
   (``عبدالملك الحوثي``); "الدولة"/"البلاد" standing alone is an anaphor, resolved to the country named last before
   it outside the other party's own words (``القوات البحرية الأمريكية ... لترسو في الدولة``), and no event when
   that country is the other party itself; two nisbas in a row are co-agents (``العدوان الأمريكي السعودي``).
2. **Triggers**: each word's keys are looked up in the hand-written trigger lexicon (``triggers.tsv``), whose
   entries may need a companion word within the next 7 words (``فرض`` + ``عقوبات``); then, optionally
   (``KHABAR_EVENTS_UP=1``), the converted UniversalPetrarch verb patterns.
3. **Roles**: Arabic news is mostly VSO: the source is the first actor right after a verb trigger that is not
   inside a prepositional phrase, unless an actor stands right before the verb (``وكانت بريطانيا قد حثت``);
   a sentence-initial verb without a subject of its own takes the previous sentence's subject; the target is the
   next different actor (apposed lists such as ``على رأسها X`` excluded).  Verbal nouns take their agent from a
   nisba/genitive right after (``هجوم إسرائيلي``, ``تهديدات واشنطن``), from ``من X`` (``ترحيبا من السعودية``),
   from a relative clause (``العقوبات التي تفرضها الولايات المتحدة``), from the clause subject when governed by
   من/في (``نجحت المقاومة في طرد الحوثيين``: then the genitive is the object), else from an actor right before.
   Adverbial participles (``شاكرا``, ``منددا``) take the clause subject; passives marked with a damma
   (``احتُجز برونسون في تركيا``) take the patient as target and the country where it happens as source.
   Inside a quote the speaker is the implicit subject, and speech acts (02, 05, 10–13) whose quote names no
   source are the speaker's; evaluative words flagged ``quote`` (``عصابة``, ``مزحة``) are the speaker's
   criticism of the actor the quote names.  A use of force against a place takes the country named after it.
   Events need a source and, except for calls, threats, protests and arrests, a target; an event needs a state,
   an IGO or a known political actor on one side (or persons on both).  An actor before a comma and a verb with
   a subject of its own after it is a fronted adjunct (``في عهد باراك أوباما، خاضت القوات الأمريكية``), not the
   subject; an accusation or arrest verb followed at once by its بـ-complement is passive (``واتهم بالمساعدة``)
   and has no source; force right after a threat is the threat's content (``تهديدات واشنطن بشن ضربة``).
4. **Protests** (14x) are kept only in sentences that the PROTEST classifier (:mod:`khabar.events.protest`)
   accepts; unnamed protesters are ``المحتجون``.
5. **Negation and modality** come from the words right before the trigger (لم, لن, ما, لا, عدم, نفى; سـ, سوف,
   قد, يعتزم, ينوي, يريد, يخطط, يسعى, محتمل): the event is kept and marked ``negated``/``modality``.
6. **Precision first** (:func:`candidates`): a **denied** act is no row at all — a quote carried by a verb of
   denial, a verb or noun of denial earlier in the clause (نفت إيران أي تورط في الهجوم), or a negated noun of
   involvement (ليس لها أي دخل في الهجمات, لا علاقة لها بـ) — so a denial is never coded as the act; both sides
   must be **actors of the article**: an actor of the actors layer (by id, name or mention, or by the country of
   the side's CAMEO code), a quote's speaker, a state named in the text by its name, capital or nisba, or a
   collective party named as such (المعارضة, المتمردون); a bare sector ("المنظمة", "نيابة", "الدول الكبرى") or a
   word no stage named is dropped; a threat needs a target.  Each row gets its ``status``: ``reported`` inside a
   speaker's words, ``negated``, else ``asserted``.
Evidence: the words from the first to the last of trigger, source and target (at most the sentence).  The same
(source, root, target) in a later sentence is a new event (protests: once per protesters and article, whatever
their target).
"""
from __future__ import annotations

import bisect
import re
from itertools import compress, repeat
from operator import is_
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass

from ..document import Document, Span
from ..text.normalize import fold
from .lexicon import _NOUN_CACHE, Resources, code_info, load, noun_key, phrase_key, word_keys

_NOUN_GET = _NOUN_CACHE.get
# token -> (its noun_key, whether it may head a trigger, whether its key may start a name): _EventExtractor
_TOKEN_INFO: dict[str, tuple[str, bool, bool]] = {}
_TOKEN_INFO_GET = _TOKEN_INFO.get

NEG_WORDS = {"لم", "لن", "لا", "ما", "ليس", "ليست", "عدم", "دون", "بدون", "غير"}
NEG_VERBS = ("نفي", "ينفي", "نفت", "تنفي", "انكر", "ينكر", "نفوا")
PLANNED = {"سوف", "يعتزم", "تعتزم", "ينوي", "تنوي", "يخطط", "تخطط", "تعتزمان", "يعتزمون", "قررت", "قرر", "تستعد",
           "يستعد", "ستقوم", "سيقوم"}
POSSIBLE = {"قد", "ربما", "يريد", "تريد", "يسعي", "تسعي", "محتمل", "المحتمل", "يمكن", "يحتمل", "لعل", "يرغب", "ترغب"}
_ADJ = re.compile(r"^ال\w{2,}(?:يه|ي|يين|يون|ى|ون|ين)$|^ال(?:كبري|عظمي|كبار)$")
_MEDIA = re.compile(r"وكال[ةه]|شبك[ةه]|صحيف[ةه]|قنا[ةه]|تلفزيون|إذاع[ةه]|[A-Za-z]{2,}|رويترز|فرانس برس|الأناضول|نيوز")
_CONTEXT_AGENTS = {"نظام", "جيش"}
# names the actor stage may give that are no event participants (sources, "any proof", details)
_NON_ACTOR = re.compile(r"^(?:[وف]?(?:ال)?مصاد?ر|أي|اي|تفاصيل|تقارير|معلومات|أنباء)(?:\s|$)")
_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_STOP_ACTOR = {"ال", "في", "من", "علي", "الي", "عن", "مع"}
# nominal events whose agent is often given by a genitive/nisba right after (هجوم إسرائيلي, انتقادات كندية)
_SELF_ROOTS = {"14"}
# roots whose event may have no target (a call, a meeting, a threat, a protest, an arrest)
_NO_TARGET_OK = {"02", "13", "14", "17"}
_AUX = {"قد", "لقد", "وقد", "فقد", "،", ",", "ان", "انها", "انه", "بان", "لان"}
_FORCE_ROOTS = {"15", "17", "18", "19", "20"}
_APPOS_HEADS = {"راسها", "راسهم", "بينها", "بينهم", "مقدمتها", "مقدمتهم", "راس"}
_SPEAKER_ROOTS = {"02", "05", "10", "11", "12", "13"}  # speech acts: the speaker of a quote is their source
COMPANION_WINDOW = 7   # a trigger's companion word within the next 7 words (حذر الرئيس ... روسيا من)
ALLOW_REPEATS = True   # the same (source, root, target) again in a later sentence is a new event (gold counts each)
# a separate preposition before an actor: the actor is an object or an adjunct, not the subject
_PREPS = {"في", "من", "علي", "الي", "عن", "مع", "ضد", "بين", "لدي", "حول", "تجاه", "بشان", "عبر", "نحو", "لصالح",
          "بحق", "امام", "ازاء", "خلال", "منذ", "بعد", "قبل", "عند", "دون", "بدون", "مثل", "حتي"}
import os as _os
USE_UP = _os.environ.get("KHABAR_EVENTS_UP", "0") == "1"  # UniversalPetrarch verb patterns: off by default (they cost precision on dev)


@dataclass
class Mention:
    i: int                 # first token
    j: int                 # last token + 1
    name: str
    code: str
    actor: str | None
    kind: str              # country | capital | nisba | org | agent | actor | PER | ORG ...


def _actor_code(res: Resources, name: str, typ: str) -> str:
    hit = res.names.get(phrase_key(name))
    if hit:
        if hit.get("iso3"):
            return hit["iso3"] + ("GOV" if hit["kind"] in ("country", "capital") else "")
        return hit.get("code", "")
    return ""


_START_CACHE: dict[int, dict[str, bool]] = {}


def _starts_name(res: Resources):
    """key → can a dictionary name start at a word with this key (itself, or without one or two proclitics)?
    Cached per key, so the scan below calls ``lookup`` only where a name can start."""
    cache = _START_CACHE.setdefault(id(res), {})
    firsts = res.firsts

    def check(first: str) -> bool:
        r = cache.get(first)
        if r is None:
            r = first in firsts or (len(first) > 3 and first[0] in "وفبلك" and (
                first[1:] in firsts or (len(first) > 4 and first[1] in "بلك" and first[2:] in firsts)))
            if len(cache) > 200_000:
                cache.clear()
            cache[first] = r
        return r
    return check


@lru_cache(maxsize=1)
def _outlets() -> frozenset:
    """Folded names of the outlets and platforms of the shared inventory (khabar.lexicon): they report, they do not
    act (a tweet on تويتر makes تويتر no party to an event)."""
    from ..lexicon import organisations, source_words

    inv = organisations()
    names = {n for n, kind in inv["names"].items() if kind == "outlet"} | set(inv["ambiguous"])
    names |= {fold(w, search=True) for w in source_words()["platform"]}
    return frozenset(names)


def _is_outlet(name: str) -> bool:
    return fold(name, search=True) in _outlets()


def _actor_mentions(doc: Document) -> tuple[list, list]:
    """(starts, [(start, end, actor, order in the layer)]) of the actors layer's mentions that may be event
    participants, sorted by start."""
    out = []
    for a in doc.layers.get("actors") or ():
        if not isinstance(a, dict):
            continue
        typ = a.get("type", "")
        name = a.get("name", "")
        if (typ in ("LOC", "MISC") and not a.get("iso3")) or _MEDIA.search(name) or _NON_ACTOR.match(name) \
                or _is_outlet(name):
            continue  # places, media and platforms are not actors of events
        for m in a.get("mentions", ()):
            out.append((m["start"], m["end"], a, len(out)))
    out.sort(key=lambda x: (x[0], x[1]))
    return [x[0] for x in out], out


def find_mentions(doc: Document, toks, lo: int, hi: int, res: Resources, default_country=None,
                  short: dict | None = None, doc_keys: list | None = None, actor_index=None) -> list[Mention]:
    """Actor mentions among tokens lo..hi-1, longest first, not overlapping.  ``default_country`` (iso3, name):
    the country a bare "النظام" / "قوات النظام" / "الجيش" refers to (the article's most mentioned one).
    ``doc_keys`` (noun keys of all tokens) and ``actor_index`` (:func:`_actor_mentions`) save work per sentence.

    Passes, in order: persons of the actors layer; our own dictionaries (countries, agents, organisations);
    the layer's other names; then the clean-ups (groups "from" a named one, things that are no actors, nisbas
    in apposition, family names, anaphors) and, without an actors layer, the PER/ORG entities."""
    strings = toks.strings
    taken = [False] * (hi - lo)
    if actor_index is None:
        actor_index = _actor_mentions(doc)
    # 1. the actors layer: people first (a role phrase before a name belongs to the person); organisations and
    #    places after our own dictionaries, which resolve agents to countries (وزارة الخزانة الأمريكية → USA)
    out, later = _layer_persons(toks, lo, hi, res, actor_index, taken)
    # 2. our own dictionaries
    keys = doc_keys[lo:hi] if doc_keys is not None else [_NOUN_GET(w) or noun_key(w) for w in strings[lo:hi]]
    out.extend(_DictionaryScan(doc, toks, lo, hi, res, keys, taken, default_country, short).scan())
    out.extend(_layer_others(later, lo, res, taken))
    if SURNAMES:
        out = _surname_persons(toks, lo, hi, res, actor_index, taken, out)
    out = _merge_from_groups(out, strings)
    # UniversalPetrarch agents and actors without a country (حاملة طائرات, عملية عسكرية, فرض القانون) are too often
    # things rather than actors: their words stay taken, but they are no participants
    out = [m for m in out if not (m.kind == "up" or (m.kind == "actor" and not _political(m, res)))]
    out.sort(key=lambda m: m.i)
    out = _drop_apposed_nisbas(out, strings)
    out = _join_family_names(out, strings)
    out = _mark_anaphors(out, strings, lo, hi, taken)
    out.sort(key=lambda m: m.i)
    if not (doc.layers.get("actors") or ()):
        out = _entity_mentions(doc, toks, lo, hi, res, out)
    return out


def _layer_persons(toks, lo: int, hi: int, res: Resources, actor_index, taken: list) -> tuple[list, list]:
    """Persons of the actors layer in the sentence, as Mentions (their words taken), and the layer's other
    names (organisations, places) as (i, j, actor) for :func:`_layer_others`, in the layer's order: the first
    actor to claim a word keeps it.  A name span over several countries (بريطانيا، وفرنسا) is left to our
    dictionaries, which split it."""
    strings, starts, ends = toks.strings, toks.starts, toks.ends
    out: list[Mention] = []
    later: list[tuple[int, int, dict]] = []
    a_starts, a_list = actor_index
    if not (a_list and lo < hi):
        return out, later
    s0, e0 = starts[lo], ends[hi - 1]
    for ms, me, a, _ in sorted(a_list[bisect.bisect_left(a_starts, s0):bisect.bisect_right(a_starts, e0)],
                               key=lambda x: x[3]):
        if not (ms >= s0 and me <= e0):
            continue
        typ = a.get("type", "")
        i = _tok_at(starts, lo, hi, ms)
        j = _tok_at(starts, lo, hi, me - 1) + 1
        if j - i > 1 and _has_country(strings, i, j, res):
            continue
        if typ != "PER":
            later.append((i, j, a))
            continue
        if any(taken[k - lo] for k in range(i, j)):
            continue
        name = a.get("name", "")
        out.append(Mention(i, j, name, _actor_code(res, name, typ), a.get("id"), typ))
        for k in range(i, j):
            taken[k - lo] = True
    return out, later


SURNAMES = True   # a person named by his surname alone (ووجه الحبهي الشكر) is the article's person of that surname
# the last word of these name parts is no surname (عبد الله, محمد بن سلمان, أبو محمد, الملك عبدالله الثاني)
_NOT_SURNAME_BEFORE = frozenset({"عبد", "بن", "ابن", "ابو", "ابي", "بنت", "ال", "ام"})
_NOT_SURNAMES = frozenset({"الله", "الدين", "الرحمن", "الثاني", "الاول", "الثالث", "الرابع", "الاكبر", "الاصغر",
                           "الابن", "الاب", "جونيور", "العزيز", "العزيز"})


def _surnames(actor_index) -> dict:
    """fold(surname) → (full name, actor id) of the article's persons named with two words or more, where that
    surname names one person only (two Clintons: none)."""
    found: dict = {}
    for _, _, a, _ in actor_index[1]:
        if a.get("type") != "PER":
            continue
        words = (a.get("name") or "").split()
        if len(words) < 2:
            continue
        last = fold(words[-1], search=True)
        if len(last) < 4 or last in _NOT_SURNAMES or fold(words[-2], search=True) in _NOT_SURNAME_BEFORE or \
                _may_trigger(words[-1], load()):
            continue  # not a surname; or a name the layer cut wrong (هادي تسيطر)
        found.setdefault(last, set()).add((a["name"], a.get("id")))
    out = {}
    for k, v in found.items():
        names = {n for n, _ in v}
        full = max(names, key=len)
        if all(full.endswith(n) for n in names):   # رائد الحبهي, العميد رائد الحبهي: one person
            out[k] = next((n, i) for n, i in v if n == full)
    return out


def _surname_persons(toks, lo: int, hi: int, res: Resources, actor_index, taken: list, out: list) -> list:
    """A person named by his surname alone (ووجه الحبهي الشكر إلى ..., وأقر راخوي بالهزيمة) where the article
    names him in full before: the full-name actor, whether the actors layer tagged the surname as a one-word
    person or left it free; a surname shared by two persons of the article names neither."""
    sur = _surnames(actor_index)
    if not sur:
        return out
    strings = toks.strings
    for n_, m in enumerate(out):
        if m.kind == "PER" and m.j - m.i == 1 and len(m.name.split()) == 1:
            hit = sur.get(fold(m.name, search=True))
            if hit:
                out[n_] = Mention(m.i, m.j, hit[0], m.code or _actor_code(res, hit[0], "PER"), hit[1], "PER")
    for k in range(lo + 1, min(hi, lo + 3)):
        # a free surname only as the subject right after the sentence's first verb (ووجه الحبهي, وأكد الحبهي,
        # وقد أقر راخوي): elsewhere a bare surname is too often a word, a family or another person
        if taken[k - lo] or strings[lo][:1] not in ("و", "ف") or not all(
                fold(strings[x], search=True) in _AUX for x in range(lo + 1, k)):
            continue
        w = fold(strings[k], search=True)
        hit = sur.get(w) or (sur.get(w[1:]) if w[:1] in ("و", "ف") and len(w) > 4 else None)
        if hit is None:
            continue
        if k > lo and fold(strings[k - 1], search=True) in _NOT_SURNAME_BEFORE | {"عائله", "اسره", "ال"}:
            continue  # عائلة الحبهي, آل الحبهي: the family, not the person
        out.append(Mention(k, k + 1, hit[0], _actor_code(res, hit[0], "PER"), hit[1], "PER"))
        taken[k - lo] = True
    return out


def _layer_others(later, lo: int, res: Resources, taken: list) -> list[Mention]:
    """The actors layer's organisations and places whose words our dictionaries left free, under our canonical
    name when we know it (حركة المقاومة الإسلامية → حماس); a country's code is its government."""
    out = []
    for i, j, a in later:
        if any(taken[k - lo] for k in range(i, j)):
            continue
        name = a.get("name", "")
        hit = res.names.get(phrase_key(name))
        if hit and hit.get("name"):
            name = hit["name"]  # our canonical name (حركة المقاومة الإسلامية → حماس)
        code = (a["iso3"] + "GOV") if a.get("iso3") else _actor_code(res, name, a.get("type", ""))
        out.append(Mention(i, j, name, code, a.get("id"), a.get("type", "")))
        for k in range(i, j):
            taken[k - lo] = True
    return out


class _DictionaryScan:
    """Pass 2 of :func:`find_mentions`: a left-to-right scan of one sentence's word keys against our dictionaries
    (countries, capitals, nisbas, agents, organisations, UniversalPetrarch actors), longest name first, words
    taken by an earlier mention skipped."""

    def __init__(self, doc, toks, lo, hi, res: Resources, keys, taken, default_country, short):
        self.doc, self.lo, self.hi, self.res = doc, lo, hi, res
        self.strings, self.starts, self.ends = toks.strings, toks.starts, toks.ends
        self.keys, self.taken = keys, taken
        self.default_country, self.short = default_country, short

    def scan(self) -> list[Mention]:
        """The mentions, each at the first free word where a name (or a short form of an organisation) starts."""
        lo, hi, keys, taken, short = self.lo, self.hi, self.keys, self.taken, self.short
        starts_name = _starts_name(self.res)
        out: list[Mention] = []
        k = lo
        while k < hi:
            key = keys[k - lo]
            if taken[k - lo] or not key or key in _STOP_ACTOR or not (starts_name(key) or (short and (
                    key in short or "@" + key in short))):
                k += 1
                continue
            hit = self.lookup(k)
            if not hit:
                h = short.get(keys[k - lo]) if short else None
                if h is None and short and short.get("@" + key) and self._bare_definite(k):
                    h = short["@" + key]
                if h is not None:
                    # the head word of an organisation named in full earlier (المقاومة اليمنية ... ونجحت المقاومة)
                    out.append(Mention(k, k + 1, h.get("name", ""), h.get("code", ""), None, "org"))
                    taken[k - lo] = True
                k += 1
                continue
            n, h = hit
            kind = h["kind"]
            m = None
            if kind in ("agent", "actor") and not h.get("up") or kind == "agent":
                m = self.agent_mention(k, n, h)
            if m is None:
                m = self.name_mention(k, k + n, h)
            out.append(m)
            for x in range(m.i, m.j):
                taken[x - lo] = True
            k = m.j
        return out

    def _bare_definite(self, k) -> bool:
        """Is token k a definite noun (الاتحاد, والمجلس) not qualified by a definite adjective or a genitive name
        (الاتحاد الآسيوي, مجلس الشورى: another body)?"""
        strings = self.strings
        w = fold(strings[k], search=True)
        w = w[1:] if w[:1] in ("و", "ف") else w
        if not w.startswith("ال"):
            return False
        if k + 1 < len(strings):
            nxt = fold(strings[k + 1], search=True)
            if nxt.startswith("ال") and nxt not in ("الذي", "التي"):
                return False
        return True

    def lookup(self, k, kinds=None):
        """(length, entry) of the longest dictionary name starting at token k (the word itself, or without one or
        two proclitics: وفبلك) whose words are free and whose kind is among ``kinds``; None if none."""
        lo, keys, res = self.lo, self.keys, self.res
        firsts = res.firsts
        first = keys[k - lo]
        alts = [first] if first in firsts else []
        if len(first) > 3 and first[0] in "وفبلك":
            if first[1:] in firsts:
                alts.append(first[1:])
            if len(first) > 4 and first[1] in "بلك" and first[2:] in firsts:
                alts.append(first[2:])
        if not alts:
            return None
        found = self._names_at(k, alts)
        if not found:
            return None
        found.sort(key=lambda x: x[:2])
        taken = self.taken
        for mn, _, h in found:
            if (kinds is None or h["kind"] in kinds) and not any(taken[x - lo] for x in range(k, k - mn)):
                return -mn, h
        return None

    def _names_at(self, k, alts) -> list:
        """[(-length, form index, entry)] of the names starting at token k, walking each form's phrase only while
        it is the start of some name."""
        lo, keys, res = self.lo, self.keys, self.res
        names, prefixes = res.names, res.prefixes
        top = min(res.max_len, self.hi - k)
        found = []
        for ai, f in enumerate(alts):
            phrase = f
            for n in range(1, top + 1):
                if n > 1:
                    phrase = phrase + " " + keys[k - lo + n - 1]
                    if phrase not in prefixes:
                        break
                h = names.get(phrase)
                if h:
                    found.append((-n, ai, h))
        return found

    def surface(self, i, j):
        """The text of tokens i..j-1 without a clitic before the article (والحكومة → الحكومة, للجيش → الجيش)."""
        t = self.doc.text[self.starts[i]:self.ends[j - 1]]
        t = re.sub(r"^[وفبلك](?=ال)", "", t)
        t = re.sub(r"^لل", "ال", t)
        w = self.strings[i]
        if w[:1] in "وفبلك" and len(w) > 3 and t.startswith(w) and noun_key(w) not in self.res.firsts \
                and noun_key(w[1:]) in self.res.firsts:
            t = t[1:]  # a clitic before a construct noun (لمجلس النواب → مجلس النواب, بمجلس الأمن)
        return t

    def agent_mention(self, k, n, h) -> Mention | None:
        """An agent (الحكومة, القوات, الجيش; or the first word of a UniversalPetrarch actor) at token k: with a
        country after it, that country's actor (``GBRGOV``); alone in a context agent or "النظام", the article's
        main country's; else the agent with its adjectives.  None for an actor whose first word gives no
        country's agent (the name itself is then the mention)."""
        kind = h["kind"]
        j = k + n
        agent = h if kind == "agent" else None
        if agent is None:
            a1 = self.res.names.get(self.keys[k - self.lo])
            agent = a1 if a1 and a1["kind"] == "agent" else None
            if agent is not None:
                j = k + 1
        if agent is None:
            return None
        m = self._agent_country(k, j, agent)
        if m is not None or kind != "agent":
            return m
        m = self._agent_in_context(k, j, agent)
        if m is None:
            m = self._agent_with_adjectives(k, j, agent)
        return m

    def _agent_country(self, k, j, agent) -> Mention | None:
        """agent (+ up to two words) + country / nisba, or + في + country: that country's actor
        (الحكومة البريطانية → GBRGOV, القوات الأمريكية → USAMIL)."""
        lo, hi, keys, strings, taken = self.lo, self.hi, self.keys, self.strings, self.taken
        for x in range(j, min(hi, j + 4)):
            if taken[x - lo] or strings[x] in ("،", ",", ".", ":", "(", ")", '"', "«", "»"):
                break
            h2 = self.lookup(x, ("country", "capital", "nisba", "org"))
            if h2:
                n2, c = h2
                if x > j and c["kind"] in ("country", "capital", "org") and keys[x - 1 - lo] != "في":
                    break
                code = (c["iso3"] + agent["code"]) if c.get("iso3") else c["code"]
                if agent["code"] == "CVL" and x > j:
                    break  # أحرق المتظاهرون مبنى القنصلية الإيرانية: the nisba qualifies another noun
                if agent["code"] == "CVL" and c.get("iso3") and c["kind"] == "nisba":
                    # protesters or civilians named by their nisba (المتظاهرون العراقيون) are people, not their
                    # state: the side keeps the phrase, the country stays in the code (IRQCVL)
                    return Mention(k, x + n2, self.surface(k, x + n2), code, None, "agent+country")
                return Mention(k, x + n2, c["name"], code, None, "agent+country")
        return None

    def _agent_in_context(self, k, j, agent) -> Mention | None:
        """A context agent (الجيش, النظام) or "قوات النظام" without a country: the article's main country's."""
        lo, hi, keys = self.lo, self.hi, self.keys
        regime = "نظام" in keys[k - lo:j - lo] or (j < hi and keys[j - lo] == "نظام")
        if not (self.default_country and (keys[k - lo] in _CONTEXT_AGENTS or regime)):
            return None
        if j < hi and keys[j - lo] == "نظام":
            j += 1
        iso3, cname = self.default_country
        return Mention(k, j, cname, iso3 + agent["code"], None, "agent+context")

    def _agent_with_adjectives(self, k, j, agent) -> Mention:
        """The agent with up to two adjectives after it (الدول الأوروبية الكبرى, مسلحي المعارضة)."""
        lo, hi, strings, keys = self.lo, self.hi, self.strings, self.keys
        names = self.res.names
        e = j
        while e < min(hi, j + 2) and not self.taken[e - lo] and _ADJ.match(fold(strings[e], search=True)) \
                and not names.get(keys[e - lo]):
            e += 1
        return Mention(k, e, self.surface(k, e), agent["code"], None, "up" if agent.get("up") else "agent")

    def name_mention(self, k, j, h) -> Mention:
        """A dictionary name at tokens k..j-1: a country, capital or nisba (its government unless a nisba), a
        UniversalPetrarch actor (its surface form), or an organisation / agent (its canonical name)."""
        kind = h["kind"]
        if kind in ("country", "capital", "nisba"):
            return Mention(k, j, h["name"], h["iso3"] + ("GOV" if kind != "nisba" else ""), None, kind)
        if kind == "actor":
            return Mention(k, j, self.surface(k, j), h.get("code", ""), None, kind)
        return Mention(k, j, h.get("name", ""), h.get("code", ""), None, kind)


def _merge_from_groups(out: list, strings) -> list:
    """An unnamed group "from" a named one (مسلحين من حركة المقاومة الإسلامية, عناصر من الجيش السوري): the named
    one, over both."""
    merged = []
    for m in out:
        if merged and merged[-1].kind in ("agent", "up") and m.kind in ("org", "country", "agent+country", "nisba",
                                                                          "ORG") \
                and m.i == merged[-1].j + 1 and fold(strings[merged[-1].j], search=True) == "من":
            a = merged.pop()
            m = Mention(a.i, m.j, m.name, m.code, m.actor, m.kind)
        merged.append(m)
    return merged


def _drop_apposed_nisbas(out: list, strings) -> list:
    """A nisba adjective in apposition to a name (القس الأمريكي، أندرو برونسون): the person is the actor."""
    return [m for n_, m in enumerate(out) if not (
        m.kind == "nisba" and n_ + 1 < len(out) and out[n_ + 1].kind == "PER" and
        all(strings[x] in ("،", ",") for x in range(m.j, out[n_ + 1].i)))]


def _join_family_names(out: list, strings) -> list:
    """A one-word person name followed by a definite nisba that our dictionaries know as a group (عبدالملك
    الحوثي): the family name of the person, not the group."""
    for n_, m in enumerate(out[:-1]):
        nx = out[n_ + 1]
        if m.kind == "PER" and m.j - m.i == 1 and nx.i == m.j and nx.j - nx.i == 1 and nx.kind == "org" and \
                _SURNAME.match(fold(strings[nx.i], search=True)):
            out[n_] = Mention(m.i, nx.j, m.name + " " + strings[nx.i], m.code or nx.code, m.actor, "PER")
            out[n_ + 1] = None
    return [m for m in out if m is not None]


def _mark_anaphors(out: list, strings, lo: int, hi: int, taken: list) -> list:
    """"The country" standing alone (لترسو في الدولة, ضربة في البلاد), as an agent mention or a free word: an
    anaphor, resolved by the caller to the country named last before it (:func:`_resolve_anaphor`)."""
    for n_, m in enumerate(out):
        if m.kind == "agent" and m.j - m.i == 1 and _ANAPHOR.match(fold(strings[m.i], search=True)):
            out[n_] = Mention(m.i, m.j, m.name, "", None, "anaphor")
    for k in range(lo, hi):
        w = strings[k]
        if ("بلا" in w or "بلد" in w or "دول" in w) and not taken[k - lo] and _ANAPHOR.match(fold(w, search=True)) and \
                not (k + 1 < hi and _ADJ.match(fold(strings[k + 1], search=True))):
            out.append(Mention(k, k + 1, strings[k], "", None, "anaphor"))
            taken[k - lo] = True
    return out


def _entity_mentions(doc: Document, toks, lo: int, hi: int, res: Resources, out: list) -> list:
    """PER/ORG entities of the sentence that overlap no mention, for documents without an actors layer."""
    starts, ends = toks.starts, toks.ends
    for e in doc.layers.get("entities") or ():
        if e.label in ("PER", "ORG") and starts[lo] <= e.start and e.end <= ends[hi - 1]:
            i = _tok_at(starts, lo, hi, e.start)
            j = _tok_at(starts, lo, hi, e.end - 1) + 1
            if not any(m.i < j and i < m.j for m in out):
                name = doc.text[e.start:e.end]
                out.append(Mention(i, j, name, _actor_code(res, name, e.label), (e.attrs or {}).get("actor"),
                                   e.label))
    out.sort(key=lambda m: m.i)
    return out


_NISBA_END = re.compile(r"^ال[\u0621-\u064a]{2,}يه?$")
_SURNAME = re.compile(r"^ال[\u0621-\u064a]{2,}ي$")
_ANAPHOR = re.compile(r"^(?:[وف]?(?:[بل]|في)?)(?:الدوله|البلاد|البلد)$")


def _resolve_anaphor(m, avoid, strings, res: Resources, limit: int = 200):
    """The country that an anaphoric "الدولة"/"البلاد" at mention ``m`` refers to: the last country (name, capital,
    nisba) named before it outside the words of ``avoid`` (the other party of the event), as a Mention; None when
    there is none within ``limit`` tokens or when it is the other party itself."""
    names = res.names
    for k in range(m.i - 1, max(-1, m.i - limit), -1):
        k1 = noun_key(strings[k])
        cands = [k1]
        if len(k1) > 3 and k1[0] in "وفبل":
            cands.append(k1[1:])
        if k > 0:
            cands.insert(0, noun_key(strings[k - 1]) + " " + k1)
        for c in cands:
            h = names.get(c)
            if h and h.get("iso3") and h["kind"] in ("country", "capital", "nisba"):
                if avoid is not None and avoid.i <= k < avoid.j and avoid.kind != "nisba":
                    break  # a word of the other party's own name (القوات الأمريكية); a people (لملايين اليمنيين في
                    # شمال البلاد) lives in its own country
                if avoid is not None and h["name"] == avoid.name:
                    return None  # the country named last is the other party: no event between two parties
                return Mention(m.i, m.j, h["name"], h["iso3"] + "GOV", None, "country")
    return None


def _has_country(strings, i, j, res: Resources) -> bool:
    """Does a word of tokens i..j-1 name a country or capital on its own?"""
    for k in range(i, j):
        key = noun_key(strings[k])
        for c in (key, key[1:] if len(key) > 3 and key[0] in "وف" else None):
            h = res.names.get(c) if c else None
            if h and h["kind"] in ("country", "capital"):
                return True
    return False


# institution nouns that head many organisations' names: never a short form (مجلس الأمن ≠ any مجلس)
_GENERIC_HEADS = {"مجلس", "منظم", "حرك", "حزب", "اتحاد", "هيي", "هييه", "لجن", "جبه", "وكال", "مجموع", "محكم", "جامع",
                  "بنك", "صندوق", "دول", "جمعي", "مكتب", "مركز", "شرك", "قوات", "جيش", "رابط", "نقاب"}


def _short_forms(strings, res: Resources, keys: list | None = None, first: list | None = None) -> dict:
    """Head word (noun key) → organisation, for the multi-word organisations named in the document whose head word
    is no name of its own (المقاومة اليمنية → المقاومة).  ``first``: per token, whether its key is in
    ``res.firsts`` (made with the keys when given)."""
    out: dict = {}
    names = res.names
    firsts = res.firsts
    if keys is None:
        keys = [noun_key(w) for w in strings]
    if first is None:
        first = list(map(firsts.__contains__, keys))
    for k in compress(range(len(keys) - 1), first):  # the tokens a name may start with
        for n in (3, 2):
            h = names.get(" ".join(keys[k:k + n]))
            if h and h["kind"] == "org":
                head = keys[k]
                if len(head) >= 4 and head not in names and head not in _STOP_ACTOR and head not in _GENERIC_HEADS:
                    out.setdefault(head, h)
                elif head in _UNIQUE_HEADS:
                    # a generic head (الاتحاد, المجلس) stands for the one organisation of the article it heads
                    prev = out.get("@" + head, h)
                    out["@" + head] = h if prev is not None and prev.get("name") == h.get("name") else None
                break
    return out


# generic heads that, with the article and standing alone, name the only organisation of the article they head
# (الاتحاد الأوروبي ... وحث الاتحاد روسيا; مجلس الأمن ... المجلس)
_UNIQUE_HEADS = {"مجلس", "منظم", "حرك", "حزب", "اتحاد", "لجن", "جبه", "وكال", "محكم", "جامع", "رابط"}


def _dominant_country(strings, res: Resources, keys: list | None = None):
    """(iso3, name) of the country the article names most often (names, capitals, nisba), or None."""
    c: Counter = Counter()
    names = res.names
    for k in (keys if keys is not None else (noun_key(w) for w in strings)):
        h = names.get(k)
        if h and h.get("iso3") and h["kind"] in ("country", "capital", "nisba"):
            c[(h["iso3"], h["name"])] += 1
    if not c:
        return None
    (best, n), = c.most_common(1)
    return best if n >= 2 else None


def _tok_at(starts, lo, hi, pos):
    i = bisect.bisect_right(starts, pos, lo, hi) - 1
    return max(lo, i)


_HEAD_HITS: dict[str, bool] = {}


# "ministry" (وزارة, لوزارة العمل) is no visit (و + زار + ة), whatever its clitics
_MINISTRY = re.compile(r"^(?:[وفبلك]|[وفبك]?ال|لل)?وزار(?:ه|ات|تي|ته|تها|تهم)$")


def _may_trigger(word: str, res: Resources) -> bool:
    """Cheap, cached test: can this word be a trigger head at all (a head form inside it, at most 3 letters in)?"""
    r = _HEAD_HITS.get(word)
    if r is None:
        heads = res.heads
        w = fold(word, search=True)
        r = False
        if not res.head_lens:
            allh = list(heads) + (list(res.up_verbs) if USE_UP else [])
            for h in allh:
                res.head_lens.setdefault(h[:2], set()).add(len(h))
        for off in range(0, min(4, len(w))):
            for L in res.head_lens.get(w[off:off + 2], ()):
                sub = w[off:off + L]
                if len(sub) == L and (sub in heads or (USE_UP and sub in res.up_verbs)):
                    r = True
                    break
            if r:
                break
        if r:
            r = any(k in heads or (USE_UP and k in res.up_verbs) for k in word_keys(word)) and not _MINISTRY.match(w)
        if len(_HEAD_HITS) < 300_000:
            _HEAD_HITS[word] = r
    return r


def _triggers(keys_of, strings, i, hi, res: Resources):
    """Trigger entries matched at token i: [(code, last token of the trigger, flags, from_up)]."""
    found = []
    ks = keys_of(i)
    for key in ks:
        for t in res.heads.get(key, ()):
            if t.companions:
                end = None
                for x in range(i + 1, min(hi, i + 1 + COMPANION_WINDOW)):
                    if strings[x] in (".", "؟", "!", "؛"):
                        break
                    xk = keys_of(x) + (noun_key(strings[x]),)  # noun_key also strips بال/لل (بالرد → رد)
                    if any(c == " " or any(k.startswith(c) for k in xk) for c in t.companions):
                        end = x
                        break
                if end is None:
                    continue
                found.append((t.code, end, t.flags, 2))
            else:
                found.append((t.code, i, t.flags, 1))
        if found:
            break
    if not found:
        for key in (ks[:6] if USE_UP else ()):
            for code, objs in res.up_verbs.get(key, ()):
                x, ok = i + 1, True
                for o in objs:
                    while x < min(hi, i + 5) and not any(k == o for k in keys_of(x)):
                        x += 1
                    if x >= min(hi, i + 5):
                        ok = False
                        break
                    x += 1
                if ok and len(objs) >= 1:
                    found.append((code, x - 1, frozenset(), 0))
            if found:
                break
    if found and not QUOTE_ACCUSATIONS:
        found = [f for f in found if "qacc" not in f[2]]
    # most specific first: companion match, then the longest code
    found.sort(key=lambda f: (-f[3], -len(f[0])))
    return found


def _raw_rows(doc: Document, res) -> list | None:
    """The coded rows of every sentence before the precision-first post-pass; None for a document without tokens."""
    toks = doc.layers.get("tokens")
    if toks is None or not len(toks):
        return None
    ex = _EventExtractor(doc, res, toks)
    for s in doc.layers.get("sentences") or (Span(0, len(doc.text)),):
        ex.sentence(s)
    return ex.out


def extract_events(doc: Document) -> list[Span]:
    """The EVENT spans of one document (see the module's docstring), sentence by sentence."""
    res = load()
    out = _raw_rows(doc, res)
    if out is None:
        return []
    return _finish(doc, res, out)


# ---- precision-first post-pass: status, denials, actors of the article -------------------------------------------
# Denial of an act: a negated noun of involvement before the trigger (ليس لها أي دخل في الهجمات, لا علاقة لها
# بالهجوم, لا صلة له), or a verb of denial governing the clause (نفى/تنفي/أنكر ... أن/أي/ضلوعها في ...).  Such an
# act is not coded at all: the row would say the act happened.
_INVOLVE = ("دخل", "علاقه", "علاقة", "صله", "صلة", "يد", "ضلوع", "تورط", "مسووليه", "مسؤولية", "مسوولية")
_DENY_VERBS = ("نفي", "ينفي", "نفت", "تنفي", "نفوا", "ينفون", "انكر", "ينكر", "انكرت", "تنكر", "نافيا", "نافيه",
               "نافية", "منكرا", "كذب", "كذبت", "يكذب", "تكذب", "دحض", "دحضت")
_DENY_NOUNS = ("نفي", "النفي", "انكار", "الانكار")
_NEG_HEADS = {"ليس", "ليست", "لا", "لم", "لن", "ما", "غير", "عدم"}
_CLAUSE_STOP = {".", "؟", "!", "؛", ";", "\n"}
_STATUS = ("asserted", "reported", "negated")   # a denied act is dropped, never coded as the act


# nouns whose nisba names the state that acts or is acted on (القرار الأمريكي, الخطة الروسية), beside event words
_ACT_HEADS = ("قرار", "خطه", "موقف", "مقترح", "اقتراح", "رد", "سياسه", "مبادره", "اجراء", "اجراءات", "خطوه",
              "تصريحات", "بيان", "دعم", "تدخل", "عدوان", "غارات", "طائرات", "صواريخ", "قصف", "نظام", "ادار")
_MISSION_HEADS = ("سفار", "قنصلي", "سفير")   # a state's diplomatic mission: its nisba is the state
_PREP_WORDS = {"في", "من", "علي", "الي", "عن", "ل", "ب", "مع", "ضد", "بين", "لدي", "تجاه"}


def _nisba_is_state(strings, k, res) -> bool:
    """Does the nisba at token k stand for its state?  Yes after a preposition (من السعودية: the country's name)
    and after an event word or a state's act (هجوم إسرائيلي, انتقادات كندية, القرار الأمريكي, الخطة الروسية), other
    nisbas skipped (الضربات الجوية الروسية); no for people (الإيرانيين) and after other nouns: a place, an
    institution or a thing (الحدود العراقية, الأزمة الأوكرانية, اتحاد القدم السعودي, صحيفة ... الأمريكية)."""
    if k < 0:
        return True
    w = fold(strings[k], search=True)
    if w.endswith(("يين", "يون", "يات")) or (w.endswith(("ين", "ون")) and len(w) > 6):
        return False
    if w.startswith(("لل", "بال", "ل", "ب")) and not w.startswith(("ال", "بي", "لي")):
        return True  # a preposition fused to it (للسعودية): the country's name
    x = k - 1
    while x >= 0 and x > k - 3:
        p = fold(strings[x], search=True)
        if noun_key(strings[x]).startswith(_MISSION_HEADS):
            return True  # a state's diplomatic mission (القنصلية الإيرانية, السفير الكندي): its nisba is the state
        if p.endswith(("ي", "يه")) and len(p) > 4 and not p.startswith(("في", "الي", "علي")):
            x -= 1  # another nisba or relational adjective (الجوية)
            continue
        break
    if x < 0:
        return True
    p = fold(strings[x], search=True)
    if p in _PREP_WORDS or p in ("و", "،", ","):
        return True
    bare = p
    for pre in ("وال", "فال", "بال", "لل", "ال", "و", "ف"):
        if bare.startswith(pre) and len(bare) - len(pre) >= 2:
            bare = bare[len(pre):]
            break
    if bare.startswith(_ACT_HEADS) or bare == "علم":
        return True  # ... and a state's flag (العلم الأمريكي)
    return bool(_may_trigger(strings[x], res) and _triggers(word_keys_of(strings), strings, x, len(strings), res))


def word_keys_of(strings):
    return lambda i: word_keys(strings[i])


_MEETING_NOUNS = ("اجتماع", "لقاء", "محادث", "مباحث", "مشاورات", "مفاوض", "قمه", "قمة")


def _meeting_noun(strings, ti, tend) -> bool:
    """Is the trigger a meeting noun, or a verb whose companion is one (عقد ... اجتماعا)?"""
    for x in {ti, tend}:
        w = fold(strings[x], search=True)
        for p in ("و", "ف", "ب", "ل", "ال", "لل", "بال"):
            if w.startswith(p) and w[len(p):].startswith(_MEETING_NOUNS):
                return True
        if w.startswith(_MEETING_NOUNS):
            return True
    return False


def _meets_with(strings, ti, gi) -> bool:
    """A meeting noun (اجتماع, محادثات, مباحثات) names its other party with مع/بين or بـ (لقاء مع X, محادثات بين
    X و Y, اجتماعه بنظيره); a genitive or a sponsor after it (اجتماع لمجلس الأمن, محادثات ترعاها الأمم المتحدة,
    اجتماع ... بأديس أبابا) is no party met."""
    if gi < 0:
        return False
    lo, hi = (ti, gi) if gi > ti else (gi, ti)
    for x in range(lo + 1, hi + 1):
        w = fold(strings[x], search=True)
        if w in ("مع", "بين", "ومع", "وبين"):
            return True
    g = fold(strings[gi], search=True)
    return g.startswith("ب") and gi == ti + 1


def _fold_bare(w: str) -> str:
    w = fold(w, search=True)
    return w[1:] if w[:1] in ("و", "ف") and len(w) > 3 else w


def _denied(strings, starts, i, lo, quote_cue=None) -> bool:
    """True when the trigger at token i is the object of a denial: a quote carried by a verb of denial, a verb or
    noun of denial up to 12 words before it in the clause, or a negation followed by a noun of involvement
    (ليس لها أي دخل في) up to 6 words before it."""
    if quote_cue and _fold_bare(quote_cue).startswith(_DENY_VERBS):
        return True
    w0 = fold(strings[i], search=True)
    if ((w0[:1] in ("و", "ف") and len(w0) > 3) or (i > lo and strings[i - 1] in ("و", "ف"))) \
            and not _is_noun(strings[i]):
        return False  # a coordinated verb opens a clause of its own (ينفون أي تورط ... وتتهمان الجيش)
    back = range(i - 1, max(lo, i - 12) - 1, -1)
    words = []
    for x in back:
        w = _fold_bare(strings[x])
        if w in _CLAUSE_STOP:
            break
        words.append((i - x, w))
    for d, w in words:
        if w.startswith(_DENY_VERBS) or w in _DENY_NOUNS:
            return True
    for d, w in words:
        if d <= 6 and (w in _INVOLVE or w.lstrip("ب") in _INVOLVE):
            # a negation before the noun of involvement (ليس لها أي دخل, لا علاقة لها)
            k = [w2 for d2, w2 in words if d < d2 <= d + 4]
            if any(w2 in _NEG_HEADS for w2 in k):
                return True
    return False


def _actor_index(doc: Document) -> tuple[dict, dict]:
    """(folded name or mention → actor id, ISO3 → actor id) of the article's actors (entities and the speakers and
    roles the actor and quotes stages resolved)."""
    names, iso = {}, {}
    for a in doc.layers.get("actors") or ():
        if not isinstance(a, dict):
            continue
        typ, name = a.get("type", ""), a.get("name", "")
        if (typ in ("LOC", "MISC") and not a.get("iso3")) or _MEDIA.search(name) or _NON_ACTOR.match(name) \
                or _is_outlet(name):
            continue  # places (a city: نيس), things, media and platforms are no parties to an event
        aid = a.get("id") or a.get("key") or a.get("name")
        for n in [a.get("name")] + [m.get("text") for m in a.get("mentions", ())]:
            if n:
                names.setdefault(_fold_name(n), aid)
        if a.get("iso3"):
            iso.setdefault(a["iso3"], aid)
    if not names:  # no actors layer (a pipeline without the actors stage): the entities are the actors
        for e in doc.layers.get("entities") or ():
            if isinstance(e, Span) and e.label in ("PER", "ORG", "GPE"):
                names.setdefault(_fold_name(doc.text[e.start:e.end]), f"{e.label}:{e.start}")
    for q in doc.layers.get("quotes") or ():
        qa = getattr(q, "attrs", None) or {}
        for n in (qa.get("speaker"), qa.get("speaker_mention_text")):
            if n:
                names.setdefault(_fold_name(n), qa.get("speaker_actor") or n)
    return names, iso


def _fold_name(n: str) -> str:
    return " ".join(_fold_bare(w).removeprefix("ال") for w in re.findall(r"[\w]+", n))


def _article_actor(name, code, actor, names, iso, kind=""):
    """The id of the article's actor a row's side is, or None: linked by the actors layer, by the country of its
    CAMEO code (IRNGOV → Iran, when Iran is an actor of the article) or by its name; or a state named by its
    name, capital or nisba that the event dictionaries resolved (``GPE:`` + ISO3)."""
    if not name:
        return None
    h = load().names.get(phrase_key(name))
    if h and h.get("kind") == "agent" and h.get("code") not in _COLLECTIVES and not h.get("iso3") \
            and (h.get("code") or "")[:3] not in _country_codes():
        return None  # a bare sector word, even where a stage kept it as an actor (قوات, الدول, شركات, الخارجية)
    if actor:
        return actor
    if code and len(code) >= 3 and code[:3] in iso:
        return iso[code[:3]]
    f = _fold_name(name)
    if f in names:
        return names[f]
    for n, aid in names.items():  # a longer mention that holds the name (وزير الخارجية الإيراني محمد ظريف)
        if len(f) > 3 and (f" {f} " in f" {n} "):
            return aid
    if kind == "agent" and code in _COLLECTIVES:
        return code  # a collective party to a conflict named as such (المعارضة, المتمردون)
    if code and code[:3] in _country_codes() and any(k in _STATE_KINDS for k in kind.split("+")):
        return "GPE:" + code[:3]  # a role resolved to a state: its name, capital or nisba (الحكومة الفرنسية)
    return None  # a bare sector (GOV, MIL, CVL: "المنظمة", "نيابة", "الدول الكبرى") or a word no stage named


_COLLECTIVES = ("OPP", "REB", "INS")
_STATE_KINDS = ("country", "capital", "nisba", "anaphor")  # the state is named in the text (agent+country too)


@lru_cache(maxsize=1)
def _country_codes() -> frozenset:
    """ISO3 codes of the countries the event dictionaries know."""
    return frozenset(h["iso3"] for h in load().names.values() if isinstance(h, dict) and h.get("iso3")
                     and h.get("kind") in ("country", "capital", "nisba"))


def _finish(doc: Document, res: Resources, out: list) -> list:
    """The rows kept: the candidates of :func:`candidates` (a keep model over their features did no better than
    keeping them all in 5-fold CV by article: ``training/events_cv.py``)."""
    return [sp for sp, _ in candidates(doc, out, features=False)]


def candidates(doc: Document, out: list | None = None, features: bool = True, drops: list | None = None) -> list:
    """(row, features) of each coded event whose sides are both actors of the article (a target may be absent)
    and whose act is not denied; each row gets its ``status`` (``reported`` inside a quote, ``negated``, else
    ``asserted``) and the actor ids of its sides.  A threat needs a target (who is threatened): "تتوعد" alone says
    nothing about whom.  ``out``: the raw rows (default: extracted here); ``features``: also each row's features
    (:func:`_features`, for ``training/events_cv.py``), else None; ``drops``: a list that receives (reason, row
    attributes) of each row dropped (``denied``, ``source``/``target``: not an actor, ``threat``: no target, ``meeting``: a meeting noun with no party met,
    ``nisba``: a nisba that stands for no state there, ``place``: a province or a city as the target)."""
    if out is None:
        out = _raw_rows(doc, load())
    if not out:
        return []
    res = load()
    toks = doc.layers["tokens"]
    strings, starts = toks.strings, toks.starts
    names, iso = _actor_index(doc)
    types = {a.get("id"): a.get("type") for a in doc.layers.get("actors") or () if isinstance(a, dict)}
    qspans = [q for q in (doc.layers.get("quotes") or ()) if isinstance(q, Span)]
    kept = []
    for n, sp in enumerate(out):
        a = dict(sp.attrs)
        ti, tend, lo, si, skind, gi, gkind = a.pop("_pos")
        q = _quote_at(qspans, starts[ti]) if qspans else None
        cue = (q.attrs or {}).get("cue_text") if q is not None else None
        src = tgt = None
        if _denied(strings, starts, ti, lo, cue):
            why = "denied"
        elif (src := _article_actor(a.get("source"), a.get("source_code"), a.get("source_actor"), names, iso,
                                    skind)) is None:
            why = "source"
        elif a.get("target") and (tgt := _article_actor(a.get("target"), a.get("target_code"), a.get("target_actor"),
                                                        names, iso, gkind)) is None:
            why = "target"
        elif PLACE_TARGETS and gkind == "actor" and (a.get("target") or "").startswith(_PLACE_HEADS):
            why = "place"   # الضربات الجوية على محافظة إدلب: a province or a city is where, not whom
        elif not a.get("target") and a["root"] == "13":
            why = "threat"
        elif (skind == "nisba" and si != ti and not _nisba_is_state(strings, si, res)) or \
                (gkind == "nisba" and not _nisba_is_state(strings, gi, res)):
            why = "nisba"
        elif a["root"] == "04" and _meeting_noun(strings, ti, tend) and not _meets_with(strings, tend, gi):
            why = "meeting"
        else:
            why = None
        if why is not None:
            if drops is not None:
                drops.append((why, a))
            continue
        a["source_actor"], a["target_actor"] = src, tgt
        a["status"] = "negated" if a.get("negated") else ("reported" if a.get("in_quote") else "asserted")
        feats = _features(a, strings, ti, tend, lo, si, skind, gi, gkind, types.get(src), types.get(tgt),
                          sp.end - sp.start, n) if features else None
        kept.append((Span(sp.start, sp.end, sp.label, a), feats))
    return _drop_envoy_repeats(doc, res, kept, drops)


PLACE_TARGETS = True   # a province or a city of the event dictionaries (محافظة إدلب) is no target
_PLACE_HEADS = ("محافظة ", "مدينة ")


def _drop_envoy_repeats(doc: Document, res: Resources, kept: list, drops: list | None) -> list:
    """A state's envoy or spokesperson repeating his state's act (حضت الولايات المتحدة مجلس الأمن ... وقال نائب السفير
    الأميركي جوناثان كوهين "نحض أعضاء هذا المجلس"): the person's row of the same root and target as a row of the
    state he is introduced as representing is the same event, told twice; it is dropped (``envoy``)."""
    if len(kept) < 2:
        return kept
    state_rows = {(_source_iso(sp.attrs), sp.attrs["root"], sp.attrs.get("target")) for sp, _ in kept} - {None}
    out = []
    for sp, f in kept:
        a = sp.attrs
        if not _is_person_row(doc, a):
            out.append((sp, f))
            continue
        iso3 = _person_state(doc, res, a.get("source_actor"))
        if iso3 and (iso3, a["root"], a.get("target")) in state_rows:
            if drops is not None:
                drops.append(("envoy", a))
            continue
        out.append((sp, f))
    return out


def _source_iso(a):
    """ISO3 of a row's source when it is a state (its name, capital or nisba, or an agent of it)."""
    sid = a.get("source_actor") or ""
    if sid.startswith("GPE:"):
        return sid[4:]
    code = a.get("source_code") or ""
    return code[:3] if code[:3] in _country_codes() and not _fold_name(a.get("source") or "").count(" ") > 3 else None


def _is_person_row(doc: Document, a) -> bool:
    sid = a.get("source_actor")
    return any(isinstance(x, dict) and x.get("id") == sid and x.get("type") == "PER"
               for x in doc.layers.get("actors") or ())


# titles of those who speak or act for a state without being its head (a head of state's own act is coded too)
# (not نائب alone: نائب رئيس الوزراء is a minister; نائب السفير has السفير)
_ENVOY_TITLES = frozenset(noun_key(w) for w in ("سفير", "السفيرة", "مندوب", "مندوبة", "المتحدث", "المتحدثة",
                                                 "ناطق", "ممثل", "مبعوث", "مبعوثة"))


def _person_state(doc: Document, res: Resources, aid):
    """ISO3 of the state a person is introduced as speaking for: an envoy's title and a nisba or country in the
    eight words before one of the person's mentions, in the same clause (نائب السفير الأميركي في الأمم المتحدة
    جوناثان كوهين, المتحدثة باسم الخارجية الأمريكية هيذر نويرت), when they name one state only."""
    actor = next((x for x in doc.layers.get("actors") or () if isinstance(x, dict) and x.get("id") == aid), None)
    if actor is None:
        return None
    toks = doc.layers["tokens"]
    strings, starts = toks.strings, toks.starts
    found = set()
    for m in actor.get("mentions", ()):
        k = bisect.bisect_left(starts, m["start"])
        titled, states = False, set()
        for x in range(k - 1, max(-1, k - 9), -1):
            w = strings[x]
            if w in _CLAUSE_STOP or w in ("،", ",", ":", '"', "«", "»") or _may_trigger(w, res):
                break
            key = noun_key(w)
            if key in _ENVOY_TITLES:
                titled = True
            h = res.names.get(key)
            if h and h.get("iso3") and h.get("kind") in ("nisba", "country", "capital"):
                states.add(h["iso3"])
        if titled:
            found |= states
    return found.pop() if len(found) == 1 else None


def _features(a, strings, ti, tend, lo, si, skind, gi, gkind, stype, gtype, span_len, n) -> dict:
    """Features of one candidate row for the keep model (names as in ``resources/events/keep.json``)."""
    def prep_before(k):
        return k > 0 and fold(strings[k - 1], search=True) in ("في", "الي", "من", "عن", "ب", "داخل")
    f = {"root=" + a["root"]: 1.0, "quote": float(bool(a.get("in_quote"))), "negated": float(bool(a.get("negated"))),
         "modal": float(a.get("modality") is not None), "no_target": float(a.get("target") is None),
         "noun_trigger": float(_is_noun(strings[ti])), "src_kind=" + (stype or skind or "none"): 1.0,
         "tgt_kind=" + (gtype or gkind or "none"): 1.0,
         "src_carried": float(si >= 0 and si < lo), "src_after": float(si > ti),
         "tgt_before": float(0 <= gi < ti), "tgt_after_prep": float(gi >= 0 and prep_before(gi)),
         "src_after_prep": float(si >= lo and prep_before(si)),
         "span_chars": min(span_len, 300) / 100.0, "sent_pos": float(ti - lo) / 20.0,
         "first_rows": float(n < 3), "bias": 1.0}
    return f


_SKIP = object()   # a trigger that gives no event and is no protest either (an evaluative word outside a quote)


class _Sentence:
    """One sentence's state while its triggers are read: its mentions (found at the first trigger), the events
    seen, the first event's source (carried to the next sentence), the protest classifier's verdict and the last
    threat's end."""
    __slots__ = ("span", "lo", "hi", "mentions", "seen", "first_src", "protest", "last_threat")

    def __init__(self, span, lo, hi):
        self.span, self.lo, self.hi = span, lo, hi
        self.mentions = None
        self.seen: set = set()
        self.first_src = None
        self.protest = None
        self.last_threat = None


class _EventExtractor:
    """The document's state across sentences: word keys, quotes, the events seen, the subject carried from one
    sentence to the next (and the sentences whose actors are looked up only when a later one needs it)."""

    def __init__(self, doc: Document, res: Resources, toks):
        self.doc, self.res, self.toks = doc, res, toks
        self.strings, self.starts, self.ends = toks.strings, toks.starts, toks.ends
        self._keys: dict[int, tuple] = {}
        self.out: list[Span] = []
        self.qspans = [q for q in (doc.layers.get("quotes") or ()) if isinstance(q, Span)]
        self.quotes = [(q.start, q.end) for q in self.qspans]
        self.doc_seen: set = set()
        self._default = False
        self.carry = None
        self.pending: list[tuple[int, int]] = []  # sentences since the carried subject was last known
        self.judged: set = set()
        # per token: its noun key (noun_key) and whether it may head a trigger (_may_trigger, for two letters or
        # more): one C-level pass of look-ups in one cache; sentence() passes over the tokens that cannot head a
        # trigger (trigger() would return at once for them)
        strings = self.strings
        info = list(map(_TOKEN_INFO_GET, strings))
        if None in info:
            firsts = res.firsts
            for k in compress(range(len(info)), map(is_, info, repeat(None))):
                w = strings[k]
                key = noun_key(w)
                info[k] = (key, len(w) >= 2 and _may_trigger(w, res), key in firsts)
                if len(_TOKEN_INFO) < 300_000:
                    _TOKEN_INFO[w] = info[k]
        keys, may, first = (list(x) for x in zip(*info)) if info else ([], [], [])
        self.doc_keys = keys
        self.may = may
        self.short = _short_forms(self.strings, res, self.doc_keys, first)
        self.actor_index = _actor_mentions(doc)
        self.protesters = None   # the protesters last named with their nisba (المتظاهرون العراقيون)

    def keys_of(self, x):
        k = self._keys.get(x)
        if k is None:
            k = self._keys[x] = word_keys(self.strings[x])
        return k

    def mentions(self, lo, hi) -> list[Mention]:
        """The actor mentions of tokens lo..hi-1 (the article's main country found once, when first needed)."""
        if self._default is False:
            self._default = _dominant_country(self.strings, self.res, self.doc_keys)
        return find_mentions(self.doc, self.toks, lo, hi, self.res, self._default, self.short, self.doc_keys,
                             self.actor_index)

    def sentence(self, s) -> None:
        """The events of one sentence (of at least three tokens), then the subject it carries to the next."""
        lo = bisect.bisect_left(self.starts, s.start)
        hi = bisect.bisect_left(self.starts, s.end)
        if hi - lo < 3:
            return
        st = _Sentence(s, lo, hi)
        may = self.may
        for i in range(lo, hi):
            if may[i]:
                self.trigger(st, i)
        self.carry_over(st)

    def trigger(self, st: _Sentence, i: int) -> None:
        """The events of the trigger at token i, if any: its roles, the protest check, anaphors resolved, at
        least one political side; a force threatened right after a threat (تهديدات واشنطن بشن ضربة) is the
        threat's content, not an event."""
        strings, res = self.strings, self.res
        w = strings[i]
        if len(w) < 2 or not _may_trigger(w, res):
            return
        trig = _triggers(self.keys_of, strings, i, st.hi, res)
        if not trig:
            return
        code, tend, flags, prio = trig[0]
        if URGED_ACTS and code[:2] not in _URGE_EXEMPT and _urged(self.keys_of, strings, i, st.lo):
            return  # حثت الولايات المتحدة المجلس على فرض عقوبات: an act urged on someone is not done
        if NOUN_SUBJECTS and code[:2] in _FORCE_ROOTS and i > st.lo and not _is_noun(w) and \
                self.force_noun(strings[i - 1], i - 1, st.hi):
            return  # الغارة استهدفت موقعا: the verb's subject is the act told before it, its agent unnamed here
        if code[:2] == "13":
            st.last_threat = tend
        elif code[:2] in _FORCE_ROOTS and st.last_threat is not None and i - st.last_threat <= 3:
            return
        if st.mentions is None:
            st.mentions = self.mentions(st.lo, st.hi)
        ev = self.roles(st, i, tend, code, flags)
        if ev is _SKIP:
            return
        protest = code[:2] == "14" and "protesters" not in flags
        if protest:
            # protests: the sentence classifier (khabar.events.protest) decides; unnamed protesters are "المحتجون"
            if st.protest is None:
                st.protest = _sentence_is_protest(self.doc.text[st.span.start:st.span.end])
            if not st.protest:
                return
            if ev is None or ev[0].kind in ("country", "capital"):
                ev = _protest_roles(st.mentions, i, tend, strings, st.lo)
        if ev is not None:
            ev = _resolve_anaphors(ev[0], ev[1], strings, res)
        if ev is None:
            return
        src, tgt = ev
        if not protest and src is not None and src.code[-3:] == "CVL" and src.kind in ("agent", "agent+country") \
                and (code[:2] in _VIOLENT_PROTEST_ROOTS or "protesters" in flags) \
                and (src.j <= i or src.i == i + 1) and not (i > st.lo and _fold_bare(strings[i - 1]) in _RELATIVES):
            # a use of force, a burning or a storming by protesters (أحرق المتظاهرون القنصلية, المتظاهرون هاجموا
            # القاعدة): a violent protest, its target the party whose building or flag they attacked; not where
            # they are the object (الذي استهدف آلاف المتظاهرين)
            src = self.named_protesters(src)
            if src is None or tgt is None:
                return
            code = "145"
        elif "protesters" in flags:
            return  # أحرق, اقتحم: only protesters' acts are coded here
        if not protest and not (_political(src, res) or _political(tgt, res) or
                                (src.kind == "PER" and tgt is not None and tgt.kind == "PER")):
            return  # neither side is a state, an IGO or a known political actor, and not person to person
        if st.first_src is None:
            st.first_src = src
        self.emit(st, i, tend, code, prio, src, tgt, protest)

    def force_noun(self, word, x, hi) -> bool:
        """Is ``word`` a definite noun of a use of force (الغارة, الهجوم, القصف, الضربات) that can head a trigger?"""
        f = _fold_bare(word)
        if not f.startswith("ال") or not _may_trigger(word, self.res):
            return False
        trig = _triggers(self.keys_of, self.strings, x, hi, self.res)
        return bool(trig) and trig[0][0][:2] in _FORCE_ROOTS

    def named_protesters(self, src):
        """The protesters as the article names them: a phrase with their nisba (المتظاهرون العراقيون) is kept and
        remembered; bare protesters (المتظاهرون) are the ones named so earlier, else None (no actor of the
        article)."""
        if src.kind == "agent+country":
            self.protesters = src
            return src
        p = self.protesters
        if p is None:
            p = self.protesters = self.first_named_protesters()
        return None if p is None else Mention(src.i, src.j, p.name, p.code, p.actor, p.kind)

    def first_named_protesters(self):
        """The first protesters of the article named with their nisba (المتظاهرون العراقيون), or None."""
        res, strings, keys = self.res, self.strings, self.doc_keys
        for x in range(len(strings) - 1):
            h = res.names.get(keys[x])
            if h and h.get("kind") == "agent" and h.get("code") == "CVL":
                c = res.names.get(keys[x + 1])
                if c and c.get("kind") == "nisba" and c.get("iso3"):
                    text = self.doc.text[self.starts[x]:self.ends[x + 1]]
                    return Mention(x, x + 2, text, c["iso3"] + "CVL", None, "agent+country")
        return None

    def roles(self, st: _Sentence, i, tend, code, flags):
        """(source, target) of a trigger, None, or _SKIP.  Evaluative words flagged ``quote`` (عصابة, مزحة): the
        speaker's criticism of whom the quote names (once per quote); inside reported speech: the actors of the
        quote, else the speaker as the source; elsewhere the sentence's actors, with the carried subject."""
        if "adjacent" in flags:
            return self.adjacent_roles(st, i, tend, code, flags)
        q = _quote_at(self.qspans, self.starts[i]) if self.qspans else None
        if "quote" in flags:
            if "qacc" in flags and _fold_bare(self.strings[i]).startswith("ب"):
                return _SKIP  # تتهمها الإدارة بسرقة: the charge of another accusation, coded by its own verb
            if q is None or id(q) in self.judged:
                return _SKIP
            self.judged.add(id(q))  # one such judgement per quote
            qm = self.quote_mentions(st, q)
            if "qacc" in flags:
                # the accused is the verb's subject right before it (إن شكريلي سرق, إن شكريلي قد سرق), never an
                # actor further on (نهبها من مخازن القذافي names the one robbed)
                qm = [m for m in qm if m.j <= i and (m.j == i or (m.j == i - 1 and
                                                               _fold_bare(self.strings[m.j]) in _AUX))]
            return _speaker_roles(q, qm, i, code, self.res, self.doc)
        if q is not None:
            return self.quote_roles(st, q, i, tend, code, flags)
        self.resolve_carry()
        carry = self.carry
        if st.first_src is not None and i > st.lo and _fold_bare(self.strings[i - 1]) in _WHERE_CLAUSE:
            carry = st.first_src  # زار X بكين، حيث التقى مع ...: the verb after حيث shares the clause's subject
        return _roles(st.mentions, i, tend, code, flags, self.strings, self.keys_of, st.lo, st.hi, carry)

    def adjacent_roles(self, st: _Sentence, i, tend, code, flags):
        """A trigger whose companion is a preposition (تحدث مع, مفاوضات مع, تضامنه مع, يجب على): the target is the
        actor right after it (not one further on: يجب على الإعلامي السعودي qualifies a person), and between trigger and
        companion only the subject and at most one other word (تحدث أوباما هاتفيا مع; none after يجب); the source by
        the trigger's other rules."""
        strings = self.strings
        inside = {x for m in st.mentions for x in range(m.i, m.j)}
        filler = ()
        if "press" in flags:
            if not (PRESS_MEETINGS and i + 1 < st.hi and _fold_bare(strings[i + 1]) in _PRESS_WORDS):
                return None  # مؤتمر صحفي/صحافي: a press conference, not any conference
            filler = _PRESS_FILLERS
        loose = sum(1 for x in range(i + 1, tend) if x not in inside and _fold_bare(strings[x]) not in filler)
        if loose > (0 if "quote" in flags else 1):
            return None  # يجب على X, not يجب عرضه على X; تحدث (X) هاتفيا مع Y, not تحدث عن ... مع Y
        at = tend + 1
        if at < st.hi and _fold_bare(strings[at]) in _HONORIFICS:
            at += 1  # مع معالي وزير الخارجية الألماني: an honorific before the title is no part of the name
        tgt = next((m for m in st.mentions if m.i == at), None)
        if tgt is None and "press" in flags:
            # مع المستشارة الألمانية أنغيلا ميركل: a title and its nisba before the person named
            x = at
            while x < min(st.hi, at + 3) and (noun_key(strings[x]) in _TITLES or
                                               _NISBA_END.match(fold(strings[x], search=True))):
                x += 1
            tgt = next((m for m in st.mentions if m.i == x and m.kind == "PER"), None) if x > at else None
        if tgt is None or (tgt.kind == "nisba" and not _nisba_is_state(self.strings, tgt.i, self.res)):
            return None  # no actor right after it, or people (مع السعوديين) rather than their state
        if "press" in flags:
            # وقال الجبير في مؤتمر صحفي عقده مع X, وأبلغ ترمب مؤتمرا صحفيا مع X: the speaker before it holds it
            c = _Clause(st.mentions, i, i, code[:2], flags, strings, st.lo, st.hi, None)
            subj = [m for m in c.subjects() if i - m.j <= 4 and m.name != tgt.name]
            return (subj[-1], tgt) if subj else None
        ev = self.roles(st, i, i, code, flags - {"adjacent"})
        if ev is None or ev is _SKIP:
            return ev
        src = ev[0]
        if src is None or src.name == tgt.name:
            return None
        return src, tgt

    def quote_mentions(self, st: _Sentence, q) -> list[Mention]:
        starts, ends = self.starts, self.ends
        qm = [m for m in st.mentions if q.start <= starts[m.i] and ends[m.j - 1] <= q.end]
        own = self.own_country(st, q, qm)
        return sorted(qm + own, key=lambda m: m.i) if own else qm

    def own_country(self, st: _Sentence, q, qm) -> list[Mention]:
        """"His/her/our country" in a speaker's words (بلاده, بلادها, بلادنا) is the speaker's state, when the words
        that name the speaker give it (المتحدثة باسم وزارة الخارجية الأمريكية، هيذر نويرت ... إن بلادها تحدثت)."""
        strings, starts = self.strings, self.starts
        a, b = bisect.bisect_left(starts, max(q.start, self.starts[st.lo])), bisect.bisect_left(starts, q.end)
        hits = [x for x in range(a, min(b, st.hi)) if _fold_bare(strings[x]) in _OWN_COUNTRY and
                not any(m.i <= x < m.j for m in qm)]
        if not hits:
            return []
        c = _speaker_country(q, self.res)
        if c is None:
            return []
        return [Mention(x, x + 1, c[1], c[0] + "GOV", None, "country") for x in hits]

    def quote_roles(self, st: _Sentence, q, i, tend, code, flags):
        """Inside reported speech: the actors of the quote, with its speaker as the implicit subject; a speech act
        whose quote names no source is the speaker's."""
        qm = self.quote_mentions(st, q)
        if _first_person(self.strings[i], self.res):
            # نحض, ندعو, طالبنا: the speaker is the subject; the first other actor after the verb its object
            spk = _speaker_mention(q, i, self.res)
            if spk is None:
                return None
            rest = [m for m in qm if m.i > i and m.name != spk.name and m.i - tend <= 7]
            return (spk, rest[0]) if rest else None
        qlo = max(st.lo, bisect.bisect_left(self.starts, q.start))
        ev = _roles(qm, i, tend, code, flags, self.strings, self.keys_of, qlo, st.hi,
                    _speaker_mention(q, i, self.res))
        if ev is None and not ("noun" in flags or _is_noun(self.strings[i])):
            ev = _speaker_roles(q, qm, i, code, self.res, self.doc)
        return ev

    def resolve_carry(self) -> None:
        """The subject carried here: the latest earlier sentence with actors decides."""
        while self.pending:
            plo, phi = self.pending.pop()
            pm = self.mentions(plo, phi)
            if pm:
                lead = _lead(pm, self.strings, plo)
                if lead is None and CARRY_THROUGH and _subjectless(self.strings, plo, phi):
                    continue  # وقضى معظم وقته في الصين: the subject before goes on; an earlier sentence decides
                self.carry = lead
                self.pending.clear()

    def emit(self, st: _Sentence, i, tend, code, prio, src, tgt, protest) -> None:
        """An event for each pair of conjuncts of source and target (موسكو وطهران) not seen in this sentence (nor
        in the document when repeats are off); protests: once per protesters and article, whatever their
        target."""
        strings, mentions, doc_seen = self.strings, st.mentions, self.doc_seen
        if src is not None and src.j <= i:
            src = _chain_head(src, mentions, strings)  # a subject list before the verb: each conjunct acts
        for src, tgt in [(a, b) for a in _conjuncts(src, mentions, strings) for b in
                         (_conjuncts(tgt, mentions, strings) if tgt else [None]) if b is None or b.name != a.name]:
            key = (src.name if src else None, code[:2], tgt.name if tgt else None)
            if key in st.seen or (key in doc_seen and (not ALLOW_REPEATS or protest)):
                continue
            if protest:
                # one protest per protesters and article: a later mention of the same protests (الاحتجاجات)
                # is no new event, whether or not it names what they protest against
                pkey = ("14", key[0])
                if pkey in doc_seen:
                    continue
                doc_seen.add(pkey)
            st.seen.add(key)
            doc_seen.add(key)
            self.out.append(_event_span(self.doc, self.res, code, i, tend, src, tgt, strings, self.starts, self.ends,
                                        self.keys_of, st.lo, self.quotes, prio))

    def carry_over(self, st: _Sentence) -> None:
        """The subject carried to the next sentence (وأضاف ..., وحثت الولايات المتحدة على ... with no subject of
        its own): this sentence's first event source, else an actor at its start; a sentence without triggers
        waits, its actors found only if a later sentence needs the carried subject."""
        if st.first_src is not None:
            self.carry = st.first_src
            self.pending.clear()
        elif st.mentions is None:
            self.pending.append((st.lo, st.hi))
        elif st.mentions:
            lead = _lead(st.mentions, self.strings, st.lo)
            if lead is None and CARRY_THROUGH and _subjectless(self.strings, st.lo, st.hi):
                return  # a verb with no subject of its own continues the subject before (وقضى معظم وقته في الصين)
            self.carry = lead
            self.pending.clear()


QUOTE_ACCUSATIONS = True   # إن شكريلي سرق أموالا: a crime verb in a quote (triggers flagged qacc) is the speaker's
# accusation of the verb's subject, the actor right before it
NOUN_SUBJECTS = True   # الغارة استهدفت موقعا للجيش: a force verb right after a definite force noun has it as subject
URGED_ACTS = True   # an act that is the content of an appeal or a demand (نحض المجلس على الانضمام في فرض عقوبات)
_URGE_EXEMPT = frozenset({"01", "02", "10", "11", "12", "13", "14"})  # speech acts and protests keep their own rules
_APPEALS = frozenset({"حث", "يحث", "تحث", "نحث", "حض", "يحض", "تحض", "نحض", "دعا", "يدعو", "تدعو", "ندعو", "دعوا",
                      "طالب", "يطالب", "تطالب", "نطالب", "مطالب", "مطالبه", "ناشد", "يناشد", "تناشد", "نناشد", "دعوه",
                      "دعوات", "مناشده", "حاثا", "داعيا", "مطالبا"})
_URGE_LINKS = frozenset({"علي", "الي", "ب"})
_URGE_STOP = frozenset({".", "،", ",", "؛", ";", ":", "؟", "!", "و", "ثم", "لكن", "بعد", "قبل", "عندما", "حين",
                        "بينما", "كان", "كانت", "الذي", "التي", "الذين"})  # a new clause: its act is told, not urged


def _urged(keys_of, strings, i, lo, reach=8) -> bool:
    """Is the act at token i the content of an appeal (حث/حض/دعا/طالب/ناشد X على/إلى/بـ ...) in the same clause: an
    appeal word within ``reach`` words before it, no clause break between, and على/إلى (or a بـ on the act or a word
    between) linking the appeal to it?"""
    link = fold(strings[i], search=True)[:1] == "ب" or fold(strings[i], search=True)[:2] in ("وب", "فب")
    for x in range(i - 1, max(lo, i - reach) - 1, -1):
        w = strings[x]
        f = _fold_bare(w)
        if w in _URGE_STOP or f in _URGE_STOP:
            return False
        if f in _URGE_LINKS or (f[:1] == "ب" and len(f) > 3 and x > lo):
            link = True
        if link and (f in _APPEALS or any(k in _APPEALS for k in keys_of(x))) and "طالبان" not in f:
            return True  # (not حركة طالبان: its key is طالب too)
    return False


PRESS_MEETINGS = True   # في مؤتمر صحفي (مشترك) عقده مع X: a joint press conference is a meeting with X (04)
_PRESS_WORDS = frozenset({"صحفي", "صحافي", "صحفيا", "صحافيا"})
_PRESS_FILLERS = _PRESS_WORDS | frozenset({"مشترك", "مشتركا", "عقده", "عقدته", "عقداه", "عقدها", "عقدتاه", "المشترك"})
_HONORIFICS = frozenset({"معالي", "فخامه", "سمو", "دوله", "سعاده"})


CARRY_THROUGH = True   # a sentence opening with و/ف + a verb and no subject keeps the subject carried before it


def _subjectless(strings, lo: int, hi: int) -> bool:
    """Does the sentence open with و/ف and a verb (perfect or imperfect, not a verbal noun, not كان/ليس with a
    subject of its own after it), so that its subject is the one carried from before (وقضى معظم وقته في ...)?"""
    w = strings[lo]
    f = fold(w, search=True)
    if f[:1] not in ("و", "ف") or len(f) < 4 or _is_noun(w) or f in _AUX or f[1] in ("ب", "ل", "س", "ك"):
        return False  # وبحسب, ولدى, وسيكون, وكذلك: a preposition, a future or a particle, not a past verb alone
    if lo + 1 < hi and fold(strings[lo + 1], search=True).startswith("ال"):
        return False  # وتحقق الكشف الجديد: a definite noun right after the verb is its own subject
    return f[1:] not in _NOT_VERBS


# words after و/ف that open a sentence without being a verb with a dropped subject
_NOT_VERBS = frozenset({"كان", "كانت", "يكون", "تكون", "ليس", "ليست", "بين", "خلال", "منذ", "بعد", "قبل", "عند", "اضاف",
                        "اضافت", "قال", "قالت", "تابع", "تابعت", "اكد", "اكدت", "هو", "هي", "هم", "هذا", "هذه", "ذلك",
                        "تلك", "من", "في", "علي", "الي", "عن", "مع", "لكن", "لم", "لن", "لا", "ما", "قد", "فقد", "لقد",
                        "اذا", "ان", "انه", "انها", "بعدما", "حسب", "وفق", "فيما", "كما", "اما", "حتي", "رغم", "يذكر",
                        "يشار", "تجدر", "يذكر", "يبدو", "تم", "يتم", "جاء", "جاءت", "شهد", "شهدت", "بدا", "بدات"})


_OWN_COUNTRY = frozenset({"بلاده", "بلادها", "بلادنا", "بلادي", "بلادهم", "لبلاده", "لبلادها", "لبلادنا", "وبلاده",
                          "وبلادها", "وبلادنا"})


def _speaker_country(q, res: Resources):
    """(iso3, country) named by the words that name a quote's speaker (a nisba, a country or a capital: وزير
    الخارجية الإماراتي, المتحدثة باسم الخارجية الأمريكية), or None when they name none or several."""
    a = q.attrs or {}
    text = a.get("speaker_mention_text") or a.get("speaker") or ""
    found = set()
    for w in re.findall(r"[\u0621-\u064a]+", text):
        h = res.names.get(noun_key(w))
        if h and h.get("iso3") and h.get("kind") in ("nisba", "country", "capital"):
            found.add((h["iso3"], h["name"]))
    return found.pop() if len(found) == 1 else None


def _first_person(word: str, res: Resources) -> bool:
    """A verb in the first person plural: imperfect in ن whose ي form is a trigger head (نحض, ندعو, نطالب), or a
    perfect in نا (طالبنا, دعونا)."""
    w = _fold_bare(word)
    if w.startswith("ن") and len(w) >= 3 and "ي" + w[1:] in res.heads:
        return True
    return w.endswith("نا") and len(w) >= 5 and w[:-2] in res.heads


def _resolve_anaphors(src, tgt, strings, res: Resources):
    """(source, target) with an anaphoric "الدولة"/"البلاد" on either side resolved to a country
    (:func:`_resolve_anaphor`), or None when one cannot be resolved."""
    if not (src.kind == "anaphor" or (tgt is not None and tgt.kind == "anaphor")):
        return src, tgt
    if src.kind == "anaphor":
        src = _resolve_anaphor(src, tgt, strings, res)
    if src is not None and tgt is not None and tgt.kind == "anaphor":
        tgt = _resolve_anaphor(tgt, src, strings, res)
    if src is None or tgt is None:
        return None
    return src, tgt


def _lead(mentions, strings, lo):
    """The subject a sentence with actors carries to the next one: an actor among its first four words, not
    after a preposition; else none."""
    for m in mentions:
        if m.i - lo <= 3 and not (m.i > lo and fold(strings[m.i - 1], search=True) in _PREPS):
            return m
    return None


_ISO: set = set()


def _political(m, res) -> bool:
    """A state (its government, army, people...), an intergovernmental organisation, or a known political group."""
    if m is None:
        return False
    if not _ISO:
        _ISO.update(v["iso3"] for v in res.names.values() if v.get("iso3"))
    c = m.code or ""
    return c[:3] in _ISO or c.startswith("IGO")


def _sentence_is_protest(sentence: str) -> bool:
    from .protest import is_protest
    return is_protest(sentence)


_PROTESTER_CODES = ("CVL", "OPP", "LAB", "EDU")
_VIOLENT_PROTEST_ROOTS = frozenset({"18", "19", "20"})
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين"})


def _protest_roles(mentions, i, tend, strings, lo):
    """(protesters, what they protest against) for a protest trigger: a protester agent of the sentence
    (المتظاهرون, المعارضة) or "المحتجون"; the first person or state after the trigger that is not a place."""
    src = next((m for m in mentions if m.kind == "agent" and m.code[-3:] in _PROTESTER_CODES), None)
    if src is None:
        src = Mention(i, tend + 1, "المحتجون", "CVL", None, "agent")
    tgt = None
    for m in mentions:
        if m.i <= tend or m.name == src.name:
            continue
        prev = fold(strings[m.i - 1], search=True) if m.i > lo else ""
        if prev in ("في", "الي", "من", "داخل", "امام") or m.kind in ("capital",):
            continue
        if m.kind == "PER" or m.kind in ("nisba", "agent+country", "org", "country"):
            tgt = m
            break
    return src, tgt


def _quote_at(qspans, pos):
    for q in qspans:
        if q.start <= pos < q.end:
            return q
    return None


def _speaker_mention(q, i, res):
    """The quote's speaker as a Mention (the implicit subject of the reported clause), or None."""
    a = q.attrs or {}
    name = a.get("speaker")
    if not name or a.get("speaker_type") == "DOC" or _MEDIA.search(name) or len(name.split()) > 5:
        return None
    country = _role_country(name, res)
    if not country and len(name.split()) == 1 and not _actor_code(res, name, "")[:3].isupper():
        return None  # a one-word speaker that is no known state or organisation (a misread verb)
    if country:
        return Mention(i, i + 1, country[1], country[0] + "GOV", a.get("speaker_actor"), "nisba")
    return Mention(i, i + 1, name, _actor_code(res, name, a.get("speaker_type", "")), a.get("speaker_actor"),
                   a.get("speaker_type") or "PER")


_ROLE_WORDS = {"رييس", "وزير", "متحدث", "باسم", "ناطق", "مسوول", "سفير", "مندوب", "مستشار", "قايد", "زعيم", "ملك",
               "امير", "ولي", "عهد", "وزراء", "نايب", "امين", "عام", "وزار", "خارجي", "دفاع", "داخلي", "حكوم",
               "مسوولون", "مصدر", "سابق", "اعلي", "الاعلي"}


def _role_country(name: str, res: Resources):
    """(iso3, country) of a speaker named only by a role and a nationality (الرئيس الأمريكي, وزير الخارجية
    الإيراني), else None."""
    hit = None
    for w in name.split():
        key = noun_key(w)
        h = res.names.get(key)
        if h and h.get("iso3") and h["kind"] in ("nisba", "country", "capital"):
            hit = hit or (h["iso3"], h["name"])
        elif not (key in _ROLE_WORDS or (h and h["kind"] == "agent")):
            return None
    return hit


def _speaker_roles(q, qm, i, code, res, doc):
    """(speaker, nearest actor of the quote) for a trigger inside a quote whose own actors give no event."""
    if code[:2] not in _SPEAKER_ROOTS:
        return None  # what a speaker reports others doing (attacks, sanctions) is not the speaker's act
    a = q.attrs or {}
    name = a.get("speaker")
    if not name or a.get("speaker_type") == "DOC" or _MEDIA.search(name):
        return None
    if len(name.split()) > 5:
        return None
    spk = _speaker_mention(q, i, res)
    if spk is None:
        return None
    others = [m for m in qm if m.name != spk.name]
    if not others:
        return None
    # the nearest actor named in the quote (the noun an evaluative word qualifies may precede it: سلوك إيران الضار),
    # places (في سوريا) last
    toks = doc.layers["tokens"].strings
    tgt = min(others, key=lambda m: (m.i > 0 and fold(toks[m.i - 1], search=True) in ("في", "الي", "من"),
                                     abs(m.i - i)))
    return spk, tgt


def _conjuncts(m, mentions, strings):
    """The mention and those coordinated with it (موسكو وطهران; فرنسا، وبريطانيا، وألمانيا; two nisba adjectives in a
    row: العدوان الأمريكي السعودي)."""
    out = [m]
    cur = m
    for n in mentions:
        if n.i < cur.j:
            continue
        gap = strings[cur.j:n.i]
        w = strings[n.i]
        # و is the conjunction, not part of the name (واشنطن); before the article it always is (والإمارات)
        wa = w.startswith("و") and (w.startswith("وال") or noun_key(w) not in load().names)
        if (n.i == cur.j and (wa or n.kind == "nisba" and cur.kind in ("nisba", "agent+country") and
                              w.startswith("ال") and _NISBA_END.match(fold(strings[cur.j - 1], search=True)))) or (
                gap in (["،"], [","], ["و"]) and
                                                                 (wa or gap == ["و"])):
            if n.name not in {x.name for x in out}:
                out.append(n)
            cur = n
        else:
            break
    return out


def _chain_head(m, mentions, strings):
    """The first of a list of coordinated actors that ends with ``m`` (جامعة الدول العربية، ومجلس التعاون الخليجي
    ومصر والإمارات والبحرين): walks back while the current one is joined by و (a comma may precede it)."""
    cur = m
    for n in reversed(mentions):
        if n.j > cur.i:
            continue
        gap = strings[n.j:cur.i]
        w = strings[cur.i]
        wa = w.startswith("و") and (w.startswith("وال") or noun_key(w) not in load().names)
        if (wa and gap in ([], ["،"], [","])) or gap == ["و"]:
            cur = n
        else:
            break
    return cur


def _event_span(doc, res, code, i, tend, src, tgt, strings, starts, ends, keys_of, lo, quotes, prio):
    text = doc.text
    neg, mod = _polarity(strings, keys_of, i, lo)
    first = min([i] + [m.i for m in (src, tgt) if m is not None])
    last = max([tend] + [m.j - 1 for m in (src, tgt) if m is not None])
    info = code_info(res, code)
    attrs = {"code": code, "root": code[:2], "quad_class": info.quad, "goldstein": info.goldstein,
             "source": src.name if src else None, "source_code": src.code if src else None,
             "target": tgt.name if tgt else None, "target_code": tgt.code if tgt else None,
             "negated": neg, "modality": mod,
             "source_actor": src.actor if src else None, "target_actor": tgt.actor if tgt else None,
             "trigger": text[starts[i]:ends[tend]],
             "dictionary": ("khabar" if prio else "universalpetrarch")}
    st, en = starts[first], ends[last]
    # token positions for the post-pass (status, actors, the keep model); removed before the row is kept
    attrs["_pos"] = (i, tend, lo, src.i if src else -1, src.kind if src else "", tgt.i if tgt else -1,
                     tgt.kind if tgt else "")
    if any(qs <= starts[i] < qe for qs, qe in quotes):
        attrs["in_quote"] = True
    return Span(st, en, "EVENT", attrs)


def _roles(mentions, i, tend, code, flags, strings, keys_of, lo, hi, carry=None):
    """(source, target) of the event whose trigger spans tokens i..tend among a sentence's (or quote's) tokens
    lo..hi-1, or None.  ``carry``: the subject carried from the previous sentence (or a quote's speaker).
    Dispatches on the trigger's class: adverbial participle, passive verb, verb (VSO/SVO), verbal noun."""
    if any(m.i <= i < m.j for m in mentions):
        return None  # the trigger is part of an actor name (الحرس الثوري ...): not an event word here
    c = _Clause(mentions, i, tend, code[:2], flags, strings, lo, hi, carry)
    if c.is_participle():
        return _participle_roles(c)
    if not c.noun and "\u064f" in strings[i][:6]:
        return _passive_roles(c)
    src, tgt = _nominal_roles(c) if c.noun else _verb_roles(c)
    return _complete_roles(c, src, tgt)


class _Clause:
    """What :func:`_roles` knows about a trigger's clause: its actor mentions, those right before the trigger that
    may be its subject (``before``) and those after it (``after``), and whether the trigger is a verbal noun."""

    def __init__(self, mentions, i, tend, root, flags, strings, lo, hi, carry):
        self.mentions, self.i, self.tend, self.root, self.flags = mentions, i, tend, root, flags
        self.strings, self.lo, self.hi, self.carry = strings, lo, hi, carry
        self.names_get = load().names.get
        self.apposed = set()
        for m in mentions:
            if m.i - 1 > lo and noun_key(strings[m.i - 1]) in _APPOS_HEADS:
                self.apposed.update(id(c) for c in _conjuncts(m, mentions, strings))
        self.after = [m for m in mentions if m.i > i and m.i - tend <= 7]
        self.before = [m for m in mentions if m.j <= i and i - m.j <= 6 and self.can_source(m)]
        self.noun = "noun" in flags or _is_noun(strings[i]) or (
            i > lo and fold(strings[i - 1], search=True) in _PREPS | {"اثر", "عقب", "اثناء"})

    def can_source(self, m) -> bool:
        """Can mention ``m`` be a subject?  A place after في is where, not who; an actor after a preposition
        (من, على, إلى, مع, ...) or with a prepositional clitic (للسعودية, بإسرائيل) is not the subject either."""
        strings = self.strings
        prev = fold(strings[m.i - 1], search=True) if m.i > self.lo else ""
        if prev in _PREPS:
            return False
        for x in range(m.i - 1, max(self.lo, m.i - 3) - 1, -1):
            # a title with a prepositional clitic before the name (التقى بالموسيقار المصري رضا رجب, للرئيس X):
            # the name is that preposition's object; nisbas between are skipped
            p = fold(strings[x], search=True)
            if p.startswith(("بال", "لل", "وبال", "ولل", "فبال")) and len(p) > 4 and not _NISBA_END.match(p[1:]):
                return False
            if not _NISBA_END.match(p):
                break
        w = fold(strings[m.i], search=True)
        if w.startswith(("لل", "بال", "كال", "وبال", "وللل", "ولل", "فلل")) or (
                m.kind in ("country", "capital", "nisba") and len(w) > 3 and w[0] in "بل" and
                noun_key(w) != noun_key(w[1:]) and self.names_get(noun_key(w[1:]))):
            return False
        return True

    def subjects(self) -> list:
        """The mentions before the trigger that may be its subject, first first."""
        return [m for m in self.mentions if m.j <= self.i and self.can_source(m)]

    def is_apposed(self, m) -> bool:
        """على رأسها X (وY), من بينها X, في مقدمتها X: X belongs to the group before, it is not another party."""
        return id(m) in self.apposed

    def after_prep(self, m, prep) -> bool:
        return m.i > self.lo and fold(self.strings[m.i - 1], search=True) == prep

    def agent_of(self, m) -> bool:
        """``من X`` right after a nominal trigger (ترحيبا من السعودية, بإسناد ومشاركة من قوات التحالف)."""
        strings = self.strings
        return m.i - self.tend <= 4 and self.after_prep(m, "من") and not any(
            fold(strings[x], search=True) in (".", "،", "من") for x in range(self.tend + 1, m.i - 1))

    def governed_subject(self):
        """The clause subject when the verbal noun is governed by the main verb through من/في (تمكنت قوات X من
        تحرير ..., نجحت المقاومة في طرد الحوثيين), else None.  For a use of force, a genitive after the noun is
        then its object (طرد الحوثيين), not its agent."""
        i = self.i
        prev = fold(self.strings[i - 1], search=True) if i > self.lo else ""
        if prev not in ("من", "في"):
            return None
        subj = self.subjects()
        return subj[0] if subj else None

    def adjectival(self, a, b) -> bool:
        """Only nouns/adjectives between tokens a..b-1 (هجوم صاروخي إسرائيلي), no verb (هجوم اتهمت الأمم)."""
        strings = self.strings
        for x in range(a, b):
            w = fold(strings[x], search=True)
            if w in _PREPS or not (_is_noun(strings[x]) or w.endswith(("ي", "يه"))):   # إلى looks like ال-
                return False
        return True

    def target_after(self, src, limit=8):
        """The first actor after the source and its conjuncts (and after the trigger), not apposed, within
        ``limit`` words."""
        chain = _conjuncts(src, self.mentions, self.strings)
        end = chain[-1].j
        names_ = {c.name for c in chain}
        i, tend = self.i, self.tend
        rest = [m for m in self.mentions if m.i >= max(end, i + 1) and m.name not in names_ and
                m.i - max(end, tend) <= limit and not self.is_apposed(m)]
        return rest[0] if rest else None

    def is_participle(self) -> bool:
        """Is the trigger an adverbial participle (شاكرا, منددا, متهما: م-/فاعل pattern with -ا/-ين)?"""
        w0 = fold(self.strings[self.i], search=True)
        w0 = w0[1:] if w0[:1] in ("و", "ف") and len(w0) > 5 else w0
        return (len(w0) >= 5 and w0.endswith(("ا", "ين")) and (w0[0] == "م" or w0[1] == "ا") and
                not w0.startswith("ال")) or w0 in _FEM_PARTICIPLES


# feminine adverbial participles, written without the alif of the accusative (متهمةً طهران بـ, منددةً بـ): only
# these, as most words of the pattern م...ة are nouns (مناقشة, مطالبة)
_FEM_PARTICIPLES = frozenset({"متهمه", "منتقده", "مندده", "شاكره", "محذره", "مهدده"})


def _participle_roles(c: _Clause):
    """An adverbial participle (شاكرا دولة الإمارات, منددا بـ, متهما إياه): its agent is the clause subject (else
    the carried one), its target the next other actor."""
    subj = c.subjects()
    s0 = subj[0] if subj else c.carry
    if s0 is None:
        return None
    rest = [m for m in c.after if m.name != s0.name and m.i - c.tend <= 6]
    if not rest and c.root not in _NO_TARGET_OK:
        return None
    return (s0, rest[0] if rest else None) if _ok_pair(s0, rest[0] if rest else None, c.root) else None


def _passive_roles(c: _Clause):
    """A passive verb marked with a damma (احتُجز برونسون في تركيا): the patient follows and is the target; the
    state where it happens is the agent.  Only for arrests and assaults (17, 18)."""
    after = c.after
    if c.root not in ("17", "18") or not after:
        return None
    tgt = after[0]
    places = [m for m in after[1:] if m.kind in ("country", "capital") and m.name != tgt.name]
    if not places:
        return None
    return places[0], tgt


def _verb_roles(c: _Clause):
    """A verb: (source, target), either possibly None.  VSO: the subject right after the verb (a comma-delimited
    apposition may follow it); SVO: an actor right before it (X قد حثت Y, روسيا تتهم واشنطن); else the nearest
    actor before, the carried subject at a sentence start, or the first possible subject after."""
    i, lo, after, before, carry = c.i, c.lo, c.after, c.before, c.carry
    first = [m for m in after if c.can_source(m)]
    close = _subject_before(c, first)
    if NUMERAL_PATIENTS and close is None and c.root == "11" and c.tend + 1 < c.hi and \
            _numeral(c.strings[c.tend + 1]):
        return None, None  # كما اتهم أربعة رجال آخرين: passive, its agent unnamed
    if _unnamed_agent(c, first):
        return None, None
    if close is not None:
        # SVO with the subject right before the verb (X قد حثت Y, روسيا تتهم واشنطن)
        rest = [m for m in after if m.name != close.name]
        return close, (rest[0] if rest else None)
    if first and first[0].i - i <= 3:
        src = _apposed_person(c, first[0])
        return src, c.target_after(src)
    if carry is not None and i > lo and _fold_bare(c.strings[i - 1]) in _WHERE_CLAUSE:
        rest = [m for m in after if m.name != carry.name]
        return carry, (rest[0] if rest else None)
    if before:
        src = before[-1]
        return src, (after[0] if after and after[0].name != src.name else None)
    if carry is not None and i - lo <= 3:
        # no subject of its own at the sentence start: the previous sentence's subject
        rest = [m for m in after if m.name != carry.name]
        return carry, (rest[0] if rest else None)
    if first:
        return first[0], c.target_after(first[0])
    return None, None


NUMERAL_PATIENTS = True   # كما اتهم أربعة رجال آخرين: a counted group after an accusation verb is its patient
# (not after an arrest verb: واعتقل 3 أشخاص is the state's arrest, its carried agent right; read on unlabelled news)
_NUMERALS = frozenset({"اثنان", "اثنين", "ثلاثه", "اربعه", "خمسه", "سته", "سبعه", "ثمانيه", "تسعه", "عشره", "عشرات",
                       "ميات", "الاف", "بضعه", "عده", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر"})


def _numeral(word: str) -> bool:
    """A number opening a noun phrase (أربعة رجال, 15 شخصا, عشرات الناشطين).  After an accusation verb with no
    subject before it, such a phrase is the patient of the verb, unvowelled passive (اتُّهم أربعة رجال), not its
    agent, and the agent is unnamed."""
    w = fold(word, search=True)
    return w.isdigit() or w in _NUMERALS


def _apposed_person(c: _Clause, m):
    """A title and the person it names between commas (اتهم رئيس مركز المصالحة الروسي في سوريا، فلاديمير
    سافتشينكو، الولايات المتحدة): the person is the subject, and the object follows the apposition."""
    if m.kind == "PER":
        return m
    strings, n = c.strings, len(c.strings)
    c_res = load()
    if not any(noun_key(strings[x]) in _TITLES for x in range(max(c.i + 1, m.i - 2), m.i + 1)):
        return m  # no title: a state and a person are two parties (اعتقلت تركيا أندرو برونسون)
    for p in c.mentions:
        if p.i <= m.i or p.i - m.j > 6 or p.kind != "PER":
            continue
        if p.i == m.j or (p.i - m.j <= 4 and not any(strings[x] in ("،", ",", ".", ":") or _may_trigger(strings[x], c_res)
                                                   for x in range(m.j, p.i))):
            return p  # رئيس دولة جنوب السودان سلفاكير ميرديت; مبعوث الأمم المتحدة الخاص إلى سوريا ستيفان دي ميستورا
        if strings[p.i - 1] in ("،", ",") and p.j < n and strings[p.j] in ("،", ",") and not any(
                strings[x] in ("،", ",", ".") for x in range(m.j, p.i - 1)):
            return p
    return m


_TITLES = frozenset(noun_key(w) for w in (
    "رئيس", "وزير", "زعيم", "ملك", "أمير", "قائد", "نائب", "مستشار", "سفير", "مندوب", "ولي", "أمين", "المتحدث",
    "رئيسة", "وزيرة", "مدير", "محافظ", "مبعوث", "ممثل"))


def _subject_before(c: _Clause, first):
    """The actor right before the verb (only auxiliaries between: قد, ان, a comma) as its SVO subject, or None.
    An actor, a comma, then the verb and its own subject (في عهد باراك أوباما، خاضت القوات الأمريكية): the actor
    before the comma belongs to a fronted adjunct, the subject follows the verb (a verb with و/ف continues the
    clause before it and keeps its subject: ..., واستهدفت القيادات)."""
    strings, i, before = c.strings, c.i, c.before
    close = before[-1] if before and all(fold(strings[x], search=True) in _AUX for x in range(before[-1].j, i)) \
        else None
    if close is not None and first and first[0].i - i <= 2 and strings[i][:1] not in ("و", "ف") and any(
            strings[x] in ("،", ",") for x in range(close.j, i)):
        close = None
    return close


def _unnamed_agent(c: _Clause, first) -> bool:
    """An accusation or arrest verb with the accused/charged matter right after it, no subject or object between
    (واتهم بالمساعدة في ...): a passive verb whose agent is not named (a plural subject suffix makes it active:
    فأدانوا بطريقتهم)."""
    strings, i, tend = c.strings, c.i, c.tend
    if c.root not in ("11", "17") or tend + 1 >= c.hi:
        return False
    if _subject_before(c, first) is not None:
        return False  # a subject right before the verb (لكن دندن انتقد برنامج ...): active
    nxt = fold(strings[tend + 1], search=True)
    return nxt.startswith(("بال", "ب")) and (not first or first[0].i > tend + 1) and nxt not in _PREPS \
        and len(strings[tend + 1]) > 3 and not fold(strings[i], search=True).endswith(("وا", "ون", "تم"))


def _nominal_roles(c: _Clause):
    """A verbal noun: (source, target), either possibly None.  The agent is named by a relative clause
    (العقوبات التي تفرضها الولايات المتحدة), by ``من X`` (ترحيبا من السعودية), by a nisba/genitive right after
    (هجوم إسرائيلي على ..., تهديدات واشنطن), by an actor right before, else by the subject of the main verb that
    governs the noun (تمكنت قوات X من تحرير ...)."""
    strings, i, tend, hi, root = c.strings, c.i, c.tend, c.hi, c.root
    after, before = c.after, c.before
    if POSSESSIVE_MEETINGS and root == "04":
        own = _possessive_meeting(c)
        if own is not None:
            return own
    if AGENT_NOUNS and "agent" in c.flags and not _verb_form(strings[i]):
        return _agent_noun_roles(c)
    if UNDER_SANCTIONS and root == "16":
        under = _under_sanctions(c)
        if under is not None:
            return under
    rel = tend + 1 < hi and fold(strings[tend + 1], search=True) in ("التي", "الذي", "اللتين", "الذين")
    if not rel and tend + 2 < hi and after and after[0].i == tend + 2 and _relative_verb(strings[tend + 1]):
        rel = True  # an indefinite noun's relative clause has no التي (انتقادات وجهتها كندا, غارات شنتها إسرائيل)
    if after and rel and after[0].i - tend <= 3 and c.can_source(after[0]):
        # العقوبات التي تفرضها الولايات المتحدة ضد إيران, الضربات التي شنتها إسرائيل على ...
        return after[0], c.target_after(after[0])
    if after and c.agent_of(after[0]) and root not in ("18", "19", "20"):
        src = after[0]
        return src, (before[-1] if before and i - before[-1].j <= 4 else (
            c.target_after(src) if root not in ("05", "06", "07") else None))
    if after and _genitive_agent(c):
        # هجوم إسرائيلي, انتقادات كندية; a genitive: تهديدات واشنطن
        return after[0], c.target_after(after[0])
    if before and i - before[-1].j <= 2 and not any(
            fold(strings[x], search=True) in _PREPS for x in range(before[-1].j, i)):
        src = before[-1]
        return src, (after[0] if after and after[0].name != src.name else None)
    # a verbal noun governed by the main verb (تمكنت قوات X من تحرير ..., نجاح X في السيطرة على ...): the clause
    # subject is its agent
    src = c.governed_subject()
    reach = 4
    if src is None:
        # a verbal noun that is the object of a verb of decision or announcement (قررت السلطات السعودية ...
        # تجميد التعاملات مع كندا, أعلنت الحكومة فرض عقوبات على ...): that verb's subject is its agent
        src = _control_subject(c)
        reach = 6
    if src is None:
        return None, None
    rest = [m for m in after if m.name != src.name and m.i - tend <= reach]
    return src, (rest[0] if rest else None)


POSSESSIVE_MEETINGS = True   # قمته مع كيم: the meeting of the clause's subject (his summit) with the one after مع
_OWN_SUFFIXES = (("هما", None), ("ها", "F"), ("ه", "M"))
_CALL_OFF = frozenset({"يلغي", "الغي", "الغت", "تلغي", "الغاء", "بالغاء", "والغاء", "ارجا", "ارجات", "يرجي", "ترجي",
                       "تاجيل", "بتاجيل", "يوجل", "توجل", "اجل", "اجلت", "رفض", "رفضت", "يرفض", "ترفض"})
# meeting nouns before a possessive pronoun (ة → ت: قمته; ء → ي: لقائه)
_OWN_MEETING_STEMS = ("اجتماع", "لقاي", "لقاء", "محادث", "مباحث", "مشاورات", "مفاوضات", "قمت", "اتصال")


def _possessive_meeting(c: _Clause):
    """A meeting noun with a possessive pronoun right before مع X (بعد قمته مع كيم, خلال لقائه مع, اجتماعها مع):
    the meeting of the clause's subject with X: (subject, X), the subject agreeing with the pronoun (ه: a person,
    ها: a state or an organisation), else the subject carried from before; None when it does not apply."""
    strings, i = c.strings, c.i
    w = fold(strings[i], search=True)
    if i + 2 >= c.hi or fold(strings[i + 1], search=True) != "مع" or w.startswith("ال"):
        return None
    suf, gender = next(((suf, g) for suf, g in _OWN_SUFFIXES if w.endswith(suf) and len(w) - len(suf) >= 3),
                       (None, None))
    if suf is None or not w[:-len(suf)].startswith(_OWN_MEETING_STEMS):
        return None
    if i > c.lo and _fold_bare(strings[i - 1]) in _CALL_OFF:
        return None  # ترامب يلغي قمته مع كيم: a meeting called off is no meeting
    tgt = next((m for m in c.mentions if m.i == i + 2), None)
    if tgt is None:
        return None
    subj = [m for m in c.subjects() if m.name != tgt.name] or ([c.carry] if c.carry is not None else [])
    if not subj:
        return None
    src = subj[0]
    if (gender == "M" and src.kind != "PER") or (gender == "F" and src.kind == "PER"):
        return None  # قمته: a man's; اجتماعها: a state's or a body's
    return src, tgt


UNDER_SANCTIONS = True   # قاسم سليماني ... الخاضع لعقوبات الولايات المتحدة: sanctions of the genitive on the one subject to them
_SUBJECT_TO = ("خاضع", "الخاضع", "يخضع", "تخضع", "يخضعون", "خاضعه", "الخاضعه", "الخاضعين", "خاضعين", "الخاضعون")


def _under_sanctions(c: _Clause):
    """Sanctions after "subject to" (الخاضع شخصيا لعقوبات الولايات المتحدة, يخضع لعقوبات أمريكية): the agent is the
    genitive or nisba right after the noun, the target the person the participle describes: the nearest person
    before it in the clause (else an actor right before it); None when it does not apply."""
    strings, i = c.strings, c.i
    p = i - 1
    if p > c.lo and fold(strings[p], search=True).endswith("ا"):
        p -= 1   # an adverb between (شخصيا)
    w = fold(strings[p], search=True) if p >= c.lo else ""
    w = w[1:] if w[:1] in ("و", "ف") and w[1:] in _SUBJECT_TO else w
    if w not in _SUBJECT_TO or not c.after or c.after[0].i - c.tend > 2:
        return None
    src = c.after[0]
    stop = max([x for x in range(max(c.lo, p - 12), p) if strings[x] in (".", "؛", ";", ":")], default=c.lo - 1)
    before = [m for m in c.mentions if stop < m.i and m.j <= p and m.name != src.name]
    people = [m for m in before if m.kind == "PER"]
    tgt = people[-1] if people else next((m for m in before if m.j >= p - 1), None)
    return (src, tgt) if tgt is not None else None


_WHERE_CLAUSE = frozenset({"حيث"})
_CONTROL_VERBS = frozenset({"قرر", "قررت", "قرروا", "تقرر", "يقرر", "اعلن", "اعلنت", "اعلنوا", "يعلن", "تعلن",
                            "اتخذ", "اتخذت", "بدا", "بدات", "بدوا", "تبدا", "يبدا", "واصل", "واصلت", "تواصل", "يواصل",
                            "استانف", "استانفت", "اعتزم", "يعتزم", "تعتزم", "امر", "امرت", "يامر", "تامر"})


def _control_subject(c: _Clause):
    """The subject of a verb of decision or announcement up to 10 words before a construct verbal noun, in its
    clause and with no preposition between (the noun is its object): the first possible subject between that verb
    and the noun (VSO), else an actor right before the verb (SVO)."""
    strings, i, lo = c.strings, c.i, c.lo
    if _fold_bare(strings[i]).startswith("ال"):
        return None  # the object of such a verb is a construct verbal noun (تجميد التعاملات), not الهجمات
    for x in range(i - 1, max(lo, i - 10) - 1, -1):
        w = _fold_bare(strings[x])
        if w in _CLAUSE_STOP or w in _PREPS or w in ('"', "«", "»"):
            return None  # no preposition or quotation between: the noun is that verb's object
        if w in _CONTROL_VERBS:
            subj = [m for m in c.mentions if x < m.i < i and c.can_source(m)]
            if subj:
                return subj[0]
            pre = [m for m in c.mentions if m.j <= x and all(
                fold(strings[y], search=True) in _AUX for y in range(m.j, x)) and c.can_source(m)]
            return pre[-1] if pre else None
    return None


def _relative_verb(word: str) -> bool:
    """A perfect verb with a pronoun object that returns to the noun before it (وجهتها, شنتها, فرضها), not a
    preposition with a pronoun (عليها, فيها, منها, لها)."""
    w = fold(word, search=True)
    if not w.endswith(("ها", "ه")) or len(w) < 5:
        return False
    stem = w[:-2] if w.endswith("ها") else w[:-1]
    stem = stem[:-1] if stem.endswith("ت") and len(stem) > 3 else stem
    return stem in _CARRY_OUT or (stem[:1] in ("ي", "ت") and "ي" + stem[1:] in _CARRY_OUT)


# verbs of carrying out or directing an act (its agent is the act's agent: انتقادات وجهتها كندا, غارات شنتها
# إسرائيل, عقوبات تفرضها واشنطن), not of witnessing it (الهجوم حضرته رئيسة الوزراء)
_CARRY_OUT = frozenset({"وجه", "يوجه", "شن", "يشن", "نفذ", "ينفذ", "فرض", "يفرض", "اطلق", "يطلق", "ارتكب", "يرتكب",
                        "اتخذ", "يتخذ", "قاد", "يقود", "تبني", "يتبني", "اصدر", "يصدر", "قدم", "يقدم", "ابدي", "يبدي",
                        "وقع", "يوقع", "اجري", "يجري", "عقد", "يعقد", "دعم", "يدعم", "مارس", "يمارس"})


AGENT_NOUNS = True   # روبرت أونيل، قاتل زعيم تنظيم القاعدة أسامة بن لادن: the noun of the doer, apposed to him


def _agent_noun_roles(c: _Clause):
    """A noun naming the doer (قاتل: the killer of X) in apposition to a person right before it (X، قاتل Y): the
    person is the source, the genitive after the noun the target; else no event (سلاح قاتل, قاتل الجيش: an
    adjective or a verb)."""
    strings, i = c.strings, c.i
    src = next((m for m in reversed(c.mentions) if m.j <= i and m.kind == "PER"), None)
    if src is None or [strings[x] for x in range(src.j, i)] not in (["،"], [","]):
        return None, None
    tgt = next((m for m in c.after if m.i - c.tend <= 2 and m.name != src.name and c.adjectival(c.tend + 1, m.i)),
               None)
    return (src, tgt) if tgt is not None else (None, None)


def _verb_form(word: str) -> bool:
    """The same letters read as a verb (وقاتل حزب الله الجيش, قاتلت السعودية الحوثيين): after و/ف, or with the
    subject suffix ت/وا."""
    w = fold(word, search=True)
    return w[:1] in ("و", "ف") or w.endswith(("ت", "وا"))


def _genitive_agent(c: _Clause) -> bool:
    """Is the first actor after a verbal noun its agent as a nisba or genitive (هجوم صاروخي إسرائيلي, تهديدات
    واشنطن)?  Not for a use of force governed by a main verb, whose genitive is the object (طرد الحوثيين)."""
    a, tend = c.after[0], c.tend
    return (a.i - tend <= 2 and a.kind in ("nisba", "agent+country", "org", "actor", "PER", "ORG", "GPE") and
            c.adjectival(tend + 1, a.i) or
            a.i == tend + 1 and a.kind in ("country", "capital") and c.can_source(a)) \
        and not (c.root in _FORCE_ROOTS and a.kind not in ("nisba", "agent+country")
                 and c.governed_subject() is not None)


def _complete_roles(c: _Clause, src, tgt):
    """The checks every verb/noun event passes: a source; force against a place or a thing (قاعدة عسكرية جنوب
    دمشق) takes the country where it lies as its target; no state as protesters; a target unless the root may
    have none (a protest then needs protesters as its source)."""
    if src is None:
        return None
    root, i, tend = c.root, c.i, c.tend
    if root in ("15", "18", "19", "20") and tgt is None:
        places = [m for m in c.mentions if m.i > max(i, src.j - 1) and m.kind in ("country", "capital")
                  and m.name != src.name and m.i - tend <= 12 and not (WHERE_NOT_WHOM and _after_in(c, m))]
        if places:
            tgt = places[0]
    if root == "14" and src.kind in ("country", "capital"):
        return None
    if tgt is not None and tgt.name == src.name:
        tgt = None
    if tgt is None and (root not in _NO_TARGET_OK or c.noun):
        return None
    if tgt is None and root == "14" and not (src.kind == "agent" and src.code[-3:] in ("CVL", "OPP", "LAB", "EDU")):
        return None  # a protest without a target needs protesters as its source (المتظاهرون, المعارضة)
    return src, tgt


WHERE_NOT_WHOM = True   # شنت عملية ... في شرق سوريا: a country after في is where, no fallback target of force
_DIRECTIONS = frozenset({"شرق", "غرب", "شمال", "جنوب", "وسط", "شمالي", "جنوبي", "شرقي", "غربي", "انحاء", "مختلف"})


def _after_in(c: _Clause, m) -> bool:
    """Is mention ``m`` the object of في (في سوريا, في شرق سوريا, في أنحاء العراق): where the act happens, not the
    party it is done to?"""
    x = m.i - 1
    if x > c.lo and _fold_bare(c.strings[x]) in _DIRECTIONS:
        x -= 1
    if not (x >= c.lo and _fold_bare(c.strings[x]) == "في"):
        return False
    # ضربة استهدفت قاعدة الشعيرات العسكرية في وسط سوريا: a state's facility struck there is the state's (whom)
    return not any(noun_key(c.strings[y]).startswith(_FACILITIES) for y in range(c.tend + 1, x))


_FACILITIES = ("قاعد", "مطار", "معسكر", "ثكن", "مستودع", "منشا", "مقر")


def _ok_pair(src, tgt, root) -> bool:
    if tgt is not None and tgt.name == src.name:
        return False
    if root == "14":
        return False  # protests are decided by the protest classifier
    return True


# form-VIII perfect verbs whose root begins with ل, so that they begin with "ال" like a noun with the article
_AL_VERBS = frozenset({"التقي", "التقت", "التقوا", "التقيا", "التقتا", "التزم", "التزمت", "التزموا", "التحق",
                       "التحقت", "التمس", "التمست"})


def _is_noun(word: str) -> bool:
    """A verbal noun rather than a verb: article, or a nominal ending (ات, ة, tanween alef)."""
    w = fold(word)
    if w[:1] in ("و", "ف") and len(w) > 3:
        w = w[1:]
    if w[:1] in ("ب", "ل") and len(w) > 5:
        w2 = w[1:]
    else:
        w2 = w
    f = fold(w2, search=True)
    if f in _AL_VERBS:
        return False  # a form-VIII verb of a root in ل (التقى, التزم): its ال is no article
    # verbal-noun patterns: افتعال/انفعال (اعتقال, انسحاب), استفعال (استنكار), تفعيل (تهديد, تفجير)
    masdar = (len(f) == 6 and f[0] == "ا" and f[4] == "ا") or (len(f) == 7 and f.startswith("است") and f[5] == "ا") \
        or (len(f) == 5 and f[0] == "ت" and f[3] == "ي")
    return masdar or w.startswith(("ال", "لل", "بال", "كال")) or w.endswith(("ات", "ة", "اً")) or (
        len(w) > 4 and w.endswith("ا") and not w.endswith(("وا", "تا")))


def _polarity(strings, keys_of, i, lo):
    neg = False
    mod = None
    w0 = fold(strings[i], search=True)
    if w0.startswith(("س", "وس", "فس")) and len(w0) > 4 and w0.lstrip("وف")[1:2] in ("ي", "ت", "ن", "ا"):
        mod = "planned"
    for x in range(max(lo, i - 3), i):
        w = fold(strings[x], search=True).lstrip("وف") or fold(strings[x], search=True)
        if w in NEG_WORDS or w.startswith(NEG_VERBS):
            neg = True
        if w in PLANNED or w == "س":
            mod = "planned"
        elif w in POSSIBLE and mod is None:
            mod = "possible"
    return neg, mod


def trigger_roots(text: str) -> dict[str, list[tuple[int, int]]]:
    """CAMEO roots whose triggers occur in ``text`` (no actors needed): root → [(start, end) of the trigger].

    Used for sentence-level event detection (is there a protest / an assault here?) where the actors may be
    unnamed (``تظاهر الآلاف``).
    """
    from ..text.tokenize import tokenize

    res = load()
    toks = tokenize(text)
    strings, starts, ends = toks.strings, toks.starts, toks.ends
    cache: dict[int, tuple] = {}

    def keys_of(x):
        k = cache.get(x)
        if k is None:
            k = cache[x] = word_keys(strings[x])
        return k

    out: dict[str, list[tuple[int, int]]] = {}
    n = len(strings)
    for i in range(n):
        w = strings[i]
        if len(w) < 2 or not _WORD.match(w[0]):
            continue
        for code, tend, flags, prio in _triggers(keys_of, strings, i, n, res)[:1]:
            if "adjacent" in flags or "qacc" in flags:
                continue  # a trigger that needs its context (the actor after its preposition; a quote's speaker)
            out.setdefault(code[:2], []).append((starts[i], ends[tend]))
    return out


@lru_cache(maxsize=1)
def _detect_lists() -> dict:
    import json
    from .lexicon import _read
    raw = json.loads(_read("events", "detect.json") or "{}")
    out = {}
    for kind, d in raw.items():
        if kind.startswith("_"):
            continue
        out[kind] = {k: {fold(w, search=True) for w in v} for k, v in d.items()}
    return out


def detect_event(text: str, kind: str = "protest") -> list[tuple[int, int]]:
    """Evidence spans (trigger offsets) of a ``kind`` event ("protest" = CAMEO 14, "assault" = 18) in one sentence;
    empty when there is none.  Negated triggers (لم/لن/عدم right before) do not count."""
    from ..text.tokenize import tokenize

    lists = _detect_lists().get(kind)
    if not lists:
        return []
    toks = tokenize(text)
    strings, starts, ends = toks.strings, toks.starts, toks.ends
    keys = [word_keys(w) for w in strings]
    n = len(strings)

    def has(i, name):
        return any(k in lists[name] for k in keys[i]) if 0 <= i < n else False

    def negated(i):
        return any(fold(strings[x], search=True).lstrip("و") in NEG_WORDS for x in range(max(0, i - 2), i))

    found = []
    for i in range(n):
        if not _WORD.match(strings[i][:1] or " "):
            continue
        if (has(i, "verbs") or has(i, "adverbials")) and not negated(i):
            found.append((starts[i], ends[i]))
        elif has(i, "nouns") and any(has(x, "noun_verbs") for x in range(max(0, i - 3), i)) and not negated(i - 1):
            found.append((starts[i], ends[i]))
        elif has(i, "agents") and not has(i - 1, "blockers"):
            # the participants as agents: an action verb right before (VSO) or after them
            if any(has(x, "agent_actions") for x in range(max(0, i - 2), min(n, i + 4)) if x != i):
                found.append((starts[i], ends[i]))
    return found
