"""Bad payloads: PAYLOAD_INVALID / VALUE_INVALID naming the JSON path; nothing is drawn."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import lgforms

ROOT = Path(__file__).resolve().parents[2]
SETAI = json.loads((ROOT / "forms/juki/juki_jyuminhyo_setai/samples/setai_5nin.json").read_text(encoding="utf-8"))


def test_missing_required_field_names_its_path():
    p = copy.deepcopy(SETAI)
    del p["persons"][2]["birth_date"]
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    e = ei.value
    assert e.code == "PAYLOAD_INVALID" and e.path == "$.persons[2]" and "birth_date" in e.message


def test_wrong_type_and_impossible_date():
    p = copy.deepcopy(SETAI)
    p["persons"][1]["birth_date"] = "2023-02-30"
    p["persons"][3]["kojin_bango"] = "12345"
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    paths = [x["path"] for x in ei.value.detail["errors"]]
    assert "$.persons[1].birth_date" in paths and "$.persons[3].kojin_bango" in paths


def test_unknown_field_is_rejected_not_ignored():
    p = copy.deepcopy(SETAI)
    p["persons"][0]["furigana_typo"] = "タカハシ"
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    assert ei.value.path == "$.persons[0]"


def test_wareki_invalid_era_date_names_the_field():
    p = copy.deepcopy(SETAI)
    p["persons"][4]["birth_date"] = "平成31年5月1日"  # 平成 ended on 2019-04-30
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    assert ei.value.path == "$.persons[4].birth_date"


def test_pre_gregorian_date_is_an_error():
    p = copy.deepcopy(SETAI)
    p["persons"][0]["birth_date"] = "1872-12-31"
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    assert ei.value.path == "$.persons[0].birth_date"


def test_character_not_in_font_names_field_position_and_codepoint():
    p = copy.deepcopy(SETAI)
    p["persons"][3]["name"] = "髙橋　\U0001F600"  # an emoji: no font of the stack has it
    with pytest.raises(lgforms.MojiNotInFont) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    e = ei.value
    assert e.path == "$.persons[3].name" and e.detail["position"] == 3 and e.detail["codepoints"] == "U+1F600"


def test_all_character_problems_are_listed_at_once():
    p = copy.deepcopy(SETAI)
    p["persons"][0]["name"] = "葛\U000E0100城"  # Adobe-Japan1 sequence, not in IPAmj
    p["address"] = "東雲県\U0001F600"
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render("juki_jyuminhyo_setai", p)
    listed = {(x["code"], x["path"]) for x in ei.value.detail["all"]}
    assert ("IVS_UNKNOWN", "$.persons[0].name") in listed and ("MOJI_NOT_IN_FONT", "$.address") in listed


KOBETSU = json.loads((ROOT / "forms/juki/juki_jyuminhyo_kobetsu/samples/kobetsu_basic.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("value,says", [
    ("2019-02-30", "no such day (month 2 of that year has no day 30)"),
    ("2023-02-29", "no such day"),
    ("2019-00-10", "no such month (0)"),
    ("2019/05/01", "slashes"),
    ("2019-5-1", "two digits"),
    ("H31.4.30", "the short 和暦 form"),
    ("令和元年五月一日です", "not a date in an accepted form"),
])
def test_dates_that_are_no_dates_get_the_reason_and_the_accepted_forms(value, says):
    p = copy.deepcopy(SETAI)
    p["persons"][1]["birth_date"] = value
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.layout("juki_jyuminhyo_setai", p)
    e = ei.value
    assert e.path == "$.persons[1].birth_date" and says in e.message
    assert "accepted forms: YYYY-MM-DD (2019-05-01) or 和暦 (令和元年5月1日)" in e.message
    assert "anyOf" not in e.message and value not in e.message  # the value itself is not repeated


def test_a_date_or_null_field_explains_the_date_too():
    p = copy.deepcopy(KOBETSU)
    p["history"][0]["todokede_date"] = "2021-02-29"  # anyOf [date, null] around anyOf [ISO, 和暦]
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        lgforms.layout("juki_jyuminhyo_kobetsu", p)
    assert ei.value.path == "$.history[0].todokede_date" and "no such day" in ei.value.message


def test_wareki_dates_that_do_not_exist_say_no_such_day():
    p = copy.deepcopy(SETAI)
    p["persons"][1]["birth_date"] = "令和元年2月30日"
    with pytest.raises(lgforms.ValueInvalid) as ei:
        lgforms.layout("juki_jyuminhyo_setai", p)
    assert "no such day" in ei.value.message and ei.value.path == "$.persons[1].birth_date"


def test_parse_payload_reports_bytes_and_keeps_values():
    from lgforms.bind.payload import parse_payload

    text = json.dumps({"name": "髙橋　健一", "note": "①"}, ensure_ascii=False)
    assert parse_payload(text.encode("cp932"), encoding="cp932") == json.loads(text)
    assert parse_payload(b"\xef\xbb\xbf" + text.encode()) == json.loads(text)
    with pytest.raises(lgforms.PayloadInvalid) as ei:
        parse_payload(text.encode("cp932"))
    d = ei.value.detail
    assert d["byte_offset"] == text.encode("cp932").index("髙".encode("cp932")) and d["looks_like"] == "cp932"
    for bad in (b"\x80", b"\xa0", b"\xfd"):  # Windows turns these into U+0080 / private use: refused
        with pytest.raises(lgforms.PayloadInvalid) as ei:
            parse_payload(b'{"a": "x' + bad + b'"}', encoding="cp932")
        assert ei.value.detail["byte_offset"] == 8
    with pytest.raises(lgforms.PayloadInvalid, match="appears twice"):
        parse_payload(b'{"a": 1, "b": {"c": 1, "c": 2}}')
    with pytest.raises(lgforms.PayloadInvalid, match="Infinity"):
        parse_payload(b'{"a": Infinity}')
