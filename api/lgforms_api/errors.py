"""Every error leaves the service as JSON ``{code, message, path}`` with a fitting status.

The codes are the library's (``lgforms.errors``) plus the service's own: UNAUTHORIZED,
RATE_LIMITED, NOT_FOUND, METHOD_NOT_ALLOWED, REQUEST_INVALID, NOT_ACCEPTABLE, INTERNAL_ERROR, and
the issuance states (409): ISSUE_VOID, ISSUE_MISMATCH, ISSUE_NOT_RENDERED, ISSUE_NOT_REPRODUCIBLE,
KEY_NOT_ACTIVE; IDEMPOTENCY_KEY_REUSED is 422.
Messages never contain payload values beyond what the caller sent in that request, and nothing
here is logged except the code.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from lgforms.errors import LgformsError

log = logging.getLogger("lgforms.api")

STATUS = {
    "UNAUTHORIZED": 401,
    "TENANT_FORBIDDEN": 403,
    "CUSTOMIZATION_NOT_ALLOWED": 403,
    "FORM_NOT_FOUND": 404,
    "NOT_FOUND": 404,
    "METHOD_NOT_ALLOWED": 405,
    "NOT_ACCEPTABLE": 406,
    "ISSUE_VOID": 409,
    "ISSUE_MISMATCH": 409,
    "ISSUE_NOT_RENDERED": 409,
    "ISSUE_NOT_REPRODUCIBLE": 409,
    "ISSUE_CONFLICT": 409,
    "KEY_NOT_ACTIVE": 409,
    "LIMIT_EXCEEDED": 413,
    "RATE_LIMITED": 429,
    "NOT_READY": 503,
    "FORM_SPEC_INVALID": 500,
    "INTERNAL_ERROR": 500,
}  # everything else the library raises is a problem with the request's content: 422


class ApiError(LgformsError):
    """An error of the service itself (auth, limits, routing)."""


def error_body(code: str, message: str, path: str | None = None, detail: dict | None = None) -> dict:
    body = {"code": code, "message": message, "path": path}
    if detail:
        body["detail"] = detail
    return body


def respond(e: LgformsError, headers: dict | None = None) -> JSONResponse:
    status = STATUS.get(e.code, 422)
    if status == 401:  # RFC 6750: say which scheme would be accepted
        headers = {"WWW-Authenticate": 'Bearer realm="lgforms"', **(headers or {})}
    return JSONResponse(error_body(e.code, e.message, e.path, e.detail or None), status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(LgformsError)
    async def _lgforms(request: Request, e: LgformsError):
        request.state.error_code = e.code
        return respond(e, getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, e: RequestValidationError):
        request.state.error_code = "REQUEST_INVALID"
        errs = e.errors()
        first = errs[0] if errs else {"loc": (), "msg": "invalid request"}
        path = "$." + ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return JSONResponse(error_body("REQUEST_INVALID", str(first.get("msg")), path.rstrip(".")), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, e: StarletteHTTPException):
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 401: "UNAUTHORIZED", 413: "LIMIT_EXCEEDED"}.get(
            e.status_code, "REQUEST_INVALID" if e.status_code < 500 else "INTERNAL_ERROR")
        request.state.error_code = code
        return JSONResponse(error_body(code, str(e.detail)), status_code=e.status_code,
                            headers=getattr(e, "headers", None))

    # Anything else escapes to ``Observe`` (the outermost layer): a JSON 500 with the request id,
    # counted and logged like every other response.
