"""Hashed features for the topic classifier, shared by training (``training/train_subject.py``) and the ``topic``
stage so that both see exactly the same features.

A document becomes the folded (search view: hamza/alef, ى, ة folds, no diacritics) words of its text,
light-stemmed (the article ``ال`` and a leading conjunction/preposition ``و ف ب ل ك`` before it are removed,
as are the plural/feminine suffixes ``ات ون ين ه``).  The feature vector has four blocks:

* text: word unigrams and bigrams of title + text, and the title's words again (``t:``), hashed with CRC-32 into
  ``2**bits`` buckets, ``log(1 + count)`` times the bucket's IDF (shipped with the model), unit L2 norm;
* URL: the words of the URL path (``/middle-east/`` → ``middle``, ``east``) in ``2**ubits`` buckets, unit norm
  times ``URL_WEIGHT``.  **The shipped model does not use this block** (its weights are zero and the ``topic``
  stage never passes the path): ANT's URL paths spell the outlet's section, i.e. the label, so reading them is
  leakage; it stays for experiments only;
* outlet × text and outlet × URL: when the outlet is known (``meta.outlet`` or the URL's host, normalised by
  :func:`outlet_key`), the same values again in the outlet's own copy of the space (a per-outlet permutation of the
  buckets): the labels are outlet-specific (what CNN files under "middle-east" BBC may file under "world"), so
  the model learns per-outlet corrections on top of the shared weights.  An unknown outlet gets the shared part only.
Only the standard library and numpy.
"""
from __future__ import annotations

import re
import zlib

import numpy as np

from ..text.normalize import fold, normalize

BITS = 18
UBITS = 10
URL_WEIGHT = 1.0
_WORD = re.compile(r"[\u0621-\u064a]{2,}|[a-z]{2,}")
_PREFIX = re.compile(r"^(?:[وف]?(?:[بلك]?ال|لل))(?=..)")
_SUFFIX = re.compile(r"(?:ات|ون|ين|ه|ها)$")
_URL_WORD = re.compile(r"[a-z]{2,}")
_STEM_CACHE: dict[str, str] = {}
# outlet names / hosts → a short key (the outlets of the training corpus; others are "unknown" = no interactions)
_OUTLETS = (("alarabiya", "alarabia"), ("alarabia", "alarabia"), ("العربية", "alarabia"),
            ("skynews", "skynews"), ("sky news", "skynews"), ("سكاي", "skynews"),
            ("cnn", "CNN"), ("bbc", "BBC"), ("بي بي سي", "BBC"))
_URL_STOP = {"http", "https", "www", "com", "net", "org", "co", "uk", "ar", "arabic", "html", "htm", "php", "aspx",
             "amp", "index", "article", "web", "video", "videos", "news", "alarabiya", "skynewsarabia", "cnn",
             "bbc", "arabic", "id"}


def stem(w: str) -> str:
    s = _STEM_CACHE.get(w)
    if s is None:
        s = _PREFIX.sub("", w)
        if len(s) > 4:
            s = _SUFFIX.sub("", s)
        if len(_STEM_CACHE) < 300_000:
            _STEM_CACHE[w] = s
    return s


def words(text: str) -> list[str]:
    ws = _WORD.findall(fold(text, search=True))
    out = list(map(_STEM_CACHE.get, ws))  # a stem is never empty: None = not cached yet
    if None in out:
        for k, s in enumerate(out):
            if s is None:
                out[k] = stem(ws[k])
    return out


def outlet_key(outlet: str | None = None, url: str | None = None) -> str | None:
    """The training outlet an ``outlet`` name or a URL's host refers to, or None."""
    for s in (outlet, re.sub(r"^[a-z]+://", "", (url or "").lower()).split("/")[0] if url else None):
        if not s:
            continue
        s = str(s).lower()
        for k, v in _OUTLETS:
            if k in s:
                return v
    return None


def url_words(url: str | None) -> list[str]:
    """Lower-case Latin words of a URL's path (not its host, not ids, not generic parts)."""
    if not url:
        return []
    path = re.sub(r"^[a-z]+://[^/]*", "", url.lower())
    return [w for w in _URL_WORD.findall(path) if w not in _URL_STOP][:8]


def _base(text: str, title: str | None, max_words: int) -> list[str]:
    ws = words(((title + "\n") if title else "") + text)[:max_words]
    feats: list[str] = ws + [f"{a} {b}" for a, b in zip(ws, ws[1:])]
    if title:
        feats += ["t:" + w for w in words(title)[:40]]
    return feats


def _counts(feats: list[str], mask: int) -> tuple[np.ndarray, np.ndarray]:
    crc = zlib.crc32
    if not feats:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx, cnt = np.unique(np.fromiter((crc(f.encode()) & mask for f in feats), dtype=np.int64, count=len(feats)),
                         return_counts=True)
    return idx, cnt.astype(np.float32)


_LAST_VIEW: tuple = (None, None)  # (a text, its search view): the last one search_view() made


def search_view(text: str):
    """``normalize(text, search=True)``, made once for a text read twice in a row: the topic stage folds the
    article's text for its subject, then for its geography (the same object: checked by identity, and the slot
    holds the text, so its id cannot be reused)."""
    last = _LAST_VIEW
    if last[0] is text:
        return last[1]
    view = normalize(text, search=True)
    globals()["_LAST_VIEW"] = (text, view)
    return view


