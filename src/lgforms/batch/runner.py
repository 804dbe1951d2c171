"""The batch driver: plan a job, run its units on an executor, and finish it.

    job = create_job(store, BatchOptions(form_id, input, out_dir, sort="postcode", split_pages=1000))
    summary = run_job(store, job, executor=LocalExecutor(2))      # also: resume after a crash

1. **plan** (once per job): read the input front to back (lazily), reject what cannot be a record
   (not JSON, over-long, a record id used twice), sort (input, postcode, customer barcode), cut the
   records into units of about one part each, and store it all in one transaction.
2. **run**: the units without an outcome go to the executor; each outcome — part files, per-record
   part/page/mailpieces, rejected records with code and path — is stored with the unit in one
   transaction, after its part files are on disk. Killing the process at any point loses at most
   the units in flight, which the next run (``lgforms batch resume JOB``) renders again — to the
   same bytes (with ``reproducible``) since a unit is a pure function of its records.
3. **finish**: number parts and mailpieces across units in unit order, write ``part-NNNN.pdf``,
   ``manifest.json``, ``errors.jsonl`` and ``summary.json``, and check the invariant: every record
   of the input is rendered or rejected, exactly once.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import LgformsError
from . import mail
from .progress import Progress
from .source import BatchInvalid, RecordRef, detect_format, read_ranges, scan
from .store import BatchStore

WORK_DIR = ".lgforms-batch"
DEFAULT_SPLIT_PAGES = 1000
MAX_UNIT_RECORDS = 5000  # resume granularity and worker memory


class BatchInconsistent(LgformsError):
    code = "BATCH_INCONSISTENT"


@dataclass
class BatchOptions:
    form_id: str
    input: str
    out_dir: str
    tenant: Any = None  # TenantProfile, a profile YAML path, or None (demo municipality)
    tenant_code: str | None = None  # owner of the job in a shared store (the service)
    sort: str = "input"  # input | postcode | barcode
    split_pages: int | None = None
    split_mb: float | None = None
    delivery: str | None = None
    imposition: str = "panels"
    printer_profile: str | None = None
    marks: bool = False
    bleed: float | None = None
    reproducible: bool = False
    unit_records: int | None = None  # records per unit (default: about one part)

    def check(self) -> None:
        if self.sort not in mail.SORTS:
            raise BatchInvalid(f"--sort must be one of {', '.join(mail.SORTS)}, not {self.sort!r}", path="sort")
        if self.split_pages is not None and self.split_pages < 1:
            raise BatchInvalid("--split-pages must be at least 1", path="split_pages")
        if self.split_mb is not None and self.split_mb <= 0:
            raise BatchInvalid("--split-mb must be positive", path="split_mb")
        if self.imposition not in ("panels", "sheets", "press"):
            raise BatchInvalid(f"imposition must be panels, sheets or press, not {self.imposition!r}",
                               path="imposition")


def _profile(form, opts: dict):
    """The printer profile object the job uses (marks and bleed applied), or None."""
    from ..postal.delivery import plan_for, resolve_profile
    from ..postal.profiles import with_marks

    prof = opts.get("printer_profile")
    if opts.get("marks") or opts.get("bleed") is not None:
        _, p = resolve_profile(form, opts.get("delivery"), prof)
        return with_marks(p, marks=bool(opts.get("marks")), bleed=opts.get("bleed"))
    if prof is None and opts.get("delivery") is None and plan_for(form) is None:
        return None
    return prof


def job_spec(job: dict, tenant: Any = None) -> dict:
    """What a worker needs to render this job's units (picklable; no payloads)."""
    from ..render import _tenant
    from ..spec.catalog import default_catalog

    o = job["options"]
    form = default_catalog().get(job["form_id"]).for_delivery(o.get("delivery"))
    t = _tenant(tenant if tenant is not None else o.get("tenant"))
    split_bytes = int(o["split_mb"] * 1024 * 1024) if o.get("split_mb") else None
    return {"form_id": job["form_id"], "tenant": t, "tenant_key": t.key, "delivery": o.get("delivery"),
            "profile": _profile(form, o), "imposition": o.get("imposition") or "panels",
            "split_pages": o.get("split_pages"), "split_bytes": split_bytes,
            "reproducible": bool(o.get("reproducible"))}


# -- 1. plan ---------------------------------------------------------------------------------------

