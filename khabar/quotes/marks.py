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


def tokenize_folded(ft: str) -> Toks:
    ms = list(TOKEN_RE.finditer(ft))
    s = [m.start() for m in ms]
    e = [m.end() for m in ms]
    t = [m.group() for m in ms]
    # paragraph of a token: the number of newlines before it
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
    n = len(t)
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
        pos = s[i]
        if ch in OPEN_ONLY:
            stack.append(i)
            continue
        if ch in CLOSE_ONLY:
            if stack:
                o = stack.pop()
                pair_of[o] = i
                close_of[i] = o
            continue
        op, cl = _can_open(ft, pos), _can_close(ft, pos)
        if stack and ft[s[stack[-1]]] in SYMMETRIC and cl:
            o = stack.pop()
            pair_of[o] = i
            close_of[i] = o
        elif op:
            stack.append(i)
        # else: a stray closing mark, ignored
    for o in stack:
        pair_of[o] = -1
    # tokens inside pairs (marks themselves excluded): fill in_pair for nested structure
    # (pairs nest or are disjoint, so a token's innermost pair is the one with the latest opener: fill from the
    # latest opener back, each token once, skipping filled runs -- linear even for many unclosed marks)
    in_pair = [-1] * n
    if pair_of:
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
    sent_end = [False] * n
    for i in [k for k, x in enumerate(t) if x in _SENT_SET]:
        tok = t[i]
        if in_pair[i] == -1:
            # ".." inside a sentence is a pause; a full stop inside a number has no space after it
            nxt = ft[e[i]] if e[i] < len(ft) else "\n"
            prev_dot = i > 0 and t[i - 1] == "." and e[i - 1] == s[i]
            next_dot = i + 1 < n and t[i + 1] == "." and s[i + 1] == e[i]
            if tok == "." and (prev_dot or next_dot):
                run_start = i
                while run_start > 0 and t[run_start - 1] == "." and e[run_start - 1] == s[run_start]:
                    run_start -= 1
                run_end = i
                while run_end + 1 < n and t[run_end + 1] == "." and s[run_end + 1] == e[run_end]:
                    run_end += 1
                if run_end - run_start + 1 == 2:
                    continue
                if i != run_end:
                    continue
            if nxt.isspace() or nxt in ALL_MARKS or nxt in ")]":
                sent_end[i] = True
    return Toks(ft, s, e, t, para, pair_of, close_of, in_pair, para_end, sent_end)
