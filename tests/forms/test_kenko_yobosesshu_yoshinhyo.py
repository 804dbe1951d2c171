"""予防接種のお知らせ・予診票: the 予診票 of the 定期接種実施要領 (乳幼児・小学生) with the child's data
preprinted where the 様式例 has it and blanks where it is written on the day; the notice's law text; the
window envelope shows nothing personal but the 宛名."""

from __future__ import annotations

import copy

import pytest

import lgforms

from formtest import assert_labels, assert_required, error_of, norm, page_texts, sample
from pdfcheck import pdf_chars, pypdf_pages, text_in_box

FORM = "kenko_yobosesshu_yoshinhyo"
TYPICAL = sample("kenko/kenko_yobosesshu_yoshinhyo", "mr2_typical")
EDGE = sample("kenko/kenko_yobosesshu_yoshinhyo", "mr2_edge")
QUESTIONS = [  # the 問診 of the 様式例, in order
    "今日受ける予防接種について、市町村から配られている説明書を読みましたか。",
    "分娩時に異常がありましたか。", "出生後に異常がありましたか。", "乳幼児健康診査で異常があると言われたことがありますか。",
    "今日、体に具合の悪いところがありますか。", "最近1か月以内に病気にかかりましたか。",
    "1か月以内に家族や遊び仲間に麻しん、風しん、水痘、おたふくかぜなどの病気の方がいましたか。",
    "1か月以内に予防接種を受けましたか。",
    "生まれてから今までに先天性異常、心臓、腎臓、肝臓、脳神経、免疫不全症、その他の病気にかかり、医師の診察を受けていますか。",
    "その病気を診てもらっている医師に、今日の予防接種を受けてよいと言われましたか。",
    "ひきつけ（けいれん）をおこしたことがありますか。", "そのとき熱が出ましたか。",
    "薬や食品（鶏卵、鶏肉など）で皮膚に発しんやじんましんが出たり、体の具合が悪くなったことがありますか。",
    "近親者に先天性免疫不全と診断されている方はいますか。", "これまでに予防接種を受けて具合が悪くなったことはありますか。",
    "近親者に予防接種を受けて具合が悪くなった人はいますか。", "6か月以内に輸血あるいはガンマグロブリンの注射を受けましたか。",
    "今日の予防接種について質問がありますか。",
]


def test_two_pages_the_notice_and_the_yoshinhyo():
    pages = page_texts(lgforms.render(FORM, TYPICAL))
    assert len(pages) == 2
    notice, yoshin = (norm(p) for p in pages)
    assert "麻しん風しん混合（MR）第2期予防接種のお知らせ" in notice
    for law in ("予防接種法第5条第1項", "同法第9条", "予防接種法施行規則第2条", "予防接種法第15条"):
        assert law in notice, law
    assert "予防接種予診票（乳幼児・小学生対象）" in yoshin
    pos = [yoshin.find(norm(q)) for q in QUESTIONS]
    assert -1 not in pos, [q for q, p in zip(QUESTIONS, pos) if p < 0]
    assert pos == sorted(pos)  # in the 様式例's order


def test_yoshinhyo_items_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "診察前の体温", "接種の種類", "接種回数", "接種できる期間", "宛名番号", "住所", "電話", "フリガナ", "受ける人の氏名", "性別",
        "保護者の氏名", "生年月日", "質問事項", "回答欄", "医師記入欄", "実施できる", "見合わせた方がよい", "医師署名又は記名押印",
        "保護者記入欄", "同意します", "同意しません", "保護者自署", "接種記録", "使用ワクチン名", "ロット番号", "接種量",
        "実施場所・医師名・接種年月日"])


def test_preprinted_values_sit_in_their_boxes():
    page = pdf_chars(lgforms.render(FORM, TYPICAL))[1]
    assert text_in_box(page, (38, 20, 96, 6.5)) == "麻しん風しん混合（MR）\u3000第2期"
    assert text_in_box(page, (156, 20, 42, 6.5)) == "1回目"
    assert text_in_box(page, (156, 26.5, 42, 6.5)) == "000012345678"
    assert text_in_box(page, (38, 47, 96, 9)) == "山田\u3000陽翔"
    assert text_in_box(page, (38, 56, 96, 9)) == "山田\u3000花子"
    assert text_in_box(page, (82, 257, 30, 22)) == "0.5mL（皮下接種）"
    # what the 様式例 leaves for the day stays blank: the phone (not in the 台帳), the age, the record
    assert text_in_box(page, (156, 34.5, 42, 8.5)) == ""
    assert "満" in text_in_box(page, (156, 56, 42, 9)) and "か月" in text_in_box(page, (156, 56, 42, 9))


def test_no_kubun_or_kaisu_leaves_a_blank_for_the_clinic():
    page = pdf_chars(lgforms.render(FORM, EDGE))[1]
    assert text_in_box(page, (156, 20, 42, 6.5)) == "\u3000\u3000回目"
    assert text_in_box(page, (156, 34.5, 42, 8.5)) == "0000-00-9999"


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["atena_postcode", "atena_address", "atena_name", "hakko_date", "atena_no", "sesshu",
                                    "sesshu.shurui", "sesshu.taisho_from", "sesshu.taisho_to", "sesshu.ryo", "name", "kana",
                                    "sex", "birth_date", "jusho", "hogosha_name"])


@pytest.mark.parametrize("path,value", [("atena_no", "12-34"), ("sex", "不明"), ("birth_date", "平成31年5月1日"),
                                        ("tel", "電話なし")])
def test_bad_values_are_named(path, value):
    p = copy.deepcopy(TYPICAL)
    p[path] = value
    e = error_of(FORM, p)
    assert e.code in ("PAYLOAD_INVALID", "VALUE_INVALID") and e.path == f"$.{path}"


def test_the_window_shows_only_the_addressee():
    """Rendering for the window envelope runs the postal checks: a personal value moved into the window's
    reach is refused."""
    assert lgforms.render_result(FORM, EDGE, delivery="window-envelope", imposition="sheets").pages == 2


def test_the_longest_values_the_schema_allows_fit():
    p = copy.deepcopy(EDGE)
    name = ("葛󠄂城　𠮷右衛門之助太郎左衛門之丞" + "ア" * 30)[:30]
    p.update(name=name, hogosha_name=name, kana="ア" * 40, tel="0000-0000-000000",
             jusho=("東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　" + "あ" * 80)[:80])
    p["sesshu"].update(shurui="あ" * 30, kubun="い" * 8, kaisu=9, ryo="う" * 20)
    text = norm("".join(pypdf_pages(lgforms.render(FORM, p))))
    assert "あ" * 30 + "い" * 8 in text and "ア" * 40 in text and "9回目" in text
