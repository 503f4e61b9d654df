"""Statements and cross-article responses of a `khabar batch` output, without labels: counts, the near-duplicate
check, and samples to read.

    python bench/check_statements.py DIR [--sample 50] [--seed 1]
    python bench/check_statements.py --near-duplicates FILE.jsonl[.gz]...

DIR: the output of ``khabar batch`` (with its ``statements/`` merge step).  Prints:
* how many statements, how many carried by two or more articles, how many have near-duplicate copies set apart;
* the share of multi-article statements whose *counted* articles still include two near-duplicates of one article
  (word 4-shingle Jaccard ≥ 0.8, computed exactly here, not by MinHash) — the copies that would inflate its
  outlet count (target ≤ 1%);
* SAMPLE random multi-article statements (speaker, two variants, outlets) and SAMPLE random cross-article responses
  (the response's evidence and the first text of the statement it is linked to), for a reader to judge.

``--near-duplicates``: no analysis; every article of the JSONL files through the store's near-duplicate test
(:func:`khabar.store.statements.signature`, MinHash bands, estimated Jaccard ≥ 0.8 to an earlier article): how many
are copies, within one outlet and across outlets, with 10 pairs to read.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from khabar.text.normalize import fold  # noqa: E402


def shingles(text: str) -> set:
    w = fold(text or "", search=True).split()
    return {" ".join(w[i:i + 4]) for i in range(max(1, len(w) - 3))}


def near_duplicates(paths) -> int:
    import gzip
    import sqlite3

    import numpy as np

    from khabar.store import statements as S

    conn = sqlite3.connect(":memory:")
    S.ensure(conn)
    n, copies, same, pairs, short = 0, 0, 0, [], 0
    rnd = random.Random(1)
    outlets, texts = {}, {}
    for path in paths:
        op = gzip.open if path.endswith(".gz") else open
        with op(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                did = str(d.get("docno") or d.get("id") or n)
                text = d.get("text") or d.get("content") or ""
                n += 1
                sig = S.signature(text)
                if sig is None:
                    short += 1
                    continue
                orig = S.find_copy(conn, did, sig)
                conn.execute("INSERT OR IGNORE INTO stmt_docs VALUES (?, NULL, ?, ?, ?)",
                             (did, d.get("src") or d.get("source"), orig, sig.tobytes()))
                conn.executemany("INSERT INTO stmt_bands VALUES (?, ?, ?)", [(b, h, did) for b, h in S._bands(sig)])
                outlets[did] = d.get("src") or d.get("source")
                if orig:
                    copies += 1
                    same += outlets.get(orig) == outlets[did]
                    pairs.append((orig, did, texts.get(orig, "")[:90], text[:90]))
                if len(texts) < 200_000:
                    texts[did] = text[:200]
    print(f"articles {n:,} ({short:,} under {S.MIN_SHINGLES} word 4-grams: never copies); near-duplicates of an "
          f"earlier article {copies:,} ({copies / max(1, n):.2%}); same outlet {same:,}, across outlets "
          f"{copies - same:,}")
    for a, b, ta, tb in rnd.sample(pairs, min(10, len(pairs))):
        print(f"{a} ~ {b}\n     «{ta}»\n     «{tb}»")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--near-duplicates":
        return near_duplicates(argv[1:])
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    import pyarrow.parquet as pq

    out = Path(a.dir)
    S = pq.read_table(out / "statements" / "statements.parquet").to_pylist()
    Q = pq.read_table(out / "statements" / "statement_quotes.parquet").to_pylist()
    R = {(r["doc_id"], r["idx"]): r for r in pq.read_table(out / "statements" / "responses.parquet").to_pylist()}
    L = pq.read_table(out / "statements" / "response_links.parquet").to_pylist()
    docs = {}
    for part in sorted((out / "documents").glob("part-*.parquet")):
        for r in pq.read_table(part, columns=["doc_id", "text", "outlet", "external_id"]).to_pylist():
            docs[r["doc_id"]] = r
    by_stmt = {}
    for q in Q:
        by_stmt.setdefault(q["statement_id"], []).append(q)
    multi = [s for s in S if s["n_articles"] >= 2]
    sh = {}
    inflated = []
    for s in multi:
        counted = sorted({q["doc_id"] for q in by_stmt[s["statement_id"]] if not q["copy_of"]})
        for x, y in itertools.combinations(counted, 2):
            for d in (x, y):
                if d not in sh:
                    sh[d] = shingles(docs.get(d, {}).get("text", ""))
            u = sh[x] | sh[y]
            if u and len(sh[x] & sh[y]) / len(u) >= 0.8:
                inflated.append(s["statement_id"])
                break
    cross = [l for l in L if l["doc_id"] not in {q["doc_id"] for q in by_stmt.get(l["statement_id"], [])}]
    print(f"articles {len(docs):,}; statements {len(S):,}; carried by 2+ articles {len(multi):,} "
          f"({len(multi) / max(1, len(S)):.1%}); with near-duplicate copies set apart "
          f"{sum(1 for s in S if s['n_copies']):,}")
    print(f"multi-article statements whose counted articles include two near-duplicates (Jaccard >= 0.8): "
          f"{len(inflated)} / {len(multi)} = {len(inflated) / max(1, len(multi)):.2%}")
    print(f"response links {len(L):,}; cross-article (the response's article carries none of the statement's quotes) "
          f"{len(cross):,}")
    rnd = random.Random(a.seed)
    print(f"\n== {min(a.sample, len(multi))} multi-article statements")
    for s in rnd.sample(multi, min(a.sample, len(multi))):
        qs = by_stmt[s["statement_id"]]
        vs = list(dict.fromkeys((q["text"] or "")[:110] for q in qs))
        print(f"[{s['statement_id']}] {s['speaker']} | {s['n_articles']} articles, outlets {json.loads(s['outlets'])}")
        for v in vs[:2]:
            print(f"     «{v}»")
    print(f"\n== {min(a.sample, len(cross))} cross-article responses")
    first = {s["statement_id"]: s for s in S}
    for l in rnd.sample(cross, min(a.sample, len(cross))):
        r = R[(l["doc_id"], l["idx"])]
        s = first[l["statement_id"]]
        print(f"{r['stance']} by {r['speaker']}: «{(r['evidence'] or '')[:100]}»")
        print(f"     -> [{s['statement_id']}] {s['speaker']}: «{(s['text'] or '')[:100]}»")
    return 0


if __name__ == "__main__":
    sys.exit(main())
