"""Form format v2: styles, blocks, grids, tables with totals, flows, rules, tenant data, delivery
variants — and every authoring mistake reported at load with its file and line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import lgforms
from lgforms.errors import FormSpecInvalid, LgformsError
from lgforms.layout.boxes import TextLine
from lgforms.tenants.profile import demo_profile

SCHEMA = {
    "type": "object",
    "required": ["name", "persons"],
    "properties": {
        "name": {"type": "string"},
        "note": {"type": "string"},
        "total": {"type": "integer"},
        "persons": {"type": "array", "items": {"$ref": "#/$defs/person"}},
        "addr": {"type": "object", "properties": {"city": {"type": "string"}, "town": {"type": "string"}}},
    },
    "$defs": {"person": {"type": "object", "properties": {
        "name": {"type": "string"}, "amount": {"type": "integer"},
        "lines": {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}}}}},
}


def catalog(tmp_path: Path, form: str, *, blocks: dict[str, str] | None = None, schema: dict | None = None,
            styles: str | None = None) -> lgforms.Catalog:
    d = tmp_path / "test" / "f"
    d.mkdir(parents=True, exist_ok=True)
    if form.startswith(HEAD):
        form = HEAD + textwrap.dedent(form[len(HEAD):])
    (d / "form.yaml").write_text(textwrap.dedent(form), encoding="utf-8")
    (d / "schema.json").write_text(json.dumps(schema or SCHEMA), encoding="utf-8")
    b = tmp_path / "_blocks"
    b.mkdir(exist_ok=True)
    (b / "styles.yaml").write_text(styles or textwrap.dedent("""\
        styles:
          label: {size: 9, align: distribute, pad: 2}
          value: {size: 10, min_size: 7, fit: shrink, pad: 1}
          right: {align: right}
        """), encoding="utf-8")
    for name, text in (blocks or {}).items():
        (b / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    from lgforms.spec.loader import reset_block_libraries

    reset_block_libraries()
    return lgforms.Catalog(tmp_path)


HEAD = """\
id: f
title: テスト
area: test
"""


def load_errors(cat) -> list[dict]:
    with pytest.raises(FormSpecInvalid) as ei:
        cat.get("f")
    assert ei.value.code == "FORM_SPEC_INVALID"
    return ei.value.detail["errors"]


def texts(doc) -> list[str]:
    return [it.text for p in doc.pages for it in p.items if isinstance(it, TextLine)]


PAYLOAD = {"name": "髙橋", "persons": [{"name": "一郎", "amount": 100}, {"name": "二郎", "amount": 250}]}


# -- load-time checking ---------------------------------------------------------------------------

def test_typo_in_a_loop_alias_attribute_is_a_load_error_with_line(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            repeat: {over: persons, as: person, per_page: 2, pitch: [0, 20]}
            slot:
              - {kind: text, box: [10, 10, 50, 8], value: "{{ person.nmae }}"}
        """)
    errs = load_errors(cat)
    assert len(errs) == 1
    e = errs[0]
    assert e["file"] == "f/form.yaml" and e["line"] == 8
    assert "person.nmae" in e["message"] and "did you mean 'name'" in e["message"]


def test_every_mistake_is_listed_not_only_the_first(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            when: "nmae"
            fields:
              - {kind: text, box: [10, 10, 50, 8], value: "{{ addr.ctiy }}"}
              - {kind: text, box: [10, 20, 50, 8], value: "{{ page.nubmer }}"}
              - {kind: text, box: [200, 20, 50, 8], value: "{{ name }}"}
              - {kind: text, box: [10, 30, 50, 8], value: "{{ name | wareki(fmt='lon') }}"}
          - id: q
            repeat: {over: persnos, as: x, per_page: 1}
        """)
    errs = load_errors(cat)
    msgs = " | ".join(f"{e['line']}: {e['message']}" for e in errs)
    assert "6: nmae: not a payload field" in msgs
    assert "8: addr.ctiy" in msgs and "did you mean 'city'" in msgs
    assert "9: page.nubmer" in msgs
    assert "10: " in msgs and "not inside the 210 × 297 mm page" in msgs
    assert "11: filter wareki: unknown 和暦 format 'lon'" in msgs
    assert "13: persnos" in msgs
    assert len(errs) == 6


def test_nested_properties_through_ref_and_items_are_checked(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - {kind: text, box: [10, 10, 80, 8], value: "{{ persons[0].lines[0].txet }}"}
              - {kind: text, box: [10, 20, 80, 8], value: "{{ persons | sum(attribute='amuont') }}"}
              - {kind: text, box: [10, 30, 80, 8], value: "{% for p in persons %}{{ p.nam }}{% endfor %}"}
        """)
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("txet" in m and "did you mean 'text'" in m for m in msgs)
    assert any("amuont" in m for m in msgs)
    assert any("p.nam" in m for m in msgs)


