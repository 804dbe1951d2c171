"""Write the 戸籍全部事項証明書 sample payloads (fictitious families).

    python tools/samples/koseki_zenbu.py   # rewrites forms/koseki/koseki_zenbu_jiko_shomeisho/samples/*.json

The records are nested as the 戸籍 system holds them: person → 身分事項 → lines; the form expands them.
Dates are consistent with each other (a child born after its parents' 婚姻, 届出日 within 14 days of a
出生: 戸籍法 §49); a person's 婚姻 into another 戸籍 makes them 除籍 here with 【新本籍】.
Recorded lines are text in 和暦 (「【出生日】昭和37年6月21日」); a person's 生年月日 may be ISO (printed in 和暦).
`_printed` lists how values print when they do not print verbatim: 除籍 (a yes/no value) and lines the
layout wraps (found in the PDF's text, pieces separated by what the reader puts between them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lgforms.codes import wareki  # noqa: E402
from wrapped_cells import split_printed  # noqa: E402

FORM_ID = "koseki_zenbu_jiko_shomeisho"
FORM = ROOT / "forms/koseki" / FORM_ID
KAZU = "葛\U000E0102"  # 葛 with the IVS of 葛󠄂 (MJ022335)


def L(tag: str | None = None, value: str | None = None, *, date: str | None = None, indent: int = 0) -> str:
    """One recorded line 「【タグ】値」 (戸籍 writes dates in 和暦 only; 字下げ is leading 全角空白)."""
    text = ("【" + tag + "】" if tag else "") + (wareki(date) if date else value or "")
    return "\u3000" * indent + text


def shussei(date: str, place: str, todoke: str, who: str) -> dict:
    return {"jiko": "出生", "lines": [L("出生日", date=date), L("出生地", place), L("届出日", date=todoke), L("届出人", who)]}


def typical() -> dict:
    honseki = "東雲県みどり野市若葉町三丁目12番地"
    return {
        "form_id": FORM_ID, "_fictitious": True,
        "_source": "tools/samples/koseki_zenbu.py: 夫婦と子2人（長女は婚姻により除籍）、振り仮名あり",
        "honseki": honseki, "hittosha": f"{KAZU}城　義男", "shi_furigana": "カツラギ",
        "koseki_jiko": [{"jiko": "戸籍編製", "lines": [L("編製日", date="平成4年1月10日")]}],
        "persons": [
            {"mei": "義男", "mei_furigana": "ヨシオ", "birth_date": "昭和37年6月21日", "haigusha": "夫",
             "chichi": f"{KAZU}城一郎", "haha": f"{KAZU}城はな", "zokugara": "長男",
             "mibun_jiko": [shussei("昭和37年6月21日", "東雲県みどり野市", "昭和37年6月25日", "父"),
                            {"jiko": "婚姻", "lines": [L("婚姻日", date="平成4年1月10日"), L("配偶者氏名", "乙川梅子"),
                                                      L("従前戸籍", f"東雲県みどり野市中央一丁目1番地　{KAZU}城一郎")]}]},
            {"mei": "梅子", "mei_furigana": "ウメコ", "birth_date": "1964-03-03", "haigusha": "妻",
             "chichi": "乙川忠治", "haha": "乙川松子", "zokugara": "二女",
             "mibun_jiko": [shussei("1964-03-03", "東雲県さくら市", "1964-03-10", "父"),
                            {"jiko": "婚姻", "lines": [L("婚姻日", date="平成4年1月10日"), L("配偶者氏名", f"{KAZU}城義男"),
                                                      L("従前戸籍", "東雲県さくら市本町二丁目3番地　乙川忠治")]}]},
            {"mei": "健太", "mei_furigana": "ケンタ", "birth_date": "平成5年4月1日", "chichi": f"{KAZU}城義男",
             "haha": f"{KAZU}城梅子", "zokugara": "長男",
             "mibun_jiko": [shussei("平成5年4月1日", "東雲県みどり野市", "平成5年4月8日", "父")]},
            {"mei": "美咲", "mei_furigana": "ミサキ", "birth_date": "1996-08-08", "chichi": f"{KAZU}城義男",
             "haha": f"{KAZU}城梅子", "zokugara": "長女", "joseki": True,
             "mibun_jiko": [shussei("1996-08-08", "東雲県みどり野市", "1996-08-19", "母"),
                            {"jiko": "婚姻", "lines": [L("婚姻日", date="令和5年5月5日"), L("配偶者氏名", "丙山翔"),
                                                      L("新本籍", "東雲県みどり野市緑ケ丘二丁目5番地"), L("称する氏", "夫の氏")]}]},
        ],
        "shomei_date": "2026-11-24",
    }


def edge() -> dict:
    """The longest 本籍 and names, 𠮷 (non-BMP) and 葛󠄂 (IVS), nested 【従前の記録】, 養子縁組, and many
    persons: the certificate runs over several sheets; one person's record is longer than a sheet."""
    honseki = "東雲県みどり野市大字𠮷野字髙田原四丁目1234番地の5"
    head = "𠮷田　邉太郎左衛門之介"
    persons = [
        {"mei": "邉太郎左衛門之介", "mei_furigana": "ヘンタロウザエモンノスケ", "birth_date": "昭和18年12月31日", "haigusha": "夫",
         "chichi": "𠮷田邉蔵", "haha": "𠮷田ヨネ", "zokugara": "長男",
         "mibun_jiko": [shussei("昭和18年12月31日", "東雲県みどり野郡𠮷野村", "昭和19年1月6日", "父"),
                        {"jiko": "婚姻", "lines": [L("婚姻日", date="昭和45年11月3日"), L("配偶者氏名", "髙橋齋子"),
                                                  L("従前戸籍", "東雲県みどり野郡𠮷野村大字𠮷野字髙田原1234番地　𠮷田邉蔵")]},
                        {"jiko": "養子縁組", "lines": [L("縁組日", date="昭和60年4月1日"), L("共同縁組者", "妻"),
                                                    L("養子氏名", f"{KAZU}原まゆみ"),
                                                    L("送付を受けた日", date="昭和60年4月5日"), L("受理者", "東雲県さくら市長")]}]
        + [{"jiko": "更正", "lines": [L("更正日", date=f"平成{n}年{m}月1日"), L("更正事項", "従前戸籍"),
                                    L("更正事由", "錯誤"), L("従前の記録"),
                                    L("従前戸籍", f"東雲県みどり野郡𠮷野村大字𠮷野字髙田原{1200 + n}番地　𠮷田邉蔵", indent=1)]}
           for n, m in ((12, 3), (14, 5), (16, 7), (18, 9), (20, 11), (22, 2), (24, 4), (26, 6))]},
        {"mei": "齋子", "birth_date": "1947-07-07", "haigusha": "妻", "chichi": "髙橋正右衛門之介", "haha": "髙橋キヨ", "zokugara": "長女",
         "mibun_jiko": [shussei("1947-07-07", "東雲県さくら市", "1947-07-12", "父"),
                        {"jiko": "婚姻", "lines": [L("婚姻日", date="昭和45年11月3日"), L("配偶者氏名", "𠮷田邉太郎左衛門之介"),
                                                  L("従前戸籍", "東雲県さくら市大字髙田原字北ノ谷地二丁目3番地の14　髙橋正右衛門之介")]},
                        {"jiko": "死亡", "lines": [L("死亡日", date="令和7年2月14日"), L("死亡時分", "午前3時20分"),
                                                  L("死亡地", "東雲県みどり野市"), L("届出日", date="令和7年2月15日"),
                                                  L("届出人", "親族　𠮷田邉太郎左衛門之介")]}],
         "joseki": True},
    ]
    children = [("一郎", "1972-01-15", "長男"), ("二郎", "1974-04-20", "二男"), ("花子", "1976-09-09", "長女"),
                ("三郎", "1979-12-01", "三男"), ("桜子", "1982-03-21", "二女")]
    for i, (mei, born, zoku) in enumerate(children):
        d = born.split("-")
        todoke = f"{d[0]}-{d[1]}-{int(d[2]) + 6:02d}" if int(d[2]) <= 22 else f"{d[0]}-{d[1]}-28"
        p = {"mei": mei, "birth_date": born, "chichi": "𠮷田邉太郎左衛門之介", "haha": "𠮷田齋子", "zokugara": zoku,
             "mibun_jiko": [shussei(born, "東雲県みどり野市大字𠮷野字髙田原四丁目", todoke, "父")]}
        if i % 2 == 0:
            p["joseki"] = True
            p["mibun_jiko"].append({"jiko": "婚姻", "lines": [
                L("婚姻日", date=f"平成{8 + i}年10月10日"), L("配偶者氏名", ["丁野", "戊山", "己川"][i // 2] + "太郎"),
                L("新本籍", f"東雲県みどり野市大字{KAZU}原字北ノ谷地{100 + i}番地"), L("称する氏", "夫の氏")]})
        persons.append(p)
    persons.append({"mei": "まゆみ", "birth_date": "1983-05-05", "chichi": f"{KAZU}原正", "haha": f"{KAZU}原トメ",
                    "yofu": "𠮷田邉太郎左衛門之介", "yobo": "𠮷田齋子", "zokugara": "長女",
                    "mibun_jiko": [shussei("1983-05-05", "東雲県さくら市", "1983-05-11", "父"),
                                   {"jiko": "養子縁組", "lines": [L("縁組日", date="昭和60年4月1日"),
                                                             L("養父氏名", "𠮷田邉太郎左衛門之介"), L("養母氏名", "𠮷田齋子"),
                                                             L("代諾者", "親権者父母"),
                                                             L("従前戸籍", f"東雲県さくら市本町五丁目8番地　{KAZU}原正")]}]})
    return {
        "form_id": FORM_ID, "_fictitious": True,
        "_source": "tools/samples/koseki_zenbu.py: 8人（除籍4人、養子1人）、更正8件の筆頭者（1枚に収まらない記録）、改製・転籍",
        "honseki": honseki, "hittosha": head,
        "koseki_jiko": [
            {"jiko": "戸籍改製", "lines": [L("改製日", date="平成12年3月4日"),
                                        L("改製事由", "平成6年法務省令第51号附則第2条第1項による改製")]},
            {"jiko": "転籍", "lines": [L("転籍日", date="平成15年6月1日"),
                                     L("従前本籍", "東雲県みどり野郡𠮷野村大字𠮷野字髙田原1234番地")]},
            {"jiko": "行政区画変更", "lines": [L("変更日", date="平成17年3月20日"), L("変更事由", "行政区画変更"),
                                          L("従前の記録"), L("本籍", "東雲県みどり野郡𠮷野村大字𠮷野字髙田原1234番地", indent=1)]},
        ],
        "persons": persons,
        "shomei_date": "令和8年11月24日",
    }


if __name__ == "__main__":
    for name, payload in (("koseki_typical", typical()), ("koseki_edge_long", edge())):
        notes = {f"$.persons[{i}].joseki": ["除\u3000\u3000籍", "除 籍"] for i, p in enumerate(payload["persons"])
                 if p.get("joseki")}
        payload["_printed"] = {**notes, **split_printed(FORM_ID, payload)}
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(ROOT), len(payload["persons"]), "persons", len(payload["_printed"]), "annotations")
