"""Flow: a region of a page in which sections stack top to bottom (Typst's flow, SVF's 可変 area).

```yaml
flow:
  box: [15, 62, 180, 200]        # first page of the template
  next_box: [15, 25, 180, 240]   # continuation pages (default: box)
  gap: 3                         # mm between sections
  closing_mark: {text: 以下余白, box: [0, 0, 180, 6]}
  sections:
    - {kind: text, box: [0, 0, 180, 6], value: "…", style: heading, keep_with_next: true}
    - {kind: table, box: [0, 0, 180, 0], rows: shotoku, …}          # grows, splits across pages
    - {kind: block, use: kyoji, with: {…}}                            # the block's size
    - {kind: textblock, box: [0, 0, 180, 10], value: "{{ note }}", grow: true, when: note}
    - kind: each                                                      # nested records
      over: persons
      as: person
      sections: [ … ]
```

A section whose ``when`` is false takes no space. Positions inside a section are relative to
its top-left corner (the region's left edge, the current height). Tables split row by row with
the header repeated; other sections are kept whole (``keep_together``) and move to the next page
when they do not fit; ``keep_with_next`` keeps a heading with what follows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import PayloadInvalid, TextOverflow
from ..spec.models import Flow
from ..spec.paths import ANY, Scope
from ..elements.base import lay
from .boxes import FormRef
from .text import fit_text, text_height

FLOW_KEYS = ("keep_with_next", "gap", "grow", "height")


@dataclass(slots=True)
class Section:
    el: Any = None  # Compiled element (None for each)
    keep_with_next: bool = False
    gap: float | None = None
    height: float = 0.0  # fixed height (not tables, not growing text)
    grow: bool = False
    # each
    over: Any = None
    as_: str = ""
    sections: list["Section"] = field(default_factory=list)
    when: Any = None  # each's when
    keep_together: bool = False  # each: a record's sections on one page when they fit on one


@dataclass(slots=True)
class CompiledFlow:
    spec: Flow
    sections: list[Section]


def compile_flow(spec: Flow, raw: Any, fc, scope: Scope, styles, defaults, where: str, page_size,
                 key: str = "flow") -> CompiledFlow:
    from ..spec.loader import _inside

    for name, box in (("box", spec.box), ("next_box", spec.next_box)):
        if box is not None and not _inside(tuple(box), *page_size):
            fc.problems.add(where, f"{name} [{', '.join(f'{v:g}' for v in box)}] is not inside the "
                            f"{page_size[0]:g} × {page_size[1]:g} mm page", at=raw, key=name)
    if spec.next_box is not None and abs(spec.next_box[2] - spec.box[2]) > 0.01:
        fc.problems.add(where, "next_box must be as wide as box (sections are laid out once for a width)",
                        at=raw, key="next_box")
    sraw = raw.get("sections") if isinstance(raw, dict) else None
    width = spec.box[2]
    height = min(spec.box[3], (spec.next_box or spec.box)[3])
    sections = _compile_sections(spec.sections, sraw, fc, scope, styles, defaults, f"{where} sections", width, height)
    n = 0

    def name(secs: list[Section]) -> None:
        nonlocal n
        for sec in secs:
            if sec.el is not None:
                sec.el.extra["xobject"] = f"lg.{key}.f{n}"  # its static part, shared by every record
                n += 1
            name(sec.sections)

    name(sections)
    return CompiledFlow(spec, sections)


def _compile_sections(lst: list, rl: Any, fc, scope: Scope, styles, defaults, where: str, width: float,
                      height: float) -> list[Section]:
    out: list[Section] = []
    for i, item in enumerate(lst):
        raw = rl[i] if isinstance(rl, list) and i < len(rl) else item
        w = f"{where}[{i}]"
        if not isinstance(raw, dict):  # a scalar has no line of its own: the list's line of it
            fc.problems.add(w, "a section is a mapping with a 'kind'", at=rl, key=i)
            continue
        if raw.get("kind") == "each":
            bad = set(raw) - {"kind", "over", "as", "sections", "when", "keep_together", "gap", "id"}
            if bad:
                fc.problems.add(w, f"each: unknown key(s) {', '.join(sorted(bad))} (keys: over, as, sections, when, "
                                f"gap, keep_together)", at=raw)
            if "over" not in raw or "sections" not in raw:
                fc.problems.add(w, "each needs 'over' (a list) and 'sections'", at=raw)
                continue
            alias = raw.get("as", "item")
            over = fc.expression(raw["over"], f"{w} over", scope, raw, "over")
            fc.must_be_list(raw["over"], scope, f"{w} over", raw, "over")
            item = fc.types.items(fc.type_of(raw["over"], scope))
            inner = scope.child(**{alias: {**item, "x-local": True} if item is not ANY else {"x-any": True}})
            when = fc.expression(raw["when"], f"{w} when", scope, raw, "when") if raw.get("when") else None
            subs = _compile_sections(raw["sections"] or [], raw.get("sections"), fc, inner, styles, defaults,
                                     f"{w} sections", width, height)
            out.append(Section(over=over, as_=alias, sections=subs, when=when,
                               keep_together=bool(raw.get("keep_together")), gap=raw.get("gap")))
            continue
        own = ("grow",) if raw.get("kind") == "table" else ()  # a table's grow is its rows' (growing rows)
        flow_keys = {k: raw[k] for k in FLOW_KEYS if k in raw and k not in own}
        eraw = type(raw)({k: v for k, v in raw.items() if k not in FLOW_KEYS or k in own})
        for attr in ("file", "line", "key_lines"):
            if hasattr(raw, attr):
                setattr(eraw, attr, getattr(raw, attr))
        if flow_keys.get("grow") and isinstance(eraw, dict):
            eraw = dict(eraw) if not hasattr(eraw, "line") else eraw
            try:
                eraw.grows = True  # its box height is a minimum: a literal is not checked against it
            except AttributeError:
                pass
        el = fc.element(eraw, w, scope, static=False, styles=styles, defaults=defaults)
        if el is None:
            continue
        sec = Section(el=el, keep_with_next=bool(flow_keys.get("keep_with_next")), gap=flow_keys.get("gap"),
                      grow=bool(flow_keys.get("grow")))
        kind = el.spec.kind
        if sec.grow and kind not in ("text", "textblock"):
            fc.problems.add(w, "grow: only text and textblock sections grow with their text", at=raw, key="grow")
        if kind == "table":
            el.extra["in_flow"] = True
            if el.spec.paginate is False and "paginate" in raw:
                pass
        elif "height" in flow_keys:
            sec.height = float(flow_keys["height"])
        else:
            sec.height = _height_of(el)
            if sec.height <= 0 and kind not in ("table",):
                fc.problems.add(w, f"a {kind} section needs a height (give 'height', or a box)", at=raw)
        if kind != "table" and sec.height > height + 0.01:
            fc.problems.add(w, f"the section is {sec.height:g} mm high; the flow region is {height:g} mm", at=raw)
        from ..spec.loader import element_rects

        for ident, k, r, leaf in element_rects(el):
            if r[0] < -0.01 or r[0] + r[2] > width + 0.01:
                src = leaf.extra.get("source", (None, None))
                fc.problems.add(w, f"{ident}: box [{', '.join(f'{v:g}' for v in r)}] is wider than the flow "
                                f"({width:g} mm; section positions are relative to the flow's left edge)",
                                file=src[0], line=src[1])
        out.append(sec)
    return out


def _height_of(el) -> float:
    from ..spec.loader import element_rects

    s = el.spec
    if s.kind == "group" and s.height is not None:
        return float(s.height)
    if s.kind == "block":
        if s.height is not None:
            return float(s.height)
        size = el.extra.get("size")
        if size:
            return float(s.at[1] + size[1])
    bottom = 0.0
    for _, _, r, _ in element_rects(el):
        bottom = max(bottom, r[1] + r[3])
    return bottom


# ---------------------------------------------------------------------------------------------
# layout


@dataclass(slots=True)
class Placed:
    """One bound section, ready to place: its element, value, ctx and loop aliases."""

    sec: Section
    value: Any
    ctx: dict
    aliases: dict
    height: float
    group: int = 0  # the sections of one kept-together record share a group number (0: none)
    group_start: bool = False


_GROUPS = [0]


def _expand(sections: list[Section], ctx: dict, lc) -> list[Placed]:
    out: list[Placed] = []
    for sec in sections:
        if sec.el is None:  # each
            if sec.when is not None and not sec.when.evaluate(ctx):
                continue
            records = sec.over.evaluate(ctx)
            if records is None:
                records = []
            if not isinstance(records, (list, tuple)):
                raise PayloadInvalid(f"{lc.form_id}: each over {sec.over.source!r} is not a list",
                                     path=lc.path(sec.over.source_var), form_id=lc.form_id)
            # the records' JSON paths: only at a known place in the payload (bind.expressions.list_origin)
            origin = sec.over.origin
            base = lc.parts(sec.over.source_var) if origin is not None else None
            had, saved = sec.as_ in lc.aliases, lc.aliases.get(sec.as_)
            for i, rec in enumerate(records):
                c2 = dict(ctx)
                c2[sec.as_] = rec
                lc.aliases[sec.as_] = origin.parts(base, i) if origin is not None else None
                inner = _expand(sec.sections, c2, lc)
                if inner and sec.keep_together:
                    _GROUPS[0] += 1
                    for p in inner:
                        if not p.group:
                            p.group = _GROUPS[0]
                    inner[0].group_start = True
                out += inner
            if had:
                lc.aliases[sec.as_] = saved
            else:
                lc.aliases.pop(sec.as_, None)
            continue
        el = sec.el
        if el.when is not None and not el.when.evaluate(ctx):
            continue
        value = el.kind.bind(el, ctx)
        h = sec.height
        dyn = getattr(el.kind, "height_of", None)
        if dyn is not None:
            dh = dyn(el, value)
            h = dh if dh is not None else h
        if sec.grow:
            spec = el.spec
            text = value if not isinstance(value, (list, tuple)) else "\n".join(map(str, value))
            th = text_height(text or "", spec.box[2], spec, lc.stacks[spec.font],
                             path=lc.path(el.t["value"].source_var) if "value" in el.t else None,
                             problems=lc.problems, allow_ivs_fallback=lc.allow_ivs_fallback)
            h = max(h, spec.box[1] + th)
        out.append(Placed(sec, value, ctx, dict(lc.aliases), h))
    return out


def _static_part(el, lc, ctx: dict, cache: dict | None):
    """The section's labels, rules and fills (``static_layout``) as a Form XObject laid out at
    the section's origin: drawn once per document, placed by every record at its own height."""
    from .boxes import StaticPart
    from .text import MojiProblems

    key = (el.extra["xobject"], lc.tenant.key if lc.tenant is not None else "")
    hit = cache.get(key) if cache is not None else None
    if hit is not None:
        return hit
    saved = lc.problems
    lc.problems = MojiProblems()
    dx, dy = lc.dx, lc.dy
    lc.dx = lc.dy = 0.0
    try:
        items = el.kind.static_layout(el, lc, ctx)
        lc.problems.raise_if_any()
    finally:
        lc.problems = saved
        lc.dx, lc.dy = dx, dy
    part = StaticPart(el.extra["xobject"], items)
    if cache is not None:
        cache[key] = part
    return part


