"""``layout.document``, the generator loop, on a small form of its own: page `when`, how many pages
a repeat needs (start, per_page), `pages:` first/last/not_first/not_last, the page and slot
variables, slot offsets, 以下余白 in the first empty slot, empty-slot frames, the static parts (once
per form and tenant, never cached when a label cannot be drawn) and the JSON paths of records.
Every expected value is written out from the form below."""

from __future__ import annotations

import json
import pytest
import yaml

import lgforms
from lgforms.layout.boxes import FormRef, RectBox, TextLine

from formtest import demo_profile_file

PITCH = 30.0

FORM = {
    "id": "doc", "title": "生成ループ", "area": "test",
    "pages": [
        {"id": "cover", "when": "show_cover",
         "fields": [{"kind": "text", "id": "cover", "box": [10, 10, 100, 8], "value": "表紙 {{ page.number }}/{{ page.count }}"}]},
        {"id": "sheet",
         "repeat": {"over": "people", "as": "p", "per_page": 2, "pitch": [0, PITCH], "start": 1,
                    "closing_mark": {"text": "以下余白", "box": [10, 2, 100, 8]}, "frame_empty_slots": True},
         "static": [{"kind": "text", "id": "title", "box": [10, 5, 100, 8], "value": "{{ form.title }}"},
                    {"kind": "text", "id": "form_id", "box": [120, 5, 60, 8], "value": "様式 {{ form.id }}"}],
         "slot_static": [{"kind": "text", "id": "frame", "box": [150, 20, 20, 8], "value": "枠"},
                         {"kind": "text", "id": "frame2", "box": [175, 20, 20, 8], "value": "欄"}],
         "fields": [
             {"kind": "text", "id": "numbers", "box": [10, 250, 180, 8],
              "value": "P{{ page.number }}/{{ page.count }} i{{ page.index }}/{{ page.run_count }}"},
             {"kind": "text", "id": "f_first", "pages": "first", "box": [10, 260, 30, 8], "value": "FIRST"},
             {"kind": "text", "id": "f_last", "pages": "last", "box": [50, 260, 30, 8], "value": "LAST"},
             {"kind": "text", "id": "f_not_last", "pages": "not_last", "box": [90, 260, 30, 8], "value": "NOTLAST"},
             {"kind": "text", "id": "f_not_first", "pages": "not_first", "box": [130, 260, 30, 8], "value": "NOTFIRST"},
             {"kind": "text", "id": "flagged", "when": "flag", "box": [10, 270, 30, 8], "value": "FLAG"},
             {"kind": "text", "id": "after_slots", "box": [50, 270, 60, 8],
              "value": "NN {{ issue.number or '-' }}"},
             {"kind": "table", "id": "t_every", "box": [10, 200, 80, 20], "rows": "[]", "as": "r", "row_height": 8,
              "columns": [{"title": "常表", "value": "{{ r }}", "width": 80}]},
             {"kind": "table", "id": "t_when", "when": "flag", "box": [100, 200, 80, 20], "rows": "[]", "as": "r",
              "row_height": 8, "columns": [{"title": "条表", "value": "{{ r }}", "width": 80}]},
             {"kind": "table", "id": "t_when2", "when": "flag", "box": [10, 225, 80, 20], "rows": "[]", "as": "r",
              "row_height": 8, "columns": [{"title": "条表2", "value": "{{ r }}", "width": 80}]},
         ],
         "slot": [
             {"kind": "text", "id": "vip", "when": "p.vip", "box": [140, 10, 10, 8], "value": "VIP"},
             {"kind": "text", "id": "who", "box": [10, 20, 100, 8],
              "value": "{{ p.name }} {{ slot.index }}/{{ slot.number }}/{{ slot.count }}"},
             {"kind": "text", "id": "slot_last", "pages": "last", "box": [120, 20, 20, 8], "value": "SL"},
             {"kind": "text", "id": "slot_first", "pages": "first", "box": [120, 10, 20, 8], "value": "SF"},
         ]},
        {"id": "panel2", "when": "second",
         "repeat": {"over": "people", "as": "q", "per_page": 2, "stop": 3},
         "slot": [{"kind": "text", "id": "q", "box": [10, 20, 100, 8], "value": "Q{{ q.name }}"}]},
    ],
}


