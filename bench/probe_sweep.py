"""Replay khabar's one-word ranking on the search probe's queries under other weightings (issue 18).

    python bench/probe_sweep.py WORKDIR              # the --workdir of `bench/search_probe.py --dump`
    python bench/probe_sweep.py WORKDIR --db sample.db --dump-file dump1.jsonl   # the run without distractors

Every probe query is one word, ranked by :meth:`khabar.store.Store._ranked_alternatives`: the word's alternatives
(its own forms, then its stems) one after the other, and within one alternative by FTS5's BM25.  This script reads,
for each probe of the dump, the alternatives the store gives the word and, for each, the articles that hold it with
the term frequency, the first position and the article's length, straight from the FTS index (``fts5vocab``
``instance`` rows and ``doc_fts_docsize``).  It first checks that ranking them by the stored BM25 reproduces the
dump's rank of every probe, then prints the MRR the probe would get with:

* BM25's length normalisation ``b`` (0 … 1; FTS5 fixes 0.75).  ``k1`` is not swept: for one word, BM25's order
  within one form is that of ``tf / (1 - b + b * length / mean length)`` whatever ``k1``;
* a title or lead bonus: ``tf + bonus`` for an article whose first occurrence of the form is in its title, or in
  its first ``--lead`` words (what a title/lead field weight does for one word);
* the word's own forms pooled (one BM25 score per article over all of them, the closeness-times-idf of the form as
  its weight; the best form or the sum of the forms) instead of one form after the other;
* other closeness weights of the word's own forms (``khabar.store.query.CLOSENESS``: typed, less a clitic, a core
  as written, the core column), which order the forms by ``closeness * idf``;
* with ``b = 0`` (BM25 reduced to tf), the order among articles of equal tf: the store's rowid ascending (the
  probe's bench ingests the probed articles before the distractors, so this favours the source), descending, or
  a hash: what a tie-break alone would be worth, and why it is not a ranking signal.

Figures are per variant kind too (``--kinds``).  Nothing here changes the store; the weighting a sweep favours is
only worth taking if it also wins on probes of another outlet (tune on one workdir, report on another).
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import sqlite3
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WEIGHTS = {"surface": 4.0, "clitic": 2.0, "stem": 1.0}  # khabar.store.store._BM25_WEIGHTS


def _varints(b: bytes) -> list[int]:
    """The SQLite varints of an FTS5 ``docsize`` blob (tokens per column)."""
    out, v = [], 0
    for x in b:
        v = (v << 7) | (x & 0x7F)
        if not x & 0x80:
            out.append(v)
            v = 0
    return out


def collect(db: str, dump: str):
    """Per khabar probe of ``dump``: ``(probe, [(level, key, column, token, df, {rowid: (tf, first, bm25)})])``;
    with the store's article lengths (tokens over all columns), title lengths and external ids."""
    from khabar.store import Store
    from khabar.store.query import parse_query
    from khabar.store.views import text_views

    st = Store(db, readonly=True)
    st.search("الحكومة", limit=1)
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    c.execute("CREATE VIRTUAL TABLE temp.khabar_vi USING fts5vocab(main, 'doc_fts', 'instance')")
    lens = {r: sum(_varints(b)) for r, b in c.execute("SELECT id, sz FROM doc_fts_docsize")}
    ext = dict(c.execute("SELECT rowid, external_id FROM documents"))
    titles = {r: len(text_views(t or "")[0].split()) for r, t in c.execute("SELECT rowid, title FROM documents")}
    rows = [json.loads(x) for x in open(dump, encoding="utf-8")]
    rows = [r for r in rows if r["engine"].startswith("khabar")]
    out = []
    for r in rows:
        term = st._single_word(parse_query(r["query"]).root)
        alts = []
        for lvl, key, col, tok, df in st._alternatives_order(term):
            occ = collections.defaultdict(list)
            for doc, off in c.execute("SELECT doc, offset FROM khabar_vi WHERE term = ? AND col = ?", (tok, col)):
                occ[doc].append(off)
            bm = dict(c.execute("SELECT rowid, bm25(doc_fts, 4.0, 2.0, 1.0) FROM doc_fts WHERE doc_fts MATCH ?",
                                (f'{col} : "{tok}"',)))
            alts.append((lvl, key, col, tok, df, {d: (len(o), min(o), bm.get(d)) for d, o in occ.items()}))
        out.append((r, alts))
    st.close()
    return out, lens, ext, titles


