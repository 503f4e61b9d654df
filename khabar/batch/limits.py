"""Per-article time limit, so that one pathological article cannot stall a partition.

:func:`deadline` raises :class:`ArticleTimeout` in the analysing thread when the block runs past ``seconds``:

* in a process's main thread (a local process-pool worker) with ``SIGALRM`` / ``setitimer``;
* in any other thread (a Dask worker runs tasks in a thread) by a timer thread that sets an asynchronous
  exception on the analysing thread (``PyThreadState_SetAsyncExc``).

Both interrupt Python code at the next bytecode boundary; a single long call into C code (one huge regular
expression match) is interrupted when it returns.  The size limit (``max_chars``) is the guard against that.
"""
from __future__ import annotations

import ctypes
import signal
import threading
from contextlib import contextmanager


class ArticleTimeout(Exception):
    """The analysis of one article ran past its time limit."""


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float | None):
    if not seconds or seconds <= 0:
        yield
        return
    if _main_thread() and hasattr(signal, "setitimer"):
        def _alarm(signum, frame):
            raise ArticleTimeout(f"analysis ran past {seconds:g} s")

        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        return
    yield from _thread_deadline(seconds)


def _thread_deadline(seconds: float):
    tid = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire():
        with lock:
            if state["active"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(ArticleTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
            if state["fired"]:
                # clear a pending exception that has not been raised yet (the block may have just finished)
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)
