import json

import pytest

import khabar
from khabar.document import Document, Span, canonical_text, text_id
from khabar.errors import SchemaError


def test_canonical_text_and_id():
    a = Document.from_text("سلام\r\nعليكم\r")
    assert a.text == "سلام\nعليكم\n"
    # NFC: a decomposed sequence composes, so the id is the same for both spellings
    assert Document.from_text("e\u0301").id == Document.from_text("\u00e9").id
    assert a.id == text_id(a.text) and len(a.id) == 16
    assert canonical_text("a\x00b") == "a b"  # NUL → space, length kept


def test_immutable():
    d = Document.from_text("نص")
    with pytest.raises(Exception):
        d.text = "x"
    with pytest.raises(TypeError):
        d.layers["x"] = ()
    d2 = d.with_layers(foo=[Span(0, 1, "X")])
    assert "foo" not in d.layers and d2.layers["foo"] == (Span(0, 1, "X"),)
    assert d2.id == d.id


def test_json_round_trip():
    d = khabar.analyze("قال الوزير: \"سنعمل معا\". وأضاف أن الاجتماع مهم.", title="عنوان", url="http://x")
    s = d.dumps()
    back = Document.loads(s)
    assert back.text == d.text and back.id == d.id and dict(back.meta) == dict(d.meta)
    for name in ("tokens", "sentences"):
        assert back.layers[name] == d.layers[name]
    assert json.loads(back.dumps()) == json.loads(s)
    js = json.loads(s)
    assert js["schema"].startswith("khabar.document/1.")
    for t in js["tokens"]:
        assert js["text"][t["start"]:t["end"]] == t["text"]


def test_schema_errors():
    with pytest.raises(SchemaError):
        Document.from_json({"no": "text"})
    with pytest.raises(SchemaError):
        Document.from_json({"text": "x", "schema": "khabar.document/9.0"})


def test_from_text_type():
    with pytest.raises(TypeError):
        Document.from_text(b"bytes")
