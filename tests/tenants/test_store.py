"""The tenant store in this process (lgforms.tenants.store and .db on SQLite): tenants, API keys,
groups, 発行番号 and the issue log, read back both through the store and straight from the database
file with sqlite3 (the service tests reach the store only through a server in another process).

Expected values are written out here: key formats, SHA-256 digests computed with hashlib, the
numbers a counter must give, the JST day of an issuance, the states and error codes the store's
documentation names."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest

import lgforms
from lgforms.errors import LgformsError
from lgforms.tenants.migrations import MIGRATIONS
from lgforms.tenants.profile import make_profile
from lgforms.tenants.store import IssueEntry, TenantStore

from idemrace import miss_the_next_idem_lookup

DEMO = Path(lgforms.__file__).parent / "tenants" / "demo"
FONT = Path(__file__).resolve().parents[2] / "fonts" / "ipaexg.ttf"

# real 全国地方公共団体コード (check digit included): 千代田区, 札幌市, 横浜市
CHIYODA, SAPPORO, YOKOHAMA = "131016", "011002", "141003"


def profile(code: str, name: str, **extra):
    return make_profile({"code": code, "name": name, "mayor_title": "区長", "mayor_name": "山田　一郎", **extra})


def number(n: int) -> str:
    return f"R08-{n:07d}"


@pytest.fixture
def store(tmp_path):
    st = TenantStore(tmp_path / "store" / "t.db")
    st.put_tenant(profile(CHIYODA, "東京都千代田区"))
    st.put_tenant(profile(SAPPORO, "北海道札幌市", mayor_title="市長"))
    yield st
    st.close()


def raw(st: TenantStore, sql: str, params=()) -> list[tuple]:
    c = sqlite3.connect(st.db.path)
    try:
        return c.execute(sql, params).fetchall()
    finally:
        c.close()


def code_of(e: pytest.ExceptionInfo) -> tuple:
    return e.value.code, e.value.path


# -- the database file -------------------------------------------------------------------------------

def test_a_new_store_is_private_in_wal_mode_at_the_last_schema_version(tmp_path):
    target = tmp_path / "new" / "deeper" / "t.db"
    st = TenantStore(target)
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert st.dialect == "sqlite" and st.db.url == str(target)
    assert st.db.schema_version() == MIGRATIONS[-1].version == len(MIGRATIONS)
    assert raw(st, "PRAGMA journal_mode") == [("wal",)]
    versions = [v for (v,) in raw(st, "SELECT version FROM schema_version ORDER BY version")]
    assert versions == [m.version for m in MIGRATIONS]
    st.close()
    st.close()  # closing twice is harmless
    again = TenantStore(target)  # nothing pending: opened without migrating again
    assert [v for (v,) in raw(again, "SELECT version FROM schema_version ORDER BY version")] == versions
    again.close()


def test_the_connection_enforces_foreign_keys_and_waits_for_locks(tmp_path):
    st = TenantStore(tmp_path / "t.db")
    c = st.db._conn()
    assert c is st.db._conn()  # one connection per thread, kept
    assert c.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert c.execute("PRAGMA busy_timeout").fetchone() == (30000,)
    assert c.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    with pytest.raises(sqlite3.IntegrityError):  # a key of a tenant that does not exist
        with st.db.tx() as t:
            t.run("INSERT INTO api_keys (key_id, key_hash, tenant_code, created_at) VALUES ('k', 'h', '999999', 'x')")
    st.close()


def test_a_failed_transaction_leaves_nothing_behind(store):
    with pytest.raises(RuntimeError):
        with store.db.tx() as t:
            t.run("INSERT INTO groups (name, purpose) VALUES (%s, %s)", ("g", "risai"))
            raise RuntimeError("boom")
    assert raw(store, "SELECT * FROM groups") == []
    with store.db.tx() as t:
        assert t.run("INSERT INTO groups (name, purpose) VALUES (%s, %s)", ("g", "risai")) == 1
    assert raw(store, "SELECT name, purpose FROM groups") == [("g", "risai")]


def test_check_writable_fails_on_a_read_only_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes read-only files")
    target = tmp_path / "t.db"
    st = TenantStore(target)
    st.check_writable()
    st.close()
    for p in tmp_path.iterdir():
        p.chmod(0o400)
    try:
        ro = TenantStore(target)  # opens without writing: nothing pending
        with pytest.raises(sqlite3.OperationalError):
            ro.check_writable()
    finally:
        for p in tmp_path.iterdir():
            p.chmod(0o600)


def test_check_writable_writes_nothing(store):
    store.check_writable()
    assert raw(store, "SELECT id, checked_at FROM service_health") == [(1, "")]  # probed, rolled back


# -- tenants ------------------------------------------------------------------------------------------

def test_a_tenant_reads_back_as_stored_and_its_version_counts_changes(store):
    t = store.tenant(CHIYODA)
    assert (t.code, t.name, t.local_name, t.mayor_title) == (CHIYODA, "東京都千代田区", "千代田区", "区長")
    assert store.tenant_codes() == [SAPPORO, CHIYODA]  # ordered by code
    assert raw(store, "SELECT version FROM tenants WHERE code=?", (CHIYODA,)) == [(1,)]
    assert raw(store, "SELECT tenant_code, last FROM issue_counters ORDER BY tenant_code") == [(SAPPORO, 0), (CHIYODA, 0)]
    assert store.tenant(CHIYODA) is t  # unchanged: the same object
    assert store.tenant(CHIYODA, version=1) is t
    store.put_tenant(profile(CHIYODA, "東京都千代田区", mayor_name="佐藤　花子"))
    assert raw(store, "SELECT version FROM tenants WHERE code=?", (CHIYODA,)) == [(2,)]
    t2 = store.tenant(CHIYODA)
    assert t2 is not t and t2.mayor_name == "佐藤　花子"
    assert store.tenant(CHIYODA, version=2) is t2
    assert raw(store, "SELECT last FROM issue_counters WHERE tenant_code=?", (CHIYODA,)) == [(0,)]  # kept


def test_a_cached_profile_is_not_used_for_another_version(store):
    t = store.tenant(CHIYODA)
    with store.db.tx() as tx:  # another instance changed the tenant
        tx.run("UPDATE tenants SET profile_json=replace(profile_json, '山田', '鈴木'), version=version+1 WHERE code=%s",
               (CHIYODA,))
    assert store.tenant(CHIYODA, version=1) is t  # the caller says it knows version 1
    assert store.tenant(CHIYODA, version=2).mayor_name == "鈴木　一郎"  # a newer version than the cached one
    fresh = store.tenant(CHIYODA)
    assert fresh.mayor_name == "鈴木　一郎"
    assert store.tenant(CHIYODA, version=2) is fresh


def test_an_unknown_tenant_is_not_found(store):
    with pytest.raises(LgformsError) as e:
        store.tenant("472018")
    assert code_of(e) == ("NOT_FOUND", "code") and "472018" in e.value.message
    with pytest.raises(LgformsError) as e:
        store.add_key("472018")
    assert e.value.code == "NOT_FOUND"


def test_the_seal_is_stored_with_its_size_and_replaced(store):
    png = (DEMO / "seal.png").read_bytes()
    t = store.put_tenant(profile(YOKOHAMA, "神奈川県横浜市", seal={"png": png, "size_mm": (21, 18)}))
    assert t.local_name == "横浜市"
    assert t.seal.png == png and t.seal.size_mm == (21.0, 18.0)
    assert raw(store, "SELECT length(seal_png), seal_w, seal_h, version FROM tenants WHERE code=?", (YOKOHAMA,)) == \
        [(len(png), 21.0, 18.0, 2)]  # created (1), then its seal (2)
    t2 = store.set_seal(YOKOHAMA, png, (15, 15))
    assert t2.seal.size_mm == (15.0, 15.0)
    row = raw(store, "SELECT seal_w, seal_h, version, updated_at FROM tenants WHERE code=?", (YOKOHAMA,))[0]
    assert row[:3] == (15.0, 15.0, 3) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", row[3])
    # a profile without a seal leaves the stored one as it is
    t3 = store.put_tenant(profile(YOKOHAMA, "神奈川県横浜市", mayor_name="田中　次郎"))
    assert t3.seal.png == png and t3.seal.size_mm == (15.0, 15.0) and t3.mayor_name == "田中　次郎"
    with pytest.raises(LgformsError) as e:
        store.set_seal(YOKOHAMA, png, (31, 31))
    assert code_of(e) == ("TENANT_INVALID", "$.seal.size_mm")
    with pytest.raises(LgformsError) as e:
        store.set_seal("472018", png, (15, 15))
    assert e.value.code == "NOT_FOUND"


def test_fonts_are_stored_in_order_and_read_back_as_private_files(store, tmp_path, monkeypatch):
    cache = tmp_path / "fontcache"
    monkeypatch.setenv("LGFORMS_FONT_CACHE", str(cache))
    data = FONT.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    t = store.set_fonts(CHIYODA, [("gaiji.ttf", data)])
    assert t.fonts == [str(cache / f"{sha}.ttf")]
    assert Path(t.fonts[0]).read_bytes() == data
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700 and stat.S_IMODE(Path(t.fonts[0]).stat().st_mode) == 0o600
    assert [p.name for p in cache.iterdir()] == [f"{sha}.ttf"]  # no temporary file left
    assert raw(store, "SELECT position, name, sha256, length(data) FROM tenant_fonts WHERE tenant_code=?",
               (CHIYODA,)) == [(0, "gaiji.ttf", sha, len(data))]
    long_name = "x" * 120 + ".ttf"
    store.set_fonts(CHIYODA, [(long_name, data), ("b.ttf", data)])
    assert raw(store, "SELECT position, name FROM tenant_fonts WHERE tenant_code=? ORDER BY position", (CHIYODA,)) == \
        [(0, long_name[:100]), (1, "b.ttf")]
    assert raw(store, "SELECT version FROM tenants WHERE code=?", (CHIYODA,)) == [(3,)]
    assert store.set_fonts(CHIYODA, []).fonts == []
    assert raw(store, "SELECT count(*) FROM tenant_fonts") == [(0,)]


def test_a_truncated_font_file_in_the_cache_is_written_again(store, tmp_path, monkeypatch):
    cache = tmp_path / "fontcache"
    monkeypatch.setenv("LGFORMS_FONT_CACHE", str(cache))
    data = FONT.read_bytes()
    store.set_fonts(CHIYODA, [("g.ttf", data)])
    f = cache / f"{hashlib.sha256(data).hexdigest()}.ttf"
    f.write_bytes(data[:1000])
    store.put_tenant(profile(CHIYODA, "東京都千代田区", mayor_name="佐藤　花子"))  # a new version: read again
    assert store.tenant(CHIYODA).fonts == [str(f)] and f.read_bytes() == data


def test_bad_fonts_are_refused(store):
    data = FONT.read_bytes()
    with pytest.raises(LgformsError) as e:
        store.set_fonts(CHIYODA, [("f.ttf", data)] * 5)
    assert code_of(e) == ("TENANT_INVALID", "$.fonts") and e.value.message == "a tenant may have at most 4 fonts"
    store.set_fonts(CHIYODA, [("f.ttf", data)] * 4)  # 4 is the limit itself
    with pytest.raises(LgformsError) as e:
        store.set_fonts(CHIYODA, [("f.ttf", data), ("bad.ttf", b"not a font")])
    assert code_of(e) == ("TENANT_INVALID", "$.fonts[1]") and "bad.ttf" in e.value.message
    assert raw(store, "SELECT count(*) FROM tenant_fonts") == [(4,)]  # nothing changed
    with pytest.raises(LgformsError) as e:
        store.set_fonts("472018", [])
    assert e.value.code == "NOT_FOUND"


def test_put_tenant_stores_the_fonts_of_a_profile_file(store, tmp_path, monkeypatch):
    monkeypatch.setenv("LGFORMS_FONT_CACHE", str(tmp_path / "cache"))
    (tmp_path / "gaiji.ttf").write_bytes(FONT.read_bytes())
    (tmp_path / "p.yaml").write_text(f'code: "{YOKOHAMA}"\nname: 神奈川県横浜市\nmayor_title: 市長\n'
                                     f'mayor_name: 田中　次郎\nfonts: [gaiji.ttf]\n', "utf-8")
    t = store.put_tenant(lgforms.load_profile(tmp_path / "p.yaml"))
    assert len(t.fonts) == 1 and Path(t.fonts[0]).read_bytes() == FONT.read_bytes()
    assert raw(store, "SELECT name FROM tenant_fonts WHERE tenant_code=?", (YOKOHAMA,)) == [("gaiji.ttf",)]


# -- API keys -----------------------------------------------------------------------------------------

def test_a_key_is_shown_once_and_stored_as_its_sha256(store):
    key_id, key = store.add_key(CHIYODA, "基幹システム")
    assert re.fullmatch(r"lgf_[A-Za-z0-9_-]{43}", key)  # 32 random bytes, URL-safe base64
    assert re.fullmatch(r"key_[0-9a-f]{12}", key_id)
    rows = raw(store, "SELECT key_id, key_hash, tenant_code, label, revoked_at, expires_at FROM api_keys")
    assert rows == [(key_id, hashlib.sha256(key.encode()).hexdigest(), CHIYODA, "基幹システム", None, None)]
    assert key not in repr(raw(store, "SELECT * FROM api_keys"))
    assert store.authenticate(key) == (CHIYODA, 1)
    assert store.tenant_for_key(key) == CHIYODA
    assert store.authenticate(key + "x") is None and store.tenant_for_key("lgf_unknown") is None
    k2 = store.add_key(SAPPORO, "l" * 150)
    assert store.key(SAPPORO, k2[0])["label"] == "l" * 100
    assert store.add_key(CHIYODA)[1] != key


def test_a_key_reports_the_tenant_s_current_version(store):
    _, key = store.add_key(CHIYODA)
    store.put_tenant(profile(CHIYODA, "東京都千代田区", mayor_name="佐藤　花子"))
    assert store.authenticate(key) == (CHIYODA, 2)


def test_keys_list_their_status_never_the_key(store):
    a, key_a = store.add_key(CHIYODA, "a")
    b, key_b = store.add_key(CHIYODA, "b")
    store.add_key(SAPPORO, "other")
    ks = store.keys(CHIYODA)
    assert [k["key_id"] for k in ks] == sorted([a, b], key=lambda i: (store.key(CHIYODA, i)["created_at"], i))
    assert {k["status"] for k in ks} == {"active"}
    assert set(ks[0]) == {"key_id", "label", "created_at", "revoked_at", "expires_at", "status"}
    assert key_a not in repr(ks) and key_b not in repr(ks)
    r = store.revoke_key(CHIYODA, a)
    assert r["status"] == "revoked" and r["revoked_at"] and r["key_id"] == a
    assert store.authenticate(key_a) is None and store.authenticate(key_b) == (CHIYODA, 1)
    first = r["revoked_at"]
    assert store.revoke_key(CHIYODA, a)["revoked_at"] == first  # twice: the first time stays
    with pytest.raises(LgformsError) as e:
        store.revoke_key(SAPPORO, b)  # another tenant's key
    assert code_of(e) == ("NOT_FOUND", "key_id")
    with pytest.raises(LgformsError) as e:
        store.key(CHIYODA, "key_000000000000")
    assert code_of(e) == ("NOT_FOUND", "key_id")
    with store.db.tx() as t:  # a key whose time is up
        t.run("UPDATE api_keys SET expires_at=%s WHERE key_id=%s", ("2000-01-01T00:00:00.000+00:00", b))
    assert store.key(CHIYODA, b)["status"] == "expired" and store.authenticate(key_b) is None
    with store.db.tx() as t:  # not yet
        t.run("UPDATE api_keys SET expires_at=%s WHERE key_id=%s", ("2999-01-01T00:00:00.000+00:00", b))
    assert store.key(CHIYODA, b)["status"] == "active" and store.authenticate(key_b) == (CHIYODA, 1)


def test_rotating_without_grace_ends_the_old_key_now(store):
    old, old_key = store.add_key(CHIYODA, "core")
    r = store.rotate_key(CHIYODA, old)
    assert set(r) == {"key_id", "key", "replaces", "old_key_ends_at"} and r["replaces"] == old
    assert store.authenticate(old_key) is None and store.authenticate(r["key"]) == (CHIYODA, 1)
    k = store.key(CHIYODA, old)
    assert k["status"] == "revoked" and k["revoked_at"] == r["old_key_ends_at"] and k["expires_at"] is None
    assert store.key(CHIYODA, r["key_id"])["label"] == "core"
    with pytest.raises(LgformsError) as e:
        store.rotate_key(CHIYODA, old)
    assert code_of(e) == ("KEY_NOT_ACTIVE", "key_id") and "revoked" in e.value.message


def test_rotating_with_grace_keeps_the_old_key_until_then(store):
    old, old_key = store.add_key(CHIYODA)
    before = dt.datetime.now(dt.timezone.utc)
    r = store.rotate_key(CHIYODA, old, grace_seconds=3600)
    after = dt.datetime.now(dt.timezone.utc)
    ends = dt.datetime.fromisoformat(r["old_key_ends_at"])
    assert before + dt.timedelta(seconds=3599) <= ends <= after + dt.timedelta(seconds=3601)
    assert store.authenticate(old_key) == (CHIYODA, 1) and store.authenticate(r["key"]) == (CHIYODA, 1)
    k = store.key(CHIYODA, old)
    assert k["status"] == "active" and k["expires_at"] == r["old_key_ends_at"] and k["revoked_at"] is None
    assert store.key(CHIYODA, r["key_id"])["label"] == ""


# -- groups -------------------------------------------------------------------------------------------

def test_a_group_member_may_issue_only_the_group_s_forms_for_another_member(store):
    store.put_tenant(profile(YOKOHAMA, "神奈川県横浜市"))
    store.add_group("bcp", "risai")
    store.add_group("bcp", "risai")  # again: nothing changes
    store.add_member("bcp", CHIYODA)
    store.add_member("bcp", SAPPORO)
    store.add_member("bcp", SAPPORO)
    assert raw(store, "SELECT group_name, tenant_code FROM group_members ORDER BY tenant_code") == \
        [("bcp", SAPPORO), ("bcp", CHIYODA)]
    assert store.may_issue_for(CHIYODA, SAPPORO, "common_risai_shomeisho")
    assert store.may_issue_for(SAPPORO, CHIYODA, "common_risai_shomeisho")
    assert not store.may_issue_for(CHIYODA, SAPPORO, "juki_jyuminhyo_setai")
    assert not store.may_issue_for(YOKOHAMA, SAPPORO, "common_risai_shomeisho")
    assert store.shares_group(CHIYODA, SAPPORO) and not store.shares_group(YOKOHAMA, CHIYODA)


def test_a_group_with_an_unknown_purpose_or_member_is_refused(store):
    with pytest.raises(LgformsError) as e:
        store.add_group("g", "juki")
    assert e.value.code == "TENANT_INVALID" and "'juki'" in e.value.message and "risai" in e.value.message
    with pytest.raises(LgformsError) as e:
        store.add_member("nogroup", CHIYODA)
    assert e.value.code == "NOT_FOUND" and "nogroup" in e.value.message
    store.add_group("g", "risai")
    with pytest.raises(LgformsError) as e:
        store.add_member("g", "472018")
    assert e.value.code == "NOT_FOUND"
    assert raw(store, "SELECT count(*) FROM group_members") == [(0,)]


# -- 発行番号 and the issue log ------------------------------------------------------------------------

def test_numbers_count_up_per_tenant_from_1(store):
    seen = []
    for owner in (CHIYODA, CHIYODA, SAPPORO, CHIYODA):
        r = store.reserve_issue(owner, "juki_jyuminhyo_setai", owner, number)
        seen.append((owner, r.entry.seq, r.entry.issue_no, r.replay))
    assert seen == [(CHIYODA, 1, "R08-0000001", False), (CHIYODA, 2, "R08-0000002", False),
                    (SAPPORO, 1, "R08-0000001", False), (CHIYODA, 3, "R08-0000003", False)]
    assert raw(store, "SELECT tenant_code, last FROM issue_counters ORDER BY tenant_code") == [(SAPPORO, 1), (CHIYODA, 3)]


def test_a_reservation_is_logged_with_its_time_and_jst_day(store):
    before = dt.datetime.now(dt.timezone.utc)
    r = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", SAPPORO, number, idem_key="k1", request_hash="h1")
    after = dt.datetime.now(dt.timezone.utc)
    e = r.entry
    assert re.fullmatch(r"iss_[A-Za-z0-9_-]{16}", e.public_id)
    assert (e.form_id, e.issued_by, e.owner, e.pages, e.sha256, e.idem_key, e.request_hash) == \
        ("juki_jyuminhyo_setai", SAPPORO, CHIYODA, None, None, "k1", "h1")
    at = dt.datetime.fromisoformat(e.issued_at)
    assert before - dt.timedelta(milliseconds=1) <= at <= after and at.utcoffset() == dt.timedelta(0)
    row = raw(store, "SELECT seq, tenant_code, issue_no, issued_at, issued_day, issued_by, idem_key, request_hash, "
                     "sha256, pages FROM issue_log WHERE public_id=?", (e.public_id,))
    jst_day = (at + dt.timedelta(hours=9)).date().isoformat()
    assert row == [(1, CHIYODA, "R08-0000001", e.issued_at, jst_day, SAPPORO, "k1", "h1", None, None)]
    assert store.issue_entry(CHIYODA, e.public_id) == e


def test_a_retry_with_the_same_idempotency_key_gets_the_same_number(store):
    first = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    again = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    assert again.replay and not first.replay
    assert again.entry == first.entry
    assert raw(store, "SELECT count(*) FROM issue_log") == [(1,)]
    # the same key of another caller is another request
    other = store.reserve_issue(SAPPORO, "juki_jyuminhyo_setai", SAPPORO, number, idem_key="k", request_hash="h")
    assert not other.replay and other.entry.seq == 1
    # the same key for something else: refused, no number taken
    for owner, form, h in ((CHIYODA, "juki_jyuminhyo_setai", "other"), (CHIYODA, "juki_jyuminhyo_kobetsu", "h"),
                           (SAPPORO, "juki_jyuminhyo_setai", "h")):
        with pytest.raises(LgformsError) as e:
            store.reserve_issue(owner, form, CHIYODA, number, idem_key="k", request_hash=h)
        assert code_of(e) == ("IDEMPOTENCY_KEY_REUSED", "Idempotency-Key")
    assert raw(store, "SELECT tenant_code, last FROM issue_counters ORDER BY tenant_code") == [(SAPPORO, 1), (CHIYODA, 1)]
    # without a key every request is a new issuance
    assert store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, request_hash="h").entry.seq == 2


def test_a_retry_of_a_voided_issuance_is_refused(store):
    r = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    store.void_issue(CHIYODA, r.entry.public_id, "印刷不良")
    with pytest.raises(LgformsError) as e:
        store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    assert code_of(e) == ("ISSUE_VOID", "Idempotency-Key")
    assert "R08-0000001" in e.value.message and "印刷不良" in e.value.message
    assert e.value.detail == {"issue_id": r.entry.public_id, "issue_no": "R08-0000001"}


def test_two_requests_racing_with_one_new_key_share_one_number(store, monkeypatch):
    """The second request did not see the first's row when it looked, and then meets the unique index."""
    first = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    calls = miss_the_next_idem_lookup(monkeypatch)
    again = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    assert again.replay and again.entry == first.entry and calls == ["k", "k"]
    assert raw(store, "SELECT count(*), max(seq) FROM issue_log") == [(1, 1)]
    assert raw(store, "SELECT last FROM issue_counters WHERE tenant_code=?", (CHIYODA,)) == [(1,)]  # rolled back


