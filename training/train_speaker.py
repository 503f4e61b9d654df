"""Train the attribution sieve's speaker chooser (``khabar/attribution/speaker_model.py``) on the project's gold.

    PYTHONPATH=. python3 training/train_speaker.py              # 5-fold CV by article, then the shipped model
    PYTHONPATH=. python3 training/train_speaker.py --no-cv      # only the shipped model
    PYTHONPATH=. python3 training/train_speaker.py --rounds 2   # records of round 2 made with round 1's model
    PYTHONPATH=. python3 training/train_speaker.py --seed 1 --out /tmp/m.json   # another fold split, not shipped
    PYTHONPATH=. python3 training/train_speaker.py --dump --out /tmp/m.json     # held-out decisions the model gets wrong

Data: ``../shared/gold/dev`` and ``../shared/gold/dev2`` (articles/ + annotations/, 63 articles; the project's own
annotations, see shared/gold/GUIDELINES.md).  The pipeline runs on every article with a recorder on: each speaker
decision of the sieve gives its candidates (feature dicts, display names).  A decision is labelled through the
predicted quotes of its cue that match a gold quote (the scorer's matching: IoU >= 0.5, one-to-one): a candidate
is positive when the scorer would accept its name -- as written, or as pass 7 would show it -- for the gold speaker
(``same_actor`` over the name and aliases); when some candidate is "clean" (the full name, an alias or a
multi-word part of one), a phrase that swallowed more than the name counts a quarter (``راخوي بالهزيمة`` loses to
``راخوي``).  Decisions without a matched
quote or without a positive candidate are left out.  Learner: a conditional logit (logistic regression over each
decision's candidates, softmax-normalised; numpy + scipy L-BFGS, L2 penalty C=0.45: after the session-7
merge of the span rules, C = 0.45, 0.6, 0.8 and 1.0 gave the same mean CV over fold seeds 15, 1, 2 (speaker accuracy
0.921-0.922, quotes-with-speaker 0.830-0.831) and only 0.45's all-data model keeps the seed article's 15 speakers;
1.5 was lower; session 8's new candidates: 0.45 kept, 0.3 was lower on the CV mean and its all-data model lost a dev
quote); ``--learner lr`` is
scikit-learn's pointwise LogisticRegression (it did worse: CV speaker accuracy no better than the rules).  Training
only: at run time the weights are summed in pure Python.

Cross-validation: 5 folds by article (seeded shuffle).  For each fold the model is trained on the other folds'
decisions, the full pipeline runs with it on the fold's articles, and all held-out predictions are scored
together with the gold scorer (quotes F1, speaker accuracy, quotes-with-speaker F1); the same for the rules alone.
The shipped model is trained on all 63 articles and written to ``khabar/resources/attribution/speaker_model.json``.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold"
OUT = ROOT / "khabar" / "resources" / "attribution" / "speaker_model.json"
# weight of a candidate the scorer accepts but which swallowed more than the name, when a clean one exists
SWALLOWED = 0.25
DROP: tuple = ()   # feature-name prefixes left out (--drop, for ablations)


def load_scorer():
    spec = importlib.util.spec_from_file_location("gold_score", GOLD / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def articles(sets):
    out = []
    for s in sets:
        d = GOLD / s
        for f in sorted((d / "annotations").glob("*.json")):
            out.append((f.stem, d))
    return out


def run_article(pipe, name, gdir):
    """(prediction dict, speaker decision records) of one article with the current model."""
    from khabar.attribution import speaker_model
    from khabar.document import Document
    from khabar.evaluate import _run

    d = json.loads((gdir / "articles" / f"{name}.json").read_text(encoding="utf-8"))
    speaker_model.RECORD = []
    try:
        doc = _run(pipe, Document.from_text(d["text"], external_id=name), {}, None)
        recs = speaker_model.RECORD
    finally:
        speaker_model.RECORD = None
    return doc.to_json(), recs


def label(sc, text, gold, pred, recs):
    """[(feature dicts, labels)] of the records whose cue has a predicted quote matching a gold quote."""
    aliases = {sp["name"]: [sp["name"]] + sp.get("aliases", []) for sp in gold.get("speakers", [])}
    gq = [(sc.locate(text, q["content"], q.get("content_occurrence", 1)), q) for q in gold.get("quotes", [])]
    pq = [((q["content_start"], q["content_end"]), q) for q in pred.get("quotes", [])]
    pairs = [(sc.iou(g[0], p[0]), gi, pi) for gi, g in enumerate(gq) for pi, p in enumerate(pq)
             if g[0] and sc.iou(g[0], p[0]) >= 0.5]
    p2g = {pi: gi for gi, pi in sc.match_greedy(pairs)}
    out = []
    for r in recs:
        gis = [p2g[pi] for pi, (_, q) in enumerate(pq) if q.get("cue") == r["cue"] and pi in p2g]
        if not gis:
            continue
        g = gq[gis[0]][1]
        names = aliases.get(g["speaker"], [g["speaker"]])
        normed = [sc.norm(n) for n in names]
        shown = r.get("resolved") or r["names"]
        full = sc.norm(g["speaker"])
        quality = []
        for n, m in zip(r["names"], shown):
            best = -1
            for x in (m, n):
                nx = sc.norm(x)
                if not sc.same_actor(x, names):
                    continue
                if nx == full:
                    best = max(best, 3)
                elif nx in normed:
                    best = max(best, 2)
                elif len(nx.split()) >= 2 and any(sc.contains_words(a, nx) for a in normed):
                    best = max(best, 1)
                else:
                    best = max(best, 0)
            quality.append(best)
        top = max(quality)
        lab = [0.0 if q < 0 else 1.0 if (q >= 1 or top == 0) else SWALLOWED for q in quality]
        if any(lab):
            out.append((r["feats"], lab))
    return out


def dump(sc, name, gdir, pred, recs, model):
    """Print the decisions where the model's choice is not the rules' (+ right, - wrong, ? unmatched)."""
    from khabar.attribution import speaker_model
    text = json.loads((gdir / "articles" / f"{name}.json").read_text(encoding="utf-8"))["text"]
    gold = json.loads((gdir / "annotations" / f"{name}.json").read_text(encoding="utf-8"))
    for r in recs:
        lab = label(sc, text, gold, pred, [r])
        if r["chosen"] == 0 and not (lab and not lab[0][1][0]):
            continue
        mark = "?" if not lab else ("+" if lab[0][1][r["chosen"]] else "-") + ("+" if lab[0][1][0] else "-")
        top = sorted(((speaker_model.score(f, model), k) for k, f in enumerate(r["feats"])), reverse=True)[:2]
        print(f"{mark} {name[:28]:28s} {text[r['cue'][0]:r['cue'][1]]:10s} rule={r['names'][0]!r} "
              f"[{r['feats'][0] and next(o for o in r['feats'][0] if o.startswith('o='))}] model={r['names'][r['chosen']]!r} "
              f"[{next(o for o in r['feats'][r['chosen']] if o.startswith('o='))}] {[round(x, 2) for x, _ in top]}")


def collect(pipe, sc, arts, model):
    from khabar.attribution import speaker_model
    speaker_model.set_model(model)
    data, preds = {}, {}
    for name, gdir in arts:
        pred, recs = run_article(pipe, name, gdir)
        text = json.loads((gdir / "articles" / f"{name}.json").read_text(encoding="utf-8"))["text"]
        gold = json.loads((gdir / "annotations" / f"{name}.json").read_text(encoding="utf-8"))
        data[name] = label(sc, text, gold, pred, recs)
        preds[name] = pred
    return data, preds


def train(decisions, C, learner="clogit"):
    """Weights from labelled decisions.  ``clogit`` (default): a conditional logit -- a softmax over each
    decision's candidates, maximising the (label-weighted) probability of its positive ones, L2 penalty 1/(2C);
    ``lr``: scikit-learn's pointwise LogisticRegression over all candidates."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer

    X, y, group = [], [], []
    for g, (feats, labs) in enumerate(decisions):
        if DROP:
            feats = [{k: v for k, v in f.items() if not k.startswith(DROP)} for f in feats]
        X.extend(feats)
        y.extend(labs)
        group.extend([g] * len(feats))
    vec = DictVectorizer()
    Xm = vec.fit_transform(X).tocsr()
    names = vec.get_feature_names_out()
    if learner == "lr":
        from sklearn.linear_model import LogisticRegression
        lr = LogisticRegression(C=C, max_iter=2000)
        lr.fit(Xm, [int(v > 0.5) for v in y])
        coef, bias = lr.coef_[0], float(lr.intercept_[0])
    else:
        from scipy.optimize import minimize
        import scipy.sparse as sp
        y = np.asarray(y, dtype=float)
        group = np.asarray(group)
        n_g = group.max() + 1
        G = sp.csr_matrix((np.ones(len(group)), (group, np.arange(len(group)))), shape=(n_g, len(group)))

        def f(w):
            s = Xm @ w
            m = np.zeros(n_g)
            np.maximum.at(m, group, s)
            e = np.exp(s - m[group])
            z_all = G @ e
            z_pos = G @ (e * y)
            loss = -np.sum(np.log(z_pos) - np.log(z_all)) + (w @ w) / (2 * C)
            p_all = e / z_all[group]
            p_pos = e * y / z_pos[group]
            grad = Xm.T @ (p_all - p_pos) + w / C
            return loss, grad

        res = minimize(f, np.zeros(Xm.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
        coef, bias = res.x, 0.0
    w = {k: round(float(v), 5) for k, v in zip(names, coef) if abs(v) > 1e-6}
    return {"bias": round(bias, 5), "weights": w}


def score_preds(sc, arts, preds):
    """The gold scorer over the given predictions (a combined gold folder of symlinks)."""
    import io
    from contextlib import redirect_stdout
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for sub in ("annotations", "articles", "pred"):
            (tmp / sub).mkdir()
        for name, gdir in arts:
            (tmp / "annotations" / f"{name}.json").symlink_to(gdir / "annotations" / f"{name}.json")
            (tmp / "articles" / f"{name}.json").symlink_to(gdir / "articles" / f"{name}.json")
            (tmp / "pred" / f"{name}.json").write_text(json.dumps(preds[name], ensure_ascii=False), encoding="utf-8")
        buf = io.StringIO()
        with redirect_stdout(buf):
            sc.main([str(tmp / "annotations"), str(tmp / "pred"), "--articles", str(tmp / "articles"), "--json"])
    r = json.loads(buf.getvalue())
    return {"quotes_f1": r["quotes"]["f1"], "speaker_accuracy": r["quote_speaker_accuracy"],
            "quotes_with_speaker_f1": r["quotes_with_speaker"]["f1"], "matched": r["quotes"]["tp"],
            "gold": r["quotes"]["gold"], "pred": r["quotes"]["pred"]}


def fold_of(arts, k=5, seed=15):
    names = [n for n, _ in arts]
    rnd = random.Random(seed)
    rnd.shuffle(names)
    return {n: i % k for i, n in enumerate(names)}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--C", type=float, default=0.45)
    ap.add_argument("--rounds", type=int, default=1, help="rounds of records (round k made with round k-1's model)")
    ap.add_argument("--sets", default="dev,dev2")
    ap.add_argument("--cv-out", default=None, help="write the held-out predictions here (DIR/dev, DIR/dev2)")
    ap.add_argument("--seed", type=int, default=15, help="seed of the article shuffle that makes the folds")
    ap.add_argument("--swallowed", type=float, default=0.25, help="label weight of a phrase that swallowed more")
    ap.add_argument("--drop", default="", help="comma-separated feature-name prefixes to leave out (ablation)")
    ap.add_argument("--learner", default="clogit", choices=("clogit", "lr"))
    ap.add_argument("--dump", action="store_true", help="print the held-out decisions where the model overrules the rules")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    global DROP, SWALLOWED
    DROP = tuple(x for x in args.drop.split(",") if x)
    SWALLOWED = args.swallowed

    from khabar.attribution import speaker_model
    from khabar.pipeline import default_pipeline

    sc = load_scorer()
    pipe = default_pipeline()
    arts = articles(args.sets.split(","))
    print(f"{len(arts)} articles", file=sys.stderr)
    data, base_preds = collect(pipe, sc, arts, None)
    n_dec = sum(len(v) for v in data.values())
    print(f"rules alone: {score_preds(sc, arts, base_preds)}; {n_dec} labelled decisions", file=sys.stderr)
    report = {"articles": len(arts), "C": args.C, "rounds": args.rounds, "decisions": n_dec,
              "fit_rules": score_preds(sc, arts, base_preds)}

    def fit(names_in, data_rounds):
        dec = [d for data_ in data_rounds for n in names_in for d in data_.get(n, [])]
        return train(dec, args.C, args.learner)

    if not args.no_cv:
        folds = fold_of(arts, seed=args.seed)
        cv_preds = {}
        for k in range(5):
            tr = [n for n, _ in arts if folds[n] != k]
            te = [(n, g) for n, g in arts if folds[n] == k]
            rounds = [data]
            model = fit(tr, rounds)
            for _ in range(args.rounds - 1):
                more, _ = collect(pipe, sc, [(n, g) for n, g in arts if folds[n] != k], model)
                rounds.append(more)
                model = fit(tr, rounds)
            speaker_model.set_model(model)
            for name, gdir in te:
                cv_preds[name], recs = run_article(pipe, name, gdir)
                if args.dump:
                    dump(sc, name, gdir, cv_preds[name], recs, model)
        cv = score_preds(sc, arts, cv_preds)
        if args.cv_out:
            for name, gdir in arts:
                d = Path(args.cv_out) / gdir.name
                d.mkdir(parents=True, exist_ok=True)
                (d / f"{name}.json").write_text(json.dumps(cv_preds[name], ensure_ascii=False), encoding="utf-8")
        report["cv_model"] = cv
        print(f"5-fold CV by article, model: {cv}", file=sys.stderr)
        for s in args.sets.split(","):
            sub = [(n, g) for n, g in arts if g.name == s]
            report[f"cv_model_{s}"] = score_preds(sc, sub, cv_preds)
            report[f"rules_{s}"] = score_preds(sc, sub, base_preds)
            print(f"  {s}: CV {report[f'cv_model_{s}']}  rules {report[f'rules_{s}']}", file=sys.stderr)

    rounds = [data]
    model = fit([n for n, _ in arts], rounds)
    for _ in range(args.rounds - 1):
        more, _ = collect(pipe, sc, arts, model)
        rounds.append(more)
        model = fit([n for n, _ in arts], rounds)
    speaker_model.set_model(model)
    fit_preds = {n: run_article(pipe, n, g)[0] for n, g in arts}
    report["fit_model"] = score_preds(sc, arts, fit_preds)
    print(f"fit (all articles, not a held-out figure): {report['fit_model']}", file=sys.stderr)
    model["about"] = ("speaker chooser of khabar's attribution sieve: logistic regression over candidate features; "
                      "trained by training/train_speaker.py on shared/gold dev + dev2 (see PROVENANCE.md)")
    model["report"] = report
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    print(f"wrote {out} ({len(model['weights'])} weights)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
