"""What the layout stage produces: plain, positioned primitives (millimetres, top-left origin).

A test can stop here and inspect a page before any PDF exists. Each primitive knows how to
draw itself on a ``PdfWriter``; that is the whole draw stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Union

from ..moji.fonts import Glyph
from ..pdf.cidfont import FontFull, vertical_origin

if TYPE_CHECKING:
    from ..pdf.writer import PdfWriter

PT = 25.4 / 72.0  # millimetres per point


class VColumn:
    """One column of vertical text (縦書き): its ``TextLine`` s, one per cluster (or 縦中横 run),
    top to bottom. The first of them draws the whole column as one vertical text run (Identity-V),
    so that the column copies out as one line; the others draw nothing themselves."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: list[TextLine] = []


@dataclass(slots=True)
class TextLine:
    """One line of text: starts at ``x``, sits on ``baseline``; ``glyphs`` are (cluster, Glyph).
    In vertical text a line is one cluster (or the digits of one 縦中横 run) of a ``column``."""

    x: float
    baseline: float
    size: float
    clusters: list[str]
    glyphs: list[Glyph]
    width: float  # mm, without char_spacing
    char_spacing: float = 0.0  # pt added after every cluster (均等割付)
    h_scale: float = 100.0
    color: tuple[float, float, float] | None = None
    path: str | None = None  # JSON path of the value shown (for tests and diagnostics)
    box: tuple[float, float, float, float] | None = None  # the element's box (mm) the line must stay in
    column: VColumn | None = field(default=None, repr=False)  # vertical text: the column it is part of
    # (embedded font's serial, page height, operators) of the last draw: a line is never changed once
    # laid out and fitted lines are shared by every record that shows the same text in the same box
    # (labels, 税目, 教示), so the next draw into the same font object writes the same operators again.
    # The serial, not the object: a cached line must not keep a finished document's fonts alive
    _drawn: tuple | None = field(default=None, init=False, repr=False, compare=False)
    in_text_layer: ClassVar[bool] = True  # False: printed as outlines, not extractable (postcode box digits)

    @property
    def text(self) -> str:
        return "".join(self.clusters)

    def draw(self, w: "PdfWriter") -> None:
        col = self.column
        if col is not None:
            if col.lines[0] is self:
                _draw_column(col.lines, w)
            return
        self._draw_horizontal(w)

    def _draw_horizontal(self, w: "PdfWriter") -> None:
        glyphs = self.glyphs
        font = glyphs[0].font
        drawn = self._drawn
        if drawn is not None:  # drawn before (one font): the same operators, if into the same font object
            ef = w.embedded(font)
            if drawn[0] == ef.serial and drawn[1] == w.page_h:
                w.text_again(drawn[2], ef)
                return
        if len(glyphs) == 1 or all([g.font is font for g in glyphs]):  # the common case: one font
            ef = w.embedded(font)
            try:
                hexstr = ef.encode(self.text, self.clusters, self.glyphs)
            except FontFull:
                ef = w.embedded(font, fresh=True)
                hexstr = ef.encode(self.text, self.clusters, self.glyphs)
            self._drawn = (ef.serial, w.page_h, w.text(self.x, self.baseline, self.size, [(ef, hexstr)],
                                                char_spacing=self.char_spacing, h_scale=self.h_scale,
                                                color=self.color))
            return
        runs: list[tuple[object, list[str]]] = []
        ef = None
        cur: list[str] = []
        for cluster, g in zip(self.clusters, self.glyphs):
            f = w.embedded(g.font)
            if f is not ef:
                if cur:
                    runs.append((ef, cur))
                ef, cur = f, []
            try:
                cid = f.cid(cluster, g.gid, g.advance, g.variant)
            except FontFull:
                if cur:
                    runs.append((ef, cur))
                f = ef = w.embedded(g.font, fresh=True)
                cur = []
                cid = f.cid(cluster, g.gid, g.advance, g.variant)
            cur.append("%04X" % cid)
        if cur:
            runs.append((ef, cur))
        w.text(self.x, self.baseline, self.size, [(f, "".join(h)) for f, h in runs],
               char_spacing=self.char_spacing, h_scale=self.h_scale, color=self.color)


def _draw_column(lines: list[TextLine], w: "PdfWriter") -> None:
    """A column of vertical text as runs of one Identity-V font each (one run in the usual case):
    each glyph hangs from the top of its em box, centred on the column; a 縦中横 run's digits
    share one em through CIDs of their own (``EmbeddedFont.tcy_cid``)."""
    first = lines[0]
    size = first.size
    em = size * PT
    pieces: list[list] = []  # [font, hex parts, (centre x, top, scale) or None: where the last one ended]
    nxt = None  # (font, centre x, top, scale) where the current piece's next glyph would go
    for ln in lines:
        gl = ln.glyphs
        font = gl[0].font
        if any(g.font is not font for g in gl) or ln.size != size or ln.color != first.color:
            for other in lines:  # not one column of one size and colour: each glyph on its own
                other._draw_horizontal(w)
            return
        scale = ln.h_scale
        width = ln.width * scale / 100.0 if len(gl) > 1 else ln.width
        cx = ln.x + width / 2
        top = ln.baseline - vertical_origin(font) / 1000.0 * em
        ef = w.embedded(font)
        try:
            hexes = _column_cids(ef, ln)
        except FontFull:
            ef = w.embedded(font, fresh=True)
            hexes = _column_cids(ef, ln)
        # where the last glyph left the current point (same column, next em box, unscaled)
        here = nxt is not None and nxt[3] == scale and abs(nxt[1] - cx) < 0.005 and abs(nxt[2] - top) < 0.005
        if here and nxt[0] is ef:
            pieces[-1][1].append(hexes)
        else:  # another font (a fallback glyph, a font that filled up) goes on without a move
            pieces.append([ef, [hexes], None if here and scale == 100.0 else (cx, top, scale)])
        nxt = (ef, cx, top + em, scale)
    w.vertical_text(size, [(ef, "".join(h), at) for ef, h, at in pieces],
                    "".join(ln.text for ln in lines), color=first.color)