def test_a_failure_other_than_the_race_is_raised(store, monkeypatch):
    def broken(*a, **k):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(TenantStore, "_take_number", broken)
    with pytest.raises(sqlite3.OperationalError):
        store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k")
    with pytest.raises(sqlite3.OperationalError):
        store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number)


def test_a_unique_violation_without_an_idempotency_key_is_raised(store, monkeypatch):
    def dup(*a, **k):
        raise sqlite3.IntegrityError("UNIQUE constraint failed: issue_log.public_id")

    monkeypatch.setattr(TenantStore, "_take_number", dup)
    with pytest.raises(sqlite3.IntegrityError):
        store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number)


def test_a_tenant_stored_without_a_counter_gets_one(store):
    with store.db.tx() as t:
        t.run("INSERT INTO tenants (code, profile_json, created_at, updated_at) VALUES (%s, %s, 't', 't')",
              (YOKOHAMA, '{"code": "141003", "name": "神奈川県横浜市", "mayor_title": "市長", "mayor_name": "田中"}'))
    assert store.reserve_issue(YOKOHAMA, "juki_jyuminhyo_setai", YOKOHAMA, number).entry.seq == 1
    assert store.reserve_issue(YOKOHAMA, "juki_jyuminhyo_setai", YOKOHAMA, number).entry.seq == 2


