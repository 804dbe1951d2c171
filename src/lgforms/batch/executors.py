"""Executors: where work units run.

* ``local``: a process pool on this machine (``--workers N``; 0 runs in this process). Each worker
  loads the form, fonts and postal plan once (pool initializer) and keeps them. A worker killed
  mid-unit (SIGKILL, OOM) breaks the pool: the pool is started again and the units that had not
  come back are run again (at most ``MAX_ATTEMPTS`` times each).
* ``dask``: ``dask.distributed`` — an existing scheduler (``--cluster tcp://host:8786``) or a local
  cluster of ``--workers`` single-threaded worker processes. Dask re-runs a task whose worker died.

Both take tasks ``(unit, records)`` and yield ``render_unit`` results as they complete; the
driver keeps at most a few units per worker in flight, so memory stays bounded.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator

from ..errors import LgformsError
from .work import render_unit, warm

MAX_ATTEMPTS = 3
Task = tuple[int, list]  # (unit, records)


class WorkerLost(LgformsError):
    code = "BATCH_WORKER_LOST"


def _init(spec: dict) -> None:
    warm(spec)


class LocalExecutor:
    name = "local"

    def __init__(self, workers: int):
        self.workers = max(0, workers)

    def run(self, spec: dict, tasks: Iterator[Task], on_attempt: Callable[[int], int]) -> Iterator[dict]:
        if self.workers == 0:
            warm(spec)
            for unit, records in tasks:
                on_attempt(unit)
                yield render_unit(spec, unit, records)
            return
        ctx = multiprocessing.get_context("forkserver")
        in_flight: dict = {}  # future -> task
        retry: list[Task] = []
        attempts: dict[int, int] = {}  # in this run (a resumed batch starts counting again)
        limit = 2 * self.workers
        pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init, initargs=(spec,))
        try:
            exhausted = False
            while True:
                while len(in_flight) < limit and (retry or not exhausted):
                    if retry:
                        task = retry.pop(0)
                    else:
                        task = next(tasks, None)
                        if task is None:
                            exhausted = True
                            break
                    on_attempt(task[0])
                    attempts[task[0]] = attempts.get(task[0], 0) + 1
                    if attempts[task[0]] > MAX_ATTEMPTS:
                        raise WorkerLost(f"unit {task[0]} lost its worker {MAX_ATTEMPTS} times (killed, or out of "
                                         f"memory?); the batch stops — resume it when the cause is fixed")
                    try:
                        in_flight[pool.submit(render_unit, spec, task[0], task[1])] = task
                    except BrokenProcessPool:  # a worker died since the last result: the pool refuses work
                        retry.append(task)
                        attempts[task[0]] -= 1  # never started
                        break
                broken = pool._broken  # noqa: SLF001 - set when a worker died, before any future says so
                if not in_flight and not broken:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED) if in_flight else (set(), set())
                for fut in done:
                    task = in_flight.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool:
                        broken = True
                        retry.append(task)
                if broken:  # every unit still in flight is lost with the pool: run them again
                    retry.extend(in_flight.values())
                    in_flight.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init, initargs=(spec,))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    name = "dask"

    def __init__(self, cluster: str | None, workers: int):
        self.cluster = cluster
        self.workers = max(1, workers)

    def run(self, spec: dict, tasks: Iterator[Task], on_attempt: Callable[[int], int]) -> Iterator[dict]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise LgformsError("the dask executor needs dask.distributed (pip install 'lgforms[dask]')",
                               code="BATCH_INVALID") from None
        local = None
        if self.cluster:
            client = Client(self.cluster, timeout=30)
        else:
            import logging

            # silence_logs: the cluster's own workers log their shutdown heartbeats as errors
            local = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                 host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(local)
        try:
            client.run(warm, spec)  # fonts and forms once per worker, before the first unit
            n_workers = max(1, len(client.scheduler_info().get("workers", {})))
            limit = 2 * n_workers
            ac = as_completed()
            pending = 0
            for unit, records in tasks:
                on_attempt(unit)
                ac.add(client.submit(render_unit, spec, unit, records, pure=False, retries=MAX_ATTEMPTS - 1))
                pending += 1
                while pending >= limit:
                    fut = next(ac)
                    pending -= 1
                    yield fut.result()
            for fut in ac:
                yield fut.result()
        finally:
            client.close()
            if local is not None:
                local.close()
