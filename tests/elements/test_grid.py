"""``grid``: cell positions from column widths and row heights, the rules and fills it draws, rows
that only exist when true, and the mistakes a form or a payload gets, with their messages and
lines pinned (a clear, stable message is part of the contract; docs/testing.md).

What is checked is the laid-out page (``lgforms.layout``: text lines, rules and rectangles in mm
from the page's top-left), with every expected position worked out here from the grid's numbers.
Each test compiles its own form (no render shared between tests: mutmut credits a test only with
the code run since the previous test ended)."""

from __future__ import annotations

import textwrap

import pytest

import lgforms
from lgforms.elements.grid import _merge
from lgforms.layout.boxes import FormRef, LineBox, RectBox

from elementform import laid_out, shapes, texts, write_form
from elementform import load_errors as errors

PT = 25.4 / 72  # mm per point

STYLES = """\
styles:
  label: {size: 9, pad: 2}
  value: {size: 10, pad: 1}
  big: {size: 12, align: right}
  top: {valign: top}
"""
PROPS = {k: {"type": "string"} for k in ("a", "b", "c", "d", "note", "code")}
PROPS |= {"show": {"type": "boolean"}, "n": {"type": "integer"},
          "persons": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}


def catalog(root, pages: str) -> lgforms.Catalog:
    """A form whose ``pages:`` list is ``pages`` (YAML, written at the list's indentation)."""
    return write_form(root, pages, props=PROPS, styles=STYLES)


def grid(root, el: str) -> lgforms.Catalog:
    """A page holding one field, the grid ``el`` (YAML of its mapping; its first line is line 8)."""
    return catalog(root, "- id: p\n  fields:\n    - " + textwrap.dedent(el).replace("\n", "\n      ").rstrip() + "\n")


def flow(root, el: str, after: str) -> lgforms.Catalog:
    """A page whose flow (from 15, 30) holds the grid ``el`` and then the section ``after``."""
    return catalog(root, "- id: p\n  flow:\n    box: [15, 30, 180, 200]\n    gap: 0\n    sections:\n      - "
                   + textwrap.dedent(el).replace("\n", "\n        ").rstrip() + "\n      - " + after + "\n")


def page(cat, payload, n=0):
    """(static items, page items) of page n, FormRefs left out."""
    return laid_out(cat, payload)[n]


# -- mistakes in the form --------------------------------------------------------------------------

TILE = """\
kind: grid
id: g
box: [20, 30, 120, 0]
columns: [30, 50, 40]
rows: [10, 10]
cells:
"""  # lines 8-13; the rows of cells from line 14

WHERE = "page 'p' fields[0] (g)"