def test_complete_records_the_document_once(store):
    r = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number)
    sha = hashlib.sha256(b"%PDF-1.7 first").hexdigest()
    e = store.complete_issue(CHIYODA, r.entry.public_id, sha, 2)
    assert (e.sha256, e.pages, e.status, e.seq) == (sha, 2, "issued", 1)
    assert store.complete_issue(CHIYODA, r.entry.public_id, sha, 2) == e  # a replay of the same document
    other = hashlib.sha256(b"%PDF-1.7 other").hexdigest()
    with pytest.raises(LgformsError) as ei:
        store.complete_issue(CHIYODA, r.entry.public_id, other, 3)
    assert ei.value.code == "ISSUE_NOT_REPRODUCIBLE" and sha in ei.value.message
    assert ei.value.detail == {"issue_id": r.entry.public_id, "issue_no": "R08-0000001"}
    assert raw(store, "SELECT sha256, pages FROM issue_log") == [(sha, 2)]  # the first document stays
    with pytest.raises(LgformsError) as ei:
        store.complete_issue(SAPPORO, r.entry.public_id, sha, 2)  # another tenant's issuance
    assert code_of(ei) == ("NOT_FOUND", "id")


def test_void_needs_a_reason_and_keeps_the_first(store):
    r = store.reserve_issue(CHIYODA, "common_risai_shomeisho", SAPPORO, number)
    pid = r.entry.public_id
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(LgformsError) as e:
            store.void_issue(CHIYODA, pid, bad)
        assert code_of(e) == ("TENANT_INVALID", "$.reason")
    with pytest.raises(LgformsError) as e:  # neither owner nor issuer
        store.void_issue(YOKOHAMA, pid, "書損")
    assert code_of(e) == ("NOT_FOUND", "id")
    v = store.void_issue(SAPPORO, pid, "  " + "x" * 199 + "  ")  # the member that issued it, 199 after strip
    assert (v.status, v.void_reason, v.voided_by) == ("void", "x" * 199, SAPPORO)
    v2 = store.void_issue(CHIYODA, pid, "second", by="operator")
    assert (v2.void_reason, v2.voided_by, v2.voided_at) == ("x" * 199, SAPPORO, v.voided_at)
    r2 = store.reserve_issue(CHIYODA, "common_risai_shomeisho", CHIYODA, number)
    v3 = store.void_issue(CHIYODA, r2.entry.public_id, "y" * 200, by="operator")
    assert (v3.void_reason, v3.voided_by) == ("y" * 200, "operator")


