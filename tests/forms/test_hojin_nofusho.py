"""法人市町村民税 納付書: 法人税割・均等割・延滞金 and their total above a 3-part slip; the 法人番号's
check digit; no convenience-store code over 30万円."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "hojin_nofusho"
P = sample(FORM, "nofusho_yotei")
BIG = sample(FORM, "nofusho_edge_chukan")


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, P)
    assert not missing_labels(text, [
        "法人市町村民税", "納付書（予定申告）", "法人番号", "2000012345678", "管理番号", "所在地", "法人名", "事業年度",
        "申告区分", "納期限", "令和8年11月30日", "法人税割額（円）", "617,200", "均等割額（円）", "65,000", "延滞金（円）",
        "合計額（円）", "682,200", "領収証書", "納付済通知書", "令和9年3月期　予定申告", "¥682,200", "納付の場所",
        "30万円を超える納付書はコンビニエンスストアでは使えません"])


def test_over_300000_yen_no_convenience_store_code():
    t = flat(rendered_pages(FORM, BIG)[0])
    assert "納付額が30万円を超えるため" in t and "¥4,425,900" in t


def test_total_and_late_charge():
    with_charge = changed(P, lambda p: p.update(entaikin=1_200, gokei=683_400))
    assert "1,200" in flat(rendered_pages(FORM, with_charge)[0])
    assert rules_broken(error_of(FORM, changed(P, lambda p: p.update(gokei=682_300)))) == {"gokei"}
    assert rules_broken(error_of(FORM, changed(P, lambda p: p.update(entaikin=1_200)))) == {"gokei"}


def test_corporate_number_check_digit():
    err = error_of(FORM, changed(P, lambda p: p.update(hojin_bango="3000012345678")))
    assert err.code in ("PAYLOAD_INVALID", "VALUE_INVALID") and "hojin_bango" in (err.path or "")


@pytest.mark.parametrize("field", ["hojin_bango", "kanri_no", "shinkoku_kubun", "nokigen", "hojinzeiwari", "kintowari", "gokei"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message
