"""The ``seal`` element (電子公印): its box is checked when the form loads, the tenant's seal must
exist and fit the box (never scaled down, never clipped), and it is placed by align/valign. Sizes
are read back from the PDF's placement matrix (pdfcheck.placements), not from lgforms' layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import lgforms
from lgforms.tenants.profile import Seal, demo_profile

from pdfcheck import placements


def catalog(root: Path, box=(40.0, 20.0, 20.0, 20.0), **extra) -> lgforms.Catalog:
    d = root / "test" / "sealed"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    (d / "form.yaml").write_text(yaml.safe_dump({
        "id": "sealed", "title": "sealed", "area": "test", "tenant_slots": ["seal"],
        "paper": {"size": "label", "width": 100, "height": 60, "orientation": "landscape"},
        "pages": [{"id": "p", "fields": [{"kind": "seal", "box": list(box), **extra}]}]},
        allow_unicode=True), encoding="utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {}}), encoding="utf-8")
    return lgforms.Catalog(root)


def tenant_with(size) -> lgforms.TenantProfile:
    prof = demo_profile()
    return prof.model_copy(update={"seal": Seal(png=prof.seal.png, size_mm=size)})


def seal_image(pdf: bytes) -> dict:
    (img,) = placements(pdf, 1)["images"]
    return img


@pytest.mark.parametrize("box", [(40, 20, 0, 20), (40, 20, 20, 0), (40, 20, -5, 20), (40, 20, 20, -1)])
def test_a_seal_box_without_area_is_refused_when_the_form_loads(tmp_path, box):
    with pytest.raises(lgforms.LgformsError) as ei:
        catalog(tmp_path, box=box).get("sealed")
    e = ei.value
    assert e.code == "FORM_SPEC_INVALID"
    assert e.message.endswith("page 'p' fields[0]: seal box must have positive size")  # where, then what


def test_a_seal_that_fits_its_box_exactly_prints_at_its_size(tmp_path):
    cat = catalog(tmp_path, box=(40, 20, 18, 16))
    pdf = lgforms.render("sealed", {}, catalog=cat, tenant=tenant_with((18.0, 16.0)))
    img = seal_image(pdf)
    assert (img["x"], img["top"], img["w"], img["h"]) == pytest.approx((40, 20, 18, 16), abs=0.01)


@pytest.mark.parametrize("size", [(18.5, 10.0), (10.0, 16.5), (19.0, 17.0)])
def test_a_seal_larger_than_its_box_is_refused_not_shrunk(tmp_path, size):
    cat = catalog(tmp_path, box=(40, 20, 18, 16))
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("sealed", {}, catalog=cat, tenant=tenant_with(size))
    e = ei.value
    assert (e.code, e.path, e.form_id) == ("TENANT_INVALID", "tenant.seal", "sealed")
    assert e.message.endswith(f"the seal is {size[0]} × {size[1]} mm but the form's seal box is 18.0 × 16.0 mm")


def test_a_tiny_box_loads_but_no_seal_fits_it(tmp_path):
    cat = catalog(tmp_path, box=(40, 20, 0.5, 0.5))  # positive: a valid spec
    assert cat.get("sealed")
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("sealed", {}, catalog=cat, tenant=tenant_with((0.6, 0.4)))
    assert ei.value.code == "TENANT_INVALID"


def test_a_tenant_without_a_seal_cannot_print_the_form(tmp_path):
    cat = catalog(tmp_path)
    tenant = demo_profile().model_copy(update={"seal": None})
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("sealed", {}, catalog=cat, tenant=tenant)
    e = ei.value
    assert (e.code, e.path, e.form_id) == ("TENANT_INVALID", "tenant.seal", "sealed")
    assert e.message.endswith("the tenant profile has no 公印 (seal) and this form prints one")


@pytest.mark.parametrize("align,valign,x,top", [
    ("center", "middle", 40 + (30 - 15) / 2, 20 + (24 - 15) / 2),
    ("left", "top", 40, 20), ("right", "bottom", 40 + 30 - 15, 20 + 24 - 15),
])
def test_the_seal_is_placed_in_its_box_by_align_and_valign(tmp_path, align, valign, x, top):
    cat = catalog(tmp_path, box=(40, 20, 30, 24), align=align, valign=valign)
    img = seal_image(lgforms.render("sealed", {}, catalog=cat, tenant=tenant_with((15.0, 15.0))))
    assert (img["x"], img["top"], img["w"], img["h"]) == pytest.approx((x, top, 15, 15), abs=0.01)


def test_a_seal_with_more_pixels_than_600_dpi_needs_is_downsampled_to_600_dpi(tmp_path):
    """A 20 × 10 mm seal needs ceil(20 / 25.4 × 600) × ceil(10 / 25.4 × 600) = 473 × 237 px at 600 dpi
    (line art: the 公印's red edges stay sharp); a 2000 × 1000 px image is reduced to that, keeping
    its aspect ratio."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2000, 1000), (200, 0, 0)).save(buf, "PNG")
    prof = demo_profile()
    tenant = prof.model_copy(update={"seal": Seal(png=buf.getvalue(), size_mm=(20.0, 10.0))})
    img = seal_image(lgforms.render("sealed", {}, catalog=catalog(tmp_path), tenant=tenant))
    assert tuple(img["px"]) == (473, 237)  # 2000:1000 scaled into 473 × 237 (236.5 rounded)
    assert (img["w"], img["h"]) == pytest.approx((20, 10), abs=0.01)


def test_the_laid_out_seal_names_where_it_comes_from(tmp_path):
    """``lgforms.layout`` tells which value each box shows: the seal's image is ``tenant.seal``."""
    from lgforms.layout.boxes import ImageBox

    doc = lgforms.layout("sealed", {}, catalog=catalog(tmp_path), tenant=tenant_with((15.0, 15.0)))
    page = doc.pages[0]
    items = list(page.items) + [it for sp in page.statics for it in sp.items]
    (img,) = [it for it in items if isinstance(it, ImageBox)]
    assert img.path == "tenant.seal" and img.max_px == (355, 355)  # ceil(15 / 25.4 × 600)
