"""Draws fictitious registered 印影 (seal impressions) for the 印鑑登録証明書 samples.

    python tools/samples/inkan_inei.py 長谷川原 --shape square --mm 25 > /tmp/inei.b64

A 印影 is printed at its actual size (the payload gives width_mm × height_mm; 印鑑条例準則: it must
fit a 25 mm square and not fit an 8 mm square). This draws 1–4 characters in red with IPAmj明朝:
one column top to bottom, or for four characters two columns read right to left, in a circle or
a square frame, 600 px wide (≈ 610 dpi at 25 mm), and prints the PNG as base64. Characters with an
IVS cannot be drawn this way (Pillow's basic layout ignores variation selectors): use another part
of the name, as real seals often do.
"""

from __future__ import annotations

import argparse
import base64
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
RED = (200, 30, 30, 255)


def draw(text: str, shape: str = "circle", px: int = 600) -> bytes:
    if not 1 <= len(text) <= 4:
        raise SystemExit("1–4 characters")
    img = Image.new("RGBA", (px, px), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    edge = px // 25
    if shape == "circle":
        d.ellipse([edge, edge, px - edge - 1, px - edge - 1], outline=RED, width=edge)
    else:
        d.rectangle([edge, edge, px - edge - 1, px - edge - 1], outline=RED, width=edge)
    if len(text) == 4:  # two columns, right column first
        cols = [text[:2], text[2:]]
    else:
        cols = [text]
    inner = px - 6 * edge
    cell_h = inner / max(len(c) for c in cols)
    cell_w = inner / len(cols)
    size = int(min(cell_h, cell_w) * 0.86)
    font = ImageFont.truetype(str(ROOT / "fonts" / "ipamjm.ttf"), size)
    for ci, col in enumerate(cols):
        x = px - 3 * edge - cell_w * (ci + 0.5)
        for ri, ch in enumerate(col):
            y = 3 * edge + (inner - cell_h * len(col)) / 2 + cell_h * (ri + 0.5)
            d.text((x, y), ch, font=font, fill=RED, anchor="mm")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("text")
    ap.add_argument("--shape", choices=["circle", "square"], default="circle")
    ap.add_argument("--px", type=int, default=600)
    a = ap.parse_args()
    print(base64.b64encode(draw(a.text, a.shape, a.px)).decode())
