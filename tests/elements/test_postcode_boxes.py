"""``postcode_boxes`` (郵便番号枠) as the PDF draws them, checked against Japan Post's specification
written out here — not against lgforms' ``postal.rules``:

郵便番号・バーコードマニュアル p05 (post.japanpost.jp/zipcode/zipmanual/p05.html): seven boxes in one
row, a hyphen between the third and the fourth; the first three boxes and the hyphen 0.4–0.6 mm
thick, the last four 0.2–0.4 mm; 朱色 or 金赤, no black or blue (cyan) ink, density at least PCS 0.4.
Box size 5.7 × 8.0 mm measured inside the frame lines and the gaps 1.3 / 1.3 / 1.9 / 1.1 / 1.1 /
1.1 mm (47.7 mm in all): webdesign-tokyo.net's drawing of the same specification (the manual gives
them as a figure only)."""

from __future__ import annotations

import json

import pytest
import yaml

import lgforms

from barcodecheck import rasterize
from pdfcheck import pdf_chars, pdftotext, strokes

BOX_W, BOX_H = 5.7, 8.0
GAPS = [1.3, 1.3, 1.9, 1.1, 1.1, 1.1]
KINKIN = (0.0, 1.0, 1.0, 0.0)  # 金赤: DeviceCMYK M100 Y100
AT = (49.3, 12.0)  # the card's postcode boxes: 8 mm from the right of a 105 mm card, 12 mm from the top
PT_MM = 25.4 / 72


def card(root, **el) -> lgforms.Catalog:
    d = root / "t" / "card"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    field = {"kind": "postcode_boxes", "id": "pc", "at": list(AT), "value": "{{ postcode }}", **el}
    if field.get("value") is None:
        del field["value"]
    (d / "form.yaml").write_text(yaml.safe_dump(
        {"id": "card", "title": "card", "area": "test", "paper": {"size": "postcard", "width": 100, "height": 148},
         "pages": [{"id": "p", "fields": [field]}]}, allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {"postcode": {"type": "string"}}}),
                                   "utf-8")
    return lgforms.Catalog(root)


def inside_left_edges(x0: float) -> list[float]:
    out = [x0]
    for g in GAPS:
        out.append(out[-1] + BOX_W + g)
    return out


@pytest.fixture
def pdf(tmp_path):
    """Rendered for each test, not once per module: mutmut credits a test only with the code run
    since the previous test ended, so a module-scoped render would count for the first test alone
    and the others would never run against its mutants."""
    return lgforms.render("card", {"postcode": "987-6520"}, catalog=card(tmp_path / "fixture"))


def test_seven_boxes_measured_inside_the_lines_with_the_specified_gaps(pdf):
    s = strokes(pdf)
    boxes = [x for x in s if x["rect"] is not None]
    assert len(boxes) == 7
    lefts = inside_left_edges(AT[0])
    assert lefts[-1] + BOX_W - lefts[0] == pytest.approx(47.7)
    for k, (b, left) in enumerate(zip(boxes, lefts)):
        x, top, w, h = b["rect"]
        lw = b["width"]
        assert lw == pytest.approx(0.5 if k < 3 else 0.3, abs=0.005), k  # first three 0.5, last four 0.3
        assert 0.4 <= lw <= 0.6 if k < 3 else 0.2 <= lw <= 0.4
        # the stroke is centred on the path: the inside is the path less half a line on each side
        assert x + lw / 2 == pytest.approx(left, abs=0.01) and top + lw / 2 == pytest.approx(AT[1], abs=0.01)
        assert w - lw == pytest.approx(BOX_W, abs=0.01) and h - lw == pytest.approx(BOX_H, abs=0.01)
        assert b["color"] == KINKIN


