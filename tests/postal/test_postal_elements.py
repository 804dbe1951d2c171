"""postcode_boxes and indicia: geometry to Japan Post's specification, and what the PDF carries."""

from __future__ import annotations

import io

import pytest

import lgforms
from lgforms.elements.indicia import IndiciaMark
from lgforms.elements.postcode_boxes import HiddenTextLine, OutlinedDigit, PostcodeFrame
from lgforms.layout.boxes import PT, TextLine
from lgforms.postal import rules
from lgforms.tenants.profile import demo_profile

from pdfcheck import pdftotext, pypdf_pages


def address_page(form_id, payload, **kw):
    doc = lgforms.layout(form_id, payload, **kw)
    return doc.pages[0]


def test_postcode_boxes_geometry(senkyo_payload, pk):
    page = address_page(pk.SENKYO, senkyo_payload)
    frame = next(it for it in page.items if isinstance(it, PostcodeFrame))
    boxes = frame.boxes()
    assert len(boxes) == 7 and all(b[2:] == (5.7, 8.0) for b in boxes)
    assert boxes[-1][0] + 5.7 - boxes[0][0] == pytest.approx(rules.POSTCODE_TOTAL_MM)
    gaps = [round(b[0] - (a[0] + 5.7), 2) for a, b in zip(boxes, boxes[1:])]
    assert gaps == [1.3, 1.3, 1.9, 1.1, 1.1, 1.1]
    assert 105 - (boxes[-1][0] + 5.7) == pytest.approx(8.0) and boxes[0][1] == 12.0  # official place
    x1, y1, x2, y2 = frame.hyphen()
    assert y1 == y2 == pytest.approx(12 + 4.0) and boxes[2][0] + 5.7 < x1 < x2 < boxes[3][0]
    # each digit sits inside its box without touching the frame
    digits = [it for it in page.items if type(it) is OutlinedDigit and it.path == "$.atena_postcode"]
    assert "".join(d.text for d in digits) == "9876520"
    for d, (x, y, w, h) in zip(digits, boxes):
        top, bottom = d.baseline - 0.75 * d.size * PT, d.baseline
        assert x + 0.5 < d.x and d.x + d.width < x + w - 0.5 and y + 0.5 < top and bottom < y + h - 0.5
    hidden = [it for it in page.items if isinstance(it, HiddenTextLine)]
    assert [h.text for h in hidden] == ["987-6520"]


def test_postcode_frame_is_cmyk_vermilion_and_copies_as_one_value(senkyo_payload, pk):
    pdf = lgforms.render(pk.SENKYO, senkyo_payload)
    from pypdf import PdfReader

    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode("latin-1")
    assert "0.00 1.00 1.00 0.00 K" in content  # 金赤, no K or C ink
    assert "3 Tr" in content and "0 Tr" in content  # the postcode in the text layer, invisible
    assert "987-6520" in pdftotext(pdf, "-raw") and "987-6520" in pypdf_pages(pdf)[0]


