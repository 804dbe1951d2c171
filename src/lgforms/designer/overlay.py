"""The designer's overlays drawn into a page image (``lgforms preview --boxes --grid``).

The same layers and colours as the web page: mm grid (1 / 5 / 10 mm) and rulers; every element's
box with its id — variable parts green, static parts (drawn once per document) blue and dashed,
blocks purple with their name, flow regions orange and dashed, boxes with warnings red, the
element a failed layout stopped at filled red.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

RULER_MM = 7.0
COLORS = {"variable": (27, 127, 59), "static": (42, 93, 176), "block": (123, 63, 176), "flow": (194, 106, 0),
          "warn": (209, 47, 31), "grid": (0, 120, 255), "ruler": (68, 68, 68)}


@lru_cache(maxsize=4)
def _font(px: int):
    from ..resources import font_dir

    try:
        return ImageFont.truetype(str(font_dir() / "ipaexg.ttf"), px)
    except OSError:  # pragma: no cover - the font ships with lgforms
        return ImageFont.load_default()


def _dashed(d: ImageDraw.ImageDraw, x0, y0, x1, y1, fill, width: int, dash: float, gap: float) -> None:
    """A dashed rectangle outline (PIL draws no dashes)."""
    def seg(ax, ay, bx, by):
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        if length == 0:
            return
        t = 0.0
        while t < length:
            e = min(t + dash, length)
            d.line([(ax + (bx - ax) * t / length, ay + (by - ay) * t / length),
                    (ax + (bx - ax) * e / length, ay + (by - ay) * e / length)], fill=fill, width=width)
            t += dash + gap

    seg(x0, y0, x1, y0)
    seg(x1, y0, x1, y1)
    seg(x1, y1, x0, y1)
    seg(x0, y1, x0, y0)


def draw_overlays(png: bytes, page: dict, dpi: int, *, boxes: bool = True, grid: bool = False,
                  warnings: list[dict] = (), static: bool = True, failed: dict | None = None) -> bytes:
    """``png`` (one page at ``dpi``) with the overlays of ``page`` (an Inspection page). With
    ``grid`` the image grows by the rulers on the top and left."""
    base = Image.open(io.BytesIO(png)).convert("RGBA")
    px = dpi / 25.4
    margin = round(RULER_MM * px) if grid else 0
    canvas = Image.new("RGBA", (base.width + margin, base.height + margin), (244, 244, 240, 255))
    canvas.paste(base, (margin, margin))
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    W, H = page["size"]

    def at(x, y):
        return margin + x * px, margin + y * px

    if grid:
        for v in range(0, int(W) + 1):
            a = 110 if v % 10 == 0 else 55 if v % 5 == 0 else 24
            d.line([at(v, 0), at(v, H)], fill=COLORS["grid"] + (a,), width=1)
        for v in range(0, int(H) + 1):
            a = 110 if v % 10 == 0 else 55 if v % 5 == 0 else 24
            d.line([at(0, v), at(W, v)], fill=COLORS["grid"] + (a,), width=1)
        f = _font(max(8, round(2.2 * px)))
        for v in range(0, int(W) + 1):
            tick = 3.5 if v % 10 == 0 else 2 if v % 5 == 0 else 1
            x, _ = at(v, 0)
            d.line([(x, margin), (x, margin - tick * px)], fill=COLORS["ruler"] + (255,), width=1)
            if v % 10 == 0:
                d.text((x + 2, 1), str(v), fill=COLORS["ruler"] + (255,), font=f)
        for v in range(0, int(H) + 1):
            tick = 3.5 if v % 10 == 0 else 2 if v % 5 == 0 else 1
            _, y = at(0, v)
            d.line([(margin, y), (margin - tick * px, y)], fill=COLORS["ruler"] + (255,), width=1)
            if v % 10 == 0:
                d.text((1, y + 1), str(v), fill=COLORS["ruler"] + (255,), font=f)
    if boxes:
        warned = {w["rid"] for w in warnings if w.get("page") == page["index"]}
        f = _font(max(8, round(1.9 * px)))
        lw = max(1, round(px * 0.25))
        for fl in page.get("flows", ()):
            x, y, w, h = fl["box"]
            _dashed(d, *at(x, y), *at(x + w, y + h), COLORS["flow"] + (230,), max(2, lw), 3 * px, 1.5 * px)
            d.text((at(x, y + h)[0] + 2, at(x, y + h)[1] - 3 * px), f"flow.{fl['key']}", fill=COLORS["flow"] + (255,), font=f)
        for b in sorted(page["boxes"], key=lambda b: (not b["part"], -(b["box"][2] * b["box"][3]))):
            if b["static"] and not static:
                continue
            x, y, w, h = b["box"]
            p0, p1 = at(x, y), at(x + max(w, 0.2), y + max(h, 0.2))
            if b["part"]:
                c = COLORS["block"]
                _dashed(d, *p0, *p1, c + (220,), max(2, lw), 2 * px, 0.8 * px)
                d.text((p0[0] + 2, p0[1] - 2.4 * px), (b["block"] or {}).get("name") or b["label"], fill=c + (255,), font=f)
                continue
            c = COLORS["warn"] if b["rid"] in warned else COLORS["static"] if b["static"] else COLORS["variable"]
            if b["static"]:
                _dashed(d, *p0, *p1, c + (200,), lw, 0.8 * px, 0.5 * px)
            else:
                d.rectangle([p0, p1], outline=c + (230,), width=lw * (2 if b["rid"] in warned else 1),
                            fill=c + (22,) if b["rid"] in warned else None)
            d.text((p0[0] + 2, p0[1] + 1), b["label"], fill=c + (255,), font=f)
        if failed and failed.get("box"):
            x, y, w, h = failed["box"]
            d.rectangle([at(x, y), at(x + w, y + max(h, 1))], outline=COLORS["warn"] + (255,), width=3 * lw,
                        fill=COLORS["warn"] + (60,))
    out = Image.alpha_composite(canvas, layer).convert("RGB")
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()
