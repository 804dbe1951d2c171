"""Load-time checking of every variable path a template uses, against the payload's JSON Schema.

``{{ person.nmae }}`` must never print a blank: every name a template or expression reads is
resolved in its *scope* — the payload's top-level properties, the loop alias of a repeat or table
(the ``items`` of the list it runs over), a block's parameters (the schema of the argument the
form passes), and the built-ins ``tenant`` (only the declared slots), ``form``, ``page``,
``slot``, ``issue`` — and each ``.attr`` / ``[i]`` is followed through ``properties``, ``items``,
``$ref`` and ``allOf``/``anyOf``/``oneOf``. A name or property the schema does not declare is
a load error with a suggestion.

Types here are JSON Schema nodes (dicts). ``ANY`` means "cannot tell" (free-form objects, results
of arbitrary filters): nothing below it is checked, nothing is wrongly reported.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from jinja2 import nodes

ANY: dict = {"x-any": True}
STRING: dict = {"type": "string"}
NUMBER: dict = {"type": "number"}
INTEGER: dict = {"type": "integer"}
BOOLEAN: dict = {"type": "boolean"}
LIST_ANY: dict = {"type": "array", "items": ANY}

LOOP: dict = {"type": "object", "properties": {k: INTEGER for k in (
    "index", "index0", "revindex", "revindex0", "length", "depth", "depth0")} | {
    "first": BOOLEAN, "last": BOOLEAN, "previtem": ANY, "nextitem": ANY, "cycle": ANY, "changed": ANY}}


def obj(**props: dict) -> dict:
    return {"type": "object", "properties": props, "additionalProperties": False}


FORM_VARS = obj(id=STRING, title=STRING)
PAGE_VARS = obj(number=INTEGER, count=INTEGER, index=INTEGER, run_count=INTEGER)
SLOT_VARS = obj(index=INTEGER, number=INTEGER, count=INTEGER)
ISSUE_VARS = obj(number=STRING, proxy_name=STRING)

# methods a sandboxed template may call on values
_STR_METHODS = frozenset("startswith endswith strip lstrip rstrip replace split upper lower zfill format "
                         "isdigit ljust rjust center count find join".split())
_DICT_METHODS = frozenset("get items keys values".split())
# filters whose result is the same list (or one element of it)
_SAME_LIST = frozenset("list reverse sort unique selectattr rejectattr select reject batch slice".split())
_ONE_ITEM = frozenset("first last random min max".split())
_ATTRIBUTE_FILTERS = frozenset("sum map selectattr rejectattr sort groupby unique min max".split())
_NUMERIC = frozenset("sum length count int float abs round".split())


class SchemaTypes:
    """Resolves ``$ref`` and combinators of one JSON Schema document."""

    def __init__(self, root: dict):
        self.root = root

    def resolve(self, node: Any, depth: int = 0) -> dict:
        if not isinstance(node, dict) or depth > 32:
            return ANY
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target: Any = self.root
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target.get(part) if isinstance(target, dict) else None
            if target is None:
                return ANY
            merged = dict(self.resolve(target, depth + 1))
            extra = {k: v for k, v in node.items() if k != "$ref"}
            return {**merged, **extra} if extra else merged
        return node

    def branches(self, node: dict) -> list[dict]:
        node = self.resolve(node)
        out = [node]
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key, ()) or ():
                out += self.branches(sub)
        for key in ("then", "else"):
            if isinstance(node.get(key), dict):
                out += self.branches(node[key])
        return out

    def properties(self, node: dict) -> dict[str, dict] | None:
        """Declared properties (all branches), or None when the object is free-form."""
        if node is ANY or node.get("x-any"):
            return None
        props: dict[str, dict] = {}
        declared = False
        for b in self.branches(node):
            if "properties" in b:
                declared = True
                for k, v in b["properties"].items():
                    props.setdefault(k, v)
            if b.get("x-any"):
                return None
            if b.get("patternProperties") and not declared:
                return None
        return props if declared else None

    def pattern(self, node: dict, name: str) -> dict | None:
        """The schema of ``name`` through ``patternProperties`` (e.g. ``^_`` annotations), or None."""
        import re

        for b in self.branches(node):
            for pat, sub in (b.get("patternProperties") or {}).items():
                if re.search(pat, name):
                    return self.resolve(sub)
        return None

    def items(self, node: dict) -> dict:
        for b in self.branches(node):
            it = b.get("items")
            if isinstance(it, dict):
                return self.resolve(it)
            if b.get("x-any"):
                return ANY
        return ANY

    def kind(self, node: dict) -> str:
        """object | array | scalar | any"""
        if node is ANY or node.get("x-any"):
            return "any"
        kinds: set[str] = set()
        for b in self.branches(node):
            t = b.get("type")
            ts = t if isinstance(t, list) else [t] if t else []
            for x in ts:
                kinds.add("object" if x == "object" else "array" if x == "array" else "scalar" if x != "null" else "null")
            if "properties" in b:
                kinds.add("object")
            if "items" in b:
                kinds.add("array")
            if "enum" in b or "const" in b:
                kinds.add("scalar")
        kinds.discard("null")
        if len(kinds) == 1:
            return kinds.pop()
        return "any"


@dataclass
class Scope:
    """Names visible to one template, each with its type (a schema node, resolved by ``types``)."""

    types: SchemaTypes
    names: dict[str, dict] = field(default_factory=dict)
    # names that exist but may not be used here, with the reason (static parts: payload values)
    forbidden: dict[str, str] = field(default_factory=dict)
    what: str = "a payload field of the form's schema"

    def child(self, **names: dict) -> "Scope":
        return Scope(self.types, {**self.names, **names}, dict(self.forbidden), self.what)


class PathError(Exception):
    pass


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" — did you mean {close[0]!r}?" if close else ""
    listing = ", ".join(sorted(known)[:25]) + (" …" if len(known) > 25 else "")
    return f"{hint} (known: {listing})" if known else hint


class Checker:
    """Walks a Jinja AST and reports every unresolvable variable path."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.t = scope.types
        self.problems: list[str] = []
        self.locals: list[dict[str, dict]] = [{}]

    # -- entry points -------------------------------------------------------------------------
    def check_template(self, ast: nodes.Template) -> list[str]:
        for n in ast.body:
            self.stmt(n)
        return self.problems

    def type_of_expression(self, ast: nodes.Template) -> dict:
        """Type of ``{{ expr }}`` parsed as a template (one Output with one node)."""
        body = ast.body
        if len(body) == 1 and isinstance(body[0], nodes.Output) and len(body[0].nodes) == 1:
            return self.expr(body[0].nodes[0])
        self.check_template(ast)
        return ANY

    # -- statements ---------------------------------------------------------------------------
    def stmt(self, n: nodes.Node) -> None:
        if isinstance(n, nodes.Output):
            for x in n.nodes:
                if not isinstance(x, nodes.TemplateData):
                    self.expr(x)
        elif isinstance(n, nodes.For):
            it = self.expr(n.iter)
            item = self.t.items(it) if self.t.kind(it) in ("array", "any") else ANY
            if self.t.kind(it) == "object":  # for k, v in obj.items() handled by the call
                item = ANY
            frame = {"loop": LOOP}
            self._bind_target(n.target, item, frame)
            self.locals.append(frame)
            if n.test is not None:
                self.expr(n.test)
            for b in n.body:
                self.stmt(b)
            self.locals.pop()
            for b in n.else_:
                self.stmt(b)
        elif isinstance(n, nodes.If):
            self.expr(n.test)
            for b in n.body:
                self.stmt(b)
            for e in n.elif_:
                self.stmt(e)
            for b in n.else_:
                self.stmt(b)
        elif isinstance(n, nodes.Assign):
            t = self.expr(n.node)
            self._bind_target(n.target, t, self.locals[-1])
        else:
            for child in n.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child)
                else:
                    self.stmt(child)

    def _bind_target(self, target: nodes.Node, t: dict, frame: dict) -> None:
        if isinstance(target, nodes.Name):
            frame[target.name] = t
        elif isinstance(target, nodes.Tuple):
            for x in target.items:
                self._bind_target(x, ANY, frame)

    # -- expressions --------------------------------------------------------------------------
    def lookup(self, name: str) -> dict | None:
        for frame in reversed(self.locals):
            if name in frame:
                return frame[name]
        return self.scope.names.get(name)

    def expr(self, n: nodes.Node) -> dict:
        if isinstance(n, nodes.Name):
            t = self.lookup(n.name)
            if t is None:
                if n.name in self.scope.forbidden:
                    self.problems.append(f"{n.name}: {self.scope.forbidden[n.name]}")
                else:
                    known = [k for k in self.scope.names if not k.startswith("__")]
                    self.problems.append(f"{n.name}: not {self.scope.what}{_suggest(n.name, known)}")
                return ANY
            return t
        if isinstance(n, nodes.Getattr):
            base = self.expr(n.node)
            return self.attr(base, n.attr, n.node)
        if isinstance(n, nodes.Getitem):
            base = self.expr(n.node)
            self.expr(n.arg)
            if isinstance(n.arg, nodes.Const):
                if isinstance(n.arg.value, str):
                    return self.attr(base, n.arg.value, n.node)
                if isinstance(n.arg.value, int):
                    k = self.t.kind(base)
                    if k == "array":
                        return self.t.items(base)
                    if k == "object" or k == "scalar":
                        self.problems.append(f"{_show(n.node)}[{n.arg.value}]: {_show(n.node)} is not a list")
                    return ANY
            if isinstance(n.arg, nodes.Slice):
                return base
            k = self.t.kind(base)
            return self.t.items(base) if k == "array" else ANY
        if isinstance(n, nodes.Filter):
            return self.filter(n)
        if isinstance(n, nodes.Test):
            if n.node is not None:
                self.expr(n.node)
            for a in n.args:
                self.expr(a)
            return BOOLEAN
        if isinstance(n, nodes.Call):
            return self.call(n)
        if isinstance(n, nodes.CondExpr):
            self.expr(n.test)
            a = self.expr(n.expr1)
            b = self.expr(n.expr2) if n.expr2 is not None else ANY
            return a if a is b else ANY
        if isinstance(n, (nodes.And, nodes.Or)):
            a, b = self.expr(n.left), self.expr(n.right)
            return a if isinstance(n, nodes.Or) and self.t.kind(a) == self.t.kind(b) == "scalar" else ANY
        if isinstance(n, nodes.Not):
            self.expr(n.node)
            return BOOLEAN
        if isinstance(n, nodes.Compare):
            self.expr(n.expr)
            for op in n.ops:
                self.expr(op.expr)
            return BOOLEAN
        if isinstance(n, nodes.Concat):
            for x in n.nodes:
                self.expr(x)
            return STRING
        if isinstance(n, nodes.BinExpr):
            a, b = self.expr(n.left), self.expr(n.right)
            if isinstance(n, nodes.Add):
                # list + list: the typed side names the items (a literal extra entry + a payload list)
                ka, kb = self.t.kind(a), self.t.kind(b)
                if ka == "array" and kb == "array":
                    ia, ib = self.t.items(a), self.t.items(b)
                    return b if ia is ANY or ia.get("x-any") else a if ib is ANY or ib.get("x-any") else a
                if kb == "array" and isinstance(n.left, (nodes.List, nodes.CondExpr)):
                    return b
                if ka == "array" and isinstance(n.right, (nodes.List, nodes.CondExpr)):
                    return a
                return ANY
            return NUMBER
        if isinstance(n, nodes.UnaryExpr):
            self.expr(n.node)
            return NUMBER
        if isinstance(n, nodes.Const):
            v = n.value
            return STRING if isinstance(v, str) else BOOLEAN if isinstance(v, bool) else \
                NUMBER if isinstance(v, (int, float)) else ANY
        if isinstance(n, (nodes.List, nodes.Tuple)):
            types = [self.expr(x) for x in n.items]
            return {"type": "array", "items": types[0] if types and all(t is types[0] for t in types) else ANY}
        if isinstance(n, nodes.Dict):
            for p in n.items:
                self.expr(p.key)
                self.expr(p.value)
            return ANY
        for child in n.iter_child_nodes():
            self.expr(child)
        return ANY

    def attr(self, base: dict, name: str, base_node: nodes.Node, *, method: bool = False) -> dict:
        k = self.t.kind(base)
        if k == "any":
            return ANY
        if k == "object":
            props = self.t.properties(base)
            if props is None:
                return ANY
            if name in props:
                return self.t.resolve(props[name])
            if method and name in _DICT_METHODS:
                return ANY
            via = self.t.pattern(base, name)
            if via is not None:
                return via
            self.problems.append(f"{_show(base_node)}.{name}: {_show(base_node)} has no property {name!r}"
                                 f"{_suggest(name, list(props))}")
            return ANY
        if method and k == "scalar" and name in _STR_METHODS:
            return ANY
        what = "a list" if k == "array" else "a single value"
        self.problems.append(f"{_show(base_node)}.{name}: {_show(base_node)} is {what}, it has no {name!r}")
        return ANY

    def call(self, n: nodes.Call) -> dict:
        for a in n.args:
            self.expr(a)
        for kw in n.kwargs:
            self.expr(kw.value)
        if isinstance(n.node, nodes.Getattr):
            base = self.expr(n.node.node)
            self.attr(base, n.node.attr, n.node.node, method=True)
            return ANY
        self.expr(n.node)
        return ANY

    def filter(self, n: nodes.Filter) -> dict:
        base = self.expr(n.node) if n.node is not None else ANY
        for a in n.args:
            self.expr(a)
        for kw in n.kwargs:
            self.expr(kw.value)
        name = n.name
        bk = self.t.kind(base)
        if bk in ("object", "scalar") and (name in _ATTRIBUTE_FILTERS or (bk == "object" and name in _ONE_ITEM)):
            attr_kw = any(kw.key == "attribute" for kw in n.kwargs) or name in ("selectattr", "rejectattr", "map")
            if bk == "object" or attr_kw:
                what = "an object" if bk == "object" else "a single value"
                self.problems.append(f"{_show(n.node)} | {name}: {_show(n.node)} is {what}, not a list")
                return ANY
        # attribute='x' / selectattr('x') name a property of the list's items
        if name in _ATTRIBUTE_FILTERS and self.t.kind(base) == "array":
            item = self.t.items(base)
            attr = None
            for kw in n.kwargs:
                if kw.key == "attribute" and isinstance(kw.value, nodes.Const):
                    attr = kw.value.value
            if name in ("selectattr", "rejectattr") and n.args and isinstance(n.args[0], nodes.Const):
                attr = n.args[0].value
            if name == "map" and n.args and isinstance(n.args[0], nodes.Const) and attr is None:
                attr = None  # map('filter') applies a filter, not an attribute
            if isinstance(attr, str):
                t: dict = item
                for part in attr.split("."):
                    t = self.attr(t, part, nodes.Name(f"{_show(n.node)}[]", "load"))
                if name == "map":
                    return {"type": "array", "items": t}
        if name in _SAME_LIST:
            return base
        if name in _ONE_ITEM and self.t.kind(base) == "array":
            return self.t.items(base)
        if name in _NUMERIC:
            return NUMBER
        if name == "default" and n.args:
            return base
        return ANY


