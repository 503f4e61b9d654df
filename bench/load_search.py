"""Loopback load test of the search API: ``khabar serve`` in a child process, N concurrent keep-alive clients.

    python bench/load_search.py --db khabar.db --seconds 30 --connections 16

Starts the server on 127.0.0.1 (a free port) over ``--db`` (read-only; without ``--db`` the small sample database
of the server tests is built in a temporary folder), warms it up, then runs ``--connections`` asyncio/httpx
clients for ``--seconds``, each sending ``GET /api/search?q=...`` with queries drawn in turn from a fixed list of
Arabic words, phrases, prefixes and filters (``--queries FILE``: one query per line instead; ``--distinct``: no
query sent twice, each a word, two words, a phrase or a prefix of articles sampled from the store, as a newsroom's
many different searches are, with the same filters in turn).  The server keeps recent answers while the database
is unchanged (``khabar/server/cache.py``): the built-in list repeats its queries, so it mostly measures answers
from that cache; ``--distinct`` measures searches; ``--no-cache`` serves without the cache.  Prints requests per
second, latency percentiles (p50, p95, p99, max), the number of errors (non-200 answers and failed
connections) and the CPU time one request cost the server process (and the load generator: both run on this
machine's cores), as text or ``--json``.  It only ever connects to loopback.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "إيران", "ايران", "الاتفاق النووي", '"الأمم المتحدة"', "ترامب", "اقتصاد*", "الحكومة", "لبنان OR سوريا",
    "مصر -القاهرة", "الرئيس", "وزير الخارجية", "النفط", "الانتخابات", "روسيا", "قال", "السعودية", "باسيل",
    "ماكرون", "كرة القدم", "فلسطين",
]
FILTERS = [{}, {}, {}, {"outlet": "CNN"}, {"since": "2018-06"}, {"limit": "5", "offset": "10"}]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def distinct_queries(db: str, n: int, seed: int = 13) -> list[str]:
    """``n`` different queries (one word, two words, a two-word phrase, a 3-letter prefix, in turn) made of the
    words of articles sampled from the store at ``db``."""
    import random
    import re

    from khabar.store import Store

    rng = random.Random(seed)
    st = Store(db, readonly=True)
    try:
        ids = st.ids()
        texts = [st.document(i).text for i in rng.sample(ids, min(len(ids), 400))]
    finally:
        st.close()
    docs = [w for w in (re.findall(r"[\u0621-\u064a]{4,}", t) for t in texts) if len(w) > 2]
    vocab = [w for ws in docs for w in ws]
    out: list[str] = []
    seen: set[str] = set()
    tries = 0
    while len(out) < n and tries < 50 * n:
        tries += 1
        ws = rng.choice(docs)
        j = rng.randrange(len(ws) - 1)
        q = [ws[j], f"{ws[j]} {rng.choice(vocab)}", f'"{ws[j]} {ws[j + 1]}"', ws[j][:3] + "*"][len(out) % 4]
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def has_workers(checkout: Path = ROOT) -> bool:
    """Whether ``checkout``'s ``khabar serve`` takes ``--workers``."""
    return "def parse_workers" in (checkout / "khabar" / "server" / "cli.py").read_text(encoding="utf-8")


def start_server(db: str, port: int, cache: bool = True, checkout: Path = ROOT, workers: int = 1) -> subprocess.Popen:
    """``khabar``'s server of ``checkout`` (this one by default) in a child process: ``khabar serve``'s own entry
    (``khabar.server.cli.serve``: ``workers`` processes on one socket, no rate limit, no token) where the checkout
    has ``--workers``, else its app under ``uvicorn.run`` (one process)."""
    has_cache = "search_cache" in (checkout / "khabar" / "server" / "app.py").read_text(encoding="utf-8")
    if has_workers(checkout):
        code = (f"import sys; sys.path.insert(0, {str(checkout)!r}); from khabar.server.cli import serve; "
                f"serve({db!r}, '127.0.0.1', {port}, log_level='warning', token='', analyze_rate=0, search_rate=0, "
                f"search_cache={256 if cache else 0}, workers={workers})")
    else:
        if workers != 1:
            raise SystemExit(f"the khabar of {checkout} has no --workers: measure it with --workers 1")
        arg = f", search_cache={256 if cache else 0}" if has_cache else ""
        code = (f"import sys; sys.path.insert(0, {str(checkout)!r}); import uvicorn; "
                "from khabar.server import create_app; "
                f"uvicorn.run(create_app({db!r}{arg}), host='127.0.0.1', port={port}, "
                "log_level='warning', access_log=False)")
    return subprocess.Popen([sys.executable, "-c", code], cwd=str(checkout))


