"""``khabar eval GOLD_DIR [--out PRED_DIR]``: analyse a gold set and score it with the gold scorer.

``GOLD_DIR`` holds ``articles/<id>.json`` (with ``"text"`` and metadata) and ``annotations/<id>.json`` (see
shared/gold/GUIDELINES.md).  Every article is analysed with the default pipeline, its prediction
(``Document.to_json()``: the ``quotes``, ``sources``, ``dateline``, ``dates`` and ``events`` keys the scorer reads)
is written to ``PRED_DIR/<id>.json``, and the scorer ``score.py`` (looked up in ``GOLD_DIR/..`` and
``GOLD_DIR``) is imported by path and run in-process.
"""
from __future__ import annotations

import importlib.util
import io
import json
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

META_MAP = {"title": "title", "url": "url", "source": "outlet", "outlet": "outlet", "time": "published",
            "published": "published", "language": "language"}


class ScorerMissing(RuntimeError):
    pass


def find_scorer(gold_dir: Path) -> Path | None:
    for cand in (gold_dir.parent / "score.py", gold_dir / "score.py", gold_dir.parent.parent / "score.py"):
        if cand.is_file():
            return cand
    return None


def _load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("khabar_gold_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def predict_dir(gold_dir: str | Path, out_dir: str | Path, *, timings: dict | None = None,
                failures: dict | None = None) -> list[str]:
    """Analyse every article of ``gold_dir/articles`` and write ``out_dir/<id>.json``; returns the file names.

    A stage that raises is skipped and reported on stderr; ``failures``, when given, also receives
    ``{stage name: error}`` (the gold-floor tests fail on it rather than score a crippled pipeline)."""
    from .document import Document
    from .pipeline import default_pipeline

    gold_dir, out_dir = Path(gold_dir), Path(out_dir)
    art_dir = gold_dir / "articles"
    if not art_dir.is_dir():
        raise FileNotFoundError(f"{art_dir}: no articles folder (expected GOLD_DIR/articles/<id>.json)")
    out_dir.mkdir(parents=True, exist_ok=True)
    pipe = default_pipeline()
    names = []
    failed: dict[str, str] = {} if failures is None else failures
    for f in sorted(art_dir.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        meta = {}
        for k, v in d.items():
            if k in META_MAP and isinstance(v, (str, int, float)) and v is not None:
                meta[META_MAP[k]] = v
        meta["external_id"] = d.get("id") or f.stem
        doc = Document.from_text(d["text"], **meta)
        doc = _run(pipe, doc, failed, timings)
        (out_dir / f.name).write_text(json.dumps(doc.to_json(), ensure_ascii=False), encoding="utf-8")
        names.append(f.name)
    for name, err in failed.items():
        sys.stderr.write(f"khabar eval: stage {name!r} failed and was skipped ({err})\n")
    return names


def _run(pipe, doc, failed: dict, timings: dict | None):
    """Run the stages one by one; a stage that raises is skipped (and reported once) so one broken stage does
    not hide the figures of the others."""
    for k, st in enumerate(pipe.stages):
        if any(layer not in doc.layers for layer in st.requires):
            failed.setdefault(st.name, "a layer it requires is missing")
            continue
        t = time.perf_counter()
        try:
            doc = pipe.run_stage(k, doc)
        except Exception as e:  # noqa: BLE001 - reported, not swallowed
            failed.setdefault(st.name, f"{type(e).__name__}: {e}")
        if timings is not None:
            timings[st.name] = timings.get(st.name, 0.0) + time.perf_counter() - t
    return doc


def score_dir(gold_dir: str | Path, pred_dir: str | Path) -> dict:
    """Run the gold scorer in-process on ``gold_dir/annotations`` against ``pred_dir``; its JSON figures."""
    gold_dir = Path(gold_dir)
    scorer = find_scorer(gold_dir)
    if scorer is None:
        raise ScorerMissing(f"no score.py next to {gold_dir} (looked in {gold_dir.parent} and {gold_dir})")
    mod = _load_scorer(scorer)
    buf = io.StringIO()
    argv = [str(gold_dir / "annotations"), str(pred_dir), "--articles", str(gold_dir / "articles"), "--json"]
    with redirect_stdout(buf):
        rc = mod.main(argv)
    if rc:
        raise RuntimeError(f"scorer failed with status {rc}")
    return json.loads(buf.getvalue())


def evaluate_dir(gold_dir: str | Path, out_dir: str | Path | None = None) -> dict:
    """Analyse and score a gold set; returns the scorer's figures (plus ``words_per_second`` of the pipeline)."""
    gold_dir = Path(gold_dir)
    tmp = None
    if out_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="khabar-eval-")
        out_dir = tmp.name
    try:
        t = time.perf_counter()
        predict_dir(gold_dir, out_dir)
        elapsed = time.perf_counter() - t
        res = score_dir(gold_dir, out_dir)
        n_words = 0
        for f in (gold_dir / "articles").glob("*.json"):
            n_words += len(json.loads(f.read_text(encoding="utf-8"))["text"].split())
        res["seconds"] = round(elapsed, 3)
        res["words_per_second"] = round(n_words / elapsed) if elapsed else None
        return res
    finally:
        if tmp is not None:
            tmp.cleanup()


def format_figures(res: dict) -> str:
    lines = []
    for k, v in res.items():
        if isinstance(v, dict):
            lines.append(f"{k:22s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  "
                         f"(tp {v['tp']}, pred {v['pred']}, gold {v['gold']})")
        else:
            lines.append(f"{k:22s} {v}")
    return "\n".join(lines)


def cmd_eval(args) -> int:
    gold_dir = Path(args.gold_dir)
    if not (gold_dir / "articles").is_dir() or not (gold_dir / "annotations").is_dir():
        sys.stderr.write(f"khabar: error {gold_dir}: expected articles/ and annotations/ folders in it\n")
        return 2
    if find_scorer(gold_dir) is None:
        out = args.out or tempfile.mkdtemp(prefix="khabar-eval-")
        predict_dir(gold_dir, out)
        sys.stderr.write(f"khabar: predictions written to {out}, but no score.py was found next to {gold_dir}; "
                         "score them with shared/gold/score.py\n")
        return 1
    res = evaluate_dir(gold_dir, args.out)
    if args.json:
        sys.stdout.write(json.dumps(res, indent=1) + "\n")
    else:
        sys.stdout.write(format_figures(res) + "\n")
        if args.out:
            sys.stdout.write(f"predictions in {args.out}\n")
    return 0


def add_commands(sub) -> None:
    e = sub.add_parser("eval", help="analyse a gold set (GOLD_DIR/articles, GOLD_DIR/annotations) and score it")
    e.add_argument("gold_dir", metavar="GOLD_DIR", help="folder with articles/ and annotations/ (e.g. shared/gold/dev)")
    e.add_argument("--out", metavar="PRED_DIR", default=None, help="write the predictions <id>.json here")
    e.add_argument("--json", action="store_true", help="print the scorer's figures as JSON")
    e.set_defaults(func=cmd_eval)
