"""Arabic clitic / affix segmentation in the convention of the QCRI WikiNews gold (the Farasa convention).

``Segmenter().segment("للمحتوى")`` → ``["ل", "ال", "محتوى"]``; ``segment("ثقافة")`` → ``["ثقاف", "ة"]``.

How it works (Farasa-like candidate ranking):

* a word is stripped of diacritics, tatweel and zero-width controls (offsets are kept to map spans back);
* candidate segmentations are generated from a small affix grammar: proclitic sequences
  (conjunction و ف, preposition/particle ب ل ك س, article ال; ``لل`` is ل + ال) and suffix sequences
  (nominal/verbal suffixes ة ات ين ون ان ت ا وا ... optionally followed by a pronoun ه ها هم ك نا ...);
* each candidate is scored by a linear model whose features are affix identities, stem length, boundary
  characters, and binned corpus frequencies of the stem and of related forms (stem+ة, ال+stem, the word without
  its proclitics, ...), computed from a word-frequency table of unlabeled news, how often the word follows ب / ل
  (a word read after a preposition rarely ends in a nominative/accusative suffix), and the word's class in the
  news (its word clusters and the entity type the NER label propagation gives it: a word of a name cluster
  rarely splits, نيجيريا، بيروت);
* at run time a small grammar prunes candidates (the future prefix س only before an imperfect verb; particles
  take no suffix, prepositions only pronouns) and one analysis holds per word form whatever its prefixes
  (``Segmenter._consistent``: a word that takes the article is analysed as its article form, a word seen after a
  preposition has no proclitic nor nominative/accusative suffix);
* words seen in the WikiNews gold (the training half) carry a memory feature for their gold segmentation,
  so the model learns how far to trust it; words whose gold segmentation is not a plain split of the surface
  (e.g. مما → من+ما) are kept in a small learned table, and the closed class of من / عن with their nun assimilated
  (مما، ممن، عما، عمن) is part of the grammar.

Everything the model uses is in ``khabar/resources/segmenter/`` and is rebuilt by ``training/train_segmenter.py``.
Run time is pure Python (no numpy needed) with a per-word cache.
"""
from __future__ import annotations

import difflib
import gzip
import json
import math
import re
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


_DIAC_RE = re.compile("[" + "".join(sorted(_DIAC)) + "]")
_ARABIC_WORD_RE = re.compile("[" + "".join(sorted(_ARABIC_LETTERS)) + "]+")


def strip_word(word: str) -> tuple[str, list[int] | None]:
    """(undiacritised word, index in ``word`` of each kept character, or None when nothing was removed)."""
    if _DIAC_RE.search(word) is None:
        return word, None
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


_PID: dict = {(): 0}
for _segs_list in PREFIXES.values():
    for _x in _segs_list:
        _PID.setdefault(_x, len(_PID))
_SID: dict = {(): 0}
for _segs_list in SUFFIXES.values():
    for _x in _segs_list:
        _SID.setdefault(_x, len(_SID))
_PREFIX_FIRST = frozenset(k[0] for k in PREFIXES)
_SUFFIX_LAST = frozenset(k[-1] for k in SUFFIXES)
_PRE_BY = {k: [(x, len(k), _PID[x]) for x in v] for k, v in PREFIXES.items()}
_SUF_BY = {k: [(x, len(k), _SID[x]) for x in v] for k, v in SUFFIXES.items()}
_NOAFFIX = (((), 0, 0),)
_LL = [(("ل", "ال"), 1, _PID[("ل", "ال")])]
_LL_C = {c: [((c, "ل", "ال"), 2, _PID[(c, "ل", "ال")])] for c in "وف"}


def affixes(w: str, grammar: bool = False):
    """(prefix options, suffix options) of ``w``: lists of (segments, surface length, id); the empty option first.
    ``grammar``: leave out the future prefix س before a letter that starts no imperfect verb (run time only: the
    ranker's weights are trained on the full candidate set)."""
    n = len(w)
    if w[0] in _PREFIX_FIRST:
        pres = [((), 0, 0)]
        for k in range(1, min(_MAXP, n - 1) + 1):
            x = _PRE_BY.get(w[:k])
            if x is not None:
                if grammar and w[k - 1] == "س" and w[k] not in _IMPERFECT:
                    continue  # the future prefix stands only before an imperfect verb (سيقول، ستعقد، سنرى، سأذهب)
                pres.extend(x)
        # ل + ال sharing the lam of a stem that starts with ل (للغة → ل+ال+لغة)
        if n > 3 and w[0] == "ل" and w[1] == "ل":
            pres.extend(_LL)
        elif n > 4 and w[1:3] == "لل" and w[0] in "وف":
            pres.extend(_LL_C[w[0]])
    else:
        pres = _NOAFFIX
    if w[-1] in _SUFFIX_LAST:
        sufs = [((), 0, 0)]
        for k in range(1, min(_MAXS, n - 1) + 1):
            x = _SUF_BY.get(w[n - k:])
            if x is not None:
                sufs.extend(x)
    else:
        sufs = _NOAFFIX
    return pres, sufs