def test_tenant_slots_must_be_declared(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        tenant_slots: [name]
        pages:
          - id: p
            fields:
              - {kind: text, box: [10, 10, 80, 8], value: "{{ tenant.mayor_name }}"}
        """)
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("tenant.mayor_name" in m and "tenant_slots" in m for m in msgs)


# -- styles -------------------------------------------------------------------------------------

def test_named_styles_and_defaults(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        styles:
          big: {size: 14, font: gothic}
        defaults: {style: value}
        pages:
          - id: p
            fields:
              - {kind: text, id: a, box: [10, 10, 80, 8], value: "{{ name }}"}
              - {kind: text, id: b, box: [10, 20, 80, 8], value: "{{ name }}", style: [big, right]}
              - {kind: text, id: c, box: [10, 30, 80, 8], value: "{{ name }}", style: big, size: 12}
        """)
    f = cat.get("f")
    els = {e.spec.id: e.spec for e in f.pages[0].fields}
    assert (els["a"].size, els["a"].fit, els["a"].pad) == (10, "shrink", 1)
    assert (els["b"].size, els["b"].font, els["b"].align) == (14, "gothic", "right")
    assert els["c"].size == 12


def test_unknown_style_and_redefined_shared_style(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        styles:
          label: {size: 20}
        pages:
          - id: p
            fields:
              - {kind: text, box: [10, 10, 80, 8], value: "{{ name }}", style: vlaue}
        """)
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("already defined in _blocks/styles.yaml" in m for m in msgs)
    assert any("unknown style 'vlaue'" in m for m in msgs)


# -- blocks -------------------------------------------------------------------------------------

BLOCK = """\
block: greeting
size: [100, 20]
params:
  who: {doc: 名前}
  rows: {}
  label: {as: text, default: 合計}
static:
  - {kind: text, box: [0, 0, 30, 8], value: "{{ label }}", style: label}
fields:
  - {kind: text, id: who, box: [30, 0, 70, 8], value: "{{ who }}　様", style: value}
  - {kind: text, id: sum, box: [30, 10, 70, 8], value: "{{ rows | sum(attribute='amount') }}", style: value}
"""


def test_block_placed_with_parameters_renders(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - {kind: block, use: greeting, at: [20, 40], with: {who: name, rows: persons, label: 総額}}
        """, blocks={"greeting": BLOCK})
    doc = lgforms.layout("f", PAYLOAD, catalog=cat)
    lines = {it.text: it for p in doc.pages for it in p.items if isinstance(it, TextLine)}
    assert "髙橋　様" in lines and lines["髙橋　様"].path == "$.name"
    assert "350" in lines
    statics = [it.text for sp in doc.pages[0].statics for it in sp.items if isinstance(it, TextLine)]
    assert "総額" in statics  # a constant text parameter goes into the static part
    assert lines["髙橋　様"].x == pytest.approx(20 + 30 + 1)


def test_errors_inside_a_block_name_the_block_its_line_and_the_form(tmp_path):
    bad = BLOCK.replace("attribute='amount'", "attribute='amuont'")
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - {kind: block, use: greeting, at: [20, 40], with: {who: name, rows: persons, lable: x}}
              - {kind: block, use: greting}
        """, blocks={"greeting": bad})
    errs = load_errors(cat)
    by = {e["message"]: e for e in errs}
    amount = next(e for e in errs if "amuont" in e["message"])
    assert amount["file"] == "_blocks/greeting.yaml" and amount["line"] == 11
    assert "block 'greeting'" in amount["where"] and "f/form.yaml:7" in amount["where"]
    assert any("has no parameter 'lable'" in m and "did you mean 'label'" in m for m in by)
    assert any("no block 'greting'" in m and "did you mean 'greeting'" in m for m in by)


def test_block_parameter_types_flow_from_the_form_schema(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - {kind: block, use: greeting, at: [20, 40], with: {who: name, rows: addr}}
        """, blocks={"greeting": BLOCK})
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("rows | sum: rows is an object, not a list" in m for m in msgs)  # addr is not a list of persons


