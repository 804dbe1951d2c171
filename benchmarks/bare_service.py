"""The floor under the service's HTTP overhead (issue 16): a bare ASGI app, served exactly as
``lgforms serve`` serves (uvicorn, httptools with TCP_NODELAY, uvloop, one worker), that reads the
body, parses the JSON and renders it with ``lgforms.render`` in a worker thread (anyio, as
Starlette does) — no routing, authentication, tenant, guard, metrics or log.

    python benchmarks/bare_service.py PORT

``service_bench.py --mode sequential`` starts it beside the service and times both against the
in-process render in the same rounds: what HTTP and the thread hop cost any Python service that
does not render on its event loop, and what the service adds on top.
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "api"))

import anyio.to_thread  # noqa: E402

import lgforms  # noqa: E402
from lgforms_api.server import HTTP_PROTOCOL, _loop  # noqa: E402

PREFIX, SUFFIX = "/v1/forms/", "/render"


async def read_json(receive):
    """The request's body, parsed: what any JSON service does before its work."""
    chunks = []
    while True:
        m = await receive()
        chunks.append(m.get("body", b""))
        if not m.get("more_body"):
            break
    return json.loads(b"".join(chunks))


async def send_bytes(send, status: int, data: bytes, ctype: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", str(len(data)).encode()), (b"content-type", ctype)]})
    await send({"type": "http.response.body", "body": data})


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    path = scope["path"]
    if not (path.startswith(PREFIX) and path.endswith(SUFFIX)):
        await send_bytes(send, 404, b"", b"text/plain")
        return
    payload = await read_json(receive)
    data = await anyio.to_thread.run_sync(lgforms.render, path[len(PREFIX):-len(SUFFIX)], payload)
    await send_bytes(send, 200, data, b"application/pdf")


def main() -> None:
    import uvicorn

    lgforms.Catalog().list()  # every form loaded, as the service's warm-up does, then frozen
    gc.freeze()
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), http=HTTP_PROTOCOL, loop=_loop(),
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
