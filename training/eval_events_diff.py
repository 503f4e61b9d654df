"""Per-article diff of gold vs predicted events on the dev gold (for error analysis).

    python training/eval_events_diff.py PRED_DIR      # PRED_DIR from `python training/eval_events.py --keep PRED_DIR`

Prints, per article, the gold events (+ when matched, - when missed) and the predicted events that matched no
gold event (!), using the gold scorer's matching rules (same root code, source and target actors).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"  # the shared data sit beside the checkout (../shared)
GOLD = SHARED / "gold" / "dev"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    pred_dir = Path(argv[0])
    spec = importlib.util.spec_from_file_location("score", SHARED / "gold" / "score.py")
    sc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sc)
    tot = [0, 0, 0]
    for gf in sorted((GOLD / "annotations").glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8")).get("events", [])
        pf = pred_dir / gf.name
        pred = (json.loads(pf.read_text(encoding="utf-8")).get("events") or []) if pf.exists() else []

        def ok(g, p):
            if str(p.get("code", ""))[:2] != g["code"][:2] or not sc.same_actor(p.get("source"), [g["source"]]):
                return False
            return g.get("target") is None or sc.same_actor(p.get("target"), [g["target"]])
        m = sc.match_greedy([(1, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if ok(g, p)])
        mg = {gi for gi, _ in m}
        mp = {pi for _, pi in m}
        tot[0] += len(m); tot[1] += len(pred); tot[2] += len(gold)
        if not gold and not pred:
            continue
        print(f"== {gf.stem}  tp {len(m)} pred {len(pred)} gold {len(gold)}")
        for gi, g in enumerate(gold):
            print(f"  {'+' if gi in mg else '-'} {g['code']} {g['source']} -> {g.get('target')} | {g.get('evidence', '')[:110]}")
        for pi, p in enumerate(pred):
            if pi not in mp:
                ev = p.get("evidence") or p.get("text") or ""
                print(f"  ! {p.get('code')} {p.get('source')} -> {p.get('target')} | {ev[:110]}")
    print(f"tp {tot[0]} pred {tot[1]} gold {tot[2]}")


if __name__ == "__main__":
    main()
