"""Imposition: the logical panels of each mailpiece onto the front and back of its sheet.

Each panel was laid out as a page of its own (the normal layout stage). For a sheet, the panel's
primitives are drawn once, inside ``q <clip> <cm> … Q`` on the sheet page: the ``cm`` matrix
translates and rotates panel coordinates to the panel's place on the sheet, the clip keeps the
panel to its own area (plus bleed at the sheet's edge, minus cut-outs). The panels' static parts
stay Form XObjects drawn once per document, placed through the same matrix. Pages come out in
duplex order: front, back, front, back, …; the back page is the sheet as seen after turning it
over the way the profile's ``flip`` says.

With a bleed, a fill that reaches the edge of its panel (a coloured band) is drawn again, grown by
the bleed beyond that edge, under the panel: the clip lets the growth show only where the panel
edge is the sheet's edge (trimmed away there), never across a fold into the neighbouring panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..layout.boxes import FormRef, LaidOutPage, RectBox
from ..pdf.writer import MM, PdfWriter
from .fold import Affine, Rect, subtract_all, turn_over
from .profiles import PrinterProfile

MARK_SPACE = 12.0  # mm outside the bleed for crop and fold marks
MARK_LEN = 6.0
MARK_GAP = 2.0
MARK_WIDTH = 0.1
EDGE = 0.01  # mm: a fill this close to a panel edge reaches it


@dataclass(slots=True)
class Mailpiece:
    """One record's panels, each laid out as a page."""

    record: int
    panels: dict[str, LaidOutPage]


@dataclass(slots=True)
class _Placed:
    panel: str
    matrix: tuple[float, float, float, float, float, float]  # panel points -> page points
    clip: list[tuple[float, float, float, float]]  # page points


