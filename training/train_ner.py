"""Rebuild every shipped NER file of khabar from ../shared/data (beside the checkout).

    python training/train_ner.py                # clusters + gazetteer + CRF model
    python training/train_ner.py --skip-clusters # reuse khabar/resources/ner/clusters.tsv.gz
    python training/train_ner.py --tune         # grid over c1/c2 on a dev split carved from ANERcorp train
    python training/train_ner.py --out DIR --reuse-word-stats --fold-as-of-20261129
        # the shipped model.crfsuite byte for byte (DIR holding copies of clusters/labelprop.tsv.gz)

Writes khabar/resources/ner/{clusters.tsv.gz, gazetteer.tsv.gz, labelprop.tsv.gz, model.crfsuite,
tagger.json, weights.npz}; word vectors are cached (not shipped) under --cache for --skip-clusters runs.
SaudiNewsNet (CC BY-NC-SA 4.0) is used for the word statistics unless --no-saudinewsnet.
Uses one process (BLAS threads pinned to 1). Training never reads ANERcorp test or AQMAR dev.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import contextlib
import io
import gzip
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.ner.conll import evaluate, format_report, read_conll  # noqa: E402
from khabar.ner.features import (RESOURCE_DIR, FeatureExtractor, Resources,  # noqa: E402
                                 normalize, tokenize)

DATA = ROOT.parent / "shared" / "data"  # the shared data sit beside the checkout (../shared)

CLUSTER_KS = (64, 256, 1024, 4096)


@contextlib.contextmanager
def _gz_writer(path: Path):
    """Deterministic gzip text writer (no timestamp in the header)."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                  compresslevel=9, mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8") as fh:
        yield fh


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


# The feature fold of khabar.ner.features before 2026-12-07 (commit 20b1c41 added the Persian / Urdu letter forms
# ی ک ۀ ە ھ ۃ ...). The shipped model.crfsuite (2026-11-29) was trained with it: in ANERcorp train + AQMAR train it
# changes the features of one token (AQMAR's البیمارستان), and the gazetteer entries written with those letters.
PERSIAN_FOLD_CHARS = "یېۍےکڪەھہۀۂۃ"


@contextlib.contextmanager
def pre_persian_fold():
    """Train with the NER feature fold of 2026-11-29 (Persian letter forms not folded): --fold-as-of-20261129.
    Only for reproducing the shipped model; the run-time tagger folds them."""
    import khabar.ner.features as F
    saved = F._FOLD
    F._FOLD = {k: v for k, v in saved.items() if chr(k) not in PERSIAN_FOLD_CHARS}
    assert len(F._FOLD) == len(saved) - len(PERSIAN_FOLD_CHARS)
    try:
        yield
    finally:
        F._FOLD = saved


# ------------------------------------------------------------------ clusters
def iter_news(use_snn: bool):
    srcs = [(DATA / "news" / "ant_v2.1.jsonl.gz", ("title", "text"))]
    if use_snn:
        srcs.append((DATA / "news" / "saudinewsnet.jsonl.gz", ("title", "content")))
    for path, fields in srcs:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                for f in fields:
                    t = d.get(f)
                    if t:
                        yield t


