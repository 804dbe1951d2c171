"""Batch benchmark: 100,000 税額決定通知書 pages through ``lgforms batch``, same run baselines.

    python benchmarks/batch_bench.py                 # 100,000 pages (≈ 33,334 notices of 3 pages)
    python benchmarks/batch_bench.py --pages 10000   # quicker
    python benchmarks/batch_bench.py --records 2000 --no-dask

Measured in one run, on the same generated input (names with IVS and non-BMP characters):

* baseline "reportlab": the same laid-out pages drawn through ReportLab's canvas with a ReportLab
  ``TTFont`` (see render_bench.py), one process — the pace of a hand-written ReportLab program;
* "in-process": lgforms' own work unit (parse, validate, bind, layout, write, sha256) in this
  process, no pool — the cost of a page on one core, split into layout and write;
* the batch with the local executor, 1 and 2 worker processes, and on Dask (a local cluster of
  2 single-threaded worker processes on 127.0.0.1), planning and rendering timed separately;
* peak RSS per worker (each worker reports its own ``ru_maxrss``) with 2 local workers at the small
  size (``--small``, default 10,000 pages) and at the full size.

Prints pages/s, ms/page, ratios (2 workers / 1 worker, lgforms / ReportLab); asserts nothing. The
workers' CPU seconds (each unit's ``process_time``) and the driver's are printed too: on a machine
shared with other work the wall clock shows how many cores were free, CPU per page shows whether
adding a worker cost anything by itself.
Targets on a 2-core machine: ≥ 1,000 pages/s per core; ≥ 1.8× from 1 to 2 workers; peak RSS per
worker ≤ 400 MB and flat from 10k to 100k pages.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import render_bench as rb  # noqa: E402

import lgforms  # noqa: E402
from lgforms.batch import BatchOptions, DaskExecutor, LocalExecutor, create_job, open_store, run_job  # noqa: E402
from lgforms.batch.runner import job_spec  # noqa: E402
from lgforms.batch.work import render_unit, warm  # noqa: E402

FORM = rb.FORM


def make_input(path: Path, records: int) -> None:
    base = rb.sample()
    with open(path, "w", encoding="utf-8") as f:
        for i in range(records):
            p = rb.variant(base, i)
            p["atena_postcode"] = f"{(i * 7919) % 900 + 100:03d}-{(i * 104729) % 10000:04d}"
            f.write(json.dumps({"id": f"N{i:07d}", "payload": p}, ensure_ascii=False) + "\n")


def pages_per_record() -> int:
    return len(lgforms.layout(FORM, rb.sample()).pages)


def batch(src: Path, work: Path, name: str, executor, **opts) -> dict:
    out = work / name
    shutil.rmtree(out, ignore_errors=True)
    store = open_store(work / f"{name}.db")
    gc.collect()
    t0 = time.perf_counter()
    job = create_job(store, BatchOptions(FORM, str(src), str(out), split_pages=2000, **opts))
    t1 = time.perf_counter()
    d0 = resource.getrusage(resource.RUSAGE_SELF)
    summary = run_job(store, job, executor, progress=False)
    d1 = resource.getrusage(resource.RUSAGE_SELF)
    t2 = time.perf_counter()
    store.close()
    rss = list(summary["worker_peak_rss_mb_last_run"].values())
    res = {"name": name, "pages": summary["pages"], "records": summary["rendered"], "plan_s": t1 - t0,
           "run_s": t2 - t1, "pages_per_s": summary["pages"] / (t2 - t1), "rss_mb": rss, "parts": summary["parts"],
           "worker_cpu_s": summary["worker_cpu_seconds_last_run"],
           "driver_cpu_s": (d1.ru_utime + d1.ru_stime) - (d0.ru_utime + d0.ru_stime)}
    shutil.rmtree(out, ignore_errors=True)
    return res


def show(r: dict, workers: int) -> None:
    rss = ", ".join(f"{x:.0f}" for x in r["rss_mb"]) or "-"
    print(f"  {r['name']:<22} {r['pages']:>8,} pages  plan {r['plan_s']:6.1f} s  render {r['run_s']:7.1f} s  "
          f"{r['pages_per_s']:7.0f} pages/s  {r['pages_per_s'] / workers:6.0f} /worker  "
          f"{1000 * workers / r['pages_per_s']:5.2f} ms/page·core  peak RSS/worker MB [{rss}]")
    print(f"  {'':<22} CPU: workers {r['worker_cpu_s']:6.1f} s = {1000 * r['worker_cpu_s'] / r['pages']:5.3f} ms/page "
          f"({r['pages'] / r['worker_cpu_s']:5.0f} pages per CPU-second), driver {r['driver_cpu_s']:5.1f} s; "
          f"cores busy {(r['worker_cpu_s'] + r['driver_cpu_s']) / r['run_s']:4.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=100_000, help="pages of the full run (default 100,000)")
    ap.add_argument("--records", type=int, help="records of the full run (instead of --pages)")
    ap.add_argument("--small", type=int, default=10_000, help="pages of the small run for the RSS comparison")
    ap.add_argument("--baseline-pages", type=int, default=1500, help="pages for the ReportLab / in-process baselines")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--keep", help="keep the work directory here")
    args = ap.parse_args()

    ppr = pages_per_record()
    records = args.records or math.ceil(args.pages / ppr)
    small = min(records, math.ceil(args.small / ppr))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="lgforms-batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"form {FORM} ({ppr} pages per notice); {records:,} notices ≈ {records * ppr:,} pages; "
          f"{os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    src, src_small = work / "notices.jsonl", work / "notices-small.jsonl"
    make_input(src, records)
    make_input(src_small, small)
    print(f"input: {src.stat().st_size / 1e6:.1f} MB JSON Lines")

    # -- baselines, same process --------------------------------------------------------------------
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from lgforms.resources import font_dir

    pdfmetrics.registerFont(TTFont("IPAmj", str(font_dir() / "ipamjm.ttf")))
    n_base = max(1, args.baseline_pages // ppr)
    base = rb.sample()
    payloads = [rb.variant(base, i) for i in range(n_base)]
    raws = [(i, i + 1, i, f"N{i}", json.dumps(p, ensure_ascii=False).encode()) for i, p in enumerate(payloads)]
    spec = dict(job_spec({"form_id": FORM, "options": {"imposition": "panels"}}), split_pages=None)
    warm(spec)  # as a worker starts: form, fonts and the sample laid out, then gc.freeze()
    render_unit(spec, 0, raws[:20])
    t, c = time.perf_counter(), time.process_time()
    res = render_unit(spec, 0, raws)
    lg_s, lg_cpu = time.perf_counter() - t, time.process_time() - c
    lg_pages = sum(p["pages"] for p in res["parts"])
    t, c = time.perf_counter(), time.process_time()
    laid = [pg for p in payloads for pg in lgforms.layout(FORM, p).pages]
    lay_s, lay_cpu = time.perf_counter() - t, time.process_time() - c
    calls = rb.reportlab_calls(laid)
    t, c = time.perf_counter(), time.process_time()
    rb.reportlab_render(calls)
    rl_s, rl_cpu = time.perf_counter() - t, time.process_time() - c
    print(f"\n(a) one core, {lg_pages:,} pages, same process")
    print(f"  reportlab baseline      {rl_s * 1000 / len(calls):6.3f} ms/page  {len(calls) / rl_s:7.0f} pages/s "
          f"(drawing + writing only; its layout was done for it)")
    print(f"  lgforms unit            {lg_s * 1000 / lg_pages:6.3f} ms/page  {lg_pages / lg_s:7.0f} pages/s "
          f"(parse + validate + bind + layout + write + sha256): {rl_s / len(calls) / (lg_s / lg_pages):.2f}x "
          f"ReportLab's pace")
    print(f"    of which bind+layout  {lay_s * 1000 / len(laid):6.3f} ms/page, write and the rest "
          f"{(lg_s - lay_s) * 1000 / lg_pages:6.3f} ms/page")
    print(f"  CPU time (not disturbed by other processes): reportlab {rl_cpu * 1000 / len(calls):6.3f} ms/page, "
          f"lgforms {lg_cpu * 1000 / lg_pages:6.3f} ms/page (bind+layout {lay_cpu * 1000 / len(laid):6.3f}, "
          f"write and the rest {(lg_cpu - lay_cpu) * 1000 / lg_pages:6.3f}); {rl_cpu / len(calls) / (lg_cpu / lg_pages):.2f}x")

    # -- batches ------------------------------------------------------------------------------------
    print(f"\n(b) lgforms batch, parts of ≤ 2,000 pages")
    one = batch(src, work, "local-1", LocalExecutor(1))
    show(one, 1)
    two = batch(src, work, "local-2", LocalExecutor(2))
    show(two, 2)
    # a unit is one part: with U units, 2 workers take ceil(U / 2) rounds, the last one possibly
    # with one worker idle — the best 2 workers can do on this input is U / ceil(U / 2)
    units = two["parts"]
    print(f"  units (= parts): {units}; the most 2 workers can gain with {units} equal units is "
          f"{units / math.ceil(units / 2):.2f}x (the last round may leave one worker idle)")
    print(f"  speed-up 1 -> 2 workers: {two['pages_per_s'] / one['pages_per_s']:.2f}x wall clock (target ≥ 1.8x); "
          f"CPU per page {two['worker_cpu_s'] / one['worker_cpu_s']:.2f}x of 1 worker's (1.00 = no scaling loss "
          f"but cores: on a shared machine the wall clock shows how many cores were free)")
    if not args.no_dask:
        dk = batch(src, work, "dask-2", DaskExecutor(None, 2))
        show(dk, 2)
        print(f"  dask / local with 2 workers: {dk['pages_per_s'] / two['pages_per_s']:.2f}x")
    sm = batch(src_small, work, "local-2-small", LocalExecutor(2))
    show(sm, 2)
    print(f"  peak RSS per worker: {max(sm['rss_mb'], default=0):.0f} MB at {sm['pages']:,} pages, "
          f"{max(two['rss_mb'], default=0):.0f} MB at {two['pages']:,} pages (target ≤ 400 MB, flat)")
    print(f"  ReportLab baseline on one core: {len(calls) / rl_s:.0f} pages/s; lgforms batch per worker: "
          f"{two['pages_per_s'] / 2:.0f} pages/s ({two['pages_per_s'] / 2 / (len(calls) / rl_s):.2f}x)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
