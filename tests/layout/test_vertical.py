"""縦書き: columns top to bottom, right to left, vertical alternates from HarfBuzz `vert`,
and the text still copies out as written."""

from __future__ import annotations

import pytest

import lgforms
from lgforms.layout.boxes import PT, LaidOutPage
from lgforms.layout.text import MojiProblems, fit_text
from lgforms.moji.fonts import default_stacks
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter
from lgforms.spec.models import TextStyle

from pdfcheck import pypdf_pages

STACK = default_stacks()["mincho"]


def lay(text, box, **style):
    pr = MojiProblems()
    lines = fit_text(text, box, TextStyle(writing="vertical", **style), STACK, path="$.v", problems=pr)
    pr.raise_if_any()
    return lines


def test_one_column_top_to_bottom_with_vertical_alternates():
    lines = lay("「葛\U000E0102城ー」", (50, 10, 10, 60), size=10, valign="top")
    assert [l.text for l in lines] == ["「", "葛\U000E0102", "城", "ー", "」"]
    ys = [l.baseline for l in lines]
    assert all(b - a == pytest.approx(10 * PT) for a, b in zip(ys, ys[1:]))
    assert len({round(l.x + l.width / 2, 6) for l in lines}) == 1  # one column, centred
    names = {l.text: l.glyphs[0].font.glyph_names[l.glyphs[0].gid] for l in lines}
    horiz = {c: STACK.resolve(c).gid for c in ("「", "ー")}
    assert lines[0].glyphs[0].variant == "vert" and lines[0].glyphs[0].gid != horiz["「"]
    assert lines[3].glyphs[0].variant == "vert" and lines[3].glyphs[0].gid != horiz["ー"]
    assert names["葛\U000E0102"] == "mj022335"  # the IVS glyph stays the IVS glyph


def test_columns_go_right_to_left_with_kinsoku():
    lines = lay("あいうえお。かきくけこ", (0, 0, 30, 5 * 10 * PT + 0.01), size=10, fit="wrap", valign="top")
    cols: dict[float, str] = {}
    for l in lines:
        cols.setdefault(round(l.x + l.width / 2, 3), "")
        cols[round(l.x + l.width / 2, 3)] += l.text
    ordered = [cols[k] for k in sorted(cols, reverse=True)]
    assert ordered == ["あいうえ", "お。かき", "くけこ"]  # no 2-character last column


def test_overflow_names_the_field():
    with pytest.raises(lgforms.TextOverflow) as ei:
        lay("あ" * 50, (0, 0, 10, 40), size=10, fit="shrink", min_size=8)
    assert ei.value.path == "$.v"


def test_vertical_alternate_copies_out_as_the_character_and_keeps_horizontal_cid_apart():
    items = lay("「ー」", (100, 10, 10, 40), size=12)
    pr = MojiProblems()
    items += fit_text("「ー」", (10, 10, 60, 8), TextStyle(size=12), STACK, path=None, problems=pr)
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), [], items)], w)
    pdf = w.finish()
    ef = w._fonts[STACK.fonts[0]]
    assert ef.cid_of["ー"] != ef.cid_of[("ー", "vert")]
    text = pypdf_pages(pdf)[0]
    assert "「ー」" in text.replace("\n", "")


def test_tate_chu_yoko_sets_short_digit_runs_across_one_em():
    em = 10 * PT
    lines = lay("令和8年12月1日", (50, 10, 10, 100), size=10, valign="top", tcy=2)
    assert [l.text for l in lines] == ["令", "和", "8", "年", "12", "月", "1", "日"]
    twelve = next(l for l in lines if l.text == "12")
    month = next(l for l in lines if l.text == "月")
    assert month.baseline - twelve.baseline == pytest.approx(em)  # "12" takes one em, not two
    assert twelve.width * twelve.h_scale / 100 <= em + 1e-6  # squeezed into the column's em when wider
    # longer runs than tcy stay one digit per em, upright
    lines = lay("第123号", (50, 10, 10, 100), size=10, valign="top", tcy=2)
    assert [l.text for l in lines] == ["第", "1", "2", "3", "号"]
    # a three-digit run with tcy=3 is squeezed into one em
    three = next(l for l in lay("第123号", (50, 10, 10, 100), size=10, valign="top", tcy=3) if l.text == "123")
    assert three.h_scale < 100.0 and three.width * three.h_scale / 100 == pytest.approx(em, rel=1e-3)
