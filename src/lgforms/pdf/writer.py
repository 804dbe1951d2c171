"""The write stage: laid-out primitives -> PDF bytes, written directly (no PDF object model).

A page costs well under a millisecond here because nothing is built twice: each page's content
operators are joined, compressed and written out the moment the page is finished, with its page
dictionary; fonts (Type0/Identity-H, ``cidfont``), images, the shared resource dictionary, the
page tree, the catalog and the cross-reference table follow at the end. Memory stays flat for a
document of any length (only object offsets and page references are kept), and ``out`` may be a
file. ReportLab's object model cost ~0.4 ms per page of the same content (``batch_bench.py``).

Text is written as raw operators by glyph ID through our ``EmbeddedFont`` (Type0/Identity-H):
a simple-font path that encodes one Unicode code point at a time cannot draw an IVS cluster or
map one CID to a multi-code-point text.

Coordinates: the layout stage works in millimetres from the top-left corner; this module is the
only place that converts to PDF points from the bottom-left.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import time
import zlib
from contextlib import contextmanager
from itertools import chain
from typing import BinaryIO

from ..limits import check as check_deadline
from ..moji.fonts import FontFile
from .cidfont import EmbeddedFont
from .images import EncodedImage, encode_image

MM = 72.0 / 25.4
# content streams: level 1 writes ~8 % more bytes than 6 at half the time (measured on notices)
CONTENT_LEVEL = 1
FIXED_DATE = "D:20000101000000+00'00'"  # deterministic documents (same bytes for the same input)


@functools.lru_cache(maxsize=128)
def _repeated(fmt: str, n: int) -> str:
    """``fmt`` n times, space-separated: one % format for all the rectangles of a symbol (half
    the time of a formatted string per rectangle)."""
    return " ".join([fmt] * n)


def _num(v: float) -> str:
    # 1/100 pt (3.5 µm) is far below print resolution
    return "%.2f" % v


def _box(v: float) -> str:
    # page and form boxes to 1/10,000 pt: A4 is 595.2756 × 841.8898, not 595.28 × 841.89 — a
    # rounded height moves everything by 0.0002 pt, enough to change a few anti-aliased pixels
    return ("%.4f" % v).rstrip("0").rstrip(".")


def _color_ops(color: tuple[float, ...] | None, stroke: bool) -> str:
    if color is None:
        return "0 G" if stroke else "0 g"
    if len(color) == 4:  # DeviceCMYK (postal marks: 郵便番号枠 in M+Y only, no K or C)
        return " ".join(_num(v) for v in color) + (" K" if stroke else " k")
    r, g, b = color
    if r == g == b:
        return f"{_num(r)} {'G' if stroke else 'g'}"
    return f"{_num(r)} {_num(g)} {_num(b)} {'RG' if stroke else 'rg'}"


def pdf_string(text: str) -> bytes:
    """A PDF text string: PDFDocEncoding-safe ASCII as a literal, anything else UTF-16BE hex."""
    if all(32 <= ord(c) < 127 for c in text):
        return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


class PdfWriter:
    """One PDF document being written (to ``out``, a binary file object, or to memory)."""

    def __init__(self, *, page_size_mm: tuple[float, float], title: str | None = None,
                 author: str | None = None, deterministic: bool = False, out: BinaryIO | None = None):
        self._own_buf = out is None
        self._out: BinaryIO = io.BytesIO() if out is None else out
        self._pos = 0
        self._offsets: list[int] = [0]  # object number -> byte offset (0: the free head)
        self._hash = hashlib.md5(usedforsecurity=False)
        self.page_w, self.page_h = page_size_mm
        self.deterministic = deterministic
        self._title, self._author = title, author
        self._fonts: dict[FontFile, EmbeddedFont] = {}
        self._font_refs: dict[str, int] = {}  # resource name -> object number of the Type0 font
        self._all_fonts: list[EmbeddedFont] = []
        self._forms: dict[str, tuple[str, int]] = {}  # form name -> (resource name, object number)
        self._images: dict[str, tuple[str, int]] = {}
        self._code: list[str] = []
        self._used_fonts: set[str] = set()  # resource names the page (or form) being drawn uses
        self._used_x: set[str] = set()
        self._form_stack: list[tuple[str, list[str], set[str], set[str]]] = []
        self._page_refs: list[int] = []
        self._boxes = b""
        self.pages = 0
        # the version the file needs: 1.3, 1.4 once an image with a soft mask is written, 1.5 once
        # vertical text is marked with its ActualText (the header is rewritten in place at close
        # when the output can seek, as files and memory can; the catalog's /Version says it too)
        self.version = (1, 3)
        self._start = self._out.tell() if self._out.seekable() else None
        self._write(b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n")
        self._pages_ref = self._reserve()
        self._xobject_refs: dict[str, int] = {}  # resource name -> object number
        self._closed = False

    # -- low-level objects --------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._pos += len(data)
        if self.deterministic:
            self._hash.update(data)

    def _reserve(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def _obj(self, body: bytes, num: int | None = None) -> int:
        if num is None:
            num = self._reserve()
        self._offsets[num] = self._pos
        self._write(b"%d 0 obj\n%s\nendobj\n" % (num, body))
        return num

    def _stream(self, entries: bytes, data: bytes, num: int | None = None) -> int:
        if num is None:
            num = self._reserve()
        self._offsets[num] = self._pos
        self._write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (num, entries, len(data)))
        self._write(data)
        self._write(b"\nendstream\nendobj\n")
        return num

    # -- fonts -------------------------------------------------------------------------------
    def embedded(self, font: FontFile, *, fresh: bool = False) -> EmbeddedFont:
        """The font object of ``font`` in this document (``fresh``: start another one because the
        current one has used all 65,535 CIDs — only documents with that many distinct clusters)."""
        ef = self._fonts.get(font)
        if ef is None or fresh:
            ef = EmbeddedFont(font, f"LGF{len(self._all_fonts) + 1}")
            self._fonts[font] = ef
            self._all_fonts.append(ef)
            self._font_refs[ef.resource_name] = self._reserve()
        return ef

    def _vertical(self, ef: EmbeddedFont) -> str:
        """The Identity-V font over ``ef``'s CIDs (reserved the first time): its resource name."""
        if not ef.vertical:
            ef.vertical = True
            self._font_refs[ef.vertical_name] = self._reserve()
        return ef.vertical_name

    # -- pages and static forms ----------------------------------------------------------------
    def set_page_size(self, w_mm: float, h_mm: float) -> None:
        self.page_w, self.page_h = w_mm, h_mm

    def set_boxes(self, trim_pt: tuple[float, float, float, float] | None,
                  bleed_pt: tuple[float, float, float, float] | None) -> None:
        """TrimBox / BleedBox (x0, y0, x1, y1 in points) of the pages that follow (print marks)."""
        out = b""  # to 1/10,000 pt like the MediaBox they lie in (_box), not rounded off it
        if trim_pt:
            out += b" /TrimBox [%s]" % " ".join(_box(v) for v in trim_pt).encode()
        if bleed_pt:
            out += b" /BleedBox [%s]" % " ".join(_box(v) for v in bleed_pt).encode()
        self._boxes = out

    def has_form(self, name: str) -> bool:
        return name in self._forms

    def begin_form(self, name: str) -> None:
        self._form_stack.append((name, self._code, self._used_fonts, self._used_x))
        self._code, self._used_fonts, self._used_x = [], set(), set()

    def end_form(self, name: str) -> None:
        # checked before anything is written: a wrong name must not leave a form registered
        if not self._form_stack or self._form_stack[-1][0] != name:
            drawing = self._form_stack[-1][0] if self._form_stack else None
            raise RuntimeError(f"end_form({name!r}): the form being drawn is {drawing!r}")
        data = zlib.compress("\n".join(self._code).encode("latin-1"), CONTENT_LEVEL)
        bbox = f"0 0 {_box(self.page_w * MM)} {_box(self.page_h * MM)}".encode()
        num = self._stream(b"/Type /XObject /Subtype /Form /FormType 1 /BBox [%s] /Resources %s "
                           b"/Filter /FlateDecode" % (bbox, self._resources()), data)
        xname = f"X{len(self._xobject_refs) + 1}"
        self._forms[name] = (xname, num)
        self._xobject_refs[xname] = num
        _, self._code, self._used_fonts, self._used_x = self._form_stack.pop()

    def use_form(self, name: str, dx_mm: float = 0.0, dy_mm: float = 0.0) -> None:
        xname = self._forms[name][0]
        self._used_x.add(xname)
        if dx_mm or dy_mm:
            self._code.append(f"q 1 0 0 1 {_num(dx_mm * MM)} {_num(-dy_mm * MM)} cm /{xname} Do Q")
        else:
            self._code.append(f"/{xname} Do")

    def raw(self, ops: str) -> None:
        """Append content-stream operators as they are (marks, clipping, text render modes)."""
        self._code.append(ops)

    @contextmanager
    def placed(self, matrix: tuple[float, float, float, float, float, float], local_h_mm: float,
               clip_pt: list[tuple[float, float, float, float]] | None = None):
        """Draw a panel of height ``local_h_mm`` through ``matrix`` (panel points -> page points),
        optionally clipped to the union of ``clip_pt`` (disjoint x, y, w, h in page points):
        imposition of logical panels onto a sheet. Inside the block primitives use panel coordinates."""
        ops = ["q"]
        if clip_pt:
            ops.append(" ".join(f"{' '.join(_num(v) for v in r)} re" for r in clip_pt) + " W n")
        ops.append(" ".join("%.4f" % v for v in matrix) + " cm")
        self._code.append(" ".join(ops))
        saved = self.page_h
        self.page_h = local_h_mm
        try:
            yield
        finally:
            self.page_h = saved
            self._code.append("Q")

    def _resources(self) -> bytes:
        """The resource dictionary of the page or form being finished: what it uses, nothing else."""
        out = "<<"
        if self._used_fonts:
            out += " /Font << " + " ".join(f"/{k} {self._font_refs[k]} 0 R" for k in sorted(self._used_fonts)) + " >>"
        if self._used_x:
            out += " /XObject << " + " ".join(f"/{k} {self._xobject_refs[k]} 0 R" for k in sorted(self._used_x)) + " >>"
        return (out + " >>").encode()

    def show_page(self) -> None:
        data = zlib.compress("\n".join(self._code).encode("latin-1"), CONTENT_LEVEL)
        content = self._stream(b"/Filter /FlateDecode", data)
        page = self._obj(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s]%s /Resources %s "
                         b"/Contents %d 0 R >>" % (self._pages_ref, _box(self.page_w * MM).encode(),
                                                   _box(self.page_h * MM).encode(), self._boxes,
                                                   self._resources(), content))
        self._page_refs.append(page)
        self._code, self._used_fonts, self._used_x = [], set(), set()
        self.pages += 1

    # -- primitives ----------------------------------------------------------------------------
    def text(self, x_mm: float, baseline_mm: float, size: float, runs: list[tuple[EmbeddedFont, str]],
             *, char_spacing: float = 0.0, h_scale: float = 100.0,
             color: tuple[float, float, float] | None = None) -> str:
        """Draw one line: ``runs`` are (font, hex CIDs) pieces drawn one after another. Returns the
        operators written: a one-font line can be drawn again with ``text_again``."""
        if len(runs) == 1 and not char_spacing and h_scale == 100.0 and color is None:
            # the common line (black, one font, no spacing): one formatted string, ~2× faster
            ef, hexstr = runs[0]
            self._used_fonts.add(ef.resource_name)
            op = "BT 0 g 1 0 0 1 %.2f %.2f Tm /%s %.2f Tf <%s> Tj ET" % (
                x_mm * MM, (self.page_h - baseline_mm) * MM, ef.resource_name, size, hexstr)
            self._code.append(op)
            return op
        ops = ["BT", _color_ops(color, False)]
        if char_spacing:
            ops.append(f"{_num(char_spacing)} Tc")
        if h_scale != 100.0:
            ops.append(f"{_num(h_scale)} Tz")
        ops.append(f"1 0 0 1 {_num(x_mm * MM)} {_num((self.page_h - baseline_mm) * MM)} Tm")
        sz = _num(size)
        used = self._used_fonts
        for ef, hexstr in runs:
            used.add(ef.resource_name)
            ops.append(f"/{ef.resource_name} {sz} Tf <{hexstr}> Tj")
        # Tc and Tz are graphics state: they outlive ET, so put them back for the next text
        if char_spacing:
            ops.append("0 Tc")
        if h_scale != 100.0:
            ops.append("100 Tz")
        ops.append("ET")
        op = " ".join(ops)
        self._code.append(op)
        return op

    def text_again(self, op: str, ef: EmbeddedFont) -> None:
        """Write again the operators ``text`` returned for a line of the one font ``ef`` (its CIDs are
        already this document's): the line drawn once more, on this page or in this form."""
        self._used_fonts.add(ef.resource_name)
        self._code.append(op)

    def vertical_text(self, size: float,
                      pieces: list[tuple[EmbeddedFont, str, tuple[float, float, float] | None]],
                      text: str, color: tuple[float, float, float] | None = None) -> None:
        """Draw one column of vertical text (縦書き) as one text object: ``pieces`` are (font, hex
        CIDs, where) runs written with the font's Identity-V form, each glyph one em below the
        last; ``where`` is (centre x mm, top of the first em box mm, horizontal scale %), or None
        to go on where the previous piece ended. A column is one ``Tj`` per font (one in the
        usual case), with no move inside: readers that know vertical writing copy it out as one line
        (poppler, pypdf). The column is also marked ``/Span << /ActualText (text) >>`` with its
        exact code points, for readers that honour it and not vertical writing (``pdftotext
        -raw`` gives one character a line without it); the CIDs' ToUnicode stays exact as well."""
        # the marked-content sequence opens and closes in this one operator group: balanced in
        # every content stream, Form XObjects of static parts included
        if pieces and pieces[0][2] is None:  # a column starts somewhere: else it would print at (0, 0)
            raise ValueError("vertical_text: the first piece needs its position")
        self.version = max(self.version, (1, 5))  # ActualText is PDF 1.5
        ops = ["/Span << /ActualText " + pdf_string(text).decode("ascii") + " >> BDC BT",
               _color_ops(color, False)]
        sz = _num(size)
        used = self._used_fonts
        cur = None
        h = self.page_h
        for ef, hexstr, where in pieces:
            name = self._vertical(ef)
            used.add(name)
            if name != cur:
                ops.append(f"/{name} {sz} Tf")
                cur = name
            if where is not None:
                cx, top, scale = where
                # a 縦中横 run squeezed into its em: scaled by the text matrix (Tz would leave the
                # W2 position vector unscaled in some readers and shift the digits off centre)
                a = "1" if scale == 100.0 else "%.4f" % (scale / 100.0)
                ops.append(f"{a} 0 0 1 {_num(cx * MM)} {_num((h - top) * MM)} Tm")
            ops.append(f"<{hexstr}> Tj")
        ops.append("ET EMC")
        self._code.append(" ".join(ops))

    def glyph_outline(self, font: FontFile, gid: int, x_mm: float, baseline_mm: float, size: float,
                      color: tuple[float, ...] | None = None) -> None:
        """One glyph filled as a path (no text: it does not copy out), origin at (x, baseline).
        Its outline is a Form XObject written once per document (a postcode digit repeats on
        every mailpiece of a batch); each use is a transform and ``Do``."""
        from .outlines import glyph_path

        name = f"lg.glyph.{font.key}.{gid}"
        if name not in self._forms:
            font.ensure_loaded()
            bbox = " ".join(_num(v) for v in font.bbox).encode()
            data = zlib.compress((glyph_path(font, gid) + " f").encode("latin-1"), CONTENT_LEVEL)
            num = self._stream(b"/Type /XObject /Subtype /Form /FormType 1 /BBox [%s] /Resources << >> "
                               b"/Filter /FlateDecode" % bbox, data)  # colour: the user's fill colour
            xname = f"X{len(self._xobject_refs) + 1}"
            self._forms[name] = (xname, num)
            self._xobject_refs[xname] = num
        xname = self._forms[name][0]
        self._used_x.add(xname)
        s = size / 1000.0
        self._code.append(f"q {_color_ops(color, False)} {s:.5f} 0 0 {s:.5f} {_num(x_mm * MM)} "
                          f"{_num((self.page_h - baseline_mm) * MM)} cm /{xname} Do Q")

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.25,
             color: tuple[float, float, float] | None = None, dash: tuple[float, ...] | None = None) -> None:
        h = self.page_h
        d = f"[{' '.join(_num(v * MM) for v in dash)}] 0 d " if dash else "[] 0 d "
        self._code.append(
            f"{_color_ops(color, True)} {_num(width * MM)} w {d}{_num(x1 * MM)} {_num((h - y1) * MM)} m "
            f"{_num(x2 * MM)} {_num((h - y2) * MM)} l S")

    def rect(self, x: float, y: float, w: float, h: float, *, stroke_width: float | None = 0.25,
             stroke: tuple[float, float, float] | None = None,
             fill: tuple[float, float, float] | None = None, dash: tuple[float, ...] | None = None) -> None:
        ph = self.page_h
        ops = []
        if fill is not None:
            ops.append(_color_ops(fill, False))
        if stroke_width:
            ops.append(f"{_color_ops(stroke, True)} {_num(stroke_width * MM)} w")
            ops.append(f"[{' '.join(_num(v * MM) for v in dash)}] 0 d" if dash else "[] 0 d")
        ops.append(f"{_num(x * MM)} {_num((ph - y - h) * MM)} {_num(w * MM)} {_num(h * MM)} re")
        if fill is not None and stroke_width:
            ops.append("B")
        elif fill is not None:
            ops.append("f")
        else:
            ops.append("S")
        if fill is not None:
            ops.append("0 g")
        self._code.append(" ".join(ops))

    def circle(self, cx: float, cy: float, r: float, *, stroke_width: float | None = 0.25,
               stroke: tuple[float, ...] | None = None, fill: tuple[float, ...] | None = None) -> None:
        """A circle (four Bézier arcs), centre (cx, cy) mm from the top-left, radius r mm."""
        k = 0.5523 * r
        x, y = cx * MM, (self.page_h - cy) * MM
        R, K = r * MM, k * MM
        ops = []
        if fill is not None:
            ops.append(_color_ops(fill, False))
        if stroke_width:
            ops.append(f"{_color_ops(stroke, True)} {_num(stroke_width * MM)} w [] 0 d")
        ops.append(f"{_num(x + R)} {_num(y)} m "
                   f"{_num(x + R)} {_num(y + K)} {_num(x + K)} {_num(y + R)} {_num(x)} {_num(y + R)} c "
                   f"{_num(x - K)} {_num(y + R)} {_num(x - R)} {_num(y + K)} {_num(x - R)} {_num(y)} c "
                   f"{_num(x - R)} {_num(y - K)} {_num(x - K)} {_num(y - R)} {_num(x)} {_num(y - R)} c "
                   f"{_num(x + K)} {_num(y - R)} {_num(x + R)} {_num(y - K)} {_num(x + R)} {_num(y)} c")
        ops.append("B" if fill is not None and stroke_width else "f" if fill is not None else "S")
        if fill is not None:
            ops.append("0 g")
        self._code.append(" ".join(ops))

    def bars(self, rects: list[tuple[float, float, float, float]],
             color: tuple[float, float, float] | None = None) -> None:
        """Filled rectangles in one path (barcodes)."""
        ph = self.page_h
        parts = [_color_ops(color, False)]
        if rects:  # x y w h in pt to 1/100 pt, as _num
            parts.append(_repeated("%.2f %.2f %.2f %.2f re", len(rects)) % tuple(
                chain.from_iterable((x * MM, (ph - y - h) * MM, w * MM, h * MM) for x, y, w, h in rects)))
        parts.append("f 0 g")
        self._code.append(" ".join(parts))

    def module_bars(self, x: float, y: float, module: float, height: float, widths: list[int]) -> None:
        """Bars in module units under one transform: integer coordinates keep the stream small. The
        module scale is written to 1/10,000 pt: rounded to 1/100 pt, 0.191 mm (0.5414 pt) became
        0.54 pt and a 288-module symbol printed 0.15 mm narrower than its declared size."""
        parts = [f"q {module * MM:.4f} 0 0 {_num(height * MM)} {_num(x * MM)} "
                 f"{_num((self.page_h - y - height) * MM)} cm 0 g"]
        flat: list[int] = []  # (start, width) of each bar, in modules
        u = 0
        for i, m in enumerate(widths):
            if not i & 1:
                flat += (u, m)
            u += m
        if flat:
            parts.append(_repeated("%d 0 %d 1 re", len(flat) // 2) % tuple(flat))
        parts.append("f Q")
        self._code.append(" ".join(parts))

    def module_grid(self, x: float, y: float, module: float, runs: list[tuple[int, int, int]]) -> None:
        """Dark modules of a 2-D symbol in module units under one transform (y axis flipped so that
        rows go down): integer coordinates, one fill, no seams between neighbouring modules."""
        parts = [f"q {module * MM:.4f} 0 0 {-module * MM:.4f} {_num(x * MM)} "
                 f"{_num((self.page_h - y) * MM)} cm 0 g"]
        if runs:  # (column, row, length) of each run
            parts.append(_repeated("%d %d %d 1 re", len(runs)) % tuple(chain.from_iterable(runs)))
        parts.append("f Q")
        self._code.append(" ".join(parts))

    def image(self, data: bytes, x: float, y: float, w: float, h: float,
              max_px: tuple[int, int] | None = None) -> None:
        """Draw an image scaled to exactly w × h mm (callers decide the size); with ``max_px``, an
        image with more pixels than that is downsampled first."""
        xname = self._image_name(encode_image(data, max_px))
        self._used_x.add(xname)
        self._code.append(f"q {_num(w * MM)} 0 0 {_num(h * MM)} {_num(x * MM)} "
                          f"{_num((self.page_h - y - h) * MM)} cm /{xname} Do Q")

    def _image_name(self, enc: EncodedImage) -> str:
        hit = self._images.get(enc.name)
        if hit is not None:
            return hit[0]
        head = b"/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8" % (enc.width, enc.height)
        smask = b""
        if enc.smask is not None:
            self.version = max(self.version, (1, 4))  # soft masks (transparency) are PDF 1.4
            num = self._stream(head + b" /ColorSpace /DeviceGray /Filter /FlateDecode", enc.smask)
            smask = b" /SMask %d 0 R" % num
        num = self._stream(head + b" /ColorSpace /%s /Filter /%s%s" % (enc.colorspace.encode(), enc.filter.encode(), smask),
                           enc.data)
        xname = f"X{len(self._xobject_refs) + 1}"
        self._images[enc.name] = (xname, num)
        self._xobject_refs[xname] = num
        return xname

    # -- output --------------------------------------------------------------------------------
    def close(self) -> None:
        """Write fonts, resources, page tree, catalog, info and the cross-reference table (once:
        closing a closed document does nothing)."""
        if self._closed:
            return
        check_deadline("write")
        if self._form_stack:
            raise RuntimeError(f"form {self._form_stack[-1][0]} was not ended")
        if not self.pages:  # a PDF has at least one page
            self.show_page()
        for ef in self._all_fonts:
            check_deadline("write")  # one font subset at a time
            ef.build().write(self, self._font_refs[ef.resource_name], self._font_refs.get(ef.vertical_name))
        kids = " ".join(f"{r} 0 R" for r in self._page_refs)
        self._obj(f"<< /Type /Pages /Count {len(self._page_refs)} /Kids [{kids}] >>".encode(), self._pages_ref)
        version = b" /Version /%d.%d" % self.version if self.version > (1, 3) else b""
        catalog = self._obj(b"<< /Type /Catalog /Pages %d 0 R%s >>" % (self._pages_ref, version))
        date = FIXED_DATE if self.deterministic else time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime())
        info = [b"/Producer (lgforms)", b"/Creator (lgforms)", b"/CreationDate (%s)" % date.encode(),
                b"/ModDate (%s)" % date.encode()]
        if self._title:
            info.append(b"/Title " + pdf_string(self._title))
        if self._author:
            info.append(b"/Author " + pdf_string(self._author))
        info_ref = self._obj(b"<< " + b" ".join(info) + b" >>")
        doc_id = self._hash.hexdigest() if self.deterministic else os.urandom(16).hex()
        xref_at = self._pos
        n = len(self._offsets)
        rows = [b"xref\n0 %d\n0000000000 65535 f \n" % n]
        rows += [b"%010d 00000 n \n" % off for off in self._offsets[1:]]
        rows.append(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
                    % (n, catalog, info_ref, doc_id.encode(), doc_id.encode(), xref_at))
        self._write(b"".join(rows))
        if self.version > (1, 3) and self._start is not None:  # same length: offsets stay right
            end = self._out.tell()
            self._out.seek(self._start)
            self._out.write(b"%%PDF-%d.%d" % self.version)
            self._out.seek(end)
        self._closed = True

    def finish(self) -> bytes:
        """Close the document; the PDF bytes when written to memory (b"" when ``out`` was given)."""
        self.close()
        return self._out.getvalue() if self._own_buf else b""  # type: ignore[union-attr]
