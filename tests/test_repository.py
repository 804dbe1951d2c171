"""What a new user meets in the repository: README's library example runs as written, sample
annotations name no file that is not there, README's note on readers is true, and an
editable install does not copy the fonts and forms."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert m, title
    return m.group(1)


def test_readme_library_example_runs_as_written(tmp_path):
    block = re.search(r"```python\n(.*?)```", _section("Library"), re.S).group(1)
    for name in ("forms", "src"):  # the example's relative paths, without writing into the checkout
        (tmp_path / name).symlink_to(ROOT / name)
    script = block + "\nprint(json.dumps({'pages': big.pages, 'one': res.pages, 'png': png[:4].hex()}))\n"
    r = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    from pypdf import PdfReader

    written = (tmp_path / "out" / "notices.pdf").read_bytes()
    assert written.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(written)).pages) == out["pages"]
    assert out["pages"] > 0 and out["one"] == 2 and out["png"] == "89504e47"


def test_sample_annotations_name_no_missing_file():
    """``_source`` / ``_note`` say where a sample comes from; a path in them must exist here."""
    path_like = re.compile(r"(?:\.\.?/|/)?[\w.-]+(?:/[\w.-]+)+\.(?:json|ya?ml|png|md|txt)\b|/work/\S+")
    checked = 0
    for f in sorted((ROOT / "forms").glob("*/*/samples/*.json")):
        data = json.loads(f.read_text("utf-8"))
        for key, value in data.items():
            if not key.startswith("_") or not isinstance(value, str):
                continue
            checked += 1
            for ref in path_like.findall(value):
                assert (f.parent / ref).exists() or (ROOT / ref.lstrip("/")).exists(), \
                    f"{f.relative_to(ROOT)} {key}: {ref} does not exist in the repository"
    assert checked >= 5


def test_readme_reader_note_is_true():
    """README says which extractors copy 「姓　名」 exactly (and that poppler does not): check
    the ones the tests can run."""
    note = _section("Text in the PDF")
    assert "U+3000" in note and "poppler" in note and "pdftotext" in note
    for reader in ("pypdf", "pdfminer.six", "PDFium"):
        assert reader in note

    import lgforms
    import pypdfium2 as pdfium
    from pdfminer.high_level import extract_text
    from pypdf import PdfReader

    p = json.loads((ROOT / "forms/juki/juki_jyuminhyo_setai/samples/setai_5nin.json").read_text("utf-8"))
    pdf = lgforms.render("juki_jyuminhyo_setai", p)
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = {"pypdf": PdfReader(io.BytesIO(pdf)).pages[0].extract_text(),
                 "pdfminer.six": extract_text(io.BytesIO(pdf), page_numbers=[0]),
                 "PDFium": doc[0].get_textpage().get_text_range()}
    finally:
        doc.close()
    names = [person["name"] for person in p["persons"][:4]]
    assert all("\u3000" in n for n in names)
    for reader, text in texts.items():
        assert all(n in text for n in names), reader


def _build(kind: str, out: Path) -> zipfile.ZipFile:
    """Build a wheel of the checkout with hatchling itself (``editable`` or ``standard``)."""
    pytest.importorskip("hatchling")
    out.mkdir()
    fn = "build_editable" if kind == "editable" else "build_wheel"
    r = subprocess.run([sys.executable, "-c", f"import hatchling.build as b; print(b.{fn}({str(out)!r}))"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return zipfile.ZipFile(out / r.stdout.strip().splitlines()[-1])


def test_editable_install_carries_no_fonts_or_forms_and_a_wheel_does(tmp_path):
    editable = _build("editable", tmp_path / "e")
    names = editable.namelist()
    assert not [n for n in names if "_data/" in n or n.endswith(".ttf")], names
    assert sum(i.file_size for i in editable.infolist()) < 100_000
    wheel = _build("standard", tmp_path / "s")
    names = set(wheel.namelist())
    for needed in ("lgforms/_data/fonts/ipamjm.ttf", "lgforms/_data/fonts/ipaexg.ttf",
                   "lgforms/_data/forms/juki/juki_jyuminhyo_setai/form.yaml", "lgforms/cli.py",
                   "lgforms_api/app.py"):
        assert needed in names, needed
