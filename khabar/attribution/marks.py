"""Tokens of the folded text, quotation-mark pairing, and clause/sentence boundaries for attribution.

Quotation marks are paired per paragraph (a line).  Guillemets and curly double quotes pair like brackets; the
ASCII ``"`` (and a curly mark used both ways) is ambiguous, so each occurrence is classed by its flanks: a mark
followed by a letter and preceded by a space, a colon or a clitic (``بـ"``) can open; a mark preceded by a
non-space can close.  An opener while a quote is open nests (``"الخروج من "خطة العمل" يعني ..."``); a mark that
can only close while nothing is open is a stray mark and is ignored; a quote left open at the end of its paragraph
runs to the end of the paragraph (a missing closing mark).
"""
from __future__ import annotations

from bisect import bisect_right
import re
from dataclasses import dataclass

import regex

TOKEN_RE = regex.compile(r"[\p{L}\p{M}\p{N}_]+|\S")
OPEN_ONLY = "«"
CLOSE_ONLY = "»"
SYMMETRIC = "\"“”„‟"
ALL_MARKS = OPEN_ONLY + CLOSE_ONLY + SYMMETRIC
SENT_END = ".!?؟…"


@dataclass
class Toks:
    text: str
    s: list
    e: list
    t: list
    para: list            # paragraph index of each token
    pair_of: dict         # token index of an opening mark -> token index of its closing mark (or -1: runs to para end)
    close_of: dict        # closing mark token -> opening mark token
    in_pair: list         # innermost enclosing pair's opener token index, or -1
    para_end: list        # paragraph index -> end offset
    sent_end: list        # token index -> True when the token ends a sentence (outside marks)

    def __len__(self):
        return len(self.t)


def _can_open(text: str, i: int) -> bool:
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    return not nxt.isspace() and nxt not in ".,،:;؛!?؟)]"


def _can_close(text: str, i: int) -> bool:
    prv = text[i - 1] if i > 0 else "\n"
    return not prv.isspace()


_MARK_SET = frozenset(ALL_MARKS)
_SENT_SET = frozenset(SENT_END)
_NL = re.compile("\n")
_MATCH = type(TOKEN_RE.match("x"))
_START, _END, _GROUP = _MATCH.start, _MATCH.end, _MATCH.group


def tokenize_folded(ft: str) -> Toks:
    """Tokens of the folded text with their paragraphs, paired quotation marks and sentence ends."""
    ms = list(TOKEN_RE.finditer(ft))
    s = list(map(_START, ms))
    e = list(map(_END, ms))
    t = list(map(_GROUP, ms))
    para, para_end = _paragraphs(ft, s)
    pair_of, close_of = _pair_marks(ft, s, t, para)
    in_pair = _innermost_pairs(len(t), pair_of, para)
    sent_end = _sentence_ends(ft, s, e, t, in_pair)
    return Toks(ft, s, e, t, para, pair_of, close_of, in_pair, para_end, sent_end)


def _paragraphs(ft: str, s: list) -> tuple[list, list]:
    """(paragraph index of each token -- the number of newlines before it --, paragraph index -> end offset)."""
    nls = [m.start() for m in _NL.finditer(ft)]
    if nls:
        para = [bisect_right(nls, a) for a in s] if len(nls) > 1 else [int(a > nls[0]) for a in s]
        p = para[-1] if para else 0
        para_end = nls[:p] if p <= len(nls) else list(nls)
    else:
        para = [0] * len(s)
        p = 0
        para_end = []
    para_end.append(len(ft))
    while len(para_end) <= p:
        para_end.append(len(ft))
    return para, para_end


def _pair_marks(ft: str, s: list, t: list, para: list) -> tuple[dict, dict]:
    """(opening mark token -> closing mark token or -1, closing -> opening), paired per paragraph as the module
    docstring says."""
    pair_of: dict[int, int] = {}
    close_of: dict[int, int] = {}
    stack: list[int] = []
    cur_para = -1
    for i in [k for k, x in enumerate(t) if x in _MARK_SET]:
        if para[i] != cur_para:
            for o in stack:
                pair_of[o] = -1
            stack = []
            cur_para = para[i]
        ch = t[i]
        if ch in OPEN_ONLY:
            stack.append(i)
        elif ch in CLOSE_ONLY:
            if stack:
                o = stack.pop()
                pair_of[o] = i
                close_of[i] = o
        elif stack and ft[s[stack[-1]]] in SYMMETRIC and _can_close(ft, s[i]):
            o = stack.pop()
            pair_of[o] = i
            close_of[i] = o
        elif _can_open(ft, s[i]):
            stack.append(i)
        # else: a stray closing mark, ignored
    for o in stack:
        pair_of[o] = -1
    return pair_of, close_of


def _innermost_pairs(n: int, pair_of: dict, para: list) -> list:
    """Each token's innermost enclosing pair (its opener's token index; -1 outside marks; the marks themselves
    excluded).  Pairs nest or are disjoint, so a token's innermost pair is the one with the latest opener: filled
    from the latest opener back, each token once, skipping filled runs -- linear even for many unclosed marks."""
    in_pair = [-1] * n
    if not pair_of:
        return in_pair
    nxt = list(range(n + 1))  # nxt[k]: the first unfilled token >= k (path-compressed)

    def find(k):
        root = k
        while nxt[root] != root:
            root = nxt[root]
        while nxt[k] != root:
            nxt[k], k = root, nxt[k]
        return root

    for o in sorted(pair_of, reverse=True):
        c = pair_of[o]
        last = c - 1 if c >= 0 else bisect_right(para, para[o]) - 1
        k = find(o + 1)
        while k <= last:
            in_pair[k] = o
            nxt[k] = k + 1
            k = find(k + 1)
    return in_pair


def _sentence_ends(ft: str, s: list, e: list, t: list, in_pair: list) -> list:
    """token index -> True for a sentence-ending mark outside quotation marks, followed by a space, a quotation
    mark or a closing bracket."""
    n = len(t)
    sent_end = [False] * n
    for i in [k for k, x in enumerate(t) if x in _SENT_SET]:
        if in_pair[i] != -1 or (t[i] == "." and _inner_dot(s, e, t, i)):
            continue
        nxt = ft[e[i]] if e[i] < len(ft) else "\n"
        if nxt.isspace() or nxt in ALL_MARKS or nxt in ")]":
            sent_end[i] = True
    return sent_end


def _inner_dot(s: list, e: list, t: list, i: int) -> bool:
    """A full stop in a run of touching dots that does not end a sentence: either of ".." (a pause inside a
    sentence) or any but the last of a longer run; a lone dot is not inner."""
    n = len(t)
    prev_dot = i > 0 and t[i - 1] == "." and e[i - 1] == s[i]
    next_dot = i + 1 < n and t[i + 1] == "." and s[i + 1] == e[i]
    if not (prev_dot or next_dot):
        return False
    run_start = i
    while run_start > 0 and t[run_start - 1] == "." and e[run_start - 1] == s[run_start]:
        run_start -= 1
    run_end = i
    while run_end + 1 < n and t[run_end + 1] == "." and s[run_end + 1] == e[run_end]:
        run_end += 1
    return run_end - run_start + 1 == 2 or i != run_end
