"""Batch jobs over the service: ``POST /v1/batches`` (a JSON Lines upload), progress, downloads.

A batch belongs to the tenant whose key created it; another tenant's batch id answers 404 like an
id that does not exist. Batches are for notices (納税通知書, 投票所入場券 …): certificates get their
発行番号 one by one through ``/v1/forms/{id}/render``, so a certificate form is refused here.

Jobs are durable (``lgforms.batch.store``: SQLite next to the tenant store, or PostgreSQL with
``LGFORMS_BATCH_DB=postgresql://…``). Each service process runs a runner thread that claims jobs
from the store; a job whose runner died (its heartbeat stopped) is claimed again and resumes where
its last finished unit left it. Every record goes through the same customization guard as
``/render``; a record that fails it is rejected (errors.jsonl), the others print. The uploaded
records are deleted when the batch is done (the parts, manifest and reports stay for download).

Settings (environment): ``LGFORMS_BATCH_DB``, ``LGFORMS_BATCH_DIR`` (uploads and outputs),
``LGFORMS_BATCH_WORKERS`` (render processes per service process, default 1),
``LGFORMS_MAX_BATCH_BYTES`` (upload size, default 256 MiB).
"""

import json
import logging
import os
import re
import secrets
import shutil
import threading
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from lgforms.batch import BatchOptions, LocalExecutor, create_job, open_store, run_job
from lgforms.batch.source import BatchInvalid
from lgforms.batch.store import JobNotFound
from lgforms.errors import LgformsError, LimitExceeded
from lgforms.tenants.guard import check_payload
from lgforms.tenants.store import NotFound

from .payloads import issued_fields

log = logging.getLogger("lgforms.api")

BATCH_PREFIX = "/v1/batches"
STALE_AFTER = 120.0  # seconds without a heartbeat before another runner takes a job over
JobId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{12}$", description="batch id")]


def max_batch_bytes() -> int:
    return int(os.environ.get("LGFORMS_MAX_BATCH_BYTES", str(256 * 1024 * 1024)))


