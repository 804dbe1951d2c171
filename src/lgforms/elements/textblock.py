"""``textblock``: paragraphs (教示文, notes) wrapped with 禁則 in a box, shrinking to
``min_size`` if needed. The value is a string (newlines separate paragraphs) or a list of
paragraphs."""

from __future__ import annotations

from typing import Any, Literal

from ..layout.text import fit_text
from ..spec.models import Box, ElementSpec, TextStyle
from .base import Compiled, ElementKind, LayoutContext, render
from .text import TextSpec, check_text_box


class TextBlockSpec(TextSpec):
    fit: Literal["wrap"] = "wrap"
    valign: Literal["top", "middle", "bottom"] = "top"
    align: Literal["left", "center", "right", "justify", "distribute"] = "justify"


class TextBlockKind(ElementKind):
    name = "textblock"
    Spec = TextBlockSpec
    templates = ("value",)

    def check(self, spec: TextBlockSpec, where: str) -> None:
        check_text_box(spec, spec.box, where)

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec = el.spec
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value)
        t = el.t.get("value")
        path = lc.path(t.source_var) if t is not None else None
        return fit_text(value, lc.box(spec.box), spec, lc.stacks[spec.font], path=path,
                        problems=lc.problems, allow_ivs_fallback=lc.allow_ivs_fallback)


KIND = TextBlockKind()
