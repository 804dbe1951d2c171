"""``grid``: a ruled label/value grid whose cell positions follow from column widths and row
heights — no hand-typed coordinates.

```yaml
- kind: grid
  box: [15, 30, 180, 30]            # height: the sum of the rows (0: computed)
  columns: [25, 65, 25, 65]         # mm, adding up to the width
  rows: [12, 8, 10]                 # mm
  label_style: label                # default styles of label and value cells
  value_style: value
  label_fill: [0.94, 0.94, 0.94]
  cells:
    - [{label: 住所}, {value: "{{ address }}", span: 3, fit: wrap}]
    - [{label: 世帯主}, {value: "{{ setainushi }}"}, {label: 続柄}, {value: "{{ zokugara }}"}]
    - [{label: 転入前住所}, {value: "{{ prev_address }}", span: 3, empty: 【空欄】}]
```

Labels, rules and fills do not depend on the payload: they go into the page's static part.
A value cell prints ``empty`` when its value is empty (the standard's 【空欄】 / （省略）).
Cells tile the grid exactly (``span`` columns, ``rowspan`` rows): checked when the form loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..errors import LgformsError
from ..layout.boxes import LineBox, RectBox
from ..layout.text import fit_text
from ..spec.models import Box, Color, ElementSpec, Model, TextStyle
from .base import Compiled, ElementKind, LayoutContext, spec_error

Align = Literal["left", "center", "right", "justify", "distribute"]


class Cell(Model):
    label: str | None = None  # literal (static)
    value: str | None = None  # template
    id: str | None = None
    span: int = 1
    rowspan: int = 1
    style: str | list[str] | None = None
    empty: str | None = None  # printed when the value is empty
    fill: Color | None = None
    when: str | None = None  # value cells: print only if true (else ``empty``)
    align: Align | None = None
    valign: Literal["top", "middle", "bottom"] | None = None
    size: float | None = None
    min_size: float | None = None
    fit: Literal["error", "shrink", "wrap", "auto"] | None = None
    font: str | None = None
    pad: float | None = None
    line_height: float | None = None
    moji: Literal["ucs", "mj"] | None = None
    writing: Literal["horizontal", "vertical"] | None = None


class GridRow(Model):
    """A row that exists only when ``when`` is true (its height collapses otherwise)."""

    when: str
    cells: list[Cell]


class GridSpec(ElementSpec):
    box: Box
    columns: list[float]
    rows: list[float]
    cells: list[list[Cell] | GridRow]
    label_style: str | list[str] | None = "label"
    value_style: str | list[str] | None = "value"
    label_fill: Color | None = None
    ruled: bool = True
    line_width: float = 0.2
    frame_width: float = 0.35


_CELL_STYLE = ("align", "valign", "size", "min_size", "fit", "font", "pad", "line_height", "moji", "writing")


@dataclass(slots=True)
class PlacedCell:
    x: float  # relative to the grid
    y: float
    w: float
    h: float
    cell: Cell
    style: TextStyle
    tpl: Any = None
    when: Any = None
    at: Any = None  # source node (file, line)
    row: int = 0


class GridKind(ElementKind):
    name = "grid"
    Spec = GridSpec

    def check(self, spec: GridSpec, where: str) -> None:
        x, y, w, h = spec.box
        if abs(sum(spec.columns) - w) > 0.01:
            raise spec_error(where, f"columns add up to {sum(spec.columns):g} mm but the grid is {w:g} mm wide", "columns")
        if h and abs(sum(spec.rows) - h) > 0.01:
            raise spec_error(where, f"rows add up to {sum(spec.rows):g} mm but the box is {h:g} mm high "
                                    f"(give 0 to take the rows' height)", "rows")
        if len(spec.cells) != len(spec.rows):
            raise spec_error(where, f"{len(spec.cells)} rows of cells for {len(spec.rows)} row heights", "cells")
        self._tile(spec, where)

    def _tile(self, spec: GridSpec, where: str) -> list[tuple[int, int, Cell]]:
        """(row, column, cell) of every cell; every grid square covered exactly once."""
        ncol, nrow = len(spec.columns), len(spec.rows)
        taken = [[False] * ncol for _ in range(nrow)]
        conditional = {r for r, row in enumerate(spec.cells) if isinstance(row, GridRow)}
        out = []
        for r, row in enumerate(spec.cells):
            c = 0
            for cell in (row.cells if isinstance(row, GridRow) else row):
                if cell.rowspan > 1 and any(rr in conditional for rr in range(r, r + cell.rowspan)):
                    raise spec_error(where, f"row {r + 1}: a cell spanning rows may not cover a row with 'when'",
                                     "cells", r)
                while c < ncol and taken[r][c]:
                    c += 1
                if c + cell.span > ncol or r + cell.rowspan > nrow:
                    raise spec_error(where, f"row {r + 1}: a cell spanning {cell.span} × {cell.rowspan} from column "
                                            f"{c + 1} goes beyond the grid ({ncol} columns, {nrow} rows)", "cells", r)
                for rr in range(r, r + cell.rowspan):
                    for cc in range(c, c + cell.span):
                        if taken[rr][cc]:
                            raise spec_error(where, f"row {r + 1}: cells overlap at column {cc + 1}", "cells", r)
                        taken[rr][cc] = True
                if cell.label is not None and cell.value is not None:
                    raise spec_error(where, f"row {r + 1}, column {c + 1}: a cell has a label or a value, not both",
                                     "cells", r)
                out.append((r, c, cell))
                c += cell.span
            missing = [k + 1 for k in range(ncol) if not taken[r][k]]
            if missing:
                raise spec_error(where, f"row {r + 1}: column(s) {', '.join(map(str, missing))} have no cell "
                                        f"(use {{}} for an empty cell)", "cells", r)
        return out

    def rects(self, spec: GridSpec):
        x, y, w, h = spec.box
        return [(x, y, w, h or sum(spec.rows))]

    def compile_extra(self, spec: GridSpec, el: Compiled, cc) -> None:
        try:
            tiles = self._tile(spec, cc.where)
        except Exception:  # noqa: BLE001 - check() reported it
            el.extra.update(cells=[], templates=[])
            return
        xs = [0.0]
        for w in spec.columns:
            xs.append(xs[-1] + w)
        ys = [0.0]
        for h in spec.rows:
            ys.append(ys[-1] + h)
        el.extra["row_when"] = {r: cc.expression(row.when, f"{cc.where} row {r + 1} when", key="when",
                                                 at=cc.raw("cells", r))
                                for r, row in enumerate(spec.cells) if isinstance(row, GridRow)}
        templates_rw = list(el.extra["row_when"].values())
        fields = set(TextStyle.model_fields)
        base_label = cc.style(spec.label_style, fields, cc.where) if spec.label_style else {}
        base_value = cc.style(spec.value_style, fields, cc.where) if spec.value_style else {}
        cells: list[PlacedCell] = []
        templates = []
        cell_index: dict[int, int] = {}
        for r, c, cell in tiles:
            where = f"{cc.where} cell {r + 1}.{c + 1}" + (f" ({cell.id})" if cell.id else "")
            k = cell_index[r] = cell_index.get(r, -1) + 1
            at = cc.raw("cells", r, "cells", k) if isinstance(spec.cells[r], GridRow) else cc.raw("cells", r, k)
            base = base_label if cell.label is not None else base_value
            named = cc.style(cell.style, fields, where, at=at) if cell.style else {}
            own = {k: getattr(cell, k) for k in _CELL_STYLE if getattr(cell, k) is not None}
            try:
                style = TextStyle(**{**base, **named, **own})
            except ValueError as e:
                cc.problem(where, str(e), at=at)
                style = TextStyle()
            pc = PlacedCell(xs[c], ys[r], xs[c + cell.span] - xs[c], ys[r + cell.rowspan] - ys[r], cell, style, row=r)
            if cell.label is not None and ("{{" in cell.label or "{%" in cell.label):
                cc.problem(where, "a label is literal text (drawn once per document); use value for a template",
                           at=at, key="label")
            if cell.value is not None:
                pc.tpl = cc.template(cell.value, where, key="value", at=at)
                templates.append(pc.tpl)
                if cell.when:
                    pc.when = cc.expression(cell.when, where, key="when", at=at)
                    templates.append(pc.when)
            elif cell.when:
                cc.problem(where, "when: only value cells print conditionally", at=at)
            if style.font not in ("mincho", "gothic", "mincho_ex"):
                from ..moji.fonts import ROLE_FILES

                if style.font not in ROLE_FILES:
                    cc.problem(where, f"unknown font {style.font!r}", at=at)
            if style.size * 25.4 / 72 > pc.h + 1e-6 and style.fit not in ("wrap", "auto"):
                cc.problem(where, f"size {style.size} pt is taller than the {pc.h:g} mm cell", at=at)
            pc.at = at
            cells.append(pc)
        el.extra.update(cells=cells, templates=templates + templates_rw)
        self._check_labels(el, cc)

    def _check_labels(self, el: Compiled, cc) -> None:
        """Labels are known now: they must fit their cells (found at load, not by a reader)."""
        from ..layout.text import MojiProblems
        from ..moji.fonts import default_stacks

        stacks = default_stacks()
        for pc in el.extra["cells"]:
            if pc.cell.label and pc.style.font in stacks:
                try:
                    p = MojiProblems()
                    fit_text(pc.cell.label, (0, 0, pc.w, pc.h), pc.style, stacks[pc.style.font], path=None, problems=p)
                    p.raise_if_any()
                except LgformsError as e:
                    cc.problem(cc.where, at=pc.at, message=f"label {pc.cell.label!r} does not fit its {pc.w:g} × {pc.h:g} mm cell: "
                                         f"{e.message}")

    def static_layout(self, el: Compiled, lc: LayoutContext, ctx: dict | None = None):
        if el.extra.get("row_when"):
            return []  # rows come and go: drawn per record with the values
        return self._background(el, lc, None)

    def _row_tops(self, el: Compiled, visible: set[int] | None) -> tuple[list[float], list[float]]:
        """Top and height of each row (a hidden row has height 0)."""
        tops, hs, y = [], [], 0.0
        for r, h in enumerate(el.spec.rows):
            h = h if visible is None or r in visible else 0.0
            tops.append(y)
            hs.append(h)
            y += h
        return tops, hs

    def height_of(self, el: Compiled, value: Any) -> float | None:
        """The grid's height for this record (rows with a false ``when`` take none), in a flow."""
        if not el.extra.get("row_when"):
            return None
        return el.spec.box[1] + sum(self._row_tops(el, value[1])[1])

    def _background(self, el: Compiled, lc: LayoutContext, visible: set[int] | None):
        spec: GridSpec = el.spec
        x, y, w, _ = lc.box(spec.box)
        tops, hs = self._row_tops(el, visible)
        h = sum(hs)
        items: list = []
        cells = [pc for pc in el.extra["cells"] if visible is None or pc.row in visible]
        if not cells:  # every row hidden: nothing to draw (not a frame 0 mm high, i.e. a stray rule)
            return items

        def geo(pc: PlacedCell) -> tuple[float, float]:
            return tops[pc.row], sum(hs[pc.row:pc.row + pc.cell.rowspan])

        for pc in cells:
            fill = pc.cell.fill or (spec.label_fill if pc.cell.label is not None else None)
            if fill is not None:
                ty, th = geo(pc)
                items.append(RectBox(x + pc.x, y + ty, pc.w, th, None, fill=fill))
        for pc in cells:
            if pc.cell.label:
                ty, th = geo(pc)
                items += fit_text(pc.cell.label, (x + pc.x, y + ty, pc.w, th), pc.style,
                                  lc.stacks[pc.style.font], path=None, problems=lc.problems)
        if spec.ruled:
            hseg: set[tuple[float, float, float]] = set()
            vseg: set[tuple[float, float, float]] = set()
            for pc in cells:
                ty, th = geo(pc)
                if ty > 1e-6:
                    hseg.add((round(ty, 3), round(pc.x, 3), round(pc.x + pc.w, 3)))
                if pc.x > 1e-6:
                    vseg.add((round(pc.x, 3), round(ty, 3), round(ty + th, 3)))
            for yy, x1, x2 in sorted(_merge(hseg)):
                items.append(LineBox(x + x1, y + yy, x + x2, y + yy, spec.line_width))
            for xx, y1, y2 in sorted(_merge(vseg)):
                items.append(LineBox(x + xx, y + y1, x + xx, y + y2, spec.line_width))
            items.append(RectBox(x, y, w, h, spec.frame_width))
        return items

    def bind(self, el: Compiled, ctx: dict) -> tuple[list[str | None], set[int] | None]:
        from .base import _path_from_ctx

        visible = None
        if el.extra.get("row_when"):
            visible = {r for r in range(len(el.spec.rows))
                       if r not in el.extra["row_when"] or el.extra["row_when"][r].evaluate(ctx)}
        out: list[str | None] = []
        for pc in el.extra["cells"]:
            if pc.tpl is None or (visible is not None and pc.row not in visible):
                out.append(None)
                continue
            try:
                if pc.when is not None and not pc.when.evaluate(ctx):
                    out.append(pc.cell.empty or "")
                    continue
                v = pc.tpl.render(ctx)
            except LgformsError as e:
                e.path = e.path or _path_from_ctx(ctx, pc.tpl.source_var)
                if not e.message.startswith(el.where):
                    e.message = f"{el.where}: {e.message}"
                raise
            except Exception as e:  # noqa: BLE001 - named
                from ..errors import TemplateError

                raise TemplateError(f"{el.where}: {type(e).__name__}: {e}",
                                    path=_path_from_ctx(ctx, pc.tpl.source_var)) from None
            out.append(v if v else (pc.cell.empty or ""))
        return out, visible

    def layout(self, el: Compiled, value: tuple[list[str | None], set[int] | None], lc: LayoutContext):
        spec: GridSpec = el.spec
        texts, visible = value
        x, y, _, _ = lc.box(spec.box)
        # rows that come and go, or a grid in a static part (no separate static layout there)
        items: list = self._background(el, lc, visible) if (visible is not None or el.extra.get("static")) else []
        tops, hs = self._row_tops(el, visible)
        for pc, text in zip(el.extra["cells"], texts):
            if not text:
                continue
            ty, th = tops[pc.row], sum(hs[pc.row:pc.row + pc.cell.rowspan])
            path = lc.path(pc.tpl.source_var) if pc.tpl is not None and text != pc.cell.empty else None
            mark = lc.problems.mark()
            items += fit_text(text, (x + pc.x, y + ty, pc.w, th), pc.style, lc.stacks[pc.style.font],
                              path=path, problems=lc.problems, allow_ivs_fallback=lc.allow_ivs_fallback)
            if pc.tpl is not None and text != pc.cell.empty:
                lc.name_values(pc.tpl, mark)
        return items


def _merge(segs: set[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear touching segments (one rule instead of several pieces)."""
    by: dict[float, list[tuple[float, float]]] = {}
    for k, a, b in segs:
        by.setdefault(k, []).append((a, b))
    out = []
    for k, parts in by.items():
        parts.sort()
        cur = list(parts[0])
        for a, b in parts[1:]:
            if a <= cur[1] + 1e-6:
                cur[1] = max(cur[1], b)
            else:
                out.append((k, cur[0], cur[1]))
                cur = [a, b]
        out.append((k, cur[0], cur[1]))
    return out


KIND = GridKind()
