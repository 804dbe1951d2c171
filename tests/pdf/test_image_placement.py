"""Physical sizes of printed images, read from the PDF's placement matrix (pypdf: the ``cm`` in force
at each image's ``Do``), not from lgforms' layout objects:

- the 印影 of a 印鑑登録証明書 prints 原寸: exactly the payload's width_mm × height_mm, never scaled
  to its box, and with the aspect ratio of its pixels;
- the 公印 prints at the tenant profile's ``size_mm`` (not at the size of the form's seal box).

The boxes come from the forms' YAML."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

import lgforms
from lgforms.tenants.profile import Seal, demo_profile

from pdfcheck import placements

ROOT = Path(__file__).resolve().parents[2]
INKAN = ROOT / "forms/inkan/inkan_toroku_shomeisho"
SETAI = ROOT / "forms/juki/juki_jyuminhyo_setai"


def _field(fields, fid):
    return next(f for f in fields if f.get("id") == fid)


def inei_box() -> tuple[float, float, float, float]:
    form = yaml.safe_load((INKAN / "form.yaml").read_text("utf-8"))
    fields = [f for p in form["pages"] for f in p["fields"]]
    return tuple(_field(fields, "inei")["box"])


def seal_box_of_setai() -> tuple[float, float, float, float]:
    """The 公印 box of the 住民票（世帯連記式）: the cert_footer block's seal box at the footer's place."""
    form = yaml.safe_load((SETAI / "form.yaml").read_text("utf-8"))
    footer = _field(form["pages"][0]["fields"], "footer")
    block = yaml.safe_load((ROOT / "forms/_blocks" / f"{footer['use']}.yaml").read_text("utf-8"))
    x, y, w, h = _field(block["fields"], "seal")["box"]
    return (footer["at"][0] + x, footer["at"][1] + y, w, h)


def images_in(pdf: bytes, page: int, box) -> list[dict]:
    bx, by, bw, bh = box
    return [i for i in placements(pdf, page)["images"]
            if bx <= i["x"] + i["w"] / 2 <= bx + bw and by <= i["top"] + i["h"] / 2 <= by + bh]


def png(w: int, h: int) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ImageDraw.Draw(im).ellipse([4, 4, w - 5, h - 5], outline=(200, 0, 0, 255), width=max(2, w // 20))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def sample(name: str) -> dict:
    return json.loads((INKAN / "samples" / f"{name}.json").read_text("utf-8"))


@pytest.mark.parametrize("name", ["inkan_basic", "inkan_edge_long"])
def test_the_inei_prints_at_the_payload_s_size(name):
    p = sample(name)
    pdf = lgforms.render("inkan_toroku_shomeisho", p)
    (img,) = images_in(pdf, 1, inei_box())
    assert img["w"] == pytest.approx(p["inei"]["width_mm"], abs=0.01)
    assert img["h"] == pytest.approx(p["inei"]["height_mm"], abs=0.01)
    a, b, c, d, _, _ = img["matrix"]
    assert b == 0 and c == 0  # upright: no rotation or shear


@pytest.mark.parametrize("px,mm", [((300, 300), (15.0, 15.0)), ((400, 300), (20.0, 15.0)), ((150, 300), (12.0, 24.0))])
def test_the_inei_keeps_its_size_and_aspect_whatever_its_pixels(px, mm):
    """A 15 mm impression in a 40 × 60 mm column stays 15 mm (scaling it to fit would print 40 mm);
    an oblong one keeps the aspect ratio of its pixels."""
    p = sample("inkan_basic")
    p["inei"] = {**p["inei"], "png_base64": base64.b64encode(png(*px)).decode(), "width_mm": mm[0], "height_mm": mm[1]}
    pdf = lgforms.render("inkan_toroku_shomeisho", p)
    (img,) = images_in(pdf, 1, inei_box())
    assert (img["w"], img["h"]) == (pytest.approx(mm[0], abs=0.01), pytest.approx(mm[1], abs=0.01))
    assert img["w"] / img["h"] == pytest.approx(px[0] / px[1], rel=0.005)
    assert img["px"][0] / img["px"][1] == pytest.approx(px[0] / px[1], rel=0.01)  # pixels not squeezed either
    bx, by, bw, bh = inei_box()
    assert img["x"] + img["w"] / 2 == pytest.approx(bx + bw / 2, abs=0.05)  # centred in its column


def test_an_inei_whose_size_would_distort_its_pixels_is_refused():
    p = sample("inkan_basic")
    p["inei"] = {**p["inei"], "png_base64": base64.b64encode(png(300, 300)).decode(), "width_mm": 20, "height_mm": 15}
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("inkan_toroku_shomeisho", p)
    assert ei.value.code == "IMAGE_INVALID" and ei.value.path.startswith("$.inei")


def _setai() -> dict:
    return json.loads((SETAI / "samples" / "setai_5nin.json").read_text("utf-8"))


@pytest.mark.parametrize("size,px", [((21.0, 21.0), None), ((15.0, 15.0), (300, 300)), ((20.0, 16.0), (500, 400))])
def test_the_koin_prints_at_the_profile_s_size_mm(size, px):
    prof = demo_profile()
    seal = prof.seal if px is None else Seal(png=png(*px), size_mm=size)
    tenant = prof.model_copy(update={"seal": seal})
    pdf = lgforms.render("juki_jyuminhyo_setai", _setai(), tenant=tenant)
    last = len(PdfReader(io.BytesIO(pdf)).pages)
    box = seal_box_of_setai()
    (img,) = images_in(pdf, last, box)
    assert img["w"] == pytest.approx(size[0], abs=0.01) and img["h"] == pytest.approx(size[1], abs=0.01)
    assert (box[2], box[3]) != size  # not the box's size
    assert img["w"] / img["h"] == pytest.approx(img["px"][0] / img["px"][1], rel=0.01)  # aspect kept
