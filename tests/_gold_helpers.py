"""Gold floors: measure what ships on the gold sets and models' evaluation data, and check it against
``tests/gold_floors.json``.

Every *gold set* below is a named measurement on files under ``../shared``: the scorer figures of the gold articles
(seed, dev, dev2: the default pipeline, exactly what ``khabar eval`` runs), the document-level entity scorer on the
dev and dev2 predictions, and the model evaluations (NER, segmenter, topic, protest detector).  Each measurement
returns flat figures, every one a fraction in [0, 1] (an F1 or an accuracy) where higher is better.

``tests/gold_floors.json`` pins, per set, the SHA-256 digest of the files it was measured on and, per figure, the
measured value and its floor (measured - epsilon).  ``tests/test_gold_floors.py`` fails when a figure falls below
its floor, when it rises above measured + margin (so that floors get raised), or when the gold data changed;
``python tests/pin_gold_floors.py`` re-measures and re-pins (raising freely, lowering only with ``--allow-lower``).

Measurements are cached: the default pipeline runs once per gold set per test session.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
DATA = SHARED / "data"
FLOORS_FILE = Path(__file__).resolve().parent / "gold_floors.json"
PIN_COMMAND = "python tests/pin_gold_floors.py"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class GoldMissing(RuntimeError):
    """The files a measurement needs are absent (no ../shared beside the repository): tests skip with this reason."""


def _need(*paths: Path) -> None:
    for p in paths:
        if not p.exists():
            raise GoldMissing(f"{p} not found: gold-floor tests need ../shared beside the repository (CI has it)")


def gold_dir(name: str) -> Path:
    """``../shared/gold/NAME`` with its articles/, annotations/ and the scorer beside it; GoldMissing otherwise."""
    p = GOLD / name
    _need(p / "articles", p / "annotations", GOLD / "score.py")
    return p


# ---- the default pipeline on a gold set (once per session) ---------------------------------------------------
_TMP: list[str] = []


@atexit.register
def _cleanup() -> None:
    for d in _TMP:
        shutil.rmtree(d, ignore_errors=True)


def _once(fn):
    """Cache a measurement for the session, its error too (a failing pipeline is not run again for every test)."""
    memo: dict = {}

    @functools.wraps(fn)
    def wrapper(*args):
        if args not in memo:
            try:
                memo[args] = (True, fn(*args))
            except Exception as e:  # noqa: BLE001 - re-raised below, every time it is asked for
                memo[args] = (False, e)
        ok, value = memo[args]
        if not ok:
            raise value
        return value
    wrapper.cache_clear = memo.clear
    return wrapper


@_once
def predictions(name: str) -> Path:
    """A folder of ``<id>.json`` predictions of the default pipeline on gold set ``name`` (``khabar eval``'s
    ``predict_dir``); a stage that fails is an error here, not a silently lower figure."""
    from khabar.evaluate import predict_dir

    g = gold_dir(name)
    out = tempfile.mkdtemp(prefix=f"khabar-gold-{name}-")
    _TMP.append(out)
    failures: dict[str, str] = {}
    predict_dir(g, out, failures=failures)
    if failures:
        raise RuntimeError(f"default pipeline on gold set {name!r}: stage(s) failed: {failures}")
    return Path(out)


@functools.lru_cache(maxsize=None)
def figures(name: str) -> dict:
    """The gold scorer's figures (``shared/gold/score.py --json``) of the default pipeline on gold set ``name``."""
    from khabar.evaluate import score_dir

    try:
        g = gold_dir(name)
    except GoldMissing as e:
        import pytest

        pytest.skip(str(e))
    return score_dir(g, predictions(name))


_NOT_FIGURES = {"articles", "seconds", "words_per_second"}


def flat_figures(res: dict) -> dict[str, float]:
    """The scorer's result as flat figures: ``KEY.f1`` of every P/R/F1 block whose gold is not empty, and every
    plain number (accuracies) but counts and timings."""
    out: dict[str, float] = {}
    for k, v in res.items():
        if isinstance(v, dict) and "f1" in v:
            if v.get("gold", 1):
                out[f"{k}.f1"] = float(v["f1"])
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and k not in _NOT_FIGURES:
            out[k] = float(v)
    return out


