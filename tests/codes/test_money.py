"""Yen formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lgforms.codes import comma, yen
from lgforms.errors import ValueInvalid


@pytest.mark.parametrize(("n", "text"), [
    (252500, "¥252,500"),
    (0, "¥0"),
    (7, "¥7"),
    (999, "¥999"),
    (1000, "¥1,000"),
    (1234567, "¥1,234,567"),
    (-1000, "△¥1,000"),
    (-5, "△¥5"),
    (252500.0, "¥252,500"),  # integral float from JSON
    (Decimal("300000"), "¥300,000"),
])
def test_yen(n: object, text: str) -> None:
    assert yen(n) == text  # type: ignore[arg-type]


def test_yen_symbol() -> None:
    assert yen(64100, symbol="￥") == "￥64,100"
    assert yen(64100, symbol="") == "64,100"
    assert yen(-64100, symbol="￥") == "△￥64,100"


@pytest.mark.parametrize(("n", "text"), [
    (252500, "252,500"), (0, "0"), (100, "100"), (1000000, "1,000,000"), (-2500, "△2,500"),
])
def test_comma(n: int, text: str) -> None:
    assert comma(n) == text


@pytest.mark.parametrize("bad", [
    1.5, 0.1, float("nan"), float("inf"), "1000", "¥1,000", True, False, None, Decimal("1.5"), 2.0**60,
])
def test_rejects_non_integer_yen(bad: object) -> None:
    with pytest.raises(ValueInvalid) as exc:
        yen(bad)  # type: ignore[arg-type]
    assert exc.value.code == "VALUE_INVALID"
    with pytest.raises(ValueInvalid):
        comma(bad)  # type: ignore[arg-type]
