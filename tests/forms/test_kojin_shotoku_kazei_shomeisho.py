"""所得・課税証明書: the certificate's items by their labels, the issuing system's 発行番号, the
認証文 and 公印 from the form and the tenant, the tax arithmetic checked."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

import lgforms

from formtest import changed, error_of, flat, missing_labels, rendered_pages, rules_broken, sample

FORM = "kojin_shotoku_kazei_shomeisho"
P = sample(FORM, "shotoku_kazei")
EDGE = sample(FORM, "shotoku_kazei_edge")


def test_required_items_by_their_labels():
    (text,) = rendered_pages(FORM, P)
    assert not missing_labels(text, [
        "所得・課税証明書", "令和8年度", "市民税・県民税", "令和7年分の所得", "住所（1月1日現在）", "昭和58年7月3日",
        "所得の内訳", "給与収入", "給与所得", "総所得金額等", "所得控除の内訳", "所得控除合計", "1,030,000",
        "合計所得金額", "控除対象配偶者", "扶養親族の数", "年少（16歳未満）", "税額の計算", "課税標準額", "所得割額",
        "均等割額", "森林環境税（国税）", "年税額", "191,500", "以下余白", "上記のとおり証明します。", "令和8年7月1日",
        "みどり野市長"])


def test_issue_number_from_the_issuing_system_and_the_seal():
    pdf = lgforms.render(FORM, P, issue={"number": "R8-000123"})
    assert "発行番号　R8-000123" in flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    xo = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"]
    assert any(v.get_object()["/Subtype"] == "/Image" for v in xo.values())  # the 公印
    assert "発行番号" not in flat(rendered_pages(FORM, P)[0])  # none without a number


def test_edge_sample_holds_eight_deductions_on_one_sheet():
    (text,) = rendered_pages(FORM, EDGE)
    t = flat(text)
    for k in EDGE["kojo"]:
        assert k["kubun"] in t
    assert len(EDGE["kojo"]) == 8 and f"{sum(k['amount'] for k in EDGE['kojo']):,}" in t
    assert "𠮷田" in t and "備考" in t and "有" in t


@pytest.mark.parametrize("field", ["address", "name", "nendo", "shotoku_nen", "kojo", "fuyo", "kazei_hyojun", "nenzeigaku",
                                   "shomei_date"])
def test_a_required_item_cannot_be_left_out(field):
    err = error_of(FORM, changed(P, lambda p: p.pop(field)))
    assert err.code == "PAYLOAD_INVALID" and field in err.message


def test_the_certificate_text_and_issuer_are_not_payload_fields():
    for key in ("ninshobun", "issuer", "issue_no"):
        err = error_of(FORM, changed(P, lambda p: p.update({key: "x"})))
        assert err.code == "PAYLOAD_INVALID" and key in err.message


def test_tax_arithmetic_is_checked():
    assert rules_broken(error_of(FORM, changed(P, lambda p: p.update(kazei_hyojun=1_900_000)))) >= {"kazei_hyojun", "sanshutsu"}
    assert "gokei_shotoku" in rules_broken(error_of(FORM, changed(P, lambda p: p.update(gokei_shotoku=1))))