def score_entities(name: str, pred_dir: Path) -> dict[str, float]:
    """``shared/gold/score_entities.py`` (a script) on ``entities/NAME`` against ``pred_dir``: per-type and
    document-level F1."""
    gold = GOLD / "entities" / name
    out = subprocess.run([sys.executable, str(GOLD / "score_entities.py"), str(gold), str(pred_dir)],
                         capture_output=True, text=True, check=True).stdout
    figs: dict[str, float] = {}
    for line in out.splitlines():
        m = re.match(r"^(PER|ORG|LOC) P \S+ R \S+ F1 (\S+)", line)
        if m:
            figs[f"{m.group(1)}.f1"] = float(m.group(2))
        m = re.match(r"^doc_entity_f1 (\S+)", line)
        if m:
            figs["doc_entity_f1"] = float(m.group(1))
    if "doc_entity_f1" not in figs:
        raise RuntimeError(f"score_entities.py printed no doc_entity_f1:\n{out}")
    return figs


# ---- model evaluations (formerly in test_ner, test_segment, test_topic, test_events) ------------------------
@functools.lru_cache(maxsize=None)
def ner_f1(path: Path) -> float:
    """Micro F1 (PER/ORG/LOC/MISC, fraction) of the shipped tagger with document propagation (as ``khabar ner``)."""
    from khabar.ner import get_tagger
    from khabar.ner.conll import evaluate, read_conll
    from khabar.ner.docprop import propagate_windows

    _need(path)
    gold = read_conll(path)
    toks = [[t for t, _ in s] for s in gold]
    pred = propagate_windows(toks, get_tagger().tag_sents(toks), 40)
    return round(evaluate(gold, pred, types=("PER", "ORG", "LOC", "MISC"))["micro"]["f1"], 4)


def _training(module: str):
    """A module of training/ (the evaluation code lives beside the training code)."""
    if str(ROOT / "training") not in sys.path:
        sys.path.insert(0, str(ROOT / "training"))
    return __import__(module)


def segmenter_cv() -> dict[str, float]:
    """5-fold cross-validation by article on the WikiNews gold half (the shipped corpus-frequency table)."""
    from khabar.text.segment import Segmenter

    T = _training("train_segmenter")
    (ok, tot, ok_s, tot_s, ok_a, tot_a), _ = T.cross_validate(T.load_gold(), Segmenter().B, k=5)
    assert tot > 11000 and tot_s > 5000, (tot, tot_s)
    return {"overall_accuracy": round(ok / tot, 4), "split_token_accuracy": round(ok_s / tot_s, 4),
            "arabic_word_accuracy": round(ok_a / tot_a, 4)}


ANT = DATA / "news" / "ant_v2.1.jsonl.gz"


def subject_ant_seen() -> dict[str, float]:
    """The latest 20% of ANT by time (every 10th), sections mapped onto subjects (internationalNews and middleEast
    -> politics), scored with the shipped subject model -- which saw them: a regression check, not the held-out
    figure (training/train_subject.py reports leave-one-outlet-out)."""
    import gzip
    from email.utils import parsedate_to_datetime

    from khabar.topic import classify_subject

    T = _training("train_subject")
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows.sort(key=lambda r: parsedate_to_datetime(r["time"]).timestamp())
    test = rows[int(len(rows) * 0.8):][::10]
    ok = sum(classify_subject(r["text"], r.get("title"))["label"] == T.ANT_MAP[r["label"]] for r in test)
    return {"subject_accuracy": round(ok / len(test), 4)}


SNN = DATA / "news" / "saudinewsnet.jsonl.gz"
TOPIC_SAMPLE = ROOT / "bench" / "topic_gold" / "saudinewsnet_100.jsonl"


def topic_saudinewsnet_sample() -> dict[str, float]:
    """100 hand-labelled SaudiNewsNet articles of outlets the subject model never trained on (training/
    eval_topic_sample.py): subject accuracy, main-country accuracy, country precision and recall.  The labels are in
    this repository (the digest covers the corpus only; git covers the labels)."""
    _need(SNN)
    r = _training("eval_topic_sample").main([])
    return {k: r[k] for k in ("subject_accuracy", "main_country_accuracy", "country_precision", "country_recall")}


TOPIC_TEST = ROOT / "bench" / "topic_gold" / "saudinewsnet_test_100.jsonl"


def topic_saudinewsnet_test() -> dict[str, float]:
    """The held-out hand-labelled sample (bench/topic_gold/saudinewsnet_test_100.jsonl, never tuned on): the same
    figures as :func:`topic_saudinewsnet_sample`."""
    _need(SNN)
    r = _training("eval_topic_sample").main(["--sample", "test"])
    return {k: r[k] for k in ("subject_accuracy", "main_country_accuracy", "country_precision", "country_recall")}


