"""漢数字 (kanji numerals): formatting for 和暦 dates and amounts, parsing for addresses and dates.

Styles of :func:`kansuji`:

* ``"positional"`` -- 十・百・千 within a 4-digit group, 万・億・兆・京 between groups.
  A leading 一 is dropped before 十・百・千 (十二, 百五, 千) but kept before 万 and larger (一万, 一億):
  that is how dates and addresses are written (二千二十四年, 十一万).
* ``"digits"``     -- one kanji per decimal digit (2024 -> 二〇二四), as in vertical 番地 and years.
* ``"daiji"``      -- 大字 for amounts in legal documents. Only 壱・弐・参・拾 replace 一・二・三・十
  (the set 戸籍法施行規則 第31条 prescribes; 四〜九, 百, 千, 万 stay as they are). 壱 is always written
  before a unit (10 -> 壱拾, 1000 -> 壱千, 10000 -> 壱万) so that nobody can add a digit in front;
  zero is 零.
"""

from __future__ import annotations

import re
from typing import Literal

from lgforms.errors import ValueInvalid

__all__ = ["kansuji", "parse_kansuji", "KansujiStyle"]

KansujiStyle = Literal["positional", "digits", "daiji"]

_DIGITS = "〇一二三四五六七八九"
_DAIJI_DIGITS = "零壱弐参四五六七八九"
_SMALL_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
_DAIJI_SMALL_UNITS = ((1000, "千"), (100, "百"), (10, "拾"))
_BIG_UNITS = ("", "万", "億", "兆", "京")  # 10**0, 10**4, 10**8, 10**12, 10**16
_LIMIT = 10 ** (4 * len(_BIG_UNITS))  # 京 is the largest unit: stop before 垓 (10**20)

# Digit strings may be ASCII or full-width (payloads typed on Japanese IMEs often are).
_DIGIT_STRING = re.compile(r"[0-9０-９]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# Parsing accepts old and formal variants too, since they occur in 戸籍 and deeds.
_PARSE_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2, "三": 3, "参": 3, "參": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陸": 6, "七": 7, "漆": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_PARSE_SMALL: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "陌": 100, "千": 1000, "阡": 1000, "仟": 1000}
_PARSE_BIG: dict[str, int] = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12, "京": 10**16}


def _as_int(n: object) -> tuple[int, str]:
    """Return (value, decimal digit string) for an int or a digit string; ValueInvalid otherwise."""
    # bool is an int subclass, but True -> 一 would hide a bug in the caller.
    if isinstance(n, bool) or not isinstance(n, (int, str)):
        raise ValueInvalid(f"漢数字 needs a non-negative integer or a digit string, got {type(n).__name__}",
                           detail={"type": type(n).__name__})
    if isinstance(n, int):
        if n < 0:
            raise ValueInvalid(f"漢数字 needs a non-negative integer, got {n}", detail={"value": n})
        return n, str(n)
    if not _DIGIT_STRING.fullmatch(n):
        raise ValueInvalid(f"漢数字 needs a string of decimal digits, got {n!r}", detail={"value": n})
    digits = n.translate(_FULLWIDTH_DIGITS)
    return int(digits), digits


def _group(value: int, digits: str, units: tuple[tuple[int, str], ...], keep_one: bool) -> str:
    """Write 1..9999 with 千百十 units (``keep_one``: write 一/壱 before a unit too)."""
    out = []
    for size, unit in units:
        d, value = divmod(value, size)
        if d:
            out.append(("" if d == 1 and not keep_one else digits[d]) + unit)
    if value:
        out.append(digits[value])
    return "".join(out)


def kansuji(n: int | str, style: KansujiStyle = "positional") -> str:
    """Write a non-negative integer (or digit string) in 漢数字; see the module docstring for the styles.

    In ``"digits"`` style a digit string keeps its leading zeros ("0102" -> 〇一〇二).
    """
    value, digits = _as_int(n)
    if style == "digits":
        return "".join(_DIGITS[int(c)] for c in digits)
    if style not in ("positional", "daiji"):
        raise ValueInvalid(f"unknown 漢数字 style {style!r} (use positional, digits or daiji)",
                           detail={"style": style})
    daiji = style == "daiji"
    digit_chars = _DAIJI_DIGITS if daiji else _DIGITS
    if value == 0:
        return digit_chars[0]
    if value >= _LIMIT:
        raise ValueInvalid(f"{value} is too large for 漢数字 (the largest unit written is 京)",
                           detail={"value": value})
    units = _DAIJI_SMALL_UNITS if daiji else _SMALL_UNITS
    parts = []
    for big in _BIG_UNITS:
        value, g = divmod(value, 10000)
        if g:
            # 一 before 万/億/... is kept even in positional style (一万, not 万).
            text = digit_chars[1] if g == 1 and big else _group(g, digit_chars, units, keep_one=daiji)
            parts.append(text + big)
        if not value:
            break
    return "".join(reversed(parts))


def parse_kansuji(s: str) -> int:
    """Read 漢数字 as written in addresses and dates: 三 -> 3, 二十四 -> 24, 百五 -> 105, 一〇二 -> 102.

    A string of digit kanji only (no 十百千万...) is read digit by digit (一〇二, 二〇二四). Otherwise it is
    read positionally; 大字 and old forms (壱, 弐, 参, 拾, 萬, 阡, ...) are accepted. 〇 cannot appear in
    positional numbers (二千〇五 is ambiguous about intent and rejected).
    """
    if not isinstance(s, str) or not s:
        raise ValueInvalid(f"not a 漢数字 string: {s!r}", detail={"value": repr(s)})
    bad = [c for c in s if c not in _PARSE_DIGITS and c not in _PARSE_SMALL and c not in _PARSE_BIG]
    if bad:
        cps = " ".join(f"U+{ord(c):04X}" for c in bad)
        raise ValueInvalid(f"{s!r} is not a 漢数字 number: unexpected character(s) {cps}",
                           detail={"value": s, "characters": cps})
    if all(c in _PARSE_DIGITS for c in s):
        value = 0
        for c in s:
            value = value * 10 + _PARSE_DIGITS[c]
        return value

    def fail(why: str) -> ValueInvalid:
        return ValueInvalid(f"{s!r} is not a well-formed 漢数字 number: {why}", detail={"value": s})

    total = 0
    section = 0  # the part below the current 万/億/... unit
    current: int | None = None  # a digit waiting for its unit
    last_small = 10**5  # units must decrease left to right (十百 is malformed)
    last_big = 10**20
    for c in s:
        if c in _PARSE_DIGITS:
            d = _PARSE_DIGITS[c]
            if d == 0:
                raise fail("〇 cannot be mixed with units")
            if current is not None:
                raise fail("two digits in a row")
            current = d
        elif c in _PARSE_SMALL:
            unit = _PARSE_SMALL[c]
            if unit >= last_small:
                raise fail("units out of order")
            section += (1 if current is None else current) * unit  # 十 alone means 一十
            current, last_small = None, unit
        else:
            big = _PARSE_BIG[c]
            if big >= last_big:
                raise fail("units out of order")
            section += current or 0
            if section == 0:
                raise fail(f"{c} has no number before it")
            total += section * big
            section, current, last_small, last_big = 0, None, 10**5, big
    return total + section + (current or 0)
