"""軽自動車税（種別割）納税証明書（継続検査用）: the items a 継続検査 needs, the 証明文 of the form,
the issuing system's number and the tenant's 公印, on one A5 sheet."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import lgforms

from formtest import changed, error_of, flat, missing_labels, rendered_pages, sample

FORM = "keiji_nozei_shomeisho_keizoku"
P = sample(FORM, "keizoku_yonrin")


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, P)
    assert not missing_labels(text, [
        "軽自動車税（種別割）納税証明書（継続検査用）", "氏名又は名称", "標識番号", "みどり野 580 あ 12-34", "車台番号",
        "MH55S-123456", "車種区分", "令和8年度", "税額（年額）", "¥10,800", "納付日", "令和8年5月20日", "有効期限",
        "令和9年5月31日まで", "令和8年度の軽自動車税（種別割）が納付されていることを証明します", "継続検査（車検）",
        "令和8年6月3日", "みどり野市長"])


def test_a5_landscape_with_number_and_seal():
    pdf = lgforms.render(FORM, P, issue={"number": "K-000045"})
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    w, h = float(page.mediabox.width) * 25.4 / 72, float(page.mediabox.height) * 25.4 / 72
    assert round(w) == 210 and round(h) == 148
    assert "発行番号　K-000045" in flat(page.extract_text())
    assert any(v.get_object()["/Subtype"] == "/Image" for v in page["/Resources"]["/XObject"].values())


@pytest.mark.parametrize("field", ["hyoshiki_no", "shadai_no", "nendo", "yuko_kigen", "nofu_date", "zeigaku", "name"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_the_certificate_text_is_not_a_payload_field():
    err = error_of(FORM, changed(P, lambda p: p.update(ninshobun="上記のとおり")))
    assert err.code == "PAYLOAD_INVALID" and "ninshobun" in err.message
