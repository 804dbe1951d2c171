"""A real PostgreSQL for the tests, on 127.0.0.1.

``.ci/run`` starts one (Debian's ``postgresql`` package) and exports ``LGFORMS_TEST_PG`` — a URL
of a role that may create databases. Without it, the first test that needs PostgreSQL starts a
throwaway cluster itself from the installed binaries (initdb + pg_ctl; as the ``postgres`` user
when run as root), stopped at the end of the session. Every store gets a database of its own.
With neither (no binaries) the PostgreSQL variants are skipped, unless ``LGFORMS_TEST_REQUIRE_PG``
is set (CI), where that is a failure.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

_server: "_Cluster | None" = None


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class _Cluster:
    def __init__(self) -> None:
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise FileNotFoundError("PostgreSQL binaries (initdb, pg_ctl) not found")
        self.pg_ctl = pg_ctl
        self.dir = Path(tempfile.mkdtemp(prefix="lgforms-pg-"))
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        user = os.environ.get("USER") or "postgres"
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.as_user = ["runuser", "-u", "postgres", "--"]
            user = "postgres"
            shutil.chown(self.dir, "postgres", "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._run([initdb, "-D", str(self.data), "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        opts = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir} " \
               f"-c fsync=off -c max_connections=200"
        self._run([pg_ctl, "-D", str(self.data), "-o", opts, "-l", str(self.dir / "pg.log"), "-w", "start"])
        self.url = f"postgresql://{user}@127.0.0.1:{self.port}/postgres"

    def _run(self, cmd: list[str]) -> None:
        subprocess.run(self.as_user + cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        subprocess.run(self.as_user + [self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def admin_url() -> str:
    """URL of a role that may create databases (skips, or fails in CI, if there is none)."""
    global _server
    url = os.environ.get("LGFORMS_TEST_PG")
    if url:
        return url
    if _server is None:
        try:
            _server = _Cluster()
        except (FileNotFoundError, subprocess.CalledProcessError) as e:
            if os.environ.get("LGFORMS_TEST_REQUIRE_PG"):
                raise
            pytest.skip(f"no PostgreSQL: {e}")
    return _server.url


def stop() -> None:
    global _server
    if _server is not None:
        _server.stop()
        _server = None


def new_database() -> str:
    """A fresh, empty database; its URL."""
    import psycopg

    base = admin_url()
    name = "lgf_" + secrets.token_hex(6)
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}"


def sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        c.execute(statement)


def wait_ready(url: str, seconds: float = 10) -> None:
    import psycopg

    end = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)
