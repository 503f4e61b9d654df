#!/usr/bin/env python3
"""Load the REST API on loopback with well-formed and malformed requests mixed; count answers by class.

Starts ``khabar serve`` (uvicorn, a separate process) on a free loopback port over a database (``--db``, default:
the server's small sample database), then ``--connections`` client threads send requests for ``--seconds`` (or
``--requests`` in all).  Each request is drawn from a table of kinds: good searches, pages, documents, quotes,
actors, analyses; and bad ones — malformed queries (E310), bad parameters, unknown routes and methods, bodies
that are not JSON, nested too deeply, too large, of the wrong type, binary, with lone surrogates, and raw
malformed HTTP on a socket (bad request line, bad headers, a lying Content-Length).  Every bad request must get
a 4xx, every good one a 2xx, and nothing a 5xx.

    python fuzz/load_api.py --seconds 60 --connections 16
    python fuzz/load_api.py --db ant.db --requests 5000 --json

Exit status 0: no 5xx, no connection error, every bad request answered 4xx; 1 otherwise.  Prints the counts by
kind and status class, requests/s and the latency percentiles.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

AR = "قال وزير الخارجية جبران باسيل يوم الأحد 6 مايو 2018 إن \"الاجتماع سيعقد غدا\"، بحسب رويترز."
WORDS = ["باسيل", "ماكرون", "إيران", "الاتفاق", "لبنان", "رويترز", "الحكومة", "فرنسا"]


def _good(rng, ids):
    k = rng.randrange(8)
    if k == 0:
        return "GET", f"/api/search?q={rng.choice(WORDS)}&limit=5", None, None
    if k == 1:
        return "GET", f"/api/search?q=%22{rng.choice(WORDS)}%22+OR+{rng.choice(WORDS)}&facets=true", None, None
    if k == 2:
        return "GET", f"/api/documents/{rng.choice(ids)}", None, None
    if k == 3:
        return "GET", "/api/quotes?limit=10", None, None
    if k == 4:
        return "GET", "/api/actors?limit=10", None, None
    if k == 5:
        return "GET", f"/search?q={rng.choice(WORDS)}", None, None
    if k == 6:
        return "GET", "/api/stats", None, None
    return "POST", "/api/analyze", json.dumps({"text": AR}).encode(), "application/json"


BAD = [
    ("GET", "/api/search?q=%22unclosed", None, None),
    ("GET", "/api/search?q=((((", None, None),
    ("GET", "/api/search?q=-", None, None),
    ("GET", "/api/search?q=" + "x" * 1500, None, None),
    ("GET", "/api/search?q=%00", None, None),
    ("GET", "/api/search?q=%FF%FE%ED%A0%80", None, None),
    ("GET", "/api/search?q=a&limit=-1", None, None),
    ("GET", "/api/search?q=a&limit=abc", None, None),
    ("GET", "/api/search?q=a&limit=100000", None, None),
    ("GET", "/api/search?q=a&since=yesterday", None, None),
    ("GET", "/api/search?q=a&mode=fuzzy", None, None),
    ("GET", "/api/search", None, None),
    ("GET", "/api/documents/does-not-exist", None, None),
    ("GET", "/api/documents/%00%FF", None, None),
    ("GET", "/api/speakers/" + "%D9" * 50, None, None),
    ("GET", "/api/quotes?kind=sideways", None, None),
    ("GET", "/api/nope", None, None),
    ("GET", "/search?q=%22unclosed", None, None),
    ("GET", "/search?q=((", None, None),
    ("GET", "/doc/does-not-exist", None, None),
    ("GET", "/speaker/%FF%FE", None, None),
    ("GET", "/actor/" + "x" * 5000, None, None),
    ("POST", "/analyze", b"a=1&" * 30, "application/x-www-form-urlencoded"),
    ("POST", "/analyze", b"text=+++", "application/x-www-form-urlencoded"),
    ("POST", "/analyze", b'{"text": "x"}', "application/json"),
    ("GET", "/static/../../../etc/passwd", None, None),
    ("GET", "/static/%2e%2e/%2e%2e/etc/passwd", None, None),
    ("DELETE", "/api/stats", None, None),
    ("PUT", "/api/analyze", b"{}", "application/json"),
    ("POST", "/api/analyze", b"{not json", "application/json"),
    ("POST", "/api/analyze", b"null", "application/json"),
    ("POST", "/api/analyze", b"[1, 2]", "application/json"),
    ("POST", "/api/analyze", b'{"text": 5}', "application/json"),
    ("POST", "/api/analyze", b'{"text": "   "}', "application/json"),
    ("POST", "/api/analyze", b'{"text": "x", "title": {"a": 1}}', "application/json"),
    ("POST", "/api/analyze", b'{"text": "\\ud800 x"}', "application/json"),
    ("POST", "/api/analyze", b'{"text": "x", "a": ' + b"[" * 50000 + b"]" * 50000 + b"}", "application/json"),
    ("POST", "/api/analyze", b'{"text": "x", "id": ' + b"9" * 5000 + b"}", "application/json"),
    ("POST", "/api/analyze", b"\xff\xfe\x00garbage", "application/json"),
    ("POST", "/api/analyze", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "text/plain"),
    ("POST", "/api/analyze", b"\x00" * 100, "text/plain"),
    ("POST", "/api/analyze", b"", "text/plain"),
    ("POST", "/api/analyze", b"text=abc", "application/x-www-form-urlencoded"),
    ("POST", "/api/analyze", b"--b\r\n", "multipart/form-data; boundary=b"),
    ("POST", "/api/analyze", ("ن" * 150_000).encode(), "text/plain"),
    ("POST", "/api/analyze", b"x" * (2 << 20), "text/plain"),
]

RAW_BAD = [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
    b"POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: nope\r\n\r\n{}",
    b"POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n"
    b"\r\n{}",
    b"GET /api/search?q=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
]


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _raw(port: int, data: bytes) -> int:
    """Send raw bytes; return the status of the answer (0: the server closed the connection without one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        buf = b""
        try:
            while b"\r\n" not in buf:
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
        except OSError:
            pass
    try:
        return int(buf.split(b" ", 2)[1]) if buf.startswith(b"HTTP/") else 0
    except (IndexError, ValueError):
        return 0


def run_load(db: str, *, seconds: float = 30.0, requests: int | None = None, connections: int = 8,
             bad_share: float = 0.5, seed: int = 1, log=sys.stderr) -> dict:
    import httpx

    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    # one client sending hundreds of requests a second: the per-client rate limit (tested on its own in
    # tests/test_server_access.py) is off here, so every answer is the server's own
    server = subprocess.Popen([sys.executable, "-m", "khabar.cli", "serve", "--db", db, "--port", str(port),
                               "--analyze-rate", "0", "--search-rate", "0"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        t = time.monotonic()
        while True:
            try:
                if httpx.get(base + "/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() - t > 120:
                raise RuntimeError("the server did not start: " + server.stderr.read().decode()[-2000:])
            time.sleep(0.2)
        ids = [h["id"] for h in httpx.get(base + "/api/search?q=" + "+OR+".join(WORDS) + "&limit=50").json()["hits"]]
        ids = ids or ["none"]
        stats: dict = defaultdict(Counter)   # kind -> status class counts
        wrong: list = []
        lat: list = []
        lock = threading.Lock()
        count = [0]
        stop = time.monotonic() + seconds

        def worker(k: int):
            rng = random.Random(seed * 1000 + k)
            with httpx.Client(base_url=base, timeout=120) as c:
                while True:
                    with lock:
                        if (requests is not None and count[0] >= requests) or \
                                (requests is None and time.monotonic() > stop):
                            return
                        count[0] += 1
                    bad = rng.random() < bad_share
                    t0 = time.monotonic()
                    if bad and rng.random() < 0.1:
                        raw = rng.choice(RAW_BAD)
                        kind, status = "bad", _raw(port, raw)
                        what = repr(raw[:60])
                    else:
                        method, path, body, ctype = rng.choice(BAD) if bad else _good(rng, ids)
                        kind = "bad" if bad else "good"
                        what = f"{method} {path[:80]}"
                        try:
                            r = c.request(method, path, content=body,
                                          headers={"content-type": ctype} if ctype else None)
                            status = r.status_code
                        except httpx.HTTPError as e:
                            status = 0
                            what += f" ({type(e).__name__})"
                    el = time.monotonic() - t0
                    cls = f"{status // 100}xx" if status else "no answer"
                    with lock:
                        stats[kind][cls] += 1
                        lat.append(el)
                        if status >= 500 or status == 0 or (kind == "bad" and not 400 <= status < 500) or \
                                (kind == "good" and not 200 <= status < 300):
                            wrong.append(f"{kind} {what} -> {status}")

        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.monotonic() - t0
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    lat.sort()
    n = len(lat)

    def pct(p):
        return round(lat[min(n - 1, int(p * n))] * 1000, 1) if n else None

    total = Counter()
    for c in stats.values():
        total.update(c)
    return {"requests": n, "seconds": round(elapsed, 1), "requests_per_s": round(n / elapsed, 1) if elapsed else 0,
            "by_kind": {k: dict(v) for k, v in stats.items()}, "by_class": dict(total),
            "p50_ms": pct(0.5), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "wrong": wrong[:20],
            "n_wrong": len(wrong)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=None, help="database to serve (default: the server's sample database)")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--requests", type=int, default=None, help="stop after this many requests instead")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--bad-share", type=float, default=0.5, help="share of malformed requests (default 0.5)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    db = a.db
    if db is None:
        from khabar.server.sample import sample_db
        db = str(sample_db())
    res = run_load(db, seconds=a.seconds, requests=a.requests, connections=a.connections, bad_share=a.bad_share)
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        print(f"{res['requests']} requests in {res['seconds']} s ({res['requests_per_s']}/s), "
              f"p50 {res['p50_ms']} ms, p95 {res['p95_ms']} ms, p99 {res['p99_ms']} ms")
        for kind, c in sorted(res["by_kind"].items()):
            print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
        for w in res["wrong"]:
            print("  WRONG:", w)
    return 0 if res["n_wrong"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
