"""Highlighted snippets: find the query's terms in the *original* text and cut a window around them.

The FTS index holds folded views, not the text, so hits are mapped back by re-tokenising the original text of the
few documents shown and matching each word's views against the query's terms, exactly as the index does.
Highlights are ``(start, end)`` code-point offsets into ``documents.text``: ``text[start:end]`` is the word as the
article wrote it (with its harakat, hamza and clitics).
"""
from __future__ import annotations

from dataclasses import dataclass

from .query import Compiler, ParsedQuery, Term
from .views import light_stem, stem_of_segments, view_cache, word_tokens

DEFAULT_WIDTH = 220
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


class _Sub:
    __slots__ = ("start", "end", "surface", "clitic", "stem")

    def __init__(self, start, end, surface, clitic, stem):
        self.start, self.end, self.surface, self.clitic, self.stem = start, end, surface, clitic, stem


class Highlighter:
    """Matches a parsed query's positive terms against the words of a text."""

    def __init__(self, pq: ParsedQuery, mode: str = "stem", splitter_name: str | None = None):
        self.mode = mode
        self.compiler = Compiler(splitter_name)
        self.vc = view_cache(splitter_name)
        self.terms = []
        for t in pq.terms:
            surf, clitic, stem = self.compiler.term_views(t)
            self.terms.append((t, surf, clitic, stem))

    def _subtokens(self, text: str) -> list[_Sub]:
        subs = []
        splitter = self.vc.splitter
        for s, e, w in word_tokens(text):
            surf, _cl, _st = self.vc.views(w)
            if not surf:
                continue
            for part in surf.split():
                segs = splitter.split(part)
                subs.append(_Sub(s, e, part, segs, stem_of_segments(part, segs)))
        return subs

    def _match_one(self, sub: _Sub, i: int, t: Term, surf, clitic, stem) -> tuple[bool, bool]:
        """(matches, exactly) for word ``i`` of term ``t`` against one sub-token."""
        q = surf[i]
        if t.prefix and i == len(surf) - 1:
            if sub.surface.startswith(q):
                return True, True
            if self.mode == "stem" and not t.phrase:
                st = light_stem(q)
                return (sub.stem.startswith(q) or (len(st) >= 2 and sub.stem.startswith(st))), False
            return False, False
        if sub.surface == q:
            return True, True
        if t.phrase or self.mode == "exact":
            return False, False
        if sub.stem == stem[i]:
            return True, False
        # clitic view: the query's segments appear in the word's segments
        qsegs = self.compiler.splitter.split(q)
        n = len(qsegs)
        segs = sub.clitic
        if n <= len(segs) and any(tuple(segs[k:k + n]) == qsegs for k in range(len(segs) - n + 1)):
            return True, False
        return False, False

    def find(self, text: str) -> tuple[list[tuple[int, int]], bool]:
        """Highlighted spans (merged per original word) and whether any matched exactly."""
        subs = self._subtokens(text)
        spans: set[tuple[int, int]] = set()
        exact_any = False
        for t, surf, clitic, stem in self.terms:
            n = len(surf)
            for j in range(len(subs) - n + 1):
                ok_all, ex_all = True, True
                for i in range(n):
                    ok, ex = self._match_one(subs[j + i], i, t, surf, clitic, stem)
                    if not ok:
                        ok_all = False
                        break
                    ex_all = ex_all and ex
                if ok_all:
                    exact_any = exact_any or ex_all
                    spans.add((subs[j].start, subs[j + n - 1].end))
        merged: list[tuple[int, int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return merged, exact_any

    def snippet(self, text: str, width: int = DEFAULT_WIDTH) -> Snippet:
        spans, exact = self.find(text)
        return make_snippet(text, spans, exact, width)


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
