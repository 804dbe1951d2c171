"""``table``: rows of a list in ruled columns; header repeated on every page, 「以下余白」 after the
last row, continuation marks when rows go on to the next page (``paginate: true``).

The frame, rules and header titles do not depend on the payload: they go into the page's
static Form XObject; per page only the cell texts are drawn.

```yaml
- kind: table
  box: [15, 120, 180, 50]
  rows: kibetsu
  as: row
  row_height: 7
  header: {height: 7}
  columns:
    - {title: 期別, width: 30, value: "{{ row.kibetsu }}", align: center}
    - {title: 納期限, width: 60, value: "{{ row.nokigen | wareki }}", align: center}
    - {title: 納付額, value: "{{ row.amount | yen }}", align: right}   # width: the rest
  closing_mark: {text: 以下余白}
```
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import ConfigDict, Field

from ..errors import TextOverflow, json_path
from ..layout.boxes import LineBox, RectBox
from ..layout.text import fit_text
from ..spec.models import Box, ClosingMark, Color, ElementSpec, Model, TextStyle
from .base import Compiled, ElementKind, LayoutContext, render, spec_error


class Column(Model):
    title: str | None = None
    width: float | None = None  # mm; one column may leave it out to take the remaining width
    value: str
    align: Literal["left", "center", "right", "justify", "distribute"] | None = None
    size: float | None = None
    min_size: float | None = None
    fit: Literal["error", "shrink", "wrap"] | None = None
    font: str | None = None


class Header(Model):
    height: float
    size: float = 9.0
    font: str = "mincho"
    fill: Color | None = (0.92, 0.92, 0.92)
    align: Literal["left", "center", "right", "justify", "distribute"] = "center"


class TableSpec(ElementSpec, TextStyle):
    box: Box
    rows: str  # expression giving the list
    as_: str = Field("row", alias="as")
    columns: list[Column]
    row_height: float
    header: Header | None = None
    grid: bool = True
    line_width: float = 0.2
    frame_width: float = 0.35
    fit: Literal["error", "shrink", "wrap"] = "shrink"
    pad: float = 1.0
    closing_mark: ClosingMark | None = None
    paginate: bool = False
    continued_next: str | None = "（次葉へ続く）"
    continued_prev: str | None = "（前葉から続く）"

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TableKind(ElementKind):
    name = "table"
    Spec = TableSpec
    expressions = ("rows",)

    def check(self, spec: TableSpec, where: str) -> None:
        x, y, w, h = spec.box
        fixed = [c.width for c in spec.columns if c.width is not None]
        free = len(spec.columns) - len(fixed)
        if free > 1:
            raise spec_error(where, "at most one column may leave out its width")
        total = sum(fixed)
        if (free == 0 and abs(total - w) > 0.01) or (free == 1 and total >= w):
            raise spec_error(where, f"column widths add up to {total} mm but the table is {w} mm wide")
        hh = spec.header.height if spec.header else 0
        if spec.row_height <= 0 or (h - hh) < spec.row_height - 1e-6:
            raise spec_error(where, "the box must hold the header and at least one row")

    def compile_extra(self, spec: TableSpec, el: Compiled, compile_template, compile_expression) -> None:
        x, y, w, h = spec.box
        widths = [c.width for c in spec.columns]
        if None in widths:
            i = widths.index(None)
            widths[i] = w - sum(v for v in widths if v is not None)
        cols = []
        cx = x
        for i, (c, cw) in enumerate(zip(spec.columns, widths)):
            style_over = {k: v for k, v in (("align", c.align), ("size", c.size), ("min_size", c.min_size),
                                            ("fit", c.fit), ("font", c.font)) if v is not None}
            base = {k: getattr(spec, k) for k in TextStyle.model_fields}
            style = TextStyle(**{**base, **style_over})
            cols.append({"x": cx, "w": cw, "style": style,
                         "tpl": compile_template(c.value, f"{el.where} column {i + 1}")})
            cx += cw
        el.extra["columns"] = cols
        hh = spec.header.height if spec.header else 0.0
        el.extra["rows_per_page"] = int(math.floor((h - hh) / spec.row_height + 1e-6))

    # -- binding ---------------------------------------------------------------------------------
    def bind(self, el: Compiled, ctx: dict) -> Any:
        rows = render(el, "rows", ctx)
        if rows is None:
            rows = []
        if not isinstance(rows, (list, tuple)):
            raise TextOverflow(f"{el.where}: 'rows' must give a list, got {type(rows).__name__}")
        spec: TableSpec = el.spec
        src = el.t["rows"].source_var
        lc = ctx.get("__layout__")
        base_path = list(lc.aliases.get(src[0], [src[0]])) + list(src[1:]) if (lc and src) else list(src or ())
        out = []
        name = spec.as_
        for i, row in enumerate(rows):
            rctx = dict(ctx)
            rctx[name] = row
            if lc is not None:
                lc.aliases[name] = base_path + [i]
            cells = []
            for col in el.extra["columns"]:
                t = col["tpl"]
                try:
                    cells.append(t.render(rctx))
                except Exception as e:  # noqa: BLE001 - named and re-raised
                    from ..errors import LgformsError, TemplateError

                    p = json_path(base_path + [i] + list(t.source_var[1:])) if t.source_var and t.source_var[0] == name else None
                    if isinstance(e, LgformsError):
                        e.path = e.path or p
                        raise
                    raise TemplateError(f"{el.where}: {type(e).__name__}: {e}", path=p) from None
            out.append((base_path + [i], cells))
        if lc is not None:
            lc.aliases.pop(name, None)
        return out

    def pages_needed(self, el: Compiled, rows: list) -> int:
        if not el.spec.paginate:
            return 1
        rpp = el.extra["rows_per_page"]
        return max(1, math.ceil(len(rows) / rpp))

    # -- layout ----------------------------------------------------------------------------------
    def static_layout(self, el: Compiled, lc: LayoutContext):
        """Frame, rules, header titles: identical on every page."""
        spec: TableSpec = el.spec
        x, y, w, h = lc.box(spec.box)
        items: list = []
        hh = 0.0
        if spec.header:
            hh = spec.header.height
            if spec.header.fill is not None:
                items.append(RectBox(x, y, w, hh, None, fill=spec.header.fill))
            hstyle = TextStyle(size=spec.header.size, font=spec.header.font, align=spec.header.align,
                               fit="shrink", min_size=min(6.0, spec.header.size), pad=spec.pad)
            for col, c in zip(el.extra["columns"], spec.columns):
                if c.title:
                    items += fit_text(c.title, (col["x"] + lc.dx, y, col["w"], hh), hstyle,
                                      lc.stacks[hstyle.font], path=None, problems=lc.problems)
        rpp = el.extra["rows_per_page"]
        rh = spec.row_height
        body_h = hh + rpp * rh
        if spec.grid:
            lw = spec.line_width
            if spec.header:
                items.append(LineBox(x, y + hh, x + w, y + hh, lw))
            for r in range(1, rpp):
                yy = y + hh + r * rh
                items.append(LineBox(x, yy, x + w, yy, lw))
            for col in el.extra["columns"][1:]:
                cx = col["x"] + lc.dx
                items.append(LineBox(cx, y, cx, y + body_h, lw))
            items.append(RectBox(x, y, w, body_h, spec.frame_width))
        return items

    def layout(self, el: Compiled, value: Any, lc: LayoutContext):
        spec: TableSpec = el.spec
        rows = value
        rpp = el.extra["rows_per_page"]
        pages = self.pages_needed(el, rows)
        if not spec.paginate and len(rows) > rpp:
            src = el.t["rows"].source_var
            raise TextOverflow(
                f"{el.where}: {len(rows)} rows but the table holds {rpp} and does not continue on another page",
                path=lc.path(src), detail={"rows": len(rows), "rows_per_page": rpp})
        pi = lc.page_index if spec.paginate else 0
        if pi >= pages:
            return []  # this page run is longer than the table (another element paginates)
        x, y, w, h = lc.box(spec.box)
        hh = spec.header.height if spec.header else 0.0
        rh = spec.row_height
        items: list = []
        chunk = rows[pi * rpp:(pi + 1) * rpp]
        for r, (path_parts, cells) in enumerate(chunk):
            ry = y + hh + r * rh
            for col, text in zip(el.extra["columns"], cells):
                if not text:
                    continue
                t = col["tpl"]
                sv = t.source_var
                path = (json_path(path_parts + list(sv[1:])) if sv and sv[0] == spec.as_ else lc.path(sv))
                items += fit_text(text, (col["x"] + lc.dx, ry, col["w"], rh), col["style"],
                                  lc.stacks[col["style"].font], path=path, problems=lc.problems,
                                  allow_ivs_fallback=lc.allow_ivs_fallback)
        last = pi == pages - 1
        small = TextStyle(size=8, font=spec.font, align="right", fit="shrink", min_size=6)
        cm = spec.closing_mark
        if last and cm and (len(chunk) < rpp or cm.full == "below"):
            ry = y + hh + len(chunk) * rh  # the first free row, or just under the frame when full
            if len(chunk) == rpp:
                ry += 0.5
            first = el.extra["columns"][0]
            # default: in the first column, where a reader looks for the next entry
            bx = (x + cm.box[0], ry + cm.box[1], cm.box[2], cm.box[3]) if cm.box else (x, ry, first["w"], rh)
            items += fit_text(cm.text, bx, cm, lc.stacks[cm.font], path=None, problems=lc.problems)
        if spec.paginate and not last and spec.continued_next:
            items += fit_text(spec.continued_next, (x, y + hh + rpp * rh + 0.5, w, 3.5), small,
                              lc.stacks[small.font], path=None, problems=lc.problems)
        if spec.paginate and pi > 0 and spec.continued_prev:
            items += fit_text(spec.continued_prev, (x, y - 4.0, w, 3.5), small,
                              lc.stacks[small.font], path=None, problems=lc.problems)
        return items


KIND = TableKind()
