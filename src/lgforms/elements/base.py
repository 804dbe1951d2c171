"""The element-kind plugin interface (pdfme style: one module per kind, one registry line).

A kind declares its spec model and which of its attributes are templates/expressions; the
loader compiles those once. At render time the generator calls, per element and page::

    value = kind.bind(el, ctx)          # bind: payload/tenant/page -> concrete value
    items = kind.layout(el, value, lc)  # layout: value -> positioned primitives (mm)

Drawing is done by the primitives themselves (``layout.boxes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..bind.expressions import Expression, Template
from ..errors import FormSpecInvalid, TemplateError, json_path
from ..layout.boxes import Primitive
from ..layout.text import MojiProblems
from ..layout.tracing import LAYOUT_TRACE
from ..moji.fonts import FontStack
from ..spec.models import ElementSpec


@dataclass(slots=True)
class Compiled:
    """An element ready to render: its spec, its kind and its compiled templates."""

    spec: Any
    kind: "ElementKind"
    where: str  # "kojin_zeigaku_kettei_futsu: page 'notice' fields[3] (atena_name)" for errors
    t: dict[str, Template | Expression] = field(default_factory=dict)
    when: Expression | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific compiled data

    @property
    def variables(self) -> frozenset[str]:
        out: set[str] = set()
        for t in self.t.values():
            out |= t.variables
        if self.when is not None:
            out |= self.when.variables
        for sub in self.extra.get("children", ()):
            out |= sub.variables
        for t in self.extra.get("templates", ()):  # kind-specific nested templates (table cells …)
            out |= t.variables
        return frozenset(out)


class LayoutContext:
    """Everything the layout of one page needs besides the element and its value."""

    __slots__ = ("stacks", "problems", "allow_ivs_fallback", "dx", "dy", "aliases", "form_id", "tenant",
                 "page_last", "page_index", "page_first", "trace")

    def __init__(self, stacks: dict[str, FontStack], problems: MojiProblems, *, allow_ivs_fallback: bool,
                 form_id: str, tenant: Any = None):
        self.stacks = stacks
        self.problems = problems
        self.allow_ivs_fallback = allow_ivs_fallback
        self.dx = 0.0
        self.dy = 0.0
        self.aliases: dict[str, list[str | int]] = {}
        self.form_id = form_id
        self.tenant = tenant
        self.page_last = False
        self.page_first = True
        self.page_index = 0
        self.trace = LAYOUT_TRACE.get()  # a layout recorder (the designer) or None: see layout.tracing

    def box(self, b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        return (b[0] + self.dx, b[1] + self.dy, b[2], b[3])

    def parts(self, source_var: tuple[str, ...] | None) -> list[str | int] | None:
        """("person", "name") -> ["persons", 4, "name"] using the loop aliases of this page."""
        if not source_var:
            return None
        head, rest = source_var[0], list(source_var[1:])
        if head in self.aliases:
            base = self.aliases[head]
            return list(base) + rest if base is not None else None
        return [head] + rest

    def name_values(self, t: Template | None, mark: tuple[int, int]) -> None:
        """The character problems found since ``mark`` (``problems.mark()``) in a text that shows
        several values: their path carries the others (``layout.positions.FieldPath``), so that
        each is reported at the value that holds the character. Only when there are problems:
        nothing is computed for a text without."""
        if t is None or not t.printed or mark == self.problems.mark():
            return
        from ..layout.positions import field_path

        parts = [self.parts(v) for v in t.printed]
        main = self.path(t.source_var)
        if main is None:
            main = next((json_path(q) for q in parts if q is not None), None)
        for e in self.problems.errors[mark[0]:]:
            e.path = field_path(main, parts)
        for f in self.problems.fallbacks[mark[1]:]:
            f["path"] = field_path(main, parts)

    def path(self, source_var: tuple[str, ...] | None) -> str | None:
        """("person", "name") -> "$.persons[4].name" using the loop aliases of this page."""
        if not source_var:
            return None
        head, rest = source_var[0], list(source_var[1:])
        if head in self.aliases:
            base = self.aliases[head]
            return json_path(base + rest) if base is not None else None
        return json_path([head] + rest)


class ElementKind:
    name: ClassVar[str]
    Spec: ClassVar[type[ElementSpec]]
    templates: ClassVar[tuple[str, ...]] = ()  # attributes holding text templates
    expressions: ClassVar[tuple[str, ...]] = ()  # attributes holding value expressions

    def check(self, spec: Any, where: str) -> None:
        """Extra load-time checks (geometry, sizes). Raise FormSpecInvalid."""

    def compile_extra(self, spec: Any, el: Compiled, cc: Any) -> None:
        """Compile kind-specific nested templates (e.g. table columns) into ``el.extra``.
        ``cc`` (``spec.loader.CompileContext``) compiles templates and child elements in the
        element's scope and records problems with their file and line."""

    def rects(self, spec: Any) -> list[tuple[float, float, float, float]]:
        """The areas (x, y, w, h in mm) the element draws in: checked to lie inside the page."""
        box = getattr(spec, "box", None)
        if box is not None:
            return [tuple(box)]
        pts = getattr(spec, "points", None)
        if pts is not None:
            x1, y1, x2, y2 = pts
            return [(min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))]
        return []

    def bind(self, el: Compiled, ctx: dict) -> Any:
        t = el.t.get("value")
        if t is None:
            return getattr(el.spec, "text", None)
        return render(el, "value", ctx)

    def layout(self, el: Compiled, value: Any, lc: LayoutContext) -> list[Primitive]:
        raise NotImplementedError


def lay(el: Compiled, value: Any, lc: "LayoutContext") -> list[Primitive]:
    """``el.kind.layout`` with any error naming the element (form, page, block, id)."""
    trace = getattr(lc, "trace", None)
    if trace is not None:  # the designer records the element, its box and its items
        return trace.lay(el, value, lc, _lay)
    return _lay(el, value, lc)


def _lay(el: Compiled, value: Any, lc: "LayoutContext") -> list[Primitive]:
    try:
        return el.kind.layout(el, value, lc)
    except FormSpecInvalid:
        raise
    except Exception as e:  # noqa: BLE001 - named and re-raised
        from ..errors import LgformsError

        if isinstance(e, LgformsError):
            if not e.message.startswith(el.where):
                e.message = f"{el.where}: {e.message}"
            raise
        raise


def render(el: Compiled, attr: str, ctx: dict) -> Any:
    """Evaluate one compiled template/expression, turning surprises into errors with a path."""
    t = el.t[attr]
    try:
        return t.render(ctx) if isinstance(t, Template) else t.evaluate(ctx)
    except Exception as e:  # noqa: BLE001 - re-raised with the element named
        from ..errors import LgformsError

        if isinstance(e, LgformsError):
            if e.path is None:
                e.path = _path_from_ctx(ctx, t.source_var)
            if not e.message.startswith(el.where):
                e.message = f"{el.where}: {e.message}"
            raise
        raise TemplateError(f"{el.where}: {type(e).__name__}: {e}",
                            path=_path_from_ctx(ctx, t.source_var)) from None


def _path_from_ctx(ctx: dict, source_var: tuple[str, ...] | None) -> str | None:
    lc = ctx.get("__layout__")
    if lc is not None:
        return lc.path(source_var)
    return json_path(list(source_var)) if source_var else None


def spec_error(where: str, msg: str, *at: str | int) -> FormSpecInvalid:
    """A form mistake found by a kind's ``check``; ``at`` is the path of the key within the
    element (e.g. "cells", 3) so that the error names that line."""
    return FormSpecInvalid(f"{where}: {msg}", detail={"at": list(at)} if at else None)
