"""Yen amounts as printed on tax notices and 納付書.

Money is integer yen everywhere in lgforms: a fractional amount is a bug upstream, so it is rejected
instead of being rounded here. Negative amounts use the Japanese accounting mark △ (U+25B3) in front
(△¥1,000, △1,000), as on 還付・減額 lines of tax notices; a minus sign is easy to miss on paper.
"""

from __future__ import annotations

import math
from decimal import Decimal

from lgforms.errors import ValueInvalid

__all__ = ["yen", "comma", "NEGATIVE_MARK"]

NEGATIVE_MARK = "△"


def _as_yen(n: object) -> int:
    """Integer yen from an int, an integral float or an integral Decimal; ValueInvalid otherwise."""
    # bool is an int subclass; True as ¥1 would hide a wrong field binding.
    if isinstance(n, bool):
        raise ValueInvalid("an amount of money must be an integer number of yen, got a bool",
                           detail={"type": "bool"})
    if isinstance(n, int):
        return n
    if isinstance(n, float):
        # JSON may deliver 252500.0; beyond 2**53 a float no longer holds an exact yen value.
        if math.isfinite(n) and n.is_integer() and abs(n) <= 2**53:
            return int(n)
        raise ValueInvalid(f"an amount of money must be an integer number of yen, got {n!r}",
                           detail={"value": repr(n)})
    if isinstance(n, Decimal):
        if n.is_finite() and n == n.to_integral_value():
            return int(n)
        raise ValueInvalid(f"an amount of money must be an integer number of yen, got {n}",
                           detail={"value": str(n)})
    # Strings are not parsed: "1,000" vs "1.000" is locale-dependent and belongs to validation upstream.
    raise ValueInvalid(f"an amount of money must be an integer number of yen, got {type(n).__name__}",
                       detail={"type": type(n).__name__})


def comma(n: int) -> str:
    """Digits grouped by 3 with commas: 252500 -> "252,500"; negative -> "△1,000"."""
    v = _as_yen(n)
    return (NEGATIVE_MARK if v < 0 else "") + f"{abs(v):,}"


def yen(n: int, symbol: str = "¥") -> str:
    """Amount with a currency symbol: 252500 -> "¥252,500"; -1000 -> "△¥1,000".

    ``symbol`` is put in front as given ("¥" U+00A5 by default; pass "￥" for the full-width sign or ""
    for none). The △ goes before the symbol, the usual order on Japanese statements.
    """
    v = _as_yen(n)
    return (NEGATIVE_MARK if v < 0 else "") + symbol + f"{abs(v):,}"
