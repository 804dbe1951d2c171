"""``indicia`` (料金別納 / 料金後納 mark) as the PDF draws it, against Japan Post's rules written out
here — not lgforms' ``postal.rules``:

料金別納 表示の方法 (post.japanpost.jp/fee/how_to_pay/separate_pay/syousai.html; 料金後納 alike): a
circle 2–3 cm across or a square 2–3 cm a side; 差出事業所名 (「銀座局」) in the upper part above a
rule, 「料金別納／郵便」 (料金後納) below it; mail with 送達余裕承諾 shows two rules 1–2 mm apart
(the element's ``lines: 2``; ``lines: 3`` adds one above the office name)."""

from __future__ import annotations

import json
import math

import pytest
import yaml

import lgforms

from pdfcheck import pdf_chars, strokes

BOX = (7.0, 7.0, 22.0, 22.0)


def card(root, **el) -> lgforms.Catalog:
    d = root / "t" / "card"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    field = {"kind": "indicia", "id": "ind", "box": list(BOX), "type": "{{ type }}", "office": "{{ office }}", **el}
    field = {k: v for k, v in field.items() if v is not None}
    (d / "form.yaml").write_text(yaml.safe_dump(
        {"id": "card", "title": "card", "area": "test", "paper": {"size": "postcard", "width": 100, "height": 148},
         "pages": [{"id": "p", "fields": [field]}]}, allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {
        "type": {"type": "string"}, "office": {"type": "string"}}}), "utf-8")
    return lgforms.Catalog(root)


def draw(tmp_path, payload, **el):
    pdf = lgforms.render("card", payload, catalog=card(tmp_path, **el))
    return strokes(pdf), pdf_chars(pdf)[0]


def text_of(chars, top=-1e9, bottom=1e9) -> str:
    return "".join(c[0] for c in sorted(chars, key=lambda c: (round(c[2], 1), c[1])) if top <= c[2] and c[4] <= bottom)


def test_a_circle_22_mm_across_with_the_office_above_the_rule_and_the_kind_below(tmp_path):
    s, chars = draw(tmp_path, {"type": "betsunou", "office": "銀座局"})
    circle, rule = s
    x, y, d, _ = BOX
    cx, cy, r = x + d / 2, y + d / 2, d / 2
    assert len(circle["points"]) == 5  # four arcs
    for px, py in circle["points"]:
        assert math.hypot(px - cx, py - cy) == pytest.approx(r, abs=0.01)
    assert sorted({round(p[0], 2) for p in circle["points"]}) == [pytest.approx(x, abs=0.01),
                                                                   pytest.approx(cx, abs=0.01),
                                                                   pytest.approx(x + d, abs=0.01)]
    (x1, ry), (x2, ry2) = rule["points"]
    assert ry == ry2 == pytest.approx(y + 0.4 * d, abs=0.01)  # the rule, 40 % down
    for px in (x1, x2):  # a chord: its ends on the circle
        assert math.hypot(px - cx, ry - cy) == pytest.approx(r, abs=0.01)
    assert circle["width"] == rule["width"] == pytest.approx(0.3, abs=0.005)
    assert text_of(chars, bottom=ry) == "銀座局"
    assert text_of(chars, top=ry) == "料金別納郵便"
    for _, left, top, right, bottom in chars:  # every character inside the circle
        for px, py in ((left, top), (right, top), (left, bottom), (right, bottom)):
            assert math.hypot(px - cx, py - cy) < r


@pytest.mark.parametrize("value, kind", [("betsunou", "料金別納"), ("料金別納", "料金別納"), ("kounou", "料金後納"),
                                         ("料金後納", "料金後納"), (" kounou ", "料金後納"), ("", "料金別納")])
def test_the_kind_is_printed_in_japanese(tmp_path, value, kind):
    _, chars = draw(tmp_path, {"type": value, "office": "銀座局"})
    assert text_of(chars) == "銀座局" + kind + "郵便"


