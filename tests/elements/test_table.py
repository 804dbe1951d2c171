"""``table``: column positions from the widths, two-tier headers, cell text in its box and its
alignment, row styles, footers (小計, 合計, 件数), ``expand``, conditional columns and footers, rows
continued on the next pages with the header repeated, and the mistakes a form or a payload gets,
with their messages and lines pinned (a clear, stable message is part of the contract;
docs/testing.md).

What is checked is the laid-out page (``lgforms.layout``: text lines, rules and rectangles in mm
from the page's top-left) and, once, the PDF read back; every expected position is worked out here
from the table's numbers. Each test compiles its own form (no render shared between tests: mutmut
credits a test only with the code run since the previous test ended)."""

from __future__ import annotations

import textwrap

import pytest

import lgforms
from lgforms.layout.boxes import LineBox, RectBox, TextLine

from elementform import laid_out as pages
from elementform import load_errors as errors
from elementform import shapes, texts, write_form
from pdfcheck import pdf_chars, text_in_box

PT = 25.4 / 72  # mm per point

STYLES = """\
styles:
  big: {size: 12, align: right}
"""
ROW = {"type": "object", "properties": {
    "a": {"type": "string"}, "b": {"type": "string"}, "n": {"type": ["integer", "null"]},
    "k": {"type": "boolean"}, "lines": {"type": "array", "items": {"type": "string"}}}}
PROPS = {"rows": {"type": "array", "items": ROW}, "show": {"type": "boolean"}, "t": {"type": "string"},
         "more": {"type": "boolean"}}


def catalog(root, pages: str) -> lgforms.Catalog:
    """A form whose ``pages:`` list is ``pages`` (YAML, written at the list's indentation)."""
    return write_form(root, pages, props=PROPS, styles=STYLES)


def table(root, el: str) -> lgforms.Catalog:
    """A page holding one field, the table ``el`` (YAML of its mapping; its first line is line 8)."""
    return catalog(root, "- id: p\n  fields:\n    - " + textwrap.dedent(el).replace("\n", "\n      ").rstrip() + "\n")


def flow(root, el: str, box: str = "[15, 30, 180, 200]", after: str | None = None) -> lgforms.Catalog:
    """A page whose flow (``box``, gap 0) holds the table ``el`` (and then the section ``after``)."""
    s = ("- id: p\n  flow:\n    box: " + box + "\n    gap: 0\n    sections:\n      - "
         + textwrap.dedent(el).replace("\n", "\n        ").rstrip() + "\n")
    return catalog(root, s + ("      - " + after + "\n" if after else ""))


def page(cat, payload, n=0):
    return pages(cat, payload)[n]


def lines(items) -> list[TextLine]:
    return [it for it in items if isinstance(it, TextLine)]


def rows(*names, **more) -> dict:
    return {"rows": [{"a": a, "n": i + 1, "b": ""} for i, a in enumerate(names)], **more}


WHERE = "page 'p' fields[0] (tb)"
GREY, FOOT = (0.92, 0.92, 0.92), (0.96, 0.96, 0.96)  # the header's and the footers' default fills

# -- how rows are split into pages (the numbers the flow and the page templates give) ---------------

def chunks(heights, first, nxt, *, groups=None, tf=0.0, keep=None, inside=None):
    """``TableKind.chunks`` of rows of these heights (and expanded records' groups)."""
    from types import SimpleNamespace

    from lgforms.elements.table import KIND, BoundRow, BoundTable

    expand = None if keep is None else SimpleNamespace(keep_together=keep)
    el = SimpleNamespace(spec=SimpleNamespace(expand=expand), extra={"table_footer_h": tf}, where="doc: tb")
    rs = [BoundRow(["rows", i], [], [], None, height=h, group=(groups or list(range(len(heights))))[i])
          for i, h in enumerate(heights)]
    kw = {} if inside is None else {"footers_inside": inside}  # a flow leaves it out: False
    return KIND.chunks(el, BoundTable(rs, None, True), first, nxt, **kw)


def test_chunks_fill_each_page_with_the_rows_it_holds():
    assert chunks([6] * 5, 30, 30) == [(0, 5)]
    assert chunks([6] * 5, 30 - 1e-7, 30) == [(0, 5)]  # within 1e-6 mm
    assert chunks([6] * 5, 29.99, 29.99) == [(0, 4), (4, 5)]
    assert chunks([6] * 5, 12, 18) == [(0, 2), (2, 5)]
    assert chunks([6] * 7, 12, 12) == [(0, 2), (2, 4), (4, 6), (6, 7)]
    assert chunks([6, 10, 6], 12, 16) == [(0, 1), (1, 3)]


def test_chunks_keep_the_table_footer_with_the_last_row():
    assert chunks([6] * 5, 30, 30, tf=6) == [(0, 4), (4, 5)]  # the 5th row goes on with the footer
    assert chunks([6] * 4, 30, 30, tf=6) == [(0, 4)]  # exactly: 24 + 6
    assert chunks([6] * 4, 30, 30, tf=6.000001 - 1e-7) == [(0, 4)]
    assert chunks([6] * 5, 30, 30, tf=6, inside=True) == [(0, 5)]  # a fixed box keeps room for it
    # one row and its footer that do not fit: a fresh page holds more, the row starts there
    assert chunks([6], 8, 30, tf=6) == [(0, 0), (0, 1)]
    # ... unless the next page holds no more: the row here, its footer alone on the next page
    assert chunks([6], 8, 8, tf=6) == [(0, 1), (1, 1)]
    assert chunks([6, 6], 6, 6, tf=6) == [(0, 1), (1, 2), (2, 2)]
    assert chunks([6, 6], 12, 12, tf=6) == [(0, 1), (1, 2)]
    assert chunks([6, 6], 12, 12, tf=6, inside=False) == [(0, 1), (1, 2)]
    # a first page taller than the next ones: all rows and the footer on it
    assert chunks([6] * 3, 30, 12, tf=6) == [(0, 3)]


def test_chunks_of_no_rows():
    assert chunks([], 10, 20, tf=6) == [(0, 0)]
    assert chunks([], 6 - 1e-7, 20, tf=6) == [(0, 0)]
    assert chunks([], 5, 20, tf=6) == [(0, 0), (0, 0)]  # the footer on the next page
    assert chunks([], 5, 5 + 1e-7, tf=6) == [(0, 0)]  # it holds no more there
    assert chunks([], 0, 20) == [(0, 0)]


def test_chunks_start_on_the_next_page_or_refuse_a_row_no_page_holds():
    assert chunks([20, 6], 10, 30) == [(0, 0), (0, 2)]
    assert chunks([6, 20], 10, 30) == [(0, 1), (1, 2)]
    with pytest.raises(lgforms.LgformsError) as ei:
        chunks([6, 31], 10, 30)
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.rows[1]"
    assert ei.value.message == "doc: tb: row 2 is 31.0 mm high; a page holds 30.0 mm of rows"
    with pytest.raises(lgforms.LgformsError) as ei:
        chunks([40], 30, 30)
    assert ei.value.message == "doc: tb: row 1 is 40.0 mm high; a page holds 30.0 mm of rows"
    assert ei.value.path == "$.rows[0]"


def test_chunks_keep_an_expanded_record_s_lines_together_when_they_fit_on_a_page():
    g = [0, 0, 1, 1, 1]
    assert chunks([6] * 5, 24, 24, groups=g, keep=True) == [(0, 2), (2, 5)]
    assert chunks([6] * 5, 24, 24, groups=g, keep=False) == [(0, 4), (4, 5)]
    assert chunks([6] * 5, 24, 24, groups=g) == [(0, 4), (4, 5)]  # not expanded: groups do not count
    assert chunks([6] * 6, 24, 24, groups=[0] * 6, keep=True) == [(0, 4), (4, 6)]  # longer than a page
    assert chunks([6] * 6, 24, 24, groups=[0, 1, 1, 1, 1, 1], keep=True) == [(0, 1), (1, 5), (5, 6)]
    assert chunks([6] * 4, 30, 30, groups=[0, 0, 1, 1], keep=True) == [(0, 4)]


def test_chunks_move_a_whole_record_on_with_the_table_footer():
    """Fixed with this test: the last row going on with the footer split the record it ends."""
    assert chunks([6] * 4, 24, 24, groups=[0, 0, 1, 1], keep=True, tf=6) == [(0, 2), (2, 4)]
    assert chunks([6] * 4, 24, 24, groups=[0, 0, 1, 1], keep=False, tf=6) == [(0, 3), (3, 4)]


# -- mistakes in the form --------------------------------------------------------------------------

T = """\
kind: table
id: tb
box: [20, 30, 120, 40]
rows: rows
as: r
row_height: 8
header: {height: 8}
columns:
  - {id: a, title: 名前, width: 30, value: "{{ r.a }}"}
  - {id: n, title: 数, width: 40, value: "{{ r.n }}", align: right, sum: r.n}
  - {title: 備考, value: "{{ r.b }}"}
footers:
  - {per: table, label: 合計, cells: {n: "{{ total.n }}"}}
"""  # lines 8-20: the columns on 16, 17, 18, the footer on 20


def t_form(tmp_path, old: str, new: str, t: str = T):
    assert old in t, old
    return table(tmp_path, t.replace(old, new, 1))


def test_the_table_form_loads(tmp_path):
    table(tmp_path, T).get("doc")


def test_column_widths_must_add_up_to_the_width(tmp_path):
    e = errors(t_form(tmp_path, "title: 備考,", "title: 備考, width: 40,"))
    assert e == [(16, WHERE, "column widths of the table add up to 110 mm but it is 120 mm wide")]
    t_form(tmp_path / "ok", "title: 備考,", "title: 備考, width: 50.009,").get("doc")  # within 0.01 mm
    e = errors(t_form(tmp_path / "over", "title: 備考,", "title: 備考, width: 50.011,"))
    assert e == [(16, WHERE, "column widths of the table add up to 120.011 mm but it is 120 mm wide")]
    e = errors(t_form(tmp_path / "under", "title: 備考,", "title: 備考, width: 49.989,"))
    assert e == [(16, WHERE, "column widths of the table add up to 119.989 mm but it is 120 mm wide")]


def test_the_column_without_a_width_needs_some_room_left(tmp_path):
    # 30 + 90 leave 0 mm for 備考 (its header title then does not fit either)
    e = errors(t_form(tmp_path, "width: 40,", "width: 90,"))
    assert e[0] == (16, WHERE, "column widths of the table add up to 120 mm but it is 120 mm wide")
    e = errors(t_form(tmp_path / "more", "width: 40,", "width: 95,"))
    assert e[0] == (16, WHERE, "column widths of the table add up to 125 mm but it is 120 mm wide")


def test_at_most_one_column_may_leave_out_its_width(tmp_path):
    e = errors(t_form(tmp_path, "width: 30, ", ""))
    assert e[0] == (8, WHERE, "at most one column of the table may leave out its width")


def test_a_leaf_column_needs_a_value(tmp_path):
    e = errors(t_form(tmp_path, 'value: "{{ r.b }}"', ""))
    assert e[0] == (8, WHERE, "column '備考' needs a value (or columns, for a group)")
    e = errors(t_form(tmp_path / "id", 'title: 備考, value: "{{ r.b }}"', "id: bk"))
    assert e[0] == (8, WHERE, "column 'bk' needs a value (or columns, for a group)")  # no title: its id


GROUP = """\
kind: table
id: tb
box: [20, 30, 120, 36]
rows: rows
as: r
row_height: 6
header: {height: 12}
columns:
  - {id: a, title: 名前, width: 30, value: "{{ r.a }}", align: center}
  - title: 税額
    columns:
      - {id: n, title: 本税, width: 30, value: "{{ r.n }}", align: right, sum: r.n}
      - {title: 延滞金, value: "{{ r.b }}"}
  - {title: 備考, width: 40, value: "{{ r.b }}"}
"""  # the group on line 17, its columns on 19 and 20; box x 20-140, the group 50-100


