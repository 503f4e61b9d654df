"""Tests for khabar.ner: CoNLL reading, evaluation, tagger smoke and accuracy targets (the regression floors are in
tests/test_gold_floors.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:  # the package root may be owned by others; fall back to a path import
    import khabar.ner  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(ROOT))

from khabar.ner.conll import evaluate, get_entities, map_tag, read_conll  # noqa: E402
from khabar.ner.features import normalize, strip_clitics  # noqa: E402

import _gold_helpers as G  # noqa: E402

MODEL = ROOT / "khabar" / "resources" / "ner" / "model.crfsuite"
TAGS = {"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"}


# ------------------------------------------------------------------ conll
def test_read_conll_columns_and_mapping(tmp_path):
    text = ("فرانكفورت B-LOC\n(د O\n\n\n"
            "محمد POS x B-PERS\nعباس NNP y I-PERS\nويكيبيديا B-MIS\n"
            "-DOCSTART- O\n\nفي O\n")
    sents = read_conll(text.splitlines())
    assert sents == [[("فرانكفورت", "B-LOC"), ("(د", "O")],
                     [("محمد", "B-PER"), ("عباس", "I-PER"), ("ويكيبيديا", "B-MISC")],
                     [("في", "O")]]
    p = tmp_path / "x.txt"
    p.write_text(text, encoding="utf-8")
    assert read_conll(p) == sents
    assert read_conll(str(p)) == sents


def test_map_tag():
    assert map_tag("B-PERS") == "B-PER"
    assert map_tag("I-MIS") == "I-MISC"
    assert map_tag("O") == "O"
    assert map_tag("B-ORG") == "B-ORG"


def test_get_entities_conlleval_semantics():
    assert get_entities(["B-PER", "I-PER", "O", "B-LOC"]) == [("PER", 0, 2), ("LOC", 3, 4)]
    # I- without B- starts an entity; a type switch inside I- starts a new one
    assert get_entities(["O", "I-ORG", "I-ORG", "I-LOC"]) == [("ORG", 1, 3), ("LOC", 3, 4)]
    assert get_entities(["B-PER", "B-PER"]) == [("PER", 0, 1), ("PER", 1, 2)]
    assert get_entities(["B-PER", "I-LOC"]) == [("PER", 0, 1), ("LOC", 1, 2)]
    assert get_entities([]) == []


def test_evaluate_known_answer():
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG", "O"], ["B-ORG", "O", "B-LOC"]]
    r = evaluate(gold, pred)
    # gold: PER, LOC, ORG (3); pred: PER, ORG, ORG(short), LOC (4); correct: PER only
    assert r["micro"]["tp"] == 1 and r["micro"]["gold"] == 3 and r["micro"]["pred"] == 4
    assert r["micro"]["precision"] == pytest.approx(0.25)
    assert r["micro"]["recall"] == pytest.approx(1 / 3)
    assert r["micro"]["f1"] == pytest.approx(2 * 0.25 * (1 / 3) / (0.25 + 1 / 3))
    assert r["per_type"]["PER"]["f1"] == pytest.approx(1.0)
    assert r["per_type"]["ORG"]["precision"] == 0.0 and r["per_type"]["ORG"]["gold"] == 1
    assert r["per_type"]["LOC"]["pred"] == 1 and r["per_type"]["LOC"]["tp"] == 0


def test_evaluate_accepts_token_tag_tuples_and_i_start():
    gold = [[("a", "B-LOC"), ("b", "I-LOC")]]
    pred = [["I-LOC", "I-LOC"]]  # I- without B- starts the entity: exact match
    assert evaluate(gold, pred)["micro"]["f1"] == pytest.approx(1.0)
    assert evaluate([["O"]], [["O"]])["micro"]["f1"] == 0.0
    with pytest.raises(ValueError):
        evaluate([["O"]], [])


def test_normalize_and_strip():
    assert normalize("أَحْمَد") == "احمد"
    assert normalize("مدرسة") == "مدرسه"
    assert normalize("مصطفى") == "مصطفي"
    assert normalize("٢٠١٨") == "2018"
    assert strip_clitics(normalize("وبالمدينة")) == ("وب", "المدينه", "مدينه")
    assert strip_clitics("لبنان") == ("", "لبنان", "لبنان")
    assert strip_clitics("ببغداد", {"بغداد": 1, "ببغداد": 50}) == ("ب", "بغداد", "بغداد")


# ------------------------------------------------------------------ tagger
needs_model = pytest.mark.skipif(not MODEL.exists(), reason=f"NER model missing: {MODEL} (run training/train_ner.py)")


@needs_model
def test_tagger_smoke():
    from khabar.ner import NerTagger, get_tagger

    t = get_tagger()
    assert t is get_tagger()
    assert isinstance(t, NerTagger)
    toks = "قال الرئيس الفلسطيني محمود عباس في رام الله إن حركة حماس".split()
    tags = t.tag(toks)
    assert len(tags) == len(toks) and set(tags) <= TAGS
    assert tags[3] == "B-PER" and tags[4] == "I-PER"
    assert t.tag([]) == []
    assert t.tag_sents([["بغداد"], [], ["و", "", "x"]]) == [t.tag(["بغداد"]), [], t.tag(["و", "", "x"])]
    ents = t.entities(toks)
    assert ("PER", 3, 5, "محمود عباس") in ents


def _f1(path: Path) -> float:
    """Micro F1 (points) of the shipped tagger with document propagation, as `khabar ner` (cached for the session;
    the same measurement as the gold floors)."""
    try:
        return 100 * G.ner_f1(path)
    except G.GoldMissing as e:
        pytest.skip(f"{e}; accuracy target not checked")


# Target floors of the NER brief. The CRF with document-level propagation (windows of 40
# sentences) measured 74.8 (ANERcorp test) and 70.0 (AQMAR dev): AQMAR meets its target,
# ANERcorp does not yet, so that target is an xfail(strict) -- it XPASSes (and fails, asking
# for this marker to be removed) once a model reaches it. The regression floors that guard
# the current model (measured - 0.005) are pinned in tests/gold_floors.json and checked by
# tests/test_gold_floors.py.
ANERCORP_TARGET, AQMAR_TARGET = 80.0, 65.0


@needs_model
@pytest.mark.xfail(strict=True, reason="CRF model is below the 80 F1 target on ANERcorp test (measured 74.8)")
def test_floor_anercorp_test_target():
    assert _f1(G.ANERCORP_TEST) >= ANERCORP_TARGET


@needs_model
def test_floor_aqmar_dev_target():
    f1 = _f1(G.AQMAR_DEV)
    assert f1 >= AQMAR_TARGET, f"AQMAR dev micro F1 {f1:.2f} < {AQMAR_TARGET}"


def test_docprop_tags_recurring_names_only_where_untagged():
    from khabar.ner.docprop import propagate, propagate_windows

    sents = [["قال", "الرئيس", "باراك", "أوباما", "إن"],
             ["وأضاف", "اوباما", "أن", "وأوباما", "و", "أ"],
             ["زار", "أوباما", "القاهرة"]]
    tags = [["O", "O", "B-PER", "I-PER", "O"],
            ["O", "B-LOC", "O", "O", "O", "O"],
            ["O", "O", "B-LOC"]]
    tags[0] = ["O", "O", "O", "B-PER", "O"]  # أوباما alone tagged PER
    out = propagate(sents, tags)
    assert out[0] == tags[0]
    assert out[1][1] == "B-LOC"            # a tagged token is never changed
    assert out[1][3] == "B-PER"            # و + name (a glued proclitic) matches, folded alef too
    assert out[1][4:] == ["O", "O"]        # one-letter strings are not propagated
    assert out[2] == ["O", "B-PER", "B-LOC"]
    assert tags[2] == ["O", "O", "B-LOC"]  # the input is not modified
    # windows: a name is only propagated inside its block of sentences
    assert propagate_windows(sents, tags, 1)[2] == ["O", "O", "B-LOC"]
    assert propagate_windows(sents, tags, 0) == tags


# ------------------------------------------------------------------ gazetteer sources (training/train_ner.py)
def _train_ner():
    sys.path.insert(0, str(ROOT / "training"))
    import train_ner

    return train_ner


def test_project_inventory_gazetteer_reads_only_khabar_resources(monkeypatch):
    """The --project-gazetteer entries come from khabar/resources alone (no annotated corpus: no leak of ANERcorp
    test or AQMAR dev), typed by the list they come from."""
    tn = _train_ner()
    read = []
    orig = Path.read_text

    def spy(self, *a, **k):
        read.append(self.resolve())
        return orig(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", spy)
    entries = list(tn.project_inventory_entries())
    res = (ROOT / "khabar" / "resources").resolve()
    assert read and all(res in p.parents for p in read), read
    by_type = {}
    for toks, typ in entries:
        by_type.setdefault(typ, set()).add(" ".join(toks))
    assert "مصر" in by_type["kLOC"] and "بغداد" in by_type["kLOC"]
    assert "الأمم المتحدة" in by_type["kORG"]
    assert "رويترز" in by_type["kMED"]
    assert {"عراقي", "عراقية", "العراقيون"} <= by_type["kNIS"]


def test_default_gazetteer_leaves_project_lists_out(tmp_path):
    """Without --project-gazetteer / --mined-names the gazetteer is ANERGazet + UniversalPetrarch only, as shipped."""
    tn = _train_ner()
    if not (tn.DATA / "gazetteers").exists():
        pytest.skip(f"shared data missing: {tn.DATA / 'gazetteers'}")
    import gzip

    tn.build_gazetteer(tmp_path / "g.tsv.gz")
    types = {line.split("\t")[0] for line in gzip.open(tmp_path / "g.tsv.gz", "rt", encoding="utf-8")}
    assert types and not any(t.startswith(("k", "m")) for tt in types for t in tt.split(","))
    mined = tmp_path / "mined.tsv"
    mined.write_text("# type\tname\nPER\tزيد عمرو\t5\t5\t2\n", encoding="utf-8")
    tn.build_gazetteer(tmp_path / "g2.tsv.gz", project_inventories=True, mined=mined)
    rows = [line.rstrip("\n").split("\t") for line in gzip.open(tmp_path / "g2.tsv.gz", "rt", encoding="utf-8")]
    assert ["mPER", "زيد عمرو"] in rows
    assert any("kLOC" in t.split(",") and p == "بغداد" for t, p in rows)


def test_fold_as_of_20261129_rebuilds_the_shipped_gazetteer(tmp_path):
    """--fold-as-of-20261129 (the feature fold the shipped model was trained with: Persian letter forms not folded)
    rebuilds the shipped gazetteer byte for byte, today's fold does not (its ی/ک entries fold to ي/ك), and the
    run-time fold is restored afterwards."""
    tn = _train_ner()
    if not (tn.DATA / "gazetteers").exists():
        pytest.skip(f"shared data missing: {tn.DATA / 'gazetteers'}")
    shipped = (ROOT / "khabar" / "resources" / "ner" / "gazetteer.tsv.gz").read_bytes()
    with tn.pre_persian_fold():
        assert normalize("علی") == "علی"
        tn.build_gazetteer(tmp_path / "old.tsv.gz")
    assert normalize("علی") == "علي" and normalize("کریم") == "كريم"
    tn.build_gazetteer(tmp_path / "today.tsv.gz")
    assert (tmp_path / "old.tsv.gz").read_bytes() == shipped
    assert (tmp_path / "today.tsv.gz").read_bytes() != shipped
