"""Two-stage (stacked) NER CRF trials on the dev split of ANERcorp train (issue 16, session 11).

    python training/stack_ner.py NAME --folds DIR [--c2 1.0] [--scale 1.0] [--log training/ner_stack_trials.jsonl]

DIR holds CRFsuite models trained with the shipped features (c1 0.05, c2 0.01, 200 iterations) on the dev split's
training part (the first 85% of ANERcorp train + AQMAR train, as training/tune_ner_features.py): `stage1.crfsuite`
on all of it, `fold{k}.crfsuite` on it less its k-th contiguous third, with 100 L-BFGS iterations (`--make-folds`
trains the missing ones).
Stage 2 (khabar.ner.stack) is trained on the jack-knifed stage-1 output of the training part (each third tagged
by the model that did not see it) and evaluated on the dev split (the last 15% of ANERcorp train), tagged by
stage1.crfsuite; windows of 40 sentences stand in for documents.  Never reads ANERcorp test or AQMAR dev.

Session 11's figures (training/ner_stack_trials.jsonl, khabar/resources/ner/PROVENANCE.md): dev F1 with propagation
72.64-73.64 by c2 against 72.93 for stage 1 alone; the best (--aner-only --c2 0.01) as the shipped model's stage 2
(DIR/s2b_c20.01.crfsuite copied beside the shipped model, tagger.json {"stage2": "stage2.crfsuite"}) measured once:
ANERcorp test 73.80, AQMAR dev 66.15 (against 74.83 / 70.00): not shipped.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from khabar.ner.conll import evaluate  # noqa: E402
from khabar.ner.docprop import propagate_windows  # noqa: E402
from khabar.ner.fastcrf import FastCRF, export_weights, load_weights  # noqa: E402
from khabar.ner.features import RESOURCE_DIR, FeatureExtractor, Resources  # noqa: E402
from khabar.ner.stack import stage2_items  # noqa: E402

TYPES = ("PER", "ORG", "LOC", "MISC")
K = 3


def fold_bounds(n: int, k: int = K):
    return [(n * i // k, n * (i + 1) // k) for i in range(k)]


def stage1(model: Path, fx, sents):
    """(tags, state scores) of each sentence by the fast decoder of `model`."""
    wp = model.with_suffix(".weights.npz")
    if not wp.exists():
        export_weights(model, wp)
    labels, index, A, T, _ = load_weights(wp)
    dec = FastCRF(fx, labels, index, A, T)
    toks = [[t for t, _ in s] for s in sents]
    S, _idx, starts, lens = dec.scores_many(toks)
    tags = dec.viterbi_many(S, starts, lens)
    return tags, [S[a:a + n] for a, n in zip(starts.tolist(), lens.tolist())], labels


def jackknife(folds: Path, fx, trn):
    tags, scores = [], []
    labels = None
    for k, (a, b) in enumerate(fold_bounds(len(trn))):
        t, s, labels = stage1(folds / f"fold{k}.crfsuite", fx, trn[a:b])
        tags += t
        scores += s
    return tags, scores, labels


def train2(items, gold, path: Path, c1: float, c2: float, iters: int):
    import pycrfsuite
    tr = pycrfsuite.Trainer(verbose=False)
    for x, s in zip(items, gold):
        tr.append(pycrfsuite.ItemSequence(x), [g for _, g in s])
    tr.set_params({"c1": c1, "c2": c2, "max_iterations": iters, "feature.possible_transitions": True})
    tr.train(str(path))


def tag2(path: Path, items):
    import pycrfsuite
    tg = pycrfsuite.Tagger()
    tg.open(str(path))
    return [tg.tag(pycrfsuite.ItemSequence(x)) for x in items]


def main(argv=None):
    import train_ner as T

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("--folds", type=Path, required=True)
    ap.add_argument("--make-folds", action="store_true")
    ap.add_argument("--c1", type=float, default=0.0)
    ap.add_argument("--c2", default="1.0", help="comma-separated L2 values for stage 2")
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--scale", type=float, default=1.0, help="factor on the stage-1 state scores")
    ap.add_argument("--drop", default="", help="attribute prefixes left out (e.g. tk=,tb=,es)")
    ap.add_argument("--aner-only", action="store_true",
                    help="train stage 2 on the ANERcorp part of the training part only (not AQMAR's Wikipedia)")
    ap.add_argument("--log", type=Path, default=None)
    a = ap.parse_args(argv)
    res = Resources.load(RESOURCE_DIR)
    fx = FeatureExtractor(res)
    aner, aq = T.load_training(True)
    cut = int(len(aner) * 0.85)
    dev, trn = aner[cut:], aner[:cut] + aq
    if a.make_folds:
        jobs = [(trn, a.folds / "stage1.crfsuite")]
        jobs += [(trn[:x] + trn[y:], a.folds / f"fold{k}.crfsuite") for k, (x, y) in enumerate(fold_bounds(len(trn)))]
        for sents, mp in jobs:
            if not mp.exists():  # the fold models with 100 L-BFGS iterations (session 11's time budget)
                T.train_crf(sents, mp, fx, 0.05, 0.01, 200 if mp.name == "stage1.crfsuite" else 100)
    t0 = time.time()
    jt, js, labels = jackknife(a.folds, fx, trn)
    dt, ds, labels1 = stage1(a.folds / "stage1.crfsuite", fx, dev)
    assert labels == labels1
    gold_dev = [[g for _, g in s] for s in dev]
    toks_dev = [[t for t, _ in s] for s in dev]
    toks_trn = [[t for t, _ in s] for s in trn]
    r_j = evaluate(trn, jt, types=TYPES)
    r1 = evaluate(dev, dt, types=TYPES)
    r1p = evaluate(dev, propagate_windows(toks_dev, dt, 40), types=TYPES)
    print(f"jack-knifed stage 1 on training part {100*r_j['micro']['f1']:.2f}; dev stage 1 {100*r1['micro']['f1']:.2f}"
          f", + propagation {100*r1p['micro']['f1']:.2f}  ({time.time()-t0:.0f}s)", flush=True)
    drop = tuple(p for p in a.drop.split(",") if p)
    it = stage2_items(toks_trn, jt, js, labels, res.rank, 40, a.scale)
    iv = stage2_items(toks_dev, dt, ds, labels, res.rank, 40, a.scale)
    if drop:
        it = [[{k: v for k, v in d.items() if not k.startswith(drop)} for d in s] for s in it]
        iv = [[{k: v for k, v in d.items() if not k.startswith(drop)} for d in s] for s in iv]
    gold_trn = trn
    if a.aner_only:
        it, gold_trn = it[:cut], trn[:cut]
    for c2 in map(float, a.c2.split(",")):
        with tempfile.TemporaryDirectory() as td:
            mp = Path(td) / "s2.crfsuite"
            t1 = time.time()
            train2(it, gold_trn, mp, a.c1, c2, a.iters)
            pred = tag2(mp, iv)
            (a.folds / f"{a.name}_c2{c2}.crfsuite").write_bytes(mp.read_bytes())
        r2 = evaluate(dev, pred, types=TYPES)
        r2p = evaluate(dev, propagate_windows(toks_dev, pred, 40), types=TYPES)
        line = {"name": a.name, "aner_only": a.aner_only, "c1": a.c1, "c2": c2, "iters": a.iters, "scale": a.scale, "drop": a.drop,
                "jackknife_f1": round(100 * r_j["micro"]["f1"], 2),
                "stage1_f1": round(100 * r1["micro"]["f1"], 2), "stage1_f1_prop": round(100 * r1p["micro"]["f1"], 2),
                "stage2_f1": round(100 * r2["micro"]["f1"], 2), "stage2_f1_prop": round(100 * r2p["micro"]["f1"], 2),
                "stage2_per_type": {k: round(100 * v["f1"], 1) for k, v in r2["per_type"].items()},
                "stage2_prop_per_type": {k: round(100 * v["f1"], 1) for k, v in r2p["per_type"].items()},
                "train2_s": round(time.time() - t1)}
        print(json.dumps(line, ensure_ascii=False), flush=True)
        if a.log:
            with open(a.log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
