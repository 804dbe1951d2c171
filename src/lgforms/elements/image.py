"""``image``: a picture from the payload (data URI / base64) or from the form folder.

``scale: contain`` fits it in the box keeping its aspect ratio; ``scale: actual`` prints it at
the physical size the payload states (``width``/``height`` templates, mm) — for 印影, which must
be printed 原寸 (never scaled to fit) and must lie inside the box.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
from typing import Any, Literal

from ..errors import ImageInvalid
from ..limits import check as check_deadline
from ..layout.boxes import ImageBox
from ..spec.models import Box, ElementSpec
from .base import Compiled, ElementKind, LayoutContext, render, spec_error


class ImageSpec(ElementSpec):
    box: Box
    source: str  # template giving a data URI or base64 PNG/JPEG
    scale: Literal["contain", "actual"] = "contain"
    width: str | None = None  # template (mm), for scale: actual
    height: str | None = None
    align: Literal["left", "center", "right"] = "center"
    valign: Literal["top", "middle", "bottom"] = "middle"


# Pixels are bounded from the image header, before anything is decompressed: a 100 KB PNG can
# declare 30000 × 30000 pixels (3.6 GB as RGBA). An A4 page at 300 dpi is 8.7 Mpx, so no box of
# a form needs more than MAX_IMAGE_PIXELS; a 公印 (≤ 30 mm) at 1200 dpi is 2 Mpx. What is kept
# is then downsampled to the box at print resolution when the PDF is written (PRINT_DPI).
MAX_IMAGE_PIXELS = 16_000_000
MAX_SEAL_PIXELS = 4_000_000
PRINT_DPI = 300
SEAL_DPI = 600  # line art: edges of a red seal stay sharp


def pixels_for(w_mm: float, h_mm: float, dpi: int = PRINT_DPI) -> tuple[int, int]:
    """The pixels a box of w × h mm needs at ``dpi``."""
    return max(1, math.ceil(w_mm / 25.4 * dpi)), max(1, math.ceil(h_mm / 25.4 * dpi))


def decode_image(value: Any, *, path: str | None, what: str = "image",
                 max_pixels: int = MAX_IMAGE_PIXELS) -> tuple[bytes, int, int]:
    """base64 / data URI -> (bytes, width px, height px); ImageInvalid if it is not a PNG/JPEG or
    declares more than ``max_pixels`` (checked from the header, before decompression)."""
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
    else:
        s = str(value).strip()
        if s.startswith("data:"):
            head, _, s = s.partition(",")
            if ";base64" not in head:
                raise ImageInvalid(f"{what}: a data URI must be base64-encoded", path=path)
        try:
            raw = base64.b64decode(s, validate=True)
        except (binascii.Error, ValueError):
            raise ImageInvalid(f"{what} is not valid base64", path=path) from None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw), formats=("PNG", "JPEG")) as im:  # reads the header only
            w, h = im.size
            if w * h > max_pixels:
                raise ImageInvalid(f"{what} is {w} × {h} px ({w * h:,} pixels); at most {max_pixels:,} are "
                                   f"accepted (more than print resolution needs)", path=path,
                                   detail={"width": w, "height": h, "max_pixels": max_pixels})
            im.verify()
    except Image.DecompressionBombError:
        raise ImageInvalid(f"{what} declares far more than {max_pixels:,} pixels", path=path) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageInvalid(f"{what} cannot be decoded as PNG or JPEG", path=path) from None
    return raw, w, h


def place(box: tuple[float, float, float, float], w: float, h: float, align: str, valign: str):
    x, y, bw, bh = box
    ix = x + {"left": 0.0, "center": (bw - w) / 2, "right": bw - w}[align]
    iy = y + {"top": 0.0, "middle": (bh - h) / 2, "bottom": bh - h}[valign]
    return ix, iy


class ImageKind(ElementKind):
    name = "image"
    Spec = ImageSpec
    templates = ("source", "width", "height")

    def check(self, spec: ImageSpec, where: str) -> None:
        if spec.scale == "actual" and (spec.width is None or spec.height is None):
            raise spec_error(where, "scale: actual needs width and height (mm) templates")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        out = {"source": render(el, "source", ctx)}
        if el.spec.scale == "actual":
            out["width"] = render(el, "width", ctx)
            out["height"] = render(el, "height", ctx)
        return out

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: ImageSpec = el.spec
        path = lc.path(el.t["source"].source_var)
        if not value["source"]:
            raise ImageInvalid(f"{el.where}: no image given", path=path)
        check_deadline("layout")
        data, pw, ph = decode_image(value["source"], path=path)
        box = lc.box(spec.box)
        if spec.scale == "actual":
            try:
                w, h = float(value["width"]), float(value["height"])
            except ValueError:
                raise ImageInvalid(f"{el.where}: width/height must be numbers (mm)", path=path) from None
            if not (math.isfinite(w) and math.isfinite(h) and w > 0 and h > 0):  # 0 mm would print nothing
                raise ImageInvalid(f"{el.where}: width/height must be sizes above 0 mm, not {w:g} × {h:g}",
                                   path=path)
            if abs((w / h) / (pw / ph) - 1) > 0.02:
                raise ImageInvalid(
                    f"{el.where}: the image is {pw} × {ph} px but is to print at {w} × {h} mm: "
                    f"that would distort it (aspect ratios differ by more than 2 %)", path=path)
            if w > box[2] + 1e-6 or h > box[3] + 1e-6:
                raise ImageInvalid(
                    f"{el.where}: image is {w} × {h} mm and must print at actual size, "
                    f"but the box is {box[2]} × {box[3]} mm", path=path)
        else:
            k = min(box[2] / pw, box[3] / ph)
            w, h = pw * k, ph * k
        x, y = place(box, w, h, spec.align, spec.valign)
        # a picture (map) at print resolution; an impression printed 原寸 (印影) as line art
        dpi = SEAL_DPI if spec.scale == "actual" else PRINT_DPI
        return [ImageBox(x, y, w, h, data, path, max_px=pixels_for(w, h, dpi))]


KIND = ImageKind()
