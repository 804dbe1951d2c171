"""Render benchmark: lgforms vs the same pages drawn with plain ReportLab (and Typst), same run.

    python benchmarks/render_bench.py [--singles 200] [--pages 1000] [--no-typst]

Form: 個人住民税 税額決定通知書（普通徴収） — an A4 notice plus its 納付書 sheets (3 pages).

Baselines, measured in the same process on the same pages:
* "reportlab": the identical primitives (every text line, rule, frame, barcode bar at the same
  position) drawn through ReportLab's public canvas API with a ReportLab ``TTFont`` of IPAmj
  (ReportLab's own TrueType subsetting), redrawing everything on every page — what a vendor's
  hand-coded ReportLab program does. Its draw calls are prepared before timing, so it is charged
  for drawing and writing only (lgforms is charged for bind + layout too). It prints IVS
  sequences wrongly (that is the point of lgforms); here it only sets the pace.
* "typst": the same primitives placed with ``#place`` in a Typst document, compiled by the
  ``typst`` Python package with the same IPAmj font (single documents, the same 3 pages).

Prints ms per document / per page, pages/s, bytes/page and ratios; nothing is asserted.
"""

from __future__ import annotations

import argparse
import copy
import gc
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import lgforms  # noqa: E402
from lgforms.layout.boxes import PT, BarsBox, ImageBox, LineBox, ModuleBars, RectBox, TextLine  # noqa: E402
from lgforms.pdf import cidfont  # noqa: E402
from lgforms.moji.clusters import split_clusters  # noqa: E402
from lgforms.pdf.draw import draw_pages  # noqa: E402
from lgforms.pdf.writer import PdfWriter  # noqa: E402
from lgforms.resources import font_dir  # noqa: E402

FORM = "kojin_zeigaku_kettei_futsu"
MM = 72 / 25.4


def sample() -> dict:
    return json.loads((ROOT / "forms/zeimu/kojin_zeigaku_kettei_futsu/samples/futsu_4ki.json").read_text("utf-8"))


SURNAMES = ["髙橋", "𠮷田", "齋藤", "葛\U000E0102城", "渡邉", "佐藤", "鈴木", "山﨑", "伊藤", "中村"]
GIVEN = ["真理子", "健一", "彩花", "陽向", "ミツ", "邦夫", "翔太", "美咲", "蓮", "結衣"]


def variant(base: dict, i: int) -> dict:
    p = copy.deepcopy(base)
    p["atena_name"] = f"{SURNAMES[i % 10]}　{GIVEN[(i // 10) % 10]}"
    p["tsuchisho_no"] = f"{1000000 + i:010d}"
    p["atena_address"] = f"東雲県みどり野市若葉町{['一', '二', '三', '四'][i % 4]}丁目{i % 40 + 1}番{i % 9 + 1}号"
    return p


def _rects(it):
    if isinstance(it, BarsBox):
        return it.rects
    out, u = [], 0
    for i, m in enumerate(it.widths):
        if not i & 1:
            out.append((it.x + u * it.module, it.y, m * it.module, it.height))
        u += m
    return out


# -- baselines ------------------------------------------------------------------------------------

def reportlab_calls(pages) -> list:
    """Flatten laid-out pages (static parts included, as a hand-coded program redraws them)."""
    out = []
    for p in pages:
        items = []
        for sp in p.statics:
            for it in sp.items:
                items.append((0.0, 0.0, it))
        for it in p.items:
            if type(it).__name__ == "FormRef":
                sp = next(s for s in p.statics if s.name == it.name)
                items += [(it.dx, it.dy, x) for x in sp.items] if it.dx or it.dy else []
                continue
            items.append((0.0, 0.0, it))
        calls = []
        H = p.size[1]
        for dx, dy, it in items:
            if isinstance(it, TextLine):
                calls.append(("text", (it.x + dx) * MM, (H - it.baseline - dy) * MM, it.size, it.text, it.char_spacing))
            elif isinstance(it, LineBox):
                calls.append(("line", (it.x1 + dx) * MM, (H - it.y1 - dy) * MM, (it.x2 + dx) * MM, (H - it.y2 - dy) * MM, it.width * MM))
            elif isinstance(it, RectBox):
                calls.append(("rect", (it.x + dx) * MM, (H - it.y - it.h - dy) * MM, it.w * MM, it.h * MM,
                              it.stroke_width, it.fill))
            elif isinstance(it, (BarsBox, ModuleBars)):
                calls.append(("bars", [((x + dx) * MM, (H - y - h - dy) * MM, w * MM, h * MM) for x, y, w, h in _rects(it)]))
            elif isinstance(it, ImageBox):
                calls.append(("image", it.data, (it.x + dx) * MM, (H - it.y - it.h - dy) * MM, it.w * MM, it.h * MM))
        out.append(calls)
    return out


