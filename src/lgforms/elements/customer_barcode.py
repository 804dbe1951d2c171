"""``customer_barcode``: Japan Post's カスタマバーコード from a postcode and an address.

```yaml
- {kind: customer_barcode, box: [20, 60, 90, 8], postcode: "{{ atena_postcode }}",
   address: "{{ atena_address }}", point: 10}
```

The 住所表示番号 is extracted from ``address`` by the manual's rules (``postal.customer_barcode``);
``town`` (optional template) names the 町域名 so that only the text after it is used. The 67 bars
are drawn as filled rectangles from the box's left edge plus the 2 mm quiet zone, vertically
centred; the box must hold the symbol and the quiet zones at ``point`` (checked when the form
loads). Errors at render time name the JSON path of the postcode (or of the address).
"""

from __future__ import annotations

from typing import Any

from ..errors import LgformsError
from ..layout.boxes import BarsBox
from ..postal import customer_barcode as cb
from ..spec.models import Box, ElementSpec
from .base import Compiled, ElementKind, LayoutContext, render, spec_error


class CustomerBarcodeSpec(ElementSpec):
    box: Box
    postcode: str
    address: str
    town: str | None = None
    point: float = 10.0  # 8 ≤ point ≤ 11.5 (zipmanual p12)


class CustomerBarcodeKind(ElementKind):
    name = "customer_barcode"
    Spec = CustomerBarcodeSpec
    templates = ("postcode", "address", "town")

    def check(self, spec: CustomerBarcodeSpec, where: str) -> None:
        if not cb.POINT_MIN <= spec.point <= cb.POINT_MAX:
            raise spec_error(where, f"customer_barcode point {spec.point:g} must be between {cb.POINT_MIN:g} "
                                    f"and {cb.POINT_MAX:g} (郵便番号・バーコードマニュアル p12)")
        g = cb.geometry(spec.point)
        need_w, need_h = g.with_quiet_zones
        _, _, w, h = spec.box
        if w + 1e-6 < need_w or h + 1e-6 < need_h:
            raise spec_error(where, f"a customer barcode at {spec.point:g} pt is {g.symbol_width:.1f} × "
                                    f"{g.long:.1f} mm ({cb.BAR_COUNT} bars) and needs {cb.QUIET_ZONE_MM:g} mm "
                                    f"blank on every side: {need_w:.1f} × {need_h:.1f} mm; "
                                    f"the box is {w:g} × {h:g} mm")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        return {a: render(el, a, ctx) for a in self.templates if a in el.t}

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: CustomerBarcodeSpec = el.spec
        path = lc.path(el.t["postcode"].source_var)
        try:
            code = cb.normalize_postcode(value.get("postcode"))
        except LgformsError as e:
            e.path = path
            e.message = f"{el.where}: {e.message}"
            raise
        try:
            symbols = cb.encode(code, str(value.get("address") or ""), town=value.get("town") or None)
        except LgformsError as e:
            e.path = lc.path(el.t["address"].source_var)
            e.message = f"{el.where}: {e.message}"
            raise
        g = cb.geometry(spec.point)
        x, y, _, h = lc.box(spec.box)
        rects = cb.bar_rects(cb.bars(symbols), x + cb.QUIET_ZONE_MM, y + (h - g.long) / 2, spec.point)
        return [BarsBox(rects, path=path)]


KIND = CustomerBarcodeKind()
