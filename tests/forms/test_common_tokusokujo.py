"""督促状: the article of each 税目 from the form, the 指定期限 and the 滞納処分 warning, 延滞金 rounding
(地方税法 §20の4の2), a slip per item (none at a convenience store over 30万円)."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "common_tokusokujo"
P = sample(FORM, "tokusoku_1ki")
MATOME = sample(FORM, "tokusoku_edge_matome")


def test_required_items_by_their_labels():
    notice, slip = rendered_pages(FORM, P)
    assert not missing_labels(notice, [
        "督　促　状", "督促状番号", "令和8年7月17日", "みどり野市長", "地方税法第329条第1項、第334条の規定により督促します",
        "督促する税", "税目", "年度", "期別", "納期限", "令和8年6月30日", "本税額", "延滞金", "合計", "指定期限", "令和8年7月27日",
        "納付すべき額", "¥50,500", "10日を経過した日（指定期限）までに完納されないときは", "滞納処分", "地方税法附則第3条の2",
        "発付日現在", "納付の場所", "【教示】", "地方税法第19条の4", "問い合わせ先", "納税課"])
    assert not missing_labels(slip.replace(" ", ""), ["領収証書", "納付済通知書", "市民税・県民税（普通徴収）（督促）", "令和8年度　第1期",
                                     "令和8年7月27日", "¥50,500", "コンビニ取扱期限"])


def test_each_tax_cites_its_own_article_once():
    t = flat(rendered_pages(FORM, MATOME)[0])
    assert "地方税法第329条第1項、第334条、第371条第1項、第463条の25の規定により督促します" in t
    kokuho = changed(P, lambda p: p["items"][0].update(zeimoku="国民健康保険税"))
    assert "地方税法第726条第1項の規定により" in flat(rendered_pages(FORM, kokuho)[0])


def test_totals_and_one_slip_per_item():
    texts = [flat(t) for t in rendered_pages(FORM, MATOME)]
    assert len(texts) == 3  # notice + 4 slips on 2 sheets
    total = sum(i["gokei"] for i in MATOME["items"])
    assert f"¥{total:,}" in texts[0] and "8,900" in texts[0]  # 延滞金 7,800 + 1,100
    slips = "".join(texts[1:])
    assert slips.count("領収証書") == 4
    assert slips.count("納付額が30万円を超えるため") == 1  # 法人市民税 1,257,800 only


def test_late_charge_rounding_is_checked():
    bad = changed(P, lambda p: p["items"][0].update(entaikin=900, gokei=51_400))
    assert rules_broken(error_of(FORM, bad)) == {"entaikin"}
    bad = changed(P, lambda p: p["items"][0].update(gokei=50_600))
    assert rules_broken(error_of(FORM, bad)) == {"gokei"}
    err = error_of(FORM, changed(P, lambda p: p["items"][0].update(entaikin=1050, gokei=51_550)))
    assert err.code == "PAYLOAD_INVALID"  # multipleOf 100


@pytest.mark.parametrize("field", ["shitei_kigen", "hakko_date", "items", "tsuchisho_no", "atena_name"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_the_article_is_not_a_payload_field():
    err = error_of(FORM, changed(P, lambda p: p["items"][0].update(konkyo="地方税法第1条")))
    assert err.code == "PAYLOAD_INVALID"
    err = error_of(FORM, changed(P, lambda p: p["items"][0].update(zeimoku="所得税")))
    assert err.code == "PAYLOAD_INVALID" and "zeimoku" in (err.path or "")