def test_the_columns_of_a_group_must_add_up_to_its_width(tmp_path):
    e = errors(t_form(tmp_path, "{title: 延滞金,", "{title: 延滞金, width: 10,", GROUP))
    assert e == [(16, WHERE, "column widths of group '税額' add up to 40 mm but it is 50 mm wide")]
    e = errors(t_form(tmp_path / "two", "width: 30, value: \"{{ r.n }}\"", "value: \"{{ r.n }}\"", GROUP))
    assert e[0] == (8, WHERE, "at most one column of group '税額' may leave out its width")
    # a group with its own width: its columns add up to it, the column without a width takes the rest
    t = GROUP.replace("  - title: 税額\n", "  - title: 税額\n    width: 50\n").replace(
        "{title: 備考, width: 40,", "{title: 備考,")
    table(tmp_path / "own", t).get("doc")
    e = errors(table(tmp_path / "own2", t.replace("width: 50\n", "width: 60\n").replace("{title: 延滞金,", "{title: 延滞金, width: 20,")))
    assert e == [(16, WHERE, "column widths of group '税額' add up to 50 mm but it is 60 mm wide")]


def test_header_heights_give_one_height_per_tier_adding_up_to_the_header(tmp_path):
    table(tmp_path, GROUP.replace("{height: 12}", "{height: 12, heights: [4, 8]}")).get("doc")
    table(tmp_path / "near", GROUP.replace("{height: 12}", "{height: 12, heights: [4, 8.009]}")).get("doc")
    for heights in ("[12]", "[4, 4, 4]", "[4, 7]", "[4, 8.011]", "[4, 7.989]"):
        e = errors(table(tmp_path / heights, GROUP.replace("{height: 12}", f"{{height: 12, heights: {heights}}}")))
        assert e[0] == (8, WHERE, "header.heights must give 2 tier heights adding up to header.height 12.0")
    e = errors(t_form(tmp_path / "one", "{height: 8}", "{height: 8, heights: [4, 4]}"))
    assert e == [(8, WHERE, "header.heights must give 1 tier heights adding up to header.height 8.0")]


def test_row_height_must_be_positive(tmp_path):
    e = errors(t_form(tmp_path, "row_height: 8", "row_height: -1"))
    assert e == [(8, WHERE, "row_height must be positive")]
    # a table in a flow (no height of its own) too
    e = errors(flow(tmp_path / "flow", T.replace("row_height: 8", "row_height: 0").replace("120, 40]", "120, 0]")))
    assert [m for _, _, m in e] == ["row_height must be positive"]


def test_the_box_must_hold_the_header_the_footers_and_a_row(tmp_path):
    t_form(tmp_path, "120, 40]", "120, 24]").get("doc")  # 8 + 8 + 8: exactly
    e = errors(t_form(tmp_path / "less", "120, 40]", "120, 23.99]"))
    assert e == [(8, WHERE, "the box (23.99 mm high) must hold the header (8.0 mm), the page footers (8.0 mm) "
                            "and at least one row (8.0 mm)")]
    # a footer's own height counts, and without a header only the footers and a row
    e = errors(t_form(tmp_path / "fh", "label: 合計,", "label: 合計, height: 10,", T.replace("120, 40]", "120, 25]")))
    assert e == [(8, WHERE, "the box (25.0 mm high) must hold the header (8.0 mm), the page footers (10.0 mm) "
                            "and at least one row (8.0 mm)")]
    t_form(tmp_path / "nohead", "header: {height: 8}\n", "", T.replace("120, 40]", "120, 16]")).get("doc")
    e = errors(t_form(tmp_path / "nohead2", "header: {height: 8}\n", "", T.replace("120, 40]", "120, 15]")))
    assert e == [(8, WHERE, "the box (15.0 mm high) must hold the header (0 mm), the page footers (8.0 mm) "
                            "and at least one row (8.0 mm)")]


def test_duplicate_column_ids_and_footer_cells_of_no_column(tmp_path):
    e = errors(t_form(tmp_path, "{id: n,", "{id: a,"))
    assert e == [(17, WHERE + " column 2 (a)", "duplicate column id 'a'"),
                 (20, WHERE + " footers[0]", "cells: no column with id 'n' (ids: a)")]
    e = errors(t_form(tmp_path / "zz", "{n: ", "{zz: "))
    assert e == [(20, WHERE + " footers[0]", "cells: no column with id 'zz' (ids: a, n)")]
    e = errors(t_form(tmp_path / "none", "{n: ", "{zz: ", T.replace("{id: a, ", "{").replace("{id: n, ", "{")))
    assert e == [(20, WHERE + " footers[0]", "cells: no column with id 'zz' (ids: none)")]
    # ids in groups are columns too; a group's id is not a column with cells
    e = errors(table(tmp_path / "g", GROUP.replace("  - title: 税額\n", "  - title: 税額\n    id: a\n")))
    assert e == [(17, WHERE + " column 2 (a)", "duplicate column id 'a'")]


def test_mistakes_in_templates_and_expressions_name_their_column_or_footer(tmp_path):
    cases = [
        ("width: 30,", "width: 30, when: 'show ==',", 16, WHERE + " column 1 (a) when"),
        ("{{ r.a }}", "{{ r.a ", 16, WHERE + " column 1 (a)"),
        ("sum: r.n", "sum: 'r.n +'", 17, WHERE + " column 2 (n) sum"),
        ("label: 合計,", "label: '{{ x ',", 20, WHERE + " footers[0] label"),
        ("label: 合計,", "label: 合計, when: 'a ==',", 20, WHERE + " footers[0] when"),
        ("title: 名前,", "title: '{{ t ',", 16, WHERE + " column 1 (a) title"),
        ("{{ total.n }}", "{{ total.n ", 20, WHERE + " footers[0]"),
        ("\nfooters:", "\nrow_styles:\n  - {when: 'r.k', fill: [1, 0, 0]}\n  - {when: 'r.k ==', fill: [1, 0, 0]}"
                       "\nfooters:", 21, WHERE + " row_styles[1]"),
    ]
    for i, (old, new, line, where) in enumerate(cases):
        e = errors(t_form(tmp_path / str(i), old, new))
        assert [(ln, w) for ln, w, _ in e] == [(line, where)], new
    e = errors(t_form(tmp_path / "title3", "{title: 備考,", "{title: '{{ t ',"))
    assert [(ln, w) for ln, w, _ in e] == [(18, WHERE + " column 3 title")]  # no id: its number only


def test_a_footer_cell_sees_totals_and_count_only(tmp_path):
    e = errors(t_form(tmp_path, "{{ total.n }}", "{{ total.a }}"))
    assert [(ln, w) for ln, w, _ in e] == [(20, WHERE + " footers[0]")] and "total.a" in e[0][2]
    # a column with a sum but without an id has no total to name
    e = errors(t_form(tmp_path / "noid", "{id: n, ", "{", T.replace("cells: {n: ", "cells: {a: ")))
    assert [(ln, w) for ln, w, _ in e] == [(20, WHERE + " footers[0]")] and "total.n" in e[0][2]
    t_form(tmp_path / "count", "{{ total.n }}", "{{ count }}件").get("doc")


def test_an_impossible_or_unknown_style_names_its_column(tmp_path):
    e = errors(t_form(tmp_path, "width: 30,", "width: 30, min_size: 20,"))
    assert [(ln, w) for ln, w, _ in e] == [(16, WHERE + " column 1 (a)")]
    assert "min_size must be > 0 and <= size" in e[0][2]
    e = errors(t_form(tmp_path / "s", "width: 30,", "width: 30, style: nosuch,"))
    assert e == [(16, WHERE + " column 1 (a)", "unknown style 'nosuch' (known: big)")]


def test_a_header_title_that_does_not_fit_its_cell_is_a_load_error(tmp_path):
    long = "名前" * 25  # 50 characters at 6 pt: 13 a line in 28 mm, 4 lines × 6.9 pt = 9.7 mm > 8
    e = errors(t_form(tmp_path, "title: 名前,", f"title: {long},"))
    assert [(ln, w) for ln, w, _ in e] == [(16, WHERE)]
    assert e[0][2].startswith(f"header title '{long}' does not fit its 30 × 8 mm cell even at 6.0 pt: ")
    # the header's min_size, and a title one tier high under a two-tier header
    # 20 characters: at 8 pt 9 a line, 3 lines × 9.2 pt = 9.7 mm; at 6 pt (the default least) 2 lines
    ten = "名前" * 10
    e = errors(t_form(tmp_path / "min", "{height: 8}", "{height: 8, min_size: 8}",
                      T.replace("title: 名前,", f"title: {ten},")))
    assert e[0][2].startswith(f"header title '{ten}' does not fit its 30 × 8 mm cell even at 8.0 pt: ")
    t_form(tmp_path / "min6", "title: 名前,", f"title: {ten},").get("doc")
    e = errors(table(tmp_path / "tier", GROUP.replace("{height: 12}", "{height: 12, heights: [2, 10]}")))
    assert e[0][2].startswith("header title '税額' does not fit its 50 × 2 mm cell even at 6.0 pt: ")
    # a title too long for one line wraps within the whole height its cell spans (two tiers)
    table(tmp_path / "span", GROUP.replace("title: 名前,", "title: 名前名前名前名前名前名前名前名前,")).get("doc")


def test_header_titles_are_not_checked_without_a_header(tmp_path):
    long = "名前" * 25
    t_form(tmp_path, "header: {height: 8}\n", "", T.replace("title: 名前,", f"title: {long},")).get("doc")


# fixed with the two tests below: a row_height of 0 stopped the loader with a
# ZeroDivisionError, and a font lgforms does not have in a column, the header, a row style, a footer
# or the closing mark loaded and then stopped the render with a KeyError

def test_a_row_height_of_zero_is_a_load_error(tmp_path):
    e = errors(t_form(tmp_path, "row_height: 8", "row_height: 0"))
    assert e == [(8, WHERE, "row_height must be positive")]


def test_an_unknown_font_is_a_load_error_naming_where_it_is_given(tmp_path):
    known = "(known: mincho, gothic, mincho_ex)"
    t = T + "row_styles:\n  - {when: r.k, fill: [1, 0, 0]}\nclosing_mark: {text: 以下余白}\n"  # lines 21-23
    cases = [
        ("{height: 8}", "{height: 8, font: nosuch}", 14, WHERE + " header"),
        ("width: 30,", "width: 30, font: nosuch,", 16, WHERE + " column 1 (a)"),
        ("{title: 備考,", "{title: 備考, font: nosuch,", 18, WHERE + " column 3"),
        ("label: 合計,", "label: 合計, font: nosuch,", 20, WHERE + " footers[0]"),
        ("fill: [1, 0, 0]}", "fill: [1, 0, 0], font: nosuch}", 22, WHERE + " row_styles[0]"),
        ("{text: 以下余白}", "{text: 以下余白, font: nosuch}", 23, WHERE + " closing_mark"),
    ]
    for i, (old, new, line, where) in enumerate(cases):
        assert errors(t_form(tmp_path / str(i), old, new, t)) == [(line, where, f"unknown font 'nosuch' {known}")]
    e = errors(t_form(tmp_path / "table", "row_height: 8", "row_height: 8\nfont: nosuch", t))  # once, for the table
    assert e == [(14, WHERE, f"unknown font 'nosuch' {known}")]
    for font in ("mincho", "gothic", "mincho_ex"):
        t_form(tmp_path / font, "{height: 8}", f"{{height: 8, font: {font}}}",
               t.replace("width: 30,", f"width: 30, font: {font},")).get("doc")


# -- where cells, titles, rules and fills go --------------------------------------------------------

