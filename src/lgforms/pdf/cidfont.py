"""Type0 / CIDFontType2 / Identity-H font embedding with exact copy-out (DESIGN §3).

One ``EmbeddedFont`` per font per document. Every distinct *cluster text* gets its own CID, so a
glyph reached as plain 齋 and as the default sequence 齋+E0102 has two CIDs (same GID through
CIDToGIDMap) and each copies out as written. At save time ReportLab calls ``addObjects`` (the same
delayed-font hook its TrueType fonts use) and we write:

* the font program: a HarfBuzz subset by glyph ID (variant glyphs kept, no layout closure,
  no hinting); new glyph IDs come from the subset plan's old->new map;
* ``CIDToGIDMap``: 2 bytes big-endian per CID from CID 0;
* ``W`` widths from the font (``DW`` 1000 covers the full-width majority);
* ``ToUnicode``: one ``bfchar`` per CID with the cluster's UTF-16BE text (surrogate pairs and the
  variation selector included). No ``bfrange``: it increments the last byte, which is wrong for
  surrogate pairs and multi-code-point clusters.

Vertical text (縦書き) uses the same CIDs through a second Type0 font, ``/Encoding /Identity-V``,
over the same CIDFont, whose ``DW2`` / ``W2`` give the vertical metrics: every glyph advances one
em down and hangs from the top of its em box (position vector: half its width, the font's ascent).
A column is then one text run, and readers that know vertical writing (poppler) copy it out as one
line. A vertical alternate (``vert``) has a CID of its own, mapped to the cluster it stands for;
the digits of a 縦中横 run get CIDs of their own too (same glyph and text, a ``W2`` entry that sets
them side by side across one em and advances one em only after the last).
"""

from __future__ import annotations

import hashlib
import itertools
import time
import zlib
from dataclasses import dataclass

from ..moji.fonts import FontFile

_DROP_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "DSIG", "kern", "vhea", "vmtx",
                "VORG", "morx", "feat", "gasp", "hdmx", "LTSH", "VDMX", "PCLT")

# time spent subsetting (seconds), read by the benchmark to report the split
SUBSET_TIMER = [0.0]


def _flate(data: bytes, level: int = 6) -> bytes:
    return zlib.compress(data, level)


class FontFull(Exception):
    """2-byte CIDs are used up (65,535 distinct clusters): the writer starts another font object."""


_SERIALS = itertools.count(1)


