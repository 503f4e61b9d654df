"""Store and search errors (codes ``E3xx``), in the hierarchy of :mod:`khabar.errors`."""
from __future__ import annotations

from ..errors import KhabarError


class StoreError(KhabarError):
    """The database cannot be opened, read or written."""
    code = "E300"
    hint = "check the --db path; `khabar ingest` creates a database"


class DatabaseNotFoundError(StoreError):
    code = "E301"
    hint = "create it first with `khabar ingest PATH --db FILE` or `khabar demo`"


class SchemaVersionError(StoreError):
    code = "E302"
    hint = "this database was written by a newer khabar; upgrade khabar to read it"


class ReadOnlyError(StoreError):
    code = "E303"
    hint = "the store was opened read-only; open it without readonly=True to write"


class NotADatabaseError(StoreError):
    code = "E304"
    hint = "the file is not a khabar SQLite database; pass another --db path"


class DocumentNotFoundError(StoreError):
    code = "E305"
    hint = "pass a document id (16 hex digits) or an external id (docno, id or url) that `khabar search` shows"


class QueryTimeoutError(StoreError):
    code = "E306"
    hint = "narrow the query (more terms, a filter) or raise the time limit"


class DatabaseBusyError(StoreError):
    code = "E307"
    hint = "another process is writing this database; wait for it to finish (one writer at a time)"


class QuerySyntaxError(StoreError):
    """A search query that cannot be parsed.  ``position`` is the character index of the problem, if known."""
    code = "E310"
    hint = ('write words, "exact phrases", -excluded words, word* prefixes, OR between alternatives, '
            'and balanced parentheses')

    def __init__(self, message: str, *, query: str | None = None, position: int | None = None,
                 hint: str | None = None):
        self.query = query
        self.position = position
        super().__init__(message, source="query", hint=hint)

    def to_json(self) -> dict:
        d = super().to_json()
        d["position"] = self.position
        return d


class FilterError(StoreError):
    """A filter value that cannot be used (a date that is not a date, a negative limit ...)."""
    code = "E311"
    hint = "dates are YYYY, YYYY-MM or YYYY-MM-DD; limits and offsets are whole numbers >= 0"
