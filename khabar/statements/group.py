"""Grouping quotes of several articles into statements, incrementally (one quote at a time, no all-pairs pass).

A statement is one speech act — one speaker, one occasion — as reported by one or more articles (quoted directly
in one outlet, paraphrased, trimmed or split over several quotes in another).  A new quote joins the statement that
(1) has the same speaker actor key, (2) was first reported within ``window_days`` of it, and (3) holds a quote of
*another* article of the same polarity (both negated or neither: :func:`~khabar.statements.terms.negated`) whose
content terms contain it best (:func:`khabar.statements.terms.containment` ≥
``threshold``, with at least ``min_shared`` shared terms); otherwise it opens a new statement.  Quotes of one
article never join each other directly (two quotes of one speaker in one article are two things said unless a
second article reports both as one), so a statement split over several quotes of one article is grouped through
the article that reports it whole: a quote that joins two statements of its speaker merges them, when their own
quotes are related (:func:`coherent`).  The same words in two articles (a copy, a rewrite) join whatever speaker
each copy names.

Candidates are looked up by speaker key, so the cost of adding a quote is the number of quotes of that speaker in
the time window, not the size of the corpus.
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import re
from dataclasses import dataclass, field

from ..text.normalize import fold
from .terms import containment, negated, terms

THRESHOLD = 0.4
MIN_SHARED = 2
# the same words in two articles (a copy, a rewrite) report one statement even when one copy names the speaker
# differently (an attribution error or another name of the speaker): containment ≥ COPY_SCORE over ≥ COPY_TERMS
COPY_SCORE = 0.9
COPY_TERMS = 6
WINDOW_DAYS = 3.0
# a quote that joins two statements of its speaker merges them only when they hold two quotes that share at least
# MERGE_SHARED terms with a containment of at least MERGE_SCORE (one long quote that carries two different things
# said does not make them one)
MERGE_SCORE = 0.3
MERGE_SHARED = 2
# a quote next to a statement's quote in its article joins it (StatementIndex._adjacent) when it shares at least
# ADJACENT_SHARED terms with one of its quotes, with a containment of at least MERGE_SCORE: two shared terms are
# mostly the affair's own words (عفرين، القوات التركية), said of another matter on the same occasion
ADJACENT_SHARED = 3


# a verb of continuing (وأضاف، وتابع، واستطرد، وأردف، مضيفا): the quote goes on with what the same speaker's previous
# quote said, on the same occasion — one statement split over several quotes of one article
_CONTINUE = re.compile(r"(?<![\u0621-\u064a])[وف]?(?:اضاف|اضافت|اضافوا|يضيف|تضيف|مضيفا|مضيفه|مضيفة|تابع|تابعت|"
                       r"يتابع|تتابع|متابعا|استطرد|استطردت|مستطردا|اردف|اردفت|مردفا)(?![\u0621-\u064a])")


def continues(prev: dict | None, q: dict) -> bool:
    """Whether quote ``q`` (a Document ``quotes`` item) continues ``prev``, the quote just before it in its article:
    the same speaker key and a cue that is a verb of continuing (:data:`_CONTINUE`)."""
    if not prev or not q.get("speaker_key") or prev.get("speaker_key") != q.get("speaker_key"):
        return False
    return bool(_CONTINUE.search(fold(q.get("cue_text") or "", search=True)))


def coherent(a_quotes, b_quotes, shared: int = MERGE_SHARED) -> bool:
    """Whether two statements' quotes say related things (see MERGE_SCORE; ``shared``: the fewest shared terms)."""
    for qa in a_quotes:
        for qb in b_quotes:
            if len(qa.terms & qb.terms) >= shared and containment(qa.terms, qb.terms) >= MERGE_SCORE:
                return True
    return False


@dataclass
class QuoteRef:
    """One quote of one article, as the grouping sees it."""
    article: str
    quote: int
    speaker_key: str
    speaker: str
    text: str
    time: float | None = None           # days since the epoch (UTC), or None when the article has no date
    outlet: str | None = None
    terms: frozenset = field(default=frozenset())
    negated: bool | None = None
    follows: int | None = None          # the quote of the same article this one continues (:func:`continues`)

    def __post_init__(self):
        if not self.terms:
            self.terms = terms(self.text)
        if self.negated is None:
            self.negated = negated(self.text)


@dataclass(eq=False)
class Statement:
    id: int
    speaker_key: str
    speaker: str
    quotes: list = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(q.article for q in self.quotes))

    @property
    def first(self) -> QuoteRef:
        dated = [q for q in self.quotes if q.time is not None]
        return min(dated, key=lambda q: q.time) if dated else self.quotes[0]

    @property
    def time(self) -> float | None:
        return self.first.time