def _digits_of(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def test_postcode_copies_out_once_in_every_extractor(senkyo_payload, pk):
    """The box digits are outlines, not text: poppler, pypdf, pdfminer.six and PDFium each find
    the postcode once, whole — not 「9 8 7987-6520 6 5 2 0」."""
    import pypdfium2 as pdfium
    from pdfminer.high_level import extract_text

    pdf = lgforms.render(pk.SENKYO, senkyo_payload)
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = {"pdftotext": pdftotext(pdf, "-f", "1", "-l", "1"), "pypdf": pypdf_pages(pdf)[0],
                 "pdfminer": extract_text(io.BytesIO(pdf), page_numbers=[0]),
                 "pdfium": doc[0].get_textpage().get_text_range()}
    finally:
        doc.close()
    for name, text in texts.items():
        assert text.count("987-6520") == 1, name
        # no stray box digits: every 9 8 7 6 5 2 0 sequence on the page is the postcode's
        assert "9876520" not in _digits_of(text.replace("987-6520", "")), (name, text[:300])
    # the digits still print, black, inside each of the seven boxes
    from PIL import Image

    frame = next(it for it in address_page(pk.SENKYO, senkyo_payload).items if isinstance(it, PostcodeFrame))
    dpi = 200
    im = Image.open(io.BytesIO(_png(pdf, dpi))).convert("RGB")
    px = dpi / 25.4
    for x, y, w, h in frame.boxes():
        box = im.crop((round((x + 0.6) * px), round((y + 0.6) * px), round((x + w - 0.6) * px),
                       round((y + h - 0.6) * px)))
        rgb = box.tobytes()
        black = sum(1 for i in range(0, len(rgb), 3) if max(rgb[i:i + 3]) < 90)  # not the red frame
        assert black > 40, (x, black)  # the strokes of a 13 pt digit (an empty box has none)


def _png(pdf: bytes, dpi: int) -> bytes:
    from lgforms.render import pdf_page_png

    return pdf_page_png(pdf, 1, dpi=dpi)


def test_empty_boxes_for_handwriting(pk, edited_catalog, senkyo_payload):
    cat = edited_catalog(pk.SENKYO, [('at: [49.3, 12], value: "{{ atena_postcode }}"}', "at: [49.3, 12]}")])
    page = lgforms.layout(pk.SENKYO, senkyo_payload, catalog=cat).pages[0]
    assert [type(it).__name__ for it in page.items if "Postcode" in type(it).__name__] == ["PostcodeFrame"]
    assert not any(isinstance(it, HiddenTextLine) for it in page.items)


def test_a_bad_postcode_names_the_field(pk, senkyo_payload, edited_catalog):
    def loose(s):
        s["properties"]["atena_postcode"]["pattern"] = ".*"

    cat = edited_catalog(pk.SENKYO, [], schema_edit=loose)
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.layout(pk.SENKYO, dict(senkyo_payload, atena_postcode="98765"), catalog=cat)
    assert ei.value.path == "$.atena_postcode"


def test_indicia_mark_circle_rules_and_text(senkyo_payload, pk):
    page = address_page(pk.SENKYO, senkyo_payload)
    statics = [it for sp in page.statics for it in sp.items]
    mark = next(it for it in statics if isinstance(it, IndiciaMark))
    assert (mark.x, mark.y, mark.size, mark.shape) == (7, 7, 22, "circle")
    assert mark.office_omitted and mark.rules_y == [pytest.approx(7 + 22 * 0.4)]
    texts = [it.text for it in statics if isinstance(it, TextLine)]
    assert "料金別納" in texts and "郵便" in texts
    # the office name comes from the tenant profile when it has one
    t = demo_profile().model_copy(update={"postal": {**demo_profile().postal, "office": "みどり野局"}})
    page = address_page(pk.SENKYO, senkyo_payload, tenant=t)
    statics = [it for sp in page.statics for it in sp.items]
    assert "みどり野局" in [it.text for it in statics if isinstance(it, TextLine)]
    assert not next(it for it in statics if isinstance(it, IndiciaMark)).office_omitted


def test_indicia_variants(pk, edited_catalog, senkyo_payload):
    cat = edited_catalog(pk.SENKYO, [("shape: circle, type: betsunou,", "shape: square, type: kounou, lines: 2,")])
    page = lgforms.layout(pk.SENKYO, senkyo_payload, catalog=cat).pages[0]
    statics = [it for sp in page.statics for it in sp.items]
    mark = next(it for it in statics if isinstance(it, IndiciaMark))
    assert mark.shape == "square" and mark.kind == "料金後納"
    assert mark.rules_y[1] - mark.rules_y[0] == pytest.approx(1.5)
    assert "料金後納" in [it.text for it in statics if isinstance(it, TextLine)]
    cat = edited_catalog(pk.SENKYO, [("type: betsunou,", "type: sokutatsu,")])
    with pytest.raises(lgforms.ValueInvalid):
        lgforms.layout(pk.SENKYO, senkyo_payload, catalog=cat)
    cat = edited_catalog(pk.SENKYO, [("shape: circle, type: betsunou,", "shape: circle, type: betsunou, lines: 2, line_gap: 2.5,")])
    with pytest.raises(lgforms.LgformsError) as ei:
        cat.get(pk.SENKYO)
    assert ei.value.code == "POSTAL_CONSTRAINT" and "1.0–2.0 mm apart" in ei.value.message
