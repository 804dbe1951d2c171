"""Sandboxed Jinja2 expressions, compiled once per form (at load time).

Templates (``"{{ person.birth_date | wareki }}"``) render text; expressions (``"persons"``,
``"prev_address"``) give values (lists for repeats and tables, booleans for ``when``).

Speed matters: a 1,000-page batch evaluates ~50,000 templates. Constant templates are plain
strings and the common ``{{ a.b.c }}`` is a direct dictionary walk; only templates with filters
or logic go through Jinja.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from jinja2 import ChainableUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import TemplateAssertionError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import FormSpecInvalid
from . import filters as _filters

_SIMPLE = re.compile(r"^\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}$")
_HAS_TAG = re.compile(r"\{\{|\{%|\{#")
_PATH = re.compile(r"^\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\s*$")
_LITERALS = frozenset({"true", "false", "none", "True", "False", "None"})


def single_variable(src: str) -> str | None:
    """The dotted variable a template shows and nothing else (``{{ a.b }}`` -> "a.b"), else None:
    the templates compiled to a plain path lookup."""
    m = _SIMPLE.match(src)
    return m.group(1) if m else None


def _finalize(value: Any) -> Any:
    # an absent optional field prints as nothing, never as "None"
    return "" if value is None else value


def _walk(ctx: dict, path: tuple[str, ...]) -> Any:
    v: Any = ctx.get(path[0])
    for key in path[1:]:
        if isinstance(v, dict):
            v = v.get(key)
        else:
            v = getattr(v, key, None) if v is not None and not key.startswith("_") else None
    return v


@dataclass(slots=True)
class Template:
    """A compiled text template. ``source_var`` is the variable path it mainly shows
    (e.g. ("person", "birth_date")), used to name the JSON path in errors; ``printed`` every
    variable path it shows, in order, when there are several (「{{ a.pref }}{{ a.city }}」): a
    character problem is then reported at the value that holds the character."""

    source: str
    render: Callable[[dict], str]
    constant: bool
    source_var: tuple[str, ...] | None = None
    variables: frozenset[str] = field(default_factory=frozenset)
    printed: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class ListOrigin:
    """Where the items of a list expression sit in the payload list ``source_var`` names: item
    ``i`` is that list's item ``offset + i - skip`` (none for the ``skip`` literal items in front),
    or, for ``single``, the value itself."""

    offset: int = 0
    skip: int = 0
    single: bool = False

    def parts(self, base: list | None, i: int) -> list | None:
        if base is None:
            return None
        if self.single:
            return list(base) if i == 0 else None
        return base + [self.offset + i - self.skip] if i >= self.skip else None


@dataclass(slots=True)
class Expression:
    source: str
    evaluate: Callable[[dict], Any]
    source_var: tuple[str, ...] | None = None
    variables: frozenset[str] = field(default_factory=frozenset)
    origin: ListOrigin | None = None  # of a list expression whose items are the payload's (list_origin)


def _chain(node: nodes.Node) -> bool:
    """``a`` or ``a.b.c``: a plain path."""
    while isinstance(node, nodes.Getattr):
        node = node.node
    return isinstance(node, nodes.Name) and node.name not in _LITERALS


def _literal(node: nodes.Node) -> bool:
    return next(node.find_all(nodes.Name), None) is None


def list_origin(ast: nodes.Template) -> ListOrigin | None:
    """Where the items of a list expression sit in the payload, for the forms' idioms: the list as
    sent (``kibetsu``, ``kiroku or []``), a slice from n (``kibetsu[6:]``, ``kibetsu[:6]``), one
    value as a list (``[person]``), literal items before the list (``[{}] + person.jiko``). None
    for the rest (filtered, sorted, computed or literal lists, slices from the end): their items
    are not at a place in the payload that one index says, so errors name no path rather than a
    wrong one."""
    body = ast.body[0].nodes if len(ast.body) == 1 and isinstance(ast.body[0], nodes.Output) else []
    if len(body) != 1:
        return None
    n = body[0]
    if isinstance(n, nodes.Or) and isinstance(n.right, nodes.List) and not n.right.items:
        n = n.left  # kiroku or []
    if _chain(n):
        return ListOrigin()
    if isinstance(n, nodes.Getitem) and _chain(n.node) and isinstance(n.arg, nodes.Slice):
        sl = n.arg
        if sl.step is None and (sl.start is None or (isinstance(sl.start, nodes.Const) and type(sl.start.value) is int
                                                     and sl.start.value >= 0)):
            return ListOrigin(offset=sl.start.value if sl.start is not None else 0)
        return None
    if isinstance(n, nodes.List) and len(n.items) == 1 and _chain(n.items[0]):
        return ListOrigin(single=True)
    if isinstance(n, nodes.Add) and isinstance(n.left, nodes.List) and _literal(n.left) and _chain(n.right):
        return ListOrigin(skip=len(n.left.items))
    return None


def _main_variable(ast: nodes.Template) -> tuple[str, ...] | None:
    """The first variable path in a template, e.g. ``person.birth_date`` -> ("person", "birth_date")."""
    for node in ast.find_all((nodes.Getattr, nodes.Name)):
        parts: list[str] = []
        n: nodes.Node = node
        while isinstance(n, nodes.Getattr):
            parts.append(n.attr)
            n = n.node
        if isinstance(n, nodes.Name):
            parts.append(n.name)
            return tuple(reversed(parts))
    return None


def _variable_paths(ast: nodes.Template, variables: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """Every distinct variable path of the context (``variables``) a template uses, in order;
    () unless there are several."""
    out: dict[tuple[str, ...], None] = {}

    def visit(node: nodes.Node) -> None:
        parts: list[str] = []
        n = node
        while isinstance(n, nodes.Getattr):
            parts.append(n.attr)
            n = n.node
        if isinstance(n, nodes.Name) and (parts or node is n):
            if n.name in variables:
                out[(n.name, *reversed(parts))] = None
            return
        for child in node.iter_child_nodes():
            visit(child)

    visit(ast)
    return tuple(out) if len(out) > 1 else ()


class ExpressionCompiler:
    """One sandboxed environment per process, with the project's filters."""

    def __init__(self) -> None:
        env = SandboxedEnvironment(undefined=ChainableUndefined, finalize=_finalize, autoescape=False,
                                   keep_trailing_newline=False)
        env.filters.update(_filters.FILTERS)
        env.globals.clear()  # no range(), dict(), lipsum … in forms: values come from the payload
        self.env = env
        self._templates: dict[str, Template] = {}
        self._expressions: dict[str, Expression] = {}

    def template(self, src: str, *, where: str) -> Template:
        """A compiled template; the same source compiles once per process (forms and block
        placements repeat many)."""
        hit = self._templates.get(src)
        if hit is not None:
            return hit
        t = self._template(src, where=where)
        if len(self._templates) < 50_000:
            self._templates[src] = t
        return t

    def _template(self, src: str, *, where: str) -> Template:
        if not _HAS_TAG.search(src):
            return Template(src, lambda ctx, _s=src: _s, True)
        var = single_variable(src)
        try:
            ast = self.env.parse(src)
            variables = frozenset(meta.find_undeclared_variables(ast))
            if var:
                path = tuple(var.split("."))

                def render(ctx: dict, _p=path) -> str:
                    v = _walk(ctx, _p)
                    if v is None:
                        return ""
                    return v if isinstance(v, str) else str(v)

                return Template(src, render, False, path, variables)
            compiled = self.env.from_string(src)
        except (TemplateSyntaxError, TemplateAssertionError) as e:
            raise FormSpecInvalid(f"{where}: template {src!r}: {e.message}") from None
        direct = self._direct(ast)
        return Template(src, direct or compiled.render, False, _main_variable(ast), variables,
                        _variable_paths(ast, variables))

    def _direct(self, ast: nodes.Template) -> Callable[[dict], str] | None:
        """Templates made only of text and ``{{ a.b | filter(constants) }}`` outputs are evaluated
        without Jinja's per-render context (same result: missing -> "", None -> "")."""
        if len(ast.body) != 1 or not isinstance(ast.body[0], nodes.Output):
            return None
        parts: list[Any] = []
        for node in ast.body[0].nodes:
            if isinstance(node, nodes.TemplateData):
                parts.append(node.data)
                continue
            chain: list[tuple[Callable, tuple, dict]] = []
            while isinstance(node, nodes.Filter):
                if node.dyn_args or node.dyn_kwargs or not all(isinstance(a, nodes.Const) for a in node.args) \
                        or not all(isinstance(k.value, nodes.Const) for k in node.kwargs):
                    return None
                fn = _filters.FILTERS.get(node.name)
                if fn is None:
                    return None
                chain.append((fn, tuple(a.value for a in node.args), {k.key: k.value.value for k in node.kwargs}))
                node = node.node
            path: list[str] = []
            while isinstance(node, nodes.Getattr):
                path.append(node.attr)
                node = node.node
            if not isinstance(node, nodes.Name):
                return None
            path.append(node.name)
            parts.append((tuple(reversed(path)), tuple(reversed(chain))))

        def render(ctx: dict, _parts=tuple(parts)) -> str:
            out = []
            for p in _parts:
                if p.__class__ is str:
                    out.append(p)
                    continue
                v = _walk(ctx, p[0])
                for fn, args, kwargs in p[1]:
                    v = fn(v, *args, **kwargs)
                if v is not None:
                    out.append(v if v.__class__ is str else str(v))
            return "".join(out)

        return render

    def expression(self, src: str, *, where: str) -> Expression:
        hit = self._expressions.get(src)
        if hit is not None:
            return hit
        e = self._expression(src, where=where)
        if len(self._expressions) < 50_000:
            self._expressions[src] = e
        return e

    def _expression(self, src: str, *, where: str) -> Expression:
        try:
            fn = self.env.compile_expression(src, undefined_to_none=True)
            ast = self.env.parse("{{ " + src + " }}")
        except (TemplateSyntaxError, TemplateAssertionError) as e:
            raise FormSpecInvalid(f"{where}: expression {src!r}: {e.message}") from None
        origin = list_origin(ast)
        m = _PATH.match(src)
        if m and src.strip().split(".")[0] not in _LITERALS:  # a plain path (``slip.nofu_gaku``): a direct dictionary walk, no Jinja context
            path = tuple(src.strip().split("."))
            fn = lambda ctx, _p=path: _walk(ctx, _p)  # noqa: E731
        else:
            body = ast.body[0].nodes if len(ast.body) == 1 and isinstance(ast.body[0], nodes.Output) else []
            direct = _direct_value(body[0]) if len(body) == 1 else None
            if direct is not None:
                fn = _with_fallback(direct, fn)
        return Expression(src, fn, _main_variable(ast), frozenset(meta.find_undeclared_variables(ast)), origin)


