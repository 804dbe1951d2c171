"""戸籍全部事項証明書: the 付録第22号様式 items by their labels, nested records expanded by the form,
a person kept on one sheet when it fits, the 認証文 directly after the last person, page labels."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

import lgforms
from lgforms.layout.boxes import TextLine

from pdfcheck import pypdf_pages

ROOT = Path(__file__).resolve().parents[2]
FORM = "koseki_zenbu_jiko_shomeisho"
SAMPLES = ROOT / "forms/koseki" / FORM / "samples"
NINSHO = "これは、戸籍に記録されている事項の全部を証明した書面である。"
FLOW_BOTTOM = 21 + 258  # the flow region's bottom edge (mm)


def sample(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text("utf-8"))


TYPICAL, EDGE = sample("koseki_typical"), sample("koseki_edge_long")


def pages_of(payload: dict, **kw) -> list[str]:
    return [t.replace("\u3000", " ") for t in pypdf_pages(lgforms.render(FORM, payload, **kw))]


def person_strings(p: dict) -> list[str]:
    """What one person prints: 【名】 and every recorded line (leading 全角空白 dropped by readers)."""
    out = [f"【名】{p['mei']}"]
    for jiko in p["mibun_jiko"]:
        out += [line.strip("\u3000").replace("\u3000", " ") for line in jiko["lines"]]
    return out


def test_items_of_the_standard_layout():
    pages = pages_of(TYPICAL, issue={"number": "000123"})
    whole = "".join(pages)
    for label in ("全部事項証明", "本籍", "氏名", "氏の振り仮名", "戸籍事項", "戸籍編製", "【編製日】平成4年1月10日",
                  "戸籍に記録されている者", "【名】", "【名の振り仮名】", "【生年月日】", "【配偶者区分】", "【父】", "【母】",
                  "【続柄】", "身分事項", "出生", "【出生日】", "婚姻", "【従前戸籍】", "除  籍", "以下余白",
                  NINSHO, "令和8年11月24日", "みどり野市長 松葉 恵子"):
        assert label in whole, label
    assert TYPICAL["honseki"] in whole and TYPICAL["hittosha"].replace("\u3000", " ") in whole
    # 和暦 only: an ISO 生年月日 prints as 和暦, never as 西暦
    assert TYPICAL["persons"][1]["birth_date"] == "1964-03-03"
    assert "昭和39年3月3日" in whole and "1964" not in whole
    # every sheet: 「（N の n）」, the title and the 発行番号; 以下次頁 on all but the last
    n = len(pages)
    for i, page in enumerate(pages, start=1):
        assert f"（{n}の{i}）" in page and "全部事項証明" in page and "発行番号 000123" in page
        assert ("以下次頁" in page) == (i < n)


def test_every_recorded_line_is_printed_in_order():
    whole = "".join(pages_of(EDGE)).replace(" ", "").replace("\n", "")
    at = 0
    for p in EDGE["persons"]:
        for s in person_strings(p):
            s = s.replace(" ", "")
            found = whole.find(s, at)
            assert found >= 0, s
            at = found


def _unique_strings(payload: dict) -> list[list[str]]:
    """Per person, the printed strings no other person prints (so a string's page is its person's)."""
    per = [person_strings(p) for p in payload["persons"]]
    count: dict[str, int] = {}
    for strings in per:
        for s in set(strings):
            count[s] = count.get(s, 0) + 1
    return [[s.replace(" ", "") for s in strings if count[s] == 1] for strings in per]


def _sheets_of_persons(payload: dict) -> list[set[int]]:
    pages = [p.replace(" ", "").replace("\n", "") for p in pages_of(payload)]
    return [{n for n, page in enumerate(pages) for s in strings if s in page} for strings in _unique_strings(payload)]


def test_a_person_is_not_split_across_sheets_when_it_fits():
    for payload in (TYPICAL, EDGE):
        for i, on in enumerate(_sheets_of_persons(payload)):
            if payload is EDGE and i == 0:
                assert len(on) == 2  # longer than a sheet: it continues, 身分事項 by 身分事項
            else:
                assert len(on) == 1, (i, on)


def test_the_person_that_does_not_fit_moves_whole_to_the_next_sheet():
    """More 戸籍事項 push the persons down: in some of these the first sheet has room for a person's
    first rows but not for all of them — that person starts on the next sheet, whole."""
    moved_with_room = 0
    for extra in range(10):
        p = copy.deepcopy(TYPICAL)
        p["koseki_jiko"] += [{"jiko": "更正", "lines": [f"【更正日】令和{k + 1}年4月1日", "【更正事項】本籍"]}
                             for k in range(extra)]
        for on in _sheets_of_persons(p):
            assert len(on) == 1
        doc = lgforms.layout(FORM, p)
        first = [it for it in doc.pages[0].items if isinstance(it, TextLine)]
        second = [it for it in doc.pages[1].items if isinstance(it, TextLine)] if len(doc.pages) > 1 else []
        bottom = max(it.baseline for it in first if it.baseline < FLOW_BOTTOM)
        mover = next((it for it in second if it.text.startswith("【名】")), None)
        if mover is None:
            continue
        # the mover's first row: its 【名】 line down to the rule before 身分事項 (the first 【出生日】 line)
        births = [it.baseline for it in second if it.text.startswith("【出生日】") and it.baseline > mover.baseline]
        first_row = min(births) - mover.baseline
        if FLOW_BOTTOM - bottom > first_row + 2:
            moved_with_room += 1
    assert moved_with_room >= 1


def test_ninshobun_date_issuer_and_seal_directly_after_the_last_person():
    doc = lgforms.layout(FORM, TYPICAL)
    lines = [it for it in doc.pages[-1].items if isinstance(it, TextLine)]
    mark = next(it for it in lines if it.text == "以下余白")
    ninsho = next(it for it in lines if it.text == NINSHO)
    last_row = max(it.baseline for it in lines if it.baseline < mark.baseline)
    assert last_row < mark.baseline < ninsho.baseline
    assert ninsho.baseline - mark.baseline < 12  # attached: the mark's row and a 3 mm gap, nothing between
    assert not any(it.text == NINSHO for p in doc.pages[:-1] for it in p.items if isinstance(it, TextLine))
    reader = PdfReader(io.BytesIO(lgforms.render(FORM, TYPICAL)))

    def images(page):
        xo = page["/Resources"].get("/XObject", {})
        return [k for k, v in xo.items() if v.get_object()["/Subtype"] == "/Image"]

    assert [len(images(p)) for p in reader.pages] == [0, 1]  # the 職印 on the last sheet only


def test_without_furigana_the_row_collapses():
    p = copy.deepcopy(TYPICAL)
    del p["shi_furigana"]
    assert "氏の振り仮名" not in pages_of(p)[0]


@pytest.mark.parametrize("drop", ["honseki", "hittosha", "koseki_jiko", "persons", "shomei_date",
                                  "persons.0.mei", "persons.0.birth_date", "persons.0.zokugara",
                                  "persons.0.mibun_jiko", "koseki_jiko.0.lines"])
def test_a_required_item_cannot_be_left_out(drop):
    p = copy.deepcopy(TYPICAL)
    *head, key = drop.split(".")
    target = p
    for step in head:
        target = target[int(step)] if step.isdigit() else target[step]
    del target[key]
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "PAYLOAD_INVALID"


@pytest.mark.parametrize("line", ["【出生日】1962-06-21", "【婚姻日】1992年1月10日", "【届出人】父\n【受理者】"])
def test_recorded_lines_are_in_wareki_on_one_line(line):
    p = copy.deepcopy(TYPICAL)
    p["persons"][0]["mibun_jiko"][0]["lines"][0] = line
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(FORM, p)
    assert e.value.code == "PAYLOAD_INVALID" and "mibun_jiko" in e.value.path
