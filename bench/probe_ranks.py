"""Why the search probe's sources rank below first: what the articles ranked above them hold.

    python bench/probe_ranks.py /tmp/khabar-search-probe   # the --workdir of `bench/search_probe.py --dump`

Reads ``dump2.jsonl`` (the probes with distractors; ``--dump-file`` for another) and the articles of
``sample.jsonl`` and ``extra.jsonl`` in the work folder.  For each khabar probe whose source is found but not first,
it looks at the articles ranked above it (the top 10 the dump keeps) and counts whether all, some or none of them
hold the probe's original word in its exact form (as a whole word of title or text).  It then prints the MRR an
oracle would reach that ranked every article holding the exact form above every article that does not (the
source moved up past the ones above it without the form; ranks past 10 kept as they are): the most any
ranking by word form could give.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workdir")
    ap.add_argument("--dump-file", default="dump2.jsonl")
    a = ap.parse_args()
    wd = Path(a.workdir)
    texts = {}
    for name in ("sample.jsonl", "extra.jsonl"):
        if (wd / name).exists():
            for line in open(wd / name, encoding="utf-8"):
                r = json.loads(line)
                texts[r.get("docno") or r.get("id")] = (r.get("title") or "") + "\n" + r["text"]
    rows = [json.loads(x) for x in open(wd / a.dump_file, encoding="utf-8")]
    rows = [r for r in rows if r["engine"].startswith("khabar")]
    if not rows:
        sys.exit("no khabar probes in the dump")

    def holds(doc: str, w: str) -> bool:
        return re.search(r"(?<![\u0621-\u064a])" + re.escape(w) + r"(?![\u0621-\u064a])", texts.get(doc, "")) \
            is not None

    cats: collections.Counter = collections.Counter()
    mrr = oracle = 0.0
    for r in rows:
        rk = r["rank"]
        if not rk:
            continue
        mrr += 1 / rk
        if rk == 1:
            oracle += 1
            continue
        above = r["top"][:rk - 1]
        n_exact = sum(holds(d, r["orig"]) for d in above)
        cats["all above hold the exact form" if n_exact == len(above) else
             "some do" if n_exact else "none does"] += 1
        oracle += 1 / (1 + n_exact) if rk <= 10 else 1 / rk
    n = len(rows)
    print(f"{n} probes; MRR {mrr / n:.3f}; found but not first: {sum(cats.values())}")
    for k, v in cats.most_common():
        print(f"  {k}: {v}")
    print(f"oracle (exact-form holders first) MRR {oracle / n:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
