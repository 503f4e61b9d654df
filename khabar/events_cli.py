"""``khabar events``: who did what to whom, as GDELT-style rows (TSV, JSON or Parquet).

    khabar events article.txt more.json --format tsv
    khabar events corpus.jsonl.gz --format parquet --out events.parquet
"""
from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError


def _docs(paths):
    from .io.readers import load_document

    for p in paths:
        name = str(p)
        if name != "-" and (name.endswith(".jsonl") or name.endswith(".jsonl.gz")):
            from .io.ingest import iter_file
            for item in iter_file(Path(name)):
                if item.doc is not None:
                    yield item.doc
                else:
                    sys.stderr.write(f"khabar: skipped {name}:{item.line}: {item.error}\n")
        else:
            yield load_document(name)


def cmd_events(args) -> int:
    from .events.rows import event_rows

    if getattr(args, "db", None):
        if args.files:
            raise InputError("give either FILE... or --db DB, not both", hint="khabar events --db khabar.db")
        rows = list(_store_rows(args.db))
        return _emit(rows, args)
    if not args.files:
        raise InputError("no input files", hint="khabar events FILE... [--format tsv|json|parquet] [--out F]")
    if args.format == "parquet" and not args.out:
        raise InputError("Parquet output needs a file", hint="add --out events.parquet")
    from .pipeline import Pipeline, available_stages
    pipe = Pipeline([n for n in available_stages() if n != "topic"])  # events need no topic
    rows = []
    for doc in _docs(args.files):
        rows.extend(event_rows(pipe(doc)))
    return _emit(rows, args)


def _store_rows(db: str):
    """Event rows of every article in a store, from the layers stored at ingest (no new analysis)."""
    from .events.rows import event_rows
    from .store import Store

    with Store(db, readonly=True) as st:
        for doc_id in st.ids():
            yield from event_rows(st.document(doc_id))


def _emit(rows, args) -> int:
    from .events.rows import to_json, to_tsv, write_parquet

    if args.format == "parquet" and not args.out:
        raise InputError("Parquet output needs a file", hint="add --out events.parquet")
    if args.format == "parquet":
        write_parquet(rows, args.out)
        sys.stderr.write(f"khabar: wrote {len(rows)} events to {args.out}\n")
        return 0
    out = to_tsv(rows) if args.format == "tsv" else to_json(rows)
    if args.out:
        Path(args.out).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("events", help="code political events (CAMEO) as GDELT-style rows",
                       description="Analyse articles and print one row per coded event: date, source, target, "
                                   "CAMEO code, root, quad class, Goldstein score, evidence offsets, document id.")
    p.add_argument("files", nargs="*", metavar="FILE", help="articles: text, JSON with \"text\", or JSONL(.gz)")
    p.add_argument("--format", choices=("tsv", "json", "parquet"), default="tsv", help="output format (default tsv)")
    p.add_argument("--out", metavar="F", help="write to F instead of stdout (required for parquet)")
    p.add_argument("--db", metavar="DB", help="read the events of every article stored in this database "
                                              "(`khabar ingest`) instead of analysing files")
    p.set_defaults(func=cmd_events)
