"""A time limit that holds in every stage of a render (layout, write, PNG), not only between them.

``render_result(deadline=…)`` opens a scope; the stages call ``check`` at their natural steps —
each text fitted, each page drawn, each font subset, the raster — so a request over its limit
stops within one such step (milliseconds) with ``LIMIT_EXCEEDED``, whatever stage it is in.
A context variable carries the deadline: it follows the render into the service's worker
thread and never leaks into another request.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from .errors import LimitExceeded

_deadline: ContextVar[float | None] = ContextVar("lgforms_deadline", default=None)


@contextmanager
def deadline_scope(deadline: float | None) -> Iterator[None]:
    """Within: ``check`` raises once ``time.perf_counter()`` passes ``deadline`` (None: no limit;
    an enclosing earlier deadline stays in force)."""
    outer = _deadline.get()
    if deadline is None or (outer is not None and outer <= deadline):
        yield
        return
    token = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def check(stage: str) -> None:
    d = _deadline.get()
    if d is not None and time.perf_counter() > d:
        raise LimitExceeded(f"render time limit reached during {stage}", detail={"stage": stage})
