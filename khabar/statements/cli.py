"""``khabar story`` (a set of articles analysed together) and ``khabar claims`` (statements in a database with the
responses that answer them)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _out(s: str) -> None:
    sys.stdout.write(s)


def cmd_story(args) -> int:
    from ..cli import resolve_limits
    from ..errors import InputError
    from ..io.readers import load_document
    from ..pipeline import default_pipeline
    from ..runner import Failure, run_article
    from .story import article_id, build_story

    limits = resolve_limits(args)
    pipe = default_pipeline()
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError("--out is a file, not a folder", source=args.out, hint="name a folder (it is created)")
    docs, seen = [], set()
    for path in args.articles:
        doc = load_document(path, max_chars=limits.max_chars)
        doc = run_article(pipe, doc, limits, source=path)
        if isinstance(doc, Failure):
            raise doc.error_for(path)
        d = doc.to_json()
        aid = article_id(d, Path(path).name.split(".")[0])
        if aid in seen:
            raise InputError(f"two articles with the id {aid}", source=path, hint="give each article once")
        seen.add(aid)
        docs.append((aid, d))
    story = build_story(docs)
    out.mkdir(parents=True, exist_ok=True)
    for aid, d in docs:
        (out / f"{aid}.json").write_text(json.dumps(d, ensure_ascii=False, indent=args.indent) + "\n", encoding="utf-8")
    (out / "story.json").write_text(json.dumps(story, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.format == "json":
        _out(json.dumps(story, ensure_ascii=False, indent=1) + "\n")
    else:
        _out(story_report(story))
    return 0


def story_report(story: dict) -> str:
    lines = [f"{len(story['articles'])} articles: {len(story['statements'])} statements reported by two or more, "
             f"{len(story['responses'])} responses to them"]
    for k, s in enumerate(story["statements"]):
        arts = list(dict.fromkeys(q["article"] for q in s["quotes"]))
        lines.append(f"[{k}] {s['speaker']} ({len(arts)} articles: {', '.join(arts)})")
        lines.append(f"    «{_clip(s['quotes'][0]['text'])}»")
        for r in story["responses"]:
            if k in r["statements"]:
                lines.append(f"    ← {r['stance']} by {r.get('speaker') or '?'} ({r['article']}, response {r['response']})")
    return "\n".join(lines) + "\n"


def _clip(s: str | None, n: int = 100) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def cmd_claims(args) -> int:
    from ..store import Store
    from ..store import statements as S

    if args.rebuild:
        with Store(args.db) as st:
            n = S.rebuild(st)
        sys.stderr.write(f"khabar: statements rebuilt from {n} documents in {args.db}\n")
        return 0
    with Store(args.db, readonly=True) as st:
        if not S.has_tables(st.conn):
            from ..errors import StoreError
            raise StoreError("the database has no statements tables (ingested before them)", source=args.db,
                             hint="run `khabar claims --rebuild` once")
        rows = S.claims(st.conn, speaker=args.speaker, about=args.about, contested=args.contested,
                        min_articles=args.min_articles, limit=args.limit)
    if args.format == "json":
        _out(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return 0
    for s in rows:
        f = s["first"]
        _out(f"[{s['id']}] {s['speaker']}: «{_clip(f['text'])}»\n")
        _out(f"    first: {f.get('external_id') or f['doc']} ({f.get('published') or '?'}); {s['n_articles']} "
             f"articles, {s['n_outlets']} outlets ({', '.join(s['outlets']) or '-'})"
             + (f"; {len(s['copies'])} near-duplicate copies not counted" if s["copies"] else "") + "\n")
        for v in s["variants"][1:4]:
            _out(f"    variant: «{_clip(v)}»\n")
        for r in s["responses"]:
            _out(f"    ← {r['stance']} by {r['speaker'] or '?'}: «{_clip(r['evidence'], 80)}»"
                 f"{' (another article)' if r['cross_article'] else ''}\n")
    if not rows:
        sys.stderr.write("khabar: no statements match\n")
    return 0


def add_commands(sub) -> None:
    from ..cli import limit_options
    from ..store.store import DEFAULT_DB

    p = sub.add_parser("story", help="analyse a set of articles together: statements reported by several of them "
                       "and responses across them (one Document JSON per article and story.json in --out)")
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help="article files (text, JSON or HTML)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for <id>.json per article and story.json")
    p.add_argument("--format", choices=("text", "json"), default="text", help="summary on stdout (default: text)")
    p.add_argument("--indent", type=int, default=None, help="indent the per-article JSON by this many spaces")
    limit_options(p)
    p.set_defaults(func=cmd_story)

    c = sub.add_parser("claims", help="statements in a database (who said it, who repeated it where and when) with "
                       "the denials, confirmations and replies that answer them")
    c.add_argument("--db", default=os.environ.get("KHABAR_DB", DEFAULT_DB),
                   help=f"database file (default: $KHABAR_DB or ./{DEFAULT_DB})")
    c.add_argument("--speaker", default=None, help="only statements of a speaker whose name contains this")
    c.add_argument("--about", default=None, help="only statements whose words include all of these")
    c.add_argument("--contested", action="store_true", help="only statements that some response denies")
    c.add_argument("--min-articles", type=int, default=1, metavar="N",
                   help="only statements carried by at least N articles (copies not counted; default 1)")
    c.add_argument("--limit", type=int, default=20, help="at most this many statements (default 20)")
    c.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    c.add_argument("--rebuild", action="store_true",
                   help="fill the statements tables anew from every stored document, then exit")
    c.set_defaults(func=cmd_claims)
