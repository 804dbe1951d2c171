"""An optional recorder of the layout stage (the designer's overlays and warnings).

While a recorder is set in ``LAYOUT_TRACE`` (a context variable: one request's layout, never
another thread's), every ``LayoutContext`` made in that context carries it as ``lc.trace`` and
the layout stage tells it what it places:

* ``trace.lay(el, value, lc, inner)`` — ``elements.base.lay`` hands over every element laid out
  (``inner`` does the work; the recorder returns its primitives unchanged);
* ``trace.enter(el, lc)`` / ``trace.leave(record, items, box)`` — a flow around the sections it
  places without ``lay`` (table pieces, growing text), with the box it gave them;
* ``trace.flow_pages(compiled_flow, n)`` — a flow took ``n`` pages;
* ``trace.fitted(text, box, style, stack, path, lines)`` — ``layout.text.fit_text`` fitted a text
  (size and line count of the result: shrunk, wrapped).

Without a recorder (the default) nothing is recorded and nothing changes: the hooks are a
``None`` check each.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

LAYOUT_TRACE: ContextVar[Any] = ContextVar("lgforms_layout_trace", default=None)
