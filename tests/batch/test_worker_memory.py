"""The peak memory a batch worker reports is its own, not that of the process that started it.

Linux keeps ``ru_maxrss`` across fork + exec: a worker spawned by a large driver (Dask's nanny
spawns its workers; so does a process pool with the spawn method) reported the driver's size —
batch_bench.py showed 658 MB for Dask workers whose own peak was ~375 MB."""

from __future__ import annotations

import multiprocessing as mp
import resource

from lgforms.batch.work import _max_rss_kb

BALLAST_MB = 300


def _child(q) -> None:
    q.put((_max_rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def test_a_spawned_worker_reports_its_own_peak_not_its_parent_s():
    ballast = bytearray(BALLAST_MB * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched: resident in this (the parent) process
    assert _max_rss_kb() > BALLAST_MB * 1024
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(q,))
    p.start()
    own, inherited = q.get(timeout=120)
    p.join(60)
    del ballast
    # the child is a fresh interpreter with lgforms imported: well under the parent's ballast
    assert own < BALLAST_MB * 1024 / 2, own
    # and the kernel figure it replaces does carry the parent's size (what the test guards against)
    assert inherited > BALLAST_MB * 1024, inherited
