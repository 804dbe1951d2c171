"""``block`` and ``group``: parts made of other elements, placed with an offset.

What is checked is the laid-out page (``lgforms.layout``: text lines, rules and rectangles in mm
from the page's top-left) and, once, the PDF: where a block's static and per-page children land,
what its parameters bind to (values, templates, constants, defaults) and the JSON path an element
inside names, which children a page, a condition or the static list keeps, how many pages a
paginated table inside a block asks for, and the mistakes a form or a block file gets, with their
messages, files and lines pinned (a clear, stable message is part of the contract; docs/testing.md).
Every expected position is worked out here from the numbers in the YAML. Each test compiles its
own form (no render shared between tests: mutmut credits a test only with the code run since the
previous test ended)."""

from __future__ import annotations

import textwrap

import pytest

import lgforms
from lgforms.layout.boxes import FormRef, LineBox, RectBox, TextLine

from elementform import laid_out as pages
from elementform import load_errors, shapes, texts, write_form
from pdfcheck import pdf_chars

STYLES = "styles:\n  label: {size: 9, pad: 2}\n  value: {size: 10, pad: 1}\n"
PROPS = {k: {"type": "string"} for k in ("a", "b", "v", "note")}
PROPS |= {"show": {"type": "boolean"}, "n": {"type": "integer"},
          "addr": {"type": "object", "properties": {"city": {"type": "string"}}},
          "persons": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}

# a card: a ruled box, a label, and the name and honorific the form passes (lines 1-17)
CARD = """\
block: card
title: 札
size: [100, 30]
params:
  who: {doc: 氏名}
  honor: {as: text, default: 様}
  note: {as: text, optional: true}
  show: {optional: true}
static:
  - {kind: rect, box: [0, 0, 100, 30], width: 0.3}
  - {kind: line, points: [30, 0, 30, 30], width: 0.2}
  - {kind: text, box: [0, 0, 30, 10], text: 氏名}
fields:
  - {kind: text, id: who, box: [30, 0, 60, 10], value: "{{ who }}"}
  - {kind: text, id: honor, box: [90, 0, 10, 10], value: "{{ honor }}"}
  - {kind: text, id: note, box: [30, 10, 70, 10], value: "{{ note }}", when: show}
"""


def catalog(root, pages: str, top: str = "", **blocks: str) -> lgforms.Catalog:
    """A form whose ``pages:`` list is ``pages`` (YAML at the list's indentation), with the keys
    ``top`` before it, and the blocks ``name=yaml`` in its ``_blocks/``."""
    return write_form(root, pages, props=PROPS, styles=STYLES, top=top, title="書式", blocks=blocks)


def fields(root, els: str, **blocks: str) -> lgforms.Catalog:
    """One page whose fields are ``els`` (YAML list items; the first on line 8)."""
    return catalog(root, "- id: p\n  fields:\n" + textwrap.indent(textwrap.dedent(els), "    "), **blocks)


def errors(cat) -> list[tuple[str, int, str, str]]:
    """(file, line, where, message) of every load error."""
    return load_errors(cat, ("file", "line", "where", "message"))


def boxes(items) -> dict[str, tuple]:
    return {t: line.box for t, line in texts(items).items()}


def paths(items) -> dict[str, str | None]:
    return {t: line.path for t, line in texts(items).items()}


# -- where the children go -------------------------------------------------------------------------

def test_static_children_are_background_and_fields_are_per_page_at_the_block_s_offset(tmp_path):
    cat = fields(tmp_path, "- {kind: block, id: c, use: card, at: [20, 40], with: {who: a}}\n", card=CARD)
    ((statics, items),) = pages(cat, {"a": "山田"})
    assert shapes(statics) == [RectBox(20, 40, 100, 30, 0.3), LineBox(50, 40, 50, 70, 0.2)]
    assert boxes(statics) == {"氏名": (20, 40, 30, 10)}
    assert shapes(items) == []
    assert boxes(items) == {"山田": (50, 40, 60, 10), "様": (110, 40, 10, 10)}  # note: when show (absent)
    t = texts(items)
    assert t["山田"].x == 50 and t["様"].x == 110  # left-aligned at the box's edge (no pad)


def test_the_offset_is_undone_after_each_block(tmp_path):
    """Two placements of the same block each at their own offset (not the sum), and an element
    after them where its own box says, in the background and on the page."""
    cat = fields(tmp_path, """\
        - {kind: block, use: card, at: [20, 40], with: {who: a}}
        - {kind: block, use: card, at: [60, 100], with: {who: b, honor: 殿}}
        - {kind: text, box: [10, 200, 50, 10], value: "{{ note }}"}
        - {kind: rect, box: [10, 220, 50, 10], width: 0.5}
        """, card=CARD)
    ((statics, items),) = pages(cat, {"a": "山田", "b": "佐藤", "note": "備考"})
    assert shapes(statics) == [RectBox(20, 40, 100, 30, 0.3), LineBox(50, 40, 50, 70, 0.2),
                               RectBox(60, 100, 100, 30, 0.3), LineBox(90, 100, 90, 130, 0.2)]
    assert [line.box for line in statics if isinstance(line, TextLine)] == [(20, 40, 30, 10), (60, 100, 30, 10)]
    assert boxes(items) == {"山田": (50, 40, 60, 10), "様": (110, 40, 10, 10),
                            "佐藤": (90, 100, 60, 10), "殿": (150, 100, 10, 10), "備考": (10, 200, 50, 10)}
    assert shapes(items) == [RectBox(10, 220, 50, 10, 0.5)]


def test_the_pdf_shows_the_block_s_text_at_its_offset(tmp_path):
    cat = fields(tmp_path, "- {kind: block, use: card, at: [20, 40], with: {who: a}}\n", card=CARD)
    (chars,) = pdf_chars(lgforms.render("doc", {"a": "山田"}, catalog=cat))
    by = {c[0]: c for c in chars}
    assert set(by) == {"氏", "名", "山", "田", "様"}
    assert by["氏"][1] == pytest.approx(20, abs=0.05) and by["山"][1] == pytest.approx(50, abs=0.05)
    assert by["様"][1] == pytest.approx(110, abs=0.05)
    for ch in "氏山様":  # 10.5 pt glyphs centred in the 10 mm row from y 40
        assert (by[ch][2] + by[ch][4]) / 2 == pytest.approx(45, abs=0.4), ch


