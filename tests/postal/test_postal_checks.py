"""Japan Post rules: each violation is a POSTAL_CONSTRAINT that names what is wrong and by how much."""

from __future__ import annotations

import json

import pytest

import lgforms
from lgforms import Catalog
from lgforms.errors import PostalConstraint
from lgforms.postal.profiles import Paper, load_profile
from lgforms.tenants.profile import demo_profile

POSTCARD_FORM = """
id: test_postcard
title: テストはがき
area: テスト
kind: notice
delivery: postcard
paper: {size: postcard}
schema: schema.json
tenant_slots: [name, postal.postcode, postal.address, "postal.office?"]
postal:
  address_block: [atena_postcode, atena_address, atena_name, atena_barcode]
  sender_block: [sender]
  public_fields: [PUBLIC]
pages:
  - id: omote
    panel: address
    static:
      - {kind: text, id: mark, box: [25, 4, 50, 6], text: 郵便はがき, size: 12, align: center}
      - {kind: indicia, id: indicia, box: [7, 7, INDICIA, INDICIA], office: "{{ tenant.postal.office }}"}
    fields:
      - {kind: postcode_boxes, id: atena_postcode, at: [POSTCODE_X, 12], value: "{{ postcode }}"}
      - {kind: text, id: atena_address, box: [12, 32, 76, 12], value: "{{ address }}", fit: wrap, min_size: 7}
      - {kind: text, id: atena_name, box: [12, 45, 76, 10], value: "{{ name }}　様", size: 14, fit: shrink, min_size: 8}
      - {kind: customer_barcode, id: atena_barcode, box: [BARCODE_X, 57, 76, 7.5], postcode: "{{ postcode }}", address: "{{ address }}", point: 9}
      - {kind: text, id: sender, box: [10, 130, 80, 6], value: "{{ tenant.name }}　〒{{ tenant.postal.postcode }} {{ tenant.postal.address }}", size: 7, fit: shrink, min_size: 5}
  - id: ura
    panel: back
    fields:
      - {kind: text, box: [10, 20, 80, 10], value: "{{ message }}", size: 10, fit: shrink, min_size: 6}
"""

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
    "required": ["postcode", "address", "name", "message"],
    "properties": {"postcode": {"type": "string"}, "address": {"type": "string"}, "name": {"type": "string"},
                   "message": {"type": "string"}},
}
PAYLOAD = {"postcode": "987-6543", "address": "東雲県みどり野市青葉町3丁目12番5号", "name": "髙橋　健一",
           "message": "年末年始の窓口のお知らせ"}


@pytest.fixture
def postcard(tmp_path):
    """postcard(**subs, edits=[(old, new)]) -> a Catalog with the test postcard form."""
    n = [0]

    def make(edits=(), **subs) -> Catalog:
        n[0] += 1
        root = tmp_path / f"c{n[0]}" / "forms"
        d = root / "t" / "test_postcard"
        d.mkdir(parents=True)
        y = POSTCARD_FORM
        vals = {"PUBLIC": "message", "INDICIA": "22", "POSTCODE_X": "44.3", "BARCODE_X": "12"}
        vals.update({k.upper(): v for k, v in subs.items()})
        for k, v in vals.items():
            y = y.replace(k, v)
        for old, new in edits:
            assert y.count(old) == 1, old
            y = y.replace(old, new)
        (d / "form.yaml").write_text(y, "utf-8")
        (d / "schema.json").write_text(json.dumps(SCHEMA), "utf-8")
        return Catalog(root)

    return make


def err(fn) -> PostalConstraint:
    with pytest.raises(PostalConstraint) as ei:
        fn()
    assert ei.value.code == "POSTAL_CONSTRAINT"
    return ei.value


def test_a_good_postcard_renders_as_panels_and_as_a_sheet(postcard):
    cat = postcard()
    res = lgforms.render_result("test_postcard", PAYLOAD, catalog=cat)
    assert res.pages == 2
    res = lgforms.render_result("test_postcard", PAYLOAD, catalog=cat, imposition="sheets")
    assert res.pages == 2  # front and back of one card
    png = lgforms.render("test_postcard", PAYLOAD, catalog=cat, imposition="sheets", format="png", page=2)
    assert png[:4] == b"\x89PNG"


def test_personal_data_on_the_message_side_is_refused(postcard):
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=postcard(public="nothing")))
    assert e.path == "$.message" and "shows on the outside (bottom face)" in e.message
    assert "only the 宛名 may be seen from outside" in e.message


def test_postcode_boxes_must_sit_12_mm_from_the_top_and_8_mm_from_the_right(postcard):
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=postcard(postcode_x="40")))
    assert "right 12.3 mm (must be 8.0 ± 1.5: off by 2.8 mm)" in e.message
    lgforms.render("test_postcard", PAYLOAD, catalog=postcard(postcode_x="45.5"))  # 6.8 mm: within ±1.5


