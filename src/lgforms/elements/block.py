"""``block`` and ``group``: parts made of other elements.

A **block** is a part defined once in ``forms/_blocks/<name>.yaml`` (宛名, 納付書, 教示文, 問い合わせ先,
認証文 + 発行者 + 公印 …) and placed by a form with an offset and parameters:

```yaml
- {kind: block, use: atena_window, at: [22, 17],
   with: {postcode: atena_postcode, address: atena_address, katagaki: atena_katagaki, name: atena_name}}
```

A block sees only its parameters and the built-ins (``tenant``, ``form``, ``page``, ``issue``,
``slot``) — never the form's payload names — so it means the same in every form. A ``value``
parameter is an expression of the caller (its schema type flows into the block: the block's
``slip.nofu_gaku`` is checked against the form's schema); a ``text`` parameter is a template or
literal text. Errors inside a block name the block, its file and line, and the form placing it.

A **group** is an inline part: elements positioned relative to ``at`` (in a flow: to the
section), sharing ``when`` / ``pages`` — a fixed-height section of a flow.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ..errors import FormSpecInvalid
from ..spec.models import ElementSpec
from ..spec.paths import ANY, BOOLEAN, NUMBER, STRING
from .base import Compiled, ElementKind, LayoutContext, lay

_PATH = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*$")
BUILTINS = ("tenant", "form", "page", "issue", "slot", "__layout__")


class BlockSpec(ElementSpec):
    use: str
    at: tuple[float, float] = (0.0, 0.0)
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    height: float | None = None  # in a flow: overrides the block's own size

    model_config = ElementSpec.model_config | {"populate_by_name": True}


class GroupSpec(ElementSpec):
    at: tuple[float, float] = (0.0, 0.0)
    width: float | None = None
    height: float | None = None  # the section height in a flow
    elements: list[Any]


@dataclass(slots=True)
class Param:
    name: str
    const: bool
    value: Any = None  # constant value
    template: Any = None  # text parameter with a template
    expr: Any = None  # value parameter
    path: bool = False  # the expression is a plain path: errors inside name the payload path
    own: bool = False  # a default template of the block itself: evaluated in the block's scope


@dataclass(slots=True)
class BoundPart:
    bound: list[tuple[Compiled, Any]]
    aliases: dict[str, list]
    ctx: dict


_NOT_CONSTANT = object()


def _constant(e) -> Any:
    """The value of an expression that uses no variable (a literal), else _NOT_CONSTANT."""
    if e is None or not e.source.strip() or e.variables:
        return _NOT_CONSTANT
    try:
        return e.evaluate({})
    except Exception:  # noqa: BLE001 - left to be evaluated (and reported) where it is used
        return _NOT_CONSTANT


def _literal_type(v: Any) -> dict:
    if isinstance(v, bool):
        return BOOLEAN
    if isinstance(v, (int, float)):
        return NUMBER
    if isinstance(v, str):
        return STRING
    return ANY


def _on(el: Compiled, first: bool, last: bool) -> bool:
    on = el.spec.pages
    return (on == "every" or (on == "last" and last) or (on == "first" and first)
            or (on == "not_last" and not last) or (on == "not_first" and not first))


def _in_xobject(el: Compiled) -> bool:
    return el.spec.pages == "every" and el.when is None


class _Within:
    """Inside a part: the layout context moved by the part's offset and with its aliases (the
    part's parameters), both given back on the way out."""

    __slots__ = ("lc", "offset", "aliases", "saved")

    def __init__(self, lc: LayoutContext, offset: tuple[float, float], aliases: dict[str, list | None]):
        self.lc, self.offset, self.aliases = lc, offset, aliases

    def __enter__(self) -> None:
        lc = self.lc
        lc.dx += self.offset[0]
        lc.dy += self.offset[1]
        self.saved = dict(lc.aliases)
        lc.aliases.update(self.aliases)

    def __exit__(self, *exc) -> None:
        lc = self.lc
        lc.dx -= self.offset[0]
        lc.dy -= self.offset[1]
        lc.aliases.clear()
        lc.aliases.update(self.saved)


