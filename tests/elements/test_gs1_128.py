"""``gs1_128`` (コンビニ収納): what a register's scanner reads, checked against references that are
not lgforms: the page rasterized by poppler and decoded by zxing-cpp; the symbol's width in modules
measured on the PDF's content stream; check digits worked by hand; the amount printed on the slip.

The form's schema here declares the barcode a plain string (no ``format: cvs-barcode``), so that the
element's own checks are what is tested — a form that forgets the format still refuses a bad code."""

from __future__ import annotations

import json

import pytest
import yaml

import lgforms

from barcodecheck import by_format, decode_page
from pdfcheck import placements, pdftotext

# 標準料金代理収納 data of the reference catalog's sample (see tests/codes/test_checkdigits.py for the
# check digit 7 worked by hand): 支払期限日 26-06-30 at digits 31–36, 支払金額 064100 at 38–43.
CVS = "91912345010800001234560100000026063000641007"
AMOUNT = 64100
MODULE = 0.191  # mm, the element's default
SLIP = [
    {"kind": "text", "id": "kingaku", "box": [5, 5, 60, 8], "value": "{{ amount | comma }}円"},
    {"kind": "gs1_128", "id": "cvs", "box": [5, 20, 76, 18], "value": "{{ cvs }}", "amount": "{{ amount }}",
     "due": "{{ due }}"},
]
SCHEMA = {"type": "object", "required": ["cvs", "amount"],
          "properties": {"cvs": {"type": "string"}, "amount": {"type": "integer"}, "due": {"type": "string"}}}


def catalog(root, schema=SCHEMA) -> lgforms.Catalog:
    d = root / "t" / "cvs_slip"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    (d / "form.yaml").write_text(yaml.safe_dump(
        {"id": "cvs_slip", "title": "cvs slip", "area": "test",
         "paper": {"size": "A6", "width": 105, "height": 148, "orientation": "landscape"},
         "pages": [{"id": "p", "fields": SLIP}]}, allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps(schema), "utf-8")
    return lgforms.Catalog(root)


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    return catalog(tmp_path_factory.mktemp("gs1"))


@pytest.fixture(scope="module")
def slip(cat):
    return lgforms.render("cvs_slip", {"cvs": CVS, "amount": AMOUNT, "due": "2026-06-30"}, catalog=cat)


def test_a_scanner_reads_the_44_digits_as_gs1_128(slip):
    (code,) = by_format(decode_page(slip, 1, dpi=300), "Code128")
    assert code.bytes.decode("ascii") == CVS
    assert code.symbology_identifier == "]C1"  # FNC1 first: GS1-128, not plain Code 128
    assert code.text == "(91)912345010800001234560100000026063000641007"


def test_the_amount_a_scanner_reads_is_the_amount_printed_on_the_slip(slip):
    (code,) = by_format(decode_page(slip, 1, dpi=300), "Code128")
    read = code.bytes.decode("ascii")
    assert int(read[37:43]) == 64100
    assert "64,100円" in pdftotext(slip)


def test_the_symbol_is_288_modules_wide(slip):
    """Start C (11) + FNC1 (11) + 22 digit pairs (242) + check symbol (11) + Stop (13) = 288 modules:
    without FNC1 it would be 277."""
    bars = [r for r in placements(slip)["rects"] if 19.9 <= r[1] <= 38]  # the element's box: y 20–38 mm
    assert len(bars) == 25 * 3 + 4  # 3 bars in each of the 25 symbols, 4 in Stop
    left = min(r[0] for r in bars)
    right = max(r[0] + r[2] for r in bars)
    assert (right - left) / MODULE == pytest.approx(288, abs=0.2)
    for r in bars:  # every bar is 1–4 modules
        assert round(r[2] / MODULE) in (1, 2, 3, 4) and r[2] / MODULE == pytest.approx(round(r[2] / MODULE), abs=0.02)


@pytest.mark.parametrize("last", [d for d in "012345689"])  # 7 is the right check digit
def test_a_wrong_check_digit_is_refused(cat, last):
    bad = CVS[:43] + last
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("cvs_slip", {"cvs": bad, "amount": AMOUNT}, catalog=cat)
    assert ei.value.code == "VALUE_INVALID" and ei.value.path == "$.cvs"
    assert "check digit" in ei.value.message


def test_a_wrong_check_digit_is_refused_by_the_schema_format_too(tmp_path):
    schema = {**SCHEMA, "properties": {**SCHEMA["properties"], "cvs": {"type": "string", "format": "cvs-barcode"}}}
    c = catalog(tmp_path, schema)
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("cvs_slip", {"cvs": CVS[:43] + "8", "amount": AMOUNT}, catalog=c)
    assert ei.value.code in ("PAYLOAD_INVALID", "VALUE_INVALID") and ei.value.path == "$.cvs"


@pytest.mark.parametrize("amount", [64000, 64101, 6410, 0])
def test_an_amount_other_than_the_barcode_s_is_refused(cat, amount):
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("cvs_slip", {"cvs": CVS, "amount": amount}, catalog=cat)
    assert ei.value.path == "$.cvs" and "64100" in ei.value.message and str(amount) in ei.value.message


def test_a_due_date_other_than_the_barcode_s_is_refused(cat):
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("cvs_slip", {"cvs": CVS, "amount": AMOUNT, "due": "2026-07-31"}, catalog=cat)
    assert ei.value.path == "$.cvs" and "260630" in ei.value.message
