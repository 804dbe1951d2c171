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
