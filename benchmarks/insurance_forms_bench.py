"""Insurance and pension forms: batch rendering speed per page, against the 個人住民税 notice (the first
form written in format v2) rendered in the same run.

    python benchmarks/insurance_forms_bench.py [--records 100] [--rounds 3]

For each form, ``lgforms.render_many`` turns ``--records`` copies of its typical sample (the first
sample whose name has no "edge", as the golden tests use) into one print file: validate, rules,
bind, layout, draw, write and — for window-envelope notices — the postal checks of every record.
Prints ms per record, ms per page, bytes per page and the ratio of ms per page to the baseline
form. Best of ``--rounds`` rounds, the forms interleaved within each round. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import lgforms  # noqa: E402
from goldencheck import typical_sample  # noqa: E402

BASELINE = "kojin_zeigaku_kettei_futsu"
FORMS = ["kokuho_shikaku_kakuninsho", "kokuho_tokutei_kenshin_jushinken", "kouki_shikaku_kakuninsho",
         "kouki_shikaku_joho_oshirase", "kouki_hokenryo_kettei_tsuchisho", "kaigo_hihokenshasho",
         "kaigo_futan_wariaisho", "kaigo_nintei_kekka_tsuchisho", "nenkin_todoke_uketsuke_hikae",
         "nenkin_menjo_shinseisho_preprint"]


def run(form_id: str, payload: dict, n: int) -> tuple[float, int, int]:
    records = [payload] * n
    gc.collect()
    t0 = time.perf_counter()
    res = lgforms.render_many(form_id, records)
    return time.perf_counter() - t0, res.pages, len(res.data)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    cat = lgforms.Catalog(ROOT / "forms")
    ids = [BASELINE] + FORMS
    payloads = {f: cat.get(f).sample(typical_sample(cat.get(f))) for f in ids}
    for f in ids:  # warm up: fonts, compiled forms, static parts
        lgforms.render_many(f, [payloads[f]])
    best: dict[str, tuple[float, int, int]] = {}
    for _ in range(a.rounds):
        for f in ids:
            r = run(f, payloads[f], a.records)
            if f not in best or r[0] < best[f][0]:
                best[f] = r
    base = best[BASELINE][0] * 1000 / best[BASELINE][1]
    print(f"{a.records} records per form, best of {a.rounds} rounds; baseline {BASELINE}: {base:.2f} ms/page")
    print(f"{'form':36} {'pages/rec':>9} {'ms/rec':>8} {'ms/page':>8} {'kB/page':>8} {'× base':>7}")
    for f in ids:
        s, pages, size = best[f]
        per_page = s * 1000 / pages
        print(f"{f:36} {pages / a.records:9.0f} {s * 1000 / a.records:8.2f} {per_page:8.2f} {size / pages / 1024:8.1f} "
              f"{per_page / base:7.2f}")


if __name__ == "__main__":
    main()