def test_delivery_is_confirmed_with_the_document_s_sha256(store):
    r = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number)
    pid = r.entry.public_id
    with pytest.raises(LgformsError) as e:
        store.confirm_delivery(CHIYODA, pid, "0" * 64)
    assert code_of(e) == ("ISSUE_NOT_RENDERED", "id") and "R08-0000001" in e.value.message
    sha = hashlib.sha256(b"%PDF").hexdigest()
    store.complete_issue(CHIYODA, pid, sha, 1)
    with pytest.raises(LgformsError) as e:
        store.confirm_delivery(CHIYODA, pid, "0" * 64)
    assert code_of(e) == ("ISSUE_MISMATCH", "$.sha256")
    with pytest.raises(LgformsError) as e:
        store.confirm_delivery(SAPPORO, pid, sha)
    assert code_of(e) == ("NOT_FOUND", "id")
    d = store.confirm_delivery(CHIYODA, pid, sha.upper())  # hex in capitals is the same digest
    assert d.status == "delivered" and d.delivered_at
    assert store.confirm_delivery(CHIYODA, pid, sha).delivered_at == d.delivered_at  # twice: the first stays
    store.void_issue(CHIYODA, pid, "返戻")
    with pytest.raises(LgformsError) as e:
        store.confirm_delivery(CHIYODA, pid, sha)
    assert code_of(e) == ("ISSUE_VOID", "id") and "返戻" in e.value.message


