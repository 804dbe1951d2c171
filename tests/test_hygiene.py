"""The tests are independent of the machine they run on: no test reads outside the repository,
a service under test gets a clean environment, Hypothesis keeps no database in the checkout."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# absolute paths of this or another machine, and the sibling folders of a checkout
OUTSIDE = re.compile(r"""["'](?:/work/|/home/|/Users/|/usr/share/|/opt/|[A-Z]:\\\\)|\.\./shared|""" + "expand" + "user")


def test_no_test_reads_outside_the_repository():
    hits = []
    for f in sorted((ROOT / "tests").rglob("*.py")):
        for n, line in enumerate(f.read_text("utf-8").splitlines(), 1):
            if OUTSIDE.search(line) and f.name != Path(__file__).name:
                hits.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not hits, "\n".join(hits)


def test_the_service_under_test_does_not_inherit_lgforms_settings(monkeypatch):
    from apiservice import clean_environ

    monkeypatch.setenv("LGFORMS_MAX_PAGES", "1")
    monkeypatch.setenv("LGFORMS_FORMS_DIR", "/nonexistent")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", "/nonexistent")
    env = clean_environ()
    assert not [k for k in env if k.startswith("LGFORMS_")] and "PROMETHEUS_MULTIPROC_DIR" not in env
    assert env.get("PATH")  # the rest is kept (poppler, the interpreter)


def test_the_tests_run_without_the_caller_s_lgforms_settings():
    import os

    assert [k for k in os.environ if k.startswith("LGFORMS_") and not k.startswith("LGFORMS_TEST_")] == []
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ


def test_hypothesis_keeps_no_example_database():
    from hypothesis import settings

    assert settings.default.database is None