def test_an_unknown_kind_is_refused_naming_it(tmp_path):
    with pytest.raises(lgforms.ValueInvalid) as ei:
        draw(tmp_path, {"type": "sokutatsu"})
    assert ei.value.message == ("card: page 'p' fields[0] (ind): type must be betsunou (料金別納) or kounou (料金後納), "
                                "not 'sokutatsu'")
    assert ei.value.form_id == "card"


@pytest.mark.parametrize("office", ["", "   "])
def test_without_an_office_name_only_the_kind_is_printed(tmp_path, office):
    s, chars = draw(tmp_path, {"type": "kounou", "office": office})
    assert text_of(chars) == "料金後納郵便" and len(s) == 2
    page = lgforms.layout("card", {"type": "kounou", "office": office}, catalog=card(tmp_path)).pages[0]
    from lgforms.elements.indicia import IndiciaMark

    (mark,) = [it for it in page.items if isinstance(it, IndiciaMark)]
    assert mark.office_omitted  # the postal checks then require the sender on the face


def test_a_square_with_two_rules_1_5_mm_apart(tmp_path):
    """送達余裕承諾: two rules 1–2 mm apart, across the whole square; the kind below the lower one."""
    s, chars = draw(tmp_path, {"type": "kounou", "office": "銀座局"}, shape="square", lines=2)
    square, r1, r2 = s
    x, y, d, _ = BOX
    assert square["rect"] == pytest.approx((x, y, d, d), abs=0.01)
    ys = [r1["points"][0][1], r2["points"][0][1]]
    assert ys == [pytest.approx(y + 0.4 * d, abs=0.01), pytest.approx(y + 0.4 * d + 1.5, abs=0.01)]
    for r in (r1, r2):
        assert [p[0] for p in r["points"]] == [pytest.approx(x, abs=0.01), pytest.approx(x + d, abs=0.01)]
    assert text_of(chars, bottom=ys[0]) == "銀座局" and text_of(chars, top=ys[1]) == "料金後納郵便"
    for _, left, top, right, bottom in chars:
        assert x < left and right < x + d and y < top and bottom < y + d


def test_three_rules_put_the_office_between_the_top_rule_and_the_two(tmp_path):
    s, chars = draw(tmp_path, {"type": "betsunou", "office": "みどり野局"}, shape="square", lines=3, line_gap=2)
    x, y, d, _ = BOX
    ys = sorted(r["points"][0][1] for r in s[1:])
    assert ys == [pytest.approx(y + 0.13 * d, abs=0.01), pytest.approx(y + 0.4 * d, abs=0.01),
                  pytest.approx(y + 0.4 * d + 2, abs=0.01)]
    assert text_of(chars, top=ys[0], bottom=ys[1]) == "みどり野局"
    assert text_of(chars, top=ys[2]) == "料金別納郵便"


@pytest.mark.parametrize("shape, side, ok, message", [
    ("circle", 20.0, True, None), ("circle", 30.0, True, None), ("square", 20.0, True, None),
    ("circle", 19.5, False, "a 料金別納/後納 mark's diameter is 20–30 mm; 19.5 mm is 0.5 mm too small"),
    ("square", 30.4, False, "a 料金別納/後納 mark's side is 20–30 mm; 30.4 mm is 0.4 mm too large"),
])
def test_the_mark_is_2_to_3_cm(tmp_path, shape, side, ok, message):
    c = card(tmp_path, shape=shape, box=[5, 5, side, side])
    if ok:
        s = strokes(lgforms.render("card", {"type": "betsunou"}, catalog=c))
        xs = [p[0] for p in s[0]["points"]] or [s[0]["rect"][0], s[0]["rect"][0] + s[0]["rect"][2]]
        assert max(xs) - min(xs) == pytest.approx(side, abs=0.01)
        return
    with pytest.raises(lgforms.LgformsError) as ei:
        c.get("card")
    assert ei.value.code == "POSTAL_CONSTRAINT"
    assert ei.value.message == "page 'p' fields[0] (ind): " + message