def test_a_table_with_a_fixed_box_draws_its_frame_and_header_as_background(tmp_path):
    statics, items = page(table(tmp_path, GROUP), rows("一"))
    t = texts(statics)
    # header 12 mm in two tiers of 6: 名前 and 備考 span both, 税額 the top one over 本税 and 延滞金
    assert {k: v.box for k, v in t.items()} == {
        "名前": (20, 30, 30, 12), "税額": (50, 30, 50, 6), "本税": (50, 36, 30, 6), "延滞金": (80, 36, 20, 6),
        "備考": (100, 30, 40, 12)}
    assert all(v.size == 9 and v.path is None for v in t.values())
    assert t["名前"].x == pytest.approx(35 - 2 * 9 * PT / 2)  # centred
    assert t["延滞金"].x == pytest.approx(90 - 3 * 9 * PT / 2)
    # the middle of its cell: the same offset from the middle as a one-tier title
    assert t["名前"].baseline - 36 == pytest.approx(t["税額"].baseline - 33)
    assert t["本税"].baseline - 39 == pytest.approx(t["税額"].baseline - 33)
    assert shapes(statics) == [
        RectBox(20, 30, 120, 12, None, fill=GREY),
        LineBox(50, 36, 100, 36, 0.2),  # under the group title
        LineBox(20, 42, 140, 42, 0.2),  # under the header
        LineBox(20, 48, 140, 48, 0.2), LineBox(20, 54, 140, 54, 0.2), LineBox(20, 60, 140, 60, 0.2),  # 4 rows
        LineBox(50, 30, 50, 66, 0.2),  # the group's left edge: from the top
        LineBox(80, 36, 80, 66, 0.2),  # inside the group: below its title
        LineBox(100, 30, 100, 66, 0.2),
        RectBox(20, 30, 120, 36, 0.35),
    ]
    assert shapes(items) == []  # per page only the cells
    c = texts(items)
    assert {k: (v.box, v.path) for k, v in c.items()} == {
        "一": ((20, 42, 30, 6), "$.rows[0].a"), "1": ((50, 42, 30, 6), "$.rows[0].n")}
    assert c["一"].x == pytest.approx(35 - 10.5 * PT / 2)  # centred
    assert c["1"].x + c["1"].width == pytest.approx(80 - 1)  # right, inside the table's pad of 1 mm
    assert c["一"].size == 10.5 and c["1"].size == 10.5


def test_cells_are_placed_row_by_row_and_left_aligned_inside_the_pad(tmp_path):
    _, items = page(table(tmp_path, T), {"rows": [{"a": "一", "n": 3, "b": "x"}, {"a": "二", "n": 4, "b": "y"}]})
    c = texts(items)
    assert {k: (v.box, v.path) for k, v in c.items() if v.path} == {
        "一": ((20, 38, 30, 8), "$.rows[0].a"), "3": ((50, 38, 40, 8), "$.rows[0].n"),
        "x": ((90, 38, 50, 8), "$.rows[0].b"),
        "二": ((20, 46, 30, 8), "$.rows[1].a"), "4": ((50, 46, 40, 8), "$.rows[1].n"),
        "y": ((90, 46, 50, 8), "$.rows[1].b")}
    assert c["一"].x == 21 and c["x"].x == 91 and c["二"].x == 21
    assert c["4"].x + c["4"].width == pytest.approx(89)
    assert c["一"].baseline - 42 == pytest.approx(c["二"].baseline - 50)  # the middle of each row


def test_two_tier_heights_of_their_own(tmp_path):
    statics, _ = page(table(tmp_path, GROUP.replace("{height: 12}", "{height: 12, heights: [4, 8]}")), rows())
    t = texts(statics)
    assert t["税額"].box == (50, 30, 50, 4) and t["本税"].box == (50, 34, 30, 8) and t["名前"].box == (20, 30, 30, 12)
    assert LineBox(50, 34, 100, 34, 0.2) in shapes(statics) and LineBox(80, 34, 80, 66, 0.2) in shapes(statics)


def test_three_tiers_and_a_group_at_the_table_s_left_edge(tmp_path):
    cat = table(tmp_path, """\
        kind: table
        box: [10, 20, 90, 42]
        rows: rows
        as: r
        row_height: 6
        header: {height: 18}
        columns:
          - title: 甲
            width: 70
            columns:
              - title: 乙
                columns:
                  - {title: 丙, width: 20, value: "{{ r.a }}"}
                  - {title: 丁, width: 20, value: "{{ r.b }}"}
              - {title: 戊, width: 30, value: "{{ r.b }}"}
          - {title: 己, value: "{{ r.b }}"}
        """)
    statics, _ = page(cat, rows())
    t = texts(statics)
    assert {k: v.box for k, v in t.items()} == {
        "甲": (10, 20, 70, 6), "乙": (10, 26, 40, 6), "丙": (10, 32, 20, 6), "丁": (30, 32, 20, 6),
        "戊": (50, 26, 30, 12), "己": (80, 20, 20, 18)}
    assert shapes(statics) == [
        RectBox(10, 20, 90, 18, None, fill=GREY),
        LineBox(10, 26, 80, 26, 0.2), LineBox(10, 32, 50, 32, 0.2),  # under 甲 and under 乙
        LineBox(10, 38, 100, 38, 0.2),
        LineBox(10, 44, 100, 44, 0.2), LineBox(10, 50, 100, 50, 0.2), LineBox(10, 56, 100, 56, 0.2),
        LineBox(30, 32, 30, 62, 0.2),  # 丙|丁: below 乙
        LineBox(50, 26, 50, 62, 0.2),  # 乙|戊: below 甲
        LineBox(80, 20, 80, 62, 0.2),  # 甲|己: from the top
        RectBox(10, 20, 90, 42, 0.35),
    ]


def test_line_widths_fills_and_no_grid(tmp_path):
    t = T.replace("row_height: 8\n", "row_height: 8\nline_width: 0.3\nframe_width: 0.5\n").replace(
        "header: {height: 8}", "header: {height: 8, fill: [0.5, 0.6, 0.7]}").replace(
        "{title: 備考,", "{title: 備考, fill: [1, 1, 0.8],").replace("label: 合計,", "label: 合計, fill: [0.1, 0.2, 0.3],")
    _, items = page(table(tmp_path, t), rows("一"))
    assert shapes(items) == [
        RectBox(20, 30, 120, 8, None, fill=(0.5, 0.6, 0.7)),
        RectBox(90, 38, 50, 24, None, fill=(1, 1, 0.8)),  # the column's body: 3 rows
        RectBox(20, 62, 120, 8, None, fill=(0.1, 0.2, 0.3)),
        LineBox(20, 38, 140, 38, 0.3), LineBox(20, 46, 140, 46, 0.3), LineBox(20, 54, 140, 54, 0.3),
        LineBox(20, 62, 140, 62, 0.3 * 1.5),  # over the footer: 1.5 × the line width
        LineBox(50, 38 - 8, 50, 62, 0.3), LineBox(50, 62, 50, 70, 0.3),  # 数 is the footer's first cell
        LineBox(90, 30, 90, 62, 0.3), LineBox(90, 62, 90, 70, 0.3),
        RectBox(20, 30, 120, 40, 0.5),
    ]
    t2 = t.replace("row_height: 8\n", "row_height: 8\ngrid: false\n").replace(
        "{height: 8, fill: [0.5, 0.6, 0.7]}", "{height: 8, fill: null}").replace(", fill: [0.1, 0.2, 0.3]", ", fill: null")
    _, items = page(table(tmp_path / "nogrid", t2), rows("一"))
    assert shapes(items) == [RectBox(90, 38, 50, 24, None, fill=(1, 1, 0.8))]


def test_without_a_header_the_rows_start_at_the_top(tmp_path):
    t = T.replace("header: {height: 8}\n", "").replace("\nfooters:\n  - {per: table, label: 合計, cells: {n: \"{{ total.n }}\"}}", "")
    statics, items = page(table(tmp_path, t), rows("一", "二"))
    assert texts(statics) == {}
    assert shapes(statics) == [
        LineBox(20, 38, 140, 38, 0.2), LineBox(20, 46, 140, 46, 0.2), LineBox(20, 54, 140, 54, 0.2),
        LineBox(20, 62, 140, 62, 0.2),
        LineBox(50, 30, 50, 70, 0.2), LineBox(90, 30, 90, 70, 0.2), RectBox(20, 30, 120, 40, 0.35)]
    assert texts(items)["一"].box == (20, 30, 30, 8) and texts(items)["二"].box == (20, 38, 30, 8)


def test_cell_styles_the_table_s_then_a_named_style_then_the_column_s_keys(tmp_path):
    t = T.replace("row_height: 8\n", "row_height: 8\nsize: 9\npad: 2\n").replace(
        "{id: a, title: 名前, width: 30,", "{id: a, title: 名前, width: 30, style: big,").replace(
        "{title: 備考,", "{title: 備考, style: big, size: 11, color: [0.2, 0.4, 0.6], align: center, font: gothic,")
    _, items = page(table(tmp_path, t), {"rows": [{"a": "一", "n": 5, "b": "二"}]})
    c = {v.text: v for v in lines(items) if v.path}
    assert c["一"].size == 12 and c["一"].x + c["一"].width == pytest.approx(50 - 2)  # big: 12 pt, right
    assert c["5"].size == 9 and c["5"].x + c["5"].width == pytest.approx(90 - 2)  # the table's size and pad
    assert c["二"].size == 11 and c["二"].x == pytest.approx(115 - 11 * PT / 2) and c["二"].color == (0.2, 0.4, 0.6)
    assert c["二"].glyphs[0].font != c["一"].glyphs[0].font  # gothic, not mincho


def test_a_title_from_data_is_drawn_per_page_with_the_frame(tmp_path):
    t = T.replace("title: 名前,", "title: \"{{ t }}年度\",").replace(
        "\nfooters:\n  - {per: table, label: 合計, cells: {n: \"{{ total.n }}\"}}", "")
    statics, items = page(table(tmp_path, t), rows("一", t="令和8"))
    assert statics == []
    tt = texts(items)
    assert tt["令和8年度"].box == (20, 30, 30, 8) and tt["数"].box == (50, 30, 40, 8)
    assert shapes(items)[-1] == RectBox(20, 30, 120, 40, 0.35)
    assert texts(page(table(tmp_path / "b", t), rows("一", t="令和9"))[1])["令和9年度"].box == (20, 30, 30, 8)


