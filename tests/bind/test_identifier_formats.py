"""Identifier formats at validate time, the refusal of an undeclared 個人番号, and ``mask`` for copies.

A small form of this test's own: every identifier format in its schema (top level, in an array, and
through a $ref), validated by both validators the loader builds (the compiled fast one answers
"valid?", jsonschema writes the report)."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

import lgforms
from lgforms.bind.kojin_bango import looks_like_my_number
from lgforms.bind.payload import validate_payload

from pdfcheck import pdftotext, pypdf_pages

MY_NUMBER = "123456789018"  # catalog test number: 11 digits 12345678901 + CD 8
SCHEMA = {
    "type": "object", "additionalProperties": False,
    "$defs": {"bango": {"type": ["string", "null"], "format": "kojin-bango"}},
    "properties": {
        "name": {"type": "string"},
        "memo": {"type": "string"},
        "atena_bango": {"type": "string", "pattern": "^[0-9]{12}$", "x-kojin-bango": False},
        "kojin_bango": {"$ref": "#/$defs/bango"},
        "hojin_bango": {"type": "string", "format": "hojin-bango"},
        "dantai_code": {"type": "string", "format": "dantai-code"},
        "hokensha_no": {"type": "string", "format": "hokensha-bango"},
        "cvs": {"type": "string", "format": "cvs-barcode"},
        "members": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "properties": {"name": {"type": "string"},
                           "hihokensha_no": {"type": "string", "format": "kouki-hihokensha-bango"},
                           "kojin_bango": {"anyOf": [{"type": "null"},
                                                     {"type": "string", "format": "kojin-bango"}]}}}},
        "count": {"type": "integer"},
    },
}
GOOD = {
    "name": "髙橋 一郎", "memo": "令和8年度 第1期", "atena_bango": "000000000019", "kojin_bango": MY_NUMBER,
    "hojin_bango": "7000012050002", "dantai_code": "131016", "hokensha_no": "01130012",
    "cvs": "91912345010800001234560100000026063000641007",
    "members": [{"name": "髙橋 花子", "hihokensha_no": "12345674", "kojin_bango": None},
                {"name": "髙橋 次郎", "hihokensha_no": "00000000", "kojin_bango": "000000000019"}],
    "count": 3,
}
FIELDS = [
    {"kind": "text", "box": [10, 10, 120, 8], "value": "{{ name }}"},
    {"kind": "text", "id": "bango_copy", "box": [10, 20, 120, 8], "value": "{{ kojin_bango | mask(4) }}"},
    {"kind": "text", "id": "bango_none", "box": [10, 30, 120, 8], "value": "{{ kojin_bango | mask }}"},
    {"kind": "text", "id": "bango_absent", "box": [10, 40, 120, 8], "value": "[{{ members[0].kojin_bango | mask(4) }}]"},
]


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    root = tmp_path_factory.mktemp("ids")
    return make(root, SCHEMA)


def make(root, schema, form_id="ids"):
    d = root / "t" / form_id
    (d / "samples").mkdir(parents=True, exist_ok=True)
    form = {"id": form_id, "title": "identifier formats", "area": "test", "pages": [{"id": "p", "fields": FIELDS}]}
    (d / "form.yaml").write_text(yaml.safe_dump(form, allow_unicode=True), "utf-8")
    (d / "schema.json").write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
    return lgforms.Catalog(root)


def invalid(cat, **changes) -> lgforms.PayloadInvalid:
    p = copy.deepcopy(GOOD)
    for path, value in changes.items():
        node = p
        parts = path.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        node[parts[-1]] = value
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        validate_payload(cat.get("ids"), p)
    return ei.value


def test_good_payload_passes_the_fast_validator_and_the_full_check(cat):
    form = cat.get("ids")
    assert form.fast_validator is not None  # the identifier formats keep the compiled fast path
    form.fast_validator(copy.deepcopy(GOOD))
    assert validate_payload(form, copy.deepcopy(GOOD)) == GOOD
    assert not list(form.validator.iter_errors(GOOD))


@pytest.mark.parametrize(("field", "bad", "path", "expected"), [
    ("kojin_bango", "123456789019", "$.kojin_bango", "expected 8"),  # via $ref
    ("hojin_bango", "8000012050002", "$.hojin_bango", "expected 7"),  # CD is the first digit
    ("dantai_code", "131017", "$.dantai_code", "expected 6"),
    ("hokensha_no", "01130013", "$.hokensha_no", "expected 2"),
    ("cvs", "91912345010800001234560100000026063000641008", "$.cvs", "expected 7"),
    ("members__1__hihokensha_no", "12345675", "$.members[1].hihokensha_no", "expected 4"),
    ("members__1__kojin_bango", "000000000018", "$.members[1].kojin_bango", "expected 9"),  # via anyOf
])
def test_wrong_check_digit_is_payload_invalid_with_path_and_expected_digit(cat, field, bad, path, expected):
    e = invalid(cat, **{field: bad})
    assert e.code == "PAYLOAD_INVALID" and e.path == path
    assert expected in e.message, e.message
    assert bad not in e.message and bad not in json.dumps(e.detail, ensure_ascii=False)
    # jsonschema's own message would quote the value: the report must not
    assert all(bad not in x["message"] for x in e.detail["errors"])


def test_every_bad_identifier_is_reported_not_just_the_first(cat):
    e = invalid(cat, hojin_bango="8000012050002", dantai_code="131017", hokensha_no="1130012")
    paths = [x["path"] for x in e.detail["errors"]]
    assert paths == ["$.dantai_code", "$.hojin_bango", "$.hokensha_no"]
    assert "must be 6 or 8 digits" in e.detail["errors"][2]["message"]


def test_cvs_due_date_that_does_not_exist(cat):
    # 2026-02-30 in positions 31-36; CD recomputed so that only the date is wrong
    from lgforms.codes import compute_cvs_barcode_cd

    body = "9191234501080000123456010000002602300064100"
    e = invalid(cat, cvs=body + str(compute_cvs_barcode_cd(body)))
    assert e.path == "$.cvs" and "支払期限日" in e.message


def test_unknown_format_name_fails_when_the_form_loads(tmp_path):
    schema = copy.deepcopy(SCHEMA)
    schema["properties"]["kojin_bango"] = {"type": "string", "format": "kojin_bango"}  # underscore: a typo
    with pytest.raises(lgforms.FormSpecInvalid) as ei:
        make(tmp_path, schema).get("ids")
    assert "unknown format 'kojin_bango'" in ei.value.message
    assert "#/properties/kojin_bango" in ei.value.message


# -- a form whose schema does not allow a 個人番号 refuses one ----------------------------------------

@pytest.mark.parametrize("text", [
    MY_NUMBER, "1234 5678 9018", "1234-5678-9018", "１２３４５６７８９０１８", "１２３４　５６７８　９０１８",
    "個人番号は123456789018です", "番号:1234-5678-9018。",
    "2026-06-30 123456789018",  # digits beyond a separator do not hide it
])
def test_my_number_in_an_undeclared_field_is_refused(cat, text):
    e = invalid(cat, memo=text)
    assert e.code == "PAYLOAD_INVALID" and e.path == "$.memo"
    assert "個人番号" in e.message and "kojin-bango" in e.message
    assert "123456789018" not in e.message and "9018" not in e.message
    assert e.detail == {"reason": "kojin_bango_not_allowed"}


def test_my_number_in_a_nested_undeclared_field_names_its_path(cat):
    e = invalid(cat, members__1__name="000000000019")
    assert e.path == "$.members[1].name"


def test_my_number_as_a_json_integer_is_refused(cat):
    e = invalid(cat, count=123456789018)
    assert e.path == "$.count"


@pytest.mark.parametrize("text", [
    "123456789019",  # 12 digits, wrong check digit: not a 個人番号
    "1234567890180",  # 13 digits: part of a longer number (e.g. a 法人番号)
    "91912345010800001234560100000026063000641007",  # inside the 44-digit CVS data
    "12345678901",  # 11 digits
    "1234 5678 901 8",  # not grouped 4-4-4
])
def test_numbers_that_are_not_a_my_number_pass(cat, text):
    p = dict(copy.deepcopy(GOOD), memo=text)
    validate_payload(cat.get("ids"), p)


def test_declared_fields_and_the_opt_out_accept_a_my_number(cat):
    # kojin_bango ($ref to a kojin-bango format), members[].kojin_bango (anyOf), atena_bango (x-kojin-bango: false)
    assert looks_like_my_number(GOOD["kojin_bango"]) and looks_like_my_number(GOOD["atena_bango"])
    assert looks_like_my_number(GOOD["members"][1]["kojin_bango"])
    validate_payload(cat.get("ids"), copy.deepcopy(GOOD))


def test_a_form_that_declares_no_my_number_refuses_it_everywhere(tmp_path):
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "memo": {"type": "string"},
                                               "kojin_bango": {"type": ["string", "null"]},
                                               "members": {"type": "array"}}}
    form = make(tmp_path, schema).get("ids")
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        validate_payload(form, {"name": "x", "kojin_bango": MY_NUMBER})
    assert ei.value.path == "$.kojin_bango"  # a field merely *named* kojin_bango is not a declaration
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        validate_payload(form, {"name": "x", "members": [{"n": "y"}, {"extra": MY_NUMBER}]})
    assert ei.value.path == "$.members[1].extra"  # free-form data (no items schema) is scanned too
    validate_payload(form, {"name": "x", "kojin_bango": None, "memo": "令和8年"})


def test_shipped_juminhyo_declares_its_my_number_field():
    from lgforms.spec.catalog import default_catalog

    for form_id in ("juki_jyuminhyo_setai", "juki_jyuminhyo_kobetsu"):
        form = default_catalog().get(form_id)
        validate_payload(form, form.sample())  # the samples carry 123456789018 in the declared field


# -- mask: the copy shows only what the form lets it show -------------------------------------------

def test_mask_hides_the_number_in_the_printed_copy_and_its_text_layer(cat):
    pdf = lgforms.render("ids", copy.deepcopy(GOOD), catalog=cat)
    for text in (pdftotext(pdf), pypdf_pages(pdf)[0]):
        assert "＊＊＊＊＊＊＊＊9018" in text  # mask(4): the last four digits
        assert "＊" * 12 in text  # mask: none
        assert "[]" in text  # an absent number stays absent, never "None"
        assert "12345678" not in text and MY_NUMBER not in text
        assert "1234" not in text.replace("＊", "")


def test_mask_rejects_a_negative_keep(tmp_path):
    d = make(tmp_path, SCHEMA)
    bad = [dict(FIELDS[1], value="{{ kojin_bango | mask(-1) }}")]
    form_dir = tmp_path / "t" / "ids"
    form = yaml.safe_load((form_dir / "form.yaml").read_text("utf-8"))
    form["pages"][0]["fields"] = bad
    (form_dir / "form.yaml").write_text(yaml.safe_dump(form, allow_unicode=True), "utf-8")
    with pytest.raises(lgforms.LgformsError, match="keep must be >= 0") as ei:
        lgforms.render("ids", copy.deepcopy(GOOD), catalog=lgforms.Catalog(tmp_path))
    assert MY_NUMBER not in str(ei.value)
    del d


def test_encoded_fields_are_not_scanned_and_recursive_schemas_end(tmp_path):
    schema = {"type": "object", "$defs": {"node": {"type": "object", "properties": {
        "label": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
        "properties": {"image": {"type": "string", "contentEncoding": "base64"},
                       "tree": {"$ref": "#/$defs/node"}, "name": {"type": "string"},
                       "kojin_bango": {"type": "null"}, "members": {"type": "array"}}}
    form = make(tmp_path, schema).get("ids")
    # base64 data is for a decoder, not printed text: a chance run of 12 digits in it is no 個人番号
    validate_payload(form, {"name": "x", "image": "iVBORw0KGgo" + MY_NUMBER + "AAAA"})
    deep = {"label": "a", "children": [{"label": "b", "children": [{"label": MY_NUMBER}]}]}
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        validate_payload(form, {"name": "x", "tree": deep})
    assert ei.value.path == "$.tree.children[0].children[0].label"