def test_block_cannot_see_payload_names(tmp_path):
    leak = BLOCK.replace('value: "{{ who }}　様"', 'value: "{{ name }}　様"')
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - {kind: block, use: greeting, with: {who: name, rows: persons}}
        """, blocks={"greeting": leak})
    msgs = [e["message"] for e in load_errors(cat)]
    assert any(m.startswith("name: not a parameter of the block") for m in msgs)


# -- grid ---------------------------------------------------------------------------------------

def test_grid_positions_from_widths_and_heights(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - kind: grid
                box: [15, 30, 180, 0]
                columns: [30, 60, 30, 60]
                rows: [10, 8]
                cells:
                  - [{label: 氏名}, {value: "{{ name }}", span: 3}]
                  - [{label: 備考}, {value: "{{ note }}", empty: 【空欄】}, {label: 合計}, {value: "{{ total }}"}]
        """)
    doc = lgforms.layout("f", {**PAYLOAD, "total": 5}, catalog=cat)
    lines = {it.text: it for it in doc.pages[0].items if isinstance(it, TextLine)}
    assert lines["髙橋"].box == (45, 30, 150, 10)
    assert lines["【空欄】"].box == (45, 40, 60, 8)
    assert lines["5"].box == (135, 40, 60, 8)


def test_grid_cells_must_tile(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - kind: grid
                box: [15, 30, 180, 18]
                columns: [30, 60, 30, 60]
                rows: [10, 8]
                cells:
                  - [{label: 氏名}, {value: "{{ name }}", span: 2}]
                  - [{label: 備考}, {value: "{{ note }}", span: 4}]
        """)
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("row 1: column(s) 4 have no cell" in m for m in msgs)


# -- tables -------------------------------------------------------------------------------------

TABLE = """\
        pages:
          - id: p
            fields:
              - kind: table
                id: t
                box: [15, 30, 180, 40]
                rows: persons
                as: row
                row_height: 6
                paginate: true
                header: {height: 12}
                columns:
                  - {id: n, title: 氏名, width: 60, value: "{{ row.name }}"}
                  - title: 金額
                    columns:
                      - {id: a, title: 本税, width: 60, value: "{{ row.amount | comma }}", sum: row.amount, align: right}
                      - {id: b, title: 延滞金, value: "{{ row.amount // 10 }}", sum: "row.amount // 10", align: right}
                footers:
                  - {per: page, label: 小計, cells: {a: "{{ total.a | comma }}", b: "{{ total.b }}"}}
                  - {per: table, label: 合計, cells: {a: "{{ total.a | comma }}", n: "{{ count }}件"}}
        """


def test_table_footers_are_computed_per_page_and_in_total(tmp_path):
    cat = catalog(tmp_path, HEAD + TABLE)
    persons = [{"name": f"人{i}", "amount": 1000 * (i + 1)} for i in range(7)]
    doc = lgforms.layout("f", {"name": "x", "persons": persons}, catalog=cat)
    # a fixed box keeps its footers inside: 40 mm - header 12 - 小計 6 - 合計 6 = 16 mm: 2 rows per page
    assert len(doc.pages) == 4
    page_texts = [[it.text for it in p.items if isinstance(it, TextLine)] for p in doc.pages]
    assert "3,000" in page_texts[0]  # 1000+2000
    assert "7,000" in page_texts[1] and "11,000" in page_texts[2]
    assert "7,000" in page_texts[3] and "28,000" in page_texts[3] and "7件" in page_texts[3]
    assert "28,000" not in page_texts[0]  # the 合計 only after the last row
    statics = [it.text for sp in doc.pages[0].statics for it in sp.items if isinstance(it, TextLine)]
    heads = statics + page_texts[0]
    assert {"氏名", "金額", "本税", "延滞金"} <= set(heads)


def test_footer_naming_an_unknown_column_or_total(tmp_path):
    cat = catalog(tmp_path, HEAD + TABLE.replace("total.b }}", "total.c }}").replace("n: \"{{ count", "x: \"{{ count"))
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("total.c" in m for m in msgs)
    assert any("no column with id 'x'" in m for m in msgs)


def test_header_titles_that_cannot_fit_are_load_errors(tmp_path):
    cat = catalog(tmp_path, HEAD + TABLE.replace("title: 本税", "title: " + "本税額（地方税法第三百二十一条の規定による）" * 3)
                  .replace("header: {height: 12}", "header: {height: 6, size: 9}"))
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("header title" in m and "does not fit" in m for m in msgs)


def test_growing_rows_and_expanded_nested_records(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - kind: table
                box: [15, 30, 180, 200]
                rows: persons
                as: person
                expand: {over: person.lines, as: line}
                row_height: 6
                grow: true
                fit: wrap
                columns:
                  - {title: 氏名, width: 40, value: "{% if first %}{{ person.name }}{% endif %}"}
                  - {title: 事項, value: "{{ line.text }}"}
        """)
    long = "令和元年五月一日東雲県みどり野市で出生、同月十日父届出入籍" * 3
    p = {"name": "x", "persons": [{"name": "一郎", "lines": [{"text": "【出生日】昭和58年7月3日"}, {"text": long}]},
                                  {"name": "二郎", "lines": [{"text": "【婚姻日】平成20年1月1日"}]}]}
    doc = lgforms.layout("f", p, catalog=cat)
    lines = [it for it in doc.pages[0].items if isinstance(it, TextLine)]
    names = [it.text for it in lines if it.text in ("一郎", "二郎")]
    assert names == ["一郎", "二郎"]
    grown = [it for it in lines if it.path == "$.persons[0].lines[1].text"]
    assert len(grown) >= 2  # the long line wrapped and its row grew
    ichiro = next(it for it in lines if it.text == "【婚姻日】平成20年1月1日")
    assert ichiro.path == "$.persons[1].lines[0].text"
    assert ichiro.baseline > max(it.baseline for it in grown)


