"""The ``khabar`` command line: thin wrappers over importable functions.

Every command and option is documented in README.md (a test checks it).  Errors print
``khabar: error [CODE] input: message (hint)`` on stderr and exit with status 2.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import __version__
from .errors import KhabarError


def _out(s: str) -> None:
    sys.stdout.write(s)


def limit_options(p, what: str = "article") -> None:
    """``--max-chars`` and ``--timeout`` (per-article limits, :mod:`khabar.limits`); defaults from the environment."""
    from .limits import DEFAULT_MAX_CHARS, DEFAULT_TIMEOUT, ENV_MAX_CHARS, ENV_TIMEOUT

    p.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help=f"refuse a longer {what} with error E105 (default: ${ENV_MAX_CHARS} or "
                   f"{DEFAULT_MAX_CHARS:,}; 0: no limit)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help=f"stop the analysis of one {what} after SECONDS with error E503 (default: ${ENV_TIMEOUT} "
                   f"or {DEFAULT_TIMEOUT:g}; 0: no limit)")


def resolve_limits(args):
    """The per-article :class:`~khabar.limits.Limits` from the options, else the environment, else the defaults."""
    from .limits import Limits

    return Limits.resolve(getattr(args, "max_chars", None), getattr(args, "timeout", None))


def cmd_analyze(args) -> int:
    from .io.readers import load_document
    from .pipeline import default_pipeline
    from .runner import Failure, run_article

    limits = resolve_limits(args)
    pipe = default_pipeline(args.only.split(",") if args.only else None)
    if args.file != "-" and _is_jsonl(args.file):
        return _analyze_jsonl(args, pipe, limits)
    doc = load_document(args.file, max_chars=limits.max_chars)
    name = "<stdin>" if args.file == "-" else args.file
    doc = run_article(pipe, doc, limits, source=name)
    if isinstance(doc, Failure):
        raise doc.error_for(name)
    _print_analysis(args, doc)
    return 0


def _print_analysis(args, doc, header: str | None = None) -> None:
    if args.format == "json":
        _out(doc.dumps(indent=args.indent) + "\n")
    else:
        from .report import text_report
        if header:
            _out(f"== {header}\n")
        _out(text_report(doc))


def _is_jsonl(path: str) -> bool:
    from pathlib import Path

    from .io.ingest import JSONL_SUFFIXES, _suffixes
    return _suffixes(Path(path))[0] in JSONL_SUFFIXES


def _analyze_jsonl(args, pipe, limits) -> int:
    """Each line of a JSONL file (.jsonl, .ndjson, optionally gzipped) is one article: each is analysed and
    printed (``--format json``: one Document per line); a line that cannot be read or analysed is reported on
    stderr as ``skipped FILE:LINE: [CODE] ...`` and the others go on (exit status 1 when any was skipped)."""
    from pathlib import Path

    from .errors import InputError
    from .io.ingest import _suffixes, iter_jsonl
    from .runner import Failure, run_article

    path = Path(args.file)
    if not path.is_file():
        raise InputError("no such file", source=args.file, hint="check the path")
    skipped = 0
    for item in iter_jsonl(path, gz=_suffixes(path)[1]):
        if item.error is None:
            doc = run_article(pipe, item.doc, limits, source=item.where)
            if isinstance(doc, Failure):
                item.error = doc.text()
        if item.error is not None:
            skipped += 1
            sys.stderr.write(f"skipped {item.where}: {item.error}\n")
            continue
        _print_analysis(args, doc, header=item.where)
    return 1 if skipped else 0


def cmd_segment(args) -> int:
    from .io.readers import load_document
    from .text.segment import get_segmenter
    from .text.tokenize import tokenize

    doc = load_document(args.file)
    seg = get_segmenter()
    text = doc.text
    lines = []
    for tok in tokenize(text):
        w = text[tok.start:tok.end]
        lines.append("+".join(seg.segment(w)) if tok.label == "word" else w)
    _out("\n".join(lines) + ("\n" if lines else ""))
    return 0


def cmd_ner(args) -> int:
    from .ner.conll import read_conll
    from .ner.docprop import propagate_windows
    from .ner.tagger import get_tagger
    from .io.readers import decode_bytes, read_bytes

    name = "<stdin>" if args.file == "-" else args.file
    text, _ = decode_bytes(read_bytes(args.file), name)
    sents = read_conll(text.splitlines())
    tagger = get_tagger()
    toks = [[t for t, _ in sent] for sent in sents]
    out = []
    for st, tags in zip(toks, propagate_windows(toks, tagger.tag_windows(toks, args.window), args.window)):
        for tok, tag in zip(st, tags):
            out.append(f"{tok}\t{tag}")
        out.append("")
    _out("\n".join(out) + ("\n" if out else ""))
    return 0


def cmd_stages(args) -> int:
    from .pipeline import available_stages, get_stage

    for n in available_stages():
        st = get_stage(n)
        _out(f"{n}\tv{st.version}\trequires={','.join(st.requires) or '-'}\tproduces={','.join(st.produces)}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="khabar", description="Read Arabic news: who said what, according to whom, "
                                "where and when, who did what to whom, about whom and about what.")
    p.add_argument("--version", action="version", version=f"khabar {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser("analyze", help="analyse one article (text, or a JSON object with \"text\")")
    a.add_argument("file", nargs="?", default="-", help="article file, or - for standard input (default)")
    a.add_argument("--format", choices=("json", "text"), default="text", help="output format (default: text)")
    a.add_argument("--only", default=None, help="comma-separated stage names to run (plus what they need)")
    a.add_argument("--indent", type=int, default=None, help="indent JSON output by this many spaces")
    limit_options(a)
    a.set_defaults(func=cmd_analyze)

    s = sub.add_parser("segment", help="clitic segmentation, one token per line, segments joined by +")
    s.add_argument("file", nargs="?", default="-", help="text file, or - for standard input (default)")
    s.set_defaults(func=cmd_segment)

    n = sub.add_parser("ner", help="tag a CoNLL file (token in the first column): prints token<TAB>BIO tag")
    n.add_argument("file", nargs="?", default="-", help="CoNLL file, or - for standard input (default)")
    n.add_argument("--window", type=int, default=40, metavar="N",
                   help="names tagged once are tagged where they recur within blocks of N sentences, standing in "
                   "for documents (default 40; 0: off)")
    n.set_defaults(func=cmd_ner)

    st = sub.add_parser("stages", help="list the pipeline stages with what they require and produce")
    st.set_defaults(func=cmd_stages)

    for extra in _EXTRA_COMMANDS:
        extra(sub)
    return p


# other modules (eval, store, server, batch) add their sub-commands here
_EXTRA_COMMANDS: list = []


def _register_extras() -> None:
    for mod in ("khabar.evaluate", "khabar.store.cli", "khabar.server.cli", "khabar.batch.cli", "khabar.events_cli",
                "khabar.statements.cli"):
        try:
            m = __import__(mod, fromlist=["add_commands"])
        except ImportError:
            continue
        if hasattr(m, "add_commands") and m.add_commands not in _EXTRA_COMMANDS:
            _EXTRA_COMMANDS.append(m.add_commands)


def main(argv: Sequence[str] | None = None) -> int:
    _register_extras()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except KhabarError as e:
        sys.stderr.write(f"khabar: error {e}\n")
        return 2
    except BrokenPipeError:  # `khabar ... | head`
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("khabar: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
