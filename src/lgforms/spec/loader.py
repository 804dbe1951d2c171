"""The load stage: ``forms/<area>/<form_id>/`` -> an immutable, compiled ``FormSpec``.

Everything that can be wrong with a form is found here, once, not at render time, and every
mistake is reported with its file and line (``FORM_SPEC_INVALID``, ``detail.errors``): unknown
element kinds and keys, styles, blocks and their parameters, template syntax, filters and their
arguments, every variable path against the payload schema (loop aliases, nested properties,
``page.*``, ``slot.*``, ``tenant.*``, block parameters), page ``when`` / ``repeat.over``, rules,
geometry (boxes inside the page, header titles that fit), payload values in static parts.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import nodes
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import ValidationError

from ..bind.expressions import Expression, Template, compiler
from ..bind.formats import format_checker
from ..errors import FormSpecInvalid, LgformsError
from ..moji.fonts import ROLE_FILES
from .models import ClosingMark, FormFile, PageTemplate, Rule, Variant
from .paths import (ANY, FORM_VARS, ISSUE_VARS, PAGE_VARS, SLOT_VARS, Checker, SchemaTypes, Scope, tenant_type)
from .source import Mapping, Problems, line_of, plain, read_yaml
from .styles import Styles

# what a renderer may pass as ``issue`` (service-assigned 発行番号, proxy issuer for 罹災証明書)
ISSUE_FIELDS = frozenset({"number", "proxy_name"})
# tenant profile values a form may declare (tenant_slots); "contacts.X", "issuers.X", "postal.X"
TENANT_HEADS = frozenset({"code", "name", "local_name", "mayor_title", "mayor_name", "resident_tax_name", "seal",
                          "contacts", "postal", "issuers", "payment", "ordinances"})
TENANT_GROUPS = ("contacts", "postal", "issuers", "payment", "ordinances")  # declared per key: contacts.zeimu
EDGE_TOLERANCE = 0.01  # mm


@dataclass(slots=True)
class CompiledPage:
    spec: PageTemplate
    size: tuple[float, float]
    key: str  # Form XObject name for the static part
    when: Expression | None
    over: Expression | None
    static: list[Any]
    slot_static: list[Any]
    fields: list[Any]
    slot: list[Any]
    flow: Any = None  # layout.flow.CompiledFlow


@dataclass(slots=True)
class CompiledRule:
    spec: Rule
    check: Expression
    each: Expression | None


@dataclass(slots=True)
class FormSpec:
    id: str
    title: str
    meta: FormFile
    folder: Path
    schema: dict
    validator: Draft202012Validator
    pages: list[CompiledPage]
    samples: dict[str, Path]
    fast_validator: Any = None
    static_cache: dict = field(default_factory=dict)  # (page key, tenant key) -> StaticPart items
    lock: threading.Lock = field(default_factory=threading.Lock)
    rules: list[CompiledRule] = field(default_factory=list)
    delivery: str = "counter"  # the delivery this layout is for
    variants: dict[str, "FormSpec"] = field(default_factory=dict)  # other deliveries' layouts
    tenant_slots_: list[str] = field(default_factory=list)
    tenant_tables: dict[str, dict] = field(default_factory=dict)  # name -> JSON Schema
    postal: Any = None  # PostalSpec of this layout
    warnings: list[dict] = field(default_factory=list)  # lgforms check: overlaps and the like
    not_printed: dict[str, str] = field(default_factory=dict)  # a variant's fields left out on purpose: path -> why

    @property
    def tenant_slots(self) -> list[str]:
        return self.tenant_slots_

    @property
    def deliveries(self) -> list[str]:
        return [self.delivery] + [d for d in self.variants if d != self.delivery]

    def for_delivery(self, delivery: str | None) -> "FormSpec":
        """The layout of this form for ``delivery`` (one form, one schema, several layouts)."""
        if delivery is None:
            return self
        from ..postal.profiles import normalize_delivery

        d = normalize_delivery(delivery) or delivery
        if d == normalize_delivery(self.delivery) or d == self.delivery:
            return self
        v = self.variants.get(d)
        return v if v is not None else self

    def sample(self, name: str | None = None) -> dict:
        if not self.samples:
            raise FormSpecInvalid(f"{self.id}: has no samples")
        if name is not None and name not in self.samples:
            raise FormSpecInvalid(f"{self.id}: no sample {name!r} (samples: {', '.join(self.samples)})",
                                  form_id=self.id)
        p = self.samples[name] if name else next(iter(self.samples.values()))
        return json.loads(p.read_text(encoding="utf-8"))

    def summary(self) -> dict[str, Any]:
        m = self.meta
        return {"id": m.id, "title": m.title, "area": m.area, "kind": m.kind, "delivery": m.delivery,
                "deliveries": self.deliveries, "version": m.version, "paper": m.paper.size,
                "pages": [p.spec.id for p in self.pages], "tenant_slots": self.tenant_slots,
                "samples": list(self.samples)}


# ---------------------------------------------------------------------------------------------
# blocks: forms/_blocks/<name>.yaml


@dataclass
class BlockDef:
    name: str
    file: str  # shown in errors: _blocks/<name>.yaml
    raw: Mapping
    size: tuple[float, float] | None
    params: dict[str, dict]
    styles: dict[str, dict]


class BlockLibrary:
    """The shared blocks and styles of a forms folder, read once per catalog."""

    def __init__(self, root: Path | None):
        self.root = root
        self._blocks: dict[str, BlockDef | FormSpecInvalid] = {}
        self._styles: Styles | None = None
        self._style_problems: list[tuple[str, str, int | None]] = []
        self.lock = threading.Lock()

    @property
    def folder(self) -> Path | None:
        return self.root / "_blocks" if self.root is not None else None

    def styles(self) -> tuple[Styles, list[tuple[str, str, int | None]]]:
        if self._styles is None:
            named: dict[str, dict] = {}
            origin: dict[str, str] = {}
            f = self.folder / "styles.yaml" if self.folder is not None else None
            problems: list[tuple[str, str, int | None]] = []
            if f is not None and f.is_file():
                raw = read_yaml(f, "_blocks/styles.yaml") or {}
                st = raw.get("styles", {}) if isinstance(raw, dict) else {}
                for k, v in (st or {}).items():
                    named[k] = plain(v)
                    origin[k] = f"_blocks/styles.yaml:{line_of(st, k)}"
            s = Styles(named, origin)
            found: list[tuple[str, str]] = []
            s.check_all(found)
            problems = [(n, m, None) for n, m in found]
            self._styles, self._style_problems = s, problems
        return self._styles, self._style_problems

    def get(self, name: str) -> BlockDef:
        hit = self._blocks.get(name)
        if hit is None:
            with self.lock:
                hit = self._blocks[name] = self._load(name)
        if isinstance(hit, FormSpecInvalid):
            raise hit
        return hit

    def names(self) -> list[str]:
        if self.folder is None or not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.yaml") if p.stem != "styles")

    def _load(self, name: str) -> BlockDef | FormSpecInvalid:
        shown = f"_blocks/{name}.yaml"
        if self.folder is None or not (self.folder / f"{name}.yaml").is_file() or name == "styles":
            import difflib

            known = self.names()
            close = difflib.get_close_matches(name, known, n=1)
            return FormSpecInvalid(f"no block {name!r}{' — did you mean ' + repr(close[0]) + '?' if close else ''} "
                                   f"(blocks: {', '.join(known) or 'none'})")
        try:
            raw = read_yaml(self.folder / f"{name}.yaml", shown)
        except FormSpecInvalid as e:
            return e
        if not isinstance(raw, Mapping):
            return FormSpecInvalid(f"{shown}: a block file is a mapping")
        allowed = {"block", "title", "description", "size", "params", "styles", "static", "fields", "sources"}
        bad = set(raw) - allowed
        if bad:
            return FormSpecInvalid(f"{shown}:{line_of(raw, sorted(bad)[0])}: unknown key(s) {', '.join(sorted(bad))} "
                                   f"(known: {', '.join(sorted(allowed))})")
        if raw.get("block") != name:
            return FormSpecInvalid(f"{shown}:{line_of(raw, 'block')}: 'block' must be {name!r} (the file name)")
        size = raw.get("size")
        if size is not None and not (isinstance(size, list) and len(size) == 2
                                     and all(isinstance(v, (int, float)) and v > 0 for v in size)):
            return FormSpecInvalid(f"{shown}:{line_of(raw, 'size')}: size is [width, height] in mm")
        params = raw.get("params") or {}
        if not isinstance(params, dict):
            return FormSpecInvalid(f"{shown}:{line_of(raw, 'params')}: params is a mapping name -> declaration")
        for k, v in params.items():
            if v is None:
                params[k] = Mapping()
            elif not isinstance(v, dict) or set(v) - {"as", "default", "optional", "doc"}:
                return FormSpecInvalid(f"{shown}:{line_of(params, k)}: param {k!r}: keys are as (value | text), "
                                       f"default, optional, doc")
            elif v.get("as", "value") not in ("value", "text"):
                return FormSpecInvalid(f"{shown}:{line_of(params, k)}: param {k!r}: 'as' is value or text")
        return BlockDef(name, shown, raw, tuple(size) if size else None, params, raw.get("styles") or {})


_LIBRARIES: dict[str, BlockLibrary] = {}
_LIB_LOCK = threading.Lock()


def block_library(root: Path | None) -> BlockLibrary:
    key = str(root)
    with _LIB_LOCK:
        lib = _LIBRARIES.get(key)
        if lib is None:
            lib = _LIBRARIES[key] = BlockLibrary(root)
        return lib


def reset_block_libraries() -> None:
    """Forget cached blocks (a designer that edits block files)."""
    with _LIB_LOCK:
        _LIBRARIES.clear()


# ---------------------------------------------------------------------------------------------
# the compiler


class CompileContext:
    """What an element kind may use while compiling itself (``ElementKind.compile_extra``)."""

    def __init__(self, fc: "FormCompiler", scope: Scope, where: str, at: Any, *, static: bool,
                 styles: Styles, defaults: dict | None, origin: tuple[int, int] | None = None):
        self.fc = fc
        self.scope = scope
        self.where = where
        self.at = at
        self.static = static
        self.styles = styles
        self.defaults = defaults
        self.problems = fc.problems

    def template(self, src: str, where: str, names: dict[str, dict] | None = None, key: str | None = None,
                 at: Any = None) -> Template:
        scope = self.scope.child(**names) if names else self.scope
        return self.fc.template(src, where, scope, at if at is not None else self.at, key)

    def expression(self, src: str, where: str, names: dict[str, dict] | None = None, key: str | None = None,
                   at: Any = None) -> Expression:
        scope = self.scope.child(**names) if names else self.scope
        return self.fc.expression(src, where, scope, at if at is not None else self.at, key)

    def type_of(self, src: str, names: dict[str, dict] | None = None) -> dict:
        scope = self.scope.child(**names) if names else self.scope
        return self.fc.type_of(src, scope)

    def items_of(self, src: str, names: dict[str, dict] | None = None, key: str | None = None) -> dict:
        """The items' type of a list expression; an object or single value is a problem."""
        scope = self.scope.child(**names) if names else self.scope
        self.fc.must_be_list(src, scope, self.where, self.at, key)
        return self.fc.types.items(self.type_of(src, names))

    def style(self, style: Any, fields: set[str] | frozenset[str], where: str, at: Any = None) -> dict[str, Any]:
        found: list[str] = []
        out = self.styles.keys_for(style, fields, None, found)
        for m in found:
            self.problems.add(where, m, at=at if at is not None else self.at, key="style")
        return out

    def element(self, raw: Any, where: str, *, names: dict[str, dict] | None = None, static: bool | None = None,
                scope: Scope | None = None, styles: Styles | None = None, defaults: dict | None = None):
        sc = scope if scope is not None else (self.scope.child(**names) if names else self.scope)
        return self.fc.element(raw, where, sc, static=self.static if static is None else static,
                               styles=styles or self.styles, defaults=self.defaults if defaults is None else defaults)

    def problem(self, where: str, message: str, at: Any = None, key: str | None = None) -> None:
        self.problems.add(where, message, at=at if at is not None else self.at, key=key)

    def raw(self, *path: Any) -> Any:
        """The element's source node at ``path`` (e.g. "columns", 2): its file and line for errors;
        the element itself when the path does not lead anywhere."""
        node: Any = self.at
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return self.at
        return node if getattr(node, "line", None) else self.at

    def block(self, name: str) -> BlockDef:
        return self.fc.blocks.get(name)

    def static_scope(self, **names: dict) -> Scope:
        return self.fc.static_scope(**names)

    def builtin_scope(self, caller: Scope, **names: dict) -> Scope:
        """A block's scope: the built-ins the caller sees (tenant, form, page, issue, slot) and the
        block's parameters — never the form's payload names."""
        keep = {k: v for k, v in caller.names.items() if k in ("tenant", "form", "page", "issue", "slot")}
        return Scope(caller.types, {**keep, **names}, {}, "a parameter of the block or a built-in "
                     "(tenant, form, page, issue, slot)")


