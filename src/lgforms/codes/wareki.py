"""和暦 (Japanese era) dates: parse them, write them, and write 西暦 dates the Japanese way.

Conversion is only defined for Gregorian dates from 1873-01-01 (明治6年1月1日), the day Japan adopted
the Gregorian calendar. Earlier 明治 dates (明治元年..明治5年) were lunisolar dates: their month and day
do not correspond to a Gregorian date by any offset, so both directions reject them (the 戸籍 system
must be consulted for those).

An era starts on the day of the 改元 and the previous era ends the day before:

======  ============  ======================
era     first day     last day
======  ============  ======================
明治    (1873-01-01)  1912-07-29 (明治45年)
大正    1912-07-30    1926-12-24 (大正15年)
昭和    1926-12-25    1989-01-07 (昭和64年)
平成    1989-01-08    2019-04-30 (平成31年)
令和    2019-05-01    --
======  ============  ======================

The first year of an era is always written 元年 (令和元年5月1日), never 1年; on input 1年 is accepted too.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Literal

from lgforms.errors import ValueInvalid

from .kansuji import kansuji, parse_kansuji
from .zenkaku import zenkaku

__all__ = ["to_date", "wareki", "seireki", "GREGORIAN_START", "WarekiFormat", "Numerals", "SeirekiFormat"]

WarekiFormat = Literal["long", "ym", "year", "era", "short"]
Numerals = Literal["arabic", "zenkaku", "kansuji"]
SeirekiFormat = Literal["long", "iso", "slash"]

#: 明治6年1月1日: the first day a 和暦 date has a Gregorian equivalent.
GREGORIAN_START = datetime.date(1873, 1, 1)


@dataclass(frozen=True)
class _Era:
    name: str
    initial: str  # for the short form R8.11.24
    first_day: datetime.date  # the day of the 改元 (元年 is the Gregorian year of this day)
    last_day: datetime.date | None

    @property
    def offset(self) -> int:
        """Gregorian year minus era year."""
        return self.first_day.year - 1


_MEIJI_FIRST_DAY = datetime.date(1868, 1, 25)  # 明治元年1月1日 (lunisolar), only used for the year offset
_ERAS: tuple[_Era, ...] = (
    _Era("明治", "M", _MEIJI_FIRST_DAY, datetime.date(1912, 7, 29)),
    _Era("大正", "T", datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
    _Era("昭和", "S", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    _Era("平成", "H", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    _Era("令和", "R", datetime.date(2019, 5, 1), None),
)
_BY_NAME = {e.name: e for e in _ERAS}
_BY_INITIAL = {e.initial: e for e in _ERAS}

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NUM = r"[0-9〇一二三四五六七八九十百千]+"
_LONG = re.compile(rf"(明治|大正|昭和|平成|令和)(元|{_NUM})年({_NUM})月({_NUM})日")
_SHORT = re.compile(r"([MTSHR])([0-9]{1,3})\.([0-9]{1,2})\.([0-9]{1,2})")
# Full-width ASCII (digits, letters, ．) is folded to ASCII before matching: payloads typed with a
# Japanese IME often carry ８ or Ｒ８．１１．２４.
_FOLD_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
# Forms pad 和暦 for alignment ("令和 8年 6月30日"); spacing never changes the date.
_SPACES = re.compile(r"[\s\u3000]+")


def _invalid(value: object, why: str) -> ValueInvalid:
    return ValueInvalid(f"invalid date {value!r}: {why}", detail={"value": str(value), "reason": why})


def _number(text: str) -> int:
    if text.isascii():
        return int(text)
    return parse_kansuji(text)


def _era_of(d: datetime.date) -> _Era:
    for era in reversed(_ERAS):
        if d >= era.first_day:
            return era
    raise AssertionError("unreachable: callers check GREGORIAN_START first")


def _from_era(value: str, era: _Era, year: int, month: int, day: int) -> datetime.date:
    if year < 1:
        raise _invalid(value, f"{era.name} has no year {year}")
    if era.name == "明治" and year < 6:
        raise _invalid(value, "明治5年 and earlier used the lunisolar calendar; "
                              "a Gregorian date cannot be computed (Gregorian from 明治6年1月1日)")
    try:
        d = datetime.date(era.offset + year, month, day)
    except (ValueError, OverflowError):
        raise _invalid(value, f"no such day ({era.offset + year}-{month:02d}-{day:02d} does not exist)") from None
    if d < era.first_day or (era.last_day is not None and d > era.last_day):
        # Year >= 1 (>= 6 for 明治) keeps d after GREGORIAN_START, so the right era can be named.
        start = max(era.first_day, GREGORIAN_START).isoformat()
        span = f"{start} to {era.last_day.isoformat()}" if era.last_day else f"from {start}"
        raise _invalid(value, f"outside {era.name} ({span}); {d.isoformat()} is {wareki(d)}")
    return d


def to_date(value: datetime.date | str) -> datetime.date:
    """Parse a date: a ``datetime.date``, ISO "YYYY-MM-DD", or 和暦 "令和8年11月24日".

    和暦 may use 元年, full-width digits (令和８年) or 漢数字 (令和八年十一月二十四日), and the short form
    "R8.11.24" that :func:`wareki` writes. It must lie inside its era. Raises ValueInvalid otherwise.
    """
    if isinstance(value, datetime.datetime):  # a datetime is a date; drop the time of day
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValueInvalid(f"a date must be a string or a date, got {type(value).__name__}",
                           detail={"type": type(value).__name__})
    return _parse(value)


@functools.lru_cache(maxsize=4096)
def _parse(value: str) -> datetime.date:
    """``to_date`` of a string. Kept per string: a batch's records share their dates (納期限, 発行日 …)
    and a notice parses each several times (schema format, 和暦 filter, cross-checks); an error is
    raised again each time (``lru_cache`` keeps only results)."""
    text = _SPACES.sub("", value.translate(_FOLD_FULLWIDTH))
    m = _ISO.fullmatch(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        try:
            return datetime.date(y, mo, d)
        except ValueError:
            raise _invalid(value, f"no such day ({y:04d}-{mo:02d}-{d:02d} does not exist)") from None
    m = _LONG.fullmatch(text)
    if m:
        era_name, y_text, mo_text, d_text = m.groups()
        try:
            year = 1 if y_text == "元" else _number(y_text)
            month, day = _number(mo_text), _number(d_text)
        except ValueInvalid as exc:
            raise _invalid(value, exc.message) from None
        return _from_era(value, _BY_NAME[era_name], year, month, day)
    m = _SHORT.fullmatch(text)
    if m:
        initial, y_text, mo_text, d_text = m.groups()
        return _from_era(value, _BY_INITIAL[initial], int(y_text), int(mo_text), int(d_text))
    raise _invalid(value, "expected YYYY-MM-DD or a 和暦 date such as 令和8年11月24日")


def _num(n: int, numerals: str) -> str:
    if numerals == "kansuji":
        return kansuji(n)
    if numerals == "zenkaku":
        return zenkaku(str(n))
    return str(n)


def wareki(value: datetime.date | str, fmt: WarekiFormat = "long", numerals: Numerals = "arabic") -> str:
    """Write a date in 和暦.

    fmt: "long" 令和8年11月24日, "ym" 令和8年11月, "year" 令和8年, "era" 令和,
    "short" R8.11.24 (era initial M/T/S/H/R, no zero padding, and the first year is 1: R1.5.1).
    numerals: "arabic" (8), "zenkaku" (８), "kansuji" (八; 元年 stays 元年). "short" takes arabic or
    zenkaku (Ｒ８．１１．２４) only. Dates before 1873-01-01 raise ValueInvalid (lunisolar calendar).
    """
    d = to_date(value)
    if fmt not in ("long", "ym", "year", "era", "short"):
        raise ValueInvalid(f"unknown 和暦 format {fmt!r} (use long, ym, year, era or short)", detail={"fmt": fmt})
    if numerals not in ("arabic", "zenkaku", "kansuji"):
        raise ValueInvalid(f"unknown numerals {numerals!r} (use arabic, zenkaku or kansuji)",
                           detail={"numerals": numerals})
    if d < GREGORIAN_START:
        raise _invalid(d.isoformat(), "before 1873-01-01 Japan used the lunisolar calendar; "
                                      "a Gregorian date cannot be written in 和暦")
    era = _era_of(d)
    year = d.year - era.offset
    if fmt == "short":
        if numerals == "kansuji":
            raise ValueInvalid("the short 和暦 form (R8.11.24) cannot use kansuji numerals",
                               detail={"fmt": fmt, "numerals": numerals})
        short = f"{era.initial}{year}.{d.month}.{d.day}"
        return zenkaku(short) if numerals == "zenkaku" else short
    if fmt == "era":
        return era.name
    out = era.name + ("元" if year == 1 else _num(year, numerals)) + "年"
    if fmt == "year":
        return out
    out += _num(d.month, numerals) + "月"
    if fmt == "ym":
        return out
    return out + _num(d.day, numerals) + "日"


def seireki(value: datetime.date | str, fmt: SeirekiFormat = "long") -> str:
    """Write a date in 西暦 (foreign residents' dates, 在留期間): "long" 2026年11月24日 (no padding),
    "iso" 2026-11-24, "slash" 2026/11/24 (month and day zero-padded, as ISO)."""
    d = to_date(value)
    if fmt == "long":
        return f"{d.year}年{d.month}月{d.day}日"
    if fmt == "iso":
        return d.isoformat()
    if fmt == "slash":
        return f"{d.year:04d}/{d.month:02d}/{d.day:02d}"
    raise ValueInvalid(f"unknown 西暦 format {fmt!r} (use long, iso or slash)", detail={"fmt": fmt})
