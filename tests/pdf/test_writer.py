"""The PDF writer (lgforms.pdf.writer.PdfWriter), read back with tools that are not lgforms:
pypdf (the page tree, dictionaries, and every content-stream operator with its operands),
``qpdf --check`` and a cross-reference table walked by hand (every offset lands on its ``N 0 obj``),
poppler (``pdftotext``) and fontTools for the font's own numbers. Expected positions are computed
here from first principles: 1 mm = 72/25.4 pt, PDF y measured from the bottom of the page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from lgforms.errors import LgformsError
from lgforms.limits import deadline_scope
from lgforms.moji.fonts import FontFile
from lgforms.pdf import writer as writer_module
from lgforms.pdf.writer import PdfWriter

from pdfcheck import pdftotext, placements, strokes

FONTS = Path(__file__).resolve().parents[2] / "fonts"
MM = 72.0 / 25.4
PT = 0.006  # numbers are written to 1/100 pt: within half of that, plus float noise


# -- independent readers ---------------------------------------------------------------------
def _op(op: bytes) -> str:
    # ``F`` is the same operator as ``f`` (ISO 32000-1, table 60: kept for compatibility)
    return "f" if op == b"F" else op.decode("latin-1")


def operations(pdf: bytes, page: int = 1) -> list[tuple[str, list]]:
    """(operator, operands) of a page's content stream, as pypdf parses it."""
    reader = PdfReader(io.BytesIO(pdf))
    pg = reader.pages[page - 1]
    return [(_op(op), list(operands)) for operands, op in ContentStream(pg.get_contents(), reader).operations]


def form_operations(xobject, reader) -> list[tuple[str, list]]:
    return [(_op(op), list(operands)) for operands, op in ContentStream(xobject, reader).operations]


def nums(operands) -> list[float]:
    return [float(v) for v in operands]


def ops_named(ops, *names) -> list[list]:
    return [operands for op, operands in ops if op in names]


