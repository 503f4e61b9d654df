"""Evaluate khabar's events.

    python training/eval_events.py            # (a) dev events P/R/F1 via the gold scorer, (b) PROTEST sentences
    python training/eval_events.py --keep DIR # keep the prediction files in DIR

(a) runs the full default pipeline (``khabar.analyze``) on every article of ../shared/gold/dev, writes
    ``<id>.json`` = ``doc.to_json()`` and runs ``python3 ../shared/gold/score.py dev/annotations PRED_DIR``.
(b) arabic_event_gsr/protest_gsr.csv, gold positive = label "yes", negative = "easy no" / "difficult no";
    "ambiguous" is left out (and also reported counted as negative):
    - rules: a sentence is positive when a protest trigger of detect.json occurs in it and is not negated;
    - classifier: the honest figure is the nested 10-fold cross-validation of ``training/train_protest.py``
      (``khabar/resources/events/protest_metrics.json``, printed here); a quick 5-fold CV with the shipped
      settings is run too; the shipped model itself has seen every GSR sentence, so its score on them is only a
      regression check (printed as "in-sample").
    ASSAULT (18x) is scored with the rules when assault_gsr.csv is present, and with the classifier's features and
    protocol (``train_protest.py --kind assault``, nested 10-fold CV on that file).
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"  # the shared data sit beside the checkout (../shared)


def run_dev(pred_dir: Path, gold: Path = SHARED / "gold" / "dev") -> dict:
    import khabar

    pred_dir.mkdir(parents=True, exist_ok=True)
    for f in sorted((gold / "articles").glob("*.json")):
        art = json.loads(f.read_text(encoding="utf-8"))
        doc = khabar.analyze(art["text"])
        (pred_dir / f.name).write_text(json.dumps(doc.to_json(), ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, str(SHARED / "gold" / "score.py"), str(gold / "annotations"), str(pred_dir),
                          "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["events"]


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def detect(text: str, root: str, method: str = "rules") -> bool:
    if method == "model" and root == "14":
        from khabar.events.protest import is_protest
        return is_protest(text)
    from khabar.events.extract import detect_event
    return bool(detect_event(text, {"14": "protest", "18": "assault"}[root]))


def run_gsr(path: Path, root: str, method: str = "rules") -> dict:
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    strict = [0, 0, 0]
    loose = [0, 0, 0]
    for r in rows:
        pred = detect(r["text"], root, method)
        gold = r["label"] == "yes"
        for acc, skip in ((strict, r["label"] == "ambiguous"), (loose, False)):
            if skip:
                continue
            if pred and gold:
                acc[0] += 1
            elif pred:
                acc[1] += 1
            elif gold:
                acc[2] += 1
    return {"without_ambiguous": prf(*strict), "ambiguous_as_negative": prf(*loose), "sentences": len(rows)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path)
    ap.add_argument("--skip-dev", action="store_true")
    args = ap.parse_args(argv)
    res = {}
    if not args.skip_dev:
        t = time.time()
        if args.keep:
            res["dev_events"] = run_dev(args.keep)
        else:
            with tempfile.TemporaryDirectory() as d:
                res["dev_events"] = run_dev(Path(d))
        e = res["dev_events"]
        print(f"dev events      P {e['p']:.3f}  R {e['r']:.3f}  F1 {e['f1']:.3f}  (tp {e['tp']}, pred {e['pred']}, "
              f"gold {e['gold']})  [{time.time() - t:.1f}s]")
    gsr = SHARED / "data" / "events" / "arabic_event_gsr"
    for name, root in (("protest", "14"), ("assault", "18")):
        f = gsr / f"{name}_gsr.csv"
        if f.exists():
            for method in (("rules", "model") if root == "14" else ("rules",)):
                r = run_gsr(f, root, method)
                res[f"{name}_{method}"] = r
                label = name + (" (rules)" if method == "rules" else " (shipped classifier, in-sample)")
                for k in ("without_ambiguous", "ambiguous_as_negative"):
                    v = r[k]
                    print(f"{label:40s} {k:22s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  "
                          f"(tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")
    if (gsr / "protest_gsr.csv").exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import train_protest
        m = train_protest.quick_cv()
        res["protest_cv5"] = m
        print(f"{'protest (classifier, 5-fold CV)':40s} {'without_ambiguous':22s} P {m['p']:.3f}  R {m['r']:.3f}  "
              f"F1 {m['f1']:.3f}  (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
        mf = ROOT / "khabar" / "resources" / "events" / "protest_metrics.json"
        if mf.exists():
            v = json.loads(mf.read_text())["without_ambiguous"]
            print(f"{'protest (classifier, nested 10-fold CV)':40s} {'without_ambiguous':22s} P {v['p']:.3f}  "
                  f"R {v['r']:.3f}  F1 {v['f1']:.3f}  (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})  [training run]")
    if (gsr / "assault_gsr.csv").exists():
        # the same detector (features with the assault stems) and protocol, trained and tested on ASSAULT by nested CV
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import train_protest
        m = train_protest.main(["--kind", "assault", "--gsr", str(gsr / "assault_gsr.csv"), "--eval-only"])
        res["assault_classifier_nested_cv"] = m
        v = m["without_ambiguous"]
        print(f"{'assault (classifier, nested 10-fold CV)':40s} {'without_ambiguous':22s} P {v['p']:.3f}  "
              f"R {v['r']:.3f}  F1 {v['f1']:.3f}  (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")
    return res


if __name__ == "__main__":
    main()
