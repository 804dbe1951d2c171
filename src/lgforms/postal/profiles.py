"""Printer profiles: how a press lays the logical panels of a mailpiece on a sheet.

Presses differ (sheet size, feed direction, which way the duplex unit turns the sheet, fold
machine), so none of this is in the form: a form lays out *logical panels* (``address``,
``back``, ``inner_…``) at their reading orientation, and a profile says where each one goes on
the front or back of the unfolded sheet, rotated how, and how the sheet is folded. One default
profile ships per delivery kind (``profiles/*.yaml``); a municipality's printer supplies its own
file with the same keys.

```yaml
id: pressure-seal-V
delivery: pressure-seal-V
panel_size: [105, 148]      # logical panel = finished mailpiece, mm, upright
sheet: [210, 148]           # unfolded, trimmed sheet
flip: horizontal            # the back page is the sheet turned over about its vertical axis
panels:                     # where each panel goes (top-left on that side's view), rotated clockwise
  - {panel: address, side: front, at: [105, 0], rotate: 0}
  ...
folds:                      # in order; "at" in the current (partly folded) coordinates
  - {axis: x, at: 105, moving: low, direction: under}
body: address               # the panel whose paper is the postcard proper (「郵便はがき」)
paper: {weight_gsm: 150, sealant_gsm: 0}
bleed: 0
marks: {crop: false, fold: false}
```

Loading a profile folds it (``lgforms.postal.fold``) and rejects it unless the address panel ends
up wholly on an outer face, upright, the back panel on the other outer face, upright when the
piece is turned over like a page, and every inner panel upright when its spread is opened.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import PostalConstraint
from .fold import Affine, Folded, FoldStep, Rect, area, intersect, place, subtract_all, turn_over

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"

PANELS: dict[str, tuple[str, ...]] = {
    "postcard": ("address", "back"),
    "pressure-seal-V": ("address", "back", "inner_left", "inner_right"),
    "pressure-seal-Z": ("address", "back", "inner_1", "inner_2", "inner_3", "inner_4"),
}
DELIVERIES = (*PANELS, "window-envelope")
LEGACY = {"mail-window-envelope": "window-envelope", "pressure-seal": "pressure-seal-V"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Placement(_Model):
    panel: str
    side: Literal["front", "back"]
    at: tuple[float, float]
    rotate: Literal[0, 90, 180, 270] = 0


class Fold(_Model):
    axis: Literal["x", "y"]
    at: float
    moving: Literal["low", "high"]
    direction: Literal["over", "under"]


class Paper(_Model):
    weight_gsm: float = Field(gt=0)  # g/m² of the stock
    sealant_gsm: float = Field(0.0, ge=0)  # pressure-seal varnish/film per printed side that is sealed


class Marks(_Model):
    crop: bool = False
    fold: bool = False


class Press(_Model):
    """N-up imposition on a production press: several mailpieces' sheets on one press sheet.

    The trimmed sheets sit in a grid of ``grid`` (columns, rows) with ``gutter`` (mm) between
    them, centred on the press sheet; crop marks stand outside the grid at every cut line. The
    back of the press sheet is the front turned over as the profile's ``flip`` says, so each
    mailpiece's back lands behind its front. ``order``: ``cut-stack`` puts piece i of a file on
    sheet i mod S, cell i div S (S sheets): cut the stack, pile the cells' stacks in cell order
    and the pieces are back in sequence (mail-sort order survives); ``row`` fills sheet by sheet."""

    sheet: tuple[float, float]
    grid: tuple[int, int]
    gutter: tuple[float, float] = (0.0, 0.0)
    order: Literal["cut-stack", "row"] = "cut-stack"
    crop_marks: bool = True


class PrinterProfile(_Model):
    id: str
    delivery: Literal["postcard", "pressure-seal-V", "pressure-seal-Z"]
    description: str = ""
    panel_size: tuple[float, float]
    sheet: tuple[float, float]
    flip: Literal["horizontal", "vertical"] = "horizontal"
    panels: list[Placement]
    folds: list[Fold] = []
    cutouts: list[tuple[float, float, float, float]] = []  # x, y, w, h on the front (ずらし, holes)
    body: str = "address"
    # some printers' guides (mailsealer.com) say the body alone must weigh ≥ 2 g; Japan Post's
    # 約款 text at hand states 2–6 g for the item only, so this is opt-in (grams, or None)
    body_min_g: float | None = None
    paper: Paper
    bleed: float = Field(0.0, ge=0, le=10)
    marks: Marks = Marks()
    press: Press | None = None

    @model_validator(mode="after")
    def _panels(self) -> "PrinterProfile":
        want = set(PANELS[self.delivery])
        got = [p.panel for p in self.panels]
        if sorted(got) != sorted(want):
            raise ValueError(f"{self.delivery} has panels {sorted(want)}; the profile places {sorted(got)}")
        if self.body not in want:
            raise ValueError(f"body {self.body!r} is not a panel")
        return self

    # -- geometry -----------------------------------------------------------------------------
    def placement(self, panel: str) -> Placement:
        return next(p for p in self.panels if p.panel == panel)

    def panel_to_side(self, panel: str) -> Affine:
        """Panel coordinates -> coordinates of its side's view (mm, top-left, y down)."""
        p = self.placement(panel)
        return place(*self.panel_size, p.at, p.rotate)

    def panel_rect(self, panel: str) -> Rect:
        """The panel's rectangle on its side (side view coordinates)."""
        return self.panel_to_side(panel).rect((0.0, 0.0, *self.panel_size))

    def panel_to_front(self, panel: str) -> Affine:
        m = self.panel_to_side(panel)
        if self.placement(panel).side == "back":
            m = turn_over(*self.sheet, self.flip) @ m
        return m

    @property
    def cutout_rects(self) -> list[Rect]:
        return [(x, y, x + w, y + h) for x, y, w, h in self.cutouts]

    def cutouts_in_panel(self, panel: str) -> list[Rect]:
        """Cut-outs (no paper) in panel coordinates."""
        inv = self.panel_to_front(panel).inverse()
        out = []
        for c in self.cutout_rects:
            r = intersect(self.panel_to_front(panel).rect((0.0, 0.0, *self.panel_size)), c)
            if r is not None:
                out.append(inv.rect(r))
        return out

    def folded(self) -> Folded:
        fronts = [self.panel_rect(p.panel) for p in self.panels if p.side == "front"]
        f = Folded.sheet(*self.sheet, flip=self.flip, cutouts=self.cutout_rects, pieces=fronts)
        for s in self.folds:
            f = f.fold(FoldStep(s.axis, s.at, s.moving, s.direction))
        return f

    @property
    def finished_size(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.folded().bounds
        return (x1 - x0, y1 - y0)

    @property
    def plies(self) -> int:
        return len(self.folds) + 1

    def weight_g(self) -> tuple[float, str]:
        """Weight of one mailpiece from the paper weight × the paper area (all plies, cut-outs
        removed) + sealant on the sealed faces, and how it was computed."""
        w, h = self.sheet
        paper_m2 = area(subtract_all([(0.0, 0.0, w, h)], self.cutout_rects)) / 1e6
        sealed_faces = 2 * len(self.folds)  # each fold seals two printed faces together
        panel_m2 = self.panel_size[0] * self.panel_size[1] / 1e6
        g = paper_m2 * self.paper.weight_gsm + sealed_faces * panel_m2 * self.paper.sealant_gsm
        how = (f"{self.paper.weight_gsm:g} g/m² × {paper_m2 * 1e4:.1f} cm² of paper ({self.plies} "
               f"{'plies' if self.plies > 1 else 'ply'})")
        if self.paper.sealant_gsm:
            how += f" + sealant {self.paper.sealant_gsm:g} g/m² on {sealed_faces} faces"
        return g, how

    def body_weight_g(self) -> float:
        """Weight of the body's paper alone (its panel, cut-outs removed)."""
        r = self.panel_to_front(self.body).rect((0.0, 0.0, *self.panel_size))
        return area(subtract_all([r], self.cutout_rects)) / 1e6 * self.paper.weight_gsm

    def outer_rects(self) -> dict[str, list[tuple[str, Rect]]]:
        """Per panel: (face, rect in panel coordinates) of every part visible from outside."""
        return _outer_rects(self)

    def faces(self) -> dict[str, str]:
        """The outer face ("top"/"bottom") each outer panel shows on."""
        out: dict[str, str] = {}
        for panel, parts in self.outer_rects().items():
            for face, _ in parts:
                out.setdefault(panel, face)
        return out


@functools.lru_cache(maxsize=64)
def _outer_rects_cached(profile_json: str) -> dict[str, list[tuple[str, Rect]]]:
    p = PrinterProfile.model_validate_json(profile_json)
    f = p.folded()
    out: dict[str, list[tuple[str, Rect]]] = {}
    for face in ("top", "bottom"):
        for _fr, side, r in f.visible(face):
            for pl in p.panels:
                if pl.side != side:
                    continue
                to_front = p.panel_to_front(pl.panel)
                hit = intersect(to_front.rect((0.0, 0.0, *p.panel_size)), r)
                if hit is not None:
                    out.setdefault(pl.panel, []).append((face, to_front.inverse().rect(hit)))
    return out


def _outer_rects(p: PrinterProfile) -> dict[str, list[tuple[str, Rect]]]:
    return _outer_rects_cached(p.model_dump_json())


def check_profile(p: PrinterProfile, where: str) -> None:
    """Fold the sheet and check that the panels land where a mailpiece needs them."""
    pw, ph = p.panel_size
    sw, sh = p.sheet
    for pl in p.panels:
        r = p.panel_rect(pl.panel)
        if r[0] < -1e-6 or r[1] < -1e-6 or r[2] > sw + 1e-6 or r[3] > sh + 1e-6:
            raise PostalConstraint(f"{where}: panel {pl.panel} at {list(pl.at)} rotated {pl.rotate}° "
                                   f"({r[2] - r[0]:g} × {r[3] - r[1]:g} mm) does not fit the {sw:g} × {sh:g} mm sheet")
    for side in ("front", "back"):
        pls = [pl for pl in p.panels if pl.side == side]
        for i, a in enumerate(pls):
            for b in pls[i + 1:]:
                o = intersect(p.panel_rect(a.panel), p.panel_rect(b.panel))
                if o is not None:
                    raise PostalConstraint(f"{where}: panels {a.panel} and {b.panel} overlap on the {side} by "
                                           f"{o[2] - o[0]:g} × {o[3] - o[1]:g} mm")
        rs = [p.panel_rect(pl.panel) for pl in pls]
        if abs(area(rs) - sw * sh) > 1:
            raise PostalConstraint(f"{where}: the {side} panels do not tile the sheet")
    try:
        f = p.folded()
    except ValueError as e:
        raise PostalConstraint(f"{where}: {e}") from None
    x0, y0, x1, y1 = f.bounds
    if abs((x1 - x0) - pw) > 0.5 or abs((y1 - y0) - ph) > 0.5:
        raise PostalConstraint(f"{where}: folding the {sw:g} × {sh:g} mm sheet gives {x1 - x0:g} × {y1 - y0:g} mm, "
                               f"not the {pw:g} × {ph:g} mm panel size")
    outer = p.outer_rects()
    cut = {pl.panel: area(p.cutouts_in_panel(pl.panel)) for pl in p.panels}
    full = pw * ph

    def coverage(panel: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for face, r in outer.get(panel, []):
            out[face] = out.get(face, 0.0) + area([r])
        return out

    addr = coverage("address")
    face = max(addr, key=addr.get) if addr else None
    if face is None or addr[face] < full - cut["address"] - 1:
        raise PostalConstraint(f"{where}: after folding, the address panel is not wholly on an outer face "
                               f"({(addr.get(face, 0) if face else 0) / full:.0%} visible)")
    if "back" in PANELS[p.delivery]:
        other = "bottom" if face == "top" else "top"
        back = coverage("back")
        if back.get(other, 0.0) < full - cut["back"] - 1:
            raise PostalConstraint(f"{where}: after folding, the back panel is not wholly on the other outer face")
    for pl in p.panels:
        u = _upright(p, f, pl.panel)
        if u is not None:
            raise PostalConstraint(f"{where}: panel {pl.panel} {u}; change its rotate")


def _upright(p: PrinterProfile, f: Folded, panel: str) -> str | None:
    """None if the panel reads upright where it is read: outer panels on their face after folding,
    inner panels on the unfolded sheet (the spread as opened)."""
    pl = p.placement(panel)
    m = p.panel_to_side(panel)
    pw, ph = p.panel_size
    cuts = p.cutouts_in_panel(panel)
    pts = [(pw * a, ph * b) for a in (0.25, 0.5, 0.75) for b in (0.3, 0.5, 0.7)]
    pts = [q for q in pts if not any(c[0] <= q[0] <= c[2] and c[1] <= q[1] <= c[3] for c in cuts)]
    x, y = m(*pts[0])
    right, down = m.vec(1, 0), m.vec(0, 1)
    if panel in ("address", "back"):
        where = f.locate(pl.side, x, y)
        if where is None or where[0] == "inside":
            return "is not on an outer face"
        r = f.orientation(pl.side, x, y, *right)
        d = f.orientation(pl.side, x, y, *down)
        if (round(r[0]), round(r[1]), round(d[0]), round(d[1])) != (1, 0, 0, 1):
            return f"reads {_describe(r, d)} on its face"
        return None
    # an inner panel is read when its spread is opened: the reader holds the piece address face up
    # and lifts the layers nearer to it; the farther layer of the sealed pair stays where it lies
    # and the opened spread lies flat in that layer's frame
    ap = p.placement("address")
    am = p.panel_to_side("address")
    aw = f.locate(ap.side, *am(pw / 2, ph * 0.8))
    face = aw[0] if aw else "top"
    fx, fy = (x, y) if pl.side == "front" else turn_over(*p.sheet, p.flip)(x, y)
    fr = f.fragment_of(fx, fy)
    if fr is None:
        return "lies on a cut-out"
    layers = sorted(f.layers_at(*fr.m(fx, fy)), key=lambda g: g.z)
    i = next(k for k, g in enumerate(layers) if g is fr)
    faces_up = fr.up if pl.side == "front" else not fr.up
    j = i + 1 if faces_up else i - 1
    if not 0 <= j < len(layers):
        return "is on an outer face, not inside"
    partner = layers[j]
    near_top = face == "top"
    lower = min(fr, partner, key=lambda g: g.z) if near_top else max(fr, partner, key=lambda g: g.z)
    v = f.view(face)
    to_front = turn_over(*p.sheet, p.flip) if pl.side == "back" else Affine()
    lin = v @ lower.m @ to_front @ m
    r, d = lin.vec(1, 0), lin.vec(0, 1)
    if (round(r[0]), round(r[1]), round(d[0]), round(d[1])) != (1, 0, 0, 1):
        return f"reads {_describe(r, d)} when its spread is opened"
    return None


def _describe(r: tuple[float, float], d: tuple[float, float]) -> str:
    key = (round(r[0]), round(r[1]), round(d[0]), round(d[1]))
    return {(0, 1, -1, 0): "turned 90° clockwise", (-1, 0, 0, -1): "upside down",
            (0, -1, 1, 0): "turned 90° anticlockwise"}.get(key, "mirrored")


class WindowEnvelopeProfile(_Model):
    """A window envelope and how the folded A4 insert sits in it (all mm).

    ``window`` is on the envelope's address face as used (x, y from its top-left, w, h);
    ``insert_at`` is the nominal top-left of the folded insert in the envelope; ``shift`` is how far
    the insert may move each way. The insert's top third (page y 0–``panel``) faces the window,
    upright. A window is checked to keep the 宛名 inside and everything else personal outside.
    """

    id: str
    delivery: Literal["window-envelope"] = "window-envelope"
    description: str = ""
    envelope: tuple[float, float]
    window: tuple[float, float, float, float]
    insert: tuple[float, float] = (210.0, 99.0)
    insert_at: tuple[float, float]
    shift: tuple[float, float] = (3.0, 3.0)
    page: tuple[float, float] = (210.0, 297.0)
    folds_at: list[float] = [99.0, 198.0]  # tri-fold lines on the page (y, mm)
    paper: Paper = Paper(weight_gsm=64.0)
    marks: Marks = Marks()

    @property
    def window_on_page(self) -> Rect:
        x, y, w, h = self.window
        ix, iy = self.insert_at
        return (x - ix, y - iy, x - ix + w, y - iy + h)

    def safe(self, margin: float = 0.0) -> Rect:
        """Page area that stays inside the window however the insert moves (less ``margin``)."""
        x0, y0, x1, y1 = self.window_on_page
        sx, sy = self.shift
        return (x0 + sx + margin, y0 + sy + margin, x1 - sx - margin, y1 - sy - margin)

    def reach(self) -> Rect:
        """Page area that may show through the window when the insert moves."""
        x0, y0, x1, y1 = self.window_on_page
        sx, sy = self.shift
        return (x0 - sx, y0 - sy, x1 + sx, y1 + sy)


Profile = PrinterProfile | WindowEnvelopeProfile


def normalize_delivery(delivery: str | None) -> str | None:
    if delivery is None:
        return None
    return LEGACY.get(delivery, delivery)


@functools.lru_cache(maxsize=32)
def _load(path: str) -> Profile:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise PostalConstraint(f"cannot read printer profile {Path(path).name}: {e}") from None
    if not isinstance(raw, dict):
        raise PostalConstraint(f"printer profile {Path(path).name} must be a mapping")
    cls = WindowEnvelopeProfile if raw.get("delivery") == "window-envelope" else PrinterProfile
    try:
        prof = cls.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise PostalConstraint(f"printer profile {Path(path).name}: {loc}: {err['msg']}",
                               path="$." + loc if loc else None) from None
    if isinstance(prof, PrinterProfile):
        check_profile(prof, f"printer profile {prof.id}")
    return prof


def load_profile(ref: str | Path | Profile | None, delivery: str | None = None) -> Profile:
    """A profile object, a YAML path, a shipped profile's name, or None (the default for
    ``delivery``)."""
    if isinstance(ref, (PrinterProfile, WindowEnvelopeProfile)):
        return ref
    if ref is None:
        if delivery is None:
            raise PostalConstraint("no delivery kind and no printer profile given")
        ref = delivery
    p = Path(ref)
    if p.suffix in (".yaml", ".yml") and p.exists():
        return _load(str(p.resolve()))
    shipped = PROFILES_DIR / f"{ref}.yaml"
    if shipped.exists():
        return _load(str(shipped))
    known = ", ".join(sorted(q.stem for q in PROFILES_DIR.glob("*.yaml")))
    raise PostalConstraint(f"no printer profile {str(ref)!r} (a YAML file, or one of: {known})")


def with_marks(profile: Profile, *, marks: bool = True, bleed: float | None = None) -> Profile:
    """The profile with crop and fold marks switched on (and a bleed, mm)."""
    upd: dict = {"marks": Marks(crop=marks, fold=marks)} if isinstance(profile, PrinterProfile) else \
        {"marks": Marks(fold=marks)}
    if bleed is not None and isinstance(profile, PrinterProfile):
        upd["bleed"] = bleed
    return profile.model_copy(update=upd)


def shipped_profiles() -> list[str]:
    return sorted(q.stem for q in PROFILES_DIR.glob("*.yaml"))
