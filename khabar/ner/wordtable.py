"""The shipped per-word table of the NER decoder (``resources/ner/wordtable.npz``, built by
``training/build_ner_wordtable.py``): for each frequent word of the news, the five score vectors
:class:`khabar.ner.fastcrf.FastCRF` caches for a word (its own attributes, and its view as the word at -1/+1/-2/+2),
its id in the pair attributes and whether it may start a gazetteer entry -- so that a word's first sight costs a
look-up instead of its feature extraction and weight sums.

The vectors are the decoder's own float64 sums, written bit for bit; the four context views are stored once per
distinct vector (rare words share them) and indexed.  The table records a digest of everything the vectors depend on
(the model, the feature resources, the feature and decoder code): a table whose digest differs is not used.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

FILENAME = "wordtable.npz"
FORMAT = 1
_RESOURCES = ("clusters.tsv.gz", "gazetteer.tsv.gz", "labelprop.tsv.gz")
_CODE = ("features.py", "fastcrf.py")


def digest(model_sha1: str, resource_dir: str | Path) -> str:
    """SHA-1 over what the table's vectors depend on: the model's SHA-1, the feature resources and the code."""
    h = hashlib.sha1(model_sha1.encode("ascii"))
    d = Path(resource_dir)
    for name in _RESOURCES:
        p = d / name
        h.update(name.encode("ascii"))
        h.update(p.read_bytes() if p.exists() else b"-")
    here = Path(__file__).resolve().parent
    for name in _CODE:
        h.update(name.encode("ascii"))
        h.update((here / name).read_bytes())
    return h.hexdigest()


class WordTable:
    """word -> table row; ``fill(E, bid, gfl, ks, rows)`` writes the rows' vectors into a decoder's cache."""

    def __init__(self, words: list[str], own: np.ndarray, ctx: list[tuple[np.ndarray, np.ndarray]],
                 bid: np.ndarray, gfl: np.ndarray):
        self.row = dict(zip(words, range(len(words))))
        self.own = own
        self.ctx = ctx  # role r (1..4): (distinct vectors, index of each word's vector)
        self.bid = bid
        self.gfl = gfl

    def __len__(self) -> int:
        return len(self.row)

    def fill(self, E: np.ndarray, bid: np.ndarray, gfl: np.ndarray, ks, rows) -> None:
        ks = np.asarray(ks, dtype=np.intp)
        rows = np.asarray(rows, dtype=np.intp)
        E[0, ks] = self.own[rows]
        for r, (U, ix) in enumerate(self.ctx, 1):
            E[r, ks] = U[ix[rows]]
        bid[ks] = self.bid[rows]
        gfl[ks] = self.gfl[rows]


def build(tagger, words: list[str], out: str | Path) -> str:
    """Compute the vectors of `words` with the tagger's own decoder and write the table to `out`."""
    from .fastcrf import FastCRF

    fast = tagger._fast
    if fast is None:
        raise ValueError("the word table needs the fast decoder")
    words = list(dict.fromkeys(words))
    if any("\0" in w for w in words):
        raise ValueError("a word contains NUL")
    fc = FastCRF(tagger.features, fast.labels, fast.index, fast.A[:-1], fast.T, cache_size=len(words) + 2)
    fc.features._cache.clear()
    fc._add_words(words)
    n = len(words)
    E = fc._E[:, 1:n + 1]
    arrays = {"format": np.array(FORMAT), "digest": np.array(tagger.wordtable_digest),
              "words": np.frombuffer("\0".join(words).encode("utf-8"), dtype=np.uint8),
              "own": np.ascontiguousarray(E[0]), "bid": fc._bid[1:n + 1].astype(np.int32),
              "gfl": fc._gfl[1:n + 1].copy()}
    sizes = []
    for r in range(1, 5):
        # distinct vectors bit for bit (a float comparison would merge 0.0 and -0.0)
        bits = np.ascontiguousarray(E[r]).view(np.uint64)
        ub, ix = np.unique(bits, axis=0, return_inverse=True)
        arrays[f"ctx{r}"] = ub.view(np.float64)
        arrays[f"ix{r}"] = ix.reshape(-1).astype(np.uint16 if len(ub) < 65536 else np.uint32)
        sizes.append(len(ub))
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(out)
    return f"distinct context vectors {sizes}"


def load(path: str | Path, want_digest: str) -> WordTable | None:
    """The table at `path`, or None when it is missing, of another format or stale (its digest differs)."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if int(z["format"]) != FORMAT or str(z["digest"]) != want_digest:
                return None
            words = z["words"].tobytes().decode("utf-8").split("\0")
            ctx = [(z[f"ctx{r}"], z[f"ix{r}"]) for r in range(1, 5)]
            return WordTable(words, z["own"], ctx, z["bid"].astype(np.int64), z["gfl"])
    except (ValueError, KeyError, OSError):
        return None
