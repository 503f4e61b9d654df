#!/usr/bin/env python3
"""Error analysis of the sources (GUIDELINES "sources", decisions 1, 11, 13): missed and spurious sources on gold
sets, grouped into classes.

    PYTHONPATH=. python3 training/source_errors.py /work/shared/gold/dev /work/shared/gold/dev2 [--pred DIR]

Runs the default pipeline over each set (or reads predictions from --pred DIR/<set>/), matches with the gold
scorer's rule (score.py same_actor, one-to-one) and prints each error with its context and a class guess:
  missed:   short (a prediction is a part of the gold phrase), long-wrong (a prediction overlaps but fails),
            no-cue-found (nothing overlaps; the class is the cue: preposition / media verb / other)
  spurious: addressee (ل/لـ before it), overlap-miss (overlaps a gold source), other
"""
import json
import pathlib
import sys
import tempfile
from collections import Counter, defaultdict

from khabar.evaluate import find_scorer, _load_scorer, predict_dir


def load(gold_dir, pred_dir):
    gold_dir = pathlib.Path(gold_dir)
    out = []
    for f in sorted((gold_dir / "annotations").glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        text = json.loads((gold_dir / "articles" / f.name).read_text(encoding="utf-8"))["text"]
        p = pathlib.Path(pred_dir) / f.name
        pred = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
        out.append((f.stem, text, g, pred))
    return out


def ctx(text, s, e, w=40):
    return (text[max(0, s - w):s] + "[[" + text[s:e] + "]]" + text[e:e + w]).replace("\n", " ")


def main(argv):
    sets = [a for a in argv if not a.startswith("--")]
    pred_root = argv[argv.index("--pred") + 1] if "--pred" in argv else None
    if pred_root:
        sets = [s for s in sets if s != pred_root]
    sc = _load_scorer(find_scorer(pathlib.Path(sets[0])))
    classes = Counter()
    lines = defaultdict(list)
    tot = Counter()
    for gs in sets:
        name = pathlib.Path(gs).name
        pd = pathlib.Path(pred_root) / name if pred_root else pathlib.Path(tempfile.mkdtemp(prefix="src-"))
        if not pred_root:
            predict_dir(gs, pd)
        for aid, text, g, pred in load(gs, pd):
            gsrc = g.get("sources", [])
            psrc = [s for s in pred.get("sources", []) or [] if s.get("source")]
            m = sc.match_greedy([(1, gi, pi) for gi, gg in enumerate(gsrc) for pi, pp in enumerate(psrc)
                                 if sc.same_actor(pp["source"], [gg["source"]])])
            mg = {gi for gi, _ in m}
            mp = {pi for _, pi in m}
            tot["gold"] += len(gsrc); tot["pred"] += len(psrc); tot["tp"] += len(m)
            gspans = []
            for gi, gg in enumerate(gsrc):
                sp = sc.locate(text, gg["source"], gg.get("source_occurrence", 1))
                gspans.append(sp)
            pspans = [(p.get("start"), p.get("end")) if isinstance(p.get("start"), int)
                      else sc.locate(text, p["source"]) for p in psrc]
            for gi, gg in enumerate(gsrc):
                if gi in mg:
                    continue
                sp = gspans[gi]
                ov = [pi for pi, ps in enumerate(pspans) if sp and ps and min(sp[1], ps[1]) > max(sp[0], ps[0])]
                if ov:
                    pt = psrc[ov[0]]["source"]
                    cls = "missed/short" if len(sc.norm(pt)) < len(sc.norm(gg["source"])) else "missed/long-or-shifted"
                    extra = f"  pred={pt!r}"
                else:
                    cue = sc.norm(gg.get("cue", ""))
                    kind = ("prep" if any(w in cue for w in ("حسب", "وفق", "نقلا", "طبقا", "استناد")) else "verb")
                    cls = f"missed/none-{kind}"
                    extra = ""
                classes[cls] += 1
                c = ctx(text, *sp) if sp else "(not located)"
                lines[cls].append(f"{aid}: gold={gg['source']!r} cue={gg.get('cue')!r}{extra}\n      {c}")
            for pi, pp in enumerate(psrc):
                if pi in mp:
                    continue
                ps = pspans[pi]
                ov = [gi for gi, sp in enumerate(gspans) if sp and ps and min(sp[1], ps[1]) > max(sp[0], ps[0])]
                before = text[max(0, ps[0] - 3):ps[0]] if ps else ""
                if ov:
                    cls = "spurious/overlap"
                elif before.endswith(("ل", "لـ")) or text[max(0, ps[0] - 4):ps[0]].strip().endswith("لـ"):
                    cls = "spurious/addressee?"
                else:
                    cls = "spurious/other"
                classes[cls] += 1
                c = ctx(text, *ps) if ps else "(not located)"
                lines[cls].append(f"{aid}: pred={pp['source']!r} cue={pp.get('cue_text')!r}\n      {c}")
    for cls in sorted(lines):
        print(f"== {cls} ({classes[cls]})")
        for ln in lines[cls]:
            print("  " + ln)
    p = tot["tp"] / tot["pred"] if tot["pred"] else 0
    r = tot["tp"] / tot["gold"] if tot["gold"] else 0
    f = 2 * p * r / (p + r) if p + r else 0
    print(f"TOTAL tp {tot['tp']} pred {tot['pred']} gold {tot['gold']}  P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(dict(classes))


if __name__ == "__main__":
    main(sys.argv[1:])
