"""Compute the 個人住民税 (普通徴収) sample payloads from their inputs, as the law computes them.

    python tools/samples/kojin_juminzei.py   # rewrites forms/zeimu/kojin_zeigaku_kettei_futsu/samples/*.json

Samples are what vendors copy: every amount here follows the rule cited next to it.
- 給与所得: 所得税法 §28 and 別表第五 (給与所得控除, 令和2年分以降); for 収入 1,628,000 – 6,599,999
  the table works on 収入 rounded down to 4,000 yen: A × 80% − 440,000 for 3,600,000 – 6,599,999.
- 基礎控除 (住民税) 430,000 for 合計所得 ≤ 24,000,000 (地方税法 §314の2②).
- 課税標準: 1,000 円未満切捨て (地方税法 §20の4の2①).
- 所得割: 標準税率 市町村 6% / 道府県 4% (§314の3, §35).
- 調整控除 (§314の6, §37): 合計課税所得金額 ≤ 2,000,000: min(人的控除額の差, 課税所得) × 5%
  (市 3% / 県 2%); 人的控除額の差 for 基礎控除 only: 50,000.
- 所得割額: 100 円未満切捨て (§20の4の2③).
- 均等割 市 3,000 / 県 1,000 (令和6年度から; 復興特別 500 + 500 ended with 令和5年度) and
  森林環境税 1,000 (森林環境税及び森林環境譲与税に関する法律 §5).
- 納期: 6月, 8月, 10月, 1月 (§320; a weekend due date moves to the next business day,
  地方税法 §20の5②); 各期: 1,000 円未満の端数は第1期に (§20の4の2⑥).
- コンビニ GS1-128: 44 digits, AI 91, 支払期限 YYMMDD, 支払金額 6 digits, mod-10 (3/1) check digit.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from lgforms.codes.checkdigits import compute_cvs_barcode_cd  # noqa: E402

FORM = ROOT / "forms/zeimu/kojin_zeigaku_kettei_futsu"


def kyuyo_shotoku(shunyu: int) -> int:
    """給与所得 (所得税法 §28 and 別表第五) for 令和7年分 incomes (令和8年度 住民税): the 給与所得控除
    minimum is 650,000 up to 1,900,000 of 収入 (令和7年度税制改正); above that the 令和2年分 table."""
    if shunyu < 651_000:
        return 0
    if shunyu < 1_900_000:
        return shunyu - 650_000
    if shunyu < 6_600_000:
        a = shunyu // 4000 * 4000  # the table's 4,000-yen steps
        if a < 1_800_000:
            return int(a * 0.6) + 100_000
        if a < 3_600_000:
            return int(a * 0.7) - 80_000
        return int(a * 0.8) - 440_000
    if shunyu < 8_500_000:
        return int(shunyu * 0.9) - 1_100_000
    return shunyu - 1_950_000


def business_day(d: dt.date) -> dt.date:
    while d.weekday() >= 5:  # 土・日 (祝日 of these dates: none)
        d += dt.timedelta(days=1)
    return d


def cvs(tsuchisho_no: str, ki: int, due: dt.date, amount: int) -> str:
    free = f"08{int(tsuchisho_no):010d}{ki:02d}".ljust(21, "0")  # 年度 08, 通知書番号, 期
    body = f"91912345{free}0{due:%y%m%d}0{amount:06d}"
    assert len(body) == 43
    return body + str(compute_cvs_barcode_cd(body))


def compute(kyuyo_shunyu: int, shakai_hoken: int, seimei: int = 0) -> dict:
    kyuyo = kyuyo_shotoku(kyuyo_shunyu)
    kiso = 430_000
    kojo_total = shakai_hoken + seimei + kiso
    kazei = max(kyuyo - kojo_total, 0) // 1000 * 1000
    shi_rate, ken_rate = 6, 4
    sanshutsu_shi, sanshutsu_ken = kazei * shi_rate // 100, kazei * ken_rate // 100
    jinteki_sa = 50_000  # 基礎控除 only
    if kazei <= 2_000_000:
        base = min(jinteki_sa, kazei)
    else:
        base = max(jinteki_sa - (kazei - 2_000_000), 50_000)
    chosei_shi, chosei_ken = base * 3 // 100, base * 2 // 100
    wari_shi = max(sanshutsu_shi - chosei_shi, 0) // 100 * 100
    wari_ken = max(sanshutsu_ken - chosei_ken, 0) // 100 * 100
    kin_shi, kin_ken, shinrin = 3000, 1000, 1000
    nenzei = wari_shi + wari_ken + kin_shi + kin_ken + shinrin
    shotoku = [{"kubun": "給与収入", "amount": kyuyo_shunyu}, {"kubun": "給与所得", "amount": kyuyo},
               {"kubun": "総所得金額", "amount": kyuyo}]
    kojo = [{"kubun": "社会保険料控除", "amount": shakai_hoken}]
    if seimei:
        kojo.append({"kubun": "生命保険料控除", "amount": seimei})
    kojo.append({"kubun": "基礎控除", "amount": kiso})
    tax = lambda rate, s, c, w, k: {"rate": rate, "sanshutsu": s, "chosei_kojo": c, "zeigaku_kojo": 0,  # noqa: E731
                                    "shotokuwari": w, "kintowari": k}
    return {"shotoku": shotoku, "kojo": kojo, "kazei_hyojun": kazei,
            "shi": tax(shi_rate, sanshutsu_shi, chosei_shi, wari_shi, kin_shi),
            "ken": tax(ken_rate, sanshutsu_ken, chosei_ken, wari_ken, kin_ken),
            "shinrin_kankyozei": shinrin, "nenzeigaku": nenzei}


def kibetsu(nenzei: int, tsuchisho_no: str, year: int = 2026) -> list[dict]:
    dues = [business_day(dt.date(year, 6, 30)), business_day(dt.date(year, 8, 31)),
            business_day(dt.date(year, 10, 31)), business_day(dt.date(year + 1, 1, 31))]
    per = nenzei // 4 // 1000 * 1000
    amounts = [nenzei - per * 3] + [per] * 3
    out = []
    for i, (d, a) in enumerate(zip(dues, amounts), start=1):
        slip: dict = {"el_no": f"0000099201100{int(tsuchisho_no):010d}{i:02d}"}
        if a <= 300_000:
            slip["cvs"] = cvs(tsuchisho_no, i, d, a)
            slip["cvs_limit"] = d.isoformat()
        out.append({"kibetsu": f"第{i}期", "nokigen": d.isoformat(), "amount": a, "slip": slip})
    return out


def typical() -> dict:
    no = "0000123456"
    p = {"form_id": "kojin_zeigaku_kettei_futsu", "_fictitious": True,
         "_source": "tools/samples/kojin_juminzei.py: 給与収入 4,200,000, 社会保険料 600,000, 単身, 標準税率, 令和8年度",
         "atena_postcode": "987-6543", "atena_address": "東雲県みどり野市若葉町三丁目12番5号",
         "atena_katagaki": "みどり野ハイツ202号室", "atena_name": "葛\U000E0102城　真理子",
         "nendo": "令和8年度", "tsuchisho_no": no, "hakko_date": "2026-06-10"}
    p.update(compute(4_200_000, 600_000))
    p["kibetsu"] = kibetsu(p["nenzeigaku"], no)
    zen = cvs(no, 0, dt.date(2026, 6, 30), p["nenzeigaku"])
    p["zenki"] = {"nokigen": "2026-06-30", "cvs": zen, "cvs_limit": "2026-06-30",
                  "el_no": f"0000099201100{int(no):010d}00", "el_qr": "ELQR-SAMPLE-" + zen}
    p["kibetsu"][0]["slip"]["el_qr"] = "ELQR-SAMPLE-" + p["kibetsu"][0]["slip"]["cvs"]
    # values that do not print verbatim: the eL番号 under a QR is grouped, the eL-QR data is a QR
    p["_printed"] = {"$.zenki.el_no": grouped(p["zenki"]["el_no"]), "$.zenki.el_qr": {"qr": True},
                     "$.kibetsu[0].slip.el_no": grouped(p["kibetsu"][0]["slip"]["el_no"]),
                     "$.kibetsu[0].slip.el_qr": {"qr": True}}
    return p


def grouped(digits: str, n: int = 5) -> str:
    return " ".join(digits[i:i + n] for i in range(0, len(digits), n))


def edge() -> dict:
    """Long names and addresses, non-BMP and IVS characters, a 期 over 30万円 (no convenience code)."""
    no = "0000987654"
    p = {"form_id": "kojin_zeigaku_kettei_futsu", "_fictitious": True,
         "_source": "tools/samples/kojin_juminzei.py: 給与収入 9,800,000, 社会保険料 1,400,000, 生命保険料控除 28,000",
         "atena_postcode": "9876520", "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
         "atena_katagaki": "12階1205号室　齋藤様方", "atena_name": "𠮷田　邉太郎左衛門之介",
         "nendo": "令和8年度", "tsuchisho_no": no, "hakko_date": "令和8年6月10日"}
    p.update(compute(9_800_000, 1_400_000, 28_000))
    p["kibetsu"] = kibetsu(p["nenzeigaku"], no)
    return p


if __name__ == "__main__":
    for name, payload in (("futsu_4ki", typical()), ("futsu_edge_long", edge())):
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), payload["nenzeigaku"], [k["amount"] for k in payload["kibetsu"]])
