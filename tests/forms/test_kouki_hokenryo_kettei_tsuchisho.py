"""後期高齢者医療保険料額決定通知書: the law's arithmetic, collapsing 特別徴収/普通徴収 sections, slips."""

from __future__ import annotations

import copy

import lgforms

from formtest import assert_labels, assert_required, error_of, norm, page_texts, sample

FORM = "kouki_hokenryo_kettei_tsuchisho"
TOKUCHO = sample("kouki/kouki_hokenryo_kettei_tsuchisho", "kettei_tokucho")
FUCHO = sample("kouki/kouki_hokenryo_kettei_tsuchisho", "kettei_edge_fucho_gendo")
TOCHU = sample("kouki/kouki_hokenryo_kettei_tsuchisho", "tochu_kanyu_hifuyo")


def test_items_by_label():
    assert_labels(lgforms.render(FORM, TOKUCHO), [
        "後期高齢者医療保険料額決定通知書", "被保険者番号", "氏名", "保険料の計算", "医療分", "子ども・子育て支援金分",
        "前年の総所得金額等", "賦課のもととなる所得金額", "被保険者均等割額", "均等割の軽減額", "所得割率", "所得割額",
        "賦課限度額", "年間保険料額", "賦課月数", "特別徴収", "仮徴収", "本徴収", "【教示】", "問い合わせ先"])


def test_tokucho_only_collapses_the_fucho_section_and_has_no_slips():
    pdf = lgforms.render(FORM, TOKUCHO)
    pages = page_texts(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert "（兼特別徴収開始通知書）" in text and "普通徴収（納期限と各期の納付額）" not in text
    assert "納付の場所" not in text and "領収証書" not in text and "※ 納付書は次の用紙" not in text
    assert "84,900円" in text and "13,600円" in text and "14,700円" in text


def test_fucho_only_collapses_the_tokucho_section_and_prints_one_slip_per_ki():
    pdf = lgforms.render(FORM, FUCHO)
    pages = page_texts(pdf)
    text = "".join(pages)
    assert "（兼納入通知書）" in text and "仮徴収" not in text and "特別徴収（" not in text
    slips = [p for p in pages if "領収証書" in p]
    assert len(slips) == 3  # 9 期, three slips per sheet
    assert sum(p.count("領収証書") for p in slips) == 9
    assert "後期高齢者医療保険料" in slips[0] and "¥91,200" in slips[0] and "科目" in slips[0] and "税目" not in slips[0]
    assert "地方自治法第231条の3" in text  # 保険料: 督促 under the 地方自治法, not the 地方税法
    # the cap applies: 1,188,000 → 800,000 (医療分), 27,500 → 20,000 (支援金分)
    assert "800,000円" in pages[0] and "820,000円" in pages[0]


def test_kyoji_names_the_shinsakai_and_the_kouiki_rengo_as_defendant():
    text = norm("".join(page_texts(lgforms.render(FORM, TOKUCHO))))
    assert norm("東雲県後期高齢者医療審査会に対して審査請求をすることができます（高齢者の医療の確保に関する法律第128条第1項") in text
    assert norm("（同法第130条）") in text
    assert norm("東雲県後期高齢者医療広域連合を被告として（訴訟において東雲県後期高齢者医療広域連合を代表する者は"
                "東雲県後期高齢者医療広域連合長となります。）") in text


def test_the_arithmetic_is_checked():
    for mutate, rule in [
        (lambda p: p["iryo"].__setitem__("shotokuwari", p["iryo"]["shotokuwari"] + 1), "shotokuwari"),
        (lambda p: p["shien"].__setitem__("keigen_gaku", 0), "keigen_gaku"),
        (lambda p: p.__setitem__("kijun_shotoku", p["sotoku"]), "kijun_shotoku"),
        (lambda p: p["iryo"].__setitem__("hokenryo", p["iryo"]["sanshutsu"] + 100), "gendo"),
        (lambda p: p.__setitem__("nengaku", p["nengaku"] + 100), "nengaku"),
        (lambda p: p["tokucho"]["hon"].__setitem__(2, 14_800), "choshu"),
    ]:
        p = copy.deepcopy(TOKUCHO)
        mutate(p)
        e = error_of(FORM, p)
        assert e.code == "RULE_VIOLATED", (rule, e.code, e.message)
        assert rule in {r["rule"] for r in e.detail["rules"]}, (rule, e.detail["rules"])


def test_hifuyosha_has_no_shotokuwari_and_the_year_is_prorated():
    text = page_texts(lgforms.render(FORM, TOCHU))[0]
    assert "賦課月数　6か月" in text and "12,200円" in text and "被扶養者" in text
    p = copy.deepcopy(TOCHU)
    p["iryo"]["shotokuwari"] = 25_650  # 270,000 × 9.5 %: not for a former dependant
    assert error_of(FORM, p).code == "RULE_VIOLATED"


def test_a_way_of_collection_is_required():
    p = copy.deepcopy(TOKUCHO)
    del p["tokucho"]
    e = error_of(FORM, p)
    assert e.code == "PAYLOAD_INVALID" and e.path == "$"


def test_required_items_cannot_be_left_out():
    assert_required(FORM, TOKUCHO, ["nendo", "tsuchisho_no", "hakko_date", "hihokensha_no", "name", "sotoku",
                                    "kijun_shotoku", "keigen_wari", "fuka_tsukisu", "iryo", "shien", "nengaku",
                                    "iryo.shotoku_ritsu", "shien.gendo", "tokucho.kari"])
