"""がん検診 受診券: the ticket's items, one line per screening up to 7, the 免除 and the 指針's rules, the
指針's table, and both deliveries (V-fold 圧着はがき, A4 window envelope) through the postal checks with
every payload value on paper."""

from __future__ import annotations

import copy

import pytest

import lgforms

from formtest import assert_labels, error_of, norm, page_texts, sample
from pdfcheck import pdf_chars, pdftotext, pypdf_pages, text_in_box

FORM = "kenko_gankenshin_jushinken"
TYPICAL = sample("kenko/kenko_gankenshin_jushinken", "jushinken_typical")
EDGE = sample("kenko/kenko_gankenshin_jushinken", "jushinken_edge")
DELIVERIES = ["pressure-seal-V", "window-envelope"]
TICKET_LABELS = ["がん検診受診券", "受診券番号", "交付日", "フリガナ", "氏名", "生年月日", "性別", "年齢", "有効期限",
                 "検診の種類", "検査の方法", "自己負担額", "受診日・実施医療機関"]
SHISHIN = ["がん検診の種類と内容（国の指針）", "問診に加え、胃部エックス線検査又は胃内視鏡検査のいずれか", "問診及び便潜血検査",
           "質問（問診）、胸部エックス線検査及び喀痰細胞診", "質問（問診）及び乳房エックス線検査（マンモグラフィ）",
           "問診、視診、子宮頸部の細胞診及び内診", "40歳以上の女性", "20歳以上の女性"]


@pytest.mark.parametrize("delivery", DELIVERIES)
def test_ticket_and_guideline_in_both_deliveries(delivery):
    assert_labels(lgforms.render(FORM, TYPICAL, delivery=delivery), TICKET_LABELS + SHISHIN + ["問い合わせ先"])


def test_panels_nothing_personal_outside():
    address, back, guide, ticket = (norm(t) for t in page_texts(lgforms.render(FORM, EDGE)))
    assert "郵便はがき" in address and "がん検診受診券在中" in address and "差出人東雲県みどり野市（がん検診）" in address
    assert "がん検診の種類と内容（国の指針）" in back and norm(EDGE["menjo_annai"][4]) in back
    assert norm(EDGE["name"]) not in back and EDGE["jushinken_no"] not in back
    assert EDGE["jushinken_no"] in ticket and "自己負担額：免除（生活保護受給者）" in ticket
    assert "健康増進法第19条の2" in guide


def test_one_line_per_screening_and_the_closing_mark():
    t = norm(page_texts(lgforms.render(FORM, TYPICAL))[3])
    assert t.count("がん検診") >= 6 and "以下余白" in t
    assert "1,000円" in t and "2,500円" in t and "1,200円" in t
    e = norm(page_texts(lgforms.render(FORM, EDGE))[3])
    assert e.count("0円") == 7 and "以下余白" not in e  # 7 lines fill the table


def test_eight_lines_are_refused():
    p = copy.deepcopy(EDGE)
    p["kenshin"].append(dict(p["kenshin"][0]))
    e = error_of(FORM, p)
    assert e.code == "PAYLOAD_INVALID" and e.path == "$.kenshin"


@pytest.mark.parametrize("change,rule", [
    (lambda p: p.update(menjo="70歳以上"), "menjo_futan"),          # exempted but a co-payment is given
    (lambda p: p.update(sex="男"), "josei"),                        # 乳・子宮頸 for a man
    (lambda p: p.update(nenrei=35), "nenrei"),                      # 胃・肺・大腸・乳 under 40
])
def test_rules_of_the_guideline(change, rule):
    p = copy.deepcopy(TYPICAL)
    change(p)
    e = error_of(FORM, p)
    if rule == "josei":  # both women's screenings are named, each with the path of its line
        assert [r["paths"][0] for r in e.detail["rules"]] == ["$.kenshin[4].shurui", "$.kenshin[5].shurui"]
    assert e.code == "RULE_VIOLATED" and rule in {r["rule"] for r in e.detail["rules"]}, (e.code, e.detail)


def test_a_woman_of_twenty_may_have_the_cervical_screening_only():
    p = copy.deepcopy(TYPICAL)
    p.update(nenrei=20, birth_date="2006-07-01", kenshin=[{"shurui": "子宮頸がん検診", "hoho": "子宮頸部の細胞診", "futan": 0}])
    assert lgforms.render_result(FORM, p).pages == 4


@pytest.mark.parametrize("sample_", [TYPICAL, EDGE], ids=["typical", "edge"])
def test_both_deliveries_pass_the_postal_checks_and_print_every_value(sample_):
    v = lgforms.render_result(FORM, sample_, delivery="pressure-seal-V", printer_profile="pressure-seal-V",
                              imposition="sheets")
    assert v.pages == 2  # one A5 sheet, front and back
    a4 = lgforms.render_result(FORM, sample_, delivery="window-envelope", printer_profile="window-envelope",
                               imposition="sheets")
    assert a4.pages == 1
    text = norm("".join(pypdf_pages(a4.data)))
    for k in sample_["kenshin"]:
        assert norm(k["hoho"]) in text and f"{k['futan']:,}円" in text
        if "biko" in k:
            assert norm(k["biko"]) in text
    for key in ("jushinken_no", "name", "kana", "iryokikan_annai"):
        assert norm(sample_[key]) in text, key
    for m in sample_["menjo_annai"]:
        assert norm(m) in text
    assert f"{sample_['nenrei']}歳" in text


def test_the_a4_ticket_sits_left_of_its_guidance():
    page = pdf_chars(lgforms.render(FORM, TYPICAL, delivery="window-envelope"))[0]
    grid = text_in_box(page, (17, 97, 91, 38))
    assert grid.startswith("受診券番号交付日令和8年5月20日2608001234") and "有効期限令和9年2月28日まで" in grid
    assert "受診のしかた" in text_in_box(page, (115, 86, 80, 6))
    assert pdftotext(lgforms.render(FORM, TYPICAL, delivery="window-envelope"), "-raw").count("佐藤") >= 2


@pytest.mark.parametrize("delivery", DELIVERIES)
def test_the_longest_values_the_schema_allows_fit(delivery):
    """Every text at its schema maximum renders (shrunk or wrapped, never clipped) in both layouts."""
    p = copy.deepcopy(EDGE)
    p.pop("menjo")
    p.update(name="葛󠄂城　" + "ア" * 36, kana="ア" * 40, jushinken_no="Z" * 16, nenrei=130, iryokikan_annai="う" * 160,
             menjo_annai=["え" * 60] * 5)
    for k in p["kenshin"]:
        k.update(hoho="あ" * 18, biko="い" * 18, futan=20000)
    text = norm("".join(pypdf_pages(lgforms.render(FORM, p, delivery=delivery))))
    assert text.count("20,000円") == 7 and "う" * 160 in text and "ア" * 40 in text