def test_a_block_placed_in_a_static_list_is_all_background(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          static:
            - {kind: block, use: card, at: [20, 40], with: {who: 7, note: 注記, show: true}}
          fields:
            - {kind: text, box: [10, 200, 50, 10], value: "{{ a }}"}
        """, card=CARD)
    ((statics, items),) = pages(cat, {"a": "山田"})
    assert boxes(statics) == {"氏名": (20, 40, 30, 10), "7": (50, 40, 60, 10), "様": (110, 40, 10, 10),
                              "注記": (50, 50, 70, 10)}
    assert shapes(statics) == [RectBox(20, 40, 100, 30, 0.3), LineBox(50, 40, 50, 70, 0.2)]
    assert boxes(items) == {"山田": (10, 200, 50, 10)}


def test_a_literal_expression_is_a_constant_a_static_block_may_take(tmp_path):
    # a quoted string, a number or a list literal uses no payload value: the form's own constant
    # (a quoted string was refused: "who: not a value a static element may use")
    cat = catalog(tmp_path, """\
        - id: p
          static:
            - {kind: block, use: card, at: [20, 40], with: {who: "'山田'", note: 注記, show: "1 == 1"}}
        """, card=CARD)
    ((statics, items),) = pages(cat, {})
    assert boxes(statics) == {"氏名": (20, 40, 30, 10), "山田": (50, 40, 60, 10), "様": (110, 40, 10, 10),
                              "注記": (50, 50, 70, 10)}
    assert paths(statics)["山田"] is None and items == []


def test_a_field_of_a_block_in_a_static_list_may_not_use_a_payload_value(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          static:
            - kind: block
              use: card
              with:
                who: a
        """, card=CARD)
    assert errors(cat) == [
        ("doc/form.yaml", 11, "page 'p' static[0] with.who",
         "a: static elements may only use tenant.* and form.* (they are drawn once per document): put it in fields"),
        ("_blocks/card.yaml", 14, "page 'p' static[0] [doc/form.yaml:8] block 'card' fields[0] (who)",
         "who: not a value a static element may use (tenant.*, form.*) (known: form, honor, note, show, tenant)"),
    ]


# -- parameters ------------------------------------------------------------------------------------

SHOW = """\
block: show
size: [100, 50]
params:
  v: {}
  t: {as: text}
  c: {}
  d: {as: text, default: "{{ form.title }}の控え"}
  e: {default: 12}
  o: {optional: true}
  ot: {as: text, optional: true}
fields:
  - {kind: text, id: v, box: [0, 0, 100, 6], value: "{{ v }}"}
  - {kind: text, id: t, box: [0, 6, 100, 6], value: "{{ t }}"}
  - {kind: text, id: c, box: [0, 12, 100, 6], value: "[{{ c }}]"}
  - {kind: text, id: d, box: [0, 18, 100, 6], value: "{{ d }}"}
  - {kind: text, id: e, box: [0, 24, 100, 6], value: "e={{ e }}"}
  - {kind: text, id: o, box: [0, 30, 100, 6], value: "o={{ o }}"}
  - {kind: text, id: ot, box: [0, 36, 100, 6], value: "ot={{ ot }}"}
"""


def show(tmp_path, with_: str, payload: dict, after: str = "") -> tuple[list, list]:
    cat = fields(tmp_path, f"- {{kind: block, use: show, at: [20, 40], with: {with_}}}\n" + after, show=SHOW)
    ((statics, items),) = pages(cat, payload)
    return statics, items


def test_value_template_constant_and_default_parameters(tmp_path):
    _, items = show(tmp_path, '{v: addr.city, t: "{{ a }}様", c: 5}', {"a": "山田", "addr": {"city": "札幌市"}})
    assert [(line.text, line.box[1]) for line in items if isinstance(line, TextLine)] == [
        ("札幌市", 40), ("山田様", 46), ("[5]", 52), ("書式の控え", 58), ("e=12", 64), ("o=", 70), ("ot=", 76)]


def test_an_element_inside_names_the_payload_path_a_plain_path_parameter_comes_from(tmp_path):
    _, items = show(tmp_path, '{v: addr.city, t: "{{ a }}様", c: 5}', {"a": "山田", "addr": {"city": "札幌市"}})
    assert paths(items) == {"札幌市": "$.addr.city", "山田様": None, "[5]": None, "書式の控え": None, "e=12": None,
                            "o=": None, "ot=": None}
    _, items = show(tmp_path / "a", "{v: a, t: x, c: '[1]'}", {"a": "山田"})
    assert paths(items)["山田"] == "$.a" and paths(items)["x"] is None


def test_an_element_inside_names_no_payload_path_for_a_computed_parameter(tmp_path):
    """``v: "a ~ 'さん'"`` is no payload value: an element inside the block must not name ``$.v`` (the
    form's own ``v``, another payload value that happens to have the parameter's name)."""
    _, items = show(tmp_path, "{v: \"a ~ 'さん'\", t: x, c: 1}", {"a": "山田"})
    assert paths(items)["山田さん"] is None
    _, items = show(tmp_path / "lit", "{v: \"'字'\", t: x, c: 1}", {})
    assert paths(items)["字"] is None
    # a plain path from a record of a computed list (which has no JSON path)
    cat = catalog(tmp_path / "rep", """\
        - id: p
          repeat: {over: "persons | sort(attribute='name', reverse=true)", as: person, per_page: 2, pitch: [0, 50]}
          slot:
            - {kind: block, use: show, at: [20, 40], with: {v: person.name, t: x, c: 1}}
        """, show=SHOW)
    ((_, items),) = pages(cat, {"persons": [{"name": "一郎"}, {"name": "二郎"}]})
    assert [(line.text, line.path) for line in items if isinstance(line, TextLine) and line.box[1] in (40, 90)] == [
        ("二郎", None), ("一郎", None)]


