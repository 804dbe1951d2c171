"""Compute the 介護保険料額決定通知書 sample payloads from their inputs, as the law and the 条例 compute them.

    python tools/samples/kaigo_hokenryo.py   # rewrites forms/kaigo/kaigo_hokenryo_kettei_tsuchisho/samples/*.json

Samples are what vendors copy: every amount here follows the rule cited next to it.
- 保険料 of a 第1号被保険者 = the 条例's 年額 of the person's 所得段階 (介護保険法 §129; 施行令 §38, §39:
  基準額 × the band's share). The 段階表 is the demo tenant's (src/lgforms/tenants/demo/profile.yaml,
  tables.kaigo_hokenryo_dankai), read here, never copied.
- 月割 (資格取得・喪失 in the year; 条例): 年額 × 月数 / 12, rounded down to the 条例's unit
  (tsukiwari_tani). The months run from the month of 資格取得 (介護保険法 §9, §10: the day one turns 65
  is the day before the birthday) to March.
- 減免 (§142, 条例): the sample's 災害減免 halves the premium (rounded down to 100 yen).
- 特別徴収 (§131, §135, §140): 仮徴収 in 4・6・8月 at last February's amount; 本徴収 in 10・12・2月 =
  (年額 − 仮徴収) ÷ 3, 100 円未満 to the first 本徴収 month.
- 普通徴収 (§131; 地方自治法 §231): 期 in equal parts of 100 yen, the remainder in the first 期; a
  due date on a weekend moves to the next business day.
- コンビニ GS1-128: 44 digits, AI 91, 支払期限 YYMMDD, 支払金額 6 digits, mod-10 (3/1) check digit.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lgforms.codes.checkdigits import compute_cvs_barcode_cd  # noqa: E402
from wrapped_cells import wrapped_printed  # noqa: E402

FORM_ID = "kaigo_hokenryo_kettei_tsuchisho"
FORM = ROOT / "forms/kaigo" / FORM_ID
TABLE = yaml.safe_load((ROOT / "src/lgforms/tenants/demo/profile.yaml").read_text("utf-8"))["tables"][
    "kaigo_hokenryo_dankai"]


def band(dankai: int) -> dict:
    return next(d for d in TABLE["dankai"] if d["dankai"] == dankai)


def business_day(d: dt.date) -> dt.date:
    while d.weekday() >= 5:  # 土・日 (the 祝日 of these dates fall elsewhere)
        d += dt.timedelta(days=1)
    return d


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def wareki_month(year: int, month: int) -> str:
    r = year - 2018
    return f"令和{'元' if r == 1 else r}年{month}月"


def cvs(no: str, ki: int, due: dt.date, amount: int) -> str:
    free = f"31{int(no):010d}{ki:02d}".ljust(21, "0")  # 科目 31 (介護保険料), 通知書番号, 期
    body = f"91912345{free}0{due:%y%m%d}0{amount:06d}"
    assert len(body) == 43
    return body + str(compute_cvs_barcode_cd(body))


def santei(dankai: int, months: int, *, kazei: tuple[bool, bool], shotoku: int, nenkin: int,
           start: tuple[int, int] = (2026, 4)) -> dict:
    nengaku = band(dankai)["nengaku"]
    unit = TABLE["tsukiwari_tani"]
    hokenryo = nengaku if months == 12 else nengaku * months // 12 // unit * unit
    y, m = start
    return {"dankai": dankai, "honnin_kazei": kazei[0], "setai_kazei": kazei[1], "gokei_shotoku": shotoku,
            "nenkin_shunyu": nenkin, "kikan_from": wareki_month(y, m), "kikan_to": wareki_month(2027, 3),
            "tsukisu": months, "hokenryo": hokenryo}


def tokucho_months(total: int, kari: int | None, months: list[int]) -> list[dict]:
    """仮徴収 (4・6・8月, last February's amount) and 本徴収 (10・12・2月)."""
    out = []
    kari_months = [m for m in months if m in (4, 6, 8)]
    hon_months = [m for m in months if m in (10, 12, 2)]
    paid = 0
    for m in kari_months:
        out.append({"kubun": "仮徴収", "tsuki": wareki_month(2026, m), "amount": kari})
        paid += kari
    rest = total - paid
    per = rest // len(hon_months) // 100 * 100
    for i, m in enumerate(hon_months):
        a = rest - per * (len(hon_months) - 1) if i == 0 else per
        out.append({"kubun": "本徴収", "tsuki": wareki_month(2027 if m == 2 else 2026, m), "amount": a})
    return out


def futsucho_kibetsu(total: int, months: list[tuple[int, int]], no: str, first_ki: int = 1) -> list[dict]:
    per = total // len(months) // 100 * 100
    out = []
    for i, (y, m) in enumerate(months):
        a = total - per * (len(months) - 1) if i == 0 else per
        due = business_day(month_end(y, m))
        ki = first_ki + i
        slip = {"cvs": cvs(no, ki, due, a), "cvs_limit": due.isoformat()}
        out.append({"kibetsu": f"第{ki}期", "nokigen": due.isoformat(), "amount": a, "slip": slip})
    return out


def base(no: str, name: str, address: str, postcode: str, **extra) -> dict:
    return {"form_id": FORM_ID, "_fictitious": True, "atena_postcode": postcode, "atena_address": address,
            **extra, "atena_name": name, "nendo": "令和8年度", "tsuchisho_no": no, "hakko_date": "2026-07-10"}


def tokucho() -> dict:
    """特別徴収 only: 第7段階, the whole year."""
    p = base("0000510021", "葛\U000E0102原　トメ", "東雲県みどり野市若葉町三丁目12番5号", "987-6543")
    p["_source"] = "tools/samples/kaigo_hokenryo.py: 第7段階（本人課税・合計所得150万円）、年金からの特別徴収のみ"
    p["hihokensha"] = {"bango": "0000510021", "name": "葛\U000E0102原　トメ", "birth_date": "1950-02-14"}
    p["santei"] = santei(7, 12, kazei=(True, True), shotoku=1_500_000, nenkin=2_400_000)
    p["hokenryo_gaku"] = p["santei"]["hokenryo"]
    p["tokucho"] = {"nenkin": "老齢基礎年金", "shiharaisha": "日本年金機構",
                    "tsuki": tokucho_months(p["hokenryo_gaku"], 16_300, [4, 6, 8, 10, 12, 2])}
    return p


def futsucho_genmen() -> dict:
    """普通徴収 only, 資格取得 in May (転入), 災害減免, ten 期 → four slip sheets; long names,
    addresses, non-BMP 𠮷 and IVS 葛󠄂."""
    no = "0000987654"
    name = "𠮷田　邉太郎左衛門之介"
    p = base(no, name, "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館", "9876520",
             atena_katagaki="12階1205号室　齋藤様方")
    p["_source"] = ("tools/samples/kaigo_hokenryo.py: 第2段階、令和8年5月転入（11か月の月割）、火災による減免"
                    "（2分の1）、普通徴収10期")
    p["hihokensha"] = {"bango": "0000987654", "name": name, "birth_date": "昭和18年12月31日",
                       "shikaku_shutoku": "令和8年5月20日"}
    p["santei"] = santei(2, 11, kazei=(False, False), shotoku=0, nenkin=1_102_000, start=(2026, 5))
    gaku = p["santei"]["hokenryo"] // 2 // 100 * 100
    p["genmen"] = {"gaku": gaku, "kettei_date": "2026-07-01",
                   "riyu": "令和8年6月の住宅火災（り災証明書 第2026-0123号）により、保険料の2分の1を減免しました（葛\U000E0102原地区）。"}
    p["hokenryo_gaku"] = p["santei"]["hokenryo"] - gaku
    months = [(2026, m) for m in range(6, 13)] + [(2027, m) for m in (1, 2, 3)]
    p["futsucho"] = {"kibetsu": futsucho_kibetsu(p["hokenryo_gaku"], months, no)}
    return p


def heicho() -> dict:
    """65歳到達 in June: 普通徴収 7〜11月, then 特別徴収 from December (併徴)."""
    no = "0000510099"
    p = base(no, "若葉　健一", "東雲県みどり野市中央一丁目8番20号", "987-6501", atena_katagaki="グリーンコート中央305号室")
    p["_source"] = "tools/samples/kaigo_hokenryo.py: 令和8年6月に65歳（10か月の月割）、第5段階、普通徴収5期と12月からの特別徴収（併徴）"
    p["hihokensha"] = {"bango": "0000510099", "name": "若葉　健一", "birth_date": "1961-06-15",
                       "shikaku_shutoku": "2026-06-14"}
    p["santei"] = santei(5, 10, kazei=(False, True), shotoku=380_000, nenkin=1_560_000, start=(2026, 6))
    p["hokenryo_gaku"] = p["santei"]["hokenryo"]
    toku_each = band(5)["nengaku"] // 6 // 100 * 100  # two months' worth per pension payment
    p["tokucho"] = {"nenkin": "老齢基礎年金・老齢厚生年金", "shiharaisha": "日本年金機構",
                    "tsuki": [{"kubun": "本徴収", "tsuki": "令和8年12月", "amount": toku_each},
                              {"kubun": "本徴収", "tsuki": "令和9年2月", "amount": toku_each}]}
    rest = p["hokenryo_gaku"] - 2 * toku_each
    p["futsucho"] = {"kibetsu": futsucho_kibetsu(rest, [(2026, m) for m in (7, 8, 9, 10, 11)], no)}
    return p


def soshitsu() -> dict:
    """死亡 on 2026-06-20: 資格喪失 the next day (介護保険法 §11①), 保険料 for April–May only (the month of
    喪失 is not counted: §129, 条例の月割), 第4段階, 普通徴収 in one 期, addressed to the 相続人代表者 (the
    heirs take over the debt: 民法 §896); the slip carries the
    eL番号 and the eL-QR (地方公金の eLTAX 収納: 介護保険料 from 令和8年9月)."""
    no = "0000510555"
    p = base(no, "森野　正雄", "東雲県みどり野市桜台二丁目15番", "987-6522", atena_katagaki="故 森野ハル 様 相続人代表者")
    p["_source"] = ("tools/samples/kaigo_hokenryo.py: 令和8年6月20日死亡（喪失日6月21日）、第4段階、4・5月の2か月の月割を"
                    "相続人代表者に普通徴収1期")
    p["hihokensha"] = {"bango": "0000510555", "name": "森野　ハル", "birth_date": "1938-09-02",
                       "shikaku_soshitsu": "2026-06-21"}
    p["santei"] = santei(4, 2, kazei=(False, True), shotoku=640_000, nenkin=780_000)
    p["santei"]["kikan_to"] = wareki_month(2026, 5)
    p["hokenryo_gaku"] = p["santei"]["hokenryo"]
    kibetsu = futsucho_kibetsu(p["hokenryo_gaku"], [(2026, 7)], no)
    k = kibetsu[0]
    k["slip"]["el_no"] = f"0000099201131{int(no):010d}01"
    k["slip"]["el_qr"] = "ELQR-SAMPLE-" + k["slip"]["el_no"]
    p["futsucho"] = {"kibetsu": kibetsu}
    return p


if __name__ == "__main__":
    for name, payload in (("kaigo_tokucho", tokucho()), ("kaigo_futsucho_genmen_edge", futsucho_genmen()),
                          ("kaigo_heicho", heicho()), ("kaigo_soshitsu_shibo", soshitsu())):
        # yes/no values print as words; wrapped table cells print in pieces: say so
        st = payload["santei"]
        payload["_printed"] = {"$.santei.honnin_kazei": "課税" if st["honnin_kazei"] else "非課税",
                               "$.santei.setai_kazei": "課税者あり" if st["setai_kazei"] else "全員非課税",
                               **wrapped_printed(FORM_ID, payload)}
        for i, k in enumerate(payload.get("futsucho", {}).get("kibetsu", [])):
            if "el_qr" in k["slip"]:  # the eL番号 prints grouped by 5 under the QR code
                el = k["slip"]["el_no"]
                payload["_printed"][f"$.futsucho.kibetsu[{i}].slip.el_no"] = " ".join(el[j:j + 5] for j in range(0, 25, 5))
                payload["_printed"][f"$.futsucho.kibetsu[{i}].slip.el_qr"] = {"qr": True}
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), payload["hokenryo_gaku"],
              [t["amount"] for t in payload.get("tokucho", {}).get("tsuki", [])],
              [k["amount"] for k in payload.get("futsucho", {}).get("kibetsu", [])])
