"""Full pipeline throughput on one core (one process), with each stage's share, and its ratio to the text core
(normalise + tokens + sentences + segments) run in the same process on the same texts.

The per-word caches (clitic segmenter, NER features, folds) are warmed on ``--warm`` other articles first, as
in a long run; then ``--limit`` unseen articles are analysed once (``first pass``: their new words are analysed
as they come) and once more (``cached``: every word seen).  ``--only`` measures a part of the pipeline, e.g.
``--only quotes,sources,dates,dateline,actors`` for the stages of who-said-what and what they need.

``--batch N`` (default 16) passes the articles N at a time, as ``khabar batch`` and ``ingest`` workers do
(``Pipeline.run_many``: the entity tagger decodes the sentences of the N articles together); ``--batch 1`` is
one article per call (``Pipeline.__call__``, as ``khabar analyze`` and the server).

``--clock cpu`` times everything (the runs, the baseline and the per-stage shares) by this process's CPU time
instead of the wall clock: on a machine shared with other work the wall clock counts the time the process waits
for a core.

    python bench/bench_pipeline.py [--warm 1000] [--limit 1000] [--only STAGES] [--batch 16] [--compare N]
                                   [--clock wall|cpu]
"""
from __future__ import annotations

import argparse
import time

from _common import ant_texts, n_words


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--warm", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--only", default=None)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--compare", type=int, default=0, metavar="N",
                    help="instead: N alternated runs of one article per call and --batch articles per call over "
                         "the same (cached) articles in this process, and their ratio")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="cpu: time by this process's CPU time (time.process_time), stage shares included")
    a = ap.parse_args()
    if a.clock == "cpu":  # every timer of this run, the pipeline's per-stage timings included
        time.perf_counter = time.process_time
    from khabar.document import Document
    from khabar.pipeline import Pipeline

    texts = ant_texts(a.warm + a.limit)
    warm, run = texts[:a.warm], texts[a.warm:]
    words = n_words(run)
    pipe = Pipeline(only=a.only.split(",")) if a.only else Pipeline()
    core = Pipeline(["normalize", "tokens", "sentences", "segments"])
    B = max(1, a.batch)

    def analyse(texts, timed):
        if B == 1:
            for t in texts:
                pipe(Document.from_text(t), timed=timed)
        else:
            for k in range(0, len(texts), B):
                pipe.run_many([Document.from_text(t) for t in texts[k:k + B]], timed=timed)

    analyse(warm, False)
    if a.compare:
        compare(pipe, run, words, B, a.compare)
        return
    results = {}
    for label in ("first pass", "cached"):
        pipe.timings = {}
        t0 = time.perf_counter()
        analyse(run, True)
        results[label] = (time.perf_counter() - t0, dict(pipe.timings))
    t0 = time.perf_counter()
    for t in run:
        core(Document.from_text(t))
    t_core = time.perf_counter() - t0
    print(f"stages: {','.join(pipe.names)}  (clock: {a.clock})")
    print(f"articles: {len(run)} (after {len(warm)} to warm the caches)  words: {words}  "
          f"{'one article per call' if B == 1 else f'{B} articles per call (run_many)'}")
    for label, (el, _) in results.items():
        print(f"pipeline, {label}: {words / el:,.0f} words/s, {len(run) / el:.1f} articles/s")
    print(f"text core (baseline): {words / t_core:,.0f} words/s; pipeline keeps "
          f"{t_core / results['first pass'][0]:.3f} of its speed (first pass)")
    print("stage shares (first pass), µs per word:")
    for k, v in sorted(results["first pass"][1].items(), key=lambda x: -x[1]):
        print(f"  {k:10s} {1e6 * v / words:6.1f}")


def compare(pipe, run, words, B, n):
    """One article per call against B per call, alternated n times on the same cached articles."""
    from khabar.document import Document

    for t in run:
        pipe(Document.from_text(t))
    speeds: dict = {1: [], B: []}
    for _ in range(n):
        for b in (1, B):
            t0 = time.perf_counter()
            if b == 1:
                for t in run:
                    pipe(Document.from_text(t))
            else:
                for k in range(0, len(run), b):
                    pipe.run_many([Document.from_text(t) for t in run[k:k + b]])
            speeds[b].append(words / (time.perf_counter() - t0))
    ratios = [x / y for x, y in zip(speeds[B], speeds[1])]
    print(f"cached, {len(run)} articles, {n} alternated runs")
    print(f"  one article per call: {', '.join(f'{x:,.0f}' for x in speeds[1])} words/s")
    print(f"  {B} articles per call: {', '.join(f'{x:,.0f}' for x in speeds[B])} words/s")
    print(f"  ratio: {min(ratios):.2f}–{max(ratios):.2f}")


if __name__ == "__main__":
    main()
