"""Parquet output of analysed documents (needs ``pyarrow``: ``pip install "khabar[batch]"``).

* :func:`write_rows` writes one table file atomically (a temporary name, then a rename), so a reader or a resumed
  run never sees half a file;
* :func:`write_documents` writes the tables of :mod:`khabar.batch.tables` for a list of analysed Documents into a
  folder (what ``khabar batch`` does per partition, usable on its own);
* :func:`read_table` reads one table of a batch output folder (every partition, in name order) as a
  ``pyarrow.Table``; :func:`iter_rows` yields its rows as dicts, one partition at a time (bounded memory).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..errors import MissingDependencyError  # noqa: F401 - defined in the error registry, named here too


def require_pyarrow():
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingDependencyError("Parquet output needs the pyarrow package, which is not installed",
                                     source="pyarrow") from None
    return pyarrow


_TYPES = {"string": "string", "int32": "int32", "int64": "int64", "float64": "float64"}
_SCHEMAS: dict = {}


def schema(table: str):
    """The ``pyarrow.Schema`` of a batch table."""
    pa = require_pyarrow()
    if table not in _SCHEMAS:
        from ..batch.tables import COLUMNS, TABLE_SCHEMA_VERSION

        fields = [pa.field(name, getattr(pa, _TYPES[t])()) for name, t in COLUMNS[table]]
        _SCHEMAS[table] = pa.schema(fields, metadata={b"khabar.table": table.encode(),
                                                      b"khabar.table_schema": TABLE_SCHEMA_VERSION.encode()})
    return _SCHEMAS[table]


def write_rows(rows: Sequence[dict], table: str, path: str | os.PathLike, *, compression: str = "zstd") -> int:
    """Write ``rows`` (dicts keyed by the table's columns) to ``path`` atomically; return the number of rows."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    sch = schema(table)
    tbl = pa.Table.from_pylist(list(rows), schema=sch)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(tbl, tmp, compression=compression)
    os.replace(tmp, path)
    return tbl.num_rows


def part_name(partition: int) -> str:
    return f"part-{partition:05d}.parquet"


def write_documents(docs: Iterable, out_dir: str | os.PathLike, *, partition: int = 0, pipeline: str = "",
                    source: str | None = None) -> dict[str, int]:
    """Write analysed Documents as the batch tables under ``out_dir``; return rows written per table."""
    from ..batch.tables import TABLES, document_rows

    rows: dict[str, list] = {t: [] for t in TABLES}
    for i, doc in enumerate(docs):
        for t, rs in document_rows(doc, seq=i, partition=partition, source=source, line=None,
                                   pipeline=pipeline).items():
            rows[t].extend(rs)
    return {t: write_rows(rows[t], t, Path(out_dir) / t / part_name(partition)) for t in TABLES}


def table_files(out_dir: str | os.PathLike, table: str) -> list[Path]:
    d = Path(out_dir) / table
    return sorted(p for p in d.glob("part-*.parquet")) if d.is_dir() else []


def read_table(out_dir: str | os.PathLike, table: str, columns: Sequence[str] | None = None):
    """One table of a batch output folder as a ``pyarrow.Table`` (partitions concatenated in name order)."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    files = table_files(out_dir, table)
    if not files:
        return schema(table).empty_table() if columns is None else \
            pa.schema([schema(table).field(c) for c in columns]).empty_table()
    return pa.concat_tables([pq.read_table(f, columns=list(columns) if columns else None) for f in files])


def iter_rows(out_dir: str | os.PathLike, table: str, columns: Sequence[str] | None = None,
              batch_size: int = 256) -> Iterator[dict]:
    """Rows of one table as dicts, reading a record batch at a time."""
    require_pyarrow()
    import pyarrow.parquet as pq

    for f in table_files(out_dir, table):
        pf = pq.ParquetFile(f)
        for batch in pf.iter_batches(batch_size=batch_size, columns=list(columns) if columns else None):
            yield from batch.to_pylist()