def test_the_issue_log_pages_by_sequence(store):
    ids = [store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number).entry.public_id for _ in range(5)]
    store.reserve_issue(SAPPORO, "juki_jyuminhyo_setai", SAPPORO, number)
    assert [e.public_id for e in store.issues(CHIYODA)] == ids
    assert [e.seq for e in store.issues(CHIYODA, limit=2)] == [1, 2]
    assert [e.seq for e in store.issues(CHIYODA, after_seq=2, limit=2)] == [3, 4]
    assert store.issues(CHIYODA, after_seq=5) == []
    assert [e.owner for e in store.issues(SAPPORO)] == [SAPPORO]
    with pytest.raises(LgformsError) as e:
        store.issue_entry(SAPPORO, ids[0])
    assert code_of(e) == ("NOT_FOUND", "id") and ids[0] in e.value.message


def test_reconciliation_counts_each_state_per_day(store):
    pids = [store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number).entry.public_id for _ in range(5)]
    sha = hashlib.sha256(b"%PDF").hexdigest()
    for p in pids[:3]:
        store.complete_issue(CHIYODA, p, sha, 1)
    store.confirm_delivery(CHIYODA, pids[0], sha)
    store.void_issue(CHIYODA, pids[1], "書損")
    store.void_issue(CHIYODA, pids[3], "紙詰まり")  # void without a document
    # pids[2]: rendered, not delivered; pids[4]: neither rendered nor delivered
    with store.db.tx() as t:  # the last one on the day before (JST)
        t.run("UPDATE issue_log SET issued_day='2026-11-30' WHERE public_id=%s", (pids[4],))
        t.run("UPDATE issue_log SET issued_day='2026-12-01' WHERE public_id<>%s", (pids[4],))
    rec = store.reconciliation(CHIYODA, "2026-11-30", "2026-12-01")
    assert (rec["tenant"], rec["from"], rec["to"]) == (CHIYODA, "2026-11-30", "2026-12-01")
    assert rec["days"] == [
        {"date": "2026-11-30", "issued": 1, "first_seq": 5, "last_seq": 5, "void": 0, "delivered": 0, "open": 1,
         "open_without_document": 1},
        {"date": "2026-12-01", "issued": 4, "first_seq": 1, "last_seq": 4, "void": 2, "delivered": 1, "open": 1,
         "open_without_document": 0},
    ]
    assert [o["seq"] for o in rec["open"]] == [3, 5]
    assert rec["open"][0] == {"id": pids[2], "seq": 3, "issue_no": "R08-0000003", "form_id": "juki_jyuminhyo_setai",
                              "issued_at": rec["open"][0]["issued_at"], "pages": 1, "sha256": sha,
                              "issued_by": CHIYODA, "status": "issued", "delivered_at": None, "voided_at": None,
                              "void_reason": None}
    assert [o["seq"] for o in store.reconciliation(CHIYODA, "2026-11-30", "2026-12-01", open_limit=1)["open"]] == [3]
    assert store.reconciliation(CHIYODA, "2026-12-01", "2026-12-01")["days"][0]["date"] == "2026-12-01"
    assert store.reconciliation(CHIYODA, "2026-12-02", "2026-12-31") == {
        "tenant": CHIYODA, "from": "2026-12-02", "to": "2026-12-31", "days": [], "open": []}
    assert store.reconciliation(SAPPORO, "2026-11-30", "2026-12-01")["days"] == []


