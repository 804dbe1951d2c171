"""``indicia``: the 料金別納 / 料金後納 mark of mail paid at the counter or on account.

```yaml
- {kind: indicia, id: indicia, box: [6, 6, 22, 22], shape: circle, type: betsunou,
   office: "{{ tenant.postal.office }}"}
```

Japan Post (料金別納 表示の方法): a circle 2–3 cm across or a square 2–3 cm a side; the 差出事業所名
(「銀座局」) in the upper part, above a rule; 「料金別納／郵便」 (or 料金後納) below. ``lines: 2``
draws the two rules 1–2 mm apart of mail with 送達余裕承諾 (3 days), ``lines: 3`` adds the rule
above the office name (7 days). The office name may be omitted when the sender's name and address
are printed on the piece — the postal checks then require the form's sender block on the same
face. Place the mark top-left on portrait mail, top-right on landscape mail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import PostalConstraint, ValueInvalid
from ..layout.boxes import PT
from ..layout.text import fit_text
from ..postal import rules
from ..spec.models import Box, ElementSpec, TextStyle
from .base import Compiled, ElementKind, LayoutContext, render

TYPES = {"betsunou": "料金別納", "料金別納": "料金別納", "kounou": "料金後納", "料金後納": "料金後納"}


class IndiciaSpec(ElementSpec):
    box: Box  # the mark's square: a circle's diameter is its width
    shape: Literal["circle", "square"] = "circle"
    type: str = "betsunou"  # template: betsunou | kounou (料金別納 | 料金後納)
    office: str | None = None  # template: 差出事業所名, e.g. "{{ tenant.postal.office }}"; empty = omitted
    lines: Literal[1, 2, 3] = 1
    line_gap: float = 1.5  # mm between the rules of lines: 2/3
    line_width: float = 0.3
    font: str = "gothic"


@dataclass(slots=True)
class IndiciaMark:
    """The outline and rules of the mark (postal checks find it by this type)."""

    x: float
    y: float
    size: float
    shape: str
    rules_y: list[float]
    line_width: float
    office_omitted: bool
    kind: str

    def bbox(self) -> tuple[float, float, float, float]:
        h = self.line_width / 2
        return (self.x - h, self.y - h, self.x + self.size + h, self.y + self.size + h)

    def _chord(self, y: float) -> tuple[float, float]:
        if self.shape == "square":
            return self.x, self.x + self.size
        r = self.size / 2
        dy = y - (self.y + r)
        half = math.sqrt(max(0.0, r * r - dy * dy))
        return self.x + r - half, self.x + r + half

    def draw(self, w) -> None:
        if self.shape == "circle":
            r = self.size / 2
            w.circle(self.x + r, self.y + r, r, stroke_width=self.line_width)
        else:
            w.rect(self.x, self.y, self.size, self.size, stroke_width=self.line_width)
        for ry in self.rules_y:
            x1, x2 = self._chord(ry)
            w.line(x1, ry, x2, ry, self.line_width)


class IndiciaKind(ElementKind):
    name = "indicia"
    Spec = IndiciaSpec
    templates = ("type", "office")

    def check(self, spec: IndiciaSpec, where: str) -> None:
        w, h = spec.box[2:]
        lo, hi = rules.INDICIA_SIZE_MM
        what = "diameter" if spec.shape == "circle" else "side"
        if abs(w - h) > 1e-6:
            raise PostalConstraint(f"{where}: the mark's box must be square ({w} × {h} mm)")
        if w < lo - 1e-6:
            raise PostalConstraint(f"{where}: a 料金別納/後納 mark's {what} is 20–30 mm; {w:g} mm is "
                                   f"{lo - w:.1f} mm too small")
        if w > hi + 1e-6:
            raise PostalConstraint(f"{where}: a 料金別納/後納 mark's {what} is 20–30 mm; {w:g} mm is "
                                   f"{w - hi:.1f} mm too large")
        glo, ghi = rules.INDICIA_LINE_GAP_MM
        if spec.lines > 1 and not glo <= spec.line_gap <= ghi:
            raise PostalConstraint(f"{where}: the rules of a 送達余裕承諾 mark are {glo}–{ghi} mm apart, "
                                   f"not {spec.line_gap} mm")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        return {a: (render(el, a, ctx) if a in el.t else getattr(el.spec, a)) for a in ("type", "office")}

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: IndiciaSpec = el.spec
        x, y, s, _ = lc.box(spec.box)
        kind = TYPES.get(str(value.get("type") or "betsunou").strip())
        if kind is None:
            raise ValueInvalid(f"{el.where}: type must be betsunou (料金別納) or kounou (料金後納), "
                               f"not {value.get('type')!r}", form_id=lc.form_id)
        office = str(value.get("office") or "").strip()
        stack = lc.stacks[spec.font]
        rule = y + s * 0.40
        rules_y = [rule]
        if spec.lines >= 2:
            rules_y.append(rule + spec.line_gap)
        if spec.lines == 3:
            rules_y.append(y + s * 0.13)
        mark = IndiciaMark(x, y, s, spec.shape, rules_y, spec.line_width, not office, kind)
        items: list = [mark]
        inset = s * (0.2 if spec.shape == "circle" else 0.08)
        if office:
            top = y + s * (0.16 if spec.lines == 3 else 0.12)
            items += fit_text(office, (x + inset, top, s - 2 * inset, rule - top - 0.6),
                              TextStyle(size=s * 0.36 / PT * 0.55, min_size=4, fit="shrink", align="center",
                                        font=spec.font),
                              stack, path=lc.path(el.t["office"].source_var) if "office" in el.t else None,
                              problems=lc.problems)
        below = rules_y[1] if spec.lines >= 2 else rule
        size = s * 0.17 / PT
        body = (x + s * 0.12, below + s * 0.08, s * 0.76, s * 0.36)
        items += fit_text(f"{kind}\n郵便", body,
                          TextStyle(size=size, min_size=4, fit="wrap", align="center", valign="top",
                                    line_height=1.25, font=spec.font),
                          stack, path=None, problems=lc.problems)
        return items


KIND = IndiciaKind()
