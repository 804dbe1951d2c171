"""介護保険負担割合証: the 様式's items, one or two 割合 rows, the 保険者's name and 公印 from the tenant."""

from __future__ import annotations

import copy
import io

from pypdf import PdfReader

import lgforms

from formtest import assert_labels, assert_required, error_of, sample
from pdfcheck import pdf_chars, text_in_box

FORM = "kaigo_futan_wariaisho"
TYPICAL = sample("kaigo/kaigo_futan_wariaisho", "futan_1wari")
EDGE = sample("kaigo/kaigo_futan_wariaisho", "futan_edge_2dan")


def test_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "介護保険負担割合証", "交付年月日", "被保険者", "番号", "住所", "フリガナ", "氏名", "生年月日", "性別",
        "利用者負担の割合", "適用期間", "開始年月日", "終了年月日", "保険者番号並びに保険者の名称及び印", "注意事項",
        "東雲県みどり野市", "問い合わせ先"])


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hihokensha_no", "address", "kana", "name", "birth_date", "sex", "hokensha_no",
                                    "kofu_date", "futan", "futan[0].wariai", "futan[0].start", "futan[0].end"])


def test_share_and_period_rows():
    page = pdf_chars(lgforms.render(FORM, EDGE))[0]
    # table at (17, 225.5): header 7 mm, rows 13.5 mm; 割合 column 30 mm wide
    assert text_in_box(page, (17, 232.5, 30, 13.5)) == "2割"
    assert text_in_box(page, (17, 246, 30, 13.5)) == "3割"
    assert "令和8年11月1日" in text_in_box(page, (47, 246, 55, 13.5))
    p = copy.deepcopy(TYPICAL)
    p["futan"] = p["futan"] * 3  # at most two rows: a change within the period
    assert error_of(FORM, p).path == "$.futan"
    p = copy.deepcopy(TYPICAL)
    p["futan"][0]["wariai"] = "4割"
    assert error_of(FORM, p).path == "$.futan[0].wariai"


def test_hokensha_seal_is_printed():
    r = PdfReader(io.BytesIO(lgforms.render(FORM, TYPICAL)))
    xo = r.pages[0]["/Resources"]["/XObject"]
    assert any(v.get_object()["/Subtype"] == "/Image" for v in xo.values())