def layout_flow(cf: CompiledFlow, ctx: dict, lc, cache: dict | None = None,
                statics: dict | None = None) -> list[list]:
    """The flow's items per page (at least one page). Static parts of sections (not of tables,
    whose frames follow their rows) go to ``statics`` as Form XObjects, cached in ``cache``."""
    spec = cf.spec
    placed = _expand(cf.sections, ctx, lc)
    regions = [tuple(spec.box), tuple(spec.next_box or spec.box)]
    pages: list[list] = [[]]
    x0, y, _, _ = regions[0]
    bottom = regions[0][1] + regions[0][3]
    at_top = True

    def new_page() -> None:
        nonlocal y, bottom, at_top
        pages.append([])
        r = regions[1]
        y, bottom, at_top = r[1], r[1] + r[3], True

    saved_aliases = dict(lc.aliases)
    try:
        for k, p in enumerate(placed):
            el = p.sec.el
            gap = spec.gap if p.sec.gap is None else p.sec.gap
            if p.group_start and not at_top:
                members = [q for q in placed[k:] if q.group == p.group]
                need_g = sum(_full_height(q) for q in members) + spec.gap * (len(members) - 1) + gap
                if y + need_g > bottom + 1e-6 and need_g - gap <= regions[1][3] + 1e-6:
                    new_page()
            lc.aliases.clear()
            lc.aliases.update(p.aliases)
            if el.spec.kind == "table":
                y = _place_table(p, el, lc, pages, y, bottom, at_top, gap, regions, new_page, x0)
                y, bottom, at_top = y[0], y[1], False
                continue
            h = p.height
            need = h + (0 if at_top else gap)
            # keep_with_next: this section and the first piece of the next one together
            if p.sec.keep_with_next and k + 1 < len(placed):
                nxt = placed[k + 1]
                nh = nxt.height if nxt.sec.el.spec.kind != "table" else _table_first_piece(nxt, lc)
                fresh = regions[1][3]
                if y + need + gap + nh > bottom + 1e-6 and (not at_top or fresh > bottom - y + 1e-6):
                    new_page()
                    need = h
            if y + need > bottom + 1e-6:
                if at_top:
                    raise TextOverflow(f"{el.where}: the section is {h:.1f} mm high; the flow region holds "
                                       f"{bottom - y:.1f} mm", path=None)
                new_page()
                need = h
            y += need - h
            lc.dx, lc.dy = x0, y
            try:
                items: list = []
                if hasattr(el.kind, "static_layout"):
                    if statics is not None and el.when is None:
                        part = _static_part(el, lc, p.ctx, cache)
                        if part.items:
                            statics[part.name] = part
                            items.append(FormRef(part.name, x0, y))
                    else:
                        items += el.kind.static_layout(el, lc, p.ctx)
                if p.sec.grow:
                    el_box = el.spec.box
                    grown = el.spec.model_copy(update={"box": (el_box[0], el_box[1], el_box[2],
                                                               p.height - el_box[1])})
                    rec = lc.trace.enter(el, lc) if lc.trace is not None else None
                    part = _layout_grown(el, grown, p.value, lc)
                    if rec is not None:
                        lc.trace.leave(rec, part, lc.box(grown.box))
                    items += part
                else:
                    items += lay(el, p.value, lc)
            finally:
                lc.dx = lc.dy = 0.0
            pages[-1] += items
            y += h
            at_top = False
        cm = spec.closing_mark
        if cm is not None and placed:
            box = cm.box or (0.0, 0.0, regions[0][2], 6.0)
            if y + spec.gap + box[1] + box[3] <= bottom + 1e-6:
                pages[-1] += fit_text(cm.text, (x0 + box[0], y + spec.gap + box[1], box[2], box[3]), cm,
                                      lc.stacks[cm.font], path=None, problems=lc.problems)
        if lc.trace is not None:
            lc.trace.flow_pages(cf, len(pages))
    finally:
        lc.aliases.clear()
        lc.aliases.update(saved_aliases)
        lc.dx = lc.dy = 0.0
    return pages


