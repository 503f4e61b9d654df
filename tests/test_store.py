"""The store: schema and migrations, WAL, read-only readers, annotations in and out, shared-data smoke test."""
from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path

import pytest

from khabar.document import Document, Span
from khabar.store import (LATEST_VERSION, DatabaseNotFoundError, DocumentNotFoundError, NotADatabaseError,
                          SchemaVersionError, Store)
from khabar.store.rows import parse_published, prepare

SHARED = Path(__file__).resolve().parents[2] / "shared"
STAGES = ["normalize", "tokens", "sentences"]


def test_new_database_schema(tmp_path):
    db = tmp_path / "new.db"
    with Store(db) as st:
        assert st.stats()["schema_version"] == LATEST_VERSION
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
    assert {"documents", "sentences", "entities", "actors", "quotes", "sources", "dates", "events", "meta",
            "doc_fts", "quote_fts"} <= tables
    c.close()
    with Store(db) as st:  # reopening migrates nothing and keeps the meta
        assert st.splitter_name


def test_open_errors(tmp_path):
    with pytest.raises(DatabaseNotFoundError) as ei:
        Store(tmp_path / "nope.db", readonly=True)
    assert ei.value.code == "E301"
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(NotADatabaseError):
        Store(bad)
    future = tmp_path / "future.db"
    c = sqlite3.connect(future)
    c.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    c.close()
    with pytest.raises(SchemaVersionError) as ei:
        Store(future)
    assert ei.value.code == "E302"
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(NotADatabaseError):
        Store(empty, readonly=True)


def test_readers_and_writer_together(tmp_path):
    db = tmp_path / "rw.db"
    w = Store(db)
    w.add(Document.from_text("أول خبر عن الاقتصاد.", external_id="one"))
    r = Store(db, readonly=True)
    assert r.count("الاقتصاد") == 1
    w.add(Document.from_text("ثاني خبر عن الاقتصاد المصري.", external_id="two"))
    assert r.count("الاقتصاد") == 2  # a reader sees each committed write
    with pytest.raises(DocumentNotFoundError):
        r.get("three")
    r.close()
    w.close()


def test_annotation_layers_are_stored_and_slice_to_their_text(tmp_path):
    text = "قال الرئيس الأمريكي دونالد ترامب يوم 5 مايو 2018 إن \"الاتفاق سيئ\"، بحسب وكالة رويترز."
    name = "دونالد ترامب"
    sn, sq = text.index(name), text.index("\"") + 1
    eq = text.index("\"", sq)
    ss = text.index("وكالة رويترز")
    sd = text.index("5 مايو 2018")
    doc = Document.from_text(text, external_id="t1", title="ترامب والاتفاق", published="2018-05-05").with_layers(
        entities=[Span(sn, sn + len(name), "PER", {"actor": "A"})],
        actors=[{"id": "A", "name": name, "type": "PER", "key": "PER:دونالد ترامب", "mentions": [[sn, sn + 12]]}],
        quotes=[Span(sq, eq, "", {"kind": "direct", "speaker": name, "speaker_actor": "A", "cue_text": "قال"})],
        sources=[Span(ss, ss + len("وكالة رويترز"), "", {"cue_text": "بحسب"})],
        dates=[Span(sd, sd + len("5 مايو 2018"), "", {"value": "2018-05-05"})],
        dateline={"city": None, "country": None, "agency": None},
        topic="internationalNews",
    )
    db = tmp_path / "a.db"
    with Store(db) as st:
        assert st.add(doc) is True
        assert st.add(doc) is False  # idempotent
        got = st.get("t1")
        t = got["text"]
        assert t == text
        ann = got["annotations"]
        for layer in ("entities", "quotes", "sources", "dates"):
            for x in ann[layer]:
                assert t[x["start"]:x["end"]] == x["text"]
        q = st.quotes()[0]
        assert q["content"] == "الاتفاق سيئ" and t[q["start"]:q["end"]] == q["content"]
        assert q["speaker"] == name and q["speaker_key"] == "PER:دونالد ترامب"
        assert st.quotes(speaker="ترامب")[0]["content"] == "الاتفاق سيئ"
        assert st.actors()[0]["name"] == name
        assert got["topic"] == "internationalNews"
        c = st.conn
        assert c.execute("SELECT text, value FROM dates").fetchone() == ("5 مايو 2018", "2018-05-05")
        assert c.execute("SELECT text, cue_text FROM sources").fetchone() == ("وكالة رويترز", "بحسب")
        rebuilt = st.document("t1")
        assert rebuilt.id == doc.id and [tuple(s[:2]) for s in rebuilt.layers["quotes"]] == [(sq, eq)]
        assert st.search("ترامب", speaker="ترامب").total == 1


