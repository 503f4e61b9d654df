"""The khabar store: analysed articles in SQLite, with Arabic-aware full-text search.

>>> from khabar.store import Store
>>> with Store("khabar.db", readonly=True) as st:            # doctest: +SKIP
...     for hit in st.search("إيران", outlet="CNN", limit=5):
...         print(hit["title"], hit["snippet"])

``Store(path, readonly=False)`` creates or upgrades the database; ``readonly=True`` opens it read-only (for a web
server: many readers, one writer).  Methods: ``ingest_documents``, ``add``, ``search``, ``count``, ``quotes``,
``actors``, ``get``, ``document``, ``stats``, ``reindex``.
"""
from __future__ import annotations

from .errors import (DatabaseBusyError, DatabaseNotFoundError, DocumentNotFoundError, FilterError,
                     NotADatabaseError, QuerySyntaxError, QueryTimeoutError, ReadOnlyError, SchemaVersionError,
                     StoreError)
from .query import compile_query, parse_query
from .schema import LATEST_VERSION
from .store import DEFAULT_DB, IndexMismatchError, SearchResults, Store
from .views import light_stem, word_views

__all__ = ["Store", "SearchResults", "DEFAULT_DB", "LATEST_VERSION", "parse_query", "compile_query", "light_stem",
           "word_views", "StoreError", "DatabaseNotFoundError", "SchemaVersionError", "ReadOnlyError",
           "NotADatabaseError", "DocumentNotFoundError", "QueryTimeoutError", "DatabaseBusyError",
           "QuerySyntaxError", "FilterError", "IndexMismatchError"]
