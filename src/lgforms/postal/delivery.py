"""The postal stage of the pipeline: laid-out records -> checked mailpieces -> panels or sheets.

``plan_for(form, delivery, profile)`` decides whether a render is postal at all (a delivery kind
was asked for, or the form declares one of ``postcard``, ``pressure-seal-V``, ``pressure-seal-Z``,
``window-envelope``) and checks the form against the printer profile once. ``PostalPlan.write``
then takes the records' laid-out pages, checks each mailpiece and writes:

- ``panels``: one page per logical panel, in the form's order (preview, designer);
- ``sheets``: the imposed sheets, front and back of each mailpiece in duplex order (production).

Window-envelope forms are A4 pages: the plan checks the 宛名 against the envelope's window and
``sheets`` adds fold marks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Literal

from ..errors import LgformsError, PostalConstraint
from ..layout.boxes import LaidOutPage, RectBox
from ..pdf.draw import draw_page, draw_pages
from ..pdf.writer import PdfWriter
from ..spec.loader import FormSpec
from . import checks, rules
from .fold import Affine, Rect
from .impose import Mailpiece, PressureSealImposer, window_fold_marks
from .profiles import (DELIVERIES, PANELS, PrinterProfile, WindowEnvelopeProfile, load_profile,
                       normalize_delivery)

Imposition = Literal["panels", "sheets", "press"]


def _elements_by_id(form: FormSpec) -> dict[str, tuple[str, object, tuple[float, float]]]:
    """element id -> (page template id, compiled element, offset of the block it is in). A block
    placement's id names the whole block (its children's rects)."""
    out: dict[str, tuple[str, object, tuple[float, float]]] = {}

    def walk(page: str, el, dx: float, dy: float) -> None:
        if el.spec.id:
            out.setdefault(el.spec.id, (page, el, (dx, dy)))
        off = el.extra.get("offset")
        if off is not None:
            for child in (*el.extra.get("static_children", ()), *el.extra.get("children", ())):
                walk(page, child, dx + off[0], dy + off[1])

    for cp in form.pages:
        for el in (*cp.static, *cp.fields, *cp.slot_static, *cp.slot):
            walk(cp.spec.id, el, 0.0, 0.0)
    return out


def _expand_block_ids(ids: list[str], els: dict) -> list[str]:
    """A block placement's id stands for its children that have ids (宛名 block -> postcode,
    address, name, barcode), so that each is checked on its own."""
    out: list[str] = []
    for k in ids:
        hit = els.get(k)
        if hit is not None and hit[1].spec.kind in ("block", "group"):
            kids = [c.spec.id for c in (*hit[1].extra.get("static_children", ()), *hit[1].extra.get("children", ()))
                    if c.spec.id]
            if kids:
                out += kids
                continue
        out.append(k)
    return out


def _element_rect(el, off: tuple[float, float] = (0.0, 0.0)) -> Rect | None:
    s = el.spec
    dx, dy = off
    if s.kind in ("block", "group"):
        from ..spec.loader import element_rects

        rs = [r for _, k, r, _ in element_rects(el, dx, dy)]
        if not rs:
            return None
        return (min(r[0] for r in rs), min(r[1] for r in rs), max(r[0] + r[2] for r in rs),
                max(r[1] + r[3] for r in rs))
    box = getattr(s, "box", None)
    if box is not None:
        x, y, w, h = box
        return (x + dx, y + dy, x + dx + w, y + dy + h)
    at = getattr(s, "at", None)
    if at is not None and s.kind == "postcode_boxes":
        lw = max(getattr(s, "line_first", 0.5), getattr(s, "line_last", 0.3))
        return (at[0] + dx - lw, at[1] + dy - lw, at[0] + dx + rules.POSTCODE_TOTAL_MM + lw,
                at[1] + dy + rules.POSTCODE_BOX_MM[1] + lw)
    return None


@dataclass
class PostalPlan:
    form: FormSpec
    delivery: str
    profile: PrinterProfile | WindowEnvelopeProfile
    public: frozenset[str]
    panel_of_template: dict[str, str] = field(default_factory=dict)
    address_boxes: list[Rect] = field(default_factory=list)
    address_named: list[tuple[str, Rect]] = field(default_factory=list)
    sender_boxes: list[Rect] = field(default_factory=list)
    address_template: str | None = None
    outer: dict[str, list[tuple[str, Rect]]] = field(default_factory=dict)
    cutouts: dict[str, list[Rect]] = field(default_factory=dict)
    marks_checked: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_window(self) -> bool:
        return isinstance(self.profile, WindowEnvelopeProfile)

    # -- per record ----------------------------------------------------------------------------
    def mailpiece(self, record: int, pages: list[LaidOutPage]) -> Mailpiece:
        panels: dict[str, LaidOutPage] = {}
        for p in pages:
            panel = self.panel_of_template[p.template]
            if panel in panels:
                raise PostalConstraint(
                    f"{self.form.id}: record {record}: panel {panel} needs a second page (too many entries for one "
                    f"mailpiece); split the record into several mailpieces", form_id=self.form.id,
                    detail={"record": record, "panel": panel})
            panels[panel] = p
        missing = [k for k in PANELS[self.delivery] if k not in panels]
        if missing:
            raise PostalConstraint(f"{self.form.id}: record {record}: no page for panel(s) {', '.join(missing)} "
                                   f"(a page's 'when' was false?)", form_id=self.form.id)
        return Mailpiece(record, panels)

    def check(self, piece: Mailpiece) -> None:
        fid = self.form.id
        for panel, page in piece.panels.items():
            checks.check_cutouts(panel, page, self.cutouts.get(panel, []), form_id=fid)
            checks.check_outer_faces(panel, page, self.outer.get(panel, []),
                                     self.address_boxes if panel == "address" else [], self.public,
                                     form_id=fid, record=piece.record)
        if not self.marks_checked:
            with self.lock:
                self._check_marks(piece)
                self.marks_checked = True

    def _check_marks(self, piece: Mailpiece) -> None:
        p: PrinterProfile = self.profile  # type: ignore[assignment]
        fid = self.form.id
        face = p.finished_size
        addr = piece.panels["address"]
        # the body's faces (the panels printed on the body's paper) carry 「郵便はがき」
        body_front = p.panel_to_front(p.body).rect((0.0, 0.0, *p.panel_size))
        faces = []
        for pl in p.panels:
            r = p.panel_to_front(pl.panel).rect((0.0, 0.0, *p.panel_size))
            if max(abs(a - b) for a, b in zip(r, body_front)) < 0.5:
                to_face = self._face_map(pl.panel)
                page = piece.panels[pl.panel]
                if to_face is not None:
                    page = _mapped(page, to_face)
                    outer = [(f, to_face.rect(r2)) for f, r2 in self.outer.get(pl.panel, [])]
                    faces.append((pl.panel, page, outer))
        checks.check_postcard_mark(faces, face, form_id=fid)
        checks.check_postcode_frame(addr, face, form_id=fid)
        paid = checks.check_indicia(addr, face, self.sender_boxes, form_id=fid)
        checks.check_barcode(addr, face, paid_by_mark=paid, form_id=fid)

    def _face_map(self, panel: str) -> Affine | None:
        """Panel coordinates -> coordinates on the outer face it shows on (None: not outside)."""
        p: PrinterProfile = self.profile  # type: ignore[assignment]
        if panel not in self.outer:
            return None
        f = p.folded()
        side = p.placement(panel).side
        m = p.panel_to_side(panel)
        r = self.outer[panel][0][1]
        pts = [((r[0] + r[2]) / 2, (r[1] + r[3]) / 2)]
        pts += [(pts[0][0] + 0.5, pts[0][1]), (pts[0][0], pts[0][1] + 0.5)]
        loc = [f.locate(side, *m(*q)) for q in pts]
        (_, x0, y0, _), (_, x1, y1, _), (_, x2, y2, _) = loc
        a, b = (x1 - x0) / 0.5, (y1 - y0) / 0.5
        c, d = (x2 - x0) / 0.5, (y2 - y0) / 0.5
        e = x0 - (a * pts[0][0] + c * pts[0][1])
        f_ = y0 - (b * pts[0][0] + d * pts[0][1])
        return Affine(a, b, c, d, e, f_)

    # -- output --------------------------------------------------------------------------------
    def write(self, records: Iterable[tuple[int, list[LaidOutPage]]], w: PdfWriter,
              imposition: Imposition, *, checked: bool = False) -> int:
        """Check and write the records' pages; ``checked``: the window envelope pages were already
        checked, record by record, with ``check_pages`` (the batch checks before it writes, so
        that a rejected record never reaches a part) and are not checked again."""
        if imposition not in ("panels", "sheets", "press"):
            raise PostalConstraint(f"imposition must be 'panels', 'sheets' or 'press', not {imposition!r}")
        if self.is_window:
            return self._write_window(records, w, imposition, checked)
        pieces = self._pieces(records)
        if imposition == "panels":
            order = PANELS[self.delivery]

            def pages() -> Iterator[LaidOutPage]:
                for piece in pieces:
                    for k in order:
                        page = piece.panels[k]
                        for c in self.cutouts.get(k, []):  # preview: paper the finisher cuts away
                            page.items.append(RectBox(c[0], c[1], c[2] - c[0], c[3] - c[1], None, None,
                                                      (0.82, 0.82, 0.82)))
                        yield page

            return draw_pages(pages(), w)
        if imposition == "press":
            return self.press_imposer().write(list(pieces), w)[0]
        return self.sheet_imposer().write(pieces, w)

    def sheet_imposer(self) -> PressureSealImposer:
        """One mailpiece per sheet (built once per plan: the panel matrices and marks)."""
        hit = getattr(self, "_sheet_imposer", None)
        if hit is None:
            hit = self._sheet_imposer = PressureSealImposer(self.profile)  # type: ignore[arg-type]
        return hit

    def press_imposer(self):
        """N-up on press sheets, as the profile's ``press`` section says (POSTAL_CONSTRAINT without one)."""
        from .press import PressImposer

        hit = getattr(self, "_press_imposer", None)
        if hit is None:
            hit = self._press_imposer = PressImposer(self.profile)  # type: ignore[arg-type]
        return hit

    def _pieces(self, records: Iterable[tuple[int, list[LaidOutPage]]]) -> Iterator[Mailpiece]:
        for i, pages in records:
            piece = self.mailpiece(i, pages)
            try:
                self.check(piece)
            except LgformsError as e:
                e.detail.setdefault("record", i)
                raise
            yield piece

    def check_pages(self, pages: list[LaidOutPage], record: int = 0) -> None:
        """All checks of one record's laid-out pages, without writing (``lgforms validate``)."""
        if self.is_window:
            first = [p for p in pages if p.template == self.address_template][:1]
            for p in first:
                checks.check_window_page(p, self.profile.reach(), self.address_boxes, self.public,
                                         form_id=self.form.id, record=record)
            return
        piece = self.mailpiece(record, pages)
        self.check(piece)
        self._check_marks(piece)

    def _write_window(self, records: Iterable[tuple[int, list[LaidOutPage]]], w: PdfWriter,
                      imposition: Imposition, checked: bool = False) -> int:
        prof: WindowEnvelopeProfile = self.profile  # type: ignore[assignment]
        reach = prof.reach()
        n = 0
        for i, pages in records:
            if not checked:
                self.check_pages(pages, i)
            for p in pages:
                w.set_page_size(*p.size)
                draw_page(p, w)
                if imposition == "sheets" and prof.marks.fold:
                    window_fold_marks(w, p.size, prof.folds_at)
                w.show_page()
                n += 1
        return n


