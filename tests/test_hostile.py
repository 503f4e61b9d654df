"""Hostile input through every door: `khabar analyze`, `khabar ingest`, `khabar batch` and `POST /api/analyze`.

Each case is a file (name, bytes) with one documented outcome (README, "Reliability"): ``ok`` (analysed; the
analysis then holds every invariant of :mod:`fuzz._checks`: spans in the text and slicing to what they claim,
schema, JSON round trip) or a coded error that names the input (``E101`` binary, ``E102`` encoding, ``E103``
empty, ``E104`` malformed JSON, ``E105`` over the size limit, ``E503`` over the time limit).  The same case gives
the same outcome at every door: the command exits 2 with ``[CODE] path``, ingest skips it with ``path: [CODE]``
and goes on, batch writes a failure record with the code and goes on, the API answers 4xx with the code.
"""
from __future__ import annotations

import gzip
import json
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from fuzz._checks import check_document
from khabar.cli import main
from khabar.document import Document

AR = "قال وزير الخارجية إن المحادثات ستستمر في الرياض يوم الأحد 5 مارس 2018، بحسب وكالة رويترز."
QUOTE = "لندن، إنجلترا (CNN)-- قال جون سورز: \"إيران لن تتراجع\"، وأضاف أن «الاتفاق سيئ» بحسب رويترز."


@dataclass
class Case:
    name: str           # file name (its suffix says the format)
    data: bytes
    outcome: str        # "ok" or an error code
    text: str | None = None   # for "ok": the text the article must have after reading


def _rand(n: int, seed: int = 7) -> bytes:
    r = random.Random(seed)
    return bytes(r.getrandbits(8) for _ in range(n))


def _html() -> str:
    return ("<!DOCTYPE html><html><head><title>عنوان &amp; فرعي</title><script>alert('لا تظهر')</script>"
            "<style>p{color:red}</style></head><body><!-- تعليق --><nav>القائمة</nav><article>"
            "<p>قال الوزير &quot;الاجتماع مثمر&quot; &#1608;&#x627;&#1604;&#1581;&#1608;&#1575;&#1585; &nbsp;مستمر"
            " &unknown; &#0; &#xFFFFFFFF; &#55296; في القاهرة يوم الأحد.</p><script>document.write('x')</script>"
            "<p onclick=\"alert(1)\">فقرة ثانية <b>عن <i>الاقتصاد</b></i> <![CDATA[ لا شيء ]]> طويلة بما يكفي.</p>"
            + "<div>" * 3000 + "نص عميق داخل عناصر متداخلة كثيرة." + "</div>" * 2000
            + "</article></body></html>")


