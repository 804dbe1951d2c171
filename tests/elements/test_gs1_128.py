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
from pdfcheck import pdf_chars, placements, pdftotext

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


# --- issue 17: what the mutation run of gs1_128.py found untested ------------------------------------
#
# References written out here, not taken from lgforms:
# - Code 128 (ISO/IEC 15417 §5.2 / GS1 General Specifications §5.4): every symbol character is 11
#   modules (3 bars, 3 spaces), Stop is 13 (4 bars); Start C = value 105, bar/space widths 2 1 1 2 3 2;
#   FNC1 = value 102, 4 1 1 1 3 1; Stop = 2 3 3 1 1 1 2. A 44-digit GS1-128 in code set C is
#   Start C + FNC1 + 22 digit pairs + check symbol + Stop = 11 × 25 + 13 = 288 modules.
# - GS1-128 quiet zones: at least 10 modules on each side (GS1 General Specifications §5.4.4.2).
# - The GS1 modulus-10 check digit (GS1 General Specifications §7.9.1): weights 3, 1, 3, 1, … from
#   the rightmost digit before the check digit leftwards; check digit = (10 − sum mod 10) mod 10.
#   For the コンビニ収納 data the sum runs over all 43 digits, AI 91 included (tests/codes).
START_C = [2, 1, 1, 2, 3, 2]
FNC1 = [4, 1, 1, 1, 3, 1]
STOP = [2, 3, 3, 1, 1, 1, 2]
PT_MM = 25.4 / 72  # 1 pt in mm


