"""Behaviours of the service checked against references outside the code under test (issue 17):
the PNG page against poppler's rendering of the same PDF page, the pages metric against the page
count pypdf reads, the rate limit per tenant, the time limit, the customization guard the same on
/render and /validate, and the exact 代行 line of a group member's 罹災証明書."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

import lgforms
from lgforms_api.payloads import as_request

from apiservice import A, B, C, SEAL_A, SEAL_B, add_tenant, start_service
from pdfcheck import page_likeness

ROOT = Path(__file__).resolve().parents[2]
CAT = lgforms.Catalog()
TWO_PAGES = "keiji_nozei_tsuchisho"  # a notice (not a certificate: its PNG is not a 見本)
TWO_PAGES_SAMPLE = next(ROOT.glob(f"forms/*/{TWO_PAGES}/samples/keiji_2dai.json"))


def req(form_id: str, path: Path | None = None) -> dict:
    form = CAT.get(form_id)
    return as_request(form, json.loads(path.read_text("utf-8")) if path else form.sample())


def n_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


# -- ?page= ---------------------------------------------------------------------------------------

def test_png_page_is_the_requested_page(service):
    p = req(TWO_PAGES, TWO_PAGES_SAMPLE)
    with service.client(A["code"]) as a:
        pdf = a.post(f"/v1/forms/{TWO_PAGES}/render", json=p)
        assert pdf.status_code == 200 and n_pages(pdf.content) == 2
        for page in (1, 2):
            r = a.post(f"/v1/forms/{TWO_PAGES}/render?page={page}&dpi=100", json=p, headers={"Accept": "image/png"})
            assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n"
            assert page_likeness(r.content, pdf.content, page, 100) > 0.9
            assert page_likeness(r.content, pdf.content, 3 - page, 100) < 0.5
        r = a.post(f"/v1/forms/{TWO_PAGES}/render?page=3", json=p, headers={"Accept": "image/png"})
        assert r.status_code == 413 and r.json()["code"] == "LIMIT_EXCEEDED" and r.json()["path"] == "page"


# -- metrics ----------------------------------------------------------------------------------------

def pages_metric(svc, form_id: str) -> float:
    with svc.client() as anon:
        text = anon.get("/metrics").text
    m = re.search(r'^lgforms_pages_rendered_total\{form="' + form_id + r'"\} ([0-9.e+]+)$', text, re.M)
    return float(m.group(1)) if m else 0.0


def test_the_pages_metric_moves_by_the_pages_of_each_pdf(service):
    one = "kojin_zeigaku_kettei_futsu"
    with service.client(A["code"]) as a:
        for form_id, payload in ((TWO_PAGES, req(TWO_PAGES, TWO_PAGES_SAMPLE)), ("juki_jyuminhyo_setai", req("juki_jyuminhyo_setai"))):
            before = pages_metric(service, form_id)
            r = a.post(f"/v1/forms/{form_id}/render", json=payload)
            assert r.status_code == 200
            assert pages_metric(service, form_id) - before == n_pages(r.content) >= 2
            before = pages_metric(service, form_id)
            bad = a.post(f"/v1/forms/{form_id}/render", json={**payload, "title": "x"})
            assert bad.status_code == 403
            assert pages_metric(service, form_id) == before  # a refused request renders nothing
        before = pages_metric(service, one)
        for _ in range(3):
            r = a.post(f"/v1/forms/{one}/render", json=req(one))
            assert r.status_code == 200
        assert pages_metric(service, one) - before == 3 * n_pages(r.content)


# -- the customization guard: /validate refuses what /render refuses -----------------------------------

GUARD_CASES = [  # (form, change, expected status, code, path): written out, not derived from the guard
    ("juki_jyuminhyo_setai", {"title": "住民票"}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.title"),
    ("juki_jyuminhyo_setai", {"layout": {"size": 20}}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.layout"),
    ("juki_jyuminhyo_setai", {"tenant": {"name": "偽市"}}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.tenant"),
    ("juki_jyuminhyo_setai", {"styles": {}}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.styles"),
    ("juki_jyuminhyo_setai", {"fonts": ["x"]}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.fonts"),
    ("juki_jyuminhyo_setai", {"pages": []}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.pages"),
    ("juki_jyuminhyo_setai", {"overrides": {}}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.overrides"),
    ("kojin_zeigaku_kettei_futsu", {"title": "別の通知書"}, 403, "CUSTOMIZATION_NOT_ALLOWED", "$.title"),
    ("juki_jyuminhyo_setai", {"_note": "x" * 10000}, 422, "PAYLOAD_INVALID", "$._note"),
    # the 発行番号 is the service's: the one check the library's guard (lgforms.layout) cannot make
    ("juki_jyuminhyo_setai", {"issue_no": "R08-000001"}, 422, "PAYLOAD_INVALID", "$.issue_no"),
    ("inkan_toroku_shomeisho", {"issue_no": "R08-000001"}, 422, "PAYLOAD_INVALID", "$.issue_no"),
]


@pytest.mark.parametrize("form_id,change,status,code,path", GUARD_CASES,
                         ids=[f"{c[0]}-{next(iter(c[1]))}" for c in GUARD_CASES])
def test_validate_refuses_exactly_what_render_refuses(service, form_id, change, status, code, path):
    p = {**req(form_id), **change}
    with service.client(A["code"]) as c:
        for op in ("render", "validate"):
            r = c.post(f"/v1/forms/{form_id}/{op}", json=p)
            assert (r.status_code, r.json()["code"], r.json()["path"]) == (status, code, path), op
        assert c.post(f"/v1/forms/{form_id}/validate", json=req(form_id)).status_code == 200


# -- 罹災証明書 issued by another member of the group -------------------------------------------------

DAIKO = "（災害時相互応援協定に基づき東雲県みどり野市が代行して交付）"  # A = 東雲県みどり野市 (the demo city)


def pdftotext_raw(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_a_member_s_risai_certificate_carries_the_daiko_line(service):
    assert A["name"] == "東雲県みどり野市" and B["name"] == "東雲県かもめ市"
    p = req("common_risai_shomeisho")
    with service.client(A["code"]) as a, service.client(B["code"]) as b:
        by_a = a.post(f"/v1/forms/common_risai_shomeisho/render?on_behalf_of={B['code']}", json=p)
        own = b.post("/v1/forms/common_risai_shomeisho/render", json=p)
    assert by_a.status_code == own.status_code == 200
    lines = [ln.replace(" ", "") for ln in pdftotext_raw(by_a.content).splitlines()]
    assert DAIKO in lines  # the whole line, exactly
    assert "代行" not in pdftotext_raw(own.content)  # B issuing its own: no such line


# -- limits on a service of their own ---------------------------------------------------------------

@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """3 requests per key and no refill to speak of; a render time limit no render can meet."""
    svc = start_service(tmp_path_factory.mktemp("strict"), "sqlite", LGFORMS_RATE_PER_SECOND="0.0001",
                        LGFORMS_RATE_BURST="3", LGFORMS_MAX_RENDER_SECONDS="0.000001")
    try:
        add_tenant(svc, A, SEAL_A)
        add_tenant(svc, B, SEAL_B)
        add_tenant(svc, C)
        yield svc
    finally:
        svc.stop()


def test_the_rate_limit_is_per_tenant(strict):
    with strict.client(A["code"]) as a, strict.client(B["code"]) as b:
        assert [a.get("/v1/forms").status_code for _ in range(4)] == [200, 200, 200, 429]
        r = a.get("/v1/forms")
        assert r.json()["code"] == "RATE_LIMITED" and int(r.headers["retry-after"]) >= 1
        # tenant A has used up its requests: tenant B has all of its own
        assert [b.get("/v1/forms").status_code for _ in range(4)] == [200, 200, 200, 429]
    # the limit is per key (README): another key of A's is not held back by the first one's
    with strict.admin() as adm:
        key = adm.post(f"/v1/admin/tenants/{A['code']}/keys", json={"label": "second"}).json()["key"]
    with httpx.Client(base_url=strict.url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as a2:
        assert a2.get("/v1/forms").status_code == 200


def test_the_render_time_limit_is_enforced(strict):
    p = req("kojin_zeigaku_kettei_futsu")
    with strict.admin() as adm:  # a key of its own: a bucket of its own, whatever ran before
        key = adm.post(f"/v1/admin/tenants/{A['code']}/keys", json={"label": "time limit"}).json()["key"]
    with httpx.Client(base_url=strict.url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
        for op in ("render", "validate"):
            r = c.post(f"/v1/forms/kojin_zeigaku_kettei_futsu/{op}", json=p)
            assert r.status_code == 413 and r.json()["code"] == "LIMIT_EXCEEDED", (op, r.text[:200])
            assert "time limit" in r.json()["message"]
