"""児童手当額改定通知書・支給事由消滅通知書: one form, `kubun` picks the title, the article and the
items; the amounts are checked against the law and each other."""

from __future__ import annotations

import copy

import pytest

import lgforms

from welfare_forms import beside, in_order, payload_invalid, rule_broken, sample, text, without

FORM = "jidoteate_gakukaitei_tsuchisho"
ZOGAKU = sample("jido", FORM, "zogaku_shusshou")
GENGAKU = sample("jido", FORM, "gengaku_3sai")
SHOMETSU = sample("jido", FORM, "shometsu_tenshutsu_15nin_edge")


def test_increase_notice_items():
    t = text(FORM, ZOGAKU)
    in_order(t, "児童手当額改定通知書", "児童手当法第９条第１項の規定により", "受給者氏名", "受給者番号", "改定の区分",
             "改定年月", "改定前の手当月額", "改定後の手当月額", "改定の理由")
    in_order(t, "増額改定", "令和8年12月分から", "25,000円", "55,000円", "第3子の出生", "異動のあった児童", "髙橋　蒼",
             "出生", "改定後の支給対象児童", "第3子以降", "30,000", "改定後の手当月額", "55,000")
    assert "支給事由消滅通知書" not in t and "東雲県知事に対して審査請求" in t
    beside(lgforms.render(FORM, ZOGAKU), [("改定年月", "令和8年12月分から"), ("改定後の手当月額", "55,000円"),
                                        ("改定前の手当月額", "25,000円")])


def test_decrease_cites_article_9_3():
    t = text(FORM, GENGAKU)
    assert "児童手当法第９条第３項の規定により" in t and "3歳到達" in t and "令和9年3月分から" in t


def test_end_notice_items():
    t = text(FORM, SHOMETSU)
    in_order(t, "児童手当支給事由消滅通知書", "児童手当法第８条第２項の規定により支給を終了する", "消滅年月日", "最終支給月",
             "消滅の理由")
    in_order(t, "令和9年1月15日", "令和9年1月分まで", "410,000円", "受給者の転出", "最後の支払月", "令和9年2月", "820,000円")
    assert "改定後の支給対象児童" not in t and "東雲県知事に対して審査請求" in t


@pytest.mark.parametrize("field", ["atena_name", "jukyusha_no", "kubun", "before_amount", "after_amount", "riyu",
                                   "ido_children", "kaitei_month", "children"])
def test_a_required_item_of_a_change_cannot_be_left_out(field):
    payload_invalid(FORM, without(ZOGAKU, field))


@pytest.mark.parametrize("field", ["shometsu_date", "saishu_month"])
def test_a_required_item_of_an_end_cannot_be_left_out(field):
    payload_invalid(FORM, without(SHOMETSU, field))


def test_an_end_pays_nothing_after():
    p = copy.deepcopy(SHOMETSU)
    p["after_amount"] = 10000
    payload_invalid(FORM, p)


def test_increase_must_increase():
    p = copy.deepcopy(GENGAKU)
    p["kubun"] = "増額改定"
    rule_broken(FORM, p, "zogaku")


def test_decrease_must_decrease():
    p = copy.deepcopy(ZOGAKU)
    p["kubun"] = "減額改定"
    rule_broken(FORM, p, "gengaku")


def test_new_amount_is_the_sum_over_the_children():
    p = copy.deepcopy(ZOGAKU)
    p["after_amount"] = 60000
    rule_broken(FORM, p, "after_sum")
