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
from pathlib import Path

import numpy as np

WEIGHTS_FORMAT = 1


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
        zero = np.zeros(self.L)
        self._zero = zero

        def vec(name):
            i = index.get(name)
            return A[i].copy() if i is not None else zero.copy()

        self._bias = vec("bias")
        self._bos, self._bos2 = vec("BOS"), vec("BOS2")
        self._eos, self._eos2 = vec("EOS"), vec("EOS2")
        self.cache_size = cache_size
        self._reset_cache()

    # -- per-word cache ------------------------------------------------------
    def _reset_cache(self, cap: int = 4096):
        self._wcache: dict[str, tuple] = {}
        # E[k]: own(0) / as -1 (1) / as +1 (2) / as -2 (3) / as +2 (4) score vectors
        self._E = np.zeros((5, cap, self.L))
        self._n = 0
        self._gen = getattr(self, "_gen", 0) + 1

    def clear_cache(self):
        self._reset_cache()

    def _add_words(self, words: list[str]) -> None:
        """Cache the five summed score vectors of each (new, distinct) word in `words`."""
        if self._n + len(words) > self.cache_size:
            self._reset_cache()
        k0 = self._n
        need = k0 + len(words)
        if need > self._E.shape[1]:
            cap = self._E.shape[1]
            while cap < need:
                cap *= 2
            E = np.zeros((5, cap, self.L))
            E[:, :k0] = self._E[:, :k0]
            self._E = E
        index = self.index
        zero_row = self._zero_row
        fx = self.features
        gf = fx.res.gaz_first
        wc = self._wcache
        # one flat list of attribute rows per (role, word) segment; every segment
        # starts with the all-zero row so that none is empty (np.add.reduceat)
        flat: list[int] = []
        starts: list[list[int]] = [[], [], [], [], []]
        for k, w in enumerate(words, k0):
            info = fx._word_info(w)
            for role in range(5):
                starts[role].append(len(flat))
                flat.append(zero_row)
                flat.extend(j for j in map(index.get, info[role]) if j is not None)
            wc[w] = (k, info, info[5] in gf or info[6] in gf or info[7] in gf)
        sums = np.add.reduceat(self.A[flat], np.array(starts, dtype=np.intp).T.ravel(), axis=0)
        self._E[:, k0:need] = sums.reshape(len(words), 5, self.L).transpose(1, 0, 2)
        self._n = need

    # -- scoring -------------------------------------------------------------
    def scores(self, tokens: list[str]) -> np.ndarray:
        """State scores S[n, L] (the same sums CRFsuite computes)."""
        wc = self._wcache
        get = wc.get
        new = [t for t in tokens if t not in wc]
        if new:
            self._add_words(list(dict.fromkeys(new)))
            get = self._wcache.get
        ents = [get(t) for t in tokens]
        n = len(ents)
        idx = np.fromiter((c[0] for c in ents), dtype=np.intp, count=n)
        E = self._E
        S = E[0, idx] + self._bias
        S[0] += self._bos
        S[n - 1] += self._eos
        if n > 1:
            S[1:] += E[1, idx[:-1]]
            S[:-1] += E[2, idx[1:]]
            S[1] += self._bos2
            S[n - 2] += self._eos2
            if n > 2:
                S[2:] += E[3, idx[:-2]]
                S[:-2] += E[4, idx[2:]]
            # dynamic bigram / trigram attributes
            index = self.index
            A = self.A
            bares = [c[1][7] for c in ents]
            for i in range(1, n):
                j = index.get("bg-=" + bares[i - 1] + "|" + bares[i])
                if j is not None:
                    S[i] += A[j]
                j = index.get("bg+=" + bares[i - 1] + "|" + bares[i])
                if j is not None:
                    S[i - 1] += A[j]
                if i > 1:
                    j = index.get("tg-=" + bares[i - 2] + "|" + bares[i - 1])
                    if j is not None:
                        S[i] += A[j]
        if any(c[2] for c in ents):
            gaz = self.features._gazetteer([c[1] for c in ents])
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
                if nm:
                    for a in nm:
                        j = self.index.get(a)
                        if j is not None:
                            S[i] += self.A[j]
        return S

    # -- decoding ------------------------------------------------------------
    def viterbi(self, S: np.ndarray) -> list[int]:
        """Label ids of the best path; ties go to the last label id, as in CRFsuite
        (`vmax <= score`). Run in reversed label order, where numpy's first-index argmax
        is CRFsuite's last-index rule."""
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

    def tag(self, tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        labels = self.labels
        return [labels[y] for y in self.viterbi(self.scores(tokens))]