PROTEST_GSR = DATA / "events" / "arabic_event_gsr" / "protest_gsr.csv"


def protest() -> dict[str, float]:
    """The rule detector on the protest GSR (without ambiguous sentences), and a 5-fold CV of the protest
    classifier with the shipped settings."""
    run_gsr = _training("eval_events").run_gsr
    rules = run_gsr(PROTEST_GSR, "14")["without_ambiguous"]["f1"]
    cv = _training("train_protest").quick_cv()["f1"]
    return {"rules.f1": round(float(rules), 4), "classifier_cv.f1": round(float(cv), 4)}


# ---- the registry of gold sets -------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldSet:
    name: str
    files: Callable[[], list[Path]]      # what the digest covers (gold data and the scorer reading it)
    measure: Callable[[], dict]          # flat figures {name: fraction}
    about: str


def _article_set(name: str) -> GoldSet:
    def files() -> list[Path]:
        g = gold_dir(name)
        return [GOLD / "score.py", g / "articles", g / "annotations"]
    return GoldSet(name, files, lambda: flat_figures(figures(name)),
                   f"shared/gold/{name}: score.py figures of the default pipeline (khabar eval)")


def _entity_set(name: str) -> GoldSet:
    def files() -> list[Path]:
        _need(GOLD / "entities" / name, GOLD / "score_entities.py")
        return [GOLD / "score_entities.py", GOLD / "entities" / name, gold_dir(name) / "articles"]
    return GoldSet(f"entities-{name}", files, lambda: score_entities(name, predictions(name)),
                   f"shared/gold/entities/{name}: score_entities.py on the default pipeline's {name} predictions")


ANERCORP_TEST = DATA / "ner" / "anercorp" / "ANERcorp_camel_like_test.txt"
AQMAR_DEV = DATA / "ner" / "aqmar" / "dev.txt"
SEG = DATA / "segmentation"


def _files(*paths: Path) -> Callable[[], list[Path]]:
    def files() -> list[Path]:
        _need(*paths)
        return list(paths)
    return files


GOLD_SETS: dict[str, GoldSet] = {s.name: s for s in [
    _article_set("seed"), _article_set("dev"), _article_set("dev2"),
    _entity_set("dev"), _entity_set("dev2"),
    GoldSet("ner-anercorp-test", _files(ANERCORP_TEST), lambda: {"micro.f1": ner_f1(ANERCORP_TEST)},
            "ANERcorp test (CAMeL split): NER micro F1, shipped CRF with document propagation"),
    GoldSet("ner-aqmar-dev", _files(AQMAR_DEV), lambda: {"micro.f1": ner_f1(AQMAR_DEV)},
            "AQMAR dev: NER micro F1, shipped CRF with document propagation"),
    GoldSet("segmenter-wikinews-cv", _files(SEG / "wikinews_truth.txt", SEG / "wikinews_seg_pos.tsv"),
            segmenter_cv, "WikiNews segmentation gold: 5-fold CV by article of the clitic segmenter"),
    GoldSet("subject-ant-seen", _files(ANT), subject_ant_seen,
            "ANT v2.1, latest 20% by time (every 10th), sections mapped onto subjects: shipped subject model "
            "accuracy (seen data: a regression check)"),
    GoldSet("topic-saudinewsnet-hand", _files(SNN), topic_saudinewsnet_sample,
            "100 SaudiNewsNet articles of outlets never trained on, labelled by hand (bench/topic_gold): subject "
            "accuracy, main-country accuracy, country precision/recall"),
    GoldSet("topic-saudinewsnet-hand-test", _files(SNN), topic_saudinewsnet_test,
            "100 more SaudiNewsNet articles, held out (bench/topic_gold/saudinewsnet_test_100.jsonl): subject "
            "accuracy, main-country accuracy, country precision/recall"),
    GoldSet("events-protest-gsr", _files(PROTEST_GSR), protest,
            "Arabic event GSR (protest): rule detector F1 and protest-classifier 5-fold CV F1"),
]}


@_once
def measure(name: str) -> dict[str, float]:
    """The figures of gold set ``name`` (cached for the session); raises GoldMissing when its data is absent."""
    s = GOLD_SETS[name]
    s.files()  # GoldMissing before any work
    return s.measure()


@functools.lru_cache(maxsize=None)
def digest(name: str) -> tuple[str, int]:
    """SHA-256 over the relative path and bytes of every file the set is measured on, and the number of files."""
    h = hashlib.sha256()
    paths: list[Path] = []
    for p in GOLD_SETS[name].files():
        paths.extend(sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p])
    for p in paths:
        rel = p.relative_to(SHARED).as_posix().encode()
        h.update(len(rel).to_bytes(4, "big") + rel)
        data = p.read_bytes()
        h.update(len(data).to_bytes(8, "big") + data)
    return "sha256:" + h.hexdigest(), len(paths)


