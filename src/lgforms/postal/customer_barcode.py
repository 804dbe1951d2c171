"""カスタマバーコード (Japan Post customer barcode, a 4-state bar code), built from a postcode
and an address as the 郵便番号・バーコードマニュアル describes (JP-POST-ZIPMANUAL,
https://www.post.japanpost.jp/zipcode/zipmanual/ pNN.html).

Public API::

    address_number(address, *, town=None) -> str         # "3-12-5-202" (住所表示番号)
    encode(postcode, address, *, town=None) -> list[str]  # ["STC", 7 digits, 13 positions, CD, "SPC"]
    symbols_for(postcode, number) -> list[str]            # the same from an already extracted number
    bars(symbols) -> list[str]                            # 67 bar kinds: "F", "A", "D", "T"
    decode(bar_kinds) -> list[str]                        # inverse of bars(), checks start/stop and CD
    data_of(symbols) -> tuple[str, str]                   # ("9876543", "3-12-5-202"), letters restored
    geometry(point=10.0) -> Geometry                      # bar sizes in mm at 8 ≤ point ≤ 11.5
    bar_rects(kinds, x, y, point) -> list[(x, y, w, h)]   # mm, top-left origin, y = top of a long bar

Sources (pages of the manual; "confirmed" = the page text was read, "quoted" = the rule text was
read as quoted word for word by several independent implementations, the page itself was not
reachable during this work):

- p12 (confirmed): sizes in ratio to the point size a (8 ≤ a ≤ 11.5): long bar 3.6·a/10 mm, timing
  bar 1.2·a/10, pitch 1.2·a/10, bar width 0.6·a/10, space 0.6·a/10. Format STC + postcode (7) +
  住所表示番号 (13) + CD (1) + SPC. A letter is a control code + a digit code (2 positions). More
  than 13 positions: keep 13, "but when the control code of a letter falls on the 13th position,
  keep up to that control code"; fewer: pad with CC4.
- p13 (confirmed): at least 2 mm of blank space above, below, left and right of the symbol.
- p17, p18 (confirmed): split the address into 住所A (up to and including the 町域名, which the
  postcode stands for) and 住所B (the rest); the 住所表示番号 is extracted from 住所B only.
  Example p17: 100-0013 東京都千代田区霞が関 | 1丁目3番2号 郵便プラザ503室 -> 1-3-2-503.
- p19 (quoted): the extraction rules 1-6 and 補足 1-5, implemented by ``address_number`` (each rule
  is named where it is applied below). The same sentences are quoted by a Java, a C# and a VBA
  implementation; the expected results of p25 agree with them.
- p20 (quoted by one implementation): the same truncation rule as p12, counted over the 20 data
  positions (a letter's control code on the 20th position stays).
- p21 (confirmed): check digit: check values 0-9 -> 0-9, "-" -> 10, CC1…CC8 -> 11…18; the CD makes
  the sum of the 20 data positions and the CD a multiple of 19; a CD of 10…18 is printed as
  "-"/CC1…CC8.
- p22 (confirmed): for a 大口事業所/私書箱 個別番号 only the postcode is encoded and the 13 positions
  are CC4 (``encode(code, "")``).
- p25 (quoted by implementations, with expected bar characters): the check sheet of 16 addresses used
  in the tests.
- Bar table (each character = 3 bars out of long/semi-long upper/semi-long lower/timing, start =
  long + semi-long lower, stop = semi-long lower + long): the manual prints it as a picture; the
  table here is the one two independent implementations agree on (zint's ``JapanTable``, as ported
  to a C++ decoder, and the PHP ``Pinekta\\JPCustomerBarcode`` map); a Canon printer manual
  quotes the manual's wording of the four bar shapes ("上下にバーを延ばしたロングバー、
  上方向のみにバーを延ばしたセミロングバー(上)、
  下方向のみにバーを延ばしたセミロングバー(下)およびタイミングバー… 4ステイト3バー").
  The semi-long bar length (2.4·a/10 mm = timing bar + one extension) is inferred from that wording;
  p12 lists only the long and timing bars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ValueInvalid

# -- symbols --------------------------------------------------------------------------------

START, STOP = "STC", "SPC"
CC = tuple(f"CC{i}" for i in range(1, 9))
CHECK_VALUE: dict[str, int] = {**{str(d): d for d in range(10)}, "-": 10, **{c: 11 + i for i, c in enumerate(CC)}}
_BY_VALUE = {v: k for k, v in CHECK_VALUE.items()}
PAD = "CC4"
POSITIONS = 13  # 住所表示番号 positions
DATA_POSITIONS = 20  # postcode + 住所表示番号

# Letters (p12: control code + digit code): A-J = CC1 0-9, K-T = CC2 0-9, U-Z = CC3 0-5.
LETTER: dict[str, tuple[str, str]] = {
    chr(ord("A") + i): (CC[i // 10], str(i % 10)) for i in range(26)
}
_LETTER_OF = {v: k for k, v in LETTER.items()}

# -- bars -----------------------------------------------------------------------------------

LONG, ASC, DESC, TIMING = "F", "A", "D", "T"  # long (full), semi-long upper, semi-long lower, timing
BAR_NAMES = {LONG: "ロングバー", ASC: "セミロングバー(上)", DESC: "セミロングバー(下)", TIMING: "タイミングバー"}
TABLE: dict[str, str] = {
    "1": "FFT", "2": "FDA", "3": "DFA", "4": "FAD", "5": "FTF",
    "6": "DAF", "7": "AFD", "8": "ADF", "9": "TFF", "0": "FTT",
    "-": "TFT",
    "CC1": "DAT", "CC2": "DTA", "CC3": "ADT", "CC4": "TDA",
    "CC5": "ATD", "CC6": "TAD", "CC7": "TTF", "CC8": "FFF",
    START: "FD", STOP: "DF",
}
_FROM_BARS = {v: k for k, v in TABLE.items() if k not in (START, STOP)}
BAR_COUNT = 2 + 3 * (DATA_POSITIONS + 1) + 2  # 67

# -- geometry (p12, p13) ------------------------------------------------------------------------

POINT_MIN, POINT_MAX = 8.0, 11.5
QUIET_ZONE_MM = 2.0  # p13: 2 mm or more on every side


@dataclass(frozen=True, slots=True)
class Geometry:
    """Bar sizes (mm) at ``point`` (p12: ratios 6 : 2 : 2 : 1 of a/10 mm, a = point size)."""

    point: float
    long: float  # ロングバー長さ 3.6·a/10
    semi: float  # セミロングバー 2.4·a/10 (timing bar + one extension; inferred)
    timing: float  # タイミングバー長さ 1.2·a/10
    pitch: float  # バーピッチ 1.2·a/10
    width: float  # バー幅 0.6·a/10

    @property
    def space(self) -> float:
        return self.pitch - self.width

    @property
    def symbol_width(self) -> float:
        """From the left edge of the first bar to the right edge of the 67th."""
        return (BAR_COUNT - 1) * self.pitch + self.width

    @property
    def with_quiet_zones(self) -> tuple[float, float]:
        """(width, height) the symbol needs including the 2 mm blank space on every side."""
        return self.symbol_width + 2 * QUIET_ZONE_MM, self.long + 2 * QUIET_ZONE_MM


def geometry(point: float = 10.0) -> Geometry:
    if not POINT_MIN <= point <= POINT_MAX:
        raise ValueInvalid(f"カスタマバーコード point size {point:g} is outside {POINT_MIN:g}–{POINT_MAX:g} pt "
                           f"(郵便番号・バーコードマニュアル p12)")
    a = point / 10.0
    return Geometry(point=point, long=3.6 * a, semi=2.4 * a, timing=1.2 * a, pitch=1.2 * a, width=0.6 * a)


def bar_rects(kinds: list[str], x: float, y: float, point: float = 10.0) -> list[tuple[float, float, float, float]]:
    """Rectangles (x, y, w, h) in mm, top-left origin, for bar kinds drawn from ``x``; ``y`` is the
    top of a long bar. Timing bars sit in the middle; semi-long bars extend it up or down."""
    g = geometry(point)
    ext = (g.long - g.timing) / 2  # the part above (or below) the timing zone
    spans = {LONG: (0.0, g.long), ASC: (0.0, g.semi), DESC: (ext, g.semi), TIMING: (ext, g.timing)}
    out = []
    for i, k in enumerate(kinds):
        top, h = spans[k]
        out.append((x + i * g.pitch, y + top, g.width, h))
    return out


# -- 住所表示番号 extraction (p17-p19) -------------------------------------------------------------

_KANJI_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "壱": 1, "二": 2, "弐": 2, "三": 3, "参": 3, "四": 4,
                "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNIT = {"十": 10, "拾": 10, "百": 100, "千": 1000}
_KANJI_NUM = set(_KANJI_DIGIT) | set(_KANJI_UNIT)
# 補足1: the characters after which a kanji number is extracted (丁目 丁 番地 番 号 地割 線 の ノ).
_MARKS_1 = set("丁番号線のノ")  # 丁目/番地 start with 丁/番
_MARKS_2 = ("地割",)
# Separators written for "-" (the manual's ハイフン); all other non-number characters become "-"
# anyway (rule 4), so this list only matters for readability of the code and its tests.
HYPHENS = ("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # ‐ ‑ ‒ – — ― −
           "\uff0d\ufe63\u30fc\uff70")  # － ﹣ ー (長音, used as a dash in addresses) ｰ
# Rule 2: removed, and the rest closed up.
_REMOVED = set("&＆/／・･.．·")
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def kanji_number(s: str) -> int:
    """三 -> 3, 十二 -> 12, 二十 -> 20, 百二十三 -> 123, 二〇二 -> 202 (positional, with 〇)."""
    if not s or any(c not in _KANJI_NUM for c in s):
        raise ValueError(f"not a kanji number: {s!r}")
    if not any(c in _KANJI_UNIT for c in s):
        return int("".join(str(_KANJI_DIGIT[c]) for c in s))
    total, digit = 0, None
    for c in s:
        if c in _KANJI_UNIT:
            total += (1 if digit is None else digit) * _KANJI_UNIT[c]
            digit = None
        elif _KANJI_DIGIT[c] or digit is None:  # 〇 inside 百〇五 only keeps the place
            digit = _KANJI_DIGIT[c] if digit is None else digit * 10 + _KANJI_DIGIT[c]
    return total + (digit or 0)


def _width_fold(s: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, ａ-ｚ, －…) to ASCII, U+3000 to a space; nothing else.
    (The manual's examples are printed with both widths; this is not a general NFKC.)"""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else (" " if c == "\u3000" else c)
                   for c in s)


