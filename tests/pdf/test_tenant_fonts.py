"""A tenant's own font (外字, PUA code points) joins the stack after IPAmj and is embedded and
copied out the same way; default and non-default variation sequences resolve per cmap 14."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

import lgforms
from lgforms.moji.fonts import FontFile, FontStack
from lgforms.tenants.profile import make_profile

from formtest import demo_profile_file
from pdfcheck import pdftotext, pypdf_pages

PUA = "\uE000"
BASE = "\u4E1C"  # 东: not in IPAmj明朝


def _box(w: int, h: int, inset: int):
    pen = TTGlyphPen(None)
    pen.moveTo((inset, inset))
    pen.lineTo((inset, h - inset))
    pen.lineTo((w - inset, h - inset))
    pen.lineTo((w - inset, inset))
    pen.closePath()
    return pen.glyph()


def make_gaiji_font(path: Path) -> Path:
    names = [".notdef", "gaiji0001", "dong", "dong_v1"]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(PUA): "gaiji0001", ord(BASE): "dong"},
                         uvs=[(ord(BASE), 0xE0100, None), (ord(BASE), 0xE0101, "dong_v1")])
    fb.setupGlyf({".notdef": _box(1000, 1000, 50), "gaiji0001": _box(1000, 1000, 100),
                  "dong": _box(1000, 1000, 150), "dong_v1": _box(1000, 1000, 300)})
    fb.setupHorizontalMetrics({n: (1000, 50) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "MidorinoGaiji", "styleName": "Regular", "psName": "MidorinoGaiji-Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))
    return path


@pytest.fixture(scope="module")
def gaiji(tmp_path_factory):
    return make_gaiji_font(tmp_path_factory.mktemp("fonts") / "gaiji.ttf")


def test_resolution_rules_on_a_font_with_default_and_non_default_sequences(gaiji):
    f = FontFile(gaiji, key="gaiji")
    stack = FontStack("mincho", [f])
    plain = stack.resolve(BASE)
    default_seq = stack.resolve(BASE + "\U000E0100")
    variant = stack.resolve(BASE + "\U000E0101")
    assert default_seq.gid == plain.gid  # default UVS -> the base glyph
    assert variant.gid != plain.gid and f.glyph_names[variant.gid] == "dong_v1"
    with pytest.raises(lgforms.IvsUnknown):
        stack.resolve(BASE + "\U000E0102")


def test_tenant_gaiji_font_renders_and_copies_out(tmp_path, gaiji):
    tenant = lgforms.load_profile(demo_profile_file(tmp_path, fonts=[str(gaiji)]))

    from lgforms.tenants.guard import tenant_fields

    form = lgforms.Catalog().get("juki_jyuminhyo_setai")
    p = json.loads(form.samples["setai_5nin"].read_text("utf-8"))
    p = {k: v for k, v in p.items() if k not in tenant_fields(form)}  # a tenant's data comes from its profile
    name = f"髙橋　{PUA}{BASE}{BASE}\U000E0100{BASE}\U000E0101"
    p["persons"][0]["name"] = name
    with pytest.raises(lgforms.MojiNotInFont):  # without the tenant's font: a loud error
        lgforms.render("juki_jyuminhyo_setai", p)
    pdf = lgforms.render("juki_jyuminhyo_setai", p, tenant=tenant)
    assert name in pypdf_pages(pdf)[0]
    assert name.replace("\u3000", " ") in pdftotext(pdf, "-raw")

    from pypdf import PdfReader

    fonts = [f.get_object() for f in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()]
    assert any("MidorinoGaiji" in str(f["/BaseFont"]) for f in fonts)


def test_tenant_profile_rejects_bad_code(tmp_path):
    with pytest.raises(lgforms.LgformsError) as ei:
        make_profile({"code": "992012", "name": "x", "mayor_title": "x", "mayor_name": "x"})
    assert ei.value.code == "TENANT_INVALID" and ei.value.path == "$.code" and "check digit" in ei.value.message
