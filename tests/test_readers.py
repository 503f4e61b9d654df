import json
import subprocess
import sys

import pytest

from khabar.errors import BinaryInputError, EmptyInputError, EncodingError, MalformedJSONError
from khabar.io.readers import decode_bytes, load_document

AR = "قال وزير الخارجية إن المحادثات ستستمر في الرياض يوم الأحد."


@pytest.mark.parametrize("enc,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
                                          ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
                                          ("cp1256", "cp1256"), ("utf-32", "utf-32")])
def test_encodings_detected(enc, expected):
    text, got = decode_bytes(AR.encode(enc), "x.txt")
    assert text == AR
    assert got == expected


def test_binary_refused():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(BinaryInputError) as e:
        decode_bytes(png, "pic.png")
    assert "pic.png" in str(e.value)
    with pytest.raises(BinaryInputError):
        decode_bytes(b"abc\x00\x01\x02\x03\xff\xfe\x00\x00\x9c" * 50, "blob")


def test_latin1_not_misread_as_arabic():
    with pytest.raises(EncodingError):
        decode_bytes("café crème brûlée à la française".encode("latin-1"), "fr.txt")


def test_json_article(tmp_path):
    p = tmp_path / "a.json"
    p.write_text(json.dumps({"text": AR, "title": "عنوان", "source": "CNN", "id": "X1"}, ensure_ascii=False),
                 encoding="utf-8")
    d = load_document(str(p))
    assert d.text == AR and d.meta["title"] == "عنوان" and d.meta["outlet"] == "CNN"
    assert d.meta["external_id"] == "X1"


def test_bad_json_and_empty(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"text": "abc"', encoding="utf-8")
    with pytest.raises(MalformedJSONError) as e:
        load_document(str(p))
    assert "bad.json" in str(e.value)
    q = tmp_path / "notext.json"
    q.write_text('{"title": "x"}', encoding="utf-8")
    with pytest.raises(MalformedJSONError):
        load_document(str(q))
    r = tmp_path / "empty.txt"
    r.write_text("  \n\t ", encoding="utf-8")
    with pytest.raises(EmptyInputError):
        load_document(str(r))


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "khabar.cli", *args], input=stdin, capture_output=True)


def test_cli_analyze_refuses_binary(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8)
    r = _cli("analyze", str(p))
    assert r.returncode == 2
    assert b"E101" in r.stderr and b"x.bin" in r.stderr


def test_cli_analyze_cp1256_stdin_json():
    r = _cli("analyze", "-", "--format", "json", "--only", "tokens,sentences", stdin=AR.encode("cp1256"))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["text"] == AR
    assert [s["text"] for s in d["sentences"]] == [AR]


def test_analyze_jsonl_analyses_each_line(tmp_path, capsys):
    import gzip
    import json

    from khabar.cli import main

    lines = ['{"text": "قال الوزير إن الحكومة ستستقيل.", "id": "a1"}', "not json", '{"text": ""}',
             '{"text": "وأكد الرئيس أن الاقتصاد ينمو."}']
    p = tmp_path / "articles.jsonl.gz"
    p.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    rc = main(["analyze", str(p), "--format", "json", "--only", "quotes"])
    out, err = capsys.readouterr()
    docs = [json.loads(x) for x in out.splitlines()]
    assert [[q["content"] for q in d["quotes"]] for d in docs] == [["الحكومة ستستقيل"], ["الاقتصاد ينمو"]]
    assert rc == 1 and f"skipped {p}:2: invalid JSON" in err and f"skipped {p}:3: [E103]" in err


def test_saudinewsnet_crawl_date_is_the_publication_date_fallback():
    from khabar.io.readers import document_from_record
    rec = {"source": "aawsat", "date_extracted": "2015-07-21 02:51:32", "content": "نص الخبر"}
    assert document_from_record(rec).meta["published"] == "2015-07-21 02:51:32"
    rec["time"] = "Mon, 20 Jul 2015 10:00:00 +0300"          # a real publication time wins
    assert document_from_record(rec).meta["published"] == rec["time"]
