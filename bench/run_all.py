"""All of khabar's speed figures in one table, each with its ratio to a baseline run in the same process.

    python bench/run_all.py [--limit 300] [--skip batch,store] [--only STAGES]

Rows:

* text core (normalise + tokens + sentences + clitic segments), words/s on one core — baseline: the tokenizer of
  ``bench_textcore.py`` (pyarabic when installed, else a regular expression);
* full pipeline, words/s on one core, articles passed 16 at a time (``Pipeline.pipe``) — baseline: the text core on the same texts (the ratio says how much of the
  text core's speed the whole pipeline keeps);
* ingest into the store, articles/s, and search latency p50/p95 — from ``bench/bench_store.py`` (run with
  ``--json``): ingest (analysis + storing) against the analysis alone, and search in the default mode against
  ``exact`` mode; without bench_store.py, measured here: storing already analysed articles with ``Store.write``
  against inserting the same texts into a plain SQLite FTS5 table (default tokenizer), and ``Store.search``
  against an FTS5 ``MATCH`` on that plain table;
* batch: words/s with 1 and 2 workers, local process pool and Dask LocalCluster, the speed-up from 1 to 2
  workers (baseline: 1 worker of the same engine) and the peak memory of a worker (``ru_maxrss``).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

from _common import SHARED, ant_texts, n_words

ROWS: list[tuple] = []   # (measure, value, unit, baseline, ratio, note)


def row(measure, value, unit, baseline=None, ratio=None, note=""):
    ROWS.append((measure, value, unit, baseline, ratio, note))


def _best(fn, repeat=2):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_text_core(texts):
    import bench_textcore as tc

    words = n_words(texts)
    tc.run_core(texts[:20])
    t_core = _best(lambda: tc.run_core(texts))
    name, tok = tc.baseline()
    t_base = _best(lambda: [tok(t) for t in texts])
    row("text core", words / t_core, "words/s", f"{name}: {words / t_base:,.0f}", t_base / t_core)
    return words / t_core


def bench_pipeline(texts, stages, core_wps):
    from khabar.document import Document
    from khabar.pipeline import Pipeline, default_pipeline

    pipe = Pipeline(only=list(stages)) if stages else default_pipeline()
    words = n_words(texts)
    pipe(Document.from_text(texts[0]))  # load the models
    t = _best(lambda: list(pipe.pipe(Document.from_text(x) for x in texts)), repeat=1)
    wps = words / t
    row("full pipeline, 1 core, 16 articles per call" if not stages else
        f"pipeline {','.join(stages)}, 1 core, 16 per call", wps, "words/s",
        f"text core: {core_wps:,.0f}" if core_wps else None, wps / core_wps if core_wps else None,
        ",".join(pipe.names))
    return pipe


def _analysed_docs(limit, pipe):
    from khabar.document import Document

    news = SHARED / "data" / "news" / "ant_v2.1.jsonl.gz"
    docs = []
    with gzip.open(news, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            docs.append(pipe(Document.from_text(rec["text"], title=rec.get("title"), outlet=rec.get("src"))))
            if len(docs) >= limit:
                break
    return docs


QUERIES = ("إيران", "الرئيس الأمريكي", "النفط", "كرة القدم", "الاقتصاد", "مجلس الأمن", "السعودية", "الانتخابات",
           "اللاجئين", "الهاتف", "ترامب", "الأمم المتحدة")


def bench_store(limit, pipe, stages=None):
    try:
        import bench_store  # the store's own benchmark, when present
    except ImportError:
        bench_store = None
    if bench_store is not None and hasattr(bench_store, "main"):
        import contextlib
        import io

        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "store.json"
            argv = ["--limit", str(limit), "--queries", "100", "--pairs", "20", "--json", str(out)]
            if stages:
                argv += ["--only", ",".join(stages)]
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                bench_store.main(argv)
            m = json.loads(out.read_text(encoding="utf-8"))
        ing, sm = m["ingest"], m["search_ms"]
        row("store ingest (analysis + storing), 1 core", ing["articles_per_s"], "articles/s",
            f"analysis alone: {ing['analysis_articles_per_s']:,.1f}",
            ing["articles_per_s"] / ing["analysis_articles_per_s"] if ing.get("analysis_articles_per_s") else None,
            f"bench_store.py, {m['articles']} articles")
        row("search p50", sm["p50"], "ms", f"exact mode p50: {sm.get('exact_mode_p50', 0):.2f} ms",
            sm["exact_mode_p50"] / sm["p50"] if sm.get("exact_mode_p50") and sm["p50"] else None,
            f"bench_store.py, {sm['queries']} queries; ratio = baseline/khabar")
        row("search p95", sm["p95"], "ms", None, None, "bench_store.py")
        return
    from khabar.store import Store
    from khabar.store.rows import prepare

    docs = _analysed_docs(limit, pipe)
    with tempfile.TemporaryDirectory() as d:
        with Store(str(Path(d) / "k.db")) as st:
            t = time.perf_counter()
            for k in range(0, len(docs), 64):
                st.write([prepare(x, splitter=st.splitter_name) for x in docs[k:k + 64]])
            t_store = time.perf_counter() - t
            st.search(QUERIES[0], limit=10)  # warm: load the clitic splitter once
            lat = []
            for _ in range(3):
                for q in QUERIES:
                    t = time.perf_counter()
                    st.search(q, limit=10)
                    lat.append((time.perf_counter() - t) * 1000)
        base = sqlite3.connect(str(Path(d) / "base.db"))
        base.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
        t = time.perf_counter()
        for k in range(0, len(docs), 64):
            with base:
                base.executemany("INSERT INTO t VALUES (?, ?)", [(x.meta.get("title"), x.text) for x in docs[k:k + 64]])
        t_base = time.perf_counter() - t
        blat = []
        for _ in range(3):
            for q in QUERIES:
                t = time.perf_counter()
                base.execute("SELECT rowid, snippet(t, 1, '[', ']', '…', 12) FROM t WHERE t MATCH ? "
                             "ORDER BY rank LIMIT 10", (" ".join(f'"{w}"' for w in q.split()),)).fetchall()
                blat.append((time.perf_counter() - t) * 1000)
        base.close()
    n = len(docs)
    row("store ingest (analysed articles)", n / t_store, "articles/s", f"plain FTS5 insert: {n / t_base:,.0f}",
        t_base / t_store, f"{n} articles, measured here (no bench_store.measure)")
    for name, p in (("p50", 50), ("p95", 95)):
        v, b = _pct(lat, p), _pct(blat, p)
        row(f"search {name}", v, "ms", f"plain FTS5 MATCH: {b:.2f} ms", b / v if v else None,
            f"{len(QUERIES)} queries ×3 over {n} articles; ratio = baseline/khabar")


def _pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return 0.0
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def bench_batch_rows(limit, stages):
    import bench_batch

    res = bench_batch.measure(limit=limit, partition_size=max(10, limit // 8), stages=stages)
    for r in res:
        row(f"batch {r['engine']}, {r['workers']} worker{'s' if r['workers'] > 1 else ''}", r["words_per_s"],
            "words/s", "1 worker" if r["workers"] > 1 else None, r["speedup"] if r["workers"] > 1 else None,
            f"speed-up without model loading {r['steady_speedup']:.2f}x; wall {r['wall_s']:.1f} s; worker CPU "
            f"{r['worker_cpu_s']:.1f} s; CPU share {r['cpu_share'] or 0:.2f}")
        row(f"  peak memory per worker ({r['engine']}, {r['workers']})", r["max_rss_mb"], "MB")


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    return f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"


def main():
    ap = argparse.ArgumentParser(description="khabar speed figures, each against a same-process baseline")
    ap.add_argument("--limit", type=int, default=300, help="articles per measurement (default 300)")
    ap.add_argument("--skip", default="", help="comma-separated: textcore,pipeline,store,batch")
    ap.add_argument("--only", default=None, help="pipeline stage subset for the pipeline/store/batch rows")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    stages = tuple(a.only.split(",")) if a.only else None
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    texts = ant_texts(a.limit)
    core = pipe = None
    steps = [("textcore", lambda: bench_text_core(texts)), ("pipeline", None), ("store", None), ("batch", None)]
    for name, _ in steps:
        if name in skip:
            continue
        try:
            if name == "textcore":
                core = bench_text_core(texts)
            elif name == "pipeline":
                pipe = bench_pipeline(texts, stages, core)
            elif name == "store":
                if pipe is None:
                    from khabar.pipeline import Pipeline, default_pipeline
                    pipe = Pipeline(only=list(stages)) if stages else default_pipeline()
                bench_store(a.limit, pipe, stages)
            elif name == "batch":
                bench_batch_rows(a.limit, stages)
        except Exception as e:  # one failing measurement must not hide the others
            row(name, None, "", None, None, f"failed: {type(e).__name__}: {e}")
            traceback.print_exc(file=sys.stderr)
    print(f"khabar benchmarks, run {started}; {a.limit} articles; pipeline: {a.only or 'default'}")
    w = max(len(r[0]) for r in ROWS) if ROWS else 10
    print(f"{'measure':{w}}  {'value':>12} {'unit':11} {'baseline':34} {'ratio':>7}  note")
    for m, v, unit, base, ratio, note in ROWS:
        print(f"{m:{w}}  {fmt(v):>12} {unit:11} {fmt(base) if base else '-':34} "
              f"{(fmt(ratio) + 'x') if ratio else '-':>7}  {note}")


if __name__ == "__main__":
    main()
