"""Helpers for the tests of the welfare notices (児童手当, 児童扶養手当, 子ども・子育て支援, 生活保護,
障害者福祉): load a sample, read the rendered text back with pypdf, and assert the stable error a
bad payload gets."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import lgforms

from pdfcheck import pypdf_pages

ROOT = Path(__file__).resolve().parents[1]


def sample(area: str, form_id: str, name: str) -> dict:
    return json.loads((ROOT / "forms" / area / form_id / "samples" / f"{name}.json").read_text("utf-8"))


def text(form_id: str, payload: dict) -> str:
    """All pages' text as pypdf extracts it (exact code points, U+3000 kept), lines joined."""
    return "".join(pypdf_pages(lgforms.render(form_id, payload))).replace("\n", "")


def without(payload: dict, dotted: str) -> dict:
    """A copy of the payload with one (possibly nested: ``koza.koza_no``) field removed."""
    p = copy.deepcopy(payload)
    *head, last = dotted.split(".")
    node = p
    for k in head:
        node = node[int(k)] if isinstance(node, list) else node[k]
    del node[last]
    return p


def payload_invalid(form_id: str, payload: dict) -> lgforms.LgformsError:
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.layout(form_id, payload)
    assert e.value.code == "PAYLOAD_INVALID", e.value
    return e.value


def rule_broken(form_id: str, payload: dict, rule: str) -> lgforms.LgformsError:
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.layout(form_id, payload)
    assert e.value.code == "RULE_VIOLATED", e.value
    assert rule in [r["rule"] for r in e.value.detail["rules"]], e.value.detail
    return e.value


def in_order(haystack: str, *needles: str) -> None:
    """Each needle occurs in the text, after the previous one."""
    at = 0
    for n in needles:
        i = haystack.find(n, at)
        assert i >= 0, f"{n!r} not found after position {at}"
        at = i + len(n)


def find_boxes(chars, s: str) -> list[tuple[float, float, float, float]]:
    """The boxes (left, top, right, bottom mm) of every run of characters spelling ``s`` in the
    page's drawing order (pdfminer's characters)."""
    seq = "".join(c[0] for c in chars)
    out, i = [], seq.find(s)
    while i >= 0:
        run = chars[i:i + len(s)]
        out.append((min(c[1] for c in run), min(c[2] for c in run), max(c[3] for c in run), max(c[4] for c in run)))
        i = seq.find(s, i + 1)
    assert out, f"{s!r} not on the page"
    return out


def beside(pdf: bytes, pairs: list[tuple[str, str]], page: int = 0) -> None:
    """Each value is printed on its label's row, to the right of the label (a label/value grid)."""
    from pdfcheck import pdf_chars

    chars = [c for c in pdf_chars(pdf)[page] if c[0].strip()]
    for label, value in pairs:
        ok = False
        for lb in find_boxes(chars, label.replace(" ", "")):
            for vb in find_boxes(chars, value.replace("\u3000", "").replace(" ", "")):
                mid = (vb[1] + vb[3]) / 2
                ok = ok or (vb[0] > lb[2] and lb[1] - 1.5 <= mid <= lb[3] + 1.5)
        assert ok, f"{value!r} is not printed beside {label!r}"
