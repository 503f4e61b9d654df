"""The stage contract (issue 14): every layer declared once, every stage's requires/produces true and checked.

The main property: ``--only X`` (``Pipeline(only=[X])``) gives exactly what stage X produces in the full
pipeline, i.e. its layers after every stage before it in the default order, on real articles (0 differences).
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from khabar.document import Document
from khabar.errors import MissingLayerError, StageContractError
from khabar.layers import KINDS, LAYERS, Layer, declare
from khabar.pipeline import DEFAULT_ORDER, REGISTRY, Pipeline, Stage, available_stages, get_stage, register, resolve_stages
from khabar.schema import export_layers

DEMO = Path(__file__).resolve().parents[1] / "khabar" / "data" / "demo" / "ant_cnn_bbc_demo.jsonl.gz"
N_ARTICLES = 60


@pytest.fixture(scope="module")
def demo_docs() -> list[Document]:
    with gzip.open(DEMO, "rt", encoding="utf-8") as f:
        recs = [json.loads(line) for _, line in zip(range(N_ARTICLES), f)]
    return [Document.from_text(r["text"], title=r.get("title"), url=r.get("url")) for r in recs]


def _value(doc: Document, name: str):
    """A layer's value in comparable form: its JSON export, or the value itself for views and internal layers."""
    layer = LAYERS[name]
    if layer.exported:
        return json.dumps(export_layers(Document(doc.text, {}, {name: doc.layers[name]}, doc.id)),
                          ensure_ascii=False, sort_keys=True)
    value = doc.layers[name]
    if name == "normalized":
        return value.text, value.offsets.tolist()
    if name == "attribution":
        return tuple(value.quotes), tuple(value.sources)
    return value


def test_every_stage_layer_is_declared():
    for name in available_stages():
        st = get_stage(name)
        for layer in (*st.requires, *st.produces):
            assert layer in LAYERS, f"stage {name} names undeclared layer {layer}"
    assert {layer.kind for layer in LAYERS.values()} <= set(KINDS)


def test_every_declared_layer_is_produced_by_a_stage():
    produced = {x for n in available_stages() for x in get_stage(n).produces}
    assert set(LAYERS) == produced


@pytest.mark.parametrize("name", DEFAULT_ORDER)
def test_only_gives_the_full_pipelines_answer(demo_docs, name):
    """`--only X` yields exactly X's layers as they stand after X in the full pipeline (default order)."""
    order = list(available_stages())
    upto = Pipeline(order[:order.index(name) + 1])
    only = Pipeline(only=[name])
    assert name in only.names
    differ = []
    for doc in demo_docs:
        a, b = upto(doc), only(doc)
        for layer in get_stage(name).produces:
            if _value(a, layer) != _value(b, layer):
                differ.append((doc.id, layer))
    assert not differ, f"--only {name} differs from the full pipeline on {len(differ)} layer(s): {differ[:5]}"


def test_resolve_includes_every_earlier_writer_of_a_required_layer():
    # events read actors as the quotes stage leaves them, entities as the actors stage leaves them
    names = resolve_stages(["events"])
    assert {"entities", "actors", "quotes", "attribution", "segments"} <= set(names)
    assert names == [n for n in DEFAULT_ORDER if n in names]


def test_a_broken_chain_fails_at_construction_listing_all_that_is_missing():
    with pytest.raises(MissingLayerError) as e:
        Pipeline(["normalize", "tokens", "sentences", "events"])
    msg = str(e.value)
    for layer in ("entities", "actors", "quotes"):
        assert repr(layer) in msg
    # layers the documents already hold may be named
    Pipeline(["dates"], given=["normalized"])


@pytest.fixture
def scratch_registry():
    """Stages and layers a test registers are removed after it."""
    stages, layers = dict(REGISTRY), dict(LAYERS)
    yield
    REGISTRY.clear()
    REGISTRY.update(stages)
    LAYERS.clear()
    LAYERS.update(layers)


def test_a_stage_that_breaks_its_declaration_is_stopped(scratch_registry):
    declare(Layer("test_contract_layer", "record", "a test layer"))

    class Liar(Stage):
        name = "test_contract_liar"
        requires = ("tokens",)
        produces = ("test_contract_layer",)

        def __call__(self, doc):
            return doc.with_layers(test_contract_layer=1, sentences=())  # sentences: undeclared

    class Lazy(Stage):
        name = "test_contract_lazy"
        produces = ("test_contract_layer",)

        def __call__(self, doc):
            return doc  # declares a layer it never writes

    class Meddler(Stage):
        name = "test_contract_meddler"
        requires = ("tokens",)
        produces = ("test_contract_layer",)

        def __call__(self, doc):
            return doc.with_layers(test_contract_layer=1, tokens=())  # rewrites a layer it only reads

    for cls in (Liar, Lazy, Meddler):
        register(cls)
    doc = Document.from_text("قال الوزير إن الاجتماع سيعقد غدا.")
    for bad in ("test_contract_liar", "test_contract_lazy", "test_contract_meddler"):
        with pytest.raises(StageContractError):
            Pipeline(["tokens", bad])(doc)

    class Undeclared(Stage):
        name = "test_contract_undeclared"
        produces = ("no_such_layer",)

    with pytest.raises(StageContractError):
        register(Undeclared)


def test_internal_and_view_layers_are_not_exported_and_json_reads_back():
    doc = Pipeline()(Document.from_text("قال الوزير إن الاجتماع سيعقد غدا.", title="t"))
    out = doc.to_json()
    for name, layer in LAYERS.items():
        if name in doc.layers:
            assert (name in out) == layer.exported, name
    back = Document.from_json(json.loads(json.dumps(out)))
    assert back.to_json() == out
