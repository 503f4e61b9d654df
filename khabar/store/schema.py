"""The SQLite schema of a khabar store, versioned with ``PRAGMA user_version`` and upgraded by migrations.

Version history:

1. documents, sentences, entities, actors, quotes, sources, dates, events (ready, filled when the events stage
   exists), meta; FTS5 tables ``doc_fts`` and ``quote_fts`` over our own search views (surface, clitic, stem),
   contentless (the views are recomputed from the text when needed).
2. documents gain ``subject``, ``subject_score``, ``country`` (main) and ``countries`` (space-separated ISO 3166
   alpha-3 codes, main first) from the topic stage, indexed for the ``subject`` and ``country`` filters (documents
   stored before stay NULL until analysed again).

``doc_fts`` of a store created now also keeps FTS5 prefix indexes of 2 and 3 letters (``prefix='2 3'``): a short
prefix search (``الم*``) reads one list instead of merging the lists of every word form it expands to.  A store
created before has none (its searches stay right, prefix searches slow) until ``khabar reindex`` rebuilds the
table with :data:`DOC_FTS_DDL` (see :func:`has_prefix_index`); nothing stored is lost, the index is recomputed from
the stored texts.

A migration is a function ``(connection) -> None`` run inside one transaction together with the
``user_version`` bump, so a crash during an upgrade leaves the database at the old version, intact.

Offsets (``start_char``/``end_char``) are code points into ``documents.text``, end exclusive.  Every child table
refers to ``documents.rowid`` (``doc``); ``documents.id`` is the canonical-text hash, the idempotency key.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE IF NOT EXISTS documents (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,      -- hash of the canonical text (Document.id): the idempotency key
    external_id  TEXT,                      -- id / docno of the input record, if any
    title        TEXT,
    url          TEXT,
    outlet       TEXT,
    published    TEXT,                      -- ISO 8601 (UTC when the input had a zone), or NULL
    published_raw TEXT,                     -- as the input gave it
    topic        TEXT,
    language     TEXT,
    source       TEXT,                      -- where it was read from: path, path:line
    text         TEXT NOT NULL,
    n_chars      INTEGER NOT NULL,
    n_words      INTEGER NOT NULL,
    annotations  BLOB,                      -- zlib-compressed JSON of the layers (tokens and views left out)
    pipeline     TEXT,                      -- stage names and versions that produced the annotations
    ingested_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_external ON documents(external_id);
CREATE INDEX IF NOT EXISTS documents_url ON documents(url);
CREATE INDEX IF NOT EXISTS documents_published ON documents(published);
CREATE INDEX IF NOT EXISTS documents_outlet ON documents(outlet COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS documents_topic ON documents(topic);

CREATE TABLE IF NOT EXISTS sentences (
    doc        INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS actors (
    doc        INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    local_id   TEXT NOT NULL,               -- the actor's id inside its document
    name       TEXT,
    type       TEXT,
    key        TEXT,                        -- cross-document key: the same key = the same actor across articles
    norm       TEXT,                        -- folded name, for look-ups
    mentions   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc, local_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS actors_key ON actors(key);
CREATE INDEX IF NOT EXISTS actors_norm ON actors(norm);

CREATE TABLE IF NOT EXISTS entities (
    doc        INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    label      TEXT,
    text       TEXT,
    norm       TEXT,
    actor      TEXT,                        -- local actor id, if the mention belongs to one
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_norm ON entities(norm);

CREATE TABLE IF NOT EXISTS quotes (
    rowid        INTEGER PRIMARY KEY,
    doc          INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    kind         TEXT,                      -- direct | indirect
    speaker      TEXT,                      -- speaker name as resolved (actor name or mention)
    speaker_norm TEXT,
    speaker_key  TEXT,                      -- cross-document actor key of the speaker, if resolved
    actor        TEXT,                      -- local actor id of the speaker
    cue_text     TEXT,
    attrs        TEXT,                      -- the span's other attributes, JSON
    UNIQUE (doc, idx)
);
CREATE INDEX IF NOT EXISTS quotes_speaker_norm ON quotes(speaker_norm);
CREATE INDEX IF NOT EXISTS quotes_speaker_key ON quotes(speaker_key);

CREATE TABLE IF NOT EXISTS sources (
    doc        INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    text       TEXT,
    norm       TEXT,
    cue_text   TEXT,
    attrs      TEXT,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sources_norm ON sources(norm);

CREATE TABLE IF NOT EXISTS dates (
    doc        INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    text       TEXT,
    value      TEXT,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dates_value ON dates(value);

CREATE TABLE IF NOT EXISTS events (
    doc          INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    start_char   INTEGER,
    end_char     INTEGER,
    code         TEXT,                      -- CAMEO code
    source_actor TEXT,
    target_actor TEXT,
    attrs        TEXT,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_code ON events(code);

CREATE VIRTUAL TABLE IF NOT EXISTS doc_fts USING fts5(
    surface, clitic, stem, content='', prefix='2 3', tokenize='unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS quote_fts USING fts5(
    surface, clitic, stem, content='', tokenize='unicode61 remove_diacritics 0'
);
"""


DOC_FTS_DDL = ("CREATE VIRTUAL TABLE doc_fts USING fts5(surface, clitic, stem, content='', prefix='2 3', "
               "tokenize='unicode61 remove_diacritics 0')")


def has_prefix_index(conn: sqlite3.Connection) -> bool:
    """Whether the store's ``doc_fts`` keeps the 2- and 3-letter prefix indexes (stores made before do not)."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'doc_fts'").fetchone()
    return bool(row and row[0] and "prefix=" in row[0].replace(" ", ""))


def _migrate_1(conn: sqlite3.Connection) -> None:
    _exec_script(conn, SCHEMA_V1)


def _exec_script(conn: sqlite3.Connection, script: str) -> None:
    """Run a script statement by statement inside the caller's transaction (executescript would COMMIT)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            stmt = buf.strip()
            if stmt:
                conn.execute(stmt)
            buf = ""


def _migrate_2(conn: sqlite3.Connection) -> None:
    for col, typ in (("subject", "TEXT"), ("subject_score", "REAL"), ("country", "TEXT"), ("countries", "TEXT")):
        conn.execute(f"ALTER TABLE documents ADD COLUMN {col} {typ}")
    conn.execute("CREATE INDEX IF NOT EXISTS documents_subject ON documents(subject)")
    conn.execute("CREATE INDEX IF NOT EXISTS documents_country ON documents(country)")


MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "initial schema: documents, annotations, FTS5 views", _migrate_1),
    (2, "documents: subject, subject_score, country, countries (topic stage)", _migrate_2),
]
LATEST_VERSION = MIGRATIONS[-1][0]
TABLES = ("documents", "sentences", "entities", "actors", "quotes", "sources", "dates", "events")


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Bring a (writable) database to :data:`LATEST_VERSION`; return the versions applied."""
    applied = []
    for version, _desc, fn in MIGRATIONS:
        if current_version(conn) >= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) < version:  # another writer may have done it while we waited
                fn(conn)
                conn.execute(f"PRAGMA user_version = {int(version)}")
                applied.append(version)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied
