"""Draws the demo tenant's fictitious 公印 (src/lgforms/tenants/demo/seal.png).

A square seal of the fictitious みどり野市 (「みどり野市長之印」 read top-to-bottom, right-to-left),
600 px for 21 mm (≈725 dpi). Run: python tools/make_demo_seal.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
PX = 600
RED = (200, 30, 30, 255)

img = Image.new("RGBA", (PX, PX), (255, 255, 255, 0))
d = ImageDraw.Draw(img)
d.rectangle([12, 12, PX - 13, PX - 13], outline=RED, width=26)
font = ImageFont.truetype(str(ROOT / "fonts" / "ipamjm.ttf"), 150)
columns = ["みどり", "野市長", "之印"]  # right column first
cell = (PX - 80) / 3
for ci, col in enumerate(columns):
    x = PX - 40 - cell * (ci + 1)
    for ri, ch in enumerate(col):
        y = 40 + cell * ri + (cell * 3 - cell * len(col)) / 2 * (1 if len(col) < 3 else 0)
        d.text((x + cell / 2, y + cell / 2), ch, font=font, fill=RED, anchor="mm")
out = ROOT / "src" / "lgforms" / "tenants" / "demo" / "seal.png"
img.save(out, optimize=True)
print(out, out.stat().st_size)
