"""Postal rule checks on laid-out mailpieces (``POSTAL_CONSTRAINT``, naming what and by how much).

Two kinds of checks:

- per form and profile, once (``check_form_profile``): panels and their sizes, finished size,
  weight;
- per laid-out mailpiece: nothing personal on an outer face except the 宛名, nothing printed on
  cut-away paper (``check_mailpiece``, every record); and, on the first mailpiece of a run, the
  marks: 「郵便はがき」 on the postcard body where it shows, 郵便番号枠 position, 料金別納 mark
  position, customer barcode clearance and position (``check_marks``).

"Personal" is any value bound from the payload except the fields a form declares public
(``postal.public_fields``, e.g. the election's name) — tenant and form values never are. The
宛名 are the elements the form lists in ``postal.address_block``.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import PostalConstraint
from ..layout.boxes import (PT, BarsBox, FormRef, ImageBox, LaidOutPage, LineBox, ModuleBars, RectBox,
                            StaticPart, TextLine)
from . import rules
from .fold import Rect, intersect

NON_PERSONAL_ROOTS = frozenset({"tenant", "form", "page", "issue", "slot"})
TOL = 0.3  # mm: touching is not overlapping


def bbox(it: Any) -> Rect | None:
    """Ink extent of a primitive (mm, top-left origin); None for references to static parts."""
    if isinstance(it, TextLine):
        n = len(it.clusters)
        w = it.width + (it.char_spacing * PT * (n - 1) if it.char_spacing and n > 1 else 0.0)
        em = it.size * PT
        return (it.x, it.baseline - 0.88 * em, it.x + w, it.baseline + 0.12 * em)
    if isinstance(it, LineBox):
        h = it.width / 2
        return (min(it.x1, it.x2) - h, min(it.y1, it.y2) - h, max(it.x1, it.x2) + h, max(it.y1, it.y2) + h)
    if isinstance(it, RectBox):
        h = (it.stroke_width or 0.0) / 2
        return (it.x - h, it.y - h, it.x + it.w + h, it.y + it.h + h)
    if isinstance(it, ImageBox):
        return (it.x, it.y, it.x + it.w, it.y + it.h)
    if isinstance(it, BarsBox):
        if not it.rects:
            return None
        return (min(r[0] for r in it.rects), min(r[1] for r in it.rects),
                max(r[0] + r[2] for r in it.rects), max(r[1] + r[3] for r in it.rects))
    if isinstance(it, ModuleBars):
        return (it.x, it.y, it.x + sum(it.widths) * it.module, it.y + it.height)
    if isinstance(it, FormRef):
        return None
    f = getattr(it, "bbox", None)
    return f() if callable(f) else None


def root_of(path: str | None) -> str | None:
    if not path or not path.startswith("$."):
        return None
    head = path[2:]
    for sep in ".[":
        head = head.split(sep, 1)[0]
    return head


def is_personal(it: Any, public: frozenset[str]) -> bool:
    root = root_of(getattr(it, "path", None))
    return root is not None and root not in NON_PERSONAL_ROOTS and root not in public


def inside(r: Rect, outer: Rect, tol: float = 0.5) -> bool:
    return (r[0] >= outer[0] - tol and r[1] >= outer[1] - tol and r[2] <= outer[2] + tol and r[3] <= outer[3] + tol)


def overlaps(a: Rect, b: Rect, tol: float = TOL) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def _fmt(r: Rect) -> str:
    return f"[{r[0]:.1f}, {r[1]:.1f}, {r[2] - r[0]:.1f}, {r[3] - r[1]:.1f}]"


def _what(it: Any) -> str:
    if isinstance(it, TextLine):
        t = it.text
        return f"text {t[:12] + '…' if len(t) > 12 else t!r}"
    return type(it).__name__


_static_bboxes: dict[int, tuple[StaticPart, list[tuple[Any, Rect]]]] = {}


def static_items(page: LaidOutPage) -> Iterable[tuple[Any, Rect]]:
    """(primitive, bbox) of the static parts a page places, shifted where placed."""
    parts: dict[str, StaticPart] = {sp.name: sp for sp in page.statics}
    for it in page.items:
        if isinstance(it, FormRef) and it.name in parts:
            sp = parts[it.name]
            hit = _static_bboxes.get(id(sp))
            if hit is None or hit[0] is not sp:  # keyed by the part object (kept alive here)
                hit = (sp, [(s, b) for s in sp.items if (b := bbox(s)) is not None])
                if len(_static_bboxes) > 10_000:
                    _static_bboxes.clear()
                _static_bboxes[id(sp)] = hit
            for s, b in hit[1]:
                yield s, (b[0] + it.dx, b[1] + it.dy, b[2] + it.dx, b[3] + it.dy)


def all_items(page: LaidOutPage) -> Iterable[tuple[Any, Rect]]:
    yield from static_items(page)
    for it in page.items:
        b = bbox(it)
        if b is not None:
            yield it, b


def personal_outside_address(page: LaidOutPage, address_boxes: list[Rect],
                             public: frozenset[str]) -> Iterable[tuple[Any, Rect]]:
    """Personal items of a page that are not inside a 宛名 box, with their boxes."""
    for it in page.items:
        if not is_personal(it, public):
            continue
        b = bbox(it)
        if b is not None and not any(inside(b, a) for a in address_boxes):
            yield it, b


# -- per mailpiece ------------------------------------------------------------------------------
def check_outer_faces(panel: str, page: LaidOutPage, outer: list[tuple[str, Rect]], address_boxes: list[Rect],
                      public: frozenset[str], *, form_id: str, record: int | None = None) -> None:
    """Nothing personal where the panel shows outside, except inside the 宛名 boxes."""
    if not outer:
        return
    for it, b in personal_outside_address(page, address_boxes, public):
        for face, r in outer:
            hit = intersect(b, r)
            if hit is not None and (hit[2] - hit[0]) * (hit[3] - hit[1]) > TOL * TOL:
                where = "the address face" if panel == "address" else f"the outside ({face} face)"
                raise PostalConstraint(
                    f"{form_id}: panel {panel}: {getattr(it, 'path', '')} ({_what(it)}) at {_fmt(b)} shows on "
                    f"{where} of the folded mailpiece: only the 宛名 may be seen from outside (the visible area "
                    f"there is {_fmt(r)}; {hit[2] - hit[0]:.1f} × {hit[3] - hit[1]:.1f} mm of it is covered)",
                    path=getattr(it, "path", None), form_id=form_id,
                    detail={"panel": panel, "record": record, "bbox_mm": [round(v, 1) for v in b]})


def check_cutouts(panel: str, page: LaidOutPage, cutouts: list[Rect], *, form_id: str) -> None:
    """Nothing printed on paper the finisher cuts away (ずらし加工, holes)."""
    if not cutouts:
        return
    for it, b in all_items(page):
        for c in cutouts:
            if overlaps(b, c):
                over = intersect(b, c)
                raise PostalConstraint(
                    f"{form_id}: panel {panel}: {_what(it)} at {_fmt(b)} is printed on the area {_fmt(c)} that the "
                    f"printer profile cuts away ({over[3] - over[1]:.1f} mm into it)",
                    path=getattr(it, "path", None), form_id=form_id, detail={"panel": panel})


# -- marks (first mailpiece) --------------------------------------------------------------------
def find(page: LaidOutPage, cls_name: str) -> list[Any]:
    """Primitives of a type on a page, in its static parts (page-level, unshifted) or fields."""
    out = [it for sp in page.statics for it in sp.items if type(it).__name__ == cls_name]
    return out + [it for it in page.items if type(it).__name__ == cls_name]


def check_postcard_mark(faces: list[tuple[str, LaidOutPage, list[tuple[str, Rect]]]], face_size: tuple[float, float],
                        *, form_id: str) -> None:
    """「郵便はがき」 on the postcard body, visible from outside, at the top centre or left centre
    (landscape: right centre) of the face (内国郵便約款 第22条)."""
    fw, fh = face_size
    portrait = fh >= fw
    seen: list[str] = []
    for panel, page, outer in faces:
        for text, b in _texts(page):
            if not any(m in text.upper() for m in rules.POSTCARD_MARKS):
                continue
            if not any(inside(b, r, 0.3) for _, r in outer):
                seen.append(f"on panel {panel} at {_fmt(b)}, not visible from outside")
                continue
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            top_ok = abs(cx - fw / 2) <= fw * 0.15 and b[1] <= fh * 0.2
            side_ok = abs(cy - fh / 2) <= fh * 0.15 and (b[0] <= fw * 0.2 if portrait else b[2] >= fw * 0.8)
            if top_ok or side_ok:
                return
            seen.append(f"on panel {panel} at {_fmt(b)}: {abs(cx - fw / 2):.1f} mm off the centre line, "
                        f"{b[1]:.1f} mm from the top")
    side = "left" if portrait else "right"
    raise PostalConstraint(
        f"{form_id}: the postcard body needs 「郵便はがき」 (or POST CARD) at the top centre or the {side} centre "
        f"of the address face, visible from outside; without it the piece is charged as a letter"
        + (f" — found {'; '.join(seen)}" if seen else " — none found"), form_id=form_id)


def _texts(page: LaidOutPage) -> list[tuple[str, Rect]]:
    """The text of each element (its lines or vertical glyphs joined) with its ink extent."""
    out: list[tuple[str, Rect]] = []
    key = None
    for it, b in all_items(page):
        if not isinstance(it, TextLine):
            key = None
            continue
        k = (it.box, it.path)
        if k == key and it.box is not None:
            t, r = out[-1]
            out[-1] = (t + it.text, (min(r[0], b[0]), min(r[1], b[1]), max(r[2], b[2]), max(r[3], b[3])))
        else:
            out.append((it.text, b))
        key = k
    return out


def check_postcode_frame(page: LaidOutPage, face_size: tuple[float, float], *, form_id: str) -> None:
    fw, fh = face_size
    for fr in find(page, "PostcodeFrame"):
        if fw > fh:
            raise PostalConstraint(f"{form_id}: 郵便番号枠 are specified for portrait mail only; this face is "
                                   f"{fw:g} × {fh:g} mm — print the postcode instead", form_id=form_id)
        right = fw - (fr.x + rules.POSTCODE_TOTAL_MM)
        top = fr.y
        t = rules.POSTCODE_TOLERANCE_MM
        probs = []
        if abs(top - rules.POSTCODE_TOP_MM) > t + 1e-6:
            probs.append(f"top {top:.1f} mm (must be {rules.POSTCODE_TOP_MM} ± {t}: off by "
                         f"{abs(top - rules.POSTCODE_TOP_MM) - t:.1f} mm)")
        if abs(right - rules.POSTCODE_RIGHT_MM) > t + 1e-6:
            probs.append(f"right {right:.1f} mm (must be {rules.POSTCODE_RIGHT_MM} ± {t}: off by "
                         f"{abs(right - rules.POSTCODE_RIGHT_MM) - t:.1f} mm)")
        if probs:
            raise PostalConstraint(f"{form_id}: 郵便番号枠 position: {', '.join(probs)}, measured inside the frame "
                                   f"lines from the card's edges", form_id=form_id)


def check_indicia(page: LaidOutPage, face_size: tuple[float, float], sender_boxes: list[Rect], *,
                  form_id: str) -> bool:
    """Mark in the top-left (portrait) / top-right (landscape) zone; an omitted 差出事業所名 needs
    the sender's name and address on the face. Returns whether the face has a mark."""
    fw, fh = face_size
    marks = find(page, "IndiciaMark")
    for m in marks:
        b = m.bbox()
        zw, zh = rules.INDICIA_ZONE_MM
        zone = (0.0, 0.0, zw, zh) if fh >= fw else (fw - zh, 0.0, fw, zw)
        if not inside(b, zone, 0.3):
            dx = max(0.0, b[2] - zone[2], zone[0] - b[0])
            dy = max(0.0, b[3] - zone[3])
            raise PostalConstraint(
                f"{form_id}: the {m.kind} mark at {_fmt(b)} must sit in the "
                f"{'top-left' if fh >= fw else 'top-right'} {zone[2] - zone[0]:g} × {zone[3]:g} mm corner of the face "
                f"(where a stamp goes); it is {max(dx, dy):.1f} mm outside", form_id=form_id)
        if m.office_omitted:
            has_sender = bool(sender_boxes) and any(
                any(inside(bbox(it) or (0, 0, 0, 0), s) for s in sender_boxes)
                for it in page.items if isinstance(it, TextLine))
            if not has_sender:
                raise PostalConstraint(
                    f"{form_id}: the {m.kind} mark has no 差出事業所名 (tenant postal.office is empty); that is allowed "
                    f"only when the sender's name and address are printed on the piece — the form has no sender block "
                    f"on this face (postal.sender_block)", form_id=form_id)
    return bool(marks)


