"""保護開始決定通知書: issued by the 福祉事務所長; 保護の種類・程度・方法, 開始年月日, the amounts that add up,
the reasons (生活保護法 §24④); 教示 to the governor with 再審査請求 and the suit only after the 裁決 (§69)."""

from __future__ import annotations

import copy

import pytest

import lgforms

from welfare_forms import beside, in_order, payload_invalid, rule_broken, sample, text, without

FORM = "seiho_kaishi_kettei_tsuchisho"
TYPICAL = sample("seiho", FORM, "boshi_2nin")
EDGE = sample("seiho", FORM, "setai_10nin_edge")


def test_items():
    t = text(FORM, TYPICAL)
    in_order(t, "みどり野市福祉事務所長　森下　浩二", "保護開始決定通知書", "生活保護法第24条第３項の規定により",
             "世帯主氏名", "ケース番号", "申請日", "決定日", "保護開始年月日")
    in_order(t, "齋藤　美咲", "26-0145", "令和8年3月2日", "令和8年3月12日", "令和8年3月2日", "保護を受ける世帯員", "齋藤　湊", "長男",
             "保護の種類・程度・方法", "生活扶助", "78,540", "金銭給付", "住宅扶助", "46,000", "医療扶助", "―", "現物給付",
             "医療券・調剤券により給付")
    in_order(t, "最低生活費", "収入充当額", "扶助額（月額）", "支給方法", "定例の支給日")
    in_order(t, "188,250円", "60,000円", "128,250円", "口座振込", "毎月5日", "決定の理由", "最低生活費に満たない")
    assert "みどり野市長　松葉" not in t  # the issuer is the 福祉事務所長, not the mayor
    beside(lgforms.render(FORM, TYPICAL), [("保護開始年月日", "令和8年3月2日"), ("扶助額（月額）", "128,250円"), ("支給方法", "口座振込")])


def test_kyoji_is_the_welfare_one():
    t = text(FORM, TYPICAL)
    in_order(t, "東雲県知事に対して審査請求", "厚生労働大臣に対して再審査請求", "裁決を経た後でなければ提起することができません（生活保護法第69条）",
             "みどり野市を被告として")
    assert "生活保護法第61条" in t and "同法第78条" in t  # the group's notes block


def test_late_decision_states_why():
    t = text(FORM, EDGE)
    assert "（申請から14日を超えて決定した理由）扶養義務者の資産及び収入の状況の調査に日時を要した" in t
    assert "（申請から14日を超えて決定した理由）" not in text(FORM, TYPICAL)


@pytest.mark.parametrize("field", ["case_no", "shinsei_date", "kettei_date", "kaishi_date", "members", "fujo", "saitei_seikatsuhi",
                                   "shunyu_juto", "shikyu_gaku", "shikyu_hoho", "riyu", "atena_name"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(TYPICAL, field))


def test_amounts_add_up():
    p = copy.deepcopy(TYPICAL)
    p["shunyu_juto"] = 50000
    rule_broken(FORM, p, "shikyu_gaku")
    p = copy.deepcopy(TYPICAL)
    p["fujo"][1]["teido"] = 47000
    rule_broken(FORM, p, "kinsen_sum")


def test_cash_assistance_has_an_amount():
    p = copy.deepcopy(TYPICAL)
    del p["fujo"][2]["teido"]
    rule_broken(FORM, p, "kinsen_teido")


def test_an_unknown_kind_of_assistance_is_refused():
    p = copy.deepcopy(TYPICAL)
    p["fujo"][0]["shurui"] = "冬季加算"  # an addition to 生活扶助, not a kind of assistance (§11)
    payload_invalid(FORM, p)
