"""教育・保育給付認定通知書: category, 保育必要量 and reason only for 保育 (2号・3号), validity, 教示 to
the mayor (a 自治事務 with no special appeal rule)."""

from __future__ import annotations

import copy

import pytest

import lgforms

from welfare_forms import beside, in_order, payload_invalid, sample, text, without

FORM = "kosodate_kyoiku_hoiku_nintei_tsuchisho"
SANGO = sample("kosodate", FORM, "3go_hyojun")
ICHIGO = sample("kosodate", FORM, "1go_kyoiku")


def test_items_of_a_care_certification():
    t = text(FORM, SANGO)
    in_order(t, "教育・保育給付認定通知書", "子ども・子育て支援法第20条第４項の規定により", "保護者氏名", "認定番号", "子どもの氏名",
             "生年月日", "申請日", "認定日", "認定区分", "保育必要量", "保育を必要とする事由", "認定の有効期間")
    assert "髙橋　𠮷乃" in t
    in_order(t, "髙橋　健一", "H26-001204", "たかはし　よしの", "令和7年6月14日", "令和7年11月10日", "令和8年2月6日",
             "3号認定（保育認定・満３歳未満）", "保育標準時間（１日当たり最長11時間）", "就労（月120時間以上）",
             "令和8年4月1日から令和10年6月13日まで")
    assert "みどり野市長に対して審査請求" in t
    beside(lgforms.render(FORM, SANGO), [("認定区分", "3号認定"), ("保育必要量", "保育標準時間"), ("認定番号", "H26-001204")])


def test_education_only_has_no_care_hours_or_reason():
    t = text(FORM, ICHIGO)
    assert "1号認定（教育標準時間認定・満３歳以上）" in t and t.count("―（1号認定）") == 2
    p = copy.deepcopy(ICHIGO)
    p["hitsuyoryo"] = "保育短時間"
    payload_invalid(FORM, p)


@pytest.mark.parametrize("field", ["hitsuyoryo", "jiyu"])
def test_care_needs_hours_and_reason(field):
    payload_invalid(FORM, without(SANGO, field))


@pytest.mark.parametrize("field", ["atena_name", "nintei_no", "child_name", "child_birth_date", "shinsei_date", "nintei_date",
                                   "nintei_kubun", "kikan_start", "kikan_end"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(SANGO, field))


def test_unknown_category_is_refused():
    p = copy.deepcopy(SANGO)
    p["nintei_kubun"] = "新2号認定"  # 施設等利用給付認定 is another notice
    payload_invalid(FORM, p)
