"""戸籍の附票の写し: §17 items by their labels, 本籍・筆頭者 and the 在外選挙人 registration only when
requested (令和4年1月11日), 生年月日・性別 except for persons removed before then, the 住所 history that
continues on further sheets naming the person, 和暦 only, the 認証文 after the last entry."""

from __future__ import annotations

import pytest

from formtest import (
    assert_required, changed, dotted, error_of, flat, missing_labels, rendered_pages, rules_broken,
    sample,
)

FORM = "fuhyo_utsushi"
P = sample(FORM, "fuhyo_kazoku")
EDGE = sample(FORM, "fuhyo_edge_long")
NINSHO = "この写しは、戸籍の附票の原本と相違ないことを証明する。"


def test_items_by_their_labels():
    (text,) = rendered_pages(FORM, P, issue={"number": "F-000042"})
    assert not missing_labels(text, [
        "戸籍の附票の写し", "発行番号　F-000042", "本籍", "東雲県みどり野市若葉町三丁目12番地", "筆頭者氏名", "葛󠄂城　義男",
        "氏名", "生年月日", "昭和37年6月21日", "性別", "住所", "住所を定めた年月日", "平成21年3月20日", "国外転出",
        "令和6年9月1日", "葛󠄂城　美咲　（除籍）", "以下余白", NINSHO, "令和8年11月24日", "みどり野市長　松葉　恵子"])
    assert "昭和39年3月3日" in text and "1964" not in text  # an ISO date prints in 和暦 only
    for label in ("在外選挙人名簿", "住民票コード", "（省略）"):
        assert label not in text, label  # not requested


def test_honseki_and_hittousha_are_left_out_unless_requested():
    p = changed(P, lambda p: (p.pop("honseki"), p.pop("hittousha"), p.update(kisai={})))
    (text,) = rendered_pages(FORM, p)
    assert flat(text).count("（省略）") == 2 and "若葉町三丁目12番地" not in text.replace("若葉町三丁目12番5号", "")


def test_requested_rows_long_history_and_continuation():
    pages = [flat(t) for t in rendered_pages(FORM, EDGE)]
    whole = "".join(pages)
    assert not missing_labels(whole, ["在外選挙人名簿", "東雲県みどり野市の在外選挙人名簿に登録", "住民票コード", "98765432101",
                                      "【空欄】", "昭和元年12月25日", "国外転出"])
    assert len(pages) >= 3
    # the history of the first person continues on the next sheet under a header that names him
    assert "（次葉へ続く）" in pages[0] and f"住所（{EDGE['persons'][0]['shimei']}）" in pages[1]
    assert NINSHO in pages[-1] and not any(NINSHO in t for t in pages[:-1])
    # every address and date of the 40-entry history is printed once, in order
    at = 0
    for e in EDGE["persons"][0]["jusho_rireki"][:-1]:
        found = whole.find(e["jusho"][:30], at)
        assert found >= 0, e
        at = found


@pytest.mark.parametrize("path", [("persons",), ("kisai",), ("issue_date",), ("persons", 0, "shimei"),
                                  ("persons", 0, "jusho_rireki"), ("persons", 0, "jusho_rireki", 0, "teimei_date")])
def test_a_required_item_cannot_be_left_out(path):
    assert_required(FORM, P, [dotted(path)])  # PAYLOAD_INVALID naming the field and where it is missing


@pytest.mark.parametrize("change, rule", [
    (lambda p: p["persons"][0].pop("birth_date"), "birth_sex"),            # recorded since 令和4年 unless removed before
    (lambda p: p.update(kisai={}), "honseki"),                              # given but not requested: would be lost
    (lambda p: p["persons"][0]["jusho_rireki"][0].update(kokugai_tenshutsu=True), "jusho"),
    (lambda p: p["persons"][0]["jusho_rireki"].reverse(), "jusho_order"),
    (lambda p: p["persons"][0].update(zaigai_senkyo="東雲県みどり野市"), "zaigai_senkyo"),
])
def test_rules(change, rule):
    assert rule in rules_broken(error_of(FORM, changed(P, change)))


def test_a_person_removed_before_2022_has_no_birth_date_or_sex():
    pages = [flat(t) for t in rendered_pages(FORM, EDGE)]
    assert any("葛󠄂城長谷川　邉太　（除籍）" in t for t in pages)
