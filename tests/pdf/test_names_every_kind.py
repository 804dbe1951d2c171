"""髙橋, 𠮷田, 齋藤, 齋󠄂藤 (default-like sequence), 邉󠄐, 葛󠄂城 in one document, in every field kind:
single-line text, wrapped text, paragraphs and table cells — right glyph, exact copy-out."""

from __future__ import annotations

import json

import yaml

import lgforms

from pdfcheck import check_cid_glyphs, pdftotext, pypdf_pages

NAMES = ["髙橋", "𠮷田", "齋藤", "齋\U000E0102藤", "邉\U000E0110", "葛\U000E0102城"]
FORM = {
    "id": "names", "title": "names", "area": "test",
    "pages": [{"id": "p", "fields": [
        {"kind": "text", "box": [10, 10, 190, 8], "value": "{{ single }}", "fit": "shrink", "min_size": 6},
        {"kind": "text", "box": [10, 20, 12, 40], "value": "{{ wrapped }}", "fit": "wrap", "size": 10},
        {"kind": "textblock", "box": [40, 20, 30, 40], "value": "{{ para }}", "size": 10},
        {"kind": "table", "box": [80, 20, 100, 50], "rows": "rows", "as": "r", "row_height": 7,
         "header": {"height": 7}, "columns": [{"title": "氏名", "width": 60, "value": "{{ r.name }}"},
                                              {"title": "番号", "value": "{{ r.no }}", "align": "right"}]},
    ]}],
}


def test_names_in_every_field_kind(tmp_path):
    d = tmp_path / "t" / "names"
    (d / "samples").mkdir(parents=True)
    (d / "form.yaml").write_text(yaml.safe_dump(FORM, allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": {
        "single": {"type": "string"}, "wrapped": {"type": "string"}, "para": {"type": "string"},
        "rows": {"type": "array"}}}), "utf-8")
    cat = lgforms.Catalog(tmp_path)
    payload = {"single": "　".join(NAMES), "wrapped": "".join(NAMES), "para": "".join(NAMES) * 2,
               "rows": [{"name": n, "no": i + 1} for i, n in enumerate(NAMES)]}
    doc = lgforms.layout("names", payload, catalog=cat)
    wrapped_lines = [it for it in doc.pages[0].items if getattr(it, "path", None) == "$.wrapped"]
    assert len(wrapped_lines) >= 3  # really wrapped
    for it in doc.pages[0].items:
        for c in getattr(it, "clusters", []):
            assert not 0xE0100 <= ord(c[0]) <= 0xE01EF  # never a selector without its base
    assert "".join(l.text for l in wrapped_lines) == payload["wrapped"]

    pdf = lgforms.render("names", payload, catalog=cat)
    text = pypdf_pages(pdf)[0]
    raw = pdftotext(pdf, "-raw")
    flat_pypdf, flat_poppler = text.replace("\n", ""), raw.replace("\n", "")
    assert payload["single"] in text and payload["single"].replace("\u3000", " ") in raw
    for n in NAMES:
        assert n in text and n in raw
    assert payload["wrapped"] in flat_pypdf and payload["wrapped"] in flat_poppler
    assert payload["para"] in flat_pypdf and payload["para"] in flat_poppler
    assert check_cid_glyphs(pdf) >= len(set(NAMES)) + 4
    # 齋 and 齋+E0102 draw the same glyph but copy out separately
    assert "齋藤" in text and "齋\U000E0102藤" in text


def test_ivs_unknown_for_adobe_japan1_sequence():
    p = json.loads(lgforms.Catalog().get("kojin_zeigaku_kettei_futsu").samples["futsu_4ki"].read_text("utf-8"))
    p["atena_name"] = "葛\U000E0100城　真理子"
    try:
        lgforms.render("kojin_zeigaku_kettei_futsu", p)
    except lgforms.IvsUnknown as e:
        assert e.path == "$.atena_name" and e.detail["position"] == 0
        assert any(s["mj"] == "MJ022335" for s in e.detail["suggestions"])
    else:
        raise AssertionError("葛+E0100 must not print")
