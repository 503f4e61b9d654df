"""Property-based API tests generated from the OpenAPI document (schemathesis), with every check it has.

Every route in ``/openapi.json`` gets generated requests (examples, boundary values, random valid and invalid
parameters and bodies, undeclared methods); every answer must pass all of schemathesis' checks: no 5xx, the
status, content type, headers and body as the schema declares them (response schemas for every 2xx), valid data
accepted and invalid data rejected (so the schema accepts exactly what the server accepts), 405 with ``Allow``.
Every error is a JSON ``{code, message}``.  The formats the schema names (``khabar-query``, ``khabar-article``)
get their strategies from ``tests/st_hooks.py``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web server needs the `server` extra (pip install -e '.[server]')")
schemathesis = pytest.importorskip("schemathesis", reason="property-based API tests need schemathesis "
                                                          "(pip install -e '.[test]')")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import CHECKS  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

from khabar.server import create_app  # noqa: E402
from khabar.server.sample import sample_db  # noqa: E402

import st_hooks  # noqa: E402,F401  (registers the strategies of the formats)

CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module")
def api_schema():
    # built when the tests run, not when they are collected
    config = SchemathesisConfig.from_path(CONFIG)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(sample_db(), max_chars=2000),
                                          config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_check_passes(case):
    response = case.call_and_validate(checks=list(CHECKS.get_all()))
    if response.status_code >= 400:
        body = response.json()
        assert body.get("code") and body.get("message"), body
