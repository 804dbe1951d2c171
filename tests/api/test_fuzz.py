"""Property-based fuzzing of the running service from its own OpenAPI document (schemathesis):
no request, however malformed, gets a 5xx, and every error body carries a stable ``code``."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from apiservice import A

CASES = {"n": 0, "by_status": {}}


@pytest.fixture(scope="session")
def api_schema(service):
    return schemathesis.openapi.from_url(service.url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzz(case, service):
    headers = {"Authorization": f"Bearer {service.keys[A['code']]}"}
    if case.path.startswith("/v1/admin"):
        headers = {}  # without the operator token: every admin call must be refused cleanly
    response = case.call(base_url=service.url, headers=headers)
    CASES["n"] += 1
    CASES["by_status"][response.status_code] = CASES["by_status"].get(response.status_code, 0) + 1
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert isinstance(body.get("code"), str) and body["code"], body


def test_fuzz_report():
    # runs after the parametrized cases (file order): prints how many requests the fuzzer sent
    print(f"\nschemathesis sent {CASES['n']} requests; status counts {dict(sorted(CASES['by_status'].items()))}")
    assert CASES["n"] >= 100
