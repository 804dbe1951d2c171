"""Helpers for the per-form tests (tests/forms/test_<form>.py): load a sample, render it, read the
text back (with two independent readers where labels are checked), check that a required item
cannot be left out of the payload, and read the error a changed payload gives."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

import lgforms
from lgforms.spec.catalog import default_catalog

from pdfcheck import pdftotext, pypdf_pages

ROOT = Path(__file__).resolve().parent.parent
DEMO_TENANT = Path(lgforms.__file__).parent / "tenants" / "demo"


def forms_copy(tmp: Path, area: str, form: str) -> Path:
    """A forms folder in ``tmp`` holding only the form ``area/form`` and the shared blocks: for
    tests that edit a form's files (and the designer, which may write them)."""
    root = tmp / "forms"
    shutil.copytree(ROOT / "forms" / "_blocks", root / "_blocks")
    shutil.copytree(ROOT / "forms" / area / form, root / area / form)
    return root


def demo_profile_file(tmp_path: Path, file_name: str = "profile.yaml", **changes: Any) -> Path:
    """The demo tenant's profile with ``changes`` applied (its seal read from the package), written
    to ``tmp_path / file_name`` for ``lgforms.load_profile`` or ``--tenant``."""
    prof = yaml.safe_load((DEMO_TENANT / "profile.yaml").read_text("utf-8"))
    prof["seal"]["file"] = str(DEMO_TENANT / "seal.png")
    prof.update(changes)
    out = tmp_path / file_name
    out.write_text(yaml.safe_dump(prof, allow_unicode=True), "utf-8")
    return out


def sample(form: str, name: str) -> dict:
    """A sample payload of a form given by id or by its folder: sample("kokuho_shikaku_kakuninsho",
    "kakuninsho_2nin") or sample("kokuho/kokuho_shikaku_kakuninsho", "kakuninsho_2nin")."""
    folder = ROOT / "forms" / form if "/" in form else default_catalog().get(form).folder
    return json.loads((folder / "samples" / f"{name}.json").read_text("utf-8"))


def rendered_pages(form_id: str, payload: dict, **kw: Any) -> list[str]:
    """Text of each page of a render (pypdf; line breaks and U+3000 kept)."""
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


def rules_broken(err: lgforms.LgformsError) -> set[str]:
    assert err.code == "RULE_VIOLATED", (err.code, err.message)
    return {r.get("rule") for r in err.detail.get("rules", [])}


def rule_paths(err: lgforms.LgformsError) -> set[str]:
    """Every JSON path the broken rules name."""
    return {p for r in err.detail.get("rules", []) for p in r.get("paths", [])}


def texts(pdf: bytes) -> tuple[str, str]:
    """The whole text as pypdf and poppler read it, newlines removed (poppler writes U+3000 as a
    space: compare with ``norm``)."""
    return "".join(pypdf_pages(pdf)).replace("\n", ""), pdftotext(pdf, "-raw").replace("\n", "")


def page_texts(pdf: bytes) -> list[str]:
    return [t.replace("\n", "") for t in pypdf_pages(pdf)]


def norm(s: str) -> str:
    return re.sub(r"[\s\u3000]+", "", s)


def assert_labels(pdf: bytes, labels: list[str]) -> None:
    """Every label is printed (both readers), spacing of 均等割付 labels ignored."""
    a, b = texts(pdf)
    a, b = norm(a), norm(b)
    missing = [lb for lb in labels if norm(lb) not in a or norm(lb) not in b]
    assert not missing, missing


def _delete(payload: dict, path: str) -> None:
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    obj = payload
    for p in parts[:-1]:
        obj = obj[int(p[1:-1])] if p.startswith("[") else obj[p]
    last = parts[-1]
    if last.startswith("["):
        del obj[int(last[1:-1])]
    else:
        del obj[last]


def dotted(path: tuple) -> str:
    """("persons", 0, "name") -> "persons[0].name" (the form ``assert_required`` takes)."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")


def assert_required(form_id: str, payload: dict, paths: list[str]) -> None:
    """Leaving out any of ``paths`` (dotted, with [i]) is PAYLOAD_INVALID naming where it is missing."""
    for path in paths:
        p = copy.deepcopy(payload)
        _delete(p, path)
        with pytest.raises(lgforms.LgformsError) as ei:
            lgforms.render(form_id, p)
        assert ei.value.code == "PAYLOAD_INVALID", (path, ei.value.code, ei.value.message)
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        name = path.rsplit(".", 1)[-1]
        assert name in ei.value.message, (path, ei.value.message)
        assert ei.value.path == ("$." + parent if parent else "$"), (path, ei.value.path)


def error_of(form_id: str, payload: dict, **kw) -> lgforms.LgformsError:
    with pytest.raises(lgforms.LgformsError) as ei:
        lgforms.render(form_id, payload, **kw)
    return ei.value


def panel_chars(form_id: str, payload: dict, delivery: str = "pressure-seal-Z", **kw) -> dict[str, list]:
    """A panel delivery's pages (one per logical panel, in the order of its panels) as pdfminer
    characters, by panel name: {"address": …, "back": …, "inner_1": …}."""
    from lgforms.postal.profiles import PANELS

    from pdfcheck import pdf_chars

    pages = pdf_chars(lgforms.render(form_id, payload, delivery=delivery, **kw))
    assert len(pages) == len(PANELS[delivery]), (len(pages), PANELS[delivery])
    return dict(zip(PANELS[delivery], pages))


def assert_same_bands(a: list, a_at: tuple[float, float], b: list, b_at: tuple[float, float], width: float,
                      bands: list[float]) -> list[str]:
    """The text of each horizontal band (heights ``bands`` from the top, ``width`` wide) of an area at
    ``a_at`` on page ``a`` is the same as that of the area at ``b_at`` on page ``b`` — e.g. a card
    printed on A4 and on a postcard panel, row by row. Returns the bands' texts (for more checks)."""
    from pdfcheck import text_in_box

    out, top = [], 0.0
    for h in bands:
        ta = text_in_box(a, (a_at[0], a_at[1] + top, width, h), tol=0.2)
        tb = text_in_box(b, (b_at[0], b_at[1] + top, width, h), tol=0.2)
        assert ta == tb, (top, ta, tb)
        out.append(ta)
        top += h
    return out
