"""The fold simulator and the shipped printer profiles: panel boxes folded geometrically land on
the right face, the right way up (hand-checked cases first, then every shipped profile)."""

from __future__ import annotations

import pytest
import yaml

from lgforms.errors import PostalConstraint
from lgforms.postal.fold import Affine, Folded, FoldStep, place, subtract, turn_over
from lgforms.postal.profiles import (PROFILES_DIR, PrinterProfile, check_profile, load_profile,
                                     shipped_profiles)


def test_rotation_and_placement_keep_the_panel_in_its_rectangle():
    for deg in (0, 90, 180, 270):
        m = place(105, 148, (10, 20), deg)
        r = m.rect((0, 0, 105, 148))
        w, h = (105, 148) if deg in (0, 180) else (148, 105)
        assert r == pytest.approx((10, 20, 10 + w, 20 + h))
    # 90° clockwise: the panel's "right" points down the sheet, its "down" points left
    m = place(105, 148, (0, 0), 90)
    assert m.vec(1, 0) == pytest.approx((0, 1)) and m.vec(0, 1) == pytest.approx((-1, 0))
    assert (m.inverse() @ m)(3, 4) == pytest.approx((3, 4))


def test_turn_over_is_an_involution():
    t = turn_over(210, 148, "horizontal")
    assert t(10, 20) == (200, 20) and (t @ t)(10, 20) == (10, 20)
    v = turn_over(210, 148, "vertical")
    assert v(10, 20) == (10, 128)


def test_subtract_makes_at_most_four_pieces():
    assert subtract((0, 0, 10, 10), (20, 20, 30, 30)) == [(0, 0, 10, 10)]
    assert len(subtract((0, 0, 10, 10), (4, 4, 6, 6))) == 4
    assert subtract((0, 0, 10, 10), (0, 0, 10, 3)) == [(0, 3, 10, 10)]


def test_v_fold_by_hand():
    """A 210 × 148 sheet, the left half folded under the right half."""
    f = Folded.sheet(210, 148, pieces=[(0, 0, 105, 148), (105, 0, 210, 148)])
    f = f.fold(FoldStep("x", 105, "low", "under"))
    assert f.bounds == pytest.approx((105, 0, 210, 148))
    # front right half: on top, unchanged
    face, x, y, _ = f.locate("front", 150, 30)
    assert (face, x, y) == ("top", pytest.approx(45), pytest.approx(30))
    # front left half: underneath, read after turning over like a page -> same place, upright
    face, x, y, _ = f.locate("front", 30, 30)
    assert (face, x, y) == ("bottom", pytest.approx(30), pytest.approx(30))
    assert f.orientation("front", 30, 30, 1, 0) == pytest.approx((1, 0))
    # the whole back side is inside
    assert f.locate("back", 30, 30)[0] == f.locate("back", 150, 30)[0] == "inside"


def test_z_fold_by_hand_with_a_shifted_panel():
    """300 × 148, C folded under B, A over B; C is 8 mm short at the top: B's back shows there."""
    pieces = [(0, 0, 100, 148), (100, 0, 200, 148), (200, 0, 300, 148)]
    f = Folded.sheet(300, 148, pieces=pieces, cutouts=[(200, 0, 300, 8)])
    f = f.fold(FoldStep("x", 200, "high", "under")).fold(FoldStep("x", 100, "low", "over"))
    assert f.bounds == pytest.approx((100, 0, 200, 148))
    assert f.locate("back", 250, 50)[0] == "top"  # A' (back side view x 200-300) on top
    assert f.locate("front", 250, 50)[0] == "bottom"  # C (front) underneath
    assert f.locate("front", 250, 4) is None  # cut away
    assert f.locate("back", 150, 4)[0] == "bottom"  # B' shows through the 8 mm strip
    assert f.locate("back", 150, 20)[0] == "inside"
    assert f.locate("front", 50, 50)[0] == f.locate("front", 150, 50)[0] == "inside"
    bottom = f.visible("bottom")
    strip = [r for fr, side, r in bottom if side == "back" and r[3] <= 8 + 1e-6]
    assert strip and strip[0] == pytest.approx((100, 0, 200, 8))


