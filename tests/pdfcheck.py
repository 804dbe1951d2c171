"""Shared helpers: independent readers of the PDFs we write (pypdf, poppler, pdfminer)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MM = 72.0 / 25.4


def pdftotext(pdf: bytes, *args: str) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("poppler-utils (pdftotext) is required for the tests; .ci/run installs it")
    return subprocess.run([exe, *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def pypdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def pdf_chars(pdf: bytes) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page: (text, left, top, right, bottom) of every character, in mm from the top-left."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    pages = []
    for page in extract_pages(io.BytesIO(pdf), laparams=LAParams()):
        h = page.height
        chars: list[tuple[str, float, float, float, float]] = []

        def walk(o):
            if isinstance(o, LTChar):
                x0, y0, x1, y1 = o.bbox
                chars.append((o.get_text(), x0 / MM, (h - y1) / MM, x1 / MM, (h - y0) / MM))
            elif hasattr(o, "__iter__"):
                for c in o:
                    walk(c)

        walk(page)
        pages.append(chars)
    return pages


def text_in_box(chars, box, tol=0.5) -> str:
    """The characters lying wholly inside box (x, y, w, h mm) ± tol, in reading order."""
    x, y, w, h = box
    inside = [c for c in chars if c[1] >= x - tol and c[3] <= x + w + tol and c[2] >= y - tol and c[4] <= y + h + tol]
    inside.sort(key=lambda c: (round(c[4], 1), c[1]))
    return "".join(c[0] for c in inside)


def load_sample(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def all_samples() -> list[tuple[str, Path]]:
    out = []
    for form_yaml in sorted((ROOT / "forms").glob("*/*/form.yaml")):
        for s in sorted((form_yaml.parent / "samples").glob("*.json")):
            out.append((form_yaml.parent.name, s))
    return out
