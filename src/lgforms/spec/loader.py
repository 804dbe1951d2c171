"""The load stage: ``forms/<area>/<form_id>/`` -> an immutable, compiled ``FormSpec``.

Everything that can be wrong with a form is found here, once, not at render time: unknown element
kinds, bad geometry, template syntax, unknown filters, variables the payload schema does not
define, tenant values the form did not declare, payload-dependent values in the static part.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import nodes
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import ValidationError

from ..bind.expressions import Expression, Template, compiler
from ..bind.formats import format_checker
from ..elements import KINDS, Compiled
from ..errors import FormSpecInvalid
from ..moji.fonts import ROLE_FILES
from .models import ClosingMark, FormFile, PageTemplate

BUILTIN_NAMES = frozenset({"tenant", "form", "page", "issue"})
STATIC_NAMES = frozenset({"tenant", "form"})


@dataclass(slots=True)
class CompiledPage:
    spec: PageTemplate
    size: tuple[float, float]
    key: str  # Form XObject name for the static part
    when: Expression | None
    over: Expression | None
    static: list[Compiled]
    slot_static: list[Compiled]
    fields: list[Compiled]
    slot: list[Compiled]


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

    @property
    def tenant_slots(self) -> list[str]:
        return self.meta.tenant_slots

    def sample(self, name: str | None = None) -> dict:
        if not self.samples:
            raise FormSpecInvalid(f"{self.id}: has no samples")
        p = self.samples[name] if name else next(iter(self.samples.values()))
        return json.loads(p.read_text(encoding="utf-8"))

    def summary(self) -> dict[str, Any]:
        m = self.meta
        return {"id": m.id, "title": m.title, "area": m.area, "kind": m.kind, "delivery": m.delivery,
                "version": m.version, "paper": m.paper.size, "pages": [p.spec.id for p in self.pages],
                "tenant_slots": m.tenant_slots, "samples": list(self.samples)}


def _fmt_validation(e: ValidationError, prefix: str) -> str:
    err = e.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    return f"{prefix}{' ' + loc if loc else ''}: {err['msg']}"


# what a renderer may pass as ``issue`` (service-assigned 発行番号, proxy issuer for 罹災証明書)
ISSUE_FIELDS = frozenset({"number", "proxy_name"})


def _attrs_of(src: str, var: str) -> set[str]:
    """X of every ``var.X`` a template/expression uses."""
    env = compiler().env
    try:
        ast = env.parse(src if "{{" in src or "{%" in src else "{{ " + src + " }}")
    except Exception:  # noqa: BLE001 - syntax errors are reported by the compiler
        return set()
    out = set()
    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == var:
            out.add(node.attr)
    return out


class _Compiler:
    def __init__(self, form_id: str, allowed: frozenset[str], tenant_slots: list[str]):
        self.form_id = form_id
        self.allowed = allowed
        self.slot_heads = {s.partition(".")[0] for s in tenant_slots}

    def template(self, src: str, where: str) -> Template:
        self._tenant_check(src, where)
        return compiler().template(src, where=where)

    def expression(self, src: str, where: str) -> Expression:
        self._tenant_check(src, where)
        return compiler().expression(src, where=where)

    def _tenant_check(self, src: str, where: str) -> None:
        extra = _attrs_of(src, "tenant") - self.slot_heads
        if extra:
            raise FormSpecInvalid(f"{where}: uses tenant.{sorted(extra)[0]} which the form does not list "
                                  f"in tenant_slots (the customization guard allows only declared slots)")
        unknown = _attrs_of(src, "issue") - ISSUE_FIELDS
        if unknown:
            raise FormSpecInvalid(f"{where}: issue.{sorted(unknown)[0]} is not an issue value "
                                  f"(known: {', '.join(sorted(ISSUE_FIELDS))})")

    def element(self, raw: Any, where: str, *, extra_names: frozenset[str], static: bool) -> Compiled:
        if not isinstance(raw, dict) or "kind" not in raw:
            raise FormSpecInvalid(f"{where}: an element must be a mapping with a 'kind'")
        kind = KINDS.get(raw["kind"])
        if kind is None:
            raise FormSpecInvalid(f"{where}: unknown element kind {raw['kind']!r} (known: {', '.join(sorted(KINDS))})")
        if raw.get("id"):
            where = f"{where} ({raw['id']})"
        try:
            spec = kind.Spec.model_validate(raw)
        except ValidationError as e:
            raise FormSpecInvalid(_fmt_validation(e, where)) from None
        font = getattr(spec, "font", None)
        if font is not None and font not in ROLE_FILES:
            raise FormSpecInvalid(f"{where}: unknown font {font!r} (known: {', '.join(ROLE_FILES)})")
        kind.check(spec, where)
        el = Compiled(spec, kind, f"{self.form_id}: {where}")
        for attr in kind.templates:
            v = getattr(spec, attr, None)
            if v is not None:
                el.t[attr] = self.template(v, where)
        for attr in kind.expressions:
            v = getattr(spec, attr, None)
            if v is not None:
                el.t[attr] = self.expression(v, where)
        if spec.when:
            el.when = self.expression(spec.when, where)
        kind.compile_extra(spec, el, lambda s, w: self.template(s, w), lambda s, w: self.expression(s, w))
        local = frozenset(getattr(spec, "as_", None) and {spec.as_} or ())
        used = el.variables - local
        allowed = (STATIC_NAMES if static else self.allowed | extra_names)
        unknown = used - allowed
        if unknown:
            what = ("static elements may only use tenant.* and form.* (they are drawn once per document)"
                    if static else "not a payload field of the form's schema")
            raise FormSpecInvalid(f"{where}: {', '.join(sorted(unknown))}: {what}")
        if static and spec.pages != "every":
            raise FormSpecInvalid(f"{where}: a static element is on every page; use fields for pages: {spec.pages}")
        el.extra["page_invariant"] = not (used & ({"page"} | extra_names))
        return el


def load_form(folder: Path) -> FormSpec:
    folder = Path(folder)
    yml = folder / "form.yaml"
    try:
        raw = yaml.safe_load(yml.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise FormSpecInvalid(f"{folder.name}: cannot read form.yaml: {e}") from None
    try:
        ff = FormFile.model_validate(raw)
    except ValidationError as e:
        raise FormSpecInvalid(_fmt_validation(e, f"{folder.name}/form.yaml")) from None
    if ff.id != folder.name:
        raise FormSpecInvalid(f"{folder.name}/form.yaml: id {ff.id!r} must equal the folder name")
    try:
        schema = json.loads((folder / ff.schema_).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        raise FormSpecInvalid(f"{ff.id}: cannot read {ff.schema_}: {e}") from None
    except SchemaError as e:
        raise FormSpecInvalid(f"{ff.id}: {ff.schema_} is not a valid JSON Schema: {e.message}") from None
    validator = Draft202012Validator(schema, format_checker=format_checker(schema, ff.id))
    fields = frozenset(schema.get("properties", {}))
    c = _Compiler(ff.id, fields | BUILTIN_NAMES, ff.tenant_slots)
    pages = []
    for p in ff.pages:
        size = (p.paper or ff.paper).size_mm
        alias = frozenset({p.repeat.as_}) if p.repeat else frozenset()
        w = f"page {p.id!r}"

        def elements(lst: list, section: str, *, extra: frozenset[str], static: bool) -> list[Compiled]:
            return [c.element(e, f"{w} {section}[{i}]", extra_names=extra, static=static)
                    for i, e in enumerate(lst)]

        pages.append(CompiledPage(
            spec=p, size=size, key=f"{ff.id}.{p.id}",
            when=c.expression(p.when, f"{w} when") if p.when else None,
            over=c.expression(p.repeat.over, f"{w} repeat.over") if p.repeat else None,
            static=elements(p.static, "static", extra=frozenset(), static=True),
            slot_static=elements(p.slot_static, "slot_static", extra=frozenset(), static=True),
            fields=elements(p.fields, "fields", extra=frozenset(), static=False),
            slot=elements(p.slot, "slot", extra=alias, static=False),
        ))
        if p.repeat and p.repeat.closing_mark:
            _check_closing(p.repeat.closing_mark, f"{ff.id}: {w} repeat.closing_mark")
    samples = {s.stem: s for s in sorted((folder / "samples").glob("*.json"))}
    from ..bind.payload import fast_validator

    return FormSpec(ff.id, ff.title, ff, folder, schema, validator, pages, samples, fast_validator(schema))


def _check_closing(cm: ClosingMark, where: str) -> None:
    if cm.box is None:
        raise FormSpecInvalid(f"{where}: a repeat's closing mark needs a box (within the slot)")
