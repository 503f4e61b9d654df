"""The search probe of issue 18, side by side with PostgreSQL, on articles no part of khabar was tuned on.

    python bench/search_probe.py                          # 1,000 Asharq al-Awsat articles (+ 5,000 ANT distractors)
    python bench/search_probe.py --outlet okaz --extra 0  # another SaudiNewsNet outlet, no distractors

What it does, in one run:

1. picks ``--n`` articles of one SaudiNewsNet outlet (default ``aawsat``, Asharq al-Awsat: no khabar rule, list or
   threshold was tuned on SaudiNewsNet; the gold sets are ANT/WikiNews/other outlets), distinct texts, seeded;
   and ``--extra`` distractor articles drawn from ANT (all outlets);
2. builds a khabar store of the sample, and one of sample + distractors (text-core stages only: normalisation,
   tokens, sentences, clitic segments: what search indexes), in ``--workdir``;
3. starts a PostgreSQL server of its own (Debian's binaries under /usr/lib/postgresql/*/bin, run as a non-root
   user, listening on 127.0.0.1 only, in a temporary data directory) and stops it at the end;
4. runs ``../shared/tools/search_probe.py`` on the sample (SQLite FTS5, PostgreSQL ``arabic``, khabar ``stem``),
   then again with the distractors indexed by PostgreSQL and khabar, and prints the table of the issue.

``--reuse`` keeps stores built by an earlier run in ``--workdir`` (they are reindexed if their views are of an
older version).  Needs ``psycopg`` (``pip install psycopg[binary]``) for the peer; ``--no-pg`` skips it.
"""
from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
NEWS = SHARED / "data" / "news"
PROBE = SHARED / "tools" / "search_probe.py"
TEXT_CORE = ["normalize", "tokens", "sentences", "segments"]


def pick_sample(outlet: str, n: int, seed: int) -> list[dict]:
    rows, seen = [], set()
    with gzip.open(NEWS / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            r = json.loads(line)
            if r.get("source") != outlet:
                continue
            text = (r.get("content") or "").strip()
            if len(text) < 200 or text in seen:
                continue
            seen.add(text)
            rows.append({"docno": f"{outlet}-{i}", "title": r.get("title") or "", "text": text,
                         "url": r.get("url"), "source": outlet})
    random.Random(seed).shuffle(rows)
    if len(rows) < n:
        raise SystemExit(f"only {len(rows)} articles of {outlet}")
    return rows[:n]


def pick_extra(n: int, seed: int, exclude: set[str]) -> list[dict]:
    if n <= 0:
        return []
    rows, seen = [], set(exclude)
    with gzip.open(NEWS / "ant_v2.1.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = (r.get("text") or "").strip()
            if len(text) < 200 or text in seen:
                continue
            seen.add(text)
            rows.append({"docno": r["docno"], "title": r.get("title") or "", "text": text, "src": r.get("src")})
    random.Random(seed).shuffle(rows)
    return rows[:n]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def build_store(db: Path, rows: list[dict], reuse: bool, jobs: int) -> None:
    from khabar.io.readers import document_from_record
    from khabar.store import Store
    from khabar.store.errors import IndexMismatchError

    if reuse and db.exists():
        st = Store(str(db))
        try:
            st.check_index()
        except IndexMismatchError:
            t = time.perf_counter()
            st.reindex()
            print(f"  reindexed {db.name} ({time.perf_counter() - t:.0f} s)", flush=True)
        st.close()
        return
    for p in glob.glob(str(db) + "*"):
        os.unlink(p)
    t = time.perf_counter()
    st = Store(str(db))
    docs = [document_from_record(r, "probe") for r in rows]
    rep = st.ingest_documents(docs, stages=TEXT_CORE, jobs=jobs, batch_size=64)
    st.close()
    print(f"  built {db.name}: {rep.added} articles in {time.perf_counter() - t:.0f} s", flush=True)


# --------------------------------------------------------------------------------------------------------------
# the PostgreSQL peer

def _pg_bin() -> Path:
    cands = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not cands:
        raise SystemExit("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    return Path(cands[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway PostgreSQL server on loopback, run as a non-root user (created if missing when run as root)."""

    USER = "khabarpg"

    def __init__(self):
        self.bin = _pg_bin()
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="khabar-pg-"))
        self.data = self.dir / "data"
        self.sock = self.dir / "sock"
        self.sock.mkdir()
        self.uid = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(self.USER)
            except KeyError:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                self.USER], check=True)
            pw = pwd.getpwnam(self.USER)
            self.uid, self.gid = pw.pw_uid, pw.pw_gid
            os.chmod(self.dir, 0o755)
            os.chown(self.dir, self.uid, self.gid)
            os.chown(self.sock, self.uid, self.gid)
        self.db_user = self.USER if self.uid is not None else pwd.getpwuid(os.geteuid()).pw_name

    def _run(self, args: list[str]) -> None:
        def demote():
            if self.uid is not None:
                os.setgid(self.gid)
                os.setuid(self.uid)
        subprocess.run(args, check=True, preexec_fn=demote, stdout=subprocess.DEVNULL, cwd=str(self.dir),
                       env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})

    def start(self) -> str:
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", self.db_user, "-A", "trust", "-E", "UTF8",
                   "--locale=C.UTF-8"])
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.dir / "log"), "-o",
                   f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sock} -c fsync=off "
                   f"-c shared_buffers=256MB", "start"])
        return f"127.0.0.1:{self.port}:{self.db_user}"

    def stop(self) -> None:
        try:
            self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------------------------------------------
