"""The most any one-word ranking can reach on the search probe: MRR ceilings computed from the articles' text alone.

    python bench/probe_ceiling.py                       # Asharq al-Awsat sample + 5,000 ANT distractors
    python bench/probe_ceiling.py --outlet alwatan      # another SaudiNewsNet outlet
    python bench/probe_ceiling.py --json OUT.json

No store and no engine: the sample and distractors of ``bench/search_probe.py`` (same outlet, size and seed) and the
probes of ``../shared/tools/search_probe.py`` (same sampling), then, for each probe, where its source article would
stand under three idealised rankings, each with the articles it cannot tell apart in random order (the expected
reciprocal rank of the source among n tied articles is H(n) / n), and every article outside the tiers ranked
below (optimistic: no stem or other form ever outranks the source):

1. ``typed``: the articles holding the typed word (folded: diacritics and tatweel dropped, أ إ آ → ا, ى → ي, ة → ه)
   first, then those holding the source's own word; the best a ranking by what the reader typed can do;
2. ``source_form``: the articles holding the source's own word (the probe's original, unfolded) first: an oracle
   that knows which spelling the article used;
3. ``source_form_tf``: the same, and among those only the articles holding that word exactly as many times as the
   source ties with it (every other count ranked below: an oracle that also knows which way the count should
   point, per probe).

A word of a probe is rare among the probed outlet's 1,000 articles (the probe picks words found in at most two of
them); among 5,000 more articles it is often common, and nothing a one-word query says tells the source from the
other articles that hold the same word.  The ceilings say how far ranking can move MRR at all.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
PROBE = ROOT.parent / "shared" / "tools" / "search_probe.py"
WORD = re.compile(r"[\u0621-\u064a]{5,}")  # the shared probe's word pattern
_FOLD = str.maketrans("أإآىة", "اااي\u0647")
_MARKS = re.compile("[\u064b-\u0652\u0640]")


def fold(s: str) -> str:
    return _MARKS.sub("", s).translate(_FOLD)


def harmonic_rr(n: int) -> float:
    """Expected reciprocal rank of one article among n in random order."""
    return sum(1 / i for i in range(1, n + 1)) / n


def ceilings(rows: list[dict], extra: list[dict], probes: list[tuple]) -> dict:
    docs = [(r["docno"], r["text"]) for r in rows + extra]
    bytext: dict[str, set] = collections.defaultdict(set)
    for d, t in docs:
        bytext[t].add(d)
    same = {d: bytext[t] for d, t in docs}  # a verbatim duplicate under another docno counts as the source
    out = {}
    for label, pool in (("sample", docs[:len(rows)]), ("with_distractors", docs)):
        exact: dict[str, dict] = collections.defaultdict(dict)  # word -> {docno: count}
        folded: dict[str, set] = collections.defaultdict(set)
        for d, t in pool:
            for w, k in collections.Counter(WORD.findall(t)).items():
                exact[w][d] = k
                folded[fold(w)].add(d)
        sums = collections.Counter()
        kinds: dict[str, list] = collections.defaultdict(list)
        for rid, kind, typed, w in probes:
            src = same[rid]
            holders = exact[w]
            others = [k for d, k in holders.items() if d not in src]
            k_src = next((k for d, k in holders.items() if d in src), 0)
            r_source = harmonic_rr(len(others) + 1)
            r_tf = harmonic_rr(sum(k == k_src for k in others) + 1)
            t1 = folded[fold(typed)]
            n1 = len(t1 - src)
            if src & t1:
                r_typed = harmonic_rr(n1 + 1)
            else:  # the source below every article holding the typed word, in random order among the second tier
                n2 = len((folded[fold(w)] - t1) - src) + 1
                r_typed = sum(1 / (n1 + i) for i in range(1, n2 + 1)) / n2
            sums.update({"typed": r_typed, "source_form": r_source, "source_form_tf": r_tf})
            kinds[kind].append(r_typed)
        n = len(probes)
        out[label] = {"articles": len(pool), "probes": n, **{k: round(v / n, 3) for k, v in sums.items()},
                      "typed_by_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(kinds.items())}}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outlet", default="aawsat")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--extra", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--json")
    a = ap.parse_args()
    if not PROBE.exists():
        print(f"needs {PROBE} (../shared beside the checkout)", file=sys.stderr)
        return 2
    import search_probe as bench_probe  # bench/search_probe.py: the same sample and distractors

    spec = importlib.util.spec_from_file_location("shared_search_probe", PROBE)
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    rows = bench_probe.pick_sample(a.outlet, a.n, a.seed)
    extra = bench_probe.pick_extra(a.extra, a.seed, {r["text"] for r in rows})
    probes = shared.probes(rows)
    res = {"outlet": a.outlet, **ceilings(rows, extra, probes)}
    for label in ("sample", "with_distractors"):
        r = res[label]
        print(f"{r['articles']:>6,} articles, {r['probes']:,} probes: MRR ceiling typed {r['typed']:.3f}, "
              f"source form {r['source_form']:.3f}, source form + its count {r['source_form_tf']:.3f}; "
              f"typed by kind {r['typed_by_kind']}")
    if a.json:
        Path(a.json).write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