class BatchService:
    """The store, the files and the runner thread of one service process."""

    def __init__(self, tenant_db: str, tenants, catalog):
        if str(tenant_db).startswith(("postgresql://", "postgres://")):
            # the service's PostgreSQL database holds the batch tables too (their own names)
            default_db: str | Path = tenant_db
            base = Path("lgforms-data").resolve()
        else:
            base = Path(tenant_db).resolve().parent
            default_db = base / "batches.db"
        self.store_url = os.environ.get("LGFORMS_BATCH_DB") or default_db
        self._store = None
        self.dir = Path(os.environ.get("LGFORMS_BATCH_DIR") or base / "batches")
        self.workers = int(os.environ.get("LGFORMS_BATCH_WORKERS", "1"))
        self.tenants, self.catalog = tenants, catalog
        self.runner = f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(3)}"
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def store(self):
        """Opened on first use: a service whose database is down still starts (and says so in
        /readyz); batches answer once it is back."""
        with self._lock:
            if self._store is None:
                self._store = open_store(self.store_url)
            return self._store

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="lgforms-batch-runner", daemon=True)
                self._thread.start()
        self._wake.set()

    def _loop(self) -> None:
        while True:
            self._wake.wait(timeout=5.0)
            self._wake.clear()
            while True:
                try:
                    job_id = self.store.claim(self.runner, STALE_AFTER)
                except Exception as e:  # noqa: BLE001 - a database that is down or read-only: try again later
                    log.warning("batch runner: the job store is unavailable (%s); retrying", type(e).__name__)
                    break
                if job_id is None:
                    break
                try:
                    self._run(job_id)
                except Exception as e:  # noqa: BLE001 - the runner thread lives on; the job is claimed again
                    log.warning("batch %s: interrupted (%s)", job_id, type(e).__name__)
                    break

    def _run(self, job_id: str) -> None:
        job = self.store.job(job_id)
        stop = threading.Event()

        def beat() -> None:  # a long unit must not look like a dead runner
            while not stop.wait(STALE_AFTER / 4):
                try:
                    self.store.beat(job_id, self.runner)
                except Exception:  # noqa: BLE001 - the next beat tries again; the job notices on its own
                    pass

        t = threading.Thread(target=beat, daemon=True)
        t.start()
        try:
            run_job(self.store, job, LocalExecutor(self.workers), tenant=self.tenants.tenant(job["tenant"]),
                    progress=False)
            # the uploaded records are personal data kept only as long as a resume may need them
            Path(job["input_path"]).unlink(missing_ok=True)
            log.info("batch %s done", job_id)
        except LgformsError as e:
            log.warning("batch %s failed: %s", job_id, e.code)
            self._fail(job_id, f"{e.code}: {e.message}")
        except Exception as e:  # noqa: BLE001 - a runner thread must survive one bad job
            log.error("batch %s failed: %s", job_id, type(e).__name__)
            self._fail(job_id, f"INTERNAL_ERROR: {type(e).__name__}")
        finally:
            stop.set()
            t.join(timeout=1.0)

    def _fail(self, job_id: str, error: str) -> None:
        try:
            self.store.set_state(job_id, "failed", error)
        except Exception as e:  # noqa: BLE001 - the store itself failed: the job is claimed again later
            log.warning("batch %s: cannot record its failure (%s)", job_id, type(e).__name__)

    # -- requests --------------------------------------------------------------------------------
    def job(self, tenant: str, job_id: str) -> dict:
        try:
            return self.store.job(job_id, tenant, check_tenant=True)
        except JobNotFound:  # another tenant's batch looks exactly like one that does not exist
            raise NotFound(f"no batch {job_id}", path="id") from None

    def view(self, job: dict) -> dict:
        p = self.store.progress(job["id"]) if job["state"] not in ("new", "failed") else None
        out: dict[str, Any] = {
            "id": job["id"], "form_id": job["form_id"], "state": job["state"], "records": job["records_total"],
            "units": job["units_total"], "created": job["created"], "updated": job["updated"],
        }
        if p is not None:
            out["progress"] = {"done": p["rendered"] + p["rejected"], "rendered": p["rendered"],
                               "rejected": p["rejected"], "pages": p["pages"], "units_done": p["units_done"]}
        if job["error"]:
            out["error"] = job["error"]
        if job["state"] == "done":
            out["summary"] = json.loads((Path(job["out_dir"]) / "summary.json").read_text("utf-8"))
            manifest = json.loads((Path(job["out_dir"]) / "manifest.json").read_text("utf-8"))
            out["parts"] = [{"number": i + 1, "pages": p["pages"], "bytes": p["bytes"], "sha256": p["sha256"],
                             "href": f"{BATCH_PREFIX}/{job['id']}/parts/{i + 1}"} for i, p in enumerate(manifest["parts"])]
            out["manifest"] = f"{BATCH_PREFIX}/{job['id']}/manifest"
            out["errors"] = f"{BATCH_PREFIX}/{job['id']}/errors"
        return out