# -- expressions without Jinja's per-call context ---------------------------------------------------
# ``when`` conditions and small computed values ("gs1 and amount <= 300000", "kind == 'kokuho'",
# "members | length > 2", "[shi, ken]") are evaluated as plain Python on the payload: names, keys of
# dicts, constants, comparisons, and/or/not, + and -, list and tuple literals, ``| length``. Where
# Jinja would see something else — a name or key that is not there (its Undefined), a key that is
# also a dict attribute, anything that raises — the expression is evaluated by Jinja itself, so the
# result (or the error) is always Jinja's.

class _Fallback(Exception):
    """The direct evaluation cannot say what Jinja would: let Jinja evaluate the expression."""


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "lteq": operator.le, "gt": operator.gt,
    "gteq": operator.ge, "in": lambda a, b: a in b, "notin": lambda a, b: a not in b}
_ARITHMETIC: dict[type, Callable[[Any, Any], Any]] = {nodes.Add: operator.add, nodes.Sub: operator.sub}


def _lookup(ctx: dict, path: tuple[str, ...]) -> Any:
    try:
        v = ctx[path[0]]
    except KeyError:
        raise _Fallback from None
    for key in path[1:]:
        if v.__class__ is not dict or key not in v:
            raise _Fallback
        v = v[key]
    return v


