"""法人市町村民税 申告のお知らせ: the 申告期限, the 予定申告 amounts the law fixes from the previous
year (§321の8②), the 均等割 rate against §312, the 法人番号's check digit."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "hojin_shinkokusho_annai"
YOTEI = sample(FORM, "annai_yotei")
KAKUTEI = sample(FORM, "annai_edge_kakutei")


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, YOTEI)
    assert not missing_labels(text, [
        "法人市町村民税", "予定申告書の送付について", "地方税法第321条の8第2項", "法人番号", "2000012345678", "管理番号",
        "事業年度", "令和8年4月1日〜令和9年3月31日", "申告区分", "予定申告", "算定期間", "令和8年9月30日",
        "申告期限（納期限）", "令和8年11月30日", "均等割の税率", "資本金等の額", "30,000,000円", "12人", "130,000円",
        "前事業年度の法人税割額 1,234,500円 × 6 ÷ 12", "617,200", "65,000", "納付すべき税額", "682,200",
        "第20号様式", "第20号の3様式", "第22号の2様式", "eLTAX", "eL-QR", "問い合わせ先", "市民税係（法人）"])
    (k,) = rendered_pages(FORM, KAKUTEI)
    assert "申告のお知らせ" in flat(k) and "予定申告の税額" not in flat(k) and "令和8年6月1日" in flat(k)


def test_provisional_amounts_follow_the_law():
    def broken(change):
        return rules_broken(error_of(FORM, changed(YOTEI, change)))

    assert broken(lambda p: p["yotei"].update(hojinzeiwari=617_300, gokei=682_300)) == {"yotei_hojinzeiwari"}
    assert broken(lambda p: p["yotei"].update(kintowari=130_000, gokei=747_200)) == {"yotei_kintowari"}
    assert broken(lambda p: p["yotei"].update(gokei=682_000)) == {"yotei_gokei"}
    assert "yotei" in broken(lambda p: p.update(shinkoku_kubun="確定申告"))
    assert "yotei" in rules_broken(error_of(FORM, changed(KAKUTEI, lambda p: p.update(shinkoku_kubun="予定申告",
                                                                                          santei_kikan_to="2025-09-30"))))


def test_per_capita_rate_is_within_the_standard_and_the_limit():
    ok = changed(YOTEI, lambda p: (p.update(kintowari_nengaku=156_000), p["yotei"].update(kintowari=78_000, gokei=695_200)))
    assert rendered_pages(FORM, ok)  # 1.2 × 130,000: the 制限税率 is allowed
    bad = changed(YOTEI, lambda p: (p.update(kintowari_nengaku=160_000), p["yotei"].update(kintowari=80_000, gokei=697_200)))
    assert rules_broken(error_of(FORM, bad)) == {"kintowari_nengaku"}
    assert rules_broken(error_of(FORM, changed(KAKUTEI, lambda p: p.update(jugyoshasu=50)))) == {"kintowari_nengaku"}


def test_corporate_number_check_digit():
    err = error_of(FORM, changed(YOTEI, lambda p: p.update(hojin_bango="1000012345678")))
    assert err.code in ("PAYLOAD_INVALID", "VALUE_INVALID") and "hojin_bango" in (err.path or "")


@pytest.mark.parametrize("field", ["hojin_bango", "kanri_no", "jigyo_nendo_from", "jigyo_nendo_to", "shinkoku_kubun",
                                   "shinkoku_kigen", "kintowari_nengaku"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(YOTEI, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message
