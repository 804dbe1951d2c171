"""Every element of a laid-out document: box, kind, id, source, block, flow, pages, fitting.

``inspect_layout(form, payload, …)`` lays a payload out with a ``LayoutRecorder`` set (see
``layout.tracing``) and returns an ``Inspection``: per page the boxes of every element (absolute
mm), which are static (drawn once per document: labels, rules, tenant data) and which variable,
the block and flow each belongs to, the file and line that placed it and the key a designer may
move it by; the flow regions; and the warnings per field:

- ``shrunk``: a text printed smaller than its style (to which size);
- ``wrapped``: a one-line field (not a paragraph) broke into several lines;
- ``near_overflow``: 10 % more text would not fit even at ``min_size`` (TEXT_OVERFLOW);
- ``overlap``: two value boxes on one page overlap (as placed, flows included);
- ``overflow``: the layout failed on this element (TEXT_OVERFLOW …): the box is known even then.

Nothing here changes the layout: the recorder only looks (the output is byte-identical).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import LgformsError, TextOverflow
from ..layout.boxes import FormRef, LaidOutPage, TextLine
from ..layout.text import MojiProblems, fit_text
from ..layout.tracing import LAYOUT_TRACE
from ..moji.clusters import split_clusters

NEAR = 0.10  # "within 10 % of overflow": 10 % more text would overflow
OVERLAP_MM = 0.5  # like `lgforms check`: overlaps below this are rules touching, not a problem
# kinds whose boxes hold values (the overlap check); lines, rects and seals overlap by design
VALUE_KINDS = frozenset({"text", "textblock", "grid", "table", "image", "gs1_128", "customer_barcode", "qr",
                         "postcode_boxes", "indicia"})
PARAGRAPH_KINDS = frozenset({"textblock"})  # wrapping is what they do: not a warning


@dataclass(slots=True)
class Fit:
    """One fitted text: where, at which size and in how many lines."""

    text: str
    box: tuple[float, float, float, float]
    path: str | None
    size: float  # pt, as printed
    style_size: float
    min_size: float
    fit: str
    lines: int
    paragraphs: int
    near: bool | None = None  # 10 % more text overflows; None: not checked

    @property
    def shrunk(self) -> bool:
        return self.size < self.style_size - 1e-6

    @property
    def wrapped(self) -> bool:
        return self.lines > self.paragraphs


@dataclass(slots=True)
class Record:
    n: int
    el: Any  # elements.Compiled
    box: tuple[float, float, float, float] | None
    parent: "Record | None"
    items: list = field(default_factory=list)
    fits: list[Fit] = field(default_factory=list)
    failed: bool = False
    children: list["Record"] = field(default_factory=list)


class LayoutRecorder:
    """The recorder ``layout.tracing`` describes. ``check_near`` re-fits each value text with 10 %
    more characters to see whether it would overflow (one more fit per text)."""

    def __init__(self, *, check_near: bool = True):
        self.records: list[Record] = []
        self.stack: list[Record] = []
        self.flows: list[tuple[Any, int]] = []  # (CompiledFlow, pages it took), in layout order
        self.check_near = check_near
        self._probing = False

    # -- the hooks (layout.tracing) ---------------------------------------------------------------
    def enter(self, el, lc) -> Record:
        rec = Record(len(self.records), el, _box_at(el, lc), self.stack[-1] if self.stack else None)
        if rec.parent is not None:
            rec.parent.children.append(rec)
        self.records.append(rec)
        self.stack.append(rec)
        return rec

    def leave(self, rec: Record, items: list, box=None) -> None:
        if box is not None:
            rec.box = tuple(box)
        rec.items = list(items)
        while self.stack:
            if self.stack.pop() is rec:
                break
        if rec.box is None and rec.children:  # a group without a size: what its children take
            boxes = [c.box for c in rec.children if c.box is not None]
            if boxes:
                rec.box = _union(boxes)

    def lay(self, el, value, lc, inner):
        rec = self.enter(el, lc)
        try:
            items = inner(el, value, lc)
        except BaseException:
            rec.failed = True
            if self.stack and self.stack[-1] is rec:
                self.stack.pop()
            raise
        self.leave(rec, items)
        return items

    def flow_pages(self, cf, n: int) -> None:
        self.flows.append((cf, n))

    def fitted(self, text, box, style, stack, path, lines) -> None:
        if self._probing or not text or not self.stack:
            return
        vertical = getattr(style, "writing", "horizontal") == "vertical"
        size = lines[0].size if lines else style.size
        n = len({round(ln.x, 3) for ln in lines}) if vertical else len(lines)
        paragraphs = max(1, sum(1 for p in re.split(r"\r\n|\r|\n", text) if p))
        f = Fit(text, tuple(box), path, size, style.size, style.min_size or style.size, style.fit, n, paragraphs)
        if self.check_near:
            f.near = self._would_overflow(text, box, style, stack)
        self.stack[-1].fits.append(f)

    def _would_overflow(self, text, box, style, stack) -> bool | None:
        clusters = split_clusters(text)
        more = "".join(clusters[:max(1, math.ceil(len(clusters) * NEAR))])
        self._probing = True
        try:
            fit_text(text + more, box, style, stack, path=None, problems=MojiProblems(), allow_ivs_fallback=True)
        except TextOverflow:
            return True
        except LgformsError:
            return None
        finally:
            self._probing = False
        return False

    # -- after the layout -------------------------------------------------------------------------
    def failing(self) -> Record | None:
        """The element a failed layout stopped at (the innermost one)."""
        if self.stack:
            return self.stack[-1]
        for r in self.records:
            if r.failed and not any(c.failed for c in r.children):
                return r
        return None


def _union(boxes):
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def _box_at(el, lc) -> tuple[float, float, float, float] | None:
    """The element's box on the page (mm) where the layout places it now (offsets of slots,
    blocks, groups and flow sections included)."""
    s = el.spec
    off = el.extra.get("offset")
    if off is not None:  # block or group: its origin; a block's size, a group's width × height
        x, y = lc.dx + off[0], lc.dy + off[1]
        size = el.extra.get("size")
        if s.kind == "block" and size:
            return (x, y, float(size[0]), float(size[1]))
        if getattr(s, "width", None) and getattr(s, "height", None):
            return (x, y, float(s.width), float(s.height))
        return None
    try:
        rects = el.kind.rects(s)
    except Exception:  # noqa: BLE001 - a kind without geometry: no box
        return None
    if not rects:
        return None
    x, y, w, h = _union(rects)
    return (x + lc.dx, y + lc.dy, w, h)


# ---------------------------------------------------------------------------------------------
# the form's structure: parents, static parts, flow sections


@dataclass(slots=True)
class Place:
    el: Any
    parent: Any  # Compiled or None
    static: bool
    template: str
    flow: bool  # inside a flow
    section: bool  # a flow section itself


def structure(form) -> dict[int, Place]:
    """id(Compiled) -> where it sits in the form: parent block/group, static or not, flow."""
    out: dict[int, Place] = {}

    def visit(el, parent, static: bool, template: str, flow: bool, section: bool = False) -> None:
        out[id(el)] = Place(el, parent, static, template, flow, section)
        for c in el.extra.get("static_children", ()):
            visit(c, el, True, template, flow)
        for c in el.extra.get("children", ()):
            visit(c, el, static, template, flow)

    def sections(secs, template: str) -> None:
        for sec in secs:
            if sec.el is not None:
                visit(sec.el, None, False, template, True, True)
            sections(sec.sections, template)

    for cp in form.pages:
        t = cp.spec.id
        for lst, static in ((cp.static, True), (cp.slot_static, True), (cp.fields, False), (cp.slot, False)):
            for el in lst:
                visit(el, None, static, t, False)
        if cp.flow is not None:
            sections(cp.flow.sections, t)
    return out


# ---------------------------------------------------------------------------------------------
# the inspection


@dataclass
class Inspection:
    form_id: str
    pages: list[dict]  # {index, template, size, boxes: [...], flows: [...]}
    warnings: list[dict]
    error: dict | None = None  # the failing element of a failed layout: {box, page?, id, …}


def inspect_layout(form, recorder: LayoutRecorder, pages: list[LaidOutPage] | None,
                   error: LgformsError | None = None) -> Inspection:
    """Boxes and warnings from what ``recorder`` saw while ``pages`` were laid out (``pages`` is
    None when the layout failed with ``error``)."""
    places = structure(form)
    form_file = f"{form.folder.name}/form.yaml"
    where = _placements(pages or [])
    recs = recorder.records

    # pages of records that drew nothing (an empty optional value): the nearest record before
    # (else after) that did, or the parent's
    placed: dict[int, list[tuple[int, float, float]]] = {}
    for r in recs:
        seen: list[tuple[int, float, float]] = []
        for it in r.items:
            for p in where.get(id(it), ()):
                if p not in seen:
                    seen.append(p)
        placed[r.n] = seen
    for r in recs:
        if placed[r.n] or pages is None:
            continue
        q = r.parent
        while q is not None and not placed[q.n]:
            q = q.parent
        if q is not None:
            placed[r.n] = [placed[q.n][0]]
            continue
        for k in list(range(r.n - 1, -1, -1)) + list(range(r.n + 1, len(recs))):
            o = recs[k]
            if placed[o.n] and places.get(id(o.el), None) is not None and \
                    _same_run(places.get(id(o.el)), places.get(id(r.el))):
                placed[r.n] = [(placed[o.n][0][0], 0.0, 0.0)]
                break

    out_pages = [{"index": i + 1, "template": p.template, "size": [round(p.size[0], 3), round(p.size[1], 3)],
                  "boxes": [], "flows": []} for i, p in enumerate(pages or [])]
    boxes_by_rec: dict[int, list[dict]] = {}
    for r in recs:
        if r.box is None:
            continue
        info = _describe(r, places, form_file)
        for pi, dx, dy in placed[r.n]:
            x, y, w, h = r.box
            b = {**info, "rid": f"r{r.n}" + (f"@{dx:g},{dy:g}" if dx or dy else ""), "page": pi + 1,
                 "box": [round(x + dx, 2), round(y + dy, 2), round(w, 2), round(h, 2)]}
            if r.fits and r.el.spec.kind in ("grid", "table"):
                b["cells"] = [{"box": [round(f.box[0] + dx, 2), round(f.box[1] + dy, 2), round(f.box[2], 2),
                                       round(f.box[3], 2)], "path": f.path, "outcome": _outcome(f)}
                              for f in r.fits if f.path]
            if len(r.fits) == 1 or (r.fits and r.el.spec.kind not in ("grid", "table")):
                b["outcome"] = _outcome(r.fits[0])
            out_pages[pi]["boxes"].append(b)
            boxes_by_rec.setdefault(r.n, []).append(b)

    # flow regions: the template's first page has `box`, the next ones `next_box`
    by_template: dict[str, list[int]] = {}
    for i, p in enumerate(pages or []):
        by_template.setdefault(p.template, []).append(i)
    runs: dict[str, int] = {}
    for cf, n in recorder.flows:
        t = next((cp.spec.id for cp in form.pages if cp.flow is cf), None)
        if t is None or t not in by_template:
            continue
        first = runs.get(t, 0)
        idx = by_template[t][first:first + n]
        runs[t] = first + n
        for k, pi in enumerate(idx):
            key = "box" if k == 0 else ("next_box" if cf.spec.next_box is not None else "box")
            region = cf.spec.box if k == 0 else (cf.spec.next_box or cf.spec.box)
            out_pages[pi]["flows"].append({"template": t, "key": key, "box": [round(v, 2) for v in region],
                                           "move": {"flow": t, "key": key}})

    warnings = _warnings(recs, boxes_by_rec, places, out_pages)
    err = None
    if error is not None:
        bad = recorder.failing()
        err = {"code": error.code, "message": error.message, "path": error.path}
        if bad is not None and bad.box is not None:
            info = _describe(bad, places, form_file)
            err.update({"element": info, "box": [round(v, 2) for v in bad.box]})
    return Inspection(form.id, out_pages, warnings, err)


def _same_run(a: Place | None, b: Place | None) -> bool:
    return a is not None and b is not None and a.template == b.template and a.flow == b.flow


def _placements(pages: list[LaidOutPage]) -> dict[int, list[tuple[int, float, float]]]:
    """id(primitive) -> [(page index, dx, dy)]: where each drawn thing ended up (a static part's
    items on every page that places it, at each offset: slots repeat theirs)."""
    where: dict[int, list[tuple[int, float, float]]] = {}
    for pi, page in enumerate(pages):
        parts = {sp.name: sp for sp in page.statics}
        for it in page.items:
            if isinstance(it, FormRef):
                sp = parts.get(it.name)
                if sp is not None:
                    for x in sp.items:
                        where.setdefault(id(x), []).append((pi, it.dx, it.dy))
            else:
                where.setdefault(id(it), []).append((pi, 0.0, 0.0))
    return where


def _top(el, places: dict[int, Place], form_file: str):
    """The element of form.yaml that places ``el``: itself, or the block / group it is part of."""
    e = el
    while e is not None:
        src = e.extra.get("source") or (None, None)
        if src[0] == form_file:
            return e
        p = places.get(id(e))
        e = p.parent if p is not None else None
    return None


def _describe(r: Record, places: dict[int, Place], form_file: str) -> dict:
    el = r.el
    s = el.spec
    p = places.get(id(el))
    src = el.extra.get("source") or (None, None)
    block = None
    q = p
    while q is not None and q.parent is not None:
        if q.parent.spec.kind == "block":
            block = {"name": q.parent.extra.get("block"), "id": q.parent.spec.id,
                     "line": (q.parent.extra.get("source") or (None, None))[1]}
            break
        q = places.get(id(q.parent))
    if s.kind == "block":
        block = {"name": el.extra.get("block"), "id": s.id, "line": src[1]}
    static = bool(p.static) if p is not None else False
    info = {"id": s.id, "kind": s.kind, "label": s.id or (el.extra.get("block") if s.kind == "block" else s.kind),
            "static": static, "part": s.kind in ("block", "group"), "block": block,
            "flow": bool(p.flow) if p is not None else False, "source": {"file": src[0], "line": src[1]},
            "where": el.where.split(": ", 1)[-1], "move": _move(el, places, form_file)}
    return info


def _move(el, places: dict[int, Place], form_file: str) -> dict:
    """How a designer moves this element: the form.yaml key (``box`` / ``at`` / ``points``) of
    the element that places it, or why it cannot be moved (its position is the flow's)."""
    top = _top(el, places, form_file)
    if top is None:
        return {"movable": False, "reason": "この要素は様式ファイルの外（ブロック定義）にあります"}
    p = places.get(id(top))
    if p is not None and p.section:
        return {"movable": False, "reason": "フローの区画です。位置はフローが決めます（フロー領域を動かしてください）"}
    s = top.spec
    if s.kind in ("block", "group") or hasattr(s, "at") and getattr(s, "box", None) is None:
        key = "at"
    elif getattr(s, "box", None) is not None:
        key = "box"
    elif getattr(s, "points", None) is not None:
        key = "points"
    else:
        return {"movable": False, "reason": "位置を持たない要素です"}
    src = top.extra.get("source") or (None, None)
    return {"movable": True, "line": src[1], "key": key, "resizable": key in ("box", "points"),
            "target": s.id or s.kind, "self": top is el}


def _outcome(f: Fit) -> dict:
    return {"size": round(f.size, 2), "style_size": f.style_size, "min_size": f.min_size, "lines": f.lines,
            "fit": f.fit, "shrunk": f.shrunk, "wrapped": f.wrapped, "near_overflow": bool(f.near)}


def _warnings(recs: list[Record], boxes_by_rec: dict[int, list[dict]], places: dict[int, Place],
              pages: list[dict]) -> list[dict]:
    out: list[dict] = []
    for r in recs:
        p = places.get(id(r.el))
        if (p is not None and p.static) or not r.fits or r.n not in boxes_by_rec:
            continue
        b = boxes_by_rec[r.n][0]
        kind = r.el.spec.kind
        for f in r.fits:
            base = {"page": b["page"], "rid": b["rid"], "id": b["id"], "label": b["label"], "path": f.path,
                    "source": b["source"], "block": b["block"]}
            if f.shrunk:
                out.append({**base, "kind": "shrunk", "message": f"縮小: {f.style_size:g} pt → {f.size:g} pt"
                                                                 f"（最小 {f.min_size:g} pt）"})
            if f.wrapped and kind not in PARAGRAPH_KINDS:
                out.append({**base, "kind": "wrapped", "message": f"折り返し: {f.lines} 行"})
            if f.near:
                out.append({**base, "kind": "near_overflow",
                            "message": "あふれる寸前: 1割長い値は入りません（TEXT_OVERFLOW）"})
    # overlaps of value boxes on one page, as placed (flows and slots included)
    for pg in pages:
        cand = [b for b in pg["boxes"] if b["kind"] in VALUE_KINDS and not b["static"] and not b["part"]]
        for i in range(len(cand)):
            for j in range(i + 1, len(cand)):
                a, c = cand[i], cand[j]
                ox = min(a["box"][0] + a["box"][2], c["box"][0] + c["box"][2]) - max(a["box"][0], c["box"][0])
                oy = min(a["box"][1] + a["box"][3], c["box"][1] + c["box"][3]) - max(a["box"][1], c["box"][1])
                if ox > OVERLAP_MM and oy > OVERLAP_MM:
                    for x, y in ((a, c), (c, a)):
                        out.append({"page": pg["index"], "rid": x["rid"], "id": x["id"], "label": x["label"],
                                    "path": None, "source": x["source"], "block": x["block"], "kind": "overlap",
                                    "other": y["rid"],
                                    "message": f"重なり: {y['label']} と {ox:.1f} × {oy:.1f} mm"})
    return out


def traced_layout(run, *, check_near: bool = True):
    """Run ``run()`` (a layout) with a recorder set; returns (recorder, result or None, error or
    None). Only LgformsErrors are caught: they are what the designer shows."""
    rec = LayoutRecorder(check_near=check_near)
    token = LAYOUT_TRACE.set(rec)
    try:
        return rec, run(), None
    except LgformsError as e:
        return rec, None, e
    finally:
        LAYOUT_TRACE.reset(token)


__all__ = ["Inspection", "LayoutRecorder", "inspect_layout", "traced_layout", "structure", "TextLine"]