def create_job(store: BatchStore, opts: BatchOptions, job_id: str | None = None, *,
               check: Callable[[Any], None] | None = None) -> dict:
    """Register and plan a job (the input is read once; payloads are not stored). ``check``
    (optional) is run on every payload while planning; what it raises rejects that record (the
    service's customization guard)."""
    from ..spec.catalog import default_catalog

    opts.check()
    # FORM_NOT_FOUND before anything is written; the layout of the delivery (a variant's panels)
    form = default_catalog().get(opts.form_id).for_delivery(opts.delivery)
    src = Path(opts.input)
    if not src.is_file():
        raise BatchInvalid(f"cannot read the input {src.name}: no such file", path="input")
    out = Path(opts.out_dir)
    if out.exists() and any(p.name != WORK_DIR for p in out.iterdir()):
        raise BatchInvalid(f"the output directory {out} is not empty (a batch writes its parts, manifest and "
                           f"reports into a directory of its own)", path="out_dir")
    (out / WORK_DIR).mkdir(parents=True, exist_ok=True)
    if opts.split_pages is None and opts.split_mb is None:
        opts.split_pages = DEFAULT_SPLIT_PAGES
    job_id = job_id or uuid.uuid4().hex[:12]
    options = asdict(opts)
    options["tenant"] = opts.tenant if isinstance(opts.tenant, (str, type(None))) else None
    options["input"] = str(src.resolve())
    options["format"] = detect_format(src)
    store.create_job(job_id, tenant=opts.tenant_code, form_id=form.id, options=options,
                     input_path=options["input"], out_dir=str(out.resolve()))
    (out / WORK_DIR / "job.json").write_text(json.dumps({"id": job_id, "store": store.url}), encoding="utf-8")
    job = store.job(job_id)
    _plan(store, job, form, opts.tenant, check)
    return store.job(job_id)


def _plan(store: BatchStore, job: dict, form, tenant: Any, check: Callable[[Any], None] | None = None) -> None:
    o = job["options"]
    fields = mail.address_fields(form.schema)
    seen: dict[str, int] = {}
    rows: list[list] = []
    keyed: list[tuple[str, int]] = []
    try:
        for ref in scan(Path(job["input_path"]), o["format"]):
            err = ref.error
            if err is None and check is not None:
                try:
                    check(ref.payload)
                except LgformsError as e:
                    err = {"code": e.code, "path": e.path, "message": e.message}
            if err is None and ref.record_id in seen:
                err = {"code": "RECORD_DUPLICATE", "path": "$._id",
                       "message": f"record id {ref.record_id!r} is already used on line {seen[ref.record_id]}"}
            if err is None:
                seen[ref.record_id] = ref.line
                keyed.append((mail.sort_key(o["sort"], fields, ref.payload), ref.seq))
            rows.append([ref.seq, ref.line, ref.offset, ref.length, ref.record_id, None, None,
                         json.dumps(err, ensure_ascii=False) if err else None])
    except BatchInvalid as e:
        store.set_state(job["id"], "failed", f"{e.code}: {e.message}")
        raise
    keyed.sort()
    per_unit = o.get("unit_records") or _records_per_unit(store, job, form, tenant, rows, keyed)
    for pos, (_, seq) in enumerate(keyed):
        rows[seq][5] = pos
        rows[seq][6] = pos // per_unit
    units = (len(keyed) + per_unit - 1) // per_unit
    store.save_plan(job["id"], [tuple(r) for r in rows], units)


