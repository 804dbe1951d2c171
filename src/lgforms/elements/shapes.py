"""``line`` and ``rect``: rules and frames (mostly in the static part of a page)."""

from __future__ import annotations

from pydantic import model_validator

from ..layout.boxes import LineBox, RectBox
from ..spec.models import Box, Color, ElementSpec
from .base import Compiled, ElementKind, LayoutContext, spec_error


class LineSpec(ElementSpec):
    points: tuple[float, float, float, float]  # x1, y1, x2, y2 (mm)
    width: float = 0.25  # mm
    color: Color | None = None
    dash: tuple[float, ...] | None = None  # mm on/off


class RectSpec(ElementSpec):
    box: Box
    width: float | None = 0.25  # stroke width in mm; null = no stroke
    color: Color | None = None  # stroke colour
    fill: Color | None = None
    dash: tuple[float, ...] | None = None

    @model_validator(mode="after")
    def _visible(self) -> "RectSpec":
        if not self.width and self.fill is None:
            raise ValueError("a rect needs a stroke width or a fill")
        return self


class LineKind(ElementKind):
    name = "line"
    Spec = LineSpec

    def bind(self, el: Compiled, ctx: dict):
        return None

    def layout(self, el: Compiled, value, lc: LayoutContext):
        x1, y1, x2, y2 = el.spec.points
        s = el.spec
        return [LineBox(x1 + lc.dx, y1 + lc.dy, x2 + lc.dx, y2 + lc.dy, s.width, s.color, s.dash)]


class RectKind(ElementKind):
    name = "rect"
    Spec = RectSpec

    def check(self, spec: RectSpec, where: str) -> None:
        if spec.box[2] <= 0 or spec.box[3] <= 0:
            raise spec_error(where, f"box {list(spec.box)} must have positive width and height")

    def bind(self, el: Compiled, ctx: dict):
        return None

    def layout(self, el: Compiled, value, lc: LayoutContext):
        s = el.spec
        x, y, w, h = lc.box(s.box)
        return [RectBox(x, y, w, h, s.width, s.color, s.fill, s.dash)]


LINE = LineKind()
RECT = RectKind()
