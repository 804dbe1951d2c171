"""``text``: one value in one box — aligned, shrunk to ``min_size`` or wrapped with 禁則.

```yaml
- {kind: text, box: [25, 40, 160, 7], value: "{{ address }}", fit: wrap, min_size: 7}
- {kind: text, box: [20, 12, 170, 10], text: 住民票の写し, size: 18, align: center}
```
"""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from ..errors import LgformsError
from ..layout.boxes import PT
from ..layout.text import fit_text
from ..spec.models import Box, ElementSpec, TextStyle
from .base import Compiled, ElementKind, LayoutContext, spec_error


class TextSpec(ElementSpec, TextStyle):
    box: Box
    text: str | None = None  # literal text (static labels)
    value: str | None = None  # template

    @model_validator(mode="after")
    def _one_source(self) -> "TextSpec":
        if (self.text is None) == (self.value is None):
            raise ValueError("give exactly one of 'text' (literal) or 'value' (template)")
        return self


def check_text_box(spec: Any, box: Box, where: str) -> None:
    if box[2] <= 0 or box[3] <= 0:
        raise spec_error(where, f"box {list(box)} must have positive width and height")
    if spec.size * PT > box[3] + 1e-6 and spec.fit not in ("wrap", "auto"):
        raise spec_error(where, f"size {spec.size} pt ({spec.size * PT:.2f} mm) is taller than the box "
                                f"({box[3]} mm)")


class TextKind(ElementKind):
    name = "text"
    Spec = TextSpec
    templates = ("value",)

    def check(self, spec: TextSpec, where: str) -> None:
        check_text_box(spec, spec.box, where)

    def compile_extra(self, spec: TextSpec, el: Compiled, cc) -> None:
        """A literal text (a label) is known now: it must fit its box — a form's error found at
        load, never a reader's surprise."""
        t = el.t.get("value")
        literal = spec.text if spec.text is not None else (t.source if t is not None and t.constant else None)
        if not literal or getattr(cc.at, "grows", False):
            return
        from ..errors import LgformsError
        from ..layout.text import MojiProblems
        from ..moji.fonts import default_stacks

        stacks = default_stacks()
        if spec.font not in stacks:
            return
        try:
            problems = MojiProblems()
            self.layout(el, literal, _Measure(stacks, problems))
            problems.raise_if_any()
        except LgformsError as e:
            cc.problem(cc.where, f"the text {literal[:30]!r} does not fit its box: "
                                 f"{e.message.removeprefix(el.where + ': ')}", key="box")

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec = el.spec
        t = el.t.get("value")
        path = lc.path(t.source_var) if t is not None else None
        mark = lc.problems.mark()
        try:
            lines = fit_text(value, lc.box(spec.box), spec, lc.stacks[spec.font], path=path,
                             problems=lc.problems, allow_ivs_fallback=lc.allow_ivs_fallback)
            lc.name_values(t, mark)
            return lines
        except LgformsError as e:
            if not e.message.startswith(el.where):
                e.message = f"{el.where}: {e.message}"
            raise


class _Measure:
    """Just enough of a LayoutContext to lay out a literal text at load time."""

    def __init__(self, stacks, problems):
        self.stacks, self.problems, self.allow_ivs_fallback = stacks, problems, False
        self.dx = self.dy = 0.0

    def box(self, b):
        return b

    def path(self, source_var):
        return None

    def name_values(self, t, mark):
        pass


KIND = TextKind()
