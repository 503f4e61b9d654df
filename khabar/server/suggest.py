"""“Did you mean”: for a search with no results, the nearest words of the database's own vocabulary.

Each plain word of the query (no phrase, prefix or operator) that is not in the search index's vocabulary is
replaced by the indexed word nearest to it by edit distance (Levenshtein) on the folded form (hamza, alef, ta
marbuta, alef maqsura and diacritics folded, as the index folds them: ``ايرن`` → ``ايران``), allowing one edit in
words of up to five letters and two in longer ones; ties go to the word found in more articles.  The word is then
shown as the articles spell it most often (``إيران``).  The vocabulary (``fts5vocab`` over the index, read through
a read-only connection of its own) is read once per database file and kept in memory, grouped by length (in a
large corpus, over 200,000 indexed words, only the words of two articles or more).
"""
from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter

from ..text.normalize import fold

_LOCK = threading.Lock()
_VOCAB: dict[str, dict[int, list[tuple[str, int]]]] = {}
_WORD = re.compile(r"^\w+$")
MAX_TERMS = 2_000_000
BIG = 200_000  # over this many indexed words, only those found in two articles or more are suggested


def _vocabulary(db: str) -> dict[int, list[tuple[str, int]]]:
    with _LOCK:
        if db in _VOCAB:
            return _VOCAB[db]
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.khabar_vocab USING fts5vocab('main', 'doc_fts', 'row')")
        n = conn.execute("SELECT count(*) FROM temp.khabar_vocab").fetchone()[0]
        rows = conn.execute("SELECT term, doc FROM temp.khabar_vocab WHERE doc >= ? LIMIT ?",
                            (2 if n > BIG else 1, MAX_TERMS)).fetchall()
    except sqlite3.Error:
        rows = []
    finally:
        conn.close()
    by_len: dict[int, list[tuple[str, int]]] = {}
    for term, docs in rows:
        if term and not term.isdigit():
            by_len.setdefault(len(term), []).append((term, int(docs)))
    with _LOCK:
        _VOCAB[db] = by_len
    return by_len


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it is known to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def nearest(vocab: dict[int, list[tuple[str, int]]], word: str) -> str | None:
    """The indexed (folded) word nearest ``word`` (folded), or None when none is near enough."""
    limit = 1 if len(word) <= 5 else 2
    letters = set(word)
    best: tuple[int, int, str] | None = None
    for n in range(len(word) - limit, len(word) + limit + 1):
        for term, docs in vocab.get(n, ()):
            # each letter of one word missing from the other costs an edit at least: a cheap first filter
            if len(letters.difference(term)) > limit or len(set(term).difference(letters)) > limit:
                continue
            d = distance(word, term, limit)
            if d <= limit and (best is None or (d, -docs, term) < best):
                best = (d, -docs, term)
    return best[2] if best else None


def _spelling(st, folded: str) -> str:
    """How the articles most often spell an indexed word (its highlighted surface in an exact-form search)."""
    try:
        hits = st.search(folded, mode="exact", limit=20, count=False).hits
    except Exception:  # noqa: BLE001 - a suggestion is optional; the folded form is a fine fallback
        return folded
    seen: Counter = Counter()
    for h in hits:
        s = h.get("snippet") or ""
        for m in re.finditer(r"\[([^\[\]]+)\]", s):
            if fold(m.group(1), search=True) == folded:
                seen[m.group(1)] += 1
    return seen.most_common(1)[0][0] if seen else folded


def suggest(st, db: str | None, q: str, *, mode: str = "stem") -> str | None:
    """A corrected query for ``q`` (its unknown plain words replaced by their nearest indexed words), or None."""
    if not db or len(q) > 200:
        return None
    vocab = _vocabulary(db)
    if not vocab:
        return None
    words = q.split()
    if not words or len(words) > 8:
        return None
    out, changed = [], False
    for w in words:
        f = fold(w, search=True)
        if _WORD.match(w) and w != "OR" and len(f) >= 3 and f not in {t for t, _ in vocab.get(len(f), ())}:
            near = nearest(vocab, f)
            if near:
                out.append(_spelling(st, near))
                changed = True
                continue
        out.append(w)
    return " ".join(out) if changed else None