@pytest.mark.parametrize("who, path", [("a", "$.a"), ("addr.city", "$.addr.city"), ("a ~ ''", None)],
                         ids=["path", "nested_path", "computed"])
def test_an_error_inside_a_block_names_the_element_and_the_payload_path_of_a_plain_path_only(tmp_path, who, path):
    cat = fields(tmp_path, f"- {{kind: block, id: c, use: card, at: [20, 40], with: {{who: \"{who}\"}}}}\n", card=CARD)
    long = "あ" * 30  # 30 × 10.5 pt = 111 mm in the 60 mm box
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("doc", {"a": long, "addr": {"city": long}}, catalog=cat)
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == path
    assert ei.value.message == ("doc: page 'p' fields[0] (c) [doc/form.yaml:8] block 'card' fields[0] (who): text of "
                                "30 characters needs 111.1 mm at 10.5 pt but the box is 60.0 × 10.0 mm (fit: error)")


def test_a_parameter_from_a_repeat_record_names_the_record_s_path(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          repeat: {over: persons, as: person, per_page: 2, pitch: [0, 50]}
          slot:
            - {kind: block, use: show, at: [20, 40], with: {v: person.name, t: "{{ person.name }}", c: 1}}
        """, show=SHOW)
    ((_, items),) = pages(cat, {"persons": [{"name": "一郎"}, {"name": "二郎"}]})
    lines = [(line.text, line.box[1], line.path) for line in items if isinstance(line, TextLine) and line.box[0] == 20]
    assert lines[0] == ("一郎", 40, "$.persons[0].name") and lines[1] == ("一郎", 46, None)
    assert lines[7] == ("二郎", 90, "$.persons[1].name") and lines[8] == ("二郎", 96, None)


def test_a_parameter_s_path_does_not_outlive_its_block(tmp_path):
    """The block's parameter ``v`` stands for ``$.a`` inside it; an element after it that shows the
    form's own ``v`` names ``$.v`` (the parameter's alias is gone once the block is bound and laid out)."""
    _, items = show(tmp_path, "{v: a, t: x, c: 1}", {"a": "山田", "v": "後"},
                    after="- {kind: text, box: [20, 200, 100, 6], value: \"{{ v }}\"}\n")
    assert paths(items)["山田"] == "$.a" and paths(items)["後"] == "$.v"


def test_a_text_parameter_s_template_sees_the_form_s_payload(tmp_path):
    _, items = show(tmp_path, '{v: a, t: "{{ b }}殿", c: 1}', {"a": "山田", "b": "佐藤"})
    assert "佐藤殿" in texts(items)


def test_constants_given_as_numbers_lists_and_flags(tmp_path):
    _, items = show(tmp_path, "{v: 3.5, t: 7, c: [1, 2], o: true, ot: false}", {})
    assert [line.text for line in items if isinstance(line, TextLine)] == [
        "3.5", "7", "[[1, 2]]", "書式の控え", "e=12", "o=True", "ot=False"]


def test_a_text_default_of_a_value_parameter_is_a_constant_not_an_expression(tmp_path):
    blk = """\
        block: dflt
        params:
          v: {default: 既定の文}
        static:
          - {kind: text, box: [0, 0, 100, 6], value: "{{ v }}"}
        """
    ((statics, _),) = pages(fields(tmp_path, "- {kind: block, use: dflt, at: [10, 10]}\n", dflt=blk), {})
    assert boxes(statics) == {"既定の文": (10, 10, 100, 6)}


def test_a_block_or_group_without_at_is_placed_at_the_origin(tmp_path):
    cat = fields(tmp_path, """\
        - {kind: block, use: card, with: {who: a}}
        - kind: group
          elements:
            - {kind: text, box: [20, 100, 50, 10], value: "{{ b }}"}
        """, card=CARD)
    ((statics, items),) = pages(cat, {"a": "山田", "b": "佐藤"})
    assert boxes(statics) == {"氏名": (0, 0, 30, 10)} and shapes(statics)[0] == RectBox(0, 0, 100, 30, 0.3)
    assert boxes(items) == {"山田": (30, 0, 60, 10), "様": (90, 0, 10, 10), "佐藤": (20, 100, 50, 10)}


def test_a_child_s_when_sees_the_block_s_parameters(tmp_path):
    cat = fields(tmp_path, """\
        - {kind: block, use: card, at: [20, 40], with: {who: a, note: "{{ note }}", show: show}}
        """, card=CARD)
    ((_, items),) = pages(cat, {"a": "山田", "note": "要確認", "show": True})
    assert boxes(items) == {"山田": (50, 40, 60, 10), "様": (110, 40, 10, 10), "要確認": (50, 50, 70, 10)}
    ((_, items),) = pages(cat, {"a": "山田", "note": "要確認", "show": False})
    assert set(texts(items)) == {"山田", "様"}


STATIC = """\
block: heading
size: [100, 20]
params:
  kind: {as: text}
  title: {as: text, default: 見出し}
  v: {optional: true}
static:
  - {kind: text, box: [0, 0, 100, 6], value: "{{ form.title }}：{{ title }}"}
  - {kind: text, box: [0, 6, 100, 6], text: 甲のとき, when: "kind == '甲'"}
  - {kind: text, box: [0, 12, 100, 6], text: 乙のとき, when: "kind == '乙'"}
"""


def test_static_children_see_constants_and_the_built_ins(tmp_path):
    cat = fields(tmp_path, """\
        - {kind: block, use: heading, at: [10, 20], with: {kind: 甲}}
        - {kind: block, use: heading, at: [10, 60], with: {kind: 乙, title: 別題}}
        """, heading=STATIC)
    ((statics, items),) = pages(cat, {})
    assert boxes(statics) == {"書式：見出し": (10, 20, 100, 6), "甲のとき": (10, 26, 100, 6),
                              "書式：別題": (10, 60, 100, 6), "乙のとき": (10, 72, 100, 6)}
    assert items == []


def test_a_static_child_showing_a_constant_names_no_payload_path(tmp_path):
    # the constant is the form's own text (it named $.title, a payload value the form never had)
    blk = "block: t\nparams:\n  title: {as: text}\nstatic:\n  - {kind: text, box: [0, 0, 100, 6], value: \"{{ title }}\"}\n"
    cat = fields(tmp_path, "- {kind: block, use: t, at: [10, 20], with: {title: 見出し}}\n", t=blk)
    ((statics, _),) = pages(cat, {})
    assert paths(statics) == {"見出し": None}


BUILTINS = """\
block: builtins
size: [100, 36]
static:
  - {kind: text, box: [0, 0, 100, 6], value: "{{ tenant.name }}／{{ form.id }}"}
