"""Benchmark of the store: ingest speed, storing overhead over analysis, search latency, recall on variants.

    python bench/bench_store.py                       # 300 ANT articles (or the bundled demo corpus)
    python bench/bench_store.py --limit 27549 --jobs 2  # the whole ANT corpus
    python bench/bench_store.py --search-only --db all.db --limit 2000        # search on an existing store
    python bench/bench_store.py --synthetic 1000000 --from-db all.db --db big.db  # a store of real paragraphs
    python bench/bench_store.py --synthetic 250000 --build-only --from-db all.db --db big.db  # ... by steps:
    python bench/bench_store.py --synthetic 250000 --build-only --from-db all.db --db big.db  # 500,000 in all
    python bench/bench_store.py --search-only --db big.db --limit 2000 --clock cpu [--count bounded]

Prints (and with ``--json`` writes) four figures, each against a baseline measured in the same run:

* ingest: articles/s of ``Store.ingest_documents`` (analysis + storing), and the ratio of its time to the
  analysis alone (same articles, same pipeline, in this process);
* storing alone: prepared rows + SQLite writes of already analysed documents, per article;
* search latency: p50/p95 of ``Store.search`` (limit 10, with snippets) over sampled queries (one word, two
  words, a phrase, a prefix), overall and per kind, plus each word again with an outlet filter and without
  snippets;
* recall on (word, variant) pairs sampled from the corpus: a word of an article and a spelling a reader could
  type for it (hamza, clitic, diacritic, ta marbuta).  A pair counts when searching the variant finds that
  article; ``stem`` mode is compared with ``exact`` mode (the folded surface form alone) as the baseline.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.document import Document  # noqa: E402
from khabar.io.readers import document_from_record  # noqa: E402
from khabar.store import Store  # noqa: E402
from khabar.store.rows import prepare  # noqa: E402
from khabar.text.tokenize import iter_tokens  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "news" / "ant_v2.1.jsonl.gz"
DEMO = ROOT / "khabar" / "data" / "demo" / "ant_cnn_bbc_demo.jsonl.gz"
HARAKAT = "\u064e\u064f\u0650"


def load(path: Path, limit: int) -> list[Document]:
    docs, seen = [], set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            try:
                d = document_from_record(r, "bench")
            except Exception:
                continue
            if r.get("label"):
                d = Document(d.text, {**d.meta, "topic": r["label"]}, {}, d.id)
            if d.id in seen:
                continue
            seen.add(d.id)
            docs.append(d)
            if len(docs) >= limit:
                break
    return docs


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def arabic_words(text: str):
    for s, e, kind in iter_tokens(text):
        if kind == "word":
            w = text[s:e]
            if len(w) >= 4 and all("\u0621" <= c <= "\u064a" for c in w):
                yield w


def make_variant(word: str, kind: str, rng: random.Random) -> str | None:
    if kind == "hamza":
        if word[0] in "أإآ":
            return "ا" + word[1:]
        if word.startswith("ال") and len(word) > 3 and word[2] in "أإ":
            return word[:2] + "ا" + word[3:]
        if word[0] == "ا":
            return rng.choice("أإ") + word[1:]
        if word.endswith("ى"):
            return word[:-1] + "ي"
        return None
    if kind == "clitic":
        # realistic forms only: take a conjunction/preposition off a word that has one, or put one on a word
        # that has none (a word already starting with و ف ب ل ك is left out: stacking would be ungrammatical)
        if word.startswith(("وال", "بال", "فال", "كال")):
            return word[1:]
        if word.startswith("لل"):
            return "ال" + word[2:]
        if word.startswith("ال"):
            return rng.choice(["و", "ب", "ف"]) + word
        if word[0] in "وفبلك":
            return None
        return rng.choice(["و", "ل", "ب"]) + word
    if kind == "diacritic":
        chars = list(word)
        for i in sorted(rng.sample(range(len(chars)), k=min(2, len(chars))), reverse=True):
            chars.insert(i + 1, rng.choice(HARAKAT))
        return "".join(chars)
    if kind == "ta_marbuta":
        if word.endswith("ة"):
            return word[:-1] + "ه"
        if word.endswith("ه"):
            return word[:-1] + "ة"
        return None
    raise ValueError(kind)


def build_synthetic(src: str, out: str, n: int, seed: int = 13, pool: int = 40_000, batch: int = 20_000,
                    automerge: int = 16) -> int:
    """A store of ``n`` articles made of real paragraphs: ``pool`` paragraphs (over 40 characters) drawn at random
    from the articles of the store ``src`` (opened read-only), each indexed once as khabar indexes it (its three
    search views, :func:`khabar.store.views.text_views`), and each synthetic article 2-6 of them at random under a
    real title, outlet and date.  Rows are written directly (no analysis: the text-core-only ingest of 1,000,000
    articles would take hours on this machine): an article's views are its title's views followed by its
    paragraphs' views, the very strings ``khabar reindex`` computes from its text (no word crosses a line), so the
    store searches like a real one, but its vocabulary is that of the pool.  Returns the articles written.

    Written as a bulk load: the store is made by :class:`Store` (same schema and meta), then filled through a
    connection of its own with ``journal_mode=OFF`` and ``synchronous=OFF`` (a crash leaves a broken file: it
    is scratch until the build ends), ``batch`` articles per transaction by ``executemany``, the documents'
    secondary indexes dropped during the load and made again after it, FTS5 merging ``automerge`` segments at a
    time (fewer merge passes than the default 4; set back to 4 after) and one ``optimize`` at the end.  The file
    ends in WAL mode, as :class:`Store` makes it.

    When ``out`` exists (a synthetic store made from the same ``src`` with the same ``seed``), ``n`` more
    articles are added to it, numbered on from its last one: a store can grow by steps (250,000, 500,000,
    1,000,000) and be measured at each."""
    import hashlib
    import sqlite3

    from khabar.store.views import text_views

    rng = random.Random(seed)
    s = Store(src, readonly=True, time_limit=0)
    rows = s.execute("SELECT title, outlet, published, text FROM documents")
    splitter = s.splitter_name
    s.close()
    paras = [p.strip() for r in rows for p in r["text"].split("\n") if len(p.strip()) > 40]
    paras = rng.sample(paras, min(pool, len(paras)))
    heads = [(r["title"] or "", r["outlet"], r["published"]) for r in rows]
    del rows
    t = time.perf_counter()
    views = [text_views(p, splitter) for p in paras]
    tviews: dict = {}
    print(f"{len(paras)} paragraphs indexed in {time.perf_counter() - t:.0f} s", flush=True)
    st = Store(out)
    if st.execute("SELECT count(*) AS n FROM documents WHERE source != 'synthetic'")[0]["n"]:
        sys.exit(f"{out} holds articles that are not synthetic: give a new file")
    if st.splitter_name != splitter and st.execute("SELECT max(rowid) AS n FROM documents")[0]["n"]:
        sys.exit(f"{out} was indexed with another clitic splitter ({st.splitter_name}, not {splitter})")
    st._set_meta(clitic_splitter=splitter)
    st.close()
    c = sqlite3.connect(out, isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE", "temp_store = MEMORY",
                   "cache_size = -262144"):
        c.execute(f"PRAGMA {pragma}")
    indexes = c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' "
                        "AND sql IS NOT NULL").fetchall()
    for name, _sql in indexes:
        c.execute(f"DROP INDEX {name}")
    c.execute("INSERT INTO doc_fts(doc_fts, rank) VALUES ('automerge', ?)", (automerge,))
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    t = time.perf_counter()
    base = (c.execute("SELECT max(rowid) FROM documents").fetchone()[0] or 0) + 1
    if base > 1:  # the articles of a later step: drawn with a generator of their own, numbered on
        rng = random.Random(f"{seed}:{base}")
    sha1 = hashlib.sha1
    randrange, randint = rng.randrange, rng.randint
    n_paras, n_heads = len(paras), len(heads)
    first, last = base - 1, base - 1 + n
    for k0 in range(first, last, batch):
        docs, fts = [], []
        for k in range(k0, min(last, k0 + batch)):
            pick = [randrange(n_paras) for _ in range(randint(2, 6))]
            title, outlet, published = heads[randrange(n_heads)]
            text = "\n".join([paras[i] for i in pick])
            tv = tviews.get(title)
            if tv is None:
                tv = tviews[title] = text_views(title, splitter) if title else ("", "", "")
            pv = [views[i] for i in pick]
            v = [" ".join([tv[j]] + [x[j] for x in pv]).strip() for j in range(3)]
            rid = 1 + k
            docs.append((rid, sha1(f"{seed}:{k}:{text}".encode()).hexdigest()[:16], f"synthetic-{k}", title, outlet,
                         published, text, len(text), v[0].count(" ") + 1, "synthetic", now))
            fts.append((rid, *v))
        c.execute("BEGIN")
        c.executemany("INSERT INTO documents (rowid, id, external_id, title, outlet, published, text, n_chars, "
                      "n_words, source, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
        c.executemany("INSERT INTO doc_fts(rowid, surface, clitic, stem) VALUES (?, ?, ?, ?)", fts)
        c.execute("COMMIT")
        done = min(last, k0 + batch)
        if done % 100_000 < batch or done == last:
            el = time.perf_counter() - t
            print(f"  {done} articles, {el:.0f} s ({(done - first) / el:.0f}/s)", flush=True)
    t2 = time.perf_counter()
    for _name, sql in indexes:
        c.execute(sql)
    print(f"  documents' indexes made in {time.perf_counter() - t2:.0f} s", flush=True)
    t2 = time.perf_counter()
    c.execute("INSERT INTO doc_fts(doc_fts) VALUES ('optimize')")
    c.execute("INSERT INTO doc_fts(doc_fts, rank) VALUES ('automerge', 4)")
    print(f"  full-text index optimised in {time.perf_counter() - t2:.0f} s", flush=True)
    c.execute("PRAGMA locking_mode = NORMAL")
    c.execute("PRAGMA journal_mode = WAL")
    c.close()
    print(f"{n} synthetic articles written in {time.perf_counter() - t:.0f} s into {out} ({last} in all)",
          flush=True)
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ANT if ANT.exists() else DEMO), help="jsonl.gz of articles")
    ap.add_argument("--limit", type=int, default=300, help="articles to use (default 300; ANT has 27,549)")
    ap.add_argument("--only", default=None, help="pipeline stages (comma-separated); default: default pipeline")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for ingest (default 1)")
    ap.add_argument("--queries", type=int, default=200, help="sampled search queries (default 200)")
    ap.add_argument("--pairs", type=int, default=100, help="sampled (word, variant) pairs per kind (default 100)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="search latencies in wall-clock time (default) or in this process's CPU time")
    ap.add_argument("--count", choices=("exact", "bounded"), default="exact",
                    help="the timed searches count every match (exact, Store.search's default) or up to 1,000 "
                         "(bounded, as the web API does)")
    ap.add_argument("--db", default=None, help="database path (default: a temporary file)")
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    ap.add_argument("--dump", default=None, help="write each timed search's answer (total, hits' ids, scores, "
                    "snippets) to this JSONL file, to compare the answers of two versions of the code")
    ap.add_argument("--search-only", action="store_true",
                    help="measure search latency and recall on the existing database --db (e.g. all of ANT after "
                         "`khabar ingest`), on --limit sampled articles; no ingest")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N",
                    help="build --db as a store of N articles made of real paragraphs of the store --from-db "
                         "(see build_synthetic; an existing synthetic --db gains N more), then measure search on "
                         "it as --search-only does")
    ap.add_argument("--build-only", action="store_true", help="with --synthetic: build, do not measure")
    ap.add_argument("--from-db", default=None, help="the store whose paragraphs --synthetic mixes")
    args = ap.parse_args(argv)
    if args.synthetic:
        if not args.db or not args.from_db:
            sys.exit("--synthetic needs --from-db (an existing store) and --db (a new file, or a synthetic store "
                     "made before from the same --from-db, to which N articles are added)")
        build_synthetic(args.from_db, args.db, args.synthetic, args.seed)
        return 0 if args.build_only else search_figures(args)
    if args.search_only:
        return search_figures(args)

    from khabar.pipeline import Pipeline, default_pipeline, resolve_stages

    stages = resolve_stages(args.only.split(",")) if args.only else None
    pipe = Pipeline(stages) if stages else default_pipeline()
    probe = Document.from_text("قال وزير الخارجية الإيراني محمد جواد ظريف لوكالة رويترز يوم الأحد إن \"طهران لن "
                               "تتراجع\".")
    try:
        pipe(probe)
    except Exception as e:
        # a stage still being built: keep every stage that runs
        kept: list[str] = []
        for name in pipe.names:
            try:
                Pipeline(kept + [name])(probe)
                kept.append(name)
            except Exception:
                pass
        print(f"the pipeline fails ({type(e).__name__}: {e}); running the stages that work: {','.join(kept)}",
              file=sys.stderr)
        stages = kept
        pipe = Pipeline(stages)
    print(f"corpus {args.corpus}, pipeline {','.join(pipe.names)}")
    docs = load(Path(args.corpus), args.limit)
    n = len(docs)
    chars = sum(len(d.text) for d in docs)
    print(f"{n} articles, {chars / 1e6:.2f} M characters")
    out: dict = {"articles": n, "characters": chars, "pipeline": pipe.names, "corpus": args.corpus}

    # 1. analysis alone.  A first, untimed pass warms the per-word caches (segmenter, views), so the timed
    # analysis and the timed ingest below both run warm and their ratio is the cost of storing.
    for d in docs:
        pipe(d)
    t = time.perf_counter()
    analysed = [pipe(d) for d in docs]
    t_analyse = time.perf_counter() - t

    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    # 2. storing alone: prepare + write of analysed documents, into a scratch database (a first, untimed pass
    # warms the views cache)
    scratch = Store(str(Path(tmp.name) / "scratch.db"))
    for d in analysed:
        prepare(d, splitter=scratch.splitter_name)
    t = time.perf_counter()
    for k in range(0, n, 64):
        scratch.write([prepare(d, splitter=scratch.splitter_name) for d in analysed[k:k + 64]])
    t_store = time.perf_counter() - t
    scratch.close()

    # 3. the real ingest (analysis + storing); with --jobs > 1 the workers start with cold caches
    st = Store(db)
    t = time.perf_counter()
    rep = st.ingest_documents(docs, stages=stages, jobs=args.jobs, batch_size=64)
    t_ingest = time.perf_counter() - t
    out["ingest"] = {"seconds": round(t_ingest, 2), "articles_per_s": round(n / t_ingest, 1),
                     "added": rep.added, "skipped": len(rep.skipped), "jobs": args.jobs,
                     "analysis_alone_s": round(t_analyse, 2), "analysis_articles_per_s": round(n / t_analyse, 1),
                     "ratio_ingest_over_analysis": round(t_ingest / t_analyse, 3) if args.jobs == 1 else None,
                     "storing_alone_ms_per_article": round(1000 * t_store / n, 2),
                     "ratio_analysis_plus_storing_over_analysis": round((t_analyse + t_store) / t_analyse, 3)}
    print(f"ingest: {n / t_ingest:.1f} articles/s ({t_ingest:.1f} s, jobs={args.jobs}); analysis alone "
          f"{n / t_analyse:.1f} articles/s; storing alone {1000 * t_store / n:.2f} ms/article; "
          f"(analysis+storing)/analysis = {(t_analyse + t_store) / t_analyse:.2f}"
          + (f"; ingest/analysis = {t_ingest / t_analyse:.2f}" if args.jobs == 1 else ""))
    if rep.skipped:
        print(f"  {len(rep.skipped)} skipped, e.g. {rep.skipped[0]}")

    return search_figures(args, st, docs, n, out)


def search_figures(args, st=None, docs=None, n=None, out=None) -> int:
    """Sections 4 and 5: search latency and variant recall (on a given store, or the existing --db)."""
    if st is None:
        if not args.db or not Path(args.db).exists():
            sys.exit("--search-only needs an existing --db")
        st = Store(args.db, readonly=True)
        ids = st.ids()
        n = len(ids)
        docs = [st.document(i) for i in random.Random(args.seed).sample(ids, min(args.limit, n))]
        out = {"articles": n, "sampled": len(docs), "db": args.db}
        print(f"{n} articles in {args.db}; {len(docs)} sampled for queries and variant pairs")
    rng = random.Random(args.seed)
    stored = [d for d in docs if st.has(d.id)]
    words_by_doc = {d.id: list(arabic_words(d.text)) for d in stored}
    vocab = [w for ws in words_by_doc.values() for w in ws]

    # 4. search latency (``--clock cpu``: this process's CPU time, which other work on a shared machine does not
    # inflate as it does the wall clock)
    clock = time.process_time if getattr(args, "clock", "wall") == "cpu" else time.perf_counter
    queries = []
    for i in range(args.queries):
        kind = i % 4
        d = rng.choice(stored)
        ws = words_by_doc[d.id] or ["خبر"]
        j = rng.randrange(len(ws))
        if kind == 0:
            queries.append(rng.choice(vocab))
        elif kind == 1:
            queries.append(f"{rng.choice(vocab)} {rng.choice(vocab)}")
        elif kind == 2:
            queries.append('"' + " ".join(ws[j:j + 2]) + '"')
        else:
            queries.append(ws[j][:3] + "*")
    lat = []
    kinds = ("word", "two words", "phrase", "prefix")
    by_kind: dict = {k: [] for k in kinds + ("word + outlet filter", "word, no snippets")}
    outlets = [r["outlet"] for r in st.execute("SELECT outlet, count(*) AS n FROM documents "
                                               "WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY n DESC")]
    count = {"exact": True, "bounded": "bounded"}[getattr(args, "count", "exact")]
    answers = []  # (query, filter, results): with --dump, written out to compare two versions' answers
    for i, q in enumerate(queries):
        t = clock()
        res = st.search(q, limit=10, count=count)
        lat.append(1000 * (clock() - t))
        by_kind[kinds[i % 4]].append(lat[-1])
        answers.append((q, None, res))
        if i % 4 == 0 and outlets:  # the same word with a filter (an outlet), and without snippets
            t = clock()
            res = st.search(q, limit=10, outlet=outlets[(i // 4) % len(outlets)], count=count)
            by_kind["word + outlet filter"].append(1000 * (clock() - t))
            answers.append((q, outlets[(i // 4) % len(outlets)], res))
            t = clock()
            st.search(q, limit=10, snippets=False, count=count)
            by_kind["word, no snippets"].append(1000 * (clock() - t))
    if getattr(args, "dump", None):
        with open(args.dump, "w", encoding="utf-8") as f:
            for q, outlet, res in answers:
                f.write(json.dumps({"query": q, "outlet": outlet, "total": res.total,
                                    "hits": [[h["id"], h["score"], h["exact"], h.get("snippet"), h.get("highlights")]
                                             for h in res.hits]}, ensure_ascii=False) + "\n")
    lat_exact = []
    for q in queries[:50]:
        t = clock()
        st.search(q, limit=10, mode="exact", count=count)
        lat_exact.append(1000 * (clock() - t))
    out["search_ms"] = {"queries": len(lat), "p50": round(pct(lat, 50), 2), "p95": round(pct(lat, 95), 2),
                        "max": round(max(lat), 2), "exact_mode_p50": round(pct(lat_exact, 50), 2)}
    out["search_ms"]["by_kind"] = {k: {"queries": len(v), "p50": round(pct(v, 50), 2), "p95": round(pct(v, 95), 2)}
                                   for k, v in by_kind.items() if v}
    out["search_ms"]["clock"] = getattr(args, "clock", "wall")
    out["search_ms"]["count"] = getattr(args, "count", "exact")
    print(f"search ({out['search_ms']['clock']} clock, {out['search_ms']['count']} count): p50 {pct(lat, 50):.1f} ms, p95 {pct(lat, 95):.1f} ms over "
          f"{len(lat)} queries (exact mode p50 {pct(lat_exact, 50):.1f} ms)")
    for k, v in by_kind.items():
        if v:
            print(f"  {k}: p50 {pct(v, 50):.1f} ms, p95 {pct(v, 95):.1f} ms ({len(v)} queries)")

    # 5. recall on (word, variant) pairs
    recall: dict = {}
    for kind in ("hamza", "clitic", "diacritic", "ta_marbuta"):
        pairs = []
        tries = 0
        while len(pairs) < args.pairs and tries < args.pairs * 200:
            tries += 1
            d = rng.choice(stored)
            ws = words_by_doc[d.id]
            if not ws:
                continue
            w = rng.choice(ws)
            v = make_variant(w, kind, rng)
            if v and v != w:
                pairs.append((d.id, w, v))
        res = {}
        for mode in ("stem", "exact"):
            found = sum(1 for doc_id, _w, v in pairs
                        if st.search(v, mode=mode, doc_ids=[doc_id], limit=1, snippets=False, count=False).hits)
            res[mode] = round(found / len(pairs), 3) if pairs else None
        res["pairs"] = len(pairs)
        res["examples"] = [f"{w} → {v}" for _d, w, v in pairs[:3]]
        recall[kind] = res
    tot = sum(r["pairs"] for r in recall.values())
    for mode in ("stem", "exact"):
        recall[f"all_{mode}"] = round(sum(r[mode] * r["pairs"] for r in recall.values()
                                          if isinstance(r, dict) and r.get("pairs")) / tot, 3) if tot else None
    out["recall"] = recall
    print("recall (stem vs exact): " + ", ".join(f"{k} {v['stem']:.2f} vs {v['exact']:.2f}" for k, v in
                                               recall.items() if isinstance(v, dict)) +
          f"; all {recall['all_stem']:.3f} vs {recall['all_exact']:.3f}")
    if not st.readonly:
        st.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s = st.stats()
    out["db_bytes"] = s.get("bytes")
    out["db_bytes_per_article"] = round(s.get("bytes", 0) / max(1, n))
    print(f"database: {s.get('bytes', 0) / 1e6:.1f} MB ({out['db_bytes_per_article']} bytes/article), "
          f"clitic splitter {s['clitic_splitter']}")
    st.close()
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
