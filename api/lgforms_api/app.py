"""The lgforms REST service: many municipalities, one shared service (DESIGN §5, §7).

Every /v1 call (but /v1/admin) authenticates with an API key (``Authorization: Bearer lgf_…``)
that belongs to exactly one tenant; everything a call reads or uses — profile, 公印, issue log —
is that tenant's. Another tenant's ids answer 404, exactly like ids that do not exist. The only
exception is the shared-use group rule: a member may issue a 罹災証明書 in the name of another
member (``?on_behalf_of=``), and nothing else.
"""


import base64
import binascii
import hmac
import logging
import secrets
import time
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

import lgforms
from lgforms.codes import wareki
from lgforms.errors import (
    CustomizationNotAllowed,
    PayloadInvalid,
    TenantForbidden,
    TenantInvalid,
)
from lgforms.moji.mj import check_text
from lgforms.render import layout as lg_layout
from lgforms.render import DPI_MAX, DPI_MIN, render_result, stacks_for
from lgforms.spec.catalog import Catalog
from lgforms.tenants.profile import TenantProfile, make_profile
from lgforms.tenants.store import GROUP_PURPOSES, NotFound, TenantStore

from . import errors
from .errors import ApiError
from .metrics import CONTENT_TYPE, Metrics
from .payloads import tenant_fields
from .ratelimit import RateLimiter
from .settings import Settings

log = logging.getLogger("lgforms.api")
bearer = HTTPBearer(auto_error=False, description="API key of one municipality (lgf_…)")
admin_bearer = HTTPBearer(auto_error=False, scheme_name="AdminToken", description="service operator token")

# Top-level payload keys that would change a form rather than fill it (customization guard).
RESERVED_KEYS = frozenset({"tenant", "layout", "form", "overrides", "style", "styles", "pages", "fonts", "title"})
FormId = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{1,63}$", description="form id, e.g. juki_jyuminhyo_setai")]
TenantCode = Annotated[str, Path(pattern=r"^[0-9]{6}$", description="全国地方公共団体コード (6 digits)")]


# -- request / response models ---------------------------------------------------------------
class ErrorBody(BaseModel):
    code: str
    message: str
    path: str | None = None
    detail: dict[str, Any] | None = None


class MojiCheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=2000)


class SealUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    png_base64: str = Field(max_length=2_000_000)
    size_mm: float = Field(gt=0, le=30)


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field("", max_length=100)


class GroupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    purpose: str = Field(description=f"one of: {', '.join(GROUP_PURPOSES)}")


ERRORS = {s: {"model": ErrorBody} for s in (401, 403, 404, 413, 422, 429)}


def _issue_number(seq: int) -> str:
    """R08-0000123: the era year of the issue date (JST) and the tenant's running number."""
    import datetime as dt

    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()
    era_year = wareki(today, fmt="short").split(".")[0]  # "R8"
    return f"{era_year[0]}{int(era_year[1:]):02d}-{seq:07d}"