def _mapped(page: LaidOutPage, m: Affine) -> LaidOutPage:
    """A page whose primitives' boxes are seen through ``m`` (for position checks only: text
    lines are moved, shapes keep their type)."""
    if m.linear == (1, 0, 0, 1) and abs(m.e) < 1e-6 and abs(m.f) < 1e-6:
        return page
    from ..layout.boxes import TextLine

    items = []
    for it, b in checks.all_items(page):  # static parts included (「郵便はがき」 is usually static)
        if isinstance(it, TextLine):
            x0, y0, x1, _ = m.rect(b)
            em = it.size * 25.4 / 72
            items.append(TextLine(x0, y0 + 0.88 * em, it.size, it.clusters, it.glyphs, x1 - x0, 0.0, it.h_scale,
                                  it.color, it.path, it.box))
    return LaidOutPage(page.size, [], items, page.template, page.number)


POSTAL_KINDS = frozenset(DELIVERIES)


def resolve_profile(form: FormSpec, delivery: str | None = None, profile=None):
    """(delivery kind, printer profile) of a postal render: the ones asked for, else the form's
    declared delivery and its default profile, else the shipped default of the delivery kind."""
    declared = form.delivery
    d = normalize_delivery(delivery) or (normalize_delivery(declared) if profile is None else None)
    if profile is None and form.postal is not None and form.postal.profile and \
            (delivery is None or normalize_delivery(delivery) == normalize_delivery(declared)):
        profile = form.postal.profile
    prof = load_profile(profile, d)
    return (d or prof.delivery), prof


