"""``line`` and ``rect``: where they print, how thick and in which colour, read from the page as
poppler rasterizes it (10 px per mm), and the checks made when the form loads."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

import lgforms

PX_PER_MM = 10


def catalog(root: Path, fields: list[dict]) -> lgforms.Catalog:
    d = root / "test" / "shapes"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    (d / "form.yaml").write_text(yaml.safe_dump({
        "id": "shapes", "title": "shapes", "area": "test",
        "paper": {"size": "label", "width": 100, "height": 60, "orientation": "landscape"},
        "pages": [{"id": "p", "fields": fields}]}, allow_unicode=True), encoding="utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {}}), encoding="utf-8")
    return lgforms.Catalog(root)


def raster(pdf: bytes) -> np.ndarray:
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.fail("poppler-utils (pdftoppm) is required")
    png = subprocess.run([exe, "-r", str(25.4 * PX_PER_MM), "-png", "-singlefile", "-aa", "no", "-aaVector", "no", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def at(img: np.ndarray, x_mm: float, y_mm: float) -> tuple[int, int, int]:
    return tuple(int(v) for v in img[int(y_mm * PX_PER_MM), int(x_mm * PX_PER_MM)])


def close(c, want, tol=8) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(c, want))


WHITE, RED, BLUE, GREEN = (255, 255, 255), (204, 0, 0), (0, 0, 204), (0, 153, 0)


def test_a_line_prints_where_and_as_it_is_given(tmp_path):
    cat = catalog(tmp_path, [{"kind": "line", "points": [10, 30, 90, 30], "width": 0.6, "color": [0.8, 0, 0]},
                             {"kind": "line", "points": [50, 40, 50, 55]}])
    img = raster(lgforms.render("shapes", {}, catalog=cat))
    for x in (12, 50, 88):
        assert close(at(img, x, 30), RED), x
    assert close(at(img, 50, 30.2), RED) and close(at(img, 50, 29.8), RED)  # 0.6 mm thick
    assert at(img, 50, 30.6) == WHITE and at(img, 50, 29.4) == WHITE
    assert at(img, 9, 30) == WHITE and at(img, 91, 30) == WHITE  # from x 10 to 90
    assert close(at(img, 50.05, 47), (0, 0, 0), tol=40)  # default: black, 0.25 mm
    assert at(img, 50.4, 47) == WHITE and at(img, 50, 57) == WHITE


def test_a_rect_prints_its_stroke_and_fill(tmp_path):
    cat = catalog(tmp_path, [{"kind": "rect", "box": [20, 20, 30, 10], "width": 0.6, "color": [0, 0, 0.8],
                              "fill": [0, 0.6, 0]},
                             {"kind": "rect", "box": [60, 20, 20, 10], "width": None, "fill": [0.8, 0, 0]}])
    img = raster(lgforms.render("shapes", {}, catalog=cat))
    assert close(at(img, 35, 25), GREEN)  # inside
    for x, y in ((20, 25), (50, 25), (35, 20), (35, 30)):  # on each side of the frame
        assert close(at(img, x, y), BLUE), (x, y)
    assert at(img, 35, 18) == WHITE and at(img, 35, 32) == WHITE and at(img, 18, 25) == WHITE
    assert close(at(img, 70, 25), RED) and close(at(img, 60.1, 20.1), RED)  # fill only, no frame
    assert at(img, 59.5, 25) == WHITE and at(img, 80.5, 25) == WHITE


@pytest.mark.parametrize("box", [[20, 20, 0, 10], [20, 20, 30, 0], [20, 20, -1, 10], [20, 20, 30, -2]])
def test_a_rect_without_area_is_refused_when_the_form_loads(tmp_path, box):
    with pytest.raises(lgforms.LgformsError) as ei:
        catalog(tmp_path, [{"kind": "rect", "box": box}]).get("shapes")
    e = ei.value
    assert e.code == "FORM_SPEC_INVALID"
    assert e.message == (f"shapes: shapes/form.yaml:5: page 'p' fields[0]: box {[float(v) for v in box]} "
                         f"must have positive width and height")


def test_a_thin_rect_is_a_valid_rect(tmp_path):
    cat = catalog(tmp_path, [{"kind": "rect", "box": [20, 20, 0.5, 0.5], "width": None, "fill": [0.8, 0, 0]}])
    img = raster(lgforms.render("shapes", {}, catalog=cat))
    assert close(at(img, 20.25, 20.25), RED)


def test_a_rect_with_neither_stroke_nor_fill_is_refused(tmp_path):
    with pytest.raises(lgforms.LgformsError) as ei:
        catalog(tmp_path, [{"kind": "rect", "box": [20, 20, 30, 10], "width": None}]).get("shapes")
    assert ei.value.code == "FORM_SPEC_INVALID" and "a rect needs a stroke width or a fill" in ei.value.message