# -- flow ---------------------------------------------------------------------------------------

FLOW = HEAD + """\
        pages:
          - id: p
            fields:
              - {kind: text, box: [150, 5, 45, 5], value: "{{ page.number }}/{{ page.count }}", align: right}
            flow:
              box: [15, 30, 180, 100]
              next_box: [15, 20, 180, 250]
              gap: 2
              sections:
                - {kind: text, id: title, box: [0, 0, 180, 8], text: 明細, keep_with_next: true}
                - kind: table
                  box: [0, 0, 180, 0]
                  rows: persons
                  row_height: 6
                  header: {height: 6}
                  columns:
                    - {title: 氏名, width: 90, value: "{{ row.name }}"}
                    - {title: 金額, value: "{{ row.amount }}", sum: row.amount, id: a, align: right}
                  footers:
                    - {per: table, label: 合計, cells: {a: "{{ total.a }}"}}
                - {kind: textblock, id: note, box: [0, 0, 180, 6], value: "{{ note }}", when: note, grow: true}
                - {kind: text, id: after, box: [0, 0, 180, 8], text: 以上}
        """


def test_flow_sections_stack_and_an_absent_section_takes_no_space(tmp_path):
    cat = catalog(tmp_path, FLOW)
    doc = lgforms.layout("f", PAYLOAD, catalog=cat)
    assert len(doc.pages) == 1
    lines = {it.text: it for it in doc.pages[0].items if isinstance(it, TextLine)}
    # title 8 + gap 2 + table (header 6 + 2 rows 12 + footer 6) + gap 2 -> 以上 at 30+36 = 66
    assert lines["以上"].box[1] == pytest.approx(30 + 8 + 2 + 24 + 2)
    doc2 = lgforms.layout("f", {**PAYLOAD, "note": "備考です。" * 40}, catalog=cat)
    l2 = {it.text: it for it in doc2.pages[0].items if isinstance(it, TextLine)}
    assert l2["以上"].box[1] > lines["以上"].box[1] + 6  # the grown note pushed it down


def test_flow_table_continues_on_the_next_page_and_the_next_section_follows(tmp_path):
    cat = catalog(tmp_path, FLOW)
    persons = [{"name": f"人{i}", "amount": i} for i in range(30)]
    doc = lgforms.layout("f", {"name": "x", "persons": persons}, catalog=cat)
    assert len(doc.pages) == 2
    p1 = [it.text for it in doc.pages[0].items if isinstance(it, TextLine)]
    p2 = {it.text: it for it in doc.pages[1].items if isinstance(it, TextLine)}
    assert "1/2" in p1 and "2/2" in p2
    assert "（次葉へ続く）" in p1
    assert "人29" in p2 and "435" in p2 and "以上" in p2
    assert p2["以上"].box[1] > p2["435"].box[1]
    assert "氏名" in p2  # header repeated


