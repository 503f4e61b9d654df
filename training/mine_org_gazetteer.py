"""Mine a gazetteer of organisation names from the unlabelled news (issue 16).

    python training/mine_org_gazetteer.py [--news ../shared/data/news] [--out khabar/resources/lexicon/orgs_mined.tsv]

An organisation name in Arabic news usually opens with a head noun (وزارة، جامعة، شرطة، وكالة، حركة، مؤتمر ...:
the heads of the shared inventory, khabar.lexicon.organisations).  For every head occurrence in the ~58k articles of
ANT v2.1 and SaudiNewsNet (the gold articles of ../shared/gold/*/articles left out), the phrases head + 1..4
following words are counted.  A phrase is kept when
  * it is frequent (>= MIN_COUNT occurrences) and written by several outlets (>= MIN_SOURCES sources), so that it is
    a name the press shares, not one site's boilerplate;
  * it is complete: no more than MAX_CONT of its occurrences continue with one same word (else the longer phrase is
    the name, and is kept on its own if it passes), and it does not end with a function word, a title, a generic
    head or a descriptive adjective;
  * the word after the head is a name, not a common noun: its form with ال is rare (<= MAX_DEFINITE per bare form);
  * its head is indefinite and the word after it a name, not a definite noun or an adjective (جامعة ساسيكس, شرطة
    لندن, حركة طالبان, مؤتمر ميونخ للأمن; not مؤتمر صحفي): head + definite nouns and nisba adjectives (وزارة
    الخارجية الأمريكية, الحكومة البريطانية) are left to the phrase rules, which know the descriptions.
Output: one folded-free surface form per line, ``org<TAB>name<TAB>count<TAB>sources``.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.lexicon import organisations, roles  # noqa: E402
from khabar.text.normalize import fold  # noqa: E402

MIN_COUNT = 25
MIN_SOURCES = 2
MAX_CONT = 0.6
MAX_DEFINITE = 0.2  # a name rarely takes ال: the second word's definite form at most this often per bare form
FUNCTION = set("في من على إلى الى عن مع أن إن أنه انه التي الذي الذين لا لم لن قد ما هذا هذه ذلك تلك كما بعد قبل "
               "خلال حول ضد بين عند منذ حتى أو او ثم بل كل بعض غير إذ اذا إذا لدى عبر و ف وهو وهي هو هي".split())
DESCRIPTIVE = {"الرسمية", "الرسمي", "الحكومية", "الحكومي", "المحلية", "المحلي", "الرئيسي", "الرئيسية", "المعني",
               "المعنية", "الجديدة", "الجديد", "التابعة", "التابع", "السابق", "السابقة", "الحالي", "الحالية",
               "العام", "العامة", "الخاصة", "الخاص", "المختصة", "المختص", "الأخرى", "الاخرى"}
PRONOUN_WORDS = {"بلاده", "بلادها", "بلادهم", "سموه", "أمس", "ان", "أن", "إن", "تضم", "تقوده", "تقودها", "واحدة",
                 "مسؤوليته", "المتطرف", "المتشدد", "الإرهابي", "الارهابي",
                 "أوف", "اوف", "ذا", "دي", "دو", "أند"}  # the function words of foreign names: a cut name
ARMED = {fold(x) for x in "قوات ميليشيات ميليشيا مليشيات مليشيا جيش".split()}
NOT_MINED = {"تنظيم", "مديرية"}  # an action noun (تنظيم كأس العالم) / an administrative district (a place)
WORD = re.compile(r"[\u0621-\u064a\u0660-\u0669A-Za-z0-9]+")
DIAC = re.compile("[\u064b-\u065f\u0670\u0640]")


def texts(news: Path, gold_texts: list):
    """(source, text) of each article, those of the gold (dev, dev2, seed, held-out) left out: an article is left
    out when a stretch of 80 characters of its body occurs in a gold text."""
    gold = "\n".join(" ".join(t.split()) for t in gold_texts)
    for name, key_src in (("ant_v2.1.jsonl.gz", "src"), ("saudinewsnet.jsonl.gz", "source")):
        with gzip.open(news / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                body = d.get("content") or d.get("text") or ""
                flat = " ".join(body.split())
                if len(flat) > 300 and flat[200:280] in gold or len(flat) <= 300 and flat[:80] in gold:
                    continue
                yield d.get(key_src) or "", body


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "data" / "news")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--out", type=Path, default=ROOT / "khabar" / "resources" / "lexicon" / "orgs_mined.tsv")
    a = ap.parse_args(argv)
    gold_texts = [json.load(open(p, encoding="utf-8")).get("text", "") for p in a.gold.glob("*/articles/*.json")]
    inv = organisations()
    heads = {h for h in inv["heads"] if not h.startswith("ال") and h not in {fold(x) for x in NOT_MINED}}
    generic = inv["generic"]
    known = set(inv["names"]) | set(inv["ambiguous"])
    titles = {w for w, (k, _g, _c) in roles().items() if k == "title"}
    count = collections.Counter()
    sources = collections.defaultdict(set)
    cont = collections.defaultdict(collections.Counter)
    unigrams = collections.Counter()
    n_docs = 0
    for src, text in texts(a.news, gold_texts):
        n_docs += 1
        for sent in re.split(r"[.،,:;؛!?؟()\[\]«»\"“”\n-]+", DIAC.sub("", text)):
            words = WORD.findall(sent)
            unigrams.update(words)
            for i, w in enumerate(words):
                fw = fold(w)
                h = fw if fw in heads else (fw[1:] if fw[:1] in "وفبل" and fw[1:] in heads else None)
                if h is None:
                    continue
                for k in range(1, 5):
                    if i + k >= len(words):
                        break
                    phrase = " ".join([w if fw == h else w[1:]] + words[i + 1:i + k + 1])
                    count[phrase] += 1
                    sources[phrase].add(src)
                    if i + k + 1 < len(words):
                        cont[phrase][words[i + k + 1]] += 1
    kept = []
    for p, c in count.items():
        if c < MIN_COUNT or len(sources[p]) < MIN_SOURCES:
            continue
        ws = p.split()
        last, second = fold(ws[-1]), fold(ws[1])
        if ws[-1] in FUNCTION or last in titles or last in generic or ws[-1] in DESCRIPTIVE or second in generic \
                or second in titles or fold(ws[1]) in {fold(x) for x in FUNCTION} or ws[1].isdigit() and len(ws) == 2:
            continue
        if any(x in FUNCTION for x in ws[1:]):
            continue
        w1 = fold(ws[1])
        if w1.startswith("ال") or w1.startswith("لل"):
            continue  # head + definite nouns / nisba: the phrase rules' work
        bare, definite = unigrams[ws[1]], unigrams["ال" + ws[1]] + unigrams["وال" + ws[1]]
        if definite > MAX_DEFINITE * (bare + 1):
            continue  # مركز أبحاث، شركة طيران، مجلس إدارة: the word is a common noun (الأبحاث), not a name
        if w1.endswith(("ية", "ي")) and len(w1) > 3 or w1.isdigit() or fold(ws[0]) in generic | {"ادارة"}:
            continue  # مؤتمر صحفي، منظمة خيرية: an indefinite adjective describes; إدارة ترامب
        if last.startswith("ال") and last.endswith(("ية", "ي")) and len(ws) > 2 and \
                not any(fold(x).startswith(("ال", "لل")) for x in ws[1:-1]):
            continue  # حزب الله اللبناني: a trailing nisba after a name describes it
        if len(ws[-1]) <= 2 or ws[-1] in PRONOUN_WORDS or fold(ws[-1]).endswith(("ته", "تها", "ادة")) and len(ws) == 2:
            continue  # شبكة سي، سفارة بلاده، مجلس إدارته: a cut name or a pronoun
        if fold(ws[0]) in ARMED and len(ws) < 3:
            continue  # قوات صالح، ميليشيات إيران: an armed force of a person or a state is a description
        if any(" ".join(fold(x, search=True) for x in ws[1:k]) in known for k in range(2, len(ws) + 1)):
            continue  # تنظيم داعش، حركة حماس: the known name is the name, the head describes it
        conts = cont[p]
        if conts and sum(v for w, v in conts.items() if w.startswith("ال") and not w.endswith(("ي", "ية"))) \
                > 0.5 * sum(conts.values()):
            continue  # شرطة مكافحة (الإرهاب، الشغب): a construct that goes on, the phrase is cut
        top = cont[p].most_common(1)
        if top and top[0][1] > MAX_CONT * c:
            continue
        kept.append((p, c, len(sources[p])))
    kept.sort(key=lambda x: -x[1])
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write(f"# mined by training/mine_org_gazetteer.py from {n_docs} articles (ANT v2.1 + SaudiNewsNet, gold "
                 f"articles left out): MIN_COUNT={MIN_COUNT} MIN_SOURCES={MIN_SOURCES} MAX_CONT={MAX_CONT} "
                 f"MAX_DEFINITE={MAX_DEFINITE}\n"
                 "# kind\tname\tcount\tsources\n")
        for p, c, s in kept:
            fh.write(f"org\t{p}\t{c}\t{s}\n")
    print(f"{n_docs} articles, {len(kept)} phrases -> {a.out}")


if __name__ == "__main__":
    main()
