"""Issue 16, the library and command-line side: the customization guard with ``--tenant``
(item 8), image pixel bounds and downsampling (item 2), the render time limit in every stage
(item 3), the 見本 of a certificate (item 1), and the store's migrations on SQLite."""

from __future__ import annotations

import base64
import io
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import lgforms
from lgforms.layout.boxes import ImageBox, TextLine

from formtest import demo_profile_file
from guardforms import guarded_forms

ROOT = Path(__file__).resolve().parents[1]
CAT = lgforms.Catalog()


def sample(form_id: str) -> dict:
    return CAT.get(form_id).sample()


def other_city(tmp_path: Path) -> Path:
    return demo_profile_file(tmp_path, "kamome.yaml", code="992020", name="東雲県かもめ市", mayor_title="かもめ市長",
                             mayor_name="浜田　港")


# -- 8. a payload's issuer never overrides --tenant ------------------------------------------------

def test_8_cli_refuses_issuer_fields_with_a_tenant(tmp_path):
    import os

    profile = other_city(tmp_path)
    forms = guarded_forms(tmp_path)
    (tmp_path / "p.json").write_text(json.dumps({"name": "山田　花子", "issuer": "みどり野市長　松葉　恵子"},
                                                ensure_ascii=False), "utf-8")
    env = {**os.environ, "LGFORMS_FORMS_DIR": str(forms)}
    for cmd in ("render", "validate"):
        args = [sys.executable, "-m", "lgforms.cli", cmd, "guarded", str(tmp_path / "p.json"),
                "--tenant", str(profile)] + (["-o", str(tmp_path / "out.pdf")] if cmd == "render" else [])
        r = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)
        assert r.returncode == 2, (cmd, r.stdout, r.stderr)
        assert "CUSTOMIZATION_NOT_ALLOWED" in r.stderr and "$.issuer" in r.stderr
    assert not (tmp_path / "out.pdf").exists()
    # the shipped certificates have no issuer field at all: it is refused with or without a tenant
    p = sample("juki_jyuminhyo_setai")
    p["issuer"] = "みどり野市長　松葉　恵子"  # another city's mayor next to かもめ市's seal
    (tmp_path / "setai.json").write_text(json.dumps(p, ensure_ascii=False), "utf-8")
    r = subprocess.run([sys.executable, "-m", "lgforms.cli", "render", "juki_jyuminhyo_setai",
                        str(tmp_path / "setai.json"), "--tenant", str(profile), "-o", str(tmp_path / "out.pdf")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "PAYLOAD_INVALID" in r.stderr and "issuer" in r.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_8_library_guard_with_a_tenant(tmp_path):
    tenant = lgforms.load_profile(other_city(tmp_path))
    cat = lgforms.Catalog(guarded_forms(tmp_path))
    from lgforms.tenants.guard import tenant_fields

    assert tenant_fields(cat.get("guarded")) == {"issuer"}
    p = {"name": "山田　花子", "issuer": "みどり野市長　松葉　恵子"}
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("guarded", p, tenant=tenant, catalog=cat)
    assert ei.value.code == "CUSTOMIZATION_NOT_ALLOWED" and ei.value.path == "$.issuer"
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render_many("guarded", [p], tenant=tenant, catalog=cat)
    assert ei.value.code == "CUSTOMIZATION_NOT_ALLOWED"
    lgforms.render("guarded", p, catalog=cat)  # the demo municipality (no tenant) still takes it
    # the shipped certificates take no issuer from the payload, with or without a tenant
    for form_id in ("juki_jyuminhyo_setai", "juki_jyuminhyo_kobetsu", "inkan_toroku_shomeisho"):
        assert not tenant_fields(CAT.get(form_id))
        with pytest.raises(lgforms.PayloadInvalid) as ei:
            lgforms.render(form_id, {**sample(form_id), "issuer": "みどり野市長　松葉　恵子"}, tenant=tenant)
        assert "issuer" in ei.value.message
    # the tenant's own data is printed
    for form_id in ("juki_jyuminhyo_setai", "inkan_toroku_shomeisho"):
        pdf = lgforms.render(form_id, sample(form_id), tenant=tenant)
        text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
        assert "かもめ市長" in text and "松葉" not in text


def test_8_reserved_keys_and_annotations_in_the_library():
    p = sample("kojin_zeigaku_kettei_futsu")
    deep: list = [1]
    for _ in range(40):
        deep = [deep]
    for extra in ({"title": "x"}, {"layout": {}}, {"_big": "x" * 5000}, {"deep": deep}):
        with pytest.raises(lgforms.LgformsError) as ei:
            lgforms.layout("kojin_zeigaku_kettei_futsu", {**p, **extra})
        assert ei.value.code in ("CUSTOMIZATION_NOT_ALLOWED", "PAYLOAD_INVALID", "LIMIT_EXCEEDED")
        assert ei.value.path in (f"$.{next(iter(extra))}", "$")


# -- 2. image bombs and downsampling -----------------------------------------------------------------

def _png(w: int, h: int, mode: str = "RGB") -> str:
    buf = io.BytesIO()
    Image.new(mode, (w, h), (200, 0, 0) if mode == "RGB" else 0).save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode()


def test_2_oversized_image_is_refused_and_large_one_downsampled():
    p = sample("inkan_toroku_shomeisho")
    big = {**p, "inei": {**p["inei"], "png_base64": _png(5000, 5000, "L")}}  # 25 Mpx
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("inkan_toroku_shomeisho", big)
    assert ei.value.code == "IMAGE_INVALID" and ei.value.path == "$.inei.png_base64"
    assert ei.value.detail["width"] == 5000
    ok = {**p, "inei": {**p["inei"], "png_base64": _png(3000, 3000)}}  # printed at width_mm (15 mm)
    pdf = lgforms.render("inkan_toroku_shomeisho", ok)
    widths = [xo.get_object()["/Width"] for pg in PdfReader(io.BytesIO(pdf)).pages
              for xo in pg["/Resources"].get("/XObject", {}).values()
              if xo.get_object()["/Subtype"] == "/Image"]
    need = round(p["inei"]["width_mm"] / 25.4 * 600)  # 印影 at 600 dpi
    assert any(abs(w - need) <= 1 for w in widths), widths
    assert max(widths) < 3000


# -- 3. the time limit holds in every stage -----------------------------------------------------------

def test_3_deadline_holds_in_write_and_png():
    p = sample("kojin_zeigaku_kettei_futsu")
    lgforms.render("kojin_zeigaku_kettei_futsu", p)  # warm
    for fmt, dpi in (("png", 300),):
        t0 = time.perf_counter()
        with pytest.raises(lgforms.LgformsError) as ei:
            lgforms.render_result("kojin_zeigaku_kettei_futsu", p, format=fmt, dpi=dpi,
                                  deadline=time.perf_counter() + 0.05)
        assert ei.value.code == "LIMIT_EXCEEDED" and ei.value.detail["stage"] in ("png", "write", "layout")
        assert time.perf_counter() - t0 < 2
    # a write stage slower than the limit (20 ms per sheet, 50 sheets): it must stop there, within a page.
    # The limit leaves the layout (measured here: it varies with the machine's load) time to finish.
    import lgforms.pdf.draw as draw

    many = sample("juki_jyuminhyo_setai")
    many["persons"] = (many["persons"] * 40)[:200]
    many["scope"] = "part"  # 40 copies of one household: not one 世帯全員 (that holds one 世帯主)
    lgforms.render("juki_jyuminhyo_setai", many)  # warm
    t0 = time.perf_counter()
    lgforms.layout("juki_jyuminhyo_setai", many)
    limit = 2 * (time.perf_counter() - t0) + 0.1
    real = draw.draw_page

    def slow_page(p, w):
        time.sleep(0.02)
        real(p, w)

    draw.draw_page = slow_page
    try:
        assert limit < 50 * 0.02, "the layout alone takes longer than writing the sheets would"
        t0 = time.perf_counter()
        with pytest.raises(lgforms.LgformsError) as ei:
            lgforms.render_result("juki_jyuminhyo_setai", many, deadline=time.perf_counter() + limit)
        assert ei.value.code == "LIMIT_EXCEEDED" and ei.value.detail["stage"] == "write"
        assert time.perf_counter() - t0 < limit + 0.2
    finally:
        draw.draw_page = real


# -- 1. 見本 -----------------------------------------------------------------------------------------

def test_1_specimen_has_no_seal_and_a_mark():
    p = sample("juki_jyuminhyo_setai")
    real = lgforms.layout("juki_jyuminhyo_setai", p)
    spec = lgforms.layout("juki_jyuminhyo_setai", p, issue={"specimen": True})
    seals = lambda d: [it for pg in d.pages for it in pg.items if isinstance(it, ImageBox) and it.path == "tenant.seal"]  # noqa: E731
    texts = lambda d: ["".join(it.clusters) for pg in d.pages for it in pg.items if isinstance(it, TextLine)]  # noqa: E731
    assert seals(real) and not seals(spec)
    assert texts(spec).count("見　本") == len(spec.pages) and "見　本" not in texts(real)


# -- the store: migrations from the first release's schema ---------------------------------------------

def test_store_migrates_a_first_release_database(tmp_path):
    from lgforms.tenants.migrations import MIGRATIONS
    from lgforms.tenants.store import TenantStore

    db = tmp_path / "old.db"
    c = sqlite3.connect(db)
    for stmt in MIGRATIONS[0].sqlite:  # the schema as the first release created it, no version table
        c.execute(stmt)
    c.execute("INSERT INTO tenants (code, profile_json, created_at, updated_at) VALUES ('992011', ?, 't', 't')",
              (json.dumps({"code": "992011", "name": "東雲県みどり野市", "mayor_title": "市長", "mayor_name": "松葉"}),))
    c.execute("INSERT INTO issue_counters VALUES ('992011', 1)")
    c.execute("INSERT INTO issue_log VALUES (1, '992011', 'iss_old', 'R08-0000001', 'inkan_toroku_shomeisho', "
              "'2026-11-24T01:00:00.000+00:00', 1, 'abc', '992011')")
    c.commit()
    c.close()
    st = TenantStore(db)
    assert st.db.schema_version() == MIGRATIONS[-1].version
    old = st.issues("992011")[0]
    assert (old.seq, old.issue_no, old.sha256, old.status) == (1, "R08-0000001", "abc", "issued")
    r = st.reserve_issue("992011", "inkan_toroku_shomeisho", "992011", lambda n: f"R08-{n:07d}")
    assert r.entry.seq == 2
    day = st.reconciliation("992011", "2026-11-24", "2026-11-24")["days"]
    assert day == [{"date": "2026-11-24", "issued": 1, "first_seq": 1, "last_seq": 1, "void": 0, "delivered": 0,
                    "open": 1, "open_without_document": 0}]
    st.close()
    assert TenantStore(db).db.schema_version() == MIGRATIONS[-1].version  # idempotent
