"""What runs on a worker: analyse one partition of articles and write its Parquet files.

A task is a :class:`PartitionTask` (the articles' canonical text and metadata, read by the driver); the worker
analyses each article with the pipeline (loaded once per worker process and kept), under the per-article limits,
writes one file per table (``<out>/<table>/part-<NNNNN>.parquet``) and a marker ``<out>/_parts/part-<NNNNN>.json``
(written last: a partition with a marker is complete), and returns a small :class:`PartitionResult` (counts,
failures, ids, time, peak memory) — the rows themselves never travel back through the driver or the scheduler.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import ArticleTimeoutError, WorkerSetupError
from ..limits import DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT
from ..limits import Limits as ArticleLimits
from ..runner import Failure, failure_of, refusal, run_articles

MARKER_DIR = "_parts"


@dataclass
class Article:
    seq: int              # position in the run's input (bad records included)
    source: str           # input file
    line: int | None      # line (JSONL) or item number (JSON list), None for a whole file
    text: str             # canonical text
    meta: dict
    doc_id: str


@dataclass
class Limits(ArticleLimits):
    """The per-article limits (:class:`khabar.limits.Limits`, with the CLI's defaults) and the worker's memory
    bound."""
    max_chars: int = DEFAULT_MAX_CHARS   # longer articles are refused (E105) without analysis
    timeout: float = DEFAULT_TIMEOUT     # seconds for one article (E503)
    trim_mb: int = 1000             # above this resident memory, the worker empties the per-word caches


@dataclass
class PartitionTask:
    partition: int
    articles: list                  # [Article]
    out_dir: str
    stages: tuple | None = None     # None: the default pipeline
    limits: Limits = field(default_factory=Limits)
    watchdog: bool = False          # set by the engines: a worker process stuck past the limits ends itself


@dataclass
class PartitionResult:
    partition: int
    n_articles: int = 0
    n_ok: int = 0
    n_words: int = 0
    n_chars: int = 0
    failures: list = field(default_factory=list)   # failure records (dicts)
    doc_ids: list = field(default_factory=list)    # ids of the analysed articles, in order
    rows: dict = field(default_factory=dict)       # table -> rows written
    seconds: float = 0.0            # analysis + writing, on the worker (wall clock)
    cpu_seconds: float = 0.0        # CPU time of the worker process meanwhile (all its threads)
    worker: str = ""                # host:pid
    peak_rss_mb: float = 0.0        # the worker process's peak resident memory so far
    load_seconds: float = 0.0       # model loading in this task (0 once the worker is warm)
    trims: int = 0                  # times the caches were emptied to keep memory under Limits.trim_mb

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> "PartitionResult":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


def failure(art: Article, stage: str, code: str, reason: str, partition: int | None = None) -> dict:
    where = f"{art.source}:{art.line}" if art.line is not None else art.source
    return {"seq": art.seq, "input": art.source, "line": art.line, "where": where, "partition": partition,
            "doc_id": art.doc_id or None, "stage": stage, "code": code, "reason": reason}


# --------------------------------------------------------------------------------------------------------------
# per-process state: the pipeline is built and its models loaded once, on the first task

_PIPES: dict = {}
_TRIM = {"next": 0.0}
_WARMUP = "قال الرئيس المصري في القاهرة يوم الاثنين 5 مارس 2018 إن \"الاجتماع كان مثمرا\"، بحسب وكالة رويترز."


def get_pipeline(stages: Sequence[str] | None):
    key = tuple(stages) if stages else ()
    pipe = _PIPES.get(key)
    if pipe is None:
        from ..document import Document
        from ..pipeline import Pipeline, default_pipeline

        pipe = default_pipeline() if not key else Pipeline(only=list(key))
        pipe(Document.from_text(_WARMUP))  # load every model now, outside any article's time limit
        _PIPES[key] = pipe
    return pipe


def pipeline_signature(pipe) -> str:
    return ",".join(f"{s.name}@{s.version}" for s in pipe.stages)


def current_rss_mb() -> float | None:
    """Resident memory of this process now (Linux ``/proc``); None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def trim_caches(pipe) -> int:
    """Empty the per-word caches of the pipeline's stages and models; return how many entries were dropped.

    Caches make a long run fast but grow with every new word form (a run over tens of thousands of articles
    meets hundreds of thousands); emptying them now and then keeps a worker's memory bounded (the memory is
    reused as they fill again).  A stage's ``clear_cache()`` is called when it has one, else its ``_cache``
    dict is emptied; the clitic segmenter's and the NER feature extractor's caches are emptied too.
    """
    import gc

    dropped = 0
    holders = list(getattr(pipe, "stages", ()))
    for mod, attr in (("khabar.text.segment", "_SINGLETON"), ("khabar.ner.tagger", "_SINGLETON")):
        m = sys.modules.get(mod)
        obj = getattr(m, attr, None) if m else None
        if obj is not None:
            holders.append(obj)
            if getattr(obj, "features", None) is not None:
                holders.append(obj.features)
    for h in holders:
        for name in ("_cache", "_span_cache"):
            c = getattr(h, name, None)
            if isinstance(c, dict):
                dropped += len(c)
        fn = getattr(h, "clear_cache", None)
        if callable(fn):
            fn()
        else:
            for name in ("_cache", "_span_cache"):
                c = getattr(h, name, None)
                if isinstance(c, dict):
                    c.clear()
    gc.collect()
    return dropped


def peak_rss_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / (1024 * 1024) if sys.platform == "darwin" else r / 1024


def _host() -> str:
    try:
        return f"{os.uname().nodename}:{os.getpid()}"
    except AttributeError:  # pragma: no cover
        return str(os.getpid())


# --------------------------------------------------------------------------------------------------------------

GROUP = 16  # articles a worker passes through a batched stage together (see Pipeline.plan)


def _record(art: Article, task: PartitionTask, f) -> dict:
    """The failure record of an article from its :class:`khabar.runner.Failure`."""
    return failure(art, f.stage, f.code, f.reason, task.partition)


def _run_group(pipe, arts, task, res, rows, sig, dog) -> None:
    """Analyse a group of articles (:func:`khabar.runner.run_articles`: each under its own limits, the entity
    tagger on all of them together) and add the rows of those that succeed, the failures of the others."""
    from ..document import Document
    from .tables import document_rows

    docs = [Document(art.text, art.meta, {}, art.doc_id) for art in arts]
    where = [f"{art.source}:{art.line}" if art.line is not None else art.source for art in arts]
    arm = (lambda i: dog.arm(arts[i].seq if i >= 0 else -1)) if dog is not None else None
    done = run_articles(pipe, docs, task.limits, where, arm)
    for art, doc in zip(arts, done):
        if isinstance(doc, Failure):
            res.failures.append(_record(art, task, doc))
            continue
        try:
            out = document_rows(doc, seq=art.seq, partition=task.partition, source=art.source, line=art.line,
                                pipeline=sig)
        except Exception as e:  # a bug in the rows must not stop the partition either: the same policy
            res.failures.append(_record(art, task, failure_of(e, task.limits)))
            continue
        for t, rs in out.items():
            rows[t].extend(rs)
        res.n_ok += 1
        res.n_words += out["documents"][0]["n_words"]
        res.n_chars += len(art.text)
        res.doc_ids.append(art.doc_id)


def run_partition(task: PartitionTask) -> PartitionResult:
    """Analyse and write one partition (runs in a worker process)."""
    from ..io.parquet import part_name, write_rows
    from .tables import TABLES

    t0 = time.perf_counter()
    c0 = time.process_time()
    warm = (tuple(task.stages) if task.stages else ()) in _PIPES
    try:
        pipe = get_pipeline(task.stages)
    except Exception as e:
        raise WorkerSetupError(f"the pipeline could not be loaded: {type(e).__name__}: {e}", source=_host()) \
            from None
    load = 0.0 if warm else time.perf_counter() - t0
    sig = pipeline_signature(pipe)
    res = PartitionResult(task.partition, n_articles=len(task.articles), worker=_host(), load_seconds=load)
    rows: dict[str, list] = {t: [] for t in TABLES}
    lim = task.limits
    out_dir = Path(task.out_dir)
    stuck = stuck_articles(out_dir, task.partition)
    dog = _Watchdog(out_dir, task.partition, lim.timeout) if task.watchdog and lim.timeout else None
    # articles go through the pipeline GROUP at a time: each article's own stages run one by one under its own
    # time limit (and the watchdog), a batched stage (the entity tagger) takes the group's surviving articles
    # together; an article that fails drops out of its group alone, and if the batched call itself fails, it is
    # run again one article at a time, so every failure is reported against its own article
    try:
        todo: list = []
        for k, art in enumerate(task.articles):
            if lim.trim_mb and k % 20 == 0:
                rss = current_rss_mb()
                if rss is not None and rss > max(lim.trim_mb, _TRIM["next"]):
                    trim_caches(pipe)
                    res.trims += 1
                    # freed memory is reused, not given back: trim again only once the caches outgrow it
                    _TRIM["next"] = (current_rss_mb() or rss) + max(64, lim.trim_mb // 10)
            refused = refusal(art.text, lim)
            if todo and (refused is not None or art.seq in stuck):
                _run_group(pipe, todo, task, res, rows, sig, dog)  # failures stay in article order
                todo = []
            if refused is not None:
                res.failures.append(_record(art, task, refused))
                continue
            if art.seq in stuck:
                res.failures.append(failure(art, "limit", ArticleTimeoutError.code,
                                            f"analysis took longer than {lim.timeout:g} s and did not stop: the "
                                            "worker process was ended (raise the limit with --timeout)",
                                            task.partition))
                continue
            todo.append(art)
            if len(todo) >= GROUP:
                _run_group(pipe, todo, task, res, rows, sig, dog)
                todo = []
        if todo:
            _run_group(pipe, todo, task, res, rows, sig, dog)
    finally:
        if dog is not None:
            dog.close()
    name = part_name(task.partition)
    for t in TABLES:
        res.rows[t] = write_rows(rows[t], t, out_dir / t / name)
    res.seconds = time.perf_counter() - t0
    res.cpu_seconds = time.process_time() - c0
    res.peak_rss_mb = round(peak_rss_mb(), 1)
    write_marker(out_dir, res)
    return res


# --------------------------------------------------------------------------------------------------------------
# the watchdog: the per-article alarm interrupts Python code, not one long call into compiled code (which may also
# hold the interpreter lock, so no Python thread could step in).  faulthandler's watchdog is a C thread: armed
# for each article, it ends the worker process when the article runs far past its limit; the article's sequence
# number, written before the analysis, tells the partition's retry (a new process) which article to record as
# failed instead of analysing it again.

STUCK_FACTOR = 2.0       # a worker is stuck when one article has run this many times its limit ...
STUCK_MIN_SLACK = 10.0   # ... and at least this many seconds past it


def stuck_path(out_dir: Path, partition: int, seq: int) -> Path:
    return Path(out_dir) / MARKER_DIR / f".part-{partition:05d}.stuck-{seq}"


def _collect_stuck(out_dir: Path, partition: int) -> None:
    """Turn what a watchdog left (its traceback dump and the current article) into a stuck marker."""
    d = Path(out_dir) / MARKER_DIR
    dump, cur = d / f".part-{partition:05d}.watchdog", d / f".part-{partition:05d}.current"
    try:
        fired = dump.stat().st_size > 0
    except OSError:
        return
    try:
        if fired:
            seq = int(cur.read_bytes().decode("ascii").strip() or "-1")
            if seq >= 0:
                stuck_path(out_dir, partition, seq).write_text("stuck\n", encoding="utf-8")
    except (OSError, ValueError):
        pass
    for p in (dump, cur):
        try:
            p.unlink()
        except OSError:
            pass


def stuck_articles(out_dir: Path, partition: int) -> set:
    """Sequence numbers of this partition's articles on which a worker process got stuck and was ended."""
    _collect_stuck(out_dir, partition)
    d = Path(out_dir) / MARKER_DIR
    pre = f".part-{partition:05d}.stuck-"
    try:
        return {int(p.name[len(pre):]) for p in d.iterdir() if p.name.startswith(pre)}
    except (OSError, ValueError):
        return set()


class _Watchdog:
    """Per partition: ``arm(seq)`` before each article, ``close()`` at the end.

    Starting faulthandler's watchdog costs a thread (~0.1 ms), so it is not restarted for every article: it is
    set to twice the stuck limit and restarted only when half of that has passed.  An article is thus ended
    after between one and two times the stuck limit; arming an article costs one ``pwrite`` (~2 µs)."""

    def __init__(self, out_dir: Path, partition: int, timeout: float):
        import faulthandler

        self.fh = faulthandler
        self.hard = 2 * max(timeout * STUCK_FACTOR, timeout + STUCK_MIN_SLACK)
        self.armed_at = None
        d = Path(out_dir) / MARKER_DIR
        d.mkdir(parents=True, exist_ok=True)
        self.cur = d / f".part-{partition:05d}.current"
        self.dump_path = d / f".part-{partition:05d}.watchdog"
        self.fd = os.open(self.cur, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.dump = open(self.dump_path, "w", encoding="utf-8")

    def arm(self, seq: int) -> None:
        os.pwrite(self.fd, f"{seq:<20d}".encode("ascii"), 0)
        now = time.monotonic()
        if self.armed_at is None or now - self.armed_at > self.hard / 2:
            self.fh.dump_traceback_later(self.hard, exit=True, file=self.dump)
            self.armed_at = now

    def close(self) -> None:
        self.fh.cancel_dump_traceback_later()
        os.close(self.fd)
        self.dump.close()
        for p in (self.cur, self.dump_path):
            try:
                p.unlink()
            except OSError:
                pass


def marker_path(out_dir: str | os.PathLike, partition: int) -> Path:
    return Path(out_dir) / MARKER_DIR / f"part-{partition:05d}.json"


def write_marker(out_dir: Path, res: PartitionResult) -> None:
    p = marker_path(out_dir, res.partition)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(res.to_json(), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, p)


def read_marker(out_dir: str | os.PathLike, partition: int) -> PartitionResult | None:
    p = marker_path(out_dir, partition)
    try:
        return PartitionResult.from_json(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
