"""Hashed word features for the topic classifier, shared by training (``training/train_topic.py``) and the
``topic`` stage so that both see exactly the same features.

A document becomes the folded (search view: hamza/alef, ى, ة folds, no diacritics) words of its title and text,
light-stemmed (the article ``ال`` and a leading conjunction/preposition ``و ف ب ل ك`` before it are removed,
as are the plural/feminine suffixes ``ات ون ين ه``), then unigrams and bigrams hashed with CRC-32 into
``2**bits`` buckets.  Values are ``log(1 + count)`` scaled to unit L2 norm.  Only the standard library and numpy.
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
_STEM_CACHE: dict[str, str] = {}


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


def hashed(text: str, bits: int = BITS, max_words: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """(sorted bucket indices, values) of one document."""
    ws = words(text)[:max_words]
    mask = (1 << bits) - 1
    counts: dict[int, int] = {}
    crc = zlib.crc32
    for w in ws:
        h = crc(w.encode()) & mask
        counts[h] = counts.get(h, 0) + 1
    for a, b in zip(ws, ws[1:]):
        h = crc(f"{a} {b}".encode()) & mask
        counts[h] = counts.get(h, 0) + 1
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    val = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
    val /= np.sqrt((val * val).sum())
    order = np.argsort(idx)
    return idx[order], val[order]
