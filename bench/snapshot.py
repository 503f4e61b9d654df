"""Same output before and after a refactoring: snapshot the full pipeline's JSON on a fixed set of articles.

    python bench/snapshot.py write before.jsonl.gz            # the 300 demo + dev/dev2 gold + 2,000 ANT articles
    python bench/snapshot.py write after.jsonl.gz
    python bench/snapshot.py compare before.jsonl.gz after.jsonl.gz

Each line holds an article's key, the SHA-256 of ``khabar analyze --format json``'s Document (``Document.dumps()``)
and the JSON itself, so that ``compare`` can name the layers that differ.  ``--groups N`` analyses N articles per
call (``Pipeline.run_many``, as batch and ingest workers do) instead of one by one; ``--ant N`` sets how many ANT
articles (default 2,000, after the first 1,000 the benchmarks warm up on); ``--only STAGES`` runs a subset.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys

from _common import ROOT, SHARED


def articles(n_ant: int):
    """(key, record) for the demo corpus, the dev gold sets and ``n_ant`` ANT articles, in a fixed order."""
    with gzip.open(ROOT / "khabar" / "data" / "demo" / "ant_cnn_bbc_demo.jsonl.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            yield f"demo:{i}", json.loads(line)
    for gold in ("seed", "dev", "dev2"):
        for p in sorted((SHARED / "gold" / gold / "articles").glob("*.json")):
            yield f"{gold}:{p.stem}", json.loads(p.read_text(encoding="utf-8"))
    path = SHARED / "data" / "news" / "ant_v2.1.jsonl.gz"
    if n_ant and path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i < 1000:
                    continue
                if i >= 1000 + n_ant:
                    break
                yield f"ant:{i}", json.loads(line)


def write(out: str, n_ant: int, groups: int, only) -> None:
    from khabar.io.readers import document_from_record
    from khabar.pipeline import Pipeline

    pipe = Pipeline(only=only) if only else Pipeline()
    items = list(articles(n_ant))
    docs = [document_from_record(rec, key) for key, rec in items]
    if groups > 1:
        done = []
        for k in range(0, len(docs), groups):
            done.extend(pipe.run_many(docs[k:k + groups]))
    else:
        done = [pipe(d) for d in docs]
    with gzip.open(out, "wt", encoding="utf-8") as f:
        for (key, _), doc in zip(items, done):
            s = doc.dumps()
            f.write(json.dumps({"key": key, "sha": hashlib.sha256(s.encode()).hexdigest(), "json": s},
                               ensure_ascii=False) + "\n")
    print(f"{len(done)} articles written to {out}")


def _load(path: str) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {r["key"]: r for r in map(json.loads, f)}


def compare(a: str, b: str, show: int) -> int:
    ra, rb = _load(a), _load(b)
    # a shorter run (--ant 300) is compared on the articles it holds
    keys = sorted(rb) if set(rb) < set(ra) else sorted(set(ra) | set(rb))
    missing = [k for k in keys if k not in ra or k not in rb]
    differ = [k for k in keys if k in ra and k in rb and ra[k]["sha"] != rb[k]["sha"]]
    by_layer: dict[str, int] = {}
    for k in differ:
        ja, jb = json.loads(ra[k]["json"]), json.loads(rb[k]["json"])
        for name in sorted(set(ja) | set(jb)):
            if ja.get(name) != jb.get(name):
                by_layer[name] = by_layer.get(name, 0) + 1
    print(f"{len(keys)} articles: {len(differ)} differ, {len(missing)} in one file only")
    for name, n in sorted(by_layer.items(), key=lambda x: -x[1]):
        print(f"  {name}: {n} articles")
    for k in differ[:show]:
        print("  e.g.", k)
    return 1 if differ or missing else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out")
    w.add_argument("--ant", type=int, default=2000)
    w.add_argument("--groups", type=int, default=1)
    w.add_argument("--only", default="")
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--show", type=int, default=5)
    args = ap.parse_args(argv)
    if args.cmd == "write":
        write(args.out, args.ant, args.groups, [s for s in args.only.split(",") if s] or None)
        return 0
    return compare(args.a, args.b, args.show)


if __name__ == "__main__":
    sys.exit(main())