def check_barcode(page: LaidOutPage, face_size: tuple[float, float], *, paid_by_mark: bool, form_id: str,
                  barcode_paths: frozenset[str] | None = None) -> None:
    """Customer barcode: 2 mm clear all round, 10 mm from the edges, outside the postmark area
    unless the piece is 料金別納/後納 (zipmanual p13)."""
    fw, fh = face_size
    bars = [it for it in page.items if isinstance(it, BarsBox)]
    if not bars:
        return
    others = list(all_items(page))
    for bc in bars:
        b = bbox(bc)
        c = rules.BARCODE_CLEAR_MM
        clear = (b[0] - c, b[1] - c, b[2] + c, b[3] + c)
        for it, ob in others:
            if it is bc or isinstance(it, BarsBox) and it is bc:
                continue
            if overlaps(ob, clear, 0.05):
                gap = max(ob[0] - b[2], b[0] - ob[2], ob[1] - b[3], b[1] - ob[3])
                raise PostalConstraint(
                    f"{form_id}: customer barcode at {_fmt(b)} needs {c:g} mm of blank space on every side; "
                    f"{_what(it)} at {_fmt(ob)} is {max(gap, 0.0):.1f} mm away", path=bc.path, form_id=form_id)
        e = rules.BARCODE_EDGE_MM
        edge = min(b[0], b[1], fw - b[2], fh - b[3])
        if edge < e - 1e-6:
            raise PostalConstraint(f"{form_id}: customer barcode at {_fmt(b)} is {edge:.1f} mm from the edge of the "
                                   f"piece; keep {e:g} mm ({e - edge:.1f} mm more)", path=bc.path, form_id=form_id)
        if not paid_by_mark:
            pw, ph = rules.POSTMARK_AREA_MM
            pm = (0.0, 0.0, pw, ph) if fh >= fw else (fw - ph, 0.0, fw, pw)
            if overlaps(b, pm, 0.0):
                raise PostalConstraint(f"{form_id}: customer barcode at {_fmt(b)} lies in the postmark area "
                                       f"{_fmt(pm)} (allowed only on 料金別納/後納 mail)", path=bc.path, form_id=form_id)