def plan_for(form: FormSpec, delivery: str | None = None, profile=None) -> PostalPlan | None:
    """The postal plan of a render, or None when the render is not postal."""
    if delivery is None and profile is None and form.delivery not in POSTAL_KINDS:
        return None  # counter forms, and forms that name a mail kind only descriptively
    d, prof = resolve_profile(form, delivery, profile)
    if d not in POSTAL_KINDS:
        raise PostalConstraint(f"unknown delivery {d!r} (known: {', '.join(DELIVERIES)})")
    if prof.delivery != d:
        raise PostalConstraint(f"printer profile {prof.id} is for {prof.delivery}, not {d}")
    # cached with the form (its static cache lives as long as the loaded form does)
    key = ("postal-plan", d, prof.model_dump_json())
    hit = form.static_cache.get(key)
    if hit is not None:
        return hit
    plan = _make_plan(form, d, prof)
    with form.lock:
        form.static_cache[key] = plan
    return plan


@dataclass(frozen=True, slots=True)
class StructureProblem:
    """A mistake in a mailed layout that no printer profile can fix, and where the author wrote it:
    ``at`` is ``"address_block"`` or ``"sender_block"`` (``index``: the list item, None: the
    list), ``"page"`` (``index``: the page) or ``"pages"`` (the page list)."""

    at: Literal["address_block", "sender_block", "page", "pages"]
    index: int | None
    message: str
    of_panels: bool = False  # about which panels there are (a render checks the panels' size first)