def test_keep_with_next_moves_a_heading_with_its_table(tmp_path):
    cat = catalog(tmp_path, FLOW.replace("box: [15, 30, 180, 100]", "box: [15, 30, 180, 14]"))
    doc = lgforms.layout("f", PAYLOAD, catalog=cat)
    p1 = [it.text for it in doc.pages[0].items if isinstance(it, TextLine)]
    assert "明細" not in p1  # the heading alone would not fit with the table's first row


def test_each_expands_nested_records(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            flow:
              box: [15, 30, 180, 250]
              gap: 1
              sections:
                - kind: each
                  over: persons
                  as: person
                  sections:
                    - {kind: text, box: [0, 0, 180, 7], value: "{{ person.name }}"}
                    - kind: each
                      over: person.lines
                      as: line
                      sections:
                        - {kind: text, box: [10, 0, 170, 6], value: "{{ line.text }}"}
        """)
    p = {"name": "x", "persons": [{"name": "一郎", "lines": [{"text": "a"}, {"text": "b"}]}, {"name": "二郎", "lines": []}]}
    doc = lgforms.layout("f", p, catalog=cat)
    got = [(it.text, it.path) for it in doc.pages[0].items if isinstance(it, TextLine)]
    assert got == [("一郎", "$.persons[0].name"), ("a", "$.persons[0].lines[0].text"),
                   ("b", "$.persons[0].lines[1].text"), ("二郎", "$.persons[1].name")]


@pytest.mark.parametrize("over,expected", [
    ("persons[1:]", ["$.persons[1].name", "$.persons[2].name"]),  # a slice: the index it starts at
    ("persons[:2]", ["$.persons[0].name", "$.persons[1].name"]),
    # sorted, filtered, from the end: a record is not at its place in the payload, so no path
    # (these named $.persons[0] for the first record shown, whichever it was)
    ("persons | sort(attribute='name', reverse=true)", [None, None, None]),
    ("persons | selectattr('name') | list", [None, None, None]),
    ("persons[-2:]", [None, None]),
])
def test_each_names_a_record_where_it_is_in_the_payload_or_not_at_all(tmp_path, over, expected):
    cat = catalog(tmp_path, HEAD + f"""\
        pages:
          - id: p
            flow:
              box: [15, 30, 180, 250]
              sections:
                - kind: each
                  over: "{over}"
                  as: person
                  sections:
                    - {{kind: text, box: [0, 0, 180, 7], value: "{{{{ person.name }}}}"}}
        """)
    p = {"name": "x", "persons": [{"name": "一郎"}, {"name": "二郎"}, {"name": "三郎"}]}
    doc = lgforms.layout("f", p, catalog=cat)
    assert [it.path for it in doc.pages[0].items if isinstance(it, TextLine)] == expected


# -- rules, tenant data, variants ----------------------------------------------------------------

def test_rules_across_fields(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        rules:
          - {id: total, check: "total == persons | sum(attribute='amount')", message: 合計が明細の和と一致しません,
             paths: [total, persons]}
          - {id: positive, each: persons, as: p, check: "p.amount > 0", message: 金額は正, paths: ["@.amount"]}
        pages:
          - id: p
            fields:
              - {kind: text, box: [10, 10, 50, 8], value: "{{ total }}"}
        """)
    lgforms.layout("f", {**PAYLOAD, "total": 350}, catalog=cat)
    with pytest.raises(LgformsError) as ei:
        lgforms.layout("f", {"name": "x", "total": 10, "persons": [{"amount": 5}, {"amount": -1}]}, catalog=cat)
    e = ei.value
    assert e.code == "RULE_VIOLATED" and e.path == "$.total"
    rules = {r["rule"]: r for r in e.detail["rules"]}
    assert rules["total"]["paths"] == ["$.total", "$.persons"]
    assert rules["positive"]["paths"] == ["$.persons[1].amount"]


