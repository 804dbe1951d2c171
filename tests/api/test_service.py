"""The REST service over real HTTP (uvicorn on 127.0.0.1): forms, auth, tenant isolation,
customization guard, the 罹災証明書 group rule, 発行番号, limits, logs, metrics, OpenAPI."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import io
import json
import random

import pytest
from pypdf import PdfReader

import lgforms
from lgforms_api.payloads import as_request

from apiservice import A, B, C, ROOT, SEAL_A, SEAL_B, add_tenant, start_service

CAT = lgforms.Catalog()


def samples():
    for form_id in CAT.ids():
        for name, path in CAT.get(form_id).samples.items():
            yield form_id, name, json.loads(path.read_text("utf-8"))


def request_payload(form_id: str, p: dict) -> dict:
    """A sample as a core system sends it: no 発行番号 (the service assigns it), no tenant data."""
    return as_request(CAT.get(form_id), p)


def pdf_text(data: bytes) -> str:
    return "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(data)).pages)


def image_streams(data: bytes) -> set[str]:
    out = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for xo in page["/Resources"].get("/XObject", {}).values():
            xo = xo.get_object()
            if xo["/Subtype"] == "/Image":
                out.add(hashlib.sha256(xo.get_data()).hexdigest())
    return out


# -- forms -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("form_id,name,payload", list(samples()), ids=[f"{f}/{n}" for f, n, _ in samples()])
def test_render_every_sample(service, form_id, name, payload):
    with service.client(A["code"]) as c:
        r = c.post(f"/v1/forms/{form_id}/render", json=request_payload(form_id, payload))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert int(r.headers["x-lgforms-pages"]) == len(PdfReader(io.BytesIO(r.content)).pages)
    if CAT.get(form_id).meta.kind == "certificate":
        assert r.headers["x-lgforms-issue-no"] in pdf_text(r.content)


def test_forms_listing_detail_validate_png_and_moji(service):
    with service.client(A["code"]) as c:
        ids = [f["id"] for f in c.get("/v1/forms").json()]
        assert "juki_jyuminhyo_setai" in ids
        d = c.get("/v1/forms/juki_jyuminhyo_setai").json()
        assert d["schema"]["type"] == "object" and d["sample"]["persons"]
        payload = request_payload("juki_jyuminhyo_setai", d["sample"])
        r = c.post("/v1/forms/juki_jyuminhyo_setai/validate", json=payload)
        assert r.json() == {"ok": True, "pages": 2, "warnings": []}
        r = c.post("/v1/forms/juki_jyuminhyo_setai/render?page=2", json=payload, headers={"Accept": "image/png"})
        assert r.status_code == 200 and r.content[:4] == b"\x89PNG"
        assert "x-lgforms-issue-no" not in r.headers  # a preview is not an issued certificate
        r = c.post("/v1/forms/juki_jyuminhyo_setai/render", json=payload, headers={"Accept": "text/html"})
        assert r.status_code == 406 and r.json()["code"] == "NOT_ACCEPTABLE"
        r = c.post("/v1/moji/check", json={"text": "葛\U000E0102城\U0001F600"})
        body = r.json()
        assert r.status_code == 200 and body["ok"] is False
        assert body["clusters"][0]["mj"] == "MJ022335" and body["clusters"][2]["code"] == "MOJI_NOT_IN_FONT"


def test_errors_are_json_with_code_and_path(service):
    with service.client(A["code"]) as c:
        p = request_payload("juki_jyuminhyo_setai", CAT.get("juki_jyuminhyo_setai").sample())
        p["persons"][1]["sex"] = "?"
        r = c.post("/v1/forms/juki_jyuminhyo_setai/render", json=p)
        assert r.status_code == 422 and r.json()["code"] == "PAYLOAD_INVALID"
        assert r.json()["path"] == "$.persons[1].sex"
        r = c.post("/v1/forms/no_such_form/render", json={})
        assert r.status_code == 404 and r.json()["code"] == "FORM_NOT_FOUND"
        r = c.get("/v1/nowhere")
        assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND"
        r = c.post("/v1/forms/juki_jyuminhyo_setai/render", content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["code"] == "REQUEST_INVALID"
        p = request_payload("juki_jyuminhyo_setai", CAT.get("juki_jyuminhyo_setai").sample())
        p["persons"][0]["name"] = "葛\U000E0100城"
        r = c.post("/v1/forms/juki_jyuminhyo_setai/render", json=p)
        assert r.status_code == 422 and r.json()["code"] == "IVS_UNKNOWN" and r.json()["path"] == "$.persons[0].name"


# -- auth and isolation ----------------------------------------------------------------------------

def test_auth_failures(service):
    with service.client() as c:
        for path in ("/v1/forms", "/v1/tenants/992011"):
            r = c.get(path)
            assert r.status_code == 401 and r.json()["code"] == "UNAUTHORIZED"
        r = c.get("/v1/forms", headers={"Authorization": "Bearer lgf_not-a-key"})
        assert r.status_code == 401
        r = c.post("/v1/admin/tenants", json=C, headers={"Authorization": "Bearer " + service.keys[A["code"]]})
        assert r.status_code == 401  # a tenant key is not the operator token


def test_tenant_isolation(service):
    sample = request_payload("juki_jyuminhyo_setai", CAT.get("juki_jyuminhyo_setai").sample())
    with service.client(A["code"]) as a, service.client(B["code"]) as b:
        ra = a.post("/v1/forms/juki_jyuminhyo_setai/render", json=sample)
        rb = b.post("/v1/forms/juki_jyuminhyo_setai/render", json=sample)
        assert ra.status_code == rb.status_code == 200
        # each key renders with its own municipality's seal and mayor
        seal_a, seal_b = image_streams(ra.content), image_streams(rb.content)
        assert seal_a and seal_b and not seal_a & seal_b
        assert "かもめ市長" in pdf_text(rb.content) and "かもめ市長" not in pdf_text(ra.content)
        # B's profile, seal, log and documents do not exist for A (404, not 403)
        issue_b = rb.headers["x-lgforms-issue-id"]
        for path in (f"/v1/tenants/{B['code']}", f"/v1/tenants/{B['code']}/seal", f"/v1/tenants/{B['code']}/issues",
                     f"/v1/tenants/{B['code']}/issues/{issue_b}", f"/v1/tenants/{A['code']}/issues/{issue_b}"):
            r = a.get(path)
            assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND", path
        assert a.get(f"/v1/tenants/{A['code']}/seal").content == SEAL_A
        assert b.get(f"/v1/tenants/{B['code']}/seal").content == SEAL_B
        # A cannot use B's seal by naming B either
        r = a.post(f"/v1/forms/juki_jyuminhyo_setai/render?on_behalf_of={B['code']}", json=sample)
        assert r.status_code == 403 and r.json()["code"] == "TENANT_FORBIDDEN"
        with service.client(C["code"]) as c:
            r = c.post(f"/v1/forms/juki_jyuminhyo_setai/render?on_behalf_of={B['code']}", json=sample)
            assert r.status_code == 404  # not in B's group: B does not exist for C
            assert c.get(f"/v1/tenants/{A['code']}/issues").status_code == 404


def test_customization_guard(service):
    sample = request_payload("juki_jyuminhyo_setai", CAT.get("juki_jyuminhyo_setai").sample())
    with service.client(A["code"]) as a:
        for key, value in (("title", "住民票"), ("tenant", {"name": "偽市"}), ("layout", {"size": 20})):
            r = a.post("/v1/forms/juki_jyuminhyo_setai/render", json={**sample, key: value})
            assert r.status_code == 403 and r.json()["code"] == "CUSTOMIZATION_NOT_ALLOWED", key
            assert r.json()["path"] == f"$.{key}"
        # the 住民票 takes its issuer and 認証文 from the tenant profile and the form: no such payload fields
        for key in ("issuer", "ninshobun"):
            r = a.post("/v1/forms/juki_jyuminhyo_setai/render", json={**sample, key: "かもめ市長　浜田　港"})
            assert r.status_code == 422 and r.json()["code"] == "PAYLOAD_INVALID" and key in r.json()["message"]
    with service.admin() as adm:
        r = adm.post("/v1/admin/tenants", json={**A, "form_titles": {"juki_jyuminhyo_setai": "住民票"}})
        assert r.status_code == 403 and r.json()["code"] == "CUSTOMIZATION_NOT_ALLOWED"


def test_customization_guard_refuses_x_tenant_fields(tmp_path):
    """A field a form's schema marks ``x-tenant`` (the municipality's own data) never comes from the
    payload: a service whose forms folder holds such a form (tests/guardforms.py) refuses it."""
    from guardforms import guarded_forms

    svc = start_service(tmp_path, "sqlite", LGFORMS_FORMS_DIR=str(guarded_forms(tmp_path)))
    try:
        add_tenant(svc, A, SEAL_A)
        with svc.client(A["code"]) as a:
            for path in ("render", "validate"):
                r = a.post(f"/v1/forms/guarded/{path}", json={"name": "山田　花子", "issuer": "かもめ市長　浜田　港"})
                assert r.status_code == 403 and r.json()["code"] == "CUSTOMIZATION_NOT_ALLOWED"
                assert r.json()["path"] == "$.issuer"
            r = a.post("/v1/forms/guarded/render", json={"name": "山田　花子"})
            assert r.status_code == 200, r.text
            text = pdf_text(r.content)
            assert A["mayor_title"] in text and "かもめ市長" not in text and r.headers["x-lgforms-issue-no"] in text
    finally:
        svc.stop()


def test_risai_group_rule(service):
    if "common_risai_shomeisho" not in CAT.ids():
        pytest.skip("罹災証明書 form not present")
    form = CAT.get("common_risai_shomeisho")
    p = request_payload("common_risai_shomeisho", form.sample())
    with service.client(A["code"]) as a, service.client(B["code"]) as b:
        r = a.post(f"/v1/forms/common_risai_shomeisho/render?on_behalf_of={B['code']}", json=p)
        assert r.status_code == 200, r.text
        text = pdf_text(r.content)
        assert "かもめ市長" in text  # in B's name
        # done by A, and the 代行 line says so — word for word (the address alone names みどり野市 too)
        assert "（災害時相互応援協定に基づき東雲県みどり野市が代行して交付）" in text.replace(" ", "")
        assert image_streams(r.content) == image_streams(b.post("/v1/forms/common_risai_shomeisho/render",
                                                                 json=p).content)  # B's seal
        log_b = b.get(f"/v1/tenants/{B['code']}/issues").json()
        entry = next(e for e in log_b if e["id"] == r.headers["x-lgforms-issue-id"])
        assert entry["issued_by"] == A["code"] and entry["form_id"] == "common_risai_shomeisho"
        assert a.get(f"/v1/tenants/{A['code']}/issues/{entry['id']}").status_code == 404  # B's log, not A's
    with service.client(C["code"]) as c:
        r = c.post(f"/v1/forms/common_risai_shomeisho/render?on_behalf_of={B['code']}", json=p)
        assert r.status_code == 404  # C is no member


# -- 発行番号 ---------------------------------------------------------------------------------------

def test_issue_numbers_strictly_increasing_and_gap_free(service):
    form = "inkan_toroku_shomeisho"
    good = request_payload(form, CAT.get(form).sample())
    bad = {**good, "birth_date": "2023-02-30"}
    with service.client(C["code"]) as c:
        def one(i):
            return c.post(f"/v1/forms/{form}/render", json=bad if i % 4 == 3 else good)

        with cf.ThreadPoolExecutor(6) as ex:
            results = list(ex.map(one, range(24)))
        ok = [r for r in results if r.status_code == 200]
        assert len(ok) == 18 and all(r.status_code == 422 for r in results if r.status_code != 200)
        log = c.get(f"/v1/tenants/{C['code']}/issues", params={"limit": 1000}).json()
    seqs = [e["seq"] for e in log]
    assert seqs == list(range(1, len(seqs) + 1))  # no gaps, failures consumed no number
    assert not any(e["status"] == "void" and e["form_id"] == form and "not rendered" in (e["void_reason"] or "")
                   for e in log)  # bad payloads are refused before a number is taken
    numbers = sorted(r.headers["x-lgforms-issue-no"] for r in ok)
    ids = {r.headers["x-lgforms-issue-id"] for r in ok}
    assert numbers == sorted(e["issue_no"] for e in log if e["id"] in ids) and len(set(numbers)) == 18
    for r in ok:  # the log's hash is the PDF's, and holds no personal data
        e = next(x for x in log if x["id"] == r.headers["x-lgforms-issue-id"])
        assert e["sha256"] == hashlib.sha256(r.content).hexdigest()
        assert set(e) == {"id", "seq", "issue_no", "form_id", "issued_at", "pages", "sha256", "issued_by", "status",
                          "delivered_at", "voided_at", "void_reason"}
        assert e["status"] == "issued"  # delivered once the core system confirms receipt
    with service.client(C["code"]) as c:
        r = c.post(f"/v1/forms/{form}/render", json={**good, "issue_no": "X-1"})
        assert r.status_code == 422 and r.json()["path"] == "$.issue_no"


# -- limits ------------------------------------------------------------------------------------------

def test_limits(service):
    setai = request_payload("juki_jyuminhyo_setai", CAT.get("juki_jyuminhyo_setai").sample())
    with service.client(A["code"]) as a:
        big = {**setai, "padding_": "x" * (600 * 1024)}
        r = a.post("/v1/forms/juki_jyuminhyo_setai/render", json=big)
        assert r.status_code == 413 and r.json()["code"] == "LIMIT_EXCEEDED"
        many = {**setai, "scope": "part", "persons": setai["persons"] * 20}  # 100 persons -> 25 sheets > 20
        r = a.post("/v1/forms/juki_jyuminhyo_setai/render", json=many)
        assert r.status_code == 413 and r.json()["code"] == "LIMIT_EXCEEDED"


def test_rate_limit(tmp_path):
    svc = start_service(tmp_path, LGFORMS_RATE_PER_SECOND="0.5", LGFORMS_RATE_BURST="3")
    try:
        add_tenant(svc, A, SEAL_A)
        with svc.client(A["code"]) as c:
            # load every form first (not rate limited): a first /v1/forms that loads the catalog takes
            # seconds on a busy machine, long enough at 0.5/s for a token to come back mid-count
            assert c.get("/readyz").status_code == 200
            codes = [c.get("/v1/forms").status_code for _ in range(5)]
            assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
            r = c.get("/v1/forms")
            assert r.json()["code"] == "RATE_LIMITED" and int(r.headers["retry-after"]) >= 1
    finally:
        svc.proc.terminate()
        svc.proc.wait(10)


# -- logs, metrics, OpenAPI ------------------------------------------------------------------------

def test_no_payload_or_name_in_logs(service):
    rnd = random.Random()
    kanji = "".join(rnd.choice("鶯鷲鳶鴎鷺鶫鵜鴫鶉") for _ in range(6))
    name = f"{kanji}　{kanji[::-1]}"
    address = f"東雲県{kanji}町九丁目99番99号"
    p = request_payload("juki_jyuminhyo_setai", CAT.get("juki_jyuminhyo_setai").sample())
    p["persons"][0]["name"] = name
    p["address"] = address
    with service.client(A["code"]) as a:
        assert a.post("/v1/forms/juki_jyuminhyo_setai/render", json=p).status_code == 200
        p["persons"][2]["birth_date"] = "2023-02-30"
        assert a.post("/v1/forms/juki_jyuminhyo_setai/render", json=p).status_code == 422
        assert a.post("/v1/moji/check", json={"text": name}).status_code == 200
    log = service.log.read_text("utf-8")
    assert "juki_jyuminhyo_setai" in log  # the log is being written
    for secret in (kanji, kanji[::-1], address, "2023-02-30"):
        assert secret not in log


def test_metrics(service):
    with service.client(A["code"]) as a:
        a.get("/v1/forms")
    with service.client() as anon:
        anon.get("/v1/forms")
        text = anon.get("/metrics").text
    assert 'lgforms_requests_total{method="GET",route="/v1/forms",status="200"}' in text
    assert "lgforms_request_seconds_bucket" in text
    assert 'lgforms_errors_total{code="UNAUTHORIZED"}' in text
    assert "lgforms_pages_rendered_total" in text


def test_readyz(service):
    with service.client() as c:
        r = c.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ready"


def test_openapi_is_committed(service):
    committed = json.loads((ROOT / "api" / "openapi.json").read_text("utf-8"))
    with service.client() as c:
        live = c.get("/openapi.json").json()
    assert live == committed, "api/openapi.json is stale: run python -m lgforms_api.openapi > api/openapi.json"
