"""縦書き copies out a column as one line, with exactly the code points that went in.

A column is one text run in the font's Identity-V form (vertical metrics DW2 / W2), marked as a
``/Span`` with its ``/ActualText``. What each reader does with it (measured, poppler 22.12, pypdf 7):

* ``pdftotext`` (physical layout, what a viewer's copy uses) knows vertical writing: one line per
  column, columns right to left;
* ``pdftotext -raw`` does not (one character a line) but honours ActualText: one line per column;
* pypdf knows neither, but reads a column drawn as one ``Tj`` as one piece of text; it joins the
  columns of one element without a break and breaks a line where the text matrix moves inside a
  column (a 縦中横 run of 3–4 digits squeezed into one em);
* pdfminer reads the glyphs' ToUnicode one by one: every cluster is still its own code points.
"""

from __future__ import annotations

import io
import re
import zlib

import pytest

import lgforms
from lgforms.layout.boxes import LaidOutPage, StaticPart, FormRef
from lgforms.layout.text import MojiProblems, fit_text
from lgforms.moji.fonts import default_stacks
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter
from lgforms.spec.models import TextStyle

from pdfcheck import ROOT, load_sample, pdf_chars, pdftotext, pypdf_pages

STACK = default_stacks()["mincho"]
KATSU = "葛\U000E0102"  # 葛 + VS19 (IVS): the MJ glyph with 匂-style 曷
YOSHI = "\U00020BB7"  # 𠮷 (つちよし), outside the BMP
ADDRESS = f"東京都{KATSU}飾区{YOSHI}野町12番地の5\nみどり荘203号"  # 住所 and 方書
NAME = f"{KATSU}西　{YOSHI}男"


def lay(text, box, **style):
    pr = MojiProblems()
    lines = fit_text(text, box, TextStyle(writing="vertical", **style), STACK, path="$.v", problems=pr)
    pr.raise_if_any()
    return lines


def columns(lines) -> list[str]:
    """The laid-out columns' text, right to left (what the layout put in each column)."""
    cols: list = []
    for ln in lines:
        if ln.column not in cols:
            cols.append(ln.column)
    return ["".join(x.text for x in c.lines) for c in cols]


def _clusters(text: str) -> list[str]:
    return [c for c in re.findall(r".[\U000E0100-\U000E01EF]?", text)]


def write(items, statics=()) -> bytes:
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), list(statics), items)], w)
    return w.finish()


def text_lines(out: str) -> list[str]:
    return [ln for ln in out.replace("\f", "").split("\n") if ln.strip()]


@pytest.fixture(scope="module")
def address_and_name():
    addr = lay(ADDRESS, (170, 20, 22, 70), size=11, fit="wrap", valign="top", tcy=2)
    name = lay(NAME, (140, 20, 12, 70), size=14, valign="top")
    cols = columns(addr) + columns(name)
    pr = MojiProblems()
    label = fit_text("住所・氏名", (20, 20, 60, 8), TextStyle(size=10), STACK, path=None, problems=pr)
    return write(label + addr + name), cols


def test_layout_puts_the_address_in_two_columns_and_the_name_in_one(address_and_name):
    _, cols = address_and_name
    assert cols == [f"東京都{KATSU}飾区{YOSHI}野町12番地の5", "みどり荘203号", NAME]


def test_pdftotext_gives_each_column_as_one_line_with_its_exact_code_points(address_and_name):
    pdf, cols = address_and_name
    for args in ((), ("-raw",)):  # -raw: by the ActualText of each column
        lines = text_lines(pdftotext(pdf, *args))
        assert "住所・氏名" in lines
        # right to left, IVS and non-BMP kept, 縦中横 in place
        assert [ln for ln in lines if ln != "住所・氏名"] == cols


def test_pypdf_reads_each_column_in_one_piece(address_and_name):
    pdf, cols = address_and_name
    label, got = pypdf_pages(pdf)[0].split("\n")
    # columns that start at one height run together (pypdf has no vertical writing), right to
    # left; nothing is split inside a column, nothing added or lost
    assert label == "住所・氏名" and got == "".join(cols)


def test_glyph_level_tounicode_is_still_exact(address_and_name):
    pdf, cols = address_and_name
    chars = [c[0] for c in pdf_chars(pdf)[0]]
    # pdfminer: glyph by glyph (its own order), no ActualText: each glyph is its cluster's code
    # points — the IVS glyph copies out as 葛 + VS19, 𠮷 as one non-BMP character
    want = list("住所・氏名") + [cl for col in cols for cl in _clusters(col)]
    assert sorted(chars) == sorted(want)
    assert KATSU in chars and YOSHI in chars


