"""Evaluate the topic classifier on ANT v2.1 without writing a model.

    python training/eval_topic.py            # time split (latest 20% held out) + leave-one-outlet-out
    python training/eval_topic.py --no-lolo  # time split only
    python training/eval_topic.py --shipped  # also score the shipped model on the latest 20% (it saw them)

Same features and learner as training/train_topic.py (the held-out figures retrain on the earlier part); each
figure is given for text only and text + outlet (the URL is never used: ANT's URL paths spell the label).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    shipped = "--shipped" in argv
    argv = [a for a in argv if a != "--shipped"]
    import train_topic
    res = train_topic.main(argv + ["--eval-only"])
    if shipped:
        from khabar.topic import classify
        rows = train_topic.load()
        rows.sort(key=lambda r: r["_t"])
        test = rows[int(len(rows) * 0.8):]
        for name, kw in (("text only", lambda r: {}), ("text+outlet", lambda r: {"outlet": r["src"]})):
            acc = sum(classify(r["text"], r.get("title"), **kw(r))["label"] == r["label"] for r in test) / len(test)
            print(f"shipped model on the latest 20% (seen in training), {name}: accuracy {acc:.4f}")
    return res


if __name__ == "__main__":
    main()
