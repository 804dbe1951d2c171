"""A horizontal line drawn through the writer's fonts (layout.boxes.TextLine): a line whose glyphs
come from several fonts (a tenant's 外字 font before IPAmj, a fallback) is one text object that
switches fonts run by run, and a line that meets a full font (65,535 CIDs) goes on in a fresh one.
Read back with poppler (pdftotext), pypdf and fontTools: the text copies out as written and each run
is drawn with its own font's glyph."""

from __future__ import annotations

import io
import re

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lgforms.layout.boxes import LaidOutPage, TextLine
from lgforms.moji.fonts import Glyph, default_stacks
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter

from pdfcheck import font_cmaps, pdftotext, pypdf_pages

MJ = default_stacks()["mincho"].fonts[0].ensure_loaded()  # IPAmj明朝
EX = default_stacks()["gothic"].fonts[0].ensure_loaded()  # IPAexゴシック


def glyph(font, ch: str) -> Glyph:
    gid = font.cmap[ord(ch)]
    return Glyph(font, gid, font.advances[gid])


def line(parts: list[tuple[object, str]], y: float = 20.0) -> TextLine:
    clusters = [c for _, c in parts]
    glyphs = [glyph(f, c) for f, c in parts]
    width = sum(g.advance for g in glyphs) * 12 / 1000 * 25.4 / 72
    return TextLine(10.0, y, 12.0, clusters, glyphs, width)


def draw(lines: list[TextLine], w: PdfWriter | None = None) -> bytes:
    w = w or PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), [], lines)], w)
    return w.finish()


def fill(w: PdfWriter, font, left: int) -> None:
    """Use up the document's CIDs of ``font`` but ``left``."""
    ef = w.embedded(font)
    g = glyph(font, "一")
    while 0xFFFF - (len(ef.gids) - 1) - (0x800 if len(ef.gids) <= 0xD800 else 0) > left:
        ef.cid(f"\x00{len(ef.gids)}", g.gid, g.advance)


