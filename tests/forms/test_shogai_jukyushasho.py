"""障害福祉サービス受給者証: the booklet pages on two A4 landscape sheets — 表紙 with the issuer's 公印,
受給者 and 利用者負担, the services decided, and a blank 事業者記入欄 for the providers."""

from __future__ import annotations

import copy
import io

import pytest
from pypdf import PdfReader

import lgforms

from welfare_forms import in_order, payload_invalid, rule_broken, sample, without

from pdfcheck import pypdf_pages

FORM = "shogai_jukyushasho"
TYPICAL = sample("shogai", FORM, "kubun3_3service")


def test_pages_and_items():
    pdf = lgforms.render(FORM, TYPICAL)
    r = PdfReader(io.BytesIO(pdf))
    assert len(r.pages) == 2
    w, h = (float(v) for v in r.pages[0].mediabox[2:])
    assert w > h  # A4 landscape: two A5 pages side by side
    p1, p2 = (t.replace("\n", "") for t in pypdf_pages(pdf))
    in_order(p1, "障害福祉サービス受給者証", "受給者証番号　9920110123", "髙橋　𠮷乃　様", "交付年月日　令和8年3月19日",
             "支給市町村　東雲県みどり野市", "みどり野市長　松葉　恵子")
    in_order(p1, "平成10年7月7日", "区分3", "令和8年4月1日〜令和11年3月31日")
    in_order(p1, "9,300円", "一般1", "令和8年4月1日〜令和8年6月30日", "みどり野ワークセンター")
    for label in ("支給決定障害者等", "利用者負担", "障害支援区分", "負担上限月額", "上限額管理事業所"):
        assert label in p1
    in_order(p2, "居宅介護（身体介護）", "30時間/月", "令和8年4月1日から", "令和9年3月31日まで", "短期入所", "7日/月")
    for label in ("支給決定の内容", "事業者記入欄", "契約支給量", "確認印"):
        assert label in p2
    images = [x for x in r.pages[0]["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1  # the 公印 on the cover
    assert "/XObject" not in r.pages[1]["/Resources"] or not any(
        x.get_object()["/Subtype"] == "/Image" for x in r.pages[1]["/Resources"]["/XObject"].values())


@pytest.mark.parametrize("field", ["jukyushasho_no", "name", "birth_date", "kyojuchi", "shien_kubun", "services", "shotoku_kubun",
                                   "jogen_gaku", "jogen_start", "jogen_end", "kofu_date"])
def test_a_required_item_cannot_be_left_out(field):
    payload_invalid(FORM, without(TYPICAL, field))


def test_cap_follows_the_income_band():
    p = copy.deepcopy(TYPICAL)
    p["jogen_gaku"] = 0
    rule_broken(FORM, p, "jogen")


def test_too_many_services_do_not_fit_the_page():
    p = copy.deepcopy(sample("shogai", FORM, "kubun6_8service_edge"))
    p["services"].append(p["services"][0])
    payload_invalid(FORM, p)
