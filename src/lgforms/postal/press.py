"""N-up imposition: several mailpieces' sheets on one press sheet, with crop marks (``press:`` in a
printer profile, ``imposition="press"``).

Each mailpiece's sheet is drawn exactly as ``PressureSealImposer`` draws it for one sheet (its
panels placed, rotated and clipped), shifted into its grid cell. Page pairs come out in duplex
order (front, back) per press sheet; on the back, a cell's mailpiece sits where the sheet turned
over (the profile's ``flip``) brings its front. Crop marks stand outside the grid at every cut
line, on both sides (registration).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import PostalConstraint
from ..pdf.writer import MM, PdfWriter
from .impose import MARK_GAP, MARK_LEN, MARK_WIDTH, Mailpiece, PressureSealImposer, _ensure_statics
from .profiles import PrinterProfile


@dataclass(frozen=True, slots=True)
class PressSlot:
    """Where a mailpiece went: press sheet (0-based in its file) and cell (row-major on the front)."""

    sheet: int
    cell: int


class PressImposer:
    def __init__(self, profile: PrinterProfile):
        if profile.press is None:
            raise PostalConstraint(f"printer profile {profile.id} has no 'press' section: it does not say how many "
                                   f"mailpieces go on a press sheet (use imposition 'sheets', or a profile with "
                                   f"press: {{sheet, grid, gutter}})")
        self.profile = profile
        pr = profile.press
        self.single = PressureSealImposer(profile.model_copy(update={"marks": profile.marks.model_copy(
            update={"crop": False, "fold": False})}))
        sw, sh = profile.sheet
        b = profile.bleed
        cols, rows = pr.grid
        gx, gy = pr.gutter
        if cols < 1 or rows < 1:
            raise PostalConstraint(f"printer profile {profile.id}: press.grid must be at least 1 × 1")
        if (cols > 1 and gx < 2 * b - 1e-9) or (rows > 1 and gy < 2 * b - 1e-9):
            raise PostalConstraint(f"printer profile {profile.id}: the press gutter ({gx:g} × {gy:g} mm) must hold "
                                   f"two bleeds ({2 * b:g} mm)")
        pw, ph = pr.sheet
        grid_w = cols * sw + (cols - 1) * gx
        grid_h = rows * sh + (rows - 1) * gy
        need = b + (MARK_GAP + MARK_LEN if pr.crop_marks else 0.0)
        mx, my = (pw - grid_w) / 2, (ph - grid_h) / 2
        if mx < need - 1e-9 or my < need - 1e-9:
            raise PostalConstraint(f"printer profile {profile.id}: {cols} × {rows} sheets of {sw:g} × {sh:g} mm "
                                   f"(gutter {gx:g} × {gy:g}) need {grid_w + 2 * need:.1f} × {grid_h + 2 * need:.1f} mm "
                                   f"with bleed and marks; the press sheet is {pw:g} × {ph:g} mm")
        self.page_size = (pw, ph)
        self.cells = cols * rows
        self.grid = (cols, rows)
        # top-left of each cell's trimmed sheet on the front, row-major
        self.front = [(mx + c * (sw + gx), my + r * (sh + gy)) for r in range(rows) for c in range(cols)]
        if profile.flip == "horizontal":
            self.back = [(pw - x - sw, y) for x, y in self.front]
        else:
            self.back = [(x, ph - y - sh) for x, y in self.front]
        self.marks = self._crop_marks(grid_w, grid_h, mx, my) if pr.crop_marks else []

    def _crop_marks(self, grid_w: float, grid_h: float, mx: float, my: float):
        sw, sh = self.profile.sheet
        o = self.profile.bleed + MARK_GAP
        xs = sorted({round(x, 4) for x, _ in self.front} | {round(x + sw, 4) for x, _ in self.front})
        ys = sorted({round(y, 4) for _, y in self.front} | {round(y + sh, 4) for _, y in self.front})
        out = []
        for x in xs:
            out.append((x, my - o, x, my - o - MARK_LEN))
            out.append((x, my + grid_h + o, x, my + grid_h + o + MARK_LEN))
        for y in ys:
            out.append((mx - o, y, mx - o - MARK_LEN, y))
            out.append((mx + grid_w + o, y, mx + grid_w + o + MARK_LEN, y))
        return out

    def slots(self, n: int) -> list[PressSlot]:
        """The press slot of each of ``n`` mailpieces of one file."""
        sheets = max(1, math.ceil(n / self.cells))
        if self.profile.press.order == "row":  # type: ignore[union-attr]
            return [PressSlot(i // self.cells, i % self.cells) for i in range(n)]
        return [PressSlot(i % sheets, i // sheets) for i in range(n)]

    def write(self, pieces: list[Mailpiece], w: PdfWriter) -> tuple[int, list[PressSlot]]:
        """Two pages (front, back) per press sheet; returns (pages written, slot of each piece)."""
        slots = self.slots(len(pieces))
        sheets = max((s.sheet for s in slots), default=-1) + 1
        on_sheet: list[dict[int, Mailpiece]] = [{} for _ in range(sheets)]
        for piece, s in zip(pieces, slots):
            on_sheet[s.sheet][s.cell] = piece
        single = self.single
        b = self.profile.bleed
        cell_h = single.page_size[1]
        pw, ph = self.page_size
        n = 0
        for cells in on_sheet:
            for side, origins in (("front", self.front), ("back", self.back)):
                w.set_page_size(pw, ph)
                for piece in cells.values():
                    for placed in single.sides[side]:
                        _ensure_statics(w, piece.panels[placed.panel])
                for cell, piece in sorted(cells.items()):
                    x, y = origins[cell]
                    # the single-sheet drawing has its sheet at (bleed, bleed) of a cell page
                    tx, ty = (x - b) * MM, (ph - (y - b) - cell_h) * MM
                    w.raw(f"q 1 0 0 1 {tx:.2f} {ty:.2f} cm")
                    for placed in single.sides[side]:
                        page = piece.panels[placed.panel]
                        with w.placed(placed.matrix, self.profile.panel_size[1], placed.clip):
                            for it in page.items:
                                it.draw(w)
                    w.raw("Q")
                for x1, y1, x2, y2 in self.marks:
                    if side == "back" and self.profile.flip == "horizontal":
                        x1, x2 = pw - x1, pw - x2
                    elif side == "back":
                        y1, y2 = ph - y1, ph - y2
                    w.line(x1, y1, x2, y2, MARK_WIDTH, None, None)
                w.show_page()
                n += 1
        return n, slots


__all__ = ["PressImposer", "PressSlot"]
