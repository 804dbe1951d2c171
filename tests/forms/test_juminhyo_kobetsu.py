"""住民票の写し（個人票）: the person block of the standard, 異動履歴 over several sheets, the 認証文 after
the last entry — checked on the PDF."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import lgforms

from pdfcheck import pdf_chars, pypdf_pages, text_in_box
from formtest import assert_required, dotted

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "forms/juki/juki_jyuminhyo_kobetsu/samples"
BASIC = json.loads((SAMPLES / "kobetsu_basic.json").read_text("utf-8"))
LONG = json.loads((SAMPLES / "kobetsu_long_history.json").read_text("utf-8"))
FORM = "juki_jyuminhyo_kobetsu"
NINSHO = "この写しは、住民票の原本と相違ないことを証明する。"

# the person block sits at [17.25, 43] (flow at y 27: 住所/世帯主 14 mm, gap 2)
NAME_BOX = (39.75, 47, 81, 8)
BECAME_BOX = (147.75, 51, 45, 4)
IDOMAE_BOX = (39.75, 87, 153, 4)
JUMINHYO_CODE_BOX = (147.75, 47, 45, 4)
ISSUE_NO_BOX = (15, 5, 110, 5)
PAGE_LABEL_BOX = (145, 5, 50, 5)

LABELS = ["住民票の写し", "住所", "世帯主", "氏名の振り仮名", "氏名", "旧氏の振り仮名", "旧氏", "生年月日", "性別", "続柄",
          "住民となった年月日", "住所を定めた年月日", "届出日", "本籍", "筆頭者", "転入前住所", "個人番号", "住民票コード",
          "異動前住所", "異動履歴", "異動事由", "異動日"]


def render(p=BASIC, **kw):
    return lgforms.render(FORM, p, **kw)


def test_every_item_is_printed_under_its_label():
    t = pypdf_pages(render())[0]
    for label in LABELS:
        assert label in t, label
    assert "住民となった日" not in t.replace("住民となった年月日", "")
    pages = pdf_chars(render())
    assert text_in_box(pages[0], NAME_BOX) == BASIC["person"]["name"]
    assert text_in_box(pages[0], BECAME_BOX) == "令和元年5月1日"  # 住民となった年月日 (it was missing before)
    assert text_in_box(pages[0], JUMINHYO_CODE_BOX) == "（省略）"
    assert text_in_box(pages[0], IDOMAE_BOX) == "（省略）"
    assert "𠮷野" in t and "ヨシノ" in t  # 旧氏 and its 振り仮名


@pytest.mark.parametrize("path", [("address",), ("person",), ("kisai",), ("issue_date",), ("person", "shubetsu"),
                                  ("person", "name"), ("person", "birth_date"), ("person", "sex"),
                                  ("person", "became_resident_date"), ("person", "todokede_date"),
                                  ("history", 0, "jiyu"), ("history", 1, "ido_date")])
def test_a_required_item_cannot_be_left_out(path):
    assert_required(FORM, BASIC, [dotted(path)])  # PAYLOAD_INVALID naming the field and where it is missing


@pytest.mark.parametrize("key", ["issuer", "ninshobun", "issue_no"])
def test_municipality_text_and_the_issue_number_are_not_payload_fields(key):
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        render({**BASIC, key: "x"})
    assert ei.value.path == "$" and key in ei.value.message


def test_history_only_when_requested():
    p = copy.deepcopy(BASIC)
    p["kisai"]["ido_rireki"] = False
    with pytest.raises(lgforms.LgformsError) as ei:  # the rows would be lost
        render(p)
    assert ei.value.code == "RULE_VIOLATED" and ei.value.path == "$.history"
    del p["history"]
    pdf = render(p)
    t = pypdf_pages(pdf)[0]
    assert "異動履歴" in t and "異動事由" not in t and NINSHO in t
    assert text_in_box(pdf_chars(pdf)[0], (17.25, 101, 175.5, 6)) == "（省略）"  # under the 異動履歴 heading
    p = copy.deepcopy(BASIC)
    p["history"] = []  # requested, none since the cut-over: the header and 以下余白
    t = pypdf_pages(render(p))[0]
    assert "異動事由" in t and "以下余白" in t


def test_long_history_continues_with_the_header_and_the_certification_follows_the_last_row():
    pdf = render(LONG, issue={"number": "R08-0012347"})
    t1, t2 = pypdf_pages(pdf)
    pages = pdf_chars(pdf)
    rows = LONG["history"]
    assert rows[0]["jiyu"][:10] in t1 and rows[-1]["jiyu"] in t2
    assert "（次葉へ続く）" in t1 and "異動事由" in t1 and "異動事由" in t2  # the header is repeated
    assert NINSHO not in t1 and NINSHO in t2 and "以下余白" in t2 and "以下余白" not in t1
    assert t2.index("以下余白") < t2.index(NINSHO)  # the 認証文 follows the last entry
    assert "令和8年11月24日" in t2 and "みどり野市長　松葉　恵子" in t2
    assert LONG["person"]["name"] in text_in_box(pages[1], (15, 27, 180, 6))  # a continuation names the person
    for n, page in enumerate(pages, 1):
        assert text_in_box(page, ISSUE_NO_BOX) == "発行番号　R08-0012347"
        assert text_in_box(page, PAGE_LABEL_BOX) == f"{n}/2"
    # every row is printed once, in order
    # the 異動年月日 of the 40 rows as 和暦, written out (昭和 to 1989-01-07, 平成 to 2019-04-30, 元年)
    dates = ("昭和56年4月1日 昭和57年2月26日 昭和58年2月9日 昭和59年2月9日 昭和60年2月25日 昭和61年3月31日 "
             "昭和62年5月21日 昭和63年4月21日 平成元年4月9日 平成2年4月14日 平成3年5月6日 平成4年6月13日 "
             "平成5年8月8日 平成6年7月15日 平成7年7月8日 平成8年7月17日 平成9年8月13日 平成10年9月26日 "
             "平成11年11月26日 平成12年11月6日 平成13年11月4日 平成14年11月19日 平成15年12月21日 平成17年2月7日 "
             "平成18年1月7日 平成18年12月24日 平成19年12月27日 平成21年1月15日 平成22年2月21日 平成23年4月16日 "
             "平成24年3月20日 平成25年3月11日 平成26年3月19日 平成27年4月13日 平成28年5月24日 平成29年7月22日 "
             "平成30年7月1日 令和元年6月27日 令和2年7月9日 令和3年8月8日").split()
    assert len(dates) == len(rows) and (rows[8]["ido_date"], rows[37]["ido_date"]) == ("1989-04-09", "2019-06-27")
    text = t1 + t2
    at = [text.index(d) for d in dates]
    assert at == sorted(at)


def test_the_person_block_is_the_shared_one_and_foreign_residents_get_their_items():
    setai = json.loads((ROOT / "forms/juki/juki_jyuminhyo_setai/samples/setai_gaikokujin.json").read_text("utf-8"))
    p = {"address": setai["address"], "setainushi_name": setai["setainushi_name"], "person": setai["persons"][0],
         "kisai": {**setai["kisai"], "ido_rireki": False}, "issue_date": setai["issue_date"]}
    t = pypdf_pages(render(p))[0]
    for label in ("国籍・地域", "法第30条の45に規定する区分", "在留資格", "在留期間", "在留期間の満了の日", "在留カード等の番号"):
        assert label in t
    assert "通称　中山　安" in t and "技術・人文知識・国際業務" in t
