"""Statements and responses across the stored articles, grown at ingest (:mod:`khabar.statements`).

Tables (created on first write; a database ingested before them is filled by :func:`rebuild`):

* ``stmt_docs``: one row per document seen — its time, outlet, and ``copy_of`` (the earlier stored document it is
  a near-duplicate of: MinHash of word 4-shingles, 64 values, 16 bands of 4 in ``stmt_bands``; estimated Jaccard ≥
  ``COPY_ESTIMATE``).  A copy's quotes join their statements, but a copy adds no article and no outlet to them.
* ``stmt_quotes``: every quote with a speaker, and the statement it joined (``khabar.statements.group.pick``
  against the quotes of the same speaker bucket in the time window, and the long quotes sharing its key term).
* ``stmt_statements``: id, speaker, first appearance (document, quote, time, text).
* ``stmt_responses`` and ``stmt_links``: every response of a stored document and the statements it answers (the
  statements of its claim's quotes, else the claim speaker's statements of other documents first reported from
  ``LINK_BEFORE_DAYS`` before it to ``LINK_AFTER_DAYS`` after it that share ``LINK_SHARED`` content terms with the
  response, the ``LINK_TOP`` best), and for a denial the affirmative statement of another document whose words it
  repeats (:func:`khabar.statements.story.echo_links`) — both only to statements already reported by two or more
  documents, as ``khabar story`` links only to those.

Ingest is incremental: each quote is compared with the candidates of its speaker in the window only.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from types import SimpleNamespace

import numpy as np

from ..statements.group import (ADJACENT_SHARED, COPY_TERMS, MIN_SHARED, THRESHOLD, WINDOW_DAYS, QuoteRef, coherent,
                                continues, days, key_term, rank, same_speaker, speaker_bucket)
from ..statements.story import (ECHO_SHARED, LINK_AFTER_DAYS, LINK_BEFORE_DAYS, LINK_SHARED, LINK_TOP, PLACE_KEY,
                                echo_best, echo_speaker_ok, echo_terms, quote_ref, response_terms,
                                written_key)
from ..statements.terms import terms as content_terms
from ..text.normalize import fold

MAX_CANDIDATES = 200   # quotes compared with a new quote, per candidate query (the latest first)

COPY_JACCARD = 0.8
# the MinHash estimate (64 values) of a Jaccard of 0.8 falls below 0.8 about half the time: on all 58k articles of
# ../shared/data/news, 213 of 16,374 multi-article statements (1.30%) still counted two articles of exact Jaccard ≥
# 0.8, every one of them estimated under 0.8, 208 of them at ≥ 0.7 — so a stored article is a copy from an
# estimate of COPY_ESTIMATE
COPY_ESTIMATE = 0.7
MIN_SHINGLES = 40
_PERM = 64
_BANDS = 16
_RNG = np.random.default_rng(20181019)
_A = _RNG.integers(1, (1 << 31) - 1, _PERM, dtype=np.uint64)
_B = _RNG.integers(0, (1 << 31) - 1, _PERM, dtype=np.uint64)
_P = np.uint64((1 << 31) - 1)

SCHEMA = """
CREATE TABLE IF NOT EXISTS stmt_docs (doc TEXT PRIMARY KEY, time REAL, outlet TEXT, copy_of TEXT, sig BLOB);
CREATE TABLE IF NOT EXISTS stmt_bands (band INTEGER, h INTEGER, doc TEXT);
CREATE INDEX IF NOT EXISTS stmt_bands_h ON stmt_bands (band, h);
CREATE TABLE IF NOT EXISTS stmt_statements (id INTEGER PRIMARY KEY, speaker_key TEXT, speaker TEXT,
    first_doc TEXT, first_quote INTEGER, first_time REAL, text TEXT);
CREATE TABLE IF NOT EXISTS stmt_quotes (doc TEXT, quote INTEGER, statement INTEGER, speaker_key TEXT, bucket TEXT,
    speaker TEXT, time REAL, outlet TEXT, text TEXT, terms TEXT, keyterm TEXT, neg INTEGER,
    PRIMARY KEY (doc, quote));
