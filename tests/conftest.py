"""Session-wide: a PostgreSQL cluster started by the tests themselves (pgserver.py) is stopped
at the end; Hypothesis keeps no example database (it would write .hypothesis/ into the
repository, and examples found on one machine would change what runs on another)."""

from hypothesis import settings

settings.register_profile("lgforms", database=None)
settings.load_profile("lgforms")


def pytest_sessionfinish(session, exitstatus):
    import pgserver

    pgserver.stop()