def test_a_table_in_the_page_s_static_list_is_drawn_whole(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          static:
            - kind: table
              box: [10, 10, 60, 16]
              rows: "[{'a': 'x'}]"
              as: r
              row_height: 8
              header: {height: 8}
              columns:
                - {title: 甲, width: 20, value: "{{ r.a }}"}
                - {title: 乙, value: 固定}
          fields:
            - {kind: text, box: [10, 80, 50, 8], value: "{{ t }}"}
        """)
    statics, items = page(cat, {"t": "値"})
    assert set(texts(items)) == {"値"}
    t = texts(statics)
    assert set(t) == {"甲", "乙", "x", "固定"} and t["x"].box == (10, 18, 20, 8) and t["固定"].box == (30, 18, 40, 8)
    assert shapes(statics)[-1] == RectBox(10, 10, 60, 16, 0.35)


# -- row styles -----------------------------------------------------------------------------------

STYLED = """\
kind: table
id: tb
box: [20, 30, 120, 40]
rows: rows
as: r
row_height: 8
header: {height: 8}
columns:
  - {id: a, title: 名前, width: 30, value: "{{ r.a }}", min_size: 9}
  - {id: n, title: 数, width: 40, value: "{{ r.n }}", align: right}
  - {title: 備考, value: "{{ r.b }}"}
row_styles:
  - {when: "r.n == 2", fill: [1, 0.9, 0.9], font: gothic, color: [1, 0, 0], size: 8}
  - {when: "r.n >= 2", fill: [0.9, 0.9, 1]}
  - {when: "r.n == 3", size: 12}
  - {when: "r.n == 4", size: 9.5}
"""


def test_the_first_row_style_that_matches_fills_and_restyles_the_row(tmp_path):
    payload = {"rows": [{"a": "一", "n": 1}, {"a": "二", "n": 2}, {"a": "三", "n": 3}]}
    statics, items = page(table(tmp_path, STYLED), payload)
    assert shapes(statics)[-1] == RectBox(20, 30, 120, 40, 0.35)  # uniform rows: the frame is background
    # fills under the text, the last row's first
    assert shapes(items) == [RectBox(20, 54, 120, 8, None, fill=(0.9, 0.9, 1)),
                             RectBox(20, 46, 120, 8, None, fill=(1, 0.9, 0.9))]
    c = texts(items)
    assert (c["一"].size, c["一"].color, c["1"].size) == (10.5, None, 10.5)
    # row 2: gothic, red, 8 pt (below the column's min_size of 9: the row style's size wins)
    assert (c["二"].size, c["二"].color, c["2"].size, c["2"].color) == (8, (1, 0, 0), 8, (1, 0, 0))
    assert c["二"].glyphs[0].font != c["一"].glyphs[0].font
    assert c["2"].x + c["2"].width == pytest.approx(89)
    # row 3: the second style (a fill only) matched first: the third's size does not apply
    assert (c["三"].size, c["三"].color, c["3"].size) == (10.5, None, 10.5)
    assert c["三"].glyphs[0].font == c["一"].glyphs[0].font
    assert c["二"].box == (20, 46, 30, 8) and c["三"].box == (20, 54, 30, 8)


def test_a_row_style_s_size_above_the_column_s_min_size_keeps_it(tmp_path):
    # row 4: the second style again (n >= 2) — a style list where only the size differs
    t = STYLED.replace('  - {when: "r.n >= 2", fill: [0.9, 0.9, 1]}\n', "")
    long = "一二三四五六七八1"  # 8.6 em: at 9.5 pt 28.9 mm in 28 (30 less the pad): shrinks to 9.2 pt
    _, items = page(table(tmp_path, t), {"rows": [{"a": long, "n": 4}, {"a": "二", "n": 3}]})
    c = texts(items)
    assert 9 < c[long].size < 9.5  # below the row style's 9.5, not below the column's min_size
    assert c["二"].size == 12
    long2 = "一二三四五六七八九十"  # 10 characters need 7.9 pt < the column's min_size 9: too long
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": long2, "n": 1}]}, catalog=table(tmp_path / "b", t))
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.rows[0].a"


# -- footers --------------------------------------------------------------------------------------

PAGED = """\
kind: table
id: tb
box: [20, 30, 120, 36]
rows: rows
as: r
row_height: 6
paginate: true
header: {height: 6}
columns:
  - {id: a, title: 名前, width: 30, value: "{{ r.a }}"}
  - {id: n, title: 数, width: 40, value: "{{ r.n }}", align: right, sum: r.n}
  - {id: b, title: 備考, value: "{{ r.b }}"}
footers:
  - {per: page, label: 小計, cells: {n: "{{ total.n }}"}}
  - {per: table, label: 合計件数, cells: {n: "{{ total.n }}", b: "{{ count }}件"}}
closing_mark: {text: 以下余白}
"""  # 36 mm: header 6, 小計 6, 合計 6: 3 rows a page


def test_rows_continue_on_the_next_page_with_the_header_page_totals_and_the_table_total(tmp_path):
    pp = pages(table(tmp_path, PAGED), rows("甲", "乙", "丙", "丁", "戊"))
    assert len(pp) == 2 and pp[0][0] == [] and pp[1][0] == []  # footers: drawn per page
    one, two = texts(pp[0][1]), texts(pp[1][1])
    for t in (one, two):  # the header on both pages
        assert {k: t[k].box for k in ("名前", "数", "備考")} == {
            "名前": (20, 30, 30, 6), "数": (50, 30, 40, 6), "備考": (90, 30, 50, 6)}
    assert {k: (v.box, v.path) for k, v in one.items() if v.path} == {
        "甲": ((20, 36, 30, 6), "$.rows[0].a"), "1": ((50, 36, 40, 6), "$.rows[0].n"),
        "乙": ((20, 42, 30, 6), "$.rows[1].a"), "2": ((50, 42, 40, 6), "$.rows[1].n"),
        "丙": ((20, 48, 30, 6), "$.rows[2].a"), "3": ((50, 48, 40, 6), "$.rows[2].n")}
    assert {k: (v.box, v.path) for k, v in two.items() if v.path} == {
        "丁": ((20, 36, 30, 6), "$.rows[3].a"), "4": ((50, 36, 40, 6), "$.rows[3].n"),
        "戊": ((20, 42, 30, 6), "$.rows[4].a"), "5": ((50, 42, 40, 6), "$.rows[4].n")}
    # page 1: 小計 1 + 2 + 3 under its three rows; no 合計; continued below the frame
    assert one["小計"].box == (20, 54, 30, 6) and one["6"].box == (50, 54, 40, 6)
    assert one["6"].x + one["6"].width == pytest.approx(89)  # footers: right-aligned by default
    assert one["小計"].x == 22 and one["小計"].char_spacing > 0  # 均等割付, 2 mm in
    assert one["小計"].x + one["小計"].width + one["小計"].char_spacing * PT == pytest.approx(48, abs=0.01)
    assert "合計件数" not in one and "以下余白" not in one and "（前葉から続く）" not in one
    assert one["（次葉へ続く）"].box == (20, 60.5, 120, 3.5) and one["（次葉へ続く）"].size == 8
    assert one["（次葉へ続く）"].x + one["（次葉へ続く）"].width == pytest.approx(140)  # right-aligned
    # page 2: 小計 4 + 5 at the bottom of the rows' space (under 以下余白), then 合計 and 件数
    assert two["以下余白"].box == (20, 48, 30, 6)  # the row after the last, first column
    assert two["以下余白"].x == pytest.approx(35 - 4 * 10.5 * PT / 2)  # centred
    assert two["小計"].box == (20, 54, 30, 6) and two["9"].box == (50, 54, 40, 6)
    assert two["合計件数"].box == (20, 60, 30, 6) and two["合計件数"].char_spacing > 0  # 4 characters: 均等割付
    assert two["15"].box == (50, 60, 40, 6) and two["5件"].box == (90, 60, 50, 6)
    assert two["5件"].x + two["5件"].width == pytest.approx(139)
    assert two["（前葉から続く）"].box == (20, 26, 120, 3.5) and two["（前葉から続く）"].size == 8
    assert two["（前葉から続く）"].x + two["（前葉から続く）"].width == pytest.approx(140)
    assert "（次葉へ続く）" not in two
    assert shapes(pp[0][1]) == [
        RectBox(20, 30, 120, 6, None, fill=GREY), RectBox(20, 54, 120, 6, None, fill=FOOT),
        LineBox(20, 36, 140, 36, 0.2), LineBox(20, 42, 140, 42, 0.2), LineBox(20, 48, 140, 48, 0.2),
        LineBox(20, 54, 140, 54, 0.2 * 1.5),
        LineBox(50, 30, 50, 54, 0.2), LineBox(50, 54, 50, 60, 0.2),
        LineBox(90, 30, 90, 54, 0.2), LineBox(90, 54, 90, 60, 0.2),
        RectBox(20, 30, 120, 30, 0.35)]  # header 6 + rows 18 + 小計 6
    assert shapes(pp[1][1]) == [
        RectBox(20, 30, 120, 6, None, fill=GREY), RectBox(20, 54, 120, 6, None, fill=FOOT),
        RectBox(20, 60, 120, 6, None, fill=FOOT),
        LineBox(20, 36, 140, 36, 0.2), LineBox(20, 42, 140, 42, 0.2), LineBox(20, 48, 140, 48, 0.2),
        LineBox(20, 54, 140, 54, 0.2 * 1.5), LineBox(20, 60, 140, 60, 0.2 * 1.5),
        LineBox(50, 30, 50, 54, 0.2), LineBox(50, 54, 50, 60, 0.2), LineBox(50, 60, 50, 66, 0.2),
        LineBox(90, 30, 90, 54, 0.2), LineBox(90, 54, 90, 60, 0.2), LineBox(90, 60, 90, 66, 0.2),
        RectBox(20, 30, 120, 36, 0.35)]


def test_the_pages_of_a_paginated_table_in_the_pdf(tmp_path):
    pdf = lgforms.render("doc", rows("甲", "乙", "丙", "丁", "戊"), catalog=table(tmp_path, PAGED))
    chars = pdf_chars(pdf)
    assert len(chars) == 2
    assert [text_in_box(chars[0], (20, 36 + 6 * i, 30, 6)) for i in range(3)] == ["甲", "乙", "丙"]
    assert [text_in_box(chars[1], (20, 36 + 6 * i, 30, 6)) for i in range(2)] == ["丁", "戊"]
    assert text_in_box(chars[0], (20, 30, 30, 6)) == "名前" == text_in_box(chars[1], (20, 30, 30, 6))
    assert text_in_box(chars[0], (50, 54, 40, 6)) == "6" and text_in_box(chars[1], (50, 54, 40, 6)) == "9"
    assert text_in_box(chars[1], (50, 60, 40, 6)) == "15" and text_in_box(chars[1], (90, 60, 50, 6)) == "5件"


def test_rows_that_fill_the_last_page_exactly(tmp_path):
    pp = pages(table(tmp_path, PAGED), rows("甲", "乙", "丙", "丁", "戊", "己"))
    assert len(pp) == 2
    two = texts(pp[1][1])
    assert two["己"].box == (20, 48, 30, 6)
    # no free row left: 以下余白 just under the frame (header 6 + rows 18 + 小計 6 + 合計 6 = 36)
    assert two["以下余白"].box == (20, 30 + 36 + 0.5, 30, 6)
    t = table(tmp_path / "omit", PAGED.replace("{text: 以下余白}", "{text: 以下余白, full: omit}"))
    assert "以下余白" not in texts(pages(t, rows("甲", "乙", "丙", "丁", "戊", "己"))[1][1])
    # with a free row: the same either way
    assert texts(pages(t, rows("甲", "乙", "丙", "丁", "戊"))[1][1])["以下余白"].box == (20, 48, 30, 6)


def test_a_closing_mark_in_a_box_of_its_own_and_no_continuation_texts(tmp_path):
    t = PAGED.replace("{text: 以下余白}", "{text: 以上, box: [40, 1, 50, 4], align: left}").replace(
        "paginate: true\n", "paginate: true\ncontinued_next: null\ncontinued_prev: null\n")
    pp = pages(table(tmp_path, t), rows("甲", "乙", "丙", "丁", "戊"))
    one, two = texts(pp[0][1]), texts(pp[1][1])
    assert "（次葉へ続く）" not in one and "（前葉から続く）" not in two
    assert two["以上"].box == (20 + 40, 48 + 1, 50, 4) and two["以上"].x == 60  # row 3 of page 2
    t2 = PAGED.replace("paginate: true\n", "paginate: true\ncontinued_next: 次へ\ncontinued_prev: 前から\n")
    pp = pages(table(tmp_path / "own", t2), rows("甲", "乙", "丙", "丁", "戊"))
    assert texts(pp[0][1])["次へ"].box == (20, 60.5, 120, 3.5) and texts(pp[1][1])["前から"].box == (20, 26, 120, 3.5)


FOOTED = """\
kind: table
id: tb
box: [20, 30, 120, 50]
rows: rows
as: r
row_height: 6
header: {height: 8}
columns:
  - {id: a, title: 名前, width: 30, value: "{{ r.a }}"}
  - {id: n, title: 数, width: 40, value: "{{ r.n }}", align: right, sum: r.n}
  - {id: b, title: 備考, value: "{{ r.b }}"}
footers:
  - {per: table, label: 合計金額等, cells: {b: "{{ total.n }}円"}, height: 10, align: left, font: gothic, fill: null}
  - {per: table, label: 件数, when: more, cells: {a: "{{ count }}件"}}
"""  # 50 mm: header 8, footers 10 + 6: 4 rows of 6 (24 mm)


def test_table_footers_their_labels_cells_rules_and_when(tmp_path):
    cat = table(tmp_path, FOOTED)
    statics, items = page(cat, rows("甲", "乙", more=True))
    assert statics == []  # a table footer: the frame is drawn with the rows
    t = texts(items)
    # the label spans the columns before the footer's first cell: 70 mm, more than 35: centred
    assert t["合計金額等"].box == (20, 62, 70, 10) and t["合計金額等"].char_spacing == 0
    assert t["合計金額等"].x == pytest.approx(55 - 5 * 10.5 * PT / 2)
    assert t["3円"].box == (90, 62, 50, 10) and t["3円"].x == 91  # align: left, inside the pad
    assert t["3円"].glyphs[0].font != t["甲"].glyphs[0].font  # gothic
    assert t["件数"].box == (20, 72, 30, 6) and t["件数"].char_spacing > 0  # its first cell is column 1
    assert t["2件"].box == (20, 72, 30, 6) and t["2件"].path is None
    assert shapes(items) == [
        RectBox(20, 30, 120, 8, None, fill=GREY), RectBox(20, 72, 120, 6, None, fill=FOOT),  # 合計: no fill
        LineBox(20, 38, 140, 38, 0.2), LineBox(20, 44, 140, 44, 0.2), LineBox(20, 50, 140, 50, 0.2),
        LineBox(20, 56, 140, 56, 0.2),  # the rows: 2 printed, 2 blank
        LineBox(20, 62, 140, 62, 0.2 * 1.5), LineBox(20, 72, 140, 72, 0.2 * 1.5),
        LineBox(50, 30, 50, 62, 0.2), LineBox(50, 72, 50, 78, 0.2),  # not across the label of 合計
        LineBox(90, 30, 90, 62, 0.2), LineBox(90, 62, 90, 72, 0.2), LineBox(90, 72, 90, 78, 0.2),
        RectBox(20, 30, 120, 48, 0.35)]
    _, items = page(cat, rows("甲", "乙", more=False))
    t = texts(items)
    assert "件数" not in t and "2件" not in t
    assert shapes(items)[-1] == RectBox(20, 30, 120, 42, 0.35) and LineBox(20, 72, 140, 72, 0.3) not in shapes(items)
    assert RectBox(20, 72, 120, 6, None, fill=FOOT) not in shapes(items)


def test_a_footer_without_a_label_or_without_cells(tmp_path):
    t = FOOTED.replace("label: 合計金額等, ", "").replace("label: 件数, when: more, cells: {a: \"{{ count }}件\"}",
                                                          "label: 以上")
    _, items = page(table(tmp_path, t), rows("甲"))
    tt = texts(items)
    assert tt["1円"].box == (90, 62, 50, 10) and "合計金額等" not in tt
    assert tt["以上"].box == (20, 72, 120, 6) and tt["以上"].char_spacing == 0  # all the columns: centred
    assert [s for s in shapes(items) if isinstance(s, LineBox) and s.x1 == s.x2] == [
        LineBox(50, 30, 50, 62, 0.2), LineBox(90, 30, 90, 62, 0.2), LineBox(90, 62, 90, 72, 0.2)]


def test_a_footer_sees_the_record_s_values(tmp_path):
    t = FOOTED.replace('"{{ total.n }}円"', '"{{ t }}{{ total.n }}"')
    _, items = page(table(tmp_path, t), rows("甲", "乙", t="計"))
    assert texts(items)["計3"].box == (90, 62, 50, 10)


def test_a_sum_of_nothing_is_0_and_of_no_rows_too(tmp_path):
    t = FOOTED.replace('"{{ total.n }}円"', '"{{ total.n }}円{{ count }}"')
    _, items = page(table(tmp_path, t), {"rows": [{"a": "甲", "n": None}, {"a": "乙", "n": 4}]})
    assert texts(items)["4円2"].box == (90, 62, 50, 10)
    _, items = page(table(tmp_path / "none", t), {"rows": []})
    assert texts(items)["0円0"].box == (90, 62, 50, 10)
    assert shapes(items)[-1] == RectBox(20, 30, 120, 42, 0.35)  # the frame of the box: 4 blank rows


def test_a_sum_that_is_not_a_number_is_an_error_naming_the_table(tmp_path):
    t = FOOTED.replace("sum: r.n", "sum: r.a")
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", rows("甲"), catalog=table(tmp_path, t))
    assert ei.value.code == "TEMPLATE_ERROR"
    assert ei.value.message == "doc: page 'p' fields[0] (tb): column sum 'r.a' gives str, not a number"
    assert ei.value.path == "$.rows[0].n"  # the cell of the column whose sum it is
    t = FOOTED.replace("sum: r.n", "sum: r.k")
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "甲", "k": True}]}, catalog=table(tmp_path / "b", t))
    assert ei.value.message == "doc: page 'p' fields[0] (tb): column sum 'r.k' gives bool, not a number"
    t = FOOTED.replace("sum: r.n", "sum: 'r.n / 2'")
    _, items = page(table(tmp_path / "f", t), rows("甲", "乙"))
    assert texts(items)["1.5円"].box == (90, 62, 50, 10)


# -- columns with ``when`` ------------------------------------------------------------------------

WHENCOL = """\
kind: table
id: tb
box: [20, 30, 120, 26]
rows: rows
as: r
row_height: 6
header: {height: 8}
columns:
  - {id: a, title: 名前, width: 30, value: "{{ r.a }}"}
  - {id: n, title: 数, width: 20, value: "{{ r.n }}", sum: r.n, when: show}
  - {id: b, title: 備考, value: "{{ r.b }}"}
  - {title: 末, width: 20, value: "{{ r.a }}末"}
footers:
  - {per: table, label: 計, cells: {n: "{{ total.n }}"}}
"""  # 26 mm: header 8, 計 6: 2 rows


def test_a_hidden_column_gives_its_width_to_the_column_without_one(tmp_path):
    cat = table(tmp_path, WHENCOL)
    payload = {"rows": [{"a": "甲", "n": 1, "b": "x"}, {"a": "乙", "n": 2, "b": "y"}]}
    statics, items = page(cat, payload | {"show": False})
    assert statics == []  # the columns depend on the record: nothing of the table is background
    t = texts(items)
    assert {k: v.box for k, v in t.items()} == {
        "名前": (20, 30, 30, 8), "備考": (50, 30, 70, 8), "末": (120, 30, 20, 8),  # 数: 20 mm more for 備考
        "甲": (20, 38, 30, 6), "x": (50, 38, 70, 6), "甲末": (120, 38, 20, 6),
        "乙": (20, 44, 30, 6), "y": (50, 44, 70, 6), "乙末": (120, 44, 20, 6),
        "計": (20, 50, 30, 6)}  # the hidden column's total is not printed
    assert shapes(items) == [
        RectBox(20, 30, 120, 8, None, fill=GREY), RectBox(20, 50, 120, 6, None, fill=FOOT),
        LineBox(20, 38, 140, 38, 0.2), LineBox(20, 44, 140, 44, 0.2), LineBox(20, 50, 140, 50, 0.2 * 1.5),
        LineBox(50, 30, 50, 50, 0.2), LineBox(50, 50, 50, 56, 0.2),  # 備考: after the footer's first cell
        LineBox(120, 30, 120, 50, 0.2), LineBox(120, 50, 120, 56, 0.2),
        RectBox(20, 30, 120, 26, 0.35)]
    _, items = page(cat, payload | {"show": True})
    t = texts(items)
    assert {k: v.box for k, v in t.items() if v.path or k in ("数", "3")} == {
        "数": (50, 30, 20, 8), "甲": (20, 38, 30, 6), "1": (50, 38, 20, 6), "x": (70, 38, 50, 6),
        "甲末": (120, 38, 20, 6), "乙": (20, 44, 30, 6), "2": (50, 44, 20, 6), "y": (70, 44, 50, 6),
        "乙末": (120, 44, 20, 6), "3": (50, 50, 20, 6)}
    assert t["1"].path == "$.rows[0].n" and t["x"].path == "$.rows[0].b"
    assert [s for s in shapes(items) if isinstance(s, LineBox) and s.x1 == s.x2] == [
        LineBox(50, 30, 50, 50, 0.2), LineBox(50, 50, 50, 56, 0.2), LineBox(70, 30, 70, 50, 0.2),
        LineBox(70, 50, 70, 56, 0.2), LineBox(120, 30, 120, 50, 0.2), LineBox(120, 50, 120, 56, 0.2)]


NESTED = """\
kind: table
id: tb
box: [20, 30, 120, 26]
rows: rows
as: r
row_height: 6
header: {height: 8}
columns:
  - {title: 甲, width: 40, value: "{{ r.a }}"}
  - title: 乙
    width: 50
    columns:
      - {title: 丙, width: 25, value: "{{ r.b }}丙", when: show}
      - {title: 丁, width: 25, value: "{{ r.b }}丁", when: show}
  - {title: 戊, width: 30, value: "{{ r.b }}戊", when: more}
"""


def test_without_a_column_without_width_the_last_one_shown_takes_it(tmp_path):
    cat = table(tmp_path, NESTED)
    payload = {"rows": [{"a": "一", "b": "x"}]}
    _, items = page(cat, payload | {"show": False, "more": True})
    t = texts(items)
    # the group's columns hidden: the group too; its 50 mm go to 戊
    assert {k: v.box for k, v in t.items()} == {
        "甲": (20, 30, 40, 8), "戊": (60, 30, 80, 8), "一": (20, 38, 40, 6), "x戊": (60, 38, 80, 6)}
    assert [s for s in shapes(items) if isinstance(s, LineBox)] == [
        LineBox(20, 38, 140, 38, 0.2), LineBox(20, 44, 140, 44, 0.2), LineBox(20, 50, 140, 50, 0.2),
        LineBox(60, 30, 60, 56, 0.2)]
    _, items = page(cat, payload | {"show": False, "more": False})
    assert {k: v.box for k, v in texts(items).items()} == {"甲": (20, 30, 120, 8), "一": (20, 38, 120, 6)}
    assert [s for s in shapes(items) if isinstance(s, LineBox) and s.x1 == s.x2] == []


def test_a_group_that_takes_a_hidden_column_s_width_gives_it_to_its_last_column(tmp_path):
    """Fixed with this test: the group widened, its columns did not (30 mm without a cell or rule)."""
    cat = table(tmp_path, NESTED)
    payload = {"rows": [{"a": "一", "b": "x"}]}
    _, items = page(cat, payload | {"show": True, "more": False})
    t = texts(items)
    # 戊 hidden: its 30 mm go to the group 乙 (the last shown), and in it to 丁 (its last column)
    assert {k: v.box for k, v in t.items()} == {
        "甲": (20, 30, 40, 8), "乙": (60, 30, 80, 4), "丙": (60, 34, 25, 4), "丁": (85, 34, 55, 4),
        "一": (20, 38, 40, 6), "x丙": (60, 38, 25, 6), "x丁": (85, 38, 55, 6)}
    assert [s for s in shapes(items) if isinstance(s, LineBox)] == [
        LineBox(60, 34, 140, 34, 0.2), LineBox(20, 38, 140, 38, 0.2), LineBox(20, 44, 140, 44, 0.2),
        LineBox(20, 50, 140, 50, 0.2), LineBox(60, 30, 60, 56, 0.2), LineBox(85, 34, 85, 56, 0.2)]


GROUP_WHEN = NESTED.replace("  - title: 乙\n", "  - title: 乙\n    when: more\n").replace(
    ", when: show", "").replace(", when: more}", "}")


def test_a_group_with_when_shown(tmp_path):
    _, items = page(table(tmp_path, GROUP_WHEN), {"rows": [{"a": "一", "b": "x"}], "more": True})
    assert {k: v.box for k, v in texts(items).items() if k in ("乙", "丁", "戊")} == {
        "乙": (60, 30, 50, 4), "丁": (85, 34, 25, 4), "戊": (110, 30, 30, 8)}


def test_a_group_whose_when_is_false_hides_its_columns(tmp_path):
    """Fixed with this test: they were drawn, 50 mm over the column that took the group's width."""
    cat = table(tmp_path, GROUP_WHEN)
    _, items = page(cat, {"rows": [{"a": "一", "b": "x"}], "more": False})
    assert {k: v.box for k, v in texts(items).items()} == {
        "甲": (20, 30, 40, 8), "戊": (60, 30, 80, 8), "一": (20, 38, 40, 6), "x戊": (60, 38, 80, 6)}


# -- too many rows, rows that grow ----------------------------------------------------------------

def test_one_row_more_than_the_box_holds_is_an_error_naming_the_list(tmp_path):
    cat = table(tmp_path, T)  # 40 mm: header 8, 合計 8: 3 rows
    page(cat, rows("甲", "乙", "丙"))
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", rows("甲", "乙", "丙", "丁"), catalog=cat)
    e = ei.value
    assert e.code == "TEXT_OVERFLOW" and e.path == "$.rows" and e.detail == {"rows": 4, "rows_per_page": 3}
    assert e.message == ("doc: page 'p' fields[0] (tb): 4 rows but the table holds 3 on its 40 mm and does not "
                         "continue on another page (paginate: false)")


GROW = """\
kind: table
id: tb
box: [20, 30, 100, 40]
rows: rows
as: r
row_height: 6
grow: true
vpad: 1
paginate: true
header: {height: 6}
columns:
  - {title: 名, width: 30, value: "{{ r.a }}"}
  - {title: 内容, value: "{{ r.b }}", fit: wrap, valign: top}
closing_mark: {text: 以下余白}
"""  # 内容: 70 mm less the pad of 1 each side, 18 characters a line at 10.5 pt (3.70 mm)
LINE = 10.5 * 1.3 * PT  # a wrapped line: 4.815 mm


def test_a_row_grows_to_its_wrapped_text_and_the_rest_of_the_box_is_one_blank_row(tmp_path):
    _, items = page(table(tmp_path, GROW), {"rows": [{"a": "一", "b": "あ" * 40}, {"a": "二", "b": "短"}]})
    # 40 characters: 3 lines, 10.5 pt + 2 × 4.815 mm = 13.335 mm of text + vpad 1 above and below
    h1 = 10.5 * PT + 2 * LINE + 2
    assert h1 == pytest.approx(15.335, abs=0.001)
    first = [v for v in lines(items) if v.path == "$.rows[0].b"]
    assert [v.text for v in first] == ["あ" * 18, "あ" * 18, "あ" * 4]
    assert all(v.box == pytest.approx((50, 37, 70, h1 - 2)) for v in first)  # inside the vpad
    assert first[0].baseline < 37 + 10.5 * PT and first[1].baseline - first[0].baseline == pytest.approx(LINE)
    one = next(v for v in lines(items) if v.text == "一")
    assert one.box == pytest.approx((20, 36, 30, h1))  # not wrapped: the whole row, no vpad
    two = {v.text: v for v in lines(items) if v.path and v.path.startswith("$.rows[1]")}
    assert two["二"].box == pytest.approx((20, 36 + h1, 30, 6)) and two["短"].box == pytest.approx((50, 37 + h1, 70, 4))
    assert next(v for v in lines(items) if v.text == "以下余白").box == pytest.approx((20, 36 + h1 + 6, 30, 6))
    assert [s for s in shapes(items) if isinstance(s, LineBox) and s.y1 == s.y2] == pytest.approx([
        LineBox(20, 36, 120, 36, 0.2), LineBox(20, 36 + h1, 120, 36 + h1, 0.2),
        LineBox(20, 42 + h1, 120, 42 + h1, 0.2)])  # and below it one blank row to the box's bottom
    assert shapes(items)[-1] == RectBox(20, 30, 100, 40, 0.35)


def test_a_grown_row_taller_than_a_page_is_an_error_naming_the_row(tmp_path):
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "一", "b": "短"}, {"a": "二", "b": "あ" * 180}]},
                       catalog=table(tmp_path, GROW))
    e = ei.value
    assert e.code == "TEXT_OVERFLOW" and e.path == "$.rows[1]"
    # 10 lines: 10.5 pt + 9 × 4.815 mm + 2 = 49.0 mm; the box holds 40 - 6 of rows
    assert e.message == "doc: page 'p' fields[0] (tb): row 2 is 49.0 mm high; a page holds 34.0 mm of rows"