@pytest.fixture(scope="module")
def cat(tmp_path_factory) -> lgforms.Catalog:
    root = tmp_path_factory.mktemp("doc")
    d = root / "test" / "doc"
    (d / "samples").mkdir(parents=True)
    (d / "form.yaml").write_text(yaml.safe_dump(FORM, allow_unicode=True), "utf-8")
    s = {"type": "string"}
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {
        "show_cover": {"type": "boolean"}, "flag": {"type": "boolean"}, "second": {"type": "boolean"},
        "people": {"type": ["array", "string"], "items": {"type": "object", "properties": {
            "name": s, "vip": {"type": "boolean"}}}}}}), "utf-8")
    return lgforms.Catalog(root)


def people(n: int) -> list[dict]:
    return [{"name": f"人{i}"} for i in range(n)]


def texts(page) -> list[str]:
    return [it.text for it in page.items if isinstance(it, TextLine)]


def line(page, prefix: str) -> TextLine:
    [ln] = [it for it in page.items if isinstance(it, TextLine) and it.text.startswith(prefix)]
    return ln


def test_pages_and_their_numbers(cat):
    # records 1..5 of 6 (start 1), 2 per sheet: 3 sheets, after the cover
    doc = lgforms.layout("doc", {"show_cover": True, "people": people(6)}, catalog=cat)
    assert [(p.template, p.number) for p in doc.pages] == [("cover", 1), ("sheet", 2), ("sheet", 3), ("sheet", 4)]
    assert texts(doc.pages[0]) == ["表紙 1/4"]
    assert [line(p, "P").text for p in doc.pages[1:]] == ["P2/4 i1/3", "P3/4 i2/3", "P4/4 i3/3"]
    doc = lgforms.layout("doc", {"show_cover": False, "people": people(6)}, catalog=cat)
    assert [p.template for p in doc.pages] == ["sheet"] * 3
    assert line(doc.pages[0], "P").text == "P1/3 i1/3"


def test_no_records_still_one_page(cat):
    for payload in ({"people": []}, {"people": people(1)}, {}):  # start 1: one record gives none
        doc = lgforms.layout("doc", payload, catalog=cat)
        assert [p.template for p in doc.pages] == ["sheet"]
        assert line(doc.pages[0], "P").text == "P1/1 i1/1"


def test_first_last_not_first_not_last(cat):
    doc = lgforms.layout("doc", {"people": people(7)}, catalog=cat)  # 6 records: 3 sheets
    marks = [[t for t in texts(p) if t in ("FIRST", "LAST", "NOTLAST", "NOTFIRST")] for p in doc.pages]
    assert marks == [["FIRST", "NOTLAST"], ["NOTLAST", "NOTFIRST"], ["LAST", "NOTFIRST"]]
    one = lgforms.layout("doc", {"people": people(2)}, catalog=cat)
    assert [t for t in texts(one.pages[0]) if t in ("FIRST", "LAST", "NOTLAST", "NOTFIRST")] == ["FIRST", "LAST"]


def test_element_when(cat):
    assert "FLAG" in texts(lgforms.layout("doc", {"flag": True, "people": people(2)}, catalog=cat).pages[0])
    assert "FLAG" not in texts(lgforms.layout("doc", {"flag": False, "people": people(2)}, catalog=cat).pages[0])


