"""Count the words that follow نادي (club) in the unlabelled news, the evidence behind
``khabar/resources/lexicon/clubs.tsv`` (issue 16).

    python training/mine_clubs.py [--news ../shared/data/news] [--min-count 10] [--min-sources 3]

Prints ``count<TAB>outlets<TAB>phrase`` for the first word and the first two words after نادي / النادي / لنادي /
ناديي, most frequent first.  The list in clubs.tsv was read from this output by hand: a row was kept where the
phrase is a club's name (function words, adjectives such as الملكي or الإنجليزي, literary clubs' cities and
people were left out).  No gold article was read to build it.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
from pathlib import Path

PAT = re.compile(r"(?<!\w)[وفبل]?(?:ل?ل?نادي|النادي|ناديي)\s+((?:ال)?[\u0621-\u064a]+(?:\s+(?:ال)?[\u0621-\u064a]+)?)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "news"))
    ap.add_argument("--min-count", type=int, default=10)
    ap.add_argument("--min-sources", type=int, default=3)
    a = ap.parse_args()
    cnt: collections.Counter = collections.Counter()
    srcs: dict[str, set] = collections.defaultdict(set)
    for fn in ("ant_v2.1.jsonl.gz", "saudinewsnet.jsonl.gz"):
        with gzip.open(Path(a.news) / fn, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                text = d.get("text") or d.get("content") or ""
                src = d.get("src") or d.get("source") or fn
                for m in PAT.finditer(text):
                    w = m.group(1).split()
                    for k in {w[0], " ".join(w)}:
                        cnt[k] += 1
                        srcs[k].add(src)
    for k, v in cnt.most_common():
        if v >= a.min_count and len(srcs[k]) >= a.min_sources:
            print(f"{v}\t{len(srcs[k])}\t{k}")


if __name__ == "__main__":
    main()
