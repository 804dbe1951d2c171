"""住民票の写し（世帯連記式）: the items of 住民基本台帳法 §7 per person, the sheet rules, checked on the PDF."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

import lgforms

from pdfcheck import pdf_chars, pypdf_pages, text_in_box
from formtest import assert_required, dotted

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "forms/juki/juki_jyuminhyo_setai/samples"
SAMPLE = json.loads((SAMPLES / "setai_5nin.json").read_text("utf-8"))
GAIKOKU = json.loads((SAMPLES / "setai_gaikokujin.json").read_text("utf-8"))
FORM = "juki_jyuminhyo_setai"

# slot 1 (the block at [19.5, 43]); slot k is 49.2 mm lower
PITCH = 49.2
NUMBER_BOX = (15, 43, 4.5, 48)
NAME_BOX = (42, 47, 81, 8)
KANA_BOX = (42, 43, 81, 4)
HONSEKI_BOX = (42, 67, 153, 4)
TENNYU_BOX = (42, 71, 153, 4)
ZOKUGARA_BOX = (103.5, 63, 18, 4)
KOJIN_BANGO_BOX = (150, 43, 45, 4)
JUSHO_TEIMEI_BOX = (150, 55, 45, 4)
IDOMAE_BOX = (42, 87, 153, 4)
SETAINUSHI_BOX = (42, 35, 153, 6)
ISSUE_NO_BOX = (15, 5, 110, 5)
PAGE_LABEL_BOX = (145, 5, 50, 5)

ZENIN = "この写しは、世帯全員の住民票の原本と相違ないことを証明する。"
ICHIBU = "この写しは、住民票の原本と相違ないことを証明する。"

# every item a person block shows, by its label (the standard's wording: 住民となった年月日, not 住民となった日)
PERSON_LABELS = ["氏名の振り仮名", "氏名", "旧氏の振り仮名", "旧氏", "生年月日", "性別", "続柄", "住民となった年月日",
                 "住所を定めた年月日", "届出日", "本籍", "筆頭者", "転入前住所", "個人番号", "住民票コード", "異動前住所"]
GAIKOKU_LABELS = ["国籍・地域", "法第30条の45に規定する区分", "在留資格", "在留期間", "在留期間の満了の日", "在留カード等の番号"]


def render(p=SAMPLE, **kw):
    return lgforms.render(FORM, p, **kw)


def slot(box, k):
    x, y, w, h = box
    return (x, y + PITCH * k, w, h)


def test_every_item_of_a_person_is_printed_under_its_label():
    pages = pypdf_pages(render())
    for text in pages:
        for label in ["住民票の写し", "住所", "世帯主"] + PERSON_LABELS:
            assert label in text, label
        assert "住民となった日" not in text  # the old label
    assert "国籍・地域" not in "".join(pages)  # 外国人住民 rows only for a 外国人住民
    g = pypdf_pages(render(GAIKOKU))[0]
    for label in PERSON_LABELS + GAIKOKU_LABELS:
        assert label in g, label


def test_four_persons_per_sheet_numbered_1_to_4_and_closing_mark_after_the_last():
    pages = pdf_chars(render())
    assert len(pages) == 2
    names = [p["name"] for p in SAMPLE["persons"]]
    for k in range(4):
        assert text_in_box(pages[0], slot(NAME_BOX, k)) == names[k]
        assert text_in_box(pages[0], slot(NUMBER_BOX, k)) == str(k + 1)
    assert text_in_box(pages[1], NAME_BOX) == names[4]
    assert text_in_box(pages[1], NUMBER_BOX) == "1"  # every sheet numbers its blocks 1–4
    # 以下余白 in the first empty slot of the last sheet, nowhere else
    assert text_in_box(pages[1], (15, 43 + PITCH, 180, 8)) == "以下余白"
    assert "以下余白" not in "".join(c[0] for c in pages[0])


def test_each_person_has_own_dates_and_own_prior_address():
    pages = pdf_chars(render())
    p = SAMPLE["persons"]
    # 住所を定めた年月日: the last move within the city, 【空欄】 for who never moved within it
    assert text_in_box(pages[0], slot(JUSHO_TEIMEI_BOX, 0)) == "令和3年3月20日"
    assert text_in_box(pages[0], slot(JUSHO_TEIMEI_BOX, 3)) == "【空欄】"
    # 転入前住所 per person (it was once a household row): 【空欄】 for those born here
    assert text_in_box(pages[0], slot(TENNYU_BOX, 0)) == p[0]["tennyu_mae_jusho"]
    assert text_in_box(pages[0], slot(TENNYU_BOX, 2)) == "【空欄】"
    assert text_in_box(pages[1], TENNYU_BOX) == p[4]["tennyu_mae_jusho"]
    t = pypdf_pages(render())[0]
    # 届出日 and 住民となった年月日 of the first four, as 和暦 written out
    assert [(q["todokede_date"], q["became_resident_date"]) for q in p[:4]] == [
        ("2015-04-03", "2015-04-01"), ("2015-04-03", "2015-04-01"), ("2017-05-12", "2017-05-08"),
        ("2024-03-04", "2024-02-29")]
    for printed in ("平成27年4月3日", "平成27年4月1日", "平成29年5月12日", "平成29年5月8日", "令和6年3月4日",
                    "令和6年2月29日"):
        assert printed in t


def test_furigana_prints_the_certified_parts_and_marks_the_missing_half():
    pages = pdf_chars(render())
    assert text_in_box(pages[0], slot(KANA_BOX, 0)) == "タカハシ　ケンイチ"
    assert text_in_box(pages[0], slot(KANA_BOX, 2)) == "【氏空欄】　ヒナタ"
    assert text_in_box(pages[0], slot(KANA_BOX, 3)) == ""  # none certified yet
    t = pypdf_pages(render())[0]
    assert "佐藤" in t and "サトウ" in t  # 旧氏 and its 振り仮名


def test_items_left_out_print_shoryaku_and_requested_ones_print():
    p = copy.deepcopy(SAMPLE)
    p["kisai"] = {}
    del p["setainushi_name"]
    for q in p["persons"]:
        for k in ("zokugara", "honseki", "hittousha", "kojin_bango"):
            q.pop(k, None)
    pages = pdf_chars(render(p))
    assert text_in_box(pages[0], SETAINUSHI_BOX) == "（省略）"
    for box in (HONSEKI_BOX, ZOKUGARA_BOX, KOJIN_BANGO_BOX, IDOMAE_BOX):
        assert text_in_box(pages[0], box) == "（省略）", box
    full = pdf_chars(render())
    assert text_in_box(full[0], HONSEKI_BOX) == SAMPLE["persons"][0]["honseki"]
    assert text_in_box(full[0], KOJIN_BANGO_BOX) == SAMPLE["persons"][0]["kojin_bango"]
    assert text_in_box(full[0], SETAINUSHI_BOX) == SAMPLE["setainushi_name"]


def test_a_value_that_would_not_print_or_a_requested_item_that_is_missing_is_refused():
    p = copy.deepcopy(SAMPLE)
    p["kisai"]["honseki"] = False  # the 本籍 is still in the payload: it would be lost
    with pytest.raises(lgforms.LgformsError) as ei:
        render(p)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.persons[0].honseki"
    p = copy.deepcopy(SAMPLE)
    del p["persons"][3]["kojin_bango"]  # requested for the whole copy
    with pytest.raises(lgforms.LgformsError) as ei:
        render(p)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.persons[3].kojin_bango"
    p = copy.deepcopy(SAMPLE)
    p["persons"][1]["idomae_jusho"] = "東雲県みどり野市若葉町一丁目2番3号"  # not requested
    with pytest.raises(lgforms.LgformsError) as ei:
        render(p)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.persons[1].idomae_jusho"


@pytest.mark.parametrize("path", [
    ("scope",), ("address",), ("persons",), ("kisai",), ("issue_date",),
    ("persons", 0, "shubetsu"), ("persons", 0, "name"), ("persons", 1, "birth_date"), ("persons", 2, "sex"),
    ("persons", 3, "became_resident_date"), ("persons", 4, "todokede_date"),
])
def test_a_required_item_cannot_be_left_out(path):
    assert_required(FORM, SAMPLE, [dotted(path)])  # PAYLOAD_INVALID naming the field and where it is missing


@pytest.mark.parametrize("key,value", [("issuer", "かもめ市長　浜田　港"), ("ninshobun", "この写しは…"),
                                       ("issue_no", "R08-1")])
def test_municipality_text_and_the_issue_number_are_not_payload_fields(key, value):
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        render({**SAMPLE, key: value})
    assert ei.value.path == "$" and key in ei.value.message


def test_certification_text_follows_the_scope_and_stands_with_seal_and_date_only_on_the_last_sheet():
    pdf = render()
    t1, t2 = pypdf_pages(pdf)
    assert ZENIN not in t1 and ZENIN in t2
    assert "令和8年11月24日" not in t1 and "令和8年11月24日" in t2
    assert "みどり野市長　松葉　恵子" in t2  # the issuer comes from the tenant profile
    assert "（次葉へ続く）" in t1 and "（次葉へ続く）" not in t2
    r = PdfReader(io.BytesIO(pdf))

    def images(page):
        xo = page["/Resources"].get("/XObject", {})
        return [k for k, v in xo.items() if v.get_object()["/Subtype"] == "/Image"]

    assert images(r.pages[0]) == [] and len(images(r.pages[1])) == 1
    part = "".join(pypdf_pages(render(GAIKOKU)))
    assert ICHIBU in part and ZENIN not in part


def test_whole_household_copy_must_hold_the_head_of_household():
    p = copy.deepcopy(SAMPLE)
    p["persons"] = p["persons"][1:]  # 世帯全員 without the 世帯主
    with pytest.raises(lgforms.LgformsError) as ei:
        render(p)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.persons"
    render({**p, "scope": "part"})  # a part of the household may leave the 世帯主 out


def test_issue_number_and_page_label_on_every_sheet():
    pages = pdf_chars(render(issue={"number": "R08-0012345"}))
    for n, page in enumerate(pages, 1):
        assert text_in_box(page, ISSUE_NO_BOX) == "発行番号　R08-0012345"
        assert text_in_box(page, PAGE_LABEL_BOX) == f"{n}/2"


def test_exactly_four_persons_fill_one_sheet_without_closing_mark():
    p = copy.deepcopy(SAMPLE)
    p["persons"] = p["persons"][:4]
    pdf = render(p)
    pages = pdf_chars(pdf)
    assert len(pages) == 1 and ZENIN in pypdf_pages(pdf)[0]
    assert text_in_box(pages[0], PAGE_LABEL_BOX) == "1/1"
    assert "以下余白" not in "".join(c[0] for c in pages[0])


def test_foreign_resident_items_in_the_configured_rows_and_the_alias_with_the_name():
    pages = pdf_chars(render(GAIKOKU))
    g = GAIKOKU["persons"][0]
    name = text_in_box(pages[0], NAME_BOX)
    assert name == g["name"] + "通称　" + g["gaikokujin"]["tsusho"]  # 通称 is never left out
    assert text_in_box(pages[0], (42, 75, 63, 4)) == g["gaikokujin"]["kokuseki"]
    assert text_in_box(pages[0], (150, 75, 45, 4)) == "中長期在留者"
    assert text_in_box(pages[0], (42, 79, 63, 4)) == g["gaikokujin"]["zairyu_shikaku"]
    assert text_in_box(pages[0], (150, 79, 45, 4)) == g["gaikokujin"]["card_no"]
    assert text_in_box(pages[0], (150, 83, 45, 4)) == "令和11年9月30日"
    assert text_in_box(pages[0], HONSEKI_BOX) == ""  # a 外国人住民 has no 本籍
    kin = 2  # 特別永住者: a 証明書 number, no 在留資格 or 在留期間
    assert text_in_box(pages[0], slot((150, 75, 45, 4), kin)) == "特別永住者"
    assert text_in_box(pages[0], slot((42, 79, 63, 4), kin)) == ""
    assert text_in_box(pages[0], slot(IDOMAE_BOX, kin)) == "【空欄】"  # requested, never moved within


def test_foreign_resident_items_follow_the_law():
    p = copy.deepcopy(GAIKOKU)
    p["persons"][0]["honseki"] = "東雲県みどり野市桜台一丁目8番"
    with pytest.raises(lgforms.LgformsError) as ei:
        render(p)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.persons[0].shubetsu"
    p = copy.deepcopy(GAIKOKU)
    del p["persons"][0]["gaikokujin"]["card_no"]  # a 中長期在留者 has a 在留カード
    with pytest.raises(lgforms.LgformsError) as ei:
        render(p)
    assert ei.value.code == "RULE_VIOLATED" and "中長期在留者" in ei.value.message
    p = copy.deepcopy(GAIKOKU)
    p["kisai"]["kokuseki_zairyu"] = False
    for q in p["persons"]:
        for k in ("kokuseki", "kubun", "zairyu_shikaku", "zairyu_kikan", "manryo_date", "card_no"):
            q.get("gaikokujin", {}).pop(k, None)
    pages = pdf_chars(render(p))
    assert text_in_box(pages[0], (42, 75, 63, 4)) == "（省略）"
    assert "通称" in text_in_box(pages[0], NAME_BOX)


def test_static_part_is_one_form_xobject_shared_by_all_sheets():
    r = PdfReader(io.BytesIO(render()))
    forms = []
    for page in r.pages:
        xo = page["/Resources"]["/XObject"]
        forms.append({k: v.idnum for k, v in xo.items() if v.get_object()["/Subtype"] == "/Form"})
    shared = set(forms[0].items()) & set(forms[1].items())
    assert len(shared) >= 2  # page background + slot background, same objects on both sheets
    content = r.pages[1].get_contents().get_data()
    assert content.count(b" Do") >= 2


def test_era_first_year_is_gannen():
    t = "".join(pypdf_pages(render()))
    assert "昭和元年12月28日" in t and "令和元年5月1日" in t and "令和1年" not in t


def test_the_shared_person_definition_is_the_same_in_both_juminhyo_schemas():
    a = json.loads((ROOT / "forms/juki/juki_jyuminhyo_setai/schema.json").read_text("utf-8"))
    b = json.loads((ROOT / "forms/juki/juki_jyuminhyo_kobetsu/schema.json").read_text("utf-8"))
    assert a["$defs"]["person"] == b["$defs"]["person"] and a["$defs"]["date"] == b["$defs"]["date"]
    kb = dict(b["$defs"]["kisai"]["properties"])
    kb.pop("ido_rireki")
    assert a["$defs"]["kisai"]["properties"] == kb