def _column_cids(ef, ln: TextLine) -> str:
    gl = ln.glyphs
    if len(gl) == 1:
        g = gl[0]
        return "%04X" % ef.cid(ln.clusters[0], g.gid, g.advance, g.variant)
    run = sum(g.advance for g in gl)  # 縦中横: the digits side by side across one em
    out, off = [], 0.0
    for i, (c, g) in enumerate(zip(ln.clusters, gl)):
        out.append("%04X" % ef.tcy_cid(c, g.gid, g.advance, run, off, i == len(gl) - 1))
        off += g.advance
    return "".join(out)


@dataclass(slots=True)
class LineBox:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.25
    color: tuple[float, float, float] | None = None
    dash: tuple[float, ...] | None = None

    def draw(self, w: "PdfWriter") -> None:
        w.line(self.x1, self.y1, self.x2, self.y2, self.width, self.color, self.dash)


@dataclass(slots=True)
class RectBox:
    x: float
    y: float
    w: float
    h: float
    stroke_width: float | None = 0.25
    stroke: tuple[float, float, float] | None = None
    fill: tuple[float, float, float] | None = None
    dash: tuple[float, ...] | None = None

    def draw(self, w: "PdfWriter") -> None:
        w.rect(self.x, self.y, self.w, self.h, stroke_width=self.stroke_width, stroke=self.stroke,
               fill=self.fill, dash=self.dash)


@dataclass(slots=True)
class ImageBox:
    x: float
    y: float
    w: float
    h: float
    data: bytes = field(repr=False)
    path: str | None = None
    max_px: tuple[int, int] | None = None  # pixels the box needs at print resolution (larger: downsampled)

    def draw(self, w: "PdfWriter") -> None:
        w.image(self.data, self.x, self.y, self.w, self.h, max_px=self.max_px)


@dataclass(slots=True)
class BarsBox:
    """Filled bars (barcodes): (x, y, w, h) each."""

    rects: list[tuple[float, float, float, float]]
    color: tuple[float, float, float] | None = None
    path: str | None = None

    def draw(self, w: "PdfWriter") -> None:
        w.bars(self.rects, self.color)


@dataclass(slots=True)
class ModuleBars:
    """A linear barcode: alternating bar/space widths in modules, starting with a bar."""

    x: float
    y: float
    module: float  # mm
    height: float  # mm
    widths: list[int]
    path: str | None = None

    def draw(self, w: "PdfWriter") -> None:
        w.module_bars(self.x, self.y, self.module, self.height, self.widths)


@dataclass(slots=True)
class ModuleGrid:
    """A 2-D barcode (QR): dark modules as horizontal runs ``(column, row, length)`` in module units,
    the symbol's top-left corner at (x, y) mm. A type of its own, not a ``BarsBox``: the postal checks
    read every ``BarsBox`` on an address face as the customer barcode."""

    x: float
    y: float
    module: float  # mm
    runs: list[tuple[int, int, int]]
    size: int  # modules per side, without the quiet zone
    path: str | None = None

    def bbox(self) -> tuple[float, float, float, float]:
        side = self.size * self.module
        return (self.x, self.y, self.x + side, self.y + side)

    def draw(self, w: "PdfWriter") -> None:
        w.module_grid(self.x, self.y, self.module, self.runs)


@dataclass(slots=True)
class FormRef:
    """Place a static Form XObject (page or slot background), shifted by (dx, dy) mm."""

    name: str
    dx: float = 0.0
    dy: float = 0.0

    def draw(self, w: "PdfWriter") -> None:
        w.use_form(self.name, self.dx, self.dy)


Primitive = Union[TextLine, LineBox, RectBox, ImageBox, BarsBox, ModuleBars, ModuleGrid, FormRef]


@dataclass(slots=True)
class StaticPart:
    """Primitives drawn once per document into a Form XObject named ``name``."""

    name: str
    items: list[Primitive]


@dataclass(slots=True)
class LaidOutPage:
    size: tuple[float, float]
    statics: list[StaticPart]  # backgrounds this page uses (the writer creates each once)
    items: list[Primitive]  # everything in drawing order (FormRefs included)
    template: str = ""
    number: int = 0


@dataclass(slots=True)
class LaidOutDocument:
    form_id: str
    title: str
    pages: list[LaidOutPage]
    warnings: list[dict] = field(default_factory=list)
