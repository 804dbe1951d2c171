"""Names print with the glyph their code points select and copy out as exactly those code points."""

from __future__ import annotations

import io
import json
import re

import pytest
from fontTools.ttLib import TTFont

import lgforms
from lgforms.layout.text import MojiProblems, fit_text
from lgforms.moji.fonts import default_stacks
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter
from lgforms.layout.boxes import LaidOutPage
from lgforms.spec.models import TextStyle
from lgforms.resources import font_dir

from pdfcheck import pdftotext, pypdf_pages

NAMES = ["髙橋", "𠮷田", "齋藤", "齋\U000E0102藤", "邉\U000E0110", "葛\U000E0102城"]


@pytest.fixture(scope="module")
def ipamj():
    f = TTFont(str(font_dir() / "ipamjm.ttf"), lazy=True)
    cmap = f["cmap"].getBestCmap()
    uvs = {}
    for st in f["cmap"].tables:
        if st.format == 14:
            for vs, lst in st.uvsDict.items():
                for base, name in lst:
                    uvs[(base, vs)] = name
    return f, cmap, uvs


def write_lines(texts: list[str]) -> bytes:
    stack = default_stacks()["mincho"]
    problems = MojiProblems()
    items = []
    for i, t in enumerate(texts):
        items += fit_text(t, (10, 10 + i * 8, 190, 8), TextStyle(size=12), stack, path=None, problems=problems)
    problems.raise_if_any()
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), [], items)], w)
    return w.finish()


def test_names_copy_out_exactly_with_pypdf_and_poppler():
    pdf = write_lines(NAMES)
    assert pypdf_pages(pdf)[0].split("\n") == NAMES
    assert [l for l in pdftotext(pdf, "-raw").split("\n") if l.strip() and l != "\f"] == NAMES


