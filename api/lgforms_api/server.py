"""How ``lgforms serve`` runs uvicorn.

* TCP_NODELAY on every connection. asyncio sets it only on sockets whose protocol number is
  IPPROTO_TCP; with ``--workers`` > 1 uvicorn's supervisor binds a socket with protocol 0, the
  workers inherit it, and Nagle + delayed ACK then add ~40 ms to responses on kept-alive
  connections (measured: A4 notice p50 52 ms instead of 10 ms with two workers).
* The request log of ``lgforms.api`` in every worker (workers are fresh processes).
* Metrics summed over workers: a fresh ``PROMETHEUS_MULTIPROC_DIR`` (owner-only) that every
  worker writes its samples to (prometheus_client multiprocess mode; ``LGFORMS_METRICS_DIR`` to
  choose the folder). Set before any worker imports prometheus_client.
"""

from __future__ import annotations

import copy
import socket

from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol


def _nodelay(transport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport) -> None:  # type: ignore[override]
        _nodelay(transport)
        super().connection_made(transport)


try:  # httptools (llhttp, C): parses a request in a fraction of h11's time
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class NoDelayHttpToolsProtocol(HttpToolsProtocol):
        def connection_made(self, transport) -> None:  # type: ignore[override]
            _nodelay(transport)
            super().connection_made(transport)

    HTTP_PROTOCOL = "lgforms_api.server:NoDelayHttpToolsProtocol"
except ImportError:  # pragma: no cover - httptools is a dependency; stay correct without it
    HTTP_PROTOCOL = "lgforms_api.server:NoDelayH11Protocol"


def _loop() -> str:
    try:
        import uvloop  # noqa: F401

        return "uvloop"
    except ImportError:  # pragma: no cover
        return "asyncio"


def log_config() -> dict:
    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["loggers"]["lgforms"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return cfg


def metrics_dir() -> str:
    import os
    import shutil
    import tempfile

    d = os.environ.get("LGFORMS_METRICS_DIR")
    if d:
        shutil.rmtree(d, ignore_errors=True)  # samples of an earlier run are not this run's
        os.makedirs(d, mode=0o700)
    else:
        d = tempfile.mkdtemp(prefix="lgforms-metrics-")
    return d


def run(host: str, port: int, workers: int) -> None:
    import os
    import shutil

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = d = metrics_dir()
    import uvicorn

    try:
        _serve(uvicorn, host, port, workers)
    finally:
        if not os.environ.get("LGFORMS_METRICS_DIR"):
            shutil.rmtree(d, ignore_errors=True)


def _serve(uvicorn, host: str, port: int, workers: int) -> None:
    uvicorn.run("lgforms_api.app:create_app", factory=True, host=host, port=port, workers=workers,
                http=HTTP_PROTOCOL, loop=_loop(), log_config=log_config(), log_level="info",
                access_log=False)  # the request log of lgforms_api.observe replaces it (with ids)
