"""Exact, fast Viterbi decoding of the khabar CRFsuite NER model (numpy only).

The CRFsuite model (``model.crfsuite``, a CRF1d "lCRF" file) is exported once to
``weights.npz``: attribute names, state weights and transition weights as stored
in the model (float64, so the decoded tags equal ``pycrfsuite.Tagger.tag``).
pycrfsuite's ``Tagger.info()`` is *not* used for the export: it reads the model's
text dump, whose weights are rounded to 6 decimals.

Decoding follows CRFsuite: every attribute string has value 1.0 (pycrfsuite does
not parse ``attr:value`` from plain strings), attributes unknown to the model are
ignored, the score of label y at token t is the sum of the weights of its
attributes, and Viterbi breaks ties towards the *last* label id (CRFsuite's
``vmax <= score``).

Speed: the attributes of a token that depend on one word only (its own features
and its view as the word at -2/-1/+1/+2) are summed once per distinct word and
cached as rows of score matrices; a sentence's score matrix is then five
gathers plus the few dynamic attributes (bigrams, gazetteer, BOS/EOS).
"""
from __future__ import annotations

import struct
from itertools import chain, repeat
from pathlib import Path

import numpy as np

WEIGHTS_FORMAT = 1
# new words met before the shipped word table (khabar.ner.wordtable) is read: reading it costs about as much as
# computing the features of 1,000-2,000 new words, so one short article does not load it
LAZY_WORDS = 2000


# ----------------------------------------------------------------- model file
def _cqdb_strings(buf: bytes, off: int) -> list[str]:
    """id -> string of a CQDB chunk (its backward array)."""
    if buf[off:off + 4] != b"CQDB":
        raise ValueError("not a CQDB chunk")
    _size, _flag, _order, bwd_size, bwd_off = struct.unpack_from("<IIIII", buf, off + 4)
    out = []
    ptrs = struct.unpack_from(f"<{bwd_size}I", buf, off + bwd_off)
    for i, p in enumerate(ptrs):
        rid, ksize = struct.unpack_from("<II", buf, off + p)
        if rid != i:
            raise ValueError("bad CQDB record")
        out.append(buf[off + p + 8:off + p + 8 + ksize - 1].decode("utf-8"))
    return out


def read_crfsuite_model(path: str | Path):
    """(labels, attrs, A_rows, A_cols, A_vals, T) from a CRFsuite CRF1d model file.

    State features: attribute A_rows[k] with label A_cols[k] has weight A_vals[k];
    T[i, j] is the weight of the transition label i -> label j (float64, exact)."""
    buf = Path(path).read_bytes()
    if buf[:4] != b"lCRF" or buf[8:12] != b"FOMC":
        raise ValueError(f"{path}: not a CRFsuite CRF1d model")
    (_ver, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs,
     _off_lrefs, _off_arefs) = struct.unpack_from("<9I", buf, 12)
    if buf[off_feat:off_feat + 4] != b"FEAT":
        raise ValueError("bad feature chunk")
    _size, nfeat = struct.unpack_from("<II", buf, off_feat + 4)
    rec = np.frombuffer(buf, dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"),
                                             ("w", "<f8")]), count=nfeat, offset=off_feat + 12)
    labels = _cqdb_strings(buf, off_labels)
    attrs = _cqdb_strings(buf, off_attrs)
    if len(labels) != n_labels or len(attrs) != n_attrs:
        raise ValueError("label/attribute count mismatch")
    st = rec["type"] == 0
    tr = rec["type"] == 1
    T = np.zeros((n_labels, n_labels), dtype=np.float64)
    np.add.at(T, (rec["src"][tr], rec["dst"][tr]), rec["w"][tr])
    return (labels, attrs, rec["src"][st].astype(np.int32), rec["dst"][st].astype(np.int8),
            rec["w"][st].astype(np.float64), T)


def model_digest(model_path: str | Path) -> str:
    import hashlib

    return hashlib.sha1(Path(model_path).read_bytes()).hexdigest()


def weights_from_model(model_path: str | Path) -> dict:
    """The arrays stored in weights.npz, read from a CRFsuite model file."""
    labels, attrs, rows, cols, vals, T = read_crfsuite_model(model_path)
    blob = "\0".join(attrs).encode("utf-8")
    return {"format": np.array(WEIGHTS_FORMAT), "labels": np.array("\0".join(labels)),
            "attrs": np.frombuffer(blob, dtype=np.uint8), "rows": rows, "cols": cols,
            "vals": vals, "T": T, "model_sha1": np.array(model_digest(model_path))}