async def _wait_ready(client, base: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            r = await client.get(base + "/api/stats")
            if r.status_code == 200:
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("the server did not start in time")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return None


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc), parents first."""
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if d.isdigit():
            f = _stat(int(d))
            if f is not None:
                kids.setdefault(int(f[1]), []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop(0)
        out.append(p)
        todo.extend(sorted(kids.get(p, [])))
    return out


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc; its threads included), or None."""
    f = _stat(pid)
    try:
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK") if f else None
    except (ValueError, IndexError):
        return None


def _tree_cpu(pids: list[int]) -> dict[int, float] | None:
    """CPU seconds so far of each of ``pids`` (None where /proc cannot tell)."""
    out = {p: _cpu_seconds(p) for p in pids}
    return None if any(v is None for v in out.values()) else out


async def _settle(pid: int, workers: int, timeout: float = 90.0) -> None:
    """Wait until the server has its ``workers`` worker processes (when more than one) and they have done
    starting (their CPU time stands still), so that none is still importing when the load begins."""
    if workers <= 1 or not os.path.isdir("/proc"):
        return
    t0 = time.monotonic()
    last = None
    while time.monotonic() - t0 < timeout:
        kids = [p for p in _tree(pid)[1:] if b"spawn_main" in _cmdline(p)]
        now = _tree_cpu(kids)
        if len(kids) >= workers and now is not None and last is not None and set(now) == set(last) \
                and all(now[p] - last[p] < 0.05 for p in now):
            return
        last = now
        await asyncio.sleep(0.5)
    raise SystemExit(f"the server's {workers} worker processes did not start in time")


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


