"""The designer: one web page to see, check and adjust form layouts with live data.

Two modes share the page and its JSON calls (``/designer/api/…``):

* **service** (``GET /designer`` of ``lgforms serve``): a municipality's key opens it (sent as
  ``Authorization: Bearer`` or kept in an HttpOnly, SameSite=Strict cookie by the login form).
  Previews use that municipality's profile — its names, contacts, seal — and nothing of any other;
  a certificate previews as a 見本 (no 公印, marked, no 発行番号 taken), as its PNG does in
  ``/v1``. Form texts are checked before loading (``yamledit.check_untrusted``); nothing is written.
* **local** (``lgforms designer [--forms-dir DIR] [--port N]``): one user on 127.0.0.1, the demo
  municipality (or ``--tenant``), and form.yaml files may be saved. The page opens with the
  token printed at start (a cookie from then on); requests naming another host are refused (a web
  page elsewhere cannot reach it through DNS rebinding).

Every POST needs the ``X-Lgforms-Designer`` header, which a cross-site form cannot send.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs

from fastapi import APIRouter, Body, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from lgforms.designer.workspace import (DPI_MAX, DPI_MIN, Workspace, page_png, png_data_url, write_pdf)
from lgforms.designer.yamledit import move_element, move_flow
from lgforms.errors import ArgumentInvalid, FormSpecInvalid, LgformsError

from ..errors import ApiError

HERE = Path(__file__).resolve().parent
STATIC = {"designer.js": "text/javascript; charset=utf-8", "designer.css": "text/css; charset=utf-8"}
COOKIE = "lgforms_designer"
CSRF_HEADER = "x-lgforms-designer"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SESSION_SECONDS = 8 * 3600

_env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))


@dataclass
class Caller:
    """Who is asking and how their previews are made."""

    label: str  # shown in the page header: the municipality
    salt: str  # what previews depend on besides the texts (the tenant and its profile version)
    layout: Callable[[Any, dict], Any]  # (form, payload) -> LaidOutDocument, the mode's rules
    writable: bool
    service: bool


def _ui_font() -> Path:
    from lgforms.resources import font_dir

    return font_dir() / "ipaexg.ttf"


def page_html(caller: Caller, *, mode: str) -> str:
    return _env.get_template("designer.html").render(label=caller.label, mode=mode, writable=caller.writable)


def login_html(message: str | None = None, *, mode: str) -> str:
    return _env.get_template("login.html").render(message=message, mode=mode)


def _html(body: str, status: int = 200, headers: dict | None = None) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers={"Content-Security-Policy": CSP,
                                                           "Referrer-Policy": "no-referrer", **(headers or {})})


def add_routes(app: FastAPI, ws: Workspace, *, who: Callable[[Request], Caller], mode: str,
               login: Callable[[Request, str], str] | None = None, max_pages: int | None = None,
               max_seconds: float | None = None) -> None:
    """The designer's routes on ``app``. ``who(request)`` authenticates (ApiError UNAUTHORIZED
    otherwise); ``login(request, key)`` checks a key and returns the cookie value to keep."""
    r = APIRouter(include_in_schema=False)

    def caller_or_login(request: Request):
        try:
            return who(request), None
        except ApiError as e:
            if e.code != "UNAUTHORIZED":
                raise
            return None, _html(login_html(None, mode=mode), 401, {"WWW-Authenticate": 'Bearer realm="lgforms"'})

    @r.get("/designer")
    def designer(request: Request):
        caller, refused = caller_or_login(request)
        if refused is not None:
            return refused
        return _html(page_html(caller, mode=mode))

    if login is not None:
        @r.post("/designer/login")
        async def do_login(request: Request):
            body = (await request.body()).decode("utf-8", "replace")
            key = (parse_qs(body).get("key") or [""])[0].strip()
            try:
                value = login(request, key)
            except ApiError as e:
                if e.code == "RATE_LIMITED":
                    raise
                return _html(login_html("キーが違うか、無効です。", mode=mode), 401)
            resp = RedirectResponse("/designer", status_code=303)
            resp.set_cookie(COOKIE, value, max_age=SESSION_SECONDS, path="/designer", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
            return resp

    @r.post("/designer/logout")
    def logout(request: Request):
        _csrf(request)
        resp = JSONResponse({"ok": True})
        resp.delete_cookie(COOKIE, path="/designer")
        return resp

    @r.get("/designer/static/{name}")
    def static(name: str):
        if name == "ui-font.ttf":  # IPAexゴシック (bundled): Japanese labels on any machine
            return FileResponse(_ui_font(), media_type="font/ttf", headers={"Cache-Control": "public, max-age=86400"})
        if name not in STATIC:
            raise ApiError(f"no file {name}", code="NOT_FOUND")
        return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name],
                        headers={"Cache-Control": "no-cache"})

    @r.get("/designer/api/forms")
    def forms(request: Request):
        who(request)
        return ws.list()

    @r.get("/designer/api/forms/{form_id}")
    def form_source(request: Request, form_id: str):
        caller = who(request)
        src = ws.source(form_id)
        if caller.service:  # as a core system sends it: no 発行番号, no tenant data
            src["samples"] = _as_request_samples(ws, form_id, src["samples"])
        src["writable"] = caller.writable
        return src

    @r.post("/designer/api/preview")
    def preview(request: Request, body: dict = Body(...)):
        caller = who(request)
        _csrf(request)
        form_id, text, payload = _texts(body)
        page = _int(body.get("page", 1), "page", 1, 10000)
        dpi = _int(body.get("dpi", 96), "dpi", DPI_MIN, DPI_MAX)
        t0 = time.perf_counter()
        form, res = ws.render(form_id, text, payload, salt=caller.salt,
                              layout=_bounded(caller.layout, max_pages, max_seconds))
        t1 = time.perf_counter()
        out: dict[str, Any] = {"ok": res.pdf is not None and not res.errors, "form_id": form_id,
                               "pages": res.pages, "page": min(page, max(res.pages, 1)), "dpi": dpi,
                               "errors": res.errors, "image": None,
                               "load_warnings": form.warnings if form is not None else []}
        if res.inspection is not None:
            out["layout"] = {"pages": res.inspection.pages}
            out["warnings"] = res.inspection.warnings
            out["failed"] = res.inspection.error
        else:
            out["layout"], out["warnings"], out["failed"] = {"pages": []}, [], None
        if form is not None:
            out["title"] = form.title
        if res.pdf is not None:
            out["image"] = png_data_url(page_png(res.pdf, out["page"], dpi))
        t2 = time.perf_counter()
        out["timings_ms"] = {**{k: round(v * 1000, 1) for k, v in res.timings.items()},
                             "render_total": round((t1 - t0) * 1000, 1), "png": round((t2 - t1) * 1000, 1)}
        return out

    @r.post("/designer/api/pdf")
    def pdf(request: Request, body: dict = Body(...)):
        caller = who(request)
        _csrf(request)
        form_id, text, payload = _texts(body)
        form, res = ws.render(form_id, text, payload, salt=caller.salt,
                              layout=_bounded(caller.layout, max_pages, max_seconds))
        if res.pdf is None:
            first = res.errors[0] if res.errors else {"message": "no document"}
            raise ApiError(first["message"], code=first.get("code") or "PAYLOAD_INVALID", path=first.get("path"))
        return Response(res.pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{form_id}.pdf"'})

    @r.post("/designer/api/move")
    def move(request: Request, body: dict = Body(...)):
        caller = who(request)
        _csrf(request)
        if not caller.writable:
            raise ApiError("boxes are moved in the local designer (lgforms designer)", code="TENANT_FORBIDDEN")
        text = body.get("yaml")
        target = body.get("target") or {}
        if not isinstance(text, str) or not isinstance(target, dict):
            raise ApiError("yaml (text) and target are required", code="REQUEST_INVALID")
        d = [_num(body.get(k, 0), k) for k in ("dx", "dy", "dw", "dh")]
        if "flow" in target:
            new = move_flow(text, str(target["flow"]), str(target.get("key", "box")), *d)
        else:
            new = move_element(text, _int(target.get("line"), "target.line", 1, 10**6), str(target.get("key")), *d)
        return {"yaml": new}

    @r.post("/designer/api/save")
    def save(request: Request, body: dict = Body(...)):
        caller = who(request)
        _csrf(request)
        if not caller.writable:
            raise ApiError("the service designer does not write form files", code="TENANT_FORBIDDEN")
        form_id, text = body.get("form_id"), body.get("yaml")
        if not isinstance(form_id, str) or not isinstance(text, str):
            raise ApiError("form_id and yaml are required", code="REQUEST_INVALID")
        return ws.save(form_id, text)

    app.include_router(r)


def _csrf(request: Request) -> None:
    if request.headers.get(CSRF_HEADER) != "1":
        raise ApiError(f"missing header {CSRF_HEADER}: 1 (the designer page sends it)", code="TENANT_FORBIDDEN")


def _texts(body: dict) -> tuple[str, str, str]:
    form_id, text, payload = body.get("form_id"), body.get("yaml"), body.get("payload")
    if not all(isinstance(v, str) for v in (form_id, text, payload)):
        raise ApiError("form_id, yaml and payload (texts) are required", code="REQUEST_INVALID")
    return form_id, text, payload


def _int(v, name: str, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise ArgumentInvalid(f"{name} must be a whole number {lo}–{hi}", detail={"argument": name})
    return v


def _num(v, name: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not -1000 <= v <= 1000:
        raise ArgumentInvalid(f"{name} must be a number of millimetres (−1000–1000)", detail={"argument": name})
    return float(v)


def _bounded(layout, max_pages: int | None, max_seconds: float | None):
    """The service's limits around a designer layout: time (every stage) and pages."""
    if max_pages is None and max_seconds is None:
        return layout

    def run(form, payload):
        from lgforms.errors import LimitExceeded
        from lgforms.limits import deadline_scope

        with deadline_scope(time.perf_counter() + max_seconds if max_seconds else None):
            doc = layout(form, payload)
        if max_pages is not None and len(doc.pages) > max_pages:
            raise LimitExceeded(f"document has {len(doc.pages)} pages; the limit is {max_pages}")
        return doc

    return run