def _records_per_unit(store, job, form, tenant, rows, keyed) -> int:
    """About one part per unit: the part's page (or size) limit over the most pages (or bytes) a
    record took among the first records (laid out and written here, once)."""
    from .work import _context, render_unit

    o = job["options"]
    probe = [rows[seq] for _, seq in keyed[:20]]
    if not probe:
        return 1
    spec = job_spec(job, tenant)
    spec = dict(spec, split_pages=None, split_bytes=None)
    raws = read_ranges(Path(job["input_path"]), [(r[2], r[3]) for r in probe])
    res = render_unit(spec, -1, [(r[0], r[1], 0, r[4], raw) for r, raw in zip(probe, raws)])
    recs = res["records"]
    if not recs:
        return 50
    ctx = _context(spec)
    press = ctx.plan is not None and not ctx.plan.is_window and ctx.imposition == "press"
    if press:  # a press part holds (pages / 2) sheets × cells mailpieces
        cells = ctx.plan.press_imposer().cells
        per_piece_pages = 2 / cells
        pages = max(len(r["mailpieces"]) for r in recs) * per_piece_pages
    else:
        pages = max(r["pages"] for r in recs)
    n = MAX_UNIT_RECORDS
    if o.get("split_pages"):
        n = min(n, max(1, int(o["split_pages"] // pages)))
    if o.get("split_mb"):
        per_record = res["parts"][0]["bytes"] / len(recs)
        n = min(n, max(1, int(o["split_mb"] * 1024 * 1024 * 0.9 // per_record)))
    return n


# -- 2. run ----------------------------------------------------------------------------------------

def _tasks(store: BatchStore, job: dict, units: list[int]) -> Iterator[tuple[int, list]]:
    path = Path(job["input_path"])
    for u in units:
        refs = store.unit_records(job["id"], u)
        raws = read_ranges(path, [(r[2], r[3]) for r in refs])
        yield u, [(r[0], r[1], r[5], r[4], raw) for r, raw in zip(refs, raws)]


def _work_dir(job: dict) -> Path:
    return Path(job["out_dir"]) / WORK_DIR / "units"


def run_job(store: BatchStore, job: dict, executor, *, tenant: Any = None, progress: bool = True,
            progress_stream=None) -> dict:
    """Run the job's remaining units, then finish it; returns the summary. Also resumes a job."""
    job_id = job["id"]
    if job["state"] == "done":
        return json.loads((Path(job["out_dir"]) / "summary.json").read_text(encoding="utf-8"))
    if job["state"] == "new":  # killed while planning: plan again (nothing else was written)
        from ..spec.catalog import default_catalog

        _plan(store, job, default_catalog().get(job["form_id"]).for_delivery(job["options"].get("delivery")), tenant)
        job = store.job(job_id)
    spec = job_spec(job, tenant)
    work = _work_dir(job)
    work.mkdir(parents=True, exist_ok=True)
    store.set_state(job_id, "running")
    t0 = time.perf_counter()
    pending = store.pending_units(job_id)
    prog = Progress(job_id, job["records_total"], stream=progress_stream, enabled=progress)
    p = store.progress(job_id)
    done = p["rendered"] + p["rejected"]
    rejected, pages = p["rejected"], p["pages"]
    prog.update(done, rejected, pages, force=True)
    rss: dict[int, int] = {}  # worker pid -> peak RSS (KiB) seen in this run
    cpu = 0.0  # CPU seconds the workers spent on units in this run
    try:
        results = executor.run(spec, _tasks(store, job, pending), lambda u: store.note_attempt(job_id, u)) \
            if pending else iter(())
        for res in results:
            parts = []
            for k, part in enumerate(res["parts"]):
                data = part.pop("data")
                tmp = work / f".u{res['unit']:06d}-{k}.tmp"
                tmp.write_bytes(data)
                os.replace(tmp, work / f"u{res['unit']:06d}-{k}.pdf")
                parts.append(part)
            res["parts"] = parts
            rss[res["pid"]] = max(rss.get(res["pid"], 0), res.get("max_rss_kb", 0))
            cpu += res.get("cpu_seconds", 0.0)
            store.complete_unit(job_id, res["unit"], res)
            done += len(res["records"]) + len(res["errors"])
            rejected += len(res["errors"])
            pages += sum(q["pages"] for q in parts)
            prog.update(done, rejected, pages)
    except BaseException as e:
        prog.close()
        if isinstance(e, LgformsError):
            store.set_state(job_id, "failed", f"{e.code}: {e.message}")
        raise
    prog.update(done, rejected, pages, force=True)
    prog.close()
    summary = finish_job(store, store.job(job_id), executor_name=executor.name,
                         workers=getattr(executor, "workers", 0), seconds=time.perf_counter() - t0,
                         peak_rss_mb={str(k): round(v / 1024, 1) for k, v in sorted(rss.items())}, cpu_seconds=cpu)
    return summary


# -- 3. finish -------------------------------------------------------------------------------------

def finish_job(store: BatchStore, job: dict, *, executor_name: str = "", workers: int = 0,
               seconds: float = 0.0, peak_rss_mb: dict | None = None, cpu_seconds: float = 0.0) -> dict:
    job_id = job["id"]
    out = Path(job["out_dir"])
    work = _work_dir(job)
    results = store.unit_results(job_id)
    missing = [u for u, r in results if r is None]
    if missing:
        raise BatchInconsistent(f"units {missing[:10]} have no outcome; resume the batch")
    store.set_state(job_id, "finishing")
    parts_out: list[dict] = []
    records_out: list[dict] = []
    errors: list[dict] = []
    piece_base = 0
    splits = 0
    for u, res in results:
        base = len(parts_out)
        for k, part in enumerate(res["parts"]):
            name = f"part-{base + k + 1:04d}.pdf"
            src = work / f"u{u:06d}-{k}.pdf"
            dst = out / name
            if src.exists():
                tmp = out / f".{name}.tmp"
                if tmp.exists():
                    tmp.unlink()
                os.link(src, tmp)
                os.replace(tmp, dst)
            elif not dst.exists():
                raise BatchInconsistent(f"the file of unit {u} part {k} is gone; resume cannot rebuild it "
                                        f"without rendering the unit again")
            parts_out.append({"file": name, "pages": part["pages"], "records": part["records"],
                              "mailpieces": part["mailpieces"], "bytes": part["bytes"], "sha256": part["sha256"]})
        for r in res["records"]:
            rec = {"id": r["id"], "line": r["line"], "part": base + r["part"] + 1, "first_page": r["first_page"],
                   "pages": r["pages"], "mailpieces": [piece_base + m + 1 for m in r["mailpieces"]]}
            for k in ("split", "press", "warnings"):
                if k in r:
                    rec[k] = r[k]
            splits += 1 if "split" in r else 0
            records_out.append((r["pos"], r["seq"], rec))
        piece_base += sum(p["mailpieces"] for p in res["parts"])
        errors += [dict(e) for e in res["errors"]]
    for seq, line, rid, err in store.planning_errors(job_id):
        errors.append({"seq": seq, "line": line, "id": rid, **err})
    records_out.sort(key=lambda x: x[0])

    # the invariant: every input record rendered or rejected, exactly once
    total = job["records_total"]
    seqs = [s for _, s, _ in records_out] + [e["seq"] for e in errors]
    ids = [r["id"] for _, _, r in records_out]
    if len(seqs) != total or len(set(seqs)) != total or set(seqs) != set(range(total)):
        raise BatchInconsistent(f"records in {total} != rendered {len(records_out)} + rejected {len(errors)} "
                                f"(or a record counted twice)")
    if len(set(ids)) != len(ids):
        raise BatchInconsistent("a record id was rendered twice")

    o = job["options"]
    manifest = {"form_id": job["form_id"], "sort": o["sort"], "delivery": o.get("delivery"),
                "imposition": o.get("imposition"), "printer_profile": _profile_name(o),
                "parts": parts_out, "records": [r for _, _, r in records_out]}
    errors.sort(key=lambda e: e["seq"])
    _write_json(out / "manifest.json", manifest)
    tmp = out / ".errors.jsonl.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for e in errors:
            f.write(json.dumps({"line": e["line"], "id": e["id"], "code": e["code"], "path": e.get("path"),
                                "message": e["message"]}, ensure_ascii=False) + "\n")
    os.replace(tmp, out / "errors.jsonl")
    pages = sum(p["pages"] for p in parts_out)
    summary = {
        "job": job_id, "form_id": job["form_id"], "input": Path(job["input_path"]).name,
        "records_in": total, "rendered": len(records_out), "rejected": len(errors),
        "invariant": "records_in == rendered + rejected, every record once: ok",
        "pages": pages, "parts": len(parts_out), "mailpieces": piece_base, "households_split": splits,
        "rejected_by_code": _count(e["code"] for e in errors),
        "executor": executor_name, "workers": workers,
        "seconds_last_run": round(seconds, 3), "pages_per_second_last_run": round(pages / seconds, 1) if seconds else None,
        "reproducible": bool(o.get("reproducible")),
        "worker_peak_rss_mb_last_run": peak_rss_mb or {},
        "worker_cpu_seconds_last_run": round(cpu_seconds, 3),
    }
    _write_json(out / "summary.json", summary)
    store.set_state(job_id, "done")
    shutil.rmtree(work, ignore_errors=True)
    return summary


def _profile_name(o: dict) -> str | None:
    p = o.get("printer_profile")
    return Path(p).name if p else None


def _count(codes) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in codes:
        out[c] = out.get(c, 0) + 1
    return dict(sorted(out.items()))


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def render_batch(form_id: str, input: str | Path, out_dir: str | Path, *, workers: int = 2,
                 executor: str = "local", cluster: str | None = None, store: str | Path | None = None,
                 progress: bool = False, **options: Any) -> dict:
    """Library entry point of ``lgforms batch``: plan, run and finish a batch; returns the summary.
    ``options`` are ``BatchOptions`` fields (sort, split_pages, split_mb, delivery, imposition,
    printer_profile, marks, bleed, reproducible, tenant)."""
    from .executors import DaskExecutor, LocalExecutor
    from .store import open_store

    st = open_store(store or os.environ.get("LGFORMS_BATCH_DB", "lgforms-data/batches.db"))
    try:
        job = create_job(st, BatchOptions(form_id, str(input), str(out_dir), **options))
        ex = DaskExecutor(cluster, workers) if executor == "dask" or cluster else LocalExecutor(workers)
        return run_job(st, job, ex, tenant=options.get("tenant"), progress=progress)
    finally:
        st.close()


def find_job(ref: str) -> tuple[str, str | None]:
    """(job id, store url) from a job id, or from a batch's output directory (its job.json)."""
    p = Path(ref) / WORK_DIR / "job.json"
    if p.is_file():
        d = json.loads(p.read_text(encoding="utf-8"))
        return d["id"], d.get("store")
    return ref, None


__all__ = ["BatchOptions", "RecordRef", "create_job", "run_job", "finish_job", "job_spec", "find_job",
           "render_batch"]