def test_tenant_data_the_profile_lacks_is_an_error(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        tenant_slots: [contacts.senkyo, issuers.senkyo]
        pages:
          - id: p
            fields:
              - {kind: text, box: [10, 10, 190, 8], value: "{{ tenant.issuers.senkyo.title }}　{{ tenant.contacts.senkyo }}",
                 fit: shrink, min_size: 6}
        """)
    with pytest.raises(LgformsError) as ei:
        lgforms.layout("f", PAYLOAD, catalog=cat, tenant=demo_profile().model_copy(update={"contacts": {}}))
    assert ei.value.code == "TENANT_DATA_MISSING" and "contacts.senkyo" in ei.value.message
    doc = lgforms.layout("f", PAYLOAD, catalog=cat)
    assert any("選挙管理委員会委員長" in t for t in texts(doc))


def test_delivery_variants_share_one_schema(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        delivery: counter
        pages:
          - id: p
            fields:
              - {kind: text, box: [10, 10, 50, 8], value: "A4 {{ name }}"}
        variants:
          postcard:
            paper: {size: postcard}
            pages:
              - id: q
                fields:
                  - {kind: text, box: [10, 10, 50, 8], value: "はがき {{ nmae }}"}
        """)
    msgs = [e["message"] for e in load_errors(cat)]
    assert any("nmae" in m for m in msgs)


VARIANT_BASE = HEAD + """\
    delivery: counter
    rules:
      - {id: named, check: "name != ''", message: 名前がありません, paths: [name]}
    pages:
      - id: p
        fields:
          - {kind: text, box: [10, 10, 50, 8], value: "A4 {{ name }} {{ note }}"}
    variants:
      postcard:
        paper: {size: postcard}
        not_printed: {NOT_PRINTED}
        rules:
          - {id: few, check: "persons | length <= 2", message: はがきには2人まで, paths: [persons]}
        pages:  # a postcard's two faces, its 宛名 on the address side (checked when the form loads)
          - id: q
            panel: back
            fields:
              - {kind: text, box: [10, 10, 50, 8], value: "はがき {{ name }}"}
          - id: a
            panel: address
            fields:
              - {kind: text, id: atena_name, box: [10, 60, 50, 8], value: "{{ name }} 様"}
    """


def test_a_variant_declares_what_it_leaves_out_and_its_own_rules(tmp_path):
    """``not_printed`` (path -> reason) is checked against the schema; a variant's ``rules`` run
    after the form's, for that delivery only."""
    cat = catalog(tmp_path, VARIANT_BASE.replace("{NOT_PRINTED}", '{"$.note": はがきには載せない, "$.persons[*].amount": 明細は封書で}'))
    form = cat.get("f")
    assert form.not_printed == {} and form.for_delivery("postcard").not_printed == {
        "$.note": "はがきには載せない", "$.persons[*].amount": "明細は封書で"}
    three = {**PAYLOAD, "persons": PAYLOAD["persons"] * 2}
    lgforms.layout("f", three, catalog=cat)  # the A4 layout has no such limit
    with pytest.raises(LgformsError) as ei:
        lgforms.layout("f", three, catalog=cat, delivery="postcard")
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.persons" and "2人まで" in ei.value.message
    with pytest.raises(LgformsError) as ei:
        lgforms.layout("f", {**PAYLOAD, "name": ""}, catalog=cat, delivery="postcard")
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.name"  # the form's own rules too


@pytest.mark.parametrize("np,word", [("{$.nmae: x}", "nmae"), ("{$.persons.amount: x}", "persons"),
                                     ("{note: x}", "JSON path"), ("{$.note: ''}", "reason")])
def test_a_wrong_not_printed_path_is_a_load_error(tmp_path, np, word):
    cat = catalog(tmp_path, VARIANT_BASE.replace("{NOT_PRINTED}", np))
    msgs = " ".join(e["message"] for e in load_errors(cat))
    assert word in msgs