CREATE INDEX IF NOT EXISTS stmt_quotes_bucket ON stmt_quotes (bucket, time);
CREATE INDEX IF NOT EXISTS stmt_quotes_key ON stmt_quotes (keyterm);
CREATE INDEX IF NOT EXISTS stmt_quotes_stmt ON stmt_quotes (statement);
CREATE INDEX IF NOT EXISTS stmt_quotes_time ON stmt_quotes (time);
CREATE TABLE IF NOT EXISTS stmt_responses (doc TEXT, response INTEGER, stance TEXT, speaker TEXT, speaker_key TEXT,
    evidence TEXT, claim_speaker TEXT, claim_key TEXT, claim_mention TEXT, time REAL, PRIMARY KEY (doc, response));
CREATE TABLE IF NOT EXISTS stmt_links (doc TEXT, response INTEGER, statement INTEGER,
    PRIMARY KEY (doc, response, statement));
CREATE INDEX IF NOT EXISTS stmt_links_stmt ON stmt_links (statement);
"""


def ensure(conn: sqlite3.Connection) -> None:
    """Create the tables if missing (inside the caller's transaction)."""
    for stmt in SCHEMA.split(";"):
        if stmt.strip():
            conn.execute(stmt)


def has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'stmt_quotes'").fetchone() is not None


def signature(text: str) -> np.ndarray | None:
    """MinHash of the folded text's word 4-shingles (stable across processes: CRC32 of each shingle); None for a
    text of fewer than MIN_SHINGLES shingles (a one-line stub — a disclaimer, a caption — is no article to copy)."""
    w = fold(text or "", search=True).split()
    sh = {" ".join(w[i:i + 4]) for i in range(max(1, len(w) - 3))}
    if len(sh) < MIN_SHINGLES:
        return None
    h = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in sh), dtype=np.uint64, count=len(sh))
    return ((h[None, :] * _A[:, None] + _B[:, None]) % _P).min(axis=1)


def _bands(sig: np.ndarray) -> list[tuple[int, int]]:
    r = _PERM // _BANDS
    return [(b, zlib.crc32(sig[b * r:(b + 1) * r].tobytes())) for b in range(_BANDS)]


def find_copy(conn, doc: str, sig: np.ndarray | None) -> str | None:
    """The stored document (its original, if it is itself a copy) that ``sig`` is a near-duplicate of."""
    if sig is None:
        return None
    cands = set()
    for b, h in _bands(sig):
        cands.update(r[0] for r in conn.execute("SELECT doc FROM stmt_bands WHERE band = ? AND h = ?", (b, h)))
    cands.discard(doc)
    best, best_j = None, 0.0
    for c in sorted(cands):
        row = conn.execute("SELECT sig, copy_of FROM stmt_docs WHERE doc = ?", (c,)).fetchone()
        if not row or row[0] is None:
            continue
        j = float((np.frombuffer(row[0], dtype=np.uint64) == sig).mean())
        if j >= COPY_ESTIMATE and j > best_j:
            best, best_j = row[1] or c, j
    return best


def _ref(row) -> QuoteRef:
    doc, quote, key, speaker, time, outlet, text, terms, neg = row
    return QuoteRef(doc, quote, key, speaker or "", text or "", time, outlet, frozenset(terms.split()), bool(neg))


