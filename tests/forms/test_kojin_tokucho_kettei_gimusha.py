"""特別徴収税額決定通知書（納税義務者用）: the items the law requires, the monthly amounts by
地方税法 §321の5①, and payloads that must be refused."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "kojin_tokucho_kettei_gimusha"
P = sample(FORM, "tokucho_gimusha")


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, P)  # one A4 sheet
    assert not missing_labels(text, [
        "令和8年度", "特別徴収税額決定通知書（納税義務者用）", "地方税法第41条及び第321条の4", "みどり野市市税条例",
        "特別徴収義務者を経由して通知します", "指定番号", "特別徴収義務者（給与支払者）", "受給者番号",
        "所得の内訳", "総所得金額等", "所得控除の内訳", "所得控除合計", "税額の計算", "課税標準額", "税率（所得割）",
        "算出税額", "調整控除額", "所得割額", "均等割額", "森林環境税（国税）", "特別徴収税額（年額）",
        "月別の特別徴収税額", "6月分", "7月分", "11月分", "12月分", "5月分", "年額", "地方税法第321条の5第1項",
        "【教示】", "審査請求", "地方税法第19条の12", "問い合わせ先", "みどり野市役所 税務課",
        "みどり野市長", "（公印省略）"])


def test_monthly_amounts_and_their_total():
    t = flat(rendered_pages(FORM, P)[0])
    assert P["getsugaku_6"] == 15_700 and P["getsugaku_7"] == 14_900 and P["nenzeigaku"] == 179_600
    assert t.count("14,900") == 11 and "15,700" in t
    assert t.count("179,600") == 2  # 年税額 in the calculation and the 12 months' total


@pytest.mark.parametrize("field", ["shitei_no", "gimusha_name", "getsugaku_6", "getsugaku_7", "kazei_hyojun", "sotoku",
                                   "atena_name", "hakko_date"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_monthly_split_must_follow_the_law():
    # the fraction belongs to June, the other months are the 1/12 rounded down to 100 yen
    bad = changed(P, lambda p: p.update(getsugaku_6=15_600))
    assert rules_broken(error_of(FORM, bad)) == {"getsugaku_6"}
    bad = changed(P, lambda p: p.update(getsugaku_7=15_000, getsugaku_6=179_600 - 11 * 15_000))
    assert "getsugaku_7" in rules_broken(error_of(FORM, bad))


def test_tax_arithmetic_is_checked():
    assert "nenzeigaku" in rules_broken(error_of(FORM, changed(P, lambda p: p.update(nenzeigaku=180_000))))
    bad = changed(P, lambda p: p["shi"].update(shotokuwari=104_900))
    assert rules_broken(error_of(FORM, bad)) >= {"shotokuwari", "nenzeigaku"}
    assert "kazei_hyojun" in rules_broken(error_of(FORM, changed(P, lambda p: p.update(sotoku=3_800_000))))


def test_edge_sample_fits_one_sheet_with_the_longest_values():
    e = sample(FORM, "tokucho_gimusha_edge")
    texts = rendered_pages(FORM, e)
    assert len(texts) == 1
    t = flat(texts[0])
    assert "𠮷田" in t and e["gimusha_name"] in t
