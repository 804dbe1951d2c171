"""``qr``: a QR Code (model 2) from payload data, e.g. the 地方税統一QRコード (eL-QR) of a 納付書,
with an optional human-readable number (the eL番号) beside or below it.

```yaml
- {kind: qr, id: el_qr, box: [150, 200, 50, 40], value: "{{ slip.el_qr }}", ec: M, module: 0.33,
   quiet: 4, max_version: 10, hri: "{{ slip.el_bango }}", hri_label: eL番号, hri_group: 4,
   hri_position: right}
```

The core tax system produces the content; lgforms only encodes it (segno) and never changes it.
``ec`` (L/M/Q/H) is used as given, never raised behind the form's back. ``module`` is the side of
one module in mm, ``quiet`` the clear zone around the symbol in modules (ISO/IEC 18004 asks for 4).
``max_version`` bounds the symbol: when the form loads, the symbol at that version plus its quiet
zone (and the HRI line below it) must fit the box; at render time data that needs a larger version
is an error saying which version it needed. The symbol sits in the top-left corner of the box
(``hri_position: right``) or is centred horizontally at its top (``below``).

Dark modules are drawn as filled rectangles (one run per row segment, vector, no raster image),
so the symbol is exact at any print resolution and can be decoded straight from the PDF.

The HRI text: with ``hri_group`` the value must be digits, printed in groups of that many from the
left separated by ``hri_separator``; ``hri_label`` (literal) is printed on the line before it. The
text shrinks down to ``hri_min_size`` to fit, and fails loudly (TEXT_OVERFLOW) if it cannot.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import segno
from pydantic import Field, model_validator
from segno.encoder import DataOverflowError

from ..errors import ValueInvalid
from ..layout.boxes import PT, ModuleGrid
from ..layout.text import fit_text
from ..moji.fonts import ROLE_FILES
from ..spec.models import Box, ElementSpec, TextStyle
from .base import Compiled, ElementKind, LayoutContext, render, spec_error
from .qr_codewords import install as _fast_codewords
from .qr_mask import install as _fast_masks

_fast_masks()  # segno's mask choice, computed with numpy (same symbol, ~10× faster)
_fast_codewords()  # segno's final message and codeword placement, with numpy (same symbol)

HRI_GAP = 0.5  # mm between the quiet zone and the HRI text
LINE = 1.25  # HRI line pitch, × font size


class QrSpec(ElementSpec):
    box: Box
    value: str  # template: the data to encode
    ec: Literal["L", "M", "Q", "H"] = "M"
    module: float = Field(gt=0)  # mm per module (required: it decides the size)
    quiet: int = Field(4, ge=0)  # modules of clear space on every side
    max_version: int = Field(ge=1, le=40)  # the largest symbol the box is made for (required)
    hri: str | None = None  # template: the human-readable number (eL番号)
    hri_label: str | None = None  # literal line before the number, e.g. "eL番号"
    hri_group: int | None = Field(None, ge=1)  # digits per group; None: print the value as given
    hri_separator: str = " "
    hri_position: Literal["below", "right"] = "below"
    hri_size: float = Field(7.0, gt=0)
    hri_min_size: float = Field(5.0, gt=0)
    hri_font: str = "gothic"

    @model_validator(mode="after")
    def _sizes(self) -> "QrSpec":
        if self.hri_min_size > self.hri_size:
            raise ValueError("hri_min_size must be <= hri_size")
        if self.hri_label is not None and self.hri is None:
            raise ValueError("hri_label needs hri (the number it labels)")
        return self


def symbol_modules(version: int) -> int:
    """Modules per side of a QR Code of ``version`` (ISO/IEC 18004: 21 for version 1, +4 per version)."""
    return 17 + 4 * version


def outer_mm(spec: QrSpec, version: int) -> float:
    """Side of the symbol with its quiet zone, mm."""
    return (symbol_modules(version) + 2 * spec.quiet) * spec.module


def _hri_lines(spec: QrSpec) -> int:
    return (1 if spec.hri is not None else 0) + (1 if spec.hri_label is not None else 0)


def runs(matrix) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules: (column, row, length), row by row, left to right."""
    n = len(matrix)
    dark = np.frombuffer(b"".join(bytes(r) for r in matrix), dtype=np.uint8).reshape(n, -1) != 0
    edge = np.zeros((n, 1), dtype=np.int8)
    step = np.diff(np.hstack([edge, dark.astype(np.int8), edge]), axis=1)  # +1 where a run starts, -1 after it
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    return list(zip(starts.tolist(), rows.tolist(), (ends - starts).tolist()))


def group_digits(value: str, group: int, separator: str) -> str:
    return separator.join(value[i:i + group] for i in range(0, len(value), group))


