"""Form files are checked when loaded: a broken form never renders a blank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import lgforms
from lgforms.errors import FormSpecInvalid


def make(tmp_path: Path, page: dict, props: dict | None = None, **top) -> lgforms.Catalog:
    d = tmp_path / "test" / "f"
    d.mkdir(parents=True)
    doc = {"id": "f", "title": "t", "area": "test", "pages": [{"id": "p", **page}], **top}
    (d / "form.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    (d / "schema.json").write_text(json.dumps({"type": "object", "properties": props or {"name": {"type": "string"}}}))
    return lgforms.Catalog(tmp_path)


def load_error(cat) -> str:
    with pytest.raises(FormSpecInvalid) as ei:
        cat.get("f")
    assert ei.value.code == "FORM_SPEC_INVALID"
    return ei.value.message


def test_all_bundled_forms_load():
    cat = lgforms.Catalog()
    ids = cat.ids()
    assert {"juki_jyuminhyo_setai", "juki_jyuminhyo_kobetsu", "inkan_toroku_shomeisho",
            "kojin_zeigaku_kettei_futsu"} <= set(ids)
    for i in ids:
        f = cat.get(i)
        assert f.samples, f"{i} has no samples"


def test_unknown_kind_is_a_load_error(tmp_path):
    msg = load_error(make(tmp_path, {"fields": [{"kind": "sparkle", "box": [0, 0, 1, 1]}]}))
    assert "unknown element kind 'sparkle'" in msg and "fields[0]" in msg


def test_unknown_variable_is_a_load_error(tmp_path):
    msg = load_error(make(tmp_path, {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "value": "{{ nmae }}"}]}))
    assert "nmae" in msg and "schema" in msg


def test_unknown_filter_and_syntax_are_load_errors(tmp_path):
    msg = load_error(make(tmp_path, {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "value": "{{ name | shout }}"}]}))
    assert "shout" in msg
    msg = load_error(make(tmp_path / "b", {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "value": "{{ name "}]}))
    assert "template" in msg


def test_static_elements_cannot_use_payload(tmp_path):
    msg = load_error(make(tmp_path, {"static": [{"kind": "text", "box": [0, 0, 50, 8], "value": "{{ name }}"}]}))
    assert "static" in msg


def test_tenant_values_must_be_declared(tmp_path):
    msg = load_error(make(tmp_path, {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "value": "{{ tenant.name }}"}]}))
    assert "tenant_slots" in msg
    ok = make(tmp_path / "ok", {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "value": "{{ tenant.name }}"}]},
              tenant_slots=["name"])
    assert ok.get("f").tenant_slots == ["name"]


def test_geometry_and_size_checks(tmp_path):
    msg = load_error(make(tmp_path, {"fields": [{"kind": "text", "box": [0, 0, 50, 2], "text": "x", "size": 12}]}))
    assert "taller than the box" in msg
    msg = load_error(make(tmp_path / "t", {"fields": [{"kind": "table", "box": [0, 0, 50, 20], "rows": "name",
                                                      "row_height": 5, "columns": [{"width": 30, "value": "x"}]}]}))
    assert "column widths" in msg


def test_unknown_font_and_extra_keys(tmp_path):
    msg = load_error(make(tmp_path, {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "text": "x", "font": "comic"}]}))
    assert "unknown font" in msg
    msg = load_error(make(tmp_path / "b", {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "text": "x", "colour": 1}]}))
    assert "colour" in msg


def test_form_not_found():
    with pytest.raises(lgforms.FormNotFound) as ei:
        lgforms.render("no_such_form", {})
    assert ei.value.code == "FORM_NOT_FOUND" and ei.value.form_id == "no_such_form"


def test_issue_values_are_checked(tmp_path):
    msg = load_error(make(tmp_path, {"fields": [{"kind": "text", "box": [0, 0, 50, 8], "value": "{{ issue.proxyname }}"}]}))
    assert "issue.proxyname" in msg and "proxy_name" in msg
