"""The durable batch job store: SQLite by default, PostgreSQL (psycopg 3) where the service runs
several instances on one database.

Only the batch's own tables (``batch_jobs``, ``batch_records``, ``batch_units``) are used; no
payload is ever stored — a record is its place in the input (offset, length, line), its record id
and its output position. A unit's outcome (per record: part, pages, mailpieces, or the error
code/path/message) is written in the same transaction that marks the unit done, so a batch killed
at any moment resumes with exactly the units that have no outcome yet.

    store = open_store("lgforms-data/batches.db")            # SQLite file
    store = open_store("postgresql://user@127.0.0.1/lgforms")  # PostgreSQL
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable

from ..errors import LgformsError


class JobNotFound(LgformsError):
    code = "BATCH_NOT_FOUND"


_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS batch_jobs (
        id TEXT PRIMARY KEY,
        tenant TEXT,
        form_id TEXT NOT NULL,
        state TEXT NOT NULL,
        options TEXT NOT NULL,
        input_path TEXT NOT NULL,
        out_dir TEXT NOT NULL,
        records_total INTEGER NOT NULL DEFAULT 0,
        units_total INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        runner TEXT,
        heartbeat DOUBLE PRECISION,
        created DOUBLE PRECISION NOT NULL,
        updated DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS batch_records (
        job_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        line INTEGER NOT NULL,
        byte_offset BIGINT NOT NULL,
        byte_length INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        pos INTEGER,
        unit INTEGER,
        error TEXT,
        PRIMARY KEY (job_id, seq))""",
    "CREATE INDEX IF NOT EXISTS batch_records_unit ON batch_records (job_id, unit, pos)",
    """CREATE TABLE IF NOT EXISTS batch_units (
        job_id TEXT NOT NULL,
        unit INTEGER NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        result TEXT,
        PRIMARY KEY (job_id, unit))""",
]