def test_repeat_columns_place_slots_in_a_grid(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            repeat: {over: persons, as: x, per_page: 6, pitch: [40, 20], columns: 3}
            slot:
              - {kind: text, box: [10, 10, 30, 8], value: "{{ x.name }}"}
        """)
    persons = [{"name": n} for n in "一二三四五"]
    doc = lgforms.layout("f", {"name": "x", "persons": persons}, catalog=cat)
    at = {it.text: (round(it.box[0]), round(it.box[1])) for it in doc.pages[0].items if isinstance(it, TextLine)}
    assert at == {"一": (10, 10), "二": (50, 10), "三": (90, 10), "四": (10, 30), "五": (50, 30)}


# -- the command line: check, forms --area, a broken form listed as broken -------------------------

def test_cli_check_lists_every_error_with_file_and_line_and_forms_lists_broken(tmp_path):
    import os
    import subprocess
    import sys

    catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - {kind: text, box: [10, 10, 50, 8], value: "{{ nmae }}"}
              - {kind: text, box: [10, 20, 50, 8], value: "{{ name | wareki(fmt='x') }}"}
        """)
    env = {**os.environ, "LGFORMS_FORMS_DIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "lgforms.cli", "check", "f"], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "FORM_SPEC_INVALID" in r.stderr
    assert "f/form.yaml:7:" in r.stderr and "f/form.yaml:8:" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "lgforms.cli", "forms"], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and "BROKEN" in r.stdout and "lgforms check f" in r.stdout
    r = subprocess.run([sys.executable, "-m", "lgforms.cli", "forms", "--area", "住民基本台帳"], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 2 and "ARGUMENT_INVALID" in r.stderr and "test" in r.stderr  # names the known 業務
    r = subprocess.run([sys.executable, "-m", "lgforms.cli", "forms", "--area", "test"], capture_output=True,
                       text=True, env=env)
    assert r.stdout.split()[0] == "f"


def test_table_columns_and_grid_rows_that_only_exist_when_true(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            fields:
              - kind: table
                box: [15, 30, 180, 40]
                rows: persons
                row_height: 6
                header: {height: 6}
                columns:
                  - {title: 氏名, value: "{{ row.name }}"}
                  - {id: a, title: 金額, width: 40, value: "{{ row.amount }}", when: "total", align: right, sum: row.amount}
                  - {title: 備考, width: 40, value: "x"}
                footers:
                  - {per: table, label: 計, cells: {a: "{{ total.a }}"}}
              - kind: grid
                box: [15, 100, 180, 0]
                columns: [30, 150]
                rows: [8, 8, 8]
                cells:
                  - [{label: 氏名}, {value: "{{ name }}"}]
                  - {when: note, cells: [{label: 備考}, {value: "{{ note }}"}]}
                  - [{label: 以上}, {}]
        """)
    with_total = lgforms.layout("f", {**PAYLOAD, "total": 350}, catalog=cat)
    t = {it.text: it for it in with_total.pages[0].items if isinstance(it, TextLine)}
    statics = {it.text: it for sp in with_total.pages[0].statics for it in sp.items if isinstance(it, TextLine)}
    assert "金額" in t and "350" in t and t["一郎"].box[2] == pytest.approx(100)
    without = lgforms.layout("f", PAYLOAD, catalog=cat)
    t2 = {it.text: it for it in without.pages[0].items if isinstance(it, TextLine)}
    assert "金額" not in t2 and "100" not in t2 and "250" not in t2
    assert t2["一郎"].box[2] == pytest.approx(140)  # the hidden column's width went to the column without one
    # the grid: the 備考 row collapses, 以上 moves up by its height
    ijo_with = next(it for it in (*with_total.pages[0].items, *[i for sp in with_total.pages[0].statics for i in sp.items])
                    if isinstance(it, TextLine) and it.text == "以上")
    doc_note = lgforms.layout("f", {**PAYLOAD, "note": "メモ"}, catalog=cat)
    ijo_note = next(it for it in (*doc_note.pages[0].items, *[i for sp in doc_note.pages[0].statics for i in sp.items])
                    if isinstance(it, TextLine) and it.text == "以上")
    assert ijo_note.baseline - ijo_with.baseline == pytest.approx(8)
    del statics


def test_each_keep_together_moves_a_record_whole(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            flow:
              box: [15, 30, 180, 40]
              gap: 0
              sections:
                - kind: each
                  over: persons
                  as: person
                  keep_together: true
                  sections:
                    - {kind: text, box: [0, 0, 180, 8], value: "{{ person.name }}"}
                    - kind: each
                      over: person.lines
                      as: line
                      sections:
                        - {kind: text, box: [10, 0, 170, 8], value: "{{ line.text }}"}
        """)
    p = {"name": "x", "persons": [{"name": "一郎", "lines": [{"text": "a"}, {"text": "b"}]},
                                  {"name": "二郎", "lines": [{"text": "c"}, {"text": "d"}]}]}
    doc = lgforms.layout("f", p, catalog=cat)
    pages = [[it.text for it in pg.items if isinstance(it, TextLine)] for pg in doc.pages]
    # 一郎 takes 24 of 40 mm; 二郎 (24 mm) would be split after its name: it moves whole
    assert pages == [["一郎", "a", "b"], ["二郎", "c", "d"]]


def test_footer_labels_are_templates_and_footers_may_be_conditional(tmp_path):
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            flow:
              box: [15, 30, 180, 200]
              sections:
                - kind: table
                  box: [0, 0, 180, 0]
                  rows: persons
                  row_height: 6
                  columns:
                    - {title: 氏名, width: 90, value: "{{ row.name }}"}
                    - {id: a, title: 金額, value: "{{ row.amount }}", sum: row.amount, align: right}
                  footers:
                    - {per: page, label: この面の小計, cells: {a: "{{ total.a }}"}, when: "persons | length > 3"}
                    - {per: table, label: "{{ count }}人の合計（{{ name }}）", cells: {a: "{{ total.a }}"}}
        """)
    doc = lgforms.layout("f", PAYLOAD, catalog=cat)
    texts_ = [it.text for it in doc.pages[0].items if isinstance(it, TextLine)]
    assert "2人の合計（髙橋）" in texts_ and "350" in texts_
    assert "この面の小計" not in texts_  # two rows: no page subtotal


def test_grids_in_static_parts_and_conditional_static_block_children(tmp_path):
    blk = """\
block: lab
size: [100, 20]
params:
  kind: {as: text}
static:
  - {kind: grid, box: [0, 0, 100, 8], columns: [50, 50], rows: [8], cells: [[{label: 左}, {label: 右}]]}
  - {kind: text, box: [0, 10, 100, 8], text: ONLY-FOR-X, when: "kind == 'x'"}
"""
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            static:
              - {kind: grid, box: [10, 10, 100, 8], columns: [50, 50], rows: [8], cells: [[{label: 氏名}, {label: 住所}]]}
            fields:
              - {kind: block, use: lab, at: [10, 40], with: {kind: y}}
              - {kind: text, box: [10, 80, 50, 8], value: "{{ name }}"}
        """, blocks={"lab": blk})
    doc = lgforms.layout("f", PAYLOAD, catalog=cat)
    statics = [it.text for sp in doc.pages[0].statics for it in sp.items if isinstance(it, TextLine)]
    assert {"氏名", "住所", "左", "右"} <= set(statics)
    assert "ONLY-FOR-X" not in statics + texts(doc)


