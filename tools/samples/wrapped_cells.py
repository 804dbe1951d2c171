"""`_printed` annotations for sample values that a form wraps over several lines.

A table cell with ``fit: wrap`` prints a long value as two or more text lines; readers that
extract text row by row (pypdf) then put a space between the pieces, so the every-value-appears
test must be told how the value is printed: its pieces, as laid out by lgforms itself.

    from wrapped_cells import wrapped_printed
    payload["_printed"] = {**payload.get("_printed", {}), **wrapped_printed("form_id", payload)}
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import lgforms  # noqa: E402
from lgforms.layout.boxes import TextLine  # noqa: E402

_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(\d+)\]")


def value_at(payload: dict, path: str):
    v = payload
    for key, index in _STEP.findall(path[1:]):
        v = v[key] if key else v[int(index)]
    return v


def wrapped_printed(form_id: str, payload: dict) -> dict[str, list[str]]:
    """{JSON path: [the value, its wrapped lines joined by a space]} for every string value that
    the layout splits over several lines of one box."""
    doc = lgforms.layout(form_id, {k: v for k, v in payload.items() if k != "_printed"})
    pieces: dict[tuple, list[str]] = defaultdict(list)
    for n, page in enumerate(doc.pages):
        for item in page.items:
            if isinstance(item, TextLine) and item.path:
                pieces[(n, item.path, item.box)].append(item.text)
    out: dict[str, list[str]] = {}
    for (_, path, _), texts in pieces.items():
        if len(texts) < 2:
            continue
        try:
            value = value_at(payload, path)
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(value, str) and "".join(texts) == value:
            out[path] = [value, " ".join(texts)]
    return dict(sorted(out.items()))
