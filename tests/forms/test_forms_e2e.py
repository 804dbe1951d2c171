"""Every sample of every form: the PDF carries every payload value in its own box.

Independent readers: poppler's pdftotext (-bbox-layout for positions) and pypdf for the text,
pdfminer for the laid-out lines. Where a value must be printed comes from the form's YAML
(tests/yamlboxes.py: the boxes of form.yaml and its blocks, not lgforms' layout), and what it
prints as from the sample itself: the value, or its literal ``_printed`` annotation — never from
lgforms' own filters (docs/testing.md, "End-to-end form test").
"""

from __future__ import annotations

import pytest

import lgforms

import yamlboxes as yb
from pdfcheck import all_samples, load_sample, pdf_chars, pdftotext, pypdf_pages, text_in_box

SAMPLES = all_samples()


@pytest.fixture(scope="module", params=SAMPLES, ids=[f"{f}/{p.stem}" for f, p in SAMPLES])
def rendered(request):
    form_id, path = request.param
    payload = load_sample(path)
    doc = lgforms.layout(form_id, payload)
    pdf = lgforms.render(form_id, payload)
    return form_id, payload, doc, pdf, path


def test_every_value_is_in_its_own_box(rendered):
    """Each payload value is printed inside the box of an element of form.yaml that reads it, on
    that element's page (a repeat's record in its own slot): one person's 性別 missing from their
    slot fails even though 男 is printed in another person's."""
    form_id, payload, doc, pdf, path = rendered
    misses, stats = yb.check(path.parent.parent, payload, pdf)
    assert not misses, f"{form_id} ({path.name}): " + "\n".join(str(m) for m in misses) + (
        "\n(a value printed in another form than it is given: annotate it in the sample's _printed; "
        "tools/printed_annotations.py proposes annotations)")
    assert stats["box"] + stats["region"] + stats["any_page"] > 0


def test_every_payload_value_is_in_the_text(rendered):
    """The same literal expectations, read by two readers over the whole text (poppler writes
    U+3000 as a space; a value wrapped over lines is joined)."""
    form_id, payload, doc, pdf, path = rendered
    poppler = yb.norm(pdftotext(pdf, "-raw"))
    pypdf_text = yb.norm("".join(pypdf_pages(pdf)))
    qr_data: set[str] | None = None
    missing = []
    for jpath, value in yb.leaves(payload):
        exp = yb.expected(payload, jpath, value)
        if exp is None:  # {"qr": true}: decoded from the page by zxing-cpp
            if qr_data is None:
                from barcodecheck import by_format, decode_page

                qr_data = {b.text for n in range(1, len(doc.pages) + 1) for b in by_format(decode_page(pdf, n, 200), "QRCode")}
            if value not in qr_data:
                missing.append(("zxing", jpath, value))
            continue
        if exp is yb.ANYWHERE:
            exp = [payload["_printed"][jpath]["anywhere"]]
        if not any(yb.norm(c) in poppler for c in exp):
            missing.append(("pdftotext", jpath, exp))
        if not any(yb.norm(c) in pypdf_text for c in exp):
            missing.append(("pypdf", jpath, exp))
    assert not missing, missing


def test_every_value_line_is_inside_its_box(rendered):
    """Each laid-out line of a payload value is found in the PDF inside its element's box (±0.5 mm)."""
    form_id, payload, doc, pdf, _ = rendered
    pages = pdf_chars(pdf)
    assert len(pages) == len(doc.pages)
    checked = 0
    for page, laid in zip(pages, doc.pages):
        for item in laid.items:
            if getattr(item, "path", None) and hasattr(item, "clusters") and item.in_text_layer:
                assert item.box is not None
                found = text_in_box(page, item.box, tol=0.5)
                assert item.text in found, (item.path, item.text, item.box, found)
                checked += 1
    values = sum(1 for _ in yb.leaves(payload))
    assert checked >= values * 0.8, (checked, values)  # nearly every value is a checked line


def test_pdf_is_type0_identity_h_with_embedded_subset(rendered):
    form_id, payload, doc, pdf, _ = rendered
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    fonts = {}
    for page in reader.pages:
        res = page["/Resources"]
        for name, ref in res.get("/Font", {}).items():
            fonts[name] = ref.get_object()
    assert fonts
    for f in fonts.values():
        assert f["/Subtype"] == "/Type0" and f["/Encoding"] == "/Identity-H"
        desc = f["/DescendantFonts"][0].get_object()
        assert desc["/Subtype"] == "/CIDFontType2"
        assert "/FontFile2" in desc["/FontDescriptor"].get_object()
        assert "+" in str(f["/BaseFont"])  # subset tag
        assert "/ToUnicode" in f


def test_every_cid_draws_the_glyph_its_text_selects(rendered):
    from pdfcheck import check_cid_glyphs

    form_id, payload, doc, pdf, _ = rendered
    assert check_cid_glyphs(pdf) > 50
