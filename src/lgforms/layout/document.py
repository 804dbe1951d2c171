"""The generator loop: one payload -> laid-out pages (pdfme's generate(), WeasyPrint's layout).

For each page template of the form: decide how many pages it needs (records per sheet, tables
that continue), then for each page bind and lay out its elements. The static part of a page
(labels, rules, table frames, tenant name) is laid out once per form and tenant and drawn into a
Form XObject that every page reuses.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..elements import Compiled, LayoutContext
from ..elements.base import lay
from ..errors import LgformsError, PayloadInvalid
from ..layout.text import MojiProblems, fit_text
from ..moji.fonts import FontStack
from ..spec.loader import CompiledPage, FormSpec
from .boxes import FormRef, LaidOutPage, StaticPart
from .flow import layout_flow


def tenant_values(form: FormSpec, tenant) -> dict:
    """The ``tenant`` object a form's templates see: only its declared slots and tables, and
    every one of them present — a slot the profile lacks is an error, never a blank."""
    if tenant is None:
        return {}
    return tenant.form_values(form.id, form.tenant_slots, form.tenant_tables)


_PATH = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*$")


def _on(el: Compiled, first: bool, last: bool) -> bool:
    on = el.spec.pages
    return (on == "every" or (on == "last" and last) or (on == "first" and first)
            or (on == "not_last" and not last) or (on == "not_first" and not first))


def _static_in_xobject(el: Compiled) -> bool:
    return el.spec.pages == "every" and el.when is None


def _bind(el: Compiled, ctx: dict) -> Any:
    return el.kind.bind(el, ctx)


def _static_parts(form: FormSpec, cp: CompiledPage, lc: LayoutContext, ctx: dict) -> tuple[StaticPart, StaticPart | None]:
    """The page background and the slot background, cached per (page, tenant)."""
    key = (cp.key, lc.tenant.key if lc.tenant is not None else "")
    hit = form.static_cache.get(key)
    if hit is not None:
        return hit
    problems = lc.problems
    local = MojiProblems()
    lc.problems = local
    try:
        items: list = []
        for el in cp.static:
            items += lay(el, _bind(el, ctx), lc)
            if el.extra.get("static_children"):  # a block placed in a static list: all of it is background
                items += el.kind.static_layout(el, lc, ctx)
        for el in cp.fields:  # data-independent parts of field elements (table frames, block labels)
            if hasattr(el.kind, "static_layout") and _static_in_xobject(el):
                items += el.kind.static_layout(el, lc, ctx)
        slot_items: list = []
        for el in cp.slot_static:
            slot_items += lay(el, _bind(el, ctx), lc)
            if el.extra.get("static_children"):
                slot_items += el.kind.static_layout(el, lc, ctx)
        for el in cp.slot:
            if hasattr(el.kind, "static_layout") and _static_in_xobject(el):
                slot_items += el.kind.static_layout(el, lc, ctx)
    finally:
        lc.problems = problems
    local.raise_if_any()  # a label the fonts cannot draw is a form bug: report it, do not cache
    page_part = StaticPart(f"lg.{cp.key}", items)
    slot_part = StaticPart(f"lg.{cp.key}.slot", slot_items) if slot_items else None
    with form.lock:
        form.static_cache[key] = (page_part, slot_part)
    return page_part, slot_part


def layout_record(form: FormSpec, payload: dict, *, tenant, stacks: dict[str, FontStack],
                  problems: MojiProblems, issue: dict | None = None) -> list[LaidOutPage]:
    """Lay out one (already validated) payload. Character problems are collected in ``problems``;
    the caller raises them after the whole record so that one error lists them all."""
    lc = LayoutContext(stacks, problems, allow_ivs_fallback=bool(getattr(tenant, "allow_ivs_fallback", False)),
                       form_id=form.id, tenant=tenant)
    ctx: dict[str, Any] = dict(payload)
    ctx["tenant"] = tenant_values(form, tenant)
    ctx["form"] = {"id": form.id, "title": form.title}
    ctx["issue"] = issue or {}
    ctx["page"] = {}
    ctx["__layout__"] = lc

    # 1. how many pages each page template needs
    plans = []
    for cp in form.pages:
        if cp.when is not None and not cp.when.evaluate(ctx):
            continue
        records: list = []
        n = 1
        if cp.over is not None:
            records = cp.over.evaluate(ctx)
            if records is None:
                records = []
            if not isinstance(records, (list, tuple)):
                raise PayloadInvalid(f"{form.id}: page {cp.spec.id!r}: repeat.over {cp.over.source!r} is not a list",
                                     path=lc.path(cp.over.source_var), form_id=form.id)
            if cp.spec.repeat.start or cp.spec.repeat.stop is not None:
                records = records[cp.spec.repeat.start:cp.spec.repeat.stop]
            n = max(1, math.ceil(len(records) / cp.spec.repeat.per_page))
        flow_pages = None
        flow_statics: dict = {}
        if cp.flow is not None:
            lc.page_index, lc.page_first, lc.page_last = 0, True, False
            flow_pages = layout_flow(cp.flow, ctx, lc, form.static_cache, flow_statics)
            n = max(n, len(flow_pages))
        bound: dict[int, Any] = {}
        for el in cp.fields:
            if el.extra.get("page_invariant") and (el.when is None or el.when.evaluate(ctx)):
                v = _bind(el, ctx)
                bound[id(el)] = v
                pages_needed = getattr(el.kind, "pages_needed", None)
                if pages_needed is not None:
                    n = max(n, pages_needed(el, v))
        plans.append((cp, records, bound, n, flow_pages, list(flow_statics.values())))
    total = sum(p[3] for p in plans)

    # 2. lay out every page
    out: list[LaidOutPage] = []
    number = 0
    for cp, records, bound, n, flow_pages, flow_statics in plans:
        page_part, slot_part = _static_parts(form, cp, lc, ctx)
        statics = [page_part] + ([slot_part] if slot_part else []) + flow_statics
        rep = cp.spec.repeat
        for i in range(n):
            number += 1
            first, last = i == 0, i == n - 1
            ctx["page"] = {"number": number, "count": total, "index": i + 1, "run_count": n}
            lc.page_index, lc.page_first, lc.page_last = i, first, last
            items: list = [FormRef(page_part.name)] if page_part.items else []
            for el in cp.fields:
                if not _on(el, first, last):
                    continue
                if id(el) in bound:
                    v = bound[id(el)]
                else:
                    if el.when is not None and not el.when.evaluate(ctx):
                        continue
                    v = _bind(el, ctx)
                if not _static_in_xobject(el) and hasattr(el.kind, "static_layout"):
                    items += el.kind.static_layout(el, lc, ctx)
                items += lay(el, v, lc)
            if flow_pages is not None and i < len(flow_pages):
                items += flow_pages[i]
            if rep is not None:
                items += _layout_slots(cp, records, i, last, ctx, lc, slot_part)
            out.append(LaidOutPage(cp.size, statics, items, cp.spec.id, number))
    return out


def _layout_slots(cp: CompiledPage, records: list, i: int, last: bool, ctx: dict, lc: LayoutContext,
                  slot_part: StaticPart | None) -> list:
    rep = cp.spec.repeat
    per = rep.per_page
    alias = rep.as_
    # the records' JSON paths: only when the list is a payload path (not a computed list)
    base = lc.parts(cp.over.source_var) if cp.over.source_var and _PATH.match(cp.over.source.strip()) else None
    chunk = records[i * per:(i + 1) * per]
    items: list = []
    try:
        for k, rec in enumerate(chunk):
            lc.dx, lc.dy = rep.offset(k)
            ctx[alias] = rec
            ctx["slot"] = {"index": k + 1, "number": rep.start + i * per + k + 1, "count": len(records)}
            lc.aliases[alias] = base + [rep.start + i * per + k] if base is not None else None
            if slot_part is not None:
                items.append(FormRef(slot_part.name, lc.dx, lc.dy))
            for el in cp.slot:
                if not _on(el, i == 0, last):
                    continue
                if el.when is not None and not el.when.evaluate(ctx):
                    continue
                if not _static_in_xobject(el) and hasattr(el.kind, "static_layout"):
                    items += el.kind.static_layout(el, lc, ctx)
                items += lay(el, _bind(el, ctx), lc)
        if last and len(chunk) < per:
            k = len(chunk)
            if rep.closing_mark is not None:
                cm = rep.closing_mark
                ox, oy = rep.offset(k)
                bx = (ox + cm.box[0], oy + cm.box[1], cm.box[2], cm.box[3])
                items += fit_text(cm.text, bx, cm, lc.stacks[cm.font], path=None, problems=lc.problems)
            if slot_part is not None and rep.frame_empty_slots:
                items += [FormRef(slot_part.name, *rep.offset(j)) for j in range(k, per)]
    finally:
        lc.dx = lc.dy = 0.0
        lc.aliases.pop(alias, None)
        ctx.pop(alias, None)
        ctx.pop("slot", None)
    return items


def layout_errors_with_record(e: LgformsError, index: int) -> LgformsError:
    """Prefix a record's error path with its index in a multi-record document ($[12].persons[3].name)."""
    if e.path and e.path.startswith("$"):
        e.path = f"$[{index}]" + e.path[1:]
    else:
        e.path = f"$[{index}]"
    e.detail.setdefault("record", index)
    return e