def test_postcode_boxes_specification_is_checked_when_the_form_loads(postcard):
    cat = postcard(edits=[('value: "{{ postcode }}"}', 'value: "{{ postcode }}", color: [0, 1, 1, 0.2]}')])
    e = err(lambda: cat.get("test_postcard"))
    assert "no black or cyan ink" in e.message
    cat = postcard(edits=[('value: "{{ postcode }}"}', 'value: "{{ postcode }}", line_last: 0.6}')])
    assert "0.2–0.4 mm thick" in err(lambda: cat.get("test_postcard")).message


def test_the_postcard_mark_is_required_at_the_top_or_left_centre(postcard):
    cat = postcard(edits=[("      - {kind: text, id: mark, box: [25, 4, 50, 6], text: 郵便はがき, size: 12, align: center}\n", "")])
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=cat))
    assert "「郵便はがき」" in e.message and "none found" in e.message
    cat = postcard(edits=[("box: [25, 4, 50, 6], text: 郵便はがき", "box: [25, 120, 50, 6], text: 郵便はがき")])
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=cat))
    assert "mm from the top" in e.message
    # POST CARD at the left centre is fine too
    cat = postcard(edits=[("box: [25, 4, 50, 6], text: 郵便はがき, size: 12, align: center",
                           "box: [2, 55, 6, 40], text: 郵便はがき, size: 12, writing: vertical")])
    lgforms.render("test_postcard", PAYLOAD, catalog=cat)


def test_indicia_size_and_position(postcard):
    e = err(lambda: postcard(indicia="32").get("test_postcard"))
    assert "20–30 mm; 32 mm is 2.0 mm too large" in e.message
    e = err(lambda: postcard(indicia="18").get("test_postcard"))
    assert "2.0 mm too small" in e.message
    cat = postcard(edits=[("box: [7, 7, 22, 22]", "box: [70, 7, 22, 22]")])
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=cat))
    assert "top-left 35 × 70 mm corner" in e.message


def test_indicia_without_office_needs_the_sender_on_the_face(postcard):
    cat = postcard(edits=[("  sender_block: [sender]\n", "")])
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=cat))
    assert "no 差出事業所名" in e.message
    # with the office in the tenant profile the mark carries it and no sender block is needed
    t = demo_profile().model_copy(update={"postal": {**demo_profile().postal, "office": "みどり野局"}})
    pdf = lgforms.render("test_postcard", PAYLOAD, catalog=cat, tenant=t)
    from pdfcheck import pdftotext

    assert "みどり野局" in pdftotext(pdf)


def test_customer_barcode_clearance_edge_and_postmark_area(postcard):
    cat = postcard(edits=[("box: [12, 45, 76, 10], value: \"{{ name }}　様\"", "box: [12, 50.5, 76, 10], value: \"{{ name }}　様\"")])
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=cat))
    assert "needs 2 mm of blank space on every side" in e.message and "mm away" in e.message
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=postcard(barcode_x="6")))
    assert "from the edge of the piece; keep 10 mm" in e.message
    # without a 料金別納 mark the barcode must keep out of the postmark area (top-left 35 × 70)
    cat = postcard(edits=[("      - {kind: indicia, id: indicia, box: [7, 7, 22, 22], office: \"{{ tenant.postal.office }}\"}\n", ""),
                          ("box: [BARCODE_X, 57, 76, 7.5]".replace("BARCODE_X", "12"), "box: [12, 62, 76, 7.5]")])
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=cat))
    assert "postmark area" in e.message


def test_weight_from_the_printer_profile(senkyo_payload, pk):
    heavy = load_profile("pressure-seal-V").model_copy(update={"paper": Paper(weight_gsm=220)})
    e = err(lambda: lgforms.render(pk.SENKYO, senkyo_payload, printer_profile=heavy))
    assert "weighs 6.84 g (220 g/m² × 310.8 cm² of paper (2 plies)), 0.84 g over the 6 g postcard limit" in e.message
    assert e.detail["weight_g"] == pytest.approx(6.838, abs=0.001)
    z = load_profile("pressure-seal-Z").model_copy(update={"paper": Paper(weight_gsm=150, sealant_gsm=2)})
    e = err(lambda: lgforms.render(pk.KOKUHO, pk.sample(pk.KOKUHO), printer_profile=z))
    assert "3 plies" in e.message and "over the 6 g" in e.message


def test_too_light_a_postcard(postcard):
    light = load_profile("postcard").model_copy(update={"paper": Paper(weight_gsm=100)})
    e = err(lambda: lgforms.render("test_postcard", PAYLOAD, catalog=postcard(), printer_profile=light))
    assert "1.48 g" in e.message and "0.52 g under the 2 g postcard minimum" in e.message


