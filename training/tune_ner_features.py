"""Feature and training-setting trials for the NER CRF on a dev split carved from ANERcorp train.

    python training/tune_ner_features.py NAME [--variant clctx,affctx,...] [--c1 0.05 --c2 0.01 --iters 200]
                                            [--shuffle SEED] [--log results.jsonl]

Trains on the first 85% of ANERcorp train (contiguous, whole documents) + AQMAR train with the shipped clusters and
label-propagation lexicon of khabar/resources/ner (that lexicon was built with the whole of ANERcorp train, the dev
part included: a small leak, the same for every trial, so only differences between trials are read), and reports
micro F1 on the last 15% without and with document-level propagation (windows of 40 sentences).  Never reads
ANERcorp test or AQMAR dev.  The variants add features to the shipped ones (khabar.ner.features is not changed):

    clctx    the neighbours' finer clusters (k = 4096 at +-1, k = 64 / 1024 at +-2) and the label-propagation type at +-2
    affctx   prefixes / suffixes of length 1-3 of the +-1 neighbours' clitic-stripped form (1-2 at +-2 with affctx2)
    clbare   the clusters (k = 256 / 4096) of the clitic-stripped form when it differs from the word
    clpair   the word's k = 64 and k = 256 clusters as one conjoined feature

Results of issue 16, session 9 (README, NER row), dev F1 with propagation: shipped features 72.93 (the same with the
training sentences shuffled), clctx 72.81, clbare + clpair 72.47, affctx + affctx2 71.87, --iters 400 72.55,
--c1 0.2 --c2 0.002 71.15: none beat the shipped model's settings.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from khabar.ner.conll import evaluate  # noqa: E402
from khabar.ner.docprop import propagate_windows  # noqa: E402
from khabar.ner.features import _BP_PRE, _BS_PRE, RESOURCE_DIR, FeatureExtractor, Resources, shape  # noqa: E402

TYPES = ("PER", "ORG", "LOC", "MISC")


class VariantFeatures(FeatureExtractor):
    """The shipped features plus the trial groups named in `variant`."""

    def __init__(self, resources: Resources, variant: set[str]):
        super().__init__(resources)
        self.variant = variant
        self._xcache: dict[str, tuple] = {}

    def _word_info(self, w: str):
        c = self._xcache.get(w)
        if c is not None:
            return c
        info = super()._word_info(w)
        res, V = self.res, self.variant
        n, _edge, _pre, art, bare = self._forms(w)
        cl = res.clusters.get(n) or res.clusters.get(art) or res.clusters.get(bare)
        lpv = res.labelprop.get(n) or res.labelprop.get(art) or res.labelprop.get(bare)
        arabic = shape(w) == "ar"
        L = len(bare)
        own, c1, c2 = [], [], []
        if "clbare" in V and bare != n:
            clb = res.clusters.get(bare)
            if clb is not None:
                own += ["cbb=" + clb[1], "cbd=" + clb[3]]
        if "clpair" in V and cl is not None:
            own.append("cab=" + cl[0] + "|" + cl[1])
        if "clctx" in V:
            if cl is not None:
                c1.append("cd=" + cl[3])
                c2 += ["ca=" + cl[0], "cc=" + cl[2]]
            if lpv:
                c2.append("lpt=" + lpv[:-1])
        if "affctx" in V and arabic:
            for k in (1, 2, 3):
                if L > k + 1:
                    c1 += [_BP_PRE[k] + bare[:k], _BS_PRE[k] + bare[-k:]]
        if "affctx2" in V and arabic:
            for k in (1, 2):
                if L > k + 1:
                    c2 += [_BP_PRE[k] + bare[:k], _BS_PRE[k] + bare[-k:]]
        out = (info[0] + tuple(own),
               info[1] + tuple("-1" + x for x in c1), info[2] + tuple("+1" + x for x in c1),
               info[3] + tuple("-2" + x for x in c2), info[4] + tuple("+2" + x for x in c2),
               *info[5:])
        self._xcache[w] = out
        return out


def main(argv=None):
    import train_ner as T

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name")
    ap.add_argument("--variant", default="", help="comma-separated trial groups (see above); none: the shipped features")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iters", type=int, default=200)
    ap.add_argument("--shuffle", type=int, default=0, help="shuffle the training sentences with this seed (0: off)")
    ap.add_argument("--resources", type=Path, default=RESOURCE_DIR)
    ap.add_argument("--log", type=Path, default=None, help="append the result as a JSON line here")
    a = ap.parse_args(argv)
    res = Resources.load(a.resources)
    variant = {v for v in a.variant.split(",") if v}
    fx = VariantFeatures(res, variant) if variant else FeatureExtractor(res)
    aner, aq = T.load_training(True)
    cut = int(len(aner) * 0.85)
    dev, trn = aner[cut:], aner[:cut] + aq
    if a.shuffle:
        random.Random(a.shuffle).shuffle(trn)
    import tempfile
    with tempfile.TemporaryDirectory() as td:
        mp = Path(td) / "dev.crfsuite"
        t0 = time.time()
        T.train_crf(trn, mp, fx, a.c1, a.c2, a.iters)
        train_s = time.time() - t0
        pred = T.predict(mp, fx, dev)
    toks = [[t for t, _ in s] for s in dev]
    r0 = evaluate(dev, pred, types=TYPES)
    r1 = evaluate(dev, propagate_windows(toks, pred, 40), types=TYPES)
    line = {"name": a.name, "variant": a.variant, "c1": a.c1, "c2": a.c2, "iters": a.iters, "shuffle": a.shuffle,
            "dev_f1": round(100 * r0["micro"]["f1"], 2), "dev_f1_prop": round(100 * r1["micro"]["f1"], 2),
            "per_type_prop": {k: round(100 * v["f1"], 1) for k, v in r1["per_type"].items()},
            "train_s": round(train_s)}
    print(json.dumps(line, ensure_ascii=False))
    if a.log:
        with open(a.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