def _after_town(address: str, town: str | None) -> str:
    """住所B: the part after the 町域名 (p17/p18) when the caller knows it (e.g. from the postcode
    data). Without it the whole address is used: prefecture, city and most town names have no
    number followed by one of the 補足1 marks, so they turn into separators and disappear."""
    if town:
        for a, t in ((address, town), (_width_fold(address), _width_fold(town))):
            i = a.find(t)
            if i >= 0:
                return a[i + len(t):]
    return address


# lgforms heuristics for the 住所A/住所B split when ``town`` is not given (not manual rules; the
# manual applies its rules to 住所B only, where these patterns do not occur):
#  - a number before 条 is part of a 町域名 (北六条東, 南4条西: Hokkaido 条丁目 towns; 四条通 in
#    Kyoto); 条 is not a 補足1 mark, so written in kanji it is dropped by the manual's rules anyway,
#    and written in Arabic digits it would otherwise be extracted;
#  - a kanji number before 番町/番丁 is a 町域名 (千代田区五番町, 仙台市青葉区一番町, 北二番丁),
#    never "N番" followed by a word.
_TOWN_NUMBER = re.compile(r"[0-9" + "".join(sorted(_KANJI_NUM)) + r"]+(?=条)|[" + "".join(sorted(_KANJI_NUM))
                          + r"]+(?=番[町丁])")


