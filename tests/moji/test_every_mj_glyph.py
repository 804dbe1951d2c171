"""Every MJ glyph reachable through IPAmj's cmaps — 54,000+ code points and all 11,474 IVS
entries — drawn into one PDF, then read back independently:

(a) the glyph drawn for each cluster (content stream CID -> CIDToGIDMap -> embedded subset glyph)
    has exactly the outline of the glyph fontTools' cmap / cmap 14 resolution selects in
    ipamjm.ttf (a default UVS entry selects the base glyph);
(b) pypdf and poppler's pdftotext both extract exactly the input code points, line by line.

Characters that are white space or controls are left out: text extractors turn them into word
gaps by design (poppler writes every space as ' '), so they cannot show round-trip exactness.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lgforms.layout.boxes import LaidOutPage
from lgforms.layout.text import MojiProblems, fit_text
from lgforms.moji.fonts import default_stacks
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter
from lgforms.resources import font_dir
from lgforms.spec.models import TextStyle

from pdfcheck import pdftotext

PER_LINE = 50
LINES_PER_PAGE = 54


def _expected():
    """cluster -> glyph name, straight from fontTools (independent of lgforms' own tables)."""
    f = TTFont(str(font_dir() / "ipamjm.ttf"), lazy=True)
    cmap = f["cmap"].getBestCmap()
    out = {}
    for cp, name in sorted(cmap.items()):
        if not name.startswith("mj"):
            continue
        ch = chr(cp)
        if unicodedata.category(ch) in ("Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"):
            continue
        out[ch] = name
    n_ivs = 0
    for st in f["cmap"].tables:
        if st.format == 14:
            for vs, entries in st.uvsDict.items():
                for base, name in entries:
                    out[chr(base) + chr(vs)] = name if name is not None else cmap[base]
                    n_ivs += 1
    return f, out, n_ivs


@pytest.fixture(scope="module")
def every_glyph_pdf():
    font, expected, n_ivs = _expected()
    clusters = list(expected)
    lines = ["".join(clusters[i:i + PER_LINE]) for i in range(0, len(clusters), PER_LINE)]
    t0 = time.perf_counter()
    stack = default_stacks()["mincho"]
    style = TextStyle(size=9)
    pages, problems = [], MojiProblems()
    for p in range(0, len(lines), LINES_PER_PAGE):
        items = []
        for k, line in enumerate(lines[p:p + LINES_PER_PAGE]):
            items += fit_text(line, (8, 8 + k * 5.2, 194, 5.2), style, stack, path=None, problems=problems)
        pages.append(LaidOutPage((210, 297), [], items))
    problems.raise_if_any()
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages(pages, w)
    pdf = w.finish()
    elapsed = time.perf_counter() - t0
    print(f"\nevery MJ glyph: {len(clusters)} clusters ({n_ivs} IVS) on {len(pages)} pages, "
          f"{len(pdf) / 1e6:.1f} MB, rendered in {elapsed:.1f} s")
    return font, expected, lines, pdf


def test_counts(every_glyph_pdf):
    font, expected, lines, pdf = every_glyph_pdf
    ivs = [c for c in expected if len(c) == 2]
    assert len(ivs) == 11474
    assert len({n for n in expected.values()}) >= 59000  # the reachable MJ glyphs


def test_a_drawn_glyph_is_the_fonts_own_resolution(every_glyph_pdf):
    font, expected, lines, pdf = every_glyph_pdf
    t0 = time.perf_counter()
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {}  # resource name -> (cid->gid bytes, subset TTFont, glyph order)
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            if name in fonts:
                continue
            t0f = ref.get_object()
            cidf = t0f["/DescendantFonts"][0].get_object()
            c2g = cidf["/CIDToGIDMap"].get_object().get_data()
            prog = cidf["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            sub = TTFont(io.BytesIO(prog))
            fonts[name] = (c2g, sub, sub.getGlyphOrder())
    orig_glyf = font["glyf"]
    orig_hmtx = font["hmtx"]
    drawn: list[tuple[str, str, int]] = []  # (font resource, glyph name in subset, gid) in drawing order
    show = re.compile(rb"/(LGF\d+) [\d.]+ Tf <([0-9A-F]*)> Tj")
    for page in reader.pages:
        for res, hexs in show.findall(page.get_contents().get_data()):
            res = "/" + res.decode()
            c2g, sub, order = fonts[res]
            h = hexs.decode()
            for i in range(0, len(h), 4):
                cid = int(h[i:i + 4], 16)
                gid = int.from_bytes(c2g[2 * cid:2 * cid + 2], "big")
                drawn.append((res, order[gid], gid))
    clusters = [c for line in lines for c in _split(line)]
    assert len(drawn) == len(clusters)
    coords_cache: dict = {}
    mismatches = []
    for cluster, (res, sub_name, gid) in zip(clusters, drawn):
        sub = fonts[res][1]
        want = expected[cluster]
        key = (res, sub_name)
        if key not in coords_cache:
            g = sub["glyf"][sub_name]
            coords_cache[key] = (tuple(g.getCoordinates(sub["glyf"])[0]), sub["hmtx"][sub_name][0])
        got = coords_cache[key]
        ow = orig_glyf[want]
        ref = (tuple(ow.getCoordinates(orig_glyf)[0]), orig_hmtx[want][0])
        if got != ref:
            mismatches.append((cluster, want))
    print(f"checked {len(clusters)} drawn glyphs in {time.perf_counter() - t0:.1f} s")
    assert not mismatches, mismatches[:20]


def _split(line: str) -> list[str]:
    from lgforms.moji.clusters import split_clusters

    return split_clusters(line)


def test_b_pypdf_extracts_exactly(every_glyph_pdf):
    font, expected, lines, pdf = every_glyph_pdf
    t0 = time.perf_counter()
    got = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        got += [l for l in page.extract_text().split("\n") if l]
    print(f"pypdf extraction {time.perf_counter() - t0:.1f} s")
    assert got == lines


def test_b_pdftotext_extracts_exactly(every_glyph_pdf):
    font, expected, lines, pdf = every_glyph_pdf
    t0 = time.perf_counter()
    got = [l for l in pdftotext(pdf, "-raw").split("\n") if l and l != "\f"]
    got = [l.lstrip("\f") for l in got]
    print(f"pdftotext extraction {time.perf_counter() - t0:.1f} s")
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(got, lines)) if a != b]
    assert len(got) == len(lines) and not bad, bad[:5]