fields:
  - {kind: text, box: [0, 6, 100, 6], value: "{{ tenant.mayor_title }}"}
  - {kind: text, box: [0, 12, 100, 6], value: "{{ form.title }}"}
  - {kind: text, box: [0, 18, 100, 6], value: "{{ page.number }}/{{ page.count }}"}
  - {kind: text, box: [0, 24, 100, 6], value: "番号{{ issue.number }}"}
  - {kind: text, box: [0, 30, 100, 6], value: "{{ slot.number }}件目"}
"""


def test_a_block_sees_the_built_ins(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          repeat: {over: persons, as: person, per_page: 1}
          slot:
            - {kind: block, use: builtins, at: [20, 40]}
        """, top="tenant_slots: [name, mayor_title]\n", builtins=BUILTINS)
    doc = lgforms.layout("doc", {"persons": [{"name": "一"}, {"name": "二"}]}, catalog=cat, issue={"number": "N-7"})
    for n, pg in enumerate(doc.pages, 1):
        items = [it for it in pg.items if not isinstance(it, FormRef)]
        assert boxes(items) == {"みどり野市長": (20, 46, 100, 6), "書式": (20, 52, 100, 6),
                                f"{n}/2": (20, 58, 100, 6), "番号N-7": (20, 64, 100, 6), f"{n}件目": (20, 70, 100, 6)}
        assert boxes([it for sp in pg.statics for it in sp.items]) == {"東雲県みどり野市／doc": (20, 40, 100, 6)}


NESTED = """\
block: outer
size: [100, 20]
params:
  v: {}
fields:
  - {kind: text, box: [0, 0, 50, 10], value: "{{ v }}"}
  - {kind: block, use: inner, at: [50, 10], with: {x: v, k: 甲}}
  - {kind: block, use: inner, at: [0, 10], with: {x: v, k: 乙}, when: v}
"""
INNER = """\
block: inner
size: [50, 10]
params:
  x: {}
  k: {as: text}
static:
  - {kind: rect, box: [0, 0, 50, 10], width: 0.2}
  - {kind: text, box: [0, 0, 20, 10], value: "{{ k }}{{ form.title }}"}
fields:
  - {kind: text, box: [20, 0, 30, 10], value: "<{{ x }}>"}
"""


def test_a_block_inside_a_block_adds_the_offsets_and_names_the_outer_payload_path(tmp_path):
    """The inner block placed unconditionally has its labels in the background; the one with
    ``when`` draws them on the page, with its own constants and the built-ins."""
    cat = fields(tmp_path, "- {kind: block, use: outer, at: [20, 40], with: {v: addr.city}}\n",
                 outer=NESTED, inner=INNER)
    ((statics, items),) = pages(cat, {"addr": {"city": "札幌市"}})
    assert [(line.text, line.box) for line in items if isinstance(line, TextLine)] == [
        ("札幌市", (20, 40, 50, 10)),
        ("<札幌市>", (90, 50, 30, 10)),  # the inner block at 20 + 50, 40 + 10
        ("乙書式", (20, 50, 20, 10)), ("<札幌市>", (40, 50, 30, 10))]
    assert {line.path for line in items if isinstance(line, TextLine) and line.text != "乙書式"} == {"$.addr.city"}
    assert shapes(items) == [RectBox(20, 50, 50, 10, 0.2)]
    assert boxes(statics) == {"甲書式": (70, 50, 20, 10)} and shapes(statics) == [RectBox(70, 50, 50, 10, 0.2)]
    ((statics, items),) = pages(cat, {"addr": {"city": ""}})  # the second inner block is not there
    assert [(line.text, line.box) for line in items if isinstance(line, TextLine)] == [("<>", (90, 50, 30, 10))]
    assert boxes(statics) == {"甲書式": (70, 50, 20, 10)} and shapes(items) == []


def test_a_block_with_when_inside_a_group_draws_its_labels_on_the_page(tmp_path):
    cat = fields(tmp_path, """\
        - kind: group
          at: [20, 40]
          elements:
            - {kind: block, use: inner, at: [10, 5], with: {x: a, k: 丙}, when: a}
        """, inner=INNER)
    ((statics, items),) = pages(cat, {"a": "値"})
    assert statics == []
    assert [(line.text, line.box) for line in items if isinstance(line, TextLine)] == [
        ("丙書式", (30, 45, 20, 10)), ("<値>", (50, 45, 30, 10))]


