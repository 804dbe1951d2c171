"""The draw stage: laid-out pages -> operations on a PdfWriter.

Each static part becomes one Form XObject the first time a page uses it; after that pages only
reference it (``/lg.form.page Do``)."""

from __future__ import annotations

from typing import Iterable

from ..layout.boxes import LaidOutPage
from ..limits import check as check_deadline
from .writer import PdfWriter


def draw_page(p: LaidOutPage, w: PdfWriter) -> None:
    """One page's content (its static parts become Form XObjects the first time they are used)."""
    for sp in p.statics:
        if sp.items and not w.has_form(sp.name):
            w.begin_form(sp.name)
            for it in sp.items:
                it.draw(w)
            w.end_form(sp.name)
    for it in p.items:
        it.draw(w)


def draw_pages(pages: Iterable[LaidOutPage], w: PdfWriter) -> int:
    n = 0
    for p in pages:
        check_deadline("write")
        w.set_page_size(*p.size)
        draw_page(p, w)
        w.show_page()
        n += 1
    return n