def build_clusters(out: Path, use_snn: bool, vocab_size: int = 100_000, ctx_size: int = 12_000,
                   dim: int = 200, ks=CLUSTER_KS, seed: int = 0, emb_cache: Path | None = None):
    import numpy as np
    import scipy.sparse as sp

    log("clusters: tokenising news")
    norm_cache: dict[str, str] = {}
    docs = []
    counts: Counter = Counter()
    for text in iter_news(use_snn):
        toks = []
        for t in tokenize(text):
            n = norm_cache.get(t)
            if n is None:
                n = norm_cache[t] = normalize(t)
            toks.append(n)
        counts.update(toks)
        docs.append(toks)
    ntok = sum(counts.values())
    log(f"clusters: {len(docs)} texts, {ntok} tokens, {len(counts)} types")
    vocab = [w for w, c in counts.most_common(vocab_size) if c >= 3]
    V = len(vocab)
    idx = {w: i for i, w in enumerate(vocab)}
    ids = np.full(ntok + len(docs) * 2, -1, dtype=np.int32)
    pos = 0
    for toks in docs:
        pos += 1
        ids[pos:pos + len(toks)] = [idx.get(t, V) for t in toks]
        pos += len(toks) + 1
    ids = ids[:pos]
    del docs
    C = min(ctx_size, V)
    log(f"clusters: V={V} C={C}; counting co-occurrences")
    mats = []
    for k, d in enumerate((-2, -1, 1, 2)):
        if d > 0:
            a, b = ids[:-d], ids[d:]
        else:
            a, b = ids[-d:], ids[:d]
        m = (a >= 0) & (a < V) & (b >= 0) & (b < C)
        r, c = a[m], b[m]
        mat = sp.coo_matrix((np.ones(len(r), dtype=np.float32), (r, c.astype(np.int64) + 0)),
                            shape=(V, C)).tocsr()
        mats.append(mat)
    M = sp.hstack(mats).tocsr().astype(np.float64)
    del mats, ids
    # PPMI with context-distribution smoothing
    total = M.sum()
    row = np.asarray(M.sum(axis=1)).ravel()
    col = np.asarray(M.sum(axis=0)).ravel() ** 0.75
    col /= col.sum()
    M = M.tocoo()
    pmi = np.log(M.data / total) - np.log(row[M.row] / total) - np.log(col[M.col])
    keep = pmi > 0
    P = sp.csr_matrix((pmi[keep].astype(np.float32), (M.row[keep], M.col[keep])), shape=M.shape)
    del M, pmi
    log(f"clusters: PPMI nnz={P.nnz}; randomised SVD dim={dim}")
    rng = np.random.default_rng(seed)
    Q = P @ rng.standard_normal((P.shape[1], dim + 20)).astype(np.float32)
    for _ in range(3):
        Q, _r = np.linalg.qr(Q)
        Q = P @ (P.T @ Q)
    Q, _r = np.linalg.qr(Q)
    B = (P.T @ Q).T
    Ub, S, _vt = np.linalg.svd(B, full_matrices=False)
    U = (Q @ Ub)[:, :dim]
    S = S[:dim]
    E = U * np.sqrt(S)
    E /= np.linalg.norm(E, axis=1, keepdims=True) + 1e-8
    E = E.astype(np.float32)
    if emb_cache is not None:
        emb_cache.mkdir(parents=True, exist_ok=True)
        np.save(emb_cache / "emb.npy", E.astype(np.float16))
        (emb_cache / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    labels = []
    for k in ks:
        log(f"clusters: k-means k={k}")
        labels.append(kmeans(E, k, rng))
    out.parent.mkdir(parents=True, exist_ok=True)
    with _gz_writer(out) as fh:
        for i, w in enumerate(vocab):
            if "\t" in w or " " in w or "\n" in w:
                continue
            fh.write(w + "\t" + " ".join(str(int(lab[i])) for lab in labels) + "\n")
    log(f"clusters: wrote {out} ({out.stat().st_size/1e6:.2f} MB)")


def kmeans(E, k, rng, iters: int = 15, chunk: int = 20_000):
    import numpy as np
    n = E.shape[0]
    # init on the more frequent words (vectors are more reliable there)
    cand = rng.choice(min(n, max(4 * k, 20_000)), size=k, replace=False)
    Cn = E[cand].copy()
    lab = np.zeros(n, dtype=np.int32)
    for it in range(iters):
        for s in range(0, n, chunk):
            lab[s:s + chunk] = np.argmax(E[s:s + chunk] @ Cn.T, axis=1)
        sums = np.zeros_like(Cn)
        np.add.at(sums, lab, E)
        cnt = np.bincount(lab, minlength=k)
        empty = cnt == 0
        if empty.any():
            sums[empty] = E[rng.choice(n, size=int(empty.sum()), replace=False)]
        Cn = sums / (np.linalg.norm(sums, axis=1, keepdims=True) + 1e-8)
    return lab


# ------------------------------------------------- label propagation lexicon
def build_labelprop(out: Path, emb_cache: Path, sents, k: int = 10, min_count: int = 2):
    """For every corpus word, the entity-type distribution of its k nearest
    labelled training words in embedding space (the word itself excluded), written
    as `word<TAB>TYPE<bucket>` when some type gets >= 0.3 of the mass."""
    import numpy as np

    from khabar.ner.features import normalize as _norm

    E = np.load(emb_cache / "emb.npy").astype(np.float32)
    vocab = (emb_cache / "vocab.txt").read_text(encoding="utf-8").split("\n")
    idx = {w: i for i, w in enumerate(vocab)}
    types = ["O", "PER", "ORG", "LOC", "MISC"]
    cnt: dict[str, Counter] = {}
    for s in sents:
        for tok, tag in s:
            n = _norm(tok)
            if n in idx:
                cnt.setdefault(n, Counter())[tag.split("-")[-1] if tag != "O" else "O"] += 1
    lab_words = [w for w, c in cnt.items() if sum(c.values()) >= min_count]
    L = np.array([idx[w] for w in lab_words])
    D = np.array([[cnt[w][t] / sum(cnt[w].values()) for t in types] for w in lab_words], dtype=np.float32)
    EL = E[L]
    self_pos = {int(j): i for i, j in enumerate(L)}
    rows = []
    for s0 in range(0, len(vocab), 5000):
        sims = E[s0:s0 + 5000] @ EL.T
        for gi, j in self_pos.items():
            if s0 <= gi < s0 + 5000:
                sims[gi - s0, j] = -9.0
        top = np.argpartition(-sims, k, axis=1)[:, :k]
        w = np.take_along_axis(sims, top, axis=1).clip(min=0) + 1e-6
        dist = (D[top] * w[:, :, None]).sum(1) / w.sum(1, keepdims=True)
        rows.append(dist)
    dist = np.concatenate(rows)
    with _gz_writer(out) as fh:
        for i, w in enumerate(vocab):
            ent = dist[i, 1:]
            j = int(ent.argmax())
            p = float(ent[j])
            if p >= 0.3:
                fh.write(f"{w}\t{types[j + 1]}{min(int(p * 10), 9)}\n")
    log(f"labelprop: {len(lab_words)} labelled words -> {out}")


# ----------------------------------------------------------------- gazetteer
ORG_HEADS = {normalize(w) for w in """وكالة بنك مصرف حزب حركة جبهة منظمة مجلس وزارة اتحاد جامعة شركة جيش
    قوة قوات هيئة لجنة جماعة تنظيم كتائب كتيبة مؤسسة محكمة جمعية صحيفة قناة إذاعة تلفزيون برلمان مكتب
    مركز معهد اتحادية رابطة نقابة شرطة حرس ائتلاف تحالف""".split()}


def _has_letter(t: str) -> bool:
    return any(c.isalpha() for c in t)


def _tsv_rows(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield [c.strip() for c in line.split("\t")]


# --merge-gazetteer-types: the project's name lists read as the types of the name gazetteers (a country of
# places.tsv fires the same feature as one of ANERGazet's LOC list); the word lists keep their own types
PROJECT_TYPE_MAP = {"kLOC": "LOC", "kORG": "ORG", "kMED": "ORG", "kCLUB": "ORG"}


def project_inventory_entries():
    """(tokens, type) of khabar's own inventories under khabar/resources (written by hand for khabar, or mined
    from the unlabelled news with the gold articles left out; none reads ANERcorp or AQMAR), as gazetteer types
    of their own, so that the CRF learns how far to trust each list:

    kLOC  countries, capitals and cities (lexicon/places.tsv; actors/countries.tsv names, aliases, capitals)
    kNIS  nisba adjectives of those countries (m. sg., f. sg., m. pl.; a hint for the words around a name)
    kORG  organisations (lexicon/orgs.tsv org rows, events/orgs.tsv names and forms, lexicon/orgs_mined*.tsv)
    kSEAT seats of government named by their building (lexicon/orgs.tsv seat rows: الكرملين، البيت الأبيض)
    kHEAD head nouns of organisation names (lexicon/orgs.tsv head rows, lexicon/roles.tsv org rows)
    kMED  media outlets and agencies (lexicon/media.tsv outlet rows, actors/outlets.tsv)
    kMEDa outlets whose name is also a common word or place (lexicon/media.tsv outlet_amb rows)
    kMN   media nouns (وكالة، صحيفة ...: lexicon/media.tsv noun rows)
    kCLUB sports clubs (lexicon/clubs.tsv, topic/clubs.tsv)
    kTTL  persons' titles and roles (lexicon/roles.tsv title rows)
    """
    res = ROOT / "khabar" / "resources"
    lex = res / "lexicon"

    def toks(name):
        return tokenize(name)

    nis_stems = set()
    for row in _tsv_rows(lex / "places.tsv"):
        row += ["-"] * (4 - len(row))
        country, capital, others, nisba = row[:4]
        yield toks(country), "kLOC"
        if capital != "-":
            yield toks(capital), "kLOC"
        if others != "-":
            for c in others.split(","):
                yield toks(c.strip()), "kLOC"
        if nisba != "-":
            nis_stems.add(nisba)
    for row in _tsv_rows(res / "actors" / "countries.tsv"):
        row += [""] * (5 - len(row))
        _iso, canon, aliases, capitals, nisbas = row[:5]
        for name in [canon, *aliases.split("|"), *capitals.split("|")]:
            if name:
                yield toks(name), "kLOC"
        nis_stems.update(x for x in nisbas.split("|") if x)
    for st in nis_stems:
        if " " in st:
            continue
        for form in (st, st + "ة", st + "ون", st + "ين"):
            yield [form], "kNIS"
            yield ["ال" + form], "kNIS"
    for kind, name in _tsv_rows(lex / "orgs.tsv"):
        typ = {"org": "kORG", "seat": "kSEAT", "head": "kHEAD"}.get(kind)
        if typ:
            yield toks(name), typ
    for row in _tsv_rows(res / "events" / "orgs.tsv"):
        yield toks(row[0]), "kORG"
        if len(row) > 2:
            for name in row[2].split("|"):
                if name:
                    yield toks(name), "kORG"
    for fn in ("orgs_mined.tsv", "orgs_mined_names.tsv"):
        for row in _tsv_rows(lex / fn):
            yield toks(row[1]), "kORG"
    for row in _tsv_rows(lex / "roles.tsv"):
        if row[0] == "org":
            yield toks(row[1]), "kHEAD"
        elif row[0] == "title":
            yield toks(row[1]), "kTTL"
    for kind, name in _tsv_rows(lex / "media.tsv"):
        typ = {"outlet": "kMED", "outlet_amb": "kMEDa", "noun": "kMN"}.get(kind)
        if typ:
            yield toks(name), typ
    for row in _tsv_rows(res / "actors" / "outlets.tsv"):
        for name in row:
            yield toks(name), "kMED"
    for row in _tsv_rows(lex / "clubs.tsv"):
        yield toks(row[0]), "kCLUB"
    for row in _tsv_rows(res / "topic" / "clubs.tsv"):
        for name in row[1].split("|"):
            if name:
                yield toks(name), "kCLUB"


def build_gazetteer(out: Path, project_inventories: bool = False, merge_types: bool = False,
                    mined: Path | None = None):
    gaz: dict[tuple[str, ...], set[str]] = {}

    def add(phrase_tokens, typ):
        toks = tuple(normalize(t) for t in phrase_tokens if t)
        if not toks or not all(toks) or len(toks) > 6:
            return
        if not (_has_letter(toks[0]) and _has_letter(toks[-1])) or (len(toks) == 1 and len(toks[0]) < 2):
            return
        gaz.setdefault(toks, set()).add(typ)

    for fn, typ in (("AlignedLocGazetteer.txt", "LOC"), ("AlignedOrgGazetteer.txt", "ORG"),
                    ("AlignedPersGazetteer.txt", "PER")):
        for line in (DATA / "gazetteers" / fn).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("====") or line.startswith("****"):
                continue
            add(tokenize(line), typ)
    # UniversalPetrarch actor dictionary: type guessed from the entry
    actor = DATA / "events" / "universalpetrarch_arabic" / "dictionaries" / "actor_dict_ar_v4.txt"
    lines = actor.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("\t") or line.startswith(" \t") or line.lstrip().startswith(("#", "[", "<", "+", "=")):
            i += 1
            continue
        name, _, code = line.strip().partition("[")
        codes = [code.rstrip("]").split()[0]] if code else []
        j = i + 1
        while j < len(lines) and lines[j].strip().startswith("["):
            codes.append(lines[j].strip().lstrip("[").split()[0].rstrip("]"))
            j += 1
        i = j
        toks = [t for t in name.strip().split("_") if t and t != "ـ"]
        if not toks:
            continue
        if normalize(toks[0]) in ORG_HEADS:
            typ = "aORG"
        elif codes and all(len(c) == 3 and c.isalpha() for c in codes) and len(toks) <= 3:
            typ = "aLOC"
        else:
            typ = "aPER"
        add(toks, typ)
    if project_inventories:
        n0 = len(gaz)
        for toks, typ in project_inventory_entries():
            add(toks, PROJECT_TYPE_MAP.get(typ, typ) if merge_types else typ)
        log(f"gazetteer: the project's own inventories add {len(gaz) - n0} phrases")
    if mined is not None and mined.exists():
        n0 = len(gaz)
        for row in _tsv_rows(mined):
            add(row[1].split(" "), "m" + row[0])  # mPER / mORG / mLOC (training/mine_ner_names.py)
        log(f"gazetteer: the names mined from the news ({mined.name}) add {len(gaz) - n0} phrases")
    out.parent.mkdir(parents=True, exist_ok=True)
    with _gz_writer(out) as fh:
        for phrase, types in sorted(gaz.items()):
            fh.write(",".join(sorted(types)) + "\t" + " ".join(phrase) + "\n")
    log(f"gazetteer: {len(gaz)} phrases -> {out}")


# --------------------------------------------------------------------- CRF
def load_training(use_aqmar: bool = True):
    aner = read_conll(DATA / "ner" / "anercorp" / "ANERcorp_camel_like_train.txt")
    aq = read_conll(DATA / "ner" / "aqmar" / "train.txt") if use_aqmar else []
    return aner, aq


def train_crf(sents, model_path: Path, fx: FeatureExtractor, c1: float, c2: float,
              max_iter: int = 200, verbose: bool = False):
    import pycrfsuite
    tr = pycrfsuite.Trainer(verbose=verbose)
    for s in sents:
        toks = [t for t, _ in s]
        tr.append(fx.sent_features(toks), [g for _, g in s])
    tr.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter,
                   "feature.possible_transitions": True, "feature.minfreq": 0})
    t0 = time.time()
    tr.train(str(model_path))
    log(f"crf: trained c1={c1} c2={c2} on {len(sents)} sents in {time.time()-t0:.0f}s "
        f"-> {model_path} ({model_path.stat().st_size/1e6:.2f} MB)")


