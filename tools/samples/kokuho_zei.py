"""Compute the 国民健康保険税 納税通知書 samples as the みどり野市国民健康保険税条例 (fictitious)
would, for 令和7年度 (令和6年分の所得).

    python tools/samples/kokuho_zei.py   # rewrites forms/kokuho/kokuho_zei_nozei_tsuchisho/samples/*.json

The demo city's 条例 (3方式: 所得割・均等割・平等割; rates chosen for the samples, limits = the
令和7年度 政令 maxima):
    区分                 所得割   均等割(1人)  平等割(1世帯)  課税限度額
    医療分 (基礎課税額)   7.50%    30,000      22,000        660,000
    後期高齢者支援金分     2.60%    10,000       7,000        260,000
    介護納付金分 (40–64)  2.20%    12,000       6,000        170,000
- 基準総所得金額 = 総所得金額等 − 430,000 (0未満は0); 所得割 = 世帯の合計 × 税率, 円未満切捨て.
- 低所得世帯の軽減 (地方税法 §703の5, 施行令 令和7年度): 判定所得 ≤ 430,000 + 100,000×(給与所得者等−1)
  → 7割; ≤ それ + 305,000×判定人数 → 5割; ≤ それ + 560,000×判定人数 → 2割; 均等割と平等割を軽減.
- 未就学児 (§703の5の2): 均等割 (軽減後) の5割 (医療分・支援金分).
- 課税額 = min(算出額, 限度額), 100円未満切捨て, 区分ごと; 年税額 = 合計.
- 納期 (条例): 7月〜翌年3月の9期, 各月末 (12月は25日), 休日は翌開庁日 (§20の5②);
  分割: 第2期以降は年税額÷9の千円未満切捨て, 端数は第1期 (§20の4の2⑥).
- 給与所得 (令和6年分): 所得税法 別表第五 (tools/samples/kojin_juminzei.kyuyo_shotoku).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from jp_calendar import month_end, open_day  # noqa: E402
from kojin_juminzei import kyuyo_shotoku  # noqa: E402
from slips import grouped, slip  # noqa: E402

ROOT = HERE.parents[1]
FORM = ROOT / "forms/kokuho/kokuho_zei_nozei_tsuchisho"

JOREI = [  # 区分, 所得割 (basis points), 均等割, 平等割, 限度額
    ("医療分", 750, 30_000, 22_000, 660_000),
    ("後期高齢者支援金分", 260, 10_000, 7_000, 260_000),
    ("介護納付金分", 220, 12_000, 6_000, 170_000),
]
KEIGEN_KIJUN = {"kiso": 430_000, "go": 305_000, "ni": 560_000, "kyuyo": 100_000}  # 令和7年度


def member(name: str, zokugara: str, birth: str, shotoku: int, kyuyo_nenkin: bool, *, nendo_start=dt.date(2025, 4, 1)) -> dict:
    b = dt.date.fromisoformat(birth)
    # age on 4月1日. Nobody in the samples turns 40, 65 or 75 during the year: those months would be
    # levied in part (月割), which this script does not model.
    age = nendo_start.year - b.year - ((nendo_start.month, nendo_start.day) < (b.month, b.day))
    assert age not in (39, 64, 74)
    return {"name": name, "zokugara": zokugara, "birth_date": birth, "shotoku": shotoku,
            "kijun_shotoku": max(shotoku - 430_000, 0), "kyuyo_nenkin": kyuyo_nenkin,
            "kaigo": 40 <= age < 65, "mishugakuji": age < 6}


def wari(hantei: int, ninzu: int, kyuyo: int, k=KEIGEN_KIJUN) -> int:
    base = k["kiso"] + k["kyuyo"] * max(kyuyo - 1, 0)
    if hantei <= base:
        return 7
    if hantei <= base + k["go"] * ninzu:
        return 5
    if hantei <= base + k["ni"] * ninzu:
        return 2
    return 0


def santei(members: list[dict], w: int) -> list[dict]:
    out = []
    for kubun, bp, kinto, byodo, gendo in JOREI:
        who = [m for m in members if m["kaigo"]] if kubun == "介護納付金分" else members
        if not who:
            continue
        base = sum(m["kijun_shotoku"] for m in who)
        shotokuwari = base * bp // 10_000
        kintowari, byodowari = kinto * len(who), byodo
        keigen = (kintowari + byodowari) * w // 10
        if kubun != "介護納付金分":
            keigen += sum(m["mishugakuji"] for m in members) * ((kinto - kinto * w // 10) // 2)
        sanshutsu = shotokuwari + kintowari + byodowari - keigen
        out.append({"kubun": kubun, "rate": bp / 100, "kinto": kinto, "byodo": byodo, "gendo": gendo,
                    "shotokuwari": shotokuwari, "ninzu": len(who), "kintowari": kintowari, "byodowari": byodowari,
                    "keigen": keigen, "sanshutsu": sanshutsu, "kazei": min(sanshutsu, gendo) // 100 * 100})
    return out


def kibetsu(nenzei: int, number: str) -> list[dict]:
    months = [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 4)]
    per = nenzei // 9 // 1000 * 1000
    out = []
    for i, (y, m) in enumerate(months, start=1):
        due = open_day(dt.date(y, 12, 25) if m == 12 else month_end(y, m))
        amount = nenzei - per * 8 if i == 1 else per
        out.append({"kibetsu": f"第{i}期", "nokigen": due.isoformat(), "amount": amount,
                    "slip": slip("06", number, i, due, amount, qr=i == 1)})
    return out


def payload(no: str, atena: dict, members: list[dict], source: str, gisei: bool = False, extra_shotoku: int = 0) -> dict:
    hantei = sum(m["shotoku"] for m in members) + extra_shotoku
    kyuyo = sum(m["kyuyo_nenkin"] for m in members)
    w = wari(hantei, len(members), kyuyo)
    s = santei(members, w)
    total = sum(k["kazei"] for k in s)
    p = {"form_id": "kokuho_zei_nozei_tsuchisho", "_fictitious": True, "_source": source, **atena,
         "nendo": "令和7年度", "tsuchisho_no": no, "hakko_date": "2025-07-10", "members": members,
         "keigen": {"hantei_shotoku": hantei, "hantei_ninzu": len(members), "kyuyo_ninzu": kyuyo, **KEIGEN_KIJUN, "wari": w},
         "santei": s, "nenzeigaku": total, "kibetsu": kibetsu(total, no)}
    if gisei:
        p["gisei_setainushi"] = True
    k1 = p["kibetsu"][0]["slip"]
    printed = {"$.kibetsu[0].slip.el_no": grouped(k1["el_no"]), "$.kibetsu[0].slip.el_qr": {"qr": True},
               "$.keigen.wari": f"{w}割" if w else "なし"}
    for i, m in enumerate(members):  # booleans print as ○ (or nothing) in their columns
        for key in ("kyuyo_nenkin", "kaigo", "mishugakuji"):
            printed[f"$.members[{i}].{key}"] = ["○", ""]
    for i, k in enumerate(s):
        printed[f"$.santei[{i}].rate"] = f"{k['rate']:g}%"
    if gisei:
        printed["$.gisei_setainushi"] = "擬制世帯主"
    p["_printed"] = printed
    return p


def typical() -> dict:
    """4 persons: 給与 3,000,000 and パート 900,000, two children (one pre-school) → 2割軽減."""
    ms = [member("葛\U000E0102城　健一", "世帯主", "1980-05-14", kyuyo_shotoku(3_000_000), True),
          member("葛\U000E0102城　真理子", "妻", "1983-07-03", kyuyo_shotoku(900_000), True),
          member("葛\U000E0102城　陽菜", "子", "2015-02-20", 0, False),
          member("葛\U000E0102城　翔", "子", "2021-09-08", 0, False)]
    return payload("0000612345", {"atena_postcode": "987-6543", "atena_address": "東雲県みどり野市若葉町三丁目12番5号",
                                  "atena_katagaki": "みどり野ハイツ202号室", "atena_name": "葛\U000E0102城　健一"}, ms,
                   "tools/samples/kokuho_zei.py: 令和7年度, 4人世帯, 給与 3,000,000 + パート 900,000, 2割軽減, 未就学児1人")


def edge() -> dict:
    """9 persons, a high income: every part at its 課税限度額; the longest 宛名; a 擬制世帯主."""
    ms = [member("𠮷田　邉子", "妻", "1975-03-02", 14_570_000, False),
          member("𠮷田　邉太郎左衛門之介", "子", "2001-06-30", kyuyo_shotoku(2_600_000), True),
          member("𠮷田　髙子", "母", "1953-01-15", 1_000_000, True),
          member("𠮷田　齋", "子", "2003-11-11", kyuyo_shotoku(1_200_000), True),
          member("𠮷田　邉二郎", "子", "2005-04-01", 0, False),
          member("𠮷田　𠮷三郎", "子", "2008-10-10", 0, False),
          member("𠮷田　美咲", "子の妻", "2000-08-08", kyuyo_shotoku(1_800_000), True),
          member("𠮷田　葛\U000E0102葉", "孫", "2022-01-05", 0, False),
          member("𠮷田　花", "孫", "2024-12-24", 0, False)]
    return payload("0000612999", {"atena_postcode": "9876520",
                                  "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
                                  "atena_katagaki": "12階1205号室　齋藤様方", "atena_name": "𠮷田　邉太郎"}, ms,
                   "tools/samples/kokuho_zei.py: 令和7年度, 9人の被保険者 (妻の事業所得 14,570,000), 擬制世帯主 (会社員, 所得 5,000,000), 全区分が課税限度額",
                   gisei=True, extra_shotoku=5_000_000)


if __name__ == "__main__":
    for name, p in (("kokuho_4nin_2wari", typical()), ("kokuho_edge_9nin_gendo", edge())):
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(p, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), p["keigen"]["wari"], [(k["kubun"], k["sanshutsu"], k["kazei"]) for k in p["santei"]],
              p["nenzeigaku"], [k["amount"] for k in p["kibetsu"]][:2])
