"""印鑑登録証明書: 印影 at its actual size, 氏名 with 旧氏 / 通称, the 認証文 of the form — checked on the PDF."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

import lgforms

from pdfcheck import MM, pdf_chars, pypdf_pages, text_in_box
from formtest import assert_required, dotted

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "forms/inkan/inkan_toroku_shomeisho/samples"
TYPICAL = json.loads((SAMPLES / "inkan_basic.json").read_text("utf-8"))
KYUUJI = json.loads((SAMPLES / "inkan_kyuuji.json").read_text("utf-8"))
EDGE = json.loads((SAMPLES / "inkan_edge_long.json").read_text("utf-8"))
FORM = "inkan_toroku_shomeisho"
NINSHO = "この写しは、登録された印影と相違ないことを証明します。"

NAME_BOX = (90, 30, 105, 20)
KYUUJI_BOX = (90, 50, 105, 8)
TSUSHO_BOX = (90, 58, 105, 8)
BIKOU_BOX = (90, 98, 105, 10)
INEI_AREA = (15, 38, 50, 70)


def render(p=TYPICAL, **kw):
    return lgforms.render(FORM, p, **kw)


def images_mm(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """(x, y, w, h) in mm from the top-left of every image drawn on page 1 (pdfminer)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTImage

    out = []
    page = next(iter(extract_pages(io.BytesIO(pdf))))

    def walk(o):
        if isinstance(o, LTImage):
            x0, y0, x1, y1 = o.bbox
            out.append((x0 / MM, (page.height - y1) / MM, (x1 - x0) / MM, (y1 - y0) / MM))
        elif hasattr(o, "__iter__"):
            for c in o:
                walk(c)

    walk(page)
    return out


def test_every_item_is_printed_under_its_label():
    t = pypdf_pages(render())[0]
    for label in ("印鑑登録証明書", "印影", "氏名", "旧氏", "通称", "生年月日", "性別", "住所", "備考"):
        assert label in t, label
    assert NINSHO in t and "令和8年11月24日" in t and "みどり野市長　松葉　恵子" in t


def test_the_inei_prints_at_its_actual_size_inside_its_column():
    for p in (TYPICAL, EDGE):
        ax, ay, aw, ah = INEI_AREA
        inside = [b for b in images_mm(render(p)) if b[0] >= ax and b[0] + b[2] <= ax + aw and b[1] >= ay
                  and b[1] + b[3] <= ay + ah]
        assert len(inside) == 1, inside
        x, y, w, h = inside[0]
        assert abs(w - p["inei"]["width_mm"]) < 0.05 and abs(h - p["inei"]["height_mm"]) < 0.05
        assert abs((x + w / 2) - (ax + aw / 2)) < 0.1  # centred in the 印影欄


def test_a_seal_registered_under_the_former_surname_shows_it():
    pages = pdf_chars(render(KYUUJI))
    assert text_in_box(pages[0], NAME_BOX) == KYUUJI["name"]
    assert text_in_box(pages[0], KYUUJI_BOX) == "𠮷田"
    assert text_in_box(pages[0], TSUSHO_BOX) == ""
    assert "性別" not in pypdf_pages(render(KYUUJI))[0]  # a municipality that does not print it: no empty cell


def test_a_foreign_resident_shows_the_alias_with_the_name_and_the_katakana():
    pages = pdf_chars(render(EDGE))
    assert text_in_box(pages[0], TSUSHO_BOX) == EDGE["tsusho"]
    assert text_in_box(pages[0], BIKOU_BOX) == "氏名のカタカナ表記　" + EDGE["katakana_hyoki"]
    longest = {**EDGE, "katakana_hyoki": "ア" * 60}  # the longest the schema allows still fits
    assert "ア" * 20 in pypdf_pages(render(longest))[0]


@pytest.mark.parametrize("path", [("inei",), ("name",), ("birth_date",), ("address",), ("issue_date",),
                                  ("inei", "png_base64"), ("inei", "width_mm"), ("inei", "height_mm")])
def test_a_required_item_cannot_be_left_out(path):
    assert_required(FORM, TYPICAL, [dotted(path)])  # PAYLOAD_INVALID naming the field and where it is missing


@pytest.mark.parametrize("key", ["issuer", "ninshobun", "issue_no"])
def test_municipality_text_and_the_issue_number_are_not_payload_fields(key):
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        render({**TYPICAL, key: "x"})
    assert ei.value.path == "$" and key in ei.value.message


@pytest.mark.parametrize("w,h", [(26, 20), (8, 8), (7.5, 6)])
def test_a_seal_the_ordinance_does_not_allow_is_refused(w, h):
    p = copy.deepcopy(TYPICAL)
    p["inei"].update(width_mm=w, height_mm=h)
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        render(p)
    assert ei.value.path.startswith("$.inei")


def test_former_surname_and_alias_do_not_go_together():
    with pytest.raises(lgforms.LgformsError) as ei:
        render({**KYUUJI, "tsusho": "山本　花"})
    assert ei.value.code == "RULE_VIOLATED"


def test_issue_number_heads_the_sheet():
    pages = pdf_chars(render(issue={"number": "INK-R08-004567"}))
    assert text_in_box(pages[0], (15, 5, 110, 5)) == "発行番号　INK-R08-004567"