def test_an_entry_s_status_and_its_public_form():
    e = IssueEntry("iss_x", 7, "R08-0000007", "f", "2026-12-01T00:00:00.000+00:00", 1, "ab", "131016",
                   idem_key="k", request_hash="h", owner="131016")
    assert e.status == "issued"
    assert IssueEntry(**{**e.__dict__, "delivered_at": "t"}).status == "delivered"
    assert IssueEntry(**{**e.__dict__, "delivered_at": "t", "voided_at": "u"}).status == "void"
    assert e.to_dict() == {"id": "iss_x", "seq": 7, "issue_no": "R08-0000007", "form_id": "f",
                           "issued_at": "2026-12-01T00:00:00.000+00:00", "pages": 1, "sha256": "ab",
                           "issued_by": "131016", "status": "issued", "delivered_at": None, "voided_at": None,
                           "void_reason": None}  # never the Idempotency-Key or the request's hash


def test_check_writable_runs_a_real_write(store):
    with store.db.tx() as t:  # the probe's row gone: the probe's UPDATE must fail, not pass silently
        t.run("DROP TABLE service_health")
    with pytest.raises(sqlite3.OperationalError, match="service_health"):
        store.check_writable()


# -- second round: what the first mutation run left alive -----------------------------------------

def test_set_seal_stores_width_and_height_in_their_own_columns(store):
    png = (DEMO / "seal.png").read_bytes()
    store.set_seal(CHIYODA, png, (20, 16))
    assert raw(store, "SELECT seal_w, seal_h FROM tenants WHERE code=?", (CHIYODA,)) == [(20.0, 16.0)]
    assert store.tenant(CHIYODA).seal.size_mm == (20.0, 16.0)


