"""選挙人名簿登録証明書: issued by the 選挙管理委員会委員長 (tenant issuers.senkyo), never with the mayor's
公印; the person as on the 名簿; the 7-year validity and the return duty; the empty 交付の記録 rows."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import lgforms

from formtest import changed, error_of, flat, missing_labels, rendered_pages, sample

FORM = "senkyo_meibo_toroku_shomeisho"
P = sample(FORM, "senin")
EDGE = sample(FORM, "senin_edge_long")


def test_items_by_their_labels_and_the_issuer_is_the_committee():
    (text,) = rendered_pages(FORM, P, issue={"number": "S-000017"})
    assert not missing_labels(text, [
        "選挙人名簿登録証明書", "発行番号　S-000017", "住所", "東雲県みどり野市若葉町三丁目12番5号", "氏名", "葛󠄂城　健太",
        "生年月日", "平成5年4月1日", "性別", "投票区", "第3投票区", "名簿登録年月日", "平成23年6月1日",
        "上記の者は、みどり野市の選挙人名簿に登録されている者であることを証明する。", "令和8年11月24日",
        "みどり野市選挙管理委員会委員長　青木　正", "７年間有効", "船員手帳", "返してください", "投票用紙等交付の記録",
        "選挙の種類", "選挙の期日", "交付年月日", "交付した選挙管理委員会"])
    assert "みどり野市長" not in text and "松葉" not in text


def test_the_mayor_s_seal_is_not_printed():
    page = PdfReader(io.BytesIO(lgforms.render(FORM, P))).pages[0]
    xo = page["/Resources"].get("/XObject", {})
    assert not [k for k, v in xo.items() if v.get_object()["/Subtype"] == "/Image"]


def test_optional_rows_collapse():
    (text,) = rendered_pages(FORM, EDGE)
    assert "投票区" not in text and "名簿登録年月日" not in text and EDGE["name"] in flat(text)


@pytest.mark.parametrize("field", ["name", "birth_date", "sex", "address", "issue_date"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


@pytest.mark.parametrize("key", ["issuer", "ninshobun", "yuko_kigen"])
def test_the_committee_s_text_is_not_a_payload_field(key):
    err = error_of(FORM, {**P, key: "x"})
    assert err.code == "PAYLOAD_INVALID" and key in err.message
