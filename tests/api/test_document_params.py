"""The document routes (/validate, /render) read their path, query, headers, key and body by hand
(lgforms_api/params.py) instead of through FastAPI's per-parameter machinery (issue 16: event-loop
CPU). Every malformed request is answered as FastAPI answered it before — status, code, path (the
expectations below were recorded from the FastAPI-declared routes) — except a body of another
Content-Type, which now says what is wrong instead of "Input should be a valid dictionary"."""

from __future__ import annotations

import json

import pytest

import lgforms
from lgforms_api.payloads import as_request

from apiservice import A

FORM = "senkyo_nyujoken_atchaku"
CAT = lgforms.Catalog()
BODY = json.dumps(as_request(CAT.get(FORM), CAT.get(FORM).sample()), ensure_ascii=False).encode()
JSON = "application/json"
NOT_JSON = "the body must be a JSON object sent as Content-Type: application/json"
NO_KEY = "an API key is required (Authorization: Bearer lgf_…)"

# name, route (None: both), query, headers, body, expected (status, code, path, message or None)
CASES = [
    ("page 0", "render", {"page": 0}, {}, BODY,
     (422, "REQUEST_INVALID", "$.query.page", "Input should be greater than or equal to 1")),
    ("page abc", "render", {"page": "abc"}, {}, BODY, (422, "REQUEST_INVALID", "$.query.page", None)),
    ("dpi 301", "render", {"dpi": 301}, {}, BODY,
     (422, "REQUEST_INVALID", "$.query.dpi", "Input should be less than or equal to 300")),
    ("dpi 35", "render", {"dpi": 35}, {}, BODY, (422, "REQUEST_INVALID", "$.query.dpi", None)),
    ("page and dpi: the first declared is named", "render", {"dpi": 1, "page": 0}, {}, BODY,
     (422, "REQUEST_INVALID", "$.query.page", None)),
    ("page/dpi are not /validate's", "validate", {"page": 0, "dpi": 1}, {}, BODY, (200, None, None, None)),
    ("on_behalf_of of 5 digits", None, {"on_behalf_of": "12345"}, {}, BODY,
     (422, "REQUEST_INVALID", "$.query.on_behalf_of", "String should match pattern '^[0-9]{6}$'")),
    ("unknown query parameters are ignored", None, {"foo": "bar"}, {}, BODY, (200, None, None, None)),
    ("Idempotency-Key with a space", "render", {}, {"Idempotency-Key": "a b"}, BODY,
     (422, "REQUEST_INVALID", "$.header.Idempotency-Key", None)),
    ("idempotency-key in lower case is the same header", "render", {}, {"idempotency-key": "x" * 256}, BODY,
     (422, "REQUEST_INVALID", "$.header.Idempotency-Key", None)),
    ("Accept text/html", "render", {}, {"Accept": "text/html"}, BODY, (406, "NOT_ACCEPTABLE", None, None)),
    ("a JSON array", None, {}, {}, b"[]", (422, "REQUEST_INVALID", "$", "Input should be a valid dictionary")),
    ("no body", None, {}, {}, b"", (422, "REQUEST_INVALID", "$", "Field required")),
    ("broken JSON: where it breaks", None, {}, {}, b'{"a": tru',
     (422, "REQUEST_INVALID", "$.6", "JSON decode error")),
    ("JSON sent as text/plain", None, {}, {"Content-Type": "text/plain"}, BODY, (422, "REQUEST_INVALID", "$", NOT_JSON)),
    ("no Content-Type", None, {}, {"Content-Type": ""}, BODY, (422, "REQUEST_INVALID", "$", NOT_JSON)),
    ("a +json media type", None, {}, {"Content-Type": "application/vnd.lgforms+json; charset=utf-8"}, BODY,
     (200, None, None, None)),
    ("text/json", None, {}, {"Content-Type": "text/json"}, BODY, (200, None, None, None)),
    ("JSON sent as application/x-www-form-urlencoded", None, {}, {"Content-Type": "application/x-www-form-urlencoded"},
     BODY, (422, "REQUEST_INVALID", "$", NOT_JSON)),
    ("no key", None, {}, {"Authorization": ""}, BODY, (401, "UNAUTHORIZED", None, NO_KEY)),
    ("a Basic key", None, {}, {"Authorization": "Basic abc"}, BODY, (401, "UNAUTHORIZED", None, NO_KEY)),
    ("Bearer without a key", None, {}, {"Authorization": "Bearer"}, BODY, (401, "UNAUTHORIZED", None, NO_KEY)),
    ("an unknown key", None, {}, {"Authorization": "Bearer lgf_nothing"}, BODY,
     (401, "UNAUTHORIZED", None, "unknown, revoked or expired API key")),
    ("a request error comes before the key check", "render", {"page": 0}, {"Authorization": ""}, BODY,
     (422, "REQUEST_INVALID", "$.query.page", None)),
]


def _cases():
    for name, route, query, headers, body, expected in CASES:
        for r in ([route] if route else ["validate", "render"]):
            yield pytest.param(r, query, headers, body, expected, id=f"{r}: {name}")


@pytest.mark.parametrize("route,query,headers,body,expected", list(_cases()))
def test_document_route_answers_malformed_requests(service, route, query, headers, body, expected):
    status, code, path, message = expected
    with service.client(A["code"]) as c:
        r = c.post(f"/v1/forms/{FORM}/{route}", params=query, content=body,
                   headers={"Content-Type": JSON, **headers})
    assert r.status_code == status, r.text[:300]
    if code is None:
        return
    got = r.json()
    assert (got["code"], got["path"]) == (code, path)
    if message is not None:
        assert got["message"] == message
    if status == 401:
        assert r.headers["www-authenticate"] == 'Bearer realm="lgforms"'


@pytest.mark.parametrize("route", ["validate", "render"])
def test_bad_form_id_and_key_in_lower_case(service, route):
    with service.client(A["code"]) as c:
        r = c.post(f"/v1/forms/Bad-Id/{route}", content=BODY, headers={"Content-Type": JSON})
        assert r.status_code == 422 and (r.json()["code"], r.json()["path"]) == ("REQUEST_INVALID", "$.path.form_id")
        key = c.headers["authorization"].split(" ", 1)[1]
        r = c.post(f"/v1/forms/{FORM}/{route}", content=BODY,
                   headers={"Content-Type": JSON, "Authorization": f"bearer {key}"})
        assert r.status_code == 200, r.text[:300]


def test_documented_parameters_are_the_ones_read(service):
    """The OpenAPI document of the two routes comes from the same models that read the request."""
    with service.client(A["code"]) as c:
        doc = c.get("/openapi.json").json()["paths"]
    for route, expected in (("render", ["form_id", "page", "dpi", "on_behalf_of", "accept", "Idempotency-Key"]),
                            ("validate", ["form_id", "on_behalf_of"])):
        op = doc[f"/v1/forms/{{form_id}}/{route}"]["post"]
        assert [p["name"] for p in op["parameters"]] == expected
        assert op["security"] == [{"HTTPBearer": []}]
        assert op["requestBody"]["required"] is True
        page = {p["name"]: p for p in op["parameters"]}.get("page")
        if page:
            assert (page["schema"]["minimum"], page["schema"]["maximum"], page["in"]) == (1, 10000, "query")