def build_router(app, tenants, catalog, key_dep, tenant_of: Callable[[Request, Any], str]) -> APIRouter:
    """The /v1/batches routes; ``key_dep`` is the bearer-key dependency and ``tenant_of(request,
    key)`` authenticates it (tenant code, or 401/429) — the service's own auth, unchanged."""
    svc = BatchService(app.state.settings.db_path, tenants, catalog)

    def guard(form, payload: Any) -> None:  # the same customization guard as /render
        check_payload(form, payload, tenant_given=True, service_owned=issued_fields(form))
    app.state.batches = svc
    router = APIRouter(prefix=BATCH_PREFIX, tags=["batches"])

    # the runner starts with the server (not when the app is only built, e.g. for the OpenAPI
    # document) and first resumes the jobs a previous process left unfinished
    app.router.add_event_handler("startup", svc.start)

    @router.post("", status_code=202, responses={202: {"description": "accepted: planned, rendering in the background"}},
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "application/x-ndjson": {"schema": {"type": "string", "description": "one payload per line"}}}}})
    async def create_batch(request: Request, cred: key_dep,
                           form_id: Annotated[str, Query(pattern=r"^[a-z][a-z0-9_]{1,63}$")],
                           sort: Literal["input", "postcode", "barcode"] = "input",
                           split_pages: Annotated[int | None, Query(ge=1, le=100000)] = None,
                           delivery: Literal["postcard", "pressure-seal-V", "pressure-seal-Z",
                                             "window-envelope"] | None = None,
                           imposition: Literal["panels", "sheets", "press"] = "panels",
                           printer_profile: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,64}$",
                                                                        description="a shipped profile name")] = None
                           ) -> dict:
        """Upload records as JSON Lines (one payload per line; ``{"id": …, "payload": …}`` or a
        payload with ``"_id"`` names a record)."""
        tenant = await run_in_threadpool(tenant_of, request, cred)
        form = catalog.get(form_id)
        if form.meta.kind == "certificate":
            raise BatchInvalid(f"{form_id} is a certificate: certificates are issued one at a time with their "
                               f"発行番号 (POST /v1/forms/{form_id}/render); batches are for notices", path="form_id")
        job_id = secrets.token_hex(6)
        folder = svc.dir / job_id
        folder.mkdir(parents=True)
        src = folder / "records.jsonl"
        size = 0
        try:
            limit = max_batch_bytes()
            with open(src, "wb") as f:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > limit:
                        raise LimitExceeded(f"upload over {limit} bytes (LGFORMS_MAX_BATCH_BYTES)", path="$")
                    f.write(chunk)
            if size == 0:
                raise BatchInvalid("the upload is empty: send JSON Lines, one payload per line", path="$")
            opts = BatchOptions(form_id, str(src), str(folder / "out"), tenant=None, tenant_code=tenant, sort=sort,
                                split_pages=split_pages, delivery=delivery, imposition=imposition,
                                printer_profile=printer_profile)
            profile = tenants.tenant(tenant)
            opts.tenant = profile
            # planning reads the whole upload once: off the event loop
            job = await run_in_threadpool(create_job, svc.store, opts, job_id, check=lambda p: guard(form, p))
        except BaseException:
            try:
                svc.store.job(job_id)
            except JobNotFound:
                shutil.rmtree(folder, ignore_errors=True)  # nothing was registered: leave nothing behind
            raise
        svc.start()
        return svc.view(job)

    @router.get("")
    def list_batches(request: Request, cred: key_dep) -> list[dict]:
        tenant = tenant_of(request, cred)
        return [svc.view(j) for j in svc.store.jobs(tenant)]

    @router.get("/{job_id}")
    def get_batch(request: Request, job_id: JobId, cred: key_dep) -> dict:
        return svc.view(svc.job(tenant_of(request, cred), job_id))

    def _done(tenant: str, job_id: str) -> dict:
        job = svc.job(tenant, job_id)
        if job["state"] != "done":
            raise NotFound(f"batch {job_id} is {job['state']}: its files are there when it is done", path="state")
        return job

    @router.get("/{job_id}/manifest", response_class=Response,
                responses={200: {"content": {"application/json": {}}}})
    def get_manifest(request: Request, job_id: JobId, cred: key_dep):
        return FileResponse(Path(_done(tenant_of(request, cred), job_id)["out_dir"]) / "manifest.json", media_type="application/json")

    @router.get("/{job_id}/errors", response_class=Response,
                responses={200: {"content": {"application/x-ndjson": {}}}})
    def get_errors(request: Request, job_id: JobId, cred: key_dep):
        return FileResponse(Path(_done(tenant_of(request, cred), job_id)["out_dir"]) / "errors.jsonl", media_type="application/x-ndjson")

    @router.get("/{job_id}/summary", response_class=Response, responses={200: {"content": {"application/json": {}}}})
    def get_summary(request: Request, job_id: JobId, cred: key_dep):
        return FileResponse(Path(_done(tenant_of(request, cred), job_id)["out_dir"]) / "summary.json", media_type="application/json")

    @router.get("/{job_id}/parts/{number}", response_class=Response,
                responses={200: {"content": {"application/pdf": {}}}})
    def get_part(request: Request, job_id: JobId, number: Annotated[int, PathParam(ge=1, le=999999)], cred: key_dep):
        out = Path(_done(tenant_of(request, cred), job_id)["out_dir"])
        f = out / f"part-{number:04d}.pdf"
        if not re.fullmatch(r"part-\d{4,6}\.pdf", f.name) or not f.is_file():
            raise NotFound(f"batch {job_id} has no part {number}", path="number")
        return FileResponse(f, media_type="application/pdf", filename=f.name)

    return router


__all__ = ["build_router", "BatchService", "max_batch_bytes", "BATCH_PREFIX"]
