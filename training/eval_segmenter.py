"""Evaluate the Arabic clitic segmenter on the QCRI WikiNews gold (first half, in ../shared/data).

    python training/eval_segmenter.py            # k-fold CV by article + the shipped model on the whole gold file
    python training/eval_segmenter.py --folds 10 -v

The cross-validated figures are the honest ones (each fold's model never saw the test articles, neither as
training examples nor in its gold memory); the shipped model's figures on the gold file are training-set figures.
Input words are the undiacritised surface forms of wikinews_truth.txt aligned to the gold tokens.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_segmenter as T  # noqa: E402
from khabar.text.segment import Segmenter  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="only evaluate the shipped model")
    ap.add_argument("-v", action="store_true", help="list cross-validation errors")
    args = ap.parse_args()
    t0 = time.time()
    arts = T.load_gold()
    if not args.no_cv:
        B = T.freq_bins(T.corpus_counts())
        acc, errs = T.cross_validate(arts, B, k=args.folds)
        if args.v:
            for e, n in errs.most_common(80):
                print(n, *e)
        print(f"cross-validated ({args.folds}-fold by article): {T.fmt(acc)}  [{time.time() - t0:.1f}s]")
    seg = Segmenter()
    acc, _ = T.score_tokens(seg, [t for a in arts for t in a])
    print(f"shipped model on the gold file (seen in training): {T.fmt(acc)}")


if __name__ == "__main__":
    main()