def add_document(conn: sqlite3.Connection, doc_id: str, data: dict, *, outlet: str | None = None,
                 published=None, text: str | None = None) -> dict:
    """Group one stored document's quotes into statements and link its responses (``data``: the exported layers,
    as in the ``annotations`` column).  Returns counts: quotes, new statements, joined, responses, links."""
    ensure(conn)
    if conn.execute("SELECT 1 FROM stmt_docs WHERE doc = ?", (doc_id,)).fetchone():
        return {"quotes": 0, "new": 0, "joined": 0, "merged": 0, "responses": 0, "links": 0}
    t = days(published)
    sig = signature(text if text is not None else data.get("text", ""))
    copy_of = find_copy(conn, doc_id, sig)
    conn.execute("INSERT INTO stmt_docs VALUES (?, ?, ?, ?, ?)",
                 (doc_id, t, outlet, copy_of, sig.tobytes() if sig is not None else None))
    if sig is not None:
        conn.executemany("INSERT INTO stmt_bands VALUES (?, ?, ?)", [(b, h, doc_id) for b, h in _bands(sig)])
    n = {"quotes": 0, "new": 0, "joined": 0, "merged": 0, "responses": 0, "links": 0}
    qstmt, qkey = {}, {}
    cols = "doc, quote, speaker_key, speaker, time, outlet, text, terms, neg"
    quotes = data.get("quotes") or []
    akeys = [a.get("key") for a in data.get("actors") or [] if isinstance(a, dict)]
    for k, q in enumerate(quotes):
        if not q.get("speaker_key"):
            continue
        key = written_key(q, akeys, data.get("text") or text)
        ref = quote_ref(q, doc_id, k, t, outlet, key)
        qtext = ref.text
        lo, hi = (t - WINDOW_DAYS, t + WINDOW_DAYS) if t is not None else (-1e12, 1e12)
        # the candidates: the speaker's quotes in the time window, and quotes whose key term is one of this quote's
        # terms; each query bounded to the MAX_CANDIDATES latest (the index walked from the newest; undated quotes
        # come last).  Undated quotes match every window, so without a bound a corpus of undated articles (e.g.
        # SaudiNewsNet, which gives no publication date) compares every quote with all quotes before it
        qcols = ", ".join("q." + c.strip() for c in cols.split(","))
        head = (f"SELECT {qcols}, q.statement, s.speaker_key, s.first_time FROM stmt_quotes q JOIN stmt_statements s "
                "ON s.id = q.statement WHERE ")
        tail = " AND q.doc != ? AND (q.time IS NULL OR q.time BETWEEN ? AND ?) ORDER BY q.time DESC LIMIT ?"
        rows = conn.execute(head + "q.bucket = ?" + tail,
                            (speaker_bucket(key), doc_id, lo, hi, MAX_CANDIDATES)).fetchall()
        if len(ref.terms) >= COPY_TERMS:
            marks = ",".join("?" * len(ref.terms))
            rows += conn.execute(head + f"q.keyterm IN ({marks})" + tail,
                                 (*ref.terms, doc_id, lo, hi, MAX_CANDIDATES)).fetchall()
        firsts = {}
        cands = []
        for r in rows:
            sid = r[-3]
            firsts.setdefault(sid, r[-2:])
            cands.append((sid, r[-2], r[-1], _ref(r[:-3])))
        ranked = rank(ref, cands, threshold=THRESHOLD, min_shared=MIN_SHARED, window=WINDOW_DAYS)
        sid = ranked[0][0] if ranked else None
        for other, _ in ranked[1:]:      # one quote reports two statements of one speaker as one: merge them
            if same_speaker(firsts[other][0], firsts[sid][0]) and coherent(_terms_of(conn, sid), _terms_of(conn, other)):
                _merge(conn, sid, other)
                n["merged"] += 1
                qstmt = {k2: (sid if v == other else v) for k2, v in qstmt.items()}
        prev = qstmt.get(k - 1) if k and continues(quotes[k - 1], q) else None
        if prev is not None and prev != sid:     # a continuation (as StatementIndex.add)
            alone = conn.execute("SELECT 1 FROM stmt_quotes WHERE statement = ? AND doc != ? LIMIT 1",
                                 (prev, doc_id)).fetchone() is None
            if sid is None and not alone:
                sid = prev
            elif sid is not None and alone:
                _merge(conn, sid, prev)
                n["merged"] += 1
                qstmt = {k2: (sid if v == prev else v) for k2, v in qstmt.items()}
        if sid is None:
            sid = conn.execute("INSERT INTO stmt_statements (speaker_key, speaker, first_doc, first_quote, "
                               "first_time, text) VALUES (?, ?, ?, ?, ?, ?)",
                               (key, ref.speaker, doc_id, k, t, qtext)).lastrowid
            n["new"] += 1
        else:
            n["joined"] += 1
            first = conn.execute("SELECT first_time FROM stmt_statements WHERE id = ?", (sid,)).fetchone()[0]
            if t is not None and (first is None or t < first):   # an earlier report arrived later
                conn.execute("UPDATE stmt_statements SET first_doc = ?, first_quote = ?, first_time = ?, text = ? "
                             "WHERE id = ?", (doc_id, k, t, qtext, sid))
        conn.execute("INSERT INTO stmt_quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (doc_id, k, sid, key, speaker_bucket(key), ref.speaker, t, outlet, qtext,
                      " ".join(sorted(ref.terms)), key_term(ref.terms), int(ref.negated)))
        qstmt[k] = sid
        qkey[k] = key
        n["quotes"] += 1
        # a statement split over adjacent quotes of this article (as StatementIndex._adjacent)
        if k - 1 in qstmt and qstmt[k - 1] != sid and _alone(conn, sid, doc_id):
            qstmt, n["merged"] = _adjacent(conn, qstmt[k - 1], doc_id, qstmt, qkey, n["merged"])
        qstmt, n["merged"] = _adjacent(conn, qstmt[k], doc_id, qstmt, qkey, n["merged"])
    keys = {a.get("id"): a.get("key") for a in data.get("actors") or [] if isinstance(a, dict)}
    for k, r in enumerate(data.get("responses") or []):
        ckey = keys.get(r.get("claim_actor"))
        conn.execute("INSERT INTO stmt_responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (doc_id, k, r.get("stance"), r.get("speaker"), r.get("speaker_key"), r.get("text"),
                      r.get("claim_speaker"), ckey, r.get("claim_mention"), t))
        n["responses"] += 1
        links = []
        for cq in r.get("claim_quotes") or []:
            if cq in qstmt and qstmt[cq] not in links:
                # the claimant's statement only (as khabar.statements.story.response_links)
                if ckey and ckey.startswith("PER:"):
                    skey = conn.execute("SELECT speaker_key FROM stmt_statements WHERE id = ?",
                                        (qstmt[cq],)).fetchone()[0]
                    if not (same_speaker(skey, ckey) and same_speaker(qkey[cq], ckey)):
                        continue
                links.append(qstmt[cq])
        if not r.get("claim_quotes") and ckey and ckey.startswith(PLACE_KEY) and t is not None:
            # a country's claim: its officials' statements, by the words (as khabar.statements.story.response_links)
            rterms = response_terms(r, data)
            lo, hi = t - LINK_BEFORE_DAYS, t + LINK_AFTER_DAYS
            best = {}
            for sid, tx in conn.execute(
                    "SELECT q.statement, q.terms FROM stmt_quotes q JOIN stmt_statements s ON s.id = q.statement "
                    "WHERE q.time BETWEEN ? AND ? AND q.doc != ? AND s.speaker_key LIKE 'PER:%' AND "
                    "s.speaker_key != ? AND (s.first_time IS NULL OR s.first_time BETWEEN ? AND ?)",
                    (lo - WINDOW_DAYS, hi, doc_id, r.get("speaker_key") or "", lo, hi)):
                sh = len(rterms & set(tx.split()))
                if sh >= LINK_SHARED and sh > best.get(sid, 0):
                    best[sid] = sh
            scored = sorted((-sh, sid) for sid, sh in best.items() if conn.execute(
                "SELECT COUNT(DISTINCT doc) FROM stmt_quotes WHERE statement = ?", (sid,)).fetchone()[0] >= 2)
            links += [sid for _, sid in scored[:LINK_TOP] if sid not in links]
        elif not r.get("claim_quotes") and ckey:
            rterms = response_terms(r, data)
            lo, hi = (t - LINK_BEFORE_DAYS, t + LINK_AFTER_DAYS) if t is not None else (-1e12, 1e12)
            scored = []
            for sid, skey in conn.execute(
                    "SELECT DISTINCT s.id, s.speaker_key FROM stmt_statements s JOIN stmt_quotes q ON q.statement = s.id "
                    "WHERE q.bucket = ? AND q.doc != ? AND (s.first_time IS NULL OR s.first_time BETWEEN ? AND ?) AND "
                    "(SELECT COUNT(DISTINCT q2.doc) FROM stmt_quotes q2 WHERE q2.statement = s.id) >= 2",
                    (speaker_bucket(ckey), doc_id, lo, hi)).fetchall():
                if not same_speaker(skey, ckey) or sid in links:
                    continue
                best = max((len(rterms & set(tx.split())) for (tx,) in
                            conn.execute("SELECT terms FROM stmt_quotes WHERE statement = ?", (sid,))), default=0)
                if best >= LINK_SHARED:
                    scored.append((-best, sid))
            links += [sid for _, sid in sorted(scored)[:LINK_TOP]]
        rt = echo_terms(r, data, doc_id, t)
        if t is not None and len(rt) >= ECHO_SHARED:       # a denial repeating another article's claim
            lo, hi = t - LINK_BEFORE_DAYS, t + LINK_AFTER_DAYS
            named = [a.get("key") for a in data.get("actors") or [] if isinstance(a, dict) and a.get("key")]
            rows = conn.execute("SELECT q.statement, q.terms, s.speaker_key FROM stmt_quotes q JOIN stmt_statements s ON "
                                "s.id = q.statement WHERE q.time BETWEEN ? AND ? AND q.doc != ? AND q.neg = 0 AND "
                                "(s.first_time IS NULL OR s.first_time BETWEEN ? AND ?) AND "
                                "(SELECT COUNT(DISTINCT q2.doc) FROM stmt_quotes q2 WHERE q2.statement = s.id) >= 2",
                                (lo - WINDOW_DAYS, hi, doc_id, lo, hi)).fetchall()
            best = echo_best(rt, ((sid, SimpleNamespace(terms=frozenset(tx.split()), negated=False))
                                  for sid, tx, skey in rows if echo_speaker_ok(skey, r.get("speaker_key"), named)))
            if best is not None and best not in links:
                links.append(best)
        conn.executemany("INSERT OR IGNORE INTO stmt_links VALUES (?, ?, ?)", [(doc_id, k, s) for s in links])
        n["links"] += len(links)
    return n


