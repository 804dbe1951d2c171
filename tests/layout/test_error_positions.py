"""``position`` in a character error counts code points in the payload value as sent: not in
the text after a template put words around it, not after MJ tokens were expanded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import lgforms

from formtest import demo_profile_file


def _catalog(root: Path) -> lgforms.Catalog:
    d = root / "test" / "pos"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    fields = [
        {"kind": "text", "id": "name", "box": [10, 10, 180, 10], "value": "氏名　{{ name }}　様", "moji": "mj",
         "size": 12},
        {"kind": "text", "id": "plain", "box": [10, 30, 180, 10], "value": "{{ plain }}", "size": 12},
        {"kind": "text", "id": "kana", "box": [10, 50, 180, 10], "value": "（{{ kana | zenkaku }}）", "size": 12},
        {"kind": "table", "box": [10, 70, 180, 40], "rows": "rows", "as": "row", "row_height": 8,
         "columns": [{"title": "氏名", "value": "＊{{ row.name }}", "width": 90}, {"title": "x", "value": "{{ row.x }}"}]},
        # several values in one text: a problem is at the value that holds the character
        {"kind": "text", "id": "addr", "box": [10, 120, 180, 10], "value": "{{ addr.pref }}{{ addr.city }}　{{ addr.town }}",
         "size": 12},
        {"kind": "text", "id": "notes", "box": [10, 132, 180, 8], "value": "備考：{{ notes | join('、') }}", "size": 10},
        {"kind": "table", "box": [10, 140, 180, 40], "rows": "people", "as": "p", "row_height": 8,
         "columns": [{"title": "氏名（かな）", "value": "{{ p.name }}（{{ p.kana }}）"}]},
    ]
    (d / "form.yaml").write_text(yaml.safe_dump({
        "id": "pos", "title": "pos", "area": "test",
        "pages": [{"id": "p", "fields": fields}]}, allow_unicode=True), encoding="utf-8")
    s = {"type": "string"}
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {
        "name": s, "plain": s, "kana": s,
        "rows": {"type": "array", "items": {"type": "object", "properties": {"name": s, "x": s}}},
        "addr": {"type": "object", "properties": {"pref": s, "city": s, "town": s}},
        "notes": {"type": "array", "items": s},
        "people": {"type": "array", "items": {"type": "object", "properties": {"name": s, "kana": s}}}}}),
        encoding="utf-8")
    return lgforms.Catalog(root)


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    return _catalog(tmp_path_factory.mktemp("pos"))


OK = {"name": "山田", "plain": "x", "kana": "ﾔﾏﾀﾞ", "rows": [{"name": "a", "x": "b"}],
      "addr": {"pref": "東京都", "city": "千代田区", "town": "霞が関"}, "notes": ["一", "二"],
      "people": [{"name": "山田", "kana": "やまだ"}, {"name": "川口", "kana": "かわぐち"}]}


def _errors(cat, **payload) -> list[dict]:
    with pytest.raises(lgforms.MojiNotInFont) as ei:
        lgforms.layout("pos", {**OK, **payload}, catalog=cat)
    e = ei.value
    return e.detail.get("all") or [{"code": e.code, "path": e.path, **e.detail}]


def test_position_after_a_template_prefix_counts_in_the_value(cat):
    [e] = _errors(cat, name="山\u00ad田")
    assert e["path"] == "$.name" and e["position"] == 1  # not 4 (after 「氏名　」)


def test_position_after_mj_tokens_counts_in_the_value_as_written(cat):
    # MJ022335 (8 letters) expands to 2 code points; the bad character is the 10th code point sent
    [e] = _errors(cat, name="MJ022335城\u00adx")
    assert e["position"] == 9 and e["codepoints"] == "U+00AD"
    [e] = _errors(cat, name="MJ022335城\u3099x")  # 城 + dakuten: one cluster no font draws, at 城
    assert e["position"] == 8 and e["codepoints"] == "U+57CE U+3099"
    [e] = _errors(cat, name="城MJ999999")
    assert e["position"] == 1 and e["mj"] == "MJ999999"


def test_every_problem_of_a_record_is_located(cat):
    errs = _errors(cat, name="\u200b山田", plain="ab\u00ad", rows=[{"name": "x", "x": "b"}, {"name": "yz\u00ad", "x": "c"}])
    got = {(e["path"], e["position"]) for e in errs}
    assert got == {("$.name", 0), ("$.plain", 2), ("$.rows[1].name", 2)}


def test_a_filter_that_changes_the_value_still_finds_the_character(cat):
    [e] = _errors(cat, kana="ﾔﾏ\u00adﾀﾞ")  # zenkaku changes the letters, not the soft hyphen
    assert e["path"] == "$.kana" and e["position"] == 2


def test_ivs_fallback_warnings_count_in_the_value_too(cat, tmp_path):
    doc = lgforms.layout("pos", {**OK, "name": "MJ022335葛\U000E01EF"}, catalog=cat,
                         tenant=lgforms.load_profile(demo_profile_file(tmp_path, allow_ivs_fallback=True)))
    [w] = doc.warnings
    assert w["path"] == "$.name" and w["position"] == 8 and w["codepoints"] == "U+845B U+E01EF"


def test_render_many_locates_in_each_record(cat):
    with pytest.raises(lgforms.MojiNotInFont) as ei:
        lgforms.render_many("pos", [OK, {**OK, "plain": "ok\u00ad"}], catalog=cat)
    e = ei.value
    assert e.path == "$[1].plain" and e.detail["position"] == 2 and e.detail["record"] == 1


@pytest.mark.parametrize("key,value,path,position", [
    ("pref", "東\u00ad京都", "$.addr.pref", 1),
    ("city", "千代\u00ad田区", "$.addr.city", 2),  # not $.addr.pref, the first value the text shows
    ("town", "霞が\u00ad関", "$.addr.town", 2),
])
def test_a_text_showing_several_values_names_the_one_that_holds_the_character(cat, key, value, path, position):
    [e] = _errors(cat, addr={**OK["addr"], key: value})
    assert (e["path"], e["position"]) == (path, position) and "outside_value" not in e


def test_a_table_cell_showing_several_values_of_its_record_names_the_one_with_the_character(cat):
    people = [{"name": "山田", "kana": "やまだ"}, {"name": "川口", "kana": "か\u00adわぐち"}]
    [e] = _errors(cat, people=people)
    assert (e["path"], e["position"]) == ("$.people[1].kana", 1)


def test_the_same_character_in_two_values_of_one_text_is_named_in_each(cat):
    errs = _errors(cat, addr={"pref": "東\u00ad", "city": "千\u00ad", "town": "霞が関"})
    assert [(e["path"], e["position"]) for e in errs] == [("$.addr.pref", 1), ("$.addr.city", 1)]


def test_a_list_shown_joined_names_the_item_that_holds_the_character(cat):
    [e] = _errors(cat, notes=["一番目", "二番\u00ad目", "三"])
    assert (e["path"], e["position"]) == ("$.notes[1]", 2)  # not $.notes, a list, without a position
