"""Helpers for the postal tests: sample payloads, temporary catalogs with edited forms, and a reader
that folds an imposed PDF (pdfminer characters -> faces of the folded mailpiece)."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MM = 72.0 / 25.4
SENKYO = "senkyo_nyujoken_atchaku"
KOKUHO = "kokuho_shikaku_joho_oshirase"
KOJIN = "kojin_zeigaku_kettei_futsu"
FOLDERS = {SENKYO: ROOT / "forms/senkyo" / SENKYO, KOKUHO: ROOT / "forms/kokuho" / KOKUHO,
           KOJIN: ROOT / "forms/zeimu" / KOJIN}


# the typical sample of each form (a form has several: an unordered glob would pick any of them)
TYPICAL = {SENKYO: "nyujoken_3nin", KOKUHO: "oshirase_3nin", KOJIN: "futsu_4ki"}


def sample(form_id: str) -> dict:
    return json.loads((FOLDERS[form_id] / "samples" / f"{TYPICAL[form_id]}.json").read_text("utf-8"))


@pytest.fixture
def senkyo_payload() -> dict:
    return sample(SENKYO)


@pytest.fixture
def kokuho_payload() -> dict:
    return sample(KOKUHO)


@pytest.fixture
def edited_catalog(tmp_path):
    """edited_catalog(form_id, [(old, new), ...]) -> a Catalog holding a copy of the form with
    form.yaml edited (each old text must occur exactly once)."""
    from lgforms import Catalog

    def make(form_id: str, edits: list[tuple[str, str]], schema_edit=None) -> Catalog:
        dst = tmp_path / "forms" / "x" / form_id
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(FOLDERS[form_id], dst)
        blocks = tmp_path / "forms" / "_blocks"
        if not blocks.exists():  # the shared blocks and styles the form is built from
            shutil.copytree(FOLDERS[form_id].parent.parent / "_blocks", blocks)
        y = (dst / "form.yaml").read_text("utf-8")
        for old, new in edits:
            assert y.count(old) == 1, old
            y = y.replace(old, new)
        (dst / "form.yaml").write_text(y, "utf-8")
        if schema_edit is not None:
            s = json.loads((dst / "schema.json").read_text("utf-8"))
            schema_edit(s)
            (dst / "schema.json").write_text(json.dumps(s, ensure_ascii=False), "utf-8")
        return Catalog(tmp_path / "forms")

    return make


@dataclass
class Glyph:
    text: str
    page: int  # 0-based page of the PDF
    side: str  # front / back
    x: float  # centre, mm on the sheet side (top-left origin)
    y: float
    dx: float  # text direction (unit vector, y down)
    dy: float
    face: str = ""  # after folding: top / bottom / inside
    fx: float = 0.0  # position on that face (view coordinates)
    fy: float = 0.0
    up: tuple[float, float] = (0.0, 0.0)  # where the glyph's reading direction points on its face


def sheet_glyphs(pdf: bytes, margin: float = 0.0) -> list[Glyph]:
    """Every character of an imposed PDF with its centre and direction on its sheet side."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    out: list[Glyph] = []
    for pno, page in enumerate(extract_pages(io.BytesIO(pdf), laparams=LAParams())):
        h = page.height

        def walk(o):
            if isinstance(o, LTChar):
                a, b, c, d, e, f = o.matrix
                n = (a * a + b * b) ** 0.5 or 1.0
                x0, y0, x1, y1 = o.bbox
                cx, cy = (x0 + x1) / 2 / MM - margin, (h - (y0 + y1) / 2) / MM - margin
                out.append(Glyph(o.get_text(), pno, "front" if pno % 2 == 0 else "back", cx, cy, a / n, -b / n))
            elif hasattr(o, "__iter__"):
                for c in o:
                    walk(c)

        walk(page)
    return out


def fold_glyphs(glyphs: list[Glyph], profile) -> list[Glyph]:
    """Where each glyph of one sheet (pages 0 and 1) ends up after folding the profile's sheet."""
    f = profile.folded()
    for g in glyphs:
        loc = f.locate(g.side, g.x, g.y)
        if loc is None:
            g.face = "cut"
            continue
        g.face, g.fx, g.fy = loc[0], loc[1], loc[2]
        g.up = f.orientation(g.side, g.x, g.y, g.dx, g.dy)
    return glyphs


def face_text(glyphs: list[Glyph], face: str) -> str:
    gs = sorted((g for g in glyphs if g.face == face), key=lambda g: (round(g.fy), g.fx))
    return "".join(g.text for g in gs)


@pytest.fixture
def pk():
    """The helpers above, for test modules (conftest modules are not importable by name)."""
    from types import SimpleNamespace

    return SimpleNamespace(ROOT=ROOT, MM=MM, SENKYO=SENKYO, KOKUHO=KOKUHO, KOJIN=KOJIN, FOLDERS=FOLDERS,
                           sample=sample, sheet_glyphs=sheet_glyphs, fold_glyphs=fold_glyphs, face_text=face_text)