# letters an imperfect verb starts with: the future prefix س is read only before them (not وسطيف، وساهدون)
_IMPERFECT = frozenset("يتنأ")
# closed-class words: some take pronoun enclitics (فيه، منها، إنه) but none takes a nominal or verbal suffix (مات is
# not ما+ت, كيت is not كي+ت); particles take no enclitic at all (بلاك is not ب+لا+ك)
PRONOUN_STEMS = frozenset(["في", "من", "عن", "إن", "أن", "مع", "إلي", "علي", "لدي", "لكن", "ل", "ب", "ك"])
BARE_STEMS = frozenset(["ما", "لا", "قد", "هل", "بل", "ثم", "لم", "لن", "أو", "إذ", "كي", "لو", "منذ", "حتي",
                        "حتى", "إلى", "على", "لدى"])
_PRONOUNS = frozenset(x for (x,) in _SUF_B)


def allowed(stem: str, ssegs) -> bool:
    """False for a particle with any suffix (ب+لا+ك) or a preposition with a suffix that is not a pronoun (ما+ت)."""
    if not ssegs:
        return True
    if len(stem) == 1:  # only a proclitic stands alone as a stem, with a pronoun: لها، بهم، وهم (not م+ات، ا+نا)
        return stem in "لبكوف" and len(ssegs) == 1 and ssegs[0] in _PRONOUNS
    if stem in BARE_STEMS:
        return False
    return not (stem in PRONOUN_STEMS and (len(ssegs) > 1 or ssegs[0] not in _PRONOUNS))


def candidates(w: str):
    """All candidate splits of the undiacritised word ``w``: list of (prefix segs, prefix surface length,
    stem, suffix segs).  The plain word (no split) is always the first candidate."""
    n = len(w)
    pres, sufs = affixes(w)
    out = []
    for psegs, pk, _ in pres:
        for ssegs, sk, _ in sufs:
            if pk + sk >= n:
                continue
            out.append((psegs, pk, w[pk:n - sk], ssegs))
    return out


_NFOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def word_class(w: str, wclass: dict | None):
    """(coarse cluster, fine cluster, entity type or "") of the whole word in the unlabelled news, or None.

    ``wclass`` maps a folded word (alef forms, ى, ة as in the NER resources) to "c64 c256 TYPE": its word clusters
    (k-means over PPMI+SVD vectors of the 58k news articles, k = 64 and 256) and the majority entity type of its
    labelled neighbours in that space (PER/LOC/ORG/MISC, from the NER training corpora, never the segmentation
    gold); words of a name cluster or with a name type rarely split (ياسين، جونسون، تركيا)."""
    if not wclass:
        return None
    v = wclass.get(w.translate(_NFOLD))
    if v is None:
        return None
    c = v.split(" ")
    return c[0], c[1], c[2] if len(c) > 2 else ""


