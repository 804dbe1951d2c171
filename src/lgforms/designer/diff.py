"""Where a rendering differs from a reference (``lgforms diff``): the official sample form as a
PDF or a scan (PNG), page against page.

Both pages become ink masks (gray below ``threshold``) at the same pixel size; a reference of
another size is scaled to the rendering's (its aspect ratio must match within 2 %: a scan of
another paper size is an error, not a score). Ink of one image counts as matched when the other
has ink within ``tolerance`` pixels (anti-aliasing, a scan's blur). The score is the unmatched
ink of both over all ink: 0 is identical, 1 nothing in common.

The diff image: ink in both gray, only in the rendering red, only in the reference blue.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..errors import ArgumentInvalid, LimitExceeded

MAX_REFERENCE_PIXELS = 40_000_000


@dataclass
class DiffResult:
    score: float
    ink_ours: int
    ink_reference: int
    only_ours: int
    only_reference: int
    size: tuple[int, int]
    image: bytes  # PNG

    def summary(self) -> str:
        return (f"score {self.score:.4f} (0 = identical): ink {self.ink_ours:,} px rendered, "
                f"{self.ink_reference:,} px reference; only in the rendering {self.only_ours:,} px (red), "
                f"only in the reference {self.only_reference:,} px (blue); {self.size[0]} × {self.size[1]} px")


def reference_page(data: bytes, name: str, page: int, dpi: int) -> Image.Image:
    """The reference page as an image: a PDF page rasterised at ``dpi``, or a PNG / JPEG."""
    if data[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        try:
            if not 1 <= page <= len(doc):
                raise ArgumentInvalid(f"--against {name}: has {len(doc)} page(s), no page {page}",
                                      detail={"argument": "--page"})
            return doc[page - 1].render(scale=dpi / 72.0).to_pil().convert("L")
        finally:
            doc.close()
    try:
        im = Image.open(io.BytesIO(data))
        if im.width * im.height > MAX_REFERENCE_PIXELS:
            raise LimitExceeded(f"--against {name}: {im.width} × {im.height} px is more than "
                                f"{MAX_REFERENCE_PIXELS:,} pixels")
        return im.convert("L")
    except (OSError, Image.DecompressionBombError) as e:
        raise ArgumentInvalid(f"--against {name}: not a PDF, PNG or JPEG image ({e})",
                              detail={"argument": "--against"}) from None


def _dilate(mask: np.ndarray, r: int) -> np.ndarray:
    if r <= 0:
        return mask
    out = mask.copy()
    h, w = mask.shape
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dx * dx + dy * dy > r * r or (dx == 0 and dy == 0):
                continue
            out[max(0, dy):h + min(0, dy), max(0, dx):w + min(0, dx)] |= \
                mask[max(0, -dy):h - max(0, dy), max(0, -dx):w - max(0, dx)]
    return out


def diff_images(ours: Image.Image, reference: Image.Image, *, tolerance: int = 1, threshold: int = 160) -> DiffResult:
    a_img = ours.convert("L")
    b_img = reference.convert("L")
    if b_img.size != a_img.size:
        ra, rb = a_img.width / a_img.height, b_img.width / b_img.height
        if abs(ra - rb) / ra > 0.02:
            raise ArgumentInvalid(f"the reference is {b_img.width} × {b_img.height} px, the rendering "
                                  f"{a_img.width} × {a_img.height} px: not the same page shape",
                                  detail={"argument": "--against"})
        b_img = b_img.resize(a_img.size, Image.LANCZOS)
    a = np.asarray(a_img) < threshold
    b = np.asarray(b_img) < threshold
    da, db = _dilate(a, tolerance), _dilate(b, tolerance)
    only_a = a & ~db
    only_b = b & ~da
    ink = int(a.sum() + b.sum())
    score = float(only_a.sum() + only_b.sum()) / ink if ink else 0.0
    rgb = np.full(a.shape + (3,), 255, dtype=np.uint8)
    rgb[a | b] = (170, 170, 170)
    rgb[only_b] = (30, 80, 230)
    rgb[only_a] = (220, 30, 30)
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, format="PNG")
    return DiffResult(score, int(a.sum()), int(b.sum()), int(only_a.sum()), int(only_b.sum()),
                      a_img.size, buf.getvalue())
