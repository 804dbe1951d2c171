"""Imposed sheets, read back from the PDF and folded: every character of every panel lands on the
right face of the mailpiece, the right way up, and nothing personal shows outside but the 宛名."""

from __future__ import annotations

import io

import pytest

import lgforms
from lgforms.postal.fold import turn_over
from lgforms.postal.profiles import load_profile

V_TOP_105 = """
id: v-top-105
delivery: pressure-seal-V
panel_size: [105, 148]
sheet: [105, 296]
flip: horizontal
panels:
  - {panel: back, side: front, at: [0, 0], rotate: 180}
  - {panel: address, side: front, at: [0, 148], rotate: 0}
  - {panel: inner_right, side: back, at: [0, 0], rotate: 180}
  - {panel: inner_left, side: back, at: [0, 148], rotate: 180}
folds:
  - {axis: y, at: 148, moving: low, direction: under}
paper: {weight_gsm: 150}
"""

# values that are personal and must never be seen from outside (the 宛名 name is also voter 1's)
SENKYO_INSIDE = ["花子", "翔", "12-034-05", "12-034-06", "12-034-07", "第12投票区", "白樺小学校"]
KOKUHO_INSIDE = ["𠮷太", "髙木", "2345", "平成2年3月15日", "992016", "令和9年6月19日"]


def opened_direction(profile, g) -> tuple[float, float]:
    """Reading direction of an inside glyph when its spread is opened: the reader holds the piece
    address face up and lifts the nearer layer of the sealed pair; the farther one stays put."""
    f = profile.folded()
    am = profile.panel_to_side("address")
    face = f.locate(profile.placement("address").side, *am(50, 120))[0]
    to_front = turn_over(*profile.sheet, profile.flip) if g.side == "back" else None
    fx, fy = to_front(g.x, g.y) if to_front else (g.x, g.y)
    fr = f.fragment_of(fx, fy)
    layers = sorted(f.layers_at(*fr.m(fx, fy)), key=lambda q: q.z)
    i = layers.index(fr)
    faces_up = fr.up if g.side == "front" else not fr.up
    partner = layers[i + 1] if faces_up else layers[i - 1]
    lower = min(fr, partner, key=lambda q: q.z) if face == "top" else max(fr, partner, key=lambda q: q.z)
    v = to_front.vec(g.dx, g.dy) if to_front else (g.dx, g.dy)
    return f.view(face).vec(*lower.m.vec(*v))


def check_folded(pdf, profile, pk, *, address_values, outer_back_marker, inside_values, margin=0.0):
    glyphs = pk.fold_glyphs(pk.sheet_glyphs(pdf, margin), profile)
    assert glyphs and not [g for g in glyphs if g.face == "cut"]
    address_face = profile.faces()["address"]
    other = "bottom" if address_face == "top" else "top"
    front_text = pk.face_text(glyphs, address_face)
    back_text = pk.face_text(glyphs, other)
    for v in address_values:
        assert v.replace("\u3000", "") in front_text.replace(" ", "").replace("\u3000", ""), v
    assert "郵便はがき" in front_text
    assert outer_back_marker in back_text
    # every glyph on an outer face reads upright there
    for g in glyphs:
        if g.face in ("top", "bottom"):
            assert g.up == pytest.approx((1, 0), abs=1e-6), (g.text, g.face, g.up)
    # nothing personal outside, except the 宛名 (checked above) — in reading order per face
    for v in inside_values:
        assert v not in front_text and v not in back_text, v
    inside = [g for g in glyphs if g.face == "inside"]
    inside_text = "".join(g.text for g in inside)
    for v in inside_values:
        assert all(ch in inside_text for ch in v), v
    # every inside glyph reads upright when its spread is opened
    for g in inside:
        assert opened_direction(profile, g) == pytest.approx((1, 0), abs=1e-6), (g.text, g.side, g.x, g.y)
    return glyphs, address_face


def test_v_fold_sheet(senkyo_payload, pk):
    res = lgforms.render_result(pk.SENKYO, senkyo_payload, imposition="sheets")
    assert res.pages == 2
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(res.data)).pages
    assert [round(float(p.mediabox.width) / pk.MM, 1) for p in pages] == [210.0, 210.0]
    prof = load_profile("pressure-seal-V")
    glyphs, face = check_folded(res.data, prof, pk, address_values=["東雲県みどり野市白樺町七丁目21番地", "邉見　太郎"],
                                outer_back_marker="期日前投票宣誓書", inside_values=SENKYO_INSIDE)
    assert face == "top"
    # independent of the fold model: on this profile the inner panels print upright on the back page
    assert all((g.dx, g.dy) == pytest.approx((1, 0)) for g in glyphs if g.side == "back")
    # the tickets are behind the 宣誓書 panel: each voter's ticket is at the height of a 宣誓書
    hanako = next(g for g in glyphs if g.text == "花" and g.side == "back")
    assert hanako.x > 105  # inner_right, at the right of the back page (behind the left front panel)


def test_v_fold_opening_at_the_top_rotates_panels(senkyo_payload, pk, tmp_path):
    path = tmp_path / "v-top-105.yaml"
    path.write_text(V_TOP_105, "utf-8")
    res = lgforms.render_result(pk.SENKYO, senkyo_payload, imposition="sheets", printer_profile=str(path))
    prof = load_profile(str(path))
    glyphs, _ = check_folded(res.data, prof, pk, address_values=["邉見　太郎", "白樺町七丁目"],
                             outer_back_marker="期日前投票宣誓書", inside_values=SENKYO_INSIDE)
    # head-to-head: the back panel and all inner panels are printed upside down on the sheet
    assert all(g.dx == pytest.approx(-1) for g in glyphs if g.side == "back")
    assert all(g.dx == pytest.approx(-1) for g in glyphs if g.side == "front" and g.y < 148)
    assert all(g.dx == pytest.approx(1) for g in glyphs if g.side == "front" and g.y > 148)