class Sweep:
    def __init__(self, data, lens, ext, titles, lead: int):
        self.data, self.lens, self.ext, self.titles, self.lead = data, lens, ext, titles, lead
        self.avg = sum(lens.values()) / max(1, len(lens))

    def _rank(self, r, order) -> int | None:
        return next((j + 1 for j, d in enumerate(order) if self.ext[d] == r["rid"]), None)

    def reorder(self, closeness):
        """The probes with each word's own forms ordered by ``closeness * idf`` with other closeness weights (the
        store's weight of each form recovered from its key: ``-closeness * idf``)."""
        from khabar.store.query import CLOSENESS

        n = max(self.ext)
        out = []
        for r, alts in self.data:
            def key(a):
                lvl, k, _col, _tok, df, _docs = a
                if lvl:
                    return (lvl, k)
                idf = math.log((n + 1) / (df + 0.5))
                c = min(range(len(CLOSENESS)), key=lambda i: abs(CLOSENESS[i] + k / idf))
                return (0, -closeness[c] * idf)
            out.append((r, sorted(alts, key=key)))
        return out

    def run(self, score=None, tie=lambda d: d, pooled: str | None = None, data=None):
        """MRR (all, per kind) and the share ranked first.  ``score(tf, first, rowid, col)``: higher first, one
        alternative after the other; ``pooled``: ``max``/``sum`` of ``key * score`` over the own forms."""
        per = collections.defaultdict(list)
        first = 0
        for r, alts in (data or self.data):
            if pooled:
                sc, s1 = collections.defaultdict(float), collections.defaultdict(float)
                for lvl, key, col, _tok, _df, docs in alts:
                    tgt = sc if lvl == 0 else s1
                    for d, (tf, off, _bm) in docs.items():
                        v = -key * score(tf, off, d, col) if lvl == 0 else score(tf, off, d, col)
                        tgt[d] = max(tgt[d], v) if pooled == "max" else tgt[d] + v
                order = sorted(sc, key=lambda d: (-sc[d], tie(d))) + \
                    sorted((d for d in s1 if d not in sc), key=lambda d: (-s1[d], tie(d)))
            else:
                order, seen = [], set()
                for _lvl, _key, col, _tok, _df, docs in alts:
                    if score is None:  # the stored BM25 (lower is better), rowid ascending: the store's order
                        items = sorted(docs, key=lambda d: (docs[d][2], d))
                    else:
                        items = sorted(docs, key=lambda d: (-round(score(*docs[d][:2], d, col), 9), tie(d)))
                    for d in items:
                        if d not in seen:
                            seen.add(d)
                            order.append(d)
            rk = self._rank(r, order)
            per[r["kind"]].append(1 / rk if rk else 0.0)
            first += rk == 1
        allr = [x for v in per.values() for x in v]
        return statistics.mean(allr), {k: statistics.mean(v) for k, v in sorted(per.items())}, first / len(allr)

    def bm25(self, b: float = 0.75, k1: float = 1.2, title: float = 0.0, lead: float = 0.0):
        def score(tf, off, d, col):
            t = tf + (title if off < self.titles[d] else lead if off < self.titles[d] + self.lead else 0.0)
            f = WEIGHTS[col] * t
            return f * (k1 + 1) / (f + k1 * (1 - b + b * self.lens[d] / self.avg))
        return score


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workdir")
    ap.add_argument("--db", default="sample_extra.db")
    ap.add_argument("--dump-file", default="dump2.jsonl")
    ap.add_argument("--lead", type=int, default=40, help="words of the lead after the title (default 40)")
    ap.add_argument("--kinds", action="store_true", help="MRR per variant kind too")
    a = ap.parse_args()
    wd = Path(a.workdir)
    data, lens, ext, titles = collect(str(wd / a.db), str(wd / a.dump_file))
    sw = Sweep(data, lens, ext, titles, a.lead)
    bad = sum(sw._rank(r, [d for d in _store_order(alts)]) != r["rank"] for r, alts in data)
    print(f"{len(data)} probes on {len(lens):,} articles ({a.db}); replay of the store's order: {bad} ranks differ "
          f"from the dump")

    def show(label, res):
        mrr, kinds, first = res
        extra = ("  " + " ".join(f"{k} {v:.3f}" for k, v in kinds.items())) if a.kinds else ""
        print(f"  {label:44s} MRR {mrr:.3f}  first {first:.3f}{extra}")

    show("the store (FTS5 BM25, b 0.75)", sw.run())
    print("BM25 length normalisation b (ties: rowid descending):")
    for b in (0.0, 0.1, 0.25, 0.5, 0.75, 1.0):
        show(f"b {b}", sw.run(sw.bm25(b=b), tie=lambda d: -d))
    print("title / lead bonus added to tf (b 0.75):")
    for t, l in ((0.5, 0.0), (1.0, 0.0), (2.0, 0.0), (0.0, 0.5), (0.0, 1.0), (1.0, 1.0), (2.0, 1.0)):
        show(f"title +{t}, lead +{l}", sw.run(sw.bm25(title=t, lead=l), tie=lambda d: -d))
    print("own forms pooled (closeness * idf * BM25 tf part):")
    for agg in ("max", "sum"):
        for k1 in (0.3, 1.2):
            for b in (0.25, 0.75):
                show(f"{agg}, k1 {k1}, b {b}", sw.run(sw.bm25(b=b, k1=k1), tie=lambda d: -d, pooled=agg))
    print("closeness weights of the own forms (typed, less a clitic, a core as written, the core column):")
    for cl in ((1.0, 0.9, 0.8, 0.75), (1.0, 1.0, 1.0, 1.0), (1.0, 0.9, 0.6, 0.6), (1.0, 0.8, 0.6, 0.6),
               (1.0, 0.7, 0.6, 0.6), (1.0, 0.8, 0.8, 0.75), (1.0, 1.0, 0.8, 0.75)):
        show("closeness " + " ".join(str(x) for x in cl), sw.run(data=sw.reorder(cl)))
    print("b 0 (tf alone), ties broken by:")
    for name, tie in (("rowid ascending (probed articles first)", lambda d: d), ("rowid descending", lambda d: -d),
                      ("a hash of the rowid", lambda d: hashlib.md5(str(d).encode()).digest())):
        show(name, sw.run(sw.bm25(b=0.0), tie=tie))
    return 0


def _store_order(alts):
    order, seen = [], set()
    for _lvl, _key, _col, _tok, _df, docs in alts:
        for d in sorted(docs, key=lambda d: (docs[d][2], d)):
            if d not in seen:
                seen.add(d)
                order.append(d)
    return order


if __name__ == "__main__":
    sys.exit(main())
