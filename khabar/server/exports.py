"""CSV and JSON downloads of the API's lists, with the same filters as the list (``/api/quotes.csv?speaker=...``).

A download holds every matching item up to :data:`MAX_EXPORT` (the first ones in the list's order; the JSON says
``truncated``, the CSV answer's ``X-Khabar-Truncated`` header too), with absolute permalinks.  CSV: UTF-8 with a
byte-order mark (so spreadsheet programs read the Arabic right), one header row, nested values as JSON, and a
cell that starts with ``= + - @`` or a tab prefixed with ``'`` (spreadsheets would run it as a formula).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response

from . import schemas

MAX_EXPORT = 10_000
CHUNK = 1000

COLUMNS = {"quotes": schemas.Quote, "search": schemas.SearchHit, "actors": schemas.Actor,
           "speakers": schemas.Speaker, "sources": schemas.Source, "dates": schemas.DateRow}
SUMMARY = {"quotes": "quotations", "search": "search hits (no snippets)", "actors": "actors",
           "speakers": "speakers", "sources": "cited sources", "dates": "mentioned dates"}


class CSVResponse(Response):
    media_type = "text/csv"


def collect(st, rows_fn: Callable, f: dict, base: str) -> tuple[int, list[dict], bool]:
    """(total, the first MAX_EXPORT items, truncated) of a list."""
    items: list[dict] = []
    total = 0
    offset = 0
    while len(items) < MAX_EXPORT:
        n = min(CHUNK, MAX_EXPORT - len(items))
        total, rows = rows_fn(st, f, n, offset)
        items += rows
        offset += len(rows)
        if len(rows) < n:
            break
    for r in items:
        if isinstance(r.get("permalink"), str) and r["permalink"].startswith("/"):
            r["permalink"] = base + r["permalink"]
    return total, items, total > len(items)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False)
    s = str(v)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        s = "'" + s
    return s


def to_csv(name: str, items: list[dict]) -> str:
    cols = list(COLUMNS[name].model_fields)
    for r in items:
        for k in r:
            if k not in cols:
                cols.append(k)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(cols)
    for r in items:
        w.writerow([_cell(r.get(c)) for c in cols])
    return "\ufeff" + buf.getvalue()


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def add_routes(router, errors: dict, lists: dict, get_store) -> None:
    """``GET /api/{list}.csv`` and ``GET /api/{list}.json`` for every list."""
    for name, (filt, rows_fn) in lists.items():
        _add(router, errors, name, filt, rows_fn, get_store)


def _add(router, errors, name, filt, rows_fn, get_store) -> None:
    def as_csv(request: Request, f: dict = Depends(filt)):
        total, items, truncated = collect(get_store(request), rows_fn, f, _base(request))
        return CSVResponse(to_csv(name, items), headers={
            "content-disposition": f'attachment; filename="khabar-{name}.csv"',
            "x-khabar-total": str(total), "x-khabar-truncated": "true" if truncated else "false"},
            media_type="text/csv; charset=utf-8")

    def as_json(request: Request, f: dict = Depends(filt)):
        total, items, truncated = collect(get_store(request), rows_fn, f, _base(request))
        body = {"list": name, "filters": {k: v for k, v in f.items() if v is not None}, "total": total,
                "exported": len(items), "truncated": truncated, "items": items}
        return JSONResponse(body, headers={"content-disposition": f'attachment; filename="khabar-{name}.json"'})

    as_csv.__name__ = f"download_{name}_csv"
    as_json.__name__ = f"download_{name}_json"
    what = SUMMARY[name]
    desc = (f"Every {what} matching the filters of /api/{name} (at most {MAX_EXPORT:,}, in the list's order), "
            "as a file to download; permalinks are absolute URLs.")
    router.add_api_route(f"/{name}.csv", as_csv, methods=["GET"], response_class=CSVResponse,
                         summary=f"Download the {what} as CSV", description=desc + " UTF-8 with a byte-order mark.",
                         responses={**errors, 200: {"description": "CSV, one header row", "content": {
                             "text/csv": {"schema": {"type": "string"}}}}})
    router.add_api_route(f"/{name}.json", as_json, methods=["GET"], response_model=schemas.Export,
                         summary=f"Download the {what} as JSON", description=desc, responses=errors)
