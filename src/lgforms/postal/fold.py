"""Paper folding as geometry: which part of a printed sheet ends up on which face of the folded
mailpiece, and which way up.

Coordinates are millimetres with the origin at the top-left and y pointing down, as everywhere in
the layout stage. A sheet is printed on its *front* and its *back*; the back is described as seen
after turning the sheet over (``flip``: ``horizontal`` = about its vertical axis, like turning a
page; ``vertical`` = about its horizontal axis, "tumble").

The folded state is a set of paper fragments, each an axis-aligned rectangle of the unfolded sheet
(front coordinates) with an affine map to its folded position, a flag saying whether its front
faces up, and a layer number. A fold reflects the fragments on the moving side of the fold line
onto the other side, turns them over and stacks them above (``over``) or below (``under``) all
others, in reverse order — the way paper behaves. Cut-outs (ずらし加工, punched holes) are areas
without paper.

Used by the postal checks (which printed areas are visible from outside) and by the tests, which
fold the imposed PDF and look at where each panel's text lands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 (x0 < x1, y0 < y1)
EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Affine:
    """x' = a·x + c·y + e, y' = b·x + d·y + f (the PDF order of a, b, c, d, e, f)."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    def __matmul__(self, o: "Affine") -> "Affine":
        """self ∘ o: apply o first, then self."""
        return Affine(self.a * o.a + self.c * o.b, self.b * o.a + self.d * o.b,
                      self.a * o.c + self.c * o.d, self.b * o.c + self.d * o.d,
                      self.a * o.e + self.c * o.f + self.e, self.b * o.e + self.d * o.f + self.f)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    def vec(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y, self.b * x + self.d * y

    def inverse(self) -> "Affine":
        det = self.a * self.d - self.b * self.c
        a, b, c, d = self.d / det, -self.b / det, -self.c / det, self.a / det
        return Affine(a, b, c, d, -(a * self.e + c * self.f), -(b * self.e + d * self.f))

    def rect(self, r: Rect) -> Rect:
        xs, ys = zip(*(self(x, y) for x, y in ((r[0], r[1]), (r[2], r[1]), (r[0], r[3]), (r[2], r[3]))))
        return (min(xs), min(ys), max(xs), max(ys))

    @property
    def linear(self) -> tuple[int, int, int, int]:
        return (round(self.a), round(self.b), round(self.c), round(self.d))

    @staticmethod
    def translate(dx: float, dy: float) -> "Affine":
        return Affine(e=dx, f=dy)


def rotation(deg: int) -> Affine:
    """Clockwise rotation *as seen on the page* (y down): 90 turns "right" into "down"."""
    return {0: Affine(), 90: Affine(0, 1, -1, 0), 180: Affine(-1, 0, 0, -1), 270: Affine(0, -1, 1, 0)}[deg % 360]


def place(panel_w: float, panel_h: float, at: tuple[float, float], deg: int) -> Affine:
    """Panel coordinates -> side coordinates: rotate clockwise by ``deg`` about the panel, then put
    the rotated panel's top-left corner at ``at``."""
    r = rotation(deg)
    x0, y0, _, _ = r.rect((0.0, 0.0, panel_w, panel_h))
    return Affine.translate(at[0] - x0, at[1] - y0) @ r


def turn_over(w: float, h: float, flip: str) -> Affine:
    """Back-side view coordinates <-> front coordinates of a w × h sheet (an involution)."""
    return Affine(-1, 0, 0, 1, w, 0) if flip == "horizontal" else Affine(1, 0, 0, -1, 0, h)


def subtract(r: Rect, cut: Rect) -> list[Rect]:
    """r minus cut, as at most four rectangles."""
    x0, y0, x1, y1 = r
    cx0, cy0, cx1, cy1 = max(cut[0], x0), max(cut[1], y0), min(cut[2], x1), min(cut[3], y1)
    if cx0 >= cx1 - EPS or cy0 >= cy1 - EPS:
        return [r]
    out = []
    if cy0 > y0 + EPS:
        out.append((x0, y0, x1, cy0))
    if cy1 < y1 - EPS:
        out.append((x0, cy1, x1, y1))
    if cx0 > x0 + EPS:
        out.append((x0, cy0, cx0, cy1))
    if cx1 < x1 - EPS:
        out.append((cx1, cy0, x1, cy1))
    return out


def subtract_all(rs: Iterable[Rect], cuts: Iterable[Rect]) -> list[Rect]:
    out = list(rs)
    for c in cuts:
        out = [p for r in out for p in subtract(r, c)]
    return out


def intersect(a: Rect, b: Rect) -> Rect | None:
    r = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return r if r[0] < r[2] - EPS and r[1] < r[3] - EPS else None


def area(rs: Iterable[Rect]) -> float:
    return sum((r[2] - r[0]) * (r[3] - r[1]) for r in rs)


@dataclass(slots=True)
class Fragment:
    rect: Rect  # region of the unfolded sheet (front coordinates)
    m: Affine  # unfolded front coordinates -> folded position
    up: bool  # True: its front faces up
    z: int  # layer, larger = higher

    @property
    def folded(self) -> Rect:
        return self.m.rect(self.rect)


@dataclass(slots=True)
class FoldStep:
    axis: Literal["x", "y"]  # "x": the fold line is x = at (a vertical line); "y": y = at
    at: float  # position of the line in the *current* (partly folded) coordinates, mm
    moving: Literal["low", "high"]  # the part that moves: x < at ("low") or x > at ("high")
    direction: Literal["over", "under"]  # moving part lands on top of the stack, or under it


@dataclass
class Folded:
    """A folded sheet. ``top``/``bottom`` views: what is visible from above and from below
    (the bottom view is read after turning the piece over about its vertical axis)."""

    width: float
    height: float
    flip: str
    fragments: list[Fragment] = field(default_factory=list)

    @classmethod
    def sheet(cls, width: float, height: float, *, flip: str = "horizontal",
              cutouts: Iterable[Rect] = (), pieces: Iterable[Rect] = ()) -> "Folded":
        """An unfolded sheet. ``pieces`` splits it along panel borders (so that every fragment lies
        in one panel); ``cutouts`` remove paper."""
        rects = list(pieces) or [(0.0, 0.0, width, height)]
        rects = subtract_all(rects, cutouts)
        return cls(width, height, flip, [Fragment(r, Affine(), True, 0) for r in rects])

    def fold(self, step: FoldStep) -> "Folded":
        moving, staying = [], []
        for fr in self.fragments:
            for part in self._split(fr, step):
                lo, hi = (part.folded[0], part.folded[2]) if step.axis == "x" else (part.folded[1], part.folded[3])
                is_low = hi <= step.at + EPS
                is_high = lo >= step.at - EPS
                if (step.moving == "low" and is_low) or (step.moving == "high" and is_high):
                    moving.append(part)
                else:
                    staying.append(part)
        if not moving:
            raise ValueError(f"fold at {step.axis} = {step.at}: nothing moves")
        zs = [f.z for f in self.fragments]
        zmax, zmin = max(zs), min(zs)
        refl = (Affine(-1, 0, 0, 1, 2 * step.at, 0) if step.axis == "x" else Affine(1, 0, 0, -1, 0, 2 * step.at))
        out = list(staying)
        for fr in moving:
            z = 2 * zmax + 1 - fr.z if step.direction == "over" else 2 * zmin - 1 - fr.z
            out.append(Fragment(fr.rect, refl @ fr.m, not fr.up, z))
        return Folded(self.width, self.height, self.flip, out)

    @staticmethod
    def _split(fr: Fragment, step: FoldStep) -> list[Fragment]:
        x0, y0, x1, y1 = fr.folded
        lo, hi = (x0, x1) if step.axis == "x" else (y0, y1)
        if not (lo < step.at - EPS and hi > step.at + EPS):
            return [fr]
        inv = fr.m.inverse()
        if step.axis == "x":
            a, b = (x0, y0, step.at, y1), (step.at, y0, x1, y1)
        else:
            a, b = (x0, y0, x1, step.at), (x0, step.at, x1, y1)
        return [Fragment(inv.rect(a), fr.m, fr.up, fr.z), Fragment(inv.rect(b), fr.m, fr.up, fr.z)]

    # -- what shows --------------------------------------------------------------------------
    @property
    def bounds(self) -> Rect:
        rs = [f.folded for f in self.fragments]
        return (min(r[0] for r in rs), min(r[1] for r in rs), max(r[2] for r in rs), max(r[3] for r in rs))

    def view(self, face: Literal["top", "bottom"]) -> Affine:
        """Folded coordinates -> coordinates as read on that face (origin at its top-left)."""
        x0, y0, x1, _ = self.bounds
        if face == "top":
            return Affine.translate(-x0, -y0)
        return Affine(-1, 0, 0, 1, x1, -y0)

    def visible(self, face: Literal["top", "bottom"]) -> list[tuple[Fragment, str, Rect]]:
        """(fragment, printed side showing, visible part in unfolded front coordinates) for every
        piece of paper seen from that face."""
        out = []
        for fr in self.fragments:
            above = [g.folded for g in self.fragments
                     if (g.z > fr.z if face == "top" else g.z < fr.z)]
            inv = fr.m.inverse()
            side = ("front" if fr.up else "back") if face == "top" else ("back" if fr.up else "front")
            for r in subtract_all([fr.folded], above):
                out.append((fr, side, inv.rect(r)))
        return out

    def layers_at(self, x: float, y: float) -> list[Fragment]:
        """Fragments covering a folded point, top first."""
        hits = [f for f in self.fragments
                if f.folded[0] - EPS <= x <= f.folded[2] + EPS and f.folded[1] - EPS <= y <= f.folded[3] + EPS]
        return sorted(hits, key=lambda f: -f.z)

    def fragment_of(self, x: float, y: float) -> Fragment | None:
        """The fragment holding an unfolded front point."""
        for f in self.fragments:
            r = f.rect
            if r[0] - EPS <= x <= r[2] + EPS and r[1] - EPS <= y <= r[3] + EPS:
                return f
        return None

    def locate(self, side: str, x: float, y: float) -> tuple[str, float, float, int] | None:
        """A point printed on ``side`` (front/back, in that side's view coordinates) after folding:
        (face it shows on — "top", "bottom" or "inside" —, x, y in that face's view coordinates,
        layer). None if the point lies on a cut-out."""
        fx, fy = (x, y) if side == "front" else turn_over(self.width, self.height, self.flip)(x, y)
        fr = self.fragment_of(fx, fy)
        if fr is None:
            return None
        px, py = fr.m(fx, fy)
        layers = self.layers_at(px, py)
        faces_up = fr.up if side == "front" else not fr.up
        if faces_up and layers and layers[0] is fr:
            vx, vy = self.view("top")(px, py)
            return ("top", vx, vy, fr.z)
        if not faces_up and layers and layers[-1] is fr:
            vx, vy = self.view("bottom")(px, py)
            return ("bottom", vx, vy, fr.z)
        return ("inside", px, py, fr.z)

    def orientation(self, side: str, x: float, y: float, dx: float, dy: float) -> tuple[float, float]:
        """Where a direction (dx, dy) printed at (x, y) on ``side`` points on the face it shows on."""
        where = self.locate(side, x, y)
        if where is None:
            raise ValueError("point on a cut-out")
        fx, fy = (x, y) if side == "front" else turn_over(self.width, self.height, self.flip)(x, y)
        fr = self.fragment_of(fx, fy)
        v = turn_over(self.width, self.height, self.flip).vec(dx, dy) if side == "back" else (dx, dy)
        v = fr.m.vec(*v)
        if where[0] == "bottom":
            v = self.view("bottom").vec(*v)
        return v
