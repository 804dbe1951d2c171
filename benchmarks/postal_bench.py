"""Postal benchmark: a batch of 投票所入場券 (V-fold 圧着はがき) rendered, checked and imposed,
against plain single-panel rendering of the same pages, measured in the same run.

    python benchmarks/postal_bench.py [--pieces 10000] [--rounds 2]

Three ways to turn the same N payloads (households of 1–3 voters, the most one mailpiece holds; varied
names and addresses) into one print file:

* "plain":  validate + bind + layout + draw + write, one page per logical panel, no postal stage
            (what any form gets: the baseline);
* "panels": ``lgforms.render_many(..., imposition="panels")`` — the same pages, plus the postal
            stage (mailpiece assembly, outer-face and cut-out checks on every mailpiece);
* "sheets": ``lgforms.render_many(..., imposition="sheets")`` — checks + imposition: each
            mailpiece's four panels placed (cm transform + clip) on the front and back of its A5
            sheet, duplex order.

Prints seconds, mailpieces/s, panels/s, PDF pages/s, bytes per mailpiece and the ratio of each to
"plain" (target: imposition adds ≤ 25 %). Best of ``--rounds`` rounds, interleaved. Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import lgforms  # noqa: E402
from lgforms.bind.payload import validate_payload  # noqa: E402
from lgforms.layout.document import layout_record  # noqa: E402
from lgforms.layout.text import MojiProblems  # noqa: E402
from lgforms.pdf.draw import draw_pages  # noqa: E402
from lgforms.pdf.writer import PdfWriter  # noqa: E402
from lgforms.render import _tenant, stacks_for  # noqa: E402
from lgforms.spec.catalog import default_catalog  # noqa: E402

FORM = "senkyo_nyujoken_atchaku"
SURNAMES = ["髙橋", "𠮷田", "齋藤", "葛\U000E0102城", "渡邉", "佐藤", "鈴木", "山﨑", "伊藤", "邉見"]
GIVEN = ["真理子", "健一", "彩花", "陽向", "ミツ", "邦夫", "翔太", "美咲", "蓮", "結衣"]
TOWNS = ["白樺町", "若葉町", "青葉町", "桜台", "中央"]


def payloads(n: int) -> list[dict]:
    base = json.loads((ROOT / "forms/senkyo/senkyo_nyujoken_atchaku/samples/nyujoken_3nin.json").read_text("utf-8"))
    out = []
    for i in range(n):
        p = copy.deepcopy(base)
        sur = SURNAMES[i % 10]
        k = i % 3 + 1  # household of 1–3 voters (the most one mailpiece holds)
        p["atena_name"] = f"{sur}　{GIVEN[(i // 10) % 10]}"
        p["atena_postcode"] = f"987-65{i % 100:02d}"
        p["atena_address"] = f"東雲県みどり野市{TOWNS[i % 5]}{['一', '二', '三', '四'][i % 4]}丁目{i % 40 + 1}番{i % 9 + 1}号"
        p["voters"] = [{"name": f"{sur}　{GIVEN[(i + j) % 10]}", "tohyoku": f"第{i % 30 + 1}投票区",
                        "meibo_no": f"{i % 30 + 1}-{i % 900:03d}-{j + 1:02d}", "tohyojo": "みどり野市立白樺小学校 体育館"}
                       for j in range(k)]
        out.append(p)
    return out


def plain(ps: list[dict]) -> tuple[bytes, int]:
    """The same pages without the postal stage: render_many's loop for a counter form."""
    form = default_catalog().get(FORM)
    t = _tenant(None)
    stacks = stacks_for(t)

    def pages():
        for p in ps:
            problems = MojiProblems()
            validate_payload(form, p)
            out = layout_record(form, p, tenant=t, stacks=stacks, problems=problems)
            problems.raise_if_any()
            yield from out

    w = PdfWriter(page_size_mm=(210.0, 297.0), title=form.title)
    n = draw_pages(pages(), w)
    return w.finish(), n


def timed(fn):
    gc.collect()
    t0 = time.perf_counter()
    data, pages = fn()
    return time.perf_counter() - t0, data, pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pieces", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    ps = payloads(args.pieces)
    lgforms.render_many(FORM, ps[:20], imposition="sheets")  # warm: fonts, form, shaping caches
    plain(ps[:20])

    runs = {
        "plain": lambda: plain(ps),
        "panels": lambda: (lambda r: (r.data, r.pages))(lgforms.render_many(FORM, ps, imposition="panels")),
        "sheets": lambda: (lambda r: (r.data, r.pages))(lgforms.render_many(FORM, ps, imposition="sheets")),
    }
    best: dict[str, tuple[float, bytes, int]] = {}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            dt, data, pages = timed(fn)
            if name not in best or dt < best[name][0]:
                best[name] = (dt, data, pages)
    n = args.pieces
    base = best["plain"][0]
    print(f"{n:,} 投票所入場券 (V-fold 圧着はがき, 4 panels each, households of 1–3), best of {args.rounds}")
    print(f"{'':8} {'seconds':>8} {'pieces/s':>9} {'panels/s':>9} {'pages':>7} {'pages/s':>8} {'KB/piece':>9} {'vs plain':>9}")
    for name, (dt, data, pages) in best.items():
        print(f"{name:8} {dt:8.2f} {n / dt:9.0f} {4 * n / dt:9.0f} {pages:7d} {pages / dt:8.0f} "
              f"{len(data) / n / 1024:9.2f} {dt / base:8.2f}x")
    extra = best["sheets"][0] / base - 1
    print(f"imposition (checks + imposed sheets) vs plain single-panel rendering: {extra:+.1%} "
          f"({'within' if extra <= 0.25 else 'over'} the +25 % target)")


if __name__ == "__main__":
    main()
