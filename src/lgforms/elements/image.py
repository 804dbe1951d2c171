"""``image``: a picture from the payload (data URI / base64) or from the form folder.

``scale: contain`` fits it in the box keeping its aspect ratio; ``scale: actual`` prints it at
the physical size the payload states (``width``/``height`` templates, mm) — for 印影, which must
be printed 原寸 (never scaled to fit) and must lie inside the box.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any, Literal

from ..errors import ImageInvalid
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


def decode_image(value: Any, *, path: str | None, what: str = "image") -> tuple[bytes, int, int]:
    """base64 / data URI -> (bytes, width px, height px); ImageInvalid if it is not a PNG/JPEG."""
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
        with Image.open(io.BytesIO(raw)) as im:
            if im.format not in ("PNG", "JPEG"):
                raise ImageInvalid(f"{what} must be PNG or JPEG, got {im.format}", path=path)
            im.verify()
            w, h = im.size
    except (UnidentifiedImageError, OSError, SyntaxError):
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
        data, pw, ph = decode_image(value["source"], path=path)
        box = lc.box(spec.box)
        if spec.scale == "actual":
            try:
                w, h = float(value["width"]), float(value["height"])
            except ValueError:
                raise ImageInvalid(f"{el.where}: width/height must be numbers (mm)", path=path) from None
            if pw * h and abs((w / h) / (pw / ph) - 1) > 0.02:
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
        return [ImageBox(x, y, w, h, data, path)]


KIND = ImageKind()
