"""Store sub-commands of the ``khabar`` CLI: ingest, search, quotes, actors, show, stats, reindex, demo.

Thin wrappers over :class:`khabar.store.Store` and :func:`khabar.io.ingest.ingest_paths`; every listing command
takes ``--format text|json``.  Errors are coded :class:`~khabar.errors.KhabarError` s, printed by ``khabar.cli``.
"""
from __future__ import annotations

import json
import os
import sys

from .errors import StoreError
from .store import DEFAULT_DB


def _out(s: str) -> None:
    sys.stdout.write(s)


def _dump(obj) -> None:
    _out(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")


def _clip(s: str | None, n: int = 120) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _open(args, readonly: bool = True):
    from . import Store

    return Store(args.db, readonly=readonly)


def _db_arg(p) -> None:
    p.add_argument("--db", default=os.environ.get("KHABAR_DB", DEFAULT_DB),
                   help=f"database file (default: $KHABAR_DB or ./{DEFAULT_DB})")


def _format_arg(p) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


# --------------------------------------------------------------------------------------------------------------

def cmd_ingest(args) -> int:
    from ..io.ingest import ingest_paths

    if getattr(args, "from_parquet", None):
        if args.paths:
            raise StoreError("give either PATH... or --from-parquet DIR, not both")
        from ..batch.cli import run_from_parquet
        return run_from_parquet(args.db, args.from_parquet)
    if not args.paths:
        raise StoreError("nothing to ingest: give PATH... or --from-parquet DIR")

    def on_skip(where: str, reason: str) -> None:
        sys.stderr.write(f"khabar: skipped {where}: {reason}\n")

    stages = args.only.split(",") if args.only else None
    if stages:
        from ..pipeline import resolve_stages
        stages = resolve_stages(stages)
    progress = None if args.progress == "auto" else args.progress == "on"
    from ..cli import resolve_limits
    limits = resolve_limits(args)
    report = ingest_paths(args.paths, args.db, jobs=args.jobs, batch_size=args.batch_size, stages=stages,
                          progress=progress, html_extractor=args.html_extractor, on_skip=on_skip,
                          max_chars=limits.max_chars, timeout=limits.timeout)
    if args.format == "json":
        _dump(report.to_json())
    else:
        sys.stderr.write(f"khabar: {report.summary()} into {args.db}\n")
    return 0 if report.ok else 1


def _filters(args) -> dict:
    return {k: getattr(args, k) for k in ("speaker", "entity", "source", "outlet", "since", "until", "topic",
                                           "subject", "country")
            if getattr(args, k, None)}


def cmd_search(args) -> int:
    with _open(args) as st:
        res = st.search(args.query, mode=args.mode, limit=args.limit, offset=args.offset, **_filters(args))
    if args.format == "json":
        _dump(res.hits)
        return 0
    if not res.hits:
        _out(f"no match for {args.query!r} ({res.total or 0} in all)\n")
        return 0
    _out(f"{res.total} documents match {args.query!r} ({args.mode} mode); showing {args.offset + 1}-"
         f"{args.offset + len(res.hits)}\n\n")
    for i, h in enumerate(res.hits, args.offset + 1):
        where = ", ".join(x for x in (h.get("outlet"), (h.get("published") or "")[:10]) if x)
        _out(f"{i}. {_clip(h.get('title') or '(untitled)', 90)}" + (f"  [{where}]" if where else "") + "\n")
        _out(f"   id {h['id']}" + (f"  ({h['external_id']})" if h.get("external_id") else "")
             + f"  score {h['score']:.2f}{'  exact' if h['exact'] else ''}\n")
        if h.get("snippet"):
            _out(f"   {h['snippet']}\n")
        _out("\n")
    return 0


def cmd_quotes(args) -> int:
    with _open(args) as st:
        rows = st.quotes(speaker=args.speaker, about=args.about, doc=args.doc, kind=args.kind, mode=args.mode,
                         limit=args.limit, offset=args.offset, outlet=args.outlet, since=args.since,
                         until=args.until)
    if args.format == "json":
        _dump(rows)
        return 0
    if not rows:
        _out("no quotations found\n")
        return 0
    for r in rows:
        who = r.get("speaker") or "?"
        _out(f"{who} ({r.get('kind') or '?'}" + (f", {r['cue_text']}" if r.get("cue_text") else "") + "): "
             f"«{_clip(r['content'], 200)}»\n")
        _out(f"   {r['doc_id']}" + (f" ({r['external_id']})" if r.get("external_id") else "")
             + f"  [{r['start']}:{r['end']}]  {_clip(r.get('title'), 70)}\n")
    return 0


def cmd_actors(args) -> int:
    with _open(args) as st:
        rows = st.actors(top=args.top, type=args.type, name=args.name)
    if args.format == "json":
        _dump(rows)
        return 0
    if not rows:
        _out("no actors in this database (the entities/actors stages may not have run)\n")
        return 0
    _out(f"{'documents':>9} {'mentions':>8} {'quotes':>6}  type  name\n")
    for r in rows:
        _out(f"{r['documents']:>9} {r['mentions'] or 0:>8} {r['quotes']:>6}  {(r['type'] or '-'):<4}  {r['name']}"
             f"  ({r['key']})\n")
    return 0


def cmd_show(args) -> int:
    with _open(args) as st:
        d = st.get(args.id)
    if args.format == "json":
        _dump(d)
        return 0
    ann = d["annotations"]
    text = d["text"]
    _out(f"{d.get('title') or '(untitled)'}\n")
    meta = [f"{k}: {d[k]}" for k in ("id", "external_id", "outlet", "published", "topic", "url", "source")
            if d.get(k)]
    _out("\n".join(meta) + "\n\n" + text + "\n")
    dl = ann.get("dateline")
    if dl:
        _out("\nDateline: " + "; ".join(f"{k}: {v}" for k, v in dl.items() if v and isinstance(v, str)) + "\n")
    for layer, title in (("quotes", "Quotations"), ("sources", "Sources"), ("dates", "Dates"),
                         ("entities", "Entities"), ("events", "Events")):
        items = ann.get(layer)
        if not items:
            continue
        _out(f"\n{title} ({len(items)})\n")
        for x in items:
            if not isinstance(x, dict):
                _out(f"  {x}\n")
                continue
            span = f"[{x.get('start')}:{x.get('end')}]"
            body = _clip(x.get("text") or x.get("content") or "", 160)
            if layer == "quotes":
                _out(f"  {x.get('speaker') or '?'} ({x.get('kind') or '?'}): «{body}» {span}\n")
            elif layer == "dates":
                _out(f"  {body} = {x.get('value')} {span}\n")
            elif layer == "entities":
                _out(f"  {x.get('label', '')}: {body} {span}\n")
            else:
                _out(f"  {body} {span}\n")
    actors = ann.get("actors")
    if actors:
        _out(f"\nActors ({len(actors)})\n")
        for a in actors:
            if isinstance(a, dict):
                m = a.get("mentions")
                n = len(m) if isinstance(m, list) else m
                _out(f"  {a.get('type') or '-'}: {a.get('name')}  ({n} mentions)\n")
    return 0


def cmd_stats(args) -> int:
    with _open(args) as st:
        s = st.stats()
    if args.format == "json":
        _dump(s)
        return 0
    _out(f"{s['path']}: schema v{s['schema_version']}, clitic splitter {s['clitic_splitter']}\n")
    if not s.get("prefix_index", True):
        _out("  no prefix indexes: prefix searches (الم*) are slow until `khabar reindex`\n")
    _out("  " + ", ".join(f"{k} {v}" for k, v in s["counts"].items()) + "\n")
    _out("  outlets: " + ", ".join(f"{k or '?'} {v}" for k, v in s["outlets"].items()) + "\n")
    if s["published"]["from"]:
        _out(f"  published {s['published']['from'][:10]} … {s['published']['to'][:10]}\n")
    return 0


def cmd_reindex(args) -> int:
    from . import Store

    with Store(args.db) as st:
        n = st.reindex(progress=sys.stderr.isatty(), jobs=max(1, args.jobs))
        name = st.splitter_name
    sys.stderr.write(f"khabar: reindexed {n} documents with clitic splitter {name}\n")
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(db=args.db, jobs=args.jobs, serve=args.serve, fmt=args.format)


# --------------------------------------------------------------------------------------------------------------

def _filter_args(p, *, search: bool = True) -> None:
    g = p.add_argument_group("filters")
    if search:
        g.add_argument("--speaker", help="only articles quoting this speaker (name, any spelling of hamza/ة)")
        g.add_argument("--entity", help="only articles mentioning this person, organisation or place")
        g.add_argument("--source", help="only articles citing this source (agency, outlet, report)")
        g.add_argument("--subject", help="only articles about this subject (politics, economy, sport, culture, "
                       "technology, health, society)")
        g.add_argument("--country", help="only articles about this country (ISO 3166 alpha-3, e.g. SAU, IRN)")
        g.add_argument("--topic", help="only articles the input filed under this section (its label, e.g. "
                       "middleEast)")
    g.add_argument("--outlet", help="only articles published by this outlet (e.g. CNN, BBC)")
    g.add_argument("--since", help="published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
    g.add_argument("--until", help="published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)")


def add_commands(sub) -> None:
    p = sub.add_parser("ingest", help="analyse articles (files, folders, JSON/JSONL(.gz), HTML) into a database")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to read (folders recursively)")
    from ..batch.cli import add_from_parquet_option
    add_from_parquet_option(p)
    _db_arg(p)
    p.add_argument("--jobs", type=int, default=1, help="worker processes for the analysis (default: 1)")
    p.add_argument("--batch-size", type=int, default=64,
                   help="articles written per transaction (default: 64)")
    p.add_argument("--only", default=None, help="comma-separated pipeline stages to run (plus what they need)")
    p.add_argument("--html-extractor", choices=("builtin", "trafilatura"), default="builtin",
                   help="main-text extractor for HTML pages (trafilatura must be installed; default: builtin)")
    p.add_argument("--progress", choices=("auto", "on", "off"), default="auto",
                   help="progress bar on stderr (default: auto = when stderr is a terminal)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="summary format (default: text on stderr; json on stdout)")
    from ..cli import limit_options
    limit_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="full-text search with Arabic spelling variants, clitics and light stems")
    p.add_argument("query", help='words, "exact phrase", -excluded, prefix*, OR')
    _db_arg(p)
    _format_arg(p)
    p.add_argument("--limit", type=int, default=10, help="number of hits (default: 10)")
    p.add_argument("--offset", type=int, default=0, help="skip this many hits (default: 0)")
    p.add_argument("--mode", choices=("stem", "exact"), default="stem",
                   help="stem: also clitic-split and stemmed forms; exact: only the (normalised) word forms")
    _filter_args(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("quotes", help="list quotations, by speaker and/or by what they are about")
    _db_arg(p)
    _format_arg(p)
    p.add_argument("--speaker", help="speaker name (whole words, any hamza/ة spelling) or actor key")
    p.add_argument("--about", help="a search query over the quotation text")
    p.add_argument("--doc", help="only quotations of this document (id or external id)")
    p.add_argument("--kind", choices=("direct", "indirect"), help="only direct or only indirect quotations")
    p.add_argument("--mode", choices=("stem", "exact"), default="stem", help="search mode of --about")
    p.add_argument("--limit", type=int, default=20, help="number of quotations (default: 20)")
    p.add_argument("--offset", type=int, default=0, help="skip this many quotations (default: 0)")
    _filter_args(p, search=False)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("actors", help="the actors (people, organisations, places) across articles")
    _db_arg(p)
    _format_arg(p)
    p.add_argument("--top", type=int, default=20, help="number of actors (default: 20)")
    p.add_argument("--type", help="only actors of this type (PER, ORG, LOC, MISC)")
    p.add_argument("--name", help="only actors whose name contains these words")
    p.set_defaults(func=cmd_actors)

    p = sub.add_parser("show", help="one stored article with its annotations")
    p.add_argument("id", help="document id (hash) or external id (docno, id) or url")
    _db_arg(p)
    _format_arg(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("stats", help="what a database holds: counts, outlets, dates, schema version")
    _db_arg(p)
    _format_arg(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("reindex", help="rebuild the search index (after the clitic segmenter changed; a store "
                                       "made before the prefix indexes gains them)")
    _db_arg(p)
    p.add_argument("--jobs", type=int, default=1, help="processes computing the search views (default 1)")
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("demo", help="load the bundled demo corpus (CNN and BBC Arabic) and show what to try")
    _db_arg(p)
    _format_arg(p)
    p.add_argument("--jobs", type=int, default=1, help="worker processes for the analysis (default: 1)")
    p.add_argument("--serve", action="store_true", help="then start the web server on the database, if installed")
    p.set_defaults(func=cmd_demo)
