"""Public rendering API: load -> bind -> layout -> draw -> write, in one call."""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

from .bind.payload import validate_payload
from .errors import ArgumentInvalid, LgformsError, LimitExceeded
from .layout.boxes import ImageBox, LaidOutDocument, LaidOutPage
from .layout.document import layout_errors_with_record, layout_record
from .layout.text import MojiProblems, fit_text
from .limits import check as check_deadline
from .limits import deadline_scope
from .moji.fonts import FontFile, FontStack, default_stacks
from .pdf.draw import draw_pages
from .pdf.writer import PdfWriter
from .spec.catalog import Catalog, default_catalog
from .spec.loader import FormSpec
from .spec.models import TextStyle
from .tenants.guard import check_payload
from .tenants.profile import TenantProfile, demo_profile, load_profile

TenantArg = TenantProfile | str | Path | None

#: PNG previews: the service's bounds, for every caller (300 dpi of an A4 page is 35 Mpx)
DPI_MIN, DPI_MAX = 36, 300


@dataclass
class RenderResult:
    data: bytes
    pages: int
    media_type: str = "application/pdf"
    warnings: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


_tenant_stacks: dict[str, dict[str, FontStack]] = {}
_tenant_lock = threading.Lock()


def _tenant(tenant: TenantArg) -> TenantProfile:
    if tenant is None:
        return demo_profile()
    if isinstance(tenant, TenantProfile):
        return tenant
    return load_profile(tenant)


def stacks_for(tenant: TenantProfile) -> dict[str, FontStack]:
    """Default font stacks, plus the tenant's own fonts (外字) after the bundled ones."""
    base = default_stacks()
    if not tenant.fonts:
        return base
    with _tenant_lock:
        hit = _tenant_stacks.get(tenant.key)
        if hit is None:
            extra = [FontFile(p, key=f"tenant{tenant.code}-{i}") for i, p in enumerate(tenant.fonts)]
            hit = {role: st.with_extra(extra) for role, st in base.items()}
            _tenant_stacks[tenant.key] = hit
        return hit


def _form(form: str | FormSpec, catalog: Catalog | None) -> FormSpec:
    if isinstance(form, FormSpec):
        return form
    return (catalog or default_catalog()).get(form)


def layout(form_id: str | FormSpec, payload: dict, *, tenant: TenantArg = None, catalog: Catalog | None = None,
           issue: dict | None = None, delivery: str | None = None) -> LaidOutDocument:
    """Check (customization guard), validate, bind and lay out one payload (no PDF yet): the pages
    as plain boxes. ``delivery`` picks the form's layout for that delivery (A4 window envelope,
    圧着はがき …). With ``issue={"specimen": True}`` the document is a 見本: no 公印, marked."""
    form = _form(form_id, catalog).for_delivery(delivery)
    t = _tenant(tenant)
    check_payload(form, payload, tenant_given=tenant is not None)
    validate_payload(form, payload, tenant=t)
    problems = MojiProblems()
    try:
        pages = layout_record(form, payload, tenant=t, stacks=stacks_for(t), problems=problems, issue=issue)
    except LgformsError as e:
        e.form_id = e.form_id or form.id
        raise
    problems.raise_if_any(payload)
    if (issue or {}).get("specimen"):
        pages = [_specimen(p, stacks_for(t)) for p in pages]
    return LaidOutDocument(form.id, form.title, pages, [{"code": "IVS_FALLBACK", **f} for f in problems.fallbacks])


_SPECIMEN_MARK = TextStyle(size=72, font="gothic", align="center", color=(0.8, 0.0, 0.0))
_SPECIMEN_NOTE = TextStyle(size=10, font="gothic", align="center", color=(0.8, 0.0, 0.0))


