"""Every sample of every form: the PDF carries every payload value, where the form says.

Independent readers: poppler's pdftotext and pypdf for the text, pdfminer for positions.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import lgforms
from lgforms.codes import comma, wareki, yen
from lgforms.elements.gs1_128 import cvs_hri

from pdfcheck import all_sample_deliveries, load_sample, pdf_chars, pdftotext, pypdf_pages, text_in_box

_ALL = all_sample_deliveries()  # every sample in the form's own layout and in each variant's
_CATALOG = lgforms.Catalog()


def _fits(form_id: str, path, delivery: str | None) -> bool:
    """A sample may name the deliveries it is for (``"_deliveries": [...]``: 43 vehicles do not fit
    a postcard); in the others it must be refused by a rule (test below)."""
    only = load_sample(path).get("_deliveries")
    return only is None or _CATALOG.get(form_id).for_delivery(delivery).delivery in only


SAMPLES = [s for s in _ALL if _fits(*s)]
REFUSED = [s for s in _ALL if not _fits(*s)]
NOT_TEXT = {"form_id", "png_base64", "width_mm", "height_mm"}  # images and their sizes are checked elsewhere
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^(明治|大正|昭和|平成|令和)")


def leaves(obj, path="$"):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.startswith("_") or k in NOT_TEXT:
                continue
            yield from leaves(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from leaves(v, f"{path}[{i}]")
    elif obj is not None and obj != "":
        yield path, obj


def renderings(value) -> list[str]:
    """How a payload value may legitimately appear on paper."""
    out = [str(value)]
    if isinstance(value, bool):
        return out
    if isinstance(value, int):
        out += [comma(value), yen(value)]
    if isinstance(value, str) and _DATE.match(value):
        try:
            dt.date.fromisoformat(value) if "-" in value else None
            out.append(wareki(value))
        except (ValueError, lgforms.ValueInvalid):
            pass
    if isinstance(value, str) and re.fullmatch(r"\d{3}-?\d{4}", value):
        d = value.replace("-", "")
        out += [f"{d[:3]}-{d[3:]}", f"〒{d[:3]}-{d[3:]}"]  # 郵便番号枠 on a postcard: the digits with a hyphen
    if isinstance(value, str) and re.fullmatch(r"91\d{42}", value):
        out.append(cvs_hri(value))
    return out


@pytest.fixture(scope="module", params=SAMPLES, ids=[f"{f}/{p.stem}" + (f"@{d}" if d else "") for f, p, d in SAMPLES])
def rendered(request):
    form_id, path, delivery = request.param
    payload = load_sample(path)
    doc = lgforms.layout(form_id, payload, delivery=delivery)
    pdf = lgforms.render(form_id, payload, delivery=delivery)  # mail: checked against the postal rules
    if delivery:
        doc.pages[:] = in_panel_order(form_id, delivery, doc.pages)
    return form_id, payload, doc, pdf, delivery


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


def printed_as(payload: dict) -> dict:
    """The sample's own annotation of values that do not print verbatim: ``_printed`` maps a JSON
    path to the printed text (or a list of alternatives), or to {"qr": true} for data encoded in
    a QR Code (decoded from the page by zxing-cpp)."""
    return payload.get("_printed", {})


def test_every_payload_value_is_in_the_text(rendered):
    form_id, payload, doc, pdf, delivery = rendered
    poppler = pdftotext(pdf, "-raw").replace("\n", "")
    pypdf_text = "".join(pypdf_pages(pdf)).replace("\n", "")
    notes = printed_as(payload)
    qr_data: set[str] | None = None
    missing = []
    # a value the layout wrapped over several lines: readers join the lines with a space or none
    lines_per_path: dict[str, int] = {}
    for pg in doc.pages:
        for it in pg.items:
            if getattr(it, "path", None) and hasattr(it, "clusters"):
                lines_per_path[it.path] = lines_per_path.get(it.path, 0) + 1
    wrapped = {p for p, n in lines_per_path.items() if n > 1}
    poppler_flat = poppler.replace(" ", "")
    pypdf_flat = pypdf_text.replace(" ", "")
    left_out = _left_out(form_id, delivery)
    for path, value in leaves(payload):
        if _generic(path) in left_out:
            continue
        note = notes.get(path)
        if isinstance(note, dict) and note.get("qr"):
            if qr_data is None:
                from barcodecheck import by_format, decode_page

                qr_data = {b.text for n in range(1, len(doc.pages) + 1) for b in by_format(decode_page(pdf, n, 200), "QRCode")}
            if value not in qr_data:
                missing.append(("zxing", path, value))
            continue
        cands = renderings(value) if note is None else ([note] if isinstance(note, str) else list(note))
        # poppler treats spaces (U+3000 included) as word gaps and always writes them as ' '
        if not any(c.replace("\u3000", " ") in poppler for c in cands) and not (
                path in wrapped and any(c.replace("\u3000", "").replace(" ", "") in poppler_flat for c in cands)):
            missing.append(("pdftotext", path, cands[-1]))
        if not any(c in pypdf_text for c in cands) and not (
                path in wrapped and any(c.replace(" ", "") in pypdf_flat for c in cands)):
            missing.append(("pypdf", path, cands[-1]))
    assert not missing, missing


def test_every_value_line_is_inside_its_box(rendered):
    """Each laid-out line of a payload value is found in the PDF inside its element's box (±0.5 mm)."""
    form_id, payload, doc, pdf, delivery = rendered
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
    values = sum(1 for p, _ in leaves(payload) if _generic(p) not in left_out)
    assert checked >= values * 0.8, (checked, values)  # nearly every value is a checked line


def test_pdf_is_type0_identity_h_with_embedded_subset(rendered):
    form_id, payload, doc, pdf, delivery = rendered
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

    form_id, payload, doc, pdf, delivery = rendered
    assert check_cid_glyphs(pdf) > 50
