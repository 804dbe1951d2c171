"""GET /designer of the service: only for a municipality's key (header or login cookie), its own
profile in every preview, nothing of another municipality; read-only; form texts checked."""

from __future__ import annotations

import io
import json

import httpx
from pypdf import PdfReader

from apiservice import A, B, ROOT

FORM = "kojin_zeigaku_kettei_futsu"
H = {"X-Lgforms-Designer": "1"}


def pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_designer_needs_a_key(service):
    with httpx.Client(base_url=service.url, timeout=60) as c:
        r = c.get("/designer")
        assert r.status_code == 401 and "API キー" in r.text and FORM not in r.text
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert c.get("/designer/api/forms").status_code == 401
        assert c.post("/designer/api/preview", json={}, headers=H).status_code == 401
        r = c.post("/designer/login", content="key=lgf_wrong", headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 401 and "キーが違う" in r.text
        assert c.get("/designer/static/designer.js").status_code == 200  # no data in the script
        assert "/designer" not in json.dumps(c.get("/openapi.json").json()["paths"])


def test_designer_for_each_tenant(service):
    with httpx.Client(base_url=service.url, timeout=60) as c:
        # the login form keeps the key in an HttpOnly, SameSite=Strict cookie for /designer only
        r = c.post("/designer/login", content=f"key={service.keys[A['code']]}",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code == 303
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/designer" in cookie
        page = c.get("/designer")
        assert page.status_code == 200 and A["name"] in page.text and B["name"] not in page.text
        forms = c.get("/designer/api/forms").json()
        assert FORM in {f["id"] for f in forms}
        src = c.get(f"/designer/api/forms/{FORM}").json()
        assert src["writable"] is False
        body = {"form_id": FORM, "yaml": src["yaml"], "payload": src["samples"]["futsu_4ki"], "page": 1, "dpi": 72}
        assert c.post("/designer/api/preview", json=body).status_code == 403  # no X-Lgforms-Designer: refused
        r = c.post("/designer/api/preview", json=body, headers=H)
        assert r.status_code == 200, r.text
        d = r.json()
        assert d["ok"] and d["pages"] == 3 and d["image"].startswith("data:image/png;base64,")
        assert len(d["layout"]["pages"][0]["boxes"]) > 25 and r.headers["cache-control"] == "no-store"
        pdf = c.post("/designer/api/pdf", json=body, headers=H)
        assert pdf.status_code == 200 and A["name"] in pdf_text(pdf.content)
        # read-only: no moves, no saves, no file outside the form's folder
        assert c.post("/designer/api/move", json={"yaml": src["yaml"], "target": {"line": 43, "key": "at"}, "dx": 1},
                      headers=H).status_code == 403
        assert c.post("/designer/api/save", json={"form_id": FORM, "yaml": src["yaml"]}, headers=H).status_code == 403
        evil = src["yaml"].replace("schema: schema.json", "schema: ../../../../etc/passwd")
        d = c.post("/designer/api/preview", json={**body, "yaml": evil}, headers=H).json()
        assert not d["ok"] and "must be a file in the form's folder" in d["errors"][0]["message"]
        assert c.post("/designer/logout", headers=H).status_code == 200

    # another municipality's key: its own name, never A's (its profile lacks the tax slots: said so)
    with httpx.Client(base_url=service.url, timeout=60, headers={"Authorization": f"Bearer {service.keys[B['code']]}"}) as c:
        page = c.get("/designer")
        assert page.status_code == 200 and B["name"] in page.text and A["name"] not in page.text
        d = c.post("/designer/api/preview", json=body, headers=H).json()
        assert not d["ok"] and d["errors"][0]["code"] == "TENANT_DATA_MISSING"
        assert A["name"] not in json.dumps(d, ensure_ascii=False)
