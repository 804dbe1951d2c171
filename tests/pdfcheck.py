"""Shared helpers: independent readers of the PDFs we write (pypdf, poppler, pdfminer)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MM = 72.0 / 25.4


def pdftotext(pdf: bytes, *args: str) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("poppler-utils (pdftotext) is required for the tests; .ci/run installs it")
    return subprocess.run([exe, *args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def pypdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def pdf_chars(pdf: bytes) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page: (text, left, top, right, bottom) of every character, in mm from the top-left."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    pages = []
    for page in extract_pages(io.BytesIO(pdf), laparams=LAParams()):
        h = page.height
        chars: list[tuple[str, float, float, float, float]] = []

        def walk(o):
            if isinstance(o, LTChar):
                x0, y0, x1, y1 = o.bbox
                chars.append((o.get_text(), x0 / MM, (h - y1) / MM, x1 / MM, (h - y0) / MM))
            elif hasattr(o, "__iter__"):
                for c in o:
                    walk(c)

        walk(page)
        pages.append(chars)
    return pages


def text_in_box(chars, box, tol=0.5) -> str:
    """The characters lying wholly inside box (x, y, w, h mm) ± tol, in reading order."""
    x, y, w, h = box
    inside = [c for c in chars if c[1] >= x - tol and c[3] <= x + w + tol and c[2] >= y - tol and c[4] <= y + h + tol]
    inside.sort(key=lambda c: (round(c[4], 1), c[1]))
    return "".join(c[0] for c in inside)


def load_sample(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def all_samples() -> list[tuple[str, Path]]:
    out = []
    for form_yaml in sorted((ROOT / "forms").glob("*/*/form.yaml")):
        for s in sorted((form_yaml.parent / "samples").glob("*.json")):
            out.append((form_yaml.parent.name, s))
    return out


def all_sample_deliveries() -> list[tuple[str, Path, str | None]]:
    """Every sample in every delivery of its form: (form id, sample, None) for the form's own layout
    and (form id, sample, delivery) for each of its ``variants`` (one form, one schema)."""
    from goldencheck import variants

    samples = all_samples()
    out: list[tuple[str, Path, str | None]] = [(form_id, s, None) for form_id, s in samples]
    of_form: dict[str, list[str]] = {}
    for form_id, s in samples:
        if form_id not in of_form:
            of_form[form_id] = variants(form_id)
        out += [(form_id, s, d) for d in of_form[form_id]]
    return out


def delivery_fits(catalog, form_id: str, path: Path, variant: str | None) -> bool:
    """A sample may name the deliveries it is for (``"_deliveries": [...]``: 43 vehicles do not fit
    a postcard); in the others it must be refused by a rule."""
    only = load_sample(path).get("_deliveries")
    return only is None or catalog.get(form_id).for_delivery(variant).delivery in only


_FONT_FILES = {"IPAmjMincho": "ipamjm.ttf", "IPAexGothic": "ipaexg.ttf", "IPAexMincho": "ipaexm.ttf"}
_resolvers: dict = {}
_fonts: dict = {}


def font_cmaps(psname: str):
    """(TTFont, code point -> glyph name, variation sequence text -> glyph name) of one of the
    bundled fonts, read by fontTools alone (not lgforms' tables); a default sequence gets its
    base character's glyph."""
    if psname not in _fonts:
        from fontTools.ttLib import TTFont

        from lgforms.resources import font_dir

        f = TTFont(str(font_dir() / _FONT_FILES[psname]), lazy=True)
        cmap = f["cmap"].getBestCmap()
        uvs = {}
        for st in f["cmap"].tables:
            if st.format == 14:
                for vs, entries in st.uvsDict.items():
                    for base, name in entries:
                        uvs[chr(base) + chr(vs)] = name or cmap[base]
        _fonts[psname] = (f, cmap, uvs)
    return _fonts[psname]


def _resolver(psname: str):
    """cluster -> (glyph name, flattened outline, advance) by fontTools alone (not lgforms' tables)."""
    if psname not in _resolvers:
        f, cmap, uvs = font_cmaps(psname)

        def resolve(cluster: str):
            name = cmap.get(ord(cluster)) if len(cluster) == 1 else uvs.get(cluster)
            g = f["glyf"][name]
            return name, tuple(g.getCoordinates(f["glyf"])[0]), f["hmtx"][name][0]

        _resolvers[psname] = resolve
    return _resolvers[psname]


def check_cid_glyphs(pdf: bytes) -> int:
    """For every CID of every embedded font: the glyph the PDF draws for it has the outline of the
    glyph the original font's cmap / cmap 14 selects for the CID's ToUnicode text. Returns the
    number of CIDs checked; raises AssertionError listing mismatches."""
    import re

    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    seen, checked, bad = set(), 0, []
    reader = PdfReader(io.BytesIO(pdf))
    fonts = []
    for page in reader.pages:
        res = page["/Resources"]
        for ref in list(res.get("/Font", {}).values()):
            fonts.append(ref)
        for xo in res.get("/XObject", {}).values():
            xo = xo.get_object()
            if xo.get("/Subtype") == "/Form":
                fonts += list(xo.get("/Resources", {}).get("/Font", {}).values())
    for ref in fonts:
        key = ref.idnum if hasattr(ref, "idnum") else id(ref)
        if key in seen:
            continue
        seen.add(key)
        t0 = ref.get_object()
        psname = str(t0["/BaseFont"]).split("+", 1)[1]
        if psname not in _FONT_FILES:
            continue  # a tenant font: checked by its own tests
        resolve = _resolver(psname)
        cidf = t0["/DescendantFonts"][0].get_object()
        c2g = cidf["/CIDToGIDMap"].get_object().get_data()
        sub = TTFont(io.BytesIO(cidf["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()))
        order = sub.getGlyphOrder()
        cmap_text = t0["/ToUnicode"].get_object().get_data().decode("ascii")
        bfchars = "".join(re.findall(r"beginbfchar(.*?)endbfchar", cmap_text, re.S))
        for cid_hex, uni in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", bfchars):
            cid = int(cid_hex, 16)
            text = bytes.fromhex(uni).decode("utf-16-be")
            gid = int.from_bytes(c2g[2 * cid:2 * cid + 2], "big")
            name = order[gid]
            got = (tuple(sub["glyf"][name].getCoordinates(sub["glyf"])[0]), sub["hmtx"][name][0])
            want_name, *want = resolve(text)
            checked += 1
            if got != tuple(want):
                bad.append((text, want_name))
    assert not bad, bad[:20]
    return checked


def _mul(m, n):
    """The product m × n of two PDF matrices (a, b, c, d, e, f): m applied first."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def placements(pdf: bytes, page: int = 1) -> dict[str, list]:
    """What a page's content streams draw, read with pypdf and the current transformation matrix
    (``q``/``Q``/``cm``, form XObjects with their /Matrix) — not from lgforms' layout objects:

    - ``rects``: every ``re`` as (x, top, w, h) in mm from the top-left;
    - ``images``: every image XObject drawn (``Do``) as dict(x, top, w, h in mm, px=(width, height)
      in pixels, matrix=the CTM), the image's unit square mapped by the CTM."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    pg = reader.pages[page - 1]
    page_h = float(pg.mediabox.height)
    out: dict[str, list] = {"rects": [], "images": []}

    def run(content, resources, ctm):
        stack = []
        for operands, op in ContentStream(content, reader).operations:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                ctm = _mul(tuple(float(v) for v in operands), ctm)
            elif op == b"re":
                x, y, w, h = (float(v) for v in operands)
                a, b, c, d, e, f = ctm
                xs = [a * px + c * py + e for px, py in ((x, y), (x + w, y + h))]
                ys = [b * px + d * py + f for px, py in ((x, y), (x + w, y + h))]
                out["rects"].append((min(xs) / MM, (page_h - max(ys)) / MM, abs(xs[1] - xs[0]) / MM,
                                     abs(ys[1] - ys[0]) / MM))
            elif op == b"Do":
                xo = resources["/XObject"][operands[0]].get_object()
                if xo["/Subtype"] == "/Image":
                    a, b, c, d, e, f = ctm
                    corners = [(a * u + c * v + e, b * u + d * v + f) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
                    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                    out["images"].append({"x": min(xs) / MM, "top": (page_h - max(ys)) / MM,
                                          "w": (a * a + b * b) ** 0.5 / MM, "h": (c * c + d * d) ** 0.5 / MM,
                                          "px": (int(xo["/Width"]), int(xo["/Height"])), "matrix": ctm})
                elif xo["/Subtype"] == "/Form":
                    m = tuple(float(v) for v in xo.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                    run(xo, xo.get("/Resources", resources), _mul(m, ctm))

    run(pg.get_contents(), pg["/Resources"], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return out


def page_likeness(png: bytes, pdf: bytes, page: int, dpi: int) -> float:
    """How alike a PNG is to page ``page`` of ``pdf`` as poppler's pdftoppm renders it (not PDFium,
    which lgforms uses for its PNGs): the correlation of the two greyscale images reduced 4× (anti-
    aliasing differences between the renderers average out); -1 when the sizes differ. A page against
    itself gives > 0.95; two different pages of one form below 0.1."""
    import numpy as np
    from PIL import Image

    from barcodecheck import rasterize

    def small(im):
        im = im.convert("L")
        return np.asarray(im.resize((im.width // 4, im.height // 4), Image.BOX), dtype=np.float64)

    a, b = small(Image.open(io.BytesIO(png))), small(rasterize(pdf, page, dpi))
    if a.shape != b.shape:
        return -1.0
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def strokes(pdf: bytes, page: int = 1) -> list[dict]:
    """Every path a page's content stream strokes (``S``, or ``B`` fill-and-stroke), read with pypdf
    (not lgforms' layout objects), in mm from the top-left: dict(points=[(x, y) of every ``m``/``l``
    end point and every ``c`` curve's end point], rect=(x, top, w, h) for a ``re``, width=the
    line width in mm, color=the stroke colour operands (``K``: 4 CMYK values, ``RG``: 3, ``G``: 1)).
    Only the page's own content: no form XObjects, no ``cm`` (lgforms draws lines without them)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    pg = reader.pages[page - 1]
    page_h = float(pg.mediabox.height)
    out: list[dict] = []
    width, color, stack = 1.0 / MM, (0.0,), []
    points: list = []
    rect = None
    for operands, op in ContentStream(pg.get_contents(), reader).operations:
        if op == b"q":
            stack.append((width, color))
        elif op == b"Q":
            width, color = stack.pop()
        elif op == b"w":
            width = float(operands[0]) / MM
        elif op in (b"K", b"RG", b"G"):
            color = tuple(float(v) for v in operands)
        elif op in (b"m", b"l"):
            points.append((float(operands[0]) / MM, (page_h - float(operands[1])) / MM))
        elif op == b"c":
            points.append((float(operands[4]) / MM, (page_h - float(operands[5])) / MM))
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            rect = (x / MM, (page_h - y - h) / MM, w / MM, h / MM)
        elif op in (b"S", b"B", b"f", b"n", b"W"):
            if op in (b"S", b"B"):
                out.append({"points": points, "rect": rect, "width": width, "color": color})
            if op != b"W":
                points, rect = [], None
    return out