def speaker_bucket(key: str) -> str:
    """The look-up bucket of a speaker key: its type and last name word, without the per-document scope of an
    unnamed speaker (``PER:تيريزا ماي`` and ``PER:ماي`` share ``PER:ماي``; ``ORG:الشرطه@…`` → ``ORG:الشرطه``)."""
    typ, _, name = (key or "").partition(":")
    name = name.split("@", 1)[0].strip()
    return f"{typ}:{name.split()[-1] if name else ''}"


def same_speaker(a: str, b: str) -> bool:
    """Two speaker keys name the same speaker across articles: equal (without the unnamed-speaker scope), or one
    person name is the other's words in order at its end (ماي / تيريزا ماي, جاويش اوغلو / مولود جاويش اوغلو)."""
    if a == b:
        return True
    ta, _, na = a.partition(":")
    tb, _, nb = b.partition(":")
    if ta != tb:
        return False
    wa, wb = na.split("@", 1)[0].split(), nb.split("@", 1)[0].split()
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    short, long_ = (wa, wb) if len(wa) < len(wb) else (wb, wa)
    return ta == "PER" and long_[-len(short):] == short


def days(value) -> float | None:
    """A date or timestamp (ISO 8601, RFC 2822 as in the corpus' ``time`` field, or a datetime) as days since the
    epoch (UTC); None when it cannot be read."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    d = value if isinstance(value, (_dt.datetime, _dt.date)) else None
    if d is None:
        s = str(value).strip()
        try:
            d = _dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        except ValueError:
            try:
                d = email.utils.parsedate_to_datetime(s)
            except (TypeError, ValueError, IndexError):
                return None
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime(d.year, d.month, d.day)
    if d.tzinfo is None:
        d = d.replace(tzinfo=_dt.timezone.utc)
    return d.timestamp() / 86400.0


def pick(ref: QuoteRef, candidates, *, threshold: float = THRESHOLD, min_shared: int = MIN_SHARED,
         window: float = WINDOW_DAYS):
    """The best statement for ``ref`` among ``candidates`` — (statement, its speaker key, its first time, one of its
    quotes) tuples — and its score; (None, 0.0) when none qualifies (see the module docstring)."""
    ranked = rank(ref, candidates, threshold=threshold, min_shared=min_shared, window=window)
    return ranked[0] if ranked else (None, 0.0)


def rank(ref: QuoteRef, candidates, *, threshold: float = THRESHOLD, min_shared: int = MIN_SHARED,
         window: float = WINDOW_DAYS) -> list:
    """Every statement among ``candidates`` that ``ref`` qualifies for, with its best score, best first."""
    best: dict = {}
    for st, key, t, q in candidates:
        if q.article == ref.article:
            continue
        if ref.time is not None and t is not None and abs(ref.time - t) > window:
            continue
        if ref.negated != q.negated:        # a claim and its denial: not one statement
            continue
        shared = len(ref.terms & q.terms)
        if shared < min_shared:
            continue
        sc = containment(ref.terms, q.terms)
        if not same_speaker(key, ref.speaker_key) and (sc < COPY_SCORE or shared < COPY_TERMS):
            continue
        if sc >= threshold and sc > best.get(st, 0.0):
            best[st] = sc
    return sorted(best.items(), key=lambda x: -x[1])


def key_term(terms_) -> str | None:
    """The one term a long quote is filed under for finding its copies (the smallest in code point order)."""
    return min(terms_) if len(terms_) >= COPY_TERMS else None


class StatementIndex:
    """Statements grown one quote at a time (see the module docstring)."""

    def __init__(self, *, threshold: float = THRESHOLD, min_shared: int = MIN_SHARED,
                 window_days: float = WINDOW_DAYS, merge: bool = True):
        self.threshold, self.min_shared, self.window, self.merge = threshold, min_shared, window_days, merge
        self.statements: list[Statement] = []
        self._by_speaker: dict[str, list[Statement]] = {}
        self.of_quote: dict[tuple[str, int], Statement] = {}
        # copies of a quote: each statement filed under one term of each of its long quotes (the smallest in code
        # point order); a copy holds ≥ COPY_SCORE of its terms, so usually that one too
        self._by_term: dict[str, list[Statement]] = {}

    def match(self, ref: QuoteRef) -> tuple[Statement | None, float]:
        """The statement ``ref`` would join and its score (None, 0 when it opens a new one)."""
        r = self.rank(ref)
        return r[0] if r else (None, 0.0)

    def _merge(self, st: Statement, other: Statement) -> None:
        """One quote reports two statements of one speaker as one: they are one (the later folded in)."""
        for q in other.quotes:
            st.quotes.append(q)
            self.of_quote[(q.article, q.quote)] = st
        other.quotes = []
        self.statements.remove(other)
        for lst in list(self._by_speaker.values()) + list(self._by_term.values()):
            if other in lst:        # wherever the folded statement was filed, the one it went into is now
                lst[:] = [x for x in lst if x is not other]
                if st not in lst:
                    lst.append(st)

    def rank(self, ref: QuoteRef) -> list:
        cands = self._by_speaker.get(speaker_bucket(ref.speaker_key), ())
        if len(ref.terms) >= COPY_TERMS:
            cands = list(cands) + [s for t in ref.terms for s in self._by_term.get(t, ())]
        seen, flat = set(), []
        for st in cands:
            if id(st) not in seen:
                seen.add(id(st))
                flat.extend((st, st.speaker_key, st.time, q) for q in st.quotes)
        return rank(ref, flat, threshold=self.threshold, min_shared=self.min_shared, window=self.window)

    def add(self, ref: QuoteRef) -> Statement:
        ranked = self.rank(ref)
        st = ranked[0][0] if ranked else None
        if self.merge:
            for other, sc in ranked[1:]:
                if same_speaker(other.speaker_key, st.speaker_key) and coherent(st.quotes, other.quotes):
                    self._merge(st, other)
        prev = self.of_quote.get((ref.article, ref.follows)) if ref.follows is not None else None
        if prev is not None and prev is not st:
            # a continuation (:func:`continues`) is one statement with the quote it continues where another article
            # reports them as one: it joins the statement of the quote it continues when that one is reported
            # elsewhere and it matches nothing itself, and it brings that quote along into the statement it
            # matches when that quote is reported nowhere else yet
            alone = set(prev.articles) == {ref.article}
            if st is None and not alone:
                st = prev
            elif st is not None and alone:
                self._merge(st, prev)
        if st is None:
            st = Statement(len(self.statements), ref.speaker_key, ref.speaker)
            self.statements.append(st)
            self._by_speaker.setdefault(speaker_bucket(ref.speaker_key), []).append(st)
        st.quotes.append(ref)
        if key_term(ref.terms):
            self._by_term.setdefault(key_term(ref.terms), []).append(st)
        self.of_quote[(ref.article, ref.quote)] = st
        if self.merge:
            before = self.of_quote.get((ref.article, ref.quote - 1))
            if before is not None and before is not st and set(st.articles) == {ref.article}:
                self._adjacent(before, ref.article)      # this quote goes on with the one before it
                st = self.of_quote[(ref.article, ref.quote)]
            st = self._adjacent(st, ref.article)
        return st

    def _adjacent(self, st: Statement, article: str) -> Statement:
        """A statement split over several quotes of one article, reported elsewhere by only some of them: a quote
        right before or after the article's quotes of ``st`` (the article's previous or next quote), of the same
        speaker and reported by this article alone, joins ``st`` when it says related things (:func:`coherent` with
        its quotes with at least ADJACENT_SHARED shared terms: أشارت ماي إلى أن غاز الأعصاب الذي استخدم في الاعتداء …
        ← وأضافت أن روسيا أنتجت غاز الأعصاب المستخدم في الاعتداء), in turn outwards.  A quote that turns to another
        matter of the same affair (two shared terms or fewer) stays apart.  Only for a statement another article reports too, so it adds quotes, never articles."""
        if set(st.articles) == {article}:
            return st
        grown = True
        while grown:
            grown = False
            ks = [q.quote for q in st.quotes if q.article == article]
            for k in (min(ks) - 1, max(ks) + 1):
                other = self.of_quote.get((article, k))
                if other is None or other is st or set(other.articles) != {article}:
                    continue
                ref = next(q for q in other.quotes if q.quote == k)
                if same_speaker(ref.speaker_key, st.speaker_key) and coherent([ref], st.quotes, ADJACENT_SHARED):
                    self._merge(st, other)
                    grown = True
                    break
        return st

    def of_speaker(self, key: str) -> list[Statement]:
        """The statements whose speaker is ``key`` (:func:`same_speaker`)."""
        return [s for s in self._by_speaker.get(speaker_bucket(key), ()) if same_speaker(s.speaker_key, key)]

    def shared(self) -> list[Statement]:
        """The statements reported by two or more articles."""
        return [s for s in self.statements if len(s.articles) >= 2]