def address_number(address: str, *, town: str | None = None) -> str:
    """The 住所表示番号 of an address (manual p19): digits, "-" and single letters A-Z.

    ``town``: the 町域名 the postcode stands for (住所A ends with it); when given, only the text
    after it is used (p17/p18). The result may be longer than 13 positions; ``encode`` truncates.
    """
    s = _after_town(address, town)
    s = _width_fold(s)
    s = "".join("-" if c in HYPHENS else c for c in s)
    if town is None:
        s = _TOWN_NUMBER.sub("", s)
    # Rule 1: lower-case letters to upper case (ASCII only: str.upper() would turn ß into SS).
    s = s.translate(_UPPER)
    # Rule 2: remove & / ・ . and close up.
    s = "".join(c for c in s if c not in _REMOVED)
    # 補足1: a kanji number directly before 丁目/丁/番地/番/号/地割/線/の/ノ is extracted, as digits.
    out: list[str] = []
    i = 0
    while i < len(s):
        if s[i] in _KANJI_NUM:
            j = i
            while j < len(s) and s[j] in _KANJI_NUM:
                j += 1
            run = s[i:j]
            if j < len(s) and (s[j] in _MARKS_1 or s.startswith(_MARKS_2, j)):
                out.append(str(kanji_number(run)))
            else:
                out.append(run)  # a kanji number elsewhere is a non-number word (rule 4)
            i = j
        else:
            out.append(s[i])
            i += 1
    s = "".join(out)
    # Rule 3: extract digits, hyphens and single (non-consecutive) letters. Rule 4: anything else
    # before an extracted character - kanji, kana, kanji numbers, blanks, runs of 2+ letters -
    # becomes one hyphen. 補足2/3: a single "F" right after a digit (a floor: 5F) is not extracted;
    # it becomes a hyphen if something extracted follows (so it is treated like rule 4).
    tokens: list[str] = []  # "0".."9", "A".."Z", or "-" (a separator, extracted or from rule 4)
    for m in re.finditer(r"[0-9]|[A-Z]+|-|[^0-9A-Z-]+", s):
        t = m.group()
        if t.isdigit() or t == "-":
            tokens.append(t)
        elif t.isalpha() and t.isascii():
            single = len(t) == 1
            floor = t == "F" and m.start() > 0 and s[m.start() - 1].isdigit()
            tokens.append(t if single and not floor else "-")
        else:
            tokens.append("-")
    # Rule 5: consecutive hyphens become one. Rule 6: a leading hyphen is removed. Nothing after
    # the last extracted character is kept (rule 4 only replaces what stands *before* one).
    joined = re.sub(r"-+", "-", "".join(tokens)).strip("-")
    # 補足4: hyphens before and after a letter are removed. 補足5: letters that then touch stay.
    joined = re.sub(r"-?([A-Z])-?", r"\1", joined)
    return joined