def test_a_page_s_style_defaults_do_not_reach_into_a_block(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          defaults: {size: 14}
          fields:
            - {kind: block, use: card, at: [20, 40], with: {who: a}}
            - {kind: text, box: [20, 100, 100, 10], value: "{{ b }}"}
        """, card=CARD)
    ((statics, items),) = pages(cat, {"a": "山田", "b": "佐藤"})
    assert {t: line.size for t, line in texts(items).items()} == {"山田": 10.5, "様": 10.5, "佐藤": 14}
    assert texts(statics)["氏名"].size == 10.5


def test_a_text_parameter_may_be_a_tag_template(tmp_path):
    blk = SHOW.replace("d: {as: text, default: \"{{ form.title }}の控え\"}",
                       "d: {as: text, default: \"{% if form.title %}題あり{% endif %}\"}")
    cat = fields(tmp_path, "- {kind: block, use: show, at: [20, 40],"
                           " with: {v: a, t: \"{% if a %}有{% endif %}\", c: 1}}\n", show=blk)
    ((_, items),) = pages(cat, {"a": "山田"})
    assert [line.text for line in items if isinstance(line, TextLine)][1:4] == ["有", "[1]", "題あり"]


def test_a_block_in_a_flow_is_as_high_as_its_offset_and_size_unless_given_a_height(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          flow:
            box: [15, 30, 180, 200]
            gap: 0
            sections:
              - {kind: block, use: card, at: [0, 5], with: {who: a}}
              - {kind: text, box: [0, 0, 50, 6], value: "{{ b }}"}
              - {kind: block, use: card, height: 12, with: {who: a}}
              - {kind: text, box: [0, 0, 50, 6], value: "{{ note }}"}
        """, card=CARD.replace("size: [100, 30]", "size: [100, 40]"))  # 10 mm below its children
    ((statics, items),) = pages(cat, {"a": "山田", "b": "次", "note": "後"})
    assert [(line.text, line.box) for line in items if isinstance(line, TextLine)] == [
        ("山田", (45, 35, 60, 10)), ("様", (105, 35, 10, 10)),  # the card: 5 mm down its section
        ("次", (15, 75, 50, 6)),  # 30 + 5 + the card's size, 40
        ("山田", (45, 81, 60, 10)), ("様", (105, 81, 10, 10)),
        ("後", (15, 93, 50, 6)),  # 81 + 12
    ]


def test_a_block_s_child_off_the_page_is_named_with_the_block(tmp_path):
    cat = fields(tmp_path, "- {kind: text, box: [10, 10, 20, 10], text: 前}\n"
                           "- {kind: block, id: c, use: card, at: [150, 10], with: {who: a}}\n", card=CARD)
    off = " is not inside the 210 × 297 mm page"
    assert errors(cat) == [("doc/form.yaml", 9, "page 'p' fields[1] (c)", m + off) for m in (
        "rect (in block 'card'): box [150, 10, 100, 30]", "who (in block 'card'): box [180, 10, 60, 10]",
        "honor (in block 'card'): box [240, 10, 10, 10]", "note (in block 'card'): box [180, 20, 70, 10]")]


# -- pages, conditions and static frames of children -------------------------------------------------

MARKS = """\
block: marks
size: [100, 50]
fields:
  - {kind: text, box: [0, 0, 100, 10], text: 毎頁}
  - {kind: text, box: [0, 10, 100, 10], text: 初頁, pages: first}
  - {kind: text, box: [0, 20, 100, 10], text: 終頁, pages: last}
  - {kind: text, box: [0, 30, 100, 10], text: 終頁以外, pages: not_last}
  - {kind: text, box: [0, 40, 100, 10], text: 初頁以外, pages: not_first}
"""


def test_children_print_on_the_pages_they_ask_for(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          fields:
            - {kind: block, use: marks, at: [20, 40]}
          repeat: {over: persons, as: person, per_page: 1}
          slot:
            - {kind: text, box: [20, 200, 50, 10], value: "{{ person.name }}"}
        """, marks=MARKS)
    got = [set(texts(items)) for _, items in pages(cat, {"persons": [{"name": "一"}, {"name": "二"}, {"name": "三"}]})]
    assert got == [{"毎頁", "初頁", "終頁以外", "一"}, {"毎頁", "終頁以外", "初頁以外", "二"}, {"毎頁", "終頁", "初頁以外", "三"}]
    ((_, items),) = pages(cat, {"persons": [{"name": "一"}]})  # one page: the first and the last
    assert boxes(items) == {"毎頁": (20, 40, 100, 10), "初頁": (20, 50, 100, 10), "終頁": (20, 60, 100, 10),
                            "一": (20, 200, 50, 10)}


GRIDS = """\
block: grids
size: [100, 30]
params:
  show: {optional: true}
fields:
  - {kind: grid, box: [0, 0, 100, 10], columns: [50, 50], rows: [10], cells: [[{label: 常時}, {}]]}
  - {kind: grid, box: [0, 10, 100, 10], columns: [50, 50], rows: [10], cells: [[{label: 条件}, {}]], when: show}
  - {kind: grid, box: [0, 20, 100, 10], columns: [50, 50], rows: [10], cells: [[{label: 最終}, {}]], pages: last}
"""


def test_a_child_s_frame_is_background_only_when_it_is_on_every_page_unconditionally(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          fields:
            - {kind: block, use: grids, at: [20, 40], with: {show: show}}
          repeat: {over: persons, as: person, per_page: 1}
          slot:
            - {kind: text, box: [20, 200, 50, 10], value: "{{ person.name }}"}
        """, grids=GRIDS)
    (s1, p1), (s2, p2) = pages(cat, {"show": True, "persons": [{"name": "一"}, {"name": "二"}]})
    assert boxes(s1) == boxes(s2) == {"常時": (20, 40, 50, 10)}
    assert shapes(s1) == [LineBox(70, 40, 70, 50, 0.2), RectBox(20, 40, 100, 10, 0.35)]
    assert boxes(p1) == {"条件": (20, 50, 50, 10), "一": (20, 200, 50, 10)}
    assert shapes(p1) == [LineBox(70, 50, 70, 60, 0.2), RectBox(20, 50, 100, 10, 0.35)]
    assert boxes(p2) == {"条件": (20, 50, 50, 10), "最終": (20, 60, 50, 10), "二": (20, 200, 50, 10)}
    assert shapes(p2) == [LineBox(70, 50, 70, 60, 0.2), RectBox(20, 50, 100, 10, 0.35),
                          LineBox(70, 60, 70, 70, 0.2), RectBox(20, 60, 100, 10, 0.35)]
    (_, p1), (_, p2) = pages(cat, {"show": False, "persons": [{"name": "一"}, {"name": "二"}]})
    assert set(texts(p1)) == {"一"} and set(texts(p2)) == {"最終", "二"}


TABLE = """\
block: list
size: [180, 40]
params:
  rows: {}
fields:
  - {kind: text, box: [0, 0, 180, 6], text: 一覧}
  - kind: table
    box: [0, 6, 180, 34]
    rows: rows
    as: row
    row_height: 6
    paginate: true
    header: {height: 10}
    columns:
      - {id: n, title: 氏名, width: 180, value: "{{ row.name }}"}
"""


