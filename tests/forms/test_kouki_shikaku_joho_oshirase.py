"""後期高齢者医療 資格情報のお知らせ: says it cannot be used alone, on the letter and on the card."""

from __future__ import annotations

import copy

import lgforms

from formtest import assert_labels, assert_required, error_of, page_texts, sample
from pdfcheck import pdf_chars, text_in_box

FORM = "kouki_shikaku_joho_oshirase"
TYPICAL = sample("kouki/kouki_shikaku_joho_oshirase", "oshirase_2wari")
EDGE = sample("kouki/kouki_shikaku_joho_oshirase", "oshirase_edge")


def test_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "資格情報のお知らせ", "被保険者番号", "氏名", "性別", "生年月日", "資格取得年月日", "一部負担金の割合",
        "交付年月日", "保険者番号・名称", "限度区分", "注意事項", "問い合わせ先"])


def test_cannot_be_used_alone_is_stated_on_the_letter_and_both_faces_of_the_card():
    pdf = lgforms.render(FORM, TYPICAL)
    page = pdf_chars(pdf)[0]
    assert text_in_box(page, (18, 99.5, 174, 7)) == "このお知らせだけでは、医療機関・薬局を受診することはできません。"
    front = text_in_box(page, (19.4, 150 + 52.2, 85.6, 5.6))
    assert front.startswith("このお知らせだけでは医療機関等を受診できません。")
    back = text_in_box(page, (19.4 + 87.1, 150 + 11, 82.6, 12))
    assert "このお知らせだけでは、医療機関・薬局を受診することはできません。" in back
    # no 臓器提供意思表示欄 and no 有効期限 unless the 広域連合 sets one
    text = page_texts(pdf)[0]
    assert "臓器提供" not in text and "有効期限" not in text
    assert "有効期限　令和9年7月31日" in page_texts(lgforms.render(FORM, EDGE))[0]


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hokensha_no", "hihokensha_no", "name", "sex", "birth_date", "shikaku_shutoku_date",
                                    "futan_wariai", "hakko_kijitsu", "kofu_date"])


def test_wrong_hihokensha_bango_is_refused():
    p = copy.deepcopy(TYPICAL)
    p["hihokensha_no"] = "41029381"
    e = error_of(FORM, p)
    assert e.code == "PAYLOAD_INVALID" and e.path == "$.hihokensha_no"