def export_weights(model_path: str | Path, out_path: str | Path) -> Path:
    """Write the model's weights to `out_path` (compressed .npz; attribute names joined by NUL,
    float64 weights exactly as in the model, the model's SHA-1 to detect a stale export)."""
    out_path = Path(out_path)
    arrays = weights_from_model(model_path)
    tmp = out_path.with_name(out_path.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(out_path)
    return out_path


def _unpack(z):
    if int(z["format"]) != WEIGHTS_FORMAT:
        raise ValueError("unknown weights format")
    labels = str(z["labels"]).split("\0")
    attrs = z["attrs"].tobytes().decode("utf-8").split("\0")
    rows, cols, vals, T = z["rows"], z["cols"], z["vals"], z["T"]
    A = np.zeros((len(attrs), len(labels)), dtype=np.float64)
    A[rows, cols.astype(np.intp)] = vals
    index = {a: i for i, a in enumerate(attrs)}
    return labels, index, A, np.asarray(T, dtype=np.float64), str(z["model_sha1"])


def load_weights(path: str | Path):
    """(labels, attr->row dict, dense A[n_attrs, n_labels] float64, T float64, model_sha1)."""
    with np.load(path, allow_pickle=False) as z:
        return _unpack(z)


def load_for_model(model_path: str | Path, weights_path: str | Path | None = None):
    """load_weights() of the export of `model_path`, (re)exporting it when missing or stale.
    A stale/missing export is rewritten when the directory is writable, else kept in memory."""
    model_path = Path(model_path)
    wp = Path(weights_path) if weights_path else model_path.with_name("weights.npz")
    digest = model_digest(model_path)
    if wp.exists():
        try:
            w = load_weights(wp)
            if w[4] == digest:
                return w
        except (ValueError, KeyError, OSError):
            pass
    try:
        export_weights(model_path, wp)
        return load_weights(wp)
    except OSError:
        return _unpack(weights_from_model(model_path))


# ------------------------------------------------------------------- decoder
_PAIR_PREFIXES = ("bg-=", "tg-=", "bg+=")  # in the order their weights are added to a token
_SEG = "\0"  # no attribute name contains NUL: marks the start of a score segment in _add_words


class FastCRF:
    """Viterbi decoder of a CRFsuite model on FeatureExtractor's features."""

    def __init__(self, features, labels, index, A, T, cache_size: int = 300_000):
        self.features = features
        self.labels = list(labels)
        self.L = len(self.labels)
        self.index = index
        # A gets an extra all-zero last row (see _add_words)
        self._zero_row = A.shape[0]
        self.A = np.vstack([A, np.zeros((1, A.shape[1]))])
        self.T = np.ascontiguousarray(T)
        self.T_rr = np.ascontiguousarray(T[::-1, ::-1])  # reversed label order (see viterbi)
        # label name of a label id in reversed order
        self._lab_rev = [self.labels[self.L - 1 - y] for y in range(self.L)]
        zero = np.zeros(self.L)
        self._zero = zero

        def vec(name):
            i = index.get(name)
            return A[i].copy() if i is not None else zero.copy()

        self._bias = vec("bias")
        self._bos, self._bos2 = vec("BOS"), vec("BOS2")
        self._eos, self._eos2 = vec("EOS"), vec("EOS2")
        # attribute -> row, and the segment marker -> the all-zero row (see _add_words)
        self._aidx = dict(index)
        self._aidx[_SEG] = self._zero_row
        self._init_pairs(index)
        self.cache_size = cache_size
        self.table = None  # a khabar.ner.wordtable.WordTable, set by the tagger when a fresh one ships
        # or: a callable that returns one (or None), called once LAZY_WORDS new words have been met
        self.table_loader = None
        self._new_seen = 0
        self._reset_cache()

    def _init_pairs(self, index) -> None:
        """Pair attributes ("bg-=a|b", "tg-=a|b", "bg+=a|b") as sorted int64 keys a_id*V+b_id
        over the bare forms that occur in them (every split at a '|' is indexed, so a bare
        form containing '|' still finds its attribute), with their rows of A."""
        bare_id: dict[str, int] = {}
        tables = []
        for pfx in _PAIR_PREFIXES:
            pairs, rows = [], []
            for a, j in index.items():
                if not a.startswith(pfx):
                    continue
                s = a[len(pfx):]
                k = s.find("|")
                while k >= 0:
                    left, right = s[:k], s[k + 1:]
                    il = bare_id.setdefault(left, len(bare_id))
                    pairs.append((il, bare_id.setdefault(right, len(bare_id))))
                    rows.append(j)
                    k = s.find("|", k + 1)
            tables.append((pairs, rows))
        V = max(len(bare_id), 1)
        self._V = V
        self._bare_id = bare_id
        self._pairs = []
        for pairs, rows in tables:
            K = np.array([a * V + b for a, b in pairs], dtype=np.int64)
            R = np.array(rows, dtype=np.intp)
            o = np.argsort(K, kind="stable")
            self._pairs.append((K[o], R[o]))

    # -- per-word cache ------------------------------------------------------
    def _reset_cache(self, cap: int = 4096):
        # word -> row k of the cache; row 0 is a permanent all-zero row
        self._wid: dict[str, int] = {}
        self._infos: list = [None]
        # E[r, k]: own(0) / as -1 (1) / as +1 (2) / as -2 (3) / as +2 (4) score vectors
        self._E = np.zeros((5, cap, self.L))
        self._bid = np.full(cap, -1, dtype=np.int64)  # id of the bare form in pair attributes
        self._gfl = np.zeros(cap, dtype=bool)  # may start a gazetteer entry
        self._n = 1
        self._gen = getattr(self, "_gen", 0) + 1

    def clear_cache(self):
        self._reset_cache()

    def _add_words(self, words: list[str]) -> None:
        """Cache the five summed score vectors of each (new, distinct) word in `words`."""
        if self.table_loader is not None:
            self._new_seen += len(words)
            if self._new_seen >= LAZY_WORDS:
                loader, self.table_loader = self.table_loader, None
                self.table = loader()
        k0 = self._n
        need = k0 + len(words)
        cap = self._E.shape[1]
        if need > cap:
            while cap < need:
                cap *= 2
            E = np.zeros((5, cap, self.L))
            E[:, :k0] = self._E[:, :k0]
            self._E = E
            bid = np.full(cap, -1, dtype=np.int64)
            bid[:k0] = self._bid[:k0]
            self._bid = bid
            gfl = np.zeros(cap, dtype=bool)
            gfl[:k0] = self._gfl[:k0]
            self._gfl = gfl
        wid = self._wid
        infos = self._infos
        table = self.table
        if table is not None:
            # the words of the shipped table (khabar.ner.wordtable): their vectors are copied, their feature
            # strings are made only when a gazetteer lookup needs them (infos holds the word until then)
            trow = table.row
            hit_k: list[int] = []
            hit_t: list[int] = []
            rest: list[str] = []
            for k, w in enumerate(words, k0):
                wid[w] = k
                t = trow.get(w)
                if t is None:
                    rest.append(w)
                    infos.append(None)
                else:
                    hit_k.append(k)
                    hit_t.append(t)
                    infos.append(w)
            if hit_k:
                table.fill(self._E, self._bid, self._gfl, hit_k, hit_t)
            if rest:
                ks = np.fromiter(map(wid.__getitem__, rest), dtype=np.intp, count=len(rest))
                self._compute(rest, ks)
        else:
            for k, w in enumerate(words, k0):
                wid[w] = k
            infos.extend([None] * len(words))
            self._compute(words, slice(k0, need))
        self._n = need

    def _compute(self, words: list[str], ks) -> None:
        """The five summed score vectors of `words` (from their features), into cache rows `ks`."""
        wi = self.features._word_info
        gf = self.features.res.gaz_first
        bare_id = self._bare_id
        infos = self._infos
        # one flat list of attributes per (word, role) segment; every segment starts with
        # the marker (the all-zero row) so that none is empty (np.add.reduceat)
        attrs: list[str] = []
        bids: list[int] = []
        gfls: list[bool] = []
        wid = self._wid
        for w in words:
            info = wi(w)
            for role in range(5):
                attrs.append(_SEG)
                attrs.extend(info[role])
            infos[wid[w]] = info
            bids.append(bare_id.get(info[7], -1))
            gfls.append(info[5] in gf or info[6] in gf or info[7] in gf)
        rows = np.fromiter(map(self._aidx.get, attrs, repeat(-1, len(attrs))), dtype=np.intp,
                           count=len(attrs))
        keep = rows >= 0  # attributes unknown to the model are dropped
        starts = np.flatnonzero(rows[keep] == self._zero_row)
        # (the zero row is only ever the segment marker: no attribute maps to it)
        sums = np.add.reduceat(self.A[rows[keep]], starts, axis=0)
        self._E[:, ks] = sums.reshape(len(words), 5, self.L).transpose(1, 0, 2)
        self._bid[ks] = bids
        self._gfl[ks] = gfls

    # -- scoring -------------------------------------------------------------
    def scores(self, tokens: list[str]) -> np.ndarray:
        """State scores S[n, L] (the same sums CRFsuite computes)."""
        return self.scores_many([tokens])[0]

    def scores_many(self, seqs: list[list[str]]):
        """(S, idx, starts, lens): the state scores of all (non-empty) token sequences
        stacked into one S[N, L]; sequence b is S[starts[b]:starts[b] + lens[b]].

        Every element of S gets exactly the additions, in the same order, as when its
        sequence is scored alone (adding is elementwise, so one numpy operation per
        role and document gives the same floats as one per sentence)."""
        lens = np.fromiter(map(len, seqs), dtype=np.intp, count=len(seqs))
        toks = list(chain.from_iterable(seqs))
        N = len(toks)
        wid = self._wid
        new = [w for w in dict.fromkeys(toks) if w not in wid]
        if new:
            if self._n + len(new) > self.cache_size and self._n > 1:
                self._reset_cache()
                new = list(dict.fromkeys(toks))
            self._add_words(new)
            wid = self._wid
        idx = np.fromiter(map(wid.__getitem__, toks), dtype=np.intp, count=N)
        ends = np.cumsum(lens)
        starts = ends - lens
        last = ends - 1
        ar = np.arange(N)
        pos = ar - np.repeat(starts, lens)  # position in the sequence
        rem = np.repeat(last, lens) - ar  # tokens after it in the sequence
        E = self._E
        S = E[0, idx] + self._bias
        S[starts] += self._bos
        S[last] += self._eos
        hp = np.flatnonzero(pos >= 1)
        S[hp] += E[1, idx[hp - 1]]
        hn = np.flatnonzero(rem >= 1)
        S[hn] += E[2, idx[hn + 1]]
        multi = lens > 1
        if multi.any():
            S[starts[multi] + 1] += self._bos2
            S[ends[multi] - 2] += self._eos2
            h2 = np.flatnonzero(pos >= 2)
            if len(h2):
                S[h2] += E[3, idx[h2 - 2]]
                n2 = np.flatnonzero(rem >= 2)
                S[n2] += E[4, idx[n2 + 2]]
            # pair attributes of tokens (k, k+1): bg- to k+1, then tg- to k+2, then bg+ to k
            bid = self._bid[idx]
            kk = np.flatnonzero((rem[:-1] >= 1) & (bid[:-1] >= 0) & (bid[1:] >= 0))
            if len(kk):
                key = bid[kk] * self._V + bid[kk + 1]
                A = self.A
                for t, (K, R) in enumerate(self._pairs):
                    if not len(K):
                        continue
                    p = np.searchsorted(K, key)
                    p[p == len(K)] = 0
                    hit = K[p] == key
                    if t == 1:  # tg-: needs a token k+2 in the sequence
                        hit &= rem[kk] >= 2
                    if not hit.any():
                        continue
                    tgt = kk[hit] + (1, 2, 0)[t]
                    S[tgt] += A[R[p[hit]]]
        gfl = self._gfl[idx]
        if gfl.any():
            cs = np.concatenate(([0], np.cumsum(gfl)))
            infos = self._infos
            index = self.index
            A = self.A
            gaz_f = self.features._gazetteer
            forms = self.features.gaz_forms
            at_pos: list[int] = []  # S[at_pos[k]] += A[at_row[k]], in this order (np.add.at adds in order)
            at_row: list[int] = []
            for b in np.flatnonzero(cs[ends] > cs[starts]).tolist():
                s0 = int(starts[b])
                n = int(lens[b])
                ks = idx[s0:s0 + n].tolist()
                sent_infos = [infos[k] for k in ks]
                if str in set(map(type, sent_infos)):  # a table word's forms, made now (once)
                    for i, x in enumerate(sent_infos):
                        if type(x) is str:
                            sent_infos[i] = infos[ks[i]] = forms(x)
                gaz = gaz_f(sent_infos, np.flatnonzero(gfl[s0:s0 + n]).tolist())
                names: list[list[str]] = [[] for _ in range(n)]
                for i, gs in enumerate(gaz):
                    if not gs:
                        continue
                    names[i].extend(gs)
                    if i + 1 < n:
                        names[i + 1].extend("-1" + g for g in gs)
                    if i > 0:
                        names[i - 1].extend("+1" + g for g in gs)
                for i, nm in enumerate(names):
                    for a in nm:
                        j = index.get(a)
                        if j is not None:
                            at_pos.append(s0 + i)
                            at_row.append(j)
            if at_pos:
                np.add.at(S, np.array(at_pos, dtype=np.intp), A[np.array(at_row, dtype=np.intp)])
        return S, idx, starts, lens

    # -- decoding ------------------------------------------------------------
    def viterbi(self, S: np.ndarray) -> list[int]:
        """Label ids of the best path; ties go to the last label id, as in CRFsuite
        (`vmax <= score`). Run in reversed label order, where numpy's first-index argmax
        is CRFsuite's last-index rule. (Reference for viterbi_many.)"""
        n, L = S.shape
        last = L - 1
        Sr = S[:, ::-1]
        if n == 1:
            return [last - int(Sr[0].argmax())]
        Tr = self.T_rr
        bp = np.empty((n, L), dtype=np.intp)
        cur = Sr[0]
        for t in range(1, n):
            M = cur[:, None] + Tr
            bp[t] = M.argmax(axis=0)
            cur = M.max(axis=0) + Sr[t]
        y = int(cur.argmax())
        path = [y]
        bpl = bp.tolist()
        for t in range(n - 1, 0, -1):
            y = bpl[t][y]
            path.append(y)
        path.reverse()
        return [last - y for y in path]

    def viterbi_many(self, S: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> list[list[str]]:
        """viterbi() of every sequence S[starts[b]:starts[b] + lens[b]] at once, as label
        names: the sequences, longest first, advance together, one numpy step per position
        (the same elementwise floats, maxima and first-index argmaxes as viterbi())."""
        B = len(lens)
        order = np.argsort(-lens, kind="stable")
        ls = lens[order]
        maxlen = int(ls[0])
        Sr = S[:, ::-1]
        tt = np.arange(maxlen)
        P = np.minimum(starts[order][None, :] + tt[:, None], len(S) - 1)
        Spad = Sr[P]  # (maxlen, B, L); rows past a sequence's end are never used
        act = (ls[None, :] > tt[:, None]).sum(axis=1).tolist()  # sequences still running at t
        Tr = self.T_rr
        L = self.L
        cur = Spad[0].copy()
        bp = np.empty((maxlen, B, L), dtype=np.intp)
        for t in range(1, maxlen):
            k = act[t]
            M = cur[:k, :, None] + Tr
            bp[t, :k] = M.argmax(axis=1)
            cur[:k] = M.max(axis=1) + Spad[t, :k]
        y = cur.argmax(axis=1)
        path = np.empty((maxlen, B), dtype=np.intp)
        ar = np.arange(B)
        for t in range(maxlen - 1, 0, -1):
            k = act[t]
            path[t, :k] = y[:k]
            y[:k] = bp[t, ar[:k], y[:k]]
        path[0] = y
        lab = self._lab_rev
        out: list = [None] * B
        for b, row, n in zip(order.tolist(), path.T.tolist(), ls.tolist()):
            out[b] = list(map(lab.__getitem__, row[:n]))
        return out

    def tag_many(self, seqs: list[list[str]]) -> list[list[str]]:
        """tag() of each token sequence, all scored and decoded together."""
        nonempty = [s for s in seqs if s]
        if not nonempty:
            return [[] for _ in seqs]
        S, _idx, starts, lens = self.scores_many(nonempty)
        tags = iter(self.viterbi_many(S, starts, lens))
        return [next(tags) if s else [] for s in seqs]

    def tag(self, tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        return self.tag_many([tokens])[0]
