"""``table``: rows of a list in ruled columns.

- header titles wrap and shrink to fit (checked when the form loads); columns may be grouped
  under a title spanning them (two-tier headers: a column with ``columns:``); a title may come
  from data (``title: "{{ … }}"``);
- rows have a minimum ``row_height`` and with ``grow: true`` grow to fit their wrapped text;
- ``expand`` turns nested records into lines (戸籍: 身分事項 → their lines) in the form, not the
  payload;
- declared ``footers`` — page 小計, 合計, 件数 — are computed by the engine from the columns'
  ``sum`` expressions;
- ``row_styles`` fill or restyle a row by an expression; columns have ``fill`` / ``color``;
- rows continue on the next page (``paginate: true``; in a flow, always) with the header
  repeated, 「以下余白」 after the last row, continuation marks between pages.

With a fixed ``box`` and uniform rows the frame, rules and header do not depend on the payload:
they go into the page's static Form XObject, and per page only the cell texts are drawn.

```yaml
- kind: table
  box: [15, 120, 180, 50]
  rows: kibetsu
  as: row
  row_height: 7
  header: {height: 7}
  columns:
    - {id: ki, title: 期別, width: 30, value: "{{ row.kibetsu }}", align: center}
    - {title: 納期限, width: 60, value: "{{ row.nokigen | wareki }}", align: center}
    - {id: gaku, title: 納付額, value: "{{ row.amount | comma }}", align: right, sum: row.amount}
  footers:
    - {per: table, label: 合計, cells: {gaku: "{{ total.gaku | comma }}"}}
  closing_mark: {text: 以下余白}
```
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ConfigDict, Field

from ..errors import LgformsError, TemplateError, TextOverflow, json_path
from ..layout.boxes import LineBox, RectBox
from ..layout.positions import field_path
from ..layout.text import fit_text, text_height
from ..spec.models import Box, ClosingMark, Color, ElementSpec, Model, TextStyle
from ..spec.paths import INTEGER, NUMBER, obj
from .base import Compiled, ElementKind, LayoutContext, render, spec_error

Align = Literal["left", "center", "right", "justify", "distribute"]
CELL_STYLE_KEYS = ("align", "valign", "size", "min_size", "fit", "font", "line_height", "pad", "color", "moji")


class Column(Model):
    id: str | None = None
    title: str | None = None  # literal, or a template for a title from data
    width: float | None = None  # mm; one column may leave it out to take the remaining width
    value: str | None = None  # template (leaf columns)
    columns: list["Column"] | None = None  # a group: the title spans these
    style: str | list[str] | None = None
    align: Align | None = None
    valign: Literal["top", "middle", "bottom"] | None = None
    size: float | None = None
    min_size: float | None = None
    fit: Literal["error", "shrink", "wrap", "auto"] | None = None
    font: str | None = None
    line_height: float | None = None
    pad: float | None = None
    moji: Literal["ucs", "mj"] | None = None
    color: Color | None = None
    fill: Color | None = None  # background of the column's body cells
    sum: str | None = None  # expression per row (e.g. row.amount): totals for footers
    title_align: Align | None = None
    when: str | None = None  # expression (the table's scope, not a row's): the column exists only if true;
    #                          its width goes to the column without a width (else to the last one shown)


class Header(Model):
    height: float  # the whole header (all tiers)
    heights: list[float] | None = None  # per tier, top to bottom (default: equal)
    size: float = 9.0
    min_size: float | None = None
    font: str = "mincho"
    fill: Color | None = (0.92, 0.92, 0.92)
    align: Align = "center"
    line_height: float = 1.15


class Footer(Model):
    per: Literal["page", "table"] = "table"  # page: 小計 on every page; table: 合計 after the last row
    label: str | None = None  # template; spans from the first column to the first column with a cell
    when: str | None = None  # expression (the table's scope): the footer exists only if true
    cells: dict[str, str] = {}  # column id -> template (variables: total.<column id>, count)
    height: float | None = None  # default: row_height
    fill: Color | None = (0.96, 0.96, 0.96)
    font: str | None = None
    align: Align = "right"


class RowStyle(Model):
    when: str  # expression in the row's scope
    fill: Color | None = None
    font: str | None = None
    color: Color | None = None
    size: float | None = None


class Expand(Model):
    """Nested records as lines: each row of ``rows`` gives one line per item of ``over``."""

    over: str
    as_: str = Field("line", alias="as")
    keep_together: bool = True  # a record's lines are not split across pages if they fit on one

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TableSpec(ElementSpec, TextStyle):
    box: Box
    rows: str  # expression giving the list
    as_: str = Field("row", alias="as")
    expand: Expand | None = None
    columns: list[Column]
    row_height: float
    grow: bool = False
    header: Header | None = None
    footers: list[Footer] = []
    row_styles: list[RowStyle] = []
    grid: bool = True
    line_width: float = 0.2
    frame_width: float = 0.35
    fit: Literal["error", "shrink", "wrap", "auto"] = "shrink"
    pad: float = 1.0
    vpad: float = 0.6  # mm above and below wrapped text in a growing row
    closing_mark: ClosingMark | None = None
    paginate: bool = False
    continued_next: str | None = "（次葉へ続く）"
    continued_prev: str | None = "（前葉から続く）"
    style: Any = None  # resolved by the loader

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


@dataclass(slots=True)
class Leaf:
    x: float  # relative to the table's left edge
    w: float
    style: TextStyle
    tpl: Any
    ident: str | None
    fill: Color | None
    sum: Any


@dataclass(slots=True)
class HeaderCell:
    x: float
    w: float
    tier: int  # top tier of the cell
    tiers: int  # how many tiers it spans
    title: Any  # Template or str
    at: Any = None  # source node (file, line) for errors


def _cell_path(t, aliases: dict[str, list | None], row_scope: set[str], lc: LayoutContext | None) -> str | None:
    """The JSON path of the value a cell shows: the record's (``aliases``), none for the table's
    own names (``first``, a record of a computed list), else the outer value's; of a cell showing
    several values, the first that has one, carrying the others (``layout.positions.FieldPath``)."""
    parts = []
    for v in t.printed or ((t.source_var,) if t.source_var else ()):
        if v[0] in aliases:
            base = aliases[v[0]]
            parts.append(base + list(v[1:]) if base is not None else None)
        elif v[0] not in row_scope and lc is not None:
            parts.append(lc.parts(v))
    main = next((p for p in parts if p is not None), None)
    return field_path(json_path(main), parts) if main is not None else None


@dataclass(slots=True)
class BoundRow:
    parts: list | None  # JSON path parts of the row (None: not a record of the payload as sent)
    cells: list[str]
    sums: list[float]
    style: RowStyle | None
    height: float = 0.0
    group: int = 0  # rows of one expanded record share a group number
    paths: list = field(default_factory=list)  # per cell: JSON path string or None


@dataclass(slots=True)
class BoundTable:
    rows: list[BoundRow]
    titles: list[str] | None  # data titles, when any title is a template
    uniform: bool  # every row has row_height
    leaves: list | None = None  # with conditional columns: this record's geometry (hidden ones 0 wide)
    heads: list | None = None
    ctx: dict | None = None  # the record's values: footers see them besides total.* and count
    footers_on: set | None = None  # indices of footers whose `when` is true


def _has_when(node: dict) -> bool:
    return node["when"] is not None or any(_has_when(c) for c in node["children"])


def _geometry(el, ctx: dict) -> tuple[list, list]:
    """Leaves and header cells of this record: hidden columns get width 0, their width going to the
    sibling without a width (or the last one shown); positions follow."""
    from dataclasses import replace

    leaves = list(el.extra["leaves"])
    heads = list(el.extra["heads"])

    def shown(node: dict) -> bool:
        if node["when"] is not None and not node["when"].evaluate(ctx):
            return False
        return not node["children"] or any(shown(c) for c in node["children"])

    def place(nodes: list[dict], x0: float, width: float, hidden: bool = False) -> None:
        vis = [not hidden and shown(n) for n in nodes]  # a hidden group hides its columns
        widths = [n["width"] if v else 0.0 for n, v in zip(nodes, vis)]
        spare = sum(n["width"] for n, v in zip(nodes, vis) if not v)
        surplus = width - sum(n["width"] for n in nodes)  # a group given a hidden sibling's width
        if surplus > 1e-9:
            spare += surplus
        if spare and any(vis):
            flex = [i for i, (n, v) in enumerate(zip(nodes, vis)) if v and n["flex"]]
            target = flex[0] if flex else max(i for i, v in enumerate(vis) if v)
            widths[target] += spare
        cx = x0
        for n, wdt, v in zip(nodes, widths, vis):
            hc = heads[n["head"]]
            heads[n["head"]] = replace(hc, x=cx, w=wdt)
            if n["children"]:
                place(n["children"], cx, wdt, hidden=not v)
            else:
                lf = leaves[n["leaf"]]
                leaves[n["leaf"]] = replace(lf, x=cx - el.spec.box[0], w=wdt)
            cx += wdt

    place(el.extra["tree"], el.spec.box[0], el.spec.box[2])
    return leaves, heads


def _known_font(cc, font: str | None, where: str, at: Any) -> None:
    from ..moji.fonts import ROLE_FILES

    if font is not None and font not in ROLE_FILES:
        cc.problem(where, f"unknown font {font!r} (known: {', '.join(ROLE_FILES)})", at=at, key="font")


def _tiers(cols: list[Column]) -> int:
    return max((1 + _tiers(c.columns) if c.columns else 1) for c in cols) if cols else 0


class TableKind(ElementKind):
    name = "table"
    Spec = TableSpec
    expressions = ("rows",)

    def check(self, spec: TableSpec, where: str) -> None:
        x, y, w, h = spec.box
        self._check_widths(spec.columns, w, where, "the table")
        hh = spec.header.height if spec.header else 0
        if spec.header and spec.header.heights is not None:
            if len(spec.header.heights) != _tiers(spec.columns) or abs(sum(spec.header.heights) - hh) > 0.01:
                raise spec_error(where, f"header.heights must give {_tiers(spec.columns)} tier heights adding up "
                                        f"to header.height {hh}")
        fh = sum(f.height or spec.row_height for f in spec.footers)  # a fixed box holds every footer
        if spec.row_height <= 0:
            raise spec_error(where, "row_height must be positive")
        if h > 0 and (h - hh - fh) < spec.row_height - 1e-6:
            raise spec_error(where, f"the box ({h} mm high) must hold the header ({hh} mm), the page footers "
                                    f"({fh} mm) and at least one row ({spec.row_height} mm)")

    def _check_widths(self, cols: list[Column], w: float, where: str, what: str) -> None:
        fixed = [c.width for c in cols if c.width is not None]
        free = len(cols) - len(fixed)
        if free > 1:
            raise spec_error(where, f"at most one column of {what} may leave out its width")
        total = sum(fixed)
        if (free == 0 and abs(total - w) > 0.01) or (free == 1 and total >= w):
            raise spec_error(where, f"column widths of {what} add up to {total:g} mm but it is {w:g} mm wide", "columns")
        for c in cols:
            if c.columns:
                cw = c.width if c.width is not None else w - total
                self._check_widths(c.columns, cw, where, f"group {c.title!r}")
            elif c.value is None:
                raise spec_error(where, f"column {c.title or c.id!r} needs a value (or columns, for a group)")

    def rects(self, spec: TableSpec):
        return [tuple(spec.box)] if spec.box[3] > 0 else [(spec.box[0], spec.box[1], spec.box[2], 0.0)]

    # -- compile --------------------------------------------------------------------------------
    def compile_extra(self, spec: TableSpec, el: Compiled, cc) -> None:
        x, y, w, h = spec.box
        row_item = cc.items_of(spec.rows, key="rows")
        names = {spec.as_: row_item}
        if spec.expand is not None:
            line_item = cc.items_of(spec.expand.over, names, key="expand")
            el.extra["expand_over"] = cc.expression(spec.expand.over, f"{cc.where} expand.over", names, key="expand")
            names = {**names, spec.expand.as_: line_item, "first": {"type": "boolean"}}
        base = {k: getattr(spec, k) for k in TextStyle.model_fields}
        leaves: list[Leaf] = []
        heads: list[HeaderCell] = []
        tiers = _tiers(spec.columns)
        templates: list = []
        ids: set[str] = set()

        tree: list[dict] = []

        def walk(cols: list[Column], x0: float, width: float, tier: int, path: str, rawpath: tuple = (),
                 into: list | None = None) -> None:
            into = tree if into is None else into
            widths = [c.width for c in cols]
            if None in widths:
                i = widths.index(None)
                widths[i] = width - sum(v for v in widths if v is not None)
            widths = [w if w is not None else 0.0 for w in widths]  # a second missing width: check() said so
            cx = x0
            for i, (c, cw) in enumerate(zip(cols, widths)):
                where = f"{cc.where} column {path}{i + 1}" + (f" ({c.id})" if c.id else "")
                at = cc.raw(*rawpath, "columns", i)
                if c.id:
                    if c.id in ids:
                        cc.problem(where, f"duplicate column id {c.id!r}", at=at)
                    ids.add(c.id)
                title: Any = c.title
                if c.title is not None and ("{{" in c.title or "{%" in c.title):
                    title = cc.template(c.title, where + " title", key="title", at=at)
                    templates.append(title)
                span = tiers - tier if not c.columns else 1
                heads.append(HeaderCell(cx, cw, tier, span, title, at))
                node = {"head": len(heads) - 1, "width": cw, "flex": c.width is None, "children": [],
                        "when": cc.expression(c.when, where + " when", key="when", at=at) if c.when else None}
                if node["when"] is not None:
                    templates.append(node["when"])
                into.append(node)
                if c.columns:
                    walk(c.columns, cx, cw, tier + 1, f"{path}{i + 1}.", (*rawpath, "columns", i), node["children"])
                else:
                    node["leaf"] = len(leaves)
                    own = {k: getattr(c, k) for k in CELL_STYLE_KEYS if getattr(c, k) is not None}
                    named = cc.style(c.style, set(TextStyle.model_fields), where, at=at) if c.style else {}
                    try:
                        style = TextStyle(**{**base, **named, **own})
                    except ValueError as e:
                        cc.problem(where, str(e), at=at)
                        style = TextStyle(**base)
                    if style.font != spec.font:  # the table's own font: the loader checks it
                        _known_font(cc, style.font, where, at)
                    tpl = cc.template(c.value, where, names, key="value", at=at)
                    templates.append(tpl)
                    s = cc.expression(c.sum, where + " sum", names, key="sum", at=at) if c.sum else None
                    leaves.append(Leaf(cx - x, cw, style, tpl, c.id, c.fill, s))
                cx += cw

        walk(spec.columns, x, w, 0, "")
        # footers: their cells name columns by id and see total.<id> and count
        summed = {lf.ident: NUMBER for lf in leaves if lf.ident and lf.sum is not None}
        fnames = {"total": obj(**summed), "count": INTEGER}
        footers = []
        by_id = {lf.ident: k for k, lf in enumerate(leaves) if lf.ident}
        for fi, f in enumerate(spec.footers):
            where = f"{cc.where} footers[{fi}]"
            fat = cc.raw("footers", fi, "cells")
            cells = {}
            for cid, src in f.cells.items():
                if cid not in by_id:
                    cc.problem(where, f"cells: no column with id {cid!r} (ids: {', '.join(sorted(by_id)) or 'none'})",
                               at=fat, key=cid)
                    continue
                t = cc.template(src, where, fnames, key=cid, at=fat)
                templates.append(t)
                cells[by_id[cid]] = t
            first = min(cells) if cells else len(leaves)  # before the label/when entries (negative keys)
            fraw = cc.raw("footers", fi)
            if f.label is not None:
                cells[-1] = cc.template(f.label, where + " label", fnames, key="label", at=fraw)
                templates.append(cells[-1])
            if f.when:
                cells[-2] = cc.expression(f.when, where + " when", key="when", at=fraw)
                templates.append(cells[-2])
            footers.append((f, cells, first))
        styles = []
        for ri, rs in enumerate(spec.row_styles):
            styles.append((rs, cc.expression(rs.when, f"{cc.where} row_styles[{ri}]", names, key="when",
                                             at=cc.raw("row_styles", ri))))
        el.extra.update(leaves=leaves, heads=heads, tiers=tiers, footers=footers, row_styles=styles,
                        templates=templates, tree=tree,
                        conditional=any(_has_when(n) for n in tree))
        hh = spec.header.height if spec.header else 0.0
        el.extra["tier_heights"] = (spec.header.heights if spec.header and spec.header.heights else
                                    [hh / tiers] * tiers if tiers else [])
        page_fh = sum(f.height or spec.row_height for f in spec.footers if f.per == "page")
        table_fh = sum(f.height or spec.row_height for f in spec.footers if f.per == "table")
        el.extra["page_footer_h"] = page_fh
        el.extra["table_footer_h"] = table_fh
        body = h - hh - page_fh - table_fh
        # row_height <= 0: check() said so (not a ZeroDivisionError here)
        el.extra["rows_per_page"] = int(math.floor(body / spec.row_height + 1e-6)) if h > 0 and spec.row_height > 0 else 0
        el.extra["static_frame"] = (h > 0 and not spec.grow and not any(not isinstance(hc.title, (str, type(None)))
                                                                       for hc in heads) and table_fh == 0
                                    and spec.expand is None and not el.extra["conditional"])
        self._check_fonts(spec, cc)
        self._check_titles(spec, el, cc)

    @staticmethod
    def _check_fonts(spec: TableSpec, cc) -> None:
        """Fonts of the header, row styles, footers and closing mark (the columns': ``walk``): a font
        lgforms does not have is a load error naming where it is given, not a KeyError when drawn."""
        if spec.header:
            _known_font(cc, spec.header.font, f"{cc.where} header", cc.raw("header"))
        for i, rs in enumerate(spec.row_styles):
            _known_font(cc, rs.font, f"{cc.where} row_styles[{i}]", cc.raw("row_styles", i))
        for i, f in enumerate(spec.footers):
            _known_font(cc, f.font, f"{cc.where} footers[{i}]", cc.raw("footers", i))
        if spec.closing_mark:
            _known_font(cc, spec.closing_mark.font, f"{cc.where} closing_mark", cc.raw("closing_mark"))

    def _check_titles(self, spec: TableSpec, el: Compiled, cc) -> None:
        """Header titles must fit their cells: found at load, naming the column."""
        if not spec.header:
            return
        from ..layout.text import MojiProblems
        from ..moji.fonts import default_stacks

        stacks = default_stacks()
        tier_h = el.extra["tier_heights"]
        style = self._header_style(spec)
        if style.font not in stacks:
            return
        for hc in el.extra["heads"]:
            if not isinstance(hc.title, str) or not hc.title:
                continue
            hgt = sum(tier_h[hc.tier:hc.tier + hc.tiers])
            try:
                problems = MojiProblems()
                fit_text(hc.title, (0, 0, hc.w, hgt), style, stacks[style.font], path=None, problems=problems)
                problems.raise_if_any()
            except LgformsError as e:
                cc.problem(cc.where, at=hc.at, key="title", message=f"header title {hc.title!r} does not fit its {hc.w:g} × {hgt:g} mm cell "
                                     f"even at {style.min_size} pt: {e.message}")

    @staticmethod
    def _header_style(spec: TableSpec) -> TextStyle:
        hs = spec.header
        return TextStyle(size=hs.size, font=hs.font, align=hs.align, fit="wrap", min_size=hs.min_size or
                         min(6.0, hs.size), pad=min(spec.pad, 1.0), line_height=hs.line_height, valign="middle")

    # -- bind -----------------------------------------------------------------------------------
    def bind(self, el: Compiled, ctx: dict) -> BoundTable:
        spec: TableSpec = el.spec
        rows = render(el, "rows", ctx)
        if rows is None:
            rows = []
        src = el.t["rows"].source_var
        lc: LayoutContext | None = ctx.get("__layout__")
        if not isinstance(rows, (list, tuple)):
            raise TemplateError(f"{el.where}: 'rows' ({el.t['rows'].source}) must give a list, got "
                                f"{type(rows).__name__}", path=lc.path(src) if lc else None)
        # the rows' JSON paths: only rows at a known place in the payload have them (the list as
        # sent, a slice: bind.expressions.list_origin); a filtered or sorted list's are not there
        origin = el.t["rows"].origin
        base_path = (lc.parts(src) if lc else list(src)) if origin is not None else None
        over = el.extra.get("expand_over")
        row_scope = {spec.as_} | ({spec.expand.as_, "first"} if spec.expand is not None else set())
        out: list[BoundRow] = []
        name = spec.as_
        leaves: list[Leaf] = el.extra["leaves"]
        rctx = dict(ctx)
        saved = dict(lc.aliases) if lc is not None else None
        try:
            for i, row in enumerate(rows):
                rctx[name] = row
                rec = origin.parts(base_path, i) if origin is not None else None
                if lc is not None:
                    lc.aliases[name] = rec
                if spec.expand is None:
                    out.append(self._row(el, rctx, rec, leaves, i, {name: rec}, row_scope, lc))
                    continue
                sub = over.evaluate(rctx) or []
                sub_parts = (lc.parts(over.source_var) if lc else list(over.source_var)) if over.origin else None
                for j, line in enumerate(sub):
                    rctx[spec.expand.as_] = line
                    rctx["first"] = j == 0
                    ln = over.origin.parts(sub_parts, j) if over.origin is not None else None
                    if lc is not None:
                        lc.aliases[spec.expand.as_] = ln
                    # a cell may show the line or its record: each has its own path
                    out.append(self._row(el, rctx, ln, leaves, i, {name: rec, spec.expand.as_: ln}, row_scope, lc))
        finally:
            if lc is not None and saved is not None:
                lc.aliases.clear()
                lc.aliases.update(saved)
        titles = None
        if any(not isinstance(h.title, (str, type(None))) for h in el.extra["heads"]):
            titles = [h.title.render(ctx) if not isinstance(h.title, (str, type(None))) else h.title
                      for h in el.extra["heads"]]
        geo_leaves = geo_heads = None
        if el.extra.get("conditional"):
            geo_leaves, geo_heads = _geometry(el, ctx)
        uniform = True
        if spec.grow and lc is not None:
            for r in out:
                r.height = self._row_height(el, r, lc, geo_leaves)
                uniform = uniform and abs(r.height - spec.row_height) < 1e-6
        else:
            for r in out:
                r.height = spec.row_height
        on = {i for i, (f, cells, _) in enumerate(el.extra["footers"]) if -2 not in cells or cells[-2].evaluate(ctx)}
        return BoundTable(out, titles, uniform, geo_leaves, geo_heads, ctx, on)

    def _row(self, el: Compiled, rctx: dict, parts: list | None, leaves: list[Leaf], group: int,
             aliases: dict[str, list | None], row_scope: set[str], lc: LayoutContext | None) -> BoundRow:
        cells = []
        sums = []
        paths = []
        for lf in leaves:
            t = lf.tpl
            p = _cell_path(t, aliases, row_scope, lc)
            try:
                cells.append(t.render(rctx))
                if lf.sum is not None:
                    v = lf.sum.evaluate(rctx)
                    if v is None:
                        v = 0
                    if isinstance(v, bool) or not isinstance(v, (int, float)):
                        raise TemplateError(f"{el.where}: column sum {lf.sum.source!r} gives "
                                            f"{type(v).__name__}, not a number")
                    sums.append(v)
                else:
                    sums.append(0)
            except LgformsError as e:
                e.path = e.path or p
                if not e.message.startswith(el.where):
                    e.message = f"{el.where}: {e.message}"
                raise
            except Exception as e:  # noqa: BLE001 - named and re-raised
                raise TemplateError(f"{el.where}: {type(e).__name__}: {e}", path=p) from None
            paths.append(p)
        style = None
        for rs, expr in el.extra["row_styles"]:
            if expr.evaluate(rctx):
                style = rs
                break
        return BoundRow(parts, cells, sums, style, group=group, paths=paths)

    def _cell_style(self, lf: Leaf, row: BoundRow) -> TextStyle:
        rs = row.style
        if rs is None or (rs.font is None and rs.color is None and rs.size is None):
            return lf.style
        over = {k: v for k, v in (("font", rs.font), ("color", rs.color), ("size", rs.size)) if v is not None}
        if "size" in over and lf.style.min_size is not None and lf.style.min_size > over["size"]:
            over["min_size"] = over["size"]
        return lf.style.model_copy(update=over)

    def _row_height(self, el: Compiled, r: BoundRow, lc: LayoutContext, leaves: list | None = None) -> float:
        spec: TableSpec = el.spec
        need = spec.row_height
        for lf, text, p in zip(leaves or el.extra["leaves"], r.cells, r.paths):
            if not text or lf.w <= 0:
                continue
            st = self._cell_style(lf, r)
            if st.fit not in ("wrap", "auto"):
                continue
            hgt = text_height(text, lf.w, st, lc.stacks[st.font], path=p, problems=lc.problems,
                              allow_ivs_fallback=lc.allow_ivs_fallback)
            need = max(need, hgt + 2 * spec.vpad)
        return need

    # -- pagination -----------------------------------------------------------------------------
    def chunks(self, el: Compiled, bt: BoundTable, first_body: float, next_body: float,
               footers_inside: bool = False) -> list[tuple[int, int]]:
        """Split the rows into pages: [(start, end)], given the height available for rows on the
        first page and on each following page (page footers already taken off). An empty first
        chunk means "start on the next page". The last chunk also holds the table footers (a
        footer never stands alone: the last row moves on with it); an expanded record's lines
        stay together when they fit on one page."""
        spec: TableSpec = el.spec
        rows = bt.rows
        n = len(rows)
        tf = 0.0 if footers_inside else el.extra["table_footer_h"]  # a fixed box keeps room for them
        eps = 1e-6
        out: list[tuple[int, int]] = []
        start, avail = 0, first_body
        if n == 0:
            return [(0, 0)] if tf <= first_body + eps or first_body >= next_body - eps else [(0, 0), (0, 0)]
        while start < n:
            used, end = 0.0, start
            while end < n and used + rows[end].height <= avail + eps:
                used += rows[end].height
                end += 1
            if end == n and used + tf > avail + eps and end > start:
                if end - start > 1:
                    end -= 1  # the last row goes on with the footer
                elif avail < next_body - eps:
                    end = start  # a fresh page holds more
            # (after the footer's row: that may split a record too)
            if end < n and end > start and spec.expand is not None and spec.expand.keep_together:
                k = end
                while k > start and rows[k - 1].group == rows[end].group:
                    k -= 1
                if k > start:
                    end = k
            if end == start:
                if avail >= next_body - eps:
                    raise TextOverflow(f"{el.where}: row {start + 1} is {rows[start].height:.1f} mm high; a page "
                                       f"holds {avail:.1f} mm of rows",
                                       path=json_path(rows[start].parts) if rows[start].parts is not None else None)
                out.append((start, start))
            else:
                out.append((start, end))
            start, avail = end, next_body
        s0, e0 = out[-1]
        if sum(r.height for r in rows[s0:e0]) + tf > (first_body if len(out) == 1 else next_body) + eps:
            out.append((n, n))  # only a single too-tall last row: its footer on the next page
        return out

    def pages_needed(self, el: Compiled, bt: BoundTable) -> int:
        spec: TableSpec = el.spec
        rpp_h = self._body_h(el)
        if not spec.paginate:
            return 1
        return max(1, len(self.chunks(el, bt, rpp_h, rpp_h, footers_inside=True)))

    def _body_h(self, el: Compiled) -> float:
        """Height for rows in a fixed box: the page footers and the table footers stay inside it."""
        spec: TableSpec = el.spec
        hh = spec.header.height if spec.header else 0.0
        return spec.box[3] - hh - el.extra["page_footer_h"] - el.extra["table_footer_h"]

    # -- drawing --------------------------------------------------------------------------------
    def static_layout(self, el: Compiled, lc: LayoutContext, ctx: dict | None = None):
        """Frame, rules, header titles: identical on every page (fixed box, uniform rows)."""
        if not el.extra.get("static_frame"):
            return []
        spec: TableSpec = el.spec
        x, y, w, h = lc.box(spec.box)
        rpp = el.extra["rows_per_page"]
        return self._frame(el, lc, x, y, [spec.row_height] * rpp, None, n_page_footers=True, n_table_footers=False)

    def _frame(self, el: Compiled, lc: LayoutContext, x: float, y: float, heights: list[float],
               titles: list[str] | None, *, n_page_footers: bool, n_table_footers: bool,
               bt: BoundTable | None = None) -> list:
        spec: TableSpec = el.spec
        w = spec.box[2]
        items: list = []
        hh = spec.header.height if spec.header else 0.0
        tier_h = el.extra["tier_heights"]
        leaves: list[Leaf] = (bt.leaves if bt is not None and bt.leaves else None) or el.extra["leaves"]
        heads: list[HeaderCell] = (bt.heads if bt is not None and bt.heads else None) or el.extra["heads"]
        if spec.header:
            if spec.header.fill is not None:
                items.append(RectBox(x, y, w, hh, None, fill=spec.header.fill))
            hstyle = self._header_style(spec)
            for k, hc in enumerate(heads):
                title = titles[k] if titles is not None else hc.title
                if not isinstance(title, str) or not title or hc.w <= 0:
                    continue
                ty = y + sum(tier_h[:hc.tier])
                th = sum(tier_h[hc.tier:hc.tier + hc.tiers])
                items += fit_text(title, (x + hc.x - spec.box[0], ty, hc.w, th), hstyle, lc.stacks[hstyle.font],
                                  path=None, problems=lc.problems)
        body_h = sum(heights)
        foot: list[tuple[Footer, float]] = []
        for i, (f, cells, first) in enumerate(el.extra["footers"]):
            if bt is not None and bt.footers_on is not None and i not in bt.footers_on:
                continue
            if (f.per == "page" and n_page_footers) or (f.per == "table" and n_table_footers):
                foot.append((f, f.height or spec.row_height))
        total_h = hh + body_h + sum(fh for _, fh in foot)
        # column fills under the body
        ry = y + hh
        for lf in leaves:
            if lf.fill is not None and lf.w > 0:
                items.append(RectBox(x + lf.x, ry, lf.w, body_h, None, fill=lf.fill))
        fy = y + hh + body_h
        for f, fh in foot:
            if f.fill is not None:
                items.append(RectBox(x, fy, w, fh, None, fill=f.fill))
            fy += fh
        if spec.grid:
            lw = spec.line_width
            # header: a line under each group title; a line under the whole header
            for hc in heads:
                if hc.tier + hc.tiers < el.extra["tiers"] and hc.w > 0:
                    yy = y + sum(tier_h[:hc.tier + hc.tiers])
                    hx = x + hc.x - spec.box[0]
                    items.append(LineBox(hx, yy, hx + hc.w, yy, lw))
            if spec.header:
                items.append(LineBox(x, y + hh, x + w, y + hh, lw))
            yy = y + hh
            for hgt in heights[:-1]:
                yy += hgt
                items.append(LineBox(x, yy, x + w, yy, lw))
            yy = y + hh + body_h
            for f, fh in foot:
                items.append(LineBox(x, yy, x + w, yy, lw * 1.5))
                yy += fh
            # vertical rules between leaves start below the lowest common group title
            bounds = self._leaf_starts(el, leaves, heads)
            for k, lf in enumerate(leaves[1:], start=1):
                if lf.w <= 0:
                    continue  # a hidden column
                cx = x + lf.x
                top = y + sum(tier_h[:bounds[k]])
                bottom = y + hh + body_h
                items.append(LineBox(cx, top, cx, bottom, lw))
                # footers: rules only where the footer has separate cells
                fy = y + hh + body_h
                for f, fh in foot:
                    fcells = next(c for ff, c, _ in el.extra["footers"] if ff is f)
                    first = next(fi for ff, _, fi in el.extra["footers"] if ff is f)
                    if k > first or (k == first and (f.label is not None or first > 0)) or (k in fcells and k > 0):
                        items.append(LineBox(cx, fy, cx, fy + fh, lw))
                    fy += fh
            items.append(RectBox(x, y, w, total_h, spec.frame_width))
        return items

    def _leaf_starts(self, el: Compiled, leaves: list[Leaf], heads: list[HeaderCell]) -> list[int]:
        """For each leaf, the header tier where its left rule starts (below the group it shares
        with the previous leaf)."""
        x0 = el.spec.box[0]
        out = [0] * len(leaves)
        for k, lf in enumerate(leaves):
            ax = x0 + lf.x
            tier = 0
            for hc in heads:
                # a group cell that strictly contains the boundary ax pushes the rule below it
                if hc.x < ax - 1e-6 < ax + 1e-6 < hc.x + hc.w and hc.tiers == 1 and \
                        hc.tier + 1 < el.extra["tiers"] + 1:
                    tier = max(tier, hc.tier + 1)
            out[k] = tier
        return out

    def draw_chunk(self, el: Compiled, bt: BoundTable, start: int, end: int, x: float, y: float,
                   lc: LayoutContext, *, frame: bool, last: bool, min_body: float = 0.0) -> tuple[list, float]:
        """Rows [start, end) at (x, y) (absolute mm): cells, row fills, footers and, if ``frame``,
        the header, rules and frame. Returns the items and the height used."""
        spec: TableSpec = el.spec
        leaves: list[Leaf] = bt.leaves or el.extra["leaves"]
        rows = bt.rows[start:end]
        hh = spec.header.height if spec.header else 0.0
        items: list = []
        heights = [r.height for r in rows]
        if frame:
            fill_h = heights[:]
            used = sum(heights)
            if min_body > used + 1e-6 and bt.uniform:
                extra = int(math.floor((min_body - used) / spec.row_height + 1e-6))
                fill_h += [spec.row_height] * extra
            elif min_body > used + 1e-6:
                fill_h.append(min_body - used)  # grown rows: the rest of the box as one blank row
            if not fill_h:
                fill_h = [spec.row_height]
            items += self._frame(el, lc, x, y, fill_h, bt.titles, n_page_footers=True, n_table_footers=last, bt=bt)
            body_h = sum(fill_h)
        else:
            body_h = max(sum(heights), min_body if bt.uniform else 0.0)
            if bt.uniform and min_body:
                body_h = spec.row_height * el.extra["rows_per_page"]
        ry = y + hh
        for r in rows:
            if r.style is not None and r.style.fill is not None:
                items.insert(0, RectBox(x, ry, spec.box[2], r.height, None, fill=r.style.fill))
            for lf, text, p in zip(leaves, r.cells, r.paths):
                if not text or lf.w <= 0:
                    continue
                st = self._cell_style(lf, r)
                cell_y, cell_h = ry, r.height
                if spec.grow and st.fit in ("wrap", "auto"):
                    cell_y, cell_h = ry + spec.vpad, r.height - 2 * spec.vpad
                items += fit_text(text, (x + lf.x, cell_y, lf.w, cell_h), st, lc.stacks[st.font],
                                  path=p, problems=lc.problems,
                                  allow_ivs_fallback=lc.allow_ivs_fallback)
            ry += r.height
        # footers: page totals on every page, table totals after the last row
        fy = y + hh + body_h
        for i, (f, cells, first) in enumerate(el.extra["footers"]):
            if f.per == "table" and not last:
                continue
            if bt.footers_on is not None and i not in bt.footers_on:
                continue
            fh = f.height or spec.row_height
            sel = rows if f.per == "page" else bt.rows
            totals = {lf.ident: sum(r.sums[k] for r in sel) for k, lf in enumerate(leaves)
                      if lf.ident and lf.sum is not None}
            fctx = {**(bt.ctx or {}), "total": totals, "count": len(sel)}
            if -1 in cells:
                label = cells[-1].render(fctx)
                lw = sum(lf.w for lf in leaves[:first]) if first > 0 else leaves[0].w
                st = leaves[0].style.model_copy(update={"align": "distribute" if lw <= 35 and len(label) <= 4
                                                        else "center",
                                                        "fit": "shrink", "pad": max(leaves[0].style.pad, 2.0),
                                                        **({"font": f.font} if f.font else {})})
                if label:
                    items += fit_text(label, (x, fy, lw, fh), st, lc.stacks[st.font], path=None,
                                      problems=lc.problems)
            for k, t in cells.items():
                if k < 0:
                    continue  # the label (-1) and the footer's when (-2)
                lf = leaves[k]
                if lf.w <= 0:
                    continue  # a hidden column's total is not printed
                text = t.render(fctx)
                st = lf.style.model_copy(update={"align": f.align, "fit": "shrink",
                                                 **({"font": f.font} if f.font else {})})
                if st.min_size is None or st.min_size > st.size:
                    st = st.model_copy(update={"min_size": min(st.size, 6.0)})
                items += fit_text(text, (x + lf.x, fy, lf.w, fh), st, lc.stacks[st.font], path=None,
                                  problems=lc.problems)
            fy += fh
        return items, fy - y

    def layout(self, el: Compiled, value: BoundTable, lc: LayoutContext):
        """A table with a fixed box: this page's rows (``paginate``: rows continue on the next
        pages of the page template)."""
        spec: TableSpec = el.spec
        bt = value
        x, y, w, h = lc.box(spec.box)
        body = self._body_h(el)
        chunks = self.chunks(el, bt, body, body, footers_inside=True)
        if not spec.paginate and (len(chunks) > 1):
            src = el.t["rows"].source_var
            rpp = el.extra["rows_per_page"]
            raise TextOverflow(
                f"{el.where}: {len(bt.rows)} rows but the table holds {rpp if bt.uniform else 'fewer'} on "
                f"its {h:g} mm and does not continue on another page (paginate: false)",
                path=lc.path(src), detail={"rows": len(bt.rows), "rows_per_page": rpp})
        pi = lc.page_index if spec.paginate else 0
        if pi >= len(chunks):
            return []  # this page run is longer than the table (another element paginates)
        start, end = chunks[pi]
        last = pi == len(chunks) - 1
        items, used = self.draw_chunk(el, bt, start, end, x, y, lc,
                                      frame=not el.extra["static_frame"] or bool(el.extra.get("static")),
                                      last=last, min_body=body)
        hh = spec.header.height if spec.header else 0.0
        small = TextStyle(size=8, font=spec.font, align="right", fit="shrink", min_size=6)
        cm = spec.closing_mark
        rows_here = bt.rows[start:end]
        used_rows = sum(r.height for r in rows_here)
        if last and cm:
            free = body - used_rows
            if free >= spec.row_height - 1e-6 or cm.full == "below":
                ry = y + hh + used_rows
                if free < spec.row_height - 1e-6:
                    ry = y + used + 0.5  # just under the frame when the rows fill the table
                first = el.extra["leaves"][0]
                bx = (x + cm.box[0], ry + cm.box[1], cm.box[2], cm.box[3]) if cm.box else (x, ry, first.w,
                                                                                           spec.row_height)
                items += fit_text(cm.text, bx, cm, lc.stacks[cm.font], path=None, problems=lc.problems)
        if spec.paginate and not last and spec.continued_next:
            items += fit_text(spec.continued_next, (x, y + used + 0.5, w, 3.5), small,
                              lc.stacks[small.font], path=None, problems=lc.problems)
        if spec.paginate and pi > 0 and spec.continued_prev:
            items += fit_text(spec.continued_prev, (x, y - 4.0, w, 3.5), small,
                              lc.stacks[small.font], path=None, problems=lc.problems)
        return items


KIND = TableKind()
