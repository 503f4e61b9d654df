"""Batch runs: the pipeline mapped over partitions of a large input by a local process pool or by Dask, writing
Parquet tables (``pip install "khabar[batch]"`` for pyarrow and dask.distributed).

>>> from khabar.batch import BatchOptions, run_batch
>>> rep = run_batch(BatchOptions(["news.jsonl.gz"], "out/", engine="dask", workers=2))  # doctest: +SKIP
>>> print(rep.summary())                                                                # doctest: +SKIP

See :mod:`khabar.batch.engine` (driver), :mod:`khabar.batch.worker` (what runs on a worker),
:mod:`khabar.batch.tables` (the tables) and :mod:`khabar.batch.load` (Parquet output into the store).
"""
from .engine import BatchError, BatchOptions, BatchReport, run_batch
from .worker import Limits

__all__ = ["BatchError", "BatchOptions", "BatchReport", "Limits", "run_batch"]