def _specimen(page: LaidOutPage, stacks: dict[str, FontStack]) -> LaidOutPage:
    """A 見本 (specimen) of a page: the 公印 is left out and 「見本」 printed across the page, so
    that a preview can never pass for an issued certificate."""
    w, h = page.size
    problems = MojiProblems()
    mark = fit_text("見　本", (0, h * 0.38, w, 30), _SPECIMEN_MARK, stacks["gothic"], path=None, problems=problems)
    note = fit_text("この画像は見本です。証明書として使用できません。", (0, h * 0.38 + 30, w, 8), _SPECIMEN_NOTE,
                    stacks["gothic"], path=None, problems=problems)
    problems.raise_if_any()
    items = [it for it in page.items if not (isinstance(it, ImageBox) and it.path == "tenant.seal")]
    return LaidOutPage(page.size, page.statics, items + mark + note, page.template, page.number)


def render_result(form_id: str | FormSpec, payload: dict, *, tenant: TenantArg = None,
                  format: Literal["pdf", "png"] = "pdf", page: int = 1, dpi: int = 100,
                  catalog: Catalog | None = None, issue: dict | None = None,
                  deterministic: bool = False, max_pages: int | None = None,
                  deadline: float | None = None, delivery: str | None = None,
                  imposition: Literal["panels", "sheets", "press"] = "panels",
                  printer_profile=None) -> RenderResult:
    """Like ``render`` with the details: pages, warnings (IVS fallbacks), stage timings.
    ``max_pages`` and ``deadline`` (a ``time.perf_counter()`` value, checked between stages) bound
    the work a service accepts for one request. Mail (``delivery``: postcard, pressure-seal-V,
    pressure-seal-Z, window-envelope; default: the form's own) is checked against Japan Post's
    rules and written as logical panels (``imposition="panels"``), imposed sheets (``"sheets"``)
    or N-up press sheets with crop marks (``"press"``, the profile's ``press`` section) by a
    printer profile (``printer_profile``: a YAML path or a shipped name)."""
    if format not in ("pdf", "png"):
        raise ArgumentInvalid(f"format must be 'pdf' or 'png', not {format!r}", detail={"argument": "format"})
    if format == "png":
        check_dpi(dpi)
    with deadline_scope(deadline):
        t0 = time.perf_counter()
        doc = layout(form_id, payload, tenant=tenant, catalog=catalog, issue=issue, delivery=delivery)
        if max_pages is not None and len(doc.pages) > max_pages:
            raise LimitExceeded(f"document has {len(doc.pages)} pages; the limit is {max_pages}", form_id=doc.form_id)
        check_deadline("layout")
        t1 = time.perf_counter()
        plan = _postal_plan(_form(form_id, catalog).for_delivery(delivery), delivery, printer_profile, imposition)
        if plan is not None:
            data, n = _write_postal(plan, [(0, doc.pages)], doc.title, deterministic, imposition)
        else:
            data, n = _write(doc.pages, doc.title, deterministic)
        check_deadline("write")
        t2 = time.perf_counter()
        res = RenderResult(data, n, warnings=doc.warnings, timings={"layout": t1 - t0, "write": t2 - t1})
        if format == "png":
            res.data = pdf_page_png(data, page, dpi=dpi)
            res.media_type = "image/png"
            check_deadline("png")
    return res


def check_dpi(dpi) -> None:
    """PNG resolution within DPI_MIN..DPI_MAX (the REST service's bounds)."""
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not DPI_MIN <= dpi <= DPI_MAX:
        raise ArgumentInvalid(f"dpi must be a whole number from {DPI_MIN} to {DPI_MAX}, not {dpi!r}",
                              detail={"argument": "dpi", "min": DPI_MIN, "max": DPI_MAX})


