"""Second-stage (stacked) CRF features for non-local label consistency (after Krishnan & Manning, 2006).

Stage 1 is the local CRF (khabar.ner.tagger).  Stage 2 is a small CRF whose attributes, for each token, are
stage 1's state scores of the token (real-valued), stage 1's labels of the token and its neighbours, and what
stage 1 said elsewhere in the same document: the distribution of its labels over the other occurrences of the
same word form (and of the same clitic-stripped form), and over the other occurrences of an entity string that
covers the token (a name tagged once where it recurs).  Trained on jack-knifed stage-1 output
(training/stack_ner.py), so that it learns how far to trust stage 1's errors.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .conll import get_entities
from .features import _AR_LETTER, _LATIN, _EDGE_PUNCT, normalize, strip_clitics

CLITIC_LETTERS = "وبلفك"
MIN_CHARS = 3

_FORMS: dict[str, tuple[str, str]] = {}


def _forms(w: str, rank) -> tuple[str, str]:
    """(normalised form without edge punctuation, clitic-stripped bare form); '' for a token without a letter."""
    f = _FORMS.get(w)
    if f is None:
        n = normalize(w).strip(_EDGE_PUNCT)
        if not n or not (_AR_LETTER.search(n) or _LATIN.search(n)):
            f = ("", "")
        else:
            f = (n, strip_clitics(n, rank)[2])
        if len(_FORMS) > 300_000:
            _FORMS.clear()
        _FORMS[w] = f
    return f


def _dist(prefix: str, c: Counter, own: str | None, out: dict):
    tot = sum(c.values()) - (1 if own is not None else 0)
    if tot <= 0:
        return
    for lab, k in c.items():
        if lab == own:
            k -= 1
        if k > 0:
            out[prefix + lab] = k / tot


def _entity_strings(forms: list[list[tuple]], ents: list[list[tuple]]):
    """The entity strings stage 1 tagged in one document (key: their words' forms; value: a Counter of types) and,
    per first word, the longest key's length."""
    ent_c: dict[tuple, Counter] = defaultdict(Counter)
    for fs, es in zip(forms, ents):
        for typ, s, e in es:
            key = tuple(f[0] for f in fs[s:e])
            if all(key) and sum(map(len, key)) >= MIN_CHARS:
                ent_c[key][typ] += 1
    first: dict[str, int] = {}
    for key in ent_c:
        if len(key) > first.get(key[0], 0):
            first[key[0]] = len(key)
    return ent_c, first


def _entity_string_hits(fs: list[tuple], es: list[tuple], ent_c: dict, first: dict):
    """(start, length, {type: share}) for each place of one sentence where an entity string tagged elsewhere in the
    document recurs (longest first; one proclitic letter may be glued to the first word): the share of each type
    among the string's other taggings (this place's own tagging left out)."""
    ents = {(s, e): typ for typ, s, e in es}
    n = len(fs)
    j = 0
    while j < n:
        w = fs[j][0]
        alt = w[1:] if (len(w) > 3 and w[0] in CLITIC_LETTERS) else None
        maxl = max(first.get(w, 0), first.get(alt, 0) if alt else 0)
        hit = 0
        for L in range(min(maxl, n - j), 0, -1):
            key = tuple(f[0] for f in fs[j:j + L])
            c = ent_c.get(key)
            if c is None and alt:
                c = ent_c.get((alt,) + key[1:])
            if c is None:
                continue
            c = Counter(c)
            own = ents.get((j, j + L))
            if own is not None and own in c:
                c[own] -= 1
            tot = sum(c.values())
            if tot > 0:
                yield j, L, {typ: k / tot for typ, k in c.items() if k > 0}
                hit = L
                break
        j += hit or 1


def block_attributes(sents: list[list[str]], tags: list[list[str]], rank=None) -> list[list[dict]]:
    """Stage-2 attributes ({name: value}) of each token of one document (its sentences and stage-1 tags), without
    the state scores (added by the caller)."""
    forms = [[_forms(t, rank) for t in s] for s in sents]
    tok_c: dict[str, Counter] = defaultdict(Counter)
    bare_c: dict[str, Counter] = defaultdict(Counter)
    ents = [get_entities(tg) for tg in tags]
    for fs, tg in zip(forms, tags):
        for (n, b), y in zip(fs, tg):
            if n:
                tok_c[n][y] += 1
                bare_c[b][y] += 1
    ent_c, first = _entity_strings(forms, ents)
    out = []
    for fs, tg, es in zip(forms, tags, ents):
        n = len(fs)
        rows = []
        for i in range(n):
            y = tg[i]
            d = {"y=" + y: 1.0, "y-1=" + (tg[i - 1] if i else "BOS"): 1.0,
                 "y+1=" + (tg[i + 1] if i + 1 < n else "EOS"): 1.0}
            w, b = fs[i]
            if w:
                _dist("tk=", tok_c[w], y, d)
                _dist("tb=", bare_c[b], y, d)
            rows.append(d)
        # entity strings stage 1 tagged somewhere in the document, matched here
        for j, L, share in _entity_string_hits(fs, es, ent_c, first):
            for typ, v in share.items():
                rows[j]["esB=" + typ] = v
                for i in range(j + 1, j + L):
                    rows[i]["esI=" + typ] = v
        out.append(rows)
    return out


def stage2_items(sents, tags, scores, labels, rank=None, window: int = 40, scale: float = 1.0):
    """Stage-2 attribute dicts of each token of `sents` (blocks of `window` sentences stand in for documents when
    window > 0; else `sents` is one document), the stage-1 state scores S[n, L] (columns in `labels` order)
    added as real-valued attributes s=LABEL."""
    out: list[list[dict]] = []
    blocks = [(0, len(sents))] if window <= 0 else [(a, min(a + window, len(sents)))
                                                      for a in range(0, len(sents), window)]
    names = ["s=" + y for y in labels]
    for a, b in blocks:
        rows = block_attributes(sents[a:b], tags[a:b], rank)
        for k, r in enumerate(rows):
            S = scores[a + k]
            for i, d in enumerate(r):
                for nm, v in zip(names, S[i].tolist()):
                    d[nm] = v * scale
        out.extend(rows)
    return out


TYPES = ("PER", "ORG", "LOC", "MISC")


class Stage2:
    """Run-time stage 2: the attributes of block_attributes() and stage2_items() summed into state scores with
    numpy over a whole batch of documents (the same scores, up to float rounding), then Viterbi."""

    def __init__(self, model_path, weights_path, labels1: list[str], rank=None):
        import numpy as np

        from .fastcrf import FastCRF, load_for_model

        labels, index, A, T, self.model_sha1 = load_for_model(model_path, weights_path)
        self.dec = FastCRF(None, labels, index, A, T)
        self.labels1 = list(labels1)
        self.rank = rank
        L2 = len(labels)
        zero = np.zeros(L2)

        def rows(names):
            return np.array([A[index[n]] if n in index else zero for n in names])

        l1 = self.labels1
        self.Ws = rows(["s=" + y for y in l1])
        self.Wy = rows(["y=" + y for y in l1])
        self.Wyp = rows(["y-1=" + y for y in l1] + ["y-1=BOS"])
        self.Wyn = rows(["y+1=" + y for y in l1] + ["y+1=EOS"])
        self.Wtk = rows(["tk=" + y for y in l1])
        self.Wtb = rows(["tb=" + y for y in l1])
        self.WesB = rows(["esB=" + t for t in TYPES])
        self.WesI = rows(["esI=" + t for t in TYPES])
        self._lid = {y: i for i, y in enumerate(l1)}
        self._tid = {t: i for i, t in enumerate(TYPES)}

    def tag_docs(self, docs: list[list[list[str]]], S1, starts, lens, tags1: list[list[str]]) -> list[list[str]]:
        """Stage-2 tags of every sentence: `docs` the documents' sentences (non-empty token lists, in the order of
        S1's stacked sequences), S1/starts/lens the stage-1 state scores (FastCRF.scores_many), tags1 its tags."""
        import numpy as np

        N = len(S1)
        lid = self._lid
        y = np.fromiter((lid[t] for tg in tags1 for t in tg), dtype=np.intp, count=N)
        S2 = S1 @ self.Ws
        S2 += self.Wy[y]
        ends = starts + lens
        L1 = len(self.labels1)
        yp = np.empty(N, dtype=np.intp)
        yp[1:] = y[:-1]
        yp[starts] = L1
        yn = np.empty(N, dtype=np.intp)
        yn[:-1] = y[1:]
        yn[ends - 1] = L1
        S2 += self.Wyp[yp]
        S2 += self.Wyn[yn]
        # other occurrences of the same form / bare form in the same document
        rank = self.rank
        tk_ids: dict = {}
        tb_ids: dict = {}
        tk = np.full(N, -1, dtype=np.intp)
        tb = np.full(N, -1, dtype=np.intp)
        pos = 0
        doc_forms = []
        for d, sents in enumerate(docs):
            fl = []
            for s in sents:
                fs = [_forms(t, rank) for t in s]
                fl.append(fs)
                for n, b in fs:
                    if n:
                        tk[pos] = tk_ids.setdefault((d, n), len(tk_ids))
                        tb[pos] = tb_ids.setdefault((d, b), len(tb_ids))
                    pos += 1
            doc_forms.append(fl)
        for ids, nid, W in ((tk, len(tk_ids), self.Wtk), (tb, len(tb_ids), self.Wtb)):
            if not nid:
                continue
            m = np.flatnonzero(ids >= 0)
            C = np.zeros((nid, L1))
            np.add.at(C, (ids[m], y[m]), 1.0)
            cnt = C[ids[m]]
            cnt[np.arange(len(m)), y[m]] -= 1.0
            tot = cnt.sum(axis=1)
            ok = tot > 0
            S2[m[ok]] += (cnt[ok] / tot[ok, None]) @ W
        # entity strings tagged elsewhere in the document
        at_pos: list[int] = []
        at_val: list[np.ndarray] = []
        s0 = 0
        si = 0
        tid = self._tid
        for d, fl in enumerate(doc_forms):
            tg_doc = tags1[si:si + len(fl)]
            doc_ents = [get_entities(tg) for tg in tg_doc]
            ent_c, first = _entity_strings(fl, doc_ents)
            base = s0
            if ent_c:
                for fs, es in zip(fl, doc_ents):
                    for j, L, share in _entity_string_hits(fs, es, ent_c, first):
                        vb = 0.0
                        vi = 0.0
                        for typ, v in share.items():
                            vb = vb + v * self.WesB[tid[typ]]
                            vi = vi + v * self.WesI[tid[typ]]
                        at_pos.append(base + j)
                        at_val.append(vb)
                        for i in range(j + 1, j + L):
                            at_pos.append(base + i)
                            at_val.append(vi)
                    base += len(fs)
            s0 += sum(map(len, fl))
            si += len(fl)
        if at_pos:
            np.add.at(S2, np.array(at_pos, dtype=np.intp), np.array(at_val))
        return self.dec.viterbi_many(S2, starts, lens)
