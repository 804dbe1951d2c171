"""The batch job store on a real PostgreSQL server (started here on 127.0.0.1): a job planned,
half run, picked up again through a new connection, finished; the same manifest as with SQLite."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
from batchdata import KOJIN, tax_records, write_jsonl

from lgforms.batch import BatchOptions, LocalExecutor, create_job, open_store, run_job
from lgforms.batch.runner import _tasks, job_spec
from lgforms.batch.work import render_unit

psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is needed for the PostgreSQL store")


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    cands = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return cands[-1] if cands else None


@pytest.fixture(scope="module")
def postgres_url():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not (initdb and pg_ctl):
        if os.environ.get("LGFORMS_TEST_REQUIRE_PG"):  # CI: a skip here would hide a broken install
            pytest.fail("PostgreSQL server binaries not found, but LGFORMS_TEST_REQUIRE_PG is set")
        pytest.skip("PostgreSQL server binaries not installed (.ci/run installs Debian's postgresql)")
    d = tempfile.mkdtemp(prefix="lgforms-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: use the postgres account
        shutil.chown(d, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = os.path.join(d, "data")
    subprocess.run([*as_user, initdb, "-D", data, "-A", "trust", "-U", "lgforms", "--no-sync"], check=True,
                   capture_output=True)
    subprocess.run([*as_user, pg_ctl, "-D", data, "-l", os.path.join(d, "log"), "-w", "-t", "60", "-o",
                    f"-p {port} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], check=True,
                   capture_output=True)
    try:
        url = f"postgresql://lgforms@127.0.0.1:{port}/postgres"
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(url).close()
                break
            except psycopg.OperationalError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        yield url
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def test_postgres_store_resumes_and_matches_sqlite(postgres_url, tmp_path):
    records, _ = tax_records(60, bad_every=20)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    opts = dict(sort="postcode", split_pages=40, unit_records=8, reproducible=True)

    store = open_store(postgres_url)
    assert store.dialect == "postgresql"
    job = create_job(store, BatchOptions(KOJIN, str(src), str(tmp_path / "pg"), **opts))
    # half the units done by a "process" that then dies (its connection closed, nothing finished)
    spec = job_spec(job)
    pending = store.pending_units(job["id"])
    for unit, recs in _tasks(store, job, pending[: len(pending) // 2]):
        res = render_unit(spec, unit, recs)
        for k, part in enumerate(res["parts"]):
            d = tmp_path / "pg" / ".lgforms-batch" / "units"
            d.mkdir(parents=True, exist_ok=True)
            (d / f"u{unit:06d}-{k}.pdf").write_bytes(part.pop("data"))
        store.complete_unit(job["id"], unit, res)
    store.close()

    store = open_store(postgres_url)  # a new process: resume
    job = store.job(job["id"])
    assert len(store.pending_units(job["id"])) == len(pending) - len(pending) // 2
    summary = run_job(store, job, LocalExecutor(0), progress=False)
    assert summary["rendered"] + summary["rejected"] == summary["records_in"] == 60

    lite = open_store(tmp_path / "jobs.db")
    run_job(lite, create_job(lite, BatchOptions(KOJIN, str(src), str(tmp_path / "lite"), **opts)), LocalExecutor(0),
            progress=False)
    for name in ("manifest.json", "errors.jsonl"):
        assert (tmp_path / "pg" / name).read_bytes() == (tmp_path / "lite" / name).read_bytes()
    assert json.loads((tmp_path / "pg" / "summary.json").read_text())["records_in"] == 60


def test_postgres_claim_is_exclusive(postgres_url, tmp_path):
    records, _ = tax_records(5, bad_every=None)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    a, b = open_store(postgres_url), open_store(postgres_url)
    job = create_job(a, BatchOptions(KOJIN, str(src), str(tmp_path / "o"), tenant_code="992011"))
    got = [a.claim("runner-a", 60.0), b.claim("runner-b", 60.0)]
    assert job["id"] in got and got.count(job["id"]) == 1