def _alone(conn, sid: int, doc_id: str) -> bool:
    """Whether statement ``sid`` is reported by document ``doc_id`` alone."""
    return conn.execute("SELECT 1 FROM stmt_quotes WHERE statement = ? AND doc != ? LIMIT 1",
                        (sid, doc_id)).fetchone() is None


def _adjacent(conn, sid: int, doc_id: str, qstmt: dict, qkey: dict, merged: int):
    """``khabar.statements.group.StatementIndex._adjacent`` on the store: the quotes of ``doc_id`` right before
    and after its quotes of statement ``sid`` (a statement another document reports too), of the same speaker and
    in a statement of this document alone, join ``sid`` when they say related things (``coherent``).  Returns the
    updated quote → statement map and merge count."""
    if _alone(conn, sid, doc_id):
        return qstmt, merged
    skey = conn.execute("SELECT speaker_key FROM stmt_statements WHERE id = ?", (sid,)).fetchone()[0]
    grown = True
    while grown:
        grown = False
        ks = [k for k, v in qstmt.items() if v == sid]
        for k in (min(ks) - 1, max(ks) + 1):
            other = qstmt.get(k)
            if other is None or other == sid or not _alone(conn, other, doc_id) or not same_speaker(qkey[k], skey):
                continue
            (tx,) = conn.execute("SELECT terms FROM stmt_quotes WHERE doc = ? AND quote = ?", (doc_id, k)).fetchone()
            if coherent([SimpleNamespace(terms=frozenset(tx.split()))], _terms_of(conn, sid), ADJACENT_SHARED):
                _merge(conn, sid, other)
                merged += 1
                qstmt = {k2: (sid if v == other else v) for k2, v in qstmt.items()}
                grown = True
                break
    return qstmt, merged


