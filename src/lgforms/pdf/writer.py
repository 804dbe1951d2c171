"""The write stage: laid-out primitives -> PDF bytes, on ReportLab's PDF object model.

ReportLab gives us the document structure (pages, Form XObjects, images, compression, xref).
Text is written as raw operators by glyph ID through our ``EmbeddedFont`` (Type0/Identity-H):
ReportLab's own text path encodes one Unicode code point at a time into 256-glyph simple-font
subsets and so cannot draw an IVS cluster or map one CID to a multi-code-point text.

Coordinates: the layout stage works in millimetres from the top-left corner; this module is the
only place that converts to PDF points from the bottom-left.
"""

from __future__ import annotations

import io
import threading
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from ..limits import check as check_deadline
from ..moji.fonts import FontFile
from .cidfont import EmbeddedFont
from .images import add_image_xobject, encode_image

MM = 72.0 / 25.4
_rl_lock = threading.Lock()


@contextmanager
def _binary_streams():
    """ReportLab wraps compressed streams in ASCII85 by default (+25 % bytes, for 7-bit mail
    transport nobody uses now). Switch it off while *we* save; restore for other users."""
    with _rl_lock:
        old = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = old


def _num(v: float) -> str:
    # 1/100 pt (3.5 µm) is far below print resolution
    return "%.2f" % v


def _color_ops(color: tuple[float, ...] | None, stroke: bool) -> str:
    if color is None:
        return "0 G" if stroke else "0 g"
    if len(color) == 4:  # DeviceCMYK (postal marks: 郵便番号枠 in M+Y only, no K or C)
        return " ".join(_num(v) for v in color) + (" K" if stroke else " k")
    r, g, b = color
    if r == g == b:
        return f"{_num(r)} {'G' if stroke else 'g'}"
    return f"{_num(r)} {_num(g)} {_num(b)} {'RG' if stroke else 'rg'}"


class _Canvas(Canvas):
    def _make_preamble(self):
        # ReportLab's preamble selects Helvetica ("BT /F1 12 Tf …"), which puts an unembedded
        # Type 1 font into every document. All our text sets its own font; colours are explicit.
        self._preamble = ""