def runs(pdf: bytes) -> list[tuple[str, str]]:
    """(BaseFont without its subset tag, text) of each Tj of the page, in order, by the fonts' ToUnicode."""
    r = PdfReader(io.BytesIO(pdf))
    fonts = {str(k)[1:]: v.get_object() for k, v in r.pages[0]["/Resources"]["/Font"].items()}
    maps = {}
    for name, f in fonts.items():
        cmap = f["/ToUnicode"].get_object().get_data().decode("ascii")
        body = "\n".join(re.findall(r"beginbfchar\n(.*?)\nendbfchar", cmap, re.S))
        maps[name] = {k: bytes.fromhex(v).decode("utf-16-be") for k, v in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", body)}
    content = r.pages[0].get_contents().get_data().decode("latin-1")
    out = []
    for name, hexes in re.findall(r"/(\w+) [0-9.]+ Tf <([0-9A-F]+)> Tj", content):
        text = "".join(maps[name][hexes[i:i + 4]] for i in range(0, len(hexes), 4))
        out.append((str(fonts[name]["/BaseFont"]).split("+")[1], text))
    return out


def test_a_line_of_two_fonts_is_one_text_object_switching_fonts_run_by_run():
    pdf = draw([line([(MJ, "髙"), (MJ, "橋"), (EX, "太"), (EX, "郎"), (MJ, "様")])])
    assert runs(pdf) == [("IPAmjMincho", "髙橋"), ("IPAexGothic", "太郎"), ("IPAmjMincho", "様")]
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert content.count("BT") == 1 and content.count(" Tf ") == 3
    assert pdftotext(pdf).strip() == "髙橋太郎様"
    assert pypdf_pages(pdf)[0] == "髙橋太郎様"


def test_each_run_draws_its_own_font_s_glyph():
    pdf = draw([line([(EX, "太"), (MJ, "太")])])
    r = PdfReader(io.BytesIO(pdf))
    for f in r.pages[0]["/Resources"]["/Font"].values():
        f = f.get_object()
        cid = f["/DescendantFonts"][0].get_object()
        orig, cmap, _ = font_cmaps(str(f["/BaseFont"]).split("+")[1])
        sub = TTFont(io.BytesIO(cid["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()))
        c2g = cid["/CIDToGIDMap"].get_object().get_data()
        new = int.from_bytes(c2g[2:4], "big")  # CID 1: 太
        assert sub["glyf"][sub.getGlyphOrder()[new]].coordinates == orig["glyf"][cmap[ord("太")]].coordinates


def test_a_line_that_meets_a_full_font_goes_on_in_a_fresh_one():
    w = PdfWriter(page_size_mm=(210, 297))
    fill(w, MJ, 1)  # one CID left
    pdf = draw([line([(MJ, "髙"), (MJ, "橋")])], w)
    # the whole line in the fresh font (a line is encoded whole or not at all)
    assert [t for _, t in runs(pdf)] == ["髙橋"]
    assert pdftotext(pdf).strip() == "髙橋" and pypdf_pages(pdf)[0] == "髙橋"
    assert len(w._all_fonts) == 2 and w._all_fonts[1].texts == ["", "髙", "橋"]


def test_a_line_of_two_fonts_that_fills_one_goes_on_in_a_fresh_font_mid_line():
    w = PdfWriter(page_size_mm=(210, 297))
    fill(w, MJ, 1)
    pdf = draw([line([(MJ, "髙"), (EX, "太"), (MJ, "橋"), (MJ, "様")])], w)
    assert [t for _, t in runs(pdf)] == ["髙", "太", "橋様"]
    assert pdftotext(pdf).strip() == "髙太橋様" and pypdf_pages(pdf)[0] == "髙太橋様"
    mj = [ef for ef in w._all_fonts if ef.font is MJ]
    assert len(mj) == 2 and mj[0].texts[-1] == "髙" and mj[1].texts == ["", "橋", "様"]


# A fitted line is shared by every record that shows the same text in the same box (layout.text's
# cache) and keeps the operators of its last draw (TextLine._drawn): drawn again into the same font
# object they are written again as they are; into another document (another font object, other
# CIDs) or a fresh font they are worked out anew.

def test_a_line_drawn_twice_in_one_document_copies_out_twice_with_the_same_cids():
    shared = line([(MJ, "葛"), (MJ, "城")])
    w = PdfWriter(page_size_mm=(210, 297))
    pdf = draw([shared, line([(MJ, "様")], y=40.0), shared], w)
    assert runs(pdf) == [("IPAmjMincho", "葛城"), ("IPAmjMincho", "様"), ("IPAmjMincho", "葛城")]
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    ops = [op for op in content.split("\n") if "Tj" in op]
    assert ops[0] == ops[2] and "<00010002> Tj" in ops[0]  # CIDs 1 and 2, the document's first


def test_a_line_drawn_before_into_another_document_gets_that_document_s_cids():
    shared = line([(MJ, "葛"), (MJ, "城")])
    draw([shared])  # document A: 葛 = CID 1, 城 = CID 2
    w = PdfWriter(page_size_mm=(210, 297))
    pdf = draw([line([(MJ, "城")], y=40.0), shared], w)  # document B: 城 = CID 1, 葛 = CID 2
    assert runs(pdf) == [("IPAmjMincho", "城"), ("IPAmjMincho", "葛城")]
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert "<00020001> Tj" in content
    assert pdftotext(pdf).split() == ["葛城", "城"]  # top to bottom


def test_a_line_drawn_again_on_a_page_of_another_height_is_placed_from_that_page_s_top():
    shared = line([(MJ, "様")], y=20.0)
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), [], [shared]), LaidOutPage((100, 148), [], [shared])], w)
    pdf = w.finish()
    r = PdfReader(io.BytesIO(pdf))
    ys = [float(re.search(r"1 0 0 1 [0-9.]+ ([0-9.]+) Tm", p.get_contents().get_data().decode("latin-1")).group(1))
          for p in r.pages]
    mm = 72 / 25.4
    assert ys == [round((297 - 20) * mm, 2), round((148 - 20) * mm, 2)]


def test_a_line_drawn_again_after_its_font_filled_up_goes_into_the_fresh_font():
    shared = line([(MJ, "髙"), (MJ, "橋")])
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), [], [shared])], w)  # into the first IPAmj font object
    w.embedded(MJ, fresh=True)  # as a later line that met a full font does
    draw_pages([LaidOutPage((210, 297), [], [shared])], w)
    pdf = w.finish()
    r = PdfReader(io.BytesIO(pdf))
    names = [re.search(r"/(\w+) [0-9.]+ Tf", p.get_contents().get_data().decode("latin-1")).group(1) for p in r.pages]
    assert names == ["LGF1", "LGF2"]
    assert [ef.texts for ef in w._all_fonts] == [["", "髙", "橋"], ["", "髙", "橋"]]
    assert pypdf_pages(pdf) == ["髙橋", "髙橋"]


def test_a_drawn_line_does_not_keep_its_document_s_fonts_alive():
    """A fitted line lives in layout.text's cache for many documents: what it remembers of its last
    draw must not hold that document's font objects (their CID tables, hex strings) in memory."""
    import gc
    import weakref

    shared = line([(MJ, "葛"), (MJ, "城")])
    w = PdfWriter(page_size_mm=(210, 297))
    draw([shared], w)
    gone = weakref.ref(w.embedded(MJ))
    del w
    gc.collect()
    assert shared._drawn is not None and gone() is None


def test_a_vertical_column_must_say_where_it_starts():
    """``vertical_text``'s first piece carries its position (the layout always gives it): one
    without would print the column at the page's corner, so the writer refuses it."""
    import pytest

    w = PdfWriter(page_size_mm=(210.0, 297.0))
    ef = w.embedded(MJ)
    with pytest.raises(ValueError, match="the first piece needs its position"):
        w.vertical_text(10.0, [(ef, "0001", None)], "一")
