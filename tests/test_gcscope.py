"""khabar.gcscope: the collector's first threshold is raised while a pipeline runs and restored after, always."""
from __future__ import annotations

import gc
import threading

import pytest

from khabar import gcscope
from khabar.document import Document
from khabar.gcscope import fewer_collections
from khabar.pipeline import Pipeline


@pytest.fixture(autouse=True)
def _thresholds():
    before, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(700, 10, 10)
    gc.enable()
    yield
    gc.set_threshold(*before)
    (gc.enable if enabled else gc.disable)()


def test_raised_inside_restored_after():
    with fewer_collections():
        assert gc.get_threshold() == (gcscope.THRESHOLD0, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_on_exception():
    with pytest.raises(ZeroDivisionError):
        with fewer_collections():
            assert gc.get_threshold()[0] == gcscope.THRESHOLD0
            1 / 0
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_blocks_restore_once_at_the_outermost():
    with fewer_collections():
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == gcscope.THRESHOLD0  # still inside the outer block
    assert gc.get_threshold() == (700, 10, 10)


def test_the_callers_own_settings_are_kept():
    gc.set_threshold(50_000, 20, 5)  # already less often than the block would set: not touched
    with fewer_collections():
        assert gc.get_threshold() == (50_000, 20, 5)
    assert gc.get_threshold() == (50_000, 20, 5)
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        gc.set_threshold(123, 4, 5)  # set by the caller inside the block: left as set
    assert gc.get_threshold() == (123, 4, 5)


def test_a_collector_that_is_off_stays_off():
    gc.disable()
    with fewer_collections():
        assert gc.get_threshold() == (700, 10, 10)
    assert not gc.isenabled()
    gc.enable()
    gc.set_threshold(0)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0


def test_switched_off(monkeypatch):
    monkeypatch.setattr(gcscope, "THRESHOLD0", 0)
    with fewer_collections():
        assert gc.get_threshold() == (700, 10, 10)


def test_threads_share_one_raise():
    inside, leave = threading.Event(), threading.Event()

    def other():
        with fewer_collections():
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=other)
    t.start()
    inside.wait(10)
    with fewer_collections():
        assert gc.get_threshold()[0] == gcscope.THRESHOLD0
    assert gc.get_threshold()[0] == gcscope.THRESHOLD0  # the other thread is still inside
    leave.set()
    t.join(10)
    assert gc.get_threshold() == (700, 10, 10)


class _Boom(Exception):
    pass


def test_pipeline_calls_restore_thresholds_even_when_a_stage_fails():
    seen = []
    pipe = Pipeline(["normalize", "tokens"])
    st = pipe.stages[1]

    class Failing(type(st)):
        def __call__(self, doc):
            seen.append(gc.get_threshold()[0])
            raise _Boom()

    pipe.stages[1] = Failing()
    with pytest.raises(_Boom):
        pipe(Document.from_text("قال الوزير"))
    with pytest.raises(_Boom):
        pipe.run_many([Document.from_text("قال الوزير"), Document.from_text("وأضاف")])
    out = pipe.run_group([Document.from_text("قال الوزير")])
    assert isinstance(out[0], _Boom)
    with pytest.raises(_Boom):
        list(pipe.pipe([Document.from_text("قال الوزير")]))
    assert seen and all(x == gcscope.THRESHOLD0 for x in seen)
    assert gc.get_threshold() == (700, 10, 10)


def test_pipeline_output_unchanged_by_the_scope(monkeypatch):
    text = "قال وزير الخارجية الأردني أيمن الصفدي يوم الاثنين 5 مارس 2018 إن الحل السياسي هو الوحيد."
    pipe = Pipeline()
    a = pipe.run_many([Document.from_text(text)])[0].to_json()
    monkeypatch.setattr(gcscope, "THRESHOLD0", 0)
    b = pipe.run_many([Document.from_text(text)])[0].to_json()
    assert a == b
    assert gc.get_threshold() == (700, 10, 10)