def test_a_column_is_one_identity_v_run_marked_with_its_actual_text(address_and_name):
    pdf, cols = address_and_name
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    code = page.get_contents().get_data().decode("latin-1")
    spans = re.findall(r"/Span << /ActualText <FEFF([0-9A-F]+)> >> BDC BT (.*?) ET EMC", code)
    assert [bytes.fromhex(t).decode("utf-16-be") for t, _ in spans] == cols
    fonts = {k: v.get_object() for k, v in page["/Resources"]["/Font"].items()}
    for _, ops in spans:
        assert ops.count(" Tj") == 1  # one font, 縦中横 of two half-width digits: one string
        (name,) = re.findall(r"/(\w+) [\d.]+ Tf", ops)
        assert fonts["/" + name]["/Encoding"] == "/Identity-V"
        desc = fonts["/" + name]["/DescendantFonts"][0].get_object()
        assert desc["/DW2"][1] == -1000  # one em down per glyph
    # the horizontal and vertical fonts share one CIDFont (same CIDs, glyphs and ToUnicode)
    descs = {id(f["/DescendantFonts"][0].get_object()) for f in fonts.values()}
    assert len(fonts) == 2 and len(descs) == 1


def test_the_file_declares_pdf_1_5_for_actual_text(address_and_name):
    pdf, _ = address_and_name
    assert pdf.startswith(b"%PDF-1.5\n")
    from pypdf import PdfReader

    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Version"] == "/1.5"


def test_tate_chu_yoko_of_three_digits_copies_out_in_order():
    text = f"令和8年12月1日　第123号{YOSHI}"
    lines = lay(text, (100, 20, 12, 120), size=10, valign="top", tcy=3)
    assert [ln.text for ln in lines if len(ln.clusters) > 1] == ["12", "123"]
    pdf = write(lines)
    assert text_lines(pdftotext(pdf)) == [text]
    assert text_lines(pdftotext(pdf, "-raw")) == [text]
    # pypdf breaks the line where the squeezed run moves the text matrix, keeping every code point
    assert pypdf_pages(pdf)[0].replace("\n", "") == text


def test_vertical_text_in_a_static_form_xobject_keeps_marked_content_balanced():
    label = lay("入場券", (100, 20, 10, 40), size=9, valign="top")
    var = lay(NAME, (80, 20, 12, 70), size=14, valign="top")
    pdf = write([FormRef("lg.test.static")] + var, [StaticPart("lg.test.static", label)])
    streams = [zlib.decompress(m) for m in re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S)
               if m[:1] == b"x"]
    contents = [s.decode("latin-1") for s in streams if b" Tf " in s or b"Do" in s]
    assert len(contents) == 2  # the Form XObject and the page
    for c in contents:
        depth = 0
        for op in re.findall(r"\b(BDC|EMC)\b", c):
            depth += 1 if op == "BDC" else -1
            assert depth >= 0
        assert depth == 0 and c.count("BDC") == 1
    assert text_lines(pdftotext(pdf)) == ["入場券", NAME]


def test_the_nyujoken_band_copies_out_as_one_word():
    """The 投票所入場券's vertical 「入場券」 band (a static part of every ticket), drawn through
    the pressure-seal imposition."""
    payload = load_sample(ROOT / "forms/senkyo/senkyo_nyujoken_atchaku/samples/nyujoken_3nin.json")
    pdf = lgforms.render("senkyo_nyujoken_atchaku", payload)
    for args in ((), ("-raw",)):
        lines = text_lines(pdftotext(pdf, *args))
        assert lines.count("入場券") == len(payload["voters"])
        assert not {"入", "場", "券"} & set(lines)
    assert "入場券" in pypdf_pages(pdf)[3].split("\n")


def test_the_press_writer_gives_the_same_text_layer(tmp_path):
    """The batch's N-up press sheets (a second drawing path: mailpieces imposed as cells of a
    sheet) copy out every ticket's band as one word too."""
    from batchdata import SENKYO, senkyo_households, write_jsonl

    from lgforms.batch import BatchOptions, LocalExecutor, create_job, open_store, run_job

    households = senkyo_households(4)
    src = write_jsonl(tmp_path / "in.jsonl", households)
    store = open_store(tmp_path / "b.db")
    job = create_job(store, BatchOptions(SENKYO, str(src), str(tmp_path / "out"), imposition="press",
                                         printer_profile="pressure-seal-V-press"))
    summary = run_job(store, job, LocalExecutor(0), progress=False)
    assert summary["rejected"] == 0
    pdf = (tmp_path / "out" / "part-0001.pdf").read_bytes()
    voters = sum(len(h["voters"]) for h in households)
    for args in ((), ("-raw",)):
        lines = text_lines(pdftotext(pdf, *args))
        assert lines.count("入場券") == voters
        assert not {"入", "場", "券"} & set(lines)


def test_a_column_that_fills_the_font_continues_in_a_fresh_vertical_font():
    lines = lay(NAME, (80, 20, 12, 70), size=14, valign="top")
    w = PdfWriter(page_size_mm=(210, 297))
    ef = w.embedded(lines[0].glyphs[0].font)
    g = lines[0].glyphs[0]
    while len(ef.gids) < 0xFFFF:  # 65,534 other clusters already in the document's font
        ef.cid(f"\x00{len(ef.gids)}", g.gid, g.advance)
    draw_pages([LaidOutPage((210, 297), [], lines)], w)
    pdf = w.finish()
    assert w._fonts[g.font] is not ef and w._fonts[g.font].vertical
    assert text_lines(pdftotext(pdf)) == [NAME]
    assert pypdf_pages(pdf)[0] == NAME
