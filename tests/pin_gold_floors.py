#!/usr/bin/env python3
"""Re-measure the gold sets and pin their floors in tests/gold_floors.json.

    python tests/pin_gold_floors.py                      # every gold set whose data is present
    python tests/pin_gold_floors.py --set dev --set dev2 # some sets only
    python tests/pin_gold_floors.py --allow-lower        # also lower floors (a regression accepted on purpose)
    python tests/pin_gold_floors.py --dry-run            # print what would change, write nothing

Each figure is pinned at its measured value, its floor at measured - epsilon (the file's "epsilon", 0.005: every
figure is a fraction, F1 or accuracy), with the SHA-256 digest of the gold files it was measured on.  Floors are
raised whenever a figure improves; a figure below its floor (or a pinned figure no longer measured) is refused
unless --allow-lower is given, and then nothing is written.  A figure that fell but stays at or above its floor
keeps its pinned entry.  Sets whose data is absent (no ../shared) are left as they are.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # this checkout's khabar, and _gold_helpers

import _gold_helpers as G  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="sets", action="append", choices=sorted(G.GOLD_SETS), metavar="NAME",
                    help=f"a gold set to re-pin (repeatable; default: all): {', '.join(G.GOLD_SETS)}")
    ap.add_argument("--allow-lower", action="store_true", help="allow floors to be lowered or dropped")
    ap.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    ap.add_argument("--file", type=Path, default=G.FLOORS_FILE, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    doc = G.load_floors(args.file) if args.file.exists() else {"epsilon": 0.005, "margin": 0.005, "sets": {}}
    measured = {}
    for name in args.sets or list(G.GOLD_SETS):
        t = time.perf_counter()
        try:
            measured[name] = (G.digest(name), G.measure(name))
        except G.GoldMissing as e:
            print(f"{name}: skipped ({e})", file=sys.stderr)
            continue
        print(f"{name}: measured in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    new, refused, changes = G.repin(doc, measured, allow_lower=args.allow_lower)
    for c in changes:
        print(c)
    if refused:
        print("refused (nothing written):", *refused, sep="\n  ", file=sys.stderr)
        return 1
    if args.dry_run or new == doc:
        print("no change written" if new == doc else "dry run: nothing written")
        return 0
    args.file.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
