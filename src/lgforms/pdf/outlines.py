"""Glyphs drawn as vector paths: printed exactly as the font draws them, absent from the text layer.

For characters that must print but must not copy out a second time: the digits in a postcard's
郵便番号枠 are one value, and the text layer carries it once, whole (``987-6520``). Marking the box
digits as an artifact or giving them an ActualText was tried; pypdf, pdfminer.six and PDFium
still extract artifacts, and only poppler and MuPDF honour ActualText. A path is no text for
any of them.
"""

from __future__ import annotations

import io
import threading

from fontTools.pens.basePen import BasePen

from ..moji.fonts import FontFile

_paths: dict[tuple[str, int], str] = {}
_glyph_sets: dict[str, object] = {}
_lock = threading.Lock()


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


class _PdfPathPen(BasePen):
    """Outline -> PDF path operators in 1/1000 em (quadratic TrueType curves become cubics)."""

    def __init__(self, glyph_set, scale: float):
        super().__init__(glyph_set)
        self.ops: list[str] = []
        self.k = scale

    def _p(self, *pts) -> str:
        return " ".join(_n(v * self.k) for pt in pts for v in pt)

    def _moveTo(self, p):
        self.ops.append(self._p(p) + " m")

    def _lineTo(self, p):
        self.ops.append(self._p(p) + " l")

    def _curveToOne(self, p1, p2, p3):
        self.ops.append(self._p(p1, p2, p3) + " c")

    def _closePath(self):
        self.ops.append("h")


def glyph_path(font: FontFile, gid: int) -> str:
    """The outline of glyph ``gid`` as PDF path operators in 1/1000 em, the unit of the font's
    advances and bbox in lgforms (cached per process)."""
    key = (str(font.path), gid)
    hit = _paths.get(key)
    if hit is not None:
        return hit
    font.ensure_loaded()
    with _lock:
        gs = _glyph_sets.get(str(font.path))
        if gs is None:
            from fontTools.ttLib import TTFont

            gs = _glyph_sets[str(font.path)] = TTFont(io.BytesIO(font.data), lazy=True).getGlyphSet()
        pen = _PdfPathPen(gs, 1000.0 / font.upem)
        gs[font.glyph_names[gid]].draw(pen)
        ops = " ".join(pen.ops)
        _paths[key] = ops
    return ops
