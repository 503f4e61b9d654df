"""Hashed features for the topic classifier, shared by training (``training/train_topic.py``) and the ``topic``
stage so that both see exactly the same features.

A document becomes the folded (search view: hamza/alef, ى, ة folds, no diacritics) words of its text,
light-stemmed (the article ``ال`` and a leading conjunction/preposition ``و ف ب ل ك`` before it are removed,
as are the plural/feminine suffixes ``ات ون ين ه``).  Features, hashed with CRC-32 into ``2**bits`` buckets:

* word unigrams and bigrams of title + text;
* title unigrams again, marked as title words (``t:``);
* the words of the URL path (``u:``: ``/middle-east/`` → ``middle``, ``east``), when a URL is given: ANT's URLs
  carry the outlet's section, which is legitimate metadata for a deployed reader (figures are reported with and
  without it);
* when the outlet is known (``meta.outlet`` or the URL's host, normalised by :func:`outlet_key`), every feature
  again prefixed with the outlet: the labels are outlet-specific (what CNN files under "middle-east" BBC may file
  under "world"), so the model may learn per-outlet corrections on top of the shared weights.

Values are ``log(1 + count)`` times an optional per-bucket IDF (shipped with the model), scaled to unit L2 norm.
Only the standard library and numpy.
"""
from __future__ import annotations

import re
import zlib

import numpy as np

from ..text.normalize import fold

BITS = 18
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
    return [stem(w) for w in _WORD.findall(fold(text, search=True))]


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


def _vector(hs: list[int], idf: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    if not hs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx, cnt = np.unique(np.asarray(hs, dtype=np.int64), return_counts=True)
    val = np.log1p(cnt.astype(np.float32))
    if idf is not None:
        val *= idf[idx]
    val /= np.sqrt((val * val).sum()) or 1.0
    return idx, val


def _hash(feats: list[str], mask: int, prefix: str = "") -> list[int]:
    crc = zlib.crc32
    if prefix:
        p = crc(prefix.encode())
        return [crc(f.encode(), p) & mask for f in feats]
    return [crc(f.encode()) & mask for f in feats]


def hashed(text: str, bits: int = BITS, max_words: int = 1500, title: str | None = None, outlet: str | None = None,
           url: str | None = None, idf: np.ndarray | None = None, use_url: bool = True,
           use_outlet: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(sorted bucket indices, values) of one document (``title`` is prepended to ``text``)."""
    feats = _base(text, title, max_words)
    if use_url and url:
        feats += ["u:" + w for w in url_words(url)]
    mask = (1 << bits) - 1
    hs = _hash(feats, mask)
    o = outlet_key(outlet, url) if use_outlet else None
    if o:
        hs += _hash(feats, mask, o + "|")
    return _vector(hs, idf)


def hashed_variants(text: str, bits: int = BITS, max_words: int = 1500, title: str | None = None,
                    outlet: str | None = None, url: str | None = None):
    """The three feature vectors that :func:`hashed` gives with URL and outlet, with the outlet only, and with
    neither (for training; computed together to share the work)."""
    base = _base(text, title, max_words)
    uw = ["u:" + w for w in url_words(url)] if url else []
    mask = (1 << bits) - 1
    hb = _hash(base, mask)
    hu = _hash(uw, mask)
    o = outlet_key(outlet, url)
    if o:
        hob = _hash(base, mask, o + "|")
        hou = _hash(uw, mask, o + "|")
    else:
        hob = hou = []
    return _vector(hb + hu + hob + hou, None), _vector(hb + hob, None), _vector(hb, None)