def test_grown_rows_go_on_to_the_next_page_and_too_many_are_fewer_than_the_box_holds(tmp_path):
    three = {"rows": [{"a": "一", "b": "あ" * 40}, {"a": "二", "b": "あ" * 40}, {"a": "三", "b": "短"}]}
    pp = pages(table(tmp_path, GROW), three)
    assert len(pp) == 2
    assert [v.text for v in lines(pp[0][1]) if v.path and v.path.endswith(".a")] == ["一", "二"]
    assert [v.box for v in lines(pp[1][1]) if v.path and v.path.endswith(".a")] == [(20, 36, 30, 6)]
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", three, catalog=table(tmp_path / "b", GROW.replace("paginate: true\n", "")))
    assert ei.value.message == ("doc: page 'p' fields[0] (tb): 3 rows but the table holds fewer on its 40 mm and "
                                "does not continue on another page (paginate: false)")
    assert ei.value.detail == {"rows": 3, "rows_per_page": 5}


def test_rows_that_do_not_wrap_keep_the_row_height(tmp_path):
    t = GROW.replace(", fit: wrap, valign: top", "")  # shrink (the table's fit): the rows stay 6 mm
    statics, items = page(table(tmp_path, t), {"rows": [{"a": "一", "b": "あ" * 18}, {"a": "二", "b": ""}]})
    assert statics == []  # grow: drawn per page even when every row kept its height
    assert [v.box for v in lines(items) if v.path and v.path.endswith(".a")] == [(20, 36, 30, 6), (20, 42, 30, 6)]
    assert [s for s in shapes(items) if isinstance(s, LineBox) and s.y1 == s.y2] == [
        LineBox(20, 36, 120, 36, 0.2), LineBox(20, 42, 120, 42, 0.2), LineBox(20, 48, 120, 48, 0.2),
        LineBox(20, 54, 120, 54, 0.2), LineBox(20, 60, 120, 60, 0.2)]
    assert shapes(items)[-1] == RectBox(20, 30, 100, 36, 0.35)  # 5 whole rows of the 34 mm under the header


