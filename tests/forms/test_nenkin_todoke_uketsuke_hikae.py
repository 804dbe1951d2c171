"""国民年金 届書・申請書 受付控: what was received, by whom, the 受付印, and that it decides nothing."""

from __future__ import annotations

import copy

import lgforms

from formtest import assert_labels, assert_required, error_of, norm, page_texts, sample

FORM = "nenkin_todoke_uketsuke_hikae"
TYPICAL = sample("nenkin/nenkin_todoke_uketsuke_hikae", "hikae_shikaku_menjo")
EDGE = sample("nenkin/nenkin_todoke_uketsuke_hikae", "hikae_edge_20ken")


def test_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "国民年金　届書・申請書　受付控", "受付番号", "受付年月日", "フリガナ", "氏名", "生年月日", "基礎年金番号", "住所",
        "届書・申請書の種類", "届出の内容", "添付書類", "受け付けた件数", "提出した者", "受付", "問い合わせ先", "年金事務所"])


def test_it_says_it_is_not_a_decision_and_who_decides():
    text = norm("".join(page_texts(lgforms.render(FORM, TYPICAL))))
    assert norm("決定したことを証明するものではありません") in text
    assert norm("審査及び決定は日本年金機構が行い、その結果は日本年金機構から通知されます") in text
    assert "みどり野市長" in text and "2件" in text


def test_many_forms_continue_on_a_second_sheet_with_the_count_and_the_seal_after_the_last():
    pages = page_texts(lgforms.render(FORM, EDGE))
    assert len(pages) == 2
    assert "（次葉へ続く）" in pages[0] and "20件" in pages[1] and "20件" not in pages[0]
    assert "受　付" not in pages[0] and "受　付" in pages[1]
    assert "1/2" in pages[0] and "2/2" in pages[1]
    # no 基礎年金番号 (the 個人番号 was used): the 控 says so and prints no number
    assert "（個人番号により届出）" in pages[0]


def test_someone_else_submitting_is_named():
    p = copy.deepcopy(EDGE)
    del p["dairinin_name"]
    e = error_of(FORM, p)
    assert e.code == "RULE_VIOLATED" and e.path == "$.dairinin_name"


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["uketsuke_no", "uketsuke_date", "name", "birth_date", "todoke", "teishutsusha",
                                    "todoke[0].shurui"])
    p = copy.deepcopy(TYPICAL)
    p["kiso_nenkin_no"] = "123-4567890"
    assert error_of(FORM, p).path == "$.kiso_nenkin_no"
