"""``textblock``: paragraphs (教示文, notes) wrapped with 禁則 in a box, shrinking to
``min_size`` if needed. The value is a string (newlines separate paragraphs) or a list of
paragraphs: ``value: "{{ notes }}"`` with ``notes`` an array in the schema prints one paragraph per
item (a template alone would print the list's text, brackets and quotes)."""

from __future__ import annotations

from typing import Any, Literal

from ..bind.expressions import single_variable
from .base import Compiled, LayoutContext
from .text import TextKind, TextSpec


class TextBlockSpec(TextSpec):
    fit: Literal["wrap"] = "wrap"
    valign: Literal["top", "middle", "bottom"] = "top"
    align: Literal["left", "center", "right", "justify", "distribute"] = "justify"


class TextBlockKind(TextKind):
    name = "textblock"
    Spec = TextBlockSpec

    def compile_extra(self, spec: TextBlockSpec, el: Compiled, cc) -> None:
        super().compile_extra(spec, el, cc)
        var = single_variable(spec.value.strip()) if spec.value is not None else None
        kind = cc.type_of(var).get("type") if var is not None else None
        if kind == "array" or (isinstance(kind, list) and "array" in kind):
            el.extra["paragraphs"] = cc.expression(var, cc.where, key="value")

    def bind(self, el: Compiled, ctx: dict) -> Any:
        e = el.extra.get("paragraphs")
        if e is not None:
            v = e.evaluate(ctx)
            if isinstance(v, (list, tuple)):
                return v
        return super().bind(el, ctx)

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        if isinstance(value, (list, tuple)):
            value = "\n".join(str(v) for v in value)
        return super().layout(el, value, lc)


KIND = TextBlockKind()
