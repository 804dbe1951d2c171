"""``textblock``: paragraphs (教示文, notes) wrapped with 禁則 in a box, shrinking to
``min_size`` if needed. The value is a string (newlines separate paragraphs) or a list of
paragraphs."""

from __future__ import annotations

from typing import Any, Literal

from .base import Compiled, LayoutContext
from .text import TextKind, TextSpec


class TextBlockSpec(TextSpec):
    fit: Literal["wrap"] = "wrap"
    valign: Literal["top", "middle", "bottom"] = "top"
    align: Literal["left", "center", "right", "justify", "distribute"] = "justify"


class TextBlockKind(TextKind):
    name = "textblock"
    Spec = TextBlockSpec

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value)
        return super().layout(el, value, lc)


KIND = TextBlockKind()