# -- symbols, check digit ---------------------------------------------------------------------

_POSTCODE = re.compile(r"〒?\s*([0-9]{3})[-‐‑‒–—―−－ー]?([0-9]{4})")


def normalize_postcode(postcode: str) -> str:
    """"987-6543", "9876543", "〒987－6543", "９８７６５４３" -> "9876543"; anything else: ValueInvalid."""
    s = _width_fold(str(postcode if postcode is not None else "")).strip()
    m = _POSTCODE.fullmatch(s)
    if not m:
        raise ValueInvalid(f"カスタマバーコード: the postcode must be 7 digits (NNN-NNNN or NNNNNNN), got {s!r}")
    return m.group(1) + m.group(2)


def number_symbols(number: str) -> list[str]:
    """"3-12-5B604" -> ["3", "-", …, "5", "CC1", "1", "6", "0", "4"] (not truncated or padded)."""
    out: list[str] = []
    for c in number:
        if c.isdigit() and c.isascii() or c == "-":
            out.append(c)
        elif c in LETTER:
            out.extend(LETTER[c])
        else:
            raise ValueInvalid(f"カスタマバーコード: {c!r} cannot be in a 住所表示番号 (digits, '-', A-Z only)")
    return out


def check_digit(data: list[str]) -> str:
    """p21: the symbol whose check value makes sum(data) + CD a multiple of 19."""
    return _BY_VALUE[-sum(CHECK_VALUE[c] for c in data) % 19]