# the probe and its table

_LINE = re.compile(r"^(\S+)\s+recall ([\d.]+) MRR ([\d.]+) mean-hits ([\d.]+) \| (.*?) \| p50")
_EXTRA = re.compile(r"success@1 ([\d.]+)")
_P = re.compile(r"default call \(limit 10, snippets, count\): p50 ([\d.]+) ms p95 ([\d.]+) ms")
KINDS = ["clitic", "hamza", "diacritics", "ta_marbuta", "no_article", "pronoun_suffix"]
LABELS = {"sqlite": "SQLite FTS5 default", "postgres": "PostgreSQL `arabic` (Snowball)", "khabar-stem": "khabar `stem`",
          "khabar-exact": "khabar `exact`"}


def run_probe(corpus: Path, n: int, pg: str | None, db: Path, extra: Path | None, dump: Path | None,
              modes: str) -> list[dict]:
    cmd = [sys.executable, str(PROBE), str(corpus), "--n", str(n), "--khabar-db", str(db), "--khabar-modes", modes]
    if pg:
        cmd += ["--pg", pg]
    if extra is not None:
        cmd += ["--extra", str(extra), "--no-sqlite"]
    if dump is not None:
        cmd += ["--dump", str(dump)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    print(out, end="", flush=True)
    res, cur = [], None
    for line in out.splitlines():
        m = _LINE.match(line)
        if m:
            kinds = dict(re.findall(r"(\w+) ([\d.]+)", m.group(5)))
            cur = {"engine": m.group(1), "recall": float(m.group(2)), "mrr": float(m.group(3)),
                   "mean_hits": float(m.group(4)), "kinds": {k: float(v) for k, v in kinds.items()}}
            res.append(cur)
        elif cur is not None and (e := _EXTRA.search(line)):
            cur["first"] = float(e.group(1))
            if p := _P.search(line):
                cur["p50_ms"], cur["p95_ms"] = float(p.group(1)), float(p.group(2))
    return res


def latency(db: Path, corpus: Path, n: int, k: int) -> dict:
    """p50/p95 (ms) of k probe queries, each asked once of a freshly opened store (cold caches): the default
    call (10 hits, snippets, total count), then without snippets."""
    sys.path.insert(0, str(PROBE.parent))
    import search_probe as sp  # the shared probe's sampling, so these are the probe's queries

    from khabar.store import Store

    ps = sp.probes(sp.load(str(corpus), n))
    random.Random(3).shuffle(ps)
    qs = [p[2] for p in ps[:k]]
    out = {}
    for name, kw in (("default", {}), ("no_snippets", {"snippets": False})):
        st = Store(str(db), readonly=True)
        st.search("الحكومة", limit=1)  # loads the segmenter, outside the timings
        lat = []
        for q in qs:
            t = time.perf_counter()
            st.search(q, **kw)
            lat.append((time.perf_counter() - t) * 1000)
        st.close()
        lat.sort()
        out[name] = (lat[len(lat) // 2], lat[int(len(lat) * 0.95)])
    return out


def table(base: list[dict], more: list[dict], n_extra: int) -> str:
    head = ("| engine | recall | MRR | ranked first | mean hits | " + " | ".join(
        k.replace("_", " ") for k in KINDS) + " |")
    lines = [head, "|" + "---|" * (5 + len(KINDS))]
    for r in base:
        lines.append(f"| {LABELS.get(r['engine'], r['engine'])} | {r['recall']:.3f} | {r['mrr']:.3f} | "
                     f"{r.get('first', 0):.2f} | {r['mean_hits']:.1f} | "
                     + " | ".join(f"{r['kinds'].get(k, 0):.2f}" for k in KINDS) + " |")
    for r in more:
        lines.append(f"| + {n_extra:,} ANT distractors: {LABELS.get(r['engine'], r['engine'])} | {r['recall']:.3f} | "
                     f"{r['mrr']:.3f} | {r.get('first', 0):.2f} | {r['mean_hits']:.1f} | "
                     + " | ".join(f"{r['kinds'].get(k, 0):.2f}" for k in KINDS) + " |")
    for label, rs in (("", base), (f" + {n_extra:,} distractors", more)):
        for r in rs:
            if "p50_ms" in r:
                lines.append(f"\n{LABELS.get(r['engine'], r['engine'])}{label}: default call (limit 10, snippets, "
                             f"count) p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--outlet", default="aawsat", help="SaudiNewsNet outlet of the probed articles (default aawsat)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--extra", type=int, default=5000, help="ANT distractor articles (0: none)")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "khabar-search-probe"))
    ap.add_argument("--reuse", action="store_true", help="keep the stores of an earlier run (reindex if stale)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--modes", default="stem")
    ap.add_argument("--dump", action="store_true", help="write per-probe JSONL dumps into --workdir")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--latency", type=int, default=0, help="first time this many probe queries on a fresh store")
    ap.add_argument("--latency-only", action="store_true", help="stop after --latency")
    a = ap.parse_args()
    if not NEWS.is_dir() or not PROBE.exists():
        print(f"skipped: {NEWS} or {PROBE} is absent", file=sys.stderr)
        return 0
    wd = Path(a.workdir)
    wd.mkdir(parents=True, exist_ok=True)
    sample = pick_sample(a.outlet, a.n, a.seed)
    extra = pick_extra(a.extra, a.seed, {r["text"] for r in sample})
    corpus, extra_f = wd / "sample.jsonl", wd / "extra.jsonl"
    write_jsonl(corpus, sample)
    if extra:
        write_jsonl(extra_f, extra)
    print(f"sample: {len(sample)} articles of SaudiNewsNet/{a.outlet}; distractors: {len(extra)} ANT articles",
          flush=True)
    db1, db2 = wd / "sample.db", wd / "sample_extra.db"
    build_store(db1, sample, a.reuse, a.jobs)
    if extra:
        build_store(db2, sample + extra, a.reuse, a.jobs)
    if a.latency:
        lt = latency(db2 if extra else db1, corpus, len(sample), a.latency)
        print(f"latency, {a.latency} probe queries on {len(sample) + len(extra):,} articles, cold store: "
              + "; ".join(f"{k} p50 {v[0]:.1f} ms p95 {v[1]:.1f} ms" for k, v in lt.items()), flush=True)
        if a.latency_only:
            return 0
    pg = None if a.no_pg else Postgres()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a killed bench still stops its server
    try:
        spec = pg.start() if pg else None
        base = run_probe(corpus, len(sample), spec, db1, None, wd / "dump1.jsonl" if a.dump else None, a.modes)
        more = run_probe(corpus, len(sample), spec, db2, extra_f, wd / "dump2.jsonl" if a.dump else None,
                         a.modes) if extra else []
    finally:
        if pg:
            pg.stop()
    print()
    print(table(base, more, len(extra)))
    if a.json:
        Path(a.json).write_text(json.dumps({"outlet": a.outlet, "n": len(sample), "extra": len(extra),
                                            "base": base, "with_extra": more}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