def test_missing_layers_give_no_rows():
    p = prepare(Document.from_text("نص بلا طبقات."))
    assert p.quotes == p.entities == p.actors == p.sources == p.dates == p.events == p.sentences == []
    assert p.views[0] == "نص بلا طبقات"


@pytest.mark.parametrize("raw,iso", [("Mon, 26 Feb 2018 02:20:10 GMT", "2018-02-26T02:20:10Z"),
                                     ("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T17:35:43Z"),
                                     ("2015-07-21 02:51:32", "2015-07-21T02:51:32"),
                                     ("2018-05-05", "2018-05-05"), ("2018", "2018"), ("أمس", None), ("", None)])
def test_parse_published(raw, iso):
    assert parse_published(raw) == iso


def test_reindex_keeps_search_working(tmp_path):
    with Store(tmp_path / "r.db") as st:
        st.ingest_documents([Document.from_text("زار الوفد لإيران أمس.", external_id="x")], stages=STAGES)
        assert st.count("إيران") == 1
        assert st.reindex() == 1
        assert st.count("إيران") == 1


def test_default_pipeline_articles_from_ant(tmp_path):
    """30 ANT articles through the default pipeline (whatever stages exist): stored, searchable, spans exact."""
    ant = SHARED / "data" / "news" / "ant_v2.1.jsonl.gz"
    if not ant.exists():
        pytest.skip(f"{ant} not found: this test needs ../shared beside the repository (CI has it)")
    from khabar.pipeline import default_pipeline

    try:
        default_pipeline()(Document.from_text("قال الوزير إن الاجتماع سيعقد غدا."))
    except Exception as e:  # another stage being built: the store itself is tested above
        pytest.skip(f"the default pipeline does not run yet: {type(e).__name__}: {e}")
    with gzip.open(ant, "rt", encoding="utf-8") as f:
        recs = [json.loads(line) for _, line in zip(range(30), f)]
    path = tmp_path / "ant.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    from khabar.io.ingest import ingest_paths

    rep = ingest_paths([str(path)], str(tmp_path / "ant.db"))
    assert rep.ok, rep.skipped[:3]
    with Store(tmp_path / "ant.db", readonly=True) as st:
        assert st.stats()["counts"]["documents"] == rep.added
        for i in st.ids():
            d = st.get(i)
            for layer, items in d["annotations"].items():
                if isinstance(items, list):
                    for x in items:
                        if isinstance(x, dict) and "start" in x and "text" in x:
                            assert d["text"][x["start"]:x["end"]] == x["text"], layer


def test_demo_loads_once_and_says_what_to_try(tmp_path, capsys, monkeypatch):
    from khabar.store.demo import DEMO_HOOKS, run_demo

    monkeypatch.setenv("KHABAR_CLITIC_SPLITTER", "rules")  # keeps the test short
    db = str(tmp_path / "demo.db")
    seen = []
    DEMO_HOOKS.append(lambda path, _args: seen.append(path))
    try:
        assert run_demo(db, stages=STAGES) == 0
        out = capsys.readouterr().out
        assert "300 articles" in out and "khabar search" in out and "khabar show" in out
        assert run_demo(db, stages=STAGES) == 0  # idempotent
        assert "0 added now" in capsys.readouterr().out
    finally:
        DEMO_HOOKS.pop()
    assert seen == [db, db]
    with Store(db, readonly=True) as st:
        s = st.stats()
        assert s["counts"]["documents"] == 300 and set(s["outlets"]) == {"CNN", "BBC"}
        assert st.search("إيران", outlet="BBC").total > 0
