"""Dump the full Document JSON of a fixed sample of articles (half ANT v2.1, half SaudiNewsNet, with their titles,
URLs and outlets as ``khabar ingest`` reads them) through the default pipeline, one JSON line per article; or compare
two such dumps.  Used to show that a speed change leaves every output identical: run it with one checkout's code,
then the other's (``PYTHONPATH``), and compare.

    PYTHONPATH=/work/main python3 bench/check_same_output.py dump /tmp/main.jsonl [--n 1000]
    PYTHONPATH=.          python3 bench/check_same_output.py dump /tmp/mine.jsonl [--n 1000]
    python3 bench/check_same_output.py compare /tmp/main.jsonl /tmp/mine.jsonl
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news"


def records(n: int, step: int = 7) -> list[dict]:
    out = []
    for name in ("ant_v2.1.jsonl.gz", "saudinewsnet.jsonl.gz"):
        path = SHARED / name
        if not path.exists():
            sys.exit(f"{path} not found")
        got = 0
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i % step:
                    continue
                rec = json.loads(line)
                if not str(rec.get("text") or rec.get("content") or "").strip():
                    continue
                out.append(rec)
                got += 1
                if got >= n // 2:
                    break
    return out


def dump(path: str, n: int, batch: int) -> None:
    from khabar.io.readers import document_from_record
    from khabar.pipeline import Pipeline

    pipe = Pipeline()
    docs = [document_from_record(r) for r in records(n)]
    with open(path, "w", encoding="utf-8") as f:
        for k in range(0, len(docs), batch):
            part = docs[k:k + batch]
            done = pipe.run_many(part) if batch > 1 else [pipe(d) for d in part]
            for d in done:
                f.write(json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(docs)} articles -> {path}")


def compare(a: str, b: str) -> int:
    la = Path(a).read_text(encoding="utf-8").splitlines()
    lb = Path(b).read_text(encoding="utf-8").splitlines()
    if len(la) != len(lb):
        print(f"different lengths: {len(la)} vs {len(lb)}")
        return 1
    bad = [i for i, (x, y) in enumerate(zip(la, lb)) if x != y]
    for i in bad[:5]:
        x, y = json.loads(la[i]), json.loads(lb[i])
        keys = sorted(k for k in set(x.get("layers", {})) | set(y.get("layers", {}))
                      if x.get("layers", {}).get(k) != y.get("layers", {}).get(k))
        other = sorted(k for k in set(x) | set(y) if k != "layers" and x.get(k) != y.get(k))
        print(f"article {i}: layers differ: {keys} other: {other}")
    print(f"identical on {len(la) - len(bad)} of {len(la)} articles")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=("dump", "compare"))
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=16, help="articles per call (1: Pipeline.__call__)")
    a = ap.parse_args()
    if a.cmd == "dump":
        dump(a.paths[0], a.n, a.batch)
        return 0
    return compare(*a.paths[:2])


if __name__ == "__main__":
    sys.exit(main())
