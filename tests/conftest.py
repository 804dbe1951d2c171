"""Session-wide set-up:

- the tests run without the caller's lgforms settings: every ``LGFORMS_*`` variable (a developer's
  LGFORMS_FORMS_DIR, LGFORMS_FONT_DIR, LGFORMS_DB …) is removed from the environment before any test
  runs, for the library in this process and for every command and service the tests start. Only
  ``LGFORMS_TEST_*`` (how to reach the test machine's PostgreSQL, Chromium) is kept;
- Hypothesis keeps no example database (it would write .hypothesis/ into the repository, and examples
  found on one machine would change what runs on another);
- a PostgreSQL cluster started by the tests themselves (pgserver.py) is stopped at the end."""

import os

from hypothesis import settings

for _k in [k for k in os.environ if k.startswith("LGFORMS_") and not k.startswith("LGFORMS_TEST_")]:
    del os.environ[_k]
os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)

settings.register_profile("lgforms", database=None)
settings.load_profile("lgforms")


def pytest_sessionfinish(session, exitstatus):
    import pgserver

    pgserver.stop()
