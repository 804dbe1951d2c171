"""Where each payload value must be printed, read from the form's YAML alone — not from lgforms.

The end-to-end test (tests/forms/test_forms_e2e.py) finds every payload value of every sample in
its own box on its own page: the boxes come from ``form.yaml`` and ``forms/_blocks/*.yaml`` parsed
here with PyYAML (block offsets, grid cells from column widths and row heights, repeat slots shifted
by their pitch, page templates in order), which payload values an element prints from its Jinja2
templates parsed with Jinja2's own parser, and what is printed where from poppler's
``pdftotext -bbox-layout``. Nothing of lgforms (its loader, layout or filters) is used.

How precisely each kind of element is located:

- fixed elements (``text``, ``textblock``, barcodes, images …) and blocks placed at a fixed ``at``:
  their own box, on the pages of their page template;
- ``grid`` cells: the cell (columns × rows, ``span``/``rowspan``); when some row of the grid has a
  ``when`` (rows collapse), the cell's columns over the whole height of the grid;
- ``repeat`` slots: the slot's box shifted by ``pitch`` × its place on the page (in a grid of
  ``columns``: column and row), on the page of the record (records ÷ ``per_page``) — one person's
  性別 is looked for in that person's slot;
- ``table`` cells, footers: the table's box (rows are not at fixed positions), on any page of the
  template;
- everything inside a ``flow`` (sections, tables, each): the flow's region (``box`` ∪ ``next_box``)
  on any page of the template;
- postcards and 圧着はがき: a page template is a logical panel; its page is the panel's place in
  the delivery's panel order (docs/forms.md, "Mail").

A delivery variant (``variants.<delivery>``: its own ``pages``, one per panel for a postcard or
圧着はがき) is read the same way when the check is given the delivery; the values it leaves out
(``not_printed``) are not looked for.
A page template whose page count cannot be known from the YAML (flows, paginated tables, a ``when``
or ``over`` that needs lgforms' filters) makes the pages of the templates after it unknown, unless
it is the only such template (then it gets the pages the PDF has left); elements of a template with
unknown pages are looked for on every page, still in their box.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.nodes as jn
import jinja2.sandbox
import yaml

PT = 25.4 / 72.0

# the order of the logical panels of each delivery (docs/forms.md, "Mail"): one page per panel
PANEL_ORDER = {
    "postcard": ["address", "back"],
    "pressure-seal-V": ["address", "back", "inner_left", "inner_right"],
    "pressure-seal-Z": ["address", "back", "inner_1", "inner_2", "inner_3", "inner_4"],
}
BUILTINS = {"tenant", "form", "page", "issue", "slot", "total", "count", "first", "loop", "range",
            "true", "false", "none", "True", "False", "None", "namespace", "lipsum", "dict", "cycler", "joiner"}

_env = jinja2.Environment()
WHOLE_PAGE = (-1e4, -1e4, 2e4, 2e4)  # a region that is every page's whole area


@dataclass
class Place:
    """One element instance: the payload paths it prints (regexes), where (pages, mm box)."""
    what: str                     # e.g. "juki_person.yaml grid person_grid cell sex (slot 2)"
    refs: list[tuple[re.Pattern, re.Pattern]]
    pages: frozenset[int] | None  # None: any page
    box: tuple[float, float, float, float] | None  # None: the whole page


@dataclass
class Ctx:
    scope: dict[str, list[str]]   # name -> JSON path prefixes ("$.persons[2]", "$.kibetsu[*]")
    payload_visible: bool         # a block sees only its parameters
    origin: tuple[float, float] = (0.0, 0.0)
    region: tuple[float, float, float, float] | None = None  # inside a flow / table: where, roughly
    pages: frozenset[int] | None = None
    label: str = ""
    fixed: bool = True            # False inside a flow: positions are not fixed
    extra: tuple = ()             # records built by an expression: what it reads (matched loosely)
    strip: bool = False           # in a flow: an element's columns are known, its height is not

    def child(self, **kw) -> "Ctx":
        d = dict(self.__dict__)
        d.update(kw)
        return Ctx(**d)


# ------------------------------------------------------------------ templates → payload paths

def _chain(node) -> tuple[str, list[str]] | None:
    """Name.attr[0].attr → (name, [".attr", "[0]", ".attr"]) or None."""
    parts: list[str] = []
    while True:
        if isinstance(node, jn.Getattr):
            parts.append("." + node.attr)
            node = node.node
        elif isinstance(node, jn.Getitem):
            if isinstance(node.arg, jn.Const) and isinstance(node.arg.value, int):
                parts.append(f"[{node.arg.value}]")
            elif isinstance(node.arg, jn.Const) and isinstance(node.arg.value, str):
                parts.append("." + node.arg.value)
            else:
                parts = []  # person[key]: keep only the part before
            node = node.node
        elif isinstance(node, jn.Name):
            return node.name, list(reversed(parts))
        else:
            return None


def template_refs(text: str, ctx: Ctx, expression: bool = False) -> list[str]:
    """JSON path prefixes a template (or an expression) reads."""
    if not isinstance(text, str):
        return []
    if expression:
        text = "{{ " + text + " }}"
    elif "{" not in text:
        return []
    try:
        tree = _env.parse(text)
    except jinja2.TemplateSyntaxError:
        return []
    out: list[str] = []
    local: dict[str, list[str]] = {}

    def resolve(name: str, rest: list[str]) -> list[str]:
        if name in local:
            bases = local[name]
        elif name in ctx.scope:
            bases = ctx.scope[name]
        elif name in BUILTINS or not ctx.payload_visible:
            return []
        else:
            bases = ["$." + name]
        return [b + "".join(rest) for b in bases]

    def visit(node):
        if isinstance(node, jn.For):
            it = _chain(node.iter)
            bases = resolve(*it) if it else []
            if isinstance(node.target, jn.Name):
                local[node.target.name] = [b + "[*]" for b in bases]
            out.extend(bases)
            for n in node.body + node.else_:
                visit(n)
            if node.test is not None:
                visit(node.test)
            if not it:
                visit(node.iter)
            return
        if isinstance(node, (jn.Name, jn.Getattr, jn.Getitem)):
            c = _chain(node)
            if c is not None:
                out.extend(resolve(*c))
                if isinstance(node, jn.Getitem) and not isinstance(node.arg, jn.Const):
                    visit(node.arg)
                return
        for child in node.iter_child_nodes():
            visit(child)

    visit(tree)
    return out


def _pattern(prefix: str) -> tuple[re.Pattern, re.Pattern]:
    """Which leaf paths P a template reading R prints: strictly, P is R or R reads into P
    (``person.name.split()``: a method of the value); loosely, P lies inside R (``{% if kisai %}``,
    ``persons | length``). ``[*]`` in R (a table's or loop's rows) matches any index."""
    star = lambda s: re.escape(s).replace(r"\[\*\]", r"\[\d+\]")
    cuts = [m.start() for m in re.finditer(r"[.\[]", prefix)][1:]  # not the "$." itself
    strict = re.compile("(?:" + "|".join([star(prefix)] + [star(prefix[:c]) for c in cuts]) + ")")
    return strict, re.compile(star(prefix) + r"[.\[].*")


def leaf_places(places: list["Place"], leaf: str) -> list["Place"]:
    """The places that print a leaf: those that read it by name, or else those that read a
    container of it."""
    strict = [p for p in places if any(s.fullmatch(leaf) for s, _ in p.refs)]
    loose = [p for p in places if p not in strict and any(lo.fullmatch(leaf) for _, lo in p.refs)]
    # a slot of records built by an expression reads its records loosely: always a candidate
    return strict + [p for p in loose if "(record ?)" in p.what] if strict else loose


# ------------------------------------------------------------------ YAML → places

@lru_cache(maxsize=None)
def _yaml(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text("utf-8"))


class Walker:
    def __init__(self, form_dir: Path, payload: dict):
        self.form_dir = form_dir
        self.blocks_dir = form_dir.parent.parent / "_blocks"
        self.payload = payload
        self.places: list[Place] = []

    def add(self, ctx: Ctx, what: str, refs: list[str], box) -> None:
        if not refs:
            return
        if ctx.region is not None and ctx.strip and box is not None and box[2] > 0:
            # in a flow: the element's columns (x from the region's left edge), the region's height
            where = (box[0] + ctx.origin[0], ctx.region[1], box[2], ctx.region[3])
        elif ctx.region is not None or box is None:
            where = ctx.region
        else:
            x, y, w, h = box
            where = (x + ctx.origin[0], y + ctx.origin[1], w, h)
        pats = [_pattern(r) for r in dict.fromkeys(refs)]
        pats += [(re.compile(r"(?!)"), _pattern(r)[1]) for r in ctx.extra]
        self.places.append(Place(f"{ctx.label}{what}", pats, ctx.pages, where))

    def elements(self, els, ctx: Ctx) -> None:
        for el in els or []:
            if isinstance(el, dict):
                self.element(el, ctx)

    def element(self, el: dict, ctx: Ctx) -> None:
        try:
            self._element(el, ctx)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, OSError):
            # a construct this reader does not know (a new kind or key): what the element reads is
            # looked for on every page, anywhere on it
            refs = self._all_refs(el, ctx)
            self.add(ctx.child(region=WHOLE_PAGE, pages=None, strip=False), f"{el.get('kind')} {el.get('id', '')} (not understood)",
                     refs, None)

    def _all_refs(self, obj, ctx: Ctx) -> list[str]:
        if isinstance(obj, str):
            return template_refs(obj, ctx)
        if isinstance(obj, dict):
            return [r for k, v in obj.items() if k not in ("kind", "id", "style") for r in
                    (template_refs(v, ctx, True) if k in ("when", "over", "rows") and isinstance(v, str) else self._all_refs(v, ctx))]
        if isinstance(obj, list):
            return [r for v in obj for r in self._all_refs(v, ctx)]
        return []

    def _element(self, el: dict, ctx: Ctx) -> None:
        kind = el.get("kind")
        name = f"{kind} {el.get('id', '')}".strip()
        if kind == "block":
            self.block(el, ctx)
        elif kind == "group":
            at = el.get("at") or [0, 0]
            self.elements(el.get("elements"), ctx.child(origin=(ctx.origin[0] + at[0], ctx.origin[1] + at[1])))
        elif kind == "grid":
            self.grid(el, ctx, name)
        elif kind == "table":
            self.table(el, ctx, name)
        elif kind == "each":
            refs = template_refs(el.get("over", ""), ctx, expression=True)
            sub = ctx.child(scope={**ctx.scope, el.get("as", "item"): [r + "[*]" for r in refs]})
            self.add(ctx, name + " over", refs + template_refs(el.get("when", ""), ctx, True), None)
            self.elements(el.get("sections"), sub)
        elif kind == "postcode_boxes":
            x, y = el.get("at", [0, 0])
            # 7 boxes of 5.7 × 8.0 mm with gaps 1.3/1.9/1.1 (Japan Post): about 48 mm wide
            refs = [r for k in ("value", "when") for r in template_refs(el.get(k, ""), ctx, k == "when")]
            self.add(ctx, name, refs, (x - 1, y - 1, 50, 10))
        else:
            refs = []
            for k, v in el.items():
                if isinstance(v, str) and k not in ("kind", "id", "style", "pages"):
                    refs += template_refs(v, ctx, expression=(k == "when"))
            box = el.get("box")
            if box is None and "points" in el:
                x1, y1, x2, y2 = el["points"]
                box = (min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
            self.add(ctx, name, refs, box)

    def block(self, el: dict, ctx: Ctx) -> None:
        path = self.blocks_dir / f"{el['use']}.yaml"
        if not path.exists():
            path = self.form_dir / "_blocks" / f"{el['use']}.yaml"
        blk = _yaml(str(path))
        scope: dict[str, list[str]] = {}
        given = el.get("with") or {}
        for pname, pdef in (blk.get("params") or {}).items():
            pdef = pdef or {}
            v = given.get(pname, pdef.get("default"))
            if v is None:
                continue
            src_ctx = ctx if pname in given else Ctx({}, False)
            if pdef.get("as") == "text":
                scope[pname] = template_refs(str(v), src_ctx) if isinstance(v, str) else []
            else:
                scope[pname] = template_refs(str(v), src_ctx, expression=True) if isinstance(v, (str, int)) else []
        at = el.get("at") or [0, 0]
        sub = ctx.child(scope=scope, payload_visible=False,
                        origin=(ctx.origin[0] + at[0], ctx.origin[1] + at[1]),
                        label=f"{ctx.label}{el['use']}.yaml: ")
        if "when" in el:
            self.add(ctx, f"block {el['use']} when", template_refs(el["when"], ctx, True),
                     (at[0], at[1], *(blk.get("size") or [0, 0])))
        self.elements(blk.get("fields"), sub)
        self.elements(blk.get("static"), sub)

    def grid(self, el: dict, ctx: Ctx, name: str) -> None:
        x0, y0, w, _h = el.get("box", [0, 0, 0, 0])
        cols = list(el.get("columns") or [w])
        rows_spec = el.get("rows") or []
        heights = list(rows_spec) if isinstance(rows_spec, list) else []
        cells = el.get("cells") or []
        collapsing = any(isinstance(r, dict) for r in cells)
        grid_h = sum(h for h in heights if isinstance(h, (int, float)))
        if "when" in el:
            self.add(ctx, name + " when", template_refs(el["when"], ctx, True), (x0, y0, w, grid_h))
        taken: set[tuple[int, int]] = set()
        for ri, row in enumerate(cells):
            row_when = []
            if isinstance(row, dict):
                row_when = template_refs(row.get("when", ""), ctx, True)
                row = row.get("cells") or []
            ci = 0
            for cell in row:
                while (ri, ci) in taken:
                    ci += 1
                cell = cell or {}
                span, rspan = int(cell.get("span", 1)), int(cell.get("rowspan", 1))
                for dr in range(rspan):
                    for dc in range(span):
                        taken.add((ri + dr, ci + dc))
                refs = row_when[:]
                for k in ("value", "when", "empty"):
                    if isinstance(cell.get(k), str):
                        refs += template_refs(cell[k], ctx, expression=(k == "when"))
                if refs:
                    cx = x0 + sum(cols[:ci])
                    cw = sum(cols[ci:ci + span])
                    if collapsing or ri + rspan > len(heights):
                        box = (cx, y0, cw, grid_h)
                    else:
                        box = (cx, y0 + sum(heights[:ri]), cw, sum(heights[ri:ri + rspan]))
                    self.add(ctx, f"{name} cell {cell.get('id', f'r{ri}c{ci}')}", refs, box)
                ci += span

    def table(self, el: dict, ctx: Ctx, name: str) -> None:
        rows = template_refs(el.get("rows", ""), ctx, expression=True)
        scope = {**ctx.scope, el.get("as", "row"): [r + "[*]" for r in rows]}
        exp = el.get("expand")
        if exp:
            inner = Ctx(scope, ctx.payload_visible)
            scope[exp.get("as", "line")] = [r + "[*]" for r in template_refs(exp.get("over", ""), inner, True)]
        sub = ctx.child(scope=scope)
        box = el.get("box") or [0, 0, 0, 0]
        if ctx.region is None:
            sub = sub.child(region=(box[0] + ctx.origin[0], box[1] + ctx.origin[1], box[2], box[3]), strip=False)
        elif ctx.strip and box[2] > 0:
            sub = sub.child(region=(box[0] + ctx.origin[0], ctx.region[1], box[2], ctx.region[3]), strip=False)
        refs = rows + template_refs(el.get("when", ""), ctx, True)

        def columns(cols):
            out = []
            for c in cols or []:
                for k in ("value", "title", "when", "sum"):
                    if isinstance(c.get(k), str):
                        out += template_refs(c[k], sub, expression=(k in ("when", "sum")))
                out += columns(c.get("columns"))
            return out

        refs += columns(el.get("columns"))
        for f in el.get("footers") or []:
            for v in (f.get("cells") or {}).values():
                refs += template_refs(str(v), sub)
        for rs in el.get("row_styles") or []:
            refs += template_refs(rs.get("when", ""), sub, True)
        self.add(sub, name, refs, None)

    # ---------------------------------------------------------------- pages

    def form(self, pdf_pages: int, delivery: str | None = None) -> list[Place]:
        spec = _yaml(str(self.form_dir / "form.yaml"))
        if delivery and delivery != spec.get("delivery"):
            variant = spec["variants"][delivery]
            templates = variant.get("pages") or spec.get("pages") or []
            panels = PANEL_ORDER.get(delivery)
        else:
            templates = spec.get("pages") or []
            panels = PANEL_ORDER.get(spec.get("delivery", ""))
        if panels and all(t.get("panel") for t in templates):
            present = [p for p in panels if any(t.get("panel") == p for t in templates)]
            spans = [frozenset({present.index(t["panel"])}) for t in templates]
        else:
            counts = [self.page_count(t) for t in templates]
            if sum(c is None for c in counts) == 1:
                i = counts.index(None)
                counts[i] = pdf_pages - sum(c for c in counts if c is not None)
            spans, offset = [], 0
            for c in counts:
                if offset is None or c is None:
                    spans.append(None)
                    offset = None
                else:
                    spans.append(frozenset(range(offset, offset + c)))
                    offset += c
        for t, pages in zip(templates, spans):
            self.template(t, pages)
        return self.places

    def _eval(self, expr: str):
        env = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.ChainableUndefined)
        return env.compile_expression(expr, undefined_to_none=False)(**self.payload)

    def records(self, rep: dict) -> int | None:
        try:
            n = len(self._eval(rep["over"]))
        except Exception:
            return None
        start, stop = rep.get("start", 0) or 0, rep.get("stop")
        return max(0, min(n, stop if stop is not None else n) - start)

    def page_count(self, t: dict) -> int | None:
        if "when" in t:
            try:
                if not self._eval(t["when"]):
                    return 0
            except Exception:
                return None
        if t.get("flow") or any(isinstance(f, dict) and f.get("kind") == "table" and f.get("paginate")
                                for f in t.get("fields") or []):
            return None
        rep = t.get("repeat")
        if rep:
            n = self.records(rep)
            return None if n is None else max(1, math.ceil(n / rep.get("per_page", 1)))
        return 1

    def template(self, t: dict, pages: frozenset[int] | None) -> None:
        if pages is not None and not pages:
            return  # its `when` is false: no pages
        ctx = Ctx({}, True, pages=pages, label=f"page {t.get('id')}: ")
        self.elements(t.get("fields"), ctx)
        fl = t.get("flow")
        if fl and not (isinstance(fl.get("box"), list) and len(fl["box"]) == 4):
            self.elements(fl.get("sections"), ctx.child(region=WHOLE_PAGE, pages=None, strip=False, label=f"page {t.get('id')} flow: "))
        elif fl:
            b = fl.get("box")
            nb = fl.get("next_box") or b
            x, y = min(b[0], nb[0]), min(b[1], nb[1])
            region = (x, y, max(b[0] + b[2], nb[0] + nb[2]) - x, max(b[1] + b[3], nb[1] + nb[3]) - y)
            self.elements(fl.get("sections"), ctx.child(region=region, strip=True, origin=(x, 0.0),
                                                        label=f"page {t.get('id')} flow: "))
        rep = t.get("repeat")
        if rep and t.get("slot"):
            over = template_refs(rep.get("over", ""), ctx, expression=True)
            n = self.records(rep)
            alias = rep.get("as", "item")
            # records built by an expression (a 全期 slip put before the 期別 ones): a record is
            # any of what the expression reads, in every slot
            computed = len(over) != 1 or not re.fullmatch(r"\s*[A-Za-z_][\w.]*\s*", rep.get("over", ""))
            cols = rep.get("columns")  # slots in a grid: k at (k % columns, k // columns) × pitch

            def at(k: int) -> tuple[float, float]:
                px, py = rep.get("pitch") or [0, 0]
                return (px * (k % cols), py * (k // cols)) if cols else (px * k, py * k)

            if n is None or pages is None:
                per = rep.get("per_page", 1)
                for j in range(per):
                    self.elements(t.get("slot"), ctx.child(
                        scope={alias: over + [r + "[*]" for r in over]}, origin=at(j), pages=None,
                        extra=tuple(over),
                        label=f"page {t.get('id')} slot {j} (record ?): "))
                return
            start, per, first = rep.get("start", 0) or 0, rep.get("per_page", 1), min(pages)
            for j in range(n):
                k = start + j
                self.elements(t.get("slot"), ctx.child(
                    scope={alias: over + [r + "[*]" for r in over] if computed else [f"{over[0]}[{k}]"]},
                    extra=tuple(over) if computed else (),
                    origin=at(j % per), pages=frozenset({first + j // per}),
                    label=f"page {t.get('id')} slot {j % per} (record {'?' if computed else k}): "))


def places(form_dir: Path, payload: dict, pdf_pages: int, delivery: str | None = None) -> list[Place]:
    return Walker(form_dir, payload).form(pdf_pages, delivery)


def not_printed(form_dir: Path, delivery: str | None) -> set[str]:
    """The JSON paths ("$.a[*].b") a variant leaves out on purpose (its ``not_printed``)."""
    if not delivery:
        return set()
    spec = _yaml(str(form_dir / "form.yaml"))
    v = (spec.get("variants") or {}).get(delivery) or {}
    return set(v.get("not_printed") or {})


# ------------------------------------------------------------------ the PDF, read by poppler

@dataclass
class Char:
    ch: str
    cx: float
    cy: float
    vertical: bool = False
    word: int = 0                 # poppler's word it belongs to


def pdf_chars_poppler(pdf: bytes) -> list[list[Char]]:
    """Per page, every character with its centre (mm from the top left), in poppler's reading order.
    ``pdftotext -bbox-layout`` gives words; a word's characters share its box evenly (along its
    longer side: vertical text is set one character per em downwards)."""
    from pdfcheck import pdftotext

    xml = pdftotext(pdf, "-bbox-layout")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ET.fromstring(xml)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        chars: list[Char] = []
        for wi, w in enumerate(page.iterfind(".//h:word", ns)):
            text = w.text or ""
            if not text:
                continue
            x0, y0, x1, y1 = (float(w.get(k)) * PT for k in ("xMin", "yMin", "xMax", "yMax"))
            n = len(text)
            vertical = n > 1 and (y1 - y0) > 1.5 * (x1 - x0)
            for i, c in enumerate(text):
                if vertical:
                    chars.append(Char(c, (x0 + x1) / 2, y0 + (i + 0.5) * (y1 - y0) / n, True, wi))
                else:
                    chars.append(Char(c, x0 + (i + 0.5) * (x1 - x0) / n, (y0 + y1) / 2, False, wi))
        pages.append(chars)
    return pages


@dataclass
class Run:
    """A word cut to a box: its text and extent (mm); for vertical text, x and y are swapped so
    that lines run along x."""
    text: str
    x0: float
    x1: float
    y: float


def runs_at(chars: list[Char], box, tol: float = 0.6) -> list[Run]:
    """The words (poppler's) whose characters' centres lie in box (x, y, w, h mm) ± tol, cut to
    the characters inside, in reading order: lines top to bottom and each left to right
    (vertical text: columns right to left, each top down)."""
    if box is not None:
        x, y, w, h = box
        chars = [c for c in chars if x - tol <= c.cx <= x + w + tol and y - tol <= c.cy <= y + h + tol]
    words: dict[int, list[Char]] = {}
    for c in chars:
        words.setdefault(c.word, []).append(c)
    vertical = sum(c.vertical for c in chars) * 2 > len(chars)
    across, along = (lambda c: -c.cx, lambda c: c.cy) if vertical else (lambda c: c.cy, lambda c: c.cx)
    lines: list[list[list[Char]]] = []
    for wd in sorted(words.values(), key=lambda wd: across(wd[0])):
        if lines and abs(across(wd[0]) - across(lines[-1][0][0])) <= 1.2:
            lines[-1].append(wd)
        else:
            lines.append([wd])
    out = []
    for line in lines:
        for wd in sorted(line, key=lambda wd: along(wd[0])):
            step = (along(wd[-1]) - along(wd[0])) / max(1, len(wd) - 1) if len(wd) > 1 else 1.0
            out.append(Run("".join(c.ch for c in wd), along(wd[0]) - step / 2, along(wd[-1]) + step / 2,
                           across(wd[0])))
    return out


def text_at(chars: list[Char], box, tol: float = 0.6) -> str:
    return "".join(r.text for r in runs_at(chars, box, tol))


def assembled(want: str, runs: list[Run]) -> bool:
    """want is printed in these runs: inside one, or begun at the end of one and continued at the
    start of runs on the following lines that lie under it (a value wrapped in its cell), other
    text beside it (labels, other cells of the row) skipped."""
    if not want:
        return True
    # numbers and codes are set on one line (they shrink, never wrap) and their words sit close
    # (a space): only text can go on under itself, and be spaced with a full-width space
    wraps = len(want) >= 6 and not re.fullmatch(r"[\d,.\-¥△()]+", want)
    gap = 6.0 if not want.isascii() else 2.0
    for i, r in enumerate(runs):
        if want in r.text:
            return True
        for k in range(len(r.text)):
            if not want.startswith(r.text[k:]):
                continue
            rest, last, lo, hi = want[len(r.text) - k:], r, r.x0, r.x1
            for nxt in runs[i + 1:]:
                if not rest:
                    break
                same_line = abs(nxt.y - last.y) <= 0.3
                if not nxt.text or nxt.y < last.y - 0.3:
                    continue
                if same_line and not (-0.5 <= nxt.x0 - last.x1 < gap):
                    continue  # elsewhere on the line
                if not same_line and not wraps:
                    break
                if not same_line and (nxt.x1 < lo - 0.5 or nxt.x0 > hi + 0.5):
                    continue  # beside the value's column
                if nxt.y > last.y + 12:
                    break
                if rest.startswith(nxt.text):
                    rest, last = rest[len(nxt.text):], nxt
                    lo, hi = min(lo, nxt.x0), max(hi, nxt.x1)
                elif nxt.text.startswith(rest):
                    rest = ""
                elif same_line:
                    continue  # the next cell of the row, close beside a value that wraps in its own
                else:
                    break
            if not rest:
                return True
    return False


_SPACE = re.compile(r"[\s\u3000]+")


def norm(s: str) -> str:
    """Spacing is not compared (poppler writes U+3000 as a space, 均等割付 spreads characters)."""
    return _SPACE.sub("", s)


# ------------------------------------------------------------------ the check

NOT_TEXT = {"form_id", "png_base64", "width_mm", "height_mm"}  # images and their sizes: checked elsewhere


def leaves(obj, path="$"):
    """(JSON path, value) of every printed leaf of a payload (annotations "_…" left out)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.startswith("_") or k in NOT_TEXT:
                continue
            yield from leaves(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from leaves(v, f"{path}[{i}]")
    elif obj is not None and obj != "":
        yield path, obj


def expected(payload: dict, path: str, value) -> list[str] | None:
    """The literal printed text: the sample's ``_printed`` annotation of the path (a string or
    alternatives), else its ``_printed_values`` annotation of the value (``"2015-04-01":
    "平成27年4月1日"``: wherever that value is; ``_printed_values_2`` … when one annotation would
    pass the 4 KB limit of the guard), else the value itself; None for a value encoded in
    a QR Code (checked by decoding the page)."""
    note = payload.get("_printed", {}).get(path)
    if isinstance(note, dict):
        return None if note.get("qr") else ANYWHERE
    raw = value if isinstance(value, str) else json_scalar(value)
    for key in sorted(k for k in payload if k.startswith("_printed_values")):  # _printed_values, _printed_values_2 …
        if note is None:
            note = payload[key].get(raw)
    if note is None:
        return [raw]
    return [note] if isinstance(note, str) else list(note)


ANYWHERE: list[str] = []  # marker: {"anywhere": text} — printed by no element that reads it


def json_scalar(v) -> str:
    return "true" if v is True else "false" if v is False else str(v)


@dataclass
class Miss:
    path: str
    expected: list[str]
    where: list[str] = field(default_factory=list)   # the boxes looked in, with what they hold

    def __str__(self) -> str:
        return f"{self.path} = {self.expected!r} not in " + (" | ".join(self.where) or "any element of form.yaml")


def fmt_box(p: Place) -> str:
    pages = "any page" if p.pages is None else "page " + ",".join(str(i + 1) for i in sorted(p.pages))
    box = "the whole page" if p.box is None else "[" + ", ".join(f"{v:.1f}" for v in p.box) + "]"
    return f"{p.what} {box} on {pages}"


def sample_places(form_dir: Path, payload: dict, pdf: bytes,
                  delivery: str | None = None) -> tuple[list[list[Char]], list[Place]]:
    chars = pdf_chars_poppler(pdf)
    return chars, places(form_dir, payload, len(chars), delivery)


def printed_in(chars: list[list[Char]], place: Place, texts: list[str], tol: float = 0.6) -> tuple[bool, str]:
    """Is one of texts printed in the place? And what the place holds (for the message)."""
    want = [norm(e) for e in texts]
    pages = range(len(chars)) if place.pages is None else [i for i in sorted(place.pages) if i < len(chars)]
    held = []
    for i in pages:
        runs = [Run(norm(r.text), r.x0, r.x1, r.y) for r in runs_at(chars[i], place.box, tol)]
        text = "\x00".join(r.text for r in runs)  # no match across two words: 1 | 700 is not 1700
        if any(w in text or assembled(w, runs) for w in want):
            return True, text
        # an annotation that marks its line breaks with spaces ("鉄骨鉄筋コンク リート造"): its lines
        # in order
        for e in texts:
            pieces = [norm(x) for x in e.split()]
            if len(pieces) > 1:
                at = 0
                for piece in pieces:
                    at = text.find(piece, at)
                    if at < 0:
                        break
                    at += len(piece)
                else:
                    return True, text
        held.append(text.replace("\x00", " "))
    return False, " ".join(held)


def precision(p: Place) -> str:
    return "any_page" if p.pages is None else "region" if p.box is None or "flow" in p.what or " table " in f" {p.what}" else "box"


def check(form_dir: Path, payload: dict, pdf: bytes, tol: float = 0.6, *, delivery: str | None = None,
          also=lambda value: []) -> tuple[list[Miss], dict]:
    """Every leaf of the payload in a box of an element that prints it (of the ``delivery``'s
    layout: a variant's own pages). Returns the misses and counts of how precisely the leaves were
    located (box / region / any_page; qr: decoded elsewhere). ``also(value)``: more forms a value
    may take (a variant's shorter formats)."""
    chars, ps = sample_places(form_dir, payload, pdf, delivery)
    skip = not_printed(form_dir, delivery)
    misses: list[Miss] = []
    stats = {"box": 0, "region": 0, "any_page": 0, "qr": 0, "anywhere": 0}
    for path, value in leaves(payload):
        if re.sub(r"\[\d+\]", "[*]", path) in skip:
            continue
        exp = expected(payload, path, value)
        if exp is not None and exp is not ANYWHERE and delivery:
            exp = [*exp, *also(value)]
        if exp is None:
            stats["qr"] += 1
            continue
        if exp is ANYWHERE:
            # a value no element reads (a total the engine sums, digits inside a barcode's data):
            # the sample says what prints it, and the text is looked for on every page
            text = payload["_printed"][path]["anywhere"]
            stats["anywhere"] += 1
            if not any(norm(text) in norm(text_at(page, None)) for page in chars):
                misses.append(Miss(path, [text], ["the whole document"]))
            continue
        mine = leaf_places(ps, path)
        if not mine:
            misses.append(Miss(path, exp))
            continue
        where = []
        for p in mine:
            ok, held = printed_in(chars, p, exp, tol)
            if ok:
                stats[precision(p)] += 1
                break
            where.append(f"{fmt_box(p)} (holds {held[:60]!r})")
        else:
            misses.append(Miss(path, exp, where))
    return misses, stats
