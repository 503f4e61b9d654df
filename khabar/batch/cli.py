"""``khabar batch``: analyse a large input on a local process pool or a Dask cluster, writing Parquet tables.

Exit status: 0 when every article was analysed, 1 when the run finished but some articles failed (they are in
``DIR/failures.jsonl``), 2 on an error that stopped the run.

``khabar ingest --from-parquet DIR`` (wired by the store's CLI) loads such output into a database without
analysing again: it calls :func:`run_from_parquet` here.
"""
from __future__ import annotations

import json
import sys


def _stages(s: str | None):
    return tuple(x.strip() for x in s.split(",") if x.strip()) if s else None


def cmd_batch(args) -> int:
    from .engine import BatchOptions, run_batch
    from .worker import Limits

    from ..cli import resolve_limits

    engine = "dask" if args.scheduler else args.engine
    lim = resolve_limits(args)
    opts = BatchOptions(inputs=args.inputs, out_dir=args.out, engine=engine, scheduler=args.scheduler,
                        workers=args.workers, partition_size=args.partition_size, stages=_stages(args.only),
                        limits=Limits(max_chars=lim.max_chars, timeout=lim.timeout, trim_mb=args.trim_memory),
                        resume=args.resume,
                        quiet=args.quiet)
    rep = run_batch(opts)
    if not args.no_statements:
        from .statements import write_statement_tables  # the merge step: statements across the run's articles

        counts = write_statement_tables(args.out)
        if not args.quiet:
            sys.stderr.write(f"khabar: statements: {counts['statements']:,} statements, {counts['responses']:,} "
                             f"responses, {counts['response_links']:,} links in {args.out}/statements\n")
    if args.json:
        sys.stdout.write(json.dumps(rep.to_json(), ensure_ascii=False, indent=1) + "\n")
    if not args.quiet:
        sys.stderr.write(rep.summary() + "\n")
    return 1 if rep.failures else 0


def add_commands(sub) -> None:
    from .engine import DEFAULT_PARTITION_SIZE
    from .worker import Limits

    b = sub.add_parser("batch", help="analyse many articles on a process pool or a Dask cluster; write Parquet",
                       description="Analyse files, folders and JSONL(.gz) article collections in partitions on "
                       "worker processes (a local pool, a Dask LocalCluster or an existing Dask scheduler) and "
                       "write Parquet tables (documents, entities, actors, quotes, sources, dates, events), one "
                       "file per partition, plus DIR/failures.jsonl.  Needs: pip install \"khabar[batch]\".")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (.jsonl, .jsonl.gz, .json, "
                   ".html, .txt)")
    b.add_argument("--out", required=True, metavar="DIR", help="output folder (created if needed)")
    b.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local process pool (default) or dask.distributed")
    b.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="address of a running Dask scheduler (tcp://host:8786); implies --engine dask. "
                   "Default with --engine dask: a LocalCluster of --workers processes")
    b.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: the number of CPUs)")
    b.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE, metavar="N",
                   help=f"articles per partition and per output file (default {DEFAULT_PARTITION_SIZE})")
    b.add_argument("--only", default=None, metavar="STAGES",
                   help="comma-separated stage names to run (plus what they need); default: the whole pipeline")
    b.add_argument("--max-chars", type=int, default=None, metavar="N",
                   help="refuse longer articles with a failure record (E105) (default: $KHABAR_MAX_CHARS or "
                   f"{Limits.max_chars:,}; 0: no limit)")
    b.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="time limit for one article; over it: a failure record (E503) (default: $KHABAR_TIMEOUT "
                   f"or {Limits.timeout:g}; 0: no limit)")
    b.add_argument("--trim-memory", type=int, default=Limits.trim_mb, metavar="MB",
                   help="a worker whose memory passes MB empties its per-word caches (default "
                   f"{Limits.trim_mb}; 0: never)")
    b.add_argument("--resume", action="store_true",
                   help="finish an interrupted run into the same DIR: partitions already written are kept")
    b.add_argument("--no-statements", action="store_true",
                   help="skip the merge step that groups quotes into statements across the run's articles "
                   "(DIR/statements/*.parquet)")
    b.add_argument("--json", action="store_true", help="print the run's summary as JSON on standard output")
    b.add_argument("--quiet", action="store_true", help="no progress and no summary on standard error")
    b.set_defaults(func=cmd_batch)


# ---------------------------------------------------------------------------------------------------------------
# for the store's CLI: ``khabar ingest --from-parquet DIR``

def add_from_parquet_option(parser) -> None:
    parser.add_argument("--from-parquet", default=None, metavar="DIR",
                        help="load the Parquet output of `khabar batch` (no new analysis)")


def run_from_parquet(db: str, out_dir: str, *, progress: bool | None = None) -> int:
    """Load ``out_dir`` into the database ``db``; print the summary; 0 if nothing was skipped, else 1."""
    from .load import load_parquet_into

    def on_skip(where, reason):
        sys.stderr.write(f"khabar: skipped {where}: {reason}\n")

    rep = load_parquet_into(db, out_dir, progress=sys.stderr.isatty() if progress is None else progress,
                            on_skip=on_skip)
    sys.stderr.write(rep.summary() + "\n")
    return 0 if not rep.skipped else 1
