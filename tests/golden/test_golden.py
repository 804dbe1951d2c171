"""Each form's typical sample looks as it did when its golden images were made (tests/goldencheck.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

import lgforms
from goldencheck import GOLDEN, ROOT, TOLERANCE, difference, golden_files, render_form, variants

FORMS = lgforms.Catalog(ROOT / "forms").ids()
PENDING: set[str] = set()  # forms being rewritten in format v2 (none left)


LAYOUTS = [(f, None) for f in FORMS if f not in PENDING] + [(f, d) for f in FORMS if f not in PENDING for d in variants(f)]


@pytest.mark.parametrize("form_id,delivery", LAYOUTS, ids=[f + (f"@{d}" if d else "") for f, d in LAYOUTS])
def test_typical_sample_matches_its_golden_pages(form_id, delivery):
    """Every layout of a form: its own and each delivery variant (tests/golden/<form_id>@<delivery>/)."""
    name = form_id + (f"@{delivery}" if delivery else "")
    files = golden_files(form_id, delivery)
    assert files, f"{name}: no golden images (python tools/update_goldens.py {form_id})"
    pages = render_form(form_id, delivery=delivery)
    assert len(pages) == len(files), f"{name}: {len(pages)} pages, the golden has {len(files)}"
    for n, (img, f) in enumerate(zip(pages, files), start=1):
        d = difference(img, Image.open(f).convert("L"))
        assert d <= TOLERANCE, f"{name} page {n}: {d:.2%} of the pixels differ (tolerance {TOLERANCE:.2%})"


def test_a_moved_box_fails_the_golden(tmp_path):
    """A deliberate 2 mm move of the 発行者 block is caught."""
    form_id = "kojin_zeigaku_kettei_futsu"
    src = ROOT / "forms"
    dst = tmp_path / "forms"
    shutil.copytree(src / "zeimu" / form_id, dst / "zeimu" / form_id)
    shutil.copytree(src / "_blocks", dst / "_blocks")
    y = dst / "zeimu" / form_id / "form.yaml"
    y.write_text(y.read_text("utf-8").replace("use: notice_issuer, at: [110, 8]", "use: notice_issuer, at: [108, 8]"),
                 "utf-8")
    from lgforms.spec.loader import reset_block_libraries

    reset_block_libraries()
    pages = render_form(form_id, lgforms.Catalog(dst))
    reset_block_libraries()
    d = difference(pages[0], Image.open(golden_files(form_id)[0]).convert("L"))
    assert d > TOLERANCE, f"a 2 mm move changed only {d:.3%} of the pixels"
