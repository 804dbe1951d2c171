"""Draw the fictitious 投票所案内図 of the 投票所入場券 sample (roads, a river, the station and the
polling place) and put it into forms/senkyo/senkyo_nyujoken_atchaku/samples/nyujoken_3nin.json.

    python tools/samples/senkyo_annai_zu.py

The map is shapes only (no lettering: the 投票所 name and address print as text beside it)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "forms/senkyo/senkyo_nyujoken_atchaku/samples/nyujoken_3nin.json"


def annai_zu() -> bytes:
    w, h = 700, 200  # 91 × 26 mm at about 195 dpi
    im = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(im)
    d.polygon([(0, 150), (700, 120), (700, 150), (0, 180)], fill=200)          # the river
    for y in (40, 100):                                                        # streets
        d.line([(0, y), (w, y)], fill=90, width=9)
    for x in (160, 420, 600):
        d.line([(x, 0), (x, h)], fill=90, width=9)
    d.line([(0, 70), (w, 70)], fill=0, width=5)                                # the railway
    for x in range(10, w, 30):
        d.line([(x, 64), (x, 76)], fill=0, width=2)
    d.rectangle([380, 60, 460, 80], outline=0, width=3, fill=255)             # the station
    d.rectangle([470, 104, 560, 145], outline=0, width=4, fill=170)           # the polling place
    d.ellipse([495, 110, 535, 140], outline=0, width=5)                        # its ○ mark
    d.polygon([(640, 20), (660, 60), (640, 50), (620, 60)], fill=0)            # north arrow
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


if __name__ == "__main__":
    payload = json.loads(SAMPLE.read_text("utf-8"))
    payload["annai_zu"] = {"png_base64": base64.b64encode(annai_zu()).decode("ascii")}
    SAMPLE.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(SAMPLE.relative_to(ROOT), len(payload["annai_zu"]["png_base64"]), "base64 characters")
