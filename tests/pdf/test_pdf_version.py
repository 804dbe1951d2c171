"""The header states the PDF version the file needs: soft masks (公印, 印影 with transparency)
are PDF 1.4; a file without them stays 1.3."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import lgforms
from lgforms.layout.boxes import LaidOutPage
from lgforms.layout.text import MojiProblems, fit_text
from lgforms.moji.fonts import default_stacks
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter
from lgforms.spec.models import TextStyle

ROOT = Path(__file__).resolve().parents[2]


def _header(pdf: bytes) -> tuple[int, int]:
    m = re.match(rb"%PDF-(\d)\.(\d)", pdf)
    assert m, pdf[:16]
    return int(m.group(1)), int(m.group(2))


def _has_soft_mask(pdf: bytes) -> bool:
    """Any image with an /SMask on a page or inside its Form XObjects (static parts, seals)."""
    def walk(resources) -> bool:
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for ref in (xobjects.get_object().values() if xobjects is not None else ()):
            o = ref.get_object()
            if o.get("/Subtype") == "/Image" and "/SMask" in o:
                return True
            if o.get("/Subtype") == "/Form" and walk(o.get("/Resources")):
                return True
        return False

    return any(walk(p.get("/Resources")) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("form_id,sample", [
    ("juki_jyuminhyo_setai", "forms/juki/juki_jyuminhyo_setai/samples/setai_5nin.json"),  # 公印
    ("inkan_toroku_shomeisho", "forms/inkan/inkan_toroku_shomeisho/samples/inkan_basic.json"),  # 印影 + 公印
])
def test_soft_masks_make_the_file_pdf_1_4(form_id, sample):
    pdf = lgforms.render(form_id, json.loads((ROOT / sample).read_text("utf-8")))
    assert _has_soft_mask(pdf)
    assert _header(pdf) >= (1, 4)


def test_a_file_without_transparency_stays_1_3():
    problems = MojiProblems()
    items = fit_text("葛\U000E0102城", (10, 10, 100, 10), TextStyle(size=12), default_stacks()["mincho"], path=None,
                     problems=problems)
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), [], items)], w)
    pdf = w.finish()
    assert not _has_soft_mask(pdf) and _header(pdf) == (1, 3)
