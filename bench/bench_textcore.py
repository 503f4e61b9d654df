"""Throughput of the text core (normalise + tokenize + sentences + clitic segments) in words/s on one core,
and its ratio to a baseline tokenizer run in the same process on the same texts.

Baseline: pyarabic's ``araby.tokenize`` when pyarabic is installed (GPL: installed by hand for the benchmark
only, never a dependency of khabar), otherwise a plain ``re.findall(r"\\w+|[^\\w\\s]")`` tokenizer.

    python bench/bench_textcore.py [--limit 2000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import re
import time

from _common import ant_texts, n_words


def run_core(texts):
    from khabar.document import Document
    from khabar.pipeline import Pipeline

    pipe = Pipeline(["normalize", "tokens", "sentences", "segments"])
    n = 0
    for t in texts:
        n += len(pipe(Document.from_text(t)).tokens)
    return n


def baseline():
    try:
        from pyarabic import araby  # GPL: benchmark only

        return "pyarabic.araby.tokenize", araby.tokenize
    except ImportError:
        pat = re.compile(r"\w+|[^\w\s]")
        return "re.findall(\\w+|[^\\w\\s])", pat.findall


def best_of(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    texts = ant_texts(a.limit)
    words = n_words(texts)
    from khabar.text.segment import Segmenter

    t_load = best_of(Segmenter, 1)  # a fresh segmenter: model and precomputed table read from the package
    run_core(texts[:50])  # load models, warm the per-word cache the way a long run would
    t_core = best_of(lambda: run_core(texts), a.repeat)
    name, tok = baseline()
    t_base = best_of(lambda: [tok(t) for t in texts], a.repeat)
    print(f"articles: {len(texts)}  words: {words}")
    print(f"text core (normalize+tokens+sentences+segments): {words / t_core:,.0f} words/s")
    print(f"baseline {name}: {words / t_base:,.0f} words/s")
    print(f"ratio khabar/baseline: {t_base / t_core:.2f}x")
    print(f"clitic segmenter load: {t_load:.2f} s")


if __name__ == "__main__":
    main()
