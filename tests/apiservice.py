"""Helpers for the API tests: a real lgforms service: uvicorn on 127.0.0.1 (random port), its own store
(a SQLite file, or a database of its own on a real PostgreSQL: see pgserver.py), municipalities
with keys (created through the admin API), server log captured."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ADMIN = "test-admin-token-" + os.urandom(4).hex()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Service:
    url: str
    log: Path
    proc: subprocess.Popen
    keys: dict[str, str]
    db: str = ""
    store: str = "sqlite"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def client(self, code: str | None = None, **kw) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[code]}"} if code else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kw)

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=60)


def clean_environ() -> dict[str, str]:
    """The caller's environment without any LGFORMS_* or PROMETHEUS_MULTIPROC_DIR setting: a service
    under test is configured by the test alone (a developer's LGFORMS_MAX_PAGES, LGFORMS_FORMS_DIR or
    LGFORMS_DB in the shell must not change what the tests see)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("LGFORMS_") and k != "PROMETHEUS_MULTIPROC_DIR"}


def store_url(tmp: Path, store: str) -> str:
    if store == "postgresql":
        import pgserver

        return pgserver.new_database()
    return str(tmp / "lgforms.db")


def start_service(tmp: Path, store: str = "sqlite", *, db: str | None = None, workers: int = 1,
                  port: int | None = None, log_name: str = "server.log", **env) -> Service:
    """``db``: an existing store to share (two instances on one PostgreSQL)."""
    port = port or free_port()
    log = tmp / log_name
    db = db or store_url(tmp, store)
    e = {**clean_environ(), "LGFORMS_DB": db, "LGFORMS_ADMIN_TOKEN": ADMIN,
         "LGFORMS_AUTH_FAIL_BURST": "100000", "LGFORMS_METRICS_DIR": str(tmp / f"metrics-{port}"), **env}
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from lgforms.cli import main; sys.exit(main())",
         "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=e, stdout=open(log, "a"), stderr=subprocess.STDOUT, cwd=tmp)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("server exited:\n" + log.read_text())
        time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("server did not start:\n" + log.read_text())
    return Service(url, log, proc, {}, db, "postgresql" if db.startswith("postgresql") else "sqlite")


def add_tenant(svc: Service, profile: dict, seal_png: bytes | None = None, seal_mm: float = 21) -> str:
    with svc.admin() as a:
        r = a.post("/v1/admin/tenants", json=profile)
        assert r.status_code == 201, r.text
        if seal_png:
            r = a.put(f"/v1/admin/tenants/{profile['code']}/seal",
                      json={"png_base64": base64.b64encode(seal_png).decode(), "size_mm": seal_mm})
            assert r.status_code == 200, r.text
        r = a.post(f"/v1/admin/tenants/{profile['code']}/keys", json={"label": "test"})
        assert r.status_code == 201, r.text
        svc.keys[profile["code"]] = r.json()["key"]
    return profile["code"]


def seal_png(color: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(im).rectangle([8, 8, 191, 191], outline=color + (255,), width=14)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _demo() -> dict:
    """Tenant A: the demo municipality's profile (contacts per 業務, issuers, payment, 条例) without its seal."""
    from lgforms.tenants.profile import demo_profile

    return demo_profile().model_dump(mode="json", exclude={"seal", "fonts"})


A = _demo()
B = {"code": "992020", "name": "東雲県かもめ市", "mayor_title": "かもめ市長", "mayor_name": "浜田　港",
     "contacts": {"zeimu": "かもめ市役所 税務課　電話 0000-00-1111"}}
C = {"code": "992038", "name": "東雲県ひばり町", "mayor_title": "ひばり町長", "mayor_name": "森　一郎"}
SEAL_A, SEAL_B = seal_png((200, 0, 0)), seal_png((0, 0, 200))