def test_a_block_placed_in_a_static_list_is_drawn(tmp_path):
    """A block placed under ``static`` (or ``slot_static``) is background as a whole: its labels, rules and
    grids are drawn once per document — not silently dropped (they were, before)."""
    blk = """\
block: info
size: [100, 30]
params:
  title: {as: text, default: 既定の見出し}
static:
  - {kind: text, box: [0, 0, 100, 6], value: "{{ title }}"}
  - {kind: grid, box: [0, 8, 100, 8], columns: [50, 50], rows: [8], cells: [[{label: 種類}, {label: 間隔}]]}
fields:
  - {kind: text, box: [0, 20, 100, 6], text: 案内の本文}
"""
    cat = catalog(tmp_path, HEAD + """\
        pages:
          - id: p
            static:
              - {kind: block, use: info, at: [10, 10]}
            fields:
              - {kind: text, box: [10, 80, 50, 8], value: "{{ name }}"}
            repeat: {over: persons, as: person, per_page: 2, pitch: [0, 40]}
            slot_static:
              - {kind: block, use: info, at: [10, 120], with: {title: 枠の見出し}}
        """, blocks={"info": blk})
    doc = lgforms.layout("f", PAYLOAD, catalog=cat)
    statics = [it.text for sp in doc.pages[0].statics for it in sp.items if isinstance(it, TextLine)]
    assert statics.count("既定の見出し") == 1 and statics.count("枠の見出し") == 1  # page and slot background
    assert statics.count("案内の本文") == 2 and statics.count("種類") == 2 and statics.count("間隔") == 2
    assert "既定の見出し" not in texts(doc)  # background only, not a field