# -- expand: nested records as lines ---------------------------------------------------------------

EXPAND = """\
kind: table
id: tb
box: [20, 30, 100, 30]
rows: rows
as: r
row_height: 6
paginate: true
expand: {over: r.lines, as: line}
header: {height: 6}
columns:
  - {title: 名, width: 30, value: "{% if first %}{{ r.a }}{% endif %}"}
  - {title: 事項, width: 50, value: "{{ line }}"}
  - {title: 再, value: "{{ r.b }}"}
"""  # 30 mm: header 6, 4 lines a page


def test_each_record_gives_a_line_per_item_and_its_lines_stay_on_one_page(tmp_path):
    payload = {"rows": [{"a": "甲", "b": "p", "lines": ["一", "二"]}, {"a": "乙", "b": "q", "lines": ["三", "四", "五"]}]}
    pp = pages(table(tmp_path, EXPAND), payload)
    assert len(pp) == 2  # 乙's three lines do not fit under 甲's two: all three on page 2
    one, two = lines(pp[0][1]), lines(pp[1][1])
    assert [(v.text, v.box) for v in one if v.box[1] >= 36 and v.size > 8] == [
        ("甲", (20, 36, 30, 6)), ("一", (50, 36, 50, 6)), ("p", (100, 36, 20, 6)),
        ("二", (50, 42, 50, 6)), ("p", (100, 42, 20, 6))]  # first: the record's name on its first line
    assert [(v.text, v.box) for v in two if v.box[1] >= 36 and v.size > 8] == [
        ("乙", (20, 36, 30, 6)), ("三", (50, 36, 50, 6)), ("q", (100, 36, 20, 6)),
        ("四", (50, 42, 50, 6)), ("q", (100, 42, 20, 6)), ("五", (50, 48, 50, 6)), ("q", (100, 48, 20, 6))]
    assert [v.path for v in one + two if v.text in "一二三四五"] == [
        "$.rows[0].lines[0]", "$.rows[0].lines[1]", "$.rows[1].lines[0]", "$.rows[1].lines[1]", "$.rows[1].lines[2]"]
    assert next(v for v in one if v.text == "（次葉へ続く）").box == (20, 30 + 6 + 24 + 0.5, 100, 3.5)  # 4 rows


def test_lines_split_across_pages_without_keep_together_or_when_a_record_is_longer_than_a_page(tmp_path):
    payload = {"rows": [{"a": "甲", "b": "p", "lines": ["一", "二"]}, {"a": "乙", "b": "q", "lines": ["三", "四", "五"]}]}
    pp = pages(table(tmp_path, EXPAND.replace("as: line}", "as: line, keep_together: false}")), payload)
    assert [[v.text for v in lines(items) if v.path and "lines" in v.path] for _, items in pp] == [
        ["一", "二", "三", "四"], ["五"]]
    # one record of 6 lines: 4 on page 1, 2 on page 2 (it cannot be kept together)
    payload = {"rows": [{"a": "甲", "b": "p", "lines": ["一", "二", "三", "四", "五", "六"]}]}
    pp = pages(table(tmp_path / "long", EXPAND), payload)
    assert [[v.text for v in lines(items) if v.path and "lines" in v.path] for _, items in pp] == [
        ["一", "二", "三", "四"], ["五", "六"]]
    # a record after it starts on page 2, under its last two lines
    payload["rows"].append({"a": "乙", "b": "q", "lines": ["七"]})
    pp = pages(table(tmp_path / "more", EXPAND), payload)
    assert [[v.text for v in lines(items) if v.path and "lines" in v.path] for _, items in pp] == [
        ["一", "二", "三", "四"], ["五", "六", "七"]]


def test_a_cell_shown_on_a_record_s_first_line_names_the_record_s_value(tmp_path):
    # 「{% if first %}{{ r.a }}{% endif %}」: first is the table's own name, not a payload value
    # (the cell was named $.first)
    _, items = page(table(tmp_path, EXPAND), {"rows": [{"a": "甲", "b": "p", "lines": ["一", "二"]}]})
    assert texts(v for v in lines(items) if v.text == "甲")["甲"].path == "$.rows[0].a"


@pytest.mark.parametrize("rows_src,paths", [
    ("rows[1:]", ["$.rows[1].a", "$.rows[1].lines[0]", "$.rows[1].b"]),  # a slice: the index it starts at
    # a literal list, a sorted one: the records are not the payload's at their index (they were
    # named $[0].a and $.rows[0].a)
    ("\"[{'a': '乙', 'b': 'q', 'lines': ['三']}]\"", [None, None, None]),
    ("rows | sort(attribute='a', reverse=true)", [None, None, None, None, None, None]),
])
def test_rows_are_named_where_they_are_in_the_payload_or_not_at_all(tmp_path, rows_src, paths):
    t = EXPAND.replace("rows: rows\n", f"rows: {rows_src}\n")
    payload = {"rows": [{"a": "甲", "b": "p", "lines": ["一"]}, {"a": "乙", "b": "q", "lines": ["三"]}]}
    _, items = page(table(tmp_path, t), payload)
    assert [v.path for v in lines(items) if v.text in "甲乙一三pq"] == paths


def test_a_record_without_lines_gives_none(tmp_path):
    payload = {"rows": [{"a": "甲", "b": "p"}, {"a": "乙", "b": "q", "lines": ["三"]}]}
    pp = pages(table(tmp_path, EXPAND), payload)
    assert [(v.text, v.box[1]) for v in lines(pp[0][1]) if v.path] == [("乙", 36), ("三", 36), ("q", 36)]
    assert texts(pp[0][1])["三"].path == "$.rows[1].lines[0]"


# -- data the table is given ----------------------------------------------------------------------

def test_rows_must_be_a_list_and_none_is_no_rows(tmp_path):
    t = T.replace("rows: rows\n", "rows: t | upper\n")  # (rows: t is refused at load: a single value)
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"t": "abc"}, catalog=table(tmp_path, t))
    assert ei.value.code == "TEMPLATE_ERROR" and ei.value.path == "$.t"
    assert ei.value.message == "doc: page 'p' fields[0] (tb): 'rows' (t | upper) must give a list, got str"
    t = T.replace("rows: rows\n", "rows: \"{'a': 1}\"\n")  # no payload field: no path
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {}, catalog=table(tmp_path / "dict", t))
    assert ei.value.path is None and ei.value.message.endswith("must give a list, got dict")
    _, items = page(table(tmp_path / "none", T), {})  # no rows: the empty table and its 合計
    assert [v.text for v in lines(items)] == ["名前", "数", "備考", "合計", "0"]
    assert shapes(items)[-1] == RectBox(20, 30, 120, 40, 0.35)


