"""The draw stage (lgforms.pdf.draw): pages drawn in order, each static part written once as a Form
XObject and only referenced after that, an empty static part not written at all, the page count
returned, and the render deadline checked per page. Read back with pypdf and poppler."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from lgforms.errors import LgformsError
from lgforms.layout.boxes import FormRef, LaidOutPage, RectBox, StaticPart
from lgforms.limits import deadline_scope
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter


def pages(n: int) -> list[LaidOutPage]:
    bg = StaticPart("bg", [RectBox(10, 10, 20, 20, stroke_width=None, fill=(1.0, 0.0, 0.0))])
    empty = StaticPart("empty", [])
    return [LaidOutPage((100.0, 60.0 + i), [bg, empty],
                        [FormRef("bg"), RectBox(50, 10, 10 + i, 10, stroke_width=None, fill=(0.0, 0.0, 1.0))],
                        number=i + 1)
            for i in range(n)]


def form_xobjects(reader: PdfReader) -> set:
    found = set()
    for page in reader.pages:
        xo = page["/Resources"].get("/XObject") or {}
        for ref in xo.get_object().values():
            if ref.get_object().get("/Subtype") == "/Form":
                found.add(ref.idnum)
    return found


def test_pages_are_drawn_in_order_with_each_static_part_written_once():
    w = PdfWriter(page_size_mm=(100, 60))
    assert draw_pages(pages(3), w) == 3
    pdf = w.finish()
    assert pdf.count(b"/Subtype /Form") == 1
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    mm = 72 / 25.4
    assert [round(float(p.mediabox.height) / mm, 3) for p in reader.pages] == [60.0, 61.0, 62.0]
    assert len(form_xobjects(reader)) == 1  # "bg" once for three pages; "empty" never


def test_no_pages_draw_nothing():
    w = PdfWriter(page_size_mm=(100, 60))
    assert draw_pages([], w) == 0
    assert draw_pages(iter(pages(1)), w) == 1


def test_the_deadline_is_checked_before_each_page():
    w = PdfWriter(page_size_mm=(100, 60))
    with deadline_scope(time.perf_counter() - 1):
        with pytest.raises(LgformsError) as ei:
            draw_pages(pages(2), w)
    e = ei.value
    assert e.message == "render time limit reached during write" and e.detail == {"stage": "write"}
    assert w.pages == 0  # stopped before the first page