def test_columns_must_add_up_to_the_width(tmp_path):
    e = errors(grid(tmp_path, TILE.replace("[30, 50, 40]", "[30, 50, 30]") + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n"))
    assert e == [(11, WHERE, "columns add up to 110 mm but the grid is 120 mm wide")]
    grid(tmp_path / "ok", TILE.replace("[30, 50, 40]", "[30, 50, 40.009]") + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n"
         ).get("doc")  # within 0.01 mm
    e = errors(grid(tmp_path / "over", TILE.replace("[30, 50, 40]", "[30, 50, 40.011]")
                    + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n"))
    assert e == [(11, WHERE, "columns add up to 120.011 mm but the grid is 120 mm wide")]


def test_rows_must_add_up_to_the_height_unless_it_is_0(tmp_path):
    e = errors(grid(tmp_path, TILE.replace("120, 0]", "120, 25]") + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n"))
    assert e == [(12, WHERE, "rows add up to 20 mm but the box is 25 mm high (give 0 to take the rows' height)")]
    grid(tmp_path / "ok", TILE.replace("120, 0]", "120, 20.009]") + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n").get("doc")
    e = errors(grid(tmp_path / "over", TILE.replace("120, 0]", "120, 20.011]") + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n"))
    assert e == [(12, WHERE, "rows add up to 20 mm but the box is 20.011 mm high (give 0 to take the rows' height)")]


def test_one_row_of_cells_per_row_height(tmp_path):
    e = errors(grid(tmp_path, TILE + "  - [{}, {}, {}]\n"))
    assert e == [(14, WHERE, "1 rows of cells for 2 row heights")]  # the line the list of rows starts on


@pytest.mark.parametrize("rows, line, message", [
    # span reaching past the last column / rowspan past the last row
    ("  - [{}, {span: 3}]\n  - [{}, {}, {}]\n", 14,
     "row 1: a cell spanning 3 × 1 from column 2 goes beyond the grid (3 columns, 2 rows)"),
    ("  - [{}, {}, {}]\n  - [{}, {rowspan: 2}, {}]\n", 15,
     "row 2: a cell spanning 1 × 2 from column 2 goes beyond the grid (3 columns, 2 rows)"),
    # row 1's second cell spans down into column 2 of row 2, where row 2's first cell (columns 1-2) reaches
    ("  - [{}, {rowspan: 2}, {}]\n  - [{span: 2}, {}]\n", 15, "row 2: cells overlap at column 2"),
    ("  - [{}, {label: 名, value: x}, {}]\n  - [{}, {}, {}]\n", 14,
     "row 1, column 2: a cell has a label or a value, not both"),
    ("  - [{}, {}, {}]\n  - [{span: 2}, {label: 名, value: x}]\n", 15,
     "row 2, column 3: a cell has a label or a value, not both"),
    ("  - [{}]\n  - [{}, {}, {}]\n", 14, "row 1: column(s) 2, 3 have no cell (use {} for an empty cell)"),
    ("  - [{}, {}, {}]\n  - [{span: 2}]\n", 15, "row 2: column(s) 3 have no cell (use {} for an empty cell)"),
    # row 2 is wholly taken by row 1's cells: one more cell there starts after the last column
    ("  - [{rowspan: 2}, {span: 2, rowspan: 2}]\n  - [{}]\n", 15,
     "row 2: a cell spanning 1 × 1 from column 4 goes beyond the grid (3 columns, 2 rows)"),
    # a cell spanning rows may not reach into a row that comes and goes, nor start in one
    ("  - [{rowspan: 2}, {}, {}]\n  - {when: show, cells: [{}, {}]}\n", 14,
     "row 1: a cell spanning rows may not cover a row with 'when'"),
    ("  - {when: show, cells: [{rowspan: 2}, {}, {}]}\n  - [{}, {}]\n", 14,
     "row 1: a cell spanning rows may not cover a row with 'when'"),
])
def test_cells_must_tile_the_grid(tmp_path, rows, line, message):
    assert errors(grid(tmp_path, TILE + rows)) == [(line, WHERE, message)]


def test_a_tiling_mistake_names_the_line_of_its_row(tmp_path):
    """Not the line the list of rows starts on: the third row's (its cell spans into a row with when)."""
    three = TILE.replace("rows: [10, 10]", "rows: [10, 10, 10, 10]")
    e = errors(grid(tmp_path, three + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n  - [{rowspan: 2}, {}, {}]\n"
                               "  - {when: show, cells: [{}, {}]}\n"))
    assert e == [(16, WHERE, "row 3: a cell spanning rows may not cover a row with 'when'")]


def test_rowspans_and_spans_that_tile_exactly_load(tmp_path):
    """The cells after a rowspan start in the first free column; spans may reach the last column
    and rowspans the last row; a conditional row may hold cells of one row."""
    cat = grid(tmp_path, TILE + "  - [{label: 左, rowspan: 2}, {span: 2}]\n  - [{}, {label: 右}]\n")
    t = texts(page(cat, {})[0])
    assert t["左"].box == (20, 30, 30, 20) and t["右"].box == (100, 40, 40, 10)
    cat = grid(tmp_path / "last", TILE + "  - [{}, {}, {label: 上, rowspan: 2}]\n  - [{label: 下, span: 2}]\n")
    t = texts(page(cat, {})[0])
    assert t["上"].box == (100, 30, 40, 20) and t["下"].box == (20, 40, 80, 10)
    grid(tmp_path / "cond", TILE + "  - {when: show, cells: [{}, {}, {}]}\n  - [{}, {span: 2}]\n").get("doc")
    # a cell spanning rows below a conditional row (not into it)
    grid(tmp_path / "below", TILE.replace("rows: [10, 10]", "rows: [10, 10, 10]")
         + "  - {when: show, cells: [{}, {}, {}]}\n  - [{rowspan: 2}, {}, {}]\n  - [{}, {}]\n").get("doc")
    grid(tmp_path / "none", TILE + "  - [{rowspan: 2}, {span: 2, rowspan: 2}]\n  - []\n").get("doc")  # row 2: all taken


CELLS = """\
kind: grid
id: g
box: [20, 30, 120, 0]
columns: [30, 50, 40]
rows: [10, 8]
cells:
  - - {label: 氏名}
    - id: name
      value: "{{ a }}"
      span: 2
  - when: show
    cells:
      - {label: 住所}
      - style: big
        value: "{{ b }}"
      - {}
"""  # lines 8-13; row 1's cells on lines 14 and 15-17, row 2's (when on 18) on 20 and 21-22, 23


def cells_form(tmp_path, old: str, new: str):
    assert old in CELLS
    return grid(tmp_path, CELLS.replace(old, new, 1))


def test_the_cells_form_loads(tmp_path):
    cat = cells_form(tmp_path, "{}", "{}")
    t = texts(page(cat, {"a": "一", "b": "二", "show": True})[1])
    assert t["一"].box == (50, 30, 90, 10) and t["二"].box == (50, 40, 50, 8) and t["二"].size == 12


def test_an_unknown_font_names_the_cell_its_id_and_its_line(tmp_path):
    e = errors(cells_form(tmp_path, "      span: 2\n", "      span: 2\n      font: tenant_gothic\n"))
    assert e == [(15, WHERE + " cell 1.2 (name)", "unknown font 'tenant_gothic'")]
    e = errors(cells_form(tmp_path / "r2", "      - style: big\n", "      - font: nosuch\n        style: big\n"))
    assert e == [(21, WHERE + " cell 2.2", "unknown font 'nosuch'")]
    # a label in a font lgforms does not have is reported once (not measured against a font it lacks)
    e = errors(cells_form(tmp_path / "label", "{label: 氏名}", "{label: 氏名, font: nosuch}"))
    assert e == [(14, WHERE + " cell 1.1", "unknown font 'nosuch'")]
    for font in ("mincho", "gothic", "mincho_ex"):
        cells_form(tmp_path / font, "      span: 2\n", f"      span: 2\n      font: {font}\n").get("doc")


def test_a_size_taller_than_its_cell_unless_it_wraps(tmp_path):
    e = errors(cells_form(tmp_path, "      span: 2\n", "      span: 2\n      size: 29\n"))
    assert e == [(15, WHERE + " cell 1.2 (name)", "size 29.0 pt is taller than the 10 mm cell")]  # 10.23 mm
    for fit in ("wrap", "auto"):
        cells_form(tmp_path / fit, "      span: 2\n", f"      span: 2\n      size: 29\n      fit: {fit}\n").get("doc")
    e = errors(cells_form(tmp_path / "shrink", "      span: 2\n", "      span: 2\n      size: 29\n      fit: shrink\n"))
    assert e == [(15, WHERE + " cell 1.2 (name)", "size 29.0 pt is taller than the 10 mm cell")]


def test_a_size_exactly_as_tall_as_its_cell_loads(tmp_path):
    h = 12 * PT
    cat = grid(tmp_path, f"""\
        kind: grid
        box: [20, 30, 60, 0]
        columns: [20, 40]
        rows: [{h!r}]
        cells:
          - [{{label: 名, size: 12}}, {{value: "{{{{ a }}}}", size: 12}}]
        """)
    cat.get("doc")
    cat = grid(tmp_path / "less", f"""\
        kind: grid
        box: [20, 30, 60, 0]
        columns: [20, 40]
        rows: [{h - 0.001!r}]
        cells:
          - [{{label: 名}}, {{value: "{{{{ a }}}}", size: 12}}]
        """)
    assert [m for _, _, m in errors(cat)] == [f"size 12.0 pt is taller than the {h - 0.001:g} mm cell"]


def test_a_label_is_literal_text(tmp_path):
    e = errors(cells_form(tmp_path, "      - {label: 住所}\n", "      - style: big\n        label: \"{{ b }}\"\n"))
    assert e == [(21, WHERE + " cell 2.1", "a label is literal text (drawn once per document); use value for a template")]
    e = errors(cells_form(tmp_path / "tag", "{label: 氏名}", "{label: \"{% x %}\"}"))
    assert e == [(14, WHERE + " cell 1.1", "a label is literal text (drawn once per document); use value for a template")]


def test_only_value_cells_print_conditionally(tmp_path):
    e = errors(cells_form(tmp_path, "{label: 氏名}", "{label: 氏名, when: a}"))
    assert e == [(14, WHERE + " cell 1.1", "when: only value cells print conditionally")]


def test_mistakes_in_templates_and_expressions_name_their_key_s_line(tmp_path):
    e = errors(cells_form(tmp_path, "      span: 2\n", "      span: 2\n      when: \"a ==\"\n"))
    assert [(line, where) for line, where, _ in e] == [(18, WHERE + " cell 1.2 (name)")]
    e = errors(cells_form(tmp_path / "v", "value: \"{{ b }}\"", "value: \"{{ b \""))
    assert [(line, where) for line, where, _ in e] == [(22, WHERE + " cell 2.2")]
    e = errors(cells_form(tmp_path / "row", "  - when: show\n", "  - when: \"show ==\"\n"))
    assert [(line, where) for line, where, _ in e] == [(18, WHERE + " row 2 when")]
    moved = CELLS.replace("  - when: show\n    cells:\n", "  - cells:\n") + "    when: \"show ==\"\n"
    e = errors(grid(tmp_path / "row2", moved))  # the row's mapping on line 18, its when on 23
    assert [(line, where) for line, where, _ in e] == [(23, WHERE + " row 2 when")]


def test_an_impossible_style_is_a_load_error_of_its_cell(tmp_path):
    e = errors(cells_form(tmp_path, "      span: 2\n", "      span: 2\n      min_size: 12\n"))
    assert [(line, where) for line, where, _ in e] == [(15, WHERE + " cell 1.2 (name)")]
    assert "min_size must be > 0 and <= size" in e[0][2]


def test_an_unknown_style_names_its_cell(tmp_path):
    e = errors(cells_form(tmp_path, "style: big", "style: nosuch"))
    assert [(line, where) for line, where, _ in e] == [(21, WHERE + " cell 2.2")]
    assert "nosuch" in e[0][2]


def test_a_label_that_does_not_fit_its_cell_is_a_load_error(tmp_path):
    e = errors(cells_form(tmp_path, "{label: 住所}", "{label: 住所の欄にはとても長いラベル}"))
    assert e == [(20, WHERE, "label '住所の欄にはとても長いラベル' does not fit its 30 × 8 mm cell: text of 14 characters "
                             "needs 44.4 mm at 9.0 pt but the box is 26.0 × 8.0 mm (fit: error)")]
    # 14 × 9 pt = 44.45 mm; the label style's pad (2 mm each side) leaves 26 mm of the 30


def test_a_label_with_a_glyph_the_fonts_lack_is_a_load_error(tmp_path):
    e = errors(cells_form(tmp_path, "{label: 住所}", f"{{label: {IVS_UNKNOWN}}}"))
    assert [(line, where) for line, where, _ in e] == [(20, WHERE)]
    assert e[0][2].startswith(f"label '{IVS_UNKNOWN}' does not fit its 30 × 8 mm cell: variation sequence "
                              "U+845B U+E01EF is not in the mincho fonts (ipamjm); ")  # then the known sequences


@pytest.mark.parametrize("key", ["label_style", "value_style"])
def test_an_unknown_style_of_the_grid_names_the_grid(tmp_path, key):
    e = errors(grid(tmp_path, TILE.replace("id: g\n", f"id: g\n{key}: nosuch\n") + "  - [{}, {}, {}]\n  - [{}, {}, {}]\n"))
    assert [(line, where) for line, where, _ in e] == [(8, WHERE)]  # the grid's first line
    assert "nosuch" in e[0][2]


# -- where cells, rules and fills go ---------------------------------------------------------------

GRID = """\
kind: grid
id: g
box: [20, 30, 120, 0]
columns: [30, 50, 40]
rows: [10, 8, 12]
line_width: 0.3
frame_width: 0.5
label_fill: [0.9, 0.9, 0.9]
cells:
  - [{label: 氏名}, {value: "{{ a }}", span: 2}]
  - [{label: 住所, rowspan: 2}, {value: "{{ b }}", fill: [1, 1, 0.8]}, {value: "{{ c }}", rowspan: 2}]
  - [{value: "{{ d }}"}]
"""
# columns at x 20, 50, 100, 140; rows at y 30, 40, 48, 60
BOXES = {"氏名": (20, 30, 30, 10), "住所": (20, 40, 30, 20),  # labels: column 1, the second spans rows 2-3
         "一": (50, 30, 90, 10), "二": (50, 40, 50, 8), "三": (100, 40, 40, 20),  # a: 2 columns, c: 2 rows
         "四": (50, 48, 50, 12)}  # d: the only cell row 3 has left, column 2


def test_cells_are_placed_from_the_widths_and_heights_spans_and_rowspans(tmp_path):
    statics, items = page(grid(tmp_path, GRID), {"a": "一", "b": "二", "c": "三", "d": "四"})
    labels, values = texts(statics), texts(items)
    assert set(labels) == {"氏名", "住所"} and set(values) == {"一", "二", "三", "四"}  # labels: background
    for text, line in (labels | values).items():
        assert line.box == pytest.approx(BOXES[text]), text
        pad, size = (2, 9) if text in labels else (1, 10)  # the styles label and value
        assert line.x == pytest.approx(BOXES[text][0] + pad), text  # left-aligned inside the pad
        assert line.size == size
        # middle of its cell (the default valign): the same offset from the middle in every cell
        x, y, w, h = BOXES[text]
        first = labels["氏名"] if text in labels else values["一"]
        assert line.baseline - (y + h / 2) == pytest.approx(first.baseline - (30 + 5)), text
    assert {t: v.path for t, v in values.items()} == {"一": "$.a", "二": "$.b", "三": "$.c", "四": "$.d"}
    assert all(v.path is None for v in labels.values())


def test_rules_fills_and_frame_are_background(tmp_path):
    statics, items = page(grid(tmp_path, GRID), {"a": "一"})
    assert shapes(items) == []
    grey, yellow = (0.9, 0.9, 0.9), (1, 1, 0.8)
    assert shapes(statics) == [
        # fills first (under the text): labels take label_fill, a value cell only its own fill
        RectBox(20, 30, 30, 10, None, fill=grey), RectBox(20, 40, 30, 20, None, fill=grey),
        RectBox(50, 40, 50, 8, None, fill=yellow),
        # inner rules: the top of row 2 is one rule across (three cells' tops joined); row 3 has
        # a rule over column 2 only (住所 and c span rows 2-3)
        LineBox(20, 40, 140, 40, 0.3), LineBox(50, 48, 100, 48, 0.3),
        # column 2's left edge runs the whole height; 100 mm only beside c (a spans columns 2-3)
        LineBox(50, 30, 50, 60, 0.3), LineBox(100, 40, 100, 60, 0.3),
        RectBox(20, 30, 120, 30, 0.5),  # the frame, over the rules
    ]


def test_an_unruled_grid_draws_no_rules_and_no_frame(tmp_path):
    statics, _ = page(grid(tmp_path, GRID.replace("frame_width: 0.5", "ruled: false")), {})
    assert [type(s) for s in shapes(statics)] == [RectBox] * 3 and all(s.fill for s in shapes(statics))


def test_the_default_widths_and_an_empty_label(tmp_path):
    """line_width 0.2, frame 0.35, no fill without label_fill; an empty label is a label cell
    (it takes the fill) but prints nothing."""
    cat = grid(tmp_path, """\
        kind: grid
        box: [10, 10, 60, 16]
        columns: [20, 40]
        rows: [8, 8]
        cells:
          - [{label: ""}, {value: "{{ a }}"}]
          - [{label: 氏名}, {label: 山田, fill: [0.5, 0.5, 0.5]}]
        """)
    statics, items = page(cat, {"a": "値"})
    assert shapes(statics) == [RectBox(30, 18, 40, 8, None, fill=(0.5, 0.5, 0.5)),
                               LineBox(10, 18, 70, 18, 0.2), LineBox(30, 10, 30, 26, 0.2),
                               RectBox(10, 10, 60, 16, 0.35)]
    assert set(texts(statics)) == {"氏名", "山田"} and set(texts(items)) == {"値"}
    cat2 = grid(tmp_path / "fill", """\
        kind: grid
        box: [10, 10, 60, 8]
        columns: [20, 40]
        rows: [8]
        label_fill: [0.8, 0.8, 0.8]
        cells:
          - [{label: ""}, {value: "{{ a }}"}]
        """)
    assert shapes(page(cat2, {})[0])[0] == RectBox(10, 10, 20, 8, None, fill=(0.8, 0.8, 0.8))


def test_merge_joins_touching_collinear_segments_only():
    assert sorted(_merge({(5.0, 0.0, 10.0), (5.0, 10.0, 20.0), (5.0, 25.0, 30.0), (7.0, 0.0, 1.0)})) == [
        (5.0, 0.0, 20.0), (5.0, 25.0, 30.0), (7.0, 0.0, 1.0)]
    assert _merge({(1.0, 0.0, 20.0), (1.0, 5.0, 10.0)}) == [(1.0, 0.0, 20.0)]  # one inside another
    assert _merge({(1.0, 0.0, 10.0), (1.0, 10.0000005, 12.0)}) == [(1.0, 0.0, 12.0)]  # within 1e-6 mm
    assert _merge({(1.0, 3.0, 4.0), (1.0, 0.0, 1.0), (1.0, 1.0, 2.0)}) == [(1.0, 0.0, 2.0), (1.0, 3.0, 4.0)]
    # in any order (a list here: the order of a set's items is not the test's to choose)
    assert _merge([(1.0, 3.0, 4.0), (1.0, 1.0, 2.0), (1.0, 0.0, 1.0)]) == [(1.0, 0.0, 2.0), (1.0, 3.0, 4.0)]
    assert _merge(set()) == []


def test_rules_meet_columns_and_rows_of_fractional_millimetres(tmp_path):
    """Rules are placed to 1/1000 mm (rounded only to join pieces), not to whole millimetres."""
    cat = grid(tmp_path, """\
        kind: grid
        box: [10, 10, 32.75, 0]
        columns: [12.5, 20.25]
        rows: [6.5, 4.75]
        cells:
          - [{}, {rowspan: 2}]
          - [{}]
        """)
    assert shapes(page(cat, {})[0]) == [LineBox(10, 16.5, 22.5, 16.5, 0.2),  # under the first cell only
                                        LineBox(22.5, 10, 22.5, 21.25, 0.2), RectBox(10, 10, 32.75, 11.25, 0.35)]
    # a rule starting at a fractional x (the top of row 2 right of the rowspan) and one starting at
    # a fractional y (between the columns 2 and 3 of row 2 only)
    cat = grid(tmp_path / "b", """\
        kind: grid
        box: [10, 10, 42.75, 0]
        columns: [12.5, 20.25, 10]
        rows: [6.5, 4.75]
        cells:
          - [{rowspan: 2}, {span: 2}]
          - [{}, {}]
        """)
    assert shapes(page(cat, {})[0]) == [LineBox(22.5, 16.5, 52.75, 16.5, 0.2), LineBox(22.5, 10, 22.5, 21.25, 0.2),
                                        LineBox(42.75, 16.5, 42.75, 21.25, 0.2), RectBox(10, 10, 42.75, 11.25, 0.35)]


def test_thin_rows_and_columns_are_ruled_too(tmp_path):
    """Rules are left out only at the frame (0 mm from the grid's top or left), not at a row or
    column narrower than a millimetre."""
    cat = grid(tmp_path, """\
        kind: grid
        box: [10, 10, 60.5, 0]
        columns: [0.5, 60]
        rows: [0.5, 8]
        cells:
          - [{fit: wrap}, {fit: wrap}]
          - [{fit: wrap}, {value: "{{ a }}"}]
        """)
    assert shapes(page(cat, {"a": "一"})[0]) == [LineBox(10, 10.5, 70.5, 10.5, 0.2), LineBox(10.5, 10, 10.5, 18.5, 0.2),
                                                RectBox(10, 10, 60.5, 8.5, 0.35)]


# -- styles ---------------------------------------------------------------------------------------

def test_a_cell_s_style_over_the_grid_s_and_its_own_keys_over_both(tmp_path):
    cat = grid(tmp_path, """\
        kind: grid
        box: [20, 30, 120, 10]
        columns: [30, 30, 30, 30]
        rows: [10]
        cells:
          - [{label: 名, style: big}, {value: "{{ a }}", style: big}, {value: "{{ b }}", style: big, size: 11},
             {value: "{{ c }}", style: [big, top], align: center, pad: 3}]
        """)
    statics, items = page(cat, {"a": "一二", "b": "三四", "c": "五"})
    t = texts(statics) | texts(items)
    # 名: label style (pad 2) + big (12 pt, right): right edge at 50 - 2
    assert t["名"].size == 12 and t["名"].x + t["名"].width == pytest.approx(50 - 2)
    assert t["名"].width == pytest.approx(12 * PT)
    # 一二: value style (pad 1) + big: two full-width characters at 12 pt, right edge at 80 - 1
    assert t["一二"].size == 12 and t["一二"].x == pytest.approx(80 - 1 - 2 * 12 * PT)
    assert t["三四"].size == 11 and t["三四"].x == pytest.approx(110 - 1 - 2 * 11 * PT)  # own size
    # 五: big then top, own align and pad: centred in 140 - 110
    assert t["五"].size == 12 and t["五"].x == pytest.approx(125 - 12 * PT / 2)
    assert t["五"].baseline < t["一二"].baseline - 2  # top, not middle: 10 mm cell, 12 pt text


def test_without_grid_styles_cells_take_the_text_defaults(tmp_path):
    cat = grid(tmp_path, """\
        kind: grid
        box: [20, 30, 60, 10]
        columns: [30, 30]
        rows: [10]
        label_style: null
        value_style: null
        cells:
          - [{label: 名}, {value: "{{ a }}"}]
        """)
    statics, items = page(cat, {"a": "一"})
    t = texts(statics) | texts(items)
    assert (t["名"].size, t["名"].x, t["一"].size, t["一"].x) == (10.5, 20, 10.5, 50)  # 10.5 pt, no pad


# -- rows with ``when`` ---------------------------------------------------------------------------

WHEN_GRID = """\
kind: grid
id: g
box: [20, 30, 120, 0]
columns: [30, 90]
rows: [10, 8, 12]
cells:
  - [{label: 氏名}, {value: "{{ a }}"}]
  - {when: show, cells: [{label: 備考}, {value: "{{ note }}"}]}
  - [{label: 以上}, {value: "{{ b }}"}]
"""


def test_a_row_with_a_false_when_collapses_and_the_rows_below_move_up(tmp_path):
    cat = grid(tmp_path, WHEN_GRID)
    statics, items = page(cat, {"a": "一", "b": "二", "note": "メモ", "show": False})
    assert statics == []  # rows come and go: nothing of the grid is background
    t = texts(items)
    assert set(t) == {"氏名", "一", "以上", "二"}  # neither 備考 nor the note of the hidden row
    assert t["以上"].box == (20, 40, 30, 12) and t["二"].box == (50, 40, 90, 12)
    assert t["氏名"].box == (20, 30, 30, 10) and t["一"].box == (50, 30, 90, 10)
    assert shapes(items) == [LineBox(20, 40, 140, 40, 0.2), LineBox(50, 30, 50, 52, 0.2),
                             RectBox(20, 30, 120, 22, 0.35)]

    statics, items = page(cat, {"a": "一", "b": "二", "note": "メモ", "show": True})
    assert statics == []
    t = texts(items)
    assert set(t) == {"氏名", "一", "備考", "メモ", "以上", "二"}
    assert t["備考"].box == (20, 40, 30, 8) and t["メモ"].box == (50, 40, 90, 8) and t["メモ"].path == "$.note"
    assert t["以上"].box == (20, 48, 30, 12) and t["二"].box == (50, 48, 90, 12)
    assert shapes(items) == [LineBox(20, 40, 140, 40, 0.2), LineBox(20, 48, 140, 48, 0.2),
                             LineBox(50, 30, 50, 60, 0.2), RectBox(20, 30, 120, 30, 0.35)]


def test_in_a_flow_a_hidden_row_takes_no_height(tmp_path):
    """The section after the grid starts where the grid ends: its top (5 mm into the section)
    plus the rows shown."""
    cat = flow(tmp_path, WHEN_GRID.replace("box: [20, 30, 120, 0]", "box: [0, 5, 120, 0]"),
               "{kind: text, box: [0, 0, 180, 8], value: '{{ c }}'}")
    _, items = page(cat, {"b": "二", "c": "後", "show": False})
    assert texts(items)["後"].box == (15, 30 + 5 + 10 + 12, 180, 8)
    assert texts(items)["以上"].box == (15, 45, 30, 12)
    _, items = page(cat, {"b": "二", "c": "後", "show": True})
    assert texts(items)["後"].box == (15, 30 + 5 + 10 + 8 + 12, 180, 8)


def test_in_a_flow_a_grid_without_conditional_rows_is_as_high_as_its_rows(tmp_path):
    cat = flow(tmp_path, GRID.replace("box: [20, 30, 120, 0]", "box: [0, 5, 120, 0]"),
               "{kind: text, box: [0, 0, 180, 8], value: '{{ note }}'}")
    _, items = page(cat, {"a": "一", "note": "後"})
    assert texts(items)["後"].box == (15, 30 + 5 + 30, 180, 8)


def test_values_that_change_per_page_are_bound_per_page(tmp_path):
    """A grid showing ``page`` in a value cell, a cell's ``when`` or a row's ``when`` (one grid
    each) is bound anew on every page, not once for the document."""
    cat = catalog(tmp_path, """\
        - id: p
          repeat: {over: persons, as: person, per_page: 1}
          slot:
            - {kind: text, box: [20, 100, 50, 8], value: "{{ person.name }}"}
          fields:
            - kind: grid
              box: [20, 30, 120, 0]
              columns: [30, 90]
              rows: [10]
              cells:
                - [{label: 頁}, {value: "{{ page.number }}/{{ page.count }}"}]
            - kind: grid
              box: [20, 50, 120, 0]
              columns: [30, 90]
              rows: [10, 10]
              cells:
                - [{label: 前}, {value: 固定}]
                - {when: "page.number == 2", cells: [{label: 次}, {value: 定文}]}
            - kind: grid
              box: [20, 80, 120, 0]
              columns: [30, 90]
              rows: [10]
              cells:
                - [{label: 続}, {value: 続き, when: "page.number > 1", empty: 初回}]
        """)
    two = {"persons": [{"name": "甲"}, {"name": "乙"}]}
    t1, t2 = texts(page(cat, two, 0)[1]), texts(page(cat, two, 1)[1])
    assert "1/2" in t1 and "次" not in t1 and "定文" not in t1 and "続き" not in t1 and "初回" in t1
    assert "2/2" in t2 and "次" in t2 and "定文" in t2 and "続き" in t2 and "初回" not in t2


# -- values ---------------------------------------------------------------------------------------

def test_empty_values_and_cells_whose_when_is_false_print_their_empty_text(tmp_path):
    cat = grid(tmp_path, """\
        kind: grid
        box: [20, 30, 150, 0]
        columns: [30, 30, 30, 30, 30]
        rows: [10]
        cells:
          - [{value: "{{ a }}", empty: 【空欄】}, {value: "{{ b }}"}, {value: "{{ c }}", when: show, empty: （省略）},
             {value: "{{ d }}", when: show}, {value: "{{ note }}"}]
        """)
    t = texts(page(cat, {"a": "", "c": "三", "d": "四", "note": "五", "show": False})[1])
    assert set(t) == {"【空欄】", "（省略）", "五"}  # b: empty without an empty text; d: false without one
    assert t["【空欄】"].box == (20, 30, 30, 10) and t["（省略）"].box == (80, 30, 30, 10)
    assert t["五"].box == (140, 30, 30, 10) and t["五"].path == "$.note"  # the cells after them go on
    assert t["【空欄】"].path is None and t["（省略）"].path is None  # not the payload's value
    t = texts(page(cat, {"a": "一", "b": "二", "c": "三", "d": "四", "show": True})[1])
    assert {k: v.path for k, v in t.items()} == {"一": "$.a", "二": "$.b", "三": "$.c", "四": "$.d"}


def test_a_value_that_does_not_fit_names_its_field(tmp_path):
    cat = grid(tmp_path, """\
        kind: grid
        id: g
        box: [20, 30, 60, 10]
        columns: [20, 40]
        rows: [10]
        cells:
          - [{label: 名}, {value: "{{ a }}"}]
        """)
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"a": "とても長い値の文字列がはみ出す"}, catalog=cat)
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.a"


IVS_UNKNOWN = "葛\U000E01EF飾"  # 葛 with a variation selector the bundled fonts do not have


def test_characters_the_fonts_lack_are_refused_naming_the_field(tmp_path):
    cat = grid(tmp_path, """\
        kind: grid
        box: [20, 30, 60, 10]
        columns: [20, 40]
        rows: [10]
        cells:
          - [{label: 名}, {value: "{{ a }}"}]
        """)
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"a": "\ue000"}, catalog=cat)
    assert ei.value.code == "MOJI_NOT_IN_FONT" and ei.value.path == "$.a"
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"a": IVS_UNKNOWN}, catalog=cat)
    assert ei.value.code == "IVS_UNKNOWN" and ei.value.path == "$.a"


def test_a_cell_showing_several_values_names_the_one_that_holds_the_character(tmp_path):
    cat = grid(tmp_path, """\
        kind: grid
        box: [20, 30, 100, 10]
        columns: [20, 80]
        rows: [10]
        cells:
          - [{label: 住所}, {value: "{{ a }}{{ b }}（{{ c }}）"}]
        """)
    good = {"a": "東京都", "b": "千代田区", "c": "丸"}
    for key, bad, path, pos in (("a", "東\ue000京都", "$.a", 1), ("b", "千\ue000代田区", "$.b", 1),
                                ("c", "\ue000丸", "$.c", 0)):
        with pytest.raises(lgforms.LgformsError) as ei:
            lgforms.layout("doc", {**good, key: bad}, catalog=cat)
        assert ei.value.code == "MOJI_NOT_IN_FONT"
        assert (ei.value.path, ei.value.detail["position"]) == (path, pos)


def test_a_tenant_that_allows_it_gets_the_base_of_an_unknown_variation_sequence(tmp_path):
    from lgforms.tenants.profile import demo_profile

    cat = grid(tmp_path, """\
        kind: grid
        box: [20, 30, 60, 10]
        columns: [20, 40]
        rows: [10]
        cells:
          - [{label: 名}, {value: "{{ a }}"}]
        """)
    t = demo_profile().model_copy(update={"allow_ivs_fallback": True})
    doc = lgforms.layout("doc", {"a": IVS_UNKNOWN}, catalog=cat, tenant=t)
    line = texts([it for it in doc.pages[0].items if not isinstance(it, FormRef)])[IVS_UNKNOWN]
    assert line.box == (40, 30, 40, 10) and line.path == "$.a"


def test_an_error_of_a_filter_names_the_grid_and_the_field(tmp_path):
    cat = grid(tmp_path, """\
        kind: grid
        id: g
        box: [20, 30, 60, 10]
        columns: [20, 40]
        rows: [10]
        cells:
          - [{value: "{{ code | postcode }}"}, {value: "{{ 100 // n }}"}]
        """)
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"code": "12", "n": 1}, catalog=cat)
    assert ei.value.path == "$.code"
    assert ei.value.message == ("doc: page 'p' fields[0] (g): postcode must be 7 digits, NNN-NNNN or NNNNNNN; "
                                "the value (2 characters) is not")
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"code": "1234567", "n": 0}, catalog=cat)
    assert ei.value.code == "TEMPLATE_ERROR" and ei.value.path == "$.n"
    assert ei.value.message == "doc: page 'p' fields[0] (g): ZeroDivisionError: integer division or modulo by zero"


