"""和暦 conversion: era boundaries, 元年, numerals, parsing, invalid dates, round trip."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgforms.codes import seireki, to_date, wareki
from lgforms.errors import ValueInvalid

D = dt.date

# Day before / day of each 改元 (public record), with the expected long form.
BOUNDARIES = [
    (D(1873, 1, 1), "明治6年1月1日"),
    (D(1912, 7, 29), "明治45年7月29日"),
    (D(1912, 7, 30), "大正元年7月30日"),
    (D(1926, 12, 24), "大正15年12月24日"),
    (D(1926, 12, 25), "昭和元年12月25日"),
    (D(1989, 1, 7), "昭和64年1月7日"),
    (D(1989, 1, 8), "平成元年1月8日"),
    (D(2019, 4, 30), "平成31年4月30日"),
    (D(2019, 5, 1), "令和元年5月1日"),
]


@pytest.mark.parametrize(("date", "text"), BOUNDARIES)
def test_era_boundaries_both_ways(date: dt.date, text: str) -> None:
    assert wareki(date) == text
    assert to_date(text) == date


def test_before_gregorian_adoption_is_rejected() -> None:
    with pytest.raises(ValueInvalid) as exc:
        wareki(D(1872, 12, 31))
    assert exc.value.code == "VALUE_INVALID"
    assert "lunisolar" in exc.value.message
    with pytest.raises(ValueInvalid):
        wareki("1868-10-23")


@pytest.mark.parametrize("text", ["明治5年12月2日", "明治元年1月1日", "明治5年1月1日"])
def test_meiji_lunisolar_years_cannot_be_parsed(text: str) -> None:
    with pytest.raises(ValueInvalid, match="lunisolar"):
        to_date(text)


@pytest.mark.parametrize(("date", "text"), [
    (D(1913, 1, 1), "大正2年1月1日"),  # 元年 ends with the Gregorian year, not after 12 months
    (D(1912, 12, 31), "大正元年12月31日"),
    (D(1926, 12, 31), "昭和元年12月31日"),  # 昭和元年 had 7 days
    (D(1927, 1, 1), "昭和2年1月1日"),
    (D(1989, 12, 31), "平成元年12月31日"),
    (D(1990, 1, 1), "平成2年1月1日"),
    (D(2019, 12, 31), "令和元年12月31日"),
    (D(2020, 1, 1), "令和2年1月1日"),
    (D(2026, 11, 24), "令和8年11月24日"),
    (D(1945, 8, 15), "昭和20年8月15日"),
])
def test_gannen_and_following_year(date: dt.date, text: str) -> None:
    assert wareki(date) == text
    assert to_date(text) == date


def test_meiji_has_no_gannen_in_gregorian_range() -> None:
    # 明治元年 is lunisolar; the first Gregorian 明治 year is 6.
    assert wareki(D(1873, 12, 31)) == "明治6年12月31日"
    assert wareki(D(1900, 2, 28)) == "明治33年2月28日"


def test_formats() -> None:
    d = D(2026, 11, 24)
    assert wareki(d, "long") == "令和8年11月24日"
    assert wareki(d, "ym") == "令和8年11月"
    assert wareki(d, "year") == "令和8年"
    assert wareki(d, "era") == "令和"
    assert wareki(d, "short") == "R8.11.24"
    assert wareki(D(2019, 5, 1), "short") == "R1.5.1"
    assert wareki(D(1912, 7, 29), "short") == "M45.7.29"
    assert wareki(D(1926, 12, 24), "short") == "T15.12.24"
    assert wareki(D(1989, 1, 7), "short") == "S64.1.7"
    assert wareki(D(1989, 1, 8), "short") == "H1.1.8"
    assert wareki(D(2019, 5, 1), "year") == "令和元年"
    assert wareki(D(2019, 5, 1), "ym") == "令和元年5月"


def test_numerals() -> None:
    d = D(2026, 11, 24)
    assert wareki(d, numerals="zenkaku") == "令和８年１１月２４日"
    assert wareki(d, numerals="kansuji") == "令和八年十一月二十四日"
    assert wareki(D(2019, 5, 1), numerals="kansuji") == "令和元年五月一日"
    assert wareki(D(2019, 5, 1), numerals="zenkaku") == "令和元年５月１日"
    assert wareki(D(1988, 12, 31), numerals="kansuji") == "昭和六十三年十二月三十一日"
    assert wareki(D(2019, 4, 30), "ym", "kansuji") == "平成三十一年四月"
    assert wareki(d, "short", "zenkaku") == "Ｒ８．１１．２４"


def test_string_input_is_normalized() -> None:
    assert wareki("2026-11-24") == "令和8年11月24日"
    assert wareki("令和八年十一月二十四日", "short") == "R8.11.24"


@pytest.mark.parametrize(("text", "date"), [
    ("令和8年11月24日", D(2026, 11, 24)),
    ("昭和元年12月28日", D(1926, 12, 28)),
    ("平成31年4月30日", D(2019, 4, 30)),
    ("令和８年１１月２４日", D(2026, 11, 24)),
    ("令和八年十一月二十四日", D(2026, 11, 24)),
    ("令和1年5月1日", D(2019, 5, 1)),  # 1年 is tolerated on input
    ("平成一〇年一月一日", D(1998, 1, 1)),  # digit-style kansuji
    ("令和 8年 6月30日", D(2026, 6, 30)),  # alignment spaces
    ("　令和8年6月30日　", D(2026, 6, 30)),
    ("R8.6.30", D(2026, 6, 30)),
    ("Ｈ３１．４．３０", D(2019, 4, 30)),
    ("2026-11-24", D(2026, 11, 24)),
    ("1872-12-31", D(1872, 12, 31)),  # a valid Gregorian date, just not expressible in 和暦
])
def test_to_date_accepts(text: str, date: dt.date) -> None:
    assert to_date(text) == date


def test_to_date_passes_dates_and_truncates_datetimes() -> None:
    assert to_date(D(2026, 1, 2)) == D(2026, 1, 2)
    assert to_date(dt.datetime(2026, 1, 2, 23, 59)) == D(2026, 1, 2)
    assert type(to_date(dt.datetime(2026, 1, 2, 23, 59))) is dt.date


@pytest.mark.parametrize(("text", "reason"), [
    ("平成31年5月1日", "令和元年5月1日"),
    ("昭和64年1月8日", "平成元年1月8日"),
    ("令和元年4月30日", "平成31年4月30日"),
    ("昭和元年12月24日", "大正15年12月24日"),
    ("大正元年7月29日", "明治45年7月29日"),
    ("明治45年7月30日", "大正元年7月30日"),
    ("大正15年12月25日", "昭和元年12月25日"),
    ("2023-02-30", "does not exist"),
    ("2024-13-01", "does not exist"),
    ("令和5年2月29日", "does not exist"),  # 2023 is not a leap year
    ("令和8年2月30日", "does not exist"),
    ("令和0年1月1日", "no year 0"),
    ("garbage", "expected"),
    ("", "expected"),
    ("令和8年11月", "expected"),  # no day
    ("2026/11/24", "expected"),
    ("20261124", "expected"),
    ("慶応4年1月1日", "expected"),
    ("令和八年十三月一日", "does not exist"),
    ("令和八年二二月一日", "does not exist"),  # digit style 22
    ("令和八年十十月一日", "not a well-formed"),
])
def test_invalid_dates(text: str, reason: str) -> None:
    with pytest.raises(ValueInvalid) as exc:
        to_date(text)
    assert exc.value.code == "VALUE_INVALID"
    assert reason in exc.value.message
    assert repr(text) in exc.value.message  # names the value


def test_leap_day_in_wareki() -> None:
    assert to_date("令和6年2月29日") == D(2024, 2, 29)
    assert wareki(D(2000, 2, 29)) == "平成12年2月29日"


@pytest.mark.parametrize("bad", [20261124, None, 2026.0, ["2026-11-24"]])
def test_non_string_input(bad: object) -> None:
    with pytest.raises(ValueInvalid):
        to_date(bad)  # type: ignore[arg-type]


def test_bad_options() -> None:
    with pytest.raises(ValueInvalid):
        wareki(D(2026, 1, 1), "medium")  # type: ignore[arg-type]
    with pytest.raises(ValueInvalid):
        wareki(D(2026, 1, 1), numerals="roman")  # type: ignore[arg-type]
    with pytest.raises(ValueInvalid):
        wareki(D(2026, 1, 1), "short", "kansuji")
    with pytest.raises(ValueInvalid):
        seireki(D(2026, 1, 1), "us")  # type: ignore[arg-type]


def test_seireki() -> None:
    d = D(2026, 11, 24)
    assert seireki(d) == "2026年11月24日"
    assert seireki(d, "iso") == "2026-11-24"
    assert seireki(d, "slash") == "2026/11/24"
    assert seireki(D(2026, 5, 1)) == "2026年5月1日"
    assert seireki(D(2026, 5, 1), "slash") == "2026/05/01"
    assert seireki("令和元年5月1日", "iso") == "2019-05-01"
    # 西暦 has no 1873 limit (foreign residents' birth dates).
    assert seireki(D(1850, 3, 4)) == "1850年3月4日"


DATES = st.dates(min_value=D(1873, 1, 1), max_value=D(2100, 12, 31))


@given(DATES)
def test_round_trip_long(d: dt.date) -> None:
    assert to_date(wareki(d)) == d


@given(DATES, st.sampled_from(["arabic", "zenkaku", "kansuji"]))
def test_round_trip_numerals(d: dt.date, numerals: str) -> None:
    assert to_date(wareki(d, numerals=numerals)) == d  # type: ignore[arg-type]


@given(DATES, st.sampled_from(["arabic", "zenkaku"]))
def test_round_trip_short(d: dt.date, numerals: str) -> None:
    assert to_date(wareki(d, "short", numerals)) == d  # type: ignore[arg-type]


@given(DATES)
def test_year_and_era_consistent_with_long(d: dt.date) -> None:
    long = wareki(d)
    assert long.startswith(wareki(d, "ym"))
    assert wareki(d, "ym").startswith(wareki(d, "year"))
    assert wareki(d, "year").startswith(wareki(d, "era"))
    # Year 1 is always 元年: an era name directly followed by "1年" never appears.
    assert not re.fullmatch(r"(明治|大正|昭和|平成|令和)1年", wareki(d, "year"))
