"""The embedded CID fonts (lgforms.pdf.cidfont), read back from the PDF with pypdf and fontTools.

What a reader of the PDF relies on, checked against the original font file (fontTools) and the
PDF and CMap specifications (ISO 32000-1 §9.7, Adobe Technical Note #5411), never against the
code under test:

* every CID draws the glyph its text selects (CIDToGIDMap into the subset, outlines compared with
  the original font), one CID per cluster, a CID of its own for a vertical alternate and for each
  digit of a 縦中横 run;
* widths (``W``, ``DW`` 1000) are the font's advances; vertical metrics (``DW2``, ``W2``) hang each
  glyph from the ascent and set 縦中横 digits side by side, centred across the column;
* the ToUnicode CMap, the subset tag, the font descriptor's values;
* the limits of 2-byte CIDs: the UTF-16 surrogate range is skipped, a line that does not fit
  raises ``FontFull`` before it takes any CID.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import time
import zlib
from types import SimpleNamespace

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from lgforms.layout.boxes import LaidOutPage
from lgforms.layout.text import MojiProblems, fit_text
from lgforms.moji.fonts import default_stacks
from lgforms.pdf import cidfont
from lgforms.pdf.cidfont import EmbeddedFont, FontFull, to_unicode_cmap, vertical_origin
from lgforms.pdf.draw import draw_pages
from lgforms.pdf.writer import PdfWriter
from lgforms.spec.models import TextStyle

from pdfcheck import font_cmaps

STACK = default_stacks()["mincho"]
YOSHI = "\U00020BB7"  # 𠮷, outside the BMP
KATSU = "葛\U000E0102"  # an IVS with a glyph of its own
DROPPED = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "DSIG", "kern", "vhea", "vmtx", "VORG")


@pytest.fixture(scope="module")
def orig():
    """The original IPAmj Mincho, read by fontTools: glyph of a cluster, advance of a glyph."""
    f, cmap, uvs = font_cmaps("IPAmjMincho")
    upem = f["head"].unitsPerEm
    return SimpleNamespace(tt=f, cmap=cmap, uvs=uvs, upem=upem,
                           glyph=lambda cl: uvs[cl] if len(cl) > 1 else cmap[ord(cl)],
                           advance=lambda name: round(f["hmtx"].metrics[name][0] * 1000 / upem))


def clusters(text: str) -> list[str]:
    return re.findall(r".[\U000E0100-\U000E01EF]?", text)


def horizontal(text: str, y: float, size: float = 12):
    pr = MojiProblems()
    out = fit_text(text, (10, y, 190, 8), TextStyle(size=size), STACK, path=None, problems=pr)
    pr.raise_if_any()
    return out


def vertical(text: str, x: float, **style):
    pr = MojiProblems()
    out = fit_text(text, (x, 20, 12, 150), TextStyle(writing="vertical", size=10, valign="top", **style), STACK,
                   path=None, problems=pr)
    pr.raise_if_any()
    return out


def write(items) -> bytes:
    w = PdfWriter(page_size_mm=(210, 297))
    draw_pages([LaidOutPage((210, 297), [], items)], w)
    return w.finish()


def _expand_w(arr) -> dict[int, float]:
    """A CIDFont ``W`` array (ISO 32000-1 §9.7.4.3: ``c [w1 w2 …]`` and ``c_first c_last w``)."""
    out, i = {}, 0
    arr = list(arr)
    while i < len(arr):
        c = int(arr[i])
        if isinstance(arr[i + 1], list):
            for k, v in enumerate(arr[i + 1]):
                out[c + k] = float(v)
            i += 2
        else:
            for k in range(c, int(arr[i + 1]) + 1):
                out[k] = float(arr[i + 2])
            i += 3
    return out


def bfchar(cmap: str) -> dict[int, str]:
    """CID -> text of a ToUnicode CMap's ``bfchar`` blocks."""
    blocks = "\n".join(re.findall(r"beginbfchar\n(.*?)\nendbfchar", cmap, re.S))
    return {int(k, 16): bytes.fromhex(v).decode("utf-16-be") for k, v in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", blocks)}


def read_font(pdf: bytes) -> SimpleNamespace:
    """The one embedded font of a one-page PDF, as a reader sees it."""
    r = PdfReader(io.BytesIO(pdf))
    fonts = {str(k): v.get_object() for k, v in r.pages[0]["/Resources"]["/Font"].items()}
    type0 = next(iter(fonts.values()))
    cid = type0["/DescendantFonts"][0].get_object()
    desc = cid["/FontDescriptor"].get_object()
    tounicode = type0["/ToUnicode"].get_object().get_data().decode("ascii")
    entries = bfchar(tounicode)
    program = desc["/FontFile2"].get_object()
    content = r.pages[0].get_contents().get_data().decode("latin-1")
    shown = [int(h[i:i + 4], 16) for h in re.findall(r"<([0-9A-F]+)> Tj", content) for i in range(0, len(h), 4)]
    return SimpleNamespace(
        fonts=fonts, type0=type0, cid=cid, desc=desc, tounicode=tounicode, entries=entries,
        c2g=cid["/CIDToGIDMap"].get_object().get_data(), program=program.get_data(),
        length1=int(program["/Length1"]), widths=_expand_w(cid["/W"]), shown=shown,
        subset=TTFont(io.BytesIO(program.get_data())), reader=r)


def new_gid(f: SimpleNamespace, cid: int) -> int:
    return int.from_bytes(f.c2g[2 * cid:2 * cid + 2], "big")


def same_outline(a, b) -> bool:
    if a.numberOfContours == 0 or b.numberOfContours == 0:  # a space
        return a.numberOfContours == b.numberOfContours
    if a.isComposite() or b.isComposite():
        return [c.glyphName for c in a.components] == [c.glyphName for c in b.components]
    return list(a.coordinates) == list(b.coordinates) and list(a.endPtsOfContours) == list(b.endPtsOfContours)


TEXTS = ["髙橋　𠮷田", f"{KATSU}城　葛城", "令和8年12月1日 No.123-456", "ｱｲｳ abc ABC 0123456789", "髙橋　齋藤"]


@pytest.fixture(scope="module")
def horizontal_doc():
    items = []
    for i, t in enumerate(TEXTS):
        items += horizontal(t, 10 + 10 * i)
    return read_font(write(items))


def test_every_cluster_drawn_has_exactly_one_cid_that_copies_out_as_the_cluster(horizontal_doc):
    f = horizontal_doc
    drawn = {c for t in TEXTS for c in clusters(t) if c != " "} | ({" "} if any(" " in t for t in TEXTS) else set())
    assert sorted(f.entries.values()) == sorted(drawn)  # each text once: one CID per cluster
    assert set(f.shown) == set(f.entries)  # every CID a line shows is mapped, and only those
    assert 0 not in f.entries


def test_every_cid_draws_the_original_glyph_of_its_cluster(horizontal_doc, orig):
    f = horizontal_doc
    order = f.subset.getGlyphOrder()
    assert len(f.c2g) == 2 * (max(f.entries) + 1)
    assert new_gid(f, 0) == 0  # CID 0: .notdef
    for cid, text in f.entries.items():
        gid = new_gid(f, cid)
        assert gid != 0, text
        assert same_outline(f.subset["glyf"][order[gid]], orig.tt["glyf"][orig.glyph(text)]), text


def test_the_subset_holds_the_glyphs_drawn_and_no_layout_tables(horizontal_doc, orig):
    f = horizontal_doc
    glyphs = {orig.glyph(t) for t in f.entries.values()}
    assert f.subset["maxp"].numGlyphs == len(glyphs) + 1  # and .notdef: no closure, nothing else
    assert not set(DROPPED) & set(f.subset.keys())
    assert f.length1 == len(f.program)  # /Length1: the uncompressed font program


def test_widths_are_the_font_s_advances_with_dw_1000_for_the_rest(horizontal_doc, orig):
    f = horizontal_doc
    assert int(f.cid["/DW"]) == 1000
    assert all(w != 1000 for w in f.widths.values())  # W lists only what differs from DW
    assert set(f.widths) <= set(f.entries)
    for cid, text in f.entries.items():
        assert f.widths.get(cid, 1000.0) == orig.advance(orig.glyph(text)), text
    # one `c [w1 w2 …]` entry per run of consecutive CIDs whose width is not 1000
    runs = sum(1 for c in f.widths if c - 1 not in f.widths)
    arr = list(f.cid["/W"])
    assert len(arr) == 2 * runs and runs < len(f.widths)


def test_the_font_descriptor_and_dictionaries_carry_the_font_s_own_values(horizontal_doc, orig):
    f = horizontal_doc
    tt = orig.tt
    s = 1000 / orig.upem
    base = str(f.type0["/BaseFont"])
    assert re.fullmatch(r"/[A-Z]{6}\+IPAmjMincho", base), base
    assert str(f.cid["/BaseFont"]) == base and str(f.desc["/FontName"]) == base
    assert int(f.desc["/Ascent"]) == round(tt["hhea"].ascent * s)
    assert int(f.desc["/Descent"]) == round(tt["hhea"].descent * s)
    assert int(f.desc["/CapHeight"]) == round(tt["OS/2"].sCapHeight * s)
    assert [int(v) for v in f.desc["/FontBBox"]] == [round(v * s) for v in (tt["head"].xMin, tt["head"].yMin,
                                                                           tt["head"].xMax, tt["head"].yMax)]
    assert float(f.desc["/ItalicAngle"]) == tt["post"].italicAngle
    assert int(f.desc["/Flags"]) == 4  # symbolic
    assert str(f.type0["/Encoding"]) == "/Identity-H"
    si = f.cid["/CIDSystemInfo"]
    assert (str(si["/Registry"]), str(si["/Ordering"]), int(si["/Supplement"])) == ("Adobe", "Identity", 0)
    # horizontal text only: no vertical metrics, no Identity-V font
    assert set(f.cid.keys()) == {"/Type", "/Subtype", "/BaseFont", "/CIDSystemInfo", "/FontDescriptor", "/DW", "/W",
                                 "/CIDToGIDMap"}
    assert not any(str(o.get_object().get("/Encoding")) == "/Identity-V"
                   for o in f.reader.trailer["/Root"]["/Pages"]["/Kids"][0].get_object()["/Resources"]["/Font"].values())
    assert b"/Identity-V" not in zlib_free(f.reader)


def test_qpdf_finds_nothing_wrong_in_the_font_objects(tmp_path):
    """qpdf reads every object strictly: a stray token in a font dictionary is a warning there
    (pypdf and poppler skip it)."""
    for name, items in (("both", horizontal("髙橋 No.1", 10) + vertical("令和8年12月1日", 100, tcy=2)),
                        ("horizontal", horizontal("髙橋 No.1", 10))):
        (tmp_path / f"{name}.pdf").write_bytes(write(items))
        r = subprocess.run(["qpdf", "--check", str(tmp_path / f"{name}.pdf")], capture_output=True, text=True)
        assert r.returncode == 0 and "WARNING" not in r.stderr + r.stdout, (name, r.stderr)


def zlib_free(reader: PdfReader) -> bytes:
    """The file's bytes outside streams (dictionaries of every object)."""
    raw = reader.stream
    raw.seek(0)
    return re.sub(rb"stream\n.*?\nendstream", b"", raw.read(), flags=re.S)


def test_the_first_cid_gets_its_width_too(orig):
    f = read_font(write(horizontal("a髙", 10)))
    assert f.entries[1] == "a" and f.widths[1] == orig.advance(orig.glyph("a")) != 1000


def test_two_documents_with_the_same_glyphs_have_the_same_subset_name_and_others_another():
    a = read_font(write(horizontal("髙橋", 10)))
    b = read_font(write(horizontal("髙橋", 40)))
    c = read_font(write(horizontal("髙島", 10)))
    assert a.type0["/BaseFont"] == b.type0["/BaseFont"] != c.type0["/BaseFont"]


def test_subset_tags_are_six_capital_letters_and_differ_by_glyph_set():
    rnd = random.Random(7)
    tags = set()
    for _ in range(400):
        gids = [0] + sorted(rnd.sample(range(1, 60000), 5))
        tag = cidfont._subset_tag(gids, "IPAmjMincho")
        assert re.fullmatch(r"[A-Z]{6}", tag), tag
        tags.add(tag)
    assert len(tags) == 400
    assert cidfont._subset_tag([0, 5], "IPAmjMincho") != cidfont._subset_tag([0, 5], "IPAexGothic")


# -- vertical writing -------------------------------------------------------------------------


def test_a_column_that_repeats_characters_gives_each_one_cid():
    f = read_font(write(vertical("入場券入場券", 100)))
    assert sorted(f.entries.values()) == sorted("入場券")
    assert set(f.shown) == set(f.entries)


def test_a_character_upright_and_as_its_vertical_alternate_gets_two_cids_with_their_own_glyphs(orig):
    f = read_font(write(horizontal("ー（", 10) + vertical("ー（", 100)))
    order = f.subset.getGlyphOrder()
    for ch in "ー（":
        cids = [c for c, t in f.entries.items() if t == ch]
        assert len(cids) == 2, ch
        names = {order[new_gid(f, c)] for c in cids}
        assert len(names) == 2, ch  # the upright glyph and the vertical alternate
        upright = [c for c in cids if same_outline(f.subset["glyf"][order[new_gid(f, c)]], orig.tt["glyf"][orig.cmap[ord(ch)]])]
        assert len(upright) == 1, ch


def _w2(cid_dict) -> dict[int, tuple[float, float, float]]:
    arr, out, i = list(cid_dict["/W2"]), {}, 0
    while i < len(arr):
        c, vals = int(arr[i]), [float(v) for v in arr[i + 1]]
        for k in range(0, len(vals), 3):
            out[c + k // 3] = tuple(vals[k:k + 3])
        i += 2
    return out


def test_vertical_metrics_hang_glyphs_from_the_ascent_and_set_tate_chu_yoko_digits_side_by_side(orig):
    text = "令和8年12月11日　第123号"
    lines = vertical(text, 100, tcy=3)
    runs = [ln.text for ln in lines if len(ln.clusters) > 1]
    assert runs == ["12", "11", "123"]
    pdf = write(horizontal("1", 10) + lines)
    r = PdfReader(io.BytesIO(pdf))
    fonts = {str(k): v.get_object() for k, v in r.pages[0]["/Resources"]["/Font"].items()}
    vfont = next(v for v in fonts.values() if str(v["/Encoding"]) == "/Identity-V")
    hfont = next(v for v in fonts.values() if str(v["/Encoding"]) == "/Identity-H")
    cid = vfont["/DescendantFonts"][0].get_object()
    assert hfont["/DescendantFonts"][0].get_object() == cid  # one CIDFont, written both ways
    hhea = orig.tt["hhea"]
    vy = round(hhea.ascent / (hhea.ascent - hhea.descent) * 1000, 3)
    assert [float(v) for v in cid["/DW2"]] == [vy, -1000.0]
    widths = _expand_w(cid["/W"])
    w2 = _w2(cid)
    tu = vfont["/ToUnicode"].get_object().get_data().decode("ascii")
    entries = bfchar(tu)
    content = r.pages[0].get_contents().get_data().decode("latin-1")
    vertical_hex = re.search(r"/LGF1V [0-9.]+ Tf (.*?)ET", content, re.S).group(1)
    column = [int(h[i:i + 4], 16) for h in re.findall(r"<([0-9A-F]+)> Tj", vertical_hex) for i in range(0, len(h), 4)]
    assert "".join(entries[c] for c in column) == text
    assert set(w2) == {c for c in column if entries[c].isdigit() and not entries[c] == "8"}
    # each run: its digits' CIDs, their widths; the run centred on the column, only the last one advancing
    pos = 0
    for run in runs:
        start = "".join(entries[c] for c in column).index(run, pos)
        cids = column[start:start + len(run)]
        pos = start + len(run)
        ws = [widths.get(c, 1000.0) for c in cids]
        total, offset = sum(ws), 0.0
        for k, (c, w) in enumerate(zip(cids, ws)):
            w1y, vx, v = w2[c]
            assert w1y == (-1000.0 if k == len(cids) - 1 else 0.0)
            assert vx == pytest.approx(total / 2 - offset, abs=0.001)
            assert v == vy
            offset += w
    # a digit at another place of a run, in a run of another width, and the horizontal "1" are CIDs
    # of their own; the first digit of "12" and of "11" share one (same width, place and advance)
    ones = [c for c, t in entries.items() if t == "1"]
    assert len(ones) == 4  # horizontal; first of "12" and "11"; last of "11"; first of "123"


def test_vertical_origin_is_the_ascent_over_the_em_height():
    assert vertical_origin(SimpleNamespace(ascent=880.0, descent=-120.0)) == 880.0
    assert vertical_origin(SimpleNamespace(ascent=700.0, descent=-300.3)) == 699.79  # 1/1000 of a unit
    assert vertical_origin(SimpleNamespace(ascent=500.0, descent=-500.0)) == 500.0
    assert vertical_origin(SimpleNamespace(ascent=0.0, descent=0.0)) == 880.0  # no metrics: IPA's


def test_w2_positions_are_written_to_a_thousandth_of_a_unit():
    font = SimpleNamespace(ascent=880.0, descent=-120.0)
    assert cidfont._w2_array({7: (0.0, 333.33333), 5: (-1000.0, -166.66667)}, font) == \
        " /DW2 [880 -1000] /W2 [5 [-1000 -166.667 880] 7 [0 333.333 880]]"
    assert cidfont._w2_array({}, font) == " /DW2 [880 -1000]"


# -- ToUnicode ---------------------------------------------------------------------------------


def test_the_tounicode_cmap_is_the_adobe_identity_ucs_cmap_of_technical_note_5411():
    assert to_unicode_cmap(["", "A", YOSHI, KATSU, ""]).decode("ascii") == "\n".join([
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
        "3 beginbfchar",
        "<0001> <0041>",
        "<0002> <D842DFB7>",
        "<0003> <845BDB40DD02>",
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ])


def test_a_cmap_has_at_most_100_entries_per_bfchar_block():
    texts = [""] + [chr(0x4E00 + i) for i in range(250)]
    cmap = to_unicode_cmap(texts).decode("ascii")
    assert re.findall(r"(\d+) beginbfchar", cmap) == ["100", "100", "50"]
    assert cmap.count("endbfchar") == 3
    blocks = re.findall(r"beginbfchar\n(.*?)\nendbfchar", cmap, re.S)
    assert [len(b.split("\n")) for b in blocks] == [100, 100, 50]
    assert blocks[2].split("\n")[-1] == "<00FA> <4EF9>"


# -- the limits of 2-byte CIDs ------------------------------------------------------------------


@pytest.fixture(scope="module")
def glyph():
    return horizontal("髙", 10)[0].glyphs[0]


def fill(ef: EmbeddedFont, g, upto: int) -> None:
    """Give ``ef`` CIDs up to ``upto`` - 1 (the next new cluster gets CID ``upto``, or E000)."""
    while len(ef.gids) < upto:
        ef.cid(f"\x00{len(ef.gids)}", g.gid, g.advance)


def test_cids_skip_the_utf16_surrogate_range_which_is_never_mapped(glyph):
    ef = EmbeddedFont(glyph.font, "F1")
    fill(ef, glyph, 0xD800)
    assert ef.cid("髙", glyph.gid, glyph.advance) == 0xE000
    assert ef.cid("髙", glyph.gid, glyph.advance) == 0xE000  # and again: the same CID
    assert ef.cid("x", glyph.gid, 500.0) == 0xE001
    objs = ef.build()
    cmap = zlib.decompress(objs.to_unicode).decode("ascii")
    mapped = sorted(bfchar(cmap))
    assert 0xD7FF in mapped and 0xE000 in mapped and 0xE001 in mapped
    assert not [c for c in mapped if 0xD800 <= c < 0xE000]
    assert len(mapped) == 0xD7FF + 2  # CIDs 1..D7FF, E000, E001
    c2g = zlib.decompress(objs.cid_to_gid)
    assert len(c2g) == 2 * 0xE002
    assert c2g[2 * 0xD800:2 * 0xE000] == bytes(2 * 0x800)  # the skipped CIDs: .notdef
    assert c2g[2 * 0xE000:2 * 0xE001] == c2g[2:4] != b"\0\0"
    # W: only CID E001 (half width) differs from DW 1000: the skipped range is not listed
    assert objs.widths == "[57345 [500]]"
    assert ef.stats["glyphs"] == 2  # .notdef and 髙


def test_cid_ffff_is_the_last_and_the_next_new_cluster_raises_font_full(glyph):
    ef = EmbeddedFont(glyph.font, "F7")
    fill(ef, glyph, 0xFFFF)
    assert ef.cid("last", glyph.gid, glyph.advance) == 0xFFFF
    with pytest.raises(FontFull) as ei:
        ef.cid("one more", glyph.gid, glyph.advance)
    assert ei.value.args == ("F7",)
    assert len(ef.gids) == 0x10000 and "one more" not in ef.cid_of
    assert ef.cid("last", glyph.gid, glyph.advance) == 0xFFFF  # known clusters still have their CID


def _line(n: int, tag: str, g):
    cl = [f"{tag}{i}" for i in range(n)]
    return "".join(cl), cl, [g] * n


@pytest.mark.parametrize("before", [0xD800 - 10, 0xD800, 0xE000 + 100])
def test_a_line_that_fits_exactly_takes_the_last_cids_and_one_more_cluster_takes_none(glyph, before):
    room = 0x10000 - (before if before > 0xD800 else before + 0x800)
    ef = EmbeddedFont(glyph.font, "F2")
    fill(ef, glyph, before)
    snapshot = (len(ef.gids), dict(ef.cid_of))
    with pytest.raises(FontFull) as ei:
        ef.encode(*_line(room + 1, "a", glyph))
    assert ei.value.args == ("F2",)
    assert (len(ef.gids), ef.cid_of) == snapshot  # refused whole: the writer starts a fresh font for it
    hexes = ef.encode(*_line(room, "b", glyph))
    assert hexes[-4:] == "FFFF" and len(hexes) == 4 * room
    # a line of clusters that all have CIDs already still fits in a full font
    text, cl, gl = _line(room, "b", glyph)
    assert ef.encode(text + "!", cl + ["b0"], gl + [glyph]) == hexes + hexes[:4]


def test_the_subset_timer_adds_the_time_spent_subsetting(glyph):
    ef = EmbeddedFont(glyph.font, "F3")
    ef.cid("髙", glyph.gid, glyph.advance)
    before = cidfont.SUBSET_TIMER[0] = 5.0
    t0 = time.perf_counter()
    objs = ef.build()
    spent = time.perf_counter() - t0
    assert before < cidfont.SUBSET_TIMER[0] <= before + spent
    assert ef.stats == {"glyphs": 2, "font_bytes": objs.program_length}
    assert objs.program_length == len(zlib.decompress(objs.program))


def test_a_cluster_asked_for_by_itself_and_within_a_line_has_one_cid(glyph):
    ef = EmbeddedFont(glyph.font, "F4")
    c = ef.cid("髙", glyph.gid, glyph.advance)
    assert ef.encode("髙", ["髙"], [glyph]) == "%04X" % c == "0001"
    assert ef.encode("髙髙", ["髙", "髙"], [glyph, glyph]) == "00010001"


def test_a_line_s_vertical_alternate_and_the_upright_glyph_of_one_text_get_two_cids(glyph):
    """A column that mixes fonts is drawn glyph by glyph as horizontal lines (``encode``): its
    vertical alternates must not take the CID of the same text drawn upright."""
    from lgforms.moji.fonts import Glyph

    upright = Glyph(glyph.font, 11, 1000.0)
    vert = Glyph(glyph.font, 12, 1000.0, variant="vert")
    ef = EmbeddedFont(glyph.font, "F5")
    a = ef.encode("ー", ["ー"], [upright])
    b = ef.encode("ー", ["ー"], [vert])
    c = ef.encode("ーー", ["ー", "ー"], [vert, vert])
    assert (a, b, c) == ("0001", "0002", "00020002")
    assert ef.gids == [0, 11, 12] and ef.texts == ["", "ー", "ー"]
