"""Arabic clitic / affix segmentation in the convention of the QCRI WikiNews gold (the Farasa convention).

``Segmenter().segment("للمحتوى")`` → ``["ل", "ال", "محتوى"]``; ``segment("ثقافة")`` → ``["ثقاف", "ة"]``.

How it works (Farasa-like candidate ranking):

* a word is stripped of diacritics, tatweel and zero-width controls (offsets are kept to map spans back);
* candidate segmentations are generated from a small affix grammar: proclitic sequences
  (conjunction و ف, preposition/particle ب ل ك س, article ال; ``لل`` is ل + ال) and suffix sequences
  (nominal/verbal suffixes ة ات ين ون ان ت ا وا ... optionally followed by a pronoun ه ها هم ك نا ...);
* each candidate is scored by a linear model whose features are affix identities, stem length, boundary
  characters, and binned corpus frequencies of the stem and of related forms (stem+ة, ال+stem, the word without
  its proclitics, ...), computed from a word-frequency table of unlabeled news;
* words seen in the WikiNews gold (the training half) carry a memory feature for their gold segmentation,
  so the model learns how far to trust it; words whose gold segmentation is not a plain split of the surface
  (e.g. مما → من+ما) are kept in a small learned table.

Everything the model uses is in ``khabar/resources/segmenter/`` and is rebuilt by ``training/train_segmenter.py``.
Run time is pure Python (no numpy needed) with a per-word cache.
"""
from __future__ import annotations

import gzip
import json
import math
import os
import threading
from pathlib import Path

__all__ = ["Segmenter", "get_segmenter", "strip_word", "RESOURCE_DIR"]

RESOURCE_DIR = Path(__file__).resolve().parent.parent / "resources" / "segmenter"

# --------------------------------------------------------------------------------------------------------------
# characters
_DIAC = set(chr(c) for c in list(range(0x0610, 0x061B)) + list(range(0x064B, 0x0660)) + [0x0670]
            + list(range(0x06D6, 0x06DD)) + list(range(0x06DF, 0x06E5)) + [0x06E7, 0x06E8]
            + list(range(0x06EA, 0x06EE)) + list(range(0x08D3, 0x0900)))
_DIAC.add("\u0640")  # tatweel
_DIAC.update("\u200b\u200c\u200d\u200e\u200f\u061c\ufeff\u2060\u00ad")
_ARABIC_LETTERS = set(chr(c) for c in list(range(0x0621, 0x063B)) + list(range(0x0641, 0x064B))
                      + list(range(0x0671, 0x06D4)))


def strip_word(word: str) -> tuple[str, list[int]]:
    """(undiacritised word, index in ``word`` of each kept character)."""
    if not any(ch in _DIAC for ch in word):
        return word, list(range(len(word)))
    out = []
    idx = []
    for i, ch in enumerate(word):
        if ch not in _DIAC:
            out.append(ch)
            idx.append(i)
    return "".join(out), idx


# --------------------------------------------------------------------------------------------------------------
# affix grammar
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك", "س")
_DET = ("", "ال")

# nominal / verbal suffixes (first suffix slot) and pronominal enclitics (second slot)
_SUF_A = (("ة",), ("ات",), ("ين",), ("ون",), ("ان",), ("ي",), ("و",), ("ت",), ("تا",), ("ا",), ("وا",),
          ("ت", "ين"), ("ت", "ان"), ("نا",), ("تم",), ("ن",))
_SUF_B = (("ه",), ("ها",), ("هم",), ("هما",), ("هن",), ("ك",), ("كم",), ("كما",), ("كن",), ("ني",), ("نا",),
          ("ي",))
_A_FINAL = {("ة",), ("ت", "ين"), ("ت", "ان"), ("ين",), ("ان",), ("ن",)}


def _build_prefixes() -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for c in _CONJ:
        for p in _PREP:
            for d in _DET:
                if p == "س" and d:
                    continue
                segs = tuple(x for x in (c, p, d) if x)
                if not segs:
                    continue
                surf = c + p + d
                if p == "ل" and d:
                    surf = c + "لل"
                table.setdefault(surf, []).append(segs)
    return table


def _build_suffixes() -> dict[str, list[tuple[str, ...]]]:
    seqs: set[tuple[str, ...]] = set()
    for a in _SUF_A:
        seqs.add(a)
    for b in _SUF_B:
        seqs.add(b)
    for a in _SUF_A:
        if a in _A_FINAL:
            continue
        for b in _SUF_B:
            seqs.add(a + b)
    table: dict[str, list[tuple[str, ...]]] = {}
    for s in sorted(seqs):
        table.setdefault("".join(s), []).append(s)
    return table


PREFIXES = _build_prefixes()
SUFFIXES = _build_suffixes()
_MAXP = max(len(k) for k in PREFIXES)
_MAXS = max(len(k) for k in SUFFIXES)


_VARIANTS = (("", ""), ("ال", ""), ("و", ""), ("ب", ""), ("ل", ""), ("", "ة"), ("", "ات"), ("", "ها"),
             ("", "ه"), ("", "ين"), ("", "ون"), ("", "ا"), ("ال", "ة"), ("ال", "ات"), ("ال", "ين"))


_WVARIANTS = (("ال", ""), ("ب", ""), ("ل", ""), ("و", ""), ("", "ها"), ("", "ه"))


def _bin(c: int) -> int:
    if c <= 0:
        return 0
    return min(1 + int(math.log2(c)), 20)


