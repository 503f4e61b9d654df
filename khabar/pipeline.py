"""Stage protocol, registry and the default pipeline.

A stage has a ``name``, a ``version``, the layers it ``requires`` and ``produces`` (declared in
:mod:`khabar.layers`), and one call ``Document -> Document``.  Stages hold no global state besides models loaded
once per process (lazily, so a pipeline is cheap to build and safe to send to worker processes).

The contract is true and checked: ``requires`` lists every layer a stage reads, ``produces`` every layer it
writes.  A :class:`Pipeline` checks the chain when it is built (each requirement made by an earlier stage, or
named in ``given``; one :class:`~khabar.errors.MissingLayerError` lists all that is missing) and, after each
stage, that it wrote exactly what it declares (:class:`~khabar.errors.StageContractError`, E204).
``Pipeline(only=[...])`` runs a subset plus, for each layer a stage requires, every stage of the default order
that writes that layer before it: so a subset gives exactly the full pipeline's answer for what it produces.

Per-article limits (:mod:`khabar.limits`): ``Pipeline(max_chars=N, timeout=S)`` (or the same keywords on one call)
refuses a longer article before any stage runs (E105) and stops an analysis that runs past ``S`` seconds (E503),
both naming the article.  Without them (the default for a ``Pipeline`` built in Python) nothing is checked; the
command line, ingest, batch and the server always set them.
"""
from __future__ import annotations

import time
from typing import Callable, Iterable, Sequence

from .document import Document
from .errors import MissingLayerError, StageContractError, UnknownStageError
from .gcscope import fewer_collections
from .layers import get_layer

REGISTRY: dict[str, "Stage"] = {}

# the built-in stages in the order they run by default, each with the module of khabar.stages that registers it:
# the one table of stages (``khabar stages`` prints it with what each requires and produces)
BUILTIN_STAGES = (
    ("normalize", "text_core"), ("tokens", "text_core"), ("sentences", "text_core"), ("segments", "text_core"),
    ("entities", "entities"), ("actors", "actors"), ("dateline", "dateline"), ("dates", "dates"),
    ("attribution", "attribution"), ("sources", "sources"), ("quotes", "quotes"), ("responses", "responses"),
    ("events", "events"),
    ("topic", "topic"),
)
DEFAULT_ORDER = tuple(name for name, _ in BUILTIN_STAGES)


class Stage:
    name: str = ""
    version: str = "1"
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()
    # True when prepare_many() does part of the work of several documents together (faster than one by one, the
    # same output); finish() then does the rest document by document (under each document's own limits)
    batched: bool = False

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - interface
        raise NotImplementedError

    def prepare_many(self, docs: Sequence[Document]) -> list:
        """What finish() needs for each document, computed for all of them together.  Only bounded work (linear
        in the documents' size, no backtracking patterns): it runs outside the per-document time limits."""
        return [None] * len(docs)

    def finish(self, doc: Document, prepared) -> Document:
        """The stage on one document, given its part of prepare_many()."""
        return self(doc)

    def call_many(self, docs: Sequence[Document]) -> list[Document]:
        """The stage on several documents: the same as ``[self(d) for d in docs]``."""
        return [self.finish(d, p) for d, p in zip(docs, self.prepare_many(docs))]

    def __repr__(self) -> str:
        return f"<stage {self.name} v{self.version}>"


def register(cls):
    """Class decorator: instantiate and register a stage under its name.  Every layer it requires or produces
    must be declared in :mod:`khabar.layers`."""
    inst = cls()
    undeclared = [x for x in (*inst.requires, *inst.produces) if get_layer(x) is None]
    if undeclared:
        raise StageContractError(f"stage {inst.name!r} names undeclared layers: {', '.join(undeclared)}")
    REGISTRY[inst.name] = inst
    return cls


_LOADED = False


