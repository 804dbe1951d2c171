"""Compute the 法人市町村民税 sample payloads as the law computes them.

    python tools/samples/hojin.py   # rewrites the samples of forms/hojin/hojin_shinkokusho_annai
                                    # and forms/hojin/hojin_nofusho

- 均等割 標準税率 (地方税法 §312①, 年額): 資本金等の額 50億円超 — 従業者数 50人超 3,000,000 / 以下 410,000;
  10億円超 1,750,000 / 410,000; 1億円超 400,000 / 160,000; 1千万円超 150,000 / 130,000; その他 120,000 /
  50,000. The demo city levies the 標準税率 (制限税率 is 1.2倍, §312②).
- 予定申告 (§321の8②): 法人税割 = 前事業年度の法人税割額 × 6 ÷ 前事業年度の月数; 均等割 = 年額 × 算定期間
  中に事務所等を有していた月数 ÷ 12; each 100円未満切捨て (§20の4の2③).
- 申告期限: 予定・中間 — 事業年度開始の日以後6月を経過した日から2月以内; 確定 — 事業年度終了の日の翌日
  から2月以内 (§321の8①); a closed day moves to the next open day (§20の5②).
- 法人番号: 13 digits, the first a check digit (lgforms.codes.checkdigits.compute_corporate_number_cd).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from jp_calendar import month_end, open_day  # noqa: E402
from slips import grouped, slip  # noqa: E402

from lgforms.codes.checkdigits import compute_corporate_number_cd  # noqa: E402

ROOT = HERE.parents[1]
ANNAI = ROOT / "forms/hojin/hojin_shinkokusho_annai"
NOFUSHO = ROOT / "forms/hojin/hojin_nofusho"


def hojin_bango(base12: str) -> str:
    return f"{compute_corporate_number_cd(base12)}{base12}"


def kintowari_nengaku(shihon: int, jugyo: int) -> int:
    big = jugyo > 50
    for limit, over, under in ((5_000_000_000, 3_000_000, 410_000), (1_000_000_000, 1_750_000, 410_000),
                               (100_000_000, 400_000, 160_000), (10_000_000, 150_000, 130_000)):
        if shihon > limit:
            return over if big else under
    return 120_000 if big else 50_000


def add_months(d: dt.date, n: int) -> dt.date:
    """The day before the same date n months later: 4月1日 + 6 months → 9月30日 (a period's last day)."""
    y, m = d.year + (d.month - 1 + n) // 12, (d.month - 1 + n) % 12 + 1
    return dt.date(y, m, d.day) - dt.timedelta(days=1) if d.day <= 28 else month_end(y, m)


def kigen_after(last_day: dt.date) -> dt.date:
    """2 months after the day following ``last_day``: the end of the 2nd month (期間の末日)."""
    return open_day(add_months(last_day + dt.timedelta(days=1), 2))


HEAD = {"atena_postcode": "987-6511", "atena_address": "東雲県みどり野市中央二丁目3番4号", "atena_katagaki": "経理部",
        "atena_name": "株式会社みどり野精機"}
BIG = {"atena_postcode": "9876520", "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
       "atena_katagaki": "12階　経理財務本部税務グループ", "atena_name": "みどり野髙田原𠮷野グランドホールディングス株式会社"}


def annai_yotei() -> dict:
    start, end = dt.date(2026, 4, 1), dt.date(2027, 3, 31)
    santei_to = add_months(start, 6)
    nengaku = kintowari_nengaku(30_000_000, 12)
    zenki = 1_234_500
    hz = zenki * 6 // 12 // 100 * 100
    kw = nengaku * 6 // 12 // 100 * 100
    return {"form_id": "hojin_shinkokusho_annai", "_fictitious": True,
            "_source": "tools/samples/hojin.py: 予定申告, 資本金等 3,000万円, 従業者12人, 前期法人税割 1,234,500 (12か月)",
            **HEAD, "hojin_bango": hojin_bango("000012345678"), "kanri_no": "0000440021", "hakko_date": "2026-10-15",
            "jigyo_nendo_from": start.isoformat(), "jigyo_nendo_to": end.isoformat(), "shinkoku_kubun": "予定申告",
            "santei_kikan_to": santei_to.isoformat(), "shinkoku_kigen": kigen_after(santei_to).isoformat(),
            "shihonkin": 30_000_000, "jugyoshasu": 12, "kintowari_nengaku": nengaku,
            "yotei": {"zenki_hojinzeiwari": zenki, "zenki_tsukisu": 12, "tsukisu": 6, "hojinzeiwari": hz, "kintowari": kw,
                      "gokei": hz + kw}}


def annai_edge_kakutei() -> dict:
    start, end = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    return {"form_id": "hojin_shinkokusho_annai", "_fictitious": True,
            "_source": "tools/samples/hojin.py: 確定申告, 資本金等 120億円, 従業者230人 → 均等割 3,000,000",
            **BIG, "atena_name": "髙田原𠮷野グランドＨＤ株式会社", "hojin_bango": hojin_bango("012099887766"),
            "kanri_no": "000099880001", "hakko_date": "令和8年5月1日", "jigyo_nendo_from": start.isoformat(),
            "jigyo_nendo_to": end.isoformat(), "shinkoku_kubun": "確定申告", "shinkoku_kigen": kigen_after(end).isoformat(),
            "shihonkin": 12_000_000_000, "jugyoshasu": 230, "kintowari_nengaku": kintowari_nengaku(12_000_000_000, 230)}


def nofusho(annai: dict, kubun: str, hz: int, kw: int, due: str, qr: bool) -> dict:
    p = {"form_id": "hojin_nofusho", "_fictitious": True,
         "_source": f"tools/samples/hojin.py: {kubun} of {annai['atena_name']}",
         **{k: annai[k] for k in ("atena_postcode", "atena_address", "atena_katagaki", "atena_name", "hojin_bango", "kanri_no",
                                  "jigyo_nendo_from", "jigyo_nendo_to")},
         "shinkoku_kubun": kubun, "nokigen": due, "hojinzeiwari": hz, "kintowari": kw, "gokei": hz + kw,
         "slip": slip("05", annai["kanri_no"], 1, dt.date.fromisoformat(due), hz + kw, qr=qr)}
    if qr:
        p["_printed"] = {"$.slip.el_no": grouped(p["slip"]["el_no"]), "$.slip.el_qr": {"qr": True}}
    return p


def nofusho_kigengo(annai: dict) -> dict:
    """確定申告 paid after its 納期限, by 2026-07-31: the filer adds the 延滞金 (§326①) on the 納付書.
    延滞金 = 本税 (千円未満切捨て) × days × rate ÷ 365 (§20の4の2②, 年単位も日割), rate 年7.3% / 14.6% or,
    while 附則 §3の2 applies, 延滞金特例基準割合 + 1% / + 7.3%; the 特例基準割合 assumed 1.4% (令和7年 —
    the 令和8年 rate was not confirmed); the result 100円未満切捨て (§20の4の2⑤, under 1,000円 none)."""
    due, paid = dt.date(2026, 6, 1), dt.date(2026, 7, 31)
    hz, kw = 230_400, 50_000
    base = (hz + kw) // 1000 * 1000
    first = min((paid - due).days, 30)  # 納期限の翌日から1月を経過する日 (7月1日) まで
    rest = (paid - due).days - first
    entaikin = int(base * 0.024 * first / 365 + base * 0.087 * rest / 365) // 100 * 100
    p = {"form_id": "hojin_nofusho", "_fictitious": True,
         "_source": "tools/samples/hojin.py: 確定申告 (資本金等 1,000万円以下, 従業者50人以下 → 均等割 50,000) "
                    f"paid by {paid.isoformat()}, 延滞金 on {base:,}円: 30日 × 2.4% + {rest}日 × 8.7%",
         **{k: annai[k] for k in ("atena_postcode", "atena_address", "atena_katagaki", "atena_name")},
         "hojin_bango": hojin_bango("000055556666"), "kanri_no": "0000440099",
         "jigyo_nendo_from": "2025-04-01", "jigyo_nendo_to": "2026-03-31", "shinkoku_kubun": "確定申告",
         "nokigen": due.isoformat(), "hojinzeiwari": hz, "kintowari": kw, "entaikin": entaikin,
         "gokei": hz + kw + entaikin}
    p["slip"] = slip("05", p["kanri_no"], 1, paid, p["gokei"])
    return p


if __name__ == "__main__":
    yotei, kakutei = annai_yotei(), annai_edge_kakutei()
    chukan = dict(kakutei, jigyo_nendo_from="2026-04-01", jigyo_nendo_to="2027-03-31")
    outs = [(ANNAI, "annai_yotei", yotei), (ANNAI, "annai_edge_kakutei", kakutei),
            (NOFUSHO, "nofusho_yotei", nofusho(yotei, "予定申告", yotei["yotei"]["hojinzeiwari"], yotei["yotei"]["kintowari"],
                                                yotei["shinkoku_kigen"], qr=True)),
            # 中間申告 (仮決算) of the large company: 法人税割 6.0% of its 6 months' 法人税額 48,765,000 (↓1,000)
            (NOFUSHO, "nofusho_edge_chukan", nofusho(chukan, "中間申告", 48_765_000 * 6 // 100 // 100 * 100,
                                                 kakutei["kintowari_nengaku"] * 6 // 12 // 100 * 100,
                                                 kigen_after(dt.date(2026, 9, 30)).isoformat(), qr=False)),
            (NOFUSHO, "nofusho_kigengo_entaikin", nofusho_kigengo(yotei))]
    for folder, name, p in outs:
        path = folder / "samples" / f"{name}.json"
        path.write_text(json.dumps(p, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), p.get("yotei", {}).get("gokei") or p.get("gokei"), p.get("shinkoku_kigen") or p.get("nokigen"))
