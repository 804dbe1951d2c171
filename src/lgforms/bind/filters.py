"""Jinja filters available in form templates. The logic lives in ``lgforms.codes``; these are
thin adapters so that a template error names the filter and a ``None`` (absent optional field)
stays empty instead of failing."""

from __future__ import annotations

import inspect
import re
from typing import Any, Callable

from jinja2 import Undefined

from .. import codes
from ..errors import ValueInvalid


def _optional(fn: Callable[..., str]) -> Callable[..., str]:
    def wrapped(value: Any, *args: Any, **kwargs: Any) -> str:
        if value is None or isinstance(value, Undefined) or value == "":
            return ""
        return fn(value, *args, **kwargs)

    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    wrapped.__wrapped_fn__ = fn  # type: ignore[attr-defined]
    return wrapped


def mask(value: Any, keep: int = 0, char: str = "＊") -> str:
    """Mask all but the last ``keep`` characters (e.g. a 個人番号 not requested on a 住民票)."""
    s = str(value)
    if isinstance(keep, bool) or not isinstance(keep, int):
        raise ValueInvalid(f"mask: keep is the number of characters left visible, not {keep!r}")
    if keep < 0:
        raise ValueInvalid("mask: keep must be >= 0")
    return char * max(0, len(s) - keep) + (s[len(s) - keep:] if keep else "")


def postcode(value: Any, mark: str = "〒") -> str:
    """'9876543' or '987-6543' -> '〒987-6543' (the customer barcode's rule: full-width folded)."""
    from ..postal.customer_barcode import normalize_postcode

    text = str(value)
    try:
        digits = normalize_postcode(text)
    except ValueInvalid:
        raise ValueInvalid(f"postcode must be 7 digits, NNN-NNNN or NNNNNNN; the value ({len(text)} characters) "
                           f"is not") from None
    return f"{mark}{digits[:3]}-{digits[3:]}"


def zenkaku(value: Any) -> str:
    """全角: numbers too (``page.number | zenkaku`` -> ２)."""
    if isinstance(value, bool):
        raise ValueInvalid("zenkaku: a yes/no value has no printed form")
    return codes.zenkaku(str(value))


_ADDRESS_NUMBER = re.compile(r"[0-9０-９]+")
_DASHES = "-－‐−"


def kansuji_address(value: Any, style: str = "positional", dash: str = "の") -> str:
    """Numbers in an address in 漢数字 for vertical text: 3丁目12番5号 -> 三丁目十二番五号;
    ``style: digits`` gives 一二 for 12 (番地 written digit by digit); a dash between numbers
    (3-12-5) becomes ``dash`` (「の」 or 「―」)."""
    if style not in ("positional", "digits"):
        raise ValueInvalid(f"kansuji_address: style must be positional or digits, not {style!r}")
    if dash not in ("の", "―", "ー", "－"):
        raise ValueInvalid(f"kansuji_address: dash must be one of の ― ー －, not {dash!r}")
    text = str(value)

    def num(m: re.Match) -> str:
        d = m.group(0).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        return codes.kansuji(d, style)

    out = _ADDRESS_NUMBER.sub(num, text)
    # a dash between two numbers (now 漢数字) joins them: 三-十二 -> 三の十二
    return re.sub(rf"(?<=[〇一二三四五六七八九十百千万])[{_DASHES}](?=[〇一二三四五六七八九十百千万])", dash, out)


def require(value: Any, message: str = "a value the form needs is missing") -> Any:
    """``{{ tenant.tables.dankai | selectattr('dankai', 'equalto', d) | first | require('段階 is not in the 条例 table') }}``:
    an empty result is an error with the form's own message, never a blank."""
    if value is None or isinstance(value, Undefined) or value == "" or value == [] or value == {}:
        raise ValueInvalid(f"require: {message}")
    return value


FILTERS: dict[str, Callable[..., Any]] = {
    "require": require,
    "wareki": _optional(codes.wareki),
    "date": _optional(codes.seireki),
    "seireki": _optional(codes.seireki),
    "kansuji": _optional(codes.kansuji),
    "yen": _optional(codes.yen),
    "comma": _optional(codes.comma),
    "zenkaku": _optional(zenkaku),
    "kansuji_address": _optional(kansuji_address),
    "mask": _optional(mask),
    "postcode": _optional(postcode),
}


# a value each filter accepts, to try its arguments on when a form is loaded
_PROBES: dict[str, Any] = {
    "require": "x",
    "wareki": "2020-02-03", "date": "2020-02-03", "seireki": "2020-02-03", "kansuji": 12, "yen": 1000,
    "comma": 1000, "zenkaku": "12", "mask": "123456789018", "postcode": "9876543",
    "kansuji_address": "3丁目12番5号",
}


def check_filter_call(name: str, args: list, kwargs: dict) -> str | None:
    """Why ``value | name(*args, **kwargs)`` (constant arguments) can never work, or None.
    Called at load so that a wrong filter argument is the form's error, not the payload's."""
    fn = FILTERS.get(name)
    if fn is None:
        return None  # Jinja's own filters: Jinja checks the name when compiling
    target = getattr(fn, "__wrapped_fn__", fn)
    try:
        inspect.signature(target).bind(_PROBES.get(name, ""), *args, **kwargs)
    except TypeError as e:
        return f"wrong arguments ({e})"
    try:
        fn(_PROBES.get(name, ""), *args, **kwargs)
    except ValueInvalid as e:
        return e.message
    except (TypeError, ValueError) as e:
        return f"wrong arguments ({e})"
    return None