def test_z_fold_sheet_with_shifted_address_panel(kokuho_payload, pk):
    res = lgforms.render_result(pk.KOKUHO, kokuho_payload, imposition="sheets")
    assert res.pages == 2
    prof = load_profile("pressure-seal-Z")
    glyphs, face = check_folded(res.data, prof, pk, address_values=["東雲県みどり野市本町一丁目2番3号", "齋藤　美咲", "987-6502"],
                                outer_back_marker="マイナ保険証をお持ちの方へ", inside_values=KOKUHO_INSIDE)
    assert face == "bottom"
    # 「郵便はがき」 is printed on the body's back (inner_4) and shows in the 8 mm strip above the address
    mark = [g for g in glyphs if g.text in "郵便はがき" and g.face == face and g.fy < 8]
    assert "".join(g.text for g in sorted(mark, key=lambda g: g.fx)) == "郵便はがき"
    assert all(g.side == "back" and 100 < g.x < 200 for g in mark)
    assert abs(sum(g.fx for g in mark) / len(mark) - 50) < 3  # centred on the face


def test_marks_and_bleed_move_the_sheet_on_the_page(senkyo_payload, pk):
    from lgforms.postal.profiles import with_marks

    prof = with_marks(load_profile("pressure-seal-V"), bleed=3)
    res = lgforms.render_result(pk.SENKYO, senkyo_payload, imposition="sheets", printer_profile=prof)
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(res.data)).pages[0]
    m = 3 + 12
    assert float(page.mediabox.width) / pk.MM == pytest.approx(210 + 2 * m, abs=0.01)
    assert [round(float(v) / pk.MM, 2) for v in page.trimbox] == [m, m, m + 210, m + 148]
    assert [round(float(v) / pk.MM, 2) for v in page.bleedbox] == [m - 3, m - 3, m + 213, m + 151]
    check_folded(res.data, prof, pk, address_values=["邉見　太郎"], outer_back_marker="期日前投票宣誓書",
                 inside_values=SENKYO_INSIDE, margin=m)
    content = page.get_contents().get_data().decode("latin-1")
    assert content.count(" re W n") == 2  # each panel clipped to its own area (+ bleed at the sheet edge)


def test_many_mailpieces_come_out_in_duplex_order(senkyo_payload, pk):
    payloads = []
    for i in range(3):
        p = dict(senkyo_payload, atena_name=f"邉見　太郎{'一二三'[i]}")
        payloads.append(p)
    res = lgforms.render_many(pk.SENKYO, payloads, imposition="sheets")
    assert res.pages == 6
    from pypdf import PdfReader

    texts = [p.extract_text() for p in PdfReader(io.BytesIO(res.data)).pages]
    for i in range(3):
        assert f"太郎{'一二三'[i]}" in texts[2 * i]  # front of sheet i: the address
        assert "投票所入場券" in texts[2 * i + 1]  # back of sheet i: the tickets
    panels = lgforms.render_many(pk.SENKYO, payloads)
    assert panels.pages == 12


def test_bleed_extends_edge_to_edge_fills_but_not_across_a_fold(senkyo_payload, pk):
    """With a bleed, a fill that reaches the sheet's edge is printed into the bleed (it would show a
    white hairline where the trim misses by a fraction of a millimetre); where its panel edge is a
    fold, it stops there and the neighbouring panel stays as it is."""
    from PIL import Image

    from lgforms.postal.profiles import with_marks

    prof = with_marks(load_profile("pressure-seal-V"), bleed=3)
    dpi, m = 100, 3 + 12  # the sheet sits at the margin: bleed + room for the marks
    png = lgforms.render(pk.SENKYO, senkyo_payload, imposition="sheets", printer_profile=prof, format="png",
                         page=2, dpi=dpi)
    im = Image.open(io.BytesIO(png)).convert("RGB")

    def at(x_mm: float, y_mm: float) -> tuple[int, int, int]:
        return im.getpixel((round((x_mm + m) * dpi / 25.4), round((y_mm + m) * dpi / 25.4)))

    def blue(c) -> bool:  # the guide panel's title band, [0.12, 0.33, 0.6]
        return c[2] > 120 and c[0] < 70 and c[1] < 110

    # the back of the sheet: inner_left (its title band along the top, from the left edge to the fold at
    # 105 mm) | inner_right (no band). The band reaches the sheet's top and left edges: into the bleed
    assert blue(at(50, 1)) and blue(at(50, -1.5)) and blue(at(-1.5, 5)) and blue(at(-1.5, -1.5))
    # … but not across the fold, and not where it does not reach an edge
    assert not blue(at(106.5, 5)) and not blue(at(106.5, -1.5))
    assert at(50, 149.5) == (255, 255, 255) and at(50, -2.9 - 1) == (255, 255, 255)  # beyond the bleed: paper
    # without a bleed nothing is drawn outside the sheet
    plain = with_marks(load_profile("pressure-seal-V"))
    png = lgforms.render(pk.SENKYO, senkyo_payload, imposition="sheets", printer_profile=plain, format="png",
                         page=2, dpi=dpi)
    im = Image.open(io.BytesIO(png)).convert("RGB")
    m = 12
    assert blue(at(50, 1)) and not blue(at(50, -1.5)) and not blue(at(-1.5, 5))
