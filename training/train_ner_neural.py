"""Train the small neural NER scorer of khabar.ner.neural (PyTorch on CPU, training only) and export it to .npz.

    python training/train_ner_neural.py --dev NAME [--log F] [options]     # study: dev split of ANERcorp train
    python training/train_ner_neural.py --out khabar/resources/ner [options] # final: all the training data
    python training/train_ner_neural.py --dev NAME --combo A.npy+B.npy        # study: saved scorers averaged
    python training/train_ner_neural.py --speed DIR [--speed-weight 1.5]      # tagger speed with / without it

--dev trains on the first 85% of ANERcorp train + AQMAR train (as training/tune_ner_features.py) and reports micro
F1 on the last 15% (with document-level propagation, windows of 40 sentences): the neural model alone, and its
log-probabilities added with weight lambda to the state scores of a CRF trained on the same 85% (--dev-crf, a
CRFsuite model of khabar's features; make it with --train-dev-crf) for each lambda of --lambdas.  Never reads
ANERcorp test or AQMAR dev.  Deterministic for a given --seed and thread count (--threads, default 1).

PyTorch is needed for training only (`pip install torch==2.13.0`, a CPU build); it is not a dependency of khabar:
the run-time scorer (khabar.ner.neural) reads the exported neural.npz with numpy.

The word-level inputs are those of khabar.ner.neural.WordInputs over the shipped resources (clusters, label
propagation lexicon: built from ANT + SaudiNewsNet and the whole of ANERcorp train + AQMAR train, as for the CRF).
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from khabar.ner.conll import evaluate  # noqa: E402
from khabar.ner.docprop import propagate_windows  # noqa: E402
from khabar.ner.features import RESOURCE_DIR, FeatureExtractor, Resources, shape  # noqa: E402
from khabar.ner.neural import FIELDS, VOCAB_FIELDS, WordInputs, _char_seq, field_sizes  # noqa: E402

LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
TYPES = ("PER", "ORG", "LOC", "MISC")
EMB_DIMS = {"w": 64, "b": 32, "ca": 8, "cb": 16, "cc": 24, "cd": 32, "cacl": 8, "lp": 8, "sh": 8, "pre": 8,
            "trig": 4, "rb": 6, "lex": 6, "flag": 2}


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def build_vocabs(fx: FeatureExtractor, sents, min_count: int = 2) -> dict[str, list[str]]:
    cw, cb, cs, cp, cl, cc = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
    for s in sents:
        for w, _ in s:
            n, _e, pre, art, bare = fx._forms(w)
            cw[n] += 1
            cb[bare] += 1
            cs[shape(w)] += 1
            cp[pre] += 1
            cc.update(_char_seq(n)[1:-1])
    for s in sents:  # the lexicon classes the training words take
        for w, _ in s:
            n, _e, _pre, art, bare = fx._forms(w)
            rank = fx.res.rank
            if len(bare) >= 3 and shape(w) == "ar":
                lex = ("Ay" if bare in rank else "An") if art.startswith("ال") else \
                    ("Ny" if ("ال" + bare) in rank else "Nn")
                lex += "p" if (bare + "ه" in rank or bare + "ها" in rank or bare + "هم" in rank) else "-"
                cl[lex] += 1
    cl[""] += 1

    def keep(c, m):
        return sorted(k for k, v in c.items() if v >= m)
    return {"w": keep(cw, min_count), "b": keep(cb, min_count), "lp": sorted(set(fx.res.labelprop.values())),
            "sh": keep(cs, 1), "pre": keep(cp, 1), "lex": keep(cl, 1), "char": keep(cc, 2)}


def vocab_maps(v):
    m = {k: {s: i + 1 for i, s in enumerate(v[k])} for k in VOCAB_FIELDS}
    m["char"] = {s: i + 2 for i, s in enumerate(v["char"])}
    return m


def encode(sents, wi: WordInputs):
    """Each sentence -> (word-id matrix rows, char lists, label ids)."""
    cache = {}
    out = []
    for s in sents:
        ids, chars = [], []
        for w, _ in s:
            r = cache.get(w)
            if r is None:
                r = cache[w] = wi.ids(w)
            ids.append(r[0])
            chars.append(r[1])
        out.append((ids, chars, [LABELS.index(t) if t in LABELS else 0 for _, t in s]))
    return out


def make_model(sizes, n_chars, a):
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embs = nn.ModuleList(nn.Embedding(n, EMB_DIMS[f]) for n, f in zip(sizes, FIELDS))
            self.char_emb = nn.Embedding(n_chars, a.char_dim, padding_idx=0)
            self.char_conv = nn.Conv1d(a.char_dim, a.char_filters, 3, padding=1)
            din = sum(EMB_DIMS.values()) + a.char_filters
            self.proj = nn.Linear(din, a.dim)
            self.dil = [int(x) for x in a.dilations.split(",")]
            self.convs = nn.ModuleList(nn.Conv1d(a.dim, a.dim, 3, dilation=d, padding=d) for d in self.dil)
            self.out = nn.Linear(a.dim, len(LABELS))
            self.drop = nn.Dropout(a.dropout)
            self.edrop = nn.Dropout(a.emb_dropout)

        def words(self, ids, chars, clen):
            # ids: (W, F); chars: (W, Lc) with 0 padding; clen: (W,)
            parts = [e(ids[:, k]) for k, e in enumerate(self.embs)]
            E = self.char_emb(chars).transpose(1, 2)  # (W, ce, Lc)
            H = torch.relu(self.char_conv(E))  # (W, F, Lc)
            m = (torch.arange(chars.shape[1])[None, :] < clen[:, None]).unsqueeze(1)
            H = H * m
            parts.append(H.max(dim=2).values)
            return torch.relu(self.proj(self.edrop(torch.cat(parts, dim=1))))

        def forward(self, X, mask):
            # X: (B, T, D) word vectors; mask (B, T)
            H = X.transpose(1, 2) * mask[:, None, :]
            for conv in self.convs:
                H = (H + torch.relu(conv(self.drop(H)))) * mask[:, None, :]
            return self.out(self.drop(H.transpose(1, 2)))

    return Net()


def batches(data, bs, rng):
    order = list(range(len(data)))
    rng.shuffle(order)
    for i in range(0, len(order), bs):
        yield [data[j] for j in order[i:i + bs]]


def run_batch(net, batch, a, train: bool, rng=None):
    import torch
    # distinct words of the batch
    key = {}
    rows, chars = [], []
    sent_rows = []
    for ids, ch, _ in batch:
        r = []
        for wid, c in zip(ids, ch):
            k = (tuple(wid), tuple(c))
            j = key.get(k)
            if j is None:
                j = key[k] = len(rows)
                rows.append(list(wid))
                chars.append(c)
            r.append(j)
        sent_rows.append(r)
    ids = torch.tensor(rows, dtype=torch.long)
    if train and a.word_dropout > 0:
        drop = torch.rand(ids.shape[0], generator=rng) < a.word_dropout
        ids[drop, 0] = 0
        drop = torch.rand(ids.shape[0], generator=rng) < a.word_dropout
        ids[drop, 1] = 0
    Lc = max(map(len, chars))
    C = torch.zeros((len(chars), Lc), dtype=torch.long)
    for i, c in enumerate(chars):
        C[i, :len(c)] = torch.tensor(c)
    clen = torch.tensor([len(c) for c in chars])
    V = net.words(ids, C, clen)
    T = max(len(r) for r in sent_rows)
    idx = torch.zeros((len(batch), T), dtype=torch.long)
    mask = torch.zeros((len(batch), T))
    y = torch.full((len(batch), T), -100, dtype=torch.long)
    for b, (r, (_, _, lab)) in enumerate(zip(sent_rows, batch)):
        idx[b, :len(r)] = torch.tensor(r)
        mask[b, :len(r)] = 1
        y[b, :len(r)] = torch.tensor(lab)
    X = V[idx]
    return net(X, mask), y


def predict_logp(net, data, a):
    import torch
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(data), 64):
            b = data[i:i + 64]
            Z, _y = run_batch(net, b, a, False)
            lp = torch.log_softmax(Z, dim=2).numpy()
            out.extend(lp[k, :len(s[0])] for k, s in enumerate(b))
    return out


def train(a, trn_sents, fx, dev_sents=None):
    import torch
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    rng = random.Random(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    voc = build_vocabs(fx, trn_sents, a.min_count)
    wi = WordInputs(fx, vocab_maps(voc))
    sizes = field_sizes(vocab_maps(voc))
    data = encode(trn_sents, wi)
    net = make_model(sizes, len(voc["char"]) + 2, a)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    n_steps = a.epochs * ((len(data) + a.batch - 1) // a.batch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.05, 1 - s / n_steps))
    wts = torch.tensor([1.0] + [a.ent_weight] * (len(LABELS) - 1))
    lossf = torch.nn.CrossEntropyLoss(weight=wts, ignore_index=-100)
    dev_data = encode(dev_sents, wi) if dev_sents is not None else None
    hist = []
    for ep in range(a.epochs):
        net.train()
        t0 = time.time()
        tot = 0.0
        for b in batches(data, a.batch, rng):
            Z, y = run_batch(net, b, a, True, g)
            loss = lossf(Z.reshape(-1, len(LABELS)), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss.detach())
        msg = f"epoch {ep + 1}: loss {tot:.1f} ({time.time() - t0:.0f}s)"
        if dev_data is not None and (a.eval_every and ((ep + 1) % a.eval_every == 0 or ep + 1 == a.epochs)):
            lps = predict_logp(net, dev_data, a)
            f = f1_of(dev_sents, [argmax_tags(x) for x in lps])
            hist.append((ep + 1, f))
            msg += f" dev F1 (neural alone, argmax, propagation) {f:.2f}"
        log(msg)
    return net, voc, wi, dev_data, hist


def argmax_tags(lp):
    tags = [LABELS[i] for i in lp.argmax(axis=1)]
    prev = "O"
    for t, y in enumerate(tags):  # an I- without its B- opens an entity
        if y.startswith("I-") and prev[2:] != y[2:]:
            tags[t] = "B-" + y[2:]
        prev = tags[t]
    return tags


def f1_of(gold, pred, window=40):
    toks = [[t for t, _ in s] for s in gold]
    return round(100 * evaluate(gold, propagate_windows(toks, pred, window), types=TYPES)["micro"]["f1"], 2)


def export(net, voc, a, path: Path):
    d = {"format": np.array(1), "labels": np.array("\0".join(LABELS))}
    for name in VOCAB_FIELDS:
        d["vocab_" + name] = np.array("\0".join(voc[name]))
    d["vocab_char"] = np.array("\0".join(voc["char"]))
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    for k, f in enumerate(FIELDS):
        d["emb_" + f] = sd[f"embs.{k}.weight"].astype(np.float16)
    d["char_emb"] = sd["char_emb.weight"].astype(np.float16)
    W = sd["char_conv.weight"]  # (F, ce, 3)
    d["char_W"] = np.concatenate([W[:, :, k].T for k in range(3)], axis=0).astype(np.float16)
    d["char_b"] = sd["char_conv.bias"].astype(np.float16)
    d["proj_W"] = sd["proj.weight"].T.astype(np.float16)
    d["proj_b"] = sd["proj.bias"].astype(np.float16)
    d["dilations"] = np.array(net.dil)
    for i in range(len(net.dil)):
        W = sd[f"convs.{i}.weight"]  # (D, D, 3)
        d[f"conv{i}_W"] = np.stack([W[:, :, k].T for k in range(3)]).astype(np.float16)
        d[f"conv{i}_b"] = sd[f"convs.{i}.bias"].astype(np.float16)
    d["out_W"] = sd["out.weight"].T.astype(np.float16)
    d["out_b"] = sd["out.bias"].astype(np.float16)
    np.savez_compressed(path, **d)
    log(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


def combo_eval(a, fx, dev, lps_np):
    """Dev F1 of the CRF alone and of CRF + lambda * neural log-probabilities, for each lambda."""
    from khabar.ner.fastcrf import FastCRF, load_for_model
    labels, index, A, T, _sha = load_for_model(a.dev_crf, Path(str(a.dev_crf) + ".weights.npz"))
    crf = FastCRF(fx, labels, index, A, T)
    seqs = [[t for t, _ in s] for s in dev]
    S, _idx, starts, lens = crf.scores_many(seqs)
    cols = [LABELS.index(y) for y in labels]
    LP = np.concatenate(lps_np)[:, cols]
    res = {}
    for lam in [float(x) for x in a.lambdas.split(",")]:
        tags = crf.viterbi_many(S + lam * LP, starts, lens)
        res[lam] = f1_of(dev, tags)
    return res


def combo_saved(a, fx, dev):
    """--combo: dev F1 of the dev CRF + lambda x the average of saved dev log-probabilities (--save-logp files)."""
    lps = [np.load(f) for f in a.combo.split("+")]
    LP = sum(lps) / len(lps)
    lens = [len(s) for s in dev]
    parts = np.split(LP, np.cumsum(lens)[:-1])
    return {"combo": a.combo, "crf_plus_neural": combo_eval(a, fx, dev, parts)}


def speed(model_dir: Path, weight: float, reps: int = 3):
    """--speed DIR: tokens per CPU-second of NerTagger(DIR) with and without the neural scorer, alternated, on AQMAR
    train + the last 700 sentences of ANERcorp train (no evaluation set), cold and warm caches, windows of 40."""
    from khabar.ner.tagger import NerTagger
    import train_ner as T
    aner, aq = T.load_training(True)
    sents = [[t for t, _ in s] for s in aq + aner[-700:]]
    n = sum(map(len, sents))
    tg = {"crf": NerTagger(model_dir, neural=False), "crf+neural": NerTagger(model_dir, neural=weight)}
    tg["crf+neural"].tag(["x"])  # loads the scorer
    res = {k: [] for k in tg}
    for rep in range(reps):
        for k in (list(tg) if rep % 2 == 0 else list(tg)[::-1]):
            t = tg[k]
            t.clear_cache()
            out = []
            for _pass in range(2):
                c0 = time.process_time()
                for i in range(0, len(sents), 40):
                    t.tag_many(sents[i:i + 40])
                out.append(round(n / (time.process_time() - c0)))
            res[k].append(out)
    return {"tokens": n, "tokens_per_cpu_s_cold_warm": res}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", metavar="NAME", help="study mode: train on 85%% of ANERcorp train + AQMAR train, "
                    "report the last 15%%")
    ap.add_argument("--out", type=Path, help="write neural.npz here (final mode: trained on all the training data; "
                    "--dev: the dev split's model)")
    ap.add_argument("--resources", type=Path, default=RESOURCE_DIR)
    ap.add_argument("--dev-crf", type=Path, default=Path("/tmp/khabar_ner_dev.crfsuite"))
    ap.add_argument("--train-dev-crf", action="store_true", help="first train the dev split's CRF to --dev-crf")
    ap.add_argument("--lambdas", default="0,0.25,0.5,0.75,1,1.5,2,3")
    ap.add_argument("--log", type=Path)
    ap.add_argument("--save-logp", type=Path, help="study mode: save the dev log-probabilities (.npy) here")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--eval-every", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--dilations", default="1,2,4")
    ap.add_argument("--char-dim", type=int, default=24)
    ap.add_argument("--char-filters", type=int, default=48)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--emb-dropout", type=float, default=0.2)
    ap.add_argument("--word-dropout", type=float, default=0.1)
    ap.add_argument("--ent-weight", type=float, default=1.0, help="loss weight of the entity labels (O: 1)")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--combo", help="study: F1+F2.npy (--save-logp files) averaged and added to the dev CRF")
    ap.add_argument("--speed", type=Path, metavar="DIR", help="tagger speed of a model dir with its neural.npz")
    ap.add_argument("--speed-weight", type=float, default=1.5)
    a = ap.parse_args(argv)
    import train_ner as T
    if a.speed:
        print(json.dumps(speed(a.speed, a.speed_weight)))
        return
    fx = FeatureExtractor(Resources.load(a.resources))
    aner, aq = T.load_training(True)
    if a.dev:
        cut = int(len(aner) * 0.85)
        dev, trn = aner[cut:], aner[:cut] + aq
        if a.train_dev_crf:
            T.train_crf(trn, a.dev_crf, fx, 0.05, 0.01, 200)  # the shipped settings (20-25 min here)
        elif a.lambdas and not a.dev_crf.exists():
            ap.error(f"{a.dev_crf} is missing: add --train-dev-crf (or --lambdas '' for the neural model alone)")
        if a.combo:
            line = combo_saved(a, fx, dev)
            print(json.dumps(line), flush=True)
            if a.log:
                with open(a.log, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            return
        t0 = time.time()
        net, voc, wi, dev_data, hist = train(a, trn, fx, dev)
        lps = predict_logp(net, dev_data, a)
        if a.out:
            a.out.mkdir(parents=True, exist_ok=True)
            export(net, voc, a, a.out / "neural.npz")
        if a.save_logp:
            np.save(a.save_logp, np.concatenate(lps))
        line = {"name": a.dev, "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()
                                        if k not in ("dev", "log", "out", "resources")},
                "neural_alone": f1_of(dev, [argmax_tags(x) for x in lps]), "hist": hist,
                "crf_plus_neural": combo_eval(a, fx, dev, lps) if a.lambdas else None, "train_s": round(time.time() - t0)}
        print(json.dumps(line, ensure_ascii=False), flush=True)
        if a.log:
            with open(a.log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        return
    if not a.out:
        ap.error("--dev NAME or --out DIR")
    net, voc, _wi, _d, _h = train(a, aner + aq, fx)
    a.out.mkdir(parents=True, exist_ok=True)
    export(net, voc, a, a.out / "neural.npz")


if __name__ == "__main__":
    main()