class PdfWriter:
    """One PDF document being written."""

    def __init__(self, *, page_size_mm: tuple[float, float], title: str | None = None,
                 author: str | None = None, deterministic: bool = False):
        self._buf = io.BytesIO()
        w, h = page_size_mm
        self.page_w, self.page_h = w, h
        self.canvas = _Canvas(self._buf, pagesize=(w * MM, h * MM), pageCompression=1,
                             invariant=1 if deterministic else 0)
        if title:
            self.canvas.setTitle(title)
        if author:
            self.canvas.setAuthor(author)
        self.canvas.setCreator("lgforms")
        self._fonts: dict[FontFile, EmbeddedFont] = {}
        self._font_count = 0
        self._forms: set[str] = set()
        self._code = self.canvas._code
        self.pages = 0

    # -- fonts -------------------------------------------------------------------------------
    def embedded(self, font: FontFile, *, fresh: bool = False) -> EmbeddedFont:
        """The font object of ``font`` in this document (``fresh``: start another one because the
        current one has used all 65,535 CIDs — only documents with that many distinct clusters)."""
        ef = self._fonts.get(font)
        if ef is None or fresh:
            self._font_count += 1
            ef = EmbeddedFont(font, f"LGF{self._font_count}")
            self._fonts[font] = ef
            self.canvas._doc.delayedFonts.append(ef)
        return ef

    # -- pages and static forms ----------------------------------------------------------------
    def set_page_size(self, w_mm: float, h_mm: float) -> None:
        if (w_mm, h_mm) != (self.page_w, self.page_h):
            self.page_w, self.page_h = w_mm, h_mm
            self.canvas.setPageSize((w_mm * MM, h_mm * MM))

    def has_form(self, name: str) -> bool:
        return name in self._forms

    def begin_form(self, name: str) -> None:
        self.canvas.beginForm(name, 0, 0, self.page_w * MM, self.page_h * MM)
        self._code = self.canvas._code

    def end_form(self, name: str) -> None:
        self.canvas.endForm()
        self._forms.add(name)
        self._code = self.canvas._code

    def use_form(self, name: str, dx_mm: float = 0.0, dy_mm: float = 0.0) -> None:
        xname = self.canvas._doc.getXObjectName(name)
        if dx_mm or dy_mm:
            self._code.append(f"q 1 0 0 1 {_num(dx_mm * MM)} {_num(-dy_mm * MM)} cm /{xname} Do Q")
        else:
            self._code.append(f"/{xname} Do")
        self.canvas._formsinuse.append(name)

    def raw(self, ops: str) -> None:
        """Append content-stream operators as they are (marks, clipping, text render modes)."""
        self._code.append(ops)

    @contextmanager
    def placed(self, matrix: tuple[float, float, float, float, float, float], local_h_mm: float,
               clip_pt: list[tuple[float, float, float, float]] | None = None):
        """Draw a panel of height ``local_h_mm`` through ``matrix`` (panel points -> page points),
        optionally clipped to the union of ``clip_pt`` (disjoint x, y, w, h in page points):
        imposition of logical panels onto a sheet. Inside the block primitives use panel coordinates."""
        ops = ["q"]
        if clip_pt:
            ops.append(" ".join(f"{' '.join(_num(v) for v in r)} re" for r in clip_pt) + " W n")
        ops.append(" ".join("%.4f" % v for v in matrix) + " cm")
        self._code.append(" ".join(ops))
        saved = self.page_h
        self.page_h = local_h_mm
        try:
            yield
        finally:
            self.page_h = saved
            self._code.append("Q")

    def show_page(self) -> None:
        self.canvas.showPage()
        self._code = self.canvas._code
        self.pages += 1

    # -- primitives ----------------------------------------------------------------------------
    def text(self, x_mm: float, baseline_mm: float, size: float, runs: list[tuple[EmbeddedFont, str]],
             *, char_spacing: float = 0.0, h_scale: float = 100.0,
             color: tuple[float, float, float] | None = None) -> None:
        """Draw one line: ``runs`` are (font, hex CIDs) pieces drawn one after another."""
        ops = ["BT", _color_ops(color, False)]
        if char_spacing:
            ops.append(f"{_num(char_spacing)} Tc")
        if h_scale != 100.0:
            ops.append(f"{_num(h_scale)} Tz")
        ops.append(f"1 0 0 1 {_num(x_mm * MM)} {_num((self.page_h - baseline_mm) * MM)} Tm")
        sz = _num(size)
        for ef, hexstr in runs:
            ops.append(f"/{ef.resource_name} {sz} Tf <{hexstr}> Tj")
        # Tc and Tz are graphics state: they outlive ET, so put them back for the next text
        if char_spacing:
            ops.append("0 Tc")
        if h_scale != 100.0:
            ops.append("100 Tz")
        ops.append("ET")
        self._code.append(" ".join(ops))

    def glyph_outline(self, font: FontFile, gid: int, x_mm: float, baseline_mm: float, size: float,
                      color: tuple[float, ...] | None = None) -> None:
        """One glyph filled as a path (no text: it does not copy out), origin at (x, baseline).
        Its outline is a Form XObject written once per document (a postcode digit repeats on
        every mailpiece of a batch); each use is a transform and ``Do``."""
        from .outlines import glyph_path

        name = f"lg.glyph.{font.key}.{gid}"
        if name not in self._forms:
            font.ensure_loaded()
            x0, y0, x1, y1 = font.bbox
            self.canvas.beginForm(name, x0, y0, x1, y1)
            self.canvas._code.append(glyph_path(font, gid) + " f")  # colour: the user's fill colour
            self.canvas.endForm()
            self._forms.add(name)
            self._code = self.canvas._code
        xname = self.canvas._doc.getXObjectName(name)
        s = size / 1000.0
        self._code.append(f"q {_color_ops(color, False)} {s:.5f} 0 0 {s:.5f} {_num(x_mm * MM)} "
                          f"{_num((self.page_h - baseline_mm) * MM)} cm /{xname} Do Q")
        self.canvas._formsinuse.append(name)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.25,
             color: tuple[float, float, float] | None = None, dash: tuple[float, ...] | None = None) -> None:
        h = self.page_h
        d = f"[{' '.join(_num(v * MM) for v in dash)}] 0 d " if dash else "[] 0 d "
        self._code.append(
            f"{_color_ops(color, True)} {_num(width * MM)} w {d}{_num(x1 * MM)} {_num((h - y1) * MM)} m "
            f"{_num(x2 * MM)} {_num((h - y2) * MM)} l S")

    def rect(self, x: float, y: float, w: float, h: float, *, stroke_width: float | None = 0.25,
             stroke: tuple[float, float, float] | None = None,
             fill: tuple[float, float, float] | None = None, dash: tuple[float, ...] | None = None) -> None:
        ph = self.page_h
        ops = []
        if fill is not None:
            ops.append(_color_ops(fill, False))
        if stroke_width:
            ops.append(f"{_color_ops(stroke, True)} {_num(stroke_width * MM)} w")
            ops.append(f"[{' '.join(_num(v * MM) for v in dash)}] 0 d" if dash else "[] 0 d")
        ops.append(f"{_num(x * MM)} {_num((ph - y - h) * MM)} {_num(w * MM)} {_num(h * MM)} re")
        if fill is not None and stroke_width:
            ops.append("B")
        elif fill is not None:
            ops.append("f")
        else:
            ops.append("S")
        if fill is not None:
            ops.append("0 g")
        self._code.append(" ".join(ops))

    def circle(self, cx: float, cy: float, r: float, *, stroke_width: float | None = 0.25,
               stroke: tuple[float, ...] | None = None, fill: tuple[float, ...] | None = None) -> None:
        """A circle (four Bézier arcs), centre (cx, cy) mm from the top-left, radius r mm."""
        k = 0.5523 * r
        x, y = cx * MM, (self.page_h - cy) * MM
        R, K = r * MM, k * MM
        ops = []
        if fill is not None:
            ops.append(_color_ops(fill, False))
        if stroke_width:
            ops.append(f"{_color_ops(stroke, True)} {_num(stroke_width * MM)} w [] 0 d")
        ops.append(f"{_num(x + R)} {_num(y)} m "
                   f"{_num(x + R)} {_num(y + K)} {_num(x + K)} {_num(y + R)} {_num(x)} {_num(y + R)} c "
                   f"{_num(x - K)} {_num(y + R)} {_num(x - R)} {_num(y + K)} {_num(x - R)} {_num(y)} c "
                   f"{_num(x - R)} {_num(y - K)} {_num(x - K)} {_num(y - R)} {_num(x)} {_num(y - R)} c "
                   f"{_num(x + K)} {_num(y - R)} {_num(x + R)} {_num(y - K)} {_num(x + R)} {_num(y)} c")
        ops.append("B" if fill is not None and stroke_width else "f" if fill is not None else "S")
        if fill is not None:
            ops.append("0 g")
        self._code.append(" ".join(ops))

    def bars(self, rects: list[tuple[float, float, float, float]],
             color: tuple[float, float, float] | None = None) -> None:
        """Filled rectangles in one path (barcodes)."""
        ph = self.page_h
        parts = [_color_ops(color, False)]
        for x, y, w, h in rects:
            parts.append(f"{_num(x * MM)} {_num((ph - y - h) * MM)} {_num(w * MM)} {_num(h * MM)} re")
        parts.append("f 0 g")
        self._code.append(" ".join(parts))

    def module_bars(self, x: float, y: float, module: float, height: float, widths: list[int]) -> None:
        """Bars in module units under one transform: integer coordinates keep the stream small."""
        parts = [f"q {_num(module * MM)} 0 0 {_num(height * MM)} {_num(x * MM)} "
                 f"{_num((self.page_h - y - height) * MM)} cm 0 g"]
        u = 0
        for i, m in enumerate(widths):
            if not i & 1:
                parts.append(f"{u} 0 {m} 1 re")
            u += m
        parts.append("f Q")
        self._code.append(" ".join(parts))

    def module_grid(self, x: float, y: float, module: float, runs: list[tuple[int, int, int]]) -> None:
        """Dark modules of a 2-D symbol in module units under one transform (y axis flipped so that
        rows go down): integer coordinates, one fill, no seams between neighbouring modules."""
        parts = [f"q {module * MM:.4f} 0 0 {-module * MM:.4f} {_num(x * MM)} "
                 f"{_num((self.page_h - y) * MM)} cm 0 g"]
        parts += [f"{c} {r} {n} 1 re" for c, r, n in runs]
        parts.append("f Q")
        self._code.append(" ".join(parts))

    def image(self, data: bytes, x: float, y: float, w: float, h: float,
              max_px: tuple[int, int] | None = None) -> None:
        """Draw an image scaled to exactly w × h mm (callers decide the size); with ``max_px``, an
        image with more pixels than that is downsampled first."""
        enc = encode_image(data, max_px)
        xname = add_image_xobject(self.canvas._doc, enc)
        self._code.append(f"q {_num(w * MM)} 0 0 {_num(h * MM)} {_num(x * MM)} "
                          f"{_num((self.page_h - y - h) * MM)} cm /{xname} Do Q")
        self.canvas._formsinuse.append(enc.name)

    # -- output --------------------------------------------------------------------------------
    def finish(self) -> bytes:
        check_deadline("write")
        with _binary_streams():
            self.canvas.save()
        return self._buf.getvalue()
