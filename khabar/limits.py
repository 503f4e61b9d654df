"""Per-article limits, so that one pathological article cannot stall a command, an ingest, a batch or the server.

Two limits, the same everywhere (``khabar analyze``, ``khabar ingest``, ``khabar batch``, ``khabar serve`` and
:class:`khabar.pipeline.Pipeline`):

* **size**: an article longer than ``max_chars`` characters (code points of its text) is refused before any
  analysis, with :class:`~khabar.errors.InputTooLargeError` (``E105``) naming the input;
* **time**: an article whose analysis runs past ``timeout`` seconds is stopped, with
  :class:`~khabar.errors.ArticleTimeoutError` (``E503``) naming the input.

Defaults: :data:`DEFAULT_MAX_CHARS` characters and :data:`DEFAULT_TIMEOUT` seconds, or the environment variables
``KHABAR_MAX_CHARS`` / ``KHABAR_TIMEOUT`` (``0``: no limit); command-line options override both.  The server
has its own, smaller defaults for posted articles (see :mod:`khabar.server.app`).

How the time limit stops a running analysis (:class:`deadline`):

* in a process's main thread (``khabar analyze``, a single-process ingest, a local batch or ingest worker) with
  ``SIGALRM`` (``setitimer``): cheap, a few microseconds an article;
* in any other thread (the server's analysis threads, a Dask worker's task thread) by a timer thread that sets
  an asynchronous exception on the analysing thread (``PyThreadState_SetAsyncExc``).

Both interrupt Python code at the next bytecode boundary.  The exception that interrupts is a
``BaseException`` (so a stage's ``except Exception`` cannot swallow it) and is turned into
:class:`ArticleTimeoutError` when it leaves the ``with`` block.  A single long call into compiled code (one huge
regular-expression match) is interrupted only when it returns: the size limit guards against that, and the
pipeline also checks the clock between stages.  Batch and ingest workers are, besides, separate processes that
the driver kills and replaces when one stays stuck well past its limit (see :mod:`khabar.batch.engine` and
:mod:`khabar.io.ingest`).
"""
from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from dataclasses import dataclass

from .errors import ArticleTimeoutError, InputTooLargeError, LimitSettingError

DEFAULT_MAX_CHARS = 200_000     # characters of one article
DEFAULT_TIMEOUT = 60.0          # seconds for the analysis of one article
ENV_MAX_CHARS = "KHABAR_MAX_CHARS"
ENV_TIMEOUT = "KHABAR_TIMEOUT"


def _env_number(name: str, default, kind):
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        v = kind(raw.strip().replace("_", "").replace(",", ""))
    except ValueError:
        raise LimitSettingError(f"{name}={raw!r} is not a number", source=name) from None
    if v < 0 or v != v:
        raise LimitSettingError(f"{name}={raw!r} is negative", source=name)
    return v


def default_max_chars() -> int:
    """``$KHABAR_MAX_CHARS`` or :data:`DEFAULT_MAX_CHARS` (``0``: no limit)."""
    return int(_env_number(ENV_MAX_CHARS, DEFAULT_MAX_CHARS, int))


def default_timeout() -> float:
    """``$KHABAR_TIMEOUT`` or :data:`DEFAULT_TIMEOUT` (``0``: no limit)."""
    return float(_env_number(ENV_TIMEOUT, DEFAULT_TIMEOUT, float))


def check_setting(name: str, value):
    """A limit given on the command line or to an API: a number >= 0, or None."""
    if value is None:
        return None
    if value != value or value < 0:
        raise LimitSettingError(f"{name} must be >= 0 (0: no limit), not {value}", source=name)
    return value


@dataclass
class Limits:
    """The per-article limits, under one name everywhere (:mod:`khabar.runner` applies them): ``max_chars``
    characters of one article, ``timeout`` seconds for its analysis (None or 0: no limit)."""
    max_chars: int | None = None
    timeout: float | None = None

    @classmethod
    def resolve(cls, max_chars: int | None = None, timeout: float | None = None) -> "Limits":
        """Limits from options (``--max-chars`` / ``--timeout``), else the environment, else the defaults."""
        mc = default_max_chars() if max_chars is None else check_setting("--max-chars", max_chars)
        to = default_timeout() if timeout is None else check_setting("--timeout", timeout)
        return cls(mc, to)


def too_long(n_chars: int, max_chars: int | None, source: str | None = None) -> InputTooLargeError:
    return InputTooLargeError(f"article too long: {n_chars:,} characters (limit {max_chars:,})", source=source,
                              hint="split the article, or raise the limit with --max-chars (or KHABAR_MAX_CHARS)")


