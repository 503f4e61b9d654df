"""The batch driver: partition the input, run partitions on workers, collect the summary.

The driver reads the input (files, folders, JSONL(.gz), JSON, HTML, with :mod:`khabar.io.ingest`'s reader, so a
bad record is reported with its path, line and reason exactly as ``khabar ingest`` reports it), cuts it into
partitions of ``partition_size`` consecutive articles (numbered in input order: the partitioning does not depend
on the number of workers), and submits each partition to an engine:

* ``local``: a :class:`concurrent.futures.ProcessPoolExecutor` of ``workers`` processes (spawned);
* ``dask``: a ``dask.distributed`` client, on a ``LocalCluster`` (``workers`` processes, one thread each) or on an
  existing scheduler (``scheduler="tcp://host:8786"``; its workers need khabar installed and ``out_dir`` on a
  file system they share with the driver).

At most ``2 × workers`` partitions are in flight, so the driver's memory stays bounded whatever the input size.
Workers write the Parquet files themselves (see :mod:`khabar.batch.worker`); only counts, failures and ids come
back.  Output is the same for any number of workers: partition ``k`` always holds the same articles, rows are in
input order within it, and nothing written depends on timing.

Files in ``out_dir``: ``<table>/part-<NNNNN>.parquet`` for each table of :mod:`khabar.batch.tables`,
``failures.jsonl`` (one record per article that was not analysed, in input order), ``_batch.json`` (the run's
parameters), ``_summary.json`` and ``_parts/part-<NNNNN>.json`` (one marker per finished partition, used by
``resume``).
"""
from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import BatchError, OutputExistsError, WorkerDiedError
from ..progress import ProgressLine, hms
from .tables import TABLES
from .worker import (MARKER_DIR, Article, Limits, PartitionResult, PartitionTask, WorkerSetupError, failure,
                     read_marker, run_partition, stuck_articles)

DEFAULT_PARTITION_SIZE = 250
MAX_ATTEMPTS = 3          # a partition whose worker process dies is tried again this many times in all
MANIFEST = "_batch.json"
SUMMARY = "_summary.json"
FAILURES = "failures.jsonl"


@dataclass
class BatchOptions:
    inputs: Sequence[str]
    out_dir: str
    engine: str = "local"                 # local | dask
    scheduler: str | None = None          # dask scheduler address; None: a LocalCluster
    workers: int | None = None            # None: the number of CPUs (with a scheduler: its workers)
    partition_size: int = DEFAULT_PARTITION_SIZE
    stages: tuple | None = None           # None: the default pipeline
    limits: Limits = field(default_factory=Limits)
    resume: bool = False
    progress: bool | None = None          # None: on when stderr is a terminal, else a line every 10 s
    quiet: bool = False                   # no progress and no summary on stderr


