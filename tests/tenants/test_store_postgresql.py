"""The tenant store on PostgreSQL in this process (lgforms.tenants.db.PostgresDatabase and the store's
one-statement numbering): a database of its own on the tests' PostgreSQL (tests/pgserver.py; skipped
where there is none, a failure in CI). Rows are read back with psycopg directly."""

from __future__ import annotations

import hashlib

import pytest

from lgforms.errors import LgformsError
from lgforms.tenants.migrations import MIGRATIONS
from lgforms.tenants.profile import make_profile
from lgforms.tenants.store import TenantStore

from idemrace import miss_the_next_idem_lookup

CHIYODA, SAPPORO = "131016", "011002"


def number(n: int) -> str:
    return f"R08-{n:07d}"


@pytest.fixture
def pg():
    import pgserver

    url = pgserver.new_database()
    st = TenantStore(url)
    for code, name in ((CHIYODA, "東京都千代田区"), (SAPPORO, "北海道札幌市")):
        st.put_tenant(make_profile({"code": code, "name": name, "mayor_title": "長", "mayor_name": "山田　一郎"}))
    yield st, url
    st.close()


def rows(url: str, sql: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        cur = c.execute(sql, params)
        return cur.fetchall() if cur.description else []


def test_a_new_postgresql_store_is_at_the_last_schema_version(pg):
    st, url = pg
    assert st.dialect == "postgresql" and st.db.url == url
    assert st.db.schema_version() == MIGRATIONS[-1].version
    assert [v for (v,) in rows(url, "SELECT version FROM schema_version ORDER BY version")] == \
        [m.version for m in MIGRATIONS]
    again = TenantStore(url)  # a second instance: the migrations are not applied twice
    assert again.db.schema_version() == MIGRATIONS[-1].version
    again.close()
    st.check_writable()


def test_numbers_count_up_per_tenant_in_one_statement(pg):
    st, url = pg
    got = [(o, st.reserve_issue(o, "juki_jyuminhyo_setai", o, number).entry.issue_no)
           for o in (CHIYODA, CHIYODA, SAPPORO, CHIYODA)]
    assert got == [(CHIYODA, "R08-0000001"), (CHIYODA, "R08-0000002"), (SAPPORO, "R08-0000001"),
                   (CHIYODA, "R08-0000003")]
    assert rows(url, "SELECT seq, issue_no FROM issue_log WHERE tenant_code=%s ORDER BY seq", (CHIYODA,)) == \
        [(1, "R08-0000001"), (2, "R08-0000002"), (3, "R08-0000003")]


def test_a_number_beyond_seven_digits_is_written_out_in_full(pg):
    st, url = pg
    rows(url, "UPDATE issue_counters SET last=9999998 WHERE tenant_code=%s", (CHIYODA,))
    a = st.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number).entry
    b = st.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number).entry
    assert (a.seq, a.issue_no) == (9999999, "R08-9999999")
    assert (b.seq, b.issue_no) == (10000000, "R08-10000000")  # lpad would have cut it to 1000000
    assert rows(url, "SELECT issue_no FROM issue_log WHERE tenant_code=%s ORDER BY seq", (CHIYODA,)) == \
        [("R08-9999999",), ("R08-10000000",)]


def test_an_idempotency_race_on_postgresql_shares_one_number(pg, monkeypatch):
    st, url = pg
    first = st.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    miss_the_next_idem_lookup(monkeypatch)
    again = st.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number, idem_key="k", request_hash="h")
    assert again.replay and again.entry == first.entry
    assert rows(url, "SELECT count(*) FROM issue_log") == [(1,)]


def test_complete_and_deliver_on_postgresql(pg):
    st, url = pg
    pid = st.reserve_issue(CHIYODA, "juki_jyuminhyo_setai", CHIYODA, number).entry.public_id
    sha = hashlib.sha256(b"%PDF").hexdigest()
    e = st.complete_issue(CHIYODA, pid, sha, 2)
    assert (e.sha256, e.pages) == (sha, 2)
    with pytest.raises(LgformsError) as ei:
        st.complete_issue(CHIYODA, pid, "0" * 64, 2)
    assert ei.value.code == "ISSUE_NOT_REPRODUCIBLE"
    assert st.confirm_delivery(CHIYODA, pid, sha).status == "delivered"
    assert rows(url, "SELECT sha256, pages, delivered_at IS NOT NULL FROM issue_log") == [(sha, 2, True)]


def test_a_read_only_postgresql_database_is_not_writable(pg):
    import psycopg

    st, url = pg
    name = url.rpartition("/")[2]
    rows(url, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        st.check_writable()
    with psycopg.connect(url, autocommit=True, options="-c default_transaction_read_only=off") as c:
        c.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = off')
    st.check_writable()
    assert rows(url, "SELECT checked_at FROM service_health") == [("",)]  # the probe is undone