def reportlab_render(pages_calls) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(210 * MM, 297 * MM))
    for calls in pages_calls:
        for call in calls:
            k = call[0]
            if k == "text":
                _, x, y, size, text, cs = call
                c.setFont("IPAmj", size)
                if cs:
                    t = c.beginText(x, y)
                    t.setFont("IPAmj", size)
                    t.setCharSpace(cs)
                    t.textOut(text)
                    c.drawText(t)
                else:
                    c.drawString(x, y, text)
            elif k == "line":
                _, x1, y1, x2, y2, w = call
                c.setLineWidth(w)
                c.line(x1, y1, x2, y2)
            elif k == "rect":
                _, x, y, w, h, sw, fill = call
                if fill is not None:
                    c.setFillGray(fill[0])
                if sw:
                    c.setLineWidth(sw * MM)
                c.rect(x, y, w, h, stroke=1 if sw else 0, fill=1 if fill is not None else 0)
                c.setFillGray(0)
            elif k == "bars":
                for x, y, w, h in call[1]:
                    c.rect(x, y, w, h, stroke=0, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def typst_source(pages) -> str:
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace('"', '\\"')

    lines = ['#set page(width: 210mm, height: 297mm, margin: 0mm)', '#set text(font: "IPAmj明朝")']
    for i, p in enumerate(pages):
        if i:
            lines.append("#pagebreak()")
        items = []
        for sp in p.statics:
            items += [(0.0, 0.0, it) for it in sp.items]
        for it in p.items:
            if type(it).__name__ == "FormRef":
                sp = next(s for s in p.statics if s.name == it.name)
                if it.dx or it.dy:
                    items += [(it.dx, it.dy, x) for x in sp.items]
            else:
                items.append((0.0, 0.0, it))
        for dx, dy, it in items:
            if isinstance(it, TextLine):
                top = it.baseline - 0.88 * it.size * PT + dy
                lines.append(f'#place(dx: {it.x + dx:.2f}mm, dy: {top:.2f}mm, text(size: {it.size}pt, top-edge: "ascender", "{esc(it.text)}"))')
            elif isinstance(it, LineBox):
                lines.append(f"#place(line(start: ({it.x1 + dx:.2f}mm, {it.y1 + dy:.2f}mm), end: ({it.x2 + dx:.2f}mm, {it.y2 + dy:.2f}mm), stroke: {it.width:.2f}mm))")
            elif isinstance(it, RectBox):
                fill = f", fill: luma({int(it.fill[0] * 255)})" if it.fill is not None else ""
                stroke = f"{it.stroke_width:.2f}mm" if it.stroke_width else "none"
                lines.append(f"#place(dx: {it.x + dx:.2f}mm, dy: {it.y + dy:.2f}mm, rect(width: {it.w:.2f}mm, height: {it.h:.2f}mm, stroke: {stroke}{fill}))")
            elif isinstance(it, (BarsBox, ModuleBars)):
                for x, y, w, h in _rects(it):
                    lines.append(f"#place(dx: {x + dx:.3f}mm, dy: {y + dy:.3f}mm, rect(width: {w:.3f}mm, height: {h:.2f}mm, fill: black))")
    return "\n".join(lines)


# -- measurement ----------------------------------------------------------------------------------

def timed(fn, n: int) -> tuple[float, object]:
    """Median seconds of n calls (after 3 warm-up calls) and the last result."""
    for _ in range(3):
        out = fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--singles", type=int, default=200)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--no-typst", action="store_true")
    args = ap.parse_args()

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("IPAmj", str(font_dir() / "ipamjm.ttf")))
    base = sample()
    payloads = [variant(base, i) for i in range(args.singles)]
    print(f"form {FORM}; python {sys.version.split()[0]}")

    # (a) single documents -----------------------------------------------------------------------
    i = [0]

    def one_lgforms():
        i[0] += 1
        return lgforms.render_result(FORM, payloads[i[0] % len(payloads)])

    cidfont.SUBSET_TIMER[0] = 0.0
    lg_single, res = timed(one_lgforms, args.singles)
    pages_per_doc = res.pages
    # the split, measured over another pass
    split = {"layout": [], "write": []}
    cidfont.SUBSET_TIMER[0] = 0.0
    for p in payloads[:50]:
        r = lgforms.render_result(FORM, p)
        split["layout"].append(r.timings["layout"])
        split["write"].append(r.timings["write"])
    subset_ms = cidfont.SUBSET_TIMER[0] / 50 * 1000
    lay_ms = statistics.mean(split["layout"]) * 1000
    wr_ms = statistics.mean(split["write"]) * 1000

    rl_calls = [reportlab_calls(lgforms.layout(FORM, p).pages) for p in payloads]
    j = [0]

    def one_reportlab():
        j[0] += 1
        return reportlab_render(rl_calls[j[0] % len(rl_calls)])

    rl_single, rl_pdf = timed(one_reportlab, max(20, args.singles // 4))

    print(f"\n(a) single documents ({pages_per_doc} pages each: notice + 納付書), warm, median of runs")
    print(f"  lgforms   {lg_single * 1000:7.2f} ms/doc  {lg_single * 1000 / pages_per_doc:6.2f} ms/page  "
          f"{len(res.data) / pages_per_doc / 1024:6.1f} KiB/page")
    print(f"  reportlab {rl_single * 1000:7.2f} ms/doc  {rl_single * 1000 / pages_per_doc:6.2f} ms/page  "
          f"{len(rl_pdf) / pages_per_doc / 1024:6.1f} KiB/page")
    print(f"  ratio lgforms/reportlab: time {lg_single / rl_single:.2f}x, bytes {len(res.data) / len(rl_pdf):.2f}x")
    print(f"  lgforms split: bind+layout (clusters, fitting) {lay_ms:.2f} ms, write {wr_ms:.2f} ms "
          f"of which font subset {subset_ms:.2f} ms ({subset_ms / (lay_ms + wr_ms) * 100:.0f}% of the document)")

    # Typst: the same documents (all 3 pages, every primitive at the same place), compiled one
    # after another by one Compiler (fonts stay loaded; the source changes for every document).
    if not args.no_typst:
        try:
            import typst
        except ImportError:
            print("  typst: not installed (pip install typst) — skipped")
        else:
            sources = [typst_source(lgforms.layout(FORM, p).pages) for p in payloads[:60]]
            with tempfile.TemporaryDirectory() as d:
                f = Path(d) / "notice.typ"
                f.write_text(sources[0], encoding="utf-8")
                compiler = typst.Compiler(str(f), font_paths=[str(font_dir())])
                n = [0]

                def one_typst():
                    n[0] += 1
                    f.write_text(sources[n[0] % len(sources)], encoding="utf-8")
                    return compiler.compile()

                ty, ty_pdf = timed(one_typst, 40)
            print(f"  typst     {ty * 1000:7.2f} ms/doc  {ty * 1000 / pages_per_doc:6.2f} ms/page  "
                  f"{len(ty_pdf) / pages_per_doc / 1024:6.1f} KiB/page")
            print(f"  ratio lgforms/typst: time {lg_single / ty:.2f}x (target ≤ 0.5x)")

    # font data of a postcard-sized document with ~100 distinct characters ----------------------
    from lgforms.layout.boxes import LaidOutPage
    from lgforms.layout.text import MojiProblems, fit_text
    from lgforms.moji.fonts import default_stacks
    from lgforms.spec.models import TextStyle

    text = ("東雲県みどり野市若葉町三丁目十二番五号みどり野ハイツ二〇二号室葛\U000E0102城真理子様"
            "令和八年度投票所入場券選挙期日十一月二十四日午前七時から午後八時まで第一投票所市立"
            "小学校体育館𠮷田髙橋齋藤邉渡辺佐々木伊藤山本中村小林加藤吉川松井石田森岡島"
            "〒郵便はがき料金別納")
    distinct = len(set(split_clusters(text)))
    items, probs = [], MojiProblems()
    for k in range(0, len(text), 18):
        items += fit_text(text[k:k + 18], (5, 5 + k / 18 * 7, 90, 7), TextStyle(size=10, fit="shrink", min_size=6),
                          default_stacks()["mincho"], path=None, problems=probs)
    w = PdfWriter(page_size_mm=(100, 148))
    draw_pages([LaidOutPage((100, 148), [], items)], w)
    pc = w.finish()
    fo = w._fonts[default_stacks()["mincho"].fonts[0]].build()
    font_bytes = len(fo.program) + len(fo.to_unicode) + len(fo.cid_to_gid)
    print(f"\n    postcard with {distinct} distinct characters: {len(pc) / 1024:.1f} KiB PDF, "
          f"{font_bytes / 1024:.1f} KiB of font data (target < 100 KB)")

    # (b) one 1,000-page document ----------------------------------------------------------------
    recs, n = [], 0
    k = 0
    per_record = len(lgforms.layout(FORM, base).pages)  # notice + 納付書 sheets
    while n < args.pages:
        recs.append(variant(base, k))
        n += per_record
        k += 1
    gc.collect()
    t = time.perf_counter()
    big = lgforms.render_many(FORM, recs)
    lg_big = time.perf_counter() - t
    big_calls = []
    for p in recs:
        big_calls += reportlab_calls(lgforms.layout(FORM, p).pages)
    gc.collect()
    t = time.perf_counter()
    rl_big_pdf = reportlab_render(big_calls)
    rl_big = time.perf_counter() - t
    print(f"\n(b) one document of {big.pages} pages ({len(recs)} notices)")
    print(f"  lgforms   {lg_big * 1000 / big.pages:6.3f} ms/page  {big.pages / lg_big:7.0f} pages/s  "
          f"{len(big.data) / big.pages / 1024:6.2f} KiB/page")
    print(f"  reportlab {rl_big * 1000 / len(big_calls):6.3f} ms/page  {len(big_calls) / rl_big:7.0f} pages/s  "
          f"{len(rl_big_pdf) / len(big_calls) / 1024:6.2f} KiB/page")
    print(f"  lgforms is {rl_big / lg_big * len(big_calls) / len(big_calls):.2f}x faster per page "
          f"(target ≥ 2x), bytes/page ratio {len(big.data) / len(rl_big_pdf):.2f}x")


if __name__ == "__main__":
    main()