class _PartKind(ElementKind):
    """What blocks and groups share: children laid out with an offset."""

    def rects(self, spec: Any):
        return []  # children report their own rects (loader.element_rects follows extra["offset"])

    def _bind_children(self, el: Compiled, bctx: dict, aliases: dict[str, list], lc: LayoutContext | None):
        with _Within(lc, (0.0, 0.0), aliases) if lc is not None else nullcontext():
            out = []
            for child in el.extra["children"]:
                if child.when is not None and not child.when.evaluate(bctx):
                    continue
                out.append((child, child.kind.bind(child, bctx)))
            return out

    def static_layout(self, el: Compiled, lc: LayoutContext, ctx: dict | None = None):
        """Static children (labels, rules) and the data-independent parts of children (table
        frames): drawn once per document when the part itself is on every page."""
        sctx = self._static_ctx(el, ctx or {})
        # the constant parameters are the form's own text, not payload values: no path
        with _Within(lc, el.extra["offset"], dict.fromkeys(el.extra.get("constants", ()))):
            items: list = []
            for child in el.extra.get("static_children", ()):
                if child.when is not None and not child.when.evaluate(sctx):
                    continue
                items += lay(child, child.kind.bind(child, sctx), lc)
            for child in el.extra["children"]:
                if hasattr(child.kind, "static_layout") and _in_xobject(child):
                    items += child.kind.static_layout(child, lc, sctx)
            return items

    def _static_ctx(self, el: Compiled, ctx: dict) -> dict:
        out = {k: ctx[k] for k in BUILTINS if k in ctx}
        out.update(el.extra.get("constants", {}))
        return out

    def layout(self, el: Compiled, value: BoundPart, lc: LayoutContext):
        with _Within(lc, el.extra["offset"], value.aliases):
            items: list = []
            for child, v in value.bound:
                if not _on(child, lc.page_first, lc.page_last):
                    continue
                if hasattr(child.kind, "static_layout") and not _in_xobject(child):
                    items += child.kind.static_layout(child, lc, value.ctx)
                items += lay(child, v, lc)
            return items

    def pages_needed(self, el: Compiled, value: BoundPart) -> int:
        n = 1
        for child, v in value.bound:
            f = getattr(child.kind, "pages_needed", None)
            if f is not None:
                n = max(n, f(child, v))
        return n


