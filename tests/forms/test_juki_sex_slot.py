"""住民票の写し（世帯連記式）: each person's 性別 is printed in that person's own 性別 cell — not merely
somewhere in the document, where 男 / 女 of another person would satisfy a search.

The cell's box is computed here from the form's YAML (the page repeat's slot pitch, the person
block's place, the block's grid columns, rows and cell order), not from lgforms' layout; the text
inside it is read with poppler's ``pdftotext -bbox``; the expected value is the sample's."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

import lgforms

from pdfcheck import MM, pdftotext

ROOT = Path(__file__).resolve().parents[2]
FORM_DIR = ROOT / "forms/juki/juki_jyuminhyo_setai"
SAMPLES = sorted((FORM_DIR / "samples").glob("*.json"))


def grid_cell_box(grid: dict, cell_id: str) -> tuple[float, float, float, float]:
    """(x, y, w, h) mm of the cell ``cell_id`` inside a grid element: cells fill each row left to
    right, skipping columns still covered by a rowspan from above (the grid's documented order)."""
    cols, rows = grid["columns"], grid["rows"]
    covered: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(grid["cells"]):
        c = 0
        for cell in row:
            while covered.get((r, c)):
                c += 1
            span, rowspan = cell.get("span", 1), cell.get("rowspan", 1)
            for dr in range(rowspan):
                for dc in range(span):
                    covered[(r + dr, c + dc)] = True
            if cell.get("id") == cell_id:
                return (grid["box"][0] + sum(cols[:c]), grid["box"][1] + sum(rows[:r]), sum(cols[c:c + span]),
                        sum(rows[r:r + rowspan]))
            c += span
    raise LookupError(cell_id)


def sex_boxes() -> list[tuple[float, float, float, float]]:
    """The 性別 cell of each of the four slots of a sheet."""
    form = yaml.safe_load((FORM_DIR / "form.yaml").read_text("utf-8"))
    page = form["pages"][0]
    per_page, (px, py) = page["repeat"]["per_page"], page["repeat"]["pitch"]
    person = next(f for f in page["slot"] if f.get("id") == "person")
    block = yaml.safe_load((ROOT / "forms/_blocks" / f"{person['use']}.yaml").read_text("utf-8"))
    grid = next(f for f in block["fields"] if f.get("id") == "person_grid")
    x, y, w, h = grid_cell_box(grid, "sex")
    ax, ay = person["at"]
    return [(ax + x + i * px, ay + y + i * py, w, h) for i in range(per_page)]


def words(pdf: bytes) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, every word poppler finds: (text, x0, y0, x1, y1) in mm from the top-left."""
    out = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", pdftotext(pdf, "-bbox"), re.S):
        out.append([(html.unescape(t), *(float(v) / MM for v in (a, b, c, d)))
                    for a, b, c, d, t in re.findall(
                        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return out


def text_in(page_words, box, tol=0.3) -> str:
    x, y, w, h = box
    return "".join(t for t, x0, y0, x1, y1 in page_words
                   if x0 >= x - tol and x1 <= x + w + tol and y0 >= y - tol and y1 <= y + h + tol)


def test_the_sex_cell_is_where_the_form_says():
    # worked by hand from the YAML: slot 1 at 19.5 + 22.5 + 36 + 9 = 87 mm, row 6 at 43 + 5 × 4 = 63 mm
    assert sex_boxes()[0] == (87.0, 63.0, 9, 4)
    assert sex_boxes()[3][1] == pytest.approx(63 + 3 * 49.2)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_each_person_s_sex_is_in_that_person_s_cell(sample):
    payload = json.loads(sample.read_text("utf-8"))
    pages = words(lgforms.render("juki_jyuminhyo_setai", payload))
    boxes = sex_boxes()
    persons = payload["persons"]
    assert len(persons) >= 3
    for k, person in enumerate(persons):
        assert person["sex"] in ("男", "女")
        page, slot = divmod(k, len(boxes))
        assert text_in(pages[page], boxes[slot]) == person["sex"], (k, person["name"])
    for slot in range(len(persons) % len(boxes) or len(boxes), len(boxes)):  # slots without a person
        assert text_in(pages[-1], boxes[slot]) == ""