@dataclass
class BatchReport:
    engine: str = ""
    workers: int = 0
    partitions: int = 0           # partitions read so far (all of them at the end)
    done_partitions: int = 0
    resumed_partitions: int = 0
    read: int = 0                 # records read from the input (bad ones included)
    analysed: int = 0
    words: int = 0
    chars: int = 0
    duplicates: int = 0           # analysed articles whose text an earlier one in this run already had
    failures: list = field(default_factory=list)
    seconds: float = 0.0
    worker_seconds: float = 0.0   # sum of the partitions' time on workers
    worker_cpu_seconds: float = 0.0
    load_seconds: float = 0.0     # model loading on workers (once per worker process)
    trims: int = 0                # times a worker emptied its caches to stay under --trim-memory
    peak_rss_mb: dict = field(default_factory=dict)   # worker -> peak resident memory (MB)
    rows: dict = field(default_factory=dict)
    out_dir: str = ""

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def max_rss_mb(self) -> float:
        return max(self.peak_rss_mb.values(), default=0.0)

    def to_json(self) -> dict:
        d = {k: getattr(self, k) for k in ("engine", "workers", "partitions", "resumed_partitions", "read",
                                             "analysed", "failed", "words", "chars", "duplicates", "trims", "rows",
                                             "peak_rss_mb", "max_rss_mb", "out_dir")}
        d["seconds"] = round(self.seconds, 3)
        d["worker_seconds"] = round(self.worker_seconds, 3)
        d["worker_cpu_seconds"] = round(self.worker_cpu_seconds, 3)
        d["load_seconds"] = round(self.load_seconds, 3)
        d["articles_per_s"] = round(self.analysed / self.seconds, 2) if self.seconds else None
        d["words_per_s"] = round(self.words / self.seconds, 1) if self.seconds else None
        d["failures_by_code"] = dict(sorted(Counter(f["code"] for f in self.failures).items()))
        return d

    def summary(self, max_failures: int = 10) -> str:
        s = self.seconds or 1e-9
        lines = [f"batch ({self.engine}, {self.workers} worker{'s' if self.workers != 1 else ''}): "
                 f"{self.read:,} records read in {self.partitions} partition{'s' if self.partitions != 1 else ''}"
                 + (f" ({self.resumed_partitions} already done)" if self.resumed_partitions else "")
                 + f"; {self.analysed:,} articles analysed ({self.words:,} words), {self.failed:,} failed"
                 + (f", {self.duplicates:,} repeated texts" if self.duplicates else ""),
                 f"  {self.seconds:.1f} s: {self.analysed / s:,.1f} articles/s, {self.words / s:,.0f} words/s; "
                 f"model loading {self.load_seconds:.1f} s; peak memory per worker "
                 f"{self.max_rss_mb:,.0f} MB" + (f" (caches emptied {self.trims}×)" if self.trims else ""),
                 f"  output: {self.out_dir} ({', '.join(f'{t} {self.rows.get(t, 0):,}' for t in TABLES)})"]
        if self.failures:
            by = Counter(f"[{f['code']}] {f['stage']}" for f in self.failures)
            lines.append("  failures by kind: " + ", ".join(f"{k} ×{n}" for k, n in by.most_common()))
            lines.append(f"  failures (first {min(max_failures, self.failed)} of {self.failed}; all in "
                         f"{Path(self.out_dir) / FAILURES}):")
            for f in self.failures[:max_failures]:
                lines.append(f"    {f['where']}: [{f['code']}] {f['reason']}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# input partitioning

@dataclass
class _Partition:
    index: int
    articles: list
    bytes_done: int = 0


def iter_partitions(inputs: Sequence[str], size: int, read_failures: list) -> Iterator[_Partition]:
    """Partitions of ``size`` articles in input order; records that cannot be read go to ``read_failures``."""
    from ..io.ingest import iter_inputs, plan_inputs

    size = max(1, int(size))
    plan = plan_inputs(inputs)
    seq = 0
    index = 0
    arts: list = []
    done = 0
    for it in iter_inputs(plan):
        done = it.bytes_done or done
        if it.error is not None or it.doc is None:
            art = Article(seq, it.source, it.line, "", {}, "")
            code = it.error[1:5] if it.error and it.error.startswith("[E") else "E100"
            reason = it.error[7:] if it.error and it.error.startswith("[E") else (it.error or "unreadable")
            read_failures.append(failure(art, "read", code, reason, index))
        else:
            d = it.doc
            arts.append(Article(seq, it.source, it.line, d.text, dict(d.meta), d.id))
            if len(arts) >= size:
                yield _Partition(index, arts, done)
                index += 1
                arts = []
        seq += 1
    if arts:
        yield _Partition(index, arts, done)


def input_bytes(inputs: Sequence[str]) -> int:
    from ..io.ingest import plan_inputs

    return plan_inputs(inputs).total_bytes


# --------------------------------------------------------------------------------------------------------------
# engines

class _LocalEngine:
    name = "local"

    def __init__(self, workers: int):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self._mp = mp.get_context("spawn")
        self._cls = ProcessPoolExecutor
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, mp_context=self._mp)

    def submit(self, task):
        return self.pool.submit(run_partition, task)

    def wait(self, futures):
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(futures, return_when=FIRST_COMPLETED)
        return done

    def broken(self, exc: BaseException) -> bool:
        from concurrent.futures.process import BrokenProcessPool

        return isinstance(exc, BrokenProcessPool)

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._cls(self.workers, mp_context=self._mp)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskEngine:
    name = "dask"

    def __init__(self, workers: int | None, scheduler: str | None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            from ..io.parquet import MissingDependencyError
            raise MissingDependencyError("--engine dask needs dask.distributed, which is not installed",
                                         source="dask") from None
        import logging

        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as e:
                raise BatchError(f"cannot connect to the Dask scheduler: {e}", source=scheduler,
                                 hint="check the address (tcp://host:8786) and that the scheduler is running") \
                    from None
            n = len(self.client.scheduler_info().get("workers", {}))
            self.workers = n or (workers or 1)
        else:
            self.workers = workers or os.cpu_count() or 1
            import dask

            # the statistical profiler samples the running thread every 10 ms: overhead for pure-Python work
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.label = f"dask {scheduler}" if scheduler else "dask LocalCluster"

    def submit(self, task):
        key = f"khabar-partition-{task.partition:05d}-{uuid.uuid4().hex[:8]}"
        return self.client.submit(run_partition, task, key=key, pure=False, retries=0)

    def wait(self, futures):
        from dask.distributed import wait

        return wait(futures, return_when="FIRST_COMPLETED").done

    def broken(self, exc: BaseException) -> bool:
        return False  # the scheduler retries a task whose worker died, then raises KilledWorker

    def restart(self) -> None:  # pragma: no cover - not used
        pass

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def make_engine(opts: BatchOptions):
    engine = "dask" if opts.scheduler else (opts.engine or "local")
    if engine == "local":
        return _LocalEngine(max(1, opts.workers or os.cpu_count() or 1))
    if engine == "dask":
        return _DaskEngine(opts.workers, opts.scheduler)
    raise BatchError(f"unknown engine {engine!r}", hint="use --engine local or --engine dask")


# --------------------------------------------------------------------------------------------------------------
# progress

class _Progress(ProgressLine):
    def __init__(self, total_bytes: int, enabled: bool | None, stream=None, every: float = 10.0):
        stream = stream or sys.stderr
        tty = hasattr(stream, "isatty") and stream.isatty()
        super().__init__(stream, enabled=True if enabled is None else enabled, every=0.5 if tty else every,
                         overwrite=tty)
        self.tty = tty
        self.total = total_bytes

    def update(self, rep: BatchReport, bytes_done: int, force: bool = False) -> None:
        el = self.due(force)
        if el is None:
            return
        rate = rep.analysed / el if el > 0 else 0.0
        frac = min(1.0, bytes_done / self.total) if self.total else 0.0
        eta = f"  ETA {hms(el / frac - el)}" if 0 < frac < 1 else ""
        self.show(f"batch: {frac * 100:5.1f}%  {rep.done_partitions}/{rep.partitions} partitions  "
                  f"{rep.analysed:,} articles  "
                  f"{rate:,.1f} articles/s  {rep.words / el if el else 0:,.0f} words/s  {rep.failed} failed  "
                  f"{hms(el)}{eta}")


# --------------------------------------------------------------------------------------------------------------
# output folder

def _manifest(opts: BatchOptions) -> dict:
    return {"khabar_batch": 1, "inputs": [str(Path(p).resolve()) for p in opts.inputs],
            "partition_size": int(opts.partition_size), "stages": list(opts.stages) if opts.stages else None,
            "max_chars": opts.limits.max_chars, "timeout": opts.limits.timeout}  # trim_mb: output-neutral


def _prepare_out(opts: BatchOptions) -> Path:
    out = Path(opts.out_dir)
    if out.exists() and not out.is_dir():
        raise BatchError("exists and is not a folder", source=str(out), hint="choose another --out folder")
    out.mkdir(parents=True, exist_ok=True)
    man = out / MANIFEST
    want = _manifest(opts)
    if man.exists():
        try:
            have = json.loads(man.read_text(encoding="utf-8"))
        except ValueError:
            have = None
        same = isinstance(have, dict) and {k: v for k, v in have.items() if k in want} == want
        if opts.resume and not same:
            raise OutputExistsError("holds the output of a batch run with other inputs or settings, which "
                                    "--resume cannot continue", source=str(out),
                                    hint="run again with the same inputs and options, or choose another --out")
        if not opts.resume:
            _clear(out)
    elif any(out.iterdir()) and not opts.resume:
        leftovers = [p.name for p in out.iterdir() if p.name not in TABLES + (MARKER_DIR, FAILURES, SUMMARY)]
        if leftovers:
            raise BatchError(f"is not empty and holds files that are not batch output ({', '.join(leftovers[:3])})",
                             source=str(out), hint="choose an empty or new --out folder")
        _clear(out)
    tmp = man.with_name(man.name + ".tmp")
    tmp.write_text(json.dumps(want, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, man)
    return out


def _clear(out: Path) -> None:
    """Remove the files an earlier run wrote (only those: part files, markers, failures, summary)."""
    for t in TABLES + (MARKER_DIR,):
        d = out / t
        if d.is_dir():
            for p in d.iterdir():
                if p.name.startswith(("part-", ".part-")):
                    p.unlink()
    for name in (FAILURES, SUMMARY):
        if (out / name).exists():
            (out / name).unlink()


# --------------------------------------------------------------------------------------------------------------
# the run

def _check_options(opts: BatchOptions) -> None:
    """Refuse bad options and missing inputs before anything is written or started."""
    if opts.partition_size < 1:
        raise BatchError("--partition-size must be at least 1")
    if opts.workers is not None and opts.workers < 1:
        raise BatchError("--workers must be at least 1")
    missing = [p for p in opts.inputs if not Path(p).exists()]
    if missing:
        raise BatchError("no such file or folder", source=missing[0], hint="check the input paths")
    if opts.stages:
        from ..pipeline import Pipeline
        Pipeline(only=list(opts.stages))  # unknown stage names fail here, not on every worker


def run_batch(opts: BatchOptions) -> BatchReport:
    """Run a batch; return its report (also written to ``<out>/_summary.json``)."""
    from ..io.parquet import require_pyarrow

    require_pyarrow()
    _check_options(opts)
    out = _prepare_out(opts)
    t0 = time.monotonic()
    bar = _Progress(input_bytes(opts.inputs), False if opts.quiet else opts.progress)
    engine = make_engine(opts)
    run = _Run(opts, out, engine, bar)
    try:
        while True:
            run.fill()
            if not run.inflight:
                break
            run.collect()
    finally:
        engine.close()
        bar.update(run.rep, run.bytes_done, force=True)
        bar.close()
    return run.summarise(t0)


class _Run:
    """The driver's state during one run: partitions in flight on the engine (at most ``2 × workers``), finished
    results, the report.  :meth:`fill` submits partitions, :meth:`collect` takes finished ones (a partition whose
    worker process died is resubmitted, at most :data:`MAX_ATTEMPTS` times), :meth:`summarise` writes the
    failures and the summary."""

    def __init__(self, opts: BatchOptions, out: Path, engine, bar):
        self.opts, self.out, self.engine, self.bar = opts, out, engine, bar
        self.rep = BatchReport(out_dir=str(out))
        self.rep.engine = getattr(engine, "label", engine.name)
        self.rep.workers = engine.workers
        self.read_failures: list = []
        self.results: dict[int, PartitionResult] = {}
        self.max_inflight = max(2, 2 * engine.workers)
        self.inflight: dict = {}        # future -> (task, attempt, bytes_done)
        self.stuck_seen: dict = {}      # partition -> stuck-article markers seen so far
        self.bytes_done = 0
        self.parts = iter_partitions(opts.inputs, opts.partition_size, self.read_failures)
        self.exhausted = False

    def finish(self, task: PartitionTask, res: PartitionResult) -> None:
        """Add a finished partition's result to the report."""
        rep = self.rep
        self.results[task.partition] = res
        rep.done_partitions += 1
        rep.analysed += res.n_ok
        rep.words += res.n_words
        rep.chars += res.n_chars
        rep.worker_seconds += res.seconds
        rep.worker_cpu_seconds += res.cpu_seconds
        rep.load_seconds += res.load_seconds
        rep.trims += res.trims
        for t, n in res.rows.items():
            rep.rows[t] = rep.rows.get(t, 0) + n
        if res.worker:
            rep.peak_rss_mb[res.worker] = max(rep.peak_rss_mb.get(res.worker, 0.0), res.peak_rss_mb)
        rep.failures.extend(res.failures)

    def give_up(self, task: PartitionTask, reason: str) -> None:
        """Record every article of a partition that cannot be run as failed (E502)."""
        res = PartitionResult(task.partition, n_articles=len(task.articles))
        res.failures = [failure(a, "worker", WorkerDiedError.code, reason, task.partition) for a in task.articles]
        self.finish(task, res)

    def _resumed(self, p, task: PartitionTask) -> bool:
        """With ``resume``: take a partition an earlier run finished (its marker and files are there)."""
        if not self.opts.resume:
            return False
        prev = read_marker(self.out, p.index)
        if prev is None or prev.n_articles != len(p.articles) or \
                not all((self.out / t / f"part-{p.index:05d}.parquet").exists() for t in TABLES):
            return False
        self.rep.resumed_partitions += 1
        prev.seconds = prev.load_seconds = 0.0
        self.finish(task, prev)
        self.bytes_done = max(self.bytes_done, p.bytes_done)
        return True

    def fill(self) -> None:
        """Read and submit partitions until ``max_inflight`` are in flight or the input is exhausted."""
        while not self.exhausted and len(self.inflight) < self.max_inflight:
            p = next(self.parts, None)
            if p is None:
                self.exhausted = True
                break
            self.rep.partitions += 1
            self.rep.read += len(p.articles)
            task = PartitionTask(p.index, p.articles, str(self.out), self.opts.stages, self.opts.limits,
                                 watchdog=True)
            if self._resumed(p, task):
                continue
            self.inflight[self.engine.submit(task)] = (task, 1, p.bytes_done)

    def collect(self) -> None:
        """Take the partitions that finish next (or fail)."""
        for fut in self.engine.wait(list(self.inflight)):
            task, attempt, bdone = self.inflight.pop(fut)
            try:
                res = fut.result()
            except BaseException as e:  # noqa: BLE001 - any failure of a partition is recorded
                if isinstance(e, KeyboardInterrupt):
                    raise
                if self.engine.broken(e):
                    self._worker_died(e, task, attempt, bdone)
                    break
                if isinstance(e, WorkerSetupError) or type(e).__name__ == "WorkerSetupError":
                    where = getattr(e, "source", None) or "a worker"
                    raise BatchError(f"stopped: {getattr(e, 'message', e)}", source=f"worker {where}",
                                     hint=WorkerSetupError.hint) from None
                name = type(e).__name__
                self.give_up(task, f"partition {task.partition} failed on the worker: {name}: {e}")
            else:
                self.finish(task, res)
            self.bytes_done = max(self.bytes_done, bdone)
            self.rep.failures.extend(self.read_failures)
            self.read_failures.clear()
            self.bar.update(self.rep, self.bytes_done)

    def _worker_died(self, e: BaseException, task: PartitionTask, attempt: int, bdone: int) -> None:
        """The worker process died: every task in flight is lost; start a new pool and resubmit them."""
        lost = [(task, attempt)]
        marks = {task.partition: bdone}
        for f2, (t, a, b) in self.inflight.items():
            if f2.done() and not f2.cancelled() and f2.exception() is None:
                self.finish(t, f2.result())
                self.bytes_done = max(self.bytes_done, b)
            else:
                lost.append((t, a))
                marks[t.partition] = b
        self.inflight.clear()
        self.engine.restart()
        # a worker that ended itself on a stuck article left a marker: the death is explained, so the partitions
        # lost with it are retried without counting the attempt (the stuck partition's retry records that
        # article as failed and goes on)
        stuck = {t.partition: len(stuck_articles(self.out, t.partition)) for t, _ in lost}
        fresh = {k for k, n in stuck.items() if n > self.stuck_seen.get(k, 0)}
        self.stuck_seen.update(stuck)
        if fresh:
            lost = [(t, a - 1) for t, a in lost]
        if self.rep.done_partitions == 0 and attempt >= 2 and not fresh:
            raise BatchError("the worker processes die before finishing any partition "
                             f"({type(e).__name__}: {e})",
                             hint="run `khabar analyze` on one article to see the error; check "
                             "the memory available per worker") from None
        for t, a in lost:
            if a >= MAX_ATTEMPTS:
                self.give_up(t, f"the worker process died {a} times on this partition "
                                "(out of memory, or a crash in compiled code)")
            else:
                self.inflight[self.engine.submit(t)] = (t, a + 1, marks[t.partition])

    def summarise(self, t0: float) -> BatchReport:
        """The report's last figures; write ``failures.jsonl`` and ``_summary.json``."""
        rep, out = self.rep, self.out
        rep.failures.extend(self.read_failures)
        rep.read += sum(1 for f in rep.failures if f["stage"] == "read")
        rep.failures.sort(key=lambda f: f["seq"])
        seen: set = set()
        for k in sorted(self.results):
            for did in self.results[k].doc_ids:
                if did in seen:
                    rep.duplicates += 1
                seen.add(did)
        rep.seconds = time.monotonic() - t0
        _write_failures(out, rep.failures)
        summ = rep.to_json()
        summ["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        (out / SUMMARY).write_text(json.dumps(summ, ensure_ascii=False, indent=1), encoding="utf-8")
        return rep


def _write_failures(out: Path, failures: list) -> None:
    p = out / FAILURES
    tmp = p.with_name(p.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for rec in failures:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.replace(tmp, p)
