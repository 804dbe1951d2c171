"""Load benchmark of the REST service, loopback only, bounded in time.

    python benchmarks/service_bench.py [--seconds 30] [--clients 2] [--workers 2]
                                       [--store sqlite|postgresql] [--mode load|sequential|issue]

Starts ``lgforms serve`` on 127.0.0.1 (own temporary store: a SQLite file, or a fresh database
on a PostgreSQL — ``$LGFORMS_TEST_PG``, else a throwaway cluster started like the tests do —
with one demo tenant), then:

* ``load``: for each document kind (a postcard, the A4 税額決定通知書) N concurrent clients for
  the given time, each sending render requests back to back: req/s, p50/p95/p99, errors, the ratio
  of the HTTP p50 to the in-process ``lgforms.render`` median measured in the same run, and the
  server's RSS over the run (sampled every second from /proc; a growth means a leak);
* ``sequential``: one client, one request at a time (one worker): the HTTP median against the
  in-process median of the same document, interleaved in the same run (the HTTP overhead), with
  a lean client (the standard library's http.client) and with httpx, and the server's CPU per
  request against the in-process render's CPU;
* ``issue``: N clients issuing 印鑑登録証明書 (a 発行番号 each): certificates per second and
  latency, and a check that the issue log is gap-free afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "api"))

import lgforms  # noqa: E402
from lgforms.tenants.profile import demo_profile  # noqa: E402
from lgforms.tenants.store import TenantStore  # noqa: E402
from lgforms_api.payloads import as_request  # noqa: E402

POSTCARD_CANDIDATES = ["senkyo_nyujoken_atchaku", "kokuho_shikaku_kakuninsho", "kokuho_shikaku_joho_oshirase"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_children(pid: int) -> list[int]:
    """The server process and its children (uvicorn workers)."""
    try:
        return [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return [pid]


def rss_kib(pid: int) -> int:
    """RSS of a process and its children (uvicorn workers), KiB."""
    total = 0
    for p in with_children(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def request_payload(form_id: str) -> dict:
    form = lgforms.Catalog().get(form_id)
    return as_request(form, form.sample())


def in_process_ms(form_id: str, payload: dict, n: int = 60) -> float:
    for _ in range(5):
        lgforms.render(form_id, payload)
    t = []
    for _ in range(n):
        t0 = time.perf_counter()
        lgforms.render(form_id, payload)
        t.append(time.perf_counter() - t0)
    return statistics.median(t) * 1000


def load(url: str, key: str, form_id: str, payload: dict, seconds: float, clients: int, pid: int) -> dict:
    lat: list[float] = []
    errors: list[int] = []
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    body = json.dumps(payload, ensure_ascii=False).encode()

    def client():
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}",
                                                 "Content-Type": "application/json"}, timeout=60) as c:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = c.post(f"/v1/forms/{form_id}/render", content=body)
                dt = time.perf_counter() - t0
                with lock:
                    (lat if r.status_code == 200 else errors).append(dt if r.status_code == 200 else r.status_code)

    rss = [rss_kib(pid)] if pid else [0]
    threads = [threading.Thread(target=client) for _ in range(clients)]
    t_start = time.monotonic()
    for th in threads:
        th.start()
    while any(th.is_alive() for th in threads):
        time.sleep(1)
        rss.append(rss_kib(pid) if pid else 0)
    elapsed = time.monotonic() - t_start
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [0] * 99
    return {"requests": len(lat), "errors": len(errors), "rps": len(lat) / elapsed,
            "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000, "rss": rss}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (uvicorn workers), from /proc."""
    total = 0
    for p in with_children(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


class LeanClient:
    """One kept-alive connection with the standard library's http.client: what a core system's
    client costs (a few tens of µs), so that the time measured is the service's. httpx, measured
    beside it, spends ~1.4 ms of its own CPU per request on this machine."""

    def __init__(self, url: str, headers: dict[str, str]):
        import http.client
        from urllib.parse import urlsplit

        u = urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.headers = headers

    def post(self, path: str, body: bytes) -> bytes:
        self.conn.request("POST", path, body=body, headers=self.headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}: {data[:200]!r}")
        return data

    def close(self) -> None:
        self.conn.close()


def sequential(url: str, key: str, form_id: str, payload: dict, pid: int, bare_url: str | None = None,
               n: int = 200) -> None:
    """HTTP and in-process medians, measured in alternating rounds of the same run, with a lean
    client (http.client) and with httpx; and the server's CPU per request (from /proc, robust to
    other load on the machine) against the in-process render's CPU. With ``bare_url`` (a
    bare_service.py beside it), the floor: the same document through a bare ASGI app on the same
    server, timed with the lean client in the same rounds."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    path = f"/v1/forms/{form_id}/render"
    lean_t: list[float] = []
    httpx_t: list[float] = []
    local_t: list[float] = []
    bare_t: list[float] = []
    server_cpu = local_cpu = 0.0
    lean = LeanClient(url, headers)
    bare = LeanClient(bare_url, {"Content-Type": "application/json"}) if bare_url else None
    # the bare app renders what lgforms.render renders here: the payload as sent, no tenant
    bare_body = json.dumps(payload, ensure_ascii=False).encode()
    with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
        for _ in range(20):
            lean.post(path, body)
            c.post(path, content=body).raise_for_status()
            lgforms.render(form_id, payload)
            if bare:
                bare.post(path, bare_body)
        for _ in range(n // 20):
            s0 = cpu_seconds(pid)
            for _ in range(20):
                t0 = time.perf_counter()
                lean.post(path, body)
                lean_t.append(time.perf_counter() - t0)
            server_cpu += cpu_seconds(pid) - s0
            for _ in range(20):
                t0 = time.perf_counter()
                c.post(path, content=body).raise_for_status()
                httpx_t.append(time.perf_counter() - t0)
            c0 = time.process_time()
            for _ in range(20):
                t0 = time.perf_counter()
                lgforms.render(form_id, payload)
                local_t.append(time.perf_counter() - t0)
            local_cpu += time.process_time() - c0
            for _ in range(20 if bare else 0):
                t0 = time.perf_counter()
                bare.post(path, bare_body)
                bare_t.append(time.perf_counter() - t0)
    lean.close()
    h, hx, loc = (statistics.median(t) * 1000 for t in (lean_t, httpx_t, local_t))
    scpu, lcpu = server_cpu / len(lean_t) * 1000, local_cpu / len(local_t) * 1000
    print(f"  in-process lgforms.render median {loc:.2f} ms (CPU {lcpu:.2f} ms)")
    print(f"  HTTP, http.client: median {h:.2f} ms = {h / loc:.2f}x in-process (+{h - loc:.2f} ms per request)")
    print(f"  HTTP, httpx:       median {hx:.2f} ms = {hx / loc:.2f}x in-process (+{hx - loc:.2f} ms per request)")
    if bare:
        bare.close()
        b = statistics.median(bare_t) * 1000
        print(f"  floor, a bare ASGI app on the same server (http.client): median {b:.2f} ms = {b / loc:.2f}x "
              f"in-process (+{b - loc:.2f} ms); the service over the floor +{h - b:.2f} ms")
    print(f"  server CPU per request {scpu:.2f} ms = {scpu / lcpu:.2f}x the in-process render's CPU "
          f"(+{scpu - lcpu:.2f} ms: HTTP parsing, routing, auth, guard, metrics, log)")


def issue(url: str, key: str, seconds: float, clients: int) -> None:
    form_id = "inkan_toroku_shomeisho"
    r = load(url, key, form_id, request_payload(form_id), seconds, clients, 0)
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
        log: list[dict] = []
        while True:
            page = c.get("/v1/tenants/992011/issues", params={"after": log[-1]["seq"] if log else 0,
                                                               "limit": 1000}).json()
            if not page:
                break
            log += page
    gap_free = [e["seq"] for e in log] == list(range(1, len(log) + 1))
    print(f"  certificates: {r['requests']} issued, {r['errors']} errors, {r['rps']:.1f} issues/s; "
          f"p50 {r['p50']:.1f} ms p95 {r['p95']:.1f} ms p99 {r['p99']:.1f} ms; log {len(log)} entries, "
          f"gap-free: {gap_free}")


def store_target(kind: str, d: str) -> str:
    if kind == "sqlite":
        return str(Path(d) / "bench.db")
    sys.path.insert(0, str(ROOT / "tests"))
    import pgserver  # the tests' helper: $LGFORMS_TEST_PG or a throwaway cluster on 127.0.0.1

    return pgserver.new_database()


def demo_tenant_key(db: str) -> str:
    """Put the demo tenant into the store at ``db`` and return a new API key of it."""
    store = TenantStore(db)
    store.put_tenant(demo_profile())
    _, key = store.add_key(demo_profile().code, "bench")
    store.close()
    return key


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--mode", choices=["load", "sequential", "issue"], default="load")
    args = ap.parse_args()
    if args.mode == "sequential":
        args.workers = 1

    ids = lgforms.Catalog().ids()
    postcard = next((f for f in POSTCARD_CANDIDATES if f in ids), None)
    kinds = ([(postcard, "postcard")] if postcard else []) + [("kojin_zeigaku_kettei_futsu", "A4 notice")]
    if os.environ.get("BENCH_ONLY"):
        kinds = [k for k in kinds if k[0] == os.environ["BENCH_ONLY"]]
    with tempfile.TemporaryDirectory() as d:
        db = store_target(args.store, d)
        key = demo_tenant_key(db)
        port = free_port()
        env = {**os.environ, "LGFORMS_DB": str(db), "LGFORMS_RATE_PER_SECOND": "100000", "LGFORMS_RATE_BURST": "100000"}
        log = open(Path(d) / "server.log", "w")
        proc = subprocess.Popen([sys.executable, "-c", "import sys; from lgforms.cli import main; sys.exit(main())",
                                 "serve", "--port", str(port), "--workers", str(args.workers)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        bare_proc = bare_url = None
        if args.mode == "sequential":  # the floor beside it: a bare ASGI app on the same server
            bare_port = free_port()
            bare_url = f"http://127.0.0.1:{bare_port}"
            bare_proc = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "bare_service.py"), str(bare_port)],
                                         env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            for u in [url] + ([bare_url] if bare_url else []):
                for _ in range(300):
                    try:  # the service: ready once warm; the bare app answers 404 at once
                        if httpx.get(u + ("/readyz" if u == url else "/"), timeout=2).status_code == (
                                200 if u == url else 404):
                            break
                    except httpx.HTTPError:
                        pass
                    time.sleep(0.1)
            print(f"server: {args.workers} worker(s), {args.store} store; {args.clients} clients for "
                  f"{args.seconds:.0f} s per kind; {os.cpu_count()} CPUs shared by server and clients")
            if args.mode == "issue":
                issue(url, key, args.seconds, args.clients)
                return
            for form_id, label in kinds:
                if args.mode == "sequential":
                    print(f"\n{label} ({form_id})")
                    sequential(url, key, form_id, request_payload(form_id), proc.pid, bare_url)
                    continue
                payload = request_payload(form_id)
                with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
                    for _ in range(4 * args.workers):  # warm every worker (fonts, subset preprocessing)
                        c.post(f"/v1/forms/{form_id}/render", json=payload).raise_for_status()
                inproc = in_process_ms(form_id, payload)
                r = load(url, key, form_id, payload, args.seconds, args.clients, proc.pid)
                rss = r["rss"]
                print(f"\n{label} ({form_id})")
                print(f"  {r['requests']} requests, {r['errors']} errors, {r['rps']:.1f} req/s")
                print(f"  latency p50 {r['p50']:.1f} ms  p95 {r['p95']:.1f} ms  p99 {r['p99']:.1f} ms "
                      f"(target p50 ≤ 50 ms for a postcard)")
                print(f"  in-process lgforms.render median {inproc:.1f} ms; HTTP p50 / in-process = "
                      f"{r['p50'] / inproc:.2f}x")
                third = max(1, len(rss) // 3)
                print(f"  server RSS: start {rss[0] / 1024:.0f} MiB, max {max(rss) / 1024:.0f} MiB, end "
                      f"{rss[-1] / 1024:.0f} MiB; mean of last third vs middle third "
                      f"{(statistics.mean(rss[-third:]) - statistics.mean(rss[third:2 * third])) / 1024:+.1f} MiB")
        finally:
            for pr in (proc, bare_proc):
                if pr:
                    pr.terminate()
                    pr.wait(10)
            if args.store == "postgresql":
                import pgserver

                pgserver.stop()


if __name__ == "__main__":
    main()