def text_cases() -> list[Case]:
    """Single-article files (one outcome per file), read by every door."""
    u = AR.encode("utf-8")
    bidi = "".join(c + ("\u200f\u200b" if i % 3 == 0 else "") + ("\u202b" if i % 7 == 0 else "")
                   for i, c in enumerate(AR)) + "\u202c\u2066\u2069\ufeff\u061c\u200e\u202e"
    return [
        # every supported encoding, with and without a byte-order mark
        Case("enc_utf8.txt", u, "ok", AR),
        Case("enc_utf8_bom.txt", b"\xef\xbb\xbf" + u, "ok", AR),
        Case("enc_utf16_bom.txt", AR.encode("utf-16"), "ok", AR),
        Case("enc_utf16le.txt", AR.encode("utf-16-le"), "ok", AR),
        Case("enc_utf16be.txt", AR.encode("utf-16-be"), "ok", AR),
        Case("enc_utf32_bom.txt", AR.encode("utf-32"), "ok", AR),
        Case("enc_utf32le.txt", AR.encode("utf-32-le"), "ok", AR),
        Case("enc_utf32be.txt", AR.encode("utf-32-be"), "ok", AR),
        Case("enc_cp1256.txt", AR.encode("cp1256"), "ok", AR),
        Case("enc_iso8859_6.txt", AR.replace("5 مارس 2018", "").encode("iso8859_6"), "ok",
             AR.replace("5 مارس 2018", "")),
        # mislabelled: the name or the declaration says one thing, the bytes another
        Case("mis_cp1256_in.json", json.dumps({"text": AR}, ensure_ascii=False).encode("cp1256"), "ok", AR),
        Case("mis_utf16_declared_utf8.html", ("<html><head><meta charset='utf-8'></head><body><p>" + AR
                                              + "</p></body></html>").encode("utf-16"), "ok", AR),
        Case("mis_latin1.txt", "café crème à la française, très bien".encode("latin-1"), "E102"),
        Case("mis_cp1252.txt", "“smart” quotes — and a dash".encode("cp1252"), "E102"),
        Case("mis_utf8_cut_mid_char.txt", u[:12], "E102"),
        Case("mis_utf8_bad_byte.txt", u[:20] + b"\xff" + u[20:], "E102"),
        Case("mis_utf16_odd_length.txt", AR.encode("utf-16")[:-1], "E102"),
        Case("mis_mac_arabic.txt", AR.encode("mac_arabic"), "E102"),
        Case("mis_gzip_named.txt", gzip.compress(u), "E101"),
        # binary
        Case("bin_png.txt", b"\x89PNG\r\n\x1a\n" + _rand(2000), "E101"),
        Case("bin_elf.txt", b"\x7fELF\x02\x01\x01" + _rand(2000, 8), "E101"),
        Case("bin_zip.json", b"PK\x03\x04" + _rand(2000, 9), "E101"),
        Case("bin_random.txt", _rand(4096, 10), "E101"),
        Case("nul_bytes.txt", u[:20] + b"\x00" + u[20:], "E101"),
        Case("nul_many.txt", b"\x00" * 1000, "E101"),
        # empty
        Case("empty.txt", b"", "E103"),
        Case("whitespace.txt", b" \n\t \r\n  ", "E103"),
        Case("whitespace_unicode.txt", "\u00a0\u3000\u2029\n".encode(), "E103"),
        # Unicode oddities: analysed, spans still exact
        Case("zero_width_only.txt", "\u200b\u200c\u200d\u2060\ufeff".encode(), "ok", "\u200b\u200c\u200d\u2060\ufeff"),
        Case("diacritics_only.txt", ("\u064e\u064f\u0650\u0651\u0652\u0640\u0670" * 300).encode(), "ok"),
        Case("bidi_zero_width.txt", bidi.encode(), "ok"),
        Case("presentation_forms.txt", "ﻗﺎﻝ ﺍﻟﺮﺋﻴﺲ ﻻ ﻷ ﺇﻥ \"ﺍﻻﺟﺘﻤﺎﻉ ﻣﺜﻤﺮ\" ﷲ ﷺ".encode(), "ok"),
        Case("mixed_scripts.txt", ("قال Hello мир 世界 שלום 😀 𝐀 ١٢٣ ۴۵۶ " + AR + " ÀÉ\u0301 ").encode(), "ok"),
        Case("quotes_unbalanced.txt", ("قال الوزير \"الاجتماع «مثمر “جدا ‘حقا\n" * 40 + QUOTE).encode(), "ok"),
        Case("quotes_nested.txt", ("قال \"«“‘" * 30 + "نص" + "’”»\"" * 30 + " وأضاف: «\"نص\" داخل «آخر»»").encode(),
             "ok"),
        Case("quotes_ascii_only.txt", ("\"" * 500 + " قال: " * 50).encode(), "ok"),
        Case("controls.txt", ("\x07\x08" + AR + "\x1b[31m\x0c\x0b").encode(), "ok"),
        Case("crlf_cr.txt", (AR + "\r\n" + QUOTE + "\r" + AR).encode(), "ok", AR + "\n" + QUOTE + "\n" + AR),
        # HTML: scripts and styles dropped, entities decoded (invalid ones too), deep nesting
        Case("page_scripts_entities.html", _html().encode(), "ok"),
        Case("page_empty.html", b"<html><body><script>var x = 1;</script></body></html>", "E103"),
        # JSON articles
        Case("json_malformed.json", b'{"text": "abc"', "E104"),
        Case("json_deep.json", b'{"text": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "E104"),
        Case("json_no_text.json", b'{"title": "x"}', "E104"),
        Case("json_text_not_string.json", b'{"text": ["a"]}', "E104"),
        Case("json_lone_surrogate.json", b'{"text": "\\ud800 \\u0642\\u0627\\u0644"}', "E102"),
        Case("json_huge_int.json", b'{"text": "x", "id": ' + b"9" * 5000 + b"}", "E104"),
        Case("json_nul_escape.json", json.dumps({"text": "قال\u0000 الوزير"}).encode(), "ok", "قال  الوزير"),
    ]


CASES = {c.name: c for c in text_cases()}


def _write(folder: Path, cases) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for c in cases:
        (folder / c.name).write_bytes(c.data)


def _analyzed_ok(c: Case, d: dict) -> None:
    doc = Document.from_json(d)
    check_document(doc)
    if c.text is not None:
        assert doc.text == Document.from_text(c.text).text, c.name


# --------------------------------------------------------------------------------------------------------------
# khabar analyze

@pytest.mark.parametrize("name", list(CASES))
def test_analyze(name, tmp_path, capsys):
    c = CASES[name]
    p = tmp_path / c.name
    p.write_bytes(c.data)
    rc = main(["analyze", str(p), "--format", "json"])
    out, err = capsys.readouterr()
    if c.outcome == "ok":
        assert rc == 0, err
        _analyzed_ok(c, json.loads(out))
    else:
        assert rc == 2 and out == ""
        assert f"[{c.outcome}] {p}:" in err, err


# --------------------------------------------------------------------------------------------------------------
# JSONL and gzip: per-line outcomes

def jsonl_lines() -> list[tuple[bytes, str]]:
    good = json.dumps({"text": AR, "id": "good1"}, ensure_ascii=False).encode()
    return [
        (good, "ok"),
        (b"{not json", "invalid JSON"),
        (b"", "blank"),                                       # blank lines are skipped silently
        (b"   \t", "blank"),
        (json.dumps({"text": "", "id": "e"}).encode(), "E103"),
        (json.dumps(["a list"]).encode(), "E104"),
        (b'{"title": "no text"}', "E104"),
        (b'{"text": "\\udc00x"}', "E102"),
        (b'{"text": "x", "a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "E104"),
        (b'{"text": "x", "id": ' + b"1" * 5000 + b"}", "E104"),
        (AR.encode("cp1256"), "invalid JSON"),
        (b"\x00\x01\x02binary\xff", "E101"),
        (json.dumps({"content": QUOTE, "docno": "good2"}, ensure_ascii=False).encode() + b"\r", "ok"),
        (b"\xef\xbb\xbf" + json.dumps({"text": AR + " 2", "id": "good3"}, ensure_ascii=False).encode(), "ok"),
    ]


def _jsonl_bytes() -> bytes:
    return b"\n".join(line for line, _ in jsonl_lines()) + b"\n"


def gz_cases() -> dict[str, tuple[bytes, list]]:
    """name -> (bytes, [(line, outcome)]) — outcome "ok", or text the skip reason holds."""
    lines = [json.dumps({"text": f"{AR} رقم {i}", "id": f"g{i}"}, ensure_ascii=False).encode() for i in range(200)]
    whole = gzip.compress(b"\n".join(lines) + b"\n")
    corrupt = bytearray(whole)
    corrupt[len(corrupt) // 2] ^= 0xFF
    return {
        "gz_truncated.jsonl.gz": (whole[: len(whole) // 2], ["cannot read the compressed file"]),
        "gz_corrupt.jsonl.gz": (bytes(corrupt), ["cannot read the compressed file"]),
        "gz_not_gzip.jsonl.gz": (b"\n".join(lines[:3]), ["cannot read the compressed file"]),
        "gz_empty.jsonl.gz": (b"", []),
    }


def _check_jsonl_report(skipped: dict, path: Path) -> None:
    for i, (line, outcome) in enumerate(jsonl_lines(), 1):
        where = f"{path}:{i}"
        if outcome in ("ok", "blank"):
            assert where not in skipped, (where, skipped.get(where))
        else:
            assert where in skipped and outcome in skipped[where], (where, skipped.get(where))


# --------------------------------------------------------------------------------------------------------------
# khabar ingest: a folder of every case at once; bad inputs are skipped and reported, the rest stored

def test_ingest(tmp_path, capsys):
    from khabar.store import Store

    folder = tmp_path / "in"
    _write(folder, CASES.values())
    (folder / "lines.jsonl").write_bytes(_jsonl_bytes())
    for name, (data, _) in gz_cases().items():
        (folder / name).write_bytes(data)
    db = tmp_path / "h.db"
    rc = main(["ingest", str(folder), "--db", str(db), "--progress", "off", "--format", "json"])
    out, err = capsys.readouterr()
    assert rc == 1
    rep = json.loads(out)
    skipped = {s["where"]: s["reason"] for s in rep["skipped"]}
    for c in CASES.values():
        where = str(folder / c.name)
        if c.outcome == "ok":
            assert where not in skipped, (where, skipped.get(where))
        else:
            assert where in skipped and skipped[where].startswith(f"[{c.outcome}]"), (where, skipped.get(where))
            assert f"skipped {where}: [{c.outcome}]" in err
    _check_jsonl_report(skipped, folder / "lines.jsonl")
    for name, (_, reasons) in gz_cases().items():
        got = [r for w, r in skipped.items() if w.startswith(str(folder / name) + ":")]
        assert len(got) == len(reasons) and all(x in r for x, r in zip(reasons, got)), (name, got)
    with Store(db, readonly=True) as st:
        docs = [st.get(i) for i in st.ids()]
        for d in docs:
            for layer, items in d["annotations"].items():
                for x in items if isinstance(items, list) else ():
                    if isinstance(x, dict) and "start" in x and "text" in x:
                        assert d["text"][x["start"]:x["end"]] == x["text"], (d["source"], layer)
        sources = {d["source"] for d in docs}
        # the truncated gzip: the lines before the cut are stored
        assert any(s.startswith(str(folder / "gz_truncated.jsonl.gz")) for s in sources)
        page = next(d for d in docs if d["source"].endswith("page_scripts_entities.html"))
        assert "alert" not in page["text"] and "document.write" not in page["text"] and "color" not in page["text"]
        assert "\"الاجتماع مثمر\" والحوار" in page["text"] and "نص عميق" in page["text"]
    assert rep["added"] == len(docs)
    # a second run stores nothing new and reports the same skips (idempotent on hostile input too)
    assert main(["ingest", str(folder), "--db", str(db), "--progress", "off", "--format", "json"]) == 1
    rep2 = json.loads(capsys.readouterr().out)
    assert rep2["added"] == 0 and {s["where"] for s in rep2["skipped"]} == set(skipped)


# --------------------------------------------------------------------------------------------------------------
# khabar batch: the same folder; failures recorded with their code, the run goes on

def test_batch(tmp_path):
    pytest.importorskip("pyarrow", reason="khabar batch needs the `batch` extra (pyarrow)")
    from khabar.batch import BatchOptions, run_batch
    from khabar.io.parquet import read_table

    folder = tmp_path / "in"
    _write(folder, CASES.values())
    (folder / "lines.jsonl").write_bytes(_jsonl_bytes())
    out = tmp_path / "out"
    rep = run_batch(BatchOptions([str(folder)], str(out), workers=1, partition_size=16, quiet=True))
    fails = [json.loads(line) for line in (out / "failures.jsonl").read_text(encoding="utf-8").splitlines()]
    by_where = {f["where"]: f for f in fails}
    for c in CASES.values():
        where = str(folder / c.name)
        if c.outcome == "ok":
            assert where not in by_where, by_where.get(where)
        else:
            assert by_where[where]["code"] == c.outcome, by_where[where]
    for i, (_, outcome) in enumerate(jsonl_lines(), 1):
        f = by_where.get(f"{folder / 'lines.jsonl'}:{i}")
        assert (f is None) == (outcome in ("ok", "blank")), (i, f)
        if f is not None and outcome.startswith("E"):
            assert f["code"] == outcome, f
    docs = read_table(out, "documents").to_pylist()
    assert len(docs) == rep.analysed == sum(c.outcome == "ok" for c in CASES.values()) + 3
    for d in docs:
        ann = json.loads(d["annotations"])
        check_document(Document.from_json({**ann, "text": d["text"], "meta": {}}))


# --------------------------------------------------------------------------------------------------------------
# POST /api/analyze: the same bytes as text/plain (and the JSON ones as application/json)

@pytest.fixture(scope="module")
def client():
    pytest.importorskip("fastapi", reason="the web server needs the `server` extra")
    from fastapi.testclient import TestClient
    from khabar.server import create_app

    return TestClient(create_app(None), raise_server_exceptions=False)


API_STATUS = {"E101": 400, "E102": 400, "E103": 400, "E104": 400, "E105": 413, "E503": 422}


@pytest.mark.parametrize("name", [n for n in CASES if not n.endswith(".html")])
def test_api(name, client):
    c = CASES[name]
    ctype = "application/json" if name.endswith(".json") else "text/plain"
    r = client.post("/api/analyze", content=c.data, headers={"content-type": ctype})
    if ctype == "application/json" and c.outcome == "E101":
        assert r.status_code == 400 and r.json()["code"] == "E104"  # not JSON
        return
    if ctype == "application/json" and name.startswith("mis_"):
        assert r.status_code == 400  # a JSON body must be UTF-8
        return
    if c.outcome == "ok":
        assert r.status_code == 200, r.text[:300]
        _analyzed_ok(c, r.json())
    else:
        assert r.status_code == API_STATUS[c.outcome], r.text[:300]
        assert r.json()["code"] == c.outcome


# --------------------------------------------------------------------------------------------------------------
# size and time limits: a 50 MB article, a 1M-character line

@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("big")
    big = d / "article_50mb.txt"
    unit = (AR + "\n").encode("utf-8")
    with open(big, "wb") as f:
        f.write(unit * (50 * 1024 * 1024 // len(unit) + 1))
    line = d / "line_1m.txt"
    line.write_text((AR.replace(".", "،") + " ") * (1_000_000 // (len(AR) + 1) + 1), encoding="utf-8")
    return big, line


def test_limits_analyze(big_files, capsys):
    big, line = big_files
    assert big.stat().st_size > 50 * 1024 * 1024
    assert main(["analyze", str(big)]) == 2
    assert f"[E105] {big}: article too long" in capsys.readouterr().err
    assert main(["analyze", str(line), "--format", "json"]) == 2
    assert f"[E105] {line}: article too long" in capsys.readouterr().err
    # without the size limit, the time limit stops it: a clear error, never a hang
    assert main(["analyze", str(line), "--max-chars", "0", "--timeout", "0.5"]) == 2
    err = capsys.readouterr().err
    assert f"[E503] {line}: analysis took longer than 0.5 s" in err


def test_limits_environment(big_files, capsys, monkeypatch, tmp_path):
    _, line = big_files
    monkeypatch.setenv("KHABAR_MAX_CHARS", "0")
    monkeypatch.setenv("KHABAR_TIMEOUT", "0.5")
    assert main(["analyze", str(line)]) == 2
    assert "[E503]" in capsys.readouterr().err
    monkeypatch.setenv("KHABAR_TIMEOUT", "soon")
    p = tmp_path / "a.txt"
    p.write_text(AR, encoding="utf-8")
    assert main(["analyze", str(p)]) == 2
    assert "[E203] KHABAR_TIMEOUT" in capsys.readouterr().err


def test_limits_ingest(big_files, tmp_path, capsys):
    big, line = big_files
    ok = tmp_path / "ok.txt"
    ok.write_text(AR, encoding="utf-8")
    db = tmp_path / "l.db"
    rc = main(["ingest", str(big), str(line), str(ok), "--db", str(db), "--progress", "off", "--format", "json"])
    rep = json.loads(capsys.readouterr().out)
    assert rc == 1 and rep["added"] == 1
    assert [(s["where"], s["reason"][:6]) for s in rep["skipped"]] == [(str(big), "[E105]"), (str(line), "[E105]")]
    rc = main(["ingest", str(line), "--db", str(db), "--max-chars", "0", "--timeout", "0.5", "--progress", "off",
               "--format", "json"])
    rep = json.loads(capsys.readouterr().out)
    assert rc == 1 and rep["skipped"][0]["reason"].startswith("[E503] analysis took longer than 0.5 s")


def test_limits_batch(big_files, tmp_path):
    pytest.importorskip("pyarrow", reason="khabar batch needs the `batch` extra (pyarrow)")
    from khabar.batch import BatchOptions, Limits, run_batch

    big, line = big_files
    ok = tmp_path / "ok.txt"
    ok.write_text(AR, encoding="utf-8")
    out = tmp_path / "out"
    rep = run_batch(BatchOptions([str(big), str(line), str(ok)], str(out), workers=1, quiet=True))
    assert rep.analysed == 1 and [(f["input"], f["code"]) for f in rep.failures] == [(str(big), "E105"),
                                                                                      (str(line), "E105")]
    rep = run_batch(BatchOptions([str(line), str(ok)], str(tmp_path / "out2"), workers=1, quiet=True,
                                 limits=Limits(max_chars=0, timeout=0.5)))
    assert rep.analysed == 1 and [(f["input"], f["code"]) for f in rep.failures] == [(str(line), "E503")]


def test_limits_api(big_files):
    pytest.importorskip("fastapi", reason="the web server needs the `server` extra")
    from fastapi.testclient import TestClient
    from khabar.server import create_app

    big, line = big_files
    c = TestClient(create_app(None, max_chars=0, analyze_timeout=0.5, max_body=4 << 20),
                   raise_server_exceptions=False)
    with open(big, "rb") as f:
        r = c.post("/api/analyze", content=f.read(), headers={"content-type": "text/plain"})
    assert r.status_code == 413 and r.json()["code"] == "E413"
    r = c.post("/api/analyze", content=line.read_bytes(), headers={"content-type": "text/plain"})
    assert r.status_code == 422 and r.json()["code"] == "E503", r.text[:300]
    r = c.post("/api/analyze", json={"text": AR})  # the server goes on
    assert r.status_code == 200
    c2 = TestClient(create_app(None), raise_server_exceptions=False)  # defaults: 100,000 characters
    r = c2.post("/api/analyze", json={"text": line.read_text(encoding="utf-8")[:200_000]})
    assert r.status_code == 413 and r.json()["code"] == "E105"


# --------------------------------------------------------------------------------------------------------------
# the per-article deadline itself

def test_deadline_in_threads_and_nested():
    import threading

    from khabar.errors import ArticleTimeoutError
    from khabar.limits import deadline

    def spin(seconds):
        with deadline(seconds, "spin"):
            while True:
                try:  # a stage that swallows every Exception cannot swallow the deadline
                    sum(range(1000))
                except Exception:  # noqa: BLE001
                    pass

    with pytest.raises(ArticleTimeoutError) as e:
        spin(0.2)
    assert e.value.code == "E503" and e.value.source == "spin"
    box = {}

    def in_thread():
        try:
            spin(0.2)
        except ArticleTimeoutError as err:
            box["err"] = err

    th = threading.Thread(target=in_thread)
    th.start()
    th.join(30)
    assert not th.is_alive() and box["err"].code == "E503"
    with deadline(0.3), deadline(100):  # nested: the outer one governs; leaving both disarms everything
        pass
    import signal
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_thread_deadlines_share_one_timer():
    """Deadlines outside the main thread share one timer thread: disarmed ones never go off later, armed ones go
    off on time in each thread, whatever their order."""
    import threading
    import time

    from khabar.errors import ArticleTimeoutError
    from khabar.limits import deadline

    box: dict = {}

    def worker(k):
        for _ in range(300):  # armed and left at once: must never go off afterwards
            with deadline(0.05 + 0.01 * k, f"quick{k}"):
                pass
        t = time.monotonic()
        try:
            with deadline(0.4 - 0.1 * k, f"spin{k}"):
                while time.monotonic() - t < 10:
                    pass
        except ArticleTimeoutError as e:
            box[k] = (time.monotonic() - t, e.source)
        time.sleep(0.3)  # a stray async exception would raise here
        box[f"done{k}"] = True

    ths = [threading.Thread(target=worker, args=(k,)) for k in range(3)]
    for th in ths:
        th.start()
    for th in ths:
        th.join(30)
    for k in range(3):
        took, src = box[k]
        assert src == f"spin{k}" and 0.4 - 0.1 * k <= took < 0.4 - 0.1 * k + 1.0, (k, took)
        assert box[f"done{k}"]


def test_pipeline_limits_and_errors_name_the_article():
    import khabar
    from khabar.errors import InputTooLargeError
    from khabar.pipeline import Pipeline

    with pytest.raises(InputTooLargeError) as e:
        khabar.analyze("ن" * 50, max_chars=10, external_id="doc-7")
    assert e.value.code == "E105" and e.value.source == "doc-7"
    pipe = Pipeline(only=["tokens"], max_chars=10)
    with pytest.raises(InputTooLargeError):
        pipe(Document.from_text("ن" * 50, url="http://x"))
    assert pipe(Document.from_text("ن" * 50), max_chars=0).layers["tokens"]


@pytest.mark.parametrize("n", [4, 12])
def test_ingest_kills_a_stuck_worker(tmp_path, monkeypatch, n):
    """A worker stuck where the per-article alarm cannot reach it (here: SIGALRM blocked) is killed and the pool
    restarted; only that article is skipped (E503), the others are stored.  With 12 articles the workers get
    groups of three: the stuck group's articles are run again one by one, so the right one is blamed."""
    import signal
    import time

    from khabar.io import ingest as ING
    from khabar.pipeline import REGISTRY, Stage
    from khabar.store import Store

    class Stuck(Stage):
        name = "test_stuck"
        produces = ("tokens",)

        def __call__(self, doc):
            if "STUCK" in doc.text:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
                t = time.monotonic()
                while time.monotonic() - t < 120:
                    pass
            return doc.with_layers(tokens=())

    monkeypatch.setitem(REGISTRY, "test_stuck", Stuck())
    monkeypatch.setattr(ING, "HARD_KILL_SLACK", 1.0)
    p = tmp_path / "a.jsonl"
    texts = ["one", "two STUCK", "three", "four"] + [f"text number {i}" for i in range(5, n + 1)]
    p.write_text("".join(json.dumps({"text": t, "id": str(i)}) + "\n" for i, t in enumerate(texts)),
                 encoding="utf-8")
    skipped = []
    rep = ING.ingest_paths([str(p)], str(tmp_path / "s.db"), jobs=2, stages=["test_stuck"], timeout=0.5,
                           on_skip=lambda w, r: skipped.append((w, r)))
    assert rep.added == n - 1
    assert skipped == [(f"{p}:2", "[E503] analysis took longer than 0.5 s; its worker process was stuck and has "
                                  "been killed")]
    with Store(tmp_path / "s.db", readonly=True) as st:
        assert st.stats()["counts"]["documents"] == n - 1


def test_batch_watchdog_ends_a_stuck_worker_and_the_retry_records_it(tmp_path):
    """The batch worker's watchdog: a process stuck on one article in compiled code, holding the interpreter lock
    and deaf to signals, is ended by faulthandler's C watchdog; the partition's retry records
    that article as E503 and analyses the rest."""
    import subprocess
    import sys

    pytest.importorskip("pyarrow", reason="khabar batch needs the `batch` extra (pyarrow)")
    script = f"""
import sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from khabar.batch import worker as W
from khabar.document import Document
class Stuck:
    stages = ()
    def __call__(self, doc):
        if "STUCK" in doc.text:
            sum(range(10 ** 12))  # hours in C, holding the GIL, deaf to signals
        return doc
W._PIPES[("fake",)] = Stuck()
W.STUCK_MIN_SLACK = 0.5
W.STUCK_FACTOR = 1.0
arts = [W.Article(i, "mem", i + 1, t, {{}}, Document.from_text(t).id) for i, t in enumerate(["a", "b STUCK", "c"])]
W.run_partition(W.PartitionTask(0, arts, {str(tmp_path)!r}, ("fake",), W.Limits(timeout=0.3), watchdog=True))
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert r.returncode == 1, r.stderr[-2000:]  # faulthandler's exit status
    assert b"Timeout" in (tmp_path / "_parts" / ".part-00000.watchdog").read_bytes()
    from khabar.batch import worker as W

    assert W.stuck_articles(tmp_path, 0) == {1}

    class Fine:
        stages = ()

        def __call__(self, doc):
            assert "STUCK" not in doc.text
            return doc

    W._PIPES[("fine",)] = Fine()
    try:
        arts = [W.Article(i, "mem", i + 1, t, {}, Document.from_text(t).id) for i, t in enumerate(["a", "b STUCK",
                                                                                                      "c"])]
        res = W.run_partition(W.PartitionTask(0, arts, str(tmp_path), ("fine",), W.Limits(timeout=5)))
    finally:
        W._PIPES.pop(("fine",), None)
    assert res.n_ok == 2 and [(f["line"], f["code"]) for f in res.failures] == [(2, "E503")]


def test_zlib_and_gzip_errors_are_reported_not_raised(tmp_path):
    """Every way a compressed file can be broken ends as a report with its path and line, never an exception."""
    from khabar.io.ingest import iter_jsonl

    for name, (data, reasons) in gz_cases().items():
        p = tmp_path / name
        p.write_bytes(data)
        items = list(iter_jsonl(p, gz=True))
        errs = [it for it in items if it.error]
        assert [r in e.error for r, e in zip(reasons, errs)] == [True] * len(reasons), (name, errs)
    assert zlib  # (imported for readers of this test: zlib.error is one of the caught failures)


# --------------------------------------------------------------------------------------------------------------
# every malformed request of the load test (fuzz/load_api.py), one by one: a 4xx JSON or HTML error, never 5xx

@pytest.fixture(scope="module")
def sample_client():
    pytest.importorskip("fastapi", reason="the web server needs the `server` extra")
    from fastapi.testclient import TestClient
    from khabar.server import create_app
    from khabar.server.sample import sample_db

    return TestClient(create_app(sample_db()), raise_server_exceptions=False)


def _bad_requests():
    from fuzz.load_api import BAD
    return BAD


@pytest.mark.parametrize("k", range(len(_bad_requests())))
def test_malformed_requests_are_4xx(k, sample_client):
    method, path, body, ctype = _bad_requests()[k]
    r = sample_client.request(method, path, content=body, headers={"content-type": ctype} if ctype else None)
    assert 400 <= r.status_code < 500, (method, path[:80], r.status_code, r.text[:300])
    if path.startswith("/api/"):
        assert r.json()["code"].startswith("E"), r.text[:300]


def test_ingest_folder_skips_named_pipes(tmp_path):
    """A named pipe (or socket, device) in a folder is not opened — reading it would block for ever."""
    import os

    from khabar.io.ingest import ingest_paths

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(AR, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    rep = ingest_paths([str(folder)], str(tmp_path / "p.db"), stages=["normalize", "tokens", "sentences"])
    assert rep.added == 1 and rep.ignored_files == 1 and not rep.skipped


_SITECUSTOMIZE = '''
import os
if os.environ.get("KHABAR_TEST_STUCK_STAGE"):
    from khabar.batch import worker as W
    from khabar.pipeline import REGISTRY, Stage

    class Stuck(Stage):
        name = "test_stuck"
        produces = ("tokens",)

        def __call__(self, doc):
            if "STUCK" in doc.text:
                sum(range(10 ** 12))  # hours in C, holding the GIL, deaf to signals
            return doc.with_layers(tokens=())

    REGISTRY["test_stuck"] = Stuck()
    W.STUCK_FACTOR, W.STUCK_MIN_SLACK = 1.0, 0.5
'''


def test_batch_local_engine_survives_a_stuck_worker(tmp_path, monkeypatch):
    """End to end: a batch worker process stuck in compiled code is ended by its watchdog, the pool restarted, the
    partition retried; the run finishes with that one article recorded as E503 and every other one analysed."""
    pytest.importorskip("pyarrow", reason="khabar batch needs the `batch` extra (pyarrow)")
    import os

    from khabar.batch import BatchOptions, Limits, run_batch
    from khabar.pipeline import REGISTRY, Stage

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    root = str(Path(__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), root, os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("KHABAR_TEST_STUCK_STAGE", "1")

    class Stuck(Stage):  # the driver checks the stage names
        name = "test_stuck"
        produces = ("tokens",)

    monkeypatch.setitem(REGISTRY, "test_stuck", Stuck())
    p = tmp_path / "a.jsonl"
    p.write_text("".join(json.dumps({"text": t}) + "\n" for t in ["one", "two", "three STUCK", "four", "five"]),
                 encoding="utf-8")
    rep = run_batch(BatchOptions([str(p)], str(tmp_path / "out"), workers=1, partition_size=3, quiet=True,
                                 stages=("test_stuck",), limits=Limits(timeout=0.3)))
    assert rep.analysed == 4
    assert [(f["line"], f["code"], f["stage"]) for f in rep.failures] == [(3, "E503", "limit")]
    assert "did not stop" in rep.failures[0]["reason"]
