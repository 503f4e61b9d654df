"""The full default pipeline of two checkouts in one process, timed against each other: ``--base`` (another checkout's
``khabar`` package, loaded as ``khabar_base``) and this one, 16 articles per call, alternated batch by batch (the
order flipped each batch) on the same unseen ANT articles after the same ``--warm`` ones, by CPU time.  On a shared
machine, whose speed drifts from minute to minute, both see the same drift: their ratio is the figure to trust.

    python bench/compare_checkouts.py --base ../main [--warm 1000] [--limit 1000]
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time
from pathlib import Path

from _common import ROOT, ant_texts, n_words


def load_base(path: Path):
    spec = importlib.util.spec_from_file_location("khabar_base", path / "khabar" / "__init__.py",
                                                  submodule_search_locations=[str(path / "khabar")])
    mod = importlib.util.module_from_spec(spec)
    sys.modules["khabar_base"] = mod
    spec.loader.exec_module(mod)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="the other checkout (its root folder)")
    ap.add_argument("--warm", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=16)
    a = ap.parse_args()
    import khabar

    if Path(khabar.__file__).resolve().parents[1] != ROOT:
        sys.exit(f"khabar is imported from {khabar.__file__}, not this checkout: set PYTHONPATH={ROOT}")
    load_base(Path(a.base).resolve())
    texts = ant_texts(a.warm + a.limit)
    warm, run = texts[:a.warm], texts[a.warm:]
    words = n_words(run)
    time.perf_counter = time.process_time  # the pipelines' per-stage timings too
    pipes = {}
    for name, pkg in (("base", "khabar_base"), ("this", "khabar")):
        pipes[name] = (importlib.import_module(pkg + ".pipeline").Pipeline(),
                       importlib.import_module(pkg + ".document").Document)
    B = max(1, a.batch)
    for pipe, D in pipes.values():
        for k in range(0, len(warm), B):
            pipe.run_many([D.from_text(t) for t in warm[k:k + B]])
        pipe.timings = {}
    spent = dict.fromkeys(pipes, 0.0)
    order = list(pipes)
    for k in range(0, len(run), B):
        for name in order:
            pipe, D = pipes[name]
            t0 = time.process_time()
            pipe.run_many([D.from_text(t) for t in run[k:k + B]], timed=True)
            spent[name] += time.process_time() - t0
        order.reverse()
    print(f"{len(run)} articles ({words} words) after {len(warm)} to warm the caches, {B} per call, CPU time")
    for name, (pipe, _) in pipes.items():
        print(f"{name}: first pass {words / spent[name]:,.0f} words/s; µs per word: "
              + ", ".join(f"{s} {1e6 * v / words:.1f}" for s, v in sorted(pipe.timings.items(), key=lambda x: -x[1])))
    print(f"this / base speed: {spent['base'] / spent['this']:.3f}")


if __name__ == "__main__":
    main()