def _word_crcs(text: str, title: str | None, max_words: int) -> tuple[list[int], tuple[bytes, ...]]:
    """For each of the first ``max_words`` words of ``title`` + newline + ``text`` (those of :func:`words`): the
    CRC-32 of its stem's UTF-8 bytes, and those bytes after a space.  One look-up per word in a bounded cache keyed
    by the folded word (where words() and then the CRCs took three, each a cold access into a large table).  The
    title and the text are folded apart (folding maps character by character, the newline to itself, and no word
    spans a newline: the same words), the text by :func:`search_view`, which geography reads next."""
    ws = _WORD.findall(search_view(text).text)
    if title:
        ws = _WORD.findall(fold(title, search=True)) + ws
    ws = ws[:max_words]
    recs = list(map(_WORD_CRC_GET, ws))
    if None in recs:
        crc = zlib.crc32
        for k, r in enumerate(recs):
            if r is None:
                b = stem(ws[k]).encode()
                recs[k] = r = (crc(b), b" " + b)
                if len(_WORD_CRC) < 300_000:
                    _WORD_CRC[ws[k]] = r
    if not recs:
        return [], ()
    full, spaced = zip(*recs)
    return list(full), spaced


def _text_counts(text: str, title: str | None, max_words: int, mask: int) -> tuple[np.ndarray, np.ndarray]:
    """``_counts(_base(text, title, max_words), mask)`` without building the feature strings: the CRC-32 of a
    bigram ``a b`` is the CRC-32 of ``b" " + b`` continued from the CRC-32 of ``a`` (the same numbers)."""
    full, spaced = _word_crcs(text, title, max_words)
    if not full and not title:
        return _counts([], mask)
    crc = zlib.crc32
    hs = full + list(map(crc, spaced[1:], full[:-1]))
    if title:
        t0 = crc(b"t:")
        hs += [crc(w.encode(), t0) for w in words(title)[:40]]
    if not hs:
        return _counts([], mask)
    idx, cnt = np.unique(np.array(hs, dtype=np.int64) & mask, return_counts=True)
    return idx, cnt.astype(np.float32)


_WORD_CRC: dict[str, tuple[int, bytes]] = {}  # folded word -> (CRC-32 of its stem's bytes, b" " + those bytes)
_WORD_CRC_GET = _WORD_CRC.get


def raw(text: str, bits: int = BITS, ubits: int = UBITS, max_words: int = 1500, title: str | None = None,
        outlet: str | None = None, url: str | None = None):
    """The hashed counts of a document before weighting: (text idx, text counts, url idx, url counts, outlet key)."""
    ti, tc = _text_counts(text, title, max_words, (1 << bits) - 1)
    ui, uc = _counts(url_words(url), (1 << ubits) - 1) if url else _counts([], 1)
    return ti, tc, ui, uc, outlet_key(outlet, url)


def _perm(idx: np.ndarray, key: str, mask: int) -> np.ndarray:
    """A per-outlet bijection of bucket indices (the outlet's own copy of every feature)."""
    h = zlib.crc32(key.encode())
    return ((idx * (2 * (h & 0xFFFF) + 1)) + (h >> 16)) & mask


def assemble(r, bits: int = BITS, ubits: int = UBITS, idf: np.ndarray | None = None, use_url: bool = True,
             use_outlet: bool = True, url_weight: float = URL_WEIGHT) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values) of a document from :func:`raw`: blocks [text | URL | outlet×text | outlet×URL], each
    block log-counts (times IDF for text) scaled to unit L2 norm (URL blocks to ``url_weight``)."""
    ti, tc, ui, uc, o = r
    D, Du = 1 << bits, 1 << ubits
    tv = np.log1p(tc)
    if idf is not None and len(ti):
        tv = tv * idf[ti]
    n = np.sqrt((tv * tv).sum())
    if n:
        tv = tv / n
    parts_i, parts_v = [ti], [tv]
    uv = None
    if use_url and len(ui):
        uv = np.log1p(uc)
        uv = uv / np.sqrt((uv * uv).sum()) * url_weight
        parts_i.append(ui + D); parts_v.append(uv)
    if use_outlet and o:
        parts_i.append(_perm(ti, o, D - 1) + D + Du); parts_v.append(tv)
        if uv is not None:
            parts_i.append(_perm(ui, o, Du - 1) + 2 * D + Du); parts_v.append(uv)
    if len(parts_i) == 1:  # the text block alone: its indices are already sorted and distinct (np.unique)
        return ti, tv.astype(np.float32)
    idx = np.concatenate(parts_i)
    val = np.concatenate(parts_v).astype(np.float32)
    order = np.argsort(idx, kind="stable")
    idx, val = idx[order], val[order]
    if len(idx) > 1 and (np.diff(idx) == 0).any():  # a permuted bucket may meet another: add them up
        u, inv = np.unique(idx, return_inverse=True)
        val = np.bincount(inv, weights=val).astype(np.float32)
        idx = u
    return idx, val


def dim(bits: int = BITS, ubits: int = UBITS) -> int:
    return 2 * ((1 << bits) + (1 << ubits))


def hashed(text: str, bits: int = BITS, max_words: int = 1500, title: str | None = None, outlet: str | None = None,
           url: str | None = None, idf: np.ndarray | None = None, use_url: bool = True, use_outlet: bool = True,
           ubits: int = UBITS, url_weight: float = URL_WEIGHT) -> tuple[np.ndarray, np.ndarray]:
    """(sorted indices, values) of one document (``title`` is prepended to ``text``) in a space of
    :func:`dim` dimensions."""
    return assemble(raw(text, bits, ubits, max_words, title, outlet, url if use_url else None), bits, ubits, idf,
                    use_url, use_outlet, url_weight)
