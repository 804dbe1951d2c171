"""Run a function in a fresh interpreter (multiprocessing "spawn") and get what it puts on its
queue: for what must not be measured or changed in the test runner itself (its peak memory, its
garbage collector's frozen objects)."""

from __future__ import annotations

import multiprocessing as mp
from typing import Any, Callable


def in_fresh_process(target: Callable[[Any], None], timeout: float = 120) -> Any:
    """``target(queue)`` run in a spawned process (a module-level function); what it put on the queue."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(q,))
    p.start()
    try:
        return q.get(timeout=timeout)
    finally:
        p.join(60)