@pytest.mark.parametrize("n, count", [(0, 1), (3, 1), (4, 1), (5, 2), (9, 3)])
def test_a_paginated_table_inside_a_block_asks_for_its_pages(tmp_path, n, count):
    """(34 − 10) / 6 = 4 rows a page."""
    cat = fields(tmp_path, "- {kind: block, use: list, at: [15, 30], with: {rows: persons}}\n", list=TABLE)
    got = pages(cat, {"persons": [{"name": f"人{i + 1}"} for i in range(n)]})
    assert len(got) == count
    last = got[-1][1]
    if n:
        assert f"人{n}" in texts(last)
        assert texts(last)[f"人{n}"].box[1] == 30 + 6 + 10 + 6 * ((n - 1) % 4)


# -- mistakes in the form or the block -------------------------------------------------------------

def test_an_unknown_block_names_the_use_line_and_the_blocks_there_are(tmp_path):
    cat = fields(tmp_path, """\
        - kind: block
          id: c
          use: crad
        - kind: block
          use: zzz
        """, card=CARD, heading=STATIC)
    assert errors(cat) == [
        ("doc/form.yaml", 10, "page 'p' fields[0] (c)",
         "no block 'crad' — did you mean 'card'? (blocks: card, heading)"),
        ("doc/form.yaml", 12, "page 'p' fields[1]", "no block 'zzz' (blocks: card, heading)"),
    ]


def test_an_unknown_parameter_is_named_at_its_line_with_a_suggestion(tmp_path):
    cat = fields(tmp_path, """\
        - kind: block
          use: card
          with:
            who: a
            shwo: show
            honour: x
            zzz: 1
        - {kind: block, use: heading, with: {kind: 甲, hint: 1}}
        - {kind: block, use: empty, with: {x: 1}}
        """, card=CARD, heading=STATIC, empty="block: empty\n")
    where = "page 'p' fields[{}]"
    assert errors(cat) == [
        ("doc/form.yaml", 13, where.format(0),
         "block 'card' has no parameter 'honour' — did you mean 'honor'? (parameters: who, honor, note, show)"),
        ("doc/form.yaml", 12, where.format(0),
         "block 'card' has no parameter 'shwo' — did you mean 'show'? (parameters: who, honor, note, show)"),
        ("doc/form.yaml", 14, where.format(0),
         "block 'card' has no parameter 'zzz' (parameters: who, honor, note, show)"),
        ("doc/form.yaml", 15, where.format(1), "block 'heading' has no parameter 'hint' (parameters: kind, title, v)"),
        ("doc/form.yaml", 16, where.format(2), "block 'empty' has no parameter 'x' (parameters: none)"),
    ]


def test_a_missing_parameter_is_named_with_its_doc(tmp_path):
    cat = fields(tmp_path, """\
        - kind: block
          use: card
          with:
            note: x
        - {kind: block, id: h, use: need}
        """, card=CARD, need="block: need\nparams:\n  x: {}\n")
    assert errors(cat) == [
        ("doc/form.yaml", 10, "page 'p' fields[0]", "block 'card' needs parameter 'who' (氏名)"),
        # and, not being a parameter, it is unknown inside the block
        ("_blocks/card.yaml", 14, "page 'p' fields[0] [doc/form.yaml:8] block 'card' fields[0] (who)",
         "who: not a parameter of the block or a built-in (tenant, form, page, issue, slot) "
         "(known: form, honor, issue, note, page, show, tenant)"),
        ("doc/form.yaml", 12, "page 'p' fields[1] (h)", "block 'need' needs parameter 'x'"),
    ]


def test_mistakes_in_parameter_expressions_and_templates_name_the_parameter_s_line(tmp_path):
    cat = fields(tmp_path, """\
        - kind: block
          id: c
          use: card
          with:
            who: "a +"
            honor: "{{ b"
            note: "{{ nosuch }}"
        """, card=CARD)
    e = errors(cat)
    assert [(f, line, where) for f, line, where, _ in e] == [
        ("doc/form.yaml", 12, "page 'p' fields[0] (c) with.who"),
        ("doc/form.yaml", 13, "page 'p' fields[0] (c) with.honor"),
        ("doc/form.yaml", 14, "page 'p' fields[0] (c) with.note"),
    ]
    assert e[2][3].startswith("nosuch: not a payload field of the form's schema (known: a, addr, b, form, issue, ")


def test_a_mistake_in_a_value_parameter_names_its_own_line_not_the_first_of_with(tmp_path):
    cat = fields(tmp_path, """\
        - kind: block
          use: card
          with:
            note: x
            who: "a +"
        """, card=CARD)
    assert [(f, line, where) for f, line, where, _ in errors(cat)] == [("doc/form.yaml", 12, "page 'p' fields[0] with.who")]


def test_a_mistake_in_a_parameter_s_default_names_the_block_file(tmp_path):
    bad = STATIC.replace("title: {as: text, default: 見出し}", "title: {as: text, default: \"{{ nosuch }}\"}")
    cat = fields(tmp_path, "- {kind: block, use: heading, with: {kind: 甲}}\n", heading=bad)
    (f, line, where, message), static = errors(cat)
    assert (f, line, where) == ("_blocks/heading.yaml", 5,
                                "page 'p' fields[0] [doc/form.yaml:8] block 'heading' params.title default")
    assert message == ("nosuch: not a parameter of the block or a built-in (tenant, form, page, issue, slot) "
                       "(known: form, issue, page, tenant)")
    # a default that is a template is bound per page: not a constant the static children may use
    assert static == ("_blocks/heading.yaml", 8, "page 'p' fields[0] [doc/form.yaml:8] block 'heading' static[0]",
                      "title: not a value a static element may use (tenant.*, form.*) (known: form, kind, tenant, v)")


