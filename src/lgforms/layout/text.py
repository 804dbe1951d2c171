"""Text fitting: measure clusters, shrink, wrap with 禁則処理, align — or say exactly why not.

Never clips: text that cannot fit its box at ``min_size`` raises ``TEXT_OVERFLOW`` naming the
field, the width/lines it needs and what the box offers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..errors import IvsUnknown, LgformsError, MojiNotInFont, TextOverflow
from ..limits import check as check_deadline
from ..moji.clusters import codepoints, split_clusters
from ..moji.fonts import FontStack, Glyph
from .boxes import PT, TextLine, VColumn
from .tracing import LAYOUT_TRACE

# 行頭禁則: may not start a line (closing brackets, small kana, punctuation, 長音, 繰り返し記号)
NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!゛゜ヽヾゝゞ々〻ー―‐〜～…‥）)］]｝}〕〉》」』】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ％%"
)
# 行末禁則: may not end a line (opening brackets)
NO_LINE_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“｟«￥¥＄$＃#")


def _is_word(c: str) -> bool:
    # Latin letters/digits (ASCII or full-width) form words that are not broken inside
    o = ord(c[0])
    return (0x30 <= o <= 0x39 or 0x41 <= o <= 0x5A or 0x61 <= o <= 0x7A
            or 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A
            or c in "-‐－,，.．")


_HARD_BREAKS = frozenset(("\n", "\r\n", "\r"))


@dataclass(slots=True)
class Shaped:
    clusters: list[str]
    glyphs: list[Glyph]
    advances: list[float]  # 1/1000 em per cluster
    total: float


class MojiProblems:
    """Collects every missing character / unknown IVS of a document, so one error lists them all.

    ``position`` in an error or fallback is an offset in code points. While shaping it counts in
    the text as bound (template prefix, MJ tokens expanded); ``locate`` turns it into the offset
    in the payload value the caller sent, which is what ``raise_if_any(payload)`` reports."""

    def __init__(self) -> None:
        self.errors: list[LgformsError] = []
        self.fallbacks: list[dict] = []
        self._bound: dict[int, str] = {}  # id(error or fallback) -> the text it was found in

    def mark(self) -> tuple[int, int]:
        """How many problems so far (``LayoutContext.name_values`` names those found after it)."""
        return len(self.errors), len(self.fallbacks)

    def note_bound(self, n_err: int, n_fb: int, bound: str, shaped: str) -> None:
        """The problems from ``n_err`` / ``n_fb`` on were found in ``shaped``, which is ``bound``
        with its MJ tokens expanded: count their positions in ``bound``."""
        back = None
        if bound != shaped:
            from ..moji.mj import mj_map

            back = mj_map().source_offsets(bound)
        for d in [e.detail for e in self.errors[n_err:]] + self.fallbacks[n_fb:]:
            if back is not None and isinstance(d.get("position"), int):
                d["position"] = back[d["position"]]
        for x in self.errors[n_err:] + self.fallbacks[n_fb:]:
            self._bound[id(x)] = bound

    def locate(self, payload) -> None:
        """Re-count every position in the payload value its JSON path names."""
        from .positions import locate

        for e in self.errors:
            e.path = locate(e.path, e.detail, self._bound.pop(id(e), None), payload)
        for f in self.fallbacks:
            f["path"] = locate(f.get("path"), f, self._bound.pop(id(f), None), payload)

    def raise_if_any(self, payload=None) -> None:
        if payload is not None:
            self.locate(payload)
        if self.errors:
            first = self.errors[0]
            if len(self.errors) > 1:
                first.detail["all"] = [{"code": e.code, "path": e.path, **e.detail} for e in self.errors]
                first.message += f" (and {len(self.errors) - 1} more character problem(s), see detail.all)"
            raise first


_SHAPED: dict[tuple[FontStack, str, bool], Shaped] = {}
_SHAPED_MAX = 20_000  # ~2 KB each (a 19-character address): 200,000 were ~440 MB, past a batch worker's bound


def shape(text: str, stack: FontStack, *, path: str | None, problems: MojiProblems,
          allow_ivs_fallback: bool = False, bound: str | None = None) -> Shaped:
    """Clusters and glyphs of a text. Results without problems are cached for the process:
    batches repeat most values (labels, dates, amounts, municipality names)."""
    key = (stack, text, allow_ivs_fallback)
    hit = _SHAPED.get(key)
    if hit is not None:
        return hit
    n_err, n_fb = len(problems.errors), len(problems.fallbacks)
    s = _shape(text, stack, path=path, problems=problems, allow_ivs_fallback=allow_ivs_fallback)
    if len(problems.errors) != n_err or len(problems.fallbacks) != n_fb:
        problems.note_bound(n_err, n_fb, text if bound is None else bound, text)
    else:
        if len(_SHAPED) >= _SHAPED_MAX:
            _SHAPED.clear()
        _SHAPED[key] = s
    return s


def _shape(text: str, stack: FontStack, *, path: str | None, problems: MojiProblems,
           allow_ivs_fallback: bool = False) -> Shaped:
    clusters = split_clusters(text)
    glyphs: list[Glyph] = []
    advances: list[float] = []
    total = 0.0
    resolve = stack.resolve
    at = 0  # code point offset of the cluster: positions in errors count code points
    for c in clusters:
        i, at = at, at + len(c)
        if c in _HARD_BREAKS:  # never drawn: fit_text splits paragraphs here
            glyphs.append(Glyph(stack.fonts[0], 0, 0.0))
            advances.append(0.0)
            continue
        try:
            g = resolve(c, allow_ivs_fallback=allow_ivs_fallback)
        except (MojiNotInFont, IvsUnknown) as e:
            from ..moji.mj import mj_map

            e.path = path
            e.detail["position"] = i
            suggestions = mj_map().suggest(c)
            if suggestions:
                e.detail["suggestions"] = suggestions[:12]
                e.message += "; MJ candidates: " + ", ".join(f"{x['mj']} ({x['codepoints']})" for x in suggestions[:6])
            problems.errors.append(e)
            g = Glyph(stack.fonts[0], 0, 1000.0)  # placeholder; the document is never written
        else:
            if g.fallback:
                problems.fallbacks.append({"path": path, "position": i, "codepoints": codepoints(c),
                                           "drawn_as": codepoints(c[0])})
        glyphs.append(g)
        advances.append(g.advance)
        total += g.advance
    return Shaped(clusters, glyphs, advances, total)


# numbers are not broken, nor split from the unit that follows them (三丁目, 12番地, 5号, 8年)
_NUMERALS = frozenset("0123456789０１２３４５６７８９〇一二三四五六七八九十百千万")
_UNITS = frozenset("丁目番号地条項円年月日歳人件枚通期割％%")
_PAIRS = frozenset({("丁", "目"), ("番", "地")})
# a paragraph starting with a list marker hangs its following lines under the text (※, ・, (1) …)
_MARKER = re.compile(r"^(?:[※・●○◆◇■□▪＊*]|[(（][0-9０-９一二三四五六七八九十]{1,3}[)）]|[0-9０-９]{1,2}[.．、]"
                     r"|[0-9０-９]{1,2}(?=　)"
                     r"|[①-⑳]|[ア-ン][.．、]|第[0-9０-９一二三四五六七八九十]{1,3}[条項])[ 　]*")
_ASCII_DIGITS = frozenset("0123456789")
_WIDOW = 3  # a paragraph's last line has at least this many characters when a line can be rebalanced


def _keep(prev: str, nxt: str) -> bool:
    """True where a line may not break between ``prev`` and ``nxt``."""
    if nxt in NO_LINE_START or prev in NO_LINE_END:
        return True
    if _is_word(prev) and _is_word(nxt):
        return True
    if prev in _NUMERALS and (nxt in _NUMERALS or nxt in _UNITS):
        return True
    return (prev, nxt) in _PAIRS


def _break_lines(s: Shaped, start: int, end: int, width_units: float,
                 indent_units: float = 0.0) -> list[tuple[int, int]] | None:
    """Greedy line breaking over clusters [start, end) with 禁則, unbroken Latin words and numbers;
    lines after the first are ``indent_units`` narrower (hanging indent); a last line of one or two
    characters is rebalanced when the line before can give some up. Returns None if one cluster is
    wider than the line."""
    adv, cl = s.advances, s.clusters
    lines: list[tuple[int, int]] = []
    eps = 1e-6
    first = True
    while start < end:
        room = width_units - (0.0 if first else indent_units)
        x = 0.0
        i = start
        while i < end and x + adv[i] <= room + eps:
            x += adv[i]
            i += 1
        if i == end:
            lines.append((start, end))
            break
        if i == start:
            return None
        brk = i
        while brk > start + 1 and _keep(cl[brk - 1], cl[brk]):
            brk -= 1
        if brk == start + 1 and _keep(cl[brk - 1], cl[brk]):
            brk = i  # no legal break point in the whole line: break where it overflows
        lines.append((start, brk))
        start = brk
        first = False
    # widow: 「す。」 alone on the last line — move characters down from the line before
    if len(lines) >= 2:
        (pa, pb), (la, lb) = lines[-2], lines[-1]
        if lb - la < _WIDOW and pb - pa > _WIDOW + 1:
            room = width_units - indent_units  # the last line is a continuation line
            need = sum(adv[la:lb])
            nb = pb
            while nb > pa + 1 and (lb - nb) < _WIDOW:
                nb -= 1
                need += adv[nb]
            while nb > pa + 1 and _keep(cl[nb - 1], cl[nb]):
                nb -= 1
                need += adv[nb]
            if need <= room + eps and nb > pa + 1 and (lb - nb) <= _WIDOW + 2:
                lines[-2], lines[-1] = (pa, nb), (nb, lb)
    return lines


def _marker_units(s: Shaped, a: int, b: int, text: str | None = None) -> float:
    """Width (1/1000 em) of the list marker that starts paragraph [a, b), or 0."""
    head = "".join(s.clusters[a:min(b, a + 8)])
    m = _MARKER.match(head)
    if not m or m.end() >= len(head) and b - a <= len(m.group(0)):
        return 0.0
    n, k = 0, a
    while k < b and n < m.end():
        n += len(s.clusters[k])
        k += 1
    return sum(s.advances[a:k])


def _ascent_ratio(g: Glyph) -> float:
    """Where the baseline sits in the em box (IPA fonts: 0.88): lines are centred on the em box."""
    f = g.font
    r = f.__dict__.get("_ascent_ratio")
    if r is None:
        r = f._ascent_ratio = f.ascent / (f.ascent - f.descent) if f.ascent - f.descent else 0.88
    return r


@dataclass(slots=True)
class FitResult:
    lines: list[tuple[int, int]]
    size: float
    indents: list[float] | None = None  # per line, 1/1000 em (hanging indents)
    para_last: set[int] | None = None  # indices of lines that end a paragraph


def _fit_lines(s: Shaped, paragraphs: list[tuple[int, int]], inner_w: float, h: float, size: float,
               min_size: float, mode: str, line_height: float, hang: bool = True) -> FitResult | None:
    if mode == "auto":  # one line, shrunk at most to 3/4 of the size; then wrapped (a name in a small cell)
        if len(paragraphs) == 1:
            one = _fit_lines(s, paragraphs, inner_w, h, size, max(min_size, round(size * 0.75, 1)), "shrink",
                             line_height, hang)
            if one is not None:
                return one
        mode = "wrap"
    if mode != "wrap":
        need = s.total / 1000.0 * size * PT
        if need <= inner_w + 1e-6 and size * PT <= h + 1e-6:
            return FitResult(paragraphs, size)
        if mode == "shrink" and s.total > 0:
            fit = math.floor(inner_w / (s.total / 1000.0 * PT) * 10) / 10  # 0.1 pt steps
            if fit >= min_size - 1e-9:
                return FitResult(paragraphs, min(fit, size))
        return None
    step_sizes = [size]
    v = size - 0.5
    while v > min_size + 1e-9:
        step_sizes.append(round(v, 2))
        v -= 0.5
    if min_size < size:
        step_sizes.append(min_size)
    marks = [(_marker_units(s, a, b) if hang and b > a else 0.0) for a, b in paragraphs]
    for sz in step_sizes:
        width_units = inner_w / (sz * PT) * 1000.0
        lines: list[tuple[int, int]] = []
        indents: list[float] = []
        para_last: set[int] = set()
        ok = True
        for (a, b), mk in zip(paragraphs, marks):
            if a == b:
                lines.append((a, b))
                indents.append(0.0)
                para_last.add(len(lines) - 1)
                continue
            if mk >= width_units / 2:
                mk = 0.0  # a marker as wide as half the line is no marker
            br = _break_lines(s, a, b, width_units, mk)
            if br is None:
                ok = False
                break
            lines += br
            indents += [0.0] + [mk] * (len(br) - 1)
            para_last.add(len(lines) - 1)
        if not ok:
            continue
        block = sz * PT * (1 + (len(lines) - 1) * line_height)
        if block <= h + 1e-6:
            return FitResult(lines, sz, indents, para_last)
    return None


def _overflow(s: Shaped, min_size: float, fit: str, room: str, dims: tuple[float, float],
              path: str | None) -> TextOverflow:
    need = s.total / 1000.0 * min_size * PT
    return TextOverflow(
        f"text of {len(s.clusters)} characters needs {need:.1f} mm at {min_size} pt but {room} (fit: {fit})",
        path=path, detail={"needed_mm": round(need, 1), "box_mm": [round(dims[0], 1), round(dims[1], 1)],
                           "min_size": min_size, "fit": fit})


# Fitted lines by (text, box, style, font stack, path): a notice re-fits the same labels in the
# same boxes for every record (税目 on each slip, headings inside bound blocks: ~60 % of a
# 税額決定通知書's fits). Only fits that found no character problem are kept; lines are never
# changed after fitting, so records share them. Small and cleared when full: the values that
# differ per record (names, amounts) pass through it without holding memory for long.
_FITTED: dict[tuple, tuple[object, list[TextLine]]] = {}
_FITTED_MAX = 8_192


def fit_text(text: str, box: tuple[float, float, float, float], style, stack: FontStack, *,
             path: str | None, problems: MojiProblems, allow_ivs_fallback: bool = False) -> list[TextLine]:
    """Lay out ``text`` in ``box`` by ``style`` (a TextStyle). Newlines are hard breaks (only
    allowed with fit: wrap)."""
    key = (text, tuple(box), id(style), stack, path, allow_ivs_fallback)
    hit = _FITTED.get(key)
    if hit is not None and hit[0] is style:  # the entry holds its style: the id is not reused
        lines = list(hit[1])
    else:
        n_err, n_fb = len(problems.errors), len(problems.fallbacks)
        lines = _fit_text(text, box, style, stack, path=path, problems=problems,
                          allow_ivs_fallback=allow_ivs_fallback)
        if len(problems.errors) == n_err and len(problems.fallbacks) == n_fb:
            if len(_FITTED) >= _FITTED_MAX:
                _FITTED.clear()
            _FITTED[key] = (style, lines)
            lines = list(lines)
    trace = LAYOUT_TRACE.get()
    if trace is not None:  # the designer: shrunk, wrapped, close to overflowing (layout.tracing)
        trace.fitted(text, box, style, stack, path, lines)
    return lines


def _fit_text(text: str, box: tuple[float, float, float, float], style, stack: FontStack, *,
              path: str | None, problems: MojiProblems, allow_ivs_fallback: bool = False) -> list[TextLine]:
    x, y, w, h = box
    if not text:
        return []
    check_deadline("layout")
    bound = text
    if style.moji == "mj":  # MJ012345 tokens -> their code points / variation sequences
        from ..moji.mj import mj_map

        try:
            text = mj_map().expand(text, path=path)
        except MojiNotInFont as e:  # collected with the others, located like them
            problems.errors.append(e)
            problems.note_bound(len(problems.errors) - 1, len(problems.fallbacks), bound, bound)
            return []
    s = shape(text, stack, path=path, problems=problems, allow_ivs_fallback=allow_ivs_fallback, bound=bound)
    paragraphs = _paragraphs(text, s)  # cluster ranges between hard line breaks
    if len(paragraphs) > 1 and style.fit not in ("wrap", "auto"):
        raise TextOverflow("line breaks are only allowed in a field with fit: wrap", path=path)
    if style.writing == "vertical":
        return _fit_vertical(s, paragraphs, box, style, path)
    inner_w = w - 2 * style.pad
    size = style.size
    min_size = style.min_size or size
    res = _fit_lines(s, paragraphs, inner_w, h, size, min_size, style.fit, style.line_height,
                     getattr(style, "hang", True))
    if res is None:
        raise _overflow(s, min_size, style.fit, f"the box is {inner_w:.1f} × {h:.1f} mm", (inner_w, h), path)
    sz = res.size
    lines = res.lines
    lh = sz * PT * style.line_height
    block = sz * PT * (1 + (len(lines) - 1) * style.line_height)
    if style.valign == "top":
        top = y
    elif style.valign == "bottom":
        top = y + h - block
    else:
        top = y + (h - block) / 2
    asc = _ascent_ratio(s.glyphs[0]) * sz * PT
    out: list[TextLine] = []
    last = len(lines) - 1
    whole = len(lines) == 1 and lines[0] == (0, len(s.clusters))
    for li, (a, b) in enumerate(lines):
        if whole:  # one line holding everything: share the shaped lists, no slicing or summing
            cl, gl, units = s.clusters, s.glyphs, s.total
        else:
            cl, gl = s.clusters[a:b], s.glyphs[a:b]
            if not cl:
                continue
            units = sum(s.advances[a:b])
        lw = units / 1000.0 * sz * PT
        spacing = 0.0
        indent = res.indents[li] / 1000.0 * sz * PT if res.indents else 0.0
        lx = x + style.pad + indent
        ends_paragraph = li == last or (res.para_last is not None and li in res.para_last)
        if style.align == "right":
            lx = x + w - style.pad - lw
        elif style.align == "center":
            lx = x + (w - lw) / 2
        elif (style.align == "distribute" or (style.align == "justify" and not ends_paragraph)) and len(cl) > 1:
            spacing = (inner_w - indent - lw) / (len(cl) - 1) / PT
        out.append(TextLine(lx, top + li * lh + asc, sz, cl, gl, lw, spacing,
                            color=style.color, path=path, box=box))
    return out


def text_height(text: str, width: float, style, stack: FontStack, *, path: str | None, problems: MojiProblems,
                allow_ivs_fallback: bool = False) -> float:
    """Height (mm) ``text`` takes when wrapped at ``width`` by ``style`` at its own size (shrinking
    only if a single character is wider than the line): the height of a growing table row or a
    growing text section."""
    if not text:
        return 0.0
    bound = text
    if style.moji == "mj":
        from ..moji.mj import mj_map

        try:
            text = mj_map().expand(text, path=path)
        except MojiNotInFont as e:  # collected with the others, located like them
            problems.errors.append(e)
            problems.note_bound(len(problems.errors) - 1, len(problems.fallbacks), bound, bound)
            return 0.0
    s = shape(text, stack, path=path, problems=problems, allow_ivs_fallback=allow_ivs_fallback, bound=bound)
    paragraphs = _paragraphs(text, s)
    inner_w = width - 2 * style.pad
    res = _fit_lines(s, paragraphs, inner_w, 1e9, style.size, style.min_size or style.size, "wrap",
                     style.line_height, getattr(style, "hang", True))
    if res is None:
        raise _overflow(s, style.min_size or style.size, "wrap", f"the column is {inner_w:.1f} mm wide",
                        (inner_w, 0.0), path)
    return res.size * PT * (1 + (len(res.lines) - 1) * style.line_height)


def _paragraphs(text: str, s: Shaped) -> list[tuple[int, int]]:
    paragraphs: list[tuple[int, int]] = []
    a = 0
    if "\n" in text or "\r" in text:
        for i, c in enumerate(s.clusters):
            if c in _HARD_BREAKS:
                paragraphs.append((a, i))
                a = i + 1
    paragraphs.append((a, len(s.clusters)))
    return paragraphs


def _fit_vertical(s: Shaped, paragraphs: list[tuple[int, int]], box, style, path) -> list[TextLine]:
    """縦書き: clusters top to bottom (1 em each), columns right to left, each glyph replaced by
    its vertical alternate (HarfBuzz ``vert``: 「」ー、。 turn). ``pad`` is the margin at the top
    and bottom of a column; ``align`` places the block of columns (right = from the right edge)."""
    x, y, w, h = box
    col_len = h - 2 * style.pad
    size, min_size = style.size, style.min_size or style.size
    # column breaking is line breaking with every cluster one em long; 縦中横 (tcy): a run of 2..tcy
    # ASCII digits shares one em, set across the column (two half-width digits fill it exactly)
    runs: dict[int, int] = {}
    tcy = getattr(style, "tcy", 0)
    if tcy >= 2:
        i, n_cl = 0, len(s.clusters)
        while i < n_cl:
            if s.clusters[i] in _ASCII_DIGITS:
                j = i
                while j < n_cl and s.clusters[j] in _ASCII_DIGITS:
                    j += 1
                if 2 <= j - i <= tcy:
                    runs[i] = j - i
                i = j
            else:
                i += 1
    inside = {k for i, n_run in runs.items() for k in range(i + 1, i + n_run)}
    adv = [0.0 if (c in _HARD_BREAKS or i in inside) else 1000.0 for i, c in enumerate(s.clusters)]
    vs = Shaped(s.clusters, s.glyphs, adv, float(sum(adv)))
    res = _fit_lines(vs, paragraphs, col_len, w, size, min_size, style.fit, style.line_height)
    if res is None:
        raise _overflow(vs, min_size, style.fit, f"the column is {col_len:.1f} mm long and the box "
                        f"{w:.1f} mm wide", (w, col_len), path)
    sz = res.size
    em = sz * PT
    pitch = em * style.line_height
    block_w = em * (1 + (len(res.lines) - 1) * style.line_height)
    right = {"left": x + block_w, "center": x + (w + block_w) / 2}.get(style.align, x + w)
    asc = _ascent_ratio(s.glyphs[0]) * em
    out: list[TextLine] = []
    for ci, (a, b) in enumerate(res.lines):
        n = sum(1 for k in range(a, b) if adv[k] > 0)
        col_h = n * em
        top = {"top": y + style.pad, "bottom": y + h - style.pad - col_h}.get(style.valign, y + (h - col_h) / 2)
        cx = right - ci * pitch - em / 2  # centre of this column
        col = VColumn()  # drawn as one vertical text run: copies out as one line
        pos = 0
        k = a
        while k < b:
            if adv[k] == 0 and k not in runs:
                k += 1
                continue
            if k in runs:  # 縦中横: the digits across in their half-width forms, squeezed into one em if wider
                m = runs[k]
                cl = s.clusters[k:k + m]
                gl = [g.font.half_width(c, g) for c, g in zip(cl, s.glyphs[k:k + m])]
                width = sum(g.advance for g in gl) / 1000.0 * em
                scale = min(100.0, em / width * 100.0) if width else 100.0
                drawn = width * scale / 100.0
                out.append(TextLine(cx - drawn / 2, top + pos * em + asc, sz, cl, gl, width, 0.0, h_scale=scale,
                                    color=style.color, path=path, box=box, column=col))
                col.lines.append(out[-1])
                k += m
            else:
                c, g = s.clusters[k], s.glyphs[k]
                vg = g.font.vertical(c, g)
                gw = vg.advance / 1000.0 * em
                out.append(TextLine(cx - gw / 2, top + pos * em + asc, sz, [c], [vg], gw, 0.0,
                                    color=style.color, path=path, box=box, column=col))
                col.lines.append(out[-1])
                k += 1
            pos += 1
    return out
