"""Forms as the designer edits them: loaded from YAML text, previewed, moved, saved.

A form text is loaded exactly as ``forms/<area>/<id>/form.yaml`` would be (same loader, same
errors with file and line) from a private copy of its folder, with the forms folder's shared
blocks and styles. Loaded forms and rendered documents are kept in small LRU caches keyed by
the texts' hashes (and the tenant), so that paging through a preview or editing the payload does
not load the form again.

Each preview lays the payload out with a ``LayoutRecorder`` (the same layout, nothing changed)
and returns the page image, every element's box and the warnings, or the errors with their
lines: form errors at their form.yaml line, payload errors at the line of their JSON path.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import ArgumentInvalid, FormNotFound, FormSpecInvalid, LgformsError
from ..spec.catalog import Catalog
from ..spec.loader import FormSpec, load_form
from .jsonpos import line_of, path_lines
from .trace import inspect_layout, traced_layout
from .yamledit import check_untrusted

FORM_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
DPI_MIN, DPI_MAX = 36, 200
MAX_PAYLOAD_CHARS = 1_000_000


@dataclass
class Rendered:
    pdf: bytes | None
    pages: int
    inspection: Any
    errors: list[dict]
    timings: dict[str, float] = field(default_factory=dict)


class _Lru(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def get_(self, key):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self[key] = value
            self.move_to_end(key)
            while len(self) > self.size:
                self.popitem(last=False)


def _sha(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


class Workspace:
    """The forms of one folder, as the designer sees them. ``untrusted``: form texts come from
    service users (checked by ``yamledit.check_untrusted`` before loading); ``writable``: the
    local designer may save form.yaml files."""

    def __init__(self, root: str | Path, *, writable: bool = False, untrusted: bool = True):
        self.root = Path(root).resolve()
        self.writable = writable
        self.untrusted = untrusted
        self.catalog = Catalog(self.root)
        self._forms = _Lru(16)
        self._renders = _Lru(8)

    # -- forms ------------------------------------------------------------------------------------
    def folder(self, form_id: str) -> Path:
        if not FORM_ID.match(form_id or ""):
            raise FormNotFound(f"no form {form_id!r}", form_id=form_id)
        folders = self.catalog._scan()
        if form_id not in folders:
            raise FormNotFound(f"no form {form_id!r}", form_id=form_id)
        return folders[form_id]

    def list(self) -> list[dict]:
        out = []
        for s in self.catalog.list():
            out.append({"id": s["id"], "title": s.get("title"), "area": s.get("area"), "kind": s.get("kind"),
                        "broken": bool(s.get("broken")), "pages": s.get("pages")})
        return out

    def source(self, form_id: str) -> dict:
        folder = self.folder(form_id)
        samples = {p.stem: p.read_text("utf-8") for p in sorted((folder / "samples").glob("*.json"))}
        return {"id": form_id, "file": f"{form_id}/form.yaml", "yaml": (folder / "form.yaml").read_text("utf-8"),
                "samples": samples, "writable": self.writable}

    def form(self, form_id: str, text: str) -> FormSpec:
        """The form as ``text`` says (FORM_SPEC_INVALID with every error's line otherwise)."""
        folder = self.folder(form_id)
        key = _sha(form_id, text)
        hit = self._forms.get_(key)
        if hit is not None:
            if isinstance(hit, FormSpecInvalid):
                raise hit
            return hit
        if self.untrusted:
            check_untrusted(text, form_id)
        try:
            form: FormSpec | FormSpecInvalid = self._load(folder, form_id, text)
        except FormSpecInvalid as e:
            form = e
        self._forms.put(key, form)
        if isinstance(form, FormSpecInvalid):
            raise form
        return form

    def _load(self, folder: Path, form_id: str, text: str) -> FormSpec:
        with tempfile.TemporaryDirectory(prefix="lgforms-designer-") as d:
            copy = Path(d) / form_id
            copy.mkdir()
            (copy / "form.yaml").write_text(text, encoding="utf-8")
            for entry in folder.iterdir():  # schema, tenant table schemas: the form's own files
                if entry.name not in ("form.yaml", "samples"):
                    os.symlink(entry, copy / entry.name)
            return load_form(copy, self.root)

    def save(self, form_id: str, text: str) -> dict:
        """Write form.yaml (atomically) and say whether it loads."""
        if not self.writable:
            raise ArgumentInvalid("this designer does not write form files (service mode)")
        folder = self.folder(form_id)
        target = folder / "form.yaml"
        fd, tmp = tempfile.mkstemp(prefix=".form.yaml.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            shutil.copymode(target, tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.catalog._forms.pop(form_id, None)
        try:
            self.form(form_id, text)
            return {"saved": True, "loads": True, "errors": []}
        except FormSpecInvalid as e:
            return {"saved": True, "loads": False, "errors": yaml_errors(e, form_id)}

    # -- previews ---------------------------------------------------------------------------------
    def render(self, form_id: str, text: str, payload_text: str, *, salt: str,
               layout: Callable[[FormSpec, dict], Any]) -> tuple[FormSpec | None, Rendered]:
        """Load, lay out (traced) and write one payload. ``layout(form, payload)`` is the mode's
        layout (tenant, guard, 見本); ``salt`` names what else the result depends on (tenant)."""
        t0 = time.perf_counter()
        try:
            form = self.form(form_id, text)
        except FormSpecInvalid as e:
            return None, Rendered(None, 0, None, yaml_errors(e, form_id))
        t1 = time.perf_counter()
        key = _sha(salt, form_id, text, payload_text)
        hit = self._renders.get_(key)
        if hit is not None:
            return form, hit
        lines = path_lines(payload_text)
        try:
            payload = _parse(payload_text)
        except LgformsError as e:
            return form, Rendered(None, 0, None, payload_errors(e, lines))
        pdf, n, ins, err, (t2, t3) = render_inspected(form, lambda: layout(form, payload))
        for w in ins.warnings:  # at their line in the payload text, like errors
            w["line"] = line_of(lines, w.get("path"))
        errors = payload_errors(err, lines) if err is not None else []
        r = Rendered(pdf, n, ins, errors, {"load": t1 - t0, "layout": t2 - t1, "write": t3 - t2})
        self._renders.put(key, r)
        return form, r


def render_inspected(form: FormSpec, run: Callable[[], Any]):
    """``run()`` (a layout of ``form``) traced, then written: (pdf or None, pages, Inspection,
    error or None, (time after layout, time after write))."""
    form.static_cache.clear()  # statics are laid out again so that the recorder sees them
    rec, doc, err = traced_layout(run)
    t2 = time.perf_counter()
    pdf, n = None, 0
    if doc is not None:
        try:
            pdf, n = write_pdf(form, doc)
        except LgformsError as e:
            err = e
    t3 = time.perf_counter()
    ins = inspect_layout(form, rec, doc.pages if doc is not None else None, err)
    return pdf, n, ins, err, (t2, t3)


def _parse(text: str) -> Any:
    from ..bind.payload import parse_payload
    from ..errors import LimitExceeded

    if len(text) > MAX_PAYLOAD_CHARS:
        raise LimitExceeded(f"the payload text is over {MAX_PAYLOAD_CHARS:,} characters", path="$")
    return parse_payload(text.encode("utf-8"))


def write_pdf(form: FormSpec, doc) -> tuple[bytes, int]:
    """The PDF of laid-out pages, as ``render`` writes it (mail: panels, Japan Post's checks)."""
    from ..render import _postal_plan, _write, _write_postal

    plan = _postal_plan(form, None, None, "panels")
    if plan is not None:
        return _write_postal(plan, [(0, doc.pages)], doc.title, True, "panels")
    return _write(doc.pages, doc.title, True)


def page_png(pdf: bytes, page: int, dpi: int) -> bytes:
    """One page as PNG, compressed lightly: a preview is made for the screen, often."""
    import pypdfium2 as pdfium

    if not DPI_MIN <= dpi <= DPI_MAX:
        raise ArgumentInvalid(f"dpi must be {DPI_MIN}–{DPI_MAX}", detail={"argument": "dpi"})
    doc = pdfium.PdfDocument(pdf)
    try:
        if not 1 <= page <= len(doc):
            raise ArgumentInvalid(f"page {page} does not exist (the document has {len(doc)} pages)",
                                  detail={"argument": "page"})
        im = doc[page - 1].render(scale=dpi / 72.0).to_pil()
    finally:
        doc.close()
    buf = io.BytesIO()
    im.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def png_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def yaml_errors(e: FormSpecInvalid, form_id: str) -> list[dict]:
    """Every error of a form load, with its file and line (form.yaml ones go to the editor)."""
    listed = e.detail.get("errors") or [{"file": None, "line": None, "where": "", "message": e.message}]
    own = f"{form_id}/form.yaml"
    out = []
    for p in listed:
        f = p.get("file")
        out.append({"source": "yaml", "code": e.code, "file": f, "line": p.get("line"),
                    "in_form": f in (own, "form.yaml") or f is None, "where": p.get("where") or "",
                    "message": p.get("message") or e.message})
    return out


def payload_errors(e: LgformsError, lines: dict[str, int]) -> list[dict]:
    """A payload or layout error as entries at their JSON paths (every one it lists)."""
    if isinstance(e, FormSpecInvalid):
        return yaml_errors(e, e.form_id or "")
    d = e.detail or {}
    entries: list[tuple[str | None, str]] = []
    if d.get("errors"):
        entries = [(x.get("path"), x.get("message", "")) for x in d["errors"]]
    elif d.get("rules"):
        entries = [(p, r["message"]) for r in d["rules"] for p in (r.get("paths") or [None])]
    elif d.get("all"):
        entries = [(x.get("path"), f"{x.get('code')}: {x.get('codepoints', '')} {x.get('message', '')}".strip())
                   for x in d["all"]]
    elif "line" in d and e.path == "$":  # JSON syntax: the parser's own line
        return [{"source": "payload", "code": e.code, "path": "$", "line": d["line"], "message": e.message}]
    else:
        entries = [(e.path, e.message)]
    return [{"source": "payload", "code": e.code, "path": p, "line": line_of(lines, p), "message": m}
            for p, m in entries]