def _layout_grown(el, spec, value, lc):
    from ..layout.text import fit_text as fit

    t = el.t.get("value")
    path = lc.path(t.source_var) if t is not None else None
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value)
    mark = lc.problems.mark()
    lines = fit(value, lc.box(spec.box), spec, lc.stacks[spec.font], path=path, problems=lc.problems,
                allow_ivs_fallback=lc.allow_ivs_fallback)
    lc.name_values(t, mark)
    return lines


def _full_height(p: Placed) -> float:
    """A section's whole height (a table: header, every row and its footers)."""
    el = p.sec.el
    if el.spec.kind != "table":
        return p.height
    spec = el.spec
    hh = spec.header.height if spec.header else 0.0
    return hh + sum(r.height for r in p.value.rows) + el.extra["page_footer_h"] + el.extra["table_footer_h"]


def _table_first_piece(p: Placed, lc) -> float:
    el = p.sec.el
    spec = el.spec
    hh = spec.header.height if spec.header else 0.0
    rows = p.value.rows
    return hh + (rows[0].height if rows else spec.row_height)


def _place_table(p: Placed, el, lc, pages: list[list], y: float, bottom: float, at_top: bool, gap: float,
                 regions, new_page, x0: float) -> tuple[float, float]:
    spec = el.spec
    kind = el.kind
    hh = spec.header.height if spec.header else 0.0
    pf = el.extra["page_footer_h"]
    extra_last = (spec.row_height if spec.closing_mark is not None else 0.0)
    top = y if at_top else y + gap
    first_body = bottom - top - hh - pf
    next_body = regions[1][3] - hh - pf - 4.5  # room for 「次葉へ続く」
    bt = p.value
    chunks = kind.chunks(el, bt, max(first_body - 4.5, 0.0), next_body)
    n = len(chunks)
    for ci, (s, e) in enumerate(chunks):
        last = ci == n - 1
        if ci > 0:
            new_page()
            r = regions[1]
            top, bottom = r[1], r[1] + r[3]
        if s == e and not (last and (e == len(bt.rows))):
            continue  # nothing fits here: the table starts on the next page
        lc.dx, lc.dy = 0.0, 0.0
        rec = lc.trace.enter(el, lc) if lc.trace is not None else None
        items, used = kind.draw_chunk(el, bt, s, e, x0 + spec.box[0], top + spec.box[1], lc, frame=True, last=last)
        if rec is not None:
            lc.trace.leave(rec, items, (x0 + spec.box[0], top + spec.box[1], spec.box[2], used))
        pages[-1] += items
        yend = top + spec.box[1] + used
        if not last and spec.continued_next:
            from ..spec.models import TextStyle

            small = TextStyle(size=8, font=spec.font, align="right", fit="shrink", min_size=6)
            pages[-1] += fit_text(spec.continued_next, (x0 + spec.box[0], yend + 0.5, spec.box[2], 3.5), small,
                                  lc.stacks[small.font], path=None, problems=lc.problems)
        cm = spec.closing_mark
        if last and cm is not None and yend + extra_last <= bottom + 1e-6:
            first = el.extra["leaves"][0]
            bx = (x0 + spec.box[0] + (cm.box[0] if cm.box else 0), yend + (cm.box[1] if cm.box else 0),
                  cm.box[2] if cm.box else first.w, cm.box[3] if cm.box else spec.row_height)
            pages[-1] += fit_text(cm.text, bx, cm, lc.stacks[cm.font], path=None, problems=lc.problems)
            yend += extra_last
        y = yend
    return y, bottom