def test_slots_records_offsets_and_slot_variables(cat):
    doc = lgforms.layout("doc", {"people": people(6)}, catalog=cat)  # records 人1..人5
    who = [[it for it in p.items if isinstance(it, TextLine) and it.text.startswith("人")] for p in doc.pages]
    assert [[ln.text for ln in page] for page in who] == [
        ["人1 1/2/5", "人2 2/3/5"], ["人3 1/4/5", "人4 2/5/5"], ["人5 1/6/5"]]
    first, second = who[0]
    assert second.baseline == pytest.approx(first.baseline + PITCH) and second.x == pytest.approx(first.x)
    # the JSON path of each record keeps its index in the whole list
    assert [ln.path for page in who for ln in page] == [f"$.people[{i}].name" for i in range(1, 6)]
    # a slot element with pages: last is on the last sheet only, once per record there
    assert [texts(p).count("SL") for p in doc.pages] == [0, 0, 1]


def test_closing_mark_and_empty_slot_frames(cat):
    doc = lgforms.layout("doc", {"people": people(6)}, catalog=cat)
    last = doc.pages[-1]
    [mark] = [it for it in last.items if isinstance(it, TextLine) and it.text == "以下余白"]
    first_slot = line(last, "人5")
    # in the first empty slot (slot 1): its box [10, 2] shifted by one pitch
    assert mark.baseline > 2 + PITCH and mark.baseline < 10 + PITCH
    assert mark.baseline < first_slot.baseline + PITCH
    assert all("以下余白" not in texts(p) for p in doc.pages[:-1])
    full = lgforms.layout("doc", {"people": people(5)}, catalog=cat)  # 4 records fill 2 sheets
    assert all("以下余白" not in texts(p) for p in full.pages)
    # the slot frame (slot_static) is placed at every slot: used ones and, on the last page, the empty one
    refs = [[(r.dx, r.dy) for r in p.items if isinstance(r, FormRef) and r.name.endswith(".slot")] for p in doc.pages]
    assert refs == [[(0.0, 0.0), (0.0, PITCH)], [(0.0, 0.0), (0.0, PITCH)], [(0.0, 0.0), (0.0, PITCH)]]
    [slot_part] = [s for s in last.statics if s.name.endswith(".slot")]
    assert [it.text for it in slot_part.items if isinstance(it, TextLine)] == ["枠", "欄"]


def test_static_parts_once_per_form_and_tenant(cat, tmp_path):
    a = lgforms.layout("doc", {"people": people(3)}, catalog=cat)
    b = lgforms.layout("doc", {"people": people(9)}, catalog=cat)
    page_a, page_b = a.pages[0].statics[0], b.pages[0].statics[0]
    assert page_a is page_b and [it.text for it in page_a.items if isinstance(it, TextLine)] == ["生成ループ", "様式 doc"]
    assert all(p.statics[0] is page_a for p in b.pages)
    assert FormRef(page_a.name) in b.pages[1].items  # every page places the background
    other_city = lgforms.load_profile(demo_profile_file(tmp_path, name="東雲県かもめ市"))
    other = lgforms.layout("doc", {"people": people(3)}, catalog=cat, tenant=other_city)
    assert other.pages[0].statics[0] is not page_a  # another tenant: its own background


def test_repeat_over_must_be_a_list(cat):
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.layout("doc", {"people": "山田"}, catalog=cat)
    assert ei.value.code == "PAYLOAD_INVALID" and ei.value.path == "$.people" and ei.value.form_id == "doc"
    assert "repeat.over" in ei.value.message and "'sheet'" in ei.value.message


def test_a_bad_character_in_a_record_names_that_record(cat):
    with pytest.raises(lgforms.MojiNotInFont) as ei:
        lgforms.layout("doc", {"people": [{"name": "a"}, {"name": "b"}, {"name": "c\u00ad"}]}, catalog=cat)
    assert ei.value.path == "$.people[2].name"


def test_render_many_prefixes_the_record(cat):
    with pytest.raises(lgforms.MojiNotInFont) as ei:
        lgforms.render_many("doc", [{"people": people(3)}, {"people": [{"name": "a"}, {"name": "b\u00ad"}]}],
                            catalog=cat)
    assert ei.value.path == "$[1].people[1].name" and ei.value.detail["record"] == 1


