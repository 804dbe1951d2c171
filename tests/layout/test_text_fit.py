"""Text fitting: shrink to min_size, wrap with 禁則, overflow errors that name the field; clusters
are never split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import lgforms
from lgforms.layout.boxes import PT
from lgforms.layout.text import NO_LINE_END, NO_LINE_START, MojiProblems, fit_text
from lgforms.moji.fonts import default_stacks
from lgforms.spec.models import TextStyle

MINCHO = default_stacks()["mincho"]


def lay(text, box, **style):
    problems = MojiProblems()
    lines = fit_text(text, box, TextStyle(**style), MINCHO, path="$.f", problems=problems)
    problems.raise_if_any()
    return lines


def test_fits_at_size_then_centres_vertically():
    (line,) = lay("住所", (10, 20, 50, 8), size=10)
    assert line.size == 10
    assert line.x == pytest.approx(10)
    assert line.width == pytest.approx(2 * 10 * PT)  # two full-width characters
    em_top = line.baseline - 0.88 * 10 * PT  # IPAmj: ascent 0.88 em
    assert em_top == pytest.approx(20 + (8 - 10 * PT) / 2, abs=0.05)


def test_shrink_to_fit_width():
    text = "東雲県みどり野市若葉町三丁目十二番五号"  # 19 full-width characters
    (line,) = lay(text, (0, 0, 50, 8), size=10, min_size=6, fit="shrink")
    assert 6 <= line.size < 10
    assert line.width <= 50 + 1e-6
    assert line.width > 50 - 19 * 0.1 * PT  # shrinks no more than needed (0.1 pt steps)


def test_shrink_below_min_size_is_overflow_naming_the_field():
    with pytest.raises(lgforms.TextOverflow) as ei:
        lay("あ" * 40, (0, 0, 50, 8), size=10, min_size=7, fit="shrink")
    e = ei.value
    assert e.code == "TEXT_OVERFLOW" and e.path == "$.f"
    assert e.detail["needed_mm"] > 50 and e.detail["box_mm"][0] == 50


def test_fit_error_never_shrinks():
    with pytest.raises(lgforms.TextOverflow):
        lay("あ" * 20, (0, 0, 50, 8), size=10, fit="error")


def test_wrap_uses_lines_before_shrinking_and_never_loses_text():
    text = "東雲県みどり野市若葉町三丁目十二番五号みどり野ハイツ二〇二号室"
    lines = lay(text, (0, 0, 60, 12), size=10, min_size=6, fit="wrap", line_height=1.2)
    assert len(lines) == 2
    assert "".join(l.text for l in lines) == text
    for l in lines:
        assert l.width <= 60 + 1e-6
    assert lines[-1].baseline < 12


def test_wrap_shrinks_when_lines_do_not_fit_then_overflows():
    text = "あ" * 60
    lines = lay(text, (0, 0, 60, 12), size=10, min_size=6, fit="wrap", line_height=1.2)
    assert lines[0].size < 10 and "".join(l.text for l in lines) == text
    with pytest.raises(lgforms.TextOverflow):
        lay("あ" * 400, (0, 0, 60, 12), size=10, min_size=6, fit="wrap")


def test_kinsoku_no_line_starts_with_closing_punctuation():
    # 5 characters per line; the 6th is 「。」 which may not start a line -> pushed back (追い出し)
    w = 5 * 10 * PT + 0.01
    lines = lay("あいうえお。かきくけこ", (0, 0, w, 30), size=10, fit="wrap")
    # (and the last line is rebalanced: no 2-character widow 「けこ」)
    assert [l.text for l in lines] == ["あいうえ", "お。かき", "くけこ"]
    for l in lines:
        assert l.text[0] not in NO_LINE_START and l.text[-1] not in NO_LINE_END


def test_kinsoku_opening_bracket_not_at_line_end():
    w = 5 * 10 * PT + 0.01
    lines = lay("あいうえ（かきくけこ）", (0, 0, w, 30), size=10, fit="wrap")
    assert lines[0].text == "あいうえ"
    assert lines[1].text.startswith("（")


def test_latin_words_are_not_broken():
    w = 6 * 10 * PT + 0.01
    lines = lay("ああああR08-0012345", (0, 0, w, 40), size=10, fit="wrap")
    assert lines[0].text == "ああああ"
    assert "".join(l.text for l in lines) == "ああああR08-0012345"


def test_wrap_never_splits_base_from_variation_selector():
    name = "葛\U000E0102城"
    w = 3 * 10 * PT + 0.01  # room for 3 clusters per line
    lines = lay(("あ" * 2 + name) * 3, (0, 0, w, 60), size=10, fit="wrap")
    for l in lines:
        for c in l.clusters:
            assert not (0xE0100 <= ord(c[0]) <= 0xE01EF), l.clusters  # no cluster starts with a selector
    joined = "".join(l.text for l in lines)
    assert joined == ("あ" * 2 + name) * 3


def test_distribute_spreads_characters_over_the_box():
    (line,) = lay("氏名", (0, 0, 20, 8), size=9, align="distribute", pad=4)
    assert line.char_spacing == pytest.approx((12 - 2 * 9 * PT) / PT)


def test_newline_requires_wrap():
    with pytest.raises(lgforms.TextOverflow):
        lay("一行目\n二行目", (0, 0, 60, 20), size=10, fit="shrink")
    lines = lay("一行目\n二行目", (0, 0, 60, 20), size=10, fit="wrap")
    assert [l.text for l in lines] == ["一行目", "二行目"]


# -- through a real form: the error names the payload field ------------------------------------

def _mini_form(tmp_path: Path, element: dict, props: dict) -> lgforms.Catalog:
    d = tmp_path / "test" / "mini"
    (d / "samples").mkdir(parents=True)
    (d / "form.yaml").write_text(yaml.safe_dump({
        "id": "mini", "title": "mini", "area": "test",
        "pages": [{"id": "p", "fields": [element]}]}, allow_unicode=True), encoding="utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": props}), encoding="utf-8")
    return lgforms.Catalog(tmp_path)


def test_overflow_in_a_form_names_the_json_path(tmp_path):
    cat = _mini_form(tmp_path, {"kind": "text", "box": [10, 10, 40, 8], "value": "{{ person.name }}",
                                "fit": "shrink", "min_size": 8, "size": 10},
                     {"person": {"type": "object"}})
    with pytest.raises(lgforms.TextOverflow) as ei:
        lgforms.render("mini", {"person": {"name": "長" * 30}}, catalog=cat)
    assert ei.value.path == "$.person.name"
    assert ei.value.form_id == "mini"
    pdf = lgforms.render("mini", {"person": {"name": "長" * 12}}, catalog=cat)  # shrinks, fits
    assert pdf.startswith(b"%PDF")


# -- the fit cache: records share fitted labels, never each other's values or problems ----------

def test_a_refit_gives_the_same_lines_and_a_list_of_its_own():
    style = TextStyle(size=10, fit="shrink", min_size=6)
    box = (10.0, 20.0, 50.0, 6.0)
    a = fit_text("市民税・県民税（普通徴収）・森林環境税", box, style, MINCHO, path=None, problems=MojiProblems())
    b = fit_text("市民税・県民税（普通徴収）・森林環境税", box, style, MINCHO, path=None, problems=MojiProblems())
    assert [(ln.text, ln.x, ln.baseline, ln.size) for ln in a] == [(ln.text, ln.x, ln.baseline, ln.size) for ln in b]
    assert a[0].size < 10  # shrunk to fit 50 mm
    a.append("something of the caller's")
    c = fit_text("市民税・県民税（普通徴収）・森林環境税", box, style, MINCHO, path=None, problems=MojiProblems())
    assert len(c) == len(b)


def test_the_same_text_elsewhere_or_for_another_field_is_fitted_for_itself():
    style = TextStyle(size=10)
    first = fit_text("山田太郎", (10.0, 20.0, 40.0, 6.0), style, MINCHO, path="$.a", problems=MojiProblems())
    moved = fit_text("山田太郎", (50.0, 20.0, 40.0, 6.0), style, MINCHO, path="$.a", problems=MojiProblems())
    other = fit_text("山田太郎", (10.0, 20.0, 40.0, 6.0), style, MINCHO, path="$.b", problems=MojiProblems())
    assert moved[0].x == pytest.approx(first[0].x + 40.0)
    assert (first[0].path, other[0].path) == ("$.a", "$.b")


def test_a_character_no_font_has_is_reported_on_every_fit_not_only_the_first():
    style = TextStyle(size=10)
    for _ in range(2):
        problems = MojiProblems()
        fit_text("山田\U0010FFFD", (10.0, 20.0, 40.0, 6.0), style, MINCHO, path="$.name", problems=problems)
        assert [e.code for e in problems.errors] == ["MOJI_NOT_IN_FONT"]
        assert problems.errors[0].path == "$.name"


def test_the_shaping_and_fit_caches_stay_within_their_bounds(monkeypatch):
    """A batch of unique names and addresses must not grow a worker's memory without end: each
    cache is emptied when full (shaped texts ~2 KB each; 200,000 of them were ~440 MB)."""
    import importlib

    text_mod = importlib.import_module("lgforms.layout.text")
    monkeypatch.setattr(text_mod, "_SHAPED_MAX", 40)
    monkeypatch.setattr(text_mod, "_FITTED_MAX", 30)
    style = TextStyle(size=10, fit="shrink", min_size=6)
    for i in range(200):
        fit_text(f"山田{i}番地", (10.0, 20.0, 50.0, 6.0), style, MINCHO, path="$.a", problems=MojiProblems())
        assert len(text_mod._SHAPED) <= 40 and len(text_mod._FITTED) <= 30
    assert len(text_mod._SHAPED) > 0 and len(text_mod._FITTED) > 0  # they do cache
