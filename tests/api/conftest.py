"""Session fixture: a real lgforms service (see tests/apiservice.py), once on each store: SQLite
(embedded default) and PostgreSQL. Every test that uses ``service`` runs against both."""

from __future__ import annotations

import pytest

from apiservice import A, B, C, SEAL_A, SEAL_B, add_tenant, seal_png, start_service

STORES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=STORES)
def service(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"service-{request.param}")
    svc = start_service(tmp, request.param, LGFORMS_MAX_PAGES="20", LGFORMS_MAX_BODY_BYTES=str(512 * 1024),
                        LGFORMS_RATE_PER_SECOND="1000", LGFORMS_RATE_BURST="2000")
    try:
        add_tenant(svc, A, SEAL_A)
        add_tenant(svc, B, SEAL_B)
        add_tenant(svc, C, seal_png((0, 120, 0)))
        with svc.admin() as a:
            assert a.post("/v1/admin/groups", json={"name": "shinonome-bcp", "purpose": "risai"}).status_code == 201
            for code in (A["code"], B["code"]):
                assert a.put(f"/v1/admin/groups/shinonome-bcp/members/{code}").status_code == 200
        yield svc
    finally:
        svc.stop()


@pytest.fixture(params=STORES)
def store_kind(request) -> str:
    """For tests that start services of their own: once per store."""
    return request.param