class BodyLimit:
    """ASGI middleware: refuse bodies over the limit while they stream in (413)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for k, v in scope.get("headers", ()):
            if k == b"content-length" and v.isdigit() and int(v) > self.limit:
                return await _too_large(send, self.limit)
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge()
            return msg

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send, self.limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send, limit: int) -> None:
    import json

    body = json.dumps(errors.error_body("LIMIT_EXCEEDED", f"request body over {limit} bytes")).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    store = TenantStore(settings.db_path)
    catalog = Catalog()
    metrics = Metrics()
    limiter = RateLimiter(settings.rate_per_second, settings.rate_burst)
    app = FastAPI(title="lgforms", version=lgforms.__version__,
                  description="Standard forms of Japanese local governments as PDF / PNG, for core systems.")
    app.state.store, app.state.settings, app.state.metrics = store, settings, metrics
    errors.install(app)

    @app.middleware("http")
    async def observe(request: Request, call_next):
        t0 = time.perf_counter()
        request.state.rid = secrets.token_hex(6)
        response = await call_next(request)
        route = request.scope.get("route")
        name = getattr(route, "path", "unmatched")
        dt_s = time.perf_counter() - t0
        metrics.requests.labels(request.method, name, str(response.status_code)).inc()
        metrics.latency.labels(name).observe(dt_s)
        code = getattr(request.state, "error_code", None)
        if code:
            metrics.errors.labels(code).inc()
        # one line per request; never the payload, never a name: ids, route, status, time
        log.info("rid=%s tenant=%s %s %s -> %s %s %.1fms", request.state.rid,
                 getattr(request.state, "tenant", "-"), request.method, name, response.status_code,
                 code or "", dt_s * 1000)
        response.headers["X-Request-Id"] = request.state.rid
        return response

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    # -- auth ----------------------------------------------------------------------------------
    def tenant_of(request: Request, cred: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
        if cred is None or not cred.credentials:
            raise ApiError("an API key is required (Authorization: Bearer lgf_…)", code="UNAUTHORIZED")
        code = store.tenant_for_key(cred.credentials)
        if code is None:
            raise ApiError("unknown or revoked API key", code="UNAUTHORIZED")
        wait = limiter.take(code + ":" + cred.credentials[-8:])
        if wait:
            e = ApiError(f"rate limit: retry in {wait:.2f} s", code="RATE_LIMITED")
            e.headers = {"Retry-After": str(max(1, round(wait)))}
            raise e
        request.state.tenant = code
        return code

    def admin(cred: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)]) -> None:
        token = settings.admin_token
        if not token or cred is None or not hmac.compare_digest(cred.credentials.encode(), token.encode()):
            raise ApiError("the admin API needs the operator token", code="UNAUTHORIZED")

    Tenant = Annotated[str, Depends(tenant_of)]

    def own(tenant: str, code: str) -> str:
        if code != tenant:  # another tenant's id looks exactly like an id that does not exist
            raise NotFound(f"no tenant {code}", path="code")
        return code

    # -- health and metrics --------------------------------------------------------------------
    @app.get("/healthz", tags=["service"])
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["service"], responses={503: {"model": ErrorBody}})
    def readyz():
        try:
            store.tenant_codes()
            ids = catalog.ids()
            for i in ids:
                catalog.get(i)
            from lgforms.moji.fonts import default_stacks

            for st in default_stacks().values():
                st.fonts[0].ensure_loaded()
        except Exception as e:  # noqa: BLE001 - report, do not crash the probe
            return JSONResponse(errors.error_body("NOT_READY", f"{type(e).__name__}"), status_code=503)
        return {"status": "ready", "forms": len(ids)}

    @app.get("/metrics", tags=["service"], response_class=Response,
             responses={200: {"content": {CONTENT_TYPE: {}}}})
    def metrics_endpoint():
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    # -- forms ---------------------------------------------------------------------------------
    @app.get("/v1/forms", tags=["forms"], responses=ERRORS)
    def list_forms(tenant: Tenant) -> list[dict]:
        return catalog.list()

    @app.get("/v1/forms/{form_id}", tags=["forms"], responses=ERRORS)
    def get_form(form_id: FormId, tenant: Tenant) -> dict:
        form = catalog.get(form_id)
        return {**form.summary(), "schema": form.schema, "sample": form.sample() if form.samples else None}

    def _guard(form, payload: Any) -> dict:
        """The customization guard for requests: a payload fills the form's data fields only.
        Keys that would change the form, and fields marked ``x-tenant`` in the form's schema (the
        issuer line, contacts: the municipality's own data) come from the tenant profile."""
        if not isinstance(payload, dict):
            raise PayloadInvalid("payload must be a JSON object", path="$")
        bad = sorted(k for k in payload if k in RESERVED_KEYS)
        if bad:
            raise CustomizationNotAllowed(
                f"'{bad[0]}' would change the form, not fill it: standard forms have one layout for every "
                f"municipality, and a tenant fills only the tenant.* slots a form declares", path=f"$.{bad[0]}")
        own = sorted(tenant_fields(form) & payload.keys())
        if own:
            raise CustomizationNotAllowed(
                f"'{own[0]}' is the municipality's own data: the service takes it from the tenant profile",
                path=f"$.{own[0]}")
        return payload

    def _owner(tenant: str, form_id: str, on_behalf_of: str | None) -> str:
        if not on_behalf_of or on_behalf_of == tenant:
            return tenant
        if store.may_issue_for(tenant, on_behalf_of, form_id):
            return on_behalf_of
        if store.shares_group(tenant, on_behalf_of):
            raise TenantForbidden("members of a shared-use group may issue only the 罹災証明書 for each other",
                                  path="on_behalf_of")
        raise NotFound(f"no tenant {on_behalf_of}", path="on_behalf_of")

    @app.post("/v1/forms/{form_id}/validate", tags=["forms"], responses=ERRORS)
    def validate(form_id: FormId, tenant: Tenant, payload: Annotated[dict[str, Any], Body()]) -> dict:
        form = catalog.get(form_id)
        _guard(form, payload)
        doc = lg_layout(form, payload, tenant=store.tenant(tenant), catalog=catalog)
        return {"ok": True, "pages": len(doc.pages), "warnings": doc.warnings}

    @app.post("/v1/forms/{form_id}/render", tags=["forms"], response_class=Response,
              responses={200: {"content": {"application/pdf": {}, "image/png": {}},
                               "description": "the document (PDF) or one page (PNG)"},
                         406: {"model": ErrorBody}, **ERRORS})
    def render(form_id: FormId, tenant: Tenant, payload: Annotated[dict[str, Any], Body()],
               page: Annotated[int, Query(ge=1, le=10000, description="page for image/png")] = 1,
               dpi: Annotated[int, Query(ge=DPI_MIN, le=DPI_MAX)] = 100,
               on_behalf_of: Annotated[str | None, Query(pattern=r"^[0-9]{6}$",
                                                         description="issue for another group member (罹災証明書)")] = None,
               accept: Annotated[str | None, Header()] = None):
        fmt = _negotiate(accept)
        form = catalog.get(form_id)
        _guard(form, payload)
        owner = _owner(tenant, form_id, on_behalf_of)
        profile = store.tenant(owner)
        issue: dict[str, Any] = {}
        if owner != tenant:
            issue["proxy_name"] = store.tenant(tenant).name
        deadline = time.perf_counter() + settings.max_render_seconds
        headers: dict[str, str] = {}

        def run(pl: dict, iss: dict, f: str):
            return render_result(form, pl, tenant=profile, format=f, page=page, dpi=dpi, catalog=catalog,
                                 issue=iss, max_pages=settings.max_pages, deadline=deadline)

        if form.meta.kind == "certificate" and fmt == "pdf":
            if payload.get("issue_no"):
                raise PayloadInvalid("the 発行番号 of a certificate is assigned by the service; leave issue_no out",
                                     path="$.issue_no")

            done: dict[str, Any] = {}

            def issue_with(seq: int):
                number = _issue_number(seq)
                pl = {**payload, "issue_no": number} if "issue_no" in form.schema.get("properties", {}) else payload
                done["res"] = res = run(pl, {**issue, "number": number}, "pdf")
                return number, res.data, res.pages

            entry, data = store.issue(owner, form_id, tenant, issue_with)
            res = done["res"]
            headers.update({"X-Lgforms-Issue-Id": entry.public_id, "X-Lgforms-Issue-No": entry.issue_no})
        else:  # notices, and PNG previews (a preview is not an issued certificate: no 発行番号)
            res = run(payload, issue, fmt)
            data = res.data
        metrics.pages.labels(form_id).inc(res.pages)
        headers["X-Lgforms-Pages"] = str(res.pages)
        if res.warnings:
            import json

            headers["X-Lgforms-Warnings"] = json.dumps(res.warnings, ensure_ascii=True)
        return Response(data, media_type=res.media_type, headers=headers)

    @app.post("/v1/moji/check", tags=["moji"], responses=ERRORS)
    def moji_check(tenant: Tenant, req: MojiCheckRequest) -> dict:
        profile = store.tenant(tenant)
        rows = check_text(req.text, stack=stacks_for(profile)["mincho"], allow_ivs_fallback=profile.allow_ivs_fallback)
        return {"ok": all(r["ok"] for r in rows), "clusters": rows}

    # -- the tenant's own data -------------------------------------------------------------------
    @app.get("/v1/tenants/{code}", tags=["tenant"], responses=ERRORS)
    def get_tenant(code: TenantCode, tenant: Tenant) -> dict:
        return _public_profile(store.tenant(own(tenant, code)))

    @app.get("/v1/tenants/{code}/seal", tags=["tenant"], response_class=Response,
             responses={200: {"content": {"image/png": {}}}, **ERRORS})
    def get_seal(code: TenantCode, tenant: Tenant):
        p = store.tenant(own(tenant, code))
        if p.seal is None:
            raise NotFound("this tenant has no seal")
        return Response(p.seal.png, media_type="image/png")

    @app.get("/v1/tenants/{code}/issues", tags=["tenant"], responses=ERRORS)
    def list_issues(code: TenantCode, tenant: Tenant,
                    after: Annotated[int, Query(ge=0)] = 0,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict]:
        return [e.to_dict() for e in store.issues(own(tenant, code), limit=limit, after_seq=after)]

    @app.get("/v1/tenants/{code}/issues/{issue_id}", tags=["tenant"], responses=ERRORS)
    def get_issue(code: TenantCode, issue_id: Annotated[str, Path(max_length=64)], tenant: Tenant) -> dict:
        return store.issue_entry(own(tenant, code), issue_id).to_dict()

    # -- operator (admin) API ----------------------------------------------------------------------
    Admin = Annotated[None, Depends(admin)]

    @app.post("/v1/admin/tenants", tags=["admin"], status_code=201, responses=ERRORS)
    def admin_put_tenant(_: Admin, profile: Annotated[dict[str, Any], Body()]) -> dict:
        return _public_profile(store.put_tenant(_profile_from(profile)))

    @app.put("/v1/admin/tenants/{code}/seal", tags=["admin"], responses=ERRORS)
    def admin_set_seal(code: TenantCode, _: Admin, seal: SealUpload) -> dict:
        try:
            png = base64.b64decode(seal.png_base64, validate=True)
        except (binascii.Error, ValueError):
            raise TenantInvalid("png_base64 is not valid base64", path="$.png_base64") from None
        return _public_profile(store.set_seal(code, png, (seal.size_mm, seal.size_mm)))

    @app.post("/v1/admin/tenants/{code}/keys", tags=["admin"], status_code=201, responses=ERRORS)
    def admin_add_key(code: TenantCode, _: Admin, req: KeyRequest) -> dict:
        return {"tenant": code, "key": store.add_key(code, req.label),
                "note": "store this key now: only its hash is kept"}

    @app.post("/v1/admin/groups", tags=["admin"], status_code=201, responses=ERRORS)
    def admin_add_group(_: Admin, req: GroupRequest) -> dict:
        store.add_group(req.name, req.purpose)
        return {"name": req.name, "purpose": req.purpose}

    @app.put("/v1/admin/groups/{name}/members/{code}", tags=["admin"], responses=ERRORS)
    def admin_add_member(name: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$")], code: TenantCode,
                         _: Admin) -> dict:
        store.add_member(name, code)
        return {"group": name, "member": code}

    return app


