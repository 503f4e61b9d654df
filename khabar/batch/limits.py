"""Per-article time limit of a batch worker: the shared one of :mod:`khabar.limits` (kept here for imports).

:func:`deadline` raises :class:`ArticleTimeout` (= :class:`khabar.errors.ArticleTimeoutError`, code E503) in the
analysing thread when the block runs past ``seconds``: with ``SIGALRM`` in a process's main thread (a local
process-pool worker), with an asynchronous exception from a timer thread elsewhere (a Dask worker runs tasks in
a thread).  A single long call into C code is interrupted when it returns; the size limit (``max_chars``) guards
against that, and the local engine kills a worker process that stays stuck far past its partition's limits.
"""
from __future__ import annotations

from ..errors import ArticleTimeoutError
from ..limits import deadline

ArticleTimeout = ArticleTimeoutError

__all__ = ["ArticleTimeout", "deadline"]
