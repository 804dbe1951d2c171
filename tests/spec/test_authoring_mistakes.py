"""Deliberate authoring mistakes in a real form and its real blocks: each is reported when the
form loads, with the form, the file and the line of the mistake — none renders silently.

Each case edits one line of a copy of forms/zeimu/kojin_zeigaku_kettei_futsu/form.yaml or of a
shared block in forms/_blocks/, loads the form, and checks that a FORM_SPEC_INVALID error names
that file and line (the line of the edited text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import lgforms
from lgforms.errors import FormSpecInvalid
from lgforms.spec.loader import reset_block_libraries

from formtest import forms_copy

FORM = "kojin_zeigaku_kettei_futsu"
FORM_FILE = f"{FORM}/form.yaml"

# (id, file, old text, new text, words the message must contain)
MISTAKES = [
    ("loop-alias-attribute", FORM_FILE, 'value: "{{ ki.kibetsu }}", align: center}', 'value: "{{ ki.kibetu }}", align: center}',
     ["ki.kibetu", "kibetsu"]),
    ("nested-property", FORM_FILE, "{{ shi.sanshutsu | comma }}", "{{ shi.sanshutu | comma }}", ["shi.sanshutu"]),
    ("payload-name", FORM_FILE, '{value: "{{ nenzeigaku | comma }}", font', '{value: "{{ nenzeigku | comma }}", font',
     ["nenzeigku", "nenzeigaku"]),
    ("page-variable-in-block", "_blocks/notice_issuer.yaml", "{{ page.number }}/{{ page.count }}",
     "{{ page.nubmer }}/{{ page.count }}", ["page.nubmer"]),
    ("repeat-over", FORM_FILE, "'slip': zenki}] if zenki else []) + kibetsu\"", "'slip': zenki}] if zenki else []) + kibetsuu\"",
     ["kibetsuu"]),
    ("section-when", FORM_FILE, 'when: "kibetsu or zenki"', 'when: "kibetsu or zenkii"', ["zenkii"]),
    ("block-parameter-name", FORM_FILE, "with: {number: tsuchisho_no, date: hakko_date}",
     "with: {numbr: tsuchisho_no, date: hakko_date}", ["numbr", "number"]),
    ("unknown-block", FORM_FILE, "use: kyoji", "use: kyouji", ["kyouji", "kyoji"]),
    ("block-argument-path", FORM_FILE, "gs1: ki.slip.cvs\n", "gs1: ki.slip.cvss\n", ["cvss"]),
    ("inside-a-block", "_blocks/nofusho.yaml", '{value: "{{ amount | yen }}"', '{value: "{{ amout | yen }}"',
     ["amout"]),
    ("filter-name", FORM_FILE, "{{ ki.nokigen | wareki }}", "{{ ki.nokigen | wareke }}", ["wareke"]),
    ("filter-argument", FORM_FILE, "{{ ki.nokigen | wareki }}", "{{ ki.nokigen | wareki(fmt='lon') }}",
     ["filter wareki", "lon"]),
    ("box-off-the-page", FORM_FILE, "use: notice_issuer, at: [110, 8]", "use: notice_issuer, at: [150, 8]",
     ["not inside the 210 × 297 mm page"]),
    ("unknown-key", FORM_FILE, "          row_height: 5.5\n          header: {height: 5.5, size: 8.5}\n          size: 9.5",
     "          row_hieght: 5.5\n          header: {height: 5.5, size: 8.5}\n          size: 9.5", ["row_hieght"]),
    ("unknown-style", FORM_FILE, "text: 税額の計算, style: heading", "text: 税額の計算, style: headng",
     ["unknown style 'headng'"]),
    ("unknown-kind", FORM_FILE, "        - kind: grid\n", "        - kind: gird\n", ["gird", "grid"]),
    ("footer-column", FORM_FILE, "cells: {gaku: ", "cells: {gaku2: ", ["gaku2"]),
    ("footer-total", FORM_FILE, '"{{ total.gaku | comma }}"', '"{{ total.gakuu | comma }}"', ["total.gakuu"]),
    ("undeclared-tenant-slot", FORM_FILE, "contact: \"{{ tenant.contacts.zeimu }}\"",
     "contact: \"{{ tenant.contacts.kokuho }}\"", ["tenant.contacts.kokuho", "tenant_slots"]),
    ("tenant-in-a-block", "_blocks/kyoji.yaml", 'shinsa_cho: {as: text, default: "{{ tenant.mayor_title }}"',
     'shinsa_cho: {as: text, default: "{{ tenant.mayor_titel }}"', ["tenant.mayor_titel"]),
    ("grid-cells-do-not-tile", FORM_FILE, '[{label: 均等割額, style: label_left}, {value: "{{ shi.kintowari | comma }}"}, ',
     '[{label: 均等割額, style: label_left}, ', ["have no cell"]),
    ("grid-widths", FORM_FILE, "columns: [48, 44, 44, 44]", "columns: [48, 44, 44, 40]", ["add up to 176"]),
    ("header-title-too-long", FORM_FILE, "{title: 期別, width: 40,",
     "{title: 期別（地方税法第三百二十条及び第二十条の四の二第六項の規定による納期の区分）, width: 40,", ["header title"]),
    ("label-too-long", "_blocks/nofusho.yaml", "text: 納付済通知書, style: slip_part",
     "text: 納付済通知書（金融機関から市へ送付される控え）, style: slip_part", ["does not fit its box"]),
    ("template-syntax", FORM_FILE, 'value: "{{ ki.kibetsu }}", align: center}', 'value: "{{ ki.kibetsu }", align: center}',
     ["template"]),
    ("rule-field", FORM_FILE, 'check: "nenzeigaku == shi', 'check: "nenzeigakuu == shi', ["nenzeigakuu"]),
    ("flow-key", FORM_FILE, "text: 税額の計算, style: heading, size: 9.5, keep_with_next: true",
     "text: 税額の計算, style: heading, size: 9.5, keep_with_nxt: true", ["keep_with_nxt"]),
    ("payload-in-a-static-part", "_blocks/toiawase.yaml", 'value: "{{ label }}", style: label_center',
     'value: "{{ contact }}", style: label_center', ["contact", "static"]),
    ("duplicate-key", FORM_FILE, "version: \"2.0\"\n", "version: \"2.0\"\nversion: \"2.1\"\n", ["duplicate key"]),
    ("unknown-tenant-slot", FORM_FILE, "ordinances.shizei]", "ordinance.shizei]", ["ordinance.shizei"]),
    ("block-child-outside-the-block", "_blocks/atena_window.yaml", "box: [2, 19.5, 80, 9.5]", "box: [2, 19.5, 90, 9.5]",
     ["outside the block"]),
    ("nested-list-as-object", FORM_FILE, "rows: kibetsu\n          as: ki", "rows: shi\n          as: ki", ["shi"]),
    # the flow's own checks (layout/flow.py, compile_flow): its regions and its sections
    ("flow-box-off-the-page", FORM_FILE, "box: [15, 54, 180, 236]", "box: [15, 54, 180, 250]",
     ["box [15, 54, 180, 250] is not inside the 210 × 297 mm page"]),
    ("flow-next-box-off-the-page", FORM_FILE, "next_box: [15, 20, 180, 270]", "next_box: [15, 30.5, 180, 270]",
     ["next_box [15, 30.5, 180, 270] is not inside the 210 × 297 mm page"]),
    ("flow-next-box-width", FORM_FILE, "next_box: [15, 20, 180, 270]", "next_box: [15, 20, 170, 270]",
     ["next_box must be as wide as box (sections are laid out once for a width)"]),
    ("flow-section-not-a-mapping", FORM_FILE, "      sections:\n        - {kind: text, id: title",
     "      sections:\n        - 所得の内訳\n        - {kind: text, id: title", ["a section is a mapping with a 'kind'"]),
    ("flow-grow-of-a-group", FORM_FILE, "          id: naiyaku\n          height: 40",
     "          id: naiyaku\n          grow: true\n          height: 40",
     ["grow: only text and textblock sections grow with their text"]),
    ("flow-section-too-high", FORM_FILE, "        - kind: group\n          id: naiyaku\n          height: 40",
     "        - kind: group\n          id: naiyaku\n          height: 240",
     ["the section is 240 mm high; the flow region is 236 mm"]),
    ("flow-section-too-wide", FORM_FILE, "- {kind: text, box: [0, 0, 88, 5], text: 所得の内訳",
     "- {kind: text, box: [0, 0, 188, 5], text: 所得の内訳",
     ["box [0, 0, 188, 5] is wider than the flow (180 mm; section positions are relative to the flow's left edge)"]),
]


@pytest.fixture(name="forms_copy")
def forms_copy_fixture(tmp_path):
    yield forms_copy(tmp_path, "zeimu", FORM)
    reset_block_libraries()


def _path(forms: Path, shown: str) -> Path:
    return forms / shown if shown.startswith("_blocks") else forms / "zeimu" / shown


@pytest.mark.parametrize("case", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistake_is_reported_at_load_with_file_and_line(case, forms_copy):
    cid, shown, old, new, words = case
    f = _path(forms_copy, shown)
    text = f.read_text("utf-8")
    assert text.count(old) == 1, f"{cid}: the text to edit must occur once in {shown}"
    line = text[:text.index(old)].count("\n") + 1 + (len(old) - len(old.lstrip("\n")))
    lines = {line + k for k in range(old.count("\n") + new.count("\n") + 1)}
    if cid == "unknown-tenant-slot":  # an item of a multi-line flow list: the line of its key
        lines.add(text[:text.index("tenant_slots:")].count("\n") + 1)
    f.write_text(text.replace(old, new), "utf-8")
    reset_block_libraries()
    cat = lgforms.Catalog(forms_copy)
    with pytest.raises(FormSpecInvalid) as ei:
        cat.get(FORM)
    errors = ei.value.detail.get("errors", [])
    assert errors, ei.value.message
    hits = [e for e in errors if e["file"] == shown and e["line"] in lines]
    assert hits, f"{cid}: no error at {shown}:{sorted(lines)}: {errors}"
    msg = " ".join(e["message"] + " " + e["where"] for e in hits)
    for w in words:
        assert w in msg, f"{cid}: {w!r} not in {msg!r}"
    if shown.startswith("_blocks"):  # an error inside a block also names the form placing it
        assert any(FORM in e["where"] or FORM in ei.value.message for e in hits)


def test_the_unedited_form_loads(forms_copy):
    reset_block_libraries()
    assert lgforms.Catalog(forms_copy).get(FORM).id == FORM


def test_at_least_25_kinds():
    assert len({m[0] for m in MISTAKES}) >= 25
