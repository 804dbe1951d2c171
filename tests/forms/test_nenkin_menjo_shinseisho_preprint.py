"""国民年金保険料 免除・納付猶予申請書（プレ印字）: what is preprinted, what is left for the applicant."""

from __future__ import annotations

import copy

import lgforms

from formtest import assert_labels, assert_required, error_of, page_texts, sample
from pdfcheck import pdf_chars, text_in_box

FORM = "nenkin_menjo_shinseisho_preprint"
TYPICAL = sample("nenkin/nenkin_menjo_shinseisho_preprint", "menjo_typical")
EDGE = sample("nenkin/nenkin_menjo_shinseisho_preprint", "menjo_edge")


def test_items_of_the_kiko_form_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "国民年金保険料免除・納付猶予申請書", "日本年金機構理事長　あて", "申請年月日", "住所", "フリガナ", "被保険者氏名",
        "電話番号", "Ａ．基本情報", "個人番号（又は基礎年金番号）", "生年月日", "配偶者 氏名", "世帯主 氏名", "世帯主 続柄",
        "Ｂ．申請内容", "申請期間", "免除等区分", "全額免除", "納付猶予", "4分の3免除", "半額免除", "4分の1免除", "継続希望",
        "前年所得", "特例認定区分", "市区町村確認欄", "受付印"])


def test_preprinted_values_are_on_the_application_page():
    pdf = lgforms.render(FORM, TYPICAL)
    letter, form = page_texts(pdf)
    assert "基礎年金番号　1234-567890" in form and "令和8年7月　から　令和9年6月　まで" in form
    page = pdf_chars(pdf)[1]
    assert text_in_box(page, (39, 55, 156, 9)) == "佐藤　健一"  # 被保険者氏名 row
    assert text_in_box(page, (39, 113, 66, 9)) == "佐藤　一郎"  # 世帯主 氏名
    assert "審査は日本年金機構が行い" in letter


def test_nothing_the_applicant_must_declare_is_preprinted():
    pdf = lgforms.render(FORM, EDGE)
    page = pdf_chars(pdf)[1]
    # no 基礎年金番号 on record: the applicant writes the 個人番号; 配偶者 and 所得 are blank
    assert text_in_box(page, (39, 80, 156, 9)) == "個人番号（12桁）を記入してください："
    assert text_in_box(page, (39, 104, 66, 9)) == "" and text_in_box(page, (129, 104, 66, 9)) == ""
    assert text_in_box(page, (39, 191, 156, 9)) == "万円万円万円"
    assert "（本人が世帯主のときは記入不要）" in page_texts(pdf)[1]


def test_rules_and_required_items():
    p = copy.deepcopy(EDGE)
    p["setainushi_zokugara"] = "父"
    e = error_of(FORM, p)
    assert e.code == "RULE_VIOLATED" and e.path == "$.setainushi_zokugara"
    assert_required(FORM, TYPICAL, ["shinsei_kikan_start", "shinsei_kikan_end", "name", "kana", "birth_date", "postcode",
                                    "address", "hakko_date"])
    p = copy.deepcopy(TYPICAL)
    p["shinsei_kikan_start"] = "令和8年13月"
    assert error_of(FORM, p).path == "$.shinsei_kikan_start"