def candidates(w: str):
    """All candidate splits of the undiacritised word ``w``: list of (prefix segs, prefix surface length,
    stem, suffix segs).  The plain word (no split) is always the first candidate."""
    n = len(w)
    pres: list[tuple[tuple[str, ...], int]] = [((), 0)]
    for k in range(1, min(_MAXP, n - 1) + 1):
        for segs in PREFIXES.get(w[:k], ()):
            pres.append((segs, k))
    # ل + ال sharing the lam of a stem that starts with ل (للغة → ل+ال+لغة)
    if w.startswith("لل") and n > 3:
        pres.append((("ل", "ال"), 1))
    elif n > 4 and w[1:3] == "لل" and w[0] in "وف":
        pres.append(((w[0], "ل", "ال"), 2))
    sufs: list[tuple[tuple[str, ...], int]] = [((), 0)]
    for k in range(1, min(_MAXS, n - 1) + 1):
        for segs in SUFFIXES.get(w[n - k:], ()):
            sufs.append((segs, k))
    out = []
    for psegs, pk in pres:
        for ssegs, sk in sufs:
            if pk + sk >= n:
                continue
            out.append((psegs, pk, w[pk:n - sk], ssegs))
    return out


def features(w: str, cand, counts: dict, memory: dict | None, stem_mem: dict | None) -> list[str]:
    """Feature names of one candidate (a linear model sums their weights)."""
    psegs, pk, stem, ssegs = cand
    p = "+".join(psegs)
    s = "+".join(ssegs)
    ls = len(stem)
    get = counts.get
    sk = len(w) - pk - ls
    f = ["P=" + p, "S=" + s, "PS=" + p + "|" + s, "L=%d" % min(ls, 9), "LS=%d|%s" % (min(ls, 7), s),
         "LP=%d|%s" % (min(ls, 7), p)]
    if psegs:
        f.append("B1=%s|%s" % (psegs[-1], stem[0]))
        f.append("B1b=%s|%s" % (psegs[-1], stem[:2]))
    if ssegs:
        f.append("B2=%s|%s" % (stem[-1], ssegs[0]))
        f.append("B2b=%s|%s" % (stem[-2:], ssegs[0]))
    else:
        f.append("E=" + stem[-1])
        f.append("E2=" + stem[-2:])
    if not psegs:
        f.append("F=" + stem[0])
    cw = get(w, 0)
    cs = get(stem, 0)
    f.append("CS=%d" % _bin(cs))
    f.append("CSs=%d|%s" % (_bin(cs), s))
    f.append("CSp=%d|%s" % (_bin(cs), p))
    f.append("CW=%d|%d" % (_bin(cw), bool(psegs or ssegs)))
    if psegs or ssegs:
        d = _bin(cs) - _bin(cw)
        f.append("DSW=%d" % max(-6, min(6, d)))
    if psegs:
        rest = w[pk:]
        f.append("CNP=%d|%s" % (_bin(get(rest, 0)), p))
        if "ال" in psegs and psegs[-1] == "ال":
            f.append("CR=%d" % _bin(get("ال" + rest, 0)))
    if ssegs:
        nos = w[:len(w) - sk]
        f.append("CNS=%d|%s" % (_bin(get(nos, 0)), s))
        f.append("CT=%d|%s" % (_bin(get(stem + "ة", 0)), ssegs[0]))
        f.append("CA=%d|%s" % (_bin(get("ال" + stem, 0)), ssegs[0]))
        if len(ssegs) > 1:
            f.append("CNB=%d|%s" % (_bin(get(w[:len(w) - len(ssegs[-1])], 0)), s))
    else:
        f.append("CT0=%d" % _bin(get(stem + "ة", 0)))
    if len(ssegs) > 1:
        f.append("SA=" + ssegs[0])
        f.append("SB=" + ssegs[-1])
    if len(psegs) > 1:
        f.append("PA=" + psegs[0])
    # does the word without its candidate proclitics take proclitics / enclitics itself?
    rest = w[pk:]
    nw = 0
    for v in _WVARIANTS:
        if get(v[0] + rest + v[1], 0) >= 2:
            nw += 1
    f.append("WV=%d|%s" % (nw, s))
    if psegs:
        nw0 = 0
        for v in _WVARIANTS:
            if get(v[0] + w + v[1], 0) >= 2:
                nw0 += 1
        f.append("WV0=%d|%s" % (nw0, p))
    nv = 0
    for v in _VARIANTS:
        if get(v[0] + stem + v[1], 0) >= 2:
            nv += 1
    f.append("V=%d" % nv)
    f.append("Vs=%d|%s" % (min(nv, 6) // 2, s))
    f.append("Vp=%d|%s" % (min(nv, 6) // 2, p))
    if memory is not None:
        m = memory.get(w)
        if m is not None:
            key = psegs + (stem,) + ssegs
            hit = m.get(key, 0)
            tot = sum(m.values())
            f.append("M=%d" % (2 if hit == tot else 1 if hit else 0))
            f.append("Mn=%d|%d" % (min(_bin(tot), 4), bool(hit)))
    if stem_mem is not None:
        sm = stem_mem.get(stem)
        first = ssegs[0] if ssegs else ""
        if sm is None:
            f.append("G=0")
        else:
            f.append("G=%d" % min(_bin(sum(sm.values())), 4))
            f.append("Gs=%d" % bool(sm.get(first)))
    return f