class EmbeddedFont:
    """Clusters of one font in one document -> CIDs; written to the PDF at save time."""

    def __init__(self, font: FontFile, resource_name: str):
        self.font = font
        self.resource_name = resource_name  # "F1" -> used as /F1 in content streams
        # unique for the life of the process (an id() can be reused once this object is gone):
        # what a drawn line remembers of the font object it was drawn into (layout.boxes.TextLine)
        self.serial = next(_SERIALS)
        self.cid_of: dict = {}  # cluster (or (cluster, variant)) -> CID
        self.gids: list[int] = [0]  # CID -> GID (CID 0 is .notdef)
        self.texts: list[str] = [""]
        self.widths: list[float] = [0.0]
        self.stats: dict[str, float] = {}
        self._hex: dict = {}  # cluster (or (cluster, variant)) -> "%04X" of its CID
        self._lines: dict = {}  # whole line text -> hex (labels and names repeat a lot)
        self.vertical = False  # also used in vertical writing (the Identity-V font is written)
        self.v_metrics: dict[int, tuple[float, float]] = {}  # CID -> (w1y, vx) for 縦中横 digits

    @property
    def vertical_name(self) -> str:
        """Resource name of the Identity-V font over the same CIDs ("F1" -> "F1V")."""
        return self.resource_name + "V"

    def cid(self, cluster: str, gid: int, advance: float, variant: str = "", key=None) -> int:
        """The CID for a cluster drawn with glyph ``gid`` (a vertical alternate is ``variant``
        "vert": same text, other glyph, so its own CID; ``key`` overrides the lookup key)."""
        if key is None:
            key = cluster if not variant else (cluster, variant)
        c = self.cid_of.get(key)
        if c is None:
            c = len(self.gids)
            if c == 0xD800:
                # Skip the UTF-16 surrogate range: some readers (pypdf) decode 2-byte codes as
                # UTF-16 first, and a code pair D8xx DCxx then merges into one bogus character.
                pad = 0xE000 - 0xD800
                self.gids += [0] * pad
                self.texts += [""] * pad
                self.widths += [1000.0] * pad
                c = len(self.gids)
            if c > 0xFFFF:
                raise FontFull(self.resource_name)
            self.cid_of[key] = c
            self.gids.append(gid)
            self.texts.append(cluster)
            self.widths.append(advance)
        return c

    def tcy_cid(self, cluster: str, gid: int, advance: float, run_width: float, offset: float, last: bool) -> int:
        """The CID of one digit of a 縦中横 run in vertical writing: the run's digits stand side by
        side, centred across the column (``W2`` position vector x = half the run's width minus
        the digit's offset in it), and only the last one advances (one em)."""
        c = self.cid(cluster, gid, advance, key=(cluster, "tcy", round(run_width, 3), round(offset, 3), last))
        if c not in self.v_metrics:
            self.v_metrics[c] = (-1000.0 if last else 0.0, run_width / 2 - offset)
        return c

    def encode(self, text: str, clusters: list[str], glyphs: list) -> str:
        """Hex CIDs for one line whose glyphs all come from this font (FontFull if they do not fit)."""
        variant = glyphs[0].variant
        key = text if not variant else (text, variant)
        h = self._lines.get(key)
        if h is None:
            room = 0x10000 - len(self.gids) - (0x800 if len(self.gids) <= 0xD800 else 0)
            if len(clusters) > room and any(c not in self.cid_of for c in clusters):
                raise FontFull(self.resource_name)
            hexes = self._hex
            parts = []
            for c, g in zip(clusters, glyphs):
                k = c if not g.variant else (c, g.variant)
                x = hexes.get(k)
                if x is None:
                    x = hexes[k] = "%04X" % self.cid(c, g.gid, g.advance, g.variant)
                parts.append(x)
            h = self._lines[key] = "".join(parts)
        return h

    def build(self) -> "FontObjects":
        """Subset the font and encode every stream: plain bytes, reusable in any document."""
        import uharfbuzz as hb

        font = self.font
        t0 = time.perf_counter()
        inp = hb.SubsetInput()
        gs = inp.glyph_set
        for g in set(self.gids):
            gs.add(g)
        inp.flags = hb.SubsetFlags.NO_LAYOUT_CLOSURE | hb.SubsetFlags.NO_HINTING
        drop = inp.drop_table_tag_set
        for tag in _DROP_TABLES:
            drop.add(int.from_bytes(tag.encode("ascii"), "big"))
        plan = hb.SubsetPlan(font.subset_source(), inp)
        old_to_new = plan.old_to_new_glyph_mapping
        program = plan.execute().blob.data
        SUBSET_TIMER[0] += time.perf_counter() - t0
        self.stats = {"glyphs": len(set(self.gids)), "font_bytes": len(program)}

        cid_to_gid = bytearray(2 * len(self.gids))
        for cid, gid in enumerate(self.gids):
            new = old_to_new[gid] if gid else 0
            cid_to_gid[2 * cid] = new >> 8
            cid_to_gid[2 * cid + 1] = new & 0xFF
        return FontObjects(
            base_font=f"{_subset_tag(self.gids, font.postscript_name)}+{font.postscript_name}",
            font=font,
            # glyph outlines barely compress better above level 1 (+4 % bytes, 40 % less time)
            program=_flate(program, 1), program_length=len(program),
            cid_to_gid=_flate(bytes(cid_to_gid)),
            to_unicode=_flate(to_unicode_cmap(self.texts)),
            widths=_widths_array(self.widths),
            v_metrics=_w2_array(self.v_metrics, self.font) if self.vertical else None,
        )