@pytest.mark.parametrize("name", [n for n in shipped_profiles() if n != "window-envelope"])
def test_shipped_profiles_fold_into_a_mailpiece(name):
    """Fold every shipped profile and follow each panel's box and its 'up' arrow."""
    p = load_profile(name)
    f = p.folded()
    pw, ph = p.panel_size
    faces = {}
    for pl in p.panels:
        m = p.panel_to_side(pl.panel)
        cuts = p.cutouts_in_panel(pl.panel)
        pts = [(pw * a, ph * b) for a in (0.1, 0.5, 0.9) for b in (0.2, 0.5, 0.9)]
        pts = [q for q in pts if not any(c[0] <= q[0] <= c[2] and c[1] <= q[1] <= c[3] for c in cuts)]
        locs = {f.locate(pl.side, *m(*q))[0] for q in pts}
        assert len(locs) == 1, (pl.panel, locs)
        faces[pl.panel] = locs.pop()
        if faces[pl.panel] != "inside":
            right = f.orientation(pl.side, *m(pw / 2, ph / 2), *m.vec(1, 0))
            down = f.orientation(pl.side, *m(pw / 2, ph / 2), *m.vec(0, 1))
            assert right == pytest.approx((1, 0)) and down == pytest.approx((0, 1)), (pl.panel, right, down)
    assert faces["address"] in ("top", "bottom")
    assert faces["back"] == ("bottom" if faces["address"] == "top" else "top")
    assert all(v == "inside" for k, v in faces.items() if k.startswith("inner"))
    assert p.finished_size == pytest.approx(p.panel_size)


def _mutated(name, fn):
    raw = yaml.safe_load((PROFILES_DIR / f"{name}.yaml").read_text("utf-8"))
    fn(raw)
    return PrinterProfile.model_validate(raw)


@pytest.mark.parametrize("name,mutate,msg", [
    ("pressure-seal-V-top", lambda r: r["panels"][0].update(rotate=0), "back reads upside down"),
    ("pressure-seal-V-top", lambda r: r["panels"][2].update(rotate=0), "inner_right reads upside down"),
    ("pressure-seal-V", lambda r: r["panels"][1].update(rotate=180), "address reads upside down"),
    ("pressure-seal-V", lambda r: r["folds"][0].update(direction="over"), "address panel is not wholly on an outer"),
    ("pressure-seal-Z", lambda r: r["panels"][4].update(rotate=180), "inner_4 reads upside down"),
    ("pressure-seal-V", lambda r: r["panels"][0].update(at=[10, 0]), "overlap on the front by 10 × 148 mm"),
    ("pressure-seal-V", lambda r: r["panels"][1].update(at=[110, 0]), "does not fit the 210 × 148 mm sheet"),
])
def test_a_profile_that_would_fold_wrong_is_rejected(name, mutate, msg):
    with pytest.raises(PostalConstraint) as ei:
        check_profile(_mutated(name, mutate), name)
    assert msg in ei.value.message


def test_profiles_state_weight_and_finished_size():
    v = load_profile("pressure-seal-V")
    g, how = v.weight_g()
    assert g == pytest.approx(0.210 * 0.148 * 150 + 2 * 0.105 * 0.148 * 2)
    assert "150 g/m²" in how and "2 plies" in how
    z = load_profile("pressure-seal-Z")
    assert z.plies == 3 and z.weight_g()[0] < 6
    assert load_profile("postcard").weight_g()[0] == pytest.approx(0.1 * 0.148 * 190)


def test_unknown_profile_names_the_shipped_ones():
    with pytest.raises(PostalConstraint) as ei:
        load_profile("pressure-seal-Q")
    assert "pressure-seal-V" in ei.value.message


def test_affine_composition_order():
    t = Affine.translate(5, 0)
    r = Affine(0, 1, -1, 0)
    assert (t @ r)(1, 0) == pytest.approx((5, 1))  # rotate first, then translate
