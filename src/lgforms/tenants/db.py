"""The two databases a tenant store runs on, behind one small interface.

* SQLite (a file path): the embedded default. One connection per thread, kept open (opening one
  costs ~0.1 ms, a lookup ~20 µs); writes that must be serialised take ``BEGIN IMMEDIATE``,
  SQLite's database-wide write lock, for as long as a few statements take — never a render.
* PostgreSQL (``postgresql://…``, psycopg 3 with a connection pool): for several service
  instances on one database. Serialisation is per row (``UPDATE … RETURNING`` on a tenant's
  counter), so one tenant's issuance never waits for another's.

SQL is written once with ``%s`` placeholders; the SQLite side turns them into ``?``.
Schema changes are versioned migrations (``lgforms.tenants.migrations``), applied when a store
opens, under a lock so that instances starting together apply each exactly once.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

from .migrations import MIGRATIONS


class Tx:
    """A cursor-like handle inside one transaction (or one autocommit statement)."""

    def __init__(self, conn, dialect: str):
        self._c = conn
        self.dialect = dialect

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return list(self._exec(sql, params).fetchall())

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        return self._exec(sql, params).fetchone()

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute; the number of rows changed."""
        return self._exec(sql, params).rowcount

    def _exec(self, sql: str, params: Sequence[Any]):
        if self.dialect == "sqlite":
            return self._c.execute(sql.replace("%s", "?"), tuple(params))
        return self._c.execute(sql, tuple(params))


class Database:
    dialect: str
    url: str

    @staticmethod
    def open(target: str | Path) -> "Database":
        s = str(target)
        if s.startswith(("postgresql://", "postgres://")):
            return PostgresDatabase(s)
        return SqliteDatabase(Path(s))

    @contextmanager
    def tx(self, *, write: bool = True) -> Iterator[Tx]:  # pragma: no cover - interface
        raise NotImplementedError
        yield

    def check_writable(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass

    def schema_version(self) -> int:
        with self.tx(write=False) as t:
            row = t.one("SELECT max(version) FROM schema_version")
        return int(row[0] or 0)

    def _migrate(self, t: Tx) -> None:
        t.run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        current = int((t.one("SELECT max(version) FROM schema_version") or (0,))[0] or 0)
        import datetime as dt

        for m in MIGRATIONS:
            if m.version <= current:
                continue
            for stmt in m.statements(self.dialect):
                t.run(stmt)
            t.run("INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                  (m.version, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: Path):
        self.path = path
        self.url = str(path)
        self._local = threading.local()
        # threads of one process queue here, in order, instead of in SQLite's busy handler, which
        # polls with sleeps of up to 100 ms; other processes (workers) still meet busy_timeout
        self._write_lock = threading.Lock()
        self._create_private(path)
        c = self._conn()
        if c.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            c.execute("PRAGMA journal_mode=WAL")
        if self._pending():  # no write lock (nor a writable file) needed when nothing is pending
            with self.tx() as t:
                self._migrate(t)

    def _pending(self) -> bool:
        c = self._conn()
        if c.execute("SELECT 1 FROM sqlite_master WHERE name='schema_version'").fetchone() is None:
            return True
        return int(c.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0) < MIGRATIONS[-1].version

    @staticmethod
    def _create_private(path: Path) -> None:
        """The store holds key hashes and the issue log: owner-only (0700 folder, 0600 file; SQLite
        gives its -wal and -shm files the database file's mode)."""
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)

    def _conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            c.execute("PRAGMA foreign_keys=ON")
            c.execute("PRAGMA busy_timeout=30000")
            c.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
            self._local.conn = c
        return c

    @contextmanager
    def tx(self, *, write: bool = True) -> Iterator[Tx]:
        c = self._conn()
        if not write:
            yield Tx(c, "sqlite")
            return
        with self._write_lock:
            c.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(c, "sqlite")
            except BaseException:
                c.execute("ROLLBACK")
                raise
            c.execute("COMMIT")

    def check_writable(self) -> None:
        # a fresh connection: a file made read-only after start must show here
        c = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        try:
            c.execute("BEGIN IMMEDIATE")
            c.execute("UPDATE service_health SET checked_at=datetime('now') WHERE id=1")
            c.execute("ROLLBACK")
        finally:
            c.close()

    def close(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str):
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:  # pragma: no cover - depends on the installation
            from ..errors import LgformsError

            raise LgformsError("a postgresql:// store needs psycopg 3 and psycopg-pool "
                               "(pip install 'lgforms[postgresql]')", code="STORE_UNAVAILABLE") from None
        self.url = url
        self._psycopg = psycopg
        # check=: a connection the server dropped (restart, failover) is replaced, not handed out
        self.pool = ConnectionPool(url, min_size=1, max_size=int(os.environ.get("LGFORMS_PG_POOL", "8")),
                                   kwargs={"autocommit": True}, check=ConnectionPool.check_connection,
                                   open=True, name="lgforms")
        with self.tx() as t:
            # instances starting together: one applies the migrations, the others wait and see them
            t.run("SELECT pg_advisory_xact_lock(7461206)")
            self._migrate(t)

    @contextmanager
    def tx(self, *, write: bool = True) -> Iterator[Tx]:
        with self.pool.connection() as conn:
            if not write:
                yield Tx(conn, "postgresql")
                return
            with conn.transaction():
                yield Tx(conn, "postgresql")

    def check_writable(self) -> None:
        # a fresh session: default_transaction_read_only or a standby shows in new sessions
        with self._psycopg.connect(self.url, autocommit=True, connect_timeout=5) as c:
            with c.transaction():
                c.execute("UPDATE service_health SET checked_at=now()::text WHERE id=1")
                raise self._psycopg.Rollback()  # a probe: write, then undo

    def close(self) -> None:
        self.pool.close()

