"""``text`` and ``textblock``: what the PDF shows and the errors a form or a payload gets, with
their messages pinned (a clear, stable message is part of the contract; docs/testing.md).

Positions are read back from the PDF with pdfminer (``pdf_chars``): mm from the page's top-left."""

from __future__ import annotations

import json

import pytest
import yaml

import lgforms

from pdfcheck import pdf_chars, pdftotext

PT = 25.4 / 72  # mm per point


def doc(root, fields, props=None, blocks=None) -> lgforms.Catalog:
    d = root / "t" / "doc"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    (d / "form.yaml").write_text(yaml.safe_dump(
        {"id": "doc", "title": "doc", "area": "test", "paper": {"size": "A4", "width": 210, "height": 297},
         "pages": [{"id": "p", "fields": fields}]}, allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": props or {"v": {"type": "string"}}}),
                                   "utf-8")
    for name, block in (blocks or {}).items():
        (root / "_blocks").mkdir(exist_ok=True)
        (root / "_blocks" / f"{name}.yaml").write_text(yaml.safe_dump(block, allow_unicode=True), "utf-8")
    return lgforms.Catalog(root)


def load_error(root, fields) -> lgforms.LgformsError:
    with pytest.raises(lgforms.LgformsError) as ei:
        doc(root, fields).get("doc")
    assert ei.value.code == "FORM_SPEC_INVALID"
    return ei.value


WHERE = "doc: doc/form.yaml:5: page 'p' fields[0] (a): "


@pytest.mark.parametrize("box", [[10, 10, 0, 7], [10, 10, 50, 0], [10, 10, -5, 7]])
def test_a_box_without_width_or_height_is_refused_at_load(tmp_path, box):
    e = load_error(tmp_path, [{"kind": "text", "id": "a", "box": box, "value": "{{ v }}"}])
    assert e.message == WHERE + f"box {[float(b) for b in box]} must have positive width and height"


def test_a_size_taller_than_the_box_is_refused_at_load_unless_the_text_wraps(tmp_path):
    """21 pt is 7.41 mm: too tall for a 7 mm box on one line; 10 pt fits a box exactly 10 pt high."""
    e = load_error(tmp_path / "a", [{"kind": "text", "id": "a", "box": [10, 10, 50, 7], "value": "{{ v }}",
                                     "size": 21}])
    assert e.message == WHERE + "size 21.0 pt (7.41 mm) is taller than the box (7.0 mm)"
    for fit in ("error", "shrink"):
        assert load_error(tmp_path / fit, [{"kind": "text", "id": "a", "box": [10, 10, 50, 7], "value": "{{ v }}",
                                            "size": 21, "fit": fit, "min_size": 8}]).message.endswith(
            "is taller than the box (7.0 mm)")
    for fit in ("wrap", "auto"):  # several lines may still fit: decided at render
        doc(tmp_path / fit, [{"kind": "text", "id": "a", "box": [10, 10, 50, 7], "value": "{{ v }}", "size": 21,
                              "fit": fit}]).get("doc")
    doc(tmp_path / "exact", [{"kind": "text", "id": "a", "box": [10, 10, 50, 10 * PT], "value": "{{ v }}",
                              "size": 10}]).get("doc")
    load_error(tmp_path / "less", [{"kind": "text", "id": "a", "box": [10, 10, 50, 10 * PT - 0.01],
                                    "value": "{{ v }}", "size": 10}])


@pytest.mark.parametrize("key", ["text", "value"])
def test_a_label_that_does_not_fit_is_a_load_error(tmp_path, key):
    """A literal (``text``, or a ``value`` without a variable) is known when the form loads: if it
    does not fit, the form is refused then — not a reader's clipped label later."""
    e = load_error(tmp_path, [{"kind": "text", "id": "a", "box": [10, 10, 20, 7], key: "とても長いラベルの文字列がはみ出す"}])
    assert e.message == (WHERE + "the text 'とても長いラベルの文字列がはみ出す' does not fit its box: text of 17 "
                         "characters needs 63.0 mm at 10.5 pt but the box is 20.0 × 7.0 mm (fit: error)")


def test_a_long_label_is_named_by_its_first_30_characters(tmp_path):
    label = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも"  # 35
    e = load_error(tmp_path, [{"kind": "text", "id": "a", "box": [10, 10, 20, 7], "text": label}])
    assert f"the text '{label[:30]}' does not fit its box" in e.message


def test_a_label_that_fits_loads_and_prints_where_its_box_is(tmp_path):
    c = doc(tmp_path, [{"kind": "text", "id": "a", "box": [20, 30, 60, 8], "text": "住民票の写し", "size": 12,
                        "align": "center"}])
    chars = pdf_chars(lgforms.render("doc", {}, catalog=c))[0]
    assert "".join(ch[0] for ch in chars) == "住民票の写し"
    left, right = min(ch[1] for ch in chars), max(ch[3] for ch in chars)
    assert (left + right) / 2 == pytest.approx(20 + 30, abs=0.05)  # centred in the box
    assert right - left == pytest.approx(6 * 12 * PT, abs=0.05)  # six full-width characters at 12 pt
    top, bottom = min(ch[2] for ch in chars), max(ch[4] for ch in chars)
    assert (top + bottom) / 2 == pytest.approx(30 + 4, abs=0.3)  # middle of the box (the default)


def test_a_label_in_an_unknown_font_role_is_not_measured_at_load(tmp_path):
    """The form's own font roles (a tenant's) are not known when it loads: the label is measured
    at render instead; loading does not fail on it."""
    c = doc(tmp_path, [{"kind": "text", "id": "a", "box": [10, 10, 20, 7], "text": "とても長いラベルの文字列がはみ出す",
                        "font": "tenant_font"}])
    try:
        c.get("doc")
    except lgforms.LgformsError as e:
        assert "does not fit its box" not in e.message


def test_a_value_that_does_not_fit_names_the_element_once_and_the_field(tmp_path):
    c = doc(tmp_path, [{"kind": "text", "id": "a", "box": [10, 10, 20, 7], "value": "{{ v }}"}])
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("doc", {"v": "とても長い値の文字列がはみ出す"}, catalog=c)
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.v"
    assert ei.value.message == ("doc: page 'p' fields[0] (a): text of 15 characters needs 55.6 mm at 10.5 pt but the "
                                "box is 20.0 × 7.0 mm (fit: error)")


def test_text_in_a_block_is_drawn_at_the_block_s_offset_and_names_the_field(tmp_path):
    block = {"block": "b", "title": "b", "size": [60, 10], "params": {"name": {"doc": "氏名"}},
             "fields": [{"kind": "text", "id": "t", "box": [2, 1, 50, 7], "value": "{{ name }}"}]}
    c = doc(tmp_path, [{"kind": "block", "id": "a", "use": "b", "at": [30, 40], "with": {"name": "v"}}],
            blocks={"b": block})
    chars = pdf_chars(lgforms.render("doc", {"v": "山田太郎"}, catalog=c))[0]
    assert "".join(ch[0] for ch in chars) == "山田太郎"
    assert min(ch[1] for ch in chars) == pytest.approx(32, abs=0.05)  # left aligned at 30 + 2
    top, bottom = min(ch[2] for ch in chars), max(ch[4] for ch in chars)
    assert (top + bottom) / 2 == pytest.approx(40 + 1 + 3.5, abs=0.3)
    from lgforms.layout.boxes import TextLine

    page = lgforms.layout("doc", {"v": "山田太郎"}, catalog=c).pages[0]
    (line,) = [it for it in page.items if isinstance(it, TextLine)]
    assert line.path == "$.v" and line.box == pytest.approx((32, 41, 50, 7))


def test_exactly_one_of_text_and_value(tmp_path):
    for el in ({"text": "a", "value": "{{ v }}"}, {}):
        with pytest.raises(lgforms.LgformsError) as ei:
            doc(tmp_path / str(len(el)), [{"kind": "text", "id": "a", "box": [10, 10, 50, 7], **el}]).get("doc")
        assert "give exactly one of 'text' (literal) or 'value' (template)" in ei.value.message


# --- textblock -------------------------------------------------------------------------------------

PARAS = ["この処分に不服があるときは、この処分があったことを知った日の翌日から起算して三月以内に審査請求をすることができます。",
         "処分の取消しの訴えは、六月以内に提起することができます。"]


def test_a_textblock_wraps_justified_from_the_top_of_its_box(tmp_path):
    c = doc(tmp_path, [{"kind": "textblock", "id": "a", "box": [20, 30, 80, 40], "value": "{{ v }}", "size": 10}])
    chars = pdf_chars(lgforms.render("doc", {"v": PARAS[0]}, catalog=c))[0]
    lines: dict[float, list] = {}
    for ch in chars:
        lines.setdefault(round(ch[2], 1), []).append(ch)
    tops = sorted(lines)
    assert len(tops) >= 2  # wrapped (fit: wrap by default)
    assert tops[0] == pytest.approx(30, abs=0.5)  # from the top (valign: top by default)
    first = lines[tops[0]]
    # justified: the first line fills the box from edge to edge
    assert min(ch[1] for ch in first) == pytest.approx(20, abs=0.05)
    assert max(ch[3] for ch in first) == pytest.approx(100, abs=0.1)
    assert "".join(ch[0] for t in tops for ch in sorted(lines[t], key=lambda c: c[1])) == PARAS[0]


def test_a_list_of_paragraphs_prints_one_paragraph_per_item(tmp_path):
    """docs/forms.md: "a list value is one paragraph per item" — each item starts a new line, and
    the list's Python text (brackets, quotes, commas) is never printed."""
    props = {"v": {"type": "array", "items": {"type": "string"}}}
    c = doc(tmp_path, [{"kind": "textblock", "id": "a", "box": [20, 30, 80, 60], "value": "{{ v }}", "size": 10}],
            props)
    pdf = lgforms.render("doc", {"v": PARAS}, catalog=c)
    text = pdftotext(pdf)
    assert "[" not in text and "'" not in text
    chars = pdf_chars(pdf)[0]
    assert "".join(ch[0] for ch in chars) == "".join(PARAS)
    second = chars[len(PARAS[0])]  # the second paragraph's first character
    assert second[0] == PARAS[1][0]
    assert second[1] == pytest.approx(20, abs=0.05)  # starts a line of its own, at the left edge
    assert second[2] > min(ch[2] for ch in chars) + 10 * PT


def test_a_list_in_an_object_and_an_empty_or_absent_list(tmp_path):
    props = {"o": {"type": "object", "properties": {"v": {"type": ["array", "null"], "items": {"type": "string"}}}}}
    c = doc(tmp_path, [{"kind": "textblock", "id": "a", "box": [20, 30, 80, 60], "value": "{{ o.v }}"}], props)
    assert pdftotext(lgforms.render("doc", {"o": {"v": ["甲", "乙"]}}, catalog=c)).split() == ["甲", "乙"]
    for payload in ({"o": {"v": []}}, {"o": {"v": None}}, {"o": {}}):
        assert pdftotext(lgforms.render("doc", payload, catalog=c)).split() == []


def test_a_string_with_newlines_is_paragraphs_too(tmp_path):
    c = doc(tmp_path, [{"kind": "textblock", "id": "a", "box": [20, 30, 80, 60], "value": "{{ v }}"}])
    assert pdftotext(lgforms.render("doc", {"v": "第一\n第二"}, catalog=c)).split() == ["第一", "第二"]


def test_a_growing_label_in_a_flow_is_not_measured_against_its_minimum_box(tmp_path):
    """In a flow, ``grow: true`` makes the box height a minimum: a long literal paragraph loads and
    prints whole, on as many lines as it needs."""
    d = tmp_path / "t" / "doc"
    (d / "samples").mkdir(parents=True)
    para = PARAS[0] * 3
    (d / "form.yaml").write_text(yaml.safe_dump(
        {"id": "doc", "title": "doc", "area": "test", "paper": {"size": "A4", "width": 210, "height": 297},
         "pages": [{"id": "p", "flow": {"box": [20, 30, 100, 200], "sections": [
             {"kind": "textblock", "id": "a", "box": [0, 0, 100, 5], "grow": True, "size": 10, "text": para}]}}]},
        allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {}}), "utf-8")
    c = lgforms.Catalog(tmp_path)
    c.get("doc")
    chars = pdf_chars(lgforms.render("doc", {}, catalog=c))[0]
    assert "".join(ch[0] for ch in chars) == para
    assert max(ch[4] for ch in chars) - min(ch[2] for ch in chars) > 15  # several lines, past the 5 mm minimum


