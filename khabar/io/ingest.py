"""``khabar ingest``: read articles from files and folders, analyse them, and store them.

Inputs (by name; ``.gz`` is decompressed first):

* ``.jsonl`` / ``.ndjson`` (``.jsonl.gz``): one JSON article object a line (``text`` or ``content``, and optional
  ``title``, ``url``, ``source``/``src``, ``time``/``date``, ``id``/``docno``, ``label``/``topic``);
* ``.json``: one article object, or a list of them;
* ``.html`` / ``.htm`` / ``.xhtml``: a web page; its main text is extracted (:mod:`khabar.io.html`);
* anything else named on the command line: a text file (or a JSON object), read by
  :func:`khabar.io.readers.load_document`;
* a folder: every file in it, recursively, in name order, whose name ends in one of the suffixes above or
  ``.txt``/``.text``; other files are counted as ignored, hidden files and folders are left out.

Each article is keyed by the hash of its canonical text.  Articles already in the store are not analysed again;
the rest are analysed (in ``jobs`` worker processes) and written in batches, one transaction per batch, so a run
killed at any moment and run again ends with exactly the rows one clean run gives.  A bad file or line is
reported (path, line, reason) and skipped; the run goes on, prints a summary and exits non-zero.

Per-article limits (:mod:`khabar.limits`, applied by :mod:`khabar.runner` as everywhere): an article over
``max_chars`` characters is skipped as ``[E105]`` without being analysed, one whose analysis runs past ``timeout``
seconds as ``[E503]``; any other failure of one article is skipped with its code (the runner's policy).  With
``jobs > 1`` a worker process that stays stuck past the limit (in compiled code, where the per-article alarm
cannot reach it) is killed and the pool replaced; only the article that stalls is skipped.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import sys
import time
import zlib
from dataclasses import dataclass, field
from multiprocessing import TimeoutError as mp_TimeoutError
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..document import Document
from ..errors import ArticleTimeoutError, InputError, KhabarError, MalformedJSONError
from ..limits import Limits
from ..runner import Failure, failure_of, refusal, run_article, run_articles
from ..progress import ProgressLine, hms
from .readers import MAX_BYTES, decode_bytes, document_from_record, load_document, loads_json, make_document

JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text")
TOPIC_KEYS = ("topic", "label", "category", "cat")


@dataclass
class Item:
    """One article read from the input, or the reason it could not be read."""
    source: str
    line: int | None = None
    doc: Document | None = None
    error: str | None = None
    bytes_done: int = 0  # input bytes consumed so far (for the progress bar)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass
class IngestReport:
    read: int = 0            # articles read from the input
    added: int = 0           # new articles stored
    duplicates: int = 0      # already stored, or repeated in the input
    skipped: list = field(default_factory=list)   # [(where, reason)]
    ignored_files: int = 0   # files in folders with an unknown suffix
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary(self) -> str:
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        s = (f"{self.read} articles read: {self.added} added, {self.duplicates} already stored or repeated, "
             f"{len(self.skipped)} skipped ({self.seconds:.1f} s, {rate:.1f} articles/s)")
        if self.ignored_files:
            s += f"; {self.ignored_files} files with unknown suffixes ignored"
        return s

    def to_json(self) -> dict:
        return {"read": self.read, "added": self.added, "duplicates": self.duplicates,
                "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
                "ignored_files": self.ignored_files, "seconds": round(self.seconds, 3)}


# --------------------------------------------------------------------------------------------------------------
# reading inputs

def _suffixes(p: Path) -> tuple[str, bool]:
    """(the suffix that says the format, gzipped?)."""
    name = p.name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    return (Path(name).suffix, gz)


def _known(p: Path) -> bool:
    suf, _ = _suffixes(p)
    return suf in JSONL_SUFFIXES + JSON_SUFFIXES + HTML_SUFFIXES + TEXT_SUFFIXES


def _with_topic(doc: Document, rec: dict) -> Document:
    for k in TOPIC_KEYS:
        v = rec.get(k)
        if isinstance(v, str) and v.strip():
            return Document(doc.text, {**doc.meta, "topic": v.strip()}, doc.layers, doc.id)
    return doc


def _record_doc(rec, where: str) -> Document:
    doc = document_from_record(rec, where)
    return _with_topic(doc, rec) if isinstance(rec, dict) else doc


def iter_jsonl(path: Path, *, gz: bool, total_base: int = 0) -> Iterator[Item]:
    src = str(path)
    raw = open(path, "rb")
    try:
        stream = gzip.GzipFile(fileobj=raw) if gz else raw
        lineno = 0
        while True:
            try:
                line = stream.readline(MAX_BYTES + 1)
            except (OSError, EOFError, zlib.error) as e:
                yield Item(src, lineno + 1, error=f"cannot read the compressed file: {e}",
                           bytes_done=total_base + raw.tell())
                return
            if not line:
                break
            lineno += 1
            done = total_base + raw.tell()
            if not line.strip():
                continue
            if len(line) > MAX_BYTES:
                yield Item(src, lineno, error=f"line longer than {MAX_BYTES // (1024 * 1024)} MB", bytes_done=done)
                # skip the rest of the line
                while line and not line.endswith(b"\n"):
                    line = stream.readline(MAX_BYTES)
                continue
            where = f"{src}:{lineno}"
            try:
                text, _enc = decode_bytes(line, where)
                rec = json.loads(text)
                doc = _record_doc(rec, where)
            except json.JSONDecodeError as e:
                yield Item(src, lineno, error=f"invalid JSON (column {e.colno}: {e.msg})", bytes_done=done)
                continue
            except RecursionError:
                yield Item(src, lineno, error=f"[{MalformedJSONError.code}] JSON nested too deeply", bytes_done=done)
                continue
            except ValueError as e:  # a number too long for Python's int(), say
                yield Item(src, lineno, error=f"[{MalformedJSONError.code}] invalid JSON: {e}", bytes_done=done)
                continue
            except KhabarError as e:
                yield Item(src, lineno, error=f"[{e.code}] {e.message}", bytes_done=done)
                continue
            yield Item(src, lineno, doc=doc, bytes_done=done)
    finally:
        raw.close()


def _read_all(path: Path, gz: bool) -> bytes:
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if gz:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
                data = g.read(MAX_BYTES + 1)
        except (OSError, EOFError, zlib.error) as e:
            raise InputError(f"cannot decompress: {e}", source=str(path)) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // (1024 * 1024)} MB", source=str(path),
                         hint="split the input into smaller files")
    return data


def iter_file(path: Path, *, html_extractor: str = "builtin", total_base: int = 0) -> Iterator[Item]:
    src = str(path)
    suf, gz = _suffixes(path)
    size = path.stat().st_size
    done = total_base + size
    if suf in JSONL_SUFFIXES:
        yield from iter_jsonl(path, gz=gz, total_base=total_base)
        return
    try:
        if suf in JSON_SUFFIXES:
            data = _read_all(path, gz)
            if not data.strip():
                raise InputError("empty file", source=src)
            text, _ = decode_bytes(data, src)
            obj = loads_json(text, src)
            if isinstance(obj, list):
                for i, rec in enumerate(obj, 1):
                    where = f"{src}#{i}"
                    try:
                        yield Item(src, i, doc=_record_doc(rec, where), bytes_done=done)
                    except KhabarError as e:
                        yield Item(src, i, error=f"[{e.code}] {e.message}", bytes_done=done)
                return
            yield Item(src, None, doc=_record_doc(obj, src), bytes_done=done)
            return
        if suf in HTML_SUFFIXES:
            from .html import extract_html

            data = _read_all(path, gz)
            if not data.strip():
                raise InputError("empty file", source=src)
            html, _ = decode_bytes(data, src)
            art = extract_html(html, src, extractor=html_extractor)
            meta = dict(art.meta)
            if art.title:
                meta["title"] = art.title
            yield Item(src, None, doc=make_document(art.text, src, **meta), bytes_done=done)
            return
        if gz:
            data = _read_all(path, gz)
            text, _ = decode_bytes(data, src)
            yield Item(src, None, doc=make_document(text, src), bytes_done=done)
            return
        yield Item(src, None, doc=load_document(src), bytes_done=done)
    except KhabarError as e:
        yield Item(src, None, error=f"[{e.code}] {e.message}", bytes_done=done)
    except OSError as e:
        yield Item(src, None, error=f"cannot read: {e.strerror or e}", bytes_done=done)


@dataclass
class InputPlan:
    files: list                   # [(Path, explicitly named?)]
    missing: list                 # paths that do not exist
    ignored: int = 0
    total_bytes: int = 0


def plan_inputs(paths: Sequence[str]) -> InputPlan:
    files: list = []
    missing: list = []
    ignored = 0
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for n in sorted(names):
                    if n.startswith("."):
                        continue
                    f = Path(root) / n
                    if _known(f) and f.is_file():  # not a named pipe, socket or device (reading one could block)
                        files.append(f)
                    else:
                        ignored += 1
        elif path.exists():
            files.append(path)
        else:
            missing.append(p)
    total = 0
    for f in files:
        try:
            total += f.stat().st_size
        except OSError:
            pass
    return InputPlan(files, missing, ignored, total)


def iter_inputs(plan: InputPlan, *, html_extractor: str = "builtin") -> Iterator[Item]:
    for p in plan.missing:
        yield Item(p, None, error=f"[{InputError.code}] no such file or folder")
    base = 0
    for f in plan.files:
        try:
            size = f.stat().st_size
        except OSError:
            size = 0
        yield from iter_file(f, html_extractor=html_extractor, total_base=base)
        base += size


# --------------------------------------------------------------------------------------------------------------
# analysis in worker processes

_WORKER: dict = {}


def _pipeline(stages: Sequence[str] | None):
    from ..pipeline import Pipeline, default_pipeline

    return default_pipeline() if stages is None else Pipeline(list(stages))


def pipeline_signature(stages: Sequence[str] | None) -> str:
    try:
        pipe = _pipeline(stages)
        return ",".join(f"{s.name}@{s.version}" for s in pipe.stages)
    except KhabarError:
        return ",".join(stages or ())


def _init_worker(stages, analyzed, splitter, timeout=None):
    _WORKER.clear()
    _WORKER.update(stages=stages, analyzed=analyzed, splitter=splitter,
                   pipe=None if analyzed else _pipeline(stages), sig=None, limits=Limits(None, timeout or None))


GROUP = 16  # articles analysed together in one worker task (the entity tagger decodes them together)


def _prepared(where: str, doc) -> tuple:
    """("ok", PreparedDoc) for an analysed document, ("error", where, "[CODE] reason") for a failure (or for a
    document whose rows cannot be made: the runner's policy too).  Runs in a worker."""
    from ..store.rows import prepare

    if isinstance(doc, Failure):
        return ("error", where, doc.text())
    if _WORKER["sig"] is None:
        _WORKER["sig"] = pipeline_signature(_WORKER["stages"]) if not _WORKER["analyzed"] else "given"
    try:
        return ("ok", prepare(doc, source=where, pipeline=_WORKER["sig"], splitter=_WORKER["splitter"]))
    except Exception as e:  # a bug must not stop the run: report the article and go on
        return ("error", where, failure_of(e, _WORKER["limits"]).text())


def _analyse_group(tasks: list) -> list:
    """:func:`_analyse` of several tasks, in order; the runner runs them as a group
    (:func:`khabar.runner.run_articles`: each article under its own time limit, the entity tagger on all of them
    together).  Runs in a worker."""
    if _WORKER["analyzed"] or len(tasks) == 1:
        return [_analyse(t) for t in tasks]
    docs = [Document(text, meta, {}, doc_id) for _, text, meta, _, doc_id in tasks]
    done = run_articles(_WORKER["pipe"], docs, _WORKER["limits"], [t[0] for t in tasks])
    return [_prepared(where, doc) for (where, *_), doc in zip(tasks, done)]


def _analyse(task):
    """(where, text, meta, layers) -> ("ok", PreparedDoc) | ("error", where, reason).  Runs in a worker."""
    where, text, meta, layers, doc_id = task
    try:
        doc = Document(text, meta, layers or {}, doc_id)
    except Exception as e:
        return ("error", where, failure_of(e, _WORKER["limits"]).text())
    if not _WORKER["analyzed"]:
        doc = run_article(_WORKER["pipe"], doc, _WORKER["limits"], where)
    return _prepared(where, doc)


# --------------------------------------------------------------------------------------------------------------
# progress bar

class Progress(ProgressLine):
    """A one-line progress bar on stderr: articles, articles/s, percentage of input bytes and ETA."""

    def __init__(self, total_bytes: int, stream=None, enabled: bool | None = None, every: float = 0.25):
        stream = stream or sys.stderr
        if enabled is None:
            enabled = hasattr(stream, "isatty") and stream.isatty()
        super().__init__(stream, enabled=enabled, every=every, overwrite=True)
        self.total = max(0, total_bytes)

    def update(self, n: int, added: int, bytes_done: int, force: bool = False) -> None:
        el = self.due(force)
        if el is None:
            return
        rate = n / el if el > 0 else 0.0
        if self.total and bytes_done:
            frac = min(1.0, bytes_done / self.total)
            eta = (el / frac - el) if frac > 0 else 0
            width = 24
            fill = int(frac * width)
            bar = "#" * fill + "-" * (width - fill)
            self.show(f"ingest [{bar}] {frac * 100:5.1f}%  {n} articles ({added} new)  {rate:6.1f}/s  "
                      f"ETA {hms(eta)}")
        else:
            self.show(f"ingest {n} articles ({added} new)  {rate:6.1f}/s  {hms(el)}")


# --------------------------------------------------------------------------------------------------------------
# the run

HARD_KILL_SLACK = 30.0   # seconds past its per-article limits after which a stuck worker pool is killed


def run_ingest(store, items: Iterable[Item], *, stages: Sequence[str] | None = None, analyzed: bool = False,
               jobs: int = 1, batch_size: int = 64, progress: bool | Progress = False,
               on_skip=None, total_bytes: int = 0, max_chars: int | None = None,
               timeout: float | None = None) -> IngestReport:
    """Analyse and write ``items`` into ``store``; return the report.  ``on_skip(where, reason)`` is called for
    each skipped article as it happens (the CLI prints it).  ``max_chars`` / ``timeout``: per-article limits
    (None or 0: none)."""
    store.check_index()
    report = IngestReport()
    t0 = time.monotonic()
    splitter = store.splitter_name
    bar = progress if isinstance(progress, Progress) else Progress(total_bytes, enabled=bool(progress))
    jobs = max(1, int(jobs or 1))
    batch_size = max(1, int(batch_size)) * (jobs if jobs > 1 else 1)
    timeout = None if analyzed else (timeout or None)
    limits = Limits(max_chars or None, timeout)
    pool = None
    if jobs > 1:
        import multiprocessing as mp

        ctx = mp.get_context("fork") if sys.platform.startswith("linux") else mp.get_context()

        def new_pool():
            return ctx.Pool(jobs, initializer=_init_worker, initargs=(stages, analyzed, splitter, timeout))
        pool = new_pool()
    else:
        _init_worker(stages, analyzed, splitter, timeout)

    def skip(where: str, reason: str) -> None:
        report.skipped.append((where, reason))
        if on_skip:
            on_skip(where, reason)

    seen: set[str] = set()
    last_bytes = 0

    def in_pool(tasks: list) -> list:
        """The tasks' results from the pool, in order.  With a time limit, each result must come within the limit
        plus :data:`HARD_KILL_SLACK` of the one before (by then its task has started: results come in order, and
        a worker takes the next task as soon as it is free); a pool that misses that is stuck in compiled code
        where the per-article alarm cannot reach: it is killed and replaced, that article is skipped as E503 and
        the rest of the batch goes on in the new pool."""
        nonlocal pool
        # groups of up to GROUP articles, at least two groups per worker process
        size = max(1, min(GROUP, len(tasks) // (jobs * 2)))
        groups = [tasks[k:k + size] for k in range(0, len(tasks), size)]
        if not timeout:
            return [r for rs in pool.map(_analyse_group, groups, chunksize=1) for r in rs]
        out: list = []
        rest = groups
        while rest:
            it = pool.imap(_analyse_group, rest, chunksize=1)
            got = 0
            try:
                while got < len(rest):
                    out.extend(it.next(timeout * len(rest[got]) + HARD_KILL_SLACK))
                    got += 1
                rest = []
            except mp_TimeoutError:
                pool.terminate()
                pool.join()
                pool = new_pool()
                stuck = rest[got]
                if len(stuck) > 1:  # which article? run the group's articles one by one in the new pool
                    rest = [[t] for t in stuck] + rest[got + 1:]
                    continue
                out.append(("error", stuck[0][0], f"[{ArticleTimeoutError.code}] analysis took longer than "
                                                  f"{timeout:g} s; its worker process was stuck and has been killed"))
                rest = rest[got + 1:]
        return out

    def flush(batch: list[Item]) -> None:
        nonlocal last_bytes
        if not batch:
            return
        existing = store.existing_ids(it.doc.id for it in batch)
        tasks = []
        for it in batch:
            d = it.doc
            if d.id in existing or d.id in seen:
                report.duplicates += 1
                continue
            refused = refusal(d.text, limits, it.where)
            if refused is not None:
                skip(it.where, refused.text())
                continue
            seen.add(d.id)
            tasks.append((it.where, d.text, dict(d.meta), dict(d.layers) if analyzed else None, d.id))
        if tasks:
            if pool is not None:
                results = in_pool(tasks)
            else:
                results = [r for k in range(0, len(tasks), GROUP) for r in _analyse_group(tasks[k:k + GROUP])]
            ok = []
            for r in results:
                if r[0] == "ok":
                    ok.append(r[1])
                else:
                    skip(r[1], r[2])
            if ok:
                report.added += store.write(ok)
        last_bytes = max(last_bytes, batch[-1].bytes_done)
        bar.update(report.read, report.added, last_bytes)

    try:
        batch: list[Item] = []
        for it in items:
            if it.error is not None:
                skip(it.where, it.error)
                continue
            report.read += 1
            batch.append(it)
            if len(batch) >= batch_size:
                flush(batch)
                batch = []
                if len(seen) > 2_000_000:
                    seen.clear()  # the store still knows them; this only saves memory
        flush(batch)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        bar.update(report.read, report.added, last_bytes, force=True)
        bar.close()
        report.seconds = time.monotonic() - t0
    return report


def ingest_paths(paths: Sequence[str], db: str = "khabar.db", *, jobs: int = 1, batch_size: int = 64,
                 stages: Sequence[str] | None = None, progress: bool | None = None, html_extractor: str = "builtin",
                 on_skip=None, max_chars: int | None = None, timeout: float | None = None) -> IngestReport:
    """Ingest files and folders into the database at ``db`` (created if needed).  ``max_chars`` / ``timeout``:
    per-article limits (:mod:`khabar.limits`; None or 0: none — the CLI passes its defaults)."""
    from ..store import Store

    plan = plan_inputs(paths)
    with Store(db) as store:
        bar = Progress(plan.total_bytes, enabled=progress)
        report = run_ingest(store, iter_inputs(plan, html_extractor=html_extractor), stages=stages, jobs=jobs,
                            batch_size=batch_size, progress=bar, on_skip=on_skip, max_chars=max_chars,
                            timeout=timeout)
    report.ignored_files = plan.ignored
    return report