@dataclass(frozen=True, slots=True)
class FontObjects:
    """A subset font, ready to write: compressed streams and the small dictionaries' values."""

    base_font: str
    font: FontFile
    program: bytes
    program_length: int
    cid_to_gid: bytes
    to_unicode: bytes
    widths: str
    v_metrics: str | None = None  # "/DW2 [...] /W2 [...]" when the font is also used vertically

    def write(self, w, type0_num: int, vtype0_num: int | None = None) -> None:
        """Write the Type0 font and its parts into a ``PdfWriter`` (the Type0 font as object
        ``type0_num``, which pages already reference; the Identity-V one as ``vtype0_num``)."""
        font = self.font
        program = w._stream(b"/Filter /FlateDecode /Length1 %d" % self.program_length, self.program)
        fb = " ".join(str(round(v)) for v in font.bbox)
        descriptor = w._obj(
            f"<< /Type /FontDescriptor /FontName /{self.base_font} /Flags 4 /FontBBox [{fb}] "
            f"/ItalicAngle {font.italic_angle:g} /Ascent {round(font.ascent)} /Descent {round(font.descent)} "
            f"/CapHeight {round(font.cap_height)} /StemV 80 /FontFile2 {program} 0 R >>".encode())
        cid_to_gid = w._stream(b"/Filter /FlateDecode", self.cid_to_gid)
        cidfont = w._obj(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{self.base_font} "
            f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /DW 1000 /W {self.widths}{self.v_metrics or ''} "
            f"/CIDToGIDMap {cid_to_gid} 0 R >>".encode())
        to_unicode = w._stream(b"/Filter /FlateDecode", self.to_unicode)
        w._obj(f"<< /Type /Font /Subtype /Type0 /BaseFont /{self.base_font} /Encoding /Identity-H "
               f"/DescendantFonts [{cidfont} 0 R] /ToUnicode {to_unicode} 0 R >>".encode(), type0_num)
        if vtype0_num is not None:  # same CIDs, same glyphs, same ToUnicode: written vertically
            w._obj(f"<< /Type /Font /Subtype /Type0 /BaseFont /{self.base_font} /Encoding /Identity-V "
                   f"/DescendantFonts [{cidfont} 0 R] /ToUnicode {to_unicode} 0 R >>".encode(), vtype0_num)


def _widths_array(widths: list[float]) -> str:
    """W entries only for CIDs whose width differs from DW 1000, in runs of consecutive CIDs."""
    parts: list[str] = []
    run_start = None
    run: list[str] = []
    for cid in range(1, len(widths)):
        w = round(widths[cid])
        if w != 1000:
            if run_start is None or run_start + len(run) != cid:
                if run:
                    parts.append(f"{run_start} [{' '.join(run)}]")
                run_start, run = cid, []
            run.append(str(w))
    if run:
        parts.append(f"{run_start} [{' '.join(run)}]")
    return "[" + " ".join(parts) + "]"


def vertical_origin(font: FontFile) -> float:
    """Where a glyph hangs in vertical writing: the font's ascent in 1/1000 em (the baseline sits
    that far below the top of the em box, as in horizontal lines; IPA fonts: 880)."""
    r = font.ascent / (font.ascent - font.descent) if font.ascent - font.descent else 0.88
    return round(r * 1000, 3)


def _w2_array(v_metrics: dict[int, tuple[float, float]], font: FontFile) -> str:
    """``DW2`` (every glyph: one em down, hanging from the ascent) and ``W2`` entries for the CIDs
    that differ (縦中横 digits), as ``c [w1y vx vy ...]`` runs."""
    vy = vertical_origin(font)
    out = f" /DW2 [{vy:g} -1000]"
    if v_metrics:
        parts = []
        for cid in sorted(v_metrics):
            w1y, vx = v_metrics[cid]
            parts.append(f"{cid} [{w1y:g} {round(vx, 3):g} {vy:g}]")
        out += " /W2 [" + " ".join(parts) + "]"
    return out


def _subset_tag(gids: list[int], psname: str) -> str:
    h = hashlib.md5((psname + ",".join(map(str, gids))).encode(), usedforsecurity=False).digest()
    return "".join(chr(65 + b % 26) for b in h[:6])


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(texts: list[str]) -> bytes:
    """A ToUnicode CMap with one bfchar per CID (CID 0 / .notdef is not mapped)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    entries = [f"<{cid:04X}> <{_utf16_hex(t)}>" for cid, t in enumerate(texts) if cid and t]
    for i in range(0, len(entries), 100):  # at most 100 entries per block (CMap syntax limit)
        chunk = entries[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
