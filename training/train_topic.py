"""Train khabar's topic classifier on the ANT corpus v2.1 (Chouigui et al.; see khabar/resources/topic/PROVENANCE.md).

    python training/train_topic.py            # evaluate (time split + leave-one-outlet-out), then train the shipped model
    python training/train_topic.py --no-lolo  # skip the leave-one-outlet-out table
    python training/train_topic.py --learner softmax   # the former learner (L-BFGS multinomial logistic regression)

Features (``khabar/topic/features.py``): hashed, light-stemmed word unigrams and bigrams of title + text
with log counts times IDF (unit norm), the title's words again, and outlet-specific copies of every feature.
**The URL is not used**: ANT's URL paths spell the outlet's section, which is the label itself (``/middle-east/``,
``/sport/``), so a model that reads them reads the answer; the outlet (from ``meta.outlet`` or the URL's host only)
is legitimate metadata and is used.  Each training article shows its outlet (70%) or its text only (30%), at
random, so that one model serves documents with and without an outlet.
Learner: one-vs-rest linear SVM (squared hinge, L2; scikit-learn's liblinear ``LinearSVC``, needed at training
time only: ``pip install scikit-learn``), then a temperature fitted on a later-in-time validation slice so that the
softmax of the margins is a calibrated probability; ``--learner softmax`` is the L-BFGS multinomial logistic
regression of numpy + scipy (slower, about 0.7 points less accurate).
Figures: time split (fit on the earliest 80% by ``time``, test on the latest 20%) with text + outlet and text only;
leave-one-outlet-out (train on three outlets, test on the fourth, text only: its outlet is unknown to the model).
The ``docno`` (which spells the label) and the URL are never used.
Writes ``khabar/resources/topic/model.npz`` (float16 weights, IDF) and ``metrics.json``, and prints the figures.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import gzip
import json
import sys
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.topic.features import BITS, UBITS, assemble, dim, raw  # noqa: E402

DATA = ROOT.parent / "shared" / "data"  # the shared data sit beside the checkout (../shared)
OUT = ROOT / "khabar" / "resources" / "topic"
LABELS = ("culture", "economy", "internationalNews", "middleEast", "sport", "technology")
OUTLETS = {"CNN": "CNN", "BBC": "BBC", "alarabia": "Al Arabiya", "skynews": "Sky News Arabia"}


def load():
    rows = [json.loads(l) for l in gzip.open(DATA / "news" / "ant_v2.1.jsonl.gz", "rt", encoding="utf-8")]
    for r in rows:
        try:
            r["_t"] = parsedate_to_datetime(r["time"]).timestamp()
        except Exception:
            r["_t"] = 0.0
    return rows


def raws(rows, bits=BITS):
    """Hashed counts of every row (khabar/topic/features.py: raw)."""
    return [raw(r.get("text") or "", bits, UBITS, title=r.get("title"), outlet=r.get("src"), url=None)
            for r in rows]


def matrix(rs, bits=BITS, idf=None, use_url=True, use_outlet=True, url_weight=1.0):
    indptr, idx, val = [0], [], []
    for r in rs:
        i, v = assemble(r, bits, UBITS, idf, use_url, use_outlet, url_weight)
        idx.append(i); val.append(v); indptr.append(indptr[-1] + len(i))
    return sp.csr_matrix((np.concatenate(val), np.concatenate(idx), np.array(indptr)),
                         shape=(len(rs), dim(bits, UBITS)), dtype=np.float64)


def idf_of(rs, bits=BITS):
    """Smoothed inverse document frequency of the text buckets."""
    df = np.bincount(np.concatenate([r[0] for r in rs]), minlength=1 << bits)
    return (np.log((len(rs) + 1) / (df + 1)) + 1).astype(np.float32)


def fit(X, y, lam=1e-5, iters=150, class_weight=True):
    n, d = X.shape
    k = len(LABELS)
    Y = np.zeros((n, k)); Y[np.arange(n), y] = 1
    if class_weight:  # mild balancing: weight ∝ 1/sqrt(class frequency)
        freq = np.bincount(y, minlength=k) / n
        sw = (1 / np.sqrt(np.maximum(freq, 1e-9)))[y]
        sw = sw / sw.mean()
    else:
        sw = np.ones(n)
    Xt = X.T.tocsr()

    def f(theta):
        W = theta[:d * k].reshape(d, k); b = theta[d * k:]
        Z = X @ W + b
        Z -= Z.max(1, keepdims=True)
        P = np.exp(Z); P /= P.sum(1, keepdims=True)
        loss = -(sw * np.log(np.maximum((P * Y).sum(1), 1e-300))).sum() / n + 0.5 * lam * (W * W).sum() * n / n
        G = (P - Y) * sw[:, None] / n
        gW = Xt @ G + lam * W
        gb = G.sum(0)
        return loss, np.concatenate([gW.ravel(), gb])

    theta0 = np.zeros(d * k + k)
    res = minimize(f, theta0, jac=True, method="L-BFGS-B", options={"maxiter": iters})
    return res.x[:d * k].reshape(d, k), res.x[d * k:]


def predict_logits(X, W, b):
    return X @ W + b


def softmax(Z):
    Z = Z - Z.max(1, keepdims=True)
    P = np.exp(Z)
    return P / P.sum(1, keepdims=True)


def fit_temperature(Z, y):
    best = (1e9, 1.0)
    for T in np.exp(np.linspace(np.log(0.05), np.log(5), 80)):
        P = softmax(Z / T)
        nll = -np.log(np.maximum(P[np.arange(len(y)), y], 1e-12)).mean()
        best = min(best, (nll, float(T)))
    return best[1]


def ece(P, y, bins=10):
    conf = P.max(1); pred = P.argmax(1); acc = (pred == y)
    e = 0.0
    for lo in np.linspace(0, 1, bins, endpoint=False):
        m = (conf > lo) & (conf <= lo + 1 / bins)
        if m.any():
            e += m.mean() * abs(acc[m].mean() - conf[m].mean())
    return e


def confusion(y, pred):
    k = len(LABELS)
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y, pred), 1)
    return C


def fit_svm(X, y, C=0.5):
    """One-vs-rest linear SVM (squared hinge, L2) by liblinear; (W, b) like :func:`fit`."""
    from sklearn.svm import LinearSVC
    m = LinearSVC(C=C, max_iter=2000).fit(X, y)
    return m.coef_.T.astype(np.float64), m.intercept_.astype(np.float64)


def variants(rs, bits, idf, url_weight, seed=0, p_full=0.0, p_nourl=0.7, always_outlet=None):
    """Feature matrices of all rows as (full: text + outlet + URL -- None when ``p_full`` is 0, as the shipped
    model never reads the URL --, text + outlet, text only) and the training mixture that picks one of them per row
    at random, so that one model serves documents with and without metadata."""
    F = matrix(rs, bits, idf, True, True, url_weight) if p_full > 0 else None
    N = matrix(rs, bits, idf, False, True, url_weight)
    B = matrix(rs, bits, idf, False, False, url_weight)
    u = np.random.default_rng(seed).random(len(rs))
    pick = np.where(u < p_full, 0, np.where(u < p_full + p_nourl, 1, 2))
    if always_outlet is not None:  # rows whose labels follow an outlet-specific scheme never train the text-only view
        pick = np.where(always_outlet & (pick == 2), 1, pick)
    M = sp.vstack(([F[pick == 0]] if F is not None else []) + [N[pick == 1], B[pick == 2]]).tocsr()
    order = np.concatenate([np.flatnonzero(pick == 0), np.flatnonzero(pick == 1), np.flatnonzero(pick == 2)])
    inv = np.empty_like(order); inv[order] = np.arange(len(order))
    return F, N, B, M[inv]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-lolo", action="store_true")
    ap.add_argument("--eval-only", action="store_true", help="print the figures, do not write the model")
    ap.add_argument("--lam", type=float, default=1e-6)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--bits", type=int, default=BITS)
    ap.add_argument("--no-idf", action="store_true")
    ap.add_argument("--url-weight", type=float, default=1.0)
    ap.add_argument("--text-only", action="store_true", help="train without outlet features at all")
    ap.add_argument("--learner", choices=("svm", "softmax"), default="svm")
    ap.add_argument("--C", type=float, default=1.0, help="SVM cost (--learner svm)")
    ap.add_argument("--always-outlet", default="alarabia", help="comma-separated outlets (src) whose training rows always "
                    "show their outlet, e.g. alarabia (no middleEast section: its Arab-world news is filed as "
                    "internationalNews, which should not teach the text-only weights)")
    args = ap.parse_args(argv)
    if args.learner == "svm":
        try:
            import sklearn  # noqa: F401
        except ImportError:
            print("scikit-learn is missing (pip install scikit-learn): using --learner softmax", flush=True)
            args.learner = "softmax"

    def fit_(X, y_):
        return fit_svm(X, y_, args.C) if args.learner == "svm" else fit(X, y_, args.lam, args.iters)
    t0 = time.time()
    rows = load()
    rows.sort(key=lambda r: r["_t"])
    rs = raws(rows, args.bits)
    y = np.array([LABELS.index(r["label"]) for r in rows])
    src = np.array([r["src"] for r in rows])
    n = len(rows)
    cut, vcut = int(n * 0.8), int(n * 0.7)
    idf = None if args.no_idf else idf_of(rs[:cut], args.bits)
    ao = np.isin(src, [s for s in args.always_outlet.split(",") if s]) if args.always_outlet else None
    F, N, B, M = variants(rs, args.bits, idf, args.url_weight, always_outlet=ao)
    if args.text_only:
        M = B
    print(f"{n} articles featurised in {time.time() - t0:.1f}s", flush=True)
    # time split: fit on the earliest 70%, temperature on the next 10%, test on the latest 20%
    W, b = fit_(M[:vcut], y[:vcut])
    T = fit_temperature(predict_logits(N[vcut:cut], W, b), y[vcut:cut])
    W, b = fit_(M[:cut], y[:cut])
    results = {"temperature": T, "learner": args.learner, "uses_url": False}
    for name, X in (("text+outlet", N), ("text only", B)):
        P = softmax(predict_logits(X[cut:], W, b) / T)
        acc = float((P.argmax(1) == y[cut:]).mean())
        e = float(ece(P, y[cut:]))
        results[f"time_split_accuracy[{name}]"] = round(acc, 4)
        results[f"ece[{name}]"] = round(e, 4)
        print(f"time split: train {cut} (until {rows[cut - 1]['time']}), test {n - cut}, features {name}: "
              f"accuracy {acc:.4f}, ECE {e:.4f}", flush=True)
        if name == "text+outlet":
            C = confusion(y[cut:], P.argmax(1))
            print("confusion (rows gold, cols predicted):", " ".join(LABELS))
            for l, row in zip(LABELS, C):
                print(f"  {l:18s}", " ".join(f"{v:5d}" for v in row))
    results["time_split_accuracy"] = results["time_split_accuracy[text+outlet]"]
    print(f"temperature {T:.3f} ({time.time() - t0:.0f}s)", flush=True)
    if not args.no_lolo:
        lolo = {}
        for s, name in OUTLETS.items():
            tr, te = src != s, src == s
            W1, b1 = fit_(M[tr], y[tr])
            a = float(((B[te] @ W1 + b1).argmax(1) == y[te]).mean())
            lolo[name] = {"text": round(a, 4)}
            print(f"leave out {name:16s} ({te.sum():5d} articles): accuracy {a:.4f} (text only)", flush=True)
        results["leave_one_outlet_out"] = lolo
    if args.eval_only:
        return results
    # the shipped model: all data (IDF from all of it), temperature from the time split
    if idf is not None:
        idf = idf_of(rs, args.bits)
        F, N, B, M = variants(rs, args.bits, idf, args.url_weight, always_outlet=ao)
    W, b = fit_(M, y)
    OUT.mkdir(parents=True, exist_ok=True)
    extra = {"idf": idf.astype(np.float16)} if idf is not None else {}
    np.savez_compressed(OUT / "model.npz", W=W.astype(np.float16), b=b.astype(np.float32),
                        T=np.float32(T), bits=np.int32(args.bits), ubits=np.int32(UBITS),
                        url_weight=np.float32(0.0), uses_url=np.bool_(False), labels=np.array(LABELS), **extra)
    (OUT / "metrics.json").write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {OUT / 'model.npz'} ({(OUT / 'model.npz').stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.0f}s")
    return results


if __name__ == "__main__":
    main()
