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
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^(明治|大正|昭和|平成|令和)")


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


def _texts(pdf: bytes) -> tuple[str, str]:
    """The text as the every-value-appears test reads it: poppler's pdftotext -raw and pypdf, newlines
    removed."""
    import io
    import subprocess

    from pypdf import PdfReader

    poppler = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                             check=True).stdout.decode("utf-8").replace("\n", "")
    pypdf_text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    return poppler, pypdf_text


def _leaves(obj, path="$"):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not k.startswith("_"):
                yield from _leaves(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, obj


def split_printed(form_id: str, payload: dict) -> dict[str, list[str]]:
    """{JSON path: [the value, how each reader shows it]} for string values a form prints in pieces
    inside a larger text (a line of a multi-line table cell that wraps): the pieces are found in the
    PDF's text with only white space between them (never other characters)."""
    pdf = lgforms.render(form_id, {k: v for k, v in payload.items() if k != "_printed"})
    poppler, pypdf_text = _texts(pdf)
    out: dict[str, list[str]] = {}
    for path, value in _leaves(payload):
        if not isinstance(value, str) or len(value) < 2 or path == "$.form_id" or _DATE.match(value):
            continue  # dates print in 和暦 (the test knows), form_id is not printed
        if value.replace("\u3000", " ") in poppler and value in pypdf_text:
            continue
        pattern = r"\s*".join("" if c.isspace() else re.escape(c) for c in value)  # 全角空白 may become " "
        forms = [value]
        for text in (pypdf_text, poppler):
            m = re.search(pattern, text)
            if m is None:
                raise SystemExit(f"{form_id}: {path} {value!r} is not in the PDF's text, not even in pieces")
            if m.group(0) not in forms:
                forms.append(m.group(0))
        out[path] = forms
    return dict(sorted(out.items()))
