"""Self-training trial for the NER CRF on the dev split of ANERcorp train (issue 16, session 11).

    python training/selftrain_ner.py NAME --tagger DIR/stage1.crfsuite [--sents 1500] [--min-prob 0.9]
                                     [--log training/ner_stack_trials.jsonl]

Unlabelled news sentences (ANT v2.1 without its first 2,000 articles, which the speed bench times, and
SaudiNewsNet; the gold articles of ../shared/gold left out) are tagged by a CRF trained on the dev split's training
part (the first 85% of ANERcorp train + AQMAR train, `stage1.crfsuite` of training/stack_ner.py); sentences of 8-40
tokens with at least one entity whose Viterbi path has probability >= --min-prob are kept (--sents of them, drawn
at random), added once to that training part, and the CRF retrained (shipped features and settings); micro F1 on
the dev split (the last 15% of ANERcorp train) with and without document-level propagation.  Never reads ANERcorp
test or AQMAR dev.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from khabar.ner.conll import evaluate  # noqa: E402
from khabar.ner.docprop import propagate_windows  # noqa: E402
from khabar.ner.features import RESOURCE_DIR, FeatureExtractor, Resources, tokenize  # noqa: E402

TYPES = ("PER", "ORG", "LOC", "MISC")
_SENT_END = re.compile(r"(?<=[.!?\u061f])\s+|\n+")
_AR = re.compile("[\u0621-\u064a]")


def news_sentences(skip_ant: int, every: int, limit: int):
    from mine_org_gazetteer import texts

    gold = [json.load(open(p, encoding="utf-8")).get("text", "")
            for p in (ROOT.parent / "shared" / "gold").glob("*/articles/*.json")]
    out = []
    for k, (_src, body) in enumerate(texts(ROOT.parent / "shared" / "data" / "news", gold)):
        if k < skip_ant or k % every:
            continue
        for s in _SENT_END.split(body):
            toks = tokenize(s)
            if 8 <= len(toks) <= 40 and sum(1 for t in toks if _AR.search(t)) >= 0.7 * len(toks):
                out.append(toks)
        if len(out) >= limit:
            break
    return out


def main(argv=None):
    import pycrfsuite

    import train_ner as T

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("--tagger", type=Path, required=True)
    ap.add_argument("--sents", type=int, default=1500)
    ap.add_argument("--min-prob", type=float, default=0.9)
    ap.add_argument("--pool", type=int, default=20000, help="candidate sentences read from the news")
    ap.add_argument("--every", type=int, default=7, help="every n-th article")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--log", type=Path, default=None)
    a = ap.parse_args(argv)
    fx = FeatureExtractor(Resources.load(RESOURCE_DIR))
    aner, aq = T.load_training(True)
    cut = int(len(aner) * 0.85)
    dev, trn = aner[cut:], aner[:cut] + aq
    t0 = time.time()
    pool = news_sentences(2000, a.every, a.pool)
    tg = pycrfsuite.Tagger()
    tg.open(str(a.tagger))
    keep = []
    for toks in pool:
        tg.set(fx.sent_features(toks))
        y = tg.tag()
        if any(t != "O" for t in y) and tg.probability(y) >= a.min_prob:
            keep.append(list(zip(toks, y)))
    print(f"{len(pool)} news sentences, {len(keep)} confident with an entity ({time.time()-t0:.0f}s)", flush=True)
    random.Random(a.seed).shuffle(keep)
    extra = keep[:a.sents]
    with tempfile.TemporaryDirectory() as td:
        mp = Path(td) / "st.crfsuite"
        T.train_crf(trn + extra, mp, fx, 0.05, 0.01, a.iters)
        pred = T.predict(mp, fx, dev)
    toks = [[t for t, _ in s] for s in dev]
    r0 = evaluate(dev, pred, types=TYPES)
    r1 = evaluate(dev, propagate_windows(toks, pred, 40), types=TYPES)
    line = {"name": a.name, "trial": "self-training", "sents": len(extra), "tokens": sum(map(len, extra)),
            "min_prob": a.min_prob, "pool": len(pool), "confident": len(keep), "iters": a.iters,
            "dev_f1": round(100 * r0["micro"]["f1"], 2), "dev_f1_prop": round(100 * r1["micro"]["f1"], 2),
            "per_type_prop": {k: round(100 * v["f1"], 1) for k, v in r1["per_type"].items()}}
    print(json.dumps(line, ensure_ascii=False), flush=True)
    if a.log:
        with open(a.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
