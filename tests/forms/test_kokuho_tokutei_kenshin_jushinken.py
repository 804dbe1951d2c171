"""特定健康診査 受診券: the ticket's items, the 保険者's data from the tenant, not a postcard."""

from __future__ import annotations

import copy

import lgforms

from formtest import assert_labels, assert_required, error_of, page_texts, sample
from pdfcheck import pdf_chars, text_in_box

FORM = "kokuho_tokutei_kenshin_jushinken"
TYPICAL = sample("kokuho/kokuho_tokutei_kenshin_jushinken", "jushinken_typical")
EDGE = sample("kokuho/kokuho_tokutei_kenshin_jushinken", "jushinken_edge")
TICKET = (17, 172)  # the ticket grid; value column from x + 22, 63 mm wide


def test_ticket_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "特定健康診査受診券", "受診券整理番号", "交付年月日", "受診者の氏名", "性別", "生年月日", "被保険者証等記号・番号",
        "有効期限", "健診内容", "窓口での自己負担", "保険者所在地", "保険者の連絡先", "保険者番号・名称",
        "契約とりまとめ機関名", "支払代行機関番号・名称", "注意事項", "問い合わせ先"])


def test_values_in_the_ticket():
    page = pdf_chars(lgforms.render(FORM, TYPICAL))[0]
    x, y = TICKET
    assert text_in_box(page, (x + 22, y, 63, 7)) == "26100012345"
    assert text_in_box(page, (x + 22, y + 35, 63, 7)) == "令和9年3月31日"  # 有効期限
    futan = text_in_box(page, (x + 22, y + 53, 63, 11))
    assert "特定健康診査　500円" in futan and "詳細な健診　0円" in futan
    assert text_in_box(page, (x + 22, y + 64, 63, 12)).startswith("〒987-6500　東雲県みどり野市中央一丁目1番1号")


def test_free_check_up_and_missing_optional_items():
    text = page_texts(lgforms.render(FORM, EDGE))[0]
    assert "0円（負担なし）" in text and "詳細な健診　―" in text


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["nendo", "kofu_date", "jushinken_no", "name", "sex", "birth_date", "kigo", "bango",
                                    "yuko_kigen", "kihon_futan", "hokensha_no", "keiyaku", "keiyaku.daiko_no",
                                    "keiyaku.daiko_name"])


def test_numbers_are_checked():
    p = copy.deepcopy(TYPICAL)
    p["jushinken_no"] = "2610001234"
    assert error_of(FORM, p).path == "$.jushinken_no"
    p = copy.deepcopy(TYPICAL)
    p["hokensha_no"] = "992015"
    assert error_of(FORM, p).path == "$.hokensha_no"


def test_no_postcard_layout_is_pretended():
    """The catalog lists a postcard, but the ticket's personal data would then be on the outside: the form is
    an A4 insert for a window envelope only, and asking for a postcard is an error, not a silent fallback."""
    e = error_of(FORM, TYPICAL, delivery="postcard")
    assert e.code == "POSTAL_CONSTRAINT" and "panel" in e.message