def features(w: str, cand, B: dict, memory: dict | None, stem_mem: dict | None,
             wclass: dict | None = None) -> list[str]:
    """Feature names of one candidate (the model sums their weights).

    ``B`` maps a corpus word to its binned frequency (1 + floor(log2 count)); words under the corpus threshold are
    absent.  ``wclass``: see :func:`word_class`.  This is the reference definition used in training;
    :class:`_Scorer` computes the same sum faster.
    """
    psegs, pk, stem, ssegs = cand
    p = "+".join(psegs)
    s = "+".join(ssegs)
    ls = len(stem)
    get = B.get
    sk = len(w) - pk - ls
    f = ["P=" + p, "S=" + s, "PS=" + p + "|" + s, "L=%d" % min(ls, 9), "LS=%d|%s" % (min(ls, 7), s),
         "LP=%d|%s" % (min(ls, 7), p), "N=%d|%d" % (len(psegs), len(ssegs))]
    for x in psegs:
        f.append("PX=" + x)
    if len(ssegs) > 1:
        f.append("SA=" + ssegs[0])
        f.append("SB=" + ssegs[-1])
    if len(psegs) > 1:
        f.append("PA=" + psegs[0])
    if psegs:
        f.append("B1=%s|%s" % (psegs[-1], stem[0]))
        f.append("B1b=%s|%s" % (psegs[-1], stem[:2]))
    else:
        f.append("F=" + stem[0])
    if ssegs:
        f.append("B2=%s|%s" % (stem[-1], ssegs[0]))
        f.append("B2b=%s|%s" % (stem[-2:], ssegs[0]))
    else:
        f.append("E=" + stem[-1])
        f.append("E2=" + stem[-2:])
    bw = get(w, 0)
    bs = get(stem, 0)
    f.append("CS=%d" % bs)
    f.append("CSs=%d|%s" % (bs, s))
    f.append("CSp=%d|%s" % (bs, p))
    split = bool(psegs or ssegs)
    f.append("CW=%d|%d" % (bw, split))
    if split:
        f.append("DSW=%d" % max(-6, min(6, bs - bw)))
    rest = w[pk:]
    if psegs:
        f.append("CNP=%d|%s" % (get(rest, 0), p))
        if psegs[-1] == "ال":
            f.append("CR=%d" % get("ال" + rest, 0))
    if ssegs:
        f.append("CNS=%d|%s" % (get(w[:len(w) - sk], 0), s))
        f.append("CT=%d|%s" % (get(stem + "ة", 0), ssegs[0]))
        f.append("CA=%d|%s" % (get("ال" + stem, 0), ssegs[0]))
        if len(ssegs) > 1:
            f.append("CNB=%d|%s" % (get(w[:len(w) - len(ssegs[-1])], 0), s))
    else:
        f.append("CT0=%d" % get(stem + "ة", 0))
    # does the word without its candidate proclitics take proclitics / enclitics itself?
    nw = 0
    for a, b in _WVARIANTS:
        if a + rest + b in B:
            nw += 1
    f.append("WV=%d|%s" % (nw, s))
    if psegs:
        nw0 = 0
        for a, b in _WVARIANTS:
            if a + w + b in B:
                nw0 += 1
        f.append("WV0=%d|%s" % (nw0, p))
    # in how many affixed forms does the stem occur in the corpus?
    nv = 0
    for a, b in _VARIANTS:
        if a + stem + b in B:
            nv += 1
    f.append("V=%d" % nv)
    f.append("Vs=%d|%s" % (min(nv, 6) // 2, s))
    f.append("Vp=%d|%s" % (min(nv, 6) // 2, p))
    if ssegs:
        f.append("PW=%d|%s" % (_prep_bucket(w, bw, get), ssegs[0]))
    wc = word_class(w, wclass)
    if wc is not None:
        f.extend(_wclass_feats(wc, psegs, ssegs, p, s))
    if memory is not None:
        m = memory.get(w)
        if m is not None:
            hit = m.get(psegs + (stem,) + ssegs, 0)
            tot = sum(m.values())
            f.append("M=%d" % (2 if hit == tot else 1 if hit else 0))
            f.append("Mn=%d|%d" % (min(_bin(tot), 4), bool(hit)))
    if stem_mem is not None:
        sm = stem_mem.get(stem)
        if sm is None:
            f.append("G=0")
        else:
            f.append("G=%d" % min(_bin(sum(sm.values())), 4))
            f.append("Gs=%d" % bool(sm.get(ssegs[0] if ssegs else "")))
    return f


def _prep_bucket(w: str, bw: int, get) -> int:
    """How often the word follows ب / ل in the corpus, against its bare frequency (-1: never; 0..5 in steps of two
    log2 bins, 5 = as often or more).  A word seen after a preposition is rarely one ending in a nominative or
    accusative suffix (the learned form of the run-time rule of ``Segmenter._consistent``): تركيا after بتركيا."""
    pb = get("ب" + w, 0)
    lb = get("ل" + w, 0)
    if lb > pb:
        pb = lb
    if not pb:
        return -1
    d = pb - bw
    return ((-8 if d < -8 else 2 if d > 2 else d) + 8) // 2


def _wclass_feats(wc, psegs, ssegs, p: str, s: str) -> list[str]:
    c64, c256, typ = wc
    out = ["CLs=%s|%s" % (c64, s), "CLp=%s|%s" % (c64, p), "CL2=%s|%d|%d" % (c256, bool(psegs), bool(ssegs))]
    if typ:
        out.append("NW=%s|%d" % (typ, bool(ssegs)))
        out.append("NWp=%s|%d" % (typ, bool(psegs)))
    return out


def cand_segments(cand) -> tuple[str, ...]:
    return cand[0] + (cand[2],) + cand[3]


def cand_spans(w: str, cand) -> list[tuple[int, int]]:
    """[start, end) of each segment of a candidate inside the undiacritised word ``w``."""
    psegs, pk, stem, ssegs = cand
    spans = []
    pos = 0
    for i, x in enumerate(psegs):
        k = 1 if (x == "ال" and i > 0 and psegs[i - 1] == "ل") else len(x)
        spans.append((pos, pos + k))
        pos += k
    end = len(w) - sum(len(x) for x in ssegs)
    if pos >= end:  # shared lam (للغة → ل+ال+لغ+ة): the restored ال took the stem's first letter
        pos = max(pk, end - 1) if end - 1 >= pk else pk
        if spans:
            spans[-1] = (spans[-1][0], pos) if pos > spans[-1][0] else spans[-1]
    spans.append((pos, end))
    for x in ssegs:
        spans.append((end, end + len(x)))
        end += len(x)
    return spans


def align_spans(w: str, segs) -> list[tuple[int, int]]:
    """Spans for a segmentation that is not a plain split of ``w`` (مما → من+ما): align characters, then make the
    spans ordered, non-overlapping, covering and (where the word is long enough) non-empty."""
    joined = "".join(segs)
    n = len(w)
    owner = []
    for i, x in enumerate(segs):
        owner.extend([i] * len(x))
    starts = [None] * len(segs)
    sm = difflib.SequenceMatcher(None, joined, w, autojunk=False)
    for a, b, size in sm.get_matching_blocks():
        for k in range(size):
            i = owner[a + k]
            if starts[i] is None:
                starts[i] = b + k
    bounds = []
    prev = 0
    for i in range(len(segs)):
        st = starts[i] if starts[i] is not None else prev
        if i == 0:
            st = 0
        st = max(st, prev + 1 if i > 0 else 0)
        st = min(st, n - (len(segs) - i)) if n >= len(segs) else min(st, n)
        st = max(st, prev if i > 0 else 0)
        bounds.append(st)
        prev = st
    bounds.append(n)
    return [(bounds[i], bounds[i + 1]) for i in range(len(segs))]


class _Scorer:
    """Computes ``sum(weights[f] for f in features(...))`` with precompiled tables (per affix pair)."""

    def __init__(self, weights: dict, B: dict, stem_mem: dict, memory: dict | None = None,
                 wclass: dict | None = None):
        self.W = weights
        self._wclass_src = wclass  # a dict, or the model file's "word<TAB>classes" lines (parsed on first use)
        self._wclass: dict | None = None
        # gold-memory features: word -> (weight for a candidate that is not the gold, {gold segs: weight})
        self.mem_bonus: dict = {}
        for word, m in (memory or {}).items():
            tot = sum(m.values())
            b = min(_bin(tot), 4)
            miss = weights.get("M=0", 0.0) + weights.get("Mn=%d|0" % b, 0.0)
            hits = {segs: weights.get("M=%d" % (2 if hit == tot else 1), 0.0) + weights.get("Mn=%d|1" % b, 0.0)
                    for segs, hit in m.items() if hit}
            self.mem_bonus[word] = (miss, hits)
        self.B = B
        self.pairs: dict = {}
        g = weights.get
        self.g0 = g("G=0", 0.0)
        self.stem_g: dict = {}
        for stem, sm in stem_mem.items():
            base = g("G=%d" % min(_bin(sum(sm.values())), 4), 0.0)
            self.stem_g[stem] = (base + g("Gs=0", 0.0), {k: base + g("Gs=1", 0.0) for k in sm})
        self.cw = [(g("CW=%d|0" % b, 0.0), g("CW=%d|1" % b, 0.0)) for b in range(21)]
        self.dsw = [g("DSW=%d" % max(-6, min(6, d)), 0.0) for d in range(-21, 22)]
        self.cr = [g("CR=%d" % b, 0.0) for b in range(21)]
        self.ct0 = [g("CT0=%d" % b, 0.0) for b in range(21)]
        self.v = [g("V=%d" % n, 0.0) for n in range(len(_VARIANTS) + 1)]
        # boundary-character weights: head -> {context: {chars: weight}}
        self.char: dict = {}
        for k, val in weights.items():
            head, _, rest = k.partition("=")
            if head in ("B1", "B1b"):
                ctx, _, chars = rest.partition("|")
                self.char.setdefault(head, {}).setdefault(ctx, {})[chars] = val
            elif head in ("B2", "B2b"):
                chars, _, ctx = rest.partition("|")
                self.char.setdefault(head, {}).setdefault(ctx, {})[chars] = val
            elif head in ("E", "E2", "F"):
                self.char.setdefault(head, {}).setdefault("", {})[rest] = val
        self._empty: dict = {}
        self.e = self.char.get("E", {}).get("", {})
        self.e2 = self.char.get("E2", {}).get("", {})
        self.f = self.char.get("F", {}).get("", {})
        self.stem_info: dict = {}  # stem -> (bin, variant count, bin of stem+ة, bin of ال+stem, memory weights)
        self.rest_info: dict = {}  # word minus proclitics -> (bin, variant count, bin of ال+rest)

    def _pair(self, psegs, ssegs):
        g = self.W.get
        p = "+".join(psegs)
        s = "+".join(ssegs)
        const = g("P=" + p, 0.0) + g("S=" + s, 0.0) + g("PS=" + p + "|" + s, 0.0)
        const += g("N=%d|%d" % (len(psegs), len(ssegs)), 0.0)
        for x in psegs:
            const += g("PX=" + x, 0.0)
        if len(ssegs) > 1:
            const += g("SA=" + ssegs[0], 0.0) + g("SB=" + ssegs[-1], 0.0)
        if len(psegs) > 1:
            const += g("PA=" + psegs[0], 0.0)
        ln = [const + g("L=%d" % min(ls, 9), 0.0) + g("LS=%d|%s" % (min(ls, 7), s), 0.0)
              + g("LP=%d|%s" % (min(ls, 7), p), 0.0) for ls in range(10)]
        cs = [g("CS=%d" % b, 0.0) + g("CSs=%d|%s" % (b, s), 0.0) + g("CSp=%d|%s" % (b, p), 0.0) for b in range(21)]
        cnp = [g("CNP=%d|%s" % (b, p), 0.0) for b in range(21)] if psegs else None
        s0 = ssegs[0] if ssegs else ""
        if ssegs:
            cns = [g("CNS=%d|%s" % (b, s), 0.0) for b in range(21)]
            ct = [g("CT=%d|%s" % (b, s0), 0.0) for b in range(21)]
            ca = [g("CA=%d|%s" % (b, s0), 0.0) for b in range(21)]
            cnb = [g("CNB=%d|%s" % (b, s), 0.0) for b in range(21)] if len(ssegs) > 1 else None
            pw = [g("PW=%d|%s" % (v, s0), 0.0) for v in range(-1, 6)]
        else:
            cns = ct = ca = cnb = pw = None
        wv = [g("WV=%d|%s" % (n, s), 0.0) for n in range(len(_WVARIANTS) + 1)]
        wv0 = [g("WV0=%d|%s" % (n, p), 0.0) for n in range(len(_WVARIANTS) + 1)]
        vv = [g("Vs=%d|%s" % (min(n, 6) // 2, s), 0.0) + g("Vp=%d|%s" % (min(n, 6) // 2, p), 0.0) + self.v[n]
              for n in range(len(_VARIANTS) + 1)]
        ch = self.char
        b1 = ch.get("B1", {}).get(psegs[-1], self._empty) if psegs else None
        b1b = ch.get("B1b", {}).get(psegs[-1], self._empty) if psegs else None
        b2 = (ch.get("B2", {}).get(s0, self._empty), ch.get("B2b", {}).get(s0, self._empty))
        last_al = bool(psegs) and psegs[-1] == "ال"
        t = (ln, cs, cnp, cns, ct, ca, cnb, wv, wv0, vv, b1, b1b, b2, s0, last_al, len(ssegs[-1]) if ssegs else 0,
             (psegs, ssegs, p, s, {}), pw)
        return t

    @property
    def wclass(self) -> dict:
        if self._wclass is None:
            src = self._wclass_src
            if isinstance(src, str):
                src = dict(line.split("\t", 1) for line in src.split("\n") if line)
            self._wclass = src or {}
        return self._wclass

    def _wclass_weight(self, wc, pinfo) -> float:
        """Summed weight of the word-class features of ``wc`` for one affix pair (cached per pair and class)."""
        cache = pinfo[4]
        r = cache.get(wc)
        if r is None:
            g = self.W.get
            r = cache[wc] = sum(g(x, 0.0) for x in _wclass_feats(wc, pinfo[0], pinfo[1], pinfo[2], pinfo[3]))
        return r

    def _stem(self, stem):
        B = self.B
        nv = 0
        for a, b in _VARIANTS:
            if a + stem + b in B:
                nv += 1
        sg = self.stem_g.get(stem)
        r = (B.get(stem, 0), nv, B.get(stem + "ة", 0), B.get("ال" + stem, 0), sg)
        if len(self.stem_info) > 1_000_000:
            self.stem_info.clear()
        self.stem_info[stem] = r
        return r

    def _rest(self, rest):
        B = self.B
        nw = 0
        for a, b in _WVARIANTS:
            if a + rest + b in B:
                nw += 1
        r = (B.get(rest, 0), nw, B.get("ال" + rest, 0))
        if len(self.rest_info) > 1_000_000:
            self.rest_info.clear()
        self.rest_info[rest] = r
        return r

    def best(self, w: str, pfilter=None, sfilter=None):
        """The best-scoring candidate of ``w`` (among those whose proclitics pass ``pfilter`` and suffixes
        ``sfilter``, when given; None when no candidate does)."""
        get = self.B.get
        n = len(w)
        bw = get(w, 0)
        cw0, cw1 = self.cw[bw]
        best = None
        bsc = -1e300
        pairs = self.pairs
        g0 = self.g0
        stem_info = self.stem_info
        rest_info = self.rest_info
        dsw = self.dsw
        e, e2, f = self.e, self.e2, self.f
        pres, sufs = affixes(w, True)
        nw0 = None
        mb = self.mem_bonus.get(w)
        wc = word_class(w, self._wclass if self._wclass is not None else self.wclass)
        pwb = None
        for psegs, pk, pid in pres:
            if pfilter is not None and not pfilter(psegs):
                continue
            rest = w[pk:] if pk else w
            ri = rest_info.get(rest)
            if ri is None:
                ri = self._rest(rest)
            if pk:
                if nw0 is None:
                    nw0 = rest_info.get(w)
                    nw0 = (nw0 if nw0 is not None else self._rest(w))[1]
            for ssegs, sk, sid in sufs:
                ls = n - pk - sk
                if ls <= 0:
                    continue
                t = pairs.get(pid * 4096 + sid)
                if t is None:
                    t = self._pair(psegs, ssegs)
                    pairs[pid * 4096 + sid] = t
                ln, cs, cnp, cns, ct, ca, cnb, wv, wv0, vv, b1, b1b, b2, s0, last_al, lastlen, pinfo, pw = t
                stem = w[pk:n - sk]
                if sk and (not allowed(stem, ssegs) or (sfilter is not None and not sfilter(ssegs))):
                    continue
                si = stem_info.get(stem)
                if si is None:
                    si = self._stem(stem)
                bs, nv, bst, bas, sg = si
                sc = ln[ls if ls < 9 else 9] + cs[bs] + vv[nv] + wv[ri[1]]
                if pk:
                    sc += b1.get(stem[0], 0.0) + b1b.get(stem[:2], 0.0) + cnp[ri[0]] + wv0[nw0]
                    if last_al:
                        sc += self.cr[ri[2]]
                else:
                    sc += f.get(stem[0], 0.0)
                if sk:
                    sc += b2[0].get(stem[-1], 0.0) + b2[1].get(stem[-2:], 0.0)
                    sc += cns[get(w[:n - sk], 0)] + ct[bst] + ca[bas]
                    if pwb is None:
                        pwb = _prep_bucket(w, bw, get) + 1
                    sc += pw[pwb]
                    if cnb is not None:
                        sc += cnb[get(w[:n - lastlen], 0)]
                else:
                    sc += e.get(stem[-1], 0.0) + e2.get(stem[-2:], 0.0) + self.ct0[bst]
                if pk or sk:
                    sc += cw1 + dsw[bs - bw + 21]
                else:
                    sc += cw0
                if sg is None:
                    sc += g0
                else:
                    sc += sg[1].get(s0, sg[0])
                if mb is not None:
                    sc += mb[1].get(psegs + (stem,) + ssegs, mb[0])
                if wc is not None:
                    sc += self._wclass_weight(wc, pinfo)
                if sc > bsc:
                    bsc = sc
                    best = (psegs, pk, stem, ssegs)
        return best


# the preposition من / عن with its nun assimilated to the relative ما / من that follows (مما، ممن، عما، عمن; with
# a conjunction ومما، فعمن): a closed grammatical class, analysed as the gold convention writes it (من+ما)
ASSIMILATED: dict = {}
for _c in ("", "و", "ف"):
    for _prep in ("من", "عن"):
        for _rel in ("ما", "من"):
            ASSIMILATED[_c + _prep[0] + _rel] = tuple(x for x in (_c, _prep, _rel) if x)


CONSISTENCY_BINS = 3  # how much rarer (in log2 bins) the article form may be than the word itself
ARTICLE_MIN_BIN = 4   # ... and the article form seen at least 8 times
PREP_MIN_BIN = 3      # a word seen at least 4 times after ب / ل
FOREIGN_MIN_LEN = 5   # short words are left to the ranker (لولا and لوكان are words of their own, ولا is و+لا)
FOREIGN_BINS = 5      # how much rarer the preposition form may be (a name is mostly written bare)
_NOT_AFTER_PREP = frozenset(["ون", "ان", "ا", "وا"])


def _ONLY_AL(psegs) -> bool:
    return psegs == ("ال",)


def _NO_PROCLITIC_BUT_AL(psegs) -> bool:
    return not psegs or psegs == ("ال",)


def _AFTER_PREP(ssegs) -> bool:
    return ssegs[0] not in _NOT_AFTER_PREP


class Segmenter:
    """Clitic segmenter (Farasa convention).  ``segment(word)`` → segments; ``segment_spans(word)`` → offsets."""

    def __init__(self, resource_dir: str | Path | None = None, *, model: dict | None = None, bins: dict | None = None):
        d = Path(resource_dir) if resource_dir is not None else RESOURCE_DIR
        from_files = model is None
        if model is None:
            with gzip.open(d / "model.json.gz", "rt", encoding="utf8") as f:
                model = json.load(f)
        if bins is None:
            bins = {}
            with gzip.open(d / "freq_bins.txt.gz", "rt", encoding="utf8") as f:
                for line in f:
                    b, _, words = line.rstrip("\n").partition("\t")
                    bins.update(dict.fromkeys(words.split(" "), int(b)))
        self.meta = model.get("meta", {})
        self.weights: dict = model["weights"]
        self.B = bins
        self.memory = {w: {tuple(s.split("+")): n for s, n in segs.items()} for w, segs in model["memory"].items()}
        self.stem_memory = model["stem_memory"]
        self.exceptions = {w: tuple(s.split("+")) for w, s in model["exceptions"].items()}
        self._scorer = _Scorer(self.weights, self.B, self.stem_memory, self.memory, model.get("wordclass"))
        self._cache: dict = {}       # original word -> tuple of segments
        self._span_cache: dict = {}  # original word -> tuple of spans
        self._lock = threading.Lock()
        # the analyses of the corpus words (freq_bins), computed once by training/train_segmenter.py: a look-up
        # instead of the ranker for most words a text brings; used only when written for this very model
        self.table: dict | None = None
        if from_files and (d / TABLE_FILE).exists():
            self.table = read_table(d / TABLE_FILE, model_digest(d / "model.json.gz"))

    @property
    def wclass(self) -> dict:
        """folded word -> "c64 c256 TYPE" (see :func:`word_class`), loaded on first use."""
        return self._scorer.wclass

    # ---------------------------------------------------------------- core (undiacritised Arabic word)
    def _analyse(self, w: str):
        """(segments, spans in w) for an undiacritised all-Arabic word."""
        table = self.table
        if table is not None:
            r = table.get(w)
            if r is not None:
                segs, _, cuts = r.partition("\t")
                starts = [0, *map(int, cuts.split(","))]
                return tuple(segs.split("+")), tuple(zip(starts, starts[1:] + [len(w)]))
            if w in self.B:  # a corpus word the table leaves out: one segment
                return (w,), ((0, len(w)),)
        return self._rank(w)

    def _rank(self, w: str):
        """_analyse() without the precomputed table."""
        exc = self.exceptions.get(w)
        if exc is None:
            exc = ASSIMILATED.get(w)
        if exc is not None:
            return exc, tuple(align_spans(w, exc))
        best = self._consistent(w, self._scorer.best(w))
        return cand_segments(best), tuple(cand_spans(w, best))

    def _consistent(self, w: str, best):
        """One analysis per word form, whatever its proclitics, from how the word behaves in the corpus:

        * a word that takes the article about as often as it stands bare (بطولة / البطولة, بعيد / البعيد, وفاق /
          الوفاق) starts with no proclitic (ال is never followed by one), and its stem and suffixes are those of
          its article form (بطولة → بطول+ة as in ال+بطول+ة);
        * a word that follows a preposition (ب / ل + word: لفالنسيا, بتركيا, لسليمان) starts with no conjunction
          or preposition, and ends in no nominative or accusative suffix (ون ان ا وا: a preposition governs the
          genitive), so فالنسيا, تركيا, سليمان stay whole.
        """
        if not (best[0] or best[3]):
            return best
        B = self.B
        bw = B.get(w, 0)
        if not bw:
            return best
        psegs, ssegs = best[0], best[3]
        if (psegs and psegs[-1] != "ال") or ssegs:
            a = B.get("ال" + w, 0)
            if len(w) > 3 and a >= ARTICLE_MIN_BIN and a >= bw - CONSISTENCY_BINS:
                core = self._scorer.best("ال" + w, pfilter=_ONLY_AL)
                if core is not None:
                    return ((), 0, core[2], core[3])
        if (psegs and psegs[0] != "ال") or (ssegs and ssegs[-1] in _NOT_AFTER_PREP):
            # (ل + a word in ل or ا is read لل = ل + ال, and ل + an imperfect verb is the lam of purpose (ليشاركوا):
            # only ب tells there)
            b = max(B.get("ب" + w, 0), 0 if w[0] in "لايتنأ" else B.get("ل" + w, 0))
            if len(w) >= FOREIGN_MIN_LEN and b >= PREP_MIN_BIN and b >= bw - FOREIGN_BINS:
                alt = self._scorer.best(w, pfilter=_NO_PROCLITIC_BUT_AL, sfilter=_AFTER_PREP)
                if alt is not None:
                    return alt
        return best

    def _compute(self, word: str):
        w, idx = strip_word(word)
        if len(w) < 2 or _ARABIC_WORD_RE.fullmatch(w) is None:
            return (word,), ((0, len(word)),)
        segs, spans = self._analyse(w)
        if idx is None:  # nothing was stripped
            return segs, spans
        # map back: a segment starts at its first letter and runs to the next segment's first letter
        starts = [0] + [idx[a] for a, _ in spans[1:]]
        ends = starts[1:] + [len(word)]
        return segs, tuple(zip(starts, ends))

    # ---------------------------------------------------------------- public API
    def segment(self, word: str) -> list[str]:
        r = self._cache.get(word)
        if r is None:
            r, spans = self._compute(word)
            if len(self._cache) > 2_000_000:
                self._cache.clear()
                self._span_cache.clear()
            self._cache[word] = r
            self._span_cache[word] = spans
        return list(r)

    def segment_spans(self, word: str) -> list[tuple[int, int]]:
        r = self._span_cache.get(word)
        if r is None:
            segs, r = self._compute(word)
            self._cache[word] = segs
            self._span_cache[word] = r
        return list(r)

    def clear_cache(self) -> None:
        self._cache.clear()
        self._span_cache.clear()


_SINGLETON: Segmenter | None = None
_SINGLETON_LOCK = threading.Lock()


TABLE_FILE = "table.tsv.gz"


def model_digest(model_path: str | Path) -> str:
    """SHA-1 of a segmenter model file: ties a precomputed table to the model it was computed with."""
    import hashlib

    return hashlib.sha1(Path(model_path).read_bytes()).hexdigest()


def write_table(seg: "Segmenter", path: str | Path, digest: str) -> int:
    """Precompute ``seg._rank`` for every word of its frequency table; write the words that split (one per line:
    word, segments joined by ``+``, segment starts after the first joined by ``,``).  Returns the count."""
    rows = []
    for w in sorted(seg.B):
        segs, spans = seg._rank(w)
        if len(segs) == 1 and spans == ((0, len(w)),):
            continue
        if any("+" in x or "\t" in x for x in segs) or [a for a, _ in spans] != [0] + [b for _, b in spans[:-1]] \
                or spans[-1][1] != len(w):
            raise ValueError(f"segment table: cannot write the analysis of {w!r}: {segs} {spans}")
        rows.append(f"{w}\t{'+'.join(segs)}\t{','.join(str(a) for a, _ in spans[1:])}\n")
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write(f"#model\t{digest}\t{len(seg.B)}\n".encode("utf8"))
        f.write("".join(rows).encode("utf8"))
    return len(rows)


def read_table(path: str | Path, digest: str) -> dict | None:
    """word -> "segments<TAB>cuts" (as written by write_table; parsed when looked up) from write_table's file;
    None (the ranker is used) when it was written for another model."""
    with gzip.open(path, "rt", encoding="utf8") as f:
        head = f.readline().rstrip("\n").split("\t")
        if len(head) != 3 or head[0] != "#model" or head[1] != digest:
            return None
        return dict(line.split("\t", 1) for line in f.read().splitlines())


def get_segmenter() -> Segmenter:
    """The process-wide segmenter, loaded on first use."""
    global _SINGLETON
    if _SINGLETON is None:
        with _SINGLETON_LOCK:
            if _SINGLETON is None:
                _SINGLETON = Segmenter()
    return _SINGLETON
