"""`khabar events`: rows from article files and from a store (--db), in every format."""
import csv
import io
import json
import subprocess
import sys

ARTICLE = ("فرضت وزارة الخزانة الأمريكية عقوبات على خمسة مسؤولين إيرانيين. "
           "وقال المتحدث باسم الخارجية الإيرانية إن طهران سترد على العقوبات.")


def _run(*args):
    return subprocess.run([sys.executable, "-m", "khabar.cli", "events", *args], capture_output=True, text=True)


def test_events_from_files_and_store(tmp_path):
    art = tmp_path / "a.json"
    art.write_text(json.dumps({"text": ARTICLE, "id": "T1", "time": "2018-05-22"}, ensure_ascii=False),
                   encoding="utf-8")
    r = _run(str(art), "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows, "a sanction event should be coded"
    assert {"doc_id", "event_code", "root_code", "source", "target", "evidence_start", "evidence_end"} <= set(rows[0])
    for row in rows:
        assert ARTICLE[row["evidence_start"]:row["evidence_end"]] == row["evidence"]
    db = tmp_path / "k.db"
    ing = subprocess.run([sys.executable, "-m", "khabar.cli", "ingest", str(art), "--db", str(db)],
                         capture_output=True, text=True)
    assert ing.returncode == 0, ing.stderr
    r2 = _run("--db", str(db), "--format", "tsv")
    assert r2.returncode == 0, r2.stderr
    table = list(csv.DictReader(io.StringIO(r2.stdout), delimiter="\t"))
    assert [t["event_code"] for t in table] == [x["event_code"] for x in rows]


def test_events_errors(tmp_path):
    r = _run("--format", "parquet")
    assert r.returncode == 2 and "E1" in r.stderr
    r = _run("x.txt", "--db", str(tmp_path / "k.db"))
    assert r.returncode == 2
