"""軽自動車税（種別割）納税通知書: the 納税通知書 items (地方税法 §1①六), each vehicle's rate class
from its 初度検査年月 and the 年度 (標準・旧税率・重課・軽課), the law's rates, the 納付書."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rule_paths, rules_broken, sample

FORM = "keiji_nozei_tsuchisho"
P = sample(FORM, "keiji_2dai")
BIG = sample(FORM, "keiji_edge_43dai")


def test_required_items_by_their_labels():
    notice, slip = rendered_pages(FORM, P)
    assert not missing_labels(notice, [
        "令和8年度", "軽自動車税（種別割）納税通知書", "4月1日（賦課期日）", "地方税法第3章第3節", "みどり野市市税条例",
        "課税車両の明細", "標識番号", "車種区分", "初度検査年月", "令和元年9月", "税率区分", "税率（年額・円）", "税額（円）",
        "合計", "2台", "12,800", "重課：初度検査から13年を経過", "平成25年3月以前", "納期限", "令和8年6月1日", "納付額",
        "【納付について】", "納付の場所", "督促状", "延滞金", "滞納処分", "【教示】", "問い合わせ先", "諸税係"])
    assert not missing_labels(slip, ["領収証書", "納付済通知書", "納付書", "軽自動車税（種別割）", "令和8年度　全期", "¥12,800"])


def test_every_rate_class_prints_and_the_total_is_computed():
    texts = [flat(t) for t in rendered_pages(FORM, BIG)]
    assert len(texts) == 3  # the table continues; the slip on its own sheet
    all_text = "".join(texts)
    for kubun in ("標準", "旧税率", "重課", "軽課"):
        assert kubun in all_text
    assert "（次葉へ続く）" in texts[0] and "43台" in texts[1] and "188,900" in texts[1]


def test_the_rate_class_follows_the_first_inspection():
    # a 四輪乗用 first inspected in 平成25年3月 is 13 years old in 令和8年度: 重課, not 旧税率
    bad = changed(BIG, lambda p: p["vehicles"][1].update(zeiritsu_kubun="旧税率"))
    err = error_of(FORM, bad)
    assert rules_broken(err) == {"zeiritsu_kubun", "zeigaku"} and "$.vehicles[1].zeiritsu_kubun" in rule_paths(err)
    # 平成25年4月 is not yet
    bad = changed(BIG, lambda p: p["vehicles"][2].update(zeiritsu_kubun="重課"))
    assert rules_broken(error_of(FORM, bad)) == {"zeiritsu_kubun", "zeigaku"}


def test_the_laws_rates_and_the_total():
    bad = changed(P, lambda p: (p["vehicles"][0].update(zeigaku=10_000), p.update(nenzeigaku=12_000)))
    assert rules_broken(error_of(FORM, bad)) == {"zeigaku"}
    assert rules_broken(error_of(FORM, changed(P, lambda p: p.update(nenzeigaku=12_900)))) == {"nenzeigaku"}


def test_green_reduction_only_for_the_previous_years_vehicles():
    bad = changed(P, lambda p: (p["vehicles"][0].update(zeiritsu_kubun="軽課", zeigaku=2700),
                                p.update(nenzeigaku=4700)))
    assert "keika" in rules_broken(error_of(FORM, bad))


def test_three_and_four_wheels_need_their_class():
    bad = changed(P, lambda p: p["vehicles"][0].pop("zeiritsu_kubun"))
    assert "sanrin_yonrin" in rules_broken(error_of(FORM, bad))
    bad = changed(P, lambda p: p["vehicles"][1].update(zeiritsu_kubun="標準"))
    assert "sanrin_yonrin" in rules_broken(error_of(FORM, bad))


@pytest.mark.parametrize("field", ["vehicles", "nenzeigaku", "nokigen", "atena_address", "tsuchisho_no"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_an_unknown_vehicle_class_is_refused():
    err = error_of(FORM, changed(P, lambda p: p["vehicles"][0].update(shashu="普通自動車")))
    assert err.code == "PAYLOAD_INVALID" and "vehicles[0].shashu" in (err.path or "")
