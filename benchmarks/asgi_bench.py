"""The service's own CPU per render request, without network or client: the ASGI app called in
process, against two baselines run in the same process, in alternating rounds.

    python benchmarks/asgi_bench.py [--form senkyo_nyujoken_atchaku] [--rounds 12] [--noop]

* ``direct``: ``lgforms.render`` called on the event loop's thread (the in-process baseline);
* ``bare``: a bare ASGI app (no framework) that reads the body, renders in a worker thread
  (anyio, as Starlette does) and sends the PDF — what any Python HTTP service of this design pays;
* ``lgforms``: the service (``create_app``: Observe, FastAPI routing, auth on a SQLite store,
  guard, metrics, request log) rendering the same payload.

For each: the event-loop thread's CPU per request and the whole process's CPU per request (the
loop plus the worker thread). ``--noop`` renders once and then returns that document: what is left
is the cost of the request path alone. The figures are CPU time, which other load on the machine
moves far less than wall time (issue 16); compare the ratios of one run, not runs of different days.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "api"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import anyio.to_thread  # noqa: E402

import lgforms  # noqa: E402
from bare_service import read_json, send_bytes  # noqa: E402
from service_bench import demo_tenant_key, request_payload  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--form", default="senkyo_nyujoken_atchaku")
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--per-round", type=int, default=25)
    ap.add_argument("--noop", action="store_true", help="render once, then return that document")
    a = ap.parse_args()

    import lgforms_api.app as service
    from lgforms_api.settings import Settings

    form_id, payload = a.form, request_payload(a.form)
    body = json.dumps(payload, ensure_ascii=False).encode()
    memo: dict = {}

    def render_doc() -> bytes:
        if a.noop:
            if "doc" not in memo:
                memo["doc"] = lgforms.render(form_id, payload)
            return memo["doc"]
        return lgforms.render(form_id, payload)

    render_result = service.render_result

    def service_render(*args, **kw):
        if a.noop:
            if "res" not in memo:
                memo["res"] = render_result(*args, **kw)
            return memo["res"]
        return render_result(*args, **kw)

    service.render_result = service_render  # the same switch for the service's own render

    async def direct(scope, receive, send):
        await receive()
        data = render_doc()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})

    async def bare(scope, receive, send):  # bare_service.app's work, with this run's render switch
        await read_json(receive)
        await send_bytes(send, 200, await anyio.to_thread.run_sync(render_doc), b"application/pdf")

    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "bench.db")
        key = demo_tenant_key(db)
        app = service.create_app(Settings(db_path=db, rate_per_second=1e6, rate_burst=10**6))
        log = logging.getLogger("lgforms.api")  # the request log is written, as in service
        log.setLevel(logging.INFO)
        log.addHandler(logging.StreamHandler(open(os.devnull, "w")))
        path = f"/v1/forms/{form_id}/render"
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
                 "root_path": "", "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
                 "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {key}".encode()),
                             (b"content-type", b"application/json"),
                             (b"content-length", str(len(body)).encode())]}

        async def one(target) -> None:
            sent = []

            async def receive():
                return {"type": "http.request", "body": body, "more_body": False}

            async def send(m):
                sent.append(m)

            await target(dict(scope, state={}), receive, send)
            if sent[0]["status"] != 200:
                raise SystemExit(f"{target}: HTTP {sent[0]['status']}: {sent[1].get('body', b'')[:300]!r}")

        async def many(target, n: int) -> None:
            for _ in range(n):
                await one(target)

        try:
            import uvloop

            loop = uvloop.new_event_loop()  # as lgforms serve runs
        except ImportError:  # pragma: no cover
            loop = asyncio.new_event_loop()
        targets = {"direct": direct, "bare": bare, "lgforms": app}
        import threading

        for th in threading.enumerate():  # the service loads and checks every form in the background
            if th.name == "lgforms-warm":
                th.join(timeout=300)
        for t in targets.values():
            loop.run_until_complete(many(t, 20))
        loop_cpu = {k: [] for k in targets}
        proc_cpu = {k: [] for k in targets}
        n = a.per_round
        for _ in range(a.rounds):
            for name, t in targets.items():
                c0, p0 = time.thread_time(), time.process_time()
                loop.run_until_complete(many(t, n))
                loop_cpu[name].append((time.thread_time() - c0) / n * 1000)
                proc_cpu[name].append((time.process_time() - p0) / n * 1000)
        loop.close()

    med = {k: (statistics.median(loop_cpu[k]), statistics.median(proc_cpu[k])) for k in targets}
    print(f"{form_id}{' (--noop: the request path alone)' if a.noop else ''}: CPU per request, median of "
          f"{a.rounds} rounds of {n}")
    for name in targets:
        lc, pc = med[name]
        print(f"  {name:8s} event loop {lc:6.3f} ms   process {pc:6.3f} ms")
    d_pc = med["direct"][1]
    if not a.noop:
        print(f"  lgforms / direct {med['lgforms'][1] / d_pc:.3f}x; bare / direct {med['bare'][1] / d_pc:.3f}x")
    print(f"  lgforms over bare: event loop +{med['lgforms'][0] - med['bare'][0]:.3f} ms, "
          f"process +{med['lgforms'][1] - med['bare'][1]:.3f} ms")


if __name__ == "__main__":
    main()
