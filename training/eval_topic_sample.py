"""Subject and geography on hand-labelled SaudiNewsNet articles (``bench/topic_gold/``).

    python training/eval_topic_sample.py                 # figures on the development sample
    python training/eval_topic_sample.py --errors        # and every miss
    python training/eval_topic_sample.py --sample test   # the held-out test sample (never tuned on)

Two samples of 100 articles each (see bench/topic_gold/README.md for how they were drawn and labelled):
``dev`` (``saudinewsnet_100.jsonl``): a seeded random sample of the SaudiNewsNet outlets that have no sections in
their URLs, so none of them is in the subject model's training data; the geography rules and the subject model's
design were tuned reading its misses. ``test`` (``saudinewsnet_test_100.jsonl``): labelled later by another
annotator, 72 articles of the same nine outlets (8 each, other articles) and 28 of Al-Jazirah's pages that never
entered training (local news, features, opinion...); read only to measure.
Figures: subject accuracy; main-country accuracy over the articles whose gold names a country (the first
country predicted = the first of the gold); ``no country`` agreement on the others; precision and recall of the
predicted country sets.  Reads the texts from ``../shared/data/news/saudinewsnet.jsonl.gz``.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.dates import find_dateline  # noqa: E402
from khabar.topic.geography import geography  # noqa: E402
from khabar.topic.subject import classify_subject  # noqa: E402

SAMPLES = {"dev": ROOT / "bench" / "topic_gold" / "saudinewsnet_100.jsonl",
           "test": ROOT / "bench" / "topic_gold" / "saudinewsnet_test_100.jsonl"}
GOLD = SAMPLES["dev"]
DATA = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--sample", choices=sorted(SAMPLES), default="dev")
    ap.add_argument("--no-outlet", action="store_true", help="geography without the outlet's country")
    ap.add_argument("--model", type=Path, help="a subject model file other than the shipped one (experiments)")
    ap.add_argument("--outlets", help="comma-separated: score only the articles of these outlets (with a model trained "
                    "by train_subject.py --weak-exclude of the same outlets: outlets whose text it never saw)")
    args = ap.parse_args(argv)
    if args.model:
        from khabar.topic import subject as subject_module
        subject_module._MODEL = subject_module.SubjectModel(args.model)
    gold = [json.loads(line) for line in SAMPLES[args.sample].open(encoding="utf-8")]
    if args.outlets:
        gold = [g for g in gold if g["source"] in args.outlets.split(",")]
    want = {g["line"] for g in gold}
    texts = {}
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i in want:
                texts[i] = json.loads(line)
    confused: dict[str, int] = {}
    n_subj = n_main = n_main_ok = n_none = n_none_ok = tp = n_pred = n_gold = 0
    for g in gold:
        r = texts[g["line"]]
        assert r["url"] == g["url"], f"line {g['line']}: the corpus differs from the one labelled"
        text, title = r["content"], r.get("title") or None
        subj = classify_subject(text, title)
        geo = [c["country"] for c in geography(text, title, find_dateline(text), subject=subj["label"],
                                               **({} if args.no_outlet else {"outlet": r["source"], "url": r["url"]}))]
        ok_s = subj["label"] == g["subject"]
        n_subj += ok_s
        if not ok_s:
            confused[f"{g['subject']} -> {subj['label']}"] = confused.get(f"{g['subject']} -> {subj['label']}", 0) + 1
        if g["countries"]:
            n_main += 1
            ok_m = bool(geo) and geo[0] == g["countries"][0]
            n_main_ok += ok_m
        else:
            n_none += 1
            ok_m = not geo
            n_none_ok += ok_m
        tp += len(set(geo) & set(g["countries"]))
        n_pred += len(set(geo))
        n_gold += len(set(g["countries"]))
        if args.errors and (not ok_s or not ok_m):
            print(f"{g['line']:6d} {g['source']:12s} subject {g['subject']:10s} -> {subj['label']:10s} "
                  f"({subj['score']:.2f})  countries {','.join(g['countries']) or '-':18s} -> "
                  f"{','.join(geo) or '-':18s} {title}")
    res = {"articles": len(gold), "subject_accuracy": round(n_subj / len(gold), 3),
           "main_country_accuracy": round(n_main_ok / max(n_main, 1), 3), "articles_with_country": n_main,
           "no_country_agreement": round(n_none_ok / max(n_none, 1), 3), "articles_without_country": n_none,
           "country_precision": round(tp / max(n_pred, 1), 3), "country_recall": round(tp / max(n_gold, 1), 3),
           "subject_misses": dict(sorted(confused.items(), key=lambda kv: (-kv[1], kv[0])))}
    print(json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()
