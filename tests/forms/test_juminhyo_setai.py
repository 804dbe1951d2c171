"""住民票の写し（世帯連記式）: the catalog's sheet rules, checked on the PDF."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

from pypdf import PdfReader

import lgforms

from pdfcheck import pdf_chars, pypdf_pages, text_in_box

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = json.loads((ROOT / "forms/juki/juki_jyuminhyo_setai/samples/setai_5nin.json").read_text("utf-8"))
NAME_BOX = (35, 64, 70, 8)  # slot 1 name cell; slot k is 36 mm lower


def render(p=SAMPLE):
    return lgforms.render("juki_jyuminhyo_setai", p)


def test_four_persons_per_sheet_and_closing_mark_after_the_last():
    pdf = render()
    pages = pdf_chars(pdf)
    assert len(pages) == 2
    names = [p["name"] for p in SAMPLE["persons"]]
    for k in range(4):
        x, y, w, h = NAME_BOX
        assert text_in_box(pages[0], (x, y + 36 * k, w, h)) == names[k]
    assert text_in_box(pages[1], NAME_BOX) == names[4]
    # 以下余白 in the first empty slot on the last sheet, nowhere else
    assert text_in_box(pages[1], (15, 64 + 36, 180, 8)) == "以下余白"
    assert "以下余白" not in "".join(c[0] for c in pages[0])


def test_certification_seal_and_date_only_on_the_last_sheet():
    pdf = render()
    t1, t2 = pypdf_pages(pdf)
    assert SAMPLE["ninshobun"] not in t1 and SAMPLE["ninshobun"] in t2
    assert "令和8年11月24日" not in t1 and "令和8年11月24日" in t2
    assert "（次葉へ続く）" in t1 and "（次葉へ続く）" not in t2
    r = PdfReader(io.BytesIO(pdf))

    def images(page):
        xo = page["/Resources"].get("/XObject", {})
        return [k for k, v in xo.items() if v.get_object()["/Subtype"] == "/Image"]

    assert images(r.pages[0]) == [] and len(images(r.pages[1])) == 1


def test_issue_number_and_page_label_on_every_sheet():
    pages = pdf_chars(render())
    for n, page in enumerate(pages, 1):
        assert text_in_box(page, (15, 9, 110, 5)) == "発行番号　" + SAMPLE["issue_no"]
        assert text_in_box(page, (145, 9, 50, 5)) == f"{n}/2"


def test_exactly_four_persons_fill_one_sheet_without_closing_mark():
    p = copy.deepcopy(SAMPLE)
    p["persons"] = p["persons"][:4]
    pdf = render(p)
    pages = pdf_chars(pdf)
    assert len(pages) == 1 and SAMPLE["ninshobun"] in pypdf_pages(pdf)[0]
    assert text_in_box(pages[0], (145, 9, 50, 5)) == "1/1"


def test_static_part_is_one_form_xobject_shared_by_all_sheets():
    r = PdfReader(io.BytesIO(render()))
    forms = []
    for page in r.pages:
        xo = page["/Resources"]["/XObject"]
        forms.append({k: v.idnum for k, v in xo.items() if v.get_object()["/Subtype"] == "/Form"})
    shared = set(forms[0].items()) & set(forms[1].items())
    assert len(shared) == 2  # page background + slot background, same objects on both sheets
    # the static labels are not repeated in the page content streams
    content = r.pages[1].get_contents().get_data()
    assert content.count(b" Do") >= 2


def test_absent_prev_address_prints_kuuran():
    p = copy.deepcopy(SAMPLE)
    del p["prev_address_before_tennyu"]
    assert text_in_box(pdf_chars(render(p))[0], (40, 50, 155, 10)) == "【空欄】"


def test_era_first_year_is_gannen():
    t = "".join(pypdf_pages(render()))
    assert "昭和元年12月28日" in t and "令和元年5月1日" in t and "令和1年" not in t
