"""Build the 固定資産評価証明書 samples (forms/kotei/kotei_hyokagaku_shomeisho).

    python tools/samples/kotei_hyoka.py

The 価格 are fictitious 台帳 values made the way the 固定資産評価基準 does in outline: land = 地積
(現況) × the 1㎡ value of its 路線 (and 補正), yen rounded down; buildings = 再建築費評点数 × 経年減点
補正率 × 1点当たり価額 (1.00 here), rounded down to the yen — the totals on the certificate are then
computed by the form. Not the law's arithmetic on the certificate itself (it shows the 台帳's values).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "forms/kotei/kotei_hyokagaku_shomeisho"


def land(shozai: str, toki: str, genkyo: str, area_toki: str, area_genkyo: str, per_m2: int) -> dict:
    return {"shozai": shozai, "chimoku_toki": toki, "chimoku_genkyo": genkyo, "chiseki_toki": area_toki,
            "chiseki_genkyo": area_genkyo, "kakaku": int(Decimal(area_genkyo) * per_m2)}


def building(shozai: str, no: str | None, shurui: str, kozo: str, nen: str, toki: str | None, genkyo: str,
             saikenchiku_per_m2: int, keinen: str) -> dict:
    b = {"shozai": shozai, "shurui": shurui, "kozo": kozo, "kenchiku_nen": nen, "yukamenseki_genkyo": genkyo,
         "kakaku": int(Decimal(genkyo) * saikenchiku_per_m2 * Decimal(keinen))}
    if no:
        b["kaoku_no"] = no
    if toki:
        b["yukamenseki_toki"] = toki
    return b


def typical() -> dict:
    return {"form_id": "kotei_hyokagaku_shomeisho", "_fictitious": True,
            "_source": "tools/samples/kotei_hyoka.py: 宅地1筆と居宅1棟, 令和8年度",
            "nendo": "令和8年度", "owner_address": "東雲県みどり野市若葉町三丁目12番5号", "owner_name": "葛\U000E0102城　真理子",
            "purpose": "登記申請用",
            "tochi": [land("若葉町三丁目12番5", "宅地", "宅地", "165.28", "165.28", 98_500)],
            "kaoku": [building("若葉町三丁目12番地5", "12番5", "居宅", "木造スレート葺2階建", "平成15年",
                               "98.54", "98.54", 152_000, "0.4")],
            "shomei_date": "2026-04-06"}


def edge() -> dict:
    """27 parcels (continuation sheets), 3 buildings (one 未登記), the longest owner name and address."""
    tochi = []
    for k in range(27):
        kind = ["宅地", "畑", "田", "山林", "雑種地"][k % 5]
        genkyo = "宅地" if k % 7 == 0 else kind
        area = f"{(k * 137) % 900 + 60}.{(k * 13) % 100:02d}" if kind == "宅地" else f"{(k * 311) % 3000 + 120}"
        per = {"宅地": 72_000, "畑": 1_150, "田": 980, "山林": 210, "雑種地": 8_400}[genkyo]
        tochi.append(land(f"大字𠮷野字髙田原{1000 + k * 7}番{k % 4 + 1}", kind, genkyo, area, area, per))
    kaoku = [building("大字𠮷野字髙田原1000番地1", "1000番1", "居宅", "木造瓦葺2階建", "昭和63年", "142.30", "148.77",
                      128_000, "0.2"),
             building("大字𠮷野字髙田原1000番地1", "1000番1の2", "倉庫", "鉄骨造亜鉛メッキ鋼板葺平家建", "平成20年",
                      "66.00", "66.00", 61_000, "0.55"),
             building("大字𠮷野字髙田原1014番地2", None, "物置", "木造亜鉛メッキ鋼板葺平家建", "令和2年", None, "9.72",
                      45_000, "0.8")]
    return {"form_id": "kotei_hyokagaku_shomeisho", "_fictitious": True,
            "_source": "tools/samples/kotei_hyoka.py: 27筆と3棟, 令和8年度",
            "nendo": "令和8年度",
            "owner_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館12階1205号室",
            "owner_name": "𠮷田　邉太郎左衛門之介　外2名", "tochi": tochi, "kaoku": kaoku, "shomei_date": "令和8年4月6日"}


if __name__ == "__main__":
    for name, p in (("hyoka_1hitsu_1to", typical()), ("hyoka_edge_27hitsu_3to", edge())):
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(p, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), sum(t["kakaku"] for t in p["tochi"]), sum(k["kakaku"] for k in p["kaoku"]))
