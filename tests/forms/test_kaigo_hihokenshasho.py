"""介護保険被保険者証: the three panels of 様式第一号 on A4 landscape, face and back, the card centred."""

from __future__ import annotations

import copy
import io

from pypdf import PdfReader

import lgforms

from formtest import assert_labels, assert_required, error_of, page_texts, sample
from pdfcheck import pdf_chars, text_in_box

FORM = "kaigo_hihokenshasho"
TYPICAL = sample("kaigo/kaigo_hihokenshasho", "hihokenshasho_yokaigo2")
AT65 = sample("kaigo/kaigo_hihokenshasho", "shikaku_shutoku_65sai")
EDGE = sample("kaigo/kaigo_hihokenshasho", "hihokenshasho_edge_full")


def test_items_of_the_three_panels_by_label():
    assert_labels(lgforms.render(FORM, TYPICAL), [
        "介護保険被保険者証", "（一）", "（二）", "（三）", "被保険者", "番号", "住所", "フリガナ", "氏名", "生年月日",
        "性別", "交付年月日", "保険者番号並びに保険者の名称及び印", "要介護状態区分等",
        "認定年月日（事業対象者の場合は、基本チェックリスト実施日）", "認定の有効期間", "区分支給限度基準額", "期間",
        "1月当たり", "うち種類支給限度基準額", "サービスの種類", "認定審査会の意見及びサービスの種類の指定", "給付制限",
        "内容", "居宅介護支援事業者若しくは介護予防支援事業者及びその事業所の名称又は地域包括支援センターの名称",
        "届出年月日", "介護保険施設等", "入所等年月日", "退所等年月日", "注意事項"])


def test_face_and_back_on_a4_landscape_with_the_card_centred():
    pdf = lgforms.render(FORM, TYPICAL)
    r = PdfReader(io.BytesIO(pdf))
    assert len(r.pages) == 2
    for p in r.pages:
        w, h = float(p.mediabox.width) * 25.4 / 72, float(p.mediabox.height) * 25.4 / 72
        assert round(w) == 297 and round(h) == 210
    # the card 273 × 128 at (12, 41): centred, so the trim marks meet on either duplex flip
    assert 12 + 273 / 2 == 297 / 2 and 41 + 128 / 2 == 210 / 2
    face, back = page_texts(pdf)
    assert "要介護2" in face and "19,705単位" in face and "注意事項" in back


def test_values_in_their_panels():
    page = pdf_chars(lgforms.render(FORM, EDGE))[0]
    assert text_in_box(page, (12, 41, 91, 128)).count("9900012345") == 1  # （一）
    two = text_in_box(page, (103, 41, 91, 128))
    assert "要介護5" in two and "38,000単位" in two and "訪問入浴介護" in two
    three = text_in_box(page, (194, 41, 91, 128))
    assert "自己作成" in three and "給付額減額（7割給付）" in three and "令和8年10月3日" in three


def test_no_certification_leaves_panels_two_and_three_blank():
    page = pdf_chars(lgforms.render(FORM, AT65))[0]
    # value columns of the 認定 grid (left of them: labels), the 意見 box, the tables' rows
    assert text_in_box(page, (106 + 24, 50, 61, 35)) == ""
    assert text_in_box(page, (106 + 37, 85, 48, 19)) == ""
    assert text_in_box(page, (106, 142, 85, 25)) == ""
    assert text_in_box(page, (197, 66, 85, 19)) == ""


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TYPICAL, ["hihokensha_no", "address", "kana", "name", "birth_date", "sex", "hokensha_no",
                                    "kofu_date", "nintei.kubun", "nintei.nintei_date", "nintei.yuko_start",
                                    "nintei.gendo.tanni", "jigyosha[0].name"])


def test_rules_of_the_law():
    p = copy.deepcopy(TYPICAL)
    p["nintei"]["gendo"]["tanni"] = 16765  # 要介護1's amount on a 要介護2 card
    e = error_of(FORM, p)
    assert e.code == "RULE_VIOLATED" and "区分支給限度基準額" in e.message
    p = copy.deepcopy(TYPICAL)
    del p["nintei"]["yuko_end"]
    assert error_of(FORM, p).code == "RULE_VIOLATED"
    p["nintei"]["kubun"] = "事業対象者"  # 事業対象者: no end date needed, no standard amount
    del p["nintei"]["gendo"]
    lgforms.render(FORM, p)
    q = copy.deepcopy(TYPICAL)
    q["hihokensha_no"] = "123456789"
    assert error_of(FORM, q).path == "$.hihokensha_no"