def symbols_for(postcode: str, number: str) -> list[str]:
    """STC + postcode + 13 positions (truncated/padded, p12/p20) + CD (p21) + SPC."""
    code = normalize_postcode(postcode)
    pos = number_symbols(number)[:POSITIONS]  # a letter's control code on the 13th position stays (p12)
    pos += [PAD] * (POSITIONS - len(pos))
    data = list(code) + pos
    return [START, *data, check_digit(data), STOP]


def encode(postcode: str, address: str, *, town: str | None = None) -> list[str]:
    """The 23 symbols of the customer barcode of ``address`` with ``postcode``."""
    return symbols_for(postcode, address_number(address or "", town=town))


def bars(symbols: list[str]) -> list[str]:
    """Bar kinds ("F" long, "A" semi-long upper, "D" semi-long lower, "T" timing) of the symbols."""
    try:
        return [k for s in symbols for k in TABLE[s]]
    except KeyError as e:
        raise ValueInvalid(f"カスタマバーコード: unknown symbol {e.args[0]!r}") from None


def decode(bar_kinds: list[str] | str) -> list[str]:
    """Bar kinds -> the 23 symbols; checks the length (67 bars), start and stop codes, that every
    character is in the table, the postcode positions are digits and the check digit is right."""
    k = "".join(bar_kinds)
    if len(k) != BAR_COUNT:
        raise ValueInvalid(f"カスタマバーコード: {len(k)} bars, expected {BAR_COUNT}")
    if k[:2] != TABLE[START] or k[-2:] != TABLE[STOP]:
        raise ValueInvalid(f"カスタマバーコード: bad start/stop code ({k[:2]} … {k[-2:]})")
    chars = []
    for i in range(2, len(k) - 2, 3):
        t = k[i:i + 3]
        if t not in _FROM_BARS:
            raise ValueInvalid(f"カスタマバーコード: bars {t} (character {len(chars) + 1}) are not a character")
        chars.append(_FROM_BARS[t])
    data, cd = chars[:-1], chars[-1]
    if not all(c.isdigit() for c in data[:7]):
        raise ValueInvalid(f"カスタマバーコード: the postcode positions hold {data[:7]}")
    if check_digit(data) != cd:
        raise ValueInvalid(f"カスタマバーコード: check digit {cd} is wrong (expected {check_digit(data)})")
    return [START, *chars, STOP]


def data_of(symbols: list[str]) -> tuple[str, str]:
    """("9876543", "3-20-5B604") from the symbols: postcode and 住所表示番号, letters restored and
    the CC4 padding dropped (a letter cut after its control code shows as its control code)."""
    body = list(symbols[1:-2]) if symbols and symbols[0] == START else list(symbols[:-1])
    code, pos = "".join(body[:7]), body[7:]
    out, i = [], 0
    while i < len(pos):
        c = pos[i]
        if c in CC[:3] and i + 1 < len(pos) and (c, pos[i + 1]) in _LETTER_OF:
            out.append(_LETTER_OF[(c, pos[i + 1])])
            i += 2
            continue
        if c == PAD:
            break
        out.append(c if len(c) == 1 else f"[{c}]")
        i += 1
    return code, "".join(out)
