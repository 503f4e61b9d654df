"""Build khabar/resources/ner/wordtable.npz: the NER decoder's per-word score vectors of the frequent words of the
unlabelled news, precomputed so that a word's first sight at run time costs a table look-up instead of its feature
extraction (khabar.ner.features.FeatureExtractor._word_info) and the sum of its attribute weights.

    python training/build_ner_wordtable.py [--data ../shared/data] [--min-count 8] [--max-words 60000]
                                           [--skip-ant 2000]

The words are the tagger's tokens (khabar's tokens, as khabar.ner.entities.windows passes them) of ANT v2.1 and
SaudiNewsNet, counted; the ``--max-words`` most frequent of those seen at least ``--min-count`` times are kept.
The first ``--skip-ant`` ANT articles (those bench/bench_pipeline.py times) are not counted, so that the benchmark
measures words the table was not chosen from.

Every vector is computed by khabar.ner.fastcrf.FastCRF itself (the same code and the same float64 additions as at
run time), so the table holds exactly the scores the decoder would compute: the tags are unchanged.  The table
records the SHA-1 of the model, of the feature resources and of the two source files that define the scores; when
any of them changes (a retrained model, new clusters), khabar ignores the stale table (no speed-up, same tags) until
this script is run again.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def count_tokens(data: Path, skip_ant: int) -> tuple[Counter, int]:
    from khabar.document import Document
    from khabar.pipeline import Pipeline

    core = Pipeline(["normalize", "tokens"])
    counts: Counter = Counter()
    n_docs = 0
    for name in ("ant_v2.1.jsonl.gz", "saudinewsnet.jsonl.gz"):
        path = data / "news" / name
        if not path.exists():
            sys.exit(f"{path} not found")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if name.startswith("ant") and i < skip_ant:
                    continue
                rec = json.loads(line)
                text = rec.get("text") or rec.get("content") or ""
                if not isinstance(text, str) or not text.strip():
                    continue
                doc = core(Document.from_text(text))
                # the tagger reads a hashtag as its word (khabar.ner.entities.windows) and "" as "_" (NerTagger)
                counts.update(w[1:] if w[:1] == "#" and len(w) > 1 else (w or "_") for w in doc.tokens.strings)
                n_docs += 1
    return counts, n_docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--min-count", type=int, default=8)
    ap.add_argument("--max-words", type=int, default=50000)
    ap.add_argument("--skip-ant", type=int, default=2000)
    ap.add_argument("--out", default=None, help="default: khabar/resources/ner/wordtable.npz")
    ap.add_argument("--counts", default=None, help="a JSON file to cache the token counts in (read if it exists)")
    a = ap.parse_args()
    from khabar.ner import wordtable
    from khabar.ner.tagger import NerTagger

    t0 = time.time()
    if a.counts and Path(a.counts).exists():
        meta = json.loads(Path(a.counts).read_text(encoding="utf-8"))
        counts, n_docs = Counter(meta["counts"]), meta["docs"]
    else:
        counts, n_docs = count_tokens(Path(a.data), a.skip_ant)
        if a.counts:
            Path(a.counts).write_text(json.dumps({"docs": n_docs, "counts": counts}, ensure_ascii=False),
                                      encoding="utf-8")
    print(f"{n_docs} articles, {sum(counts.values())} tokens, {len(counts)} distinct ({time.time() - t0:.0f} s)")
    # most frequent first; ties by the word, so that the table is the same on every run
    words = [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= a.min_count][:a.max_words]
    tagger = NerTagger(fast=True)
    out = Path(a.out) if a.out else tagger.resource_dir / wordtable.FILENAME
    info = wordtable.build(tagger, words, out)
    covered = sum(counts[w] for w in words)
    print(f"{len(words)} words (count >= {a.min_count}), {covered / sum(counts.values()):.3f} of the tokens; "
          f"{out}: {out.stat().st_size / 1e6:.2f} MB; {info}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