def test_finished_size_must_be_a_postcard(senkyo_payload, pk, edited_catalog, tmp_path):
    cat = edited_catalog(pk.SENKYO, [("paper: {size: postcard, width: 105, height: 148}",
                                      "paper: {size: postcard, width: 105, height: 160}")])
    prof = tmp_path / "tall.yaml"
    prof.write_text("""
id: tall
delivery: pressure-seal-V
panel_size: [105, 160]
sheet: [210, 160]
panels:
  - {panel: back, side: front, at: [0, 0]}
  - {panel: address, side: front, at: [105, 0]}
  - {panel: inner_left, side: back, at: [0, 0]}
  - {panel: inner_right, side: back, at: [105, 0]}
folds: [{axis: x, at: 105, moving: low, direction: under}]
paper: {weight_gsm: 120}
""", "utf-8")
    e = err(lambda: lgforms.render(pk.SENKYO, senkyo_payload, catalog=cat, printer_profile=str(prof)))
    assert "long side 160 mm is 6.0 mm over the maximum 154 mm" in e.message


def test_panels_must_match_the_delivery_and_the_profile(senkyo_payload, kokuho_payload, pk):
    e = err(lambda: lgforms.render(pk.SENKYO, senkyo_payload, delivery="pressure-seal-Z"))
    assert "panel address is 105 × 148 mm; printer profile pressure-seal-Z places 100 × 148 mm panels" in e.message
    e = err(lambda: lgforms.render(pk.KOKUHO, kokuho_payload, delivery="postcard"))
    assert "needs ['address', 'back']" in e.message


def test_too_many_entries_for_one_mailpiece(senkyo_payload, pk, edited_catalog):
    def more(s):
        s["properties"]["voters"]["maxItems"] = 8

    cat = edited_catalog(pk.SENKYO, [], schema_edit=more)
    p = dict(senkyo_payload, voters=senkyo_payload["voters"] * 2)
    e = err(lambda: lgforms.render(pk.SENKYO, p, catalog=cat))
    # the 宣誓書 face repeats over the voters too (one behind each ticket): it is the first to overflow
    assert "panel back needs a second page" in e.message


def test_nothing_may_be_printed_on_the_cut_away_strip(kokuho_payload, pk, edited_catalog):
    cat = edited_catalog(pk.KOKUHO, [("      - {kind: rect, box: [70, 23.5, 20, 7.5]",
                                      "      - {kind: text, box: [40, 2, 20, 5], text: 重要, size: 10}\n"
                                      "      - {kind: rect, box: [70, 23.5, 20, 7.5]")])
    e = err(lambda: lgforms.render(pk.KOKUHO, kokuho_payload, catalog=cat))
    assert "panel address" in e.message and "cuts away (3.5 mm into it)" in e.message


def test_the_strip_of_the_body_that_shows_is_an_outer_face(kokuho_payload, pk, edited_catalog):
    cat = edited_catalog(pk.KOKUHO, [("      - {kind: text, box: [4, 9.5, 92, 5], text: 切り取り部の裏面, size: 7.5, align: center}\n",
                                      "      - {kind: text, box: [4, 9.5, 92, 5], text: 切り取り部の裏面, size: 7.5, align: center}\n"
                                      "    fields:\n"
                                      "      - {kind: text, box: [70, 2, 28, 5], value: \"{{ hokensha_no }}\", size: 8}\n")])
    e = err(lambda: lgforms.render(pk.KOKUHO, kokuho_payload, catalog=cat))
    assert e.path == "$.hokensha_no" and "panel inner_4" in e.message and "bottom face" in e.message


def test_the_z_body_needs_its_postcard_mark(kokuho_payload, pk, edited_catalog):
    cat = edited_catalog(pk.KOKUHO, [("      - {kind: text, box: [25, 1.5, 50, 5.5], text: 郵便はがき, size: 11.5, font: gothic, align: center}\n", "")])
    e = err(lambda: lgforms.render(pk.KOKUHO, kokuho_payload, catalog=cat))
    assert "「郵便はがき」" in e.message


