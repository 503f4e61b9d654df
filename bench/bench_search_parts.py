"""Two parts of a distinct search's CPU cost, each measured against its baseline in this one process (the same
queries, alternated, on warm word caches):

1. the count: a search (no snippets) counting every match (``count=True``, the Python default) against one
   counting up to 1,000 (``count=1000``, the web API's default: "more than 1,000"); the hits are checked equal;
2. a distinct query's snippets (the Highlighter and the snippets of its page's 20 hits): the needles found with
   one regex that allows harakat between every two letters, compiled for each query (the code before issue 18's
   session-8 change), against the finder that takes the harakat out of the text (``khabar.store.snippets``),
   built for each query too (no cache hit: each query is new).

    python bench/bench_search_parts.py --db all.db [--requests 300] [--json]

The queries are those of ``bench/bench_api_cpu.py`` (``bench/load_search.py``'s distinct queries and filters).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from load_search import FILTERS, distinct_queries  # noqa: E402
    sys.path.insert(0, str(ROOT))
    from khabar.server import queries  # noqa: E402
    from khabar.store import Store  # noqa: E402
    from khabar.store import snippets as S  # noqa: E402
    from khabar.store.query import parse_query  # noqa: E402

    st = Store(a.db, readonly=True)
    reqs = []
    for i, q in enumerate(distinct_queries(a.db, a.requests)):
        p = dict(FILTERS[i % len(FILTERS)])
        off, lim = int(p.pop("offset", 0)), int(p.pop("limit", 20))
        reqs.append((q, lim, off, queries.speaker_filter(st, p)))

    def cpu(f):
        t = time.process_time()
        r = f()
        return 1000 * (time.process_time() - t), r

    # 1. the count
    exact, bounded, over = [], [], 0
    for k, (q, lim, off, f) in enumerate(reqs):
        st.search(q, limit=lim, offset=off, snippets=False, **f)  # warm: the compiled query, its pages
        runs = [("e", True), ("b", max(1000, off + lim))]
        if k % 2:
            runs.reverse()
        res = {name: cpu(lambda c=c: st.search(q, limit=lim, offset=off, snippets=False, count=c, **f))
               for name, c in runs}
        exact.append(res["e"][0])
        bounded.append(res["b"][0])
        over += not res["b"][1].total_exact
        if [h["id"] for h in res["e"][1].hits] != [h["id"] for h in res["b"][1].hits]:
            raise SystemExit(f"{q!r}: the hits differ with a bounded count")

    # 2. the snippets of a distinct query
    texts = {}
    for q, lim, off, f in reqs:
        ids = [h["id"] for h in st.search(q, limit=lim, offset=off, snippets=False, count=False, **f).hits]
        texts[q] = [r["text"] for r in st.execute(
            "SELECT text FROM documents WHERE id IN (%s)" % ",".join("?" * len(ids)), ids)] if ids else []

    class FullRegex:  # the needles as one regex over the original text (before)
        def __init__(self, needles):
            self.r = S._needle_regex_full(tuple(sorted(set(needles), key=lambda n: (-len(n), n))))

        def spans(self, text):
            for m in self.r.finditer(text):
                yield m.span()

    new_regex = S._needle_regex

    def snippets(kind: str) -> float:
        S._needle_regex = (lambda n: FullRegex(n) if n else None) if kind == "before" else new_regex
        tot = 0.0
        try:
            for q, *_ in reqs:
                re.purge()
                S._needle_finder.cache_clear()
                t = time.process_time()
                hl = S.Highlighter(parse_query(q), "stem")
                for tx in texts[q]:
                    hl.snippet(tx)
                tot += time.process_time() - t
        finally:
            S._needle_regex = new_regex
        return 1000 * tot / len(reqs)

    snippets("after")
    snippets("before")  # the word caches warm, as a server's are
    before, after = [], []
    for _i in range(3):
        before.append(snippets("before"))
        after.append(snippets("after"))
    out = {"db": a.db, "requests": len(reqs), "count_exact_ms": statistics.mean(exact),
           "count_bounded_ms": statistics.mean(bounded), "queries_over_1000": over,
           "snippets_before_ms": statistics.median(before), "snippets_after_ms": statistics.median(after)}
    out = {k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}
    if a.json:
        print(json.dumps(out, indent=1))
    else:
        print(f"{len(reqs)} distinct searches on {a.db}:")
        print(f"  search without snippets: exact count {out['count_exact_ms']} ms, counted up to 1,000 "
              f"{out['count_bounded_ms']} ms ({over} queries match more than 1,000)")
        print(f"  a distinct query's snippets: needles as one regex {out['snippets_before_ms']} ms, "
              f"harakat taken out of the text {out['snippets_after_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