def _terms_of(conn, sid: int) -> list:
    return [SimpleNamespace(terms=frozenset(t.split())) for (t,) in
            conn.execute("SELECT terms FROM stmt_quotes WHERE statement = ?", (sid,))]


def _merge(conn, sid: int, other: int) -> None:
    """Fold statement ``other`` into ``sid`` (its quotes and links; the earlier first appearance kept)."""
    a = conn.execute("SELECT first_time FROM stmt_statements WHERE id = ?", (sid,)).fetchone()
    b = conn.execute("SELECT first_doc, first_quote, first_time, text FROM stmt_statements WHERE id = ?",
                     (other,)).fetchone()
    if b is None:
        return
    if b[2] is not None and (a[0] is None or b[2] < a[0]):
        conn.execute("UPDATE stmt_statements SET first_doc = ?, first_quote = ?, first_time = ?, text = ? "
                     "WHERE id = ?", (*b, sid))
    conn.execute("UPDATE stmt_quotes SET statement = ? WHERE statement = ?", (sid, other))
    conn.execute("INSERT OR IGNORE INTO stmt_links SELECT doc, response, ? FROM stmt_links WHERE statement = ?",
                 (sid, other))
    conn.execute("DELETE FROM stmt_links WHERE statement = ?", (other,))
    conn.execute("DELETE FROM stmt_statements WHERE id = ?", (other,))


