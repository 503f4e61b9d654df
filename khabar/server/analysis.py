"""Analysing posted articles: one pipeline per process, built once, with a bound on concurrent analyses.

The pipeline is the default one.  If a stage cannot run here (say a model file is missing from this
installation), the server leaves that stage out, logs it, and says so in ``/api/stats`` rather than failing every
request.
"""
from __future__ import annotations

import logging
import threading

from ..document import Document
from ..errors import BusyError, EmptyInputError, KhabarError
from ..limits import Limits
from ..runner import Failure, refusal, run_article

log = logging.getLogger("khabar.server")

PROBE = "بيروت - قال وزير الخارجية جبران باسيل يوم الأحد 6 مايو 2018 إن \"الاجتماع سيعقد غدا\"، بحسب رويترز."

_LOCK = threading.Lock()
_STATE: dict = {}


def pipeline():
    """The pipeline the server runs (built on first use), and the stages it had to leave out."""
    with _LOCK:
        if "pipe" in _STATE:
            return _STATE["pipe"], _STATE["skipped"]
        from ..pipeline import DEFAULT_ORDER, Pipeline, available_stages

        probe = Document.from_text(PROBE, title="اختبار")
        names = [n for n in DEFAULT_ORDER if n in set(available_stages())]
        skipped: list[str] = []
        try:
            pipe = Pipeline(names)
            pipe(probe)
        except Exception:  # find the stages that fail and leave them out
            keep: list[str] = []
            for n in names:
                try:
                    Pipeline(keep + [n])(probe)
                    keep.append(n)
                except Exception as e:  # noqa: BLE001 - any failure of a stage means: not here
                    skipped.append(n)
                    log.warning("khabar serve: stage %r cannot run here and is left out: %s", n, e)
            pipe = Pipeline(keep)
        _STATE["pipe"], _STATE["skipped"] = pipe, skipped
        return pipe, skipped


class Analyzer:
    """Runs the pipeline with at most ``workers`` analyses at once; a request waits ``wait`` seconds for a turn.

    Per-article limits (:class:`khabar.limits.Limits`, applied by :mod:`khabar.runner` as in every other command):
    a text over ``max_chars`` characters is refused before analysis (E105, HTTP 413); an analysis that runs past
    ``timeout`` seconds is stopped (E503, HTTP 422), so one pathological article holds an analysis slot for at
    most that long.  Any other failure is coded by the runner's policy."""

    def __init__(self, workers: int = 2, wait: float = 30.0, limits: Limits | None = None):
        self.sem = threading.BoundedSemaphore(max(1, workers))
        self.wait = wait
        self.limits = limits if limits is not None else Limits(100_000, 20.0)

    def analyze(self, text: str, **meta) -> Document:
        if not isinstance(text, str) or not text.strip():
            raise EmptyInputError("the article has no text", source="text")
        refused = refusal(text, self.limits, "text")
        if refused is not None:
            raise refused.error_for("text")
        doc = Document.from_text(text, **{k: v for k, v in meta.items() if isinstance(v, str) and v.strip()})
        if not self.sem.acquire(timeout=self.wait):
            raise BusyError("too many articles are being analysed at once", source="analyze")
        try:
            pipe, _ = pipeline()
            out = run_article(pipe, doc, self.limits, "text")
        finally:
            self.sem.release()
        if isinstance(out, Failure):
            if not isinstance(out.error, KhabarError):
                log.error("khabar serve: analysis failed: %s", out.reason)
            raise out.error_for("text")
        return out
