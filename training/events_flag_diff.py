"""Rows the events stage gives with a class switched on and off, on unlabelled news, to read.

    python training/events_flag_diff.py PRESS_MEETINGS --n 25000 --filter 'مؤتمر(?:ا)? (?:صحفي|صحافي)'
    python training/events_flag_diff.py WHERE_NOT_WHOM,NOUN_SUBJECTS --start 5000 --n 15000 --filter 'هجوم|غار'

FLAG is a module flag of :mod:`khabar.events.extract` (``PRESS_MEETINGS``, ``URGED_ACTS``, ``NOUN_SUBJECTS``,
``WHERE_NOT_WHOM``, ``AGENT_NOUNS``, ``CARRY_THROUGH`` ...).  Articles are read in the order of
``training/events_cv.py --unlabelled`` (the two files of ../shared/data/news alternately, texts of 200 characters or
more, the first 20,000 characters of each); ``--start K`` skips the first K, ``--filter`` analyses only the articles
whose text it finds.  Each article is analysed once; the rows are then extracted with every flag on, and again with
one flag off, and every row that differs is printed (NEW: only with the flag on; GONE: only with it off) with its
context, so that each changed row can be read.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NEWS = ROOT.parent / "shared" / "data" / "news"


def main(argv=None) -> int:
    import khabar
    from khabar.events import extract as X

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("flags", help="module flags of khabar.events.extract, comma-separated")
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--filter", default=None)
    a = ap.parse_args(argv)
    flags = a.flags.split(",")
    for fl in flags:
        if not isinstance(getattr(X, fl, None), bool):
            raise SystemExit(f"{fl}: no such flag in khabar.events.extract")
        setattr(X, fl, True)
    streams = [gzip.open(NEWS / f, "rt", encoding="utf-8") for f in ("ant_v2.1.jsonl.gz", "saudinewsnet.jsonl.gz")
               if (NEWS / f).exists()]
    if not streams:
        raise SystemExit("no unlabelled news under ../shared/data/news")

    def rows(doc):
        return {(sp.attrs["code"], sp.attrs["source"], sp.attrs.get("target"), sp.start):
                doc.text[max(0, sp.start - 40):sp.end + 40].replace("\n", " ") for sp in X.extract_events(doc)}

    done = analysed = on_total = 0
    changed = []
    while done < a.n + a.start and streams:
        for st in list(streams):
            line = st.readline()
            if not line:
                streams.remove(st)
                continue
            art = json.loads(line)
            text = art.get("text") or art.get("content") or ""
            if len(text) < 200:
                continue
            done += 1
            if done <= a.start or (a.filter and not re.search(a.filter, text)):
                continue
            analysed += 1
            doc = khabar.analyze(text[:20000], only=["events"])
            r1 = rows(doc)
            on_total += len(r1)
            for fl in flags:
                setattr(X, fl, False)
                try:
                    r0 = rows(doc)
                finally:
                    setattr(X, fl, True)
                changed += [("NEW", done, fl, k, r1[k]) for k in r1.keys() - r0.keys()]
                changed += [("GONE", done, fl, k, r0[k]) for k in r0.keys() - r1.keys()]
            if done >= a.n + a.start:
                break
    print(f"{done - a.start} articles ({analysed} analysed): {on_total} rows with every flag on; "
          + ", ".join(f"{fl}: new {sum(1 for c in changed if c[2] == fl and c[0] == 'NEW')}, "
                      f"gone {sum(1 for c in changed if c[2] == fl and c[0] == 'GONE')}" for fl in flags))
    for tag, d, fl, k, ctx in sorted(changed, key=lambda c: (c[0] != "NEW", c[2], c[1])):
        print(tag, d, fl, k[0], k[1], "->", k[2], "|", ctx)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
