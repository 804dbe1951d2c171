"""Compute the 固定資産税・都市計画税 納税通知書 sample payloads from their inputs, as the law computes them.

    python tools/samples/kotei_shisanzei.py   # rewrites forms/kotei/kotei_nozei_tsuchisho/samples/*.json

Samples are what vendors copy: every amount here follows the rule cited next to it.
- 課税標準 of land (地方税法 §349, §349の3の2; 附則 §18, §25 負担調整, 令和6〜8年度):
  住宅用地 本則 = 価格 × 1/6 (小規模住宅用地, 200 ㎡ per dwelling) or × 1/3 (一般住宅用地); 都市計画税
  × 1/3 / × 2/3 (§702の3). 負担水準 = 前年度課税標準額 / 本則; ≥ 1: 本則; otherwise 前年度 + 本則 × 5%,
  at most 本則 and at least 本則 × 20%. 商業地等 (非住宅用地): 負担水準 = 前年度 / 価格; > 70%: 価格 × 70%;
  60–70%: 前年度 据置; < 60%: 前年度 + 価格 × 5%, within 価格 × 20%…60%. 山林 and other land that is not
  宅地等: 課税標準 = 価格. Yen fractions of a parcel's 課税標準 are dropped.
- 家屋: 課税標準 = 価格 (§349). 新築住宅 (附則 §15の6): 3 年度分, half the tax on up to 120 ㎡ of
  floor (軽減税額 = 相当税額 × min(1, 120 / 床面積) / 2, 円未満切捨て); 都市計画税 has no such 減額.
- 免税点 (§351): no 固定資産税 when a category's 課税標準 total is under 土地 300,000 / 家屋 200,000 /
  償却資産 1,500,000 yen; no 都市計画税 on land or houses exempt so (§702③).
- 課税標準額 1,000 円未満切捨て (§20の4の2①), 税額 100 円未満切捨て (§20の4の2③).
- 税率: 固定資産税 標準税率 1.4% (§350①), 都市計画税 制限税率 0.3% (§702の4).
- 相当税額 on the 課税明細書 (informational): 課税標準額 × 税率, 円未満切捨て, per asset — their sum
  can differ from the 税額 computed on the rounded total (the notice says so).
- 納期: 4月, 7月, 12月, 2月 (§362①, 条例); a due date on a weekend moves to the next business day
  (§20の5②); the 1,000 円未満 端数 of each 期 goes to the first (§20の4の2⑥).
- コンビニ GS1-128: 44 digits, AI 91, 支払期限 YYMMDD, 支払金額 6 digits, mod-10 (3/1) check digit;
  none above 300,000 yen.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from lgforms.codes.checkdigits import compute_cvs_barcode_cd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wrapped_cells import wrapped_printed  # noqa: E402

FORM = ROOT / "forms/kotei/kotei_nozei_tsuchisho"
KOTEI_RATE = Decimal("1.4")  # %
TOSHI_RATE = Decimal("0.3")  # %
MENZEITEN = {"tochi": 300_000, "kaoku": 200_000, "shokyaku": 1_500_000}


def floor(x: Decimal) -> int:
    return int(x.to_integral_value(rounding=ROUND_FLOOR))


def tax(hyojun: int, rate: Decimal) -> int:
    return floor(Decimal(hyojun) * rate / 100)


def jutaku_hyojun(honsoku: int, zennen: int) -> int:
    """住宅用地 (附則 §18): 負担水準 ≥ 1 → 本則; else 前年度 + 本則 × 5% within 本則 × 20%…本則."""
    if zennen >= honsoku:
        return honsoku
    v = zennen + floor(Decimal(honsoku) * Decimal("0.05"))
    return min(max(v, floor(Decimal(honsoku) * Decimal("0.2"))), honsoku)


def shogyo_hyojun(kakaku: int, zennen: int) -> int:
    """商業地等 (附則 §18④ etc.): 負担水準 > 70% → 70%; 60–70% → 据置; < 60% → 前年度 + 5%."""
    level = Decimal(zennen) / Decimal(kakaku)
    if level > Decimal("0.7"):
        return floor(Decimal(kakaku) * Decimal("0.7"))
    if level >= Decimal("0.6"):
        return zennen
    v = zennen + floor(Decimal(kakaku) * Decimal("0.05"))
    return min(max(v, floor(Decimal(kakaku) * Decimal("0.2"))), floor(Decimal(kakaku) * Decimal("0.6")))


def land(shozai: str, chiban: str, chimoku: str, chiseki: str, unit_price: int, use: str, *,
         zennen_ratio: Decimal = Decimal("1"), toshi: bool = True, genkyo: str | None = None,
         tekiyo: str | None = None) -> dict:
    """One parcel. ``use``: shokibo | ippan | hijutaku | sonota (not 宅地等: 山林 …).
    ``zennen_ratio``: last year's 課税標準 as a share of this year's 本則 (the 負担水準)."""
    area = Decimal(chiseki)
    kakaku = floor(area * unit_price)
    row: dict = {"shozai": shozai, "chiban": chiban, "toki_chimoku": chimoku, "genkyo_chimoku": genkyo or chimoku,
                 "toki_chiseki": chiseki, "genkyo_chiseki": chiseki, "kakaku": kakaku}
    if use in ("shokibo", "ippan"):
        k_div, t_div = (6, 3) if use == "shokibo" else (3, Decimal(3) / 2)
        k_hon, t_hon = floor(Decimal(kakaku) / k_div), floor(Decimal(kakaku) / Decimal(t_div))
        k_prev, t_prev = floor(k_hon * zennen_ratio), floor(t_hon * zennen_ratio)
        row["jutaku"] = {"shokibo": chiseki} if use == "shokibo" else {"ippan": chiseki}
        kotei, toshi_h = jutaku_hyojun(k_hon, k_prev), jutaku_hyojun(t_hon, t_prev)
    elif use == "hijutaku":
        k_prev = t_prev = floor(kakaku * zennen_ratio)
        kotei = toshi_h = shogyo_hyojun(kakaku, k_prev)
    else:
        k_prev = t_prev = kakaku
        kotei = toshi_h = kakaku
    row.update(zennen_kotei=k_prev, kotei_hyojun=kotei, kotei_sotozei=tax(kotei, KOTEI_RATE))
    if toshi:
        row.update(zennen_toshi=t_prev, toshi_hyojun=toshi_h, toshi_sotozei=tax(toshi_h, TOSHI_RATE))
    if tekiyo:
        row["tekiyo"] = tekiyo
    return row


def house(shozai: str, bango: str | None, shurui: str, kozo: str, yuka: str, nen: str, kakaku: int, *,
          shinchiku: bool = False, toshi: bool = True) -> dict:
    row: dict = {"shozai": shozai}
    if bango:
        row["kaoku_bango"] = bango
    row.update(shurui=shurui, kozo=kozo, toki_yuka=yuka if bango else None, genkyo_yuka=yuka, kenchiku_nen=nen,
               kakaku=kakaku, kotei_hyojun=kakaku, kotei_sotozei=tax(kakaku, KOTEI_RATE))
    if row["toki_yuka"] is None:
        del row["toki_yuka"]  # 未登記: no 登記床面積
    if shinchiku:
        share = min(Decimal(1), Decimal(120) / Decimal(yuka))
        row["keigen"] = floor(row["kotei_sotozei"] * share / 2)
        row["tekiyo"] = "新築住宅軽減"
    if toshi:
        row.update(toshi_hyojun=kakaku, toshi_sotozei=tax(kakaku, TOSHI_RATE))
    return row


def business_day(d: dt.date) -> dt.date:
    while d.weekday() >= 5:  # 土・日 (the 祝日 of these dates fall elsewhere)
        d += dt.timedelta(days=1)
    return d


def cvs(tsuchisho_no: str, ki: int, due: dt.date, amount: int) -> str:
    free = f"18{int(tsuchisho_no):010d}{ki:02d}".ljust(21, "0")  # 税目 18 (固定), 通知書番号, 期
    body = f"91912345{free}0{due:%y%m%d}0{amount:06d}"
    assert len(body) == 43
    return body + str(compute_cvs_barcode_cd(body))


def el_no(tsuchisho_no: str, ki: int) -> str:
    return f"0000099201180{int(tsuchisho_no):010d}{ki:02d}"


def grouped(digits: str, n: int = 5) -> str:
    return " ".join(digits[i:i + n] for i in range(0, len(digits), n))


def assess(tochi: list[dict], kaoku: list[dict], shokyaku: int | None, with_toshi: bool) -> dict:
    """The notice's 課税標準額 by category (§364①), the tax and the 年税額."""
    out: dict = {"kazei_hyojun": {}}
    sums = {}
    for name, rows in (("tochi", tochi), ("kaoku", kaoku)):
        s = {"kakaku": sum(r["kakaku"] for r in rows), "kotei": sum(r["kotei_hyojun"] for r in rows)}
        if with_toshi:
            s["toshi"] = sum(r.get("toshi_hyojun", 0) for r in rows)
        out["kazei_hyojun"][name] = s
        sums[name] = s
    if shokyaku is not None:
        out["kazei_hyojun"]["shokyaku"] = {"kakaku": shokyaku, "kotei": shokyaku}
        sums["shokyaku"] = {"kotei": shokyaku}
    taxed = [k for k, s in sums.items() if s["kotei"] >= MENZEITEN[k]]  # 免税点 (§351)
    k_hyojun = sum(sums[k]["kotei"] for k in taxed) // 1000 * 1000
    k_san = tax(k_hyojun, KOTEI_RATE)
    genmen = sum(r.get("keigen", 0) for r in kaoku) if "kaoku" in taxed else 0
    out["kotei"] = {"kazei_hyojun": k_hyojun, "rate": float(KOTEI_RATE), "sanshutsu": k_san, "genmen": genmen,
                    "zeigaku": max(k_san - genmen, 0) // 100 * 100}
    nenzei = out["kotei"]["zeigaku"]
    if with_toshi:
        t_hyojun = sum(sums[k].get("toshi", 0) for k in taxed if k != "shokyaku") // 1000 * 1000
        t_san = tax(t_hyojun, TOSHI_RATE)
        out["toshi"] = {"kazei_hyojun": t_hyojun, "rate": float(TOSHI_RATE), "sanshutsu": t_san,
                        "zeigaku": t_san // 100 * 100}
        nenzei += out["toshi"]["zeigaku"]
    out["nenzeigaku"] = nenzei
    return out


def kibetsu(nenzei: int, no: str, year: int = 2026) -> tuple[list[dict], dict]:
    dues = [business_day(dt.date(year, 4, 30)), business_day(dt.date(year, 7, 31)),
            business_day(dt.date(year, 12, 25)), business_day(dt.date(year + 1, 2, 28))]
    per = nenzei // 4 // 1000 * 1000
    amounts = [nenzei - per * 3] + [per] * 3
    out = []
    for i, (d, a) in enumerate(zip(dues, amounts), start=1):
        slip: dict = {"el_no": el_no(no, i)}
        if a <= 300_000:
            slip["cvs"] = cvs(no, i, d, a)
            slip["cvs_limit"] = d.isoformat()
        out.append({"kibetsu": f"第{i}期", "nokigen": d.isoformat(), "amount": a, "slip": slip})
    zenki: dict = {"nokigen": dues[0].isoformat(), "el_no": el_no(no, 0)}
    if nenzei <= 300_000:
        zenki["cvs"] = cvs(no, 0, dues[0], nenzei)
        zenki["cvs_limit"] = dues[0].isoformat()
    return out, zenki


def typical() -> dict:
    no = "0000300123"
    town = "みどり野市若葉町三丁目"
    tochi = [
        land(town, "1234番5", "宅地", "165.28", 60_000, "shokibo"),
        land(town, "1234番6", "宅地", "98.00", 55_000, "hijutaku", zennen_ratio=Decimal("0.64"), tekiyo="駐車場"),
        land("みどり野市大字東原字北山", "2051番", "山林", "1520", 100, "sonota", toshi=False, tekiyo="市街化調整区域"),
    ]
    kaoku = [
        house(town + "1234番地5", "1234番5", "居宅", "木造スレートぶき2階建", "118.42", "令和6年", 8_450_000,
              shinchiku=True),
        house(town + "1234番地5", None, "物置", "木造平家建", "9.72", "昭和63年", 81_000),
    ]
    p = {"form_id": "kotei_nozei_tsuchisho", "_fictitious": True,
         "_source": "tools/samples/kotei_shisanzei.py: 自宅（小規模住宅用地・新築住宅軽減）、駐車場、山林; 令和8年度",
         "atena_postcode": "987-6543", "atena_address": "東雲県みどり野市若葉町三丁目12番5号",
         "atena_name": "葛\U000E0102西　浩二", "nendo": "令和8年度", "tsuchisho_no": no,
         "hakko_date": "2026-04-08"}
    p.update(assess(tochi, kaoku, None, True))
    p["kibetsu"], p["zenki"] = kibetsu(p["nenzeigaku"], no)
    p["zenki"]["el_qr"] = "ELQR-SAMPLE-" + p["zenki"]["cvs"]
    p["kibetsu"][0]["slip"]["el_qr"] = "ELQR-SAMPLE-" + p["kibetsu"][0]["slip"]["cvs"]
    p["tochi"], p["kaoku"] = tochi, kaoku
    p["_printed"] = {"$.zenki.el_no": grouped(p["zenki"]["el_no"]), "$.zenki.el_qr": {"qr": True},
                     "$.kibetsu[0].slip.el_no": grouped(p["kibetsu"][0]["slip"]["el_no"]),
                     "$.kibetsu[0].slip.el_qr": {"qr": True}}
    return p


def edge() -> dict:
    """A 共有 owner with many parcels (the 課税明細書 continues over pages), long names and
    addresses, non-BMP 𠮷 and IVS 葛󠄂, 償却資産 under its 免税点, 期 over 30万円 (no convenience code)."""
    no = "0000987654"
    tochi = []
    towns = ["みどり野市大字𠮷野字髙田原", "みどり野市大字葛\U000E0102原字北ノ谷地", "みどり野市中央一丁目",
             "みどり野市若葉町三丁目"]
    kinds = [("宅地", "shokibo", "180.55", 48_000), ("宅地", "ippan", "412.30", 36_000),
             ("宅地", "hijutaku", "256.00", 72_000), ("雑種地", "hijutaku", "1208", 9_500),
             ("山林", "sonota", "15230", 85)]
    for i in range(34):
        chimoku, use, area, price = kinds[i % len(kinds)]
        town = towns[i % len(towns)]
        ratio = [Decimal("1"), Decimal("0.93"), Decimal("0.55"), Decimal("0.66"), Decimal("1")][i % 5]
        tochi.append(land(town, f"{1200 + i * 7}番{i % 9 + 1}", chimoku, area, price + (i * 137) % 900, use,
                          zennen_ratio=ratio, toshi=(i % 7 != 3), genkyo=("宅地" if chimoku == "雑種地" and i % 2 else None),
                          tekiyo=("市街化調整区域" if i % 7 == 3 else "共有" if i % 6 == 0 else None)))
    kaoku = []
    for i in range(7):
        kaoku.append(house(towns[i % len(towns)] + f"{1200 + i * 7}番地{i % 9 + 1}",
                           f"{1200 + i * 7}番{i % 9 + 1}の{i + 1}" if i != 4 else None,
                           ["居宅", "共同住宅", "店舗・居宅", "倉庫", "車庫", "事務所", "居宅"][i],
                           ["木造かわらぶき2階建", "軽量鉄骨造亜鉛メッキ鋼板ぶき3階建", "鉄筋コンクリート造陸屋根5階建",
                            "鉄骨造スレートぶき平家建", "木造亜鉛メッキ鋼板ぶき平家建", "鉄骨鉄筋コンクリート造陸屋根地下1階付7階建",
                            "木造スレートぶき2階建"][i],
                           ["132.48", "486.20", "1208.75", "320.00", "36.40", "2450.12", "98.60"][i],
                           ["昭和52年", "平成3年", "平成18年", "昭和48年", "平成元年", "令和元年", "令和7年"][i],
                           [3_120_000, 24_680_000, 98_450_000, 4_210_000, 380_000, 310_560_000, 9_870_000][i],
                           shinchiku=(i == 6), toshi=(i != 3)))
    p = {"form_id": "kotei_nozei_tsuchisho", "_fictitious": True,
         "_source": "tools/samples/kotei_shisanzei.py: 共有者代表、土地34筆・家屋7棟、償却資産（免税点未満）; 令和8年度",
         "atena_postcode": "9876520", "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
         "atena_katagaki": "12階1205号室　齋藤様方", "atena_name": "𠮷田　邉太郎左衛門之介　外2名",
         "nendo": "令和8年度", "tsuchisho_no": no, "hakko_date": "令和8年4月8日"}
    p.update(assess(tochi, kaoku, 1_200_000, True))
    p["kibetsu"], p["zenki"] = kibetsu(p["nenzeigaku"], no)
    p["tochi"], p["kaoku"] = tochi, kaoku
    return p


def no_toshi() -> dict:
    """A municipality (or a taxpayer's assets) without 都市計画税: the notice has no 都市計画税 parts."""
    no = "0000300456"
    tochi = [land("みどり野市大字東原字南", "88番2", "宅地", "264.46", 21_000, "shokibo", zennen_ratio=Decimal("0.96"),
                  toshi=False)]
    kaoku = [house("みどり野市大字東原字南88番地2", "88番2", "居宅", "木造かわらぶき平家建", "104.33", "昭和59年", 1_980_000,
                   toshi=False)]
    p = {"form_id": "kotei_nozei_tsuchisho", "_fictitious": True,
         "_source": "tools/samples/kotei_shisanzei.py: 都市計画税のない区域の自宅; 令和8年度",
         "atena_postcode": "987-6511", "atena_address": "東雲県みどり野市大字東原字南88番地2",
         "atena_name": "東原　はる", "nendo": "令和8年度", "tsuchisho_no": no, "hakko_date": "2026-04-08"}
    p.update(assess(tochi, kaoku, None, False))
    p["kibetsu"], p["zenki"] = kibetsu(p["nenzeigaku"], no)
    p["tochi"], p["kaoku"] = tochi, kaoku
    return p


if __name__ == "__main__":
    (FORM / "samples").mkdir(parents=True, exist_ok=True)
    for name, payload in (("kotei_jitaku_typical", typical()), ("kotei_edge_kyoyu", edge()), ("kotei_no_toshi", no_toshi())):
        # wrapped table cells print in pieces: say so (the every-value-appears test reads it)
        wrapped = wrapped_printed("kotei_nozei_tsuchisho", payload)
        if wrapped:
            payload["_printed"] = {**payload.get("_printed", {}), **wrapped}
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), payload["nenzeigaku"], [k["amount"] for k in payload["kibetsu"]])
