"""保育所等利用調整結果通知書: 承諾 names the facility and the start, 保留 names the dates and the reason
(the notice extends 育児休業給付); 教示 to the mayor."""

from __future__ import annotations

import copy

import pytest

from welfare_forms import in_order, payload_invalid, rule_broken, sample, text, without

FORM = "kosodate_riyo_chosei_kekka"
SHODAKU = sample("kosodate", FORM, "shodaku")
HORYU = sample("kosodate", FORM, "horyu_10shisetsu_edge")


def test_accepted():
    t = text(FORM, SHODAKU)
    in_order(t, "保育所等利用承諾通知書", "児童福祉法第24条第３項の規定により利用調整を行った結果", "保護者氏名", "子どもの氏名",
             "認定区分", "保育必要量", "利用申込日", "利用希望日")
    in_order(t, "利用を希望した施設", "第1希望", "みどり野市立若葉保育所", "第3希望", "小規模保育事業所 ひだまり", "利用調整の結果",
             "利用を承諾します", "東雲台こども園（保育所部分）", "令和8年4月1日")
    assert "保留" not in t and "みどり野市長に対して審査請求" in t


def test_on_hold_states_dates_and_reason():
    t = text(FORM, HORYU)
    in_order(t, "保育所等利用保留通知書", "利用の承諾を保留した")
    in_order(t, "令和7年11月28日", "令和8年4月1日", "第10希望", "令和8年4月1日からの利用の承諾を保留します", "1歳児クラスの利用定員に空きがなく",
             "令和9年3月31日まで有効", "育児休業給付金")
    assert "利用を承諾します" not in t


def test_on_hold_needs_a_reason_and_no_facility():
    payload_invalid(FORM, without(HORYU, "horyu_riyu"))
    p = copy.deepcopy(HORYU)
    p["shisetsu_name"] = "東雲台こども園"
    payload_invalid(FORM, p)


@pytest.mark.parametrize("field", ["shisetsu_name", "riyo_kaishi", "moshikomi_date", "kibo_date", "kibo_shisetsu", "kekka",
                                   "child_name", "nintei_kubun"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(SHODAKU, field))


def test_ranks_are_in_order_without_gaps():
    p = copy.deepcopy(SHODAKU)
    p["kibo_shisetsu"][2]["juni"] = 4
    rule_broken(FORM, p, "juni")
    p["kibo_shisetsu"][2]["juni"] = 2
    rule_broken(FORM, p, "juni")
