"""Documents analysed together (Pipeline.run_many / pipe, the batch worker's groups): the same output as one by one,
and a failure stays with its own article."""
from __future__ import annotations

import json

import pytest

from khabar.document import Document
from khabar.pipeline import Pipeline, get_stage

TEXTS = [
    "القاهرة (رويترز) - قال وزير الخارجية المصري سامح شكري يوم الأحد إن المحادثات مع إثيوبيا ستستمر. "
    "وأضاف أن الوفد وصل إلى أديس أبابا.",
    "أعلنت وزارة الدفاع الأمريكية أن الرئيس باراك أوباما التقى نظيره الفرنسي في باريس.\nوقال أوباما: \"سنعمل معا\".",
    "",
    "كلمة",
    "نفت جامعة الملك سعود صحة الخبر. وذكرت وكالة الأنباء السعودية أن الأمير محمد بن سلمان زار لندن في 3 مارس 2018.",
    "ذكر تقرير لمنظمة العفو الدولية أن قوات الأمن اعتقلت العشرات في بغداد والبصرة. " * 30,
]


def _json(doc: Document) -> str:
    return json.dumps(doc.to_json(), ensure_ascii=False, sort_keys=True)


def _patch_entities(monkeypatch, before_finish, prepare=None):
    """Make the entities stage call ``before_finish(doc)`` before its per-document part (and use ``prepare``
    for its batched part when given)."""
    ent = get_stage("entities")
    cls = type(ent)
    real_finish, real_prepare = cls.finish, cls.prepare_many

    def finish(self, doc, prepared):
        before_finish(doc)
        return real_finish(self, doc, prepared if prepared is not None else real_prepare(self, [doc])[0])

    monkeypatch.setattr(cls, "finish", finish)
    if prepare is not None:
        monkeypatch.setattr(cls, "prepare_many", lambda self, docs: prepare(docs) or real_prepare(self, docs))


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def test_plan_batches_the_entity_tagger(pipe):
    plan = pipe.plan()
    together = [pipe.stages[lo].name for lo, hi, t in plan if t]
    assert together == ["entities"]
    # the runs cover every stage once, in order
    covered = [k for lo, hi, _ in plan for k in range(lo, hi)]
    assert covered == list(range(len(pipe.stages)))


def test_run_many_equals_one_by_one(pipe):
    one = [_json(pipe(Document.from_text(t))) for t in TEXTS]
    many = [_json(d) for d in pipe.run_many([Document.from_text(t) for t in TEXTS])]
    assert many == one
    assert any('"entities": [{' in j for j in many)  # the batched stage did find entities
    piped = [_json(d) for d in pipe.pipe((Document.from_text(t) for t in TEXTS), batch_size=4)]
    assert piped == one


def test_pipe_reports_the_failing_document(monkeypatch):
    """A group in which one document fails is run again one by one: the documents before it come out, then its
    error is raised."""
    pipe = Pipeline()

    def boom(doc):
        if "BOOM" in doc.text:
            raise ValueError("bad document")

    _patch_entities(monkeypatch, boom)
    got = []
    with pytest.raises(ValueError, match="bad document"):
        for d in pipe.pipe((Document.from_text(t) for t in ["قال الوزير إن", "BOOM نص", "نص"]), batch_size=8):
            got.append(d)
    assert [d.text for d in got] == ["قال الوزير إن"]


def test_worker_group_failure_stays_with_its_article(monkeypatch, tmp_path):
    """The batch worker: when the batched stage fails for the group, each article runs alone; only the bad one
    is reported, the others are written; the output equals groups of one."""
    pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install \"khabar[batch]\")")
    from khabar.batch import Limits
    from khabar.batch import worker as W
    from khabar.io.parquet import read_table

    texts = [t for t in TEXTS if t.strip()] + ["قال الرئيس BOOM إن الوضع صعب."]
    arts = [W.Article(i, "mem", i + 1, t, {}, Document.from_text(t).id) for i, t in enumerate(texts)]

    def run(out, group):
        monkeypatch.setattr(W, "GROUP", group)
        return W.run_partition(W.PartitionTask(0, arts, str(out), (), Limits(timeout=60)))

    clean = run(tmp_path / "one", 1)
    assert clean.n_ok == len(texts) and not clean.failures
    grouped = run(tmp_path / "grouped", 16)
    assert grouped.n_ok == len(texts)
    for t in ("documents", "entities", "quotes", "events"):
        assert read_table(tmp_path / "grouped", t).to_pylist() == read_table(tmp_path / "one", t).to_pylist(), t

    def boom(doc):
        if "BOOM" in doc.text:
            raise ValueError("bad document")

    def boom_many(docs):
        if any("BOOM" in d.text for d in docs):
            raise ValueError("bad group")

    _patch_entities(monkeypatch, boom, boom_many)
    res = run(tmp_path / "failing", 16)
    assert res.n_ok == len(texts) - 1
    assert [(f["line"], f["code"]) for f in res.failures] == [(len(texts), "E200")]
    assert "ValueError: bad" in res.failures[0]["reason"]
    ok = read_table(tmp_path / "failing", "documents").to_pylist()
    assert [r["doc_id"] for r in ok] == [a.doc_id for a in arts[:-1]]


def test_run_group_limits_each_document_alone(monkeypatch):
    """Pipeline.run_group: a document over the size limit or the time limit comes back as its own error, the
    others as analysed documents equal to one-by-one runs."""
    import time

    from khabar.errors import ArticleTimeoutError, InputTooLargeError

    pipe = Pipeline()

    def slow(doc):
        if "SLOW" in doc.text:
            t = time.monotonic()
            while time.monotonic() - t < 5:
                pass

    _patch_entities(monkeypatch, slow)  # the per-document part of the batched stage keeps the document's limit
    texts = [TEXTS[0], "ن" * 500, "قال الوزير SLOW إن", TEXTS[1]]
    armed = []
    out = pipe.run_group([Document.from_text(t) for t in texts], max_chars=400, timeout=0.5,
                         sources=["a", "b", "c", "d"], arm=armed.append)
    assert isinstance(out[1], InputTooLargeError) and "b" in str(out[1])
    assert isinstance(out[2], ArticleTimeoutError) and "c" in str(out[2])
    assert [_json(out[0]), _json(out[3])] == [_json(pipe(Document.from_text(t))) for t in (TEXTS[0], TEXTS[1])]
    assert -1 in armed and set(armed) - {-1} == {0, 2, 3}