def test_reads_do_not_wait_for_a_writer(store):
    """SQLite in WAL mode: a reader (another thread, its own connection) goes on while a write
    transaction is open; only writers queue for the store's write lock."""
    import threading

    _, key = store.add_key(CHIYODA)
    pid = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k").entry.public_id
    store.add_group("g", "risai")
    store.add_member("g", CHIYODA)
    store.add_member("g", SAPPORO)
    holding, release = threading.Event(), threading.Event()

    def writer():
        with store.db.tx():
            holding.set()
            release.wait(20)

    results = {}

    def reader():
        results["auth"] = store.authenticate(key)
        results["keys"] = len(store.keys(CHIYODA))
        results["may"] = store.may_issue_for(CHIYODA, SAPPORO, "common_risai_shomeisho")
        results["shares"] = store.shares_group(CHIYODA, SAPPORO)
        results["codes"] = store.tenant_codes()
        results["issues"] = [e.public_id for e in store.issues(CHIYODA)]
        results["entry"] = store.issue_entry(CHIYODA, pid).seq
        results["idem"] = store._by_idem(CHIYODA, "k").public_id
        results["rec"] = len(store.reconciliation(CHIYODA, "2000-01-01", "2999-12-31")["days"])
        results["version"] = store.db.schema_version()
        results["tenant"] = store.tenant(SAPPORO).code

    w = threading.Thread(target=writer)
    w.start()
    try:
        assert holding.wait(10)
        r = threading.Thread(target=reader)
        r.start()
        r.join(10)
        assert not r.is_alive(), f"a read waited for the writer (done: {sorted(results)})"
    finally:
        release.set()
        w.join()
    assert results == {"auth": (CHIYODA, 1), "keys": 1, "may": True, "shares": True, "codes": [SAPPORO, CHIYODA],
                       "issues": [pid], "entry": 1, "idem": pid, "rec": 1, "version": MIGRATIONS[-1].version,
                       "tenant": SAPPORO}


def test_not_found_and_conflict_messages_name_the_thing(store):
    with pytest.raises(LgformsError) as e:
        store.revoke_key(CHIYODA, "key_000000000000")
    assert e.value.message == "no key key_000000000000"
    with pytest.raises(LgformsError) as e:
        store.key(CHIYODA, "key_000000000001")
    assert e.value.message == "no key key_000000000001"
    with pytest.raises(LgformsError) as e:
        store.complete_issue(CHIYODA, "iss_none", "0" * 64, 1)
    assert e.value.message == "no issue iss_none"
    r = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    with pytest.raises(LgformsError) as e:
        store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="other")
    assert e.value.message == ("this Idempotency-Key was used for a different request; use a new key for a new "
                               "issuance")
    sha = hashlib.sha256(b"%PDF").hexdigest()
    store.complete_issue(CHIYODA, r.entry.public_id, sha, 1)
    with pytest.raises(LgformsError) as e:
        store.confirm_delivery(CHIYODA, r.entry.public_id, "1" * 64)
    assert e.value.message == "the sha256 given is not the one of R08-0000001"
    with pytest.raises(LgformsError) as e:
        store.void_issue(CHIYODA, r.entry.public_id, "")
    assert e.value.message == "a void needs a reason of 1–200 characters"


def test_a_one_character_reason_is_enough(store):
    pid = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number).entry.public_id
    assert store.void_issue(CHIYODA, pid, "汚").void_reason == "汚"


def test_a_key_rotated_with_one_second_of_grace_still_works_at_once(store):
    old, old_key = store.add_key(CHIYODA)
    r = store.rotate_key(CHIYODA, old, grace_seconds=1)
    assert store.authenticate(old_key) == (CHIYODA, 1)
    assert store.key(CHIYODA, old)["expires_at"] == r["old_key_ends_at"] > store.key(CHIYODA, old)["created_at"]


def test_a_key_expires_at_its_expiry_time_itself(store, monkeypatch):
    import lgforms.tenants.store as store_module

    key_id, _ = store.add_key(CHIYODA)
    with store.db.tx() as t:
        t.run("UPDATE api_keys SET expires_at=%s WHERE key_id=%s", ("2030-01-01T00:00:00.000+00:00", key_id))
    monkeypatch.setattr(store_module, "_now", lambda: "2030-01-01T00:00:00.000+00:00")
    assert store.key(CHIYODA, key_id)["status"] == "expired"
    monkeypatch.setattr(store_module, "_now", lambda: "2029-12-31T23:59:59.999+00:00")
    assert store.key(CHIYODA, key_id)["status"] == "active"


def test_a_group_of_a_purpose_no_longer_known_allows_nothing(store):
    with store.db.tx() as t:  # written by another version of lgforms
        t.run("INSERT INTO groups (name, purpose) VALUES ('old', 'retired_purpose')")
    store.add_member("old", CHIYODA)
    store.add_member("old", SAPPORO)
    assert store.may_issue_for(CHIYODA, SAPPORO, "common_risai_shomeisho") is False
    assert store.shares_group(CHIYODA, SAPPORO)


def test_which_database_errors_are_a_racing_idempotency_key():
    import psycopg

    from lgforms.tenants.store import _is_unique_violation

    assert _is_unique_violation(sqlite3.IntegrityError("UNIQUE constraint failed: issue_log.issued_by"))
    assert not _is_unique_violation(sqlite3.IntegrityError("FOREIGN KEY constraint failed"))
    assert _is_unique_violation(psycopg.errors.UniqueViolation("duplicate key value"))  # SQLSTATE 23505
    assert not _is_unique_violation(psycopg.errors.ForeignKeyViolation("no such tenant"))  # 23503
    assert not _is_unique_violation(RuntimeError("UNIQUE"))


# -- third round ---------------------------------------------------------------------------------------

