"""Cross-validation of the responses stage's claim-choice weights (khabar.responses.find.W), by article.

    PYTHONPATH=. python3 training/responses_cv.py [GOLD_ROOT]      (default ../shared/gold)

Runs the pipeline up to ``quotes`` once on every article of GOLD_ROOT/{dev,dev2}, then for 5 folds by article
(sorted ids, a fixed shuffle) picks the weights of a small grid that score best on the other four folds
(responses tp + linked tp - false positives) and scores the held-out fold with them; prints the pooled
held-out figures, the figures of the shipped weights on dev, dev2 and seed, and the weights each fold chose.
"""
from __future__ import annotations

import collections
import importlib.util
import itertools
import json
import random
import sys
from pathlib import Path

from khabar.document import Document
from khabar.pipeline import Pipeline
from khabar.responses import find as F

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / ".." / "shared" / "gold")
spec = importlib.util.spec_from_file_location("gold_score", ROOT / "score.py")
sc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sc)

GRID = {"later": [1.0, 3.0, 100.0], "count": [0.0, 0.5, 1.0], "overlap": [0.0, 0.5, 1.0, 2.0], "far_overlap": [1, 2, 3]}


def load(split):
    pipe = Pipeline(only=["quotes"])
    out = []
    for f in sorted((ROOT / split / "annotations").glob("*.json")):
        text = json.loads((ROOT / split / "articles" / f.name).read_text(encoding="utf-8"))["text"]
        doc = pipe(Document.from_text(text))
        out.append((split, f.stem, text, doc, json.loads(f.read_text(encoding="utf-8"))))
    return out


def score(items, w):
    F.W.update(w)
    acc = collections.Counter()
    for _, _, text, doc, gold in items:
        L = doc.layers
        rs = F.find_responses(text, L["normalized"], L["quotes"], L["actors"], L["sentences"])
        pq = [{"content_start": q.start, "content_end": q.end, "speaker": q.get("speaker")} for q in L["quotes"]]
        a = collections.Counter()
        sc.score_article(text, gold, {"quotes": pq, "responses": [dict(r.attrs, start=r.start, end=r.end) for r in rs]}, a)
        acc.update(a)
    return acc


def prf(acc):
    r = sc.prf(acc["r_tp"], acc["r_pred"], acc["r_gold"])
    l = sc.prf(acc["r_linked"], acc["r_pred"], acc["r_gold"])
    return r, l


def main():
    shipped = dict(F.W)
    items = load("dev") + load("dev2")
    seed = load("seed")
    ids = [it[1] for it in items]
    random.Random(17).shuffle(ids)
    fold = {a: k % 5 for k, a in enumerate(ids)}
    grid = [dict(zip(GRID, v)) for v in itertools.product(*GRID.values())]
    held = collections.Counter()
    for k in range(5):
        train = [it for it in items if fold[it[1]] != k]
        test = [it for it in items if fold[it[1]] == k]
        def obj(w):
            a = score(train, w)
            return a["r_tp"] + a["r_linked"] - (a["r_pred"] - a["r_tp"])
        best = max(grid, key=obj)
        held.update(score(test, best))
        print(f"fold {k}: {len(test)} articles, weights {best}")
    r, l = prf(held)
    print(f"5-fold CV by article, dev+dev2 ({len(items)} articles): responses F1 {r['f1']:.3f} (P {r['p']:.3f} R {r['r']:.3f}),"
          f" responses_linked F1 {l['f1']:.3f} (P {l['p']:.3f} R {l['r']:.3f})")
    for name, part in (("dev", [i for i in items if i[0] == "dev"]), ("dev2", [i for i in items if i[0] == "dev2"]),
                       ("dev+dev2", items), ("seed", seed)):
        r, l = prf(score(part, shipped))
        print(f"shipped weights {shipped} on {name}: responses F1 {r['f1']:.3f} (tp {r['tp']}, pred {r['pred']}, gold {r['gold']}),"
              f" linked F1 {l['f1']:.3f} (tp {l['tp']})")
    F.W.update(shipped)


if __name__ == "__main__":
    main()