def structure_problems(form: FormSpec, d: str) -> list[StructureProblem]:
    """What the layout ``form`` gets wrong for the delivery ``d`` whatever the printer profile:
    the 宛名 and 差出人 blocks name elements of the form, the 宛名 is on one page, and (panel
    deliveries) every page is a panel, every panel is there, the 宛名 is on the address panel.
    The loader reports these with their file and line (``lgforms check``); a render for another
    delivery than the layout's own finds them here (``_make_plan``)."""
    ps = form.postal
    els = _elements_by_id(form)
    out: list[StructureProblem] = []
    given = list(ps.address_block) if ps and ps.address_block else []
    ids = _expand_block_ids(given or [k for k in els if k.startswith("atena_")], els)
    missing = [k for k in ids if k not in els]
    if missing or not ids:
        index = given.index(missing[0]) if missing and missing[0] in given else None
        out.append(StructureProblem("address_block", index, f"the 宛名 block names no element"
                                    f"{'s ' + ', '.join(missing) if missing else ''} (postal.address_block lists "
                                    f"element ids)"))
        return out  # what follows is about the 宛名 elements
    templates = sorted({els[k][0] for k in ids})
    if len(templates) != 1:
        out.append(StructureProblem("address_block", None, f"the 宛名 elements are spread over pages {templates}"))
    sender = list(ps.sender_block) if ps else []
    for i, k in enumerate(sender):
        for kid in _expand_block_ids([k], els):
            if kid not in els:
                out.append(StructureProblem("sender_block", i, f"postal.sender_block names {kid!r}, which is no "
                                                               f"element id"))
    if d == "window-envelope":
        return out
    want = PANELS[d]
    panel_of: dict[str, str] = {}
    for i, cp in enumerate(form.pages):
        if cp.spec.panel is None:
            out.append(StructureProblem("page", i, f"page {cp.spec.id!r} has no 'panel' ({d} lays out panels "
                                                   f"{', '.join(want)})"))
        else:
            panel_of[cp.spec.id] = cp.spec.panel
    if len(panel_of) < len(form.pages):
        return out
    # several templates may give the same panel under different 'when's: one page per panel per
    # record is checked for each mailpiece
    got = sorted(set(panel_of.values()))
    if got != sorted(want):
        out.append(StructureProblem("pages", None, f"the form lays out panels {got}; {d} needs {sorted(want)}",
                                    of_panels=True))
    if len(templates) == 1 and panel_of[templates[0]] != "address":
        out.append(StructureProblem("address_block", None, f"the 宛名 block is on panel {panel_of[templates[0]]}, "
                                                           f"not on the address panel", of_panels=True))
    return out


