"""Label-free check of the organisations the entity pass finds in unlabelled news (issue 16).

    python training/org_plausibility.py [--n 2000] [--samples 20] [--seed 7]

Runs the ``entities`` stage over ``--n`` articles of ANT v2.1 + SaudiNewsNet (every k-th, the gold articles left
out) and counts the ORG entities that cannot be a name, whatever the article says:
  * ``fragment``: one word of at most two letters (سي، ام), or a name cut inside a word -- its first word is not
    in the corpus word list while the same word with the letter before it is (وسطن for بوسطن);
  * ``common``: only generic nouns, titles or function words (الشركة، الوزارة، المتحدث), or one head noun without
    the article (حزب، شركة);
  * ``cut``: it ends with a function word, a title, a head noun without the article or a describing adjective
    (قوات العمالقة العميد، مجلس إدارة، وكالة الأنباء الرسمية);
  * ``nisba``: a proper name closed by a nationality adjective (نيويورك بوست الأمريكية: the adjective is not part
    of the name).
Prints the rate of each over all ORG entities (distinct per article), and ``--samples`` flagged and plain ORG
entities drawn at random, to read.  Run it with PYTHONPATH at two checkouts to compare before/after.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import khabar  # noqa: E402
from khabar.lexicon import organisations, roles  # noqa: E402
from khabar.ner.features import normalize  # noqa: E402
from khabar.ner.tagger import get_tagger  # noqa: E402
from khabar.text.normalize import fold  # noqa: E402
from mine_org_gazetteer import FUNCTION, texts  # noqa: E402

DESCRIPTIVE = {fold(x) for x in ("الرسمية الرسمي الحكومية الحكومي المحلية المحلي الرئيسي الرئيسية المعني المعنية "
                                 "الجديدة الجديد التابعة التابع السابق السابقة الحالي الحالية المذكورة").split()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "data" / "news")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--every", type=int, default=29)
    ap.add_argument("--samples", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="write the counts and samples here")
    a = ap.parse_args(argv)
    gold_texts = [json.load(open(p, encoding="utf-8")).get("text", "") for p in a.gold.glob("*/articles/*.json")]
    inv = organisations()
    heads = set(inv["heads"]) | set(inv["generic"])
    titles = {w for w, (k, _g, _c) in roles().items() if k == "title" and " " not in w}
    function = {fold(x) for x in FUNCTION}
    rank = get_tagger().resources.rank
    import importlib.resources as res
    nisbas = set()
    for line in res.files("khabar").joinpath("resources", "actors", "countries.tsv").read_text("utf-8").splitlines():
        cols = (line.split("\t") + [""] * 5)[:5]
        if not line.startswith("#"):
            for stem in filter(None, cols[4].split("|")):
                nisbas.update({"ال" + fold(stem), "ال" + fold(stem) + "ة"})
    common_words = set(inv["generic"]) | titles | function

    def flags(name: str, before: str) -> list[str]:
        ws = [fold(w) for w in name.split()]
        out = []
        if len(ws) == 1 and len(ws[0]) <= 2:
            out.append("fragment")
        n0 = normalize(name.split()[0])
        if before and n0 not in rank and normalize(before + name.split()[0]) in rank:
            out.append("fragment")
        if all(w in common_words for w in ws) or (len(ws) == 1 and ws[0] in heads and not ws[0].startswith("ال")):
            out.append("common")
        elif len(ws) > 1 and ((ws[-1] in function and len(ws[-1]) > 2) or ws[-1] in titles or ws[-1] in DESCRIPTIVE
                              or (ws[-1] in heads and not ws[-1].startswith("ال"))):
            out.append("cut")
        if len(ws) >= 3 and ws[-1] in nisbas and not ws[0].startswith("ال") and ws[0] not in heads \
                and not ws[-2].startswith("ال"):
            out.append("nisba")
        return sorted(set(out))

    pipe_docs = []
    for k, (_src, text) in enumerate(texts(a.news, gold_texts)):
        if k % a.every == 0:
            pipe_docs.append(text[:20000])
        if len(pipe_docs) >= a.n:
            break
    n_org = 0
    counts = collections.Counter()
    flagged, plain = [], []
    for text in pipe_docs:
        d = khabar.analyze(text, only=["entities"])
        seen = set()
        for e in d.layers["entities"]:
            if e.label != "ORG":
                continue
            name = text[e.start:e.end]
            if name in seen:
                continue
            seen.add(name)
            n_org += 1
            before = text[e.start - 1:e.start] if e.start and not text[e.start - 1].isspace() else ""
            f = flags(name, before)
            for x in f:
                counts[x] += 1
            ctx = text[max(0, e.start - 30):e.end + 30].replace("\n", " ")
            (flagged if f else plain).append((name, ",".join(f), ctx))
    bad = len(flagged)
    print(f"{len(pipe_docs)} articles, {n_org} ORG entities (distinct per article), implausible {bad} "
          f"({bad / max(n_org, 1):.1%}): " + ", ".join(f"{k} {v} ({v / max(n_org, 1):.1%})"
                                                        for k, v in sorted(counts.items())))
    rnd = random.Random(a.seed)
    for title, rows in (("flagged", flagged), ("plain", plain)):
        print(f"-- {a.samples} {title} ORG entities at random")
        for name, f, ctx in rnd.sample(rows, min(a.samples, len(rows))):
            print(f"  [{f or 'ok'}] {name}  <<{ctx}>>")
    if a.json:
        a.json.write_text(json.dumps({"articles": len(pipe_docs), "org": n_org, "implausible": bad,
                                      "by_flag": counts}, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
