"""届出受理証明書: the 附録第20号書式 items by their labels (届出事件, 事件本人 with 本籍 or 国籍, 届出人, 届出
and 受理の年月日), 和暦 only, the 認証文 and 職印 from the form and the tenant, required items and dates."""

from __future__ import annotations

import pytest

from formtest import (
    assert_required, changed, dotted, error_of, missing_labels, rendered_pages, rules_broken, sample,
)

FORM = "koseki_juri_shomeisho"
P = sample(FORM, "juri_kon_in")
EDGE = sample(FORM, "juri_edge_long")
NINSHO = "上記の届出を受理したことを証明する。"


def test_items_by_their_labels():
    (text,) = rendered_pages(FORM, P, issue={"number": "J-0005"})
    assert not missing_labels(text, [
        "受理証明書", "発行番号　J-0005", "届出事件", "婚姻届", "届出事件の本人", "区分", "夫", "妻", "氏名", "葛󠄂城　健太",
        "生年月日", "平成5年4月1日", "本籍（筆頭者）又は国籍", "東雲県みどり野市若葉町三丁目12番地", "国籍　アメリカ合衆国", "届出人",
        "資格", "届出の年月日", "令和8年11月20日", "受理の年月日", "受付番号", "第1234号", NINSHO, "令和8年11月24日",
        "みどり野市長　松葉　恵子"])
    assert "1993" not in text and "2026" not in text  # 和暦 only


def test_the_longest_values_fit_on_one_sheet():
    pages = rendered_pages(FORM, EDGE)
    assert len(pages) == 1 and not missing_labels(pages[0], ["養父", "養母", "養子", "養子の法定代理人（親権者父）",
                                                             "令和8年12月21日", "第999999号", NINSHO])


@pytest.mark.parametrize("path", [("todoke_jiken",), ("jiken_honnin",), ("todokenin",), ("todokede_date",), ("juri_date",),
                                  ("issue_date",), ("jiken_honnin", 0, "shimei"), ("jiken_honnin", 0, "shikaku"),
                                  ("todokenin", 0, "shimei"), ("todokenin", 0, "shikaku")])
def test_a_required_item_cannot_be_left_out(path):
    assert_required(FORM, P, [dotted(path)])  # PAYLOAD_INVALID naming the field and where it is missing


@pytest.mark.parametrize("change, rule", [
    (lambda p: p.update(juri_date="2026-11-19"), "dates"),                     # accepted before it was filed
    (lambda p: p.update(issue_date="2026-11-19"), "dates"),                    # certified before it was accepted
    (lambda p: p["jiken_honnin"][1].update(honseki="東雲県みどり野市中央一丁目1番地"), "honseki_kokuseki"),
    (lambda p: p["jiken_honnin"][0].pop("honseki"), "honseki_kokuseki"),
])
def test_rules(change, rule):
    assert rule in rules_broken(error_of(FORM, changed(P, change)))


@pytest.mark.parametrize("key", ["issuer", "ninshobun"])
def test_the_issuer_and_the_certification_are_not_payload_fields(key):
    err = error_of(FORM, {**P, key: "x"})
    assert err.code == "PAYLOAD_INVALID" and key in err.message
