"""Moving boxes in the YAML text, form texts a service user may send, JSON path lines."""

from __future__ import annotations

import pytest

from lgforms.designer.jsonpos import line_of, path_lines
from lgforms.designer.yamledit import check_untrusted, move_element, move_flow
from lgforms.errors import FormSpecInvalid

FORM = """\
id: x  # a comment stays
pages:
  - id: p
    fields:
      - {kind: text, id: a, box: [10, 20, 30, 5], value: "{{ a }}"}
      - kind: block
        use: toiawase
      - kind: line
        points: [0, 0, 10, 0]
    flow:
      box: [15, 54, 180, 236]
      next_box: [15, 20, 180, 270]
"""


def test_move_box_at_points_and_flow():
    t = move_element(FORM, 5, "box", 1.5, -2, 4, 0.5)
    assert "{kind: text, id: a, box: [11.5, 18, 34, 5.5], value:" in t and "# a comment stays" in t
    t = move_element(FORM, 6, "at", 3, 4)  # no `at` yet: added as the first key
    assert "      - at: [3, 4]\n        kind: block\n        use: toiawase\n" in t
    assert move_element(t, 6, "at", 1, 1).count("at: [4, 5]") == 1
    assert "points: [2, 1, 12, 1]" in move_element(FORM, 8, "points", 2, 1)
    t = move_flow(FORM, "p", "next_box", 0, 5, -10, 0)
    assert "box: [15, 54, 170, 236]" in t and "next_box: [15, 25, 170, 270]" in t  # widths stay equal
    with pytest.raises(FormSpecInvalid, match="no element starts on line 3"):
        move_element(FORM, 3, "box", 1, 1)


def test_untrusted_form_texts():
    check_untrusted(FORM, "x")
    for text, what in [("id: x\nschema: ../../etc/passwd.json\n", "schema"),
                       ("id: x\ntenant_tables: {t: /etc/x.json}\n", "tenant_tables"),
                       ("id: x\npages: [{fields: [{kind: block, use: ../../secret}]}]\n", "block name"),
                       ("id: x\npostal: {profile: /tmp/p.yaml}\n", "printer profile"),
                       ("a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e]\n", "aliases"),
                       ("x: " + "y" * 600_000, "KB")]:
        with pytest.raises(FormSpecInvalid, match=what):
            check_untrusted(text, "x")


def test_json_path_lines():
    text = '{\n  "a": 1,\n  "list": [\n    {"b": "x"},\n    {\n      "b": "y"\n    }\n  ]\n}\n'
    lines = path_lines(text)
    assert lines["$.a"] == 2 and lines["$.list[0].b"] == 4 and lines["$.list[1].b"] == 6
    assert line_of(lines, "$.list[1].missing") == 5 and line_of(lines, "$.nothing") == 1
    assert path_lines('{"a": [1, {"b": ') == {"$": 1, "$.a": 1, "$.a[0]": 1, "$.a[1]": 1, "$.a[1].b": 1}
