"""Compute the 特別徴収 (給与からの天引き) sample payloads as the law computes them.

    python tools/samples/kojin_tokucho.py   # rewrites the samples of
        forms/zeimu/kojin_tokucho_kettei_gimusha  (納税義務者用: one employee)
        forms/zeimu/kojin_tokucho_kettei_jigyosha (特別徴収義務者用: every employee of one employer)

The tax itself follows tools/samples/kojin_juminzei.py (給与所得 by 所得税法 別表第五, 基礎控除
430,000, 課税標準 1,000円未満切捨て, 標準税率 6% / 4%, 調整控除, 所得割 100円未満切捨て, 均等割
3,000 / 1,000, 森林環境税 1,000) with these additions, for 令和8年度 (令和7年分の所得):
- 住民税の人的控除 (地方税法 §314の2): 配偶者控除 330,000 (納税義務者の合計所得 900万円以下,
  配偶者の合計所得 58万円以下 — 令和7年分から), 扶養控除 一般 330,000 / 特定 (19–22歳) 450,000.
- 調整控除の人的控除額の差 (§314の6, 附則): 基礎 50,000, 配偶者 50,000, 一般扶養 50,000,
  特定扶養 180,000. 合計課税所得 ≤ 200万: min(差の合計, 課税所得) × 5%; > 200万:
  max(差の合計 − (課税所得 − 200万), 50,000) × 5%; 市 3% / 県 2%.
- 月割額 (§321の5①): 年税額 ÷ 12, 100円未満切捨て, 7月分から翌年5月分の各月; 端数は最初の
  徴収月 (6月分) に合算: 6月分 = 年税額 − 11 × 各月の額.
- 納入期限 (§321の5①): 徴収した月の翌月10日 (土日は翌開庁日, §20の5②).
Incomes are 1,900,000 yen or more: below that the 令和7年度改正 (給与所得控除の最低保障 65万円)
applies, which kojin_juminzei.kyuyo_shotoku does not model.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from jp_calendar import open_day  # noqa: E402
from kojin_juminzei import kyuyo_shotoku  # noqa: E402

ROOT = HERE.parents[1]
GIMUSHA = ROOT / "forms/zeimu/kojin_tokucho_kettei_gimusha"
JIGYOSHA = ROOT / "forms/zeimu/kojin_tokucho_kettei_jigyosha"

KISO, HAIGUSHA, FUYO, TOKUTEI = 430_000, 330_000, 330_000, 450_000
SA = {"kiso": 50_000, "haigusha": 50_000, "fuyo": 50_000, "tokutei": 180_000}


def tax(kyuyo_shunyu: int, shakai_hoken: int, seimei: int = 0, haigusha: bool = False, fuyo: int = 0,
        tokutei: int = 0, extra: tuple[tuple[str, int, int], ...] = ()) -> dict:
    """個人住民税 (総合課税の給与所得だけ) — the payload's tax part. ``extra``: further 所得控除 as
    (区分, 住民税の控除額, 調整控除の人的控除額の差), e.g. ("障害者控除", 260_000, 10_000)."""
    assert kyuyo_shunyu >= 1_900_000
    kyuyo = kyuyo_shotoku(kyuyo_shunyu)
    kojo = [{"kubun": "社会保険料控除", "amount": shakai_hoken}]
    if seimei:
        kojo.append({"kubun": "生命保険料控除", "amount": seimei})
    kojo += [{"kubun": k, "amount": a} for k, a, _ in extra]
    if haigusha:
        kojo.append({"kubun": "配偶者控除", "amount": HAIGUSHA})
    if fuyo or tokutei:
        kojo.append({"kubun": "扶養控除", "amount": FUYO * fuyo + TOKUTEI * tokutei})
    kojo.append({"kubun": "基礎控除", "amount": KISO})
    kazei = max(kyuyo - sum(k["amount"] for k in kojo), 0) // 1000 * 1000
    sa = SA["kiso"] + SA["haigusha"] * haigusha + SA["fuyo"] * fuyo + SA["tokutei"] * tokutei + sum(s for *_, s in extra)
    base = min(sa, kazei) if kazei <= 2_000_000 else max(sa - (kazei - 2_000_000), 50_000)

    def part(rate: int, chosei_rate: int, kin: int) -> dict:
        sanshutsu = kazei * rate // 100
        chosei = base * chosei_rate // 100
        wari = max(sanshutsu - chosei, 0) // 100 * 100
        return {"rate": rate, "sanshutsu": sanshutsu, "chosei_kojo": chosei, "zeigaku_kojo": 0,
                "shotokuwari": wari, "kintowari": kin}

    shi, ken = part(6, 3, 3000), part(4, 2, 1000)
    nenzei = shi["shotokuwari"] + shi["kintowari"] + ken["shotokuwari"] + ken["kintowari"] + 1000
    return {"shotoku": [{"kubun": "給与収入", "amount": kyuyo_shunyu}, {"kubun": "給与所得", "amount": kyuyo}],
            "sotoku": kyuyo, "kojo": kojo, "kazei_hyojun": kazei, "shi": shi, "ken": ken,
            "shinrin_kankyozei": 1000, "nenzeigaku": nenzei}


def getsuwari(nenzei: int) -> tuple[int, int]:
    """(6月分, 7月分以降の各月) — §321の5①."""
    per = nenzei // 12 // 100 * 100
    return nenzei - 11 * per, per


def gimusha_typical() -> dict:
    p = {"form_id": "kojin_tokucho_kettei_gimusha", "_fictitious": True,
         "_source": "tools/samples/kojin_tokucho.py: 給与収入 5,200,000, 社会保険料 780,000, 生命保険料控除 28,000, "
                    "配偶者控除, 一般扶養1人, 令和8年度",
         "atena_postcode": "987-6543", "atena_address": "東雲県みどり野市若葉町三丁目12番5号",
         "atena_katagaki": "みどり野ハイツ202号室", "atena_name": "葛\U000E0102城　真理子",
         "nendo": "令和8年度", "tsuchisho_no": "0000223344", "hakko_date": "2026-05-15",
         "shitei_no": "0000120034", "gimusha_name": "株式会社みどり野精機", "jukyusha_no": "0015"}
    p.update(tax(5_200_000, 780_000, 28_000, haigusha=True, fuyo=1))
    p["getsugaku_6"], p["getsugaku_7"] = getsuwari(p["nenzeigaku"])
    return p


def gimusha_edge() -> dict:
    """Longest names and addresses, non-BMP and IVS characters, the most deduction lines."""
    p = {"form_id": "kojin_tokucho_kettei_gimusha", "_fictitious": True,
         "_source": "tools/samples/kojin_tokucho.py: 給与収入 9,800,000, 社会保険料 1,400,000, 生命保険料控除 28,000, "
                    "配偶者控除, 一般扶養1人, 特定扶養1人",
         "atena_postcode": "9876520",
         "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
         "atena_katagaki": "12階1205号室　齋藤様方", "atena_name": "𠮷田　邉太郎左衛門之介",
         "nendo": "令和8年度", "tsuchisho_no": "0000987655", "hakko_date": "令和8年5月15日",
         "shitei_no": "000099887766",
         "gimusha_name": "東雲県みどり野市農業協同組合連合会　髙田原𠮷野総合センター"}
    p.update(tax(9_800_000, 1_400_000, 28_000, haigusha=True, fuyo=1, tokutei=1))
    p["getsugaku_6"], p["getsugaku_7"] = getsuwari(p["nenzeigaku"])
    return p


def employee(name: str, jukyusha_no: str | None, *args, **kw) -> dict:
    t = tax(*args, **kw)
    shi = t["shi"]["shotokuwari"] + t["shi"]["kintowari"]
    ken = t["ken"]["shotokuwari"] + t["ken"]["kintowari"]
    g6, g7 = getsuwari(t["nenzeigaku"])
    e = {"jukyusha_no": jukyusha_no, "name": name, "shi": shi, "ken": ken, "shinrin": t["shinrin_kankyozei"],
         "nenzeigaku": t["nenzeigaku"], "getsugaku_6": g6, "getsugaku_7": g7}
    return {k: v for k, v in e.items() if v is not None}


def nonyu(employees: list[dict], tokurei: bool, year: int = 2026) -> list[dict]:
    """What the employer pays in: each month's total by the 10th of the next month (§321の5①), or
    under the 納期の特例 (§321の5の2) 6月〜11月分 by 12月10日 and 12月〜5月分 by 6月10日."""
    g6 = sum(e["getsugaku_6"] for e in employees)
    g7 = sum(e["getsugaku_7"] for e in employees)
    if tokurei:
        return [{"tsuki": "6月分〜11月分", "kigen": open_day(dt.date(year, 12, 10)).isoformat(), "amount": g6 + 5 * g7},
                {"tsuki": "12月分〜5月分", "kigen": open_day(dt.date(year + 1, 6, 10)).isoformat(), "amount": 6 * g7}]
    out = []
    for k in range(12):
        m = (6 + k - 1) % 12 + 1  # the month withheld
        pay = dt.date(year + (m + 1 > 12) + (m < 6), m % 12 + 1, 10)
        out.append({"tsuki": f"{m}月分", "kigen": open_day(pay).isoformat(), "amount": g6 if k == 0 else g7})
    return out


SEI = ["佐藤", "鈴木", "髙橋", "田中", "伊藤", "渡邉", "山本", "中村", "小林", "加藤", "𠮷田", "山田", "佐々木", "齋藤",
       "松本", "井上", "木村", "林", "清水", "葛\U000E0102城"]
MEI = ["一郎", "花子", "健太", "美咲", "翔", "陽菜", "大輔", "さくら", "拓也", "結衣", "邉太郎左衛門之介", "真理子"]


def jigyosha_typical() -> dict:
    """A small employer (4 employees) paying twice a year under the 納期の特例."""
    emps = [employee("葛\U000E0102城　真理子", "0015", 5_200_000, 780_000, 28_000, haigusha=True, fuyo=1),
            employee("髙橋　健太", "0021", 3_600_000, 540_000),
            employee("田中　美咲", "0022", 2_800_000, 420_000, 12_000),
            employee("渡邉　大輔", "0030", 6_400_000, 960_000, 40_000, haigusha=True, tokutei=1)]
    return {"form_id": "kojin_tokucho_kettei_jigyosha", "_fictitious": True,
            "_source": "tools/samples/kojin_tokucho.py: 4 employees, 納期の特例, 令和8年度",
            "atena_postcode": "987-6511", "atena_address": "東雲県みどり野市中央二丁目3番4号",
            "atena_katagaki": "総務部 給与担当", "atena_name": "株式会社みどり野精機",
            "nendo": "令和8年度", "hakko_date": "2026-05-12", "shitei_no": "0000120034", "noki_tokurei": True,
            "employees": emps, "nonyu": nonyu(emps, True),
            "_printed": {"$.noki_tokurei": "納入額と納入期限（納期の特例）"}}


def jigyosha_edge() -> dict:
    """45 employees (continuation sheets, 小計 per sheet), the longest names and address, monthly payments."""
    emps = []
    for k in range(45):
        name = f"{SEI[k % len(SEI)]}　{MEI[(k * 7) % len(MEI)]}"
        shunyu = 1_900_000 + (k * 377_000) % 8_200_000
        emps.append(employee(name, f"{k + 1:04d}" if k % 9 else None, shunyu, shunyu * 15 // 100 // 1000 * 1000,
                             (k % 4) * 10_000, haigusha=k % 3 == 0, fuyo=k % 5 == 1, tokutei=k % 7 == 2))
    return {"form_id": "kojin_tokucho_kettei_jigyosha", "_fictitious": True,
            "_source": "tools/samples/kojin_tokucho.py: 45 employees, monthly payments, 令和8年度",
            "atena_postcode": "9876520",
            "atena_address": "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5　みどり野グランドパレス南館",
            "atena_katagaki": "12階　総務部人事課給与係",
            "atena_name": "みどり野市農業協同組合連合会髙田原𠮷野センター",
            "nendo": "令和8年度", "hakko_date": "令和8年5月12日", "shitei_no": "000099887766", "noki_tokurei": False,
            "employees": emps, "nonyu": nonyu(emps, False),
            "_printed": {"$.noki_tokurei": "月別の納入額と納入期限"}}


def write(folder: Path, name: str, payload: dict) -> None:
    path = folder / "samples" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(path.relative_to(ROOT))


if __name__ == "__main__":
    write(GIMUSHA, "tokucho_gimusha", gimusha_typical())
    write(GIMUSHA, "tokucho_gimusha_edge", gimusha_edge())
    write(JIGYOSHA, "tokucho_jigyosha_tokurei", jigyosha_typical())
    write(JIGYOSHA, "tokucho_jigyosha_edge_45nin", jigyosha_edge())