def _direct_value(node: nodes.Node) -> Callable[[dict], Any] | None:
    """A Python closure computing ``node`` as Jinja does, or None for a node it does not handle."""
    if isinstance(node, nodes.Const):
        value = node.value
        return lambda ctx: value
    if isinstance(node, (nodes.Name, nodes.Getattr)):
        path: list[str] = []
        n: nodes.Node = node
        while isinstance(n, nodes.Getattr):
            if n.attr.startswith("_") or hasattr(dict, n.attr):  # Jinja would find the attribute first
                return None
            path.append(n.attr)
            n = n.node
        if not isinstance(n, nodes.Name) or n.ctx != "load":
            return None
        path.append(n.name)
        key = tuple(reversed(path))
        return lambda ctx: _lookup(ctx, key)
    if isinstance(node, nodes.Not):
        f = _direct_value(node.node)
        return None if f is None else (lambda ctx: not f(ctx))
    if isinstance(node, (nodes.And, nodes.Or)):
        a, b = _direct_value(node.left), _direct_value(node.right)
        if a is None or b is None:
            return None
        if isinstance(node, nodes.And):
            return lambda ctx: a(ctx) and b(ctx)
        return lambda ctx: a(ctx) or b(ctx)
    if type(node) in _ARITHMETIC:
        a, b, op = _direct_value(node.left), _direct_value(node.right), _ARITHMETIC[type(node)]
        return None if a is None or b is None else (lambda ctx: op(a(ctx), b(ctx)))
    if isinstance(node, nodes.Compare):
        first = _direct_value(node.expr)
        ops = [(_COMPARE.get(o.op), _direct_value(o.expr)) for o in node.ops]
        if first is None or any(op is None or f is None for op, f in ops):
            return None

        def compare(ctx: dict) -> bool:
            left = first(ctx)
            for op, f in ops:
                right = f(ctx)
                if not op(left, right):
                    return False
                left = right
            return True

        return compare
    if isinstance(node, (nodes.List, nodes.Tuple)):
        items = [_direct_value(i) for i in node.items]
        if any(f is None for f in items):
            return None
        if isinstance(node, nodes.Tuple):
            return lambda ctx: tuple(f(ctx) for f in items)
        return lambda ctx: [f(ctx) for f in items]
    if isinstance(node, nodes.Filter) and node.name == "length" and node.node is not None and not node.args \
            and not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None:
        f = _direct_value(node.node)

        def length(ctx: dict) -> int:
            v = f(ctx)
            if not isinstance(v, (str, list, dict, tuple)):  # Jinja counts other iterables itself
                raise _Fallback
            return len(v)

        return None if f is None else length
    return None


def _with_fallback(direct: Callable[[dict], Any], jinja: Callable[..., Any]) -> Callable[[dict], Any]:
    def evaluate(ctx: dict) -> Any:
        try:
            return direct(ctx)
        except Exception:  # noqa: BLE001 - Jinja evaluates it again and gives its own result or error
            return jinja(ctx)

    return evaluate


_compiler: ExpressionCompiler | None = None


def compiler() -> ExpressionCompiler:
    global _compiler
    if _compiler is None:
        _compiler = ExpressionCompiler()
    return _compiler