def test_a_block_s_static_children_are_static_wherever_it_is_placed(tmp_path):
    """They are drawn once per document: one that asks for some pages only is refused (placed among
    the fields), and so is a field of a block placed in a static list; the block's fields may."""
    blk = """\
        block: paged
        static:
          - {kind: text, box: [0, 0, 100, 6], text: 終頁, pages: last}
        fields:
          - {kind: text, box: [0, 6, 100, 6], text: 初頁, pages: first}
        """
    message = "a static element is on every page; use fields for pages: {}"
    where = "page 'p' {}[0] [doc/form.yaml:8] block 'paged' {}[0]"
    assert errors(fields(tmp_path, "- {kind: block, use: paged}\n", paged=blk)) == [
        ("_blocks/paged.yaml", 3, where.format("fields", "static"), message.format("last"))]
    cat = catalog(tmp_path / "s", "- id: p\n  static:\n    - {kind: block, use: paged}\n", paged=blk)
    assert errors(cat) == [("_blocks/paged.yaml", 3, where.format("static", "static"), message.format("last")),
                           ("_blocks/paged.yaml", 5, where.format("static", "fields"), message.format("first"))]


def test_the_types_of_constant_parameters_reach_the_block(tmp_path):
    """A number, a flag or a text is a single value (it has no properties); a list is not checked."""
    blk = """\
        block: typed
        params:
          a: {}
          b: {}
          c: {}
          d: {}
          t: {as: text}
        fields:
          - {kind: text, box: [0, 0, 100, 6], value: "{{ a.x }}{{ b.x }}{{ c.x }}{{ d.x }}{{ t.x }}"}
        """
    cat = fields(tmp_path, "- {kind: block, use: typed, with: {a: 1, b: 2.5, c: true, d: [1], t: 3}}\n", typed=blk)
    where = "page 'p' fields[0] [doc/form.yaml:8] block 'typed' fields[0]"
    assert errors(cat) == [("_blocks/typed.yaml", 9, where, f"{v}.x: {v} is a single value, it has no 'x'")
                           for v in ("a", "b", "c", "t")]
    cat = fields(tmp_path / "s", "- {kind: block, use: typed, with: {a: \"'x'\", b: a, c: n, d: persons, t: x}}\n",
                 typed=blk)
    assert [m for *_, m in errors(cat)] == [f"{v}.x: {v} is a single value, it has no 'x'" for v in ("a", "b", "c")] \
        + ["d.x: d is a list, it has no 'x'", "t.x: t is a single value, it has no 'x'"]


def test_a_block_s_own_styles_may_not_redefine_the_shared_ones(tmp_path):
    blk = """\
        block: styled
        styles:
          label: {size: 7}
          mine: {size: 8}
        fields:
          - {kind: text, box: [0, 0, 100, 6], text: 字, style: mine}
          - {kind: text, box: [0, 6, 100, 6], text: 字, style: other}
        """
    cat = fields(tmp_path, "- kind: block\n  use: styled\n", styled=blk)
    assert errors(cat) == [
        ("doc/form.yaml", 8, "page 'p' fields[0] [doc/form.yaml:8] block 'styled'",
         "style 'label' is already defined in _blocks/styles.yaml:2; choose another name"),
        ("_blocks/styled.yaml", 7, "page 'p' fields[0] [doc/form.yaml:8] block 'styled' fields[1]",
         "unknown style 'other' (known: label, mine, value)"),
    ]


def test_a_block_s_own_style_applies_to_its_children(tmp_path):
    blk = """\
        block: styled
        styles:
          mine: {size: 8, align: right}
        static:
          - {kind: text, box: [0, 6, 100, 6], text: 静, style: mine}
        fields:
          - {kind: text, box: [0, 0, 100, 6], text: 字, style: mine}
        """
    ((statics, items),) = pages(fields(tmp_path, "- {kind: block, use: styled, at: [10, 10]}\n", styled=blk), {})
    for line in (texts(items)["字"], texts(statics)["静"]):
        assert line.size == 8 and line.x == pytest.approx(110 - 8 * 25.4 / 72)  # right-aligned in 10 … 110


SIZED = """\
block: sized
size: [100, 30]
static:
  - {kind: rect, box: [{x}, {y}, {w}, {h}], width: 0.3}
fields:
  - {kind: text, id: t, box: [0, 0, 10, 10], text: 字}
"""


@pytest.mark.parametrize("x, y, w, h", [
    (0, 0, 100, 30), (-0.01, -0.01, 100.01, 30.01), (0, 0, 100.01, 30.01),  # within 0.01 mm
])
def test_children_within_the_block_s_size_load(tmp_path, x, y, w, h):
    blk = SIZED.replace("{x}", str(x)).replace("{y}", str(y)).replace("{w}", str(w)).replace("{h}", str(h))
    fields(tmp_path, "- {kind: block, use: sized}\n", sized=blk).get("doc")


@pytest.mark.parametrize("x, y, w, h", [
    (-0.02, 0, 100, 30), (0, -0.02, 100, 30), (0, 0, 100.02, 30), (0, 0, 100, 30.02), (50, 20, 51, 5), (50, 20, 5, 11),
])
def test_a_child_outside_the_block_s_size_is_named_at_its_line(tmp_path, x, y, w, h):
    blk = SIZED.replace("{x}", str(x)).replace("{y}", str(y)).replace("{w}", str(w)).replace("{h}", str(h))
    cat = fields(tmp_path, "- {kind: block, id: s, use: sized, at: [10, 10]}\n", sized=blk)
    assert errors(cat) == [("_blocks/sized.yaml", 4, "page 'p' fields[0] (s) [doc/form.yaml:8] block 'sized'",
                            f"rect: box [{x:g}, {y:g}, {w:g}, {h:g}] is outside the block's size 100 × 30 mm")]


def test_a_field_outside_the_block_s_size_is_named_by_its_id(tmp_path):
    blk = SIZED.replace("{x}, {y}, {w}, {h}", "0, 0, 100, 30").replace("box: [0, 0, 10, 10]", "box: [95, 25, 10, 10]")
    cat = fields(tmp_path, "- {kind: block, use: sized}\n", sized=blk)
    assert errors(cat) == [("_blocks/sized.yaml", 6, "page 'p' fields[0] [doc/form.yaml:8] block 'sized'",
                            "t: box [95, 25, 10, 10] is outside the block's size 100 × 30 mm")]


