"""Postcode digits as outlines: what drawing the 郵便番号枠 digits as glyph paths (so that the
postcode copies out once) costs against drawing them as text (as before), in the same run.

    python benchmarks/postcode_bench.py [--pieces 2000] [--rounds 3]

Both runs render the same N 投票所入場券 with ``lgforms.render_many`` (panels); the baseline
swaps the digits' draw method back to ``TextLine.draw``. Prints seconds, ms per mailpiece,
bytes per mailpiece and the ratio to the text baseline. Best of ``--rounds``, interleaved.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import lgforms  # noqa: E402
from lgforms.elements.postcode_boxes import OutlinedDigit  # noqa: E402
from lgforms.layout.boxes import TextLine  # noqa: E402
from postal_bench import FORM, payloads  # noqa: E402

OUTLINE_DRAW = OutlinedDigit.draw


def run(ps: list[dict], outlines: bool) -> tuple[float, int]:
    OutlinedDigit.draw = OUTLINE_DRAW if outlines else TextLine.draw
    try:
        gc.collect()
        t0 = time.perf_counter()
        res = lgforms.render_many(FORM, ps)
        return time.perf_counter() - t0, len(res.data)
    finally:
        OutlinedDigit.draw = OUTLINE_DRAW


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pieces", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    ps = payloads(args.pieces)
    run(ps[:20], True), run(ps[:20], False)  # warm: fonts, form, shaping and outline caches
    best: dict[str, tuple[float, int]] = {}
    for _ in range(args.rounds):
        for name, outlines in (("text", False), ("outlines", True)):
            dt, size = run(ps, outlines)
            if name not in best or dt < best[name][0]:
                best[name] = (dt, size)
    n = args.pieces
    base = best["text"][0]
    print(f"{n:,} 投票所入場券 (panels), postcode digits drawn as text vs as outlines, best of {args.rounds}")
    print(f"{'':9} {'seconds':>8} {'ms/piece':>9} {'KB/piece':>9} {'vs text':>8}")
    for name, (dt, size) in best.items():
        print(f"{name:9} {dt:8.2f} {dt / n * 1000:9.3f} {size / n / 1024:9.2f} {dt / base:7.2f}x")


if __name__ == "__main__":
    main()
