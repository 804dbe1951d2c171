"""The ``image`` kind (elements/image.py) on its own: the payload's picture decoded and bounded
from its header, placed in its box — ``contain`` keeps the aspect ratio and aligns it, ``actual``
prints it at the size the payload states (印影 原寸) or refuses it — with every refusal naming the
field. The PDF side (pixels, downsampling, position on the page) is tests/pdf/test_image_*.py."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from lgforms.bind.expressions import ExpressionCompiler
from lgforms.elements.base import Compiled, LayoutContext
from lgforms.elements.image import (KIND, MAX_IMAGE_PIXELS, PRINT_DPI, SEAL_DPI, ImageSpec, decode_image,
                                    pixels_for, place)
from lgforms.errors import FormSpecInvalid, ImageInvalid
from lgforms.layout.boxes import ImageBox
from lgforms.layout.text import MojiProblems

C = ExpressionCompiler()
WHERE = "f: page 'p' fields[0] (inei)"


def png(w: int, h: int, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 0, 0)).save(buf, fmt)
    return buf.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def element(**spec) -> Compiled:
    s = ImageSpec(kind="image", box=spec.pop("box", (10.0, 20.0, 40.0, 20.0)), source="{{ img.data }}", **spec)
    t = {"source": C.template(s.source, where="w")}
    for a in ("width", "height"):
        if getattr(s, a) is not None:
            t[a] = C.template(getattr(s, a), where="w")
    return Compiled(s, KIND, WHERE, t)


def lc(dx: float = 0.0, dy: float = 0.0) -> LayoutContext:
    c = LayoutContext({}, MojiProblems(), allow_ivs_fallback=False, form_id="f")
    c.dx, c.dy = dx, dy
    return c


# -- decode_image ------------------------------------------------------------------------------------

def test_a_png_or_jpeg_decodes_from_base64_a_data_uri_or_bytes():
    p, j = png(30, 20), png(8, 6, "JPEG")
    assert decode_image(b64(p), path="$.a") == (p, 30, 20)
    assert decode_image(f"data:image/png;base64,{b64(p)}", path="$.a") == (p, 30, 20)
    assert decode_image(f"  {b64(j)}\n", path="$.a") == (j, 8, 6)
    assert decode_image(p, path="$.a") == (p, 30, 20)
    assert decode_image(bytearray(j), path="$.a") == (j, 8, 6)


@pytest.mark.parametrize("value, message", [
    ("data:image/png," + "x" * 8, "inei: a data URI must be base64-encoded"),
    ("not base64!", "inei is not valid base64"),
    (b64(png(4, 4, "GIF")), "inei cannot be decoded as PNG or JPEG"),
    (b64(b"\x89PNG\r\n\x1a\n" + b"\0" * 40), "inei cannot be decoded as PNG or JPEG"),
])
def test_what_is_not_a_png_or_jpeg_is_refused_naming_the_field(value, message):
    with pytest.raises(ImageInvalid) as ei:
        decode_image(value, path="$.inei", what="inei")
    assert ei.value.message == message and ei.value.path == "$.inei"


def test_the_pixel_bound_is_read_from_the_header():
    data = png(300, 200)
    assert decode_image(data, path=None, max_pixels=60_000)[1:] == (300, 200)
    with pytest.raises(ImageInvalid) as ei:
        decode_image(data, path="$.map", what="map", max_pixels=59_999)
    assert ei.value.message == ("map is 300 × 200 px (60,000 pixels); at most 59,999 are accepted "
                                "(more than print resolution needs)")
    assert ei.value.detail == {"width": 300, "height": 200, "max_pixels": 59_999} and ei.value.path == "$.map"
    assert MAX_IMAGE_PIXELS == 16_000_000


def test_pixels_for_a_box_at_a_resolution():
    assert pixels_for(25.4, 50.8) == (300, 600)
    assert pixels_for(25.4, 12.7, 600) == (600, 300)
    assert pixels_for(10.0, 0.001) == (119, 1)  # ceil, never 0
    assert (PRINT_DPI, SEAL_DPI) == (300, 600)


@pytest.mark.parametrize("align, valign, at", [
    ("left", "top", (10.0, 20.0)), ("center", "middle", (20.0, 25.0)), ("right", "bottom", (30.0, 30.0)),
    ("right", "top", (30.0, 20.0)), ("left", "bottom", (10.0, 30.0)),
])
def test_place_aligns_within_the_box(align, valign, at):
    assert place((10.0, 20.0, 40.0, 20.0), 20.0, 10.0, align, valign) == at


# -- the kind ----------------------------------------------------------------------------------------

def test_scale_actual_needs_width_and_height_templates():
    with pytest.raises(FormSpecInvalid) as ei:
        KIND.check(ImageSpec(kind="image", box=(0, 0, 10, 10), source="{{ a }}", scale="actual", width="{{ w }}"),
                   WHERE)
    assert ei.value.message == f"{WHERE}: scale: actual needs width and height (mm) templates"
    KIND.check(ImageSpec(kind="image", box=(0, 0, 10, 10), source="{{ a }}"), WHERE)  # contain: nothing needed


def test_bind_gives_the_source_and_for_actual_size_its_millimetres():
    ctx = {"img": {"data": "DATA", "w": 15, "h": 10}}
    assert KIND.bind(element(), ctx) == {"source": "DATA"}
    el = element(scale="actual", width="{{ img.w }}", height="{{ img.h }}")
    assert KIND.bind(el, ctx) == {"source": "DATA", "width": "15", "height": "10"}


def test_contain_fits_the_box_keeping_the_aspect_ratio_and_aligns():
    data = png(300, 100)  # 3:1 in a 40 × 20 mm box: 40 × 13.33 mm, centred vertically
    [box] = KIND.layout(element(), {"source": b64(data)}, lc(dx=1.0, dy=2.0))
    assert isinstance(box, ImageBox) and box.data == data and box.path == "$.img.data"
    assert (box.x, box.w) == (11.0, 40.0)
    assert box.h == pytest.approx(40 / 3) and box.y == pytest.approx(22.0 + (20 - 40 / 3) / 2)
    assert box.max_px == pixels_for(40.0, box.h, PRINT_DPI)
    [tall] = KIND.layout(element(align="right", valign="top"), {"source": b64(png(100, 200))}, lc())
    assert (tall.w, tall.h, tall.x, tall.y) == (10.0, 20.0, 40.0, 20.0)


def test_actual_size_prints_at_the_payload_s_millimetres_as_line_art():
    el = element(scale="actual", width="{{ img.w }}", height="{{ img.h }}", align="left", valign="bottom")
    [box] = KIND.layout(el, {"source": b64(png(150, 100)), "width": "15", "height": "10"}, lc())
    assert (box.x, box.y, box.w, box.h) == (10.0, 30.0, 15.0, 10.0)
    assert box.max_px == pixels_for(15.0, 10.0, SEAL_DPI)
    # exactly the box, and within the 2 % aspect tolerance (150 × 100 px at 15.2 × 10 mm: 1.3 %)
    [box] = KIND.layout(el, {"source": b64(png(150, 100)), "width": "15.2", "height": "10"}, lc())
    assert box.w == 15.2
    [box] = KIND.layout(el, {"source": b64(png(200, 100)), "width": "40", "height": "20"}, lc())
    assert (box.w, box.h) == (40.0, 20.0)


@pytest.mark.parametrize("px, mm, message", [
    ((150, 100), ("15", "9.7"), "the image is 150 × 100 px but is to print at 15.0 × 9.7 mm: that would distort it "
                                "(aspect ratios differ by more than 2 %)"),
    ((100, 100), ("21", "21"), "image is 21.0 × 21.0 mm and must print at actual size, but the box is 40.0 × 20.0 mm"),
    ((100, 100), ("41", "10.25"), None),
    ((100, 100), ("十", "10"), "width/height must be numbers (mm)"),
])
def test_actual_size_refuses_a_distorted_or_oversized_impression(px, mm, message):
    el = element(scale="actual", width="{{ img.w }}", height="{{ img.h }}")
    if message is None:  # 41 mm wide in a 40 mm box, aspect 4:1 against 1:1: the aspect is reported first
        message = ("the image is 100 × 100 px but is to print at 41.0 × 10.25 mm: that would distort it "
                   "(aspect ratios differ by more than 2 %)")
    with pytest.raises(ImageInvalid) as ei:
        KIND.layout(el, {"source": b64(png(*px)), "width": mm[0], "height": mm[1]}, lc())
    assert ei.value.message == f"{WHERE}: {message}" and ei.value.path == "$.img.data"


def test_no_image_is_an_error_not_a_blank():
    with pytest.raises(ImageInvalid) as ei:
        KIND.layout(element(), {"source": ""}, lc())
    assert ei.value.message == f"{WHERE}: no image given" and ei.value.path == "$.img.data"


def _png_header(w: int, h: int) -> bytes:
    """A PNG that declares w × h pixels and holds none (what a decompression bomb starts with)."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data  # noqa: E731
                                + struct.pack(">I", zlib.crc32(kind + data)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_a_header_declaring_a_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ImageInvalid) as ei:  # 400 million pixels: Pillow refuses to open it at all
        decode_image(b64(_png_header(20_000, 20_000)), path="$.map", what="map")
    assert ei.value.message == "map declares far more than 16,000,000 pixels" and ei.value.path == "$.map"
    with pytest.raises(ImageInvalid) as ei:  # 25 million: opened, then refused from its header
        decode_image(_png_header(5_000, 5_000), path="$.map")
    assert ei.value.message.startswith("image is 5000 × 5000 px (25,000,000 pixels); at most 16,000,000")