# -- window envelopes ---------------------------------------------------------------------------
def check_window_static(address_boxes: list[tuple[str, Rect]], barcode_boxes: list[Rect], safe: Rect,
                        safe_barcode: Rect, window: Rect, shift: tuple[float, float], *, form_id: str,
                        profile_id: str) -> None:
    bad = []
    for name, b in address_boxes:
        if inside(b, safe, 0.0):
            continue
        over = {"left": safe[0] - b[0], "top": safe[1] - b[1], "right": b[2] - safe[2], "bottom": b[3] - safe[3]}
        worst = {k: round(v, 2) for k, v in over.items() if v > 0}
        bad.append({"element": name, "box_mm": [round(v, 1) for v in b], "overhang_mm": worst})
    if bad:
        parts = [f"{x['element']} {_fmt(tuple(x['box_mm']))} sticks out "
                 + ", ".join(f"{v:.1f} mm at the {k}" for k, v in x["overhang_mm"].items()) for x in bad]
        raise PostalConstraint(
            f"{form_id}: the 宛名 is not inside the window of {profile_id} {_fmt(window)} (on the page, after the "
            f"tri-fold) with the insert moving ±{shift[0]:g}/±{shift[1]:g} mm: " + "; ".join(parts),
            form_id=form_id, detail={"elements": bad, "safe_window_mm": [round(v, 1) for v in safe]})
    for b in barcode_boxes:
        if not inside(b, safe_barcode, 0.0):
            raise PostalConstraint(f"{form_id}: the customer barcode {_fmt(b)} must stay 2 mm inside the window "
                                   f"whatever the insert's shift (safe area {_fmt(safe_barcode)})", form_id=form_id)


def check_window_page(page: LaidOutPage, reach: Rect, address_boxes: list[Rect], public: frozenset[str], *,
                      form_id: str, record: int | None = None) -> None:
    """No personal data but the 宛名 within the area the window can show."""
    for it, b in personal_outside_address(page, address_boxes, public):
        if overlaps(b, reach):
            raise PostalConstraint(
                f"{form_id}: {getattr(it, 'path', '')} ({_what(it)}) at {_fmt(b)} can show through the envelope "
                f"window (the window reaches {_fmt(reach)} on the page when the insert moves): only the 宛名 may",
                path=getattr(it, "path", None), form_id=form_id, detail={"record": record})
