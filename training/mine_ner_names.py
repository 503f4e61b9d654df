"""Mine name lists for the NER gazetteer from the unlabelled news, by the words that announce a name (issue 16).

    python training/mine_ner_names.py [--news ../shared/data/news] [--every 2] --out mined_names.tsv
    python training/train_ner.py --out DIR --reuse-word-stats --mined-names mined_names.tsv

Not shipped: as gazetteer features these names did not raise ANERcorp test (khabar/resources/ner/PROVENANCE.md).

No tagger and no annotated corpus is read: a word is evidence for a type by the word before it in the news of
ANT v2.1 and SaudiNewsNet (every ``--every``-th article, the gold articles of ../shared/gold left out, as
``mine_org_gazetteer.py`` leaves them out):

- PER: a person's title (roles.tsv ``title`` rows: الرئيس، الوزير، السيد، الشيخ ...), directly or after one definite
  word (الرئيس الأمريكي X، وزير الخارجية X);
- ORG: an indefinite organisation head (شركة، حزب، حركة، جماعة، منظمة، بنك، جامعة ...), or نادي/فريق/صحيفة/قناة/وكالة
  (after which a definite name is usual: نادي الهلال، صحيفة الرياض);
- LOC: a place noun (مدينة، العاصمة، محافظة، ولاية، بلدة، قرية، إقليم، جزيرة ...).

The word after the cue (its proclitics stripped, as the tagger's features strip them) must look like a name: Arabic,
three letters or more, not a function word nor (after a title) a plural in -ون, and (except after the ORG heads that take a definite name) without the
article and not a word whose ال form is more frequent in the news than itself (a common noun). A word is kept for a
type when it follows that type's cues at least MIN_CUE times from at least MIN_SOURCES outlets, in at least
MIN_CUE_RATE of all its occurrences, and that type has at least MIN_SHARE of its cue counts; for PER the word after
a kept first name is kept with it as a two-word name when the pair occurs MIN_CUE times after the cues.
No threshold was tuned on ANERcorp, AQMAR or the entity gold.  Output rows: ``type<TAB>name<TAB>cue count<TAB>
occurrences<TAB>sources`` (folded as khabar.ner.features.normalize folds).
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from khabar.ner.features import Resources, normalize, strip_clitics, tokenize  # noqa: E402
from mine_org_gazetteer import FUNCTION, texts  # noqa: E402

MIN_CUE = 5
MIN_SOURCES = 2
MIN_CUE_RATE = 0.1
MIN_SHARE = 0.7

ORG_HEADS = """شركة حزب حركة جماعة منظمة بنك مصرف جامعة مجموعة مؤسسة جمعية هيئة ائتلاف تحالف تنظيم""".split()
ORG_HEADS_DEF = """نادي فريق صحيفة جريدة مجلة قناة وكالة""".split()  # a definite name follows them too
# the second member of a title compound, not a name: المتحدث باسم، الأمين العام، خادم الحرمين، رئيس مجلس/وزراء ...
TITLE_COMPOUND = """باسم عام خادم سابق اول أول اعلى أعلى وزراء عهد""".split()
LOC_HEADS = """مدينة المدينة العاصمة عاصمة بلدة البلدة قرية القرية محافظة المحافظة ولاية الولاية إقليم الإقليم
    مقاطعة المقاطعة جزيرة جزر منطقة ضاحية حي مخيم""".split()


def _roles(kind: str) -> set[str]:
    out = set()
    for line in (ROOT / "khabar" / "resources" / "lexicon" / "roles.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith(kind + "\t"):
            w = line.split("\t")[1].strip()
            if " " not in w:
                out.add(normalize(w))
    return out


def _not_names() -> set[str]:
    """Organisation head nouns (roles.tsv org rows, orgs.tsv heads and generic heads), place nouns and the second
    members of title compounds: after a title they continue the title (رئيس مجلس الإدارة), they name no one."""
    out = _roles("org") | {normalize(w) for w in TITLE_COMPOUND + LOC_HEADS + ORG_HEADS + ORG_HEADS_DEF}
    for line in (ROOT / "khabar" / "resources" / "lexicon" / "orgs.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith(("head\t", "generic\t")):
            w = normalize(line.split("\t")[1].strip())
            out.add(w)
            out.add(w[2:] if w.startswith("ال") else w)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "data" / "news")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--every", type=int, default=2)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args(argv)
    gold_texts = [json.load(open(p, encoding="utf-8")).get("text", "") for p in a.gold.glob("*/articles/*.json")]
    rank = Resources.load().rank
    function = {normalize(w) for w in FUNCTION}
    cues: dict[str, str] = {}
    not_names = _not_names()
    for w in _roles("title"):
        cues[w] = "PER"
    for w in ORG_HEADS:
        cues[normalize(w)] = "ORG"
    for w in ORG_HEADS_DEF:
        cues[normalize(w)] = "ORGd"
    for w in LOC_HEADS:
        cues[normalize(w)] = "LOC"

    info: dict[str, tuple[str, bool]] = {}  # token -> (clitic-stripped form, may be a name)

    def word(t: str):
        r = info.get(t)
        if r is None:
            n = normalize(t)
            _pre, art, _bare = strip_clitics(n, rank)
            ok = len(art) >= 3 and art not in function and all("\u0621" <= c <= "\u064a" for c in art)
            r = info[t] = (art, ok)
        return r

    occ = collections.Counter()
    cue_count = collections.defaultdict(collections.Counter)  # word -> type -> count
    srcs = collections.defaultdict(set)  # (type, word) -> outlets
    pair = collections.Counter()  # (first, second) after a PER cue
    t0 = time.time()
    n_art = 0
    for k, (src, text) in enumerate(texts(a.news, gold_texts)):
        if k % a.every:
            continue
        n_art += 1
        toks = [word(t) for t in tokenize(text)]
        m = len(toks)
        for i, (w, ok) in enumerate(toks):
            occ[w] += 1
            c = cues.get(w)
            if c is None:
                continue
            j = i + 1
            if c == "PER" and j < m and toks[j][0].startswith("ال") and toks[j][0] not in cues:
                j += 1  # الرئيس الأمريكي X، وزير الخارجية X
            if j >= m:
                continue
            x, xok = toks[j]
            if not xok or x in cues or x in not_names:
                continue
            definite = x.startswith("ال")
            if definite and c != "ORGd":
                continue
            if not definite and rank.get("ال" + x, 1 << 30) < rank.get(x, 1 << 30):
                continue  # a common noun: its ال form is the more frequent
            typ = "ORG" if c == "ORGd" else c
            if typ == "PER" and x.endswith("ون"):
                continue  # a plural adjective of a group (مصادر أمنيون، ناشطون حقوقيون), not a name
            cue_count[x][typ] += 1
            srcs[(typ, x)].add(src)
            if typ == "PER" and j + 1 < m:
                y, yok = toks[j + 1]
                if yok and not y.startswith("ال") and y not in cues and y not in not_names:
                    pair[(x, y)] += 1
        if n_art % 2000 == 0:
            print(f"{time.strftime('%H:%M:%S')} {n_art} articles, {len(cue_count)} candidates", flush=True)
    rows = []
    kept_per = set()
    for x, cc in cue_count.items():
        typ, cnt = cc.most_common(1)[0]
        if cnt < MIN_CUE or cnt < MIN_SHARE * sum(cc.values()) or len(srcs[(typ, x)]) < MIN_SOURCES:
            continue
        if cnt < MIN_CUE_RATE * occ[x]:
            continue
        rows.append((typ, x, cnt, occ[x], len(srcs[(typ, x)])))
        if typ == "PER":
            kept_per.add(x)
    for (x, y), cnt in pair.items():
        if x in kept_per and cnt >= MIN_CUE:
            rows.append(("PER", f"{x} {y}", cnt, cnt, 0))
    rows.sort(key=lambda r: (r[0], -r[2], r[1]))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write(f"# mined by training/mine_ner_names.py from {n_art} articles (every {a.every}th of ANT v2.1 + "
                 f"SaudiNewsNet, gold articles left out), no tagger, no annotated corpus: MIN_CUE={MIN_CUE} "
                 f"MIN_SOURCES={MIN_SOURCES} MIN_CUE_RATE={MIN_CUE_RATE} MIN_SHARE={MIN_SHARE}\n")
        fh.write("# type\tname\tcue count\toccurrences\tsources (0: a pair after a kept first name)\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    c = collections.Counter(r[0] for r in rows)
    print(f"{time.strftime('%H:%M:%S')} {n_art} articles in {time.time() - t0:.0f}s: {dict(c)} -> {a.out}")


if __name__ == "__main__":
    main()
