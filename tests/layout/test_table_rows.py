"""A table with a fixed box and no ``paginate`` holds a fixed number of rows: one more is
``TEXT_OVERFLOW`` naming the list (docs/forms.md, 表), never a row silently left out. Every row that
is accepted is printed in its own row of the table (read back with pdfminer)."""

from __future__ import annotations

import json
import textwrap

import pytest

import lgforms

from pdfcheck import pdf_chars, text_in_box

# header 6 mm + 5 rows of 6 mm = 36 mm: the box holds exactly five rows
FORM = """\
id: t
title: テスト
area: test
version: "2.0"
paper: {size: A4}
pages:
  - id: p
    fields:
      - kind: table
        id: meisai
        box: [20, 30, 120, 36]
        rows: rows
        as: r
        row_height: 6
        size: 10
        header: {height: 6}
        columns:
          - {title: 番号, width: 30, value: "{{ r.no }}"}
          - {title: 品目, value: "{{ r.name }}"}
"""
SCHEMA = {"type": "object", "properties": {"rows": {"type": "array", "items": {
    "type": "object", "properties": {"no": {"type": "string"}, "name": {"type": "string"}}}}}}
NAMES = ["一号", "二号", "三号", "四号", "五号", "六号"]


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    root = tmp_path_factory.mktemp("table")
    d = root / "test" / "t"
    d.mkdir(parents=True)
    (d / "form.yaml").write_text(textwrap.dedent(FORM), encoding="utf-8")
    (d / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    return lgforms.Catalog(root)


def rows(n: int) -> dict:
    return {"rows": [{"no": f"R{i + 1:02d}", "name": NAMES[i]} for i in range(n)]}


def test_as_many_rows_as_the_box_holds_are_all_printed_each_in_its_row(cat):
    chars = pdf_chars(lgforms.render("t", rows(5), catalog=cat))[0]
    for i in range(5):
        top = 30 + 6 + 6 * i
        assert text_in_box(chars, (20, top, 30, 6)) == f"R{i + 1:02d}"
        assert text_in_box(chars, (50, top, 90, 6)) == NAMES[i]


def test_one_row_more_than_the_box_holds_is_an_error_not_a_dropped_row(cat):
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("t", rows(6), catalog=cat)
    e = ei.value
    assert e.code == "TEXT_OVERFLOW" and e.path == "$.rows"
    assert e.detail == {"rows": 6, "rows_per_page": 5}
    assert "6 rows" in e.message and "paginate" in e.message
