"""Batch progress: a live bar on a terminal (rich), plain lines when output goes to a file or a log.

Shown: records done of all, records/s, pages, rejected so far, ETA. Never a record's content.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _eta(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "?"
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


class Progress:
    """``update(done, rejected, pages)`` as units finish; ``close()`` at the end."""

    def __init__(self, job_id: str, total: int, *, stream: TextIO | None = None, interval: float = 2.0,
                 enabled: bool = True):
        self.job_id, self.total = job_id, total
        self.stream = stream or sys.stderr
        self.interval = interval
        self.enabled = enabled
        self.t0 = time.perf_counter()
        self.start_done: int | None = None  # records already done when a resumed run started
        self._last = 0.0
        self._bar = None
        if enabled and getattr(self.stream, "isatty", lambda: False)():
            try:
                from rich.console import Console
                from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn,
                                           TimeRemainingColumn)
            except ImportError:  # pragma: no cover - rich is a dependency
                return
            self._bar = RichProgress(TextColumn(f"batch {job_id}"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[rate]} rec/s · {task.fields[pages]} pages · "
                                                "{task.fields[rejected]} rejected"),
                                     TimeRemainingColumn(), console=Console(file=self.stream), transient=False)
            self._task = self._bar.add_task("records", total=total, rate="0", pages="0", rejected="0")
            self._bar.start()

    def update(self, done: int, rejected: int, pages: int, *, force: bool = False) -> None:
        if not self.enabled:
            return
        if self.start_done is None:
            self.start_done = done
        now = time.perf_counter()
        elapsed = max(now - self.t0, 1e-9)
        rate = (done - self.start_done) / elapsed
        if self._bar is not None:
            self._bar.update(self._task, completed=done, rate=f"{rate:,.0f}", pages=f"{pages:,}",
                             rejected=f"{rejected:,}")
            return
        if not force and now - self._last < self.interval:
            return
        self._last = now
        eta = (self.total - done) / rate if rate > 0 else float("nan")
        pct = done / self.total * 100 if self.total else 100.0
        print(f"batch {self.job_id}: {done:,}/{self.total:,} records ({pct:.0f}%), {pages:,} pages, "
              f"{rejected:,} rejected, {rate:,.0f} records/s, ETA {_eta(eta)}", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
