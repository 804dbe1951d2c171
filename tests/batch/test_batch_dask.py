"""The batch on a real Dask scheduler with two worker processes on 127.0.0.1 gives the same
files, byte for byte, as the local executor."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batchdata import KOJIN, SENKYO, senkyo_households, tax_records, write_jsonl

from lgforms.batch import BatchOptions, DaskExecutor, LocalExecutor, create_job, open_store, run_job

distributed = pytest.importorskip("distributed", reason="dask.distributed is a test dependency")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """`dask scheduler` + 2 × `dask worker` (one thread each), as separate processes."""
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    procs = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              stdout=open(logs / "scheduler.log", "w"), stderr=subprocess.STDOUT)]
    for i in range(2):
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", addr, "--nthreads", "1", "--nworkers", "1",
             "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}", "--local-directory", str(logs / f"w{i}")],
            stdout=open(logs / f"worker{i}.log", "w"), stderr=subprocess.STDOUT))
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(addr, timeout=5) as c:
                    c.wait_for_workers(2, timeout=60)
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield addr
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _run(tmp: Path, name: str, form: str, src: Path, executor, **opts) -> Path:
    store = open_store(tmp / f"{name}.db")
    job = create_job(store, BatchOptions(form, str(src), str(tmp / name), reproducible=True, **opts))
    summary = run_job(store, job, executor, progress=False)
    assert summary["executor"] == executor.name
    return tmp / name


def _same_files(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir() if p.is_file() and p.name != "summary.json")
    assert names == sorted(p.name for p in b.iterdir() if p.is_file() and p.name != "summary.json")
    assert any(n.startswith("part-") for n in names)
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


def test_dask_and_local_give_the_same_bytes(scheduler, tmp_path):
    records, _ = tax_records(240, bad_every=40)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    opts = dict(sort="postcode", split_pages=90, unit_records=15)
    dask_out = _run(tmp_path, "dask", KOJIN, src, DaskExecutor(scheduler, 2), **opts)
    local_out = _run(tmp_path, "local", KOJIN, src, LocalExecutor(2), **opts)
    _same_files(dask_out, local_out)


def test_dask_mail_with_press_imposition(scheduler, tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", senkyo_households(40))
    opts = dict(sort="barcode", imposition="press", printer_profile="pressure-seal-V-press", unit_records=10)
    dask_out = _run(tmp_path, "dask", SENKYO, src, DaskExecutor(scheduler, 2), **opts)
    local_out = _run(tmp_path, "local", SENKYO, src, LocalExecutor(1), **opts)
    _same_files(dask_out, local_out)
