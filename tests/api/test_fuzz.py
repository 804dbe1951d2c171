"""Property-based fuzzing of the running service from its own OpenAPI document (schemathesis):
no request, however malformed, gets a 5xx, and every error body carries a stable ``code``.

Cases come from schemathesis' Hypothesis strategies, one operation at a time (not its pytest
plugin, whose fixture integration breaks with newer pytest releases)."""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from apiservice import A

EXAMPLES_PER_OPERATION = 40


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value) -> bytes:
    """Batch uploads (JSON Lines): whatever the strategy drew, as the bytes of the body."""
    return value.encode("utf-8") if isinstance(value, str) else json.dumps(value).encode("utf-8")


def test_fuzz_every_operation(service):
    schema = schemathesis.openapi.from_url(service.url + "/openapi.json")
    tenant = {"Authorization": f"Bearer {service.keys[A['code']]}"}
    sent: dict[int, int] = {}
    failures: list = []
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 15
    for op, mode in ((op, mode) for op in operations for mode in GenerationMode):
        headers = {} if op.path.startswith("/v1/admin") else tenant  # admin: refused without the token

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        @given(case=op.as_strategy(mode))  # valid and deliberately invalid requests
        def run(case):
            response = case.call(base_url=service.url, headers=headers)
            sent[response.status_code] = sent.get(response.status_code, 0) + 1
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, response.status_code, response.text[:200]))
            elif response.status_code >= 400:
                body = json.loads(response.content)
                if not (isinstance(body, dict) and isinstance(body.get("code"), str) and body["code"]):
                    failures.append((case.method, case.formatted_path, response.status_code, body))

        try:
            run()
        except Unsatisfiable:  # nothing can be invalid about e.g. GET /healthz
            assert mode is GenerationMode.NEGATIVE
    total = sum(sent.values())
    print(f"\nschemathesis sent {total} requests over {len(operations)} operations; "
          f"status counts {dict(sorted(sent.items()))}")
    assert not failures, failures[:10]
    assert total >= 600