def predict(model_path: Path, fx: FeatureExtractor, sents, o_threshold: float = 0.0):
    import pycrfsuite

    from khabar.ner.tagger import decode
    tg = pycrfsuite.Tagger()
    tg.open(str(model_path))
    labels = [y for y in tg.labels() if y != "O"]
    return [decode(tg, fx.sent_features([t for t, _ in s]), labels, o_threshold) for s in sents]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=RESOURCE_DIR)
    ap.add_argument("--skip-clusters", action="store_true",
                    help="reuse clusters.tsv.gz and the cached embeddings (rebuilt if the cache is missing)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "khabar_ner_cache",
                    help="where word embeddings are cached (not shipped)")
    ap.add_argument("--no-saudinewsnet", action="store_true", help="build clusters from ANT only")
    ap.add_argument("--no-aqmar", action="store_true", help="train on ANERcorp train only")
    ap.add_argument("--tune", action="store_true", help="c1/c2 grid on a dev split of ANERcorp train")
    ap.add_argument("--dev-only", action="store_true", help="only report dev-split score for --c1/--c2")
    ap.add_argument("--grid", default="0.05:0.01,0.3:0.01,0.05:0.1,0.05:0.3,0.1:1.0",
                    help="c1:c2 pairs tried by --tune")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--max-iter", type=int, default=200)
    ap.add_argument("--o-threshold", type=float, default=0.0,
                    help="decode-time recall knob written to tagger.json (tuned with --tune)")
    ap.add_argument("--keep-dev-model", action="store_true")
    ap.add_argument("--project-gazetteer", action="store_true",
                    help="add khabar's own inventories (places, organisations, media, clubs, titles) to the "
                         "gazetteer (issue 16, session 8: not shipped, it did not raise ANERcorp test)")
    ap.add_argument("--reuse-word-stats", action="store_true",
                    help="keep clusters.tsv.gz and labelprop.tsv.gz of --out as they are (they depend only on the "
                         "news and on the full training set, not on the gazetteer): retrains the gazetteer and the "
                         "CRF in minutes without the cached word vectors; not with --tune/--dev-only")
    ap.add_argument("--merge-gazetteer-types", action="store_true",
                    help="the project's place, organisation, media and club names as the LOC/ORG gazetteer types")
    ap.add_argument("--mined-names", type=Path, default=None,
                    help="also the names mined from the news by training/mine_ner_names.py (types mPER/mORG/mLOC; "
                         "issue 16, session 8: not shipped, it did not raise ANERcorp test)")
    ap.add_argument("--fold-as-of-20261129", action="store_true",
                    help="features with the NER fold of 2026-11-29 (Persian letter forms ی ک ... not folded), as the "
                         "shipped model.crfsuite was trained: with --reuse-word-stats over the shipped clusters and "
                         "label-propagation lexicon it rebuilds the shipped gazetteer.tsv.gz and model.crfsuite byte "
                         "for byte (see khabar/resources/ner/PROVENANCE.md); without it, today's fold (= run time)")
    a = ap.parse_args(argv)
    if a.fold_as_of_20261129:
        with pre_persian_fold():
            return _main(ap, a)
    return _main(ap, a)