async def run_load(base: str, seconds: float, connections: int, queries: list[str], proc,
                   distinct: bool = False, workers: int = 1) -> dict:
    import httpx

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
        await _wait_ready(client, base, proc)
        await _settle(proc.pid, workers)
        warm = (QUERIES if distinct else queries)[:10]
        for _ in range(2):  # warm-up (first connection of each worker thread, of each worker process)
            await asyncio.gather(*(client.get(base + "/api/search", params={"q": warm[k % len(warm)]})
                                   for k in range(connections)))
        lat: list[float] = []
        errors = {"status": 0, "connection": 0}
        statuses: dict[int, int] = {}
        stop = time.monotonic() + seconds

        nxt = iter(range(len(queries)))

        async def worker(k: int):
            i = k
            while time.monotonic() < stop:
                if distinct:  # each query once, the filters in turn
                    i = next(nxt, None)
                    if i is None:
                        break
                params = {"q": queries[i % len(queries)], **FILTERS[i % len(FILTERS)]}
                i += connections
                t = time.perf_counter()
                try:
                    r = await client.get(base + "/api/search", params=params)
                except Exception:  # noqa: BLE001 - counted
                    errors["connection"] += 1
                    continue
                lat.append(time.perf_counter() - t)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code != 200:
                    errors["status"] += 1

        pids = _tree(proc.pid)  # the server and its worker processes
        srv0, cli0 = _tree_cpu(pids), time.process_time()
        load0 = os.getloadavg()[0]
        t0 = time.monotonic()
        await asyncio.gather(*(worker(k) for k in range(connections)))
        elapsed = time.monotonic() - t0
        srv1, cli1 = _tree_cpu(pids), time.process_time()
    lat.sort()
    n = max(1, len(lat))
    server_cpu = per_process = None
    if srv0 is not None and srv1 is not None:
        server_cpu = round(1000 * sum(srv1[p] - srv0[p] for p in pids) / n, 2)
        per_process = [round(srv1[p] - srv0[p], 2) for p in pids]

    def pct(p: float) -> float:
        return round(1000 * lat[min(len(lat) - 1, int(p * len(lat)))], 2) if lat else float("nan")

    return {"seconds": round(elapsed, 2), "connections": connections, "requests": len(lat),
            "requests_per_s": round(len(lat) / elapsed, 1), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "max_ms": round(1000 * lat[-1], 2) if lat else None,
            "mean_ms": round(1000 * statistics.fmean(lat), 2) if lat else None,
            "errors": errors["status"] + errors["connection"], "error_detail": errors, "statuses": statuses,
            "server_cpu_ms_per_request": server_cpu, "client_cpu_ms_per_request": round(1000 * (cli1 - cli0) / n, 2),
            "server_cpu_s_per_process": per_process, "load_avg_1min_before": round(load0, 1),
            "load_avg_1min": round(os.getloadavg()[0], 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="database to serve (default: build the small sample database)")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long to send requests (default 30)")
    ap.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    ap.add_argument("--queries", help="file with one query per line (default: a built-in list)")
    ap.add_argument("--distinct", action="store_true",
                    help="never send a query twice: words, pairs, phrases and prefixes of articles of the store")
    ap.add_argument("--no-cache", action="store_true", help="serve without the cache of recent search answers")
    ap.add_argument("--checkout", default=None,
                    help="serve another checkout's khabar (e.g. main, before a change: without the answer cache)")
    ap.add_argument("--workers", type=int, default=1,
                    help="server processes (`khabar serve --workers N`; default 1)")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    a = ap.parse_args(argv)
    if not 1 <= a.connections <= 1024:
        ap.error("--connections must be between 1 and 1024")
    if not 0 < a.seconds <= 3600:
        ap.error("--seconds must be between 0 and 3600")
    db = a.db
    if db is None:
        from khabar.server.sample import build_sample_db
        db = build_sample_db(Path(tempfile.mkdtemp(prefix="khabar-bench-")) / "sample.db")
    if not os.path.exists(db):
        ap.error(f"no database at {db}")
    queries = QUERIES
    if a.queries:
        queries = [l.strip() for l in Path(a.queries).read_text(encoding="utf-8").splitlines() if l.strip()]
    if a.distinct:
        queries = distinct_queries(db, int(a.seconds * 400) + 1000)
    port = a.port or _free_port()
    checkout = Path(a.checkout).resolve() if a.checkout else ROOT
    if not 1 <= a.workers <= 64:
        ap.error("--workers must be between 1 and 64")
    proc = start_server(db, port, cache=not a.no_cache, checkout=checkout, workers=a.workers)
    try:
        res = asyncio.run(run_load(f"http://127.0.0.1:{port}", a.seconds, a.connections, queries, proc,
                                   distinct=a.distinct, workers=a.workers))
    finally:
        proc.terminate()  # `khabar serve --workers N` stops its workers on SIGTERM
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
    res["db"] = db
    res["queries"] = "distinct" if a.distinct else (a.queries or "built-in (repeated)")
    res["khabar"] = str(checkout)
    res["workers"] = a.workers
    res["answer_cache"] = not a.no_cache and "search_cache" in (checkout / "khabar/server/app.py").read_text("utf-8")
    if a.json:
        print(json.dumps(res, indent=1))
    else:
        print(f"search load test: {res['connections']} connections for {res['seconds']} s over {db}, khabar of "
              f"{res['khabar']}, {res['workers']} server process(es); queries "
              f"{res['queries']}, answer cache {'on' if res['answer_cache'] else 'off'}")
        print(f"  {res['requests']} requests, {res['requests_per_s']} requests/s")
        print(f"  latency p50 {res['p50_ms']} ms, p95 {res['p95_ms']} ms, p99 {res['p99_ms']} ms, "
              f"max {res['max_ms']} ms")
        print(f"  CPU per request: server {res['server_cpu_ms_per_request']} ms (CPU seconds per process: "
              f"{res['server_cpu_s_per_process']}), load generator {res['client_cpu_ms_per_request']} ms; "
              f"load average {res['load_avg_1min_before']} before, {res['load_avg_1min']} after")
        print(f"  errors: {res['errors']} {res['error_detail']}; statuses {res['statuses']}")
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
