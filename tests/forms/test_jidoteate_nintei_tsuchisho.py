"""児童手当認定通知書: the items the notice must carry, in order, the law's amounts and payment months,
the 教示 naming the governor (児童手当 is a 第1号法定受託事務: 地方自治法 §255の2①二)."""

from __future__ import annotations

import copy

import pytest

import lgforms

from welfare_forms import beside, in_order, payload_invalid, rule_broken, sample, text, without

FORM = "jidoteate_nintei_tsuchisho"
TYPICAL = sample("jido", FORM, "nintei_2nin")


@pytest.fixture(scope="module")
def typical_text() -> str:
    return text(FORM, TYPICAL)


def test_required_items_by_their_labels(typical_text):
    t = typical_text
    in_order(t, "児童手当認定通知書", "児童手当法第７条の規定により", "受給者氏名", "受給者番号", "認定年月日",
             "支給開始月", "手当月額", "支払方法", "口座振込", "支払月", "振込先口座")
    in_order(t, "髙橋　健一", "JT-0004521", "令和8年10月5日", "令和8年10月15日", "令和8年11月分から", "25,000円", "みどり野銀行　本店　普通　＊＊＊＊567",
             "支給対象児童", "髙橋　𠮷乃", "令和6年2月29日", "3歳未満", "15,000", "手当月額", "25,000",
             "支払予定", "令和8年12月", "令和8年11月分", "令和9年2月", "50,000")
    assert "1234567" not in t  # the account number is masked but its last 3 digits
    beside(lgforms.render(FORM, TYPICAL), [("受給者氏名", "髙橋　健一"), ("受給者番号", "JT-0004521"),
                                         ("認定請求日", "令和8年10月5日"), ("認定年月日", "令和8年10月15日"), ("支給開始月", "令和8年11月分から"),
                                         ("手当月額", "25,000円"), ("振込先口座", "みどり野銀行")])


def test_kyoji_names_the_governor_not_the_mayor(typical_text):
    assert "東雲県知事に対して審査請求" in typical_text
    assert "みどり野市長に対して審査請求" not in typical_text
    assert "みどり野市を被告として" in typical_text  # the 処分 is the mayor's: the city is sued
    assert "毎年２月・４月・６月・８月・10月・12月の６回" in typical_text


@pytest.mark.parametrize("field", ["atena_name", "jukyusha_no", "seikyu_date", "nintei_date", "shikyu_kaishi", "getsugaku",
                                   "children", "shiharai", "koza", "koza.koza_no"])
def test_a_required_item_cannot_be_left_out(field):
    e = payload_invalid(FORM, without(TYPICAL, field))
    assert field.split(".")[-1] in str(e.message) + str(e.path)


def test_amount_by_category_is_the_laws():
    p = copy.deepcopy(TYPICAL)
    p["children"][1]["getsugaku"] = 10000  # a child under 3 gets 15,000 (児童手当法 §6③)
    p["getsugaku"] = 20000
    rule_broken(FORM, p, "kubun_gaku")


def test_monthly_total_is_the_sum_over_the_children():
    p = copy.deepcopy(TYPICAL)
    p["getsugaku"] = 26000
    rule_broken(FORM, p, "getsugaku_sum")


def test_payments_fall_in_even_months():
    p = copy.deepcopy(TYPICAL)
    p["shiharai"][0]["tsuki"] = "令和8年11月"
    e = rule_broken(FORM, p, "shiharai_gusu")
    assert e.path == "$.shiharai[0].tsuki"


def test_the_old_income_limit_category_is_refused():
    p = copy.deepcopy(TYPICAL)
    p["children"][0]["kubun"] = "特例給付"  # abolished in 令和6年10月
    payload_invalid(FORM, p)
