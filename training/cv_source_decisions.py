#!/usr/bin/env python3
"""Is a prepositional attribution (بحسب/حسب/وفق/وفقا لـ/طبقا/تبعا/نقلا عن/استنادا إلى + noun phrase) a source?
The rule of khabar/attribution/passes/sources.py (word classes of the phrase's head) against a logistic regression
over the same classes plus position features, both scored by 5-fold cross-validation BY ARTICLE on dev + dev2.

    PYTHONPATH=. python3 training/cv_source_decisions.py /work/shared/gold/dev /work/shared/gold/dev2

A candidate is labelled a source when a gold source starts within 4 characters after the cue (the gold's own
matching is by phrase; this is the yes/no decision only).  The rule needs no training, so its cross-validated
figure is its plain figure; the model is trained on four folds and scored on the fifth.
"""
import json
import pathlib
import sys

import numpy as np

from khabar.attribution.sieve import Analyzer
from khabar.attribution.passes.words import _SRC_CUE



def candidates(gold_dirs):
    import khabar
    rows = []
    for gd in gold_dirs:
        gd = pathlib.Path(gd)
        for f in sorted((gd / "annotations").glob("*.json")):
            g = json.loads(f.read_text(encoding="utf-8"))
            text = json.loads((gd / "articles" / f.name).read_text(encoding="utf-8"))["text"]
            doc = khabar.analyze(text, only=["entities"])
            an = Analyzer(text, None, doc.layers.get("entities", ()))
            an._cue_toks = frozenset(c.tok for c in an.find_cues())
            starts = []
            for s in g.get("sources", []):
                k = -1
                for _ in range(s.get("source_occurrence", 1)):
                    k = text.find(s["source"], k + 1)
                starts.append(k)
            tk, t = an.tk, an.tk.t
            for m in _SRC_CUE.finditer(an.ft):
                i = an.tok_at(m.end() - 1)
                j = i + 1
                if j >= len(tk) or t[j] in ("ما", "لما") or m.group("cue").endswith("ما"):
                    continue     # بحسب ما + verb: decided with the verb (decision 11)
                a, b = an._source_np(j)
                if b <= a:
                    continue
                cs, ce = an.orig(m.start(), m.end())
                y = any(0 <= k - ce <= 4 for k in starts)
                quoted = a > j or (a > 0 and t[a - 1] in ("\"", "«", "“"))
                rule = an._plausible_source(a, b, quoted)
                head = an._head_class(a)
                w0 = t[a]
                from khabar.attribution.passes.words import _word_kind
                wk = _word_kind(w0)
                cue = m.group("cue").strip().lstrip("وف")
                x = {
                    "head_" + str(head): 1, "kind_" + (wk[0] if wk else "none"): 1,
                    "cue_" + ("حسب" if "حسب" in cue else "وفق" if "وفق" in cue else "نقلا" if "نقلا" in cue
                              else "other"): 1,
                    "quoted": int(quoted), "ner": int(an._entity_starting(a, ("ORG", "PER")) is not None),
                    "after_comma": int(i > 0 and t[i - 1] in ("،", ",")),
                    "sent_start": int(i == 0 or tk.sent_end[i - 1]),
                    "comma_after": int(b < len(tk) and t[b] in ("،", ",", ".")),
                    "definite": int(w0.startswith(("ال", "لل"))),
                }
                rows.append((f.stem, x, int(y), int(rule)))
    return rows


def main(argv):
    rows = candidates(argv)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    arts = sorted({r[0] for r in rows})
    rng = np.random.default_rng(15)
    rng.shuffle(arts)
    fold = {a: k % 5 for k, a in enumerate(arts)}
    y = np.array([r[2] for r in rows])
    rule = np.array([r[3] for r in rows])
    pred = np.zeros(len(rows), dtype=int)
    for k in range(5):
        tr = [i for i, r in enumerate(rows) if fold[r[0]] != k]
        te = [i for i, r in enumerate(rows) if fold[r[0]] == k]
        if not te:
            continue
        dv = DictVectorizer()
        X = dv.fit_transform([rows[i][1] for i in tr])
        clf = LogisticRegression(C=1.0, max_iter=1000).fit(X, y[tr])
        pred[te] = clf.predict(dv.transform([rows[i][1] for i in te]))

    def prf(p):
        tp = int(((p == 1) & (y == 1)).sum()); fp = int(((p == 1) & (y == 0)).sum()); fn = int(((p == 0) & (y == 1)).sum())
        P = tp / (tp + fp) if tp + fp else 0; R = tp / (tp + fn) if tp + fn else 0
        return f"P {P:.3f} R {R:.3f} F1 {2 * P * R / (P + R) if P + R else 0:.3f} acc {(p == y).mean():.3f} (tp {tp} fp {fp} fn {fn})"
    print(f"candidates {len(rows)} in {len(arts)} articles, sources {int(y.sum())}")
    print("rule (word classes)      ", prf(rule))
    print("logistic regression, 5-fold CV by article", prf(pred))
    for (aid, x, yy, rr), pp in zip(rows, pred):
        if yy != rr or yy != pp:
            print(f"  {aid}: gold {yy} rule {rr} lr {pp}  {sorted(k for k in x if x[k])}")


if __name__ == "__main__":
    main(sys.argv[1:])