def _as_request_samples(ws: Workspace, form_id: str, samples: dict[str, str]) -> dict[str, str]:
    from ..payloads import as_request

    try:
        form = ws.catalog.get(form_id)
    except FormSpecInvalid:
        return samples
    out = {}
    for k, v in samples.items():
        try:
            out[k] = json.dumps(as_request(form, json.loads(v)), ensure_ascii=False, indent=2) + "\n"
        except ValueError:
            out[k] = v
    return out


# ---------------------------------------------------------------------------------------------
# local mode: lgforms designer


def local_app(forms_dir: str | Path, *, tenant: str | None = None, token: str | None = None,
              port: int | None = None) -> tuple[FastAPI, str]:
    """The single-user designer on 127.0.0.1: (app, token). Open ``/designer?token=…`` once."""
    from lgforms.render import layout as lg_layout
    from lgforms.render import _tenant

    from .. import errors as api_errors

    token = token or secrets.token_urlsafe(24)
    ws = Workspace(forms_dir, writable=True, untrusted=False)
    profile = _tenant(tenant)  # TENANT_INVALID now, not at the first preview
    app = FastAPI(title="lgforms designer", docs_url=None, redoc_url=None, openapi_url=None)
    api_errors.install(app)
    caller = Caller(label=f"{profile.name}（{'デモ自治体' if tenant is None else 'テナント設定'}）",
                    salt=f"local:{tenant or 'demo'}",
                    layout=lambda form, payload: lg_layout(form, payload, tenant=tenant),
                    writable=True, service=False)

    @app.middleware("http")
    async def loopback_only(request: Request, call_next):
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if host not in ("127.0.0.1", "localhost", "::1"):
            return JSONResponse({"code": "TENANT_FORBIDDEN", "message": "the local designer answers only to "
                                 "127.0.0.1 / localhost", "path": None}, status_code=403)
        if request.url.path == "/designer" and request.query_params.get("token"):
            if not hmac.compare_digest(request.query_params["token"], token):
                return _html(login_html("トークンが違います。起動時に表示された URL を開いてください。", mode="local"), 401)
            resp = RedirectResponse("/designer", status_code=303)
            resp.set_cookie(COOKIE, token, path="/designer", httponly=True, samesite="strict")
            return resp
        return await call_next(request)

    def who(request: Request) -> Caller:
        got = request.cookies.get(COOKIE, "")
        if not got or not hmac.compare_digest(got, token):
            raise ApiError("open the URL lgforms designer printed (it carries the token)", code="UNAUTHORIZED")
        return caller

    add_routes(app, ws, who=who, mode="local")
    return app, token
