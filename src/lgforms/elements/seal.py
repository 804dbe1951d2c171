"""``seal``: the municipality's 電子公印 (printed seal image) from the tenant profile.

Printed at the size the profile gives (公印 are made to a fixed size; ≤ 25 mm), centred on the
box — usually overlapping the end of the 市区町村長名 as on paper. Put ``pages: last`` on it so it
appears only with the 認証文. A form whose seal the tenant cannot supply fails; a certificate
without its 公印 is not a certificate.
"""

from __future__ import annotations

from typing import Any, Literal

from ..errors import TenantInvalid
from ..layout.boxes import ImageBox
from ..spec.models import Box, ElementSpec
from .base import Compiled, ElementKind, LayoutContext, spec_error
from .image import SEAL_DPI, pixels_for, place


class SealSpec(ElementSpec):
    box: Box
    source: Literal["tenant.seal"] = "tenant.seal"
    align: Literal["left", "center", "right"] = "center"
    valign: Literal["top", "middle", "bottom"] = "middle"


class SealKind(ElementKind):
    name = "seal"
    Spec = SealSpec

    def check(self, spec: SealSpec, where: str) -> None:
        if spec.box[2] <= 0 or spec.box[3] <= 0:
            raise spec_error(where, "seal box must have positive size")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        return None

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: SealSpec = el.spec
        seal = getattr(lc.tenant, "seal", None)
        if seal is None:
            raise TenantInvalid(f"{el.where}: the tenant profile has no 公印 (seal) and this form prints one",
                                path="tenant.seal", form_id=lc.form_id)
        box = lc.box(spec.box)
        w, h = seal.size_mm
        if w > box[2] + 1e-6 or h > box[3] + 1e-6:
            raise TenantInvalid(f"{el.where}: the seal is {w} × {h} mm but the form's seal box is "
                                f"{box[2]} × {box[3]} mm", path="tenant.seal", form_id=lc.form_id)
        x, y = place(box, w, h, spec.align, spec.valign)
        return [ImageBox(x, y, w, h, seal.png, "tenant.seal", max_px=pixels_for(w, h, SEAL_DPI))]


KIND = SealKind()
