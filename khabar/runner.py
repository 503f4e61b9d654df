"""The one runner: analyse an article under the per-article limits, and turn what goes wrong into a coded failure.

``khabar analyze``, ``khabar ingest``'s workers, ``khabar batch``'s workers and the server all analyse through
:func:`run_article` (one article) or :func:`run_articles` (a group, through :meth:`Pipeline.run_group
<khabar.pipeline.Pipeline.run_group>`: the entity tagger decodes the group's sentences together), so the limits
and the failure policy are the same everywhere:

* an article over ``limits.max_chars`` characters is refused before any analysis: ``E105`` (stage ``limit``);
* an analysis that runs past ``limits.timeout`` seconds is stopped (:mod:`khabar.limits`): ``E503`` (``limit``);
* any other coded error keeps its code (stage ``analyse``);
* ``RecursionError`` (a pathological article nests too deeply for a stage): ``E200``, "recursion too deep";
* ``MemoryError``: ``E504``;
* any other exception (a stage bug): ``E200``, with the exception and the line it came from.

:func:`failure_of` is that policy; a :class:`Failure` carries the code, the stage (``limit`` or ``analyse``),
the reason (the text batch failure records and ingest's skip lines show) and the error itself
(:meth:`Failure.error_for` gives a :class:`~khabar.errors.KhabarError` to raise, as ``analyze`` and the server do).
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .document import Document
from .errors import (AnalysisError, ArticleMemoryError, ArticleTimeoutError, InputTooLargeError, KhabarError,
                     PipelineError)
from .limits import Limits, deadline, too_long

__all__ = ["Failure", "Limits", "failure_of", "refusal", "run_article", "run_articles"]


@dataclass
class Failure:
    """An article that was not analysed: its code, the step that stopped it and why."""
    code: str
    stage: str                  # "limit" (over a per-article limit) or "analyse" (the analysis failed)
    reason: str
    error: BaseException | None = field(default=None, repr=False, compare=False)

    def text(self) -> str:
        """``[CODE] reason``: how ``khabar ingest`` and ``khabar analyze`` report a skipped article."""
        return f"[{self.code}] {self.reason}"

    def error_for(self, source: str | None = None) -> KhabarError:
        """The coded error to raise for this failure (the original one when it was coded)."""
        if isinstance(self.error, KhabarError):
            return self.error
        return AnalysisError(self.reason, source=source) if self.code == PipelineError.code else \
            ArticleMemoryError(self.reason, source=source)


def refusal(text: str, limits: Limits | None, source: str | None = None) -> Failure | None:
    """The failure of an article over the size limit (checked before any analysis), or None."""
    mc = limits.max_chars if limits is not None else None
    if mc and len(text) > mc:
        return Failure(InputTooLargeError.code, "limit", f"article too long: {len(text):,} characters "
                       f"(limit {mc:,}; raise it with --max-chars)", too_long(len(text), mc, source))
    return None


def failure_of(e: BaseException, limits: Limits | None = None) -> Failure:
    """The failure of an article whose analysis raised ``e`` (the one failure policy; see the module's doc)."""
    if isinstance(e, ArticleTimeoutError):
        to = limits.timeout if limits is not None and limits.timeout else None
        reason = (f"analysis took longer than {to:g} s (raise the limit with --timeout)" if to else e.message)
        return Failure(e.code, "limit", reason, e)
    if isinstance(e, InputTooLargeError):
        return Failure(e.code, "limit", e.message, e)
    if isinstance(e, KhabarError):
        return Failure(e.code, "analyse", e.message, e)
    if isinstance(e, RecursionError):
        return Failure(PipelineError.code, "analyse", "analysis failed: recursion too deep", e)
    if isinstance(e, MemoryError):
        return Failure(ArticleMemoryError.code, "analyse", "analysis ran out of memory", e)
    tb = traceback.extract_tb(e.__traceback__)
    at = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    return Failure(PipelineError.code, "analyse", f"analysis failed: {type(e).__name__}: {e}{at}", e)


def _name(doc: Document) -> str:
    m = doc.meta
    return m.get("external_id") or m.get("url") or f"document {doc.id}"


def run_article(pipe, doc: Document, limits: Limits | None = None, source: str | None = None
                ) -> Document | Failure:
    """``doc`` analysed by ``pipe`` under ``limits`` (``source`` names it in errors), or its :class:`Failure`.

    ``pipe`` is a :class:`~khabar.pipeline.Pipeline` or any callable Document -> Document (run under the time
    limit here)."""
    source = source if source is not None else _name(doc)
    refused = refusal(doc.text, limits, source)
    if refused is not None:
        return refused
    timeout = (limits.timeout if limits is not None else None) or 0
    try:
        if hasattr(pipe, "run_group"):
            return pipe(doc, max_chars=0, timeout=timeout, source=source)
        with deadline(timeout, source):
            return pipe(doc)
    except Exception as e:  # the policy: every failure of one article is coded, the caller goes on
        return failure_of(e, limits)


def run_articles(pipe, docs: Sequence[Document], limits: Limits | None = None,
                 sources: Sequence[str] | None = None, arm: Callable[[int], None] | None = None) -> list:
    """:func:`run_article` on several documents, in order: each under its own limits, the batched stages (the
    entity tagger) on the group together (:meth:`Pipeline.run_group`); a document that fails drops out alone.
    ``arm(i)`` is called before document i's own runs and ``arm(-1)`` before a batched call (batch workers point
    their watchdog with it).  Returns a Document or a :class:`Failure` per document."""
    docs = list(docs)
    names = list(sources) if sources is not None else [_name(d) for d in docs]
    out: list = [refusal(d.text, limits, w) for d, w in zip(docs, names)]
    todo = [i for i, f in enumerate(out) if f is None]
    timeout = (limits.timeout if limits is not None else None) or 0
    if hasattr(pipe, "run_group"):
        a = (lambda k: arm(todo[k] if k >= 0 else -1)) if arm is not None else None
        done = pipe.run_group([docs[i] for i in todo], max_chars=0, timeout=timeout,
                              sources=[names[i] for i in todo], arm=a)
        for i, d in zip(todo, done):
            out[i] = failure_of(d, limits) if isinstance(d, BaseException) else d
        return out
    for i in todo:  # any callable Document -> Document (tests' fake pipelines)
        if arm is not None:
            arm(i)
        out[i] = run_article(pipe, docs[i], Limits(None, timeout), names[i])
    return out
