"""Mine organisation names with their modifiers from the unlabelled news, labelled by the tagger itself (issue 16).

    python training/mine_org_names.py [--news ../shared/data/news] [--every 4] \
        [--out khabar/resources/lexicon/orgs_mined_names.tsv]

``mine_org_gazetteer.py`` keeps the phrases head + name (جامعة ساسيكس، شرطة لندن); this script covers the phrases
whose head is followed by definite nouns, nisba adjectives and ل complements (هيئة سوق العمل، المفوضية الأوروبية،
عصائب أهل الحق، برنامج الأمم المتحدة الإنمائي), where the words alone cannot tell a name from a description
(حركة المرور، إدارة الكرة، قوات الأمن).  The evidence is how the press writes them, read through the CRF tagger
(trained on ANERcorp + AQMAR, no news gold) over every ``--every``-th article of ANT v2.1 and SaudiNewsNet (the gold
articles of ../shared/gold left out):

for every occurrence of an organisation head (the shared inventory's heads, generic heads such as الحكومة left out)
the phrases head + 1..4 following words are counted, with how often the tagger reads all of the phrase inside one
ORG name that starts at the head (``covered``) and how often that name ends exactly there (``whole``).  A phrase is
kept as a name when it has >= MIN_COUNT occurrences from >= MIN_SOURCES outlets, is covered in >= MIN_ORG_RATE of
them and ends there in >= MIN_WHOLE_RATE of the covered ones, no one same word follows it in more than MAX_CONT of
its occurrences (else it is a cut name: الوكالة الوطنية للإعلام), and its last word is not a function word or a
describing adjective; a shorter phrase that is a prefix of a kept one stays if it passes on its own.

The tagger cannot tell a description (حركة المرور) from a name the other way round: it leaves most ministries
untagged (وزارة الخارجية, an ANERcorp convention), so its silence is no evidence and only its names are kept.
No threshold was tuned on the entity gold.  Output rows: ``org<TAB>phrase<TAB>count<TAB>sources<TAB>covered``.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from khabar.document import Document  # noqa: E402
from khabar.lexicon import organisations  # noqa: E402
from khabar.ner.entities import _DESCRIPTIVE, _STOP_DEFINITE, _word_info, windows  # noqa: E402
from khabar.ner.tagger import get_tagger  # noqa: E402
from khabar.pipeline import Pipeline  # noqa: E402
from khabar.text.normalize import fold  # noqa: E402
from khabar.text.tokenize import _kind  # noqa: E402
from mine_org_gazetteer import FUNCTION, texts  # noqa: E402

MIN_COUNT = 10
MIN_SOURCES = 2
MIN_ORG_RATE = 0.5
MIN_WHOLE_RATE = 0.5
MAX_CONT = 0.5
MAX_LEN = 4  # words after the head


def phrase_ok(ws: list[str], function: set, media_nouns: frozenset) -> bool:
    """The phrase's own words allow a name the entity pass can use as one: not closed by a function word, a
    describing adjective or a number; not a media noun or نادي + name (the entity pass names the word after them:
    صحيفة التلغراف → التلغراف), not head + indefinite adjective (منظمة دولية), not an armed body + one word (قوات
    هادي، ميليشيات إيران: the entity pass reads them as descriptions)."""
    last = fold(ws[-1])
    if last in function or ws[-1] in _DESCRIPTIVE or last in _DESCRIPTIVE or len(ws[-1]) <= 2 \
            or fold(ws[1]) in function or ws[-1].isdigit():
        return False
    head, w1 = fold(ws[0], search=True), fold(ws[1])
    if head in media_nouns or head in ("نادي", "النادي"):
        return False
    if not w1.startswith(("ال", "لل")) and w1.endswith(("ية", "ي")) and len(w1) > 3:
        return False
    if head in {fold(x, search=True) for x in ARMED} and len(ws) == 2:
        return False
    return True


ARMED = "قوات القوات ميليشيات الميليشيات مليشيات المليشيات ميليشيا الميليشيا مليشيا جيش الجيش".split()


def refilter(path: Path) -> None:
    """Apply ``phrase_ok`` again to the rows of an existing output (its counts stay): the filters on the words of a
    phrase do not depend on the counts, so this equals a fresh run with the current filters."""
    inv = organisations()
    function = {fold(x) for x in FUNCTION}
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [x for x in lines if x.startswith("#") or phrase_ok(x.split("\t")[1].split(), function,
                                                                  inv["media_nouns"])]
    path.write_text("".join(kept), encoding="utf-8")
    print(f"{path}: {len(lines) - len(kept)} rows dropped, {sum(not x.startswith('#') for x in kept)} kept")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "data" / "news")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--every", type=int, default=4, help="tag every N-th article (the tagger's time)")
    ap.add_argument("--limit", type=int, default=0, help="stop after this many articles (0: all)")
    ap.add_argument("--out", type=Path, default=ROOT / "khabar" / "resources" / "lexicon" / "orgs_mined_names.tsv")
    ap.add_argument("--refilter", type=Path, help="only apply the phrase filters again to this output file")
    a = ap.parse_args(argv)
    if a.refilter:
        return refilter(a.refilter)
    import json
    gold_texts = [json.load(open(p, encoding="utf-8")).get("text", "") for p in a.gold.glob("*/articles/*.json")]
    inv = organisations()
    heads = inv["heads"] - inv["generic"]
    known = set(inv["names"])
    pipe = Pipeline(only=["segments", "sentences"])
    tagger = get_tagger()
    function = {fold(x) for x in FUNCTION}
    count = collections.Counter()
    covered = collections.Counter()
    whole = collections.Counter()
    sources = collections.defaultdict(set)
    surface = collections.defaultdict(collections.Counter)
    cont = collections.defaultdict(collections.Counter)
    n_docs = 0
    t0 = time.time()
    for k, (src, text) in enumerate(texts(a.news, gold_texts)):
        if k % a.every:
            continue
        n_docs += 1
        if a.limit and n_docs > a.limit:
            break
        doc = pipe(Document(text=text[:20000]))
        tokens = doc.tokens
        firsts, chunks = windows(doc)
        for first, tags in zip(firsts, tagger.tag_many(chunks)):
            m = len(tags)
            for p in range(m):
                i = first + p
                info = _word_info(tokens, i)
                if info[3] not in heads:
                    continue
                head = doc.text[tokens.starts[i] + info[0]:tokens.ends[i]]
                if head.startswith("لل"):
                    head = "ا" + head[1:]  # للاتحاد الأوروبي: the name is read as its ال form
                words = [head]
                # the tagger's ORG name starts at the head (not inside a longer name: مجلس الأمن الدولي)
                org = tags[p] == "B-ORG" or tags[p] == "I-ORG" and (p == 0 or not tags[p - 1].endswith("ORG"))
                for L in range(1, MAX_LEN + 1):
                    q = p + L
                    if q >= m or _kind(tokens.strings[i + L]) != "word":
                        break
                    w = tokens.strings[i + L]
                    words.append(w)
                    key = fold(" ".join(words), search=True)
                    count[key] += 1
                    surface[key][" ".join(words)] += 1
                    sources[key].add(src)
                    if q + 1 < m:
                        cont[key][fold(tokens.strings[i + L + 1], search=True)] += 1
                    org = org and tags[q] == "I-ORG"
                    if org:
                        covered[key] += 1
                        if q + 1 >= m or tags[q + 1] != "I-ORG":
                            whole[key] += 1
                    if fold(w) in _STOP_DEFINITE:
                        break
        if n_docs % 1000 == 0:
            print(f"{n_docs} articles, {time.time() - t0:.0f} s", file=sys.stderr)
    kept = []
    for key, c in count.items():
        if c < MIN_COUNT or len(sources[key]) < MIN_SOURCES:
            continue
        ws = surface[key].most_common(1)[0][0].split()
        rate = covered[key] / c
        if rate < MIN_ORG_RATE or whole[key] < MIN_WHOLE_RATE * covered[key]:
            continue
        if not phrase_ok(ws, function, inv["media_nouns"]):
            continue
        top = cont[key].most_common(1)
        if top and top[0][1] > MAX_CONT * c:
            continue  # الوكالة الوطنية (للإعلام): one same word goes on after most of them, the name is cut
        if key in known:
            continue  # already a name of the inventory
        kept.append(("org", " ".join(ws), c, len(sources[key]), covered[key]))
    kept.sort(key=lambda x: -x[2])
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write(f"# mined by training/mine_org_names.py from {n_docs} articles (every {a.every}th of ANT v2.1 + "
                 f"SaudiNewsNet, gold articles left out), read by the CRF tagger: MIN_COUNT={MIN_COUNT} "
                 f"MIN_SOURCES={MIN_SOURCES} MIN_ORG_RATE={MIN_ORG_RATE} MIN_WHOLE_RATE={MIN_WHOLE_RATE} "
                 f"MAX_CONT={MAX_CONT}\n"
                 "# kind\tphrase\tcount\tsources\tcovered\n")
        for row in kept:
            fh.write("\t".join(map(str, row)) + "\n")
    print(f"{n_docs} articles, {len(kept)} names -> {a.out} ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