def test_the_mark_s_box_must_be_square(tmp_path):
    with pytest.raises(lgforms.LgformsError) as ei:
        card(tmp_path, box=[5, 5, 22, 24]).get("card")
    assert ei.value.message == "page 'p' fields[0] (ind): the mark's box must be square (22.0 × 24.0 mm)"


@pytest.mark.parametrize("lines, gap, ok", [(2, 1.0, True), (2, 2.0, True), (3, 0.9, False), (2, 2.1, False),
                                            (1, 2.5, True)])
def test_the_rules_of_a_sotatsu_yoyu_mark_are_1_to_2_mm_apart(tmp_path, lines, gap, ok):
    c = card(tmp_path, lines=lines, line_gap=gap)
    if ok:
        s = strokes(lgforms.render("card", {"type": "betsunou"}, catalog=c))
        ys = sorted(r["points"][0][1] for r in s[1:])
        assert len(ys) == lines and (lines == 1 or ys[1] - ys[0] == pytest.approx(gap, abs=0.01))
        return
    with pytest.raises(lgforms.LgformsError) as ei:
        c.get("card")
    assert ei.value.code == "POSTAL_CONSTRAINT"
    assert ei.value.message == f"page 'p' fields[0] (ind): the rules of a 送達余裕承諾 mark are 1.0–2.0 mm apart, not {gap} mm"


def test_without_type_or_office_keys_the_mark_is_料金別納_without_office(tmp_path):
    s, chars = draw(tmp_path, {}, type=None, office=None)
    assert text_of(chars) == "料金別納郵便" and len(s) == 2


def test_the_texts_are_centred_and_as_large_as_the_mark_allows(tmp_path):
    """Both lines centred on the mark; on a 22 mm mark the office name (above the rule) is over
    4 mm high and the kind (below it) over 3 mm — legible at arm's length, not shrunk to a minimum."""
    s, chars = draw(tmp_path, {"type": "betsunou", "office": "銀座局"})
    x, y, d, _ = BOX
    rule = s[1]["points"][0][1]
    for part in ([c for c in chars if c[4] <= rule], [c for c in chars if c[2] >= rule]):
        rows: dict[float, list] = {}
        for c in part:
            rows.setdefault(round(c[2], 1), []).append(c)
        for row in rows.values():
            assert (min(c[1] for c in row) + max(c[3] for c in row)) / 2 == pytest.approx(x + d / 2, abs=0.05)
    office = [c for c in chars if c[4] <= rule]
    kind = [c for c in chars if c[2] >= rule]
    assert min(c[4] - c[2] for c in office) > 4.0 and min(c[4] - c[2] for c in kind) > 3.0
    assert max(c[4] for c in office) < rule  # clear of the rule


def test_a_long_office_name_shrinks_inside_the_circle_and_a_too_long_one_is_refused(tmp_path):
    x, y, d, _ = BOX
    cx, cy, r = x + d / 2, y + d / 2, d / 2
    s, chars = draw(tmp_path / "a", {"type": "betsunou", "office": "みどり野中央郵便局"})
    office = [c for c in chars if c[4] <= s[1]["points"][0][1]]  # above the rule
    assert "".join(c[0] for c in office) == "みどり野中央郵便局"
    assert max(c[4] - c[2] for c in office) < 4.0  # smaller than a short name's
    for _, left, top, right, bottom in office:
        for px, py in ((left, top), (right, top), (left, bottom), (right, bottom)):
            assert math.hypot(px - cx, py - cy) < r
    with pytest.raises(lgforms.LgformsError) as ei:
        draw(tmp_path / "b", {"type": "betsunou", "office": "みどり野市中央区東西南北郵便局第二集配センター"})
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.office"


