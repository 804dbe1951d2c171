"""Helpers for the designer's browser test: Debian's headless Chromium driven by Selenium through
the system chromedriver (nothing downloaded), and a local designer (``lgforms designer``) on
127.0.0.1 over a copy of the tax notice's form folder."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORM = "kojin_zeigaku_kettei_futsu"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    if os.environ.get("LGFORMS_TEST_REQUIRE_CHROMIUM"):
        pytest.fail("Debian's chromium and chromium-driver are required (LGFORMS_TEST_REQUIRE_CHROMIUM is set)")
    pytest.skip("no chromium / chromedriver (apt-get install chromium chromium-driver)")


def new_driver(size=(1600, 1000)):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        if os.environ.get("LGFORMS_TEST_REQUIRE_CHROMIUM"):
            raise
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    browser, driver = chromium_paths()
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for f in CHROME_FLAGS + [f"--window-size={size[0]},{size[1]}"]:
        opts.add_argument(f)
    return webdriver.Chrome(service=Service(driver), options=opts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_local_designer(forms: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """``lgforms designer`` as a user starts it; returns (process, the URL with its token)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from lgforms.cli import main; sys.exit(main())",
                             "designer", "--forms-dir", str(forms), "--port", str(port)],
                            stdout=open(log, "w"), stderr=subprocess.STDOUT, cwd=forms.parent)
    deadline = time.time() + 60
    while time.time() < deadline:
        m = re.search(r"open (http://\S+)", log.read_text())
        if m:
            url = m.group(1)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return proc, url
            except OSError:
                pass
        if proc.poll() is not None:
            raise RuntimeError("lgforms designer exited:\n" + log.read_text())
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("lgforms designer did not start:\n" + log.read_text())
