"""Compute the 後期高齢者医療保険料 sample payloads from their inputs, as the law computes them.

    python tools/samples/kouki_hokenryo.py   # rewrites forms/kouki/kouki_hokenryo_kettei_tsuchisho/samples/*.json

The rates are those of the fictitious 東雲県後期高齢者医療広域連合 for 令和8年度 (set, as every
広域連合 does, by its 条例 every two years — 高齢者の医療の確保に関する法律 §104②); they are stated in
the form's README. Every amount follows the rule cited next to it:
- 保険料 = 被保険者均等割額 + 所得割額 (§104②), for the 医療分 (基礎賦課額) and, from 令和8年度, the
  子ども・子育て支援納付金分 (子ども・子育て支援法 改正 2024), each capped by its 賦課限度額.
- 所得割の基礎: 前年の総所得金額等 − 基礎控除 430,000 (賦課のもととなる所得金額); 所得割額: × 所得割率,
  1円未満切捨て.
- 公的年金等所得 (65歳以上, 公的年金等収入 ≤ 3,299,999): 収入 − 1,100,000 (所得税法 §35④, 措置法 §41の15の3).
- 均等割の軽減 (高齢者の医療の確保に関する法律施行令 §18): 世帯 (被保険者全員と世帯主) の軽減判定所得
  (65歳以上の公的年金等所得から さらに 150,000 を引く) の合計が
  7割: ≤ 430,000 + 100,000 × (年金・給与所得者数 − 1)
  5割: ≤ 430,000 + 305,000 × 被保険者数 + 100,000 × (年金・給与所得者数 − 1)
  2割: ≤ 430,000 + 560,000 × 被保険者数 + 100,000 × (年金・給与所得者数 − 1)   (令和7年度の基準額)
  軽減額 = 均等割額 × 割合, 1円未満切捨て. 被用者保険の被扶養者であった者: 均等割 5割 (加入から2年),
  所得割なし — the larger 軽減 applies.
- 年度途中の資格取得: 月割 (賦課月数 / 12). 年間保険料額: 100円未満切捨て.
- 特別徴収 (年金天引き): 仮徴収 4・6・8月 (前年度2月と同額), 本徴収 10・12・2月 = (年額 − 仮徴収額) ÷ 3,
  端数は10月に. 普通徴収: 期別 (条例: 7月〜翌年3月), 100円未満の端数は第1期に.
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

FORM = ROOT / "forms/kouki/kouki_hokenryo_kettei_tsuchisho"

# 東雲県後期高齢者医療広域連合 (fictitious), 令和8年度: rates in 1/100 % for exact arithmetic
RATES = {
    "iryo": {"kubun": "医療分", "kintowari_gaku": 48_000, "shotoku_ritsu": 9.50, "gendo": 800_000},
    "shien": {"kubun": "子ども・子育て支援金分", "kintowari_gaku": 1_100, "shotoku_ritsu": 0.22, "gendo": 20_000},
}
KISO_KOJO = 430_000


def nenkin_shotoku(shunyu: int) -> int:
    """公的年金等所得, 65歳以上 and 収入 ≤ 3,299,999 (公的年金等控除 1,100,000)."""
    assert shunyu <= 3_299_999
    return max(shunyu - 1_100_000, 0)


def keigen_wari(hantei_shotoku: int, hihokensha: int, nenkin_kyuyo_sha: int) -> int:
    extra = 100_000 * max(nenkin_kyuyo_sha - 1, 0)
    if hantei_shotoku <= KISO_KOJO + extra:
        return 7
    if hantei_shotoku <= KISO_KOJO + 305_000 * hihokensha + extra:
        return 5
    if hantei_shotoku <= KISO_KOJO + 560_000 * hihokensha + extra:
        return 2
    return 0


def part(rate: dict, kijun: int, wari: int, shotokuwari_nashi: bool = False) -> dict:
    keigen = rate["kintowari_gaku"] * wari // 10
    kinto = rate["kintowari_gaku"] - keigen
    bp = round(rate["shotoku_ritsu"] * 100)  # 9.50 % -> 950 (1/100 %)
    wari_gaku = 0 if shotokuwari_nashi else kijun * bp // 10_000
    sanshutsu = kinto + wari_gaku
    return {"kintowari_gaku": rate["kintowari_gaku"], "keigen_gaku": keigen, "kintowari": kinto,
            "shotoku_ritsu": rate["shotoku_ritsu"], "shotokuwari": wari_gaku, "sanshutsu": sanshutsu,
            "gendo": rate["gendo"], "hokenryo": min(sanshutsu, rate["gendo"])}


def compute(sotoku: int, hantei: int, hihokensha: int = 1, nk: int = 1, tsukisu: int = 12,
            hifuyo: bool = False) -> dict:
    kijun = max(sotoku - KISO_KOJO, 0)
    wari = keigen_wari(hantei, hihokensha, nk)
    riyu = None
    if hifuyo and wari < 5:
        wari, riyu = 5, "被用者保険の被扶養者であった方の軽減（均等割5割・所得割なし）"
    elif wari:
        riyu = "所得の低い世帯の均等割の軽減"
    if hifuyo and riyu is None:
        riyu = "被用者保険の被扶養者であった方の軽減（所得割なし）"
    iryo, shien = part(RATES["iryo"], kijun, wari, hifuyo), part(RATES["shien"], kijun, wari, hifuyo)
    nengaku = (iryo["hokenryo"] + shien["hokenryo"]) * tsukisu // 12 // 100 * 100
    out = {"kijun_shotoku": kijun, "keigen_wari": wari, "fuka_tsukisu": tsukisu, "iryo": iryo, "shien": shien,
           "nengaku": nengaku}
    if riyu:
        out["keigen_riyu"] = riyu
    return out


def tokucho(nengaku: int, kari_each: int) -> dict:
    kari = [kari_each] * 3
    rest = nengaku - sum(kari)
    per = rest // 3 // 100 * 100
    return {"nenkin": "老齢基礎年金", "kari": kari, "hon": [rest - 2 * per, per, per]}


def business_day(d: dt.date) -> dt.date:
    while d.weekday() >= 5:  # 土・日 (祝日 of these dates: none)
        d += dt.timedelta(days=1)
    return d


def cvs(tsuchisho_no: str, ki: int, due: dt.date, amount: int) -> str:
    free = f"08{int(tsuchisho_no):010d}{ki:02d}".ljust(21, "0")  # 年度 08, 通知書番号, 期
    body = f"91923456{free}0{due:%y%m%d}0{amount:06d}"
    assert len(body) == 43
    return body + str(compute_cvs_barcode_cd(body))


def fucho(nengaku: int, tsuchisho_no: str, months: list[int], year: int = 2026, el: bool = False) -> dict:
    """``el``: the slips carry an eL番号 (地方公金の eLTAX 収納 — 後期高齢者医療保険料 among the 公金 to be
    payable through eLTAX from 令和8年9月; fictitious 25 digits: 団体 99201, 科目 08, 通知書番号, 期)."""
    # 納期限: the last day of each month (a weekend moves it to the next business day)
    dues = [business_day((dt.date(year + (m < 4), m, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1))
            for m in months]
    per = nengaku // len(months) // 100 * 100
    amounts = [nengaku - per * (len(months) - 1)] + [per] * (len(months) - 1)
    ki = []
    for i, (d, a) in enumerate(zip(dues, amounts), start=1):
        slip: dict = {}
        if a <= 300_000:
            slip = {"cvs": cvs(tsuchisho_no, i, d, a), "cvs_limit": d.isoformat()}
        if el:
            slip["el_no"] = f"00000992010{8:02d}{int(tsuchisho_no):010d}{i:02d}"
        ki.append({"kibetsu": f"第{i}期", "nokigen": d.isoformat(), "amount": a, **({"slip": slip} if slip else {})})
    return {"kibetsu": ki}


def base(sample: str, **kw) -> dict:
    return {"form_id": "kouki_hokenryo_kettei_tsuchisho", "_fictitious": True, **kw}


def typical() -> dict:
    """年金収入 2,000,000 のみ, 単身 (世帯主本人): 2割軽減, 特別徴収."""
    shotoku = nenkin_shotoku(2_000_000)
    p = base("typical", _source="tools/samples/kouki_hokenryo.py: 公的年金等収入 2,000,000 のみ、単身の世帯主、"
             "令和8年度、特別徴収（仮徴収 各13,600円）",
             atena_postcode="987-6543", atena_address="東雲県みどり野市若葉町三丁目12番5号", atena_name="髙橋　和子",
             nendo="令和8年度", tsuchisho_no="0000234567", hakko_date="2026-07-15",
             hihokensha_no="12345674", name="髙橋　和子", sotoku=shotoku)
    p.update(compute(shotoku, shotoku - 150_000))
    p["tokucho"] = tokucho(p["nengaku"], 13_600)
    return p


def edge() -> dict:
    """高所得で賦課限度額に達する, 普通徴収9期 (7月〜3月), 最長の氏名・住所."""
    sotoku = 12_430_000
    no = "0000987654"
    p = base("edge", _source="tools/samples/kouki_hokenryo.py: 総所得金額等 12,430,000（賦課限度額に達する）、"
             "軽減なし、普通徴収9期、最長の住所・方書、IVS・非BMPの氏名",
             atena_postcode="9876520", atena_address="東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
             atena_katagaki="1205号室　葛\U000E0102城様方", atena_name="葛\U000E0102城　𠮷右衛門之助",
             nendo="令和8年度", tsuchisho_no=no, hakko_date="令和8年7月15日",
             hihokensha_no="98765431", name="葛\U000E0102城　𠮷右衛門之助", sotoku=sotoku)
    p.update(compute(sotoku, sotoku))
    p["fucho"] = fucho(p["nengaku"], no, [7, 8, 9, 10, 11, 12, 1, 2, 3])
    return p


def tochu() -> dict:
    """年度途中（令和8年10月）に75歳で加入、被用者保険の被扶養者だった方: 月割6か月、均等割5割・所得割なし, 普通徴収6期."""
    shotoku = nenkin_shotoku(1_800_000)
    no = "0000345678"
    p = base("tochu", _source="tools/samples/kouki_hokenryo.py: 令和8年10月に75歳で資格取得（賦課月数6）、"
             "被用者保険の被扶養者だった方（均等割5割軽減・所得割なし）、公的年金等収入 1,800,000、普通徴収6期",
             atena_postcode="987-6501", atena_address="東雲県みどり野市中央二丁目3番4号", atena_name="山田　花子",
             nendo="令和8年度", tsuchisho_no=no, hakko_date="2026-10-20",
             hihokensha_no="41029380", name="山田　花子", sotoku=shotoku)
    p.update(compute(shotoku, shotoku - 150_000 + 2_000_000, hihokensha=1, nk=2, tsukisu=6, hifuyo=True))
    p["fucho"] = fucho(p["nengaku"], no, [10, 11, 12, 1, 2, 3], el=True)
    return p


if __name__ == "__main__":
    for name, payload in (("kettei_tokucho", typical()), ("kettei_edge_fucho_gendo", edge()),
                          ("tochu_kanyu_hifuyo", tochu())):
        path = FORM / "samples" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), payload["nengaku"], payload["keigen_wari"],
              payload.get("tokucho"), [k["amount"] for k in payload.get("fucho", {}).get("kibetsu", [])])
