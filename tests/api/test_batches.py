"""Batches over the service: JSON Lines upload, progress, downloads, tenant ownership."""

from __future__ import annotations

import io
import json
import time

from pypdf import PdfReader

import lgforms
from apiservice import A, add_tenant, seal_png

# a municipality of its own for the batches (the demo profile's data with another code and mayor),
# so that its name on the pages cannot come from the demo profile
D = dict(A, code="992054", name="東雲県うみべ市", mayor_title="うみべ市長", mayor_name="海野　太郎",
         local_name="うみべ市")
from lgforms_api.payloads import as_request

KOJIN = "kojin_zeigaku_kettei_futsu"


def _records(n: int) -> tuple[bytes, dict]:
    form = lgforms.Catalog().get(KOJIN)
    sample = form.sample()
    base = as_request(form, {k: v for k, v in sample.items() if not k.startswith("_")})
    lines, bad = [], {}
    for i in range(n):
        p = dict(base, atena_name=f"髙橋　{i:03d}号", atena_postcode=f"{900 - i:03d}-0000")
        rid = f"N{i:03d}"
        if i == 3:
            p["layout"] = {"title": "よそ市の通知書"}  # would change the form: the guard rejects the record
            bad[rid] = ("CUSTOMIZATION_NOT_ALLOWED", "$.layout")
        if i == 5:
            p["atena_name"] = "山田\U0002A6D7"
            bad[rid] = ("MOJI_NOT_IN_FONT", "$.atena_name")
        lines.append(json.dumps({"id": rid, "payload": p}, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode(), bad


def _wait(c, job_id: str) -> dict:
    deadline = time.monotonic() + 180
    while True:
        r = c.get(f"/v1/batches/{job_id}")
        assert r.status_code == 200, r.text
        if r.json()["state"] in ("done", "failed"):
            return r.json()
        assert time.monotonic() < deadline, r.json()
        time.sleep(0.2)


def test_batch_upload_progress_downloads_and_ownership(service):
    if D["code"] not in service.keys:
        add_tenant(service, D, seal_png((0, 0, 120)))
    body, bad = _records(24)
    with service.client(D["code"]) as c:
        r = c.post("/v1/batches", params={"form_id": KOJIN, "sort": "postcode", "split_pages": 30}, content=body,
                   headers={"Content-Type": "application/x-ndjson"})
        assert r.status_code == 202, r.text
        job = r.json()
        assert job["records"] == 24 and job["state"] in ("planned", "running", "done")
        view = _wait(c, job["id"])
        assert view["state"] == "done", view
        s = view["summary"]
        assert (s["records_in"], s["rendered"], s["rejected"]) == (24, 22, 2)
        assert view["progress"]["done"] == 24
        errors = [json.loads(x) for x in c.get(view["errors"]).text.splitlines()]
        assert {e["id"]: (e["code"], e["path"]) for e in errors} == bad
        manifest = c.get(view["manifest"]).json()
        assert len(manifest["records"]) == 22
        assert len(view["parts"]) == len(manifest["parts"]) >= 2
        pages = 0
        for part in view["parts"]:
            pdf = c.get(part["href"])
            assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
            reader = PdfReader(io.BytesIO(pdf.content))
            assert len(reader.pages) == part["pages"] <= 30
            pages += part["pages"]
            text = "".join(pg.extract_text() for pg in reader.pages)
            assert D["mayor_name"].replace("　", "") in text.replace(" ", "").replace("　", "")
        assert pages == s["pages"]
        assert any(j["id"] == job["id"] for j in c.get("/v1/batches").json())

    with service.client(A["code"]) as c:  # another municipality: the batch does not exist for it
        for path in ("", "/manifest", "/errors", "/summary", "/parts/1"):
            r = c.get(f"/v1/batches/{job['id']}{path}")
            assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND", (path, r.text)
        assert all(j["id"] != job["id"] for j in c.get("/v1/batches").json())


def test_batch_refusals(service):
    with service.client(A["code"]) as c:
        r = c.post("/v1/batches", params={"form_id": "juki_jyuminhyo_setai"}, content=b"{}\n")
        assert r.status_code == 422 and r.json()["code"] == "BATCH_INVALID"  # certificates: one by one
        r = c.post("/v1/batches", params={"form_id": KOJIN}, content=b"")
        assert r.status_code == 422 and r.json()["code"] == "BATCH_INVALID"
        r = c.post("/v1/batches", params={"form_id": "no_such_form"}, content=b"{}\n")
        assert r.status_code == 404
        assert c.get("/v1/batches/0123456789ab").status_code == 404
    with service.client() as c:
        assert c.post("/v1/batches", params={"form_id": KOJIN}, content=b"{}\n").status_code == 401


def test_the_upload_is_deleted_when_the_batch_is_done(service, tmp_path):
    body, _ = _records(3)
    with service.client(A["code"]) as c:
        r = c.post("/v1/batches", params={"form_id": KOJIN}, content=body)
        assert r.status_code == 202, r.text
        assert _wait(c, r.json()["id"])["state"] == "done"
    # LGFORMS_BATCH_DIR's default: beside a SQLite tenant store, else lgforms-data/ in the working directory
    tmp = service.log.parent
    root = (tmp / "batches" if service.store == "sqlite" else tmp / "lgforms-data" / "batches") / r.json()["id"]
    assert (root / "out" / "manifest.json").is_file()
    assert not (root / "records.jsonl").exists()
