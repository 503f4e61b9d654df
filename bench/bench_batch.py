"""Batch throughput (articles/s, words/s) with 1 and 2 workers on the local process pool and on a Dask
LocalCluster, the speed-up from 1 to 2 workers, and the peak memory of each worker (``ru_maxrss``).

The input is the first ``--limit`` articles of ANT and of SaudiNewsNet (half each), written to a temporary JSONL
file.  Times are wall-clock for the whole run (pool or cluster start, model loading, reading, analysis,
Parquet writing); "steady" subtracts each worker's model loading, which a long run pays once.  "worker CPU s"
is the CPU time the workers spent (the same for 1 and 2 workers when parallelism adds no work), and "CPU share"
the share of a core each worker got while it worked (well under 1: other processes were using the CPUs, and
wall-clock speed-ups are not meaningful).

    python bench/bench_batch.py [--limit 400] [--partition-size 50] [--engines local,dask] [--workers 1,2]
                                [--only STAGES]
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import shutil
import tempfile
import time
from pathlib import Path

from _common import SHARED


def sample_input(limit: int, folder: Path) -> Path:
    """``limit`` articles, alternating ANT and SaudiNewsNet, as one JSONL file."""
    news = SHARED / "data" / "news"
    srcs = [news / "ant_v2.1.jsonl.gz", news / "saudinewsnet.jsonl.gz"]
    for s in srcs:
        if not s.exists():
            raise SystemExit(f"{s} not found: the benchmarks read ../shared/data/news")
    path = folder / f"sample_{limit}.jsonl"
    with gzip.open(srcs[0], "rt", encoding="utf-8") as a, gzip.open(srcs[1], "rt", encoding="utf-8") as b, \
            open(path, "w", encoding="utf-8") as out:
        half = (limit + 1) // 2
        for la, lb in itertools.zip_longest(itertools.islice(a, half), itertools.islice(b, limit - half)):
            for line in (la, lb):
                if line:
                    out.write(line if line.endswith("\n") else line + "\n")
    return path


def run_one(path: Path, engine: str, workers: int, partition_size: int, stages, out_root: Path) -> dict:
    from khabar.batch import BatchOptions, run_batch

    out = out_root / f"{engine}_{workers}"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    rep = run_batch(BatchOptions([str(path)], str(out), engine=engine, workers=workers,
                                 partition_size=partition_size, stages=stages, quiet=True))
    wall = time.perf_counter() - t
    load_per_worker = rep.load_seconds / max(1, len(rep.peak_rss_mb) or workers)
    steady = max(1e-9, wall - load_per_worker)
    return {"engine": engine, "workers": workers, "articles": rep.analysed, "failed": rep.failed,
            "words": rep.words, "wall_s": wall, "articles_per_s": rep.analysed / wall,
            "words_per_s": rep.words / wall, "steady_words_per_s": rep.words / steady,
            "load_s": load_per_worker, "peak_rss_mb": dict(rep.peak_rss_mb), "max_rss_mb": rep.max_rss_mb,
            "worker_cpu_s": rep.worker_cpu_seconds, "worker_wall_s": rep.worker_seconds,
            # share of a core each worker got while it worked: well under 1 means other processes took the CPUs
            "cpu_share": rep.worker_cpu_seconds / rep.worker_seconds if rep.worker_seconds else None}


def measure(limit: int = 400, partition_size: int = 50, engines=("local", "dask"), workers=(1, 2),
            stages=None, keep: str | None = None) -> list[dict]:
    """Run every (engine, workers) combination; return one result dict each, with ``speedup`` vs 1 worker."""
    tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="khabar_bench_batch_"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        path = sample_input(limit, tmp)
        res = []
        for engine in engines:
            if engine == "dask":
                import importlib.util
                if importlib.util.find_spec("distributed") is None:
                    print("dask.distributed not installed: dask engine skipped")
                    continue
            base = None
            for n in workers:
                r = run_one(path, engine, n, partition_size, stages, tmp)
                if n == workers[0]:
                    base = r
                r["speedup"] = r["words_per_s"] / base["words_per_s"] if base else 1.0
                r["steady_speedup"] = r["steady_words_per_s"] / base["steady_words_per_s"] if base else 1.0
                res.append(r)
        return res
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def print_table(res: list[dict]) -> None:
    print(f"{'engine':8} {'workers':>7} {'articles':>8} {'wall s':>7} {'art/s':>7} {'words/s':>9} "
          f"{'speed-up':>8} {'steady w/s':>10} {'steady ×':>8} {'worker CPU s':>12} {'CPU share':>9} "
          f"{'peak MB/worker':>14}")
    for r in res:
        print(f"{r['engine']:8} {r['workers']:>7} {r['articles']:>8} {r['wall_s']:>7.1f} {r['articles_per_s']:>7.1f} "
              f"{r['words_per_s']:>9,.0f} {r['speedup']:>7.2f}x {r['steady_words_per_s']:>10,.0f} "
              f"{r['steady_speedup']:>7.2f}x {r['worker_cpu_s']:>12.1f} {r['cpu_share'] or 0:>9.2f} "
              f"{r['max_rss_mb']:>14,.0f}")
    busy = [r for r in res if r.get("cpu_share") is not None and r["cpu_share"] < 0.8]
    if busy:
        print("note: the workers got less than 80% of a core each in some runs (other processes were using the "
              "CPUs), so those speed-ups understate what free cores give; worker CPU s shows the work itself")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=400, help="articles (half ANT, half SaudiNewsNet)")
    ap.add_argument("--partition-size", type=int, default=50)
    ap.add_argument("--engines", default="local,dask")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--only", default=None, help="stage subset (default: the whole pipeline)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    a = ap.parse_args()
    stages = tuple(a.only.split(",")) if a.only else None
    res = measure(a.limit, a.partition_size, tuple(a.engines.split(",")),
                  tuple(int(x) for x in a.workers.split(",")), stages)
    print(f"batch benchmark, {time.strftime('%Y-%m-%d %H:%M')}: {a.limit} articles, partitions of "
          f"{a.partition_size}, pipeline: {a.only or 'default'}")
    print_table(res)
    if a.json:
        print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
