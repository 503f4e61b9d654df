"""Evaluate the shipped khabar NER model.

    python training/eval_ner.py [--data ../shared/data] [--model-dir DIR]

Prints per-type and micro P/R/F1 (entity-level exact match, conlleval semantics)
on ANERcorp test and AQMAR dev (PER/ORG/LOC/MISC), tagging speed on one core
(tokens/s, cold feature cache) and load time.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.ner.conll import evaluate, format_report, read_conll  # noqa: E402
from khabar.ner.features import RESOURCE_DIR  # noqa: E402
from khabar.ner.docprop import propagate_windows  # noqa: E402
from khabar.ner.tagger import NerTagger  # noqa: E402


def default_data() -> Path:
    return ROOT.parent / "shared" / "data"  # the shared data sit beside the checkout (../shared)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--model-dir", type=Path, default=RESOURCE_DIR,
                    help="the NER resources to evaluate (default: the shipped khabar/resources/ner; e.g. the --out "
                         "of training/train_ner.py)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--crfsuite", action="store_true",
                    help="decode with python-crfsuite instead of the fast numpy decoder")
    ap.add_argument("--window", type=int, default=40,
                    help="document-level propagation over blocks of this many sentences (0: off)")
    ap.add_argument("--neural-weight", type=float, default=None,
                    help="weight of the neural scorer's log-probabilities added to the CRF's scores (default: as the "
                         "model dir's tagger.json says; 0: the CRF alone)")
    a = ap.parse_args(argv)
    t0, c0 = time.perf_counter(), time.process_time()
    tagger = NerTagger(a.model_dir, fast=not a.crfsuite,
                       neural=None if a.neural_weight is None else (a.neural_weight if a.neural_weight > 0 else False))
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    out = {"window": a.window, "load_s": load_s, "load_cpu_s": load_cpu, "decoder": "fast" if tagger.fast else "crfsuite",
           "neural_weight": tagger.neural_weight if tagger.fast else 0.0}
    print(f"decoder: {out['decoder']}, neural weight {out['neural_weight']}")
    sets = {
        "ANERcorp test": a.data / "ner" / "anercorp" / "ANERcorp_camel_like_test.txt",
        "AQMAR dev": a.data / "ner" / "aqmar" / "dev.txt",
    }
    for name, path in sets.items():
        gold = read_conll(path)
        toks = [[t for t, _ in s] for s in gold]
        tagger.clear_cache()
        t1, c1 = time.perf_counter(), time.process_time()
        pred = propagate_windows(toks, tagger.tag_windows(toks, a.window), a.window)
        dt, dc = time.perf_counter() - t1, time.process_time() - c1
        t2 = time.process_time()
        tagger.tag_windows(toks, a.window)  # again, with the per-word feature cache warm
        dw = time.process_time() - t2
        n = sum(map(len, toks))
        r = evaluate(gold, pred, types=("PER", "ORG", "LOC", "MISC"))
        print(format_report(r, f"== {name} ({len(gold)} sents, {n} tokens)"))
        print(f"speed (one thread): cold cache {n/dt:,.0f} tokens/s wall, {n/dc:,.0f} tokens/CPU-s; "
              f"warm cache {n/dw:,.0f} tokens/CPU-s\n")
        out[name] = {"micro": r["micro"], "per_type": r["per_type"], "tokens_per_s_wall_cold": n / dt,
                     "tokens_per_cpu_s_cold": n / dc, "tokens_per_cpu_s_warm": n / dw}
    size = sum(f.stat().st_size for f in a.model_dir.iterdir() if f.is_file())
    print(f"load time: {load_s:.2f} s wall ({load_cpu:.2f} CPU-s); resources: {size/1e6:.2f} MB in {a.model_dir}")
    out["size_bytes"] = size
    if a.json:
        a.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
