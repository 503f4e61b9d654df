"""``khabar demo``: load the bundled demo corpus into a local database and say what to try next.

The corpus (``khabar/data/demo/ant_cnn_bbc_demo.jsonl.gz``, see its README) is 300 CNN Arabic and BBC Arabic
articles of 2018 from the ANT corpus v2.1, chosen deterministically by :func:`build_demo_corpus` (rerun it with
``python -m khabar.store.demo ANT.jsonl.gz`` to rebuild the file byte for byte).

``DEMO_HOOKS``: callables ``hook(db_path, args_namespace_or_None) -> None`` run after the corpus is loaded; the
web server registers one to start itself with ``khabar demo --serve``.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_FILE = DEMO_DIR / "ant_cnn_bbc_demo.jsonl.gz"
DEMO_SOURCES = ("CNN", "BBC")
PER_SOURCE = 150
FIELDS = ("docno", "url", "src", "title", "time", "label", "text")

DEMO_HOOKS: list = []


def build_demo_corpus(ant_path: str | Path, out_path: str | Path = DEMO_FILE, per_source: int = PER_SOURCE) -> int:
    """Select ``per_source`` articles of each of CNN and BBC from ANT (jsonl.gz), deterministically.

    Articles of 500–5000 characters (each text once) are ranked by the SHA-1 of their ``docno`` and taken round-robin over the
    topic labels, so every topic is represented.  The output is gzip with a fixed mtime (reproducible bytes).
    """
    from ..document import canonical_text, text_id

    by_src: dict[str, dict[str, list]] = {s: {} for s in DEMO_SOURCES}
    seen: set[str] = set()
    with gzip.open(ant_path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            src = r.get("src")
            if src not in by_src:
                continue
            n = len(r.get("text") or "")
            if not 500 <= n <= 5000:
                continue
            key = text_id(canonical_text(r["text"]))
            if key in seen:  # ANT repeats a few texts under two docnos: keep the first
                continue
            seen.add(key)
            h = hashlib.sha1(r["docno"].encode()).hexdigest()
            by_src[src].setdefault(r.get("label") or "", []).append((h, {k: r.get(k) for k in FIELDS}))
    chosen = []
    for src in DEMO_SOURCES:
        labels = {k: sorted(v, key=lambda x: x[0]) for k, v in sorted(by_src[src].items())}
        picked: list = []
        i = 0
        while len(picked) < per_source and any(i < len(v) for v in labels.values()):
            for k in labels:
                if i < len(labels[k]) and len(picked) < per_source:
                    picked.append(labels[k][i][1])
            i += 1
        chosen += sorted(picked, key=lambda r: r["docno"])
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen).encode("utf-8")
    with open(out_path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                    compresslevel=9) as g:
        g.write(data)
    return len(chosen)


def run_demo(db: str = "khabar.db", jobs: int = 1, serve: bool = False, fmt: str = "text", args=None,
             stages=None) -> int:
    """Ingest the demo corpus into ``db`` (idempotent), print what to try, run the hooks; 0 if nothing skipped."""
    from ..io.ingest import ingest_paths
    from . import Store

    if not DEMO_FILE.exists():
        from .errors import StoreError
        raise StoreError("the demo corpus is missing from this installation", source=str(DEMO_FILE),
                         hint="reinstall khabar")
    report = ingest_paths([str(DEMO_FILE)], db, jobs=jobs, stages=stages, on_skip=lambda w, r: sys.stderr.write(
        f"khabar: skipped {w}: {r}\n"))
    with Store(db, readonly=True) as st:
        stats = st.stats()
        top = st.actors(top=3)
        # the most quoted speaker (the most mentioned actor is often the outlet of the datelines)
        quoted = st.execute("SELECT speaker, count(*) AS n FROM quotes WHERE speaker IS NOT NULL "
                            "GROUP BY speaker_norm ORDER BY n DESC LIMIT 1")
        n_quotes = stats["counts"]["quotes"]
    if fmt == "json":
        sys.stdout.write(json.dumps({"db": db, "ingest": report.to_json(), "stats": stats}, ensure_ascii=False,
                                    indent=1) + "\n")
    else:
        c = stats["counts"]
        out = [f"khabar demo: {c['documents']} articles (CNN Arabic and BBC Arabic, 2018, from the ANT corpus) "
               f"in {db}: {report.added} added now, {report.duplicates} were there already.",
               f"  {c['quotes']} quotations, {c['sources']} cited sources, {c['entities']} entity mentions, "
               f"{c['dates']} dates.", "", "Try:",
               f"  khabar search إيران --db {db}                 # also finds ايران، لإيران، الإيرانية",
               f"  khabar search '\"الأمم المتحدة\"' --db {db} --outlet BBC",
               f"  khabar search اقتصاد --db {db} --topic economy --since 2018-06 --format json"]
        if n_quotes:
            out.append(f"  khabar quotes --about إيران --db {db}")
        if top:
            who = quoted[0]["speaker"] if quoted else top[0]["name"]
            out.append(f"  khabar quotes --speaker '{who}' --db {db}")
            out.append(f"  khabar actors --top 20 --db {db}")
        out.append(f"  khabar show {st_first_id(db)} --db {db}")
        sys.stdout.write("\n".join(out) + "\n")
    for hook in list(DEMO_HOOKS):
        hook(db, args)
    if serve:
        try:
            from ..server import cli as server_cli  # type: ignore
            start = getattr(server_cli, "serve_demo", None) or getattr(server_cli, "serve", None)
        except ImportError:
            start = None
        if start is None:
            sys.stderr.write("khabar: the web server is not part of this installation yet\n")
        else:
            start(db)
    return 0 if report.ok else 1


def st_first_id(db: str) -> str:
    from . import Store

    with Store(db, readonly=True) as st:
        rows = st.execute("SELECT external_id, id FROM documents ORDER BY rowid LIMIT 1")
    return (rows[0]["external_id"] or rows[0]["id"]) if rows else "ID"


if __name__ == "__main__":  # pragma: no cover
    src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/news/ant_v2.1.jsonl.gz"
    n = build_demo_corpus(src)
    print(f"wrote {n} articles to {DEMO_FILE}")