def test_an_error_in_a_cell_names_the_table_and_the_row_s_field(tmp_path):
    t = T.replace('"{{ r.b }}"', '"{{ r.b | postcode }}"').replace('"{{ r.n }}"', '"{{ 100 // r.n }}"')
    cat = table(tmp_path, t)
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "甲", "n": 1, "b": "1000001"}, {"a": "乙", "n": 1, "b": "12"}]},
                       catalog=cat)
    assert ei.value.path == "$.rows[1].b"
    assert ei.value.message == ("doc: page 'p' fields[0] (tb): postcode must be 7 digits, NNN-NNNN or NNNNNNN; "
                                "the value (2 characters) is not")
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "甲", "n": 0, "b": "1000001"}]}, catalog=cat)
    assert ei.value.code == "TEMPLATE_ERROR" and ei.value.path == "$.rows[0].n"
    assert ei.value.message == "doc: page 'p' fields[0] (tb): ZeroDivisionError: integer division or modulo by zero"


def test_a_value_too_long_for_its_cell_names_the_row_s_field(tmp_path):
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "甲"}, {"a": "とても長い名前の値が入りきらない"}]}, catalog=table(tmp_path, T))
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.rows[1].a"


def test_a_cell_of_an_expanded_table_names_the_line_or_the_record(tmp_path):
    """Fixed with this test: a cell showing the record (``r.a``) was named ``$.r.a``."""
    t = EXPAND.replace('"{% if first %}{{ r.a }}{% endif %}"', '"{{ r.a }}"')
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "甲", "lines": ["一"]}, {"a": "とても長い名前の値", "lines": ["二"]}]},
                       catalog=table(tmp_path, t))
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.rows[1].a"
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "甲", "lines": ["一", "とても長い事項の値が入りきらないほど長い"]}]},
                       catalog=table(tmp_path / "line", t))
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.rows[0].lines[1]"
    _, items = page(table(tmp_path / "ok", t), {"rows": [{"a": "甲", "lines": ["一", "二"]}]})
    assert [(v.text, v.path) for v in lines(items) if v.path] == [
        ("甲", "$.rows[0].a"), ("一", "$.rows[0].lines[0]"), ("甲", "$.rows[0].a"), ("二", "$.rows[0].lines[1]")]


def test_a_title_from_data_and_a_value_outside_the_row(tmp_path):
    t = T.replace("title: 備考, value: \"{{ r.b }}\"", "title: \"{{ t }}\", value: \"{{ t }}{{ r.a }}\"")
    _, items = page(table(tmp_path, t), rows("甲", t="記"))
    tt = texts(v for v in lines(items) if v.text != "1")
    assert tt["記"].box == (90, 30, 50, 8) and tt["記"].path is None
    assert tt["記甲"].box == (90, 38, 50, 8) and tt["記甲"].path == "$.t"


# -- in a flow ------------------------------------------------------------------------------------

FLOWED = """\
kind: table
id: tb
box: [0, 0, 100, 0]
rows: rows
as: r
row_height: 6
header: {height: 6}
columns:
  - {id: a, title: 名, width: 30, value: "{{ r.a }}"}
  - {id: n, title: 数, value: "{{ r.n }}", sum: r.n}
footers:
  - {per: table, label: 計, cells: {n: "{{ total.n }}"}}
"""


def test_in_a_flow_rows_continue_on_the_next_page_and_the_section_after_follows_the_table(tmp_path):
    # 40 mm: header 6 and 4.5 for 「次葉へ続く」: 4 rows of 6 a page
    cat = flow(tmp_path, FLOWED, "[15, 30, 180, 40]", after="{kind: text, box: [0, 0, 100, 6], text: 以上}")
    pp = pages(cat, rows("甲", "乙", "丙", "丁", "戊", "己"))
    assert len(pp) == 2
    one, two = texts(pp[0][1]), texts(pp[1][1])
    assert [(k, v.box) for k, v in one.items() if v.path and v.path.endswith(".a")] == [
        ("甲", (15, 36, 30, 6)), ("乙", (15, 42, 30, 6)), ("丙", (15, 48, 30, 6)), ("丁", (15, 54, 30, 6))]
    assert one["名"].box == two["名"].box == (15, 30, 30, 6)  # the header on both pages
    assert one["（次葉へ続く）"].box == (15, 60.5, 100, 3.5) and "計" not in one
    assert [(k, v.box) for k, v in two.items() if v.path and v.path.endswith(".a")] == [
        ("戊", (15, 36, 30, 6)), ("己", (15, 42, 30, 6))]
    assert two["計"].box == (15, 48, 30, 6) and two["21"].box == (45, 48, 70, 6)
    assert two["以上"].box == (15, 54, 100, 6)  # right under the table
    assert shapes(pp[1][1])[-1] == RectBox(15, 30, 100, 24, 0.35)  # header, 2 rows, 計: no blank rows


def test_in_a_flow_a_table_with_no_room_for_a_row_starts_on_the_next_page(tmp_path):
    cat = flow(tmp_path, FLOWED, "[15, 30, 180, 40]")
    cat = catalog(tmp_path / "b", "- id: p\n  flow:\n    box: [15, 30, 180, 40]\n    gap: 0\n    sections:\n"
                  "      - {kind: text, box: [0, 0, 100, 25], text: 前}\n      - "
                  + FLOWED.replace("\n", "\n        ").rstrip() + "\n")
    pp = pages(cat, rows("甲", "乙"))
    assert len(pp) == 2 and [v.text for v in lines(pp[0][1])] == ["前"]
    two = texts(pp[1][1])
    assert two["甲"].box == (15, 36, 30, 6) and two["計"].box == (15, 48, 30, 6)


def test_in_a_flow_the_last_row_goes_on_with_the_table_footer(tmp_path):
    # room for 4 rows: 4 rows and 計 do not fit, so the 4th row goes to page 2 with it
    pp = pages(flow(tmp_path, FLOWED, "[15, 30, 180, 40]"), rows("甲", "乙", "丙", "丁"))
    assert [[v.text for v in lines(items) if v.path and v.path.endswith(".a")] for _, items in pp] == [
        ["甲", "乙", "丙"], ["丁"]]
    assert texts(pp[1][1])["計"].box == (15, 42, 30, 6)
    # 3 rows and 計: one page
    pp = pages(flow(tmp_path / "three", FLOWED, "[15, 30, 180, 40]"), rows("甲", "乙", "丙"))
    assert len(pp) == 1 and texts(pp[0][1])["計"].box == (15, 54, 30, 6)


def test_in_a_flow_an_empty_table_is_its_header_and_footer(tmp_path):
    pp = pages(flow(tmp_path, FLOWED, "[15, 30, 180, 40]"), {"rows": []})
    assert len(pp) == 1
    t = texts(pp[0][1])
    assert t["計"].box == (15, 42, 30, 6) and t["0"].box == (45, 42, 70, 6)  # one blank row above
    assert shapes(pp[0][1])[-1] == RectBox(15, 30, 100, 18, 0.35)


# -- the header's style and checks, at their edges ------------------------------------------------

def test_a_table_without_columns_is_refused_not_a_crash(tmp_path):
    t = T.replace(T[T.index("columns:"):T.index("footers:")], "columns: []\n").replace(
        "\nfooters:\n  - {per: table, label: 合計, cells: {n: \"{{ total.n }}\"}}", "")
    e = errors(table(tmp_path, t))
    assert e == [(15, WHERE, "column widths of the table add up to 0 mm but it is 120 mm wide")]


def test_small_rows_and_boxes_are_measured_not_refused(tmp_path):
    t_form(tmp_path, "row_height: 8", "row_height: 0.5", T.replace("120, 40]", "120, 16.5]")).get("doc")
    e = errors(t_form(tmp_path / "box", "header: {height: 8}\n", "", T.replace("120, 40]", "120, 0.5]")))
    assert e == [(8, WHERE, "the box (0.5 mm high) must hold the header (0 mm), the page footers (8.0 mm) "
                            "and at least one row (8.0 mm)")]


def test_every_header_title_is_checked_after_a_title_from_data_or_none(tmp_path):
    long = "名前" * 30  # 60 characters at 6 pt: 17 a line in 38 mm, 4 lines × 6.9 pt = 9.7 mm > 8
    for first in ("title: \"{{ t }}\",", "", "title: \"\","):
        t = T.replace("{id: a, title: 名前,", "{id: a, " + first).replace("title: 数,", f"title: {long},")
        e = errors(table(tmp_path / str(len(first)), t))
        assert [(ln, w) for ln, w, _ in e] == [(17, WHERE)], first
        assert e[0][2].startswith(f"header title '{long}' does not fit its 40 × 8 mm cell even at 6.0 pt: ")


def test_a_header_title_that_does_not_fit_names_the_line_of_its_title(tmp_path):
    long = "名前" * 30
    t = T.replace('  - {id: n, title: 数, width: 40, value: "{{ r.n }}", align: right, sum: r.n}\n',
                  f'  - id: n\n    title: {long}\n    width: 40\n    value: "{{{{ r.n }}}}"\n    sum: r.n\n')
    e = errors(table(tmp_path, t))
    assert [(ln, w) for ln, w, _ in e] == [(18, WHERE)]  # the column's mapping starts on 17


def test_the_header_s_font_line_height_and_pad(tmp_path):
    t = T.replace("row_height: 8\n", "row_height: 8\npad: 3\n").replace(
        "{height: 8}", "{height: 8, font: gothic, align: left, line_height: 1.5}").replace(
        "title: 名前,", "title: 名前名前名前名前名前名前名前,")  # 14 characters: 2 lines (9 + 13.5 pt = 7.9 mm)
    _, items = page(table(tmp_path, t), rows("甲"))
    head = [v for v in lines(items) if v.path is None and v.box == (20, 30, 30, 8)]
    assert [v.text for v in head] == ["名前名前名前名前", "名前名前名前"]  # 8 a line at 9 pt in 28 mm
    assert all(v.x == 21 for v in head)  # left, the header's pad: at most 1 mm (not the table's 3)
    assert head[1].baseline - head[0].baseline == pytest.approx(1.5 * head[0].size * PT)
    body = next(v for v in lines(items) if v.path == "$.rows[0].a")
    assert body.x == 23 and head[0].glyphs[0].font != body.glyphs[0].font  # gothic, not the table's mincho


def test_a_table_whose_every_column_is_hidden_draws_its_empty_frame(tmp_path):
    cat = table(tmp_path, """\
        kind: table
        id: tb
        box: [20, 30, 120, 20]
        rows: rows
        as: r
        row_height: 6
        header: {height: 8}
        columns:
          - {title: 甲, width: 40, value: "{{ r.a }}", when: show}
          - {title: 乙, value: "{{ r.b }}", when: show}
        """)
    _, items = page(cat, {"rows": [{"a": "一", "b": "x"}], "show": False})
    assert items == [RectBox(20, 30, 120, 8, None, fill=GREY), LineBox(20, 38, 140, 38, 0.2),
                     LineBox(20, 44, 140, 44, 0.2), RectBox(20, 30, 120, 20, 0.35)]


def test_rows_from_a_record_of_a_repeat_name_their_place_in_the_payload(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          repeat: {over: rows, as: rec, per_page: 1}
          slot:
            - kind: table
              id: tb
              box: [20, 30, 100, 20]
              rows: rec.lines
              as: l
              row_height: 6
              columns:
                - {title: 事項, value: "{{ l }}"}
        """)
    pp = pages(cat, {"rows": [{"lines": ["一"]}, {"lines": ["二", "三"]}]})
    assert [[(v.text, v.box, v.path) for v in lines(items)] for _, items in pp] == [
        [("一", (20, 30, 100, 6), "$.rows[0].lines[0]")],
        [("二", (20, 30, 100, 6), "$.rows[1].lines[0]"), ("三", (20, 36, 100, 6), "$.rows[1].lines[1]")]]


def test_computed_rows_and_the_row_s_name_ends_with_the_table(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          fields:
            - kind: table
              id: tb
              box: [20, 30, 100, 20]
              rows: "['甲', '甲2']"
              as: t
              row_height: 6
              columns:
                - {title: 値, value: "{{ t }}"}
            - {kind: text, box: [20, 60, 50, 8], value: "{{ t }}"}
        """)
    _, items = page(cat, {"t": "乙"})
    assert [(v.text, v.box) for v in lines(items)] == [("甲", (20, 30, 100, 6)), ("甲2", (20, 36, 100, 6)),
                                                      ("乙", (20, 60, 50, 8))]
    assert lines(items)[-1].path == "$.t"  # the field t, not the table's last row