def on_write(conn: sqlite3.Connection, doc_row: dict) -> None:
    """The store's hook: called for each newly written document (inside its transaction)."""
    from .rows import load_annotations

    data = load_annotations(doc_row.get("annotations"))
    add_document(conn, doc_row["id"], data, outlet=doc_row.get("outlet"),
                 published=doc_row.get("published") or doc_row.get("published_raw"), text=doc_row.get("text"))


def rebuild(store) -> int:
    """Fill the tables anew from every stored document, in order of publication (for a database ingested before
    them, or after a change of the grouping rules).  Returns the number of documents."""
    from .rows import load_annotations

    store._check_writable()
    c = store.conn
    c.execute("BEGIN IMMEDIATE")
    try:
        for tname in ("stmt_links", "stmt_responses", "stmt_quotes", "stmt_statements", "stmt_bands", "stmt_docs"):
            c.execute(f"DROP TABLE IF EXISTS {tname}")
        ensure(c)
        n = 0
        for did, outlet, pub, raw, text, ann in c.execute(
                "SELECT id, outlet, published, published_raw, text, annotations FROM documents "
                "ORDER BY published IS NULL, published, id").fetchall():
            add_document(c, did, load_annotations(ann), outlet=outlet, published=pub or raw, text=text)
            n += 1
        c.execute("COMMIT")
    except BaseException:
        c.execute("ROLLBACK")
        raise
    return n


# ------------------------------------------------------------------------------------------------------------------
# reading

