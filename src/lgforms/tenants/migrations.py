"""Versioned schema of the tenant store, for SQLite and PostgreSQL.

Each migration runs once, in order, inside one transaction, and is recorded in
``schema_version``. Never edit a released migration: add the next one. Version 1 is the schema
the first service release created without a version table (``CREATE … IF NOT EXISTS``), so a
store from that release is picked up and migrated like any other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]

    def statements(self, dialect: str) -> tuple[str, ...]:
        return self.sqlite if dialect == "sqlite" else self.postgresql


def _v1(blob: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE IF NOT EXISTS tenants (
            code TEXT PRIMARY KEY, profile_json TEXT NOT NULL, seal_png {blob}, seal_w REAL, seal_h REAL,
            version INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS api_keys (
            key_id TEXT PRIMARY KEY, key_hash TEXT NOT NULL UNIQUE,
            tenant_code TEXT NOT NULL REFERENCES tenants(code), label TEXT, created_at TEXT NOT NULL,
            revoked_at TEXT)""",
        """CREATE TABLE IF NOT EXISTS issue_counters (
            tenant_code TEXT PRIMARY KEY REFERENCES tenants(code), last INTEGER NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS issue_log (
            seq INTEGER NOT NULL, tenant_code TEXT NOT NULL REFERENCES tenants(code),
            public_id TEXT NOT NULL UNIQUE, issue_no TEXT NOT NULL, form_id TEXT NOT NULL,
            issued_at TEXT NOT NULL, pages INTEGER NOT NULL, sha256 TEXT NOT NULL, issued_by TEXT NOT NULL,
            PRIMARY KEY (tenant_code, seq))""",
        "CREATE TABLE IF NOT EXISTS groups (name TEXT PRIMARY KEY, purpose TEXT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS group_members (
            group_name TEXT NOT NULL REFERENCES groups(name), tenant_code TEXT NOT NULL REFERENCES tenants(code),
            PRIMARY KEY (group_name, tenant_code))""",
    )


# v2: a number is taken (and logged) before the render and completed after it, so the issue log
# has rows without a PDF yet; idempotency keys; delivery and void (書損); the day for
# reconciliation (JST, the municipality's day); key expiry (rotation); tenant 外字 fonts; a row
# the readiness probe writes.
_V2_COMMON = (
    "CREATE UNIQUE INDEX issue_log_idem ON issue_log (issued_by, idem_key) WHERE idem_key IS NOT NULL",
    "CREATE INDEX issue_log_day ON issue_log (tenant_code, issued_day)",
    "ALTER TABLE api_keys ADD COLUMN expires_at TEXT",
    "CREATE TABLE service_health (id INTEGER PRIMARY KEY, checked_at TEXT NOT NULL)",
    "INSERT INTO service_health (id, checked_at) VALUES (1, '')",
)

_V2_SQLITE = (
    """CREATE TABLE issue_log_v2 (
        seq INTEGER NOT NULL, tenant_code TEXT NOT NULL REFERENCES tenants(code),
        public_id TEXT NOT NULL UNIQUE, issue_no TEXT NOT NULL, form_id TEXT NOT NULL,
        issued_at TEXT NOT NULL, issued_day TEXT NOT NULL, pages INTEGER, sha256 TEXT, issued_by TEXT NOT NULL,
        idem_key TEXT, request_hash TEXT, rendered_at TEXT, delivered_at TEXT,
        voided_at TEXT, void_reason TEXT, voided_by TEXT,
        PRIMARY KEY (tenant_code, seq))""",
    """INSERT INTO issue_log_v2 (seq, tenant_code, public_id, issue_no, form_id, issued_at, issued_day, pages,
        sha256, issued_by, rendered_at)
        SELECT seq, tenant_code, public_id, issue_no, form_id, issued_at, date(issued_at, '+9 hours'), pages,
        sha256, issued_by, issued_at FROM issue_log""",
    "DROP TABLE issue_log",
    "ALTER TABLE issue_log_v2 RENAME TO issue_log",
    """CREATE TABLE tenant_fonts (
        tenant_code TEXT NOT NULL REFERENCES tenants(code), position INTEGER NOT NULL, name TEXT NOT NULL,
        sha256 TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (tenant_code, position))""",
) + _V2_COMMON

_V2_POSTGRESQL = (
    """ALTER TABLE issue_log ALTER COLUMN pages DROP NOT NULL, ALTER COLUMN sha256 DROP NOT NULL,
        ADD COLUMN issued_day TEXT, ADD COLUMN idem_key TEXT, ADD COLUMN request_hash TEXT,
        ADD COLUMN rendered_at TEXT, ADD COLUMN delivered_at TEXT, ADD COLUMN voided_at TEXT,
        ADD COLUMN void_reason TEXT, ADD COLUMN voided_by TEXT""",
    """UPDATE issue_log SET rendered_at = issued_at,
        issued_day = to_char(issued_at::timestamptz AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD')""",
    "ALTER TABLE issue_log ALTER COLUMN issued_day SET NOT NULL",
    """CREATE TABLE tenant_fonts (
        tenant_code TEXT NOT NULL REFERENCES tenants(code), position INTEGER NOT NULL, name TEXT NOT NULL,
        sha256 TEXT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (tenant_code, position))""",
) + _V2_COMMON

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "tenants, keys, counters, issue log, groups", _v1("BLOB"), _v1("BYTEA")),
    Migration(2, "two-step issuance, idempotency, delivery and void, reconciliation day, key expiry, "
                 "tenant fonts, readiness probe row", _V2_SQLITE, _V2_POSTGRESQL),
)