# ---- floors: check and re-pin --------------------------------------------------------------------------------
def load_floors(path: Path = FLOORS_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def floor_of(measured: float, epsilon: float) -> float:
    return max(0.0, round(measured - epsilon, 4))


def check_figure(set_name: str, figure: str, value: float, pinned: dict, margin: float) -> str | None:
    """A failure message when ``value`` is below the pinned floor or above the pinned measured value + ``margin``
    (an improvement whose floor must be raised); None when it is within the band."""
    floor, measured = pinned["floor"], pinned["measured"]
    if value < floor - 1e-9:
        return (f"{set_name} {figure} fell to {value:.4f}, below its floor {floor:.4f} (pinned at {measured:.4f}): "
                f"a regression; if it is intended, re-pin with {PIN_COMMAND} --set {set_name} --allow-lower")
    if value > measured + margin + 1e-9:
        return (f"figure {set_name} {figure} improved from {measured:.4f} to {value:.4f}: run {PIN_COMMAND} "
                f"to raise its floor")
    return None


def check_digest(set_name: str, entry: dict, now: tuple[str, int]) -> str | None:
    if entry["digest"] == now[0]:
        return None
    return (f"the gold data of {set_name} changed since its floors were pinned ({entry['files']} files "
            f"{entry['digest'][:19]}... -> {now[1]} files {now[0][:19]}...): re-measure and re-pin with "
            f"{PIN_COMMAND} --set {set_name} (add --allow-lower if a figure falls)")


def repin(doc: dict, measured: dict[str, tuple[tuple[str, int], dict[str, float]]],
          allow_lower: bool = False) -> tuple[dict, list[str], list[str]]:
    """The floors document after pinning ``measured`` ({set: ((digest, n files), figures)}) into ``doc``.

    A figure's floor is raised whenever the new measurement allows it; a figure that fell but is still at or above
    its floor keeps its pinned entry; one below its floor, or a pinned figure no longer measured, is refused unless
    ``allow_lower``.  Returns (new document, refusals, changes); with refusals the caller writes nothing."""
    eps = doc["epsilon"]
    new = json.loads(json.dumps(doc))
    refused: list[str] = []
    changes: list[str] = []
    for name, ((dig, nfiles), figs) in measured.items():
        old = doc["sets"].get(name, {"figures": {}})
        entry = {"about": GOLD_SETS[name].about if name in GOLD_SETS else old.get("about", ""),
                 "digest": dig, "files": nfiles, "figures": {}}
        if old.get("digest") not in (None, dig):
            changes.append(f"{name}: gold data changed ({old['files']} -> {nfiles} files, new digest)")
        for fig in sorted(figs):
            v = round(float(figs[fig]), 4)
            want = {"measured": v, "floor": floor_of(v, eps)}
            was = old["figures"].get(fig)
            if was is None:
                changes.append(f"{name} {fig}: new, pinned at {v:.4f} (floor {want['floor']:.4f})")
            elif want["floor"] >= was["floor"] or allow_lower:
                if want != was:
                    verb = "raised" if want["floor"] > was["floor"] else "re-pinned" if want["floor"] == was["floor"] \
                        else "LOWERED"
                    changes.append(f"{name} {fig}: {verb}, {was['measured']:.4f} -> {v:.4f} "
                                   f"(floor {was['floor']:.4f} -> {want['floor']:.4f})")
            elif v >= was["floor"]:
                want = was  # fell within its epsilon: the floor stays
                changes.append(f"{name} {fig}: kept (measured {v:.4f}, floor {was['floor']:.4f} not lowered)")
            else:
                refused.append(f"{name} {fig}: {v:.4f} is below its floor {was['floor']:.4f} "
                               f"(pinned {was['measured']:.4f}); lowering needs --allow-lower")
            entry["figures"][fig] = want
        for fig in sorted(set(old["figures"]) - set(figs)):
            if allow_lower:
                changes.append(f"{name} {fig}: no longer measured, its floor is dropped")
            else:
                refused.append(f"{name} {fig}: pinned but no longer measured; dropping it needs --allow-lower")
                entry["figures"][fig] = old["figures"][fig]
        new["sets"][name] = entry
    new["sets"] = dict(sorted(new["sets"].items()))
    return new, refused, changes
