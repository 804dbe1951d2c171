"""Glyphs drawn as paths (lgforms.pdf.outlines: the digits of a postcard's 郵便番号枠): the path,
filled on a page and rasterized by poppler, covers the same pixels as the glyph drawn by FreeType
(Pillow's ImageFont) from the font file — two independent readings of the font's outline."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from lgforms.moji.fonts import FontFile
from lgforms.pdf import outlines
from lgforms.pdf.outlines import glyph_path

FONTS = Path(__file__).resolve().parents[2] / "fonts"
SIZE = 400  # the em in pt = px at 72 dpi
PAGE = 500
X0, BASE = 40, 120  # the glyph origin, from the page's bottom-left (PDF) / top-left (image: PAGE - BASE)


@pytest.fixture(autouse=True)
def no_cached_paths(monkeypatch):
    """Each test draws its glyphs itself: nothing from the per-process cache of earlier renders."""
    monkeypatch.setattr(outlines, "_paths", {})
    monkeypatch.setattr(outlines, "_glyph_sets", {})


def one_page_pdf(content: bytes) -> bytes:
    """A one-page PDF with ``content`` as its page's content stream (written out by hand)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE} {PAGE}] /Contents 4 0 R >>".encode(),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def poppler_mask(ops: str) -> np.ndarray:
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.fail("poppler-utils (pdftoppm) is required")
    k = SIZE / 1000  # the path is in 1/1000 em
    pdf = one_page_pdf(f"q {k} 0 0 {k} {X0} {BASE} cm {ops} f Q".encode())
    png = subprocess.run([exe, "-r", "72", "-gray", "-png", "-singlefile", "-"], input=pdf, capture_output=True,
                         check=True).stdout
    return np.asarray(Image.open(io.BytesIO(png)).convert("L")) < 128


def freetype_mask(font: Path, ch: str) -> np.ndarray:
    img = Image.new("L", (PAGE, PAGE), 255)
    ImageDraw.Draw(img).text((X0, PAGE - BASE), ch, font=ImageFont.truetype(str(font), SIZE), fill=0, anchor="ls")
    return np.asarray(img) < 128


@pytest.mark.parametrize("font_name", ["ipaexg.ttf", "ipaexm.ttf"])
@pytest.mark.parametrize("ch", list("0123456789") + ["〒", "郵", "あ"])
def test_a_glyph_path_covers_the_pixels_freetype_draws(font_name, ch):
    font = FontFile(FONTS / font_name).ensure_loaded()
    ops = glyph_path(font, font.cmap[ord(ch)])
    a, b = poppler_mask(ops), freetype_mask(FONTS / font_name, ch)
    assert b.sum() > 2000  # the reference draws something
    union = (a | b).sum()
    assert (a & b).sum() / union > 0.97, f"{ch}: the path and FreeType's glyph overlap by {(a & b).sum() / union:.1%}"


def test_a_path_is_made_of_pdf_path_operators_in_thousandths_of_an_em():
    font = FontFile(FONTS / "ipaexg.ttf").ensure_loaded()
    ops = glyph_path(font, font.cmap[ord("1")]).split()
    # only numbers and the path operators m l c h, each operator after its operands
    assert set(t for t in ops if not t.lstrip("-").replace(".", "", 1).isdigit()) <= {"m", "l", "c", "h"}
    assert ops[2] == "m" and ops[-1] == "h"
    nums = [float(t) for t in ops if t not in {"m", "l", "c", "h"}]
    assert 0 <= min(nums) and max(nums) <= 1000  # a digit lies inside its em (IPAex: upem 2048, scaled)
    assert all(len(t.partition(".")[2]) <= 1 for t in ops)  # one decimal at most (0.1/1000 em)
    assert glyph_path(font, font.cmap[ord("1")]) is glyph_path(font, font.cmap[ord("1")])  # cached per process


def test_a_path_spans_the_glyph_s_bounding_box_from_the_glyf_table():
    """The extremes of the digits' outlines are on-curve points, so the path's extremes are the
    bounding box the font's 'glyf' table records (× 1000 / unitsPerEm), to the path's 0.1 rounding.
    Both fonts in one process: a glyph id of one font is not the same glyph in the other."""
    from fontTools.ttLib import TTFont

    for font_name in ("ipaexg.ttf", "ipaexm.ttf"):
        tt = TTFont(str(FONTS / font_name))
        k = 1000 / tt["head"].unitsPerEm
        font = FontFile(FONTS / font_name).ensure_loaded()
        for ch in "0123456789〒":
            g = tt["glyf"][tt.getBestCmap()[ord(ch)]]
            nums = [float(t) for t in glyph_path(font, font.cmap[ord(ch)]).split() if t not in {"m", "l", "c", "h"}]
            xs, ys = nums[0::2], nums[1::2]
            got = (min(xs), min(ys), max(xs), max(ys))
            want = tuple(v * k for v in (g.xMin, g.yMin, g.xMax, g.yMax))
            assert got == pytest.approx(want, abs=0.051), (font_name, ch)