@pytest.mark.parametrize("value", [
    "data:image/png;base64,AAAA," + b64(png(4, 4)),  # the data is everything after the first comma
    b64(png(4, 4))[:20] + "!" + b64(png(4, 4))[20:],  # a character that is not base64
    b64(png(4, 4))[:20] + "\n" + b64(png(4, 4))[20:],  # nor is a line break inside
])
def test_base64_is_strict(value):
    with pytest.raises(ImageInvalid) as ei:
        decode_image(value, path=None)
    assert ei.value.message == "image is not valid base64"


def test_tiny_boxes_still_get_a_pixel():
    assert pixels_for(0.001, 10.0) == (1, 119)


def test_scale_actual_without_a_width_is_a_form_mistake_too():
    with pytest.raises(FormSpecInvalid):
        KIND.check(ImageSpec(kind="image", box=(0, 0, 10, 10), source="{{ a }}", scale="actual", height="{{ h }}"),
                   WHERE)


def test_an_undecodable_source_names_the_field():
    with pytest.raises(ImageInvalid) as ei:
        KIND.layout(element(), {"source": "not base64!"}, lc())
    assert ei.value.message == "image is not valid base64" and ei.value.path == "$.img.data"


@pytest.mark.parametrize("mm", [("0", "0"), ("15", "0"), ("-15", "-10"), ("nan", "10"), ("inf", "10")])
def test_actual_size_must_be_a_real_size(mm):
    """0 mm (or nan) would print nothing where the impression belongs: an error, never a blank."""
    el = element(scale="actual", width="{{ img.w }}", height="{{ img.h }}")
    with pytest.raises(ImageInvalid) as ei:
        KIND.layout(el, {"source": b64(png(150, 100)), "width": mm[0], "height": mm[1]}, lc())
    assert ei.value.message == (f"{WHERE}: width/height must be sizes above 0 mm, not {float(mm[0]):g} × "
                                f"{float(mm[1]):g}") and ei.value.path == "$.img.data"


def test_actual_size_a_little_wider_than_the_box_is_refused():
    el = element(scale="actual", width="{{ img.w }}", height="{{ img.h }}")
    with pytest.raises(ImageInvalid) as ei:
        KIND.layout(el, {"source": b64(png(405, 100)), "width": "40.5", "height": "10"}, lc())
    assert "image is 40.5 × 10.0 mm and must print at actual size, but the box is 40.0 × 20.0 mm" in ei.value.message


def test_decoding_is_bounded_by_the_render_deadline():
    import time

    from lgforms.errors import LimitExceeded
    from lgforms.limits import deadline_scope

    with deadline_scope(time.perf_counter() - 1):
        with pytest.raises(LimitExceeded) as ei:
            KIND.layout(element(), {"source": b64(png(4, 4))}, lc())
    assert ei.value.message == "render time limit reached during layout" and ei.value.detail == {"stage": "layout"}
