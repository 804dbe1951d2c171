"""The lgforms REST service: many municipalities, one shared service (DESIGN §5, §7).

Every /v1 call (but /v1/admin) authenticates with an API key (``Authorization: Bearer lgf_…``)
that belongs to exactly one tenant; everything a call reads or uses — profile, 公印, issue log —
is that tenant's. Another tenant's ids answer 404, exactly like ids that do not exist. The only
exception is the shared-use group rule: a member may issue a 罹災証明書 in the name of another
member (``?on_behalf_of=``), and nothing else.

Certificates: a PDF is an issuance — the next 発行番号, logged with the document's sha256; a PNG
is a 見本 (no 公印, marked, no number, not logged). Issuance takes the database lock only to take
the number and to log the result (see ``lgforms.tenants.store``), never during the render, and an
``Idempotency-Key`` makes a retry return the same number and document.
"""


import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import time
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

import lgforms
from lgforms.codes import wareki
from lgforms.errors import CustomizationNotAllowed, LgformsError, LimitExceeded, TenantForbidden, TenantInvalid
from lgforms.limits import deadline_scope
from lgforms.moji.mj import check_text
from lgforms.render import layout as lg_layout
from lgforms.render import render_result, stacks_for
from lgforms.spec.catalog import Catalog
from lgforms.tenants.guard import check_payload
from lgforms.tenants.profile import TenantProfile, make_profile
from lgforms.tenants.store import GROUP_PURPOSES, JST, NotFound, TenantStore

from . import errors, params
from .batches import BATCH_PREFIX, build_router, max_batch_bytes
from .errors import ApiError
from .metrics import CONTENT_TYPE, Metrics
from .observe import Observe
from .payloads import issued_fields
from .ratelimit import RateLimiter
from .settings import Settings

bearer = HTTPBearer(auto_error=False, description="API key of one municipality (lgf_…)")
admin_bearer = HTTPBearer(auto_error=False, scheme_name="AdminToken", description="service operator token")

FormId = Annotated[str, Path(**params.FORM_ID)]
TenantCode = Annotated[str, Path(pattern=r"^[0-9]{6}$", description="全国地方公共団体コード (6 digits)")]
IssueId = Annotated[str, Path(pattern=r"^iss_[A-Za-z0-9_-]{1,40}$", description="issue id (iss_…)")]
KeyId = Annotated[str, Path(pattern=r"^key_[0-9a-f]{12}$", description="API key id (key_…)")]
Day = Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="YYYY-MM-DD (JST)")]
INT64_MAX = 2**63 - 1


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


class FontUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    ttf_base64: str = Field(max_length=44_000_000)


class FontsUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fonts: list[FontUpload] = Field(max_length=4)


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field("", max_length=100)


class RotateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grace_seconds: int = Field(0, ge=0, le=30 * 86400, description="the old key keeps working this long")


class GroupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    purpose: str = Field(description=f"one of: {', '.join(GROUP_PURPOSES)}")


class VoidRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=200, description="why the number is void (書損: 印刷不良, 記載誤り …)")


class DeliveredRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$", description="sha256 of the PDF as received")


ERRORS = {s: {"model": ErrorBody} for s in (401, 403, 404, 409, 413, 422, 429)}


def _issue_number(seq: int) -> str:
    """R08-0000123: the era year of the issue date (JST) and the tenant's running number."""
    today = dt.datetime.now(JST).date()
    era_year = wareki(today, fmt="short").split(".")[0]  # "R8"
    return f"{era_year[0]}{int(era_year[1:]):02d}-{seq:07d}"


def _request_hash(form_id: str, owner: str, payload: dict) -> str:
    """What an Idempotency-Key is bound to: form, owner and payload (canonical JSON, hashed —
    the log keeps no payload)."""
    canon = json.dumps([form_id, owner, payload], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode()).hexdigest()


