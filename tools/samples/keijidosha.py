"""Compute the 軽自動車税（種別割） sample payloads as the law computes them.

    python tools/samples/keijidosha.py   # rewrites the samples of forms/keiji/keiji_nozei_tsuchisho
                                         # and forms/keiji/keiji_nozei_shomeisho_keizoku

- 税率 (地方税法, 平成28年度分から; the 三輪・四輪 標準 rates for 初度検査 平成27年4月以後):
  原付 50cc以下 2,000, 90cc以下 2,000, 125cc以下 2,400, ミニカー 3,700, 軽二輪 3,600, 小型二輪
  6,000, 小型特殊 農耕作業用 2,400 / その他 5,900; 三輪 3,900, 四輪乗用 自家用 10,800 / 営業用
  6,900, 四輪貨物 自家用 5,000 / 営業用 3,800.
- 旧税率 (初度検査 平成27年3月以前): 三輪 3,100, 乗用 7,200 / 5,500, 貨物 4,000 / 3,000.
- 重課 (初度検査から13年を経過: 令和8年度は平成25年3月以前 — 松戸市の適用開始年度表): 三輪 4,600,
  乗用 12,900 / 8,200, 貨物 6,000 / 4,500; not for 電気・天然ガス・メタノール・混合メタノール・
  ガソリンハイブリッド・被けん引車 (they keep their 旧税率 / 標準).
- 軽課 (グリーン化特例, 電気自動車等, 前年度 (令和7年4月〜令和8年3月) に初度検査, 概ね75%軽減):
  三輪 1,000, 乗用 2,700 / 1,800, 貨物 1,300 / 1,000.
- 納期: 条例で5月31日 (2026-05-31 is a Sunday → 6月1日, 地方税法 §20の5②).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from jp_calendar import open_day  # noqa: E402
from slips import grouped, slip  # noqa: E402

from lgforms.codes import wareki  # noqa: E402

ROOT = HERE.parents[1]
FORM = ROOT / "forms/keiji/keiji_nozei_tsuchisho"
SHOMEI = ROOT / "forms/keiji/keiji_nozei_shomeisho_keizoku"

FLAT = {"原動機付自転車（50cc以下）": 2000, "原動機付自転車（50cc超90cc以下）": 2000, "原動機付自転車（90cc超125cc以下）": 2400,
        "ミニカー": 3700, "軽二輪（125cc超250cc以下）": 3600, "小型二輪（250cc超）": 6000, "小型特殊（農耕作業用）": 2400,
        "小型特殊（その他）": 5900}
BY_CLASS = {  # 旧税率, 標準, 重課, 軽課
    "三輪": (3100, 3900, 4600, 1000),
    "四輪乗用（自家用）": (7200, 10800, 12900, 2700), "四輪乗用（営業用）": (5500, 6900, 8200, 1800),
    "四輪貨物（自家用）": (4000, 5000, 6000, 1300), "四輪貨物（営業用）": (3000, 3800, 4500, 1000)}


def vehicle(no: str, shashu: str, shodo: str | None = None, *, year: int = 2026, green: bool = False,
            jukajogai: bool = False) -> dict:
    v: dict = {"hyoshiki_no": no, "shashu": shashu}
    if shashu in FLAT:
        v["zeigaku"] = FLAT[shashu]
        return v
    assert shodo
    old, std, heavy, light = BY_CLASS[shashu]
    if green:
        assert f"{year - 1}-04" <= shodo <= f"{year}-03"
        kubun, tax = "軽課", light
    elif shodo <= f"{year - 13}-03" and not jukajogai:
        kubun, tax = "重課", heavy
    elif shodo <= "2015-03":
        kubun, tax = "旧税率", old
    else:
        kubun, tax = "標準", std
    v.update(shodo_kensa=shodo, zeiritsu_kubun=kubun, zeigaku=tax)
    if jukajogai:
        v["jukajogai"] = True
    return v


def payload(no: str, vehicles: list[dict], atena: dict, source: str, qr: bool) -> dict:
    due = open_day(dt.date(2026, 5, 31))
    total = sum(v["zeigaku"] for v in vehicles)
    p = {"form_id": "keiji_nozei_tsuchisho", "_fictitious": True, "_source": source, **atena,
         "nendo": "令和8年度", "tsuchisho_no": no, "hakko_date": "2026-05-08", "vehicles": vehicles,
         "nenzeigaku": total, "nokigen": due.isoformat(), "slip": slip("04", no, 0, due, total, qr=qr)}
    printed = {}
    if qr:
        printed = {"$.slip.el_no": grouped(p["slip"]["el_no"]), "$.slip.el_qr": {"qr": True}}
    # booleans print as what they decide: the 旧税率 of a 重課-exempt vehicle
    for k, v in enumerate(vehicles):
        if v.get("shodo_kensa"):  # printed as 和暦 年月
            printed[f"$.vehicles[{k}].shodo_kensa"] = wareki(v["shodo_kensa"] + "-01", fmt="ym")
        if v.get("jukajogai"):
            printed[f"$.vehicles[{k}].jukajogai"] = "旧税率"
    if printed:
        p["_printed"] = printed
    return p


def typical() -> dict:
    vs = [vehicle("みどり野 580 あ 12-34", "四輪乗用（自家用）", "2019-09"),
          vehicle("みどり野市 あ 1234", "原動機付自転車（50cc以下）")]
    return payload("0000345678", vs, {"atena_postcode": "987-6543", "atena_address": "東雲県みどり野市若葉町三丁目12番5号",
                                     "atena_katagaki": "みどり野ハイツ202号室", "atena_name": "葛\U000E0102城　真理子"},
                   "tools/samples/keijidosha.py: 四輪乗用自家用 (令和元年9月 初度検査, 標準) + 原付 50cc, 令和8年度", qr=True)


def edge() -> dict:
    """36 vehicles of a delivery business: every class (重課, 旧税率, 軽課, 重課対象外), continuation."""
    kana = "あいうえかきくけこさすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるれろわ"
    vs = []
    plan = [("四輪貨物（営業用）", "2012-11", {}), ("四輪貨物（営業用）", "2013-03", {}), ("四輪貨物（営業用）", "2013-04", {}),
            ("四輪貨物（営業用）", "2015-03", {}), ("四輪貨物（営業用）", "2015-04", {}), ("四輪貨物（自家用）", "2010-06", {}),
            ("四輪貨物（自家用）", "2010-06", {"jukajogai": True}), ("四輪乗用（自家用）", "2025-10", {"green": True}),
            ("四輪乗用（営業用）", "2026-03", {"green": True}), ("三輪", "2008-05", {}), ("三輪", "2016-01", {}),
            ("四輪乗用（自家用）", "2011-01", {}), ("四輪乗用（自家用）", "2014-12", {}), ("四輪乗用（自家用）", "2021-07", {})]
    for k in range(36):
        shashu, shodo, kw = plan[k] if k < len(plan) else (
            "四輪貨物（営業用）" if k % 3 else "四輪貨物（自家用）", f"{2014 + k % 12}-{(k % 12) + 1:02d}", {})
        vs.append(vehicle(f"みどり野 4{k:02d} {kana[k % len(kana)]} {10 + k}-{(k * 37) % 100:02d}", shashu, shodo, **kw))
    for shashu in ("原動機付自転車（50cc超90cc以下）", "原動機付自転車（90cc超125cc以下）", "ミニカー", "軽二輪（125cc超250cc以下）",
                   "小型二輪（250cc超）", "小型特殊（農耕作業用）", "小型特殊（その他）"):
        vs.append(vehicle(f"みどり野市 {len(vs)}", shashu))
    return payload("0000876543", vs, {
        "atena_postcode": "9876520", "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
        "atena_katagaki": "12階1205号室　齋藤様方", "atena_name": "𠮷田　邉太郎左衛門之介"},
        "tools/samples/keijidosha.py: 43 vehicles of every class and rate, 令和8年度", qr=False)


def shomeisho(v: dict, **person) -> dict:
    """継続検査用納税証明書 of one vehicle: the 税額 as the notice computed it; 有効期限 the next
    年度's 納期限 (the usual practice: the certificate serves until the next tax falls due)."""
    return {"form_id": "keiji_nozei_shomeisho_keizoku", "_fictitious": True,
            "_source": "tools/samples/keijidosha.py: the vehicle's 令和8年度 種別割 as the notice computes it",
            **person, "hyoshiki_no": v["hyoshiki_no"], "shashu": v["shashu"], "nendo": "令和8年度",
            "zeigaku": v["zeigaku"], "yuko_kigen": open_day(dt.date(2027, 5, 31)).isoformat()}


if __name__ == "__main__":
    car = vehicle("みどり野 580 あ 12-34", "四輪乗用（自家用）", "2019-09")
    bike = vehicle("みどり野 く 5678", "小型二輪（250cc超）")
    for name, p in (("keizoku_yonrin", shomeisho(car, address="東雲県みどり野市若葉町三丁目12番5号　みどり野ハイツ202号室",
                                                 name="葛\U000E0102城　真理子", shadai_no="MH55S-123456",
                                                 nofu_date="2026-05-20", shomei_date="2026-06-03")),
                    ("keizoku_edge", shomeisho(bike, address="東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　"
                                                             "みどり野グランドパレス南館12階1205号室",
                                               name="𠮷田　邉太郎左衛門之介", shadai_no="ZX250X-ABC1234567",
                                               nofu_date="令和8年6月1日", shomei_date="令和8年6月1日"))):
        path = SHOMEI / "samples" / f"{name}.json"
        path.write_text(json.dumps(p, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), p["zeigaku"])
    for name, p in (("keiji_2dai", typical()), ("keiji_edge_43dai", edge())):
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(p, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), p["nenzeigaku"], len(p["vehicles"]))