def claims(conn: sqlite3.Connection, *, speaker: str | None = None, about: str | None = None,
           contested: bool = False, min_articles: int = 1, limit: int = 20, offset: int = 0,
           with_total: bool = False):
    """Statements with the articles and outlets that carried them (copies apart) and the responses answering them.

    ``speaker``: a part of the speaker's name or key (folded); ``about``: words that must all be among the
    statement's quote terms; ``contested``: only statements some response denies.  ``offset`` skips that many;
    with ``with_total`` the result is ``(total, rows)``, ``total`` counting every statement that matches."""
    from ..store.rows import norm_name

    if not has_tables(conn):
        return (0, []) if with_total else []
    where, params = [], []
    if speaker:
        where.append("(s.speaker_key LIKE ? OR s.id IN (SELECT statement FROM stmt_quotes WHERE speaker LIKE ?))")
        params += [f"%{norm_name(speaker) or speaker}%", f"%{speaker}%"]
    if about:
        for w in content_terms(about):
            where.append("s.id IN (SELECT statement FROM stmt_quotes WHERE ' ' || terms || ' ' LIKE ?)")
            params.append(f"% {w} %")
    if contested:
        where.append("s.id IN (SELECT l.statement FROM stmt_links l JOIN stmt_responses r ON r.doc = l.doc AND "
                     "r.response = l.response WHERE r.stance = 'deny')")
    params.append(max(1, min_articles))
    # articles that carried the statement, near-duplicate copies not counted (as statement() counts them)
    counted = ("SELECT q.statement, COUNT(DISTINCT q.doc) AS n FROM stmt_quotes q JOIN stmt_docs d ON d.doc = q.doc "
               "WHERE d.copy_of IS NULL OR d.copy_of = '' GROUP BY q.statement")
    body = (" FROM stmt_statements s JOIN (" + counted + ") c ON c.statement = s.id WHERE "
            + " AND ".join(where + ["c.n >= ?"]))
    rows = [statement(conn, sid) for (sid,) in conn.execute(
        "SELECT s.id" + body + " ORDER BY c.n DESC, s.id LIMIT ? OFFSET ?",
        params + [max(0, limit), max(0, offset)])]
    if not with_total:
        return rows
    total = conn.execute("SELECT COUNT(*)" + body, params).fetchone()[0]
    return total, rows


def _ext(conn, doc):
    r = conn.execute("SELECT external_id, title, published FROM documents WHERE id = ?", (doc,)).fetchone()
    return {"doc": doc, "external_id": r[0] if r else None, "title": r[1] if r else None,
            "published": r[2] if r else None}


def statement(conn: sqlite3.Connection, sid: int) -> dict:
    """One statement: speaker, first appearance, variants (distinct quote texts), the articles and outlets that
    carried it (near-duplicate copies listed apart and not counted) and its responses."""
    s = conn.execute("SELECT id, speaker, speaker_key, first_doc, first_quote, first_time, text FROM stmt_statements "
                     "WHERE id = ?", (sid,)).fetchone()
    if s is None:
        return {}
    quotes = conn.execute("SELECT q.doc, q.quote, q.outlet, q.text, d.copy_of FROM stmt_quotes q JOIN stmt_docs d "
                          "ON d.doc = q.doc WHERE q.statement = ? ORDER BY q.time, q.doc, q.quote", (sid,)).fetchall()
    originals = list(dict.fromkeys(q[0] for q in quotes if not q[4]))
    copies = list(dict.fromkeys(q[0] for q in quotes if q[4]))
    outlets = sorted({q[2] for q in quotes if not q[4] and q[2]})
    resp = conn.execute("SELECT r.doc, r.response, r.stance, r.speaker, r.evidence, r.claim_speaker FROM stmt_links l "
                        "JOIN stmt_responses r ON r.doc = l.doc AND r.response = l.response WHERE l.statement = ? "
                        "ORDER BY r.time, r.doc, r.response", (sid,)).fetchall()
    return {"id": s[0], "speaker": s[1], "speaker_key": s[2],
            "first": dict(_ext(conn, s[3]), quote=s[4], text=s[6]),
            "n_articles": len(originals), "n_outlets": len(outlets), "outlets": outlets,
            "articles": [_ext(conn, d) for d in originals], "copies": [_ext(conn, d) for d in copies],
            "variants": list(dict.fromkeys(q[3] for q in quotes)),
            "quotes": [{"doc": q[0], "quote": q[1], "outlet": q[2], "text": q[3], "is_copy": bool(q[4])} for q in quotes],
            "responses": [{"doc": r[0], "response": r[1], "stance": r[2], "speaker": r[3], "evidence": r[4],
                           "claim_speaker": r[5], "cross_article": r[0] not in {q[0] for q in quotes}} for r in resp]}
