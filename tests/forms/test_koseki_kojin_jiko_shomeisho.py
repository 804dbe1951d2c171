"""戸籍個人事項証明書: the 全部事項証明書's layout for the one person requested (the same lines as that
person prints in the 全部事項証明書), the sheet furniture, the 認証文 directly after the record."""

from __future__ import annotations

import pytest

import lgforms
from lgforms.layout.boxes import TextLine

from formtest import changed, error_of, flat, missing_labels, rendered_pages, sample

FORM = "koseki_kojin_jiko_shomeisho"
P = sample(FORM, "kojin_typical")
EDGE = sample(FORM, "kojin_edge_long")
ZENBU = sample("koseki_zenbu_jiko_shomeisho", "koseki_typical")
NINSHO = "これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。"


def test_items_of_the_standard_layout_for_one_person():
    (text,) = rendered_pages(FORM, P, issue={"number": "000124"})
    assert not missing_labels(text, ["個人事項証明", "（1の1）", "本籍", P["honseki"], "氏名", "氏の振り仮名", "カツラギ",
                                     "戸籍事項", "戸籍編製", "戸籍に記録されている者", "【名】健太", "【名の振り仮名】ケンタ",
                                     "【生年月日】平成5年4月1日", "【父】", "【母】", "【続柄】長男", "身分事項", "出生",
                                     "【出生日】平成5年4月1日", "以下余白", NINSHO, "令和8年11月24日", "みどり野市長　松葉　恵子",
                                     "発行番号　000124"])
    assert "全部事項証明" not in text and "以下次頁" not in text
    for other in ("【名】義男", "【名】梅子", "【名】美咲"):  # the other persons of the 戸籍 are not certified
        assert other not in text


def test_the_person_prints_as_in_the_zenbu_jiko_shomeisho():
    """The shared layout: every line of the record is a line the 全部事項証明書 prints for that person."""
    zenbu = {it.text for page in lgforms.layout("koseki_zenbu_jiko_shomeisho", ZENBU).pages
             for it in page.items if isinstance(it, TextLine)}
    kojin = [it.text for page in lgforms.layout(FORM, P).pages for it in page.items if isinstance(it, TextLine)]
    record = [t for t in kojin if t not in ("個人事項証明", NINSHO) and not t.startswith("（") and "令和8年11月24日" != t
              and "松葉" not in t]
    assert len(record) > 15
    assert [t for t in record if t not in zenbu] == []


def test_a_record_longer_than_a_sheet_continues():
    pages = [flat(t) for t in rendered_pages(FORM, EDGE)]
    n = len(pages)
    assert n == 2
    for i, page in enumerate(pages, start=1):
        assert f"（{n}の{i}）" in page and "個人事項証明" in page
        assert ("以下次頁" in page) == (i < n)
    assert NINSHO in pages[-1] and NINSHO not in pages[0]
    whole = "".join(pages).replace(" ", "").replace("\u3000", "")
    at = 0
    for jiko in EDGE["person"]["mibun_jiko"]:  # every recorded line, in order
        for line in jiko["lines"]:
            found = whole.find(line.replace("\u3000", ""), at)
            assert found >= 0, line
            at = found
    assert "昭和18年12月31日" in whole


@pytest.mark.parametrize("drop", ["honseki", "hittosha", "koseki_jiko", "person", "shomei_date", "person.mei",
                                  "person.birth_date", "person.zokugara", "person.mibun_jiko"])
def test_a_required_item_cannot_be_left_out(drop):
    def change(p):
        *head, key = drop.split(".")
        target = p
        for step in head:
            target = target[step]
        del target[key]

    err = error_of(FORM, changed(P, change))
    assert err.code == "PAYLOAD_INVALID" and drop.split(".")[-1] in err.message


def test_one_person_not_a_list():
    err = error_of(FORM, {**P, "persons": ZENBU["persons"]})
    assert err.code == "PAYLOAD_INVALID" and "persons" in err.message


def test_recorded_lines_are_in_wareki():
    p = changed(P, lambda p: p["person"]["mibun_jiko"][0]["lines"].__setitem__(0, "【出生日】1993-04-01"))
    err = error_of(FORM, p)
    assert err.code == "PAYLOAD_INVALID" and "mibun_jiko" in err.path