def check_size(text: str, max_chars: int | None, source: str | None = None) -> None:
    """Raise :class:`InputTooLargeError` (E105) naming ``source`` when ``text`` is over ``max_chars``."""
    if max_chars and len(text) > max_chars:
        raise too_long(len(text), max_chars, source)


def timed_out(seconds: float, source: str | None = None) -> ArticleTimeoutError:
    return ArticleTimeoutError(f"analysis took longer than {seconds:g} s", source=source)


class _Expired(BaseException):
    """Raised inside the analysing thread when its deadline passes (a BaseException: not swallowed by stages)."""


_STATE = threading.local()


class _Watch:
    """One timer thread per process for the deadlines of threads other than the main one (a Dask worker runs
    tasks in a thread): arming a deadline pushes (end, entry) on a heap and wakes the thread; disarming only
    marks the entry, which the thread drops when it comes to it.  (A ``threading.Timer`` per deadline starts a
    thread each time: ~0.3 ms, several times per article.)"""

    def __init__(self):
        self.cv = threading.Condition(threading.Lock())
        self.heap: list = []
        self.n = 0
        self.thread = None
        self.pid = None

    def add(self, entry, end: float) -> None:
        import heapq

        with self.cv:
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.heap = []  # a forked child inherits the heap but not the thread
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="khabar-deadlines", daemon=True)
                self.thread.start()
            self.n += 1
            heapq.heappush(self.heap, (end, self.n, entry))
            if len(self.heap) > 4096 and self.n % 1024 == 0:  # drop disarmed entries now and then
                self.heap = [x for x in self.heap if x[2].flags[0]]
                heapq.heapify(self.heap)
            if self.heap[0][2] is entry:
                self.cv.notify()

    def _run(self) -> None:
        import heapq

        with self.cv:
            while True:
                while self.heap and not self.heap[0][2].flags[0]:
                    heapq.heappop(self.heap)
                if not self.heap:
                    self.cv.wait()
                    continue
                end, _, entry = self.heap[0]
                left = end - time.monotonic()
                if left > 0:
                    self.cv.wait(left)
                    continue
                heapq.heappop(self.heap)
                entry.fire()


class _Entry:
    __slots__ = ("tid", "lock", "flags")

    def __init__(self, tid: int):
        self.tid = tid
        self.lock = threading.Lock()
        self.flags = [True, False]  # active, fired

    def fire(self) -> None:
        with self.lock:
            if self.flags[0]:
                self.flags[1] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.tid), ctypes.py_object(_Expired))


_WATCH = _Watch()


class deadline:
    """``with deadline(seconds, source):`` raises :class:`ArticleTimeoutError` when the block runs too long.

    ``seconds`` None or <= 0: no limit.  Nested deadlines in one thread: the outermost one governs.
    """

    __slots__ = ("seconds", "source", "mode", "_old", "_entry")

    def __init__(self, seconds: float | None, source: str | None = None):
        self.seconds = seconds
        self.source = source
        self.mode = None

    def __enter__(self):
        s = self.seconds
        if not s or s <= 0 or getattr(_STATE, "active", False):
            return self
        _STATE.active = True
        if (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
                and signal.getitimer(signal.ITIMER_REAL)[0] == 0):
            self.mode = "alarm"
            self._old = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, s)
        else:
            self.mode = "thread"
            self._entry = _Entry(threading.get_ident())
            _WATCH.add(self._entry, time.monotonic() + s)
        return self

    def _disarm(self):
        if self.mode == "alarm":
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)
        else:
            e = self._entry
            with e.lock:
                e.flags[0] = False
                if e.flags[1]:  # fired but perhaps not raised yet: clear it
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(e.tid), None)

    def __exit__(self, et, ev, tb):
        try:
            if self.mode is None:
                return False
            self._disarm()
        except _Expired:
            # it went off while the block was being left (the block had ended): disarm again (every step of
            # _disarm can be repeated), now that nothing can go off any more
            self._disarm()
        _STATE.active = False
        self.mode = None
        if et is not None and issubclass(et, _Expired):
            raise timed_out(self.seconds, self.source) from None
        return False


def _on_alarm(signum, frame):
    raise _Expired()


class Clock:
    """The between-stages check of the pipeline: ``check()`` raises once ``seconds`` have passed since start."""

    __slots__ = ("seconds", "source", "end")

    def __init__(self, seconds: float | None, source: str | None = None):
        self.seconds = seconds
        self.source = source
        self.end = time.monotonic() + seconds if seconds and seconds > 0 else None

    def check(self) -> None:
        if self.end is not None and time.monotonic() > self.end:
            raise timed_out(self.seconds, self.source)