class BatchStore:
    """One connection, used under a lock (the batch driver and the service's request threads)."""

    def __init__(self, conn, dialect: str, url: str):
        self._conn = conn
        self.dialect = dialect
        self.url = url
        self._lock = threading.RLock()
        with self._lock:
            for stmt in _SCHEMA:
                self._exec(stmt)
            self._commit()

    # -- plumbing ------------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgresql" else sql

    def _exec(self, sql: str, args: tuple | list = ()):
        if self.dialect == "postgresql" and (self._conn.closed or self._conn.broken):
            import psycopg  # the server restarted or the network dropped: a new connection

            self._conn = psycopg.connect(self.url)
        try:
            return self._conn.execute(self._sql(sql), args)
        except Exception:
            try:  # leave no failed transaction behind for the next statement
                self._conn.rollback()
            except Exception:  # noqa: BLE001 - the connection itself is gone; reconnected next time
                pass
            raise

    def _many(self, sql: str, rows: Iterable[tuple]) -> None:
        if self.dialect == "postgresql":
            with self._conn.cursor() as cur:
                cur.executemany(self._sql(sql), list(rows))
        else:
            self._conn.executemany(sql, rows)

    def _commit(self) -> None:
        self._conn.commit()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- jobs ----------------------------------------------------------------------------------
    def create_job(self, job_id: str, *, tenant: str | None, form_id: str, options: dict, input_path: str,
                   out_dir: str) -> None:
        now = time.time()
        with self._lock:
            self._exec("INSERT INTO batch_jobs (id, tenant, form_id, state, options, input_path, out_dir, created, "
                       "updated) VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?)",
                       (job_id, tenant, form_id, json.dumps(options, sort_keys=True), input_path, out_dir, now, now))
            self._commit()

    def job(self, job_id: str, tenant: str | None = None, *, check_tenant: bool = False) -> dict[str, Any]:
        """The job; with ``check_tenant`` another tenant's job is JobNotFound, like a missing one."""
        with self._lock:
            row = self._exec("SELECT id, tenant, form_id, state, options, input_path, out_dir, records_total, "
                             "units_total, error, created, updated FROM batch_jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None or (check_tenant and row[1] != tenant):
            raise JobNotFound(f"no batch {job_id!r}", path="$.id")
        keys = ("id", "tenant", "form_id", "state", "options", "input_path", "out_dir", "records_total",
                "units_total", "error", "created", "updated")
        d = dict(zip(keys, row))
        d["options"] = json.loads(d["options"])
        return d

    def jobs(self, tenant: str | None) -> list[dict]:
        with self._lock:
            rows = self._exec("SELECT id FROM batch_jobs WHERE tenant IS NOT DISTINCT FROM ? ORDER BY created"
                              if self.dialect == "postgresql" else
                              "SELECT id FROM batch_jobs WHERE tenant IS ? ORDER BY created", (tenant,)).fetchall()
        return [self.job(r[0]) for r in rows]

    def set_state(self, job_id: str, state: str, error: str | None = None) -> None:
        with self._lock:
            self._exec("UPDATE batch_jobs SET state = ?, error = ?, updated = ? WHERE id = ?",
                       (state, error, time.time(), job_id))
            self._commit()

    # -- planning ------------------------------------------------------------------------------
    def save_plan(self, job_id: str, records: list[tuple], units: int) -> None:
        """records: (seq, line, offset, length, record_id, pos, unit, error-json or None).
        One transaction: a plan is there whole or not at all."""
        with self._lock:
            self._exec("DELETE FROM batch_records WHERE job_id = ?", (job_id,))
            self._exec("DELETE FROM batch_units WHERE job_id = ?", (job_id,))
            self._many("INSERT INTO batch_records (job_id, seq, line, byte_offset, byte_length, record_id, pos, unit, "
                       "error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ((job_id, *r) for r in records))
            self._many("INSERT INTO batch_units (job_id, unit, state) VALUES (?, ?, 'pending')",
                       ((job_id, u) for u in range(units)))
            self._exec("UPDATE batch_jobs SET state = 'planned', records_total = ?, units_total = ?, updated = ? "
                       "WHERE id = ?", (len(records), units, time.time(), job_id))
            self._commit()

    def unit_records(self, job_id: str, unit: int) -> list[tuple[int, int, int, int, str, int]]:
        """(seq, line, offset, length, record_id, pos) of a unit's records, in output order."""
        with self._lock:
            return [tuple(r) for r in self._exec(
                "SELECT seq, line, byte_offset, byte_length, record_id, pos FROM batch_records "
                "WHERE job_id = ? AND unit = ? ORDER BY pos", (job_id, unit)).fetchall()]

    def planning_errors(self, job_id: str) -> list[tuple[int, int, str, dict]]:
        """(seq, line, record_id, error) of records rejected before rendering."""
        with self._lock:
            rows = self._exec("SELECT seq, line, record_id, error FROM batch_records WHERE job_id = ? AND "
                              "error IS NOT NULL ORDER BY seq", (job_id,)).fetchall()
        return [(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def record_ids(self, job_id: str) -> list[tuple[int, str]]:
        with self._lock:
            return [tuple(r) for r in self._exec(
                "SELECT seq, record_id FROM batch_records WHERE job_id = ? ORDER BY seq", (job_id,)).fetchall()]

    # -- units ---------------------------------------------------------------------------------
    def pending_units(self, job_id: str) -> list[int]:
        with self._lock:
            return [r[0] for r in self._exec("SELECT unit FROM batch_units WHERE job_id = ? AND state <> 'done' "
                                             "ORDER BY unit", (job_id,)).fetchall()]

    def note_attempt(self, job_id: str, unit: int) -> int:
        with self._lock:
            self._exec("UPDATE batch_units SET attempts = attempts + 1 WHERE job_id = ? AND unit = ?", (job_id, unit))
            self._commit()
            return self._exec("SELECT attempts FROM batch_units WHERE job_id = ? AND unit = ?",
                              (job_id, unit)).fetchone()[0]

    def complete_unit(self, job_id: str, unit: int, result: dict) -> None:
        with self._lock:
            self._exec("UPDATE batch_units SET state = 'done', result = ? WHERE job_id = ? AND unit = ?",
                       (json.dumps(result, ensure_ascii=False, sort_keys=True), job_id, unit))
            now = time.time()
            self._exec("UPDATE batch_jobs SET updated = ?, heartbeat = ? WHERE id = ?", (now, now, job_id))
            self._commit()

    def claim(self, runner: str, stale_after: float) -> str | None:
        """Take one of the service's jobs (those with a tenant) to run: a new one, or one whose
        runner stopped beating for ``stale_after`` seconds (its process died). Atomic: two runners
        never get the same job."""
        now = time.time()
        with self._lock:
            rows = self._exec("SELECT id FROM batch_jobs WHERE state IN ('planned', 'running', 'finishing') "
                              "AND tenant IS NOT NULL AND (runner IS NULL OR heartbeat IS NULL OR heartbeat < ?) ORDER BY created",
                              (now - stale_after,)).fetchall()
            for (job_id,) in rows:
                cur = self._exec("UPDATE batch_jobs SET runner = ?, heartbeat = ? WHERE id = ? AND "
                                 "(runner IS NULL OR heartbeat IS NULL OR heartbeat < ?)",
                                 (runner, now, job_id, now - stale_after))
                self._commit()
                if cur.rowcount == 1:
                    return job_id
        return None

    def beat(self, job_id: str, runner: str) -> None:
        with self._lock:
            self._exec("UPDATE batch_jobs SET heartbeat = ? WHERE id = ? AND runner = ?", (time.time(), job_id, runner))
            self._commit()

    def unit_results(self, job_id: str) -> list[tuple[int, dict | None]]:
        with self._lock:
            rows = self._exec("SELECT unit, result FROM batch_units WHERE job_id = ? ORDER BY unit",
                              (job_id,)).fetchall()
        return [(r[0], json.loads(r[1]) if r[1] else None) for r in rows]

    def progress(self, job_id: str) -> dict[str, int]:
        """Records and pages of the finished units, rejected so far (planning + rendering)."""
        done = rendered = rejected = pages = 0
        with self._lock:
            rows = self._exec("SELECT result FROM batch_units WHERE job_id = ? AND state = 'done'",
                              (job_id,)).fetchall()
            planning = self._exec("SELECT COUNT(*) FROM batch_records WHERE job_id = ? AND error IS NOT NULL",
                                  (job_id,)).fetchone()[0]
        for (r,) in rows:
            res = json.loads(r)
            done += 1
            rendered += len(res["records"])
            rejected += len(res["errors"])
            pages += sum(p["pages"] for p in res["parts"])
        return {"units_done": done, "rendered": rendered, "rejected": rejected + planning, "pages": pages}


def open_store(url: str | Path) -> BatchStore:
    """A store from a path / ``sqlite:///path`` (SQLite) or a ``postgresql://`` URL."""
    s = str(url)
    if s.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg
        except ImportError:
            raise LgformsError("a PostgreSQL batch store needs psycopg 3 (pip install 'lgforms[postgresql]')",
                               code="BATCH_INVALID") from None
        conn = psycopg.connect(s)
        return BatchStore(conn, "postgresql", s)
    path = Path(s[len("sqlite:///"):] if s.startswith("sqlite:///") else s)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return BatchStore(conn, "sqlite", str(path.resolve()))
