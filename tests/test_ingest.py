"""`khabar ingest`: formats, idempotency, bad-input reporting, and crash safety under SIGKILL."""
from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from khabar.cli import main
from khabar.io.html import extract_html
from khabar.io.ingest import ingest_paths
from khabar.store import Store
from _store_helpers import db_counts, demo_records, subprocess_env, write_corpus

STAGES = ["normalize", "tokens", "sentences"]
ONLY = ",".join(STAGES)


def _counts(db: Path) -> dict:
    return db_counts(db, ("documents", "sentences", "quotes", "entities", "actors", "sources", "dates"),
                     ids=True, rowids=True)


@pytest.fixture
def corpus(tmp_path) -> Path:
    recs = demo_records(40)
    p = tmp_path / "corpus.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return p


def test_ingest_is_idempotent(tmp_path, corpus):
    db = tmp_path / "k.db"
    r1 = ingest_paths([str(corpus)], str(db), stages=STAGES)
    assert r1.ok and r1.added == r1.read - r1.duplicates and r1.added > 30
    before = _counts(db)
    r2 = ingest_paths([str(corpus)], str(db), stages=STAGES)
    assert r2.added == 0 and r2.duplicates == r2.read
    # the same articles again under another name and as gzip: still nothing new
    gz = tmp_path / "again.jsonl.gz"
    gz.write_bytes(gzip.compress(corpus.read_bytes()))
    r3 = ingest_paths([str(gz)], str(db), stages=STAGES)
    assert r3.added == 0
    assert _counts(db) == before
    with Store(db, readonly=True) as st:
        rec = demo_records(1)[0]
        d = st.get(rec["docno"])  # the external id is kept beside the hash
        assert d["external_id"] == rec["docno"] and d["outlet"] == rec["src"] and d["topic"] == rec["label"]
        assert d["published"].startswith("2018-")
        assert st.get(d["id"])["text"] == d["text"]


def test_formats_and_bad_inputs_are_reported(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("قال الوزير إن الاجتماع سيعقد غدا في عمّان.", encoding="utf-8")
    (folder / "sub" / "b.txt").write_bytes("أعلنت الحكومة عن خطة جديدة.".encode("cp1256"))
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "one.json").write_text(json.dumps({"text": "خبر في ملف JSON واحد.", "id": "j1"}, ensure_ascii=False),
                                     encoding="utf-8")
    (folder / "list.json").write_text(json.dumps([{"content": "خبر أول في قائمة.", "id": "l1"}, {"title": "no text"}],
                                                 ensure_ascii=False), encoding="utf-8")
    lines = [json.dumps({"text": "خبر سطر أول.", "docno": "d1"}, ensure_ascii=False), "{not json",
             "", json.dumps({"text": "", "docno": "d3"}), json.dumps(["a list"]),
             json.dumps({"text": "خبر سطر أول.", "docno": "d1-again"}, ensure_ascii=False)]
    (folder / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>عنوان الصفحة</title><script>document.write('لا')</script></head><body>"
        "<nav><a href='/'>الرئيسية</a></nav><article><p>فقرة أولى من الخبر تتحدث عن الاقتصاد المصري.</p>"
        "<p>فقرة ثانية عن التضخم والأسعار في القاهرة.</p></article><footer>حقوق</footer></body></html>",
        encoding="utf-8")
    (folder / "notes.bin").write_bytes(b"\x00\x01")  # unknown suffix in a folder: ignored, not an error
    (folder / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    db = tmp_path / "k.db"
    rc = main(["ingest", str(folder), str(tmp_path / "missing.txt"), "--db", str(db), "--only", ONLY])
    err = capsys.readouterr().err
    assert rc == 1
    assert f"{folder / 'lines.jsonl'}:2: invalid JSON" in err
    assert f"{folder / 'lines.jsonl'}:4:" in err and "E103" in err
    assert f"{folder / 'lines.jsonl'}:5:" in err and "E104" in err
    assert f"{folder / 'list.json'}:2:" in err
    assert f"{folder / 'image.txt'}: [E101]" in err
    assert f"{folder / 'empty.txt'}: [E103]" in err
    assert "missing.txt: [E100]" in err
    assert "7 skipped" in err and "1 files with unknown suffixes ignored" in err
    with Store(db, readonly=True) as st:
        texts = {d["external_id"] or d["source"]: d for d in (st.get(i) for i in st.ids())}
    assert len(texts) == 6  # a.txt, b.txt (cp1256), one.json, list.json#1, lines:1, page.html; d1-again = d1
    assert "d1-again" not in texts
    page = next(d for d in texts.values() if d["source"].endswith("page.html"))
    assert page["title"] == "عنوان الصفحة" and "التضخم" in page["text"] and "الرئيسية" not in page["text"]
    assert "document.write" not in page["text"]


def test_html_extractor_metadata():
    art = extract_html("<html lang='ar'><head><meta property='og:title' content='العنوان'>"
                       "<meta property='article:published_time' content='2018-05-01T10:00:00Z'>"
                       "<link rel='canonical' href='https://example.org/a'></head><body><div class='menu'>"
                       "<a href='/x'>رابط</a></div><div><p>نص الخبر الرئيسي هنا وهو طويل بما يكفي.</p>"
                       "<p><a href='1'>رابط أول</a> <a href='2'>رابط ثان</a></p></div></body></html>")
    assert art.title == "العنوان"
    assert art.text == "نص الخبر الرئيسي هنا وهو طويل بما يكفي."
    assert art.meta == {"url": "https://example.org/a", "published": "2018-05-01T10:00:00Z", "language": "ar"}


def test_ingest_with_worker_processes(tmp_path, corpus):
    db1, db2 = tmp_path / "one.db", tmp_path / "two.db"
    assert main(["ingest", str(corpus), "--db", str(db1), "--only", ONLY]) == 0
    assert main(["ingest", str(corpus), "--db", str(db2), "--only", ONLY, "--jobs", "2", "--batch-size",
                 "4"]) == 0
    a, b = _counts(db1), _counts(db2)
    assert a == b


def _ingest_cmd(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "khabar.cli", "ingest", str(corpus), "--db", str(db), "--only", ONLY,
            "--batch-size", "3", "--progress", "off"]


def test_sigkill_at_random_points_then_rerun_equals_clean_run(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", demo_records(60))
    env = subprocess_env()
    clean = tmp_path / "clean.db"
    t0 = time.monotonic()
    subprocess.run(_ingest_cmd(corpus, clean), check=True, env=env, capture_output=True, timeout=120)
    duration = time.monotonic() - t0
    expected = _counts(clean)
    assert expected["documents"] > 55
    rng = random.Random(20240611)
    landed = 0
    for k in range(12):
        if landed >= 5:
            break
        db = tmp_path / f"killed{k}.db"
        # kill the run at a random moment (the first one twice: a killed rerun must recover too)
        killed = 0
        for _attempt in range(1 + (k == 0)):
            proc = subprocess.Popen(_ingest_cmd(corpus, db), env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, duration * 0.8))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed += 1
            proc.wait(timeout=60)
        done = subprocess.run(_ingest_cmd(corpus, db), env=env, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        got = _counts(db)
        assert got == expected, f"run {k}: rows differ from a clean run"
        landed += killed > 0
    assert landed >= 5, "the kills did not land while ingest was running"
