"""Jinja filters available in form templates. The logic lives in ``lgforms.codes``; these are
thin adapters so that a template error names the filter and a ``None`` (absent optional field)
stays empty instead of failing."""

from __future__ import annotations

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
    return wrapped


def mask(value: Any, keep: int = 0, char: str = "＊") -> str:
    """Mask all but the last ``keep`` characters (e.g. a 個人番号 not requested on a 住民票)."""
    s = str(value)
    if keep < 0:
        raise ValueInvalid("mask: keep must be >= 0")
    return char * max(0, len(s) - keep) + (s[len(s) - keep:] if keep else "")


def postcode(value: Any, mark: str = "〒") -> str:
    """'9876543' or '987-6543' -> '〒987-6543'."""
    digits = str(value).replace("-", "")
    if len(digits) != 7 or not digits.isdigit():
        raise ValueInvalid(f"postcode must be 7 digits (with or without '-'), got {len(digits)} characters")
    return f"{mark}{digits[:3]}-{digits[3:]}"


FILTERS: dict[str, Callable[..., Any]] = {
    "wareki": _optional(codes.wareki),
    "date": _optional(codes.seireki),
    "seireki": _optional(codes.seireki),
    "kansuji": _optional(codes.kansuji),
    "yen": _optional(codes.yen),
    "comma": _optional(codes.comma),
    "zenkaku": _optional(codes.zenkaku),
    "mask": _optional(mask),
    "postcode": _optional(postcode),
}
