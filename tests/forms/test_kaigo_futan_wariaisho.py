"""介護保険負担割合証: the 様式's items, one or two 割合 rows, the 保険者's name and 公印 from the tenant; the
Z折り圧着はがき (variant pressure-seal-Z) with the same certificate on the postcard body, its back behind it."""

from __future__ import annotations

import copy
import io

import pytest
from pypdf import PdfReader

import lgforms

from formtest import assert_labels, assert_required, assert_same_bands, error_of, norm, panel_chars, sample
from pdfcheck import pdf_chars, pypdf_pages, text_in_box

FORM = "kaigo_futan_wariaisho"
TYPICAL = sample("kaigo/kaigo_futan_wariaisho", "futan_1wari")
EDGE = sample("kaigo/kaigo_futan_wariaisho", "futan_edge_2dan")
Z = "pressure-seal-Z"
A4_CARD = (14, 161)  # the certificate's face (group card_face) inside the cut line; its back 91 mm to the right
Z_CARD = (4.5, 12)  # the same group on the postcard body (inner_2); fold_card_back behind it (inner_4)
FACE_BANDS = [10, 6.3, 48, 36, 27.7]  # 標題, 交付年月日, 被保険者 (kaigo_hihokensha), 割合・適用期間, 保険者 (kaigo_hokensha)


def test_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "介護保険負担割合証", "交付年月日", "被保険者", "番号", "住所", "フリガナ", "氏名", "生年月日", "性別",
        "利用者負担の割合", "適用期間", "開始年月日", "終了年月日", "保険者番号並びに保険者の名称及び印", "注意事項",
        "東雲県みどり野市", "問い合わせ先"])


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hihokensha_no", "address", "kana", "name", "birth_date", "sex", "hokensha_no",
                                    "kofu_date", "futan", "futan[0].wariai", "futan[0].start", "futan[0].end"])


def test_share_and_period_rows():
    page = pdf_chars(lgforms.render(FORM, EDGE))[0]
    # table at (17, 225.5): header 7 mm, rows 13.5 mm; 割合 column 30 mm wide
    assert text_in_box(page, (17, 232.5, 30, 13.5)) == "2割"
    assert text_in_box(page, (17, 246, 30, 13.5)) == "3割"
    assert "令和8年11月1日" in text_in_box(page, (47, 246, 55, 13.5))
    p = copy.deepcopy(TYPICAL)
    p["futan"] = p["futan"] * 3  # at most two rows: a change within the period
    assert error_of(FORM, p).path == "$.futan"
    p = copy.deepcopy(TYPICAL)
    p["futan"][0]["wariai"] = "4割"
    assert error_of(FORM, p).path == "$.futan[0].wariai"


def test_hokensha_seal_is_printed():
    r = PdfReader(io.BytesIO(lgforms.render(FORM, TYPICAL)))
    xo = r.pages[0]["/Resources"]["/XObject"]
    assert any(v.get_object()["/Subtype"] == "/Image" for v in xo.values())


@pytest.mark.parametrize("payload", [TYPICAL, EDGE], ids=["typical", "edge"])
def test_the_postcard_carries_the_a4_certificate_item_by_item(payload):
    """Every item of the 負担割合証, on the postcard body exactly as the A4 certificate prints it (band
    by band), and its back (注意事項) on the reverse of the same paper, behind it."""
    a4 = pdf_chars(lgforms.render(FORM, payload))[0]
    z = panel_chars(FORM, payload, Z)
    face = assert_same_bands(a4, A4_CARD, z["inner_2"], Z_CARD, 91, FACE_BANDS)
    assert face[0] == "介護保険負担割合証" and norm(payload["name"]) in norm(face[2])
    assert payload["hihokensha_no"] in face[2] and payload["hokensha_no"] in face[4]
    assert [r["wariai"] in face[3] for r in payload["futan"]] == [True] * len(payload["futan"])
    back = assert_same_bands(a4, (A4_CARD[0] + 91, A4_CARD[1]), z["inner_4"], Z_CARD, 91, [8.5, 120])
    assert back[0] == "注意事項" and back[1].startswith("１　この証は、介護サービスを利用するときの")
    # nothing of the certificate anywhere else
    for panel in ("address", "back", "inner_1", "inner_3"):
        assert payload["hihokensha_no"] not in "".join(c[0] for c in z[panel])


def test_the_postcard_certificate_carries_the_hokensha_seal():
    r = PdfReader(io.BytesIO(lgforms.render(FORM, TYPICAL, delivery=Z)))
    images = [k for k, v in r.pages[3]["/Resources"].get("/XObject", {}).items() if v.get_object()["/Subtype"] == "/Image"]
    assert images  # inner_2: the 公印 in the 保険者 box of the certificate


def test_the_edge_two_rows_and_longest_name_and_address_fit_the_postcard():
    z = panel_chars(FORM, EDGE, Z)["inner_2"]
    x, y = Z_CARD
    # the table at (3, 64.5) in the certificate: header 7 mm, rows 13.5 mm
    assert text_in_box(z, (x + 3, y + 71.5, 30, 13.5)) == "2割"
    assert text_in_box(z, (x + 3, y + 85, 30, 13.5)) == "3割"
    assert norm(EDGE["name"]) in norm(text_in_box(z, (x, y + 16.3, 91, 48)))
    address = norm(pypdf_pages(lgforms.render(FORM, EDGE, delivery=Z))[0])
    assert norm(EDGE["atena_address"]) in address and norm(EDGE["atena_name"]) + "様" in address
