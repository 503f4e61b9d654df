"""Store and search errors (codes ``E3xx``): defined in the registry :mod:`khabar.errors`, named here too."""
from __future__ import annotations

from ..errors import (DatabaseBusyError, DatabaseNotFoundError, DocumentNotFoundError, FilterError,
                      IndexMismatchError, NotADatabaseError, QuerySyntaxError, QueryTimeoutError, ReadOnlyError,
                      SchemaVersionError, StoreError)

__all__ = ["DatabaseBusyError", "DatabaseNotFoundError", "DocumentNotFoundError", "FilterError",
           "IndexMismatchError", "NotADatabaseError", "QuerySyntaxError", "QueryTimeoutError", "ReadOnlyError",
           "SchemaVersionError", "StoreError"]
