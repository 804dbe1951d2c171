"""Query, headers and body of the two document routes (``/validate``, ``/render``), read by hand.

These two routes carry nearly all traffic. FastAPI resolves each declared parameter and
dependency with its own introspection on every request (FastAPI 0.165: 0.15–0.3 ms of event-loop
CPU per render request on this project's 2-core machine, about a quarter of the service's own
cost — issue 16, ``benchmarks/asgi_bench.py``). Here each group of parameters is one pydantic
model validated in one call, the key is read as ``HTTPBearer(auto_error=False)`` reads it, the
body is the JSON that ``Observe`` already parsed to check it, and the OpenAPI document is written
from the same models (``openapi_extra``), so each rule is stated once.

Errors are FastAPI's own ``RequestValidationError`` with FastAPI's locations (``path``,
``query``, ``header``, ``body``), in the order FastAPI reported them: the service answers as
before (422 REQUEST_INVALID, path ``$.query.page``; tests/api/test_document_params.py). Only a
body sent with another Content-Type now says so instead of "Input should be a valid dictionary"."""

from __future__ import annotations

import json
from typing import Annotated, Any, Mapping

from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request

from lgforms.render import DPI_MAX, DPI_MIN

JSON_BODY = "json_body"  # where Observe leaves the parsed body in the request's state


FORM_ID = {"pattern": r"^[a-z][a-z0-9_]{1,63}$", "description": "form id, e.g. juki_jyuminhyo_setai"}


class DocumentPath(BaseModel):
    form_id: str = Field(**FORM_ID)


OnBehalfOf = Annotated[str | None, Field(pattern=r"^[0-9]{6}$",
                                         description="issue for another group member (罹災証明書)")]


class DocumentQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    on_behalf_of: OnBehalfOf = None


class RenderQuery(BaseModel):  # field order = order of the errors and of the documented parameters
    model_config = ConfigDict(extra="ignore")
    page: int = Field(1, ge=1, le=10000, description="page for image/png")
    dpi: int = Field(100, ge=DPI_MIN, le=DPI_MAX)
    on_behalf_of: OnBehalfOf = None


class RenderHeaders(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=False)
    accept: str | None = None
    idempotency_key: str | None = Field(
        None, alias="Idempotency-Key", pattern=r"^[\x21-\x7e]{1,255}$",
        description="certificates: a retry with the same key returns the same number and document")


def _validated(model: type[BaseModel], values: Mapping[str, str], where: str):
    try:
        return model.model_validate(values)
    except ValidationError as e:
        raise RequestValidationError([{**err, "loc": (where, *err["loc"])} for err in e.errors()]) from None


def path(request: Request, model: type[BaseModel]):
    return _validated(model, request.path_params, "path")


def bearer(request: Request) -> HTTPAuthorizationCredentials | None:
    """The API key, read as FastAPI's ``HTTPBearer(auto_error=False)`` reads it: None unless the
    header is ``Bearer <credentials>``."""
    scheme, credentials = get_authorization_scheme_param(request.headers.get("authorization"))
    if not (scheme and credentials) or scheme.lower() != "bearer":
        return None
    return HTTPAuthorizationCredentials(scheme=scheme, credentials=credentials)


def query(request: Request, model: type[BaseModel]):
    return _validated(model, request.query_params, "query")


def headers(request: Request, model: type[BaseModel]):
    # header names are case-insensitive: look each field up under its documented name
    h = request.headers
    values = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        v = h.get(key)
        if v is not None:
            values[key] = v
    return _validated(model, values, "header")


async def body(request: Request) -> dict[str, Any]:
    """The request's JSON object, sent as JSON (``application/json``, ``…/…+json``: FastAPI's
    rule). ``Observe`` parsed and depth-checked it already; a body it could not parse is read
    again here only to say where it breaks."""
    subtype = request.headers.get("content-type", "").split(";")[0].strip().lower().partition("/")[2]
    if not (subtype == "json" or subtype.endswith("+json")):  # FastAPI's rule: */json, */…+json
        raise RequestValidationError([{"type": "dict_type", "loc": ("body",), "input": None,
                                       "msg": "the body must be a JSON object sent as Content-Type: application/json"}])
    value = request.scope.get("state", {}).get(JSON_BODY, _MISSING)
    if value is _MISSING:
        raw = await request.body()
        if not raw:
            raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required",
                                           "input": None}])
        try:
            value = json.loads(raw)
        except ValueError as e:
            raise RequestValidationError([{"type": "json_invalid", "loc": ("body", getattr(e, "pos", 0)),
                                           "msg": "JSON decode error", "input": {},
                                           "ctx": {"error": getattr(e, "msg", str(e))}}]) from None
    if not isinstance(value, dict):
        raise RequestValidationError([{"type": "dict_type", "loc": ("body",),
                                       "msg": "Input should be a valid dictionary", "input": value}])
    return value


_MISSING = object()


def openapi(security: str, path_model: type[BaseModel], query_model: type[BaseModel],
            header_model: type[BaseModel] | None = None) -> dict:
    """``openapi_extra`` of a document route: its path, query and header parameters from the
    models, the API key (the security scheme named ``security``), and a JSON object body (the
    form's payload)."""
    params = []
    for model, where in ((path_model, "path"), (query_model, "query"), (header_model, "header")):
        if model is None:
            continue
        schema = model.model_json_schema(by_alias=True)
        for name, s in schema["properties"].items():
            s = {k: v for k, v in s.items() if not (k == "default" and v is None)}
            p = {"in": where, "name": name, "required": name in schema.get("required", ()), "schema": s}
            if "description" in s:
                p["description"] = s["description"]
            params.append(p)
    return {"parameters": params, "security": [{security: []}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": True, "title": "Payload",
                "description": "the form's payload (its schema: GET /v1/forms/{form_id})"}}}}}
