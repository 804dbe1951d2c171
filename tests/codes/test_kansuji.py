"""漢数字: the three writing styles and parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgforms.codes import kansuji, parse_kansuji
from lgforms.errors import ValueInvalid


@pytest.mark.parametrize(("n", "text"), [
    (0, "〇"),
    (1, "一"),
    (10, "十"),
    (12, "十二"),
    (20, "二十"),
    (24, "二十四"),
    (100, "百"),
    (105, "百五"),
    (110, "百十"),
    (1000, "千"),
    (2024, "二千二十四"),
    (10000, "一万"),
    (10001, "一万一"),
    (11000, "一万千"),
    (110000, "十一万"),
    (10_000_000, "千万"),
    (100_000_000, "一億"),
    (123_456_789, "一億二千三百四十五万六千七百八十九"),
    (1_0000_0000_0000, "一兆"),
    (1_0000_0000_0000_0000, "一京"),
    (3_0000_0005, "三億五"),
])
def test_positional(n: int, text: str) -> None:
    assert kansuji(n) == text
    assert kansuji(n, "positional") == text
    assert parse_kansuji(text) == n


@pytest.mark.parametrize(("n", "text"), [
    (0, "〇"), (7, "七"), (2024, "二〇二四"), (102, "一〇二"), (10000, "一〇〇〇〇"),
])
def test_digits(n: int, text: str) -> None:
    assert kansuji(n, "digits") == text
    assert parse_kansuji(text) == n


def test_digit_string_input() -> None:
    assert kansuji("2024") == "二千二十四"
    assert kansuji("0102", "digits") == "〇一〇二"  # leading zeros kept digit by digit
    assert kansuji("0102") == "百二"
    assert kansuji("２０２４", "digits") == "二〇二四"  # full-width digits


@pytest.mark.parametrize(("n", "text"), [
    (0, "零"),
    (1, "壱"),
    (3, "参"),
    (10, "壱拾"),
    (12, "壱拾弐"),
    (33, "参拾参"),
    (100, "壱百"),
    (1000, "壱千"),
    (10000, "壱万"),
    (110000, "壱拾壱万"),
    (252500, "弐拾五万弐千五百"),
    (4_000_000, "四百万"),
    (100_000_000, "壱億"),
])
def test_daiji(n: int, text: str) -> None:
    assert kansuji(n, "daiji") == text
    assert parse_kansuji(text) == n


@pytest.mark.parametrize(("text", "n"), [
    ("三", 3), ("十二", 12), ("二十四", 24), ("百五", 105), ("一〇二", 102), ("三十一", 31),
    ("一千", 1000), ("一百", 100), ("一十", 10), ("萬", None), ("壹萬", 10000), ("伍阡", 5000), ("廿", None),
])
def test_parse_variants(text: str, n: int | None) -> None:
    if n is None:
        with pytest.raises(ValueInvalid):
            parse_kansuji(text)
    else:
        assert parse_kansuji(text) == n


@pytest.mark.parametrize("text", ["", "十十", "百千", "二二十", "万億", "二千〇五", "12", "三丁目", "一万万"])
def test_parse_rejects_malformed(text: str) -> None:
    with pytest.raises(ValueInvalid):
        parse_kansuji(text)


def test_parse_error_names_code_points() -> None:
    with pytest.raises(ValueInvalid) as exc:
        parse_kansuji("三丁目")
    assert "U+4E01" in exc.value.message  # 丁


@pytest.mark.parametrize("bad", [-1, 1.5, 2.0, True, None, "1.5", "-3", "", "abc", "١٢"])
def test_kansuji_rejects(bad: object) -> None:
    with pytest.raises(ValueInvalid):
        kansuji(bad)  # type: ignore[arg-type]


def test_unknown_style_and_too_large() -> None:
    with pytest.raises(ValueInvalid):
        kansuji(5, "roman")  # type: ignore[arg-type]
    with pytest.raises(ValueInvalid):
        kansuji(10**20)
    assert kansuji(10**20 - 1).startswith("九千九百九十九京")


@given(st.integers(min_value=0, max_value=10**20 - 1), st.sampled_from(["positional", "digits", "daiji"]))
def test_round_trip(n: int, style: str) -> None:
    assert parse_kansuji(kansuji(n, style)) == n  # type: ignore[arg-type]
