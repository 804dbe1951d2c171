"""Every sample of every form: the PDF carries every payload value in its own box.

Independent readers: poppler's pdftotext (-bbox-layout for positions) and pypdf for the text,
pdfminer for the laid-out lines. Where a value must be printed comes from the form's YAML
(tests/yamlboxes.py: the boxes of form.yaml and its blocks, not lgforms' layout), and what it
prints as from the sample itself: the value, or its literal ``_printed`` annotation — never from
lgforms' own filters (docs/testing.md, "End-to-end form test").
"""

from __future__ import annotations

import re

import pytest

import lgforms

import yamlboxes as yb
from pdfcheck import all_sample_deliveries, delivery_fits, load_sample, pdf_chars, pdftotext, pypdf_pages, text_in_box

_ALL = all_sample_deliveries()  # every sample in the form's own layout and in each variant's
_CATALOG = lgforms.Catalog()


SAMPLES = [s for s in _ALL if delivery_fits(_CATALOG, *s)]


def _independent_forms():
    """tools/printed_annotations.py's own printed forms of a value (era table, commas, ¥, 〒 written
    out there, not lgforms' filters): a variant may print a value in another of these forms than the
    annotation (the A4's) says — 987-6543 in a postcard's 郵便番号枠, 190,000 in a 納期 table."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "printed_annotations", Path(__file__).resolve().parents[2] / "tools" / "printed_annotations.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.candidates


_variant_forms = _independent_forms()
REFUSED = [s for s in _ALL if not delivery_fits(_CATALOG, *s)]  # refused by a rule (test below)


@pytest.fixture(scope="module", params=SAMPLES, ids=[f"{f}/{p.stem}" + (f"@{d}" if d else "") for f, p, d in SAMPLES])
def rendered(request):
    form_id, path, delivery = request.param
    payload = load_sample(path)
    doc = lgforms.layout(form_id, payload, delivery=delivery)
    pdf = lgforms.render(form_id, payload, delivery=delivery)  # mail: checked against the postal rules
    if delivery:
        doc.pages[:] = in_panel_order(form_id, delivery, doc.pages)
    return form_id, payload, doc, pdf, delivery, path


def in_panel_order(form_id: str, delivery: str, pages: list) -> list:
    """A panel delivery writes one page per panel in the order of its panels (address, back,
    inner …), not in the order of the page templates."""
    from lgforms.postal.profiles import PANELS

    order = PANELS.get(delivery)
    if order is None:
        return pages
    panel_of = {cp.spec.id: cp.spec.panel for cp in lgforms.Catalog().get(form_id).for_delivery(delivery).pages}
    return sorted(pages, key=lambda p: order.index(panel_of[p.template]))


@pytest.mark.parametrize("form_id,path,delivery", [s for s in SAMPLES if s[2] and s[2] != "window-envelope"],
                         ids=[f"{f}/{p.stem}@{d}" for f, p, d in SAMPLES if d and d != "window-envelope"])
def test_every_panel_variant_imposes_on_sheets(form_id, path, delivery):
    """A 圧着はがき / postcard variant passes the postal checks imposed on its printer profile's sheets."""
    res = lgforms.render_result(form_id, load_sample(path), delivery=delivery, imposition="sheets")
    assert res.data.startswith(b"%PDF") and res.pages == 2  # the front and the back of one sheet


@pytest.mark.parametrize("form_id,path,delivery", REFUSED, ids=[f"{f}/{p.stem}@{d}" for f, p, d in REFUSED])
def test_a_sample_that_does_not_fit_a_delivery_is_refused_by_a_rule(form_id, path, delivery):
    """A sample marked for other deliveries only is a clear RULE_VIOLATED here, never a clipped or
    silently shortened mailpiece."""
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(form_id, load_sample(path), delivery=delivery)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path, (ei.value.code, ei.value.message)


def _left_out(form_id: str, delivery: str | None) -> set[str]:
    """Paths a variant declares it leaves out on purpose (``not_printed``, "[*]" for list items)."""
    return set(_CATALOG.get(form_id).for_delivery(delivery).not_printed) if delivery else set()


def _generic(path: str) -> str:
    return re.sub(r"\[\d+\]", "[*]", path)


def test_every_value_is_in_its_own_box(rendered):
    """Each payload value is printed inside the box of an element of form.yaml that reads it, on
    that element's page (a repeat's record in its own slot): one person's 性別 missing from their
    slot fails even though 男 is printed in another person's. The boxes are those of the layout of
    the sample's delivery (a variant's own pages, panel by panel), read from form.yaml; what a
    variant leaves out (``not_printed``) is not looked for, and a variant's shorter formats of a
    value count as the value."""
    form_id, payload, doc, pdf, delivery, path = rendered
    misses, stats = yb.check(path.parent.parent, payload, pdf, delivery=delivery, also=lambda value: [
        yb.json_scalar(value) if not isinstance(value, str) else value, *_variant_forms(value)])
    assert not misses, f"{form_id} ({path.name}): " + "\n".join(str(m) for m in misses) + (
        "\n(a value printed in another form than it is given: annotate it in the sample's _printed; "
        "tools/printed_annotations.py proposes annotations)")
    assert stats["box"] + stats["region"] + stats["any_page"] > 0


def test_every_payload_value_is_in_the_text(rendered):
    """The same literal expectations, read by two readers over the whole text (poppler writes
    U+3000 as a space; a value wrapped over lines is joined)."""
    form_id, payload, doc, pdf, delivery, path = rendered
    left_out = _left_out(form_id, delivery)
    poppler = yb.norm(pdftotext(pdf, "-raw"))
    pypdf_text = yb.norm("".join(pypdf_pages(pdf)))
    qr_data: set[str] | None = None
    missing = []
    for jpath, value in yb.leaves(payload):
        if _generic(jpath) in left_out:
            continue
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
        if delivery:
            exp = [*exp, yb.json_scalar(value) if not isinstance(value, str) else value, *_variant_forms(value)]
        if not any(yb.norm(c) in poppler for c in exp):
            missing.append(("pdftotext", jpath, exp))
        if not any(yb.norm(c) in pypdf_text for c in exp):
            missing.append(("pypdf", jpath, exp))
    assert not missing, missing


def test_every_value_line_is_inside_its_box(rendered):
    """Each laid-out line of a payload value is found in the PDF inside its element's box (±0.5 mm)."""
    form_id, payload, doc, pdf, delivery, _ = rendered
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
    left_out = _left_out(form_id, delivery)
    values = sum(1 for p, _ in yb.leaves(payload) if _generic(p) not in left_out)
    assert checked >= values * 0.8, (checked, values)  # nearly every value is a checked line


def test_pdf_is_type0_identity_h_with_embedded_subset(rendered):
    form_id, payload, doc, pdf, _, _ = rendered
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

    form_id, payload, doc, pdf, _, _ = rendered
    assert check_cid_glyphs(pdf) > 50
