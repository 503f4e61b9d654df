"""The stacked second stage of the NER tagger (khabar.ner.stack): its document-level attributes, and the numpy
run-time scorer giving the tags CRFsuite gives on the same attributes."""
from __future__ import annotations

import random

import numpy as np
import pytest

from khabar.ner.stack import Stage2, block_attributes, stage2_items

pycrfsuite = pytest.importorskip("pycrfsuite")

LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def test_other_occurrences_exclude_the_token_itself():
    sents = [["قال", "أوباما", "في", "واشنطن"], ["وأوباما", "رئيس"], ["التقى", "أوباما", "باراك"]]
    tags = [["O", "B-PER", "O", "B-LOC"], ["O", "O"], ["O", "O", "O"]]
    rows = block_attributes(sents, tags)
    # the untagged أوباما of the third sentence: its other occurrence (وأوباما is another form) was tagged B-PER
    assert rows[2][1]["tk=B-PER"] == pytest.approx(1.0) and "tk=O" not in rows[2][1]
    # the tagged one: the two others are O
    assert rows[0][1]["tk=O"] == pytest.approx(1.0) and "tk=B-PER" not in rows[0][1]
    # the entity string أوباما tagged once: matched where it recurs, with a glued proclitic too
    assert rows[2][1]["esB=PER"] == pytest.approx(1.0)
    assert rows[1][0]["esB=PER"] == pytest.approx(1.0)
    # ... but not from its own tagged occurrence alone
    assert "esB=PER" not in rows[0][1]
    assert rows[0][1]["y=B-PER"] == 1.0 and rows[0][1]["y-1=O"] == 1.0 and rows[0][0]["y-1=BOS"] == 1.0


def test_numpy_scorer_matches_crfsuite(tmp_path):
    rng = random.Random(3)
    words = ["أوباما", "واشنطن", "قال", "في", "الأمم", "المتحدة", "وأوباما", "بغداد", "،", "رئيس", "باراك"]
    docs, tags, golds = [], [], []
    for _ in range(30):
        doc, tg, gd = [], [], []
        for _ in range(rng.randint(1, 5)):
            n = rng.randint(1, 8)
            s = [rng.choice(words) for _ in range(n)]
            t = [rng.choice(LABELS[:6]) for _ in range(n)]
            doc.append(s)
            tg.append(t)
            gd.append([rng.choice(LABELS) for _ in range(n)])
        docs.append(doc)
        tags.append(tg)
        golds.append(gd)
    nprng = np.random.default_rng(0)
    scores = [[nprng.normal(size=(len(s), len(LABELS))) for s in d] for d in docs]
    tr = pycrfsuite.Trainer(verbose=False)
    items = []
    for d, tg, sc, gd in zip(docs, tags, scores, golds):
        it = stage2_items(d, tg, sc, LABELS, window=0)
        items.append(it)
        for x, g in zip(it, gd):
            tr.append(pycrfsuite.ItemSequence(x), g)
    tr.set_params({"c1": 0.0, "c2": 0.1, "max_iterations": 30, "feature.possible_transitions": True})
    mp = tmp_path / "s2.crfsuite"
    tr.train(str(mp))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(mp))
    want = [tagger.tag(pycrfsuite.ItemSequence(x)) for it in items for x in it]
    st = Stage2(mp, tmp_path / "s2.weights.npz", LABELS)
    flat = [s for d in docs for s in d]
    lens = np.array([len(s) for s in flat])
    starts = np.cumsum(lens) - lens
    S1 = np.vstack([s for sc in scores for s in sc])
    got = st.tag_docs(docs, S1, starts, lens, [t for tg in tags for t in tg])
    assert got == want


def test_tagger_without_a_second_stage_tags_documents_as_sentences():
    from khabar.ner.tagger import NerTagger

    tagger = NerTagger()
    assert not tagger.stacked  # the shipped tagger.json names no stage-2 model
    docs = [[["قال", "الرئيس", "محمود", "عباس"], [], ["في", "رام", "الله"]], [["وأكد", "أوباما"]]]
    got = tagger.tag_documents(docs)
    assert got == [tagger.tag_many(d) for d in docs]
    assert tagger.tag_windows([s for d in docs for s in d], 2) == tagger.tag_many([s for d in docs for s in d])


def test_tagger_with_a_second_stage(tmp_path):
    import json
    import shutil

    from khabar.ner.features import RESOURCE_DIR
    from khabar.ner.tagger import NerTagger

    for f in ("model.crfsuite", "weights.npz", "clusters.tsv.gz", "gazetteer.tsv.gz", "labelprop.tsv.gz"):
        shutil.copy(RESOURCE_DIR / f, tmp_path / f)
    # a stage 2 that copies stage 1 unless the word was tagged a person elsewhere in the document
    tr = pycrfsuite.Trainer(verbose=False)
    base = NerTagger()
    sents = [["قال", "أوباما", "في", "واشنطن"], ["التقى", "أوباما", "أمس"]] * 20
    for k in range(0, len(sents), 2):
        tags1 = base.tag_many(sents[k:k + 2])
        S = [base._fast.scores(s) for s in sents[k:k + 2]]
        for x, t in zip(stage2_items(sents[k:k + 2], tags1, S, base._fast.labels, window=0), tags1):
            tr.append(pycrfsuite.ItemSequence(x), t)
    tr.set_params({"c1": 0.0, "c2": 0.1, "max_iterations": 30, "feature.possible_transitions": True})
    tr.train(str(tmp_path / "stage2.crfsuite"))
    (tmp_path / "tagger.json").write_text(json.dumps({"stage2": "stage2.crfsuite"}))
    tagger = NerTagger(tmp_path)
    assert tagger.stacked
    docs = [sents[:2], [], [sents[0], [], sents[1]]]
    got = tagger.tag_documents(docs)
    assert [len(d) for d in got] == [2, 0, 3] and got[2][1] == []
    assert got[0] == base.tag_many(sents[:2])  # stage 2 learnt to copy stage 1 here
    assert tagger.tag_windows(sents[:4], 2) == got[0] * 2
