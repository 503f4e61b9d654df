"""CPU time one ``GET /api/search`` costs the server, measured in one process: the ASGI application called
directly (no sockets, no load generator), so the figure is what a request costs whatever else the machine runs.

    python bench/bench_api_cpu.py --db all.db [--requests 400] [--checkout ../main] [--json]

The requests are those of ``bench/load_search.py``: queries made of the words of articles sampled from the store
(a word, two words, a two-word phrase, a 3-letter prefix in turn), each with one of its filters in turn (none,
an outlet, a start date, a later page), 20 hits with snippets and the total.  Three figures: distinct queries
(each asked once: a search each), the same queries asked again with the answer cache off (a search each, on
warm caches), and asked again with the cache on, large enough for them all (answered from the cache).  ``--checkout`` measures another
checkout's ``khabar`` (e.g. main before a change; its server without the cache has no second figure): run it
and this one one after the other, alternated, on the same store.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]


async def _call(app, params: dict) -> int:
    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/api/search", "raw_path": b"/api/search",
             "query_string": urlencode(params).encode(), "root_path": "", "headers": [(b"host", b"127.0.0.1")],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}
    status = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(m):
        if m["type"] == "http.response.start":
            status.append(m["status"])
    await app(scope, receive, send)
    return status[0]


async def _run(app, reqs: list[dict]) -> tuple[float, list[float]]:
    per = []
    t0 = time.process_time()
    for p in reqs:
        t = time.process_time()
        st = await _call(app, p)
        per.append(1000 * (time.process_time() - t))
        if st != 200:
            raise SystemExit(f"{p}: status {st}")
    return 1000 * (time.process_time() - t0) / len(reqs), per


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="the store to search")
    ap.add_argument("--requests", type=int, default=400, help="distinct requests (default 400)")
    ap.add_argument("--checkout", default=None, help="measure this checkout's khabar instead of this one's")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from load_search import FILTERS, QUERIES, distinct_queries  # noqa: E402 (puts this checkout on the path)

    sys.path.insert(0, str(Path(a.checkout).resolve() if a.checkout else ROOT))
    import khabar  # noqa: E402
    from khabar.server import create_app  # noqa: E402

    qs = distinct_queries(a.db, a.requests)
    reqs = [{"q": q, **FILTERS[i % len(FILTERS)]} for i, q in enumerate(qs)]
    try:  # a checkout from before the answer cache has no such parameter
        create_app(a.db, search_cache=0)
        has_cache = True
    except TypeError:
        has_cache = False
    res = {"khabar": str(Path(khabar.__file__).parent), "db": a.db, "requests": len(reqs)}

    async def go():
        app = create_app(a.db, search_cache=0) if has_cache else create_app(a.db)
        for q in QUERIES:  # warm-up: the first connection, compiled words
            await _call(app, {"q": q})
        res["distinct_ms"], per = await _run(app, reqs)
        res["distinct_p50_ms"] = round(statistics.median(per), 2)
        res["distinct_p95_ms"] = round(sorted(per)[int(0.95 * (len(per) - 1))], 2)
        res["again_no_cache_ms"], _ = await _run(app, reqs)
        if has_cache:
            app2 = create_app(a.db, search_cache=len(reqs))  # room for every answer (the default keeps 256)
            await _run(app2, reqs)
            res["again_cached_ms"], _ = await _run(app2, reqs)
    asyncio.run(go())
    for k in list(res):
        if isinstance(res[k], float):
            res[k] = round(res[k], 2)
    if a.json:
        print(json.dumps(res, indent=1))
    else:
        print(f"/api/search CPU per request, {res['requests']} requests, khabar from {res['khabar']}:")
        print(f"  distinct queries: mean {res['distinct_ms']} ms (p50 {res['distinct_p50_ms']}, "
              f"p95 {res['distinct_p95_ms']}); asked again, no cache: {res['again_no_cache_ms']} ms"
              + (f"; asked again, cached: {res['again_cached_ms']} ms" if has_cache else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