def _show(n: nodes.Node) -> str:
    if isinstance(n, nodes.Name):
        return n.name
    if isinstance(n, nodes.Getattr):
        return f"{_show(n.node)}.{n.attr}"
    if isinstance(n, nodes.Getitem):
        if isinstance(n.arg, nodes.Const):
            return f"{_show(n.node)}[{n.arg.value!r}]"
        return f"{_show(n.node)}[…]"
    if isinstance(n, nodes.Filter):
        return f"{_show(n.node)}|{n.name}" if n.node is not None else n.name
    return type(n).__name__.lower()


def tenant_type(slots: list[str], tables: dict[str, dict] | None = None) -> dict:
    """The ``tenant`` variable's type: only what the form declares (the customization guard)."""
    props: dict[str, Any] = {}
    for s in slots:
        head, _, rest = s.rstrip("?").partition(".")  # "postal.office?": optional slot
        if head == "seal":
            continue
        if not rest:
            props[head] = STRING if head not in ("contacts", "postal", "issuers", "payment", "ordinances") else ANY
            continue
        sub = props.setdefault(head, {"type": "object", "properties": {}, "additionalProperties": False})
        if sub is ANY:
            continue
        if head == "issuers":
            sub["properties"][rest] = obj(title=STRING, name=STRING, seal=ANY)
        else:
            sub["properties"][rest] = STRING
    if tables:
        props["tables"] = {"type": "object", "properties": dict(tables), "additionalProperties": False}
    return {"type": "object", "properties": props, "additionalProperties": False}