# -- grids drawn whole ------------------------------------------------------------------------------

def test_a_grid_in_the_page_s_static_list_is_drawn_once_as_background(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          static:
            - {kind: grid, box: [10, 10, 100, 8], columns: [40, 60], rows: [8], cells: [[{label: 氏名}, {label: 住所}]]}
          fields:
            - {kind: text, box: [10, 80, 50, 8], value: "{{ a }}"}
        """)
    statics, items = page(cat, {"a": "一"})
    assert set(texts(items)) == {"一"}
    t = texts(statics)
    assert set(t) == {"氏名", "住所"} and t["住所"].box == (50, 10, 60, 8)
    assert shapes(statics) == [LineBox(50, 10, 50, 18, 0.2), RectBox(10, 10, 100, 8, 0.35)]


def test_a_grid_with_a_when_of_its_own_is_drawn_on_the_pages_it_is_on(tmp_path):
    cat = grid(tmp_path, GRID.replace("id: g", "id: g\nwhen: show"))
    statics, items = page(cat, {"a": "一", "show": True})
    assert statics == []
    assert set(texts(items)) == {"氏名", "住所", "一"} and len(shapes(items)) == 8
    statics, items = page(cat, {"a": "一", "show": False})
    assert statics == [] and items == []


def test_a_grid_whose_every_row_is_hidden_draws_nothing(tmp_path):
    """Not a frame 0 mm high: that printed a 0.35 mm rule across the place the grid would be."""
    cat = grid(tmp_path, """\
        kind: grid
        box: [20, 30, 60, 0]
        columns: [20, 40]
        rows: [10, 8]
        cells:
          - {when: show, cells: [{label: 名}, {value: "{{ a }}"}]}
          - {when: show, cells: [{label: 住}, {value: "{{ b }}"}]}
        """)
    assert page(cat, {"a": "一", "show": False}) == ([], [])
    _, items = page(cat, {"a": "一", "show": True})
    assert shapes(items)[-1] == RectBox(20, 30, 60, 18, 0.35)