def render(form_id: str, payload: dict, *, tenant: TenantArg = None, format: Literal["pdf", "png"] = "pdf",
           page: int = 1, dpi: int = 100, catalog: Catalog | None = None, issue: dict | None = None,
           delivery: str | None = None, imposition: Literal["panels", "sheets", "press"] = "panels",
           printer_profile=None) -> bytes:
    """Render one payload of a form to PDF (or a PNG preview of one page). ``issue`` carries what
    the issuing system adds: ``number`` (発行番号), ``proxy_name`` (代行発行 of a 罹災証明書).
    ``delivery``/``imposition``/``printer_profile``: mail, see ``render_result``."""
    return render_result(form_id, payload, tenant=tenant, format=format, page=page, dpi=dpi, catalog=catalog,
                         issue=issue, delivery=delivery, imposition=imposition,
                         printer_profile=printer_profile).data


def render_many(form_id: str | FormSpec, payloads: Iterable[dict], *, tenant: TenantArg = None,
                catalog: Catalog | None = None, deterministic: bool = False,
                issue: dict | None = None, delivery: str | None = None,
                imposition: Literal["panels", "sheets", "press"] = "panels", printer_profile=None) -> RenderResult:
    """Many payloads of one form into ONE PDF (a print file): static parts are shared by all pages.
    Each record keeps its own page numbering (1/N). A bad record raises, naming its index.
    Mail is checked and written as panels or imposed sheets (see ``render_result``)."""
    form = _form(form_id, catalog).for_delivery(delivery)
    t = _tenant(tenant)
    stacks = stacks_for(t)
    warnings: list[dict] = []
    plan = _postal_plan(form, delivery, printer_profile, imposition)

    def records() -> Iterable[tuple[int, list[LaidOutPage]]]:
        for i, payload in enumerate(payloads):
            problems = MojiProblems()
            try:
                check_payload(form, payload, tenant_given=tenant is not None)
                validate_payload(form, payload, tenant=t)
                out = layout_record(form, payload, tenant=t, stacks=stacks, problems=problems, issue=issue)
                problems.raise_if_any(payload)
            except LgformsError as e:
                e.form_id = e.form_id or form.id
                raise layout_errors_with_record(e, i) from None
            warnings.extend({"code": "IVS_FALLBACK", "record": i, **f} for f in problems.fallbacks)
            yield i, out

    if plan is not None:
        data, n = _write_postal(plan, records(), form.title, deterministic, imposition)
        return RenderResult(data, n, warnings=warnings)

    data, n = _write((p for _, out in records() for p in out), form.title, deterministic)
    return RenderResult(data, n, warnings=warnings)


def _write(pages: Iterable[LaidOutPage], title: str, deterministic: bool) -> tuple[bytes, int]:
    w = PdfWriter(page_size_mm=(210.0, 297.0), title=title, deterministic=deterministic)
    n = draw_pages(pages, w)
    return w.finish(), n


def _postal_plan(form: FormSpec, delivery: str | None, printer_profile, imposition: str):
    """The postal stage for this render, or None (see ``lgforms.postal.delivery``)."""
    from .postal.delivery import plan_for

    if imposition not in ("panels", "sheets", "press"):
        raise ArgumentInvalid(f"imposition must be 'panels', 'sheets' or 'press', not {imposition!r}",
                              detail={"argument": "imposition"})
    return plan_for(form, delivery, printer_profile)


def _write_postal(plan, records, title: str, deterministic: bool, imposition: str) -> tuple[bytes, int]:
    w = PdfWriter(page_size_mm=(210.0, 297.0), title=title, deterministic=deterministic)
    n = plan.write(records, w, imposition)
    return w.finish(), n


def pdf_page_png(pdf: bytes, page: int = 1, *, dpi: int = 100) -> bytes:
    """Rasterise one page (1-based) with PDFium."""
    import pypdfium2 as pdfium

    check_dpi(dpi)
    doc = pdfium.PdfDocument(pdf)
    try:
        if not 1 <= page <= len(doc):
            raise LimitExceeded(f"page {page} does not exist (document has {len(doc)} pages)", path="page")
        check_deadline("png")
        bitmap = doc[page - 1].render(scale=dpi / 72.0)
        buf = io.BytesIO()
        bitmap.to_pil().save(buf, format="PNG")
        return buf.getvalue()
    finally:
        doc.close()
