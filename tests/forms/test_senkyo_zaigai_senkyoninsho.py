"""在外選挙人証: the card's face and back at ID-1 size side by side on the sheet, the face items by their
labels, the 選挙管理委員会 as issuer (never the mayor or his seal), the holder's notes."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import lgforms
from lgforms.layout.boxes import TextLine

from formtest import changed, error_of, flat, missing_labels, rendered_pages, sample

FORM = "senkyo_zaigai_senkyoninsho"
P = sample(FORM, "zaigai_beikoku")
EDGE = sample(FORM, "zaigai_edge_long")
FACE = (19.4, 30, 85.6, 54)  # ID-1 card face on the sheet; the back is the same size to its right
BACK = (105, 30, 85.6, 54)


def test_face_and_back_by_their_labels():
    (text,) = rendered_pages(FORM, P, issue={"number": "Z-000311"})
    assert not missing_labels(text, [
        "在外選挙人証", "（表）", "（裏）", "No.Z-000311", "氏名", "葛󠄂城　健太", "生年月日", "平成5年4月1日", "性別", "住所",
        "1234 Maple Avenue", "衆議院選挙区", "東雲県第2区", "参議院選挙区", "東雲県選挙区", "名簿登録日",
        "令和8年10月1日　みどり野市の在外選挙人名簿に登録", "令和8年11月24日交付", "みどり野市選挙管理委員会委員長　青木　正",
        "投票用紙交付記録", "選挙の期日", "交付年月日", "交付の方法", "署名", "有効期限はありません", "在外選挙人証記載事項変更届出書",
        "4か月", "みどり野市選挙管理委員会　電話"])
    assert "みどり野市長" not in text
    page = PdfReader(io.BytesIO(lgforms.render(FORM, P))).pages[0]
    assert not [k for k, v in page["/Resources"].get("/XObject", {}).items() if v.get_object()["/Subtype"] == "/Image"]


def _inside(box, area, tol=0.01):
    x, y, w, h = box
    ax, ay, aw, ah = area
    return x >= ax - tol and y >= ay - tol and x + w <= ax + aw + tol and y + h <= ay + ah + tol


def test_every_value_of_the_card_is_on_its_face():
    for p in (P, EDGE):
        doc = lgforms.layout(FORM, p, issue={"number": "Z-000311"})
        lines = [it for it in doc.pages[0].items if isinstance(it, TextLine) and it.path]
        assert lines
        for it in lines:
            assert _inside(it.box, FACE), (it.path, it.box)
        labels = [it for it in doc.pages[0].items if isinstance(it, TextLine) and it.text in ("選挙の期日", "署名")]
        assert labels and all(_inside(it.box, BACK) for it in labels)


@pytest.mark.parametrize("field", ["name", "birth_date", "sex", "address", "shugiin_senkyoku", "sangiin_senkyoku",
                                   "toroku_date", "issue_date"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_the_longest_values_fit_the_card():
    (text,) = rendered_pages(FORM, EDGE)
    assert EDGE["name"] in flat(text) and "昭和元年12月25日" in text


@pytest.mark.parametrize("key", ["issuer", "yuko_kigen"])
def test_the_committee_s_text_is_not_a_payload_field(key):
    err = error_of(FORM, {**P, key: "x"})
    assert err.code == "PAYLOAD_INVALID" and key in err.message
