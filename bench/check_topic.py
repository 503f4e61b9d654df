"""Subject and geography on unlabelled articles: rates a reader can judge, and samples to read.

    python bench/check_topic.py --limit 5000            # half ANT, half SaudiNewsNet (seeded)
    python bench/check_topic.py --limit 2000 --show 15  # and print 15 articles per check to read

Reports, per corpus: the subject distribution and the share under 0.5 confidence; the share of articles with no
country; the main countries most often given; and two classes of implausible output --
*diffuse* geography (the main country under a third of the weight, with four or more countries) and *Saudi local
news placed abroad* (a SaudiNewsNet article whose text names a Saudi city or region in its first 200 characters
but whose main country is another state).
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.dates import find_dateline  # noqa: E402
from khabar.topic import classify_subject, geography  # noqa: E402
from khabar.topic.geography import mentions  # noqa: E402

NEWS = ROOT.parent / "shared" / "data" / "news"


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=5000)
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)
    rng = random.Random(7)
    ant = [json.loads(x) for x in gzip.open(NEWS / "ant_v2.1.jsonl.gz", "rt", encoding="utf-8")]
    snn = [json.loads(x) for x in gzip.open(NEWS / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8")]
    docs = [("ant", r["text"], r.get("title"), r.get("src"), r.get("url")) for r in rng.sample(ant, args.limit // 2)] + \
           [("saudinewsnet", r["content"], r.get("title"), r["source"], r["url"])
            for r in rng.sample(snn, args.limit - args.limit // 2)]
    out: dict = {}
    shows: dict[str, list] = {"diffuse": [], "saudi_abroad": [], "low_confidence": []}
    for corpus in ("ant", "saudinewsnet"):
        subj, mains = Counter(), Counter()
        n = low = none = diffuse = saudi_local = saudi_abroad = 0
        for c, text, title, outlet, url in docs:
            if c != corpus or not text:
                continue
            n += 1
            s = classify_subject(text, title)
            geo = geography(text, title, find_dateline(text), outlet=outlet, url=url, subject=s["label"])
            subj[s["label"]] += 1
            if s["score"] < 0.5:
                low += 1
                shows["low_confidence"].append((title, s["label"], s["score"], geo[:3]))
            if not geo:
                none += 1
                continue
            mains[geo[0]["country"]] += 1
            if geo[0]["weight"] < 1 / 3 and len(geo) >= 4:
                diffuse += 1
                shows["diffuse"].append((title, s["label"], geo[:5]))
            if corpus == "saudinewsnet" and any(iso == "SAU" and kind == "name" and start < 200
                                                for start, _, iso, kind in mentions(text[:400])):
                saudi_local += 1
                if geo[0]["country"] != "SAU":
                    saudi_abroad += 1
                    shows["saudi_abroad"].append((title, s["label"], geo[:4], text[:160]))
        out[corpus] = {
            "articles": n, "subject": {k: round(v / n, 3) for k, v in subj.most_common()},
            "subject_under_0.5": round(low / n, 3), "no_country": round(none / n, 3),
            "main_countries": dict(mains.most_common(10)), "diffuse_geography": round(diffuse / n, 3)}
        if corpus == "saudinewsnet":
            out[corpus]["saudi_place_in_lead_but_main_abroad"] = round(saudi_abroad / max(saudi_local, 1), 3)
            out[corpus]["saudi_place_in_lead"] = saudi_local
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.show:
        for k, xs in shows.items():
            print(f"\n## {k} ({len(xs)})")
            for x in rng.sample(xs, min(args.show, len(xs))):
                print("  ", json.dumps(x, ensure_ascii=False)[:400])
    return out


if __name__ == "__main__":
    main()
