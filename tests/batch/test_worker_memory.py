"""The peak memory a batch worker reports is its own, not that of the process that started it.

Linux keeps ``ru_maxrss`` across fork + exec: a worker spawned by a large driver (Dask's nanny
spawns its workers; so does a process pool with the spawn method) reported the driver's size —
batch_bench.py showed 658 MB for Dask workers whose own peak was ~375 MB."""

from __future__ import annotations

import resource

from lgforms.batch.work import _max_rss_kb

from spawned import in_fresh_process

BALLAST_MB = 300


def _child(q) -> None:
    q.put((_max_rss_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def test_a_spawned_worker_reports_its_own_peak_not_its_parent_s():
    ballast = bytearray(BALLAST_MB * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched: resident in this (the parent) process
    assert _max_rss_kb() > BALLAST_MB * 1024
    own, inherited = in_fresh_process(_child)
    del ballast
    # the child is a fresh interpreter with lgforms imported: well under the parent's ballast
    assert own < BALLAST_MB * 1024 / 2, own
    # and the kernel figure it replaces does carry the parent's size (what the test guards against)
    assert inherited > BALLAST_MB * 1024, inherited


def _warm_child(q) -> None:
    import gc

    from lgforms.batch.work import warm

    before = gc.get_freeze_count()
    warm({"form_id": "kojin_zeigaku_kettei_futsu"})
    q.put((before, gc.get_freeze_count(), sum(len(gc.get_objects(g)) for g in range(3))))


def test_a_warmed_worker_s_long_lived_objects_leave_the_collector_s_generations():
    """After ``warm`` (forms, fonts, glyph tables, static parts loaded) a worker's objects are frozen
    (``gc.freeze``): its collections then scan only what its units make, not the ~150,000 objects
    it keeps for its life. In a fresh process, not in this one."""
    before, after, left = in_fresh_process(_warm_child)
    assert before == 0 and after > 50_000, (before, after)
    assert left < after / 100, (left, after)  # next to nothing is left for the collector to scan