class BlockKind(_PartKind):
    name = "block"
    Spec = BlockSpec

    def compile_extra(self, spec: BlockSpec, el: Compiled, cc) -> None:
        el.extra["offset"] = tuple(spec.at)
        el.extra["children"] = []
        try:
            bdef = cc.block(spec.use)
        except FormSpecInvalid as e:
            cc.problem(cc.where, e.message, key="use")
            return
        el.extra["block"] = bdef.name
        el.extra["size"] = bdef.size
        from ..spec.source import line_of

        placed = f"{cc.where} [{getattr(cc.at, 'file', None) or 'form.yaml'}:{line_of(cc.at)}] block {bdef.name!r}"
        params: list[Param] = []
        types: dict[str, dict] = {}
        consts: dict[str, Any] = {}
        unknown = set(spec.with_) - set(bdef.params)
        for k in sorted(unknown):
            import difflib

            close = difflib.get_close_matches(k, list(bdef.params), n=1)
            cc.problem(cc.where, at=cc.raw("with"), key=k, message=f"block {bdef.name!r} has no parameter {k!r}"
                                 f"{' — did you mean ' + repr(close[0]) + '?' if close else ''} "
                                 f"(parameters: {', '.join(bdef.params) or 'none'})")
        for pname, decl in bdef.params.items():
            mode = decl.get("as", "value")
            where = f"{cc.where} with.{pname}"
            if pname in spec.with_:
                arg, given = spec.with_[pname], True
            elif "default" in decl:
                arg, given = decl["default"], False
            elif decl.get("optional"):
                arg, given = None, False
            else:
                cc.problem(cc.where, f"block {bdef.name!r} needs parameter {pname!r}"
                                     f"{' (' + decl['doc'] + ')' if decl.get('doc') else ''}", key="with")
                continue
            if mode == "text":
                if isinstance(arg, str) and given and ("{{" in arg or "{%" in arg):
                    params.append(Param(pname, False, template=cc.template(arg, where, key=pname,
                                                                            at=cc.raw("with"))))
                    types[pname] = STRING
                elif isinstance(arg, str) and not given and ("{{" in arg or "{%" in arg):
                    # a default like "{{ tenant.mayor_title }}": the block's own scope (built-ins only)
                    t = cc.fc.template(arg, f"{placed} params.{pname} default", cc.builtin_scope(cc.scope),
                                       bdef.params, pname)
                    params.append(Param(pname, False, template=t, own=True))
                    types[pname] = STRING
                else:
                    v = "" if arg is None else str(arg)
                    params.append(Param(pname, True, value=v))
                    types[pname] = consts[pname] = STRING
                    consts[pname] = v
                continue
            if given and isinstance(arg, str):
                e = cc.expression(arg, where, key=pname, at=cc.raw("with"))
                folded = _constant(e)
                if folded is not _NOT_CONSTANT:  # a literal ("'見出し'", "[1, 2]"): the form's own constant
                    params.append(Param(pname, True, value=folded))
                    types[pname] = cc.type_of(arg)
                    consts[pname] = folded
                    continue
                params.append(Param(pname, False, expr=e, path=bool(_PATH.match(arg.strip()))))
                types[pname] = cc.type_of(arg)
            else:
                params.append(Param(pname, True, value=arg))
                types[pname] = _literal_type(arg)
                consts[pname] = arg
        el.extra["params"] = params
        el.extra["constants"] = consts
        lib_styles, _ = cc.fc.blocks.styles()
        found: list[str] = []
        styles = lib_styles.with_local(bdef.styles, bdef.file, found)
        for m in found:
            cc.problem(placed, m)
        child_scope = cc.builtin_scope(cc.scope, **types)
        static_scope = cc.static_scope(**{k: types[k] for k in consts})
        braw = bdef.raw
        statics = []
        children = []
        for i, raw in enumerate(braw.get("static") or []):
            c = cc.element(raw, f"{placed} static[{i}]", scope=static_scope, static=True, styles=styles, defaults={})
            if c is not None:
                statics.append(c)
        for i, raw in enumerate(braw.get("fields") or []):
            c = cc.element(raw, f"{placed} fields[{i}]", scope=static_scope if cc.static else child_scope,
                           static=cc.static, styles=styles, defaults={})
            if c is not None:
                children.append(c)
        if cc.static:  # placed in a static list: everything is background
            statics, children = statics + children, []
        el.extra["static_children"] = statics
        el.extra["children"] = children
        if bdef.size:
            from ..spec.loader import element_rects

            bw, bh = bdef.size
            for c in (*statics, *children):
                for ident, kind, r, leaf in element_rects(c):
                    if r[0] < -0.01 or r[1] < -0.01 or r[0] + r[2] > bw + 0.01 or r[1] + r[3] > bh + 0.01:
                        src = leaf.extra.get("source", (None, None))
                        cc.fc.problems.add(placed, f"{ident}: box [{', '.join(f'{v:g}' for v in r)}] is outside "
                                           f"the block's size {bw:g} × {bh:g} mm", file=src[0], line=src[1])

    def bind(self, el: Compiled, ctx: dict) -> BoundPart:
        lc: LayoutContext | None = ctx.get("__layout__")
        bctx = {k: ctx[k] for k in BUILTINS if k in ctx}
        aliases: dict[str, list] = {}
        for p in el.extra.get("params", ()):
            if p.const:
                bctx[p.name] = p.value
                aliases[p.name] = None  # not a payload value: errors name no payload path
            elif p.template is not None:
                bctx[p.name] = p.template.render(bctx if p.own else ctx)
                aliases[p.name] = None
            else:
                bctx[p.name] = p.expr.evaluate(ctx)
                parts = lc.parts(p.expr.source_var) if p.path and lc is not None else None
                # a computed value, or a path from a record of a computed list: no payload path (without
                # the alias, an error inside would name $.<parameter>, a payload value the block never saw)
                aliases[p.name] = parts or None
        return BoundPart(self._bind_children(el, bctx, aliases, lc), aliases, bctx)


class GroupKind(_PartKind):
    name = "group"
    Spec = GroupSpec

    def compile_extra(self, spec: GroupSpec, el: Compiled, cc) -> None:
        el.extra["offset"] = tuple(spec.at)
        children = []
        for i, raw in enumerate(spec.elements):
            araw = cc.at.get("elements")[i] if isinstance(cc.at, dict) and isinstance(cc.at.get("elements"), list) \
                else raw
            c = cc.element(araw, f"{cc.where} elements[{i}]")
            if c is not None:
                children.append(c)
        el.extra["children"] = children
        el.extra["static_children"] = []

    def bind(self, el: Compiled, ctx: dict) -> BoundPart:
        lc: LayoutContext | None = ctx.get("__layout__")
        return BoundPart(self._bind_children(el, ctx, {}, lc), {}, ctx)


BLOCK = BlockKind()
GROUP = GroupKind()
