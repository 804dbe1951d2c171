"""A batch killed with SIGKILL mid-way resumes (``lgforms batch resume``) to the same manifest
and the same pages as an uninterrupted run; a worker killed mid-unit is replaced in the run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batchdata import KOJIN, tax_records, write_jsonl
from pdfcheck import pdftotext

from lgforms.batch import BatchOptions, LocalExecutor, create_job, open_store, run_job

N = 300
UNIT = 10  # 30 units: the kill lands between units done and units to do


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lgforms.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _pages_text(out: Path) -> list[str]:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    texts = []
    for part in manifest["parts"]:
        texts += pdftotext((out / part["file"]).read_bytes()).split("\f")
    return texts


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("reference")
    records, _ = tax_records(N, bad_every=50)
    src = write_jsonl(d / "in.jsonl", records)
    store = open_store(d / "jobs.db")
    job = create_job(store, BatchOptions(KOJIN, str(src), str(d / "out"), sort="postcode", split_pages=120,
                                         reproducible=True, unit_records=UNIT))
    run_job(store, job, LocalExecutor(0), progress=False)
    return src, d / "out"


def _done_units(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as c:
            return c.execute("SELECT COUNT(*) FROM batch_units WHERE state = 'done'").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_sigkill_then_resume_gives_the_same_manifest_and_pages(reference, tmp_path):
    src, ref_out = reference
    out, db = tmp_path / "out", tmp_path / "jobs.db"
    proc = _cli("batch", KOJIN, str(src), "-o", str(out), "--store", str(db), "--sort", "postcode",
                "--split-pages", "120", "--reproducible", "--unit-records", str(UNIT), "--workers", "1",
                start_new_session=True)
    deadline = time.monotonic() + 120
    while _done_units(db) < 5:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the batch did not get going"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the driver and its worker processes, no clean-up
    proc.wait()
    done = _done_units(db)
    assert 5 <= done < N // UNIT, f"killed too late to test anything ({done} units done)"
    assert not (out / "manifest.json").exists()

    res = subprocess.run([sys.executable, "-m", "lgforms.cli", "batch", "resume", str(out), "--workers", "1",
                          "--quiet"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{N // UNIT - done} of {N // UNIT} units" in res.stderr

    assert json.loads((out / "manifest.json").read_text("utf-8")) == \
        json.loads((ref_out / "manifest.json").read_text("utf-8"))  # sha256 of every part included
    assert (out / "errors.jsonl").read_text("utf-8") == (ref_out / "errors.jsonl").read_text("utf-8")
    assert _pages_text(out) == _pages_text(ref_out)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["rendered"] + summary["rejected"] == summary["records_in"] == N


def test_a_killed_worker_is_replaced_and_nothing_is_lost(reference, tmp_path):
    src, ref_out = reference
    store = open_store(tmp_path / "jobs.db")
    job = create_job(store, BatchOptions(KOJIN, str(src), str(tmp_path / "out"), sort="postcode",
                                         split_pages=120, reproducible=True, unit_records=UNIT))
    killed = []

    class KillOnce(LocalExecutor):
        """Kills one pool worker (SIGKILL) after the third unit came back."""

        def run(self, spec, tasks, on_attempt):
            for i, res in enumerate(super().run(spec, tasks, on_attempt)):
                if i == 2 and not killed:
                    os.kill(res["pid"], signal.SIGKILL)
                    killed.append(res["pid"])
                yield res

    run_job(store, job, KillOnce(2), progress=False)
    assert killed
    assert (tmp_path / "out" / "manifest.json").read_bytes() == (ref_out / "manifest.json").read_bytes()