def test_an_error_in_a_line_of_an_expanded_table_names_the_line(tmp_path):
    t = EXPAND.replace('"{{ line }}"', '"{{ line | postcode }}"')
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "甲", "lines": ["1000001", "12"]}]}, catalog=table(tmp_path, t))
    assert ei.value.path == "$.rows[0].lines[1]"
    assert ei.value.message == ("doc: page 'p' fields[0] (tb): postcode must be 7 digits, NNN-NNNN or NNNNNNN; "
                                "the value (2 characters) is not")


def test_without_grow_a_wrapped_cell_keeps_the_row_height(tmp_path):
    t = T.replace("row_height: 8\n", "row_height: 8\nvpad: 2\n").replace(
        "{title: 備考,", "{title: 備考, fit: wrap, size: 8,")  # 2 lines at 8 pt: 6.5 mm, + 2 × vpad > 8
    _, items = page(table(tmp_path, t), {"rows": [{"a": "甲", "b": "あ" * 30}, {"a": "乙", "b": "短"}]})
    assert [v.box for v in lines(items) if v.path in ("$.rows[0].a", "$.rows[1].a")] == [(20, 38, 30, 8), (20, 46, 30, 8)]
    assert [v.box for v in lines(items) if v.path == "$.rows[0].b"] == [(90, 38, 50, 8)] * 2  # the whole row: no vpad


def test_a_grown_row_is_measured_in_the_columns_as_the_record_shows_them(tmp_path):
    t = GROW.replace("  - {title: 名, width: 30, value: \"{{ r.a }}\"}\n",
                     "  - {title: 名, width: 30, value: \"{{ r.a }}\"}\n"
                     "  - {title: 隠, width: 30, value: \"{{ r.b }}\", fit: wrap, when: show}\n")
    # 30 characters: in 内容's 40 mm (10 a line) 3 lines; with 隠 hidden, in 70 mm (18 a line) 2
    _, items = page(table(tmp_path, t), {"rows": [{"a": "一", "b": "あ" * 30}, {"a": "二", "b": "短"}], "show": False})
    h = 10.5 * PT + LINE + 2
    boxes = [v.box for v in lines(items) if v.path and v.path.endswith(".a")]
    assert [pytest.approx(b) for b in boxes] == [(20, 36, 30, h), (20, 36 + h, 30, 6)]
    _, items = page(table(tmp_path / "shown", t), {"rows": [{"a": "一", "b": "あ" * 30}], "show": True})
    heights = [v.box[3] for v in lines(items) if v.path == "$.rows[0].a"]
    assert heights == [pytest.approx(10.5 * PT + 4 * LINE + 2)]  # 隠 (28 mm: 7 a line) needs 5 lines


def test_a_row_grown_by_less_than_a_millimetre_is_not_a_uniform_row(tmp_path):
    t = GROW.replace("vpad: 1\n", "vpad: 1.2\n")  # one line: 3.70 + 2.4 = 6.10 mm > 6
    _, items = page(table(tmp_path, t), {"rows": [{"a": "一", "b": "短"}]})
    h = 10.5 * PT + 2.4
    assert [s for s in shapes(items) if isinstance(s, LineBox) and s.y1 == s.y2] == pytest.approx([
        LineBox(20, 36, 120, 36, 0.2), LineBox(20, 36 + h, 120, 36 + h, 0.2)])  # and one blank row below


def test_a_row_style_of_a_font_or_a_colour_alone(tmp_path):
    t = STYLED.replace('  - {when: "r.n >= 2", fill: [0.9, 0.9, 1]}\n', "") + (
        '  - {when: "r.n == 5", font: gothic}\n  - {when: "r.n == 6", color: [0, 0, 1]}\n')
    _, items = page(table(tmp_path, t), {"rows": [{"a": "一", "n": 5}, {"a": "二", "n": 6}, {"a": "三", "n": 1}]})
    c = texts(items)
    assert c["一"].glyphs[0].font != c["三"].glyphs[0].font and c["一"].color is None  # gothic
    assert c["二"].glyphs[0].font == c["三"].glyphs[0].font and c["二"].color == (0, 0, 1)
    assert c["一"].size == c["二"].size == 10.5


def test_cells_that_fit_auto_grow_the_row_too_and_name_their_field(tmp_path):
    t = GROW.replace("fit: wrap, valign: top", "fit: auto, valign: top")
    _, items = page(table(tmp_path, t), {"rows": [{"a": "一", "b": "あ" * 40}]})
    one = next(v for v in lines(items) if v.text == "一")
    assert one.box[3] > 6  # shrunk to 3/4 (7.9 pt: 24 a line) then wrapped: 2 lines
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"rows": [{"a": "一", "b": "あ\ue000"}]}, catalog=table(tmp_path / "moji", GROW))
    assert ei.value.code == "MOJI_NOT_IN_FONT" and ei.value.path == "$.rows[0].b"


def test_a_tenant_that_allows_it_gets_the_base_of_an_unknown_variation_sequence_in_a_grown_row(tmp_path):
    from lgforms.tenants.profile import demo_profile

    ivs = "葛\U000E01EF飾"
    tenant = demo_profile().model_copy(update={"allow_ivs_fallback": True})
    doc = lgforms.layout("doc", {"rows": [{"a": "一", "b": ivs}]}, catalog=table(tmp_path, GROW), tenant=tenant)
    assert [v.text for v in doc.pages[0].items if isinstance(v, TextLine) and v.path == "$.rows[0].b"] == [ivs]


def test_a_table_s_box_must_be_inside_the_page(tmp_path):
    el = """\
        kind: table
        id: tb
        box: BOX
        rows: rows
        as: r
        row_height: 8
        columns:
          - {title: 名前, value: "{{ r.a }}"}
        """
    for box in ("[20, 280, 120, 40]", "[100, 30, 120, 0]"):  # below the page; right of it (a height of 0)
        e = errors(table(tmp_path / box, el.replace("BOX", box)))
        assert e == [(8, WHERE, f"tb: box {box} is not inside the 210 × 297 mm page")]
    for box in ("[20, 257, 120, 40]", "[20, 296.5, 120, 0]", "[90, 30, 120, 0]"):  # to the page's edges
        table(tmp_path / box, el.replace("BOX", box)).get("doc")


def test_the_pages_a_table_needs(tmp_path):
    assert len(pages(table(tmp_path, T), rows("甲", "乙", "丙"))) == 1  # no paginate: one page
    assert len(pages(table(tmp_path / "p", PAGED), rows("甲", "乙"))) == 1
    assert len(pages(table(tmp_path / "p0", PAGED), {"rows": []})) == 1
    assert len(pages(table(tmp_path / "p7", PAGED), rows(*"甲乙丙丁戊己庚"))) == 3


def test_without_a_header_the_box_holds_a_row_more(tmp_path):
    t = T.replace("header: {height: 8}\n", "")  # 40 mm, 合計 8: 4 rows
    _, items = page(table(tmp_path, t), rows("甲", "乙", "丙", "丁"))
    assert texts(items)["丁"].box == (20, 54, 30, 8) and texts(items)["合計"].box == (20, 62, 30, 8)


def test_a_page_footer_of_a_fixed_table_is_background_with_the_frame(tmp_path):
    t = PAGED.replace("  - {per: table, label: 合計件数, cells: {n: \"{{ total.n }}\", b: \"{{ count }}件\"}}\n", "")
    statics, items = page(table(tmp_path, t), rows("甲", "乙"))
    # 36 mm: header 6, 小計 6: 4 rows; the frame, rules and 小計's fill and rules are the static part
    assert RectBox(20, 60, 120, 6, None, fill=FOOT) in shapes(statics)
    assert LineBox(20, 60, 140, 60, 0.2 * 1.5) in shapes(statics) and shapes(statics)[-1] == RectBox(20, 30, 120, 36, 0.35)
    assert LineBox(50, 60, 50, 66, 0.2) in shapes(statics)
    assert texts(items)["小計"].box == (20, 60, 30, 6) and texts(items)["3"].box == (50, 60, 40, 6)


def test_tables_on_a_page_run_longer_than_theirs(tmp_path):
    cat = catalog(tmp_path, (
        "- id: p\n  fields:\n"
        + "    - " + textwrap.indent(PAGED.replace("id: tb", "id: long"), "      ").lstrip()
        + "    - " + textwrap.indent(PAGED.replace("id: tb", "id: short").replace("rows: rows", "rows: rows[:2]").replace(
            "[20, 30, 120, 36]", "[20, 100, 120, 36]"), "      ").lstrip()
        + "    - " + textwrap.indent(PAGED.replace("id: tb", "id: fixed").replace("rows: rows", "rows: rows[:1]").replace(
            "[20, 30, 120, 36]", "[20, 170, 120, 36]").replace("paginate: true\n", ""), "      ").lstrip()))
    pp = pages(cat, rows("甲", "乙", "丙", "丁", "戊"))
    assert len(pp) == 2
    two = [(v.text, v.box[1]) for v in lines(pp[1][1]) if v.path and v.path.endswith(".a")]
    # page 2: long's rows 4-5; short ended on page 1; the table without paginate is on every page
    assert two == [("丁", 36), ("戊", 42), ("甲", 176)]


def test_a_closing_mark_without_a_header_and_continuation_texts_in_a_narrow_table(tmp_path):
    t = PAGED.replace("header: {height: 6}\n", "").replace("box: [20, 30, 120, 36]", "box: [20, 30, 120, 30]")
    _, items = page(table(tmp_path, t), rows("甲"))  # 30 mm, 小計 and 合計 6 each: 3 rows
    assert next(v for v in lines(items) if v.text == "以下余白").box == (20, 36, 30, 6)  # the row after the first
    narrow = """\
        kind: table
        id: tb
        box: [20, 30, 17, 18]
        rows: rows
        as: r
        row_height: 6
        paginate: true
        columns:
          - {title: 名, value: "{{ r.a }}"}
        """
    pp = pages(table(tmp_path / "n", narrow), rows("甲", "乙", "丙", "丁"))
    mark = texts(pp[0][1])["（次葉へ続く）"]  # 7 characters at 8 pt: 19.8 mm in 17: shrunk
    assert mark.box == (20, 48.5, 17, 3.5) and 6 <= mark.size < 8
    mark = texts(pp[1][1])["（前葉から続く）"]  # 8 characters: 16.9 mm at 6 pt, the least
    assert mark.box == (20, 26, 17, 3.5) and 6 <= mark.size < 6.2


def test_a_free_space_less_than_a_row_is_no_room_for_the_closing_mark(tmp_path):
    t = PAGED.replace("box: [20, 30, 120, 36]", "box: [20, 30, 120, 35.5]").replace(
        "row_height: 6\n", "row_height: 6\nfont: gothic\n")  # rows: 17.5 mm, 2 rows and 5.5 mm
    _, items = page(table(tmp_path, t), rows("甲", "乙"))
    mark = next(v for v in lines(items) if v.text == "以下余白")
    assert mark.box == (20, 30 + 6 + 12 + 12 + 0.5, 30, 6)  # under the frame: header, 2 rows, 2 footers
    t2 = t.replace("{text: 以下余白}", "{text: 以下余白, full: omit}")
    _, items = page(table(tmp_path / "omit", t2), rows("甲", "乙"))
    assert "以下余白" not in [v.text for v in lines(items)]
    pp = pages(table(tmp_path / "p", t), rows("甲", "乙", "丙"))  # the continuation texts in the table's font
    assert texts(pp[0][1])["（次葉へ続く）"].glyphs[0].font == texts(pp[0][1])["甲"].glyphs[0].font
    prev = next(v for v in lines(pp[1][1]) if v.text == "（前葉から続く）")
    assert prev.glyphs[0].font == texts(pp[0][1])["甲"].glyphs[0].font
    assert texts(pp[0][1])["甲"].glyphs[0].font != texts(pp[0][1])["名前"].glyphs[0].font  # gothic, the header mincho