def _warm(catalog: Catalog) -> None:
    try:
        catalog.list()  # a broken form is listed as broken, not fatal
        from lgforms.moji.fonts import default_stacks

        default_stacks()
    except Exception:  # noqa: BLE001 - requests report whatever is wrong with a form
        pass
    import gc

    # the forms and fonts live as long as the worker: out of the collector's generations, so that
    # its collections during requests scan only the requests' own objects (as a batch worker does)
    gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    store = TenantStore(settings.db_path)
    catalog = Catalog()
    # load and check every form in the background as the worker starts (50 forms take seconds):
    # the first request does not pay for it, /readyz answers ready once it is done
    import threading

    threading.Thread(target=_warm, args=(catalog,), name="lgforms-warm", daemon=True).start()
    metrics = Metrics()
    limiter = RateLimiter(settings.rate_per_second, settings.rate_burst)
    auth_failures = RateLimiter(settings.auth_fail_per_second, settings.auth_fail_burst)
    app = FastAPI(title="lgforms", version=lgforms.__version__,
                  description="Standard forms of Japanese local governments as PDF / PNG, for core systems.")
    app.state.store, app.state.settings, app.state.metrics = store, settings, metrics
    errors.install(app)
    app.add_middleware(Observe, metrics=metrics, max_body_bytes=settings.max_body_bytes, router_app=app,
                       streamed={BATCH_PREFIX: max_batch_bytes()})

    # -- auth ----------------------------------------------------------------------------------
    def _refuse_if_blocked(request: Request) -> str:
        client = request.client.host if request.client else "-"
        wait = auth_failures.wait(client)
        if wait:  # too many failed attempts from this address: no key is even looked at
            e = ApiError(f"too many failed authentications; retry in {wait:.0f} s", code="RATE_LIMITED")
            e.headers = {"Retry-After": str(max(1, round(wait)))}
            raise e
        return client

    def _failed(client: str, message: str) -> ApiError:
        auth_failures.take(client)
        return ApiError(message, code="UNAUTHORIZED")

    def authenticate(request: Request, cred: HTTPAuthorizationCredentials | None) -> tuple[str, int]:
        """(tenant, profile version) of the caller's key. Called in the route's own worker thread
        (one thread hop per request, not one per dependency)."""
        client = _refuse_if_blocked(request)
        if cred is None or not cred.credentials:
            raise _failed(client, "an API key is required (Authorization: Bearer lgf_…)")
        hit = store.authenticate(cred.credentials)
        if hit is None:
            raise _failed(client, "unknown, revoked or expired API key")
        code, version = hit
        wait = limiter.take(code + ":" + cred.credentials[-8:])
        if wait:
            e = ApiError(f"rate limit: retry in {wait:.2f} s", code="RATE_LIMITED")
            e.headers = {"Retry-After": str(max(1, round(wait)))}
            raise e
        request.state.tenant = code
        return code, version

    def tenant_of(request: Request, cred: HTTPAuthorizationCredentials | None) -> str:
        return authenticate(request, cred)[0]

    def admin(request: Request, cred: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)]) -> None:
        client = _refuse_if_blocked(request)
        token = settings.admin_token
        if not token or cred is None or not hmac.compare_digest(cred.credentials.encode(), token.encode()):
            raise _failed(client, "the admin API needs the operator token")

    Key = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    Admin = Annotated[None, Depends(admin)]

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
            store.check_writable()  # a read-only database cannot issue: not ready
            ids = catalog.ids()
            for i in ids:
                catalog.get(i)
            from lgforms.moji.fonts import default_stacks

            for st in default_stacks().values():
                st.fonts[0].ensure_loaded()
        except Exception as e:  # noqa: BLE001 - report, do not crash the probe
            return JSONResponse(errors.error_body("NOT_READY", f"{type(e).__name__}: not ready"), status_code=503)
        return {"status": "ready", "forms": len(ids), "store": store.dialect}

    @app.get("/metrics", tags=["service"], response_class=Response,
             responses={200: {"content": {CONTENT_TYPE: {}}}})
    def metrics_endpoint():
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    # -- forms ---------------------------------------------------------------------------------
    @app.get("/v1/forms", tags=["forms"], responses=ERRORS)
    def list_forms(request: Request, cred: Key) -> list[dict]:
        tenant_of(request, cred)
        return catalog.list()

    @app.get("/v1/forms/{form_id}", tags=["forms"], responses=ERRORS)
    def get_form(request: Request, form_id: FormId, cred: Key) -> dict:
        """The form's JSON Schema and a sample payload as a core system sends it (the fields the
        service fills itself left out: the sample is accepted by validate and render)."""
        from .payloads import as_request

        tenant_of(request, cred)
        form = catalog.get(form_id)
        return {**form.summary(), "schema": form.schema,
                "sample": as_request(form, form.sample()) if form.samples else None}

    def _owner(tenant: str, form_id: str, on_behalf_of: str | None) -> str:
        if not on_behalf_of or on_behalf_of == tenant:
            return tenant
        if store.may_issue_for(tenant, on_behalf_of, form_id):
            return on_behalf_of
        if store.shares_group(tenant, on_behalf_of):
            raise TenantForbidden("members of a shared-use group may issue only the 罹災証明書 for each other",
                                  path="on_behalf_of")
        raise NotFound(f"no tenant {on_behalf_of}", path="on_behalf_of")

    def _prepare(request: Request, cred, form_id: str, payload: Any, on_behalf_of: str | None):
        """What /validate and /render share, so that they accept and refuse exactly the same
        requests: auth, form, owner (group rule), customization guard, issue context."""
        tenant, version = authenticate(request, cred)
        form = catalog.get(form_id)
        owner = _owner(tenant, form_id, on_behalf_of)
        profile = store.tenant(owner, version=version if owner == tenant else None)
        check_payload(form, payload, tenant_given=True, service_owned=issued_fields(form))
        issue: dict[str, Any] = {}
        if owner != tenant:
            issue["proxy_name"] = store.tenant(tenant).name
        return tenant, form, owner, profile, issue

    # /validate and /render read their query, headers and body by hand (params.py: one pydantic
    # call each, the body Observe parsed), then work in one thread hop
    @app.post("/v1/forms/{form_id}/validate", tags=["forms"], responses=ERRORS,
              openapi_extra=params.openapi(bearer.scheme_name, params.DocumentPath, params.DocumentQuery))
    async def validate(request: Request) -> dict:
        """Everything /render checks — guard, group rule, schema, values, characters, fitting
        (with a 発行番号 of full length for a certificate), page limit, time limit — without a
        document and without taking a number."""
        form_id = params.path(request, params.DocumentPath).form_id
        q = params.query(request, params.DocumentQuery)
        payload = await params.body(request)
        return await run_in_threadpool(_validate, request, form_id, params.bearer(request), payload, q.on_behalf_of)

    def _validate(request: Request, form_id: str, cred, payload: dict, on_behalf_of: str | None) -> dict:
        tenant, form, owner, profile, issue = _prepare(request, cred, form_id, payload, on_behalf_of)
        if form.meta.kind == "certificate":
            issue["number"] = _issue_number(0)
        deadline = time.perf_counter() + settings.max_render_seconds
        with deadline_scope(deadline):
            doc = lg_layout(form, _numbered(form, payload, issue.get("number")), tenant=profile, catalog=catalog,
                            issue=issue)
        if len(doc.pages) > settings.max_pages:
            raise LimitExceeded(f"document has {len(doc.pages)} pages; the limit is {settings.max_pages}")
        return {"ok": True, "pages": len(doc.pages), "warnings": doc.warnings}

    @app.post("/v1/forms/{form_id}/render", tags=["forms"], response_class=Response,
              responses={200: {"content": {"application/pdf": {}, "image/png": {}},
                               "description": "the document (PDF) or one page (PNG; of a certificate: a 見本)"},
                         406: {"model": ErrorBody}, **ERRORS},
              openapi_extra=params.openapi(bearer.scheme_name, params.DocumentPath, params.RenderQuery,
                                           params.RenderHeaders))
    async def render(request: Request):
        form_id = params.path(request, params.DocumentPath).form_id
        q = params.query(request, params.RenderQuery)
        h = params.headers(request, params.RenderHeaders)
        payload = await params.body(request)
        return await run_in_threadpool(_render, request, form_id, params.bearer(request), payload, q, h)

    def _render(request: Request, form_id: str, cred, payload: dict, q: params.RenderQuery,
                h: params.RenderHeaders) -> Response:
        fmt = _negotiate(h.accept)
        tenant, form, owner, profile, issue = _prepare(request, cred, form_id, payload, q.on_behalf_of)
        deadline = time.perf_counter() + settings.max_render_seconds
        headers: dict[str, str] = {}

        def run(pl: dict, iss: dict, f: str, deterministic: bool = False):
            return render_result(form, pl, tenant=profile, format=f, page=q.page, dpi=q.dpi, catalog=catalog,
                                 issue=iss, max_pages=settings.max_pages, deadline=deadline,
                                 deterministic=deterministic)

        if form.meta.kind != "certificate":
            res = run(payload, issue, fmt)
        elif fmt == "png":  # a preview of a certificate is a 見本: no 公印, marked, no number, no log
            res = run(payload, {**issue, "specimen": True}, "png")
            headers["X-Lgforms-Specimen"] = "true"
        else:
            res, entry, replay = _issue(tenant, form, owner, profile, payload, issue, h.idempotency_key, deadline, run)
            headers.update({"X-Lgforms-Issue-Id": entry.public_id, "X-Lgforms-Issue-No": entry.issue_no})
            if replay:
                headers["Idempotent-Replayed"] = "true"
        metrics.pages.labels(form_id).inc(res.pages)
        headers["X-Lgforms-Pages"] = str(res.pages)
        if res.warnings:
            headers["X-Lgforms-Warnings"] = json.dumps(res.warnings, ensure_ascii=True)
        return Response(res.data, media_type=res.media_type, headers=headers)

    def _issue(tenant, form, owner, profile, payload, issue, idem_key, deadline, run):
        """Issue a certificate: check everything with a placeholder number (a bad payload takes no
        number), take the number (short transaction), render outside any lock, log the sha256.
        A render that fails after the number was taken voids it with the reason (the log keeps
        no gap); a replay (same Idempotency-Key) renders the same number to the same bytes."""
        placeholder = _issue_number(0)
        with deadline_scope(deadline):
            lg_layout(form, _numbered(form, payload, placeholder), tenant=profile, catalog=catalog,
                      issue={**issue, "number": placeholder})
        rh = _request_hash(form.id, owner, payload) if idem_key else None
        r = store.reserve_issue(owner, form.id, tenant, _issue_number, idem_key=idem_key, request_hash=rh)
        entry = r.entry
        metrics.issues.labels("replayed" if r.replay else "numbered").inc()
        try:
            res = run(_numbered(form, payload, entry.issue_no), {**issue, "number": entry.issue_no}, "pdf",
                      deterministic=True)
        except LgformsError as e:
            if not r.replay:
                store.void_issue(owner, entry.public_id, f"not rendered ({e.code}): voided by the service",
                                 by="lgforms")
                metrics.issues.labels("voided_on_error").inc()
            raise
        entry = store.complete_issue(owner, entry.public_id, hashlib.sha256(res.data).hexdigest(), res.pages)
        return res, entry, r.replay

    @app.post("/v1/moji/check", tags=["moji"], responses=ERRORS)
    def moji_check(request: Request, cred: Key, req: MojiCheckRequest) -> dict:
        tenant, version = authenticate(request, cred)
        profile = store.tenant(tenant, version=version)
        rows = check_text(req.text, stack=stacks_for(profile)["mincho"], allow_ivs_fallback=profile.allow_ivs_fallback)
        return {"ok": all(r["ok"] for r in rows), "clusters": rows}

    # -- the tenant's own data -------------------------------------------------------------------
    @app.get("/v1/tenants/{code}", tags=["tenant"], responses=ERRORS)
    def get_tenant(request: Request, code: TenantCode, cred: Key) -> dict:
        return _public_profile(store.tenant(own(tenant_of(request, cred), code)))

    @app.get("/v1/tenants/{code}/seal", tags=["tenant"], response_class=Response,
             responses={200: {"content": {"image/png": {}}}, **ERRORS})
    def get_seal(request: Request, code: TenantCode, cred: Key):
        p = store.tenant(own(tenant_of(request, cred), code))
        if p.seal is None:
            raise NotFound("this tenant has no seal")
        return Response(p.seal.png, media_type="image/png")

    @app.get("/v1/tenants/{code}/issues", tags=["tenant"], responses=ERRORS)
    def list_issues(request: Request, code: TenantCode, cred: Key,
                    after: Annotated[int, Query(ge=0, le=INT64_MAX, description="seq to list after")] = 0,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict]:
        return [e.to_dict() for e in store.issues(own(tenant_of(request, cred), code), limit=limit, after_seq=after)]

    @app.get("/v1/tenants/{code}/issues/{issue_id}", tags=["tenant"], responses=ERRORS)
    def get_issue(request: Request, code: TenantCode, issue_id: IssueId, cred: Key) -> dict:
        return store.issue_entry(own(tenant_of(request, cred), code), issue_id).to_dict()

    @app.post("/v1/tenants/{code}/issues/{issue_id}/delivered", tags=["tenant"], responses=ERRORS)
    def issue_delivered(request: Request, code: TenantCode, issue_id: IssueId, cred: Key,
                        req: DeliveredRequest) -> dict:
        """The core system confirms it received the PDF (its sha256). Until then an issued number
        is open in the reconciliation view. Also for the member that issued it for ``code``."""
        tenant = tenant_of(request, cred)
        e = store.confirm_delivery(tenant, issue_id, req.sha256)
        if e.owner != code:
            raise NotFound(f"no issue {issue_id}", path="issue_id")
        return e.to_dict()

    @app.post("/v1/tenants/{code}/issues/{issue_id}/void", tags=["tenant"], responses=ERRORS)
    def issue_void(request: Request, code: TenantCode, issue_id: IssueId, cred: Key, req: VoidRequest) -> dict:
        """Mark an issued number void (書損) with the reason. The number stays in the log."""
        tenant = tenant_of(request, cred)
        e = store._visible_entry(tenant, issue_id)
        if e.owner != code:
            raise NotFound(f"no issue {issue_id}", path="issue_id")
        return store.void_issue(tenant, issue_id, req.reason).to_dict()

    @app.get("/v1/tenants/{code}/reconciliation", tags=["tenant"], responses=ERRORS)
    def reconciliation(request: Request, code: TenantCode, cred: Key, day_from: Annotated[Day, Query(alias="from")] = None,
                       day_to: Annotated[Day, Query(alias="to")] = None) -> dict:
        """Per day (JST): numbers issued, delivered (receipt confirmed), void, and open — issued
        but neither delivered nor void, e.g. the PDF never reached the core system — with the
        open entries listed."""
        owner = own(tenant_of(request, cred), code)
        today = dt.datetime.now(JST).date()
        try:
            d0 = dt.date.fromisoformat(day_from) if day_from else today
            d1 = dt.date.fromisoformat(day_to) if day_to else today
        except ValueError:
            raise ApiError("from/to must be dates (YYYY-MM-DD)", code="REQUEST_INVALID", path="from") from None
        if d1 < d0 or (d1 - d0).days > 366:
            raise ApiError("from..to must be a range of at most 367 days", code="REQUEST_INVALID", path="to")
        return store.reconciliation(owner, d0.isoformat(), d1.isoformat())

    # -- operator (admin) API ----------------------------------------------------------------------
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

    @app.put("/v1/admin/tenants/{code}/fonts", tags=["admin"], responses=ERRORS)
    def admin_set_fonts(code: TenantCode, _: Admin, req: FontsUpload) -> dict:
        """The tenant's own fonts (外字), searched after the bundled ones, in this order."""
        fonts = []
        for i, f in enumerate(req.fonts):
            try:
                fonts.append((f.name, base64.b64decode(f.ttf_base64, validate=True)))
            except (binascii.Error, ValueError):
                raise TenantInvalid("ttf_base64 is not valid base64", path=f"$.fonts[{i}].ttf_base64") from None
        return _public_profile(store.set_fonts(code, fonts))

    @app.post("/v1/admin/tenants/{code}/keys", tags=["admin"], status_code=201, responses=ERRORS)
    def admin_add_key(code: TenantCode, _: Admin, req: KeyRequest) -> dict:
        key_id, key = store.add_key(code, req.label)
        return {"tenant": code, "key_id": key_id, "key": key, "note": "store this key now: only its hash is kept"}

    @app.get("/v1/admin/tenants/{code}/keys", tags=["admin"], responses=ERRORS)
    def admin_list_keys(code: TenantCode, _: Admin) -> list[dict]:
        store.tenant(code)
        return store.keys(code)

    @app.delete("/v1/admin/tenants/{code}/keys/{key_id}", tags=["admin"], responses=ERRORS)
    def admin_revoke_key(code: TenantCode, key_id: KeyId, _: Admin) -> dict:
        return store.revoke_key(code, key_id)

    @app.post("/v1/admin/tenants/{code}/keys/{key_id}/rotate", tags=["admin"], status_code=201, responses=ERRORS)
    def admin_rotate_key(code: TenantCode, key_id: KeyId, _: Admin, req: RotateRequest) -> dict:
        return {"tenant": code, **store.rotate_key(code, key_id, req.grace_seconds),
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

    _designer(app, catalog, store, settings, authenticate)
    app.include_router(build_router(app, store, catalog, Key, tenant_of))  # /v1/batches (batches.py)
    return app


def _designer(app: FastAPI, catalog: Catalog, store: TenantStore, settings: Settings, authenticate) -> None:
    """``GET /designer``: the web page for one municipality's key (``lgforms_api.designer``).
    Its previews are exactly what /v1 would render for that municipality — guard, profile,
    limits — and a certificate is a 見本 (no 公印, marked, no number taken)."""
    from lgforms.designer.workspace import Workspace

    from .designer import COOKIE, Caller, add_routes

    ws = Workspace(catalog.root, writable=False, untrusted=True)

    def credentials(request: Request, key: str | None) -> HTTPAuthorizationCredentials | None:
        if key is None:
            auth = request.headers.get("authorization", "")
            key = auth[7:].strip() if auth.lower().startswith("bearer ") else request.cookies.get(COOKIE, "")
        return HTTPAuthorizationCredentials(scheme="Bearer", credentials=key) if key else None

    def who(request: Request) -> Caller:
        tenant, version = authenticate(request, credentials(request, None))
        profile = store.tenant(tenant, version=version)

        def run(form, payload):
            check_payload(form, payload, tenant_given=True, service_owned=issued_fields(form))
            issue: dict[str, Any] = {}
            if form.meta.kind == "certificate":
                issue = {"specimen": True, "number": _issue_number(0)}
            return lg_layout(form, _numbered(form, payload, issue.get("number")), tenant=profile, issue=issue)

        return Caller(label=profile.name, salt=f"service:{tenant}:{version}", layout=run, writable=False,
                      service=True)

    def login(request: Request, key: str) -> str:
        authenticate(request, credentials(request, key))
        return key

    add_routes(app, ws, who=who, mode="service", login=login, max_pages=settings.max_pages,
               max_seconds=settings.max_render_seconds)


def _numbered(form, payload: dict, number: str | None) -> dict:
    """The payload with the service's 発行番号 where the form prints it from the payload."""
    if number and "issue_no" in form.schema.get("properties", {}):
        return {**payload, "issue_no": number}
    return payload


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
    d["fonts"] = len(p.fonts)
    return d


def _profile_from(raw: dict) -> TenantProfile:
    allowed = set(TenantProfile.model_fields) - {"fonts", "seal"}
    if "seal" in raw:
        raise TenantInvalid("set the seal with PUT /v1/admin/tenants/{code}/seal", path="$.seal")
    if "fonts" in raw:
        raise TenantInvalid("set fonts with PUT /v1/admin/tenants/{code}/fonts", path="$.fonts")
    extra = sorted(set(raw) - allowed)
    if extra:
        raise CustomizationNotAllowed(
            f"'{extra[0]}' is not a tenant slot: a municipality may set only {', '.join(sorted(allowed))}; "
            f"layouts, titles and wording of standard forms are the same for every municipality",
            path=f"$.{extra[0]}")
    return make_profile(raw)
