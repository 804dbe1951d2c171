"""住民票記載事項証明書: 住所 and 氏名 always, every other item only when requested (no row at all
otherwise), 【空欄】 for requested data that does not exist, the 認証文 after the last person."""

from __future__ import annotations

import pytest

from formtest import (
    assert_required, changed, dotted, error_of, flat, missing_labels, rendered_pages, rules_broken,
    sample,
)

FORM = "juki_kisai_jiko_shomeisho"
P = sample(FORM, "kisai_fuyo")
EDGE = sample(FORM, "kisai_edge_long")
NINSHO = "上記のとおり住民票に記載されていることを証明する。"
OPTIONAL_LABELS = ["氏名の振り仮名", "旧氏", "住民となった年月日", "住所を定めた年月日", "届出日", "転入前住所", "異動前住所",
                   "本籍", "筆頭者", "個人番号", "住民票コード", "国籍・地域", "在留資格"]


def test_requested_items_only():
    (text,) = rendered_pages(FORM, P, issue={"number": "K-000777"})
    assert not missing_labels(text, ["住民票記載事項証明書", "発行番号　K-000777", "住所・氏名・生年月日・性別・世帯主と続柄",
                                     "住所", P["address"], "世帯主", "氏名",
                                     "髙橋　健一", "髙橋　彩花", "生年月日", "昭和58年7月3日", "性別", "続柄", "世帯主", "妻",
                                     "以下余白", NINSHO, "令和8年11月24日", "みどり野市長　松葉　恵子"])
    for label in OPTIONAL_LABELS + ["（省略）", "【空欄】"]:
        assert label not in text, label  # not requested: no row, no mark


def test_only_name_and_address_when_nothing_else_is_requested():
    bare = changed(P, lambda p: (p.update(kisai={}), p.pop("setainushi_name"),
                                 [q.pop(k) for q in p["persons"] for k in ("birth_date", "sex", "zokugara")]))
    (text,) = rendered_pages(FORM, bare)
    assert "髙橋　健一" in text and P["address"] in text
    for label in ["世帯主", "生年月日", "性別", "続柄"]:
        assert label not in text, label


def test_everything_requested_with_blanks_marked():
    pages = [flat(t) for t in rendered_pages(FORM, EDGE)]
    whole = "".join(pages)
    assert not missing_labels(whole, OPTIONAL_LABELS + ["【空欄】", "【氏空欄】　ヨシノ", "本籍のない者", "法第30条の45に規定する区分",
                                                        "中長期在留者", "在留期間の満了の日", "在留カード等の番号", "通称　金山　永一"])
    assert len(pages) == 3 and NINSHO in pages[-1] and not any(NINSHO in t for t in pages[:-1])
    # a 特別永住者 has no 在留資格 / 在留期間 rows: the 中長期在留者's only (and the 証明事項 line)
    assert whole.count("在留資格") == 2 and whole.count("在留期間の満了の日") == 1
    assert "住所・氏名・氏名の振り仮名・旧氏・生年月日・性別・世帯主と続柄・住民となった年月日" in whole.replace(" ", "")
    for p in EDGE["persons"]:  # a person is never split between sheets
        assert sum(p["kojin_bango"] in t and p["juminhyo_code"] in t for t in pages) == 1


@pytest.mark.parametrize("path", [("address",), ("persons",), ("kisai",), ("issue_date",), ("persons", 0, "name"),
                                  ("persons", 0, "shubetsu")])
def test_a_required_item_cannot_be_left_out(path):
    assert_required(FORM, P, [dotted(path)])  # PAYLOAD_INVALID naming the field and where it is missing


@pytest.mark.parametrize("change, rule", [
    (lambda p: p["persons"][1].pop("birth_date"), "birth_date"),           # requested, missing for one person
    (lambda p: p["persons"][0].update(kojin_bango="202406110011"), "kojin_bango"),  # given, not requested: lost
    (lambda p: p["persons"][0].update(tennyu_mae_jusho="架空県かもめ市港南二丁目3番4号"), "not_requested"),
    (lambda p: p.pop("setainushi_name"), "setainushi_name"),
    (lambda p: p["persons"][0].update(honseki="東雲県みどり野市中央一丁目1番地"), "honseki"),
])
def test_a_value_that_would_not_print_or_a_missing_requested_item_is_refused(change, rule):
    assert rule in rules_broken(error_of(FORM, changed(P, change)))


@pytest.mark.parametrize("key", ["issuer", "ninshobun", "issue_no", "purpose_items"])
def test_municipality_text_and_the_issue_number_are_not_payload_fields(key):
    err = error_of(FORM, {**P, key: "x"})
    assert err.code == "PAYLOAD_INVALID" and key in err.message
