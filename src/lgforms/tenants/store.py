"""The tenant store: municipalities, API keys, groups, 発行番号 counters and the issue log, on
SQLite (embedded default: a file path) or PostgreSQL (``postgresql://…``, several service
instances on one database). See ``lgforms.tenants.db`` for the two databases.

Nothing personal is stored: the issue log keeps form, times, page count and the PDF's sha256 (and
for an ``Idempotency-Key`` the sha256 of the request, to recognise a retry). API keys are stored
as SHA-256 hashes (they are 256-bit random tokens, so an unsalted hash is enough to make a stolen
database useless for calling the API).

Issuing a certificate is two short transactions around the render, never one long one:

1. ``reserve_issue``: take the owner's next number (``UPDATE … RETURNING`` on its counter row)
   and log it — or find the earlier issuance of the same ``Idempotency-Key``;
2. the caller renders with that number, outside any lock;
3. ``complete_issue``: record the PDF's sha256 and pages (or, if the render failed,
   ``void_issue`` with the reason).

The log is therefore gap-free and strictly increasing even when a process dies between 1 and 3:
the number is in the log without a PDF, and the reconciliation view shows it as open until it is
delivered (the core system confirms receipt with the sha256 it got) or voided (書損, with a reason).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import LgformsError, TenantInvalid
from .db import Database
from .profile import MAX_FONT_BYTES, TenantProfile, check_font, make_profile

# Group purposes and the only forms a member may issue for another member.
GROUP_PURPOSES: dict[str, frozenset[str]] = {
    "risai": frozenset({"common_risai_shomeisho"}),  # 罹災証明書, disaster BCP (相互応援協定)
}

JST = dt.timezone(dt.timedelta(hours=9))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def _later(seconds: float) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class NotFound(LgformsError):
    code = "NOT_FOUND"


class IssueConflict(LgformsError):
    """An issuance cannot do what was asked in its current state (void, other document, …)."""

    code = "ISSUE_CONFLICT"


_ENTRY_COLS = ("public_id, seq, issue_no, form_id, issued_at, pages, sha256, issued_by, delivered_at, voided_at, "
               "void_reason, voided_by, idem_key, request_hash, tenant_code")


@dataclass(frozen=True)
class IssueEntry:
    public_id: str
    seq: int
    issue_no: str
    form_id: str
    issued_at: str
    pages: int | None
    sha256: str | None  # None: the number was taken but no PDF was produced (yet)
    issued_by: str
    delivered_at: str | None = None
    voided_at: str | None = None
    void_reason: str | None = None
    voided_by: str | None = None
    idem_key: str | None = None
    request_hash: str | None = None
    owner: str = ""

    @property
    def status(self) -> str:
        if self.voided_at:
            return "void"
        if self.delivered_at:
            return "delivered"
        return "issued"

    def to_dict(self) -> dict:
        return {"id": self.public_id, "seq": self.seq, "issue_no": self.issue_no, "form_id": self.form_id,
                "issued_at": self.issued_at, "pages": self.pages, "sha256": self.sha256,
                "issued_by": self.issued_by, "status": self.status, "delivered_at": self.delivered_at,
                "voided_at": self.voided_at, "void_reason": self.void_reason}


@dataclass(frozen=True)
class Reservation:
    entry: IssueEntry
    replay: bool  # True: an earlier request with the same Idempotency-Key took this number


class TenantStore:
    def __init__(self, target: str | Path):
        self.db = Database.open(target)
        self.dialect = self.db.dialect
        self._profiles: dict[str, tuple[int, TenantProfile]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.db.close()

    def check_writable(self) -> None:
        """Raise if the database cannot take a write now (read-only file, standby, …)."""
        self.db.check_writable()

    # -- tenants -------------------------------------------------------------------------------
    def put_tenant(self, profile: TenantProfile) -> TenantProfile:
        """Create or update a tenant's profile. Its seal and fonts are stored when the profile
        carries them (a profile YAML read by ``load_profile``), else left as they are."""
        data = profile.model_dump(mode="json", exclude={"seal", "fonts"})
        now = _now()
        fonts = [(Path(p).name, Path(p).read_bytes()) for p in profile.fonts]
        with self.db.tx() as t:
            t.run("INSERT INTO tenants (code, profile_json, created_at, updated_at) VALUES (%s, %s, %s, %s) "
                  "ON CONFLICT(code) DO UPDATE SET profile_json=excluded.profile_json, "
                  "updated_at=excluded.updated_at, version=tenants.version+1",
                  (profile.code, json.dumps(data, ensure_ascii=False), now, now))
            t.run("INSERT INTO issue_counters (tenant_code, last) VALUES (%s, 0) ON CONFLICT(tenant_code) DO NOTHING",
                  (profile.code,))
            if profile.seal is not None:
                t.run("UPDATE tenants SET seal_png=%s, seal_w=%s, seal_h=%s, version=version+1 WHERE code=%s",
                      (profile.seal.png, profile.seal.size_mm[0], profile.seal.size_mm[1], profile.code))
        if fonts:
            self.set_fonts(profile.code, fonts)
        return self.tenant(profile.code)

    def set_seal(self, code: str, png: bytes, size_mm: tuple[float, float]) -> TenantProfile:
        current = self.tenant(code)
        make_profile({**current.model_dump(exclude={"seal"}), "seal": {"png": png, "size_mm": size_mm}})
        with self.db.tx() as t:
            t.run("UPDATE tenants SET seal_png=%s, seal_w=%s, seal_h=%s, version=version+1, updated_at=%s "
                  "WHERE code=%s", (png, size_mm[0], size_mm[1], _now(), code))
        return self.tenant(code)

    def set_fonts(self, code: str, fonts: list[tuple[str, bytes]]) -> TenantProfile:
        """Replace the tenant's own fonts (外字), searched after the bundled ones in this order."""
        self.tenant(code)
        if len(fonts) > 4:
            raise TenantInvalid("a tenant may have at most 4 fonts", path="$.fonts")
        for i, (name, data) in enumerate(fonts):
            check_font(data, path=f"$.fonts[{i}]", name=name)
        with self.db.tx() as t:
            t.run("DELETE FROM tenant_fonts WHERE tenant_code=%s", (code,))
            for i, (name, data) in enumerate(fonts):
                t.run("INSERT INTO tenant_fonts (tenant_code, position, name, sha256, data) VALUES (%s, %s, %s, %s, %s)",
                      (code, i, name[:100], hashlib.sha256(data).hexdigest(), data))
            t.run("UPDATE tenants SET version=version+1, updated_at=%s WHERE code=%s", (_now(), code))
        return self.tenant(code)

    def tenant(self, code: str, *, version: int | None = None) -> TenantProfile:
        """The tenant's profile (cached per version: the same object while it is unchanged, so
        caches keyed by profile keep hitting). ``version``: already known (from ``authenticate``)."""
        hit = self._profiles.get(code)
        if version is not None and hit is not None and hit[0] == version:
            return hit[1]
        with self.db.tx(write=False) as t:
            row = t.one("SELECT version FROM tenants WHERE code=%s", (code,))
            if row is None:
                raise NotFound(f"no tenant {code}", path="code")
            version = row[0]
            if hit is not None and hit[0] == version:
                return hit[1]
            row = t.one("SELECT profile_json, seal_png, seal_w, seal_h, version FROM tenants WHERE code=%s", (code,))
            fonts = t.all("SELECT sha256, data FROM tenant_fonts WHERE tenant_code=%s ORDER BY position", (code,))
        raw = json.loads(row[0])
        if row[1] is not None:
            raw["seal"] = {"png": bytes(row[1]), "size_mm": (row[2], row[3])}
        raw["fonts"] = [str(_font_file(sha, bytes(data))) for sha, data in fonts]
        profile = make_profile(raw)
        with self._lock:
            self._profiles[code] = (row[4], profile)
        return profile

    def tenant_codes(self) -> list[str]:
        with self.db.tx(write=False) as t:
            return [r[0] for r in t.all("SELECT code FROM tenants ORDER BY code")]

    # -- API keys ------------------------------------------------------------------------------
    def add_key(self, code: str, label: str = "") -> tuple[str, str]:
        """Create a key for a tenant: (key id, key). The plain key is returned once, never stored."""
        self.tenant(code)
        key = "lgf_" + secrets.token_urlsafe(32)
        key_id = "key_" + secrets.token_hex(6)
        with self.db.tx() as t:
            t.run("INSERT INTO api_keys (key_id, key_hash, tenant_code, label, created_at) VALUES (%s, %s, %s, %s, %s)",
                  (key_id, hash_key(key), code, label[:100], _now()))
        return key_id, key

    def authenticate(self, key: str) -> tuple[str, int] | None:
        """(tenant code, profile version) for a live key, else None (unknown, revoked, expired)."""
        with self.db.tx(write=False) as t:
            row = t.one("SELECT k.tenant_code, t.version FROM api_keys k JOIN tenants t ON t.code=k.tenant_code "
                        "WHERE k.key_hash=%s AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at>%s)",
                        (hash_key(key), _now()))
        return (row[0], row[1]) if row else None

    def tenant_for_key(self, key: str) -> str | None:
        hit = self.authenticate(key)
        return hit[0] if hit else None

    def revoke_key(self, code: str, key_id: str) -> dict:
        with self.db.tx() as t:
            n = t.run("UPDATE api_keys SET revoked_at=%s WHERE key_id=%s AND tenant_code=%s AND revoked_at IS NULL",
                      (_now(), key_id, code))
            if not n and t.one("SELECT 1 FROM api_keys WHERE key_id=%s AND tenant_code=%s", (key_id, code)) is None:
                raise NotFound(f"no key {key_id}", path="key_id")
        return self.key(code, key_id)

    def rotate_key(self, code: str, key_id: str, grace_seconds: int = 0) -> dict:
        """A new key replacing ``key_id``; the old one stops working after ``grace_seconds`` (so
        the core system can switch without an outage). Returns the new key (once) and both ids."""
        old = self.key(code, key_id)
        if old["status"] != "active":
            raise IssueConflict(f"key {key_id} is {old['status']}: only an active key can be rotated",
                                path="key_id", code="KEY_NOT_ACTIVE")
        new_id, key = self.add_key(code, old["label"] or "")
        ends = _later(grace_seconds) if grace_seconds > 0 else _now()
        with self.db.tx() as t:
            if grace_seconds > 0:
                t.run("UPDATE api_keys SET expires_at=%s WHERE key_id=%s", (ends, key_id))
            else:
                t.run("UPDATE api_keys SET revoked_at=%s WHERE key_id=%s", (ends, key_id))
        return {"key_id": new_id, "key": key, "replaces": key_id, "old_key_ends_at": ends}

    def key(self, code: str, key_id: str) -> dict:
        for k in self.keys(code):
            if k["key_id"] == key_id:
                return k
        raise NotFound(f"no key {key_id}", path="key_id")

    def keys(self, code: str) -> list[dict]:
        """The tenant's keys, never the key itself: id, label, dates, status."""
        now = _now()
        with self.db.tx(write=False) as t:
            rows = t.all("SELECT key_id, label, created_at, revoked_at, expires_at FROM api_keys WHERE tenant_code=%s "
                         "ORDER BY created_at, key_id", (code,))
        out = []
        for key_id, label, created, revoked, expires in rows:
            status = "revoked" if revoked else "expired" if expires and expires <= now else "active"
            out.append({"key_id": key_id, "label": label, "created_at": created, "revoked_at": revoked,
                        "expires_at": expires, "status": status})
        return out

    # -- groups (shared use) ---------------------------------------------------------------------
    def add_group(self, name: str, purpose: str) -> None:
        if purpose not in GROUP_PURPOSES:
            raise TenantInvalid(f"unknown group purpose {purpose!r} (known: {', '.join(GROUP_PURPOSES)})")
        with self.db.tx() as t:
            t.run("INSERT INTO groups (name, purpose) VALUES (%s, %s) ON CONFLICT(name) DO NOTHING", (name, purpose))

    def add_member(self, group: str, code: str) -> None:
        self.tenant(code)
        with self.db.tx() as t:
            if t.one("SELECT 1 FROM groups WHERE name=%s", (group,)) is None:
                raise NotFound(f"no group {group}")
            t.run("INSERT INTO group_members (group_name, tenant_code) VALUES (%s, %s) "
                  "ON CONFLICT(group_name, tenant_code) DO NOTHING", (group, code))

    def may_issue_for(self, actor: str, owner: str, form_id: str) -> bool:
        """True if ``actor`` may issue ``form_id`` in the name of ``owner`` (same group whose
        purpose covers the form)."""
        with self.db.tx(write=False) as t:
            rows = t.all(
                "SELECT g.purpose FROM groups g JOIN group_members a ON a.group_name=g.name "
                "JOIN group_members o ON o.group_name=g.name WHERE a.tenant_code=%s AND o.tenant_code=%s",
                (actor, owner))
        return any(form_id in GROUP_PURPOSES.get(p, ()) for (p,) in rows)

    def shares_group(self, actor: str, owner: str) -> bool:
        with self.db.tx(write=False) as t:
            return t.one(
                "SELECT 1 FROM group_members a JOIN group_members o ON a.group_name=o.group_name "
                "WHERE a.tenant_code=%s AND o.tenant_code=%s", (actor, owner)) is not None

    # -- 発行番号 and the issue log ----------------------------------------------------------------
    def reserve_issue(self, owner: str, form_id: str, issued_by: str, number: Callable[[int], str], *,
                      idem_key: str | None = None, request_hash: str | None = None) -> Reservation:
        """Take the owner's next 発行番号 and log it (step 1 of an issuance), in one short
        transaction. With an ``idem_key`` already used by ``issued_by``: the earlier issuance
        (same request) or an error (another request, or a voided one)."""
        if idem_key is not None:
            prior = self._by_idem(issued_by, idem_key)
            if prior is not None:
                return self._replay(prior, owner, form_id, request_hash)
        now = dt.datetime.now(dt.timezone.utc)
        at = now.isoformat(timespec="milliseconds")
        day = now.astimezone(JST).date().isoformat()
        public_id = "iss_" + secrets.token_urlsafe(12)
        try:
            seq, issue_no = self._take_number(owner, form_id, issued_by, number, public_id, at, day, idem_key,
                                              request_hash)
        except Exception as e:
            # two requests with one new Idempotency-Key at the same time: the second sees the first's
            if idem_key is not None and _is_unique_violation(e):
                prior = self._by_idem(issued_by, idem_key)
                if prior is not None:
                    return self._replay(prior, owner, form_id, request_hash)
            raise
        return Reservation(IssueEntry(public_id, seq, issue_no, form_id, at, None, None, issued_by,
                                      idem_key=idem_key, request_hash=request_hash, owner=owner), replay=False)

    def _take_number(self, owner, form_id, issued_by, number, public_id, at, day, idem_key, request_hash):
        # The number text is the prefix (era year, from ``number``) and the 7-digit sequence.
        prefix = number(0)[:-7]
        if self.dialect == "postgresql":
            # one statement, one round trip: the counter row is locked until it commits, so a
            # tenant's numbers are strictly increasing and every taken number is in the log
            with self.db.tx(write=False) as t:
                row = t.one(
                    "WITH c AS (UPDATE issue_counters SET last=last+1 WHERE tenant_code=%s RETURNING last) "
                    "INSERT INTO issue_log (seq, tenant_code, public_id, issue_no, form_id, issued_at, issued_day, "
                    "issued_by, idem_key, request_hash) SELECT c.last, %s, %s, %s || lpad(c.last::text, 7, '0'), "
                    "%s, %s, %s, %s, %s, %s FROM c RETURNING seq, issue_no",
                    (owner, owner, public_id, prefix, form_id, at, day, issued_by, idem_key, request_hash))
            if row is not None and len(row[1]) == len(prefix) + max(7, len(str(row[0]))):
                return int(row[0]), row[1]
            if row is not None:  # beyond 9,999,999: lpad cut it; write it out in full
                issue_no = number(int(row[0]))
                with self.db.tx() as t:
                    t.run("UPDATE issue_log SET issue_no=%s WHERE tenant_code=%s AND seq=%s", (issue_no, owner, row[0]))
                return int(row[0]), issue_no
        with self.db.tx() as t:
            row = t.one("UPDATE issue_counters SET last=last+1 WHERE tenant_code=%s RETURNING last", (owner,))
            if row is None:  # a tenant stored before counters were created with it
                t.run("INSERT INTO issue_counters (tenant_code, last) VALUES (%s, 0) "
                      "ON CONFLICT(tenant_code) DO NOTHING", (owner,))
                row = t.one("UPDATE issue_counters SET last=last+1 WHERE tenant_code=%s RETURNING last", (owner,))
            seq = int(row[0])
            issue_no = number(seq)
            t.run("INSERT INTO issue_log (seq, tenant_code, public_id, issue_no, form_id, issued_at, issued_day, "
                  "issued_by, idem_key, request_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                  (seq, owner, public_id, issue_no, form_id, at, day, issued_by, idem_key, request_hash))
        return seq, issue_no

    def _by_idem(self, issued_by: str, idem_key: str) -> IssueEntry | None:
        with self.db.tx(write=False) as t:
            r = t.one(f"SELECT {_ENTRY_COLS} FROM issue_log WHERE issued_by=%s AND idem_key=%s", (issued_by, idem_key))
        return _entry(r) if r else None

    @staticmethod
    def _replay(prior: IssueEntry, owner: str, form_id: str, request_hash: str | None) -> Reservation:
        if prior.owner != owner or prior.form_id != form_id or prior.request_hash != request_hash:
            raise IssueConflict("this Idempotency-Key was used for a different request; use a new key for a new "
                                "issuance", path="Idempotency-Key", code="IDEMPOTENCY_KEY_REUSED")
        if prior.voided_at:
            raise IssueConflict(f"the issuance of this Idempotency-Key ({prior.issue_no}) was voided: "
                                f"{prior.void_reason}", path="Idempotency-Key", code="ISSUE_VOID",
                                detail={"issue_id": prior.public_id, "issue_no": prior.issue_no})
        return Reservation(prior, replay=True)

    def complete_issue(self, owner: str, public_id: str, sha256: str, pages: int) -> IssueEntry:
        """Step 3: the PDF of a reserved number exists (its sha256 and pages are logged). A replay
        must produce the very same document."""
        with self.db.tx(write=self.dialect == "sqlite") as t:  # one statement: atomic by itself
            r = t.one(f"UPDATE issue_log SET sha256=coalesce(sha256, %s), pages=coalesce(pages, %s), "
                      f"rendered_at=coalesce(rendered_at, %s) WHERE tenant_code=%s AND public_id=%s "
                      f"RETURNING {_ENTRY_COLS}", (sha256, pages, _now(), owner, public_id))
        if r is None:
            raise NotFound(f"no issue {public_id}", path="id")
        e = _entry(r)
        if e.sha256 != sha256:
            raise IssueConflict(f"{e.issue_no} was issued as another document (sha256 {e.sha256}); it cannot be "
                                f"reproduced now (the tenant's profile or the form changed): void it and issue anew",
                                code="ISSUE_NOT_REPRODUCIBLE", detail={"issue_id": e.public_id, "issue_no": e.issue_no})
        return e

    def void_issue(self, caller: str, public_id: str, reason: str, *, by: str | None = None) -> IssueEntry:
        """Mark an issuance void (書損) with a reason. Allowed to the owner and to the member that
        issued it; voiding twice keeps the first reason."""
        reason = reason.strip()
        if not 1 <= len(reason) <= 200:
            raise TenantInvalid("a void needs a reason of 1–200 characters", path="$.reason")
        e = self._visible_entry(caller, public_id)
        with self.db.tx() as t:
            t.run("UPDATE issue_log SET voided_at=%s, void_reason=%s, voided_by=%s "
                  "WHERE tenant_code=%s AND public_id=%s AND voided_at IS NULL",
                  (_now(), reason, by or caller, e.owner, public_id))
        return self.issue_entry(e.owner, public_id)

    def confirm_delivery(self, caller: str, public_id: str, sha256: str) -> IssueEntry:
        """The core system received the PDF: it proves it with the document's sha256."""
        e = self._visible_entry(caller, public_id)
        if e.voided_at:
            raise IssueConflict(f"{e.issue_no} is void ({e.void_reason})", code="ISSUE_VOID", path="id")
        if e.sha256 is None:
            raise IssueConflict(f"{e.issue_no} has no document yet: repeat the render with the same Idempotency-Key",
                                code="ISSUE_NOT_RENDERED", path="id")
        if sha256.lower() != e.sha256:
            raise IssueConflict(f"the sha256 given is not the one of {e.issue_no}", code="ISSUE_MISMATCH",
                                path="$.sha256")
        with self.db.tx() as t:
            t.run("UPDATE issue_log SET delivered_at=%s WHERE tenant_code=%s AND public_id=%s AND delivered_at IS NULL",
                  (_now(), e.owner, public_id))
        return self.issue_entry(e.owner, public_id)

    def _visible_entry(self, caller: str, public_id: str) -> IssueEntry:
        with self.db.tx(write=False) as t:
            r = t.one(f"SELECT {_ENTRY_COLS} FROM issue_log WHERE public_id=%s AND (tenant_code=%s OR issued_by=%s)",
                      (public_id, caller, caller))
        if r is None:
            raise NotFound(f"no issue {public_id}", path="id")
        return _entry(r)

    def issues(self, owner: str, *, limit: int = 100, after_seq: int = 0) -> list[IssueEntry]:
        with self.db.tx(write=False) as t:
            rows = t.all(f"SELECT {_ENTRY_COLS} FROM issue_log WHERE tenant_code=%s AND seq>%s ORDER BY seq LIMIT %s",
                         (owner, after_seq, limit))
        return [_entry(r) for r in rows]

    def issue_entry(self, owner: str, public_id: str) -> IssueEntry:
        with self.db.tx(write=False) as t:
            r = t.one(f"SELECT {_ENTRY_COLS} FROM issue_log WHERE tenant_code=%s AND public_id=%s", (owner, public_id))
        if r is None:
            raise NotFound(f"no issue {public_id}", path="id")
        return _entry(r)

    def reconciliation(self, owner: str, day_from: str, day_to: str, *, open_limit: int = 1000) -> dict:
        """Per day (JST) of the owner's issue log: numbers issued, delivered, void and open (neither:
        the PDF may never have arrived), the first and last number, and the open entries."""
        with self.db.tx(write=False) as t:
            rows = t.all(
                "SELECT issued_day, count(*), min(seq), max(seq), "
                "sum(CASE WHEN voided_at IS NOT NULL THEN 1 ELSE 0 END), "
                "sum(CASE WHEN voided_at IS NULL AND delivered_at IS NOT NULL THEN 1 ELSE 0 END), "
                "sum(CASE WHEN voided_at IS NULL AND delivered_at IS NULL THEN 1 ELSE 0 END), "
                "sum(CASE WHEN voided_at IS NULL AND delivered_at IS NULL AND sha256 IS NULL THEN 1 ELSE 0 END) "
                "FROM issue_log WHERE tenant_code=%s AND issued_day>=%s AND issued_day<=%s "
                "GROUP BY issued_day ORDER BY issued_day", (owner, day_from, day_to))
            open_rows = t.all(
                f"SELECT {_ENTRY_COLS} FROM issue_log WHERE tenant_code=%s AND issued_day>=%s AND issued_day<=%s "
                "AND voided_at IS NULL AND delivered_at IS NULL ORDER BY seq LIMIT %s",
                (owner, day_from, day_to, open_limit))
        days = [{"date": d, "issued": int(n), "first_seq": int(lo), "last_seq": int(hi), "void": int(v or 0),
                 "delivered": int(dl or 0), "open": int(op or 0), "open_without_document": int(nodoc or 0)}
                for d, n, lo, hi, v, dl, op, nodoc in rows]
        return {"tenant": owner, "from": day_from, "to": day_to, "days": days,
                "open": [_entry(r).to_dict() for r in open_rows]}


def _entry(r: tuple) -> IssueEntry:
    return IssueEntry(*r[:14], owner=r[14])


def _is_unique_violation(e: Exception) -> bool:
    import sqlite3

    if isinstance(e, sqlite3.IntegrityError):
        return "UNIQUE" in str(e)
    return getattr(e, "sqlstate", None) == "23505"


_font_dir_lock = threading.Lock()


def _font_file(sha: str, data: bytes) -> Path:
    """A stored tenant font as a file (the font stack reads files): content-addressed, owner-only."""
    d = Path(os.environ.get("LGFORMS_FONT_CACHE") or Path(tempfile.gettempdir()) / f"lgforms-fonts-{os.getuid()}")
    p = d / f"{sha}.ttf"
    if p.exists() and p.stat().st_size == len(data):
        return p
    with _font_dir_lock:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = d / f".{sha}.{os.getpid()}.{threading.get_ident()}"
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, p)
    return p


__all__ = ["GROUP_PURPOSES", "IssueConflict", "IssueEntry", "MAX_FONT_BYTES", "NotFound", "Reservation",
           "TenantStore", "hash_key"]
