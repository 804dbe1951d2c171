"""Compute the 督促状 sample payloads (forms/common/common_tokusokujo) as the law computes them.

    python tools/samples/tokusoku.py

- 発付日: within 20 days after the 納期限 (地方税法 §329① etc.; 訓示規定).
- 指定期限: the day on which 10 days counted from the 発付日 have passed (発付日 + 10; §331①: 滞納処分
  when not paid in full by then). A day the offices are closed moves to the next open day.
- 延滞金 as on the 発付日 (§326 / §369 / … with 附則 §3の2): 本税 1,000円未満切捨て (本税 2,000円未満:
  none, §20の4の2②); from the day after the 納期限 to the day the 1-month period ends (the same date
  one month after the 納期限) at 延滞金特例基準割合 + 1%, then + 7.3%: 2025 年2.4% / 8.7%, 2026
  年2.8% / 9.1% (財務大臣告示 via 中央市, 米沢市, 袋井市); each year's days at that year's rate, 365
  days a year; each part rounded down to the yen, the sum to 100 yen, under 1,000 yen none (§20の4の2⑤).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from jp_calendar import open_day  # noqa: E402
from slips import slip  # noqa: E402

ROOT = HERE.parents[1]
FORM = ROOT / "forms/common/common_tokusokujo"
RATES = {2025: (0.024, 0.087), 2026: (0.028, 0.091), 2027: (0.028, 0.091)}  # 2027: assumed as 2026 (unpublished)


def one_month_after(d: dt.date) -> dt.date:
    y, m = d.year + (d.month == 12), d.month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise AssertionError


def entaikin(honzei: int, nokigen: dt.date, until: dt.date) -> int:
    if honzei < 2000 or until <= nokigen:
        return 0
    base = honzei // 1000 * 1000
    boundary = one_month_after(nokigen)
    parts: dict[tuple[int, int], int] = {}  # (year, 0 early / 1 late) -> days
    d = nokigen + dt.timedelta(days=1)
    while d <= until:
        key = (d.year, 0 if d <= boundary else 1)
        parts[key] = parts.get(key, 0) + 1
        d += dt.timedelta(days=1)
    total = sum(int(base * RATES[y][k] * days / 365) for (y, k), days in parts.items())
    total = total // 100 * 100
    return total if total >= 1000 else 0


def item(zeimoku: str, nendo: str, kibetsu: str, number: str, nokigen: dt.date, honzei: int, code: str, *,
         hakko: dt.date, shitei: dt.date, k: int) -> dict:
    """One 督促 item; its slip is due on the 指定期限 (the convenience-store code only up to 30万円)."""
    en = entaikin(honzei, nokigen, hakko)
    return {"zeimoku": zeimoku, "nendo": nendo, "kibetsu": kibetsu, "tsuchisho_no": number,
            "nokigen": nokigen.isoformat(), "honzei": honzei, "entaikin": en, "gokei": honzei + en,
            "slip": slip(code, number, 90 + k, shitei, honzei + en)}


def payload(no: str, hakko: dt.date, atena: dict, items: list[tuple], source: str) -> dict:
    shitei = open_day(hakko + dt.timedelta(days=10))
    its = [item(*it, hakko=hakko, shitei=shitei, k=k) for k, it in enumerate(items)]
    return {"form_id": "common_tokusokujo", "_fictitious": True, "_source": source, **atena, "tsuchisho_no": no,
            "hakko_date": hakko.isoformat(), "shitei_kigen": shitei.isoformat(), "items": its}


def typical() -> dict:
    return payload("0000501234", dt.date(2026, 7, 17),
                   {"atena_postcode": "987-6543", "atena_address": "東雲県みどり野市若葉町三丁目12番5号",
                    "atena_katagaki": "みどり野ハイツ202号室", "atena_name": "葛\U000E0102城　真理子"},
                   [("市民税・県民税（普通徴収）", "令和8年度", "第1期", "0000123456", dt.date(2026, 6, 30), 50_500, "01")],
                   "tools/samples/tokusoku.py: 令和8年度 市民税・県民税 第1期 (kojin_zeigaku_kettei_futsu sample), 督促 17日後")


def edge() -> dict:
    """まとめ督促: four taxes, one over 30万円 with 延滞金 (no convenience-store code), the longest 宛名."""
    return payload("0000987001", dt.date(2026, 7, 17),
                   {"atena_postcode": "9876520",
                    "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
                    "atena_katagaki": "12階1205号室　齋藤様方", "atena_name": "𠮷田　邉太郎左衛門之介"},
                   [("法人市民税", "令和7年度", "確定申告分", "0000440021", dt.date(2026, 6, 1), 1_250_000, "05"),
                    ("市民税・県民税（普通徴収）", "令和8年度", "第1期", "0000987654", dt.date(2026, 6, 30), 151_600, "01"),
                    ("固定資産税・都市計画税", "令和8年度", "第1期", "0000765432", dt.date(2026, 4, 30), 45_600, "03"),
                    ("軽自動車税（種別割）", "令和8年度", "全期", "0000876543", dt.date(2026, 6, 1), 188_900, "04")],
                   "tools/samples/tokusoku.py: まとめ督促 of four taxes on 2026-07-17")


if __name__ == "__main__":
    for name, p in (("tokusoku_1ki", typical()), ("tokusoku_edge_matome", edge())):
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(p, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), [(i["honzei"], i["entaikin"]) for i in p["items"]], p["shitei_kigen"])