def test_the_hyphen_sits_in_the_gap_between_the_third_and_fourth_box(pdf):
    (hyphen,) = [x for x in strokes(pdf) if x["rect"] is None]
    (x1, y1), (x2, y2) = hyphen["points"]
    lefts = inside_left_edges(AT[0])
    gap_from, gap_to = lefts[2] + BOX_W + 0.5 / 2, lefts[3] - 0.3 / 2  # outside the two frame lines
    assert y1 == y2 == pytest.approx(AT[1] + BOX_H / 2, abs=0.01)  # half-way down the boxes
    assert gap_from < min(x1, x2) < max(x1, x2) < gap_to  # touches neither box
    assert (x1 + x2) / 2 == pytest.approx((gap_from + gap_to) / 2, abs=0.01)  # centred in the gap
    assert abs(x2 - x1) == pytest.approx(gap_to - gap_from - 0.7, abs=0.01)  # 0.35 mm clear of each line
    assert hyphen["width"] == pytest.approx(0.5, abs=0.005) and hyphen["color"] == KINKIN


def test_each_digit_is_black_centred_in_its_box_clear_of_the_frame(pdf):
    dpi = 300
    im = rasterize(pdf, 1, dpi).convert("L")
    px = dpi / 25.4
    for k, left in enumerate(inside_left_edges(AT[0])):
        box = (round(left * px), round(AT[1] * px), round((left + BOX_W) * px), round((AT[1] + BOX_H) * px))
        crop = im.crop(box)
        w, h = crop.size
        dark = [(i % w, i // w) for i, v in enumerate(crop.tobytes()) if v < 60]  # black, not the red lines
        assert len(dark) > 100, k
        xs, ys = [p[0] / px for p in dark], [p[1] / px for p in dark]
        assert min(xs) > 0.5 and max(xs) < BOX_W - 0.5 and min(ys) > 0.5 and max(ys) < BOX_H - 0.5, k
        assert (min(xs) + max(xs)) / 2 == pytest.approx(BOX_W / 2, abs=0.3), k
        assert (min(ys) + max(ys)) / 2 == pytest.approx(BOX_H / 2, abs=0.5), k
        # a 13 pt digit: its figure height is about 0.7 em = 3.2 mm
        assert 2.8 < max(ys) - min(ys) < 3.8, k


def test_the_postcode_is_one_invisible_text_over_the_boxes(pdf):
    assert pdftotext(pdf).split() == ["987-6520"]
    chars = pdf_chars(pdf)[0]
    assert "".join(c[0] for c in chars) == "987-6520"
    left, right = min(c[1] for c in chars), max(c[3] for c in chars)
    assert (left + right) / 2 == pytest.approx(AT[0] + 47.7 / 2, abs=0.05)  # centred over the seven boxes
    for c in chars:  # 10 pt, inside the frame's height
        assert c[4] - c[2] == pytest.approx(10 * PT_MM, abs=0.01)
        assert AT[1] <= c[2] and c[4] <= AT[1] + BOX_H


def test_the_hyphen_of_the_value_is_optional(tmp_path):
    a = lgforms.render("card", {"postcode": "9876520"}, catalog=card(tmp_path))
    assert pdftotext(a).split() == ["987-6520"]


@pytest.mark.parametrize("value", ["98765", "98765201", "98765a0", "987-65-20", "98-76520", "9876-520",
                                   "987--6520", "987 6520", "987-6520-"])
def test_a_postcode_that_is_not_nnn_nnnn_is_refused(tmp_path, value):
    """Seven digits are not enough: the hyphen, if any, comes after the third (a value that only
    becomes 7 digits once every hyphen is dropped is not a postcode)."""
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("card", {"postcode": value}, catalog=card(tmp_path))
    assert ei.value.path == "$.postcode"
    assert ei.value.message == (f"card: page 'p' fields[0] (pc): a postcode is 7 digits, NNN-NNNN or NNNNNNN; "
                                f"the value ({len(value)} characters) is not")
    assert value not in ei.value.message  # the message names no personal data


@pytest.mark.parametrize("value", ["９８７－６５２０", "９８７６５２０", "〒987-6520"])
def test_a_full_width_postcode_prints_ascii_digits_as_the_customer_barcode_reads_it(tmp_path, value):
    pdf = lgforms.render("card", {"postcode": value}, catalog=card(tmp_path))
    assert pdftotext(pdf).split() == ["987-6520"]


def test_without_a_value_the_boxes_are_empty_for_handwriting(tmp_path):
    pdf = lgforms.render("card", {}, catalog=card(tmp_path, value=None))
    assert len([x for x in strokes(pdf) if x["rect"] is not None]) == 7
    assert pdftotext(pdf).split() == []
    im = rasterize(pdf, 1, 150).convert("L")
    assert min(im.tobytes()) > 60  # no black ink: only the red frame


@pytest.mark.parametrize("key, ok, bad, message", [
    ("line_first", [0.4, 0.6], [0.39, 0.61],
     "the first three boxes and the hyphen must be 0.4–0.6 mm thick (郵便番号枠 specification), not {} mm"),
    ("line_last", [0.2, 0.4], [0.19, 0.41], "the last four boxes must be 0.2–0.4 mm thick, not {} mm"),
])
def test_line_widths_outside_the_specification_are_refused_at_load(tmp_path, key, ok, bad, message):
    for i, v in enumerate(ok):
        pdf = lgforms.render("card", {"postcode": "9876520"}, catalog=card(tmp_path / f"ok{i}", **{key: v}))
        widths = sorted({round(x["width"], 2) for x in strokes(pdf)})
        assert pytest.approx(v, abs=0.005) in widths
    for i, v in enumerate(bad):
        with pytest.raises(lgforms.LgformsError) as ei:
            card(tmp_path / f"bad{i}", **{key: v}).get("card")
        assert ei.value.code == "POSTAL_CONSTRAINT"
        assert ei.value.message == "page 'p' fields[0] (pc): " + message.format(v)


@pytest.mark.parametrize("color, message", [
    ([0.1, 1, 1, 0], "郵便番号枠 must be 朱色/金赤 with no black or cyan ink (got C 0.1 K 0); use e.g. [0, 1, 1, 0]"),
    ([0, 1, 1, 0.1], "郵便番号枠 must be 朱色/金赤 with no black or cyan ink (got C 0 K 0.1); use e.g. [0, 1, 1, 0]"),
    ([0, 0.39, 0.3, 0], "the frame colour is too light (PCS 0.4 needed; M/Y 0.39)"),
    ([0, 0.2, 0.39, 0], "the frame colour is too light (PCS 0.4 needed; M/Y 0.39)"),
])
def test_a_frame_colour_japan_post_does_not_allow_is_refused_at_load(tmp_path, color, message):
    with pytest.raises(lgforms.LgformsError) as ei:
        card(tmp_path, color=color).get("card")
    assert ei.value.code == "POSTAL_CONSTRAINT"
    assert ei.value.message == "page 'p' fields[0] (pc): " + message


@pytest.mark.parametrize("color", [[0, 0.4, 0, 0], [0, 0, 0.4, 0], [0, 0.8, 1, 0]])
def test_a_vermilion_frame_of_enough_density_is_drawn_in_its_colour(tmp_path, color):
    pdf = lgforms.render("card", {"postcode": "9876520"}, catalog=card(tmp_path, color=color))
    assert {x["color"] for x in strokes(pdf)} == {tuple(float(c) for c in color)}


def test_colour_components_must_be_0_to_1(tmp_path):
    with pytest.raises(lgforms.LgformsError) as ei:
        card(tmp_path, color=[0, 1.2, 1, 0]).get("card")
    assert "color components are 0–1 (C, M, Y, K)" in ei.value.message


def test_digits_too_large_for_the_8_mm_boxes_are_refused_at_load(tmp_path):
    """A digit's figure (about 0.75 em) must leave 1 mm above and below in the 8 mm box:
    22.6 pt × 0.3528 × 0.75 = 5.98 mm fits, and so does exactly 6 mm (6 / 0.2646 pt, the float whose
    product is 6.0), 22.7 pt (6.01 mm) does not."""
    lgforms.render("card", {"postcode": "9876520"}, catalog=card(tmp_path / "a", digit_size=22.6))
    exact = 22.675736961451246
    assert exact * 0.3528 * 0.75 == 6.0
    card(tmp_path / "c", digit_size=exact).get("card")
    with pytest.raises(lgforms.LgformsError) as ei:
        card(tmp_path / "b", digit_size=22.7).get("card")
    assert ei.value.code == "POSTAL_CONSTRAINT"
    assert ei.value.message == ("page 'p' fields[0] (pc): digits of 22.7 pt would touch "
                                "the 8 mm boxes")


def test_the_frame_in_a_block_is_drawn_at_the_block_s_offset(tmp_path):
    """A block (forms/_blocks) placed at (48.3, 11) with the boxes at (1, 1) in it: box 1's inside
    corner lands on the card at (49.3, 12)."""
    (tmp_path / "_blocks").mkdir()
    (tmp_path / "_blocks" / "pcblock.yaml").write_text(yaml.safe_dump(
        {"block": "pcblock", "title": "pc", "size": [50, 10], "params": {"postcode": {"as": "text"}},
         "fields": [{"kind": "postcode_boxes", "id": "pc", "at": [1, 1], "value": "{{ postcode }}"}]},
        allow_unicode=True), "utf-8")
    card(tmp_path)  # the card's files, its field replaced by the block below
    y = yaml.safe_load((tmp_path / "t" / "card" / "form.yaml").read_text("utf-8"))
    y["pages"][0]["fields"] = [{"kind": "block", "id": "b", "use": "pcblock", "at": [48.3, 11],
                                "with": {"postcode": "{{ postcode }}"}}]
    (tmp_path / "t" / "card" / "form.yaml").write_text(yaml.safe_dump(y, allow_unicode=True), "utf-8")
    pdf = lgforms.render("card", {"postcode": "9876520"}, catalog=lgforms.Catalog(tmp_path))
    first = next(x for x in strokes(pdf) if x["rect"] is not None)
    x, top, _, _ = first["rect"]
    assert x + first["width"] / 2 == pytest.approx(AT[0], abs=0.01)
    assert top + first["width"] / 2 == pytest.approx(AT[1], abs=0.01)
    assert pdftotext(pdf).split() == ["987-6520"]


@pytest.mark.parametrize("at, ok", [
    ((0.5, 12), True), ((0.4, 12), False),  # 0.5 mm lines: the ink starts 0.5 mm left of box 1
    ((51.8, 12), True), ((51.9, 12), False),  # 51.8 + 47.7 + 0.5 = 100 mm, the card's width
    ((20, 0.5), True), ((20, 0.4), False),
    ((20, 139.5), True), ((20, 139.6), False),  # 139.5 + 8 + 0.5 = 148 mm, the card's height
])
def test_boxes_whose_lines_leave_the_card_are_refused_at_load(tmp_path, at, ok):
    c = card(tmp_path, at=list(at))
    if ok:
        c.get("card")
        return
    with pytest.raises(lgforms.LgformsError) as ei:
        c.get("card")
    assert ei.value.code == "FORM_SPEC_INVALID" and "is not inside the 100 × 148 mm page" in ei.value.message


def test_the_frame_s_extent_for_the_postal_checks_covers_all_its_ink(tmp_path, pdf):
    """``PostcodeFrame.bbox`` is what the postal checks keep other ink away from: it must hold every
    line the PDF strokes (each line's outer edge: half its width outside the path)."""
    from lgforms.elements.postcode_boxes import PostcodeFrame

    page = lgforms.layout("card", {"postcode": "9876520"}, catalog=card(tmp_path)).pages[0]
    (frame,) = [it for it in page.items if isinstance(it, PostcodeFrame)]
    x1, y1, x2, y2 = frame.bbox()
    ink = []
    for s in strokes(pdf):
        h = s["width"] / 2
        if s["rect"] is not None:
            rx, ry, rw, rh = s["rect"]
            ink.append((rx - h, ry - h, rx + rw + h, ry + rh + h))
        else:
            xs, ys = [p[0] for p in s["points"]], [p[1] for p in s["points"]]
            ink.append((min(xs), min(ys) - h, max(xs), max(ys) + h))
    assert x1 <= min(i[0] for i in ink) + 0.01 and y1 <= min(i[1] for i in ink) + 0.01
    assert x2 >= max(i[2] for i in ink) - 0.01 and y2 >= max(i[3] for i in ink) - 0.01
    # and no more than the thicker line beyond it
    assert (x1, y1) == (pytest.approx(AT[0] - 0.5), pytest.approx(AT[1] - 0.5))
    assert (x2, y2) == (pytest.approx(AT[0] + 47.7 + 0.5), pytest.approx(AT[1] + 8.0 + 0.5))


def test_the_postcode_text_is_invisible_render_mode_3(pdf):
    """The text layer's postcode is set in render mode 3 (neither filled nor stroked) and the mode
    is reset after it: only the outlined digits print."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    ops = [(op, [float(v) if isinstance(v, (int, float)) else v for v in operands])
           for operands, op in ContentStream(reader.pages[0].get_contents(), reader).operations]
    modes = [(i, o[1][0]) for i, o in enumerate(ops) if o[0] == b"Tr"]
    shows = [i for i, o in enumerate(ops) if o[0] in (b"Tj", b"TJ")]
    assert shows and [m for _, m in modes] == [3, 0]
    assert modes[0][0] < min(shows) and max(shows) < modes[1][0]


def test_the_digits_and_the_text_are_in_the_element_s_font(tmp_path):
    """Gothic by default (IPAexGothic); ``font: mincho`` (IPAmj明朝) changes both
    the outlined digits and the invisible text."""
    import io

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def fonts_and_ink(**el):
        pdf = lgforms.render("card", {"postcode": "9876520"}, catalog=card(tmp_path / str(len(el)), **el))
        names = set()

        def walk(o):
            if isinstance(o, LTChar):
                names.add(o.fontname.split("+")[-1])
            elif hasattr(o, "__iter__"):
                for c in o:
                    walk(c)

        for p in extract_pages(io.BytesIO(pdf)):
            walk(p)
        return names, rasterize(pdf, 1, 300).convert("L").tobytes()

    gothic, ink_gothic = fonts_and_ink()
    mincho, ink_mincho = fonts_and_ink(font="mincho")
    assert gothic == {"IPAexGothic"} and mincho == {"IPAmjMincho"}
    assert ink_gothic != ink_mincho  # the printed digits' shapes follow the font


def test_every_drawn_part_names_the_payload_value_and_its_box(tmp_path):
    """What the designer and the own-box check read from the layout: each digit in its box, the
    text over the whole frame, both from $.postcode."""
    from lgforms.elements.postcode_boxes import HiddenTextLine, OutlinedDigit

    page = lgforms.layout("card", {"postcode": "9876520"}, catalog=card(tmp_path)).pages[0]
    digits = [it for it in page.items if isinstance(it, OutlinedDigit)]
    (hidden,) = [it for it in page.items if isinstance(it, HiddenTextLine)]
    assert [d.text for d in digits] == list("9876520") and hidden.text == "987-6520"
    assert {d.path for d in digits} == {hidden.path} == {"$.postcode"}
    for d, left in zip(digits, inside_left_edges(AT[0])):
        assert d.box == pytest.approx((left, AT[1], BOX_W, BOX_H))
    assert hidden.box == pytest.approx((AT[0], AT[1], 47.7, BOX_H))