def fixed_clock(monkeypatch, utc: dt.datetime) -> None:
    """The store's clock at ``utc`` (its ``dt`` module replaced by one whose ``datetime.now`` is fixed)."""
    import types

    import lgforms.tenants.store as store_module

    class Fixed(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return utc.astimezone(tz) if tz else utc.replace(tzinfo=None)

    monkeypatch.setattr(store_module, "dt", types.SimpleNamespace(datetime=Fixed, timezone=dt.timezone,
                                                                  timedelta=dt.timedelta))


def test_the_day_of_an_issuance_is_the_municipality_s_day_in_japan(store, monkeypatch):
    # 16:30 UTC on 1 December is 01:30 on 2 December in Japan (UTC+9, no summer time)
    fixed_clock(monkeypatch, dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.timezone.utc))
    e = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number).entry
    assert e.issued_at == "2026-12-01T16:30:00.000+00:00"
    assert raw(store, "SELECT issued_day FROM issue_log") == [("2026-12-02",)]
    fixed_clock(monkeypatch, dt.datetime(2026, 12, 1, 14, 59, 59, tzinfo=dt.timezone.utc))  # 23:59:59 JST
    store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number)
    assert [d["date"] for d in store.reconciliation(CHIYODA, "2026-12-01", "2026-12-02")["days"]] == \
        ["2026-12-01", "2026-12-02"]


def test_only_a_unique_violation_turns_into_a_replay(store, monkeypatch):
    """A failure that is not the race (disk full, …) is raised even when the key has an issuance by then."""
    first = store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    calls = miss_the_next_idem_lookup(monkeypatch)

    def full(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(TenantStore, "_take_number", full)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        store.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    assert calls == ["k"] and first.entry.seq == 1


def test_the_stored_profile_holds_neither_seal_nor_font_paths(store, tmp_path, monkeypatch):
    import json as _json

    monkeypatch.setenv("LGFORMS_FONT_CACHE", str(tmp_path / "cache"))
    (tmp_path / "gaiji.ttf").write_bytes(FONT.read_bytes())
    (tmp_path / "seal.png").write_bytes((DEMO / "seal.png").read_bytes())
    (tmp_path / "p.yaml").write_text(f'code: "{YOKOHAMA}"\nname: 神奈川県横浜市\nmayor_title: 市長\n'
                                     f'mayor_name: 田中　次郎\nfonts: [gaiji.ttf]\nseal: {{file: seal.png}}\n', "utf-8")
    store.put_tenant(lgforms.load_profile(tmp_path / "p.yaml"))
    (stored,) = raw(store, "SELECT profile_json FROM tenants WHERE code=?", (YOKOHAMA,))
    data = _json.loads(stored[0])
    assert "fonts" not in data and "seal" not in data and str(tmp_path) not in stored[0]
    assert data["name"] == "神奈川県横浜市" and "神奈川県" in stored[0]  # UTF-8 text, not \\u escapes


def test_the_font_cache_folder_is_created_with_its_parents(store, tmp_path, monkeypatch):
    cache = tmp_path / "a" / "b" / "fonts"
    monkeypatch.setenv("LGFORMS_FONT_CACHE", str(cache))
    t = store.set_fonts(CHIYODA, [("g.ttf", FONT.read_bytes())])
    assert Path(t.fonts[0]).parent == cache and stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_a_url_chooses_the_server_database_and_anything_else_a_sqlite_file(tmp_path, monkeypatch):
    from lgforms.tenants import db

    monkeypatch.setattr(db, "PostgresDatabase", lambda url: ("postgresql", url))
    assert db.Database.open("postgresql://u@h/d") == ("postgresql", "postgresql://u@h/d")
    assert db.Database.open("postgres://u@h/d") == ("postgresql", "postgres://u@h/d")
    s = db.Database.open(tmp_path / "postgresql.db")  # a file name is a file name
    assert isinstance(s, db.SqliteDatabase) and s.path == tmp_path / "postgresql.db"
    s.close()


def test_a_store_at_an_older_schema_version_gets_only_the_later_migrations(tmp_path):
    target = tmp_path / "v1.db"
    c = sqlite3.connect(target)
    for stmt in MIGRATIONS[0].sqlite:
        c.execute(stmt)
    c.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    c.execute("INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00+00:00')")
    c.commit()
    c.close()
    st = TenantStore(target)
    rows = raw(st, "SELECT version, applied_at FROM schema_version ORDER BY version")
    assert [v for v, _ in rows] == [m.version for m in MIGRATIONS]
    assert rows[0][1] == "2026-01-01T00:00:00+00:00"  # version 1 not applied again
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", a) for _, a in rows[1:])  # UTC
    st.close()


def test_closing_closes_this_thread_s_connection(tmp_path):
    st = TenantStore(tmp_path / "t.db")
    c = st.db._conn()
    st.close()
    with pytest.raises(sqlite3.ProgrammingError):
        c.execute("SELECT 1")
    assert st.tenant_codes() == []  # a fresh connection after close
    assert st.db._conn() is not c
    st.close()


def test_a_profile_is_read_with_a_known_version_by_a_new_instance(store):
    again = TenantStore(store.db.path)  # another process: nothing cached yet
    assert again.tenant(CHIYODA, version=1).name == "東京都千代田区"
    again.close()


def test_the_issue_log_gives_100_entries_and_reconciliation_1000_open_ones_by_default(store):
    rows = [(n, CHIYODA, f"iss_{n}", number(n), "juki_jyuminhyo_setai", "2026-12-01T00:00:00.000+00:00", "2026-12-01",
             CHIYODA) for n in range(1, 1002)]
    c = sqlite3.connect(store.db.path)
    c.executemany("INSERT INTO issue_log (seq, tenant_code, public_id, issue_no, form_id, issued_at, issued_day, "
                  "issued_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    c.commit()
    c.close()
    assert [e.seq for e in store.issues(CHIYODA)] == list(range(1, 101))
    rec = store.reconciliation(CHIYODA, "2026-12-01", "2026-12-01")
    assert rec["days"][0]["open"] == 1001 and len(rec["open"]) == 1000 and rec["open"][-1]["seq"] == 1000
