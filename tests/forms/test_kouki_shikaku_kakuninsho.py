"""後期高齢者医療資格確認書: the 広域連合 is the 保険者 and the issuer; the card's items and numbers; the Z折り
圧着はがき (variant pressure-seal-Z) with the same card on the postcard body, its back behind it."""

from __future__ import annotations

import copy

import pytest

import lgforms

from formtest import (
    assert_labels, assert_required, assert_same_bands, error_of, norm, page_texts, panel_chars,
    sample,
)
from pdfcheck import pdf_chars, pypdf_pages, text_in_box

FORM = "kouki_shikaku_kakuninsho"
TYPICAL = sample("kouki/kouki_shikaku_kakuninsho", "kakuninsho_1wari")
EDGE = sample("kouki/kouki_shikaku_kakuninsho", "kakuninsho_edge")
CARD = (19.4, 150)  # the hoken_card block on the letter
Z = "pressure-seal-Z"
Z_CARD = (7.2, 16)  # hoken_card_front on the postcard body (inner_2), hoken_card_back behind it (inner_4)
FRONT_BANDS = [6, 5.2, 6.6, 5.4, 4.2, 4.2, 4.2, 4.2, 4.2, 4.2, 5.6]  # title band, then the kouki grid's rows
BACK_BANDS = [6.5, 23.5, 24]  # 注意事項 band, the notes, the 臓器提供意思表示欄


def test_card_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "後期高齢者医療資格確認書", "有効期限", "被保険者番号", "住所", "氏名", "性別", "生年月日", "資格取得年月日",
        "発効期日", "一部負担金の割合", "限度区分", "交付年月日", "保険者番号・名称", "注意事項",
        "臓器提供に関する意思表示欄", "問い合わせ先"])


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hokensha_no", "hihokensha_no", "name", "sex", "birth_date", "shikaku_shutoku_date",
                                    "futan_wariai", "hakko_kijitsu", "yuko_kigen", "kofu_date", "atena_address"])


def test_numbers_are_checked():
    p = copy.deepcopy(TYPICAL)
    p["hihokensha_no"] = "12345675"
    e = error_of(FORM, p)
    assert e.code == "PAYLOAD_INVALID" and e.path == "$.hihokensha_no" and "検証番号" in e.message
    p = copy.deepcopy(TYPICAL)
    p["hokensha_no"] = "992016"  # a 国保 number: 後期 保険者番号 are 8 digits starting with 法別番号 39
    assert error_of(FORM, p).path == "$.hokensha_no"
    p = copy.deepcopy(TYPICAL)
    p["futan_wariai"] = "法定負担割合のとおり"
    assert error_of(FORM, p).path == "$.futan_wariai"


def test_issuer_and_insurer_are_the_kouiki_rengo():
    pdf = lgforms.render(FORM, TYPICAL)
    text = page_texts(pdf)[0]
    assert "東雲県後期高齢者医療広域連合長　大野　誠" in text
    assert "みどり野市長" not in text
    page = pdf_chars(pdf)[0]
    x, y = CARD
    # last row of the kouki grid: 保険者番号・名称
    assert text_in_box(page, (x + 17, y + 10 + 42.4, 68.6, 5.6)) == "39991005　東雲県後期高齢者医療広域連合"
    assert text_in_box(page, (x + 17, y + 10, 68.6, 5.2)) == "12345674"


def test_edge_card_without_address_and_with_gendo():
    pdf = lgforms.render(FORM, EDGE)
    page = pdf_chars(pdf)[0]
    x, y = CARD
    assert text_in_box(page, (x + 17, y + 10 + 5.2, 68.6, 6.6)) == ""  # 住所: left for the holder to write
    assert text_in_box(page, (x + 17, y + 10 + 34.0, 68.6, 4.2)) == "現役並みⅡ"
    assert "葛\U000E0102城　𠮷右衛門之助" in page_texts(pdf)[0]


@pytest.mark.parametrize("payload", [TYPICAL, EDGE], ids=["typical", "edge"])
def test_the_postcard_carries_the_a4_card_row_by_row(payload):
    """Every item of the card, on the postcard body exactly as the A4 card prints it (row by row), and
    the card's back (注意事項, 臓器提供意思表示欄) on the reverse of the same paper, behind it."""
    a4 = pdf_chars(lgforms.render(FORM, payload))[0]
    z = panel_chars(FORM, payload, Z)
    x, y = CARD
    rows = assert_same_bands(a4, (x, y + 4), z["inner_2"], Z_CARD, 85.6, FRONT_BANDS)
    assert "後期高齢者医療資格確認書" in rows[0] and "有効期限" in rows[0]
    assert payload["hihokensha_no"] in rows[1]
    assert norm(payload["name"]) in norm(rows[3]) and payload["sex"] in rows[3]
    assert "39991005　東雲県後期高齢者医療広域連合" in rows[-1]
    back = assert_same_bands(a4, (x + 85.6, y + 4), z["inner_4"], Z_CARD, 85.6, BACK_BANDS)
    assert back[0] == "注意事項" and "臓器提供に関する意思表示欄" in back[2]
    # nothing of the card anywhere else
    for panel in ("address", "back", "inner_1", "inner_3"):
        assert payload["hihokensha_no"] not in "".join(c[0] for c in z[panel])


def test_the_edge_name_and_address_fit_the_postcard():
    z = panel_chars(FORM, EDGE, Z)
    x, y = Z_CARD
    assert norm(text_in_box(z["inner_2"], (x + 17, y + 6 + 5.2 + 6.6, 47, 5.4))) == norm(EDGE["name"])
    address = norm(pypdf_pages(lgforms.render(FORM, EDGE, delivery=Z))[0])
    assert norm(EDGE["atena_address"]) in address and norm(EDGE["atena_katagaki"]) in address
    assert norm(EDGE["atena_name"]) + "様" in address
