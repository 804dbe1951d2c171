"""Batch test inputs built from the forms' own samples (through the public catalog), so they hold
whatever the forms' layouts become: names with IVS and non-BMP characters, and known bad records."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from lgforms.spec.catalog import default_catalog

KOJIN = "kojin_zeigaku_kettei_futsu"
SENKYO = "senkyo_nyujoken_atchaku"
SURNAMES = ["髙橋", "𠮷田", "齋藤", "葛\U000E0102城", "渡邉", "佐藤", "鈴木", "山﨑", "伊藤", "中村"]
GIVEN = ["真理子", "健一", "彩花", "陽向", "ミツ", "邦夫", "翔太", "美咲", "蓮", "結衣"]


def sample(form_id: str) -> dict:
    p = default_catalog().get(form_id).sample()
    return {k: v for k, v in p.items() if not k.startswith("_")}


def name(i: int) -> str:
    return f"{SURNAMES[i % 10]}　{GIVEN[(i // 10) % 10]}"


def postcode(i: int) -> str:
    # a spread of postcodes, not in input order
    return f"{(i * 7919) % 900 + 100:03d}-{(i * 104729) % 10000:04d}"


def tax_records(n: int, bad_every: int | None = 200) -> tuple[list[dict], dict[str, tuple[str, str]]]:
    """n tax notices as {"id", "payload"} envelopes; about 2 % bad. Returns (records, expected
    errors: id -> (code, path))."""
    base = sample(KOJIN)
    date_field = next(k for k, v in base.items() if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v))
    required = [k for k in default_catalog().get(KOJIN).schema["required"] if k not in ("atena_name", "form_id")]
    out, bad = [], {}
    for i in range(n):
        p = copy.deepcopy(base)
        p["atena_name"] = name(i)
        p["atena_postcode"] = postcode(i)
        rid = f"T{i:06d}"
        k = i % bad_every if bad_every else -1
        if k == 7:  # a date that does not exist (平成 ended on 30 April 2019)
            p[date_field] = "平成31年5月1日"
            bad[rid] = ("VALUE_INVALID", f"$.{date_field}")
        elif k == 61:  # a character no font has
            p["atena_name"] = name(i) + "\U0002A6D7"
            bad[rid] = ("MOJI_NOT_IN_FONT", "$.atena_name")
        elif k == 113:  # a required field missing
            del p[required[0]]
            bad[rid] = ("PAYLOAD_INVALID", "$")
        elif k == 171:  # an IVS the font does not know (Adobe-Japan1's 葛+E0100)
            p["atena_name"] = "葛\U000E0100城　" + GIVEN[i % 10]
            bad[rid] = ("IVS_UNKNOWN", "$.atena_name")
        out.append({"id": rid, "payload": p})
    return out, bad


def senkyo_households(n: int) -> list[dict]:
    """投票所入場券 households of 1–4 voters, and some of 6 and 9 (4 and more: more than one mailpiece holds)."""
    base = sample(SENKYO)
    voter = base["voters"][0]
    out = []
    for i in range(n):
        p = copy.deepcopy(base)
        p["_id"] = f"H{i:04d}"
        p["atena_postcode"] = postcode(i)
        size = 6 if i % 10 == 3 else 9 if i % 10 == 7 else 1 + i % 4
        p["voters"] = [dict(voter, name=name(i * 10 + k), meibo_no=f"12-{i:03d}-{k:02d}") for k in range(size)]
        p["atena_name"] = p["voters"][0]["name"]
        out.append(p)
    return out


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path