def _negotiate(accept: str | None) -> str:
    if not accept:
        return "pdf"
    kinds = [a.split(";")[0].strip().lower() for a in accept.split(",")]
    for k in kinds:
        if k in ("application/pdf", "*/*", "application/*"):
            return "pdf"
        if k in ("image/png", "image/*"):
            return "png"
    raise ApiError("Accept must allow application/pdf or image/png", code="NOT_ACCEPTABLE")


def _public_profile(p: TenantProfile) -> dict:
    d = p.model_dump(mode="json", exclude={"seal", "fonts"})
    d["seal"] = {"size_mm": list(p.seal.size_mm)} if p.seal else None
    return d


def _profile_from(raw: dict) -> TenantProfile:
    allowed = set(TenantProfile.model_fields) - {"fonts"}
    extra = sorted(set(raw) - allowed)
    if extra:
        raise CustomizationNotAllowed(
            f"'{extra[0]}' is not a tenant slot: a municipality may set only {', '.join(sorted(allowed))}; "
            f"layouts, titles and wording of standard forms are the same for every municipality",
            path=f"$.{extra[0]}")
    if "seal" in raw:
        raise TenantInvalid("set the seal with PUT /v1/admin/tenants/{code}/seal", path="$.seal")
    return make_profile(raw)