def test_three_rules_on_a_circle_end_on_the_circle(tmp_path):
    s, chars = draw(tmp_path, {"type": "betsunou", "office": "銀座局"}, lines=3)
    x, y, d, _ = BOX
    cx, cy, r = x + d / 2, y + d / 2, d / 2
    ys = sorted(rule["points"][0][1] for rule in s[1:])
    assert ys == [pytest.approx(y + 0.13 * d, abs=0.01), pytest.approx(y + 0.4 * d, abs=0.01),
                  pytest.approx(y + 0.4 * d + 1.5, abs=0.01)]
    for rule in s[1:]:
        for px, py in rule["points"]:
            assert math.hypot(px - cx, py - cy) == pytest.approx(r, abs=0.01)
    assert text_of(chars, top=ys[0], bottom=ys[1]) == "銀座局" and text_of(chars, top=ys[2]) == "料金別納郵便"


@pytest.mark.parametrize("shape", ["circle", "square"])
def test_the_mark_s_extent_for_the_postal_checks_covers_its_ink(tmp_path, shape):
    """``IndiciaMark.bbox`` is what the postal checks place in the stamp corner: the outline and
    half its line width around it."""
    from lgforms.elements.indicia import IndiciaMark

    c = card(tmp_path, shape=shape)
    page = lgforms.layout("card", {"type": "betsunou"}, catalog=c).pages[0]
    (mark,) = [it for it in page.items if isinstance(it, IndiciaMark)]
    x, y, d, _ = BOX
    assert mark.bbox() == pytest.approx((x - 0.15, y - 0.15, x + d + 0.15, y + d + 0.15))
    s = strokes(lgforms.render("card", {"type": "betsunou"}, catalog=c))
    pts = s[0]["points"] or [(s[0]["rect"][0], s[0]["rect"][1]),
                             (s[0]["rect"][0] + s[0]["rect"][2], s[0]["rect"][1] + s[0]["rect"][3])]
    b = mark.bbox()
    for px, py in pts:
        assert b[0] <= px - 0.15 + 0.01 and px + 0.15 - 0.01 <= b[2] and b[1] <= py - 0.15 + 0.01


def test_rules_span_the_mark_and_the_kind_clears_the_lower_rule(tmp_path):
    """Each rule runs across the mark (its two ends on either side of the centre); the kind's text
    starts over 1 mm below the lower rule, not on it."""
    x, y, d, _ = BOX
    for shape in ("circle", "square"):
        s, chars = draw(tmp_path / shape, {"type": "kounou", "office": "銀座局"}, shape=shape, lines=2)
        outline, *rules = s
        assert outline["width"] == pytest.approx(0.3, abs=0.005)
        for r in rules:
            (x1, _), (x2, _) = r["points"]
            assert x1 < x + d / 2 - 5 and x2 > x + d / 2 + 5
            assert (x1 + x2) / 2 == pytest.approx(x + d / 2, abs=0.01)
        lower = max(r["points"][0][1] for r in rules)
        kind = [c for c in chars if c[2] >= lower]
        assert "".join(c[0] for c in kind) == "料金後納郵便" and min(c[2] for c in kind) > lower + 1.0


def test_a_square_gives_the_office_name_more_width_than_a_circle(tmp_path):
    """In a square the upper part is as wide as the mark; a circle narrows towards the top: a long
    name spans more of a square than the circle's chord would allow (0.6 of the side)."""
    x, y, d, _ = BOX
    s, chars = draw(tmp_path, {"type": "betsunou", "office": "みどり野中央郵便局"}, shape="square")
    office = [c for c in chars if c[4] <= s[1]["points"][0][1]]
    assert max(c[3] for c in office) - min(c[1] for c in office) > 0.6 * d
    assert x < min(c[1] for c in office) and max(c[3] for c in office) < x + d


def test_a_box_half_a_millimetre_off_square_is_refused(tmp_path):
    with pytest.raises(lgforms.LgformsError) as ei:
        card(tmp_path, box=[5, 5, 22, 22.5]).get("card")
    assert ei.value.message == "page 'p' fields[0] (ind): the mark's box must be square (22.0 × 22.5 mm)"
