"""``lgforms`` command line: list forms, print samples, validate and render payloads.

Every error -- of the library, of the arguments, of files that cannot be read or written --
prints its stable code and a message (and the JSON path where there is one) on stderr and exits
with status 2. There is no traceback; ``LGFORMS_DEBUG=1`` shows one for an unexpected error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .errors import ArgumentInvalid, LgformsError, PayloadInvalid

EXIT_ERROR = 2


def _read_payload(path: str, encoding: str = "utf-8") -> Any:
    from .bind.payload import parse_payload

    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        raise PayloadInvalid(f"cannot read payload file {path}: {e.strerror}", path="$") from None
    return parse_payload(data, encoding=encoding)


def _output(path: str) -> Path | None:
    """The output file (checked before any work is done), or None for stdout (``-o -``)."""
    if path == "-":
        return None
    out = Path(path)
    if out.is_dir():
        raise ArgumentInvalid(f"-o {path}: is a directory; name the file to write (e.g. {out / 'out.pdf'})",
                              detail={"argument": "-o"})
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise ArgumentInvalid(f"-o {path}: {parent} is a file, not a folder", detail={"argument": "-o"})
    return out


def _write_output(out: Path | None, data: bytes) -> str:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "stdout"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as e:
        raise ArgumentInvalid(f"-o {out}: cannot write: {e.strerror}", detail={"argument": "-o"}) from None
    return str(out)


def _print_error(e: LgformsError) -> None:
    print(f"error {e.code}", file=sys.stderr)
    if e.form_id:
        print(f"  form:    {e.form_id}", file=sys.stderr)
    if e.path:
        print(f"  path:    {e.path}", file=sys.stderr)
    print(f"  message: {e.message}", file=sys.stderr)
    if e.code == "FORM_SPEC_INVALID" and e.detail.get("errors"):
        for p in e.detail["errors"]:
            loc = f"{p.get('file')}:{p.get('line')}" if p.get("line") else (p.get("file") or "")
            print(f"  {loc}: {p.get('where')}: {p.get('message')}", file=sys.stderr)
        return
    for extra in (e.detail.get("errors") or e.detail.get("all") or [])[1:10]:
        print(f"  also:    {extra.get('path')}: {extra.get('message') or extra.get('codepoints')}", file=sys.stderr)


def cmd_forms(args: argparse.Namespace) -> int:
    from .spec.catalog import default_catalog

    forms = default_catalog().list(area=args.area)
    if args.area and not forms:
        areas = sorted({f.get("area") or "" for f in default_catalog().list()})
        raise ArgumentInvalid(f"--area {args.area}: no form of that 業務 (業務: {', '.join(areas)})",
                              detail={"argument": "--area", "areas": areas})
    if args.json:
        print(json.dumps(forms, ensure_ascii=False, indent=2))
        return 0
    for f in forms:
        mark = f"BROKEN ({len(f['errors']) or 1} error(s): lgforms check {f['id']})" if f.get("broken") else ""
        print(f"{f['id']:<36} {f['area'] or '':<10} {f['title'] or ''} {mark}".rstrip())
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """Write the browsable HTML catalog of the forms."""
    from .docsite import build_site

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise ArgumentInvalid(f"-o {args.output}: is a file; name a directory", detail={"argument": "-o"})
    r = build_site(out)
    print(f"wrote {out}/index.html: {r['forms']} forms in {r['areas']} 業務, {r['pages']} page images"
          + (f"; broken: {', '.join(r['broken'])}" if r["broken"] else ""), file=sys.stderr)
    return 2 if r["broken"] else 0


def cmd_check(args: argparse.Namespace) -> int:
    """Load forms and report every error (file, line) and warning (overlapping boxes)."""
    from .spec.catalog import default_catalog

    cat = default_catalog()
    ids = args.form_ids or cat.ids()
    bad = 0
    for fid in ids:
        try:
            form = cat.get(fid)
        except LgformsError as e:
            bad += 1
            _print_error(e)
            continue
        warnings = form.warnings + [w for v in form.variants.values() for w in v.warnings]
        for w in warnings:
            loc = f"{w['file']}:{w['line']}: " if w.get("line") else ""
            print(f"warning {fid}: {loc}{w['where']}: {w['message']}")
        print(f"OK: {fid} ({', '.join(form.deliveries)}; {len(warnings)} warning(s))")
    return 2 if bad else 0


def cmd_sample(args: argparse.Namespace) -> int:
    from .spec.catalog import default_catalog

    form = default_catalog().get(args.form_id)
    if args.list:
        print("\n".join(form.samples))
        return 0
    if args.name is not None and args.name not in form.samples:
        raise ArgumentInvalid(f"--name {args.name}: {form.id} has no such sample (samples: "
                              f"{', '.join(form.samples) or 'none'})", form_id=form.id,
                              detail={"argument": "--name", "samples": list(form.samples)})
    print(json.dumps(form.sample(args.name), ensure_ascii=False, indent=2))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .render import layout

    doc = layout(args.form_id, _read_payload(args.payload, args.encoding), tenant=args.tenant)
    from .postal.delivery import plan_for
    from .spec.catalog import default_catalog

    plan = plan_for(default_catalog().get(args.form_id))  # mail: Japan Post's rules too
    if plan is not None:
        plan.check_pages(doc.pages)
    print(f"OK: {args.form_id}, {len(doc.pages)} page(s)")
    for w in doc.warnings:
        print(f"warning {w['code']} at {w['path']}: {w['codepoints']} drawn as {w['drawn_as']}", file=sys.stderr)
    return 0


def _check_render_args(args: argparse.Namespace) -> None:
    """Options that do nothing in their combination are errors, not silently ignored."""
    from .render import check_dpi

    if args.png:
        check_dpi(100 if args.dpi is None else args.dpi)
        if args.page < 1:
            raise ArgumentInvalid(f"--page {args.page}: pages count from 1", detail={"argument": "--page"})
    else:
        for opt, given in (("--dpi", args.dpi is not None), ("--page", args.page != 1)):
            if given:
                raise ArgumentInvalid(f"{opt} applies to a PNG preview: add --png", detail={"argument": opt})
    asked = [o for o, on in (("--marks", args.marks), ("--bleed", args.bleed is not None)) if on]
    if asked and args.imposition != "sheets":
        raise ArgumentInvalid(f"{' and '.join(asked)} appl{'y' if len(asked) > 1 else 'ies'} to imposed print "
                              "sheets: add --imposition sheets "
                              "(panels, the default, are one page per logical panel, without marks)",
                              detail={"argument": asked[0]})
    if args.imposition == "sheets" or args.delivery or args.printer_profile:
        from .postal.delivery import POSTAL_KINDS, resolve_profile
        from .postal.profiles import PrinterProfile
        from .spec.catalog import default_catalog

        form = default_catalog().get(args.form_id)
        if not args.delivery and not args.printer_profile and form.delivery not in POSTAL_KINDS:
            # what plan_for reads as "not postal": every option above would do nothing
            opts = [o for o, on in (("--imposition sheets", args.imposition == "sheets"), *((o, True) for o in asked))
                    if on]
            raise ArgumentInvalid(f"{form.id} renders as plain pages (its delivery is {form.delivery!r}, no "
                                  f"postal kind): {', '.join(opts)} appl{'y' if len(opts) > 1 else 'ies'} to "
                                  f"mailpieces only; give --delivery ({', '.join(sorted(POSTAL_KINDS))}) to render "
                                  "it as one", form_id=form.id, detail={"argument": opts[0]})
        if args.bleed is not None:
            _, prof = resolve_profile(form, args.delivery, args.printer_profile)
            if not isinstance(prof, PrinterProfile):
                raise ArgumentInvalid(f"--bleed: printer profile {prof.id} ({prof.delivery}) prints inserts "
                                      "without bleed; only its fold marks (--marks) can be added",
                                      form_id=form.id, detail={"argument": "--bleed"})


def cmd_render(args: argparse.Namespace) -> int:
    from .render import render_result

    _check_render_args(args)
    out = _output(args.output)
    profile = args.printer_profile
    if args.marks or args.bleed is not None:  # the printer profile with marks / bleed switched on
        from .postal.delivery import resolve_profile
        from .postal.profiles import with_marks
        from .spec.catalog import default_catalog

        _, prof = resolve_profile(default_catalog().get(args.form_id), args.delivery, profile)
        profile = with_marks(prof, marks=args.marks, bleed=args.bleed)
    res = render_result(args.form_id, _read_payload(args.payload, args.encoding), tenant=args.tenant,
                        format="png" if args.png else "pdf", page=args.page,
                        dpi=100 if args.dpi is None else args.dpi,
                        delivery=args.delivery, imposition=args.imposition, printer_profile=profile)
    where = _write_output(out, res.data)
    what = f"page {args.page} as PNG" if args.png else f"{res.pages} page(s)"
    # with -o - stdout carries the document: the report goes to stderr
    print(f"wrote {where} ({what}, {len(res.data):,} bytes)", file=sys.stderr if out is None else sys.stdout)
    for w in res.warnings:
        print(f"warning {w['code']} at {w['path']}: {w['codepoints']} drawn as {w['drawn_as']}", file=sys.stderr)
    return 0


def _inspected(args: argparse.Namespace, dpi: int):
    """Render one payload traced (the designer's recorder): (PNG of --page, Inspection, pages)."""
    from .designer.workspace import page_png, render_inspected
    from .render import check_dpi, layout
    from .spec.catalog import default_catalog

    check_dpi(dpi)
    if args.page < 1:
        raise ArgumentInvalid(f"--page {args.page}: pages count from 1", detail={"argument": "--page"})
    form = default_catalog().get(args.form_id)
    payload = _read_payload(args.payload, args.encoding)
    pdf, n, ins, err, _ = render_inspected(form, lambda: layout(form, payload, tenant=args.tenant))
    if err is not None:
        raise err
    if args.page > n:
        raise ArgumentInvalid(f"--page {args.page}: the document has {n} page(s)", detail={"argument": "--page"})
    return page_png(pdf, args.page, dpi) if dpi <= 200 else _png_at(pdf, args.page, dpi), ins, n


def _png_at(pdf: bytes, page: int, dpi: int) -> bytes:
    from .render import pdf_page_png

    return pdf_page_png(pdf, page, dpi=dpi)


def cmd_preview(args: argparse.Namespace) -> int:
    """One page as PNG with the designer's overlays: boxes and ids, static/variable, blocks,
    flows, warnings (--boxes); mm grid and rulers (--grid)."""
    from .designer.overlay import draw_overlays

    out = _output(args.output)
    dpi = 100 if args.dpi is None else args.dpi
    png, ins, n = _inspected(args, dpi)
    page = ins.pages[args.page - 1]
    if args.boxes or args.grid:
        png = draw_overlays(png, page, dpi, boxes=args.boxes, grid=args.grid, warnings=ins.warnings)
    where = _write_output(out, png)
    report = sys.stderr if out is None else sys.stdout
    print(f"wrote {where} (page {args.page} of {n}, {len(page['boxes'])} boxes, "
          f"{sum(1 for w in ins.warnings if w['page'] == args.page)} warning(s) on this page)", file=report)
    for w in ins.warnings:
        src = w.get("source") or {}
        print(f"warning {w['kind']} page {w['page']} {w['label']}"
              f"{' at ' + w['path'] if w.get('path') else ''} ({src.get('file')}:{src.get('line')}): {w['message']}",
              file=sys.stderr)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare a rendering with a reference page (official sample as PDF or PNG): a score and a
    diff image (red: only in the rendering, blue: only in the reference)."""
    from PIL import Image
    import io

    from .designer.diff import diff_images, reference_page

    out = _output(args.output) if args.output else None
    dpi = 100 if args.dpi is None else args.dpi
    try:
        ref_data = Path(args.against).read_bytes()
    except OSError as e:
        raise ArgumentInvalid(f"--against {args.against}: cannot read: {e.strerror}",
                              detail={"argument": "--against"}) from None
    png, _, _ = _inspected(args, dpi)
    ref = reference_page(ref_data, args.against, args.ref_page or args.page, dpi)
    res = diff_images(Image.open(io.BytesIO(png)), ref, tolerance=args.tolerance)
    if out is not None:
        _write_output(out, res.image)
    print(res.summary() + (f"; diff image {out}" if out is not None else ""))
    if args.fail_over is not None and res.score > args.fail_over:
        print(f"the score {res.score:.4f} is over --fail-over {args.fail_over}", file=sys.stderr)
        return 1
    return 0


def cmd_designer(args: argparse.Namespace) -> int:
    """The local designer: one user on this machine, forms of --forms-dir, saves form.yaml."""
    import uvicorn

    from lgforms_api.designer import local_app

    from .resources import forms_dir

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise ArgumentInvalid(f"--host {args.host}: the local designer writes form files and listens on this "
                              "machine only (127.0.0.1, localhost, ::1); share forms through the service",
                              detail={"argument": "--host"})
    root = Path(args.forms_dir) if args.forms_dir else forms_dir()
    if not root.is_dir():
        raise ArgumentInvalid(f"--forms-dir {root}: not a folder", detail={"argument": "--forms-dir"})
    app, token = local_app(root, tenant=args.tenant)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"lgforms designer: forms in {root}\nopen http://{host}:{args.port}/designer?token={token}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _moji_failed(rows: list[dict], what: str) -> int:
    """The summary error of ``moji check`` / ``moji show`` (the rows say which and why)."""
    bad = [r for r in rows if not r["ok"]]
    if not bad:
        return 0
    first = bad[0]
    _print_error(LgformsError(f"{len(bad)} of {len(rows)} {what} cannot be printed; first at position "
                              f"{first['position']} ({first['codepoints']}): {first['reason']}", code=first["code"]))
    return EXIT_ERROR


def cmd_moji_check(args: argparse.Namespace) -> int:
    from .moji.mj import check_text
    from .render import _tenant, stacks_for

    if not args.text:
        raise ArgumentInvalid("no text given to check", detail={"argument": "text"})
    t = _tenant(args.tenant)
    rows = check_text(args.text, stack=stacks_for(t)["mincho"], allow_ivs_fallback=t.allow_ivs_fallback)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            src = f" ({r['source']})" if r.get("source") else ""
            head = f"{r['position']:>3}  {r['text']}{src}  {r['codepoints']:<16} {r['mj'] or '-':<9}"
            if r["ok"]:
                fb = "  (fallback to the base glyph)" if r["fallback"] else ""
                print(f"{head} {r['font']} gid {r['gid']} {r['glyph']}{fb}")
            else:
                sug = ", ".join(f"{x['mj']} {x['codepoints']}" for x in r["suggestions"][:4])
                print(f"{head} {r['code']}: {r['reason']}" + (f" — candidates: {sug}" if sug else ""))
    return _moji_failed(rows, "characters")


def cmd_moji_show(args: argparse.Namespace) -> int:
    from .moji.mj import check_text, mj_map, parse_char_spec

    text = parse_char_spec(args.spec)
    m = mj_map()
    rows = check_text(text, mj_tokens=False)  # the spec is already resolved
    for r in rows:
        print(f"text:        {r['text']}")
        print(f"code points: {r['codepoints']}")
        print(f"MJ:          {r['mj'] or '-'}")
        if r["ok"]:
            print(f"drawn by:    {r['font']} glyph {r['glyph']} (gid {r['gid']})")
        else:
            print(f"cannot draw: {r['code']}: {r['reason']}")
        variants = [x for x in m.suggest(r["text"][0]) if x["text"] != r["text"]]
        if variants:
            print("variants:    " + ", ".join(f"{x['codepoints']} {x['mj']}" for x in variants))
        if r["mj"]:
            e = m.lookup(r["mj"])
            print("reached by:  " + ", ".join(
                f"{'+'.join(c.split())}" for c in (" ".join(f"U+{ord(ch):04X}" for ch in s) for s in e.sequences)))
    return _moji_failed(rows, "characters")


def _db_path(args: argparse.Namespace) -> str:
    db = args.db or os.environ.get("LGFORMS_DB", "lgforms-data/lgforms.db")
    if db.startswith(("postgresql://", "postgres://")):
        return db
    if Path(db).is_dir():
        raise ArgumentInvalid(f"--db {db}: is a directory; name the SQLite file (e.g. {Path(db) / 'lgforms.db'})",
                              detail={"argument": "--db"})
    return db


def _batch_store(args: argparse.Namespace, url: str | None = None):
    import os

    from .batch.store import open_store

    return open_store(url or args.store or os.environ.get("LGFORMS_BATCH_DB", "lgforms-data/batches.db"))


def _executor(args: argparse.Namespace, default_workers: int):
    from .batch.executors import DaskExecutor, LocalExecutor

    workers = args.workers if args.workers is not None else default_workers
    if args.executor == "dask" or args.cluster:
        return DaskExecutor(args.cluster, workers)
    return LocalExecutor(workers)


def cmd_batch(args: argparse.Namespace) -> int:
    import os

    from .batch.runner import BatchOptions, create_job, find_job, run_job
    from .batch.source import BatchInvalid

    if args.form_id == "resume":  # lgforms batch resume JOB (a job id or the batch's output directory)
        job_id, url = find_job(args.input)
        store = _batch_store(args, None if args.store else url)
        job = store.job(job_id)
        print(f"batch {job_id}: resuming ({job['state']}), {len(store.pending_units(job_id))} of "
              f"{job['units_total']} units to render", file=sys.stderr)
    else:
        if not args.output:
            raise BatchInvalid("-o/--output OUTDIR is required", path="output")
        if args.split_pages is not None and args.split_mb is not None:
            raise BatchInvalid("give --split-pages or --split-mb, not both", path="split")
        store = _batch_store(args)
        opts = BatchOptions(args.form_id, args.input, args.output, tenant=args.tenant, sort=args.sort,
                            split_pages=args.split_pages, split_mb=args.split_mb, delivery=args.delivery,
                            imposition=args.imposition, printer_profile=args.printer_profile, marks=args.marks,
                            bleed=args.bleed, reproducible=args.reproducible, unit_records=args.unit_records)
        job = create_job(store, opts)
        print(f"batch {job['id']}: {job['records_total']:,} records in {job['units_total']} units -> {args.output} "
              f"(resume after a crash: lgforms batch resume {job['id']})", file=sys.stderr)
    try:
        summary = run_job(store, job, _executor(args, min(2, os.cpu_count() or 1)), progress=not args.quiet)
    except KeyboardInterrupt:
        print(f"interrupted: lgforms batch resume {job['id']} continues where it stopped", file=sys.stderr)
        return 130
    print(f"done: {summary['rendered']:,} rendered, {summary['rejected']:,} rejected (errors.jsonl), "
          f"{summary['pages']:,} pages in {summary['parts']} part(s), {summary['mailpieces']:,} mailpieces; "
          f"records in = rendered + rejected: ok")
    return 0


def _store(args: argparse.Namespace):
    import sqlite3

    from .tenants.store import TenantStore

    db = _db_path(args)
    try:
        return TenantStore(db)
    except (OSError, sqlite3.Error) as e:
        raise ArgumentInvalid(f"--db {db}: cannot open the tenant store: {getattr(e, 'strerror', None) or e}",
                              detail={"argument": "--db"}) from None


def cmd_serve(args: argparse.Namespace) -> int:
    _db_path(args)  # a directory named by --db or $LGFORMS_DB: say so before any worker starts
    if args.db:
        os.environ["LGFORMS_DB"] = args.db  # workers are new processes: they read the environment
    from lgforms_api.server import run

    run(args.host, args.port, args.workers)
    return 0


def cmd_tenant_add(args: argparse.Namespace) -> int:
    from .tenants.profile import load_profile, make_profile

    if args.profile:
        profile = load_profile(args.profile)
    else:
        profile = make_profile({"code": args.code, "name": args.name, "mayor_title": args.mayor_title,
                                "mayor_name": args.mayor_name})
    p = _store(args).put_tenant(profile)
    print(f"tenant {p.code} {p.name} saved" + (" (with seal)" if p.seal else ""))
    return 0


def cmd_tenant_show(args: argparse.Namespace) -> int:
    st = _store(args)
    p = st.tenant(args.code)
    d = p.model_dump(mode="json", exclude={"seal", "fonts"})
    d["seal"] = {"size_mm": list(p.seal.size_mm), "bytes": len(p.seal.png)} if p.seal else None
    d["keys"] = st.keys(args.code)
    print(json.dumps(d, ensure_ascii=False, indent=2))
    return 0


def cmd_tenant_set_seal(args: argparse.Namespace) -> int:
    try:
        png = Path(args.png).read_bytes()
    except OSError as e:
        raise ArgumentInvalid(f"cannot read the seal image {args.png}: {e.strerror}",
                              detail={"argument": "png"}) from None
    p = _store(args).set_seal(args.code, png, (args.size_mm, args.size_mm))
    print(f"seal of {p.code} set ({args.size_mm} mm)")
    return 0


def cmd_tenant_add_key(args: argparse.Namespace) -> int:
    key_id, key = _store(args).add_key(args.code, args.label)
    print(key)
    print(f"(key id {key_id}; store this key now: only its hash is kept)", file=sys.stderr)
    return 0


def cmd_tenant_keys(args: argparse.Namespace) -> int:
    st = _store(args)
    st.tenant(args.code)
    keys = st.keys(args.code)
    if args.json:
        print(json.dumps(keys, ensure_ascii=False, indent=2))
        return 0
    for k in keys:
        until = f" until {k['expires_at']}" if k["expires_at"] and k["status"] == "active" else ""
        print(f"{k['key_id']}  {k['status']:<8}{until}  created {k['created_at']}  {k['label'] or ''}".rstrip())
    return 0


def cmd_tenant_revoke_key(args: argparse.Namespace) -> int:
    k = _store(args).revoke_key(args.code, args.key_id)
    print(f"key {k['key_id']} of {args.code} revoked at {k['revoked_at']}")
    return 0


def cmd_tenant_rotate_key(args: argparse.Namespace) -> int:
    r = _store(args).rotate_key(args.code, args.key_id, args.grace_seconds)
    print(r["key"])
    print(f"(key id {r['key_id']} replaces {r['replaces']}, which stops working at {r['old_key_ends_at']}; "
          f"store this key now: only its hash is kept)", file=sys.stderr)
    return 0


def cmd_tenant_void(args: argparse.Namespace) -> int:
    e = _store(args).void_issue(args.code, args.issue_id, args.reason)
    print(f"{e.issue_no} ({e.public_id}) void: {e.void_reason}")
    return 0


def cmd_tenant_reconcile(args: argparse.Namespace) -> int:
    import datetime as dt

    from .tenants.store import JST

    today = dt.datetime.now(JST).date().isoformat()
    st = _store(args)
    st.tenant(args.code)
    r = st.reconciliation(args.code, args.date_from or today, args.date_to or args.date_from or today)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=2))
        return 0
    print(f"{'date':<10}  {'issued':>6}  {'delivered':>9}  {'void':>5}  {'open':>5}  numbers")
    for d in r["days"]:
        print(f"{d['date']:<10}  {d['issued']:>6}  {d['delivered']:>9}  {d['void']:>5}  {d['open']:>5}  "
              f"{d['first_seq']}–{d['last_seq']}")
    for e in r["open"]:
        doc = "document made, receipt not confirmed" if e["sha256"] else "no document"
        print(f"open: {e['issue_no']} {e['id']} {e['form_id']} {e['issued_at']} ({doc})")
    return 0


def cmd_tenant_group(args: argparse.Namespace) -> int:
    st = _store(args)
    for code in args.codes:  # every member exists before anything is written
        st.tenant(code)
    st.add_group(args.name, args.purpose)
    for code in args.codes:
        st.add_member(args.name, code)
    print(f"group {args.name} ({args.purpose}): {', '.join(args.codes)}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors reported like every other error: code, message, exit 2."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        _print_error(ArgumentInvalid(f"{self.prog}: {message}"))
        sys.exit(EXIT_ERROR)


def _ranged(lo: float, hi: float, kind=int):
    def parse(text: str):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {'whole ' if kind is int else ''}number") from None
        if not lo <= v <= hi:  # also refuses nan
            raise argparse.ArgumentTypeError(f"{text} is outside {lo:g}–{hi:g}")
        return v

    return parse


def build_parser() -> argparse.ArgumentParser:
    from .bind.payload import PAYLOAD_ENCODINGS, encoding_name
    from .render import DPI_MAX, DPI_MIN

    p = _Parser(prog="lgforms", description="Render Japanese local-government standard forms.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    encoding = dict(choices=sorted(PAYLOAD_ENCODINGS), default="utf-8", type=encoding_name,
                    help="of the payload file: utf-8 (default; a BOM is accepted) or cp932 (Shift_JIS as "
                         "Japanese core systems export it)")

    s = sub.add_parser("forms", help="list the forms")
    s.add_argument("--json", action="store_true")
    s.add_argument("--area", help="only the forms of one 業務 (e.g. 固定資産税)")
    s.set_defaults(func=cmd_forms)

    s = sub.add_parser("docs", help="write the browsable HTML catalog of the forms (pages, fields, samples)")
    s.add_argument("-o", "--output", required=True, help="directory to write (index.html and one page per form)")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("check", help="load forms and list every error (file, line) and overlapping boxes")
    s.add_argument("form_ids", nargs="*", help="form ids (default: all)")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("sample", help="print a sample payload of a form")
    s.add_argument("form_id")
    s.add_argument("--name", help="which sample (default: the first)")
    s.add_argument("--list", action="store_true", help="list the sample names")
    s.set_defaults(func=cmd_sample)

    s = sub.add_parser("validate", help="check a payload (schema, values, characters, fitting) without writing")
    s.add_argument("form_id")
    s.add_argument("payload", help="JSON file, or - for stdin")
    s.add_argument("--tenant", help="tenant profile YAML (default: the fictitious demo municipality)")
    s.add_argument("--encoding", **encoding)
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("render", help="render a payload to PDF (or one page to PNG)")
    s.add_argument("form_id")
    s.add_argument("payload", help="JSON file, or - for stdin")
    s.add_argument("-o", "--output", required=True, help="file to write, or - for stdout")
    s.add_argument("--tenant", help="tenant profile YAML (default: the fictitious demo municipality)")
    s.add_argument("--encoding", **encoding)
    s.add_argument("--png", action="store_true", help="write a PNG preview of one page instead of the PDF")
    s.add_argument("--page", type=int, default=1, help="page for --png (1-based)")
    s.add_argument("--dpi", type=int, help=f"resolution of --png, {DPI_MIN}–{DPI_MAX} (default 100)")
    s.add_argument("--delivery", choices=["postcard", "pressure-seal-V", "pressure-seal-Z", "window-envelope"],
                   help="mail: check against Japan Post's rules (default: the form's own delivery)")
    s.add_argument("--imposition", choices=["panels", "sheets", "press"], default="panels",
                   help="mail: one page per logical panel (preview), imposed sheets in duplex order (print), or "
                        "N-up press sheets with crop marks (the printer profile's press section)")
    s.add_argument("--printer-profile", help="printer profile YAML or a shipped name (default: the delivery's)")
    s.add_argument("--marks", action="store_true", help="sheets: crop and fold marks")
    s.add_argument("--bleed", type=_ranged(0, 10, float), help="sheets: bleed in mm (0–10)")
    s.set_defaults(func=cmd_render)

    s = sub.add_parser("preview", help="one page as PNG with the designer's overlays (boxes, ids, warnings, mm grid)")
    s.add_argument("form_id")
    s.add_argument("payload", help="JSON file, or - for stdin")
    s.add_argument("-o", "--output", required=True, help="PNG file to write, or - for stdout")
    s.add_argument("--page", type=int, default=1, help="page (1-based)")
    s.add_argument("--dpi", type=int, help=f"resolution, {DPI_MIN}–{DPI_MAX} (default 100)")
    s.add_argument("--boxes", action="store_true", help="every element's box and id: variable green, static blue, "
                                                         "blocks purple, flow regions orange, warnings red")
    s.add_argument("--grid", action="store_true", help="mm grid (1/5/10 mm) and rulers")
    s.add_argument("--tenant", help="tenant profile YAML (default: the fictitious demo municipality)")
    s.add_argument("--encoding", **encoding)
    s.set_defaults(func=cmd_preview)

    s = sub.add_parser("diff", help="compare a rendering with a reference page (PDF or PNG): score and diff image")
    s.add_argument("form_id")
    s.add_argument("payload", help="JSON file, or - for stdin")
    s.add_argument("--against", required=True, help="the reference: a PDF, or a PNG/JPEG (e.g. a scanned sample form)")
    s.add_argument("-o", "--output", help="diff image to write (PNG): grey both, red only rendered, blue only reference")
    s.add_argument("--page", type=int, default=1, help="page of the rendering (1-based)")
    s.add_argument("--ref-page", type=int, help="page of a reference PDF (default: --page)")
    s.add_argument("--dpi", type=int, help=f"resolution of the comparison, {DPI_MIN}–{DPI_MAX} (default 100)")
    s.add_argument("--tolerance", type=_ranged(0, 10), default=1, help="pixels ink may be off and still match (default 1)")
    s.add_argument("--fail-over", type=_ranged(0, 1, float), help="exit 1 when the score is above this")
    s.add_argument("--tenant", help="tenant profile YAML (default: the fictitious demo municipality)")
    s.add_argument("--encoding", **encoding)
    s.set_defaults(func=cmd_diff)

    s = sub.add_parser("designer", help="the designer web page on this machine (edit, preview, move boxes, save)")
    s.add_argument("--forms-dir", help="forms folder (with _blocks/); default $LGFORMS_FORMS_DIR or the bundled forms")
    s.add_argument("--port", type=_ranged(1, 65535), default=8765)
    s.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (default), localhost or ::1")
    s.add_argument("--tenant", help="tenant profile YAML (default: the fictitious demo municipality)")
    s.set_defaults(func=cmd_designer)

    s = sub.add_parser("batch", help="render a JSON Lines / JSON array file of payloads into print files "
                                     "(or: lgforms batch resume JOB)")
    s.add_argument("form_id", help="form id, or 'resume' to continue a batch")
    s.add_argument("input", help="records (.jsonl: one payload per line, or a JSON array); for resume: the job "
                                 "id or the batch's output directory")
    s.add_argument("-o", "--output", help="output directory (empty or new)")
    s.add_argument("--tenant", help="tenant profile YAML (default: the fictitious demo municipality)")
    s.add_argument("--workers", type=int, help="worker processes (default 2; 0: in this process)")
    s.add_argument("--executor", choices=["local", "dask"], default="local")
    s.add_argument("--cluster", help="dask scheduler address (tcp://HOST:8786); implies --executor dask")
    s.add_argument("--sort", choices=["input", "postcode", "barcode"], default="input",
                   help="output order: as given, by postcode, or by customer-barcode data (bulk-mail discount)")
    s.add_argument("--split-pages", type=int, help="at most N pages per part file (default 1000)")
    s.add_argument("--split-mb", type=float, help="at most M MiB per part file")
    s.add_argument("--delivery", choices=["postcard", "pressure-seal-V", "pressure-seal-Z", "window-envelope"])
    s.add_argument("--imposition", choices=["panels", "sheets", "press"], default="panels")
    s.add_argument("--printer-profile", help="printer profile YAML or a shipped name")
    s.add_argument("--marks", action="store_true", help="sheets: crop and fold marks")
    s.add_argument("--bleed", type=float, help="sheets: bleed in mm")
    s.add_argument("--reproducible", action="store_true",
                   help="fixed creation date and document ids: the same input gives the same bytes")
    s.add_argument("--unit-records", type=int, help="records per work unit (default: about one part)")
    s.add_argument("--store", help="job store: SQLite file or postgresql:// URL (default $LGFORMS_BATCH_DB or "
                                   "lgforms-data/batches.db)")
    s.add_argument("--quiet", action="store_true", help="no progress output")
    s.set_defaults(func=cmd_batch)

    s = sub.add_parser("moji", help="文字情報基盤: check text, show a character")
    msub = s.add_subparsers(dest="moji_command", required=True, parser_class=_Parser)
    m = msub.add_parser("check", help="per cluster: code points, MJ code, font and glyph, or why not "
                                      "(MJ012345 is read as the MJ character, as in a name field)")
    m.add_argument("text")
    m.add_argument("--tenant", help="tenant profile YAML (its 外字 fonts and IVS fallback setting)")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_moji_check)
    m = msub.add_parser("show", help="one character: MJ012345, U+845B or U+845B+U+E0102")
    m.add_argument("spec")
    m.set_defaults(func=cmd_moji_show)

    s = sub.add_parser("serve", help="run the REST service (uvicorn)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=_ranged(1, 65535), default=8000)
    s.add_argument("--workers", type=_ranged(1, 64), default=1)
    s.add_argument("--db", help="tenant store: a SQLite file or a postgresql:// URL; "
                                "default $LGFORMS_DB or lgforms-data/lgforms.db")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("tenant", help="municipalities of the service: profiles, seals, API keys, groups")
    tsub = s.add_subparsers(dest="tenant_command", required=True, parser_class=_Parser)
    t = tsub.add_parser("add", help="create or update a tenant (from a profile YAML, or the basic fields)")
    t.add_argument("--profile", help="profile YAML (see lgforms/tenants/demo/profile.yaml)")
    t.add_argument("--code")
    t.add_argument("--name")
    t.add_argument("--mayor-title")
    t.add_argument("--mayor-name")
    t.set_defaults(func=cmd_tenant_add)
    t = tsub.add_parser("show", help="a tenant's profile and keys (ids only)")
    t.add_argument("code")
    t.set_defaults(func=cmd_tenant_show)
    t = tsub.add_parser("set-seal", help="the 公印 image (PNG) and its size")
    t.add_argument("code")
    t.add_argument("png")
    t.add_argument("--size-mm", type=_ranged(1, 30, float), default=21.0)
    t.set_defaults(func=cmd_tenant_set_seal)
    t = tsub.add_parser("add-key", help="create an API key (printed once)")
    t.add_argument("code")
    t.add_argument("--label", default="")
    t.set_defaults(func=cmd_tenant_add_key)
    t = tsub.add_parser("keys", help="a tenant's API keys: id, status, dates (never the key)")
    t.add_argument("code")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=cmd_tenant_keys)
    t = tsub.add_parser("revoke-key", help="revoke an API key now")
    t.add_argument("code")
    t.add_argument("key_id")
    t.set_defaults(func=cmd_tenant_revoke_key)
    t = tsub.add_parser("rotate-key", help="a new key replacing KEY_ID (printed once); the old one ends after the grace")
    t.add_argument("code")
    t.add_argument("key_id")
    t.add_argument("--grace-seconds", type=int, default=0, help="how long the old key keeps working (default 0)")
    t.set_defaults(func=cmd_tenant_rotate_key)
    t = tsub.add_parser("void", help="mark an issued certificate number void (書損), with the reason")
    t.add_argument("code")
    t.add_argument("issue_id")
    t.add_argument("--reason", required=True)
    t.set_defaults(func=cmd_tenant_void)
    t = tsub.add_parser("reconcile", help="issue log per day: issued, delivered, void, open numbers")
    t.add_argument("code")
    t.add_argument("--from", dest="date_from", help="YYYY-MM-DD (JST; default today)")
    t.add_argument("--to", dest="date_to", help="YYYY-MM-DD (default: --from)")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=cmd_tenant_reconcile)
    t = tsub.add_parser("group", help="a shared-use group (purpose risai: members issue each other's 罹災証明書)")
    t.add_argument("name")
    t.add_argument("codes", nargs="+")
    t.add_argument("--purpose", default="risai")
    t.set_defaults(func=cmd_tenant_group)
    for t in tsub.choices.values():
        t.add_argument("--db", help="tenant store: a SQLite file or a postgresql:// URL; "
                                    "default $LGFORMS_DB or lgforms-data/lgforms.db")
    return p


def main(argv: list[str] | None = None) -> int:
    # a text the terminal cannot encode (a lone surrogate from undecodable argv bytes) is shown
    # escaped, never a UnicodeEncodeError
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LgformsError as e:
        _print_error(e)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `lgforms sample … | head`: the reader has gone, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as e:  # noqa: BLE001 - a bug: still a code and a message, never a traceback
        _print_error(LgformsError(f"unexpected {type(e).__name__}: {e} (a bug in lgforms: please report it; "
                                  "LGFORMS_DEBUG=1 shows the traceback)", code="INTERNAL_ERROR"))
        if os.environ.get("LGFORMS_DEBUG"):
            import traceback

            traceback.print_exc()
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
