"""``postcode_boxes``: the 郵便番号枠 of a postcard's address face, with the postcode in it.

```yaml
- {kind: postcode_boxes, id: atena_postcode, at: [49.3, 12], value: "{{ atena_postcode }}"}
```

Seven boxes in one row with a hyphen between the third and the fourth, drawn to Japan Post's
specification (郵便番号・バーコードマニュアル p05): boxes 5.7 × 8.0 mm measured inside the frame
lines, gaps 1.3 / 1.9 / 1.1 mm (47.7 mm in all), the first three boxes and the hyphen 0.5 mm
thick, the last four 0.3 mm, in 金赤 (DeviceCMYK M100 Y100 — no black or cyan ink). ``at`` is the
top-left inside corner of the first box; on a portrait card the right edge of the last box must
be 8.0 mm from the card's right edge and the top 12.0 mm from its top (±1.5 mm) — the postal checks
verify that against the panel the boxes are on.

With a ``value`` the digits are printed in the boxes (black, centred, never touching the frame)
and the whole postcode (``987-6520``) is put in the text layer as invisible text over the boxes,
so that it copies and searches as one value. The box digits are drawn as glyph outlines, not
text, so the postcode copies out once (as text, PDFium interleaved the two: ``9 8 7987-6520 6 5 2
0``). Without a value the boxes are empty (handwriting).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import field_validator

from ..errors import PostalConstraint, ValueInvalid
from ..layout.boxes import TextLine
from ..layout.text import fit_text
from ..postal import rules
from ..postal.customer_barcode import normalize_postcode
from ..spec.models import ElementSpec, TextStyle
from .base import Compiled, ElementKind, LayoutContext

KINKIN = (0.0, 1.0, 1.0, 0.0)  # 金赤, DeviceCMYK


class PostcodeBoxesSpec(ElementSpec):
    at: tuple[float, float]  # top-left inside corner of box 1, mm
    value: str | None = None  # template: the postcode (7 digits, hyphen optional); None: empty boxes
    color: tuple[float, float, float, float] = KINKIN  # DeviceCMYK
    line_first: float = 0.5  # mm, boxes 1–3 and the hyphen
    line_last: float = 0.3  # mm, boxes 4–7
    digit_size: float = 13.0
    font: str = "gothic"

    @field_validator("color")
    @classmethod
    def _cmyk(cls, v):
        if any(not 0 <= c <= 1 for c in v):
            raise ValueError("color components are 0–1 (C, M, Y, K)")
        return v


@dataclass(slots=True)
class PostcodeFrame:
    """The seven boxes and the hyphen (postal checks find the frame by this type)."""

    x: float  # inside top-left of box 1
    y: float
    color: tuple[float, ...]
    line_first: float
    line_last: float

    def boxes(self) -> list[tuple[float, float, float, float]]:
        bw, bh = rules.POSTCODE_BOX_MM
        out, x = [], self.x
        for i in range(7):
            out.append((x, self.y, bw, bh))
            if i < 6:
                x += bw + rules.POSTCODE_GAPS_MM[i]
        return out

    def hyphen(self) -> tuple[float, float, float, float]:
        b3, b4 = self.boxes()[2], self.boxes()[3]
        gap0, gap1 = b3[0] + b3[2] + self.line_first / 2, b4[0] - self.line_last / 2
        mid = (gap0 + gap1) / 2
        half = max(0.3, (gap1 - gap0) / 2 - 0.35)
        y = self.y + rules.POSTCODE_HYPHEN_FROM_TOP_MM
        return (mid - half, y, mid + half, y)

    def bbox(self) -> tuple[float, float, float, float]:
        lw = max(self.line_first, self.line_last)
        return (self.x - lw, self.y - lw, self.x + rules.POSTCODE_TOTAL_MM + lw, self.y + rules.POSTCODE_BOX_MM[1] + lw)

    def draw(self, w) -> None:
        for i, (x, y, bw, bh) in enumerate(self.boxes()):
            lw = self.line_first if i < 3 else self.line_last
            # the box size is measured inside the frame line: the stroke lies outside it
            w.rect(x - lw / 2, y - lw / 2, bw + lw, bh + lw, stroke_width=lw, stroke=self.color)
        x1, y1, x2, y2 = self.hyphen()
        w.line(x1, y1, x2, y2, self.line_first, self.color)


@dataclass(slots=True)
class OutlinedDigit(TextLine):
    """A digit in its box, printed as the font's outline: the text layer has the postcode once,
    in the HiddenTextLine over the boxes."""

    in_text_layer = False

    def draw(self, w) -> None:
        x = self.x
        for g in self.glyphs:
            w.glyph_outline(g.font, g.gid, x, self.baseline, self.size, self.color)
            x += g.advance / 1000.0 * self.size * 25.4 / 72.0


@dataclass(slots=True)
class HiddenTextLine(TextLine):
    """Text in the text layer only (render mode 3): the postcode as one value over its boxes."""

    def draw(self, w) -> None:
        w.raw("3 Tr")
        TextLine.draw(self, w)
        w.raw("0 Tr")


class PostcodeBoxesKind(ElementKind):
    name = "postcode_boxes"
    Spec = PostcodeBoxesSpec
    templates = ("value",)

    def rects(self, spec: PostcodeBoxesSpec):
        lw = max(spec.line_first, spec.line_last)
        return [(spec.at[0] - lw, spec.at[1] - lw, rules.POSTCODE_TOTAL_MM + 2 * lw, rules.POSTCODE_BOX_MM[1] + 2 * lw)]

    def check(self, spec: PostcodeBoxesSpec, where: str) -> None:
        lo, hi = rules.POSTCODE_LINE_FIRST_MM
        if not lo <= spec.line_first <= hi:
            raise PostalConstraint(f"{where}: the first three boxes and the hyphen must be {lo}–{hi} mm thick "
                                   f"(郵便番号枠 specification), not {spec.line_first} mm")
        lo, hi = rules.POSTCODE_LINE_LAST_MM
        if not lo <= spec.line_last <= hi:
            raise PostalConstraint(f"{where}: the last four boxes must be {lo}–{hi} mm thick, not {spec.line_last} mm")
        c, m, y, k = spec.color
        if c > 0 or k > 0:
            raise PostalConstraint(f"{where}: 郵便番号枠 must be 朱色/金赤 with no black or cyan ink "
                                   f"(got C {c:g} K {k:g}); use e.g. [0, 1, 1, 0]")
        if max(m, y) < 0.4:
            raise PostalConstraint(f"{where}: the frame colour is too light (PCS 0.4 needed; M/Y {max(m, y):g})")
        if spec.digit_size * 0.3528 * 0.75 > rules.POSTCODE_BOX_MM[1] - 2:
            raise PostalConstraint(f"{where}: digits of {spec.digit_size} pt would touch the 8 mm boxes")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        return super().bind(el, ctx) if "value" in el.t else None

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: PostcodeBoxesSpec = el.spec
        x, y = spec.at[0] + lc.dx, spec.at[1] + lc.dy
        frame = PostcodeFrame(x, y, spec.color, spec.line_first, spec.line_last)
        items: list = [frame]
        if not value:
            return items
        path = lc.path(el.t["value"].source_var)
        text = str(value)
        try:  # the rule of the customer barcode beside it: NNN-NNNN or NNNNNNN (full-width folded)
            digits = normalize_postcode(text)
        except ValueInvalid:
            raise ValueInvalid(f"{el.where}: a postcode is 7 digits, NNN-NNNN or NNNNNNN; the value "
                               f"({len(text)} characters) is not", path=path) from None
        style = TextStyle(size=spec.digit_size, align="center", valign="middle", font=spec.font)
        stack = lc.stacks[spec.font]
        for d, box in zip(digits, frame.boxes()):
            for t in fit_text(d, box, style, stack, path=path, problems=lc.problems):
                items.append(OutlinedDigit(t.x, t.baseline, t.size, t.clusters, t.glyphs, t.width, t.char_spacing,
                                           t.h_scale, t.color, t.path, t.box))
        whole = (x, y, rules.POSTCODE_TOTAL_MM, rules.POSTCODE_BOX_MM[1])
        hidden = fit_text(f"{digits[:3]}-{digits[3:]}", whole,
                          TextStyle(size=10, min_size=4, fit="shrink", align="center", font=spec.font),
                          stack, path=path, problems=lc.problems)
        for t in hidden:
            items.append(HiddenTextLine(t.x, t.baseline, t.size, t.clusters, t.glyphs, t.width, t.char_spacing,
                                        t.h_scale, t.color, t.path, t.box))
        return items


KIND = PostcodeBoxesKind()