def qpdf_check(pdf: bytes, tmp_path: Path) -> None:
    exe = shutil.which("qpdf")
    if exe is None:
        pytest.fail("qpdf is required for the writer's structure tests")
    f = tmp_path / "check.pdf"
    f.write_bytes(pdf)
    r = subprocess.run([exe, "--check", str(f)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No syntax or stream encoding errors found" in r.stdout, r.stdout
    assert "WARNING" not in r.stdout + r.stderr, r.stdout + r.stderr


def xref_entries(pdf: bytes) -> tuple[int, list[int], dict]:
    """(count, in-use offsets, trailer text) read by hand from the xref table ``startxref`` names."""
    m = re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf)
    assert m, pdf[-60:]
    at = int(m.group(1))
    assert pdf[at:at + 5] == b"xref\n"
    head = re.match(rb"xref\n0 (\d+)\n", pdf[at:])
    n = int(head.group(1))
    rows = pdf[at + head.end():at + head.end() + 20 * n]
    entries = [rows[20 * i:20 * i + 20] for i in range(n)]
    assert entries[0] == b"0000000000 65535 f \n"
    offsets = []
    for e in entries[1:]:
        assert re.fullmatch(rb"\d{10} 00000 n \n", e), e
        offsets.append(int(e[:10]))
    trailer = pdf[at + head.end() + 20 * n:]
    return n, offsets, trailer


def assert_well_formed(pdf: bytes, tmp_path: Path) -> None:
    qpdf_check(pdf, tmp_path)
    n, offsets, trailer = xref_entries(pdf)
    for num, off in enumerate(offsets, start=1):
        assert pdf[off:].startswith(b"%d 0 obj\n" % num), (num, pdf[off:off + 20])
    assert re.search(rb"/Size %d\b" % n, trailer)
    assert n == len(re.findall(rb"(?m)^\d+ 0 obj$", pdf)) + 1


def string_bytes(o) -> bytes:
    """A PDF string's bytes (pypdf reads a hex string as text or as bytes)."""
    return o.original_bytes if hasattr(o, "original_bytes") else bytes(o)


def header(pdf: bytes) -> bytes:
    return pdf[:8]


# -- inputs ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gothic():
    return FontFile(FONTS / "ipaexg.ttf")


@pytest.fixture(scope="module")
def cmap_gid():
    from fontTools.ttLib import TTFont

    tt = TTFont(str(FONTS / "ipaexg.ttf"), lazy=True)
    cmap = tt["cmap"].getBestCmap()
    order = tt.getGlyphOrder()
    upem = tt["head"].unitsPerEm
    head = tt["head"]
    gid = {ch: order.index(cmap[ord(ch)]) for ch in "AB12縦"}
    return gid, [v * 1000.0 / upem for v in (head.xMin, head.yMin, head.xMax, head.yMax)]


def hexes(ef, gid, text: str) -> str:
    return "".join("%04X" % ef.cid(ch, gid[ch], 1000.0) for ch in text)


def png(mode: str = "RGB", size=(4, 2)) -> bytes:
    from PIL import Image

    im = Image.new(mode, size, (10, 20, 30, 128) if mode == "RGBA" else (10, 20, 30))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def one(draw, page=(100.0, 80.0), **kw) -> bytes:
    w = PdfWriter(page_size_mm=page, **kw)
    draw(w)
    w.show_page()
    return w.finish()


def y_pt(page_h_mm: float, y_mm: float) -> float:
    return (page_h_mm - y_mm) * MM


# -- document structure ------------------------------------------------------------------------
def test_a_document_has_a_consistent_xref_table_every_offset_on_its_object(tmp_path, gothic, cmap_gid):
    gid, _ = cmap_gid
    w = PdfWriter(page_size_mm=(100, 80), title="t", author="a")
    ef = w.embedded(gothic)
    w.text(10, 20, 12, [(ef, hexes(ef, gid, "AB"))])
    w.begin_form("bg")
    w.rect(5, 5, 10, 10, fill=(1.0, 0.0, 0.0), stroke_width=None)
    w.end_form("bg")
    w.use_form("bg")
    w.image(png(), 1, 1, 4, 2)
    w.show_page()
    w.line(0, 0, 10, 10)
    w.show_page()
    pdf = w.finish()
    assert_well_formed(pdf, tmp_path)
    assert header(pdf) == b"%PDF-1.3"
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "AB" in pdftotext(pdf)


def test_an_empty_document_still_has_one_blank_page(tmp_path):
    w = PdfWriter(page_size_mm=(25.4, 50.8))
    pdf = w.finish()
    assert_well_formed(pdf, tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert [float(v) for v in reader.pages[0].mediabox] == [0, 0, 72, 144]
    assert w.pages == 1


def test_the_page_count_counts_each_page_once():
    w = PdfWriter(page_size_mm=(100, 80))
    assert w.pages == 0
    for n in (1, 2, 3):
        w.show_page()
        assert w.pages == n
    assert len(PdfReader(io.BytesIO(w.finish())).pages) == 3
    assert w.pages == 3


def test_page_boxes_are_exact_to_a_ten_thousandth_of_a_point_without_trailing_zeros(tmp_path):
    w = PdfWriter(page_size_mm=(25.4, 50.8))  # 72 × 144 pt exactly
    w.show_page()
    w.set_page_size(210, 297)  # A4: 595.2756 × 841.8898 pt
    w.show_page()
    w.set_page_size(0.254, 2.54)  # 0.72 × 7.2 pt
    w.show_page()
    pdf = w.finish()
    assert_well_formed(pdf, tmp_path)
    boxes = re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)
    assert boxes == [b"0 0 72 144", b"0 0 595.2756 841.8898", b"0 0 0.72 7.2"]
    reader = PdfReader(io.BytesIO(pdf))
    a4 = reader.pages[1].mediabox
    assert float(a4.width) == pytest.approx(210 * 72 / 25.4, abs=0.00005)
    assert float(a4.height) == pytest.approx(297 * 72 / 25.4, abs=0.00005)
    for p in reader.pages:
        assert "/TrimBox" not in p and "/BleedBox" not in p


def test_trim_and_bleed_boxes_apply_to_the_pages_that_follow_until_cleared(tmp_path):
    w = PdfWriter(page_size_mm=(100, 80))
    w.show_page()
    w.set_boxes((8.5, 8.5, 291.46, 235.28), (5.67, 5.67, 294.29, 238.11))
    w.show_page()
    w.set_boxes((8.5, 8.5, 291.46, 235.28), None)
    w.show_page()
    w.set_boxes(None, (1.0, 2.0, 3.0, 4.0))
    w.show_page()
    w.set_boxes(None, None)
    w.show_page()
    pdf = w.finish()
    assert_well_formed(pdf, tmp_path)
    pages = PdfReader(io.BytesIO(pdf)).pages

    def box(p, key):
        return [float(v) for v in p[key]] if key in p else None

    assert [(box(p, "/TrimBox"), box(p, "/BleedBox")) for p in pages] == [
        (None, None),
        ([8.5, 8.5, 291.46, 235.28], [5.67, 5.67, 294.29, 238.11]),
        ([8.5, 8.5, 291.46, 235.28], None),
        (None, [1.0, 2.0, 3.0, 4.0]),
        (None, None),
    ]
    assert b"/TrimBox [8.5 8.5 291.46 235.28] /BleedBox [5.67 5.67 294.29 238.11]" in pdf


def test_trim_and_bleed_boxes_keep_the_precision_of_the_media_box():
    """A TrimBox worked out from the page size (a 3 mm bleed on A4) is written to 1/10,000 pt,
    like the MediaBox: rounded to 1/100 pt it would lie up to 0.005 pt off the trimmed page."""
    w = PdfWriter(page_size_mm=(216, 303))
    mm = 72 / 25.4
    w.set_boxes((3 * mm, 3 * mm, 213 * mm, 300 * mm), (0.0, 0.0, 216 * mm, 303 * mm))
    w.show_page()
    pdf = w.finish()
    assert b"/TrimBox [8.5039 8.5039 603.7795 850.3937] /BleedBox [0 0 612.2835 858.8976]" in pdf
    assert b"/MediaBox [0 0 612.2835 858.8976]" in pdf


def test_the_info_dictionary_names_the_producer_and_dates_in_utc(monkeypatch, tmp_path):
    # a machine set to Japan time still writes UTC (+00'00' says so)
    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    try:
        before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        pdf = PdfWriter(page_size_mm=(100, 80)).finish()
        after = dt.datetime.now(dt.timezone.utc)
    finally:
        monkeypatch.undo()  # the caller's TZ back, whatever it was
        time.tzset()
    assert_well_formed(pdf, tmp_path)
    info = PdfReader(io.BytesIO(pdf)).trailer["/Info"].get_object()
    assert info["/Producer"] == "lgforms" and info["/Creator"] == "lgforms"
    assert "/Title" not in info and "/Author" not in info
    created = info["/CreationDate"]
    assert info["/ModDate"] == created
    m = re.fullmatch(r"D:(\d{14})\+00'00'", created)
    assert m, created
    when = dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
    assert before - dt.timedelta(seconds=1) <= when <= after


def test_title_and_author_are_pdf_text_strings(tmp_path):
    title = "Kofu (A) \\ B"
    author = "甲府市役所 市民課"
    pdf = PdfWriter(page_size_mm=(100, 80), title=title, author=author).finish()
    assert_well_formed(pdf, tmp_path)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == title and meta.author == author
    # printable ASCII stays a literal string (( ) \ escaped), anything else UTF-16BE with its BOM
    assert b"/Title (Kofu \\(A\\) \\\\ B)" in pdf
    utf16 = author.encode("utf-16-be").hex()
    m = re.search(rb"/Author <([0-9A-Fa-f]+)>", pdf)
    assert m and m.group(1).lower() == b"feff" + utf16.encode()


def test_a_title_with_a_space_or_a_delete_character(tmp_path):
    pdf = PdfWriter(page_size_mm=(100, 80), title="Notice 2026").finish()
    assert b"/Title (Notice 2026)" in pdf
    # U+007F is not a PDFDocEncoding character: only UTF-16 keeps it
    pdf = PdfWriter(page_size_mm=(100, 80), title="a\x7fb", author="x").finish()
    assert_well_formed(pdf, tmp_path)
    assert PdfReader(io.BytesIO(pdf)).metadata.title == "a\x7fb"
    assert re.search(rb"/Title <(?i:feff0061007f0062)>", pdf)


def test_deterministic_documents_repeat_byte_for_byte_with_a_fixed_date(tmp_path, gothic, cmap_gid):
    gid, _ = cmap_gid

    def doc(label: str) -> bytes:
        w = PdfWriter(page_size_mm=(100, 80), title="t", deterministic=True)
        ef = w.embedded(gothic)
        w.text(10, 20, 12, [(ef, hexes(ef, gid, label))])
        w.show_page()
        return w.finish()

    a, b, c = doc("AB"), doc("AB"), doc("BA")
    assert a == b
    assert_well_formed(a, tmp_path)
    info = PdfReader(io.BytesIO(a)).trailer["/Info"].get_object()
    assert info["/CreationDate"] == "D:20000101000000+00'00'" == info["/ModDate"]
    ida, idc = PdfReader(io.BytesIO(a)).trailer["/ID"], PdfReader(io.BytesIO(c)).trailer["/ID"]
    assert len(string_bytes(ida[0])) == 16 and string_bytes(ida[0]) == string_bytes(ida[1])
    assert string_bytes(ida[0]) != string_bytes(idc[0])
    # derived from the content: the MD5 of everything written before the xref table
    xref_at = int(re.search(rb"startxref\n(\d+)\n", a).group(1))
    assert string_bytes(ida[0]) == hashlib.md5(a[:xref_at]).digest()


def test_documents_are_not_deterministic_by_default_each_gets_a_fresh_random_id():
    ids = []
    for _ in range(2):
        pdf = PdfWriter(page_size_mm=(100, 80)).finish()
        ident = PdfReader(io.BytesIO(pdf)).trailer["/ID"]
        assert len(string_bytes(ident[0])) == 16 and string_bytes(ident[0]) == string_bytes(ident[1])
        ids.append(string_bytes(ident[0]))
    assert ids[0] != ids[1]
    assert ids[0] != hashlib.md5(b"").digest()


def test_finish_returns_the_bytes_in_memory_and_nothing_when_writing_to_a_file(tmp_path):
    out = io.BytesIO()
    w = PdfWriter(page_size_mm=(100, 80), out=out, deterministic=True)
    assert w.finish() == b""
    mem = PdfWriter(page_size_mm=(100, 80), deterministic=True).finish()
    assert out.getvalue() == mem
    with open(tmp_path / "a.pdf", "wb") as f:
        assert PdfWriter(page_size_mm=(100, 80), out=f).finish() == b""
    assert_well_formed((tmp_path / "a.pdf").read_bytes(), tmp_path)


class _Pipe(io.RawIOBase):
    """A write-only stream that cannot seek (a pipe, a socket)."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)


def test_a_stream_that_cannot_seek_keeps_the_1_3_header_and_the_catalog_states_the_version(tmp_path, gothic,
                                                                                           cmap_gid):
    gid, _ = cmap_gid
    out = _Pipe()
    w = PdfWriter(page_size_mm=(100, 80), out=out)
    ef = w.embedded(gothic)
    w.vertical_text(12, [(ef, hexes(ef, gid, "縦"), (50, 10, 100.0))], "縦")
    w.show_page()
    assert w.finish() == b""
    pdf = bytes(out.data)
    assert_well_formed(pdf, tmp_path)
    assert header(pdf) == b"%PDF-1.3"
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Version"] == "/1.5"


def test_vertical_text_makes_the_file_pdf_1_5_also_in_a_file(tmp_path, gothic, cmap_gid):
    gid, _ = cmap_gid
    with open(tmp_path / "v.pdf", "wb") as f:
        f.write(b"")  # the document starts at offset 0 of a fresh file
        w = PdfWriter(page_size_mm=(100, 80), out=f)
        ef = w.embedded(gothic)
        w.vertical_text(12, [(ef, hexes(ef, gid, "縦"), (50, 10, 100.0))], "縦")
        w.show_page()
        w.finish()
    pdf = (tmp_path / "v.pdf").read_bytes()
    assert_well_formed(pdf, tmp_path)
    assert header(pdf) == b"%PDF-1.5"
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Version"] == "/1.5"


def test_a_soft_masked_image_makes_the_file_pdf_1_4_and_a_plain_one_stays_1_3(tmp_path):
    pdf = one(lambda w: w.image(png("RGBA"), 10, 10, 8, 4))
    assert_well_formed(pdf, tmp_path)
    assert header(pdf) == b"%PDF-1.4"
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Version"] == "/1.4"
    pdf = one(lambda w: w.image(png("RGB"), 10, 10, 8, 4))
    assert header(pdf) == b"%PDF-1.3"
    assert "/Version" not in PdfReader(io.BytesIO(pdf)).trailer["/Root"]


def test_close_checks_the_render_deadline_naming_the_write_stage():
    w = PdfWriter(page_size_mm=(100, 80))
    w.show_page()
    with deadline_scope(time.perf_counter() - 1):
        with pytest.raises(LgformsError) as ei:
            w.finish()
    assert ei.value.message == "render time limit reached during write"
    assert ei.value.detail == {"stage": "write"}


def test_close_checks_the_deadline_again_before_each_font_subset(monkeypatch, gothic, cmap_gid):
    gid, _ = cmap_gid
    stages = []
    real = writer_module.check_deadline
    monkeypatch.setattr(writer_module, "check_deadline", lambda stage: (stages.append(stage), real(stage)))
    w = PdfWriter(page_size_mm=(100, 80))
    for _ in range(2):
        ef = w.embedded(gothic, fresh=True)
        w.text(10, 20, 12, [(ef, hexes(ef, gid, "A"))])
    w.show_page()
    w.finish()
    assert stages == ["write", "write", "write"]  # before everything, then once per font


def test_closing_with_a_form_not_ended_raises_naming_the_innermost_form():
    w = PdfWriter(page_size_mm=(100, 80))
    w.begin_form("outer")
    w.begin_form("inner")
    with pytest.raises(RuntimeError, match=r"^form inner was not ended$"):
        w.finish()
    w = PdfWriter(page_size_mm=(100, 80))
    w.begin_form("only")
    with pytest.raises(RuntimeError, match=r"^form only was not ended$"):
        w.finish()


def test_ending_a_form_other_than_the_one_begun_fails_and_registers_nothing():
    w = PdfWriter(page_size_mm=(100, 80))
    w.begin_form("a")
    before = w._pos
    with pytest.raises(RuntimeError, match=r"^end_form\('b'\): the form being drawn is 'a'$"):
        w.end_form("b")
    assert not w.has_form("b") and w._pos == before  # nothing written
    w.end_form("a")
    assert w.has_form("a")
    with pytest.raises(RuntimeError, match=r"^end_form\('x'\): the form being drawn is None$"):
        w.end_form("x")
    assert not w.has_form("x")


def test_closing_twice_writes_the_document_once(tmp_path):
    w = PdfWriter(page_size_mm=(100, 80))
    w.rect(10, 10, 20, 20)
    pdf = w.finish()
    assert w.finish() == pdf and pdf.count(b"%%EOF") == 1
    assert_well_formed(pdf, tmp_path)


# -- resources and forms -----------------------------------------------------------------------
def test_each_page_and_form_lists_exactly_the_fonts_and_xobjects_it_uses(tmp_path, gothic, cmap_gid):
    gid, _ = cmap_gid
    w = PdfWriter(page_size_mm=(100, 80))
    ef = w.embedded(gothic)
    w.begin_form("label")
    w.text(10, 20, 12, [(ef, hexes(ef, gid, "A"))])
    w.end_form("label")
    w.use_form("label")
    w.show_page()
    w.text(10, 20, 12, [(ef, hexes(ef, gid, "B"))])
    w.show_page()
    w.show_page()
    pdf = w.finish()
    assert_well_formed(pdf, tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    p1, p2, p3 = reader.pages
    r1 = p1["/Resources"]
    assert "/Font" not in r1 and len(r1["/XObject"]) == 1
    form = list(r1["/XObject"].values())[0].get_object()
    assert form["/Subtype"] == "/Form"
    assert [float(v) for v in form["/BBox"]] == pytest.approx([0, 0, 100 * MM, 80 * MM], abs=0.00005)
    assert list(form["/Resources"]) == ["/Font"] and len(form["/Resources"]["/Font"]) == 1
    assert "/XObject" not in form["/Resources"]
    r2 = p2["/Resources"]
    assert "/XObject" not in r2 and len(r2["/Font"]) == 1
    assert str(list(r2["/Font"].values())[0].get_object()["/BaseFont"]).endswith("+IPAexGothic")
    assert dict(p3["/Resources"]) == {}


def test_a_form_is_drawn_where_it_is_used_with_and_without_an_offset(tmp_path):
    w = PdfWriter(page_size_mm=(100, 80))
    w.begin_form("box")
    w.rect(10, 20, 30, 5, stroke_width=None, fill=(0.0, 0.0, 1.0))
    w.end_form("box")
    assert w.has_form("box") and not w.has_form("other")
    w.use_form("box")
    w.use_form("box", 3.0, 4.0)
    w.use_form("box", 0.0, 2.5)
    w.use_form("box", 1.5, 0.0)
    w.show_page()
    pdf = w.finish()
    assert_well_formed(pdf, tmp_path)
    rects = placements(pdf)["rects"]
    want = [(10, 20, 30, 5), (13, 24, 30, 5), (10, 22.5, 30, 5), (11.5, 20, 30, 5)]
    assert len(rects) == 4
    for got, exp in zip(rects, want):
        assert got == pytest.approx(exp, abs=3 * PT / MM)
    assert pdf.count(b"/Subtype /Form") == 1


def test_forms_and_images_get_distinct_resource_names(tmp_path):
    w = PdfWriter(page_size_mm=(100, 80))
    for name, x in (("a", 10), ("b", 50)):
        w.begin_form(name)
        w.rect(x, 10, 5, 5, stroke_width=None, fill=(1.0, 0.0, 0.0))
        w.end_form(name)
    w.image(png(), 20, 30, 8, 4)
    w.use_form("a")
    w.use_form("b")
    w.show_page()
    pdf = w.finish()
    assert_well_formed(pdf, tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    xo = reader.pages[0]["/Resources"]["/XObject"]
    assert sorted(str(xo[k].get_object()["/Subtype"]) for k in xo) == ["/Form", "/Form", "/Image"]
    got = placements(pdf)
    assert [tuple(round(v, 2) for v in r) for r in got["rects"]] == [(10, 10, 5, 5), (50, 10, 5, 5)]
    assert [(round(i["x"], 2), round(i["top"], 2), round(i["w"], 2), round(i["h"], 2), i["px"])
            for i in got["images"]] == [(20, 30, 8, 4, (4, 2))]


# -- text --------------------------------------------------------------------------------------
def test_a_plain_line_is_black_at_its_baseline_in_its_font_size(tmp_path, gothic, cmap_gid):
    gid, _ = cmap_gid
    w = PdfWriter(page_size_mm=(100, 80))
    ef = w.embedded(gothic)
    cids = hexes(ef, gid, "AB")
    w.text(12.5, 30.25, 10.5, [(ef, cids)])
    w.show_page()
    pdf = w.finish()
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["BT", "g", "Tm", "Tf", "Tj", "ET"]
    assert nums(ops[1][1]) == [0]
    assert nums(ops[2][1]) == pytest.approx([1, 0, 0, 1, 12.5 * MM, y_pt(80, 30.25)], abs=PT)
    font, size = ops[3][1]
    assert float(size) == 10.5
    assert font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    assert string_bytes(ops[4][1][0]).hex().upper() == cids


def test_character_spacing_is_set_for_the_line_and_put_back(gothic, cmap_gid):
    gid, _ = cmap_gid
    ef_holder = {}

    def draw(w):
        ef = ef_holder["ef"] = w.embedded(gothic)
        w.text(10, 20, 12, [(ef, hexes(ef, gid, "AB"))], char_spacing=1.5)

    ops = operations(one(draw))
    assert [op for op, _ in ops] == ["BT", "g", "Tc", "Tm", "Tf", "Tj", "Tc", "ET"]
    assert nums(ops[1][1]) == [0]
    assert nums(ops[2][1]) == [1.5] and nums(ops[6][1]) == [0]
    assert nums(ops[3][1]) == pytest.approx([1, 0, 0, 1, 10 * MM, y_pt(80, 20)], abs=PT)
    assert float(ops[4][1][1]) == 12


def test_horizontal_scaling_is_set_for_the_line_and_put_back(gothic, cmap_gid):
    gid, _ = cmap_gid

    def draw(w):
        ef = w.embedded(gothic)
        w.text(10, 20, 9, [(ef, hexes(ef, gid, "AB"))], h_scale=80.0)

    ops = operations(one(draw))
    assert [op for op, _ in ops] == ["BT", "g", "Tz", "Tm", "Tf", "Tj", "Tz", "ET"]
    assert nums(ops[2][1]) == [80] and nums(ops[6][1]) == [100]
    assert nums(ops[3][1]) == pytest.approx([1, 0, 0, 1, 10 * MM, y_pt(80, 20)], abs=PT)


def test_coloured_text_in_two_fonts_sets_the_fill_colour_and_each_font(gothic, cmap_gid):
    gid, _ = cmap_gid
    mincho = FontFile(FONTS / "ipaexm.ttf")

    def draw(w):
        a, b = w.embedded(gothic), w.embedded(mincho)
        w.text(10, 20, 11, [(a, hexes(a, gid, "A")), (b, hexes(b, gid, "B"))], color=(0.8, 0.1, 0.2),
               char_spacing=0.5, h_scale=90.0)

    pdf = one(draw)
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["BT", "rg", "Tc", "Tz", "Tm", "Tf", "Tj", "Tf", "Tj", "Tc", "Tz", "ET"]
    assert nums(ops[1][1]) == [0.8, 0.1, 0.2]
    assert [nums(ops[i][1][1:]) for i in (5, 7)] == [[11], [11]]
    assert ops[5][1][0] != ops[7][1][0]
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    assert sorted(str(fonts[k].get_object()["/BaseFont"]).split("+")[1] for k in fonts) == ["IPAexGothic",
                                                                                            "IPAexMincho"]
    assert {ops[5][1][0], ops[7][1][0]} == set(fonts)
    text = pdftotext(pdf)
    assert "AB" in text.replace(" ", "")


def test_grey_text_uses_the_grey_operator(gothic, cmap_gid):
    gid, _ = cmap_gid

    def draw(w):
        ef = w.embedded(gothic)
        w.text(10, 20, 11, [(ef, hexes(ef, gid, "A"))], color=(0.4, 0.4, 0.4))
        w.text(10, 30, 11, [(ef, hexes(ef, gid, "A"))], color=(0.4, 0.4, 0.9))

    ops = operations(one(draw))
    assert ops_named(ops, "g") == [[pytest.approx(0.4)]]
    assert [nums(o) for o in ops_named(ops, "rg")] == [[0.4, 0.4, 0.9]]


def test_vertical_text_is_one_marked_column_in_the_vertical_font(gothic, cmap_gid):
    gid, _ = cmap_gid

    def draw(w):
        ef = w.embedded(gothic)
        w.vertical_text(14, [(ef, hexes(ef, gid, "縦"), (50.0, 10.0, 100.0)),
                             (ef, hexes(ef, gid, "A"), None),
                             (ef, hexes(ef, gid, "12"), (48.5, 30.0, 50.0))], "縦A12 (x)",
                        color=(0.0, 0.5, 1.0))

    pdf = one(draw)
    reader = PdfReader(io.BytesIO(pdf))
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["BDC", "BT", "rg", "Tf", "Tm", "Tj", "Tj", "Tm", "Tj", "ET", "EMC"]
    tag, props = ops[0][1]
    assert tag == "/Span" and props["/ActualText"] == "縦A12 (x)"
    assert nums(ops[2][1]) == [0, 0.5, 1]
    font, size = ops[3][1]
    assert float(size) == 14
    assert reader.pages[0]["/Resources"]["/Font"][font].get_object()["/Encoding"] == "/Identity-V"
    assert list(reader.pages[0]["/Resources"]["/Font"]) == [font]
    assert nums(ops[4][1]) == pytest.approx([1, 0, 0, 1, 50 * MM, y_pt(80, 10)], abs=PT)
    assert nums(ops[7][1]) == pytest.approx([0.5, 0, 0, 1, 48.5 * MM, y_pt(80, 30)], abs=PT)
    assert float(ops[7][1][0]) == pytest.approx(0.5, abs=1e-5)  # the 縦中横 run squeezed to half its width
    assert header(pdf) == b"%PDF-1.5"


def test_vertical_text_in_black_by_default(gothic, cmap_gid):
    gid, _ = cmap_gid

    def draw(w):
        ef = w.embedded(gothic)
        w.vertical_text(12, [(ef, hexes(ef, gid, "縦"), (20.0, 5.0, 100.0))], "縦")

    ops = operations(one(draw))
    assert [op for op, _ in ops] == ["BDC", "BT", "g", "Tf", "Tm", "Tj", "ET", "EMC"]
    assert nums(ops[2][1]) == [0]


def test_a_glyph_outline_is_one_form_per_glyph_scaled_to_the_size_at_its_origin(tmp_path, gothic, cmap_gid):
    gid, font_bbox = cmap_gid

    def draw(w):
        w.glyph_outline(gothic, gid["1"], 10.0, 20.0, 12.0, color=(0.0, 1.0, 1.0, 0.0))
        w.glyph_outline(gothic, gid["1"], 30.0, 20.0, 24.0)
        w.glyph_outline(gothic, gid["2"], 40.0, 25.0, 12.0, color=(1.0, 0.0, 0.0))

    pdf = one(draw)
    assert_well_formed(pdf, tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    assert len(xobjects) == 2
    for ref in xobjects.values():
        form = ref.get_object()
        assert form["/Subtype"] == "/Form" and form["/Type"] == "/XObject"
        assert [float(v) for v in form["/BBox"]] == pytest.approx(font_bbox, abs=0.5)
        fops = form_operations(form, reader)
        assert fops[-1] == ("f", []) and {op for op, _ in fops} <= {"m", "l", "c", "h", "f"}
        assert not any(op in ("g", "rg", "k", "G", "RG", "K") for op, _ in fops)  # the user's colour
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["q", "k", "cm", "Do", "Q", "q", "g", "cm", "Do", "Q", "q", "rg", "cm", "Do", "Q"]
    assert nums(ops[1][1]) == [0, 1, 1, 0] and nums(ops[6][1]) == [0] and nums(ops[11][1]) == [1, 0, 0]
    # the outline is in 1/1000 em: scaled by size / 1000, its origin at (x, baseline)
    for i, size, x, base in ((2, 12, 10, 20), (7, 24, 30, 20), (12, 12, 40, 25)):
        m = nums(ops[i][1])
        assert m[:4] == pytest.approx([size / 1000, 0, 0, size / 1000], abs=1e-7)
        assert m[4:] == pytest.approx([x * MM, y_pt(80, base)], abs=PT)
    assert ops[3][1] == ops[8][1] != ops[13][1]
    # the outline is written once for the document, however many pages use it
    w = PdfWriter(page_size_mm=(100, 80))
    for _ in range(3):
        w.glyph_outline(gothic, gid["1"], 10.0, 20.0, 12.0)
        w.show_page()
    assert w.finish().count(b"/Subtype /Form") == 1


# -- lines, rectangles, circles, bars -----------------------------------------------------------
def test_a_line_has_its_width_colour_dash_and_end_points():
    def draw(w):
        w.line(10, 20, 60, 25, width=0.5, color=(1.0, 0.0, 0.0), dash=(2.0, 1.0))
        w.line(5, 5, 5, 50)

    ops = operations(one(draw))
    assert [op for op, _ in ops] == ["RG", "w", "d", "m", "l", "S", "G", "w", "d", "m", "l", "S"]
    assert nums(ops[0][1]) == [1, 0, 0] and nums(ops[6][1]) == [0]
    assert nums(ops[1][1]) == pytest.approx([0.5 * MM], abs=PT)
    assert nums(ops[7][1]) == pytest.approx([0.25 * MM], abs=PT)
    assert nums(ops[2][1][0]) == pytest.approx([2 * MM, 1 * MM], abs=PT) and float(ops[2][1][1]) == 0
    assert list(ops[8][1][0]) == [] and float(ops[8][1][1]) == 0  # solid again
    assert nums(ops[3][1] + ops[4][1]) == pytest.approx([10 * MM, y_pt(80, 20), 60 * MM, y_pt(80, 25)], abs=PT)
    assert nums(ops[9][1] + ops[10][1]) == pytest.approx([5 * MM, y_pt(80, 5), 5 * MM, y_pt(80, 50)], abs=PT)


def test_a_stroked_rectangle_has_its_place_width_colour_and_dash():
    def draw(w):
        w.rect(10, 20, 30, 15, stroke_width=0.3, stroke=(0.0, 0.0, 1.0), dash=(1.5, 0.5, 0.25))
        w.rect(50, 5, 10, 10)

    pdf = one(draw)
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["RG", "w", "d", "re", "S", "G", "w", "d", "re", "S"]
    assert nums(ops[2][1][0]) == pytest.approx([1.5 * MM, 0.5 * MM, 0.25 * MM], abs=PT)
    assert list(ops[7][1][0]) == []
    assert nums(ops[3][1]) == pytest.approx([10 * MM, y_pt(80, 35), 30 * MM, 15 * MM], abs=PT)
    got = strokes(pdf)
    assert [s["color"] for s in got] == [(0.0, 0.0, 1.0), (0.0,)]
    assert [round(s["width"], 3) for s in got] == [0.3, 0.25]
    assert got[1]["rect"] == pytest.approx((50, 5, 10, 10), abs=3 * PT / MM)


def test_a_filled_rectangle_resets_the_fill_colour_to_black():
    def draw(w):
        w.rect(10, 20, 30, 15, stroke_width=None, fill=(0.9, 0.9, 0.9))
        w.rect(10, 40, 30, 15, stroke_width=None, fill=(0.0, 0.5, 0.5, 0.0))

    ops = operations(one(draw))
    assert [op for op, _ in ops] == ["g", "re", "f", "g", "k", "re", "f", "g"]
    assert nums(ops[0][1]) == [0.9] and nums(ops[3][1]) == [0]
    assert nums(ops[4][1]) == [0, 0.5, 0.5, 0] and nums(ops[7][1]) == [0]
    assert nums(ops[5][1]) == pytest.approx([10 * MM, y_pt(80, 55), 30 * MM, 15 * MM], abs=PT)


def test_a_filled_and_stroked_rectangle_is_painted_with_both_then_the_fill_reset():
    def draw(w):
        w.rect(10, 20, 30, 15, stroke_width=0.5, stroke=(0.0, 1.0, 0.0), fill=(1.0, 1.0, 0.0), dash=(1.0,))

    ops = operations(one(draw))
    assert [op for op, _ in ops] == ["rg", "RG", "w", "d", "re", "B", "g"]
    assert nums(ops[0][1]) == [1, 1, 0] and nums(ops[1][1]) == [0, 1, 0] and nums(ops[6][1]) == [0]
    assert nums(ops[3][1][0]) == pytest.approx([MM], abs=PT)


def _circle_expected(cx, cy, r, page_h):
    x, y, R = cx * MM, (page_h - cy) * MM, r * MM
    K = 0.5523 * R  # the control-point distance of a quarter-circle Bézier arc
    return [
        [x + R, y],
        [x + R, y + K, x + K, y + R, x, y + R],
        [x - K, y + R, x - R, y + K, x - R, y],
        [x - R, y - K, x - K, y - R, x, y - R],
        [x + K, y - R, x + R, y - K, x + R, y],
    ]


def test_a_circle_is_four_bezier_arcs_through_its_four_quadrant_points():
    ops = operations(one(lambda w: w.circle(40, 30, 12.5, stroke_width=0.4, stroke=(0.0, 0.0, 0.0, 1.0))))
    assert [op for op, _ in ops] == ["K", "w", "d", "m", "c", "c", "c", "c", "S"]
    assert nums(ops[0][1]) == [0, 0, 0, 1]
    assert nums(ops[1][1]) == pytest.approx([0.4 * MM], abs=PT)
    assert list(ops[2][1][0]) == []
    path = [nums(operands) for op, operands in ops if op in ("m", "c")]
    for got, want in zip(path, _circle_expected(40, 30, 12.5, 80), strict=True):
        assert got == pytest.approx(want, abs=PT)
    # every arc ends on the circle
    for seg in path:
        x, y = seg[-2] / MM, 80 - seg[-1] / MM
        assert ((x - 40) ** 2 + (y - 30) ** 2) ** 0.5 == pytest.approx(12.5, abs=0.01)


def test_a_filled_circle_is_filled_only_and_resets_the_fill_colour():
    ops = operations(one(lambda w: w.circle(20, 20, 5, stroke_width=None, fill=(1.0, 0.0, 0.0))))
    assert [op for op, _ in ops] == ["rg", "m", "c", "c", "c", "c", "f", "g"]
    assert nums(ops[0][1]) == [1, 0, 0] and nums(ops[7][1]) == [0]
    path = [nums(operands) for op, operands in ops if op in ("m", "c")]
    for got, want in zip(path, _circle_expected(20, 20, 5, 80), strict=True):
        assert got == pytest.approx(want, abs=PT)


def test_a_filled_and_stroked_circle_sets_both_colours_and_resets_the_fill():
    ops = operations(one(lambda w: w.circle(50, 40, 8, fill=(0.0, 0.0, 0.0, 0.2), stroke=(0.2, 0.3, 0.4))))
    assert [op for op, _ in ops] == ["k", "RG", "w", "d", "m", "c", "c", "c", "c", "B", "g"]
    assert nums(ops[0][1]) == [0, 0, 0, 0.2] and nums(ops[1][1]) == [0.2, 0.3, 0.4]
    assert nums(ops[2][1]) == pytest.approx([0.25 * MM], abs=PT)
    assert nums(ops[10][1]) == [0]
    path = [nums(operands) for op, operands in ops if op in ("m", "c")]
    for got, want in zip(path, _circle_expected(50, 40, 8, 80), strict=True):
        assert got == pytest.approx(want, abs=PT)


def test_a_stroked_circle_in_black_by_default():
    ops = operations(one(lambda w: w.circle(50, 40, 8)))
    assert [op for op, _ in ops] == ["G", "w", "d", "m", "c", "c", "c", "c", "S"]
    assert nums(ops[0][1]) == [0]


def test_bars_are_one_filled_path_in_their_colour_then_black_again():
    def draw(w):
        w.bars([(10, 20, 0.5, 3.6), (11.2, 20, 0.5, 1.2)], color=(0.0, 0.0, 0.0, 1.0))
        w.bars([(30, 40, 1, 2)])

    pdf = one(draw)
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["k", "re", "re", "f", "g", "g", "re", "f", "g"]
    assert nums(ops[0][1]) == [0, 0, 0, 1] and nums(ops[4][1]) == [0]
    assert nums(ops[5][1]) == [0] and nums(ops[8][1]) == [0]
    rects = placements(pdf)["rects"]
    for got, want in zip(rects, [(10, 20, 0.5, 3.6), (11.2, 20, 0.5, 1.2), (30, 40, 1, 2)], strict=True):
        assert got == pytest.approx(want, abs=3 * PT / MM)


def test_module_bars_draw_the_bars_of_a_width_sequence_under_one_transform():
    pdf = one(lambda w: w.module_bars(10.0, 20.0, 0.191, 8.0, [2, 1, 3, 1, 1, 2, 4]))
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["q", "cm", "g", "re", "re", "re", "re", "f", "Q"]
    assert nums(ops[1][1]) == pytest.approx([0.191 * MM, 0, 0, 8 * MM, 10 * MM, y_pt(80, 28)], abs=0.00005 + PT)
    m = 0.191
    want = [(10 + u * m, 20, n * m, 8) for u, n in ((0, 2), (3, 3), (7, 1), (10, 4))]
    for got, exp in zip(placements(pdf)["rects"], want, strict=True):
        assert got == pytest.approx(exp, abs=0.004)


def test_module_grid_draws_dark_modules_downwards_from_the_top_left():
    runs = [(0, 0, 3), (2, 1, 1), (1, 4, 2), (20, 20, 1)]
    pdf = one(lambda w: w.module_grid(20.0, 30.0, 0.5, runs))
    ops = operations(pdf)
    assert [op for op, _ in ops] == ["q", "cm", "g", "re", "re", "re", "re", "f", "Q"]
    assert nums(ops[2][1]) == [0]
    assert nums(ops[1][1]) == pytest.approx([0.5 * MM, 0, 0, -0.5 * MM, 20 * MM, y_pt(80, 30)], abs=0.00005 + PT)
    want = [(20 + c * 0.5, 30 + r * 0.5, n * 0.5, 0.5) for c, r, n in runs]
    for got, exp in zip(placements(pdf)["rects"], want, strict=True):
        assert got == pytest.approx(exp, abs=0.004)


def test_placed_panels_are_drawn_through_their_matrix_and_clip():
    def draw(w):
        with w.placed((0.0, 1.0, -1.0, 0.0, 200.0, 10.0), 50.0, clip_pt=[(0, 0, 100, 100), (120, 0, 50, 50)]):
            w.rect(0, 0, 10, 20, stroke_width=None, fill=(1.0, 0.0, 0.0))
            assert w.page_h == 50.0
        assert w.page_h == 80.0

    ops = operations(one(draw))
    assert [op for op, _ in ops] == ["q", "re", "re", "W", "n", "cm", "rg", "re", "f", "g", "Q"]
    assert nums(ops[5][1]) == [0, 1, -1, 0, 200, 10]
    assert nums(ops[7][1]) == pytest.approx([0, 30 * MM, 10 * MM, 20 * MM], abs=PT)