class QrKind(ElementKind):
    name = "qr"
    Spec = QrSpec
    templates = ("value", "hri")

    def check(self, spec: QrSpec, where: str) -> None:
        if spec.hri_font not in ROLE_FILES:
            raise spec_error(where, f"unknown hri_font {spec.hri_font!r} (known: {', '.join(ROLE_FILES)})")
        side = outer_mm(spec, spec.max_version)
        _, _, w, h = spec.box
        need_h = side
        need_w = side
        lines = _hri_lines(spec)
        if lines and spec.hri_position == "below":
            need_h += HRI_GAP + lines * spec.hri_min_size * PT * LINE
        if lines and spec.hri_position == "right":
            need_w += HRI_GAP + 4 * spec.hri_min_size * PT  # at least a few characters beside the symbol
            need_h = max(need_h, lines * spec.hri_min_size * PT * LINE)
        if need_w > w + 1e-6 or need_h > h + 1e-6:
            n = symbol_modules(spec.max_version)
            raise spec_error(where, f"a version {spec.max_version} QR Code is {n} modules; at {spec.module:g} mm "
                                    f"with {spec.quiet} modules of quiet zone on each side it is {side:.1f} mm square"
                                    f"{' plus the HRI text' if lines else ''}: it needs {need_w:.1f} × {need_h:.1f} mm; "
                                    f"the box is {w:g} × {h:g} mm")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        return {a: render(el, a, ctx) for a in self.templates if a in el.t}

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: QrSpec = el.spec
        path = lc.path(el.t["value"].source_var)
        data = value.get("value")
        data = "" if data is None else str(data)
        if not data:
            raise ValueInvalid(f"{el.where}: no data to encode in the QR Code (the value is empty)", path=path)
        try:
            qr = segno.make_qr(data, error=spec.ec.lower(), boost_error=False)
        except DataOverflowError:
            raise ValueInvalid(f"{el.where}: {len(data)} characters are too many for any QR Code at error "
                               f"correction {spec.ec} (the largest is version 40)", path=path) from None
        if qr.version > spec.max_version:
            raise ValueInvalid(f"{el.where}: the data ({len(data)} characters, {qr.mode} mode) needs a version "
                               f"{qr.version} QR Code at error correction {spec.ec}; the form allows at most "
                               f"version {spec.max_version} (box sized for it)",
                               path=path, detail={"version": qr.version, "max_version": spec.max_version})
        x, y, w, h = lc.box(spec.box)
        side = outer_mm(spec, qr.version)
        ox = x + (w - side) / 2 if spec.hri_position == "below" else x
        q = spec.quiet * spec.module
        grid = ModuleGrid(ox + q, y + q, spec.module, runs(qr.matrix), symbol_modules(qr.version), path)
        items: list = [grid]
        if spec.hri is not None:
            items += self._hri(el, value.get("hri"), lc, (x, y, w, h), side)
        return items

    def _hri(self, el: Compiled, number: Any, lc: LayoutContext, box, side: float) -> list:
        spec: QrSpec = el.spec
        path = lc.path(el.t["hri"].source_var)
        text = "" if number is None else str(number)
        if not text:
            raise ValueInvalid(f"{el.where}: the human-readable number (hri) is empty", path=path)
        if spec.hri_group is not None:
            if not (text.isascii() and text.isdigit()):
                raise ValueInvalid(f"{el.where}: hri_group prints digits in groups; the value has "
                                   f"{sum(not (c.isascii() and c.isdigit()) for c in text)} other characters",
                                   path=path)
            text = group_digits(text, spec.hri_group, spec.hri_separator)
        x, y, w, h = box
        pitch = spec.hri_size * PT * LINE
        if spec.hri_position == "below":
            region = (x, y + side + HRI_GAP, w, h - side - HRI_GAP)
            align = "center"
        else:
            # beside the symbol, from the top, over the whole box height: a small symbol still
            # leaves the label and the number their room
            region = (x + side + HRI_GAP, y, w - side - HRI_GAP, h)
            align = "left"
        rx, ry, rw, rh = region
        lines = ([spec.hri_label] if spec.hri_label is not None else []) + [text]
        pitch = min(pitch, rh / len(lines))  # the load check guarantees room at hri_min_size
        stack = lc.stacks[spec.hri_font]
        style = TextStyle(size=spec.hri_size, min_size=spec.hri_min_size, fit="shrink", align=align,
                          valign="top", font=spec.hri_font)
        out: list = []
        for i, line in enumerate(lines):
            out += fit_text(line, (rx, ry + i * pitch, rw, pitch), style, stack,
                            path=path if line is text else None, problems=lc.problems)
        return out


KIND = QrKind()
