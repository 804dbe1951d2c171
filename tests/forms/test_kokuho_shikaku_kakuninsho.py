"""国民健康保険資格確認書: the card's items, one card per person (2 on the letter, 4 per sheet after)."""

from __future__ import annotations

import copy

import lgforms

from formtest import assert_labels, assert_required, error_of, page_texts, sample
from pdfcheck import pdf_chars, text_in_box

FORM = "kokuho_shikaku_kakuninsho"
TYPICAL = sample("kokuho/kokuho_shikaku_kakuninsho", "kakuninsho_2nin")
EDGE = sample("kokuho/kokuho_shikaku_kakuninsho", "kakuninsho_edge_6nin")
# the name cell of the card in slot 0 of the letter: block at (19.4, 150), grid at +10, row 2
NAME_CELL = (19.4 + 17, 150 + 10 + 4.8, 47, 5.4)


def test_card_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "国民健康保険資格確認書", "有効期限", "記号・番号", "氏名", "性別", "生年月日", "住所", "世帯主氏名",
        "資格取得年月日", "一部負担金の割合", "限度区分", "交付年月日", "保険者番号・名称", "注意事項",
        "臓器提供に関する意思表示欄", "問い合わせ先", "みどり野市"])


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hokensha_no", "kigo", "setainushi_name", "address", "kofu_date", "members",
                                    "members[0].bango", "members[0].edaban", "members[0].name",
                                    "members[0].birth_date", "members[0].futan_wariai", "members[0].yuko_kigen",
                                    "members[0].shikaku_shutoku_date"])


def test_hokensha_bango_check_digit():
    p = copy.deepcopy(TYPICAL)
    p["hokensha_no"] = "992017"
    e = error_of(FORM, p)
    assert e.code == "PAYLOAD_INVALID" and e.path == "$.hokensha_no" and "検証番号" in e.message


def test_seventy_and_over_need_the_hakko_kijitsu():
    p = copy.deepcopy(TYPICAL)
    del p["members"][1]["hakko_kijitsu"]
    e = error_of(FORM, p)
    assert e.code == "RULE_VIOLATED" and e.path == "$.members[1].hakko_kijitsu"
    p = copy.deepcopy(TYPICAL)
    p["members"][0]["hakko_kijitsu"] = "2026-08-01"  # under 70: 法定負担割合のとおり, no 発効期日
    assert error_of(FORM, p).code == "RULE_VIOLATED"


def test_one_card_per_person_two_on_the_letter_four_per_sheet_after():
    pdf = lgforms.render(FORM, EDGE)
    pages = page_texts(pdf)
    assert len(pages) == 2
    edabans = [f"（枝番 {m['edaban']}）" for m in EDGE["members"]]
    assert [e in pages[0] for e in edabans] == [True, True, False, False, False, False]
    assert [e in pages[1] for e in edabans] == [False, False, True, True, True, True]
    assert "（4人分の資格確認書は次の用紙にあります。）" in pages[0]
    # every card carries its own 有効期限 (a person turning 70 gets an earlier one)
    assert "有効期限　令和9年2月28日" in pages[1]


def test_name_on_the_card_and_gendo_mark():
    pdf = lgforms.render(FORM, TYPICAL)
    page = pdf_chars(pdf)[0]
    assert text_in_box(page, NAME_CELL) == TYPICAL["members"][0]["name"].replace("\u3000", "　")
    # 限度区分 (row 8) of card 1: not applied for, so ＊; card 2 (62 mm lower) has its 区分
    gendo = (19.4 + 17, 150 + 10 + 34.0, 68.6, 4.2)
    assert text_in_box(page, gendo) == "＊"
    assert text_in_box(page, (gendo[0], gendo[1] + 62, gendo[2], gendo[3])) == "一般Ⅱ"
    text = page_texts(pdf)[0]
    assert "一般Ⅱ" in text and "2割　（発効期日 令和8年8月1日）" in text


def test_ivs_name_copies_out_exactly():
    pdf = lgforms.render(FORM, EDGE)
    assert "葛\U000E0102城　𠮷之助" in "".join(page_texts(pdf))
