"""固定資産評価証明書: land and building lines with their 価格, totals computed from the lines,
continuation sheets, the 認証文 once after 「以下余白」 on the last sheet."""

from __future__ import annotations

import pytest

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "kotei_hyokagaku_shomeisho"
P = sample(FORM, "hyoka_1hitsu_1to")
BIG = sample(FORM, "hyoka_edge_27hitsu_3to")


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, P)
    assert not missing_labels(text, [
        "固定資産評価証明書", "令和8年度", "賦課期日 令和8年1月1日", "所有者の住所", "所有者の氏名", "使用目的", "登記申請用",
        "土地", "所在・地番", "地目", "登記", "現況", "地積（㎡）", "165.28", "価格（円）", "土地の合計", "1筆", "16,280,080",
        "家屋", "家屋番号", "種類", "構造", "建築年", "平成15年", "床面積（㎡）", "家屋の合計", "1棟", "5,991,232",
        "以下余白", "固定資産課税台帳に登録されていることを証明します。", "令和8年4月6日", "みどり野市長"])


def test_totals_continuation_and_certification_on_the_last_sheet():
    t1, t2 = (flat(t) for t in rendered_pages(FORM, BIG))
    land = sum(x["kakaku"] for x in BIG["tochi"])
    assert f"27筆　{land:,}" in t1
    assert "（次葉へ続く）" in t1 and "証明します" not in t1
    assert f"3棟　{sum(x['kakaku'] for x in BIG['kaoku']):,}" in t2 and "証明します" in t2 and "未登記" in t2


def test_one_asset_at_least():
    assert rules_broken(error_of(FORM, changed(P, lambda p: (p.pop("tochi"), p.pop("kaoku"))))) == {"shisan"}


@pytest.mark.parametrize("field", ["nendo", "owner_address", "owner_name", "shomei_date"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_an_area_is_square_metres_with_two_decimals():
    err = error_of(FORM, changed(P, lambda p: p["tochi"][0].update(chiseki_genkyo="165.285")))
    assert err.code == "PAYLOAD_INVALID" and "tochi[0].chiseki_genkyo" in (err.path or "")
