"""Property-based API tests generated from the OpenAPI document (schemathesis): no request makes a 5xx.

Every route in ``/openapi.json`` gets generated requests (valid and invalid parameters, Arabic and arbitrary
text, posted bodies); each answer must be a non-5xx response, and every error a JSON ``{code, message}``.
"""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
schemathesis = pytest.importorskip("schemathesis", reason="property-based API tests need schemathesis "
                                                          "(pip install -e '.[test]')")
from hypothesis import HealthCheck, settings  # noqa: E402

from khabar.server import create_app  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402



@pytest.fixture(scope="module")
def api_schema():
    # built when the tests run, not when they are collected
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(sample_db(), max_chars=2000))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error(case):
    response = case.call()
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query} -> " \
                                       f"{response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert body.get("code") and body.get("message"), body
