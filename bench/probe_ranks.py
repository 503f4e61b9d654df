"""Why the search probe's sources rank below first: what the articles ranked above them hold.

    python bench/probe_ranks.py /tmp/khabar-search-probe   # the --workdir of `bench/search_probe.py --dump`

Reads ``dump2.jsonl`` (the probes with distractors; ``--dump-file`` for another) and the articles of
``sample.jsonl`` and ``extra.jsonl`` in the work folder.  For each khabar probe whose source is found but not first,
it looks at the articles ranked above it (the top 10 the dump keeps) and counts whether all, some or none of them
hold the probe's original word in its exact form (as a whole word of title or text).  It then prints the MRR an
oracle would reach that ranked every article holding the exact form above every article that does not (the
source moved up past the ones above it without the form; ranks past 10 kept as they are): the most any
ranking by word form could give.  Then, for those probes, what could tell the source from the articles above it
that hold the same form: how often the form occurs (tf), the article's length in words, the form in the title,
the form in the lead (first 40 words); and the MRR of the oracle with title/lead holders moved first among the
exact-form holders (what a title/lead field weight could add).
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
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

    word_re: dict = {}

    def occ(doc: str, w: str) -> list[int]:
        """Word offsets (in whitespace words of title + text) of the form ``w`` in ``doc``."""
        rx = word_re.get(w) or word_re.setdefault(
            w, re.compile(r"(?<![\u0621-\u064a])" + re.escape(w) + r"(?![\u0621-\u064a])"))
        t = texts.get(doc, "")
        return [len(t[:m.start()].split()) for m in rx.finditer(t)]

    feats = {"source": collections.defaultdict(list), "above, holding the form": collections.defaultdict(list)}
    oracle_tl = 0.0
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
        if rk > 10:
            oracle_tl += 1 / rk
            continue
        docs = [(d, occ(d, r["orig"])) for d in r["top"][:10]]
        src_occ = occ(r["rid"], r["orig"])
        for who, group in (("source", [(r["rid"], src_occ)]),
                           ("above, holding the form", [(d, o) for d, o in docs[:rk - 1] if o])):
            for d, o in group:
                f = feats[who]
                f["tf"].append(len(o))
                f["words"].append(len(texts.get(d, "").split()))
                f["title"].append(bool(o) and o[0] < len(texts.get(d, "").split("\n")[0].split()))
                f["lead"].append(bool(o) and o[0] < 40)
        order = sorted(range(len(docs)), key=lambda i: (not docs[i][1], not (docs[i][1] and docs[i][1][0] < 40), i))
        pos = [docs[i][0] for i in order]
        oracle_tl += 1 / (pos.index(r["rid"]) + 1) if r["rid"] in pos else 1 / rk
    n = len(rows)
    print(f"{n} probes; MRR {mrr / n:.3f}; found but not first: {sum(cats.values())}")
    for k, v in cats.most_common():
        print(f"  {k}: {v}")
    print(f"oracle (exact-form holders first) MRR {oracle / n:.3f}")
    print(f"  ... then title/lead holders first among them: MRR {(oracle_tl + sum(1 for r in rows if r['rank'] == 1)) / n:.3f}")
    print("found but not first, ranks 2-10: the source against the articles above it that hold the form")
    for who, f in feats.items():
        if f["tf"]:
            print(f"  {who}: {len(f['tf'])}; tf mean {statistics.mean(f['tf']):.2f}; words median "
                  f"{statistics.median(f['words']):.0f}; form in title {statistics.mean(f['title']):.3f}, "
                  f"in the lead {statistics.mean(f['lead']):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
