"""Session-wide: a PostgreSQL cluster started by the tests themselves (pgserver.py) is stopped
at the end."""


def pytest_sessionfinish(session, exitstatus):
    import pgserver

    pgserver.stop()