_ASTS: dict[tuple[str, bool], nodes.Template | None] = {}
_DUMMY_T = Template("", lambda ctx: "", True)
_DUMMY_E = Expression("", lambda ctx: None)


class FormCompiler:
    def __init__(self, form_id: str, schema: dict, problems: Problems, blocks: BlockLibrary, styles: Styles,
                 tenant_slots: list[str], tenant_tables: dict[str, dict]):
        self.form_id = form_id
        self.types = SchemaTypes(schema)
        self.problems = problems
        self.blocks = blocks
        self.styles = styles
        props = schema.get("properties", {}) if isinstance(schema, dict) else {}
        self.payload_names = {k: self.types.resolve(v) for k, v in props.items()}
        self.tenant = tenant_type(tenant_slots, tenant_tables)
        self.tenant_slots = tenant_slots

    # scopes --------------------------------------------------------------------------------
    def payload_scope(self) -> Scope:
        names = dict(self.payload_names)
        names.update(tenant=self.tenant, form=FORM_VARS, page=PAGE_VARS, issue=ISSUE_VARS)
        return Scope(self.types, names)

    def static_scope(self, **extra: dict) -> Scope:
        forbidden = {k: "static elements may only use tenant.* and form.* (they are drawn once per document): "
                        "put it in fields" for k in (*self.payload_names, "page", "issue", "slot")}
        return Scope(self.types, {"tenant": self.tenant, "form": FORM_VARS, **extra}, forbidden,
                     "a value a static element may use (tenant.*, form.*)")

    # templates -----------------------------------------------------------------------------
    def _parse(self, src: str, expression: bool) -> nodes.Template | None:
        key = (src, expression)
        if key in _ASTS:
            return _ASTS[key]
        try:
            ast = compiler().env.parse("{{ " + src + " }}" if expression else src)
        except Exception:  # noqa: BLE001 - the compiler reports syntax errors
            ast = None
        if len(_ASTS) < 50_000:
            _ASTS[key] = ast  # read-only after parsing: the checker only walks it
        return ast

    def _check(self, ast: nodes.Template | None, scope: Scope, where: str, at: Any, key: str | None) -> None:
        if ast is None:
            return
        for msg in Checker(scope).check_template(ast):
            if msg.startswith("tenant.") and "has no property" in msg:
                attr = msg.split(":", 1)[0]
                msg = (f"{attr}: the form does not declare it in tenant_slots (the customization guard allows "
                       f"only declared slots){msg[msg.find(' (known'):] if ' (known' in msg else ''}")
            elif msg.startswith("issue.") and "has no property" in msg:
                attr = msg.split(":", 1)[0]
                msg = f"{attr}: not an issue value (known: {', '.join(sorted(ISSUE_FIELDS))})"
            self.problems.add(where, msg, at=at, key=key)
        self._check_filters(ast, where, at, key)

    def _check_filters(self, ast: nodes.Template, where: str, at: Any, key: str | None) -> None:
        from ..bind.filters import check_filter_call

        for f in ast.find_all(nodes.Filter):
            if not all(isinstance(a, nodes.Const) for a in f.args) or \
                    not all(isinstance(k.value, nodes.Const) for k in f.kwargs) or f.dyn_args or f.dyn_kwargs:
                continue
            msg = check_filter_call(f.name, [a.value for a in f.args], {k.key: k.value.value for k in f.kwargs})
            if msg:
                self.problems.add(where, f"filter {f.name}: {msg}", at=at, key=key)

    def template(self, src: Any, where: str, scope: Scope, at: Any, key: str | None) -> Template:
        if not isinstance(src, str):
            self.problems.add(where, f"{key or 'value'} must be text, not {type(src).__name__}", at=at, key=key)
            return _DUMMY_T
        try:
            t = compiler().template(src, where=where)
        except FormSpecInvalid as e:
            self.problems.add(where, e.message.removeprefix(f"{where}: "), at=at, key=key)
            return _DUMMY_T
        if not t.constant:
            self._check(self._parse(src, False), scope, where, at, key)
        return t

    def expression(self, src: Any, where: str, scope: Scope, at: Any, key: str | None) -> Expression:
        if not isinstance(src, str):
            src = json.dumps(src, ensure_ascii=False)  # YAML numbers / lists are expressions too
        try:
            e = compiler().expression(src, where=where)
        except FormSpecInvalid as err:
            self.problems.add(where, err.message.removeprefix(f"{where}: "), at=at, key=key)
            return _DUMMY_E
        self._check(self._parse(src, True), scope, where, at, key)
        return e

    def must_be_list(self, src: str, scope: Scope, where: str, at: Any, key: str | None) -> None:
        """A repeat, table or each runs over a list: an object or single value there is a mistake."""
        k = self.types.kind(self.type_of(src, scope))
        if k in ("object", "scalar"):
            what = "an object" if k == "object" else "a single value"
            self.problems.add(where, f"{src.strip()} is {what}, not a list", at=at, key=key)

    def type_of(self, src: str, scope: Scope) -> dict:
        ast = self._parse(src, True)
        if ast is None:
            return ANY
        ch = Checker(scope)
        t = ch.type_of_expression(ast)
        return self.types.resolve(t)

    # elements ------------------------------------------------------------------------------
    def element(self, raw: Any, where: str, scope: Scope, *, static: bool, styles: Styles,
                defaults: dict | None):
        from ..elements import KINDS, Compiled

        if not isinstance(raw, dict) or "kind" not in raw:
            self.problems.add(where, "an element must be a mapping with a 'kind'", at=raw)
            return None
        kind = KINDS.get(raw["kind"])
        if kind is None:
            import difflib

            close = difflib.get_close_matches(str(raw["kind"]), list(KINDS), n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
            self.problems.add(where, f"unknown element kind {raw['kind']!r}{hint} (known: {', '.join(sorted(KINDS))})",
                              at=raw, key="kind")
            return None
        if raw.get("id"):
            where = f"{where} ({raw['id']})"
        fields = set(kind.Spec.model_fields) | {f.alias for f in kind.Spec.model_fields.values() if f.alias}
        found: list[str] = []
        styled = styles.keys_for(raw.get("style"), fields, defaults, found)
        for m in found:
            self.problems.add(where, m, at=raw, key="style")
        merged = {**styled, **{k: plain(v) for k, v in raw.items() if k != "style"}}
        try:
            spec = kind.Spec.model_validate(merged)
        except ValidationError as e:
            for err in e.errors():
                loc = [str(x) for x in err["loc"]]
                msg = err["msg"]
                if err["type"] == "extra_forbidden":
                    import difflib

                    close = difflib.get_close_matches(loc[-1], sorted(fields), n=1)
                    msg = f"unknown key{' — did you mean ' + repr(close[0]) + '?' if close else ''} " \
                          f"({kind.name} keys: {', '.join(sorted(f for f in fields if f != 'as_'))})"
                self.problems.add(where, f"{'.'.join(loc) + ': ' if loc else ''}{msg}", at=raw,
                                  key=loc[0] if loc else None)
            return None
        font = getattr(spec, "font", None)
        if font is not None and font not in ROLE_FILES:
            self.problems.add(where, f"unknown font {font!r} (known: {', '.join(ROLE_FILES)})", at=raw, key="font")
        try:
            kind.check(spec, where)
        except FormSpecInvalid as e:
            at: Any = raw
            path = e.detail.get("at") or []
            key = None
            for i, part in enumerate(path):
                nxt = at.get(part) if isinstance(at, dict) else at[part] if isinstance(at, list) and \
                    isinstance(part, int) and part < len(at) else None
                if nxt is None or getattr(nxt, "line", None) is None:
                    key = part if isinstance(part, str) and isinstance(at, dict) else key
                    break
                at = nxt
            self.problems.add(where, e.message.removeprefix(f"{where}: "), at=at, key=key)
        el = Compiled(spec, kind, f"{self.form_id}: {where}")
        el.extra["source"] = (getattr(raw, "file", None), getattr(raw, "line", None))
        el.extra["static"] = static  # drawn whole into a static part (labels and rules included)
        for attr in kind.templates:
            v = getattr(spec, attr, None)
            if v is not None:
                el.t[attr] = self.template(v, where, scope, raw, attr)
        for attr in kind.expressions:
            v = getattr(spec, attr, None)
            if v is not None:
                el.t[attr] = self.expression(v, where, scope, raw, attr)
        if spec.when:
            el.when = self.expression(spec.when, where, scope, raw, "when")
        cc = CompileContext(self, scope, where, raw, static=static, styles=styles, defaults=defaults)
        try:
            kind.compile_extra(spec, el, cc)
        except FormSpecInvalid as e:
            self.problems.take(e, where, at=raw)
        if static and spec.pages != "every":
            self.problems.add(where, f"a static element is on every page; use fields for pages: {spec.pages}",
                              at=raw, key="pages")
        el.extra["page_invariant"] = not (el.variables & ({"page", "slot"} | _local_names(scope)))
        return el


def _local_names(scope: Scope) -> set[str]:
    return {k for k, v in scope.names.items() if v.get("x-local")}


# ---------------------------------------------------------------------------------------------
# geometry


def element_rects(el: Any, dx: float = 0.0, dy: float = 0.0):
    """(id, kind, rect) of an element and, for blocks and groups, of its children (absolute mm)."""
    s = el.spec
    rects = el.kind.rects(s) if hasattr(el.kind, "rects") else []
    for r in rects:
        yield (s.id or s.kind, s.kind, (r[0] + dx, r[1] + dy, r[2], r[3]), el)
    off = el.extra.get("offset")
    if off is not None:
        for child in (*el.extra.get("static_children", ()), *el.extra.get("children", ())):
            yield from element_rects(child, dx + off[0], dy + off[1])


def _inside(r: tuple[float, float, float, float], w: float, h: float) -> bool:
    x, y, rw, rh = r
    return x >= -EDGE_TOLERANCE and y >= -EDGE_TOLERANCE and x + rw <= w + EDGE_TOLERANCE and \
        y + rh <= h + EDGE_TOLERANCE


# ---------------------------------------------------------------------------------------------
# the form


def _fmt_validation(e: ValidationError, raw: Any, problems: Problems, where: str) -> None:
    for err in e.errors():
        loc = [x for x in err["loc"]]
        node: Any = raw
        line = None
        for part in loc:
            if isinstance(node, dict) and part in node:
                line = line_of(node, part) or line
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                line = line_of(node) or line
            else:
                break
        problems.add(where, f"{'.'.join(map(str, loc))}: {err['msg']}", file=getattr(raw, "file", None),
                     line=line or line_of(raw))


def load_form(folder: Path, root: Path | None = None) -> FormSpec:
    """Load and check one form folder; ``root`` is the forms folder holding ``_blocks/``."""
    folder = Path(folder)
    root = Path(root) if root is not None else folder.parent.parent
    shown = f"{folder.name}/form.yaml"
    raw = read_yaml(folder / "form.yaml", shown)
    problems = Problems(folder.name)
    if not isinstance(raw, Mapping):
        raise FormSpecInvalid(f"{shown}: form.yaml must be a mapping")
    try:
        ff = FormFile.model_validate(_plain_top(raw))
    except ValidationError as e:
        _fmt_validation(e, raw, problems, "form.yaml")
        problems.raise_if_any()
        raise
    if ff.id != folder.name:
        problems.add("form.yaml", f"id {ff.id!r} must equal the folder name", at=raw, key="id")
    try:
        schema = json.loads((folder / ff.schema_).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        raise FormSpecInvalid(f"{ff.id}: cannot read {ff.schema_}: {e}", form_id=ff.id) from None
    except SchemaError as e:
        raise FormSpecInvalid(f"{ff.id}: {ff.schema_} is not a valid JSON Schema: {e.message}", form_id=ff.id) from None
    validator = Draft202012Validator(schema, format_checker=format_checker(schema, ff.id))

    lib = block_library(root)
    shared, style_problems = lib.styles()
    for name, msg, line in style_problems:
        problems.add("_blocks/styles.yaml", msg, file="_blocks/styles.yaml", line=line)
    found: list[str] = []
    styles = shared.with_local(ff.styles, shown, found)
    for m in found:
        problems.add("styles", m, at=raw.get("styles"))
    local_found: list[tuple[str, str]] = []
    styles.check_all(local_found)
    for name, m in local_found:
        if name in ff.styles:
            problems.add("styles", m, at=raw.get("styles"), key=name)

    tenant_tables = _tenant_tables(ff, folder, problems, raw)
    _check_tenant_slots(ff.tenant_slots, problems, raw)

    main = _compile_layout(ff, folder, raw, schema, validator, problems, lib, styles, tenant_tables,
                           delivery=ff.delivery, pages=ff.pages, raw_pages=raw.get("pages"), paper=ff.paper,
                           postal=ff.postal, slots=ff.tenant_slots, defaults=ff.defaults)
    main.rules = _compile_rules(ff, raw, main, problems, lib, styles, tenant_tables)
    from ..postal.profiles import normalize_delivery

    for d, v in ff.variants.items():
        nd = normalize_delivery(d)
        if nd is None:
            problems.add("variants", f"unknown delivery {d!r}", at=raw.get("variants"), key=d)
            continue
        vraw = raw["variants"][d]
        slots = list(dict.fromkeys([*ff.tenant_slots, *v.tenant_slots]))
        _check_tenant_slots(v.tenant_slots, problems, vraw)
        main.variants[nd] = _compile_layout(
            ff, folder, raw, schema, validator, problems, lib, styles, tenant_tables, delivery=nd, pages=v.pages,
            raw_pages=vraw.get("pages"), paper=v.paper or ff.paper, postal=v.postal, slots=slots,
            defaults=v.defaults if v.defaults is not None else ff.defaults, key_prefix=f"{ff.id}@{nd}")
        main.variants[nd].rules = main.rules + _compile_rules(
            ff, vraw, main.variants[nd], problems, lib, styles, tenant_tables, rules=v.rules,
            where=f"variants.{d}.rules")
        for path, why in v.not_printed.items():
            bad = _schema_path_problem(schema, path)
            if bad or not str(why).strip():
                problems.add(f"variants.{d}.not_printed", bad or f"{path}: give the reason it is not printed",
                             at=vraw.get("not_printed", vraw), key=path)
        main.variants[nd].not_printed = dict(v.not_printed)
    if not problems:  # a mailed layout's structure, on elements that compiled
        _check_postal_structure(main, raw, problems, "")
        for d, v in ff.variants.items():
            nd = normalize_delivery(d)
            if nd in main.variants:
                _check_postal_structure(main.variants[nd], raw["variants"][d], problems, f"variants.{d}.")
    problems.raise_if_any()
    samples = {s.stem: s for s in sorted((folder / "samples").glob("*.json"))}
    from ..bind.payload import fast_validator

    main.samples = samples
    main.fast_validator = fast_validator(schema)
    for v in main.variants.values():
        v.samples = samples
        v.fast_validator = main.fast_validator
        v.variants = main.variants
    main.warnings = [w.to_dict() for w in problems.warnings]
    return main


_NOT_PRINTED_PATH = re.compile(r"^\$(?:\.[A-Za-z_]\w*|\[\*\])+$")


def _schema_path_problem(schema: dict, path: str) -> str | None:
    """None when ``path`` ($.a.b, $.list[*].c) names a property of the payload schema."""
    if not _NOT_PRINTED_PATH.match(path):
        return f"{path!r}: a JSON path such as $.slip.cvs or $.kibetsu[*].cvs"

    def deref(node: dict) -> dict:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                return {}
            node = schema
            for part in ref[2:].split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            seen += 1
        return node if isinstance(node, dict) else {}

    node = deref(schema)
    for tok in re.findall(r"\.[A-Za-z_]\w*|\[\*\]", path):
        if tok == "[*]":
            if "items" not in node:
                return f"{path}: {tok} but the schema has no list there"
            node = deref(node["items"])
        else:
            props = node.get("properties", {})
            if tok[1:] not in props:
                return f"{path}: the payload schema has no property {tok[1:]!r} there"
            node = deref(props[tok[1:]])
    return None


def _plain_top(raw: Mapping) -> dict:
    """The form file as plain data for the model (elements stay as they are: typed later)."""
    return dict(raw)


def _check_tenant_slots(slots: list[str], problems: Problems, at: Any) -> None:
    for s in slots:
        head, _, rest = s.rstrip("?").partition(".")
        if head not in TENANT_HEADS or (head in TENANT_GROUPS and not rest) or \
                (head not in TENANT_GROUPS and rest):
            problems.add("tenant_slots", f"{s!r} is not a tenant profile value (known: "
                         f"{', '.join(sorted(h for h in TENANT_HEADS if h not in TENANT_GROUPS))}, "
                         f"contacts.<業務>, postal.<key>, issuers.<業務>, payment.<key>)", at=at, key="tenant_slots")


def _tenant_tables(ff: FormFile, folder: Path, problems: Problems, raw: Mapping) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name, file in ff.tenant_tables.items():
        try:
            sch = json.loads((folder / file).read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(sch)
        except (OSError, ValueError, SchemaError) as e:
            problems.add("tenant_tables", f"{name}: cannot read its schema {file}: {getattr(e, 'message', e)}",
                         at=raw.get("tenant_tables"), key=name)
            continue
        out[name] = sch
    return out


def _check_postal_structure(layout: FormSpec, raw: Any, problems: Problems, prefix: str) -> None:
    """The 宛名/差出人 blocks and panels of a mailed layout (``postal.delivery.structure_problems``),
    each reported at the line that is wrong."""
    from ..postal.delivery import POSTAL_KINDS, structure_problems
    from ..postal.profiles import normalize_delivery

    d = normalize_delivery(layout.delivery)
    if d not in POSTAL_KINDS:
        return
    postal = raw.get("postal") if isinstance(raw, Mapping) else None
    pages = raw.get("pages") if isinstance(raw, Mapping) else None
    for p in structure_problems(layout, d):
        if p.at in ("address_block", "sender_block"):
            node = postal.get(p.at) if isinstance(postal, Mapping) else None
            if p.index is not None and node is not None:
                problems.add(f"{prefix}postal.{p.at}", p.message, at=node, key=p.index)
            elif node is not None:
                problems.add(f"{prefix}postal.{p.at}", p.message, at=postal, key=p.at)
            else:  # the 宛名 found by the atena_ prefix: no postal section to point at
                problems.add(f"{prefix}postal", p.message, at=postal if postal is not None else raw)
        elif p.at == "page" and isinstance(pages, list) and p.index < len(pages):
            problems.add(f"{prefix}pages[{p.index}]", p.message, at=pages[p.index])
        else:
            problems.add(f"{prefix}pages", p.message, at=raw, key="pages")


def _compile_layout(ff: FormFile, folder: Path, raw: Mapping, schema: dict, validator, problems: Problems,
                    lib: BlockLibrary, styles: Styles, tenant_tables: dict, *, delivery: str, pages, raw_pages,
                    paper, postal, slots: list[str], defaults: dict | None, key_prefix: str | None = None) -> FormSpec:
    fc = FormCompiler(ff.id, schema, problems, lib, styles, slots, tenant_tables)
    if not pages:
        problems.add("pages", "a layout needs at least one page", at=raw)
    ids = [p.id for p in pages]
    if len(set(ids)) != len(ids):
        problems.add("pages", f"duplicate page ids: {ids}", at=raw_pages)
    compiled: list[CompiledPage] = []
    for pi, p in enumerate(pages):
        praw = raw_pages[pi] if isinstance(raw_pages, list) and pi < len(raw_pages) else raw
        compiled.append(_compile_page(ff, p, praw, fc, paper, styles, defaults, key_prefix or ff.id))
    fs = FormSpec(ff.id, ff.title, ff, folder, schema, validator, compiled, {}, delivery=delivery,
                  tenant_slots_=slots, tenant_tables=tenant_tables, postal=postal)
    return fs


def _compile_page(ff: FormFile, p: PageTemplate, praw: Any, fc: FormCompiler, paper, styles: Styles,
                  form_defaults: dict | None, key_prefix: str) -> CompiledPage:
    from ..layout.flow import compile_flow

    size = (p.paper or paper).size_mm
    w = f"page {p.id!r}"
    defaults = {**(form_defaults or {}), **(p.defaults or {})} if (form_defaults or p.defaults) else None
    scope = fc.payload_scope()
    when = fc.expression(p.when, f"{w} when", scope, praw, "when") if p.when else None
    over = None
    slot_scope = scope
    if p.repeat:
        rraw = praw.get("repeat", praw) if isinstance(praw, dict) else praw
        over = fc.expression(p.repeat.over, f"{w} repeat.over", scope, rraw, "over")
        fc.must_be_list(p.repeat.over, scope, f"{w} repeat.over", rraw, "over")
        item = fc.types.items(fc.type_of(p.repeat.over, scope))
        slot_scope = scope.child(**{p.repeat.as_: {**item, "x-local": True} if item is not ANY else
                                    {"x-any": True, "x-local": True}, "slot": SLOT_VARS})
    static_scope = fc.static_scope()

    def elements(section: str, scope: Scope, *, static: bool) -> list:
        lst = getattr(p, section)
        rl = praw.get(section) if isinstance(praw, dict) else None
        out = []
        for i, e in enumerate(lst):
            eraw = rl[i] if isinstance(rl, list) and i < len(rl) else e
            el = fc.element(eraw, f"{w} {section}[{i}]", scope, static=static, styles=styles, defaults=defaults)
            if el is not None:
                out.append(el)
        return out

    cp = CompiledPage(
        spec=p, size=size, key=f"{key_prefix}.{p.id}", when=when, over=over,
        static=elements("static", static_scope, static=True),
        slot_static=elements("slot_static", static_scope, static=True),
        fields=elements("fields", scope, static=False),
        slot=elements("slot", slot_scope, static=False),
    )
    if p.flow is not None:
        fraw = praw.get("flow") if isinstance(praw, dict) else None
        cp.flow = compile_flow(p.flow, fraw, fc, scope, styles, defaults, f"{w} flow", size, key=f"{key_prefix}.{p.id}")
    if p.repeat and p.repeat.closing_mark and p.repeat.closing_mark.box is None:
        fc.problems.add(f"{w} repeat.closing_mark", "a repeat's closing mark needs a box (within the slot)",
                        at=praw.get("repeat") if isinstance(praw, dict) else praw)
    _check_geometry(cp, praw, fc.problems, w)
    return cp


def _check_geometry(cp: CompiledPage, praw: Any, problems: Problems, w: str) -> None:
    pw, ph = cp.size
    rep = cp.spec.repeat
    groups = [("static", cp.static, [(0.0, 0.0)]), ("fields", cp.fields, [(0.0, 0.0)])]
    if rep is not None:
        n = rep.per_page
        if rep.stop is not None:
            n = min(n, max(1, rep.stop - rep.start))
        offs = [rep.offset(k) for k in range(n)]
        groups += [("slot_static", cp.slot_static, offs), ("slot", cp.slot, offs)]
    boxes: list[tuple[str, tuple, Any]] = []
    for section, els, offs in groups:
        for el in els:
            for k, (dx, dy) in enumerate(offs):
                for ident, kind, r, leaf in element_rects(el, dx, dy):
                    if not _inside(r, pw, ph):
                        where = el.where.split(": ", 1)[-1]
                        slot = f" in slot {k + 1} (pitch {list(rep.pitch)})" if rep is not None and section.startswith("slot") else ""
                        src = el.extra.get("source", (None, None))  # where the author placed it
                        inner = f" (in block {el.extra['block']!r})" if leaf is not el and el.extra.get("block") else ""
                        problems.add(where, f"{ident}{inner}: box [{', '.join(f'{v:g}' for v in r)}]{slot} is not "
                                     f"inside the {pw:g} × {ph:g} mm page", file=src[0], line=src[1])
                    if k == 0 and kind in ("text", "textblock", "image", "gs1_128", "customer_barcode", "qr",
                                           "postcode_boxes", "seal") and section in ("fields", "slot"):
                        boxes.append((section, r, leaf, el))
    # overlapping value boxes: reported by `lgforms check` (a warning: some overlaps are meant)
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            (sa, a, ea, ta), (sb, b, eb, tb) = boxes[i], boxes[j]
            if sa != sb or ea.spec.kind == "seal" or eb.spec.kind == "seal":
                continue
            ox = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
            oy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
            if ox > 0.5 and oy > 0.5 and not _exclusive(ea, eb) and not _exclusive(ta, tb):
                src = ea.extra.get("source", (None, None))
                problems.warn(w, f"{ea.spec.id or ea.spec.kind} and {eb.spec.id or eb.spec.kind} overlap by "
                              f"{ox:.1f} × {oy:.1f} mm", file=src[0], line=src[1])


def _exclusive(a: Any, b: Any) -> bool:
    """Two elements that never print on the same page (different ``pages`` or opposite ``when``)."""
    pa, pb = a.spec.pages, b.spec.pages
    if {pa, pb} in ({"last", "not_last"}, {"first", "not_first"}):
        return True
    wa, wb = a.spec.when, b.spec.when
    if wa and wb:
        na, nb = wa.replace(" ", ""), wb.replace(" ", "")
        if na == f"not{nb}" or nb == f"not{na}" or na.replace(">", "<=") == nb or nb.replace(">", "<=") == na \
                or na.replace("!=", "==") == nb or nb.replace("!=", "==") == na:
            return True
        if "<=" in na and ">" in nb or ">" in na and "<=" in nb:
            return True
    return False


def _compile_rules(ff: FormFile, raw: Mapping, form: FormSpec, problems: Problems, lib, styles, tables,
                   rules: list[Rule] | None = None, where: str = "rules") -> list[CompiledRule]:
    fc = FormCompiler(ff.id, form.schema, problems, lib, styles, form.tenant_slots, tables)
    scope = fc.payload_scope()
    scope = Scope(scope.types, {k: v for k, v in scope.names.items() if k not in ("page", "issue")})
    out = []
    rl = raw.get("rules")
    for i, r in enumerate(ff.rules if rules is None else rules):
        at = rl[i] if isinstance(rl, list) and i < len(rl) else raw
        w = f"{where}[{i}] ({r.id})"
        if r.each:
            each = fc.expression(r.each, w, scope, at, "each")
            fc.must_be_list(r.each, scope, w, at, "each")
            item = fc.types.items(fc.type_of(r.each, scope))
            check = fc.expression(r.check, w, scope.child(**{r.as_: item}), at, "check")
        else:
            each = None
            check = fc.expression(r.check, w, scope, at, "check")
        out.append(CompiledRule(r, check, each))
    return out


__all__ = ["CompiledPage", "FormSpec", "load_form", "LgformsError", "Variant", "ClosingMark"]
