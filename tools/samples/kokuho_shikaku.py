"""Compute the 資格情報のお知らせ（国民健康保険） sample payloads, as the law sets the dates.

    python tools/samples/kokuho_shikaku.py   # rewrites forms/kokuho/kokuho_shikaku_joho_oshirase/samples/*.json

Samples are what vendors copy: the 70–74 items below follow the rule cited next to them.
- Age: one reaches an age at the end of the day before the birthday (年齢計算ニ関スル法律,
  民法 §143); so a person born on the 1st reaches 70 in the previous month.
- 一部負担金の割合 2割 (3割 with 現役並み所得) applies from the first day of the month after the
  one in which the person reaches 70 (国民健康保険法 §42①三・四); under 70 the お知らせ prints none.
- It is decided each year for 8月1日〜翌7月31日 (高槻市, 東海村, 阿南市): 有効期限 7月31日, or the day before
  the 75th birthday when that comes first (豊後大野市, 横須賀市) — on the 75th birthday the person
  leaves 国保 for 後期高齢者医療 (高齢者の医療の確保に関する法律 §50, §52).
- 発効期日: the latest of 資格取得年月日, the 8月1日 opening the current year and the first day of the
  2割/3割 (above).
- 保険者番号: 6 digits, the last the 検証番号 (the project's ``hokensha-bango`` format checks it).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from lgforms.codes import wareki  # noqa: E402

FORM = ROOT / "forms/kokuho/kokuho_shikaku_joho_oshirase"


def reaches_age(birth: dt.date, years: int) -> dt.date:
    """The day a person reaches ``years`` (the day before that birthday; 29 Feb → 28 Feb)."""
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:  # born on 29 February: the birthday is 1 March in common years
        birthday = dt.date(birth.year + years, 3, 1)
    return birthday - dt.timedelta(days=1)


def koreisha(birth: dt.date, shutoku: dt.date, on: dt.date, genekinami: bool = False) -> dict:
    """一部負担金の割合, 発効期日 and 有効期限 of a 70–74 person on the day ``on`` the notice is made,
    or {} under 70 (or from 75: no longer in 国保)."""
    reach70, reach75 = reaches_age(birth, 70), reaches_age(birth, 75)
    start = (reach70.replace(day=1) + dt.timedelta(days=32)).replace(day=1)  # the month after reaching 70
    if on < reach70.replace(day=1) or on > reach75:
        return {}
    year_start = dt.date(on.year if on.month >= 8 else on.year - 1, 8, 1)
    year_end = dt.date(year_start.year + 1, 7, 31)
    return {"futan_wariai": "3割" if genekinami else "2割",
            "hakko_kijitsu": max(shutoku, year_start, start),
            "yuko_kigen": min(year_end, reach75)}


def member(name: str, birth: dt.date, kigo: str, bango: str, edaban: str, shutoku: dt.date, on: dt.date,
           genekinami: bool = False, iso: bool = False, **extra) -> dict:
    fmt = (lambda d: d.isoformat()) if iso else wareki
    m = {"name": name, "birth_date": fmt(birth), "kigo": kigo, "bango": bango, "edaban": edaban,
         "shikaku_shutoku_date": fmt(shutoku)}
    for k, v in koreisha(birth, shutoku, on, genekinami).items():
        m[k] = fmt(v) if isinstance(v, dt.date) else v
    m.update(extra)
    return m


def typical() -> dict:
    on = dt.date(2026, 11, 24)
    join = dt.date(2026, 11, 1)
    return {
        "form_id": "kokuho_shikaku_joho_oshirase",
        "_fictitious": True,
        "_source": "tools/samples/kokuho_shikaku.py (persons and numbers from the fictitious sample "
                   "kokuho_shikaku_kakuninsho of the project's reference catalog, not part of this repository); "
                   "the 70–74 items computed by the law",
        "_check_digits": {"hokensha_no": "99201 -> 検証番号 6 (the hokensha-bango format checks it)"},
        "atena_postcode": "987-6502",
        "atena_address": "東雲県みどり野市本町一丁目2番3号",
        "atena_katagaki": "みどり野ハイツ202号室",
        "atena_name": "齋藤　美咲",
        "hokensha_no": "992016",
        "hokensha_name": "みどり野市",
        "hakko_date": wareki(on),
        "members": [
            member("齋藤　美咲", dt.date(1990, 3, 15), "みど01", "2345", "01", join, on),
            member("齋藤　𠮷太", dt.date(2015, 6, 1), "みど01", "2345", "02", join, on, iso=True),
            # 74, turns 75 on 2027-06-20: 有効期限 is the day before, not 7月31日 nor a month end
            member("髙木　葛\U000E0102城", dt.date(1952, 6, 20), "みど01", "2345", "03", join, on),
        ],
    }


def edge() -> dict:
    on = dt.date(2026, 11, 24)
    return {
        "form_id": "kokuho_shikaku_joho_oshirase",
        "_fictitious": True,
        "_source": "tools/samples/kokuho_shikaku.py: a full mailpiece of 4 (cards on both inner panels and card "
                   "backs on both faces), the longest names (40), address and 方書, IVS 葛󠄂 (U+845B U+E0102) and "
                   "non-BMP 𠮷 (U+20BB7), a 3割 person who turns 75 before 7月31日, one born on the 1st who reaches "
                   "70 this month (発効期日 12月1日), an 有効期限 without 高齢受給者 items (end of a period of stay) and "
                   "a child",
        "atena_postcode": "9876543",
        "_printed": {"$.atena_postcode": "987-6543"},
        "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
        "atena_katagaki": "12階1205号室　齋藤様方",
        "atena_name": "葛\U000E0102城　𠮷右衛門之助太郎左衛門之丞",
        "hokensha_no": "992016",
        "hokensha_name": "みどり野市",
        "hakko_date": wareki(on),
        "members": [
            member("葛\U000E0102城　𠮷右衛門之助太郎左衛門之丞", dt.date(1952, 3, 2), "みどり野0123", "123456789012", "01",
                   dt.date(2012, 4, 1), on, genekinami=True),
            member("葛\U000E0102城　美智子", dt.date(1956, 12, 1), "みどり野0123", "123456789012", "02",
                   dt.date(2012, 4, 1), on),
            member("ファン・ティ・タイン・フオン・グエン・ホアン・アイン・ミン・チャウ・キム・ラン", dt.date(1995, 8, 30),
                   "みどり野0123", "123456789012", "03", dt.date(2025, 10, 1), on, yuko_kigen=wareki(dt.date(2027, 3, 31)),
                   _note="有効期限: 在留期間の満了日（70歳未満: 一部負担金の割合・発効期日は記載しない）"),
            member("髙橋　齋", dt.date(2021, 2, 28), "みどり野0123", "123456789012", "04", dt.date(2021, 2, 28), on),
        ],
    }


if __name__ == "__main__":
    for name, payload in (("oshirase_3nin", typical()), ("oshirase_edge_4nin", edge())):
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print("wrote", path.relative_to(ROOT))
