"""要介護認定・要支援認定 結果通知書: result, period, reasons for 非該当, 教示 to the 介護保険審査会."""

from __future__ import annotations

import copy

import lgforms

from formtest import assert_labels, assert_required, error_of, norm, page_texts, sample

FORM = "kaigo_nintei_kekka_tsuchisho"
TYPICAL = sample("kaigo/kaigo_nintei_kekka_tsuchisho", "nintei_yokaigo1")
HIGAITO = sample("kaigo/kaigo_nintei_kekka_tsuchisho", "shinsa_higaito")
EDGE = sample("kaigo/kaigo_nintei_kekka_tsuchisho", "nintei_edge_kubunhenko")


def test_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "要介護認定 結果通知書", "被保険者番号", "氏名", "生年月日", "申請区分", "認定結果", "認定年月日",
        "認定の有効期間", "区分支給限度基準額", "介護認定審査会の意見及びサービスの種類の指定", "【教示】", "問い合わせ先",
        "介護保険法第27条第7項"])


def test_kyoji_names_the_prefecture_shinsakai_and_the_zenchi():
    text = norm("".join(page_texts(lgforms.render(FORM, TYPICAL))))
    assert norm("３か月以内に、東雲県介護保険審査会に対して審査請求をすることができます（介護保険法第183条第1項") in text
    assert norm("裁決を経た後でなければ提起することができません（同法第196条）") in text
    assert norm("みどり野市を被告として（訴訟においてみどり野市を代表する者はみどり野市長となります。）") in text
    assert "行政事件訴訟法第８条第２項" in text


def test_higaito_gives_reasons_and_no_period():
    text = "".join(page_texts(lgforms.render(FORM, HIGAITO)))
    assert "結果通知書（非該当）" in text and "理由を付して通知します" in text and HIGAITO["riyu"][:30] in text
    assert "認定の有効期間" not in text and "さかのぼって効力" not in text
    p = copy.deepcopy(HIGAITO)
    del p["riyu"]
    e = error_of(FORM, p)
    assert e.code == "RULE_VIOLATED" and e.path == "$.riyu"
    p = copy.deepcopy(HIGAITO)
    p["yuko_start"] = "2026-06-15"
    assert error_of(FORM, p).code == "RULE_VIOLATED"


def test_a_care_level_needs_its_period_and_at_least_the_standard_cap():
    p = copy.deepcopy(TYPICAL)
    del p["yuko_end"]
    assert error_of(FORM, p).code == "RULE_VIOLATED"
    p = copy.deepcopy(TYPICAL)
    p["gendo_tanni"] = 10531
    e = error_of(FORM, p)
    assert e.code == "RULE_VIOLATED" and "区分支給限度基準額" in e.message


def test_yoshien_cites_article_32():
    p = copy.deepcopy(TYPICAL)
    p["kekka"], p["gendo_tanni"] = "要支援2", 10531
    text = "".join(page_texts(lgforms.render(FORM, p)))
    assert "要支援認定 結果通知書" in text and "介護保険法第32条第6項" in text


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hakko_date", "hihokensha_no", "name", "birth_date", "shinsei_kubun", "shinsei_date",
                                    "kekka", "nintei_date", "atena_postcode"])


def test_edge_names_copy_out():
    text = "".join(page_texts(lgforms.render(FORM, EDGE)))
    assert "葛\U000E0102城　𠮷右衛門之助" in text and "38,000単位" in text
