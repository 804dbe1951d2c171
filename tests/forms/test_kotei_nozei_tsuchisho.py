"""固定資産税・都市計画税 納税通知書 + 課税明細書 + 納付書: the law's items by their labels, the
課税明細書's computed totals and continuation, the rules on 課税標準額, 税額 and 期別納付額."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import lgforms

from pdfcheck import pdftotext, pypdf_pages

ROOT = Path(__file__).resolve().parents[2]
FORM = "kotei_nozei_tsuchisho"
SAMPLES = ROOT / "forms/kotei/kotei_nozei_tsuchisho/samples"


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text("utf-8"))


TYPICAL, EDGE, NO_TOSHI = sample("kotei_jitaku_typical"), sample("kotei_edge_kyoyu"), sample("kotei_no_toshi")


@pytest.fixture(scope="module")
def typical_pages() -> list[str]:
    return [t.replace("\u3000", " ") for t in pypdf_pages(lgforms.render(FORM, TYPICAL))]


@pytest.fixture(scope="module")
def edge_pdf() -> bytes:
    return lgforms.render(FORM, EDGE)


def test_notice_carries_every_item_of_the_law(typical_pages):
    notice = typical_pages[0]
    # 地方税法 §1①六: 課税標準額, 税率, 税額, 納期, 各納期の納付額, 納付の場所, 滞納の措置, 教示; §364①: by category
    for label in ("納税通知書", "課税標準額（地方税法第364条第1項）", "土地", "家屋", "償却資産", "合計",
                  "価格（評価額）", "固定資産税 課税標準額", "都市計画税 課税標準額", "免税点（課税標準額）",
                  "税額の計算", "課税標準額（千円未満切捨て）", "税率", "1.4％", "0.3％", "算出税額", "減額税額",
                  "年税額（百円未満切捨て）", "納期限と各期の納付額", "期別", "納期限", "納付額（円）",
                  "納付の場所", "督促状", "延滞金", "滞納処分", "【教示】", "固定資産評価審査委員会",
                  "審査の申出", "取消しの訴え", "問い合わせ先", "資産税係", "地方税法第364条及び第702条の8",
                  "みどり野市市税条例", "みどり野市長", "通知書番号"):
        assert label in notice, label
    assert TYPICAL["nenzeigaku"] == 179600 and "179,600" in notice
    assert [(k["kibetsu"], k["amount"]) for k in TYPICAL["kibetsu"]] == [
        ("第1期", 47600), ("第2期", 44000), ("第3期", 44000), ("第4期", 44000)]
    for amount in ("47,600", "44,000"):
        assert amount in notice


def test_meisai_lists_every_asset_with_its_items(typical_pages):
    meisai = typical_pages[1]
    for label in ("固定資産（土地・家屋）課税明細書", "地方税法第364条第3項", "令和8年1月1日（賦課期日）", "所在・地番",
                  "地目", "登記", "現況", "地積（㎡）", "価格（円）", "住宅用地（㎡）", "小規模", "前年度課税標準額",
                  "課税標準額", "相当税額", "家屋番号", "種類", "構造", "床面積（㎡）", "建築年", "減額税額", "摘要",
                  "未登記"):
        assert label in meisai, label
    assert [(t["chiban"], t["kakaku"]) for t in TYPICAL["tochi"]] == [
        ("1234番5", 9916800), ("1234番6", 5390000), ("2051番", 152000)]
    for chiban, kakaku in (("1234番5", "9,916,800"), ("1234番6", "5,390,000"), ("2051番", "152,000")):
        assert chiban in meisai and kakaku in meisai


def test_meisai_totals_are_the_sums_of_the_rows(typical_pages):
    meisai = typical_pages[1]
    tochi, kaoku = TYPICAL["tochi"], TYPICAL["kaoku"]
    assert f"合計（{len(tochi)}筆）" in meisai and f"合計（{len(kaoku)}棟）" in meisai
    # the sums, worked out from the sample and written out (not formatted by the code under test)
    tochi_totals = {"kakaku": (15458800, "15,458,800"), "kotei_hyojun": (5254400, "5,254,400"),
                    "kotei_sotozei": (73561, "73,561"), "toshi_hyojun": (6755200, "6,755,200"),
                    "toshi_sotozei": (20264, "20,264")}
    kaoku_totals = {"kakaku": (8531000, "8,531,000"), "kotei_sotozei": (119434, "119,434"),
                    "keigen": (59150, "59,150"), "toshi_sotozei": (25593, "25,593")}
    for rows, totals in ((tochi, tochi_totals), (kaoku, kaoku_totals)):
        for key, (n, printed) in totals.items():
            assert sum(r.get(key, 0) for r in rows) == n, key
            assert printed in meisai, key
    # the notice's 課税標準額 by category are those totals
    assert "5,254,400" in typical_pages[0]


def test_meisai_continues_over_pages_with_one_total_at_the_end(edge_pdf):
    pages = [t.replace("\u3000", " ") for t in pypdf_pages(edge_pdf)]
    meisai = [p for p in pages if "所在・地番" in p or "家屋番号" in p]
    assert len(meisai) >= 3  # 34 parcels and 7 houses do not fit one landscape sheet
    assert all("（次葉へ続く）" in p for p in meisai[:-1]) and "（次葉へ続く）" not in meisai[-1]
    text = "".join(meisai)
    assert text.count("合計（34筆）") == 1 and text.count("合計（7棟）") == 1
    assert sum(t["kakaku"] for t in EDGE["tochi"]) == 429930247 and "429,930,247" in text
    assert sum(k["kakaku"] for k in EDGE["kaoku"]) == 451270000 and "451,270,000" in text
    for t in EDGE["tochi"]:
        assert t["chiban"] in text  # no parcel lost at a page break
    # every sheet carries the 通知書番号 and n/N
    n = len(pages)
    for i, p in enumerate(pages[1:1 + len(meisai)], start=2):
        assert f"{i}/{n}" in p and EDGE["tsuchisho_no"] in p


def test_menzeiten_category_is_shown_and_left_out_of_the_tax_base(edge_pdf):
    notice = pypdf_pages(edge_pdf)[0]
    assert "150万円未満・課税なし" in notice
    k = EDGE["kazei_hyojun"]
    assert EDGE["kotei"]["kazei_hyojun"] == (k["tochi"]["kotei"] + k["kaoku"]["kotei"]) // 1000 * 1000


def test_one_slip_per_instalment_and_one_for_the_whole_year():
    text = pdftotext(lgforms.render(FORM, TYPICAL), "-raw")
    assert text.count("全期前納") == 3  # the three parts of one slip
    for ki in TYPICAL["kibetsu"]:
        assert text.count(f"令和8年度 {ki['kibetsu']}") == 3


def test_without_toshi_the_city_planning_tax_parts_collapse():
    pages = pypdf_pages(lgforms.render(FORM, NO_TOSHI))
    assert "都市計画税" not in pages[0] and "都市計画税" not in pages[1]
    assert "固定資産税 納税通知書" in pages[0].replace("\u3000", " ")
    assert "固定資産税・都市計画税" not in "".join(pages)


@pytest.mark.parametrize("drop", ["kotei", "kibetsu", "kazei_hyojun", "nenzeigaku", "atena_name", "tsuchisho_no",
                                  "hakko_date", "tochi[0].kakaku", "tochi[0].kotei_hyojun", "kaoku[0].kenchiku_nen",
                                  "kibetsu[0].nokigen", "kotei.rate"])
def test_a_required_item_cannot_be_left_out(drop):
    p = copy.deepcopy(TYPICAL)
    del_path(p, drop)
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "PAYLOAD_INVALID"


def del_path(payload: dict, path: str) -> None:
    """Delete ``a.b[0].c`` from the payload."""
    import re

    steps = [int(i) if i else k for k, i in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", path)]
    target = payload
    for step in steps[:-1]:
        target = target[step]
    del target[steps[-1]]


def _broken(change) -> lgforms.LgformsError:
    p = copy.deepcopy(TYPICAL)
    change(p)
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "RULE_VIOLATED"
    return e.value


def test_instalments_must_add_up_and_put_the_remainder_in_the_first():
    def fourth_takes_the_remainder(p):
        p["kibetsu"][0]["amount"] -= 3600
        p["kibetsu"][3]["amount"] += 3600

    e = _broken(fourth_takes_the_remainder)
    assert [r["rule"] for r in e.detail["rules"]] == ["kibetsu_hasu"]

    def short(p):
        p["kibetsu"][0]["amount"] -= 100

    assert "kibetsu_sum" in [r["rule"] for r in _broken(short).detail["rules"]]


def test_tax_is_the_law_s_arithmetic():
    def hyojun_not_the_sum(p):
        p["kotei"]["kazei_hyojun"] += 1000  # a multiple of 1000 (the schema), but not the sum

    rules = [r["rule"] for r in _broken(hyojun_not_the_sum).detail["rules"]]
    assert "kotei_hyojun" in rules and "sanshutsu" in rules

    def meisai_off(p):
        p["tochi"][0]["kakaku"] += 1

    assert [r["rule"] for r in _broken(meisai_off).detail["rules"]] == ["tochi_kakaku"]

    def toshi_over_limit(p):
        p["toshi"]["rate"] = 0.35

    assert "toshi_rate" in [r["rule"] for r in _broken(toshi_over_limit).detail["rules"]]

    def genmen_lost(p):
        p["kotei"]["genmen"] = 0

    assert "genmen" in [r["rule"] for r in _broken(genmen_lost).detail["rules"]]