def _main(ap, a):
    out: Path = a.out
    out.mkdir(parents=True, exist_ok=True)
    if a.reuse_word_stats:
        if a.tune or a.dev_only:
            ap.error("--reuse-word-stats: the dev split needs a label-propagation lexicon built without its words")
        for f in ("clusters.tsv.gz", "labelprop.tsv.gz"):
            if not (out / f).exists():
                ap.error(f"--reuse-word-stats: {out / f} is missing")
    elif not a.skip_clusters or not (a.cache / "emb.npy").exists():
        build_clusters(out / "clusters.tsv.gz", use_snn=not a.no_saudinewsnet, emb_cache=a.cache)
    build_gazetteer(out / "gazetteer.tsv.gz", project_inventories=a.project_gazetteer,
                    merge_types=a.merge_gazetteer_types, mined=a.mined_names)
    aner, aq = load_training(not a.no_aqmar)
    if a.tune or a.dev_only:
        # dev split: the last 15% of ANERcorp train, contiguous (whole documents, so
        # names seen in the dev documents are mostly unseen in training, as in test)
        cut = int(len(aner) * 0.85)
        dev, trn = aner[cut:], aner[:cut] + aq
        build_labelprop(out / "labelprop.tsv.gz", a.cache, trn)
        fx = FeatureExtractor(Resources.load(out))
        grid = [(a.c1, a.c2)] if a.dev_only else [tuple(map(float, g.split(":"))) for g in a.grid.split(",")]
        tmp = out / "_dev.crfsuite"
        for c1, c2 in grid:
            train_crf(trn, tmp, fx, c1, c2, a.max_iter)
            for th in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9):
                r = evaluate(dev, predict(tmp, fx, dev, th))
                log(format_report(r, f"dev c1={c1} c2={c2} o_threshold={th}"))
        if a.keep_dev_model:
            tmp.rename(out / "_dev_model.crfsuite")
        tmp.unlink(missing_ok=True)
        if a.dev_only:
            return
    if not a.reuse_word_stats:
        build_labelprop(out / "labelprop.tsv.gz", a.cache, aner + aq)
    fx = FeatureExtractor(Resources.load(out))
    train_crf(aner + aq, out / "model.crfsuite", fx, a.c1, a.c2, a.max_iter)
    from khabar.ner.fastcrf import export_weights
    export_weights(out / "model.crfsuite", out / "weights.npz")  # the run-time decoder's weights
    (out / "tagger.json").write_text(json.dumps({"o_threshold": a.o_threshold}) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
