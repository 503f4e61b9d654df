"""The store: an SQLite database of analysed articles with Arabic-aware full-text search.

One writer, many readers (WAL).  A reader may open the file read-only (``Store(path, readonly=True)`` opens a
``file:...?mode=ro`` URI), which is what the web server does.  Every write is a transaction of whole articles,
keyed by the canonical-text hash with ``INSERT OR IGNORE``, so writing the same article twice adds nothing and a
process killed at any moment leaves only whole articles behind.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import quote as _urlquote

import regex

from ..document import Document, Span
from .errors import (DatabaseBusyError, DatabaseNotFoundError, DocumentNotFoundError, FilterError,
                     IndexMismatchError, NotADatabaseError, QueryTimeoutError, ReadOnlyError, SchemaVersionError,
                     StoreError)
from .query import MODES, Compiler, ParsedQuery, merge_alternatives, parse_query
from .rows import PreparedDoc, load_annotations, norm_name, prepare
from .schema import DOC_FTS_DDL, LATEST_VERSION, TABLES, current_version, has_prefix_index, migrate
from .snippets import DEFAULT_WIDTH, Highlighter
from .views import VIEWS_VERSION, splitter_fingerprint, text_views

DEFAULT_DB = "khabar.db"
DEFAULT_TIME_LIMIT = 10.0  # seconds for one query
READ_MMAP = 1 << 30        # bytes of the database a read-only store maps into memory
READ_CACHE_KIB = 16_384    # page cache of one read-only connection
COUNT_BOUND = 1000  # ``search(count="bounded")``: counting stops past this many matches ("more than 1,000")
_DATE = regex.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_READ = regex.compile(r"\s*(?:SELECT|WITH)\b", regex.IGNORECASE)
_BM25_WEIGHTS = (4.0, 2.0, 1.0)  # surface, clitic, stem


# a word's ranked alternatives (the index columns and tokens it is searched as), by database path, clitic
# splitter, word and the store's largest article rowid (a store that gains articles compiles its words again)
_ALT_CACHE: dict = {}


def _splitter_fingerprint() -> str:
    return splitter_fingerprint()


def _doc_views(args: tuple) -> tuple:
    """``(rowid, surface, clitic, stem)`` of one stored article, its title first (the rows of ``doc_fts``)."""
    rid, title, text, name = args
    v = text_views(text, name)
    if title:
        v = tuple((a + " " + b).strip() for a, b in zip(text_views(title, name), v))
    return (rid, *v)


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Store:
    """A khabar database.  ``Store(path)`` creates or upgrades it; ``Store(path, readonly=True)`` only reads."""

    def __init__(self, path: str | os.PathLike = DEFAULT_DB, readonly: bool = False, *, timeout: float = 30.0,
                 check_same_thread: bool = True, time_limit: float | None = DEFAULT_TIME_LIMIT):
        self.path = str(path)
        self.readonly = readonly
        self.time_limit = time_limit
        self._lock = threading.RLock()
        memory = self.path == ":memory:"
        if readonly and memory:
            raise StoreError("an in-memory database cannot be opened read-only", source=self.path)
        if readonly and not Path(self.path).exists():
            raise DatabaseNotFoundError("no such database", source=self.path)
        if not memory and not readonly:
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError("the folder of the database does not exist", source=self.path,
                                 hint="create the folder, or pass another --db path")
        try:
            if readonly:
                uri = "file:" + _urlquote(str(Path(self.path).resolve())) + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None,
                                            check_same_thread=check_same_thread)
            else:
                self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                            check_same_thread=check_same_thread)
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if readonly:
                # readers (the web server opens one per worker thread) map the file: its pages are shared
                # through the OS page cache instead of read into each connection's own cache
                self.conn.execute(f"PRAGMA mmap_size = {READ_MMAP}")
                self.conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")
            if not readonly:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal" and not memory:
                    raise StoreError(f"cannot switch the database to WAL mode (got {mode})", source=self.path)
                self.conn.execute("PRAGMA synchronous = NORMAL")
                migrate(self.conn)
            version = current_version(self.conn)
        except sqlite3.DatabaseError as e:
            msg = str(e)
            if "not a database" in msg or "file is encrypted" in msg:
                raise NotADatabaseError("not an SQLite database", source=self.path) from None
            if "locked" in msg or "busy" in msg:
                raise DatabaseBusyError(msg, source=self.path) from None
            raise StoreError(msg, source=self.path) from None
        if version > LATEST_VERSION:
            raise SchemaVersionError(f"schema version {version}; this khabar knows up to {LATEST_VERSION}",
                                     source=self.path)
        if readonly:
            if version == 0:
                raise NotADatabaseError("not a khabar database (no schema)", source=self.path)
            if version < LATEST_VERSION:
                raise SchemaVersionError(f"schema version {version} needs an upgrade to {LATEST_VERSION}",
                                         source=self.path, hint="open it once for writing (e.g. `khabar ingest` "
                                         "or `khabar reindex`) to upgrade it")
        self._meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        if not readonly and "clitic_splitter" not in self._meta:
            self._set_meta(clitic_splitter=_splitter_fingerprint(), views_version=VIEWS_VERSION,
                           created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        self.splitter_name = self._meta.get("clitic_splitter")
        self._compiler = Compiler(self.splitter_name)
        self._vocab: bool | None = None
        self._alt_cache = _ALT_CACHE  # shared by the stores of one process (the server's worker threads)
        self._hit_cols: str | None = None

    # ---------------------------------------------------------------------------------------------------------
    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # pragma: no cover
            pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _set_meta(self, **kv: str) -> None:
        self._check_writable()
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for k, v in kv.items():
                    self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (k, str(v)))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        self._meta.update({k: str(v) for k, v in kv.items()})

    def _check_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError("this store is open read-only", source=self.path)

    def check_index(self) -> None:
        """Raise :class:`IndexMismatchError` if new documents would be indexed with another clitic splitter."""
        built = self._meta.get("views_version")
        if built and built != VIEWS_VERSION:
            raise IndexMismatchError(f"the index holds search views of version {built}; this khabar makes version "
                                     f"{VIEWS_VERSION}", source=self.path)
        now = _splitter_fingerprint()
        if self.splitter_name and now != self.splitter_name:
            raise IndexMismatchError(f"the index was built with clitic splitter {self.splitter_name!r}, but "
                                     f"{now!r} is installed now", source=self.path)

    def _check_views(self) -> None:
        """A store whose search index holds views of another version cannot be searched right: E-coded
        :class:`IndexMismatchError` with the reindex hint."""
        built = self._meta.get("views_version")
        if built and built != VIEWS_VERSION:
            raise IndexMismatchError(f"the search index holds views of version {built}; this khabar searches "
                                     f"version {VIEWS_VERSION}", source=self.path)

    # ---------------------------------------------------------------------------------------------------------
    # writing

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            q = "SELECT id FROM documents WHERE id IN (%s)" % ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(q, chunk))
        return found

    def has(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def write(self, prepared: Sequence[PreparedDoc]) -> int:
        """Write prepared documents in one transaction; return how many were new."""
        self._check_writable()
        added = 0
        with self._lock:
            c = self.conn
            try:
                c.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                raise DatabaseBusyError(str(e), source=self.path) from None
            try:
                for p in prepared:
                    added += self._write_one(c, p)
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return added

    _DOC_COLS = ("id", "external_id", "title", "url", "outlet", "published", "published_raw", "topic", "language",
                 "source", "text", "n_chars", "n_words", "annotations", "pipeline", "ingested_at", "subject",
                 "subject_score", "country", "countries")

    def _write_one(self, c: sqlite3.Connection, p: PreparedDoc) -> int:
        row = p.doc_row
        cur = c.execute(f"INSERT OR IGNORE INTO documents ({', '.join(self._DOC_COLS)}) VALUES "
                        f"({', '.join('?' * len(self._DOC_COLS))})", [row.get(k) for k in self._DOC_COLS])
        if cur.rowcount != 1:
            return 0
        rid = cur.lastrowid
        c.execute("INSERT INTO doc_fts(rowid, surface, clitic, stem) VALUES (?, ?, ?, ?)", (rid, *p.views))
        if p.sentences:
            c.executemany("INSERT INTO sentences VALUES (?, ?, ?, ?)", [(rid, *r) for r in p.sentences])
        if p.actors:
            c.executemany("INSERT OR IGNORE INTO actors VALUES (?, ?, ?, ?, ?, ?, ?)", [(rid, *r) for r in p.actors])
        if p.entities:
            c.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(rid, *r) for r in p.entities])
        for r, v in zip(p.quotes, p.quote_views):
            qc = c.execute("INSERT INTO quotes (doc, idx, start_char, end_char, kind, speaker, speaker_norm, "
                           "speaker_key, actor, cue_text, attrs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (rid, *r))
            c.execute("INSERT INTO quote_fts(rowid, surface, clitic, stem) VALUES (?, ?, ?, ?)", (qc.lastrowid, *v))
        if p.sources:
            c.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(rid, *r) for r in p.sources])
        if p.dates:
            c.executemany("INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?)", [(rid, *r) for r in p.dates])
        if p.events:
            c.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(rid, *r) for r in p.events])
        from .statements import on_write  # statements and responses across articles (khabar.store.statements)
        on_write(c, row)
        return 1

    def add(self, doc: Document, *, source: str | None = None, pipeline: str | None = None) -> bool:
        """Store one already analysed Document (whatever layers it has); False if it was there already."""
        return self.write([prepare(doc, source=source, pipeline=pipeline, splitter=self.splitter_name)]) == 1

    def ingest_documents(self, docs: Iterable[Document], *, stages: Sequence[str] | None = None,
                         analyzed: bool = False, jobs: int = 1, batch_size: int = 64, progress: bool = False):
        """Analyse (unless ``analyzed``) and store Documents; returns an :class:`~khabar.io.ingest.IngestReport`.

        ``stages``: pipeline stage names (default: the default pipeline).  Documents already in the store are
        not analysed again.  ``jobs`` > 1 analyses in worker processes.
        """
        from ..io.ingest import Item, run_ingest

        items = (Item(source=d.meta.get("external_id") or f"<document {i}>", line=None, doc=d)
                 for i, d in enumerate(docs))
        return run_ingest(self, items, stages=stages, analyzed=analyzed, jobs=jobs, batch_size=batch_size,
                          progress=progress)

    def reindex(self, progress: bool = False, jobs: int = 1) -> int:
        """Rebuild both FTS indexes from the stored texts with the clitic splitter installed now.  ``doc_fts`` is
        made anew with the current definition (:data:`~khabar.store.schema.DOC_FTS_DDL`: a store made before
        gains the prefix indexes).  ``jobs`` > 1 computes the articles' search views in that many processes."""
        self._check_writable()
        name = _splitter_fingerprint()
        pool = None
        if jobs > 1:
            import multiprocessing as mp
            pool = mp.get_context("spawn" if os.name == "nt" else "fork").Pool(jobs)
        with self._lock:
            c = self.conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("DROP TABLE IF EXISTS doc_fts")
                c.execute(DOC_FTS_DDL)
                c.execute("INSERT INTO quote_fts(quote_fts) VALUES ('delete-all')")
                n = 0
                rids = [r[0] for r in c.execute("SELECT rowid FROM documents ORDER BY rowid")]
                for k in range(0, len(rids), 512):
                    chunk = rids[k:k + 512]
                    rows = c.execute("SELECT rowid, title, text FROM documents WHERE rowid IN (%s) ORDER BY rowid"
                                     % ",".join("?" * len(chunk)), chunk).fetchall()
                    args = [(rid, title, text, name) for rid, title, text in rows]
                    views = pool.imap(_doc_views, args, chunksize=16) if pool else map(_doc_views, args)
                    c.executemany("INSERT INTO doc_fts(rowid, surface, clitic, stem) VALUES (?, ?, ?, ?)", views)
                    n += len(rows)
                    if progress:
                        sys.stderr.write(f"\rkhabar: reindexed {n:,} of {len(rids):,} articles")
                if progress:
                    sys.stderr.write("\n")
                for qid, text, s, e in c.execute("SELECT q.rowid, d.text, q.start_char, q.end_char FROM quotes q "
                                                 "JOIN documents d ON d.rowid = q.doc").fetchall():
                    c.execute("INSERT INTO quote_fts(rowid, surface, clitic, stem) VALUES (?, ?, ?, ?)",
                              (qid, *text_views(text[s:e], name)))
                c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('clitic_splitter', ?)", (name,))
                c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('views_version', ?)", (VIEWS_VERSION,))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
            finally:
                if pool is not None:
                    pool.terminate()
        self._prefix_index = None
        self._meta["clitic_splitter"] = self.splitter_name = name
        self._meta["views_version"] = VIEWS_VERSION
        self._compiler = Compiler(name)
        return n

    # ---------------------------------------------------------------------------------------------------------
    # reading

    def execute(self, sql: str, params: Sequence | dict = (), *, time_limit: float | None = None) -> list[dict]:
        """The rows (dicts) of one read query (``SELECT`` or ``WITH``), under the store's time limit (or
        ``time_limit`` seconds; 0: none), as datasette's ``Database.execute``: a query that runs longer is
        stopped with :class:`QueryTimeoutError` (E306), a locked database is :class:`DatabaseBusyError` (E307),
        any other SQLite error a coded :class:`StoreError`.  This and the other public methods are all a reader
        (the web server) needs; it never writes."""
        if not _READ.match(sql):
            raise StoreError("only a read query (SELECT or WITH) can be run with execute()", source=self.path)
        return self._run(sql, params, time_limit)

    def _run(self, sql: str, params: Sequence | dict = (), time_limit: float | None = None) -> list[dict]:
        """Run a read query under the time limit; SQLite errors become coded StoreErrors."""
        limit = self.time_limit if time_limit is None else time_limit
        deadline = time.monotonic() + limit if limit else None
        with self._lock:
            if deadline is not None:
                self.conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 20000)
            try:
                cur = self.conn.execute(sql, params)
                cols = [d[0] for d in cur.description]
                return [dict(zip(cols, r)) for r in cur.fetchall()]
            except sqlite3.OperationalError as e:
                msg = str(e)
                if "interrupted" in msg:
                    raise QueryTimeoutError(f"the query took longer than {limit:g} s",
                                            source=self.path) from None
                if "locked" in msg or "busy" in msg:
                    raise DatabaseBusyError(msg, source=self.path) from None
                raise StoreError(f"database error: {msg}", source=self.path) from None
            except sqlite3.DatabaseError as e:
                raise StoreError(f"database error: {e}", source=self.path) from None
            finally:
                if deadline is not None:
                    self.conn.set_progress_handler(None, 0)

    @staticmethod
    def parse_date(value: str | None, name: str) -> str | None:
        """A date filter (YYYY, YYYY-MM or YYYY-MM-DD) checked, or None; else :class:`FilterError` (E311)."""
        if value is None or value == "":
            return None
        v = str(value).strip()
        if not _DATE.match(v):
            raise FilterError(f"--{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", source=name)
        return v

    @staticmethod
    def country_clause(country: str, shown: str = "--country") -> tuple[str, str]:
        """The SQL condition and parameter for any country of an article's geography (ISO 3166 alpha-3), not only
        the main one; else :class:`FilterError` naming the filter as ``shown``."""
        code = country.strip().upper()
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise FilterError(f"{shown} {country!r} is not an ISO 3166 alpha-3 code (e.g. SAU, IRN)", source="country")
        return "(' ' || d.countries || ' ') LIKE ?", f"% {code} %"

    @staticmethod
    def _word_like(col: str, value: str, params: list) -> str:
        """SQL for 'the folded ``col`` contains the folded ``value`` as whole words'."""
        params.append("% " + _escape_like(value) + " %")
        return f"(' ' || {col} || ' ') LIKE ? ESCAPE '\\'"

    def _filters(self, *, speaker=None, entity=None, source=None, outlet=None, since=None, until=None,
                 topic=None, doc_ids=None, subject=None, country=None) -> tuple[list[str], list]:
        where: list[str] = []
        params: list = []
        if speaker:
            n = norm_name(speaker)
            if not n:
                raise FilterError(f"--speaker {speaker!r} has no letters", source="speaker")
            p1: list = []
            like = self._word_like("speaker_norm", n, p1)
            alike = self._word_like("norm", n, p1)
            where.append(f"d.rowid IN (SELECT doc FROM quotes WHERE speaker_key = ? OR {like} OR speaker_key IN "
                         f"(SELECT key FROM actors WHERE {alike}))")
            params += [speaker] + p1
        if entity:
            n = norm_name(entity)
            if not n:
                raise FilterError(f"--entity {entity!r} has no letters", source="entity")
            p1: list = []
            s1 = self._word_like("norm", n, p1)
            where.append(f"(d.rowid IN (SELECT doc FROM entities WHERE {s1}) OR d.rowid IN "
                         f"(SELECT doc FROM actors WHERE key = ? OR {s1}))")
            params += [p1[0], entity, p1[0]]
        if source:
            n = norm_name(source)
            if not n:
                raise FilterError(f"--source {source!r} has no letters", source="source")
            where.append("d.rowid IN (SELECT doc FROM sources WHERE " + self._word_like("norm", n, params) + ")")
        if outlet:
            where.append("d.outlet = ? COLLATE NOCASE")
            params.append(outlet)
        s = self.parse_date(since, "since")
        if s:
            where.append("d.published >= ?")
            params.append(s)
        u = self.parse_date(until, "until")
        if u:
            where.append(f"substr(d.published, 1, {len(u)}) <= ?")
            params.append(u)
        if topic:
            where.append("d.topic = ? COLLATE NOCASE")
            params.append(topic)
        if subject:
            where.append("d.subject = ? COLLATE NOCASE")
            params.append(subject)
        if country:
            clause, param = self.country_clause(country)
            where.append(clause)
            params.append(param)
        if doc_ids is not None:
            ids = list(doc_ids)
            where.append("d.id IN (%s)" % (",".join("?" * len(ids)) or "NULL"))
            params += ids
        return where, params

    def search(self, query: str | ParsedQuery, *, mode: str = "stem", limit: int = 10, offset: int = 0,
               speaker: str | None = None, entity: str | None = None, source: str | None = None,
               outlet: str | None = None, since: str | None = None, until: str | None = None,
               topic: str | None = None, doc_ids: Iterable[str] | None = None, snippets: bool = True,
               subject: str | None = None, country: str | None = None,
               snippet_width: int = DEFAULT_WIDTH, count: bool | int | str = True) -> "SearchResults":
        """Full-text search with filters.  Exact-form matches rank above stem/clitic matches.

        ``count``: True or ``"exact"`` (the default) counts every matching article into ``.total``; a number N
        counts up to N only (``.total`` is then at most N, and ``.total_exact`` False when more match: "more
        than N"), which costs far less for a common word on a large store; ``"bounded"`` is N =
        :data:`COUNT_BOUND` (1,000); False does not count (``.total`` None).  The default stays exact: callers
        read ``.total`` as the number of matches.

        ``mode``: ``stem`` (surface, clitic-split and stem views) or ``exact`` (folded surface forms only).
        Raises :class:`QuerySyntaxError` (E310) for a malformed query, :class:`FilterError` (E311) for a bad
        filter.
        """
        if mode not in MODES:
            raise FilterError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}", source="mode")
        self._check_views()
        limit, offset = self._limits(limit, offset)
        count = self._count_arg(count)
        pq = parse_query(query) if isinstance(query, str) else query
        q = self._compiler.compile(pq.root, mode)
        # one plain word is ranked (and counted) by its own alternatives, below
        single = self._single_word(pq.root) if mode == "stem" else None
        # the same rows with each token searched once (column sets): for counts and row sets, not for ranking
        qs = self._compiler.compile(pq.root, mode, merged=True) if single is None else None
        # the first rank level: the query's own word forms, whatever their clitics (surface or core columns);
        # a match through the stem column alone (another inflection) ranks below (a row set: merged)
        qx = self._compiler.compile(pq.root, "core", merged=True) if mode == "stem" else None
        where, params = self._filters(speaker=speaker, entity=entity, source=source, outlet=outlet, since=since,
                                      until=until, topic=topic, doc_ids=doc_ids, subject=subject,
                                      country=country)
        w = ("WHERE " + " AND ".join(where)) if where else ""
        bm = "bm25(doc_fts, %s)" % ", ".join(str(x) for x in _BM25_WEIGHTS)
        cols = ("d.rowid AS rowid, d.id AS id, d.external_id AS external_id, d.title AS title, d.url AS url, "
                "d.outlet AS outlet, d.published AS published, d.topic AS topic, d.subject AS subject, "
                "d.country AS country")
        counted = None  # (total, exact) when counted before the hits
        via_set = False
        # the full-text match is always the outer loop: with an indexed filter (outlet, date) SQLite would
        # otherwise loop over the filtered articles and run the whole MATCH once for each.  The matches are
        # ranked first and only the page's articles read whole (an article's later columns lie past its text);
        # an outlet, topic, subject, speaker, entity or source filter selects its articles once, through its
        # index, and each match is looked up among them (:meth:`_matches`)
        if where:
            via_set = self._via_set(outlet=outlet, topic=topic, subject=subject, speaker=speaker, entity=entity,
                                    source=source, doc_ids=doc_ids, country=country)
            ex = "(m0.rowid IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?))" if qx else "1"
            sql = (f"WITH m AS (SELECT m0.rowid AS rowid, m0.r AS r, {ex} AS exact "
                   f"FROM {self._matches(w, via_set, bm)} "
                   f"ORDER BY exact DESC, r ASC, m0.rowid ASC LIMIT ? OFFSET ?) "
                   f"SELECT {cols}, m.r AS r, m.exact AS exact FROM m CROSS JOIN documents d ON d.rowid = m.rowid "
                   f"ORDER BY m.exact DESC, m.r ASC, d.rowid ASC")
            all_params = ([qx] if qx else []) + [q] + params + [limit, offset]
        else:  # no filter: ranked inside the index, only the page's articles read
            # a query that matches more than RANK_WINDOW articles is ranked among the newest RANK_WINDOW of them
            # (BM25 is computed for every row it ranks: over all of a common prefix's matches it is most of the
            # time of a search); a page past the window ranks them all
            thr = None
            if single is None:
                # counted first: a query whose exact count is within the window needs no window
                counted = self._count(qs, w, params, count)  # (no filter here)
                if not (counted[1] and counted[0] is not None and counted[0] <= self.RANK_WINDOW):
                    thr = self._window(qs, offset + limit)
            win = "" if thr is None else " AND rowid >= ?"
            ex = f"(rowid IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?{win}))" if qx else "1"
            sql = (f"WITH m AS (SELECT rowid, {bm} AS r, {ex} AS exact FROM doc_fts WHERE doc_fts MATCH ?{win} "
                   f"ORDER BY exact DESC, r ASC, rowid ASC LIMIT ? OFFSET ?) "
                   f"SELECT {cols}, m.r AS r, m.exact AS exact FROM m CROSS JOIN documents d ON d.rowid = m.rowid "
                   f"ORDER BY m.exact DESC, m.r ASC, d.rowid ASC")
            tp = [] if thr is None else [thr]
            all_params = ([qx] + tp if qx else []) + [q] + tp + [limit, offset]
        if single is not None:
            order = self._alternatives_order(single)
            q = "(" + " OR ".join(f'{col} : "{tok}"' for _l, _s, col, tok, _df in order) + ")" if order else \
                f'surface : "{single.words[0]}"'
            qs = merge_alternatives([(col, f'"{tok}"') for _l, _s, col, tok, _df in order]) if order else q
            rows = self._ranked_alternatives(order, w, params, limit, offset, bm, via_set)
        else:
            rows = self._run(sql, all_params)
        total, total_exact = counted if counted is not None else self._count(qs, w, params, count, via_set)
        hits = []
        hl = Highlighter(pq, mode, self.splitter_name) if snippets and rows else None
        texts = {}
        if hl is not None:
            ids = [r["rowid"] for r in rows]
            texts = {r["rowid"]: r["text"] for r in self._run(
                "SELECT rowid, text FROM documents WHERE rowid IN (%s)" % ",".join("?" * len(ids)), ids)}
        for r in rows:
            hit = {"id": r["id"], "external_id": r["external_id"], "title": r["title"], "url": r["url"],
                   "outlet": r["outlet"], "published": r["published"], "topic": r["topic"],
                   "subject": r["subject"], "country": r["country"],
                   "score": round(-float(r["r"]), 4), "exact": bool(r["exact"])}
            if hl is not None:
                sn = hl.snippet(texts[r["rowid"]], snippet_width)
                hit["snippet"] = sn.marked()
                hit["snippet_start"] = sn.start
                hit["snippet_end"] = sn.end
                hit["highlights"] = [list(h) for h in sn.highlights]
            hits.append(hit)
        return SearchResults(query=pq.text, mode=mode, fts=q, total=total, offset=offset, hits=hits,
                             total_exact=total_exact)

    def _count(self, q: str, w: str, params: list, count, via_set: bool = False) -> tuple[int | None, bool]:
        """``(total, exact)``: the number of matching articles (``count`` True), or at most ``count`` (a bound:
        counting stops there and ``exact`` is False when there are more), or ``(None, False)``."""
        count = self._count_arg(count)
        if count is False or count is None or count == 0:
            return None, False
        bound = None if count is True else int(count)
        if bound is not None and bound < 0:
            raise FilterError(f"count must be True, False, a bound >= 0, 'exact' or 'bounded' (got {count!r})",
                              source="count")
        if w:
            inner = f"SELECT 1 FROM {self._matches(w, via_set)}"
            args = [q] + params
        else:  # every indexed row is an article: no need to read the articles
            inner, args = "SELECT 1 FROM doc_fts WHERE doc_fts MATCH ?", [q]
        if bound is None:
            return self._run(f"SELECT count(*) AS n FROM ({inner})", args)[0]["n"], True
        n = self._run(f"SELECT count(*) AS n FROM ({inner} LIMIT ?)", args + [bound + 1])[0]["n"]
        return min(n, bound), n <= bound

    @staticmethod
    def _count_arg(count):
        """``search``'s ``count`` with its words read: ``"exact"`` is True, ``"bounded"`` :data:`COUNT_BOUND`."""
        if isinstance(count, str):
            if count not in ("exact", "bounded"):
                raise FilterError(f"count must be True, False, a bound >= 0, 'exact' or 'bounded' (got {count!r})",
                                  source="count")
            return True if count == "exact" else COUNT_BOUND
        return count

    @staticmethod
    def _via_set(*, country=None, **selective) -> bool:
        """Whether a filtered search looks its matches up in the set of filtered articles (an outlet, topic,
        subject, speaker, entity, source or id filter: an index lookup selects a small share of the store) rather
        than reading each match's article (dates alone select a large share; the country filter reads a column
        past the text, which only the matches' articles should pay)."""
        return country is None and any(v is not None for v in selective.values())

    @staticmethod
    def _matches(w: str, via_set: bool, bm: str | None = None) -> str:
        """``FROM`` clause of the matches (``m0``: ``rowid``, and ``r`` the BM25 rank when ``bm``) of a MATCH
        (its parameter first) whose articles pass the filters ``w`` (``WHERE ...`` over ``documents d``, its
        parameters next): with ``via_set`` the filtered rowids are selected once through the filters' indexes
        and each match looked up among them (``+rowid``: never one MATCH per filtered article), else each
        match's article is read."""
        r = f", {bm} AS r" if bm else ""
        if via_set:
            return (f"(SELECT rowid{r} FROM doc_fts WHERE doc_fts MATCH ? "
                    f"AND +rowid IN (SELECT d.rowid FROM documents d {w})) m0")
        return (f"(SELECT rowid{r} FROM doc_fts WHERE doc_fts MATCH ?) m0 "
                f"CROSS JOIN documents d ON d.rowid = m0.rowid {w}")

    # a query (or one form of a word) matching more articles than this is ranked among its newest matches only
    RANK_WINDOW = 1000

    def _window(self, match: str, want: int) -> int | None:
        """The rowid from which the newest :attr:`RANK_WINDOW` articles matching ``match`` start, or None when
        fewer match (or when the page asked for reaches past the window): found in rowid order, without
        ranking, so it costs little even for a prefix that matches most of the store."""
        if not self.RANK_WINDOW or want > self.RANK_WINDOW:
            return None
        r = self._run("SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                      [match, self.RANK_WINDOW - 1])
        return int(r[0]["rowid"]) if r else None

    @staticmethod
    def _single_word(node):
        """The Term of a query that is one plain word (ranked by its alternatives), else None."""
        from .query import Term
        if isinstance(node, Term) and not node.phrase and not node.prefix and len(node.words) == 1:
            return node
        return None

    def _hit_columns(self) -> str:
        """Every column of ``documents`` a hit may show (the text and the annotations blob left out)."""
        if self._hit_cols is None:
            cols = [r["name"] for r in self._run("PRAGMA table_info(documents)")
                    if r["name"] not in ("text", "annotations")]
            self._hit_cols = ", ".join(f'd."{c}" AS "{c}"' for c in cols)
        return self._hit_cols

    def _doc_freq(self, col: str, tok: str) -> int:
        """Number of articles whose ``col`` column holds ``tok`` (fts5vocab; a MATCH count as the fallback)."""
        if self._vocab is None:
            try:
                with self._lock:
                    self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.khabar_doc_vocab USING "
                                      "fts5vocab(main, 'doc_fts', 'col')")
                self._vocab = True
            except sqlite3.DatabaseError:
                self._vocab = False
        if self._vocab:
            r = self._run("SELECT doc FROM temp.khabar_doc_vocab WHERE term = ? AND col = ?", [tok, col])
            return int(r[0]["doc"]) if r else 0
        return self._run("SELECT count(*) AS n FROM doc_fts WHERE doc_fts MATCH ?",
                         [f'{col} : "{tok}"'])[0]["n"]

    # a stem (another inflection) is searched only while it does not bring in more than this many times the
    # articles the word's own forms find (plus a few): آخرين → آخر, أولية → أول are other words
    STEM_FANOUT = (2, 10)
    # ... and only when the word's own forms find at most this many articles (a page of hits; None: whatever they
    # find): the stems rank below every own form, so past a page they only add to the count, and about half of
    # them are other words (جامعة → جامع, فكرة → فكر, تعبئة → تعب; README, search)
    STEM_RELAX: int | None = 10

    def _alternatives_order(self, term) -> list[tuple]:
        """The word's alternatives that occur in the store, in rank order: its own forms (typed, less a clitic,
        its core) by ``closeness * idf``, then its stems (another inflection), each kept only within
        :attr:`STEM_FANOUT` of the own forms' article count and only when those find at most
        :attr:`STEM_RELAX` articles (query relaxation)."""
        import math

        n_docs = self._run("SELECT max(rowid) AS n FROM documents")[0]["n"] or 0
        key = (self.path, self.splitter_name, term.words, term.originals, n_docs)
        hit = self._alt_cache.get(key)
        if hit is not None:
            return hit

        def ordered(alts) -> list[tuple]:
            out = []
            own_df = 0
            for lvl, close, col, tok in alts:
                df = self._doc_freq(col, tok)
                if not df:
                    continue
                if lvl == 0:
                    own_df = max(own_df, df)
                elif (self.STEM_RELAX is not None and own_df > self.STEM_RELAX
                      or df > self.STEM_FANOUT[0] * own_df + self.STEM_FANOUT[1]):
                    continue
                out.append((lvl, -close * math.log((n_docs + 1) / (df + 0.5)), col, tok, df))
            return sorted(out)

        order = ordered(self._compiler.alternatives(term))
        if not any(o[0] == 0 for o in order) and self._compiler.ta_final(term):
            # no article holds the ة reading of a ه typed after the article: read it as a pronoun after all
            # (a reader who typed the pronoun against the grammar: بالبطله for بالبطل + ه)
            order = ordered(self._compiler.alternatives(term, article_ta=False))
        cache = self._alt_cache
        if len(cache) > 20_000:  # compiled words, while the store holds the same articles
            cache.clear()
        cache[key] = order
        return order

    def _ranked_alternatives(self, order, w: str, params: list, limit: int, offset: int, bm: str,
                             via_set: bool = False) -> list[dict]:
        """One word's hits, ranked: its own forms (typed, less a clitic, its core) before other inflections (its
        stem); among its own forms the rarer and closer to the typed form first (``closeness * idf``), so the
        article that holds the typed form, or the form less the clitic typed with it, comes first; within one
        form, BM25.  Stops as soon as ``offset + limit`` hits are found."""
        want = offset + limit
        out: list[dict] = []
        seen: set[int] = set()
        for lvl, _s, col, tok, df in order:
            if len(out) >= want:
                break
            n = want - len(out) + len(seen)
            match = f'{col} : "{tok}"'
            # a common form is ranked among its newest RANK_WINDOW articles (BM25 over every one of them is most
            # of the time of a common word's search)
            thr = self._window(match, want) if not w and df > self.RANK_WINDOW else None
            if w:
                sql = (f"WITH m AS (SELECT m0.rowid AS rowid, m0.r AS r FROM {self._matches(w, via_set, bm)} "
                       f"ORDER BY r ASC, m0.rowid ASC LIMIT ?) "
                       f"SELECT d.rowid AS rowid, {self._hit_columns()}, m.r AS r, "
                       f"{int(lvl == 0)} AS exact FROM m CROSS JOIN documents d ON d.rowid = m.rowid "
                       f"ORDER BY m.r ASC, d.rowid ASC")
                args = [match] + params + [n]
            else:  # no filter: ranked inside the index, only the articles shown read
                win = "" if thr is None else " AND rowid >= ?"
                sql = (f"WITH m AS (SELECT rowid, {bm} AS r FROM doc_fts WHERE doc_fts MATCH ?{win} "
                       f"ORDER BY r ASC, rowid ASC LIMIT ?) "
                       f"SELECT d.rowid AS rowid, {self._hit_columns()}, m.r AS r, "
                       f"{int(lvl == 0)} AS exact FROM m CROSS JOIN documents d ON d.rowid = m.rowid "
                       f"ORDER BY m.r ASC, d.rowid ASC")
                args = [match] + ([] if thr is None else [thr]) + [n]
            for r in self._run(sql, args):
                if r["rowid"] not in seen:
                    seen.add(r["rowid"])
                    out.append(r)
        return out[offset:offset + limit]

    def count(self, query: str, *, mode: str = "stem", **filters) -> int:
        return self.search(query, mode=mode, limit=0, snippets=False, **filters).total or 0

    @staticmethod
    def _limits(limit, offset) -> tuple[int, int]:
        try:
            limit, offset = int(limit), int(offset)
        except (TypeError, ValueError):
            raise FilterError(f"limit and offset must be whole numbers (got {limit!r}, {offset!r})",
                              source="limit") from None
        if limit < 0 or offset < 0:
            raise FilterError(f"limit and offset must be >= 0 (got {limit}, {offset})", source="limit")
        return min(limit, 10_000), offset

    def quotes(self, *, speaker: str | None = None, about: str | None = None, doc: str | None = None,
               kind: str | None = None, mode: str = "stem", limit: int = 20, offset: int = 0,
               outlet: str | None = None, since: str | None = None, until: str | None = None) -> list[dict]:
        """Quotations, filtered by speaker, by what they say (``about``: a search query over the quotation
        text) and by document.

        ``speaker`` matches the speaker's name (folded, whole words), the speaker's actor key, or any actor whose
        name contains those words (so ``سورز`` finds the quotes of جون سورز under every alias the articles
        resolved to him).
        """
        limit, offset = self._limits(limit, offset)
        where, params = self._filters(outlet=outlet, since=since, until=until)
        if speaker:
            n = norm_name(speaker)
            if not n:
                raise FilterError(f"--speaker {speaker!r} has no letters", source="speaker")
            p1: list = []
            like = self._word_like("q.speaker_norm", n, p1)
            alike = self._word_like("norm", n, p1)
            where.append(f"(q.speaker_key = ? OR {like} OR q.speaker_key IN (SELECT key FROM actors WHERE {alike}))")
            params += [speaker] + p1
        if kind:
            where.append("q.kind = ?")
            params.append(kind)
        if doc:
            rid = self.resolve(doc)["rowid"]
            where.append("q.doc = ?")
            params.append(rid)
        if about:
            if mode not in MODES:
                raise FilterError(f"unknown search mode {mode!r}", source="mode")
            pq = parse_query(about)
            where.append("q.rowid IN (SELECT rowid FROM quote_fts WHERE quote_fts MATCH ?)")
            params.append(self._compiler.compile(pq.root, mode))
        w = ("WHERE " + " AND ".join(where)) if where else ""
        rows = self._run(
            "SELECT d.id AS doc_id, d.external_id AS external_id, d.title AS title, d.outlet AS outlet, "
            "d.published AS published, q.idx AS idx, q.start_char AS start, q.end_char AS end, q.kind AS kind, "
            "q.speaker AS speaker, q.speaker_key AS speaker_key, q.cue_text AS cue_text, q.attrs AS attrs, "
            "substr(d.text, q.start_char + 1, q.end_char - q.start_char) AS content "
            f"FROM quotes q JOIN documents d ON d.rowid = q.doc {w} "
            "ORDER BY d.published DESC, d.rowid, q.idx LIMIT ? OFFSET ?", params + [limit, offset])
        for r in rows:
            r["attrs"] = json.loads(r["attrs"]) if r["attrs"] else {}
        return rows

    def actors(self, *, top: int = 20, type: str | None = None, name: str | None = None,
               offset: int = 0) -> list[dict]:
        """Actors across documents (grouped by their cross-document key), most widely reported first."""
        top, offset = self._limits(top, offset)
        where, params = ["a.key IS NOT NULL"], []
        if type:
            where.append("a.type = ? COLLATE NOCASE")
            params.append(type)
        if name:
            n = norm_name(name)
            if not n:
                raise FilterError(f"--name {name!r} has no letters", source="name")
            where.append(self._word_like("a.norm", n, params))
        rows = self._run(
            "SELECT a.key AS key, count(DISTINCT a.doc) AS documents, sum(a.mentions) AS mentions, "
            "(SELECT a2.name FROM actors a2 WHERE a2.key = a.key GROUP BY a2.name ORDER BY count(*) DESC, "
            " a2.name LIMIT 1) AS name, "
            "(SELECT a3.type FROM actors a3 WHERE a3.key = a.key GROUP BY a3.type ORDER BY count(*) DESC "
            " LIMIT 1) AS type, "
            "(SELECT count(*) FROM quotes q WHERE q.speaker_key = a.key) AS quotes "
            f"FROM actors a WHERE {' AND '.join(where)} GROUP BY a.key "
            "ORDER BY documents DESC, mentions DESC, a.key LIMIT ? OFFSET ?", params + [top, offset])
        return rows

    def compile_query(self, query: str, mode: str = "stem") -> str:
        """The FTS5 expression of a search query (its syntax: :mod:`khabar.store.query`; E310 if malformed), to
        match against the ``doc_fts`` / ``quote_fts`` tables in :meth:`execute`."""
        if mode not in MODES:
            raise FilterError(f"unknown search mode {mode!r}", source="mode")
        return self._compiler.compile(parse_query(query).root, mode)

    def resolve(self, ident: str) -> dict:
        """``{"rowid", "id"}`` of the stored article with this id, external id or url (E305 if none)."""
        ident = str(ident).strip()
        for col in ("id", "external_id", "url"):
            rows = self._run(f"SELECT rowid, id FROM documents WHERE {col} = ? ORDER BY rowid LIMIT 1", [ident])
            if rows:
                return rows[0]
        raise DocumentNotFoundError(f"no document {ident!r} in this database", source=self.path)

    def get(self, ident: str) -> dict:
        """One article with its metadata and annotations (JSON-ready).  ``ident``: hash, external id or url."""
        rid = self.resolve(ident)["rowid"]
        d = self._run("SELECT * FROM documents WHERE rowid = ?", [rid])[0]
        ann = load_annotations(d.pop("annotations"))
        d.pop("rowid", None)
        d["annotations"] = ann
        return d

    def document(self, ident: str) -> Document:
        """The stored article as a :class:`Document` with its stored layers."""
        d = self.get(ident)
        meta = {k: d[k] for k in ("title", "url", "outlet", "published_raw", "external_id", "language", "topic")
                if d.get(k) is not None}
        if "published_raw" in meta:
            meta["published"] = meta.pop("published_raw")
        obj = {"id": d["id"], "meta": meta, "text": d["text"], **d["annotations"]}
        return Document.from_json(obj)

    def ids(self) -> list[str]:
        return [r["id"] for r in self._run("SELECT id FROM documents ORDER BY rowid")]

    def stats(self) -> dict:
        out: dict[str, Any] = {"path": self.path, "schema_version": current_version(self.conn),
                               "clitic_splitter": self.splitter_name,
                               "prefix_index": has_prefix_index(self.conn)}
        counts = {}
        for t in TABLES:
            counts[t] = self._run(f"SELECT count(*) AS n FROM {t}")[0]["n"]
        out["counts"] = counts
        out["outlets"] = {r["outlet"] or "": r["n"] for r in self._run(
            "SELECT outlet, count(*) AS n FROM documents GROUP BY outlet ORDER BY n DESC")}
        out["topics"] = {r["topic"] or "": r["n"] for r in self._run(
            "SELECT topic, count(*) AS n FROM documents GROUP BY topic ORDER BY n DESC")}
        rng = self._run("SELECT min(published) AS a, max(published) AS b FROM documents")[0]
        out["published"] = {"from": rng["a"], "to": rng["b"]}
        if self.path != ":memory:" and Path(self.path).exists():
            out["bytes"] = Path(self.path).stat().st_size
            wal = Path(self.path + "-wal")
            out["wal_bytes"] = wal.stat().st_size if wal.exists() else 0
        return out

    def layer_spans(self, ident: str, layer: str) -> list[Span]:
        doc = self.document(ident)
        return list(doc.layers.get(layer, ()))


class SearchResults:
    """Search hits (list of dicts) with the total count and the FTS5 expression that was run."""

    def __init__(self, *, query: str, mode: str, fts: str, total: int | None, offset: int, hits: list[dict],
                 total_exact: bool | None = None):
        self.query, self.mode, self.fts, self.total, self.offset, self.hits = query, mode, fts, total, offset, hits
        # False when ``total`` is a bound the count stopped at (``search(count=N)``: "more than N")
        self.total_exact = total is not None if total_exact is None else total_exact

    def __iter__(self):
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i):
        return self.hits[i]

    def to_json(self) -> dict:
        return {"query": self.query, "mode": self.mode, "total": self.total, "total_exact": self.total_exact,
                "offset": self.offset, "hits": self.hits}