def gs1_mod10(digits: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def slip_catalog(root, schema=None, **el) -> lgforms.Catalog:
    """The slip with the barcode element's keys replaced by ``el`` (box, module, quiet, …)."""
    d = root / "t" / "cvs_slip"
    (d / "samples").mkdir(parents=True, exist_ok=True)
    fields = [{"kind": "gs1_128", "id": "cvs", "box": [5, 20, 76, 18], "value": "{{ cvs }}", "amount": "{{ amount }}",
               "due": "{{ due }}", **el}]
    (d / "form.yaml").write_text(yaml.safe_dump(
        {"id": "cvs_slip", "title": "cvs slip", "area": "test",
         "paper": {"size": "A6", "width": 105, "height": 148, "orientation": "landscape"},
         "pages": [{"id": "p", "fields": fields}]}, allow_unicode=True), "utf-8")
    loose = {"type": "object", "required": ["cvs"],
             "properties": {"cvs": {"type": "string"}, "amount": {"type": "integer"}, "due": {"type": "string"}}}
    (d / "schema.json").write_text(json.dumps(schema or loose), "utf-8")
    return lgforms.Catalog(root)


def bar_space_modules(pdf: bytes, top: float, bottom: float) -> list[int]:
    """The symbol's bar and space widths in modules, measured on the rectangles the PDF fills."""
    bars = sorted((r for r in placements(pdf)["rects"] if top - 0.1 <= r[1] <= bottom), key=lambda r: r[0])
    out = []
    for a, b in zip(bars, bars[1:] + [None]):
        out.append(a[2] / MODULE)
        if b is not None:
            out.append((b[0] - a[0] - a[2]) / MODULE)
    assert all(abs(w - round(w)) < 0.02 for w in out), out
    return [round(w) for w in out]


def test_code_128_start_c_fnc1_and_stop_are_the_standard_s_patterns(tmp_path, monkeypatch):
    """The pattern table is read once per process: empty that cache, so that the table this render
    uses is built here (a mutmut run forks from a process where it is already built)."""
    from lgforms.elements import gs1_128

    monkeypatch.setattr(gs1_128, "_WIDTHS", None)
    pdf = lgforms.render("cvs_slip", {"cvs": CVS}, catalog=slip_catalog(tmp_path))
    m = bar_space_modules(pdf, 20, 30)
    assert len(m) == 25 * 6 + 7 and sum(m) == 288
    assert m[:6] == START_C and m[6:12] == FNC1 and m[-7:] == STOP
    assert all(sum(m[i:i + 6]) == 11 for i in range(0, 150, 6))  # each symbol character: 11 modules
    (code,) = by_format(decode_page(pdf, 1, dpi=300), "Code128")
    assert code.bytes.decode("ascii") == CVS and code.symbology_identifier == "]C1"


def test_the_fast_encoder_gives_reportlab_s_own_code_128():
    """``modules`` encodes 44 digits itself (code set C); ReportLab's Code128 with FNC1, which
    chooses its code sets itself, gives the very same bars and spaces."""
    from lgforms.elements.gs1_128 import modules, reportlab_modules

    ref = reportlab_modules(CVS)
    assert ref[:12] == START_C + FNC1 and ref[-7:] == STOP and sum(ref) == 288
    assert modules(CVS) == ref


def test_the_symbol_is_centred_with_equal_quiet_zones_of_at_least_10_modules(tmp_path):
    pdf = lgforms.render("cvs_slip", {"cvs": CVS}, catalog=slip_catalog(tmp_path))
    bars = [r for r in placements(pdf)["rects"] if 19.9 <= r[1] <= 30]
    left, right = min(r[0] for r in bars), max(r[0] + r[2] for r in bars)
    assert left - 5 == pytest.approx(5 + 76 - right, abs=0.01) and left - 5 >= 10 * MODULE
    for r in bars:  # from the top of the box, bar_height 10 mm (PDF numbers: 0.01 pt)
        assert r[1] == pytest.approx(20, abs=0.005) and r[3] == pytest.approx(10, abs=0.005)


def test_a_box_narrower_than_the_symbol_and_its_quiet_zones_is_refused_at_load(tmp_path):
    """2 × 2.5 mm quiet zones + 288 modules × 0.191 mm = 60.008 mm: that box fits, 59.5 mm does not."""
    lgforms.render("cvs_slip", {"cvs": CVS}, catalog=slip_catalog(tmp_path / "a", box=[5, 20, 60.008, 18]))
    with pytest.raises(lgforms.LgformsError) as ei:
        slip_catalog(tmp_path / "b", box=[5, 20, 59.5, 18]).get("cvs_slip")
    assert ei.value.code == "FORM_SPEC_INVALID"
    assert ei.value.message == ("cvs_slip: cvs_slip/form.yaml:5: page 'p' fields[0] (cvs): a 44-digit GS1-128 "
                                "needs 60.0 mm with quiet zones; box is 59.5 mm")


def test_a_box_too_low_for_the_bars_and_the_digits_is_refused_at_load(tmp_path):
    """10 mm of bars + a 7 pt line of digits (7 × 25.4/72 mm × 1.2) = 12.9635 mm high."""
    need = 10 + 7 * 0.3528 * 1.2
    pdf = lgforms.render("cvs_slip", {"cvs": CVS}, catalog=slip_catalog(tmp_path / "a", box=[5, 20, 76, need]))
    with pytest.raises(lgforms.LgformsError) as ei:
        slip_catalog(tmp_path / "b", box=[5, 20, 76, 12.9]).get("cvs_slip")
    assert ei.value.code == "FORM_SPEC_INVALID"
    assert ei.value.message == ("cvs_slip: cvs_slip/form.yaml:5: page 'p' fields[0] (cvs): box too low for the bars "
                                "and the digits")
    # at that height the digits are under the bars, inside the box, at 7 pt
    chars = [c for c in pdf_chars(pdf)[0]]
    assert "".join(c[0] for c in chars) == "(91)" + CVS[2:]
    for _, left, top, right, bottom in chars:
        assert 20 + 10 <= top and bottom <= 20 + need and 5 <= left and right <= 81
    assert chars[0][4] - chars[0][2] == pytest.approx(7 * PT_MM, abs=0.01)
    # without the digits, the bars alone need 10 mm
    lgforms.render("cvs_slip", {"cvs": CVS}, catalog=slip_catalog(tmp_path / "c", box=[5, 20, 76, 10], hri=False))
    with pytest.raises(lgforms.LgformsError):
        slip_catalog(tmp_path / "d", box=[5, 20, 76, 9.9], hri=False).get("cvs_slip")


def test_the_digits_shrink_to_fit_a_narrow_box_down_to_5_pt(tmp_path):
    """At 0.17 mm a module (quiet zones 10 modules) the symbol needs 52.36 mm; the 46 characters of
    「(91)9191…」 are about 69 mm at 7 pt, so they shrink, to about 5.4 pt in a 53 mm box. In a
    46.5 mm box they would need less than 5 pt: refused, not printed too small to read."""
    pdf = lgforms.render("cvs_slip", {"cvs": CVS},
                         catalog=slip_catalog(tmp_path / "a", box=[5, 20, 53, 18], module=0.17, quiet=1.7))
    chars = pdf_chars(pdf)[0]
    assert "".join(c[0] for c in chars) == "(91)" + CVS[2:]
    size = (chars[0][4] - chars[0][2]) / PT_MM
    assert 5 <= size < 6
    assert 5 <= min(c[1] for c in chars) and max(c[3] for c in chars) <= 5 + 53
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("cvs_slip", {"cvs": CVS},
                       catalog=slip_catalog(tmp_path / "b", box=[5, 20, 46.5, 18], module=0.15, quiet=1.5))
    assert ei.value.code == "TEXT_OVERFLOW" and ei.value.path == "$.cvs" and "at 5.0 pt" in ei.value.message


def test_the_bars_and_the_digits_belong_to_the_barcode_field(tmp_path):
    """What the designer and the own-box check read: each drawn item names the payload value it shows."""
    from lgforms.layout.boxes import ModuleBars, TextLine

    page = lgforms.layout("cvs_slip", {"cvs": CVS}, catalog=slip_catalog(tmp_path)).pages[0]
    assert [(type(it).__name__, it.path) for it in page.items if isinstance(it, (ModuleBars, TextLine))] == [
        ("ModuleBars", "$.cvs"), ("TextLine", "$.cvs")]


def test_a_wrong_check_digit_names_the_digit_and_the_expected_value(cat):
    assert gs1_mod10(CVS[:43]) == "7"  # the reference, worked out above
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("cvs_slip", {"cvs": CVS[:43] + "3", "amount": AMOUNT}, catalog=cat)
    assert ei.value.message == ("cvs_slip: page 'p' fields[1] (cvs): コンビニ収納 barcode data: check digit "
                                "(digit 44 of 44) is 3, expected 7")
    assert ei.value.detail == {"position": 44, "expected": 7}


def test_a_six_digit_amount_is_compared_whole(tmp_path):
    """支払金額 is digits 38–43: 123456 yen, not 23456 or 1234567."""
    data = CVS[:37] + "123456"
    data += gs1_mod10(data)
    cat = slip_catalog(tmp_path)
    pdf = lgforms.render("cvs_slip", {"cvs": data, "amount": 123456}, catalog=cat)
    (code,) = by_format(decode_page(pdf, 1, dpi=300), "Code128")
    assert code.bytes.decode("ascii") == data
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("cvs_slip", {"cvs": data, "amount": 123000}, catalog=cat)
    assert ei.value.message == ("cvs_slip: page 'p' fields[0] (cvs): the barcode carries the amount 123456 but "
                                "the slip shows 123000")


def test_a_wrong_due_date_message_shows_both_dates(cat):
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("cvs_slip", {"cvs": CVS, "amount": AMOUNT, "due": "2026-07-31"}, catalog=cat)
    assert ei.value.message == ("cvs_slip: page 'p' fields[1] (cvs): the barcode carries the due date 260630 "
                                "(YYMMDD) but the slip shows 260731")


def test_a_slip_without_amount_or_due_to_compare_prints_the_barcode(tmp_path):
    """The cross-checks are optional: an absent amount or due date (an empty template) is not compared."""
    cat = slip_catalog(tmp_path)
    for payload in ({"cvs": CVS}, {"cvs": CVS, "amount": AMOUNT}, {"cvs": CVS, "due": "2026-06-30"}):
        (code,) = by_format(decode_page(lgforms.render("cvs_slip", payload, catalog=cat), 1, dpi=300), "Code128")
        assert code.bytes.decode("ascii") == CVS
