"""The outermost layer of every request (plain ASGI, no per-request task or stream objects):

* a request id (``X-Request-Id``) in the response, the log line and any 500 body;
* the body: read up to ``LGFORMS_MAX_BODY_BYTES`` — declared or streamed (chunked) — else 413;
  a JSON body must be UTF-8 and nested at most ``MAX_JSON_DEPTH`` levels (422 / 413), checked
  before any parser recurses into it; the parsed value is left in the request's state for the
  document routes (``params.body``: parsed once, not twice);
* headers every response carries: ``X-Content-Type-Options: nosniff`` and ``Cache-Control:
  no-store`` (documents, seals and profiles are personal or official data: no cache keeps them)
  — except the designer's static files (script, style, UI font: no data), which say their own;
* any exception that escapes the app: a JSON 500 with the request id, never a traceback;
* one metrics sample and one log line for every request, whatever its outcome (413 and 500 too).
  The log line has ids, route, status, time and the error code — never a payload value.
"""

from __future__ import annotations

import json
import logging
import secrets
import time

from starlette.routing import Match

from .errors import error_body
from .params import JSON_BODY

log = logging.getLogger("lgforms.api")
MAX_JSON_DEPTH = 64

_EXTRA_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store")]


class _Reject(Exception):
    def __init__(self, status: int, code: str, message: str, path: str | None = None):
        self.status, self.code, self.message, self.path = status, code, message, path


class Observe:
    def __init__(self, app, *, metrics, max_body_bytes: int, router_app=None, streamed: dict[str, int] | None = None):
        self.app = app
        self.metrics = metrics
        self.limit = max_body_bytes
        self.router_app = router_app  # for the route label of requests refused before routing
        # path -> limit: uploads passed to the route as they stream in (not held in memory here);
        # a declared length over the limit is refused here, the route counts what streams in
        # (batch uploads: JSON Lines, not one JSON document)
        self.streamed = streamed or {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        rid = secrets.token_hex(6)
        state = scope.setdefault("state", {})
        state["rid"] = rid
        status = 500
        started = False

        async def send_with_headers(message):
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                if scope.get("path", "").startswith("/designer/static/"):  # the page's script, style, font
                    headers = list(message.get("headers", ())) + _EXTRA_HEADERS[:1]
                else:
                    headers = [h for h in message.get("headers", ()) if h[0].lower() != b"cache-control"]
                    headers += _EXTRA_HEADERS
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            upload_limit = self.streamed.get(scope.get("path", ""))
            if upload_limit is not None:
                await self.app(scope, self._limited(scope, receive, upload_limit), send_with_headers)
                return
            body = await self._read_body(scope, receive)
            if body is None:  # the client went away before sending its body
                status = 499
                return
            if body:
                self._check_json(scope, body)
            delivered = False

            async def replay():
                nonlocal delivered
                if not delivered:
                    delivered = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
        except _Reject as r:
            state["error_code"] = r.code
            await _send_json(send_with_headers, r.status, error_body(r.code, r.message, r.path))
        except Exception as e:  # noqa: BLE001 - the one place that turns any failure into a 500
            state["error_code"] = "INTERNAL_ERROR"
            log.error("rid=%s internal error %s on %s %s", rid, type(e).__name__, scope.get("method"),
                      scope.get("path"))
            if not started:
                await _send_json(send_with_headers, 500, error_body(
                    "INTERNAL_ERROR", f"internal error; quote request {rid} to the operator",
                    detail={"request_id": rid}))
            else:
                status = 500
        finally:
            self._record(scope, state, status, time.perf_counter() - t0, rid)

    @staticmethod
    def _limited(scope, receive, limit: int):
        """A declared length over the limit is refused here; the route counts a streamed body."""
        for k, v in scope.get("headers", ()):
            if k == b"content-length" and v.isdigit() and int(v) > limit:
                raise _Reject(413, "LIMIT_EXCEEDED", f"upload over {limit} bytes")
        return receive

    async def _read_body(self, scope, receive) -> bytes | None:
        for k, v in scope.get("headers", ()):
            if k == b"content-length":
                if not v.isdigit():
                    raise _Reject(400, "REQUEST_INVALID", "Content-Length is not a number")
                if int(v) > self.limit:
                    raise _Reject(413, "LIMIT_EXCEEDED", f"request body over {self.limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:  # streamed (chunked) bodies have no Content-Length to check first
                raise _Reject(413, "LIMIT_EXCEEDED", f"request body over {self.limit} bytes")
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    def _check_json(scope, body: bytes) -> None:
        ctype = b""
        for k, v in scope.get("headers", ()):
            if k == b"content-type":
                ctype = v.lower()
        if ctype and b"json" not in ctype:
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _Reject(422, "REQUEST_INVALID", f"the body is not valid UTF-8 (byte {e.start})") from None
        try:
            value = json.loads(text)
        except RecursionError:
            raise _Reject(413, "LIMIT_EXCEEDED", f"JSON nested more than {MAX_JSON_DEPTH} levels deep") from None
        except ValueError:
            return  # not JSON: the route answers that (422 REQUEST_INVALID with the position)
        from lgforms.tenants.guard import depth

        if depth(value) > MAX_JSON_DEPTH:
            raise _Reject(413, "LIMIT_EXCEEDED", f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
        scope["state"][JSON_BODY] = value  # the document routes take it from here (params.body)

    def _route(self, scope) -> str:
        route = scope.get("route")
        if route is not None:
            return getattr(route, "path", "unmatched")
        if self.router_app is not None:
            for r in self.router_app.router.routes:
                try:
                    match, _ = r.matches(scope)
                except Exception:  # noqa: BLE001 - a label, nothing more
                    continue
                if match is Match.FULL:
                    return getattr(r, "path", "unmatched")
        return "unmatched"

    def _record(self, scope, state: dict, status: int, seconds: float, rid: str) -> None:
        name = self._route(scope)
        method = scope.get("method", "-")
        code = state.get("error_code")
        m = self.metrics
        m.requests.labels(method, name, str(status)).inc()
        m.latency.labels(name).observe(seconds)
        if code:
            m.errors.labels(code).inc()
        # the path holds ids only (form, tenant code, issue id); the query string is not logged
        log.info("rid=%s tenant=%s %s %s -> %s %s %.1fms", rid, state.get("tenant", "-"), method,
                 scope.get("path", name), status, code or "", seconds * 1000)


async def _send_json(send, status: int, body: dict) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
