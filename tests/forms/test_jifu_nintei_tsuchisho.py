"""児童扶養手当認定通知書: items, 支給区分 and amounts, odd payment months, 教示 to the governor
(児童扶養手当 is a 第1号法定受託事務: 児童扶養手当法 §33の3, 地方自治法 §255の2①二)."""

from __future__ import annotations

import copy

import pytest

import lgforms

from welfare_forms import beside, in_order, payload_invalid, rule_broken, sample, text, without

FORM = "jifu_nintei_tsuchisho"
TYPICAL = sample("jifu", FORM, "zenbu_shikyu_2nin")
TEISHI = sample("jifu", FORM, "zenbu_teishi")


def test_items_and_amounts():
    t = text(FORM, TYPICAL)
    in_order(t, "児童扶養手当認定通知書", "児童扶養手当法第６条の規定により", "受給者氏名", "証書番号", "認定請求日",
             "認定年月日", "支給開始月", "対象児童数", "支給区分", "手当月額", "振込先口座")
    in_order(t, "齋藤　美咲", "992011-25-0712", "令和7年8月20日", "令和7年10月3日", "令和7年9月分から", "2人", "全部支給",
             "57,720円", "＊＊＊＊321", "令和6年分の所得額", "620,000円", "1,450,000円", "2,840,000円", "対象児童",
             "齋藤　陽菜", "本体額（１人目）", "46,690", "齋藤　湊", "加算額（２人目以降）", "11,030", "手当月額", "57,720",
             "支払予定", "令和7年11月", "115,440")
    assert "毎年１月・３月・５月・７月・９月・11月の６回" in t and "現況届" in t and "児童扶養手当証書を同封" in t
    assert "東雲県知事に対して審査請求" in t and "みどり野市長に対して審査請求" not in t
    beside(lgforms.render(FORM, TYPICAL), [("証書番号", "992011-25-0712"), ("支給区分", "全部支給"), ("手当月額", "57,720円"),
                                         ("対象児童数", "2人"), ("支給開始月", "令和7年9月分から")])


def test_suspended_says_so_and_has_no_payments():
    t = text(FORM, TEISHI)
    assert "全部停止" in t and "手当の全部の支給を停止します" in t and "支払予定" not in t
    # no 証書 for a 全部支給停止者, a separate 支給停止通知書 instead (児童扶養手当法施行規則 §16②)
    assert "児童扶養手当証書を同封" not in t and "児童扶養手当支給停止通知書" in t


def test_partial_payment_announces_the_suspension_notice():
    t = text(FORM, sample("jifu", FORM, "ichibu_shikyu_10nin_edge"))
    assert "児童扶養手当証書を同封" in t and "一部の支給停止については、別に児童扶養手当支給停止通知書" in t


@pytest.mark.parametrize("field", ["atena_name", "shosho_no", "seikyu_date", "nintei_date", "shikyu_kaishi", "shikyu_kubun",
                                   "taisho_jido_su", "getsugaku", "children", "shiharai", "koza", "children.0.kubun"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(TYPICAL, field))


def test_amounts_are_in_10_yen_steps():
    p = copy.deepcopy(TYPICAL)
    p["children"][1]["gaku"] = 11035
    p["getsugaku"] = 57725
    payload_invalid(FORM, p)


def test_monthly_total_and_children_count():
    p = copy.deepcopy(TYPICAL)
    p["getsugaku"] = 57730
    rule_broken(FORM, p, "getsugaku_sum")
    p = copy.deepcopy(TYPICAL)
    p["taisho_jido_su"] = 3
    rule_broken(FORM, p, "jido_su")


def test_first_child_is_the_base_amount():
    p = copy.deepcopy(TYPICAL)
    p["children"].reverse()
    rule_broken(FORM, p, "hontai")


def test_suspension_pays_nothing():
    p = copy.deepcopy(TEISHI)
    p["getsugaku"] = 46690
    p["children"][0]["gaku"] = 46690
    rule_broken(FORM, p, "teishi")


def test_payments_fall_in_odd_months():
    p = copy.deepcopy(TYPICAL)
    p["shiharai"][1]["tsuki"] = "令和7年12月"
    e = rule_broken(FORM, p, "shiharai_kisu")
    assert e.path == "$.shiharai[1].tsuki"