def _cid_font_objects(pdf: bytes):
    from pypdf import PdfReader

    r = PdfReader(io.BytesIO(pdf))
    font = next(iter(r.pages[0]["/Resources"]["/Font"].values())).get_object()
    cid = font["/DescendantFonts"][0].get_object()
    tounicode = font["/ToUnicode"].get_object().get_data().decode()
    c2g = cid["/CIDToGIDMap"].get_object().get_data()
    prog = cid["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
    content = r.pages[0].get_contents().get_data().decode("latin1")
    return tounicode, c2g, prog, content


def test_plain_and_default_sequence_get_distinct_cids_with_the_same_glyph(ipamj):
    f, cmap, uvs = ipamj
    # In IPAmj 齋+E0102 selects the same glyph as plain 齋 (listed explicitly in cmap 14, not as a
    # default-UVS entry) — check, don't assume
    assert uvs[(0x9F4B, 0xE0102)] in (None, cmap[0x9F4B])
    pdf = write_lines(["齋", "齋\U000E0102"])
    tounicode, c2g, prog, content = _cid_font_objects(pdf)
    entries = dict(re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", tounicode))
    by_text = {bytes.fromhex(v).decode("utf-16-be"): int(k, 16) for k, v in entries.items()}
    plain, seq = by_text["齋"], by_text["齋\U000E0102"]
    assert plain != seq
    gid = lambda cid: int.from_bytes(c2g[2 * cid:2 * cid + 2], "big")
    assert gid(plain) == gid(seq) != 0


def test_non_default_ivs_draws_its_own_glyph(ipamj):
    f, cmap, uvs = ipamj
    pdf = write_lines(["葛", "葛\U000E0102"])
    tounicode, c2g, prog, content = _cid_font_objects(pdf)
    entries = dict(re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", tounicode))
    by_text = {bytes.fromhex(v).decode("utf-16-be"): int(k, 16) for k, v in entries.items()}
    sub = TTFont(io.BytesIO(prog))
    order = sub.getGlyphOrder()
    gid = lambda cid: int.from_bytes(c2g[2 * cid:2 * cid + 2], "big")
    # the subset keeps glyph outlines; compare outlines with the original font's glyphs
    orig = f["glyf"]
    want_plain, want_ivs = cmap[0x845B], uvs[(0x845B, 0xE0102)]
    assert want_ivs == "mj022335" and want_plain != want_ivs
    g_plain = sub["glyf"][order[gid(by_text["葛"])]]
    g_ivs = sub["glyf"][order[gid(by_text["葛\U000E0102"])]]
    assert g_plain.coordinates == orig[want_plain].coordinates
    assert g_ivs.coordinates == orig[want_ivs].coordinates
    assert g_plain.coordinates != g_ivs.coordinates


def test_tounicode_uses_surrogate_pairs_and_bfchar_only():
    pdf = write_lines(["𠮷", "邉\U000E0110"])
    tounicode, *_ = _cid_font_objects(pdf)
    assert "bfrange" not in tounicode
    assert "<D842DFB7>" in tounicode  # U+20BB7
    assert "<9089DB40DD10>" in tounicode  # U+9089 U+E0110


def test_unknown_ivs_is_an_error_unless_the_tenant_allows_fallback():
    from lgforms.tenants.guard import tenant_fields
    from lgforms.tenants.profile import demo_profile

    form = lgforms.Catalog().get("juki_jyuminhyo_setai")
    p = json.loads(form.samples["setai_5nin"].read_text("utf-8"))
    p = {k: v for k, v in p.items() if k not in tenant_fields(form)}  # a tenant's data comes from its profile
    p["persons"][0]["name"] = "葛\U000E0100城"
    with pytest.raises(lgforms.IvsUnknown) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    e = ei.value
    assert e.path == "$.persons[0].name" and e.detail["codepoints"] == "U+845B U+E0100"
    assert "U+E0102" in e.detail["known_sequences"]
    lenient = demo_profile().model_copy(update={"allow_ivs_fallback": True})
    res = lgforms.render_result("juki_jyuminhyo_setai", p, tenant=lenient)
    assert res.warnings == [{"code": "IVS_FALLBACK", "path": "$.persons[0].name", "position": 0,
                             "codepoints": "U+845B U+E0100", "drawn_as": "U+845B"}]
    # what was written still copies out as written
    assert "葛\U000E0100城" in "".join(pypdf_pages(res.data))


def test_font_is_a_small_subset(ipamj):
    cps = sorted(c for c in ipamj[1] if 0x4E00 <= c <= 0x9FFF)[::150][:100]
    assert len(cps) == 100
    pdf = write_lines(["".join(chr(c) for c in cps[j * 10:(j + 1) * 10]) for j in range(10)])
    _, _, prog, _ = _cid_font_objects(pdf)
    assert len(prog) < 100_000  # ~100 kanji of IPAmj's 61,179 glyphs
    assert TTFont(io.BytesIO(prog))["maxp"].numGlyphs <= 102


def test_mj_tokens_in_name_fields_become_their_sequences():
    p = json.loads((lgforms.Catalog().get("juki_jyuminhyo_setai").samples["setai_5nin"]).read_text("utf-8"))
    p["persons"][1]["name"] = "MJ022335城　真理子"
    text = "".join(pypdf_pages(lgforms.render("juki_jyuminhyo_setai", p)))
    assert "葛\U000E0102城　真理子" in text and "MJ022335" not in text
    p["persons"][1]["name"] = "MJ999999城"
    with pytest.raises(lgforms.MojiNotInFont) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    assert ei.value.path == "$.persons[1].name" and ei.value.detail["mj"] == "MJ999999"


def test_mj_map_is_derived_from_the_font():
    from lgforms.moji.mj import mj_map

    m = mj_map()
    assert len(m) == 59127  # IPAmj 005.01: every reachable mjNNNNNN glyph
    assert m.lookup("MJ022335").text == "葛\U000E0102"
    assert m.code_of("葛\U000E0102") == "MJ022335"
    assert m.code_of("𠮷") == "MJ032129"
    e = m.lookup("MJ030060")  # 齋: plain and U+E0102 reach the same glyph
    assert set(e.sequences) == {"齋", "齋\U000E0102"} and e.text == "齋\U000E0102"
