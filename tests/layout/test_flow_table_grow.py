"""A table in a flow keeps its own `grow` (rows grow to fit wrapped cells, with `vpad`): the flow's
`grow` is for text sections only (layout/flow.py)."""

from __future__ import annotations

import json
import textwrap

import lgforms
from lgforms.layout.boxes import TextLine

FORM = """\
id: f
title: テスト
area: test
version: "2.0"
paper: {size: A4}
pages:
  - id: p
    flow:
      box: [15, 30, 180, 250]
      sections:
        - kind: table
          box: [0, 0, 100, 0]
          rows: rows
          as: r
          row_height: 6
          grow: true
          vpad: 1
          valign: top
          fit: wrap
          size: 10
          header: {height: 6}
          columns:
            - {title: 名称, width: 40, value: "{{ r.a }}"}
            - {title: 内容, value: "{{ r.b }}"}
        - {kind: text, id: after, box: [0, 0, 100, 6], text: 以上}
"""
SCHEMA = {"type": "object", "properties": {"rows": {"type": "array", "items": {
    "type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}}}}


def test_a_flow_table_row_grows_to_fit_its_wrapped_cell_with_padding(tmp_path):
    d = tmp_path / "test" / "f"
    d.mkdir(parents=True)
    (d / "form.yaml").write_text(textwrap.dedent(FORM), encoding="utf-8")
    (d / "schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (tmp_path / "_blocks").mkdir()
    (tmp_path / "_blocks" / "styles.yaml").write_text("styles: {}\n", encoding="utf-8")
    from lgforms.spec.loader import reset_block_libraries

    reset_block_libraries()
    cat = lgforms.Catalog(tmp_path)
    long = "長い内容の説明が二行以上に折り返されることを確かめるための文章です。" * 2
    doc = lgforms.layout("f", {"rows": [{"a": "一", "b": long}, {"a": "二", "b": "短い"}]}, catalog=cat)
    lines = [it for it in doc.pages[0].items if isinstance(it, TextLine)]
    first = [it for it in lines if it.path == "$.rows[0].b"]
    second = next(it for it in lines if it.path == "$.rows[1].a")
    after = next(it for it in lines if it.text == "以上")
    assert len(first) >= 3  # wrapped at 10 pt in 60 mm, not shrunk onto fewer lines
    header_bottom = 30 + 6
    name = next(it for it in lines if it.path == "$.rows[0].a")
    # top-aligned with vpad: the first line starts 1 mm under the row's top, not on the rule
    assert name.box[1] >= header_bottom + 1 - 0.01
    # the row grew: the next row starts below the last wrapped line, and the flow continues after the table
    assert second.box[1] > first[-1].box[1] + first[-1].box[3] - 0.01
    assert second.box[1] - name.box[1] > 6 + 1  # row 1 is taller than row_height
    assert after.box[1] > second.box[1]
