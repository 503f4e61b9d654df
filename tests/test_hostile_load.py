"""The API under loopback load with malformed requests mixed in: only 4xx for bad requests, 2xx for good ones,
never a 5xx (``fuzz/load_api.py``, a real uvicorn server in its own process, a few hundred requests here; the
long run is in README, "Reliability")."""
from __future__ import annotations

import pytest


def test_load_with_malformed_requests_has_no_5xx():
    pytest.importorskip("fastapi", reason="the web server needs the `server` extra")
    pytest.importorskip("uvicorn", reason="the web server needs the `server` extra")
    pytest.importorskip("httpx", reason="the load client needs httpx (test extra)")
    from fuzz.load_api import run_load
    from khabar.server.sample import sample_db

    res = run_load(str(sample_db()), requests=400, connections=6, bad_share=0.6, seed=3)
    assert res["n_wrong"] == 0, res["wrong"]
    assert res["by_kind"]["bad"].get("4xx", 0) > 100 and res["by_kind"]["good"].get("2xx", 0) > 50, res
    assert set(res["by_class"]) <= {"2xx", "4xx"}, res