def _make_plan(form: FormSpec, d: str, prof) -> PostalPlan:
    fid = form.id
    problems = structure_problems(form, "window-envelope" if isinstance(prof, WindowEnvelopeProfile) else d)
    for p in problems:
        if not p.of_panels:
            raise PostalConstraint(f"{fid}: {p.message}", form_id=fid)
    ps = form.postal
    public = frozenset(ps.public_fields) if ps else frozenset()
    plan = PostalPlan(form, d, prof, public)
    els = _elements_by_id(form)
    ids = list(ps.address_block) if ps and ps.address_block else [k for k in els if k.startswith("atena_")]
    ids = _expand_block_ids(ids, els)
    plan.address_template = els[ids[0]][0]
    for k in ids:
        r = _element_rect(els[k][1], els[k][2])
        if r is not None:
            plan.address_named.append((k, r))
            plan.address_boxes.append(r)
    for k in _expand_block_ids(list(ps.sender_block) if ps else [], els):
        r = _element_rect(els[k][1], els[k][2])
        if r is not None:
            plan.sender_boxes.append(r)

    if isinstance(prof, WindowEnvelopeProfile):
        _check_window_plan(plan, form, els, ids)
        return plan

    # panel forms: every page template is one panel (structure_problems), of the profile's size
    pw, ph = prof.panel_size
    for cp in form.pages:
        plan.panel_of_template[cp.spec.id] = cp.spec.panel
        if abs(cp.size[0] - pw) > 0.5 or abs(cp.size[1] - ph) > 0.5:
            raise PostalConstraint(f"{fid}: panel {cp.spec.panel} is {cp.size[0]:g} × {cp.size[1]:g} mm; printer "
                                   f"profile {prof.id} places {pw:g} × {ph:g} mm panels", form_id=fid)
    if problems:  # only those about which panels there are are left
        raise PostalConstraint(f"{fid}: {problems[0].message}", form_id=fid)
    problem = rules.postcard_size_problem(*prof.finished_size)
    if problem:
        raise PostalConstraint(f"{fid}: the folded mailpiece ({prof.finished_size[0]:g} × {prof.finished_size[1]:g} mm, "
                               f"profile {prof.id}) is not postcard size: {problem}", form_id=fid)
    g, how = prof.weight_g()
    lo, hi = rules.POSTCARD_WEIGHT_G
    if g > hi + 1e-9:
        raise PostalConstraint(f"{fid}: the mailpiece weighs {g:.2f} g ({how}), {g - hi:.2f} g over the {hi:g} g "
                               f"postcard limit — use lighter stock in printer profile {prof.id}", form_id=fid,
                               detail={"weight_g": round(g, 3), "limit_g": hi})
    if g < lo - 1e-9:
        raise PostalConstraint(f"{fid}: the mailpiece weighs {g:.2f} g ({how}), {lo - g:.2f} g under the {lo:g} g "
                               f"postcard minimum", form_id=fid, detail={"weight_g": round(g, 3), "limit_g": lo})
    if prof.body_min_g is not None and prof.body_weight_g() < prof.body_min_g - 1e-9:
        bw = prof.body_weight_g()
        raise PostalConstraint(f"{fid}: the postcard body ({prof.body}) alone weighs {bw:.2f} g, "
                               f"{prof.body_min_g - bw:.2f} g under the {prof.body_min_g:g} g printer profile "
                               f"{prof.id} requires", form_id=fid, detail={"body_weight_g": round(bw, 3)})
    plan.outer = prof.outer_rects()
    plan.cutouts = {pl.panel: prof.cutouts_in_panel(pl.panel) for pl in prof.panels}
    return plan


def _check_window_plan(plan: PostalPlan, form: FormSpec, els, ids) -> None:
    prof: WindowEnvelopeProfile = plan.profile  # type: ignore[assignment]
    w, h = prof.window[2:]
    mw, mh = rules.WINDOW_MIN_MM
    if max(w, h) < mw - 1e-6 or min(w, h) < mh - 1e-6:
        raise PostalConstraint(f"window-envelope profile {prof.id}: an address window is at least {mw:g} × {mh:g} mm, "
                               f"not {w:g} × {h:g}")
    cp = next(c for c in form.pages if c.spec.id == plan.address_template)
    if abs(cp.size[0] - prof.page[0]) > 0.5 or abs(cp.size[1] - prof.page[1]) > 0.5:
        raise PostalConstraint(f"{form.id}: page {cp.spec.id} is {cp.size[0]:g} × {cp.size[1]:g} mm; the envelope "
                               f"profile {prof.id} takes {prof.page[0]:g} × {prof.page[1]:g} mm inserts", form_id=form.id)
    barcodes = [r for k, r in plan.address_named if els[k][1].spec.kind == "customer_barcode"]
    # the barcode's box includes its 2 mm quiet zone; the bars must stay 2 mm from the window frame
    bars = [(r[0] + 2.0, r[1], r[2] - 2.0, r[3]) for r in barcodes]
    checks.check_window_static(plan.address_named, [(b[0], b[1], b[2], b[3]) for b in bars],
                               prof.safe(), prof.safe(rules.BARCODE_CLEAR_MM), prof.window_on_page, prof.shift,
                               form_id=form.id, profile_id=prof.id)
