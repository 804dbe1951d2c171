"""``layout.positions``: the JSON path of a value and the position of a character problem in the
value as the caller sent it, case by case (the end-to-end cases are in test_error_positions.py).
Expected values are counted by hand in the strings below."""

from __future__ import annotations

import pytest

from lgforms.layout.positions import FieldPath, field_path, locate, value_at

PAYLOAD = {"name": "山田", "rows": [{"name": "a"}, {"name": "ああ"}], "map": {"a": 1}, "n": 12}


@pytest.mark.parametrize("path,expected", [
    ("$.name", "山田"),
    ("$.rows[1].name", "ああ"),
    ("$.rows[0]", {"name": "a"}),
    ("$.rows[2]", None),  # one past the end
    ("$.rows[5].name", None),
    ("$.map[0]", None),  # an index into an object
    ("$.name.first", None),  # a key into a string
    ("$.missing", None),
    ("$.map.a", 1),
])
def test_value_at(path, expected):
    assert value_at(PAYLOAD, path) == expected


def _locate(path, position, bound, payload=PAYLOAD, **extra) -> dict:
    d = {"position": position, **extra}
    locate(path, d, bound, payload)
    return d


def test_nothing_to_go_by_leaves_the_position_as_it_is():
    assert _locate(None, 3, "氏名　山田　様") == {"position": 3}  # no path
    assert _locate("$.name", 3, None) == {"position": 3}  # no bound text
    assert _locate("$.name", None, "氏名　山田　様") == {"position": None}  # no position


def test_after_a_prefix_the_position_counts_in_the_value():
    assert _locate("$.name", 4, "氏名　山田　様") == {"position": 1}  # 田: 5th of the text, 2nd of the value


def test_the_occurrence_that_holds_the_position_is_the_one_counted():
    payload = {"v": "山田"}
    assert _locate("$.v", 1, "山田・山田・山田", payload) == {"position": 1}  # the first
    assert _locate("$.v", 4, "山田・山田・山田", payload) == {"position": 1}  # the second (3..4)
    assert _locate("$.v", 6, "山田・山田・山田", payload) == {"position": 0}  # the third
    # overlapping occurrences: ああ in あああ at 0 and at 1
    assert _locate("$.rows[1].name", 2, "あああ") == {"position": 1}


def test_a_character_just_after_the_value_is_the_form_s_own():
    d = _locate("$.name", 3, "X山田Y")  # Y, right after 山田 (1..2)
    assert d == {"outside_value": True}


def test_a_filter_that_changed_the_value_finds_the_character_once_in_it():
    payload = {"kana": "ｶ城\u3099"}
    # the bound text is the zenkaku form (カ), so the value is not in it: the cluster is searched
    d = _locate("$.kana", 2, "（カ城\u3099）", payload, codepoints="U+57CE U+3099")
    assert d == {"position": 1, "codepoints": "U+57CE U+3099"}
    d = _locate("$.kana", 1, "（カ\u00ad）", {"kana": "ｶ\u00ad"}, codepoints="U+00AD")
    assert d == {"position": 1, "codepoints": "U+00AD"}


def test_no_position_rather_than_a_wrong_one():
    # the character occurs twice in the changed value: no way to tell which
    d = _locate("$.kana", 2, "（カ\u00adカ\u00ad）", {"kana": "ｶ\u00adｶ\u00ad"}, codepoints="U+00AD")
    assert d == {"codepoints": "U+00AD"}
    # the value changed and no code points to search for
    assert _locate("$.kana", 2, "（カナ）", {"kana": "ｶﾅ"}) == {}
    # the value is not a string (a number, nothing at the path)
    assert _locate("$.n", 0, "12円") == {}
    assert _locate("$.missing", 0, "様") == {}
    # an empty value: the character can only be the form's own text
    assert _locate("$.e", 0, "様", {"e": ""}) == {"outside_value": True}


def test_a_field_path_carries_the_other_values_only_when_there_are_others():
    assert field_path(None, [["a"], ["b"]]) is None  # no path for the first value: none at all
    assert type(field_path("$.a", [None, None])) is str  # nothing else to name
    fp = field_path("$.a", [["a"], ["b"], None, ["b"], ["c", 0]])
    assert isinstance(fp, FieldPath) and fp == "$.a" and fp.others == (["a"], ["b"], ["b"], ["c", 0])


def test_of_several_values_the_problem_is_at_the_first_that_holds_the_character():
    payload = {"a": "東京都", "b": "千代\u00ad田区", "c": "\u00ad"}
    fp = field_path("$.a", [["a"], ["b"], ["c"]])
    d = {"position": 5, "codepoints": "U+00AD"}
    path = locate(fp, d, "東京都千代\u00ad田区\u00ad", payload)
    assert path == "$.b" and type(path) is str and d == {"position": 2, "codepoints": "U+00AD"}
    # the first value holds it: stays at the first
    two = {"b": "千代\u00ad田区", "c": "\u00ad丸"}
    d = {"position": 0, "codepoints": "U+00AD"}
    assert locate(field_path("$.c", [["c"], ["b"]]), d, "\u00ad丸千代\u00ad田区", two) == "$.c"
    assert d["position"] == 0
    # the same character in two values: the one whose text holds the position
    d = {"position": 4, "codepoints": "U+00AD"}
    assert locate(field_path("$.c", [["c"], ["b"]]), d, "\u00ad丸千代\u00ad田区", two) == "$.b"
    assert d["position"] == 2
    # a filter changed the values (not in the text as sent): the one holding the character
    d = {"position": 3, "codepoints": "U+00AD"}
    assert locate(fp, d, "トウキョウ千代\u00ad田区", {"a": "ﾄｳｷｮｳ", "b": "ﾁﾖ\u00adﾀﾞ", "c": ""}) == "$.b"
    # no value holds it (the form's own text): the first, as for one value
    d = {"position": 0, "codepoints": "U+3000"}
    assert locate(fp, d, "\u3000東京都千代\u00ad田区", payload) == "$.a" and d == {"codepoints": "U+3000",
                                                                                  "outside_value": True}
    # no code points to search for: the first
    assert locate(fp, {"position": 0}, "東京都", payload) == "$.a"


def test_of_a_list_shown_joined_the_problem_is_at_the_item_that_holds_it():
    payload = {"lines": ["一行目", "二行\u00ad目", 3, "\u00ad"]}
    d = {"position": 6, "codepoints": "U+00AD"}
    assert locate("$.lines", d, "一行目\n二行\u00ad目\n3\n\u00ad", payload) == "$.lines[1]" and d["position"] == 2
    d = {"position": 11, "codepoints": "U+00AD"}
    assert locate("$.lines", d, "一行目\n二行\u00ad目\n3\n\u00ad", payload) == "$.lines[3]" and d["position"] == 0
