"""転出証明書: the 住基令 §23 items per person by their labels, 転出先 and 転出の予定年月日, a person kept on
one sheet, the 認証文 and 公印 after the last person only, and the required items."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import lgforms

from formtest import (
    assert_required, changed, dotted, error_of, flat, missing_labels, rendered_pages, rules_broken,
    sample,
)

FORM = "juki_tenshutsu_shomeisho"
P = sample(FORM, "tenshutsu_kazoku")
EDGE = sample(FORM, "tenshutsu_edge_long")
NINSHO = "上記のとおり転出の届出があったことを証明する。"


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, P, issue={"number": "T-000321"})
    assert not missing_labels(text, [
        "転出証明書", "発行番号　T-000321", "住所", "世帯主", "転出先", "転出予定年月日", "令和8年12月5日", "届出年月日",
        "令和8年11月24日", "転出をする者", "氏名の振り仮名", "カツラギ　ヨシオ", "氏名", "生年月日", "昭和37年6月21日", "性別",
        "続柄", "世帯主", "旧氏", "乙川", "旧氏の振り仮名", "オツカワ", "本籍", "筆頭者", "住民票コード", "12345678901",
        "個人番号", "202406110011", "国民健康保険", "被保険者　平成31年4月1日資格取得", "後期高齢者医療", "介護保険", "国民年金",
        "第1号被保険者", "基礎年金番号　1234-567890", "児童手当", "令和6年10月分から支給", "【氏空欄】", "以下余白",
        "転入届", NINSHO, "みどり野市長　松葉　恵子"])
    assert "葛󠄂城　義男" in text  # the IVS name as sent


def test_foreign_resident_items_replace_the_honseki_rows():
    pages = rendered_pages(FORM, EDGE)
    whole = flat("".join(pages))
    assert not missing_labels(whole, ["国籍・地域", "区分", "中長期在留者", "特別永住者", "出生による経過滞在者", "在留資格",
                                      "在留期間満了日", "令和13年3月31日", "在留期間", "在留カード等番号", "AB12345678CD",
                                      "通称　金山　永一", "本籍のない者"])
    # a Japanese resident's block has 本籍 and 筆頭者 rows, a foreign resident's has none: 7 persons, 4 Japanese
    assert whole.count("筆頭者") == 4 and whole.count("国籍・地域") == 3


def test_each_person_on_one_sheet_and_the_certification_after_the_last():
    pages = [flat(t) for t in rendered_pages(FORM, EDGE)]
    assert len(pages) == 2
    for p in EDGE["persons"]:
        assert sum(p["kojin_bango"] in t and p["juminhyo_code"] in t for t in pages) == 1, p["name"]
    assert NINSHO not in pages[0] and NINSHO in pages[1]
    assert "（前葉から続く）" in pages[1] and "1/2" in pages[0] and "2/2" in pages[1]
    reader = PdfReader(io.BytesIO(lgforms.render(FORM, EDGE)))

    def images(page):
        xo = page["/Resources"].get("/XObject", {})
        return [k for k, v in xo.items() if v.get_object()["/Subtype"] == "/Image"]

    assert [len(images(p)) for p in reader.pages] == [0, 1]  # the 公印 with the 認証文 only


@pytest.mark.parametrize("path", [("address",), ("setainushi_name",), ("tenshutsu_saki",), ("tenshutsu_yotei_date",),
                                  ("todokede_date",), ("persons",), ("issue_date",), ("persons", 0, "name"),
                                  ("persons", 0, "birth_date"), ("persons", 0, "sex"), ("persons", 0, "zokugara"),
                                  ("persons", 0, "juminhyo_code"), ("persons", 0, "kojin_bango"),
                                  ("persons", 0, "shubetsu")])
def test_a_required_item_cannot_be_left_out(path):
    assert_required(FORM, P, [dotted(path)])  # PAYLOAD_INVALID naming the field and where it is missing


def test_the_law_s_items_are_checked_across_fields():
    no_honseki = changed(P, lambda p: p["persons"][1].pop("honseki"))
    assert "nihonjin" in rules_broken(error_of(FORM, no_honseki))
    foreign_with_honseki = changed(EDGE, lambda p: p["persons"][2].update(honseki="東雲県みどり野市中央一丁目1番地"))
    assert "gaikokujin" in rules_broken(error_of(FORM, foreign_with_honseki))
    wrong_head = changed(P, lambda p: p.update(setainushi_name="乙川　太郎"))
    assert "setainushi" in rules_broken(error_of(FORM, wrong_head))
    late = changed(P, lambda p: p.update(todokede_date="2026-11-25"))
    assert "dates" in rules_broken(error_of(FORM, late))
    bad_number = changed(P, lambda p: p["persons"][0].update(kojin_bango="202406110012"))
    assert error_of(FORM, bad_number).code == "PAYLOAD_INVALID"


@pytest.mark.parametrize("key", ["issuer", "ninshobun", "issue_no"])
def test_municipality_text_and_the_issue_number_are_not_payload_fields(key):
    err = error_of(FORM, {**P, key: "x"})
    assert err.code == "PAYLOAD_INVALID" and key in err.message
