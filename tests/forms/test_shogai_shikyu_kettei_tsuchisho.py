"""介護給付費等支給決定通知書: 支給量 and period per service, 障害支援区分, 利用者負担上限月額 by income
band; 教示 to the governor (障害者総合支援法 §97) with the suit after the 裁決."""

from __future__ import annotations

import copy

import pytest

import lgforms

from welfare_forms import beside, in_order, payload_invalid, rule_broken, sample, text, without

FORM = "shogai_shikyu_kettei_tsuchisho"
TYPICAL = sample("shogai", FORM, "kubun3_3service")


def test_items():
    t = text(FORM, TYPICAL)
    in_order(t, "介護給付費等支給決定通知書", "第22条の規定により", "氏名", "受給者証番号", "生年月日", "障害支援区分", "居住地",
             "申請日", "支給決定日", "区分の有効期間")
    in_order(t, "たかはし　よしの", "9920110123", "髙橋　𠮷乃", "平成10年7月7日", "区分3", "令和8年2月2日", "令和8年3月19日",
             "令和8年4月1日〜令和11年3月31日", "支給決定の内容", "居宅介護（身体介護）", "30時間/月", "令和8年4月1日〜令和9年3月31日",
             "生活介護", "当該月の日数から8日を控除した日数/月", "短期入所", "7日/月")
    in_order(t, "利用者負担上限月額", "所得区分", "上限月額の適用期間", "上限額管理事業所")
    in_order(t, "9,300円", "一般1", "令和8年4月1日〜令和8年6月30日", "みどり野ワークセンター", "受給者証を同封")
    beside(lgforms.render(FORM, TYPICAL), [("利用者負担上限月額", "9,300円"), ("障害支援区分", "区分3")])


def test_kyoji_governor_and_section_105():
    t = text(FORM, TYPICAL)
    in_order(t, "東雲県知事に対して審査請求", "裁決を経た後でなければ提起することができません（障害者の日常生活及び社会生活を総合的に支援するための法律第105条）")
    assert "再審査請求" not in t and "みどり野市長に対して審査請求" not in t


@pytest.mark.parametrize("field", ["jukyushasho_no", "name", "birth_date", "kyojuchi", "shien_kubun", "services", "shotoku_kubun",
                                   "jogen_gaku", "jogen_start", "jogen_end", "kettei_date", "services.0.shikyuryo"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(TYPICAL, field))


def test_cap_follows_the_income_band():
    p = copy.deepcopy(TYPICAL)
    p["shotoku_kubun"] = "一般2"  # 37,200円
    rule_broken(FORM, p, "jogen")
    p["jogen_gaku"] = 4600  # the children's 一般1 cap is not one of an adult's
    payload_invalid(FORM, p)


def test_at_most_eight_services():
    p = copy.deepcopy(sample("shogai", FORM, "kubun6_8service_edge"))
    p["services"].append(p["services"][0])
    payload_invalid(FORM, p)
