"""The embedded tenant store (SQLite): municipalities, API keys, groups, 発行番号 counters and the
issue log. No external server; WAL mode so that several service workers share one file.

Nothing personal is stored: the issue log keeps form, time, page count and the PDF's sha256.
API keys are stored as SHA-256 hashes (they are 256-bit random tokens, so an unsalted hash is
enough to make a stolen database useless for calling the API).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import LgformsError, TenantInvalid
from .profile import TenantProfile, make_profile

SCHEMA = """
CREATE TABLE IF NOT EXISTS tenants (
    code TEXT PRIMARY KEY,
    profile_json TEXT NOT NULL,
    seal_png BLOB,
    seal_w REAL,
    seal_h REAL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    tenant_code TEXT NOT NULL REFERENCES tenants(code),
    label TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS issue_counters (
    tenant_code TEXT PRIMARY KEY REFERENCES tenants(code),
    last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS issue_log (
    seq INTEGER NOT NULL,
    tenant_code TEXT NOT NULL REFERENCES tenants(code),
    public_id TEXT NOT NULL UNIQUE,
    issue_no TEXT NOT NULL,
    form_id TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    pages INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    PRIMARY KEY (tenant_code, seq)
);
CREATE TABLE IF NOT EXISTS groups (
    name TEXT PRIMARY KEY,
    purpose TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS group_members (
    group_name TEXT NOT NULL REFERENCES groups(name),
    tenant_code TEXT NOT NULL REFERENCES tenants(code),
    PRIMARY KEY (group_name, tenant_code)
);
"""

# Group purposes and the only forms a member may issue for another member.
GROUP_PURPOSES: dict[str, frozenset[str]] = {
    "risai": frozenset({"common_risai_shomeisho"}),  # 罹災証明書, disaster BCP (相互応援協定)
}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssueEntry:
    public_id: str
    seq: int
    issue_no: str
    form_id: str
    issued_at: str
    pages: int
    sha256: str
    issued_by: str

    def to_dict(self) -> dict:
        return {"id": self.public_id, "seq": self.seq, "issue_no": self.issue_no, "form_id": self.form_id,
                "issued_at": self.issued_at, "pages": self.pages, "sha256": self.sha256,
                "issued_by": self.issued_by}


class NotFound(LgformsError):
    code = "NOT_FOUND"


class TenantStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._profiles: dict[str, tuple[int, TenantProfile]] = {}
        self._lock = threading.Lock()
        with self._connect() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # one short-lived connection per operation: safe across threads and worker processes
        c = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            c.execute("PRAGMA foreign_keys=ON")
            c.execute("PRAGMA busy_timeout=30000")
            yield c
        finally:
            c.close()

    # -- tenants -------------------------------------------------------------------------------
    def put_tenant(self, profile: TenantProfile) -> TenantProfile:
        """Create or update a tenant's profile (its seal is set with ``set_seal``)."""
        data = profile.model_dump(mode="json", exclude={"seal", "fonts"})
        now = _now()
        with self._connect() as c:
            c.execute(
                "INSERT INTO tenants (code, profile_json, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(code) DO UPDATE SET profile_json=excluded.profile_json, "
                "updated_at=excluded.updated_at, version=version+1",
                (profile.code, json.dumps(data, ensure_ascii=False), now, now))
            if profile.seal is not None:
                c.execute("UPDATE tenants SET seal_png=?, seal_w=?, seal_h=?, version=version+1 WHERE code=?",
                          (profile.seal.png, profile.seal.size_mm[0], profile.seal.size_mm[1], profile.code))
        return self.tenant(profile.code)

    def set_seal(self, code: str, png: bytes, size_mm: tuple[float, float]) -> TenantProfile:
        current = self.tenant(code)
        make_profile({**current.model_dump(exclude={"seal"}), "seal": {"png": png, "size_mm": size_mm}})
        with self._connect() as c:
            c.execute("UPDATE tenants SET seal_png=?, seal_w=?, seal_h=?, version=version+1, updated_at=? "
                      "WHERE code=?", (png, size_mm[0], size_mm[1], _now(), code))
        return self.tenant(code)

    def tenant(self, code: str) -> TenantProfile:
        with self._connect() as c:
            row = c.execute("SELECT version FROM tenants WHERE code=?", (code,)).fetchone()
            if row is None:
                raise NotFound(f"no tenant {code}", path="code")
            version = row[0]
            hit = self._profiles.get(code)
            if hit is not None and hit[0] == version:
                return hit[1]  # same object -> the static-part cache keeps hitting
            row = c.execute("SELECT profile_json, seal_png, seal_w, seal_h FROM tenants WHERE code=?",
                            (code,)).fetchone()
        raw = json.loads(row[0])
        if row[1] is not None:
            raw["seal"] = {"png": row[1], "size_mm": (row[2], row[3])}
        profile = make_profile(raw)
        with self._lock:
            self._profiles[code] = (version, profile)
        return profile

    def tenant_codes(self) -> list[str]:
        with self._connect() as c:
            return [r[0] for r in c.execute("SELECT code FROM tenants ORDER BY code")]

    # -- API keys ------------------------------------------------------------------------------
    def add_key(self, code: str, label: str = "") -> str:
        """Create a key for a tenant; the plain key is returned once and never stored."""
        self.tenant(code)
        key = "lgf_" + secrets.token_urlsafe(32)
        key_id = "key_" + secrets.token_hex(6)
        with self._connect() as c:
            c.execute("INSERT INTO api_keys (key_id, key_hash, tenant_code, label, created_at) VALUES (?, ?, ?, ?, ?)",
                      (key_id, hash_key(key), code, label, _now()))
        return key

    def tenant_for_key(self, key: str) -> str | None:
        with self._connect() as c:
            row = c.execute("SELECT tenant_code FROM api_keys WHERE key_hash=? AND revoked_at IS NULL",
                            (hash_key(key),)).fetchone()
        return row[0] if row else None

    def revoke_key(self, code: str, key_id: str) -> None:
        with self._connect() as c:
            n = c.execute("UPDATE api_keys SET revoked_at=? WHERE key_id=? AND tenant_code=?",
                          (_now(), key_id, code)).rowcount
        if not n:
            raise NotFound(f"no key {key_id}")

    def keys(self, code: str) -> list[dict]:
        with self._connect() as c:
            return [{"key_id": r[0], "label": r[1], "created_at": r[2], "revoked_at": r[3]} for r in
                    c.execute("SELECT key_id, label, created_at, revoked_at FROM api_keys WHERE tenant_code=?",
                              (code,))]

    # -- groups (shared use) ---------------------------------------------------------------------
    def add_group(self, name: str, purpose: str) -> None:
        if purpose not in GROUP_PURPOSES:
            raise TenantInvalid(f"unknown group purpose {purpose!r} (known: {', '.join(GROUP_PURPOSES)})")
        with self._connect() as c:
            c.execute("INSERT OR IGNORE INTO groups (name, purpose) VALUES (?, ?)", (name, purpose))

    def add_member(self, group: str, code: str) -> None:
        self.tenant(code)
        with self._connect() as c:
            if c.execute("SELECT 1 FROM groups WHERE name=?", (group,)).fetchone() is None:
                raise NotFound(f"no group {group}")
            c.execute("INSERT OR IGNORE INTO group_members (group_name, tenant_code) VALUES (?, ?)", (group, code))

    def may_issue_for(self, actor: str, owner: str, form_id: str) -> bool:
        """True if ``actor`` may issue ``form_id`` in the name of ``owner`` (same group whose
        purpose covers the form)."""
        with self._connect() as c:
            rows = c.execute(
                "SELECT g.purpose FROM groups g JOIN group_members a ON a.group_name=g.name "
                "JOIN group_members o ON o.group_name=g.name WHERE a.tenant_code=? AND o.tenant_code=?",
                (actor, owner)).fetchall()
        return any(form_id in GROUP_PURPOSES.get(p, ()) for (p,) in rows)

    def shares_group(self, actor: str, owner: str) -> bool:
        with self._connect() as c:
            return c.execute(
                "SELECT 1 FROM group_members a JOIN group_members o ON a.group_name=o.group_name "
                "WHERE a.tenant_code=? AND o.tenant_code=?", (actor, owner)).fetchone() is not None

    # -- 発行番号 and the issue log ----------------------------------------------------------------
    def issue(self, owner: str, form_id: str, issued_by: str,
              render: Callable[[int], tuple[str, bytes, int]]) -> tuple[IssueEntry, bytes]:
        """Take the owner's next 発行番号 and render with it, atomically.

        ``render(seq)`` returns (issue_no text, pdf, pages). The counter row is locked for the
        whole call (``BEGIN IMMEDIATE``): if rendering fails the transaction rolls back and the
        number is not used, so numbers are strictly increasing and gap-free.
        """
        with self._connect() as c:
            c.execute("BEGIN IMMEDIATE")
            try:
                row = c.execute("SELECT last FROM issue_counters WHERE tenant_code=?", (owner,)).fetchone()
                seq = (row[0] if row else 0) + 1
                issue_no, pdf, pages = render(seq)
                entry = IssueEntry("iss_" + secrets.token_urlsafe(12), seq, issue_no, form_id, _now(), pages,
                                   hashlib.sha256(pdf).hexdigest(), issued_by)
                c.execute("INSERT INTO issue_counters (tenant_code, last) VALUES (?, ?) "
                          "ON CONFLICT(tenant_code) DO UPDATE SET last=excluded.last", (owner, seq))
                c.execute("INSERT INTO issue_log (seq, tenant_code, public_id, issue_no, form_id, issued_at, pages, "
                          "sha256, issued_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (seq, owner, entry.public_id, issue_no, form_id, entry.issued_at, pages, entry.sha256,
                           issued_by))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return entry, pdf

    def issues(self, owner: str, *, limit: int = 100, after_seq: int = 0) -> list[IssueEntry]:
        with self._connect() as c:
            rows = c.execute(
                "SELECT public_id, seq, issue_no, form_id, issued_at, pages, sha256, issued_by FROM issue_log "
                "WHERE tenant_code=? AND seq>? ORDER BY seq LIMIT ?", (owner, after_seq, limit)).fetchall()
        return [IssueEntry(*r) for r in rows]

    def issue_entry(self, owner: str, public_id: str) -> IssueEntry:
        with self._connect() as c:
            r = c.execute(
                "SELECT public_id, seq, issue_no, form_id, issued_at, pages, sha256, issued_by FROM issue_log "
                "WHERE tenant_code=? AND public_id=?", (owner, public_id)).fetchone()
        if r is None:
            raise NotFound(f"no issue {public_id}")
        return IssueEntry(*r)
