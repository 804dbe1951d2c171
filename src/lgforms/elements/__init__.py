"""Element kinds: one module each, one line each in this registry."""

from __future__ import annotations

from . import (
    block,
    customer_barcode,
    grid,
    gs1_128,
    image,
    indicia,
    postcode_boxes,
    qr,
    seal,
    shapes,
    table,
    text,
    textblock,
)
from .base import Compiled, ElementKind, LayoutContext

KINDS: dict[str, ElementKind] = {
    k.name: k
    for k in (
        text.KIND,
        textblock.KIND,
        table.KIND,
        shapes.LINE,
        shapes.RECT,
        image.KIND,
        seal.KIND,
        gs1_128.KIND,
        qr.KIND,
        customer_barcode.KIND,
        postcode_boxes.KIND,
        indicia.KIND,
        block.BLOCK,
        block.GROUP,
        grid.KIND,
    )
}

__all__ = ["KINDS", "Compiled", "ElementKind", "LayoutContext"]
