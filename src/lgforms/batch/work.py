"""One work unit: a run of records (in output order) -> part files, per-record outcomes, errors.

This is what executors run, in a worker process (local pool or a Dask worker). It is a pure
function of its arguments: the same unit gives the same bytes wherever and however often it runs
(with ``reproducible``), which is what makes resuming and switching executors safe. Forms, fonts,
the tenant's font stacks and the postal plan are loaded once per worker process and kept.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import re
import time
from dataclasses import dataclass
from typing import Any, Iterator

from ..errors import LgformsError
from ..layout.boxes import LaidOutPage, RectBox
from ..pdf.draw import draw_pages
from ..pdf.writer import PdfWriter
from ..postal.impose import Mailpiece
from ..postal.profiles import PANELS
from . import mail
from .source import parse_record

# a subset font's share of a part, for --split-mb before the font is written (IPAmj glyphs
# average ~250 bytes compressed; over-estimated on purpose)
FONT_BYTES_PER_CID = 400


@dataclass
class _Context:
    form: Any
    tenant: Any
    plan: Any  # postal plan or None
    imposition: str


_contexts: dict[tuple, _Context] = {}


def _context(spec: dict) -> _Context:
    from ..render import _postal_plan, _tenant
    from ..spec.catalog import default_catalog

    key = (spec["form_id"], spec.get("tenant_key"), spec.get("delivery"), repr(spec.get("profile")),
           spec.get("imposition"))
    ctx = _contexts.get(key)
    if ctx is None:
        form = default_catalog().get(spec["form_id"]).for_delivery(spec.get("delivery"))
        tenant = _tenant(spec.get("tenant"))
        imposition = spec.get("imposition") or "panels"
        plan = _postal_plan(form, spec.get("delivery"), spec.get("profile"), imposition)
        ctx = _contexts[key] = _Context(form, tenant, plan, imposition)
    return ctx


def warm(spec: dict) -> int:
    """Load the form, fonts and plan in this worker before the first unit (pool initializer)."""
    ctx = _context(spec)
    from ..render import layout

    try:  # lay out the form's sample once: glyph tables and static parts are loaded now
        layout(ctx.form, ctx.form.sample(), tenant=ctx.tenant)
    except LgformsError:
        pass  # a form without a (valid) sample warms up on its first record instead
    # what the worker keeps for its life (forms, fonts, glyph tables, static parts: ~150,000
    # objects) leaves the garbage collector's generations, so that its collections scan only the
    # units' short-lived objects (the full ones over everything cost ~6-10 % of a page's CPU)
    gc.freeze()
    return os.getpid()


@dataclass
class _Laid:
    seq: int
    line: int
    pos: int
    record_id: str
    pieces: list[list[LaidOutPage]]  # one page list per mailpiece (one for non-mail forms)
    split: dict | None
    warnings: int


def _lay_out(ctx: _Context, payload: Any, seq: int) -> tuple[list[list[LaidOutPage]], dict | None, int]:
    from ..render import layout

    plan = ctx.plan

    def one(p: Any) -> tuple[list[LaidOutPage], int]:
        doc = layout(ctx.form, p, tenant=ctx.tenant)
        if plan is not None:
            if plan.is_window:
                plan.check_pages(doc.pages, seq)
            else:
                plan.check(plan.mailpiece(seq, doc.pages))
        return doc.pages, len(doc.warnings)

    try:
        pages, warns = one(payload)
        return [pages], None, warns
    except LgformsError as e:
        reason = mail.split_reason(e) if plan is not None and not plan.is_window else None
        if reason is None:
            raise

        def fits(p: dict) -> LgformsError | None:
            try:
                one(p)
                return None
            except LgformsError as err:
                return err

        # probed for each household (not learnt once per worker): the split must not depend on
        # which worker saw which household first
        found = mail.split_household(payload, reason, fits, mail.list_limits(ctx.form.schema))
        if found is None:
            raise e from None
        key, per, payloads = found
        pieces, warns = [], 0
        for j, p in enumerate(payloads):
            try:
                pages, w = one(p)
            except LgformsError as err:
                err.path = mail.piece_path(err.path, key, j * per)
                raise
            pieces.append(pages)
            warns += w
        return pieces, {"field": key, "per_piece": per, "pieces": len(payloads)}, warns


_DATES = re.compile(r"(明治|大正|昭和|平成|令和)(元|[0-9０-９]+)年[0-9０-９]+月[0-9０-９]+日|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def _leaves(v: Any, out: set[str]) -> None:
    if isinstance(v, dict):
        for x in v.values():
            _leaves(x, out)
    elif isinstance(v, list):
        for x in v:
            _leaves(x, out)
    elif isinstance(v, str) and len(v) >= 2:
        out.add(v)


def redact(message: str, payload: Any) -> str:
    """The message without the record's values: errors.jsonl goes to people who must not see
    personal data (payload strings and dates become "…"; U+ codes and paths stay)."""
    vals: set[str] = set()
    _leaves(payload, vals)
    for v in sorted(vals, key=len, reverse=True):
        if v in message:
            message = message.replace(v, "…")
    return _DATES.sub("…", message)


class _Part:
    def __init__(self, spec: dict, title: str):
        self.buf = io.BytesIO()
        self.w = PdfWriter(page_size_mm=(210.0, 297.0), title=title, deterministic=bool(spec.get("reproducible")),
                           out=self.buf)
        self.records = 0
        self.mailpieces = 0

    @property
    def pages(self) -> int:
        return self.w.pages

    def estimated_bytes(self) -> int:
        return self.w._pos + sum(len(ef.gids) for ef in self.w._all_fonts) * FONT_BYTES_PER_CID

    def close(self) -> dict:
        self.w.finish()
        data = self.buf.getvalue()
        return {"pages": self.w.pages, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                "records": self.records, "mailpieces": self.mailpieces, "data": data}


def render_unit(spec: dict, unit: int, records: list[tuple[int, int, int, str, bytes]]) -> dict:
    """Render one unit. ``records``: (seq, line, pos, record_id, raw bytes) in output order.

    Returns ``{"unit", "parts": [{pages, bytes, sha256, records, mailpieces, data}], "records":
    [{seq, line, pos, id, part, first_page, pages, mailpieces, split?, press?}], "errors": [{seq,
    line, id, code, path, message}], "seconds", "pid"}``; part and mailpiece numbers are local to
    the unit (the driver numbers them across the job)."""
    t0, c0 = time.perf_counter(), time.process_time()
    ctx = _context(spec)
    errors: list[dict] = []
    out_records: list[dict] = []

    def laid() -> Iterator[_Laid]:
        # one record at a time: its pages are written (and dropped) before the next is laid out,
        # so a worker's memory does not grow with the size of its units
        for seq, line, pos, rid, raw in records:
            payload = None
            try:
                rid, payload = parse_record(raw, rid)
                pieces, split, warns = _lay_out(ctx, payload, seq)
            except LgformsError as e:
                errors.append({"seq": seq, "line": line, "id": rid, "code": e.code, "path": e.path,
                               "message": redact(e.message, payload)})
                continue
            yield _Laid(seq, line, pos, rid, pieces, split, warns)

    parts = _write_parts(spec, ctx, laid(), out_records)
    return {"unit": unit, "parts": parts, "records": out_records, "errors": errors,
            "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "pid": os.getpid(),
            "max_rss_kb": _max_rss_kb()}


def _max_rss_kb() -> int:
    """Peak resident memory of this worker process so far (KiB): the kernel's high-water mark of
    this program's memory (``VmHWM``). Not ``ru_maxrss``: Linux keeps that across fork + exec, so
    a worker spawned by a large driver (Dask's nanny spawns its workers) reported the driver's
    size, not its own (658 MB for a 375 MB worker in batch_bench.py)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:  # not Linux: the rusage figure (exact where exec starts a fresh count)
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _pages_per_piece(ctx: _Context, pieces: list[list[LaidOutPage]]) -> int:
    plan = ctx.plan
    if plan is None or plan.is_window:
        return sum(len(p) for p in pieces)
    if ctx.imposition == "sheets":
        return 2 * len(pieces)
    return len(PANELS[plan.delivery]) * len(pieces)


def _write_parts(spec: dict, ctx: _Context, laid: Iterator[_Laid], out_records: list[dict]) -> list[dict]:
    cap_pages = int(spec.get("split_pages") or 0) or None
    cap_bytes = int(spec.get("split_bytes") or 0) or None
    title = ctx.form.title
    parts: list[dict] = []
    plan = ctx.plan
    press = plan is not None and not plan.is_window and ctx.imposition == "press"
    if press:
        return _write_press(spec, ctx, laid, out_records, cap_pages, cap_bytes)
    part = _Part(spec, title)
    piece_no = 0
    for item in laid:
        n = _pages_per_piece(ctx, item.pieces)
        full = part.records and ((cap_pages and part.pages + n > cap_pages) or
                                 (cap_bytes and part.estimated_bytes() > cap_bytes))
        if full:
            parts.append(part.close())
            part = _Part(spec, title)
        first = part.pages + 1
        w = part.w
        if plan is None:
            for pages in item.pieces:
                draw_pages(pages, w)
        elif plan.is_window:
            plan.write([(item.seq, item.pieces[0])], w, ctx.imposition, checked=True)  # by _lay_out
        else:
            pieces = [_mailpiece(plan, item.seq, pages) for pages in item.pieces]
            if ctx.imposition == "sheets":
                plan.sheet_imposer().write(pieces, w)
            else:
                draw_pages(_panel_pages(plan, pieces), w)
        rec = {"seq": item.seq, "line": item.line, "pos": item.pos, "id": item.record_id, "part": len(parts),
               "first_page": first, "pages": part.pages - first + 1,
               "mailpieces": list(range(piece_no, piece_no + len(item.pieces))) if plan is not None else []}
        if plan is not None:
            piece_no += len(item.pieces)
            part.mailpieces += len(item.pieces)
        if item.split:
            rec["split"] = item.split
        if item.warnings:
            rec["warnings"] = item.warnings
        out_records.append(rec)
        part.records += 1
    if part.records:
        parts.append(part.close())
    return parts


def _mailpiece(plan, seq: int, pages: list[LaidOutPage]) -> Mailpiece:
    return plan.mailpiece(seq, pages)


def _panel_pages(plan, pieces: list[Mailpiece]) -> list[LaidOutPage]:
    """Logical panels in the delivery's order, cut-away paper shaded (as ``PostalPlan.write``)."""
    out = []
    for piece in pieces:
        for k in PANELS[plan.delivery]:
            page = piece.panels[k]
            for c in plan.cutouts.get(k, []):
                page.items.append(RectBox(c[0], c[1], c[2] - c[0], c[3] - c[1], None, None, (0.82, 0.82, 0.82)))
            out.append(page)
    return out


def _write_press(spec: dict, ctx: _Context, laid: Iterator[_Laid], out_records: list[dict],
                 cap_pages: int | None, cap_bytes: int | None) -> list[dict]:
    """N-up: a part's mailpieces are imposed together (cut-and-stack needs their number), so
    a part's laid-out pages are held until the part is full — at most one part per worker."""
    plan = ctx.plan
    imposer = plan.press_imposer()
    cap_pieces = max(1, (cap_pages // 2) * imposer.cells) if cap_pages else None
    parts: list[dict] = []
    group: list[_Laid] = []
    count = 0
    base = 0  # mailpieces in the parts before this one

    def flush() -> None:
        nonlocal base
        part = _Part(spec, ctx.form.title)
        pieces = [_mailpiece(plan, it.seq, pages) for it in group for pages in it.pieces]
        _, slots = imposer.write(pieces, part.w)
        k = 0
        for it in group:
            mine = slots[k:k + len(it.pieces)]
            sheets = sorted({s.sheet for s in mine})
            rec = {"seq": it.seq, "line": it.line, "pos": it.pos, "id": it.record_id, "part": len(parts),
                   "first_page": 2 * sheets[0] + 1, "pages": 2 * len(sheets),
                   "mailpieces": list(range(base + k, base + k + len(it.pieces))),
                   "press": [{"sheet": s.sheet + 1, "cell": s.cell + 1} for s in mine]}
            if it.split:
                rec["split"] = it.split
            if it.warnings:
                rec["warnings"] = it.warnings
            out_records.append(rec)
            k += len(it.pieces)
        part.records = len(group)
        part.mailpieces = len(pieces)
        base += len(pieces)
        parts.append(part.close())

    for item in laid:
        if group and cap_pieces and count + len(item.pieces) > cap_pieces:
            flush()
            group, count = [], 0
        group.append(item)
        count += len(item.pieces)
    if group:
        flush()
    return parts
