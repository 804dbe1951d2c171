"""罹災証明書: the items of the 内閣府 unified form (府政防第737号) by their labels in the extracted
text, a required item that cannot be left out, the 追加記載事項 box, and the certificate's end
(認証文, 交付年月日, the affected municipality's mayor and 公印, the 代行 line) once after the last entry."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

import lgforms
from lgforms.tenants.profile import TenantProfile, demo_profile

from pdfcheck import pdf_chars, pdftotext, pypdf_pages, text_in_box

FORM = "common_risai_shomeisho"
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "forms/bousai" / FORM / "samples"
TYPICAL = json.loads((SAMPLES / "risai_hankai.json").read_text("utf-8"))
EDGE = json.loads((SAMPLES / "risai_zenkai_large_household.json").read_text("utf-8"))
GRADES = ["全壊", "大規模半壊", "中規模半壊", "半壊", "準半壊", "準半壊に至らない（一部損壊）"]
REQUIRED = ["seiri_no", "setainushi_address", "setainushi_name", "saigai_date", "saigai_name", "higai_jutaku_address",
            "higai_teido", "issue_date"]


def text(pdf: bytes) -> str:
    return pdftotext(pdf, "-raw").replace(" ", "").replace("\u3000", "")


def images(page) -> list:
    xo = page["/Resources"].get("/XObject", {})
    return [k for k, v in xo.items() if v.get_object()["/Subtype"] == "/Image"]


def test_the_required_items_of_the_unified_form_by_their_labels():
    t = text(lgforms.render(FORM, TYPICAL))
    for label in ("罹災証明書", "整理番号", "世帯主住所", "世帯主氏名", "罹災原因", "被災住家の所在地", "住家の被害の程度"):
        assert label in t, label
    assert "整理番号みど防第R08-000318号" in t
    # 罹災原因: 「（日付）の（災害）による（被害）」
    assert "令和8年9月20日の台風第14号による暴風及び浸水" in t
    # all six grades, the determined one marked ■, the others □
    for g in GRADES:
        assert ("■" if g == "半壊" else "□") + g in t, g
    assert t.count("■") == 1
    # the certificate's end: 認証文, 交付年月日, the mayor from the tenant profile
    assert "上記のとおり相違ないことを証明します。" in t and "令和8年10月2日" in t and "みどり野市長松葉恵子" in t


@pytest.mark.parametrize("grade", GRADES)
def test_exactly_the_determined_grade_is_marked(grade):
    t = text(lgforms.render(FORM, dict(TYPICAL, higai_teido=grade)))
    assert "■" + grade in t and t.count("■") == 1
    for other in GRADES:
        if other != grade:
            assert "□" + other in t


@pytest.mark.parametrize("field", REQUIRED)
def test_a_required_item_cannot_be_left_out(field):
    p = {k: v for k, v in TYPICAL.items() if k != field}
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, p)
    assert ei.value.code == "PAYLOAD_INVALID" and field in ei.value.message


@pytest.mark.parametrize("field", [f for f in REQUIRED if f not in ("saigai_date", "issue_date", "higai_teido")])
def test_a_required_text_cannot_be_empty(field):
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, dict(TYPICAL, **{field: ""}))
    assert ei.value.path == f"$.{field}"


@pytest.mark.parametrize("field,value", [("issuer", "かもめ市長　浜田　港"), ("ninshobun", "証明します。"),
                                         ("issue_no", "第1号")])
def test_the_municipalitys_text_and_the_issue_number_never_come_from_the_payload(field, value):
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, dict(TYPICAL, **{field: value}))
    assert field in ei.value.message


def test_household_flooding_and_assessment_are_in_the_additional_items_box():
    """世帯構成員, 浸水 and 判定方法 are 追加記載事項 (① the household, ② the dwelling), printed below the
    required items, not as rows of the main table."""
    pdf = lgforms.render(FORM, TYPICAL)
    chars = pdf_chars(pdf)[0]
    line, owner = "", []  # the text and, per code point, the character (a cluster with an IVS is one)
    for k, c in enumerate(chars):
        line += c[0]
        owner += [k] * len(c[0])
    top_of = {}
    for word in ("住家の被害の程度", "追加記載事項", "①", "澄子", "②", "床上浸水", "現地調査（第1次調査）", "③"):
        i = line.find(word)
        assert i >= 0, word
        top_of[word] = chars[owner[i]][2]
    assert top_of["住家の被害の程度"] < top_of["追加記載事項"] < top_of["①"] < top_of["澄子"] < top_of["②"]
    assert top_of["②"] <= top_of["床上浸水"] + 10 and top_of["現地調査（第1次調査）"] < top_of["③"]
    # absent ones: 記載事項なし / ― (never a blank cell that could be filled in afterwards)
    bare = {k: v for k, v in TYPICAL.items() if k not in ("setai_members", "shinsui", "chosa_hoho")}
    t = text(lgforms.render(FORM, bare))
    assert "記載事項なし" in t and t.count("―") == 4  # 浸水の状況, 判定方法, ② その他, ③
    assert t.count("―") == 2 + text(lgforms.render(FORM, TYPICAL)).count("―")


def test_a_large_household_continues_and_the_certificate_ends_once_on_the_last_sheet():
    pdf = lgforms.render(FORM, EDGE)
    pages = pypdf_pages(pdf)
    assert len(pages) == 2
    chars = pdf_chars(pdf)
    for n, page in enumerate(chars, 1):
        assert text_in_box(page, (105, 31, 90, 6)) == "整理番号　" + EDGE["seiri_no"]  # every sheet
        assert text_in_box(page, (145, 9, 50, 5)) == f"{n}/2"
    flat = [p.replace(" ", "").replace("\u3000", "").replace("\n", "") for p in pages]
    assert "（次葉へ続く）" in flat[0] and "上記のとおり相違ない" not in flat[0]
    assert "上記のとおり相違ないことを証明します。" in flat[1] and "以下余白" in flat[1]
    names = [m["name"].replace("\u3000", "") for m in EDGE["setai_members"]]
    assert names[0] in flat[0] and names[-1] in flat[1]
    r = PdfReader(io.BytesIO(pdf))
    assert images(r.pages[0]) == [] and len(images(r.pages[1])) == 1  # the 公印, once


def test_issued_by_a_group_member_on_behalf_of_the_affected_municipality():
    """相互応援協定: the certificate stays in the affected municipality's name (its mayor, its 公印); the
    member that did the work is named in the 代行 line — only then."""
    kamome = TenantProfile(code="992020", name="東雲県かもめ市", mayor_title="かもめ市長", mayor_name="浜田　港",
                           seal=demo_profile().seal)
    pdf = lgforms.render(FORM, TYPICAL, tenant=kamome, issue={"number": "R08-000123", "proxy_name": "東雲県みどり野市"})
    t = text(pdf)
    assert "かもめ市長浜田港" in t and "みどり野市長" not in t
    assert "（災害時相互応援協定に基づき東雲県みどり野市が代行して交付）" in t
    assert "発行番号R08-000123" in t
    assert "代行" not in text(lgforms.render(FORM, TYPICAL, tenant=kamome))


def test_an_unknown_grade_is_refused():
    p = copy.deepcopy(TYPICAL)
    p["higai_teido"] = "一部損壊"
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render(FORM, p)
    assert ei.value.path == "$.higai_teido"
