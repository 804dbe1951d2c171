"""A PNG preview is the page asked for (``page=`` of the library, ``--page`` of the command line):
compared with poppler's rendering (``pdftoppm -f N -l N``) of the same page of the PDF. The form's
two pages have the same size, so only the content tells them apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import lgforms

from pdfcheck import page_likeness

ROOT = Path(__file__).resolve().parents[1]
FORM = "keiji_nozei_tsuchisho"
SAMPLE = next(ROOT.glob(f"forms/*/{FORM}/samples/keiji_2dai.json"))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    import io

    from pypdf import PdfReader

    data = lgforms.render(FORM, json.loads(SAMPLE.read_text("utf-8")))
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    return data


@pytest.mark.parametrize("page", [1, 2])
def test_library_png_is_the_requested_page(pdf, page):
    png = lgforms.render(FORM, json.loads(SAMPLE.read_text("utf-8")), format="png", page=page, dpi=100)
    other = 3 - page
    assert page_likeness(png, pdf, page, 100) > 0.9
    assert page_likeness(png, pdf, other, 100) < 0.5


@pytest.mark.parametrize("page", [1, 2])
def test_cli_png_is_the_requested_page(tmp_path, pdf, page):
    out = tmp_path / f"p{page}.png"
    r = subprocess.run([sys.executable, "-c", "import sys; from lgforms.cli import main; sys.exit(main())",
                        "render", FORM, str(SAMPLE), "-o", str(out), "--png", "--page", str(page), "--dpi", "100"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    png = out.read_bytes()
    assert page_likeness(png, pdf, page, 100) > 0.9
    assert page_likeness(png, pdf, 3 - page, 100) < 0.5