def test_static_elements_and_table_frames_go_where_they_belong(cat):
    doc = lgforms.layout("doc", {"people": people(3)}, catalog=cat)
    page = doc.pages[0]
    [background] = [st for st in page.statics if not st.name.endswith(".slot")]
    assert [it.text for it in background.items if isinstance(it, TextLine)] == ["生成ループ", "様式 doc"]
    # the frame of a table on every page without a condition is background; the frame of a table
    # with a condition belongs to the pages it is on
    def frames(items):
        return [it.x for it in items if isinstance(it, RectBox)]

    assert frames(background.items) == [10.0] and frames(page.items) == []
    flagged = lgforms.layout("doc", {"flag": True, "people": people(3)}, catalog=cat).pages[0]
    assert frames(flagged.items) == [100.0, 10.0] and frames(flagged.statics[0].items) == [10.0]
    [slot_part] = [st for st in page.statics if st.name.endswith(".slot")]
    assert [it.text for it in slot_part.items if isinstance(it, TextLine)] == ["枠", "欄"]
    cover = lgforms.layout("doc", {"show_cover": True, "people": people(2)}, catalog=cat).pages[0]
    assert [st.name for st in cover.statics if st.name.endswith(".slot")] == []  # no slots: no slot part


def test_slot_elements_first_page_and_conditions(cat):
    ppl = [{"name": "甲", "vip": True}, {"name": "乙", "vip": True}, {"name": "丙", "vip": True}, {"name": "丁"},
           {"name": "戊"}]
    doc = lgforms.layout("doc", {"people": ppl}, catalog=cat)  # records 乙 丙 | 丁 戊
    assert [texts(p).count("SF") for p in doc.pages] == [2, 0]
    assert [texts(p).count("VIP") for p in doc.pages] == [2, 0]
    # a record whose conditional element is left out still has its other elements
    assert [t for t in texts(doc.pages[1]) if t.startswith(("丁", "戊"))] == ["丁 1/4/4", "戊 2/5/4"]


def test_what_a_page_sees_after_the_slots_of_the_page_before(cat):
    doc = lgforms.layout("doc", {"people": people(6)}, catalog=cat, issue={"number": "第12号"})
    # the slot offsets end with the slots (x of the page fields on the next page); a page field
    # cannot name the record or `slot` at all (refused when the form loads)
    assert [line(p, "NN").text for p in doc.pages] == ["NN 第12号"] * 3
    assert all(line(p, "NN").x == pytest.approx(line(doc.pages[0], "NN").x) for p in doc.pages)
    assert line(doc.pages[2], "P").x == pytest.approx(line(doc.pages[0], "P").x)
    assert line(lgforms.layout("doc", {"people": people(2)}, catalog=cat).pages[0], "NN").text == "NN -"


def test_closing_mark_position(cat):
    doc = lgforms.layout("doc", {"people": people(6)}, catalog=cat)
    last = doc.pages[-1]
    [mark] = [it for it in last.items if isinstance(it, TextLine) and it.text == "以下余白"]
    # centred in its box [10, 2, 100, 8] of slot 1 (one pitch down, no x shift); same size and
    # vertical placement as the slot's text in its box [10, 20, 100, 8], so 18 mm above it
    assert mark.x + mark.width / 2 == pytest.approx(10 + 100 / 2, abs=0.01)
    assert mark.size == line(last, "人5").size
    assert mark.baseline == pytest.approx(line(last, "人5").baseline - 18 + PITCH, abs=0.01)


def test_repeat_stop_without_start(cat):
    doc = lgforms.layout("doc", {"second": True, "people": people(6)}, catalog=cat)
    panel = [p for p in doc.pages if p.template == "panel2"]
    assert [texts(p) for p in panel] == [["Q人0", "Q人1"], ["Q人2"]]  # records 0..2 only
