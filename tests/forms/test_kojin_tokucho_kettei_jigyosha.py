"""特別徴収税額決定通知書（特別徴収義務者用）: employees continue on further sheets with a 小計
per sheet and the 合計 computed from the rows; the payments the employer makes are checked against
those sums (monthly, or twice a year under the 納期の特例)."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rule_paths, rules_broken, sample

FORM = "kojin_tokucho_kettei_jigyosha"
SMALL = sample(FORM, "tokucho_jigyosha_tokurei")
BIG = sample(FORM, "tokucho_jigyosha_edge_45nin")


def comma(n: int) -> str:
    return f"{n:,}"


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, SMALL)
    assert not missing_labels(text, [
        "特別徴収税額決定通知書（特別徴収義務者用）", "指定番号", "地方税法第41条及び第321条の4第1項", "みどり野市市税条例",
        "同法第321条の5", "5月31日までに各人に交付", "納税義務者別の特別徴収税額", "受給者番号", "氏名",
        "特別徴収税額（年額）", "市町村民税", "道府県民税", "森林環境税", "月割額", "6月分", "7月〜翌年5月",
        "合計", "納入額と納入期限（納期の特例）", "6月分〜11月分", "12月分〜5月分", "令和8年12月10日", "令和9年6月10日",
        "年間の納入額の合計", "【教示】", "地方税法第19条の12", "問い合わせ先", "（公印省略）"])


def test_totals_are_computed_from_the_employees_on_every_sheet():
    texts = [flat(t) for t in rendered_pages(FORM, BIG)]
    assert len(texts) == 2
    e = BIG["employees"]
    # the 合計 after the last employee, on the last sheet only
    total = sum(x["nenzeigaku"] for x in e)
    assert comma(total) in texts[1] and "合計" in texts[1]
    assert "（次葉へ続く）" in texts[0] and "（次葉へ続く）" not in texts[1]
    # a 小計 on each sheet: the sheet's own rows
    on_first = [x for x in e if x["name"] in texts[0] and x["name"] not in texts[1]]
    assert texts[0].count("この面の小計") == 1 and texts[1].count("この面の小計") == 1
    assert comma(sum(x["getsugaku_7"] for x in e)) in texts[1]
    assert len(on_first) >= 30
    # every employee is on some sheet, once
    assert sum(t.count("葛\U000E0102城") for t in texts) == sum("葛\U000E0102城" in x["name"] for x in e)
    assert "納税義務者　45人" in texts[1]


def test_monthly_payments_are_the_employees_sums():
    t = flat(rendered_pages(FORM, BIG)[-1])
    g6 = sum(x["getsugaku_6"] for x in BIG["employees"])
    g7 = sum(x["getsugaku_7"] for x in BIG["employees"])
    assert BIG["nonyu"][0]["amount"] == g6 and all(n["amount"] == g7 for n in BIG["nonyu"][1:])
    assert t.count(comma(g7)) >= 11
    # 10 October 2026 is a Saturday and the 12th スポーツの日: the deadline moves to the 13th
    assert "令和8年10月13日" in t and "令和9年1月12日" in t


@pytest.mark.parametrize("field", ["shitei_no", "employees", "nonyu", "noki_tokurei", "atena_name", "hakko_date"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(SMALL, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_an_employee_needs_a_name_and_amounts():
    err = error_of(FORM, changed(SMALL, lambda p: p["employees"][1].pop("getsugaku_7")))
    assert err.code == "PAYLOAD_INVALID" and "employees[1]" in (err.path or "")


def test_payments_must_match_the_employees():
    bad = changed(SMALL, lambda p: p["nonyu"][1].update(amount=p["nonyu"][1]["amount"] + 100))
    assert rules_broken(error_of(FORM, bad)) == {"nonyu_tokurei"}
    bad = changed(BIG, lambda p: p["nonyu"][5].update(amount=p["nonyu"][5]["amount"] - 100))
    assert rules_broken(error_of(FORM, bad)) == {"nonyu_monthly"}
    # 12 payments claimed under the 納期の特例
    bad = changed(BIG, lambda p: p.update(noki_tokurei=True))
    assert "nonyu_kaisu" in rules_broken(error_of(FORM, bad))


def test_each_employee_split_follows_the_law():
    bad = changed(SMALL, lambda p: p["employees"][2].update(getsugaku_6=p["employees"][2]["getsugaku_6"] + 100))
    err = error_of(FORM, bad)
    assert "getsugaku_6" in rules_broken(err) and "$.employees[2].getsugaku_6" in rule_paths(err)