class PressureSealImposer:
    """Places the panels of postcards and V/Z-fold pressure-seal mailers on their sheets, as a
    printer profile says. A postcard is the case with no fold (address on the front, message on
    the back)."""

    def __init__(self, profile: PrinterProfile):
        self.profile = profile
        p = profile
        sw, sh = p.sheet
        self.marks = p.marks.crop or p.marks.fold
        self.margin = p.bleed + (MARK_SPACE if self.marks else 0.0)
        m = self.margin
        self.page_size = (sw + 2 * m, sh + 2 * m)
        self.sides: dict[str, list[_Placed]] = {"front": [], "back": []}
        pw, ph = p.panel_size
        page_h = self.page_size[1]
        from_panel_pdf = Affine(1 / MM, 0, 0, -1 / MM, 0, ph)  # panel points (y up) -> panel mm (y down)
        to_page_pdf = Affine(MM, 0, 0, -MM, m * MM, (page_h - m) * MM)  # side mm -> page points
        for pl in p.panels:
            to_side = p.panel_to_side(pl.panel)
            mat = to_page_pdf @ to_side @ from_panel_pdf
            rect = to_side.rect((0.0, 0.0, pw, ph))
            cuts = p.cutout_rects if pl.side == "front" else \
                [turn_over(sw, sh, p.flip).rect(c) for c in p.cutout_rects]
            clip = []
            for r in subtract_all([rect], cuts):
                r = self._bleed(r)
                x0, y0, x1, y1 = to_page_pdf.rect(r)
                clip.append((x0, y0, x1 - x0, y1 - y0))
            self.sides[pl.side].append(_Placed(pl.panel, (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f), clip))
        self._mark_ops = {side: self._marks(side) for side in ("front", "back")}
        self._static_fills: dict[tuple[str, float, float], list[RectBox]] = {}  # bleed growth of static fills

    def _bleed(self, r: Rect) -> Rect:
        b = self.profile.bleed
        if not b:
            return r
        sw, sh = self.profile.sheet
        x0, y0, x1, y1 = r
        return (x0 - b if x0 <= 1e-6 else x0, y0 - b if y0 <= 1e-6 else y0,
                x1 + b if x1 >= sw - 1e-6 else x1, y1 + b if y1 >= sh - 1e-6 else y1)

    # -- marks ---------------------------------------------------------------------------------
    def _marks(self, side: str) -> list[tuple[float, float, float, float, tuple | None]]:
        """Lines (x1, y1, x2, y2 in sheet mm, dash) for crop and fold marks on one side."""
        p = self.profile
        if not self.marks:
            return []
        sw, sh = p.sheet
        o = p.bleed + MARK_GAP  # marks start outside the bleed
        out: list[tuple[float, float, float, float, tuple | None]] = []
        if p.marks.crop:
            for x in (0.0, sw):
                for y in (0.0, sh):
                    sx = -1 if x == 0 else 1
                    sy = -1 if y == 0 else 1
                    out.append((x + sx * o, y, x + sx * (o + MARK_LEN), y, None))
                    out.append((x, y + sy * o, x, y + sy * (o + MARK_LEN), None))
            cuts = p.cutout_rects if side == "front" else [turn_over(sw, sh, p.flip).rect(c) for c in p.cutout_rects]
            for cx0, cy0, cx1, cy1 in cuts:  # where the cut lines meet the sheet's edge
                for y in (cy0, cy1):
                    if 1e-6 < y < sh - 1e-6:
                        if cx0 <= 1e-6:
                            out.append((-o, y, -(o + MARK_LEN), y, None))
                        if cx1 >= sw - 1e-6:
                            out.append((sw + o, y, sw + o + MARK_LEN, y, None))
                for x in (cx0, cx1):
                    if 1e-6 < x < sw - 1e-6:
                        if cy0 <= 1e-6:
                            out.append((x, -o, x, -(o + MARK_LEN), None))
                        if cy1 >= sh - 1e-6:
                            out.append((x, sh + o, x, sh + o + MARK_LEN, None))
        if p.marks.fold:
            rects = [p.panel_rect(pl.panel) for pl in p.panels if pl.side == side]
            xs = sorted({round(r[0], 3) for r in rects} | {round(r[2], 3) for r in rects})
            ys = sorted({round(r[1], 3) for r in rects} | {round(r[3], 3) for r in rects})
            dash = (1.0, 1.0)
            for x in xs:
                if 1e-6 < x < sw - 1e-6:
                    out.append((x, -o, x, -(o + MARK_LEN), dash))
                    out.append((x, sh + o, x, sh + o + MARK_LEN, dash))
            for y in ys:
                if 1e-6 < y < sh - 1e-6:
                    out.append((-o, y, -(o + MARK_LEN), y, dash))
                    out.append((sw + o, y, sw + o + MARK_LEN, y, dash))
        return out

    # -- writing -------------------------------------------------------------------------------
    def write(self, mailpieces: Iterable[Mailpiece], w: PdfWriter) -> int:
        """Two pages (front, back) per mailpiece; returns the number of pages written."""
        n = 0
        ph = self.profile.panel_size[1]
        m = self.margin
        sw, sh = self.profile.sheet
        if self.marks or self.profile.bleed:
            b = self.profile.bleed
            w.set_boxes((m * MM, m * MM, (m + sw) * MM, (m + sh) * MM),
                        ((m - b) * MM, (m - b) * MM, (m + sw + b) * MM, (m + sh + b) * MM))
        for piece in mailpieces:
            for side in ("front", "back"):
                w.set_page_size(*self.page_size)
                for placed in self.sides[side]:
                    _ensure_statics(w, piece.panels[placed.panel])
                for placed in self.sides[side]:
                    page = piece.panels[placed.panel]
                    with w.placed(placed.matrix, ph, placed.clip):
                        for r in self._bleed_fills(page):
                            r.draw(w)
                        for it in page.items:
                            it.draw(w)
                for x1, y1, x2, y2, dash in self._mark_ops[side]:
                    w.line(x1 + m, y1 + m, x2 + m, y2 + m, MARK_WIDTH, None, dash)
                w.show_page()
                n += 1
        return n

    def _bleed_fills(self, page: LaidOutPage) -> list[RectBox]:
        """The panel's edge-reaching fills grown by the bleed beyond the edges they reach (panel
        coordinates; drawn before the panel, so the panel itself looks as laid out). Fills of the
        static parts (Form XObjects, clipped to the panel by their bounding box) are found through
        the page's FormRefs, at their offsets."""
        b = self.profile.bleed
        if not b:
            return []
        pw, ph = self.profile.panel_size

        def grow(it: RectBox, dx: float, dy: float, out: list[RectBox]) -> None:
            x0, y0 = it.x + dx, it.y + dy
            x1, y1 = x0 + it.w, y0 + it.h
            left, top, right, bottom = x0 <= EDGE, y0 <= EDGE, x1 >= pw - EDGE, y1 >= ph - EDGE
            if not (left or top or right or bottom):
                return
            x0, y0 = (min(x0, 0.0) - b if left else x0), (min(y0, 0.0) - b if top else y0)
            x1, y1 = (max(x1, pw) + b if right else x1), (max(y1, ph) + b if bottom else y1)
            out.append(RectBox(x0, y0, x1 - x0, y1 - y0, None, None, it.fill))

        out: list[RectBox] = []
        statics = None
        for it in page.items:
            t = type(it)
            if t is RectBox and it.fill is not None:
                grow(it, 0.0, 0.0, out)
            elif t is FormRef:
                # a static part is the same in every mailpiece of the document: its fills once
                key = (it.name, it.dx, it.dy)
                hit = self._static_fills.get(key)
                if hit is None:
                    if statics is None:
                        statics = {sp.name: sp.items for sp in page.statics}
                    hit = []
                    for s in statics.get(it.name, ()):
                        if type(s) is RectBox and s.fill is not None:
                            grow(s, it.dx, it.dy, hit)
                    self._static_fills[key] = hit
                out += hit
        return out


def _ensure_statics(w: PdfWriter, page: LaidOutPage) -> None:
    """Create the Form XObjects of a panel's static parts (once per document), in panel size."""
    for sp in page.statics:
        if sp.items and not w.has_form(sp.name):
            saved = (w.page_w, w.page_h)
            w.page_w, w.page_h = page.size
            try:
                w.begin_form(sp.name)
                for it in sp.items:
                    it.draw(w)
                w.end_form(sp.name)
            finally:
                w.page_w, w.page_h = saved


def window_fold_marks(w: PdfWriter, page_size: tuple[float, float], folds_at: list[float]) -> None:
    """Short fold marks at the page edges for a tri-folded insert (inside the 5 mm margin)."""
    pw, _ = page_size
    for y in folds_at:
        w.line(0.0, y, 4.0, y, MARK_WIDTH, None, (1.0, 1.0))
        w.line(pw - 4.0, y, pw, y, MARK_WIDTH, None, (1.0, 1.0))


__all__ = ["Mailpiece", "PressureSealImposer", "window_fold_marks"]