IVS_UNKNOWN = "葛\U000E01EF飾"  # 葛 with a variation selector the bundled fonts do not have


def test_an_unknown_variation_sequence_prints_its_base_only_where_the_tenant_allows_it(tmp_path):
    """A tenant's ``allow_ivs_fallback`` reaches the text element: its base character is printed
    (the sequence kept in the text layer); without it the value is refused, naming the field."""
    from lgforms.tenants.profile import demo_profile

    c = doc(tmp_path, [{"kind": "text", "id": "a", "box": [10, 10, 60, 8], "value": "{{ v }}"}])
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("doc", {"v": IVS_UNKNOWN}, catalog=c)
    assert ei.value.code == "IVS_UNKNOWN" and ei.value.path == "$.v"
    t = demo_profile().model_copy(update={"allow_ivs_fallback": True})
    assert pdftotext(lgforms.render("doc", {"v": IVS_UNKNOWN}, catalog=c, tenant=t)).strip() == IVS_UNKNOWN


def test_a_label_with_an_unknown_variation_sequence_is_refused_at_load(tmp_path):
    """A label is the form's own text: no tenant setting excuses a glyph the fonts lack."""
    with pytest.raises(lgforms.LgformsError) as ei:
        doc(tmp_path, [{"kind": "text", "id": "a", "box": [10, 10, 60, 8], "text": IVS_UNKNOWN}]).get("doc")
    assert "variation sequence U+845B U+E01EF is not in the mincho fonts" in ei.value.message


def test_a_label_that_does_not_fit_is_reported_at_its_box_line(tmp_path):
    """The load error points at the line of the element's ``box`` (what to change)."""
    d = tmp_path / "t" / "doc"
    (d / "samples").mkdir(parents=True)
    (d / "form.yaml").write_text(
        "id: doc\ntitle: doc\narea: test\npaper: {size: A4, width: 210, height: 297}\npages:\n"
        "  - id: p\n    fields:\n      - kind: text\n        id: a\n        text: とても長いラベルの文字列がはみ出す\n"
        "        box: [10, 10, 20, 7]\n", "utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {}}), "utf-8")
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.Catalog(tmp_path).get("doc")
    assert ei.value.message.startswith("doc: doc/form.yaml:11: page 'p' fields[0] (a): the text ")


def test_a_box_under_a_millimetre_is_still_a_box(tmp_path):
    """Any positive size is a box (a 1 pt mark in a 0.5 × 0.5 mm cell); zero is not."""
    doc(tmp_path, [{"kind": "text", "id": "a", "box": [10, 10, 0.5, 0.5], "value": "{{ v }}", "size": 1}]).get("doc")
