"""Images in the PDF (lgforms.pdf.images and PdfWriter.image): what poppler's ``pdfimages`` extracts
from the written file — pixels, colour space, soft mask, size — compared with the source image as
Pillow decodes it; JPEG passed through unchanged; downsampling to a pixel bound; the cache."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lgforms.pdf import images
from lgforms.pdf.images import encode_image
from lgforms.pdf.writer import PdfWriter


@pytest.fixture(autouse=True)
def no_cached_images(monkeypatch):
    """Each test encodes its images itself: nothing from the per-process cache of earlier renders."""
    monkeypatch.setattr(images, "_cache", {})


def encoded(im: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def pattern(mode: str, size=(40, 30)) -> Image.Image:
    """Distinct values in every pixel (a gradient per channel), so a shifted or swapped channel shows."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    r, g, b = (x * 6) % 256, (y * 8) % 256, ((x + y) * 3) % 256
    a = np.where((x + y) % 3 == 0, 0, np.where(x % 2 == 0, 255, 128))
    rgba = np.dstack([r, g, b, a]).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA").convert(mode)


def pdf_with(data: bytes, max_px=None) -> bytes:
    w = PdfWriter(page_size_mm=(100, 100))
    w.image(data, 10, 10, 40, 30, max_px=max_px)
    w.show_page()
    return w.finish()


def poppler_images(pdf: bytes, tmp: Path) -> tuple[list[dict], dict[str, Image.Image]]:
    """``pdfimages -list`` rows and the extracted images (``-png``, or ``-j`` keeps a JPEG as is)."""
    exe = shutil.which("pdfimages")
    if exe is None:
        pytest.fail("poppler-utils (pdfimages) is required")
    f = tmp / "in.pdf"
    f.write_bytes(pdf)
    out = subprocess.run([exe, "-list", str(f)], capture_output=True, text=True, check=True).stdout.splitlines()
    head = out[0].split()
    rows = [dict(zip(head, line.split())) for line in out[2:]]
    subprocess.run([exe, "-png", "-j", str(f), str(tmp / "x")], check=True)
    files = {p.name: Image.open(p) for p in sorted(tmp.glob("x-*"))}
    return rows, files


@pytest.mark.parametrize("mode,color", [("RGB", "rgb"), ("L", "gray")])
def test_an_opaque_png_prints_its_own_pixels(tmp_path, mode, color):
    src = pattern(mode)
    rows, files = poppler_images(pdf_with(encoded(src)), tmp_path)
    assert [(r["type"], r["width"], r["height"], r["color"], r["bpc"], r["enc"]) for r in rows] == \
        [("image", "40", "30", color, "8", "image")]
    (img,) = files.values()
    assert np.array_equal(np.asarray(img.convert(mode)), np.asarray(src))


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_transparency_becomes_a_soft_mask_with_the_source_alpha(tmp_path, mode):
    src = pattern("RGBA")
    if mode == "LA":
        src = src.convert("LA")
    if mode == "P":  # a palette image with one transparent index
        src = pattern("RGB").quantize(64)
        src.info["transparency"] = 0
        data = encoded(src, transparency=0)
    else:
        data = encoded(src)
    rows, files = poppler_images(pdf_with(data), tmp_path)
    assert [r["type"] for r in rows] == ["image", "smask"]
    assert rows[1]["color"] == "gray" and rows[0]["color"] == "rgb"  # the colour of a transparent image: RGB
    img, mask = files.values()
    want = Image.open(io.BytesIO(data)).convert("RGBA")
    assert np.array_equal(np.asarray(mask.convert("L")), np.asarray(want.getchannel("A")))
    assert np.array_equal(np.asarray(img.convert("RGB")), np.asarray(want.convert("RGB")))
    assert pdf_with(data).startswith(b"%PDF-1.4")  # soft masks need PDF 1.4


def test_a_png_with_an_alpha_channel_that_is_all_opaque_has_no_mask(tmp_path):
    data = encoded(pattern("RGB").convert("RGBA"))
    enc = encode_image(data)
    assert enc.smask is None and enc.colorspace == "DeviceRGB"
    rows, _ = poppler_images(pdf_with(data), tmp_path)
    assert [r["type"] for r in rows] == ["image"]


@pytest.mark.parametrize("mode,color", [("RGB", "rgb"), ("L", "gray")])
def test_a_jpeg_is_embedded_as_it_is(tmp_path, mode, color):
    data = encoded(pattern(mode), "JPEG", quality=90)
    rows, files = poppler_images(pdf_with(data), tmp_path)
    assert [(r["color"], r["enc"]) for r in rows] == [(color, "jpeg")]
    (name,) = files
    assert (tmp_path / name).read_bytes() == data  # the very bytes: no re-encoding
    enc = encode_image(data)
    assert (enc.filter, enc.data, enc.width, enc.height) == ("DCTDecode", data, 40, 30)


def test_a_cmyk_jpeg_is_re_encoded_losslessly(tmp_path):
    data = encoded(pattern("RGB").convert("CMYK"), "JPEG", quality=95)
    enc = encode_image(data)
    assert (enc.filter, enc.colorspace) == ("FlateDecode", "DeviceRGB")
    rows, _ = poppler_images(pdf_with(data), tmp_path)
    assert [(r["color"], r["enc"]) for r in rows] == [("rgb", "image")]


