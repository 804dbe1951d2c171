"""Write the 戸籍個人事項証明書 sample payloads from the families of the 全部事項証明書 samples.

    python tools/samples/koseki_kojin.py   # rewrites forms/koseki/koseki_kojin_jiko_shomeisho/samples/*.json

A 個人事項証明 carries the 戸籍's head and 戸籍事項 and one of its persons: the same records, so the
samples take them from tools/samples/koseki_zenbu.py (typical: the son 健太; edge: the 筆頭者 whose
eleven 身分事項 do not fit on one sheet, in the 戸籍 with the longest 戸籍事項). `_printed` is
recomputed for this form's layout (除籍 mark, wrapped lines).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import koseki_zenbu  # noqa: E402
from wrapped_cells import split_printed  # noqa: E402

FORM_ID = "koseki_kojin_jiko_shomeisho"
FORM = ROOT / "forms/koseki" / FORM_ID


def one_person(family: dict, index: int, source: str) -> dict:
    out = {"form_id": FORM_ID, "_fictitious": True, "_source": source}
    for key in ("honseki", "hittosha", "shi_furigana", "koseki_jiko"):
        if key in family:
            out[key] = family[key]
    out["person"] = family["persons"][index]
    out["shomei_date"] = family["shomei_date"]
    return out


def main() -> None:
    samples = {
        "kojin_typical": one_person(koseki_zenbu.typical(), 2, "tools/samples/koseki_kojin.py: 全部事項証明書の典型の家族のうち長男の個人事項証明（旅券申請用）"),
        "kojin_edge_long": one_person(koseki_zenbu.edge(), 0, "tools/samples/koseki_kojin.py: 身分事項11件で1枚に収まらない筆頭者（更正8件、養子縁組）、改製・転籍の戸籍事項"),
        # 養父・養母 (養子縁組: 戸籍法施行規則 附録第24号 — 【養父】【養母】 follow 【父】【母】) and the 除籍 mark
        "kojin_yoshi": one_person(koseki_zenbu.edge(), 7, "tools/samples/koseki_kojin.py: 全部事項証明書の長い戸籍の養子（養父・養母のある者）の個人事項証明"),
        "kojin_joseki": one_person(koseki_zenbu.typical(), 3, "tools/samples/koseki_kojin.py: 婚姻により除籍された長女の個人事項証明（除籍の表示）"),
    }
    for name, payload in samples.items():
        notes = {}
        if payload["person"].get("joseki"):
            notes["$.person.joseki"] = ["除\u3000\u3000籍", "除 籍"]
        payload["_printed"] = {**notes, **split_printed(FORM_ID, payload)}
        path = FORM / "samples" / f"{name}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(path.relative_to(ROOT), len(payload["_printed"]), "annotations")


if __name__ == "__main__":
    main()
