"""Compute the 所得・課税証明書 sample payloads (forms/zeimu/kojin_shotoku_kazei_shomeisho) as the
law computes them.

    python tools/samples/kojin_shomeisho.py

The tax is tools/samples/kojin_tokucho.tax() (令和8年度, 令和7年分の給与所得), with these 住民税
所得控除 (地方税法 §314の2) in the edge sample: 生命保険料控除 (上限 70,000), 地震保険料控除
(支払額の1/2, 上限 25,000), 医療費控除 (支払額 − 100,000), 障害者控除 260,000 (調整控除の人的控除額の
差 10,000). 合計所得金額 = 総所得金額等 (no 繰越控除). 年少扶養親族 (16歳未満) are counted, not deducted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from kojin_tokucho import tax  # noqa: E402

ROOT = HERE.parents[1]
FORM = ROOT / "forms/zeimu/kojin_shotoku_kazei_shomeisho"


def typical() -> dict:
    p = {"form_id": "kojin_shotoku_kazei_shomeisho", "_fictitious": True,
         "_source": "tools/samples/kojin_shomeisho.py: 給与収入 4,200,000, 社会保険料 600,000, 単身, 令和8年度",
         "address": "東雲県みどり野市若葉町三丁目12番5号　みどり野ハイツ202号室", "name": "葛\U000E0102城　真理子",
         "birth_date": "1983-07-03", "nendo": "令和8年度", "shotoku_nen": "令和7年分", "shomei_date": "2026-07-01"}
    t = tax(4_200_000, 600_000)
    p.update(t)
    p["gokei_shotoku"] = t["sotoku"]
    p["fuyo"] = {"haigusha": False, "ippan": 0, "tokutei": 0, "rojin": 0, "nensho": 0}
    p["_printed"] = {"$.fuyo.haigusha": "無"}
    return p


def edge() -> dict:
    """8 deduction lines, dependants, the longest name and address, non-BMP and IVS characters, 備考."""
    p = {"form_id": "kojin_shotoku_kazei_shomeisho", "_fictitious": True,
         "_source": "tools/samples/kojin_shomeisho.py: 給与収入 6,500,000, 社会保険料 975,000, 生命 70,000, 地震 25,000, "
                    "医療費 220,000 支払, 障害者, 配偶者, 一般扶養1人, 特定扶養1人, 年少扶養1人",
         "address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館12階1205号室",
         "name": "𠮷田　邉太郎左衛門之介", "nendo": "令和8年度", "shotoku_nen": "令和7年分",
         "shomei_date": "令和8年7月1日", "biko": "令和8年1月1日以後に転出した方の証明書は、令和8年1月1日現在の住所地で発行します。"}
    t = tax(6_500_000, 975_000, 70_000, haigusha=True, fuyo=1, tokutei=1,
            extra=(("地震保険料控除", 25_000, 0), ("医療費控除", 120_000, 0), ("障害者控除", 260_000, 10_000)))
    p.update(t)
    p["gokei_shotoku"] = t["sotoku"]
    p["fuyo"] = {"haigusha": True, "ippan": 1, "tokutei": 1, "rojin": 0, "nensho": 1}
    p["_printed"] = {"$.fuyo.haigusha": "有"}
    return p


if __name__ == "__main__":
    for name, payload in (("shotoku_kazei", typical()), ("shotoku_kazei_edge", edge())):
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), payload["kazei_hyojun"], payload["nenzeigaku"], len(payload["kojo"]))
