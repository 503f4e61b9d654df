"""Helpers shared by the benchmarks: loading sample articles from ../shared/data."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def ant_texts(limit: int | None = 2000, sources: tuple[str, ...] | None = None) -> list[str]:
    """The first ``limit`` ANT v2.1 articles (title + text), optionally of some outlets only."""
    path = SHARED / "data" / "news" / "ant_v2.1.jsonl.gz"
    if not path.exists():
        sys.exit(f"{path} not found: the benchmarks read ANT from ../shared/data/news")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if sources and rec.get("src") not in sources:
                continue
            out.append(rec["text"])
            if limit and len(out) >= limit:
                break
    return out


def n_words(texts) -> int:
    return sum(len(t.split()) for t in texts)