def _load_builtin_stages() -> None:
    """Import the built-in stage modules once (importing a module registers its stages)."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib

    for module in dict.fromkeys(m for _, m in BUILTIN_STAGES):
        importlib.import_module(f"{__package__}.stages.{module}")


def get_stage(name: str) -> Stage:
    _load_builtin_stages()
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownStageError(f"unknown stage {name!r}; known: {', '.join(available_stages())}") from None


def available_stages() -> list[str]:
    _load_builtin_stages()
    return [n for n in DEFAULT_ORDER if n in REGISTRY] + sorted(set(REGISTRY) - set(DEFAULT_ORDER))


def resolve_stages(names: Iterable[str]) -> list[str]:
    """The stages named plus, for each layer one of them requires, every stage of the default order that writes
    that layer before it (recursively), in default order.  A layer written by several stages (``entities`` by
    ``entities`` and ``actors``) is then seen as the full pipeline would show it to the stage that reads it."""
    order = available_stages()
    rank = {n: k for k, n in enumerate(order)}
    want: set[str] = set()
    todo = list(names)
    while todo:
        n = todo.pop()
        if n in want:
            continue
        st = get_stage(n)
        want.add(n)
        before = order[:rank[n]] if n in rank else order
        for layer in st.requires:
            todo.extend(p for p in before if layer in get_stage(p).produces)
    return [n for n in order if n in want]


class Pipeline:
    """An ordered list of stages, run one after another on a Document."""

    def __init__(self, stages: Sequence[str] | None = None, *, only: Sequence[str] | None = None,
                 max_chars: int | None = None, timeout: float | None = None, given: Iterable[str] = ()):
        """``stages``: the stage names, in order (default: the default order); ``only``: a subset, completed by
        :func:`resolve_stages`; ``given``: layers the documents will already hold (read back from JSON, say).
        A requirement that no earlier stage produces and that is not given fails here, all listed at once."""
        if stages is None:
            names = resolve_stages(only) if only else available_stages()
        else:
            names = list(stages)
        self.stages = [get_stage(n) for n in names]
        self.given = tuple(given)
        self._check_chain()
        self.timings: dict[str, float] = {}
        self.max_chars = max_chars   # None or 0: no size limit
        self.timeout = timeout       # None or 0: no time limit

    def _check_chain(self) -> None:
        have = set(self.given)
        missing = []
        for st in self.stages:
            missing += [f"{st.name} needs {layer!r}" for layer in st.requires if layer not in have]
            have.update(st.produces)
        if missing:
            raise MissingLayerError(f"no earlier stage produces what these stages read: {'; '.join(missing)}",
                                    hint="add the stages that produce them (Pipeline(only=[...]) adds them), "
                                         "or name layers the documents already hold with given=[...]")

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document, *, timed: bool = False, max_chars: int | None = None,
                 timeout: float | None = None, source: str | None = None) -> Document:
        """Run the stages on ``doc``.  ``max_chars`` / ``timeout`` (default: the pipeline's own) limit this
        article; ``source`` names it in the errors (default: its external id, url or hash)."""
        max_chars = self.max_chars if max_chars is None else max_chars
        timeout = self.timeout if timeout is None else timeout
        with fewer_collections():  # the collector less often while it runs (khabar.gcscope)
            if max_chars or timeout:
                return self._limited(doc, timed, max_chars, timeout, source)
            return self._run(doc, timed)

    def _limited(self, doc: Document, timed: bool, max_chars, timeout, source) -> Document:
        from .limits import Clock, check_size, deadline

        if source is None:
            m = doc.meta
            source = m.get("external_id") or m.get("url") or f"document {doc.id}"
        check_size(doc.text, max_chars, source)
        if not timeout:
            return self._run(doc, timed)
        with deadline(timeout, source):
            return self._run(doc, timed, Clock(timeout, source))

    def _run(self, doc: Document, timed: bool, clock=None, lo: int = 0, hi: int | None = None) -> Document:
        for st in self.stages[lo:hi]:
            if clock is not None:
                clock.check()
            self._check(st, doc)
            if timed:
                t = time.perf_counter()
                out = st(doc)
                self.timings[st.name] = self.timings.get(st.name, 0.0) + time.perf_counter() - t
            else:
                out = st(doc)
            doc = self._check_out(st, doc, out)
        return doc

    def run_stage(self, k: int, doc: Document) -> Document:
        """Stage ``k`` alone on ``doc``, its contract checked (``khabar eval`` runs stages one by one this way, so
        that one failing stage does not hide the figures of the others)."""
        return self._run(doc, False, None, k, k + 1)

    @staticmethod
    def _check(st: Stage, doc: Document) -> None:
        for layer in st.requires:
            if layer not in doc.layers:
                raise MissingLayerError(f"stage {st.name!r} needs layer {layer!r}, which no earlier stage made")

    @staticmethod
    def _check_out(st: Stage, before: Document, after: Document) -> Document:
        """``after``, once it holds every layer ``st`` declares and changed no other."""
        layers = after.layers
        if len(layers) != len(before.layers) + sum(1 for x in st.produces if x not in before.layers) or \
                any(x not in layers for x in st.produces):
            lost = [x for x in st.produces if x not in layers]
            extra = [x for x in layers if x not in before.layers and x not in st.produces]
            raise StageContractError(f"stage {st.name!r} did not write {lost} that it declares"
                                     if lost else f"stage {st.name!r} wrote {extra or 'layers'} that it does not "
                                     "declare (or dropped some it read)")
        for name, value in before.layers.items():
            if name not in st.produces and layers[name] is not value:
                raise StageContractError(f"stage {st.name!r} changed layer {name!r}, which it does not declare")
        return after

    # -- several documents at once ------------------------------------------------------------------------------
    def plan(self) -> list[tuple[int, int, bool]]:
        """The stages as runs ``(lo, hi, together)``: ``together`` runs are one batched stage (its prepare_many
        on several documents, then finish on each), the others run document by document."""
        out: list[tuple[int, int, bool]] = []
        lo = 0
        for k, st in enumerate(self.stages):
            if st.batched:
                if k > lo:
                    out.append((lo, k, False))
                out.append((k, k + 1, True))
                lo = k + 1
        if lo < len(self.stages):
            out.append((lo, len(self.stages), False))
        return out

    def run_stage_many(self, k: int, docs: Sequence[Document], timed: bool = False) -> list[Document]:
        """Stage ``k`` on several documents (its call_many)."""
        st = self.stages[k]
        for d in docs:
            self._check(st, d)
        t = time.perf_counter()
        out = st.call_many(docs)
        if timed:
            self.timings[st.name] = self.timings.get(st.name, 0.0) + time.perf_counter() - t
        return [self._check_out(st, d, o) for d, o in zip(docs, out)]

    def run_many(self, docs: Sequence[Document], *, timed: bool = False) -> list[Document]:
        """The pipeline on several documents, batched stages batched (the same documents as one by one, sooner:
        the entity tagger decodes the sentences of all of them together).  No per-article limits: see
        :meth:`run_group`, which batch and ingest workers use."""
        docs = list(docs)
        with fewer_collections():  # the collector less often while it runs (khabar.gcscope)
            for lo, hi, together in self.plan():
                if together and len(docs) > 1:
                    docs = self.run_stage_many(lo, docs, timed)
                else:
                    docs = [self._run(d, timed, None, lo, hi) for d in docs]
        return docs

    def run_group(self, docs: Sequence[Document], *, max_chars: int | None = None, timeout: float | None = None,
                  sources: Sequence[str] | None = None, arm: Callable[[int], None] | None = None) -> list:
        """Several documents, each under its own limits as in ``__call__`` (``max_chars``, ``timeout``; default:
        the pipeline's own; ``sources`` name them in the errors), batched stages batched.  Returns, per document,
        its analysed Document or the exception that stopped it: a document that fails drops out alone, and when a
        batched call fails, that stage is run again document by document.  ``arm(i)`` is called before
        document i's own runs, ``arm(-1)`` before a batched call (batch workers point their watchdog with it)."""
        from .limits import Clock, check_size, deadline

        max_chars = self.max_chars if max_chars is None else max_chars
        timeout = self.timeout if timeout is None else timeout
        n = len(docs)
        names = list(sources) if sources is not None else [
            d.meta.get("external_id") or d.meta.get("url") or f"document {d.id}" for d in docs]
        out: list = list(docs)
        spent = [0.0] * n
        live = []
        for i, d in enumerate(docs):
            try:
                check_size(d.text, max_chars, names[i])
                live.append(i)
            except Exception as e:
                out[i] = e

        def alone(i, lo, hi, prepared=None):
            if arm is not None:
                arm(i)
            t = time.perf_counter()
            if prepared is not None:  # the rest of a batched stage (its prepare_many part is done)
                st = self.stages[lo]

                def run(doc, clock):
                    if clock is not None:
                        clock.check()
                    self._check(st, doc)
                    return self._check_out(st, doc, st.finish(doc, prepared))
            else:
                def run(doc, clock):
                    return self._run(doc, False, clock, lo, hi)
            try:
                if timeout:
                    left = max(timeout - spent[i], 0.001)
                    with deadline(left, names[i]):
                        out[i] = run(out[i], Clock(left, names[i]))
                else:
                    out[i] = run(out[i], None)
                return True
            except Exception as e:
                out[i] = e
                return False
            finally:
                spent[i] += time.perf_counter() - t

        with fewer_collections():  # the collector less often while it runs (khabar.gcscope)
            for lo, hi, together in self.plan():
                prepared = None
                if together and len(live) > 1:
                    if arm is not None:
                        arm(-1)
                    st = self.stages[lo]
                    try:
                        for i in live:
                            self._check(st, out[i])
                        # the group's shared part, under one document's time limit (it is a fraction of that)
                        if timeout:
                            with deadline(timeout, f"a group of {len(live)} documents"):
                                prepared = st.prepare_many([out[i] for i in live])
                        else:
                            prepared = st.prepare_many([out[i] for i in live])
                        prepared = dict(zip(live, prepared))
                    except Exception:
                        prepared = None  # the whole stage one by one: the document at fault fails alone
                live = [i for i in live if alone(i, lo, hi, prepared.get(i) if prepared else None)]
        return out

    def pipe(self, docs: Iterable[Document], batch_size: int = 16) -> Iterable[Document]:
        """Documents analysed ``batch_size`` at a time (run_many); a group in which one fails is run again one
        document at a time, so the error is raised for that document, after the ones before it."""
        if self.max_chars or self.timeout:  # limits apply per article: one by one
            for d in docs:
                yield self(d)
            return
        group: list[Document] = []

        def flush():
            try:
                done = self.run_many(group)
            except Exception:
                done = None
            if done is None:
                for d in group:
                    yield self(d)
            else:
                yield from done
            group.clear()

        for d in docs:
            group.append(d)
            if len(group) >= batch_size:
                yield from flush()
        if group:
            yield from flush()


_DEFAULT: dict[tuple, Pipeline] = {}


def default_pipeline(only: Sequence[str] | None = None) -> Pipeline:
    key = tuple(only) if only else ()
    if key not in _DEFAULT:
        _DEFAULT[key] = Pipeline(only=only)
    return _DEFAULT[key]