def test_a_block_without_a_size_is_not_measured(tmp_path):
    blk = SIZED.replace("size: [100, 30]\n", "").replace("{x}, {y}, {w}, {h}", "-5, -5, 150, 150")
    fields(tmp_path, "- {kind: block, use: sized, at: [20, 20]}\n", sized=blk).get("doc")


def test_an_error_inside_a_block_names_the_block_s_file_and_line_and_the_placement(tmp_path):
    bad = CARD.replace('value: "{{ honor }}"', 'value: "{{ honor.x }}"')
    cat = fields(tmp_path, "- {kind: text, box: [10, 10, 20, 10], text: 前}\n"
                           "- {kind: block, id: c, use: card, at: [20, 40], with: {who: a}}\n", card=bad)
    assert errors(cat) == [("_blocks/card.yaml", 15, "page 'p' fields[1] (c) [doc/form.yaml:9] block 'card' fields[1] "
                            "(honor)", "honor.x: honor is a single value, it has no 'x'")]


# -- group -----------------------------------------------------------------------------------------

GROUP = """\
- kind: group
  id: g
  at: [20, 40]
  elements:
    - {kind: rect, box: [0, 0, 100, 20], width: 0.3}
    - {kind: text, id: a, box: [0, 0, 50, 10], value: "{{ a }}"}
    - {kind: text, id: b, box: [50, 10, 50, 10], value: "{{ b }}", when: show}
- {kind: text, box: [10, 200, 50, 10], value: "{{ note }}"}
"""  # the group on lines 8-14, its elements from line 12


def test_a_group_places_its_elements_at_its_offset(tmp_path):
    cat = fields(tmp_path, GROUP)
    ((statics, items),) = pages(cat, {"a": "山田", "b": "佐藤", "show": True, "note": "後"})
    assert statics == []
    assert shapes(items) == [RectBox(20, 40, 100, 20, 0.3)]
    assert boxes(items) == {"山田": (20, 40, 50, 10), "佐藤": (70, 50, 50, 10), "後": (10, 200, 50, 10)}
    assert paths(items) == {"山田": "$.a", "佐藤": "$.b", "後": "$.note"}
    ((_, items),) = pages(cat, {"a": "山田", "b": "佐藤", "show": False, "note": "後"})
    assert set(texts(items)) == {"山田", "後"}


def test_a_group_s_when_and_pages_apply_to_all_its_elements(tmp_path):
    cat = fields(tmp_path, GROUP.replace("  at: [20, 40]\n", "  at: [20, 40]\n  when: note\n"))
    ((_, items),) = pages(cat, {"a": "山田", "note": ""})
    assert items == []


def test_a_mistake_in_a_group_s_element_names_its_line(tmp_path):
    cat = fields(tmp_path, GROUP.replace('value: "{{ b }}"', 'value: "{{ bb }}"'))
    ((f, line, where, message),) = errors(cat)
    assert (f, line, where) == ("doc/form.yaml", 14, "page 'p' fields[0] (g) elements[2] (b)")
    assert message.startswith("bb: not a payload field of the form's schema — did you mean 'b'?")


def test_a_group_in_a_static_list_is_background(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          static:
            - kind: group
              at: [20, 40]
              elements:
                - {kind: rect, box: [0, 0, 100, 20], width: 0.3}
                - {kind: text, box: [50, 10, 50, 10], text: 乙}
          fields:
            - {kind: text, box: [10, 200, 50, 10], value: "{{ a }}"}
        """)
    ((statics, items),) = pages(cat, {"a": "山田"})
    assert boxes(statics) == {"乙": (70, 50, 50, 10)} and shapes(statics) == [RectBox(20, 40, 100, 20, 0.3)]
    assert boxes(items) == {"山田": (10, 200, 50, 10)}


def test_a_group_s_frames_are_background_at_its_offset(tmp_path):
    cat = fields(tmp_path, """\
        - kind: group
          at: [20, 40]
          elements:
            - {kind: grid, box: [0, 0, 100, 10], columns: [50, 50], rows: [10], cells: [[{label: 欄}, {}]]}
            - {kind: grid, box: [0, 10, 100, 10], columns: [50, 50], rows: [10], cells: [[{label: 条件}, {}]], when: show}
        """)
    ((statics, items),) = pages(cat, {"show": True})
    assert boxes(statics) == {"欄": (20, 40, 50, 10)}
    assert shapes(statics) == [LineBox(70, 40, 70, 50, 0.2), RectBox(20, 40, 100, 10, 0.35)]
    assert boxes(items) == {"条件": (20, 50, 50, 10)}
    ((statics, items),) = pages(cat, {"show": False})
    assert boxes(statics) == {"欄": (20, 40, 50, 10)} and items == []


def test_a_group_in_a_flow_moves_with_its_section(tmp_path):
    cat = catalog(tmp_path, """\
        - id: p
          flow:
            box: [15, 30, 180, 200]
            gap: 0
            sections:
              - {kind: textblock, box: [0, 0, 180, 6], value: "{{ note }}", when: note}
              - kind: group
                height: 12
                elements:
                  - {kind: text, box: [10, 2, 50, 8], value: "{{ a }}"}
                  - {kind: grid, box: [60, 0, 100, 12], columns: [50, 50], rows: [12], cells: [[{label: 欄}, {}]]}
              - {kind: text, box: [0, 0, 50, 6], value: "{{ b }}"}
        """)
    ((statics, items),) = pages(cat, {"a": "山田", "b": "次", "note": "前書き"})
    t = boxes(items)
    assert t["山田"] == (25, 38, 50, 8) and t["次"] == (15, 48, 50, 6)  # the group: 12 mm from y 36
    ((statics, items),) = pages(cat, {"a": "山田", "b": "次"})
    t = boxes(items)
    assert t["山田"] == (25, 32, 50, 8) and t["次"] == (15, 42, 50, 6)
