"""保護変更決定通知書: before/after per kind of assistance with the difference, the article by who asked
for the change (§25② 職権 / §24⑨ 申請), the reasons; the group's notes and 教示 (§64, §66, §69)."""

from __future__ import annotations

import copy

import pytest

from welfare_forms import in_order, payload_invalid, rule_broken, sample, text, without

FORM = "seiho_henko_kettei_tsuchisho"
SHOKKEN = sample("seiho", FORM, "shokken_shunyu")
SHINSEI = sample("seiho", FORM, "shinsei_8shurui_edge")


def test_items_ex_officio():
    t = text(FORM, SHOKKEN)
    in_order(t, "みどり野市福祉事務所長", "保護変更決定通知書", "生活保護法第25条第２項の規定により", "世帯主氏名", "ケース番号", "変更の別",
             "決定日", "変更年月日")
    in_order(t, "齋藤　美咲", "26-0145", "職権による変更", "令和8年10月23日", "令和8年11月1日", "変更前", "変更後", "増減",
             "生活扶助", "78,540", "60,210", "△18,330", "住宅扶助", "46,000", "46,000", "0", "医療扶助", "―", "現物給付")
    in_order(t, "変更前の扶助額", "変更後の扶助額", "最低生活費", "収入充当額")
    in_order(t, "128,250円", "109,920円", "194,920円", "85,000円", "変更の理由", "冬季加算")
    in_order(t, "生活保護法第61条", "東雲県知事に対して審査請求", "厚生労働大臣に対して再審査請求", "生活保護法第69条")


def test_on_application_cites_24_9_and_shows_new_assistance():
    t = text(FORM, SHINSEI)
    assert "生活保護法第24条第９項において準用する同条第３項の規定により" in t
    assert "申請による変更（申請日 令和8年11月9日）" in t
    in_order(t, "出産扶助", "―", "311,000", "＋311,000")


def test_application_needs_its_date():
    payload_invalid(FORM, without(SHINSEI, "shinsei_date"))


@pytest.mark.parametrize("field", ["case_no", "henko_kubun", "kettei_date", "henko_date", "fujo", "before_gaku", "after_gaku", "riyu"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(SHOKKEN, field))


def test_totals_add_up():
    p = copy.deepcopy(SHOKKEN)
    p["before_gaku"] = 128000
    rule_broken(FORM, p, "before_sum")
    p = copy.deepcopy(SHOKKEN)
    p["fujo"][0]["after"] = 60000
    rule_broken(FORM, p, "after_sum")
    p = copy.deepcopy(SHOKKEN)
    p["shunyu_juto"] = 80000
    rule_broken(FORM, p, "saitei")
