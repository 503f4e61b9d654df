"""Train khabar's sentence-level PROTEST detector on arabic_event_gsr/protest_gsr.csv and report its k-fold CV F1.

    python training/train_protest.py              # nested CV figures, then train and write the shipped model
    python training/train_protest.py --eval-only  # CV figures only
    python training/train_protest.py --kind assault --gsr .../assault_gsr.csv --eval-only
                                                  # the same detector, features and protocol on another event type

Features (:func:`khabar.events.protest.features`): hashed stems, event-vocabulary stems, the rule detector, and
trigger-centred window features around every event stem of the kind.
Data: gold positive = label "yes"; negative = "easy no" / "difficult no"; "ambiguous" sentences are left out of
training and of the main figure (also reported counted as negatives).  Model: L2 logistic regression over the
features of :func:`khabar.events.protest.features` (hashed stems, protest-vocabulary stems, trigger features),
fitted on soft labels (the share of annotators who accepted the sentence: a "difficult no" with 2 of 5 accepts
is 0.4), full positives up-weighted.  Honest estimate: stratified 10-fold CV; in each outer fold the regularisation
and the decision threshold are chosen by an inner 5-fold CV (run with two fold seeds, their out-of-fold scores
pooled) on the training part only.  The shipped model is
trained on all sentences with the settings that the CV over all of them prefers.
Writes ``khabar/resources/events/protest.npz`` (float16 weights, bias, threshold) and ``protest_metrics.json``.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.events.protest import BITS, features  # noqa: E402

SHARED = ROOT.parent / "shared"  # the shared data sit beside the checkout (../shared)
GSR = SHARED / "data" / "events" / "arabic_event_gsr" / "protest_gsr.csv"
OUT = ROOT / "khabar" / "resources" / "events"
LAMS = (1e-4, 3e-4, 1e-3)
POS_WEIGHT = 5.0


def load(path=None):
    rows = list(csv.DictReader(open(path or GSR, encoding="utf-8")))
    return rows


def soft(r):
    """Share of annotators accepting the sentence (1 for "yes")."""
    if r["label"] == "yes":
        return 1.0
    try:
        a, j = float(r["accept"] or 0), float(r["reject"] or 0)
    except ValueError:
        return 0.0
    return a / (a + j) if a + j else 0.0


def matrix(texts, bits=BITS, kind="protest"):
    indptr, idx, val = [0], [], []
    for t in texts:
        i, v = features(t, bits, kind)
        idx.append(i); val.append(v); indptr.append(indptr[-1] + len(i))
    return sp.csr_matrix((np.concatenate(val), np.concatenate(idx), np.array(indptr)), shape=(len(texts), 1 << bits))


def fit(X, y, lam, pos_weight=POS_WEIGHT):
    n, d = X.shape
    sw = np.where(y == 1, pos_weight, 1.0)
    sw = sw / sw.mean()
    Xt = X.T.tocsr()

    def f(theta):
        w, b = theta[:d], theta[d]
        z = X @ w + b
        p = 1 / (1 + np.exp(-z))
        loss = (sw * (np.logaddexp(0, z) - y * z)).sum() / n + 0.5 * lam * (w @ w)
        g = sw * (p - y) / n
        return loss, np.concatenate([Xt @ g + lam * w, [g.sum()]])
    r = minimize(f, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return r.x[:d], r.x[d]


def prf(pred, gold):
    tp = int((pred & gold).sum()); fp = int((pred & ~gold).sum()); fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def folds(y, k, seed):
    """Stratified fold number of each item."""
    rng = np.random.default_rng(seed)
    out = np.empty(len(y), dtype=int)
    for c in (0, 1):
        ix = np.flatnonzero(y == c)
        rng.shuffle(ix)
        out[ix] = np.arange(len(ix)) % k
    return out


def best_threshold(scores, y):
    best = (-1, 0.5)
    for t in np.unique(np.round(scores, 3)):
        pr = scores >= t
        f = prf(pr, y.astype(bool))["f1"]
        if f > best[0]:
            best = (f, float(t))
    return best


def cv_scores(X, y, lam, k=5, seed=1, target=None):
    """Out-of-fold probabilities (fitted on ``target``, soft labels, when given)."""
    target = y if target is None else target
    f = folds(y, k, seed)
    s = np.zeros(len(y))
    for i in range(k):
        tr, te = f != i, f == i
        w, b = fit(X[tr], target[tr], lam)
        s[te] = 1 / (1 + np.exp(-(X[te] @ w + b)))
    return s


def choose(X, y, k=5, target=None, seeds=(1, 2)):
    """(lam, threshold, inner CV F1) chosen by k-fold CV on (X, y), repeated with each seed's folds (the pooled
    out-of-fold scores make the threshold steadier)."""
    best = None
    for lam in LAMS:
        s = np.concatenate([cv_scores(X, y, lam, k, seed, target=target) for seed in seeds])
        f, t = best_threshold(s, np.concatenate([y] * len(seeds)))
        if best is None or f > best[2]:
            best = (lam, t, f)
    return best


def quick_cv(k=5, seed=7):
    """k-fold CV F1 (without ambiguous) with the shipped regularisation and threshold (protest_metrics.json, or the
    defaults): a cheap check, a little optimistic since those settings were chosen on all sentences."""
    mf = OUT / "protest_metrics.json"
    meta = json.loads(mf.read_text()) if mf.exists() else {}
    lam, thr = meta.get("lam", 1e-4), meta.get("threshold", 0.5)
    keep = [r for r in load() if r["label"] != "ambiguous"]
    X = matrix([r["text"] for r in keep])
    y = np.array([r["label"] == "yes" for r in keep], dtype=float)
    ys = np.array([soft(r) for r in keep])
    s = cv_scores(X, y, lam, k, seed, target=ys)
    return prf(s >= thr, y.astype(bool))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-only", action="store_true")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--kind", default="protest", help="event kind of the features' stems (protest, assault)")
    ap.add_argument("--gsr", type=Path, default=None, help="gold-standard CSV (default: protest_gsr.csv)")
    args = ap.parse_args(argv)
    if args.kind != "protest" and not args.eval_only:
        ap.error("only the protest model is shipped: add --eval-only")
    t0 = time.time()
    rows = load(args.gsr)
    keep = [r for r in rows if r["label"] != "ambiguous"]
    amb = [r for r in rows if r["label"] == "ambiguous"]
    X = matrix([r["text"] for r in keep], kind=args.kind)
    Xa = matrix([r["text"] for r in amb], kind=args.kind)
    y = np.array([r["label"] == "yes" for r in keep], dtype=float)
    ys = np.array([soft(r) for r in keep])
    print(f"{len(keep)} sentences ({int(y.sum())} {args.kind} events), {len(amb)} ambiguous; features in {time.time() - t0:.0f}s",
          flush=True)
    fo = folds(y, args.folds, 0)
    pred = np.zeros(len(y), dtype=bool)
    amb_votes = np.zeros(len(amb))
    for i in range(args.folds):
        tr, te = fo != i, fo == i
        lam, thr, _ = choose(X[tr], y[tr], target=ys[tr])
        w, b = fit(X[tr], ys[tr], lam)
        pred[te] = 1 / (1 + np.exp(-(X[te] @ w + b))) >= thr
        amb_votes += (1 / (1 + np.exp(-(Xa @ w + b))) >= thr) / args.folds
        print(f"  fold {i}: lam {lam:g} threshold {thr:.3f}", flush=True)
    gold = y.astype(bool)
    res = {"cv_folds": args.folds, "without_ambiguous": prf(pred, gold)}
    # ambiguous as negatives: a sentence counts as predicted positive when most outer-fold models say so
    pa = amb_votes >= 0.5
    allp = np.concatenate([pred, pa]); allg = np.concatenate([gold, np.zeros(len(amb), dtype=bool)])
    res["ambiguous_as_negative"] = prf(allp, allg)
    for k in ("without_ambiguous", "ambiguous_as_negative"):
        v = res[k]
        print(f"{args.kind} {args.folds}-fold nested CV {k:22s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  "
              f"(tp {v['tp']}, fp {v['fp']}, fn {v['fn']})", flush=True)
    if args.eval_only:
        return res
    lam, thr, f = choose(X, y, target=ys)
    w, b = fit(X, ys, lam)
    res.update({"lam": lam, "threshold": thr, "inner_cv_f1_all": round(f, 4)})
    np.savez_compressed(OUT / "protest.npz", w=w.astype(np.float16), b=np.float32(b), threshold=np.float32(thr),
                        bits=np.int32(BITS))
    (OUT / "protest_metrics.json").write_text(json.dumps(res, indent=1) + "\n")
    print(f"wrote {OUT / 'protest.npz'} (lam {lam:g}, threshold {thr:.3f}) in {time.time() - t0:.0f}s")
    return res


if __name__ == "__main__":
    main()