def test_tax_notice_fits_the_default_nagasan_window_and_a_moved_atena_does_not(pk, edited_catalog):
    """The 税額決定通知書 declares delivery: window-envelope and its 宛名 block sits in the part of
    the default 長3 window (90 × 45 mm at 23/13, insert centred, ±3 mm play) that always shows;
    moved to where the old layout had it, every overhanging element is reported."""
    p = pk.sample(pk.KOJIN)
    assert lgforms.render(pk.KOJIN, p, delivery="window-envelope")[:4] == b"%PDF"
    assert lgforms.render(pk.KOJIN, p)[:4] == b"%PDF"  # its own delivery is the window envelope
    cat = edited_catalog(pk.KOJIN, [("use: atena_window, at: [13.5, 5.5]", "use: atena_window, at: [20, 17]")])
    e = err(lambda: lgforms.render(pk.KOJIN, p, catalog=cat))
    over = {x["element"]: x["overhang_mm"] for x in e.detail["elements"]}
    assert over["atena_name"]["bottom"] == pytest.approx(17 + 19.5 + 9.5 - 44.5)
    assert over["atena_address"]["right"] == pytest.approx(20 + 2 + 80 - 97.5)


def test_a_window_that_fits_and_one_that_shows_too_much(pk, tmp_path):
    p = pk.sample(pk.KOJIN)
    base = """
id: wide
delivery: window-envelope
envelope: [235, 120]
window: [23, 13, 90, HEIGHT]
insert_at: [12.5, 10.5]
shift: [3, 3]
"""
    ok = tmp_path / "ok.yaml"
    ok.write_text(base.replace("HEIGHT", "45"), "utf-8")
    pdf = lgforms.render(pk.KOJIN, p, delivery="window-envelope", printer_profile=str(ok), imposition="sheets")
    assert pdf[:4] == b"%PDF"
    tall = tmp_path / "tall.yaml"
    tall.write_text(base.replace("HEIGHT", "56"), "utf-8")
    e = err(lambda: lgforms.render(pk.KOJIN, p, delivery="window-envelope", printer_profile=str(tall)))
    assert e.path == "$.nendo" and "can show through the envelope window" in e.message


def test_writing_window_pages_checks_each_record_unless_the_caller_already_did(pk, tmp_path, monkeypatch):
    """``PostalPlan.write`` checks every record's first 宛名 page against the window before it draws
    it; the batch checks each record as it lays it out (a rejected record never reaches a part) and
    writes with ``checked=True``: the pages are then drawn without a second check."""
    import io

    from lgforms.postal import checks
    from lgforms.postal.delivery import plan_for
    from lgforms.pdf.writer import PdfWriter
    from lgforms.render import layout
    from lgforms.spec.catalog import default_catalog

    tall = tmp_path / "tall.yaml"
    tall.write_text("id: tall\ndelivery: window-envelope\nenvelope: [235, 120]\nwindow: [23, 13, 90, 56]\n"
                    "insert_at: [12.5, 10.5]\nshift: [3, 3]\n", "utf-8")
    form = default_catalog().get(pk.KOJIN).for_delivery("window-envelope")
    plan = plan_for(form, "window-envelope", str(tall))
    records = [(i, layout(form, pk.sample(pk.KOJIN)).pages) for i in range(2)]
    seen = []
    real = checks.check_window_page
    monkeypatch.setattr(checks, "check_window_page", lambda *a, **k: (seen.append(k["record"]), real(*a, **k)))
    w = PdfWriter(page_size_mm=(210, 297), out=io.BytesIO())
    with pytest.raises(PostalConstraint) as e:
        plan.write(records, w, "panels")
    assert seen == [0] and e.value.detail["record"] == 0 and e.value.path == "$.nendo"
    assert w.pages == 0  # nothing of the record was drawn
    seen.clear()
    assert plan.write(records, w, "panels", checked=True) == 2 * len(records[0][1]) and seen == []


def test_a_window_smaller_than_japan_post_allows(pk, tmp_path):
    small = tmp_path / "small.yaml"
    small.write_text("id: s\ndelivery: window-envelope\nenvelope: [235, 120]\nwindow: [23, 13, 70, 40]\n"
                     "insert_at: [12.5, 10.5]\n", "utf-8")
    e = err(lambda: lgforms.render(pk.KOJIN, pk.sample(pk.KOJIN), delivery="window-envelope",
                                   printer_profile=str(small)))
    assert "at least 80 × 45 mm" in e.message


def test_optional_body_weight_rule(kokuho_payload, senkyo_payload, pk):
    """Printers' guides say the body alone must weigh 2 g; a profile can ask for that check."""
    z = load_profile("pressure-seal-Z").model_copy(update={"body_min_g": 2.0})
    assert z.body_weight_g() == pytest.approx(0.1 * 0.148 * 104.7)
    e = err(lambda: lgforms.render(pk.KOKUHO, kokuho_payload, printer_profile=z))
    assert "body (inner_2) alone weighs 1.55 g, 0.45 g under" in e.message
    v = load_profile("pressure-seal-V").model_copy(update={"body_min_g": 2.0})
    assert v.body_weight_g() == pytest.approx(0.105 * 0.148 * 150)  # 2.33 g: fine
    lgforms.render(pk.SENKYO, senkyo_payload, printer_profile=v)
