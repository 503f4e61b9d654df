"""Highlighted snippets: find the query's terms in the *original* text and cut a window around them.

The FTS index holds folded views, not the text, so hits are mapped back by re-tokenising the original text of the
few documents shown and matching each word's views against the query's terms, exactly as the index does.
Highlights are ``(start, end)`` code-point offsets into ``documents.text``: ``text[start:end]`` is the word as the
article wrote it (with its harakat, hamza and clitics).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .query import Compiler, ParsedQuery, Term
from .views import light_stem, surface_form, view_cache, word_tokens

DEFAULT_WIDTH = 220
_PARTS_CACHE: dict[str, tuple] = {}  # word as written -> its sub-tokens ((surface, orig), ...)
MARK_OPEN, MARK_CLOSE = "[", "]"


@dataclass
class Snippet:
    start: int
    end: int
    text: str
    highlights: list            # [(start, end)] into the document text
    exact: bool                 # some highlighted word matched in its exact (folded surface) form
    cut_end: bool = False       # the text goes on after the snippet

    def marked(self, open_: str = MARK_OPEN, close: str = MARK_CLOSE) -> str:
        out, pos = [], self.start
        full = self.text
        for s, e in self.highlights:
            if s < self.start or e > self.end:
                continue
            out.append(full[pos - self.start:s - self.start])
            out.append(open_ + full[s - self.start:e - self.start] + close)
            pos = e
        out.append(full[pos - self.start:])
        prefix = "… " if self.start > 0 else ""
        return prefix + "".join(out).replace("\n", " ") + (" …" if self.cut_end else "")

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text,
                "highlights": [list(h) for h in self.highlights], "marked": self.marked()}


class Highlighter:
    """Matches a parsed query's positive terms against the words of a text.

    Only words that contain one of the query's "needles" (its folded form, the start of its stem, its clitic
    core) are split and stemmed, so a snippet costs little even with a cold cache.
    """

    def __init__(self, pq: ParsedQuery, mode: str = "stem", splitter_name: str | None = None):
        self.mode = mode
        self.compiler = Compiler(splitter_name)
        self.vc = view_cache(splitter_name)
        self.splitter = self.vc.splitter
        self.terms = []
        self._an: dict[str, tuple] = {}
        self._memo: dict[int, list[dict]] = {}
        needles: set[str] = set()
        for t in pq.terms:
            surf = list(t.words)
            rs = self.compiler.term_readings(t) if (mode == "stem" and not t.phrase and not t.prefix) else \
                [[] for _w in surf]
            cores = [{c for c, _s in r if c} for r in rs]
            stems = [{x for _c, x in r if x} for r in rs]
            self.terms.append((t, surf, cores, stems))
            for i, w in enumerate(surf):
                needles.add(w)
                if not t.phrase and mode == "stem":
                    for x in cores[i] | stems[i]:
                        # a word's core and stem are in its folded form, but for a ta marbuta written ت
                        # before a pronoun (مدينتها: core مدينه): the needle leaves a final ه out
                        needles.add(x[:-1] if x.endswith("ه") and len(x) > 3 else x)
                    if t.prefix:
                        ls = light_stem(w)
                        needles.add(ls[:max(2, len(ls) - 1)] if len(ls) > 2 else ls)
        self.needles = tuple(n for n in needles if n)
        self._needle_re = _needle_regex(self.needles)

    def _analysis(self, orig: str) -> tuple:
        """``(core, stem)`` of a sub-token (as written), as the index analysed it."""
        an = self._an.get(orig)
        if an is None:
            an = self._an[orig] = self.vc.analysis(orig)
        return an

    def _subtokens(self, text: str, base: int = 0) -> list[tuple]:
        """``(start, end, (surface, orig))`` of each sub-token of ``text`` (offsets plus ``base``): a word's
        folded FTS tokens, each with the form that is analysed (the word as written when it is one token); the
        ``(surface, orig)`` pairs are shared by every occurrence of a word."""
        subs = []
        append = subs.append
        cache = _PARTS_CACHE
        for s, e, w in word_tokens(text):
            parts = cache.get(w)
            if parts is None:
                surf = surface_form(w)
                sp = surf.split() if surf else []
                parts = tuple((part, w if len(sp) == 1 else part) for part in sp)
                if len(cache) > 200_000:
                    cache.clear()
                cache[w] = parts
            for sv in parts:
                append((s + base, e + base, sv))
        return subs

    def _match_one(self, sv: tuple, i: int, t: Term, surf, cores, stems) -> tuple[bool, bool]:
        """(matches, exactly) for word ``i`` of term ``t`` against one sub-token ``(surface, orig)``."""
        q = surf[i]
        w = sv[0]
        if t.prefix and i == len(surf) - 1:
            if w.startswith(q):
                return True, True
            if self.mode == "stem" and not t.phrase:
                for n in self.needles:  # a word without a needle cannot match (a loop: no generator to make)
                    if n in w:
                        break
                else:
                    return False, False
                core, wst = self._analysis(sv[1])
                st = light_stem(q)
                return (core.startswith(q) or wst.startswith(q) or (len(st) >= 2 and wst.startswith(st))), False
            return False, False
        if w == q:
            return True, True
        if t.phrase or self.mode == "exact":
            return False, False
        for n in self.needles:
            if n in w:
                break
        else:
            return False, False
        core, wst = self._analysis(sv[1])
        if core in cores[i]:
            return True, True
        if wst in stems[i]:
            return True, False
        return False, False

    # the stretches of a long text a snippet looks at: it shows one stretch (``DEFAULT_WIDTH`` characters), so
    # only the stretch with the most needles among the first few places the query's words occur is tokenised;
    # the others are looked at, one by one, only when it holds no match (a needle inside another word)
    FIRST_WINDOWS = 3
    MAX_STRETCH = 320  # characters: nearby places are merged into one stretch up to this length

    def _windows(self, text: str) -> list[tuple[int, int]] | None:
        """Stretches of a long text around the places a needle occurs (spelling variants of its letters and
        harakat allowed), cut at spaces, in text order; None: look at the whole text."""
        found = self._stretches(text)
        return found[0] if found else None

    def _stretches(self, text: str) -> tuple[list[tuple[int, int]], list[int]] | None:
        """``(stretches, needles found in each)``, or None (see :meth:`_windows`)."""
        if len(text) < 600 or self._needle_re is None:
            return None
        out: list[list[int]] = []
        n = len(text)
        counts: list[int] = []
        for k, (ms, me) in enumerate(self._needle_re.spans(text)):
            a = text.rfind(" ", 0, max(0, ms - 80)) + 1
            if k >= 200:  # the rest of the text as one stretch (every match lies in a stretch)
                b = n
            else:
                b = text.find(" ", min(n, me + 80))
                b = n if b < 0 else b
            if out and a <= out[-1][1]:
                if b - out[-1][0] <= self.MAX_STRETCH or b == n:
                    out[-1][1] = max(out[-1][1], b)
                    counts[-1] += 1
                elif b > out[-1][1]:  # a long run of matches: the next stretch begins where this one ends
                    out.append([out[-1][1], b])
                    counts.append(1)
                else:
                    counts[-1] += 1
            else:
                out.append([a, b])
                counts.append(1)
            if b == n:
                break
        return ([(a, b) for a, b in out], counts) if out else None

    def _spans(self, subs: list) -> tuple[set, bool]:
        spans: set[tuple[int, int]] = set()
        exact_any = False
        for ti, (t, surf, cores, stems) in enumerate(self.terms):
            n = len(surf)
            # a word's match depends on its folded form and its form as written only: each distinct word of
            # the hits' snippets is matched once per word of the query
            memos = self._memo.setdefault(ti, [{} for _i in range(n)])
            if n == 1:
                memo = memos[0]
                for sub in subs:
                    sv = sub[2]
                    r = memo.get(sv)
                    if r is None:
                        r = memo[sv] = self._match_one(sv, 0, t, surf, cores, stems)
                    if r[0]:
                        exact_any = exact_any or r[1]
                        spans.add((sub[0], sub[1]))
                continue
            for j in range(len(subs) - n + 1):
                ok_all, ex_all = True, True
                for i in range(n):
                    sv = subs[j + i][2]
                    memo = memos[i]
                    r = memo.get(sv)
                    if r is None:
                        r = memo[sv] = self._match_one(sv, i, t, surf, cores, stems)
                    ok, ex = r
                    if not ok:
                        ok_all = False
                        break
                    ex_all = ex_all and ex
                if ok_all:
                    exact_any = exact_any or ex_all
                    spans.add((subs[j][0], subs[j + n - 1][1]))
        return spans, exact_any

    def find(self, text: str, first: int | None = None) -> tuple[list[tuple[int, int]], bool]:
        """Highlighted spans (merged per original word) and whether any matched exactly.  In a long text only
        the stretches around the query's needles are tokenised (the whole text when no needle is found); with
        ``first``, only one stretch: the one with the most needles among the first ``first`` (the earliest of
        equals), or when it holds no match the next one that does (in that order, then in text order)."""
        found = self._stretches(text)
        wins, counts = found if found else (None, None)
        if wins is None:
            spans, exact_any = self._spans(self._subtokens(text))
        elif first is None:
            spans, exact_any = self._spans([x for a, b in wins for x in self._subtokens(text[a:b], a)])
        else:
            head = sorted(range(min(first, len(wins))), key=lambda i: (-counts[i], i))
            spans, exact_any = set(), False
            for i in head + list(range(len(head), len(wins))):
                a, b = wins[i]
                spans, exact_any = self._spans(self._subtokens(text[a:b], a))
                if spans:
                    break
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return merged, exact_any

    def snippet(self, text: str, width: int = DEFAULT_WIDTH) -> Snippet:
        spans, exact = self.find(text, self.FIRST_WINDOWS)
        return make_snippet(text, spans, exact, width)


_LETTER_CLASS = {"ا": "اأإآٱ", "ي": "يىئی", "ه": "هة", "و": "وؤ", "ك": "كک"}
_LETTER_CLASS.update({d: d + chr(0x660 + int(d)) + chr(0x6F0 + int(d)) for d in "0123456789"})
_MARK_CHARS = "\u064b-\u0652\u0640\u0670"
_MARKS = f"[{_MARK_CHARS}]*"
_MARK_RUN = re.compile(f"[{_MARK_CHARS}]+")
_UNCASED = re.compile(r"[\u0600-\u06ff0-9]*")  # needle letters no case-insensitive match can reach


class _NeedleFinder:
    """Finds a query's folded needles in original text, spelling variants of their letters (``_LETTER_CLASS``)
    and harakat or tatweel between them allowed: ``spans(text)`` yields the ``(start, end)`` of each match, the
    leftmost first, the longest needle first where several match, as one regex alternation over the text would
    (:meth:`_needle_regex_full`).

    Compiling a pattern with a harakat class between every two letters took most of the cost of a distinct
    query's snippets (~1.5 ms: each of those classes is a Unicode character set the ``re`` compiler builds a 64K
    bitmap for), so the harakat are taken out of the text instead (a text without them, as most are, is searched
    as it is) and the pattern has the letter classes only; the offsets are mapped back to the original text."""

    __slots__ = ("needles", "_re", "_full")

    def __init__(self, needles: tuple):
        self.needles = needles
        self._full = None
        if any(_MARK_RUN.search(n) for n in needles):  # a needle with harakat: only the full pattern finds it
            self._re = None
            self._full = _needle_regex_full(needles)
            return
        # case-insensitive as before, unless every letter is Arabic or a digit (no other letter folds to them)
        flags = 0 if all(_UNCASED.fullmatch(n) for n in needles) else re.IGNORECASE
        self._re = re.compile("|".join("".join(("[" + _LETTER_CLASS[c] + "]") if c in _LETTER_CLASS
                                               else re.escape(c) for c in nd) for nd in needles), flags)

    def spans(self, text: str):
        if self._re is None:
            for m in self._full.finditer(text):
                yield m.span()
            return
        runs = [(m.start(), m.end()) for m in _MARK_RUN.finditer(text)]
        if not runs:
            for m in self._re.finditer(text):
                yield m.span()
            return
        # the text without its harakat: ``at[k]`` is where the k-th run of harakat stood in it, ``shift[k]`` the
        # characters taken out up to and including that run (a character at stripped offset i stood at i plus
        # the characters taken out before it)
        parts, at, shift, pos, gone = [], [], [], 0, 0
        for a, b in runs:
            parts.append(text[pos:a])
            at.append(a - gone)
            gone += b - a
            shift.append(gone)
            pos = b
        parts.append(text[pos:])
        k, nr = 0, len(at)
        for m in self._re.finditer("".join(parts)):
            s, e = m.span()  # the needle's first and last letters: never harakat (e - 1 >= s)
            while k < nr and at[k] <= s:
                k += 1
            start = s + (shift[k - 1] if k else 0)
            j = k
            while j < nr and at[j] <= e - 1:
                j += 1
            yield start, e + (shift[j - 1] if j else 0)


def _needle_regex(needles):
    """The finder of folded needles in original text (hamza and ة variants, harakat and tatweel), one per set of
    needles (an LRU of recent queries')."""
    if not needles:
        return None
    return _needle_finder(tuple(sorted(set(needles), key=lambda n: (-len(n), n))))


@functools.lru_cache(maxsize=4096)
def _needle_finder(needles: tuple) -> _NeedleFinder:
    return _NeedleFinder(needles)


def _needle_regex_full(needles: tuple):
    """One regex for the needles over the original text, harakat and tatweel allowed between letters (the
    standard library's re: letter classes, no Unicode properties, compile faster than with the regex module)."""
    parts = []
    for nd in needles:
        parts.append(_MARKS.join(("[" + _LETTER_CLASS[c] + "]") if c in _LETTER_CLASS else re.escape(c)
                                 for c in nd))
    return re.compile("|".join(parts), re.IGNORECASE)


def make_snippet(text: str, spans: list, exact: bool = False, width: int = DEFAULT_WIDTH) -> Snippet:
    n = len(text)
    if not spans:
        start, end = 0, min(n, width)
    else:
        lead = width // 5
        best, best_count = None, -1
        for s, _e in spans:
            ws = max(0, s - lead)
            we = ws + width
            count = sum(1 for a, b in spans if a >= ws and b <= we)
            if count > best_count:
                best, best_count = (ws, we), count
        start, end = best
        end = min(n, end)
        if end - start < width:
            start = max(0, end - width)
        # never cut a highlighted word
        for a, b in spans:
            if a < end < b:
                end = b
            if a < start < b:
                start = a
    # snap to whitespace so no word is cut in half
    if start > 0:
        k = text.rfind(" ", max(0, start - 20), start + 1)
        nl = text.rfind("\n", max(0, start - 20), start + 1)
        k = max(k, nl)
        if k >= 0:
            start = k + 1
    if end < n:
        k = text.find(" ", end, min(n, end + 20))
        if k >= 0:
            end = k
    return Snippet(start, end, text[start:end], [h for h in spans if h[0] >= start and h[1] <= end], exact,
                   end < n)