@pytest.mark.parametrize("mode", ["1", "I;16"])
def test_bilevel_and_16_bit_greyscale_print_as_8_bit_grey(tmp_path, mode):
    src = pattern("L").convert(mode) if mode == "1" else Image.fromarray(
        (np.asarray(pattern("L"), dtype=np.uint16) * 257).astype("<u2"))
    assert src.mode == mode
    enc = encode_image(encoded(src))
    assert enc.colorspace == "DeviceGray"
    rows, _ = poppler_images(pdf_with(encoded(src)), tmp_path)
    assert [(r["color"], r["bpc"]) for r in rows] == [("gray", "8")]


def test_an_image_larger_than_the_bound_is_downsampled_keeping_its_aspect(tmp_path):
    src = pattern("RGB", size=(400, 300))
    data = encoded(src)
    rows, _ = poppler_images(pdf_with(data, max_px=(100, 100)), tmp_path)
    assert [(r["width"], r["height"]) for r in rows] == [("100", "75")]
    (tmp_path / "same").mkdir()
    rows, _ = poppler_images(pdf_with(data, max_px=(400, 300)), tmp_path / "same")
    assert [(r["width"], r["height"]) for r in rows] == [("400", "300")]  # at the bound: untouched
    assert encode_image(data, (100, 100)).name == encode_image(data).name + "_100x100"
    assert encode_image(data, (400, 300)).name == encode_image(data).name
    jpeg = encoded(src, "JPEG", quality=90)
    small = encode_image(jpeg, (50, 300))
    assert (small.width, small.height, small.filter) == (50, 38, "FlateDecode")  # re-encoded: not the JPEG
    tall = encode_image(data, (400, 150))
    assert (tall.width, tall.height) == (200, 150)


def test_encoded_images_are_cached_by_content_and_bound():
    a = encoded(pattern("RGB"))
    b = encoded(pattern("L"))
    ea = encode_image(a)
    assert encode_image(a) is ea and encode_image(bytes(a)) is ea
    assert encode_image(a, (10, 10)) is not ea
    assert encode_image(b) is not ea and encode_image(b).colorspace == "DeviceGray"
    assert ea.name == "lgimg" + hashlib.sha256(a).hexdigest()[:16]


def test_the_cache_holds_at_most_256_images_dropping_the_oldest():
    srcs = [encoded(Image.new("L", (2 + i // 256, 2), i % 256)) for i in range(257)]
    assert len(set(srcs)) == 257
    first = encode_image(srcs[0])
    for s in srcs[1:256]:
        encode_image(s)
    assert len(images._cache) == 256 and encode_image(srcs[0]) is first
    encode_image(srcs[256])
    assert len(images._cache) == 256
    assert encode_image(srcs[0]) is not first  # the oldest was dropped, encoded again


def test_one_image_used_twice_is_written_once(tmp_path):
    data = encoded(pattern("RGB"))
    w = PdfWriter(page_size_mm=(100, 100))
    w.image(data, 10, 10, 40, 30)
    w.image(data, 50, 50, 20, 15)
    w.show_page()
    pdf = w.finish()
    rows, _ = poppler_images(pdf, tmp_path)
    assert len(rows) == 2 and rows[0]["object"] == rows[1]["object"]  # two placements, one image object
    assert pdf.count(b"/Subtype /Image") == 1


def test_one_image_at_two_pixel_bounds_is_two_images(tmp_path):
    """Bounds of the same height but another width give other pixels: they must not share a name
    (the writer keeps one XObject per name)."""
    data = encoded(pattern("RGB", size=(400, 300)))
    a, b = encode_image(data, (400, 150)), encode_image(data, (150, 150))
    assert (a.width, a.height, b.width, b.height) == (200, 150, 150, 113)  # 400:300 into 150 × 150: 112.5 rounded up
    assert a.name.endswith("_400x150") and b.name.endswith("_150x150") and a.name != b.name
    w = PdfWriter(page_size_mm=(100, 100))
    w.image(data, 10, 10, 40, 30, max_px=(400, 150))
    w.image(data, 50, 50, 40, 30, max_px=(150, 150))
    w.show_page()
    rows, _ = poppler_images(w.finish(), tmp_path)
    assert sorted((r["width"], r["height"]) for r in rows) == [("150", "113"), ("200", "150")]


def test_two_jpegs_in_one_document_keep_their_own_bytes(tmp_path):
    one = encoded(pattern("RGB"), "JPEG", quality=90)
    two = encoded(pattern("L"), "JPEG", quality=90)
    w = PdfWriter(page_size_mm=(100, 100))
    w.image(one, 10, 10, 40, 30)
    w.image(two, 50, 50, 40, 30)
    w.show_page()
    rows, files = poppler_images(w.finish(), tmp_path)
    assert [r["color"] for r in rows] == ["rgb", "gray"] and rows[0]["object"] != rows[1]["object"]
    assert sorted((tmp_path / n).read_bytes() for n in files) == sorted([one, two])
