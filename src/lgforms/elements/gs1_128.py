"""``gs1_128``: the 44-digit コンビニ収納 barcode (GS1-128, AI 91) with its human-readable line.

The data is checked before drawing as the schema format ``cvs-barcode`` checks it at input
(``codes.identifiers``): 44 digits, AI ``91`` first, a real 支払期限日, and the modulus-10 (3/1) check
digit (computed over the AI as well, as the catalog's samples do — see ``codes.checkdigits``).
Bar patterns: Code 128 with FNC1 + code set C (ReportLab's pattern table); drawing them as filled
rectangles lets us size the symbol exactly (module width in mm) and test it from the PDF.
"""

from __future__ import annotations

from typing import Any

from ..codes import to_date
from ..codes.identifiers import check_cvs_barcode
from ..errors import ValueInvalid
from ..layout.boxes import ModuleBars
from ..layout.text import fit_text
from ..spec.models import Box, ElementSpec, TextStyle
from .base import Compiled, ElementKind, LayoutContext, render, spec_error


class Gs1128Spec(ElementSpec):
    box: Box
    value: str
    module: float = 0.191  # mm; 288 modules -> 55 mm, inside the 60 mm CVS scanner window
    bar_height: float = 10.0  # mm
    quiet: float = 2.5  # mm of clear space left and right (≥ 10 modules)
    hri: bool = True  # print the digits under the bars
    hri_size: float = 7.0
    # Optional cross-checks: the amount and due date printed on the slip must be the ones the
    # barcode carries (positions 38–43 and 31–36 of the 標準料金代理収納 layout).
    amount: str | None = None
    due: str | None = None


_WIDTHS: list[list[int]] | None = None


def _widths() -> list[list[int]]:
    """Code 128 symbol value -> its bar/space widths (ReportLab's pattern table, read once)."""
    global _WIDTHS
    if _WIDTHS is None:
        from reportlab.graphics.barcode.code128 import _patterns

        _WIDTHS = [[ord(ch) - (64 if ch.isupper() else 96) for ch in _patterns[v]] for v in range(107)]
    return _WIDTHS


def modules(data: str) -> list[int]:
    """Widths (in modules) of alternating bars and spaces, starting with a bar.

    All-digit data of even length (the コンビニ収納 case) is Start C, FNC1, one symbol per digit
    pair, the mod-103 check symbol and Stop — encoded here directly (30× faster than building
    ReportLab's barcode object, which stays the reference for anything else and in the tests)."""
    if data.isdigit() and data.isascii() and len(data) % 2 == 0:
        values = [105, 102] + [int(data[i:i + 2]) for i in range(0, len(data), 2)]
        check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
        table = _widths()
        out: list[int] = []
        for v in (*values, check, 106):
            out += table[v]
        return out
    return reportlab_modules(data)


def reportlab_modules(data: str) -> list[int]:
    """ReportLab's Code 128 encoder (FNC1 + the shortest code sets)."""
    from reportlab.graphics.barcode.code128 import Code128

    c = Code128("\xf1" + data)
    c.validate()
    c.encode()
    c.decompose()
    return [ord(ch) - (64 if ch.isupper() else 96) for ch in c.decomposed]


def cvs_hri(data: str) -> str:
    return f"({data[:2]}){data[2:]}"


class Gs1128Kind(ElementKind):
    name = "gs1_128"
    Spec = Gs1128Spec
    templates = ("value", "amount", "due")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        return {a: render(el, a, ctx) for a in self.templates if a in el.t}

    def check(self, spec: Gs1128Spec, where: str) -> None:
        need = 2 * spec.quiet + 288 * spec.module  # 44 digits: start+FNC1+22 pairs+check+stop
        if need > spec.box[2] + 1e-6:
            raise spec_error(where, f"a 44-digit GS1-128 needs {need:.1f} mm with quiet zones; box is {spec.box[2]} mm")
        if spec.bar_height + (spec.hri_size * 0.3528 * 1.2 if spec.hri else 0) > spec.box[3] + 1e-6:
            raise spec_error(where, "box too low for the bars and the digits")

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: Gs1128Spec = el.spec
        path = lc.path(el.t["value"].source_var)
        data = str(value["value"])
        try:  # the same check as the schema format "cvs-barcode": 44 digits, AI 91, due date, CD
            check_cvs_barcode(data)
        except ValueInvalid as e:
            raise ValueInvalid(f"{el.where}: {e.message}", path=path, detail=e.detail) from None
        if value.get("amount") not in (None, "") and int(str(value["amount"])) != int(data[37:43]):
            raise ValueInvalid(f"{el.where}: the barcode carries the amount {int(data[37:43])} but the slip "
                               f"shows {value['amount']}", path=path)
        if value.get("due") not in (None, ""):
            due = to_date(value["due"]).strftime("%y%m%d")
            if due != data[30:36]:
                raise ValueInvalid(f"{el.where}: the barcode carries the due date {data[30:36]} (YYMMDD) "
                                   f"but the slip shows {due}", path=path)
        widths = modules(data)
        x, y, w, h = lc.box(spec.box)
        total = sum(widths) * spec.module
        items: list = [ModuleBars(x + (w - total) / 2, y, spec.module, spec.bar_height, widths, path)]
        if spec.hri:
            style = TextStyle(size=spec.hri_size, align="center", fit="shrink", min_size=5)
            items += fit_text(cvs_hri(data), (x, y + spec.bar_height + 0.3, w, h - spec.bar_height - 0.3),
                              style, lc.stacks["mincho"], path=path, problems=lc.problems)
        return items


KIND = Gs1128Kind()
