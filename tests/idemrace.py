"""The race of two requests with one new Idempotency-Key, for the store tests (SQLite and
PostgreSQL): from now on the store's first lookup of the key finds nothing (the other request's
row was not visible yet when it looked), later lookups see it."""

from __future__ import annotations

from lgforms.tenants.store import TenantStore


def miss_the_next_idem_lookup(monkeypatch) -> list[str]:
    """Patch ``TenantStore._by_idem`` so that its next call misses; returns the keys looked up."""
    calls: list[str] = []
    real = TenantStore._by_idem

    def late(self, issued_by, idem_key):
        calls.append(idem_key)
        return None if len(calls) == 1 else real(self, issued_by, idem_key)

    monkeypatch.setattr(TenantStore, "_by_idem", late)
    return calls
