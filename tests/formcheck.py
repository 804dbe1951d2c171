"""Helpers for the per-form tests of catalog forms: a sample, its rendered text, and the error a
changed payload must give (the form's labels are checked in the text the PDF carries)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

import lgforms
from lgforms.spec.catalog import default_catalog

from pdfcheck import pypdf_pages

ROOT = Path(__file__).resolve().parents[1]


def sample(form_id: str, name: str) -> dict:
    folder = default_catalog().get(form_id).folder
    return json.loads((folder / "samples" / f"{name}.json").read_text("utf-8"))


def page_texts(form_id: str, payload: dict, **kw: Any) -> list[str]:
    """Text of each page (pypdf; line breaks and U+3000 kept)."""
    return pypdf_pages(lgforms.render(form_id, payload, **kw))


def flat(text: str) -> str:
    """Text without line breaks, so a label that wraps is still one string."""
    return text.replace("\n", "")


def missing_labels(text: str, labels: list[str]) -> list[str]:
    t = flat(text)
    return [lb for lb in labels if lb not in t]


def changed(payload: dict, change: Callable[[dict], Any]) -> dict:
    p = copy.deepcopy(payload)
    change(p)
    return p


def error_of(form_id: str, payload: dict) -> lgforms.LgformsError:
    with pytest.raises(lgforms.LgformsError) as e:
        lgforms.render(form_id, payload)
    return e.value


def rules_broken(err: lgforms.LgformsError) -> set[str]:
    assert err.code == "RULE_VIOLATED", (err.code, err.message)
    return {r.get("rule") for r in err.detail.get("rules", [])}


def rule_paths(err: lgforms.LgformsError) -> set[str]:
    """Every JSON path the broken rules name."""
    return {p for r in err.detail.get("rules", []) for p in r.get("paths", [])}
